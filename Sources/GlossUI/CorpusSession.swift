import Foundation
import GlossCore

/// A corpus open in the reader (`gloss DIR`, or several files): the document list, the
/// document open in it (a ``Session``, opened as a single document opens), the corpus-wide
/// annotation list, statuses and positions (``CorpusStatusFile``), and the values of every
/// store for completion. A single document is a session without a list (``isCorpus``
/// false): keys and effects pass straight through to it.
///
/// The list reads only stores, never a document's text (titles come from the first few
/// kilobytes of the files on screen), on a background thread that ``startBackgroundWork()``
/// starts after the first frame; ``poll()`` takes in what it read.
public struct CorpusSession {
    /// What the screen shows.
    public enum View: Hashable, Sendable {
        /// The document list.
        case documents
        /// The open document, in the reader.
        case reader
        /// Every annotation of every document.
        case annotations
    }

    /// Opens the session of the document at a path for a terminal of a size (columns,
    /// rows): the shell's way of finding its codebook and store.
    public typealias Opener = (_ path: String, _ width: Int, _ height: Int) throws -> Session

    /// What an ``Opener`` throws when the user stopped the opening (Esc while a program
    /// converts the document): the document or list they came from stays as it was, and
    /// the document is not marked as one that cannot be opened.
    public struct OpeningStopped: Error, CustomStringConvertible {
        /// Why, naming the file (`report.pdf: pdftotext was stopped before it finished`).
        public let description: String
        /// The reason given.
        public init(_ description: String) { self.description = description }
    }

    /// Finds the codebook of each document at the paths given (one result per path, in
    /// their order), as `gloss stats` finds them: the summary pane counts with these. It
    /// runs on a background thread.
    public typealias CodebookFinder = @Sendable (_ paths: [String]) -> [Result<Codebook, Error>]

    /// The documents.
    public let documents: DocumentList
    /// The store of a document, by its path: `FILE.gloss.json`, or a coder's
    /// `FILE.gloss.NAME.json` with `--coder`; the list's counts, the corpus-wide list and
    /// completion read these.
    let storePath: @Sendable (String) -> String
    /// False for a single document opened as today (no list, no statuses file).
    public let isCorpus: Bool
    /// The open document's session, nil before one is opened.
    public var session: Session?
    /// The index of the open document in ``documents``.
    public internal(set) var openIndex: Int?
    /// What the screen shows.
    public internal(set) var view: View
    /// The highlighted row of the document list.
    public internal(set) var cursor = 0
    /// The first row the document list shows.
    public internal(set) var listTop = 0
    /// What each document's store holds, by index; nil until read.
    public internal(set) var summaries: [StoreSummary?]
    /// Why a document could not be opened, by index.
    public internal(set) var failures: [Int: String] = [:]
    /// Statuses and positions, as read and changed in this session.
    public internal(set) var statuses: CorpusStatusFile
    /// Tag values used in the corpus's stores, by category id, in first-use order.
    public internal(set) var corpusValues: [String: [String]] = [:]
    /// The annotations of each document's store, by index (read by the scan, or taken
    /// from the session when the document is left).
    var annotationsByDocument: [[CorpusAnnotation]]
    /// The corpus-wide list's filter; nil lists every annotation.
    public internal(set) var annotationFilter: AnnotationFilter?
    /// The highlighted row of the corpus-wide annotation list.
    public internal(set) var annotationCursor = 0
    /// The prompt of the lists while one is open: the corpus-wide list's filter, or the
    /// `:` command line.
    public internal(set) var listPrompt: Prompt?
    /// True while the help overlay is over a list.
    public internal(set) var showingHelp = false
    /// The help overlay's scroll and search over a list.
    public internal(set) var help = HelpPane()
    /// The lines run on the `:` command line in this run, in the lists and every
    /// document, oldest first.
    public internal(set) var commandHistory: [String] = []
    /// A count typed before a motion of the lists, as in vim and less (`3j` moves three
    /// rows); nil when none is being typed.
    public internal(set) var pendingCount: Int?
    /// True when the last ``open(_:annotationID:)`` was stopped by the user
    /// (``OpeningStopped``).
    public internal(set) var openingStopped = false
    /// A message for the list's status line, cleared by the next key.
    public var message: String?
    /// True when ``message`` reports a failure.
    public var messageIsError = false
    /// The codebook of the corpus folder: the list's per-category counts and the filter.
    public let codebook: Codebook
    /// The keys of the lists.
    public internal(set) var keymap: Keymap
    /// Terminal size in cells.
    public internal(set) var screenWidth: Int
    /// Terminal size in cells.
    public internal(set) var screenHeight: Int
    /// The styles the lists are drawn with; setting it sets the open document's too, and
    /// documents opened later take it.
    public var theme = Theme.standard {
        didSet { session?.state.theme = theme }
    }
    /// True once every store has been read.
    public internal(set) var scanFinished = false
    /// True when the mouse is on (``AppState/mouseEnabled``), for the lists and every
    /// document opened; setting it sets the open document's too.
    public var mouseEnabled = false {
        didSet { if session?.state.mouseEnabled != mouseEnabled { session?.state.mouseEnabled = mouseEnabled } }
    }
    /// The path of `gloss.corpus.json`.
    public let statusesPath: String

