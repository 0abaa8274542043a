import Foundation
import Testing
@testable import GlossCore

/// Members another tool added to the store's `document` object (a `url`, its own record)
/// are kept as written and written back, as top-level members are.
@Suite struct StoreDocumentFieldsTests {
    /// The shared corpus's seed article.
    static let seed = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared/corpus/seed-counter-terrorism-conference.txt")

    /// Members Gloss does not know: a string, an object with a number kept as its text, a
    /// lone surrogate escape no `String` can hold, and a list.
    static let otherFields: [String: JSONValue] = [
        "url": .string("https://example.org/article"),
        "x-tool": .object(["kept": .bool(true), "weight": .literal("1.50")]),
        "alias": .literal(#""\ud800""#),
        "seen": .array([.integer(3), .null]),
    ]

    /// The `document` member of the store file at `path`, exactly as written.
    static func documentMember(_ path: String) throws -> JSONValue? {
        try StoreScan.exactValue(of: Data(contentsOf: URL(fileURLWithPath: path)))?["document"]
    }

    @Test("a store whose document object holds members Gloss does not know: both readers keep them as written; a save writes the file back byte for byte; a save after re-anchoring in an edited text keeps them beside the new hash and length")
    func unknownDocumentMembersSurviveSaves() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gloss-docfields-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let text = try String(contentsOf: Self.seed, encoding: .utf8)
        let documentPath = folder.appendingPathComponent("doc.txt").path
        try text.write(toFile: documentPath, atomically: true, encoding: .utf8)
        let document = try Document(contentsOfFile: documentPath)
        let quote = "Top officials"
        let start = try #require(text.unicodeScalars.firstRange(of: quote.unicodeScalars)).lowerBound
        let offset = text.unicodeScalars.distance(from: text.unicodeScalars.startIndex, to: start)
        let annotation = Annotation(id: "00000000-0000-0000-0000-000000000001", start: offset, end: offset + quote.unicodeScalars.count,
                                    quote: quote, prefix: document.text(in: max(0, offset - 32)..<offset),
                                    suffix: document.text(in: (offset + 13)..<(offset + 45)), tags: [GlossCore.Tag(category: "actor", value: "x")],
                                    note: "note", author: "a", created: "2026-01-01T00:00:00Z", modified: "2026-01-01T00:00:00Z")
        let contents = StoreContents(annotations: [annotation], memo: "memo",
                                     document: StoredDocument(path: "doc.txt", sha256: document.sha256, length: document.length,
                                                              otherFields: Self.otherFields),
                                     otherFields: ["x-top": .string("kept too")])
        let written = try StoreCodec.encode(contents)
        let file = String(decoding: written, as: UTF8.self)
        #expect(file.contains("\"url\" : \"https://example.org/article\""))
        #expect(file.contains("\"weight\" : 1.50") && file.contains(#""alias" : "\ud800""#))
        // sorted among the known members, as every object of the store
        let keys = ["alias", "length", "path", "seen", "sha256", "url", "x-tool"].map { "\"\($0)\" : " }
        let places = keys.map { file.range(of: $0)?.lowerBound }
        #expect(places.allSatisfy { $0 != nil } && places.compactMap { $0 } == places.compactMap { $0 }.sorted())

        // both readers: the fast one takes the file and keeps the members as the codec does
        let (read, scanned) = StoreCodecAgreementTests.expectSameReading(written, "document members")
        #expect(scanned)
        #expect(read?.document?.otherFields == Self.otherFields)

        let storePath = AnnotationStore.defaultPath(forDocument: documentPath)
        try written.write(to: URL(fileURLWithPath: storePath))
        let store = AnnotationStore(path: storePath)
        let loaded = try #require(try store.load())
        #expect(loaded.document?.otherFields == Self.otherFields)
        try store.save(loaded, of: document)
        #expect(try Data(contentsOf: URL(fileURLWithPath: storePath)) == written)

        // the text edited: re-anchored, saved with the new hash and length, members kept
        let edited = "A new first line.\n" + text
        try edited.write(toFile: documentPath, atomically: true, encoding: .utf8)
        let editedDocument = try Document(contentsOfFile: documentPath)
        let placement = Reanchoring.place(try #require(try AnnotationStore(path: storePath).load()), in: editedDocument)
        #expect(placement.contents.annotations.first?.start == offset + 18 && placement.orphaned == 0)
        try AnnotationStore(path: storePath).save(placement.contents, of: editedDocument)
        let member = try #require(try Self.documentMember(storePath))
        var expected = Self.otherFields
        expected["length"] = .integer(editedDocument.length)
        expected["path"] = .string("doc.txt")
        expected["sha256"] = .string(editedDocument.sha256)
        #expect(member == .object(expected))
        let resaved = String(decoding: try Data(contentsOf: URL(fileURLWithPath: storePath)), as: UTF8.self)
        #expect(resaved.contains("\"weight\" : 1.50") && resaved.contains(#""alias" : "\ud800""#) && resaved.contains("\"x-top\" : \"kept too\""))
    }

    @Test("a store counting a dropped U+FEFF, moved back by it, keeps its document object's members")
    func movedBackStoreKeepsDocumentMembers() throws {
        // the first U+FEFF as a byte-order mark, the second dropped too
        let document = Document(text: "\u{FEFF}\u{FEFF}" + LeadingMarkStoreTests.body)
        #expect(document.droppedMarks == 1)
        var old = LeadingMarkStoreTests().oldStore(marks: 1)
        old.document?.otherFields = Self.otherFields
        let placement = Reanchoring.place(old, in: document)
        #expect(placement.droppedMarks == 1)
        #expect(placement.contents.document?.sha256 == document.sha256)
        #expect(placement.contents.document?.otherFields == Self.otherFields)
    }
}
