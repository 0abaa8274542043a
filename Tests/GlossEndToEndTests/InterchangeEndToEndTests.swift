import Foundation
import GlossCore
import GlossTestSupport
import Testing

/// `gloss export --format labelstudio`, `--format jsonl`, `--format csv --excel` and
/// `--source-url` as a user runs them, on a document with a flag emoji and CRLFs before
/// its spans.
@Suite(.serialized) struct InterchangeEndToEndTests {
    /// A flag (two code points outside the BMP, four UTF-16 code units) and CRLFs before
    /// the spans.
    static let text = "Ankara talks \u{1F1F9}\u{1F1F7} end\r\nTurkey and the EU agreed\r\nto share data, officials said."

    /// `article.txt` in `folder` (or `name`) with a store: "Turkey" (a nested value, a note
    /// of two lines), "the EU" (two tags), "officials" (untagged) and a relation.
    @discardableResult
    static func codedArticle(in folder: URL, name: String = "article.txt") throws -> URL {
        let path = folder.appendingPathComponent(name)
        try Data(text.utf8).write(to: path)
        let document = try Document(contentsOfFile: path.path)
        func annotation(_ needle: String, _ tags: [GlossCore.Tag], note: String = "", id: String) throws -> Annotation {
            Annotation(document: document, range: try CoderEndToEndTests.span(text, from: needle, through: needle), tags: tags, note: note,
                       author: "ana", date: Date(timeIntervalSince1970: 1_800_000_000), id: id)
        }
        let annotations = [
            try annotation("Turkey", [GlossCore.Tag(category: "actor", value: "national government")], note: "Ankara's line,\n\"as usual\"", id: "T1"),
            try annotation("the EU", [GlossCore.Tag(category: "actor", value: "EU"), GlossCore.Tag(category: "threat", value: "")], id: "T2"),
            try annotation("officials", [], note: "who?", id: "T3"),
        ]
        let relation = Relation(type: "acts-on", from: "T1", to: "T2", author: "ana", date: Date(timeIntervalSince1970: 1_800_000_000), id: "R1")
        try AnnotationStore(path: AnnotationStore.defaultPath(forDocument: path.path))
            .save(StoreContents(annotations: annotations, relations: [relation]), of: document)
        return path
    }

    static func gloss(_ arguments: [String], in folder: URL) throws -> ProcessResult {
        try BratEndToEndTests.gloss(arguments, in: folder)
    }

    static func slice(_ text: String, _ range: [Int], utf16: Bool) -> String {
        utf16 ? String(decoding: Array(text.utf16)[range[0]..<range[1]], as: UTF16.self)
            : String(String.UnicodeScalarView(Array(text.unicodeScalars)[range[0]..<range[1]]))
    }

