import Foundation
import Testing
@testable import GlossCore
@testable import GlossUI

/// A text that is one giant paragraph is laid out a part at a time: the proof is in counts
/// of rows and sentences made, and in screens compared with those of a short paragraph
/// holding the same text.
@Suite(.serialized) struct GiantParagraphTests {
    /// War and Peace as one line (line endings made spaces, no byte-order mark), cut to
    /// about `bytes` bytes at a space.
    static func novelAsOneLine(bytes: Int) throws -> String {
        var text = [UInt8](try Data(contentsOf: Fixture.corpus.appendingPathComponent("large/war-and-peace-pg2600.txt")))
        if text.starts(with: [0xEF, 0xBB, 0xBF]) { text.removeFirst(3) }
        for index in text.indices where text[index] == 0x0A || text[index] == 0x0D { text[index] = 0x20 }
        var end = min(bytes, text.count)
        while end < text.count && text[end] != 0x20 { end += 1 }
        return String(decoding: text[..<end], as: UTF8.self).trimmingCharacters(in: .whitespaces)
    }

    /// A reader on `text` at `width` x `height`, sized as `gloss read` sizes it.
    static func state(_ text: String, width: Int = 80, height: Int = 24) -> AppState {
        var state = AppState(document: Document(text: text, path: "giant.txt"), codebook: Fixture.codebook, annotations: [],
                             width: width, height: height, author: "tester")
        state.now = { Fixture.clock }
        _ = state.handle(.resize(width: width, height: height))
        return state
    }

    /// The text pane's rows of `state`'s screen.
    static func textRows(_ state: AppState) -> [String] {
        Array(Renderer.render(state).lines.prefix(state.geometry.text.height))
    }

    /// Rows a part can have at most: a row holds at least a word, and prose words are
    /// short, so a part of ``TextCache/partBytes`` bytes wraps to far fewer rows than this.
    static let rowsPerPart = TextCache.partBytes / 40

    /// `text`'s words, one space between each: rows joined, runs of spaces made one.
    static func words(_ text: String) -> String {
        text.split(whereSeparator: { $0 == " " || $0 == "│" }).joined(separator: " ")
    }

    @Test("a giant paragraph lays out only the rows on screen: opening, paging, G and a resize make rows and sentences for the parts shown, not the paragraph")
    func laysOutOnlyTheRowsOnScreen() throws {
        let giant = try Self.novelAsOneLine(bytes: 3_000_000)
        var state = Self.state("A giant paragraph\n\n" + giant)
        let cache = state.cache
        let paragraph = try #require(state.document.paragraph(1))
        #expect(paragraph.byteRange.count > 2_900_000)
        let parts = cache.partCount(1)
        #expect(parts == paragraph.byteRange.count / TextCache.partBytes)
        // the whole paragraph wraps to one row per 80 bytes at least
        let wholeRows = paragraph.byteRange.count / 80
        #expect(wholeRows > 30 * Self.rowsPerPart)

        _ = Renderer.render(state)
        #expect(cache.rowsLaidOut <= 2 * Self.rowsPerPart, "laid out \(cache.rowsLaidOut) rows of about \(wholeRows)")
        #expect(cache.layoutCount <= 3, "laid out \(cache.layoutCount) paragraphs or parts")
        #expect(cache.sentencesSplit <= 2 * Self.rowsPerPart, "split \(cache.sentencesSplit) sentences")

        // forty pages down pass about 920 rows: two or three parts more, never the paragraph
        var before = cache.rowsLaidOut
        state.press(Array(repeating: .pageDown, count: 40))
        _ = Renderer.render(state)
        #expect(cache.rowsLaidOut - before <= 3 * Self.rowsPerPart, "paging laid out \(cache.rowsLaidOut - before) rows")
        #expect(state.focus?.paragraph == 1)
        #expect((state.focus?.part ?? 0) >= 1, "the focus has passed the first part")

        // G lays out the end; the parts between are never laid out
        before = cache.rowsLaidOut
        state.press(.character("G"))
        let end = Self.words(Self.textRows(state).joined(separator: " "))
        #expect(cache.rowsLaidOut - before <= 2 * Self.rowsPerPart, "G laid out \(cache.rowsLaidOut - before) rows")
        #expect(state.focus == SentencePosition(paragraph: 1, part: parts - 1, sentence: cache.sentences(1, part: parts - 1).count - 1))
        let lastWords = giant.split(separator: " ").suffix(3).joined(separator: " ")
        #expect(end.contains(lastWords))

        // a resize there and back lays out the parts shown at the new widths only
        before = cache.rowsLaidOut
        _ = state.handle(.resize(width: 120, height: 40))
        _ = Renderer.render(state)
        _ = state.handle(.resize(width: 80, height: 24))
        #expect(Self.words(Self.textRows(state).joined(separator: " ")).contains(lastWords))
        #expect(cache.rowsLaidOut - before <= 4 * Self.rowsPerPart, "resizing laid out \(cache.rowsLaidOut - before) rows")
        #expect(cache.sentencesSplit < wholeRows / 4, "split \(cache.sentencesSplit) sentences in all")
    }

