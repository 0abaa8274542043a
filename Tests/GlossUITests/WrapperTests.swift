import Foundation
import Testing
@testable import GlossUI
import GlossCore

/// The first paragraph of `text`, cut into graphemes.
private func paragraph(_ text: String) -> ParagraphText {
    ParagraphText(document: Document(text: text), index: 0)
}

/// The characters drawn on each line: glyphs that fit the width, whitespace hanging past
/// the edge left out (the renderer does not draw it).
private func visible(_ lines: [LayoutLine], width: Int) -> [String] {
    lines.map { line in String(line.glyphs.filter { $0.column + $0.width <= width }.map(\.character)) }
}

/// Checks every invariant of a wrap: columns, coverage of the code points, order.
private func checkWrap(_ text: ParagraphText, width: Int, sourceLocation: SourceLocation = #_sourceLocation) {
    let lines = Wrapper.wrap(text, width: width)
    #expect(!lines.isEmpty, sourceLocation: sourceLocation)
    var next = text.range.lowerBound
    var characters: [Character] = []
    for (number, line) in lines.enumerated() {
        var column = 0
        for glyph in line.glyphs {
            #expect(glyph.column == column, "line \(number): glyph \(glyph.character) at column \(glyph.column), expected \(column)", sourceLocation: sourceLocation)
            column = glyph.column + glyph.width
            if glyph.character == "\t" {
                // a tab reaches the next tab stop
                #expect(glyph.width >= 1 && (glyph.column + glyph.width) % Wrapper.tabWidth == 0, sourceLocation: sourceLocation)
            } else if glyph.character.isWhitespace {
                #expect(glyph.width == DisplayWidth.columns(of: glyph.character), sourceLocation: sourceLocation)
            } else {
                #expect(glyph.width == DisplayWidth.columns(of: glyph.character), "layout and drawing disagree on \(glyph.character)", sourceLocation: sourceLocation)
                #expect(glyph.column + glyph.width <= width, "line \(number) at width \(width): \(glyph.character) ends at column \(glyph.column + glyph.width)", sourceLocation: sourceLocation)
            }
            #expect(glyph.range.lowerBound == next, "code points \(next)..<\(glyph.range.lowerBound) missing or repeated", sourceLocation: sourceLocation)
            #expect(glyph.range.count == glyph.character.unicodeScalars.count, sourceLocation: sourceLocation)
            next = glyph.range.upperBound
            characters.append(glyph.character)
        }
        if number > 0 {
            #expect(!line.glyphs.isEmpty, "empty line \(number) in the middle", sourceLocation: sourceLocation)
            #expect(line.glyphs.first.map { !$0.character.isWhitespace } ?? false, "line \(number) starts with whitespace", sourceLocation: sourceLocation)
        }
    }
    #expect(next == text.range.upperBound, "wrap stops at \(next) of \(text.range)", sourceLocation: sourceLocation)
    let original = text.graphemes.map(\.character)
    #expect(characters == original, "the glyphs are not the paragraph's graphemes in order", sourceLocation: sourceLocation)
    #expect(String(characters).unicodeScalars.elementsEqual(String(original).unicodeScalars), sourceLocation: sourceLocation)
}

