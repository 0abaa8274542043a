import Foundation
import GlossCore
import GlossTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// What the commands do with a store replaced by its backup, with corpus arguments that
/// name nothing or nothing at all (`""`), with a FIFO among a folder's documents, and
/// with a relative `XDG_DATA_HOME`.
@Suite(.serialized) struct StoreCorpusInputsEndToEndTests {
    /// `gloss ARGUMENTS` in `folder`, ended after 30 seconds (a command that opened a
    /// FIFO for reading would wait for a writer for ever).
    static func gloss(_ arguments: [String], in folder: URL, environment: [String: String] = CorpusEndToEndTests.environment) throws -> ProcessResult {
        try run("/bin/sh", ["-c", "cd '\(folder.path)' && exec timeout 30 \"$0\" \"$@\"", Paths.gloss.path] + arguments, environment: environment)
    }

    @Test("a store that is missing while its .bak holds annotations: export (CSV, a single document, brat) and stats name the backup, say how to restore it, leave the document out and exit 1, never exporting it as a document without annotations")
    func missingStoreWithBackupIsReported() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let news = try CorpusEndToEndTests.makeCorpus(in: folder.url)
        let store = news.appendingPathComponent("wikinews_news_hackers.txt.gloss.json")
        try FileManager.default.moveItem(at: store, to: URL(fileURLWithPath: store.path + ".bak"))
        let named = "news/wikinews_news_hackers.txt.gloss.json: missing, but its backup news/wikinews_news_hackers.txt.gloss.json.bak holds 4 annotation(s)"
        let restore = "mv -- 'news/wikinews_news_hackers.txt.gloss.json.bak' 'news/wikinews_news_hackers.txt.gloss.json'"

        let corpus = try Self.gloss(["export", "news", "--format", "csv", "-o", "out.csv"], in: folder.url)
        #expect(corpus.status == 1, "\(corpus.error)")
        #expect(corpus.error.contains(named) && corpus.error.contains(restore), "\(corpus.error)")
        #expect(corpus.error.contains("not exported"), "\(corpus.error)")
        let csv = try String(contentsOf: folder.url.appendingPathComponent("out.csv"), encoding: .utf8)
        #expect(csv.contains("news/wikinews_news_korea.txt,") && !csv.contains("hackers"))

        let single = try Self.gloss(["export", "news/wikinews_news_hackers.txt", "--format", "csv"], in: folder.url)
        #expect(single.status == 1 && single.output.isEmpty, "\(single.error)")
        #expect(single.error.contains(named), "\(single.error)")

        let stats = try Self.gloss(["stats", "news"], in: folder.url)
        #expect(stats.status == 1, "\(stats.error)")
        #expect(stats.error.contains(named) && stats.error.contains("not counted"), "\(stats.error)")

        let brat = try Self.gloss(["export", "news", "--format", "brat", "-o", "brat"], in: folder.url)
        #expect(brat.status == 1, "\(brat.error)")
        #expect(brat.error.contains(named), "\(brat.error)")

        // restored as the message says, the document is exported again
        try FileManager.default.moveItem(at: URL(fileURLWithPath: store.path + ".bak"), to: store)
        let restored = try Self.gloss(["export", "news", "--format", "csv"], in: folder.url)
        #expect(restored.status == 0 && restored.output.contains("news/wikinews_news_hackers.txt,"), "\(restored.error)")

        // a backup without annotations is no reason to refuse: the document has none
        try Data(#"{"format":"gloss-annotations","version":3,"document":{"path":"wikinews_news_sensitive.txt","sha256":"","length":1},"annotations":[]}"#.utf8)
            .write(to: news.appendingPathComponent("wikinews_news_sensitive.txt.gloss.json.bak"))
        let empty = try Self.gloss(["stats", "news"], in: folder.url)
        #expect(empty.status == 0 && empty.error.contains("1 document(s) without an annotation store"), "\(empty.error)")
    }

