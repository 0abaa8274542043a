import Foundation
import GlossCore

/// What work outside the update function reports back (a save on the writer thread, the
/// check of a large text's annotations, the indexer): delivered to the state through
/// ``AppState/receive(_:)``, as the Elm architecture delivers messages, so no code outside
/// the state writes its fields.
public enum BackgroundResult: Sendable {
    /// The annotations past a large text's indexed start were checked against it:
    /// `contents` is what the store now holds for the reader, `approximate` the ids placed
    /// approximately, `report` the status line's words; `orphaned` when any lost its place.
    case annotationsChecked(contents: StoreContents, approximate: Set<String>, report: String, orphaned: Bool)
    /// A save succeeded; `current` when it held every change made so far.
    case saved(current: Bool)
    /// A save failed with `problem`; the annotations stay in memory. `background` when the
    /// writer thread tried it, after which the changes count as unsaved.
    case saveFailed(problem: String, background: Bool)
    /// The store had changed on disk and a save merged both sides by annotation id:
    /// `contents` is the merged result, `changedIDs` the annotations undo must forget, and
    /// `storeName` the store file's name for the message.
    case merged(contents: StoreContents, changedIDs: Set<String>, storeName: String)
    /// The text past its first megabyte is damaged (`problem` says where): nothing may
    /// change from now on.
    case textDamaged(problem: String)
    /// The mapped document file was written to in place by another program: nothing may
    /// change from now on, and the last change, made after the file changed and not yet
    /// saved, is taken back when `revertLast`; `earlierSaved` when every change before it
    /// was saved, so nothing is left unsaved once it is taken back.
    case documentChangedOnDisk(revertLast: Bool, earlierSaved: Bool = false)
    /// The codebook file at `path` was written; `created` when this made the document
    /// folder's `gloss.codebook.json` from the bundled codebook.
    case codebookWritten(path: String, created: Bool)
    /// The codebook file at `path` could not be written (`problem` says why); the edit
    /// holds in this session, and the tags it renamed stay renamed.
    case codebookNotWritten(path: String, problem: String)
    /// Tag values used in the other annotation stores of the document's folder, by
    /// category id, in first-use order (see ``FolderValues``), offered by completion.
    case folderValues([String: [String]])
    /// The counts the summary pane asked for (``Effect/countSummary``).
    case summaryCounted(SummaryCounts)
}

extension AppState {
    /// Takes in a result of background work (see ``BackgroundResult``).
    public mutating func receive(_ result: BackgroundResult) {
        switch result {
        case .annotationsChecked(let contents, let approximate, let report, let orphaned):
            replaceContents(contents)
            approximatelyPlaced.formUnion(approximate)
            message = report
            messageIsError = orphaned
        case .saved(let current):
            if current { unsavedChanges = false }
        case .saveFailed(let problem, let background):
            if background { unsavedChanges = true }
            message = "Not saved: \(problem) (kept in memory; the next change retries)"
            messageIsError = true
        case .merged(let contents, let changedIDs, let storeName):
            forgetHistory(touching: changedIDs)
            let kept = Set((contents.annotations + contents.orphans).map(\.id))
            let deleted = (self.contents.annotations + self.contents.orphans).filter { !kept.contains($0.id) }.count
            let keptRelations = Set(contents.relations.map(\.id))
            let deletedRelations = self.contents.relations.filter { !keptRelations.contains($0.id) }.count
            replaceContents(contents)
            var deletions: [String] = []
            if deleted > 0 { deletions.append("\(deleted) annotation\(deleted == 1 ? "" : "s")") }
            if deletedRelations > 0 { deletions.append("\(deletedRelations) relation\(deletedRelations == 1 ? "" : "s")") }
            message = "\(storeName) had changed on disk; merged its changes by annotation id"
                + (deletions.isEmpty ? "" : " (\(deletions.joined(separator: " and ")) deleted there, deleted here too)")
            messageIsError = false
        case .documentChangedOnDisk(let revertLast, let earlierSaved):
            if revertLast, let change = undoStack.popLast() {
                // only the tags go back: the codebook file is written with the edit anyway
                var inverse = change.inverse
                inverse.codebook = nil
                apply(inverse)
                if earlierSaved { unsavedChanges = false }
            }
            readOnly = true
            readOnlyReason = "\(document.fileName) was changed on disk by another program; quit and open it again to go on"
            message = "Read-only: " + readOnlyReason + (revertLast ? " (the last change was not kept)" : "")
            messageIsError = true
        case .codebookWritten(let path, let created):
            codebookFile?.isBundledCopy = false
            if created {
                let url = URL(fileURLWithPath: path)
                message = (message.map { $0 + "; " } ?? "") + "created \(url.lastPathComponent) in \(url.deletingLastPathComponent().path) "
                    + "(the bundled codebook plus this edit), this folder's codebook from now on"
            }
        case .codebookNotWritten(let path, let problem):
            message = "Codebook not saved to \(path): \(problem); the edit holds until you quit"
            messageIsError = true
        case .folderValues(let values):
            folderValues = values
        case .summaryCounted(let counts):
            takeSummary(counts)
        case .textDamaged(let problem):
            readOnly = true
            readOnlyReason = "\(problem); the text is shown up to the line before it"
            message = "Read-only: " + readOnlyReason
            messageIsError = true
        }
    }
}
