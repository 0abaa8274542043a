import ArgumentParser
import Foundation
import GlossCore

/// `gloss export FILE --format FORMAT [-o OUT]`.
///
/// Nothing is written when the text is damaged anywhere in it: the whole text is checked
/// first, so a large file fails as a small one with the same bytes does. Written to a
/// terminal, the export shows the text's control characters as the reader draws them
/// (``ControlPictures``), line ends kept; written to a file or a pipe, it is exact.
struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a document's annotations as W3C Web Annotation JSON, CSV or Markdown.",
        version: GlossVersion.string)

    @Argument(help: ArgumentHelp("The annotated text file.", valueName: "file"))
    var file: String

    @Option(name: .shortAndLong, help: ArgumentHelp("Output format: w3c, csv or markdown.", valueName: "format"))
    var format: ExportFormat

    @Option(name: .shortAndLong, help: ArgumentHelp("Where to write; standard output when absent.", valueName: "path"))
    var output: String?

    @OptionGroup var options: DocumentOptions

    func validate() throws {
        try options.validate()
    }

    func run() throws {
        if let output {
            guard !output.isEmpty else {
                printError("gloss: -o needs a file name")
                throw ExitCode.failure
            }
            // an export never replaces what it was made from, nor any annotation store
            let target = URL(fileURLWithPath: output).resolvingSymlinksInPath().standardizedFileURL.path
            let name = URL(fileURLWithPath: target).lastPathComponent
            if FileManager.default.fileExists(atPath: target), name.hasSuffix(".gloss.json") || name.contains(".gloss.json.") || CoderName.coder(ofStore: name) != nil {
                printError("gloss: \(output) is an annotation store or one of its backups; choose another output file")
                throw ExitCode.failure
            }
            let storePath = options.annotationStore(for: file, isSample: false).path
            for (input, what) in [(file, "the document"), (storePath, "the annotation store")]
            where URL(fileURLWithPath: input).resolvingSymlinksInPath().standardizedFileURL.path == target {
                printError("gloss: \(output) is \(what); choose another output file")
                throw ExitCode.failure
            }
        }
        let text: String
        // CSV's relations table, written beside the output file: its path and text
        var relationsTable: (path: String, text: String)?
        do {
            let document = try Document(contentsOfFile: file)
            try document.checkWholeText()
            let codebook = try options.loadCodebook(forDocument: file)
            let store = options.annotationStore(for: file, isSample: false)
            if options.store != nil || options.coder != nil, !FileManager.default.fileExists(atPath: store.path) {
                printError("gloss: \(store.path): no such annotation store")
                throw ExitCode.failure
            }
            let contents = try store.load() ?? StoreContents()
            let placed = Reanchoring.place(contents, in: document).contents
            let (orphans, stillInvalid) = (placed.orphans, placed.quarantined)
            if !orphans.isEmpty {
                printError("gloss: \(store.path): \(orphans.count) orphaned annotation(s) (their quotes are no longer in \(file)) exported without offsets")
            }
            if !stillInvalid.isEmpty {
                printError("gloss: \(store.path): \(stillInvalid.count) invalid record(s) not exported; open the document in gloss to see them")
            }
            text = try format.export(document: document, contents: placed, codebook: codebook)
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
        guard let output else {
            // an escape sequence in a quote or file name would act on the terminal
            let shown = isatty(STDOUT_FILENO) == 1 ? ControlPictures.visible(text, keepingLineEnds: true) : text
            FileHandle.standardOutput.write(Data(shown.utf8))
            return
        }
        do {
            try AtomicFile.write(Data(text.utf8), to: output)
            if let relationsTable {
                let name = URL(fileURLWithPath: relationsTable.path).lastPathComponent
                if FileManager.default.fileExists(atPath: relationsTable.path), name.contains(".gloss.json") {
                    printError("gloss: \(relationsTable.path) is an annotation store or one of its backups; the relations table was not written")
                    throw ExitCode.failure
                }
                try AtomicFile.write(Data(relationsTable.text.utf8), to: relationsTable.path)
            }
        } catch let exit as ExitCode {
            throw exit
        } catch {
            printError("gloss: \(error)")
            throw ExitCode.failure
        }
    }
}

/// True when `path` names a regular file (through links) or nothing yet: an export into a
/// pipe, device or socket writes no second file beside it.
private func isRegularFileOrMissing(_ path: String) -> Bool {
    var status = stat()
    guard stat(path, &status) == 0 else { return true }
    return (status.st_mode & S_IFMT) == S_IFREG
}

extension ExportFormat: ExpressibleByArgument {}