    let opener: Opener?
    /// The documents' codebooks for the summary pane's counts.
    let findCodebooks: CodebookFinder
    /// How the summary pane reads the texts of documents other than the open one.
    var documentOpening: DocumentOpening = CorpusEntry.plainText
    /// How the list reads its titles when the user named the documents' encoding
    /// (`--encoding`); nil: as opening detects it (UTF-8, UTF-16 after its mark,
    /// Windows-1252).
    let titleDecoding: DocumentTitle.HeadDecoding?
    /// Counts for the summary pane, on a background thread.
    let summaryCounter = SummaryCounter()
    let scan = CorpusScan()
    let statusWriter = StatusWriter()
    var titles: [Int: String] = [:]
    /// Documents whose summary this session set from its own annotations; the scan's
    /// older reading of their store is not taken.
    var updatedInSession: Set<Int> = []
    var scanStarted = false
    var listedCache: [CorpusAnnotation]?

    /// A single document: its session, with no list; keys go straight to it.
    public init(single session: Session) {
        documents = DocumentList(root: FilePaths.folder(of: FilePaths.absolute(session.state.document.path)),
                                 relativePaths: [session.state.document.fileName])
        isCorpus = false
        self.session = session
        openIndex = 0
        view = .reader
        summaries = [nil]
        annotationsByDocument = [[]]
        statuses = CorpusStatusFile()
        codebook = session.state.codebook
        keymap = session.state.keymap
        screenWidth = session.state.screenWidth
        screenHeight = session.state.screenHeight
        statusesPath = ""
        storePath = AnnotationStore.defaultPath(forDocument:)
        opener = nil
        titleDecoding = nil
        // the one document is counted from memory, with its session's codebook
        let codebook = session.state.codebook
        findCodebooks = { paths in paths.map { _ in .success(codebook) } }
        scanStarted = true
    }

    /// A corpus of `documents`, showing the document list first; `open` opens a
    /// document's session when the user asks for it.
    /// - Parameters:
    ///   - codebook: the codebook of the corpus folder, for the list's counts and filter.
    ///   - width: terminal columns; `height`: rows.
    ///   - storePath: the store of a document, by its path.
    ///   - codebooks: each document's codebook for the summary's counts; nil gives every
    ///     document `codebook`.
    ///   - opening: how the summary's counts read documents other than the open one.
    ///   - titleDecoding: how titles are read when the user named the encoding (``titleDecoding``).
    /// - Throws: ``StoreError`` naming `gloss.corpus.json` when it exists but cannot be
    ///   read as one (it is left as it is).
    public init(documents: DocumentList, codebook: Codebook, width: Int = 80, height: Int = 24,
                storePath: @escaping @Sendable (String) -> String = AnnotationStore.defaultPath(forDocument:),
                codebooks: CodebookFinder? = nil, opening: @escaping DocumentOpening = CorpusEntry.plainText,
                titleDecoding: DocumentTitle.HeadDecoding? = nil, open: @escaping Opener) throws {
        self.documents = documents
        documentOpening = opening
        self.titleDecoding = titleDecoding
        self.storePath = storePath
        findCodebooks = codebooks ?? { paths in paths.map { _ in .success(codebook) } }
        isCorpus = true
        view = .documents
        summaries = Array(repeating: nil, count: documents.count)
        annotationsByDocument = Array(repeating: [], count: documents.count)
        statusesPath = CorpusStatusFile.path(inFolder: documents.root)
        statuses = try CorpusStatusFile.load(path: statusesPath)
        self.codebook = codebook
        keymap = Keymap(codebook: codebook, corpus: true)
        screenWidth = width
        screenHeight = height
        opener = open
        if documents.count == 0 {
            message = "No documents (.txt, .html, .htm, .md, .markdown, .pdf) in \(documents.root)"
        }
        if !documents.notListed.isEmpty {
            // the list is shorter than the folder: say what is missing and why
            message = (documents.count == 0 ? message.map { $0 + ". " } ?? "" : "")
                + "Not listed: " + documents.notListed.map { "\($0.path) (\($0.problem))" }.joined(separator: "; ")
            messageIsError = true
        }
        loadVisibleTitles()
    }

    // MARK: - Documents

    /// The record of document `index` in the statuses file (an empty one when it has none).
    public func record(_ index: Int) -> CorpusRecord {
        statuses.records[documents.relativePaths[index]] ?? CorpusRecord()
    }

    /// The status of document `index` (todo when none was set).
    public func status(_ index: Int) -> DocumentStatus { record(index).status ?? .todo }

    /// What the list shows of document `index`'s store: for the open document its
    /// annotations as they are now, for the others what the scan (or the session that
    /// left them) found; nil while not read yet.
    public func summary(_ index: Int) -> StoreSummary? {
        if index == openIndex, let session, session.foreignStoreDocument == nil {
            var tags: [String: Int] = [:]
            for annotation in session.state.annotations + session.state.orphans {
                for tag in annotation.tags { tags[tag.category, default: 0] += 1 }
            }
            let count = session.state.annotations.count + session.state.orphans.count
            // opened, nothing tagged yet, and nothing saved: still no store
            if count == 0, !FileManager.default.fileExists(atPath: session.store.path) { return StoreSummary.none }
            return .counted(annotations: count, tags: tags)
        }
        return summaries[index]
    }

