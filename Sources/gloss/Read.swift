import ArgumentParser
import Foundation
import GlossCore
import GlossImport
import GlossTerminal
import GlossUI

/// `gloss read [FILE]`: the two-pane reader and annotator; `gloss read DIR` (or several
/// files) opens a corpus with a document list.
struct Read: ParsableCommand {
    static let configuration = CommandConfiguration(
        // every command names itself: the parser's derived name costs a scan of all the
        // process's protocol conformances (String(describing:) of the type) at each start
        commandName: "read",
        abstract: "Open a document (text, HTML, Markdown or PDF) in the reader (the bundled sample article when no file is given), or a folder's documents (or several files) as a corpus with a document list.",
        version: GlossVersion.string)

    @Argument(help: ArgumentHelp("The document to read and annotate, or a folder (or several files) to open as a corpus.", valueName: "file"), completion: .file())
    var files: [String] = []

    // DocumentOptions' and EncodingOption's options, declared here instead of as option
    // groups: the argument parser reflects over each group's type again at every start
    @Option(name: .long, help: DocumentOptions.storeHelp, completion: .file())
    var store: String?

    @Option(name: .long, help: DocumentOptions.coderHelp)
    var coder: String?

    @Option(name: .long, help: DocumentOptions.codebookHelp, completion: .file())
    var codebook: String?

    @Option(name: .long, help: EncodingOption.help, completion: EncodingOption.completion, transform: EncodingOption.encoding(named:))
    var encoding: TextEncoding?

    /// `--store`, `--coder` and `--codebook` as the other commands hold them.
    var options: DocumentOptions {
        var options = DocumentOptions()
        options.store = store
        options.coder = coder
        options.codebook = codebook
        return options
    }

    @Option(name: .long, help: ArgumentHelp("The author recorded on new annotations and relations (default: --coder's name, else $GLOSS_AUTHOR, else the configuration file's author, else your login name).", valueName: "name"))
    var author: String?

    func validate() throws {
        try options.validate()
        // an empty path names nothing (a missing one is refused when the reader runs)
        if files.count > 1 { try checkCorpusArguments(files) } else { try refuseEmptyPaths(files, valueName: "<file>") }
        if let problem = Configuration.authorProblems(given: author, environment: ProcessEnvironment.variables).first {
            throw ValidationError(problem)
        }
    }

    /// Who new annotations and relations are credited to: `--author`, else `--coder`,
    /// else `$GLOSS_AUTHOR`, else the configuration file's `author`, else the login name.
    var effectiveAuthor: String { options.author(given: author) }

    @Flag(help: "Take the --store given for this document although it records another document (its annotations are placed by their quotes). One document only: refused with a folder or several files.")
    var relink = false

    @Flag(name: .customLong("hide-boilerplate"), help: "Hide the boilerplate at the ends of a web-scraped text (menus, share buttons, comment forms, cookie banners) instead of dimming it; it stays in the document and its annotations.")
    var hideBoilerplate = false

