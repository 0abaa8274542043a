import GlossCore

/// Draws an ``AppState`` into a ``ScreenBuffer``: the text pane, the annotation list, the
/// status line, and the prompt or help overlay. Pure: the same state gives the same screen.
public enum Renderer {
    /// The screen for `state` at its terminal size.
    public static func render(_ state: AppState) -> ScreenBuffer {
        var buffer = ScreenBuffer(width: state.screenWidth, height: state.screenHeight)
        let geometry = state.geometry
        if geometry.tooSmall {
            let words = ["terminal", "too small"]
            for (index, word) in words.enumerated() where index < buffer.height {
                buffer.put(word, row: index, column: 0, style: .plain)
            }
            return buffer
        }
        drawText(state, geometry.text, into: &buffer)
        drawBorder(geometry, into: &buffer)
        drawList(state, geometry.list, into: &buffer)
        drawStatus(state, row: geometry.statusRow, into: &buffer)
        if state.mode == .help { drawHelp(state, into: &buffer) }
        return buffer
    }

    static let rule = Style(dim: true)

    // MARK: - Text pane

    static func drawText(_ state: AppState, _ area: PaneGeometry.Rect, into buffer: inout ScreenBuffer) {
        let document = state.document
        guard !document.isEmpty else {
            buffer.put("(empty document)", row: area.row, column: area.column + PaneGeometry.textMargin, style: Style(dim: true))
            return
        }
        let width = state.wrapWidth
        let left = area.column + PaneGeometry.textMargin
        let limit = left + width
        var rows: [(RowPosition, LayoutLine?)] = []
        var row: RowPosition? = state.top
        while let current = row, rows.count < area.height {
            let lines = state.cache.lines(current.paragraph, width: width)
            rows.append((current, current.line < lines.count ? lines[current.line] : nil))
            row = state.nextRow(current)
        }
        let shown = rows.compactMap { $0.1?.range }.filter { !$0.isEmpty }
        let visible = (shown.first?.lowerBound ?? 0)..<(shown.last?.upperBound ?? 0)
        let annotations = state.annotations(overlapping: visible)
        let highlight: Range<Int>? = state.mode == .selecting ? state.selection?.range : state.focusRange
        // the title is drawn in bold when more text follows it
        let titleParagraph = document.paragraph(1) != nil && document.title != nil ? 0 : -1
        for (index, (position, line)) in rows.enumerated() {
            guard let line else { continue }
            for glyph in line.glyphs where glyph.column + glyph.width <= width {
                var style = Style()
                if position.paragraph == titleParagraph { style.bold = true }
                let covering = annotations.filter { $0.start < glyph.range.upperBound && $0.end > glyph.range.lowerBound }
                if let innermost = covering.min(by: { ($0.end - $0.start) < ($1.end - $1.start) }) {
                    style.foreground = color(of: innermost, in: state.codebook)
                    if innermost.id == state.currentAnnotationID { style.bold = true }
                    if covering.count > 1 || style.foreground == .default { style.underline = true }
                }
                if let highlight, highlight.lowerBound < glyph.range.upperBound, highlight.upperBound > glyph.range.lowerBound {
                    style.reverse = true
                }
                if glyph.character == "\t" {
                    buffer.fill(row: area.row + index, columns: (left + glyph.column)..<(left + glyph.column + glyph.width), style: style)
                } else {
                    buffer.put(character: glyph.character, row: area.row + index, column: left + glyph.column, style: style, limit: limit)
                }
            }
        }
    }

    static func color(of annotation: Annotation, in codebook: Codebook) -> Color {
        guard let tag = annotation.tags.first, let category = codebook.category(id: tag.category) else { return .default }
        return Color(named: category.color)
    }

    static func drawBorder(_ geometry: PaneGeometry, into buffer: inout ScreenBuffer) {
        if geometry.sideBySide {
            let column = geometry.text.column + geometry.text.width
            for row in 0..<geometry.text.height { buffer.put("│", row: row, column: column, style: rule) }
        } else {
            let row = geometry.text.row + geometry.text.height
            buffer.put(String(repeating: "─", count: buffer.width), row: row, column: 0, style: rule)
        }
    }

    // MARK: - Annotation list