@Suite("Wrapper.wrap")
struct WrapperTests {
    @Test("the wrapper's whitespace test agrees with Character.isWhitespace for every scalar, alone and with a combining mark after it")
    func whitespaceAgreesWithTheStandardLibrary() {
        var disagreements: [UInt32] = []
        for value in UInt32(0)...0x10FFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let alone = Character(scalar)
            var marked = String(scalar)
            marked.unicodeScalars.append("\u{301}")
            if Wrapper.isWhitespace(alone) != alone.isWhitespace { disagreements.append(value) }
            if marked.count == 1, let character = marked.first, Wrapper.isWhitespace(character) != character.isWhitespace {
                disagreements.append(value)
            }
        }
        #expect(disagreements.isEmpty, "differs at \(disagreements.prefix(10).map { String($0, radix: 16) })")
    }

    @Test("words wrap at spaces; the space at the break hangs on the line before")
    func words() {
        let text = paragraph("The quick brown fox jumps over the lazy dog")
        let lines = Wrapper.wrap(text, width: 10)
        #expect(visible(lines, width: 10) == ["The quick ", "brown fox ", "jumps over", "the lazy ", "dog"])
        // "jumps over" fills the width; its space hangs past the edge, not drawn
        let hanging = lines[2].glyphs.last!
        #expect(hanging.character == " " && hanging.column == 10)
        checkWrap(text, width: 10)
    }

    @Test("a line that fits is one line", arguments: [43, 44, 100])
    func fits(width: Int) {
        let text = paragraph("The quick brown fox jumps over the lazy dog")
        #expect(Wrapper.wrap(text, width: width).count == 1)
    }

    @Test("runs of spaces at a break all hang")
    func spaceRuns() {
        let text = paragraph("aaaa     bbbb")
        let lines = Wrapper.wrap(text, width: 5)
        #expect(visible(lines, width: 5) == ["aaaa ", "bbbb"])
        #expect(lines[0].range == 0..<9)
        checkWrap(text, width: 5)
    }

    @Test("a word longer than the width breaks between graphemes")
    func longWord() {
        let text = paragraph("ab Supercalifragilisticexpialidocious cd")
        let lines = Wrapper.wrap(text, width: 10)
        #expect(visible(lines, width: 10) == ["ab ", "Supercalif", "ragilistic", "expialidoc", "ious cd"])
        checkWrap(text, width: 10)
    }

    @Test("a long word at width 1 is one grapheme per line")
    func widthOne() {
        let text = paragraph("wörd")
        #expect(visible(Wrapper.wrap(text, width: 1), width: 1) == ["w", "ö", "r", "d"])
        #expect(Wrapper.wrap(text, width: 0).count == 4, "width 0 counts as 1")
    }

    @Test("CJK text without spaces breaks between characters")
    func cjk() {
        let text = paragraph("人人生而自由，在尊严和权利上一律平等。")
        let lines = Wrapper.wrap(text, width: 10)
        #expect(visible(lines, width: 10) == ["人人生而自", "由，在尊严", "和权利上一", "律平等。"])
        for line in lines.dropLast() {
            #expect(line.glyphs.map(\.width).reduce(0, +) == 10)
        }
        checkWrap(text, width: 10)
    }

    @Test("a wide character never straddles the edge at an odd width", arguments: [3, 5, 7, 9, 11])
    func oddWidth(width: Int) {
        let text = paragraph("すべての人間は、生まれながらにして自由であり")
        let lines = Wrapper.wrap(text, width: width)
        for line in lines {
            #expect(line.glyphs.allSatisfy { $0.column + $0.width <= width })
            #expect(line.glyphs.count == min((width / 2), line.glyphs.count))
        }
        #expect(lines.dropLast().allSatisfy { $0.glyphs.count == width / 2 }, "each full line holds width/2 wide characters")
        checkWrap(text, width: width)
    }

    @Test("Latin words next to CJK break before and after the wide characters")
    func mixed() {
        let text = paragraph("Gloss読む test")
        #expect(visible(Wrapper.wrap(text, width: 6), width: 6) == ["Gloss", "読む ", "test"])
        #expect(visible(Wrapper.wrap(text, width: 8), width: 8) == ["Gloss読", "む test"])
        checkWrap(text, width: 6)
        checkWrap(text, width: 8)
    }

    @Test("a word carried to a new line still breaks before a cluster wider than what is left (found by gloss-fuzz)")
    func wideClusterAfterCarriedWord() {
        // VT, R, then one cluster of three cells (two prepended Arabic marks and U+FFFD)
        checkWrap(paragraph("\u{0B}R\u{0602}\u{0602}\u{FFFD}"), width: 3)
        checkWrap(paragraph("\u{0B}R\u{0602}\u{0602}\u{FFFD}"), width: 4)
        // a word next to an emoji family near the end of a line
        for width in 7...12 {
            checkWrap(paragraph("a bc👩‍👩‍👧 d"), width: width)
        }
    }

    @Test("clusters stay whole: combining marks, emoji, flags, ZWJ sequences")
    func clusters() {
        let text = paragraph("cafe\u{301} 👍🏽 🇫🇷 👩‍👩‍👧 e\u{301}\u{301}x")
        // the widest cluster, the family drawn as its three emoji, takes 6 columns
        for width in 6...12 {
            checkWrap(text, width: width)
        }
        let glyphs = Wrapper.wrap(text, width: 40).flatMap(\.glyphs)
        #expect(glyphs.map(\.character) == Array("cafe\u{301} 👍🏽 🇫🇷 👩‍👩‍👧 e\u{301}\u{301}x"))
        let family = glyphs.first { $0.character == "👩‍👩‍👧" }!
        #expect(family.width == 6)
        #expect(family.range.count == 5)
    }

    @Test("line endings inside a paragraph are spaces; CRLF is one glyph of two code points")
    func lineEndings() {
        let text = paragraph("first line\r\nsecond line\nthird\n\nnext")
        let glyphs = Wrapper.wrap(text, width: 80).flatMap(\.glyphs)
        let crlf = glyphs.first { $0.character == "\r\n" }!
        #expect(crlf.range.count == 2 && crlf.width == 1)
        #expect(Wrapper.wrap(text, width: 80).count == 1, "a hard-wrapped paragraph reflows to one line")
        for width in [1, 5, 11, 12, 80] { checkWrap(text, width: width) }
    }

    @Test("offsets are absolute: a later paragraph's glyphs carry document offsets")
    func absoluteOffsets() {
        let document = Document(text: "Title\n\nSecond paragraph here")
        let text = ParagraphText(document: document, index: 1)
        let lines = Wrapper.wrap(text, width: 8)
        #expect(lines.first?.range.lowerBound == 7)
        #expect(lines.last?.range.upperBound == 28)
        checkWrap(text, width: 8)
    }

    @Test("every paragraph of the seed article and the UDHR translations wraps completely",
          arguments: ["seed-counter-terrorism-conference.txt", "unicode/udhr-jpn.txt", "unicode/udhr-cmn_hans.txt",
                      "unicode/udhr-arb.txt", "unicode/udhr-heb.txt", "unicode/udhr-tha.txt"])
    func corpus(file: String) throws {
        let document = try Document(contentsOfFile: Fixture.corpus.appendingPathComponent(file).path)
        #expect(!document.paragraphs.isEmpty)
        for index in document.paragraphs.indices.prefix(40) {
            let text = ParagraphText(document: document, index: index)
            for width in [2, 3, 7, 18, 47, 77] {
                checkWrap(text, width: width)
            }
        }
    }
}