    func run() throws {
        // a write over `ulimit -f` or to a closed pipe fails like a full disk instead of
        // killing the process with its changes unsaved
        Terminal.ignoreWriteSignals()
        // the screen would hide the configuration file's problems: the status line shows
        // them, and standard error once the terminal is given back
        UserConfiguration.holdReports()
        defer { UserConfiguration.printReports() }
        var isDirectory: ObjCBool = false
        if files.count > 1 || (files.count == 1 && FileManager.default.fileExists(atPath: files[0], isDirectory: &isDirectory) && isDirectory.boolValue) {
            var corpus = try openCorpus()
            try read(&corpus, debugCrash: DebugCrash.requested)
            return
        }
        let debugCrash = DebugCrash.requested
        let file = files.first
        let isSample = file == nil
        let path = try file ?? BundledResources.path(of: BundledResources.sampleName)
        let store = options.annotationStore(for: path, isSample: isSample)
        if let given = options.store { try Read.checkGivenStore(given, document: path) }
        let opened: OpenedDocument
        let codebook: Codebook
        let codebookFile: CodebookFile
        // a pdftotext runs in a process group of its own, out of the terminal's Ctrl-C:
        // until the screen takes the signals over, gloss catches them and stops it
        Subprocess.beforeStarting = { Cancellation.install() }
        // a slow PDF is said to be converting, on the line the screen will take
        let notice = ConversionNotice()
        PDFImporter.whileConverting = { path in
            notice.line = ProgressBar.notice("gloss: converting \(path) with pdftotext… (Ctrl-C stops it)")
            TypedKeysHold.start()
        }
        do {
            defer {
                Subprocess.beforeStarting = nil
                Cancellation.handOver()
                PDFImporter.whileConverting = nil
                notice.line?.finish()
                TypedKeysHold.release()
            }
            // the sample article lives in the installation: its codebook edits go beside its store
            let sampleFolder = isSample ? FilePaths.folder(of: FilePaths.absolute(store.path)) : nil
            let options = self.options, encoding = self.encoding
            // the codebook (and the web boilerplate's phrases) are read on a second core while
            // the document opens; the document's errors come first, as before
            let loaded: Result<(codebook: Codebook, file: CodebookFile), Error>
            (opened, loaded) = try StartupWork.together({ try DocumentOpener.open(path, encoding: encoding) }) {
                Boilerplate.prepare()
                return Result { try options.loadCodebookFile(forDocument: isSample ? nil : path, editsFolder: sampleFolder) }
            }
            (codebook, codebookFile) = try loaded.get()
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
            session = try Session(document: opened.document, codebook: codebook, codebookFile: codebookFile, store: store,
                                  relink: relink, notices: opened.notices, reanchoringProgress: Read.reanchoringProgress())
            session.protectedCodebookPaths = Set(BundledResources.candidateFolders().map { $0 + "/codebook.json" })
        } catch {
            printError("gloss: \(error)")
            throw ExitCode.failure
        }
        session.state.author = effectiveAuthor
        UserConfiguration.add(session.state.configure(UserConfiguration.configuration))
        session.state.report(configurationProblems: UserConfiguration.problems)
        if hideBoilerplate { session.state.hideBoilerplate() }
        var corpus = CorpusSession(single: session)
        try read(&corpus, debugCrash: debugCrash)
    }

    /// Refuses a `--store` that names the document itself or an existing file that is no
    /// Gloss store (a first byte other than `{`, after blanks and a byte-order mark): the
    /// reader would take it for a damaged store and move it aside, and the next save would
    /// write JSON in its place. An empty file, a missing one and a JSON object go on to the
    /// store's own checks.
    /// - Throws: ``usageStatus`` for the document itself, `ExitCode.failure` for a file
    ///   that is not a store, after saying why.
    static func checkGivenStore(_ given: String, document: String) throws {
        if given.hasSuffix("/") {
            printError("gloss: --store \(given) names a folder; a store is a file (the default: \(document).gloss.json)")
            throw usageStatus
        }
        var storeInfo = stat()
        guard stat(given, &storeInfo) == 0 else { return }
        if FilePaths.isSameFile(given, document) {
            printError("gloss: --store \(given) is the document itself; a store is a file of its own (the default: \(document).gloss.json)")
            throw usageStatus
        }
        if storeInfo.st_mode & S_IFMT == S_IFREG, AnnotationStore.holdsNoJSONObject(given) {
            printError("gloss: --store \(given) is not a Gloss store (it holds no JSON object); it is left as it is; choose another --store")
            throw ExitCode.failure
        }
    }

