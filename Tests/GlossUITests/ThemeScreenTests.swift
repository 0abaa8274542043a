import Foundation
import Testing
@testable import GlossUI
import GlossCore

/// The same tagged document drawn in each theme: the default keeps today's screens, the
/// high-contrast theme has nothing dim, and the monochrome theme has no colour at all but
/// shows every category by its key.
@Suite("Themes")
struct ThemeScreenTests {
    /// The three tagged claims of ``ScreenTests/taggedState(width:height:)`` at 80x24 with
    /// the Voronkov annotation current, drawn in `theme`.
    static func tagged(_ theme: Theme) throws -> (AppState, ScreenBuffer) {
        var state = try ScreenTests.taggedState(width: 80, height: 24)
        state.theme = theme
        state.press(.character("]"))
        return (state, Renderer.render(state))
    }

    /// Every cell of `buffer` with a colour.
    static func coloured(_ buffer: ScreenBuffer) -> [Cell] {
        buffer.cells.filter { $0.style.foreground != .default || $0.style.background != .default }
    }

    @Test("themes are found by name; NO_COLOR and a terminal without colours give monochrome whatever was configured")
    func namesAndChoice() {
        #expect(Theme.names == ["default", "high-contrast", "monochrome"])
        #expect(Theme.named("default") == .standard)
        #expect(Theme.named("high-contrast") == .highContrast)
        #expect(Theme.named("monochrome") == .monochrome)
        #expect(Theme.named("Monochrome") == nil && Theme.named("solarized") == nil)
        #expect(Theme.effective(configured: nil, environment: [:], terminalColors: 256) == .standard)
        #expect(Theme.effective(configured: "high-contrast", environment: [:], terminalColors: 8) == .highContrast)
        #expect(Theme.effective(configured: "high-contrast", environment: ["NO_COLOR": "1"], terminalColors: 256) == .monochrome)
        #expect(Theme.effective(configured: nil, environment: ["NO_COLOR": "yes please"], terminalColors: 256) == .monochrome)
        // set but empty does not count (no-color.org)
        #expect(Theme.effective(configured: nil, environment: ["NO_COLOR": ""], terminalColors: 256) == .standard)
        #expect(Theme.effective(configured: "high-contrast", environment: [:], terminalColors: 0) == .monochrome)
        #expect(Theme.effective(configured: "no-such-theme", environment: [:], terminalColors: 16) == .standard)
    }

    @Test("the default theme draws the tagged document exactly as before")
    func defaultTheme() throws {
        let (_, buffer) = try Self.tagged(Theme.named("default")!)
        // the same golden as the reader's tagged screen: the default look did not move
        Golden.check(buffer, named: "tagged-80x24", styles: true)
        #expect(Set(Self.coloured(buffer).map(\.style.foreground)) == [.cyan, .green, .red])
    }

    @Test("the high-contrast theme has nothing dim, bold category colours and a bold focus")
    func highContrastTheme() throws {
        let (state, buffer) = try Self.tagged(.highContrast)
        #expect(!buffer.cells.contains { $0.style.dim })
        let coloured = Self.coloured(buffer)
        #expect(Set(coloured.map(\.style.foreground)) == [.cyan, .green, .red])
        #expect(coloured.allSatisfy { $0.style.bold })
        // the list entry of the current annotation is the focus in list mode only; the
        // focused sentence in the text pane is reverse and bold
        let focused = buffer.cells.filter { $0.style.reverse && $0.style.foreground == .cyan }
        #expect(!focused.isEmpty && focused.allSatisfy { $0.style.bold })
        // the current annotation is told from the others by an underline, its colour being bold already
        #expect(focused.allSatisfy { $0.style.underline })
        #expect(state.annotations.count == 3)
        Golden.check(buffer, named: "theme-high-contrast-80x24", styles: true)
    }

