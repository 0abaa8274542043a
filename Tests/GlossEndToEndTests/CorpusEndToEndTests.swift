import Foundation
import GlossCore
import GlossTestSupport
import Testing

/// `gloss export`, `gloss stats` and `gloss grep` over a corpus of three coded news
/// articles from `../shared/corpus/news/`, plus a fourth without a store.
///
/// The coding (quotes are the first occurrence unless said; `state/…` values are nested
/// under `state` in the folder's team codebook):
///
/// asylum (A):  A1 "Indonesian Navy"                        actor Indonesia
///              A2 "fishermen rescued over 700 asylum seekers"  cooperation-measure rescue
///              A3 "Malaysia and Indonesia"                 actor Malaysia, actor Indonesia
///              A4 "turning away boats of migrants"         cooperation-measure border security
///              A5 "Thailand has recently cracked down on human trafficking"  actor Thailand, threat human trafficking
///              relation A3 undertakes A4; A1 and A2 share paragraph 3's one sentence, A3 and A4 paragraph 5's
/// hackers (B): B1 "the Church of Scientology's website is being attacked by hackers"  threat cyber attack
///              B2 "Church of Scientology" (2nd occurrence, inside B1)  actor Church of Scientology
///              B3 "Anonymous"                              actor Anonymous
///              B4 "The attack was launched on Wednesday"   threat cyber attack
///              relation B3 acts-on B4; B3 and B4 share paragraph 4's first sentence
/// korea (C):   C1 "North Korea" (in the title)             actor North Korea
///              C2 "quasi-state of war" (in the title)      threat armed attack
///              C3 "North and South Korea exchanged artillery fire"  threat armed attack, actor North Korea, actor South Korea
///              C5 "South Korea evacuated about 80 people"  actor South Korea, cooperation-measure rescue
///              memo "Escalation on the border."
/// sensitive:   no store: skipped with a note.
@Suite(.serialized) struct CorpusEndToEndTests {
    static let news = Paths.shared.appendingPathComponent("corpus/news")
    static let environment = ["GLOSS_RESOURCES": Paths.package.appendingPathComponent("Resources").path]

    static let codebook = """
    {"name": "Team", "categories": [
      {"id": "actor", "label": "Actor", "key": "a", "color": "cyan", "description": "Who acts",
       "values": [{"value": "state", "values": ["Indonesia", "Malaysia", "North Korea", "South Korea"]}, "Anonymous", "Church of Scientology"]},
      {"id": "threat", "label": "Threat", "key": "t", "color": "red", "description": "What threatens",
       "values": ["cyber attack", "armed attack", "human trafficking"]},
      {"id": "cooperation-measure", "label": "Cooperation measure", "key": "c", "color": "green", "description": "How",
       "values": ["rescue", "border security"]}],
     "relations": [
      {"id": "acts-on", "label": "acts on", "from": ["actor"], "to": ["threat"]},
      {"id": "undertakes", "label": "undertakes", "from": ["actor"], "to": ["cooperation-measure"]}]}
    """

    /// One annotation to make: its quote, which occurrence (from 0), its tags.
    struct Coding {
        var id: String
        var quote: String
        var occurrence = 0
        var tags: [(String, String)]
    }

    static let codings: [String: [Coding]] = [
        "wikinews_news_asylum.txt": [
            Coding(id: "A1", quote: "Indonesian Navy", tags: [("actor", "Indonesia")]),
            Coding(id: "A2", quote: "fishermen rescued over 700 asylum seekers", tags: [("cooperation-measure", "rescue")]),
            Coding(id: "A3", quote: "Malaysia and Indonesia", tags: [("actor", "Malaysia"), ("actor", "Indonesia")]),
            Coding(id: "A4", quote: "turning away boats of migrants", tags: [("cooperation-measure", "border security")]),
            Coding(id: "A5", quote: "Thailand has recently cracked down on human trafficking",
                   tags: [("actor", "Thailand"), ("threat", "human trafficking")]),
        ],
        "wikinews_news_hackers.txt": [
            Coding(id: "B1", quote: "the Church of Scientology's website is being attacked by hackers", tags: [("threat", "cyber attack")]),
            Coding(id: "B2", quote: "Church of Scientology", occurrence: 1, tags: [("actor", "Church of Scientology")]),
            Coding(id: "B3", quote: "Anonymous", tags: [("actor", "Anonymous")]),
            Coding(id: "B4", quote: "The attack was launched on Wednesday", tags: [("threat", "cyber attack")]),
        ],
        "wikinews_news_korea.txt": [
            Coding(id: "C1", quote: "North Korea", tags: [("actor", "North Korea")]),
            Coding(id: "C2", quote: "quasi-state of war", tags: [("threat", "armed attack")]),
            Coding(id: "C3", quote: "North and South Korea exchanged artillery fire",
                   tags: [("threat", "armed attack"), ("actor", "North Korea"), ("actor", "South Korea")]),
            Coding(id: "C5", quote: "South Korea evacuated about 80 people",
                   tags: [("actor", "South Korea"), ("cooperation-measure", "rescue")]),
        ],
    ]
    static let relations: [String: [(String, String, String)]] = [
        "wikinews_news_asylum.txt": [("RA", "undertakes", "A3→A4")],
        "wikinews_news_hackers.txt": [("RB", "acts-on", "B3→B4")],
    ]

