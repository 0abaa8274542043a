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
    /// `document.length`, an empty span, malformed tags, an empty or repeated id, text with
    /// a lone surrogate escape, a number beyond `Double`) are quarantined, not refused; in
    /// `orphans` too, except that their offsets may lie past the text they were last
    /// placed in. Quarantined records, and top-level members and members of `document` it
    /// does not know, are kept exactly as written (``StoreScan/exactValue(of:)``: numbers keep their text, escapes
    /// stay escapes).
    ///
    /// A well-formed store whose records are all valid is read by ``StoreScan`` straight
    /// from the bytes; anything else (a record to quarantine, damage, another program's
    /// JSON, an unusual number) by `JSONDecoder` (``decodeWithFoundation(_:path:)``), so
    /// both give the same contents and the same errors.
    /// - Throws: ``StoreError`` for JSON that is not a Gloss store (`format` differs), comes
    ///   from a newer Gloss (a `version` above ``currentVersion``, however large) or has no
    ///   whole-number `version`, so that no Gloss can tell how to read it, or has a member
    ///   twice in one object (``StoreScan/firstRepeatedKey(of:)``), or nests arrays and
    ///   objects deeper than ``StoreScan/nestingLimit``; `DamagedStore`
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
        // which copy of a repeated member counts is up to each reader: reading one would
        // drop the other at the next save
        let exactReading = StoreScan.exactReading(of: data)
        if let repeated = exactReading.repeatedKey {
            let holder = repeated.depth == 0 ? "the store" : "an object in the store"
            throw StoreError(path: path, problem: "\(holder) has the member \"\(repeated.key)\" twice, and JSON tools differ on which one counts (Gloss would read the first, Python and jq the last); the file is left as it is: remove one of them and open it again")
        }
        let raw: RawStore
        do {
            raw = try JSONDecoder().decode(RawStore.self, from: data)
        } catch {
            if data.allSatisfy({ [0x20, 0x0A, 0x0D, 0x09].contains($0) }) {
                throw DamagedStore(problem: "damaged annotation store: the file is empty")
            }
            // valid JSON, perhaps, that no JSON reader here can read: not damage to move aside
            if StoreScan.nestsTooDeeply(data) {
                throw StoreError(path: path, problem: "\(StoreScan.tooDeepProblem); the file is left as it is")
            }
            throw DamagedStore(problem: "damaged annotation store: \(JSONProblem.describe(error, in: data))")
        }
        // `exactReading` is the file read with nothing lost: JSONDecoder cannot give a number's text nor
        // hold a lone surrogate, so values kept as read (unknown members, a memo that is not
        // text, quarantined records) are taken from here; nil only for a file that is not
        // UTF-8, and then JSONDecoder's values are kept
        func exactRecords(_ list: String) -> [JSONValue]? {
            if case .array(let items)? = exactReading.value?[list] { return items }
            return nil
        }
        // a value neither JSONDecoder nor the exact reading can read (text that is not
        // UTF-8) leaves the store damaged: there is no record to keep as it was
        let readErrors = [raw.readError] + (raw.annotations ?? []).map(\.readError) + (raw.orphans ?? []).map(\.readError)
            + (raw.relations ?? []).map(\.readError)
        if let unreadable = readErrors.lazy.compactMap({ $0 }).first, exactReading.value == nil {
            throw DamagedStore(problem: "damaged annotation store: \(JSONProblem.describe(unreadable, in: data))")
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
        guard var document = raw.document else {
            throw DamagedStore(problem: "damaged annotation store: \(raw.documentProblem ?? "missing \"document\"")")
        }
        if !document.otherFields.isEmpty, let exact = exactReading.value?["document"] {
            // the document's own unknown members, as written (a number's text, a surrogate escape)
            document.otherFields.takeExactValues(from: exact)
        }
        if let source = document.source, !source.otherFields.isEmpty, let exact = exactReading.value?["document"]?["source"] {
            document.source?.otherFields.takeExactValues(from: exact)
        }
        guard let annotationRecords = raw.annotations else {
            throw DamagedStore(problem: "damaged annotation store: \(raw.annotationsProblem ?? "missing \"annotations\"")")
        }
        var otherFields = raw.otherFields
        if !otherFields.isEmpty, let root = exactReading.value {
            for key in otherFields.keys { otherFields[key] = root[key] ?? otherFields[key] }
        }
        var memo = raw.memo
        if let read = memo, read.stringValue == nil, let exact = exactReading.value?["memo"] { memo = exact }
        var contents = StoreContents(document: document, version: version, otherFields: otherFields)
        var ids = Set<String>()
        func validate(_ records: [Record], list: String, withinLength: Bool) -> [Annotation] {
            var valid: [Annotation] = []
            let exact = records.contains { if case .invalid = $0.content { true } else { false } } ? exactRecords(list) : nil
            // the list as written, read when a record has members Gloss does not know
            var exactlyAsWritten: [JSONValue]?
            for (position, record) in records.enumerated() {
                var problem: String?
                var outOfRange: Annotation?
                var json = record.json
                switch record.content {
                case .invalid(let reason):
                    if let items = exact, position < items.count { json = items[position] }
                    problem = json.flatMap { Record.problem(of: $0, fields: Record.annotationFields) } ?? reason
                case .valid(var annotation):
                    if !annotation.otherFields.isEmpty || annotation.tags.contains(where: { !$0.otherFields.isEmpty }) {
                        exactlyAsWritten = exactlyAsWritten ?? exactRecords(list) ?? []
                        if position < exactlyAsWritten!.count { annotation.takeOtherFields(from: exactlyAsWritten![position]) }
                    }
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
                    var quarantined = QuarantinedRecord(record: json ?? .null, list: list, position: position, reason: problem)
                    quarantined.annotation = outOfRange
                    contents.quarantined.append(quarantined)
                }
            }
            return valid
        }
        contents.annotations = validate(annotationRecords, list: "annotations", withinLength: true).sorted(by: Annotation.documentOrder)
        contents.orphans = validate(raw.orphans ?? [], list: "orphans", withinLength: false)
        var relationIDs = Set<String>()
        let relationRecordsRead = raw.relations ?? []
        let exactRelations = relationRecordsRead.contains { $0.relation == nil || !$0.relation!.otherFields.isEmpty } ? exactRecords("relations") : nil
        for (position, record) in relationRecordsRead.enumerated() {
            var problem: String?
            var json = record.json
            switch record.content {
            case .invalid(let reason):
                if let items = exactRelations, position < items.count { json = items[position] }
                problem = json.flatMap { Record.problem(of: $0, fields: Record.relationFields) } ?? reason
            case .valid(var relation):
                if !relation.otherFields.isEmpty, let items = exactRelations ?? exactRecords("relations"), position < items.count {
                    relation.otherFields.takeExactValues(from: items[position])
                }
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
                contents.quarantined.append(QuarantinedRecord(record: json ?? .null, list: "relations", position: position, reason: problem))
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
        switch memo {
        case nil: break
        case .string(let memo)?: contents.memo = memo
        case let other?:
            // kept as read rather than dropped; the memo shown is empty until one is written
            contents.otherFields["memo"] = other
        }
        if var misshapen = raw.misshapenRelations {
            misshapen = exactReading.value?["relations"] ?? misshapen
            contents.quarantined.append(QuarantinedRecord(record: misshapen, list: "relations", position: 0, reason: "\"relations\" is \(misshapen.brief), not a list"))
        }
        if contents.quarantined.contains(where: { $0.record == .null }) {
            // records that decoded but failed a check are kept exactly as the file has them
            let root = exactReading.value ?? (try? JSONDecoder().decode(JSONValue.self, from: data))
            for index in contents.quarantined.indices where contents.quarantined[index].record == .null {
                let record = contents.quarantined[index]
                if case .array(let items)? = root?[record.list], record.position < items.count {
                    contents.quarantined[index].record = items[record.position]
                }
            }
        }
        if var misshapen = raw.misshapenOrphans {
            misshapen = exactReading.value?["orphans"] ?? misshapen
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
    /// - Throws: `EncodingError` for values JSON cannot hold and for a value kept as its
    ///   text (``JSONValue/literal(_:)``), which `JSONEncoder` cannot write.
    static func encodeWithFoundation(_ contents: StoreContents) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(EncodedStore(contents: contents))
        data.append(0x0A)
        return data
    }

    /// One record of an annotation list: a valid annotation, or why it is not one; with
    /// the JSON as `JSONDecoder` reads it when it is not (nil when it cannot: a lone
    /// surrogate, a number beyond `Double`; ``decodeWithFoundation(_:path:)`` then takes the
    /// record from ``StoreScan/exactValue(of:)``).
    struct Record: Decodable {
        enum Content { case valid(Annotation), invalid(String) }
        var content: Content
        var json: JSONValue?
        /// Why `JSONDecoder` could not read the record as any JSON value.
        var readError: Error?

        /// Never throws: a record that is not an annotation is one invalid record.
        init(from decoder: Decoder) throws {
            // the common case decodes once; only a damaged record is kept as raw JSON
            do {
                let annotation = try Annotation(from: decoder)
                content = .valid(annotation)
                json = .null
            } catch {
                do { json = try JSONValue(from: decoder) } catch let unreadable { readError = unreadable }
                content = .invalid(json.flatMap { Record.offsetProblem($0) } ?? StoreCodec.recordProblem(error))
            }
        }

        /// The fields of an annotation record, in the order their problems are named.
        static let annotationFields = ["id", "start", "end", "quote", "prefix", "suffix", "tags", "note", "author", "created", "modified", "conflict"]
        /// The fields of a relation record, in the same sense.
        static let relationFields = ["id", "type", "from", "to", "note", "author", "created", "modified"]

        /// What is wrong with a record that did not decode, from its JSON as written: its
        /// shape or offsets (for annotations), or a field (one of `fields`) holding text
        /// with a lone surrogate; nil when neither is the problem.
        static func problem(of json: JSONValue, fields: [String]) -> String? {
            if case .literal(let text) = json, text.hasPrefix("{") {
                return "the record has a key holding a lone surrogate escape, which is not Unicode text"
            }
            if fields == annotationFields, let problem = offsetProblem(json) { return problem }
            guard case .object(let members) = json else { return "the record is \(json.brief), not an object" }
            for field in fields {
                if let value = members[field], let (path, text) = surrogateText(in: value) {
                    return "\"\(field)\(path)\" is \(text), which holds a lone surrogate escape and is not Unicode text"
                }
            }
            return nil
        }

        /// The first string (or object key) under `value` that holds a lone surrogate, with
        /// its path below `value` (`[0].value`) and its text as written.
        static func surrogateText(in value: JSONValue) -> (String, String)? {
            switch value {
            case .literal(let text) where text.hasPrefix("\""): return ("", text.count > 60 ? String(text.prefix(60)) + "…" : text)
            case .literal(let text) where text.hasPrefix("{"): return ("", "an object with a key that")
            case .array(let items):
                for (index, item) in items.enumerated() {
                    if let (path, text) = surrogateText(in: item) { return ("[\(index)]" + path, text) }
                }
            case .object(let members):
                for key in members.keys.sorted() {
                    if let (path, text) = surrogateText(in: members[key]!) { return (".\(key)" + path, text) }
                }
            default: break
            }
            return nil
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
                case .literal(let text)? where text.first.map({ $0 == "-" || $0.isASCII && $0.isNumber }) == true:
                    // an integer's digits only: whole, but beyond any offset
                    let whole = text.drop { $0 == "-" }.allSatisfy { $0.isASCII && $0.isNumber }
                    return "\"\(key)\" is \(text), " + (whole ? "too large to be an offset" : "not a whole number")
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
        /// As for ``Record/json``.
        var json: JSONValue?
        /// As for ``Record/readError``.
        var readError: Error?
        var relation: Relation? { if case .valid(let relation) = content { relation } else { nil } }

        /// Never throws, as ``Record/init(from:)``.
        init(from decoder: Decoder) throws {
            do {
                content = .valid(try Relation(from: decoder))
                json = .null
            } catch {
                do { json = try JSONValue(from: decoder) } catch let unreadable { readError = unreadable }
                switch json {
                case .object?, nil: content = .invalid(StoreCodec.recordProblem(error))
                case let other?: content = .invalid("the record is \(other.brief), not an object")
                }
            }
        }
    }

    /// A decoding error inside one record, in the record's own terms: `"start" is null`.
    static func recordProblem(_ error: Error) -> String {
        // JSONDecoder's own scanner errors (a lone surrogate, a number beyond Double) are
        // named from the record's text by ``Record/problem(of:fields:)`` instead
        guard let decoding = error as? DecodingError else { return "it holds a value this Gloss cannot read" }
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
        /// Why `JSONDecoder` could not read the memo, a misshapen list or a member it does
        /// not know (kept as `null` until the exact reading replaces it).
        var readError: Error?

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
                        misshapenOrphans = lenient(container, key)
                    }
                case "relations":
                    if let records = try? container.decode([RelationRecord].self, forKey: key) {
                        relations = records
                    } else {
                        misshapenRelations = lenient(container, key)
                    }
                case "memo":
                    // what JSONDecoder cannot hold is taken from the exact reading afterwards
                    memo = lenient(container, key)
                default:
                    otherFields[key.stringValue] = lenient(container, key)
                }
            }
        }

        /// The member as `JSONDecoder` reads it, or `null` (and the error kept) when it cannot.
        mutating func lenient(_ container: KeyedDecodingContainer<AnyCodingKey>, _ key: AnyCodingKey) -> JSONValue {
            do { return try container.decode(JSONValue.self, forKey: key) } catch {
                readError = readError ?? error
                return .null
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

extension Dictionary where Key == String, Value == JSONValue {
    /// Replaces each member's value by the one `record` (the object as written, from
    /// ``StoreScan/exactValue(of:)``) holds under the same key, where it holds one: what
    /// `JSONDecoder` read of a number's text or a surrogate escape is not what was written.
    mutating func takeExactValues(from record: JSONValue) {
        for key in keys { self[key] = record[key] ?? self[key] }
    }
}

extension Annotation {
    /// Takes the annotation's and its tags' members Gloss does not know from `record`, the
    /// annotation's object as written (see ``Dictionary/takeExactValues(from:)``).
    mutating func takeOtherFields(from record: JSONValue) {
        otherFields.takeExactValues(from: record)
        guard case .array(let written)? = record["tags"], written.count == tags.count else { return }
        for index in tags.indices where !tags[index].otherFields.isEmpty {
            tags[index].otherFields.takeExactValues(from: written[index])
        }
    }
}
