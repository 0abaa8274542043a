import Foundation
import Testing
@testable import GlossCore
@testable import GlossUI

/// A folder of documents for corpus tests, removed by `cleanUp()`.
struct CorpusFolder {
    let parent: URL
    let url: URL

    /// A fresh folder called `name` (so screens that show its name are stable).
    init(name: String = "corpus") throws {
        parent = FileManager.default.temporaryDirectory.appendingPathComponent("gloss-corpus-\(UUID().uuidString)")
        url = parent.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func write(_ text: String, to relative: String) throws {
        let file = url.appendingPathComponent(relative)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: file)
    }

    func path(_ relative: String) -> String { url.appendingPathComponent(relative).path }

    func cleanUp() { try? FileManager.default.removeItem(at: parent) }

    /// A corpus session over the folder that opens documents as `gloss DIR` does, with
    /// `codebook` (the test codebook unless given) for every document.
    func corpus(width: Int = 120, height: Int = 40, codebook: Codebook = Fixture.codebook,
                storePath: @escaping @Sendable (String) -> String = AnnotationStore.defaultPath(forDocument:)) throws -> CorpusSession {
        try CorpusSession(documents: try DocumentList.listing(folder: url.path), codebook: codebook, width: width, height: height,
                          storePath: storePath) { path, width, height in
            var session = try Session(document: try Document(contentsOfFile: path), codebook: codebook,
                                      store: AnnotationStore(path: storePath(path)), width: width, height: height)
            session.state.now = { Fixture.clock }
            session.state.author = "tester"
            return session
        }
    }
}

private let first = """
Ministers meet in Valmora

Ministers from twelve states met in Valmora on Monday. They agreed to share watch lists of ISIL recruiters.

The UN office will coordinate. Critics warned about surveillance.
"""

private let second = """
Police raid in Ostrava

Police arrested four men in Ostrava. Prosecutors said the men financed ISIL.

Europol supported the investigation.
"""

extension CorpusSession {
    /// Presses `keys` in order; returns the effects.
    @discardableResult
    mutating func press(_ keys: Key...) -> [Effect] {
        keys.flatMap { handle(key: $0) }
    }

    mutating func type(_ text: String) {
        for character in text { _ = handle(key: .character(character)) }
    }
}

@Suite("Corpus: document list, statuses, switching documents")
struct CorpusTests {
    @Test("a folder lists its text files recursively in sorted order, skipping hidden folders and Gloss's own files")
    func listing() throws {
        let folder = try CorpusFolder()
        defer { folder.cleanUp() }
        for name in ["b.txt", "a.md", "sub/c.html", "sub/deeper/d.htm", "UPPER.TXT", ".hidden/x.txt", ".dot.txt", "notes.pdf",
                     "post.markdown", ".hidden.pdf", "data.csv", "notes.pdf.gloss.json",
                     "b.txt.gloss.json", "b.txt.gloss.json.bak", "b.txt.gloss.json.lock", "gloss.codebook.json", "gloss.corpus.json", "README"] {
            try folder.write("text\n", to: name)
        }
        let list = try DocumentList.listing(folder: folder.url.path)
        #expect(list.relativePaths == ["UPPER.TXT", "a.md", "b.txt", "notes.pdf", "post.markdown", "sub/c.html", "sub/deeper/d.htm"])
        #expect(list.path(5) == folder.path("sub/c.html"))
        #expect(throws: StoreError.self) { try DocumentList.listing(folder: folder.path("missing")) }
        let files = DocumentList.files([folder.path("sub/c.html"), folder.path("b.txt"), folder.path("b.txt")])
        #expect(files.root == folder.url.standardizedFileURL.path)
        #expect(files.relativePaths == ["sub/c.html", "b.txt"])
    }

