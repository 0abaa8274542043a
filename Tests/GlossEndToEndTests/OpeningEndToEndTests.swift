import Foundation
import GlossTestSupport
import Testing

/// How the built `gloss` opens files it was not told the kind of: a second byte-order
/// mark, pages without an `.html` name, pages that declare their encoding, other
/// encodings by name, PDFs it cannot read, and FIFOs and devices.
@Suite(.serialized) struct OpeningEndToEndTests {
    static let environment = ["LANG": "C.UTF-8", "GLOSS_RESOURCES": Paths.package.appendingPathComponent("Resources").path]

    /// `gloss ARGUMENTS`, stopped after 10 s (a FIFO must never hold it up).
    static func gloss(_ arguments: [String]) throws -> ProcessResult {
        try run("/usr/bin/timeout", ["10", Paths.gloss.path] + arguments, environment: environment)
    }

    /// Tags the second paragraph of `file` in tmux (`j j a`, the first suggested value).
    static func tagSecondParagraph(_ file: URL, folder: TemporaryFolder, keys: [String] = ["j", "j"]) throws {
        let session = try TmuxSession(command: glossCommand([file.lastPathComponent]), width: 120, height: 30, folder: folder.url)
        try session.waitFor("? help")
        for key in keys { try session.send(key) }
        try session.send("a")
        try session.waitFor("Actor:")
        try session.send("Enter")
        try session.waitFor("Tagged Actor")
        try session.send("q")
        #expect(try session.waitForExit() == 0)
    }

    /// Validates the W3C export of `file` against `gloss text FILE`'s output, as README says.
    static func validate(_ file: URL, folder: TemporaryFolder) throws {
        let text = try gloss(["text", file.path])
        #expect(text.status == 0, "\(text.error)")
        let textPath = folder.url.appendingPathComponent("text.txt")
        try Data(text.output.utf8).write(to: textPath)
        let export = folder.url.appendingPathComponent("out.jsonld")
        let exported = try gloss(["export", file.path, "--format", "w3c", "-o", export.path])
        #expect(exported.status == 0, "\(exported.error)")
        let python = try #require(which("python3"), "python3 is needed for the W3C validator")
        let validation = try run(python, [Paths.w3cValidator.path, export.path, "--source", textPath.path])
        #expect(validation.status == 0, "validator: \(validation.output)\(validation.error)")
        #expect(validation.output.contains("0 failures"), "\(validation.output)")
    }

