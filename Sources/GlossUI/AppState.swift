import Foundation
import GlossCore

/// A sentence of the document: paragraph index and sentence index within it.
public struct SentencePosition: Hashable, Sendable, Comparable {
    /// Paragraph index.
    public var paragraph: Int
    /// Sentence index within the paragraph.
    public var sentence: Int

    /// Creates a position.
    public init(paragraph: Int, sentence: Int) {
        self.paragraph = paragraph
        self.sentence = sentence
    }

    public static func < (a: SentencePosition, b: SentencePosition) -> Bool {
        (a.paragraph, a.sentence) < (b.paragraph, b.sentence)
    }
}

/// A screen row of the text pane: a wrapped line of a paragraph, or (`line` equal to the
/// paragraph's line count) the blank row after it.
public struct RowPosition: Hashable, Sendable {
    /// Paragraph index.
    public var paragraph: Int
    /// Wrapped line within the paragraph.
    public var line: Int

    /// Creates a row position.
    public init(paragraph: Int, line: Int) {
        self.paragraph = paragraph
        self.line = line
    }
}

/// A selection being made: two code-point boundaries; `active` moves, `anchor` stays.
public struct Selection: Hashable, Sendable {
    /// The end that stays put.
    public var anchor: Int
    /// The end that `h` `l` `w` `b` move.
    public var active: Int
    /// The selected code points, end exclusive.
    public var range: Range<Int> { min(anchor, active)..<max(anchor, active) }
}

/// What a prompt on the bottom line is asking for.
public enum PromptPurpose: Hashable, Sendable {
    /// The value of a new tag of `category`: on the annotation with id `annotationID`
    /// when one is given (jumped to or highlighted in the list), else on the annotation
    /// covering exactly `range` (code points), else on a new annotation there.
    case tagValue(category: String, range: Range<Int>, annotationID: String? = nil)
    /// The note of the annotation with this id.
    case note(annotationID: String)
    /// Text to search for from the focused sentence on.
    case search
    /// A path to write the annotations to, because the store cannot be written.
    case saveElsewhere
    /// A yes-or-no question; `y` answers yes, anything else no.
    case confirm(Confirmation)
}

/// The yes-or-no questions Gloss asks.
public enum Confirmation: Hashable, Sendable {
    /// Restore this many annotations from the store's backup after the store was found
    /// damaged and moved aside.
    case restoreBackup(count: Int)
    /// Quit although this many changes could not be saved anywhere.
    case quitWithoutSaving
    /// Quit although not even the rescue file could be written, so the unsaved changes
    /// are lost.
    case discardChanges
}

/// A one-line editor on the bottom line, with completion for tag values.
public struct Prompt: Hashable, Sendable {
    /// What the answer is for.
    public var purpose: PromptPurpose
    /// Text shown before the answer.
    public var label: String
    /// The answer typed so far.
    public var text: String
    /// Insertion point, in characters from the start of `text`.
    public var cursor: Int
    /// Every value that can be completed to (tag prompts only).
    public var choices: [String]
    /// Other spellings of each choice (codebook aliases) that also find it.
    public var aliases: [String: [String]]
    /// Which match Tab last completed to, cycling on repeated Tab.
    public var completionIndex: Int?
    /// The text that completion filters by; kept while Tab cycles.
    public var typed: String

    /// Replaces the answer with `characters`, the insertion point after the first
    /// `cursor` of them. A combining mark typed after a letter joins it, so the insertion
    /// point is counted again in the joined text.
    mutating func setText(_ characters: [Character], cursor: Int) {
        let before = String(characters[..<min(cursor, characters.count)])
        text = String(characters)
        self.cursor = min(before.count, text.count)
    }

    /// Choices matching `typed`, by the value or one of its aliases: case-insensitive
    /// prefix matches first, then other substring matches, each in codebook order.
    public var matches: [String] {
        let needle = typed.lowercased()
        if needle.isEmpty { return choices }
        func spellings(_ choice: String) -> [String] { ([choice] + (aliases[choice] ?? [])).map { $0.lowercased() } }
        let prefixed = choices.filter { spellings($0).contains { $0.hasPrefix(needle) } }
        let contained = choices.filter { choice in
            !prefixed.contains(choice) && spellings(choice).contains { $0.contains(needle) }
        }
        return prefixed + contained
    }