    @Test("titles come from the first non-empty line of the first kilobytes, HTML's <title>, controls shown as pictures")
    func titles() throws {
        #expect(DocumentTitle.title(of: Data("\n\n  Hello\tworld  \nrest".utf8), html: false) == "Hello world")
        #expect(DocumentTitle.title(of: Data("Evil \u{1B}[31mred\u{202E}x".utf8), html: false) == "Evil ␛[31mred·x")
        #expect(DocumentTitle.title(of: Data("<html><head><title>The &amp; title</title></head>".utf8), html: true) == "The &amp; title")
        #expect(DocumentTitle.title(of: Data("<p>\n<b>Bold</b> start</p>".utf8), html: true) == "Bold")
        #expect(DocumentTitle.title(of: Data("   \n\n".utf8), html: false) == nil)
        // a character cut by the end of the head is dropped, not shown as U+FFFD
        #expect(DocumentTitle.title(of: Data("Zürich".utf8.dropLast(5)), html: false) == "Z")
        // Markdown: the front matter's title, else the first line after it without its #s
        #expect(DocumentTitle.title(of: Data("---\nslug: x\ntitle: 'Modernizing: a plan'\n---\n\nBody".utf8), html: false, markdown: true)
                == "Modernizing: a plan")
        #expect(DocumentTitle.title(of: Data("+++\ndate = 2015\n+++\n\n## Heading\ntext".utf8), html: false, markdown: true) == "Heading")
        #expect(DocumentTitle.title(of: Data("---\nunclosed".utf8), html: false, markdown: true) == "---")
    }

    @Test("a title is read as the text is: Windows-1252 when not UTF-8; a plain text with a NUL byte is refused from the start, as opening refuses it")
    func titlesReadAsTheTextIs() throws {
        // “quote” café in Windows-1252
        let windows1252: [UInt8] = Array("Windows ".utf8) + [0x93] + Array("quote".utf8) + [0x94, 0x20] + Array("caf".utf8) + [0xE9, 0x0A]
        #expect(DocumentTitle.title(of: Data(windows1252), html: false) == "Windows \u{201C}quote\u{201D} caf\u{E9}")
        // an undefined byte (0x81): not Windows-1252 either, shown as U+FFFD as before
        #expect(DocumentTitle.title(of: Data([0x41, 0x81, 0x42]), html: false) == "A\u{FFFD}B")
        let folder = try CorpusFolder()
        defer { folder.cleanUp() }
        try folder.write("Title line\nthen\u{0}a NUL", to: "binary.txt")
        let refusal = #expect(throws: FolderListingError.self) { try DocumentTitle.readOrFail(path: folder.path("binary.txt")) }
        #expect(refusal?.reason == "a binary file, not text (NUL byte at offset 15)")
        // a picture named as Markdown or a page: refused on opening too
        for name in ["picture.md", "picture.html"] {
            try Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00]).write(to: URL(fileURLWithPath: folder.path(name)))
            let refused = #expect(throws: FolderListingError.self) { try DocumentTitle.readOrFail(path: folder.path(name)) }
            #expect(refused?.reason == "a binary file, not text (NUL byte at offset 8)")
        }
        // UTF-16 holds NULs: its title as before
        try folder.write("", to: "utf16.txt")
        try Data([0xFF, 0xFE] + Array("Hi\n".utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }).write(to: URL(fileURLWithPath: folder.path("utf16.txt")))
        #expect(try DocumentTitle.readOrFail(path: folder.path("utf16.txt")) == "Hi")
        // neither UTF-8 nor Windows-1252 (0x81): a text or Markdown file is refused as
        // opening refuses it, at the same offsets; a page may declare its encoding
        for name in ["latin.txt", "latin.md", "latin.html"] {
            try Data([0xEF, 0xBB, 0xBF] + Array("Caf".utf8) + [0xE9, 0x20, 0x81, 0x0A]).write(to: URL(fileURLWithPath: folder.path(name)))
        }
        for name in ["latin.txt", "latin.md"] {
            let refused = #expect(throws: FolderListingError.self) { try DocumentTitle.readOrFail(path: folder.path(name)) }
            #expect(refused?.reason == "neither UTF-8 text (first bad byte at offset 6) nor Windows-1252 (byte 0x81 at offset 8 is undefined there)")
        }
        #expect(try DocumentTitle.readOrFail(path: folder.path("latin.html")) == "Caf\u{FFFD} \u{FFFD}")
        // bad UTF-16 after its mark, a NUL code unit: as opening says
        let utf16LE = { (text: String) in Array(text.utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] } }
        for (bytes, reason) in [([0xFF, 0xFE] + utf16LE("Title here\n") + [0x00, 0xD8] + utf16LE("x\n"),
                                 "not valid UTF-16 text although it starts with a UTF-16 byte-order mark (first bad byte at offset 24)"),
                                ([0xFF, 0xFE] + utf16LE("Title here\n") + [0x00, 0x00] + utf16LE("x\n"),
                                 "a binary file, not text (NUL byte at offset 24)")] as [([UInt8], String)] {
            try Data(bytes).write(to: URL(fileURLWithPath: folder.path("bad16.txt")))
            let refused = #expect(throws: FolderListingError.self) { try DocumentTitle.readOrFail(path: folder.path("bad16.txt")) }
            #expect(refused?.reason == reason)
        }
        // a high surrogate cut by the end of the head is no reason
        try Data([0xFF, 0xFE] + utf16LE(String(repeating: "A", count: DocumentTitle.headBytes / 2 - 2)) + utf16LE("😀"))
            .write(to: URL(fileURLWithPath: folder.path("bad16.txt")))
        #expect(try DocumentTitle.readOrFail(path: folder.path("bad16.txt"))?.hasPrefix("AAAA") == true)
        // a character cut by the end of the head is no reason
        try Data(Array(repeating: 0x41, count: DocumentTitle.headBytes - 1) + [0xE2, 0x80, 0x94]).write(to: URL(fileURLWithPath: folder.path("cut.txt")))
        #expect(try DocumentTitle.readOrFail(path: folder.path("cut.txt"))?.hasPrefix("AAAA") == true)
    }

    @Test("a PDF's title in the list is its file name, as its start is not text")
    func pdfTitle() throws {
        let folder = try CorpusFolder()
        defer { folder.cleanUp() }
        try folder.write("%PDF-1.5\n%\u{00E2}\u{00E3}\n1 0 obj", to: "9-11 preface.pdf")
        #expect(DocumentTitle.read(path: folder.path("9-11 preface.pdf")) == "9-11 preface")
    }

    @Test("the statuses file round-trips: sorted keys, unknown fields and statuses kept, other sessions' records merged")
    func statusesRoundTrip() throws {
        let folder = try CorpusFolder()
        defer { folder.cleanUp() }
        let path = folder.path(CorpusStatusFile.fileName)
        try folder.write("""
        {"format": "gloss-corpus", "version": 1, "team": {"lead": "ana"},
         "documents": {"a.txt": {"status": "done", "position": 12, "reviewer": "bo"},
                       "b.txt": {"status": "parked"}}}
        """, to: CorpusStatusFile.fileName)
        let read = try CorpusStatusFile.load(path: path)
        #expect(read.records["a.txt"]?.status == .done && read.records["a.txt"]?.position == 12)
        #expect(read.records["b.txt"]?.status == nil)
        try CorpusStatusFile.write(["c.txt": CorpusRecord(status: .inProgress, position: 3)], to: path)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text == """
        {
          "documents" : {
            "a.txt" : {
              "position" : 12,
              "reviewer" : "bo",
              "status" : "done"
            },
            "b.txt" : {
              "status" : "parked"
            },
            "c.txt" : {
              "position" : 3,
              "status" : "in progress"
            }
          },
          "format" : "gloss-corpus",
          "team" : {
            "lead" : "ana"
          },
          "version" : 1
        }

        """)
        #expect(try CorpusStatusFile.load(path: path) == (try CorpusStatusFile.decode(Data(text.utf8), path: path)))
        try folder.write(#"{"format": "other"}"#, to: CorpusStatusFile.fileName)
        #expect { try CorpusStatusFile.load(path: path) } throws: { "\($0)".contains(CorpusStatusFile.fileName) }
        // an empty file holds no records; writing fills it
        try folder.write("", to: CorpusStatusFile.fileName)
        #expect(try CorpusStatusFile.load(path: path).records.isEmpty)
        try CorpusStatusFile.write(["a.txt": CorpusRecord(status: .done)], to: path)
        #expect(try CorpusStatusFile.load(path: path).records["a.txt"]?.status == .done)
        #expect(DocumentStatus.todo.next == .inProgress && DocumentStatus.inProgress.next == .done && DocumentStatus.done.next == .todo)
    }

    @Test("a corpus file nested deeper than JSON readers go is named as nested too deeply, with the limit, not as no JSON object")
    func deeplyNestedStatusFile() throws {
        let folder = try CorpusFolder()
        defer { folder.cleanUp() }
        let path = folder.path(CorpusStatusFile.fileName)
        let deep = String(repeating: "[", count: 600) + String(repeating: "]", count: 600)
        try folder.write(#"{"format": "gloss-corpus", "version": 1, "documents": {}, "x": "# + deep + "}", to: CorpusStatusFile.fileName)
        #expect { try CorpusStatusFile.load(path: path) } throws: {
            let text = "\($0)"
            return text.contains(path) && text.contains("nested too deeply") && text.contains("512") && !text.contains("not a JSON object")
        }
    }

    @Test("a position written here keeps the status another session wrote for the same document meanwhile")
    func positionKeepsOtherSessionsStatus() throws {
        let folder = try CorpusFolder()
        defer { folder.cleanUp() }
        let path = folder.path(CorpusStatusFile.fileName)
        try folder.write(#"{"format": "gloss-corpus", "version": 1, "documents": {"a.txt": {"status": "done", "reviewer": "bo"}}}"#,
                         to: CorpusStatusFile.fileName)
        try CorpusStatusFile.write(["a.txt": CorpusRecord(position: 40)], to: path)
        let read = try CorpusStatusFile.load(path: path)
        #expect(read.records["a.txt"]?.status == .done && read.records["a.txt"]?.position == 40)
        #expect(read.records["a.txt"]?.otherFields["reviewer"] == .string("bo"))
        // a status set here replaces a status this Gloss does not know
        try folder.write(#"{"format": "gloss-corpus", "version": 1, "documents": {"a.txt": {"status": "parked"}}}"#,
                         to: CorpusStatusFile.fileName)
        try CorpusStatusFile.write(["a.txt": CorpusRecord(status: .inProgress)], to: path)
        let again = try CorpusStatusFile.load(path: path)
        #expect(again.records["a.txt"]?.status == .inProgress && again.records["a.txt"]?.otherFields["status"] == nil)
    }

    @Test("a count before j, k, Ctrl-F or Ctrl-B moves that many rows or pages, shows while typed, and stops at the ends")
    func countedListMotions() throws {
        let folder = try CorpusFolder()
        defer { folder.cleanUp() }
        for index in 0..<30 { try folder.write("Document \(index).\n", to: String(format: "d%02d.txt", index)) }
        var corpus = try folder.corpus(width: 120, height: 12)
        corpus.type("1")
        corpus.type("2")
        #expect(corpus.pendingCount == 12)
        #expect(Renderer.render(corpus).lines.last?.contains("12  ? help") == true)
        corpus.type("j")
        #expect(corpus.cursor == 12 && corpus.pendingCount == nil)
        corpus.type("5k")
        #expect(corpus.cursor == 7)
        corpus.type("99j")
        #expect(corpus.cursor == 29)
        corpus.type("0")
        // a 0 alone is no count
        #expect(corpus.pendingCount == nil)
        corpus.type("2")
        corpus.press(.control("b"))
        #expect(corpus.cursor == max(0, 29 - 2 * max(1, corpus.listRows)))
        // the highlighted row shows
        #expect(corpus.listTop <= corpus.cursor && corpus.cursor < corpus.listTop + corpus.listRows)
        corpus.type("3")
        corpus.press(.escape)
        corpus.type("j")
        #expect(corpus.cursor == max(0, 29 - 2 * max(1, corpus.listRows)) + 1)
    }

    @Test("J saves the document left, releases its store and opens the next where it was left; K returns to the remembered sentence; a later run too")
    func switching() throws {
        let folder = try CorpusFolder()
        defer { folder.cleanUp() }
        try folder.write(first, to: "a.txt")
        try folder.write(second, to: "b.txt")
        var corpus = try folder.corpus()
        #expect(corpus.view == .documents && corpus.session == nil)
        corpus.press(.enter)
        #expect(corpus.view == .reader && corpus.openIndex == 0)
        corpus.press(.character("j"), .character("j"))
        let position = try #require(corpus.session?.state.focusOffset)
        corpus.press(.character("a"))
        corpus.type("Valmora ministers")
        corpus.press(.enter)
        #expect(corpus.session?.state.annotations.count == 1)
        corpus.press(.character("J"))
        #expect(corpus.openIndex == 1)
        // saved as quitting saves, and the lock let go
        let saved = try AnnotationStore(path: folder.path("a.txt.gloss.json")).load()
        #expect(saved?.annotations.map(\.tags) == [[Tag(category: "actor", value: "Valmora ministers")]])
        if case .acquired(let lock) = StoreLock.acquire(forStore: folder.path("a.txt.gloss.json")) { lock.release() } else {
            Issue.record("the store of the document left is still locked")
        }
        // the value typed in the first completes in the second
        corpus.press(.character("a"))
        corpus.type("Valm")
        #expect(corpus.session?.state.prompt?.matches == ["Valmora ministers"])
        corpus.press(.enter)
        #expect(corpus.session?.state.annotations.first?.tags.first?.value == "Valmora ministers")
        corpus.press(.character("K"))
        #expect(corpus.openIndex == 0 && corpus.session?.state.focusOffset == position)
        // counts come from the sessions left, without reading texts again
        #expect(corpus.summaries[1] == .counted(annotations: 1, tags: ["actor": 1]))
        corpus.press(.character("D"), .character("s"), .character("s"))
        #expect(corpus.status(0) == .done)
        corpus.session?.flush()
        #expect(corpus.finish() == nil)
        corpus.session?.release()

        var again = try folder.corpus()
        #expect(again.status(0) == .done && again.record(0).position == position)
        again.press(.enter)
        #expect(again.session?.state.focusOffset == position)
        again.session?.release()
    }

    @Test("a document that cannot be opened is marked in the list and named in the status line; the list stays")
    func unopenable() throws {
        let folder = try CorpusFolder()
        defer { folder.cleanUp() }
        try Data([0x41, 0xFF, 0xFE, 0x42]).write(to: folder.url.appendingPathComponent("bad.txt"))
        try folder.write(second, to: "good.txt")
        var corpus = try folder.corpus()
        corpus.press(.enter)
        #expect(corpus.view == .documents && corpus.session == nil)
        #expect(corpus.failures[0] != nil)
        #expect(corpus.message?.contains("bad.txt") == true && corpus.messageIsError)
        corpus.press(.character("j"), .enter)
        #expect(corpus.view == .reader && corpus.openIndex == 1)
        // K has nothing to open before it: the document open stays, and says so
        corpus.press(.character("K"))
        #expect(corpus.view == .reader && corpus.openIndex == 1 && corpus.failures[0] != nil)
        #expect(corpus.session?.state.message == "Passed over 1 document(s) that cannot be opened: bad.txt")
        corpus.session?.release()
    }

    @Test("the corpus-wide list shows the open document's annotations as they are now, before any switch")
    func corpusListSeesOpenDocument() throws {
        let folder = try CorpusFolder()
        defer { folder.cleanUp() }
        try folder.write(first, to: "a.txt")
        try folder.write(second, to: "b.txt")
        var corpus = try folder.corpus()
        corpus.startBackgroundWork()
        _ = corpus.waitForScan()
        corpus.press(.enter, .character("j"), .character("a"))
        corpus.type("ISIL")
        corpus.press(.enter, .character("D"), .character("A"))
        #expect(corpus.view == .annotations)
        #expect(corpus.listedAnnotations.map(\.annotation.tags) == [[GlossCore.Tag(category: "actor", value: "ISIL")]])
        corpus.session?.flush()
        corpus.session?.release()
    }

    @Test("with a coder's stores, the list's counts and the corpus-wide list read that coder's stores, not the shared ones")
    func coderStoresInCorpus() throws {
        let folder = try CorpusFolder()
        defer { folder.cleanUp() }
        try folder.write(first, to: "a.txt")
        let coderStore: @Sendable (String) -> String = { (try? CoderName.storePath(forDocument: $0, coder: "ana")) ?? $0 + ".gloss.ana.json" }
        // the shared store says one thing, ana's another
        var shared = try folder.corpus()
        shared.press(.enter, .character("j"), .character("a"))
        shared.type("Shared Value")
        shared.press(.enter)
        shared.session?.flush()
        shared.session?.release()
        var ana = try folder.corpus(storePath: coderStore)
        ana.press(.enter, .character("j"), .character("a"))
        ana.type("Ana Only Value")
        ana.press(.enter)
        ana.session?.flush()
        ana.session?.release()
        ana.session = nil
        var fresh = try folder.corpus(storePath: coderStore)
        fresh.startBackgroundWork()
        let scanned = fresh.waitForScan()
        #expect(scanned)
        fresh.press(.character("A"))
        #expect(fresh.listedAnnotations.flatMap(\.annotation.tags).map(\.value) == ["Ana Only Value"])
    }

    @Test("J passes over a document that cannot be opened, names it, and reads on; J works from the list too")
    func jumpOverUnopenable() throws {
        let folder = try CorpusFolder()
        defer { folder.cleanUp() }
        try folder.write(first, to: "1.txt")
        try Data([0x41, 0xFF, 0xFE, 0x42]).write(to: folder.url.appendingPathComponent("2.txt"))
        try folder.write(second, to: "3.txt")
        var corpus = try folder.corpus()
        corpus.press(.enter, .character("J"))
        #expect(corpus.view == .reader && corpus.openIndex == 2)
        #expect(corpus.session?.state.message?.contains("Passed over 1 document(s) that cannot be opened: 2.txt") == true,
                "\(corpus.session?.state.message ?? "")")
        corpus.session?.release()
        // with nothing open (2.txt failed from the list), J reads on from the list's row
        var fresh = try folder.corpus()
        fresh.press(.character("j"), .enter)
        #expect(fresh.view == .documents && fresh.session == nil)
        fresh.press(.character("J"))
        #expect(fresh.view == .reader && fresh.openIndex == 2)
        fresh.session?.release()
    }

    @Test("the list counts tags from the stores alone; the corpus-wide list filters and opens a document at its annotation")
    func corpusAnnotations() throws {
        let folder = try CorpusFolder()
        defer { folder.cleanUp() }
        try folder.write(first, to: "a.txt")
        try folder.write(second, to: "b.txt")
        var corpus = try folder.corpus()
        corpus.press(.enter, .character("j"), .character("a"))
        corpus.type("ISIL")
        corpus.press(.enter, .character("J"), .character("j"), .character("j"), .character("t"))
        corpus.type("terrorist financing")
        corpus.press(.enter, .character("D"))
        corpus.session?.flush()
        corpus.session?.release()
        corpus.session = nil

        var fresh = try folder.corpus()
        fresh.startBackgroundWork()
        let scanned = fresh.waitForScan()
        #expect(scanned)
        #expect(fresh.summaries == [.counted(annotations: 1, tags: ["actor": 1]), .counted(annotations: 1, tags: ["threat": 1])])
        #expect(fresh.corpusValues == ["actor": ["ISIL"], "threat": ["terrorist financing"]])
        fresh.press(.character("A"))
        let all = fresh.listedAnnotations.count
        #expect(fresh.view == .annotations && all == 2)
        fresh.press(.character("f"))
        fresh.type("threat")
        fresh.press(.enter)
        let threats = fresh.listedAnnotations.map(\.document)
        #expect(threats == [1])
        let screen = Renderer.render(fresh).lines
        #expect(screen.contains { $0.contains("b.txt") && $0.contains("Threat: terrorist financing") })
        fresh.press(.enter)
        #expect(fresh.view == .reader && fresh.openIndex == 1)
        #expect(fresh.session?.state.currentAnnotationID == fresh.session?.state.annotations.first?.id)
        fresh.session?.release()
    }

    @Test("the document list at 120x40")
    func documentListGolden() throws {
        let folder = try CorpusFolder(name: "news")
        defer { folder.cleanUp() }
        let news = Fixture.corpus.appendingPathComponent("news")
        for name in try FileManager.default.contentsOfDirectory(atPath: news.path) where !name.hasPrefix(".") {
            try FileManager.default.copyItem(at: news.appendingPathComponent(name), to: folder.url.appendingPathComponent(name))
        }
        try folder.write("Evil \u{1B}]0;title\u{07} name\n", to: "zz-escape.txt")
        var corpus = try folder.corpus()
        corpus.press(.character("j"), .enter, .character("a"))
        corpus.type("Indonesian navy")
        corpus.press(.enter, .character("D"), .character("s"), .character("j"), .character("s"), .character("s"))
        corpus.startBackgroundWork()
        let scanned = corpus.waitForScan()
        #expect(scanned)
        let buffer = Renderer.render(corpus)
        #expect(buffer.lines.allSatisfy { DisplayWidth.columns(of: $0) == 120 })
        #expect(!buffer.lines.joined().unicodeScalars.contains { ControlPictures.isControl($0) })
        Golden.check(buffer, named: "documents-120x40")
        corpus.session?.release()
    }

    @Test("the corpus's keys have names, bindings and help rows, shown by the help at 120x40; a codebook key J is refused")
    func corpusKeys() throws {
        let keymap = Keymap(codebook: Fixture.codebook, corpus: true)
        for command in Action.corpusCommands {
            #expect(Action(name: command.name, codebook: Fixture.codebook) == command)
            #expect(keymap.bindings.contains { $0.action == command && !$0.description.isEmpty }, "\(command.name) has no key")
        }
        #expect(!Keymap(codebook: Fixture.codebook).bindings.contains { Action.corpusCommands.contains($0.action) })
        var state = try Fixture.seedState(width: 120, height: 40)
        state.joinCorpus()
        state.press(.character("?"))
        let pages = state.helpPages()
        for row in state.keymap.helpRows {
            #expect(pages.contains(row.description), "help lacks \(row.description)")
        }
        for key in ["J", "K", "D"] {
            var codebook = Fixture.codebook
            codebook.categories[0].key = key
            #expect(Keymap.conflicts(in: codebook).count == 1, "key \(key) is not refused")
        }
        // a single document says it has no corpus
        var single = try Fixture.seedState()
        #expect(single.press(.character("J")).isEmpty)
        #expect(single.update(.nextDocument).isEmpty)
        #expect(single.message?.contains("Not a corpus") == true)
    }
}

