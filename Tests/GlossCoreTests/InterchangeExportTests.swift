import Foundation
import GlossTestSupport
import Testing
@testable import GlossCore

/// Gloss's tag, not Swift Testing's `Tag`.
private typealias Tag = GlossCore.Tag

/// The shared fixture of the brat tests (``BratTests/fixture(in:)``: overlapping spans, a
/// span at 0 and one ending at the last character, an emoji of two code points outside
/// the BMP and CRLFs before spans, a multi-line note with quotes and commas, a nested
/// value, a relation) as one corpus entry.
enum InterchangeFixture {
    static func entry(in folder: URL) throws -> CorpusEntry {
        let (document, contents) = try BratTests.fixture(in: folder)
        return CorpusEntry(name: "article.txt", document: document, contents: contents, codebook: BratTests.codebook)
    }

    /// `text[range]` counting Unicode code points, as Python's `str` and Gloss count.
    static func codePoints(_ text: String, _ start: Int, _ end: Int) -> String {
        let scalars = Array(text.unicodeScalars)
        return String(String.UnicodeScalarView(scalars[start..<end]))
    }

    /// `text[range]` counting UTF-16 code units, as JavaScript's string indexes count.
    static func utf16(_ text: String, _ start: Int, _ end: Int) -> String {
        String(decoding: Array(text.utf16)[start..<end], as: UTF16.self)
    }
}

/// `gloss export --format labelstudio`: Label Studio tasks with predictions and the
/// labeling configuration that goes with them.
@Suite struct LabelStudioExportTests {
    static let goldenTasks = #"""
        [
          {
            "data" : {
              "document" : "article.txt",
              "memo" : "not exported",
              "text" : "Ankara talks 🇹🇷 end\r\nTurkey and the EU agreed to share passenger data\r\nwith Europol, officials said.\r\nThe EU welcomed it"
            },
            "predictions" : [
              {
                "model_version" : "gloss",
                "result" : [
                  {
                    "from_name" : "label",
                    "id" : "A0000000-0000-4000-8000-000000000001",
                    "to_name" : "text",
                    "type" : "labels",
                    "value" : {
                      "end" : 6,
                      "labels" : [
                        "actor:state/Turkey"
                      ],
                      "start" : 0,
                      "text" : "Ankara"
                    }
                  },
                  {
                    "from_name" : "note",
                    "id" : "A0000000-0000-4000-8000-000000000001",
                    "to_name" : "text",
                    "type" : "textarea",
                    "value" : {
                      "end" : 6,
                      "start" : 0,
                      "text" : [
                        "Capital, not the state:\n\"Ankara\" means the government,\tas usual; see C:\\notes"
                      ]
                    }
                  },
                  {
                    "from_name" : "label",
                    "id" : "A0000000-0000-4000-8000-000000000002",
                    "to_name" : "text",
                    "type" : "labels",
                    "value" : {
                      "end" : 38,
                      "labels" : [
                        "actor:state/Turkey",
                        "actor:European Union"
                      ],
                      "start" : 21,
                      "text" : "Turkey and the EU"
                    }
                  },
                  {
                    "from_name" : "label",
                    "id" : "A0000000-0000-4000-8000-000000000003",
                    "to_name" : "text",
                    "type" : "labels",
                    "value" : {
                      "end" : 83,
                      "labels" : [
                        "cooperation-measure:passenger data sharing"
                      ],
                      "start" : 32,
                      "text" : "the EU agreed to share passenger data\r\nwith Europol"
                    }
                  },
                  {
                    "from_name" : "label",
                    "id" : "A0000000-0000-4000-8000-000000000004",
                    "to_name" : "text",
                    "type" : "labels",
                    "value" : {
                      "end" : 83,
                      "labels" : [
                        "actor",
                        "actor:AML/CFT 100%"
                      ],
                      "start" : 76,
                      "text" : "Europol"
                    }
                  },
                  {
                    "from_name" : "label",
                    "id" : "A0000000-0000-4000-8000-000000000005",
                    "to_name" : "text",
                    "type" : "labels",
                    "value" : {
                      "end" : 94,
                      "labels" : [
                        "gloss-untagged"
                      ],
                      "start" : 85,
                      "text" : "officials"
                    }
                  },
                  {
                    "from_name" : "note",
                    "id" : "A0000000-0000-4000-8000-000000000005",
                    "to_name" : "text",
                    "type" : "textarea",
                    "value" : {
                      "end" : 94,
                      "start" : 85,
                      "text" : [
                        "who?"
                      ]
                    }
                  },
                  {
                    "from_name" : "label",
                    "id" : "A0000000-0000-4000-8000-000000000006",
                    "to_name" : "text",
                    "type" : "labels",
                    "value" : {
                      "end" : 120,
                      "labels" : [
                        "actor:European Union",
                        "threat"
                      ],
                      "start" : 102,
                      "text" : "The EU welcomed it"
                    }
                  },
                  {
                    "direction" : "right",
                    "from_id" : "A0000000-0000-4000-8000-000000000002",
                    "labels" : [
                      "undertakes"
                    ],
                    "to_id" : "A0000000-0000-4000-8000-000000000003",
                    "type" : "relation"
                  }
                ]
              }
            ]
          }
        ]

