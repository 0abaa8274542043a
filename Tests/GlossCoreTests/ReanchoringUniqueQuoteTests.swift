import Foundation
@testable import GlossCore
import Testing

/// The seed article of the shared corpus, `../shared/corpus` from the package root.
private let seedArticle = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("shared/corpus/seed-counter-terrorism-conference.txt")

/// A quote found exactly once in the edited text is placed there, exactly, whatever its
/// prefix and suffix, as TextQuoteSelector anchoring does; only a short quote still needs
/// a side of its context, and copies of a quote found more than once are still told apart
/// by context and nearness.
@Suite struct ReanchoringUniqueQuoteTests {
    static let original = "Alpha one. The Taliban attacked Kabul today. Beta two.\n\nGamma three.\n"
    static let sentence = "The Taliban attacked Kabul today."

    /// Code-point offset of the first `needle` in `text`.
    static func offset(of needle: String, in text: String) throws -> Int {
        let range = try #require(text.range(of: needle), "\(needle.debugDescription) not in \(text.debugDescription)")
        return text.unicodeScalars.distance(from: text.startIndex, to: range.lowerBound)
    }

    /// `annotations` in a store recorded for `text`, as `gloss export` reads it.
    static func store(_ annotations: [Annotation], of text: String) -> StoreContents {
        let document = Document(text: text)
        return StoreContents(annotations: annotations, document: StoredDocument(path: "e.txt", sha256: document.sha256, length: document.length))
    }

