import Foundation
import GlossTestSupport
import Testing

/// Saved web pages, Markdown posts, PDFs and Windows-1252 texts through the built `gloss`:
/// tagged in a real terminal (tmux), exported, checked by the W3C validator against
/// `gloss text`, reopened.
@Suite(.serialized) struct ImportEndToEndTests {
    static let webPage = Paths.shared.appendingPathComponent("corpus/web/wikimediafoundation.org.turkey.html")
    static let markdownPost = Paths.shared.appendingPathComponent("corpus/markdown/digitalgov-2015-11-02-modernizing-federal-cybersecurity.md")
    static let environment = ["LANG": "C.UTF-8", "GLOSS_RESOURCES": Paths.package.appendingPathComponent("Resources").path]

    struct Store: Decodable {
        struct Annotation: Decodable {
            struct Tag: Decodable { var category: String; var value: String }
            var start: Int
            var end: Int
            var quote: String
            var tags: [Tag]
        }
        var annotations: [Annotation]
    }

    /// `gloss text FILE`'s output, written to `FILE.extracted.txt` beside it.
    static func extractedText(of file: URL) throws -> (text: String, path: URL) {
        let result = try run(Paths.gloss.path, ["text", file.path], environment: environment)
        #expect(result.status == 0, "gloss text: \(result.error)")
        #expect(result.error.isEmpty, "gloss text wrote: \(result.error)")
        let path = file.deletingLastPathComponent().appendingPathComponent(file.lastPathComponent + ".extracted.txt")
        try Data(result.output.utf8).write(to: path)
        return (result.output, path)
    }

    /// Tags a span in `file` in tmux (the sentence after the first, less its last two
    /// words), exports W3C and validates it against `gloss text`, then reopens the file
    /// and finds the annotation in the pane with its quote.
    func tagExportAndReopen(_ source: URL, expectedQuote: String, listed: String) throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let file = try folder.copy(source)
        let (text, textPath) = try Self.extractedText(of: file)

        var session = try TmuxSession(command: glossCommand([file.lastPathComponent]), width: 120, height: 40, folder: folder.url)
        try session.waitFor("? help")
        try session.send("j", "v", "b", "b")
        try session.waitFor("SELECT")
        try session.send("a")
        try session.waitFor("Actor:")
        try session.send("Wikimedia Foundation", literal: true)
        try session.send("Enter")
        try session.waitFor("Tagged Actor: Wikimedia Foundation")
        try session.send("q")
        #expect(try session.waitForExit() == 0)

        let store = try JSONDecoder().decode(Store.self, from: Data(contentsOf: folder.url.appendingPathComponent(file.lastPathComponent + ".gloss.json")))
        try #require(store.annotations.count == 1)
        let annotation = store.annotations[0]
        #expect(annotation.quote == expectedQuote)
        // the offsets count code points of the extracted text, not of the file
        #expect(codePoints(text, annotation.start..<annotation.end) == annotation.quote)

        let export = folder.url.appendingPathComponent("export.jsonld")
        let exported = try run(Paths.gloss.path, ["export", file.path, "--format", "w3c", "-o", export.path], environment: Self.environment)
        #expect(exported.status == 0, "gloss export: \(exported.error)")
        let python = try #require(which("python3"), "python3 is needed for the W3C validator")
        let validation = try run(python, [Paths.w3cValidator.path, export.path, "--source", textPath.path])
        #expect(validation.status == 0, "validator: \(validation.output)\(validation.error)")
        #expect(validation.output.contains("1 annotations checked"))

