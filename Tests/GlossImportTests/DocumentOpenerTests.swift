import Foundation
import GlossCore
@testable import GlossImport
import Testing

/// ``TextDecoding`` and ``DocumentOpener``: which importer a file goes to, the encodings,
/// and that plain text still opens as it always has.
@Suite struct TextDecodingTests {
    /// “Curly quotes” – and café in Windows-1252.
    static let windows1252: [UInt8] = [0x93] + Array("Curly quotes".utf8) + [0x94, 0x20, 0x96, 0x20] + Array("caf".utf8) + [0xE9, 0x0A]

    @Test func textThatIsNotUTF8IsReadAsWindows1252WhenItIsValidThere() throws {
        let decoded = try TextDecoding.decode(Self.windows1252, forcing: nil, path: "a.txt")
        #expect(String(decoding: decoded.utf8, as: UTF8.self) == "“Curly quotes” – café\n")
        #expect(decoded.encoding == .windows1252 && decoded.guessed)
        // a UTF-8 byte-order mark before it is dropped, as before UTF-8, not read as "ï»¿"
        let marked = try TextDecoding.decode([0xEF, 0xBB, 0xBF] + Self.windows1252, forcing: nil, path: "a.txt")
        #expect(marked.utf8 == decoded.utf8 && marked.encoding == .windows1252)
        // every defined byte decodes as the WHATWG index says
        let all = (UInt8(1)...UInt8(255)).filter { !TextDecoding.windows1252Undefined.contains($0) }
        let text = String(decoding: try TextDecoding.decode(all, forcing: .windows1252, path: "all").utf8, as: UTF8.self)
        let expected = "€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ"
        #expect(String(text.unicodeScalars.filter { $0.value > 0xFF }.map(Character.init)) == expected)
        #expect(text.unicodeScalars.count == all.count)
    }

