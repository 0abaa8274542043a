import ArgumentParser
import Foundation
import GlossCore
import GlossUI

/// `gloss stats DIR|FILE... [--format table|csv|json]`: counts over a corpus.
///
/// Per category and value (values with their codebook path, as exports write them): tags
/// and documents; per document: annotations and tags per category; and co-occurrence of
/// every pair of codebook categories (`actor` × `threat`, `actor` × `cooperation-measure`,
/// `threat` × `cooperation-measure` with the default codebook), counted within the same
/// sentence, within the same annotation and through relations, each labelled
/// (``CoOccurrenceBasis``). Documents are read in parallel, one at a time per core.
///
/// A document without a store is left out (one note says how many); a damaged store or
/// text is reported, naming the file, the rest counted, and the exit status is 1.
struct Stats: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Count tags, documents and co-occurring tags over a corpus.",
        discussion: """
        Co-occurrence is counted three ways: two different annotations sharing a sentence \
        (each ordered pair of annotations once), one annotation carrying both tags, and a \
        relation linking the two annotations (either direction).
        """,
        version: GlossVersion.string)

    /// The output formats of `gloss stats`.
    enum Format: String, ExpressibleByArgument, CaseIterable {
        /// Aligned tables for a terminal.
        case table
        /// One RFC 4180 table in long form (``StatsReport/csvColumns``).
        case csv
        /// One JSON object (see ``StatsReport/json()``).
        case json
    }

    @Argument(help: ArgumentHelp("Annotated documents, or folders of them (.txt, .html, .htm, .md, .markdown, .pdf, recursively).", valueName: "dir|file"))
    var files: [String]

    @Option(name: .shortAndLong, help: ArgumentHelp("Output format: table, csv or json.", valueName: "format"))
    var format: Format = .table

    @Option(name: .long, help: ArgumentHelp("A codebook JSON file to use for every document instead of the nearest gloss.codebook.json (else the bundled one).", valueName: "path"))
    var codebook: String?

    func validate() throws {
        try checkCorpusArguments(files)
    }

    func run() throws {
        let corpus: Corpus
        do {
            corpus = try Corpus(arguments: files)
        } catch {
            printError("gloss: \(error)")
            throw ExitCode.failure
        }
        var options = DocumentOptions()
        options.codebook = codebook
        let cache = CodebookCache(options: options)
        // codebooks first, in order: their categories give the tables' order
        var codebooks: [Result<Codebook, Error>] = []
        var categories: [GlossCore.Category] = []
        var known = Set<String>()
        for document in corpus.documents {
            let result = Result { try cache.codebook(forDocument: document.path) }
            if case .success(let codebook) = result {
                for category in codebook.categories where known.insert(category.id).inserted { categories.append(category) }
            }
            codebooks.append(result)
        }
        let pairs = CorpusStatistics.pairs(of: categories.map(\.id))
        let counted = Self.count(corpus.documents, codebooks: codebooks, pairs: pairs)

        var skipped = 0, failed = corpus.unreadableFolders.count
        corpus.unreadableFolders.forEach { printError("gloss: \($0); its documents not counted") }
        for message in counted.messages {
            switch message {
            case .skipped: skipped += 1
            case .failed(let text): printError(text + "; not counted"); failed += 1
            case .notes(let lines): lines.forEach(printError)
            }
        }
        if skipped > 0 {
            printError("gloss: \(skipped) document(s) without an annotation store (FILE.gloss.json) not counted")
        }
        let report = StatsReport(statistics: counted.statistics, categories: categories, pairs: pairs)
        let text: String
        switch format {
        case .table: text = report.table()
        case .csv: text = report.csv()
        case .json: text = try report.json()
        }
        let shown = format != .table && isatty(STDOUT_FILENO) == 1 ? ControlPictures.visible(text, keepingLineEnds: true) : text
        FileHandle.standardOutput.write(Data(shown.utf8))
        if failed > 0 {
            printError("gloss: \(failed) document(s) not counted because of the errors above")
            throw ExitCode.failure
        }
    }

    /// What happened to one document besides its counts.
    enum Message: Sendable {
        case skipped
        case failed(String)
        case notes([String])
    }

    /// Counts `documents` on every core: each worker takes the next document, reads and
    /// counts it, and adds it to statistics of its own; those are merged at the end and
    /// the documents put back in corpus order.
    static func count(_ documents: [CorpusDocument], codebooks: [Result<Codebook, Error>],
                      pairs: [(rows: String, columns: String)]) -> (statistics: CorpusStatistics, messages: [Message]) {
        final class Shared: @unchecked Sendable {
            let lock = NSLock()
            var next = 0
            var parts: [CorpusStatistics] = []
            var messages: [Int: Message] = [:]
        }
        let shared = Shared()
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, documents.count))
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            var part = CorpusStatistics()
            var messages: [Int: Message] = [:]
            while true {
                shared.lock.lock()
                let index = shared.next
                shared.next += 1
                shared.lock.unlock()
                guard index < documents.count else { break }
                let codebook: Codebook
                switch codebooks[index] {
                case .success(let found): codebook = found
                case .failure(let error):
                    messages[index] = .failed("gloss: \(error)")
                    continue
                }
                do {
                    switch loadCorpusDocument(documents[index], codebook: codebook, checkExport: false, forCounting: true) {
                    case .loaded(let entry, let notes):
                        part.add(CorpusStatistics.count(name: entry.name, document: entry.document, contents: entry.contents,
                                                        codebook: entry.codebook, pairs: pairs))
                        if !notes.isEmpty { messages[index] = .notes(notes) }
                    case .skipped:
                        messages[index] = .skipped
                    case .failed(let message):
                        messages[index] = .failed(message)
                    }
                }
            }
            shared.lock.lock()
            shared.parts.append(part)
            shared.messages.merge(messages) { first, _ in first }
            shared.lock.unlock()
        }
        var statistics = CorpusStatistics()
        for part in shared.parts { statistics.merge(part) }
        var position: [String: Int] = [:]
        for (index, document) in documents.enumerated() { position[document.path] = index }
        statistics.sortDocuments { (position[$0.name] ?? 0) < (position[$1.name] ?? 0) }
        let messages = shared.messages.sorted { $0.key < $1.key }.map(\.value)
        return (statistics, messages)
    }
}

