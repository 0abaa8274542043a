import Foundation
import Testing
@testable import GlossUI
import GlossCore

/// Sentences of the seed article the tests look for.
enum Seed {
    static let title = "Global Conference of National Counter-terrorism Chiefs Could Improve Cooperation"
    static let topOfficials = "Top officials of the United Nations who heads the Office of Counter Terrorism have claimed that the individuals leading the fight from a local to an international level would be provided the opportunity to show unity and speak with a professional voice."
    static let voronkov = "Vladimir Voronkov, Under-Secretary-General of the Office of Counter-Terrorism mentioned that defending terrorism groups like the ISIL must involve the level of local communities, state and international cooperation."
    static let onlyBy = "Only by following this kind of approach, the results can be comprehensive."
    static let nextConference = "The next High- Level Conference on Counter-Terrorism is scheduled to take place on Thursday and the meeting would focus on improving the cooperation in order to combat the evolving threat of terrorism which is engulfing the world."
    static let experts = "The experts and civil society representatives would be attending the meeting."
    static let defeat = "He mentioned that after the defeat of ISIL, the development of resilient society and resilient state is the primary task for counter-terrorism activities."
    static let privateSector = "The Under-Secretary-General stated that by cooperating with the private sector, especially the global internet based companies like Google and Facebook is very important."
    static let memberStates = "The different member states would be organizing sessions on financing counter terrorism and prevention of violent extremism and incitement."
    static let lastSentence = "Required fields are marked *"
}

/// True when the first row of the focused sentence is one of the text pane's rows.
func focusIsVisible(_ state: AppState) -> Bool {
    guard let range = state.focusRange else { return false }
    let first = state.row(of: range.lowerBound)
    var row = state.top
    for _ in 0..<state.textRows {
        if row == first { return true }
        guard let next = state.nextRow(row) else { break }
        row = next
    }
    return false
}

/// True when the rendered text pane shows reverse-video (focus highlight) cells.
func textPaneShowsHighlight(_ state: AppState) -> Bool {
    let buffer = Renderer.render(state)
    let pane = state.geometry.text
    for row in pane.row..<(pane.row + pane.height) {
        for column in pane.column..<(pane.column + pane.width) where buffer[row, column].style.reverse {
            return true
        }
    }
    return false
}

@Suite("Moving through the seed article")
struct MovementTests {
    @Test("the reader opens on the title")
    func opensOnTitle() throws {
        let state = try Fixture.seedState()
        #expect(state.mode == .reading)
        #expect(state.focus == SentencePosition(paragraph: 0, sentence: 0))
        #expect(state.focusText == Seed.title)
    }

    @Test("j from the start focuses the second sentence, Top officials … professional voice.")
    func jFromStart() throws {
        var state = try Fixture.seedState()
        #expect(state.press(.character("j")) == [])
        #expect(state.focusText == Seed.topOfficials)
        #expect(state.focus == SentencePosition(paragraph: 1, sentence: 0))
    }

    @Test("j and k step through sentences, across paragraphs")
    func jAndK() throws {
        var state = try Fixture.seedState()
        let expected = [Seed.topOfficials, Seed.voronkov, Seed.onlyBy, Seed.nextConference, Seed.experts]
        for sentence in expected {
            state.press(.character("j"))
            #expect(state.focusText == sentence)
        }
        for sentence in expected.reversed().dropFirst() {
            state.press(.character("k"))
            #expect(state.focusText == sentence)
        }
        state.press(.character("k"))
        #expect(state.focusText == Seed.title)
    }

    @Test("the arrow keys move like j and k")
    func arrows() throws {
        var state = try Fixture.seedState()
        state.press(.down, .down)
        #expect(state.focusText == Seed.voronkov)
        state.press(.up)
        #expect(state.focusText == Seed.topOfficials)
        state.press(.up)
        #expect(state.focusText == Seed.title)
    }

    @Test("k on the first sentence and j on the last stay put")
    func ends() throws {
        var state = try Fixture.seedState()
        state.press(.character("k"))
        #expect(state.focusText == Seed.title)
        state.press(.character("G"))
        #expect(state.focusText == Seed.lastSentence)
        state.press(.character("j"), .down)
        #expect(state.focusText == Seed.lastSentence)
    }

    @Test("} and { move by paragraph")
    func paragraphs() throws {
        var state = try Fixture.seedState()
        state.press(.character("}"))
        #expect(state.focusText == Seed.topOfficials)
        state.press(.character("}"))
        #expect(state.focusText == Seed.nextConference)
        state.press(.character("}"))
        #expect(state.focusText == Seed.defeat)
        state.press(.character("j"))
        #expect(state.focusText == Seed.privateSector)
        // { from inside a paragraph goes to its first sentence, then to the one before
        state.press(.character("{"))
        #expect(state.focusText == Seed.defeat)
        state.press(.character("{"))
        #expect(state.focusText == Seed.nextConference)
        state.press(.character("{"), .character("{"))
        #expect(state.focusText == Seed.title)
        state.press(.character("{"))
        #expect(state.focusText == Seed.title)
    }