    /// The match that Enter takes (tag prompts): the one Tab completed to; else, once
    /// something is typed, the match spelled exactly as typed (any case, value or alias),
    /// else the first; nil when nothing is typed or nothing matches, so Enter stores the
    /// text as it is.
    public var highlightedMatch: Int? {
        if let completionIndex { return completionIndex }
        guard !typed.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
        let matches = matches
        guard !matches.isEmpty else { return nil }
        let needle = typed.trimmingCharacters(in: .whitespaces).lowercased()
        return matches.firstIndex { choice in
            ([choice] + (aliases[choice] ?? [])).contains { $0.lowercased() == needle }
        } ?? 0
    }
}

/// A search in progress: where it started and how many paragraphs it has looked at.
public struct SearchJob: Hashable, Sendable {
    /// The text looked for.
    public var text: String
    /// True for `/` and `n`, false for `N`.
    public var forward: Bool
    /// The paragraph of the focus when the search started.
    public var startParagraph: Int
    /// The focused sentence then (code points).
    public var focusRange: Range<Int>
    /// Paragraphs looked at so far.
    public var step: Int
    /// Paragraphs in the document.
    public var count: Int
}

/// A change to the annotations that undo reverts: what it removed and what it inserted.
public struct Change: Hashable, Sendable {
    /// Words for messages, such as `create annotation`.
    public var description: String
    /// Annotations the change took away.
    public var removed: [Annotation]
    /// Annotations the change put in.
    public var inserted: [Annotation]
    /// Orphaned annotations the change took away.
    public var removedOrphans: [Annotation] = []
    /// Quarantined records the change took away.
    public var removedRecords: [QuarantinedRecord] = []
    /// Orphaned annotations the change put back.
    public var insertedOrphans: [Annotation] = []
    /// Quarantined records the change put back.
    public var insertedRecords: [QuarantinedRecord] = []

    /// The change that undoes this one.
    public var inverse: Change {
        Change(description: description, removed: inserted, inserted: removed,
               removedOrphans: insertedOrphans, removedRecords: insertedRecords,
               insertedOrphans: removedOrphans, insertedRecords: removedRecords)
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
    /// Leave Gloss losing the unsaved changes, as no file could hold them; the user
    /// confirmed after being told why.
    case discardChanges
}

/// Everything the reader shows and remembers: the pure model that actions change and
/// ``Renderer`` draws. Sizes are terminal cells; offsets are code points.
public struct AppState {
    /// The open document.
    public let document: Document
    /// Derived per-paragraph data.
    public let cache: TextCache
    /// The codebook that gives tag keys, colours and value choices.
    public let codebook: Codebook
    /// The key table.
    public let keymap: Keymap
    /// The annotations, in document order (start, end, id).
    public internal(set) var annotations: [Annotation]
    /// Annotations whose quote was not found in the text: listed, never drawn.
    public internal(set) var orphans: [Annotation] = []
    /// Store records that are not valid annotations: listed with the reason.
    public internal(set) var quarantined: [QuarantinedRecord] = []
    /// The rest of the store as read (version, document record, unknown fields), written
    /// back with the annotations.
    public var storeFields = StoreContents()
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

    /// A reader on `document` with `annotations`, for a terminal of `width` x `height`.
    public init(document: Document, codebook: Codebook, annotations: [Annotation] = [],
                width: Int = 80, height: Int = 24, author: String = Annotation.currentAuthor) {
        self.document = document
        self.cache = TextCache(document: document)
        self.codebook = codebook
        self.keymap = Keymap(codebook: codebook)
        self.annotations = annotations.sorted(by: Annotation.documentOrder)
        self.screenWidth = width
        self.screenHeight = height
        self.author = author
        if !document.isEmpty {
            focus = SentencePosition(paragraph: 0, sentence: 0)
        }
        updateCurrentAnnotation()
    }

    // MARK: - Geometry

    /// Where the panes go for the current terminal size.
    public var geometry: PaneGeometry { PaneGeometry(width: screenWidth, height: screenHeight) }

    /// Columns the text wraps to.
    var wrapWidth: Int { max(1, geometry.text.width - 2 * PaneGeometry.textMargin) }

    /// Rows of the text pane.
    var textRows: Int { max(1, geometry.text.height) }

    // MARK: - Sentences

    /// The focused sentence's code points.
    public var focusRange: Range<Int>? {
        focus.map { cache.sentences($0.paragraph)[$0.sentence] }
    }

    /// The code points a tag key would tag now: the selection, else the focused sentence.
    public var targetRange: Range<Int>? {
        if let selection, !selection.range.isEmpty { return selection.range }
        return focusRange
    }

    func sentenceRange(_ position: SentencePosition) -> Range<Int> {
        cache.sentences(position.paragraph)[position.sentence]
    }