    @Test("a text whose byte-order mark is followed by another U+FEFF: gloss text prints neither, and the W3C export validates against it")
    func secondByteOrderMark() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let text = "\u{FEFF}Title line\r\n\r\nFirst sentence here. Second sentence.\r\n"
        let utf16 = folder.url.appendingPathComponent("u16.txt")
        try Data([0xFF, 0xFE] + text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }).write(to: utf16)
        let utf8 = folder.url.appendingPathComponent("u8.txt")
        try Data([0xEF, 0xBB, 0xBF] + Array(text.utf8)).write(to: utf8)
        for file in [utf16, utf8] {
            let printed = try Self.gloss(["text", file.path])
            #expect(printed.output == "Title line\r\n\r\nFirst sentence here. Second sentence.\r\n")
            try Self.tagSecondParagraph(file, folder: folder)
            let store = try String(contentsOf: URL(fileURLWithPath: file.path + ".gloss.json"), encoding: .utf8)
            #expect(store.contains("\"start\" : 35") && store.contains("\"end\" : 51"), "\(store)")
            try Self.validate(file, folder: folder)
        }
    }

    @Test("pages saved without an .html name are read as HTML: IE's saved-from comment, an XHTML declaration, a fragment at <head>")
    func pagesAreSniffed() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let body = "<html><head><title>Talks resume</title><script>var tracker=\"SCRIPT CODE\";</script></head><body><p>Body text of the article.</p></body></html>"
        let starts = [
            "<!-- saved from url=(0014)about:internet -->\n",
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Strict//EN\" \"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd\">\n",
            "\u{FEFF}  <!-- generator --><!-- another -->\n",
        ]
        for (number, start) in starts.enumerated() {
            let file = folder.url.appendingPathComponent("page\(number)")
            try Data((start + body + "\n").utf8).write(to: file)
            let printed = try Self.gloss(["text", file.path])
            #expect(printed.output == "Talks resume\n\nBody text of the article.", "\(start): \(printed.output)")
        }
        let fragment = folder.url.appendingPathComponent("fragment.txt")
        try Data("<head><title>Only a head</title></head><p>And a paragraph.</p>".utf8).write(to: fragment)
        #expect(try Self.gloss(["text", fragment.path]).output == "Only a head\n\nAnd a paragraph.")

        // tagged as a sniffed page, then saved again with IE's comment: still the same text
        let page = folder.url.appendingPathComponent("page")
        try Data((body + "\n").utf8).write(to: page)
        try Self.tagSecondParagraph(page, folder: folder, keys: ["j"])
        try Data(("<!-- saved from url=(0014)about:internet -->\n" + body + "\n").utf8).write(to: page)
        let csv = try Self.gloss(["export", page.path, "--format", "csv"])
        #expect(csv.status == 0 && !csv.error.contains("orphan"), "\(csv.error)")
        #expect(csv.output.contains(",14,39,Body text of the article.,"), "\(csv.output)")
    }

    @Test("a PDF named .txt or without an extension is read as a PDF, not shown raw")
    func pdfIsSniffed() throws {
        try #require(which("pdftotext") != nil, "pdftotext is not installed; .ci/run installs poppler-utils")
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let pdf = Paths.shared.appendingPathComponent("corpus/pdf/911-commission-preface.pdf")
        let expected = try Self.gloss(["text", pdf.path]).output
        #expect(expected.hasPrefix("PREFACE\n"))
        for name in ["preface.txt", "preface"] {
            let copy = try folder.copy(pdf, as: name)
            #expect(try Self.gloss(["text", copy.path]).output == expected)
        }
    }

    @Test("a page's <meta charset> is honoured; --encoding takes any name iconv knows and refuses others by name")
    func declaredAndNamedEncodings() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let page = "<html><head><meta charset=\"windows-1251\"><title>Новости</title></head><body><p>Президент подписал указ о сотрудничестве.</p></body></html>"
        let russian = folder.url.appendingPathComponent("ru.html")
        try Data(page.data(using: .windowsCP1251)!).write(to: russian)
        let ru = try Self.gloss(["text", russian.path])
        #expect(ru.status == 0 && ru.error.isEmpty, "\(ru.error)")
        #expect(ru.output == "Новости\n\nПрезидент подписал указ о сотрудничестве.")

        // Shift_JIS: refused with the advice to name it, then read when named
        let japanese = folder.url.appendingPathComponent("ja.txt")
        try Data("日本の首相が会議に出席した。\n".data(using: .shiftJIS)!).write(to: japanese)
        let refused = try Self.gloss(["text", japanese.path])
        #expect(refused.status != 0)
        #expect(refused.error.contains("--encoding NAME, for example windows-1251, Shift_JIS"), "\(refused.error)")
        let named = try Self.gloss(["text", "--encoding", "shift_jis", japanese.path])
        #expect(named.status == 0 && named.output == "日本の首相が会議に出席した。\n", "\(named.error)")
        let unknown = try Self.gloss(["text", "--encoding", "klingon", japanese.path])
        #expect(unknown.status != 0)
        #expect(unknown.error.contains("unknown encoding \"klingon\"") && unknown.error.contains("iconv -l"), "\(unknown.error)")
    }

    @Test("PDF errors say what is wrong: encrypted, not a PDF at all")
    func pdfErrors() throws {
        try #require(which("pdftotext") != nil, "pdftotext is not installed; .ci/run installs poppler-utils")
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let encrypted = folder.url.appendingPathComponent("encrypted.pdf")
        try EncryptedPDF.write(to: encrypted)
        let locked = try Self.gloss(["text", encrypted.path])
        #expect(locked.status != 0)
        #expect(locked.error.hasPrefix("gloss: \(encrypted.path): the PDF is encrypted (needs a password)"), "\(locked.error)")
        let note = folder.url.appendingPathComponent("note.pdf")
        try Data("This is a plain text note, saved with the wrong name.\n".utf8).write(to: note)
        let notPDF = try Self.gloss(["text", note.path])
        #expect(notPDF.error.hasPrefix("gloss: \(note.path): not a PDF (it does not start with %PDF-); it looks like a text file"), "\(notPDF.error)")
    }

    @Test("a FIFO, a socket or a device named as a document is refused at once, by every command and the reader")
    func notRegularFilesAreRefused() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        var named: [(String, String)] = []
        for name in ["page.html", "notes.txt", "doc.pdf", "post.md"] {
            let path = folder.url.appendingPathComponent(name).path
            #expect(mkfifo(path, 0o644) == 0)
            named.append((path, "a FIFO or pipe"))
        }
        let socketPath = folder.url.appendingPathComponent("socket.txt").path
        let socket = try UnixSocket(path: socketPath)
        defer { socket.close() }
        named.append((socketPath, "a socket"))
        let zero = folder.url.appendingPathComponent("zero.txt").path
        try FileManager.default.createSymbolicLink(atPath: zero, withDestinationPath: "/dev/zero")
        named.append((zero, "a character device"))
        for (path, kind) in named {
            let message = "gloss: \(path): not a regular file (\(kind))"
            for arguments in [["text", path], ["export", path, "--format", "csv"], ["grep", "x", path]] {
                let result = try Self.gloss(arguments)
                #expect(result.status != 124, "\(arguments) blocked")
                #expect(result.status != 0 && result.error.contains(message), "\(arguments): \(result.error)")
            }
            // stats skips a document without a store before reading it; it must not block either
            #expect(try Self.gloss(["stats", path]).status != 124)
        }
        // the reader says so before any screen, and the same for a corpus of files
        let reader = try Self.gloss([named[1].0])
        #expect(reader.status != 0 && reader.error.contains("not a regular file (a FIFO or pipe)"), "\(reader.error)")
    }
}

