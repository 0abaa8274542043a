import GlossCore

/// The help overlay: the key table, grouped under headings, in a box over the panes.
extension Renderer {
    // MARK: - Help

    static func drawHelp(_ state: AppState, into buffer: inout ScreenBuffer) {
        drawHelp(rows: state.keymap.groupedHelpRows, pane: state.help, theme: state.theme, into: &buffer)
    }

    /// The help box listing `rows` under their headings, scrolled and searched as `pane`
    /// says, over whatever `buffer` holds. Descriptions wrap onto continuation lines; each
    /// row ends with its command's `:name`.
    static func drawHelp(rows: [HelpRow], pane: HelpPane, theme: Theme, into buffer: inout ScreenBuffer) {
        let layout = HelpLayout(rows: rows, pane: pane, width: buffer.width, height: buffer.height)
        let (top, left, width, height) = (layout.top, layout.left, layout.width, layout.height)
        guard width >= 8, height >= 4 else { return }
        let frame = theme.heading
        drawBox(title: "Gloss keys", top: top, left: left, width: width, height: height, theme: theme, into: &buffer)
        let inner = left + width - 2
        let scroll = min(pane.scroll, layout.maxScroll)
        // the search line: what is typed, or the search kept, and how many rows it kept
        if pane.searching || !pane.query.isEmpty {
            let count = " \(layout.matchCount) of \(rows.count)"
            var column = buffer.put("/", row: top + 1, column: left + 2, style: frame, limit: inner)
            column = buffer.put(truncateStart(pane.query, to: max(1, inner - column - DisplayWidth.columns(of: count) - 1)), row: top + 1,
                                column: column, style: theme.text, limit: inner)
            if pane.searching { column = buffer.put(" ", row: top + 1, column: column, style: theme.promptCursor, limit: inner) }
            buffer.put(count, row: top + 1, column: column, style: theme.hint, limit: inner)
        }
        let textColumn = left + 5 + layout.keyWidth
        for (offset, line) in layout.lines.dropFirst(scroll).prefix(layout.capacity).enumerated() {
            let row = top + 2 + offset
            switch line {
            case .heading(let title):
                buffer.put(title, row: row, column: left + 2, style: frame, limit: inner)
            case .entry(let keys, let text, let command):
                buffer.put(keys, row: row, column: left + 3, style: frame, limit: min(inner, textColumn - 1))
                let column = buffer.put(text, row: row, column: textColumn, style: theme.text, limit: inner)
                if let command { buffer.put(command, row: row, column: text.isEmpty ? column : column + 2, style: theme.hint, limit: inner) }
            }
        }
        if layout.lines.isEmpty {
            buffer.put("No key or command has “\(pane.query)”", row: top + 2, column: left + 2, style: theme.hint, limit: inner)
        }
        // the bottom edge says how to move, and where the lines shown are
        let position = layout.maxScroll > 0 ? " \(scroll + 1)-\(min(layout.lines.count, scroll + layout.capacity)) of \(layout.lines.count) " : ""
        let footers = pane.searching ? [" Enter keeps · Esc drops ", " Enter · Esc "]
            : [" / search · j k scroll · other keys close ", " / search · other keys close ", " / · j k · other keys close "]
        let footer = footers.first { DisplayWidth.columns(of: $0) + 2 <= width - 2 } ?? ""
        let footerWidth = DisplayWidth.columns(of: footer)
        let bottom = top + height - 1
        if !footer.isEmpty {
            buffer.put(footer, row: bottom, column: left + max(1, width - footerWidth - 2), style: frame)
        }
        if !position.isEmpty, DisplayWidth.columns(of: position) + footerWidth + 4 <= width {
            buffer.put(position, row: bottom, column: left + 2, style: frame)
        }
    }
}