    /// The title of document `index` when it has been read (rows on screen are).
    public func title(_ index: Int) -> String? { titles[index] }

    /// Reads the titles of the rows the document list shows, once each.
    mutating func loadVisibleTitles() {
        guard isCorpus, documents.count > 0 else { return }
        let rows = max(1, listRows)
        for index in listTop..<min(documents.count, listTop + rows) where titles[index] == nil {
            do {
                titles[index] = try DocumentTitle.readOrFail(path: documents.path(index), decoding: titleDecoding) ?? ""
            } catch {
                // an unreadable file is not an empty one: marked as opening it would mark it
                titles[index] = ""
                failures[index] = "\(error)"
            }
        }
    }

    /// Rows of the document list (and of the annotation list) below their headings.
    var listRows: Int { max(0, screenHeight - 3) }

    /// Starts what waits for the first frame: reading every store of the corpus, and the
    /// open document's own background work. Calling it again does nothing more.
    public mutating func startBackgroundWork() {
        if !scanStarted {
            scanStarted = true
            let paths = (0..<documents.count).map(documents.path)
            scan.start(storePaths: paths.map(storePath), documentPaths: paths)
        }
        session?.startBackgroundWork()
    }

    /// Takes in what happened in the background: the open session's saves and checks,
    /// the stores read, a statuses file that could not be written.
    /// - Returns: true when something changed.
    @discardableResult
    public mutating func poll() -> Bool {
        var changed = session?.poll() ?? false
        var valuesChanged = false
        for batch in scan.take() {
            changed = true
            for (index, summary) in batch.summaries where !updatedInSession.contains(index) {
                summaries[index] = summary
                annotationsByDocument[index] = []
            }
            for entry in batch.annotations where !updatedInSession.contains(entry.document) {
                annotationsByDocument[entry.document].append(entry)
                for tag in entry.annotation.tags where addValue(tag) { valuesChanged = true }
            }
            if batch.finished { scanFinished = true }
            listedCache = nil
        }
        if valuesChanged { session?.state.receive(.folderValues(corpusValues)) }
        if session?.state.summary == nil {
            // the pane was closed: a count still running is of no use
            summaryCounter.cancel()
        } else if let counts = summaryCounter.take() {
            session?.state.receive(.summaryCounted(counts))
            changed = true
        }
        let progress = workInProgress
        if session?.state.progress != progress {
            session?.state.progress = progress
            changed = true
        }
        if let failure = statusWriter.takeFailure() {
            message = "Statuses not saved: \(failure)"
            messageIsError = true
            if view == .reader { session?.state.message = message; session?.state.messageIsError = true }
            changed = true
        }
        return changed
    }

    /// The long work going on, as the reader's status line shows it: the open document's
    /// text still being indexed ("Indexing 43%"), the corpus's stores still being read
    /// ("Reading stores 120/900"), the summary's count ("Counting 120/900 documents", which
    /// Esc stops by closing the pane); nil when there is none.
    public var workInProgress: String? {
        var parts: [String] = []
        if let document = session?.state.document, !document.isFullyIndexed, document.byteCount > 0 {
            parts.append("Indexing \(min(99, document.indexedByteCount * 100 / document.byteCount))%")
        }
        if let searched = session?.reanchoringProgress {
            parts.append("Re-anchoring \(CorpusSession.grouped(searched.done))/\(CorpusSession.grouped(searched.total)) annotations")
        }
        if isCorpus, scanStarted, !scanFinished {
            parts.append("Reading stores \(summaries.lazy.filter { $0 != nil }.count)/\(documents.count)")
        }
        if session?.state.summary.map({ $0.counts == nil }) == true, let counted = summaryCounter.progress, counted.total > 1 {
            parts.append("Counting \(counted.done)/\(counted.total) documents, Esc stops")
        }
        // joined by hand: the first `joined(separator:)` of a run looks its types up by
        // name, a scan of every conformance, and this runs before the first screen
        guard var text = parts.first else { return nil }
        for part in parts.dropFirst() { text += " · " + part }
        return text
    }

    /// `number` with a comma between each group of three digits (12,000), whatever the locale.
    public static func grouped(_ number: Int) -> String {
        var digits = String(abs(number))
        var groups: [Substring] = []
        while digits.count > 3 {
            groups.insert(digits.suffix(3), at: 0)
            digits.removeLast(3)
        }
        groups.insert(Substring(digits), at: 0)
        return (number < 0 ? "-" : "") + groups.joined(separator: ",")
    }

