import Foundation

/// ``CorpusStatistics`` laid out for showing: categories, values and co-occurrence cells
/// in the order `gloss stats` prints them and the reader's summary pane draws them, so
/// both show the same figures in the same order.
public struct StatisticsReport: Sendable {
    /// The counts.
    public let statistics: CorpusStatistics
    /// The codebooks' categories, in codebook order (the first codebook's first;
    /// ``CorpusStatistics/categories(of:)``).
    public let categories: [Category]
    /// The category pairs whose co-occurrence was counted, rows first
    /// (``CorpusStatistics/pairs(of:)``).
    public let pairs: [(rows: String, columns: String)]

    /// Creates the report.
    public init(statistics: CorpusStatistics, categories: [Category], pairs: [(rows: String, columns: String)]) {
        self.statistics = statistics
        self.categories = categories
        self.pairs = pairs
    }

    /// Category ids in output order: the codebooks', then others found in tags, sorted.
    public var categoryIDs: [String] {
        let known = categories.map(\.id)
        let others = Set(statistics.tags.keys.map(\.category)).subtracting(known)
        return known + others.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    /// The label of the category with id `category` in the codebooks; the id itself for
    /// a category they lack, `(no category)` for an empty id.
    public func label(of category: String) -> String {
        categories.first { $0.id == category }?.label ?? (category.isEmpty ? "(no category)" : category)
    }

    /// Every category and value with tags, by category order, then most tags first,
    /// then value.
    public var values: [CategoryValue] {
        let order = Dictionary(uniqueKeysWithValues: categoryIDs.enumerated().map { ($1, $0) })
        return statistics.tags.keys.sorted { a, b in
            let (ca, cb) = (order[a.category] ?? 0, order[b.category] ?? 0)
            if ca != cb { return ca < cb }
            let (ta, tb) = (statistics.tags[a] ?? 0, statistics.tags[b] ?? 0)
            if ta != tb { return ta > tb }
            return a.value.utf8.lexicographicallyPrecedes(b.value.utf8)
        }
    }

    /// Tags of the category with id `category`, over every document.
    public func tags(ofCategory category: String) -> Int {
        statistics.tags.reduce(0) { $0 + ($1.key.category == category ? $1.value : 0) }
    }

    /// Documents with at least one tag of the category with id `category`.
    public func documents(withCategory category: String) -> Int {
        statistics.documents.filter { ($0.tagsByCategory[category] ?? 0) > 0 }.count
    }

    /// The rows and columns of one co-occurrence table: the values with a count in it,
    /// in ``values`` order.
    public func axes(rows: String, columns: String, basis: CoOccurrenceBasis) -> (rows: [CategoryValue], columns: [CategoryValue]) {
        var rowSet = Set<CategoryValue>(), columnSet = Set<CategoryValue>()
        for key in statistics.coOccurrences.keys where key.basis == basis && key.row.category == rows && key.column.category == columns {
            rowSet.insert(key.row)
            columnSet.insert(key.column)
        }
        let ordered = values
        return (ordered.filter(rowSet.contains), ordered.filter(columnSet.contains))
    }

    /// The cells of one co-occurrence table that are not zero, row by row in ``axes``
    /// order, each row's columns in that order.
    public func cells(rows: String, columns: String, basis: CoOccurrenceBasis) -> [(row: CategoryValue, column: CategoryValue, count: Int)] {
        let axes = axes(rows: rows, columns: columns, basis: basis)
        var cells: [(row: CategoryValue, column: CategoryValue, count: Int)] = []
        for row in axes.rows {
            for column in axes.columns {
                guard let count = statistics.coOccurrences[CoOccurrenceKey(basis: basis, row: row, column: column)] else { continue }
                cells.append((row, column, count))
            }
        }
        return cells
    }
}
