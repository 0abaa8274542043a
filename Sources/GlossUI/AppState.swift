import Foundation
import GlossCore

/// Everything the reader shows and remembers: the pure model that actions change and
/// ``Renderer`` draws. Sizes are terminal cells; offsets are code points.
public struct AppState {
    /// The open document.
    public let document: Document
    /// Derived per-paragraph data.
    public let cache: TextCache
    /// The codebook that gives tag keys, colours and value choices; edits in the codebook
    /// view and renames change it (``codebookFile`` holds its file).
    public internal(set) var codebook: Codebook
    /// The key table, built from the codebook and rebuilt when a category is added, with
    /// the user's ``keyBindings`` laid over it.
    public internal(set) var keymap: Keymap
    /// The keys the user rebound (a configuration file's `[keys]`), kept over every
    /// rebuilding of ``keymap``; set with ``rebindKeys(_:)``.
    public internal(set) var keyBindings = KeyBindings()
    /// The most columns the text wraps at, 0 for the pane's width; set with ``setWrap(_:)``.
    public internal(set) var wrapLimit = 0
    /// The annotation list's width beside the text; set with ``setListWidth(_:)``.
    public internal(set) var listWidth = ListWidth.automatic
    /// The codebook file edits are written to, with its JSON; nil when the session has
    /// none (edits then hold in memory only).
    public internal(set) var codebookFile: CodebookFile?
    /// Tag values used in the other stores of the document's folder, by category id,
    /// offered by completion after the codebook's and this document's.
    public internal(set) var folderValues: [String: [String]] = [:]
    /// The highlighted row of the codebook view (an index into ``codebookRows``).
    public internal(set) var codebookCursor = 0
    /// Ids of the categories folded in the codebook view.
    public internal(set) var foldedCategories: Set<String> = []
    /// Where closing the codebook view leaves to.
    var codebookReturnMode: Mode = .reading
    /// The summary pane while it is open (``Mode/summary``).
    public internal(set) var summary: SummaryPane?
    /// Where closing the summary pane leaves to.
    var summaryReturnMode: Mode = .reading
    /// The annotations, in document order (start, end, id).
    public var annotations: [Annotation] { contents.annotations }
    /// Annotations whose quote was not found in the text: listed, never drawn.
    public var orphans: [Annotation] { contents.orphans }
    /// Store records that are not valid annotations: listed with the reason.
    public var quarantined: [QuarantinedRecord] { contents.quarantined }
    /// What the store should hold now, as one value: the annotations in document order,
    /// orphans, quarantined records, and the rest of the store as read (version, document
    /// record, unknown fields). Undo records changes of it (``Change``).
    public internal(set) var contents = StoreContents() {
        didSet { tagCounts = AppState.countTags(contents.annotations) }
    }
    /// How many tags of each category (by id) ``annotations`` carry, for the status line,
    /// which is drawn every frame: counted when the annotations change, not per frame.
    public private(set) var tagCounts: [String: Int] = [:]

