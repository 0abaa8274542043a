import Foundation
import GlossCore
@testable import GlossImport
import Testing

/// The faults an independent tester found in how files are opened, each with its input.
@Suite struct LeadingMarkTests {
    static let text = "Title line\r\n\r\nFirst sentence here. Second sentence.\r\n"

    @Test("every U+FEFF at the start is dropped, whatever the encoding and the format, so gloss text never prints a BOM")
    func everyLeadingMarkIsDropped() throws {
        let scratch = try Scratch()
        defer { scratch.cleanUp() }
        let marked = "\u{FEFF}" + Self.text
        let utf16LE: [UInt8] = [0xFF, 0xFE] + marked.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        let utf16BE: [UInt8] = [0xFE, 0xFF] + marked.utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
        let cases: [(String, [UInt8], TextEncoding?)] = [
            ("u16le.txt", utf16LE, nil), ("u16be.txt", utf16BE, nil), ("forced.txt", utf16LE, .utf16),
            ("u8.txt", [0xEF, 0xBB, 0xBF] + Array(marked.utf8), nil),
            ("three.txt", [0xEF, 0xBB, 0xBF, 0xEF, 0xBB, 0xBF] + Array(marked.utf8), nil),
            ("forced8.txt", [0xEF, 0xBB, 0xBF] + Array(marked.utf8), .utf8),
        ]
        for (name, bytes, encoding) in cases {
            let opened = try DocumentOpener.open(try scratch.write(bytes, to: name), encoding: encoding)
            #expect(opened.document.text == Self.text, "\(name)")
            #expect(opened.document.text(in: 35..<51) == "Second sentence.", "\(name)")
        }
        // a page and a post: the importers already dropped them
        let page = try scratch.write([0xEF, 0xBB, 0xBF, 0xEF, 0xBB, 0xBF] + Array("<p>Page</p>".utf8), to: "page.html")
        #expect(try DocumentOpener.open(page).document.text == "Page")
        // and a text given whole, or extracted, with its heading starts moved back
        #expect(Document(text: "\u{FEFF}\u{FEFF}a").text == "a")
        let extracted = ExtractedText(text: "\u{FEFF}\u{FEFF}Title\n\nBody.", headingStarts: [2], extractor: "x", extractorVersion: "1")
        let document = Document(extracted: extracted, path: "x")
        #expect(document.text == "Title\n\nBody." && document.paragraph(0)?.kind == .heading)
    }

    @Test("the marks dropped besides the byte-order mark itself are counted, for stores that counted them")
    func droppedMarksAreCounted() throws {
        let scratch = try Scratch()
        defer { scratch.cleanUp() }
        #expect(try Document(contentsOfFile: try scratch.write([0xEF, 0xBB, 0xBF] + Array("a".utf8), to: "one")).droppedMarks == 0)
        #expect(try Document(contentsOfFile: try scratch.write([0xEF, 0xBB, 0xBF, 0xEF, 0xBB, 0xBF] + Array("a".utf8), to: "two")).droppedMarks == 1)
        #expect(try Document(contentsOfFile: try scratch.write([0xFF, 0xFE, 0xFF, 0xFE, 0x61, 0x00], to: "wide")).droppedMarks == 1)
        #expect(Document(text: "\u{FEFF}a").droppedMarks == 0)
    }
}

@Suite struct SniffingTests {
    static let body = "<html><head><title>Talks resume</title><script>var tracker=\"SCRIPT CODE\";</script></head><body><p>Body text of the article.</p></body></html>"