    @Test("a giant paragraph's first screen, a page down, G and a resize show what a short paragraph holding the same text shows")
    func screensMatchAShortParagraph() throws {
        let giant = try Self.novelAsOneLine(bytes: 1_200_000)
        var state = Self.state(giant)
        #expect(state.cache.partCount(0) > 1)
        // the first part's text as a paragraph of its own, laid out whole
        let firstPart = state.cache.partRange(0, part: 0)
        var reference = Self.state(state.document.text(in: firstPart))
        #expect(Self.textRows(state) == Self.textRows(reference))
        #expect(Self.textRows(state).joined().contains("The Project Gutenberg"))
        state.press(.pageDown)
        reference.press(.pageDown)
        #expect(Self.textRows(state) == Self.textRows(reference))
        #expect(state.focusText == reference.focusText)
        state.press(.character("j"), .character("j"))
        reference.press(.character("j"), .character("j"))
        #expect(state.focusText == reference.focusText)

        // the last part likewise, after G
        let parts = state.cache.partCount(0)
        let lastPart = state.cache.partRange(0, part: parts - 1)
        var end = Self.state(state.document.text(in: lastPart))
        state.press(.character("G"))
        end.press(.character("G"))
        #expect(Self.textRows(state) == Self.textRows(end))
        #expect(state.focusText == end.focusText)
        #expect(Self.words(Self.textRows(state).joined(separator: " ")).contains(giant.split(separator: " ").suffix(3).joined(separator: " ")))
        for (width, height) in [(120, 40), (80, 24), (50, 20)] {
            _ = state.handle(.resize(width: width, height: height))
            _ = end.handle(.resize(width: width, height: height))
            #expect(Self.textRows(state) == Self.textRows(end), "at \(width)x\(height)")
        }

        // k from the last part's first sentence reaches the part before it, and the screen follows
        _ = state.handle(.resize(width: 80, height: 24))
        state.press(.character("g"))
        state.press(.character("G"))
        for _ in 0..<(state.cache.sentences(0, part: parts - 1).count) { state.press(.character("k")) }
        #expect(state.focus?.part == parts - 2)
        let focused = try #require(state.focusText)
        #expect(Self.words(Self.textRows(state).joined(separator: " ")).contains(focused.split(separator: " ").prefix(2).joined(separator: " ")))
    }