        // reopened: the annotation is in place, listed with its quote, nothing re-anchored
        session = try TmuxSession(command: glossCommand([file.lastPathComponent]), width: 120, height: 40, folder: folder.url)
        let screen = try session.waitFor("Annotations (1)").joined(separator: "\n")
        #expect(screen.contains("Actor: Wikimedia Foundation"))
        #expect(screen.contains(listed), "\(screen)")
        #expect(!screen.contains("re-anchored") && !screen.contains("orphan"))
        try session.send("]")
        try session.waitFor("Actor: Wikimedia Foundation")
        try session.send("q")
        #expect(try session.waitForExit() == 0)
    }

    @Test func aSpanTaggedInTheNewsPageExportsValidW3CAndStaysInPlace() throws {
        try tagExportAndReopen(Self.webPage,
                               // the sentence splitter reads "restored.* This" as one sentence going on
                               expectedQuote: "Today, on Wikipedia’s 19th birthday, the Wikimedia Foundation has received reports that access to Wikipedia in Turkey is actively being restored.* This latest development follows a 26 December 2019 ruling by the Constitutional Court of Turkey that the more than two and a half year block imposed by the Turkish government was",
                               listed: "“Today, on Wikipedia’s 19th")
    }

    @Test func aSpanTaggedInTheMarkdownPostExportsValidW3CAndStaysInPlace() throws {
        try tagExportAndReopen(Self.markdownPost,
                               expectedQuote: "Strengthening the cybersecurity of Federal networks, systems, and data is one of the most important challenges we face as a",
                               listed: "“Strengthening the cybersecurit")
    }

    /// An HTML comment never closed hid the rest of a post; the paragraph after it is
    /// shown, tagged, exported and found in place again.
    @Test func aSpanTaggedAfterAnHTMLCommentNeverClosedInAMarkdownPostStaysInPlace() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let post = folder.url.appendingPathComponent("field-notes.md")
        try Data("""
        The ministry published its quarterly report on Friday.

        <!-- TODO: check the figures with the desk
        Officials confirmed the figures on Monday after a long review. The count is final.

        A third paragraph, about the *method*.

        """.utf8).write(to: post)
        try tagExportAndReopen(post, expectedQuote: "Officials confirmed the figures on Monday after a long",
                               listed: "“Officials confirmed the figure")
    }

    @Test func aWindows1252TextOpensWithItsQuotesAndTheNotice() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let file = folder.url.appendingPathComponent("legacy.txt")
        let bytes: [UInt8] = Array("Ministers said ".utf8) + [0x93] + Array("we will share watch lists".utf8) + [0x94] + Array(" on Monday.\n".utf8)
        try Data(bytes).write(to: file)

        let session = try TmuxSession(command: glossCommand([file.lastPathComponent]), width: 100, height: 30, folder: folder.url)
        let screen = try session.waitFor("read as Windows-1252")
        #expect(screen.contains { $0.contains("Ministers said “we will share watch lists” on Monday.") }, "\(screen.joined(separator: "\n"))")
        try session.send("q")
        #expect(try session.waitForExit() == 0)

        // gloss text gives the decoded text and says how it was read
        let text = try run(Paths.gloss.path, ["text", file.path], environment: Self.environment)
        #expect(text.status == 0)
        #expect(text.output == "Ministers said “we will share watch lists” on Monday.\n")
        #expect(text.error.contains("legacy.txt: read as Windows-1252 (the file is not valid UTF-8)"))
        // forcing Latin-1 gives the C1 controls those bytes are there
        let latin1 = try run(Paths.gloss.path, ["text", file.path, "--encoding", "latin1"], environment: Self.environment)
        #expect(latin1.output.unicodeScalars.contains("\u{93}") && latin1.error.isEmpty)
        // forcing UTF-8 is refused, naming the file and the byte
        let utf8 = try run(Paths.gloss.path, ["text", file.path, "--encoding", "utf-8"], environment: Self.environment)
        #expect(utf8.status == 1)
        #expect(utf8.error.contains("legacy.txt: not valid UTF-8 text (first bad byte at offset 15)"), "\(utf8.error)")
    }

    /// A text file's encoding is decided by its first megabyte, as the reader decides it: a
    /// Windows-1252 byte after a megabyte of UTF-8 is an error saying what to do.
    @Test func aLargeTextWhoseStartIsUTF8IsNotReadAsWindows1252ForALateByte() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        var bytes = Array(String(repeating: "A line of the article, long enough.\n", count: 45_000).utf8)
        let late = bytes.count - 100
        bytes[late] = 0x93
        let file = folder.url.appendingPathComponent("late.txt")
        try Data(bytes).write(to: file)
        let text = try run(Paths.gloss.path, ["text", file.path], environment: Self.environment)
        #expect(text.status == 1 && text.output.isEmpty)
        #expect(text.error == "gloss: \(file.path): not valid UTF-8 text at offset \(late), past the first megabyte, which is UTF-8 and decides how a text file is read; the whole file reads as Windows-1252: give --encoding windows-1252, or convert it, for example with iconv -f WINDOWS-1252 -t UTF-8\n")
        let forced = try run(Paths.gloss.path, ["text", file.path, "--encoding", "windows-1252"], environment: Self.environment)
        #expect(forced.status == 0 && forced.error.isEmpty)
        #expect(forced.output.unicodeScalars.count == bytes.count && forced.output.contains("\u{201C}"))
    }

    @Test func textExportAndGrepReadEveryFormatAndNameWhatFails() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let page = try folder.copy(Self.webPage)
        _ = try folder.copy(Self.markdownPost)
        try Data([0x41, 0x81, 0xFF, 0x0A]).write(to: folder.url.appendingPathComponent("broken.txt"))
        try Data("<html><body><nav>Only a menu</nav></body></html>".utf8).write(to: folder.url.appendingPathComponent("menu.html"))

        // grep searches the extracted text of each document and names those it cannot read
        let grep = try run(Paths.gloss.path, ["grep", "Constitutional Court", folder.url.path], environment: Self.environment)
        #expect(grep.status == 2)
        #expect(grep.output.contains("wikimediafoundation.org.turkey.html:2: "), "\(grep.output)")
        #expect(grep.error.contains("broken.txt: neither UTF-8 text (first bad byte at offset 1) nor Windows-1252 (byte 0x81 at offset 1 is undefined there)"))
        #expect(grep.error.contains("menu.html: no text to show in the HTML"))
        let markup = try run(Paths.gloss.path, ["grep", "legacy-img", folder.url.path], environment: Self.environment)
        #expect(markup.output.isEmpty)

        // text of a page given as a .txt (sniffed), and the errors of gloss text
        let renamed = folder.url.appendingPathComponent("saved-page.txt")
        try FileManager.default.copyItem(at: page, to: renamed)
        let sniffed = try run(Paths.gloss.path, ["text", renamed.path], environment: Self.environment)
        let direct = try run(Paths.gloss.path, ["text", page.path], environment: Self.environment)
        #expect(sniffed.status == 0 && sniffed.output == direct.output)
        let failed = try run(Paths.gloss.path, ["text", folder.url.appendingPathComponent("menu.html").path], environment: Self.environment)
        #expect(failed.status == 1)
        #expect(failed.error.hasPrefix("gloss: \(folder.url.path)/menu.html: no text to show in the HTML"))
    }

    @Test(.enabled(if: which("pdftotext") != nil, "pdftotext is not installed; .ci/run installs poppler-utils"))
    func aPDFIsReadThroughPdftotextAndWithoutItTheErrorSaysWhatToInstall() throws {
        let pdf = Paths.shared.appendingPathComponent("corpus/pdf/911-commission-preface.pdf")
        let text = try run(Paths.gloss.path, ["text", pdf.path], environment: Self.environment)
        #expect(text.status == 0)
        #expect(text.output.hasPrefix("PREFACE\nWe present the narrative of this report"))
        #expect(!text.output.contains("\u{0C}"))
        var withoutPath = Self.environment
        withoutPath["PATH"] = "/nonexistent"
        let missing = try run(Paths.gloss.path, ["text", pdf.path], environment: withoutPath)
        #expect(missing.status == 1)
        #expect(missing.error == "gloss: \(pdf.path): pdftotext is needed to read it and is not on the PATH; install it with apt-get install poppler-utils (or brew install poppler)\n")
    }
}
