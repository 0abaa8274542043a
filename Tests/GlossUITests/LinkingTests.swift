import Foundation
import Testing
@testable import GlossUI
import GlossCore

/// Relations in the reader: `r` on one annotation, `r` or Enter on another, a type from
/// the prompt; the detail view lists and deletes them; deleting an annotation takes its
/// relations along in one undo step.
@Suite struct LinkingTests {
    /// The seed article with an actor (second sentence), a cooperation measure (third
    /// sentence) and a threat (fourth sentence); the focus back at the start.
    static func tagged() throws -> AppState {
        var state = try Fixture.seedState(width: 120, height: 40)
        state.press(.character("j"), .character("a"))
        state.type("UNOCT")
        state.press(.enter, .character("j"), .character("c"))
        state.type("information sharing")
        state.press(.enter, .character("j"), .character("t"))
        state.type("violent extremism")
        state.press(.enter, .character("g"))
        #expect(state.annotations.count == 3)
        return state
    }

    /// The annotation tagged with `category`.
    static func annotation(_ state: AppState, _ category: String) -> Annotation? {
        state.annotations.first { $0.tags.contains { $0.category == category } }
    }

    @Test("r on the actor, ] to the measure, r offers undertakes only; Enter links; u and Ctrl-R undo and redo it")
    func linkActorToMeasure() throws {
        var state = try Self.tagged()
        state.press(.character("]"), .character("r"))
        #expect(state.linkSourceID == Self.annotation(state, "actor")?.id)
        #expect(state.message?.hasPrefix("Link from Actor: UN Office of Counter-Terrorism — move to the other annotation") == true)
        state.press(.character("]"))
        #expect(state.message?.contains("press r or Enter; Esc cancels") == true, "the hint stays while the link waits")
        state.press(.character("r"))
        #expect(state.mode == .prompt)
        #expect(state.prompt?.choices == ["undertakes"])
        #expect(Renderer.render(state).lines.contains { $0.contains("undertakes") })
        let effects = state.press(.enter)
        #expect(effects == [.save])
        #expect(state.mode == .reading)
        let relation = try #require(state.contents.relations.first)
        #expect(state.contents.relations.count == 1)
        #expect(relation.type == "undertakes")
        #expect(relation.from == Self.annotation(state, "actor")?.id)
        #expect(relation.to == Self.annotation(state, "cooperation-measure")?.id)
        #expect(relation.author == "tester")
        #expect(state.linkSourceID == nil)

        state.press(.character("u"))
        #expect(state.contents.relations.isEmpty)
        #expect(state.annotations.count == 3)
        state.press(.control("r"))
        #expect(state.contents.relations == [relation])
    }

    @Test("in the list, Enter ends the link; a type is typed by its label; none fitting offers all and says so")
    func linkFromTheList() throws {
        var state = try Self.tagged()
        state.press(.tab, .character("k"), .character("k"), .character("k"))
        #expect(state.mode == .list && state.listIndex == 0)
        // the list: actor, measure, threat; from the measure to the threat
        state.press(.character("j"), .character("r"), .character("j"), .enter)
        #expect(state.prompt?.choices == ["targets"])
        state.type("Targ")
        state.press(.enter)
        #expect(state.contents.relations.map(\.type) == ["targets"])
        #expect(state.mode == .list)

        // from the threat back to the actor: no type fits
        state.press(.character("r"), .character("k"), .character("k"), .character("r"))
        #expect(state.prompt?.label.hasPrefix("No relation type fits") == true)
        #expect(state.prompt?.choices == ["acts-on", "undertakes", "targets"])
        state.type("acts on")
        state.press(.enter)
        let reverse = try #require(state.contents.relations.first { $0.type == "acts-on" })
        #expect(reverse.from == Self.annotation(state, "threat")?.id && reverse.to == Self.annotation(state, "actor")?.id)
    }

    @Test("Esc cancels a started link; r on the same annotation asks for another; an unknown type links nothing")
    func cancelAndRefuse() throws {
        var state = try Self.tagged()
        state.press(.character("]"), .character("r"), .escape)
        #expect(state.linkSourceID == nil && state.message == "Link cancelled")
        state.press(.character("r"), .character("r"))
        #expect(state.mode == .reading && state.linkSourceID != nil)
        #expect(state.message?.hasPrefix("This is the annotation the link starts from") == true)
        state.press(.character("]"), .character("r"))
        state.type("befriends")
        state.press(.enter)
        #expect(state.contents.relations.isEmpty)
        #expect(state.messageIsError)
        // a plain sentence without an annotation cannot start one
        var plain = try Fixture.seedState(width: 120, height: 40)
        plain.press(.character("r"))
        #expect(plain.linkSourceID == nil && plain.message?.hasPrefix("No annotation here") == true)
    }

