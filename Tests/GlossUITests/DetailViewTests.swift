import Foundation
import Testing
@testable import GlossUI
import GlossCore

/// The detail view of an annotation: every tag, the note, offsets and dates; tags removed,
/// re-valued and re-categorised there, each one undoable step.
@Suite struct DetailViewTests {
    /// The seed article with one annotation tagged actor ISIL and threat incitement, with a
    /// two-line note; the focus back at the start.
    static func annotated() throws -> AppState {
        var state = try Fixture.seedState(width: 120, height: 40)
        state.press(.character("j"), .character("a"))
        state.type("ISIL")
        state.press(.enter, .character("t"))
        state.type("incitement")
        state.press(.enter, .character("m"))
        state.type("first line")
        state.press(.enter)
        state.type("second line")
        state.press(.control("s"))
        state.press(.character("g"))
        return state
    }

    @Test("Enter on an annotation reached with ] shows its tags, note and offsets; Esc goes back")
    func opensAndCloses() throws {
        var state = try Self.annotated()
        state.press(.character("]"), .enter)
        #expect(state.mode == .detail)
        let lines = Renderer.render(state).lines
        #expect(lines.contains { $0.contains("▸ Actor: ISIL") })
        #expect(lines.contains { $0.contains("  Threat: incitement") })
        #expect(lines.contains { $0.contains("first line") })
        #expect(lines.contains { $0.contains("second line") })
        #expect(lines.contains { $0.contains("Code points") && $0.contains("by tester") })
        state.press(.escape)
        #expect(state.mode == .reading)
    }

    @Test("x removes the selected tag, Enter changes a value with completion, r changes the category; u undoes each")
    func editsTags() throws {
        var state = try Self.annotated()
        state.press(.tab, .enter)
        #expect(state.mode == .detail)
        state.press(.character("j"), .character("x"))
        #expect(state.annotations.first?.tags == [Tag(category: "actor", value: "ISIL")])
        state.press(.character("u"))
        #expect(state.annotations.first?.tags.count == 2)
        #expect(state.mode == .detail)

        state.press(.enter, .control("u"))
        state.type("daesh")
        state.press(.enter)
        #expect(state.annotations.first?.tags.first == Tag(category: "actor", value: "ISIL"), "an alias takes the codebook's value")
        state.press(.enter, .control("u"))
        state.type("inter")
        state.press(.enter)
        #expect(state.annotations.first?.tags.first == Tag(category: "actor", value: "Interpol"))
        #expect(state.mode == .detail)

        state.press(.character("r"))
        state.type("threat")
        state.press(.enter)
        #expect(state.annotations.first?.tags.first == Tag(category: "threat", value: "Interpol"))
        state.press(.character("u"), .character("u"))
        #expect(state.annotations.first?.tags == [Tag(category: "actor", value: "ISIL"), Tag(category: "threat", value: "incitement")])
        state.press(.escape)
        #expect(state.mode == .list)
    }

    @Test("a tag key in the detail view adds to that annotation; undoing its creation closes the view")
    func tagKeyAddsAndUndoCloses() throws {
        var state = try Self.annotated()
        state.press(.character("]"), .enter, .character("c"))
        state.type("information sharing")
        state.press(.enter)
        #expect(state.annotations.count == 1 && state.annotations.first?.tags.count == 3)
        state.press(.character("u"), .character("u"), .character("u"), .character("u"))
        #expect(state.annotations.isEmpty)
        #expect(state.mode == .reading)
    }

    @Test("wrapping plain text keeps words whole and line feeds")
    func wrapPlain() {
        #expect(Renderer.wrapPlain("one two three four", width: 9) == ["one two", "three", "four"])
        #expect(Renderer.wrapPlain("a\nb c", width: 10) == ["a", "b c"])
    }
}

/// `R` in the detail view renames a value in every annotation, merging it into another
/// value when that one exists, as one undoable step.
@Suite struct RenameValueTests {
    @Test("R renames IS group to ISIL everywhere; an annotation with both keeps one; u undoes it all")
    func renameMerges() throws {
        var state = try Fixture.seedState(width: 120, height: 40)
        state.press(.character("j"), .character("a"))
        state.type("IS group")
        state.press(.control("j"), .character("a"))
        state.type("ISIL")
        state.press(.enter, .character("j"), .character("a"))
        state.type("IS group")
        state.press(.control("j"), .character("j"), .character("a"))
        state.type("ISIL")
        state.press(.enter)
        #expect(state.annotations.count == 3)
        let before = state.annotations
        state.press(.character("g"), .character("]"), .enter, .character("R"), .control("u"))
        #expect(state.prompt?.label.contains("in 2 annotations") == true, "\(state.prompt?.label ?? "")")
        state.type("isil")
        state.press(.enter)
        #expect(state.annotations.allSatisfy { $0.tags == [Tag(category: "actor", value: "ISIL")] }, "\(state.annotations.map(\.tags))")
        #expect(state.message?.contains("in 2 annotations") == true)
        state.press(.character("u"))
        #expect(state.annotations.map(\.tags) == before.map(\.tags))
    }
}
