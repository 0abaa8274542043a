import Foundation
import Testing
@testable import GlossUI
import GlossCore

/// The reader reflows a paragraph's lines, showing a line break and the spaces around it
/// as one space; search finds what it shows, and the match covers the original text.
@Suite struct LineBreakSearchTests {
    /// The text of every match of `query` in `text`, paragraph by paragraph.
    static func quotes(of query: String, in text: String) -> [String] {
        let document = Document(text: text, path: "breaks.txt")
        return (0..<document.paragraphCount).flatMap { index in
            AppState.matchRanges(of: query, inParagraph: index, of: document).map { document.text(in: $0) }
        }
    }

    @Test("a space of the text matches a line feed inside a paragraph")
    func acrossLineFeed() {
        let text = "Testimony\n\nStatement of the Comptroller General on the proposal to reorganize, and on June 6th, the\npresident announced a proposal to establish a Department of Homeland Security."
        #expect(Self.quotes(of: "the president announced", in: text) == ["the\npresident announced"])
        #expect(Self.quotes(of: "THE PRESIDENT", in: text) == ["the\npresident"])
    }

    @Test("a space of the text matches CR LF and a lone carriage return")
    func acrossCarriageReturns() {
        #expect(Self.quotes(of: "the president announced", in: "Title\r\n\r\nStatement of the Comptroller General on the proposal to reorganize, and on June 6th, the\r\npresident announced a proposal to establish a Department of Homeland Security.")
                == ["the\r\npresident announced"])
        #expect(Self.quotes(of: "the president announced", in: "Mr. Chairman and Members of the Select Committee on Homeland Security,\nthank you for the opportunity to appear before this Select Committee\nStatement of the Comptroller General on the proposal to reorganize, and on June 6th, the\rpresident announced a proposal to establish a Department of Homeland Security.") == ["the\rpresident announced"])
    }

    @Test("a space of the text matches a line break with trailing spaces and tabs and the next line's indentation")
    func acrossTrailingSpaces() {
        let text = "Mr. Chairman and Members of the Select Committee on Homeland Security,\nthank you for the opportunity to appear before this Select Committee\nStatement of the Comptroller General on the proposal to reorganize, and on June 6th, the  \t\n    president announced a proposal to establish a Department of Homeland Security."
        #expect(Self.quotes(of: "the president announced", in: text) == ["the  \t\n    president announced"])
        // a space ending the text takes the whole break, as the reader shows it
        #expect(Self.quotes(of: "the ", in: text).last == "the  \t\n    ")
        // a run of blanks in the text is one space too, as a run in the paragraph is
        #expect(Self.quotes(of: "the  president", in: text) == ["the  \t\n    president"])
    }

    @Test("a space of the text matches a tab, a no-break space and a run of blanks, which the reader shows as blank")
    func acrossBlanks() {
        #expect(Self.quotes(of: "alpha beta", in: "Alpha\tbeta gamma.") == ["Alpha\tbeta"])
        #expect(Self.quotes(of: "beta gamma", in: "Alpha\tbeta gamma.") == ["beta gamma"])
        #expect(Self.quotes(of: "alpha beta", in: "Alpha \t  beta, alpha\u{A0}beta, alpha\u{202F}beta, alpha\u{3000}beta, alpha\u{2003}\u{2003}beta.")
                == ["Alpha \t  beta", "alpha\u{A0}beta", "alpha\u{202F}beta", "alpha\u{3000}beta", "alpha\u{2003}\u{2003}beta"])
        // the blanks the reader draws as a space: vertical tab, form feed, next line
        #expect(Self.quotes(of: "alpha beta", in: "alpha\u{0B}beta alpha\u{0C}beta alpha\u{85}beta")
                == ["alpha\u{0B}beta", "alpha\u{0C}beta", "alpha\u{85}beta"])
        // a blank in the text matches a space, a tab or a no-break space alike
        #expect(Self.quotes(of: "alpha\tbeta", in: "It said alpha beta.") == ["alpha beta"])
        #expect(Self.quotes(of: "alpha\u{A0}\u{A0}beta", in: "It said alpha\tbeta.") == ["alpha\tbeta"])
        // and a run of blanks with a line break in it
        #expect(Self.quotes(of: "alpha beta", in: "It said alpha\u{A0} \r\n\tbeta.") == ["alpha\u{A0} \r\n\tbeta"])
        // but not what the reader draws with a glyph: a zero-width space (a middle dot),
        // the Ogham space mark, a space carrying a combining mark
        #expect(Self.quotes(of: "alpha beta", in: "alpha\u{200B}beta alpha\u{1680}beta alpha \u{301}beta") == [])
        #expect(Self.quotes(of: "alphabeta", in: "alpha beta alpha\tbeta") == [])
    }

    @Test("a word broken at a hyphen is joined only where the reader joins it")
    func hyphenJoinAsDrawn() {
        // a no-break space before the line break is drawn, so the word is not joined
        #expect(Self.quotes(of: "sharp-edged", in: "A sharp-\u{A0}\nedged knife.") == [])
        #expect(Self.quotes(of: "sharp- edged", in: "A sharp-\u{A0}\nedged knife.") == ["sharp-\u{A0}\nedged"])
        // a letter with a combining accent before the hyphen is a letter
        #expect(Self.quotes(of: "cafe\u{301}-bar", in: "Le cafe\u{301}-\nbar ferme.") == ["cafe\u{301}-\nbar"])
        // CR LF, and spaces and tabs around the break
        #expect(Self.quotes(of: "sharp-edged", in: "A sharp-  \t\r\n   edged knife.") == ["sharp-  \t\r\n   edged"])
        #expect(Self.quotes(of: "sharp-edged", in: "A sharp- edged knife.") == [], "a space, not a line break, after the hyphen")
    }

    @Test("a blank line ends the paragraph: no match crosses it")
    func notAcrossBlankLine() {
        for text in ["On June 6th, the\n\npresident announced it.", "On June 6th, the\r\n\r\npresident announced it.",
                     "On June 6th, the\n   \npresident announced it."] {
            #expect(Document(text: text, path: "b.txt").paragraphCount == 2, "\(text.debugDescription)")
            #expect(Self.quotes(of: "the president", in: text) == [], "\(text.debugDescription)")
            #expect(Self.quotes(of: "president announced", in: text) == ["president announced"])
        }
    }

    @Test("a word broken at a hyphen and a line break is found joined, as the reader draws it")
    func acrossHyphenatedBreak() {
        let text = "Office of Counter-\nTerrorism and the GAO-\n02-954T report."
        #expect(Self.quotes(of: "counter-terrorism", in: text) == ["Counter-\nTerrorism"])
        #expect(Self.quotes(of: "GAO-02-954T", in: text) == ["GAO-\n02-954T"])
    }

    @Test("a phrase across a line break is found case-insensitively and canonically equivalent")
    func foldingAcrossBreaks() {
        let text = "Die STRASSE\nnach Köln und die Straße\r\nnach Ko\u{308}ln."
        #expect(Self.quotes(of: "strasse nach köln", in: text) == ["STRASSE\nnach Köln", "Straße\r\nnach Ko\u{308}ln"])
    }

    /// Every match of `phrase` in the paragraphs of `document` by a regular expression in
    /// which a space is a run of blanks and line breaks (spaces, tabs, no-break spaces,
    /// the other spaces the reader draws empty): an oracle that shares no code with the
    /// search.
    static func regexMatches(of phrase: String, in document: Document) throws -> [Range<Int>] {
        let pattern = phrase.split(separator: " ", omittingEmptySubsequences: false)
            .map { NSRegularExpression.escapedPattern(for: String($0)) }
            .joined(separator: "[\\t\\n\\x{0B}\\f\\r \\x{85}\\x{A0}\\x{2000}-\\x{200A}\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}]+")
        let regex = try NSRegularExpression(pattern: pattern, options: [.caseInsensitive])
        return (0..<document.paragraphCount).flatMap { index -> [Range<Int>] in
            let text = document.text(ofParagraph: index)
            let base = document.paragraph(index)!.range.lowerBound
            return regex.matches(in: text, range: NSRange(text.startIndex..., in: text)).map {
                let range = Range($0.range, in: text)!
                let start = text.unicodeScalars.distance(from: text.startIndex, to: range.lowerBound)
                return (base + start)..<(base + start + text.unicodeScalars.distance(from: range.lowerBound, to: range.upperBound))
            }
        }
    }

    @Test("on the GAO testimony, phrases are found where a regular expression finds them, and across line breaks",
          arguments: ["the President announced", "homeland security", "the department of", "of the", "to the Congress", "GAO"])
    func agreesWithRegexOnReport(phrase: String) throws {
        let path = Fixture.corpus.appendingPathComponent("reports/gao-02-957t-homeland-security-testimony.txt").path
        let document = try Document(contentsOfFile: path)
        let expected = try Self.regexMatches(of: phrase, in: document)
        let found = (0..<document.paragraphCount).flatMap { AppState.matchRanges(of: phrase, inParagraph: $0, of: document) }
        #expect(found == expected)
        #expect(!expected.isEmpty)
        if phrase == "the President announced" || phrase == "of the" {
            #expect(expected.contains { document.text(in: $0).contains("\n") }, "no match of \(phrase) crosses a line break")
        }
    }

    @Test("a paragraph larger than a match window finds a phrase across every line break, once")
    func giantParagraph() throws {
        // lines of varying length, each ending in the first word of the phrase; at some
        // of them the window cut falls in the line break or its trailing spaces
        var text = ""
        var line = 0
        while text.utf8.count < AppState.matchWindowBytes * 3 {
            text += String(repeating: "word ", count: line % 5 + 12) + "the" + String(repeating: " ", count: line % 3) + "\n"
            text += "president announced" + (line % 5 == 0 ? " it" : "") + " and then "
            line += 1
        }
        text += "the end."
        let document = Document(text: text, path: "giant.txt")
        #expect(document.paragraphCount == 1)
        #expect(AppState.matchWindows(of: document.paragraph(0)!, in: document).count > 1)
        let found = AppState.matchRanges(of: "the president announced", inParagraph: 0, of: document)
        #expect(found.count == line)
        #expect(found == (try Self.regexMatches(of: "the president announced", in: document)))
    }

    @Test("after / finds a phrase across a line break, the match and then v cover the original text, line break included")
    func readerSearchAndSelection() throws {
        let text = "Testimony\n\nStatement of the Comptroller General on the proposal to reorganize, and on June 6th, the\r\npresident announced a proposal to establish a Department of Homeland Security. Then nothing."
        let document = Document(text: text, path: "breaks.txt")
        var state = AppState.searched(document, for: "the president announced")
        let match = try #require(state.searchMatch)
        #expect(document.text(in: match) == "the\r\npresident announced")
        #expect(state.message == "/the president announced")
        _ = state.press(.character("v"))
        let selection = try #require(state.selection)
        #expect(document.text(in: selection.range) == "the\r\npresident announced")
    }
    @Test("/ finds a phrase whose space is a tab or a no-break space in the text, and n the next one")
    func readerSearchAcrossBlanks() throws {
        let document = Document(text: "Title\n\nAlpha\tbeta gamma. Then alpha\u{A0}beta again.", path: "tab.txt")
        var state = AppState.searched(document, for: "alpha beta")
        let first = try #require(state.searchMatch)
        #expect(document.text(in: first) == "Alpha\tbeta")
        #expect(state.message == "/alpha beta")
        _ = state.press(.character("n"))
        while state.continueSearch(forSeconds: 1) {}
        let second = try #require(state.searchMatch)
        #expect(document.text(in: second) == "alpha\u{A0}beta")
    }
}
