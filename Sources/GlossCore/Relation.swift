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

    private enum CodingKeys: String, CodingKey { case id, type, from, to, note, author, created, modified }

    /// Decodes a stored relation; `note`, `author`, `created` and `modified` may be
    /// missing (empty then), the rest is required.
    /// - Throws: `DecodingError` when `id`, `type`, `from` or `to` is missing or not a string.
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        type = try container.decode(String.self, forKey: .type)
        from = try container.decode(String.self, forKey: .from)
        to = try container.decode(String.self, forKey: .to)
        note = try container.decodeIfPresent(String.self, forKey: .note) ?? ""
        author = try container.decodeIfPresent(String.self, forKey: .author) ?? ""
        created = try container.decodeIfPresent(String.self, forKey: .created) ?? ""
        modified = try container.decodeIfPresent(String.self, forKey: .modified) ?? ""
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
