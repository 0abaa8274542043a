import Foundation

/// A fast reader of the annotation store format for the common case: a well-formed store
/// of this Gloss (versions 1 to 3) whose every record is valid. It reads the UTF-8 bytes
/// directly, without `JSONDecoder`, and gives exactly what `JSONDecoder` gives through
/// ``StoreCodec`` (top-level members it does not know are kept in
/// ``StoreContents/otherFields``), or nil as soon as it meets anything else (a damaged or
/// foreign file, a record ``StoreCodec`` would quarantine, a dangling relation, a
/// duplicate key of the top level or a record, `null` where a field may be missing, a
/// number in Gloss's fields that is not a whole `Int`, an escaped or non-ASCII key of
/// Gloss's records, a lone surrogate in Gloss's fields): ``StoreCodec/decode(_:path:)``
/// then reads the file with `JSONDecoder`, so results and messages never differ, only the
/// time taken. Members it does not know and a memo that is not text are read by
/// ``exactValue(of:)``, as the fallback reads them.
///
/// With `allFields` false (for counting), the annotation and relation fields nothing but
/// the reader shows (`note`, `author`, `created`, `modified`, `conflict`) are checked as
/// ``StoreCodec`` checks them but left empty (`conflict` nil), and the `memo` is left
/// empty; the rest is as ``StoreCodec`` reads it.
public enum StoreScan {
    /// The store's contents, or nil when the fast reader cannot vouch for them (see the
    /// type's documentation); never throws, never reads a file.
    /// - Parameters:
    ///   - data: the store file's bytes.
    ///   - allFields: false to leave the fields only the reader shows empty.
    public static func contents(of data: Data, allFields: Bool = true) -> StoreContents? {
        data.withUnsafeBytes { raw -> StoreContents? in
            guard let base = raw.baseAddress, raw.count > 0 else { return nil }
            var scanner = Scanner(bytes: base.assumingMemoryBound(to: UInt8.self), count: raw.count, allFields: allFields)
            return scanner.store()
        }
    }

    /// A whole JSON document as ``JSONValue``, exactly as `JSONDecoder` reads it into one,
    /// or nil when this reader cannot vouch for that (a syntax error, a number that is not a
    /// whole `Int`, a repeated key, nesting deeper than 64, anything after the value but
    /// white space): the caller then decodes with `JSONDecoder`, so results and error
    /// messages never differ. Never throws.
    /// - Parameter data: the document's UTF-8 bytes.
    public static func jsonValue(of data: Data) -> JSONValue? {
        data.withUnsafeBytes { raw -> JSONValue? in
            guard let base = raw.baseAddress, raw.count > 0 else { return nil }
            var scanner = Scanner(bytes: base.assumingMemoryBound(to: UInt8.self), count: raw.count, allFields: true)
            guard let value = scanner.jsonValue(depth: 0) else { return nil }
            scanner.skipSpace()
            return scanner.position == scanner.count ? value : nil
        }
    }

    /// A whole JSON document (RFC 8259) as ``JSONValue`` with nothing lost, or nil for a
    /// syntax error, invalid UTF-8, nesting deeper than ``nestingLimit`` or anything after the value
    /// but white space. Whole numbers that fit `Int` (but `-0`) are ``JSONValue/integer(_:)``;
    /// every other number, a string holding a lone or reversed surrogate escape (which no
    /// `String` can hold), and an object with such a key are ``JSONValue/literal(_:)``
    /// holding their text as written. A repeated key keeps its first value, as
    /// `JSONDecoder` does. Never throws.
    /// - Parameter data: the document's UTF-8 bytes.
    public static func exactValue(of data: Data) -> JSONValue? {
        data.withUnsafeBytes { raw -> JSONValue? in
            guard let base = raw.baseAddress, raw.count > 0 else { return nil }
            var scanner = Scanner(bytes: base.assumingMemoryBound(to: UInt8.self), count: raw.count, allFields: true)
            guard let value = scanner.exactValue(depth: 0) else { return nil }
            scanner.skipSpace()
            return scanner.position == scanner.count ? value : nil
        }
    }

    /// How many arrays and objects JSON read by Gloss may nest: `JSONDecoder`'s limit (512
    /// holding each other are read, 513 are not), which ``exactValue(of:)`` keeps too.
    public static let nestingLimit = 512

    /// What is wrong with JSON that ``nestsTooDeeply(_:)``, for messages after a file's name.
    public static let tooDeepProblem = "nested too deeply: it holds arrays or objects more than \(nestingLimit) levels deep, and Gloss reads JSON nested at most \(nestingLimit) levels"