/// The lists' columns at any width: the least useful go first, none drawn over another.
@Suite("Corpus: the lists' columns by width")
struct CorpusListColumnTests {
    /// Two documents with a long title and a deeper path: an annotation with a tag of
    /// every category, and one with an actor and a threat.
    static func makeCorpus() throws -> CorpusFolder {
        let folder = try CorpusFolder()
        try folder.write("Over 900 asylum seekers rescued off the Indonesian coast\n\nBody. More body.\n", to: "a.txt")
        try folder.write("Second title\n\nBody. More body.\n", to: "deep/zh.txt")
        for (index, name) in ["a.txt", "deep/zh.txt"].enumerated() {
            var session = try Session(document: try Document(contentsOfFile: folder.path(name)), codebook: Fixture.codebook,
                                      store: AnnotationStore(path: folder.path(name + ".gloss.json")))
            session.state.focusSentence(startingWith: "Body.")
            for (key, value) in [("a", "ISIL"), ("t", "terrorism"), ("c", "data sharing")].prefix(3 - index) {
                session.state.press(.character(Character(key)))
                session.state.type(value)
                session.state.press(.enter)
            }
            session.flush()
            session.release()
        }
        return folder
    }

    /// The words of `line` with the column each starts at (words are split at spaces).
    static func words(_ line: String) -> [(word: String, column: Int)] {
        var found: [(String, Int)] = []
        var current = "", start = 0
        for (column, character) in Array(line).enumerated() {
            if character == " " {
                if !current.isEmpty { found.append((current, start)) }
                current = ""
            } else {
                if current.isEmpty { start = column }
                current.append(character)
            }
        }
        if !current.isEmpty { found.append((current, start)) }
        return found
    }

