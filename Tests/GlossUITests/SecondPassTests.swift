import Foundation
import Testing
@testable import GlossUI
import GlossCore

/// Faults a fresh tester found in the detail view, the filter, jumps, prompts and `*`.
@Suite struct SecondPassTests {
    static func state(_ text: String, annotations: [(Range<Int>, GlossCore.Tag, String)] = []) -> AppState {
        let document = Document(text: text, path: "t.txt")
        let made = annotations.map { Annotation(document: document, range: $0.0, tags: [$0.1], id: $0.2) }
        var state = AppState(document: document, codebook: Fixture.codebook, annotations: made, width: 100, height: 30, author: "t")
        _ = state.handle(.resize(width: 100, height: 30))
        return state
    }

    @Test("Enter on an untouched value in the detail view keeps its spelling")
    func untouchedValueStays() {
        var state = Self.state("Title\n\nOne two. Three four.\n", annotations: [(7..<15, GlossCore.Tag(category: "actor", value: "isil"), "a")])
        state.press(.character("]"), .enter, .enter, .enter)
        #expect(state.annotations.first?.tags == [GlossCore.Tag(category: "actor", value: "isil")])
        #expect(state.undoStack.isEmpty)
    }

    @Test("undo inside the detail view never moves it to another annotation")
    func undoKeepsTheDetailOnItsAnnotation() {
        var state = Self.state("Title\n\nOne two. Three four. Five six.\n", annotations: [(7..<37, GlossCore.Tag(category: "actor", value: "all"), "wide")])
        state.press(.character("j"), .character("j"), .character("v"), .character("b"), .character("a"))
        state.type("solo")
        state.press(.control("j"), .enter)
        #expect(state.mode == .detail && state.detailAnnotation?.tags.first?.value == "solo")
        state.press(.character("u"))
        #expect(state.mode == .reading, "the annotation shown is gone, so the view closes")
        #expect(state.annotations.map(\.id) == ["wide"])
    }

    @Test("[ from the last sentence reaches an annotation nested in a wider one")
    func nestedAnnotationsAreReached() {
        var state = Self.state("Title\n\nOne two. Three four. Five six.\n",
                               annotations: [(7..<37, GlossCore.Tag(category: "actor", value: "wide"), "wide"), (16..<27, GlossCore.Tag(category: "actor", value: "mid"), "mid")])
        state.press(.character("G"), .character("["))
        #expect(state.currentAnnotationID == "mid")
        state.press(.character("["))
        #expect(state.currentAnnotationID == "wide")
    }

    @Test("a filter that hides an annotation hides it from m and x too; the empty list says why")
    func filterHidesFromCommands() {
        var state = Self.state("Title\n\nOne two. Three four.\n", annotations: [(7..<15, GlossCore.Tag(category: "threat", value: "x"), "t")])
        state.press(.character("f"))
        state.type("actor")
        state.press(.enter, .character("g"), .character("j"), .character("x"))
        #expect(state.annotations.count == 1, "the hidden annotation was deleted")
        #expect(Renderer.render(state).lines.contains { $0.contains("No annotation passes the filter") })
        state.press(.tab)
        #expect(state.message == "No annotation passes the filter; F clears it")
    }

    @Test("a category the store uses but the codebook lacks can be filtered by")
    func filterByUnknownCategory() {
        var state = Self.state("Title\n\nOne two. Three four.\n", annotations: [(7..<15, GlossCore.Tag(category: "weapon", value: "IED"), "w")])
        state.press(.character("f"))
        state.type("weapon")
        state.press(.enter)
        #expect(state.listEntryCount == 1 && state.filter?.category == "weapon")
    }

    @Test("Enter in the category prompt takes the underlined category")
    func categoryPromptCompletes() {
        var state = Self.state("Title\n\nOne two. Three four.\n", annotations: [(7..<15, GlossCore.Tag(category: "actor", value: "x"), "a")])
        state.press(.character("]"), .enter, .character("r"))
        state.type("thr")
        state.press(.enter)
        #expect(state.annotations.first?.tags == [GlossCore.Tag(category: "threat", value: "x")])
    }

    @Test("a note typed while the terminal is too small is kept")
    func promptKeysWhileTooSmall() {
        var state = Self.state("Title\n\nOne two. Three four.\n", annotations: [(7..<15, GlossCore.Tag(category: "actor", value: "x"), "a")])
        state.press(.character("]"), .character("m"))
        _ = state.handle(.resize(width: 10, height: 3))
        state.type("kept")
        _ = state.handle(.resize(width: 1, height: 1))
        state.press(.enter)
        state.type("and this")
        _ = state.handle(.resize(width: 100, height: 30))
        state.press(.control("s"))
        #expect(state.annotations.first?.note == "kept\nand this")
    }

    @Test("* refuses more than a thousand occurrences, and names categories by label")
    func occurrenceLimit() {
        let text = "Title\n\n" + String(repeating: "the cat. ", count: 1_100) + "\n"
        var state = Self.state(text, annotations: [(7..<10, GlossCore.Tag(category: "cooperation-measure", value: "x"), "c")])
        state.press(.character("]"), .character("*"))
        #expect(state.prompt == nil && state.message?.contains("more than 1000") == true, "\(state.message ?? "")")
        var few = Self.state("Title\n\nthe cat. the dog.\n", annotations: [(7..<10, GlossCore.Tag(category: "cooperation-measure", value: "x"), "c")])
        few.press(.character("]"), .character("*"))
        #expect(few.prompt?.label.contains("as Cooperation measure: x") == true, "\(few.prompt?.label ?? "")")
    }
}
