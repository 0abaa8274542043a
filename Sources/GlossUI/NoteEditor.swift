import Foundation
import GlossCore

/// What a ``NoteEditor`` edits.
public enum NoteTarget: Hashable, Sendable {
    /// The note of the annotation with this id.
    case note(annotationID: String)
    /// The document memo (``StoreContents/memo``): notes on the whole document.
    case memo
}

/// One row of a note as the editor and the detail view draw it: the characters of a line
/// of the note (up to a line break) that fit the wrap width.
public struct NoteRow: Hashable, Sendable {
    /// Indices of the row's characters (grapheme clusters) in the note, without the line
    /// break that may end its line.
    public var range: Range<Int>
    /// True when the row is the last of its line: a line break or the end of the note
    /// follows, so the insertion point may sit after its last character.
    public var endsLine: Bool
}

/// A multi-line editor of an annotation's note or the document memo: the text, the
/// insertion point, the row scrolled to, and whether closing it asks about changes. Pure:
/// the wrap width and the rows shown come from the caller, so it needs no terminal.
///
/// Units: the insertion point and every index count characters (grapheme clusters, Swift's
/// `Character`), never code points or bytes; columns count terminal cells
/// (``DisplayWidth/columns(of:)-(Character)``), so a CJK ideograph or an emoji takes two and a
/// combining mark none. The text holds no control characters but the line feed: typed and
/// pasted text goes through ``sanitized(_:column:)``.
public struct NoteEditor: Hashable, Sendable {
    /// What is edited.
    public let target: NoteTarget
    /// The box's title, such as `Note — Actor: ISIL “Vladimir…”` or `Document memo — file.txt`.
    public let title: String
    /// The text when the editor opened; ``isChanged`` compares with it.
    public let original: String
    /// The text as edited so far.
    public private(set) var text: String
    /// ``text`` as characters, kept beside it so that a key costs one pass over the note.
    public private(set) var characters: [Character]
    /// The rows last laid out, for one width: each frame (idle ones too) would otherwise
    /// lay out the whole note again, over a second for a note of a megabyte. Replaced at
    /// every edit; a copy of the editor shares it until either is edited.
    private var rowCache = NoteRowCache()
    /// The insertion point: characters before it (0 ... `characters.count`).
    public private(set) var cursor: Int
    /// The column that ↑ ↓ PgUp PgDn keep, set by the first of a run of them; nil otherwise.
    var goalColumn: Int?
    /// The first row shown (an index into ``rows(width:)``).
    public internal(set) var top = 0
    /// True while the question whether to save the changes is asked (Esc with changes).
    public internal(set) var confirmingClose = false
    /// True when the note may only be read: typing is refused and nothing is saved.
    public let readOnly: Bool

    /// Columns of a tab stop: a tab typed or pasted becomes spaces up to the next one.
    public static let tabWidth = 4

    /// An editor on `text` for `target`, titled `title`, the insertion point at the end.
    public init(target: NoteTarget, title: String, text: String, readOnly: Bool = false) {
        self.target = target
        self.title = title
        self.original = text
        self.text = text
        self.characters = Array(text)
        self.cursor = characters.count
        self.readOnly = readOnly
    }

    /// True when the text differs from what it was when the editor opened.
    public var isChanged: Bool { text != original }

    // MARK: - Editing

    /// Text typed or pasted made safe to keep in a note: line breaks of every kind
    /// (CR LF, CR, NEL, U+2028, U+2029, vertical tab, form feed) become a line feed; a tab
    /// becomes spaces up to the next multiple of ``tabWidth`` columns, counted from
    /// `column` (display cells already on the line before the insertion point); other
    /// control characters (C0, DEL, C1) are dropped.
    public static func sanitized(_ text: String, column: Int) -> String {
        var result = ""
        var column = column
        for character in text {
            if character == "\t" {
                let spaces = tabWidth - column % tabWidth
                result += String(repeating: " ", count: spaces)
                column += spaces
            } else if character.isNewline {
                result.append("\n")
                column = 0
            } else if character.unicodeScalars.contains(where: DisplayWidth.isControl) {
                continue
            } else {
                result.append(character)
                column += DisplayWidth.columns(of: character)
            }
        }
        return result
    }

