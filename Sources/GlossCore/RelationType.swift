import Foundation

/// A codebook's type of relation between two annotations, such as an actor that
/// `undertakes` a cooperation measure.
///
/// In JSON, a member of the codebook's optional `relations` list:
/// `{"id": "undertakes", "label": "undertakes", "from": ["actor"],
///   "to": ["cooperation-measure"], "description": "..."}`. `from` and `to` list the
/// category ids an annotation at that end may carry; a relation type fits two annotations
/// when the first has a tag of a `from` category and the second one of a `to` category.
public struct RelationType: Codable, Hashable, Sendable {
    /// Stable identifier stored in relations, e.g. `acts-on`.
    public var id: String
    /// Name shown to people, e.g. `acts on`.
    public var label: String
    /// Category ids the relation may start at (its subject).
    public var from: [String]
    /// Category ids the relation may point to (its object).
    public var to: [String]
    /// One line saying what the relation means; empty when none.
    public var description: String

    /// Creates a relation type.
    public init(id: String, label: String, from: [String], to: [String], description: String = "") {
        self.id = id
        self.label = label
        self.from = from
        self.to = to
        self.description = description
    }

    private enum CodingKeys: String, CodingKey { case id, label, from, to, description }

    /// Decodes a relation type; `label` defaults to the id and `description` to empty.
    /// - Throws: `DecodingError` when `id`, `from` or `to` is missing or of another shape.
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        label = try container.decodeIfPresent(String.self, forKey: .label) ?? id
        from = try container.decode([String].self, forKey: .from)
        to = try container.decode([String].self, forKey: .to)
        description = try container.decodeIfPresent(String.self, forKey: .description) ?? ""
    }

    /// True when an annotation tagged with `fromCategories` may be this relation's subject
    /// and one tagged with `toCategories` its object.
    public func fits(from fromCategories: [String], to toCategories: [String]) -> Bool {
        fromCategories.contains(where: from.contains) && toCategories.contains(where: to.contains)
    }

    /// The relation types a codebook without a `relations` member gets (those whose end
    /// categories it has): `acts-on` actor → threat, `undertakes` actor →
    /// cooperation-measure, `targets` cooperation-measure → threat.
    public static let defaults: [RelationType] = [
        RelationType(id: "acts-on", label: "acts on", from: ["actor"], to: ["threat"],
                     description: "An actor carries out, counters or is affected by a threat."),
        RelationType(id: "undertakes", label: "undertakes", from: ["actor"], to: ["cooperation-measure"],
                     description: "An actor takes part in, agrees to or carries out a cooperation measure."),
        RelationType(id: "targets", label: "targets", from: ["cooperation-measure"], to: ["threat"],
                     description: "A cooperation measure is aimed at a threat."),
    ]

    /// ``defaults`` less the types naming a category that `categories` lacks.
    public static func defaults(for categories: [Category]) -> [RelationType] {
        let ids = Set(categories.map(\.id))
        return defaults.filter { ($0.from + $0.to).allSatisfy(ids.contains) }
    }
}