    @Test("g and G (and Home and End) go to the first and last sentence")
    func startAndEnd() throws {
        var state = try Fixture.seedState()
        state.press(.character("G"))
        #expect(state.focusText == Seed.lastSentence)
        #expect(focusIsVisible(state))
        #expect(state.top != RowPosition(paragraph: 0, line: 0))
        state.press(.character("g"))
        #expect(state.focusText == Seed.title)
        #expect(state.top == RowPosition(paragraph: 0, line: 0))
        state.press(.end)
        #expect(state.focusText == Seed.lastSentence)
        state.press(.home)
        #expect(state.focusText == Seed.title)
    }

    @Test("paging forward moves the view and the focus forward and keeps the focus visible",
          arguments: [Key.pageDown, .control("d"), .character(" "), .control("f")])
    func pageForward(key: Key) throws {
        var state = try Fixture.seedState(width: 80, height: 24)
        var previousFocus = try #require(state.focus)
        var previousTop = state.top
        var reachedEnd = false
        for _ in 0..<60 {
            state.press(key)
            let focus = try #require(state.focus)
            #expect(focus >= previousFocus, "paging forward moved the focus back")
            #expect(!state.isBefore(state.top, previousTop), "paging forward scrolled up")
            #expect(focusIsVisible(state), "the focus left the screen after \(key.label)")
            #expect(textPaneShowsHighlight(state))
            // no text is skipped: the new top row was on screen or just below it
            #expect(!state.isBefore(state.move(previousTop, by: state.textRows), state.top), "paging skipped rows")
            if state.focusText == Seed.lastSentence { reachedEnd = true; break }
            if focus == previousFocus && state.top == previousTop {
                Issue.record("\(key.label) is stuck at \(focus) with top \(state.top) before the end: \"\(state.focusText!.prefix(40))…\"")
                break
            }
            previousFocus = focus
            previousTop = state.top
        }
        #expect(reachedEnd, "\(key.label) never reached the end of the article")
    }

    @Test("paging back from the end moves the focus back, keeps it visible and reaches the title",
          arguments: [Key.pageUp, .control("u"), .control("b")])
    func pageBackward(key: Key) throws {
        var state = try Fixture.seedState(width: 80, height: 24)
        state.press(.character("G"))
        var previousFocus = try #require(state.focus)
        var previousTop = state.top
        var reachedStart = false
        for _ in 0..<60 {
            state.press(key)
            let focus = try #require(state.focus)
            #expect(focus <= previousFocus, "paging back moved the focus forward")
            #expect(!state.isBefore(previousTop, state.top), "paging back scrolled down")
            #expect(focusIsVisible(state), "the focus left the screen after \(key.label)")
            if state.focusText == Seed.title { reachedStart = true; break }
            if focus == previousFocus && state.top == previousTop {
                Issue.record("\(key.label) is stuck at \(focus) with top \(state.top): \"\(state.focusText!.prefix(40))…\"")
                break
            }
            previousFocus = focus
            previousTop = state.top
        }
        #expect(reachedStart, "\(key.label) never reached the start of the article")
    }

    @Test("the first page down scrolls past the first screen and focuses a sentence on the new one")
    func firstPageDown() throws {
        var state = try Fixture.seedState(width: 80, height: 24)
        state.press(.pageDown)
        #expect(state.focus! > SentencePosition(paragraph: 1, sentence: 0))
        #expect(state.isBefore(state.move(RowPosition(paragraph: 0, line: 0), by: state.textRows / 2), state.top),
                "the view moved less than half a page")
        #expect(focusIsVisible(state))
    }

    @Test("Ctrl-D scrolls half a page and Ctrl-U comes back",
          arguments: [(Key.control("d"), Key.control("u")), (.pageDown, .pageUp)])
    func pageBack(forward: Key, back: Key) throws {
        var state = try Fixture.seedState(width: 80, height: 24)
        state.press(forward)
        let after = try #require(state.focus)
        #expect(after > SentencePosition(paragraph: 0, sentence: 0))
        state.press(back)
        #expect(state.focus! < after)
        #expect(state.top == RowPosition(paragraph: 0, line: 0))
        #expect(focusIsVisible(state))
    }
}

