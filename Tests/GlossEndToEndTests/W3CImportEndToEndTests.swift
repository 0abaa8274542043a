import Foundation
import GlossCore
import GlossTestSupport
import Testing

/// `gloss import w3c` as a user runs it: a Gloss export read back into a fresh store and
/// exported again, byte for byte; a Hypothesis API response read into a saved web page;
/// the report and exit status when items cannot be imported.
@Suite(.serialized) struct W3CImportEndToEndTests {
    static let hypothesisFixture = Paths.package.appendingPathComponent("Tests/Fixtures/hypothesis/wikimediafoundation.org.turkey.hypothesis.json")

    static func validate(_ export: URL, source: URL) throws -> ProcessResult {
        let python = try #require(which("python3"), "python3 is needed for the W3C validator")
        return try run(python, [Paths.w3cValidator.path, export.path, "--source", source.path])
    }

    @Test("gloss export --format w3c, gloss import w3c into a coder's fresh store of the same document, export again: the same file, valid; importing again adds nothing")
    func roundTrip() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let article = try BratEndToEndTests.codedSample(in: folder)
        let first = try BratEndToEndTests.gloss(["export", "sample-article.txt", "--format", "w3c", "-o", "first.jsonld"], in: folder.url)
        #expect(first.status == 0, "\(first.error)")
        let validation = try Self.validate(folder.url.appendingPathComponent("first.jsonld"), source: article)
        #expect(validation.status == 0 && validation.output.contains("6 annotations checked"), "\(validation.output)\(validation.error)")

        let imported = try BratEndToEndTests.gloss(["import", "w3c", "first.jsonld", "--into", "sample-article.txt", "--coder", "bo"], in: folder.url)
        #expect(imported.status == 0, "\(imported.error)")
        #expect(imported.error == "gloss: sample-article.txt.gloss.bo.json: 5 annotation(s) and 1 relation(s) imported from first.jsonld\n", "\(imported.error)")
        let store = try #require(try AnnotationStore(path: folder.url.appendingPathComponent("sample-article.txt.gloss.bo.json").path).load())
        #expect(store.annotations.count == 5 && store.annotations.allSatisfy { $0.author == "ana" && $0.created == "2027-01-15T08:00:00Z" })
        #expect(store.relations.map(\.type) == ["acts-on"])

        let second = try BratEndToEndTests.gloss(["export", "sample-article.txt", "--coder", "bo", "--format", "w3c", "-o", "second.jsonld"], in: folder.url)
        #expect(second.status == 0, "\(second.error)")
        #expect(try Data(contentsOf: folder.url.appendingPathComponent("first.jsonld")) == Data(contentsOf: folder.url.appendingPathComponent("second.jsonld")))

