import GlossCore

/// The status line: file name, position, mode and tag counts, or the last message.
extension Renderer {
    // MARK: - Status line and prompt

    /// `frame` with `text` on its status line (the bottom row), in the status bar's style:
    /// for what the reader waits on inside one key's work, such as a PDF being converted,
    /// drawn before the next frame exists. Controls in `text` show as pictures.
    public static func notice(_ text: String, over frame: ScreenBuffer, theme: Theme) -> ScreenBuffer {
        var buffer = frame
        guard buffer.height > 0, buffer.width > 0 else { return buffer }
        let row = buffer.height - 1
        buffer.fill(row: row, columns: 0..<buffer.width, style: theme.statusBar)
        buffer.put(truncate(" " + text, to: buffer.width), row: row, column: 0, style: theme.statusBar, limit: buffer.width)
        return buffer
    }

    static func drawStatus(_ state: AppState, row: Int, into buffer: inout ScreenBuffer) {
        let bar = state.theme.statusBar
        buffer.fill(row: row, columns: 0..<buffer.width, style: bar)
        if let prompt = state.prompt {
            drawPrompt(prompt, row: row, theme: state.theme, into: &buffer)
            return
        }
        if state.mode == .editor, let editor = state.editor {
            drawEditorStatus(editor, state: state, row: row, into: &buffer)
            return
        }
        // long work going on stays in view whatever the message says
        let right = (state.progress.map { $0 + "  " } ?? "") + "? help "
        let rightStart = max(0, buffer.width - DisplayWidth.columns(of: right))
        var style = bar
        let left: String
        if let message = state.message {
            left = truncate(" " + message, to: rightStart - 1)
            if state.messageIsError { style = state.theme.error(style) }
        } else {
            var parts = ["\(percent(state))%"]
            if let count = state.pendingCount { parts.append("\(count)") }
            if let filter = state.filter { parts.append("FILTER " + filter.description) }
            if state.readOnly { parts.insert("READ-ONLY", at: 0) }
            if state.mode == .selecting, let selection = state.selection {
                parts.append("SELECT \(selection.range.count) character\(selection.range.count == 1 ? "" : "s")")
            } else if state.mode == .list {
                parts.append("LIST")
            }
            // tags, not annotations: one annotation may carry several tags of a category
            let counts = state.codebook.categories.map { ($0, state.tagCounts[$0.id] ?? 0) }
            let long = counts.map { "\($0.0.label) \($0.1)" }.joined(separator: " · ")
            let short = counts.map { "\($0.0.key)\($0.1)" }.joined(separator: " ")
            // the counts matter more than the file name: shorten the name first, then the counts
            var tail = (parts + [long]).joined(separator: "  ")
            if DisplayWidth.columns(of: tail) + 2 > rightStart { tail = (parts + [short]).joined(separator: "  ") }
            let nameRoom = rightStart - 1 - DisplayWidth.columns(of: tail) - 3
            let name = nameRoom >= 8 ? truncate(state.document.fileName, to: nameRoom) : ""
            left = truncate((name.isEmpty ? " " : " " + name + "  ") + tail, to: rightStart - 1)
        }
        buffer.put(left, row: row, column: 0, style: style, limit: rightStart)
        buffer.put(right, row: row, column: rightStart, style: bar)
    }

    /// How far through the document the bottom of the text pane is, 0 to 100, by bytes
    /// (as `less` counts), so it needs no index past the screen.
    static func percent(_ state: AppState) -> Int {
        let document = state.document
        guard document.byteCount > 0, !document.isEmpty else { return 100 }
        var row = state.top
        var end = 0
        for _ in 0..<state.textRows {
            let lines = state.cache.lines(row.paragraph, part: row.part, width: state.wrapWidth)
            if row.line < lines.count, !lines[row.line].glyphs.isEmpty, let paragraph = document.paragraph(row.paragraph) {
                // bytes through this line: the paragraph's bytes in proportion to its code points
                let done = lines[row.line].range.upperBound - paragraph.range.lowerBound
                end = paragraph.byteRange.lowerBound + paragraph.byteRange.count * done / max(1, paragraph.range.count)
            }
            guard let next = state.nextRow(row) else { return 100 }
            row = next
        }
        return min(100, end * 100 / document.byteCount)
    }
}
