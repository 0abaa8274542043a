import Crypto
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The document a store refers to.
public struct StoredDocument: Codable, Hashable, Sendable {
    /// The document's path relative to the store's folder, or absolute when elsewhere.
    public var path: String
    /// Lower-case hex SHA-256 of the document text's UTF-8 bytes (no byte-order mark).
    public var sha256: String
    /// Length of the text in code points.
    public var length: Int

    /// Creates the record.
    public init(path: String, sha256: String, length: Int) {
        self.path = path
        self.sha256 = sha256
        self.length = length
    }
}

/// A record of the store's annotation lists that is not a valid annotation: kept as read,
/// written back unchanged, shown as invalid, never placed in the text.
public struct QuarantinedRecord: Hashable, Sendable {
    /// The record exactly as read.
    public var record: JSONValue
    /// Which list held it: `annotations` or `orphans`.
    public var list: String
    /// Its position in that list, from 0.
    public var position: Int
    /// Why it is not valid, one line, such as `"start" is null`.
    public var reason: String

    /// Creates the record.
    public init(record: JSONValue, list: String, position: Int, reason: String) {
        self.record = record
        self.list = list
        self.position = position
        self.reason = reason
    }

    /// The annotation the record holds when only its offsets failed the check against
    /// the stored document length; when the text is not the one the store records,
    /// re-anchoring by its quote may still place it.
    public var annotation: Annotation?

    /// The record's `id` when it has a string one.
    public var id: String? { record["id"]?.stringValue }
    /// The record's `quote` when it has a string one.
    public var quote: String? { record["quote"]?.stringValue }
}

/// Everything a store holds (DESIGN.md §3, store version 2):
/// ```
/// { "format": "gloss-annotations", "version": 2,
///   "document": { "path", "sha256", "length" },
///   "annotations": [ ... ],   // offsets into the document with this sha256
///   "orphans": [ ... ] }      // quote not found in the text: offsets are historical
/// ```
/// Annotations are ordered by (start, end, id) so two analysts' files diff and merge
/// cleanly. Version 1 had no `orphans`.
public struct StoreContents: Hashable, Sendable {
    /// Valid annotations, in document order.
    public var annotations: [Annotation]
    /// Annotations whose quote could not be found in the document: kept with the offsets
    /// they last had, never drawn in the text.
    public var orphans: [Annotation]
    /// Records that are not valid annotations, as read.
    public var quarantined: [QuarantinedRecord]
    /// The `document` record as read; nil for a store not yet written.
    public var document: StoredDocument?
    /// The `version` as read; ``AnnotationStore/currentVersion`` for a new store.
    public var version: Int
    /// Top-level members this Gloss does not know, written back unchanged.
    public var otherFields: [String: JSONValue]

    /// Creates contents; `annotations` are put in document order.
    public init(annotations: [Annotation] = [], orphans: [Annotation] = [], quarantined: [QuarantinedRecord] = [],
                document: StoredDocument? = nil, version: Int = AnnotationStore.currentVersion,
                otherFields: [String: JSONValue] = [:]) {
        self.annotations = annotations.sorted(by: Annotation.documentOrder)
        self.orphans = orphans
        self.quarantined = quarantined
        self.document = document
        self.version = version
        self.otherFields = otherFields
    }
}

/// A store that cannot be read or written. `description` is one line naming the file.
public struct StoreError: Error, CustomStringConvertible, Equatable {
    /// The store's path.
    public var path: String
    /// What is wrong.
    public var problem: String

    /// Creates the error.
    public init(path: String, problem: String) {
        self.path = path
        self.problem = problem
    }

    public var description: String { "\(path): \(problem)" }
}

extension Annotation {
    /// The store's order: by start, then end, then id.
    public static func documentOrder(_ a: Annotation, _ b: Annotation) -> Bool {
        (a.start, a.end, a.id) < (b.start, b.end, b.id)
    }
}

/// Reads and writes the annotation store of one document.
///
/// Every save is atomic: the JSON goes to a temporary file in the store's folder, which is
/// flushed to disk and renamed over the store, and the folder is synced; the store on disk
/// is never missing or half written. The version it replaces is kept as ``backupPath``.
/// A save notices when the file changed on disk since this store last read or wrote it
/// (another tool, a `git pull`) and merges by annotation id, or refuses.
public final class AnnotationStore: @unchecked Sendable {
    /// The value of `format` in every store: `gloss-annotations`.
    public static let formatName = "gloss-annotations"
    /// The store version this Gloss writes. Version 1 (no `orphans`) is read and migrated.
    public static let currentVersion = 2
    /// The oldest store version this Gloss reads.
    public static let oldestVersion = 1