@Suite("Tagging through the prompt")
struct TaggingTests {
    @Test("a, a value and Enter create one annotation of the focused sentence and ask to save")
    func tagFocusedSentence() throws {
        var state = try Fixture.seedState()
        state.press(.character("j"))
        let range = try #require(state.focusRange)
        #expect(state.press(.character("a")) == [])
        #expect(state.mode == .prompt)
        #expect(state.prompt?.label == "Actor: ")
        #expect(state.type("Top officials") == [])
        #expect(state.annotations.isEmpty, "the annotation must wait for Enter")
        #expect(state.press(.enter) == [.save])
        #expect(state.mode == .reading)
        #expect(state.prompt == nil)
        try #require(state.annotations.count == 1)
        let annotation = state.annotations[0]
        #expect(annotation.range == range)
        #expect(annotation.quote == state.document.text(in: annotation.start..<annotation.end))
        #expect(annotation.quote == Seed.topOfficials)
        #expect(annotation.tags == [Tag(category: "actor", value: "Top officials")])
        #expect(annotation.author == "tester")
        #expect(annotation.created == Annotation.timestamp(Fixture.clock))
        #expect(annotation.prefix.hasSuffix("Cooperation\n\n"))
        #expect(annotation.suffix.hasPrefix(" Vladimir"))
        #expect(state.currentAnnotationID == annotation.id)
        #expect(state.unsavedChanges)
    }

    @Test("Esc in the prompt creates nothing", arguments: [Key.escape, .control("c"), .control("g")])
    func escapeCancels(key: Key) throws {
        var state = try Fixture.seedState()
        state.press(.character("j"), .character("t"))
        state.type("violent")
        #expect(state.press(key) == [])
        #expect(state.annotations.isEmpty)
        #expect(state.mode == .reading)
        #expect(state.prompt == nil)
        #expect(state.focusText == Seed.topOfficials)
    }

    @Test("in the prompt, q and the other command keys are typed, not obeyed")
    func promptTakesKeys() throws {
        var state = try Fixture.seedState()
        state.press(.character("j"), .character("a"))
        #expect(state.type("qjx?") == [])
        #expect(state.prompt?.text == "qjx?")
        #expect(state.mode == .prompt)
        state.press(.backspace, .left, .character("k"))
        #expect(state.prompt?.text == "qjkx")
    }

    @Test("Tab completes to the first matching codebook value and repeated Tab cycles")
    func tabCompletes() throws {
        var state = try Fixture.seedState()
        state.press(.character("j"), .character("a"))
        state.type("UN")
        state.press(.tab)
        #expect(state.prompt?.text == "UN Office of Counter-Terrorism")
        state.press(.tab)
        #expect(state.prompt?.text == "UN Security Council")
        state.press(.tab)
        #expect(state.prompt?.text == "UN Office of Counter-Terrorism", "Tab should cycle back to the first match")
        state.press(.backTab)
        #expect(state.prompt?.text == "UN Security Council")
        #expect(state.press(.enter) == [.save])
        #expect(state.annotations.first?.tags == [Tag(category: "actor", value: "UN Security Council")])
    }

    @Test("prefix matches come before other matches, in codebook order")
    func matchOrder() throws {
        var state = try Fixture.seedState()
        state.press(.character("j"), .character("a"))
        state.type("i")
        #expect(state.prompt?.matches == ["ISIL", "Interpol", "UN Office of Counter-Terrorism", "UN Security Council", "private sector"])
        state.press(.tab)
        #expect(state.prompt?.text == "ISIL")
        state.press(.tab, .tab)
        #expect(state.prompt?.text == "UN Office of Counter-Terrorism")
    }

    @Test("typing after Tab filters again from the new text")
    func typingAfterTab() throws {
        var state = try Fixture.seedState()
        state.press(.character("j"), .character("c"))
        state.press(.tab)
        #expect(state.prompt?.text == "international conference")
        state.press(.control("u"))
        state.type("pub")
        state.press(.tab)
        #expect(state.prompt?.text == "public-private partnership")
    }

    @Test("Tab on an alias completes to its value (aliases complete, Codebook.swift)")
    func aliasCompletes() throws {
        var state = try Fixture.seedState()
        state.press(.character("j"), .character("a"))
        state.type("Daesh")
        state.press(.tab)
        #expect(state.prompt?.text == "ISIL")
        state.press(.control("u"))
        state.type("UNOCT")
        state.press(.tab)
        #expect(state.prompt?.text == "UN Office of Counter-Terrorism")
    }

    @Test("values already used in the document are offered")
    func usedValuesOffered() throws {
        var state = try Fixture.seedState()
        state.press(.character("j"), .character("j"), .character("a"))
        state.type("Vladimir Voronkov")
        #expect(state.press(.enter) == [.save])
        state.press(.character("}"), .character("}"), .character("a"))
        #expect(state.prompt?.choices.contains("Vladimir Voronkov") == true)
        #expect(state.prompt?.choices.first == "UN Office of Counter-Terrorism", "codebook values come first")
        state.type("vla")
        state.press(.tab)
        #expect(state.prompt?.text == "Vladimir Voronkov")
        state.press(.enter)
        #expect(state.annotations.map { $0.tags.first?.value } == ["Vladimir Voronkov", "Vladimir Voronkov"])
        // values used for another category are not offered for this one
        state.press(.character("t"))
        #expect(state.prompt?.choices.contains("Vladimir Voronkov") == false)
    }