    /// True when the first thing in `data` that stops a JSON reader is an array or object
    /// nested more than ``nestingLimit`` deep: the JSON may be valid, and `JSONDecoder`'s
    /// "not valid JSON" would be the wrong reason. False for valid JSON within the limit
    /// and for a syntax error met first. Never throws.
    /// - Parameter data: the document's UTF-8 bytes.
    public static func nestsTooDeeply(_ data: Data) -> Bool {
        data.withUnsafeBytes { raw -> Bool in
            guard let base = raw.baseAddress, raw.count > 0 else { return false }
            var scanner = Scanner(bytes: base.assumingMemoryBound(to: UInt8.self), count: raw.count, allFields: true)
            return scanner.exactValue(depth: 0) == nil && scanner.tooDeep
        }
    }

    /// The first key that one object of the JSON document holds twice (RFC 8259 §4: its
    /// value is then up to each reader; Python and jq take the last, `JSONDecoder` the
    /// first), with the depth of that object (0: the top level, 2: a record in a list),
    /// or nil when no key repeats or the bytes are not JSON. Never throws.
    /// - Parameter data: the document's UTF-8 bytes.
    public static func firstRepeatedKey(of data: Data) -> (key: String, depth: Int)? {
        exactReading(of: data).repeatedKey
    }

    /// ``exactValue(of:)`` and ``firstRepeatedKey(of:)`` from one pass over `data`.
    static func exactReading(of data: Data) -> (value: JSONValue?, repeatedKey: (key: String, depth: Int)?) {
        data.withUnsafeBytes { raw -> (value: JSONValue?, repeatedKey: (key: String, depth: Int)?) in
            guard let base = raw.baseAddress, raw.count > 0 else { return (nil, nil) }
            var scanner = Scanner(bytes: base.assumingMemoryBound(to: UInt8.self), count: raw.count, allFields: true)
            guard let value = scanner.exactValue(depth: 0) else { return (nil, nil) }
            scanner.skipSpace()
            return (scanner.position == scanner.count ? value : nil, scanner.repeatedKey)
        }
    }

    /// An object key's bytes (ASCII), matched against names in `switch` cases.
    struct Key {
        let bytes: UnsafeBufferPointer<UInt8>

        /// The key as a string.
        var string: String { String(decoding: bytes, as: UTF8.self) }

        static func ~= (pattern: StaticString, key: Key) -> Bool {
            pattern.utf8CodeUnitCount == key.bytes.count && memcmp(pattern.utf8Start, key.bytes.baseAddress!, key.bytes.count) == 0
        }
    }

    /// A cursor over the bytes; every method returns nil (or false) on anything unexpected.
    struct Scanner {
        let bytes: UnsafePointer<UInt8>
        let count: Int
        let allFields: Bool
        var position = 0
        /// Scratch space for unescaping strings.
        var buffer: [UInt8] = []
        /// The first key ``exactValue(depth:)`` found twice in one object, with the depth
        /// of that object's value (0: the document's top level).
        var repeatedKey: (key: String, depth: Int)?
        /// True when ``exactValue(depth:)`` stopped at an array or object nested deeper
        /// than ``StoreScan/nestingLimit``, the first problem it met.
        var tooDeep = false
        /// Strings of 16 bytes or more that records may share, by a hash of their bytes.
        var shared: [SharedString] = []

        /// A string read from `length` bytes at `start`.
        struct SharedString {
            var start: Int
            var length: Int
            var string: String
        }

        init(bytes: UnsafePointer<UInt8>, count: Int, allFields: Bool) {
            self.bytes = bytes
            self.count = count
            self.allFields = allFields
            buffer.reserveCapacity(256)
        }

        // MARK: store

        /// A store's members other than its lists, as ``storeMembers(list:)`` reads them.
        struct StoreHead {
            var format: String?
            var version: Int?
            var document: StoredDocument?
            var memo = ""
            /// Members Gloss does not know, and a memo that is not text, kept as read.
            var otherFields: [String: JSONValue] = [:]
        }