    /// Path of the store file.
    public let path: String
    /// The system calls saves use; tests inject failures here.
    public let calls: FileSystemCalls
    /// The file's identity and contents when this store last read or wrote it.
    private var lastSeen: (fingerprint: Fingerprint?, contents: StoreContents)?

    /// A store at `path`.
    public init(path: String, calls: FileSystemCalls = .posix) {
        self.path = path
        self.calls = calls
    }

    /// The default store path for a document: the document's path plus `.gloss.json`.
    public static func defaultPath(forDocument documentPath: String) -> String {
        documentPath + ".gloss.json"
    }

    /// Where each save keeps the version it replaced: ``path`` plus `.bak`.
    public var backupPath: String { path + ".bak" }

    /// Removes the temporary files (`.STORE.tmp-PID-N`, `.STORE.bak.tmp-PID-N`,
    /// `.STORE.lock.tmp-PID-N`) that saves left when their process was killed, when that
    /// process no longer runs; no other file is touched. Call it only while holding the
    /// store's lock.
    /// - Returns: the names removed.
    @discardableResult
    public func removeAbandonedTemporaryFiles() -> [String] {
        let resolved = URL(fileURLWithPath: path).resolvingSymlinksInPath()
        // saves write in the folder of the file a link points to; the backup keeps the link's name
        let names = Set([resolved.lastPathComponent, URL(fileURLWithPath: path).lastPathComponent].flatMap { [$0, $0 + ".bak", $0 + ".lock"] })
        return AtomicFile.removeAbandonedTemporaries(of: names, in: resolved.deletingLastPathComponent().path)
    }

    /// What ``open(movingDamagedAside:)`` found.
    public enum Opening: Sendable {
        /// No file at ``path``: a new store.
        case absent
        /// The store's contents; invalid records are in `quarantined`.
        case opened(StoreContents)
        /// The file was empty, truncated or not a readable store: it was renamed to
        /// `movedTo`, and `backup` holds the contents of ``backupPath`` when that is readable.
        case damaged(problem: String, movedTo: String, backup: StoreContents?)
    }

    /// Reads the store.
    /// - Returns: the contents, or nil when no file exists at ``path``.
    /// - Throws: ``StoreError`` when the file exists but cannot be read or is not a store
    ///   this Gloss reads (see ``decode(_:path:)``). The file is never changed.
    public func load() throws -> StoreContents? {
        switch try open(movingDamagedAside: false) {
        case .absent: return nil
        case .opened(let contents): return contents
        case .damaged(let problem, _, _): throw StoreError(path: path, problem: problem)
        }
    }

    /// Reads the store, dealing with a damaged one as vim deals with a swap file: a store
    /// that is empty, truncated, not JSON, or a Gloss store whose structure is broken is
    /// renamed to `STORE.corrupt-<UTC time>` (never overwritten) and the backup offered.
    /// - Parameter movingDamagedAside: false to throw instead of renaming.
    /// - Throws: ``StoreError`` when the file cannot be read, is another program's JSON,
    ///   was written by a newer Gloss, or is damaged and cannot be renamed.
    public func open(movingDamagedAside: Bool) throws -> Opening {
        let fingerprint = Fingerprint(path: path)
        guard fingerprint != nil || FileManager.default.fileExists(atPath: path) else {
            lastSeen = (nil, StoreContents())
            return .absent
        }
        let data = try read(path)
        do {
            let contents = try AnnotationStore.decode(data, path: path)
            lastSeen = (fingerprint, contents)
            return .opened(contents)
        } catch let error as DamagedStore {
            guard movingDamagedAside else { throw StoreError(path: path, problem: error.problem) }
            let aside = try moveAside()
            let backup = (try? read(backupPath)).flatMap { try? AnnotationStore.decode($0, path: backupPath) }
            if backup != nil {
                // the backup is the last good copy; later saves replace STORE.bak, so it is
                // also kept beside the damaged file, whatever the user answers
                if link(backupPath, aside + ".bak") != 0, let data = try? read(backupPath) {
                    try? AtomicFile.write(data, to: aside + ".bak")
                }
            }
            lastSeen = (nil, StoreContents())
            return .damaged(problem: error.problem, movedTo: aside, backup: backup)
        }
    }

