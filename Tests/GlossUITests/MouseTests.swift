import Foundation
import Testing
@testable import GlossUI
import GlossCore

/// The mouse in the reader: the screen cell a report names is found in the rendered
/// screen, and the state must act on the text drawn there.
struct MouseTests {
    /// The screen row and column where `text` is drawn inside the text pane (the column
    /// of its first character), from the rendered screen.
    static func cell(of text: String, in state: AppState, sourceLocation: SourceLocation = #_sourceLocation) -> (row: Int, column: Int)? {
        let buffer = Renderer.render(state)
        let pane = state.geometry.text
        for row in pane.row..<(pane.row + pane.height) {
            // cell by cell, so that a wide character's right half keeps the columns right
            var line = ""
            var columns: [Int] = []
            for column in pane.column..<(pane.column + pane.width) where buffer[row, column].width > 0 {
                for _ in buffer[row, column].text { columns.append(column) }
                line += buffer[row, column].text
            }
            if let range = line.range(of: text) {
                return (row, columns[line.distance(from: line.startIndex, to: range.lowerBound)])
            }
        }
        Issue.record("\"\(text)\" is not on the screen", sourceLocation: sourceLocation)
        return nil
    }

    @Test func clickFocusesTheSentenceUnderTheCell() throws {
        var state = try Fixture.seedState(width: 100, height: 30)
        #expect(state.focusText != Seed.onlyBy)
        let target = try #require(Self.cell(of: "results can be", in: state))
        state.mouseEnabled = true
        _ = state.handle(.mouse(MouseEvent(.press, row: target.row, column: target.column)))
        _ = state.handle(.mouse(MouseEvent(.release, row: target.row, column: target.column)))
        #expect(state.focusText == Seed.onlyBy)
        #expect(state.mode == .reading)
        #expect(state.selection == nil)
        // the tag key then tags that sentence
        _ = state.press(.character("a"))
        _ = state.type("ISIL")
        _ = state.press(.enter)
        #expect(state.annotations.map(\.quote) == [Seed.onlyBy])
    }

    @Test func clickPastTheLineEndPicksItsLastCharacter() throws {
        var state = try Fixture.seedState(width: 100, height: 30)
        let target = try #require(Self.cell(of: "results can be", in: state))
        // the margin on the left and far past the end of the row
        _ = state.handle(.mouse(MouseEvent(.press, row: target.row, column: 0)))
        let left = try #require(state.glyph(atRow: target.row, column: 0))
        #expect(state.focusRange?.contains(left.lowerBound) == true)
        let right = try #require(state.glyph(atRow: target.row, column: state.geometry.text.width - 1))
        let lines = state.cache.lines(state.row(of: left.lowerBound).paragraph, width: state.wrapWidth)
        let line = try #require(lines.first { $0.range.contains(left.lowerBound) })
        #expect(right == line.glyphs.last { $0.width > 0 }?.range)
        // a click on the status line or the border does nothing
        let before = state.focus
        _ = state.handle(.mouse(MouseEvent(.press, row: state.geometry.statusRow, column: 3)))
        _ = state.handle(.mouse(MouseEvent(.press, row: 2, column: state.geometry.text.width)))
        #expect(state.focus == before)
    }

    @Test func dragSelectsExactlyTheSpan() throws {
        var state = try Fixture.seedState(width: 100, height: 30)
        // "the Office of" ends a row, "Counter Terrorism have" starts the next
        let office = try #require(Self.cell(of: "the Office of", in: state))
        let counter = try #require(Self.cell(of: "Counter Terrorism have", in: state))
        #expect(counter.row == office.row + 1)
        let start = (row: office.row, column: office.column + 4)
        let last = (counter.row, counter.column + "Counter Terrorism".count - 1)
        _ = state.handle(.mouse(MouseEvent(.press, row: start.row, column: start.column)))
        _ = state.handle(.mouse(MouseEvent(.drag, row: start.row, column: start.column + 3)))
        _ = state.handle(.mouse(MouseEvent(.drag, row: last.0, column: last.1)))
        _ = state.handle(.mouse(MouseEvent(.release, row: last.0, column: last.1)))
        #expect(state.mode == .selecting)
        let selection = try #require(state.selection)
        #expect(state.document.text(in: selection.range) == "Office of Counter Terrorism")
        // drawn as the selection, and a tag key tags exactly it
        _ = state.press(.character("a"))
        _ = state.type("UNOCT")
        _ = state.press(.enter)
        #expect(state.annotations.map(\.quote) == ["Office of Counter Terrorism"])
    }

