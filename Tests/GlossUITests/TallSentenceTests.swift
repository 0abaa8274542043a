import Foundation
import Testing
@testable import GlossUI
import GlossCore

/// A sentence taller than the text pane (a long run-on sentence, a list without
/// punctuation) is read page by page: paging scrolls within it, and G shows the text's end.
@Suite struct TallSentenceTests {
    /// A title, then one sentence of about 260 words ending in "THE END OF IT".
    static let runOn: String = {
        let words = ("the minister said that officials of several agencies met on Tuesday to discuss "
                     + "shared border controls and the exchange of passenger data with partners").split(separator: " ")
        let body = (0..<260).map { String(words[$0 % words.count]) }.joined(separator: " ")
        return "A report on the hearing\n\nThe witness said that \(body) and that was THE END OF IT\n"
    }()

    static func state(_ text: String, width: Int = 80, height: Int = 12) -> AppState {
        var state = AppState(document: Document(text: text, path: "doc.txt"), codebook: Fixture.codebook, width: width, height: height, author: "t")
        _ = state.handle(.resize(width: width, height: height))
        return state
    }

    static func screen(_ state: AppState) -> String { Renderer.render(state).lines.joined(separator: "\n") }

    @Test("PgDn pages through a sentence taller than the pane, PgUp pages back, and the focus stays on it")
    func pageWithinTallSentence() throws {
        var state = Self.state(Self.runOn)
        _ = state.handle(key: .character("j"))
        let focus = try #require(state.focus)
        var tops = [state.top]
        var sawEnd = false
        for _ in 0..<12 {
            _ = state.handle(key: .pageDown)
            #expect(state.focus == focus, "the focus stays on the tall sentence")
            tops.append(state.top)
            if Self.screen(state).contains("THE END OF IT") { sawEnd = true; break }
        }
        #expect(sawEnd, "paging reaches the end of the sentence:\n\(Self.screen(state))")
        #expect(Set(tops).count == tops.count, "every PgDn scrolled")
        for _ in 0..<12 { _ = state.handle(key: .pageUp) }
        #expect(Self.screen(state).contains("The witness said that"))
    }

    @Test("PgDn from a title lands in a tall sentence followed by another and pages through it, not past it")
    func pageIntoTallSentenceWithOneAfter() throws {
        let words = (0..<3000).map { String(format: "w%05d", $0) }.joined(separator: " ")
        var state = Self.state("A title\n\nThe list goes " + words + " and on. A last sentence here.\n", height: 20)
        var seen: [String] = []
        for _ in 0..<6 {
            _ = state.handle(key: .pageDown)
            seen.append(Self.screen(state))
        }
        #expect(seen[0].contains("w00"), "the first PgDn shows the sentence's start:\n\(seen[0])")
        #expect(!seen[0].contains("A last sentence"))
        #expect(seen[1].contains("w0") && !seen[1].contains("A last sentence"), "the second PgDn is still inside the tall sentence")
        #expect(Set(seen.prefix(4)).count == 4, "each PgDn scrolled")
    }

    @Test("a search match in the middle of a sentence taller than the pane is shown")
    func searchShowsMatchInTallSentence() throws {
        let words = (0..<3000).map { String(format: "w%05d", $0) }.joined(separator: " ")
        var state = Self.state("A title\n\nThe list goes " + words + " and on.\n", height: 20)
        _ = state.handle(key: .character("/"))
        for character in "w01500 w01501" { _ = state.handle(key: .character(character)) }
        _ = state.handle(key: .enter)
        while state.continueSearch(forSeconds: 1) {}
        #expect(state.searchMatch != nil)
        #expect(Self.screen(state).contains("w01500 w01501"), "\(Self.screen(state))")
    }

    @Test("G and End show the end of the text when its last sentence is taller than the pane")
    func documentEndShowsEnd() throws {
        for key in [Key.character("G"), .end] {
            var state = Self.state(Self.runOn)
            _ = state.handle(key: key)
            #expect(Self.screen(state).contains("THE END OF IT"), "\(key): \(Self.screen(state))")
            // the view stays there when redrawn and resized
            _ = state.handle(.resize(width: 90, height: 12))
            #expect(Self.screen(state).contains("THE END OF IT"))
        }
        let list = (1...2000).map { "item \($0)" }.joined(separator: "\n") + "\n"
        var state = Self.state(list, height: 24)
        _ = state.handle(key: .pageDown)
        _ = state.handle(key: .pageDown)
        #expect(!Self.screen(state).contains("item 1 item 2 item 3"), "PgDn scrolls a list of 2000 items")
        _ = state.handle(key: .character("G"))
        #expect(Self.screen(state).contains("item 2000"))
    }

    @Test("sentences that fit the pane still page and scroll as before: the focus moves on with PgDn")
    func shortSentencesUnchanged() throws {
        let text = (1...60).map { "Sentence number \($0) is short." }.joined(separator: " ")
        var state = Self.state(text)
        let before = try #require(state.focus)
        _ = state.handle(key: .pageDown)
        #expect(try #require(state.focus) > before)
        _ = state.handle(key: .character("G"))
        #expect(Self.screen(state).contains("number 60 is"))
    }
}
