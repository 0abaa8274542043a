import Foundation
import Testing
@testable import GlossUI
import GlossCore

/// Every text of the shared corpus at 100x30, page after page (PgDn to the end; the first
/// page only of the novel), against goldens of its text and its styles: paragraphs,
/// reflowed lines, headings in bold and boilerplate dimmed, as a reader sees them.
@Suite struct CorpusScreenTests {
    /// The corpus's text files, relative to it.
    static let files: [String] = {
        let root = Fixture.corpus.path
        return (FileManager.default.enumerator(atPath: root)?.compactMap { $0 as? String } ?? [])
            .filter { $0.hasSuffix(".txt") }.sorted()
    }()

    /// The screens of `state`, from the first, pressing PgDn until the view stops moving
    /// (at most `limit` of them).
    static func pages(_ state: AppState, limit: Int) -> [ScreenBuffer] {
        var state = state
        var screens = [Renderer.render(state)]
        while screens.count < limit {
            let top = state.top
            state.press(.pageDown)
            if state.top == top { break }
            screens.append(Renderer.render(state))
        }
        return screens
    }

    @Test("the corpus has its texts") func corpusIsThere() {
        #expect(Self.files.count >= 29)
    }

    @Test("every corpus text at 100x30, page by page", arguments: files)
    func corpusText(file: String) throws {
        let document = try Document(contentsOfFile: Fixture.corpus.appendingPathComponent(file).path)
        var state = AppState(document: document, codebook: Fixture.codebook, width: 100, height: 30, author: "analyst")
        state.now = { Fixture.clock }
        _ = state.handle(.resize(width: 100, height: 30))
        let screens = Self.pages(state, limit: file.hasPrefix("large/war-and-peace") ? 1 : 200)
        var text: [String] = [], styles: [String] = []
        for (number, screen) in screens.enumerated() {
            for (row, line) in screen.lines.enumerated() {
                #expect(DisplayWidth.columns(of: line) == 100, "\(file) page \(number + 1) row \(row) is not 100 columns")
            }
            text += ["page \(number + 1)"] + screen.lines
            styles += ["page \(number + 1)"] + screen.styleLines
        }
        let name = "corpus-" + file.replacingOccurrences(of: "/", with: "-").replacingOccurrences(of: ".txt", with: "") + "-100x30"
        Golden.check(text, named: name + ".txt")
        Golden.check(styles, named: name + ".styles.txt")
    }
}
