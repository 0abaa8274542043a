import Foundation
import Testing
@testable import GlossCore
@testable import GlossUI

/// `g` `G`, Home End, PgDn PgUp Space `b` in the lists: the corpus's document list and
/// corpus-wide annotation list, and the reader's annotation list, all through ``ListMotion``.
@Suite("Paging the lists")
struct ListPagingTests {
    @Test("the document list: G End last, g Home first, PgDn Space a page down, PgUp b a page up, the highlight always on screen")
    func documentList() throws {
        let folder = try CorpusFolder()
        defer { folder.cleanUp() }
        for number in 1...30 { try folder.write("Document \(number)\n", to: String(format: "%02d.txt", number)) }
        var corpus = try folder.corpus(width: 100, height: 12)
        let page = corpus.listRows
        #expect(page == 9)
        func highlighted() -> String? {
            Renderer.render(corpus).lines.first { $0.hasPrefix("▸") }
        }
        corpus.press(.character("G"))
        #expect(corpus.cursor == 29 && corpus.listTop == 30 - page)
        #expect(highlighted()?.contains("30.txt") == true)
        corpus.press(.character("g"))
        #expect(corpus.cursor == 0 && corpus.listTop == 0)
        corpus.press(.pageDown)
        #expect(corpus.cursor == page)
        #expect(highlighted()?.contains("10.txt") == true)
        corpus.press(.character(" "))
        #expect(corpus.cursor == 2 * page)
        corpus.press(.character("b"))
        #expect(corpus.cursor == page)
        corpus.press(.pageUp)
        #expect(corpus.cursor == 0)
        corpus.press(.pageUp)
        #expect(corpus.cursor == 0)
        corpus.press(.end)
        #expect(corpus.cursor == 29)
        corpus.press(.pageDown)
        #expect(corpus.cursor == 29)
        corpus.press(.home)
        #expect(corpus.cursor == 0 && highlighted()?.contains("01.txt") == true)
        // no message that the keys do nothing here
        #expect(corpus.message == nil)
        // and the help lists them for the lists too
        #expect(corpus.keymap.action(for: .character("b"), in: .documents) == .pageUp)
        #expect(corpus.keymap.action(for: .end, in: .annotations) == .documentEnd)
    }

    @Test("the corpus-wide annotation list pages and jumps to its ends too")
    func corpusAnnotations() throws {
        let folder = try CorpusFolder()
        defer { folder.cleanUp() }
        let text = (1...20).map { "Sentence number \($0) names ISIL." }.joined(separator: " ") + "\n"
        try folder.write(text, to: "a.txt")
        var corpus = try folder.corpus(width: 100, height: 10)
        corpus.press(.enter)
        for _ in 0..<20 {
            corpus.press(.character("a"))
            corpus.type("ISIL")
            corpus.press(.enter, .character("j"))
        }
        #expect(corpus.session?.state.annotations.count == 20)
        corpus.press(.character("D"), .character("A"))
        #expect(corpus.view == .annotations)
        corpus.press(.character("G"))
        #expect(corpus.annotationCursor == 19)
        corpus.press(.character("b"))
        #expect(corpus.annotationCursor == 19 - corpus.listRows)
        corpus.press(.home)
        #expect(corpus.annotationCursor == 0)
        corpus.press(.character(" "))
        #expect(corpus.annotationCursor == corpus.listRows)
        corpus.session?.flush()
        corpus.session?.release()
    }

    @Test("the reader's annotation list: the same keys move its highlight by a page of entries or to its ends")
    func readerList() throws {
        var state = try Fixture.seedState(width: 100, height: 20)
        state.press(.character("g"))
        for _ in 0..<12 {
            state.press(.character("a"), .enter, .character("j"))
        }
        #expect(state.annotations.count == 12)
        state.press(.tab)
        #expect(state.mode == .list)
        // each entry takes two rows under the list's heading
        let page = (state.geometry.list.height - 1) / 2
        state.press(.character("G"))
        #expect(state.listIndex == 11)
        state.press(.character("g"))
        #expect(state.listIndex == 0)
        state.press(.pageDown)
        #expect(state.listIndex == page)
        state.press(.character("b"))
        #expect(state.listIndex == 0)
        state.press(.end)
        #expect(state.listIndex == 11 && state.currentAnnotationID == state.annotations.last?.id)
        state.press(.home)
        #expect(state.listIndex == 0 && state.mode == .list)
    }
}
