import Foundation
import Testing
@testable import GlossCore

/// The shared corpus, `../shared/corpus` from the package root (three levels up from here).
private let documentCorpus = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("shared/corpus")

/// A fresh temporary folder, removed by the caller.
private func makeDocumentFolder() throws -> URL {
    let folder = FileManager.default.temporaryDirectory
        .appendingPathComponent("gloss-document-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder
}

/// The paragraphs' texts.
private func paragraphTexts(_ document: Document) -> [String] {
    document.paragraphs.indices.map { document.text(ofParagraph: $0) }
}

@Suite("Document")
struct DocumentTests {
    @Test("blank lines separate paragraphs; lines inside a paragraph stay together")
    func blankLineParagraphs() {
        let document = Document(text: "Title\n\nFirst line\nsecond line\n\n\n\nLast\n")
        #expect(paragraphTexts(document) == ["Title", "First line\nsecond line", "Last"])
        #expect(document.paragraphs.map(\.range) == [0..<5, 7..<29, 33..<37])
        #expect(document.length == 38)
    }

    @Test("whitespace-only lines count as blank")
    func whitespaceOnlyLines() {
        let document = Document(text: "One\n  \t \nTwo\n\t\nThree")
        #expect(paragraphTexts(document) == ["One", "Two", "Three"])
        #expect(document.paragraphs.map(\.range) == [0..<3, 9..<12, 15..<20])
    }

    @Test("a text whose lines end in sentence punctuation has one paragraph per line")
    func oneParagraphPerLine() {
        let document = Document(text: "Alpha.\nBeta.\nGamma.")
        #expect(paragraphTexts(document) == ["Alpha.", "Beta.", "Gamma."])
        #expect(document.paragraphs.map(\.range) == [0..<6, 7..<12, 13..<19])
        // lines of similar length without punctuation are hard-wrapped: one paragraph
        #expect(paragraphTexts(Document(text: "alpha\nbeta\ngamma")) == ["alpha\nbeta\ngamma"])
    }

    @Test("blank lines only before the first or after the last line do not join lines")
    func blankLinesAtTheEdges() {
        let trailing = Document(text: "Alpha.\nBeta.\nGamma.\n\n")
        #expect(paragraphTexts(trailing) == ["Alpha.", "Beta.", "Gamma."])
        let leading = Document(text: "\n \nAlpha.\nBeta.")
        #expect(paragraphTexts(leading) == ["Alpha.", "Beta."])
        #expect(leading.paragraphs.map(\.range) == [3..<9, 10..<15])
    }

    @Test("CRLF: line endings are kept and count two code points; paragraphs exclude them")
    func crlf() {
        let document = Document(text: "Title\r\n\r\nOne\r\ntwo\r\n\r\nThree\r\n")
        #expect(paragraphTexts(document) == ["Title", "One\r\ntwo", "Three"])
        #expect(document.paragraphs.map(\.range) == [0..<5, 9..<17, 21..<26])
        #expect(document.length == 28)
        #expect(document.text(in: 5..<9) == "\r\n\r\n")
        let lines = Document(text: "A.\r\nB.\r\nC.")
        #expect(paragraphTexts(lines) == ["A.", "B.", "C."])
        #expect(lines.paragraphs.map(\.range) == [0..<2, 4..<6, 8..<10])
    }

    @Test("a leading byte-order mark is dropped and not counted")
    func byteOrderMark() throws {
        let document = Document(text: "\u{FEFF}Hello\n\nWorld")
        #expect(document.length == 12)
        #expect(document.utf8.first == UInt8(ascii: "H"))
        #expect(document.paragraphs.map(\.range) == [0..<5, 7..<12])
        #expect(document.text == "Hello\n\nWorld")

        let folder = try makeDocumentFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("bom.txt").path
        try Data([0xEF, 0xBB, 0xBF] + Array("Caf\u{E9}\r\n\r\nNext".utf8)).write(to: URL(fileURLWithPath: path))
        let fromFile = try Document(contentsOfFile: path)
        #expect(fromFile.length == 12)
        #expect(fromFile.text == "Caf\u{E9}\r\n\r\nNext")
        #expect(fromFile.paragraphs.map(\.range) == [0..<4, 8..<12])
        #expect(fromFile.paragraphs.map(\.byteRange) == [0..<5, 9..<13])
        // Only a leading mark is a byte-order mark.
        #expect(Document(text: "a\u{FEFF}b").length == 3)
    }

    @Test("text(in:) takes code-point offsets on emoji and combining marks")
    func textInRange() {
        // é precomposed (1 scalar); e + U+0301 (2 scalars, 1 grapheme); a ZWJ family (5 scalars,
        // 1 grapheme, 8 UTF-16 units); a flag (2 scalars, 1 grapheme).
        let text = "Caf\u{E9} cafe\u{301} \u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467}!\n\nNext \u{1F1FA}\u{1F1F3} para"
        let document = Document(text: text)
        #expect(document.length == text.unicodeScalars.count)
        #expect(document.length == 31)
        #expect(document.text(in: 0..<4) == "Caf\u{E9}")
        #expect(document.text(in: 5..<10) == "cafe\u{301}")
        #expect(document.text(in: 11..<16) == "\u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467}")
        #expect(document.text(in: 16..<17) == "!")
        #expect(document.text(in: 24..<26) == "\u{1F1FA}\u{1F1F3}")
        #expect(document.text(in: 13..<20) == "\u{1F469}\u{200D}\u{1F467}!\n\nN")  // across paragraphs
        #expect(document.text(in: 26..<31) == " para")
        #expect(document.paragraphs.map(\.range) == [0..<17, 19..<31])
        // Clamped to the document.
        #expect(document.text(in: -5..<3) == "Caf")
        #expect(document.text(in: 0..<1_000) == text)
        #expect(document.text(in: 40..<50) == "")
        // Every paragraph's byte range holds the same text as its code-point range.
        for paragraph in document.paragraphs {
            #expect(String(decoding: document.utf8[paragraph.byteRange], as: UTF8.self) == document.text(in: paragraph.range))
        }
    }

    @Test("paragraphIndex(atOrBefore:) and (atOrAfter:)")
    func paragraphLookup() {
        // Paragraphs at 2..<5, 7..<10 and 12..<15.
        let document = Document(text: "\n\nabc\n\ndef\n\nghi\n")
        #expect(document.paragraphs.map(\.range) == [2..<5, 7..<10, 12..<15])
        #expect(document.paragraphIndex(atOrBefore: 0) == nil)
        #expect(document.paragraphIndex(atOrBefore: 1) == nil)
        #expect(document.paragraphIndex(atOrBefore: 2) == 0)
        #expect(document.paragraphIndex(atOrBefore: 4) == 0)
        #expect(document.paragraphIndex(atOrBefore: 6) == 0)  // between paragraphs 0 and 1
        #expect(document.paragraphIndex(atOrBefore: 7) == 1)
        #expect(document.paragraphIndex(atOrBefore: 14) == 2)
        #expect(document.paragraphIndex(atOrBefore: 100) == 2)

        #expect(document.paragraphIndex(atOrAfter: 0) == 0)
        #expect(document.paragraphIndex(atOrAfter: 4) == 0)
        #expect(document.paragraphIndex(atOrAfter: 5) == 1)  // the line ending after paragraph 0
        #expect(document.paragraphIndex(atOrAfter: 9) == 1)
        #expect(document.paragraphIndex(atOrAfter: 11) == 2)
        #expect(document.paragraphIndex(atOrAfter: 14) == 2)
        #expect(document.paragraphIndex(atOrAfter: 15) == nil)
        #expect(document.paragraphIndex(atOrAfter: 100) == nil)
    }

    @Test("an empty text has no paragraphs")
    func emptyText() {
        let document = Document(text: "")
        #expect(document.paragraphs.isEmpty)
        #expect(document.length == 0)
        #expect(document.paragraphIndex(atOrBefore: 0) == nil)
        #expect(document.paragraphIndex(atOrAfter: 0) == nil)
        #expect(document.text(in: 0..<5) == "")
        #expect(Document(text: "\n \n\t\n").paragraphs.isEmpty)
    }

    @Test("a text over a megabyte is checked through its first megabyte as it opens (on a second thread, beside the shape's detection): a bad byte or NUL there is refused with its offset, one past it is left for the index")
    func aLargeTextsFirstMegabyteIsChecked() throws {
        let folder = try makeDocumentFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        // lines of prose with a curly quote in each, so the check leaves its fast ASCII path often
        let line = Array("\u{201C}The delegates agreed to share information on ISIL,\u{201D} she said. Then they left.\n".utf8)
        var clean: [UInt8] = []
        while clean.count < 3 * Document.eagerByteCount { clean += line }
        func write(_ bytes: [UInt8], _ name: String) throws -> String {
            let path = folder.appendingPathComponent(name).path
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            return path
        }
        let cleanPath = try write(clean, "clean.txt")
        let document = try Document(contentsOfFile: cleanPath)
        #expect(document.problem == nil)
        #expect(document.indexedByteCount < Document.eagerByteCount)
        #expect(document.text(in: 0..<14) == "\u{201C}The delegates")
        for (offset, byte, name) in [(700_001, UInt8(0xFF), "late-bad.txt"), (Document.eagerByteCount - 40, UInt8(0xC3), "edge-bad.txt"), (900_000, UInt8(0), "nul.txt")] {
            var bytes = clean
            bytes[offset] = byte
            // a lone 0xC3 needs a continuation byte after it
            if byte == 0xC3 { bytes[offset + 1] = 0x41 }
            let path = try write(bytes, name)
            let expected = byte == 0 ? DocumentError.binary(path: path, byteOffset: offset) : DocumentError.notUTF8(path: path, byteOffset: offset)
            #expect(throws: expected) { try Document(contentsOfFile: path) }
        }
        var beyond = clean
        beyond[2 * Document.eagerByteCount] = 0xFF
        let beyondPath = try write(beyond, "beyond.txt")
        let opened = try Document(contentsOfFile: beyondPath)
        #expect(opened.problem == nil, "a bad byte past the first megabyte is the index's to find")
        #expect(opened.text(in: 0..<14) == "\u{201C}The delegates")
    }

    @Test("invalid UTF-8 is refused with the offset of the first bad byte in the file")
    func invalidUTF8() throws {
        let folder = try makeDocumentFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("latin1.txt").path
        try Data(Array("Caf".utf8) + [0xE9] + Array(" noir".utf8)).write(to: URL(fileURLWithPath: path))
        #expect(throws: DocumentError.notUTF8(path: path, byteOffset: 3)) {
            try Document(contentsOfFile: path)
        }
        // A truncated sequence after valid multi-byte text.
        let truncated = folder.appendingPathComponent("truncated.txt").path
        try Data(Array("\u{E9}\u{1F600}".utf8) + [0xF0, 0x9F]).write(to: URL(fileURLWithPath: truncated))
        #expect(throws: DocumentError.notUTF8(path: truncated, byteOffset: 6)) {
            try Document(contentsOfFile: truncated)
        }
        // With a byte-order mark the offset still counts the file's bytes.
        let marked = folder.appendingPathComponent("marked.txt").path
        try Data([0xEF, 0xBB, 0xBF, 0x41, 0xFF]).write(to: URL(fileURLWithPath: marked))
        #expect(throws: DocumentError.notUTF8(path: marked, byteOffset: 4)) {
            try Document(contentsOfFile: marked)
        }
        let error = DocumentError.notUTF8(path: path, byteOffset: 3)
        #expect(error.description.contains(path))
        #expect(error.description.contains("offset 3"))
    }

    @Test("a missing file is unreadable, and the message names it")
    func missingFile() throws {
        let folder = try makeDocumentFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("absent.txt").path
        do {
            _ = try Document(contentsOfFile: path)
            Issue.record("opening a missing file succeeded")
        } catch let error as DocumentError {
            #expect(error == .unreadable(path: path, reason: "no such file"))
            #expect(error.description.hasPrefix(path + ":"))
        }
        // A folder is not a document either.
        #expect(throws: DocumentError.self) { try Document(contentsOfFile: folder.path) }
    }

    @Test("the seed article: title paragraph, body, boilerplate")
    func seedArticle() throws {
        let path = documentCorpus.appendingPathComponent("seed-counter-terrorism-conference.txt").path
        let document = try Document(contentsOfFile: path)
        #expect(document.text(ofParagraph: 0) == "Global Conference of National Counter-terrorism Chiefs Could Improve Cooperation")
        #expect(document.paragraphs.count == 7)
        #expect(document.text(ofParagraph: 1).hasPrefix("Top officials of the United Nations"))
        #expect(document.text(ofParagraph: 5) == "Leave a Reply")
        // the title is a heading, and so is "Leave a Reply" above its longer line
        #expect(document.paragraphs.map(\.kind) == [.heading, .body, .body, .body, .body, .heading, .body])
        #expect(document.fileName == "seed-counter-terrorism-conference.txt")
        #expect(document.path == path)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(document.length == text.unicodeScalars.count)
        #expect(document.text == text)
        for paragraph in document.paragraphs {
            let view = text.unicodeScalars
            let start = view.index(view.startIndex, offsetBy: paragraph.range.lowerBound)
            let end = view.index(view.startIndex, offsetBy: paragraph.range.upperBound)
            #expect(String(view[start..<end]) == document.text(in: paragraph.range))
        }
    }

    @Test("a large CRLF file with a byte-order mark indexes consistently")
    func largeFile() throws {
        let path = documentCorpus.appendingPathComponent("large/war-and-peace-pg2600.txt").path
        let document = try Document(contentsOfFile: path)
        #expect(document.utf8.starts(with: [0xEF, 0xBB, 0xBF]) == false)
        #expect(document.paragraphs.count > 10_000)
        var previousEnd = 0
        for paragraph in document.paragraphs {
            #expect(paragraph.range.lowerBound >= previousEnd)
            previousEnd = paragraph.range.upperBound
        }
        #expect(previousEnd <= document.length)
        let middle = document.paragraphs[document.paragraphs.count / 2]
        #expect(String(decoding: document.utf8[middle.byteRange], as: UTF8.self) == document.text(in: middle.range))
        #expect(!document.text(in: middle.range).contains("\r\n\r\n"))
    }
}
