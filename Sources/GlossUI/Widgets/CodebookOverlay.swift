import Foundation
import GlossCore

/// The codebook view: a box over the panes with the codebook's file, then each category
/// (fold marker, label in its colour, key, colour, count of its tags in this document),
/// its description, its values as a tree (narrower values indented under theirs, aliases
/// after each, counts on the right), and the values tagged here that the codebook lacks;
/// the view's keys on its last line. Strings from the codebook file are drawn through
/// ``ScreenBuffer/put(_:row:column:style:limit:)``, which shows control characters as
/// pictures.
extension Renderer {
    static func drawCodebook(_ state: AppState, into buffer: inout ScreenBuffer) {
        let theme = state.theme
        let codebook = state.codebook
        let boxWidth = min(buffer.width - 2, 100)
        let boxHeight = max(2, buffer.height - 1)
        let top = 0
        let left = max(0, (buffer.width - boxWidth) / 2)
        let inner = max(1, boxWidth - 4)
        let right = left + boxWidth - 2
        drawBox(title: truncate("Codebook: " + codebook.name, to: max(1, boxWidth - 6)), top: top, left: left,
                width: boxWidth, height: boxHeight, theme: theme, into: &buffer)
        let source: String
        if let file = state.codebookFile {
            source = file.isBundledCopy ? "the bundled codebook; the first edit creates \(file.path)" : file.path
        } else {
            source = "in memory only"
        }
        buffer.put(truncate(source, to: inner), row: top + 1, column: left + 2, style: theme.hint, limit: right)
        let keys = "j k move · Enter fold · a add value (under the highlighted one) · A add category · Esc close"
        buffer.put(truncate(keys, to: inner), row: top + boxHeight - 2, column: left + 2, style: theme.hint, limit: right)

        let rows = state.codebookRows
        let capacity = max(0, boxHeight - 4)
        let cursor = min(state.codebookCursor, max(0, rows.count - 1))
        let first = rows.count <= capacity ? 0 : max(0, min(cursor - capacity / 2, rows.count - capacity))
        let countWidth = 9
        for (offset, row) in rows.dropFirst(first).prefix(capacity).enumerated() {
            let y = top + 2 + offset
            let indent = String(repeating: "  ", count: row.depth)
            let textLimit = right - countWidth - 1
            var column = left + 2
            func put(_ text: String, _ style: Style, limit: Int? = nil) {
                let end = limit ?? textLimit
                column = buffer.put(truncate(text, to: max(0, end - column)), row: y, column: column, style: style, limit: end)
            }
            var countText = ""
            switch row.kind {
            case .category(let id):
                guard let category = codebook.category(id: id) else { continue }
                let folded = state.foldedCategories.contains(id)
                put((folded ? "▸ " : "▾ "), theme.heading)
                var labelStyle = theme.colored(theme.heading, category: category.color)
                labelStyle.bold = true
                put(theme.marker(key: category.key) + category.label, labelStyle)
                put("  key " + (state.keymap.keyLabel(for: .tag(category: id)) ?? "none") + " · " + category.color.lowercased() + " · " + category.id, theme.hint)
                countText = "\(row.count) tag\(row.count == 1 ? "" : "s")"
            case .description(let id):
                put(indent + (codebook.category(id: id)?.description ?? ""), theme.hint, limit: right)
            case .value(_, let value, let aliases, _):
                put(indent + value, theme.text)
                if !aliases.isEmpty { put("  = " + aliases.joined(separator: ", "), theme.hint) }
                countText = "\(row.count)"
            case .unlistedHeading:
                put(indent + "not in the codebook (a adds one):", theme.hint, limit: right)
            case .unlisted(_, let value):
                put(indent + value, theme.text)
                countText = "\(row.count)"
            case .noValues:
                put(indent + "(no values yet: a adds one)", theme.hint, limit: right)
            }
            if !countText.isEmpty {
                let start = right - DisplayWidth.columns(of: countText)
                buffer.put(countText, row: y, column: start, style: row.count == 0 ? theme.hint : theme.text, limit: right)
            }
            if first + offset == cursor, row.isSelectable {
                buffer.restyle(row: y, columns: (left + 1)..<(right + 1)) { $0.reverse = true }
            }
        }
        if rows.count > capacity, capacity > 0 {
            let more = "\(first + 1)–\(min(rows.count, first + capacity)) of \(rows.count)"
            buffer.put(" \(more) ", row: top + boxHeight - 1, column: right - DisplayWidth.columns(of: more) - 2, style: theme.heading)
        }
    }
}

extension AppState {
    /// True while the codebook view shows: open, or under a prompt or the help it opened.
    public var showsCodebook: Bool {
        mode == .codebook || ((mode == .prompt || mode == .help) && underlyingMode == .codebook)
    }
}