    /// The corpus the arguments name: a folder's documents, or the files given.
    private func openCorpus() throws -> CorpusSession {
        if options.store != nil {
            printError("gloss: --store names the store of one document; a folder or several files use each document's FILE.gloss.json")
            throw ExitCode.failure
        }
        if relink {
            // taking every store that records another document, unseen, would move their
            // annotations onto the wrong texts: the reader names the one to open alone
            printError("gloss: --relink takes the store of one document; open that document alone: gloss FILE --relink")
            throw ExitCode.failure
        }
        // a path that names nothing is bad input, as for gloss export and stats: refused
        // before the screen opens, not listed as a document that cannot be opened
        for file in files where !FileManager.default.fileExists(atPath: file) {
            printError("gloss: \(FolderEntry.visible(Array(file.utf8))): no document or folder there")
            throw ExitCode.failure
        }
        do {
            let documents = files.count == 1 ? try DocumentList.listing(folder: files[0]) : DocumentList.files(files)
            let options = self.options
            let encoding = self.encoding
            let author = effectiveAuthor
            let hideBoilerplate = self.hideBoilerplate
            // the folder's codebook (or the nearest above it) labels the list's counts
            let (codebook, _) = try options.loadCodebookFile(forDocument: CorpusStatusFile.path(inFolder: documents.root), editsFolder: nil)
            try Terminal.checkUsable()
            let protected = Set(BundledResources.candidateFolders().map { $0 + "/codebook.json" })
            let codebookPath = options.codebook
            let configuration = UserConfiguration.configuration
            // the summary pane finds each document's codebook as gloss stats does, read afresh each time it counts
            let codebooks: CorpusSession.CodebookFinder = { paths in
                var found = DocumentOptions()
                found.codebook = codebookPath
                let cache = CodebookCache(options: found)
                return paths.map { path in Result { try cache.codebook(forDocument: path) } }
            }
            var corpus = try CorpusSession(documents: documents, codebook: codebook,
                                     storePath: { options.annotationStore(for: $0, isSample: false).path },
                                     codebooks: codebooks, opening: corpusOpening(encoding: encoding),
                                     titleDecoding: encoding.map(titleDecoding(in:))) { path, width, height in
                let opened: OpenedDocument
                do {
                    opened = try DocumentOpener.open(path, encoding: encoding)
                } catch let error as ImportError {
                    // Esc stopped pdftotext: the list or document the user came from stays
                    if case .stopped = error { throw CorpusSession.OpeningStopped("\(error)") }
                    throw error
                }
                let (codebook, codebookFile) = try options.loadCodebookFile(forDocument: path, editsFolder: nil)
                var session = try Session(document: opened.document, codebook: codebook, codebookFile: codebookFile,
                                          store: options.annotationStore(for: path, isSample: false),
                                          width: width, height: height, notices: opened.notices,
                                          relinkAdvice: "open it alone with \(options.relinkCommand(for: Read.shownPath(path))) to take it")
                session.protectedCodebookPaths = protected
                session.state.author = author
                // the keys were checked against the corpus's codebook when it opened
                session.state.configure(configuration)
                if hideBoilerplate { session.state.hideBoilerplate() }
                return session
            }
            UserConfiguration.add(corpus.rebindKeys(configuration.keys))
            corpus.report(configurationProblems: UserConfiguration.problems)
            return corpus
        } catch let error as TerminalError {
            printError("\(error)")
            throw ExitCode.failure
        } catch {
            printError("gloss: \(error)")
            throw ExitCode.failure
        }
    }

