import Foundation
import GlossCore

/// A change to the annotations that undo reverts: what it removed and what it inserted.
public struct Change: Hashable, Sendable {
    /// Words for messages, such as `create annotation`.
    public var description: String
    /// Annotations the change took away.
    public var removed: [Annotation]
    /// Annotations the change put in.
    public var inserted: [Annotation]
    /// Orphaned annotations the change took away.
    public var removedOrphans: [Annotation] = []
    /// Quarantined records the change took away.
    public var removedRecords: [QuarantinedRecord] = []
    /// Orphaned annotations the change put back.
    public var insertedOrphans: [Annotation] = []
    /// Quarantined records the change put back.
    public var insertedRecords: [QuarantinedRecord] = []

    /// The change that undoes this one.
    public var inverse: Change {
        Change(description: description, removed: inserted, inserted: removed,
               removedOrphans: insertedOrphans, removedRecords: insertedRecords,
               insertedOrphans: removedOrphans, insertedRecords: removedRecords)
    }
}

/// One entry of the annotation list: annotations in document order, then orphans, then
/// quarantined records.
public enum ListEntry: Hashable, Sendable {
    /// An annotation placed in the text.
    case annotation(Annotation)
    /// An annotation whose quote is no longer in the text.
    case orphan(Annotation)
    /// A store record that is not a valid annotation.
    case invalid(QuarantinedRecord)
}

/// Effects that ``AppState/apply(_:)`` asks the shell to carry out (Bubble Tea's commands).
public enum Effect: Hashable, Sendable {
    /// Write the annotations to the store now.
    case save
    /// Leave Gloss.
    case quit
    /// Write the annotations to a new store at this path (as typed, `~` not expanded),
    /// then quit.
    case saveElsewhere(String)
    /// Put the annotations of the store's backup in place of the current ones, and save.
    case restoreBackup
    /// Keep the backup aside, as the user declined to restore it.
    case keepBackupAside
    /// Leave Gloss although changes could not be saved; the user confirmed. The shell tries
    /// a rescue file first.
    case quitWithoutSaving
    /// Leave Gloss losing the unsaved changes, as no file could hold them; the user
    /// confirmed after being told why.
    case discardChanges
}