        /// Reads the store's top-level object: format, version, document, memo and
        /// members Gloss does not know here (the top level's few keys made strings,
        /// escapes and all, as JSONDecoder reads them); each of `annotations`, `orphans`
        /// and `relations` is handed to `list`, which reads it or returns false. Nil when
        /// anything is not what the fast reader vouches for.
        mutating func storeMembers(list: (inout Scanner, String) -> Bool) -> StoreHead? {
            guard consume(UInt8(ascii: "{")) else { return nil }
            var head = StoreHead()
            var otherMemo: JSONValue?
            var seen = Set<String>()
            var first = true
            while true {
                skipSpace()
                if peek() == UInt8(ascii: "}") { position += 1; break }
                if !first { guard consume(UInt8(ascii: ",")) else { return nil } }
                first = false
                guard let key = string(), seen.insert(key).inserted, consume(UInt8(ascii: ":")) else { return nil }
                switch key {
                case "format": guard let value = string() else { return nil }; head.format = value
                case "version": guard let value = integer() else { return nil }; head.version = value
                case "document": guard let value = storedDocument() else { return nil }; head.document = value
                case "memo":
                    skipSpace()
                    let start = position
                    if peek() == UInt8(ascii: "\""), allFields, let value = string() {
                        head.memo = value
                    } else if peek() == UInt8(ascii: "\""), !allFields, skipString() {
                        // checked as text, left empty
                    } else {
                        // kept as read, as ``StoreCodec`` keeps a memo that is not text
                        position = start
                        guard let value = exactValue(depth: 0) else { return nil }
                        otherMemo = value
                    }
                case "annotations", "orphans", "relations": guard list(&self, key) else { return nil }
                default:
                    // kept as read, as ``StoreCodec`` keeps a member it does not know
                    guard let value = exactValue(depth: 0) else { return nil }
                    head.otherFields[key] = value
                }
            }
            if let otherMemo { head.otherFields["memo"] = otherMemo }
            return head
        }

        mutating func store() -> StoreContents? {
            var annotations: [Annotation]?, orphans: [Annotation] = [], relations: [Relation] = []
            let head = storeMembers { scanner, key in
                switch key {
                case "annotations": guard let value = scanner.annotationList() else { return false }; annotations = value
                case "orphans": guard let value = scanner.annotationList() else { return false }; orphans = value
                default: guard let value = scanner.relationList() else { return false }; relations = value
                }
                return true
            }
            skipSpace()
            // a member repeated in an unknown object: the reference reader refuses the store
            guard let head, repeatedKey == nil, position == count, head.format == StoreCodec.formatName, let version = head.version,
                  (StoreCodec.oldestVersion...StoreCodec.currentVersion).contains(version),
                  let document = head.document, let annotations else { return nil }
            // the checks StoreCodec makes; any failure is a quarantined record: fall back
            var ids = Set<String>()
            ids.reserveCapacity(annotations.count + orphans.count)
            for annotation in annotations where annotation.end > document.length || !ids.insert(annotation.id).inserted { return nil }
            for orphan in orphans where !ids.insert(orphan.id).inserted { return nil }
            var relationIDs = Set<String>()
            for relation in relations {
                guard !relation.id.isEmpty, !relation.type.isEmpty, relation.from != relation.to,
                      relationIDs.insert(relation.id).inserted, ids.contains(relation.from), ids.contains(relation.to) else { return nil }
            }
            var contents = StoreContents(document: document, version: version, otherFields: head.otherFields)
            // stores are written in document order; ids are unique, so the order is total
            let ordered = zip(annotations, annotations.dropFirst()).allSatisfy { Annotation.documentOrder($0, $1) }
            contents.annotations = ordered ? annotations : annotations.sorted(by: Annotation.documentOrder)
            contents.orphans = orphans
            let relationsOrdered = zip(relations, relations.dropFirst()).allSatisfy { Relation.storeOrder($0, $1) }
            contents.relations = relationsOrdered ? relations : relations.sorted(by: Relation.storeOrder)
            contents.memo = head.memo
            return contents
        }

        /// The store's `document` object; members Gloss does not know are kept as read.
        mutating func storedDocument() -> StoredDocument? {
            var path: String?, sha256: String?, length: Int?, source: StoredSource??
            var otherFields: [String: JSONValue] = [:]
            let fine = object { scanner, key in
                switch key {
                case "path": guard path == nil, let value = scanner.string() else { return false }; path = value
                case "sha256": guard sha256 == nil, let value = scanner.string() else { return false }; sha256 = value
                case "length": guard length == nil, let value = scanner.integer() else { return false }; length = value
                case "source":
                    // optional: `null` reads as absent
                    guard source == nil else { return false }
                    if scanner.literal("null") { source = .some(nil); return true }
                    guard let value = scanner.storedSource() else { return false }
                    source = value
                default:
                    // kept as read, as ``StoreCodec`` keeps it; a repeated one falls back
                    let name = key.string
                    guard otherFields[name] == nil, let value = scanner.exactValue(depth: 0) else { return false }
                    otherFields[name] = value
                }
                return true
            }
            guard fine, let path, let sha256, let length else { return nil }
            return StoredDocument(path: path, sha256: sha256, length: length, source: source ?? nil, otherFields: otherFields)
        }

