import Foundation
import Testing
@testable import GlossUI
import GlossCore

/// Tag keys act where the user's attention is: on the annotation just jumped to or
/// highlighted in the list, else on the focused sentence or the selection; Enter in the
/// tag prompt takes the highlighted completion, Ctrl-J what was typed.
@Suite struct TaggingIntentTests {
    /// The seed article with a one-word actor annotation made with `v` and `b`s inside the
    /// second paragraph's first sentence; the focus is back on the title.
    static func stateWithSpan() throws -> (AppState, Annotation) {
        var state = try Fixture.seedState()
        state.press(.character("j"), .character("v"))
        for _ in 0..<3 { state.press(.character("b")) }
        state.press(.character("a"))
        state.type("ISIL")
        state.press(.enter)
        let annotation = try #require(state.annotations.first)
        #expect(annotation.range != state.focusRange, "the span is smaller than its sentence")
        state.press(.character("g"))
        return (state, annotation)
    }

    @Test("after ] a tag key adds the tag to the annotation jumped to")
    func tagAfterJump() throws {
        var (state, annotation) = try Self.stateWithSpan()
        state.press(.character("]"))
        #expect(state.currentAnnotationID == annotation.id)
        state.press(.character("t"))
        #expect(state.prompt?.label.contains("adding to") == true)
        state.type("incitement")
        state.press(.enter)
        #expect(state.annotations.count == 1)
        #expect(state.annotations.first?.tags == [Tag(category: "actor", value: "ISIL"), Tag(category: "threat", value: "incitement")])
        #expect(state.annotations.first?.range == annotation.range)
    }

    @Test("after [ a tag key adds to that annotation too")
    func tagAfterJumpBack() throws {
        var (state, annotation) = try Self.stateWithSpan()
        state.press(.character("G"), .character("["))
        #expect(state.currentAnnotationID == annotation.id)
        state.press(.character("c"))
        state.type("information sharing")
        state.press(.enter)
        #expect(state.annotations.count == 1)
        #expect(state.annotations.first?.tags.map(\.category) == ["actor", "cooperation-measure"])
    }

    @Test("on a plain focused sentence that holds a smaller annotation, a tag key makes a new annotation on the sentence")
    func tagPlainSentence() throws {
        var (state, annotation) = try Self.stateWithSpan()
        state.press(.character("j"))
        let sentence = try #require(state.focusRange)
        #expect(state.currentAnnotationID == annotation.id, "m and x still act on the annotation here")
        state.press(.character("t"))
        #expect(state.prompt?.label.contains("adding to") == false)
        state.type("incitement")
        state.press(.enter)
        #expect(state.annotations.count == 2)
        #expect(state.annotations.contains { $0.range == sentence && $0.tags == [Tag(category: "threat", value: "incitement")] })
        #expect(state.annotations.contains { $0.id == annotation.id && $0.tags == annotation.tags })
    }

    @Test("moving on after a jump makes tag keys tag the sentence again")
    func jumpThenMove() throws {
        var (state, annotation) = try Self.stateWithSpan()
        state.press(.character("]"), .character("j"), .character("k"))
        state.press(.character("c"), .enter)
        #expect(state.annotations.count == 2)
        #expect(state.annotations.first { $0.id == annotation.id }?.tags == annotation.tags)
    }

    @Test("Enter takes the highlighted completion: ext + Enter is violent extremism")
    func enterTakesCompletion() throws {
        var state = try Fixture.seedState()
        state.press(.character("j"), .character("t"))
        state.type("ext")
        #expect(state.prompt?.highlightedMatch == 0)
        #expect(state.prompt?.matches.first == "violent extremism")
        state.press(.enter)
        #expect(state.annotations.first?.tags == [Tag(category: "threat", value: "violent extremism")])
    }

    @Test("Tab cycles and Enter takes the one Tab reached")
    func tabThenEnter() throws {
        var state = try Fixture.seedState()
        state.press(.character("j"), .character("a"))
        state.type("I")
        state.press(.tab, .tab)
        let second = try #require(state.prompt?.matches[1])
        state.press(.enter)
        #expect(state.annotations.first?.tags == [Tag(category: "actor", value: second)])
    }

