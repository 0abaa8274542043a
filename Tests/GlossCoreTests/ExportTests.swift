import CSV
import Foundation
import GlossTestSupport
import Testing
@testable import GlossCore

/// Gloss's tag, not Swift Testing's `Tag`.
private typealias Tag = GlossCore.Tag

/// Tests of the W3C, CSV and Markdown exporters. The W3C exports are checked by the shared
/// validator (the W3C test suite's must-assertions plus a code-point slice check), the CSV
/// exports by Python's `csv` module and CSV.swift's `CSVReader`.
@Suite struct ExportTests {

    // MARK: Fixtures

    /// The package root: three levels up from this file (Tests/GlossCoreTests/ExportTests.swift).
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    /// `shared/`, beside the package root.
    static let shared = packageRoot.appendingPathComponent("../shared").standardizedFileURL
    static let validator = shared.appendingPathComponent("tools/validate-w3c-annotations.py").path
    static let suiteDefinitions = shared.appendingPathComponent("schemas/w3c-web-annotation-tests/definitions").path
    static let seedPath = shared.appendingPathComponent("corpus/seed-counter-terrorism-conference.txt").path

    static let date = Date(timeIntervalSince1970: 1_795_000_000)  // 2026-11-18T11:06:40Z

    static let codebook = Codebook(name: "Counter-terrorism reporting", categories: [
        GlossCore.Category(id: "actor", label: "Actor", key: "a", color: "cyan", description: "Who acts",
                           values: [CodebookValue(value: "ISIL", aliases: ["ISIS", "Daesh"]),
                                    CodebookValue(value: "UN Office of Counter-Terrorism", aliases: ["UNOCT"])]),
        GlossCore.Category(id: "threat", label: "Threat", key: "t", color: "red", description: "What threatens",
                           values: [CodebookValue(value: "terrorism"), CodebookValue(value: "violent extremism")]),
        GlossCore.Category(id: "cooperation-measure", label: "Cooperation measure", key: "c", color: "green",
                           description: "How states cooperate",
                           values: [CodebookValue(value: "conference"), CodebookValue(value: "information sharing")]),
    ])

    /// Code-point offsets of the `occurrence`-th (from 0) occurrence of `needle` in `text`,
    /// found by comparing Unicode scalars, independently of ``Document``.
    static func span(of needle: String, in text: String, occurrence: Int = 0) -> Range<Int> {
        let haystack = Array(text.unicodeScalars), pattern = Array(needle.unicodeScalars)
        var found = 0
        for start in 0...(haystack.count - pattern.count) where Array(haystack[start..<start + pattern.count]) == pattern {
            if found == occurrence { return start..<start + pattern.count }
            found += 1
        }
        Issue.record("\(needle.debugDescription) not found in the text")
        return 0..<0
    }

    /// The seed document with seven annotations covering tags with and without values, a
    /// free value, an unknown category, a value holding a colon, a note only, a plain
    /// highlight across a blank line, and a span at offset 0.
    static func seedFixture() throws -> (Document, [Annotation]) {
        let document = try Document(contentsOfFile: seedPath)
        let text = document.text
        func annotation(_ needle: String, _ tags: [Tag], note: String = "", id: String, occurrence: Int = 0) -> Annotation {
            Annotation(document: document, range: span(of: needle, in: text, occurrence: occurrence), tags: tags,
                       note: note, author: "ana", date: date, id: id)
        }
        let annotations = [
            annotation("Office of Counter Terrorism", [Tag(category: "actor", value: "UN Office of Counter-Terrorism")],
                       note: "Named in the opening paragraph, the \"lead\" agency.", id: "0F8FAD5B-D9CB-469F-A165-70867728950E"),
            annotation("Vladimir Voronkov", [Tag(category: "actor", value: "Vladimir Voronkov"),
                                             Tag(category: "cooperation-measure", value: "")],
                       id: "7C9E6679-7425-40DE-944B-E07FC1F90AE7"),
            annotation("ISIL", [Tag(category: "actor", value: "ISIL"), Tag(category: "threat", value: "")],
                       id: "16FD2706-8BAF-433B-82EB-8C7FADA847DA"),
            annotation("Leave a Reply\n\nYour email address", [], id: "A3BB189E-8BF9-3888-9912-ACE4E6543002"),
            annotation("High- Level Conference", [], note: "Odd hyphen spacing in the source.",
                       id: "E5E2C7D1-4B1F-4E8B-9C55-6B0F7D3B1A11"),
            annotation("local communities", [Tag(category: "region", value: "local"),
                                             Tag(category: "threat", value: "violent extremism: incitement")],
                       id: "C1A5E0F2-0D3B-4A6C-8E7F-9A0B1C2D3E4F"),
            annotation("Global Conference", [Tag(category: "cooperation-measure", value: "conference")],
                       id: "B2C3D4E5-F6A7-4B8C-9D0E-1F2A3B4C5D6E"),
        ]
        return (document, annotations)
    }