    @Test("a page starts, after white space, BOMs, comments and an XML declaration, with one of WHATWG's HTML patterns")
    func htmlStarts() {
        let yes = [
            "<!-- saved from url=(0014)about:internet -->\n" + Self.body,
            "<!--saved from url=(0043)https://example.org/ -->",
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Strict//EN\" \"x.dtd\">\n<html>",
            "<?xml version=\"1.0\"?><html xmlns=\"http://www.w3.org/1999/xhtml\">",
            "\u{FEFF}\n<!-- a --> <!-- b -->\n<HEAD><title>x</title>",
            "<head>", "<body class=a>", "<title>T</title>", "<p>Text</p>", "<div id=x>", "<table>", "<h1>T</h1>",
            "<script>x</script>", "<style>p{}</style>", "<b>bold</b>", "<br>", "<a href=x>", "<font face=x>", "<iframe src=x>",
            "<html\nlang=en>", "<!DOCTYPE html>",
        ]
        for start in yes { #expect(FormatSniffing.looksLikeHTML(Array(start.utf8)), "\(start)") }
        let no = [
            "Text about <html> tags", "<pre>", "<htmlish>", "<!-- only a comment -->\nThen text.", "<!-- never closed <html>",
            "<?xml version=\"1.0\"?><svg>", "<!-- x -->\n# Markdown", "<paragraph>", "", "%PDF-1.4",
        ]
        for start in no { #expect(!FormatSniffing.looksLikeHTML(Array(start.utf8)), "\(start)") }
    }

    @Test("pages as browsers save them open as HTML without an .html name, also re-saved with a comment line")
    func savedPagesOpenAsHTML() throws {
        let scratch = try Scratch()
        defer { scratch.cleanUp() }
        let starts = ["", "<!-- saved from url=(0014)about:internet -->\n",
                      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Strict//EN\" \"x.dtd\">\n"]
        for (number, start) in starts.enumerated() {
            let opened = try DocumentOpener.open(try scratch.write(start + Self.body + "\n", to: "page\(number)"))
            #expect(opened.format == .html)
            #expect(opened.document.text == "Talks resume\n\nBody text of the article.")
        }
        let head = try scratch.write("<head><title>Only a head</title></head><p>And a paragraph.</p>", to: "fragment.txt")
        #expect(try DocumentOpener.open(head).document.text == "Only a head\n\nAnd a paragraph.")
    }

    @Test(.enabled(if: PDFImporterTests.hasPdftotext, "pdftotext is not installed; .ci/run installs poppler-utils"))
    func aPDFThatIsValidUTF8IsStillAPDF() throws {
        let scratch = try Scratch()
        defer { scratch.cleanUp() }
        // an uncompressed PDF of ASCII only: valid UTF-8, so only its start tells
        let content = "BT /F1 12 Tf 72 720 Td (Plain ASCII PDF.) Tj ET"
        var pdf = "%PDF-1.4\n"
        var offsets: [Int] = []
        for object in ["<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                       "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
                       "<< /Length \(content.utf8.count) >>\nstream\n\(content)\nendstream",
                       "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"] {
            offsets.append(pdf.utf8.count)
            pdf += "\(offsets.count) 0 obj\n\(object)\nendobj\n"
        }
        let table = pdf.utf8.count
        pdf += "xref\n0 6\n0000000000 65535 f \n" + offsets.map { String(format: "%010d 00000 n \n", $0) }.joined()
        pdf += "trailer\n<< /Size 6 /Root 1 0 R >>\nstartxref\n\(table)\n%%EOF\n"
        for name in ["ascii.txt", "ascii"] {
            let opened = try DocumentOpener.open(try scratch.write(pdf, to: name))
            #expect(opened.format == .pdf && opened.document.text == "Plain ASCII PDF.", "\(name)")
        }
        // and with an encoding forced, which a PDF ignores
        #expect(try DocumentOpener.open(try scratch.write(pdf, to: "forced.txt"), encoding: .latin1).format == .pdf)
    }
}

@Suite struct DeclaredEncodingTests {
    static let russian = "<html><head><meta charset=\"windows-1251\"><title>Новости</title></head><body><p>Президент подписал указ о сотрудничестве.</p></body></html>"

    @Test("the prescan finds <meta charset>, <meta http-equiv content> and an XML declaration, past comments and other tags")
    func prescan() {
        func declared(_ page: String) -> String? { PageEncoding.declaration(Array(page.utf8))?.label }
        #expect(declared("<meta charset=\"windows-1251\">") == "windows-1251")
        #expect(declared("<!DOCTYPE html><html><head><META CHARSET=koi8-r>") == "koi8-r")
        #expect(declared("<head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=Shift_JIS\">") == "shift_jis")
        #expect(declared("<meta content='text/html;charset=\"gb2312\"' http-equiv=content-type>") == "gb2312")
        // content without http-equiv is no declaration; a comment hides a meta
        #expect(declared("<meta content=\"text/html; charset=koi8-r\">") == nil)
        #expect(declared("<!-- <meta charset=koi8-r> --><p>x") == nil)
        #expect(declared("<p title=\"<meta charset=koi8-r>\">x") == nil)
        #expect(declared("<?xml version=\"1.0\" encoding=\"ISO-8859-2\"?><html>") == "ISO-8859-2")
        // only the first 1024 bytes
        #expect(declared(String(repeating: " ", count: 1100) + "<meta charset=koi8-r>") == nil)
        #expect(PageEncoding.declaration(Array("<meta charset=\"windows-1251\">".utf8))?.encoding == TextEncoding(name: "windows-1251"))
    }

    @Test("labels mean what the Encoding Standard says")
    func labels() {
        #expect(PageEncoding.encoding(forLabel: "latin1") == .windows1252)
        #expect(PageEncoding.encoding(forLabel: " US-ASCII ") == .windows1252)
        #expect(PageEncoding.encoding(forLabel: "utf-16") == .utf8)
        #expect(PageEncoding.encoding(forLabel: "shift_jis") == TextEncoding(name: "WINDOWS-31J"))
        #expect(PageEncoding.encoding(forLabel: "gb2312") == TextEncoding(name: "GB18030"))
        #expect(PageEncoding.encoding(forLabel: "x-cp1250") == TextEncoding(name: "cp1250"))
        #expect(PageEncoding.encoding(forLabel: "iso-2022-kr") == nil)
        #expect(PageEncoding.encoding(forLabel: "klingon") == nil)
    }

    @Test("a page in the encoding it declares opens in it, with or without an .html name")
    func declaredEncodingIsHonoured() throws {
        let scratch = try Scratch()
        defer { scratch.cleanUp() }
        let bytes = [UInt8](Self.russian.data(using: .windowsCP1251)!)
        for name in ["ru.html", "ru"] {
            let opened = try DocumentOpener.open(try scratch.write(bytes, to: name))
            #expect(opened.format == .html && opened.notices.isEmpty, "\(name): \(opened.notices)")
            #expect(opened.document.text == "Новости\n\nПрезидент подписал указ о сотрудничестве.", "\(name)")
        }
        // KOI8-R declared through http-equiv
        let koi = "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=koi8-r\"></head><body><p>Указ</p></body></html>"
        let koiBytes = try #require(IconvTestSupport.encode(koi, to: "KOI8-R"))
        #expect(try DocumentOpener.open(try scratch.write(koiBytes, to: "koi.htm")).document.text == "Указ")
        // XHTML in ISO-8859-2, by its XML declaration
        let xhtml = "<?xml version=\"1.0\" encoding=\"ISO-8859-2\"?>\n<html xmlns=\"http://www.w3.org/1999/xhtml\"><body><p>Łódź</p></body></html>"
        let xhtmlBytes = try #require(IconvTestSupport.encode(xhtml, to: "ISO-8859-2"))
        #expect(try DocumentOpener.open(try scratch.write(xhtmlBytes, to: "page.xhtml")).document.text == "Łódź")
        // valid UTF-8 is UTF-8 whatever the page says, and the reader is told
        let utf8 = try DocumentOpener.open(try scratch.write(Self.russian, to: "utf8.html"))
        #expect(utf8.document.text.hasPrefix("Новости"))
        #expect(utf8.notices == ["read as UTF-8 although its <meta charset> says windows-1251 (the file is valid UTF-8)"])
        // a page that declares UTF-8 and is not: Windows-1252, as before
        let wrong = try scratch.write(Array("<meta charset=utf-8><p>".utf8) + [0x93, 0x61, 0x94], to: "wrong.html")
        #expect(try DocumentOpener.open(wrong).notices == [DocumentOpener.windows1252Notice])
        // not in the declared encoding either: refused naming it
        let broken = try scratch.write(Array("<meta charset=shift_jis><p>".utf8) + [0x82, 0xFF, 0x82], to: "broken.html")
        #expect(throws: ImportError.notInDeclaredEncoding(path: broken, declared: "shift_jis", byteOffset: 27)) { try DocumentOpener.open(broken) }
        // --encoding still wins
        #expect(try DocumentOpener.open(try scratch.write(bytes, to: "forced.html"), encoding: .windows1252).document.text.hasPrefix("Íîâîñòè"))
    }

    @Test("--encoding takes any name iconv knows; unknown names are refused naming them")
    func iconvEncodings() throws {
        let japanese = "日本の首相が会議に出席した。\n"
        let sjis = [UInt8](japanese.data(using: .shiftJIS)!)
        let shiftJIS = try #require(TextEncoding(name: "Shift_JIS"))
        #expect(shiftJIS.rawValue == "shift_jis" && shiftJIS.label == "SHIFT_JIS")
        #expect(String(decoding: try TextDecoding.decode(sjis, forcing: shiftJIS, path: "ja").utf8, as: UTF8.self) == japanese)
        for (name, text) in [("windows-1251", "Указ"), ("KOI8-R", "Указ"), ("GB18030", "中文 𠀀"), ("EUC-KR", "한국어"), ("ISO-8859-2", "Łódź"),
                             ("ISO-2022-JP", "日本語")] {
            let encoding = try #require(TextEncoding(name: name), "\(name)")
            let bytes = try #require(IconvTestSupport.encode(text, to: name), "\(name)")
            #expect(String(decoding: try TextDecoding.decode(bytes, forcing: encoding, path: "x").utf8, as: UTF8.self) == text, "\(name)")
        }
        // strict: an invalid sequence or one cut at the end is refused at its first byte
        #expect(throws: ImportError.notInEncoding(path: "s", encoding: shiftJIS, byteOffset: 2)) {
            try TextDecoding.decode([0x41, 0x42, 0xFF, 0x43], forcing: shiftJIS, path: "s")
        }
        #expect(throws: ImportError.notInEncoding(path: "s", encoding: shiftJIS, byteOffset: 1)) {
            try TextDecoding.decode([0x41, 0x82], forcing: shiftJIS, path: "s")
        }
        // a NUL is binary, at its bytes in the file
        let utf32 = try #require(TextEncoding(name: "UTF-32LE"))
        #expect(throws: DocumentError.binary(path: "n", byteOffset: 4)) {
            try TextDecoding.decode([0x41, 0, 0, 0, 0, 0, 0, 0], forcing: utf32, path: "n")
        }
        #expect(TextEncoding(name: "klingon") == nil)
        #expect(TextEncoding(name: "UTF-8//IGNORE") == nil)
        #expect(ImportError.unknownEncoding(name: "klingon").description.hasPrefix("unknown encoding \"klingon\": give a name iconv knows (iconv -l lists them)"))
        // a file in neither UTF-8 nor Windows-1252 is told to name its encoding, with examples
        let message = ImportError.undecodable(path: "ja.txt", utf8Offset: 0, windows1252Offset: 18, byte: 0x8F).description
        #expect(message.contains("name its encoding with --encoding NAME, for example windows-1251, Shift_JIS, GB18030, EUC-KR, KOI8-R or ISO-8859-2"))
    }

