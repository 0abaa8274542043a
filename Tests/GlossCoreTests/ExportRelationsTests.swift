import Foundation
import GlossTestSupport
import Testing
@testable import GlossCore

/// Gloss's tag, not Swift Testing's `Tag`.
private typealias Tag = GlossCore.Tag

/// Exports of relations, the document memo and nested values: W3C (checked by the shared
/// validator), CSV (the relations table, read back by Python's `csv`) and Markdown
/// (rendered by markdown-it).
@Suite struct ExportRelationsTests {
    /// The export tests' codebook with `Turkey` nested under `state` among the actors.
    static let codebook: Codebook = {
        var codebook = ExportTests.codebook
        codebook.categories[0].values.append(CodebookValue(value: "state", values: [CodebookValue(value: "Turkey")]))
        return codebook
    }()

    static let actorID = "0F8FAD5B-D9CB-469F-A165-70867728950E"
    static let measureID = "B2C3D4E5-F6A7-4B8C-9D0E-1F2A3B4C5D6E"
    static let threatID = "16FD2706-8BAF-433B-82EB-8C7FADA847DA"

    /// The export tests' seed fixture plus an actor tagged `Turkey`, two relations, one
    /// relation to a quarantined record (never exported) and a two-line memo.
    static func contents() throws -> (Document, StoreContents) {
        let (document, annotations) = try ExportTests.seedFixture()
        var all = annotations
        let span = ExportTests.span(of: "state and international cooperation", in: document.text)
        all.append(Annotation(document: document, range: span, tags: [Tag(category: "actor", value: "Turkey")],
                              author: "ana", date: ExportTests.date, id: "D4D4D4D4-0000-4000-8000-000000000001"))
        let relations = [
            Relation(type: "undertakes", from: actorID, to: measureID, note: "leads the \"conference\"", author: "ana",
                     date: ExportTests.date, id: "AAAAAAAA-0000-4000-8000-000000000001"),
            Relation(type: "acts-on", from: "D4D4D4D4-0000-4000-8000-000000000001", to: threatID, author: "ana",
                     date: ExportTests.date, id: "AAAAAAAA-0000-4000-8000-000000000002"),
            Relation(type: "acts-on", from: actorID, to: "not-exported", author: "ana",
                     date: ExportTests.date, id: "AAAAAAAA-0000-4000-8000-000000000003"),
        ]
        return (document, StoreContents(annotations: all, relations: relations,
                                        memo: "Conference coverage; no numbers.\n=SUM(1) | *not* a formula"))
    }

