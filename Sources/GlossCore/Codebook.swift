import Foundation

/// A codebook: the categories an analyst tags with, each with a key and a vocabulary.
///
/// Read from JSON (DESIGN.md §3): `{"name": ..., "categories": [...], "relations": [...]}`,
/// `relations` optional (see ``RelationType``). The default ships in
/// `Resources/codebook.json`.
public struct Codebook: Codable, Hashable, Sendable {
    /// A human-readable name for the codebook.
    public var name: String
    /// The categories, in the order they are listed in help and reports.
    public var categories: [Category]
    /// The types of relation between annotations, in the order prompts offer them. A
    /// codebook file without a `relations` member gets ``RelationType/defaults(for:)``;
    /// an empty list means no relations.
    public var relations: [RelationType]

    /// Creates a codebook; `relations` nil gives the default relation types whose end
    /// categories `categories` has.
    public init(name: String, categories: [Category], relations: [RelationType]? = nil) {
        self.name = name
        self.categories = categories
        self.relations = relations ?? RelationType.defaults(for: categories)
    }

    private enum CodingKeys: String, CodingKey { case name, categories, relations }

    /// Decodes a codebook; a missing `relations` member gives the default relation types
    /// whose end categories it has.
    /// - Throws: `DecodingError` when a member is missing or of another shape.
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(name: try container.decode(String.self, forKey: .name),
                  categories: try container.decode([Category].self, forKey: .categories),
                  relations: try container.decodeIfPresent([RelationType].self, forKey: .relations))
    }

    /// The relation type with `id`, or nil.
    public func relationType(id: String) -> RelationType? {
        relations.first { $0.id == id }
    }

    /// `tag`'s value with the path of its parents in the codebook, as exports write it
    /// (``Category/qualifiedValue(_:)``): `state/Turkey`; the value itself when its
    /// category is not in the codebook.
    public func qualifiedValue(of tag: Tag) -> String {
        category(id: tag.category)?.qualifiedValue(tag.value) ?? tag.value
    }

    /// The eight basic colour names, which the reader offers for a new category; a
    /// category may also name a bright variant or `#RRGGBB` (``ColorSpec``).
    public static let colorNames = ["black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"]

    /// The category with `id`, or nil.
    public func category(id: String) -> Category? {
        categories.first { $0.id == id }
    }

    /// The category whose `key` is `key`, or nil.
    public func category(key: Character) -> Category? {
        categories.first { $0.key == String(key) }
    }

    /// Why `key` cannot tag as a category, nil when it can: a key is one visible
    /// character, not a space, control or format character (Tab and Esc have their own
    /// meaning, and Ctrl-A never reaches a tag) and not a digit (digits are counts, `5j`).
    public static func keyProblem(_ key: String) -> String? {
        guard key.count == 1, let character = key.first else { return "a key is one character" }
        if character.isWhitespace || character.unicodeScalars.contains(where: { [.control, .format].contains($0.properties.generalCategory) }) {
            return "a key is a visible character, not a space or a control character"
        }
        if character.isASCII && character.isNumber { return "digits are counts (5j), not keys" }
        return nil
    }

    /// The file name of a team's codebook, found by ``discover(forDocument:)``.
    public static let teamFileName = "gloss.codebook.json"

    /// The nearest `gloss.codebook.json` for the document at `documentPath`: in its folder,
    /// else in the nearest parent folder that has one (as git finds `.gitignore`), so a
    /// team shares one codebook for a folder tree of articles. Nil when there is none.
    /// The folders are the ones the kernel finds (``FilePaths/physicalFolder(of:)``), so
    /// the same document gets the same codebook however its path is spelt; a
    /// `gloss.codebook.json` that is a link to nothing is found (and then refused, named).
    public static func discover(forDocument documentPath: String) -> String? {
        var folder = FilePaths.physicalFolder(of: documentPath)
        while true {
            let candidate = (folder == "/" ? "" : folder) + "/" + teamFileName
            var entry = stat()
            if lstat(candidate, &entry) == 0 { return candidate }
            if folder == "/" { return nil }
            folder = FilePaths.folder(of: folder)
        }
    }

    /// Reads a codebook file.
    /// - Throws: ``CodebookError`` naming the file when it cannot be read, is not JSON of
    ///   the codebook's shape, repeats a category id or key, names an unknown colour,
    ///   repeats a relation type id, or gives a relation type an end category it lacks.
    public static func load(path: String) throws -> Codebook {
        let data: Data
        do {
            data = try RegularFile.data(path)
        } catch {
            throw CodebookError(path: path, problem: "cannot read it: \(Document.reason(for: error, path: path))")
        }
        let codebook: Codebook
        do {
            codebook = try JSONDecoder().decode(Codebook.self, from: data)
        } catch {
            throw CodebookError(path: path, problem: JSONProblem.describe(error, in: data, notWhat: "not a codebook"))
        }
        try codebook.validate(path: path)
        return codebook
    }

    /// Checks what JSON decoding cannot: category ids and keys are unique, a key is one
    /// character, a colour is a ``ColorSpec`` (a name or `#RRGGBB`), relation type ids are unique and
    /// their end categories exist.
    /// - Throws: ``CodebookError`` naming `path` for the first problem.
    func validate(path: String) throws {
        let codebook = self
        var ids = Set<String>(), keys = Set<String>()
        for category in codebook.categories {
            guard ids.insert(category.id).inserted else {
                throw CodebookError(path: path, problem: "category id \"\(category.id)\" appears twice")
            }
            guard category.key.count == 1 else {
                throw CodebookError(path: path, problem: "category \"\(category.id)\" has key \"\(ControlPictures.visible(category.key))\"; a key is one character")
            }
            if let problem = Codebook.keyProblem(category.key) {
                throw CodebookError(path: path, problem: "category \"\(category.id)\" has key \"\(ControlPictures.visible(category.key))\": \(problem)")
            }
            guard keys.insert(category.key).inserted else {
                throw CodebookError(path: path, problem: "key \"\(category.key)\" is used by two categories")
            }
            guard ColorSpec(category.color) != nil else {
                throw CodebookError(path: path, problem: "category \"\(category.id)\" has colour \"\(ControlPictures.visible(category.color))\"; use one of \(ColorSpec.accepted)")
            }
        }
        var relationIDs = Set<String>()
        for relation in codebook.relations {
            guard !relation.id.isEmpty else {
                throw CodebookError(path: path, problem: "a relation type has an empty id")
            }
            guard relationIDs.insert(relation.id).inserted else {
                throw CodebookError(path: path, problem: "relation type id \"\(relation.id)\" appears twice")
            }
            for (end, categories) in [("from", relation.from), ("to", relation.to)] {
                guard !categories.isEmpty else {
                    throw CodebookError(path: path, problem: "relation type \"\(relation.id)\" has no \"\(end)\" category")
                }
                if let unknown = categories.first(where: { !ids.contains($0) }) {
                    throw CodebookError(path: path, problem: "relation type \"\(relation.id)\" names unknown category \"\(unknown)\" in \"\(end)\"")
                }
            }
        }
    }
}