    @Test("the document list at 30, 50, 64 and 80 columns: category counts go first, then the file column; nothing overlaps", arguments: [
        (30, ["status", "annot.", "title"]),
        (50, ["status", "annot.", "title", "file"]),
        (64, ["status", "annot.", "Actor", "title", "file"]),
        (80, ["status", "annot.", "Actor", "Threat", "Cooper…", "title", "file"]),
    ])
    func documentList(width: Int, header: [String]) throws {
        let folder = try Self.makeCorpus()
        defer { folder.cleanUp() }
        var corpus = try folder.corpus(width: width, height: 8)
        corpus.startBackgroundWork()
        let scanned = corpus.waitForScan()
        #expect(scanned)
        let lines = Renderer.render(corpus).lines
        #expect(lines.allSatisfy { DisplayWidth.columns(of: $0) == width })
        let labels = Self.words(lines[1])
        #expect(labels.map(\.word) == header, "\(lines[1])")
        let column = Dictionary(labels.map { ($0.word, $0.column) }, uniquingKeysWith: { first, _ in first })
        let titleColumn = try #require(column["title"])
        for (row, (title, path)) in [(2, ("Over 900 asylum", "a.txt")), (3, ("Second title", "deep/zh.txt"))] {
            let cells = Array(lines[row])
            let shownTitle = String(cells[titleColumn...])
            #expect(shownTitle.hasPrefix(String(title.prefix(width - titleColumn - 1))), "\(lines[row])")
            #expect(cells[titleColumn - 1] == " ", "the title starts after a blank: \(lines[row])")
            if let fileColumn = column["file"] {
                #expect(String(cells[fileColumn...]).trimmingCharacters(in: .whitespaces) == path, "\(lines[row])")
                #expect(cells[fileColumn - 1] == " ", "the file starts after a blank: \(lines[row])")
            } else {
                #expect(!lines[row].contains(path), "no file column at \(width): \(lines[row])")
            }
            // each category's count ends under its label's last character
            for label in ["Actor", "Threat", "Cooper…"] {
                guard let start = column[label] else { continue }
                #expect(cells[start + label.count - 1].isNumber, "\(label) at \(width): \(lines[row])")
            }
        }
        // without the file column, the status line names the highlighted document's file
        #expect(lines.last?.hasPrefix(" a.txt ·") == (column["file"] == nil), "\(lines.last ?? "")")
    }

