import Foundation
import GlossCore

/// A change of the store's contents that undo reverts: the entries it took away and the
/// ones it put in, each as a ``StoreContents`` holding only those annotations, orphans,
/// quarantined records and relations; the document memo before and after, when the
/// change edits it; and the codebook file's JSON before and after, when the change edits
/// the codebook (adding a value or category, renaming a value it lists).
public struct Change: Hashable, Sendable {
    /// Words for messages, such as `create annotation`.
    public var description: String
    /// What the change took away.
    public var removed: StoreContents
    /// What the change put in.
    public var inserted: StoreContents
    /// The document memo before and after the change; nil when the change leaves it.
    public var memo: (before: String, after: String)? {
        get { memoEdit.map { ($0[0], $0[1]) } }
        set { memoEdit = newValue.map { [$0.before, $0.after] } }
    }
    private var memoEdit: [String]?
    /// The codebook file's JSON (``CodebookFile/tree``) before and after the change; nil
    /// when the change leaves the codebook.
    public var codebook: (before: JSONValue, after: JSONValue)? {
        get { codebookEdit.map { ($0[0], $0[1]) } }
        set { codebookEdit = newValue.map { [$0.before, $0.after] } }
    }
    private var codebookEdit: [JSONValue]?

    /// True when the change touches the store (annotations, orphans, records, relations or
    /// the memo), so that it must be saved; false for a change of the codebook alone.
    public var touchesStore: Bool {
        memo != nil || [removed, inserted].contains { part in
            !(part.annotations.isEmpty && part.orphans.isEmpty && part.quarantined.isEmpty && part.relations.isEmpty)
        }
    }

    /// A change that replaces `removed` annotations with `inserted` ones, and takes away
    /// `removedOrphans`, `removedRecords` and `removedRelations` (those that touch what
    /// it deletes, so undo brings both back).
    public init(description: String, removed: [Annotation], inserted: [Annotation],
                removedOrphans: [Annotation] = [], removedRecords: [QuarantinedRecord] = [],
                removedRelations: [Relation] = []) {
        self.description = description
        self.removed = StoreContents(annotations: removed, orphans: removedOrphans, quarantined: removedRecords,
                                     relations: removedRelations)
        self.inserted = StoreContents(annotations: inserted)
    }

    /// A change that takes away `removed` relations and puts in `inserted` ones.
    public init(description: String, removedRelations: [Relation], insertedRelations: [Relation]) {
        self.description = description
        self.removed = StoreContents(relations: removedRelations)
        self.inserted = StoreContents(relations: insertedRelations)
    }

    /// A change of the document memo from `before` to `after`.
    public init(description: String, memoBefore before: String, after: String) {
        self.description = description
        self.removed = StoreContents()
        self.inserted = StoreContents()
        self.memo = (before, after)
    }

    /// A change of the codebook alone, from JSON `before` to `after`.
    public init(description: String, codebookBefore before: JSONValue, after: JSONValue) {
        self.description = description
        self.removed = StoreContents()
        self.inserted = StoreContents()
        self.codebook = (before, after)
    }

    /// The change that undoes this one.
    public var inverse: Change {
        var inverse = self
        inverse.removed = inserted
        inverse.inserted = removed
        inverse.memo = memo.map { ($0.after, $0.before) }
        inverse.codebook = codebook.map { ($0.after, $0.before) }
        return inverse
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
    /// Write the codebook file: ``CodebookFile/data`` to ``CodebookFile/path``, atomically;
    /// when ``CodebookFile/isBundledCopy``, this creates the document folder's codebook.
    /// The shell reports the outcome with ``BackgroundResult/codebookWritten(path:created:)``
    /// or ``BackgroundResult/codebookNotWritten(path:problem:)``.
    case writeCodebook(CodebookFile)
    /// Leave Gloss losing the unsaved changes, as no file could hold them; the user
    /// confirmed after being told why.
    case discardChanges
    /// A corpus command given in the reader (``Action/corpusCommands``): the
    /// ``CorpusSession`` carries it out (a single document says it has no corpus).
    case corpus(Action)
    /// Count the tags for the summary pane, as `gloss stats` counts them, on a background
    /// thread: the ``CorpusSession`` counts its documents (the open one as it is in
    /// memory) and hands the counts back through ``BackgroundResult/summaryCounted(_:)``.
    case countSummary
    /// Write the annotations as `gloss export --format FORMAT -o PATH` writes them, after
    /// saving the store: the open document's, or with `corpus` the whole corpus's. PATH
    /// is as typed on the command line (relative to the working folder, `~` not
    /// expanded). The shell runs the export in the background and reports it in the
    /// status line. An existing file is replaced only when `replacing` (`:export!`).
    case export(format: String, path: String, corpus: Bool, replacing: Bool)
    /// Set an option the shell owns (`:set mouse on`, `:set theme NAME`), with its value
    /// as typed; the shell reports what it did in the status line.
    case setOption(name: String, value: String)
}
