import Foundation

/// The document a store refers to: the store's `document` object,
/// `{"path", "sha256", "length", "source"}` and any members another tool added there.
public struct StoredDocument: Codable, Hashable, Sendable {
    /// The document's path relative to the store's folder, or absolute when elsewhere.
    public var path: String
    /// Lower-case hex SHA-256 of the document text's UTF-8 bytes (no byte-order mark nor other U+FEFF at its start).
    public var sha256: String
    /// Length of the text in code points.
    public var length: Int
    /// For a text extracted from HTML, Markdown, a PDF or another encoding: the source
    /// file's hash and the importer that made the text (``sha256`` is then the hash of
    /// the extracted text). Absent for a plain UTF-8 or UTF-16 text.
    public var source: StoredSource?
    /// Members of the `document` object this Gloss does not know (another tool's `url`),
    /// kept as read (``StoreScan/exactValue(of:)``) and written back unchanged, sorted
    /// among the known ones.
    public var otherFields: [String: JSONValue]

    /// The members Gloss reads and writes itself.
    static let knownFields: Set<String> = ["path", "sha256", "length", "source"]

    /// Creates the record.
    public init(path: String, sha256: String, length: Int, source: StoredSource? = nil, otherFields: [String: JSONValue] = [:]) {
        self.path = path
        self.sha256 = sha256
        self.length = length
        self.source = source
        self.otherFields = otherFields
    }

    /// Reads the record; `source` may be absent or `null`. A member it does not know that
    /// `JSONDecoder` cannot hold (a lone surrogate escape, a number beyond `Double`) reads
    /// as `null` here: ``StoreCodec`` takes it from the exact reading of the file.
    /// - Throws: `DecodingError` when `path`, `sha256` or `length` is missing or of
    ///   another type, or `source` is misshapen.
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: AnyCodingKey.self)
        path = try container.decode(String.self, forKey: AnyCodingKey("path"))
        sha256 = try container.decode(String.self, forKey: AnyCodingKey("sha256"))
        length = try container.decode(Int.self, forKey: AnyCodingKey("length"))
        source = try container.decodeIfPresent(StoredSource.self, forKey: AnyCodingKey("source"))
        otherFields = [:]
        for key in container.allKeys where !StoredDocument.knownFields.contains(key.stringValue) {
            otherFields[key.stringValue] = (try? container.decode(JSONValue.self, forKey: key)) ?? .null
        }
    }

    /// Writes the known members (`source` only when set) and the ones it does not know.
    /// - Throws: `EncodingError` for a member kept as its text (``JSONValue/literal(_:)``),
    ///   which only the store's printer writes.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: AnyCodingKey.self)
        for (key, value) in otherFields where !StoredDocument.knownFields.contains(key) {
            try container.encode(value, forKey: AnyCodingKey(key))
        }
        try container.encode(path, forKey: AnyCodingKey("path"))
        try container.encode(sha256, forKey: AnyCodingKey("sha256"))
        try container.encode(length, forKey: AnyCodingKey("length"))
        try container.encodeIfPresent(source, forKey: AnyCodingKey("source"))
    }
}

extension StoredDocument {
    /// True when a store that records this document belongs to another document than
    /// `document`: the recorded file name differs, the recorded SHA-256 differs, and
    /// `unplaced` (annotations re-anchoring would orphan) is more than half of `total`
    /// (annotations and orphans of the store); a store without annotations is never
    /// taken for another document's. An edited text of the same document (same name) or
    /// a renamed one (same text) re-anchors as always. The reader opens such a store
    /// read-only; exporting and counting leave it out, so another document's annotations
    /// are never taken for orphans of this one.
    public func belongsToAnotherDocument(than document: Document, total: Int, unplaced: Int) -> Bool {
        guard total > 0, unplaced * 2 > total else { return false }
        guard URL(fileURLWithPath: path).lastPathComponent != document.fileName else { return false }
        return sha256 != document.sha256
    }
}

/// The `source` member of a store's `document` record: what the document text was
/// extracted from and by what (`{"sha256", "extractor", "extractorVersion"}`).
public struct StoredSource: Codable, Hashable, Sendable {
    /// Lower-case hex SHA-256 of the source file's bytes; absent when not known.
    public var sha256: String?
    /// The importer's name: `html`, `markdown`, `pdf`, `windows-1252`.
    public var extractor: String
    /// The importer's version; a store made by another version is re-anchored by quotes.
    public var extractorVersion: String
    /// Members of the `source` object this Gloss does not know, kept as read
    /// (``StoreScan/exactValue(of:)``) and written back unchanged, also when a save records
    /// the source anew.
    public var otherFields: [String: JSONValue] = [:]

    /// The members Gloss reads and writes itself.
    static let knownFields: Set<String> = ["sha256", "extractor", "extractorVersion"]

    /// Creates the record.
    public init(sha256: String?, extractor: String, extractorVersion: String) {
        self.sha256 = sha256
        self.extractor = extractor
        self.extractorVersion = extractorVersion
    }