/// `gloss stats` output in its three formats, from ``CorpusStatistics``.
struct StatsReport {
    let statistics: CorpusStatistics
    /// The codebooks' categories, in codebook order (the first codebook's first).
    let categories: [GlossCore.Category]
    let pairs: [(rows: String, columns: String)]

    /// Category ids in output order: the codebooks', then others found in tags, sorted.
    var categoryIDs: [String] {
        let known = categories.map(\.id)
        let others = Set(statistics.tags.keys.map(\.category)).subtracting(known)
        return known + others.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    func label(of category: String) -> String {
        categories.first { $0.id == category }?.label ?? (category.isEmpty ? "(no category)" : category)
    }

    /// Every category and value with tags, by category order, then most tags first,
    /// then value.
    var values: [CategoryValue] {
        let order = Dictionary(uniqueKeysWithValues: categoryIDs.enumerated().map { ($1, $0) })
        return statistics.tags.keys.sorted { a, b in
            let (ca, cb) = (order[a.category] ?? 0, order[b.category] ?? 0)
            if ca != cb { return ca < cb }
            let (ta, tb) = (statistics.tags[a] ?? 0, statistics.tags[b] ?? 0)
            if ta != tb { return ta > tb }
            return a.value.utf8.lexicographicallyPrecedes(b.value.utf8)
        }
    }

    /// The rows and columns of one co-occurrence table: the values with a count in it,
    /// in ``values`` order.
    func axes(rows: String, columns: String, basis: CoOccurrenceBasis) -> (rows: [CategoryValue], columns: [CategoryValue]) {
        var rowSet = Set<CategoryValue>(), columnSet = Set<CategoryValue>()
        for key in statistics.coOccurrences.keys where key.basis == basis && key.row.category == rows && key.column.category == columns {
            rowSet.insert(key.row)
            columnSet.insert(key.column)
        }
        let ordered = values
        return (ordered.filter(rowSet.contains), ordered.filter(columnSet.contains))
    }

    // MARK: table

    /// Aligned tables, columns padded by display width (``DisplayWidth``), text shown as
    /// the reader draws it (``ControlPictures``): a summary line, values, documents, then
    /// one co-occurrence table per pair and basis.
    func table() -> String {
        var out: [String] = []
        let total = statistics.tags.values.reduce(0, +)
        out.append("\(statistics.documents.count) document(s), \(statistics.annotations) annotation(s), \(total) tag(s)")
        out.append("")
        out.append("Tags and documents per category and value")
        var rows = [["category", "value", "tags", "documents"]]
        for key in values {
            rows.append([key.category, key.value.isEmpty ? "(no value)" : key.value,
                         String(statistics.tags[key] ?? 0), String(statistics.documentsWith[key] ?? 0)])
        }
        out += aligned(rows, numeric: [2, 3])
        out.append("")
        out.append("Tags per category in each document")
        let ids = categoryIDs
        rows = [["document", "annotations"] + ids]
        for document in statistics.documents {
            rows.append([document.name, String(document.annotations)] + ids.map { String(document.tagsByCategory[$0] ?? 0) })
        }
        out += aligned(rows, numeric: Set(1..<(2 + ids.count)))
        for pair in pairs {
            for basis in CoOccurrenceBasis.allCases {
                out.append("")
                out.append("\(label(of: pair.rows)) × \(label(of: pair.columns)), \(basis.label) (\(Self.unit(basis)))")
                let axes = axes(rows: pair.rows, columns: pair.columns, basis: basis)
                guard !axes.rows.isEmpty else {
                    out.append("(none)")
                    continue
                }
                var table = [["\(pair.rows) \\ \(pair.columns)"] + axes.columns.map { $0.value.isEmpty ? "(no value)" : $0.value }]
                for row in axes.rows {
                    table.append([row.value.isEmpty ? "(no value)" : row.value] + axes.columns.map {
                        String(statistics.coOccurrences[CoOccurrenceKey(basis: basis, row: row, column: $0)] ?? 0)
                    })
                }
                out += aligned(table, numeric: Set(1..<(1 + axes.columns.count)))
            }
        }
        return out.joined(separator: "\n") + "\n"
    }

    /// What a co-occurrence count counts, for the tables' titles.
    static func unit(_ basis: CoOccurrenceBasis) -> String {
        switch basis {
        case .sentence: return "pairs of annotations sharing a sentence"
        case .annotation: return "annotations carrying both"
        case .relation: return "relations between the two"
        }
    }

    /// `rows` as lines of columns two spaces apart, each column as wide as its widest
    /// cell in terminal columns; `numeric` columns right-aligned; the last column not
    /// padded on the right.
    func aligned(_ rows: [[String]], numeric: Set<Int>) -> [String] {
        let shown = rows.map { $0.map { ControlPictures.visible($0, showingBidiControls: true) } }
        let count = shown.map(\.count).max() ?? 0
        var widths = [Int](repeating: 0, count: count)
        for row in shown {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], DisplayWidth.columns(of: cell)) }
        }
        return shown.map { row in
            var line = ""
            for (index, cell) in row.enumerated() {
                let padding = String(repeating: " ", count: widths[index] - DisplayWidth.columns(of: cell))
                if index > 0 { line += "  " }
                line += numeric.contains(index) ? padding + cell : (index == row.count - 1 ? cell : cell + padding)
            }
            return line
        }
    }

    // MARK: CSV

    /// The columns of the CSV output, one table in long form:
    /// - `table` `values`: `category`, `value`, `measure` `tags` or `documents`, `count`;
    /// - `table` `documents`: `document`, `measure` `annotations` (no category) or `tags`
    ///   (with `category`), `count`;
    /// - `table` `cooccurrence`: `category` and `value` (the row), `with_category` and
    ///   `with_value` (the column), `measure` the basis (`sentence`, `annotation`,
    ///   `relation`), `count`; zero cells left out.
    static let csvColumns = ["table", "document", "category", "value", "with_category", "with_value", "measure", "count"]

    /// RFC 4180 CSV with CRLF line ends, text cells guarded against formulas as the
    /// export's are (``CSVExporter/textCell(_:)``).
    func csv() -> String {
        var out = CSVExporter.record(Self.csvColumns)
        func add(_ table: String, _ document: String, _ category: String, _ value: String,
                 _ withCategory: String, _ withValue: String, _ measure: String, _ count: Int) {
            out += CSVExporter.record([table, document, category, value, withCategory, withValue, measure].map(CSVExporter.textCell) + [String(count)])
        }
        for key in values {
            add("values", "", key.category, key.value, "", "", "tags", statistics.tags[key] ?? 0)
            add("values", "", key.category, key.value, "", "", "documents", statistics.documentsWith[key] ?? 0)
        }
        let ids = categoryIDs
        for document in statistics.documents {
            add("documents", document.name, "", "", "", "", "annotations", document.annotations)
            for id in ids { add("documents", document.name, id, "", "", "", "tags", document.tagsByCategory[id] ?? 0) }
        }
        for pair in pairs {
            for basis in CoOccurrenceBasis.allCases {
                let axes = axes(rows: pair.rows, columns: pair.columns, basis: basis)
                for row in axes.rows {
                    for column in axes.columns {
                        guard let count = statistics.coOccurrences[CoOccurrenceKey(basis: basis, row: row, column: column)] else { continue }
                        add("cooccurrence", "", row.category, row.value, column.category, column.value, basis.rawValue, count)
                    }
                }
            }
        }
        return out
    }

    // MARK: JSON

    struct JSONReport: Encodable {
        struct Category: Encodable { var id: String; var label: String }
        struct Value: Encodable { var category: String; var value: String; var tags: Int; var documents: Int }
        struct Document: Encodable { var document: String; var annotations: Int; var tags: [String: Int] }
        struct Cell: Encodable { var row: String; var column: String; var count: Int }
        struct Table: Encodable { var rows: String; var columns: String; var basis: String; var cells: [Cell] }
        var documents: Int
        var annotations: Int
        var tags: Int
        var categories: [Category]
        var values: [Value]
        var perDocument: [Document]
        var cooccurrence: [Table]
    }

    /// One JSON object, keys sorted, pretty-printed:
    /// `{"documents", "annotations", "tags", "categories": [{"id", "label"}],
    ///   "values": [{"category", "value", "tags", "documents"}],
    ///   "perDocument": [{"document", "annotations", "tags": {category: count}}],
    ///   "cooccurrence": [{"rows", "columns", "basis", "cells": [{"row", "column", "count"}]}]}`;
    /// a co-occurrence table for every pair and basis, its zero cells left out.
    func json() throws -> String {
        let ids = categoryIDs
        var tables: [JSONReport.Table] = []
        for pair in pairs {
            for basis in CoOccurrenceBasis.allCases {
                let axes = axes(rows: pair.rows, columns: pair.columns, basis: basis)
                var cells: [JSONReport.Cell] = []
                for row in axes.rows {
                    for column in axes.columns {
                        guard let count = statistics.coOccurrences[CoOccurrenceKey(basis: basis, row: row, column: column)] else { continue }
                        cells.append(JSONReport.Cell(row: row.value, column: column.value, count: count))
                    }
                }
                tables.append(JSONReport.Table(rows: pair.rows, columns: pair.columns, basis: basis.rawValue, cells: cells))
            }
        }
        let report = JSONReport(
            documents: statistics.documents.count, annotations: statistics.annotations,
            tags: statistics.tags.values.reduce(0, +),
            categories: ids.map { JSONReport.Category(id: $0, label: label(of: $0)) },
            values: values.map { JSONReport.Value(category: $0.category, value: $0.value, tags: statistics.tags[$0] ?? 0,
                                                  documents: statistics.documentsWith[$0] ?? 0) },
            perDocument: statistics.documents.map { document in
                JSONReport.Document(document: document.name, annotations: document.annotations,
                                    tags: Dictionary(uniqueKeysWithValues: ids.map { ($0, document.tagsByCategory[$0] ?? 0) }))
            },
            cooccurrence: tables)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(report), as: UTF8.self) + "\n"
    }
}
