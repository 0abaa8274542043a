import Foundation
import GlossCore

/// The detail view of one annotation: all its tags, its note, offsets, author and dates;
/// keys there change a tag's value or category, or remove it.
extension AppState {
    /// Opens the detail view of the current annotation; Esc returns to `previous`.
    mutating func openDetail(returningTo previous: Mode) {
        detailReturnMode = previous == .list ? .list : .reading
        detailTag = 0
        detailAnnotationID = currentAnnotationID
        mode = .detail
    }

    /// The annotation the detail view shows: the one it opened on, never another one that
    /// undo or a merge left under the focus.
    public var detailAnnotation: Annotation? {
        // under a prompt or the help, the mode they return to says; `underlyingMode` is
        // stale once they closed
        let open = switch mode {
        case .detail: true
        case .prompt, .help: underlyingMode == .detail
        case .editor: editorReturnMode == .detail
        default: false
        }
        guard open else { return nil }
        return detailAnnotationID.flatMap(annotation(id:))
    }

    /// Moves the detail view's selection by `step` over the tags, then the relations.
    mutating func moveDetailTag(by step: Int) {
        guard let annotation = detailAnnotation else { return }
        let count = annotation.tags.count + detailRelations.count
        guard count > 0 else { detailTag = 0; return }
        detailTag = max(0, min(count - 1, detailTag + step))
    }

    /// The message for a tag key pressed while the detail view has a relation selected.
    var onRelationMessage: String { "That is a relation: D deletes it; k moves back to the tags" }

    /// Asks for a new value of the selected tag, completing as the tag prompt does.
    mutating func openRetagValuePrompt() {
        guard let annotation = detailAnnotation, detailTag < annotation.tags.count else {
            message = detailRelation != nil ? onRelationMessage : "No tag to change: a tag key adds one"
            return
        }
        let tag = annotation.tags[detailTag]
        let category = codebook.category(id: tag.category)
        let (choices, aliases) = category.map(valueChoices(for:)) ?? ([], [:])
        underlyingMode = .detail
        prompt = Prompt(purpose: .retagValue(annotationID: annotation.id, tagIndex: detailTag, category: tag.category),
                        label: "\(category?.label ?? tag.category) value: ", text: tag.value, cursor: tag.value.count,
                        choices: choices, aliases: aliases, completionIndex: nil, typed: "")
        mode = .prompt
    }

    /// Asks for a new category of the selected tag, completing over the codebook's.
    mutating func openRetagCategoryPrompt() {
        guard let annotation = detailAnnotation, detailTag < annotation.tags.count else {
            message = detailRelation != nil ? onRelationMessage : "No tag to change: a tag key adds one"
            return
        }
        underlyingMode = .detail
        prompt = Prompt(purpose: .retagCategory(annotationID: annotation.id, tagIndex: detailTag),
                        label: "Category for “\(Renderer.truncate(annotation.tags[detailTag].value, to: 20))”: ", text: "", cursor: 0,
                        choices: codebook.categories.map(\.id), aliases: Dictionary(uniqueKeysWithValues: codebook.categories.map { ($0.id, [$0.label]) }),
                        completionIndex: nil, typed: "")
        mode = .prompt
    }

    /// Removes the selected tag, as one undoable change.
    mutating func removeDetailTag() -> [Effect] {
        guard let annotation = detailAnnotation, detailTag < annotation.tags.count else {
            message = detailRelation != nil ? onRelationMessage : "No tag to remove"
            return []
        }
        var changed = annotation
        let removed = changed.tags.remove(at: detailTag)
        changed.modified = Annotation.timestamp(now())
        detailTag = max(0, min(detailTag, changed.tags.count - 1))
        let label = codebook.category(id: removed.category)?.label ?? removed.category
        message = "Removed \(removed.value.isEmpty ? label : "\(label): \(removed.value)") (u undoes)"
        return record(Change(description: "remove tag", removed: [annotation], inserted: [changed]))
    }