    func next(_ position: SentencePosition) -> SentencePosition? {
        if position.sentence + 1 < cache.sentences(position.paragraph).count {
            return SentencePosition(paragraph: position.paragraph, sentence: position.sentence + 1)
        }
        if !document.isLastParagraph(position.paragraph) {
            return SentencePosition(paragraph: position.paragraph + 1, sentence: 0)
        }
        return nil
    }

    func previous(_ position: SentencePosition) -> SentencePosition? {
        if position.sentence > 0 {
            return SentencePosition(paragraph: position.paragraph, sentence: position.sentence - 1)
        }
        if position.paragraph > 0 {
            let paragraph = position.paragraph - 1
            return SentencePosition(paragraph: paragraph, sentence: cache.sentences(paragraph).count - 1)
        }
        return nil
    }

    /// The sentence that contains `offset`, or the nearest one after it (before it at the end).
    func sentence(containing offset: Int) -> SentencePosition? {
        guard let paragraph = document.paragraphIndex(atOrAfter: offset) ?? (document.isEmpty ? nil : document.paragraphCount - 1) else {
            return nil
        }
        let sentences = cache.sentences(paragraph)
        if let index = sentences.lastIndex(where: { $0.lowerBound <= offset }) {
            if sentences[index].upperBound > offset || index == sentences.count - 1 {
                return SentencePosition(paragraph: paragraph, sentence: index)
            }
            return SentencePosition(paragraph: paragraph, sentence: index + 1)
        }
        return SentencePosition(paragraph: paragraph, sentence: 0)
    }

    // MARK: - Rows

    func lineCount(_ paragraph: Int) -> Int { cache.lines(paragraph, width: wrapWidth).count }

    func rowCount(_ paragraph: Int) -> Int {
        lineCount(paragraph) + (document.isLastParagraph(paragraph) ? 0 : 1)
    }

    func nextRow(_ row: RowPosition) -> RowPosition? {
        if row.line + 1 < rowCount(row.paragraph) { return RowPosition(paragraph: row.paragraph, line: row.line + 1) }
        if !document.isLastParagraph(row.paragraph) { return RowPosition(paragraph: row.paragraph + 1, line: 0) }
        return nil
    }

    func previousRow(_ row: RowPosition) -> RowPosition? {
        if row.line > 0 { return RowPosition(paragraph: row.paragraph, line: row.line - 1) }
        if row.paragraph > 0 { return RowPosition(paragraph: row.paragraph - 1, line: rowCount(row.paragraph - 1) - 1) }
        return nil
    }

    func isBefore(_ a: RowPosition, _ b: RowPosition) -> Bool {
        (a.paragraph, a.line) < (b.paragraph, b.line)
    }

    /// The row that shows `offset`: the line of its paragraph holding it.
    func row(of offset: Int) -> RowPosition {
        guard let paragraph = document.paragraphIndex(atOrAfter: offset) ?? (document.isEmpty ? nil : document.paragraphCount - 1) else {
            return RowPosition(paragraph: 0, line: 0)
        }
        let lines = cache.lines(paragraph, width: wrapWidth)
        let line = lines.lastIndex { !$0.glyphs.isEmpty && $0.range.lowerBound <= offset } ?? 0
        return RowPosition(paragraph: paragraph, line: line)
    }

