import ArgumentParser
import Foundation
import GlossCore

/// The options of `gloss export` that only some formats take: `--source-url` (w3c,
/// labelstudio), `--offsets` (jsonl) and `--excel` (csv).
struct InterchangeOptions: ParsableArguments {
    @Option(name: .customLong("source-url"), help: ArgumentHelp("With one document and --format w3c or labelstudio: the article's web address, named as the W3C targets' source (instead of the file's path) and as the Label Studio task's data.url.", valueName: "url"))
    var sourceURL: String?

    @Option(name: .long, help: ArgumentHelp("With --format jsonl: what span offsets count, utf16 (JavaScript string indexes, as doccano's annotator counts; the default) or code-points (Python str indexes, as Gloss counts).", valueName: "unit"))
    var offsets: JSONLExporter.OffsetUnit?

    @Flag(name: .long, help: "With --format csv: begin each table with a UTF-8 byte-order mark, so that Excel reads it as UTF-8.")
    var excel = false

    /// Refuses an option the format does not take, `--source-url` with more than one
    /// document or with a value that is no absolute URL.
    func validate(format: ExportOutputFormat, files: [String]) throws {
        if excel && format != .csv {
            throw ValidationError("--excel is for --format csv")
        }
        if offsets != nil && format != .jsonl {
            throw ValidationError("--offsets is for --format jsonl (Label Studio's offsets are always code points)")
        }
        guard let sourceURL else { return }
        guard format == .w3c || format == .labelstudio else {
            throw ValidationError("--source-url is for --format w3c and labelstudio")
        }
        var isFolder: ObjCBool = false
        if files.count != 1 || (FileManager.default.fileExists(atPath: files[0], isDirectory: &isFolder) && isFolder.boolValue) {
            throw ValidationError("--source-url names the web address of one document; export each document on its own to give each its address")
        }
        guard !sourceURL.unicodeScalars.contains(where: { $0.properties.isWhitespace || $0.value < 0x20 }),
              let url = URL(string: sourceURL), let scheme = url.scheme, !scheme.isEmpty,
              sourceURL.hasPrefix(scheme + ":") else {
            throw ValidationError("--source-url \(sourceURL.debugDescription) is not an absolute URL such as https://example.org/news/article")
        }
    }
}

extension Export {
    /// For `labelstudio` and `jsonl`: the output, and the file written beside `-o` (the
    /// Label Studio labeling configuration, `OUT.config.xml`), with what the format cannot
    /// hold printed on standard error. Nil for the other formats.
    func interchangeExport(_ entries: [CorpusEntry]) throws -> (text: String, side: (path: String, text: String)?)? {
        switch format {
        case .labelstudio:
            let export = try LabelStudioExporter.export(corpus: entries, sourceURL: interchange.sourceURL)
            export.notes.forEach { printError("gloss: " + $0) }
            if let output, isRegularFileOrMissing(output) {
                return (export.tasks, (LabelStudioExporter.configurationPath(besides: output), export.configuration))
            }
            printError("gloss: the labeling configuration goes beside the tasks file; give -o OUT.json to get OUT.config.xml")
            return (export.tasks, nil)
        case .jsonl:
            let export = try JSONLExporter.export(corpus: entries, offsets: interchange.offsets ?? .utf16)
            export.notes.forEach { printError("gloss: " + $0) }
            return (export.text, nil)
        default:
            return nil
        }
    }
}

extension JSONLExporter.OffsetUnit: ExpressibleByArgument {}
