import Foundation
import GlossCore

/// Where the analyst is with a document of the corpus, set in the document list.
public enum DocumentStatus: String, Hashable, Sendable, CaseIterable {
    case todo = "todo"
    case inProgress = "in progress"
    case done = "done"

    /// The status after this one when the user cycles (`s`): todo → in progress → done → todo.
    public var next: DocumentStatus {
        switch self {
        case .todo: .inProgress
        case .inProgress: .done
        case .done: .todo
        }
    }
}

/// What `gloss.corpus.json` records about one document: its status and the reader's last
/// position in it, with members Gloss does not know kept as read.
public struct CorpusRecord: Hashable, Sendable {
    /// The status; nil when none was ever set (listed as todo).
    public var status: DocumentStatus?
    /// The start of the focused sentence when the document was last left, in code points
    /// of its text; nil when it was never opened.
    public var position: Int?
    /// Members of the record Gloss does not know (another tool's, a later Gloss's), kept
    /// and written back; a status this Gloss does not know is kept here too.
    public var otherFields: [String: JSONValue] = [:]

    /// A record with `status` and `position`.
    public init(status: DocumentStatus? = nil, position: Int? = nil) {
        self.status = status
        self.position = position
    }

    /// True when the record holds nothing worth writing.
    public var isEmpty: Bool { status == nil && position == nil && otherFields.isEmpty }

    /// This record with what `change` sets laid over it: its status, position and members
    /// where it has them, the rest as here. A change holds only what the user changed, so
    /// laying it over the record on disk keeps what another session wrote meanwhile.
    public func applying(_ change: CorpusRecord) -> CorpusRecord {
        var merged = self
        if let status = change.status {
            merged.status = status
            // a status this Gloss did not know is replaced by the one set here
            merged.otherFields["status"] = nil
        }
        if let position = change.position { merged.position = position }
        for (key, value) in change.otherFields { merged.otherFields[key] = value }
        return merged
    }
}

/// `gloss.corpus.json` in a corpus's root folder: each document's status and last position,
/// keyed by the document's path relative to the folder. Written pretty-printed with sorted
/// keys, so it diffs and merges cleanly in git, and atomically; members Gloss does not know
/// are kept, at the top level and in each document's record.
///
/// ```json
/// {
///   "documents" : {
///     "news/a.txt" : { "position" : 1234, "status" : "done" }
///   },
///   "format" : "gloss-corpus",
///   "version" : 1
/// }
/// ```
public struct CorpusStatusFile: Hashable, Sendable {
    /// The file's name in the corpus folder.
    public static let fileName = "gloss.corpus.json"
    /// The value of `format`.
    public static let formatName = "gloss-corpus"
    /// The version this Gloss writes.
    public static let currentVersion = 1

    /// The records by relative document path.
    public var records: [String: CorpusRecord] = [:]
    /// Top-level members Gloss does not know, kept as read.
    public var otherFields: [String: JSONValue] = [:]

    /// An empty file.
    public init() {}

    /// The path of the file for the corpus rooted at `root`.
    public static func path(inFolder root: String) -> String {
        (root as NSString).appendingPathComponent(fileName)
    }

    /// Reads the file at `path`; an absent file is an empty one.
    /// - Throws: ``StoreError`` naming the file when it cannot be read, is not JSON, or is
    ///   not a Gloss corpus file (another `format`, a newer `version`).
    public static func load(path: String) throws -> CorpusStatusFile {
        guard FileManager.default.fileExists(atPath: path) else { return CorpusStatusFile() }
        let data: Data
        do {
            data = try RegularFile.data(path)
        } catch {
            throw StoreError(path: path, problem: "cannot be read: \(Document.reason(for: error, path: path))")
        }
        return try decode(data, path: path)
    }

    /// Parses the file's JSON; `path` names it in errors. An empty file (or only white
    /// space) is a file with no records.
    /// - Throws: ``StoreError`` as ``load(path:)`` does.
    public static func decode(_ data: Data, path: String) throws -> CorpusStatusFile {
        // an empty file (touched, or truncated before anything was recorded) holds no records
        if data.allSatisfy({ [0x20, 0x0A, 0x0D, 0x09].contains($0) }) { return CorpusStatusFile() }
        guard let root = try? JSONDecoder().decode(JSONValue.self, from: data), case .object(var members) = root else {
            if StoreScan.nestsTooDeeply(data) { throw StoreError(path: path, problem: "\(StoreScan.tooDeepProblem); fix or remove it to keep statuses") }
            throw StoreError(path: path, problem: "is not a JSON object; fix or remove it to keep statuses")
        }
        if let format = members["format"], format != .string(formatName) {
            throw StoreError(path: path, problem: "is not a Gloss corpus file (\"format\" is not \"\(formatName)\")")
        }
        if case .integer(let version)? = members["version"], version > currentVersion {
            throw StoreError(path: path, problem: "was written by a newer Gloss (version \(version)); this one reads version \(currentVersion)")
        }
        var file = CorpusStatusFile()
        if case .object(let documents)? = members["documents"] {
            for (name, value) in documents {
                guard case .object(var fields) = value else {
                    file.records[name] = CorpusRecord()
                    file.records[name]?.otherFields = ["value": value]
                    continue
                }
                var record = CorpusRecord()
                if case .string(let text)? = fields["status"], let status = DocumentStatus(rawValue: text) {
                    record.status = status
                    fields["status"] = nil
                }
                if case .integer(let offset)? = fields["position"], offset >= 0 {
                    record.position = offset
                    fields["position"] = nil
                }
                record.otherFields = fields
                file.records[name] = record
            }
            members["documents"] = nil
        }
        members["format"] = nil
        members["version"] = nil
        file.otherFields = members
        return file
    }

    /// The file's JSON: pretty-printed, keys sorted, empty records left out.
    public func encoded() throws -> Data {
        var documents: [String: JSONValue] = [:]
        for (name, record) in records where !record.isEmpty {
            var fields = record.otherFields
            if let status = record.status { fields["status"] = .string(status.rawValue) }
            if let position = record.position { fields["position"] = .integer(position) }
            documents[name] = .object(fields)
        }
        var members = otherFields
        members["documents"] = .object(documents)
        members["format"] = .string(CorpusStatusFile.formatName)
        members["version"] = .integer(CorpusStatusFile.currentVersion)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(JSONValue.object(members)) + Data("\n".utf8)
    }

    /// Writes `changes` (by relative path, each holding only the fields that changed) into
    /// the file at `path` as it is on disk now, so that what another Gloss wrote, for other
    /// documents or other fields of the same one, is kept; and
    /// writes it atomically (``AtomicFile/write(_:to:backup:calls:)``).
    /// - Returns: the file as written.
    /// - Throws: ``StoreError`` naming the file when it cannot be read back or written.
    @discardableResult
    public static func write(_ changes: [String: CorpusRecord], to path: String) throws -> CorpusStatusFile {
        var file = try load(path: path)
        for (name, change) in changes {
            // only what changed here goes over the record on disk
            file.records[name] = (file.records[name] ?? CorpusRecord()).applying(change)
        }
        try AtomicFile.write(try file.encoded(), to: path)
        return file
    }
}
