import Foundation
@testable import GlossCore
import Testing

/// The shared corpus, `../shared/corpus` from the package root.
private let corpus = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("shared/corpus")

/// Re-anchoring searches near an annotation's old place first: among identical copies of
/// its quote and context the nearest wins, and the text is read from its bytes without a
/// normalised copy of it all.
@Suite struct ReanchoringNearestCopyTests {
    /// A corpus article, as read from its file.
    static func article(_ relativePath: String) throws -> String {
        try String(contentsOfFile: corpus.appendingPathComponent(relativePath).path, encoding: .utf8)
    }

    /// `contents` recorded for `document`, so placing them knows the old length.
    static func store(_ annotations: [Annotation], of document: Document) -> StoreContents {
        StoreContents(annotations: annotations, document: StoredDocument(path: "a.txt", sha256: document.sha256, length: document.length))
    }

    /// Annotations on `quotes`, the one of each in copy `copy` of the article (each quote
    /// occurs once per copy).
    static func annotations(_ quotes: [String], copies: [Int], in document: Document) throws -> [Annotation] {
        var made: [Annotation] = []
        for copy in copies {
            for (index, quote) in quotes.enumerated() {
                made.append(try annotation(on: quote, occurrence: copy, in: document, id: "copy-\(copy)-\(index)"))
            }
        }
        return made
    }

    static let quotes = ["the Church of Scientology's website is being attacked by hackers",
                         "Matthew Ingram of The Globe and Mail dubbed the ongoing conflict"]

