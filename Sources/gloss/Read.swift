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
        let opened: OpenedDocument
        do {
            opened = try OpenedDocument(path: path, store: store, loadCodebook: { try options.loadCodebook() })
        } catch {
            printError("gloss: \(error)")
            throw ExitCode.failure
        }
        let (document, placement) = (opened.state.document, opened.placement)
        var state = opened.state
        let storeFolder = URL(fileURLWithPath: store.path).resolvingSymlinksInPath().deletingLastPathComponent().path
        var lock: StoreLock?
        var otherOwner: StoreLock.Owner?
        switch StoreLock.acquire(forStore: store.path) {
        case .acquired(let acquired): lock = acquired
        case .heldBy(let owner): otherOwner = owner
        case .unavailable: break  // the writable-folder check below reports it
        }
        defer { lock?.release() }
        if let otherOwner {
            // a second writer would overwrite the first one's work
            state.readOnly = true
            state.message = "Read-only: \(otherOwner) has \(document.fileName) open in gloss; quit there to write here"
            state.messageIsError = true
        } else if !placement.orphans.isEmpty {
            // writing now would drop or misplace them: read only until re-anchoring can keep orphans
            state.readOnly = true
            state.message = "\(document.fileName) changed: \(placement.orphans.count) annotation(s) no longer match the text; opened read-only, \(store.path) is left as it was"
            state.messageIsError = true
        } else if access(storeFolder, W_OK) != 0 {
            // saving would fail on every change; say so before any work is done
            state.readOnly = true
            state.message = "Read-only: cannot write annotations in \(storeFolder) (\(String(cString: strerror(errno)))); use --store PATH"
            state.messageIsError = true
        } else if placement.moved > 0 {
            state.message = "\(document.fileName) changed: \(placement.moved) annotation(s) re-anchored by their quotes; saved with the next change"
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
                case .quit: break loop
                }
            }
        }
        if state.unsavedChanges && !state.readOnly { save(&state, store: store) }
        terminal.stop()
        if state.unsavedChanges {
            rescue(state, store: store)
            throw ExitCode.failure
        }
        if let exitSignal { throw ExitCode(128 + exitSignal) }
    }

    private func save(_ state: inout AppState, store: AnnotationStore) {
        do {
            try store.save(state.annotations, of: state.document)
            state.unsavedChanges = false
        } catch {
            state.message = "Not saved: \(error) (kept in memory; the next change retries)"
            state.messageIsError = true
        }
    }

    /// Last resort when the store cannot be written at exit: the annotations go to a file
    /// in the temporary folder, and the user is told where.
    private func rescue(_ state: AppState, store: AnnotationStore) {
        let path = NSTemporaryDirectory() + "gloss-rescue-\(getpid()).gloss.json"
        let rescueStore = AnnotationStore(path: path)
        do {
            try rescueStore.save(state.annotations, of: state.document)
            printError("gloss: could not save to \(store.path); your annotations are in \(path)")
        } catch {
            printError("gloss: could not save to \(store.path) nor to \(path): \(error)")
        }
    }
}
