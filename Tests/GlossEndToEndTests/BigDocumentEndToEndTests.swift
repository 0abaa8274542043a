import Foundation
import GlossCore
import GlossTestSupport
import Testing

/// The scenario on a 100 MB file: jump to the end, tag a sentence there, quit,
/// reopen.
@Suite(.serialized) struct BigDocumentEndToEndTests {
    @Test func tagNearTheEndOfOneHundredMegabytesAfterG() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let novel = try Data(contentsOf: Paths.shared.appendingPathComponent("corpus/large/war-and-peace-pg2600.txt"))
        let article = folder.url.appendingPathComponent("thirty-novels.txt")
        FileManager.default.createFile(atPath: article.path, contents: nil)
        let handle = try FileHandle(forWritingTo: article)
        for copy in 0..<30 { handle.write(copy == 0 ? novel : novel.dropFirst(3)) }
        try handle.close()

        var session = try TmuxSession(command: glossCommand([article.lastPathComponent]), folder: folder.url)
        try session.waitFor("The Project Gutenberg EBook of War and Peace")
        try session.send("G")
        try session.waitFor("100%", timeout: 60)
        // G seeks ahead of the index, as less does; tagging there works once the status
        // line no longer shows "Indexing N%"
        try session.waitUntilGone("Indexing", timeout: 60)
        try session.send("k", "a")
        try session.waitFor("Actor:")
        try session.send("near the end", literal: true)
        try session.send("Enter")
        try session.waitFor("Tagged Actor: near the end")
        try session.send("q")
        #expect(try session.waitForExit(timeout: 60) == 0)

        let stored = try #require(try AnnotationStore(path: article.path + ".gloss.json").load())
        let annotation = try #require(stored.annotations.first)
        let document = try Document(contentsOfFile: article.path)
        #expect(annotation.start > document.length - 5_000, "tagged at \(annotation.start) of \(document.length)")
        #expect(document.text(in: annotation.range) == annotation.quote)
        #expect(stored.document?.sha256 == document.sha256)

        session = try TmuxSession(command: glossCommand([article.lastPathComponent]), folder: folder.url)
        try session.waitFor("Annotations (1)", timeout: 60)
        try session.waitFor("Actor: near the end")
        try session.send("]")
        let shown = try session.waitFor("▸Actor: near the end")
        #expect(shown.joined(separator: "\n").contains(annotation.quote))
        try session.send("q")
        #expect(try session.waitForExit(timeout: 60) == 0)
    }

    /// A text cut short by another program while it is open: reading past its new end
    /// raised SIGBUS and ended the reader, leaving its lock; now the session goes read-only
    /// and says why, and quits normally.
    @Test func aTextCutShortWhileOpenIsReportedNotACrash() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let novel = try Data(contentsOf: Paths.shared.appendingPathComponent("corpus/large/war-and-peace-pg2600.txt"))
        let article = folder.url.appendingPathComponent("novels.txt")
        var text = Data()
        for _ in 0..<10 { text.append(novel) }
        try text.write(to: article)

        let session = try TmuxSession(command: glossCommand([article.lastPathComponent]), folder: folder.url)
        try session.waitFor("The Project Gutenberg EBook of War and Peace")
        #expect(truncate(article.path, 1000) == 0)
        try session.send("G")
        try session.waitFor("novels.txt was changed on disk by another program")
        try session.send("q")
        #expect(try session.waitForExit() == 0)
        let left = try FileManager.default.contentsOfDirectory(atPath: folder.url.path).filter { !$0.hasPrefix(".exit-") }
        #expect(left == ["novels.txt"])
    }
}
