import ArgumentParser
import Foundation
import GlossCore
import GlossImport
import GlossUI

/// Two coders' stores of one document, named on the command line as two store files
/// (`A B`) or as two `--coder` names and the document.
struct CoderInputs: ParsableArguments {
    @Argument(help: ArgumentHelp("Two annotation stores of one document (A B), or, with two --coder options, the document.", valueName: "store-or-document"), completion: .file())
    var inputs: [String] = []

    @Option(name: .long, help: ArgumentHelp("A coder whose store FILE.gloss.NAME.json to use; give it twice, with the document.", valueName: "name"))
    var coder: [String] = []

    @Option(name: .long, help: ArgumentHelp("The document, when the stores do not name it (by default the one store A records, beside it).", valueName: "path"), completion: .file())
    var document: String?

    /// Checks that the inputs are two stores or two coders and a document.
    /// - Throws: `ValidationError` saying what is missing or wrong.
    func validate() throws {
        try refuseEmptyPaths(inputs, valueName: "<store-or-document>")
        try refuseEmptyPaths(document.map { [$0] } ?? [], valueName: "--document")
        if coder.isEmpty {
            guard inputs.count == 2 else {
                throw ValidationError("give two annotation stores (A B), or --coder X --coder Y and the document")
            }
        } else {
            guard coder.count == 2, inputs.count == 1 || (inputs.isEmpty && document != nil) else {
                throw ValidationError("--coder takes two coders and one document: --coder X --coder Y DOCUMENT")
            }
            for name in coder {
                do { try CoderName.validate(name) } catch { throw ValidationError("--coder: \(error)") }
            }
        }
    }

    /// One coder's store, read and placed in the document.
    struct Loaded {
        /// The coder's name: the `--coder` name, else `NAME` of `FILE.gloss.NAME.json`,
        /// else the store's file name.
        var name: String
        /// The store's path.
        var path: String
        /// The store's contents, annotations placed in the document (re-anchored when it
        /// changed).
        var contents: StoreContents
    }

    /// Reads both stores and the document.
    /// - Throws: ``StoreError`` naming a store that is missing or unreadable, that names
    ///   no document that can be found, or that names another document than the other.
    func load() throws -> (document: Document, a: Loaded, b: Loaded) {
        let paths: [String]
        var documentPath = document
        if coder.isEmpty {
            paths = inputs
        } else {
            let path = document ?? inputs[0]
            documentPath = path
            paths = try coder.map { try CoderName.storePath(forDocument: path, coder: $0) }
        }
        var raw: [StoreContents] = []
        for path in paths {
            guard let contents = try AnnotationStore(path: path).load() else {
                throw StoreError(path: path, problem: AnnotationStore.missingStoreProblem(path))
            }
            raw.append(contents)
        }
        // the document each store records, relative to its folder
        func recorded(_ index: Int) -> String? {
            guard let stored = raw[index].document?.path, !stored.isEmpty else { return nil }
            if stored.hasPrefix("/") { return stored }
            return URL(fileURLWithPath: paths[index]).deletingLastPathComponent().appendingPathComponent(stored).standardizedFileURL.path
        }
        if documentPath == nil {
            let a = recorded(0), b = recorded(1)
            if let a, let b, a != b {
                throw StoreError(path: paths[1], problem: "is a store of \(b), not of \(a) as \(paths[0]) is; give --document to compare them on one text")
            }
            guard let found = a ?? b else {
                throw StoreError(path: paths[0], problem: "names no document; give --document PATH")
            }
            documentPath = found
        }
        let opened = try DocumentOpener.open(documentPath!)
        let document = opened.document
        try opened.checkWholeText()
        opened.notices.forEach { printError("gloss: \(documentPath!): \($0)") }
        var loaded: [Loaded] = []
        for (index, path) in paths.enumerated() {
            let placement = Reanchoring.place(raw[index], in: document)
            let placed = placement.contents
            if !placed.orphans.isEmpty {
                printError("gloss: \(path): \(placed.orphans.count) orphaned annotation(s) (in \(documentPath!): "
                           + Reanchoring.orphanSummary(placed.orphans, reasons: placement.orphanReasons) + ")")
            }
            if !placed.quarantined.isEmpty {
                printError("gloss: \(path): \(placed.quarantined.count) invalid record(s); open the document in gloss to see them")
            }
            let name = coder.isEmpty ? (CoderName.coder(ofStore: path) ?? URL(fileURLWithPath: path).lastPathComponent) : coder[index]
            loaded.append(Loaded(name: name, path: path, contents: placed))
        }
        if loaded[0].name == loaded[1].name {
            // both named alike (two stores called FILE.gloss.json): say which is which
            loaded[0].name += " (A)"
            loaded[1].name += " (B)"
        }
        return (document, loaded[0], loaded[1])
    }
}

