
import Foundation
import Testing
@testable import GlossCore

/// The paragraph index at scale: its compact columns give the paragraphs the array of
/// ``Paragraph`` values gave, a seek reads ahead of it with the same paragraphs and settles
/// onto the right code points, and a large UTF-16 file is transcoded lazily to the same text.
@Suite(.serialized) struct ParagraphIndexScaleTests {
    /// The package root, three levels up from this file.
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    /// The digests of every corpus file's paragraphs as the index built them when it kept an
    /// array of ``Paragraph`` values; `GLOSS_RECORD_INDEX_DIGESTS=1` writes them afresh.
    static let digestsPath = packageRoot.appendingPathComponent("Tests/Fixtures/paragraph-index-digests.txt").path

    static func temporaryFile(_ name: String, _ bytes: [UInt8]) throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gloss-scale-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent(name).path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    static func remove(_ path: String) {
        try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path)
    }

    /// Every text file of the corpus, by its path inside it.
    static func corpusTexts() throws -> [(name: String, bytes: [UInt8])] {
        let root = corpusRoot
        let names = (FileManager.default.enumerator(atPath: root.path)?.allObjects as? [String] ?? [])
            .filter { $0.hasSuffix(".txt") }.sorted()
        return try names.map { ($0, Array(try Data(contentsOf: root.appendingPathComponent($0)))) }
    }

    static let corpusRoot = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/corpus")

    /// One line per paragraph (code points, bytes, kind), hashed.
    static func digest(_ document: Document) -> String {
        var lines = ""
        for paragraph in document.paragraphs {
            lines += "\(paragraph.range.lowerBound) \(paragraph.range.upperBound) \(paragraph.byteRange.lowerBound) \(paragraph.byteRange.upperBound) \(paragraph.kind == .heading ? "h" : "b")\n"
        }
        return "\(document.paragraphCount) \(document.length) " + AnnotationStore.sha256Hex(Array(lines.utf8))
    }

    /// The inputs of the digest test: the corpus, three of its texts with CRLF and CR line
    /// ends (each line end of the text, LF or CRLF, made one CRLF or one CR), and eight
    /// copies of the novel (a mapped file of more than 65,536 paragraphs).
    static func digestInputs() throws -> [(name: String, bytes: [UInt8])] {
        var inputs = try corpusTexts()
        for name in ["seed-counter-terrorism-conference.txt", "unicode/udhr-jpn.txt", "large/war-and-peace-pg2600.txt"] {
            let bytes = inputs.first { $0.name == name }!.bytes
            var feeds: [UInt8] = []
            for (index, byte) in bytes.enumerated() where !(byte == 0x0D && index + 1 < bytes.count && bytes[index + 1] == 0x0A) {
                feeds.append(byte)
            }
            inputs.append((name + " (CRLF)", feeds.flatMap { $0 == 0x0A ? [0x0D, 0x0A] : [$0] }))
            inputs.append((name + " (CR)", feeds.map { $0 == 0x0A ? 0x0D : $0 }))
        }
        let novel = inputs.first { $0.name == "large/war-and-peace-pg2600.txt" }!.bytes
        inputs.append(("large/war-and-peace-pg2600.txt x8", novel + Array(repeating: Array(novel.dropFirst(3)), count: 7).flatMap { $0 }))
        return inputs
    }

    @Test("the compact index gives the same paragraphs, offsets and kinds as the array of paragraphs did, on every corpus text and CRLF and CR copies")
    func sameParagraphsAsBefore() throws {
        var lines: [String] = []
        for (name, bytes) in try Self.digestInputs() {
            let path = try Self.temporaryFile("input.txt", bytes)
            defer { Self.remove(path) }
            let document = try Document(contentsOfFile: path)
            lines.append(name + "\t" + Self.digest(document))
        }
        if ProcessInfo.processInfo.environment["GLOSS_RECORD_INDEX_DIGESTS"] == "1" {
            try (lines.joined(separator: "\n") + "\n").write(toFile: Self.digestsPath, atomically: true, encoding: .utf8)
        }
        let recorded = try String(contentsOfFile: Self.digestsPath, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(lines.count == recorded.count)
        for (line, expected) in zip(lines, recorded) {
            #expect(line == expected)
        }
        #expect(lines.contains { $0.hasPrefix("large/war-and-peace-pg2600.txt x8\t") && Int($0.split(separator: "\t")[1].split(separator: " ")[0])! > 65_536 })
        // a lone CR ends a line as a line feed does (one code point and byte each): the CR
        // copy of a text with line feeds has its very paragraphs, and a CRLF copy of a CRLF
        // text is that text
        func digest(_ name: String) -> String? { lines.first { $0.hasPrefix(name + "\t") }?.split(separator: "\t").last.map(String.init) }
        for name in ["seed-counter-terrorism-conference.txt", "unicode/udhr-jpn.txt"] {
            #expect(digest(name) != nil && digest(name + " (CR)") == digest(name), "\(name)")
        }
        #expect(digest("large/war-and-peace-pg2600.txt") != nil && digest("large/war-and-peace-pg2600.txt (CRLF)") == digest("large/war-and-peace-pg2600.txt"))
    }

    @Test("an offset column keeps 32 bits under 4 GB and 64 bits over, across its blocks")
    func offsetColumns() {
        var narrow = OffsetColumn(limit: 1 << 31)
        var wide = OffsetColumn(limit: 1 << 33)
        #expect(!narrow.isWide && wide.isWide)
        for value in stride(from: 0, to: 200_000 * 3, by: 3) {
            narrow.append(value)
            wide.append(value << 14)
        }
        #expect(narrow.count == 200_000 && wide.count == 200_000)
        for index in [0, 1, 65_535, 65_536, 131_072, 199_999] {
            #expect(narrow[index] == index * 3)
            #expect(wide[index] == (index * 3) << 14)
        }
        #expect(wide[199_999] > Int(UInt32.max))
    }
}