    /// The terminal loop over `corpus`: draws, reads keys, carries out the effects; the
    /// open document is saved before Gloss ends.
    private func read(_ corpus: inout CorpusSession, debugCrash: DebugCrash?) throws {
        defer { corpus.session?.release() }

        let terminal: Terminal
        let environment = ProcessEnvironment.variables
        do {
            // NO_COLOR (https://no-color.org): colour is not even started
            terminal = try Terminal(colors: !Theme.noColorRequested(in: environment))
        } catch {
            printError("\(error)")
            throw ExitCode.failure
        }
        // a signal that ends the reader (kill, a closed terminal), or Esc, Ctrl-C or Ctrl-G
        // typed, stops a pdftotext opening a document of the list at once, instead of when
        // it finishes or times out (the keys are read on the main thread only, which draws)
        nonisolated(unsafe) let keys = terminal
        Subprocess.shouldStop = { Terminal.pendingSignal != 0 || (Thread.isMainThread && keys.cancelTyped()) }
        let theme = Theme.effective(configured: UserConfiguration.configuration.theme, environment: environment, terminalColors: terminal.colorCount)
        // a document of the list that pdftotext is slow to convert is named on the status
        // line until it opens, or Esc stops it
        PDFImporter.whileConverting = { path in
            guard Thread.isMainThread, let frame = keys.lastFrame else { return }
            let name = path.split(separator: "/").last.map(String.init) ?? path
            let text = "Converting \(name) with pdftotext… (Esc stops it)"
            keys.draw(Renderer.notice(text, over: frame, theme: theme))
            // resized meanwhile: the notice alone, until the screen is drawn again
            keys.drawWhileWaiting = { width, height in Renderer.notice(text, over: ScreenBuffer(width: width, height: height), theme: theme) }
        }
        defer { PDFImporter.whileConverting = nil }
        terminal.apply(theme)
        corpus.theme = theme
        corpus.mouseEnabled = UserConfiguration.configuration.mouse
        let size = terminal.size
        _ = corpus.handle(.resize(width: size.width, height: size.height))
        var exitSignal: Int32?
        var farewell: String?
        var indexing = false
        var rescued = false
        let exports = CommandLineExports()
        var lastDrawn: UInt64 = 0
        loop: while true {
            corpus.poll()
            for outcome in exports.takeFinished() { corpus.report(outcome.message, isError: outcome.isError) }
            // the mouse key (or the configuration) turns reporting on and off
            terminal.mouseReporting = corpus.mouseEnabled
            // keys typed or pasted faster than a frame is drawn are taken first, as less and
            // vim do, with a frame at least every tenth of a second
            let now = DispatchTime.now().uptimeNanoseconds
            if !terminal.inputPending || now - lastDrawn > 100_000_000 {
                terminal.draw(Renderer.render(corpus))
                lastDrawn = now
            }
            // the rest of the text is indexed, hashed and checked once the first screen
            // shows, and a corpus's stores read; a document opened later starts its own
            corpus.startBackgroundWork()
            if !indexing {
                indexing = true
                debugCrash?.fire()
            }
            // a running search goes on between keys, a slice at a time
            let searching = corpus.view == .reader && corpus.session?.state.continueSearch(forSeconds: AppState.searchSlice) == true
            guard let event = terminal.nextEvent(waitingMilliseconds: searching ? 0 : 250) else { continue }
            if event == .suspend || event == .key(.control("z")) {
                // every change is saved as it is made; a save still being written finishes
                // before the process stops, so a shell that kills the job loses nothing
                corpus.session?.flush()
                if let size = terminal.suspend() {
                    _ = corpus.handle(.resize(width: size.width, height: size.height))
                    continue
                }
                // ended while stopped: what is pending is saved, without the screen
                exitSignal = Terminal.pendingSignal
                if corpus.session?.state.keepOpenNote().contains(.save) == true { corpus.session?.saveInBackground() }
                break loop
            }
            let effects: [Effect]
            switch event {
            case .key(let key):
                effects = corpus.handle(key: key)
            case .resize(let width, let height):
                effects = corpus.handle(.resize(width: width, height: height))
            case .paste(let text):
                effects = corpus.handle(.paste(text))
            case .mouse(let mouse):
                // a report still on its way when the mouse was turned off is dropped
                effects = corpus.mouseEnabled ? corpus.handle(.mouse(mouse)) : []
            case .suspend:
                continue
            case .signal(let number):
                exitSignal = number
                // a note being written is the analyst's work: it is kept, as typed so far
                if corpus.session?.state.keepOpenNote().contains(.save) == true { corpus.session?.saveInBackground() }
                break loop
            }
            // the command line's exports and options, from the text or a list
            for effect in effects {
                switch effect {
                case .export(let format, let path, let wholeCorpus, let replacing):
                    startExport(format: format, path: path, wholeCorpus: wholeCorpus, replacing: replacing, corpus: &corpus, exports: exports)
                case .setOption(let name, let value):
                    setOption(name, to: value, corpus: &corpus, terminal: terminal, environment: environment)
                default: break
                }
            }
            // the effects concern the document open now; without one only quitting is left
            guard corpus.session != nil else {
                if effects.contains(.quit) { break loop }
                continue
            }
            for effect in effects {
                let store = corpus.session!.store
                switch effect {
                case .save: corpus.session!.saveInBackground()
                case .writeCodebook(let file): corpus.session!.writeCodebook(file)
                case .quit:
                    corpus.session!.flush()
                    guard corpus.session!.state.unsavedChanges else { break loop }
                    // never drop changes on quit: ask where else to write them
                    corpus.session!.state.askWhereToSave(suggestion: corpus.session!.suggestedRescuePath,
                                                 problem: corpus.session!.lastSaveError?.problem ?? "the store cannot be written")
                case .quitWithoutSaving:
                    // the rescue file is tried while the user can still go back
                    let rescuePath = Read.rescuePath
                    do {
                        let target = try corpus.session!.saveElsewhere(rescuePath)
                        farewell = "gloss: could not save to \(store.path); your annotations are in \(target) (open them with --store \(target))"
                        rescued = true
                        break loop
                    } catch {
                        let problem = (error as? StoreError)?.problem ?? "\(error)"
                        // the question first: a narrow terminal cuts the end of the line
                        corpus.session!.state.ask(.discardChanges, question: "Quit and lose the unsaved changes? Not even \(rescuePath) can be written: \(problem)")
                    }
                case .discardChanges:
                    break loop
                case .corpus, .countSummary, .export, .setOption:
                    break  // carried out by the corpus, or above
                case .saveElsewhere(let answer):
                    do {
                        let target = try corpus.session!.saveElsewhere(answer)
                        farewell = "gloss: could not save to \(store.path); your annotations are in \(target) (open them with --store \(target))"
                        break loop
                    } catch {
                        // the answer, shown after the reason, names the file
                        corpus.session!.state.askWhereToSave(suggestion: answer, problem: (error as? StoreError)?.problem ?? "\(error)")
                    }
                case .restoreBackup: corpus.session!.restoreBackup()
                case .keepBackupAside: corpus.session!.keepBackupAside()
                }
            }
        }
        corpus.session?.flush()
        let statusProblem = corpus.finish()
        terminal.stop()
        // a pdftotext the document list's counts still run would outlive the reader
        Subprocess.stopRunning()
        if let farewell { printError(farewell) }
        if let statusProblem { printError("gloss: statuses and positions not saved: \(statusProblem)") }
        if let session = corpus.session, session.state.unsavedChanges {
            rescue(session, store: session.store)
            throw ExitCode.failure
        }
        // the annotations are safe but not in the store: scripts are told as for a rescue
        if rescued || farewell != nil { throw ExitCode.failure }
        if let exitSignal { throw ExitCode(128 + exitSignal) }
    }

