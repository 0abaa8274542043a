import Foundation
import Testing
@testable import GlossUI
import GlossCore

/// Reflowed line endings on screen: a line ending and the next line's indentation drawn as
/// one space, trailing spaces not drawn, and every drawn cell still mapped to the code
/// points it shows (selection, search and annotation highlights).
@Suite struct ReflowTests {
    static let indented = "T\n\n    aaa bbb\n        ccc ddd.\n"

    static func state(_ text: String, width: Int = 60, height: Int = 12) -> AppState {
        var state = AppState(document: Document(text: text), codebook: Fixture.codebook, width: width, height: height, author: "analyst")
        state.now = { Fixture.clock }
        _ = state.handle(.resize(width: width, height: height))
        return state
    }

    /// The text pane's row `row` without its margin, trailing blanks dropped.
    static func textRow(_ buffer: ScreenBuffer, _ state: AppState, _ row: Int) -> String {
        let line = buffer.lines[row]
        let pane = String(line.prefix(state.geometry.text.width))
        return String(pane.dropFirst(PaneGeometry.textMargin)).replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
    }

    @Test("a line ending and the next line's indentation are one space; the glyphs keep their offsets")
    func drawnText() throws {
        let state = Self.state(Self.indented)
        let buffer = Renderer.render(state)
        #expect(Self.textRow(buffer, state, 0) == "T")
        #expect(Self.textRow(buffer, state, 2) == "aaa bbb ccc ddd.")
        let line = try #require(state.cache.lines(1, width: state.wrapWidth).first)
        // every code point of the paragraph is on a glyph, in order
        #expect(line.range == 7..<31)
        let newline = try #require(line.glyphs.first { $0.character == "\n" })
        #expect(newline.range == 14..<15 && newline.width == 1 && newline.column == 7)
        let indentation = line.glyphs.filter { (15..<23).contains($0.range.lowerBound) }
        #expect(indentation.count == 8 && indentation.allSatisfy { $0.width == 0 && $0.column == 8 })
        #expect(line.glyphs.first { $0.character == "c" }?.column == 8)
    }

    @Test("spaces before a line ending are not drawn; CR LF reflows too")
    func trailingSpaces() {
        let state = Self.state("T\r\n\r\naaa bbb   \r\n\tccc ddd.\r\n")
        let buffer = Renderer.render(state)
        #expect(Self.textRow(buffer, state, 2) == "aaa bbb ccc ddd.")
    }

    @Test("a selection across a reflowed line ending quotes the original text with its line ending and indentation")
    func selectionAcrossLineEnding() throws {
        var state = Self.state(Self.indented)
        state.press(.character("/"))
        state.type("bbb")
        state.press(.enter)
        // v takes the match, w moves its end to the end of the next word, over the line ending
        state.press(.character("v"), .character("w"))
        let selection = try #require(state.selection)
        #expect(state.document.text(in: selection.range) == "bbb\n        ccc")
        // on screen the selection is the cells of "bbb ccc", without a gap
        let buffer = Renderer.render(state)
        let left = state.geometry.text.column + PaneGeometry.textMargin
        let reversed = (0..<20).filter { buffer[2, left + $0].style.reverse }
        #expect(reversed == Array(4..<11))
        state.press(.character("a"))
        state.type("ISIL")
        state.press(.enter)
        let annotation = try #require(state.annotations.first)
        #expect(annotation.quote == "bbb\n        ccc")
        #expect(annotation.quote == state.document.text(in: annotation.start..<annotation.end))
        #expect(annotation.start == 11 && annotation.end == 26)
        // the annotation is drawn in its colour on the same cells
        state.press(.escape, .character("G"))
        let tagged = Renderer.render(state)
        let colored = (0..<20).filter { tagged[2, left + $0].style.foreground == .cyan }
        #expect(colored == Array(4..<11))
    }

    @Test("a search match after a swallowed indentation is marked on its own cells")
    func searchHighlight() {
        var state = Self.state(Self.indented)
        state.press(.character("/"))
        state.type("ddd")
        state.press(.enter)
        #expect(state.searchMatch == 27..<30)
        let buffer = Renderer.render(state)
        let left = state.geometry.text.column + PaneGeometry.textMargin
        let marked = (0..<20).filter { buffer[2, left + $0].style.underline }
        #expect(marked == Array(12..<15))
    }

