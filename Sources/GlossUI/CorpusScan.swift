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

    /// Starts reading the stores at `storePaths` (one per document, in list order) on a
    /// background thread.
    public func start(storePaths: [String]) {
        Thread.detachNewThread { [self] in
            var batch = Batch()
            for (index, path) in storePaths.enumerated() {
                if isCancelled { return }
                let (summary, annotations) = CorpusScan.read(store: path, document: index)
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

    /// Reads one store: its summary and annotations. Never throws: a store that cannot be
    /// read is summarised as ``StoreSummary/unreadable(problem:)``.
    public static func read(store path: String, document: Int) -> (StoreSummary, [CorpusAnnotation]) {
        guard let data = FileManager.default.contents(atPath: path) else {
            return FileManager.default.fileExists(atPath: path) ? (.unreadable(problem: "cannot be read"), []) : (.none, [])
        }
        guard let store = try? JSONDecoder().decode(Lenient.self, from: data) else {
            return (.unreadable(problem: "not JSON"), [])
        }
        guard store.format == StoreCodec.formatName else { return (.unreadable(problem: "not a Gloss store"), []) }
        var tags: [String: Int] = [:]
        var entries: [CorpusAnnotation] = []
        for (records, orphaned) in [(store.annotations ?? [], false), (store.orphans ?? [], true)] {
            for record in records {
                for tag in record.tags { tags[tag.category, default: 0] += 1 }
                guard let id = record.id else { continue }
                let quote = record.quote ?? ""
                let annotation = Annotation(id: id, start: record.start ?? 0, end: record.end ?? 0,
                                            quote: quote.count > CorpusAnnotation.quoteLength ? String(quote.prefix(CorpusAnnotation.quoteLength)) : quote,
                                            prefix: "", suffix: "", tags: record.tags, note: record.note ?? "",
                                            author: "", created: "", modified: "")
                entries.append(CorpusAnnotation(document: document, annotation: annotation, orphaned: orphaned))
            }
        }
        entries.sort { ($0.orphaned ? 1 : 0, $0.annotation.start, $0.annotation.id) < ($1.orphaned ? 1 : 0, $1.annotation.start, $1.annotation.id) }
        return (.counted(annotations: entries.count, tags: tags), entries)
    }

    /// A store read leniently, for the list: a record's field of the wrong type counts as
    /// missing rather than failing the store.
    private struct Lenient: Decodable {
        var format: String?
        var annotations: [Record]?
        var orphans: [Record]?

        struct Record: Decodable {
            var id: String?
            var start: Int?
            var end: Int?
            var quote: String?
            var note: String?
            var tags: [Tag] = []

            enum Keys: String, CodingKey { case id, start, end, quote, note, tags }

            init(from decoder: Decoder) throws {
                guard let container = try? decoder.container(keyedBy: Keys.self) else { return }
                id = try? container.decodeIfPresent(String.self, forKey: .id)
                start = try? container.decodeIfPresent(Int.self, forKey: .start)
                end = try? container.decodeIfPresent(Int.self, forKey: .end)
                quote = try? container.decodeIfPresent(String.self, forKey: .quote)
                note = try? container.decodeIfPresent(String.self, forKey: .note)
                tags = ((try? container.decodeIfPresent([LenientTag].self, forKey: .tags)) ?? []).compactMap(\.tag)
                    .filter { !$0.category.isEmpty }
            }
        }

        struct LenientTag: Decodable {
            var tag: Tag?
            init(from decoder: Decoder) throws { tag = try? Tag(from: decoder) }
        }
    }
}
