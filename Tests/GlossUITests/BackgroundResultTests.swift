import Foundation
import Testing
@testable import GlossUI
import GlossCore

/// Background work reports through ``AppState/receive(_:)``: each result changes the state
/// as documented, with no other way in.
@Suite struct BackgroundResultTests {
    @Test("saves, failures, merges, checks and damage each arrive as a result")
    func results() throws {
        var state = try Fixture.seedState()
        state.press(.character("j"), .character("a"), .enter)
        #expect(state.unsavedChanges)
        state.receive(.saved(current: false))
        #expect(state.unsavedChanges, "an older save leaves later changes unsaved")
        state.receive(.saved(current: true))
        #expect(!state.unsavedChanges)

        state.receive(.saveFailed(problem: "No space left on device", background: true))
        #expect(state.unsavedChanges && state.messageIsError)
        #expect(state.message?.contains("No space left on device") == true)

        var contents = state.contents
        let annotation = try #require(contents.annotations.first)
        var edited = annotation
        edited.note = "from disk"
        contents.annotations = [edited]
        state.receive(.merged(contents: contents, changedIDs: [annotation.id], storeName: "seed.gloss.json"))
        #expect(state.annotations.first?.note == "from disk")
        #expect(state.message == "seed.gloss.json had changed on disk; merged its changes by annotation id")
        state.press(.character("u"))
        #expect(state.annotations.first?.note == "from disk", "undo forgets changes the merge replaced")

        state.receive(.annotationsChecked(contents: StoreContents(), approximate: ["x"], report: "1 orphaned", orphaned: true))
        #expect(state.annotations.isEmpty && state.approximatelyPlaced.contains("x") && state.messageIsError)

        state.receive(.textDamaged(problem: "invalid UTF-8 at byte 2000000"))
        #expect(state.readOnly)
        state.press(.character("j"), .character("a"))
        #expect(state.prompt == nil && state.message?.hasPrefix("Read-only") == true)
    }
}
