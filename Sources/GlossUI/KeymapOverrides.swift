import GlossCore

/// The user's key bindings (a configuration file's `[keys]` table) laid over the default
/// table.
extension Keymap {
    /// The default keys of `codebook` (see ``init(codebook:corpus:)``) with `keys`
    /// rebound as ``rebind(_:)`` does; its problems are dropped (``rebind(_:)`` gives them).
    public init(codebook: Codebook, corpus: Bool = false, keys: KeyBindings) {
        self.init(codebook: codebook, corpus: corpus)
        if !keys.isEmpty { rebind(keys) }
    }

    /// Gives each command of `keys` exactly its keys, in every row of the table it has (so
    /// in every mode it works in by default); a row's keys that only that row has beyond
    /// the command's first row (`q` closing the codebook view) stay with it. A key new to
    /// a command is taken from every other command that had it in the same modes, so one
    /// key does one thing in a mode and the user's binding wins; when two entries of
    /// `keys` give one key in the same modes, the first line keeps it.
    /// - Returns: what the file should be told, each with its entry's line: a `tag:ID`
    ///   whose category the codebook does not have, two entries giving one key, a command
    ///   left with no key by a key taken from it, and quit given back its default keys
    ///   when the file left it none (there is always a way out).
    @discardableResult
    public mutating func rebind(_ keys: KeyBindings) -> [ConfigurationProblem] {
        let defaults = bindings
        var problems: [ConfigurationProblem] = []
        func report(_ line: Int?, _ problem: String) {
            problems.append(ConfigurationProblem(file: keys.file, line: line, problem: problem))
        }
        // a key given to a row that did not have it: taken from the other commands there
        var claims: [(key: Key, row: Int, entry: Int)] = []
        for (index, entry) in keys.entries.enumerated() {
            let rows = defaults.indices.filter { defaults[$0].action.name == entry.command }
            guard let first = rows.first else {
                // a corpus's commands are not in a lone document's table; a category may be missing
                if entry.command.hasPrefix("tag:") {
                    report(entry.line, "\(entry.command): the codebook has no category \"\(entry.command.dropFirst(4))\"")
                }
                continue
            }
            for row in rows {
                let extras = defaults[row].keys.filter { !defaults[first].keys.contains($0) && !entry.keys.contains($0) }
                bindings[row].keys = entry.keys + extras
                for key in entry.keys where !defaults[row].keys.contains(key) {
                    claims.append((key, row, index))
                }
            }
        }
        for claim in claims where bindings[claim.row].keys.contains(claim.key) {
            let entry = keys.entries[claim.entry]
            let name = claim.key.configName
            for other in bindings.indices {
                let row = bindings[claim.row]
                guard other != claim.row, bindings[other].action.name != entry.command, bindings[other].keys.contains(claim.key),
                      let shared = Keymap.sharedPlaces(row, bindings[other]) else { continue }
                let otherName = bindings[other].action.name
                if let rival = keys.entries.first(where: { $0.command == otherName }), rival.keys.contains(claim.key) {
                    if (rival.line ?? .max) < (entry.line ?? .max) {
                        bindings[claim.row].keys.removeAll { $0 == claim.key }
                        report(entry.line, "\"\(name)\" is given to \(otherName)\(Keymap.onLine(rival.line)) in \(shared), which keeps it; \(entry.command) does not get it there")
                        break
                    }
                    bindings[other].keys.removeAll { $0 == claim.key }
                    report(rival.line, "\"\(name)\" is given to \(entry.command)\(Keymap.onLine(entry.line)) in \(shared), which keeps it; \(otherName) does not get it there")
                } else {
                    bindings[other].keys.removeAll { $0 == claim.key }
                    if bindings[other].keys.isEmpty {
                        report(entry.line, "\"\(name)\" now does \(entry.command) in \(shared), so \(otherName) (\(bindings[other].description)) has no key left there; give it one in [keys]")
                    }
                }
            }
        }
        // whatever the file says, there is always a key out of the reader
        for row in bindings.indices where bindings[row].action == .quit && bindings[row].keys.isEmpty {
            let restored = defaults[row].keys
            bindings[row].keys = restored
            for other in bindings.indices where other != row && Keymap.sharedPlaces(bindings[row], bindings[other]) != nil {
                bindings[other].keys.removeAll { restored.contains($0) }
            }
            let line = keys.entries.first { $0.command == Action.quit.name }?.line
                ?? keys.entries.first { $0.keys.contains(where: restored.contains) }?.line
            report(line, "quit would have no key left; it keeps \(restored.map(\.configName).joined(separator: " "))")
        }
        return problems.sorted { ($0.line ?? 0) < ($1.line ?? 0) }
    }

    /// The label of the first key of `action` (its first row's), as the help shows it; nil
    /// when it has no key. How hints name a category's tag key once the user rebound it.
    public func keyLabel(for action: Action) -> String? {
        bindings.first { $0.action == action && !$0.keys.isEmpty }?.keys.first?.label
    }

    /// " on line N", or nothing without a line.
    private static func onLine(_ line: Int?) -> String { line.map { " on line \($0)" } ?? "" }

    /// The modes and corpus lists two rows share, in words ("reading, list mode"); nil when
    /// they share none.
    static func sharedPlaces(_ a: Binding, _ b: Binding) -> String? {
        let modes = Mode.allCases.filter { a.modes.contains($0) && b.modes.contains($0) }.map(\.rawValue)
        let listNames: [(CorpusList, String)] = [(.documents, "the document list"), (.annotations, "the corpus's annotation list")]
        let lists = listNames.filter { a.lists.contains($0.0) && b.lists.contains($0.0) }.map(\.1)
        var parts: [String] = []
        if !modes.isEmpty { parts.append(modes.joined(separator: ", ") + " mode") }
        parts += lists
        return parts.isEmpty ? nil : parts.joined(separator: " and ")
    }

    /// ``conflicts(in:)`` with the user's `keys`: a category's key conflicts with a command
    /// that has it, as rebound, in a mode where tag keys work; a category whose `tag:ID`
    /// `keys` rebinds is not checked, since its codebook key is not used.
    public static func conflicts(in codebook: Codebook, keys: KeyBindings) -> [(category: Category, description: String)] {
        guard !keys.isEmpty else { return conflicts(in: codebook) }
        let builtIn = Keymap(codebook: Codebook(name: "", categories: []), corpus: true, keys: keys)
        return codebook.categories.compactMap { category in
            guard keys.keys(for: Action.tag(category: category.id).name) == nil, let key = category.key.first,
                  let binding = builtIn.bindings.first(where: { !$0.modes.isDisjoint(with: tagModes) && $0.keys.contains(.character(key)) })
            else { return nil }
            let given = keys.keys(for: binding.action.name)?.contains(.character(key)) == true
            return (category, binding.description + (given ? " (as your configuration binds it)" : ""))
        }
    }
}