    private func read(_ file: String) throws -> Data {
        do {
            return try Data(contentsOf: URL(fileURLWithPath: file))
        } catch {
            throw StoreError(path: file, problem: "cannot read the annotation store: \(Document.reason(for: error, path: file))")
        }
    }

    /// Renames the store to a free `.corrupt-<time>` name beside it.
    private func moveAside() throws -> String {
        let stamp = Annotation.timestamp(Date()).replacingOccurrences(of: ":", with: "").replacingOccurrences(of: "-", with: "")
        var aside = path + ".corrupt-" + stamp
        var attempt = 1
        while FileManager.default.fileExists(atPath: aside) {
            attempt += 1
            aside = path + ".corrupt-\(stamp)-\(attempt)"
        }
        guard rename(path, aside) == 0 else {
            throw StoreError(path: path, problem: "damaged, and cannot be moved aside to \(aside): \(String(cString: strerror(errno)))")
        }
        return aside
    }

    /// Writes `contents` for `document`, atomically, keeping the replaced file as
    /// ``backupPath``. When the file changed on disk since this store last read or wrote
    /// it, the change is merged by annotation id first (see ``merge(base:ours:theirs:)``),
    /// and annotations taken from disk are re-anchored in `document`.
    /// - Parameter document: the store records its path, SHA-256 and length, unless
    ///   `keepingDocumentRecord` is true and the contents have one (a migration that must
    ///   not claim the text was checked).
    /// - Returns: what was written: `contents`, or the merge.
    /// - Throws: ``StoreError`` when writing fails, or when the file on disk changed and
    ///   cannot be read or merged; the file on disk is then as it was.
    @discardableResult
    public func save(_ contents: StoreContents, of document: Document, keepingDocumentRecord: Bool = false) throws -> StoreContents {
        var written = contents
        if let lastSeen, Fingerprint(path: path) != lastSeen.fingerprint,
           let theirs = try currentContentsForMerge() {
            do {
                written = try AnnotationStore.merge(base: lastSeen.contents, ours: contents, theirs: theirs)
            } catch let conflict as MergeConflict {
                throw StoreError(path: path, problem: "changed on disk since Gloss read it, and annotation \(conflict.id) was changed both there and here; not saved")
            }
            let placement = Reanchoring.reanchor(written.annotations + written.orphans, in: document, recordedLength: theirs.document?.length)
            written.annotations = placement.anchored
            written.orphans = placement.orphans
        }
        if !(keepingDocumentRecord && written.document != nil) {
            written.document = StoredDocument(path: storedPath(of: document), sha256: hash(of: document), length: document.length)
        }
        written.version = AnnotationStore.currentVersion
        let data: Data
        do {
            data = try AnnotationStore.encode(written)
        } catch {
            throw StoreError(path: path, problem: "cannot encode the annotations: \(error)")
        }
        try AtomicFile.write(data, to: path, backup: backupPath, calls: calls)
        lastSeen = (Fingerprint(path: path), written)
        return written
    }

    /// Writes `annotations` of `document` as the whole store, without orphans or
    /// quarantined records.
    /// - Throws: ``StoreError`` as ``save(_:of:keepingDocumentRecord:)`` does.
    public func save(_ annotations: [Annotation], of document: Document) throws {
        try save(StoreContents(annotations: annotations), of: document)
    }

