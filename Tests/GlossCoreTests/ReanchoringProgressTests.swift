import Foundation
import Testing
@testable import GlossCore

/// Re-anchoring tells how far its search has got, one annotation at a time.
struct ReanchoringProgressTests {
    final class Calls: @unchecked Sendable {
        let lock = NSLock()
        var list: [[Int]] = []
        func add(_ searched: Int, _ total: Int) {
            lock.lock()
            list.append([searched, total])
            lock.unlock()
        }
    }

    @Test func progressCountsTheAnnotationsSearchedFor() {
        let original = Document(text: "Alpha beta gamma. Delta epsilon zeta. Eta theta iota.\n\nKappa lambda mu.")
        // three annotations made on the original text; one more at its place in both
        let moved = [(0..<5), (18..<23), (38..<41)].enumerated().map { index, range in
            Annotation(document: original, range: range, tags: [Tag(category: "actor", value: "x")], id: "moved-\(index)")
        }
        // the edited text has a line inserted at the start: every offset moves
        let edited = Document(text: "A new first line.\n\nAlpha beta gamma. Delta epsilon zeta. Eta theta iota.\n\nKappa lambda mu.")
        let calls = Calls()
        let placement = Reanchoring.place(StoreContents(annotations: moved), in: edited) { calls.add($0, $1) }
        #expect(placement.contents.annotations.map { edited.text(in: $0.range) } == ["Alpha", "Delta", "Eta"])
        #expect(calls.list == [[0, 3], [1, 3], [2, 3], [3, 3]])

        // annotations at their offsets are not searched for: nothing to report
        let quiet = Calls()
        _ = Reanchoring.place(StoreContents(annotations: moved), in: original) { quiet.add($0, $1) }
        #expect(quiet.list.isEmpty)
    }
}