    @Test("30 identical copies of an article, a paragraph inserted before them: each annotation lands in the copy nearest its old offset")
    func thirtyCopiesNearest() throws {
        let article = try Self.article("news/wikinews_news_hackers.txt")
        for quote in Self.quotes { #expect(article.components(separatedBy: quote).count == 2, "\(quote) once per copy") }
        let text = String(repeating: article + "\n", count: 30)
        let original = Document(text: text)
        let copies = [0, 1, 7, 15, 28, 29]
        let annotations = try Self.annotations(Self.quotes, copies: copies, in: original)
        let lead = "An editor's note inserted at the top, with “quotes” and an accent: é.\n\n"
        let edited = Document(text: lead + text)
        let shift = lead.unicodeScalars.count
        // with the store's length known (the reader's case), and without it
        let placed = Reanchoring.place(Self.store(annotations, of: original), in: edited)
        let searched = Reanchoring.reanchor(annotations, in: edited)
        for anchored in [placed.contents.annotations, searched.anchored] {
            #expect(anchored.count == annotations.count)
            for annotation in annotations {
                let found = try #require(anchored.first { $0.id == annotation.id })
                #expect(found.start == annotation.start + shift && found.end == annotation.end + shift, "\(annotation.id)")
                #expect(found.quote == annotation.quote && edited.text(in: found.range) == annotation.quote)
            }
        }
        #expect(placed.moved == annotations.count && placed.approximate == 0 && placed.orphaned == 0)
        #expect(searched.orphans.isEmpty && searched.approximate == 0)
    }

    @Test("30 copies, text inserted inside copy 10 and removed from copy 20: annotations before, between and after follow their own copy")
    func thirtyCopiesUnevenShifts() throws {
        let article = try Self.article("news/wikinews_news_hackers.txt")
        let copyLength = (article + "\n").unicodeScalars.count
        let copies = (0..<30).map { _ in article + "\n" }
        let original = Document(text: copies.joined())
        let annotations = try Self.annotations(Self.quotes, copies: [3, 12, 25], in: original)
        var edited = copies
        let inserted = "A long paragraph added in the middle of the tenth copy, which moves everything after it.\n\n"
        edited[10] = inserted + edited[10]
        edited[20] = edited[20].replacingOccurrences(of: "Sunday, January 20, 2008\n\n", with: "")
        let removed = "Sunday, January 20, 2008\n\n".unicodeScalars.count
        let document = Document(text: edited.joined())
        let placement = Reanchoring.place(Self.store(annotations, of: original), in: document)
        #expect(placement.orphaned == 0 && placement.approximate == 0)
        for annotation in annotations {
            let found = try #require(placement.contents.annotations.first { $0.id == annotation.id })
            let copy = annotation.start / copyLength
            let shift = copy < 10 ? 0 : copy < 20 ? inserted.unicodeScalars.count : inserted.unicodeScalars.count - removed
            #expect(found.start == annotation.start + shift, "\(annotation.id) in copy \(copy)")
            #expect(document.text(in: found.range) == annotation.quote)
        }
    }

    @Test("30 copies of a text that needs normalising (a decomposed accent): the full search also chooses the nearest copy")
    func thirtyCopiesNormalised() throws {
        let article = try Self.article("news/wikinews_news_hackers.txt").replacingOccurrences(of: "Sunday", with: "Sunde\u{301}")
        let text = String(repeating: article + "\n", count: 30)
        let original = Document(text: text)
        let readsInPlace = original.withUTF8 { DirectText(bytes: $0, length: original.length) != nil }
        #expect(!readsInPlace, "the decomposed accent makes the search normalise the text")
        let annotations = try Self.annotations(Self.quotes, copies: [2, 17, 29], in: original)
        let lead = "Inserted first.\n\n"
        let edited = Document(text: lead + text)
        let placement = Reanchoring.place(Self.store(annotations, of: original), in: edited)
        #expect(placement.orphaned == 0)
        for annotation in annotations {
            let found = try #require(placement.contents.annotations.first { $0.id == annotation.id })
            #expect(found.start == annotation.start + lead.unicodeScalars.count, "\(annotation.id)")
        }
    }

    @Test("30 copies, the annotated sentence edited in its own copy: orphan, never moved to the same sentence in another copy")
    func thirtyCopiesOwnWordsEdited() throws {
        let article = try Self.article("news/wikinews_news_hackers.txt")
        var copies = (0..<30).map { _ in article + "\n" }
        let original = Document(text: copies.joined())
        let annotations = try Self.annotations([Self.quotes[0]], copies: [14], in: original)
        copies[14] = copies[14].replacingOccurrences(of: "website is being attacked", with: "site is being attacked")
        let edited = Document(text: copies.joined())
        let placement = Reanchoring.place(Self.store(annotations, of: original), in: edited)
        let copyLength = (article + "\n").unicodeScalars.count
        // placed only over the edited words of its own copy, or an orphan
        #expect(placement.contents.annotations.allSatisfy { $0.start / copyLength == 14 })
        #expect(placement.contents.annotations.count + placement.contents.orphans.count == 1)
    }

    @Test("a quote moved far away (past the nearby reach) is found there, exactly")
    func movedFarAway() throws {
        let filler = (0..<6_000).map { "Filler sentence number \($0) says nothing of note.\n\n" }.joined()
        let intro = "The opening paragraph of the report.\n\n"
        let annotated = "The envoy signed the accord in Valmora on Monday morning."
        let original = Document(text: intro + annotated + "\n\n" + filler + "Closing line.\n")
        let annotation = try annotation(on: annotated, in: original, id: "far")
        #expect(annotation.prefix.unicodeScalars.count == 32 && annotation.suffix.unicodeScalars.count == 32)
        // the two paragraphs moved after all the filler, which keeps its first sentence too
        let edited = Document(text: filler + intro + annotated + "\n\nFiller sentence number 0 says nothing of note.\n\nClosing line.\n")
        let placement = Reanchoring.place(Self.store([annotation], of: original), in: edited)
        let found = try #require(placement.contents.annotations.first)
        #expect(edited.text(in: found.range) == annotated && placement.approximate == 0)
        #expect(found.start - annotation.start > Reanchoring.nearbyReach)
    }

    @Test("a quote in the last paragraph (no suffix), one over two paragraphs, one at offset 0: follow an insertion at the start")
    func edges() throws {
        let text = "Title of the report\n\nThe first paragraph ends here.\n\nThe second paragraph starts here and the text ends with it."
        let original = Document(text: text)
        let last = try annotation(on: "the text ends with it.", in: original, id: "last")
        let spanning = try annotation(on: "ends here.\n\nThe second", in: original, id: "spanning")
        let first = try annotation(on: "Title of the report", in: original, id: "first")
        #expect(last.suffix.isEmpty && first.prefix.isEmpty && first.start == 0)
        let lead = "Draft 2 — revised.\n\n"
        let edited = Document(text: lead + text)
        let placement = Reanchoring.place(Self.store([last, spanning, first], of: original), in: edited)
        #expect(placement.orphaned == 0 && placement.approximate == 0)
        for annotation in [last, spanning, first] {
            let found = try #require(placement.contents.annotations.first { $0.id == annotation.id })
            #expect(found.start == annotation.start + lead.unicodeScalars.count, "\(annotation.id)")
            #expect(edited.text(in: found.range) == annotation.quote)
        }
        // the end of the text edited after the last quote: it still ends the text's words
        let extended = Document(text: lead + text + " A new closing sentence.")
        let result = Reanchoring.reanchor([last], in: extended)
        #expect(result.anchored.map { extended.text(in: $0.range) } == ["the text ends with it."])
    }

    @Test("multi-byte text (Chinese, 3 bytes a character, copied across many 4 KB blocks): the nearest copy, offsets in code points")
    func multiByteCopies() throws {
        let article = try Self.article("unicode/udhr-cmn_hans.txt")
        let text = String(repeating: article + "\n", count: 12)
        let original = Document(text: text)
        #expect(original.withUTF8 { DirectText(bytes: $0, length: original.length) != nil })
        // a sentence of the article's body, once per copy
        let paragraph = try #require((0..<Document(text: article).paragraphCount).map { Document(text: article).text(ofParagraph: $0) }
            .first { $0.unicodeScalars.count > 60 && article.components(separatedBy: $0).count == 2 })
        let quote = String(paragraph.unicodeScalars.prefix(30))
        #expect(article.components(separatedBy: quote).count == 2)
        let annotations = try [1, 6, 11].map { try annotation(on: quote, occurrence: $0, in: original, id: "zh-\($0)") }
        let lead = "插入的段落 👍🏽 emoji.\n\n"
        let edited = Document(text: lead + text)
        let placement = Reanchoring.place(Self.store(annotations, of: original), in: edited)
        #expect(placement.orphaned == 0 && placement.approximate == 0)
        for annotation in annotations {
            let found = try #require(placement.contents.annotations.first { $0.id == annotation.id })
            #expect(found.start == annotation.start + lead.unicodeScalars.count && found.quote == quote)
            #expect(found.prefix == edited.text(in: (found.start - 32)..<found.start))
        }
    }

