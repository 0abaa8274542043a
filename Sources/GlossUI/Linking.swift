import Foundation
import GlossCore

/// Relations between annotations in the reader: `r` on an annotation starts a link, `r`
/// or Enter on another one asks for the relation type, and the detail view lists an
/// annotation's relations and deletes one. Each new or deleted relation is one undoable
/// change.
extension AppState {
    /// What the status line says while a link waits for its second annotation.
    var linkHint: String? {
        guard let id = linkSourceID else { return nil }
        let from = annotation(id: id).map(labelledSummary(of:)) ?? "a deleted annotation"
        return "Link from \(Renderer.truncate(from, to: 40)) — move to the other annotation ([ ] j k or the list) and press r or Enter; Esc cancels"
    }

    /// `r`: starts a link at the annotation here, or, when one is started, ends it here.
    mutating func linkHere() {
        if linkSourceID != nil {
            finishLink()
            return
        }
        guard let id = actionableAnnotationID, annotation(id: id) != nil else {
            message = mode == .list ? "Only an annotation can be linked" : "No annotation here to link from: ] [ jump to one"
            return
        }
        guard !codebook.relations.isEmpty else {
            message = "The codebook has no relation types to link with"
            return
        }
        linkSourceID = id
        message = linkHint
    }

    /// Ends the pending link at the annotation here: asks for the relation type, offering
    /// the types whose ends allow the two annotations' categories, or every type when none
    /// does.
    mutating func finishLink() {
        guard let sourceID = linkSourceID else { return }
        guard let source = annotation(id: sourceID) else {
            linkSourceID = nil
            message = "The annotation the link started from is gone; nothing linked"
            return
        }
        guard let targetID = actionableAnnotationID, let target = annotation(id: targetID) else {
            message = "No annotation here to link to; move to one, or Esc cancels"
            return
        }
        guard targetID != sourceID else {
            message = "This is the annotation the link starts from: move to another one, or Esc cancels"
            return
        }
        let fromCategories = source.tags.map(\.category), toCategories = target.tags.map(\.category)
        let fitting = codebook.relations.filter { $0.fits(from: fromCategories, to: toCategories) }
        let offered = fitting.isEmpty ? codebook.relations : fitting
        let first = offered[0].id
        // the ends by category, short enough to leave the answer room on the bottom line
        func categories(_ annotation: Annotation) -> String {
            var labels: [String] = []
            for tag in annotation.tags {
                let label = codebook.category(id: tag.category)?.label ?? tag.category
                if !labels.contains(label) { labels.append(label) }
            }
            return Renderer.truncate(labels.isEmpty ? "untagged" : labels.joined(separator: "/"), to: 24)
        }
        let ends = "\(categories(source)) → \(categories(target))"
        let label = fitting.isEmpty
            ? "No relation type fits \(ends); all types (Enter: \(first)): "
            : "Link \(ends) as (Enter: \(first)): "
        linkSourceID = nil
        underlyingMode = mode
        prompt = Prompt(purpose: .relationType(from: sourceID, to: targetID), label: label, text: "", cursor: 0,
                        choices: offered.map(\.id), aliases: Dictionary(offered.map { ($0.id, [$0.label]) }, uniquingKeysWith: +),
                        completionIndex: nil, typed: "")
        mode = .prompt
    }

    /// Cancels a pending link; false when there was none.
    mutating func cancelLink() -> Bool {
        guard linkSourceID != nil else { return false }
        linkSourceID = nil
        message = "Link cancelled"
        return true
    }

    /// Makes the relation the type prompt answered: `typed` is a type's id or label (any
    /// letter case), empty for the prompt's first choice.
    mutating func link(from sourceID: String, to targetID: String, typed: String, choices: [String]) -> [Effect] {
        let answer = typed.trimmingCharacters(in: .whitespaces)
        let type: RelationType?
        if answer.isEmpty {
            type = choices.first.flatMap(codebook.relationType(id:))
        } else {
            type = codebook.relations.first {
                $0.id.caseInsensitiveCompare(answer) == .orderedSame || $0.label.caseInsensitiveCompare(answer) == .orderedSame
            }
        }
        guard let type else {
            message = "No relation type “\(Renderer.truncate(answer, to: 30))” in the codebook; nothing linked"
            messageIsError = true
            return []
        }
        guard let source = annotation(id: sourceID), let target = annotation(id: targetID) else {
            message = "One of the two annotations is gone; nothing linked"
            messageIsError = true
            return []
        }
        let description = "\(labelledSummary(of: source)) —\(type.label)→ \(labelledSummary(of: target))"
        if contents.relations.contains(where: { $0.from == sourceID && $0.to == targetID && $0.type == type.id }) {
            message = "Already linked: \(description)"
            return []
        }
        let relation = Relation(type: type.id, from: sourceID, to: targetID, author: author, date: now())
        message = "Linked \(description) (u undoes)"
        return record(Change(description: "link", removedRelations: [], insertedRelations: [relation]))
    }

    /// The relations of the annotation the detail view shows, both directions, in the
    /// store's order; they follow its tags in the view.
    public var detailRelations: [Relation] {
        guard let annotation = detailAnnotation else { return [] }
        return contents.relations(touching: annotation.id)
    }

    /// The relation the detail view has selected, when the selection is past the tags.
    public var detailRelation: Relation? {
        guard let annotation = detailAnnotation else { return nil }
        let index = detailTag - annotation.tags.count
        let relations = detailRelations
        return index >= 0 && index < relations.count ? relations[index] : nil
    }

    /// Deletes the relation selected in the detail view, as one undoable change.
    mutating func deleteDetailRelation() -> [Effect] {
        guard let relation = detailRelation else {
            message = detailRelations.isEmpty ? "No relation here: r on an annotation in the text links it"
                : "Move onto a relation with j k first"
            return []
        }
        message = "Deleted relation \(relationSummary(relation)) (u undoes)"
        let effects = record(Change(description: "delete relation", removedRelations: [relation], insertedRelations: []))
        moveDetailTag(by: 0)
        return effects
    }

    /// `From: value —type→ To: value`, for messages.
    func relationSummary(_ relation: Relation) -> String {
        let label = codebook.relationType(id: relation.type)?.label ?? relation.type
        return "\(endSummary(relation.from)) —\(label)→ \(endSummary(relation.to))"
    }

    /// The tags of the annotation (or orphan) with `id` by category label, or what it is
    /// when it is neither.
    func endSummary(_ id: String) -> String {
        if let annotation = annotation(id: id) ?? orphans.first(where: { $0.id == id }) {
            return labelledSummary(of: annotation)
        }
        return "invalid record \(id)"
    }

    /// One line of the detail view for `relation` seen from annotation `id`:
    /// `undertakes → Cooperation measure: information sharing “quote…”` for one it starts,
    /// `← acts on from Actor: ISIL “quote…”` for one that points to it.
    func detailLine(for relation: Relation, seenFrom id: String) -> String {
        let label = codebook.relationType(id: relation.type)?.label ?? relation.type
        let outgoing = relation.from == id
        let other = outgoing ? relation.to : relation.from
        let otherAnnotation = annotation(id: other) ?? orphans.first(where: { $0.id == other })
        let quote = otherAnnotation.map { " “" + Renderer.truncate($0.quote, to: 24) + "”" } ?? ""
        return outgoing ? "\(label) → \(endSummary(other))\(quote)" : "← \(label) from \(endSummary(other))\(quote)"
    }
}
