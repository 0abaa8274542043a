import GlossCore

/// The detail view: a box over the panes with the annotation's offsets, author and dates,
/// the start of its quote, every tag (the selected one marked), and its whole note,
/// wrapped; the keys of the view on its last line.
extension Renderer {
    static func drawDetail(_ state: AppState, into buffer: inout ScreenBuffer) {
        guard let annotation = state.detailAnnotation else { return }
        let theme = state.theme
        let boxWidth = min(buffer.width - 2, 76)
        let inner = max(1, boxWidth - 4)
        var rows: [(text: String, style: Style)] = []
        rows.append(("Code points \(annotation.start)–\(annotation.end) · by \(annotation.author)", theme.hint))
        rows.append(("created \(annotation.created) · modified \(annotation.modified)", theme.hint))
        for line in wrapPlain("“" + String(annotation.quote.prefix(inner * 3)) + (annotation.quote.count > inner * 3 ? " …" : "") + "”", width: inner).prefix(3) {
            rows.append((line, theme.text))
        }
        rows.append(("", theme.text))
        rows.append(("Tags", theme.heading))
        if annotation.tags.isEmpty { rows.append(("  (none: a tag key adds one)", theme.hint)) }
        for (index, tag) in annotation.tags.enumerated() {
            let category = state.codebook.category(id: tag.category)
            let label = theme.marker(key: category?.key) + (category?.label ?? tag.category)
            let selected = index == state.detailTag
            var style = theme.colored(theme.text, category: category?.color ?? "")
            if selected { style = theme.focused(style) }
            rows.append(((selected ? "▸ " : "  ") + label + (tag.value.isEmpty ? "" : ": " + tag.value), style))
        }
        let relations = state.detailRelations
        if !relations.isEmpty {
            rows.append(("", theme.text))
            rows.append(("Relations", theme.heading))
            for (index, relation) in relations.enumerated() {
                let selected = annotation.tags.count + index == state.detailTag
                let style = selected ? theme.focused(theme.text) : theme.text
                rows.append(((selected ? "▸ " : "  ") + state.detailLine(for: relation, seenFrom: annotation.id), style))
            }
        }
        rows.append(("", theme.text))
        rows.append(("Note", theme.heading))
        let firstNoteRow = rows.count
        if annotation.note.isEmpty {
            rows.append(("  (none: m writes one)", theme.hint))
        } else {
            // every line of the note, wrapped as the note editor wraps it
            for line in NoteEditor.wrappedLines(of: annotation.note, width: inner - 2) { rows.append(("  " + line, theme.text)) }
        }
        let keys = state.detailRelation != nil ? "D delete relation · j k move · m note · u undo · Esc back"
            : "Enter value · r category · x remove · R rename · m note · u undo · Esc"
        let boxHeight = min(buffer.height - 1, rows.count + 4)
        let top = max(0, (buffer.height - 1 - boxHeight) / 2)
        let left = max(0, (buffer.width - boxWidth) / 2)
        drawBox(title: "Annotation", top: top, left: left, width: boxWidth, height: boxHeight, theme: theme, into: &buffer)
        let capacity = max(0, boxHeight - 3)
        // the selected tag stays in view when the note is long
        let selectedRow = rows.firstIndex { $0.text.hasPrefix("▸ ") } ?? 0
        let first = selectedRow < capacity ? 0 : selectedRow - capacity + 1
        var shown = Array(rows.dropFirst(first).prefix(capacity))
        // a note longer than the box says where the rest is
        if first + capacity < rows.count, let last = shown.indices.last, first + last >= firstNoteRow {
            shown[last] = ("  … \(rows.count - first - capacity + 1) more lines: m shows the whole note", theme.hint)
        }
        for (offset, entry) in shown.enumerated() {
            buffer.put(truncate(entry.text, to: inner), row: top + 1 + offset, column: left + 2, style: entry.style, limit: left + boxWidth - 2)
        }
        buffer.put(truncate(keys, to: inner), row: top + boxHeight - 2, column: left + 2, style: theme.hint, limit: left + boxWidth - 2)
    }

    /// A blank box with a frame in the heading style and `title` on its top edge, over
    /// whatever was drawn there (the help and detail overlays).
    static func drawBox(title: String, top: Int, left: Int, width: Int, height: Int, theme: Theme, into buffer: inout ScreenBuffer) {
        guard width >= 2, height >= 2 else { return }
        for row in top..<(top + height) { buffer.fill(row: row, columns: left..<(left + width), style: theme.text) }
        let frame = theme.heading
        buffer.put("┌" + String(repeating: "─", count: width - 2) + "┐", row: top, column: left, style: frame)
        buffer.put(" \(title) ", row: top, column: left + 2, style: frame)
        for row in (top + 1)..<(top + height - 1) {
            buffer.put("│", row: row, column: left, style: frame)
            buffer.put("│", row: row, column: left + width - 1, style: frame)
        }
        buffer.put("└" + String(repeating: "─", count: width - 2) + "┘", row: top + height - 1, column: left, style: frame)
    }

    /// `text` broken into lines of at most `width` columns at spaces (a word longer than
    /// the width is cut), its own line feeds kept.
    static func wrapPlain(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = ""
            var used = 0
            for word in paragraph.split(separator: " ", omittingEmptySubsequences: false) {
                let wordWidth = DisplayWidth.columns(of: String(word))
                if used > 0 && used + 1 + wordWidth > width {
                    lines.append(line)
                    line = ""
                    used = 0
                }
                if used > 0 { line += " "; used += 1 }
                line += word
                used += wordWidth
            }
            lines.append(line)
        }
        return lines
    }
}