    @Test("the monochrome theme has no colour; tagged text is underlined and each category shows by its key")
    func monochromeTheme() throws {
        let (state, buffer) = try Self.tagged(.monochrome)
        #expect(Self.coloured(buffer).isEmpty)
        let lines = buffer.lines
        let listColumn = state.geometry.list.column
        let list = lines.map { String($0.dropFirst(listColumn)) }
        #expect(list[1].hasPrefix("▸[a] Actor: UN Office"))
        #expect(list[3].hasPrefix(" [c] Cooperation measure"))
        #expect(list[5].hasPrefix(" [t] Threat: violent extremism"))
        // the text pane: the key in the left margin beside every line of the Voronkov span
        // ("Vladimir Voronkov, Under-Secretary-General ... international cooperation.")
        let text = lines.map { String($0.prefix(state.geometry.text.width)) }
        let first = try #require((0..<23).first { text[$0].contains("Vladimir") })
        let last = try #require((0..<23).first { text[$0].contains("international cooperation.") })
        #expect(last - first == 5)
        for row in first...last {
            #expect(buffer[row, 0].text == "a", "row \(row): |\(lines[row])|")
            #expect(buffer[row, 0].style.bold)
        }
        #expect(buffer[first - 1, 0].text == " " && buffer[last + 1, 0].text == " ")
        // untagged lines have no mark
        #expect(buffer[3, 0].text == " " && buffer[0, 0].text == " ")
        // the tagged words are underlined; the current annotation also bold, the focus reverse
        let span = (1..<48).map { buffer[first + 1, $0] }.filter { $0.text != " " }
        #expect(!span.isEmpty && span.allSatisfy { $0.style.underline })
        Golden.check(buffer, named: "theme-monochrome-80x24", styles: true)
    }

    @Test("monochrome: a line with two categories has the first's key at the left and the last's at the right")
    func monochromeTwoCategoriesOnALine() throws {
        var state = AppState(document: Document(text: "Ministers met in Valmora. Critics warned about surveillance. Nobody else spoke.\n"),
                             codebook: Fixture.codebook, width: 100, height: 20)
        state.theme = .monochrome
        state.press(.character("a"))
        state.type("ISIL")
        state.press(.enter, .character("j"), .character("t"))
        state.type("incitement")
        state.press(.enter, .character("j"))
        let buffer = Renderer.render(state)
        let right = state.geometry.text.column + state.geometry.text.width - 1
        #expect(buffer[0, 0].text == "a" && buffer[0, right].text == "t", "|\(buffer.lines[0])|")
        #expect(buffer[1, 0].text == " " && buffer[1, right].text == " ")
        #expect(Self.coloured(buffer).isEmpty)
    }

    @Test("monochrome: the detail view, codebook view and summary name categories by their key too")
    func monochromeOverlays() throws {
        var (state, _) = try Self.tagged(.monochrome)
        state.press(.enter)
        let detail = Renderer.render(state)
        #expect(state.mode == .detail)
        #expect(Self.coloured(detail).isEmpty)
        #expect(detail.lines.contains { $0.contains("▸ [a] Actor: UN Office of Counter-Terrorism") })
        Golden.check(detail, named: "theme-monochrome-detail-80x24", styles: true)
        state.press(.escape, .character("C"))
        let codebook = Renderer.render(state)
        #expect(Self.coloured(codebook).isEmpty)
        for category in ["[a] Actor", "[t] Threat", "[c] Cooperation measure"] {
            #expect(codebook.lines.contains { $0.contains(category) }, "\(category) not in the codebook view")
        }
        state.press(.escape)
        state.openSummary()
        let summary = Renderer.render(state)
        #expect(Self.coloured(summary).isEmpty)
        for category in ["[a] Actor", "[t] Threat", "[c] Cooperation measure"] {
            #expect(summary.lines.contains { $0.contains(category + "  1 tag in 1 document") }, "\(category) not in the summary")
        }
    }

    @Test("monochrome: the document list and the corpus's annotations name categories by their key")
    func monochromeCorpus() throws {
        let folder = try CorpusFolder()
        defer { folder.cleanUp() }
        try folder.write("Ministers meet\n\nThe ministers agreed to share watch lists of ISIL recruiters.\n", to: "a.txt")
        var corpus = try folder.corpus()
        corpus.theme = .monochrome
        corpus.press(.enter, .character("j"), .character("a"))
        corpus.type("ISIL")
        corpus.press(.enter)
        #expect(corpus.session?.state.theme == .monochrome)
        #expect(Self.coloured(Renderer.render(corpus)).isEmpty)
        corpus.press(.character("D"))
        corpus.session?.flush()
        let list = Renderer.render(corpus)
        #expect(Self.coloured(list).isEmpty)
        #expect(list.lines[1].contains("[a] Ac…") && list.lines[1].contains("[t] Th…"), "|\(list.lines[1])|")
        corpus.press(.character("A"))
        let annotations = Renderer.render(corpus)
        #expect(Self.coloured(annotations).isEmpty)
        #expect(annotations.lines.contains { $0.contains("[a] Actor: ISIL") })
        corpus.session?.release()
    }
}
