import Foundation
import GlossCore
import GlossTestSupport
import Testing

/// Gloss in a real terminal (tmux), on the real seed article, checked through the files it
/// writes and the screen it shows.
@Suite(.serialized) struct ReaderEndToEndTests {
    static let secondSentence = "Top officials of the United Nations who heads the Office of Counter Terrorism have claimed that the individuals leading the fight from a local to an international level would be provided the opportunity to show unity and speak with a professional voice."

    struct StoredAnnotation: Decodable {
        struct Tag: Decodable { var category: String; var value: String }
        var id: String
        var start: Int
        var end: Int
        var quote: String
        var prefix: String
        var suffix: String
        var tags: [Tag]
        var note: String
    }

    struct Store: Decodable {
        struct Document: Decodable { var path: String; var sha256: String; var length: Int }
        var format: String
        var version: Int
        var document: Document
        var annotations: [StoredAnnotation]
        var memo: String?
    }

    func readStore(_ url: URL) throws -> Store {
        try JSONDecoder().decode(Store.self, from: Data(contentsOf: url))
    }

    @Test func tagTheSecondSentenceThenExportValidW3C() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let article = try folder.copy(Paths.seedArticle)
        let text = try String(contentsOf: article, encoding: .utf8)

        let session = try TmuxSession(command: glossCommand([article.lastPathComponent]), width: 120, height: 40, folder: folder.url)
        try session.waitFor("? help")
        try session.send("j")
        try session.send("a")
        try session.waitFor("Actor:")
        try session.send("UN Office of Counter-Terrorism", literal: true)
        try session.send("Enter")
        try session.waitFor("Tagged Actor: UN Office of Counter-Terrorism")
        try session.send("q")
        #expect(try session.waitForExit() == 0)

        let store = try readStore(folder.url.appendingPathComponent(article.lastPathComponent + ".gloss.json"))
        #expect(store.format == "gloss-annotations")
        #expect(store.version == 3)
        #expect(store.document.length == text.unicodeScalars.count)
        try #require(store.annotations.count == 1)
        let annotation = store.annotations[0]
        #expect(annotation.tags.count == 1)
        #expect(annotation.tags.first?.category == "actor")
        #expect(annotation.tags.first?.value == "UN Office of Counter-Terrorism")
        #expect(annotation.quote == Self.secondSentence)
        #expect(codePoints(text, annotation.start..<annotation.end) == annotation.quote)

