import Foundation
import GlossCore
import GlossTestSupport
import Testing

/// The analyst's workbench walked through as a new user would, in a real terminal, on a
/// real news article: every edit checked in the store file Gloss writes, then undone step
/// by step, redone, and found again after quitting and reopening.
@Suite(.serialized) struct WorkbenchAcceptanceTests {
    static let korea = Paths.shared.appendingPathComponent("corpus/news/wikinews_news_korea.txt")

    /// The store beside `article` as Gloss wrote it, once `condition` holds (saves run on
    /// a background thread); fails the test after `timeout` seconds.
    @discardableResult
    func store(of article: URL, timeout: Double = 10, sourceLocation: SourceLocation = #_sourceLocation,
               _ condition: (StoreContents) -> Bool) throws -> StoreContents {
        let path = article.path + ".gloss.json"
        let deadline = Date().addingTimeInterval(timeout)
        var last: StoreContents?
        while Date() < deadline {
            if let data = try? Data(contentsOf: URL(fileURLWithPath: path)),
               let contents = try? StoreCodec.decode(data, path: path) {
                last = contents
                if condition(contents) { return contents }
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        Issue.record("the store never reached the expected state; it was \(String(describing: last))", sourceLocation: sourceLocation)
        return try #require(last, sourceLocation: sourceLocation)
    }

    /// Every tag of the store as `category=value`, sorted, one entry per annotation.
    static func tagSummary(_ contents: StoreContents) -> [String] {
        contents.annotations.map { annotation in
            annotation.quote + " | " + annotation.tags.map { "\($0.category)=\($0.value)" }.joined(separator: ",")
        }.sorted()
    }

    /// What a store holds, in words a test compares: each annotation's quote, start, tags
    /// and note, and each relation by its ends' quotes and starts, sorted.
    static func summary(_ contents: StoreContents) -> [String] {
        let byID = Dictionary((contents.annotations + contents.orphans).map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let annotations = contents.annotations.map { annotation in
            "\(annotation.quote)@\(annotation.start) " + annotation.tags.map { "\($0.category)=\($0.value)" }.joined(separator: ",")
                + (annotation.note.isEmpty ? "" : " note:" + annotation.note)
        }
        let relations = contents.relations.map { relation in
            let from = byID[relation.from].map { "\($0.quote)@\($0.start)" } ?? relation.from
            let to = byID[relation.to].map { "\($0.quote)@\($0.start)" } ?? relation.to
            return "\(from) -\(relation.type)-> \(to)"
        }
        return (annotations + relations).sorted()
    }

    /// A team codebook: the bundled one with `state > South Korea, North Korea` nested in
    /// the actor's values and a name of its own.
    static func teamCodebook() throws -> Data {
        let bundled = Paths.package.appendingPathComponent("Resources/codebook.json")
        var tree = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: bundled)) as? [String: Any])
        var categories = try #require(tree["categories"] as? [[String: Any]])
        var actorValues = try #require(categories[0]["values"] as? [Any])
        actorValues.append(["value": "state", "values": ["South Korea", "North Korea"]])
        categories[0]["values"] = actorValues
        tree["categories"] = categories
        tree["name"] = "Korea desk"
        return try JSONSerialization.data(withJSONObject: tree, options: [.prettyPrinted, .sortedKeys])
    }

    @Test("tag, untag, change, tag all, rename, note, filter, link; each step undone and redone; all there after reopening; exports keep paths and relations")
    func walkThroughTheWorkbench() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        // the team codebook sits in the parent of the article's folder
        try Self.teamCodebook().write(to: folder.url.appendingPathComponent("gloss.codebook.json"))
        let desk = folder.url.appendingPathComponent("korea")
        try FileManager.default.createDirectory(at: desk, withIntermediateDirectories: true)
        let article = desk.appendingPathComponent("wikinews_news_korea.txt")
        try FileManager.default.copyItem(at: Self.korea, to: article)

        let session = try TmuxSession(command: glossCommand(["korea/wikinews_news_korea.txt"]), width: 120, height: 40, folder: folder.url)
        try session.waitFor("? help")
        var snapshots: [[String]] = [[]]
        /// Waits for the store to show a new state meeting `condition` and keeps it.
        func step(_ sourceLocation: SourceLocation = #_sourceLocation, _ condition: @escaping (StoreContents) -> Bool) throws {
            let contents = try store(of: article, sourceLocation: sourceLocation) { contents in
                Self.summary(contents) != snapshots.last! && condition(contents)
            }
            snapshots.append(Self.summary(contents))
        }

