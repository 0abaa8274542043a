import Foundation
import GlossCore

/// The counts the summary pane draws: `gloss stats`'s, made by the same code
/// (``CorpusStatistics/count(_:codebooks:pairs:inMemory:isCancelled:)``, laid out by
/// ``StatisticsReport``), over a corpus's documents or one document, and what was left out.
public struct SummaryCounts: Sendable {
    /// The counts, in `gloss stats`'s order.
    public var report: StatisticsReport
    /// Documents without an annotation store: left out, not an error.
    public var withoutStore: Int
    /// Why documents could not be counted, one message each, naming the file.
    public var failures: [String]

    /// Counts with what was left out.
    public init(report: StatisticsReport, withoutStore: Int = 0, failures: [String] = []) {
        self.report = report
        self.withoutStore = withoutStore
        self.failures = failures
    }

    /// Counts `documents` as `gloss stats` does, taking document `openIndex` from memory
    /// (`open`: its text, its annotations as the reader holds them, saved or not, and its
    /// codebook) and the others from their files.
    /// - Parameters:
    ///   - codebooks: each document's codebook, or why it has none; the open one's is
    ///     replaced by `open`'s.
    ///   - open: nil counts the open document from its files too.
    ///   - opening: how the other documents' texts are read.
    ///   - isCancelled: asked before each document; once true, the counts are partial.
    public static func count(_ documents: [CorpusDocument], codebooks: [Result<Codebook, Error>], open: CorpusEntry?, openIndex: Int,
                             opening: @escaping DocumentOpening = CorpusEntry.plainText,
                             isCancelled: @escaping @Sendable () -> Bool = { false }) -> SummaryCounts {
        var codebooks = codebooks
        if let open, openIndex < codebooks.count { codebooks[openIndex] = .success(open.codebook) }
        let categories = CorpusStatistics.categories(of: codebooks)
        let pairs = CorpusStatistics.pairs(of: categories.map(\.id))
        let counted = CorpusStatistics.count(documents, codebooks: codebooks, pairs: pairs, inMemory: open.map { [openIndex: $0] } ?? [:],
                                             opening: opening, isCancelled: isCancelled)
        var counts = SummaryCounts(report: StatisticsReport(statistics: counted.statistics, categories: categories, pairs: pairs))
        for note in counted.notes {
            switch note {
            case .skipped: counts.withoutStore += 1
            case .failed(let message, let advice): counts.failures.append(message + (advice.map { " (\($0))" } ?? ""))
            case .notes: break
            }
        }
        return counts
    }

    /// The pane's rows: what was left out, then per category its tags and the documents
    /// with them and each value's (most tags first), then per category pair and
    /// co-occurrence basis the pairs of values found together, most first.
    public var rows: [SummaryRow] {
        var rows: [SummaryRow] = []
        if withoutStore > 0 {
            rows.append(SummaryRow(kind: .note("\(withoutStore) document\(withoutStore == 1 ? "" : "s") without an annotation store not counted", isError: false)))
        }
        for failure in failures {
            // the command line's "gloss: " adds nothing in the reader
            let reason = failure.hasPrefix("gloss: ") ? String(failure.dropFirst("gloss: ".count)) : failure
            rows.append(SummaryRow(kind: .note("Not counted: " + reason, isError: true)))
        }
        if !rows.isEmpty { rows.append(SummaryRow(kind: .blank)) }
        let statistics = report.statistics
        let values = report.values
        rows.append(SummaryRow(kind: .part("Tags per value", unit: "bars count tags; documents with the value on the right")))
        for id in report.categoryIDs {
            let category = report.categories.first { $0.id == id }
            let color = category?.color ?? ""
            rows.append(SummaryRow(kind: .category(label: report.label(of: id), key: category?.key, color: color, tags: report.tags(ofCategory: id),
                                                   documents: report.documents(withCategory: id))))
            let own = values.filter { $0.category == id }
            if own.isEmpty { rows.append(SummaryRow(kind: .empty("no tags"))) }
            for value in own {
                rows.append(SummaryRow(kind: .value(label: Self.name(of: value), color: color, tags: statistics.tags[value] ?? 0,
                                                    documents: statistics.documentsWith[value] ?? 0)))
            }
        }
        rows.append(SummaryRow(kind: .blank))
        rows.append(SummaryRow(kind: .part("Co-occurring tags", unit: "each basis counted apart, most first")))
        for pair in report.pairs {
            let color = report.categories.first { $0.id == pair.rows }?.color ?? ""
            for basis in CoOccurrenceBasis.allCases {
                // most first; the sort is stable, so ties keep the values' order
                let cells = report.cells(rows: pair.rows, columns: pair.columns, basis: basis)
                    .enumerated().sorted { ($0.element.count, $1.offset) > ($1.element.count, $0.offset) }.map(\.element)
                rows.append(SummaryRow(kind: .table(title: "\(report.label(of: pair.rows)) × \(report.label(of: pair.columns)) · \(basis.label)",
                                                    unit: basis.unit, empty: cells.isEmpty)))
                for cell in cells {
                    rows.append(SummaryRow(kind: .pair(row: Self.name(of: cell.row), column: Self.name(of: cell.column), color: color, count: cell.count)))
                }
            }
        }
        return rows
    }

