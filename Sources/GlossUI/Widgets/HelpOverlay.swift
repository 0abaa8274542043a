import GlossCore

/// The help overlay: the key table in a box over the panes.
extension Renderer {
    // MARK: - Help

    static func drawHelp(_ state: AppState, into buffer: inout ScreenBuffer) {
        drawHelp(rows: state.keymap.helpRows, theme: state.theme, into: &buffer)
    }

    /// The help box listing `rows` (keys, description), over whatever `buffer` holds.
    static func drawHelp(rows: [(keys: String, description: String)], theme: Theme, into buffer: inout ScreenBuffer) {
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
        let frame = theme.heading
        drawBox(title: "Gloss keys", top: top, left: left, width: boxWidth, height: boxHeight, theme: theme, into: &buffer)
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
            buffer.put(entry.keys, row: row, column: start, style: theme.heading, limit: min(limit, start + keyWidth))
            buffer.put(truncate(entry.description, to: max(0, limit - start - keyWidth - 2)), row: row, column: start + keyWidth + 2, style: theme.text, limit: limit)
        }
        if perColumn > capacity, capacity > 0 {
            buffer.put(truncate("… enlarge the terminal to see every key", to: max(0, boxWidth - 4)), row: top + boxHeight - 2, column: left + 2, style: theme.hint, limit: left + boxWidth - 2)
        }
    }
}