    @Test("a giant paragraph's parts cover it in order and give the sentences the splitter gives the whole paragraph")
    func partsKeepTheSentences() throws {
        let giant = try Self.novelAsOneLine(bytes: 400_000)
        let state = Self.state(giant)
        let cache = state.cache
        let parts = cache.partCount(0)
        #expect(parts >= 10)
        var sentences: [Range<Int>] = []
        var next = 0
        for part in 0..<parts {
            let range = cache.partRange(0, part: part)
            #expect(range.lowerBound == next, "part \(part) starts where the one before ends")
            next = range.upperBound
            sentences += cache.sentences(0, part: part)
            // a part's rows hold its code points and no other
            let lines = cache.lines(0, part: part, width: 60)
            #expect(lines.first?.range.lowerBound == range.lowerBound)
            #expect(lines.last?.range.upperBound == range.upperBound)
        }
        #expect(next == state.document.paragraph(0)?.range.upperBound)
        #expect(sentences == SentenceSplitter.sentences(in: giant))
        // every offset is found in the part that holds it
        for offset in stride(from: 0, to: next, by: 9_973) {
            let part = cache.part(containing: offset, in: 0)
            #expect(cache.partRange(0, part: part).contains(offset))
        }
    }

    @Test("a search hit and a selection inside a giant paragraph land on its part, and w b h l cross its parts as one paragraph")
    func searchSelectionAndAnnotationsInsideIt() throws {
        let giant = try Self.novelAsOneLine(bytes: 1_000_000)
        var state = Self.state(giant)
        // a word whose first occurrence is far into the paragraph
        let scalars = Array(giant.unicodeScalars)
        var seen = Set<String>(), word = "", offset = 0, position = 0
        while position < scalars.count && word.isEmpty {
            var end = position
            while end < scalars.count && scalars[end].properties.isAlphabetic { end += 1 }
            if end - position >= 9 {
                var candidate = String.UnicodeScalarView()
                candidate.append(contentsOf: scalars[position..<end])
                let text = String(candidate)
                if position > 700_000 && !seen.contains(text) && scalars[position - 1] == " " && scalars[end] == " " {
                    (word, offset) = (text, position)
                }
                seen.insert(text)
            }
            position = end + 1
        }
        #expect(!word.isEmpty)
        state.press(.character("g"))
        state.press(.character("/"))
        state.type(word)
        state.press(.enter)
        let match = try #require(state.searchMatch)
        #expect(match.lowerBound == offset)
        #expect(state.focusRange?.contains(offset) == true)
        #expect(state.focus?.part == state.cache.part(containing: offset, in: 0))
        #expect(Self.textRows(state).joined().contains(word))

        // a selection from the focused sentence extends by sentences past the part's end and back
        let part = try #require(state.focus?.part)
        let partEnd = state.cache.partRange(0, part: part).upperBound
        let sentences = state.cache.sentences(0, part: part).count
        state.press(.character("v"))
        for _ in 0..<(sentences - (state.focus?.sentence ?? 0) + 1) { state.press(.character("j")) }
        let selection = try #require(state.selection)
        #expect(selection.active > partEnd, "the selection reached the next part")
        #expect(Self.words(Self.textRows(state).joined(separator: " "))
            .contains(Self.words(state.document.text(in: (selection.active - 30)..<selection.active)).split(separator: " ").suffix(2).joined(separator: " ")))
        // word by word back over the part's start, then forward again: the word after the cut is the next stop
        while let active = state.selection?.active, active > partEnd - 20 { state.press(.character("b")) }
        let back = try #require(state.selection?.active)
        #expect(back < partEnd && back > partEnd - 40)
        while let active = state.selection?.active, active < partEnd { state.press(.character("w")) }
        let wordAfter = try #require(state.selection?.active)
        #expect(wordAfter > partEnd && wordAfter < partEnd + 30, "w goes from the last word before the cut to the first word's end after it")
        // a grapheme at a time across it
        while let active = state.selection?.active, active > partEnd { state.press(.character("h")) }
        #expect(state.selection?.active == partEnd)
        state.press(.character("h"))
        #expect(state.selection?.active == partEnd - 1)
        state.press(.character("l"), .character("l"))
        #expect(state.selection?.active == partEnd + 1)
    }
}
