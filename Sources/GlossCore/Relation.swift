import Foundation

/// A typed, directed link between two annotations of one store, such as an actor that
/// `undertakes` a cooperation measure (brat's binary relations, W3C Web Annotation's
/// `linking` purpose, REFI-QDA's `Link`).
public struct Relation: Codable, Hashable, Sendable, Identifiable {
    /// A UUID string, unique among the store's relations.
    public var id: String
    /// The codebook relation type's `id`, such as `undertakes`.
    public var type: String
    /// The id of the annotation the relation starts at (its subject, say the actor).
    public var from: String
    /// The id of the annotation the relation points to (its object, say the measure).
    public var to: String
    /// The analyst's note on the link; empty when none.
    public var note: String
    /// Login name of whoever made the link.
    public var author: String
    /// ISO 8601 UTC creation time, for instance `2026-11-29T19:00:00Z`.
    public var created: String
    /// ISO 8601 UTC time of the last change.
    public var modified: String
    /// Members of the relation's object in the store this Gloss does not know, kept as
    /// read (``StoreScan/exactValue(of:)``) and written back unchanged, sorted among the
    /// known ones; they go when the relation is deleted.
    public var otherFields: [String: JSONValue] = [:]

    /// The members Gloss reads and writes itself.
    static let knownFields: Set<String> = ["id", "type", "from", "to", "note", "author", "created", "modified"]

    /// Creates a relation with every field given.
    public init(id: String = UUID().uuidString, type: String, from: String, to: String, note: String = "",
                author: String = Annotation.currentAuthor, created: String, modified: String) {
        self.id = id
        self.type = type
        self.from = from
        self.to = to
        self.note = note
        self.author = author
        self.created = created
        self.modified = modified
    }

    /// Creates a new relation made now (`date`), modified at the same time.
    public init(type: String, from: String, to: String, note: String = "", author: String = Annotation.currentAuthor,
                date: Date = Date(), id: String = UUID().uuidString) {
        let stamp = Annotation.timestamp(date)
        self.init(id: id, type: type, from: from, to: to, note: note, author: author, created: stamp, modified: stamp)
    }

    /// Decodes a stored relation; `note`, `author`, `created` and `modified` may be
    /// missing (empty then), the rest is required.
    /// - Throws: `DecodingError` when `id`, `type`, `from` or `to` is missing or not a string.
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: AnyCodingKey.self)
        id = try container.decode(String.self, forKey: AnyCodingKey("id"))
        type = try container.decode(String.self, forKey: AnyCodingKey("type"))
        from = try container.decode(String.self, forKey: AnyCodingKey("from"))
        to = try container.decode(String.self, forKey: AnyCodingKey("to"))
        note = try container.decodeIfPresent(String.self, forKey: AnyCodingKey("note")) ?? ""
        author = try container.decodeIfPresent(String.self, forKey: AnyCodingKey("author")) ?? ""
        created = try container.decodeIfPresent(String.self, forKey: AnyCodingKey("created")) ?? ""
        modified = try container.decodeIfPresent(String.self, forKey: AnyCodingKey("modified")) ?? ""
        otherFields = JSONValue.otherMembers(of: container, known: Relation.knownFields)
    }

    /// Writes every member and the ones Gloss does not know.
    /// - Throws: `EncodingError` for a member kept as its text (``JSONValue/literal(_:)``),
    ///   which only the store's printer writes.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: AnyCodingKey.self)
        try JSONValue.encode(otherFields, except: Relation.knownFields, into: &container)
        for (key, text) in [("id", id), ("type", type), ("from", from), ("to", to), ("note", note), ("author", author),
                            ("created", created), ("modified", modified)] {
            try container.encode(text, forKey: AnyCodingKey(key))
        }
    }

    /// The relation's object as the store holds it, with nothing lost (a member kept as
    /// its text stays one), for a record moved to quarantine.
    var jsonRecord: JSONValue {
        var members = otherFields.filter { !Relation.knownFields.contains($0.key) }
        for (key, text) in [("id", id), ("type", type), ("from", from), ("to", to), ("note", note), ("author", author),
                            ("created", created), ("modified", modified)] {
            members[key] = .string(text)
        }
        return .object(members)
    }

    /// The store's order for relations: by `from`, then `to`, then `type`, then `id`, so
    /// that two analysts' files diff and merge cleanly.
    public static func storeOrder(_ a: Relation, _ b: Relation) -> Bool {
        (a.from, a.to, a.type, a.id) < (b.from, b.to, b.type, b.id)
    }

    /// True when `annotationID` is one of the relation's two ends.
    public func touches(_ annotationID: String) -> Bool {
        from == annotationID || to == annotationID
    }
}