    @Test("W3C: relations as linking annotations targeting both ids, the memo as commenting on the document; the validator accepts it")
    func w3c() throws {
        guard ExportTests.requirePython(modules: ["jsonschema"]) else { return }
        let (document, contents) = try Self.contents()
        let export = try ExportFormat.w3c.export(document: document, contents: contents, codebook: Self.codebook)
        let folder = try ExportTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try ExportTests.expectValidatorAccepts(export: export, source: document.path, count: contents.annotations.count + 3, in: folder)

        let json = try #require(try JSONSerialization.jsonObject(with: Data(export.utf8)) as? [String: Any])
        let items = try #require((json["first"] as? [String: Any])?["items"] as? [[String: Any]])
        #expect(json["total"] as? Int == items.count)
        let memo = try #require(items.first)
        #expect(memo["motivation"] as? String == "commenting")
        #expect(memo["target"] as? String == Export.fileURL(of: document))
        #expect((memo["body"] as? [[String: Any]])?.first?["value"] as? String == contents.memo)

        let links = items.filter { $0["motivation"] as? String == "linking" }
        #expect(links.count == 2, "the relation to a quarantined record is left out")
        let first = try #require(links.first { $0["id"] as? String == "urn:uuid:aaaaaaaa-0000-4000-8000-000000000001" })
        #expect(first["target"] as? [String] == ["urn:uuid:" + Self.actorID.lowercased(), "urn:uuid:" + Self.measureID.lowercased()])
        let bodies = try #require(first["body"] as? [[String: Any]])
        #expect(bodies.first?["purpose"] as? String == "tagging" && bodies.first?["value"] as? String == "undertakes")
        #expect(bodies.last?["purpose"] as? String == "commenting")
        // the ids linked are ids the export gives annotations
        let ids = Set(items.compactMap { $0["id"] as? String })
        for link in links { #expect(Set(link["target"] as? [String] ?? []).isSubset(of: ids)) }
        #expect(export.contains("\"actor:state/Turkey\""), "a nested value carries its path")
    }

    @Test("W3C: ids that are no UUIDs, or differ only in case, become valid and distinct urn:uuid IRIs, links included")
    func w3cIdsFromOtherTools() throws {
        let (document, annotations) = try ExportTests.seedFixture()
        var renamed = annotations
        renamed[0].id = "dup-id"
        renamed[1].id = "DUP-ID"
        renamed[2].id = "A1"
        let link = Relation(type: "acts-on", from: "dup-id", to: "DUP-ID", author: "ana", date: ExportTests.date, id: "R1")
        let export = try ExportFormat.w3c.export(document: document, contents: StoreContents(annotations: renamed, relations: [link]),
                                                 codebook: Self.codebook)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(export.utf8)) as? [String: Any])
        let items = try #require((json["first"] as? [String: Any])?["items"] as? [[String: Any]])
        let ids = items.compactMap { $0["id"] as? String }
        #expect(Set(ids).count == ids.count, "\(ids)")
        for id in ids {
            #expect(id.hasPrefix("urn:uuid:") && UUID(uuidString: String(id.dropFirst("urn:uuid:".count))) != nil, "\(id)")
        }
        let linking = try #require(items.first { $0["motivation"] as? String == "linking" })
        let targets = try #require(linking["target"] as? [String])
        #expect(targets.count == 2 && targets[0] != targets[1] && Set(targets).isSubset(of: Set(ids)))
    }

    @Test("W3C corpus: a document whose store repeats another's ids (a copied article) gets ids of its own; links stay within their document")
    func corpusWithCopiedStore() throws {
        guard ExportTests.requirePython(modules: ["jsonschema"]) else { return }
        let (document, contents) = try Self.contents()
        let folder = try ExportTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let copyPath = folder.appendingPathComponent("copy.txt").path
        try Data(document.text.utf8).write(to: URL(fileURLWithPath: copyPath))
        let copy = try Document(contentsOfFile: copyPath)
        let export = try W3CExporter.export(corpus: [CorpusEntry(name: "a", document: document, contents: contents, codebook: Self.codebook),
                                                     CorpusEntry(name: "b", document: copy, contents: contents, codebook: Self.codebook)],
                                            label: "two copies")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(export.utf8)) as? [String: Any])
        let items = try #require((json["first"] as? [String: Any])?["items"] as? [[String: Any]])
        let ids = items.compactMap { $0["id"] as? String }
        #expect(Set(ids).count == ids.count, "every item has an id of its own")
        let targetIDs = items.filter { $0["motivation"] as? String == "linking" }
            .flatMap { ($0["target"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String } }
        #expect(targetIDs.count == 8 && Set(targetIDs).count == 8, "\(targetIDs)")
        // each link end names an annotation of the export, renamed ones included: its id + #target
        let annotationIDs = Set(items.filter { $0["motivation"] as? String != "linking" }.compactMap { $0["id"] as? String })
        for end in targetIDs {
            #expect(end.hasSuffix("#target") && annotationIDs.contains(String(end.dropLast("#target".count))), "\(end) names no annotation")
        }
    }

    @Test("CSV: the value column carries the nested path; the relations table names both ends; python csv reads it")
    func csv() throws {
        guard ExportTests.requirePython(modules: ["csv"]) else { return }
        let (document, contents) = try Self.contents()
        let table = try ExportFormat.csv.export(document: document, contents: contents, codebook: Self.codebook)
        #expect(table.contains(",actor,state/Turkey,"))
        #expect(!table.contains("Conference coverage"), "the memo has no place in the table of tags")
        let relations = try CSVExporter.exportRelations(document: document, contents: contents, codebook: Self.codebook)
        let folder = try ExportTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("out.relations.csv").path
        try Data(relations.utf8).write(to: URL(fileURLWithPath: path))
        let script = """
        import csv, json, sys
        with open(sys.argv[1], newline="", encoding="utf-8") as f:
            rows = list(csv.reader(f))
        assert all(len(r) == len(rows[0]) for r in rows), "not rectangular"
        print(json.dumps(rows))
        """
        let result = try ExportTests.python(["-c", script, path])
        #expect(result.status == 0, "\(result.error)")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [[String]])
        #expect(rows.first == CSVExporter.relationColumns)
        #expect(rows.count == 3)
        let undertakes = try #require(rows.first { $0[1] == "AAAAAAAA-0000-4000-8000-000000000001" })
        #expect(Array(undertakes[2...6]) == ["undertakes", "undertakes", Self.actorID, "actor", "UN Office of Counter-Terrorism"])
        #expect(undertakes[9] == "cooperation-measure" && undertakes[10] == "conference" && undertakes[11] == "Global Conference")
        #expect(undertakes[12] == "leads the \"conference\"")
        let actsOn = try #require(rows.first { $0[1] == "AAAAAAAA-0000-4000-8000-000000000002" })
        #expect(actsOn[5] == "actor" && actsOn[6] == "state/Turkey")
        #expect(actsOn[9] == "threat", "the end tag fits the type's categories, not the first tag")
        #expect(CSVExporter.relationsPath(besides: "out/report.CSV") == "out/report.relations.csv")
        #expect(CSVExporter.relationsPath(besides: "report") == "report.relations.csv")
    }

    @Test("Markdown: the memo first, then who does what to whom as a table; nested values with their path")
    func markdown() throws {
        guard ExportTests.requirePython(modules: ["markdown_it"]) else { return }
        let (document, contents) = try Self.contents()
        let report = try ExportFormat.markdown.export(document: document, contents: contents, codebook: Self.codebook)
        let lines = report.components(separatedBy: "\n")
        let memo = try #require(lines.firstIndex(of: "## Memo"))
        let table = try #require(lines.firstIndex(of: "## Who does what to whom"))
        let actor = try #require(lines.firstIndex(of: "## Actor"))
        #expect(memo < table && table < actor)
        #expect(lines.contains("### state/Turkey"))
        #expect(lines.contains { $0.hasPrefix("| Actor: UN Office of Counter-Terrorism “Office of Counter Terrorism” | undertakes | Cooperation measure: conference “Global Conference” |") })
        #expect(lines.contains { $0.hasPrefix("| Actor: state/Turkey “state and international cooperation” | acts on | Threat") })
        // a relation's note has a column of its own
        #expect(lines.contains("| From | Relation | To | Note |"))
        #expect(lines.contains { $0.hasPrefix("| Actor: UN Office") && $0.contains("leads the") })
        let folder = try ExportTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("report.md").path
        try Data(report.utf8).write(to: URL(fileURLWithPath: path))
        let script = """
        import sys
        from markdown_it import MarkdownIt
        with open(sys.argv[1], encoding="utf-8") as f:
            html = MarkdownIt("commonmark").enable(["table"]).render(f.read())
        print(html)
        """
        let result = try ExportTests.python(["-c", script, path])
        #expect(result.status == 0, "\(result.error)")
        #expect(result.output.contains("<table>"))
        #expect(result.output.contains("<th>Note</th>"))
        #expect(result.output.components(separatedBy: "<tr>").count - 1 == 3, "a header and two relations")
        #expect(result.output.contains("=SUM(1) | *not* a formula"), "the memo renders literally")
        #expect(!result.output.contains("<em>not</em>"))
    }
}
