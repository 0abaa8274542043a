import Foundation
import GlossCore
#if canImport(Glibc)
import Glibc
#endif

/// One document open for annotation with its store: the lock, the store as found (damaged,
/// older, changed text), the reader's state, and saving. The terminal loop in `gloss read`
/// drives it; tests and the benchmark use it without a terminal.
public struct Session {
    /// The reader's state.
    public var state: AppState
    /// The store annotations are saved to.
    public let store: AnnotationStore
    /// The store's lock while this session holds it.
    public internal(set) var lock: StoreLock?
    /// The store's backup, offered when the store was found damaged and moved aside.
    public internal(set) var backup: StoreContents?
    /// What the question offering ``backup`` says first, when the store is missing rather
    /// than damaged.
    private var backupQuestion: String?
    /// False when the store must not be written: another gloss holds its lock, or its
    /// folder cannot be written. A text found damaged later stops new changes but not the
    /// saving of those already made.
    var canWrite = true
    /// Why the last save failed, nil after a successful one.
    public internal(set) var lastSaveError: StoreError?
    let writer = BackgroundWriter()
    /// Counts snapshots handed to the background writer; the newest one decides whether
    /// everything is saved.
    var generation = 0
    /// True once a problem found in the text after opening has been reported.
    var reportedDocumentProblem = false
    /// True once a change of the mapped document on disk has been reported.
    var reportedDocumentChange = false
    /// Annotations of a large text not yet checked against it: kept and saved as read,
    /// not shown until ``poll()`` takes in the check.
    var pending: StoreContents?
    /// The store's records past what its preview read for the first frame of a large text
    /// (see ``StorePreview``): read whole, then checked with ``pending``, on the checking
    /// thread; saved as read until then.
    var unread: StoreRemainder?
    let verification = Verification()
    let folderScan = FolderScan()
    /// Codebook files a session never writes (the bundled default): an edit that would
    /// write one fails with a message instead.
    public var protectedCodebookPaths: Set<String> = []
    /// When false, ``startBackgroundWork()`` does not read the folder's other stores for
    /// completion: a corpus hands its documents the values of all its stores instead.
    public var readsFolderValues = true
    /// The document the store records when it belongs to another one (see
    /// ``recordsAnotherDocument(_:total:unplaced:document:)``); the session is then
    /// read-only. Nil otherwise.
    public internal(set) var foreignStoreDocument: String?

    /// The values found in the folder's other stores, handed over from the thread that
    /// reads them.
    final class FolderScan: @unchecked Sendable {
        private let lock = NSLock()
        private var result: [String: [String]]?

        func finish(_ values: [String: [String]]) {
            lock.lock()
            result = values
            lock.unlock()
        }

        func take() -> [String: [String]]? {
            lock.lock()
            defer { lock.unlock() }
            let taken = result
            result = nil
            return taken
        }
    }

    /// The outcome of checking the pending annotations on a background thread.
    final class Verification: @unchecked Sendable {
        private let lock = NSLock()
        private var result: Placement?
        private var searched: (done: Int, total: Int)?

        /// How far the check is in its search for annotations not at their offsets.
        var progress: (done: Int, total: Int)? {
            lock.lock()
            defer { lock.unlock() }
            return searched
        }

        func report(_ done: Int, of total: Int) {
            lock.lock()
            searched = (done, total)
            lock.unlock()
        }

        func finish(_ placement: Placement) {
            lock.lock()
            result = placement
            lock.unlock()
        }

        func take() -> Placement? {
            lock.lock()
            defer { lock.unlock() }
            let taken = result
            result = nil
            return taken
        }
    }

    /// What a save writes: the state's annotations and those still being checked.
    public var contentsToSave: StoreContents {
        var contents = state.contents
        if let pending {
            contents.annotations += pending.annotations
            contents.orphans += pending.orphans
        }
        // read now if the checking thread has not read it yet; a save refuses when it cannot be
        if let unread, let rest = try? unread.rest() {
            contents.annotations += rest.annotations
            contents.orphans += rest.orphans
            contents.quarantined += rest.quarantined
        }
        return contents
    }

    /// Why the store's records past its preview cannot be read, when they cannot; a save
    /// then would lose them. Nil otherwise (reading them now if need be).
    var unreadProblem: String? {
        guard let unread else { return nil }
        do {
            _ = try unread.rest()
            return nil
        } catch {
            return "\(error)"
        }
    }

    /// How far the background check of a large text's annotations has searched: those
    /// searched for and those to search for (annotations not at their offsets); nil when
    /// no check is running or it has nothing to search for.
    public var reanchoringProgress: (done: Int, total: Int)? {
        guard isCheckingAnnotations, let progress = verification.progress, progress.done < progress.total else { return nil }
        return progress
    }