    /// A text with astral emoji (one a ZWJ sequence), decomposed accents (combining marks)
    /// and CRLF line endings.
    static let unicodeText = "Caf\u{65}\u{301} \"talks\", \u{1F469}\u{200D}\u{1F52C} lab\r\n"
        + "line two: \u{1D518}\u{1D519} and \u{1F600}, \"quoted, text\"\r\n"
        + "\r\n"
        + "Para two e\u{301}\u{301}nd \u{1F1FA}\u{1F1F3}\r\n"

    /// The unicode text written to `folder`, opened, and annotated with spans that start at
    /// 0, cross a CRLF, cover astral characters and end after combining marks.
    static func unicodeFixture(in folder: URL) throws -> (Document, [Annotation], String) {
        let path = folder.appendingPathComponent("unicode crlf é.txt").path
        try Data(unicodeText.utf8).write(to: URL(fileURLWithPath: path))
        let document = try Document(contentsOfFile: path)
        let text = unicodeText
        func annotation(_ range: Range<Int>, _ tags: [Tag], note: String = "", id: String) -> Annotation {
            Annotation(document: document, range: range, tags: tags, note: note, author: "bo", date: date, id: id)
        }
        let annotations = [
            annotation(span(of: "Caf\u{65}\u{301}", in: text), [Tag(category: "actor", value: "caf\u{E9}")],
                       id: "11111111-1111-4111-8111-111111111111"),
            annotation(span(of: "\u{1F469}\u{200D}\u{1F52C} lab\r\nline two", in: text), [],
                       note: "crosses a CRLF\r\nand a ZWJ emoji", id: "22222222-2222-4222-8222-222222222222"),
            annotation(span(of: "\u{1D518}\u{1D519}", in: text), [Tag(category: "threat", value: "\u{1D518}")],
                       id: "33333333-3333-4333-8333-333333333333"),
            annotation(span(of: "e\u{301}\u{301}nd \u{1F1FA}\u{1F1F3}\r\n", in: text), [],
                       id: "44444444-4444-4444-8444-444444444444"),
            annotation(span(of: "\"quoted, text\"\r\n\r\nPara", in: text), [Tag(category: "actor", value: "")],
                       note: "multi-paragraph", id: "55555555-5555-4555-8555-555555555555"),
        ]
        return (document, annotations, path)
    }

    static func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gloss-export-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    // MARK: Running Python

    /// Runs `python3 arguments…` through `/usr/bin/env`, capturing standard output and error.
    static func python(_ arguments: [String]) throws -> ProcessResult {
        try run("/usr/bin/env", ["python3"] + arguments)
    }

    /// Records a failure, with what to install, unless `python3` runs and can import
    /// `modules`. Never skips: a missing tool fails the test.
    static func requirePython(modules: [String]) -> Bool {
        let result: ProcessResult
        do {
            result = try python(["-c", modules.isEmpty ? "pass" : "import " + modules.joined(separator: ", ")])
        } catch {
            Issue.record("cannot start /usr/bin/env python3: \(error). These tests need python3 on PATH.")
            return false
        }
        if result.status == 127 {
            Issue.record("python3 is not on PATH: these tests need python3\(modules.isEmpty ? "" : " with \(modules.joined(separator: ", ")) (pip install 'jsonschema>=4.18')").")
            return false
        }
        if result.status != 0 {
            Issue.record("python3 cannot import \(modules.joined(separator: ", ")); .ci/run installs them (pip install 'jsonschema>=4.18' markdown-it-py): \(result.error)")
            return false
        }
        return true
    }

    /// Runs the shared W3C validator on `export` with `--source`, expecting exit status 0.
    static func expectValidatorAccepts(export: String, source: String, count: Int, in folder: URL,
                                       sourceLocation: SourceLocation = #_sourceLocation) throws {
        let outPath = folder.appendingPathComponent("export.jsonld").path
        try Data(export.utf8).write(to: URL(fileURLWithPath: outPath))
        let result = try python([validator, outPath, "--source", source])
        #expect(result.status == 0, "validator rejected the export:\n\(result.output)\(result.error)", sourceLocation: sourceLocation)
        #expect(result.output.contains("\(count) annotations checked"), "\(result.output)", sourceLocation: sourceLocation)
        #expect(result.output.contains(": 0 failures"), "\(result.output)", sourceLocation: sourceLocation)
    }