    @Test("gloss export --format labelstudio -o OUT.json writes the tasks and OUT.config.xml; every region's code-point span is its text; --source-url fills data.url")
    func labelStudio() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        try Self.codedArticle(in: folder.url)
        let result = try Self.gloss(["export", "article.txt", "--format", "labelstudio", "-o", "tasks.json",
                                     "--source-url", "https://example.org/news/ankara"], in: folder.url)
        #expect(result.status == 0, "\(result.error)")
        let tasks = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: folder.url.appendingPathComponent("tasks.json"))) as? [[String: Any]])
        #expect(tasks.count == 1)
        let data = try #require(tasks[0]["data"] as? [String: Any])
        #expect(data["text"] as? String == Self.text && data["document"] as? String == "article.txt")
        #expect(data["url"] as? String == "https://example.org/news/ankara")
        let results = try #require((tasks[0]["predictions"] as? [[String: Any]])?.first?["result"] as? [[String: Any]])
        let regions = results.filter { $0["type"] as? String == "labels" }
        #expect(regions.count == 3)
        for region in regions {
            let value = try #require(region["value"] as? [String: Any])
            let range = [try #require(value["start"] as? Int), try #require(value["end"] as? Int)]
            #expect(Self.slice(Self.text, range, utf16: false) == value["text"] as? String)
            #expect(Self.slice(Self.text, range, utf16: true) != value["text"] as? String, "after the flag UTF-16 would differ")
        }
        #expect(((regions[1]["value"] as? [String: Any])?["labels"] as? [String]) == ["actor:EU", "threat"])
        #expect(results.contains { $0["type"] as? String == "textarea" && (($0["value"] as? [String: Any])?["text"] as? [String]) == ["Ankara's line,\n\"as usual\""] })
        #expect(results.contains { $0["type"] as? String == "relation" && $0["from_id"] as? String == "T1" && $0["to_id"] as? String == "T2" })
        let config = try String(contentsOf: folder.url.appendingPathComponent("tasks.config.xml"), encoding: .utf8)
        #expect(config.hasPrefix("<View>\n"))
        for label in ["actor:EU", "threat", "gloss-untagged", "acts-on"] { #expect(config.contains("value=\"\(label)\""), "\(label)") }

        // to standard output: the tasks, and a word on where the configuration goes
        let piped = try Self.gloss(["export", "article.txt", "--format", "labelstudio"], in: folder.url)
        #expect(piped.status == 0 && piped.output.hasPrefix("[\n"))
        #expect(piped.error.contains("give -o OUT.json to get OUT.config.xml"), "\(piped.error)")
    }

    @Test("gloss export --format jsonl: one line per document; spans in UTF-16 code units by default, in code points with --offsets code-points; notes and relations named as not exported")
    func jsonl() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let docs = folder.url.appendingPathComponent("docs")
        try FileManager.default.createDirectory(at: docs, withIntermediateDirectories: true)
        try Self.codedArticle(in: docs, name: "a.txt")
        try Self.codedArticle(in: docs, name: "b.txt")
        for (arguments, utf16) in [([String](), true), (["--offsets", "code-points"], false)] {
            let result = try Self.gloss(["export", "docs", "--format", "jsonl", "-o", "out.jsonl"] + arguments, in: folder.url)
            #expect(result.status == 0, "\(result.error)")
            #expect(result.error.contains("docs/a.txt: 2 note(s) not exported") && result.error.contains("docs/b.txt: 1 relation(s) not exported"), "\(result.error)")
            let lines = try String(contentsOf: folder.url.appendingPathComponent("out.jsonl"), encoding: .utf8).split(separator: "\n")
            #expect(lines.count == 2)
            for line in lines {
                let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
                #expect(object["text"] as? String == Self.text)
                let spans = try #require(object["label"] as? [[Any]])
                #expect(spans.map { $0[2] as? String } == ["actor:national government", "actor:EU", "threat", "gloss-untagged"])
                let quotes = spans.map { Self.slice(Self.text, [$0[0] as! Int, $0[1] as! Int], utf16: utf16) }
                #expect(quotes == ["Turkey", "the EU", "the EU", "officials"], "\(arguments)")
            }
        }
    }

    @Test("gloss export --format csv --excel: both tables begin with EF BB BF, the records after it as without --excel")
    func excel() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        try Self.codedArticle(in: folder.url)
        let plain = try Self.gloss(["export", "article.txt", "--format", "csv", "-o", "plain.csv"], in: folder.url)
        let excel = try Self.gloss(["export", "article.txt", "--format", "csv", "--excel", "-o", "excel.csv"], in: folder.url)
        #expect(plain.status == 0 && excel.status == 0, "\(plain.error)\(excel.error)")
        for (name, relations) in [("excel.csv", "excel.relations.csv")] {
            let table = try Data(contentsOf: folder.url.appendingPathComponent(name))
            let relationTable = try Data(contentsOf: folder.url.appendingPathComponent(relations))
            #expect(Array(table.prefix(3)) == [0xEF, 0xBB, 0xBF] && Array(relationTable.prefix(3)) == [0xEF, 0xBB, 0xBF])
            #expect(table.dropFirst(3) == (try Data(contentsOf: folder.url.appendingPathComponent("plain.csv"))))
            #expect(relationTable.dropFirst(3) == (try Data(contentsOf: folder.url.appendingPathComponent("plain.relations.csv"))))
        }
        #expect(try Data(contentsOf: folder.url.appendingPathComponent("plain.csv")).first == UInt8(ascii: "d"), "no mark without --excel")
    }

    @Test("--source-url names the W3C targets' source; it is refused with a folder, with another format or when it is no absolute URL; --excel and --offsets only with their formats")
    func sourceURLAndRefusals() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        try Self.codedArticle(in: folder.url)
        let w3c = try Self.gloss(["export", "article.txt", "--format", "w3c", "--source-url", "https://example.org/a?id=1"], in: folder.url)
        #expect(w3c.status == 0, "\(w3c.error)")
        #expect(w3c.output.contains("\"source\" : \"https://example.org/a?id=1\"") && !w3c.output.contains("file://"))
        let refusals: [([String], String)] = [
            (["export", ".", "--format", "w3c", "--source-url", "https://example.org/a"], "--source-url names the web address of one document"),
            (["export", "article.txt", "--format", "csv", "--source-url", "https://example.org/a"], "--source-url is for --format w3c and labelstudio"),
            (["export", "article.txt", "--format", "w3c", "--source-url", "example.org/a"], "is not an absolute URL"),
            (["export", "article.txt", "--format", "w3c", "--source-url", "https://example.org/a b"], "is not an absolute URL"),
            (["export", "article.txt", "--format", "w3c", "--excel"], "--excel is for --format csv"),
            (["export", "article.txt", "--format", "labelstudio", "--offsets", "utf16"], "--offsets is for --format jsonl"),
        ]
        for (arguments, message) in refusals {
            let result = try Self.gloss(arguments, in: folder.url)
            #expect(result.status != 0 && result.error.contains(message), "\(arguments): \(result.error)")
        }
    }
}
