import CNcursesw
import Foundation
import GlossCore
import GlossUI
import Testing
@testable import GlossTerminal

/// Draws screen buffers into a real ncurses screen (`newterm` on /dev/null) and reads the
/// cells back with `mvwin_wch`/`getcchar`: if ncurses advanced by a different width than
/// the layout assumed, the read-back text or the pane border would be misplaced.
@Suite(.serialized)
struct NcursesRoundTripTests {
    static let lock = NSLock()

    /// Paints `buffer` into a fresh ncurses screen of its size and returns the text of each
    /// row as ncurses holds it, plus the attributes of each cell.
    /// Runs `body` with the window of a fresh ncurses screen for `terminalType` of
    /// `width` x `height` cells, drawing into /dev/null; one screen at a time.
    static func withScreen(terminalType: String, width: Int, height: Int,
                           _ body: (UnsafeMutablePointer<WINDOW>?) throws -> Void) throws {
        lock.lock()
        defer { lock.unlock() }
        #expect(setlocale(LC_ALL, "C.UTF-8") != nil)
        let output = fopen("/dev/null", "w")
        let input = fopen("/dev/null", "r")
        defer { fclose(output); fclose(input) }
        // the terminal type is named here rather than through TERM, and the size is set
        // with resizeterm rather than LINES and COLUMNS: environment variables would leak
        // into the programs other tests start at the same time
        let screen = try #require(newterm(terminalType, output, input))
        defer { delscreen(screen) }
        let previous = set_term(screen)
        defer { endwin(); set_term(previous) }
        resizeterm(Int32(height), Int32(width))
        try body(gloss_stdscr())
    }

    static func roundTrip(_ buffer: ScreenBuffer) throws -> (lines: [String], reverse: [[Bool]]) {
        var result: (lines: [String], reverse: [[Bool]]) = ([], [])
        try withScreen(terminalType: "xterm-256color", width: buffer.width, height: buffer.height) { window in
            result = paintAndRead(buffer, in: window)
        }
        return result
    }

    static func paintAndRead(_ buffer: ScreenBuffer, in window: UnsafeMutablePointer<WINDOW>?) -> (lines: [String], reverse: [[Bool]]) {
        #expect(Int(gloss_cols()) == buffer.width)
        #expect(Int(gloss_lines()) == buffer.height)
        Terminal.paint(buffer, over: nil, in: window) { _ in 0 }
        return read(window, width: buffer.width, height: buffer.height)
    }

    /// The text of each row of `window` as ncurses holds it, and whether each cell is reversed.
    static func read(_ window: UnsafeMutablePointer<WINDOW>?, width: Int, height: Int) -> (lines: [String], reverse: [[Bool]]) {
        var lines: [String] = []
        var reverse: [[Bool]] = []
        for row in 0..<height {
            var line = ""
            var flags: [Bool] = []
            var column = 0
            while column < width {
                var text = [wchar_t](repeating: 0, count: 16)
                var attributes: attr_t = 0
                var pair: Int16 = 0
                #expect(gloss_read_cell(window, Int32(row), Int32(column), &text, 16, &attributes, &pair) == OK)
                let scalars = text.prefix { $0 != 0 }.compactMap { Unicode.Scalar(UInt32(bitPattern: $0)) }
                var cellText = String(String.UnicodeScalarView(scalars))
                if cellText.isEmpty { cellText = " " }
                flags.append(attributes & gloss_attr_reverse() != 0)
                let cellWidth = max(1, Int(wcswidth(text, 16)))
                line += cellText
                column += cellWidth
            }
            lines.append(line)
            reverse.append(flags)
        }
        return (lines, reverse)
    }

    @Test func plainTextAndStylesSurviveTheRoundTrip() throws {
        var buffer = ScreenBuffer(width: 40, height: 4)
        buffer.put("Counter-terrorism cooperation", row: 0, column: 1, style: .plain)
        buffer.put("focused", row: 1, column: 2, style: Style(reverse: true))
        buffer.put("│", row: 2, column: 30, style: Style(dim: true))
        let result = try Self.roundTrip(buffer)
        #expect(result.lines == buffer.lines)
        #expect(result.reverse[1][2...8].allSatisfy { $0 })
        #expect(!result.reverse[1][9])
    }

    @Test func runsOfASCIIKeepEachCellsStyleUpToTheLastCell() throws {
        // ASCII cells go to ncurses a run at a time: styles change mid-row, a non-ASCII
        // cell interrupts a run, and a run ends in the screen's bottom-right cell
        var buffer = ScreenBuffer(width: 20, height: 3)
        buffer.put("ab", row: 0, column: 0, style: .plain)
        buffer.put("cd", row: 0, column: 2, style: Style(reverse: true))
        buffer.put("é", row: 0, column: 4, style: Style(reverse: true))
        buffer.put("ef", row: 0, column: 5, style: .plain)
        buffer.put("g h", row: 1, column: 3, style: Style(bold: true))
        buffer.put("xyz", row: 2, column: 17, style: Style(reverse: true))
        let result = try Self.roundTrip(buffer)
        #expect(result.lines == buffer.lines)
        for row in 0..<buffer.height {
            let expected = (0..<buffer.width).map { buffer.cells[row * buffer.width + $0].style.reverse }
            #expect(result.reverse[row] == expected, "row \(row)")
        }
    }