/// Output formats of `gloss agree`.
enum AgreementFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json, csv
}

/// `gloss agree A B`: inter-coder agreement of two stores of one document.
struct Agree: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agree",
        abstract: "Compare two coders' annotations of one document: Cohen's kappa over code points and span precision, recall and F1, per category and value.",
        discussion: """
        Coder A is the reference: precision and recall are B's against A. Kappa is given twice: \
        "κ all" counts every code point, uncoded text as a class of its own (which inflates it); \
        "κ coded" counts only code points A or B tagged. Exact matching needs the same start, end \
        and category (and value); overlap matching the same category (and value) and one shared \
        code point. Offsets are code points.
        """,
        version: GlossVersion.string)

    @OptionGroup var inputs: CoderInputs

    @Option(name: .shortAndLong, help: ArgumentHelp("Output format: text (aligned tables), json or csv.", valueName: "format"))
    var format: AgreementFormat = .text

    func run() throws {
        let document: Document, a: CoderInputs.Loaded, b: CoderInputs.Loaded
        do {
            (document, a, b) = try inputs.load()
        } catch {
            printError("gloss: \(error)")
            throw ExitCode.failure
        }
        let report = Agreement.compare(a.contents.annotations, b.contents.annotations, in: document)
        let text: String
        switch format {
        case .text: text = AgreementText.render(report, a: a, b: b, document: document.path)
        case .csv: text = AgreementText.csv(report)
        case .json:
            struct Output: Encodable {
                var document: String
                var a: Coder
                var b: Coder
                var report: Agreement.Report
                struct Coder: Encodable { var coder: String; var store: String }
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            let data = try encoder.encode(Output(document: document.path, a: .init(coder: a.name, store: a.path),
                                                 b: .init(coder: b.name, store: b.path), report: report))
            text = String(decoding: data, as: UTF8.self) + "\n"
        }
        // quotes in the text tables as the reader draws them; CSV and JSON as they are, controls aside
        let shown = isatty(STDOUT_FILENO) != 1 ? text : format == .text ? DisplayWidth.terminalForm(of: text, keepingLineEnds: true)
            : ControlPictures.visible(text, keepingLineEnds: true)
        try StandardStreams.write(shown)
    }
}

/// The text and CSV forms of an agreement report.
enum AgreementText {
    /// `value` with 3 decimals, `–` when undefined.
    static func number(_ value: Double?) -> String {
        value.map { String(format: "%.3f", $0) } ?? "–"
    }

    /// Rows of cells as a table: columns padded to their widest cell (in terminal
    /// columns), two spaces apart, the first row the header, a rule under it.
    static func table(_ rows: [[String]], rightAligned: Set<Int> = []) -> String {
        guard let header = rows.first else { return "" }
        var widths = Array(repeating: 0, count: header.count)
        for row in rows { for (index, cell) in row.enumerated() { widths[index] = max(widths[index], DisplayWidth.columns(of: cell)) } }
        func line(_ row: [String]) -> String {
            row.enumerated().map { index, cell in
                let pad = String(repeating: " ", count: widths[index] - DisplayWidth.columns(of: cell))
                return rightAligned.contains(index) ? pad + cell : cell + pad
            }.joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }
        let rule = widths.map { String(repeating: "─", count: $0) }.joined(separator: "  ")
        return ([line(header), rule] + rows.dropFirst().map(line)).joined(separator: "\n") + "\n"
    }

