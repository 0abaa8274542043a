import Foundation
import Testing
@testable import GlossUI
import GlossCore

/// Headings in bold and boilerplate dimmed with a mark in the margin, passed over by `j`
/// `k`, and hidden by `--hide-boilerplate`.
@Suite struct BoilerplateScreenTests {
    static func state(_ path: String, width: Int = 100, height: Int = 30, hide: Bool = false) throws -> AppState {
        let document = try Document(contentsOfFile: path)
        var state = AppState(document: document, codebook: Fixture.codebook, width: width, height: height, author: "analyst")
        state.now = { Fixture.clock }
        _ = state.handle(.resize(width: width, height: height))
        if hide { state.hideBoilerplate() }
        return state
    }

    /// The screen rows whose text contains `text`.
    static func rows(containing text: String, in buffer: ScreenBuffer) -> [Int] {
        buffer.lines.indices.filter { buffer.lines[$0].contains(text) }
    }

    @Test("the seed article: the title bold, the comment form dimmed and marked, the body plain")
    func seedStyles() throws {
        // tall enough for the whole article
        let state = try Self.state(Fixture.seedPath, width: 100, height: 60)
        let buffer = Renderer.render(state)
        let left = PaneGeometry.textMargin
        #expect(buffer[0, left].style.bold && buffer[1, left].style.bold)
        #expect(buffer.lines[0].hasPrefix(" Global Conference of National Counter-terrorism Chiefs Could "))
        for text in ["Leave a Reply", "Your email address will not be published."] {
            let row = try #require(Self.rows(containing: text, in: buffer).first, "\(text) is not on screen")
            #expect(buffer[row, 0].text == state.theme.boilerplateMark)
            #expect(buffer[row, 0].style.dim)
            #expect(buffer[row, left].style.dim && !buffer[row, left].style.bold, "\(text) is not dimmed")
        }
        // no body row is dimmed or marked
        let reply = try #require(Self.rows(containing: "Leave a Reply", in: buffer).first)
        for row in 1..<reply {
            #expect(buffer[row, 0].text == " ")
            #expect((left..<state.geometry.text.width).allSatisfy { !buffer[row, $0].style.dim }, "row \(row) is dimmed")
        }
    }

    @Test("j stops at the last sentence of the body and k passes back over boilerplate; G still reaches it")
    func sentenceMovesSkipBoilerplate() throws {
        var state = try Self.state(Fixture.seedPath)
        state.focusSentence(startingWith: "He mentioned that it is very important")
        state.press(.character("j"))
        #expect(state.focusText?.hasPrefix("He mentioned that it is very important") == true)
        state.press(.character("G"))
        #expect(state.focus?.paragraph == 6)
        state.press(.character("k"))
        #expect(state.focusText?.hasPrefix("He mentioned that it is very important") == true)
        // boilerplate can still be tagged: { } reach it
        state.press(.character("}"))
        #expect(state.focus?.paragraph == 5)
        state.press(.character("a"))
        state.type("comment form")
        state.press(.enter)
        #expect(state.annotations.first?.quote == "Leave a Reply")
    }

    @Test("--hide-boilerplate: the comment form takes no rows and G stops at the body's end")
    func hiddenSeed() throws {
        var state = try Self.state(Fixture.seedPath, hide: true)
        state.press(.character("G"))
        #expect(state.focus?.paragraph == 4)
        let buffer = Renderer.render(state)
        #expect(Self.rows(containing: "Leave a Reply", in: buffer).isEmpty)
        #expect(Self.rows(containing: "Required fields", in: buffer).isEmpty)
        #expect(!Self.rows(containing: "terrorist groups.", in: buffer).isEmpty)
        // nothing is drawn below the last paragraph shown
        let last = try #require(Self.rows(containing: "terrorist groups.", in: buffer).first)
        for row in (last + 1)..<state.textRows { #expect(buffer.lines[row].prefix(state.geometry.text.width).allSatisfy { $0 == " " }) }
        // search does not find hidden text
        state.press(.character("g"), .character("/"))
        state.type("Reply")
        state.press(.enter)
        #expect(state.message?.hasPrefix("Not found") == true)
    }

    @Test("the web scrape with its menus hidden opens on the article's title")
    func hiddenWebScrape() throws {
        let path = Fixture.corpus.appendingPathComponent("web/wikimediafoundation.org.turkey.naive-scrape.txt").path
        var state = try Self.state(path, hide: true)
        var buffer = Renderer.render(state)
        #expect(buffer.lines[0].hasPrefix(" Access to Wikipedia restored in Turkey"))
        #expect(state.focusText == "Access to Wikipedia restored in Turkey after more than two and a half years")
        state.press(.character("G"))
        #expect(state.focus.map { state.document.text(ofParagraph: $0.paragraph) }?.hasPrefix("* We have received reports") == true)
        buffer = Renderer.render(state)
        #expect(Self.rows(containing: "Cookie statement", in: buffer).isEmpty)
        #expect(Self.rows(containing: "Share", in: buffer).isEmpty)
        // shown again, the menus are back, dimmed
        state.hideBoilerplate(false)
        state.press(.character("g"))
        buffer = Renderer.render(state)
        #expect(buffer.lines[0].hasPrefix("\(state.theme.boilerplateMark)Skip to content"))
    }
}