    /// Tags per category id over `annotations`: one annotation may carry several tags of
    /// a category.
    static func countTags(_ annotations: [Annotation]) -> [String: Int] {
        var counts: [String: Int] = [:]
        for annotation in annotations {
            for tag in annotation.tags { counts[tag.category, default: 0] += 1 }
        }
        return counts
    }
    /// The focused sentence, nil when the document has no text.
    public internal(set) var focus: SentencePosition?
    /// The selection while one is being made.
    public internal(set) var selection: Selection?
    /// Where keys go.
    public internal(set) var mode: Mode = .reading
    /// The mode under the help overlay or prompt, restored when it closes.
    var underlyingMode: Mode = .reading
    /// The open prompt.
    public internal(set) var prompt: Prompt?
    /// The open note editor (an annotation's note or the document memo).
    public internal(set) var editor: NoteEditor?
    /// The mode the note editor returns to when it closes: reading, the list or the detail view.
    var editorReturnMode: Mode = .reading
    /// The first row shown in the text pane.
    public internal(set) var top = RowPosition(paragraph: 0, line: 0)
    /// Terminal size in cells.
    public internal(set) var screenWidth: Int
    /// Terminal size in cells.
    public internal(set) var screenHeight: Int
    /// The annotation that `m` and `x` act on.
    public internal(set) var currentAnnotationID: String?
    /// True when the current annotation was reached on purpose (`]` `[`, the list, a tag
    /// just made, undo) rather than by moving onto a sentence that holds it: tag keys then
    /// add to it instead of tagging the focused sentence.
    public internal(set) var annotationTargeted = false
    /// Index of the highlighted entry in the annotation list.
    public internal(set) var listIndex = 0
    /// A message for the status line, cleared by the next key.
    public var message: String?
    /// True when the message reports a failure.
    public var messageIsError = false
    /// Annotations placed on edited text by approximate re-anchoring when the document
    /// opened; the list marks them so the analyst can check them.
    public var approximatelyPlaced: Set<String> = []
    /// Who new annotations are credited to.
    public var author: String
    /// The row the detail view has selected: an index into the annotation's tags, then,
    /// past them, into its relations (``detailRelations``).
    public internal(set) var detailTag = 0
    /// The annotation the detail view was opened on.
    var detailAnnotationID: String?
    /// The annotation a started link (`r`) goes from, until `r` or Enter on another one
    /// ends it or Esc cancels it.
    public internal(set) var linkSourceID: String?
    /// Where Esc leaves the detail view to: the text or the list.
    var detailReturnMode: Mode = .reading
    /// The filter on the list, the highlights and `]` `[`; nil shows every annotation.
    public internal(set) var filter: AnnotationFilter?
    /// The text the last search found (code points), highlighted in its sentence until the
    /// next command; `v` then selects it.
    public internal(set) var searchMatch: Range<Int>?
    /// A count typed before a command (`3` of `3j`), shown in the status line until the
    /// command comes.
    public internal(set) var pendingCount: Int?
    /// The styles the screen is drawn with.
    public var theme = Theme.standard
    /// The clock, replaceable in tests.
    public var now: () -> Date = { Date() }
    var undoStack: [Change] = []
    var redoStack: [Change] = []
    /// A search still running, continued between keys by ``continueSearch(forSeconds:)``.
    public internal(set) var searchJob: SearchJob?
    /// The last text searched for with `/`, repeated by `n` and `N`.
    public internal(set) var searchText: String?
    /// True when nothing may change: another gloss holds the store's lock, or the store's
    /// folder cannot be written.
    public var readOnly = false
    /// Why the reader is read-only, for the message a blocked change shows.
    public var readOnlyReason = "nothing is changed or saved"
    /// True when annotations changed since the last successful save.
    public var unsavedChanges = false
    /// True when boilerplate (``Boilerplate``) is hidden (`gloss --hide-boilerplate`): its
    /// paragraphs take no rows and no move, search or jump lands in them. Set it with
    /// ``hideBoilerplate(_:)``.
    public internal(set) var hidesBoilerplate = false
    /// The lines run on the `:` command line in this run, oldest first; Up recalls them.
    public var commandHistory: [String] = []
    /// The help overlay's scroll and search while it is shown (``Mode/help``).
    public internal(set) var help = HelpPane()
    /// True when the terminal reports the mouse to Gloss (``handle(mouse:)``): off by
    /// default, as reporting takes the mouse from the terminal's own selection and copy.
    /// `toggle-mouse` switches it; the shell turns the terminal's reporting on and off to
    /// match.
    public var mouseEnabled = false
    /// The press a drag may turn into a selection, until the button is released.
    var mouseDrag: MouseDrag?
    /// Long work going on in the background, as the status line shows it at its right
    /// ("Indexing 43%", "Counting 120/900 documents"); nil when there is none. Set by the
    /// shell, which watches the work.
    public var progress: String?
    /// True when the document is one of a corpus (``CorpusSession``): the keymap then has
    /// the corpus's keys, and their commands go to the corpus as ``Effect/corpus(_:)``.
    public internal(set) var inCorpus = false

    /// Makes this a document of a corpus: binds the corpus's keys (see ``inCorpus``).
    public mutating func joinCorpus() {
        inCorpus = true
        keymap = Keymap(codebook: codebook, corpus: true, keys: keyBindings)
    }