    /// True while annotations of a large text are still being checked against it.
    public var isCheckingAnnotations: Bool { pending != nil || unread != nil }
    /// True once ``startBackgroundWork()`` has run.
    private var backgroundWorkStarted = false

    /// Starts what waits for the first frame, on background threads: indexing and hashing
    /// the rest of a large text, and checking the store's annotations past its indexed
    /// start against it (their outcome arrives through ``poll()``). Calling it again does
    /// nothing.
    public mutating func startBackgroundWork() {
        guard !backgroundWorkStarted else { return }
        backgroundWorkStarted = true
        let document = state.document
        document.startIndexing()
        // completion also offers the values the folder's other stores use; read off the
        // event loop, so a folder of many stores never holds the first frames
        if readsFolderValues {
            let scan = folderScan
            let folder = FilePaths.folder(of: FilePaths.absolute(document.path))
            let ownStore = store.path
            Thread.detachNewThread {
                scan.finish(FolderValues.read(folder: folder, excluding: [ownStore]))
            }
        }
        guard pending != nil || unread != nil else { return }
        let box = verification
        let later = pending, remainder = unread
        Thread.detachNewThread {
            var checked = later ?? StoreContents()
            if let remainder {
                // a store that cannot be read whole is reported by poll(); nothing more is placed
                guard let rest = try? remainder.rest() else {
                    box.finish(Placement(unchanged: later ?? StoreContents()))
                    return
                }
                if later == nil { checked.document = rest.document }
                checked.annotations += rest.annotations
                checked.orphans += rest.orphans
                // the other invalid records join the state's as they are, in poll()
                checked.quarantined += rest.quarantined.filter { $0.annotation != nil }
            }
            box.finish(Reanchoring.place(checked, in: document) { box.report($0, of: $1) })
        }
    }

