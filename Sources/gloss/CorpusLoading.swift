import ArgumentParser
import Foundation
import GlossCore
import GlossImport

/// What reading one document of a corpus gave.
enum LoadedDocument: Sendable {
    /// The document, its store's contents placed in it, and its codebook; `notes` are
    /// lines for standard error (orphans, invalid records), each naming the store.
    case loaded(CorpusEntry, notes: [String])
    /// Left out, not an error: the document has no annotation store. `note` says so.
    case skipped(note: String)
    /// Left out because something is wrong; `message` names the file and the problem.
    case failed(message: String)
}

/// Finds each document's codebook as `gloss export FILE` does (`--codebook`, else the
/// nearest `gloss.codebook.json`, else the bundled one), reading each codebook file once.
final class CodebookCache {
    private let options: DocumentOptions
    /// Codebook or error by the folder a document is in.
    private var byFolder: [String: Result<Codebook, Error>] = [:]
    /// Codebook or error by the codebook file's path (nil: the bundled one).
    private var byFile: [String: Result<Codebook, Error>] = [:]

    init(options: DocumentOptions) {
        self.options = options
    }

    /// The codebook for the document at `path`.
    /// - Throws: ``CodebookError`` naming the codebook file when it cannot be used.
    func codebook(forDocument path: String) throws -> Codebook {
        let folder = URL(fileURLWithPath: path).standardizedFileURL.deletingLastPathComponent().path
        if let known = byFolder[folder] { return try known.get() }
        let file = options.codebook ?? Codebook.discover(forDocument: path) ?? ""
        let result: Result<Codebook, Error>
        if let known = byFile[file] {
            result = known
        } else {
            result = Result { try options.loadCodebook(forDocument: path) }
            byFile[file] = result
        }
        byFolder[folder] = result
        return try result.get()
    }
}

/// Reads one document of a corpus for `gloss export` and `gloss stats`: the text (checked
/// whole), its store, placed in the text as the reader places it.
/// - Parameters:
///   - checkExport: also check every annotation against the text as the exporters do,
///     so a store that does not fit its document fails here, named, and not in the
///     middle of the corpus output.
///   - forCounting: read the store with ``StoreScan`` leaving out the fields counts do
///     not need (notes, authors, times, the memo), falling back to ``AnnotationStore``
///     for any store it cannot vouch for; the counts are the same either way.
///   - encoding: the encoding `--encoding` named for every document, or nil.
func loadCorpusDocument(_ entry: CorpusDocument, codebook: Codebook, checkExport: Bool, forCounting: Bool = false,
                        encoding: TextEncoding? = nil) -> LoadedDocument {
    let storePath = entry.storePath
    guard FileManager.default.fileExists(atPath: storePath) else {
        return .skipped(note: "gloss: \(entry.path): no annotation store (\(storePath)); skipped")
    }
    do {
        let opened = try DocumentOpener.open(entry.path, encoding: encoding)
        let document = opened.document
        try opened.checkWholeText()
        let scanned = forCounting ? FileManager.default.contents(atPath: storePath).flatMap { StoreScan.contents(of: $0, allFields: false) } : nil
        guard let contents = try scanned ?? AnnotationStore(path: storePath).load() else {
            return .skipped(note: "gloss: \(entry.path): no annotation store (\(storePath)); skipped")
        }
        let placed = Reanchoring.place(contents, in: document).contents
        var notes = opened.notices.map { "gloss: \(entry.path): \($0)" }
        if !placed.orphans.isEmpty {
            notes.append("gloss: \(storePath): \(placed.orphans.count) orphaned annotation(s) (their quotes are no longer in \(entry.path)) counted without offsets")
        }
        if !placed.quarantined.isEmpty {
            notes.append("gloss: \(storePath): \(placed.quarantined.count) invalid record(s) left out; open the document in gloss to see them")
        }
        let corpusEntry = CorpusEntry(name: entry.path, document: document, contents: placed, codebook: codebook)
        if checkExport {
            do {
                try corpusEntry.check()
            } catch {
                return .failed(message: "gloss: \(storePath): does not fit \(entry.path): \(error)")
            }
        }
        return .loaded(corpusEntry, notes: notes)
    } catch {
        return .failed(message: "gloss: \(error)")
    }
}

/// Refuses, as a usage error (exit status 64, 2 for `gloss grep`), corpus arguments that
/// name nothing: a mistyped path, or a stray word taken for one.
/// - Throws: `ValidationError` naming the first such argument.
func checkCorpusArguments(_ files: [String]) throws {
    if files.isEmpty { throw ValidationError("Missing expected argument '<dir|file> ...'") }
    for file in files where file.isEmpty || !FileManager.default.fileExists(atPath: file) {
        throw ValidationError("\(file): no document or folder there")
    }
}