    @Test("tagging the same span with another category adds a tag to the same annotation")
    func secondCategory() throws {
        var state = try Fixture.seedState()
        state.press(.character("j"), .character("j"), .character("a"))
        state.type("ISIL")
        state.press(.enter)
        let first = try #require(state.annotations.first)
        state.press(.character("t"))
        state.type("violent extremism")
        #expect(state.press(.enter) == [.save])
        try #require(state.annotations.count == 1)
        let annotation = state.annotations[0]
        #expect(annotation.id == first.id)
        #expect(annotation.range == first.range)
        #expect(annotation.tags == [Tag(category: "actor", value: "ISIL"), Tag(category: "threat", value: "violent extremism")])
        // the very same tag again changes nothing
        state.press(.character("t"))
        state.type("violent extremism")
        #expect(state.press(.enter) == [])
        #expect(state.annotations == [annotation])
    }

    @Test("undo after a second tag takes only that tag away")
    func undoSecondTag() throws {
        var state = try Fixture.seedState()
        state.press(.character("j"), .character("a"))
        state.type("ISIL")
        state.press(.enter, .character("t"), .enter)
        #expect(state.annotations.first?.tags.count == 2)
        #expect(state.press(.character("u")) == [.save])
        #expect(state.annotations.count == 1)
        #expect(state.annotations.first?.tags == [Tag(category: "actor", value: "ISIL")])
    }

    @Test("a tag key in the list tags the highlighted entry's span")
    func tagFromList() throws {
        var state = try Fixture.seedState()
        state.press(.character("j"), .character("v"), .character("b"), .character("a"), .enter)
        let span = try #require(state.annotations.first?.range)
        state.press(.character("G"), .tab, .character("c"))
        #expect(state.prompt?.purpose == .tagValue(category: "cooperation-measure", range: span, annotationID: state.annotations.first?.id))
        state.type("information sharing")
        #expect(state.press(.enter) == [.save])
        #expect(state.mode == .list)
        #expect(state.annotations.count == 1)
        #expect(state.annotations.first?.tags.map(\.category) == ["actor", "cooperation-measure"])
    }

    @Test("spaces around the typed value are dropped")
    func trimmedValue() throws {
        var state = try Fixture.seedState()
        state.press(.character("j"), .character("a"))
        state.type("  Interpol ")
        state.press(.enter)
        #expect(state.annotations.first?.tags == [Tag(category: "actor", value: "Interpol")])
    }

    @Test("an empty value tags with the category alone")
    func emptyValue() throws {
        var state = try Fixture.seedState()
        state.press(.character("j"), .character("c"))
        #expect(state.press(.enter) == [.save])
        #expect(state.annotations.first?.tags == [Tag(category: "cooperation-measure", value: "")])
    }
}

@Suite("Selections")
struct SelectionTests {
    /// A reader focused on Top officials … professional voice.
    func focusedState() throws -> AppState {
        var state = try Fixture.seedState()
        state.press(.character("j"))
        return state
    }

    @Test("v selects the focused sentence")
    func startSelection() throws {
        var state = try focusedState()
        let sentence = try #require(state.focusRange)
        state.press(.character("v"))
        #expect(state.mode == .selecting)
        #expect(state.selection?.range == sentence)
        #expect(state.targetRange == sentence)
    }

    @Test("h and l move the active end by one character")
    func characters() throws {
        var state = try focusedState()
        let sentence = try #require(state.focusRange)
        state.press(.character("v"), .character("h"))
        #expect(state.selection?.range == sentence.lowerBound..<(sentence.upperBound - 1))
        #expect(state.document.text(in: state.selection!.range) == String(Seed.topOfficials.dropLast()))
        state.press(.character("l"), .character("l"))
        #expect(state.selection?.range == sentence.lowerBound..<(sentence.upperBound + 1))
        state.press(.left, .left, .left)
        #expect(state.document.text(in: state.selection!.range).hasSuffix("professional voic"))
        state.press(.right)
        #expect(state.document.text(in: state.selection!.range).hasSuffix("professional voice"))
    }

    @Test("w and b move the active end by word")
    func words() throws {
        var state = try focusedState()
        state.press(.character("v"), .character("w"))
        #expect(state.document.text(in: state.selection!.range) == Seed.topOfficials + " Vladimir")
        // back over " Vladimir", then over the full stop: b stops at word ends
        state.press(.character("b"))
        #expect(state.document.text(in: state.selection!.range) == String(Seed.topOfficials.dropLast()))
        state.press(.character("b"))
        #expect(state.document.text(in: state.selection!.range) == String(Seed.topOfficials.dropLast(" voice.".count)))
    }

