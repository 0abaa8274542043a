import Foundation
import GlossCore
import GlossTestSupport
import Testing

/// `gloss DIR` in a real terminal (tmux) on a copy of the shared news folder: the document
/// list, tagging, switching documents, completion across the corpus, statuses and
/// positions kept across runs; and `--store` naming another document's store.
@Suite(.serialized) struct CorpusReaderEndToEndTests {
    /// A copy of `../shared/corpus/news` in a temporary folder.
    func newsCopy() throws -> (TemporaryFolder, URL) {
        let folder = try TemporaryFolder()
        let news = try folder.copy(Paths.shared.appendingPathComponent("corpus/news"), as: "news")
        return (folder, news)
    }

    struct StatusFile: Decodable {
        struct Record: Decodable { var status: String?; var position: Int? }
        var documents: [String: Record]
        var format: String
    }

    @Test func openFolderTagSwitchCompleteSetStatusesAndReopen() throws {
        let (folder, news) = try newsCopy()
        defer { folder.cleanUp() }
        var tmux: TmuxSession? = try TmuxSession(command: glossCommand(["news"]), width: 120, height: 40, folder: folder.url)
        try tmux!.waitFor("Documents (5) in news/")
        try tmux!.waitFor("Over 900 asylum seekers")
        // the second row is the asylum article (GUM-LICENSE.txt is a text file too)
        try tmux!.send("j", "Enter")
        try tmux!.waitFor("2 of 5: wikinews_news_asylum.txt")
        try tmux!.send("j", "j", "a")
        try tmux!.waitFor("Actor:")
        try tmux!.send("Indonesian navy", literal: true)
        try tmux!.send("Enter")
        try tmux!.waitFor("Tagged Actor: Indonesian navy")
        try tmux!.send("J")
        try tmux!.waitFor("3 of 5: wikinews_news_hackers.txt")
        // the first document was saved when it was left
        let store = news.appendingPathComponent("wikinews_news_asylum.txt.gloss.json")
        #expect(FileManager.default.fileExists(atPath: store.path))
        // a value typed in the first document completes in the second
        try tmux!.send("a")
        try tmux!.send("Indo", literal: true)
        try tmux!.waitFor("Tab: Indonesian navy")
        try tmux!.send("Enter")
        try tmux!.waitFor("Tagged Actor: Indonesian navy")
        try tmux!.send("D")
        try tmux!.waitFor("Documents (5)")
        // hackers: in progress; back to asylum: done
        try tmux!.send("s")
        try tmux!.waitFor("wikinews_news_hackers.txt: in progress")
        try tmux!.send("k", "s", "s")
        try tmux!.waitFor("wikinews_news_asylum.txt: done")
        let listed = try tmux!.screen()
        #expect(listed.contains { $0.contains("done") && $0.contains("wikinews_news_asylum.txt") && $0.contains(" 1 ") })
        try tmux!.send("q")
        #expect(try tmux!.waitForExit() == 0)
        tmux = nil

        let statuses = try JSONDecoder().decode(StatusFile.self, from: Data(contentsOf: news.appendingPathComponent("gloss.corpus.json")))
        #expect(statuses.format == "gloss-corpus")
        #expect(statuses.documents["wikinews_news_asylum.txt"]?.status == "done")
        #expect(statuses.documents["wikinews_news_hackers.txt"]?.status == "in progress")
        let position = try #require(statuses.documents["wikinews_news_asylum.txt"]?.position)
        #expect(position > 0)

        // a new run: the statuses show, and the document opens at the sentence left
        let again = try TmuxSession(command: glossCommand(["news"]), width: 120, height: 40, folder: folder.url)
        try again.waitFor("3 todo · 1 in progress · 1 done")
        try again.send("j", "Enter")
        try again.waitFor("2 of 5: wikinews_news_asylum.txt")
        try again.send("Enter")
        // Enter on the focused sentence shows the annotation there: the tag made before
        try again.waitFor("Indonesian navy")
        try again.send("Escape", "q")
        #expect(try again.waitForExit() == 0)
    }

    /// "-" in the list means no store: a document opened and left without a tag still has
    /// none, open or not, and shows "-", not 0.
    /// With `--encoding`, the list's titles are read in that encoding, as the documents
    /// open: Windows-1251 is not read as Windows-1252, and UTF-16 without a byte-order
    /// mark (its NUL bytes) is no binary file.
    @Test func titlesAreReadInTheEncodingNamed() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let corpus = folder.url.appendingPathComponent("corpus")
        try FileManager.default.createDirectory(at: corpus, withIntermediateDirectories: true)
        // "Привет мир" / "Текст." in Windows-1251
        try Data([0xCF, 0xF0, 0xE8, 0xE2, 0xE5, 0xF2, 0x20, 0xEC, 0xE8, 0xF0, 0x0A, 0x0A, 0xD2, 0xE5, 0xEA, 0xF1, 0xF2, 0x2E, 0x0A])
            .write(to: corpus.appendingPathComponent("ru.txt"))
        var tmux = try TmuxSession(command: glossCommand(["--encoding", "windows-1251", "corpus"]), width: 100, height: 10, folder: folder.url)
        try tmux.waitFor("Привет мир")
        try tmux.send("Enter")
        try tmux.waitFor("Текст.")
        try tmux.send("q")
        #expect(try tmux.waitForExit() == 0)

