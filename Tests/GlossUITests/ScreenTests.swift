import Foundation
import Testing
@testable import GlossUI
import GlossCore

/// Screens rendered from real states compared with golden text files in Goldens/.
/// Record with `GLOSS_RECORD_GOLDENS=1 swift test --filter GlossUITests`.
@Suite("Golden screens")
struct ScreenTests {
    /// The seed article with three claims tagged through the keys: an actor on the whole
    /// Voronkov sentence (with a note), a threat on part of the member-states sentence
    /// (v b b b drops "and incitement."), and a cooperation measure on the private-sector
    /// sentence; the focus is left on the title.
    static func taggedState(width: Int, height: Int) throws -> AppState {
        var state = try Fixture.seedState(width: width, height: height)
        state.focusSentence(startingWith: "Vladimir Voronkov")
        state.press(.character("a"))
        state.type("UN Office of Counter-Terrorism")
        state.press(.enter, .character("m"))
        state.type("Voronkov speaks for UNOCT")
        state.press(.control("s"))
        state.focusSentence(startingWith: "The Under-Secretary-General stated")
        state.press(.character("c"))
        state.type("public-private partnership")
        state.press(.enter)
        state.focusSentence(startingWith: "The different member states")
        state.press(.character("v"), .character("b"), .character("b"), .character("b"), .character("t"))
        state.type("violent extremism")
        state.press(.enter)
        state.press(.character("g"))
        return state
    }

    /// Checks that hold on every screen: each row is exactly the terminal's width.
    func checkGrid(_ buffer: ScreenBuffer, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(buffer.lines.count == buffer.height, sourceLocation: sourceLocation)
        for (row, line) in buffer.lines.enumerated() {
            #expect(DisplayWidth.columns(of: line) == buffer.width, "row \(row) is not \(buffer.width) columns: |\(line)|", sourceLocation: sourceLocation)
        }
    }

    /// The vertical rule between the panes is on every body row, in one column.
    func checkBorder(_ state: AppState, _ buffer: ScreenBuffer, sourceLocation: SourceLocation = #_sourceLocation) {
        let geometry = state.geometry
        if geometry.sideBySide {
            let column = geometry.text.column + geometry.text.width
            for row in 0..<geometry.text.height {
                #expect(buffer[row, column].text == "│", "no rule at row \(row), column \(column)", sourceLocation: sourceLocation)
            }
        } else {
            let row = geometry.text.row + geometry.text.height
            #expect(buffer.lines[row] == String(repeating: "─", count: buffer.width), sourceLocation: sourceLocation)
        }
    }

    @Test("the seed article at 120x40, panes side by side")
    func seed120x40() throws {
        let state = try Fixture.seedState(width: 120, height: 40)
        let buffer = Renderer.render(state)
        checkGrid(buffer)
        checkBorder(state, buffer)
        #expect(state.geometry.sideBySide)
        // the 81-character title wraps at the text pane's 77 columns, in bold
        #expect(buffer.lines[0].hasPrefix(" Global Conference of National Counter-terrorism Chiefs Could Improve "))
        #expect(buffer.lines[1].hasPrefix(" Cooperation "))
        #expect(buffer[1, 1].style.bold && buffer[1, 1].style.reverse)
        #expect(buffer.lines[39].hasPrefix(" seed-counter-terrorism-conference.txt"))
        #expect(buffer.lines[39].contains("Actor 0 · Threat 0 · Cooperation measure 0"))
        #expect(buffer.lines[39].hasSuffix("? help "))
        Golden.check(buffer, named: "seed-120x40", styles: true)
    }

    @Test("the seed article at 80x24")
    func seed80x24() throws {
        let state = try Fixture.seedState(width: 80, height: 24)
        let buffer = Renderer.render(state)
        checkGrid(buffer)
        checkBorder(state, buffer)
        #expect(state.geometry.sideBySide)
        #expect(buffer.lines.contains { $0.contains("None yet. Press a tag key") })
        Golden.check(buffer, named: "seed-80x24", styles: true)
    }

    @Test("the seed article at 60x20, panes stacked")
    func seed60x20() throws {
        let state = try Fixture.seedState(width: 60, height: 20)
        let buffer = Renderer.render(state)
        checkGrid(buffer)
        checkBorder(state, buffer)
        #expect(!state.geometry.sideBySide)
        Golden.check(buffer, named: "seed-60x20", styles: true)
    }

