import Foundation
import Testing
@testable import GlossUI
import GlossCore

/// The note editor on its own: typing, line breaks, wrapping by display cells and moving
/// the insertion point over wide clusters.
@Suite struct NoteEditorTests {
    func editor(_ text: String = "") -> NoteEditor {
        NoteEditor(target: .memo, title: "Document memo — test.txt", text: text)
    }

    @Test("the rows laid out once are those of the text as it is now: after an edit, at another width, and in a copy edited apart")
    func rowsFollowEditsAndWidths() {
        var editor = editor("one two three four five six")
        let original = editor
        #expect(editor.rows(width: 10) == NoteEditor.rows(of: Array(editor.text), width: 10))
        editor.moveToLineStart()
        editor.insert("zero ")
        #expect(editor.rows(width: 10) == NoteEditor.rows(of: Array("zero one two three four five six"), width: 10))
        #expect(editor.rows(width: 7) == NoteEditor.rows(of: Array(editor.text), width: 7))
        #expect(editor.rows(width: 10) == NoteEditor.rows(of: Array(editor.text), width: 10))
        // the copy made before the edit keeps its own text's rows
        #expect(original.rows(width: 10) == NoteEditor.rows(of: Array("one two three four five six"), width: 10))
        editor.deleteToLineStart()
        #expect(editor.rows(width: 10) == NoteEditor.rows(of: Array(editor.text), width: 10))
        // the cache is no part of the value
        #expect(NoteEditor(target: .memo, title: "t", text: "a b") == NoteEditor(target: .memo, title: "t", text: "a b"))
    }

    @Test("typing inserts at the insertion point; Enter breaks the line")
    func insertAndNewline() {
        var editor = editor()
        editor.insert("ab")
        editor.insertNewline()
        editor.insert("c")
        #expect(editor.text == "ab\nc")
        #expect(editor.cursor == 4)
        editor.moveLeft(); editor.moveLeft()
        editor.insert("X")
        #expect(editor.text == "abX\nc")
        #expect(editor.isChanged)
        // a combining mark typed after a letter joins it, and the insertion point follows it
        editor.moveToLineEnd()
        editor.insert("e")
        editor.insert("\u{301}")
        #expect(editor.text == "abXé\nc")
        #expect(editor.cursor == 4)
    }

    @Test("Backspace at a line start joins the two lines; Del at a line end too")
    func backspaceAcrossNewline() {
        var editor = editor("ab\ncd")
        editor.moveRows(0, width: 20)
        editor.moveToLineStart()
        #expect(editor.cursor == 3)
        editor.deleteBackward()
        #expect(editor.text == "abcd")
        #expect(editor.cursor == 2)
        editor.insertNewline()
        editor.moveLeft()
        editor.deleteForward()
        #expect(editor.text == "abcd")
        editor.moveToLineStart()
        editor.deleteBackward()
        #expect(editor.text == "abcd", "Backspace at the very start does nothing")
    }

    @Test("Ctrl-U deletes to the line's start, Ctrl-K to its end or the line break there")
    func deleteToLineEnds() {
        var editor = editor("first line\nsecond line")
        editor.moveToLineStart()
        editor.moveRight(); editor.moveRight(); editor.moveRight()
        editor.deleteToLineStart()
        #expect(editor.text == "first line\nond line" && editor.cursor == 11)
        editor.deleteToLineEnd()
        #expect(editor.text == "first line\n")
        editor.moveLeft()
        editor.deleteToLineEnd()
        #expect(editor.text == "first line", "at a line's end Ctrl-K joins the next line")
    }

    @Test("rows break after spaces by display cells; a long word is cut; CJK counts two cells")
    func wrapping() {
        #expect(NoteEditor.wrappedLines(of: "one two three", width: 7) == ["one two", "three"])
        #expect(NoteEditor.wrappedLines(of: "one two three", width: 6) == ["one", "two", "three"])
        #expect(NoteEditor.wrappedLines(of: "abcdefghij", width: 4) == ["abcd", "efgh", "ij"])
        #expect(NoteEditor.wrappedLines(of: "日本語です", width: 5) == ["日本", "語で", "す"])
        #expect(NoteEditor.wrappedLines(of: "a\n\nb", width: 5) == ["a", "", "b"])
        #expect(NoteEditor.wrappedLines(of: "", width: 5) == [""])
        // a combining mark takes no cell: five a-acutes fit five columns
        #expect(NoteEditor.wrappedLines(of: String(repeating: "a\u{301}", count: 6), width: 5).map(\.count) == [5, 1])
        // a character wider than the width gets a row of its own instead of looping
        #expect(NoteEditor.wrappedLines(of: "日本", width: 1) == ["日", "本"])
        // every row fits the width once the spaces at its break are set aside
        let text = "Voronkov said 国連 should 👍🏽 lead; the conference is scheduled for Thursday."
        for width in 1...30 {
            for line in NoteEditor.wrappedLines(of: text, width: width) where line.count > 1 {
                #expect(DisplayWidth.columns(of: line) <= width, "|\(line)| is wider than \(width)")
            }
        }
    }