    /// A quote on one line: runs of white space as one space (kept at the ends, where they
    /// are part of the span), cut to `limit` characters with `…`. A quote of white space
    /// alone, which would print as an empty `“”`, shows each character as its symbol
    /// (`␠` for a space, `␉` a tab, `␤` a line break, `␣` any other).
    static func oneLine(_ text: String, limit: Int = 50) -> String {
        var flat: String
        if !text.isEmpty, text.allSatisfy(\.isWhitespace) {
            flat = String(text.map { character -> Character in
                switch character {
                case " ": return "␠"
                case "\t": return "␉"
                case "\n", "\r\n", "\r": return "␤"
                default: return "␣"
                }
            })
        } else {
            flat = text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
            if text.first?.isWhitespace == true { flat = " " + flat }
            if text.last?.isWhitespace == true { flat += " " }
        }
        return flat.count <= limit ? flat : String(flat.prefix(limit - 1)) + "…"
    }

    /// Tags as `category=value`, joined by `, `; `—` for none.
    static func tags(_ tags: [GlossCore.Tag]) -> String {
        tags.isEmpty ? "—" : tags.map { $0.value.isEmpty ? $0.category : "\($0.category)=\($0.value)" }.joined(separator: ", ")
    }

    /// The report as aligned tables: scores, then disagreements.
    static func render(_ report: Agreement.Report, a: CoderInputs.Loaded, b: CoderInputs.Loaded, document: String) -> String {
        var out = "Agreement of B (\(a.name == b.name ? "B" : b.name)) against A (\(a.name)) on \(document)\n"
        out += "A: \(a.path) (\(a.contents.annotations.count) annotations)\nB: \(b.path) (\(b.contents.annotations.count) annotations)\n"
        out += "\(report.length) code points, \(report.codedLength) tagged by A or B\n\n"
        out += "κ all: Cohen's kappa over every code point, uncoded text counted as a class (inflates kappa)\n"
        out += "κ coded: Cohen's kappa over the code points A or B tagged only\n"
        out += "exact: same start, end and category (and value); overlap: same category (and value), spans share a code point\n"
        out += "P, R, F1: precision, recall and F1 of B's spans against A's\n\n"
        var rows: [[String]] = [["category", "value", "κ all", "κ coded", "A spans", "B spans",
                                 "exact P", "exact R", "exact F1", "overlap P", "overlap R", "overlap F1"]]
        rows.append(["(all)", "", number(report.overallWithUncoded.value), number(report.overallCodedOnly.value), "", "", "", "", "", "", "", ""])
        for row in report.rows {
            rows.append([row.value == nil ? row.category : "", row.value.map { $0.isEmpty ? "(empty)" : oneLine($0, limit: 40) } ?? "",
                         number(row.kappaWithUncoded.value), number(row.kappaCodedOnly.value),
                         "\(row.exact.referenceSpans)", "\(row.exact.candidateSpans)",
                         number(row.exact.precision), number(row.exact.recall), number(row.exact.f1),
                         number(row.overlap.precision), number(row.overlap.recall), number(row.overlap.f1)])
        }
        out += table(rows, rightAligned: Set(2...11))
        out += "\nDisagreements (\(report.disagreements.count)): where A's and B's tags differ\n"
        if !report.disagreements.isEmpty {
            var cells: [[String]] = [["offsets", "quote", "A: \(a.name)", "B: \(b.name)"]]
            for item in report.disagreements {
                cells.append(["\(item.start)..<\(item.end)", "“" + oneLine(item.quote) + "”", tags(item.a), tags(item.b)])
            }
            out += table(cells)
        }
        return out
    }