        // 1. one span, two categories: the first "South Korea", found by search, selected with v
        try session.send("/")
        try session.send("South Korea", literal: true)
        try session.send("Enter", "v", "a")
        try session.waitFor("Actor")
        try session.send("South Korea", literal: true)
        try session.send("Enter")
        try session.waitFor("Tagged Actor: South Korea")
        try step { $0.annotations.count == 1 }
        try session.send("t")
        try session.send("armed attack", literal: true)
        try session.send("Enter")
        try session.waitFor("Tagged Threat: armed attack")
        try step { $0.annotations.first?.tags.count == 2 }
        let first = try #require(try store(of: article) { _ in true }.annotations.first)
        #expect(first.quote == "South Korea")

        // 2. remove one tag in the detail view
        try session.send("Enter")
        try session.waitFor("Code points \(first.start)–\(first.end)")
        try session.send("j", "x")
        try session.waitFor("armed attack (u undoes)")
        try step { $0.annotations.first?.tags.map(\.category) == ["actor"] }

        // 3. change the value (Ctrl-U clears the prompt, Ctrl-J keeps the typed text)
        try session.send("Enter", "C-u")
        try session.send("Seoul government", literal: true)
        try session.send("C-j")
        try session.waitFor("Now Actor: Seoul government")
        try step { $0.annotations.first?.tags == [Tag(category: "actor", value: "Seoul government")] }
        try session.send("Escape")

        // 4. tag every other occurrence of the name: whole words only, not "South Korean"
        try session.send("*")
        try session.waitFor("Tag 4 other occurrences of “South Korea”")
        try session.send("y")
        try session.waitFor("Tagged 4 occurrences")
        try step { $0.annotations.count == 5 && $0.annotations.allSatisfy { $0.quote == "South Korea" } }

        // 5. rename the value across the document, back to the codebook's nested value
        try session.send("Enter", "R")
        try session.waitFor("Rename “Seoul government” in 5 annotations to:")
        try session.send("C-u")
        try session.send("South Korea", literal: true)
        try session.send("C-j")
        try session.waitFor("to “South Korea” in 5 annotations")
        try step { $0.annotations.allSatisfy { $0.tags == [Tag(category: "actor", value: "South Korea")] } }

        // 6. a three-line note, read back in the detail view
        try session.send("m")
        try session.waitFor("Note — Actor: South Korea")
        try session.send("First line of the note.", literal: true)
        try session.send("Enter")
        try session.send("Second: Seoul answered the shelling.", literal: true)
        try session.send("Enter")
        try session.send("Third line.", literal: true)
        try session.send("C-s")
        try session.waitFor("Note saved")
        try step { $0.annotations.contains { $0.note == "First line of the note.\nSecond: Seoul answered the shelling.\nThird line." } }
        var screen = try session.waitFor("Second: Seoul answered the shelling.")
        #expect(screen.contains { $0.contains("First line of the note.") } && screen.contains { $0.contains("Third line.") })
        try session.send("Escape")

        // 7. filter by one value, then clear it
        try session.send("f")
        try session.send("actor=South Korea", literal: true)
        try session.send("Enter")
        try session.waitFor("Filter actor=South Korea: 5 of 5 annotations")
        try session.send("F")

        // 8. a cooperation measure, linked from the actor before it
        try session.send("/")
        try session.send("Both countries", literal: true)
        try session.send("Enter", "c")
        try session.send("military alert", literal: true)
        try session.send("C-j")
        try session.waitFor("Tagged Cooperation measure: military alert")
        try step { $0.annotations.count == 6 }
        try session.send("[", "r")
        try session.waitFor("Link from Actor: South Korea")
        try session.send("]", "r")
        try session.waitFor("Link Actor → Cooperation measure as (Enter: undertakes)")
        try session.send("Enter")
        try session.waitFor("—undertakes→ Cooperation measure: military alert")
        try step { $0.relations.map(\.type) == ["undertakes"] }
        let final = snapshots.last!

        // undo reverses each step, in order; redo brings them all back
        for expected in snapshots.dropLast().reversed() {
            try session.send("u")
            try store(of: article) { Self.summary($0) == expected }
        }
        for expected in snapshots.dropFirst() {
            try session.send("C-r")
            try store(of: article) { Self.summary($0) == expected }
        }
        try session.send("q")
        #expect(try session.waitForExit() == 0)

