import Foundation
import Testing
@testable import GlossUI
import GlossCore

/// The search skips, by bytes, the paragraphs an ASCII text cannot match; what it finds
/// must be what the Unicode-aware matcher finds in every paragraph.
@Suite struct ByteFirstSearchTests {
    /// Turkish dotted and dotless i, German ß and ẞ, Greek final sigma, accents written
    /// precomposed and combining, ligatures, the Kelvin sign, CJK: the cases where case
    /// folding and canonical equivalence make text match that its bytes do not.
    static let mixedText = """
        İSTANBUL ve Istanbul, ıssız bir ada; DİYARBAKIR, diyarbakır.

        Die STRASSE und die Straße; GROẞ und groß; Maßstab, MASSSTAB.

        ΣΟΦΟΣ σοφός σοφοσ; ΟΔΥΣΣΕΥΣ Οδυσσεύς.

        Un café, un cafe\u{301}, CAFÉ noir; Rostóv and Rostov; naïve, NAI\u{308}VE.

        The oﬃcial line at 5 \u{212A}; the Congreſs of\nthe people.

        東京と京都、北京。人人生而自由。中文 English 日本語。

        Tabs\tand no-break\u{A0}spaces, wide\u{3000}ones and  runs \t of blanks; sharp-\r\nedged.
        """

    /// The texts searched: the corpus's Unicode, Turkish, news and report texts, the start
    /// of War and Peace (accents, French), and ``mixedText``.
    static let texts: [String] = [
        "unicode/udhr-arb.txt", "unicode/udhr-cmn_hans.txt", "unicode/udhr-heb.txt", "unicode/udhr-jpn.txt", "unicode/udhr-tha.txt",
        "web/wikimediafoundation.org.turkey.naive-scrape.txt", "news/wikinews_news_korea.txt", "reports/911-commission-preface.txt",
        "large/war-and-peace-pg2600.txt", "reports/gao-02-957t-homeland-security-testimony.txt", "mixed",
    ]

    static let queries = [
        // ASCII, in any case: the byte-wise pass decides which paragraphs the matcher sees
        "the", "PIERRE", "istanbul", "strasse", "cafe", "official", "5 k", "congress", "e", "of the", "xylophone",
        // across line breaks the reader shows as a space, and a hyphen that breaks a word
        "of the people", "the president announced", "the prince", "anna p", "in the", "-", " ",
        "anna pávlovna",
        // a space of the text matches any blanks the reader shows: a tab, a no-break space
        "tabs and", "no-break spaces", "wide ones and runs of blanks", "sharp-edged", "tabs\tand", "no-break\u{A0}spaces",
        // not ASCII: the Unicode matcher alone, in every paragraph
        "İstanbul", "σοφος", "人人", "の", "حقوق", "אדם", "ประเทศ",
    ]

