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

    @Option(name: .long, help: ArgumentHelp("The author recorded on new annotations and relations (default: --coder's name, else $GLOSS_AUTHOR, else your login name).", valueName: "name"))
    var author: String?

    func validate() throws {
        try options.validate()
        if let author, author.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw ValidationError("--author: the name is empty")
        }
    }

    /// Who new annotations and relations are credited to: `--author`, else `--coder`,
    /// else ``Annotation/currentAuthor`` (`$GLOSS_AUTHOR`, else the login name).
    var effectiveAuthor: String { author ?? options.coder ?? Annotation.currentAuthor }

    func run() throws {
        // a write over `ulimit -f` or to a closed pipe fails like a full disk instead of
        // killing the process with its changes unsaved
        Terminal.ignoreWriteSignals()
        let debugCrash = DebugCrash.requested
        let isSample = file == nil
        let path = try file ?? BundledResources.path(of: BundledResources.sampleName)
        let store = options.annotationStore(for: path, isSample: isSample)
        let document: Document
        let codebook: Codebook
        let codebookFile: CodebookFile
        do {
            document = try Document(contentsOfFile: path)
            // the sample article lives in the installation: its codebook edits go beside its store
            let sampleFolder = isSample ? URL(fileURLWithPath: store.path).deletingLastPathComponent().path : nil
            (codebook, codebookFile) = try options.loadCodebookFile(forDocument: isSample ? nil : path, editsFolder: sampleFolder)
            // nothing is done to the store for a run that cannot show the screen
            try Terminal.checkUsable()
        } catch let error as TerminalError {
            printError("\(error)")
            throw ExitCode.failure
        } catch {
            printError("gloss: \(error)")
            throw ExitCode.failure
        }
        var session: Session
        do {
            session = try Session(document: document, codebook: codebook, codebookFile: codebookFile, store: store)
            session.protectedCodebookPaths = Set(BundledResources.candidateFolders().map { $0 + "/codebook.json" })
        } catch {
            printError("gloss: \(error)")
            throw ExitCode.failure
        }
        defer { session.release() }
        session.state.author = effectiveAuthor

        let terminal: Terminal
        do {
            terminal = try Terminal()
        } catch {
            printError("\(error)")
            throw ExitCode.failure
        }
        let size = terminal.size
        _ = session.state.handle(.resize(width: size.width, height: size.height))
        var exitSignal: Int32?
        var farewell: String?
        var indexing = false
        var rescued = false
        loop: while true {
            session.poll()
            terminal.draw(Renderer.render(session.state))
            if !indexing {
                // the rest of the text is indexed, hashed and checked once the first screen shows
                session.startBackgroundWork()
                indexing = true
                debugCrash?.fire()
            }
            // a running search goes on between keys, a slice at a time
            let searching = session.state.continueSearch(forSeconds: AppState.searchSlice)
            guard let event = terminal.nextEvent(waitingMilliseconds: searching ? 0 : 250) else { continue }
            let effects: [Effect]
            switch event {
            case .key(let key):
                effects = session.state.handle(key: key)
            case .resize(let width, let height):
                effects = session.state.handle(.resize(width: width, height: height))
            case .paste(let text):
                effects = session.state.handle(paste: text)
            case .signal(let number):
                exitSignal = number
                // a note being written is the analyst's work: it is kept, as typed so far
                if session.state.keepOpenNote().contains(.save) { session.saveInBackground() }
                break loop
            }
            for effect in effects {
                switch effect {
                case .save: session.saveInBackground()
                case .writeCodebook(let file): session.writeCodebook(file)
                case .quit:
                    session.flush()
                    guard session.state.unsavedChanges else { break loop }
                    // never drop changes on quit: ask where else to write them
                    session.state.askWhereToSave(suggestion: session.suggestedRescuePath,
                                                 problem: session.lastSaveError?.problem ?? "the store cannot be written")
                case .quitWithoutSaving:
                    // the rescue file is tried while the user can still go back
                    let rescuePath = Read.rescuePath
                    do {
                        let target = try session.saveElsewhere(rescuePath)
                        farewell = "gloss: could not save to \(store.path); your annotations are in \(target) (open them with --store \(target))"
                        rescued = true
                        break loop
                    } catch {
                        let problem = (error as? StoreError)?.problem ?? "\(error)"
                        // the question first: a narrow terminal cuts the end of the line
                        session.state.ask(.discardChanges, question: "Quit and lose the unsaved changes? Not even \(rescuePath) can be written: \(problem)")
                    }
                case .discardChanges:
                    break loop
                case .saveElsewhere(let answer):
                    do {
                        let target = try session.saveElsewhere(answer)
                        farewell = "gloss: could not save to \(store.path); your annotations are in \(target) (open them with --store \(target))"
                        break loop
                    } catch {
                        // the answer, shown after the reason, names the file
                        session.state.askWhereToSave(suggestion: answer, problem: (error as? StoreError)?.problem ?? "\(error)")
                    }
                case .restoreBackup: session.restoreBackup()
                case .keepBackupAside: session.keepBackupAside()
                }
            }
        }
        session.flush()
        terminal.stop()
        if let farewell { printError(farewell) }
        if session.state.unsavedChanges {
            rescue(session, store: store)
            throw ExitCode.failure
        }
        // the annotations are safe but not in the store: scripts are told as for a rescue
        if rescued || farewell != nil { throw ExitCode.failure }
        if let exitSignal { throw ExitCode(128 + exitSignal) }
    }

    /// A free name for a rescue file in the temporary folder, named after this process (a
    /// rescue file is never written over another).
    static var rescuePath: String {
        let base = NSTemporaryDirectory() + "gloss-rescue-\(getpid())"
        var path = base + ".gloss.json"
        var attempt = 1
        while FileManager.default.fileExists(atPath: path) {
            attempt += 1
            path = base + "-\(attempt).gloss.json"
        }
        return path
    }

    /// Last resort when the store cannot be written at exit: the annotations go to a file
    /// in the temporary folder, and the user is told where.
    private func rescue(_ session: Session, store: AnnotationStore) {
        let path = Read.rescuePath
        let rescueStore = AnnotationStore(path: path)
        do {
            try rescueStore.save(session.contentsToSave, of: session.state.document)
            printError("gloss: could not save to \(store.path); your annotations are in \(path)")
        } catch {
            printError("gloss: could not save to \(store.path) nor to \(path): \((error as? StoreError)?.problem ?? "\(error)")")
        }
    }
}