    /// Checks a collection (and its first page) against the W3C test suite's collection
    /// definitions (Web Annotation Data Model §5.1, §5.2); returns the failures.
    static func collectionFailures(of export: String, in folder: URL) throws -> [String] {
        let outPath = folder.appendingPathComponent("collection.jsonld").path
        try Data(export.utf8).write(to: URL(fileURLWithPath: outPath))
        let script = """
        import json, os, sys
        from jsonschema import Draft4Validator
        from referencing import Registry, Resource
        from referencing.jsonschema import DRAFT4
        export, definitions = sys.argv[1], sys.argv[2]
        resources = []
        for name in os.listdir(definitions):
            if name.endswith(".json"):
                with open(os.path.join(definitions, name)) as f:
                    resources.append((name, Resource.from_contents(json.load(f), default_specification=DRAFT4)))
        registry = Registry().with_resources(resources)
        with open(export, encoding="utf-8") as f:
            doc = json.load(f)
        def check(obj, names, what):
            out = []
            for name in names:
                schema = {"$ref": "collections.json#/definitions/" + name}
                for error in Draft4Validator(schema, registry=registry).iter_errors(obj):
                    out.append(what + " fails " + name + ": " + error.message[:160])
            return out
        failures = check(doc, ["annotationCollectionTypeValueFound", "labelDefinition", "totalDefinition",
                               "firstRequiredIfTotalMoreThanZero", "firstValidIfPresent", "lastValidIfPresent"], "collection")
        failures += check(doc.get("@context"), ["contextValueFound"], "collection @context")
        if isinstance(doc.get("first"), dict):
            failures += check(doc["first"], ["annotationPageTypeValueFound", "partOfValidIfPresent",
                                             "startIndexDefinition", "itemsFound"], "page")
        print(json.dumps(failures))
        """
        let result = try python(["-c", script, outPath, suiteDefinitions])
        guard result.status == 0 else { return ["collection check did not run: \(result.error)"] }
        return try JSONDecoder().decode([String].self, from: Data(result.output.utf8))
    }

    /// Parses JSON text into a dictionary.
    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    // MARK: W3C

    @Test func w3cExportOfSeedDocumentPassesValidator() throws {
        guard Self.requirePython(modules: ["jsonschema", "referencing"]) else { return }
        let (document, annotations) = try Self.seedFixture()
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let export = try W3CExporter.export(document: document, annotations: annotations)
        try Self.expectValidatorAccepts(export: export, source: Self.seedPath, count: annotations.count, in: folder)
        #expect(try Self.collectionFailures(of: export, in: folder) == [])
    }