    @Test("↑ ↓ keep the column across wide clusters, never landing inside one")
    func verticalMovesOverWideClusters() {
        var editor = editor("ab\n日本語x")
        // from the end of "ab" (column 2) down: after 日, column 2
        editor.moveRows(-1, width: 20)
        editor.moveToLineEnd()
        #expect(editor.cursor == 2)
        editor.moveRows(1, width: 20)
        #expect(editor.cursor == 4)
        #expect(editor.cursorLocation(width: 20) == (row: 1, column: 2))
        // from column 1 down: 日 covers columns 0 and 1, so the insertion point stays before it
        var other = self.editor("a\n日本")
        other.moveRows(-1, width: 20)
        other.moveToLineStart()
        other.moveRight()
        other.moveRows(1, width: 20)
        #expect(other.cursor == 2)
        #expect(other.cursorLocation(width: 20).column == 0)
        // the column of the first move is kept: back up lands after "a" again
        other.moveRows(-1, width: 20)
        #expect(other.cursor == 1)
        // ← → step over a whole cluster (an emoji with a skin tone, an e with an accent)
        var clusters = self.editor("👍🏽e\u{301}")
        clusters.moveToLineStart()
        clusters.moveRight()
        #expect(clusters.cursorLocation(width: 20).column == DisplayWidth.columns(of: Character("👍🏽")))
        clusters.moveRight()
        #expect(clusters.cursor == 2 && clusters.cursor == clusters.characters.count)
    }

    @Test("↑ ↓ Home End move by visual rows of a wrapped line; Ctrl-A Ctrl-E by lines")
    func rowsAndLines() {
        // "one two three" at width 7: rows "one two " and "three"
        var editor = editor("one two three\nnext")
        editor.moveRows(-1, width: 7)
        #expect(editor.cursorLocation(width: 7) == (row: 1, column: 4))
        editor.moveToRowStart(width: 7)
        #expect(editor.cursor == 8)
        editor.moveRows(-1, width: 7)
        #expect(editor.cursor == 0)
        editor.moveToRowEnd(width: 7)
        #expect(editor.cursor == 7, "the end of a wrapped row is before its last space")
        editor.moveToLineEnd()
        #expect(editor.cursor == 13)
        editor.moveRight()
        #expect(editor.cursorLocation(width: 7) == (row: 2, column: 0))
        editor.moveToLineEnd()
        editor.moveToLineStart()
        #expect(editor.cursor == 14)
    }

    @Test("random edits at random widths: rows cover the note in order, fit their width, and the insertion point is always on one")
    func randomEdits() {
        var seed: UInt64 = 0x5EED_0F_6105
        func next(_ bound: Int) -> Int {
            // a fixed sequence (xorshift), so a failure repeats
            seed ^= seed << 13; seed ^= seed >> 7; seed ^= seed << 17
            return Int(seed % UInt64(bound))
        }
        let pieces = ["a", "word ", " ", "日本", "👍🏽", "e\u{301}", "\u{301}", "\n", "\t", "\u{7}", "ก\u{E33}", "👨‍👩‍👧", "longwordwithoutspaces", "\r\n"]
        for round in 0..<200 {
            var editor = NoteEditor(target: .memo, title: "t", text: "")
            let width = 1 + next(12)
            for _ in 0..<40 {
                switch next(9) {
                case 0, 1, 2: editor.insert(pieces[next(pieces.count)])
                case 3: editor.deleteBackward()
                case 4: editor.moveRows(next(2) == 0 ? -1 : 1, width: width)
                case 5: editor.moveLeft()
                case 6: editor.moveToRowEnd(width: width)
                case 7: editor.deleteToLineEnd()
                default: editor.insertNewline()
                }
                #expect(editor.characters == Array(editor.text))
                #expect((0...editor.characters.count).contains(editor.cursor))
                #expect(!editor.text.unicodeScalars.contains { DisplayWidth.isControl($0) && $0 != "\n" }, "round \(round)")
                let rows = editor.rows(width: width)
                var expected = 0
                for row in rows {
                    #expect(row.range.lowerBound == expected, "round \(round): a gap before a row at width \(width)")
                    let visible = editor.characters[row.range].reversed().drop { $0.isWhitespace }
                    #expect(visible.count <= 1 || visible.reduce(0) { $0 + DisplayWidth.columns(of: $1) } <= width)
                    expected = row.range.upperBound + (row.endsLine ? 1 : 0)
                }
                #expect(expected == editor.characters.count + 1)
                let location = editor.cursorLocation(width: width)
                #expect(location.row < rows.count && location.column >= 0)
            }
        }
    }

