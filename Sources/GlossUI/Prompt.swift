import Foundation
import GlossCore

/// What a prompt on the bottom line is asking for.
public enum PromptPurpose: Hashable, Sendable {
    /// The value of a new tag of `category`: on the annotation with id `annotationID`
    /// when one is given (jumped to or highlighted in the list), else on the annotation
    /// covering exactly `range` (code points), else on a new annotation there.
    case tagValue(category: String, range: Range<Int>, annotationID: String? = nil)
    /// A new value for tag `tagIndex` (of `category`) of the annotation with this id.
    case retagValue(annotationID: String, tagIndex: Int, category: String)
    /// A new spelling for value `from` of `category` in every annotation of the document.
    case renameValue(category: String, from: String)
    /// A new category for tag `tagIndex` of the annotation with this id.
    case retagCategory(annotationID: String, tagIndex: Int)
    /// The type of a new relation from the annotation with id `from` to the one with id
    /// `to`; an empty answer takes the first choice.
    case relationType(from: String, to: String)
    /// Text to search for from the focused sentence on.
    case search
    /// A filter for the list and the highlights (``AnnotationFilter/parse(_:codebook:)``).
    case filter
    /// A path to write the annotations to, because the store cannot be written.
    case saveElsewhere
    /// A value to add to the codebook's category `category`: narrower than `parent` when
    /// given, else at the top of the category.
    case codebookValue(category: String, parent: String?)
    /// The label of a new codebook category (its id is the label in kebab case).
    case categoryLabel
    /// The tag key of a new category labelled `label`.
    case categoryKey(label: String)
    /// The colour of a new category labelled `label` with tag key `key`.
    case categoryColor(label: String, key: String)
    /// A yes-or-no question; `y` answers yes, anything else no.
    case confirm(Confirmation)
    /// A command line (`:`): a command name and its arguments
    /// (``CommandLineParser/parse(_:context:)``).
    case command
}

extension PromptPurpose {
    /// True for prompts that ask for a tag's value, where Enter takes the highlighted
    /// completion.
    public var asksForValue: Bool {
        switch self {
        case .tagValue, .retagValue, .renameValue, .retagCategory, .relationType, .categoryColor: true
        default: false
        }
    }
}

/// The yes-or-no questions Gloss asks.
public enum Confirmation: Hashable, Sendable {
    /// Restore this many annotations from the store's backup after the store was found
    /// damaged and moved aside.
    case restoreBackup(count: Int)
    /// Quit although this many changes could not be saved anywhere.
    case quitWithoutSaving
    /// Quit although not even the rescue file could be written, so the unsaved changes
    /// are lost.
    case discardChanges
    /// Give every other occurrence of an annotation's quote the same tags: `tags` for the
    /// code-point `ranges`, as one undoable step.
    case tagOccurrences(tags: [Tag], ranges: [Range<Int>])
}

/// A one-line editor on the bottom line, with completion for tag values.
public struct Prompt: Hashable, Sendable {
    /// What the answer is for.
    public var purpose: PromptPurpose
    /// Text shown before the answer.
    public var label: String
    /// The answer typed so far.
    public var text: String
    /// Insertion point, in characters from the start of `text`.
    public var cursor: Int
    /// Every value that can be completed to (tag prompts only).
    public var choices: [String]
    /// Other spellings of each choice (codebook aliases) that also find it.
    public var aliases: [String: [String]]
    /// Which match Tab last completed to, cycling on repeated Tab.
    public var completionIndex: Int?
    /// The text that completion filters by; kept while Tab cycles.
    public var typed: String
    /// Where, in characters from the start of `text`, the part that completion replaces
    /// begins: 0 for a whole answer, the start of the word being completed on a command
    /// line.
    public var completionStart = 0
    /// On a command line: which earlier command line Up recalled (0 the latest), nil
    /// while the line is the user's own.
    public var historyIndex: Int?
    /// On a command line: what was typed before Up recalled earlier lines, which Down
    /// past the latest brings back.
    public var draft = ""