    /// The scores as RFC 4180 CSV, one row per category and per category and value, the
    /// first row (category `*`) all categories at once.
    static func csv(_ report: Agreement.Report) -> String {
        func cell(_ value: Double?) -> String { value.map { String(format: "%.6f", $0) } ?? "" }
        var out = CSVExporter.record(["category", "value", "kappa_all", "kappa_coded", "units_all", "units_coded", "a_spans", "b_spans",
                                      "exact_precision", "exact_recall", "exact_f1", "overlap_precision", "overlap_recall", "overlap_f1"])
        out += CSVExporter.record(["*", "", cell(report.overallWithUncoded.value), cell(report.overallCodedOnly.value),
                                   "\(report.overallWithUncoded.units)", "\(report.overallCodedOnly.units)", "", "", "", "", "", "", "", ""])
        for row in report.rows {
            out += CSVExporter.record([CSVExporter.textCell(row.category), CSVExporter.textCell(row.value ?? ""),
                                       cell(row.kappaWithUncoded.value), cell(row.kappaCodedOnly.value),
                                       "\(row.kappaWithUncoded.units)", "\(row.kappaCodedOnly.units)",
                                       "\(row.exact.referenceSpans)", "\(row.exact.candidateSpans)",
                                       cell(row.exact.precision), cell(row.exact.recall), cell(row.exact.f1),
                                       cell(row.overlap.precision), cell(row.overlap.recall), cell(row.overlap.f1)])
        }
        return out
    }
}

/// `gloss merge A B -o C`: one store from two coders' stores of one document.
struct Merge: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Merge two coders' stores of one document into a new store: identical annotations once, conflicting tags on one span both kept and marked.",
        discussion: """
        An annotation of B with the span and tags of one of A is collapsed into it. On a span \
        where A and B have different tags, both annotations are kept and marked as a conflict: \
        in the reader, f conflict lists them and ! keeps the one shown and deletes its rivals. \
        Relations are merged with their ends renamed to the kept annotations; notes and memos \
        that differ are joined under each coder's name. C is written atomically and never \
        replaces A, B or an existing file unless --force.
        """,
        version: GlossVersion.string)

    @OptionGroup var inputs: CoderInputs

    @Option(name: .shortAndLong, help: ArgumentHelp("The merged store to write.", valueName: "path"), completion: .file())
    var output: String

    @Flag(name: .long, help: "Replace an existing output file (never A or B).")
    var force = false

    func validate() throws {
        try refuseEmptyPaths([output], valueName: "--output")
    }

    func run() throws {
        let document: Document, a: CoderInputs.Loaded, b: CoderInputs.Loaded
        do {
            (document, a, b) = try inputs.load()
        } catch {
            printError("gloss: \(error)")
            throw ExitCode.failure
        }
        let target = outputTarget(output)
        for (input, what) in [(a.path, "store A"), (b.path, "store B"), (document.path, "the document")] where outputTarget(input) == target {
            printError("gloss: \(output) is \(what); write the merge to a new file")
            throw ExitCode.failure
        }
        if FileManager.default.fileExists(atPath: target), !force {
            printError("gloss: \(output) exists; give --force to replace it")
            throw ExitCode.failure
        }
        let result = CoderMerge.merge(a.contents, named: a.name, b.contents, named: b.name)
        do {
            var contents = result.contents
            contents.document = nil
            try AnnotationStore(path: output).save(contents, of: document)
        } catch {
            printError("gloss: \(error)")
            throw ExitCode.failure
        }
        var out = "Merged \(a.path) (A: \(a.name)) and \(b.path) (B: \(b.name)) into \(output)\n"
        out += "\(result.kept) kept, \(result.collapsed) collapsed, \(result.conflicts.count) conflict\(result.conflicts.count == 1 ? "" : "s")\n"
        if !result.conflicts.isEmpty {
            var cells: [[String]] = [["offsets", "quote", "A: \(a.name)", "B: \(b.name)"]]
            for conflict in result.conflicts {
                cells.append(["\(conflict.start)..<\(conflict.end)", "“" + AgreementText.oneLine(conflict.quote) + "”",
                              AgreementText.tags(conflict.a), AgreementText.tags(conflict.b)])
            }
            out += "\n" + AgreementText.table(cells)
            out += "\nIn the reader: f conflict lists them, ! keeps the one shown and deletes its rivals.\n"
        }
        let shown = isatty(STDOUT_FILENO) == 1 ? DisplayWidth.terminalForm(of: out, keepingLineEnds: true) : out
        try StandardStreams.write(shown)
    }
}