    @Test("Ctrl-J stores exactly what was typed while a completion is shown")
    func controlJKeepsTypedText() throws {
        var state = try Fixture.seedState()
        state.press(.character("j"), .character("t"))
        state.type("ext")
        #expect(state.prompt?.highlightedMatch != nil)
        state.press(.control("j"))
        #expect(state.annotations.first?.tags == [Tag(category: "threat", value: "ext")])
    }

    @Test("Ctrl-J keeps an alias or another letter case as typed; Enter takes the codebook's value",
          arguments: [("Daesh", "ISIL"), ("interpol", "Interpol")])
    func controlJKeepsAliases(typed: String, codebookValue: String) throws {
        var state = try Fixture.seedState()
        state.press(.character("j"), .character("a"))
        state.type(typed)
        state.press(.control("j"))
        #expect(state.annotations.first?.tags == [Tag(category: "actor", value: typed)])
        state.press(.character("j"), .character("a"))
        state.type(typed)
        state.press(.enter)
        #expect(state.annotations.last?.tags == [Tag(category: "actor", value: codebookValue)])
    }

    @Test("a value that matches nothing is taken as new, with the hint")
    func unmatchedValueIsNew() throws {
        var state = try Fixture.seedState()
        state.press(.character("j"), .character("a"))
        state.type("Boko Haram")
        #expect(state.prompt?.highlightedMatch == nil)
        #expect(Renderer.render(state).lines[22].contains("new value; Enter accepts"))
        state.press(.enter)
        #expect(state.annotations.first?.tags == [Tag(category: "actor", value: "Boko Haram")])
    }

    @Test("an empty value is still allowed: nothing typed, nothing highlighted")
    func emptyValue() throws {
        var state = try Fixture.seedState()
        state.press(.character("j"), .character("a"))
        #expect(state.prompt?.highlightedMatch == nil)
        state.press(.enter)
        #expect(state.annotations.first?.tags == [Tag(category: "actor", value: "")])
    }

    @Test("an alias typed in full takes its value, not the first match")
    func aliasTakesItsValue() throws {
        var state = try Fixture.seedState()
        state.press(.character("j"), .character("a"))
        state.type("daesh")
        state.press(.enter)
        #expect(state.annotations.first?.tags == [Tag(category: "actor", value: "ISIL")])
    }

    @Test("Ctrl-J outside a prompt is Enter (a terminal that sends a line feed for Enter)")
    func controlJIsEnterElsewhere() throws {
        var (state, annotation) = try Self.stateWithSpan()
        state.press(.tab)
        #expect(state.mode == .list)
        state.press(.control("j"))
        #expect(state.mode == .detail, "as Enter, it opens the entry's detail")
        #expect(state.currentAnnotationID == annotation.id)
    }
}

/// The status line counts tags, by category label.
@Suite struct StatusCountTests {
    @Test("three cooperation tags on two annotations count as three, under the category's label")
    func countsTagsByLabel() throws {
        var state = try Fixture.seedState(width: 120, height: 40)
        state.press(.character("j"), .character("c"))
        state.type("international conference")
        state.press(.enter, .character("c"))
        state.type("information sharing")
        state.press(.enter, .character("j"), .character("c"))
        state.type("public-private partnership")
        state.press(.enter)
        #expect(state.annotations.count == 2)
        #expect(state.message == "Tagged Cooperation measure: public-private partnership")
        state.press(.character("k"))
        let status = Renderer.render(state).lines[39]
        #expect(status.contains("Actor 0 · Threat 0 · Cooperation measure 3"), "\(status)")
    }
}

/// A count before a motion repeats it, as in vim and less.
@Suite struct CountPrefixTests {
    @Test("3j moves three sentences; 12 shows in the status line until the command")
    func countedSentences() throws {
        var state = try Fixture.seedState(width: 120, height: 40)
        var expected = state
        expected.press(.character("j"), .character("j"), .character("j"))
        state.press(.character("3"), .character("j"))
        #expect(state.focus == expected.focus && state.pendingCount == nil)
        state.press(.character("1"), .character("0"))
        #expect(state.pendingCount == 10)
        #expect(Renderer.render(state).lines[39].contains("%  10  "))
        // ten sentences back from the fourth stops at the first
        state.press(.character("k"))
        #expect(state.focus == SentencePosition(paragraph: 0, sentence: 0))
    }