    /// Opens `store` for `document`: takes the lock (read-only when another gloss holds
    /// it or the folder cannot be written), reads the store, moving a damaged one aside
    /// and asking whether to restore the backup, migrates an older store version (the
    /// original stays as ``AnnotationStore/backupPath``), re-anchors annotations when the
    /// text changed, and puts what it found in the state's message.
    /// - Parameters:
    ///   - codebookFile: the file `codebook` was read from, where the codebook view's edits
    ///     and renames of codebook values are written; nil keeps them in memory.
    ///   - width: terminal columns; `height`: terminal rows.
    ///   - relink: take a store that records another document (see
    ///     ``recordsAnotherDocument(_:total:unplaced:document:)``) for this one, placing its
    ///     annotations by their quotes; without it such a store opens read-only and the
    ///     status line names the document it belongs to.
    ///   - notices: what opening the document found worth saying (that it was read as
    ///     Windows-1252), shown in the status line with the store's own notices.
    ///   - relinkAdvice: how the status line tells the user to take such a store; a corpus,
    ///     where `--relink` is refused, names the command for this document alone.
    ///   - reanchoringProgress: told how far re-anchoring an edited text's annotations has
    ///     got, when it runs here (a text indexed whole at once); the shell shows it before
    ///     the screen opens.
    /// - Throws: ``StoreError`` when the store cannot be read, belongs to another program
    ///   or a newer Gloss, or cannot be moved aside or migrated, and when it is refused
    ///   (``AnnotationStore/refusal(document:)``: the document itself, a link loop, a link
    ///   to a file that is no store).
    public init(document: Document, codebook: Codebook, codebookFile: CodebookFile? = nil, store: AnnotationStore,
                width: Int = 80, height: Int = 24, relink: Bool = false, notices opening: [String] = [],
                relinkAdvice: String = "--relink takes it for this document", reanchoringProgress: ReanchoringProgress? = nil) throws {
        self.store = store
        if let problem = store.refusal(document: document.path) { throw StoreError(path: store.givenPath, problem: problem) }
        var otherOwner: StoreLock.Owner?
        switch StoreLock.acquire(forStore: store.path) {
        case .acquired(let acquired):
            lock = acquired
            // the lock keeps other writers away, so a temporary file whose process is gone is
            // litter; it is swept after the first frame, as listing a large folder takes
            // milliseconds, and saves never touch another process's temporary files
            Thread.detachNewThread { [store] in _ = store.removeAbandonedTemporaryFiles() }
        case .heldBy(let owner): otherOwner = owner
        case .unavailable: break  // the writable-folder check below reports it
        }
        // the store's path already follows a link to it (AnnotationStore); its folder as the system finds it
        let storeFolder = FilePaths.physicalFolder(of: store.path)
        let folderError: Int32? = access(storeFolder, W_OK) == 0 ? nil : errno
        let writable = otherOwner == nil && folderError == nil
        var notices = opening
        var contents = StoreContents()
        do {
            // only the lock holder may rename a damaged store aside or migrate it
            // a large text's first frame reads only the store's start; the rest is read
            // after it, with the check of what lies past the text's indexed start
            let previewLimit = document.isFullyIndexed ? nil : document.indexedCodePointCount
            let (opening, remainder) = try store.open(movingDamagedAside: writable, previewThrough: previewLimit)
            unread = remainder
            switch opening {
            case .absent:
                // a store moved aside while the question to restore it was open (a signal
                // ended that session), or deleted by hand, leaves its backup: offer it again
                // looked for first: a failed read builds an error whose look-ups slow the first frame
                if writable, FileManager.default.fileExists(atPath: store.backupPath),
                   let data = try? Data(contentsOf: URL(fileURLWithPath: store.backupPath)),
                   let saved = try? StoreCodec.decode(data, path: store.backupPath),
                   !(saved.annotations.isEmpty && saved.orphans.isEmpty) {
                    backup = saved
                    backupQuestion = "No store, but its backup \(URL(fileURLWithPath: store.backupPath).lastPathComponent) is there."
                    notices.append("\(store.path) is missing; its backup \(store.backupPath) is not")
                }
            case .opened(let opened):
                contents = opened
                if opened.version < AnnotationStore.currentVersion && writable {
                    // the original stays under a name later saves never reuse
                    let original = store.path + ".v\(opened.version)"
                    if !FileManager.default.fileExists(atPath: original) {
                        try AtomicFile.write(try Data(contentsOf: URL(fileURLWithPath: store.path)), to: original)
                    }
                    // the text is not checked yet, so the old document record is kept
                    contents = try store.save(opened, of: document, keepingDocumentRecord: true)
                    notices.append("store migrated from version \(opened.version) to \(AnnotationStore.currentVersion); the original is \(store.backupPath) and \(original)")
                }
            case .damaged(let problem, let movedTo, let readableBackup):
                backup = readableBackup
                notices.append("\(store.path) was unreadable (\(problem)) and is now \(movedTo)"
                               + (readableBackup == nil ? "" : ", its backup \(movedTo).bak"))
            }
        } catch {
            lock?.release()
            throw error
        }

        state = AppState(document: document, codebook: codebook, codebookFile: codebookFile, width: width, height: height)
        var placement = Placement(unchanged: StoreContents())
        let unreadCount = (unread?.unreadAnnotations ?? 0) + (unread?.unreadOrphans ?? 0)
        let total = contents.annotations.count + contents.orphans.count + unreadCount
        var unplaced = 0
        if document.isFullyIndexed {
            placement = Reanchoring.place(contents, in: document, progress: reanchoringProgress)
            unplaced = placement.orphaned
        } else {
            // a large text: what the indexed start shows is checked now, the rest once the
            // background indexer is done, so nothing waits for the whole text
            let split = Session.splitForLaterChecking(contents, in: document)
            placement = Placement(unchanged: split.now)
            // until the rest is checked, what is not at its place in the indexed start
            unplaced = total - split.now.annotations.count
            pending = split.later
            let checkedLater = (split.later.map { $0.annotations.count + $0.orphans.count } ?? 0) + unreadCount
            if split.later != nil || unread != nil {
                notices.append("checking \(checkedLater) more annotation(s) against the text")
            }
        }
        // records re-anchoring found invalid go back to the file with every field they had
        placement.contents = store.restoringExactRecords(placement.contents)
        state.replaceContents(placement.contents)
        state.approximatelyPlaced = placement.approximateIDs
        if let report = Session.report(placement, of: document) { notices.insert(report, at: 0) }
        // counted once placed, as the pane lists them and an export leaves them out
        if let memo = placement.contents.otherFields["memo"] {
            notices.append("the store's \"memo\" is \(memo.brief), not text; kept as it is (M writes a new memo over it)")
        }
        if !placement.contents.quarantined.isEmpty {
            notices.append(Session.invalidNotice(placement.contents.quarantined.count))
        }
        if !relink, Session.recordsAnotherDocument(contents.document, total: total, unplaced: unplaced, document: document),
           let recorded = contents.document {
            // saving would move another document's annotations onto this one as orphans
            foreignStoreDocument = recorded.path
            state.readOnly = true
            let storeName = URL(fileURLWithPath: store.path).lastPathComponent
            state.readOnlyReason = "\(storeName) belongs to \(recorded.path), not \(document.fileName) (\(unplaced) of \(total) annotation(s) not found here); \(relinkAdvice)"
            notices = ["Read-only: " + state.readOnlyReason]
        } else if let otherOwner {
            // a second writer would overwrite the first one's work
            state.readOnly = true
            state.readOnlyReason = "\(otherOwner) has \(document.fileName) open in gloss; quit there to write here (none there? delete \(URL(fileURLWithPath: StoreLock.lockPath(forStore: store.path)).lastPathComponent))"
            notices.insert("Read-only: " + state.readOnlyReason, at: 0)
        } else if let folderError {
            // saving would fail on every change; say so before any work is done
            state.readOnly = true
            state.readOnlyReason = "cannot write annotations in \(storeFolder) (\(String(cString: strerror(folderError)))); use --store PATH"
            notices.insert("Read-only: " + state.readOnlyReason, at: 0)
        }
        canWrite = !state.readOnly
        if !notices.isEmpty {
            state.message = notices.joined(separator: "; ")
            state.messageIsError = state.readOnly || backup != nil || placement.orphaned > 0
        }
        if let backup, writable {
            let count = backup.annotations.count + backup.orphans.count
            state.ask(.restoreBackup(count: count), question: (backupQuestion ?? "Store damaged, moved aside.") + " Restore \(count) annotation(s) from its .bak?")
        }
    }