    @Test("a reflowed paragraph wider than the pane wraps at spaces with no indentation inside its lines")
    func wrapsAfterReflow() throws {
        let document = try Document(contentsOfFile: Fixture.corpus.appendingPathComponent("reports/911-commission-preface.txt").path)
        var state = AppState(document: document, codebook: Fixture.codebook, width: 100, height: 30, author: "analyst")
        _ = state.handle(.resize(width: 100, height: 30))
        let buffer = Renderer.render(state)
        for row in 0..<state.textRows {
            let text = Self.textRow(buffer, state, row)
            #expect(!text.contains("  "), "row \(row) has a run of spaces: |\(text)|")
            #expect(!text.hasPrefix(" "), "row \(row) starts with a space: |\(text)|")
        }
        #expect(Self.textRow(buffer, state, 0) == "PREFACE")
        #expect(buffer[0, 1].style.bold)
    }
}

/// A word broken at a hyphen at a line's end is drawn joined: `counter-⏎terrorism` reads
/// `counter-terrorism`, not `counter- terrorism`; offsets and quotes keep the line ending.
@Suite struct HyphenReflowTests {
    @Test("a hyphen after a letter or digit at a line's end joins the next line's word without a space")
    func hyphenatedWordsJoin() throws {
        let text = "T\n\nthe counter-\n   terrorism office and GAO-\n02-954T, a\u{2010}\nb c.\n"
        let state = ReflowTests.state(text)
        let buffer = Renderer.render(state)
        #expect(ReflowTests.textRow(buffer, state, 2) == "the counter-terrorism office and GAO-02-954T, a\u{2010}b c.")
        // the line ending keeps its offset, on a glyph of no columns
        let line = try #require(state.cache.lines(1, width: state.wrapWidth).first)
        let newline = try #require(line.glyphs.first { $0.character == "\n" })
        #expect(newline.width == 0 && newline.range == 15..<16)
        #expect(state.document.text(in: 7..<28) == "counter-\n   terrorism")
    }

    @Test("a dash that is not inside a word, or a hyphen before a line that does not start a word, still reads as a space")
    func otherHyphensKeepTheSpace() {
        let text = "T\n\nfirst part -\nsecond part 1990\u{2013}\nthen end.\n"
        let state = ReflowTests.state(text, width: 80)
        let buffer = Renderer.render(state)
        #expect(ReflowTests.textRow(buffer, state, 2) == "first part - second part 1990\u{2013} then end.")
        func joins(_ before: String, _ after: String) -> Bool {
            let graphemes = (before + "\n" + after).enumerated().map { (character: $0.element, start: $0.offset) }
            return Wrapper.joinsAtHyphen(graphemes, before: before.count - 1, after: before.count + 1)
        }
        #expect(joins("counter-", "terrorism") && joins("GAO-", "02-954T") && joins("é\u{2010}", "Ü"))
        #expect(!joins("list-", "- item") && !joins("1990-", "(2000)") && !joins(" -", "second") && !joins("-", "x"))
    }

    @Test("the GAO testimony's report numbers broken at a hyphen are drawn whole")
    func gaoTestimony() throws {
        let path = Fixture.corpus.appendingPathComponent("reports/gao-02-957t-homeland-security-testimony.txt").path
        let document = try Document(contentsOfFile: path)
        let index = try #require((0..<document.paragraphCount).first { document.text(ofParagraph: $0).contains("GAO-\n02-927T") })
        let lines = Wrapper.wrap(ParagraphText(document: document, index: index), width: 200)
        let drawn = String(lines.flatMap(\.glyphs).filter { $0.width > 0 }.map { $0.character.isWhitespace ? " " : $0.character })
        #expect(drawn.contains("GAO-02-927T, July 9, 2002"), "\(drawn)")
    }
}

/// Lines joined with no space: a line that starts with a combining mark, joiner or
/// variation selector goes on the character before its line ending (`cafe⏎◌́` reads
/// `café`), and a soft hyphen ending a line is a hyphenation point, not drawn
/// (`infor­⏎mation` reads `information`). Offsets keep the line ending and the soft
/// hyphen; search finds what is drawn and maps back to them.
@Suite struct JoinedLineReflowTests {
    @Test("a line starting with a combining accent is drawn on the letter before its line ending, with no space, and found so")
    func combiningMarkJoins() throws {
        let text = "T\n\nun cafe\n\u{301} noir et un the\u{301}.\n"
        let state = ReflowTests.state(text)
        let buffer = Renderer.render(state)
        #expect(ReflowTests.textRow(buffer, state, 2) == "un cafe\u{301} noir et un the\u{301}.")
        // the accent is drawn in the cell of the e, not on a cell of its own
        let left = state.geometry.text.column + PaneGeometry.textMargin
        #expect(buffer[state.geometry.text.row + 2, left + 6].text == "e\u{301}")
        #expect(buffer[state.geometry.text.row + 2, left + 7].text == " ")
        let line = try #require(state.cache.lines(1, width: state.wrapWidth).first)
        #expect(line.range == 3..<(text.unicodeScalars.count - 1))
        let newline = try #require(line.glyphs.first { $0.character == "\n" })
        let accent = try #require(line.glyphs.first { $0.character == "\u{301}" })
        #expect(newline.width == 0 && accent.width == 0 && accent.range == 11..<12)
        // search reads it as drawn: é, canonically equivalent, and the match covers the line ending
        let matches = AppState.matchRanges(of: "caf\u{E9} noir", inParagraph: 1, of: state.document)
        #expect(matches.map { state.document.text(in: $0) } == ["cafe\n\u{301} noir"])
        #expect(ReflowedText("cafe\n\u{301} noir").text == "cafe\u{301} noir")
        let reflowed = ReflowedText("cafe\n\u{301} noir")
        #expect(reflowed.originalRange(0..<5) == 0..<6 && reflowed.shownRange(4..<6) == 4..<5)
    }