    @Test func undefinedBytesMakeAFileNeitherUTF8NorWindows1252() {
        for undefined: UInt8 in [0x81, 0x8D, 0x8F, 0x90, 0x9D] {
            let bytes: [UInt8] = Array("ab".utf8) + [0xE9, 0x20, undefined]
            #expect(throws: ImportError.undecodable(path: "x.txt", utf8Offset: 2, windows1252Offset: 4, byte: undefined)) {
                try TextDecoding.decode(bytes, forcing: nil, path: "x.txt")
            }
        }
        let message = ImportError.undecodable(path: "x.txt", utf8Offset: 2, windows1252Offset: 4, byte: 0x81).description
        #expect(message == "x.txt: neither UTF-8 text (first bad byte at offset 2) nor Windows-1252 (byte 0x81 at offset 4 is undefined there); name its encoding with --encoding NAME, for example windows-1251, Shift_JIS, GB18030, EUC-KR, KOI8-R or ISO-8859-2 (iconv -l lists them), or convert it first, for example with iconv -f ENCODING -t UTF-8")
    }

    @Test func byteOrderMarksDecideAndNULsMakeABinaryFile() throws {
        let text = "Zürich 🌍\n"
        let le: [UInt8] = [0xFF, 0xFE] + text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        let be: [UInt8] = [0xFE, 0xFF] + text.utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
        #expect(try TextDecoding.decode(le, forcing: nil, path: "le").utf8 == Array(text.utf8))
        #expect(try TextDecoding.decode(be, forcing: nil, path: "be").encoding == .utf16BE)
        #expect(try TextDecoding.decode([0xEF, 0xBB, 0xBF] + Array(text.utf8), forcing: nil, path: "bom").utf8 == Array(text.utf8))
        // without a mark, UTF-16 is big endian (RFC 2781 §4.3) unless the order is named
        #expect(try TextDecoding.decode(Array(be.dropFirst(2)), forcing: .utf16, path: "x").utf8 == Array(text.utf8))
        #expect(try TextDecoding.decode(Array(le.dropFirst(2)), forcing: .utf16LE, path: "x").utf8 == Array(text.utf8))
        #expect(throws: DocumentError.notUTF16(path: "odd", byteOffset: 4)) { try TextDecoding.decode([0xFF, 0xFE, 0x41, 0x00, 0x42], forcing: nil, path: "odd") }
        #expect(throws: ImportError.notInEncoding(path: "s", encoding: .utf16BE, byteOffset: 0)) {
            try TextDecoding.decode([0xDC, 0x00, 0x00, 0x41], forcing: .utf16BE, path: "s")
        }
        #expect(throws: DocumentError.binary(path: "nul", byteOffset: 3)) { try TextDecoding.decode([0x41, 0x42, 0x43, 0x00], forcing: nil, path: "nul") }
        #expect(throws: DocumentError.binary(path: "nul", byteOffset: 1)) { try TextDecoding.decode([0x93, 0x00], forcing: .windows1252, path: "nul") }
    }

    @Test func aForcedEncodingIsUsedAsNamed() throws {
        let latin1 = try TextDecoding.decode([0x93, 0xE9], forcing: .latin1, path: "l")
        #expect(String(decoding: latin1.utf8, as: UTF8.self) == "\u{93}é")
        #expect(throws: ImportError.notInEncoding(path: "u", encoding: .utf8, byteOffset: 1)) { try TextDecoding.decode([0x41, 0xE9], forcing: .utf8, path: "u") }
        #expect(throws: ImportError.notInEncoding(path: "w", encoding: .windows1252, byteOffset: 1)) { try TextDecoding.decode([0x41, 0x81], forcing: .windows1252, path: "w") }
        // UTF-8 forced on Windows-1252 bytes is refused, not guessed
        #expect(throws: ImportError.self) { try TextDecoding.decode(Self.windows1252, forcing: .utf8, path: "w") }
    }

    @Test(arguments: [("utf-8", TextEncoding.utf8), ("UTF8", .utf8), ("utf-16", .utf16), ("utf-16le", .utf16LE), ("UTF-16BE", .utf16BE),
                      ("windows-1252", .windows1252), ("cp1252", .windows1252), ("latin1", .latin1), ("ISO-8859-1", .latin1)])
    func encodingNames(name: String, encoding: TextEncoding) {
        #expect(TextEncoding(name: name) == encoding)
    }

    @Test func unknownEncodingNamesAreRefused() {
        #expect(TextEncoding(name: "klingon") == nil)
        #expect(TextEncoding(name: "") == nil)
    }
}

@Suite struct DocumentOpenerTests {
    @Test func theFormatComesFromTheExtensionInAnyCase() {
        #expect(DocumentOpener.format(ofPath: "a/b.HTML") == .html)
        #expect(DocumentOpener.format(ofPath: "b.htm") == .html)
        #expect(DocumentOpener.format(ofPath: "post.Markdown") == .markdown)
        #expect(DocumentOpener.format(ofPath: "post.md") == .markdown)
        #expect(DocumentOpener.format(ofPath: "x.pdf") == .pdf)
        #expect(DocumentOpener.format(ofPath: "x.txt") == .plain)
        #expect(DocumentOpener.format(ofPath: "README") == nil)
        #expect(DocumentOpener.format(ofPath: ".md") == nil)
        #expect(DocumentOpener.format(ofPath: "dir.md/notes") == nil)
    }

    @Test func theStartOfAPageSaysHTML() {
        #expect(DocumentOpener.looksLikeHTML(Array("<!DOCTYPE html>\n<html>".utf8)))
        #expect(DocumentOpener.looksLikeHTML(Array("\n  <!doctype HTML PUBLIC".utf8)))
        #expect(DocumentOpener.looksLikeHTML(Array("<HTML lang=en>".utf8)))
        #expect(DocumentOpener.looksLikeHTML(Array("<html".utf8)))
        #expect(!DocumentOpener.looksLikeHTML(Array("<htmlish>".utf8)))
        #expect(!DocumentOpener.looksLikeHTML(Array("Text about <html> tags".utf8)))
        #expect(!DocumentOpener.looksLikeHTML(Array("<pre>".utf8)))
    }

