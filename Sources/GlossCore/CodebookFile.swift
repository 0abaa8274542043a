import Foundation

/// The codebook file a session edits: where edits are written and the file's JSON as a
/// tree, so that members Gloss does not know (a `$schema`, a category's `notes`, a value's
/// `source`) are written back as read.
///
/// Edits (``addingValue(_:toCategory:under:)``, ``addingCategory(_:)``,
/// ``renamingValue(_:to:inCategory:)``) change the tree and return the new file; the
/// typed ``Codebook`` is always decoded from the tree (``codebook()``), so the reader and
/// the file never disagree.
public struct CodebookFile: Hashable, Sendable {
    /// The file edits are written to.
    public var path: String
    /// The file's JSON: an object with `name` and `categories`, plus anything else it held.
    public var tree: JSONValue
    /// True while the session reads the bundled default codebook, which is never written:
    /// `path` is then `gloss.codebook.json` in the document's folder, not written yet, and
    /// the first edit creates it as a copy of the bundled codebook plus the edit.
    public var isBundledCopy: Bool

    /// Creates a codebook file value.
    public init(path: String, tree: JSONValue, isBundledCopy: Bool = false) {
        self.path = path
        self.tree = tree
        self.isBundledCopy = isBundledCopy
    }

    /// Reads the codebook file at `path` with its tree.
    /// - Parameter writeTo: where edits go; `path` when nil. A bundled default codebook
    ///   is read with `writeTo` set to `gloss.codebook.json` beside the document and
    ///   `isBundledCopy` true.
    /// - Throws: ``CodebookError`` as ``Codebook/load(path:)`` does.
    public static func load(path: String, writeTo: String? = nil, isBundledCopy: Bool = false) throws -> (codebook: Codebook, file: CodebookFile) {
        let data: Data
        do {
            data = try RegularFile.data(path)
        } catch {
            throw CodebookError(path: path, problem: "cannot read it: \(Document.reason(for: error, path: path))")
        }
        // The byte reader is far cheaper at start-up than JSONValue through JSONDecoder
        // (which throws on every type it tries before the right one), and the codebook is
        // read from its tree. Anything it cannot vouch for, and any codebook not of the
        // expected shape, takes the JSONDecoder path below, so error messages are the
        // same as ever.
        if let tree = StoreScan.jsonValue(of: data), let codebook = Codebook(exactly: tree) {
            try codebook.validate(path: path)
            return (codebook, CodebookFile(path: writeTo ?? path, tree: tree, isBundledCopy: isBundledCopy))
        }
        let tree: JSONValue
        do {
            tree = try JSONDecoder().decode(JSONValue.self, from: data)
        } catch {
            throw CodebookError(path: path, problem: JSONProblem.describe(error, in: data, notWhat: "not a codebook"))
        }
        let codebook = try Codebook.decode(tree: tree, path: path)
        return (codebook, CodebookFile(path: writeTo ?? path, tree: tree, isBundledCopy: isBundledCopy))
    }

    /// The codebook the tree holds.
    /// - Throws: ``CodebookError`` naming ``path`` when the tree is not a valid codebook.
    public func codebook() throws -> Codebook {
        try Codebook.decode(tree: tree, path: path)
    }

    /// The file's bytes: UTF-8 JSON, two spaces of indent, short lists and value entries
    /// kept on one line as the bundled codebook writes them; known members first in the
    /// usual order (`name`, `categories`; `id`, `label`, `key`, `color`, `description`,
    /// `values`; `value`, `aliases`), then other members by name.
    public var data: Data { Data((CodebookFile.serialize(tree) + "\n").utf8) }

    // MARK: - Edits

    /// The file with `value` added to category `categoryID`: as a narrower value of
    /// `parent` when given, else at the end of the category's top-level values.
    /// - Throws: ``CodebookEditError`` when the category or parent is not there, or the
    ///   category already has `value` (as a value or an alias).
    public func addingValue(_ value: String, toCategory categoryID: String, under parent: String? = nil) throws -> CodebookFile {
        let codebook = try codebook()
        guard let category = codebook.category(id: categoryID) else { throw CodebookEditError("no category \(categoryID) in the codebook") }
        if let existing = category.allValues.first(where: { $0.value == value || $0.aliases.contains(value) }) {
            throw CodebookEditError(existing.value == value ? "“\(value)” is already in \(category.label)"
                                    : "“\(value)” is already an alias of “\(existing.value)” in \(category.label)")
        }
        var edited = self
        try edited.updateCategory(categoryID) { object in
            var values = object["values"]?.arrayValue ?? []
            if let parent {
                guard CodebookFile.update(&values, entry: parent, { entry in
                    var members = CodebookFile.members(of: entry)
                    members["values"] = .array((members["values"]?.arrayValue ?? []) + [.string(value)])
                    entry = .object(members)
                }) else { throw CodebookEditError("no value “\(parent)” in \(category.label)") }
            } else {
                values.append(.string(value))
            }
            object["values"] = .array(values)
        }
        return edited
    }

