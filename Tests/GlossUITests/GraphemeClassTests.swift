import Foundation
import Testing
@testable import GlossUI
import GlossCore

/// Every pair and triple of grapheme-break classes (UAX #29) is drawn at several sizes
/// without a crash, every drawn cell is safe for ncurses, and `h` `l` step by Swift's own
/// `Character` boundaries.
@Suite struct GraphemeClassTests {
    /// One representative of each grapheme-break class, plus a space and a plain letter.
    static let classes: [(name: String, text: String)] = [
        ("CR", "\r"), ("LF", "\n"), ("Control", "\u{0007}"), ("Extend", "\u{0301}"), ("ZWJ", "\u{200D}"),
        ("SpacingMark", "\u{0903}"), ("Prepend", "\u{0600}"), ("Regional_Indicator", "\u{1F1E6}"),
        ("Extended_Pictographic", "\u{2701}"), ("L", "\u{1100}"), ("V", "\u{1161}"), ("T", "\u{11A8}"),
        ("LV", "\u{AC00}"), ("LVT", "\u{AC01}"), ("space", " "), ("other", "a"),
    ]

    /// Sizes from a wide terminal down to the smallest that shows text, and below it.
    static let sizes = [(100, 30), (PaneGeometry.minimumWidth, PaneGeometry.minimumHeight), (13, 5)]

    /// Checks a rendered screen: each cell is one spacing character (never a lone mark,
    /// which ncurses cannot draw), holds no control character, and at most
    /// ``DisplayWidth/maxScalarsPerCell`` code points; wide cells keep their second column.
    static func checkCells(_ buffer: ScreenBuffer, _ name: String) {
        let cells = buffer.cells
        let width = buffer.width
        for (index, cell) in cells.enumerated() {
            let (row, column) = index.quotientAndRemainder(dividingBy: width)
            // a wide cell is followed by its continuation, and a continuation follows a wide cell
            if cell.width == 2 && (column + 1 == width || cells[index + 1].width != 0)
                || cell.width == 0 && (column == 0 || cells[index - 1].width != 2) {
                Issue.record("\(name): a wide cell and its continuation disagree at \(row),\(column)")
                return
            }
            guard cell.width > 0 else { continue }
            let utf8 = cell.text.utf8
            // printable ASCII, most of every screen, is safe as it is
            if utf8.count == 1, let byte = utf8.first, byte >= 0x20, byte < 0x7F { continue }
            let scalars = cell.text.unicodeScalars
            guard let first = scalars.first else {
                Issue.record("\(name): empty cell at \(row),\(column)")
                return
            }
            if scalars.contains(where: DisplayWidth.isControl) || scalars.contains(where: { [0x2028, 0x2029, 0x200D, 0x202E].contains($0.value) }) {
                Issue.record("\(name): a control or format character in the cell at \(row),\(column): \(scalars.map { String($0.value, radix: 16) })")
                return
            }
            if DisplayWidth.columns(of: first) == 0 {
                Issue.record("\(name): the cell at \(row),\(column) starts with a zero-width scalar U+\(String(first.value, radix: 16))")
                return
            }
            if scalars.count > DisplayWidth.maxScalarsPerCell {
                Issue.record("\(name): \(scalars.count) code points in the cell at \(row),\(column)")
                return
            }
        }
    }

    /// A reader on `text`, sized, and every screen of a short walk through it rendered.
    static func exercise(_ text: String, name: String) {
        let document = Document(text: text, path: "classes.txt")
        for (width, height) in sizes {
            var state = AppState(document: document, codebook: Fixture.codebook, width: width, height: height, author: "tester")
            _ = state.handle(.resize(width: width, height: height))
            checkCells(Renderer.render(state), "\(name) at \(width)x\(height)")
            for key: Key in [.character("j"), .character("v"), .character("l"), .character("l"), .character("w"),
                             .character("a"), .enter, .character("G"), .character("k"), .character("v"),
                             .character("h"), .character("b"), .character("t")] {
                _ = state.handle(key: key)
                checkCells(Renderer.render(state), "\(name) at \(width)x\(height) after \(key.label)")
            }
        }
    }

    @Test("a space followed by a mark, ZWJ, ZWNJ, VS16, a spacing mark or a skin tone draws (the reported crashes)")
    func reportedInputs() {
        for follower in ["\u{0301}", "\u{200D}", "\u{200C}", "\u{FE0F}", "\u{093F}", "\u{0903}", "\u{1F3FB}"] {
            let text = "a " + follower + "\n"
            #expect(DisplayWidth.columns(of: Character(" " + follower)) >= 1)
            Self.exercise(text, name: "space + U+\(String(follower.unicodeScalars.first!.value, radix: 16))")
        }
        Self.exercise("( \u{0361}° \u{035C}ʖ \u{0361}°)\n", name: "lenny")
        // a reflowed line break then ZWJ; a control placeholder then VS16
        Self.exercise("Title\n\n。\n\u{200D}\n", name: "reflowed break + ZWJ")
        Self.exercise("Title\n\n\u{0903}\u{0085}\u{FE0F}\n", name: "NEL + VS16")
    }