    /// Rows each list entry takes.
    static let entryRows = 2

    static func drawList(_ state: AppState, _ area: PaneGeometry.Rect, into buffer: inout ScreenBuffer) {
        guard area.height > 0, area.width > 2 else { return }
        let left = area.column + 1
        let limit = area.column + area.width
        var header = state.annotations.isEmpty ? "Annotations" : "Annotations (\(state.annotations.count))"
        if !state.orphans.isEmpty { header += " · \(state.orphans.count) orphaned" }
        if !state.quarantined.isEmpty { header += " · \(state.quarantined.count) invalid" }
        buffer.put(truncate(header, to: area.width - 1), row: area.row, column: left,
                   style: Style(bold: true, underline: state.mode == .list), limit: limit)
        if state.listEntryCount == 0 {
            let hints = ["None yet. Press a tag key", "to tag the focused sentence:"]
                + state.codebook.categories.map { "  \($0.key)  \($0.label)" }
                + ["v selects a span first."]
            for (index, hint) in hints.enumerated() where index + 2 < area.height {
                buffer.put(hint, row: area.row + 2 + index, column: left, style: Style(dim: true), limit: limit)
            }
            return
        }
        let selected: Int? = state.mode == .list ? state.listIndex
            : state.currentAnnotationID.flatMap { id in state.annotations.firstIndex { $0.id == id } }
        let capacity = max(1, (area.height - 1) / entryRows)
        let first = selected.map { $0 < capacity ? 0 : $0 - capacity + 1 } ?? 0
        for (slot, index) in (first..<min(state.listEntryCount, first + capacity)).enumerated() {
            let row = area.row + 1 + slot * entryRows
            let isSelected = index == selected
            let base = Style(reverse: isSelected && state.mode == .list)
            if isSelected && state.mode == .list { buffer.fill(row: row, columns: area.column..<limit, style: base) }
            buffer.put(isSelected ? "▸" : " ", row: row, column: area.column, style: base, limit: limit)
            var warning = base
            warning.foreground = .red
            warning.bold = true
            let quote: String
            switch state.listEntry(index) {
            case .annotation(let annotation):
                // placed on edited text when the document opened: worth a second look
                let column = state.approximatelyPlaced.contains(annotation.id)
                    ? buffer.put("≈ ", row: row, column: left, style: warning, limit: limit) : left
                drawTags(of: annotation, state: state, row: row, from: column, limit: limit, base: base, into: &buffer)
                quote = annotation.quote
            case .orphan(let annotation):
                let column = buffer.put("orphaned ", row: row, column: left, style: warning, limit: limit)
                drawTags(of: annotation, state: state, row: row, from: column, limit: limit, base: base, into: &buffer)
                quote = annotation.quote
            case .invalid(let record):
                let column = buffer.put("invalid: ", row: row, column: left, style: warning, limit: limit)
                buffer.put(truncate(record.reason, to: limit - column), row: row, column: column, style: base, limit: limit)
                quote = record.quote ?? record.id.map { "id " + $0 } ?? "record \(record.position) of \"\(record.list)\""
            }
            let shown = "“" + quote.split(whereSeparator: \.isWhitespace).joined(separator: " ") + "”"
            buffer.put(truncate(shown, to: area.width - 3), row: row + 1, column: left + 1, style: Style(dim: true), limit: limit)
        }
    }

    /// The tags of `annotation` from column `start`, cut with an ellipsis; a note marker
    /// keeps its place at the end.
    static func drawTags(of annotation: Annotation, state: AppState, row: Int, from start: Int, limit: Int,
                         base: Style, into buffer: inout ScreenBuffer) {
        let noteMarker = annotation.note.isEmpty ? "" : " ✎"
        let tagLimit = limit - DisplayWidth.columns(of: noteMarker)
        var column = start
        var pieces: [(String, Style)] = []
        if annotation.tags.isEmpty { pieces.append(("(untagged)", Style(reverse: base.reverse, dim: true))) }
        for (number, tag) in annotation.tags.enumerated() {
            if number > 0 { pieces.append((" · ", base)) }
            let category = state.codebook.category(id: tag.category)
            var labelStyle = base
            labelStyle.foreground = category.map { Color(named: $0.color) } ?? .default
            labelStyle.bold = true
            pieces.append((category?.label ?? tag.category, labelStyle))
            if !tag.value.isEmpty { pieces.append((": " + tag.value, base)) }
        }
        for (text, style) in pieces {
            let room = tagLimit - column
            guard room > 0 else { break }
            let fitted = truncate(text, to: room)
            column = buffer.put(fitted, row: row, column: column, style: style, limit: tagLimit)
            if fitted != text { break }
        }
        if !noteMarker.isEmpty {
            buffer.put(noteMarker, row: row, column: min(column, tagLimit), style: base, limit: limit)
        }
    }