    /// Waits until every store has been read and takes the results in (tests, benchmark).
    /// - Returns: true when the reading finished within `timeout` seconds.
    @discardableResult
    public mutating func waitForScan(timeout: TimeInterval = 30) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while !scanFinished && Date() < deadline {
            poll()
            if !scanFinished { Thread.sleep(forTimeInterval: 0.005) }
        }
        return scanFinished
    }

    /// Adds `tag`'s value to the corpus's values; true when it was new.
    mutating func addValue(_ tag: Tag) -> Bool {
        guard !tag.value.isEmpty, !(corpusValues[tag.category]?.contains(tag.value) ?? false) else { return false }
        corpusValues[tag.category, default: []].append(tag.value)
        return true
    }

    /// Opens document `index` in the reader (after saving and closing the open one), where
    /// it was last left; at the annotation with `annotationID` when given. A document that
    /// cannot be opened is marked in the list and its error shown; the list stays.
    /// - Returns: true when the document is open.
    @discardableResult
    public mutating func open(_ index: Int, annotationID: String? = nil) -> Bool {
        guard isCorpus, index >= 0, index < documents.count, let opener else { return false }
        if index == openIndex, session != nil {
            view = .reader
            if let annotationID { show(annotationID) }
            return true
        }
        openingStopped = false
        let path = documents.path(index)
        do {
            // opened before the document open now is left, so that a stopped or failed
            // opening leaves the reader where it was
            var opened = try opener(path, screenWidth, screenHeight)
            guard leaveOpenDocument() else {
                opened.release()
                return false
            }
            opened.readsFolderValues = false
            opened.state.joinCorpus()
            opened.state.mouseEnabled = mouseEnabled
            opened.state.theme = theme
            _ = opened.state.handle(.resize(width: screenWidth, height: screenHeight))
            opened.state.receive(.folderValues(corpusValues))
            if let position = record(index).position { opened.state.moveFocus(toOffset: position) }
            if opened.state.message == nil {
                opened.state.message = "\(index + 1) of \(documents.count): \(documents.relativePaths[index]) (J next, K previous, D list)"
            }
            if let recorded = opened.foreignStoreDocument {
                // refused as gloss stats refuses it: the list counts none of its annotations
                summaries[index] = .unreadable(problem: "belongs to \(recorded)")
                annotationsByDocument[index] = []
                updatedInSession.insert(index)
                listedCache = nil
            }
            session = opened
            openIndex = index
            cursor = index
            failures[index] = nil
            view = .reader
            if let annotationID { show(annotationID) }
            return true
        } catch let stop as OpeningStopped {
            // nothing changes but the status line of what shows
            openingStopped = true
            let reason = stop.description.hasPrefix(path + ": ") ? String(stop.description.dropFirst(path.count + 2)) : stop.description
            report("Not opened: " + ControlPictures.visible(documents.relativePaths[index] + ": " + reason, showingBidiControls: true), isError: false)
            return false
        } catch {
            let problem = ControlPictures.visible("\(error)", showingBidiControls: true)
            // the row names the file already: the reason comes first there
            let path = ControlPictures.visible(documents.path(index), showingBidiControls: true)
            failures[index] = problem.hasPrefix(path + ": ") ? String(problem.dropFirst(path.count + 2)) : problem
            message = "Cannot open \(documents.relativePaths[index]): \(problem)"
            messageIsError = true
            cursor = index
            scrollList()
            // J and K keep reading the document still open; Enter's list shows the row marked
            if view != .reader || session == nil { view = .documents }
            return false
        }
    }

    /// Shows the annotation with `id` in the open document, or says it is not placed.
    mutating func show(_ id: String) {
        guard var current = session else { return }
        if let annotation = current.state.annotation(id: id) {
            current.state.show(annotation)
        } else if current.state.orphans.contains(where: { $0.id == id }) {
            let reason = current.state.orphans.first { $0.id == id }.flatMap { Reanchoring.orphanReason(of: $0, in: current.state.document) }
            current.state.message = "That annotation is orphaned: \(reason.map(\.description) ?? "no place of its own was found for it") (listed in the pane)"
        }
        session = current
    }

    /// Saves the open document as quitting does, remembers where it was left, counts its
    /// annotations for the list and releases its store's lock. When its annotations
    /// cannot be saved it stays open and the status line says so.
    /// - Returns: true when no document is open any more.
    public mutating func leaveOpenDocument() -> Bool {
        guard var current = session, let index = openIndex else { return true }
        current.flush()
        if current.state.unsavedChanges {
            let problem = current.lastSaveError?.problem ?? "the store cannot be written"
            current.state.message = "Still here: \(current.store.path) could not be saved (\(problem)); fix it, or q asks where to save"
            current.state.messageIsError = true
            session = current
            return false
        }
        rememberPosition(of: current, index: index)
        takeAnnotations(of: current, index: index)
        current.release()
        session = nil
        openIndex = nil
        return true
    }

    /// Records where `session` (document `index`) is, for the next visit and the next run.
    mutating func rememberPosition(of session: Session, index: Int) {
        var record = self.record(index)
        guard let offset = session.state.focusOffset, record.position != offset else { return }
        record.position = offset
        setRecord(record, index: index)
    }

    /// Takes the counts and values of `session`'s annotations (document `index`) from
    /// memory, newer than the scan's reading of its store.
    mutating func takeAnnotations(of session: Session, index: Int) {
        let contents = session.contentsToSave
        var tags: [String: Int] = [:]
        var entries: [CorpusAnnotation] = []
        for (list, orphaned) in [(contents.annotations, false), (contents.orphans, true)] {
            for annotation in list {
                for tag in annotation.tags {
                    tags[tag.category, default: 0] += 1
                    _ = addValue(tag)
                }
                var kept = annotation
                if kept.quote.count > CorpusAnnotation.quoteLength { kept.quote = String(kept.quote.prefix(CorpusAnnotation.quoteLength)) }
                entries.append(CorpusAnnotation(document: index, annotation: kept, orphaned: orphaned))
            }
        }
        if session.foreignStoreDocument == nil {
            // a document visited and left without an annotation has still no store: "-"
            let noStore = entries.isEmpty && !FileManager.default.fileExists(atPath: session.store.path)
            summaries[index] = noStore ? StoreSummary.none : .counted(annotations: entries.count, tags: tags)
            annotationsByDocument[index] = entries
            updatedInSession.insert(index)
            listedCache = nil
        }
    }

    /// Changes the record of document `index` and hands the change to the writer.
    mutating func setRecord(_ record: CorpusRecord, index: Int) {
        let name = documents.relativePaths[index]
        let before = statuses.records[name] ?? CorpusRecord()
        statuses.records[name] = record
        // only what changed is written, over the file as it is on disk then
        var change = CorpusRecord()
        if record.status != before.status { change.status = record.status }
        if record.position != before.position { change.position = record.position }
        guard !change.isEmpty else { return }
        statusWriter.submit([name: change], to: statusesPath)
    }

    /// Sets the status of document `index`.
    public mutating func setStatus(_ status: DocumentStatus, of index: Int) {
        guard isCorpus, index >= 0, index < documents.count else { return }
        var record = self.record(index)
        record.status = status
        setRecord(record, index: index)
    }

    /// For quitting: remembers the open document's position and writes the statuses file
    /// now, waiting for the writer. The open session is not flushed (the shell does that).
    /// - Returns: the problem when the statuses file could not be written.
    @discardableResult
    public mutating func finish() -> String? {
        guard isCorpus else { return nil }
        if let current = session, let index = openIndex { rememberPosition(of: current, index: index) }
        // a write that failed earlier is tried once more
        statusWriter.submit([:], to: statusesPath)
        statusWriter.waitUntilIdle()
        return statusWriter.takeFailure()
    }

    // MARK: - Keys

    /// The mode the lists' keys are looked up in.
    var listMode: CorpusList { view == .annotations ? .annotations : .documents }

    /// Handles a key: in the reader the open session's state takes it and the corpus
    /// carries out the corpus commands it gives (``Effect/corpus(_:)``); in a list the
    /// ``keymap`` turns it into an action.
    /// - Returns: the effects for the shell (saving, quitting), as ``AppState/handle(key:)``.
    public mutating func handle(key: Key) -> [Effect] {
        if view == .reader, session != nil {
            defer { mouseEnabled = session?.state.mouseEnabled ?? mouseEnabled }
            // one history for the whole corpus
            session!.state.commandHistory = commandHistory
            let effects = carryOut(session!.state.handle(key: key))
            if let history = session?.state.commandHistory { commandHistory = history }
            return effects
        }
        message = nil
        messageIsError = false
        if showingHelp {
            if !help.handle(key, rows: keymap.groupedHelpRows, width: screenWidth, height: screenHeight) { showingHelp = false }
            return []
        }
        if listPrompt != nil { return editListPrompt(key) }
        if PaneGeometry(width: screenWidth, height: screenHeight).tooSmall {
            return keymap.action(for: key, in: listMode) == .quit ? [.quit] : []
        }
        // a count before a motion repeats it, as in the reader: 3j, 2 Ctrl-F
        if let counted = key.addingToCount(pendingCount, bound: keymap.action(for: key, in: listMode) != nil) {
            pendingCount = counted
            return []
        }
        let count = pendingCount ?? 1
        pendingCount = nil
        guard let action = keymap.action(for: key, in: listMode) else {
            if case .character(let character) = key, !character.isWhitespace {
                message = "\(key.label) does nothing here; ? lists the keys"
            }
            return []
        }
        switch action {
        case .listDown, .listUp, .pageDown, .pageUp:
            moveCursor(action, times: count)
            return []
        default:
            return perform(action)
        }
    }

    /// Handles what the terminal reports: a key, pasted text (taken only by the reader's
    /// prompts and editor, and the filter prompt), or a new size.
    public mutating func handle(_ event: InputEvent) -> [Effect] {
        switch event {
        case .key(let key): return handle(key: key)
        case .paste(let text):
            if view == .reader, session != nil { return carryOut(session!.state.handle(paste: text)) }
            if var prompt = listPrompt {
                let pasted = text.filter { !$0.isNewline && !$0.unicodeScalars.contains(where: DisplayWidth.isControl) }
                var characters = Array(prompt.text)
                characters.insert(contentsOf: pasted, at: min(prompt.cursor, characters.count))
                prompt.setText(characters, cursor: prompt.cursor + pasted.count)
                prompt.typed = prompt.text
                prompt.completionIndex = nil
                if prompt.purpose == .command { updateCommandCompletion(&prompt) }
                listPrompt = prompt
            }
            return []
        case .resize(let width, let height):
            screenWidth = max(0, width)
            screenHeight = max(0, height)
            scrollList()
            return carryOut(session?.state.handle(event) ?? [])
        case .mouse(let mouse):
            if view == .reader, session != nil { return carryOut(session!.state.handle(mouse: mouse)) }
            return handle(listMouse: mouse)
        }
    }

    /// A mouse report over the document list or the corpus-wide annotation list: a press
    /// on a row highlights it, a press on the highlighted row opens it (as Enter), the
    /// wheel moves the highlight. The headings and the status line take no clicks.
    mutating func handle(listMouse mouse: MouseEvent) -> [Effect] {
        guard !showingHelp, listPrompt == nil, !PaneGeometry(width: screenWidth, height: screenHeight).tooSmall else { return [] }
        switch mouse.kind {
        case .wheelUp, .wheelDown:
            message = nil
            moveCursor(mouse.kind == .wheelDown ? .listDown : .listUp)
        case .press:
            // rows 0 and 1 are the headings; the last row is the status line
            let slot = mouse.row - 2
            guard slot >= 0, slot < listRows else { return [] }
            message = nil
            let index: Int
            if view == .annotations {
                let count = listedAnnotations.count
                let cursor = min(annotationCursor, count - 1)
                index = (cursor < listRows ? 0 : cursor - listRows + 1) + slot
                guard index < count else { return [] }
                if index == annotationCursor { return perform(.openDocument) }
                annotationCursor = index
            } else {
                index = listTop + slot
                guard index < documents.count else { return [] }
                if index == cursor { return perform(.openDocument) }
                cursor = index
                scrollList()
            }
        case .drag, .release:
            break
        }
        return []
    }

    /// Carries out the corpus commands and the summary's count among `effects`; returns
    /// the others.
    mutating func carryOut(_ effects: [Effect]) -> [Effect] {
        var rest: [Effect] = []
        for effect in effects {
            switch effect {
            case .corpus(let action): rest += perform(action)
            case .countSummary: startSummaryCount()
            default: rest.append(effect)
            }
        }
        return rest
    }

    // MARK: - Summary

    /// Starts counting for the summary pane, on a background thread, as `gloss stats`
    /// counts: in a corpus every document, the open one as it is in memory (saved or not)
    /// and the others from their stores; a single document from memory. ``poll()`` hands
    /// the counts to the pane.
    mutating func startSummaryCount() {
        guard let session, let openIndex else { return }
        let (documents, isCorpus, storePath, findCodebooks, opening) = (self.documents, self.isCorpus, self.storePath, self.findCodebooks, self.documentOpening)
        let openStore = session.store.path
        let (document, contents, codebook) = (session.state.document, session.contentsToSave, session.state.codebook)
        // a store of another document, open read-only, is read from its file and refused there, as gloss stats refuses it
        let foreign = session.foreignStoreDocument != nil
        summaryCounter.start(documents: isCorpus ? documents.count : 1) { isCancelled in
            let paths = (0..<documents.count).map(documents.path)
            let corpusDocuments = isCorpus ? paths.map { CorpusDocument(path: $0, storePath: storePath($0)) }
                : [CorpusDocument(path: paths[openIndex], storePath: openStore)]
            // as gloss stats, a document with no store and nothing to save in one is not counted
            let nothing = contents.annotations.isEmpty && contents.orphans.isEmpty && !FileManager.default.fileExists(atPath: openStore)
            let open = CorpusEntry(name: corpusDocuments[openIndex].path, document: document, contents: contents, codebook: codebook)
            var counts = SummaryCounts.count(corpusDocuments, codebooks: findCodebooks(paths), open: nothing || foreign ? nil : open, openIndex: openIndex,
                                             opening: opening, isCancelled: isCancelled)
            // gloss stats names what it could not list: so does the pane
            if isCorpus { counts.failures = documents.notListed.map { "\($0.path): \($0.problem)" } + counts.failures }
            return counts
        }
    }

    /// Waits until the summary pane's counts have arrived and takes them in (tests).
    /// - Returns: true when they arrived within `timeout` seconds.
    @discardableResult
    public mutating func waitForSummary(timeout: TimeInterval = 30) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while session?.state.summary.map({ $0.counts == nil }) == true && Date() < deadline {
            poll()
            if session?.state.summary?.counts == nil { Thread.sleep(forTimeInterval: 0.005) }
        }
        return session?.state.summary?.counts != nil
    }

    /// Carries out a list or corpus command.
    mutating func perform(_ action: Action) -> [Effect] {
        switch action {
        case .listDown, .listUp, .pageDown, .pageUp, .documentStart, .documentEnd: moveCursor(action)
        case .openDocument:
            if view == .annotations {
                let listed = listedAnnotations
                guard annotationCursor < listed.count else { return [] }
                let entry = listed[annotationCursor]
                open(entry.document, annotationID: entry.annotation.id)
            } else if documents.count > 0 {
                open(cursor)
            }
        case .setStatus:
            guard documents.count > 0 else { return [] }
            let next = status(cursor).next
            setStatus(next, of: cursor)
            message = "\(documents.relativePaths[cursor]): \(next.rawValue)"
        case .corpusAnnotations:
            // the open document's annotations as they are now, not as its store was read
            if let current = session, let index = openIndex { takeAnnotations(of: current, index: index) }
            view = .annotations
            annotationCursor = min(annotationCursor, max(0, listedAnnotations.count - 1))
            if !scanFinished { message = "Reading the stores… the list grows as they are read" }
        case .documentList, .cancel:
            switch view {
            case .reader:
                view = .documents
                if let openIndex { cursor = openIndex }
                scrollList()
            case .annotations:
                view = .documents
            case .documents:
                if session != nil { view = .reader } else if action == .documentList {
                    message = "No document open yet: Enter opens the highlighted one"
                }
            }
        case .nextDocument, .previousDocument:
            let step = action == .nextDocument ? 1 : -1
            // from the open document, else (one could not be opened) from the list's row
            let from = openIndex ?? cursor
            var target = from + step
            guard target >= 0, target < documents.count else {
                let edge = step > 0 ? "The last document of the corpus (D shows the list)" : "The first document of the corpus (D shows the list)"
                if session != nil { session?.state.message = edge } else { message = edge }
                return []
            }
            // a document that cannot be opened is passed over, named, so J keeps reading on
            var skipped: [String] = []
            while !open(target) {
                // stopped by the user (Esc): J is called off, not carried to the next one
                if openingStopped { return [] }
                skipped.append(documents.relativePaths[target])
                target += step
                guard target >= 0, target < documents.count else { break }
            }
            if !skipped.isEmpty {
                report("Passed over \(skipped.count) document(s) that cannot be opened: " + skipped.map { ControlPictures.visible($0) }.joined(separator: ", "),
                       isError: true)
            }
        case .filter: openFilterPrompt()
        case .clearFilter:
            annotationFilter = nil
            listedCache = nil
            annotationCursor = 0
            message = "No filter"
        case .showHelp:
            help = HelpPane()
            showingHelp = true
        case .commandLine: openCommandLine()
        case .quit: return [.quit]
        case .toggleMouse:
            mouseEnabled.toggle()
            message = mouseEnabled ? "Mouse on" : "Mouse off"
        default: break
        }
        return []
    }

    /// Moves the highlight of the list shown by a row, a page (the rows on screen) or to
    /// an end, as `action` says (``ListMotion``).
    mutating func moveCursor(_ action: Action, times: Int = 1) {
        let page = max(1, listRows)
        func moved(_ from: Int, rows: Int) -> Int {
            var row = from
            for _ in 0..<max(1, times) {
                guard let next = ListMotion.target(of: action, from: row, count: rows, page: page), next != row else { break }
                row = next
            }
            return row
        }
        if view == .annotations {
            annotationCursor = moved(annotationCursor, rows: listedAnnotations.count)
        } else {
            cursor = moved(cursor, rows: documents.count)
            scrollList()
        }
    }

    /// Scrolls the document list so that the highlighted row shows, and reads the titles
    /// of the rows that do.
    mutating func scrollList() {
        guard isCorpus else { return }
        let rows = max(1, listRows)
        if cursor < listTop { listTop = cursor }
        if cursor >= listTop + rows { listTop = cursor - rows + 1 }
        listTop = max(0, min(listTop, max(0, documents.count - rows)))
        loadVisibleTitles()
    }

    // MARK: - Corpus-wide annotations

    /// The annotations the corpus-wide list shows: every document's, in list order, that
    /// pass the filter.
    public var listedAnnotations: [CorpusAnnotation] {
        mutating get {
            if let listedCache { return listedCache }
            let all = annotationsByDocument.joined()
            let listed = annotationFilter.map { filter in all.filter { filter.matches($0.annotation) } } ?? Array(all)
            listedCache = listed
            return listed
        }
    }

    /// The list as it was last computed, for drawing (``listedAnnotations`` computes it).
    var shownAnnotations: [CorpusAnnotation] {
        listedCache ?? Array(annotationsByDocument.joined())
    }

    /// What the corpus-wide list's filter completes to: category ids and
    /// `category=value`, from the codebook and the corpus's stores.
    var filterChoices: [String] {
        var choices: [String] = []
        for category in codebook.categories {
            choices.append(category.id)
            var seen = Set<String>()
            for value in category.allValues.map(\.value) + (corpusValues[category.id] ?? []) where seen.insert(value).inserted {
                choices.append(category.id + "=" + value)
            }
        }
        return choices
    }

    mutating func openFilterPrompt() {
        let current = annotationFilter?.description ?? ""
        listPrompt = Prompt(purpose: .filter, label: "Filter all (category, category=value, or words of notes): ", text: current,
                            cursor: current.count, choices: filterChoices, aliases: [:], completionIndex: nil, typed: current)
    }

    /// Sets the corpus-wide list's filter from `text` (empty clears it) and says how many
    /// annotations pass it.
    mutating func applyAnnotationFilter(_ text: String) {
        let used = Set(annotationsByDocument.joined().flatMap { $0.annotation.tags.map(\.category) })
        annotationFilter = AnnotationFilter.parse(text, codebook: codebook, usedCategories: used)
        listedCache = nil
        annotationCursor = 0
        let count = listedAnnotations.count
        message = annotationFilter.map { "Filter \($0.description): \(count) annotation(s) (F clears)" } ?? "No filter"
    }

    /// Edits the lists' prompt with `key`, as the reader's prompts are edited
    /// (``LineEditing``); Enter filters or runs the command line.
    mutating func editListPrompt(_ key: Key) -> [Effect] {
        guard var prompt = listPrompt else { return [] }
        switch key {
        case .escape, .control("c"), .control("g"):
            listPrompt = nil
            message = "Cancelled"
            return []
        case .enter, .control("j"):
            listPrompt = nil
            if prompt.purpose == .command { return runCommandLine(prompt.text) }
            applyAnnotationFilter(prompt.text)
            return []
        case .tab, .backTab:
            guard prompt.cycleCompletion(forward: key == .tab) else { return [] }
        case .up, .down:
            guard prompt.purpose == .command, prompt.recall(from: commandHistory, older: key == .up) else { return [] }
            updateCommandCompletion(&prompt)
        default:
            if case .character(let character) = key, character.unicodeScalars.contains(where: DisplayWidth.isControl) { return [] }
            var characters = Array(prompt.text)
            var cursor = prompt.cursor
            guard LineEditing.apply(key, to: &characters, cursor: &cursor) != .ignored else { return [] }
            let edited = String(characters) != prompt.text
            prompt.setText(characters, cursor: cursor)
            if edited {
                prompt.typed = prompt.text
                prompt.completionIndex = nil
                if prompt.purpose == .command { updateCommandCompletion(&prompt) }
            }
        }
        listPrompt = prompt
        return []
    }
}

