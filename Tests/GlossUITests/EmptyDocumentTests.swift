import Foundation
import Testing
@testable import GlossUI
import GlossCore

/// An empty or whitespace-only document opens to an empty reader where commands do nothing.
@Suite struct EmptyDocumentTests {
    @Test("every key on an empty document leaves no annotation and no crash", arguments: ["", " \n\n\t\r\n"])
    func keysDoNothing(text: String) {
        var state = AppState(document: Document(text: text), codebook: Fixture.codebook, width: 80, height: 24)
        let keys: [Key] = [.character("j"), .character("k"), .character("}"), .character("{"), .character("G"),
                           .character("g"), .pageDown, .control("d"), .character("]"), .character("["),
                           .character("v"), .character("l"), .character("w"), .character("a"), .enter,
                           .character("t"), .character("x"), .enter, .character("m"), .character("x"), .character("u"),
                           .control("r"), .tab, .character("/"), .character("z"), .enter, .character("n")]
        for key in keys {
            let effects = state.handle(key: key)
            #expect(!effects.contains(.save), "\(key) asked to save on an empty document")
        }
        #expect(state.annotations.isEmpty)
        #expect(state.focus == nil)
        let screen = Renderer.render(state).lines
        #expect(screen[0].contains("(empty document)"))
        #expect(screen[23].contains("100%"))
    }
}