        /// A document's `source`: `extractor` and `extractorVersion` strings, an optional
        /// `sha256` (`null` reads as absent).
        mutating func storedSource() -> StoredSource? {
            var sha256: String??, extractor: String?, version: String?
            var otherFields: [String: JSONValue] = [:]
            let fine = object { scanner, key in
                switch key {
                case "sha256":
                    guard sha256 == nil else { return false }
                    if scanner.literal("null") { sha256 = .some(nil); return true }
                    guard let value = scanner.string() else { return false }
                    sha256 = value
                case "extractor": guard extractor == nil, let value = scanner.string() else { return false }; extractor = value
                case "extractorVersion": guard version == nil, let value = scanner.string() else { return false }; version = value
                default: return scanner.otherMember(key, into: &otherFields)
                }
                return true
            }
            guard fine, let extractor, let version else { return nil }
            var source = StoredSource(sha256: sha256 ?? nil, extractor: extractor, extractorVersion: version)
            source.otherFields = otherFields
            return source
        }

        mutating func annotationList() -> [Annotation]? {
            var list: [Annotation] = []
            let fine = array { scanner in
                guard let annotation = scanner.annotation() else { return false }
                list.append(annotation)
                return true
            }
            return fine ? list : nil
        }

        /// One annotation record, valid as ``StoreCodec`` checks it (bar the document's
        /// length and repeated ids, checked over the lists).
        mutating func annotation() -> Annotation? {
            var id: String?, start: Int?, end: Int?, quote: String?, prefix: String?, suffix: String?
            var tags: [Tag]?, note: String?, author: String?, created: String?, modified: String?, conflict: String?
            var otherFields: [String: JSONValue] = [:]
            var seen: UInt16 = 0
            let fine = object { scanner, key in
                let bit: UInt16
                switch key {
                case "id": bit = 1; guard let value = scanner.string() else { return false }; id = value
                case "start": bit = 2; guard let value = scanner.integer() else { return false }; start = value
                case "end": bit = 4; guard let value = scanner.integer() else { return false }; end = value
                case "quote": bit = 8; guard let value = scanner.string() else { return false }; quote = value
                case "prefix": bit = 16; guard let value = scanner.string() else { return false }; prefix = value
                case "suffix": bit = 32; guard let value = scanner.string() else { return false }; suffix = value
                case "tags": bit = 64; guard let value = scanner.tags() else { return false }; tags = value
                case "note": bit = 128; guard let value = scanner.optionalField() else { return false }; note = value
                case "author": bit = 256; guard let value = scanner.optionalField() else { return false }; author = value
                case "created": bit = 512; guard let value = scanner.optionalField() else { return false }; created = value
                case "modified": bit = 1024; guard let value = scanner.optionalField() else { return false }; modified = value
                case "conflict": bit = 2048; guard let value = scanner.optionalField() else { return false }; conflict = scanner.allFields ? value : nil
                default: return scanner.otherMember(key, into: &otherFields)
                }
                guard seen & bit == 0 else { return false }
                seen |= bit
                return true
            }
            guard fine, let id, let start, let end, let quote, let prefix, let suffix, let tags,
                  let note, let author, let created, let modified,
                  !id.isEmpty, start >= 0, end > start, !tags.contains(where: { $0.category.isEmpty }) else { return nil }
            var annotation = Annotation(id: id, start: start, end: end, quote: quote, prefix: prefix, suffix: suffix, tags: tags,
                                        note: note, author: author, created: created, modified: modified, conflict: conflict)
            annotation.otherFields = otherFields
            return annotation
        }

        /// A member of a record Gloss does not know: kept as read in `members`, as
        /// ``StoreCodec`` keeps it, or with `allFields` false only checked; false (give the
        /// file to ``StoreCodec``) for a key repeated or bad JSON.
        mutating func otherMember(_ key: Key, into members: inout [String: JSONValue]) -> Bool {
            guard allFields else { return literal("null") || skipValue() }
            let name = key.string
            guard members[name] == nil, let value = exactValue(depth: 0) else { return false }
            members[name] = value
            return true
        }

        /// A string field the counts do not need: read with `allFields`, else checked and "".
        mutating func optionalField() -> String? {
            if allFields { return sharedString() }
            return skipString() ? "" : nil
        }

        mutating func tags() -> [Tag]? {
            var list: [Tag] = []
            let fine = array { scanner in
                var category: String?, value: String?
                var otherFields: [String: JSONValue] = [:]
                let fine = scanner.object { scanner, key in
                    switch key {
                    case "category": guard category == nil, let text = scanner.sharedString() else { return false }; category = text
                    case "value": guard value == nil, let text = scanner.sharedString() else { return false }; value = text
                    default: return scanner.otherMember(key, into: &otherFields)
                    }
                    return true
                }
                guard fine, let category, let value else { return false }
                list.append(Tag(category: category, value: value, otherFields: otherFields))
                return true
            }
            return fine ? list : nil
        }