/// Writes changes of `gloss.corpus.json` on a background thread, one at a time, merging
/// them into the file as it is on disk; a failed write keeps its changes for the next.
final class StatusWriter: @unchecked Sendable {
    private let queue = DispatchQueue(label: "gloss.corpus-statuses")
    private let lock = NSLock()
    private var pending: [String: CorpusRecord] = [:]
    private var failure: String?

    /// Queues `changes` for the file at `path`; returns at once.
    func submit(_ changes: [String: CorpusRecord], to path: String) {
        lock.lock()
        pending.merge(changes) { old, new in old.applying(new) }
        lock.unlock()
        queue.async { [self] in
            lock.lock()
            let batch = pending
            pending = [:]
            lock.unlock()
            guard !batch.isEmpty else { return }
            do {
                try CorpusStatusFile.write(batch, to: path)
            } catch {
                lock.lock()
                // kept for the next write, unless a newer change replaced them
                pending.merge(batch) { newer, older in older.applying(newer) }
                failure = (error as? StoreError).map { "\($0)" } ?? "\(path): \(error)"
                lock.unlock()
            }
        }
    }

    /// Waits until every queued write is done.
    func waitUntilIdle() { queue.sync {} }

    /// The last failure since the last call.
    func takeFailure() -> String? {
        lock.lock()
        defer { lock.unlock() }
        let taken = failure
        failure = nil
        return taken
    }
}