@Suite struct TabStopTests {
    @Test("a tab reaches the next tab stop on screen and stays one code point")
    func tabStops() {
        let document = Document(text: "a\tbc\td")
        let lines = Wrapper.wrap(ParagraphText(document: document, index: 0), width: 40)
        let glyphs = lines[0].glyphs
        #expect(glyphs.map(\.column) == [0, 1, 8, 9, 10, 16])
        #expect(glyphs[1].width == 7 && glyphs[4].width == 6)
        #expect(glyphs.map(\.range.count) == [1, 1, 1, 1, 1, 1])
        var state = AppState(document: Document(text: "Title\n\na\tbc\td"), codebook: Fixture.codebook, width: 80, height: 24)
        _ = state.handle(.resize(width: 80, height: 24))
        let row = Renderer.render(state).lines[2]
        #expect(row.hasPrefix(" a       bc      d "))
    }
}

/// Cutting text to a width for the list and the status line.
@Suite struct TruncateTests {
    @Test("text that fits stays whole; longer text is cut with an ellipsis within the width, wide characters too")
    func truncate() {
        #expect(Renderer.truncate("abc", to: 3) == "abc")
        #expect(Renderer.truncate("abcd", to: 3) == "ab…")
        #expect(Renderer.truncate("漢字漢字", to: 5) == "漢字…")
        #expect(Renderer.truncate("漢字漢字", to: 4) == "漢…")
        #expect(Renderer.truncate("a", to: 0) == "")
        let long = String(repeating: "word ", count: 200_000)
        #expect(Renderer.truncate(long, to: 12) == "word word w…")
    }

    @Test("a list entry of a million-character quote shows its start and an ellipsis")
    func longQuoteInTheList() throws {
        let text = "Long\n\n" + String(repeating: "word ", count: 200_000) + ".\n"
        let document = Document(text: text, path: "long.txt")
        let annotation = Annotation(document: document, range: 6..<(document.length - 1), tags: [GlossCore.Tag(category: "threat", value: "x")])
        var state = AppState(document: document, codebook: Fixture.codebook, annotations: [annotation], width: 100, height: 20, author: "t")
        _ = state.handle(.resize(width: 100, height: 20))
        let lines = Renderer.render(state).lines
        #expect(lines.contains { $0.contains("“word word word") && $0.contains("…") })
    }
}
