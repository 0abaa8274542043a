import Foundation
import GlossCore
import GlossTestSupport
import Testing

/// `gloss export` of a real article edited inside its annotated spans: the exported spans
/// cover the edited words, and the W3C validator finds them in the edited file.
@Suite struct ReanchorExportEndToEndTests {
    @Test("spans typed into after saving: CSV and W3C exports place them over the edited words")
    func exportAfterEditsInsideSpans() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let seed = try String(contentsOf: Paths.seedArticle, encoding: .utf8)
        let path = folder.url.appendingPathComponent("doc.txt").path
        let original = Document(text: seed)
        func annotation(_ quote: String, id: String) throws -> Annotation {
            let found = try #require(seed.range(of: quote), "\(quote) in the seed article")
            let start = seed.unicodeScalars.distance(from: seed.startIndex, to: found.lowerBound)
            return Annotation(document: original, range: start..<(start + quote.unicodeScalars.count),
                              tags: [Tag(category: "actor", value: "x")], id: id)
        }
        let annotations = [try annotation("and civil society representatives", id: "00000000-0000-0000-0000-000000000001"),
                           try annotation("a professional voice. Vladimir", id: "00000000-0000-0000-0000-000000000002")]
        try AnnotationStore(path: path + ".gloss.json").save(annotations, of: original)
        let edited = seed
            .replacingOccurrences(of: "representatives would", with: "represent An inserted clause here. atives would")
            .replacingOccurrences(of: "voice. Vladimir", with: "voice. A new first sentence about the conference.\n\nVladimir")
        try edited.write(toFile: path, atomically: true, encoding: .utf8)
        let environment = ["LANG": "C.UTF-8", "GLOSS_RESOURCES": Paths.package.appendingPathComponent("Resources").path]

        let csv = try run(Paths.gloss.path, ["export", path, "--format", "csv"], environment: environment)
        #expect(csv.status == 0, "\(csv.error)")
        #expect(csv.output.contains(",and civil society represent An inserted clause here. atives,actor,x,"), "\(csv.output)")
        #expect(csv.output.contains(",\"a professional voice. A new first sentence about the conference.\n\nVladimir\",actor,x,"), "\(csv.output)")

        let w3cPath = folder.url.appendingPathComponent("doc.jsonld").path
        let w3c = try run(Paths.gloss.path, ["export", path, "--format", "w3c", "-o", w3cPath], environment: environment)
        #expect(w3c.status == 0, "\(w3c.error)")
        let root = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: w3cPath))) as? [String: Any])
        let items = try #require((root["first"] as? [String: Any])?["items"] as? [[String: Any]])
        var placed: [String] = []
        for item in items {
            let selectors = try #require((item["target"] as? [String: Any])?["selector"] as? [[String: Any]])
            let position = try #require(selectors.first { $0["type"] as? String == "TextPositionSelector" })
            let start = try #require(position["start"] as? Int), end = try #require(position["end"] as? Int)
            placed.append(codePoints(edited, start..<end))
        }
        #expect(placed.sorted() == ["a professional voice. A new first sentence about the conference.\n\nVladimir",
                                    "and civil society represent An inserted clause here. atives"])
        let python = try #require(which("python3"), "python3 is needed for the W3C validator")
        let validation = try run(python, [Paths.w3cValidator.path, w3cPath, "--source", path])
        #expect(validation.status == 0, "validator: \(validation.output)\(validation.error)")
        #expect(validation.output.contains("2 annotations checked"))
    }

    @Test("a sentence found once in the edited text, moved and with the text after it changed: CSV export gives its new offsets, no orphan")
    func exportUniqueQuoteMovedAndContextChanged() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let path = folder.url.appendingPathComponent("e.txt").path
        let original = Document(text: "Alpha one. The Taliban attacked Kabul today. Beta two.\n\nGamma three.\n")
        let annotation = Annotation(document: original, range: 11..<44, tags: [Tag(category: "actor", value: "Taliban")],
                                    id: "00000000-0000-0000-0000-000000000001")
        try AnnotationStore(path: path + ".gloss.json").save([annotation], of: original)
        try "Gamma three.\n\nAlpha one. The Taliban attacked Kabul today. Beta two.\n".write(toFile: path, atomically: true, encoding: .utf8)
        let environment = ["LANG": "C.UTF-8", "GLOSS_RESOURCES": Paths.package.appendingPathComponent("Resources").path]
        let csv = try run(Paths.gloss.path, ["export", path, "--format", "csv"], environment: environment)
        #expect(csv.status == 0 && !csv.error.contains("orphan"), "\(csv.error)")
        #expect(csv.output.contains(",25,58,The Taliban attacked Kabul today.,actor,Taliban,"), "\(csv.output)")
    }
}
