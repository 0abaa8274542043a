import Foundation
import Testing
@testable import GlossUI
import GlossCore

/// A paragraph larger than one match window is searched window by window: every match is
/// found once, where the whole paragraph at once finds it, and a search stops between
/// windows for keys.
@Suite struct GiantParagraphSearchTests {
    /// One paragraph of about `bytes` bytes (no blank line), sentences of Greek, German and
    /// Turkish words, with `needle` written in varying case every `every` sentences.
    static func paragraph(bytes: Int, needle: String, every: Int) -> String {
        let words = ["Οδυσσεύς", "Straße", "İstanbul", "naïve", "café", "the", "minister", "said", "border", "東京"]
        var text = "", sentence = 0
        while text.utf8.count < bytes {
            for word in 0..<11 { text += words[(sentence * 7 + word * 3) % words.count] + " " }
            if sentence % every == every - 1 { text += sentence % 2 == 0 ? needle.uppercased() : needle }
            text += ". "
            sentence += 1
        }
        return text + "The end."
    }

    /// Every match of `needle` in `body` as Foundation finds it over the whole string, and
    /// those found code point by code point, in code points: what the windows must add up to.
    static func wholeMatches(of needle: String, in body: String) -> [Range<Int>] {
        var found: [Range<Int>] = []
        var searchRange = body.startIndex..<body.endIndex
        var counted = body.startIndex, offset = 0
        while let match = body.range(of: needle, options: [.caseInsensitive], range: searchRange) {
            offset += body.unicodeScalars.distance(from: counted, to: match.lowerBound)
            counted = match.lowerBound
            found.append(offset..<(offset + body.unicodeScalars.distance(from: match.lowerBound, to: match.upperBound)))
            searchRange = match.upperBound..<body.endIndex
        }
        let starts = Set(found.map(\.lowerBound))
        found += AppState.scalarMatches(of: needle, in: body).filter { !starts.contains($0.lowerBound) }
        return found.sorted { $0.lowerBound < $1.lowerBound }
    }

    @Test("matches across the windows of a paragraph are those of the whole paragraph, each once",
          arguments: ["Straße", "strasse", "İstanbul", "said οδυσσεύς", "東京 i̇stanbul", "σεύς naïve"])
    func windowsAddUp(needle: String) throws {
        let text = Self.paragraph(bytes: 300_000, needle: "Yeoncheon", every: 50)
        let document = Document(text: text, path: "giant.txt")
        let paragraph = try #require(document.paragraph(0))
        let windows = AppState.matchWindows(of: paragraph, in: document)
        #expect(windows.count >= 4, "a 300 kB paragraph is searched in several windows")
        #expect(windows.first?.codePoints.lowerBound == 0 && windows.last?.codePoints.upperBound == document.length)
        for (before, after) in zip(windows, windows.dropFirst()) {
            #expect(before.codePoints.upperBound == after.codePoints.lowerBound && before.bytes.upperBound == after.bytes.lowerBound)
        }
        let found = AppState.matchRanges(of: needle, inParagraph: 0, of: document)
        let expected = Self.wholeMatches(of: needle, in: text)
        #expect(!expected.isEmpty)
        #expect(found == expected, "\(needle): \(found.count) found, \(expected.count) expected")
    }

