import Foundation
import GlossCore

/// One row of the codebook view: a category, a line of its description, a value of its
/// vocabulary (nested ones deeper), or a value this document uses that the codebook lacks.
public struct CodebookRow: Hashable, Sendable {
    /// What a row shows.
    public enum Kind: Hashable, Sendable {
        /// The category with this id: key, label, colour and its count of tags.
        case category(String)
        /// The description of the category with this id.
        case description(String)
        /// A codebook value of category `category`, with its aliases; `parent` is the value
        /// it is listed under, nil at the top of the category.
        case value(category: String, value: String, aliases: [String], parent: String?)
        /// The heading over the values of `category` tagged here but not in the codebook.
        case unlistedHeading(String)
        /// A value of category `category` tagged in this document but not in the codebook.
        case unlisted(category: String, value: String)
        /// A category without values: says how to add one.
        case noValues(String)
    }

    /// What the row shows.
    public var kind: Kind
    /// Nesting depth: 0 for a category, 1 for its top values, 2 for values under those.
    public var depth: Int
    /// Tags in this document that use it: every tag of a category; a value's own tags.
    public var count: Int

    /// True for the rows the highlight stops on: categories and values.
    public var isSelectable: Bool {
        switch kind {
        case .category, .value, .unlisted: true
        case .description, .unlistedHeading, .noValues: false
        }
    }

    /// The id of the category the row belongs to.
    public var categoryID: String {
        switch kind {
        case .category(let id), .description(let id), .unlistedHeading(let id), .noValues(let id): id
        case .value(let category, _, _, _), .unlisted(let category, _): category
        }
    }
}

extension AppState {
    /// The rows of the codebook view: each category, then (unless folded) its description,
    /// its values depth first with their narrower ones indented under them, and the values
    /// this document tags it with that the codebook does not list. Counts are tags.
    public var codebookRows: [CodebookRow] {
        var counts: [String: [String: Int]] = [:]
        var order: [String: [String]] = [:]
        for annotation in annotations {
            for tag in annotation.tags {
                if counts[tag.category, default: [:]][tag.value] == nil { order[tag.category, default: []].append(tag.value) }
                counts[tag.category, default: [:]][tag.value, default: 0] += 1
            }
        }
        var rows: [CodebookRow] = []
        for category in codebook.categories {
            let used = counts[category.id] ?? [:]
            rows.append(CodebookRow(kind: .category(category.id), depth: 0, count: used.values.reduce(0, +)))
            guard !foldedCategories.contains(category.id) else { continue }
            if !category.description.isEmpty { rows.append(CodebookRow(kind: .description(category.id), depth: 1, count: 0)) }
            func add(_ values: [CodebookValue], depth: Int, parent: String?) {
                for entry in values {
                    rows.append(CodebookRow(kind: .value(category: category.id, value: entry.value, aliases: entry.aliases, parent: parent),
                                            depth: depth, count: used[entry.value] ?? 0))
                    add(entry.values, depth: depth + 1, parent: entry.value)
                }
            }
            add(category.values, depth: 1, parent: nil)
            if category.values.isEmpty { rows.append(CodebookRow(kind: .noValues(category.id), depth: 1, count: 0)) }
            let listed = Set(category.allValues.map(\.value))
            let unlisted = (order[category.id] ?? []).filter { !$0.isEmpty && !listed.contains($0) }
            if !unlisted.isEmpty {
                rows.append(CodebookRow(kind: .unlistedHeading(category.id), depth: 1, count: 0))
                for value in unlisted {
                    rows.append(CodebookRow(kind: .unlisted(category: category.id, value: value), depth: 2, count: used[value] ?? 0))
                }
            }
        }
        return rows
    }

    /// Opens the codebook view, or closes it when it is open.
    mutating func toggleCodebookView() {
        if mode == .codebook {
            mode = codebookReturnMode
            return
        }
        codebookReturnMode = mode == .list ? .list : .reading
        mode = .codebook
        clampCodebookCursor()
        let name = codebookFile.map { URL(fileURLWithPath: $0.path).lastPathComponent } ?? "in memory"
        message = "Codebook \(codebook.name) (\(codebookFile?.isBundledCopy == true ? "bundled" : name)): a adds a value, A a category, Enter folds"
    }

    /// Keeps the highlight on a selectable row after the rows changed.
    mutating func clampCodebookCursor() {
        let rows = codebookRows
        guard !rows.isEmpty else { codebookCursor = 0; return }
        codebookCursor = max(0, min(codebookCursor, rows.count - 1))
        if !rows[codebookCursor].isSelectable {
            codebookCursor = rows[..<codebookCursor].lastIndex(where: \.isSelectable) ?? rows.firstIndex(where: \.isSelectable) ?? 0
        }
    }

