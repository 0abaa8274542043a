import Foundation
import GlossTestSupport
import Testing

/// The `:` command line in a real terminal (tmux).
@Suite(.serialized) struct CommandLineEndToEndTests {
    /// `:export csv out.csv` in the reader writes the file `gloss export --format csv`
    /// writes, byte for byte, and says so in the status line; an export that cannot be
    /// written says why, and the reader goes on.
    @Test func exportFromTheCommandLineWritesWhatGlossExportWrites() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let article = try folder.copy(Paths.seedArticle)
        // a configuration problem is shown by the reader once, not again by the export it runs
        let configuration = folder.url.appendingPathComponent("config.toml")
        try "wrpa = 72\n".write(to: configuration, atomically: true, encoding: .utf8)

        let session = try TmuxSession(command: glossCommand([article.lastPathComponent], environment: ["GLOSS_CONFIG": configuration.path]),
                                      width: 120, height: 40, folder: folder.url)
        try session.waitFor("unknown option")
        try session.send("j", "a")
        try session.waitFor("Actor:")
        try session.send("ISIL", literal: true)
        try session.send("Enter")
        try session.waitFor("Tagged Actor: ISIL")
        // Alt-Backspace (Esc DEL from the terminal) deletes the word before, it does not cancel
        try session.send(":")
        try session.send("export csv", literal: true)
        try session.send("M-BSpace")
        try session.send("W", literal: true)
        let edited = try session.waitFor(":export W")
        #expect(!edited.joined().contains("Cancelled"))
        try session.send("C-u")
        // Tab completes the format
        try session.send("export c", literal: true)
        try session.send("Tab")
        try session.send(" out.csv", literal: true)
        try session.send("Enter")
        let exported = try session.waitFor("Exported 1 annotation as csv to out.csv")
        #expect(!exported.joined().contains("unknown option"), "the export repeated the configuration's problem: \(exported.last ?? "")")
        // a file already there is replaced only with :export!
        try session.send(":")
        try session.send("export csv out.csv", literal: true)
        try session.send("Enter")
        try session.waitFor("Not exported: out.csv exists; :export! csv out.csv replaces it")
        try session.send(":")
        try session.send("export! csv out.csv", literal: true)
        try session.send("Enter")
        try session.waitFor("Exported 1 annotation as csv to out.csv")
        try session.send(":")
        try session.send("export csv missing-folder/out.csv", literal: true)
        try session.send("Enter")
        try session.waitFor("Export failed:")
        // the history has every line, once each
        try session.send(":", "Up", "Up", "Up")
        try session.waitFor(":export csv out.csv")
        try session.send("Escape", "q")
        #expect(try session.waitForExit() == 0)