    @Test("the words on both sides of every cut between windows are found as one match, across the cut")
    func matchAcrossEveryCut() throws {
        let text = Self.paragraph(bytes: 300_000, needle: "Yeoncheon", every: 50)
        let document = Document(text: text, path: "giant.txt")
        let windows = AppState.matchWindows(of: try #require(document.paragraph(0)), in: document)
        for window in windows.dropLast() {
            let cut = window.codePoints.upperBound
            let before = document.text(in: (cut - 40)..<cut).split(separator: " ").last.map(String.init) ?? ""
            let after = document.text(in: cut..<(cut + 40)).split(separator: " ").first.map(String.init) ?? ""
            let needle = (before + " " + after).uppercased()
            let matches = AppState.matchRanges(of: needle, inParagraph: 0, of: document)
            #expect(matches.contains { $0.lowerBound < cut && $0.upperBound > cut }, "\(needle) across the cut at \(cut)")
            #expect(matches == Self.wholeMatches(of: needle, in: text))
        }
    }

    @Test("a word in every fourth sentence of a 4 MB paragraph: the search stops between windows and finds the next match")
    func manyMatchesInAGiantParagraph() throws {
        let text = Self.paragraph(bytes: 4_000_000, needle: "Yeoncheon", every: 4)
        let document = Document(text: text, path: "giant.txt")
        var state = AppState(document: document, codebook: Fixture.codebook, width: 80, height: 24, author: "t")
        _ = state.handle(.resize(width: 80, height: 24))
        _ = state.handle(key: .character("/"))
        for character in "yeoncheon" { _ = state.handle(key: .character(character)) }
        _ = state.handle(key: .enter)
        while state.continueSearch(forSeconds: 1) {}
        let first = try #require(state.searchMatch)
        #expect(document.text(in: first).lowercased() == "yeoncheon")
        _ = state.handle(key: .character("n"))
        while state.continueSearch(forSeconds: 1) {}
        let second = try #require(state.searchMatch)
        #expect(second.lowerBound > first.upperBound)
        #expect(document.text(in: second).lowercased() == "yeoncheon")
    }

    @Test("a word only at the end of a 2 MB paragraph: each slice of the search ends after a window, and a key stops it")
    func searchStopsBetweenWindows() throws {
        let text = Self.paragraph(bytes: 2_000_000, needle: "Yeoncheon", every: 1_000_000) + " Ζ Yeoncheon."
        let document = Document(text: text, path: "giant.txt")
        var state = AppState(document: document, codebook: Fixture.codebook, width: 80, height: 24, author: "t")
        _ = state.handle(.resize(width: 80, height: 24))
        // a text outside ASCII: the Unicode-aware matcher reads every window
        state.search(for: "ζ yeoncheon", forward: true)
        var slices = 1
        while state.continueSearch(forSeconds: 0) { slices += 1 }
        #expect(slices > 10, "one window per slice at most when the slice's time is up, not the whole paragraph")
        let match = try #require(state.searchMatch)
        #expect(document.text(in: match) == "Ζ Yeoncheon")

        // and a key between slices stops it
        _ = state.handle(key: .character("g"))
        state.search(for: "ζ yeoncheon", forward: true)
        #expect(state.searchJob != nil)
        _ = state.handle(key: .escape)
        #expect(state.searchJob == nil)
    }
    /// The breaks between two words that search reads as a space or, after a hyphen, as
    /// nothing: each with the text that finds it and what it matches.
    static let breaks: [(between: String, query: String)] = [
        ("-\n", "sharp-edged"), ("-\r\n", "sharp-edged"), ("- \t\n  ", "sharp-edged"), ("-\r", "sharp-edged"),
        (" \n", "sharp edged"), ("\r\n", "sharp edged"), ("\t", "sharp edged"), ("\u{A0}", "sharp edged"),
        (" \t \n\t", "sharp edged"), ("\u{3000}", "sharp edged"), ("- ", "sharp- edged"),
    ]

    /// A paragraph of more than two windows of ASCII lines, with `sharp` + `between` +
    /// `edged` placed so that `between` starts at byte (and code point) `offset`.
    static func paragraph(breakingAt offset: Int, between: String) -> String {
        let lines = String(repeating: "alpha beta gamma delta alpha beta gamma delta\n", count: 1 + offset / 46)
        let before = String(lines.prefix(offset - "sharp".count - 1)) + " sharp"
        return before + between + "edged knife." + String(repeating: " alpha beta gamma\n delta", count: 3_000) + " The end."
    }

    @Test("a word broken at a line break, a tab or a no-break space is found where the window cut falls near, at or inside the break",
          arguments: Self.breaks.indices)
    func breakAtEveryCut(breakIndex: Int) throws {
        let (between, query) = Self.breaks[breakIndex]
        let cut = AppState.matchWindowBytes
        var cutAtOrInBreak = 0, cutBeforeBreak = 0, cutAfterBreak = 0
        // the first cut after "edged", at every byte of the break, in "sharp", after the
        // space before "sharp" and before it
        let length = between.utf8.count
        for offset in [cut - length - 3] + Array((cut - length + 1)...(cut + 1)) + [cut + 5, cut + 6, cut + 9] {
            let text = Self.paragraph(breakingAt: offset, between: between)
            let document = Document(text: text, path: "giant.txt")
            #expect(document.paragraphCount == 1)
            let paragraph = try #require(document.paragraph(0))
            let windows = AppState.matchWindows(of: paragraph, in: document)
            #expect(windows.count > 1)
            // the break's code points: `offset` on, ASCII before it
            let start = offset - "sharp".count, breakEnd = offset + between.unicodeScalars.count
            #expect(document.text(in: start..<(breakEnd + 5)) == "sharp" + between + "edged")
            let firstCut = windows[0].codePoints.upperBound
            if firstCut >= offset && firstCut <= breakEnd { cutAtOrInBreak += 1 } else if firstCut <= start { cutBeforeBreak += 1 } else { cutAfterBreak += 1 }
            // no window starts inside the break: runs of blanks are read whole
            #expect(!windows.contains { $0.codePoints.lowerBound > offset && $0.codePoints.lowerBound < breakEnd })
            let found = AppState.matchRanges(of: query, inParagraph: 0, of: document)
            #expect(found == [start..<(breakEnd + 5)], "\(query.debugDescription) across \(between.debugDescription) at \(offset)")
            // the word after the break once, where it is
            #expect(AppState.matchRanges(of: "edged", inParagraph: 0, of: document) == [breakEnd..<(breakEnd + 5)])
            // as a small paragraph of the same text finds it
            let small = Document(text: document.text(in: (start - 100)..<(breakEnd + 100)), path: "small.txt")
            #expect(AppState.matchRanges(of: query, inParagraph: 0, of: small) == [100..<(breakEnd + 105 - start)])
        }
        #expect(cutAtOrInBreak > 0 && cutBeforeBreak > 0 && cutAfterBreak > 0,
                "the first cut falls at or inside the break, before it and after it: \(cutAtOrInBreak), \(cutBeforeBreak), \(cutAfterBreak)")
    }

    @Test("a 1 MB paragraph of lines: / finds a word broken at a hyphen at a line end, joined, as in a small file")
    func hyphenBreakInGiantParagraphByReader() throws {
        var lines: [String] = []
        for number in 0..<16_000 { lines.append("alpha beta gamma delta alpha beta gamma delta alpha beta " + (number == 12_000 ? "sharp-" : "gamma")) }
        let text = lines.joined(separator: "\n").replacingOccurrences(of: "sharp-\nalpha", with: "sharp-\nedged")
        let document = Document(text: text, path: "giant.txt")
        #expect(document.paragraphCount == 1)
        let state = AppState.searched(document, for: "sharp-edged")
        let match = try #require(state.searchMatch)
        #expect(document.text(in: match) == "sharp-\nedged")
        #expect(state.message == "/sharp-edged")
        let small = Document(text: "It was a sharp-\nedged knife.", path: "small.txt")
        #expect(AppState.matchRanges(of: "sharp-edged", inParagraph: 0, of: small).map { small.text(in: $0) } == ["sharp-\nedged"])
    }
}
