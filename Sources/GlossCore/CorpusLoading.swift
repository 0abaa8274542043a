import Foundation

/// What reading one document of a corpus gave (``CorpusEntry/load(_:codebook:checkExport:forCounting:opening:)``).
public enum LoadedDocument: Sendable {
    /// The document, its store's contents placed in it, and its codebook; `notes` are
    /// lines for standard error (orphans, invalid records), each naming the store.
    case loaded(CorpusEntry, notes: [String])
    /// Left out, not an error: the document has no annotation store (and its file can be
    /// opened). `note` says so.
    case skipped(note: String)
    /// Left out because something is wrong; `message` names the file and the problem, and
    /// `advice`, when there is some, says how to put it right. A caller writes them as
    /// `MESSAGE; not counted (ADVICE)` (``line(_:advice:outcome:)``).
    case failed(message: String, advice: String? = nil)

    /// One line for standard error about a document left out: `message`, what happened to
    /// the document (`outcome`: "not counted", "not exported"), then the advice in brackets.
    public static func line(_ message: String, advice: String?, outcome: String) -> String {
        message + "; " + outcome + (advice.map { " (\($0))" } ?? "")
    }
}

/// Opens a document of a corpus by its path and checks its whole text: the document and
/// lines to say about the opening (such as the encoding it was read in, without the
/// file's name). The command line passes its importers (HTML, Markdown, PDF, encodings);
/// ``CorpusEntry/plainText`` reads text files only.
/// - Throws: what opening or checking the text throws, naming the file.
public typealias DocumentOpening = @Sendable (_ path: String) throws -> (document: Document, notices: [String])

extension CorpusEntry {
    /// Opens a text file as ``Document/init(contentsOfFile:)`` does and checks its whole text.
    public static let plainText: DocumentOpening = { path in
        let document = try Document(contentsOfFile: path)
        try document.checkWholeText()
        return (document, [])
    }

    /// Reads one document of a corpus for `gloss export`, `gloss stats` and the reader's
    /// summary: the text (checked whole), its store, placed in the text as the reader
    /// places it (``Reanchoring/place(_:in:)``). A document without a store is skipped,
    /// unless its file cannot be opened (``RegularFile/open(_:)``: missing, unreadable):
    /// that fails, naming the file and the reason.
    /// - Parameters:
    ///   - entry: the document and where its store is.
    ///   - codebook: the document's codebook, kept in the entry.
    ///   - checkExport: for `gloss export`: also check every annotation against the text
    ///     as the exporters do, so a store that does not fit its document fails here,
    ///     named, and not in the middle of the corpus output; the notes then say
    ///     "exported", else "counted".
    ///   - forCounting: read the store with ``StoreScan`` leaving out the fields counts do
    ///     not need (notes, authors, times, the memo), falling back to ``AnnotationStore``
    ///     for any store it cannot vouch for; the counts are the same either way.
    ///   - opening: how the document's text is read (importers for HTML, Markdown, PDF).
    public static func load(_ entry: CorpusDocument, codebook: Codebook, checkExport: Bool, forCounting: Bool = false,
                            opening: DocumentOpening = CorpusEntry.plainText) -> LoadedDocument {
        let storePath = entry.storePath
        guard FileManager.default.fileExists(atPath: storePath) else {
            // a backup that holds annotations is not "no annotations"
            if let missing = AnnotationStore(path: storePath).missingWithBackup() { return .failed(message: "gloss: \(missing)") }
            // a text that cannot be opened is an error, store or not, never a quiet skip
            do {
                close(try RegularFile.open(entry.path).descriptor)
            } catch {
                return .failed(message: "gloss: \(error)")
            }
            return .skipped(note: "gloss: \(entry.path): no annotation store (\(storePath)); skipped")
        }
        do {
            let (document, notices) = try opening(entry.path)
            let scanned = forCounting ? FileManager.default.contents(atPath: storePath).flatMap { StoreScan.contents(of: $0, allFields: false) } : nil
            guard let contents = try scanned ?? AnnotationStore(path: storePath).load() else {
                return .skipped(note: "gloss: \(entry.path): no annotation store (\(storePath)); skipped")
            }
            let placement = Reanchoring.place(contents, in: document)
            let verb = checkExport ? "exported" : "counted"
            // as the reader refuses it: its annotations would all count again, as orphans of this document
            if let recorded = contents.document,
               recorded.belongsToAnotherDocument(than: document, total: contents.annotations.count + contents.orphans.count,
                                                 unplaced: placement.orphaned) {
                return .failed(message: "gloss: \(storePath) belongs to \(recorded.path), not \(entry.path)",
                               advice: "open it with gloss \(entry.path) --relink to take it")
            }
            let placed = placement.contents
            var notes = notices.map { "gloss: \(entry.path): \($0)" }
            if !placed.orphans.isEmpty {
                notes.append("gloss: \(storePath): \(placed.orphans.count) orphaned annotation(s) \(verb) without offsets (in \(entry.path): "
                             + Reanchoring.orphanSummary(placed.orphans, reasons: placement.orphanReasons) + ")")
            }
            if !placed.quarantined.isEmpty {
                notes.append("gloss: \(storePath): \(placed.quarantined.count) invalid record(s) not \(verb); open the document in gloss to see them")
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
}