    @Test func escapeDuringADragDropsIt() throws {
        var state = try Fixture.seedState(width: 100, height: 30)
        let phrase = try #require(Self.cell(of: "a professional", in: state))
        _ = state.handle(.mouse(MouseEvent(.press, row: phrase.row, column: phrase.column)))
        _ = state.handle(.mouse(MouseEvent(.drag, row: phrase.row, column: phrase.column + 8)))
        _ = state.press(.escape)
        _ = state.handle(.mouse(MouseEvent(.release, row: phrase.row, column: phrase.column + 8)))
        #expect(state.selection == nil && state.mode == .reading)
    }

    @Test func dragBackwardsSelectsFromTheReleaseToThePress() throws {
        var state = try Fixture.seedState(width: 100, height: 30)
        let phrase = try #require(Self.cell(of: "a professional", in: state))
        let word = (row: phrase.row, column: phrase.column + 2)
        let pressed = (word.row, word.column + "professional".count - 1)
        _ = state.handle(.mouse(MouseEvent(.press, row: pressed.0, column: pressed.1)))
        _ = state.handle(.mouse(MouseEvent(.drag, row: word.row, column: word.column)))
        _ = state.handle(.mouse(MouseEvent(.release, row: word.row, column: word.column)))
        let selection = try #require(state.selection)
        #expect(state.document.text(in: selection.range) == "professional")
        // the released end is the one keys move
        _ = state.press(.character("h"))
        #expect(state.document.text(in: state.selection!.range) == " professional")
    }

    @Test func wideCharacterHalvesAndWheel() throws {
        let text = "漢字の文。次の文です。\n\nSecond paragraph here. And more."
        var state = AppState(document: Document(text: text), codebook: Fixture.codebook, width: 80, height: 24)
        _ = state.handle(.resize(width: 80, height: 24))
        let cell = try #require(Self.cell(of: "次", in: state))
        // the right half of the wide character is the same character
        #expect(state.glyph(atRow: cell.row, column: cell.column + 1) == state.glyph(atRow: cell.row, column: cell.column))
        _ = state.handle(.mouse(MouseEvent(.press, row: cell.row, column: cell.column + 1)))
        #expect(state.focusText == "次の文です。")
        // a press and release with no drag between is a click: no selection
        _ = state.handle(.mouse(MouseEvent(.release, row: cell.row, column: cell.column + 1)))
        #expect(state.selection == nil)
        // the blank row between paragraphs takes no click
        #expect(state.glyph(atRow: cell.row + 1, column: 3) == nil)
    }

    @Test func wheelScrollsTheTextAndTheFocusFollows() throws {
        var state = try Fixture.seedState(width: 100, height: 20)
        let top = state.top
        _ = state.handle(.mouse(MouseEvent(.wheelDown, row: 3, column: 5)))
        #expect(state.top == state.move(top, by: AppState.wheelRows))
        #expect(focusIsVisible(state))
        _ = state.handle(.mouse(MouseEvent(.wheelUp, row: 3, column: 5)))
        #expect(state.top == top)
    }

