import Foundation

/// The annotation store's JSON format, as a pure codec: bytes to ``StoreContents`` and
/// back, with no file access (``AnnotationStore`` does the reading, atomic writing,
/// locking and backups) and no re-anchoring (``Reanchoring`` places what it reads).
/// Older versions are read into the current shape: version 1 has no `orphans` list,
/// version 2 no `memo` and no `relations`; reading one is the migration, and the next
/// write stores version 3.
public enum StoreCodec {
    /// The value of `format` in every store: `gloss-annotations`.
    public static let formatName = "gloss-annotations"
    /// The store version this Gloss writes. Versions 1 (no `orphans`) and 2 (no `memo`,
    /// no `relations`) are read and migrated.
    public static let currentVersion = 3
    /// The oldest store version this Gloss reads.
    public static let oldestVersion = 1

    /// A store that cannot be used as it is and may be moved aside.
    struct DamagedStore: Error { var problem: String }

    /// Parses store JSON; `path` is used in errors. Records that are not valid annotations
    /// (a missing, null, fractional or negative offset, `end` before `start` or past
    /// `document.length`, an empty span, malformed tags, an empty or repeated id) are
    /// quarantined, not refused; in `orphans` too, except that their offsets may lie past
    /// the text they were last placed in.
    ///
    /// A well-formed store whose records are all valid is read by ``StoreScan`` straight
    /// from the bytes; anything else (a record to quarantine, damage, another program's
    /// JSON, an unusual number) by `JSONDecoder` (``decodeWithFoundation(_:path:)``), so
    /// both give the same contents and the same errors.
    /// - Throws: ``StoreError`` for JSON that is not a Gloss store (`format` differs), comes
    ///   from a newer Gloss (a `version` above ``currentVersion``, however large) or has no
    ///   whole-number `version`, so that no Gloss can tell how to read it; `DamagedStore`
    ///   for an empty, truncated or non-JSON file or a Gloss store without a readable
    ///   `document` or `annotations` list.
    public static func decode(_ data: Data, path: String) throws -> StoreContents {
        if let contents = StoreScan.contents(of: data) { return contents }
        return try decodeWithFoundation(data, path: path)
    }

