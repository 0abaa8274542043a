import Foundation
import GlossCore

/// Which annotations the list, the highlights and `]` `[` show: those with a tag of a
/// category, a tag with a value (in one category or any), a note holding some words, or
/// (`conflict`) those `gloss merge` marked as conflicting.
public struct AnnotationFilter: Hashable, Sendable {
    /// True to pass only annotations with a merge conflict (``Annotation/conflict``).
    public var conflictsOnly = false
    /// A category id the annotation must have a tag of, or nil for any.
    public var category: String?
    /// A tag value the annotation must have (in ``category`` when it is set), compared
    /// without regard to case, or nil for any.
    public var value: String?
    /// Words the annotation's note must contain, compared without regard to case, or nil.
    public var noteText: String?
    /// The codebook's values nested under ``value`` (in ``category`` when set), lower-cased:
    /// a tag with one of them passes too, so `actor=state` finds `state/Turkey`.
    public var narrowerValues: Set<String> = []

    /// Creates a filter; see the members for what each part asks of an annotation.
    public init(conflictsOnly: Bool = false, category: String? = nil, value: String? = nil, noteText: String? = nil,
                narrowerValues: Set<String> = []) {
        self.conflictsOnly = conflictsOnly
        self.category = category
        self.value = value
        self.noteText = noteText
        self.narrowerValues = narrowerValues
    }

    /// True when `annotation` passes every part of the filter.
    public func matches(_ annotation: Annotation) -> Bool {
        if conflictsOnly && annotation.conflict == nil { return false }
        if category != nil || value != nil {
            let tagged = annotation.tags.contains { tag in
                (category == nil || tag.category == category)
                    && (value == nil || tag.value.caseInsensitiveCompare(value!) == .orderedSame
                        || narrowerValues.contains(tag.value.lowercased()))
            }
            if !tagged { return false }
        }
        if let noteText, annotation.note.range(of: noteText, options: .caseInsensitive) == nil { return false }
        return true
    }

    /// How the filter is written in the prompt and the status line: `actor`,
    /// `actor=ISIL`, `=ISIL` (any category), or the words of notes.
    public var description: String {
        if conflictsOnly { return "conflict" }
        if let noteText { return noteText }
        return (category ?? "") + (value.map { "=" + $0 } ?? "")
    }

    /// Reads `text` as typed in the filter prompt: `CATEGORY`, `CATEGORY=VALUE` or
    /// `=VALUE` (a category by its id or label, in any case, or one of `usedCategories`
    /// that the codebook lacks; a value or one of its codebook aliases), `conflict` or
    /// `conflicts` (when no category has that name) for the annotations with a merge
    /// conflict, anything else as words of notes. Nil for empty text.
    public static func parse(_ text: String, codebook: Codebook, usedCategories: Set<String> = []) -> AnnotationFilter? {
        let text = text.trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty else { return nil }
        func category(named name: String) -> String? {
            let name = name.trimmingCharacters(in: .whitespaces)
            // the codebook's categories, and those a store uses that the codebook lacks
            return codebook.categories.first {
                $0.id.caseInsensitiveCompare(name) == .orderedSame || $0.label.caseInsensitiveCompare(name) == .orderedSame
            }?.id ?? usedCategories.first { $0.caseInsensitiveCompare(name) == .orderedSame }
        }
        /// The codebook's spelling of `value` when it is one of its values or aliases.
        /// A value spelled so (any case) wins over an alias spelled so.
        func canonical(_ value: String, in categoryID: String?) -> String {
            let categories = codebook.categories.filter { categoryID == nil || $0.id == categoryID }
            for entry in categories.flatMap(\.allValues) where entry.value.caseInsensitiveCompare(value) == .orderedSame {
                return entry.value
            }
            for entry in categories.flatMap(\.allValues) where entry.aliases.contains(where: { $0.caseInsensitiveCompare(value) == .orderedSame }) {
                return entry.value
            }
            return value
        }
        func narrower(than value: String, in categoryID: String?) -> Set<String> {
            Set(codebook.categories.filter { categoryID == nil || $0.id == categoryID }
                .flatMap(\.allValues).filter { $0.value == value }
                .flatMap(\.descendants).map { $0.value.lowercased() })
        }
        if let equals = text.firstIndex(of: "=") {
            let name = String(text[..<equals])
            var value = String(text[text.index(after: equals)...]).trimmingCharacters(in: .whitespaces)
            value = canonical(value, in: category(named: name))
            if name.trimmingCharacters(in: .whitespaces).isEmpty {
                return AnnotationFilter(value: value, narrowerValues: narrower(than: value, in: nil))
            }
            if let id = category(named: name) {
                return AnnotationFilter(category: id, value: value.isEmpty ? nil : value,
                                        narrowerValues: value.isEmpty ? [] : narrower(than: value, in: id))
            }
        }
        if let id = category(named: text) { return AnnotationFilter(category: id) }
        if ["conflict", "conflicts"].contains(text.lowercased()) { return AnnotationFilter(conflictsOnly: true) }
        return AnnotationFilter(noteText: text)
    }
}

extension AppState {
    /// The annotations the list and the highlights show: all, or those the filter passes.
    public var listedAnnotations: [Annotation] {
        guard let filter else { return annotations }
        return annotations.filter(filter.matches)
    }

    /// Orphans the list shows: all, or those the filter passes.
    var listedOrphans: [Annotation] {
        guard let filter else { return orphans }
        return orphans.filter(filter.matches)
    }

    /// Asks for a filter, completing over categories and `category=value` pairs.
    mutating func openFilterPrompt() {
        let choices = filterChoices
        let current = filter?.description ?? ""
        underlyingMode = mode == .list ? .list : .reading
        prompt = Prompt(purpose: .filter, label: "Filter (category, category=value, conflict, or words of notes): ", text: current,
                        cursor: current.count, choices: choices, aliases: [:], completionIndex: nil, typed: current)
        mode = .prompt
    }

    /// Sets the filter from the prompt's answer; an empty answer clears it.
    mutating func applyFilter(_ text: String) {
        filter = AnnotationFilter.parse(text, codebook: codebook, usedCategories: Set(annotations.flatMap { $0.tags.map(\.category) }))
        listIndex = 0
        if let current = currentAnnotationID, let annotation = annotation(id: current), !(filter?.matches(annotation) ?? true) {
            currentAnnotationID = nil
        }
        updateCurrentAnnotation()
        if let filter {
            let count = listedAnnotations.count
            message = "Filter \(filter.description): \(count) of \(annotations.count) annotation\(annotations.count == 1 ? "" : "s") (F clears)"
        } else {
            message = "No filter"
        }
        if mode == .list && listEntryCount == 0 { mode = .reading }
    }
}