        let command = "cd '\(folder.url.path)' && " + glossCommand(["export", article.lastPathComponent, "--format", "csv", "-o", "other.csv"])
        let result = try run("/bin/sh", ["-c", command])
        #expect(result.status == 0, "\(result.error)")
        let fromReader = try Data(contentsOf: folder.url.appendingPathComponent("out.csv"))
        let fromCommand = try Data(contentsOf: folder.url.appendingPathComponent("other.csv"))
        #expect(fromReader.count > 0)
        #expect(fromReader == fromCommand)
        #expect(String(decoding: fromReader, as: UTF8.self).contains("ISIL"))
    }

    /// `:export` in a corpus's document list exports the whole corpus, as `gloss export
    /// DIR` does.
    @Test func exportFromTheDocumentListWritesTheCorpus() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let corpus = folder.url.appendingPathComponent("corpus")
        try FileManager.default.createDirectory(at: corpus, withIntermediateDirectories: true)
        try "Ministers meet in Valmora.\n\nThey agreed to share watch lists of ISIL recruiters.\n".write(
            to: corpus.appendingPathComponent("a.txt"), atomically: true, encoding: .utf8)
        try "Police raid in Ostrava.\n\nProsecutors said the men financed ISIL.\n".write(
            to: corpus.appendingPathComponent("b.txt"), atomically: true, encoding: .utf8)
        let session = try TmuxSession(command: glossCommand(["corpus"]), width: 100, height: 30, folder: folder.url)
        try session.waitFor("b.txt")
        try session.send("Enter")
        try session.waitFor("Ministers meet")
        try session.send("a")
        try session.waitFor("Actor:")
        try session.send("ISIL", literal: true)
        try session.send("Enter")
        try session.waitFor("Tagged Actor: ISIL")
        try session.send("D")
        try session.waitFor("b.txt")
        try session.send(":")
        try session.send("export csv all.csv", literal: true)
        try session.send("Enter")
        try session.waitFor("Exported the corpus as csv to all.csv")
        try session.send("q")
        #expect(try session.waitForExit() == 0)

        let command = "cd '\(folder.url.path)' && " + glossCommand(["export", "corpus", "--format", "csv", "-o", "other.csv"])
        let result = try run("/bin/sh", ["-c", command])
        #expect(result.status == 0, "\(result.error)")
        let fromReader = try Data(contentsOf: folder.url.appendingPathComponent("all.csv"))
        #expect(String(decoding: fromReader, as: UTF8.self).contains("ISIL"))
        #expect(fromReader == (try Data(contentsOf: folder.url.appendingPathComponent("other.csv"))))
    }

    /// `?` then `/` searches the help as it is typed, in a real terminal.
    @Test func helpSearchFiltersRowsAsTyped() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let article = try folder.copy(Paths.seedArticle)
        let session = try TmuxSession(command: glossCommand([article.lastPathComponent]), width: 80, height: 24, folder: folder.url)
        try session.waitFor("? help")
        try session.send("?")
        try session.waitFor("Gloss keys")
        try session.send("/")
        try session.send("undo", literal: true)
        let screen = try session.waitFor(":undo")
        #expect(!screen.contains { $0.contains(":next-sentence") })
        try session.send("Escape", "Escape", "q")
        #expect(try session.waitForExit() == 0)
    }

    /// A `--store` that is a loop of symbolic links is named as one by every command that
    /// reads a given store (as the reader refuses it), not called missing; the link stays.
    @Test func aStoreThatIsALoopOfLinksIsNamedAsOne() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let article = try folder.copy(Paths.seedArticle)
        let loop = folder.url.appendingPathComponent("loop.json").path
        #expect(symlink("loop.json", loop) == 0)
        let commands: [[String]] = [
            ["export", article.path, "--format", "csv", "--store", loop],
            ["export", article.path, "--format", "brat", "-o", folder.url.appendingPathComponent("brat").path, "--store", loop],
            ["export", article.path, "--format", "qdpx", "-o", folder.url.appendingPathComponent("out.qdpx").path, "--store", loop],
            ["agree", loop, loop, "--document", article.path],
        ]
        for arguments in commands {
            let result = try run("/bin/sh", ["-c", glossCommand(arguments)])
            #expect(result.status == 1, "\(arguments): \(result.status) \(result.error)")
            #expect(result.error.contains("loop.json: is a loop of symbolic links"), "\(arguments): \(result.error)")
            #expect(!result.error.contains("no such annotation store"), "\(arguments): \(result.error)")
        }
        var entry = stat()
        #expect(lstat(loop, &entry) == 0 && entry.st_mode & S_IFMT == S_IFLNK, "the link is left as it was")
    }

    /// A store that is a symbolic link to the document is said to be one by the commands
    /// that read stores (as the reader refuses it), not called a damaged store; both stay.
    @Test func aStoreThatIsALinkToTheDocumentIsNamedAsOne() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let article = try folder.copy(Paths.seedArticle)
        let articleBytes = try Data(contentsOf: article)
        let defaultStore = article.path + ".gloss.json"
        #expect(symlink(article.lastPathComponent, defaultStore) == 0)
        let given = folder.url.appendingPathComponent("given.json").path
        #expect(symlink(article.lastPathComponent, given) == 0)
        let commands: [(arguments: [String], link: String)] = [
            (["export", article.path, "--format", "csv"], defaultStore),
            (["stats", article.path], defaultStore),
            (["export", article.path, "--format", "w3c", "--store", given], given),
        ]
        for (arguments, link) in commands {
            let result = try run("/bin/sh", ["-c", glossCommand(arguments)])
            #expect(result.status == 1, "\(arguments): \(result.status) \(result.error)")
            #expect(result.error.contains("\(link): is a symbolic link to \(article.path), which is not a Gloss store"), "\(arguments): \(result.error)")
            #expect(!result.error.contains("damaged"), "\(arguments): \(result.error)")
        }
        #expect(try Data(contentsOf: article) == articleBytes)
        var entry = stat()
        #expect(lstat(defaultStore, &entry) == 0 && entry.st_mode & S_IFMT == S_IFLNK)
    }

    /// `:export` for a document never annotated (no store yet) writes what `gloss export`
    /// writes for it, a CSV of its header; `~` in the path is `$HOME`, as in the shell.
    @Test func exportOfADocumentWithoutAStoreAndATildeThatIsHome() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let article = try folder.copy(Paths.seedArticle)
        let home = folder.url.appendingPathComponent("home")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        let session = try TmuxSession(command: glossCommand([article.lastPathComponent], environment: ["HOME": home.path]),
                                      width: 120, height: 40, folder: folder.url)
        try session.waitFor("? help")
        try session.send(":")
        try session.send("export csv ~/fresh.csv", literal: true)
        try session.send("Enter")
        try session.waitFor("Exported 0 annotations as csv to ~/fresh.csv")
        try session.send("q")
        #expect(try session.waitForExit() == 0)
        #expect(!FileManager.default.fileExists(atPath: article.path + ".gloss.json"))

        let command = "cd '\(folder.url.path)' && " + glossCommand(["export", article.lastPathComponent, "--format", "csv", "-o", "other.csv"])
        let result = try run("/bin/sh", ["-c", command])
        #expect(result.status == 0, "\(result.error)")
        let fromReader = try Data(contentsOf: home.appendingPathComponent("fresh.csv"))
        #expect(fromReader == (try Data(contentsOf: folder.url.appendingPathComponent("other.csv"))))
        #expect(String(decoding: fromReader, as: UTF8.self).hasPrefix("document,annotation_id,"), "not a CSV header: \(String(decoding: fromReader, as: UTF8.self))")
    }
}