        mutating func relationList() -> [Relation]? {
            var list: [Relation] = []
            let fine = array { scanner in
                var id: String?, type: String?, from: String?, to: String?
                var note = "", author = "", created = "", modified = ""
                var otherFields: [String: JSONValue] = [:]
                var seen: UInt8 = 0
                let fine = scanner.object { scanner, key in
                    let bit: UInt8
                    switch key {
                    case "id": bit = 1; guard let value = scanner.string() else { return false }; id = value
                    case "type": bit = 2; guard let value = scanner.sharedString() else { return false }; type = value
                    case "from": bit = 4; guard let value = scanner.string() else { return false }; from = value
                    case "to": bit = 8; guard let value = scanner.string() else { return false }; to = value
                    case "note": bit = 16; guard let value = scanner.optionalField() else { return false }; note = value
                    case "author": bit = 32; guard let value = scanner.optionalField() else { return false }; author = value
                    case "created": bit = 64; guard let value = scanner.optionalField() else { return false }; created = value
                    case "modified": bit = 128; guard let value = scanner.optionalField() else { return false }; modified = value
                    default: return scanner.otherMember(key, into: &otherFields)
                    }
                    guard seen & bit == 0 else { return false }
                    seen |= bit
                    return true
                }
                guard fine, let id, let type, let from, let to else { return false }
                var relation = Relation(id: id, type: type, from: from, to: to, note: note, author: author,
                                        created: created, modified: modified)
                relation.otherFields = otherFields
                list.append(relation)
                return true
            }
            return fine ? list : nil
        }

        // MARK: JSON

        func peek() -> UInt8? { position < count ? bytes[position] : nil }

        mutating func skipSpace() {
            while position < count {
                switch bytes[position] {
                case 0x20, 0x0A, 0x0D, 0x09: position += 1
                default: return
                }
            }
        }

        mutating func consume(_ byte: UInt8) -> Bool {
            skipSpace()
            guard position < count, bytes[position] == byte else { return false }
            position += 1
            return true
        }

        /// An object's members, `member` reading each value after its key; false on any
        /// syntax error, or when `member` returns false.
        mutating func object(_ member: (inout Scanner, Key) -> Bool) -> Bool {
            guard consume(UInt8(ascii: "{")) else { return false }
            skipSpace()
            if peek() == UInt8(ascii: "}") { position += 1; return true }
            while true {
                guard let key = key(), consume(UInt8(ascii: ":")) else { return false }
                skipSpace()
                guard member(&self, key) else { return false }
                skipSpace()
                guard let next = peek() else { return false }
                position += 1
                if next == UInt8(ascii: "}") { return true }
                guard next == UInt8(ascii: ",") else { return false }
            }
        }

        /// An array's elements, read by `element`.
        mutating func array(_ element: (inout Scanner) -> Bool) -> Bool {
            guard consume(UInt8(ascii: "[")) else { return false }
            skipSpace()
            if peek() == UInt8(ascii: "]") { position += 1; return true }
            while true {
                skipSpace()
                guard element(&self) else { return false }
                skipSpace()
                guard let next = peek() else { return false }
                position += 1
                if next == UInt8(ascii: "]") { return true }
                guard next == UInt8(ascii: ",") else { return false }
            }
        }

        /// A key: ASCII without escapes (any other key is left to ``StoreCodec``), its bytes
        /// compared with the names the reader knows without making a `String`.
        mutating func key() -> Key? {
            guard consume(UInt8(ascii: "\"")) else { return nil }
            let start = position
            while position < count {
                let byte = bytes[position]
                if byte == UInt8(ascii: "\"") {
                    position += 1
                    return Key(bytes: UnsafeBufferPointer(start: bytes + start, count: position - 1 - start))
                }
                if byte == UInt8(ascii: "\\") || byte < 0x20 || byte >= 0x80 { return nil }
                position += 1
            }
            return nil
        }

        /// The string of `bytes[start..<end]`, nil when they are not valid UTF-8.
        func makeString(from start: Int, to end: Int) -> String? {
            let slice = UnsafeBufferPointer(start: bytes + start, count: end - start)
            // ASCII is valid UTF-8 as it stands; anything else is checked
            if JSONBytes.isASCII(bytes, from: start, to: end) { return String(decoding: slice, as: UTF8.self) }
            return String(validating: slice, as: UTF8.self)
        }

