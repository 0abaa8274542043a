import Foundation
import GlossCore

/// Where the summary pane goes on a screen: a box over the panes, as the codebook view's,
/// with a line of totals under its title, the rows, and its keys on its last line.
struct SummaryBox {
    /// The box's first row and column, and its size in cells.
    let top: Int, left: Int, width: Int, height: Int

    /// The box for a screen of `width` x `height` cells.
    init(width: Int, height: Int) {
        self.width = max(0, min(width - 2, 100))
        self.height = max(2, height - 1)
        top = 0
        left = max(0, (width - self.width) / 2)
    }

    /// The first column text starts at, and the column it stops before.
    var textStart: Int { left + 2 }
    var textEnd: Int { left + width - 2 }
    /// Rows between the totals line and the keys line: how many rows of the pane show.
    var capacity: Int { max(1, height - 4) }
}

/// The summary pane: per category its tags and documents, each value's tags as a bar with
/// the number beside it and its documents on the right, then the co-occurring pairs of
/// values as bars, most first, per category pair and basis. Bars are block characters
/// with an eighth-block for the rest, scaled to the largest count of their part (tags,
/// co-occurrences). Labels come from stores and codebooks: their control characters are
/// drawn as pictures (``ControlPictures``) and long ones cut with an ellipsis by display width.
extension Renderer {
    /// The eighth blocks a bar ends with, by eighths (0 draws nothing).
    static let eighthBlocks: [String] = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"]

    /// `count` as a bar at most `cells` columns long when it equals `largest`: full blocks
    /// `█` and an eighth block for the rest, rounded to the nearest eighth; a count above
    /// zero shows at least `▏`.
    static func bar(_ count: Int, largest: Int, cells: Int) -> String {
        guard count > 0, largest > 0, cells > 0 else { return "" }
        let eighths = max(1, min(cells * 8, (count * cells * 16 + largest) / (2 * largest)))
        return String(repeating: "█", count: eighths / 8) + eighthBlocks[eighths % 8]
    }

    /// How the pane's columns are laid out for `rows`, the same whatever part shows, so
    /// bars keep their length while the pane scrolls.
    struct SummaryColumns {
        /// Indent of value and pair rows under their heading.
        static let indent = 2
        let label: Int, bar: Int, count: Int
        /// The largest tags of a value, and the largest co-occurrence count: what each
        /// part's bars are scaled to.
        let largestTags: Int, largestPair: Int

        init(rows: [SummaryRow], inner: Int) {
            var labelWidth = 0, largestTags = 0, largestPair = 0, documentsWidth = 0
            for row in rows {
                switch row.kind {
                case .value(let label, _, let tags, let documents):
                    labelWidth = max(labelWidth, DisplayWidth.columns(of: Renderer.shown(label)))
                    largestTags = max(largestTags, tags)
                    documentsWidth = max(documentsWidth, DisplayWidth.columns(of: Renderer.documentsText(documents)))
                case .pair(let row, let column, _, let count):
                    labelWidth = max(labelWidth, DisplayWidth.columns(of: Renderer.pairLabel(row, column, width: .max)))
                    largestPair = max(largestPair, count)
                default: break
                }
            }
            label = min(labelWidth, max(10, inner * 9 / 20))
            count = String(max(largestTags, largestPair)).count
            let documents = documentsWidth > 0 ? documentsWidth + 2 : 0
            bar = max(1, inner - Self.indent - label - 1 - 1 - count - documents)
            self.largestTags = largestTags
            self.largestPair = largestPair
        }
    }

    /// `text` with control and bidi formatting characters as pictures, as `gloss stats`
    /// prints it in a table.
    static func shown(_ text: String) -> String {
        ControlPictures.visible(text, showingBidiControls: true)
    }

    /// `row × column` in `width` columns: when it is too long, each value is cut with an
    /// ellipsis to its share (half, or what the other leaves), so both stay readable.
    static func pairLabel(_ row: String, _ column: String, width: Int) -> String {
        let (row, column) = (shown(row), shown(column))
        let separator = " × "
        let (rowWidth, columnWidth) = (DisplayWidth.columns(of: row), DisplayWidth.columns(of: column))
        let room = width - DisplayWidth.columns(of: separator)
        guard rowWidth + columnWidth > room else { return row + separator + column }
        guard room >= 2 else { return truncate(row + separator + column, to: width) }
        let rowRoom = max(room / 2, room - columnWidth)
        return truncate(row, to: rowRoom) + separator + truncate(column, to: room - min(rowWidth, rowRoom))
    }

    /// `1 doc`, `2 docs`.
    static func documentsText(_ count: Int) -> String {
        "\(count) doc\(count == 1 ? "" : "s")"
    }