    @Test("the corpus-wide list at 30, 50, 64 and 80 columns: the file column goes first; tags and quote never overlap", arguments: [30, 50, 64, 80])
    func annotationList(width: Int) throws {
        let folder = try Self.makeCorpus()
        defer { folder.cleanUp() }
        var corpus = try folder.corpus(width: width, height: 10)
        corpus.startBackgroundWork()
        let scanned = corpus.waitForScan()
        #expect(scanned)
        corpus.press(.character("A"))
        let lines = Renderer.render(corpus).lines
        #expect(lines.allSatisfy { DisplayWidth.columns(of: $0) == width })
        let labels = Self.words(lines[1])
        let hasFile = width >= 40
        #expect(labels.map(\.word) == (hasFile ? ["file", "tags"] : ["tags"]), "\(lines[1])")
        let tagsColumn = try #require(labels.last?.column)
        // one annotation each, with three tags and two
        let rows = lines[2..<4]
        #expect(corpus.listedAnnotations.count == 2)
        for line in rows {
            let cells = Array(line)
            #expect(hasFile == (line.contains("a.txt") || line.contains("zh.txt")), "\(line)")
            // a tag starts at the tags column, after a blank
            #expect(cells[tagsColumn - 1] == " " && cells[tagsColumn].isLetter, "\(line)")
            // the quote comes after the tags with a blank between them
            let quote = try #require(line.firstIndex(of: "“"), "no quote at \(width): \(line)")
            let quoteColumn = line.distance(from: line.startIndex, to: quote)
            #expect(quoteColumn > tagsColumn + 1 && cells[quoteColumn - 1] == " ", "\(line)")
            #expect(String(cells[quoteColumn...]).hasPrefix("“Body"), "\(line)")
        }
        #expect(lines.last?.hasPrefix(" a.txt ·") == !hasFile, "\(lines.last ?? "")")
    }
}