    /// The last row a top row may be: the one that puts the document's last row at the
    /// bottom of the pane.
    func lastTop() -> RowPosition {
        guard !document.isEmpty else { return RowPosition(paragraph: 0, line: 0) }
        let last = document.paragraphCount - 1
        var row = RowPosition(paragraph: last, line: rowCount(last) - 1)
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
            guard let next = nextRow(current) else { return lastTop() }
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

    /// Scrolls as little as possible so that the focused sentence (or the selection's
    /// active end) is on screen; the work is bounded by the pane height.
    mutating func scrollToFocus() {
        guard let range = selection.map({ $0.active..<$0.active }) ?? focusRange else { return }
        let first = row(of: range.lowerBound)
        let last = range.isEmpty ? first : row(of: max(range.lowerBound, range.upperBound - 1))
        if isBefore(first, top) {
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

    /// What the store should hold now.
    public var contents: StoreContents {
        var contents = storeFields
        contents.annotations = annotations
        contents.orphans = orphans
        contents.quarantined = quarantined
        return contents
    }

    /// Takes the annotations, orphans and records of `contents` (a merge with changes made
    /// on disk, or a restored backup), keeping the focus where it is.
    public mutating func replaceContents(_ contents: StoreContents) {
        annotations = contents.annotations.sorted(by: Annotation.documentOrder)
        orphans = contents.orphans
        quarantined = contents.quarantined
        storeFields = contents
        storeFields.annotations = []
        storeFields.orphans = []
        storeFields.quarantined = []
        listIndex = min(listIndex, max(0, listEntryCount - 1))
        if let current = currentAnnotationID, annotation(id: current) == nil { currentAnnotationID = nil }
        updateCurrentAnnotation()
    }

    /// How many entries the annotation list has.
    public var listEntryCount: Int { annotations.count + orphans.count + quarantined.count }

    /// Entry `index` of the annotation list (0 ..< ``listEntryCount``).
    public func listEntry(_ index: Int) -> ListEntry {
        if index < annotations.count { return .annotation(annotations[index]) }
        if index < annotations.count + orphans.count { return .orphan(orphans[index - annotations.count]) }
        return .invalid(quarantined[index - annotations.count - orphans.count])
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
        let candidates = annotations(overlapping: range)
        if let current = currentAnnotationID, candidates.contains(where: { $0.id == current }) { return }
        currentAnnotationID = candidates.min { ($0.end - $0.start) < ($1.end - $1.start) }?.id
    }

    mutating func apply(_ change: Change) {
        // an id appears once, even when undo brings back one a merge already restored
        let removedIDs = Set(change.removed.map(\.id)).union(change.inserted.map(\.id))
        annotations.removeAll { removedIDs.contains($0.id) }
        for annotation in change.inserted {
            let index = annotations.firstIndex { Annotation.documentOrder(annotation, $0) } ?? annotations.count
            annotations.insert(annotation, at: index)
        }
        let removedOrphanIDs = Set(change.removedOrphans.map(\.id)).union(change.insertedOrphans.map(\.id))
        orphans.removeAll { removedOrphanIDs.contains($0.id) }
        orphans.append(contentsOf: change.insertedOrphans)
        quarantined.removeAll { change.removedRecords.contains($0) }
        quarantined.append(contentsOf: change.insertedRecords)
        unsavedChanges = true
        listIndex = min(listIndex, max(0, listEntryCount - 1))
    }

    /// Drops the undo and redo steps that touch annotations `ids`: a merge changed them,
    /// and undoing an older step would put back a stale copy over someone else's edit.
    public mutating func forgetHistory(touching ids: Set<String>) {
        func touches(_ change: Change) -> Bool {
            (change.removed + change.inserted + change.removedOrphans + change.insertedOrphans).contains { ids.contains($0.id) }
        }
        undoStack.removeAll(where: touches)
        redoStack.removeAll(where: touches)
    }

    mutating func record(_ change: Change) -> [Effect] {
        apply(change)
        undoStack.append(change)
        redoStack.removeAll()
        return [.save]
    }

    /// Moves the focus to the sentence where `annotation` starts and makes it current.
    mutating func show(_ annotation: Annotation) {
        focus = sentence(containing: annotation.start)
        currentAnnotationID = annotation.id
        annotationTargeted = true
        if let index = annotations.firstIndex(where: { $0.id == annotation.id }) { listIndex = index }
        scrollToFocus()
    }
}

/// Where the panes go: the text pane, the annotation list and the status row. Below 80
/// columns the list goes under the text instead of beside it.
public struct PaneGeometry: Hashable, Sendable {
    /// A rectangle of cells.
    public struct Rect: Hashable, Sendable {
        public var row: Int, column: Int, width: Int, height: Int
    }

    /// Blank columns on each side of the text.
    public static let textMargin = 1
    /// Terminals smaller than this show only "terminal too small".
    public static let minimumWidth = 20, minimumHeight = 6

    /// The text pane.
    public let text: Rect
    /// The annotation list.
    public let list: Rect
    /// True when the list is beside the text; false when below it.
    public let sideBySide: Bool
    /// The status row (the last row).
    public let statusRow: Int
    /// True when the terminal is below the minimum size.
    public let tooSmall: Bool

    /// The layout for a terminal of `width` x `height` cells.
    public init(width: Int, height: Int) {
        tooSmall = width < PaneGeometry.minimumWidth || height < PaneGeometry.minimumHeight
        statusRow = max(0, height - 1)
        let body = max(0, height - 1)
        if width >= 80 {
            sideBySide = true
            let listWidth = max(30, width / 3)
            text = Rect(row: 0, column: 0, width: width - listWidth - 1, height: body)
            list = Rect(row: 0, column: width - listWidth, width: listWidth, height: body)
        } else {
            sideBySide = false
            let listHeight = max(3, body / 3)
            text = Rect(row: 0, column: 0, width: width, height: max(0, body - listHeight - 1))
            list = Rect(row: body - listHeight, column: 0, width: width, height: listHeight)
        }
    }
}