    @Test("the detail view lists relations both ways; D deletes the selected one; u brings it back")
    func detailListsAndDeletes() throws {
        var state = try Self.tagged()
        state.press(.character("]"), .character("r"), .character("]"), .character("r"), .enter)
        state.press(.character("g"), .character("]"), .character("r"), .character("]"), .character("]"), .character("r"))
        #expect(state.prompt?.choices == ["acts-on"])
        state.press(.enter)
        #expect(state.contents.relations.count == 2)

        // the measure: one tag, then the relation that points to it
        state.press(.character("g"), .character("]"), .character("]"), .enter)
        #expect(state.mode == .detail)
        var lines = Renderer.render(state).lines
        #expect(lines.contains { $0.contains("  ← undertakes from Actor: UN Office of Counter-Terrorism “") })
        // the actor: both relations start there
        state.press(.escape, .character("["), .enter)
        lines = Renderer.render(state).lines
        #expect(lines.contains { $0.contains("Relations") })
        #expect(lines.contains { $0.contains("  undertakes → Cooperation measure: information sharing “") })
        #expect(lines.contains { $0.contains("  acts on → Threat: violent extremism “") })
        state.press(.character("D"))
        #expect(state.contents.relations.count == 2, "D on a tag deletes nothing")
        state.press(.character("j"))
        #expect(state.detailRelation != nil)
        #expect(Renderer.render(state).lines.contains { $0.contains("▸ ") && $0.contains(" → ") })
        state.press(.character("x"))
        #expect(state.annotations.allSatisfy { !$0.tags.isEmpty }, "x on a relation removes no tag")
        let selected = try #require(state.detailRelation)
        let effects = state.press(.character("D"))
        #expect(effects == [.save])
        #expect(state.contents.relations.count == 1 && !state.contents.relations.contains(selected))
        #expect(state.mode == .detail)
        state.press(.character("u"))
        #expect(state.contents.relations.count == 2)
    }

    @Test("x deletes an annotation with its relations in one step; u restores both; Ctrl-R deletes both again")
    func deleteAnnotationTakesRelations() throws {
        var state = try Self.tagged()
        state.press(.character("]"), .character("r"), .character("]"), .character("r"), .enter)
        state.press(.character("r"), .character("]"), .character("r"), .enter)
        #expect(state.contents.relations.count == 2)
        let measure = try #require(Self.annotation(state, "cooperation-measure"))
        let relations = state.contents.relations
        state.press(.character("g"), .character("]"), .character("]"))
        #expect(state.currentAnnotationID == measure.id)
        state.press(.character("x"))
        #expect(state.annotation(id: measure.id) == nil)
        #expect(state.contents.relations.isEmpty)
        #expect(state.message?.contains("and its 2 relations") == true)
        state.press(.character("u"))
        #expect(state.annotation(id: measure.id) == measure)
        #expect(state.contents.relations == relations)
        state.press(.control("r"))
        #expect(state.contents.relations.isEmpty && state.annotation(id: measure.id) == nil)
        state.press(.character("u"))
        #expect(state.contents.relations == relations)
    }

    @Test("link and delete-relation are named commands; a codebook category on r or D is refused")
    func commandsAndConflicts() {
        #expect(Action(name: "link", codebook: Fixture.codebook) == .link)
        #expect(Action(name: "delete-relation", codebook: Fixture.codebook) == .deleteRelation)
        let keymap = Keymap(codebook: Fixture.codebook)
        #expect(keymap.action(for: .character("r"), in: .reading) == .link)
        #expect(keymap.action(for: .character("r"), in: .list) == .link)
        #expect(keymap.action(for: .character("r"), in: .detail) == .changeTagCategory)
        #expect(keymap.action(for: .character("D"), in: .detail) == .deleteRelation)
        for key in ["r", "D"] {
            let codebook = Codebook(name: "n", categories: [
                Category(id: "region", label: "Region", key: key, color: "blue", description: "d", values: []),
            ])
            #expect(Keymap.conflicts(in: codebook).map(\.category.id) == ["region"], "key \(key)")
        }
    }

    @Test("a read-only reader starts no link")
    func readOnly() throws {
        var state = try Self.tagged()
        state.readOnly = true
        state.press(.character("]"), .character("r"))
        #expect(state.linkSourceID == nil && state.messageIsError)
    }
}

extension LinkingTests {
    @Test("undoing an annotation's creation after a merge forgot the link step takes the link too; redo brings both")
    func undoCreationTakesDanglingRelations() throws {
        var state = try Self.tagged()
        state.press(.character("]"), .character("r"), .character("]"), .character("r"), .enter)
        let relation = try #require(state.contents.relations.first)
        // a merge changed the relation on disk: its step is forgotten, the creations stay
        state.forgetHistory(touching: [relation.id])
        state.press(.character("u"))  // undoes creating the threat
        state.press(.character("u"))  // undoes creating the measure, an end of the relation
        #expect(state.annotation(id: relation.to) == nil)
        #expect(state.contents.relations.isEmpty, "no relation is left pointing to nothing")
        state.press(.control("r"))
        #expect(state.annotation(id: relation.to) != nil)
        #expect(state.contents.relations == [relation])
    }
}
