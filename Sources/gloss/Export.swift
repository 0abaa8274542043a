import ArgumentParser
import Foundation
import GlossCore
import GlossImport

/// `gloss export DIR|FILE... --format FORMAT [-o OUT]`.
///
/// One file argument exports that document alone. A folder, or several arguments, export
/// the corpus they name (``Corpus``) as one output: one W3C collection, one CSV table
/// (and one relations table) with the `document` column telling documents apart, or one
/// Markdown report with a section per document. Each document's codebook is found as for
/// a single document. A document without a store is skipped with a note; a damaged store,
/// an unreadable or damaged text, or a store that does not fit its text is reported,
/// naming the file, and skipped, the rest exported, and the command exits with status 1.
///
/// Nothing is written when the text is damaged anywhere in it: the whole text is checked
/// first, so a large file fails as a small one with the same bytes does. Written to a
/// terminal, the export shows the text's control characters as the reader draws them
/// (``ControlPictures``), line ends kept; written to a file or a pipe, it is exact.
struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the annotations of a document or a corpus as W3C Web Annotation JSON, CSV, Markdown, an HTML report, brat standoff files, a REFI-QDA project, Label Studio tasks or doccano JSONL.",
        version: GlossVersion.string)

    @Argument(help: ArgumentHelp("The annotated document, or several, or folders of them (.txt, .html, .htm, .md, .markdown, .pdf, recursively).", valueName: "dir|file"), completion: .file())
    var files: [String]

    @Option(name: .shortAndLong, help: ArgumentHelp("Output format: w3c, csv, markdown, html (a report page), brat (a folder, given with -o), qdpx (a REFI-QDA project, given with -o), labelstudio (Label Studio tasks; with -o OUT.json also OUT.config.xml) or jsonl (doccano).", valueName: "format"))
    var format: ExportOutputFormat

    @OptionGroup var interchange: InterchangeOptions

    @Option(name: .shortAndLong, help: ArgumentHelp("Where to write; standard output when absent.", valueName: "path"), completion: .file())
    var output: String?

    @OptionGroup var options: DocumentOptions

    @OptionGroup var encoding: EncodingOption

    func validate() throws {
        try options.validate()
        // one file keeps its old messages (a missing file is named by the export itself)
        if files.count != 1 { try checkCorpusArguments(files) } else { try refuseEmptyPaths(files, valueName: "<dir|file>") }
        try interchange.validate(format: format, files: files)
        try refuseEmptyPaths(output.map { [$0] } ?? [], valueName: "--output")
    }

    func run() throws {
        if format == .brat { return try exportBrat() }
        if format == .qdpx { return try exportQDPX() }
        var isFolder: ObjCBool = false
        if files.count == 1, !(FileManager.default.fileExists(atPath: files[0], isDirectory: &isFolder) && isFolder.boolValue) {
            try exportDocument(files[0])
        } else {
            try exportCorpus()
        }
    }

    /// The second file an export writes beside `-o`: CSV's relations table
    /// (`OUT.relations.csv`) or Label Studio's labeling configuration (`OUT.config.xml`).
    private var sideOutput: String? {
        guard let output, !output.isEmpty, isRegularFileOrMissing(output) else { return nil }
        switch format {
        case .csv: return CSVExporter.relationsPath(besides: output)
        case .labelstudio: return LabelStudioExporter.configurationPath(besides: output)
        default: return nil
        }
    }

    /// Checks that `-o`, and the file written beside it, name files that may be written:
    /// not a store or a store's backup, not one of `inputs` (paths with what
    /// they are). An export never replaces what it was made from.
    private func checkOutput(against inputs: [(path: String, what: String)]) throws {
        // an empty -o is refused before this, as a usage error
        guard let output else { return }
        for path in [output] + [sideOutput].compactMap({ $0 }) {
            let target = outputTarget(path)
            if let reason = protectedOutputReason(target) {
                printError(path == output ? "gloss: \(path) \(reason); choose another output file"
                           : "gloss: \(path), written beside \(output), \(reason); choose another output file")
                throw ExitCode.failure
            }
            for (input, what) in inputs where outputTarget(input) == target {
                printError(path == output ? "gloss: \(path) is \(what); choose another output file"
                           : "gloss: \(path), written beside \(output), is \(what); choose another output file")
                throw ExitCode.failure
            }
        }
    }

    /// The corpus the file and folder arguments name; `--store`, which names one
    /// document's store, is refused with it.
    /// - Throws: `ExitCode.failure`, after saying why, for `--store` or an argument that
    ///   cannot be listed.
    func argumentCorpus() throws -> Corpus {
        if options.store != nil {
            printError("gloss: --store names the store of one document; it cannot be used with a folder or several documents")
            throw ExitCode.failure
        }
        do {
            return try Corpus(arguments: files)
        } catch {
            printError("gloss: \(error)")
            throw ExitCode.failure
        }
    }

    /// Exports the corpus the arguments name as one output.
    private func exportCorpus() throws {
        let corpus = try argumentCorpus()
        try checkOutput(against: corpus.documents.flatMap { [($0.path, "one of the documents"), ($0.storePath, "an annotation store")] })
        let codebooks = CodebookCache(options: options)
        try codebooks.checkGivenCodebook(documentCount: corpus.documents.count)
        var entries: [CorpusEntry] = []
        var failed = 0
        corpus.unreadableFolders.forEach { printError("gloss: \($0); its documents skipped") }
        corpus.unopenableFiles.forEach { printError("gloss: \($0); not exported") }
        failed += corpus.unopenableFiles.count
        let progress = ProgressBar.start("exporting", total: corpus.documents.count)
        defer { progress?.finish() }
        for (index, document) in corpus.documents.enumerated() {
            progress?.update(done: index, current: document.path)
            let loaded: LoadedDocument
            do {
                loaded = CorpusEntry.load(document, codebook: try codebooks.codebook(forDocument: document.path), checkExport: true,
                                          opening: corpusOpening(encoding: encoding.encoding))
            } catch {
                loaded = .failed(message: "gloss: \(error)")
            }
            switch loaded {
            case .loaded(let entry, let notes):
                notes.forEach(printError)
                entries.append(entry)
            case .skipped(let note):
                printError(note)
            case .failed(let message, let advice):
                printError(LoadedDocument.line(message, advice: advice, outcome: "not exported"))
                failed += 1
            }
        }
        let label = "Corpus: " + files.joined(separator: " ")
        let text: String
        var relationsTable: (path: String, text: String)?
        do {
            if let special = try interchangeExport(entries) {
                text = special.text
                relationsTable = special.side
            } else {
                text = try format.export(corpus: entries, label: label)
            }
            if format == .csv {
                let count = entries.reduce(0) { total, entry in
                    let exported = Set((entry.contents.annotations + entry.contents.orphans).map(\.id))
                    return total + entry.contents.relations.filter { exported.contains($0.from) && exported.contains($0.to) }.count
                }
                if let output, isRegularFileOrMissing(output) {
                    relationsTable = (CSVExporter.relationsPath(besides: output), try CSVExporter.exportRelations(corpus: entries))
                } else if count > 0 {
                    printError("gloss: \(count) relation(s) not written: CSV holds them in a second file; give -o OUT.csv to get OUT.relations.csv")
                }
            }
        } catch {
            printError("gloss: \(error)")
            throw ExitCode.failure
        }
        progress?.finish()
        try write(text, relationsTable: relationsTable)
        if failed > 0 || !corpus.unreadableFolders.isEmpty {
            printError("gloss: " + leftOut(documents: failed, folders: corpus.unreadableFolders.count, outcome: "not exported")
                       + " because of the errors above; \(entries.count) document(s) exported")
            throw ExitCode.failure
        }
        // invalid records left out (each store named above): the export is incomplete
        if entries.contains(where: { !$0.contents.quarantined.isEmpty }) { throw ExitCode.failure }
    }

    /// Writes the output to `-o` (atomically) or standard output, and the relations table;
    /// Ctrl-C waits until both files are written (``Cancellation``).
    /// - Throws: `ExitCode.failure` after saying why a file could not be written;
    ///   ``StandardStreams/OutputFailure`` when standard output cannot be written.
    private func write(_ text: String, relationsTable: (path: String, text: String)?) throws {
        // --excel: a byte-order mark before each CSV table
        let text = interchange.excel ? CSVExporter.excelByteOrderMark + text : text
        let relationsTable = relationsTable.map { (path: $0.path, text: interchange.excel ? CSVExporter.excelByteOrderMark + $0.text : $0.text) }
        guard let output else {
            // an escape sequence in a quote or file name would act on the terminal
            let shown = isatty(STDOUT_FILENO) == 1 ? ControlPictures.visible(text, keepingLineEnds: true) : text
            try StandardStreams.write(shown)
            return
        }
        do {
            // an export and its relations table go together: Ctrl-C leaves both or neither
            try InterruptGuard.completing {
                try AtomicFile.write(Data(text.utf8), to: output)
                if let relationsTable {
                    let name = URL(fileURLWithPath: relationsTable.path).lastPathComponent
                    if FileManager.default.fileExists(atPath: relationsTable.path), name.contains(".gloss.json") {
                        printError("gloss: \(relationsTable.path) is an annotation store or one of its backups; it was not written")
                        throw ExitCode.failure
                    }
                    try AtomicFile.write(Data(relationsTable.text.utf8), to: relationsTable.path)
                }
            }
        } catch let exit as ExitCode {
            throw exit
        } catch {
            printError("gloss: \(error)")
            throw ExitCode.failure
        }
    }

    /// Exports one document, as `gloss export FILE` always has.
    private func exportDocument(_ file: String) throws {
        try checkOutput(against: [(file, "the document"), (options.annotationStore(for: file, isSample: false).path, "the annotation store")])
        let text: String
        // CSV's relations table, written beside the output file: its path and text
        var relationsTable: (path: String, text: String)?
        var incomplete = false
        do {
            let opened = try DocumentOpener.open(file, encoding: encoding.encoding)
            let document = opened.document
            try opened.checkWholeText()
            opened.notices.forEach { printError("gloss: \(file): \($0)") }
            let codebook = try options.loadCodebook(forDocument: file)
            let store = options.annotationStore(for: file, isSample: false)
            if options.store != nil || options.coder != nil, !storeOrItsBackup(store.path) {
                printError("gloss: \(store.path): \(AnnotationStore.missingStoreProblem(store.path))")
                throw ExitCode.failure
            }
            let contents = try store.load() ?? StoreContents()
            let placement = Reanchoring.place(contents, in: document)
            if let recorded = contents.document,
               recorded.belongsToAnotherDocument(than: document, total: contents.annotations.count + contents.orphans.count,
                                                 unplaced: placement.orphaned) {
                // the reader opens it read-only: its annotations are another document's, not orphans of this one
                printError(LoadedDocument.line("gloss: \(store.path) belongs to \(recorded.path), not \(file)", advice: "open it with \(options.relinkCommand(for: file)) to take it",
                                               outcome: "not exported"))
                throw ExitCode.failure
            }
            let placed = placement.contents
            let (orphans, stillInvalid) = (placed.orphans, placed.quarantined)
            incomplete = !stillInvalid.isEmpty
            if !orphans.isEmpty {
                printError("gloss: \(store.path): \(orphans.count) orphaned annotation(s) exported without offsets (in \(file): "
                           + Reanchoring.orphanSummary(orphans, reasons: placement.orphanReasons) + ")")
            }
            if !stillInvalid.isEmpty {
                printError("gloss: \(store.path): \(stillInvalid.count) invalid record(s) not exported; open the document in gloss to see them")
            }
            if let special = try interchangeExport([CorpusEntry(name: document.fileName, document: document, contents: placed, codebook: codebook)]) {
                text = special.text
                relationsTable = special.side
            } else {
                text = try format.export(document: document, contents: placed, codebook: codebook, sourceURL: interchange.sourceURL)
            }
            if format == .csv {
                let exported = Set((placed.annotations + orphans).map(\.id))
                let count = placed.relations.filter { exported.contains($0.from) && exported.contains($0.to) }.count
                if let output, isRegularFileOrMissing(output) {
                    relationsTable = (CSVExporter.relationsPath(besides: output),
                                      try CSVExporter.exportRelations(document: document, contents: placed, codebook: codebook))
                } else if count > 0 {
                    printError("gloss: \(count) relation(s) not written: CSV holds them in a second file; give -o OUT.csv to get OUT.relations.csv")
                }
            }
        } catch let exit as ExitCode {
            throw exit
        } catch {
            printError("gloss: \(error)")
            throw ExitCode.failure
        }
        try write(text, relationsTable: relationsTable)
        // invalid records left out (named above): the export is incomplete
        if incomplete { throw ExitCode.failure }
    }
}