    /// Inserts `typed` at the insertion point after ``sanitized(_:column:)`` and moves the
    /// insertion point after it. A combining mark typed after a letter joins it.
    public mutating func insert(_ typed: String) {
        let clean = NoteEditor.sanitized(typed, column: lineColumn)
        guard !clean.isEmpty else { return }
        let before = String(characters[..<cursor]) + clean
        replace(with: before + String(characters[cursor...]), cursorAfter: before)
    }

    /// Inserts a line break at the insertion point.
    public mutating func insertNewline() { insert("\n") }

    /// Deletes the character before the insertion point (joining two lines when it is a
    /// line break). Does nothing at the start.
    public mutating func deleteBackward() {
        guard cursor > 0 else { return }
        let before = String(characters[..<(cursor - 1)])
        replace(with: before + String(characters[cursor...]), cursorAfter: before)
    }

    /// Deletes the character after the insertion point. Does nothing at the end.
    public mutating func deleteForward() {
        guard cursor < characters.count else { return }
        let before = String(characters[..<cursor])
        replace(with: before + String(characters[(cursor + 1)...]), cursorAfter: before)
    }

    /// Deletes from the start of the insertion point's line to the insertion point
    /// (readline's Ctrl-U); at a line start, nothing.
    public mutating func deleteToLineStart() {
        var start = cursor
        while start > 0, !characters[start - 1].isNewline { start -= 1 }
        guard start < cursor else { return }
        let before = String(characters[..<start])
        replace(with: before + String(characters[cursor...]), cursorAfter: before)
    }

    /// Deletes from the insertion point to the end of its line (Emacs's Ctrl-K); at a
    /// line's end, the line break, joining the next line.
    public mutating func deleteToLineEnd() {
        var end = cursor
        while end < characters.count, !characters[end].isNewline { end += 1 }
        if end == cursor && end < characters.count { end += 1 }
        guard end > cursor else { return }
        let before = String(characters[..<cursor])
        replace(with: before + String(characters[end...]), cursorAfter: before)
    }

    /// Deletes the whitespace-separated word before the insertion point, and the
    /// whitespace after it (readline's Ctrl-W). Does nothing at the start.
    public mutating func deleteWordBackward() {
        let start = LineEditing.wordStart(before: cursor, in: characters, isWord: { !$0.isWhitespace })
        guard start < cursor else { return }
        let before = String(characters[..<start])
        replace(with: before + String(characters[cursor...]), cursorAfter: before)
    }

    /// Moves the insertion point to the start of the word before it (readline's Alt-B;
    /// words are runs of letters and digits).
    public mutating func moveWordLeft() {
        cursor = LineEditing.wordStart(before: cursor, in: characters, isWord: LineEditing.isWordCharacter)
        goalColumn = nil
    }

    /// Moves the insertion point to the end of the word after it (readline's Alt-F).
    public mutating func moveWordRight() {
        cursor = LineEditing.wordEnd(after: cursor, in: characters)
        goalColumn = nil
    }

    /// Takes `newText`, the insertion point after `before` (counted again in the new
    /// text, as characters may have joined).
    private mutating func replace(with newText: String, cursorAfter before: String) {
        text = newText
        characters = Array(newText)
        rowCache = NoteRowCache()
        cursor = min(before.count, characters.count)
        goalColumn = nil
    }

    /// Display cells between the start of the insertion point's line and the insertion point.
    var lineColumn: Int {
        var column = 0
        var index = cursor
        while index > 0, !characters[index - 1].isNewline {
            index -= 1
            column += DisplayWidth.columns(of: characters[index])
        }
        return column
    }

    // MARK: - Moving