    /// Puts `tag` in place of tag `index` of annotation `id`; a tag the annotation already
    /// has elsewhere is not repeated.
    mutating func retag(_ id: String, at index: Int, as tag: Tag, description: String) -> [Effect] {
        guard let old = annotation(id: id), index < old.tags.count else { return [] }
        guard old.tags[index] != tag else { return [] }
        var changed = old
        if changed.tags.contains(tag) {
            changed.tags.remove(at: index)
        } else {
            changed.tags[index] = tag
        }
        changed.modified = Annotation.timestamp(now())
        detailTag = max(0, min(index, changed.tags.count - 1))
        let label = codebook.category(id: tag.category)?.label ?? tag.category
        message = "Now \(tag.value.isEmpty ? label : "\(label): \(tag.value)") (u undoes)"
        return record(Change(description: description, removed: [old], inserted: [changed]))
    }

    /// Asks for a new spelling of the selected tag's value, for every annotation.
    mutating func openRenamePrompt() {
        guard let annotation = detailAnnotation, detailTag < annotation.tags.count else {
            message = detailRelation != nil ? onRelationMessage : "No tag to rename"
            return
        }
        let tag = annotation.tags[detailTag]
        let uses = annotations.filter { $0.tags.contains(tag) }.count
        let (choices, aliases) = codebook.category(id: tag.category).map(valueChoices(for:)) ?? ([], [:])
        underlyingMode = .detail
        prompt = Prompt(purpose: .renameValue(category: tag.category, from: tag.value),
                        label: "Rename “\(Renderer.truncate(tag.value, to: 24))” in \(uses) annotation\(uses == 1 ? "" : "s") to: ",
                        text: tag.value, cursor: tag.value.count, choices: choices.filter { $0 != tag.value }, aliases: aliases,
                        completionIndex: nil, typed: "")
        mode = .prompt
    }

    /// Renames value `old` of `category` to `new` in every annotation, as one undoable
    /// change; an annotation that has both keeps one (renaming to an existing value merges
    /// the two). When the codebook lists `old`, the same change renames it there (keeping
    /// `old` as an alias), or merges it into `new` when the codebook has that, and asks
    /// for the codebook file to be written.
    mutating func renameValue(category: String, from old: String, to new: String) -> [Effect] {
        guard old != new else { return [] }
        let from = Tag(category: category, value: old), to = Tag(category: category, value: new)
        let stamp = Annotation.timestamp(now())
        var removed: [Annotation] = [], inserted: [Annotation] = []
        for annotation in annotations where annotation.tags.contains(from) {
            var changed = annotation
            changed.tags = []
            for tag in annotation.tags {
                let renamed = tag == from ? to : tag
                if !changed.tags.contains(renamed) { changed.tags.append(renamed) }
            }
            changed.modified = stamp
            removed.append(annotation)
            inserted.append(changed)
        }
        guard !inserted.isEmpty else { return [] }
        let label = codebook.category(id: category)?.label ?? category
        var change = Change(description: "rename value", removed: removed, inserted: inserted)
        // a value the codebook lists is renamed there too, in the same undo step
        let file = currentCodebookFile
        var inCodebook = ""
        if let renamed = try? file.renamingValue(old, to: new, inCategory: category), (try? renamed.codebook()) != nil {
            let merged = codebook.category(id: category)?.allValues.contains { $0.value == new || ($0.aliases.contains(new) && $0.value != old) } ?? false
            change.codebook = (file.tree, renamed.tree)
            inCodebook = merged ? "; merged into “\(new)” in the codebook, “\(old)” now an alias"
                : "; renamed in the codebook too, “\(old)” kept as an alias"
            if codebookFile == nil { inCodebook += " (not saved to a file: this session has no codebook file)" }
        }
        message = "Renamed \(label) “\(old)” to “\(new)” in \(inserted.count) annotation\(inserted.count == 1 ? "" : "s")\(inCodebook) (u undoes)"
        return record(change)
    }
}
