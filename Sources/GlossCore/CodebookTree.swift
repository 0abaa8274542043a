/// Reading a ``Codebook`` straight from its JSON tree, without `JSONDecoder`: start-up reads
/// the codebook on every run, and `JSONDecoder`'s generic containers cost several times the
/// byte reader that builds the tree.
extension Codebook {
    /// The codebook `tree` holds when every member ``Codebook/init(from:)`` reads has the
    /// shape it wants: what `JSONDecoder` gives for the same text (members it does not
    /// know are ignored, a `null` optional member counts as absent). Nil for anything
    /// else, which the caller leaves to `JSONDecoder` so that the error names the problem.
    public init?(exactly tree: JSONValue) {
        guard case .object(let members) = tree, case .string(let name)? = members["name"],
              case .array(let categoryTrees)? = members["categories"] else { return nil }
        var categories: [Category] = []
        categories.reserveCapacity(categoryTrees.count)
        for categoryTree in categoryTrees {
            guard let category = Category(exactly: categoryTree) else { return nil }
            categories.append(category)
        }
        var relations: [RelationType]?
        switch members["relations"] {
        case nil, .null?:
            relations = nil
        case .array(let relationTrees)?:
            var decoded: [RelationType] = []
            for relationTree in relationTrees {
                guard let relation = RelationType(exactly: relationTree) else { return nil }
                decoded.append(relation)
            }
            relations = decoded
        default:
            return nil
        }
        self.init(name: name, categories: categories, relations: relations)
    }
}

extension Category {
    /// The category `tree` holds, as ``Codebook/init(exactly:)`` reads it: every member
    /// required; nil when one is missing or of another shape.
    init?(exactly tree: JSONValue) {
        guard case .object(let members) = tree,
              case .string(let id)? = members["id"], case .string(let label)? = members["label"],
              case .string(let key)? = members["key"], case .string(let color)? = members["color"],
              case .string(let description)? = members["description"],
              case .array(let valueTrees)? = members["values"],
              let values = CodebookValue.list(exactly: valueTrees) else { return nil }
        self.init(id: id, label: label, key: key, color: color, description: description, values: values)
    }
}

extension CodebookValue {
    /// The value `tree` holds: a string, or an object with a string `value` and optional
    /// `aliases` (strings) and `values` (narrower values); nil for any other shape.
    init?(exactly tree: JSONValue) {
        switch tree {
        case .string(let value):
            self.init(value: value)
        case .object(let members):
            guard case .string(let value)? = members["value"] else { return nil }
            var aliases: [String] = []
            switch members["aliases"] {
            case nil, .null?: break
            case .array(let aliasTrees)?:
                guard let strings = JSONValue.strings(aliasTrees) else { return nil }
                aliases = strings
            default: return nil
            }
            var values: [CodebookValue] = []
            switch members["values"] {
            case nil, .null?: break
            case .array(let valueTrees)?:
                guard let narrower = CodebookValue.list(exactly: valueTrees) else { return nil }
                values = narrower
            default: return nil
            }
            self.init(value: value, aliases: aliases, values: values)
        default:
            return nil
        }
    }

    /// Each of `trees` as a value, or nil when one is not.
    static func list(exactly trees: [JSONValue]) -> [CodebookValue]? {
        var values: [CodebookValue] = []
        values.reserveCapacity(trees.count)
        for tree in trees {
            guard let value = CodebookValue(exactly: tree) else { return nil }
            values.append(value)
        }
        return values
    }
}

extension RelationType {
    /// The relation type `tree` holds: string `id`, arrays of strings `from` and `to`,
    /// optional strings `label` (the id when absent) and `description` (empty when
    /// absent); nil for any other shape.
    init?(exactly tree: JSONValue) {
        guard case .object(let members) = tree, case .string(let id)? = members["id"],
              case .array(let fromTrees)? = members["from"], let from = JSONValue.strings(fromTrees),
              case .array(let toTrees)? = members["to"], let to = JSONValue.strings(toTrees) else { return nil }
        var label = id
        switch members["label"] {
        case nil, .null?: break
        case .string(let text)?: label = text
        default: return nil
        }
        var description = ""
        switch members["description"] {
        case nil, .null?: break
        case .string(let text)?: description = text
        default: return nil
        }
        self.init(id: id, label: label, from: from, to: to, description: description)
    }
}

extension JSONValue {
    /// `trees` as strings, or nil when one is not a string.
    static func strings(_ trees: [JSONValue]) -> [String]? {
        var strings: [String] = []
        strings.reserveCapacity(trees.count)
        for tree in trees {
            guard case .string(let text) = tree else { return nil }
            strings.append(text)
        }
        return strings
    }
}