    @Test func repaintingOverAPreviousBufferChangesOnlyWhatDiffers() throws {
        var first = ScreenBuffer(width: 12, height: 2)
        first.put("hello world", row: 0, column: 0, style: .plain)
        first.put("second line", row: 1, column: 0, style: Style(reverse: true))
        var second = first
        second.put("HE", row: 0, column: 0, style: Style(reverse: true))
        second.put("ond", row: 1, column: 3, style: .plain)
        try Self.withScreen(terminalType: "xterm-256color", width: 12, height: 2) { window in
            Terminal.paint(first, over: nil, in: window) { _ in 0 }
            Terminal.paint(second, over: first, in: window) { _ in 0 }
            let result = Self.read(window, width: 12, height: 2)
            #expect(result.lines == second.lines)
            for row in 0..<2 {
                #expect(result.reverse[row] == (0..<12).map { second.cells[row * 12 + $0].style.reverse }, "row \(row)")
            }
        }
    }

    @Test func wideCombiningAndControlCharactersKeepTheBorderInPlace() throws {
        // each row: text that stresses width, then a border at column 20
        let samples = [
            "中文字符测试一二三四五",        // wide CJK, overflows the pane
            "café e\u{301}te\u{301} ok",   // precomposed and combining accents
            "a\u{1B}[2Jb\u{7}c\u{9B}d",     // ESC, BEL and a C1 control
            "日本語とEnglish混在",
            "tab\there",
            "คำปรารภ ก่อน",                 // Thai SARA AM (spacing) and a tone mark
            "हिन्दी বাংলা தமிழ்",              // Indic spacing vowel signs and viramas
            "👨‍👩‍👧 👍🏽 🇺🇸 1️⃣ ❤️ x",          // ZWJ family, skin tone, flag, keycap, VS16
        ]
        var buffer = ScreenBuffer(width: 30, height: samples.count)
        for (row, sample) in samples.enumerated() {
            buffer.put(sample, row: row, column: 0, style: .plain, limit: 20)
            buffer.put("│", row: row, column: 20, style: .plain)
        }
        let result = try Self.roundTrip(buffer)
        #expect(result.lines == buffer.lines)
        // every letter of the Thai and Indic rows reaches ncurses
        #expect(result.lines[5].hasPrefix("คำปรารภ ก่อน"))
        #expect(result.lines[6].hasPrefix("हिन्दी বাংলা தமிழ்"))
        #expect(result.lines[7].hasPrefix("👨👩👧 👍🏽 🇺🇸 1⃣ ❤ x"))
        for line in result.lines {
            let border = line.firstIndex(of: "│").map { DisplayWidth.columns(of: String(line[..<$0])) }
            #expect(border == 20, "border moved in \(line)")
            #expect(!line.unicodeScalars.contains { DisplayWidth.isControl($0) }, "control character reached ncurses: \(line)")
        }
    }
}

/// The screens of texts in other scripts, drawn through real ncurses: what ncurses holds
/// matches the buffer cell for cell, so the pane border cannot move.
@Suite(.serialized) struct NcursesScriptsRoundTripTests {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/corpus")
    static let codebook = Codebook(name: "test", categories: [
        GlossCore.Category(id: "actor", label: "Actor", key: "a", color: "cyan", description: "", values: []),
    ])

    @Test("UDHR translations and an emoji fixture at 80x24 and 40x12",
          arguments: ["unicode/udhr-arb.txt", "unicode/udhr-cmn_hans.txt", "unicode/udhr-jpn.txt",
                      "unicode/udhr-heb.txt", "unicode/udhr-tha.txt", "fixture"])
    func scripts(file: String) throws {
        let document = file == "fixture"
            ? Document(text: "Fixture\n\nFamily 👨‍👩‍👧 tone 👍🏽 flag 🇫🇷 keycap 1️⃣ heart ❤️ e\u{301} हिन्दी คำปรารภ\ttab \u{1B}[2J https://example.org/" + String(repeating: "x", count: 300))
            : try Document(contentsOfFile: Self.corpus.appendingPathComponent(file).path)
        for (width, height) in [(80, 24), (40, 12)] {
            var state = AppState(document: document, codebook: Self.codebook, width: width, height: height)
            _ = state.handle(.resize(width: width, height: height))
            _ = state.handle(key: .character("j"))
            let buffer = Renderer.render(state)
            let result = try NcursesRoundTripTests.roundTrip(buffer)
            #expect(result.lines == buffer.lines, "\(file) at \(width)x\(height)")
        }
    }
}