/// A codebook category, such as `actor`.
public struct Category: Codable, Hashable, Sendable {
    /// Stable identifier stored in tags, e.g. `cooperation-measure`.
    public var id: String
    /// Name shown to people, e.g. `Cooperation measure`.
    public var label: String
    /// The single character that tags with this category in the reader.
    public var key: String
    /// The colour tagged text is shown in: black, red, green, yellow, blue, magenta, cyan
    /// or white, a bright variant (`bright-red`), or `#RRGGBB`, any case (``ColorSpec``).
    public var color: String
    /// One line saying what the category covers.
    public var description: String
    /// The controlled vocabulary; entries may nest and list aliases.
    public var values: [CodebookValue]

    /// Creates a category.
    public init(id: String, label: String, key: String, color: String, description: String, values: [CodebookValue]) {
        self.id = id
        self.label = label
        self.key = key
        self.color = color
        self.description = description
        self.values = values
    }

    /// The path from the top of the vocabulary to `value`, such as `["state", "Turkey"]`
    /// for `Turkey` listed under `state`; the first match depth first, compared exactly.
    /// `[value]` when the vocabulary does not hold it (a value typed freely).
    public func path(of value: String) -> [String] {
        func search(_ entries: [CodebookValue], _ trail: [String]) -> [String]? {
            for entry in entries {
                if entry.value == value { return trail + [entry.value] }
                if let found = search(entry.values, trail + [entry.value]) { return found }
            }
            return nil
        }
        return search(values, []) ?? [value]
    }

    /// `value` with the path of its parents, joined by `/` as exports write it
    /// (`state/Turkey`); `value` itself when it is at the top or not in the vocabulary.
    public func qualifiedValue(_ value: String) -> String {
        path(of: value).joined(separator: "/")
    }

    /// Every value in the vocabulary, depth first, nested ones after their parent.
    public var allValues: [CodebookValue] {
        values.flatMap { [$0] + $0.descendants }
    }
}

/// One entry of a category's vocabulary. In JSON either a plain string or an object
/// `{"value": ..., "aliases": [...], "values": [...]}`.
public struct CodebookValue: Codable, Hashable, Sendable {
    /// The value as stored in tags.
    public var value: String
    /// Other spellings that complete to this value.
    public var aliases: [String]
    /// Narrower values.
    public var values: [CodebookValue]