    /// The start of the focused sentence, in code points; nil for an empty document, and
    /// for a sentence read ahead of the index whose offset is not known yet
    /// (``Document/isProvisional(_:)``). The document list remembers it as the document's
    /// position.
    public var focusOffset: Int? { focusRange.flatMap { document.settledOffset($0.lowerBound) } }

    /// Moves the focus to the sentence holding code point `offset` (the nearest one when
    /// the text is now shorter) and scrolls to it: how a corpus reopens a document where
    /// it was left.
    public mutating func moveFocus(toOffset offset: Int) {
        guard !document.isEmpty else { return }
        moveFocus(to: sentence(containing: max(0, offset)))
    }

    /// A reader on `document` with `annotations`, for a terminal of `width` x `height`.
    /// - Parameter codebookFile: the file `codebook` was read from, where its edits go.
    public init(document: Document, codebook: Codebook, codebookFile: CodebookFile? = nil, annotations: [Annotation] = [],
                width: Int = 80, height: Int = 24, author: String = Annotation.currentAuthor) {
        self.codebookFile = codebookFile
        self.document = document
        self.cache = TextCache(document: document)
        self.codebook = codebook
        self.keymap = Keymap(codebook: codebook)
        self.contents.annotations = annotations.sorted(by: Annotation.documentOrder)
        // observers do not run in an initializer
        tagCounts = AppState.countTags(contents.annotations)
        self.screenWidth = width
        self.screenHeight = height
        self.author = author
        if !document.isEmpty {
            focus = SentencePosition(paragraph: 0, sentence: 0)
        }
        updateCurrentAnnotation()
    }

    /// Hides the document's boilerplate (or shows it again), moving the focus and the top
    /// row off paragraphs that are hidden.
    public mutating func hideBoilerplate(_ hide: Bool = true) {
        hidesBoilerplate = hide
        guard hide, !document.isEmpty else { return }
        if isHidden(top.paragraph) { top = RowPosition(paragraph: visibleParagraph(from: top.paragraph) ?? top.paragraph, line: 0) }
        if let focus { moveFocus(to: focus) }
    }

    // MARK: - Boilerplate

    /// True when paragraph `paragraph` is boilerplate (``TextCache/isBoilerplate(_:)``).
    public func isBoilerplate(_ paragraph: Int) -> Bool { cache.isBoilerplate(paragraph) }

    /// True when paragraph `paragraph` is not shown: boilerplate while it is hidden.
    func isHidden(_ paragraph: Int) -> Bool { hidesBoilerplate && cache.isBoilerplate(paragraph) }

    /// The first paragraph at or after `paragraph` (before it when `forward` is false) that
    /// is shown; nil when there is none.
    func visibleParagraph(from paragraph: Int, forward: Bool = true) -> Int? {
        var paragraph = paragraph
        while paragraph >= 0, document.paragraph(paragraph) != nil {
            if !isHidden(paragraph) { return paragraph }
            paragraph += forward ? 1 : -1
        }
        return nil
    }

    /// `position`, or when its paragraph is hidden the first sentence shown after it (the
    /// last one before it when none is shown after it).
    func shown(_ position: SentencePosition) -> SentencePosition {
        guard isHidden(position.paragraph) else { return position }
        if let after = visibleParagraph(from: position.paragraph) { return SentencePosition(paragraph: after, sentence: 0) }
        if let before = visibleParagraph(from: position.paragraph, forward: false) {
            let part = cache.partCount(before) - 1
            return SentencePosition(paragraph: before, part: part, sentence: cache.sentences(before, part: part).count - 1)
        }
        return position
    }

    /// The sentence after (`forward`) or before `position` whose paragraph is not
    /// boilerplate: what `j` and `k` move to; nil when there is none.
    func sentence(besides position: SentencePosition, forward: Bool) -> SentencePosition? {
        var candidate = forward ? next(position) : previous(position)
        while let current = candidate, cache.isBoilerplate(current.paragraph) {
            // jump over the rest of a boilerplate paragraph at once
            let part = cache.partCount(current.paragraph) - 1
            candidate = forward ? next(SentencePosition(paragraph: current.paragraph, part: part, sentence: cache.sentences(current.paragraph, part: part).count - 1))
                : previous(SentencePosition(paragraph: current.paragraph, sentence: 0))
        }
        return candidate
    }