    @Test func w3cExportOfEmojiCombiningMarksAndCRLFPassesValidator() throws {
        guard Self.requirePython(modules: ["jsonschema", "referencing"]) else { return }
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (document, annotations, path) = try Self.unicodeFixture(in: folder)
        let export = try W3CExporter.export(document: document, annotations: annotations)
        try Self.expectValidatorAccepts(export: export, source: path, count: annotations.count, in: folder)

        // Offsets are code points: the two astral letters are 2 code points (4 UTF-16 units),
        // and a span crossing a CRLF counts it as two.
        let items = try #require((try Self.json(export)["first"] as? [String: Any])?["items"] as? [[String: Any]])
        func selectors(_ id: String) throws -> (start: Int, end: Int, exact: String, source: String) {
            let item = try #require(items.first { $0["id"] as? String == "urn:uuid:" + id })
            let target = try #require(item["target"] as? [String: Any])
            let list = try #require(target["selector"] as? [[String: Any]])
            let quote = try #require(list.first { $0["type"] as? String == "TextQuoteSelector" })
            let position = try #require(list.first { $0["type"] as? String == "TextPositionSelector" })
            return (try #require(position["start"] as? Int), try #require(position["end"] as? Int),
                    try #require(quote["exact"] as? String), try #require(target["source"] as? String))
        }
        // "Café" 5 (e + U+0301), " \"talks\", " 10, the ZWJ emoji 3, " lab" 4, CRLF 2, "line two: " 10.
        let astral = try selectors("33333333-3333-4333-8333-333333333333")
        #expect(astral.start == 34)
        #expect(astral.end - astral.start == 2)
        let acrossCRLF = try selectors("22222222-2222-4222-8222-222222222222")
        #expect(Array(acrossCRLF.exact.unicodeScalars) == Array("\u{1F469}\u{200D}\u{1F52C} lab\r\nline two".unicodeScalars))
        #expect(acrossCRLF.start == 15 && acrossCRLF.end == 32)
        // The file URL of a path with spaces and an accent is absolute and percent-encoded.
        #expect(acrossCRLF.source == "file://" + folder.standardizedFileURL.path + "/unicode%20crlf%20%C3%A9.txt")
    }

    @Test func w3cCollectionHasTheModelsShape() throws {
        let (document, annotations) = try Self.seedFixture()
        let export = try W3CExporter.export(document: document, annotations: annotations)
        let root = try Self.json(export)
        #expect(root["@context"] as? String == "http://www.w3.org/ns/anno.jsonld")
        #expect(root["type"] as? String == "AnnotationCollection")
        #expect(root["label"] as? String == "seed-counter-terrorism-conference.txt")
        #expect(root["total"] as? Int == 7)
        let collectionID = try #require(root["id"] as? String)
        #expect(collectionID == "urn:uuid:" + W3CExporter.nameBasedUUID("file://" + Self.seedPath + "#gloss-annotations"))
        let page = try #require(root["first"] as? [String: Any])
        #expect(page["type"] as? String == "AnnotationPage")
        #expect(page["partOf"] as? String == collectionID)
        #expect(page["startIndex"] as? Int == 0)
        let items = try #require(page["items"] as? [[String: Any]])
        #expect(items.count == 7)

        // Document order: by start offset.
        let starts = items.compactMap { (($0["target"] as? [String: Any])?["selector"] as? [[String: Any]])?.last?["start"] as? Int }
        #expect(starts == starts.sorted() && starts.count == 7)
        #expect(starts.first == 0)

        func item(_ id: String) throws -> [String: Any] {
            try #require(items.first { $0["id"] as? String == "urn:uuid:" + id.lowercased() })
        }
        func bodies(_ item: [String: Any]) -> [[String: String]] {
            (item["body"] as? [[String: Any]] ?? []).map { $0.compactMapValues { $0 as? String } }
        }

        // Tagged with a note: tagging, one tagging body per tag, then the note.
        let office = try item("0F8FAD5B-D9CB-469F-A165-70867728950E")
        let officeAnnotation = annotations[0]
        #expect(office["@context"] as? String == "http://www.w3.org/ns/anno.jsonld")
        #expect(office["type"] as? String == "Annotation")
        #expect(office["motivation"] as? String == "tagging")
        #expect(office["created"] as? String == officeAnnotation.created)
        #expect(office["modified"] as? String == officeAnnotation.modified)
        #expect(officeAnnotation.created == "2026-11-18T11:06:40Z")
        #expect(office["creator"] as? [String: String] == ["type": "Person", "name": "ana"])
        #expect(bodies(office) == [
            ["type": "TextualBody", "purpose": "tagging", "value": "actor:UN Office of Counter-Terrorism"],
            ["type": "TextualBody", "purpose": "commenting", "value": "Named in the opening paragraph, the \"lead\" agency."],
        ])
        let target = try #require(office["target"] as? [String: Any])
        #expect(target["source"] as? String == "file://" + Self.seedPath)
        let selectors = try #require(target["selector"] as? [[String: Any]])
        #expect(selectors.count == 2)
        #expect(selectors[0]["type"] as? String == "TextQuoteSelector")
        #expect(selectors[0]["exact"] as? String == "Office of Counter Terrorism")
        #expect(selectors[0]["prefix"] as? String == officeAnnotation.prefix)
        #expect(selectors[0]["suffix"] as? String == officeAnnotation.suffix)
        #expect((selectors[0]["prefix"] as? String)?.unicodeScalars.count == 32)
        #expect(selectors[1]["type"] as? String == "TextPositionSelector")
        #expect(selectors[1]["start"] as? Int == officeAnnotation.start)
        #expect(selectors[1]["end"] as? Int == officeAnnotation.end)
        #expect(document.text(in: officeAnnotation.range) == "Office of Counter Terrorism")

        // A tag with an empty value is written as the category alone.
        #expect(bodies(try item("7C9E6679-7425-40DE-944B-E07FC1F90AE7")).map { $0["value"] } == ["actor:Vladimir Voronkov", "cooperation-measure"])
        // Category and value come back by splitting at the first colon, even when the value holds one.
        let region = bodies(try item("C1A5E0F2-0D3B-4A6C-8E7F-9A0B1C2D3E4F")).compactMap { $0["value"] }
        #expect(region == ["region:local", "threat:violent extremism: incitement"])
        #expect(region.map(W3CExporter.tag(fromBodyValue:)) == annotations[5].tags)
        #expect(W3CExporter.tag(fromBodyValue: "cooperation-measure") == Tag(category: "cooperation-measure", value: ""))

        // A note only: commenting, with the note as the only body.
        let comment = try item("E5E2C7D1-4B1F-4E8B-9C55-6B0F7D3B1A11")
        #expect(comment["motivation"] as? String == "commenting")
        #expect(bodies(comment) == [["type": "TextualBody", "purpose": "commenting", "value": "Odd hyphen spacing in the source."]])

        // Neither tags nor note: highlighting, and no body key at all.
        let highlight = try item("A3BB189E-8BF9-3888-9912-ACE4E6543002")
        #expect(highlight["motivation"] as? String == "highlighting")
        #expect(highlight["body"] == nil)