    @Test("a corpus argument that names nothing is bad input for the reader as for export and stats (exit 1; grep 2), named, nothing opened")
    func missingCorpusArgumentRefusedEverywhere() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        _ = try CorpusEndToEndTests.makeCorpus(in: folder.url)
        let files = ["news/wikinews_news_asylum.txt", "news/missing.txt"]
        for command in [[], ["export", "--format", "csv"], ["stats"], ["grep", "Korea"]] {
            let result = try Self.gloss(command + files, in: folder.url)
            #expect(result.status == (command.first == "grep" ? 2 : 1), "\(command): \(result.error)")
            #expect(result.error.contains("news/missing.txt: no document or folder there"), "\(command): \(result.error)")
            #expect(result.output.isEmpty, "\(command)")
        }
    }

    @Test("an empty path argument is a usage error naming it for every command that takes paths, never the working folder")
    func emptyPathRefusedEverywhere() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        _ = try CorpusEndToEndTests.makeCorpus(in: folder.url)
        let seed = "news/wikinews_news_asylum.txt"
        let commands: [[String]] = [
            ["", seed], [""], ["read", ""], ["export", "", "--format", "csv"], ["export", "", seed, "--format", "csv"],
            ["stats", ""], ["stats", seed, ""], ["grep", "Korea", ""], ["text", ""],
            ["import", "w3c", "", "--into", seed], ["import", "brat", "", "--into", seed], ["import", "qdpx", "", "--into", seed],
            ["import", "w3c", "x.json", "--into", ""], ["codebook", "import", ""],
            ["agree", "", seed + ".gloss.json"], ["merge", seed + ".gloss.json", "", "-o", "x.gloss.json"],
            // every option that takes a path
            [seed, "--codebook", ""], [seed, "--store", ""], ["read", seed, "--codebook", ""],
            ["export", seed, "--format", "csv", "--codebook", ""], ["export", seed, "--format", "csv", "--store", ""],
            ["export", seed, "--format", "csv", "-o", ""], ["export", seed, "--format", "w3c", "--output", ""],
            ["stats", seed, "--codebook", ""],
            ["import", "w3c", "x.json", "--into", seed, "--codebook", ""], ["import", "brat", "x.ann", "--into", seed, "--store", ""],
            ["import", "qdpx", "x.qdpx", "--into", seed, "--codebook", ""],
            ["codebook", "export", "--codebook", ""], ["codebook", "export", "-o", ""], ["codebook", "import", "x.qdc", "-o", ""],
            ["agree", "--coder", "a", "--coder", "b", "--document", ""],
            ["merge", seed + ".gloss.json", seed + ".gloss.json", "-o", ""],
        ]
        for command in commands {
            let result = try Self.gloss(command, in: folder.url)
            #expect(result.status == 2, "\(command): \(result.error)")
            #expect(result.error.contains(#"an empty path ("") was given for "#), "\(command): \(result.error)")
            #expect(result.output.isEmpty, "\(command)")
        }
    }

    @Test("a FIFO with a document's name in a folder: export and stats name it as not a regular file, never open it (they finish), count and export the rest, and exit 1; grep names it too")
    func fifoInFolderIsReportedNotOpened() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let news = try CorpusEndToEndTests.makeCorpus(in: folder.url)
        #expect(mkfifo(news.appendingPathComponent("pipe.txt").path, 0o644) == 0)
        let named = "news/pipe.txt: not a regular file (a FIFO or pipe)"
        let stats = try Self.gloss(["stats", "news"], in: folder.url)
        #expect(stats.status == 1, "\(stats.error)")
        #expect(stats.error.contains(named + "; not counted"), "\(stats.error)")
        #expect(stats.output.contains("Korea"), "\(stats.output)")
        let export = try Self.gloss(["export", "news", "--format", "csv"], in: folder.url)
        #expect(export.status == 1, "\(export.error)")
        #expect(export.error.contains(named + "; not exported"), "\(export.error)")
        #expect(export.output.contains("news/wikinews_news_korea.txt,"))
        let grep = try Self.gloss(["grep", "Korea", "news"], in: folder.url)
        #expect(grep.status == 2 && grep.error.contains(named + "; not searched"), "\(grep.error)")
    }

    @Test("a symbolic link to nothing with a document's name in a folder: export, stats and grep name it and exit 1 (grep 2), as for a FIFO; the rest is still done")
    func danglingLinkInFolderIsReported() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let news = try CorpusEndToEndTests.makeCorpus(in: folder.url)
        #expect(symlink("moved-away.txt", news.appendingPathComponent("gone.txt").path) == 0)
        // a link to nothing without a document's name is not a document, and not named
        #expect(symlink("nowhere", news.appendingPathComponent("picture.png").path) == 0)
        let named = "news/gone.txt: a symbolic link to nothing"
        for (command, outcome, status) in [(["stats", "news"], "not counted", Int32(1)), (["export", "news", "--format", "csv"], "not exported", 1),
                                           (["grep", "Korea", "news"], "not searched", 2)] {
            let result = try Self.gloss(command, in: folder.url)
            #expect(result.status == status, "\(command): \(result.error)")
            #expect(result.error.contains(named + "; " + outcome), "\(command): \(result.error)")
            #expect(!result.error.contains("picture.png"), "\(command): \(result.error)")
            #expect(result.output.contains("Korea") || result.output.contains("korea"), "\(command)")
        }
    }

    @Test("a loop of symbolic links with a document's name in a folder is named as a loop, not as a link to nothing")
    func linkLoopInFolderIsNamedAsALoop() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let news = try CorpusEndToEndTests.makeCorpus(in: folder.url)
        #expect(symlink("loop.txt", news.appendingPathComponent("loop.txt").path) == 0)
        let named = "news/loop.txt: a loop of symbolic links (one leads back to another)"
        for (command, outcome, status) in [(["stats", "news"], "not counted", Int32(1)), (["export", "news", "--format", "csv"], "not exported", 1),
                                           (["grep", "Korea", "news"], "not searched", 2)] {
            let result = try Self.gloss(command, in: folder.url)
            #expect(result.status == status, "\(command): \(result.error)")
            #expect(result.error.contains(named + "; " + outcome), "\(command): \(result.error)")
        }
    }

    @Test("a relative XDG_DATA_HOME is ignored, as the XDG specification asks: the sample's store goes under HOME/.local/share, not below the working folder")
    func relativeDataHomeIgnored() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let home = folder.url.appendingPathComponent("home")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        var environment = CorpusEndToEndTests.environment
        environment["HOME"] = home.path
        environment["XDG_DATA_HOME"] = "relative-data"
        // without a terminal the reader stops before showing the sample, after choosing its store
        let result = try Self.gloss([], in: folder.url, environment: environment)
        #expect(result.status != 0)
        #expect(!FileManager.default.fileExists(atPath: folder.url.appendingPathComponent("relative-data").path))
        #expect(FileManager.default.fileExists(atPath: home.appendingPathComponent(".local/share/gloss").path))
        environment["XDG_DATA_HOME"] = folder.url.appendingPathComponent("absolute-data").path
        _ = try Self.gloss([], in: folder.url, environment: environment)
        #expect(FileManager.default.fileExists(atPath: folder.url.appendingPathComponent("absolute-data/gloss").path))
    }

    @Test("an import that rewrites the store (a W3C export of a colleague's annotations) keeps the members Gloss does not know of the annotations and tags already there, and the .bak holds them too; the same annotation imported again is not added twice")
    func importRewritingTheStoreKeepsRecordMembers() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let mine = folder.url.appendingPathComponent("mine"), theirs = folder.url.appendingPathComponent("theirs")
        for place in [mine, theirs] {
            try FileManager.default.createDirectory(at: place, withIntermediateDirectories: true)
            try Data("Hello world and more.\n".utf8).write(to: place.appendingPathComponent("d.txt"))
        }
        func store(_ id: String, _ start: Int, _ end: Int, _ quote: String, members: String) -> String {
            #"{"format":"gloss-annotations","version":3,"memo":"","document":{"path":"d.txt","sha256":"","length":22},"annotations":[{"id":""#
                + id + #"","start":"# + "\(start)" + #","end":"# + "\(end)" + #","quote":""# + quote
                + #"","prefix":"","suffix":"","note":"","author":"x","created":"2026-01-01T00:00:00Z","modified":"2026-01-01T00:00:00Z","# + members
                + #""tags":[{"category":"actor","value":"X""# + (members.isEmpty ? "" : #","confidence":0.80"#) + "}]}],\"orphans\":[],\"relations\":[]}"
        }
        try Data(store("a", 0, 5, "Hello", members: #""reviewed":true,"#).utf8).write(to: mine.appendingPathComponent("d.txt.gloss.json"))
        try Data(store("b", 6, 11, "world", members: "").utf8).write(to: theirs.appendingPathComponent("d.txt.gloss.json"))
        let exported = try Self.gloss(["export", "theirs/d.txt", "--format", "w3c", "-o", "theirs.json"], in: folder.url)
        #expect(exported.status == 0, "\(exported.error)")
        let imported = try Self.gloss(["import", "w3c", "theirs.json", "--into", "mine/d.txt"], in: folder.url)
        #expect(imported.status == 0 && imported.error.contains("1 annotation(s)"), "\(imported.error)")
        let written = String(decoding: try Data(contentsOf: mine.appendingPathComponent("d.txt.gloss.json")), as: UTF8.self)
        #expect(written.contains(#""reviewed" : true"#) && written.contains(#""confidence" : 0.80"#), "\(written)")
        #expect(written.contains(#""quote" : "world""#))
        let backup = String(decoding: try Data(contentsOf: mine.appendingPathComponent("d.txt.gloss.json.bak")), as: UTF8.self)
        #expect(backup.contains(#""reviewed":true"#))
        // its own export imported back: the annotation is there already (a tag is its category and value)
        _ = try Self.gloss(["export", "mine/d.txt", "--format", "w3c", "-o", "mine.json"], in: folder.url)
        let again = try Self.gloss(["import", "w3c", "mine.json", "--into", "mine/d.txt"], in: folder.url)
        #expect(again.status == 0 && again.error.contains("0 annotation(s) and 0 relation(s) imported"), "\(again.error)")
    }
}
