import Foundation
import Testing
@testable import GlossCore

/// A document extracted from another format: the store records the source's hash and the
/// importer beside the extracted text's hash, and a plain text's store does not.
@Suite("Stores of extracted documents")
struct ExtractedTextStoreTests {
    static func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("gloss-extracted-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func annotation(_ document: Document) -> Annotation {
        Annotation(id: "a1", start: 0, end: 5, quote: document.text(in: 0..<5), prefix: "", suffix: document.text(in: 5..<15),
                   tags: [Tag(category: "actor", value: "ISIL")], note: "", author: "t", created: "t", modified: "t")
    }

    @Test("the document record holds source {sha256, extractor, extractorVersion}; sha256 is the extracted text's")
    func recordsSource() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let extracted = ExtractedText(text: "Title\n\nFirst block of text.", headingStarts: [0], extractor: "html",
                                      extractorVersion: "1 libxml2 2.9.14", sourceSHA256: String(repeating: "ab", count: 32))
        let document = Document(extracted: extracted, path: folder.appendingPathComponent("page.html").path)
        #expect(document.paragraphs.map(\.kind) == [.heading, .body])
        let storePath = AnnotationStore.defaultPath(forDocument: document.path)
        try AnnotationStore(path: storePath).save(StoreContents(annotations: [Self.annotation(document)]), of: document)

        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: storePath))) as? [String: Any]
        let record = try #require(json?["document"] as? [String: Any])
        let source = try #require(record["source"] as? [String: String])
        #expect(source == ["sha256": String(repeating: "ab", count: 32), "extractor": "html", "extractorVersion": "1 libxml2 2.9.14"])
        #expect(record["sha256"] as? String == document.sha256)
        #expect(record["path"] as? String == "page.html")
        let loaded = try #require(try AnnotationStore(path: storePath).load())
        #expect(loaded.document?.source == StoredSource(document.extraction!))
    }

    @Test("a plain text's document record has no source member")
    func plainHasNoSource() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("doc.txt").path
        try Data("Plain text of an article.\n".utf8).write(to: URL(fileURLWithPath: path))
        let document = try Document(contentsOfFile: path)
        #expect(document.extraction == nil)
        let storePath = AnnotationStore.defaultPath(forDocument: path)
        try AnnotationStore(path: storePath).save(StoreContents(annotations: [Self.annotation(document)]), of: document)
        let text = try String(contentsOfFile: storePath, encoding: .utf8)
        #expect(!text.contains("\"source\""))
        #expect(try AnnotationStore(path: storePath).load()?.document?.source == nil)
    }
}