    @Test func aTextInAnIconvEncodingOpensWithItsNameAsExtractor() throws {
        let scratch = try Scratch()
        defer { scratch.cleanUp() }
        let path = try scratch.write([UInt8]("日本の首相が会議に出席した。\n".data(using: .shiftJIS)!), to: "ja.txt")
        #expect(throws: ImportError.self) { try DocumentOpener.open(path) }
        let opened = try DocumentOpener.open(path, encoding: try #require(TextEncoding(name: "shift_jis")))
        #expect(opened.document.text == "日本の首相が会議に出席した。\n")
        #expect(opened.document.extraction?.extractor == "shift_jis")
    }
}

@Suite struct PDFErrorTests {
    @Test("a file named .pdf without a PDF header is refused as not a PDF, saying what it looks like")
    func notAPDF() throws {
        let scratch = try Scratch()
        defer { scratch.cleanUp() }
        let note = try scratch.write("This is a plain text note, saved with the wrong name.\n", to: "note.pdf")
        #expect(throws: ImportError.notPDF(path: note, looksLike: "a text file")) { try DocumentOpener.open(note) }
        #expect(ImportError.notPDF(path: "note.pdf", looksLike: "a text file").description
            == "note.pdf: not a PDF (it does not start with %PDF-); it looks like a text file: give it a .txt name to read it as one")
        let page = try scratch.write("<!DOCTYPE html><p>Error 404</p>", to: "page.pdf")
        #expect(throws: ImportError.notPDF(path: page, looksLike: "a web page")) { try DocumentOpener.open(page) }
        let binary = try scratch.write([0x00, 0x01, 0x02], to: "data.pdf")
        #expect(throws: ImportError.notPDF(path: binary, looksLike: nil)) { try DocumentOpener.open(binary) }
        #expect(ImportError.notPDF(path: "data.pdf", looksLike: nil).description == "data.pdf: not a PDF (it does not start with %PDF-)")
        // a header a little way in, as PDF readers accept it, is no error of Gloss's
        #expect(FormatSniffing.hasPDFHeader(Array("\r\n%PDF-1.4".utf8)))
    }