    // MARK: - Geometry

    /// Where the panes go for the current terminal size.
    public var geometry: PaneGeometry { PaneGeometry(width: screenWidth, height: screenHeight, listWidth: listWidth) }

    /// Columns the text wraps to: the pane's width, or ``wrapLimit`` when that is narrower.
    var wrapWidth: Int {
        let pane = max(1, geometry.text.width - 2 * PaneGeometry.textMargin)
        return wrapLimit > 0 ? min(pane, wrapLimit) : pane
    }

    /// Rows of the text pane.
    var textRows: Int { max(1, geometry.text.height) }

    // MARK: - Sentences

    /// The focused sentence's code points.
    public var focusRange: Range<Int>? {
        focus.map { cache.sentences($0.paragraph, part: $0.part)[$0.sentence] }
    }

    /// The code points a tag key would tag now: the selection, else the focused sentence.
    public var targetRange: Range<Int>? {
        if let selection, !selection.range.isEmpty { return selection.range }
        return focusRange
    }

    func sentenceRange(_ position: SentencePosition) -> Range<Int> {
        cache.sentences(position.paragraph, part: position.part)[position.sentence]
    }

    func next(_ position: SentencePosition) -> SentencePosition? {
        if position.sentence + 1 < cache.sentences(position.paragraph, part: position.part).count {
            return SentencePosition(paragraph: position.paragraph, part: position.part, sentence: position.sentence + 1)
        }
        if position.part + 1 < cache.partCount(position.paragraph) {
            return SentencePosition(paragraph: position.paragraph, part: position.part + 1, sentence: 0)
        }
        if !document.isLastParagraph(position.paragraph) {
            return SentencePosition(paragraph: position.paragraph + 1, sentence: 0)
        }
        return nil
    }

    func previous(_ position: SentencePosition) -> SentencePosition? {
        if position.sentence > 0 {
            return SentencePosition(paragraph: position.paragraph, part: position.part, sentence: position.sentence - 1)
        }
        if position.part > 0 {
            let part = position.part - 1
            return SentencePosition(paragraph: position.paragraph, part: part, sentence: cache.sentences(position.paragraph, part: part).count - 1)
        }
        // (a stretch read ahead of the index has no paragraph before its first)
        if position.paragraph > 0, document.paragraph(position.paragraph - 1) != nil {
            let paragraph = position.paragraph - 1
            let part = cache.partCount(paragraph) - 1
            return SentencePosition(paragraph: paragraph, part: part, sentence: cache.sentences(paragraph, part: part).count - 1)
        }
        return nil
    }

    /// The sentence that contains `offset`, or the nearest one after it (before it at the end).
    func sentence(containing offset: Int) -> SentencePosition? {
        guard let paragraph = document.paragraphIndex(atOrAfter: offset) ?? document.lastParagraph(near: offset) else {
            return nil
        }
        let part = cache.part(containing: offset, in: paragraph)
        let sentences = cache.sentences(paragraph, part: part)
        if let index = sentences.lastIndex(where: { $0.lowerBound <= offset }) {
            if sentences[index].upperBound > offset || index == sentences.count - 1 {
                // past a part's last sentence the next part's first one is nearest
                if sentences[index].upperBound <= offset && part + 1 < cache.partCount(paragraph) {
                    return SentencePosition(paragraph: paragraph, part: part + 1, sentence: 0)
                }
                return SentencePosition(paragraph: paragraph, part: part, sentence: index)
            }
            return SentencePosition(paragraph: paragraph, part: part, sentence: index + 1)
        }
        return SentencePosition(paragraph: paragraph, part: part, sentence: 0)
    }

    // MARK: - Rows

    func lineCount(_ paragraph: Int, part: Int = 0) -> Int { cache.lines(paragraph, part: part, width: wrapWidth).count }

    /// The lines of the paragraph's part `part` plus, after its last part, the blank row
    /// after it (none after the last paragraph shown); no rows for a hidden paragraph.
    func rowCount(_ paragraph: Int, part: Int = 0) -> Int {
        if isHidden(paragraph) { return 0 }
        let last = part == cache.partCount(paragraph) - 1
        return lineCount(paragraph, part: part) + (!last || nextShownParagraph(after: paragraph) == nil ? 0 : 1)
    }