    @Test("o makes the start move: w then drops the first word")
    func otherEnd() throws {
        var state = try focusedState()
        let sentence = try #require(state.focusRange)
        state.press(.character("v"), .character("o"))
        #expect(state.selection?.active == sentence.lowerBound)
        #expect(state.selection?.anchor == sentence.upperBound)
        state.press(.character("w"))
        #expect(state.document.text(in: state.selection!.range) == String(Seed.topOfficials.dropFirst("Top ".count)))
        state.press(.character("l"))
        #expect(state.document.text(in: state.selection!.range) == String(Seed.topOfficials.dropFirst("Top o".count)))
        state.press(.character("o"), .character("b"))
        #expect(state.document.text(in: state.selection!.range) == "fficials of the United Nations who heads the Office of Counter Terrorism have claimed that the individuals leading the fight from a local to an international level would be provided the opportunity to show unity and speak with a professional voice")
    }

    @Test("v b b then a tags exactly the narrower selection")
    func tagNarrowSelection() throws {
        var state = try focusedState()
        let sentence = try #require(state.focusRange)
        state.press(.character("v"), .character("b"), .character("b"))
        let selected = try #require(state.selection?.range)
        let expected = "Top officials of the United Nations who heads the Office of Counter Terrorism have claimed that the individuals leading the fight from a local to an international level would be provided the opportunity to show unity and speak with a professional"
        #expect(state.document.text(in: selected) == expected)
        #expect(selected.lowerBound == sentence.lowerBound && selected.upperBound < sentence.upperBound)
        state.press(.character("a"))
        #expect(state.prompt?.purpose == .tagValue(category: "actor", range: selected))
        state.type("UN Office of Counter-Terrorism")
        #expect(state.press(.enter) == [.save])
        try #require(state.annotations.count == 1)
        let annotation = state.annotations[0]
        #expect(annotation.range == selected)
        #expect(annotation.quote == expected)
        #expect(annotation.quote == state.document.text(in: annotation.start..<annotation.end))
        #expect(state.selection == nil)
        #expect(state.mode == .reading)
        // the narrower annotation is the current one for the sentence
        #expect(state.focusRange == sentence)
        #expect(state.currentAnnotationID == annotation.id)
    }

    @Test("a selection narrowed at both ends tags exactly that span")
    func bothEnds() throws {
        var state = try focusedState()
        // "Top officials of the United Nations" -> "officials of the United"
        state.press(.character("v"), .character("o"), .character("w"))
        state.press(.character("o"))
        for _ in 0..<40 where !(state.document.text(in: state.selection!.range).hasSuffix("United")) {
            state.press(.character("b"))
        }
        let selected = try #require(state.selection?.range)
        #expect(state.document.text(in: selected) == "officials of the United")
        state.press(.character("t"))
        state.press(.enter)
        #expect(state.annotations.map(\.quote) == ["officials of the United"])
        #expect(state.annotations.first?.range == selected)
    }

    @Test("} while selecting extends the selection to the end of the paragraph")
    func paragraphSelection() throws {
        var state = try focusedState()
        state.press(.character("v"), .character("}"))
        #expect(state.document.text(in: state.selection!.range) == Seed.topOfficials + " " + Seed.voronkov + " " + Seed.onlyBy)
        state.press(.character("o"), .character("w"), .character("t"), .enter)
        #expect(state.annotations.first?.quote.hasPrefix("officials of the United Nations") == true)
        #expect(state.annotations.first?.quote.hasSuffix("can be comprehensive.") == true)
    }

    @Test("Esc cancels the selection and tags nothing")
    func escape() throws {
        var state = try focusedState()
        state.press(.character("v"), .character("b"), .escape)
        #expect(state.selection == nil)
        #expect(state.mode == .reading)
        #expect(state.targetRange == state.focusRange)
        state.press(.character("a"), .enter)
        #expect(state.annotations.first?.quote == Seed.topOfficials)
    }

    @Test("j and k move the selection's end by sentence; the focus stays")
    func selectingBySentence() throws {
        var state = try focusedState()
        state.press(.character("v"), .character("h"))
        let anchor = try #require(state.selection?.anchor)
        state.press(.character("j"))
        #expect(state.document.text(in: try #require(state.selection?.range)) == Seed.topOfficials)
        state.press(.character("j"))
        #expect(state.document.text(in: try #require(state.selection?.range)) == Seed.topOfficials + " " + Seed.voronkov)
        state.press(.character("k"))
        #expect(state.selection?.anchor == anchor)
        // back to a sentence start: the selection ends after the sentence before, without the space
        #expect(state.document.text(in: try #require(state.selection?.range)) == Seed.topOfficials)
        #expect(state.focusText == Seed.topOfficials)
    }

    @Test("Esc in the tag prompt returns to the selection, which is kept")
    func cancelKeepsSelection() throws {
        var state = try focusedState()
        state.press(.character("v"), .character("b"))
        let selection = state.selection
        state.press(.character("a"), .escape)
        #expect(state.mode == .selecting)
        #expect(state.selection == selection)
        #expect(state.annotations.isEmpty)
    }
}