    static func document(_ name: String) throws -> Document {
        if name == "mixed" { return Document(text: mixedText, path: "mixed.txt") }
        let path = Fixture.corpus.appendingPathComponent(name).path
        guard name.hasPrefix("large/") else { return try Document(contentsOfFile: path) }
        // the Unicode matcher is slow on every paragraph of a novel: its first 40 kB
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path)).prefix(40_000)
        return Document(text: String(decoding: bytes, as: UTF8.self), path: name)
    }

    /// Every match the Unicode-aware matcher finds, paragraph by paragraph.
    static func unicodeMatches(of query: String, in document: Document) -> [Range<Int>] {
        (0..<document.paragraphCount).flatMap { index in
            AppState.unicodeMatchRanges(of: query, in: document.paragraph(index)!, index: index, of: document)
        }
    }

    /// Every match found through the paragraphs the byte-wise pass lets through, walking
    /// the document in passes of at most `chunk` paragraphs, forward or backward.
    static func byteFirstMatches(of query: String, in document: Document, chunk: Int, forward: Bool) -> [Range<Int>] {
        let count = document.paragraphCount
        guard let prefilter = ASCIIPrefilter(searchingFor: query) else {
            return (0..<count).flatMap { AppState.matchRanges(of: query, inParagraph: $0, of: document) }
        }
        var found: [Range<Int>] = []
        var next = forward ? 0 : count - 1
        while forward ? next < count : next >= 0 {
            let range = forward ? next...min(count - 1, next + chunk - 1) : max(0, next - chunk + 1)...next
            if let candidate = AppState.candidateParagraph(prefilter, among: range, forward: forward, of: document) {
                #expect(range.contains(candidate))
                found += AppState.matchRanges(of: query, inParagraph: candidate, of: document)
                next = forward ? candidate + 1 : candidate - 1
            } else {
                next = forward ? range.upperBound + 1 : range.lowerBound - 1
            }
        }
        return found.sorted { $0.lowerBound < $1.lowerBound }
    }

    @Test("the byte-wise pass finds what the Unicode matcher finds, forward and backward, in corpus texts", arguments: texts)
    func agreesWithUnicodeMatcher(name: String) throws {
        let document = try Self.document(name)
        #expect(document.paragraphCount > 0)
        var matched = 0
        for query in Self.queries {
            let expected = Self.unicodeMatches(of: query, in: document)
            matched += expected.count
            #expect(Self.byteFirstMatches(of: query, in: document, chunk: 7, forward: true) == expected, "\(query) in \(name)")
            #expect(Self.byteFirstMatches(of: query, in: document, chunk: 2048, forward: false) == expected, "\(query) in \(name), backward")
        }
        #expect(matched > 0, "no query matched in \(name)")
    }

    @Test("ASCII queries match through ß, İ, ſ, ﬃ and the Kelvin sign, and a space across a line break")
    func foldedMatches() throws {
        let document = Document(text: Self.mixedText, path: "mixed.txt")
        let quote = { (query: String) in Self.byteFirstMatches(of: query, in: document, chunk: 2048, forward: true).map { document.text(in: $0) } }
        #expect(quote("strasse") == ["STRASSE", "Straße"])
        #expect(quote("official") == ["oﬃcial"])
        #expect(quote("5 k") == ["5 \u{212A}"])
        #expect(quote("congress") == ["Congreſs"])
        #expect(quote("of the") == ["of\nthe"], "the reader shows the line break as a space")
        #expect(quote("CONGRESS OF THE PEOPLE") == ["Congreſs of\nthe people"])
        #expect(quote("xylophone") == [])
        #expect(quote("tabs and no-break spaces") == ["Tabs\tand no-break\u{A0}spaces"])
        #expect(quote("wide ones and runs of blanks") == ["wide\u{3000}ones and  runs \t of blanks"])
        #expect(quote("tabs\u{A0}and") == ["Tabs\tand"], "a no-break space in the text is a space")
        #expect(quote("sharp-edged") == ["sharp-\r\nedged"])
    }

    @Test("the byte-wise pass reads a text's blanks as spaces: a tab or no-break space in it still leaves it ASCII words")
    func prefilterOfBlanks() throws {
        #expect(ASCIIPrefilter(searchingFor: "alpha\u{A0}beta")?.folded == Array("alpha".utf8))
        #expect(ASCIIPrefilter(searchingFor: "Alpha\tbeta\u{3000}GAMMAS")?.folded == Array("gammas".utf8))
        #expect(ASCIIPrefilter(searchingFor: "\u{A0}\t ") == nil, "no word to look for")
        #expect(ASCIIPrefilter(searchingFor: "café") == nil)
    }

    @Test("a lookalike makes a paragraph a candidate only for a text holding a letter it folds to")
    func lookalikesOnlyForTheirLetters() throws {
        let document = Document(text: "Die Straße, der Fluß.\n\nDas Ofﬁce in İzmir bei 5 \u{212A}.\n\nNichts.", path: "de.txt")
        func candidates(_ query: String) -> [Int] {
            let prefilter = ASCIIPrefilter(Array(query.utf8))!
            return (0..<document.paragraphCount).filter {
                AppState.candidateParagraph(prefilter, among: $0...$0, forward: true, of: document) != nil
            }
        }
        #expect(candidates("strasse") == [0], "ß folds to ss")
        #expect(candidates("muss") == [0], "ß, not ﬁ, İ or K, folds to a letter of muss")
        #expect(candidates("dragon") == [], "no letter of the text is one ß, ﬁ, İ or K fold to")
        #expect(candidates("office") == [1], "ﬁ folds to fi")
        #expect(candidates("izmir") == [1], "İ folds to i")
        #expect(candidates("5 k") == [1], "the Kelvin sign folds to k")
        #expect(AppState.matchRanges(of: "fluss", inParagraph: 0, of: document).map { document.text(in: $0) } == ["Fluß"])
        #expect(AppState.matchRanges(of: "office", inParagraph: 1, of: document).map { document.text(in: $0) } == ["Ofﬁce"])
    }

    /// A text of `count` paragraphs of multi-byte letters, more than one pass of the
    /// byte-wise search, with `first` at its very start and `last` at its very end.
    static func longText(first: String, last: String, count: Int = 5000) -> String {
        var text = first + " İstanbul’da ΣΟΦΟΣ.\n\n"
        for number in 1..<count { text += "Straße \(number): 東京と京都、Οδυσσεύς, naïve café.\n\n" }
        return text + "Último párrafo, 東京" + last
    }

    @Test("a search finds a match at the very end of the file, after thousands of paragraphs without one")
    func matchAtEnd() throws {
        let document = Document(text: Self.longText(first: "Opening", last: "XYLOphone"), path: "long.txt")
        var state = AppState.searched(document, for: "xylophone")
        let match = try #require(state.searchMatch)
        #expect(document.text(in: match) == "XYLOphone")
        #expect(match.upperBound == document.length)
        #expect(state.message == "/xylophone")
        // and back again from there, N finds nothing else and wraps to itself
        _ = state.press(.character("N"))
        while state.continueSearch(forSeconds: 1) {}
        #expect(state.searchMatch == match)
        #expect(state.message?.contains("wrapped") == true)
    }

    @Test("a search finds a match at the very start of the file, wrapping forward from the end and backward from itself")
    func matchAtStart() throws {
        let document = Document(text: Self.longText(first: "Zyxwv", last: "end."), path: "long.txt")
        var state = AppState(document: document, codebook: Fixture.codebook, width: 80, height: 24, author: "t")
        _ = state.handle(.resize(width: 80, height: 24))
        _ = state.press(.character("G"))
        #expect(state.focus?.paragraph == document.paragraphCount - 1)
        _ = state.press(.character("/"))
        _ = state.type("zYXWV")
        _ = state.press(.enter)
        while state.continueSearch(forSeconds: 1) {}
        #expect(state.searchMatch == 0..<5)
        #expect(document.text(in: 0..<5) == "Zyxwv")
        #expect(state.message == "/zYXWV  (search wrapped around)")
        // N looks backward from the start through every other paragraph, and wraps to it
        _ = state.press(.character("N"))
        while state.continueSearch(forSeconds: 1) {}
        #expect(state.searchMatch == 0..<5)
        #expect(state.message == "/zYXWV  (search wrapped around)")
    }
}