    static func drawSummary(_ state: AppState, into buffer: inout ScreenBuffer) {
        guard let pane = state.summary else { return }
        let theme = state.theme
        let box = SummaryBox(width: buffer.width, height: buffer.height)
        // the pane takes the screen above the status line: nothing of the panes shows beside it
        for row in 0..<max(0, buffer.height - 1) { buffer.fill(row: row, columns: 0..<buffer.width, style: theme.text) }
        drawBox(title: truncate(shown(pane.title), to: max(1, box.width - 6)), top: box.top, left: box.left,
                width: box.width, height: box.height, theme: theme, into: &buffer)
        let start = box.textStart, end = box.textEnd
        let inner = max(1, end - start)
        let totals: String
        if let counts = pane.counts {
            let statistics = counts.report.statistics
            let tags = statistics.tags.values.reduce(0, +)
            totals = "\(statistics.documents.count) document(s), \(statistics.annotations) annotation(s), \(tags) tag(s), as gloss stats counts them"
        } else {
            totals = state.inCorpus ? "Counting the tags of every document…" : "Counting…"
        }
        buffer.put(truncate(totals, to: inner), row: box.top + 1, column: start, style: theme.hint, limit: end)
        let keys = "j k scroll · PgDn PgUp page · g G start, end · Esc close"
        buffer.put(truncate(keys, to: inner), row: box.top + box.height - 2, column: start, style: theme.hint, limit: end)

        let rows = pane.rows
        let capacity = box.capacity
        let first = max(0, min(pane.scroll, rows.count - capacity))
        let columns = SummaryColumns(rows: rows, inner: inner)
        for (offset, row) in rows.dropFirst(first).prefix(capacity).enumerated() {
            let y = box.top + 2 + offset
            var column = start
            func put(_ text: String, _ style: Style, from: Int? = nil) {
                let from = from ?? column
                column = buffer.put(truncate(text, to: max(0, end - from)), row: y, column: from, style: style, limit: end)
            }
            switch row.kind {
            case .note(let text, let isError):
                put(shown(text), isError ? theme.error(theme.text) : theme.hint)
            case .blank:
                break
            case .part(let title, let unit):
                put(title, theme.heading)
                put("  " + unit, theme.hint)
            case .category(let label, let key, let color, let tags, let documents):
                var style = theme.colored(theme.heading, category: color)
                style.bold = true
                put(theme.marker(key: key) + shown(label), style)
                put("  \(tags) tag\(tags == 1 ? "" : "s") in \(documents) document\(documents == 1 ? "" : "s")", theme.hint)
            case .table(let title, let unit, let empty):
                put(shown(title), theme.heading)
                put(empty ? "  none" : "  " + unit, theme.hint)
            case .empty(let text):
                put("(\(text))", theme.hint, from: start + SummaryColumns.indent)
            case .value(let label, let color, let count, let documents):
                drawBarRow(label: shown(label), color: color, count: count, largest: columns.largestTags, row: y, start: start, end: end,
                           columns: columns, theme: theme, into: &buffer)
                let text = documentsText(documents)
                buffer.put(text, row: y, column: end - DisplayWidth.columns(of: text), style: theme.hint, limit: end)
            case .pair(let rowValue, let columnValue, let color, let count):
                drawBarRow(label: pairLabel(rowValue, columnValue, width: columns.label), color: color, count: count, largest: columns.largestPair, row: y, start: start, end: end,
                           columns: columns, theme: theme, into: &buffer)
            }
        }
        if rows.count > capacity {
            let more = "\(first + 1)–\(min(rows.count, first + capacity)) of \(rows.count)"
            buffer.put(" \(more) ", row: box.top + box.height - 1, column: end - DisplayWidth.columns(of: more) - 2, style: theme.heading)
        }
    }

    /// One bar row: the label (controls already shown as pictures) cut to its column, the
    /// bar in the category's colour, and the count just after it.
    private static func drawBarRow(label: String, color: String, count: Int, largest: Int, row: Int, start: Int, end: Int,
                                   columns: SummaryColumns, theme: Theme, into buffer: inout ScreenBuffer) {
        let labelStart = start + SummaryColumns.indent
        buffer.put(truncate(label, to: columns.label), row: row, column: labelStart, style: theme.text, limit: labelStart + columns.label)
        let barStart = labelStart + columns.label + 1
        let after = buffer.put(bar(count, largest: largest, cells: columns.bar), row: row, column: barStart,
                               style: theme.colored(theme.text, category: color), limit: end)
        buffer.put(" \(count)", row: row, column: after, style: theme.text, limit: end)
    }
}