@Suite("Notes, deleting, undo and redo")
struct EditingTests {
    /// A reader with one actor annotation on the Voronkov sentence, focused on it.
    func taggedState() throws -> AppState {
        var state = try Fixture.seedState()
        state.press(.character("j"), .character("j"), .character("a"))
        state.type("ISIL")
        state.press(.enter)
        return state
    }

    @Test("m writes the note in the note editor; Ctrl-S saves it")
    func note() throws {
        var state = try taggedState()
        let id = try #require(state.annotations.first?.id)
        state.press(.character("m"))
        #expect(state.mode == .editor)
        #expect(state.editor?.target == .note(annotationID: id))
        state.type("check the source")
        #expect(state.press(.control("s")) == [.save])
        #expect(state.mode == .reading)
        #expect(state.annotation(id: id)?.note == "check the source")
        #expect(state.annotations.count == 1)
        // editing starts from the note that is there, the insertion point at its end
        state.press(.character("m"))
        #expect(state.editor?.text == "check the source")
        state.press(.backspace, .backspace, .backspace, .backspace, .backspace, .backspace)
        state.type("quote")
        state.press(.control("s"))
        #expect(state.annotation(id: id)?.note == "check the quote")
        // Esc after a change asks; n keeps the note as it was
        state.press(.character("m"), .backspace, .escape)
        #expect(state.editor?.confirmingClose == true)
        state.press(.character("n"))
        #expect(state.mode == .reading && state.editor == nil)
        #expect(state.annotation(id: id)?.note == "check the quote")
    }

    @Test("m without an annotation here opens no prompt")
    func noteWithoutAnnotation() throws {
        var state = try Fixture.seedState()
        #expect(state.press(.character("m")) == [])
        #expect(state.mode == .reading)
        #expect(state.message != nil)
    }

    @Test("x deletes, u brings the same annotation back, Ctrl-R deletes it again")
    func deleteUndoRedo() throws {
        var state = try taggedState()
        state.press(.character("m"))
        state.type("keep me")
        state.press(.control("s"))
        let original = try #require(state.annotations.first)
        #expect(state.press(.character("x")) == [.save])
        #expect(state.annotations.isEmpty)
        #expect(state.currentAnnotationID == nil)
        state.press(.character("G"))
        #expect(state.press(.character("u")) == [.save])
        #expect(state.annotations == [original])
        #expect(state.currentAnnotationID == original.id)
        #expect(state.focusText == Seed.voronkov, "undo shows the annotation it brought back")
        #expect(focusIsVisible(state))
        #expect(state.press(.control("r")) == [.save])
        #expect(state.annotations.isEmpty)
        #expect(state.press(.control("r")) == [], "nothing left to redo")
        state.press(.character("u"))
        #expect(state.annotations == [original])
        // undo further: the note, then the creation
        state.press(.character("u"))
        #expect(state.annotations.first?.note == "")
        #expect(state.annotations.first?.id == original.id)
        state.press(.character("u"))
        #expect(state.annotations.isEmpty)
        #expect(state.press(.character("u")) == [], "nothing left to undo")
        state.press(.control("r"), .control("r"))
        #expect(state.annotations == [original])
    }

    @Test("a new change clears the redo stack")
    func newChangeClearsRedo() throws {
        var state = try taggedState()
        state.press(.character("u"))
        #expect(state.annotations.isEmpty)
        state.press(.character("c"), .enter)
        #expect(state.press(.control("r")) == [])
        #expect(state.annotations.map(\.tags) == [[Tag(category: "cooperation-measure", value: "")]])
    }

    @Test("x with no annotation here deletes nothing")
    func deleteNothing() throws {
        var state = try taggedState()
        state.press(.character("g"))
        #expect(state.press(.character("x")) == [])
        #expect(state.annotations.count == 1)
    }
}

@Suite("Annotations: jumping and the list")
struct AnnotationNavigationTests {
    /// Three annotations in document order: an actor on Top officials, a threat on The
    /// experts, and a cooperation measure on the private-sector sentence minus its full stop.
    func threeAnnotations() throws -> AppState {
        var state = try Fixture.seedState()
        state.focusSentence(startingWith: "Top officials")
        state.press(.character("a"))
        state.type("UN Office of Counter-Terrorism")
        state.press(.enter)
        state.focusSentence(startingWith: "The experts")
        state.press(.character("t"), .enter)
        state.focusSentence(startingWith: "The Under-Secretary-General stated")
        // a span narrower than the sentence: v b drops the full stop
        state.press(.character("v"), .character("b"), .character("c"))
        state.type("public-private partnership")
        state.press(.enter)
        return state
    }