    /// Reads the record: `sha256` may be absent or `null`; members it does not know are
    /// kept (one `JSONDecoder` cannot hold reads as `null` here, and ``StoreCodec`` takes
    /// it from the exact reading).
    /// - Throws: `DecodingError` when `extractor` or `extractorVersion` is missing or not
    ///   a string, or `sha256` is not a string.
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: AnyCodingKey.self)
        sha256 = try container.decodeIfPresent(String.self, forKey: AnyCodingKey("sha256"))
        extractor = try container.decode(String.self, forKey: AnyCodingKey("extractor"))
        extractorVersion = try container.decode(String.self, forKey: AnyCodingKey("extractorVersion"))
        otherFields = JSONValue.otherMembers(of: container, known: StoredSource.knownFields)
    }

    /// Writes the known members (`sha256` only when set) and those it does not know.
    /// - Throws: `EncodingError` for a member kept as its text (``JSONValue/literal(_:)``).
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: AnyCodingKey.self)
        try JSONValue.encode(otherFields, except: StoredSource.knownFields, into: &container)
        try container.encodeIfPresent(sha256, forKey: AnyCodingKey("sha256"))
        try container.encode(extractor, forKey: AnyCodingKey("extractor"))
        try container.encode(extractorVersion, forKey: AnyCodingKey("extractorVersion"))
    }

    /// The record as the store holds it, with nothing lost.
    var jsonRecord: JSONValue {
        var members = otherFields.filter { !StoredSource.knownFields.contains($0.key) }
        members["extractor"] = .string(extractor)
        members["extractorVersion"] = .string(extractorVersion)
        if let sha256 { members["sha256"] = .string(sha256) }
        return .object(members)
    }

    /// The record for a document's ``Extraction``.
    public init(_ extraction: Extraction) {
        self.init(sha256: extraction.sourceSHA256, extractor: extraction.extractor, extractorVersion: extraction.version)
    }
}

/// A record of the store's annotation lists that is not a valid annotation: kept as read,
/// written back unchanged, shown as invalid, never placed in the text.
public struct QuarantinedRecord: Hashable, Sendable {
    /// The record exactly as read.
    public var record: JSONValue
    /// Which list held it: `annotations`, `orphans` or `relations`.
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

/// Everything a store holds (store version 3):
/// ```
/// { "format": "gloss-annotations", "version": 3,
///   "document": { "path", "sha256", "length", "source" },  // and members of other tools, kept
///   "memo": "...",            // the document-level memo, "" when none
///   "annotations": [ ... ],   // offsets into the document with this sha256
///   "orphans": [ ... ],       // quote not found in the text: offsets are historical
///   "relations": [ ... ] }    // typed links between two annotations, by id
/// ```
/// Annotations are ordered by (start, end, id) and relations by (from, to, type, id) so
/// two analysts' files diff and merge cleanly. Version 1 had no `orphans`; version 2 had
/// no `memo` and no `relations`.
public struct StoreContents: Hashable, Sendable {
    /// Valid annotations, in document order.
    public var annotations: [Annotation]
    /// Annotations whose quote could not be found in the document: kept with the offsets
    /// they last had, never drawn in the text.
    public var orphans: [Annotation]
    /// Records that are not valid annotations or relations, as read.
    public var quarantined: [QuarantinedRecord]
    /// Links between annotations (or orphans, or quarantined records with an id), in the
    /// store's order (``Relation/storeOrder(_:_:)``).
    public var relations: [Relation]
    /// The document-level memo: what the analyst notes about the whole document; empty
    /// when none.
    public var memo: String
    /// The `document` record as read; nil for a store not yet written.
    public var document: StoredDocument?
    /// The `version` as read; ``AnnotationStore/currentVersion`` for a new store.
    public var version: Int
    /// Top-level members this Gloss does not know, written back unchanged.
    public var otherFields: [String: JSONValue]

    /// Creates contents; `annotations` are put in document order.
    public init(annotations: [Annotation] = [], orphans: [Annotation] = [], quarantined: [QuarantinedRecord] = [],
                relations: [Relation] = [], memo: String = "",
                document: StoredDocument? = nil, version: Int = AnnotationStore.currentVersion,
                otherFields: [String: JSONValue] = [:]) {
        self.annotations = annotations.sorted(by: Annotation.documentOrder)
        self.orphans = orphans
        self.quarantined = quarantined
        self.relations = relations.sorted(by: Relation.storeOrder)
        self.memo = memo
        self.document = document
        self.version = version
        self.otherFields = otherFields
    }
}

extension StoreContents {
    /// The ids a relation may name: annotations, orphans and quarantined annotation
    /// records that have an id.
    public var annotationIDs: Set<String> {
        var ids = Set(annotations.map(\.id))
        ids.formUnion(orphans.map(\.id))
        ids.formUnion(quarantined.filter { $0.list != "relations" }.compactMap(\.id))
        return ids
    }

    /// The relations with `annotationID` at either end.
    public func relations(touching annotationID: String) -> [Relation] {
        relations.filter { $0.touches(annotationID) }
    }

    /// Moves relations with an end that names no annotation of the store into
    /// ``quarantined`` (list `relations`), so they are kept in the file and listed as
    /// invalid rather than dropped or drawn as links to nothing. A merge that kept a link
    /// to an annotation another coder deleted leaves such relations.
    public mutating func quarantineDanglingRelations() {
        let ids = annotationIDs
        var kept: [Relation] = []
        for relation in relations {
            let missing = [("from", relation.from), ("to", relation.to)].first { !ids.contains($0.1) }
            guard let missing else { kept.append(relation); continue }
            let record = relation.jsonRecord
            quarantined.append(QuarantinedRecord(record: record, list: "relations", position: kept.count,
                                                 reason: "\"\(missing.0)\" names no annotation of the store (\(missing.1))"))
        }
        relations = kept
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