    @Test func plainTextOpensAsItAlwaysHas() throws {
        let scratch = try Scratch()
        defer { scratch.cleanUp() }
        let text = "Title\n\nFirst paragraph.\nSame paragraph.\n\nSecond.\n"
        let path = try scratch.write([0xEF, 0xBB, 0xBF] + Array(text.utf8), to: "article")
        let opened = try DocumentOpener.open(path)
        let reference = try Document(contentsOfFile: path)
        #expect(opened.format == .plain && opened.notices.isEmpty)
        #expect(opened.document.extraction == nil)
        #expect(opened.document.text == reference.text)
        #expect(opened.document.paragraphs == reference.paragraphs)
        #expect(opened.document.sha256 == reference.sha256)
        // the same with UTF-8 forced
        #expect(try DocumentOpener.open(path, encoding: .utf8).document.paragraphs == reference.paragraphs)
    }

    @Test func aWindows1252TextOpensDecodedWithANotice() throws {
        let scratch = try Scratch()
        defer { scratch.cleanUp() }
        let path = try scratch.write(Array("A title\n\n".utf8) + TextDecodingTests.windows1252, to: "legacy.txt")
        let opened = try DocumentOpener.open(path)
        #expect(opened.document.text == "A title\n\n“Curly quotes” – café\n")
        #expect(opened.notices == [DocumentOpener.windows1252Notice])
        #expect(opened.document.extraction?.extractor == "windows-1252")
        // paragraphs by the plain-text rules, as for a UTF-8 file with the same text
        let utf8 = try scratch.write(opened.document.text, to: "utf8.txt")
        #expect(opened.document.paragraphs == (try Document(contentsOfFile: utf8)).paragraphs)
        // forced, there is nothing to announce
        #expect(try DocumentOpener.open(path, encoding: .windows1252).notices.isEmpty)
        // UTF-8 forced: refused, as Document refuses it
        #expect(throws: DocumentError.notUTF8(path: path, byteOffset: 9)) { try DocumentOpener.open(path, encoding: .utf8) }
    }

