import Foundation
import Testing
@testable import GlossCore
@testable import GlossUI

/// `G` and `:goto N%` in a text far larger than its indexed start: the end shows at once,
/// read ahead of the index; nothing is tagged there until the index gets there, and then
/// offsets are the text's own.
@Suite(.serialized) struct SeekTests {
    /// Twenty copies of the novel (about 66 MB) in a folder of its own.
    static func twentyNovels() throws -> (folder: URL, path: String) {
        let novel = try Data(contentsOf: Fixture.corpus.appendingPathComponent("large/war-and-peace-pg2600.txt"))
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gloss-seek-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("twenty-novels.txt").path
        var bytes = novel
        for _ in 1..<20 { bytes += novel.dropFirst(3) }
        try bytes.write(to: URL(fileURLWithPath: path))
        return (folder, path)
    }

    @Test("G before the index reaches the end shows the text's end at once; tagging waits; once indexed the focus settles on the right offsets and a tag stores them")
    func endBeforeIndexing() throws {
        let (folder, path) = try Self.twentyNovels()
        defer { try? FileManager.default.removeItem(at: folder) }
        let document = try Document(contentsOfFile: path)
        var session = try Session(document: document, codebook: Fixture.codebook,
                                  store: AnnotationStore(path: path + ".gloss.json"), width: 100, height: 30)
        _ = session.state.handle(.resize(width: 100, height: 30))
        _ = Renderer.render(session.state)
        let indexed = document.indexedByteCount

        session.state.press(.character("G"))
        let frame = Renderer.render(session.state).lines.joined(separator: "\n")
        #expect(frame.contains("eBooks."), "\(frame)")
        #expect(frame.contains("100%"))
        #expect(document.indexedByteCount == indexed, "G indexed \(document.indexedByteCount) bytes")
        #expect(session.state.focusIsProvisional)
        #expect(session.state.focusOffset == nil)

        // nothing can be tagged or selected there yet, and nothing is saved
        var effects = session.state.press(.character("a"))
        #expect(session.state.mode == .reading)
        #expect(session.state.message?.hasPrefix("Shown ahead of the index") == true)
        effects += session.state.press(.character("v"))
        #expect(session.state.selection == nil)
        #expect(effects.isEmpty)
        #expect(session.state.annotations.isEmpty)
        // moving around the stretch works; moving above its start stops there
        session.state.press(.character("k"), .character("k"), .pageUp, .character("{"))
        #expect(session.state.focusIsProvisional)
        session.state.press(.character("G"))
        let provisional = try #require(session.state.focusRange)
        let shownText = document.text(in: provisional)

        // the index reaches the end: the poll settles the focus onto real offsets
        _ = document.length
        session.poll()
        #expect(!session.state.focusIsProvisional)
        #expect(!Document.isProvisional(session.state.top.paragraph))
        let settled = try #require(session.state.focusRange)
        let freshDocument = try Document(contentsOfFile: path)
        _ = freshDocument.length
        let fresh = AppState(document: freshDocument, codebook: Fixture.codebook, width: 100, height: 30)
        let expected = try #require(fresh.lastSentence.map { fresh.sentenceRange($0) })
        #expect(settled == expected)
        #expect(document.text(in: settled) == shownText)
        #expect(session.state.focusOffset == expected.lowerBound)
        #expect(Renderer.render(session.state).lines.joined(separator: "\n").contains("eBooks."))

        // a tag now stores the text's own offsets and quote
        effects = session.state.press(.character("a"))
        effects += session.state.type("ISIL")
        effects += session.state.press(.enter)
        #expect(effects.contains(.save))
        let annotation = try #require(session.state.annotations.first)
        #expect(annotation.start == expected.lowerBound && annotation.end == expected.upperBound)
        #expect(annotation.quote == fresh.document.text(in: expected))
        session.release()
    }

    @Test(":goto 50% in a text not yet indexed there shows the middle at once, then settles onto the same paragraph")
    func percentBeforeIndexing() throws {
        let (folder, path) = try Self.twentyNovels()
        defer { try? FileManager.default.removeItem(at: folder) }
        let document = try Document(contentsOfFile: path)
        var state = AppState(document: document, codebook: Fixture.codebook, width: 100, height: 30)
        _ = state.handle(.resize(width: 100, height: 30))
        state.press(.character(":"))
        state.type("goto 50%")
        state.press(.enter)
        #expect(state.focusIsProvisional)
        let paragraph = try #require(state.focus.flatMap { document.paragraph($0.paragraph) })
        #expect(abs(paragraph.byteRange.lowerBound - document.byteCount / 2) < 20_000)
        let frame = Renderer.render(state).lines.joined(separator: "\n")
        let firstWords = document.text(ofParagraph: state.focus!.paragraph).split(separator: " ").prefix(3).joined(separator: " ")
        #expect(frame.contains(firstWords), "\(frame)")
        #expect((49...51).contains(Renderer.percent(state)), "\(Renderer.percent(state))%")

        _ = document.length
        let moved = state.settleProvisionalView()
        #expect(moved)
        let settled = try #require(state.focus.flatMap { document.paragraph($0.paragraph) })
        #expect(settled.byteRange == paragraph.byteRange)
        #expect(!state.focusIsProvisional)
    }
}