extension ParagraphIndexScaleTests {
    /// Twenty copies of the novel (about 66 MB): far enough past the indexed start that a
    /// seek reads ahead of the index.
    static func manyNovels() throws -> String {
        let novel = Array(try Data(contentsOf: corpusRoot.appendingPathComponent("large/war-and-peace-pg2600.txt")))
        var bytes = novel
        for _ in 1..<20 { bytes += novel.dropFirst(3) }
        return try temporaryFile("twenty-novels.txt", bytes)
    }

    @Test("a seek far past the index reads ahead of it: the same paragraphs by bytes as the index finds later, and their offsets settle on the right code points")
    func seekAheadOfTheIndex() throws {
        let path = try Self.manyNovels()
        defer { Self.remove(path) }
        let document = try Document(contentsOfFile: path)
        let indexedAtOpening = document.indexedByteCount
        let last = try #require(document.paragraph(atByte: document.byteCount))
        #expect(Document.isProvisional(last))
        #expect(document.indexedByteCount == indexedAtOpening, "the seek indexed \(document.indexedByteCount) bytes")
        #expect(document.isLastParagraph(last))
        let lastAhead = try #require(document.paragraph(last))
        let middle = try #require(document.paragraph(atByte: document.byteCount / 2))
        #expect(Document.isProvisional(middle))
        // a second seek reads afresh: the numbers of the first name nothing now
        #expect(document.paragraph(last) == nil)
        let ahead = try (0..<40).map { try #require(document.paragraph(middle - 20 + $0)) }
        #expect(ahead[20].byteRange.lowerBound <= document.byteCount / 2)
        let texts = ahead.map { String(decoding: document.utf8[$0.byteRange], as: UTF8.self) }

        let whole = document.paragraphs  // indexes the whole text
        for (paragraph, text) in zip(ahead, texts) {
            let real = try #require(whole.first { $0.byteRange == paragraph.byteRange }, "no paragraph at bytes \(paragraph.byteRange)")
            #expect(real.kind == paragraph.kind)
            #expect(document.settledOffset(paragraph.range.lowerBound) == real.range.lowerBound)
            #expect(document.settledOffset(paragraph.range.upperBound - 1) == real.range.upperBound - 1)
            #expect(document.text(in: real.range) == text)
        }
        #expect(whole.last!.byteRange == lastAhead.byteRange)
        // the first window's offsets name nothing since the second seek
        #expect(document.settledOffset(lastAhead.range.lowerBound) == nil)
        // a real offset is its own settled offset
        #expect(document.settledOffset(12_345) == 12_345)
    }
}

extension ParagraphIndexScaleTests {
    /// Text with Thai, Japanese, Arabic, CRLF line ends and emoji outside the BMP (surrogate
    /// pairs in UTF-16), repeated past a megabyte.
    static func unicodeText() throws -> String {
        let root = corpusRoot.appendingPathComponent("unicode")
        var text = ""
        for name in ["udhr-tha.txt", "udhr-jpn.txt", "udhr-arb.txt"] {
            text += try String(contentsOf: root.appendingPathComponent(name), encoding: .utf8) + "\r\n\r\nDaesh 👍🏽 said: «non» 𝄞\r\n\r\n"
        }
        var whole = ""
        while whole.utf16.count < 1_500_000 { whole += text }
        return whole
    }