    @Test("] and [ jump between annotations in document order")
    func jump() throws {
        var state = try threeAnnotations()
        try #require(state.annotations.count == 3)
        let ids = state.annotations.map(\.id)
        state.press(.character("g"))
        state.press(.character("]"))
        #expect(state.currentAnnotationID == ids[0])
        #expect(state.focusText == Seed.topOfficials)
        state.press(.character("]"))
        #expect(state.currentAnnotationID == ids[1])
        #expect(state.focusText == Seed.experts)
        state.press(.character("]"))
        #expect(state.currentAnnotationID == ids[2])
        #expect(state.focusText == Seed.privateSector)
        #expect(focusIsVisible(state))
        state.press(.character("]"))
        #expect(state.currentAnnotationID == ids[2])
        #expect(state.message == "No annotation after this one")
        state.press(.character("["))
        #expect(state.currentAnnotationID == ids[1])
        state.press(.character("["), .character("["))
        #expect(state.currentAnnotationID == ids[0])
        #expect(state.message == "No annotation before this one")
        #expect(state.focusText == Seed.topOfficials)
    }

    @Test("] from a sentence between annotations goes to the next one")
    func jumpFromBetween() throws {
        var state = try threeAnnotations()
        state.focusSentence(startingWith: "The aim of the meeting")
        #expect(state.currentAnnotationID == nil)
        state.press(.character("]"))
        #expect(state.focusText == Seed.privateSector)
        state.focusSentence(startingWith: "The aim of the meeting")
        state.press(.character("["))
        #expect(state.focusText == Seed.experts)
    }

    @Test("Tab focuses the list, j and k move in it, Enter shows the entry in the text and its detail")
    func list() throws {
        var state = try threeAnnotations()
        let annotations = state.annotations
        state.focusSentence(startingWith: "Top officials")
        #expect(state.press(.tab) == [])
        #expect(state.mode == .list)
        #expect(state.listIndex == 0)
        state.press(.character("j"))
        #expect(state.listIndex == 1)
        #expect(state.focusText == Seed.topOfficials, "moving in the list leaves the reader where it was")
        state.press(.character("j"), .character("j"), .down)
        #expect(state.listIndex == 2)
        state.press(.character("k"), .up)
        #expect(state.listIndex == 0)
        state.press(.character("j"), .character("j"))
        // Enter shows the entry in the text and opens its detail; Esc goes back to the list
        state.press(.enter)
        #expect(state.mode == .detail)
        #expect(state.focusText == Seed.privateSector, "the focus is on the sentence of the narrower annotation")
        #expect(state.currentAnnotationID == annotations[2].id)
        #expect(focusIsVisible(state))
        state.press(.escape)
        #expect(state.mode == .list)
        #expect(state.listIndex == 2, "the list stays at the current annotation")
        state.press(.character("k"), .enter)
        #expect(state.focusText == Seed.experts)
    }

    @Test("Tab and Esc leave the list")
    func leaveList() throws {
        var state = try threeAnnotations()
        state.press(.tab)
        #expect(state.mode == .list)
        state.press(.tab)
        #expect(state.mode == .reading)
        state.press(.tab, .escape)
        #expect(state.mode == .reading)
    }

    @Test("x and m in the list act on the highlighted entry")
    func listEditing() throws {
        var state = try threeAnnotations()
        let ids = state.annotations.map(\.id)
        state.focusSentence(startingWith: "Top officials")
        state.press(.tab, .character("j"), .character("m"))
        state.type("middle")
        state.press(.control("s"))
        #expect(state.mode == .list)
        #expect(state.annotation(id: ids[1])?.note == "middle")
        #expect(state.press(.character("x")) == [.save])
        #expect(state.annotations.map(\.id) == [ids[0], ids[2]])
    }

    @Test("Tab with no annotations stays in the reader")
    func tabWithoutAnnotations() throws {
        var state = try Fixture.seedState()
        state.press(.tab)
        #expect(state.mode == .reading)
        #expect(state.message?.hasPrefix("No annotations yet") == true)
    }
}

@Suite("Help, quitting and resizing")
struct HelpQuitResizeTests {
    @Test("? opens help; a key the help does not use closes it without acting", arguments: [Key.character("z"), .character("q"), .escape, .enter, .character("x")])
    func help(closingKey: Key) throws {
        var state = try Fixture.seedState(width: 120, height: 40)
        state.press(.character("j"))
        state.press(.character("?"))
        #expect(state.mode == .help)
        #expect(Renderer.render(state).lines.contains { $0.contains("Gloss keys") })
        #expect(state.press(closingKey) == [])
        #expect(state.mode == .reading)
        #expect(state.focusText == Seed.topOfficials)
        #expect(!Renderer.render(state).lines.contains { $0.contains("Gloss keys") })
    }

    @Test("help opened from the list returns to the list")
    func helpFromList() throws {
        var state = try Fixture.seedState()
        state.press(.character("j"), .character("a"), .enter)
        state.press(.tab, .character("?"))
        #expect(state.mode == .help)
        state.press(.character("z"))
        #expect(state.mode == .list)
    }