    /// A UUID made from a short id, so tests can name annotations.
    static func uuid(_ short: String) -> String {
        let hex = short.unicodeScalars.map { String(format: "%02X", $0.value) }.joined()
        let padded = String((hex + String(repeating: "0", count: 32)).prefix(32))
        let parts = [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { range in
            String(padded[padded.index(padded.startIndex, offsetBy: range.lowerBound)..<padded.index(padded.startIndex, offsetBy: range.upperBound)])
        }
        return parts.joined(separator: "-")
    }

    /// Copies the four articles into `folder/news` with the team codebook, and writes the
    /// stores of the three coded ones. Returns the news folder.
    static func makeCorpus(in folder: URL) throws -> URL {
        let target = folder.appendingPathComponent("news")
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
        try Data(codebook.utf8).write(to: folder.appendingPathComponent("gloss.codebook.json"))
        let date = Date(timeIntervalSince1970: 1_795_000_000)
        for name in ["wikinews_news_asylum.txt", "wikinews_news_hackers.txt", "wikinews_news_korea.txt", "wikinews_news_sensitive.txt"] {
            let path = target.appendingPathComponent(name)
            try FileManager.default.copyItem(at: news.appendingPathComponent(name), to: path)
            guard let codings = codings[name] else { continue }
            let document = try Document(contentsOfFile: path.path)
            let text = document.text
            var annotations: [Annotation] = []
            for coding in codings {
                let range = try #require(occurrence(of: coding.quote, in: text, number: coding.occurrence), "\(coding.quote) in \(name)")
                annotations.append(Annotation(document: document, range: range,
                                              tags: coding.tags.map { GlossCore.Tag(category: $0.0, value: $0.1) },
                                              author: "ana", date: date, id: uuid(coding.id)))
                #expect(annotations.last?.quote == coding.quote)
            }
            let links = (relations[name] ?? []).map { id, type, ends in
                let parts = ends.components(separatedBy: "→")
                return Relation(type: type, from: uuid(parts[0]), to: uuid(parts[1]), author: "ana", date: date, id: uuid(id))
            }
            let memo = name.contains("korea") ? "Escalation on the border." : ""
            try AnnotationStore(path: AnnotationStore.defaultPath(forDocument: path.path))
                .save(StoreContents(annotations: annotations, relations: links, memo: memo), of: document)
        }
        return target
    }

    /// Code points of the `number`-th (from 0) occurrence of `needle` in `text`.
    static func occurrence(of needle: String, in text: String, number: Int) -> Range<Int>? {
        let haystack = Array(text.unicodeScalars), pattern = Array(needle.unicodeScalars)
        var seen = 0
        var index = 0
        while index + pattern.count <= haystack.count {
            if haystack[index..<(index + pattern.count)].elementsEqual(pattern) {
                if seen == number { return index..<(index + pattern.count) }
                seen += 1
            }
            index += 1
        }
        return nil
    }

    static func gloss(_ arguments: [String], in folder: URL) throws -> ProcessResult {
        try run("/bin/sh", ["-c", "cd '\(folder.path)' && exec \"$0\" \"$@\"", Paths.gloss.path] + arguments, environment: environment)
    }

    // MARK: export

    @Test func exportW3COfTheCorpusPassesTheValidatorWithEveryDocumentAsSource() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        _ = try Self.makeCorpus(in: folder.url)
        let result = try Self.gloss(["export", "news", "--format", "w3c", "-o", "corpus.jsonld"], in: folder.url)
        #expect(result.status == 0, "\(result.error)")
        #expect(result.error.contains("news/wikinews_news_sensitive.txt: no annotation store"), "\(result.error)")
        let out = folder.url.appendingPathComponent("corpus.jsonld").path
        let python = try #require(which("python3"))
        let sources = ["asylum", "hackers", "korea"].flatMap { ["--source", folder.url.appendingPathComponent("news/wikinews_news_\($0).txt").path] }
        let validation = try run(python, [Paths.w3cValidator.path, out] + sources)
        // 13 annotations, 2 relations, 1 memo
        #expect(validation.status == 0, "\(validation.output)\(validation.error)")
        #expect(validation.output.contains("16 annotations checked"), "\(validation.output)")

        let root = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out))) as? [String: Any])
        #expect(root["type"] as? String == "AnnotationCollection")
        #expect(root["total"] as? Int == 16)
        let items = try #require((root["first"] as? [String: Any])?["items"] as? [[String: Any]])
        // the nested value is written with its path
        let bodies = items.compactMap { $0["body"] as? [[String: Any]] }.flatMap { $0 }.compactMap { $0["value"] as? String }
        #expect(bodies.contains("actor:state/Indonesia"))
        #expect(bodies.contains("actor:Thailand"))
        // each target names its own document
        let a1 = try #require(items.first { $0["id"] as? String == "urn:uuid:" + Self.uuid("A1").lowercased() })
        #expect(((a1["target"] as? [String: Any])?["source"] as? String)?.hasSuffix("/news/wikinews_news_asylum.txt") == true)
        let link = try #require(items.first { $0["id"] as? String == "urn:uuid:" + Self.uuid("RB").lowercased() })
        let ends = try #require(link["target"] as? [[String: Any]])
        #expect(ends.map { $0["id"] as? String } == ["urn:uuid:\(Self.uuid("B3").lowercased())#target", "urn:uuid:\(Self.uuid("B4").lowercased())#target"])
        #expect(ends.allSatisfy { ($0["source"] as? String)?.hasSuffix("/news/wikinews_news_hackers.txt") == true })
    }

    @Test func exportCSVOfTheCorpusIsOneTableWithADocumentColumn() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        _ = try Self.makeCorpus(in: folder.url)
        let result = try Self.gloss(["export", "news/", "--format", "csv", "-o", "corpus.csv"], in: folder.url)
        #expect(result.status == 0, "\(result.error)")
        let python = try #require(which("python3"))
        let script = """
        import csv, json, sys
        rows = list(csv.DictReader(open(sys.argv[1], newline='', encoding='utf-8')))
        relations = list(csv.DictReader(open(sys.argv[2], newline='', encoding='utf-8')))
        print(json.dumps({"rows": [[r["document"], r["category"], r["value"]] for r in rows],
                          "relations": [[r["document"], r["type"], r["from_value"], r["to_value"]] for r in relations]}))
        """
        let parsed = try run(python, ["-c", script, folder.url.appendingPathComponent("corpus.csv").path,
                                      folder.url.appendingPathComponent("corpus.relations.csv").path])
        #expect(parsed.status == 0, "\(parsed.error)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(parsed.output.utf8)) as? [String: [[String]]])
        let rows = try #require(json["rows"])
        // one row per tag: 18 tags
        #expect(rows.count == 18)
        #expect(Set(rows.map { $0[0] }) == ["news/wikinews_news_asylum.txt", "news/wikinews_news_hackers.txt", "news/wikinews_news_korea.txt"])
        #expect(rows.filter { $0[0].hasSuffix("asylum.txt") }.count == 7)
        #expect(rows.contains(["news/wikinews_news_korea.txt", "actor", "state/South Korea"]))
        #expect(json["relations"] == [["news/wikinews_news_asylum.txt", "undertakes", "state/Malaysia", "border security"],
                                      ["news/wikinews_news_hackers.txt", "acts-on", "Anonymous", "cyber attack"]])
    }

    @Test func exportMarkdownOfTheCorpusHasASectionPerDocument() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        _ = try Self.makeCorpus(in: folder.url)
        let result = try Self.gloss(["export", "news", "--format", "markdown"], in: folder.url)
        #expect(result.status == 0, "\(result.error)")
        let lines = result.output.components(separatedBy: "\n")
        #expect(lines.first == "# Corpus: news")
        #expect(lines.contains("3 documents, 13 annotations. Offsets count code points from 0, end exclusive."))
        #expect(lines.filter { $0.hasPrefix("## ") } == [
            "## Over 900 asylum seekers rescued off Indonesian coast",
            "## Hackers attack Church of Scientology website",
            "## North Korea puts military in 'quasi-state of war'",
        ])
        #expect(lines.contains("File `news/wikinews_news_korea.txt`, 4 annotations."))
        #expect(lines.contains("#### state/South Korea"))
        #expect(lines.contains("### Memo"))
    }

    /// A damaged store is named, the rest exported, and the exit status is 1.
    @Test func aDamagedStoreIsReportedAndTheRestExported() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let news = try Self.makeCorpus(in: folder.url)
        try Data("{ not json".utf8).write(to: news.appendingPathComponent("wikinews_news_hackers.txt.gloss.json"))
        let result = try Self.gloss(["export", "news", "--format", "csv", "-o", "out.csv"], in: folder.url)
        #expect(result.status == 1)
        #expect(result.error.contains("news/wikinews_news_hackers.txt.gloss.json"), "\(result.error)")
        #expect(result.error.contains("1 document(s) not exported"), "\(result.error)")
        let csv = try String(contentsOf: folder.url.appendingPathComponent("out.csv"), encoding: .utf8)
        #expect(csv.contains("news/wikinews_news_korea.txt,"))
        #expect(!csv.contains("hackers"))
    }

    /// A copy of one document's store beside another (a rename mistake) is refused as the
    /// reader refuses it, never exported or counted again as the other's orphans.
    @Test func aStoreOfAnotherDocumentIsNeitherExportedNorCounted() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let news = try Self.makeCorpus(in: folder.url)
        let sensitive = news.appendingPathComponent("wikinews_news_sensitive.txt.gloss.json")
        try FileManager.default.copyItem(at: news.appendingPathComponent("wikinews_news_asylum.txt.gloss.json"), to: sensitive)
        let refusal = "news/wikinews_news_sensitive.txt.gloss.json belongs to wikinews_news_asylum.txt, not news/wikinews_news_sensitive.txt"

        let export = try Self.gloss(["export", "news", "--format", "csv"], in: folder.url)
        #expect(export.status == 1)
        #expect(export.error.contains(refusal + "; not exported (open it with gloss news/wikinews_news_sensitive.txt --relink to take it)"), "\(export.error)")
        #expect(!export.output.contains("news/wikinews_news_sensitive.txt,"))
        #expect(!export.error.contains("orphaned"), "\(export.error)")
        #expect(export.output.components(separatedBy: "news/wikinews_news_asylum.txt,").count - 1 == 7, "asylum's seven tag rows, once")

        let stats = try Self.gloss(["stats", "news", "--format", "json"], in: folder.url)
        #expect(stats.status == 1)
        #expect(stats.error.contains(refusal + "; not counted (open it with gloss news/wikinews_news_sensitive.txt --relink to take it)"), "\(stats.error)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(stats.output.utf8)) as? [String: Any])
        #expect(json["documents"] as? Int == 3)
        #expect(json["annotations"] as? Int == 13)

        let single = try Self.gloss(["export", "news/wikinews_news_sensitive.txt", "--format", "csv"], in: folder.url)
        #expect(single.status == 1)
        #expect(single.error.contains("not exported (open it with gloss news/wikinews_news_sensitive.txt --relink to take it)"), "\(single.error)")
        #expect(single.output.isEmpty)

        // the reader takes such a store for one document only
        let relink = try Self.gloss(["news", "--relink"], in: folder.url)
        #expect(relink.status == 1)
        #expect(relink.error.contains("--relink takes the store of one document; open that document alone"), "\(relink.error)")
    }

    /// A document whose file name is not UTF-8 (Latin-1 `café.txt`) cannot be opened by a
    /// `String` path: every command names it, bytes shown as `\xNN`, and fails.
    @Test func aFileNameThatIsNotUTF8IsNamedNotDropped() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let news = try Self.makeCorpus(in: folder.url)
        // the shell makes the name: a Swift string cannot hold its bytes
        let latin1 = "\"$(printf 'caf\\351.txt')\""
        func shell(_ command: String) throws -> ProcessResult {
            try run("/bin/sh", ["-c", "cd '\(news.path)' && cp wikinews_news_korea.txt \(latin1) && cp wikinews_news_korea.txt.gloss.json \(latin1).gloss.json && " + command],
                    environment: Self.environment)
        }
        let named = "./caf\\xE9.txt: the file's name is not valid UTF-8, so Gloss cannot open it"
        let stats = try shell("'\(Paths.gloss.path)' stats . --format json")
        #expect(stats.status == 1)
        #expect(stats.error.contains(named), "\(stats.error)")
        #expect(stats.error.contains("; not counted"))
        let export = try shell("'\(Paths.gloss.path)' export . --format csv")
        #expect(export.status == 1)
        #expect(export.error.contains(named + " (rename it, e.g. with convmv); not exported"), "\(export.error)")
        #expect(export.output.contains("./wikinews_news_korea.txt,"))
        let grep = try shell("'\(Paths.gloss.path)' grep Korea .")
        #expect(grep.status == 2)
        #expect(grep.error.contains(named), "\(grep.error)")
        #expect(grep.output.contains("./wikinews_news_korea.txt:1:"))
        // named on the command line: said so, not "no document there"
        for command in ["stats", "export --format csv", "grep Korea", "read"] {
            let direct = try shell("'\(Paths.gloss.path)' \(command) \(latin1)")
            #expect(direct.status == (command.hasPrefix("grep") ? 2 : 1))
            #expect(direct.error.contains("caf\\xE9.txt: not valid UTF-8"), "\(command): \(direct.error)")
        }
    }

    // MARK: stats

    @Test func statsJSONMatchesTheCountsByHand() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        _ = try Self.makeCorpus(in: folder.url)
        let result = try Self.gloss(["stats", "news", "--format", "json"], in: folder.url)
        #expect(result.status == 0, "\(result.error)")
        #expect(result.error.contains("1 document(s) without an annotation store"), "\(result.error)")
        let root = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
        #expect(root["documents"] as? Int == 3)
        #expect(root["annotations"] as? Int == 13)  // 5 + 4 + 4
        #expect(root["tags"] as? Int == 18)         // actor 10, threat 5, cooperation-measure 3
        var values: [String: [Int]] = [:]
        for value in try #require(root["values"] as? [[String: Any]]) {
            values["\(value["category"]!)=\(value["value"]!)"] = [value["tags"] as! Int, value["documents"] as! Int]
        }
        #expect(values == [
            "actor=state/Indonesia": [2, 1],       // A1, A3
            "actor=state/North Korea": [2, 1],     // C1, C3
            "actor=state/South Korea": [2, 1],     // C3, C5
            "actor=state/Malaysia": [1, 1],        // A3
            "actor=Anonymous": [1, 1], "actor=Church of Scientology": [1, 1], "actor=Thailand": [1, 1],
            "threat=armed attack": [2, 1],         // C2, C3
            "threat=cyber attack": [2, 1],         // B1, B4
            "threat=human trafficking": [1, 1],    // A5
            "cooperation-measure=rescue": [2, 2],  // A2, C5: two documents
            "cooperation-measure=border security": [1, 1],
        ])
        let perDocument = try #require(root["perDocument"] as? [[String: Any]])
        #expect(perDocument.map { $0["document"] as? String } == ["news/wikinews_news_asylum.txt", "news/wikinews_news_hackers.txt", "news/wikinews_news_korea.txt"])
        #expect(perDocument.map { $0["annotations"] as? Int } == [5, 4, 4])
        #expect(perDocument.map { $0["tags"] as? [String: Int] } == [
            ["actor": 4, "threat": 1, "cooperation-measure": 2],  // A1, A3 ×2, A5; A5; A2, A4
            ["actor": 2, "threat": 2, "cooperation-measure": 0],  // B2, B3; B1, B4
            ["actor": 4, "threat": 2, "cooperation-measure": 1],  // C1, C3 ×2, C5; C2, C3; C5
        ])
        var tables: [String: [String: Int]] = [:]
        for table in try #require(root["cooccurrence"] as? [[String: Any]]) {
            let name = "\(table["rows"]!)×\(table["columns"]!) \(table["basis"]!)"
            var cells: [String: Int] = [:]
            for cell in table["cells"] as! [[String: Any]] { cells["\(cell["row"]!)|\(cell["column"]!)"] = cell["count"] as? Int }
            tables[name] = cells
        }
        #expect(tables == [
            // B1 & B2 share paragraph 3's sentence, B3 & B4 paragraph 4's first, C1 & C2 the title
            "actor×threat sentence": ["Church of Scientology|cyber attack": 1, "Anonymous|cyber attack": 1, "state/North Korea|armed attack": 1],
            // A5 carries both, C3 carries one threat and two actors
            "actor×threat annotation": ["Thailand|human trafficking": 1, "state/North Korea|armed attack": 1, "state/South Korea|armed attack": 1],
            // B3 acts on B4
            "actor×threat relation": ["Anonymous|cyber attack": 1],
            // A1 & A2 share paragraph 3's sentence, A3 (two actors) & A4 paragraph 5's
            "actor×cooperation-measure sentence": ["state/Indonesia|rescue": 1, "state/Indonesia|border security": 1, "state/Malaysia|border security": 1],
            // C5
            "actor×cooperation-measure annotation": ["state/South Korea|rescue": 1],
            // A3 undertakes A4; A3 has two actors
            "actor×cooperation-measure relation": ["state/Indonesia|border security": 1, "state/Malaysia|border security": 1],
            "threat×cooperation-measure sentence": [:],
            "threat×cooperation-measure annotation": [:],
            "threat×cooperation-measure relation": [:],
        ])
    }

    @Test func statsCSVAndTableAgreeWithTheJSON() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        _ = try Self.makeCorpus(in: folder.url)
        let csv = try Self.gloss(["stats", "news", "--format", "csv"], in: folder.url)
        #expect(csv.status == 0, "\(csv.error)")
        let python = try #require(which("python3"))
        let script = """
        import csv, io, json, sys
        rows = list(csv.DictReader(io.StringIO(sys.stdin.read(), newline='')))
        print(json.dumps([[r[c] for c in ["table", "document", "category", "value", "with_category", "with_value", "measure", "count"]] for r in rows]))
        """
        let scriptFile = folder.url.appendingPathComponent("parse.py")
        try Data(script.utf8).write(to: scriptFile)
        let csvFile = folder.url.appendingPathComponent("stats.csv")
        try Data(csv.output.utf8).write(to: csvFile)
        let parsed = try run("/bin/sh", ["-c", "'\(python)' '\(scriptFile.path)' < '\(csvFile.path)'"])
        #expect(parsed.status == 0, "\(parsed.error)")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(parsed.output.utf8)) as? [[String]])
        #expect(rows.contains(["values", "", "cooperation-measure", "rescue", "", "", "tags", "2"]))
        #expect(rows.contains(["values", "", "cooperation-measure", "rescue", "", "", "documents", "2"]))
        #expect(rows.contains(["documents", "news/wikinews_news_asylum.txt", "", "", "", "", "annotations", "5"]))
        #expect(rows.contains(["documents", "news/wikinews_news_korea.txt", "actor", "", "", "", "tags", "4"]))
        #expect(rows.contains(["cooccurrence", "", "actor", "state/North Korea", "threat", "armed attack", "sentence", "1"]))
        #expect(rows.contains(["cooccurrence", "", "actor", "state/South Korea", "cooperation-measure", "rescue", "annotation", "1"]))
        #expect(rows.contains(["cooccurrence", "", "actor", "Anonymous", "threat", "cyber attack", "relation", "1"]))
        // 12 values × 2, 3 documents × 4, 3 + 3 + 1 + 3 + 1 + 2 cells
        #expect(rows.count == 24 + 12 + 13)

        let table = try Self.gloss(["stats", "news"], in: folder.url)
        #expect(table.status == 0, "\(table.error)")
        let lines = table.output.components(separatedBy: "\n")
        #expect(lines.first == "3 document(s), 13 annotation(s), 18 tag(s)")
        // the values table: every row's counts end in the same column
        let start = try #require(lines.firstIndex(of: "Tags and documents per category and value"))
        let valueRows = lines[(start + 1)...].prefix { !$0.isEmpty }
        #expect(valueRows.count == 13)
        #expect(Set(valueRows.map(\.count)).count == 1, "\(valueRows)")
        #expect(valueRows.contains { $0.hasPrefix("cooperation-measure  rescue ") && $0.hasSuffix("2          2") })
        #expect(lines.contains("Actor × Threat, same sentence (pairs of annotations sharing a sentence)"))
        #expect(lines.contains("Actor × Threat, relation (relations between the two)"))
        #expect(lines.contains("Threat × Cooperation measure, same annotation (annotations carrying both)"))
    }

    // MARK: grep

    @Test func grepListsMatchesBySentenceWithGrepsExitStatus() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        _ = try Self.makeCorpus(in: folder.url)
        let found = try Self.gloss(["grep", "indonesian NAVY", "news"], in: folder.url)
        #expect(found.status == 0, "\(found.error)")
        // any case: "Indonesian navy" in paragraph 6 too
        #expect(found.output == """
            news/wikinews_news_asylum.txt:3: On Friday, fishermen rescued over 700 asylum seekers whose boat sank, and the Indonesian Navy reportedly saved 200 more after they were found swimming along the coast of Aceh, Indonesia.
            news/wikinews_news_asylum.txt:6: One Rohingya, Muhammad Amin, the first boat rescued on Friday was turned around twice, toward Malaysia by Indonesian navy and then toward Indonesia by Malaysian navy.

            """)

        let several = try Self.gloss(["grep", "south korea", "news"], in: folder.url)
        #expect(several.status == 0)
        let lines = several.output.split(separator: "\n")
        #expect(lines.count == 6)  // "South Korea" occurs six times in the korea article
        #expect(lines.allSatisfy { $0.hasPrefix("news/wikinews_news_korea.txt:") })
        #expect(lines.first?.hasPrefix("news/wikinews_news_korea.txt:3: The report comes after North and South Korea exchanged") == true)

        let none = try Self.gloss(["grep", "zeppelin", "news"], in: folder.url)
        #expect(none.status == 1)
        #expect(none.output.isEmpty)

        let missing = try Self.gloss(["grep", "Korea", "news", "nowhere"], in: folder.url)
        #expect(missing.status == 2)
        #expect(missing.error.contains("nowhere: no document or folder there"), "\(missing.error)")

        let usage = try Self.gloss(["grep"], in: folder.url)
        #expect(usage.status == 2)
    }

    /// A paragraph of 100 kB whose "sentences" never start with a capital is one sentence:
    /// each match's line shows its surroundings, not the whole paragraph each time.
    @Test func grepCutsASentenceOfPagesAroundEachMatch() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        var text = ""
        for number in 0..<1_000 {
            text += "the minister said officials met to discuss border controls and the exchange of data \(number)"
            text += number % 4 == 0 ? " with Yeoncheon. " : " with partners. "
        }
        try Data((text + "\n").utf8).write(to: folder.url.appendingPathComponent("run-on.txt"))
        let found = try Self.gloss(["grep", "yeoncheon", "run-on.txt"], in: folder.url)
        #expect(found.status == 0, "\(found.error)")
        let lines = found.output.split(separator: "\n")
        #expect(lines.count == 250)
        // 200 characters either side of the match at most, and the "…" that say so
        #expect(lines.allSatisfy { $0.count <= "run-on.txt:1: ".count + 2 * 200 + "Yeoncheon".count + 2 }, "\(lines.map(\.count).max() ?? 0) characters")
        #expect(lines.allSatisfy { $0.hasSuffix("…") })
        #expect(lines.dropFirst().allSatisfy { $0.hasPrefix("run-on.txt:1: …") })
        #expect(lines.first?.hasPrefix("run-on.txt:1: the minister said officials met to discuss border controls and the exchange of data 0 with Yeoncheon. ") == true)
        #expect(lines.last?.contains("data 995 with partners. the minister said officials met to discuss border controls and the exchange of data 996 with Yeoncheon. the minister") == true)
    }

    /// A sentence is printed as the reader shows it whatever the pattern: a word broken at
    /// a hyphen and a line break joined, a tab as a space; and a space of the pattern finds
    /// a tab or a no-break space, in a small file and in a 1 MB paragraph of lines, which
    /// is searched in windows.
    @Test func grepPrintsASentenceTheSameForEveryPatternAndASpaceFindsBlanks() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        try Data("The counter-\nterrorism unit met.\n".utf8).write(to: folder.url.appendingPathComponent("a.txt"))
        for pattern in ["counter-terrorism", "terrorism unit", "The counter", "unit met", "r-t", "counter-"] {
            let found = try Self.gloss(["grep", pattern, "a.txt"], in: folder.url)
            #expect(found.status == 0, "\(pattern): \(found.error)")
            #expect(found.output == "a.txt:1: The counter-terrorism unit met.\n", "\(pattern)")
        }
        let (status, bytes) = try ExportEndToEndTests.runOnATerminal(["grep", "terrorism", "a.txt"], in: folder.url)
        #expect(status == 0)
        #expect(String(decoding: bytes, as: UTF8.self).contains("a.txt:1: The counter-\u{1B}[1;31mterrorism\u{1B}[0m unit met."))

        try Data("Alpha\tbeta gamma.\n\nDelta\u{A0}epsilon \t zeta.\n".utf8).write(to: folder.url.appendingPathComponent("tab.txt"))
        let tab = try Self.gloss(["grep", "alpha beta", "tab.txt"], in: folder.url)
        #expect(tab.status == 0, "\(tab.error)")
        #expect(tab.output == "tab.txt:1: Alpha beta gamma.\n")
        #expect(try Self.gloss(["grep", "beta gamma", "tab.txt"], in: folder.url).output == "tab.txt:1: Alpha beta gamma.\n")
        let blanks = try Self.gloss(["grep", "delta epsilon zeta", "tab.txt"], in: folder.url)
        #expect(blanks.output == "tab.txt:2: Delta\u{A0}epsilon   zeta.\n", "\(blanks.output.debugDescription)")
        #expect(try Self.gloss(["grep", "alpha\tbeta", "tab.txt"], in: folder.url).status == 0)
        #expect(try Self.gloss(["grep", "alphabeta", "tab.txt"], in: folder.url).status == 1)

        // 1 MB, one paragraph of lines: a word broken at a hyphen at a line's end, with
        // LF and with CR LF
        for (name, lineEnd) in [("big.txt", "\n"), ("big-crlf.txt", "\r\n")] {
            var lines: [String] = []
            for number in 0..<20_000 { lines.append("alpha beta gamma delta alpha beta gamma delta " + (number == 15_000 ? "sharp-" : "epsilon")) }
            let text = lines.joined(separator: lineEnd).replacingOccurrences(of: "sharp-\(lineEnd)alpha", with: "sharp-\(lineEnd)edged")
            try Data((text + lineEnd).utf8).write(to: folder.url.appendingPathComponent(name))
            for pattern in ["sharp-edged", "edged beta", "sharp"] {
                let found = try Self.gloss(["grep", pattern, name], in: folder.url)
                #expect(found.status == 0, "\(pattern) in \(name): \(found.error)")
                #expect(found.output.split(separator: "\n").count == 1)
                #expect(found.output.contains("delta sharp-edged beta gamma"), "\(pattern) in \(name)")
            }
        }
    }

    /// On a terminal a sentence is drawn as the reader draws it: a zero-width space, a
    /// direction override and a lone joiner as `·`, a soft hyphen as `-`, a control as its
    /// picture; into a pipe it is the text as it is, for other tools. `gloss text` on a
    /// terminal shows the text the same way.
    @Test func grepAndTextOnATerminalShowInvisibleCharactersAsTheReaderDoes() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let sentence = "The zero\u{200B}width word, an \u{202E}override\u{202C}, a word\u{2060}joiner, soft\u{AD}ly and a bell\u{7} end here."
        try Data("Title\n\n\(sentence)\n".utf8).write(to: folder.url.appendingPathComponent("invisible.txt"))
        let drawn = "The zero·width word, an ·override·, a word·joiner, soft-ly and a bell\u{2407} end here."
        let (status, bytes) = try ExportEndToEndTests.runOnATerminal(["grep", "width word", "invisible.txt"], in: folder.url)
        #expect(status == 0)
        let shown = String(decoding: bytes, as: UTF8.self)
        #expect(shown.contains("invisible.txt:2: The zero·\u{1B}[1;31mwidth word\u{1B}[0m, an ·override·, a word·joiner, soft-ly and a bell\u{2407} end here."),
                "\(shown.debugDescription)")
        for invisible in ["\u{200B}", "\u{202E}", "\u{202C}", "\u{2060}", "\u{AD}"] { #expect(!shown.contains(invisible), "\(invisible.debugDescription)") }
        let piped = try Self.gloss(["grep", "width word", "invisible.txt"], in: folder.url)
        #expect(piped.output == "invisible.txt:2: \(sentence)\n", "\(piped.output.debugDescription)")

        let (textStatus, textBytes) = try ExportEndToEndTests.runOnATerminal(["text", "invisible.txt"], in: folder.url)
        #expect(textStatus == 0)
        let text = String(decoding: textBytes, as: UTF8.self)
        #expect(text.contains(drawn), "\(text.debugDescription)")
        #expect(ExportEndToEndTests.terminalControls(in: textBytes) == [])
        #expect(try Self.gloss(["text", "invisible.txt"], in: folder.url).output == "Title\n\n\(sentence)\n")
    }

    /// On a terminal the match is marked and the document's control characters are shown
    /// as pictures: the only escape sequences are the marks.
    @Test func grepOnATerminalMarksTheMatchAndShowsControlsAsPictures() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        try Data("Title\n\nA bell\u{7} and \u{1B}]0;pwned\u{7} the target word here.\n".utf8)
            .write(to: folder.url.appendingPathComponent("hostile.txt"))
        let (status, bytes) = try ExportEndToEndTests.runOnATerminal(["grep", "TARGET", "."], in: folder.url)
        #expect(status == 0)
        var shown = String(decoding: bytes, as: UTF8.self)
        #expect(shown.contains("./hostile.txt:2: A bell\u{2407} and \u{241B}]0;pwned\u{2407} the \u{1B}[1;31mtarget\u{1B}[0m word here."), "\(shown)")
        shown = shown.replacingOccurrences(of: "\u{1B}[1;31m", with: "").replacingOccurrences(of: "\u{1B}[0m", with: "")
        #expect(ExportEndToEndTests.terminalControls(in: Array(shown.utf8)) == [], "raw controls reached the terminal")
    }
}

/// A folder of the corpus that cannot be listed (no permission).
@Suite(.serialized) struct UnreadableFolderEndToEndTests {
    @Test("grep, stats and export name an unreadable sub-folder with its real reason, do their work on the rest, and end with a failure status")
    func unreadableSubFolder() throws {
        let folder = try TemporaryFolder()
        defer {
            chmod(folder.url.appendingPathComponent("locked").path, 0o755)
            folder.cleanUp()
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder.url.path)
        let text = "ISIL claimed the attack.\n"
        try Data(text.utf8).write(to: folder.url.appendingPathComponent("a.txt"))
        let locked = folder.url.appendingPathComponent("locked")
        try FileManager.default.createDirectory(at: locked, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: locked.appendingPathComponent("b.txt"))
        let store = StoreContents(annotations: [Annotation(id: "A1", start: 0, end: 4, quote: "ISIL", prefix: "", suffix: " claimed the attack.\n",
                                                           tags: [Tag(category: "actor", value: "ISIL")], note: "", author: "t",
                                                           created: "2026-01-01T00:00:00Z", modified: "2026-01-01T00:00:00Z")])
        let document = try Document(contentsOfFile: folder.url.appendingPathComponent("a.txt").path)
        try AnnotationStore(path: document.path + ".gloss.json").save(store, of: document)
        chmod(folder.url.path + "/a.txt.gloss.json", 0o644)
        chmod(locked.path, 0o000)
        // root reads any folder: the commands run as nobody then, as a user without the permission would
        let prefix: [String] = getuid() == 0 ? ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] : []
        func gloss(_ arguments: [String]) throws -> ProcessResult {
            let command = prefix + [Paths.gloss.path] + arguments
            return try run("/bin/sh", ["-c", "cd '\(folder.url.path)' && exec \"$@\"", "sh"] + command,
                           environment: ["LANG": "C.UTF-8", "GLOSS_RESOURCES": Paths.package.appendingPathComponent("Resources").path])
        }
        let grep = try gloss(["grep", "ISIL", "."])
        #expect(grep.status == 2, "\(grep.error)")
        #expect(grep.output.contains("a.txt"), "the readable document is still searched")
        #expect(grep.error.contains("locked: cannot list the folder: Permission denied"), "\(grep.error)")
        let stats = try gloss(["stats", ".", "--format", "json"])
        #expect(stats.status == 1)
        #expect(stats.output.contains("ISIL"), "the readable document is still counted")
        #expect(stats.error.contains("Permission denied"))
        // what the folder holds is unknown: it is not counted as a document
        #expect(stats.error.contains("gloss: 1 folder not listed because of the errors above"), "\(stats.error)")
        #expect(!stats.error.contains("document(s) not counted"), "\(stats.error)")
        let export = try gloss(["export", ".", "--format", "csv"])
        #expect(export.status == 1)
        #expect(export.output.contains("ISIL"))
        #expect(export.error.contains("Permission denied"))
        #expect(export.error.contains("gloss: 1 folder not listed because of the errors above; 1 document(s) exported"), "\(export.error)")
        // a brat folder inside a folder the user may not write to: the reason is the system's
        let brat = try gloss(["export", "a.txt", "--format", "brat", "-o", "locked/brat"])
        #expect(brat.status == 1)
        #expect(brat.error.contains("cannot create a folder beside it: Permission denied"), "\(brat.error)")
    }

    @Test("the reader names a sub-folder it cannot list in the heading and the status line, and marks a document it cannot read ✗ cannot open, the reason in the status line")
    func readerNamesWhatItCannotRead() throws {
        let folder = try TemporaryFolder()
        let locked = folder.url.appendingPathComponent("locked"), unreadable = folder.url.appendingPathComponent("ok/u.txt")
        defer {
            chmod(locked.path, 0o755)
            folder.cleanUp()
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder.url.path)
        for (file, text) in [("ok/a.txt", "Fine doc.\n"), ("ok/u.txt", "Unreadable doc.\n"), ("ok/empty.txt", ""), ("locked/s.txt", "Secret doc.\n")] {
            let url = folder.url.appendingPathComponent(file)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        chmod(unreadable.path, 0o000)
        chmod(locked.path, 0o000)
        // root reads anything: the reader runs as nobody, as a user without the permission would
        let prefix = getuid() == 0 ? "/usr/bin/setpriv --reuid=65534 --regid=65534 --clear-groups " : ""
        let reader = try TmuxSession(command: prefix + glossCommand(["."]), width: 100, height: 8, folder: folder.url)
        var screen = try reader.waitFor("? help")
        #expect(screen[0].contains("✗ not listed: locked/"), "\(screen[0])")
        #expect(screen.last { !$0.isEmpty }?.contains("Not listed: locked/ (cannot list the folder: Permission denied)") == true, "\(screen)")
        #expect(screen.contains { $0.contains("(no text)") && $0.contains("ok/empty.txt") }, "an empty file is still (no text)")
        let row = try #require(screen.first { $0.contains("ok/u.txt") })
        #expect(row.contains("✗ cannot open: Permission denied"), "\(row)")
        try reader.send("j", "j")
        screen = try reader.waitFor("ok/u.txt: cannot open: Permission denied")
        try reader.send("q")
        #expect(try reader.waitForExit() == 0)
    }
}