    @Test("three tagged claims at 120x40: list entries, note marker, counts, colours")
    func tagged120x40() throws {
        let state = try Self.taggedState(width: 120, height: 40)
        try #require(state.annotations.count == 3)
        let buffer = Renderer.render(state)
        checkGrid(buffer)
        checkBorder(state, buffer)
        let lines = buffer.lines
        let listColumn = state.geometry.list.column
        let list = lines.map { String($0.dropFirst(listColumn)) }
        #expect(list[0].hasPrefix(" Annotations (3)"))
        #expect(list[1].hasPrefix(" Actor: UN Office of Counter-Terrorism ✎"))
        #expect(list[2].hasPrefix("  “Vladimir Voronkov,"))
        #expect(list[3].hasPrefix(" Cooperation measure: public-private p"))
        #expect(list[4].hasPrefix("  “The Under-Secretary-General"))
        #expect(list[5].hasPrefix(" Threat: violent extremism"))
        #expect(list[6].hasPrefix("  “The different member states"))
        #expect(lines[39].contains("Actor 1 · Threat 1 · Cooperation measure 1"))
        // the threat span stops at "extremism": "and incitement." is not coloured
        let threat = state.annotations.first { $0.tags.first?.category == "threat" }!
        #expect(threat.quote.hasSuffix("prevention of violent extremism"))
        Golden.check(buffer, named: "tagged-120x40", styles: true)
    }

    @Test("three tagged claims at 80x24 with the Voronkov annotation focused")
    func tagged80x24() throws {
        var state = try Self.taggedState(width: 80, height: 24)
        state.press(.character("]"))
        let buffer = Renderer.render(state)
        checkGrid(buffer)
        checkBorder(state, buffer)
        #expect(buffer.lines[23].contains("Actor 1 · Threat 1"))
        Golden.check(buffer, named: "tagged-80x24", styles: true)
    }

    @Test("the status line shows the count of every category at 80x24 and 60x20",
          arguments: [(80, 24), (60, 20)])
    func statusCounts(width: Int, height: Int) throws {
        let state = try Self.taggedState(width: width, height: height)
        let status = Renderer.render(state).lines[height - 1]
        for category in ["Actor", "Threat", "Cooperation measure"] {
            #expect(status.contains("\(category) 1"), "the status line hides the \(category) count: |\(status)|")
        }
        #expect(status.hasSuffix("? help "))
    }

    @Test("a list entry too long for the pane ends in an ellipsis and keeps its note marker")
    func longListEntries() throws {
        let state = try Self.taggedState(width: 80, height: 24)
        let lines = Renderer.render(state).lines
        let listColumn = state.geometry.list.column
        let list = lines.map { String($0.dropFirst(listColumn)) }
        // Actor: UN Office of Counter-Terrorism, with a note, does not fit in 30 columns
        #expect(list[1].hasPrefix(" Actor: UN Office"))
        #expect(list[1].contains("✎"), "the note marker is clipped away: |\(list[1])|")
        // Cooperation measure: public-private partnership does not fit either
        let cooperation = list[3].trimmingCharacters(in: .whitespaces)
        #expect(cooperation.hasPrefix("Cooperation measure: public"))
        #expect(cooperation.hasSuffix("…"), "the tag line is cut without an ellipsis: |\(list[3])|")
    }

    @Test("the tag prompt shows what is typed even at the minimum size, 20x6")
    func promptAtMinimumWidth() throws {
        var state = try Fixture.seedState(width: 20, height: 6)
        state.press(.character("j"), .character("c"))
        state.type("pub")
        let lines = Renderer.render(state).lines
        #expect(lines[5].contains("pub"), "the label hides the typed text: |\(lines[5])|")
    }

    @Test("the annotation list focused at 120x40")
    func listFocused() throws {
        var state = try Self.taggedState(width: 120, height: 40)
        state.press(.character("]"), .tab, .character("j"))
        #expect(state.mode == .list)
        #expect(state.listIndex == 1)
        let buffer = Renderer.render(state)
        checkGrid(buffer)
        checkBorder(state, buffer)
        let listColumn = state.geometry.list.column
        #expect(String(buffer.lines[3].dropFirst(listColumn)).hasPrefix("▸Cooperation measure"))
        #expect(buffer[3, listColumn + 5].style.reverse, "the highlighted entry is in reverse video")
        #expect(buffer.lines[39].contains("LIST"))
        Golden.check(buffer, named: "list-120x40", styles: true)
    }

    @Test("the help overlay at 120x40")
    func help120x40() throws {
        var state = try Fixture.seedState(width: 120, height: 40)
        state.press(.character("?"))
        let buffer = Renderer.render(state)
        checkGrid(buffer)
        let lines = buffer.lines
        #expect(lines.contains { $0.contains("┌─ Gloss keys ─") })
        #expect(lines.contains { $0.contains(" other keys close ") })
        let pages = state.helpPages()
        for row in state.keymap.helpRows {
            #expect(pages.contains(row.description), "help lacks \(row.description)")
        }
        // the box's left and right edges are in one column on every row
        let top = try #require(lines.firstIndex { $0.contains("┌") })
        let bottom = try #require(lines.firstIndex { $0.contains("└") })
        let left = Array(lines[top]).firstIndex(of: "┌")!
        let right = Array(lines[top]).firstIndex(of: "┐")!
        #expect(Array(lines[bottom]).firstIndex(of: "└") == left)
        #expect(Array(lines[bottom]).firstIndex(of: "┘") == right)
        for row in (top + 1)..<bottom {
            let characters = Array(lines[row])
            #expect(characters[left] == "│" && characters[right] == "│", "box edge broken at row \(row)")
        }
        Golden.check(buffer, named: "help-120x40", styles: true)
    }

