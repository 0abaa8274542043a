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
        // two spaces are two spaces on screen too, not one line break
        #expect(Self.quotes(of: "the  president", in: text) == [])
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
    /// which a space is a space or a line break with spaces and tabs around it: an oracle
    /// that shares no code with the search.
    static func regexMatches(of phrase: String, in document: Document) throws -> [Range<Int>] {
        let pattern = phrase.split(separator: " ", omittingEmptySubsequences: false)
            .map { NSRegularExpression.escapedPattern(for: String($0)) }
            .joined(separator: "(?: |[ \\t]*(?:\\r\\n|\\r|\\n)[ \\t]*)")
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
        var state = AppState(document: document, codebook: Fixture.codebook, width: 80, height: 24, author: "t")
        _ = state.handle(.resize(width: 80, height: 24))
        _ = state.press(.character("/"))
        _ = state.type("the president announced")
        _ = state.press(.enter)
        while state.continueSearch(forSeconds: 1) {}
        let match = try #require(state.searchMatch)
        #expect(document.text(in: match) == "the\r\npresident announced")
        #expect(state.message == "/the president announced")
        _ = state.press(.character("v"))
        let selection = try #require(state.selection)
        #expect(document.text(in: selection.range) == "the\r\npresident announced")
    }
}