    /// The first paragraph after `paragraph` that is shown, nil at the end.
    func nextShownParagraph(after paragraph: Int) -> Int? {
        if !hidesBoilerplate { return document.isLastParagraph(paragraph) ? nil : paragraph + 1 }
        return visibleParagraph(from: paragraph + 1)
    }

    func nextRow(_ row: RowPosition) -> RowPosition? {
        if row.line + 1 < rowCount(row.paragraph, part: row.part) {
            return RowPosition(paragraph: row.paragraph, part: row.part, line: row.line + 1)
        }
        if !isHidden(row.paragraph) && row.part + 1 < cache.partCount(row.paragraph) {
            return RowPosition(paragraph: row.paragraph, part: row.part + 1, line: 0)
        }
        if let next = nextShownParagraph(after: row.paragraph) { return RowPosition(paragraph: next, line: 0) }
        return nil
    }

    func previousRow(_ row: RowPosition) -> RowPosition? {
        if row.line > 0 { return RowPosition(paragraph: row.paragraph, part: row.part, line: row.line - 1) }
        if row.part > 0 {
            return RowPosition(paragraph: row.paragraph, part: row.part - 1, line: rowCount(row.paragraph, part: row.part - 1) - 1)
        }
        if row.paragraph > 0, let previous = hidesBoilerplate ? visibleParagraph(from: row.paragraph - 1, forward: false) : Optional(row.paragraph - 1),
           document.paragraph(previous) != nil {
            let part = cache.partCount(previous) - 1
            return RowPosition(paragraph: previous, part: part, line: rowCount(previous, part: part) - 1)
        }
        return nil
    }

    func isBefore(_ a: RowPosition, _ b: RowPosition) -> Bool {
        (a.paragraph, a.part, a.line) < (b.paragraph, b.part, b.line)
    }

    /// The row that shows `offset`: the line of its paragraph holding it.
    func row(of offset: Int) -> RowPosition {
        guard var paragraph = document.paragraphIndex(atOrAfter: offset) ?? document.lastParagraph(near: offset) else {
            return RowPosition(paragraph: 0, line: 0)
        }
        if isHidden(paragraph) {
            guard let shown = visibleParagraph(from: paragraph) ?? visibleParagraph(from: paragraph, forward: false) else {
                return RowPosition(paragraph: 0, line: 0)
            }
            paragraph = shown
        }
        let part = cache.part(containing: offset, in: paragraph)
        let lines = cache.lines(paragraph, part: part, width: wrapWidth)
        let line = lines.lastIndex { !$0.glyphs.isEmpty && $0.range.lowerBound <= offset } ?? 0
        return RowPosition(paragraph: paragraph, part: part, line: line)
    }

    /// The last row a top row may be: the one that puts the document's last row at the
    /// bottom of the pane. `near`, a row, says how the rows are numbered: from the start,
    /// or in a stretch read ahead of the index.
    func lastTop(near paragraph: Int = 0) -> RowPosition {
        guard !document.isEmpty, let end = document.lastParagraph(near: paragraph) else { return RowPosition(paragraph: 0, line: 0) }
        guard let last = visibleParagraph(from: end, forward: false) else { return RowPosition(paragraph: 0, line: 0) }
        let part = cache.partCount(last) - 1
        var row = RowPosition(paragraph: last, part: part, line: max(0, rowCount(last, part: part) - 1))
        for _ in 1..<textRows {
            guard let previous = previousRow(row) else { break }
            row = previous
        }
        return row
    }

    /// ``lastTop()`` when the document's end is less than a page below `row`; nil when it
    /// is further, so no top row past `row` needs clamping. Walks at most a page, so it
    /// never indexes the document to its end from far above it.
    func lastTop(near row: RowPosition) -> RowPosition? {
        var current = row
        for _ in 0..<textRows {
            guard let next = nextRow(current) else { return lastTop(near: current.paragraph) }
            current = next
        }
        return nil
    }