        // quit and reopen: all is there, relation and note in the detail view
        let reopened = try TmuxSession(command: glossCommand(["korea/wikinews_news_korea.txt"]), width: 120, height: 40, folder: folder.url)
        try reopened.waitFor("Actor 5 · Threat 0 · Cooperation measure 1")
        #expect(Self.summary(try store(of: article) { _ in true }) == final)
        try reopened.send("G", "Enter")
        try reopened.waitFor("← undertakes from Actor: South Korea")
        // the actor at the other end shows the link
        try reopened.send("Escape", "[", "Enter")
        try reopened.waitFor("undertakes → Cooperation measure: military alert")
        // the first annotation shows its three-line note
        try reopened.send("Escape", "g", "]", "Enter")
        screen = try reopened.waitFor("Second: Seoul answered the shelling.")
        #expect(screen.contains { $0.contains("First line of the note.") } && screen.contains { $0.contains("Third line.") })
        try reopened.send("Escape", "q")
        #expect(try reopened.waitForExit() == 0)

        // exports: the nested value keeps its path; the W3C collection with the relation is valid
        let environment = ["GLOSS_RESOURCES": Paths.package.appendingPathComponent("Resources").path]
        let csv = folder.url.appendingPathComponent("korea.csv")
        let csvRun = try run(Paths.gloss.path, ["export", article.path, "--format", "csv", "-o", csv.path], environment: environment)
        #expect(csvRun.status == 0, "\(csvRun.error)")
        let rows = try String(contentsOf: csv, encoding: .utf8)
        #expect(rows.contains(",state/South Korea,"), "\(rows)")
        let w3c = folder.url.appendingPathComponent("korea.jsonld")
        let w3cRun = try run(Paths.gloss.path, ["export", article.path, "--format", "w3c", "-o", w3c.path], environment: environment)
        #expect(w3cRun.status == 0, "\(w3cRun.error)")
        let python = try #require(which("python3"), "python3 is needed for the W3C validator")
        let validation = try run(python, [Paths.w3cValidator.path, w3c.path, "--source", article.path])
        #expect(validation.status == 0, "validator: \(validation.output)\(validation.error)")
        let exported = try String(contentsOf: w3c, encoding: .utf8)
        #expect(exported.contains("\"motivation\" : \"linking\""))
        #expect(exported.contains("state/South Korea"))
    }
}

/// A store written by an earlier Gloss, opened in a real terminal.
@Suite(.serialized) struct StoreMigrationEndToEndTests {
    @Test("a version 2 store opens in the reader, is migrated to version 3 and the original is kept as .bak and .v2")
    func version2StoreMigrates() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let article = try folder.copy(Paths.seedArticle, as: "article.txt")
        let text = try String(contentsOf: article, encoding: .utf8)
        let quote = "Global Conference"
        let length = text.unicodeScalars.count
        let v2 = """
        {"annotations": [{"author": "earlier", "created": "2026-01-01T00:00:00Z", "end": 17, "id": "kept", \
        "modified": "2026-01-01T00:00:00Z", "note": "from version 2", "prefix": "", "quote": "\(quote)", "start": 0, \
        "suffix": "\(codePoints(text, 17..<49))", "tags": [{"category": "actor", "value": "conference"}]}], \
        "document": {"length": \(length), "path": "article.txt", "sha256": "00"}, "format": "gloss-annotations", \
        "orphans": [], "version": 2}
        """
        let storeURL = folder.url.appendingPathComponent("article.txt.gloss.json")
        try Data(v2.utf8).write(to: storeURL)
        let session = try TmuxSession(command: glossCommand(["article.txt"]), width: 160, height: 30, folder: folder.url)
        try session.waitFor("store migrated from version 2 to 3")
        try session.send("q")
        #expect(try session.waitForExit() == 0)
        #expect(try Data(contentsOf: URL(fileURLWithPath: storeURL.path + ".bak")) == Data(v2.utf8))
        #expect(try Data(contentsOf: URL(fileURLWithPath: storeURL.path + ".v2")) == Data(v2.utf8))
        let migrated = try StoreCodec.decode(Data(contentsOf: storeURL), path: storeURL.path)
        #expect(migrated.version == 3)
        #expect(migrated.annotations.map(\.note) == ["from version 2"])
        #expect(migrated.relations.isEmpty && migrated.memo.isEmpty)
    }
}