    /// The file on disk for a merge, nil when it vanished (then ours is written).
    private func currentContentsForMerge() throws -> StoreContents? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        do {
            return try AnnotationStore.decode(try read(path), path: path)
        } catch let damaged as DamagedStore {
            throw StoreError(path: path, problem: "changed on disk since Gloss read it and is now unreadable (\(damaged.problem)); not saved")
        } catch let error as StoreError {
            throw StoreError(path: path, problem: "changed on disk since Gloss read it: \(error.problem); not saved")
        }
    }

    /// Two edits of the same annotation.
    struct MergeConflict: Error { var id: String }

    /// A three-way merge by annotation id, as git merges lines: for each id, a side that
    /// did not change it since `base` takes the other side's version; an edit beats a
    /// deletion; anything both changed alike is kept once. An annotation deleted on disk
    /// (`theirs`) but still here is kept: a rollback of the file (`git checkout`) must not
    /// silently take saved work away, and the user can delete it with `x`.
    /// Quarantined records and unknown fields come from `theirs`, less the records `ours`
    /// deleted.
    /// - Throws: ``MergeConflict`` when both sides changed one annotation differently.
    static func merge(base: StoreContents, ours: StoreContents, theirs: StoreContents) throws -> StoreContents {
        struct Entry: Equatable { var annotation: Annotation; var orphan: Bool }
        func entries(_ contents: StoreContents) -> [String: Entry] {
            var result: [String: Entry] = [:]
            for annotation in contents.annotations { result[annotation.id] = Entry(annotation: annotation, orphan: false) }
            for annotation in contents.orphans { result[annotation.id] = Entry(annotation: annotation, orphan: true) }
            return result
        }
        let baseEntries = entries(base), ourEntries = entries(ours), theirEntries = entries(theirs)
        var merged = StoreContents(quarantined: [], document: theirs.document, version: theirs.version, otherFields: theirs.otherFields)
        let ids = Set(baseEntries.keys).union(ourEntries.keys).union(theirEntries.keys).sorted()
        for id in ids {
            let old = baseEntries[id], mine = ourEntries[id], other = theirEntries[id]
            let chosen: Entry?
            if mine == other || old == other {
                chosen = mine
            } else if other == nil {
                chosen = mine
            } else if old == mine {
                chosen = other
            } else if mine == nil || other == nil {
                chosen = mine ?? other
            } else {
                throw MergeConflict(id: id)
            }
            guard let chosen else { continue }
            if chosen.orphan { merged.orphans.append(chosen.annotation) } else { merged.annotations.append(chosen.annotation) }
        }
        merged.annotations.sort(by: Annotation.documentOrder)
        let deleted = base.quarantined.filter { record in !ours.quarantined.contains { $0.record == record.record } }
        merged.quarantined = theirs.quarantined.filter { record in !deleted.contains { $0.record == record.record } }
            + ours.quarantined.filter { record in !base.quarantined.contains { $0.record == record.record } }
        return merged
    }

    // MARK: - JSON

    /// A store that cannot be used as it is and may be moved aside.
    struct DamagedStore: Error { var problem: String }

    /// Parses store JSON; `path` is used in errors. Records that are not valid annotations
    /// (a missing, null, fractional or negative offset, `end` before `start` or past
    /// `document.length`, malformed tags, an empty or repeated id) are quarantined, not
    /// refused.
    /// - Throws: ``StoreError`` for JSON that is not a Gloss store (`format` differs) or
    ///   comes from a newer Gloss; `DamagedStore` for an empty, truncated or non-JSON file
    ///   or a Gloss store without a readable `document` or `annotations` list.
    public static func decode(_ data: Data, path: String) throws -> StoreContents {
        let raw: RawStore
        do {
            raw = try JSONDecoder().decode(RawStore.self, from: data)
        } catch {
            if data.allSatisfy({ [0x20, 0x0A, 0x0D, 0x09].contains($0) }) {
                throw DamagedStore(problem: "damaged annotation store: the file is empty")
            }
            throw DamagedStore(problem: "damaged annotation store: \(JSONProblem.describe(error))")
        }
        guard raw.format == formatName else {
            let found = raw.format.map { "\"\($0)\"" } ?? "none"
            throw StoreError(path: path, problem: "not a Gloss annotation store: \"format\" is \(found), expected \"\(formatName)\"")
        }
        guard let version = raw.version else {
            throw DamagedStore(problem: "damaged annotation store: \"version\" is missing or not a whole number")
        }
        guard version <= currentVersion else {
            throw StoreError(path: path, problem: "written by a newer Gloss (store version \(version); this Gloss reads up to \(currentVersion)); update Gloss to open it")
        }
        guard version >= oldestVersion else {
            throw StoreError(path: path, problem: "not a Gloss annotation store: there is no store version \(version)")
        }
        guard let document = raw.document else {
            throw DamagedStore(problem: "damaged annotation store: \(raw.documentProblem ?? "missing \"document\"")")
        }
        guard let annotationRecords = raw.annotations else {
            throw DamagedStore(problem: "damaged annotation store: \(raw.annotationsProblem ?? "missing \"annotations\"")")
        }
        var contents = StoreContents(document: document, version: version, otherFields: raw.otherFields)
        var ids = Set<String>()
        func validate(_ records: [Record], list: String, withinLength: Bool) -> [Annotation] {
            var valid: [Annotation] = []
            for (position, record) in records.enumerated() {
                var problem: String?
                var outOfRange: Annotation?
                switch record.content {
                case .invalid(let reason):
                    problem = reason
                case .valid(let annotation):
                    if annotation.id.isEmpty {
                        problem = "\"id\" is empty"
                    } else if annotation.start < 0 || annotation.end < annotation.start {
                        problem = "offsets \(annotation.start)..<\(annotation.end) are not a span"
                    } else if withinLength && annotation.end > document.length {
                        problem = "offsets \(annotation.start)..<\(annotation.end) lie outside the document's \(document.length) code points"
                        outOfRange = annotation
                    } else if let tag = annotation.tags.first(where: { $0.category.isEmpty }) {
                        problem = "a tag has an empty category (value \(tag.value.debugDescription))"
                    } else if !ids.insert(annotation.id).inserted {
                        problem = "id \(annotation.id) appears twice"
                    }
                    if problem == nil { valid.append(annotation) }
                }
                if let problem {
                    var quarantined = QuarantinedRecord(record: record.json, list: list, position: position, reason: problem)
                    quarantined.annotation = outOfRange
                    contents.quarantined.append(quarantined)
                }
            }
            return valid
        }
        contents.annotations = validate(annotationRecords, list: "annotations", withinLength: true).sorted(by: Annotation.documentOrder)
        contents.orphans = validate(raw.orphans ?? [], list: "orphans", withinLength: false)
        if contents.quarantined.contains(where: { $0.record == .null }) {
            // records that decoded but failed a check are kept exactly as the file has them
            let root = try? JSONDecoder().decode(JSONValue.self, from: data)
            for index in contents.quarantined.indices where contents.quarantined[index].record == .null {
                let record = contents.quarantined[index]
                if case .array(let items)? = root?[record.list], record.position < items.count {
                    contents.quarantined[index].record = items[record.position]
                }
            }
        }
        if let misshapen = raw.misshapenOrphans {
            // kept, as any damaged record is, in the list it should have been
            contents.quarantined.append(QuarantinedRecord(record: misshapen, list: "orphans", position: 0, reason: "\"orphans\" is \(misshapen.brief), not a list"))
        }
        return contents
    }

    /// The JSON a store holds: pretty-printed, keys sorted, annotations in document order,
    /// quarantined records after the valid ones of their list as they were read, ending
    /// with a newline.
    /// - Throws: `EncodingError` only for values JSON cannot hold (not produced by Gloss).
    public static func encode(_ contents: StoreContents) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(EncodedStore(contents: contents))
        data.append(0x0A)
        return data
    }

    /// One record of an annotation list: a valid annotation, or why it is not one; with
    /// the JSON as read either way.
    struct Record: Decodable {
        enum Content { case valid(Annotation), invalid(String) }
        var content: Content
        var json: JSONValue

        init(from decoder: Decoder) throws {
            // the common case decodes once; only a damaged record is kept as raw JSON
            do {
                let annotation = try Annotation(from: decoder)
                content = .valid(annotation)
                json = .null
            } catch {
                json = try JSONValue(from: decoder)
                content = .invalid(Record.offsetProblem(json) ?? AnnotationStore.recordProblem(error))
            }
        }



        /// What is wrong with the record's shape or offsets, checked before decoding so the
        /// reason names the field.
        static func offsetProblem(_ json: JSONValue) -> String? {
            guard case .object = json else { return "the record is \(json.brief), not an object" }
            for key in ["start", "end"] {
                switch json[key] {
                case nil: return "\"\(key)\" is missing"
                case .null?: return "\"\(key)\" is null"
                case .integer?: continue
                case .number(let value)?: return "\"\(key)\" is \(value), not a whole number"
                case let other?: return "\"\(key)\" is \(other.brief), not a whole number"
                }
            }
            return nil
        }
    }

    /// A decoding error inside one record, in the record's own terms: `"start" is null`.
    static func recordProblem(_ error: Error) -> String {
        guard let decoding = error as? DecodingError else { return "\(error)" }
        func name(_ path: [CodingKey], _ last: CodingKey? = nil) -> String {
            let keys = (path + (last.map { [$0] } ?? [])).drop { _ in false }
            // the path starts at the store's top level: drop the list name and the index
            let inside = keys.dropFirst(2)
            let joined = inside.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return "\"" + (joined.hasPrefix(".") ? String(joined.dropFirst()) : joined) + "\""
        }
        switch decoding {
        case .keyNotFound(let key, let context): return "\(name(context.codingPath, key)) is missing"
        case .valueNotFound(_, let context): return "\(name(context.codingPath)) is null"
        case .typeMismatch(let type, let context):
            let expected = type == Int.self ? "a whole number" : type == String.self ? "a string" : "\(type)"
            return "\(name(context.codingPath)) is not \(expected)"
        case .dataCorrupted(let context):
            let detail = context.debugDescription.contains("does not fit") || context.debugDescription.contains("Parsed JSON number")
                ? "is not a whole number" : "is not valid: \(context.debugDescription)"
            return "\(name(context.codingPath)) \(detail)"
        @unknown default: return "\(error)"
        }
    }

    /// The top level of a store as read, tolerant of damage so it can be reported.
    struct RawStore: Decodable {
        var format: String?
        var version: Int?
        var document: StoredDocument?
        var documentProblem: String?
        var annotations: [Record]?
        var annotationsProblem: String?
        var orphans: [Record]?
        var misshapenOrphans: JSONValue?
        var otherFields: [String: JSONValue] = [:]

        init(from decoder: Decoder) throws {
            let container = try decoder.container(keyedBy: AnyCodingKey.self)
            for key in container.allKeys {
                switch key.stringValue {
                case "format": format = try? container.decode(String.self, forKey: key)
                case "version": version = try? container.decode(Int.self, forKey: key)
                case "document":
                    do { document = try container.decode(StoredDocument.self, forKey: key) } catch { documentProblem = JSONProblem.describe(error) }
                case "annotations":
                    do { annotations = try container.decode([Record].self, forKey: key) } catch { annotationsProblem = JSONProblem.describe(error) }
                case "orphans":
                    // a damaged orphans list must not sink the valid annotations
                    if let records = try? container.decode([Record].self, forKey: key) {
                        orphans = records
                    } else {
                        misshapenOrphans = try container.decode(JSONValue.self, forKey: key)
                    }
                default:
                    otherFields[key.stringValue] = try container.decode(JSONValue.self, forKey: key)
                }
            }
        }
    }

    /// The top level of a store as written.
    struct EncodedStore: Encodable {
        var contents: StoreContents

        func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: AnyCodingKey.self)
            let own: Set<String> = ["format", "version", "document", "annotations", "orphans"]
            for (key, value) in contents.otherFields where !own.contains(key) { try container.encode(value, forKey: AnyCodingKey(key)) }
            try container.encode(AnnotationStore.formatName, forKey: AnyCodingKey("format"))
            try container.encode(contents.version, forKey: AnyCodingKey("version"))
            try container.encodeIfPresent(contents.document, forKey: AnyCodingKey("document"))
            var annotations = container.nestedUnkeyedContainer(forKey: AnyCodingKey("annotations"))
            for annotation in contents.annotations.sorted(by: Annotation.documentOrder) { try annotations.encode(annotation) }
            for record in contents.quarantined where record.list != "orphans" { try annotations.encode(record.record) }
            var orphans = container.nestedUnkeyedContainer(forKey: AnyCodingKey("orphans"))
            for annotation in contents.orphans { try orphans.encode(annotation) }
            for record in contents.quarantined where record.list == "orphans" { try orphans.encode(record.record) }
        }
    }

    // MARK: - Document record

    /// SHA-256 of the document text, computed once per document.
    func hash(of document: Document) -> String {
        document.sha256
    }

    /// Lower-case hex SHA-256 of `bytes`.
    public static func sha256Hex(_ bytes: [UInt8]) -> String {
        SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
    }

    private func storedPath(of document: Document) -> String {
        let storeFolder = URL(fileURLWithPath: path).deletingLastPathComponent().standardizedFileURL.path
        let documentURL = URL(fileURLWithPath: document.path).standardizedFileURL
        if documentURL.deletingLastPathComponent().standardizedFileURL.path == storeFolder {
            return documentURL.lastPathComponent
        }
        return documentURL.path
    }
}

/// Identity of a file's current contents: device, inode, size and modification time.
/// A save renames a new file into place, so any writer changes the inode or the time.
struct Fingerprint: Equatable {
    var device: UInt64, inode: UInt64, size: Int64, seconds: Int, nanoseconds: Int

    /// The fingerprint of the file at `path`, nil when there is none.
    init?(path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
        size = Int64(info.st_size)
        seconds = info.st_mtim.tv_sec
        nanoseconds = info.st_mtim.tv_nsec
    }
}