        /// A JSON string, unescaped; nil for invalid UTF-8, a control character, a bad
        /// escape or a lone surrogate.
        mutating func string() -> String? {
            skipSpace()
            guard position < count, bytes[position] == UInt8(ascii: "\"") else { return nil }
            let start = position + 1
            let stop = JSONBytes.firstSpecial(bytes, from: start, to: count)
            guard stop < count else { return nil }
            // the common case: no escape, so the bytes are the string's
            if bytes[stop] == UInt8(ascii: "\"") {
                position = stop + 1
                return makeString(from: start, to: stop)
            }
            guard bytes[stop] == UInt8(ascii: "\\") else { return nil }
            position = stop
            return escapedString(from: start)
        }

        /// A string of Gloss's records that many records share (an author, a date, a
        /// tag): the string read the last time the same bytes were met, when they were,
        /// so that the records share one string's storage.
        mutating func sharedString() -> String? {
            skipSpace()
            guard position < count, bytes[position] == UInt8(ascii: "\"") else { return nil }
            let start = position + 1
            let stop = JSONBytes.firstSpecial(bytes, from: start, to: count)
            guard stop < count else { return nil }
            guard bytes[stop] == UInt8(ascii: "\"") else {
                guard bytes[stop] == UInt8(ascii: "\\") else { return nil }
                position = stop
                return escapedString(from: start)
            }
            position = stop + 1
            let length = stop - start
            // up to 15 bytes of UTF-8 are held inside the string itself: nothing to share
            guard length >= 16 else { return makeString(from: start, to: stop) }
            let raw = UnsafeRawPointer(bytes + start)
            let first = raw.loadUnaligned(as: UInt64.self), middle = raw.loadUnaligned(fromByteOffset: length / 2 - 4, as: UInt64.self)
            let last = raw.loadUnaligned(fromByteOffset: length - 8, as: UInt64.self)
            let hash = (first ^ (middle &* 31) ^ (last &* 0x9E37_79B9_7F4A_7C15) ^ UInt64(length)) &* 0x9E37_79B9_7F4A_7C15
            let slot = Int(truncatingIfNeeded: hash >> 58)
            if shared.isEmpty { shared = Array(repeating: SharedString(start: 0, length: -1, string: ""), count: 64) }
            let entry = shared[slot]
            if entry.length == length && memcmp(bytes + entry.start, bytes + start, length) == 0 { return entry.string }
            guard let string = makeString(from: start, to: stop) else { return nil }
            shared[slot] = SharedString(start: start, length: length, string: string)
            return string
        }