        // At offset 0 there is no prefix, so the selector leaves it out.
        let first = try item("B2C3D4E5-F6A7-4B8C-9D0E-1F2A3B4C5D6E")
        let firstQuote = try #require(((first["target"] as? [String: Any])?["selector"] as? [[String: Any]])?.first)
        #expect(firstQuote["prefix"] == nil)
        #expect(firstQuote["suffix"] as? String == " of National Counter-terrorism C")

        // Pretty-printed, keys sorted, slashes not escaped, stable from one export to the next.
        #expect(!export.contains("\\/"))
        #expect(export.hasPrefix("{\n  \"@context\""))
        #expect(export.hasSuffix("}\n"))
        let topKeys = ["\"@context\"", "\"first\"", "\"id\"", "\"label\"", "\"total\"", "\"type\""]
            .compactMap { export.range(of: "\n  " + $0)?.lowerBound }
        #expect(topKeys.count == 6 && topKeys == topKeys.sorted())
        #expect(try W3CExporter.export(document: document, annotations: annotations.reversed()) == export)
    }

    @Test func w3cCollectionWithoutAnnotationsIsEmptyAndValid() throws {
        let document = Document(text: "Nothing tagged here.\n", path: "/tmp/a.txt")
        let export = try W3CExporter.export(document: document, annotations: [])
        let root = try Self.json(export)
        #expect(root["type"] as? String == "AnnotationCollection")
        #expect(root["total"] as? Int == 0)
        #expect(root["label"] as? String == "a.txt")
        #expect(root["first"] == nil)
        #expect(root["id"] as? String == "urn:uuid:a4d355fd-99a2-523f-b584-6f0265f9d41e")  // Python: uuid5(NAMESPACE_URL, …)
        #expect(Set(root.keys) == ["@context", "id", "type", "label", "total"])
        // The suite's collection definitions accept a collection with total 0 and no first page.
        guard Self.requirePython(modules: ["jsonschema", "referencing"]) else { return }
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(try Self.collectionFailures(of: export, in: folder) == [])
    }

    @Test func nameBasedUUIDFollowsRFC9562() {
        // Reference values from Python's uuid.uuid5(uuid.NAMESPACE_URL, name).
        #expect(W3CExporter.nameBasedUUID("http://www.w3.org/") == "630fdb58-a074-594b-8dce-5065de571bb6")
        #expect(W3CExporter.nameBasedUUID("file:///tmp/a.txt#gloss-annotations") == "a4d355fd-99a2-523f-b584-6f0265f9d41e")
    }

    // MARK: CSV

    /// A document whose spans, tags, notes and author hold commas, double quotes, LF and
    /// CRLF line breaks, combining marks right after a quote and a comma, and emoji.
    static func trickyCSVFixture() -> (Document, [Annotation]) {
        let text = "He said \"stop, now\", then left.\nSecond line\r\nThird \"\u{301}q ,\u{301}x \u{1F600} end"
        let document = Document(text: text, path: "/data/notes, \"draft\".txt")
        func annotation(_ needle: String, _ tags: [Tag], note: String, id: String) -> Annotation {
            Annotation(document: document, range: span(of: needle, in: text), tags: tags, note: note,
                       author: "Doe, \"Jane\"", date: date, id: id)
        }
        return (document, [
            annotation("\"stop, now\"", [Tag(category: "actor", value: "UN \"Office\", NY"), Tag(category: "threat", value: "")],
                       note: "quote, comma and \"quotes\"", id: "A0000000-0000-4000-8000-000000000001"),
            annotation("left.\nSecond line\r\nThird", [], note: "line one\nline two\r\nline three",
                       id: "A0000000-0000-4000-8000-000000000002"),
            annotation("\"\u{301}q ,\u{301}x \u{1F600}", [Tag(category: "threat", value: ",\u{301}\"\u{301}")], note: "",
                       id: "A0000000-0000-4000-8000-000000000003"),
        ])
    }

    /// The records the tricky fixture must give, built field by field from the annotations.
    static func expectedRecords(_ document: Document, _ annotations: [Annotation]) -> [[String]] {
        var records = [CSVExporter.columns]
        for annotation in annotations.sorted(by: Annotation.documentOrder) {
            for tag in annotation.tags.isEmpty ? [Tag(category: "", value: "")] : annotation.tags {
                records.append([document.fileName, annotation.id, String(annotation.start), String(annotation.end),
                                annotation.quote, tag.category, tag.value, annotation.note, annotation.author,
                                annotation.created, annotation.modified])
            }
        }
        return records
    }

    /// Compares records scalar by scalar (String `==` would equate canonically equivalent text).
    static func scalars(_ records: [[String]]) -> [[[Unicode.Scalar]]] {
        records.map { $0.map { Array($0.unicodeScalars) } }
    }

    @Test func csvHasTheHeaderOneRecordPerTagAndCRLFLineEnds() throws {
        let (document, annotations) = try Self.seedFixture()
        let csv = try CSVExporter.export(document: document, annotations: annotations)
        #expect(CSVExporter.header == "document,annotation_id,start,end,quote,category,value,note,author,created,modified")
        #expect(csv.hasPrefix(CSVExporter.header + "\r\n"))
        #expect(csv.hasSuffix("\r\n"))

        // Outside quoted fields every line break is CRLF, one per record.
        var inQuotes = false, recordEnds = 0, bareBreaks = 0
        let scalars = Array(csv.unicodeScalars)
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == "\"" { inQuotes.toggle() }
            else if !inQuotes && scalar == "\r" && index + 1 < scalars.count && scalars[index + 1] == "\n" { recordEnds += 1; index += 1 }
            else if !inQuotes && (scalar == "\r" || scalar == "\n") { bareBreaks += 1 }
            index += 1
        }
        // 7 annotations: 1+2+2+1 (untagged highlight)+1 (note only)+2+1 = 10 records, plus the header.
        #expect(recordEnds == 11)
        #expect(bareBreaks == 0)

        let reader = try CSVReader(string: csv, hasHeaderRow: true)
        #expect(reader.headerRow == CSVExporter.columns)
        var records: [[String]] = []
        while let record = reader.next() { records.append(record) }
        #expect(reader.error == nil)
        #expect(records.count == 10)
        #expect(Set(records.map(\.count)) == [11])
        #expect(Set(records.map { $0[0] }) == ["seed-counter-terrorism-conference.txt"])
        // Untagged annotations give one record with empty category and value.
        let highlight = records.filter { $0[1] == "A3BB189E-8BF9-3888-9912-ACE4E6543002" }
        #expect(highlight.count == 1)
        #expect(highlight.first.map { [$0[4], $0[5], $0[6]] } == ["Leave a Reply\n\nYour email address", "", ""])
        let voronkov = records.filter { $0[1] == "7C9E6679-7425-40DE-944B-E07FC1F90AE7" }
        #expect(voronkov.map { [$0[5], $0[6]] } == [["actor", "Vladimir Voronkov"], ["cooperation-measure", ""]])
        #expect(Self.scalars([CSVExporter.columns] + records) == Self.scalars(Self.expectedRecords(document, annotations)))
        // Offsets and quotes agree with the document.
        for record in records {
            let range = try #require(Int(record[2]))..<(try #require(Int(record[3])))
            #expect(document.text(in: range) == record[4])
        }
    }

    @Test func csvRoundTripsThroughPythonCSVModule() throws {
        guard Self.requirePython(modules: ["csv"]) else { return }
        let (document, annotations) = Self.trickyCSVFixture()
        let csv = try CSVExporter.export(document: document, annotations: annotations)
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("export.csv").path
        try Data(csv.utf8).write(to: URL(fileURLWithPath: path))
        let script = """
        import csv, json, sys
        with open(sys.argv[1], newline="", encoding="utf-8") as f:
            rows = list(csv.reader(f, strict=True))
        sys.stdout.write(json.dumps(rows, ensure_ascii=True))
        """
        let result = try Self.python(["-c", script, path])
        #expect(result.status == 0, "python csv could not read the export: \(result.error)")
        let rows = try JSONDecoder().decode([[String]].self, from: Data(result.output.utf8))
        let expected = Self.expectedRecords(document, annotations)
        #expect(rows.count == 5)  // header + 2 tags + 1 untagged + 1 tag
        #expect(Self.scalars(rows) == Self.scalars(expected))
        #expect(rows.dropFirst().allSatisfy { $0[0] == "notes, \"draft\".txt" && $0[8] == "Doe, \"Jane\"" })
    }

    @Test func csvRoundTripsThroughCSVSwiftReader() throws {
        let (document, annotations) = Self.trickyCSVFixture()
        let csv = try CSVExporter.export(document: document, annotations: annotations)
        let reader = try CSVReader(string: csv)
        var records: [[String]] = []
        while let record = reader.next() { records.append(record) }
        #expect(reader.error == nil)
        #expect(records.count == 5)
        #expect(Self.scalars(records) == Self.scalars(Self.expectedRecords(document, annotations)))
        // The quote with CRLF inside survives byte for byte.
        let multiline = try #require(records.first { $0[1] == "A0000000-0000-4000-8000-000000000002" })
        #expect(Array(multiline[4].utf8) == Array("left.\nSecond line\r\nThird".utf8))
        #expect(Array(multiline[7].utf8) == Array("line one\nline two\r\nline three".utf8))
    }

    @Test func csvFieldsAreQuotedOnlyWhenNeeded() {
        #expect(CSVExporter.field("plain text") == "plain text")
        #expect(CSVExporter.field("") == "")
        #expect(CSVExporter.field("a,b") == "\"a,b\"")
        #expect(CSVExporter.field("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(CSVExporter.field("a\nb") == "\"a\nb\"")
        #expect(CSVExporter.field("a\rb") == "\"a\rb\"")
        // A quote or comma followed by a combining mark is one Character in Swift, yet still escaped.
        #expect(Array(CSVExporter.field("\"\u{301}").unicodeScalars) == Array("\"\"\"\u{301}\"".unicodeScalars))
        #expect(Array(CSVExporter.field(",\u{301}").unicodeScalars) == Array("\",\u{301}\"".unicodeScalars))
        #expect(CSVExporter.record(["a", "b,c"]) == "a,\"b,c\"\r\n")
    }

    // MARK: Markdown

    @Test func markdownReportGroupsQuotesByCategoryAndValue() throws {
        let (document, annotations) = try Self.seedFixture()
        let report = try MarkdownExporter.export(document: document, annotations: annotations, codebook: Self.codebook)
        let lines = report.components(separatedBy: "\n")
        #expect(lines[0] == "# Global Conference of National Counter-terrorism Chiefs Could Improve Cooperation")
        #expect(lines[2] == "File `seed-counter-terrorism-conference.txt`, 7 annotations. Offsets count code points from 0, end exclusive.")
        #expect(report.hasSuffix("\n") && !report.hasSuffix("\n\n"))

        // Sections in codebook order, then unknown categories, then untagged annotations.
        let headings = lines.filter { $0.hasPrefix("#") }
        #expect(headings == [
            "# Global Conference of National Counter-terrorism Chiefs Could Improve Cooperation",
            "## Actor",
            "### ISIL",                               // vocabulary order, though it occurs later
            "### UN Office of Counter-Terrorism",
            "### Vladimir Voronkov",                  // not in the vocabulary: after it
            "## Threat",
            "### violent extremism: incitement",
            "### (no value)",
            "## Cooperation measure",
            "### conference",
            "### (no value)",
            "## region (not in the codebook)",
            "### local",
            "## Annotations without tags",
        ])

        // Every quote appears, as a blockquote, under each of its tags, or once when untagged.
        for annotation in annotations {
            let block = MarkdownExporter.blockquote(annotation.quote)
            let occurrences = report.components(separatedBy: block + "\n\n").count - 1
            #expect(occurrences == max(1, Set(annotation.tags).count), "\(annotation.quote)")
        }
        // A quote across a blank line stays one blockquote.
        #expect(report.contains("> Leave a Reply\n> \n> Your email address\n\n- Offsets: "))
        // Note, then offsets, after the quote.
        let office = annotations[0]
        #expect(report.contains("### UN Office of Counter-Terrorism\n\n> Office of Counter Terrorism\n\n- Note: Named in the opening paragraph, the \"lead\" agency.\n- Offsets: \(office.start)–\(office.end)\n"))
        let voronkov = annotations[1]
        #expect(report.contains("### Vladimir Voronkov\n\n> Vladimir Voronkov\n\n- Offsets: \(voronkov.start)–\(voronkov.end)\n"))
        // The untagged section holds the highlight and the note-only annotation, in document order.
        let untagged = try #require(report.components(separatedBy: "## Annotations without tags\n\n").last)
        #expect(untagged == "> High- Level Conference\n\n- Note: Odd hyphen spacing in the source.\n- Offsets: \(annotations[4].start)–\(annotations[4].end)\n\n> Leave a Reply\n> \n> Your email address\n\n- Offsets: \(annotations[3].start)–\(annotations[3].end)\n")
    }

    @Test func markdownPrefixesEveryQuoteLineAndFallsBackToTheFileName() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (document, annotations, _) = try Self.unicodeFixture(in: folder)
        let report = try MarkdownExporter.export(document: document, annotations: annotations, codebook: Self.codebook)
        // The first paragraph has two lines, so the title is the file name.
        #expect(report.hasPrefix("# unicode crlf é.txt\n\nFile `unicode crlf é.txt`, 5 annotations."))
        #expect(!report.unicodeScalars.contains("\r"))
        // The CRLF-spanning quotes: every line prefixed with "> ", blank lines included.
        #expect(report.contains("> \"quoted, text\"\n> \n> Para\n\n- Note: multi-paragraph\n"))
        #expect(report.contains("> \u{1F469}\u{200D}\u{1F52C} lab\n> line two\n\n- Note: crosses a CRLF\n  and a ZWJ emoji\n"))
        #expect(report.contains("> e\u{301}\u{301}nd \u{1F1FA}\u{1F1F3}\n> \n\n- Offsets: "))
        // No line of the report starts a paragraph with a quote's text: every quote line is prefixed.
        for annotation in annotations {
            for line in Export.lines(of: annotation.quote) where !line.isEmpty {
                #expect(!report.contains("\n" + line + "\n"), "unprefixed quote line \(line.debugDescription)")
            }
        }
        // The empty-valued actor tag is listed under "(no value)".
        #expect(report.contains("## Actor\n\n### caf\u{E9}\n\n> Caf\u{65}\u{301}\n"))
        #expect(report.contains("### (no value)\n\n> \"quoted, text\"\n"))
        #expect(report.contains("## Cooperation measure\n\n_No annotations._\n"))

        let long = Document(text: String(repeating: "word ", count: 40) + "\n\nBody.", path: "long.txt")
        #expect(MarkdownExporter.title(of: long) == "long.txt")
        let titled = Document(text: "  Short title \n\nBody.", path: "t.txt")
        #expect(MarkdownExporter.title(of: titled) == "Short title")
        #expect(MarkdownExporter.title(of: Document(text: "", path: "empty.txt")) == "empty.txt")
    }

    @Test func markdownBlockquoteSplitsAtLineFeedsAndCRLF() {
        #expect(MarkdownExporter.blockquote("one") == "> one")
        // a lone CR is no line break in the reader, which draws it as a space
        #expect(MarkdownExporter.blockquote("a\r\nb\nc\rd") == "> a\n> b\n> c d")
        #expect(MarkdownExporter.blockquote("a\r\r\nb") == "> a&#32;\n> b")
        #expect(MarkdownExporter.blockquote("a\n\nb\n") == "> a\n> \n> b\n> ")
        #expect(MarkdownExporter.blockquote("") == "> ")
    }

    // MARK: Formats and errors

    @Test func exportFormatDispatchesToEachExporter() throws {
        let (document, annotations) = try Self.seedFixture()
        #expect(ExportFormat.allCases == [.w3c, .csv, .markdown, .html, .labelstudio, .jsonl])
        #expect(ExportFormat(rawValue: "w3c") == .w3c && ExportFormat(rawValue: "markdown") == .markdown)
        #expect(ExportFormat.allCases.map(\.fileExtension) == ["jsonld", "csv", "md", "html", "json", "jsonl"])
        #expect(try ExportFormat.w3c.export(document: document, annotations: annotations, codebook: Self.codebook)
                == W3CExporter.export(document: document, annotations: annotations))
        #expect(try ExportFormat.csv.export(document: document, annotations: annotations, codebook: Self.codebook)
                == CSVExporter.export(document: document, annotations: annotations))
        #expect(try ExportFormat.markdown.export(document: document, annotations: annotations, codebook: Self.codebook)
                == MarkdownExporter.export(document: document, annotations: annotations, codebook: Self.codebook))
        #expect(try ExportFormat.html.export(document: document, annotations: annotations, codebook: Self.codebook)
                == HTMLExporter.export(document: document, annotations: annotations, codebook: Self.codebook))
        let entry = CorpusEntry(name: document.fileName, document: document, contents: StoreContents(annotations: annotations), codebook: Self.codebook)
        #expect(try ExportFormat.labelstudio.export(document: document, annotations: annotations, codebook: Self.codebook)
                == LabelStudioExporter.export(corpus: [entry]).tasks)
        #expect(try ExportFormat.jsonl.export(document: document, annotations: annotations, codebook: Self.codebook)
                == JSONLExporter.export(corpus: [entry]).text)
    }

    @Test(arguments: ExportFormat.allCases)
    func annotationsThatDoNotFitTheDocumentAreRefused(format: ExportFormat) throws {
        let document = Document(text: "Cafe\u{301} au lait", path: "cafe.txt")
        let good = Annotation(document: document, range: 0..<5, tags: [], date: Self.date, id: "A")
        #expect(good.quote == "Cafe\u{301}")

        var stale = good
        stale.quote = "Caf\u{E9}"  // canonically equivalent, but not the same code points
        #expect(throws: ExportError.quoteMismatch(id: "A", start: 0, end: 5, quote: "Caf\u{E9}", found: "Cafe\u{301}")) {
            try format.export(document: document, annotations: [stale], codebook: Self.codebook)
        }
        var outside = good
        outside.end = 99
        #expect(throws: ExportError.spanOutsideDocument(id: "A", start: 0, end: 99, length: 13)) {
            try format.export(document: document, annotations: [outside], codebook: Self.codebook)
        }
        #expect(ExportError.spanOutsideDocument(id: "A", start: 0, end: 99, length: 13).description
                == "annotation A: span 0..<99 lies outside the document's 13 code points")
    }
}
