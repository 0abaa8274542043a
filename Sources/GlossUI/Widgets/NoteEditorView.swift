import GlossCore

/// The note editor: a box over the text pane titled with what is edited, the text
/// wrapped to the box by display cells, the insertion point in reverse video, arrows on
/// the frame when rows are scrolled out of view, and its keys on the bottom edge.
extension Renderer {
    static func drawEditor(_ editor: NoteEditor, state: AppState, into buffer: inout ScreenBuffer) {
        let pane = state.geometry.editor
        guard pane.width >= 6, pane.height >= 3 else { return }
        let theme = state.theme
        let title = truncate(editor.title, to: max(1, pane.width - 8))
        drawBox(title: title, top: pane.row, left: pane.column, width: pane.width, height: pane.height, theme: theme, into: &buffer)
        let (innerWidth, visible) = state.editorInner
        let rows = editor.rows(width: state.editorWrapWidth)
        let cursorRow = NoteEditor.row(of: editor.cursor, in: rows)
        let top = editor.topKeeping(cursorRow: cursorRow, visible: visible, rowCount: rows.count)
        let left = pane.column + 2
        let limit = min(buffer.width, left + innerWidth)
        for (offset, row) in rows.dropFirst(top).prefix(visible).enumerated() {
            let y = pane.row + 1 + offset
            var column = left
            for index in row.range {
                column = buffer.put(character: editor.characters[index], row: y, column: column, style: theme.text, limit: limit)
                if column >= limit { break }
            }
            guard top + offset == cursorRow, left < limit else { continue }
            // the insertion point: the character after it, or a blank at the row's end,
            // kept inside the box when spaces hang past the width
            var start = left + editor.column(in: row)
            var width = editor.cursor < row.range.upperBound ? DisplayWidth.columns(of: editor.characters[editor.cursor]) : 1
            if start >= limit { (start, width) = (limit - 1, 1) }
            buffer.restyle(row: y, columns: start..<min(limit, start + width)) { $0 = theme.promptCursor }
        }
        let frame = theme.heading
        let right = pane.column + pane.width - 3
        if top > 0 { buffer.put("↑", row: pane.row, column: right, style: frame) }
        let bottom = pane.row + pane.height - 1
        if top + visible < rows.count { buffer.put("↓", row: bottom, column: right, style: frame) }
        let keys = editor.readOnly ? " (read-only) Esc close " : " Ctrl-S save · Esc close "
        if DisplayWidth.columns(of: keys) <= pane.width - 6 {
            buffer.put(keys, row: bottom, column: pane.column + 2, style: frame)
        }
    }

    /// The status line under the note editor: the question Esc asks, a message, or the
    /// editing keys with the insertion point's line and column.
    static func drawEditorStatus(_ editor: NoteEditor, state: AppState, row: Int, into buffer: inout ScreenBuffer) {
        let theme = state.theme
        if editor.confirmingClose {
            buffer.fill(row: row, columns: 0..<buffer.width, style: theme.text)
            // the answers matter most: a narrow terminal gets the short question
            let noun = editor.target == .memo ? "memo" : "note"
            let question = [state.editorQuestion, "Save the \(noun)? y/n/c", "Save? y/n/c"]
                .first { DisplayWidth.columns(of: $0) < buffer.width } ?? "y/n/c"
            buffer.put(truncate(question + " ", to: buffer.width - 1), row: row, column: 0, style: theme.heading)
            return
        }
        var style = theme.statusBar
        let text: String
        if let message = state.message {
            text = " " + message
            if state.messageIsError { style = theme.error(style) }
        } else {
            // counted on the laid-out rows (kept between frames), not the note's characters:
            // a frame must not cost a pass over a long note
            let rows = editor.rows(width: state.editorWrapWidth)
            let cursorRow = NoteEditor.row(of: editor.cursor, in: rows)
            let line = rows[..<cursorRow].reduce(1) { $0 + ($1.endsLine ? 1 : 0) }
            let lines = rows.reduce(0) { $0 + ($1.endsLine ? 1 : 0) }
            let what = editor.target == .memo ? "MEMO" : "NOTE"
            let keys = editor.readOnly ? "Esc close" : "Enter new line · Ctrl-S save and close · Esc close"
            text = " \(what)\(editor.isChanged ? " (changed)" : "")  line \(line)/\(lines)  " + keys
        }
        buffer.put(truncate(text, to: buffer.width - 1), row: row, column: 0, style: style, limit: buffer.width)
    }
}
