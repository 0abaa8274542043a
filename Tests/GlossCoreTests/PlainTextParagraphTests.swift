import Foundation
import Testing
@testable import GlossCore

/// The shared corpus, `../shared/corpus` from the package root.
private let corpus = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("shared/corpus")

private func texts(_ document: Document) -> [String] {
    document.paragraphs.indices.map { document.text(ofParagraph: $0) }
}

private func open(_ relativePath: String) throws -> Document {
    try Document(contentsOfFile: corpus.appendingPathComponent(relativePath).path)
}

/// The index of the first paragraph of `document` whose text starts with `prefix`.
private func paragraph(startingWith prefix: String, in document: Document, sourceLocation: SourceLocation = #_sourceLocation) throws -> Int {
    try #require(texts(document).firstIndex { $0.hasPrefix(prefix) }, "no paragraph starts with \(prefix)", sourceLocation: sourceLocation)
}

/// Plain text read as people write it: one paragraph per line, hard-wrapped lines
/// reflowed into paragraphs, headings on their own (``PlainTextShape``).
@Suite("Plain text paragraphs")
struct PlainTextParagraphTests {
    @Test("a line of spaces is blank; lines ending in sentence punctuation are paragraphs; the title is a heading")
    func titleAndTwoParagraphs() {
        let document = Document(text: "Title\n \nFirst para.\nSecond para.\n")
        #expect(texts(document) == ["Title", "First para.", "Second para."])
        #expect(document.paragraphs.map(\.kind) == [.heading, .body, .body])
        #expect(document.paragraphs.map(\.range) == [0..<5, 8..<19, 20..<32])
        #expect(document.shape.mode == .linePerParagraph)
    }

