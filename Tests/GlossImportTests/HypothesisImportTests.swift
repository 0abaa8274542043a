import Foundation
import GlossCore
import Testing
@testable import GlossImport

/// Hypothesis annotations of a real web page read into the text Gloss extracts from it.
///
/// `Tests/Fixtures/hypothesis/wikimediafoundation.org.turkey.hypothesis.json` is a Hypothesis
/// API search response (`GET /api/search?uri=…`: `total`, `rows`) for the Wikimedia
/// Foundation post in `../shared/corpus/web/`, its rows in the API's shape (`id`, `created`
/// and `updated` with microseconds and an offset, `user` as `acct:NAME@hypothes.is`, `uri`,
/// `text`, `tags`, `group`, `permissions`, `target: [{source, selector: [RangeSelector,
/// TextPositionSelector, TextQuoteSelector]}]`, `document`, `links`, `user_info`, a reply with
/// `references`, a page note without selectors). Its selectors are those the Hypothesis
/// client computes on that page: the quote and 32 characters either side of
/// `document.body.textContent`, whose white space is the markup's (a line feed between
/// paragraphs, tabs of indentation, a no-break space), positions in UTF-16 code units of
/// that text (which holds the menus, scripts and related posts Gloss's extraction leaves
/// out, so they are far from Gloss's offsets), XPaths relative to `body`. The page was
/// parsed with html5lib as a browser parses it.
@Suite struct HypothesisImportTests {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/hypothesis/wikimediafoundation.org.turkey.hypothesis.json").path
    static let bundledCodebook = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Resources/codebook.json").path

    /// The code-point range of the `occurrence`-th `needle` in `text`, found independently.
    static func span(_ needle: String, in text: String, occurrence: Int = 0) -> Range<Int>? {
        let haystack = Array(text.unicodeScalars), pattern = Array(needle.unicodeScalars)
        var found = 0
        for start in 0...(haystack.count - pattern.count) where haystack[start..<start + pattern.count].elementsEqual(pattern) {
            if found == occurrence { return start..<start + pattern.count }
            found += 1
        }
        return nil
    }

    @Test("Every Hypothesis annotation of the Wikimedia post anchors where its quote is in Gloss's text of the page: repeated quotes by their context, across a paragraph break whose white space differs, a quote alone; one on a related post, which the text leaves out, is an orphan; tags, notes, authors, times, the reply and the page note come through")
    func anchorsOnTheRealPage() throws {
        let document = try DocumentOpener.open(Corpus.webPage).document
        let text = document.text
        let codebook = try Codebook.load(path: Self.bundledCodebook)
        let result = try W3CImporter.read(file: Self.fixture, document: document, codebook: codebook, author: "importer")

        let expected: [String: (quote: String, occurrence: Int)] = [
            "Wd3kQjhLEeqYx2fI8iC0Bw": ("Constitutional Court of Turkey", 0),
            "XA1u8jhLEeqQ3y-0g2xP1A": ("Constitutional Court of Turkey", 1),
            "b7Zk2jhMEeq0pNNy1Zc9Vg": ("we received reports that access was restored to Wikipedia.\n\nWe are thrilled that the people of Turkey", 0),
            "cL0p4DhMEeqF4Rf1cQ7mSg": ("European Court of Human Rights", 1),
            "dQ9r6jhMEeqB0Udz3S8kUQ": ("#WeMissTurkey", 0),
            "eE2s-DhMEeqkA0-tx0LkSw": ("Katherine Maher, Executive Director of the Wikimedia Foundation", 0),
        ]
        #expect(result.read.annotations.count == expected.count)
        for annotation in result.read.annotations {
            let place = try #require(expected[annotation.id], "unexpected annotation \(annotation.id)")
            let range = try #require(Self.span(place.quote, in: text, occurrence: place.occurrence), "\(place.quote) not in the text")
            #expect(annotation.range == range, "\(annotation.id): \(annotation.range) instead of \(range)")
            #expect(annotation.quote == place.quote)
        }
        #expect(result.read.orphans.map(\.id) == ["fN7t_jhMEeq8XzNvR7wVbA"])
        #expect(result.read.orphans.first?.prefix == "at our case brought before\u{A0} the ")

        func annotation(_ id: String) throws -> Annotation { try #require(result.read.annotations.first { $0.id == id }) }
        let first = try annotation("Wd3kQjhLEeqYx2fI8iC0Bw")
        #expect(first.tags == [GlossCore.Tag(category: "actor", value: "judiciary")])
        #expect(first.author == "ana_k" && first.created == "2020-01-16T09:12:44Z" && first.modified == "2020-01-16T09:15:02Z")
        #expect(first.note == "The court, not the government, ended the block.\n\nReply from bo.lindqvist, 2020-01-16T11:30:00Z:\nAgreed; the ECHR case is still pending.")
        #expect(try annotation("XA1u8jhLEeqQ3y-0g2xP1A").tags == [GlossCore.Tag(category: "actor", value: "judiciary")])
        #expect(try annotation("b7Zk2jhMEeq0pNNy1Zc9Vg").tags == [GlossCore.Tag(category: "hypothesis", value: "censorship"),
                                                                   GlossCore.Tag(category: "hypothesis", value: "Turkey block")])
        #expect(try annotation("cL0p4DhMEeqF4Rf1cQ7mSg").tags == [GlossCore.Tag(category: "actor", value: "judiciary"),
                                                                   GlossCore.Tag(category: "hypothesis", value: "ECHR")])
        #expect(try annotation("dQ9r6jhMEeqB0Udz3S8kUQ").note == "Campaign hashtag 🎉")
        #expect(try annotation("eE2s-DhMEeqkA0-tx0LkSw").tags == [GlossCore.Tag(category: "actor", value: "civil society"),
                                                                   GlossCore.Tag(category: "hypothesis", value: "Wikimedia")])
        #expect(result.memo == "Page note: compare the Constitutional Court's ruling of 26 December 2019.")
        #expect(result.source == "https://wikimediafoundation.org/news/2020/01/15/access-to-wikipedia-restored-in-turkey-after-more-than-two-and-a-half-years/")
        #expect(result.itemCount == 9 && result.utf16Positions == 0)

        // nothing left out; the orphan reported by its row and id
        let leftOut = result.read.messages.filter(\.leftSomethingOut)
        #expect(leftOut.isEmpty, "\(leftOut)")
        #expect(result.read.messages.filter { $0.kind == .warning }.map(\.text)
                == ["rows[0] (fN7t_jhMEeq8XzNvR7wVbA): its quote \"European Court of Human Rights\" is in the text 2 times, none with its context; kept as an orphan"])

        // the Hypothesis positions hold other text in Gloss's: the quotes decided
        #expect(result.read.moved == 4)
    }
}