    @Test("a count past the document's end stops there: 9999} lands on the last sentence, 9999{ on the first, as G and g do")
    func countPastTheEnd() throws {
        var state = try Fixture.seedState(width: 120, height: 40)
        var expected = state
        expected.press(.character("}"), .character("}"), .character("}"))
        state.press(.character("3"), .character("}"))
        #expect(state.focus == expected.focus)
        var last = state
        last.press(.character("G"))
        _ = state.type("9999}")
        #expect(state.focus == last.focus && state.pendingCount == nil)
        _ = state.type("9999{")
        #expect(state.focus == SentencePosition(paragraph: 0, sentence: 0))
    }

    @Test("2w in a selection moves its end two words; a count does not repeat a tag")
    func countedWordsAndTags() throws {
        var state = try Fixture.seedState()
        state.press(.character("j"), .character("v"), .character("o"))
        var expected = state
        expected.press(.character("w"), .character("w"))
        state.press(.character("2"), .character("w"))
        #expect(state.selection == expected.selection)
        state.press(.character("3"), .character("a"))
        #expect(state.mode == .prompt)
        state.press(.enter)
        #expect(state.annotations.count == 1)
    }

    @Test("a key that is no command drops the count")
    func unboundKeyDropsCount() throws {
        var state = try Fixture.seedState()
        let start = state.focus
        state.press(.character("5"), .escape, .character("j"))
        #expect(state.pendingCount == nil)
        var one = try Fixture.seedState()
        one.press(.character("j"))
        #expect(state.focus == one.focus && state.focus != start)
    }
}

/// `*` gives every other occurrence of an annotation's quote the same tags, as one step.
@Suite struct TagOccurrencesTests {
    static let text = "Title\n\nISIL attacked. Later isil retreated. The ISIL\u{0301}x name differs. Then ISIL spoke. ISILs and PREISIL are other words.\n"

    @Test("* on an annotation finds the other occurrences, asks, tags them all; u undoes them all")
    func tagsEveryOccurrence() throws {
        let document = Document(text: Self.text, path: "isil.txt")
        var state = AppState(document: document, codebook: Fixture.codebook, width: 100, height: 30, author: "tester")
        _ = state.handle(.resize(width: 100, height: 30))
        state.press(.character("j"), .character("v"), .character("b"), .character("b"))
        #expect(state.selection.map { state.document.text(in: $0.range) } == "ISIL")
        state.press(.character("a"))
        state.type("ISIL")
        state.press(.enter)
        #expect(state.annotations.map(\.quote) == ["ISIL"])
        state.press(.character("*"))
        // "isil" in other case counts; "ISIL" inside the cluster "L\u{0301}" does not, nor
        // inside the words "ISILs" and "PREISIL"
        #expect(state.prompt?.label.contains("Tag 2 other occurrences") == true, "\(state.prompt?.label ?? "no prompt")")
        state.press(.character("y"))
        #expect(state.annotations.count == 3)
        #expect(state.annotations.allSatisfy { $0.tags == [Tag(category: "actor", value: "ISIL")] })
        #expect(Set(state.annotations.map(\.quote)) == ["ISIL", "isil"])
        state.press(.character("u"))
        #expect(state.annotations.count == 1)
        state.press(.character("*"), .character("n"))
        #expect(state.annotations.count == 1 && state.message == "Nothing tagged")
    }

    @Test("* with no annotation here says what to do")
    func nothingHere() throws {
        var state = try Fixture.seedState()
        state.press(.character("*"))
        #expect(state.prompt == nil && state.message?.contains("tag a span first") == true)
    }
}

/// `f` filters the list, the highlights and `]` `[`; `F` clears the filter.
@Suite struct FilterTests {
    /// The seed article with three annotations: actor ISIL, threat with a note, actor UNOCT.
    static func tagged() throws -> AppState {
        var state = try Fixture.seedState(width: 120, height: 40)
        state.press(.character("j"), .character("a"))
        state.type("ISIL")
        state.press(.enter, .character("j"), .character("t"))
        state.type("incitement")
        state.press(.enter, .character("m"))
        state.type("says who funds them")
        state.press(.control("s"), .character("j"), .character("a"))
        state.type("UNOCT")
        state.press(.enter)
        return state
    }

