import Foundation
@testable import GlossCore
import Testing

/// The shared corpus, `../shared/corpus` from the package root.
private let corpus = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("shared/corpus")

/// A big text whose line endings were converted, CR LF to LF or back, and nothing else:
/// every annotation lands on its own words, among identical copies too; and an orphan's
/// reason says what was found.
@Suite struct ReanchoringLineEndingTests {
    /// War and Peace with LF line endings, four times over (about 13 MB): each quote below
    /// occurs once per copy, and line breaks before a place in the second half are more
    /// than ``Reanchoring/nearbyReach`` away from both its old offset and that offset moved
    /// by the whole text's change in length.
    static func novelFourTimes() throws -> String {
        let novel = try String(contentsOfFile: corpus.appendingPathComponent("large/war-and-peace-pg2600.txt").path, encoding: .utf8)
        let lf = novel.replacingOccurrences(of: "\r\n", with: "\n")
        return String(repeating: lf + "\n", count: 4)
    }

    /// Quotes of the novel, each once in it: one whose prefix ends with words found more than
    /// ``Reanchoring/anchorRepeatLimit`` times in the text (“You’re ), one after a line break.
    static let quotes = ["a scoundrel and a blackguard", "There she paused and stood listening to the conversation"]

    /// Where an offset of a text is in that text with its line endings converted: moved
    /// back by the CRs before it (CR LF to LF), or on by the LFs before it (LF to CR LF),
    /// given the offsets of its CRs, or LFs (`breaks`, sorted).
    static func converted(_ offset: Int, breaks: [Int], toCRLF: Bool) -> Int {
        // how many breaks lie before `offset`
        var low = 0, high = breaks.count
        while low < high {
            let middle = (low + high) / 2
            if breaks[middle] < offset { low = middle + 1 } else { high = middle }
        }
        let before = low
        return toCRLF ? offset + before : offset - before
    }

    @Test("CR LF to LF and back in a 13 MB novel repeated: each annotation lands on its own copy, offsets moved by the line breaks before it")
    func convertedBothWays() throws {
        let lf = try Self.novelFourTimes()
        let crlf = lf.replacingOccurrences(of: "\n", with: "\r\n")
        // the context before the first quote recurs all over the text
        #expect(lf.components(separatedBy: "“You’re ").count - 1 > Reanchoring.anchorRepeatLimit)
        for quote in Self.quotes { #expect(lf.components(separatedBy: quote).count - 1 == 4, "\(quote) once per copy") }
        for (before, after) in [(crlf, lf), (lf, crlf)] {
            let old = Document(text: before), new = Document(text: after)
            let toCRLF = after == crlf
            let breaks = before.unicodeScalars.enumerated().compactMap { $0.element == (toCRLF ? "\n" : "\r") ? $0.offset : nil }
            var annotations: [Annotation] = []
            for copy in 0..<4 {
                for (index, quote) in Self.quotes.enumerated() {
                    annotations.append(try annotation(on: quote, occurrence: copy, in: old, id: "copy-\(copy)-\(index)"))
                }
            }
            let store = StoreContents(annotations: annotations, document: StoredDocument(path: "novel.txt", sha256: old.sha256, length: old.length))
            // the case at hand: for annotations in the middle of the text, its old offset and
            // that offset moved by the whole change in length are both beyond the nearby reach
            let lengthChange = new.length - old.length
            let far = annotations.filter { annotation in
                let start = Self.converted(annotation.start, breaks: breaks, toCRLF: toCRLF)
                return [annotation.start, annotation.start + lengthChange].allSatisfy { abs($0 - start) > Reanchoring.nearbyReach }
            }
            #expect(!far.isEmpty)
            let placement = Reanchoring.place(store, in: new)
            #expect(placement.orphaned == 0 && placement.approximate == 0, "to CR LF: \(after == crlf)")
            for annotation in annotations {
                let found = try #require(placement.contents.annotations.first { $0.id == annotation.id }, "\(annotation.id)")
                let start = Self.converted(annotation.start, breaks: breaks, toCRLF: toCRLF)
                #expect(found.start == start, "\(annotation.id) to CR LF: \(after == crlf)")
                #expect(found.quote == annotation.quote && new.text(in: found.range) == annotation.quote)
            }
        }
    }

    @Test("an orphan's reason says what the text holds: not there at all, there 5 times without its context, or copies alike far from its old place")
    func orphanReasons() throws {
        let quote = "the council voted to close the harbour"
        let elsewhere = (1...5).map { "Paragraph \($0) says that \(quote) in year \($0)." }.joined(separator: "\n\n")
        let annotated = "On Monday, after a long debate, \(quote) until spring, said the mayor."
        let before = annotated + "\n\n" + elsewhere + "\n"
        let old = Document(text: before)
        let orphan = try annotation(on: quote, in: old, id: "council")
        let unplaced = try annotation(on: "after a long debate", in: old, id: "debate")
        // the annotated paragraph deleted: the quote is still there five times, the other one nowhere
        let after = Document(text: elsewhere + "\n")
        let store = StoreContents(annotations: [orphan, unplaced], document: StoredDocument(path: "a.txt", sha256: old.sha256, length: old.length))
        let placement = Reanchoring.place(store, in: after)
        #expect(placement.contents.orphans.map(\.id).sorted() == ["council", "debate"])
        #expect(placement.orphanReasons == ["council": .withoutContext(copies: 5), "debate": .notFound])
        #expect(placement.orphanReasons["council"]?.description == "its quote occurs 5 times in the text and none has its context beside it")
        #expect(placement.orphanReasons["debate"]?.description == "its quote is not in the text")
        #expect(Reanchoring.orphanReason(of: orphan, in: after) == .withoutContext(copies: 5))
        #expect(Reanchoring.orphanReason(of: orphan, in: old) == nil, "placed in its own text")
        #expect(Reanchoring.orphanSummary(placement.contents.orphans, reasons: placement.orphanReasons)
                == "1 whose quote is not in the text, 1 whose quote occurs 5 times and none has its context beside it")

        // identical copies of the paragraph, both further than the nearby reach from where it was and equally far
        let filler = (0..<10_000).map { "Filler line \($0) of the appendix.\n" }.joined()
        let fillerScalars = Array(filler.unicodeScalars)
        func head(_ count: Int) -> String { String(String.UnicodeScalarView(fillerScalars.prefix(count))) }
        func tail(_ count: Int) -> String { String(String.UnicodeScalarView(fillerScalars.suffix(count))) }
        let paragraph = "\n" + annotated + "\n"
        let original = Document(text: filler + paragraph + filler)
        let copyAnnotation = try annotation(on: quote, in: original, id: "copy")
        let quoteInParagraph = copyAnnotation.start - fillerScalars.count
        let reach = Reanchoring.nearbyReach + 20_000
        // each copy between the filler's end and its start, as the annotation was
        let lead = tail(copyAnnotation.start - reach - quoteInParagraph)
        let gapLength = 2 * reach - paragraph.unicodeScalars.count
        let twice = Document(text: lead + paragraph + head(100) + tail(gapLength - 100) + paragraph + filler)
        let first = lead.unicodeScalars.count + quoteInParagraph
        #expect(twice.text(in: first..<(first + quote.unicodeScalars.count)) == quote)
        #expect(twice.text(in: (first + 2 * reach)..<(first + 2 * reach + quote.unicodeScalars.count)) == quote)
        #expect(first == copyAnnotation.start - reach)
        #expect(Reanchoring.orphanReason(of: copyAnnotation, in: twice) == .alike(copies: 2, alike: 2))
    }
}

