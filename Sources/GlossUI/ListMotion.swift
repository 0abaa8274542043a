/// Where a move takes the highlighted row of a list, or the first row a scrolled pane
/// shows: a row, a page, or an end. The reader's annotation list, the corpus's document
/// and annotation lists and the summary pane all move through it, so their keys agree.
enum ListMotion {
    /// The index `action` moves `index` to among `count` rows shown `page` at a time,
    /// kept in `0..<count` (0 when there are none); nil when `action` is not a move.
    /// - Parameters:
    ///   - action: `listDown` `listUp` (a row), `pageDown` `pageUp` (`page` rows),
    ///     `documentStart` `documentEnd` (the ends).
    ///   - page: rows on screen; a page moves at least one row.
    static func target(of action: Action, from index: Int, count: Int, page: Int) -> Int? {
        let step: Int
        switch action {
        case .listDown: step = 1
        case .listUp: step = -1
        case .pageDown: step = max(1, page)
        case .pageUp: step = -max(1, page)
        case .documentStart: return 0
        case .documentEnd: return max(0, count - 1)
        default: return nil
        }
        return max(0, min(count - 1, index + step))
    }
}
