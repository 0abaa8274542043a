import ArgumentParser
import Foundation
import GlossCore
import GlossImport
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
        commandName: "stats",
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
        /// One RFC 4180 table in long form (``StatisticsReport/csvColumns``).
        case csv
        /// One JSON object (see ``StatisticsReport/json()``).
        case json
    }

    @Argument(help: ArgumentHelp("Annotated documents, or folders of them (.txt, .html, .htm, .md, .markdown, .pdf, recursively).", valueName: "dir|file"), completion: .file())
    var files: [String]

    @Option(name: .shortAndLong, help: ArgumentHelp("Output format: table, csv or json.", valueName: "format"))
    var format: Format = .table

    @Option(name: .long, help: ArgumentHelp("A codebook JSON file to use for every document instead of the nearest gloss.codebook.json (else the bundled one).", valueName: "path"), completion: .file())
    var codebook: String?

    func validate() throws {
        try checkCorpusArguments(files)
        try refuseEmptyPaths(codebook.map { [$0] } ?? [], valueName: "--codebook")
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
        try cache.checkGivenCodebook(documentCount: corpus.documents.count)
        // codebooks first, in order: their categories give the tables' order
        let codebooks = corpus.documents.map { document in Result { try cache.codebook(forDocument: document.path) } }
        let categories = CorpusStatistics.categories(of: codebooks)
        let pairs = CorpusStatistics.pairs(of: categories.map(\.id))
        let documents = corpus.documents
        let progress = ProgressBar.start("counting", total: documents.count)
        let counted = CorpusStatistics.count(documents, codebooks: codebooks, pairs: pairs,
                                             opening: corpusOpening(encoding: nil),
                                             finished: { done, index in progress?.update(done: done, current: documents[index].path) })
        progress?.finish()

        var skipped = 0, failed = 0
        corpus.unreadableFolders.forEach { printError("gloss: \($0); its documents not counted") }
        corpus.unopenableFiles.forEach { printError("gloss: \($0); not counted") }
        failed += corpus.unopenableFiles.count
        for note in counted.notes {
            switch note {
            case .skipped: skipped += 1
            case .failed(let text, let advice): printError(LoadedDocument.line(text, advice: advice, outcome: "not counted")); failed += 1
            case .notes(let lines): lines.forEach(printError)
            }
        }
        if skipped > 0 {
            printError("gloss: \(skipped) document(s) without an annotation store (FILE.gloss.json) not counted")
        }
        let report = StatisticsReport(statistics: counted.statistics, categories: categories, pairs: pairs)
        let text: String
        switch format {
        case .table: text = report.table(forTerminal: isatty(STDOUT_FILENO) == 1)
        case .csv: text = report.csv()
        case .json: text = try report.json()
        }
        let shown = format != .table && isatty(STDOUT_FILENO) == 1 ? ControlPictures.visible(text, keepingLineEnds: true) : text
        try StandardStreams.write(shown)
        if failed > 0 || !corpus.unreadableFolders.isEmpty {
            printError("gloss: " + leftOut(documents: failed, folders: corpus.unreadableFolders.count, outcome: "not counted") + " because of the errors above")
            throw ExitCode.failure
        }
    }
}

/// `gloss stats` output in its three formats, from ``CorpusStatistics`` laid out by
/// ``StatisticsReport`` (the order the reader's summary pane uses too).
extension StatisticsReport {
    // MARK: table

    /// Aligned tables, columns padded by display width (``DisplayWidth``): a summary line,
    /// values, documents, then one co-occurrence table per pair and basis. `forTerminal`:
    /// the codebook's and the documents' words shown as the reader draws them
    /// (``DisplayWidth/terminalForm(of:keepingLineEnds:)``: controls as their pictures, a
    /// zero-width or other invisible format character as `·`), and aligned so; else
    /// written as they are, for a file or a pipe.
    func table(forTerminal: Bool) -> String {
        func shown(_ text: String) -> String { forTerminal ? DisplayWidth.terminalForm(of: text) : text }
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
        out += aligned(rows, numeric: [2, 3], forTerminal: forTerminal)
        out.append("")
        out.append("Tags per category in each document")
        let ids = categoryIDs
        rows = [["document", "annotations"] + ids]
        for document in statistics.documents {
            rows.append([document.name, String(document.annotations)] + ids.map { String(document.tagsByCategory[$0] ?? 0) })
        }
        out += aligned(rows, numeric: Set(1..<(2 + ids.count)), forTerminal: forTerminal)
        for pair in pairs {
            for basis in CoOccurrenceBasis.allCases {
                out.append("")
                out.append(shown("\(label(of: pair.rows)) × \(label(of: pair.columns))") + ", \(basis.label) (\(basis.unit))")
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
                out += aligned(table, numeric: Set(1..<(1 + axes.columns.count)), forTerminal: forTerminal)
            }
        }
        return out.joined(separator: "\n") + "\n"
    }

    /// `rows` as lines of columns two spaces apart, each column as wide as its widest
    /// cell in terminal columns; `numeric` columns right-aligned; the last column not
    /// padded on the right. `forTerminal`: each cell as the reader draws it
    /// (``DisplayWidth/terminalForm(of:keepingLineEnds:)``), measured so.
    func aligned(_ rows: [[String]], numeric: Set<Int>, forTerminal: Bool) -> [String] {
        let shown = forTerminal ? rows.map { $0.map { DisplayWidth.terminalForm(of: $0) } } : rows
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
                for cell in cells(rows: pair.rows, columns: pair.columns, basis: basis) {
                    add("cooccurrence", "", cell.row.category, cell.row.value, cell.column.category, cell.column.value, basis.rawValue, cell.count)
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
                let cells = cells(rows: pair.rows, columns: pair.columns, basis: basis).map {
                    JSONReport.Cell(row: $0.row.value, column: $0.column.value, count: $0.count)
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