    /// True when a store that records `recorded` belongs to another document than
    /// `document`: the recorded file name differs, the recorded SHA-256 differs, and
    /// `unplaced` (annotations re-anchoring would orphan) is more than half of `total`
    /// (annotations and orphans of the store); a store without annotations is never
    /// taken for another document's. An edited text of the same document (same name) or
    /// a renamed one (same text) re-anchors as always.
    public static func recordsAnotherDocument(_ recorded: StoredDocument?, total: Int, unplaced: Int, document: Document) -> Bool {
        // one rule for the reader, gloss export and gloss stats
        recorded?.belongsToAnotherDocument(than: document, total: total, unplaced: unplaced) ?? false
    }

    /// Words for the status line about invalid records.
    static func invalidNotice(_ count: Int) -> String {
        "\(count) invalid record(s) in the store kept as they are (listed in the pane)"
    }

    /// Words for the status line about annotations placed again; nil when none moved.
    static func report(_ placement: Placement, of document: Document) -> String? {
        let marks = placement.droppedMarks == 0 || placement.contents.annotations.isEmpty ? nil
            : "\(document.fileName): the U+FEFF at the start of its text is no longer counted: "
              + "\(placement.contents.annotations.count) annotation(s) moved back \(placement.droppedMarks) code point(s)"
        guard placement.moved > 0 || placement.orphaned > 0 else { return marks }
        // with the text the store records, annotations whose quote is not at their offsets
        // were edited by hand or by another tool, not moved by an edit of the text
        let textChanged = placement.contents.document.map { $0.sha256 != document.sha256 } ?? true
        var report = textChanged ? "\(document.fileName) changed: \(placement.moved) annotation(s) re-anchored"
            : "\(document.fileName) is unchanged but some annotations did not match it: \(placement.moved) re-anchored"
        // the same source read by another importer version: say so, the file did not change
        if textChanged, let recorded = placement.contents.document?.source, let now = document.extraction,
           recorded.sha256 != nil, recorded.sha256 == now.sourceSHA256,
           (recorded.extractor, recorded.extractorVersion) != (now.extractor, now.version) {
            report = "\(document.fileName) is unchanged but its text is now extracted by \(now.extractor) \(now.version)"
                + " (was \(recorded.extractor) \(recorded.extractorVersion)): \(placement.moved) annotation(s) re-anchored"
        }
        // approximate placements cover edited words, which the analyst may want to check
        if placement.approximate > 0 { report += ", \(placement.approximate) to edited text (marked ≈ in the list)" }
        if placement.orphaned > 0 { report += ", \(placement.orphaned) orphaned (listed in the pane)" }
        if let marks { report = marks + "; " + report }
        // the store keeps the old hash until a change is saved after this report
        return report
    }

    typealias Placement = Reanchoring.Placement

    /// Splits `contents` into what can be placed now, without indexing past the part of
    /// the text already indexed (annotations found at their offsets there, with their
    /// context, see ``Reanchoring/isInPlace(_:in:)``), and what is checked later (the rest,
    /// orphans, records past the stored length); `later` is nil when nothing is left.
    static func splitForLaterChecking(_ contents: StoreContents, in document: Document) -> (now: StoreContents, later: StoreContents?) {
        let covered = document.indexedCodePointCount
        var now = contents
        var later = StoreContents(document: contents.document)
        now.annotations = []
        now.orphans = []
        for annotation in contents.annotations {
            if annotation.end <= covered, Reanchoring.isInPlace(annotation, in: document) {
                now.annotations.append(annotation)
            } else {
                later.annotations.append(annotation)
            }
        }
        later.orphans = contents.orphans
        later.quarantined = contents.quarantined.filter { $0.annotation != nil }
        let nothingLater = later.annotations.isEmpty && later.orphans.isEmpty && later.quarantined.isEmpty
        return (now, nothingLater ? nil : later)
    }
}