    @Test("every pair of grapheme-break classes draws at every size")
    func pairs() {
        for first in Self.classes {
            for second in Self.classes {
                Self.exercise("Title\n\nx " + first.text + second.text + " y.\n" + first.text + second.text,
                              name: "\(first.name)+\(second.name)")
            }
        }
    }

    @Test("every triple of grapheme-break classes draws and h l step by Character boundaries")
    func triples() {
        for first in Self.classes {
            for second in Self.classes {
                var text = "Title\n\n"
                for third in Self.classes {
                    text += "x " + first.text + second.text + third.text + " y. "
                }
                let document = Document(text: text, path: "triples.txt")
                for (width, height) in [(80, 24), (PaneGeometry.minimumWidth, PaneGeometry.minimumHeight)] {
                    var state = AppState(document: document, codebook: Fixture.codebook, width: width, height: height, author: "tester")
                    _ = state.handle(.resize(width: width, height: height))
                    Self.checkCells(Renderer.render(state), "\(first.name)+\(second.name)+* at \(width)x\(height)")
                }
                Self.checkSteps(through: text, name: "\(first.name)+\(second.name)+*")
            }
        }
    }

    /// Code-point offsets of `text`'s `Character` boundaries, as Swift segments it.
    static func characterBoundaries(_ text: String) -> [Int] {
        var offsets: [Int] = [0]
        var offset = 0
        for character in text {
            offset += character.unicodeScalars.count
            offsets.append(offset)
        }
        return offsets
    }

    /// Selects from the document's start and presses `l` to its end, then `h` back to the
    /// start: each step lands on the next (previous) boundary Swift's `Character` gives.
    /// Between paragraphs a step goes from one paragraph's end to the end of the next
    /// one's first character (and back from a paragraph's start to the end of the last
    /// character of the one before), as the gap between them is never selected alone.
    static func checkSteps(through text: String, name: String) {
        let document = Document(text: text, path: "steps.txt")
        var state = AppState(document: document, codebook: Fixture.codebook, width: 80, height: 24, author: "tester")
        _ = state.handle(.resize(width: 80, height: 24))
        let boundaries = characterBoundaries(text)
        let paragraphs = (0..<document.paragraphCount).compactMap { document.paragraph($0)?.range }
        guard let first = paragraphs.first, let last = paragraphs.last else { return }
        var expectedForward = [first.lowerBound]
        for range in paragraphs { expectedForward += boundaries.filter { $0 > range.lowerBound && $0 <= range.upperBound } }
        var expectedBackward = [last.upperBound]
        for range in paragraphs.reversed() { expectedBackward += boundaries.filter { $0 >= range.lowerBound && $0 < range.upperBound }.reversed() }

        state.press(.character("g"), .character("v"), .character("o"))
        guard let start = state.selection?.active, start == first.lowerBound else {
            Issue.record("\(name): the selection does not start at the document's start")
            return
        }
        var forward = [start]
        for _ in 0..<boundaries.count {
            state.press(.character("l"))
            guard let active = state.selection?.active, active != forward.last else { break }
            forward.append(active)
        }
        #expect(forward == expectedForward, "\(name): l stepped \(forward), Character boundaries \(expectedForward)")
        var backward = [state.selection?.active ?? -1]
        for _ in 0..<boundaries.count {
            state.press(.character("h"))
            guard let active = state.selection?.active, active != backward.last else { break }
            backward.append(active)
        }
        #expect(backward == expectedBackward, "\(name): h stepped \(backward), Character boundaries \(expectedBackward)")
    }

    @Test("GB11: an emoji ZWJ sequence is one Character and one step of l; ✁ ZWJ ✁ steps as Swift segments it")
    func emojiZWJSequence() {
        let sequence = "\u{2702}\u{200D}\u{2702}"
        #expect(sequence.count == 1)
        let text = "Title\n\nA " + sequence + " b.\n"
        Self.checkSteps(through: text, name: "GB11")
        let document = Document(text: text, path: "gb11.txt")
        var state = AppState(document: document, codebook: Fixture.codebook, width: 80, height: 24, author: "tester")
        _ = state.handle(.resize(width: 80, height: 24))
        state.press(.character("G"), .character("v"), .character("o"))
        let start = state.selection?.active ?? 0
        state.press(.character("l"), .character("l"), .character("l"))
        // "A", " ", then the whole sequence: 2 + 3 code points after the sentence start
        #expect(state.selection.map { $0.active - start } == 5)
        // U+2701 has no Extended_Pictographic property in Swift's Unicode data, so GB11
        // does not join it: the steps follow whatever Swift's Character says
        Self.checkSteps(through: "Title\n\nA \u{2701}\u{200D}\u{2701} b.\n", name: "U+2701 ZWJ U+2701")
    }
}