    /// Replaces the answer with `characters`, the insertion point after the first
    /// `cursor` of them. A combining mark typed after a letter joins it, so the insertion
    /// point is counted again in the joined text.
    mutating func setText(_ characters: [Character], cursor: Int) {
        let before = String(characters[..<min(cursor, characters.count)])
        text = String(characters)
        self.cursor = min(before.count, text.count)
    }

    /// Tab (`forward`) or Shift-Tab: puts the next or previous match in the answer,
    /// cycling through ``matches``.
    /// - Returns: false when nothing matches, and the prompt is left as it is.
    mutating func cycleCompletion(forward: Bool) -> Bool {
        let matches = self.matches
        guard !matches.isEmpty else { return false }
        let step = forward ? 1 : -1
        let index = completionIndex.map { ($0 + step + matches.count) % matches.count } ?? (forward ? 0 : matches.count - 1)
        completionIndex = index
        text = String(text.prefix(completionStart)) + matches[index]
        cursor = text.count
        return true
    }

    /// Choices matching `typed`, by the value or one of its aliases: case-insensitive
    /// prefix matches first, then other substring matches, each in codebook order.
    public var matches: [String] {
        let needle = typed.lowercased()
        if needle.isEmpty { return choices }
        func spellings(_ choice: String) -> [String] { ([choice] + (aliases[choice] ?? [])).map { $0.lowercased() } }
        let prefixed = choices.filter { spellings($0).contains { $0.hasPrefix(needle) } }
        let contained = choices.filter { choice in
            !prefixed.contains(choice) && spellings(choice).contains { $0.contains(needle) }
        }
        return prefixed + contained
    }

    /// The answer to a value prompt, trimmed: a known value or alias typed in other letter
    /// case is given as the codebook spells the value, unless `verbatim` (Ctrl-J).
    public func valueAnswer(verbatim: Bool) -> String {
        let value = text.trimmingCharacters(in: .whitespaces)
        guard !verbatim else { return value }
        return ValueRanking.bestIndex(in: choices, typed: value, aliases: aliases).map { choices[$0] } ?? value
    }

    /// The match that Enter takes (tag prompts): the one Tab completed to; else, once
    /// something is typed, the match spelled exactly as typed (any case, value or alias),
    /// else the first; nil when nothing is typed or nothing matches, so Enter stores the
    /// text as it is.
    public var highlightedMatch: Int? {
        if let completionIndex { return completionIndex }
        guard !typed.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
        let matches = matches
        guard !matches.isEmpty else { return nil }
        return ValueRanking.bestIndex(in: matches, typed: typed.trimmingCharacters(in: .whitespaces), aliases: aliases) ?? 0
    }
}

/// Which choice a typed value names, when several could. Codebook values (those with an
/// entry in `aliases`) come first: one spelled exactly as typed, then one with an alias
/// spelled exactly so, then the same two ignoring letter case; then any other choice (a
/// value used before) spelled as typed, exactly, then ignoring case. So `isis` finds the
/// value `isis` rather than ISIL's alias `ISIS`, and `interpol` finds `Interpol` though
/// someone once kept `interpol` as typed.
enum ValueRanking {
    static func bestIndex(in choices: [String], typed: String, aliases: [String: [String]]) -> Int? {
        guard !typed.isEmpty else { return nil }
        let inCodebook = { (choice: String) in aliases[choice] != nil }
        let same = { (a: String) in a == typed }
        let alike = { (a: String) in a.caseInsensitiveCompare(typed) == .orderedSame }
        return choices.firstIndex { inCodebook($0) && same($0) }
            ?? choices.firstIndex { inCodebook($0) && (aliases[$0] ?? []).contains(where: same) }
            ?? choices.firstIndex { inCodebook($0) && alike($0) }
            ?? choices.firstIndex { inCodebook($0) && (aliases[$0] ?? []).contains(where: alike) }
            ?? choices.firstIndex(where: same)
            ?? choices.firstIndex(where: alike)
    }
}
