import Foundation
import GlossTestSupport
import Testing
@testable import GlossCore

/// Golden files of every text exporter on one fixture (``BratTests/fixture(in:)``:
/// overlapping spans, a span at offset 0 and one ending at the last character, a flag
/// emoji and CRLFs before spans, a multi-line note with quotes and commas, a nested value,
/// a relation), and the shared validators on the exports of that fixture and of the seed
/// article. brat's and REFI-QDA's goldens are in ``BratTests`` and ``QDPXTests``.
///
/// The goldens are in `Tests/GlossCoreTests/ExportGoldens`; the fixture's temporary folder
/// is written there as `/FIXTURE`. `GLOSS_RECORD_GOLDENS=1` records them anew.
@Suite struct ExportGoldenTests {
    static let goldens = ExportTests.packageRoot.appendingPathComponent("Tests/GlossCoreTests/ExportGoldens")

    /// `output` with the fixture folder's path (plain and percent-encoded) as `/FIXTURE`,
    /// and the W3C ids named after the document's file URL (collection, page, memo) as
    /// `FIXTURE-COLLECTION`, `FIXTURE-PAGE` and `FIXTURE-MEMO`.
    static func portable(_ output: String, folder: URL) -> String {
        let path = folder.standardizedFileURL.path
        let source = Export.fileURL(of: try! Document(contentsOfFile: folder.appendingPathComponent("article.txt").path))
        var result = output
        for (suffix, name) in [("#gloss-annotations", "FIXTURE-COLLECTION"), ("#gloss-annotations-page-1", "FIXTURE-PAGE"), ("#gloss-memo", "FIXTURE-MEMO")] {
            result = result.replacingOccurrences(of: W3CExporter.nameBasedUUID(source + suffix), with: name)
        }
        let encoded = path.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? path
        return result.replacingOccurrences(of: encoded, with: "/FIXTURE").replacingOccurrences(of: path, with: "/FIXTURE")
    }

    /// Compares `output` with the golden file `name`, byte for byte, or records it.
    static func expectGolden(_ output: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let url = goldens.appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["GLOSS_RECORD_GOLDENS"] == "1" {
            try FileManager.default.createDirectory(at: goldens, withIntermediateDirectories: true)
            try Data(output.utf8).write(to: url)
            Issue.record("recorded golden \(name); check it by eye and rerun without GLOSS_RECORD_GOLDENS", sourceLocation: sourceLocation)
            return
        }
        let golden = try String(decoding: Data(contentsOf: url), as: UTF8.self)
        #expect(output == golden, "\(name) differs from its golden file", sourceLocation: sourceLocation)
    }

    @Test("W3C, CSV (annotations and relations) and Markdown exports of the fixture are their golden files")
    func goldenFiles() throws {
        let folder = try ExportTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (document, contents) = try BratTests.fixture(in: folder)
        let codebook = BratTests.codebook
        try Self.expectGolden(Self.portable(try ExportFormat.w3c.export(document: document, contents: contents, codebook: codebook), folder: folder),
                              "fixture.jsonld")
        try Self.expectGolden(Self.portable(try ExportFormat.csv.export(document: document, contents: contents, codebook: codebook), folder: folder),
                              "fixture.csv")
        try Self.expectGolden(Self.portable(try CSVExporter.exportRelations(document: document, contents: contents, codebook: codebook), folder: folder),
                              "fixture.relations.csv")
        try Self.expectGolden(Self.portable(try ExportFormat.markdown.export(document: document, contents: contents, codebook: codebook), folder: folder),
                              "fixture.md")
    }

    @Test("The W3C export of the fixture passes the shared validator against the text; every quote is the text at its offsets")
    func fixtureValidates() throws {
        let folder = try ExportTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (document, contents) = try BratTests.fixture(in: folder)
        let export = try ExportFormat.w3c.export(document: document, contents: contents, codebook: BratTests.codebook)
        guard ExportTests.requirePython(modules: ["jsonschema"]) else { return }
        // six annotations, the relation and the document memo, each a W3C annotation
        try ExportTests.expectValidatorAccepts(export: export, source: document.path, count: 8, in: folder)
    }

    /// The seed article and its store as ``ExportTests/seedFixture()`` gives them, with a
    /// relation between two of its annotations.
    static func seedContents() throws -> (Document, StoreContents) {
        let (document, annotations) = try ExportTests.seedFixture()
        let relation = Relation(type: "undertakes", from: annotations[1].id, to: annotations[6].id, note: "convenes",
                                author: "ana", date: ExportTests.date, id: "B0000000-0000-4000-8000-000000000002")
        return (document, StoreContents(annotations: annotations, relations: [relation]))
    }

    @Test("The seed article's brat folder passes check-brat.py and its REFI-QDA project passes validate-qdpx.py")
    func seedValidates() throws {
        let folder = try ExportTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (document, contents) = try Self.seedContents()
        let brat = try BratExporter.export([BratExporter.Folder(coder: nil, items: [
            BratExporter.Item(name: "seed", label: "seed.gloss.json", document: document, contents: contents, codebook: ExportTests.codebook),
        ])])
        let bratFolder = folder.appendingPathComponent("brat")
        try BratExporter.write(brat, to: bratFolder.path)
        let project = try QDPXExporter.export([QDPXExporter.Source(name: "seed.txt", document: document, codebook: ExportTests.codebook,
                                                                   stores: [QDPXExporter.Store(label: "seed.gloss.json", contents: contents)])],
                                              projectName: "seed", origin: "Gloss")
        let archive = folder.appendingPathComponent("seed.qdpx")
        try project.archive().write(to: archive)
        guard ExportTests.requirePython(modules: ["xmlschema"]) else { return }
        try BratTests.expectCheckBratAccepts(bratFolder.path, textBound: brat.textBoundCount)
        let result = try QDPXTests.validate(archive.path)
        #expect(result.status == 0, "validate-qdpx.py rejected the seed project:\n\(result.output)\(result.error)")
    }
}