    static func utf16(_ text: String, littleEndian: Bool) -> [UInt8] {
        var bytes: [UInt8] = littleEndian ? [0xFF, 0xFE] : [0xFE, 0xFF]
        bytes.reserveCapacity(2 + 2 * text.utf16.count)
        for unit in text.utf16 {
            bytes += littleEndian ? [UInt8(unit & 0xFF), UInt8(unit >> 8)] : [UInt8(unit >> 8), UInt8(unit & 0xFF)]
        }
        return bytes
    }

    @Test("a large UTF-16 file (LE and BE, with surrogate pairs) opens lazily and gives the text and offsets of the whole decode", arguments: [true, false])
    func lazyUTF16(littleEndian: Bool) throws {
        let text = try Self.unicodeText()
        let bytes = Self.utf16(text, littleEndian: littleEndian)
        let path = try Self.temporaryFile("utf16.txt", bytes)
        defer { Self.remove(path) }
        let decoded = try #require(try Document.decodeUTF16(bytes, path: path))
        let expected = Document(text: String(decoding: decoded, as: UTF8.self))
        let document = try Document(contentsOfFile: path)
        // only the start is made before the first screen
        #expect(!document.isFullyIndexed)
        #expect(document.indexedByteCount < decoded.count / 2)
        #expect(document.text(ofParagraph: 0) == expected.text(ofParagraph: 0))
        let middle = expected.paragraphCount / 2
        #expect(document.paragraph(middle) == expected.paragraph(middle))
        #expect(document.text(ofParagraph: middle) == expected.text(ofParagraph: middle))
        // then all of it
        #expect(document.paragraphs == expected.paragraphs)
        #expect(document.length == expected.length)
        #expect(document.byteCount == decoded.count)
        #expect(document.utf8 == decoded)
        #expect(document.sha256 == expected.sha256)
        #expect(document.problem == nil)
        let sample = expected.paragraphs[expected.paragraphCount - 3]
        #expect(document.text(in: sample.range) == expected.text(in: sample.range))
    }

    @Test("bad UTF-16 is refused with the error of the whole decode: at opening in the first part, by checkWholeText further on, the text cut at the line before it")
    func badUTF16() throws {
        var units = Array("A line of text.\r\n".utf16)
        var text: [UInt16] = []
        while text.count < 1_200_000 { text += units }
        // a lone high surrogate early, then one past the first part
        for (position, name) in [(10, "early"), (text.count - 40, "late")] {
            units = text
            units[position] = 0xD800
            var bytes: [UInt8] = [0xFF, 0xFE]
            for unit in units { bytes += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
            let path = try Self.temporaryFile("bad-\(name).txt", bytes)
            defer { Self.remove(path) }
            let wholeError = #expect(throws: DocumentError.self) { try Document.decodeUTF16(bytes, path: path) }
            #expect(wholeError == .notUTF16(path: path, byteOffset: 2 + 2 * position))
            if name == "early" {
                let error = #expect(throws: DocumentError.self) { try Document(contentsOfFile: path) }
                #expect(error == wholeError)
            } else {
                let document = try Document(contentsOfFile: path)
                let error = #expect(throws: DocumentError.self) { try document.checkWholeText() }
                #expect(error == wholeError)
                #expect(document.problem == wholeError)
                #expect(document.text.hasSuffix("A line of text.\r\n"))
                #expect(document.length < units.count)
            }
        }
        // a NUL code unit past the first part is a binary file, as the whole decode says
        units = text
        units[text.count - 3] = 0
        var bytes: [UInt8] = [0xFE, 0xFF]
        for unit in units { bytes += [UInt8(unit >> 8), UInt8(unit & 0xFF)] }
        let path = try Self.temporaryFile("nul.txt", bytes)
        defer { Self.remove(path) }
        let document = try Document(contentsOfFile: path)
        let error = #expect(throws: DocumentError.self) { try document.checkWholeText() }
        #expect(error == .binary(path: path, byteOffset: 2 + 2 * (text.count - 3)))
    }
}
