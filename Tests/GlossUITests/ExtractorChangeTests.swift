import Foundation
import Testing
import GlossCore
@testable import GlossUI

/// The status line after the importer that extracts a document's text changed while the
/// source file did not.
@Suite("Extractor changes")
struct ExtractorChangeTests {
    @Test("a new importer version that moves the text re-anchors and says the file is unchanged")
    func newExtractorVersion() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gloss-extractor-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("page.html").path
        let source = String(repeating: "cd", count: 32)
        let old = Document(extracted: ExtractedText(text: "Menu\n\nThe ministers agreed on information sharing.",
                                                    extractor: "html", extractorVersion: "1", sourceSHA256: source), path: path)
        let store = AnnotationStore(path: AnnotationStore.defaultPath(forDocument: path))
        let quote = "information sharing"
        let start = old.text.unicodeScalars.count - quote.unicodeScalars.count - 1
        let annotation = Annotation(id: "a1", start: start, end: start + quote.unicodeScalars.count, quote: quote,
                                    prefix: old.text(in: max(0, start - 32)..<start), suffix: ".",
                                    tags: [Tag(category: "cooperation", value: "information sharing")], note: "",
                                    author: "t", created: "t", modified: "t")
        #expect(old.text(in: annotation.range) == quote)
        try store.save(StoreContents(annotations: [annotation]), of: old)

        // version 2 drops the menu: the same source, another text
        let new = Document(extracted: ExtractedText(text: "The ministers agreed on information sharing.",
                                                    extractor: "html", extractorVersion: "2", sourceSHA256: source), path: path)
        let session = try Session(document: new, codebook: Fixture.codebook, store: store, width: 100, height: 30)
        let message = try #require(session.state.message)
        #expect(message.contains("page.html is unchanged but its text is now extracted by html 2 (was html 1): 1 annotation(s) re-anchored"))
        let placed = try #require(session.state.annotations.first)
        #expect(new.text(in: placed.range) == quote)
    }
}