    /// Moves the highlight to the next (`step` 1) or previous (-1) selectable row.
    mutating func moveCodebookCursor(by step: Int) {
        let rows = codebookRows
        var index = codebookCursor + step
        while index >= 0 && index < rows.count {
            if rows[index].isSelectable {
                codebookCursor = index
                return
            }
            index += step
        }
    }

    /// Folds or unfolds the highlighted category, or the category of the highlighted value
    /// (the highlight then goes to the category).
    mutating func toggleCodebookFold() {
        let rows = codebookRows
        guard codebookCursor < rows.count else { return }
        let id = rows[codebookCursor].categoryID
        if foldedCategories.remove(id) == nil { foldedCategories.insert(id) }
        codebookCursor = codebookRows.firstIndex { $0.kind == .category(id) } ?? 0
    }

    /// Asks for a value to add: under the highlighted value, or at the top of the
    /// highlighted category; a value tagged here but not in the codebook is offered as
    /// the answer.
    mutating func openAddValuePrompt() {
        let rows = codebookRows
        guard codebookCursor < rows.count, let category = codebook.category(id: rows[codebookCursor].categoryID) else {
            message = "No category yet: A adds one"
            return
        }
        var parent: String?
        var text = ""
        switch rows[codebookCursor].kind {
        case .value(_, let value, _, _): parent = value
        case .unlisted(_, let value): text = value
        default: break
        }
        let place = parent.map { "under “\(Renderer.truncate($0, to: 30))” in \(category.label)" } ?? "at the top of \(category.label)"
        underlyingMode = .codebook
        prompt = Prompt(purpose: .codebookValue(category: category.id, parent: parent), label: "New value \(place): ",
                        text: text, cursor: text.count, choices: [], aliases: [:], completionIndex: nil, typed: text)
        mode = .prompt
    }

    /// Asks for the label of a new category (then its key and colour).
    mutating func openAddCategoryPrompt(problem: String? = nil) {
        underlyingMode = .codebook
        prompt = Prompt(purpose: .categoryLabel, label: (problem.map { $0 + ". " } ?? "") + "New category's label: ",
                        text: "", cursor: 0, choices: [], aliases: [:], completionIndex: nil, typed: "")
        mode = .prompt
    }

    mutating func openCategoryKeyPrompt(label: String, problem: String? = nil) {
        underlyingMode = .codebook
        prompt = Prompt(purpose: .categoryKey(label: label),
                        label: (problem.map { $0 + ". " } ?? "") + "Key that tags as “\(Renderer.truncate(label, to: 24))” (one character): ",
                        text: "", cursor: 0, choices: [], aliases: [:], completionIndex: nil, typed: "")
        mode = .prompt
    }

    mutating func openCategoryColorPrompt(label: String, key: String, problem: String? = nil) {
        underlyingMode = .codebook
        let suggestion = suggestedColor
        prompt = Prompt(purpose: .categoryColor(label: label, key: key),
                        label: (problem.map { $0 + ". " } ?? "") + "Colour of “\(Renderer.truncate(label, to: 24))” (Tab cycles, Enter takes \(suggestion)): ",
                        text: "", cursor: 0, choices: Codebook.colorNames, aliases: [:], completionIndex: nil, typed: "")
        mode = .prompt
    }

    /// The first colour no category has yet (the colours that read on both dark and light
    /// terminals first), else cyan.
    var suggestedColor: String {
        let used = Set(codebook.categories.map { $0.color.lowercased() })
        return ["cyan", "red", "green", "yellow", "magenta", "blue", "white", "black"].first { !used.contains($0) } ?? "cyan"
    }

    /// Why `key` cannot tag as a new category, nil when it can.
    func problem(withKey key: String) -> String? {
        guard key.count == 1, let character = key.first else { return "A key is one character" }
        if character.isWhitespace || character.unicodeScalars.contains(where: DisplayWidth.isControl) {
            return "A key is a visible character"
        }
        if let problem = Codebook.keyProblem(key) { return problem.prefix(1).uppercased() + problem.dropFirst() }
        if let other = codebook.category(key: character) { return "\(key) already tags as \(other.label.lowercased())" }
        let probe = Codebook(name: "", categories: [Category(id: "new", label: "new", key: key, color: "cyan", description: "", values: [])])
        if let conflict = Keymap.conflicts(in: probe, keys: keyBindings).first { return "\(key) is Gloss's key for \(conflict.description)" }
        return nil
    }

