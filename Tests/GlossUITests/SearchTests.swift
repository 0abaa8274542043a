import Foundation
import Testing
@testable import GlossUI
import GlossCore

@Suite struct SearchTests {
    func text(_ state: AppState) -> String? {
        state.focusRange.map { state.document.text(in: $0) }
    }

    @Test("/ finds the next sentence with the text, ignoring case; n and N repeat it")
    func searchAndRepeat() throws {
        var state = try Fixture.seedState()
        _ = state.press(.character("/"))
        #expect(state.mode == .prompt)
        _ = state.type("isil")
        _ = state.press(.enter)
        #expect(state.mode == .reading)
        #expect(text(state) == Seed.voronkov)
        _ = state.press(.character("n"))
        #expect(text(state) == Seed.defeat)
        _ = state.press(.character("N"))
        #expect(text(state) == Seed.voronkov)
    }

    @Test("a search past the last match wraps around and says so")
    func wraps() throws {
        var state = try Fixture.seedState()
        _ = state.press(.character("/"))
        _ = state.type("ISIL")
        _ = state.press(.enter)
        _ = state.press(.character("n"))
        _ = state.press(.character("n"))
        #expect(text(state) == Seed.voronkov)
        #expect(state.message?.contains("wrapped") == true)
    }

    @Test("a text that is not there leaves the focus and says not found")
    func notFound() throws {
        var state = try Fixture.seedState()
        _ = state.press(.character("j"))
        _ = state.press(.character("/"))
        _ = state.type("Interpol")
        _ = state.press(.enter)
        #expect(text(state) == Seed.topOfficials)
        #expect(state.message == "Not found: Interpol")
    }

    @Test("n before any search says how to search")
    func repeatWithoutSearch() throws {
        var state = try Fixture.seedState()
        _ = state.press(.character("n"))
        #expect(state.message == "No search yet: / searches")
        #expect(text(state) == Seed.title)
    }
}

@Suite struct PromptEditingTests {
    @Test("combining marks, emoji modifiers and flags typed into a prompt join their base without a crash",
          arguments: ["e\u{301}", "بَ", "ก่", "हि", "👍🏽", "🇺🇸", "👨‍👩‍👧"])
    func joiningCharacters(text: String) throws {
        var state = try Fixture.seedState()
        _ = state.press(.character("j"), .character("t"))
        for scalar in text.unicodeScalars { _ = state.press(.character(Character(scalar))) }
        _ = state.press(.character("x"), .left, .character("y"), .backspace)
        #expect(state.prompt?.text == text + "x")
        _ = state.press(.enter)
        #expect(state.annotations.first?.tags.first?.value == text + "x")
    }

    @Test("a value typed in other letter case is stored as the codebook spells it")
    func canonicalValue() throws {
        var state = try Fixture.seedState()
        let value = try #require(Fixture.codebook.category(id: "actor")?.allValues.first?.value)
        _ = state.press(.character("j"), .character("a"))
        _ = state.type(value.uppercased())
        _ = state.press(.enter)
        #expect(state.annotations.first?.tags.first?.value == value)
    }

    @Test("while the terminal is too small, keys other than q do nothing")
    func tooSmall() throws {
        var state = try Fixture.seedState()
        _ = state.handle(.resize(width: 10, height: 3))
        #expect(state.handle(key: .character("a")).isEmpty)
        #expect(state.handle(key: .character("x")).isEmpty)
        #expect(state.mode == .reading)
        #expect(state.handle(key: .character("q")) == [.quit])
    }
}

@Suite struct CanonicalSearchTests {
    @Test("search finds canonically equivalent text: precomposed é matches e + combining acute, both ways")
    func canonicalEquivalence() {
        let text = "Title\n\nFirst sentence here. The cafe\u{301} was closed. Then the caf\u{E9} opened."
        var state = AppState(document: Document(text: text), codebook: Fixture.codebook, width: 80, height: 24)
        _ = state.press(.character("/"))
        _ = state.type("caf\u{E9}")
        _ = state.press(.enter)
        #expect(state.focusRange.map { state.document.text(in: $0) } == "The cafe\u{301} was closed.")
        _ = state.press(.character("n"))
        #expect(state.focusRange.map { state.document.text(in: $0) } == "Then the caf\u{E9} opened.")
        // the stored text is never normalised
        #expect(state.document.text.unicodeScalars.elementsEqual(text.unicodeScalars))
    }
}

@Suite struct WordMotionTests {
    func selected(_ state: AppState) -> String? {
        state.selection.map { state.document.text(in: $0.range) }
    }

    @Test("w and b step over whole words in Latin, Cyrillic and Arabic, and over single characters in Chinese")
    func wordsInScripts() {
        for (text, afterB, afterOW) in [
            ("Title\n\nAlpha beta gamma.", "Alpha beta gamma", "beta gamma."),
            ("Title\n\nПривет мир дружба.", "Привет мир дружба", "мир дружба."),
            ("Title\n\nمرحبا بالعالم الجميل.", "مرحبا بالعالم الجميل", "بالعالم الجميل."),
            ("Title\n\n联合国反恐办公室。", "联合国反恐办公室", "合国反恐办公室。"),
        ] {
            var state = AppState(document: Document(text: text), codebook: Fixture.codebook, width: 80, height: 24)
            _ = state.press(.character("j"), .character("v"), .character("b"))
            #expect(selected(state) == afterB, "b in \(text)")
            _ = state.press(.escape, .character("v"), .character("o"), .character("w"))
            #expect(selected(state) == afterOW, "o w in \(text)")
        }
    }
}