    @Test("f actor=ISIL lists and highlights one annotation; ] skips the others; F shows all again")
    func filterByValue() throws {
        var state = try Self.tagged()
        #expect(state.annotations.count == 3)
        state.press(.character("f"))
        state.type("actor=isil")
        state.press(.enter)
        #expect(state.filter == AnnotationFilter(category: "actor", value: "ISIL"))
        #expect(state.listEntryCount == 1)
        #expect(state.message?.hasPrefix("Filter actor=ISIL: 1 of 3") == true)
        state.press(.character("g"))
        let screen = Renderer.render(state)
        #expect(screen.lines[39].contains("FILTER actor=ISIL"))
        #expect(screen.lines.contains { $0.contains("Annotations (3)") })
        let coloured = Set(screen.cells.filter { $0.style.foreground != .default && !$0.style.reverse }.map(\.style.foreground))
        #expect(coloured == [.cyan], "only the actor annotation is highlighted: \(coloured)")
        state.press(.character("g"), .character("]"))
        #expect(state.annotation(id: state.currentAnnotationID ?? "")?.tags.first?.value == "ISIL")
        state.press(.character("]"))
        #expect(state.message == "No annotation after this one")
        state.press(.character("F"))
        #expect(state.filter == nil && state.listEntryCount == 3)
    }

    @Test("a category alone, a label, =value and words of notes")
    func filterForms() throws {
        var state = try Self.tagged()
        for (typed, count) in [("threat", 1), ("Actor", 2), ("=unoct", 1), ("who funds", 1), ("nothing like it", 0)] {
            state.press(.character("f"), .control("u"))
            state.type(typed)
            state.press(.enter)
            #expect(state.listEntryCount == count, "\(typed)")
        }
    }
}

/// Nested values and values spelled like another value's alias, in filters and prompts.
@Suite struct NestedValueFilterTests {
    static let codebook = Codebook(name: "Nested", categories: [
        Category(id: "actor", label: "Actor", key: "a", color: "cyan", description: "",
                 values: [CodebookValue(value: "state", aliases: ["country"], values: [
                              CodebookValue(value: "Syria", values: [CodebookValue(value: "Idlib")]), CodebookValue(value: "Turkey")]),
                          CodebookValue(value: "ISIL", aliases: ["ISIS"]), CodebookValue(value: "isis")]),
    ])

    @Test("actor=state (or its alias) passes tags of values nested under it, at any depth, and no others")
    func parentValueFindsNarrower() {
        func annotation(_ value: String) -> Annotation {
            Annotation(id: value, start: 0, end: 1, quote: "x", prefix: "", suffix: "",
                       tags: [GlossCore.Tag(category: "actor", value: value)], note: "", author: "", created: "", modified: "")
        }
        for text in ["actor=state", "actor=country", "=state"] {
            let filter = AnnotationFilter.parse(text, codebook: Self.codebook)
            #expect(["state", "Syria", "Idlib", "Turkey"].allSatisfy { filter?.matches(annotation($0)) == true }, "\(text)")
            #expect(filter?.matches(annotation("ISIL")) == false, "\(text)")
        }
        let syria = AnnotationFilter.parse("actor=Syria", codebook: Self.codebook)
        #expect(syria?.matches(annotation("Idlib")) == true && syria?.matches(annotation("Turkey")) == false)
    }

    @Test("a value spelled as typed wins over another value's alias spelled so, in the filter and the tag prompt")
    func exactValueBeatsAlias() throws {
        #expect(AnnotationFilter.parse("=isis", codebook: Self.codebook)?.value == "isis")
        #expect(AnnotationFilter.parse("=ISIS", codebook: Self.codebook)?.value == "isis")
        #expect(AnnotationFilter.parse("=daesh", codebook: Self.codebook)?.value == "daesh")
        var state = AppState(document: Document(text: "Title\n\nISIL spoke.\n", path: "t.txt"), codebook: Self.codebook,
                             width: 100, height: 30, author: "tester")
        _ = state.handle(.resize(width: 100, height: 30))
        state.press(.character("j"), .character("a"))
        state.type("isis")
        state.press(.enter)
        #expect(state.annotations.first?.tags == [GlossCore.Tag(category: "actor", value: "isis")])
    }
}