    @Test("help too big for 40x12 scrolls, and says where it is in words that are not cut off")
    func helpAt40x12() throws {
        var state = try Fixture.seedState(width: 40, height: 12)
        state.press(.character("?"))
        let buffer = Renderer.render(state)
        checkGrid(buffer)
        #expect(!state.helpPages().contains("…"))
        state.press(.character("g"))
        let bottom = try #require(buffer.lines.first { $0.contains("└") })
        #expect(bottom.contains(" other keys close "), "|\(bottom)|")
        state.press(.character("j"))
        #expect(state.help.scroll == 1)
    }

    @Test("the tag prompt with completions at 80x24")
    func prompt80x24() throws {
        var state = try Fixture.seedState(width: 80, height: 24)
        state.press(.character("j"), .character("a"))
        state.type("I")
        state.press(.tab)
        #expect(state.prompt?.text == "ISIL")
        let buffer = Renderer.render(state)
        checkGrid(buffer)
        #expect(buffer.lines[23].hasPrefix("Actor: ISIL "))
        #expect(buffer.lines[22].hasPrefix(" Tab: ISIL  Interpol "))
        Golden.check(buffer, named: "prompt-80x24", styles: true)
    }

    @Test("a selection narrower than the sentence at 80x24: only the selection is reversed")
    func selection80x24() throws {
        var state = try Fixture.seedState(width: 80, height: 24)
        state.press(.character("j"), .character("v"), .character("b"), .character("b"))
        let buffer = Renderer.render(state)
        checkGrid(buffer)
        #expect(buffer.lines[23].contains("SELECT \(state.selection!.range.count) characters"))
        // the reversed cells of the text pane spell exactly the selected text (spaces
        // at line ends become the breaks between rows)
        let pane = state.geometry.text
        var reversed = ""
        for row in pane.row..<(pane.row + pane.height) {
            var rowText = ""
            for column in pane.column..<(pane.column + pane.width) where buffer[row, column].style.reverse && buffer[row, column].width > 0 {
                rowText += buffer[row, column].text
            }
            if !rowText.isEmpty { reversed += (reversed.isEmpty ? "" : " ") + rowText.trimmingCharacters(in: .whitespaces) }
        }
        #expect(reversed == state.document.text(in: state.selection!.range))
        Golden.check(buffer, named: "selection-80x24", styles: true)
    }

    @Test("wide, combining, emoji and control characters never move the pane border",
          arguments: [(120, 40), (80, 24), (60, 20), (21, 9)])
    func unicodeKeepsBorder(width: Int, height: Int) throws {
        let japanese = try Document(contentsOfFile: Fixture.corpus.appendingPathComponent("unicode/udhr-jpn.txt").path)
        let mixed = Document(text: "Mixed\n\n日本語のテキスト and e\u{301}\u{301} café 👩‍👩‍👧 🇫🇷 tab\there bell\u{7}x zero\u{200B}width 한국어 ｆｕｌｌ\n\n" +
                             String(repeating: "長い段落の文章です。", count: 30))
        for document in [japanese, mixed] {
            var state = AppState(document: document, codebook: Fixture.codebook, width: width, height: height, author: "tester")
            for _ in 0..<12 {
                let buffer = Renderer.render(state)
                checkGrid(buffer)
                checkBorder(state, buffer)
                state.press(.character("j"))
            }
            // tag a CJK sentence and show it in the list
            state.press(.character("a"))
            state.type("日本")
            state.press(.enter, .tab)
            let buffer = Renderer.render(state)
            checkGrid(buffer)
            checkBorder(state, buffer)
        }
    }

    @Test("a 10x3 terminal says it is too small")
    func tooSmall() throws {
        let state = try Fixture.seedState(width: 10, height: 3)
        let buffer = Renderer.render(state)
        checkGrid(buffer)
        Golden.check(buffer, named: "too-small-10x3")
    }

    @Test("the golden diff shows the differing row and column")
    func goldenDiff() {
        let diff = Golden.diff(expected: ["same", "abcdef"], actual: ["same", "abXdef"])
        #expect(diff.contains("row   1 expected |abcdef|"))
        #expect(diff.contains("row   1 actual   |abXdef|"))
        #expect(diff.contains("\n" + String(repeating: " ", count: 20) + "^ (character 2)"), "the caret sits under the X")
        #expect(!diff.contains("same"))
        #expect(Golden.decode(Golden.encode(["a ", " b", ""])) == ["a ", " b", ""])
    }
}