        """#

    static let goldenConfiguration = #"""
        <View>
          <Relations>
            <Relation value="acts-on"/>
            <Relation value="undertakes"/>
            <Relation value="targets"/>
          </Relations>
          <Labels name="label" toName="text" choice="multiple">
            <Label value="actor" background="#00CDCD"/>
            <Label value="actor:state" background="#00CDCD"/>
            <Label value="actor:state/Turkey" background="#00CDCD"/>
            <Label value="actor:European Union" background="#00CDCD"/>
            <Label value="threat" background="#CD0000"/>
            <Label value="threat:terrorism" background="#CD0000"/>
            <Label value="cooperation-measure" background="#00CD00"/>
            <Label value="cooperation-measure:passenger data sharing" background="#00CD00"/>
            <Label value="actor:AML/CFT 100%" background="#00CDCD"/>
            <Label value="gloss-untagged" background="#808080"/>
          </Labels>
          <Text name="text" value="$text"/>
          <TextArea name="note" toName="text" perRegion="true" editable="true" placeholder="Note"/>
        </View>

        """#

    @Test("The fixture's tasks and configuration are the golden files; what Label Studio cannot hold is named")
    func golden() throws {
        let folder = try ExportTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = try LabelStudioExporter.export(corpus: [try InterchangeFixture.entry(in: folder)])
        #expect(output.tasks == Self.goldenTasks)
        #expect(output.configuration == Self.goldenConfiguration)
        #expect(output.notes == ["article.txt: 1 relation note(s) not exported: a Label Studio relation holds no text"])
    }

    @Test("Every region's start..<end, counted in code points of data.text, is its value.text: the emoji counts one per code point, each CR and LF one; UTF-16 counting would miss")
    func offsetsAreCodePoints() throws {
        let folder = try ExportTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let entry = try InterchangeFixture.entry(in: folder)
        let tasks = try #require(try JSONSerialization.jsonObject(with: Data(LabelStudioExporter.export(corpus: [entry]).tasks.utf8)) as? [[String: Any]])
        let task = try #require(tasks.first)
        let text = try #require((task["data"] as? [String: Any])?["text"] as? String)
        #expect(text == BratTests.text, "the text exactly, CRLFs kept")
        let results = try #require((task["predictions"] as? [[String: Any]])?.first?["result"] as? [[String: Any]])
        var checked = 0, shifted = 0
        for result in results where result["type"] as? String == "labels" {
            let value = try #require(result["value"] as? [String: Any])
            let start = try #require(value["start"] as? Int), end = try #require(value["end"] as? Int)
            #expect(InterchangeFixture.codePoints(text, start, end) == value["text"] as? String)
            if InterchangeFixture.utf16(text, start, end) != value["text"] as? String { shifted += 1 }
            checked += 1
        }
        #expect(checked == 6)
        #expect(shifted == 5, "every span after the flag would be misplaced by UTF-16 counting")
        // notes are per-region text areas with the region's id and span
        let notes = results.filter { $0["type"] as? String == "textarea" }
        #expect(notes.count == 2)
        #expect((notes.first?["value"] as? [String: Any])?["text"] as? [String] == [BratTests.note])
        #expect(notes.allSatisfy { note in results.contains { $0["type"] as? String == "labels" && $0["id"] as? String == note["id"] as? String } })

        guard ExportTests.requirePython(modules: []) else { return }
        let path = folder.appendingPathComponent("tasks.json").path
        try LabelStudioExporter.export(corpus: [entry]).tasks.write(toFile: path, atomically: true, encoding: .utf8)
        let script = """
            import json, sys
            tasks = json.load(open(sys.argv[1], encoding='utf-8'))
            bad = [(r['id'], r['value']) for t in tasks for p in t['predictions'] for r in p['result']
                   if r['type'] == 'labels' and t['data']['text'][r['value']['start']:r['value']['end']] != r['value']['text']]
            print(len(bad), 'mismatches')
            """
        let python = try ExportTests.python(["-c", script, path])
        #expect(python.output.trimmingCharacters(in: .newlines) == "0 mismatches", "\(python.output)\(python.error)")
    }

    @Test("The configuration declares every label and relation type the tasks use, the note text area, and no XML declaration")
    func configurationCoversTheTasks() throws {
        let folder = try ExportTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = try LabelStudioExporter.export(corpus: [try InterchangeFixture.entry(in: folder)])
        #expect(output.configuration.hasPrefix("<View>\n"))
        let root = try XMLTree.parse(Data(output.configuration.utf8))
        let labels = Set(root.descendants.filter { $0.name == "Label" }.compactMap { $0.attributes["value"] })
        let relations = Set(root.descendants.filter { $0.name == "Relation" }.compactMap { $0.attributes["value"] })
        let tasks = try #require(try JSONSerialization.jsonObject(with: Data(output.tasks.utf8)) as? [[String: Any]])
        for result in tasks.flatMap({ (($0["predictions"] as? [[String: Any]]) ?? []).flatMap { ($0["result"] as? [[String: Any]]) ?? [] } }) {
            switch result["type"] as? String {
            case "labels":
                let used = ((result["value"] as? [String: Any])?["labels"] as? [String]) ?? []
                #expect(Set(used).isSubset(of: labels), "\(used)")
                #expect(result["from_name"] as? String == "label" && result["to_name"] as? String == "text")
            case "textarea":
                #expect(result["from_name"] as? String == "note")
            case "relation":
                #expect(Set((result["labels"] as? [String]) ?? []).isSubset(of: relations))
            default:
                Issue.record("unexpected result \(result)")
            }
        }
        let area = try #require(root.descendants.first { $0.name == "TextArea" })
        #expect(area.attributes["perRegion"] == "true" && area.attributes["name"] == "note" && area.attributes["toName"] == "text")
        #expect(root.descendants.first { $0.name == "Text" }?.attributes["value"] == "$text")
    }

    @Test("Ids that are not plain (spaces, repeated) become gloss-N; a source URL and a memo are data fields; orphans are named")
    func idsSourceAndOrphans() throws {
        let folder = try ExportTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var entry = try InterchangeFixture.entry(in: folder)
        entry.contents.annotations[0].id = "an id with spaces"
        let orphan = Annotation(id: "orphan", start: 0, end: 3, quote: "gone", prefix: "", suffix: "", tags: [Tag(category: "actor", value: "")],
                                note: "", author: "ana", created: "", modified: "")
        entry.contents.orphans = [orphan]
        entry.contents.relations.append(Relation(type: "acts-on", from: entry.contents.annotations[1].id, to: "orphan", id: "R2"))
        let output = try LabelStudioExporter.export(corpus: [entry], sourceURL: "https://example.org/news/ankara")
        let task = try #require((try JSONSerialization.jsonObject(with: Data(output.tasks.utf8)) as? [[String: Any]])?.first)
        let data = try #require(task["data"] as? [String: Any])
        #expect(data["url"] as? String == "https://example.org/news/ankara")
        #expect(data["memo"] as? String == "not exported")
        let ids = ((task["predictions"] as? [[String: Any]])?.first?["result"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
        #expect(ids.first == "gloss-1")
        #expect(output.notes.contains("article.txt: 1 orphaned annotation(s) (with no place in the text) not exported: Label Studio needs offsets"))
        #expect(output.notes.contains("article.txt: 1 relation(s) with an orphaned end not exported"))
        #expect(LabelStudioExporter.configurationPath(besides: "out/tasks.JSON") == "out/tasks.config.xml")
        #expect(LabelStudioExporter.configurationPath(besides: "tasks") == "tasks.config.xml")
    }
}

/// `gloss export --format jsonl`: doccano's sequence-labeling JSONL.
@Suite struct JSONLExportTests {
    static let goldenUTF16 = #"""
        {"text":"Ankara talks 🇹🇷 end\r\nTurkey and the EU agreed to share passenger data\r\nwith Europol, officials said.\r\nThe EU welcomed it","label":[[0,6,"actor:state/Turkey"],[23,40,"actor:state/Turkey"],[23,40,"actor:European Union"],[34,85,"cooperation-measure:passenger data sharing"],[78,85,"actor"],[78,85,"actor:AML/CFT 100%"],[87,96,"gloss-untagged"],[104,122,"actor:European Union"],[104,122,"threat"]]}