        let again = try BratEndToEndTests.gloss(["import", "w3c", "second.jsonld", "--into", "sample-article.txt", "--coder", "bo"], in: folder.url)
        #expect(again.status == 0)
        #expect(again.error.contains("0 annotation(s) and 0 relation(s) imported from second.jsonld; 5 annotation(s) and 1 relation(s) were already there"), "\(again.error)")
    }

    @Test("gloss import w3c of a Hypothesis API response into the saved web page: each annotation placed by its quote, the one on a related post kept as an orphan and named, exit 0; the export is valid")
    func hypothesis() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let page = try folder.copy(ImportEndToEndTests.webPage)
        let rows = try folder.copy(Self.hypothesisFixture, as: "hypothesis.json")
        let imported = try BratEndToEndTests.gloss(["import", "w3c", rows.lastPathComponent, "--into", page.lastPathComponent], in: folder.url)
        #expect(imported.status == 0, "\(imported.error)")
        #expect(imported.error.contains("gloss: hypothesis.json: rows[0] (fN7t_jhMEeq8XzNvR7wVbA): its quote \"European Court of Human Rights\" is in the text 2 times, none with its context; kept as an orphan\n"), "\(imported.error)")
        #expect(imported.error.contains("gloss: hypothesis.json: 6 Hypothesis tag(s) naming no category or value of the codebook kept as values of the category \"hypothesis\"\n"))
        #expect(imported.error.hasSuffix("gloss: wikimediafoundation.org.turkey.html.gloss.json: 7 annotation(s) and 0 relation(s) imported from hypothesis.json; 4 placed by their quotes away from their positions; 1 kept as orphans; notes on the whole document added to the memo\n"), "\(imported.error)")

        let (text, textPath) = try ImportEndToEndTests.extractedText(of: page)
        let store = try #require(try AnnotationStore(path: page.path + ".gloss.json").load())
        #expect(store.annotations.count == 6 && store.orphans.count == 1)
        for annotation in store.annotations {
            #expect(codePoints(text, annotation.range) == annotation.quote)
        }
        #expect(store.annotations.map(\.quote).filter { $0 == "Constitutional Court of Turkey" }.count == 2)
        let exported = try BratEndToEndTests.gloss(["export", page.lastPathComponent, "--format", "w3c", "-o", "export.jsonld"], in: folder.url)
        #expect(exported.status == 0, "\(exported.error)")
        let validation = try Self.validate(folder.url.appendingPathComponent("export.jsonld"), source: textPath)
        #expect(validation.status == 0 && validation.output.contains("8 annotations checked"), "\(validation.output)\(validation.error)")
    }

    @Test("Items that cannot be imported are named by place and id and the command exits 1, the rest imported; a file that is not Web Annotations, or names other documents only, imports nothing")
    func failures() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        _ = try BratEndToEndTests.codedSample(in: folder)
        let json = """
            [{"id": "good", "type": "Annotation", "body": {"type": "TextualBody", "purpose": "tagging", "value": "actor:police"},
              "target": {"source": "https://example.org/article", "selector": {"type": "TextQuoteSelector", "exact": "Interior and justice ministers"}}},
             {"id": "bad", "type": "Annotation", "target": {"source": "https://example.org/article", "selector": {"type": "TextPositionSelector", "start": 5}}},
             {"id": "markup", "type": "Annotation", "target": {"source": "https://example.org/article", "selector": {"type": "XPathSelector", "value": "/p[2]"}}}]
            """
        try Data(json.utf8).write(to: folder.url.appendingPathComponent("mixed.json"))
        let mixed = try BratEndToEndTests.gloss(["import", "w3c", "mixed.json", "--into", "sample-article.txt"], in: folder.url)
        #expect(mixed.status == 1)
        #expect(mixed.error.contains("gloss: mixed.json: [1] (bad): its TextPositionSelector has start 5 and end none, not two whole numbers with 0 ≤ start ≤ end; not imported\n"), "\(mixed.error)")
        #expect(mixed.error.contains("gloss: mixed.json: [2] (markup): its target has XPathSelector but no TextQuoteSelector or TextPositionSelector"), "\(mixed.error)")
        #expect(mixed.error.contains("sample-article.txt.gloss.json: 1 annotation(s) and 0 relation(s) imported from mixed.json"), "\(mixed.error)")
        let store = try #require(try AnnotationStore(path: folder.url.appendingPathComponent("sample-article.txt.gloss.json").path).load())
        #expect(store.annotations.contains { $0.id == "good" && $0.tags == [GlossCore.Tag(category: "actor", value: "police")] })

        try Data("{\"rows\": [".utf8).write(to: folder.url.appendingPathComponent("broken.json"))
        let broken = try BratEndToEndTests.gloss(["import", "w3c", "broken.json", "--into", "sample-article.txt", "--coder", "cy"], in: folder.url)
        #expect(broken.status == 1 && broken.error.hasPrefix("gloss: broken.json: is not JSON") && broken.error.hasSuffix("; nothing imported\n"), "\(broken.error)")
        let missing = try BratEndToEndTests.gloss(["import", "w3c", "none.json", "--into", "sample-article.txt", "--coder", "cy"], in: folder.url)
        #expect(missing.status == 1 && missing.error == "gloss: none.json: cannot be read: no such file; nothing imported\n", "\(missing.error)")
        let two = """
            [{"id": "a", "type": "Annotation", "target": {"source": "file:///x/one.txt", "selector": {"type": "TextQuoteSelector", "exact": "a"}}},
             {"id": "b", "type": "Annotation", "target": {"source": "file:///x/two.txt", "selector": {"type": "TextQuoteSelector", "exact": "b"}}}]
            """
        try Data(two.utf8).write(to: folder.url.appendingPathComponent("two.json"))
        let others = try BratEndToEndTests.gloss(["import", "w3c", "two.json", "--into", "sample-article.txt", "--coder", "cy"], in: folder.url)
        #expect(others.status == 1 && others.error.contains("holds annotations of 2 documents, and none is sample-article.txt (file:///x/one.txt, file:///x/two.txt); name one with --source; nothing imported"), "\(others.error)")
        #expect(!FileManager.default.fileExists(atPath: folder.url.appendingPathComponent("sample-article.txt.gloss.cy.json").path))
    }
}
