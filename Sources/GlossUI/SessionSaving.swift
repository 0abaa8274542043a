import Foundation
import GlossCore
#if canImport(Glibc)
import Glibc
#endif

/// Saving a session's annotations: on the writer thread or now, taking in what finished in
/// the background, merging with changes made on disk, restoring a backup, and writing
/// elsewhere when the store cannot be written.
extension Session {
    /// Hands a snapshot of the state's annotations to the background writer, unless the
    /// session is read-only; ``poll()`` takes in the outcome. Returns at once.
    public mutating func saveInBackground() {
        guard canWrite else { return }
        // what was just changed was read from a file that is no longer what it showed
        if state.document.changedOnDisk {
            reportedDocumentChange = true
            canWrite = false
            state.receive(.documentChangedOnDisk(revertLast: true, earlierSaved: lastSaveError == nil))
            return
        }
        if refusesSavingUnreadStore() { return }
        generation += 1
        writer.submit(BackgroundWriter.Job(snapshot: contentsToSave, generation: generation, store: store, document: state.document,
                                           keepingDocumentRecord: isCheckingAnnotations))
    }

    /// Takes in what happened in the background since the last call: finished saves (an
    /// error goes to the status line; a merge with changes made on disk is applied to the
    /// annotations the user has not changed since), and a problem found in the text past
    /// its first megabyte. Call it from the event loop.
    /// - Returns: true when the state changed.
    @discardableResult
    public mutating func poll() -> Bool {
        var changed = false
        if let values = folderScan.take() {
            state.receive(.folderValues(values))
        }
        if let placed = verification.take() {
            changed = true
            if refusesSavingUnreadStore() { return true }
            // the invalid records of the store's unread part join the state's now
            let unreadInvalid = (try? unread?.rest())??.quarantined ?? []
            let waiting = (pending?.quarantined ?? []) + unreadInvalid.filter { $0.annotation != nil }
            let rescued = Set(waiting.compactMap(\.annotation?.id)).subtracting(placed.contents.quarantined.compactMap(\.annotation?.id))
            pending = nil
            unread = nil
            var merged = state.contents
            let invalidBefore = merged.quarantined.count
            // (a save that merged changes made on disk may have taken some in already)
            merged.quarantined += unreadInvalid.filter { !merged.quarantined.contains($0) }
            merged.annotations += placed.contents.annotations
            merged.orphans += placed.contents.orphans
            merged.quarantined.removeAll { $0.annotation.map { rescued.contains($0.id) } ?? false }
            // annotations whose offsets do not fit the text they were made on
            merged.quarantined += placed.contents.quarantined.filter { !waiting.contains($0) }
            merged = store.restoringExactRecords(merged)
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
                if Session.mergeChangedSomething(outcome.snapshot, written) {
                    applyMerge(from: outcome.snapshot, to: written)
                }
            case .failure(let error):
                lastSaveError = error as? StoreError ?? StoreError(path: store.path, problem: "\(error)")
                state.receive(.saveFailed(problem: "\(error)", background: true))
            }
        }
        if !reportedDocumentChange, state.document.changedOnDisk {
            reportedDocumentChange = true
            canWrite = false
            state.receive(.documentChangedOnDisk(revertLast: false))
            changed = true
        }
        // the index reached what G or a percentage showed ahead of it
        if state.settleProvisionalView() { changed = true }
        // a text changed on disk can show anything past the change (zeros, for one cut short)
        if !reportedDocumentProblem, !reportedDocumentChange, let problem = state.document.problem {
            reportedDocumentProblem = true
            state.receive(.textDamaged(problem: "\(problem)"))
            changed = true
        }
        return changed
    }

    /// True, after making the session read-only and saying why, when the store's part left
    /// unread for the first frame cannot be read: a save would drop its records.
    mutating func refusesSavingUnreadStore() -> Bool {
        guard let problem = unreadProblem else { return false }
        if canWrite {
            canWrite = false
            state.readOnly = true
            state.readOnlyReason = "\(store.path) could not be read past its start (\(problem)); nothing is saved"
            state.message = "Read-only: " + state.readOnlyReason
            state.messageIsError = true
        }
        return true
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
        var relations = Dictionary(state.contents.relations.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let relationsBefore = Dictionary(snapshot.relations.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let relationsAfter = Dictionary(written.relations.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        for id in Set(relationsBefore.keys).union(relationsAfter.keys) where relationsBefore[id] != relationsAfter[id] && relations[id] == relationsBefore[id] {
            relations[id] = relationsAfter[id]
        }
        merged.relations = relations.values.sorted(by: Relation.storeOrder)
        if state.contents.memo == snapshot.memo { merged.memo = written.memo }
        state.receive(.merged(contents: merged, changedIDs: Session.changedIDs(from: snapshot, to: written), storeName: storeName))
    }

    /// The store file's name, for messages.
    private var storeName: String { URL(fileURLWithPath: store.path).lastPathComponent }

    /// True when a save's merge with the file on disk wrote something other than what was
    /// handed to it.
    static func mergeChangedSomething(_ before: StoreContents, _ after: StoreContents) -> Bool {
        after.annotations != before.annotations || after.orphans != before.orphans || after.quarantined != before.quarantined
            || after.relations != before.relations || after.memo != before.memo
    }

    /// The ids of annotations (or orphans) and relations that differ between `before` and
    /// `after`.
    static func changedIDs(from before: StoreContents, to after: StoreContents) -> Set<String> {
        let relationsBefore = Set(before.relations), relationsAfter = Set(after.relations)
        let changedRelations = Set(relationsBefore.symmetricDifference(relationsAfter).map(\.id))
        let memo: Set<String> = before.memo == after.memo ? [] : [memoID]
        return changedRelations.union(changedAnnotationIDs(from: before, to: after)).union(memo)
    }

    /// The id ``changedIDs(from:to:)`` gives a changed document memo, which undo forgets
    /// like a changed annotation.
    static let memoID = "document memo"

    /// The ids of annotations (or orphans) that differ between `before` and `after`.
    static func changedAnnotationIDs(from before: StoreContents, to after: StoreContents) -> Set<String> {
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
        if refusesSavingUnreadStore() { return }
        do {
            let before = contentsToSave
            // while some annotations still carry offsets into the old text, the store keeps
            // saying which text that was
            let written = try store.save(before, of: state.document, keepingDocumentRecord: isCheckingAnnotations)
            state.receive(.saved(current: true))
            lastSaveError = nil
            if Session.mergeChangedSomething(before, written) {
                var shown = written
                if isCheckingAnnotations {
                    // annotations still being checked stay out of the text until they are
                    let rest = (try? unread?.rest()) ?? nil
                    let checked = (pending?.annotations ?? []) + (pending?.orphans ?? []) + (rest?.annotations ?? []) + (rest?.orphans ?? [])
                    let waiting = Set(checked.map(\.id))
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
        let target = CommandLineParser.expandingTilde(path)
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

    /// Writes the codebook file as ``Effect/writeCodebook(_:)`` asks, atomically, and
    /// tells the state how it went (``BackgroundResult/codebookWritten(path:created:)``
    /// or ``BackgroundResult/codebookNotWritten(path:problem:)``). A file in
    /// ``protectedCodebookPaths`` is never written.
    public mutating func writeCodebook(_ file: CodebookFile) {
        let target = URL(fileURLWithPath: file.path).standardizedFileURL.resolvingSymlinksInPath().path
        let protected = Set(protectedCodebookPaths.map { URL(fileURLWithPath: $0).standardizedFileURL.resolvingSymlinksInPath().path })
        guard !protected.contains(target) else {
            state.receive(.codebookNotWritten(path: file.path, problem: "it is the bundled codebook, which Gloss never changes"))
            return
        }
        do {
            try AtomicFile.write(file.data, to: file.path)
            state.receive(.codebookWritten(path: file.path, created: file.isBundledCopy))
        } catch {
            state.receive(.codebookNotWritten(path: file.path, problem: (error as? StoreError)?.problem ?? "\(error)"))
        }
    }

    /// Waits (at most `timeout` seconds) for the values of the folder's other stores and
    /// takes them in; for tests and tools without an event loop.
    /// - Returns: true when they arrived.
    @discardableResult
    public mutating func waitForFolderValues(timeout: TimeInterval = 10) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let values = folderScan.take() {
                state.receive(.folderValues(values))
                return true
            }
            Thread.sleep(forTimeInterval: 0.01)
        }
        return false
    }

    /// Lets go of the store's lock.
    public mutating func release() {
        lock?.release()
        lock = nil
    }
}