        """#

    static let goldenCodePoints = #"""
        {"text":"Ankara talks 🇹🇷 end\r\nTurkey and the EU agreed to share passenger data\r\nwith Europol, officials said.\r\nThe EU welcomed it","label":[[0,6,"actor:state/Turkey"],[21,38,"actor:state/Turkey"],[21,38,"actor:European Union"],[32,83,"cooperation-measure:passenger data sharing"],[76,83,"actor"],[76,83,"actor:AML/CFT 100%"],[85,94,"gloss-untagged"],[102,120,"actor:European Union"],[102,120,"threat"]]}

        """#

    @Test("The fixture's line is the golden one, in UTF-16 code units by default and in code points on request; what doccano cannot hold is named")
    func golden() throws {
        let folder = try ExportTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let entry = try InterchangeFixture.entry(in: folder)
        let output = try JSONLExporter.export(corpus: [entry])
        #expect(output.text == Self.goldenUTF16)
        #expect(try JSONLExporter.export(corpus: [entry], offsets: .codePoints).text == Self.goldenCodePoints)
        #expect(output.notes == [
            "article.txt: 2 note(s) not exported: doccano's JSONL holds spans and labels only",
            "article.txt: 1 relation(s) not exported: doccano's sequence-labeling JSONL has no relations",
            "article.txt: the document memo is not exported: doccano's JSONL has no place for it",
        ])
    }

    @Test("Each span sliced from text in its unit is its annotation's quote: UTF-16 code units by default, code points with --offsets code-points; one line per document")
    func offsets() throws {
        let folder = try ExportTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let entry = try InterchangeFixture.entry(in: folder)
        let quotes = Set(entry.contents.annotations.map(\.quote))
        for (unit, slice) in [(JSONLExporter.OffsetUnit.utf16, InterchangeFixture.utf16), (.codePoints, InterchangeFixture.codePoints)] {
            let text = try JSONLExporter.export(corpus: [entry, entry], offsets: unit).text
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            #expect(lines.count == 3 && lines.last == "", "a line per document, each ended by LF")
            let object = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
            let document = try #require(object["text"] as? String)
            #expect(document == BratTests.text)
            let spans = try #require(object["label"] as? [[Any]])
            #expect(spans.count == 9)
            for span in spans {
                let start = try #require(span[0] as? Int), end = try #require(span[1] as? Int)
                #expect(quotes.contains(slice(document, start, end)), "\(unit): \(span)")
            }
        }
        #expect(JSONLExporter.utf16Offsets(in: "a\u{1F1F9}\u{1F1F7}\r\nb", at: [0, 1, 2, 3, 5, 6]) == [0: 0, 1: 1, 2: 3, 3: 5, 5: 7, 6: 8])

        guard ExportTests.requirePython(modules: []) else { return }
        let path = folder.appendingPathComponent("out.jsonl").path
        try JSONLExporter.export(corpus: [entry]).text.write(toFile: path, atomically: true, encoding: .utf8)
        let script = """
            import json, sys
            quotes = set(sys.argv[2:])
            for line in open(sys.argv[1], encoding='utf-8', newline=''):
                doc = json.loads(line)
                units = doc['text'].encode('utf-16-le')
                print(sum(units[2*s:2*e].decode('utf-16-le') not in quotes for s, e, _ in doc['label']), 'mismatches')
            """
        let python = try ExportTests.python(["-c", script, path] + quotes.sorted())
        #expect(python.output.trimmingCharacters(in: .newlines) == "0 mismatches", "\(python.output)\(python.error)")
    }

    @Test("NEL, LINE SEPARATOR and PARAGRAPH SEPARATOR in a text are escaped: Python's splitlines reads one record per document, and json.loads gives the text back")
    func lineSeparatorsEscaped() throws {
        let folder = try ExportTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("separators.txt").path
        let text = "One\u{2028}two\u{85}three\u{2029}four."
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        let document = try Document(contentsOfFile: path)
        let annotation = Annotation(document: document, range: ExportTests.span(of: "two", in: text), tags: [Tag(category: "actor", value: "x")],
                                    note: "", author: "ana", date: ExportTests.date, id: "A0000000-0000-4000-8000-000000000009")
        let entry = CorpusEntry(name: "separators.txt", document: document, contents: StoreContents(annotations: [annotation]), codebook: BratTests.codebook)
        let output = try JSONLExporter.export(corpus: [entry, entry]).text
        #expect(!output.unicodeScalars.contains { [0x85, 0x2028, 0x2029].contains($0.value) })
        #expect(output.contains("One\\u2028two\\u0085three\\u2029four."))
        guard ExportTests.requirePython(modules: []) else { return }
        let out = folder.appendingPathComponent("out.jsonl").path
        try output.write(toFile: out, atomically: true, encoding: .utf8)
        let script = """
            import json, sys
            lines = open(sys.argv[1], encoding='utf-8', newline='').read().splitlines()
            print(len(lines), all(json.loads(line)['text'] == sys.argv[2] for line in lines))
            """
        let python = try ExportTests.python(["-c", script, out, text])
        #expect(python.output.trimmingCharacters(in: .newlines) == "2 True", "\(python.output)\(python.error)")
    }
}

/// `--excel` and `--source-url` as the core writes them.
@Suite struct ExcelAndSourceURLTests {
    @Test("An Excel CSV begins with the UTF-8 byte-order mark EF BB BF, then the RFC 4180 records with CRLF")
    func excelByteOrderMark() throws {
        let folder = try ExportTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let entry = try InterchangeFixture.entry(in: folder)
        let csv = CSVExporter.excelByteOrderMark + (try CSVExporter.export(document: entry.document, contents: entry.contents, codebook: entry.codebook))
        #expect(Array(Data(csv.utf8).prefix(3)) == [0xEF, 0xBB, 0xBF])
        #expect(String(decoding: Data(csv.utf8).dropFirst(3), as: UTF8.self).hasPrefix(CSVExporter.header + "\r\n"))
    }

    @Test("With a source URL every W3C target names it instead of the file URL, and the memo targets it")
    func w3cSourceURL() throws {
        let folder = try ExportTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let entry = try InterchangeFixture.entry(in: folder)
        let url = "https://example.org/news/ankara-talks"
        let text = try ExportFormat.w3c.export(document: entry.document, contents: entry.contents, codebook: entry.codebook, sourceURL: url)
        #expect(!text.contains("file://"))
        let root = try ExportTests.json(text)
        let items = try #require((root["first"] as? [String: Any])?["items"] as? [[String: Any]])
        #expect(items.first?["target"] as? String == url, "the memo")
        let sources = items.compactMap { ($0["target"] as? [String: Any])?["source"] as? String }
        #expect(sources.count == 6 && sources.allSatisfy { $0 == url })
    }
}