    /// Creates a value.
    public init(value: String, aliases: [String] = [], values: [CodebookValue] = []) {
        self.value = value
        self.aliases = aliases
        self.values = values
    }

    /// Every value nested under this one, depth first.
    public var descendants: [CodebookValue] {
        values.flatMap { [$0] + $0.descendants }
    }

    private enum CodingKeys: String, CodingKey { case value, aliases, values }

    /// Decodes a plain string or an object.
    public init(from decoder: Decoder) throws {
        if let single = try? decoder.singleValueContainer(), let text = try? single.decode(String.self) {
            self.init(value: text)
            return
        }
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            value: try container.decode(String.self, forKey: .value),
            aliases: try container.decodeIfPresent([String].self, forKey: .aliases) ?? [],
            values: try container.decodeIfPresent([CodebookValue].self, forKey: .values) ?? [])
    }

    /// Encodes a plain string when there are no aliases or narrower values.
    public func encode(to encoder: Encoder) throws {
        if aliases.isEmpty && values.isEmpty {
            var single = encoder.singleValueContainer()
            try single.encode(value)
            return
        }
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(value, forKey: .value)
        if !aliases.isEmpty { try container.encode(aliases, forKey: .aliases) }
        if !values.isEmpty { try container.encode(values, forKey: .values) }
    }
}

/// A codebook file that cannot be used.
public struct CodebookError: Error, CustomStringConvertible {
    /// The codebook file's path.
    public var path: String
    /// What is wrong with it.
    public var problem: String

    /// Creates the error.
    public init(path: String, problem: String) {
        self.path = path
        self.problem = problem
    }

    public var description: String { "\(path): \(problem)" }
}

/// Turns JSON decoding errors into one readable line.
enum JSONProblem {
    /// The problem with `data`, which failed to decode with `error`: bytes that are not
    /// UTF-8 (which JSON must be) are named by their offset, as a document's are, since
    /// the decoder's own word for them points at the wrong thing ("not a JSON value").
    static func describe(_ error: Error, in data: Data) -> String {
        if let offset = firstInvalidUTF8(in: data) { return "not valid UTF-8 (first bad byte at offset \(offset))" }
        if StoreScan.nestsTooDeeply(data) { return StoreScan.tooDeepProblem }
        return describe(error)
    }

    /// ``describe(_:in:)`` after `notWhat` ("not a codebook"), which a file nested too
    /// deeply is not said to be: it may be just that, only deeper than Gloss reads.
    static func describe(_ error: Error, in data: Data, notWhat: String) -> String {
        let problem = describe(error, in: data)
        return problem == StoreScan.tooDeepProblem ? problem : "\(notWhat): \(problem)"
    }

    /// The offset of the first byte of `data` that is not part of valid UTF-8; nil when all are.
    static func firstInvalidUTF8(in data: Data) -> Int? {
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = data.makeIterator()
        var offset = 0
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded): offset += encoded.count
            case .error: return offset
            case .emptyInput: return nil
            }
        }
    }

    static func describe(_ error: Error) -> String {
        guard let decoding = error as? DecodingError else { return "\(error)" }
        func where_(_ path: [CodingKey]) -> String {
            let joined = path.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return joined.isEmpty ? "at the top level" : "at \(joined.hasPrefix(".") ? String(joined.dropFirst()) : joined)"
        }
        switch decoding {
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty { return "not valid JSON" }
            return "\(context.debugDescription) \(where_(context.codingPath))"
        case .keyNotFound(let key, let context):
            return "missing \"\(key.stringValue)\" \(where_(context.codingPath))"
        case .typeMismatch(let type, let context):
            return "expected \(kind(of: type)) \(where_(context.codingPath))"
        case .valueNotFound(let type, let context):
            return "expected \(kind(of: type)), found null \(where_(context.codingPath))"
        @unknown default:
            return "\(error)"
        }
    }

    /// The JSON kind a Swift type is decoded from, in words: "an object" for
    /// `Dictionary<String, Any>`, never the Swift type's name, which means nothing to
    /// someone editing a JSON file.
    static func kind(of type: Any.Type) -> String {
        let name = String(describing: type)
        if name.hasPrefix("Dictionary<") || name.hasPrefix("[") && name.contains(":") { return "an object" }
        if name.hasPrefix("Array<") || name.hasPrefix("[") { return "an array" }
        if name == "String" || name == "Substring" || name == "Character" { return "a string" }
        if name == "Bool" { return "true or false" }
        if ["Int", "UInt", "Double", "Float", "Decimal"].contains(where: { name.hasPrefix($0) }) { return "a number" }
        return "a value of another kind"
    }
}