    /// The file with `category` added after the others.
    /// - Throws: ``CodebookEditError`` when its id or key is already a category's.
    public func addingCategory(_ category: Category) throws -> CodebookFile {
        let codebook = try codebook()
        if codebook.category(id: category.id) != nil { throw CodebookEditError("a category with id \(category.id) exists") }
        if let other = codebook.categories.first(where: { $0.key == category.key }) {
            throw CodebookEditError("key \(category.key) is \(other.label)'s")
        }
        var edited = self
        var members = CodebookFile.members(of: tree)
        let added = try JSONValue(encoding: category)
        members["categories"] = .array((members["categories"]?.arrayValue ?? []) + [added])
        edited.tree = .object(members)
        return edited
    }

    /// The file with value `old` of category `categoryID` renamed to `new`, the old
    /// spelling kept as an alias; when the category already has `new` (as a value, or an
    /// alias of one), the two merge: the entry of `old` goes, and `old`, its aliases and
    /// its narrower values join the entry of `new` (when `new` is itself narrower than
    /// `old`, the narrower values take the place of `old` instead, so nothing is lost). Nil when the category does not list
    /// `old` as a value (a value typed freely), so the codebook has nothing to change.
    /// - Throws: ``CodebookEditError`` when the tree is not a codebook.
    public func renamingValue(_ old: String, to new: String, inCategory categoryID: String) throws -> CodebookFile? {
        guard old != new, let category = try codebook().category(id: categoryID),
              category.allValues.contains(where: { $0.value == old }) else { return nil }
        let target = category.allValues.first { $0.value == new } ?? category.allValues.first { $0.aliases.contains(new) && $0.value != old }
        // a value merged into one of its own narrower values: its narrower values move up to
        // its place rather than into the target, which is among them
        let targetIsNarrower = target.map { target in
            category.allValues.first { $0.value == old }?.descendants.contains { $0.value == target.value } ?? false
        } ?? false
        var edited = self
        try edited.updateCategory(categoryID) { object in
            var values = object["values"]?.arrayValue ?? []
            if let target {
                let promoted = targetIsNarrower
                guard let removed = CodebookFile.remove(&values, entry: old, promotingNarrower: promoted) else { return }
                let oldMembers = CodebookFile.members(of: removed)
                _ = CodebookFile.update(&values, entry: target.value) { entry in
                    var members = CodebookFile.members(of: entry)
                    var aliases = members["aliases"]?.arrayValue?.compactMap(\.stringValue) ?? []
                    for alias in [old] + (oldMembers["aliases"]?.arrayValue?.compactMap(\.stringValue) ?? [])
                    where alias != target.value && !aliases.contains(alias) {
                        aliases.append(alias)
                    }
                    members["aliases"] = .array(aliases.map(JSONValue.string))
                    let narrower = promoted ? [] : oldMembers["values"]?.arrayValue ?? []
                    if !narrower.isEmpty { members["values"] = .array((members["values"]?.arrayValue ?? []) + narrower) }
                    entry = CodebookFile.simplified(members)
                }
            } else {
                _ = CodebookFile.update(&values, entry: old) { entry in
                    var members = CodebookFile.members(of: entry)
                    var aliases = (members["aliases"]?.arrayValue?.compactMap(\.stringValue) ?? []).filter { $0 != new }
                    if !aliases.contains(old) { aliases.append(old) }
                    members["value"] = .string(new)
                    members["aliases"] = .array(aliases.map(JSONValue.string))
                    entry = CodebookFile.simplified(members)
                }
            }
            object["values"] = .array(values)
        }
        return edited
    }

    /// Applies `change` to the object of category `id`.
    private mutating func updateCategory(_ id: String, _ change: (inout [String: JSONValue]) throws -> Void) throws {
        var members = CodebookFile.members(of: tree)
        var categories = members["categories"]?.arrayValue ?? []
        guard let index = categories.firstIndex(where: { $0["id"]?.stringValue == id }) else {
            throw CodebookEditError("no category \(id) in the codebook")
        }
        var category = CodebookFile.members(of: categories[index])
        try change(&category)
        categories[index] = .object(category)
        members["categories"] = .array(categories)
        tree = .object(members)
    }

