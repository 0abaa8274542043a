import GlossCore

/// The text pane: the wrapped paragraphs on screen with the focus or selection in
/// reverse video, tagged spans in their category's colour (without colour, underlined with
/// their categories' keys in the margins), headings in bold and boilerplate dimmed with a
/// mark in the left margin; and the rule between panes.
extension Renderer {
    // MARK: - Text pane

    static func drawText(_ state: AppState, _ area: PaneGeometry.Rect, into buffer: inout ScreenBuffer) {
        let document = state.document
        guard !document.isEmpty else {
            buffer.put("(empty document)", row: area.row, column: area.column + PaneGeometry.textMargin, style: state.theme.hint)
            return
        }
        let width = state.wrapWidth
        let left = area.column + PaneGeometry.textMargin
        let limit = left + width
        var rows: [(RowPosition, LayoutLine?)] = []
        var row: RowPosition? = state.top
        while let current = row, rows.count < area.height {
            let lines = state.cache.lines(current.paragraph, part: current.part, width: width)
            rows.append((current, current.line < lines.count ? lines[current.line] : nil))
            row = state.nextRow(current)
        }
        let shown = rows.compactMap { $0.1?.range }.filter { !$0.isEmpty }
        let visible = (shown.first?.lowerBound ?? 0)..<(shown.last?.upperBound ?? 0)
        let annotations = state.annotations(overlapping: visible).filter { state.filter?.matches($0) ?? true }
        let highlight: Range<Int>? = state.mode == .selecting ? state.selection?.range : state.focusRange
        for (index, (position, line)) in rows.enumerated() {
            guard let line else { continue }
            let boilerplate = state.isBoilerplate(position.paragraph)
            let base = boilerplate ? state.theme.boilerplate
                : document.paragraph(position.paragraph)?.kind == .heading ? state.theme.heading : state.theme.text
            if boilerplate {
                buffer.put(state.theme.boilerplateMark, row: area.row + index, column: area.column, style: state.theme.boilerplate)
            }
            // the keys of the categories tagged on this line, in order, for the margins
            var keys: [String] = []
            // the last column drawn, for a mark that starts a line in the text (Wrapper)
            var lastDrawn: Int?
            // a glyph with no columns (indentation a reflowed line ending swallows) has no cell
            for glyph in line.glyphs where glyph.column + glyph.width <= width {
                guard glyph.width > 0 else {
                    if let lastDrawn, !glyph.character.isWhitespace, Wrapper.isJoinedMark(glyph.character) {
                        buffer.attach(glyph.character, row: area.row + index, column: lastDrawn)
                    }
                    continue
                }
                lastDrawn = left + glyph.column + glyph.width - 1
                var style = base
                let covering = annotations.filter { $0.start < glyph.range.upperBound && $0.end > glyph.range.lowerBound }
                if let innermost = covering.min(by: { ($0.end - $0.start) < ($1.end - $1.start) }) {
                    style = state.theme.colored(style, category: categoryColor(of: innermost, in: state.codebook))
                    if innermost.id == state.currentAnnotationID { style = state.theme.current(style) }
                    if state.theme.marksCategories {
                        let key = categoryKey(of: innermost, in: state.codebook)
                        if keys.last != key { keys.append(key) }
                    }
                    if covering.count > 1 || style.foreground == .default { style.underline = true }
                }
                if let highlight, highlight.lowerBound < glyph.range.upperBound, highlight.upperBound > glyph.range.lowerBound {
                    style = state.theme.focused(style)
                }
                if state.mode != .selecting, let match = state.searchMatch,
                   match.lowerBound < glyph.range.upperBound, match.upperBound > glyph.range.lowerBound {
                    style = state.theme.searchMatch(style)
                }
                if glyph.character == "\t" {
                    buffer.fill(row: area.row + index, columns: (left + glyph.column)..<(left + glyph.column + glyph.width), style: style)
                } else {
                    buffer.put(character: glyph.character, row: area.row + index, column: left + glyph.column, style: style, limit: limit)
                }
            }
            // without colour the margins name the categories: the first on the line at the
            // left (over a boilerplate mark), the last at the right when it is another
            if let first = keys.first {
                buffer.put(first, row: area.row + index, column: area.column, style: state.theme.categoryMark, limit: left)
                if let last = keys.last, last != first {
                    buffer.put(last, row: area.row + index, column: limit, style: state.theme.categoryMark, limit: limit + PaneGeometry.textMargin)
                }
            }
        }
    }

    /// The key of the category of `annotation`'s first tag; `?` when it has no tag or the
    /// category is not in `codebook`.
    static func categoryKey(of annotation: Annotation, in codebook: Codebook) -> String {
        guard let tag = annotation.tags.first, let category = codebook.category(id: tag.category) else { return "?" }
        return category.key
    }

    /// The colour name of `annotation`'s first tag's category; "" (the default colour)
    /// when it has no tag or the category is not in `codebook`.
    static func categoryColor(of annotation: Annotation, in codebook: Codebook) -> String {
        guard let tag = annotation.tags.first, let category = codebook.category(id: tag.category) else { return "" }
        return category.color
    }

    static func drawBorder(_ geometry: PaneGeometry, theme: Theme, into buffer: inout ScreenBuffer) {
        let rule = theme.rule
        if geometry.sideBySide {
            let column = geometry.text.column + geometry.text.width
            for row in 0..<geometry.text.height { buffer.put("│", row: row, column: column, style: rule) }
        } else {
            let row = geometry.text.row + geometry.text.height
            buffer.put(String(repeating: "─", count: buffer.width), row: row, column: 0, style: rule)
        }
    }
}
