import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One codebook tag on an annotation: a category id (such as `actor`) and a value from the
/// category's vocabulary or typed freely (such as `ISIL`). The value may be empty.
///
/// A tag is its category and value: two tags with those equal are the same tag (`==`,
/// hashing), whatever members another tool added to them (``otherFields``), so counting,
/// merging and "already tagged" see one tag.
public struct Tag: Codable, Hashable, Sendable {
    /// The codebook category's `id`.
    public var category: String
    /// The value, free text; empty when none was given.
    public var value: String
    /// Members of the tag's object in the store this Gloss does not know (another tool's or
    /// a newer Gloss's `confidence`), kept as read (``StoreScan/exactValue(of:)``) and
    /// written back unchanged, sorted among the known ones. They stay with the tag while it
    /// is kept, also when its value or category is changed, and go when it is removed.
    public var otherFields: [String: JSONValue]

    /// The members Gloss reads and writes itself.
    static let knownFields: Set<String> = ["category", "value"]

    /// Creates a tag.
    public init(category: String, value: String, otherFields: [String: JSONValue] = [:]) {
        self.category = category
        self.value = value
        self.otherFields = otherFields
    }

    /// Reads a tag object: `category` and `value` strings and any other members (a member
    /// `JSONDecoder` cannot hold reads as `null` here: ``StoreCodec`` takes it from the
    /// exact reading of the file).
    /// - Throws: `DecodingError` when `category` or `value` is missing or not a string.
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: AnyCodingKey.self)
        category = try container.decode(String.self, forKey: AnyCodingKey("category"))
        value = try container.decode(String.self, forKey: AnyCodingKey("value"))
        otherFields = JSONValue.otherMembers(of: container, known: Tag.knownFields)
    }

    /// Writes `category`, `value` and the members Gloss does not know.
    /// - Throws: `EncodingError` for a member kept as its text (``JSONValue/literal(_:)``),
    ///   which only the store's printer writes.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: AnyCodingKey.self)
        try JSONValue.encode(otherFields, except: Tag.knownFields, into: &container)
        try container.encode(category, forKey: AnyCodingKey("category"))
        try container.encode(value, forKey: AnyCodingKey("value"))
    }

    /// Same category and value.
    public static func == (a: Tag, b: Tag) -> Bool { a.category == b.category && a.value == b.value }

    /// Hashes the category and value.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(category)
        hasher.combine(value)
    }

    /// The tag's object as the store holds it, members it does not know included.
    var jsonRecord: JSONValue {
        var members = otherFields.filter { !Tag.knownFields.contains($0.key) }
        members["category"] = .string(category)
        members["value"] = .string(value)
        return .object(members)
    }
}

/// An annotation: a span of the document with its tags and note.
///
/// `start` and `end` are code points of the document text, end exclusive (DESIGN.md §2).
/// `quote`, `prefix` and `suffix` follow the W3C TextQuoteSelector
/// (Web Annotation Data Model §4.2.4): the exact text and up to
/// ``Annotation/contextLength`` code points before and after it, kept so the span can be
/// found again when the text changes. Timestamps are ISO 8601 UTC strings.
public struct Annotation: Codable, Hashable, Sendable, Identifiable {
    /// How many code points of context `prefix` and `suffix` keep at most.
    public static let contextLength = 32