    /// Moves the insertion point one character left (to the end of the line above at a line start).
    public mutating func moveLeft() { cursor = max(0, cursor - 1); goalColumn = nil }

    /// Moves the insertion point one character right.
    public mutating func moveRight() { cursor = min(characters.count, cursor + 1); goalColumn = nil }

    /// Moves the insertion point to the start of its line (after the previous line break).
    public mutating func moveToLineStart() {
        while cursor > 0, !characters[cursor - 1].isNewline { cursor -= 1 }
        goalColumn = nil
    }

    /// Moves the insertion point to the end of its line (before the next line break).
    public mutating func moveToLineEnd() {
        while cursor < characters.count, !characters[cursor].isNewline { cursor += 1 }
        goalColumn = nil
    }

    /// Moves the insertion point to the start of its row at wrap width `width` (columns).
    public mutating func moveToRowStart(width: Int) {
        let rows = rows(width: width)
        cursor = rows[NoteEditor.row(of: cursor, in: rows)].range.lowerBound
        goalColumn = nil
    }

    /// Moves the insertion point to the end of its row at wrap width `width`: after its
    /// last character on the last row of a line, else before it (a wrapped row's last
    /// character is usually the space the row broke at).
    public mutating func moveToRowEnd(width: Int) {
        let rows = rows(width: width)
        cursor = NoteEditor.lastPosition(of: rows[NoteEditor.row(of: cursor, in: rows)])
        goalColumn = nil
    }

    /// Moves the insertion point `count` rows down (negative: up) at wrap width `width`,
    /// keeping the column where the run of vertical moves started, or as near it as the
    /// row allows without passing it (a wide character under the column is stepped
    /// before, not into). At the first or last row it goes to the start or end.
    public mutating func moveRows(_ count: Int, width: Int) {
        let rows = rows(width: width)
        let current = NoteEditor.row(of: cursor, in: rows)
        let goal = goalColumn ?? column(in: rows[current])
        let target = current + count
        if target < 0 {
            cursor = 0
        } else if target >= rows.count {
            cursor = characters.count
        } else {
            cursor = position(in: rows[target], atColumn: goal)
        }
        goalColumn = goal
    }

    // MARK: - Layout

    /// The note's rows at wrap width `width` (columns, at least 1): each line of the note
    /// broken after the last space that lets the next word fit; a word wider than the
    /// width is broken between characters, and a character wider than it has a row of its
    /// own. Spaces at a break stay at the end of the row even past the width, so no row
    /// starts with the space it broke at. Never empty: an empty note has one empty row.
    public func rows(width: Int) -> [NoteRow] {
        rowCache.rows(width: width) { NoteEditor.rows(of: characters, width: width) }
    }

    /// The rows of `characters` at wrap width `width` (see ``rows(width:)``).
    public static func rows(of characters: [Character], width: Int) -> [NoteRow] {
        let width = max(1, width)
        var rows: [NoteRow] = []
        var lineStart = 0
        while true {
            var lineEnd = lineStart
            while lineEnd < characters.count, !characters[lineEnd].isNewline { lineEnd += 1 }
            var rowStart = lineStart, column = 0, index = lineStart
            var breakAfterSpace: Int?
            while index < lineEnd {
                let character = characters[index]
                let cells = DisplayWidth.columns(of: character)
                if character.isWhitespace {
                    // a space may hang past the width; the row breaks after it
                    column += cells
                    index += 1
                    breakAfterSpace = index
                    continue
                }
                if column + cells > width && index > rowStart {
                    let next = breakAfterSpace ?? index
                    rows.append(NoteRow(range: rowStart..<next, endsLine: false))
                    rowStart = next
                    column = characters[next..<index].reduce(0) { $0 + DisplayWidth.columns(of: $1) }
                    breakAfterSpace = nil
                    continue
                }
                column += cells
                index += 1
            }
            rows.append(NoteRow(range: rowStart..<lineEnd, endsLine: true))
            guard lineEnd < characters.count else { break }
            lineStart = lineEnd + 1
        }
        return rows
    }