    @Test("tabs become spaces to the next stop; line breaks of every kind become line feeds; other controls are dropped")
    func sanitizing() {
        #expect(NoteEditor.sanitized("a\tb", column: 0) == "a   b")
        #expect(NoteEditor.sanitized("\t", column: 6) == "  ")
        #expect(NoteEditor.sanitized("a\r\nb\rc\u{2028}d", column: 0) == "a\nb\nc\nd")
        #expect(NoteEditor.sanitized("x\u{1B}[31my\u{7}\u{9B}z\u{7F}", column: 0) == "x[31myz")
    }
}

/// The note editor in the reader: `m` on an annotation's note, `M` on the document memo;
/// Ctrl-S saves one undoable change, Esc asks when there are changes.
@Suite struct NoteEditorStateTests {
    /// The seed article at `width` x `height` with the Voronkov sentence tagged actor
    /// UNOCT and focused.
    static func tagged(width: Int = 80, height: Int = 24) throws -> AppState {
        var state = try Fixture.seedState(width: width, height: height)
        state.focusSentence(startingWith: "Vladimir Voronkov")
        state.press(.character("a"))
        state.type("UNOCT")
        state.press(.enter)
        return state
    }

    @Test("m opens a titled editor; three lines typed with Enter are saved by Ctrl-S as one step that u undoes")
    func noteSavedAndUndone() throws {
        var state = try Self.tagged()
        let id = try #require(state.annotations.first?.id)
        state.press(.character("m"))
        #expect(state.mode == .editor)
        #expect(state.editor?.title.hasPrefix("Note — Actor: UN Office of") == true)
        #expect(state.editor?.title.contains("“Vladimir Voronkov") == true)
        state.type("first")
        state.press(.enter)
        state.type("second")
        state.press(.enter)
        state.type("third")
        #expect(state.annotation(id: id)?.note == "", "nothing is saved before Ctrl-S")
        #expect(state.press(.control("s")) == [.save])
        #expect(state.mode == .reading && state.editor == nil)
        #expect(state.annotation(id: id)?.note == "first\nsecond\nthird")
        #expect(state.message == "Note saved (u undoes)")
        state.press(.character("u"))
        #expect(state.annotation(id: id)?.note == "")
        state.press(.control("r"))
        #expect(state.annotation(id: id)?.note == "first\nsecond\nthird")
    }

    @Test("Esc with changes asks to save: c keeps editing, n discards, y saves; Esc without changes just closes")
    func escapeAsks() throws {
        var state = try Self.tagged()
        let id = try #require(state.annotations.first?.id)
        state.press(.character("m"), .escape)
        #expect(state.mode == .reading, "an unchanged note just closes")
        state.press(.character("m"))
        state.type("draft")
        #expect(state.press(.escape) == [])
        #expect(state.editor?.confirmingClose == true)
        #expect(Renderer.render(state).lines[23].hasPrefix("Save the note? (y)es / (n)o, discard / (c)ancel, keep editing"))
        // other keys leave the question up and type nothing
        state.press(.character("x"))
        #expect(state.editor?.confirmingClose == true && state.editor?.text == "draft")
        state.press(.character("c"))
        #expect(state.editor?.confirmingClose == false && state.mode == .editor)
        state.type("s")
        state.press(.escape, .character("n"))
        #expect(state.mode == .reading)
        #expect(state.annotation(id: id)?.note == "")
        state.press(.character("m"))
        state.type("kept")
        state.press(.escape)
        #expect(state.press(.character("y")) == [.save])
        #expect(state.annotation(id: id)?.note == "kept")
    }

