import Foundation
@testable import GlossCore
import Testing

/// Stores written when Gloss kept a second U+FEFF at the start of a text (after the
/// byte-order mark): their offsets count it and their hash is that text's. The text now
/// drops it; such a store is moved back exactly, not searched for, and said so.
@Suite struct LeadingMarkStoreTests {
    static let body = "Title line\r\n\r\nFirst sentence here. Second sentence. Second sentence.\r\n"

    func hex(_ bytes: [UInt8]) -> String { AnnotationStore.sha256Hex(bytes) }

    /// A store as the earlier Gloss wrote it for the text `marks` U+FEFF longer: one
    /// annotation on the second "Second sentence." and one over the start.
    func oldStore(marks: Int) -> StoreContents {
        let old = String(repeating: "\u{FEFF}", count: marks) + Self.body
        let scalars = Array(old.unicodeScalars)
        func text(_ range: Range<Int>) -> String { String(String.UnicodeScalarView(scalars[max(0, range.lowerBound)..<min(scalars.count, range.upperBound)])) }
        func annotation(_ id: String, _ range: Range<Int>) -> Annotation {
            Annotation(id: id, start: range.lowerBound, end: range.upperBound, quote: text(range),
                       prefix: text((range.lowerBound - 32)..<range.lowerBound), suffix: text(range.upperBound..<(range.upperBound + 32)),
                       tags: [GlossCore.Tag(category: "actor", value: "x")], note: "", author: "a", created: "2026-01-01T00:00:00Z",
                       modified: "2026-01-01T00:00:00Z")
        }
        let second = 52 + marks
        return StoreContents(annotations: [annotation("second", second..<(second + 16)), annotation("title", 0..<(marks + 5))],
                             document: StoredDocument(path: "u16.txt", sha256: hex(Array(old.utf8)), length: scalars.count))
    }

    @Test("a store of the text with the mark moves back by one, exactly, and the reader says why")
    func storeMovesBack() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gloss-marks-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("u16.txt").path
        let marked = "\u{FEFF}" + Self.body
        try Data([0xFF, 0xFE] + marked.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }).write(to: URL(fileURLWithPath: path))
        let document = try Document(contentsOfFile: path)
        #expect(document.droppedMarks == 1 && document.text == Self.body)

        let placement = Reanchoring.place(oldStore(marks: 1), in: document)
        #expect(placement.droppedMarks == 1 && placement.orphaned == 0)
        let second = try #require(placement.contents.annotations.first { $0.id == "second" })
        // the second of two equal sentences: a search by quote alone could take the first
        #expect(second.range == 52..<68 && document.text(in: second.range) == "Second sentence.")
        let title = try #require(placement.contents.annotations.first { $0.id == "title" })
        #expect(title.range == 0..<5 && title.quote == "Title")
        #expect(placement.contents.document?.sha256 == document.sha256)
    }

    @Test("a store of the text without the mark, or of another text, is placed as always")
    func otherStoresAreUntouched() throws {
        let document = Document(text: Self.body)
        let current = Reanchoring.place(oldStore(marks: 0), in: document)
        #expect(current.droppedMarks == 0 && current.moved == 0)
        #expect(current.contents.annotations.first { $0.id == "second" }?.range == 52..<68)
        // a document that dropped no mark leaves a store that counted one to re-anchoring
        let other = Reanchoring.place(oldStore(marks: 1), in: document)
        #expect(other.droppedMarks == 0)
    }
}