    /// Where re-anchoring an edited text's annotations before the screen opens reports how
    /// far it has got: a line on standard error, rewritten in place every 100 annotations
    /// and erased at the end, when standard error is a terminal and there are 1,000 or
    /// more to search for (fewer take no noticeable time); nil otherwise.
    /// The line saying that pdftotext converts the document before the screen, once it
    /// is slow (``PDFImporter/whileConverting``); set and read on the thread that opens it.
    final class ConversionNotice: @unchecked Sendable {
        var line: ProgressBar?
    }

    static func reanchoringProgress() -> ReanchoringProgress? {
        guard isatty(STDERR_FILENO) == 1 else { return nil }
        return { searched, total in
            guard total >= 1_000, searched % 100 == 0 || searched == total else { return }
            let line = searched == total ? "\r\u{1B}[K"
                : "\rgloss: re-anchoring \(CorpusSession.grouped(searched))/\(CorpusSession.grouped(total)) annotations to the edited text…"
            StandardStreams.writeError(line)
        }
    }

    /// Carries out `:set mouse on|off` and `:set theme NAME` (the command line checked the
    /// values); `NO_COLOR` or a terminal without colours keeps the monochrome theme.
    private func setOption(_ name: String, to value: String, corpus: inout CorpusSession, terminal: Terminal,
                           environment: [String: String]) {
        switch name {
        case "mouse":
            corpus.mouseEnabled = ["on", "true", "yes", "1"].contains(value.lowercased())
            corpus.report(corpus.mouseEnabled ? "Mouse on" : "Mouse off", isError: false)
        case "theme":
            guard Theme.named(value) != nil else {
                corpus.report(":set theme: no theme \(value); the themes are \(Theme.names.joined(separator: ", "))", isError: true)
                return
            }
            let theme = Theme.effective(configured: value, environment: environment, terminalColors: terminal.colorCount)
            terminal.apply(theme)
            corpus.theme = theme
            corpus.report(theme == Theme.named(value) ? "Theme \(value)" : "Theme monochrome: NO_COLOR is set or the terminal has no colours",
                          isError: false)
        default:
            corpus.report(":set \(name): no such option", isError: true)
        }
    }

    /// `path` as the user would type it here: relative to the working folder when inside it.
    static func shownPath(_ path: String) -> String {
        let here = FileManager.default.currentDirectoryPath
        return path.hasPrefix(here + "/") ? String(path.dropFirst(here.count + 1)) : path
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