    @Test func clickOnTheListShowsTheAnnotation() throws {
        var state = try Fixture.seedState(width: 100, height: 30)
        state.focusSentence(startingWith: "Only by")
        _ = state.press(.character("a"))
        _ = state.type("ISIL")
        _ = state.press(.enter)
        state.focusSentence(startingWith: "The experts")
        _ = state.press(.character("t"))
        _ = state.type("incitement")
        _ = state.press(.enter)
        _ = state.press(.character("g"))
        let list = state.geometry.list
        // entries take two rows under the heading: the first entry's second row
        _ = state.handle(.mouse(MouseEvent(.press, row: list.row + 2, column: list.column + 4)))
        #expect(state.focusText == Seed.onlyBy)
        #expect(state.mode == .detail)
        _ = state.press(.escape)
        _ = state.handle(.mouse(MouseEvent(.press, row: list.row + 3, column: list.column + 4)))
        #expect(state.focusText == Seed.experts)
        // the heading takes no click
        _ = state.press(.escape)
        _ = state.handle(.mouse(MouseEvent(.press, row: list.row, column: list.column + 4)))
        #expect(state.mode == .list)
        #expect(state.focusText == Seed.experts)
    }

    @Test func toggleKeySaysMouseOnAndOff() throws {
        var state = try Fixture.seedState()
        #expect(!state.mouseEnabled)
        _ = state.press(.alt("m"))
        #expect(state.mouseEnabled)
        #expect(state.message == "Mouse on")
        _ = state.press(.alt("m"))
        #expect(!state.mouseEnabled)
        #expect(state.message == "Mouse off")
        #expect(state.keymap.helpRows.contains { $0.keys == "Alt-m" && $0.description == "mouse on/off (off keeps the terminal's own copy)" })
        #expect(Action(name: "toggle-mouse", codebook: Fixture.codebook) == .toggleMouse)
    }

    @Test func progressShowsInTheStatusLine() throws {
        var state = try Fixture.seedState(width: 100, height: 24)
        let plain = Renderer.render(state).lines.last!
        #expect(!plain.contains("Indexing"))
        state.progress = "Indexing 43%"
        state.message = "A long message that the status line shows at its left"
        let row = Renderer.render(state).lines.last!
        #expect(row.contains("Indexing 43%  ? help"))
        #expect(row.contains("A long message"))
    }
}

/// The mouse in a corpus's document list, and the setting carried to the documents opened.
struct CorpusMouseTests {
    @Test func clickHighlightsThenOpensAndTheMouseSettingFollows() throws {
        let folder = try CorpusFolder()
        defer { folder.cleanUp() }
        try folder.write("First document. It has two sentences.", to: "a.txt")
        try folder.write("Second document. Also two sentences.", to: "b.txt")
        try folder.write("Third document. Two again.", to: "c.txt")
        var corpus = try folder.corpus()
        _ = corpus.handle(key: .alt("m"))
        #expect(corpus.mouseEnabled)
        #expect(corpus.message == "Mouse on")
        let rows = Renderer.render(corpus).lines
        let row = try #require(rows.firstIndex { $0.contains("c.txt") })
        // the headings take no click
        _ = corpus.handle(.mouse(MouseEvent(.press, row: 0, column: 5)))
        #expect(corpus.cursor == 0)
        _ = corpus.handle(.mouse(MouseEvent(.press, row: row, column: 5)))
        #expect(corpus.cursor == 2)
        #expect(corpus.view == .documents)
        _ = corpus.handle(.mouse(MouseEvent(.wheelUp, row: row, column: 5)))
        #expect(corpus.cursor == 1)
        // a click on the highlighted document opens it, with the mouse on there too
        _ = corpus.handle(.mouse(MouseEvent(.press, row: row - 1, column: 5)))
        #expect(corpus.view == .reader)
        #expect(corpus.session?.state.document.fileName == "b.txt")
        #expect(corpus.session?.state.mouseEnabled == true)
        // turned off in the document, off for the corpus
        _ = corpus.handle(key: .alt("m"))
        #expect(!corpus.mouseEnabled)
        corpus.session?.release()
    }
}