    /// Places `annotation`, made on `before`, in `after` as a store is placed; expects it
    /// exactly once at the first `quote` of `after`, not approximate, with its quote and
    /// context taken from the new text.
    static func expectPlacedExactly(_ annotation: Annotation, madeOn before: String, in after: String,
                                    sourceLocation: SourceLocation = #_sourceLocation) throws {
        let document = Document(text: after)
        let start = try offset(of: annotation.quote, in: after)
        let expected = start..<(start + annotation.quote.unicodeScalars.count)
        let placed = Reanchoring.place(store([annotation], of: before), in: document)
        #expect(placed.contents.annotations.map(\.range) == [expected], "in \(after.debugDescription)", sourceLocation: sourceLocation)
        #expect(placed.contents.orphans.isEmpty && placed.orphaned == 0, sourceLocation: sourceLocation)
        #expect(placed.approximate == 0 && placed.approximateIDs.isEmpty, sourceLocation: sourceLocation)
        let result = Reanchoring.reanchor([annotation], in: document, recordedLength: Document(text: before).length)
        #expect(result.anchored.map(\.range) == [expected] && result.approximate == 0 && result.orphans.isEmpty,
                sourceLocation: sourceLocation)
        let moved = try #require(placed.contents.annotations.first, sourceLocation: sourceLocation)
        #expect(moved.quote == annotation.quote && moved.tags == annotation.tags && moved.id == annotation.id, sourceLocation: sourceLocation)
        #expect(moved.prefix == document.text(in: max(0, start - Annotation.contextLength)..<start), sourceLocation: sourceLocation)
        #expect(moved.suffix == document.text(in: expected.upperBound..<(expected.upperBound + Annotation.contextLength)),
                sourceLocation: sourceLocation)
    }

    @Test("the sentence's paragraph put after another and the text after it dropped; the text cut to the sentence; a short lead put before its paragraph: placed exactly",
          arguments: [
              "Gamma three.\n\nAlpha one. The Taliban attacked Kabul today. Beta two.\n",
              "The Taliban attacked Kabul today.\n",
              "Q. Alpha one. The Taliban attacked Kabul today. Beta two.\n",
          ])
    func testersEdits(edited: String) throws {
        let annotation = try annotation(on: Self.sentence, in: Document(text: Self.original), id: "a")
        #expect(annotation.range == 11..<44 && annotation.prefix == "Alpha one. " && annotation.suffix == " Beta two.\n\nGamma three.\n")
        try Self.expectPlacedExactly(annotation, madeOn: Self.original, in: edited)
        // the same through the normalised copy a text with a combining mark needs
        let marked = "Cafe\u{301}.\n\n"
        try Self.expectPlacedExactly(annotation, madeOn: Self.original, in: marked + edited)
    }

    @Test("the exact offsets of the three edits: 25, 0 and 14, each exact, none ≈ or orphaned")
    func testersOffsets() throws {
        let annotation = try annotation(on: Self.sentence, in: Document(text: Self.original), id: "a")
        let edits = ["Gamma three.\n\nAlpha one. The Taliban attacked Kabul today. Beta two.\n": 25,
                     "The Taliban attacked Kabul today.\n": 0,
                     "Q. Alpha one. The Taliban attacked Kabul today. Beta two.\n": 14]
        for (edited, start) in edits {
            let result = Reanchoring.reanchor([annotation], in: Document(text: edited), recordedLength: 69)
            #expect(result.anchored.map(\.range) == [start..<(start + 33)] && result.moved == 1)
            #expect(result.approximate == 0 && result.orphans.isEmpty)
            // none of its context is beside it there: reported as placed by the quote alone
            #expect(result.byQuoteAloneIDs == ["a"])
        }
    }

    @Test("a quote at the very start (no prefix) with a lead put before it and the words after it changed; one at the very end (no suffix) with words added after it and the words before it changed",
          arguments: [
              ("The Taliban attacked Kabul today. Beta two.\n\nGamma three.\n",
               "Breaking: The Taliban attacked Kabul today. Officials confirmed it.\n"),
              ("Alpha one. Beta two. The Taliban attacked Kabul today.",
               "Gamma three. The Taliban attacked Kabul today. More later."),
              ("The Taliban attacked Kabul today.", "Yesterday and The Taliban attacked Kabul today. And again."),
          ])
    func atTheEdges(before: String, after: String) throws {
        let annotation = try annotation(on: Self.sentence, in: Document(text: before), id: "a")
        #expect(annotation.prefix.isEmpty || annotation.suffix.isEmpty)
        try Self.expectPlacedExactly(annotation, madeOn: before, in: after)
    }

    @Test("the text cut down to exactly the quote, no line break after it")
    func cutToTheQuote() throws {
        let annotation = try annotation(on: Self.sentence, in: Document(text: Self.original), id: "a")
        try Self.expectPlacedExactly(annotation, madeOn: Self.original, in: Self.sentence)
    }

    @Test("a sentence whose paragraph is split around it, and one in paragraphs merged into one: line breaks on both sides now")
    func splitAndMerged() throws {
        let joined = "Reporters in the capital said that. The Taliban attacked Kabul today. Officials gave no figures for it.\n"
        let split = "Reporters in the capital said that.\n\nThe Taliban attacked Kabul today.\n\nOfficials gave no figures for it.\n"
        let inJoined = try annotation(on: Self.sentence, in: Document(text: joined), id: "a")
        try Self.expectPlacedExactly(inJoined, madeOn: joined, in: split)
        #expect(try Self.offset(of: Self.sentence, in: split) == 37)
        let inSplit = try annotation(on: Self.sentence, in: Document(text: split), id: "a")
        try Self.expectPlacedExactly(inSplit, madeOn: split, in: joined)
    }

    @Test("line endings converted, LF to CR LF and back: a paragraph quoted whole, line breaks on both sides, placed exactly")
    func lineEndingsConverted() throws {
        let lf = "Heading\n\nAlpha one.\n\nThe Taliban attacked Kabul today.\n\nGamma three.\n"
        let crlf = lf.replacingOccurrences(of: "\n", with: "\r\n")
        let inLF = try annotation(on: Self.sentence, in: Document(text: lf), id: "a")
        try Self.expectPlacedExactly(inLF, madeOn: lf, in: crlf)
        #expect(try Self.offset(of: Self.sentence, in: crlf) == 25)
        let inCRLF = try annotation(on: Self.sentence, in: Document(text: crlf), id: "a")
        try Self.expectPlacedExactly(inCRLF, madeOn: crlf, in: lf)
    }

    @Test("line endings converted inside the quote, two paragraphs quoted: found exactly (not ≈) with the new line endings, both ways")
    func lineEndingsInsideTheQuote() throws {
        let lf = "Heading\n\nAlpha one.\n\nThe Taliban attacked Kabul today.\n\nGamma three.\n\nDelta four.\n"
        let crlf = lf.replacingOccurrences(of: "\n", with: "\r\n")
        for (before, after) in [(lf, crlf), (crlf, lf)] {
            let separator = before == lf ? "\n\n" : "\r\n\r\n", newSeparator = after == lf ? "\n\n" : "\r\n\r\n"
            let quote = Self.sentence + separator + "Gamma three."
            let annotation = try annotation(on: quote, in: Document(text: before), id: "a")
            let placed = Reanchoring.place(Self.store([annotation], of: before), in: Document(text: after))
            let newQuote = Self.sentence + newSeparator + "Gamma three."
            let start = try Self.offset(of: newQuote, in: after)
            #expect(placed.contents.annotations.map(\.range) == [start..<(start + newQuote.unicodeScalars.count)])
            #expect(placed.contents.annotations.first?.quote == newQuote)
            #expect(placed.approximate == 0 && placed.orphaned == 0)
        }
        #expect(Reanchoring.lineEndingVariants(of: Array("a\nb\r\nc".unicodeScalars)).map { String(String.UnicodeScalarView($0)) }
                == ["a\r\nb\r\nc", "a\nb\nc"])
        #expect(Reanchoring.lineEndingVariants(of: Array("no breaks".unicodeScalars)).isEmpty)
    }

    @Test("line endings converted: short quotes between line breaks (a heading, a line at the end, a name found twice) keep their context, each line break compared as one")
    func lineEndingsShortQuotes() throws {
        let lf = "Heading\n\nAlpha one.\n\nMaria spoke.\n\nMaria left.\n"
        let crlf = lf.replacingOccurrences(of: "\n", with: "\r\n")
        for (before, after) in [(lf, crlf), (crlf, lf)] {
            let document = Document(text: before)
            let annotations = [try annotation(on: "Heading", in: document, id: "heading"),
                               try annotation(on: "Alpha one.", in: document, id: "line"),
                               try annotation(on: "Maria", occurrence: 1, in: document, id: "second"),
                               try annotation(on: "Maria left.", in: document, id: "last")]
            let placed = Reanchoring.place(Self.store(annotations, of: before), in: Document(text: after))
            #expect(placed.orphaned == 0 && placed.approximate == 0)
            let starts = Dictionary(uniqueKeysWithValues: placed.contents.annotations.map { ($0.id, $0.start) })
            let second = try Self.offset(of: "Maria left.", in: after)
            #expect(starts == ["heading": 0, "line": try Self.offset(of: "Alpha one.", in: after), "second": second, "last": second])
        }
        // a side cut short by the text's edge still needs that edge: the last line, with a line added after it
        let last = try annotation(on: "Maria left.", in: Document(text: lf), id: "last")
        let appended = crlf.replacingOccurrences(of: "Maria spoke.", with: "Maria spoke out.") + "More.\r\n"
        #expect(Reanchoring.reanchor([last], in: Document(text: appended)).orphans == [last])
    }

    @Test("the quote still at its offsets with every code point of its context around it replaced: it stays, exact")
    func contextReplacedInPlace() throws {
        let annotation = try annotation(on: Self.sentence, in: Document(text: Self.original), id: "a")
        let edited = String(repeating: "-", count: 11) + Self.sentence + String(repeating: "=", count: 25)
        #expect(!Reanchoring.isInPlace(annotation, in: Document(text: edited)))
        try Self.expectPlacedExactly(annotation, madeOn: Self.original, in: edited)
    }

    @Test("the seed article's title, with a byline put before it and the first words after it edited: placed exactly")
    func seedArticleTitle() throws {
        let article = try String(contentsOf: seedArticle, encoding: .utf8)
        let title = "Global Conference of National Counter-terrorism Chiefs Could Improve Cooperation"
        let annotation = try annotation(on: title, in: Document(text: article), id: "title")
        #expect(annotation.start == 0 && annotation.prefix.isEmpty)
        let edited = "By a staff writer\n\n" + article.replacingOccurrences(of: "\n\nTop officials", with: "\n\nSenior officials")
        try Self.expectPlacedExactly(annotation, madeOn: article, in: edited)
        #expect(try Self.offset(of: title, in: edited) == 19)
    }

    @Test("the seed article's second paragraph moved to the end and its last lines dropped: the paragraph, quoted whole, placed exactly")
    func seedArticleParagraphMoved() throws {
        let article = try String(contentsOf: seedArticle, encoding: .utf8)
        var paragraphs = article.components(separatedBy: "\n\n")
        let quoted = paragraphs[2]
        #expect(quoted.hasPrefix("The next High- Level Conference") && quoted.unicodeScalars.count > 300)
        let annotation = try annotation(on: quoted, in: Document(text: article), id: "p")
        paragraphs.remove(at: 2)
        // the page's footer dropped, the paragraph put last
        let edited = paragraphs.prefix(4).joined(separator: "\n\n") + "\n\n" + quoted
        try Self.expectPlacedExactly(annotation, madeOn: article, in: edited)
    }

    @Test("a quote of 16 code points found once is placed without its context; one of 15 is not: a name or short phrase may be another copy")
    func lengthThreshold() throws {
        let text = "Reporters said that Taliban attacked the city. In the evening Kabul was quiet again, officials said."
        let long = try annotation(on: "Taliban attacked", in: Document(text: text), id: "long")
        let short = try annotation(on: "Kabul was quiet", in: Document(text: text), id: "short")
        #expect(long.quote.unicodeScalars.count == Reanchoring.uniqueQuoteLength && short.quote.unicodeScalars.count == 15)
        let edited = "Our sources say: Taliban attacked; that much is known. Late at night Kabul was quiet, or so they say."
        let result = Reanchoring.reanchor([long, short], in: Document(text: edited), recordedLength: text.unicodeScalars.count)
        let start = try Self.offset(of: "Taliban attacked", in: edited)
        #expect(result.anchored.map(\.id) == ["long"] && result.anchored.map(\.range) == [start..<(start + 16)])
        #expect(result.orphans.map(\.id) == ["short"] && result.approximate == 0)
    }

    @Test("a long quote found twice, neither copy with its context: still an orphan, not the nearer copy")
    func twiceWithoutContextStaysOrphan() throws {
        let text = "Alpha one. The Taliban attacked Kabul today. Beta two."
        let annotation = try annotation(on: Self.sentence, in: Document(text: text), id: "a")
        let edited = "Gamma. The Taliban attacked Kabul today. Delta.\n\nEpsilon. The Taliban attacked Kabul today. Zeta."
        let result = Reanchoring.reanchor([annotation], in: Document(text: edited), recordedLength: text.unicodeScalars.count)
        #expect(result.anchored.isEmpty && result.orphans == [annotation])
    }

    @Test("its own words edited between its unedited prefix and suffix, another copy of the old words elsewhere: placed ≈ on its own words, not on the copy")
    func editedOwnWordsBeatTheOnlyCopy() throws {
        let text = "First: the council approved the budget today. Then the mayor said that the council approved the budget today, and left."
        let annotation = try annotation(on: "the council approved the budget today", occurrence: 1, in: Document(text: text), id: "a")
        let edited = text.replacingOccurrences(of: "that the council approved", with: "that the council passed")
        let result = Reanchoring.reanchor([annotation], in: Document(text: edited), recordedLength: text.unicodeScalars.count)
        let placed = try #require(result.anchored.first)
        #expect(placed.quote == "the council passed the budget today" && result.approximate == 1)
        #expect(placed.start == (try Self.offset(of: "the council passed", in: edited)))
        #expect(result.byQuoteAloneIDs.isEmpty)
    }
}