    @Test("lines wrapped twice (a full line, then the short rest a narrower wrap cut off) are hard-wrapped: a rest starting with a capital goes on the sentence")
    func linesWrappedTwice() {
        let text = """
        Preface
        We present the narrative of this report and the recommendations that
        flow from it to
        the President of the United States, the United States Congress,
        and the American
        people for their consideration. Ten Commissioners from twelve
        Republicans and five
        Democrats chosen by elected leaders from our nation's capital at
        a time of great
        partisan division have come together to present this report
        without dissent.
        We have come together with a unity of purpose because our nation
        demands it.
        To answer these questions, the Congress and the President created
        the National
        Commission on Terrorist Attacks Upon the United States (Public
        Law 107-306, November
        27, 2002).

        """
        let document = Document(text: text)
        #expect(document.shape.mode == .hardWrapped)
        let paragraphs = texts(document).map { $0.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ") }
        #expect(paragraphs.count == 4, "\(paragraphs)")
        #expect(paragraphs.first == "Preface" && document.paragraphs.first?.kind == .heading)
        #expect(paragraphs.last == "To answer these questions, the Congress and the President created the National Commission on Terrorist Attacks Upon the United States (Public Law 107-306, November 27, 2002).")
    }

    @Test("one paragraph per line: a word broken at a hyphen goes on onto the next line, whatever its case")
    func hyphenatedWordContinues() {
        let document = Document(text: "Title\n\nThe Office of Counter-\nTerrorism met.\nReport GAO-\n02-954T was cited.\nA dash -\nNot joined.\n")
        #expect(texts(document) == ["Title", "The Office of Counter-\nTerrorism met.", "Report GAO-\n02-954T was cited.", "A dash -", "Not joined."])
        #expect(document.shape.mode == .linePerParagraph)
    }

    @Test("one paragraph per line: a word hyphenated at a soft hyphen at the line's end goes on onto the next line, as at a hyphen")
    func softHyphenatedWordContinues() {
        let document = Document(text: "Title\n\nThe Office of Counter\u{AD}\nTerrorism met.\nReport GAO\u{AD}  \r\n02-954T was cited.\nA soft hyphen \u{AD}\nNot joined.\n")
        #expect(texts(document) == ["Title", "The Office of Counter\u{AD}\nTerrorism met.", "Report GAO\u{AD}  \r\n02-954T was cited.",
                                    "A soft hyphen \u{AD}", "Not joined."])
        #expect(document.shape.mode == .linePerParagraph)
    }

    @Test("a reflowed paragraph starts after its indentation and keeps its line ending and the next line's indentation")
    func indentedContinuation() {
        let text = "T\n\n    aaa bbb\n        ccc ddd.\n"
        let document = Document(text: text)
        #expect(texts(document) == ["T", "aaa bbb\n        ccc ddd."])
        #expect(document.paragraphs[1].range == 7..<31)
        #expect(document.text(in: 7..<31) == "aaa bbb\n        ccc ddd.")
        #expect(document.length == text.unicodeScalars.count)
    }

    @Test("lines of similar length without final punctuation are hard-wrapped; blank lines separate their paragraphs")
    func hardWrappedWithBlankLines() {
        let text = """
        A Tale

        Chapter One
        It was the best of times, it was the worst of times, it was the age
        of wisdom, it was the age of foolishness, it was the epoch of belief,
        it was the epoch of incredulity, it was the season of Light.

        There were a king with a large jaw and a queen with a plain face, on
        the throne of England; there were a king with a large jaw and a queen
        with a fair face, on the throne of France.

        """
        let document = Document(text: text)
        #expect(document.shape.mode == .blankSeparated)
        let found = texts(document)
        try? #require(found.count == 4)
        #expect(found[0] == "A Tale")
        // the heading is its own paragraph, not the start of the sentence after it
        #expect(found[1] == "Chapter One")
        #expect(found[2].hasPrefix("It was the best of times") && found[2].hasSuffix("season of Light."))
        #expect(found[3].hasPrefix("There were a king") && found[3].hasSuffix("throne of France."))
        #expect(document.paragraphs.map(\.kind) == [.heading, .heading, .body, .body])
    }

    @Test("a line that ends without sentence punctuation continues on a line that starts in lower case")
    func lowerCaseContinuation() throws {
        let document = try open("news/GUM-LICENSE.txt")
        #expect(document.shape.mode == .linePerParagraph)
        #expect(document.text(ofParagraph: 0) == "This corpus was built on data obtained from different sources. The underlying texts \nare licensed under the following licenses:")
        // list items stay one per line
        let first = try paragraph(startingWith: "* Adrienne Isaac", in: document)
        #expect(document.text(ofParagraph: first + 1) == "* Akitaka Yamada")
        #expect(document.paragraphs[first].kind == .body)
    }

    @Test("the seed article and the news articles have one paragraph per line, the title a heading")
    func newsOnePerLine() throws {
        let seed = try open("seed-counter-terrorism-conference.txt")
        #expect(seed.shape.mode == .linePerParagraph)
        #expect(seed.paragraphs.count == 7)
        #expect(seed.paragraphs[0].kind == .heading)
        let asylum = try open("news/wikinews_news_asylum.txt")
        #expect(texts(asylum).first == "Over 900 asylum seekers rescued off Indonesian coast")
        #expect(asylum.paragraphs[0].kind == .heading)
        // a quotation with a speaker is not a heading: it holds two sentences
        let hackers = try open("news/wikinews_news_hackers.txt")
        let quote = try paragraph(startingWith: "\"So far, it's the Internet", in: hackers)
        #expect(hackers.paragraphs[quote].kind == .body)
        let sensitive = try open("news/wikinews_news_sensitive.txt")
        #expect(sensitive.paragraphs[try paragraph(startingWith: "Sources", in: sensitive)].kind == .heading)
    }

    @Test("the GAO testimony is hard-wrapped without blank lines: sentence ends where the next word would fit end paragraphs; headings stand alone")
    func gaoTestimony() throws {
        let document = try open("reports/gao-02-957t-homeland-security-testimony.txt")
        #expect(document.shape.mode == .hardWrapped)
        #expect(document.shape.width == 67)
        let thanks = try paragraph(startingWith: "Thank you for the opportunity", in: document)
        #expect(document.text(ofParagraph: thanks).contains("appear before\nthis Select Committee"))
        #expect(document.text(ofParagraph: thanks).hasSuffix("cost-effective public services."))
        #expect(document.text(ofParagraph: thanks + 1).hasPrefix("In the months since the horrible events"))
        let heading = try paragraph(startingWith: "Homeland Security Strategy", in: document)
        #expect(document.text(ofParagraph: heading) == "Homeland Security Strategy")
        #expect(document.paragraphs[heading].kind == .heading)
        #expect(document.text(ofParagraph: heading - 1) == "Reorganization")
        #expect(document.paragraphs[heading - 1].kind == .heading)
        #expect(document.text(ofParagraph: heading + 1).hasPrefix("In recent testimony before the Congress"))
        // a line in capitals is not merged into the lines above it
        let title = try paragraph(startingWith: "HOMELAND SECURITY", in: document)
        #expect(document.text(ofParagraph: title) == "HOMELAND SECURITY")
        #expect(document.paragraphs[title].kind == .heading)
        // a bullet on its own line starts the list item it belongs to
        let item = try paragraph(startingWith: "•\nDefinition:", in: document)
        #expect(document.text(ofParagraph: item).hasSuffix("managing the new department?"))
    }

    @Test("the 9/11 preface marks paragraphs with hanging indentation")
    func hangingIndentation() throws {
        let document = try open("reports/911-commission-preface.txt")
        #expect(document.shape.mode == .hardWrapped)
        #expect(document.shape.indentation == .hanging)
        #expect(texts(document).first == "PREFACE")
        #expect(document.paragraphs[0].kind == .heading)
        let together = try paragraph(startingWith: "We have come together with a unity", in: document)
        // a sentence end at a line end inside a paragraph does not split it
        #expect(document.text(ofParagraph: together).contains("demands it.\n                September 11, 2001, was a day"))
        #expect(document.text(ofParagraph: together + 1).hasPrefix("To answer these questions"))
    }

    @Test("War and Peace: blank lines separate paragraphs; each speech is its own paragraph; chapter titles are headings")
    func warAndPeace() throws {
        let document = try open("large/war-and-peace-pg2600.txt")
        #expect(document.shape.mode == .blankSeparated)
        #expect(document.paragraphs[0].kind == .heading)
        let speech = try paragraph(startingWith: "“Well, Prince, so Genoa and Lucca", in: document)
        #expect(document.text(ofParagraph: speech).hasSuffix("tell me all the news.”"))
        #expect(document.text(ofParagraph: speech - 1) == "CHAPTER I")
        #expect(document.paragraphs[speech - 1].kind == .heading)
        #expect(document.text(ofParagraph: speech + 1).hasPrefix("It was in July, 1805"))
        #expect(document.text(ofParagraph: speech + 2).hasPrefix("All her invitations without exception"))
        #expect(document.text(ofParagraph: speech + 3).hasPrefix("“If you have nothing better to do"))
    }

    @Test("an importer's text keeps its blocks and only its own headings")
    func importerBlocks() {
        let extracted = ExtractedText(text: "Heading\n\nalpha.\nbeta.\n\nshort\nA longer line follows the short one", headingStarts: [0],
                                      extractor: "html", extractorVersion: "1")
        let document = Document(extracted: extracted, path: "page.html")
        #expect(texts(document) == ["Heading", "alpha.\nbeta.", "short\nA longer line follows the short one"])
        #expect(document.paragraphs.map(\.kind) == [.heading, .body, .body])
        #expect(document.shape.mode == .blocks)
    }

    @Test("the index is the same whether it is built a line at a time or all at once",
          arguments: ["reports/gao-02-957t-homeland-security-testimony.txt", "reports/911-commission-preface.txt",
                      "large/war-and-peace-pg2600.txt", "news/GUM-LICENSE.txt", "unicode/udhr-jpn.txt"])
    func chunkIndependence(file: String) throws {
        var bytes = Array(try Data(contentsOf: corpus.appendingPathComponent(file)).prefix(300_000))
        if bytes.starts(with: Document.byteOrderMark) { bytes.removeFirst(3) }
        // end at a line end, as a chunk does
        while let last = bytes.last, last != 0x0A { bytes.removeLast() }
        try bytes.withUnsafeBufferPointer { buffer in
            let base = try #require(buffer.baseAddress)
            let shape = PlainTextShape.detect(buffer)
            var whole = ParagraphIndex(fileOffset: 0, validated: true, byteCount: buffer.count)
            whole.shape = shape
            whole.extend(base, buffer.count, upTo: buffer.count)
            var stepwise = ParagraphIndex(fileOffset: 0, validated: true, byteCount: buffer.count)
            stepwise.shape = shape
            while !stepwise.complete { stepwise.extend(base, buffer.count, upTo: stepwise.scannedBytes + 1) }
            #expect(whole.paragraphs.count > 10)
            #expect(stepwise.paragraphs.all == whole.paragraphs.all)
        }
    }

    @Test("paragraphs hold the text at their offsets, with no indentation before them")
    func rangesHoldTheirText() throws {
        for file in ["reports/911-commission-preface.txt", "reports/gao-02-957t-homeland-security-testimony.txt", "unicode/udhr-arb.txt"] {
            let document = try open(file)
            let text = document.text
            let scalars = Array(text.unicodeScalars)
            for (number, paragraph) in document.paragraphs.enumerated() {
                var view = String.UnicodeScalarView()
                view.append(contentsOf: scalars[paragraph.range])
                #expect(String(view) == document.text(ofParagraph: number))
                #expect(!SentenceSplitter.isSpace(scalars[paragraph.range.lowerBound]), "\(file) paragraph \(number) starts with a space")
            }
        }
    }

    @Test("lines in capitals, list items and the shape of short samples")
    func lineShapes() {
        func shape(_ line: String) -> LineShape? {
            let bytes = Array(line.utf8)
            return bytes.withUnsafeBufferPointer { LineShape($0.baseAddress!, 0, bytes.count) }
        }
        #expect(shape("   \t \r") == nil)
        #expect(shape("HOMELAND SECURITY")?.capitals == true)
        #expect(shape("ÉTATS-UNIS")?.capitals == true)
        #expect(shape("GAO-")?.capitals == false)  // ends in a hyphen: a word broken over lines
        #expect(shape("Homeland Security")?.capitals == false)
        #expect(shape("• Item")?.listItem == true)
        #expect(shape("12) Item")?.listItem == true)
        #expect(shape("2002. The")?.listItem == false)
        #expect(shape("2 ) Joanne Rowling is also known as Jo Rowling")?.listItem == true)
        #expect(shape("2 people")?.listItem == false)
        #expect(shape("\tIndented “quoted.”")?.endsSentence == true)
        #expect(shape("\tIndented “quoted.”")?.indent == 8)
        #expect(shape("éclair")?.startsLowercase == true)
        #expect(shape("counter-")?.endsPunctuation == true)
        #expect(shape("Words without a stop")?.endsPunctuation == false)
    }
}