    @Test("M edits the document memo: saved by Ctrl-S as one change, marked in the list heading, undone by u")
    func memo() throws {
        var state = try Self.tagged(width: 120, height: 40)
        state.press(.character("M"))
        #expect(state.mode == .editor)
        #expect(state.editor?.title == "Document memo — seed-counter-terrorism-conference.txt")
        #expect(!Renderer.render(state).lines[0].contains("Memo ✎"))
        state.type("Check UNOCT press release")
        #expect(state.press(.control("s")) == [.save])
        #expect(state.contents.memo == "Check UNOCT press release")
        #expect(state.message == "Memo saved (u undoes)")
        #expect(Renderer.render(state).lines[0].contains("Annotations (1) · Memo ✎"))
        // reopening starts from the memo; a second line joins it
        state.press(.character("M"), .enter)
        state.type("and the date")
        state.press(.control("s"))
        #expect(state.contents.memo == "Check UNOCT press release\nand the date")
        state.press(.character("u"))
        #expect(state.contents.memo == "Check UNOCT press release")
        state.press(.character("u"))
        #expect(state.contents.memo == "")
        #expect(!Renderer.render(state).lines[0].contains("Memo"))
        #expect(state.annotations.count == 1, "undoing the memo leaves the annotations")
    }

    @Test("m in the detail view edits its annotation's note and returns there; the view shows every line")
    func fromDetail() throws {
        var state = try Self.tagged(width: 120, height: 40)
        state.press(.character("]"), .enter)
        #expect(state.mode == .detail)
        state.press(.character("m"))
        #expect(state.mode == .editor)
        state.type("line one")
        state.press(.enter)
        state.type("line two")
        state.press(.enter)
        state.type("line three")
        state.press(.control("s"))
        #expect(state.mode == .detail)
        let lines = Renderer.render(state).lines
        for text in ["line one", "line two", "line three"] {
            #expect(lines.contains { $0.contains("  " + text) }, "the detail view lacks \(text)")
        }
        // a long note: the detail view says the rest is in the editor
        state.press(.character("m"))
        _ = state.handle(paste: String(repeating: "another line\n", count: 40))
        state.press(.control("s"))
        #expect(Renderer.render(state).lines.contains { $0.contains("more lines: m shows the whole note") })
        // in a small terminal the selected tag keeps its row rather than the hint
        _ = state.handle(.resize(width: 30, height: 8))
        #expect(Renderer.render(state).lines.contains { $0.contains("▸ Actor") })
    }

    @Test("after a prompt in the detail view, Esc leaves the view for good: it is not drawn under the reader or the editor")
    func detailClosedAfterPrompt() throws {
        var state = try Self.tagged(width: 120, height: 40)
        state.press(.character("]"), .enter, .enter)
        state.type("ISIL")
        state.press(.enter)
        #expect(state.mode == .detail)
        state.press(.escape)
        #expect(state.mode == .reading)
        #expect(state.detailAnnotation == nil)
        #expect(!Renderer.render(state).lines.contains { $0.contains("Code points") })
        state.press(.character("m"))
        #expect(!Renderer.render(state).lines.contains { $0.contains("Code points") })
        state.press(.escape)
        #expect(state.mode == .reading)
    }

    @Test("in a read-only reader m shows the note but nothing can be typed or saved")
    func readOnly() throws {
        var state = try Self.tagged()
        state.press(.character("m"))
        state.type("was here")
        state.press(.control("s"))
        state.readOnly = true
        state.readOnlyReason = "another gloss has this store open"
        state.press(.character("m"))
        #expect(state.mode == .editor && state.editor?.readOnly == true)
        #expect(Renderer.render(state).lines.contains { $0.contains("(read-only)") })
        #expect(state.press(.character("x")) == [])
        #expect(state.editor?.text == "was here")
        #expect(state.message?.hasPrefix("Read-only: another gloss") == true)
        _ = state.handle(paste: "pasted")
        state.press(.enter, .backspace)
        #expect(state.press(.control("s")) == [])
        #expect(state.editor?.text == "was here")
        state.press(.escape)
        #expect(state.mode == .reading)
        #expect(state.annotations.first?.note == "was here")
        // M too
        state.press(.character("M"))
        state.type("x")
        state.press(.control("s"), .escape)
        #expect(state.contents.memo == "")
    }

    @Test("the reader turning read-only while the editor is open keeps the editor and saves nothing")
    func turnsReadOnly() throws {
        var state = try Self.tagged()
        state.press(.character("m"))
        state.type("draft")
        state.readOnly = true
        #expect(state.press(.control("s")) == [])
        #expect(state.mode == .editor && state.editor?.text == "draft")
        #expect(state.messageIsError)
        #expect(state.annotations.first?.note == "")
    }

    @Test("pasted text keeps its line breaks; tabs become spaces; controls are dropped and never drawn")
    func paste() throws {
        var state = try Self.tagged()
        state.press(.character("m"))
        _ = state.handle(paste: "a\tb\u{1B}[2J\r\nline\u{7} two\u{9B}")
        #expect(state.editor?.text == "a   b[2J\nline two")
        state.press(.tab)
        #expect(state.editor?.text == "a   b[2J\nline two    ")
        let buffer = Renderer.render(state)
        #expect(!buffer.cells.contains { $0.text.unicodeScalars.contains(where: DisplayWidth.isControl) })
        state.press(.control("s"))
        #expect(state.annotations.first?.note == "a   b[2J\nline two    ")
    }

