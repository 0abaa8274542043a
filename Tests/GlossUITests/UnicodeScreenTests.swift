import Foundation
import Testing
@testable import GlossUI
import GlossCore

/// Golden screens of texts in other scripts and of a fixture of emoji, combining marks,
/// tabs and a long URL: every row is exactly the screen's width and the pane border
/// stays in its column.
@Suite struct UnicodeScreenTests {
    /// Emoji sequences, combining marks, tabs and a 300-character URL.
    static let fixture = """
    Emoji, marks, tabs and a URL

    Family 👨‍👩‍👧 and thumbs 👍🏽, flag 🇫🇷, keycap 1️⃣, heart ❤️. Café with e\u{301} and ñ; Hindi हिन्दी, Thai คำปรารภ.

    Tabbed\tcolumns\there\tand\tthere.

    https://example.org/\(String(repeating: "counter-terrorism-cooperation/", count: 10))end
    """

    static let files = ["unicode/udhr-arb.txt", "unicode/udhr-cmn_hans.txt", "unicode/udhr-jpn.txt",
                        "unicode/udhr-heb.txt", "unicode/udhr-tha.txt"]

    static func state(_ document: Document, width: Int, height: Int) -> AppState {
        var state = AppState(document: document, codebook: Fixture.codebook, width: width, height: height, author: "analyst")
        _ = state.handle(.resize(width: width, height: height))
        return state
    }

    static func check(_ state: AppState, named name: String) {
        let buffer = Renderer.render(state)
        for (row, line) in buffer.lines.enumerated() {
            #expect(DisplayWidth.columns(of: line) == buffer.width, "\(name) row \(row) is not \(buffer.width) columns: |\(line)|")
        }
        let geometry = state.geometry
        if geometry.sideBySide {
            let column = geometry.text.column + geometry.text.width
            for row in 0..<geometry.text.height {
                #expect(buffer[row, column].text == "│", "\(name): no border at row \(row)")
            }
        } else {
            #expect(buffer.lines[geometry.text.height] == String(repeating: "─", count: buffer.width), "\(name): no rule")
        }
        for cell in buffer.cells {
            #expect(!cell.text.unicodeScalars.contains(where: DisplayWidth.isControl), "\(name): a control character in a cell")
        }
        Golden.check(buffer, named: name)
    }

    @Test("UDHR translations at 80x24 and 40x12", arguments: files)
    func translations(file: String) throws {
        let document = try Document(contentsOfFile: Fixture.corpus.appendingPathComponent(file).path)
        let base = URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
        for (width, height) in [(80, 24), (40, 12)] {
            var state = Self.state(document, width: width, height: height)
            _ = state.handle(key: .character("j"))
            Self.check(state, named: "\(base)-\(width)x\(height)")
        }
    }

    @Test("emoji, combining marks, tabs and a 300-character URL at 80x24 and 40x12")
    func fixture() {
        let document = Document(text: Self.fixture, path: "fixture.txt")
        for (width, height) in [(80, 24), (40, 12)] {
            var state = Self.state(document, width: width, height: height)
            _ = state.handle(key: .character("}"))
            Self.check(state, named: "fixture-\(width)x\(height)")
        }
    }
}