    /// `text` cut to `columns` with an ellipsis when it is longer.
    static func truncate(_ text: String, to columns: Int) -> String {
        guard columns > 0 else { return "" }
        if DisplayWidth.columns(of: text) <= columns { return text }
        var result = ""
        var used = 0
        for character in text {
            let width = DisplayWidth.columns(of: character)
            if used + width > columns - 1 { break }
            result.append(character)
            used += width
        }
        return result + "…"
    }

    // MARK: - Status line and prompt

    static func drawStatus(_ state: AppState, row: Int, into buffer: inout ScreenBuffer) {
        let bar = Style(reverse: true)
        buffer.fill(row: row, columns: 0..<buffer.width, style: bar)
        if let prompt = state.prompt {
            drawPrompt(prompt, row: row, state: state, into: &buffer)
            return
        }
        let right = "? help "
        let rightStart = max(0, buffer.width - DisplayWidth.columns(of: right))
        var style = bar
        let left: String
        if let message = state.message {
            left = truncate(" " + message, to: rightStart - 1)
            if state.messageIsError { style.foreground = .red; style.bold = true }
        } else {
            var parts = ["\(percent(state))%"]
            if state.readOnly { parts.insert("READ-ONLY", at: 0) }
            if state.mode == .selecting, let selection = state.selection {
                parts.append("SELECT \(selection.range.count) character\(selection.range.count == 1 ? "" : "s")")
            } else if state.mode == .list {
                parts.append("LIST")
            }
            let counts = state.codebook.categories.map { category in
                (category, state.annotations.reduce(0) { $0 + ($1.tags.contains { $0.category == category.id } ? 1 : 0) })
            }
            let long = counts.map { "\($0.0.id) \($0.1)" }.joined(separator: " · ")
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
            let lines = state.cache.lines(row.paragraph, width: state.wrapWidth)
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

    static func drawPrompt(_ prompt: Prompt, row: Int, state: AppState, into buffer: inout ScreenBuffer) {
        let plain = Style()
        buffer.fill(row: row, columns: 0..<buffer.width, style: plain)
        // a question has no answer to make room for; the end of a label (its "(y/n)", its
        // "Save to:") always shows when the reason before it is cut
        let room: Int, kept: String
        switch prompt.purpose {
        case .confirm: (room, kept) = (buffer.width - 1, " (y/n) ")
        case .saveElsewhere: (room, kept) = (max(2, buffer.width / 2), " Save to: ")
        default: (room, kept) = (max(2, buffer.width / 2), "")
        }
        let label = !kept.isEmpty && prompt.label.hasSuffix(kept) && DisplayWidth.columns(of: prompt.label) > room
            ? truncate(String(prompt.label.dropLast(kept.count)), to: max(1, room - kept.count)) + kept
            : truncate(prompt.label, to: room)
        var column = buffer.put(label, row: row, column: 0, style: Style(bold: true))
        let characters = Array(prompt.text)
        // keep the insertion point on screen by dropping characters from the left, counted
        // back from the cursor so that a long answer (a pasted note) costs one pass
        var first = prompt.cursor
        var shown = 0
        while first > 0 {
            let width = DisplayWidth.columns(of: characters[first - 1])
            if shown + width > buffer.width - column - 2 { break }
            shown += width
            first -= 1
        }
        for (index, character) in characters.enumerated().dropFirst(first) {
            column = buffer.put(character: character, row: row, column: column, style: Style(reverse: index == prompt.cursor))
        }
        if prompt.cursor >= characters.count { buffer.put(" ", row: row, column: column, style: Style(reverse: true)) }
        guard case .tagValue = prompt.purpose, row > 0 else { return }
        let matches = prompt.matches
        let above = row - 1
        buffer.fill(row: above, columns: 0..<buffer.width, style: Style(reverse: true))
        let highlighted = prompt.highlightedMatch
        var matchColumn = buffer.put(matches.isEmpty ? " new value; Enter accepts" : " Tab:", row: above, column: 0, style: Style(reverse: true))
        var allShown = true
        for (index, match) in matches.enumerated() {
            let text = " " + match + " "
            if matchColumn + DisplayWidth.columns(of: text) > buffer.width - 2 {
                buffer.put("…", row: above, column: matchColumn, style: Style(reverse: true))
                allShown = false
                break
            }
            let isCurrent = index == highlighted
            matchColumn = buffer.put(text, row: above, column: matchColumn, style: Style(bold: isCurrent, reverse: !isCurrent, underline: isCurrent))
        }
        let hint = " Enter takes the underlined one; Ctrl-J keeps what is typed"
        if highlighted != nil, allShown, matchColumn + DisplayWidth.columns(of: hint) <= buffer.width - 1 {
            buffer.put(hint, row: above, column: matchColumn, style: Style(reverse: true))
        }
    }

    // MARK: - Help

    static func drawHelp(_ state: AppState, into buffer: inout ScreenBuffer) {
        let rows = state.keymap.helpRows
        let keyWidth = min(18, rows.map { DisplayWidth.columns(of: $0.keys) }.max() ?? 0)
        let descriptionWidth = rows.map { DisplayWidth.columns(of: $0.description) }.max() ?? 0
        // one column when it fits the height, else two side by side
        let available = max(1, buffer.height - 6)
        let columns = rows.count <= available || buffer.width < 60 ? 1 : 2
        let perColumn = (rows.count + columns - 1) / columns
        let columnWidth = keyWidth + 2 + descriptionWidth
        let boxWidth = min(buffer.width - 2, columns * columnWidth + (columns - 1) * 3 + 4)
        let boxHeight = min(buffer.height - 2, perColumn + 4)
        let top = max(0, (buffer.height - boxHeight) / 2)
        let left = max(0, (buffer.width - boxWidth) / 2)
        let frame = Style(bold: true)
        for row in top..<(top + boxHeight) {
            buffer.fill(row: row, columns: left..<(left + boxWidth), style: .plain)
        }
        buffer.put("┌" + String(repeating: "─", count: max(0, boxWidth - 2)) + "┐", row: top, column: left, style: frame)
        buffer.put(" Gloss keys ", row: top, column: left + 2, style: frame)
        for row in (top + 1)..<(top + boxHeight - 1) {
            buffer.put("│", row: row, column: left, style: frame)
            buffer.put("│", row: row, column: left + boxWidth - 1, style: frame)
        }
        buffer.put("└" + String(repeating: "─", count: max(0, boxWidth - 2)) + "┘", row: top + boxHeight - 1, column: left, style: frame)
        let footer = " any key closes "
        buffer.put(footer, row: top + boxHeight - 1, column: left + max(1, boxWidth - DisplayWidth.columns(of: footer) - 2), style: frame)
        let capacity = boxHeight - 4
        let slotWidth = (boxWidth - 4 - (columns - 1) * 3) / columns
        for (index, entry) in rows.enumerated() {
            let column = index / perColumn, line = index % perColumn
            guard line < capacity else { continue }
            let row = top + 2 + line
            let start = left + 2 + column * (slotWidth + 3)
            let limit = start + slotWidth
            buffer.put(entry.keys, row: row, column: start, style: Style(bold: true), limit: min(limit, start + keyWidth))
            buffer.put(truncate(entry.description, to: max(0, limit - start - keyWidth - 2)), row: row, column: start + keyWidth + 2, style: .plain, limit: limit)
        }
        if perColumn > capacity, capacity > 0 {
            buffer.put(truncate("… enlarge the terminal to see every key", to: max(0, boxWidth - 4)), row: top + boxHeight - 2, column: left + 2, style: Style(dim: true), limit: left + boxWidth - 2)
        }
    }
}