    /// The members of an object; a plain-string value entry as `{"value": ...}`.
    static func members(of entry: JSONValue) -> [String: JSONValue] {
        switch entry {
        case .object(let members): return members
        case .string(let value): return ["value": .string(value)]
        default: return [:]
        }
    }

    /// A value entry as a plain string when it holds nothing but its value.
    static func simplified(_ members: [String: JSONValue]) -> JSONValue {
        var members = members
        if members["aliases"]?.arrayValue?.isEmpty == true { members["aliases"] = nil }
        if members["values"]?.arrayValue?.isEmpty == true { members["values"] = nil }
        if members.count == 1, let value = members["value"], case .string = value { return value }
        return .object(members)
    }

    /// The value an entry spells.
    static func spelling(of entry: JSONValue) -> String? {
        entry.stringValue ?? entry["value"]?.stringValue
    }

    /// Applies `change` to the first entry spelled `value`, depth first.
    /// - Returns: false when there is none.
    static func update(_ entries: inout [JSONValue], entry value: String, _ change: (inout JSONValue) throws -> Void) rethrows -> Bool {
        for index in entries.indices {
            if spelling(of: entries[index]) == value {
                try change(&entries[index])
                return true
            }
            guard case .object(var members) = entries[index], var narrower = members["values"]?.arrayValue else { continue }
            if try update(&narrower, entry: value, change) {
                members["values"] = .array(narrower)
                entries[index] = .object(members)
                return true
            }
        }
        return false
    }

    /// Takes away the first entry spelled `value`, depth first; with `promotingNarrower`,
    /// its narrower values take its place in the list instead of going with it.
    /// - Returns: the entry taken away, nil when there is none.
    static func remove(_ entries: inout [JSONValue], entry value: String, promotingNarrower: Bool = false) -> JSONValue? {
        for index in entries.indices {
            if spelling(of: entries[index]) == value {
                let removed = entries.remove(at: index)
                if promotingNarrower { entries.insert(contentsOf: removed["values"]?.arrayValue ?? [], at: index) }
                return removed
            }
            guard case .object(var members) = entries[index], var narrower = members["values"]?.arrayValue else { continue }
            if let removed = remove(&narrower, entry: value, promotingNarrower: promotingNarrower) {
                members["values"] = .array(narrower)
                entries[index] = simplified(members)
                return removed
            }
        }
        return nil
    }

    // MARK: - Writing JSON

    /// The order members are written in; members not listed follow by name.
    static let memberOrder = ["name", "categories", "id", "label", "key", "color", "description", "value", "aliases", "values"]

    /// `value` as JSON text, indented by `indent` spaces.
    static func serialize(_ value: JSONValue, indent: Int = 0) -> String {
        let inline = inlineText(value)
        if let inline, indent + inline.count <= 120 { return inline }
        let pad = String(repeating: " ", count: indent + 2), end = String(repeating: " ", count: indent)
        switch value {
        case .array(let items):
            guard !items.isEmpty else { return "[]" }
            return "[\n" + items.map { pad + serialize($0, indent: indent + 2) }.joined(separator: ",\n") + "\n" + end + "]"
        case .object(let members):
            guard !members.isEmpty else { return "{}" }
            return "{\n" + orderedKeys(members).map { key in
                pad + scalarText(.string(key)) + ": " + serialize(members[key]!, indent: indent + 2)
            }.joined(separator: ",\n") + "\n" + end + "}"
        default:
            return scalarText(value)
        }
    }

    /// One-line JSON for a scalar, a list of scalars, or an object of those; nil for
    /// anything deeper, which goes on several lines.
    static func inlineText(_ value: JSONValue) -> String? {
        switch value {
        case .array(let items):
            guard items.allSatisfy({ if case .array = $0 { return false }; if case .object = $0 { return false }; return true }) else { return nil }
            return "[" + items.map(scalarText).joined(separator: ", ") + "]"
        case .object(let members):
            var parts: [String] = []
            for key in orderedKeys(members) {
                let member = members[key]!
                if case .object = member { return nil }
                guard let text = inlineText(member) else { return nil }
                parts.append(scalarText(.string(key)) + ": " + text)
            }
            return parts.isEmpty ? "{}" : "{ " + parts.joined(separator: ", ") + " }"
        default:
            return scalarText(value)
        }
    }