        try Data("Ministers meet in Valmora\n\nText.\n".utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] })
            .write(to: corpus.appendingPathComponent("ru.txt"))
        // a file not in the encoding named is marked as opening refuses it, not titled in mojibake
        try Data("Broken ".utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] } + [0x00, 0xD8, 0x78, 0x00])
            .write(to: corpus.appendingPathComponent("bad.txt"))
        tmux = try TmuxSession(command: glossCommand(["--encoding", "utf-16le", "corpus"]), width: 140, height: 10, folder: folder.url)
        let screen = try tmux.waitFor("Ministers meet in Valmora")
        #expect(!screen.joined().contains("binary"), "\(screen)")
        #expect(screen.contains { $0.contains("✗ cannot open: not valid UTF-16LE text") && $0.contains("bad.txt") }, "\(screen)")
        try tmux.send("q")
        #expect(try tmux.waitForExit() == 0)
    }

    @Test func aDocumentVisitedWithoutATagStillShowsNoStore() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let corpus = folder.url.appendingPathComponent("corpus")
        try FileManager.default.createDirectory(at: corpus, withIntermediateDirectories: true)
        try "One sentence. Two.\n".write(to: corpus.appendingPathComponent("a.txt"), atomically: true, encoding: .utf8)
        try "Other doc.\n".write(to: corpus.appendingPathComponent("b.txt"), atomically: true, encoding: .utf8)
        let tmux = try TmuxSession(command: glossCommand(["corpus"]), width: 110, height: 12, folder: folder.url)
        try tmux.waitFor("Other doc.")
        func row(_ name: String) throws -> String { try tmux.screen().first { $0.hasSuffix(name) || $0.contains(name + " ") } ?? "" }
        // "…" until the list has looked for the stores
        func settledRow(_ name: String) throws -> String {
            let deadline = Date().addingTimeInterval(10)
            var shown = try row(name)
            while shown.contains("…") && Date() < deadline {
                Thread.sleep(forTimeInterval: 0.05)
                shown = try row(name)
            }
            return shown
        }
        let before = try settledRow("a.txt")
        #expect(before.contains("todo            -"), "\(before)")
        try tmux.send("Enter")
        try tmux.waitFor("1 of 2: a.txt")
        try tmux.send("D")
        try tmux.waitFor("Documents (2)")
        let after = try settledRow("a.txt")
        #expect(after.contains("todo            -") && !after.contains(" 0 "), "\(after)")
        #expect(!FileManager.default.fileExists(atPath: corpus.appendingPathComponent("a.txt.gloss.json").path))
        try tmux.send("q")
        #expect(try tmux.waitForExit() == 0)
    }

    @Test func anotherDocumentsStoreOpensReadOnlyUnlessRelinked() throws {
        let (folder, news) = try newsCopy()
        defer { folder.cleanUp() }
        let tagging = try TmuxSession(command: glossCommand(["news/wikinews_news_korea.txt"]), width: 120, height: 40, folder: folder.url)
        try tagging.waitFor("? help")
        try tagging.send("j", "a")
        try tagging.send("North Korea", literal: true)
        try tagging.send("Enter")
        try tagging.waitFor("Tagged Actor: North Korea")
        try tagging.send("q")
        #expect(try tagging.waitForExit() == 0)
        let store = news.appendingPathComponent("wikinews_news_korea.txt.gloss.json")
        let before = try Data(contentsOf: store)

        let other = try TmuxSession(command: glossCommand(["news/wikinews_news_hackers.txt", "--store", store.path]), width: 120, height: 40, folder: folder.url)
        try other.waitFor("belongs to wikinews_news_korea.txt")
        try other.send("j", "a")
        try other.waitFor("Read-only")
        try other.send("q")
        #expect(try other.waitForExit() == 0)
        #expect(try Data(contentsOf: store) == before)

        let relinked = try TmuxSession(command: glossCommand(["news/wikinews_news_hackers.txt", "--store", store.path, "--relink"]), width: 120, height: 40, folder: folder.url)
        try relinked.waitFor("orphaned")
        try relinked.send("q")
        #expect(try relinked.waitForExit() == 0)
    }
}