/// What the reader's document list cannot list is named, never silently left out.
@Suite("Corpus: what the list cannot list")
struct CorpusNotListedTests {
    @Test("a document and a folder whose names are not UTF-8 are named in the heading and the status line, bytes as \\xNN")
    func namesThatAreNotUTF8() throws {
        let folder = try CorpusFolder()
        defer { folder.cleanUp() }
        try folder.write(first, to: "ok.txt")
        for (name, isFolder) in [(Array("caf".utf8) + [0xE9] + Array(".txt".utf8), false), (Array("sub".utf8) + [0xE9], true)] {
            let path = Array(folder.url.path.utf8) + [UInt8(ascii: "/")] + name + [0]
            let made = path.withUnsafeBufferPointer { buffer in
                buffer.withMemoryRebound(to: CChar.self) { isFolder ? mkdir($0.baseAddress!, 0o755) : close(open($0.baseAddress!, O_CREAT | O_WRONLY, 0o644)) }
            }
            #expect(made == 0)
        }
        let list = try DocumentList.listing(folder: folder.url.path)
        #expect(list.relativePaths == ["ok.txt"])
        #expect(list.notListed.map(\.path) == ["caf\\xE9.txt", "sub\\xE9/"])
        let corpus = try folder.corpus(width: 120, height: 10)
        let screen = Renderer.render(corpus).lines
        #expect(screen[0].contains("✗ not listed: caf\\xE9.txt, sub\\xE9/"), "\(screen[0])")
        #expect(corpus.messageIsError)
        #expect(corpus.message == "Not listed: caf\\xE9.txt (name not valid UTF-8: rename it to open it); sub\\xE9/ (name not valid UTF-8: rename it to list it)")

        // the summary pane names them too, as gloss stats does
        var reading = corpus
        reading.press(.enter, .character("S"))
        let counted = reading.waitForSummary()
        #expect(counted)
        #expect(reading.session?.state.summary?.counts?.failures.prefix(2) == ["caf\\xE9.txt: name not valid UTF-8: rename it to open it",
                                                                              "sub\\xE9/: name not valid UTF-8: rename it to list it"])
        reading.session?.release()
    }

    @Test("a document that cannot be read is ✗ cannot open with the reason in the status line when highlighted; an empty one is (no text)")
    func unreadableDocument() throws {
        let folder = try CorpusFolder()
        defer { folder.cleanUp() }
        try folder.write(first, to: "a.txt")
        try folder.write("", to: "empty.txt")
        try folder.write("x\n", to: "folder/x.md")
        // a link to a folder: opened, it cannot be read (root reads any file, so no permission test here)
        try FileManager.default.createSymbolicLink(atPath: folder.path("link.txt"), withDestinationPath: folder.path("folder"))
        var corpus = try folder.corpus(width: 100, height: 10)
        #expect(corpus.documents.relativePaths == ["a.txt", "empty.txt", "folder/x.md", "link.txt"])
        var screen = Renderer.render(corpus).lines
        #expect(screen[3].contains("(no text)") && screen[3].contains("empty.txt"))
        #expect(screen[5].contains("✗ cannot open: Is a directory"), "\(screen[5])")
        corpus.press(.character("G"))
        screen = Renderer.render(corpus).lines
        #expect(screen.last?.contains("link.txt: cannot open: Is a directory") == true, "\(screen.last ?? "")")
    }
}