        let export = folder.url.appendingPathComponent("export.json")
        let exported = try run(Paths.gloss.path, ["export", article.path, "--format", "w3c", "-o", export.path],
                               environment: ["GLOSS_RESOURCES": Paths.package.appendingPathComponent("Resources").path])
        #expect(exported.status == 0, "gloss export failed: \(exported.error)")
        let python = try #require(which("python3"), "python3 is needed for the W3C validator")
        let validation = try run(python, [Paths.w3cValidator.path, export.path, "--source", article.path])
        #expect(validation.status == 0, "validator: \(validation.output)\(validation.error)")
        #expect(validation.output.contains("1 annotations checked"))
    }

    @Test func threeClaimsWithNoteDeleteAndUndoSurviveReopening() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let article = try folder.copy(Paths.seedArticle)
        let text = try String(contentsOf: article, encoding: .utf8)
        var session = try TmuxSession(command: glossCommand([article.lastPathComponent]), folder: folder.url)
        try session.waitFor("? help")
        // an actor on the second sentence
        try session.send("j", "a")
        try session.waitFor("Actor:")
        try session.send("ISIL", literal: true)
        try session.send("Enter")
        try session.waitFor("Tagged Actor: ISIL")
        // a threat on the third sentence less its last two words: v, then b three times
        try session.send("j", "v", "b", "b", "b")
        try session.waitFor("SELECT")
        try session.send("t")
        try session.waitFor("Threat:")
        try session.send("violent extremism", literal: true)
        try session.send("Enter")
        try session.waitFor("Tagged Threat: violent extremism")
        // a cooperation measure with a note on the next paragraph's first sentence
        try session.send("}", "c")
        try session.waitFor("Cooperation measure:")
        try session.send("information sharing", literal: true)
        try session.send("Enter")
        try session.waitFor("Tagged Cooperation measure")
        try session.send("m")
        try session.waitFor("Note — Cooperation measure")
        try session.send("conference agenda, check date", literal: true)
        try session.send("C-s")
        try session.waitFor("Note saved")
        // delete it, then undo the delete
        try session.send("x")
        try session.waitFor("Deleted")
        try session.send("u")
        try session.waitFor("Undid delete annotation")
        try session.send("q")
        #expect(try session.waitForExit() == 0)

        let storeURL = folder.url.appendingPathComponent(article.lastPathComponent + ".gloss.json")
        let store = try readStore(storeURL)
        try #require(store.annotations.count == 3)
        #expect(store.annotations.map { $0.tags.first?.category ?? "" } == ["actor", "threat", "cooperation-measure"])
        for annotation in store.annotations {
            #expect(codePoints(text, annotation.start..<annotation.end) == annotation.quote)
        }
        let threat = store.annotations[1]
        #expect(threat.quote == "Vladimir Voronkov, Under-Secretary-General of the Office of Counter-Terrorism mentioned that defending terrorism groups like the ISIL must involve the level of local communities, state and")
        #expect(store.annotations[2].note == "conference agenda, check date")

        // reopen: all three are listed
        session = try TmuxSession(command: glossCommand([article.lastPathComponent]), folder: folder.url)
        let screen = try session.waitFor("Annotations (3)")
        let joined = screen.joined(separator: "\n")
        #expect(joined.contains("Actor: ISIL"))
        #expect(joined.contains("Threat: violent extremism"))
        #expect(screen.contains { $0.contains("Cooperation measure: information sha") && $0.hasSuffix("✎") })
        try session.send("q")
        #expect(try session.waitForExit() == 0)
    }

    @Test func corruptStoreAndMissingFileFailBeforeTheScreenOpens() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let article = try folder.copy(Paths.seedArticle)
        let store = folder.url.appendingPathComponent(article.lastPathComponent + ".gloss.json")
        try Data("{".utf8).write(to: store)
        let environment = ["LANG": "C.UTF-8", "GLOSS_RESOURCES": Paths.package.appendingPathComponent("Resources").path]

        // without a terminal nothing is done to the damaged store
        let corrupt = try run(Paths.gloss.path, [article.path], environment: environment)
        #expect(corrupt.status != 0)
        let corruptLines = corrupt.error.split(separator: "\n")
        #expect(corruptLines.count == 1, "expected one line, got: \(corrupt.error)")
        #expect(corrupt.error.contains("needs a terminal"))
        #expect(try Data(contentsOf: store) == Data("{".utf8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path).sorted() == [article.lastPathComponent, store.lastPathComponent])

        let missing = folder.url.appendingPathComponent("no-such-article.txt")
        let result = try run(Paths.gloss.path, [missing.path], environment: environment)
        #expect(result.status != 0)
        #expect(result.error.split(separator: "\n").count == 1, "expected one line, got: \(result.error)")
        #expect(result.error.contains(missing.path))
        #expect(!FileManager.default.fileExists(atPath: missing.path))
        #expect(!FileManager.default.fileExists(atPath: missing.path + ".gloss.json"))

        let export = try run(Paths.gloss.path, ["export", article.path, "--format", "csv"], environment: environment)
        #expect(export.status != 0)
        #expect(export.error.contains(store.path))
        #expect(try Data(contentsOf: store) == Data("{".utf8))
    }

    @Test func editedArticleReanchorsOrOpensReadOnlyWithoutTouchingTheStore() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let article = try folder.copy(Paths.seedArticle)
        var session = try TmuxSession(command: glossCommand([article.lastPathComponent]), folder: folder.url)
        try session.waitFor("? help")
        try session.send("j", "a")
        try session.waitFor("Actor:")
        try session.send("Enter")
        try session.waitFor("Tagged Actor")
        try session.send("q")
        #expect(try session.waitForExit() == 0)
        let storeURL = folder.url.appendingPathComponent(article.lastPathComponent + ".gloss.json")
        let original = try String(contentsOf: article, encoding: .utf8)

        // a paragraph inserted above: the annotation follows its quote
        try ("Update: a new first paragraph.\n\n" + original).write(to: article, atomically: true, encoding: .utf8)
        session = try TmuxSession(command: glossCommand([article.lastPathComponent]), folder: folder.url)
        try session.waitFor("re-anchored")
        try session.send("q")
        #expect(try session.waitForExit() == 0)

        // two words of the annotated sentence reworded: the annotation follows them
        try original.replacingOccurrences(of: "Top officials", with: "Senior officials").write(to: article, atomically: true, encoding: .utf8)
        session = try TmuxSession(command: glossCommand([article.lastPathComponent]), folder: folder.url)
        try session.waitFor("re-anchored, 1 to edited text")
        try session.send("q")
        #expect(try session.waitForExit() == 0)

        // the annotated sentence deleted: an orphan, listed and exported, the store left
        // byte for byte until the user changes something after seeing the report
        let secondSentence = Self.secondSentence
        try original.replacingOccurrences(of: secondSentence, with: "").write(to: article, atomically: true, encoding: .utf8)
        let before = try Data(contentsOf: storeURL)
        session = try TmuxSession(command: glossCommand([article.lastPathComponent]), width: 120, height: 40, folder: folder.url)
        let report = try session.waitFor("1 orphaned")
        #expect(report.joined().contains("orphaned Actor"))
        try session.send("q")
        #expect(try session.waitForExit() == 0)
        #expect(try Data(contentsOf: storeURL) == before)
        let exportURL = folder.url.appendingPathComponent("export.jsonld")
        let export = try run(Paths.gloss.path, ["export", article.path, "--format", "w3c", "-o", exportURL.path],
                             environment: ["GLOSS_RESOURCES": Paths.package.appendingPathComponent("Resources").path])
        #expect(export.status == 0)
        #expect(export.error.contains("1 orphaned annotation(s)"))
        let validation = try run("/usr/bin/env", ["python3", Paths.w3cValidator.path, exportURL.path, "--source", article.path])
        #expect(validation.status == 0, "\(validation.output)")
        let exported = try String(contentsOf: exportURL, encoding: .utf8)
        #expect(exported.contains(secondSentence.replacingOccurrences(of: "\"", with: "\\\"")))

        // a change after the report: the orphan is written to "orphans" with the new hash
        session = try TmuxSession(command: glossCommand([article.lastPathComponent]), width: 120, height: 40, folder: folder.url)
        try session.waitFor("1 orphaned")
        try session.send("t")
        try session.waitFor("Threat:")
        try session.send("Enter")
        try session.waitFor("Tagged Threat")
        try session.send("q")
        #expect(try session.waitForExit() == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: storeURL)) as? [String: Any])
        let orphans = try #require(object["orphans"] as? [[String: Any]])
        #expect(orphans.map { $0["quote"] as? String } == [secondSentence])
        #expect((object["annotations"] as? [Any])?.count == 1)
        let recorded = try #require(object["document"] as? [String: Any])
        #expect(recorded["sha256"] as? String == AnnotationStore.sha256Hex(Array(try Data(contentsOf: article))))
    }

    @Test func pastingSeveralLinesFillsTheNoteEditorAndRunsNoCommands() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let article = try folder.copy(Paths.seedArticle)
        let session = try TmuxSession(command: glossCommand([article.lastPathComponent]), folder: folder.url)
        try session.waitFor("? help")
        try session.send("j", "a", "Enter")
        try session.waitFor("Tagged Actor")
        try session.send("m")
        try session.waitFor("Note — Actor")
        try session.paste("Source is the UN press release.\nFix the date later")
        let screen = try session.waitFor("Fix the date later")
        #expect(screen.contains { $0.contains("│ Source is the UN press release.") })
        try session.send("C-s")
        try session.waitFor("Note saved")
        // pasted outside a prompt, the x in the text must not delete anything
        try session.paste("x x x")
        try session.waitFor("Pasted text is only taken in a prompt or the note editor")
        try session.send("q")
        #expect(try session.waitForExit() == 0)
        let store = try readStore(folder.url.appendingPathComponent(article.lastPathComponent + ".gloss.json"))
        #expect(store.annotations.count == 1)
        #expect(store.annotations.first?.note == "Source is the UN press release.\nFix the date later")
    }

    @Test func threeLineNoteAndMemoThroughTheNoteEditorSurviveReopening() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let article = try folder.copy(Paths.seedArticle)
        let storeURL = folder.url.appendingPathComponent(article.lastPathComponent + ".gloss.json")
        var session = try TmuxSession(command: glossCommand([article.lastPathComponent]), folder: folder.url)
        try session.waitFor("? help")
        try session.send("j", "a")
        try session.waitFor("Actor:")
        try session.send("ISIL", literal: true)
        try session.send("Enter")
        try session.waitFor("Tagged Actor: ISIL")
        // three lines with Enter between them; Ctrl-S reaches gloss (no XON/XOFF) and saves
        try session.send("m")
        try session.waitFor("┌─ Note — Actor: ISIL “Top officials")
        try session.send("Source: UN press release", literal: true)
        try session.send("Enter")
        try session.send("国連 quote checked ✓", literal: true)
        try session.send("Enter")
        try session.send("Follow up on Thursday", literal: true)
        var screen = try session.waitFor("Follow up on Thursday")
        #expect(screen.contains { $0.contains("│ Source: UN press release") })
        #expect(screen.contains { $0.contains("│ 国連 quote checked ✓") })
        try session.send("C-s")
        try session.waitFor("Note saved")
        // the document memo, typed partly while the terminal is too small to show it
        try session.send("M")
        try session.waitFor("┌─ Document memo — \(article.lastPathComponent)")
        try session.send("Slant: official sources only", literal: true)
        try session.resize(width: 1, height: 1)
        try session.send("Enter")
        try session.send("typed while tiny", literal: true)
        try session.resize(width: 120, height: 40)
        try session.waitFor("typed while tiny")
        try session.send("C-s")
        try session.waitFor("Memo saved")
        try session.waitFor("Annotations (1) · Memo ✎")
        try session.send("q")
        #expect(try session.waitForExit() == 0)

        let store = try readStore(storeURL)
        try #require(store.annotations.count == 1)
        let note = store.annotations[0].note
        #expect(note == "Source: UN press release\n国連 quote checked ✓\nFollow up on Thursday")
        #expect(note.filter { $0 == "\n" }.count == 2)
        #expect(store.memo == "Slant: official sources only\ntyped while tiny")

        // reopened, the detail view shows every line of the note
        session = try TmuxSession(command: glossCommand([article.lastPathComponent]), folder: folder.url)
        try session.waitFor("Annotations (1) · Memo ✎")
        try session.send("]", "Enter")
        screen = try session.waitFor("Follow up on Thursday")
        for line in ["Source: UN press release", "国連 quote checked ✓", "Follow up on Thursday"] {
            #expect(screen.contains { $0.contains("  " + line) }, "the detail view lacks \(line):\n\(screen.joined(separator: "\n"))")
        }
        // and M shows the memo as saved
        try session.send("Escape", "M")
        try session.waitFor("typed while tiny")
        try session.send("Escape", "q")
        #expect(try session.waitForExit() == 0)
    }

    static let emojiIntro = "Note 👍🏽Emoji first. Second sentence.\r\n\r\n"

    @Test func spansAfterAnEmojiAndAfterCRLFInWarAndPeaceExportValidW3C() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        // War and Peace (BOM + CRLF) with an emoji line in front, BOM kept first
        var novel = try Data(contentsOf: Paths.shared.appendingPathComponent("corpus/large/war-and-peace-pg2600.txt"))
        #expect(novel.starts(with: [0xEF, 0xBB, 0xBF]))
        novel.removeFirst(3)
        let article = folder.url.appendingPathComponent("war-and-peace-emoji.txt")
        try (Data([0xEF, 0xBB, 0xBF]) + Data(Self.emojiIntro.utf8) + novel).write(to: article)
        let session = try TmuxSession(command: glossCommand([article.lastPathComponent]), folder: folder.url)
        try session.waitFor("? help", timeout: 30)
        // the first sentence less its first word and the emoji: v, o, w (the emoji is no word)
        try session.send("v", "o", "w")
        try session.waitFor("SELECT")
        try session.send("a")
        try session.waitFor("Actor:")
        try session.send("Enter")
        try session.waitFor("Tagged Actor")
        // the first sentence of the next paragraph, after CRLFs
        try session.send("}", "t", "Enter")
        try session.waitFor("Tagged Threat")
        try session.send("q")
        #expect(try session.waitForExit() == 0)

        let store = try readStore(folder.url.appendingPathComponent(article.lastPathComponent + ".gloss.json"))
        try #require(store.annotations.count == 2)
        #expect(store.annotations[0].quote == "Emoji first.")
        #expect(store.annotations[0].prefix.hasSuffix("👍🏽"))
        #expect(store.annotations[1].prefix.hasSuffix("\r\n\r\n"))
        let text = Self.emojiIntro + String(decoding: novel, as: UTF8.self)
        for annotation in store.annotations {
            #expect(codePoints(text, annotation.start..<annotation.end) == annotation.quote)
        }
        #expect(codePoints(text, (store.annotations[1].start - 2)..<store.annotations[1].start) == "\r\n")
        #expect(store.annotations[1].start > Self.emojiIntro.unicodeScalars.count)
        let export = folder.url.appendingPathComponent("export.json")
        let exported = try run(Paths.gloss.path, ["export", article.path, "--format", "w3c", "-o", export.path],
                               environment: ["GLOSS_RESOURCES": Paths.package.appendingPathComponent("Resources").path])
        #expect(exported.status == 0, "gloss export failed: \(exported.error)")
        let python = try #require(which("python3"))
        let validation = try run(python, [Paths.w3cValidator.path, export.path, "--source", article.path])
        #expect(validation.status == 0, "validator: \(validation.output)\(validation.error)")
        #expect(validation.output.contains("2 annotations checked"))
    }

    @Test func randomBytesAreRefusedAndEscapeSequencesAreShownNotObeyed() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        var generator = SystemRandomNumberGenerator()
        let noise = folder.url.appendingPathComponent("noise.bin")
        try Data((0..<4096).map { _ in UInt8.random(in: 0...255, using: &generator) }).write(to: noise)
        let refused = try run(Paths.gloss.path, [noise.path], environment: ["LANG": "C.UTF-8"])
        #expect(refused.status != 0)
        #expect(refused.error.split(separator: "\n").count == 1 && refused.error.contains(noise.path))

        let escapes = folder.url.appendingPathComponent("escapes.txt")
        try Data("Title\n\nhello \u{1B}[2J world \u{1B}]0;pwned\u{7} bell\u{7} done.\n".utf8).write(to: escapes)
        let stty = folder.url.appendingPathComponent("stty.txt")
        let session = try TmuxSession(command: glossCommand([escapes.lastPathComponent]) + "; status=$?; stty -a > '\(stty.path)'; (exit $status)", folder: folder.url)
        let screen = try session.waitFor("hello ␛[2J world ␛]0;pwned␇ bell␇ done.")
        #expect(screen.contains { $0.contains("Title") })
        try session.send("q")
        #expect(try session.waitForExit() == 0)
        let modes = try String(contentsOf: stty, encoding: .utf8)
        #expect(modes.contains(" echo ") && modes.contains(" icanon "))
    }

    @Test func aSecondGlossOnTheSameDocumentIsReadOnlyUntilTheFirstQuits() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let article = try folder.copy(Paths.seedArticle)
        let first = try TmuxSession(command: glossCommand([article.lastPathComponent]), folder: folder.url)
        try first.waitFor("? help")
        let second = try TmuxSession(command: glossCommand([article.lastPathComponent]), folder: folder.url)
        try second.waitFor("has \(article.lastPathComponent) open in gloss")
        try second.send("j", "a")
        try second.waitFor("Read-only")
        try second.send("j")
        try second.waitFor("READ-ONLY")
        try second.send("q")
        #expect(try second.waitForExit() == 0)
        try first.send("j", "a", "Enter")
        try first.waitFor("Tagged Actor")
        try first.send("q")
        #expect(try first.waitForExit() == 0)
        #expect(!FileManager.default.fileExists(atPath: article.path + ".gloss.json.lock"))
        // after the first quits, a new one can write
        let third = try TmuxSession(command: glossCommand([article.lastPathComponent]), folder: folder.url)
        try third.waitFor("Annotations (1)")
        try third.send("}", "}", "t", "Enter")
        try third.waitFor("Tagged Threat")
        try third.send("q")
        #expect(try third.waitForExit() == 0)
        #expect(try readStore(URL(fileURLWithPath: article.path + ".gloss.json")).annotations.count == 2)
    }

    @Test func exportRefusesToOverwriteTheDocumentOrTheStore() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let article = try folder.copy(Paths.seedArticle)
        let before = try Data(contentsOf: article)
        let environment = ["GLOSS_RESOURCES": Paths.package.appendingPathComponent("Resources").path]
        for output in [article.path, article.path + ".gloss.json"] {
            let result = try run(Paths.gloss.path, ["export", article.path, "--format", "csv", "-o", output], environment: environment)
            #expect(result.status != 0)
            #expect(result.error.contains("choose another output file"))
        }
        #expect(try Data(contentsOf: article) == before)
        #expect(!FileManager.default.fileExists(atPath: article.path + ".gloss.json"))
    }

    @Test("The file written beside -o (CSV's OUT.relations.csv, Label Studio's OUT.config.xml) never replaces the document, alone or in a corpus")
    func exportRefusesToOverwriteTheDocumentThroughItsSideFile() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let environment = ["GLOSS_RESOURCES": Paths.package.appendingPathComponent("Resources").path]
        for (name, format, output) in [("notes.relations.csv", "csv", "notes.csv"), ("notes.config.xml", "labelstudio", "notes.json")] {
            let article = try folder.copy(Paths.seedArticle, as: name)
            let before = try Data(contentsOf: article)
            for arguments in [[article.path], [article.path, folder.url.path]] {
                let out = folder.url.appendingPathComponent(output).path
                let result = try run(Paths.gloss.path, ["export"] + arguments + ["--format", format, "-o", out], environment: environment)
                #expect(result.status != 0, "\(arguments) \(format)")
                #expect(result.error.contains("written beside") && result.error.contains("choose another output file"), "\(result.error)")
                #expect(try Data(contentsOf: article) == before, "\(name) was overwritten")
                #expect(!FileManager.default.fileExists(atPath: out), "nothing is written when the side file is refused")
            }
        }
    }

    @Test func terminalIsRestoredAfterQuitAndSignals() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        // a name of its own, so the signals reach only this test's gloss
        let article = try folder.copy(Paths.seedArticle, as: "signals-\(UUID().uuidString).txt")
        let signals = ["TERM": SIGTERM, "HUP": SIGHUP, "QUIT": SIGQUIT]
        for ending in ["q", "C-c", "TERM", "HUP", "QUIT"] {
            let stty = folder.url.appendingPathComponent("stty-\(ending).txt")
            let command = glossCommand([article.lastPathComponent]) + "; status=$?; stty -a > '\(stty.path)'; (exit $status)"
            let session = try TmuxSession(command: command, folder: folder.url)
            try session.waitFor("? help")
            // the latest annotation before the ending must be on disk after it
            try session.send("j", "a")
            try session.waitFor("Actor:")
            try session.send("ended by \(ending)", literal: true)
            try session.send("Enter")
            try session.waitFor("Tagged Actor: ended by \(ending)")
            if let signal = signals[ending] {
                let pids = try run("/usr/bin/pgrep", ["-f", "-x", ".*gloss \(article.lastPathComponent)"]).output
                    .split(separator: "\n").compactMap { Int32($0) }
                try #require(!pids.isEmpty, "gloss process not found")
                for pid in pids { kill(pid, signal) }
            } else {
                try session.send(ending)
            }
            let exit = try session.waitForExit()
            let screen = try session.screen().joined(separator: "\n")
            let status = try #require(exit, "gloss did not end after \(ending); the screen: \(screen)")
            #expect(ending == "q" || ending == "C-c" ? status == 0 : status > 128, "\(ending): exit status \(status)")
            let modes = try String(contentsOf: stty, encoding: .utf8)
            #expect(modes.contains(" echo "), "\(ending): echo is off after gloss: \(modes)")
            #expect(modes.contains(" icanon "), "\(ending): icanon is off after gloss")
            let stored = try #require(try AnnotationStore(path: article.path + ".gloss.json").load())
            #expect(stored.annotations.contains { $0.tags.contains { $0.value == "ended by \(ending)" } },
                    "\(ending): the latest annotation is not on disk")
        }
    }
}