    @Test func aTextThatIsNeitherIsRefusedNamingTheFile() throws {
        let scratch = try Scratch()
        defer { scratch.cleanUp() }
        let path = try scratch.write([0x41, 0xFF, 0x81, 0x0A], to: "odd.txt")
        #expect(throws: ImportError.undecodable(path: path, utf8Offset: 1, windows1252Offset: 2, byte: 0x81)) { try DocumentOpener.open(path) }
        // a NUL: binary, whatever else
        let binary = try scratch.write([0x41, 0x00, 0xFF], to: "data.txt")
        #expect(throws: DocumentError.self) { try DocumentOpener.open(binary) }
        #expect(throws: DocumentError.unreadable(path: scratch.url.path + "/missing.md", reason: "no such file")) {
            try DocumentOpener.open(scratch.url.path + "/missing.md")
        }
    }

    @Test func aPageWithAnotherExtensionIsSniffedAsHTML() throws {
        let scratch = try Scratch()
        defer { scratch.cleanUp() }
        let page = "<!DOCTYPE html><html><head><title>Saved page</title></head><body><nav>Menu</nav><p>The text.</p></body></html>"
        for name in ["saved.txt", "saved", "saved.aspx"] {
            let opened = try DocumentOpener.open(try scratch.write(page, to: name))
            #expect(opened.format == .html)
            #expect(opened.document.text == "Saved page\n\nThe text.")
            #expect(opened.document.paragraph(0)?.kind == .heading)
            #expect(opened.document.paragraph(1)?.kind == .body)
        }
        // in Windows-1252, with the notice
        let legacy = try scratch.write(Array("<html><body><p>".utf8) + [0x93, 0x61, 0x94] + Array("</p></body></html>".utf8), to: "legacy.php")
        let opened = try DocumentOpener.open(legacy)
        #expect(opened.format == .html && opened.document.text == "“a”" && opened.notices == [DocumentOpener.windows1252Notice])
        // and in UTF-16
        let utf16 = try scratch.write([0xFF, 0xFE] + page.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }, to: "wide.txt")
        #expect(try DocumentOpener.open(utf16).document.text == "Saved page\n\nThe text.")
    }

    @Test func htmlAndMarkdownFilesGoToTheirImporters() throws {
        let scratch = try Scratch()
        defer { scratch.cleanUp() }
        let html = try DocumentOpener.open(Corpus.webPage)
        #expect(html.format == .html && html.document.extraction?.extractor == "html")
        #expect(html.document.paragraph(0)?.kind == .heading)
        #expect(html.document.paragraphCount == 10)
        let markdown = try DocumentOpener.open(Corpus.markdownPost)
        #expect(markdown.format == .markdown && markdown.document.extraction?.extractor == "markdown")
        // a Windows-1252 post
        let post = try scratch.write(Array("# Caf".utf8) + [0xE9] + Array("\n\n*Text*\n".utf8), to: "post.markdown")
        let opened = try DocumentOpener.open(post)
        #expect(opened.document.text == "Café\n\nText" && opened.notices == [DocumentOpener.windows1252Notice])
        #expect(opened.document.paragraph(0)?.kind == .heading)
        // a Markdown file that is all code keeps its lines in one paragraph
        let code = try scratch.write("```\nline one\nline two\n```\n", to: "code.md")
        let lines = try DocumentOpener.open(code).document
        #expect(lines.paragraphCount == 1 && lines.text == "line one\nline two")
    }

    @Test(.enabled(if: PDFImporterTests.hasPdftotext, "pdftotext is not installed; .ci/run installs poppler-utils"))
    func aPDFGoesToPdftotextAlsoUnderAnotherName() throws {
        let scratch = try Scratch()
        defer { scratch.cleanUp() }
        let opened = try DocumentOpener.open(Corpus.prefacePDF)
        #expect(opened.format == .pdf && opened.document.text.hasPrefix("PREFACE\nWe present"))
        let renamed = try scratch.write(try Corpus.bytes(Corpus.prefacePDF), to: "preface.bin")
        #expect(try DocumentOpener.open(renamed).document.text == opened.document.text)
        let missing = PDFImporter(searchPath: "/nonexistent/gloss")
        #expect(throws: ImportError.programMissing(path: Corpus.prefacePDF, program: "pdftotext", install: PDFImporter.installHint)) {
            try DocumentOpener.open(Corpus.prefacePDF, pdf: missing)
        }
    }
}

/// What an opened document tells the store about its source.
@Suite struct SourceIdentityTests {
    @Test("HTML, Markdown, PDF and Windows-1252 documents carry the importer and the source file's SHA-256; plain UTF-8 none")
    func extractionNamesImporterAndSourceHash() throws {
        let scratch = try Scratch()
        defer { scratch.cleanUp() }
        let latin = try scratch.write(TextDecodingTests.windows1252, to: "quotes.txt")
        var paths = [(Corpus.webPage, "html"), (Corpus.markdownPost, "markdown"), (latin, "windows-1252")]
        if Subprocess.find(PDFImporter.program) != nil {
            paths.append((Corpus.prefacePDF, "pdf"))
        }
        for (path, extractor) in paths {
            let opened = try DocumentOpener.open(path)
            let extraction = try #require(opened.document.extraction, "\(path)")
            #expect(extraction.extractor == extractor)
            #expect(extraction.sourceSHA256 == AnnotationStore.sha256Hex(try Corpus.bytes(path)))
            #expect(extraction.sourceSHA256 != opened.document.sha256)
        }
        #expect(try DocumentOpener.open(Corpus.prefaceText).document.extraction == nil)
    }
}

/// Devices and streams named as documents.
@Suite struct StreamTests {
    @Test("/dev/zero named .txt, .html, .md or .pdf is refused at once as a device, not read until memory runs out")
    func endlessZerosAreRefused() throws {
        let scratch = try Scratch()
        defer { scratch.cleanUp() }
        for name in ["zero.txt", "zero.html", "zero.md", "zero.pdf", "zero"] {
            let link = scratch.url.appendingPathComponent(name).path
            try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "/dev/zero")
            #expect(throws: DocumentError.notRegularFile(path: link, kind: "a character device")) { try DocumentOpener.open(link) }
        }
    }
}