    /// Moves `row` by `count` rows (negative: up), stopping at the ends.
    func move(_ row: RowPosition, by count: Int) -> RowPosition {
        var row = row
        for _ in 0..<abs(count) {
            guard let next = count > 0 ? nextRow(row) : previousRow(row) else { break }
            row = next
        }
        return row
    }

    /// In a focused sentence taller than the pane, scrolls so that the row of `offset`
    /// (code points) shows, a few rows down from the top; walks at most a pane.
    mutating func showRow(of offset: Int) {
        guard let range = focusRange, range.contains(offset) else { return }
        let target = row(of: offset)
        var row = top
        for _ in 0..<textRows {
            if row == target { return }
            guard let next = nextRow(row) else { break }
            row = next
        }
        let first = self.row(of: range.lowerBound)
        guard isTallerThanPane(first, self.row(of: max(range.lowerBound, range.upperBound - 1))) else { return }
        let above = move(target, by: -min(3, textRows / 3))
        top = isBefore(above, first) ? first : above
    }

    /// True when rows `first` through `last` are more than the text pane holds; walks at
    /// most a pane.
    func isTallerThanPane(_ first: RowPosition, _ last: RowPosition) -> Bool {
        var row = first
        for _ in 0..<max(0, textRows - 1) {
            if row == last { return false }
            guard let next = nextRow(row) else { return false }
            row = next
        }
        return row != last
    }

    /// Scrolls as little as possible so that the focused sentence (or the selection's
    /// active end) is on screen; the work is bounded by the pane height.
    mutating func scrollToFocus() {
        guard let range = selection.map({ $0.active..<$0.active }) ?? focusRange else { return }
        let first = row(of: range.lowerBound)
        let last = range.isEmpty ? first : row(of: max(range.lowerBound, range.upperBound - 1))
        if isBefore(first, top) {
            // a sentence taller than the pane, scrolled within (PgDn, G): it shows
            if !isBefore(last, top) && isTallerThanPane(first, last) { return }
            top = first
            return
        }
        // walk up from the sentence's last row; reaching `top` within a page means it shows
        var row = last
        var steps = 0
        while row != top && steps < textRows - 1 {
            guard let previous = previousRow(row) else { break }
            row = previous
            steps += 1
        }
        if row != top {
            top = isBefore(first, row) ? first : row
        }
        if let last = lastTop(near: top), isBefore(last, top) && !isBefore(first, last) { top = last }
    }

    // MARK: - Annotations

    /// Takes the annotations, orphans and records of `contents` (a merge with changes made
    /// on disk, or a restored backup), keeping the focus where it is.
    public mutating func replaceContents(_ contents: StoreContents) {
        self.contents = contents
        self.contents.annotations.sort(by: Annotation.documentOrder)
        listIndex = min(listIndex, max(0, listEntryCount - 1))
        if let current = currentAnnotationID, annotation(id: current) == nil { currentAnnotationID = nil }
        updateCurrentAnnotation()
    }

    /// How many entries the annotation list has.
    /// With a filter, only the annotations and orphans it passes are listed, and no
    /// invalid records.
    public var listEntryCount: Int {
        filter == nil ? annotations.count + orphans.count + quarantined.count : listedAnnotations.count + listedOrphans.count
    }

    /// Entry `index` of the annotation list (0 ..< ``listEntryCount``).
    public func listEntry(_ index: Int) -> ListEntry {
        let listed = listedAnnotations, orphans = listedOrphans
        if index < listed.count { return .annotation(listed[index]) }
        if index < listed.count + orphans.count { return .orphan(orphans[index - listed.count]) }
        return .invalid(quarantined[index - listed.count - orphans.count])
    }

    /// The annotation with `id`.
    public func annotation(id: String) -> Annotation? {
        annotations.first { $0.id == id }
    }

    /// The annotations that overlap `range`, in document order (binary search on start).
    public func annotations(overlapping range: Range<Int>) -> [Annotation] {
        var low = 0, high = annotations.count
        while low < high {
            let mid = (low + high) / 2
            if annotations[mid].start < range.upperBound { low = mid + 1 } else { high = mid }
        }
        return annotations[..<low].filter { $0.end > range.lowerBound || ($0.start == $0.end && range.contains($0.start)) }
    }