/// A listening Unix-domain socket bound to a path, for as long as the test needs it.
struct UnixSocket {
    let descriptor: Int32

    init(path: String) throws {
        descriptor = Glibc.socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in path.utf8.prefix(raw.count - 1).enumerated() { raw[index] = byte }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard bound == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EINVAL) }
    }

    func close() { _ = Glibc.close(descriptor) }
}

/// A one-page PDF encrypted with the standard security handler (RC4, 40 bits) and a user
/// password, which `pdftotext` cannot read without it.
enum EncryptedPDF {
    /// Writes it to `path` (with Python's hashlib, which has the MD5 the handler needs).
    static func write(to path: URL) throws {
        let python = try #require(which("python3"), "python3 is needed to make an encrypted PDF")
        let made = try run(python, ["-c", script.replacingOccurrences(of: "'encrypted.pdf'", with: "'\(path.path)'")])
        #expect(made.status == 0, "\(made.error)")
    }

    static let script = #"""
import hashlib, struct
PAD = bytes.fromhex('28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A')
def rc4(key, data):
    S=list(range(256)); j=0
    for i in range(256):
        j=(j+S[i]+key[i%len(key)])%256; S[i],S[j]=S[j],S[i]
    i=j=0; out=bytearray()
    for b in data:
        i=(i+1)%256; j=(j+S[i])%256; S[i],S[j]=S[j],S[i]; out.append(b^S[(S[i]+S[j])%256])
    return bytes(out)
def padpw(p): return (p+PAD)[:32]
user=b'secret'; owner=b'owner'
O = rc4(hashlib.md5(padpw(owner)).digest()[:5], padpw(user))
P = -44
ID = b'0123456789abcdef'
key = hashlib.md5(padpw(user)+O+struct.pack('<i',P)+ID).digest()[:5]
U = rc4(key, PAD)
def objkey(n): return hashlib.md5(key+struct.pack('<I',n)[:3]+b'\0\0').digest()[:10]
content = b'BT /F1 12 Tf 72 720 Td (Secret text in an encrypted PDF.) Tj ET'
objs = {}
objs[1] = b'<< /Type /Catalog /Pages 2 0 R >>'
objs[2] = b'<< /Type /Pages /Kids [3 0 R] /Count 1 >>'
objs[3] = b'<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>'
enc = rc4(objkey(4), content)
objs[4] = b'<< /Length %d >>\nstream\n' % len(enc) + enc + b'\nendstream'
objs[5] = b'<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>'
objs[6] = b'<< /Filter /Standard /V 1 /R 2 /O <' + O.hex().encode() + b'> /U <' + U.hex().encode() + b'> /P %d >>' % P
out = b'%PDF-1.4\n'; offs=[]
for n in range(1,7):
    offs.append(len(out)); out += b'%d 0 obj\n' % n + objs[n] + b'\nendobj\n'
x=len(out)
out += b'xref\n0 7\n0000000000 65535 f \n' + b''.join(b'%010d 00000 n \n'%o for o in offs)
out += b'trailer\n<< /Size 7 /Root 1 0 R /Encrypt 6 0 R /ID [<' + ID.hex().encode() + b'> <' + ID.hex().encode() + b'>] >>\nstartxref\n%d\n%%%%EOF\n' % x
open('encrypted.pdf','wb').write(out)
"""#
}
