import Foundation
import GlossCore

/// What the document list knows of one document's store, read without the document's text.
public enum StoreSummary: Hashable, Sendable {
    /// No store yet.
    case none
    /// The store's annotations (orphans included): how many, and how many tags of each
    /// category id.
    case counted(annotations: Int, tags: [String: Int])
    /// The store could not be read as a Gloss store (`problem` says why); it is left as it is.
    case unreadable(problem: String)
}

/// One annotation of the corpus as the corpus-wide list shows it: read from a store
/// without the document's text.
public struct CorpusAnnotation: Hashable, Sendable {
    /// Index of its document in the ``DocumentList``.
    public var document: Int
    /// The annotation as the store records it, its quote cut to ``quoteLength`` characters.
    public var annotation: Annotation
    /// True when it is in the store's `orphans` list.
    public var orphaned: Bool

    /// Characters of a quote kept for the list.
    public static let quoteLength = 160
}

/// Reads the stores of a corpus's documents (tags, quotes' starts, notes; never a
/// document's text) on a background thread, in list order, and hands the results over in
/// batches: the document list's counts, the corpus-wide annotation list, and the values
/// completion offers.
public final class CorpusScan: @unchecked Sendable {
    /// One batch of results.
    public struct Batch: Sendable {
        /// Store summaries by document index.
        public var summaries: [Int: StoreSummary] = [:]
        /// The batch's annotations, by document then store order.
        public var annotations: [CorpusAnnotation] = []
        /// True on the last batch.
        public var finished = false
    }

    private let lock = NSLock()
    private var batches: [Batch] = []
    private var cancelled = false
    /// Documents read per batch.
    static let batchSize = 64

    /// A scan not yet started.
    public init() {}

    /// Starts reading the stores at `storePaths` (one per document, in list order; the
    /// documents at `documentPaths`) on a background thread.
    public func start(storePaths: [String], documentPaths: [String]) {
        Thread.detachNewThread { [self] in
            var batch = Batch()
            for (index, path) in storePaths.enumerated() {
                if isCancelled { return }
                let (summary, annotations) = CorpusScan.read(store: path, document: index,
                                                             documentPath: index < documentPaths.count ? documentPaths[index] : nil)
                batch.summaries[index] = summary
                batch.annotations += annotations
                if batch.summaries.count >= CorpusScan.batchSize {
                    deliver(batch)
                    batch = Batch()
                }
            }
            batch.finished = true
            deliver(batch)
        }
    }

    /// Stops the scan after the store it is reading.
    public func cancel() {
        lock.lock()
        cancelled = true
        lock.unlock()
    }

    private var isCancelled: Bool {
        lock.lock()
        defer { lock.unlock() }
        return cancelled
    }

    private func deliver(_ batch: Batch) {
        lock.lock()
        batches.append(batch)
        lock.unlock()
    }

    /// The batches finished since the last call, oldest first.
    public func take() -> [Batch] {
        lock.lock()
        defer { lock.unlock() }
        let taken = batches
        batches = []
        return taken
    }

    /// Reads one store: its summary and annotations, as the reader and `gloss stats` read
    /// it (``StoreScan``, else ``AnnotationStore``), so the list's figures are theirs: a
    /// record the store codec quarantines (a repeated id, an offset that is not a whole
    /// number, ...) is left out, and a store they refuse (damaged, not Gloss's, written
    /// by a newer Gloss) is ``StoreSummary/unreadable(problem:)`` with their reason. When
    /// the store records another file name, the document's text is read to tell a
    /// renamed document from another document's store
    /// (``StoredDocument/belongsToAnotherDocument(than:total:unplaced:)``), which is refused
    /// too. Never throws.
    /// - Parameters:
    ///   - path: the store's path.
    ///   - document: the document's index in the list.
    ///   - documentPath: the document's path; nil skips the check for another document's store.
    public static func read(store path: String, document: Int, documentPath: String? = nil) -> (StoreSummary, [CorpusAnnotation]) {
        guard let data = FileManager.default.contents(atPath: path) else {
            guard FileManager.default.fileExists(atPath: path) else {
                // a backup holding annotations is not "no store": the row says so (opening offers it)
                if let missing = AnnotationStore(path: path).missingWithBackup() { return (.unreadable(problem: missing.problem), []) }
                return (.none, [])
            }
            // the store's own reading gives the reason (permission denied, a folder, ...)
            do { _ = try AnnotationStore(path: path).load() } catch { return (.unreadable(problem: (error as? StoreError)?.problem ?? "\(error)"), []) }
            return (.unreadable(problem: "cannot be read"), [])
        }
        let contents: StoreContents
        do {
            // the fast reader vouches for what the codec would read, else the codec says why not
            guard let read = try StoreScan.contents(of: data) ?? AnnotationStore(path: path).load() else { return (.none, []) }
            contents = read
        } catch {
            return (.unreadable(problem: (error as? StoreError)?.problem ?? "\(error)"), [])
        }
        if let documentPath, let recorded = contents.document, let other = anotherDocument(recorded, contents: contents, documentPath: documentPath) {
            return (.unreadable(problem: "belongs to \(other)"), [])
        }
        var tags: [String: Int] = [:]
        var entries: [CorpusAnnotation] = []
        for (records, orphaned) in [(contents.annotations, false), (contents.orphans, true)] {
            for record in records {
                for tag in record.tags { tags[tag.category, default: 0] += 1 }
                var annotation = record
                // the list shows a quote's start; the rest of the record is the reader's
                if annotation.quote.count > CorpusAnnotation.quoteLength { annotation.quote = String(annotation.quote.prefix(CorpusAnnotation.quoteLength)) }
                (annotation.prefix, annotation.suffix, annotation.author, annotation.created, annotation.modified) = ("", "", "", "", "")
                entries.append(CorpusAnnotation(document: document, annotation: annotation, orphaned: orphaned))
            }
        }
        entries.sort { ($0.orphaned ? 1 : 0, $0.annotation.start, $0.annotation.id) < ($1.orphaned ? 1 : 0, $1.annotation.start, $1.annotation.id) }
        return (.counted(annotations: entries.count, tags: tags), entries)
    }

    /// The document `recorded` names when the store belongs to it rather than to the
    /// document at `documentPath`; nil when it is this document's. Reads the text only
    /// when the recorded file name differs, as a renamed document's does.
    static func anotherDocument(_ recorded: StoredDocument, contents: StoreContents, documentPath: String) -> String? {
        guard URL(fileURLWithPath: recorded.path).lastPathComponent != URL(fileURLWithPath: documentPath).lastPathComponent,
              let document = try? Document(contentsOfFile: documentPath), (try? document.checkWholeText()) != nil else { return nil }
        let placement = Reanchoring.place(contents, in: document)
        let total = contents.annotations.count + contents.orphans.count
        return recorded.belongsToAnotherDocument(than: document, total: total, unplaced: placement.orphaned) ? recorded.path : nil
    }
}