    /// Values already used in this document for `category`, in first-use order.
    func usedValues(category: String) -> [String] {
        var seen = Set<String>()
        var values: [String] = []
        for annotation in annotations {
            for tag in annotation.tags where tag.category == category && !tag.value.isEmpty {
                if seen.insert(tag.value).inserted { values.append(tag.value) }
            }
        }
        return values
    }

    /// Picks the annotation `m` and `x` act on after the focus moved: the innermost one
    /// overlapping the focused sentence.
    mutating func updateCurrentAnnotation() {
        let before = currentAnnotationID
        defer { if currentAnnotationID == nil || currentAnnotationID != before { annotationTargeted = false } }
        guard let range = focusRange else { currentAnnotationID = nil; return }
        // a filter hides annotations from m, x and the tag keys as from the screen
        let candidates = annotations(overlapping: range).filter { filter?.matches($0) ?? true }
        if let current = currentAnnotationID, candidates.contains(where: { $0.id == current }) { return }
        currentAnnotationID = candidates.min { ($0.end - $0.start) < ($1.end - $1.start) }?.id
    }

    mutating func apply(_ change: Change) {
        // an id appears once, even when undo brings back one a merge already restored
        let removedIDs = Set(change.removed.annotations.map(\.id)).union(change.inserted.annotations.map(\.id))
        contents.annotations.removeAll { removedIDs.contains($0.id) }
        for annotation in change.inserted.annotations {
            let index = contents.annotations.firstIndex { Annotation.documentOrder(annotation, $0) } ?? contents.annotations.count
            contents.annotations.insert(annotation, at: index)
        }
        let removedOrphanIDs = Set(change.removed.orphans.map(\.id)).union(change.inserted.orphans.map(\.id))
        contents.orphans.removeAll { removedOrphanIDs.contains($0.id) }
        contents.orphans.append(contentsOf: change.inserted.orphans)
        contents.quarantined.removeAll { change.removed.quarantined.contains($0) }
        contents.quarantined.append(contentsOf: change.inserted.quarantined)
        let relationIDs = Set(change.removed.relations.map(\.id)).union(change.inserted.relations.map(\.id))
        if !relationIDs.isEmpty {
            contents.relations.removeAll { relationIDs.contains($0.id) }
            contents.relations.append(contentsOf: change.inserted.relations)
            contents.relations.sort(by: Relation.storeOrder)
        }
        if let memo = change.memo { contents.memo = memo.after }
        if let edit = change.codebook { takeCodebook(edit.after) }
        if change.touchesStore { unsavedChanges = true }
        listIndex = min(listIndex, max(0, listEntryCount - 1))
    }

    /// Drops the undo and redo steps that touch annotations `ids`: a merge changed them,
    /// and undoing an older step would put back a stale copy over someone else's edit.
    public mutating func forgetHistory(touching ids: Set<String>) {
        func touches(_ change: Change) -> Bool {
            change.memo != nil && ids.contains(Session.memoID)
                || [change.removed, change.inserted].contains { part in
                    (part.annotations + part.orphans).contains { ids.contains($0.id) } || part.relations.contains { ids.contains($0.id) }
                }
        }
        undoStack.removeAll(where: touches)
        redoStack.removeAll(where: touches)
    }

    mutating func record(_ change: Change) -> [Effect] {
        apply(change)
        undoStack.append(change)
        redoStack.removeAll()
        return effects(of: change)
    }

    /// What the shell must do once `change` (or its inverse) is applied: save the store
    /// when it touches it, write the codebook file when it edits the codebook.
    func effects(of change: Change) -> [Effect] {
        var effects: [Effect] = change.touchesStore ? [.save] : []
        if change.codebook != nil, let codebookFile { effects.append(.writeCodebook(codebookFile)) }
        return effects
    }

    /// Moves the focus to the sentence where `annotation` starts and makes it current.
    mutating func show(_ annotation: Annotation) {
        focus = sentence(containing: annotation.start).map(shown)
        currentAnnotationID = annotation.id
        annotationTargeted = true
        if let index = listedAnnotations.firstIndex(where: { $0.id == annotation.id }) { listIndex = index }
        scrollToFocus()
    }
}