        /// The rest of a string from the first escape at `position`; `start` is where the
        /// string's bytes began.
        mutating func escapedString(from start: Int) -> String? {
            buffer.removeAll(keepingCapacity: true)
            buffer.append(contentsOf: UnsafeBufferPointer(start: bytes + start, count: position - start))
            while position < count {
                let byte = bytes[position]
                position += 1
                if byte == UInt8(ascii: "\"") {
                    return buffer.withUnsafeBufferPointer { buffer in
                        JSONBytes.isASCII(buffer.baseAddress!, from: 0, to: buffer.count)
                            ? String(decoding: buffer, as: UTF8.self) : String(validating: buffer, as: UTF8.self)
                    }
                }
                if byte < 0x20 { return nil }
                guard byte == UInt8(ascii: "\\") else {
                    // the plain run up to the next quote, escape or control character at once
                    let stop = JSONBytes.firstSpecial(bytes, from: position, to: count)
                    buffer.append(contentsOf: UnsafeBufferPointer(start: bytes + position - 1, count: stop - position + 1))
                    position = stop
                    continue
                }
                guard position < count else { return nil }
                let escape = bytes[position]
                position += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): buffer.append(escape)
                case UInt8(ascii: "b"): buffer.append(0x08)
                case UInt8(ascii: "f"): buffer.append(0x0C)
                case UInt8(ascii: "n"): buffer.append(0x0A)
                case UInt8(ascii: "r"): buffer.append(0x0D)
                case UInt8(ascii: "t"): buffer.append(0x09)
                case UInt8(ascii: "u"):
                    guard let unit = hex4() else { return nil }
                    var scalarValue = UInt32(unit)
                    if (0xD800...0xDBFF).contains(unit) {
                        guard position + 1 < count, bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u") else { return nil }
                        position += 2
                        guard let low = hex4(), (0xDC00...0xDFFF).contains(low) else { return nil }
                        scalarValue = 0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00)
                    } else if (0xDC00...0xDFFF).contains(unit) {
                        return nil
                    }
                    guard let scalar = Unicode.Scalar(scalarValue) else { return nil }
                    buffer.append(contentsOf: UTF8.encode(scalar)!)
                default:
                    return nil
                }
            }
            return nil
        }

        mutating func hex4() -> UInt16? {
            guard position + 4 <= count else { return nil }
            var value: UInt16 = 0
            for _ in 0..<4 {
                let byte = bytes[position]
                let digit: UInt8
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
                default: return nil
                }
                value = value << 4 | UInt16(digit)
                position += 1
            }
            return value
        }

        /// Checks a string as ``string()`` reads it, without making it.
        mutating func skipString() -> Bool {
            skipSpace()
            guard position < count, bytes[position] == UInt8(ascii: "\"") else { return false }
            let start = position + 1
            let stop = JSONBytes.firstSpecial(bytes, from: start, to: count)
            guard stop < count else { return false }
            if bytes[stop] == UInt8(ascii: "\"") {
                // all ASCII needs no check beyond the control characters
                guard JSONBytes.isASCII(bytes, from: start, to: stop) || makeString(from: start, to: stop) != nil else { return false }
                position = stop + 1
                return true
            }
            return string() != nil
        }

        /// A whole number as `Int`: an optional `-` and digits, no fraction or exponent.
        mutating func integer() -> Int? {
            skipSpace()
            var negative = false
            if peek() == UInt8(ascii: "-") { negative = true; position += 1 }
            let start = position
            var value = 0
            while position < count, bytes[position] >= UInt8(ascii: "0"), bytes[position] <= UInt8(ascii: "9") {
                // a negative number is summed downwards, so that Int.min fits
                let (times, overflow1) = value.multipliedReportingOverflow(by: 10)
                let digit = Int(bytes[position] - UInt8(ascii: "0"))
                let (sum, overflow2) = negative ? times.subtractingReportingOverflow(digit) : times.addingReportingOverflow(digit)
                guard !overflow1, !overflow2 else { return nil }
                value = sum
                position += 1
            }
            let digits = position - start
            guard digits > 0, !(digits > 1 && bytes[start] == UInt8(ascii: "0")) else { return nil }
            if let next = peek(), next == UInt8(ascii: ".") || next == UInt8(ascii: "e") || next == UInt8(ascii: "E") { return nil }
            return value
        }

        /// Any JSON value as ``JSONValue`` reads it through `JSONDecoder`; nil for a number
        /// that is not a whole `Int` (a fraction or exponent, which that decoder may read as
        /// a whole number, or one beyond `Int`), a repeated key, or nesting deeper than 64.
        mutating func jsonValue(depth: Int) -> JSONValue? {
            skipSpace()
            guard depth < 64, let byte = peek() else { return nil }
            switch byte {
            case UInt8(ascii: "\""): return string().map(JSONValue.string)
            case UInt8(ascii: "t"): return literal("true") ? .bool(true) : nil
            case UInt8(ascii: "f"): return literal("false") ? .bool(false) : nil
            case UInt8(ascii: "n"): return literal("null") ? .null : nil
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return integer().map(JSONValue.integer)
            case UInt8(ascii: "["):
                var items: [JSONValue] = []
                let fine = array { scanner in
                    guard let item = scanner.jsonValue(depth: depth + 1) else { return false }
                    items.append(item)
                    return true
                }
                return fine ? .array(items) : nil
            case UInt8(ascii: "{"):
                var members: [String: JSONValue] = [:]
                guard consume(UInt8(ascii: "{")) else { return nil }
                skipSpace()
                if peek() == UInt8(ascii: "}") { position += 1; return .object(members) }
                while true {
                    guard let key = string(), consume(UInt8(ascii: ":")), let value = jsonValue(depth: depth + 1),
                          members.updateValue(value, forKey: key) == nil else { return nil }
                    skipSpace()
                    guard let next = peek() else { return nil }
                    position += 1
                    if next == UInt8(ascii: "}") { return .object(members) }
                    guard next == UInt8(ascii: ",") else { return nil }
                }
            default: return nil
            }
        }

        /// Any JSON value as ``StoreScan/exactValue(of:)`` reads it.
        mutating func exactValue(depth: Int) -> JSONValue? {
            skipSpace()
            guard let byte = peek() else { return nil }
            // `depth` arrays and objects hold this value: one more is too many past the limit
            if byte == UInt8(ascii: "[") || byte == UInt8(ascii: "{"), depth >= StoreScan.nestingLimit {
                tooDeep = true
                return nil
            }
            let start = position
            switch byte {
            case UInt8(ascii: "\""):
                if let text = string() { return .string(text) }
                position = start
                return skipEscapedText() ? literal(from: start) : nil
            case UInt8(ascii: "t"): return literal("true") ? .bool(true) : nil
            case UInt8(ascii: "f"): return literal("false") ? .bool(false) : nil
            case UInt8(ascii: "n"): return literal("null") ? .null : nil
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                // -0 is not the 0 an Int would write back
                if let number = integer(), number != 0 || byte != UInt8(ascii: "-") { return .integer(number) }
                position = start
                return skipNumber() ? literal(from: start) : nil
            case UInt8(ascii: "["):
                var items: [JSONValue] = []
                let fine = array { scanner in
                    guard let item = scanner.exactValue(depth: depth + 1) else { return false }
                    items.append(item)
                    return true
                }
                return fine ? .array(items) : nil
            case UInt8(ascii: "{"):
                var members: [String: JSONValue] = [:]
                var textKeys = true
                position += 1
                skipSpace()
                if peek() == UInt8(ascii: "}") { position += 1; return .object(members) }
                while true {
                    skipSpace()
                    let keyStart = position
                    var key = string()
                    if key == nil {
                        position = keyStart
                        guard skipEscapedText() else { return nil }
                        textKeys = false
                    }
                    guard consume(UInt8(ascii: ":")), let value = exactValue(depth: depth + 1) else { return nil }
                    if let key {
                        if let held = members.index(forKey: key) {
                            // the same key, not merely one canonically equivalent to it
                            if repeatedKey == nil, members.keys[held].utf8.elementsEqual(key.utf8) { repeatedKey = (key, depth) }
                        } else {
                            members[key] = value
                        }
                    }
                    key = nil
                    skipSpace()
                    guard let next = peek() else { return nil }
                    position += 1
                    if next == UInt8(ascii: "}") { return textKeys ? .object(members) : literal(from: start) }
                    guard next == UInt8(ascii: ",") else { return nil }
                }
            default: return nil
            }
        }

        /// The bytes from `start` to the position as a ``JSONValue/literal(_:)`` (already
        /// checked to be UTF-8).
        func literal(from start: Int) -> JSONValue {
            .literal(String(decoding: UnsafeBufferPointer(start: bytes + start, count: position - start), as: UTF8.self))
        }

        /// Skips a string that ``string()`` refused, checking only JSON's grammar (escapes,
        /// no control characters) and UTF-8, so that what is left is a surrogate escape no
        /// `String` can hold.
        mutating func skipEscapedText() -> Bool {
            guard consume(UInt8(ascii: "\"")) else { return false }
            let start = position
            while position < count {
                let byte = bytes[position]
                position += 1
                switch byte {
                case UInt8(ascii: "\""):
                    return makeString(from: start, to: position - 1) != nil
                case UInt8(ascii: "\\"):
                    guard let escape = peek() else { return false }
                    position += 1
                    switch escape {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                         UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"): continue
                    case UInt8(ascii: "u"): guard hex4() != nil else { return false }
                    default: return false
                    }
                case 0..<0x20: return false
                default: continue
                }
            }
            return false
        }

        /// Skips any JSON value but `null` (which ``StoreCodec`` may read as a missing
        /// field), checking its syntax.
        mutating func skipValue() -> Bool {
            skipSpace()
            guard let byte = peek() else { return false }
            switch byte {
            case UInt8(ascii: "\""):
                // a member no one reads may hold a lone surrogate, as JSONDecoder allows
                let start = position
                if skipString() { return true }
                position = start
                return skipEscapedText()
            case UInt8(ascii: "{"): return object { scanner, _ in scanner.skipValue() }
            case UInt8(ascii: "["): return array { scanner in scanner.skipValue() }
            case UInt8(ascii: "t"): return literal("true")
            case UInt8(ascii: "f"): return literal("false")
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return skipNumber()
            default: return false
            }
        }

        /// A JSON number of any form: `-`, digits without a leading zero, a fraction, an exponent.
        mutating func skipNumber() -> Bool {
            func digits(_ scanner: inout Scanner) -> Int {
                let start = scanner.position
                while scanner.position < scanner.count, scanner.bytes[scanner.position] >= UInt8(ascii: "0"),
                      scanner.bytes[scanner.position] <= UInt8(ascii: "9") { scanner.position += 1 }
                return scanner.position - start
            }
            if peek() == UInt8(ascii: "-") { position += 1 }
            let start = position
            let whole = digits(&self)
            guard whole > 0, !(whole > 1 && bytes[start] == UInt8(ascii: "0")) else { return false }
            if peek() == UInt8(ascii: ".") {
                position += 1
                guard digits(&self) > 0 else { return false }
            }
            if let next = peek(), next == UInt8(ascii: "e") || next == UInt8(ascii: "E") {
                position += 1
                if let sign = peek(), sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { position += 1 }
                guard digits(&self) > 0 else { return false }
            }
            return true
        }

        mutating func literal(_ word: StaticString) -> Bool {
            let length = word.utf8CodeUnitCount
            guard position + length <= count, memcmp(bytes + position, word.utf8Start, length) == 0 else { return false }
            position += length
            return true
        }
    }
}