    @Test("pdftotext asking for a password is an encrypted PDF")
    func encrypted() throws {
        let scratch = try Scratch()
        defer { scratch.cleanUp() }
        let folder = try PDFImporterTests.fakePdftotext("echo 'Command Line Error: Incorrect password' >&2\nexit 1", in: scratch)
        #expect(throws: ImportError.encryptedPDF(path: "locked.pdf")) { try PDFImporter(searchPath: folder).extract([], path: "locked.pdf") }
        #expect(ImportError.encryptedPDF(path: "locked.pdf").description.hasPrefix("locked.pdf: the PDF is encrypted (needs a password)"))
    }
}

@Suite struct NotRegularFileTests {
    @Test("a FIFO, a socket or a device is refused at once, under any name, by the opener and by Document")
    func refusedAtOnce() throws {
        let scratch = try Scratch()
        defer { scratch.cleanUp() }
        for name in ["page.html", "notes.txt", "doc.pdf", "post.md", "bare"] {
            let path = scratch.url.appendingPathComponent(name).path
            #expect(mkfifo(path, 0o644) == 0)
            #expect(throws: DocumentError.notRegularFile(path: path, kind: "a FIFO or pipe")) { try DocumentOpener.open(path) }
            #expect(throws: DocumentError.notRegularFile(path: path, kind: "a FIFO or pipe")) {
                try DocumentOpener.open(path, encoding: .windows1252)
            }
            #expect(throws: DocumentError.notRegularFile(path: path, kind: "a FIFO or pipe")) { try Document(contentsOfFile: path) }
        }
        for device in ["/dev/null", "/dev/zero"] {
            #expect(throws: DocumentError.notRegularFile(path: device, kind: "a character device")) { try DocumentOpener.open(device) }
        }
        #expect(DocumentError.notRegularFile(path: "p", kind: "a FIFO or pipe").description.hasPrefix("p: not a regular file (a FIFO or pipe)"))
        // a link to a regular file is a regular file
        let file = try scratch.write("Text.\n", to: "real.txt")
        let link = scratch.url.appendingPathComponent("link.txt").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: file)
        #expect(try DocumentOpener.open(link).document.text == "Text.\n")
    }
}

/// Text in other encodings, made with `iconv` itself.
enum IconvTestSupport {
    static func encode(_ text: String, to encoding: String) -> [UInt8]? {
        let descriptor = iconv_open(encoding, "UTF-8")
        guard Int(bitPattern: descriptor) != -1 else { return nil }
        defer { iconv_close(descriptor) }
        var input = Array(text.utf8)
        var output = [UInt8](repeating: 0, count: input.count * 4 + 16)
        let count = output.count
        let written: Int? = input.withUnsafeMutableBytes { inputBuffer in
            output.withUnsafeMutableBytes { outputBuffer in
                var inputPointer = inputBuffer.baseAddress?.assumingMemoryBound(to: CChar.self)
                var outputPointer = outputBuffer.baseAddress?.assumingMemoryBound(to: CChar.self)
                var inputLeft = inputBuffer.count, outputLeft = count
                guard iconv(descriptor, &inputPointer, &inputLeft, &outputPointer, &outputLeft) != -1,
                      iconv(descriptor, nil, nil, &outputPointer, &outputLeft) != -1 else { return nil }
                return count - outputLeft
            }
        }
        return written.map { Array(output[..<$0]) }
    }
}
