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
    public private(set) var lock: StoreLock?
    /// The store's backup, offered when the store was found damaged and moved aside.
    public private(set) var backup: StoreContents?
    /// False when the store must not be written: another gloss holds its lock, or its
    /// folder cannot be written. A text found damaged later stops new changes but not the
    /// saving of those already made.
    private var canWrite = true
    /// Why the last save failed, nil after a successful one.
    public private(set) var lastSaveError: StoreError?
    private let writer = BackgroundWriter()
    /// Counts snapshots handed to the background writer; the newest one decides whether
    /// everything is saved.
    private var generation = 0
    /// True once a problem found in the text after opening has been reported.
    private var reportedDocumentProblem = false
    /// Annotations of a large text not yet checked against it: kept and saved as read,
    /// not shown until ``poll()`` takes in the check.
    private var pending: StoreContents?
    private let verification = Verification()

    /// The outcome of checking the pending annotations on a background thread.
    final class Verification: @unchecked Sendable {
        private let lock = NSLock()
        private var result: Placement?

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
        return contents
    }

    /// True while annotations of a large text are still being checked against it.
    public var isCheckingAnnotations: Bool { pending != nil }
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
        guard let later = pending else { return }
        let box = verification
        Thread.detachNewThread {
            box.finish(Reanchoring.place(later, in: document))
        }
    }

    /// Opens `store` for `document`: takes the lock (read-only when another gloss holds
    /// it or the folder cannot be written), reads the store, moving a damaged one aside
    /// and asking whether to restore the backup, migrates an older store version (the
    /// original stays as ``AnnotationStore/backupPath``), re-anchors annotations when the
    /// text changed, and puts what it found in the state's message.
    /// - Parameters:
    ///   - width: terminal columns; `height`: terminal rows.
    /// - Throws: ``StoreError`` when the store cannot be read, belongs to another program
    ///   or a newer Gloss, or cannot be moved aside or migrated.
    public init(document: Document, codebook: Codebook, store: AnnotationStore, width: Int = 80, height: Int = 24) throws {
        self.store = store
        var otherOwner: StoreLock.Owner?
        switch StoreLock.acquire(forStore: store.path) {
        case .acquired(let acquired):
            lock = acquired
            // the lock keeps other writers away, so a temporary file whose process is gone is litter
            store.removeAbandonedTemporaryFiles()
        case .heldBy(let owner): otherOwner = owner
        case .unavailable: break  // the writable-folder check below reports it
        }
        let storeFolder = URL(fileURLWithPath: store.path).resolvingSymlinksInPath().deletingLastPathComponent().path
        let folderError: Int32? = access(storeFolder, W_OK) == 0 ? nil : errno
        let writable = otherOwner == nil && folderError == nil
        var notices: [String] = []
        var contents = StoreContents()
        do {
            // only the lock holder may rename a damaged store aside or migrate it
            switch try store.open(movingDamagedAside: writable) {
            case .absent: break
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
                    notices.append("store migrated from version \(opened.version) to \(AnnotationStore.currentVersion); the original is \(original)")
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

        state = AppState(document: document, codebook: codebook, width: width, height: height)
        var placement = Placement(unchanged: StoreContents())
        if document.isFullyIndexed {
            placement = Reanchoring.place(contents, in: document)
        } else {
            // a large text: what the indexed start shows is checked now, the rest once the
            // background indexer is done, so nothing waits for the whole text
            let split = Session.splitForLaterChecking(contents, in: document)
            placement = Placement(unchanged: split.now)
            if let later = split.later {
                pending = later
                notices.append("checking \(later.annotations.count + later.orphans.count) more annotation(s) against the text")
            }
        }
        state.replaceContents(placement.contents)
        state.approximatelyPlaced = placement.approximateIDs
        if let report = Session.report(placement, of: document) { notices.insert(report, at: 0) }
        // counted once placed, as the pane lists them and an export leaves them out
        if !placement.contents.quarantined.isEmpty {
            notices.append(Session.invalidNotice(placement.contents.quarantined.count))
        }
        if let otherOwner {
            // a second writer would overwrite the first one's work
            state.readOnly = true
            state.readOnlyReason = "\(otherOwner) has \(document.fileName) open in gloss; quit there to write here"
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
            state.ask(.restoreBackup(count: count), question: "Store damaged, moved aside. Restore \(count) annotation(s) from its .bak?")
        }
    }

    /// Words for the status line about invalid records.
    static func invalidNotice(_ count: Int) -> String {
        "\(count) invalid record(s) in the store kept as they are (listed in the pane)"
    }

    /// Words for the status line about annotations placed again; nil when none moved.
    static func report(_ placement: Placement, of document: Document) -> String? {
        guard placement.moved > 0 || placement.orphaned > 0 else { return nil }
        var report = "\(document.fileName) changed: \(placement.moved) annotation(s) re-anchored"
        // approximate placements cover edited words, which the analyst may want to check
        if placement.approximate > 0 { report += ", \(placement.approximate) to edited text (marked ≈ in the list)" }
        if placement.orphaned > 0 { report += ", \(placement.orphaned) orphaned (listed in the pane)" }
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

    /// Hands a snapshot of the state's annotations to the background writer, unless the
    /// session is read-only; ``poll()`` takes in the outcome. Returns at once.
    public mutating func saveInBackground() {
        guard canWrite else { return }
        generation += 1
        writer.submit(BackgroundWriter.Job(snapshot: contentsToSave, generation: generation, store: store, document: state.document,
                                           keepingDocumentRecord: pending != nil))
    }

    /// Takes in what happened in the background since the last call: finished saves (an
    /// error goes to the status line; a merge with changes made on disk is applied to the
    /// annotations the user has not changed since), and a problem found in the text past
    /// its first megabyte. Call it from the event loop.
    /// - Returns: true when the state changed.
    @discardableResult
    public mutating func poll() -> Bool {
        var changed = false
        if let placed = verification.take() {
            changed = true
            let waiting = pending?.quarantined ?? []
            let rescued = Set(waiting.compactMap(\.annotation?.id)).subtracting(placed.contents.quarantined.compactMap(\.annotation?.id))
            pending = nil
            var merged = state.contents
            let invalidBefore = merged.quarantined.count
            merged.annotations += placed.contents.annotations
            merged.orphans += placed.contents.orphans
            merged.quarantined.removeAll { $0.annotation.map { rescued.contains($0.id) } ?? false }
            // annotations whose offsets do not fit the text they were made on
            merged.quarantined += placed.contents.quarantined.filter { !waiting.contains($0) }
            var report = Session.report(placed, of: state.document) ?? "All annotations checked against the text"
            if merged.quarantined.count != invalidBefore { report += "; " + Session.invalidNotice(merged.quarantined.count) }
            state.receive(.annotationsChecked(contents: merged, approximate: placed.approximateIDs, report: report,
                                              orphaned: placed.orphaned > 0))
        }
        for outcome in writer.takeFinished() {
            changed = true
            switch outcome.result {
            case .success(let written):
                lastSaveError = nil
                state.receive(.saved(current: outcome.generation == generation))
                if written.annotations != outcome.snapshot.annotations || written.orphans != outcome.snapshot.orphans
                    || written.quarantined != outcome.snapshot.quarantined {
                    applyMerge(from: outcome.snapshot, to: written)
                }
            case .failure(let error):
                lastSaveError = error as? StoreError ?? StoreError(path: store.path, problem: "\(error)")
                state.receive(.saveFailed(problem: "\(error)", background: true))
            }
        }
        if !reportedDocumentProblem, let problem = state.document.problem {
            reportedDocumentProblem = true
            state.receive(.textDamaged(problem: "\(problem)"))
            changed = true
        }
        return changed
    }

    /// Applies what a background merge changed between `snapshot` and `written` to the
    /// current annotations, for each annotation the user has not changed since `snapshot`.
    private mutating func applyMerge(from snapshot: StoreContents, to written: StoreContents) {
        func entries(_ contents: StoreContents) -> [String: (annotation: Annotation, orphan: Bool)] {
            var result: [String: (annotation: Annotation, orphan: Bool)] = [:]
            for annotation in contents.annotations { result[annotation.id] = (annotation, false) }
            for annotation in contents.orphans { result[annotation.id] = (annotation, true) }
            return result
        }
        let before = entries(snapshot), after = entries(written)
        var current = entries(state.contents)
        for id in Set(before.keys).union(after.keys) where before[id]?.annotation != after[id]?.annotation || before[id]?.orphan != after[id]?.orphan {
            if current[id]?.annotation == before[id]?.annotation && current[id]?.orphan == before[id]?.orphan {
                current[id] = after[id]
            }
        }
        var merged = state.contents
        merged.annotations = current.values.filter { !$0.orphan }.map(\.annotation)
        merged.orphans = current.values.filter(\.orphan).map(\.annotation).sorted(by: Annotation.documentOrder)
        if written.quarantined != snapshot.quarantined { merged.quarantined = written.quarantined }
        state.receive(.merged(contents: merged, changedIDs: Session.changedIDs(from: snapshot, to: written), storeName: storeName))
    }

    /// The store file's name, for messages.
    private var storeName: String { URL(fileURLWithPath: store.path).lastPathComponent }

    /// The ids of annotations (or orphans) that differ between `before` and `after`.
    static func changedIDs(from before: StoreContents, to after: StoreContents) -> Set<String> {
        func entries(_ contents: StoreContents) -> [String: Annotation] {
            var result: [String: Annotation] = [:]
            for annotation in contents.annotations + contents.orphans { result[annotation.id] = annotation }
            return result
        }
        let old = entries(before), new = entries(after)
        let orphanIDs = (Set(before.orphans.map(\.id)), Set(after.orphans.map(\.id)))
        return Set(old.keys).union(new.keys).filter {
            old[$0] != new[$0] || orphanIDs.0.contains($0) != orphanIDs.1.contains($0)
        }
    }

    /// Waits for the background writer to finish and takes in its outcome; then, if
    /// changes are still unsaved, tries once more in the foreground. For quitting.
    public mutating func flush() {
        writer.waitUntilIdle()
        poll()
        if state.unsavedChanges { save() }
    }

    /// Saves the state's annotations now, in the foreground, unless the session is
    /// read-only. A failure leaves
    /// every annotation in memory, `unsavedChanges` true and the error in the status line;
    /// the next change retries. A merge with changes made on disk is taken into the state.
    public mutating func save() {
        guard canWrite else { return }
        writer.waitUntilIdle()
        poll()
        do {
            let before = contentsToSave
            // while some annotations still carry offsets into the old text, the store keeps
            // saying which text that was
            let written = try store.save(before, of: state.document, keepingDocumentRecord: pending != nil)
            state.receive(.saved(current: true))
            lastSaveError = nil
            if written.annotations != before.annotations || written.orphans != before.orphans || written.quarantined != before.quarantined {
                var shown = written
                if let pending {
                    // annotations still being checked stay out of the text until they are
                    let waiting = Set((pending.annotations + pending.orphans).map(\.id))
                    shown.annotations.removeAll { waiting.contains($0.id) }
                    shown.orphans.removeAll { waiting.contains($0.id) }
                }
                state.receive(.merged(contents: shown, changedIDs: Session.changedIDs(from: before, to: written), storeName: storeName))
            }
        } catch {
            lastSaveError = error as? StoreError ?? StoreError(path: store.path, problem: "\(error)")
            state.receive(.saveFailed(problem: "\(error)", background: false))
        }
    }

    /// Puts the backup's annotations in place of the current ones and saves them.
    public mutating func restoreBackup() {
        guard let backup else { return }
        let report = state.message.map { " (" + $0 + ")" } ?? ""
        state.replaceContents(Reanchoring.place(backup, in: state.document).contents)
        state.unsavedChanges = true
        save()
        if !state.unsavedChanges {
            state.message = "Restored \(state.listEntryCount) annotation(s) from \(store.backupPath)" + report
        }
        self.backup = nil
    }

    /// Renames the backup the user declined to restore to `STORE.bak-<UTC time>`, so that
    /// later saves do not replace it, and says so in the status line.
    public mutating func keepBackupAside() {
        let stamp = Annotation.timestamp(Date()).replacingOccurrences(of: ":", with: "").replacingOccurrences(of: "-", with: "")
        let aside = store.backupPath + "-" + stamp
        if rename(store.backupPath, aside) == 0 {
            state.message = "Not restored; the backup is kept as \(aside)"
        } else {
            state.message = "Not restored; \(store.backupPath) could not be kept aside: \(String(cString: strerror(errno)))"
        }
        backup = nil
    }

    /// Writes the annotations to a new store at `path` (`~` expanded) when the store
    /// cannot be written. Never replaces an existing file.
    /// - Returns: the path written.
    /// - Throws: ``StoreError`` when a file exists at `path` or writing fails.
    public mutating func saveElsewhere(_ path: String) throws -> String {
        let target = NSString(string: path).expandingTildeInPath
        guard !FileManager.default.fileExists(atPath: target) else {
            throw StoreError(path: target, problem: "exists; Gloss never overwrites it")
        }
        try AnnotationStore(path: target).save(contentsToSave, of: state.document)
        state.unsavedChanges = false
        return target
    }

    /// A path in the home folder to offer when the store cannot be written at quit.
    public var suggestedRescuePath: String {
        let name = URL(fileURLWithPath: store.path).lastPathComponent
        let base = name.hasSuffix(".gloss.json") ? String(name.dropLast(".gloss.json".count)) : name
        return "~/" + base + ".unsaved.gloss.json"
    }

    /// Lets go of the store's lock.
    public mutating func release() {
        lock?.release()
        lock = nil
    }
}
