import Foundation
import GlossCore

/// Resolving the conflicts `gloss merge` marks: two coders gave one span different tags,
/// both annotations were kept, and each carries the same ``Annotation/conflict`` id.
extension AppState {
    /// The annotations and orphans other than `annotation` that share its conflict id:
    /// its rivals; empty when it has no conflict.
    func rivals(of annotation: Annotation) -> [Annotation] {
        guard let conflict = annotation.conflict else { return [] }
        return (contents.annotations + contents.orphans).filter { $0.conflict == conflict && $0.id != annotation.id }
    }

    /// `!`: keeps the annotation here (the detail view's, the list's, or the current one),
    /// deletes its rivals with the relations that touch them, and clears its conflict
    /// mark, as one undoable change. Says so and changes nothing when the annotation has
    /// no conflict.
    mutating func keepConflict() -> [Effect] {
        let id = mode == .detail ? detailAnnotationID : actionableAnnotationID
        guard let id, let annotation = annotation(id: id) else {
            message = "No annotation here: ] [ jump to one (f conflict lists the conflicts)"
            return []
        }
        guard annotation.conflict != nil else {
            message = "This annotation has no merge conflict (f conflict lists those that do)"
            return []
        }
        let rivals = rivals(of: annotation)
        var kept = annotation
        kept.conflict = nil
        kept.modified = Annotation.timestamp(now())
        let placedRivals = rivals.filter { rival in contents.annotations.contains { $0.id == rival.id } }
        let orphanRivals = rivals.filter { rival in !placedRivals.contains { $0.id == rival.id } }
        let rivalIDs = Set(rivals.map(\.id))
        let relations = contents.relations.filter { rivalIDs.contains($0.from) || rivalIDs.contains($0.to) }
        let effects = record(Change(description: "keep one of conflicting annotations", removed: [annotation] + placedRivals,
                                    inserted: [kept], removedOrphans: orphanRivals, removedRelations: relations))
        currentAnnotationID = kept.id
        updateCurrentAnnotation()
        if mode == .list {
            // under `f conflict` the kept one leaves the list with its rivals
            if listEntryCount == 0 { mode = .reading } else { listIndex = min(listIndex, listEntryCount - 1) }
        }
        let count = rivals.count
        message = "Kept \(summary(of: kept)); deleted \(count == 1 ? "its rival" : "\(count) rivals")"
            + (count == 1 ? " (\(rivals.map(summary(of:)).joined()))" : "") + " (u undoes)"
        return effects
    }
}
