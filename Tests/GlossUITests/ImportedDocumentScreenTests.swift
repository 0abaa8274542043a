import Foundation
import GlossCore
import GlossImport
@testable import GlossUI
import Testing

/// Documents opened through ``DocumentOpener`` (a saved web page, a Markdown post, a
/// Windows-1252 text) as the reader draws them, against golden screens.
@Suite("Imported documents on screen")
struct ImportedDocumentScreenTests {
    static let webPage = Fixture.corpus.appendingPathComponent("web/wikimediafoundation.org.turkey.html").path
    static let markdownPost = Fixture.corpus.appendingPathComponent("markdown/digitalgov-2015-11-02-modernizing-federal-cybersecurity.md").path

    /// A reader on the document at `path`, opened as `gloss read` opens it.
    static func state(_ path: String, width: Int, height: Int) throws -> AppState {
        let document = try DocumentOpener.open(path).document
        var state = AppState(document: document, codebook: Fixture.codebook, annotations: [], width: 80, height: 24, author: "tester")
        state.now = { Fixture.clock }
        _ = state.handle(.resize(width: width, height: height))
        return state
    }

    @Test("the saved news page at 100x30 shows the post, not the site's menu")
    func webPage() throws {
        let state = try Self.state(Self.webPage, width: 100, height: 30)
        let buffer = Renderer.render(state)
        let screen = buffer.lines.joined(separator: "\n")
        // the page's <title> first, wrapped in the 66-column text pane
        #expect(buffer.lines[0].hasPrefix(" Access to Wikipedia restored in Turkey after more than two and a │"))
        #expect(buffer.lines[1].hasPrefix(" half years – Wikimedia Foundation  "))
        #expect(screen.contains("Today, on Wikipedia’s 19th birthday"))
        for menu in ["Skip to content", "Donate", "Toggle menu", "Our Work", "Search"] {
            #expect(!screen.contains(menu), "\(menu) is on the screen")
        }
        // the title is drawn as a title
        #expect(buffer[0, 1].style.bold)
        #expect(buffer.lines[29].hasPrefix(" wikimediafoundation.org.turkey.html"))
        Golden.check(buffer, named: "web-page-100x30")
    }

    @Test("the Markdown post at 100x30 shows its text without markup")
    func markdownPost() throws {
        let state = try Self.state(Self.markdownPost, width: 100, height: 30)
        let buffer = Renderer.render(state)
        let screen = buffer.lines.joined(separator: "\n")
        // the front matter is not shown: the post starts with its summary quote
        #expect(buffer.lines[0].hasPrefix(" Summary: Today, the Administration directed a series of actions  │"))
        for markup in ["---", "slug:", "**", "](", "{{<"] {
            #expect(!screen.contains(markup), "\(markup) is on the screen")
        }
        Golden.check(buffer, named: "markdown-post-100x30")
    }

    @Test("a Windows-1252 text opens with its curly quotes and the notice in the status line")
    func windows1252Notice() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gloss-1252-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("legacy.txt").path
        try Data(Array("He said ".utf8) + [0x93] + Array("we will cooperate".utf8) + [0x94] + Array(".\n".utf8)).write(to: URL(fileURLWithPath: path))
        let opened = try DocumentOpener.open(path)
        var session = try Session(document: opened.document, codebook: Fixture.codebook, store: AnnotationStore(path: path + ".gloss.json"),
                                  width: 100, height: 30, notices: opened.notices)
        defer { session.release() }
        let buffer = Renderer.render(session.state)
        #expect(buffer.lines[0].hasPrefix(" He said “we will cooperate”."))
        #expect(buffer.lines[29].contains("read as Windows-1252 (the file is not valid UTF-8)"), "\(buffer.lines[29])")
    }
}