    @Test("the text read from its bytes: byte and code point offsets agree across 4 KB blocks; text NFC would change is refused")
    func directText() throws {
        let text = String(repeating: "a€𝄞ü “x” — ", count: 2_000)
        let scalars = Array(text.unicodeScalars)
        let bytes = Array(text.utf8)
        var byteOfScalar: [Int] = []
        var byte = 0
        for scalar in scalars {
            byteOfScalar.append(byte)
            byte += String(scalar).utf8.count
        }
        byteOfScalar.append(byte)
        try bytes.withUnsafeBufferPointer { buffer in
            let direct = try #require(DirectText(bytes: buffer, length: scalars.count))
            for offset in stride(from: 0, through: scalars.count, by: 7) {
                #expect(direct.byteOffset(ofCodePoint: offset) == byteOfScalar[offset])
                #expect(direct.codePoint(ofByte: byteOfScalar[offset]) == offset)
            }
            #expect(Array(direct.scalars) == scalars)
            #expect(direct.occurrences(of: Array("𝄞ü “x”".unicodeScalars)[...]).count == 2_000)
            #expect(direct.string(in: 4..<9) == String(String.UnicodeScalarView(scalars[4..<9])))
            #expect(DirectText(bytes: buffer, length: scalars.count + 1) == nil)
        }
        for refused in ["cafe\u{301}", "a\u{2000}b", "\u{1100}\u{1161}", "\u{0B47}\u{0B3E}"] {
            let bytes = Array(refused.utf8)
            #expect(bytes.withUnsafeBufferPointer { DirectText(bytes: $0, length: refused.unicodeScalars.count) } == nil, "\(refused.debugDescription)")
        }
    }
}