    static func orderedKeys(_ members: [String: JSONValue]) -> [String] {
        let known = memberOrder.filter { members[$0] != nil }
        return known + members.keys.filter { !memberOrder.contains($0) }.sorted()
    }

    static func scalarText(_ value: JSONValue) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        guard let data = try? encoder.encode(value), let text = String(data: data, encoding: .utf8) else { return "null" }
        return text
    }
}

/// An edit of a codebook that cannot be made.
public struct CodebookEditError: Error, CustomStringConvertible {
    /// What stands in the way, in a sentence for the status line.
    public var problem: String
    /// Creates the error.
    public init(_ problem: String) { self.problem = problem }
    /// The problem, as the status line shows it.
    public var description: String { problem }
}

extension JSONValue {
    /// The elements, when this is a list.
    public var arrayValue: [JSONValue]? {
        if case .array(let items) = self { return items }
        return nil
    }
}

extension Codebook {
    /// The codebook a JSON tree holds, checked as ``load(path:)`` checks a file.
    /// - Throws: ``CodebookError`` naming `path` when the tree is not of the codebook's
    ///   shape, repeats a category id or key, or names an unknown colour.
    public static func decode(tree: JSONValue, path: String) throws -> Codebook {
        let codebook: Codebook
        do {
            codebook = try JSONDecoder().decode(Codebook.self, from: JSONEncoder().encode(tree))
        } catch {
            throw CodebookError(path: path, problem: "not a codebook: \(JSONProblem.describe(error))")
        }
        try codebook.validate(path: path)
        return codebook
    }

    /// The id a category labelled `label` gets: its letters and digits in lower case,
    /// other runs of characters as one `-` (`Cooperation measure` → `cooperation-measure`).
    public static func categoryID(forLabel label: String) -> String {
        var id = ""
        for character in label.lowercased() {
            if character.isLetter || character.isNumber {
                id.append(character)
            } else if !id.isEmpty, id.last != "-" {
                id.append("-")
            }
        }
        while id.hasSuffix("-") { id.removeLast() }
        return id
    }
}

/// Tag values used in the other annotation stores of a folder, for completion: read
/// cheaply (only tags), skipping stores that are damaged, foreign or too large.
public enum FolderValues {
    /// Most stores read from one folder.
    public static let fileLimit = 200
    /// Largest store read, in bytes.
    public static let byteLimit = 8 << 20

    /// The values of each category id used in the `*.gloss.json` files of `folder` (by
    /// file name, at most `fileLimit` of them), in first-use order, leaving out the
    /// stores at `excluding` (paths). Never throws: what cannot be read is skipped.
    public static func read(folder: String, excluding: Set<String> = [], fileLimit: Int = FolderValues.fileLimit) -> [String: [String]] {
        let excluded = Set(excluding.map { URL(fileURLWithPath: $0).standardizedFileURL.resolvingSymlinksInPath().path })
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return [:] }
        var values: [String: [String]] = [:]
        var seen: [String: Set<String>] = [:]
        for name in names.filter({ $0.hasSuffix(".gloss.json") && !$0.hasPrefix(".") }).sorted().prefix(fileLimit) {
            let path = URL(fileURLWithPath: folder).appendingPathComponent(name).standardizedFileURL.resolvingSymlinksInPath().path
            guard !excluded.contains(path),
                  let attributes = try? FileManager.default.attributesOfItem(atPath: path),
                  attributes[.type] as? FileAttributeType == .typeRegular,
                  let size = attributes[.size] as? Int, size <= byteLimit,
                  let data = FileManager.default.contents(atPath: path),
                  let store = try? JSONDecoder().decode(TagsOnly.self, from: data),
                  store.format == StoreCodec.formatName else { continue }
            for tag in (store.annotations ?? []).flatMap(\.tags) + (store.orphans ?? []).flatMap(\.tags) where !tag.value.isEmpty {
                if seen[tag.category, default: []].insert(tag.value).inserted { values[tag.category, default: []].append(tag.value) }
            }
        }
        return values
    }

    /// A store read for its tags only; a record without readable tags counts as none.
    private struct TagsOnly: Decodable {
        var format: String?
        var annotations: [Record]?
        var orphans: [Record]?

        struct Record: Decodable {
            var tags: [Tag] = []
            init(from decoder: Decoder) throws {
                struct Shape: Decodable { var tags: [LenientTag]? }
                tags = ((try? Shape(from: decoder))?.tags ?? []).compactMap(\.tag)
            }
        }

        struct LenientTag: Decodable {
            var tag: Tag?
            init(from decoder: Decoder) throws { tag = try? Tag(from: decoder) }
        }
    }
}