    /// The note as display lines of at most `width` columns, as ``rows(width:)`` breaks
    /// it, without the spaces at the end of each: what the detail view shows.
    public static func wrappedLines(of text: String, width: Int) -> [String] {
        let characters = Array(text)
        return rows(of: characters, width: width).map { row in
            var end = row.range.upperBound
            while end > row.range.lowerBound, characters[end - 1].isWhitespace { end -= 1 }
            return String(characters[row.range.lowerBound..<end])
        }
    }

    /// The index of the row of `rows` that shows insertion point `position`: a position
    /// at a wrapped row's end is shown at the start of the next row.
    public static func row(of position: Int, in rows: [NoteRow]) -> Int {
        var low = 0, high = rows.count - 1
        // the first row that ends after the position, or at it when the row ends its line
        while low < high {
            let mid = (low + high) / 2
            let row = rows[mid]
            if position < row.range.upperBound || (position == row.range.upperBound && row.endsLine) {
                high = mid
            } else {
                low = mid + 1
            }
        }
        return low
    }

    /// The last insertion point on `row`: its end when it ends a line, else before its
    /// last character.
    static func lastPosition(of row: NoteRow) -> Int {
        row.endsLine || row.range.isEmpty ? row.range.upperBound : row.range.upperBound - 1
    }

    /// The column of the insertion point in `row` (display cells from the row's start).
    func column(in row: NoteRow) -> Int {
        characters[row.range.lowerBound..<max(row.range.lowerBound, min(cursor, row.range.upperBound))]
            .reduce(0) { $0 + DisplayWidth.columns(of: $1) }
    }

    /// The insertion point on `row` nearest column `goal` without passing it.
    func position(in row: NoteRow, atColumn goal: Int) -> Int {
        var column = 0
        var position = row.range.lowerBound
        let last = NoteEditor.lastPosition(of: row)
        while position < last {
            let next = column + DisplayWidth.columns(of: characters[position])
            if next > goal { break }
            column = next
            position += 1
        }
        return position
    }

    /// The insertion point's row and column at wrap width `width`.
    public func cursorLocation(width: Int) -> (row: Int, column: Int) {
        let rows = rows(width: width)
        let row = NoteEditor.row(of: cursor, in: rows)
        return (row, column(in: rows[row]))
    }

    /// The first row to show so that the insertion point's row `cursorRow` is one of
    /// `visible` rows, moving as little as possible from ``top``, and no pane is left
    /// partly empty while rows above it are hidden (`rowCount` rows in all).
    public func topKeeping(cursorRow: Int, visible: Int, rowCount: Int) -> Int {
        let visible = max(1, visible)
        var first = min(top, cursorRow, max(0, rowCount - visible))
        if cursorRow >= first + visible { first = cursorRow - visible + 1 }
        return max(0, first)
    }

    /// Scrolls so that the insertion point shows in a pane of `visible` rows at wrap width `width`.
    public mutating func scrollToCursor(width: Int, visible: Int) {
        let rows = rows(width: width)
        top = topKeeping(cursorRow: NoteEditor.row(of: cursor, in: rows), visible: visible, rowCount: rows.count)
    }
}

/// The rows of one note text at one width, laid out once. It is no part of an editor's
/// value: two editors are equal whatever their caches hold.
final class NoteRowCache: Hashable, @unchecked Sendable {
    private let lock = NSLock()
    private var laidOut: (width: Int, rows: [NoteRow])?

    /// The rows at `width`, from `layOut` the first time they are asked for at that width.
    func rows(width: Int, layOut: () -> [NoteRow]) -> [NoteRow] {
        lock.lock()
        defer { lock.unlock() }
        if let laidOut, laidOut.width == width { return laidOut.rows }
        let rows = layOut()
        laidOut = (width, rows)
        return rows
    }

    static func == (lhs: NoteRowCache, rhs: NoteRowCache) -> Bool { true }
    func hash(into hasher: inout Hasher) {}
}