/// True when `path` names a regular file (through links) or nothing yet: an export into a
/// pipe, device or socket writes no second file beside it.
/// Why an export must not write the file at `target` (a resolved path), or nil when it may:
/// a store's name or its backup's, even before one exists (Gloss would take the file for
/// one); a document with annotations beside it (`FILE.gloss.json`, a coder's
/// `FILE.gloss.NAME.json`); a write-protected file, which the atomic rename would
/// otherwise replace without a word.
func protectedOutputReason(_ target: String) -> String? {
    let url = URL(fileURLWithPath: target)
    let name = url.lastPathComponent
    if name.hasSuffix(".gloss.json") || name.contains(".gloss.json.") || CoderName.coder(ofStore: name) != nil {
        return "is an annotation store or one of its backups"
    }
    var info = stat()
    guard stat(target, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
    let folder = url.deletingLastPathComponent().path
    let siblings = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
    if let store = siblings.first(where: { $0 == name + ".gloss.json" || ($0.hasPrefix(name + ".gloss.") && CoderName.coder(ofStore: $0) != nil) }) {
        return "is an annotated document (its annotations are in \(store))"
    }
    if info.st_mode & 0o222 == 0 || access(target, W_OK) != 0 {
        return "is write-protected; an export does not replace it"
    }
    return nil
}

/// The file a path stands for, as ``AtomicFile/write(_:to:backup:calls:)`` finds it:
/// through its links, a link to a file not there yet included, so the checks on an output
/// look at the file that would be replaced, and compare inputs resolved the same way.
func outputTarget(_ path: String) -> String {
    AtomicFile.linkTarget(path)
}

/// Refuses `output` (through links) when ``protectedOutputReason(_:)`` gives a reason: the
/// rule every command's `-o` follows, `gloss codebook export` and `import` included.
/// - Throws: `ExitCode.failure`, after naming the file and the reason on standard error.
func refuseProtectedOutput(_ output: String) throws {
    let target = outputTarget(output)
    if let reason = protectedOutputReason(target) {
        printError("gloss: \(output) \(reason); choose another output file")
        throw ExitCode.failure
    }
}

func isRegularFileOrMissing(_ path: String) -> Bool {
    var status = stat()
    guard stat(path, &status) == 0 else { return true }
    return (status.st_mode & S_IFMT) == S_IFREG
}

extension ExportFormat: ExpressibleByArgument {}
