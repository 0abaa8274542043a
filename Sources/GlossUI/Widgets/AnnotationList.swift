import GlossCore

/// The annotation list: every annotation, orphan and invalid record, two rows each.
extension Renderer {
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
        // the document memo, discreetly: M opens it
        if !state.contents.memo.isEmpty { header += " · Memo ✎" }
        buffer.put(truncate(header, to: area.width - 1), row: area.row, column: left,
                   style: { var style = state.theme.heading; style.underline = state.mode == .list; return style }(), limit: limit)
        if state.listEntryCount == 0, state.filter != nil {
            buffer.put(truncate("No annotation passes the filter; F clears it", to: area.width - 1), row: area.row + 2, column: left,
                       style: state.theme.hint, limit: limit)
            return
        }
        if state.listEntryCount == 0 {
            let hints = ["None yet. Press a tag key", "to tag the focused sentence:"]
                + state.codebook.categories.map { "  \(state.keymap.keyLabel(for: .tag(category: $0.id)) ?? "·")  \($0.label)" }
                + ["v selects a span first."]
            for (index, hint) in hints.enumerated() where index + 2 < area.height {
                buffer.put(hint, row: area.row + 2 + index, column: left, style: state.theme.hint, limit: limit)
            }
            return
        }
        let (first, capacity, selected) = listWindow(state, height: area.height)
        for (slot, index) in (first..<min(state.listEntryCount, first + capacity)).enumerated() {
            let row = area.row + 1 + slot * entryRows
            let isSelected = index == selected
            let base = isSelected && state.mode == .list ? state.theme.focused(state.theme.text) : state.theme.text
            if isSelected && state.mode == .list { buffer.fill(row: row, columns: area.column..<limit, style: base) }
            buffer.put(isSelected ? "▸" : " ", row: row, column: area.column, style: base, limit: limit)
            let warning = state.theme.error(base)
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
            // only the start of a long quote can show; the rest is never read
            let start = quote.prefix(max(8, area.width * 2))
            // line endings as the text pane draws them (a soft hyphen or a mark joins), then one line
            let joined = ReflowedText(String(start)).text
            let shown = "“" + joined.split(whereSeparator: \.isWhitespace).joined(separator: " ") + (start.endIndex < quote.endIndex ? " …" : "") + "”"
            buffer.put(truncate(shown, to: area.width - 3), row: row + 1, column: left + 1, style: state.theme.hint, limit: limit)
        }
    }

    /// The entries the list shows in `height` rows: the first one, how many fit, and the
    /// highlighted one (in the list, its highlight; elsewhere the current annotation).
    static func listWindow(_ state: AppState, height: Int) -> (first: Int, capacity: Int, selected: Int?) {
        let selected: Int? = state.mode == .list ? state.listIndex
            : state.currentAnnotationID.flatMap { id in state.listedAnnotations.firstIndex { $0.id == id } }
        let capacity = max(1, (height - 1) / entryRows)
        let first = selected.map { $0 < capacity ? 0 : $0 - capacity + 1 } ?? 0
        return (first, capacity, selected)
    }

    /// The tags of `annotation` from column `start`, cut with an ellipsis; a note marker
    /// keeps its place at the end.
    static func drawTags(of annotation: Annotation, state: AppState, row: Int, from start: Int, limit: Int,
                         base: Style, into buffer: inout ScreenBuffer) {
        let noteMarker = (annotation.conflict == nil ? "" : " !") + (annotation.note.isEmpty ? "" : " ✎")
        let tagLimit = limit - DisplayWidth.columns(of: noteMarker)
        var column = start
        var pieces: [(String, Style)] = []
        if annotation.tags.isEmpty { pieces.append(("(untagged)", { var style = state.theme.hint; style.reverse = base.reverse; return style }())) }
        for (number, tag) in annotation.tags.enumerated() {
            if number > 0 { pieces.append((" · ", base)) }
            let category = state.codebook.category(id: tag.category)
            var labelStyle = state.theme.colored(base, category: category?.color ?? "")
            labelStyle.bold = true
            pieces.append((state.theme.marker(key: category?.key) + (category?.label ?? tag.category), labelStyle))
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
}