/// The document list and the corpus-wide list count what the reader and gloss stats count.
@Suite("Corpus: the lists' counts")
struct CorpusListCountTests {
    /// Three documents whose stores hold a repeated id, an offset written as a string, and
    /// a version from a newer Gloss, each with an actor and a threat annotation.
    static func makeCorpus() throws -> CorpusFolder {
        let folder = try CorpusFolder()
        for name in ["dup", "types", "newver"] {
            let text = "Title \(name)\n\nAlpha beta gamma. Delta epsilon.\n"
            try folder.write(text, to: name + ".txt")
            let document = try Document(contentsOfFile: folder.path(name + ".txt"))
            func record(_ id: String, _ quote: String, _ category: String, _ value: String, startAsString: Bool = false) -> String {
                let start = text.unicodeScalars.distance(from: text.unicodeScalars.startIndex, to: text.range(of: quote)!.lowerBound)
                return """
                {"author":"x","created":"c","end":\(start + quote.count),"id":"\(id)","modified":"m","note":"","prefix":"",\
                "quote":"\(quote)","start":\(startAsString ? "\"\(start)\"" : "\(start)"),"suffix":"","tags":[{"category":"\(category)","value":"\(value)"}]}
                """
            }
            let second = record(name == "dup" ? "A1" : "A2", "beta", "threat", "T", startAsString: name == "types")
            let store = """
            {"annotations":[\(record("A1", "Alpha", "actor", "A")),\(second)],
            "document":{"length":\(document.length),"path":"\(name).txt","sha256":"\(document.sha256)"},
            "format":"gloss-annotations","memo":"","orphans":[],"relations":[],"version":\(name == "newver" ? "10000000000000000000000" : "3")}
            """
            try folder.write(store, to: name + ".txt.gloss.json")
        }
        return folder
    }

    @Test("a repeated id, a string offset and a newer store's version: the lists count what gloss stats counts and name the store they cannot read")
    func invalidRecordsAreNotCounted() throws {
        let folder = try Self.makeCorpus()
        defer { folder.cleanUp() }
        var corpus = try folder.corpus(width: 120, height: 12)
        corpus.startBackgroundWork()
        let scanned = corpus.waitForScan()
        #expect(scanned)
        #expect(corpus.documents.relativePaths == ["dup.txt", "newver.txt", "types.txt"])
        #expect(corpus.summary(0) == .counted(annotations: 1, tags: ["actor": 1]))
        guard case .unreadable(let problem)? = corpus.summary(1) else {
            Issue.record("newver.txt's store was read: \(String(describing: corpus.summary(1)))")
            return
        }
        #expect(problem.hasPrefix("written by a newer Gloss"))
        #expect(corpus.summary(2) == .counted(annotations: 1, tags: ["actor": 1]))
        #expect(corpus.listedAnnotations.map { "\(corpus.documents.relativePaths[$0.document]) \($0.annotation.id)" } == ["dup.txt A1", "types.txt A1"])

        // the same figures as gloss stats
        let documents = (0..<corpus.documents.count).map { CorpusDocument(path: corpus.documents.path($0)) }
        let counted = CorpusStatistics.count(documents, codebooks: documents.map { _ in .success(Fixture.codebook) },
                                             pairs: CorpusStatistics.pairs(of: Fixture.codebook.categories.map(\.id)))
        #expect(counted.statistics.documents.map(\.annotations) == [1, 1])
        #expect(counted.statistics.annotations == corpus.listedAnnotations.count)

        // on screen: "?" for the store, its reason in the status line while highlighted, and the A list says one was not read
        corpus.press(.character("j"))
        var screen = Renderer.render(corpus).lines
        #expect(screen[3].contains("    ?"))
        #expect(screen.last?.contains("newver.txt.gloss.json: written by a newer Gloss") == true, "\(screen.last ?? "")")
        corpus.press(.character("A"))
        screen = Renderer.render(corpus).lines
        #expect(screen[0].contains("All annotations (2 in 2 documents)"))
        #expect(screen[0].contains("1 store not read"))
    }
}