    @Test("the help overlay lists every key of the keymap")
    func helpListsKeys() throws {
        let state = try Fixture.seedState()
        let rows = state.keymap.helpRows
        #expect(rows.contains { $0.keys == "a" && $0.description == "tag as actor" })
        #expect(rows.contains { $0.keys == "c" && $0.description == "tag as cooperation measure" })
        #expect(rows.contains { $0.keys == "u" })
        #expect(rows.contains { $0.keys.hasPrefix("q") })
    }

    @Test("q and Ctrl-C quit", arguments: [Key.character("q"), .control("c")])
    func quit(key: Key) throws {
        var state = try Fixture.seedState()
        #expect(state.press(key) == [.quit])
        state.press(.character("j"), .character("v"))
        #expect(state.press(key) == [.quit], "quit works while selecting")
    }

    static let sizes: [(Int, Int)] = [
        (1, 1), (0, 0), (19, 5), (20, 6), (21, 7), (40, 12), (60, 20), (79, 24), (80, 24),
        (81, 25), (120, 40), (200, 60), (2, 100), (300, 3), (100, 6), (20, 200), (1000, 1),
    ]

    @Test("resizing to any size never crashes, and each size renders a full grid")
    func resizes() throws {
        var state = try Fixture.seedState()
        state.press(.character("j"), .character("a"))
        state.type("ISIL")
        state.press(.enter, .character("}"), .character("v"), .character("b"), .character("t"), .enter)
        for (width, height) in Self.sizes {
            #expect(state.handle(.resize(width: width, height: height)) == [])
            #expect(state.screenWidth == width && state.screenHeight == height)
            let buffer = Renderer.render(state)
            #expect(buffer.width == width && buffer.height == height)
            #expect(buffer.lines.count == height)
            for line in buffer.lines {
                #expect(DisplayWidth.columns(of: line) == width, "a row of the \(width)x\(height) screen is not \(width) columns")
            }
            if !state.geometry.tooSmall {
                #expect(focusIsVisible(state), "focus off screen at \(width)x\(height)")
            }
        }
    }

    @Test("every mode renders and moves at every size",
          arguments: [Mode.reading, .selecting, .list, .prompt, .help, .detail, .codebook, .editor, .summary])
    func modesAtEverySize(mode: Mode) throws {
        for (width, height) in Self.sizes {
            var state = try Fixture.seedState(width: width, height: height)
            state.press(.character("j"), .character("c"), .enter, .character("G"), .character("a"), .enter)
            switch mode {
            case .reading: break
            case .selecting: state.press(.character("v"), .character("b"), .character("o"))
            case .list: state.press(.tab)
            case .prompt: state.press(.character("t")); state.type("terror")
            case .help: state.press(.character("?"))
            case .detail: state.press(.character("["), .enter)
            case .codebook: state.press(.character("C"))
            case .editor: state.press(.character("["), .character("m")); state.type("a note")
            case .summary: state.openSummary()
            }
            // below the minimum size keys do nothing, so the mode cannot change
            #expect(state.mode == (state.geometry.tooSmall ? .reading : mode))
            _ = Renderer.render(state)
            let keys: [Key] = [.pageDown, .control("d"), .character("{"), .character("j"), .pageUp, .character("k"), .tab]
            for key in keys {
                state.press(key)
                let buffer = Renderer.render(state)
                #expect(buffer.lines.count == height)
            }
        }
    }

    @Test("below 20x6 the screen says the terminal is too small")
    func tooSmall() throws {
        for (width, height) in [(19, 24), (80, 5), (10, 3)] {
            let state = try Fixture.seedState(width: width, height: height)
            #expect(state.geometry.tooSmall)
            let lines = Renderer.render(state).lines
            #expect(lines.joined(separator: " ").contains("too small"))
        }
        #expect(!(try Fixture.seedState(width: 20, height: 6)).geometry.tooSmall)
    }
}

@Suite("Quitting when no file can hold the changes")
struct DiscardChangesTests {
    @Test("only y to the question asked after a failed rescue drops the changes; any other key keeps them")
    func discardingNeedsYes() throws {
        var state = try Fixture.seedState()
        state.ask(.discardChanges, question: "Quit and lose the unsaved changes?")
        #expect(state.prompt?.label == "Quit and lose the unsaved changes? (y/n) ")
        #expect(state.press(.character("n")) == [])
        #expect(state.mode == .reading)
        #expect(state.message?.hasPrefix("Not quit") == true)
        state.ask(.discardChanges, question: "Quit and lose the unsaved changes?")
        #expect(state.press(.enter) == [], "Enter is not a yes")
        state.ask(.discardChanges, question: "Quit and lose the unsaved changes?")
        #expect(state.press(.character("y")) == [.discardChanges])
    }
}
