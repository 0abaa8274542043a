import ArgumentParser
import Foundation
import GlossCore
import GlossTerminal
import GlossUI

/// `gloss read [FILE]`: the two-pane reader and annotator.
struct Read: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Open a UTF-8 text file in the reader (the bundled sample article when no file is given).",
        version: GlossVersion.string)

    @Argument(help: ArgumentHelp("The text file to read and annotate.", valueName: "file"))
    var file: String?

    @OptionGroup var options: DocumentOptions

    func run() throws {
        let isSample = file == nil
        let path = try file ?? BundledResources.path(of: BundledResources.sampleName)
        let store = options.annotationStore(for: path, isSample: isSample)
        let document: Document
        let codebook: Codebook
        do {
            document = try Document(contentsOfFile: path)
            codebook = try options.loadCodebook()
            // nothing is done to the store for a run that cannot show the screen
            try Terminal.checkUsable()
        } catch let error as TerminalError {
            printError("\(error)")
            throw ExitCode.failure
        } catch {
            printError("gloss: \(error)")
            throw ExitCode.failure
        }
        var lock: StoreLock?
        var otherOwner: StoreLock.Owner?
        switch StoreLock.acquire(forStore: store.path) {
        case .acquired(let acquired): lock = acquired
        case .heldBy(let owner): otherOwner = owner
        case .unavailable: break  // the writable-folder check below reports it
        }
        defer { lock?.release() }
        let storeFolder = URL(fileURLWithPath: store.path).resolvingSymlinksInPath().deletingLastPathComponent().path
        let folderError: Int32? = access(storeFolder, W_OK) == 0 ? nil : errno
        let writable = otherOwner == nil && folderError == nil
        var notices: [String] = []
        var backup: StoreContents?
        var contents = StoreContents()
        do {
            // only the lock holder may rename a damaged store aside or migrate it
            switch try store.open(movingDamagedAside: writable) {
            case .absent: break
            case .opened(let opened):
                contents = opened
                if opened.version < AnnotationStore.currentVersion && writable {
                    contents = try store.save(opened, of: document, keepingDocumentRecord: true)
                    notices.append("store migrated from version \(opened.version) to \(AnnotationStore.currentVersion); the original is \(store.backupPath)")
                }
            case .damaged(let problem, let movedTo, let readableBackup):
                backup = readableBackup
                notices.append("\(store.path) was unreadable (\(problem)) and is now \(movedTo)")
            }
        } catch {
            printError("gloss: \(error)")
            throw ExitCode.failure
        }

        var state = AppState(document: document, codebook: codebook)
        let placement = place(contents, in: document)
        state.replaceContents(placement.contents)
        if placement.moved > 0 || placement.orphaned > 0 {
            var report = "\(document.fileName) changed: \(placement.moved) annotation(s) re-anchored"
            if placement.orphaned > 0 { report += ", \(placement.orphaned) orphaned (listed in the pane)" }
            // the store keeps the old hash until a change is saved after this report
            notices.insert(report, at: 0)
        }
        if !contents.quarantined.isEmpty {
            notices.append("\(contents.quarantined.count) invalid record(s) in the store kept as they are (listed in the pane)")
        }
        if let otherOwner {
            // a second writer would overwrite the first one's work
            state.readOnly = true
            state.readOnlyReason = "\(otherOwner) has \(document.fileName) open in gloss; quit there to write here"
            notices.insert("Read-only: \(otherOwner) has \(document.fileName) open in gloss; quit there to write here", at: 0)
        } else if !writable {
            // saving would fail on every change; say so before any work is done
            state.readOnly = true
            state.readOnlyReason = "cannot write annotations in \(storeFolder); use --store PATH"
            notices.insert("Read-only: cannot write annotations in \(storeFolder) (\(String(cString: strerror(folderError ?? EACCES)))); use --store PATH", at: 0)
        }
        if !notices.isEmpty {
            state.message = notices.joined(separator: "; ")
            state.messageIsError = state.readOnly || backup != nil || placement.orphaned > 0
        }
        if let backup, writable {
            state.ask(.restoreBackup(count: backup.annotations.count + backup.orphans.count),
                      question: "\(URL(fileURLWithPath: store.path).lastPathComponent) was unreadable and moved aside. Restore \(backup.annotations.count + backup.orphans.count) annotation(s) from its .bak?")
        }

        let terminal: Terminal
        do {
            terminal = try Terminal()
        } catch {
            printError("\(error)")
            throw ExitCode.failure
        }
        let size = terminal.size
        _ = state.update(.resize(width: size.width, height: size.height))
        var exitSignal: Int32?
        var farewell: String?
        loop: while true {
            terminal.draw(Renderer.render(state))
            guard let event = terminal.nextEvent() else { continue }
            let effects: [Effect]
            switch event {
            case .key(let key):
                effects = state.handle(key: key)
            case .resize(let width, let height):
                effects = state.update(.resize(width: width, height: height))
            case .paste(let text):
                effects = state.handle(paste: text)
            case .signal(let number):
                exitSignal = number
                break loop
            }
            for effect in effects {
                switch effect {
                case .save where !state.readOnly: save(&state, store: store)
                case .save: break
                case .quit:
                    if state.unsavedChanges && !state.readOnly { save(&state, store: store) }
                    guard state.unsavedChanges && !state.readOnly else { break loop }
                    // never drop changes on quit: ask where else to write them
                    state.askWhereToSave(suggestion: suggestedRescuePath(for: store), problem: state.message ?? "the store cannot be written")
                case .quitWithoutSaving:
                    break loop
                case .saveElsewhere(let answer):
                    let target = NSString(string: answer).expandingTildeInPath
                    if FileManager.default.fileExists(atPath: target) {
                        state.askWhereToSave(suggestion: answer, problem: "\(target) exists; Gloss never overwrites it")
                    } else {
                        do {
                            try AnnotationStore(path: target).save(state.contents, of: state.document)
                            state.unsavedChanges = false
                            farewell = "gloss: could not save to \(store.path); your annotations are in \(target) (open with --store \(target))"
                            break loop
                        } catch {
                            state.askWhereToSave(suggestion: answer, problem: "\(error)")
                        }
                    }
                case .restoreBackup:
                    if let backup {
                        state.replaceContents(place(backup, in: document).contents)
                        state.unsavedChanges = true
                        save(&state, store: store)
                        if !state.unsavedChanges { state.message = "Restored \(state.listEntryCount) annotation(s) from \(store.backupPath)" }
                    }
                case .keepBackupAside:
                    state.message = keepBackupAside(store)
                }
            }
        }
        if state.unsavedChanges && !state.readOnly { save(&state, store: store) }
        terminal.stop()
        if let farewell { printError(farewell) }
        if state.unsavedChanges {
            rescue(state, store: store)
            throw ExitCode.failure
        }
        if let exitSignal { throw ExitCode(128 + exitSignal) }
    }

    /// `contents` re-anchored in `document`: orphans are tried again, as the text may have
    /// been restored.
    private func place(_ contents: StoreContents, in document: Document) -> (contents: StoreContents, moved: Int, orphaned: Int) {
        let placement = Reanchoring.reanchor(contents.annotations + contents.orphans, in: document)
        var placed = contents
        placed.annotations = placement.anchored
        placed.orphans = placement.orphans
        let newOrphans = placement.orphans.filter { orphan in !contents.orphans.contains { $0.id == orphan.id } }.count
        return (placed, placement.moved, newOrphans)
    }

    private func save(_ state: inout AppState, store: AnnotationStore) {
        do {
            let before = state.contents
            let written = try store.save(before, of: state.document)
            state.unsavedChanges = false
            if written.annotations != before.annotations || written.orphans != before.orphans || written.quarantined != before.quarantined {
                state.replaceContents(written)
                state.message = "\(URL(fileURLWithPath: store.path).lastPathComponent) had changed on disk; merged its changes by annotation id"
                state.messageIsError = false
            }
        } catch {
            state.message = "Not saved: \(error) (kept in memory; the next change retries)"
            state.messageIsError = true
        }
    }

    /// A path in the home folder for the annotations when the store cannot be written.
    private func suggestedRescuePath(for store: AnnotationStore) -> String {
        let name = URL(fileURLWithPath: store.path).lastPathComponent
        let base = name.hasSuffix(".gloss.json") ? String(name.dropLast(".gloss.json".count)) : name
        return "~/" + base + ".unsaved.gloss.json"
    }

    /// Renames the backup the user declined to restore, so that later saves do not
    /// replace it; returns the message saying so.
    private func keepBackupAside(_ store: AnnotationStore) -> String {
        let stamp = Annotation.timestamp(Date()).replacingOccurrences(of: ":", with: "").replacingOccurrences(of: "-", with: "")
        let aside = store.backupPath + "-" + stamp
        guard rename(store.backupPath, aside) == 0 else {
            return "Not restored; \(store.backupPath) could not be kept aside: \(String(cString: strerror(errno)))"
        }
        return "Not restored; the backup is kept as \(aside)"
    }

    /// Last resort when the store cannot be written at exit: the annotations go to a file
    /// in the temporary folder, and the user is told where.
    private func rescue(_ state: AppState, store: AnnotationStore) {
        let path = NSTemporaryDirectory() + "gloss-rescue-\(getpid()).gloss.json"
        let rescueStore = AnnotationStore(path: path)
        do {
            try rescueStore.save(state.contents, of: state.document)
            printError("gloss: could not save to \(store.path); your annotations are in \(path)")
        } catch {
            printError("gloss: could not save to \(store.path) nor to \(path): \(error)")
        }
    }
}