    /// Carries out the answer to one of the codebook view's prompts.
    mutating func finishCodebookPrompt(_ prompt: Prompt) -> [Effect] {
        let answer = prompt.text.trimmingCharacters(in: .whitespaces)
        switch prompt.purpose {
        case .codebookValue(let categoryID, let parent):
            guard !answer.isEmpty else {
                message = "Nothing added"
                return []
            }
            let label = codebook.category(id: categoryID)?.label ?? categoryID
            let place = parent.map { "under “\($0)” in \(label)" } ?? "to \(label)"
            let effects = editCodebook(description: "add value") { try $0.addingValue(answer, toCategory: categoryID, under: parent) }
            guard !messageIsError else { return effects }
            foldedCategories.remove(categoryID)
            codebookCursor = codebookRows.firstIndex {
                if case .value(categoryID, answer, _, _) = $0.kind { return true }
                return false
            } ?? codebookCursor
            message = "Added “\(answer)” \(place) (u undoes)" + (message.map { "; " + $0 } ?? "")
            return effects
        case .categoryLabel:
            guard !answer.isEmpty else {
                message = "Nothing added"
                return []
            }
            let id = Codebook.categoryID(forLabel: answer)
            if id.isEmpty {
                openAddCategoryPrompt(problem: "A label needs a letter or a digit")
            } else if let other = codebook.category(id: id) ?? codebook.categories.first(where: { $0.label.caseInsensitiveCompare(answer) == .orderedSame }) {
                openAddCategoryPrompt(problem: "\(other.label) is already a category")
            } else {
                openCategoryKeyPrompt(label: answer)
            }
            return []
        case .categoryKey(let label):
            // a key is taken as typed: spaces around it are not trimmed away from a lone space
            let key = prompt.text.count == 1 ? prompt.text : answer
            guard !key.isEmpty else {
                message = "Nothing added"
                return []
            }
            if let problem = problem(withKey: key) {
                openCategoryKeyPrompt(label: label, problem: problem)
                return []
            }
            openCategoryColorPrompt(label: label, key: key)
            return []
        case .categoryColor(let label, let key):
            let color = answer.isEmpty ? suggestedColor : answer.lowercased()
            guard ColorSpec(color) != nil else {
                openCategoryColorPrompt(label: label, key: key, problem: "No colour \(answer) (a name, bright-red or #RRGGBB)")
                return []
            }
            let category = Category(id: Codebook.categoryID(forLabel: label), label: label, key: key, color: color, description: "", values: [])
            let effects = editCodebook(description: "add category") { try $0.addingCategory(category) }
            guard !messageIsError else { return effects }
            codebookCursor = codebookRows.firstIndex { $0.kind == .category(category.id) } ?? codebookCursor
            message = "Added category \(label): \(key) tags with it (u undoes)" + (message.map { "; " + $0 } ?? "")
            return effects
        default:
            return []
        }
    }

    /// The codebook file as it is now; a file of the codebook in memory when the session
    /// has none.
    var currentCodebookFile: CodebookFile {
        codebookFile ?? CodebookFile(path: "", tree: (try? JSONValue(encoding: codebook)) ?? .object([:]))
    }

    /// Makes `edit` of the codebook file one undoable change and asks for the file to be
    /// written; a refused edit goes to the status line as an error. The message is left
    /// empty on success, or says the edit holds in memory only.
    mutating func editCodebook(description: String, _ edit: (CodebookFile) throws -> CodebookFile) -> [Effect] {
        message = nil
        let before = currentCodebookFile
        do {
            let after = try edit(before)
            _ = try after.codebook()
            let effects = record(Change(description: description, codebookBefore: before.tree, after: after.tree))
            if codebookFile == nil { message = "not saved to a file: this session has no codebook file" }
            return effects
        } catch {
            message = (error as? CodebookEditError)?.problem ?? "\(error)"
            messageIsError = true
            return []
        }
    }

    /// Takes the codebook the file JSON `tree` holds: the codebook, its file's tree and
    /// the key table (so a new category's key tags at once). A tree that is not a valid
    /// codebook (never made by an edit) is ignored.
    mutating func takeCodebook(_ tree: JSONValue) {
        guard let decoded = try? Codebook.decode(tree: tree, path: codebookFile?.path ?? "codebook") else { return }
        codebook = decoded
        keymap = Keymap(codebook: decoded, corpus: inCorpus, keys: keyBindings)
        codebookFile?.tree = tree
        if mode == .codebook { clampCodebookCursor() }
    }
}
