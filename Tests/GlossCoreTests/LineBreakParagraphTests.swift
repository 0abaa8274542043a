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

/// A temporary folder, removed by the caller.
private func temporaryFolder() throws -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gloss-breaks-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder
}

/// What ends a line and what makes a line blank, as the paragraph index reads them
/// (``PlainTextShape``): a line feed, CR LF or a lone carriage return ends a line; a line
/// of white space and invisible characters is blank; a line that starts with a mark joining
/// the character before it goes on with the line before it.
@Suite("Line breaks and line classification")
struct LineBreakParagraphTests {
    // MARK: marks at a line's start

    /// Characters that join the one before them in a grapheme cluster: a combining acute,
    /// a zero-width joiner and non-joiner, a variation selector, an enclosing circle, a
    /// Devanagari vowel sign (a spacing mark) and an emoji skin tone.
    static let joiningMarks = ["\u{301}", "\u{200D}", "\u{200C}", "\u{FE0F}", "\u{20DD}", "\u{93E}", "\u{1F3FD}"]

    @Test("a line that starts with a combining mark, a joiner, a variation selector, a spacing mark or an emoji modifier goes on with the line before it, as the same line without it does")
    func markAtLineStartContinues() {
        let control = Document(text: "Ends with a\nxcombining start.\n")
        #expect(texts(control) == ["Ends with a\nxcombining start."])
        for mark in Self.joiningMarks {
            let text = "Ends with a\n\(mark)combining start.\n"
            let document = Document(text: text)
            #expect(texts(document) == ["Ends with a\n\(mark)combining start."], "\(mark.debugDescription)")
            // one body paragraph: the first line is not taken for a title above it
            #expect(document.paragraphs.map(\.kind) == [.body], "\(mark.debugDescription)")
            #expect(document.paragraphs.first?.range == 0..<(text.unicodeScalars.count - 1))
            // even after a sentence end, and before a capital: the break came inside a letter
            let after = Document(text: "Title\n\nA sentence ends here.\n\(mark)Then more.\nNext paragraph.\n")
            #expect(texts(after) == ["Title", "A sentence ends here.\n\(mark)Then more.", "Next paragraph."], "\(mark.debugDescription)")
        }
    }

    @Test("in hard-wrapped text a line in capitals after a mark goes on with the line before it, where without the mark it is a paragraph of its own")
    func markBeforeCapitalsInWrappedText() {
        let line = "the committee heard testimony on the proposal for a new department"
        func text(_ capitals: String) -> String {
            var lines: [String] = []
            for block in 0..<4 {
                lines += (0..<4).map { "\(line) \(block)\($0)" }
                if block == 1 { lines.append(capitals) }
                lines.append("")
            }
            return lines.joined(separator: "\n")
        }
        let plain = Document(text: text("HOMELAND SECURITY"))
        #expect(plain.shape.mode == .blankSeparated)
        #expect(texts(plain).contains("HOMELAND SECURITY"))
        let marked = Document(text: text("\u{301}HOMELAND SECURITY"))
        #expect(marked.shape.mode == .blankSeparated)
        #expect(marked.paragraphCount == plain.paragraphCount - 1)
        #expect(texts(marked)[1].hasSuffix("\(line) 13\n\u{301}HOMELAND SECURITY"))
    }