/// Runs the summary pane's counts on a background thread. Only the count started last
/// counts: starting another, or cancelling, stops the one running after the document it
/// is reading and drops its result.
final class SummaryCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var generation = 0
    private var finished: SummaryCounts?
    private var running = false
    private var started = 0
    private var total = 0

    /// How far the count running is: documents started and documents to count; nil when
    /// no count is running.
    var progress: (done: Int, total: Int)? {
        lock.lock()
        defer { lock.unlock() }
        return running ? (min(started, total), total) : nil
    }

    /// Runs `work` on a new thread; `work` is given a question that turns true once its
    /// result is no longer wanted.
    /// `documents` is how many documents it counts, for ``progress``.
    func start(documents: Int = 0, _ work: @escaping @Sendable (_ isCancelled: @escaping @Sendable () -> Bool) -> SummaryCounts) {
        lock.lock()
        generation += 1
        finished = nil
        running = true
        started = 0
        total = documents
        let mine = generation
        lock.unlock()
        // the count asks before each document it reads: the askings tell how far it is
        let isCancelled: @Sendable () -> Bool = { [self] in
            lock.lock()
            defer { lock.unlock() }
            if generation == mine { started += 1 }
            return generation != mine
        }
        Thread.detachNewThread { [self] in
            let counts = work(isCancelled)
            lock.lock()
            if generation == mine {
                finished = counts
                running = false
            }
            lock.unlock()
        }
    }

    /// Stops the count running, if any, and drops a result not yet taken.
    func cancel() {
        lock.lock()
        generation += 1
        finished = nil
        running = false
        lock.unlock()
    }

    /// The counts of the last count started, once, when it has finished.
    func take() -> SummaryCounts? {
        lock.lock()
        defer { lock.unlock() }
        let taken = finished
        finished = nil
        return taken
    }
}