@Suite struct SearchMatchingTests {
    @Test("the byte-wise pass for ASCII never hides a match Foundation's case-insensitive search finds", arguments: ["the", "PIERRE", "an", "e", "Count Rostóv", "ß", "rostov", "ss", "fi", "kelvin", "xylophone"])
    func asciiSearchAgreesWithFoundation(needle: String) throws {
        let document = try Document(contentsOfFile: Fixture.corpus.appendingPathComponent("large/war-and-peace-pg2600.txt").path)
        for index in 0..<400 {
            let body = document.text(ofParagraph: index)
            let start = try #require(document.paragraph(index)).range.lowerBound
            var expected: [Int] = []
            var searchRange = body.startIndex..<body.endIndex
            while let match = body.range(of: needle, options: [.caseInsensitive], range: searchRange) {
                expected.append(start + body.unicodeScalars.distance(from: body.startIndex, to: match.lowerBound))
                searchRange = match.upperBound..<body.endIndex
            }
            #expect(AppState.matches(of: needle, inParagraph: index, of: document) == expected, "paragraph \(index)")
        }
    }

    @Test("ASCII text matches through letters that fold or decompose to ASCII", arguments: [
        ("strasse", "Die Straße ist breit."), ("official", "The oﬃcial line."), ("5 k", "At 5 \u{212A} it froze."), ("long s", "the Congreſs met"),
    ])
    func lookalikes(needle: String, text: String) throws {
        let document = Document(text: text)
        var expected: [Int] = []
        var searchRange = text.startIndex..<text.endIndex
        while let match = text.range(of: needle, options: [.caseInsensitive], range: searchRange) {
            expected.append(text.unicodeScalars.distance(from: text.startIndex, to: match.lowerBound))
            searchRange = match.upperBound..<text.endIndex
        }
        #expect(AppState.matches(of: needle, inParagraph: 0, of: document) == expected)
    }
}

@Suite struct RunningSearchTests {
    @Test("a key pressed while a search runs stops it and does nothing else")
    func keyStopsSearch() throws {
        var state = try Fixture.seedState()
        state.press(.character("j"), .character("a"))
        state.type("ISIL")
        state.press(.enter)
        #expect(state.annotations.count == 1)
        let range = try #require(state.focusRange)
        state.searchJob = SearchJob(text: "xylophone", forward: true, startParagraph: 0, focusRange: range, step: 1, count: 10)
        let effects = state.handle(key: .character("x"))
        #expect(effects.isEmpty)
        #expect(state.searchJob == nil)
        #expect(state.annotations.count == 1)
        #expect(state.message == "Search for xylophone stopped")
    }
}

/// The match of a search is marked in its sentence, and `v` right after selects it.
@Suite struct SearchMatchTests {
    @Test("/ISIL marks the match, not only its sentence; v then a tag key tags the match")
    func matchIsMarkedAndSelectable() throws {
        var state = try Fixture.seedState(width: 120, height: 40)
        state.press(.character("/"))
        state.type("isil")
        state.press(.enter)
        let match = try #require(state.searchMatch)
        #expect(state.document.text(in: match) == "ISIL")
        let screen = Renderer.render(state)
        let marked = screen.cells.filter { $0.style.bold && $0.style.underline && !$0.style.reverse }.map(\.text).joined()
        #expect(marked == "ISIL")
        state.press(.character("v"))
        #expect(state.selection?.range == match)
        state.press(.character("a"), .enter)
        #expect(state.annotations.first?.quote == "ISIL")
    }

    @Test("after a move, v selects the sentence again")
    func moveDropsTheMatch() throws {
        var state = try Fixture.seedState()
        state.press(.character("/"))
        state.type("isil")
        state.press(.enter, .character("j"), .character("k"))
        #expect(state.searchMatch == nil)
        state.press(.character("v"))
        #expect(state.selection?.range == state.focusRange)
    }
}

/// Search finds text that ends inside a grapheme cluster, code point by code point.
@Suite struct ScalarSearchTests {
    @Test("हिन finds हिन्दी; वाक finds वाक्य; v selects the whole clusters")
    func devanagariPrefixes() throws {
        let document = Document(text: "Title\n\nयह हिन्दी है। एक वाक्य है।\n", path: "hi.txt")
        #expect(AppState.matchRanges(of: "हिन", inParagraph: 1, of: document).count == 1)
        #expect(AppState.matchRanges(of: "वाक", inParagraph: 1, of: document).count == 1)
        var state = AppState(document: document, codebook: Fixture.codebook, width: 80, height: 24, author: "t")
        _ = state.handle(.resize(width: 80, height: 24))
        state.press(.character("/"))
        state.type("हिन")
        state.press(.enter, .character("v"))
        let selected = try #require(state.selection?.range)
        #expect(document.text(in: selected).unicodeScalars.starts(with: "हिन".unicodeScalars))
        let boundaries = Set(GraphemeClassTests.characterBoundaries(document.text(in: 0..<document.length)))
        #expect(boundaries.contains(selected.lowerBound) && boundaries.contains(selected.upperBound))
    }

    @Test("the scalar search folds case and canonical equivalence, and finds nothing where there is nothing")
    func scalarMatches() {
        #expect(AppState.scalarMatches(of: "CAFÉ", in: "un cafe\u{301} noir") == [3..<8])
        #expect(AppState.scalarMatches(of: "cafe", in: "un café noir") == [], "a precomposed é is not an e")
        #expect(AppState.scalarMatches(of: "cafe", in: "un cafe\u{301} noir") == [], "nor is e with a combining accent")
        #expect(AppState.scalarMatches(of: "xyz", in: "abc") == [])
        #expect(AppState.scalarMatches(of: "aa", in: "aaaa") == [0..<2, 2..<4])
    }
}