    /// A UUID string, unique within the store.
    public var id: String
    /// First code point of the span.
    public var start: Int
    /// Code point after the span's last one.
    public var end: Int
    /// The text at `start..<end`.
    public var quote: String
    /// Up to 32 code points before `start`.
    public var prefix: String
    /// Up to 32 code points after `end`.
    public var suffix: String
    /// Codebook tags, in the order they were added.
    public var tags: [Tag]
    /// The analyst's note (memo); empty when none.
    public var note: String
    /// Login name of whoever created the annotation.
    public var author: String
    /// ISO 8601 UTC creation time, for instance `2026-11-29T19:00:00Z`.
    public var created: String
    /// ISO 8601 UTC time of the last change.
    public var modified: String
    /// Set by `gloss merge` when two coders gave the same span different tags: both
    /// annotations are kept and share this value (the conflict's id, `START-END` of the
    /// span in code points when it was merged); the annotations with the same value are
    /// rivals, and keeping one (`K` in the reader) deletes the others and clears it.
    /// Nil when there is no conflict; written to the store only when set, so stores
    /// without conflicts are as before and older stores read unchanged.
    public var conflict: String?
    /// Members of the annotation's object in the store this Gloss does not know (another
    /// tool's or a newer Gloss's `reviewed`), kept as read (``StoreScan/exactValue(of:)``)
    /// and written back unchanged, sorted among the known ones. They stay with the
    /// annotation through edits (tags, note, span, merges) and go when it is deleted.
    public var otherFields: [String: JSONValue] = [:]

    /// The members Gloss reads and writes itself.
    static let knownFields: Set<String> = ["id", "start", "end", "quote", "prefix", "suffix", "tags", "note", "author",
                                           "created", "modified", "conflict"]

    /// Creates an annotation with every field given.
    public init(id: String, start: Int, end: Int, quote: String, prefix: String, suffix: String,
                tags: [Tag], note: String, author: String, created: String, modified: String, conflict: String? = nil) {
        self.id = id
        self.start = start
        self.end = end
        self.quote = quote
        self.prefix = prefix
        self.suffix = suffix
        self.tags = tags
        self.note = note
        self.author = author
        self.created = created
        self.modified = modified
        self.conflict = conflict
    }

    /// Creates a new annotation over `range` of `document`, taking quote, prefix and suffix
    /// from the text.
    /// - Parameters:
    ///   - range: code points, end exclusive; must lie within the document.
    ///   - date: creation time, also used as the modification time.
    public init(document: Document, range: Range<Int>, tags: [Tag], note: String = "",
                author: String = Annotation.currentAuthor, date: Date = Date(), id: String = UUID().uuidString) {
        let stamp = Annotation.timestamp(date)
        self.init(
            id: id, start: range.lowerBound, end: range.upperBound,
            quote: document.text(in: range),
            prefix: document.text(in: max(0, range.lowerBound - Annotation.contextLength)..<range.lowerBound),
            suffix: document.text(in: range.upperBound..<min(document.length, range.upperBound + Annotation.contextLength)),
            tags: tags, note: note, author: author, created: stamp, modified: stamp)
    }

    /// The span as a range of code points.
    public var range: Range<Int> { start..<end }