    /// How a value is named, as `gloss stats` names it: with its codebook path
    /// (`state/Turkey`), `(no value)` when empty.
    static func name(of value: CategoryValue) -> String {
        value.value.isEmpty ? "(no value)" : value.value
    }
}

/// One row of the summary pane (``SummaryCounts/rows``).
public struct SummaryRow: Hashable, Sendable {
    /// What a row shows. Labels are as the store and codebook hold them; the pane draws
    /// their control characters as pictures.
    public enum Kind: Hashable, Sendable {
        /// Documents left out, or why one could not be counted (`isError`).
        case note(String, isError: Bool)
        /// A blank row between parts.
        case blank
        /// The heading of a part (tags per value, co-occurring tags) and what its
        /// numbers count.
        case part(String, unit: String)
        /// A category: its label, key (nil when no codebook has it) and colour, its tags
        /// and the documents with any.
        case category(label: String, key: String?, color: String, tags: Int, documents: Int)
        /// A value of the category above: its name (with its codebook path), tags and
        /// documents with it; drawn as a bar.
        case value(label: String, color: String, tags: Int, documents: Int)
        /// A co-occurrence table: its categories and basis, what it counts, and whether
        /// it has no pairs.
        case table(title: String, unit: String, empty: Bool)
        /// Two values found together (drawn `row × column`) and how often; drawn as a bar
        /// in the row category's colour.
        case pair(row: String, column: String, color: String, count: Int)
        /// A category without tags.
        case empty(String)
    }

    /// What the row shows.
    public var kind: Kind

    /// The number a bar row draws; nil for other rows.
    public var barCount: Int? {
        switch kind {
        case .value(_, _, let tags, _): tags
        case .pair(_, _, _, let count): count
        default: nil
        }
    }
}

/// The state of the summary pane while it is open.
public struct SummaryPane: Sendable {
    /// What it counts, for its title: the corpus, or the document's file name.
    public var title: String
    /// The counts; nil while they are being counted.
    public internal(set) var counts: SummaryCounts?
    /// The rows of ``counts`` (empty while counting).
    public internal(set) var rows: [SummaryRow] = []
    /// The first row shown.
    public internal(set) var scroll = 0
}

extension AppState {
    /// True while the summary pane shows: open, or under the help it opened.
    public var showsSummary: Bool {
        mode == .summary || (mode == .help && underlyingMode == .summary)
    }

    /// Opens the summary pane, which asks for the counts (``Effect/countSummary``; they
    /// come back as ``BackgroundResult/summaryCounted(_:)``), or closes it when it is open.
    mutating func toggleSummary() -> [Effect] {
        if mode == .summary {
            mode = summaryReturnMode
            summary = nil
            return []
        }
        summaryReturnMode = mode == .list ? .list : .reading
        mode = .summary
        summary = SummaryPane(title: inCorpus ? "Summary of the corpus" : "Summary of " + document.fileName)
        return [.countSummary]
    }

    /// Takes the counts the pane asked for, if it is still open.
    mutating func takeSummary(_ counts: SummaryCounts) {
        guard var pane = summary, pane.counts == nil else { return }
        pane.counts = counts
        pane.rows = counts.rows
        summary = pane
    }
}