    @Test("zero-width characters at a line's start are passed over: the line is read by its first visible character")
    func zeroWidthAtLineStart() {
        for invisible in ["\u{200B}", "\u{200E}", "\u{2060}", "\u{FEFF}", "\u{AD}"] {
            #expect(texts(Document(text: "Line one\n\(invisible)continues here.\n")) == ["Line one\n\(invisible)continues here."],
                    "\(invisible.debugDescription)")
            #expect(texts(Document(text: "Line one\n\(invisible)Starts anew.\n")) == ["Line one", "\(invisible)Starts anew."],
                    "\(invisible.debugDescription)")
        }
    }

    // MARK: blank lines

    /// Lines that hold only white space or invisible characters.
    static let blankLines = ["\u{C}", "\u{B}", "\u{85}", "\u{A0}", "\u{3000}", "\u{2003}", "\u{2028}", "\u{2029}", "\u{200B}", "\u{FEFF}",
                             "\u{200D}\u{FE0F}", " \t\u{A0}\u{2003} \u{C}"]

    @Test("a line of only white space or invisible characters (a form feed, Unicode spaces, U+2028, U+2029, zero-width characters) is blank: it ends the paragraph, and offsets count its code points")
    func unicodeBlankLines() {
        #expect(texts(Document(text: "Line one\ncontinues here.\n")) == ["Line one\ncontinues here."])
        for blank in Self.blankLines {
            let text = "Line one\n\(blank)\ncontinues here.\n"
            let document = Document(text: text)
            #expect(texts(document) == ["Line one", "continues here."], "\(blank.debugDescription)")
            let second = "Line one\n\(blank)\n".unicodeScalars.count
            #expect(document.paragraphs.last?.range == second..<(second + 15), "\(blank.debugDescription)")
            #expect(document.length == text.unicodeScalars.count)
            // the same in an importer's blocks
            let extracted = Document(extracted: ExtractedText(text: text, headingStarts: [], extractor: "test", extractorVersion: "1",
                                                              sourceSHA256: nil), path: "x.html")
            #expect(texts(extracted) == ["Line one", "continues here."], "\(blank.debugDescription)")
        }
        // a line with text among them is not blank (it starts a paragraph, not being in lower case)
        #expect(texts(Document(text: "Line one\n\u{A0}x\u{3000}\ncontinues here.\n")) == ["Line one", "\u{A0}x\u{3000}\ncontinues here."])
        #expect(texts(Document(text: "Line one\n\u{301}\ncontinues here.\n")) == ["Line one\n\u{301}\ncontinues here."])
    }

    // MARK: carriage returns

    @Test("a text with classic Mac OS line ends (lone carriage returns) has the paragraphs, headings and offsets of the same text with line feeds, and those of CR LF")
    func carriageReturnOnlyText() throws {
        let lines = try String(contentsOf: corpus.appendingPathComponent("seed-counter-terrorism-conference.txt"), encoding: .utf8)
        let cr = Document(text: lines.replacingOccurrences(of: "\n", with: "\r"))
        let lf = Document(text: lines)
        #expect(lf.paragraphCount > 5)
        #expect(cr.paragraphs == lf.paragraphs)
        #expect(texts(cr) == texts(lf).map { $0.replacingOccurrences(of: "\n", with: "\r") })
        #expect(cr.paragraphs.first?.kind == .heading && cr.title == lf.title)
        let crlf = Document(text: lines.replacingOccurrences(of: "\n", with: "\r\n"))
        #expect(crlf.paragraphs.map(\.kind) == lf.paragraphs.map(\.kind))
        #expect(texts(crlf).map { $0.replacingOccurrences(of: "\r\n", with: "\n") } == texts(lf))
    }

    @Test("LF, CR LF and a lone CR each end one line wherever a text mixes them; CR CR LF is two line ends, so a blank line")
    func mixedLineEnds() {
        #expect(texts(Document(text: "line one\rcontinues here.")) == ["line one\rcontinues here."])
        #expect(texts(Document(text: "line one\r\ncontinues here.")) == ["line one\r\ncontinues here."])
        #expect(texts(Document(text: "line one\r\rcontinues here.")) == ["line one", "continues here."])
        #expect(texts(Document(text: "line one\r\r\ncontinues here.")) == ["line one", "continues here."])
        #expect(texts(Document(text: "line one\n\rcontinues here.")) == ["line one", "continues here."])
        let mixed = "Title\r\rFirst line.\nSecond line.\r\nThird line and\rthe last one.\r"
        let document = Document(text: mixed)
        #expect(texts(document) == ["Title", "First line.", "Second line.", "Third line and\rthe last one."])
        #expect(document.paragraphs.map(\.kind) == [.heading, .body, .body, .body])
        #expect(document.length == mixed.unicodeScalars.count)
        #expect(document.text(in: document.paragraphs[3].range) == "Third line and\rthe last one.")
    }

    @Test("a long classic Mac OS text read from disk (mapped, indexed a chunk at a time) and as UTF-16 (transcoded a part at a time) has the paragraphs of its CR LF original")
    func longCarriageReturnFiles() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let original = try Document(contentsOfFile: corpus.appendingPathComponent("large/war-and-peace-pg2600.txt").path)
        let bytes = original.utf8
        var carriage: [UInt8] = []
        carriage.reserveCapacity(bytes.count)
        for (index, byte) in bytes.enumerated() where !(byte == 0x0A && index > 0 && bytes[index - 1] == 0x0D) { carriage.append(byte) }
        #expect(carriage.count > Document.eagerByteCount && !carriage.contains(0x0A))
        let path = folder.appendingPathComponent("cr.txt").path
        try Data(carriage).write(to: URL(fileURLWithPath: path))
        let document = try Document(contentsOfFile: path)
        let expected = original.paragraphs
        let read = document.paragraphs
        #expect(read.count == expected.count && read.count > 10_000)
        #expect(read.map(\.kind) == expected.map(\.kind))
        // the same text but for the line ends
        for number in stride(from: 0, to: read.count, by: 97) {
            #expect(document.text(ofParagraph: number) == original.text(ofParagraph: number).replacingOccurrences(of: "\r\n", with: "\r"), "paragraph \(number)")
        }
        let text = String(decoding: carriage, as: UTF8.self)
        let utf16Path = folder.appendingPathComponent("cr16.txt").path
        try Data([0xFF, 0xFE] + text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }).write(to: URL(fileURLWithPath: utf16Path))
        let transcoded = try Document(contentsOfFile: utf16Path)
        #expect(transcoded.paragraphs == read)
    }

    @Test("a seek far past the index in a long classic Mac OS text reads ahead from a line start after a lone carriage return, giving the paragraph the same text with line feeds gives there")
    func seekInCarriageReturnText() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let novel = try Document(contentsOfFile: corpus.appendingPathComponent("large/war-and-peace-pg2600.txt").path).utf8
        var feeds: [UInt8] = []
        for (index, byte) in novel.enumerated() where !(byte == 0x0D && index + 1 < novel.count && novel[index + 1] == 0x0A) { feeds.append(byte) }
        // four copies: a seek near the end lies more than 8 MB past the index
        let text = Array([[UInt8]](repeating: feeds, count: 4).joined())
        let lfPath = folder.appendingPathComponent("lf.txt").path, crPath = folder.appendingPathComponent("cr.txt").path
        try Data(text).write(to: URL(fileURLWithPath: lfPath))
        try Data(text.map { $0 == 0x0A ? 0x0D : $0 }).write(to: URL(fileURLWithPath: crPath))
        let lf = try Document(contentsOfFile: lfPath), cr = try Document(contentsOfFile: crPath)
        for target in [text.count - 5_000, text.count - 400_000, 10_000_000] {
            let fromLF = try #require(lf.paragraph(atByte: target)), fromCR = try #require(cr.paragraph(atByte: target))
            #expect(Document.isProvisional(fromCR), "byte \(target): the index was read up to it instead")
            let lfParagraph = try #require(lf.paragraph(fromLF)), crParagraph = try #require(cr.paragraph(fromCR))
            #expect(crParagraph.byteRange == lfParagraph.byteRange && crParagraph.kind == lfParagraph.kind, "byte \(target)")
        }
    }
}