    @Test("a note with a tab or controls from the store is drawn with blanks and pictures, never raw")
    func storedControls() throws {
        var state = try Self.tagged()
        state.press(.character("m"))
        state.type("x")
        state.press(.control("s"))
        var annotation = try #require(state.annotations.first)
        annotation.note = "tab\there\u{1B}[31mred"
        state.replaceContents(StoreContents(annotations: [annotation]))
        state.press(.character("m"))
        let lines = Renderer.render(state).lines
        #expect(lines.contains { $0.contains("tab here␛[31mred") })
    }

    @Test("a long note scrolls inside the pane, the insertion point always in view")
    func scrolling() throws {
        var state = try Self.tagged()
        state.press(.character("m"))
        for number in 1...40 {
            state.type("line \(number)")
            if number < 40 { state.press(.enter) }
        }
        var lines = Renderer.render(state).lines
        #expect(lines.contains { $0.contains("line 40") })
        #expect(!lines.contains { $0.contains("line 1 ") || $0.hasSuffix("line 1") })
        #expect(lines[0].contains("↑"))
        for _ in 0..<39 { state.press(.up) }
        lines = Renderer.render(state).lines
        #expect(lines.contains { $0.contains("line 1 ") })
        #expect(lines.contains { $0.contains("↓") })
        state.press(.pageDown)
        #expect((state.editor?.cursorLocation(width: state.editorWrapWidth).row ?? 0) > 5)
        // at the end, shrunk and grown again: the pane is full, the last line on its last row
        state.press(.control("n"), .pageDown, .pageDown)
        _ = state.handle(.resize(width: 20, height: 6))
        _ = state.handle(.resize(width: 80, height: 24))
        lines = Renderer.render(state).lines
        #expect(lines[21].contains("line 40"), "|\(lines[21])|")
        #expect(lines[1].contains("line 20"), "|\(lines[1])|")
    }

    @Test("resizing down to 1x1 while editing neither crashes nor loses keys typed meanwhile")
    func tinyTerminal() throws {
        var state = try Self.tagged()
        state.press(.character("m"))
        state.type("before")
        for (width, height) in [(30, 8), (20, 6), (19, 5), (5, 2), (1, 1), (0, 0)] {
            _ = state.handle(.resize(width: width, height: height))
            _ = Renderer.render(state)
            state.press(.enter, .up, .down, .end, .home, .pageDown)
            state.type("\(width)")
            _ = Renderer.render(state)
        }
        _ = state.handle(.resize(width: 80, height: 24))
        state.press(.control("s"))
        #expect(state.annotations.first?.note == "before\n30\n20\n19\n5\n1\n0")
    }

    @Test("a signal while the editor is open keeps the note as typed")
    func keptOnSignal() throws {
        var state = try Self.tagged()
        state.press(.character("m"))
        state.type("half a thought")
        #expect(state.keepOpenNote() == [.save])
        #expect(state.annotations.first?.note == "half a thought")
        state.press(.character("M"))
        state.type("memo draft")
        #expect(state.keepOpenNote() == [.save])
        #expect(state.contents.memo == "memo draft")
        state.press(.character("M"))
        #expect(state.keepOpenNote() == [], "an unchanged memo needs no save")
    }

    @Test("the note editor with a three-line note at 80x24")
    func golden() throws {
        var state = try Self.tagged()
        state.press(.character("m"))
        state.type("Voronkov speaks for UNOCT.")
        state.press(.enter)
        state.type("国連テロ対策室 — check the Japanese release 👍🏽")
        state.press(.enter)
        state.type("Ask the desk whether the conference date moved.")
        // the second and third lines wrap: two rows up is the end of the second line
        state.press(.up, .up, .end)
        let buffer = Renderer.render(state)
        #expect(buffer.lines.count == 24)
        for (row, line) in buffer.lines.enumerated() {
            #expect(DisplayWidth.columns(of: line) == 80, "row \(row) is not 80 columns: |\(line)|")
        }
        #expect(buffer.lines[0].hasPrefix("┌─ Note — Actor: UN Office of"))
        #expect(buffer.lines[0].contains("“Vladimi"))
        #expect(buffer.lines[23].contains("NOTE (changed)  line 2/3"))
        Golden.check(buffer, named: "note-editor-80x24", styles: true)
    }
}