    @Test("a zero-width joiner, a variation selector or an enclosing mark starting a line joins too; a spacing mark keeps its column; a letter does not join")
    func otherMarksJoin() {
        for (mark, drawn) in [("\u{200D}", "ab"), ("\u{FE0F}", "ab"), ("\u{20DD}", "a\u{20DD}b")] {
            let state = ReflowTests.state("T\n\na\n\(mark)b\n")
            #expect(ReflowTests.textRow(Renderer.render(state), state, 2) == drawn, "\(mark.unicodeScalars.first!.value)")
            #expect(ReflowedText("a\n\(mark)b").text == "a\(mark)b")
        }
        let spacing = ReflowTests.state("T\n\n\u{915}\n\u{93E}b\n")
        #expect(ReflowTests.textRow(Renderer.render(spacing), spacing, 2) == "\u{915}\u{93E}b")
        let letter = ReflowTests.state("T\n\na\nb\n")
        #expect(ReflowTests.textRow(Renderer.render(letter), letter, 2) == "a b")
        #expect(ReflowedText("a\nb").text == "a b")
    }

    @Test("a soft hyphen ending a line is a hyphenation point: neither it nor a space is drawn, search finds the word whole; elsewhere it is drawn as -")
    func softHyphenJoins() throws {
        let text = "T\n\nthe infor\u{AD}\nmation desk and a soft\u{AD}hyphen, CR LF: re\u{AD}  \r\n  joined.\n"
        let state = ReflowTests.state(text, width: 160)
        let buffer = Renderer.render(state)
        #expect(ReflowTests.textRow(buffer, state, 2) == "the information desk and a soft-hyphen, CR LF: rejoined.")
        let line = try #require(state.cache.lines(1, width: state.wrapWidth).first)
        let softHyphens = line.glyphs.filter { $0.character == "\u{AD}" }
        #expect(softHyphens.map(\.width) == [0, 1, 0])
        #expect(softHyphens.first?.range == 12..<13)
        for (query, quote) in [("information", "infor\u{AD}\nmation"), ("information desk", "infor\u{AD}\nmation desk"),
                               ("rejoined", "re\u{AD}  \r\n  joined")] {
            #expect(AppState.matchRanges(of: query, inParagraph: 1, of: state.document).map { state.document.text(in: $0) } == [quote], "\(query)")
        }
        let reflowed = ReflowedText("infor\u{AD}\nmation")
        #expect(reflowed.text == "information")
        #expect(reflowed.originalRange(0..<11) == 0..<13 && reflowed.originalRange(4..<5) == 4..<7)
        #expect(reflowed.shownRange(5..<7) == 5..<5 && reflowed.shownRange(7..<13) == 5..<11)
        // the reader's search finds it from the first paragraph, through the byte-wise first pass
        var reader = state
        reader.press(.character("/"))
        reader.type("information")
        reader.press(.enter)
        #expect(reader.searchMatch.map { reader.document.text(in: $0) } == "infor\u{AD}\nmation")
    }

    @Test("a line does not wrap where a soft hyphen or a mark joins it to the next: the joined word moves whole")
    func joinedWordsDoNotWrapApart() {
        for text in ["aaaa bbbb\u{AD}\ncccc", "aaaa bbbb\n\u{301}cccc"] {
            let document = Document(text: text)
            let lines = Wrapper.wrap(ParagraphText(document: document, index: 0), width: 10)
            let drawn = lines.map { line in
                String(line.glyphs.filter { $0.width > 0 }.map { $0.character.isWhitespace ? " " : $0.character })
                    .trimmingCharacters(in: .whitespaces)
            }
            #expect(drawn.first == "aaaa", "\(text.debugDescription): \(drawn)")
            #expect(drawn.count == 2 && drawn[1].hasPrefix("bbbb"), "\(text.debugDescription): \(drawn)")
        }
    }
}