/// The rule that tells another document's store from an edited text of this one.
@Suite("Store of another document")
struct StoreMismatchTests {
    @Test("a store recording another document opens read-only and names it; --relink takes it; an edited text of the same document re-anchors")
    func mismatch() throws {
        let folder = try CorpusFolder()
        defer { folder.cleanUp() }
        try folder.write(first, to: "a.txt")
        try folder.write(second, to: "b.txt")
        let storePath = folder.path("a.txt.gloss.json")
        var session = try Session(document: try Document(contentsOfFile: folder.path("a.txt")), codebook: Fixture.codebook,
                                  store: AnnotationStore(path: storePath))
        session.state.focusSentence(startingWith: "Ministers from")
        session.state.press(.character("a"))
        session.state.type("ministers")
        session.state.press(.enter)
        session.state.focusSentence(startingWith: "The UN office")
        session.state.press(.character("a"))
        session.state.type("UN")
        session.state.press(.enter)
        session.flush()
        session.release()

        // b.txt with a.txt's store: read-only, saying whose store it is
        let other = try Session(document: try Document(contentsOfFile: folder.path("b.txt")), codebook: Fixture.codebook,
                                store: AnnotationStore(path: storePath))
        #expect(other.state.readOnly)
        #expect(other.foreignStoreDocument == "a.txt")
        #expect(other.state.message?.contains("belongs to a.txt") == true)
        #expect(other.state.message?.contains("--relink") == true)
        var blocked = other
        blocked.state.press(.character("a"))
        #expect(blocked.state.message?.hasPrefix("Read-only") == true)
        blocked.release()
        // nothing was written to the store
        #expect(try AnnotationStore(path: storePath).load()?.document?.path == "a.txt")

        let relinked = try Session(document: try Document(contentsOfFile: folder.path("b.txt")), codebook: Fixture.codebook,
                                   store: AnnotationStore(path: storePath), relink: true)
        #expect(!relinked.state.readOnly && relinked.foreignStoreDocument == nil)
        var released = relinked
        released.release()

        // the same document edited: re-anchored as before, writable
        try folder.write(first.replacingOccurrences(of: "Critics warned", with: "Several critics warned"), to: "a.txt")
        let edited = try Session(document: try Document(contentsOfFile: folder.path("a.txt")), codebook: Fixture.codebook,
                                 store: AnnotationStore(path: storePath))
        #expect(!edited.state.readOnly && edited.foreignStoreDocument == nil)
        #expect(edited.state.annotations.count == 2)
        var done = edited
        done.release()

        // the rule itself: a renamed file with the same text, or a store without annotations, is not another document's
        let document = try Document(contentsOfFile: folder.path("b.txt"))
        let recorded = StoredDocument(path: "elsewhere/a.txt", sha256: "0", length: 1)
        #expect(Session.recordsAnotherDocument(recorded, total: 4, unplaced: 3, document: document))
        #expect(!Session.recordsAnotherDocument(recorded, total: 4, unplaced: 2, document: document))
        #expect(!Session.recordsAnotherDocument(recorded, total: 0, unplaced: 0, document: document))
        #expect(!Session.recordsAnotherDocument(StoredDocument(path: "b.txt", sha256: "0", length: 1), total: 4, unplaced: 4, document: document))
        #expect(!Session.recordsAnotherDocument(StoredDocument(path: "a.txt", sha256: document.sha256, length: 1), total: 4, unplaced: 4, document: document))
    }

    @Test("in a corpus, a copy of a.txt's store as b.txt's is refused by the list, the summary pane and the loading gloss stats uses, with the command that takes it")
    func foreignStoreInACorpus() throws {
        let folder = try CorpusFolder()
        defer { folder.cleanUp() }
        try folder.write(first, to: "a.txt")
        try folder.write(second, to: "b.txt")
        var tagging = try Session(document: try Document(contentsOfFile: folder.path("a.txt")), codebook: Fixture.codebook,
                                  store: AnnotationStore(path: folder.path("a.txt.gloss.json")))
        tagging.state.focusSentence(startingWith: "Ministers from")
        tagging.state.press(.character("a"))
        tagging.state.type("ministers")
        tagging.state.press(.enter)
        tagging.flush()
        tagging.release()
        try FileManager.default.copyItem(atPath: folder.path("a.txt.gloss.json"), toPath: folder.path("b.txt.gloss.json"))

        // what gloss export and gloss stats read
        let loaded = CorpusEntry.load(CorpusDocument(path: folder.path("b.txt")), codebook: Fixture.codebook, checkExport: false, forCounting: true)
        guard case .failed(let message, let advice) = loaded else {
            Issue.record("b.txt's store was taken: \(loaded)")
            return
        }
        #expect(message.hasSuffix("b.txt.gloss.json belongs to a.txt, not \(folder.path("b.txt"))"))
        #expect(advice == "open it with gloss \(folder.path("b.txt")) --relink to take it")
        #expect(LoadedDocument.line(message, advice: advice, outcome: "not counted").contains("; not counted (open it with gloss "))
        if case .loaded = CorpusEntry.load(CorpusDocument(path: folder.path("a.txt")), codebook: Fixture.codebook, checkExport: true) {} else {
            Issue.record("a.txt's own store was refused")
        }

        var corpus = try folder.corpus()
        corpus.startBackgroundWork()
        let scanned = corpus.waitForScan()
        #expect(scanned)
        // the scan reads b.txt's text, as its store records another name, and refuses the store
        #expect(corpus.summary(1) == .unreadable(problem: "belongs to a.txt"))
        #expect(corpus.listedAnnotations.map(\.document) == [0])
        corpus.press(.character("j"), .enter)
        #expect(corpus.openIndex == 1)
        #expect(corpus.session?.state.readOnly == true)
        // the list counts none of its annotations once it is known to be a.txt's
        #expect(corpus.summary(1) == .unreadable(problem: "belongs to a.txt"))
        corpus.press(.character("S"))
        let counted = corpus.waitForSummary()
        #expect(counted)
        let counts = try #require(corpus.session?.state.summary?.counts)
        #expect(counts.report.statistics.annotations == 1, "a.txt's annotation, once")
        #expect(counts.failures.count == 1)
        #expect(counts.failures.first?.contains("b.txt.gloss.json belongs to a.txt") == true)
        corpus.session?.release()
    }
}