    /// Reads a stored annotation: every member required but `conflict` (absent or `null`:
    /// nil), and any member Gloss does not know (one `JSONDecoder` cannot hold reads as
    /// `null` here: ``StoreCodec`` takes it from the exact reading of the file).
    /// - Throws: `DecodingError` when a required member is missing or of another type.
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: AnyCodingKey.self)
        func text(_ key: String) throws -> String { try container.decode(String.self, forKey: AnyCodingKey(key)) }
        id = try text("id")
        start = try container.decode(Int.self, forKey: AnyCodingKey("start"))
        end = try container.decode(Int.self, forKey: AnyCodingKey("end"))
        quote = try text("quote")
        prefix = try text("prefix")
        suffix = try text("suffix")
        tags = try container.decode([Tag].self, forKey: AnyCodingKey("tags"))
        note = try text("note")
        author = try text("author")
        created = try text("created")
        modified = try text("modified")
        conflict = try container.decodeIfPresent(String.self, forKey: AnyCodingKey("conflict"))
        otherFields = JSONValue.otherMembers(of: container, known: Annotation.knownFields)
    }

    /// Writes every member (`conflict` only when set) and the ones Gloss does not know.
    /// - Throws: `EncodingError` for a member kept as its text (``JSONValue/literal(_:)``),
    ///   which only the store's printer writes.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: AnyCodingKey.self)
        try JSONValue.encode(otherFields, except: Annotation.knownFields, into: &container)
        try container.encode(id, forKey: AnyCodingKey("id"))
        try container.encode(start, forKey: AnyCodingKey("start"))
        try container.encode(end, forKey: AnyCodingKey("end"))
        try container.encode(quote, forKey: AnyCodingKey("quote"))
        try container.encode(prefix, forKey: AnyCodingKey("prefix"))
        try container.encode(suffix, forKey: AnyCodingKey("suffix"))
        try container.encode(tags, forKey: AnyCodingKey("tags"))
        try container.encode(note, forKey: AnyCodingKey("note"))
        try container.encode(author, forKey: AnyCodingKey("author"))
        try container.encode(created, forKey: AnyCodingKey("created"))
        try container.encode(modified, forKey: AnyCodingKey("modified"))
        try container.encodeIfPresent(conflict, forKey: AnyCodingKey("conflict"))
    }

    /// Every field equal, the tags' members Gloss does not know included (a change to
    /// one of them is a change of the annotation, for merging and saving).
    public static func == (a: Annotation, b: Annotation) -> Bool {
        a.id == b.id && a.start == b.start && a.end == b.end && a.quote == b.quote && a.prefix == b.prefix && a.suffix == b.suffix
            && a.tags == b.tags && a.note == b.note && a.author == b.author && a.created == b.created && a.modified == b.modified
            && a.conflict == b.conflict && a.otherFields == b.otherFields && a.tags.map(\.otherFields) == b.tags.map(\.otherFields)
    }

    /// Hashes the fields `==` compares (bar the tags' unknown members).
    public func hash(into hasher: inout Hasher) {
        hasher.combine(id)
        hasher.combine(start)
        hasher.combine(end)
        hasher.combine(quote)
        hasher.combine(tags)
        hasher.combine(note)
        hasher.combine(modified)
        hasher.combine(conflict)
        hasher.combine(otherFields)
    }

    /// The annotation's object as the store holds it, with nothing lost (a member kept as
    /// its text stays one), for a record moved to quarantine.
    var jsonRecord: JSONValue {
        var members = otherFields.filter { !Annotation.knownFields.contains($0.key) }
        for (key, text) in [("id", id), ("quote", quote), ("prefix", prefix), ("suffix", suffix), ("note", note),
                            ("author", author), ("created", created), ("modified", modified)] {
            members[key] = .string(text)
        }
        members["start"] = .integer(start)
        members["end"] = .integer(end)
        members["tags"] = .array(tags.map(\.jsonRecord))
        if let conflict { members["conflict"] = .string(conflict) }
        return .object(members)
    }

    /// Formats `date` as ISO 8601 in UTC with whole seconds, e.g. `2026-11-29T19:00:00Z`.
    public static func timestamp(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: false, timeZone: TimeZone(identifier: "UTC")!))
    }

    /// Who new annotations are credited to by default: `$GLOSS_AUTHOR` when set and not
    /// empty, else the login name of the user running Gloss: `$USER`, then `$LOGNAME`,
    /// then the password database's name for the real user id, else `unknown`; a name with
    /// control characters is passed over. (`gloss
    /// --author` and `--coder` override it.)
    public static var currentAuthor: String {
        if let name = ProcessEnvironment.value("GLOSS_AUTHOR"), !name.isEmpty { return name }
        // a login name holding control characters (a hostile environment) is passed over
        func usable(_ name: String) -> Bool { !name.isEmpty && !name.unicodeScalars.contains { $0.properties.generalCategory == .control } }
        if let name = ProcessEnvironment.value("USER") ?? ProcessEnvironment.value("LOGNAME"), !name.isEmpty {
            if usable(name) { return name }
        }
        if let entry = getpwuid(getuid()), let name = entry.pointee.pw_name, usable(String(cString: name)) { return String(cString: name) }
        return "unknown"
    }
}