    /// ``decode(_:path:)`` through `JSONDecoder` alone: the reference the fast reader is
    /// checked against, and the reader of every store it gives up on.
    /// - Throws: as ``decode(_:path:)``.
    static func decodeWithFoundation(_ data: Data, path: String) throws -> StoreContents {
        let raw: RawStore
        do {
            raw = try JSONDecoder().decode(RawStore.self, from: data)
        } catch {
            if data.allSatisfy({ [0x20, 0x0A, 0x0D, 0x09].contains($0) }) {
                throw DamagedStore(problem: "damaged annotation store: the file is empty")
            }
            throw DamagedStore(problem: "damaged annotation store: \(JSONProblem.describe(error, in: data))")
        }
        guard raw.format == formatName else {
            let found = raw.format.map { "\"\($0)\"" } ?? "none"
            throw StoreError(path: path, problem: "not a Gloss annotation store: \"format\" is \(found), expected \"\(formatName)\"")
        }
        // the version says how to read the rest, so a file without a usable one is left
        // alone rather than taken for a damaged store of this Gloss and moved aside
        let version: Int
        switch raw.version {
        case .whole(let number)?:
            version = number
        case .beyondInt(let number, let negative)?:
            throw negative ? noSuchVersion(number, path: path) : newerVersion(number, path: path)
        case .unreadable(let problem)?:
            throw StoreError(path: path, problem: "not a store this Gloss can read: \"version\" \(problem)")
        case nil:
            throw StoreError(path: path, problem: "not a store this Gloss can read: \"version\" is missing")
        }
        guard version <= currentVersion else { throw newerVersion(String(version), path: path) }
        guard version >= oldestVersion else { throw noSuchVersion(String(version), path: path) }
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
                    } else if annotation.end == annotation.start {
                        // selects nothing, so it has nothing to show, export or re-anchor by
                        problem = "offsets \(annotation.start)..<\(annotation.end) are an empty span"
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
        var relationIDs = Set<String>()
        for (position, record) in (raw.relations ?? []).enumerated() {
            var problem: String?
            switch record.content {
            case .invalid(let reason): problem = reason
            case .valid(let relation):
                if relation.id.isEmpty {
                    problem = "\"id\" is empty"
                } else if relation.type.isEmpty {
                    problem = "\"type\" is empty"
                } else if relation.from == relation.to {
                    problem = "links annotation \(relation.from) to itself"
                } else if !relationIDs.insert(relation.id).inserted {
                    problem = "relation id \(relation.id) appears twice"
                } else {
                    contents.relations.append(relation)
                }
            }
            if let problem {
                contents.quarantined.append(QuarantinedRecord(record: record.json, list: "relations", position: position, reason: problem))
            }
        }
        contents.relations.sort(by: Relation.storeOrder)
        let linked = contents.quarantined.count
        contents.quarantineDanglingRelations()
        let relationRecords = (raw.relations ?? []).map(\.relation?.id)
        for index in contents.quarantined.indices[linked...] {
            // found by id, so that the record is written back as the file had it
            let id = contents.quarantined[index].id
            contents.quarantined[index].position = relationRecords.firstIndex { $0 != nil && $0 == id } ?? 0
            contents.quarantined[index].record = .null
        }
        switch raw.memo {
        case nil: break
        case .string(let memo)?: contents.memo = memo
        case let other?:
            // kept as read rather than dropped; the memo shown is empty until one is written
            contents.otherFields["memo"] = other
        }
        if let misshapen = raw.misshapenRelations {
            contents.quarantined.append(QuarantinedRecord(record: misshapen, list: "relations", position: 0, reason: "\"relations\" is \(misshapen.brief), not a list"))
        }
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

    static func newerVersion(_ version: String, path: String) -> StoreError {
        StoreError(path: path, problem: "written by a newer Gloss (store version \(version); this Gloss reads up to \(currentVersion)); update Gloss to open it")
    }

    static func noSuchVersion(_ version: String, path: String) -> StoreError {
        StoreError(path: path, problem: "not a Gloss annotation store: there is no store version \(version)")
    }

    /// The JSON a store holds: pretty-printed, keys sorted, annotations in document order,
    /// quarantined records after the valid ones of their list as they were read, ending
    /// with a newline. Written by ``StorePrinter`` straight into a buffer, byte for byte
    /// what `JSONEncoder` writes (``encodeWithFoundation(_:)``).
    /// - Throws: `EncodingError` only for values JSON cannot hold (not produced by Gloss).
    public static func encode(_ contents: StoreContents) throws -> Data {
        try StorePrinter.encode(contents)
    }

    /// ``encode(_:)`` through `JSONEncoder` (`.prettyPrinted`, `.sortedKeys`,
    /// `.withoutEscapingSlashes`): the reference ``StorePrinter`` is checked against.
    /// - Throws: `EncodingError` only for values JSON cannot hold.
    static func encodeWithFoundation(_ contents: StoreContents) throws -> Data {
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
                content = .invalid(Record.offsetProblem(json) ?? StoreCodec.recordProblem(error))
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

    /// One record of the relation list: a relation, or why it is not one, with the JSON as
    /// read when it is not.
    struct RelationRecord: Decodable {
        enum Content { case valid(Relation), invalid(String) }
        var content: Content
        var json: JSONValue
        var relation: Relation? { if case .valid(let relation) = content { relation } else { nil } }

        init(from decoder: Decoder) throws {
            do {
                content = .valid(try Relation(from: decoder))
                json = .null
            } catch {
                json = try JSONValue(from: decoder)
                if case .object = json {
                    content = .invalid(StoreCodec.recordProblem(error))
                } else {
                    content = .invalid("the record is \(json.brief), not an object")
                }
            }
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
        var version: StoredVersion?
        var document: StoredDocument?
        var documentProblem: String?
        var annotations: [Record]?
        var annotationsProblem: String?
        var orphans: [Record]?
        var misshapenOrphans: JSONValue?
        var relations: [RelationRecord]?
        var misshapenRelations: JSONValue?
        var memo: JSONValue?
        var otherFields: [String: JSONValue] = [:]

        init(from decoder: Decoder) throws {
            let container = try decoder.container(keyedBy: AnyCodingKey.self)
            for key in container.allKeys {
                switch key.stringValue {
                case "format": format = try? container.decode(String.self, forKey: key)
                case "version": version = StoredVersion(container, key)
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
                case "relations":
                    if let records = try? container.decode([RelationRecord].self, forKey: key) {
                        relations = records
                    } else {
                        misshapenRelations = try container.decode(JSONValue.self, forKey: key)
                    }
                case "memo":
                    memo = try container.decode(JSONValue.self, forKey: key)
                default:
                    otherFields[key.stringValue] = try container.decode(JSONValue.self, forKey: key)
                }
            }
        }
    }

    /// A store's `version` as read: a whole number, one too large for `Int` (as text, for
    /// messages), or what is wrong with it, such as `is "2", not a whole number`.
    enum StoredVersion {
        case whole(Int)
        case beyondInt(String, negative: Bool)
        case unreadable(String)

        init(_ container: KeyedDecodingContainer<AnyCodingKey>, _ key: AnyCodingKey) {
            if let number = try? container.decode(Int.self, forKey: key) {
                self = .whole(number)
            } else if let number = try? container.decode(Decimal.self, forKey: key) {
                var source = number, rounded = Decimal()
                NSDecimalRound(&rounded, &source, 0, .plain)
                guard rounded == number else {
                    self = .unreadable("is \(number), not a whole number")
                    return
                }
                // Decimal keeps 38 digits: beyond that, show the value as a Double does
                let digits = number.exponent > 0 ? Double("\(rounded)").map { "\($0)" } ?? "\(rounded)" : "\(rounded)"
                self = .beyondInt(digits, negative: number < 0)
            } else if let value = try? container.decode(JSONValue.self, forKey: key) {
                self = .unreadable("is \(value.brief), not a whole number")
            } else {
                // only a number beyond Double's range, such as 1e400, fails every decoding
                self = .unreadable("is a number out of range")
            }
        }
    }

    /// The top level of a store as written.
    struct EncodedStore: Encodable {
        var contents: StoreContents

        func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: AnyCodingKey.self)
            var own: Set<String> = ["format", "version", "document", "annotations", "orphans", "relations"]
            // a memo that was not text is written back as read until the user writes one
            if !contents.memo.isEmpty || contents.otherFields["memo"] == nil { own.insert("memo") }
            for (key, value) in contents.otherFields where !own.contains(key) { try container.encode(value, forKey: AnyCodingKey(key)) }
            if own.contains("memo") { try container.encode(contents.memo, forKey: AnyCodingKey("memo")) }
            try container.encode(StoreCodec.formatName, forKey: AnyCodingKey("format"))
            try container.encode(contents.version, forKey: AnyCodingKey("version"))
            try container.encodeIfPresent(contents.document, forKey: AnyCodingKey("document"))
            var annotations = container.nestedUnkeyedContainer(forKey: AnyCodingKey("annotations"))
            for annotation in contents.annotations.sorted(by: Annotation.documentOrder) { try annotations.encode(annotation) }
            for record in contents.quarantined where record.list == "annotations" { try annotations.encode(record.record) }
            var orphans = container.nestedUnkeyedContainer(forKey: AnyCodingKey("orphans"))
            for annotation in contents.orphans { try orphans.encode(annotation) }
            for record in contents.quarantined where record.list == "orphans" { try orphans.encode(record.record) }
            var relations = container.nestedUnkeyedContainer(forKey: AnyCodingKey("relations"))
            for relation in contents.relations.sorted(by: Relation.storeOrder) { try relations.encode(relation) }
            for record in contents.quarantined where record.list == "relations" { try relations.encode(record.record) }
        }
    }
}
