import Foundation
import GlossCore
import GlossTestSupport
import Testing

/// Recovery as a user meets it in a real terminal: a damaged store, a store that can no
/// longer be written.
@Suite(.serialized) struct RecoveryEndToEndTests {
    /// Tags the focused sentence and the next with actor values in a fresh gloss, then quits.
    func tagTwoSentences(_ article: URL, arguments: [String] = [], folder: URL) throws {
        let session = try TmuxSession(command: glossCommand([article.lastPathComponent] + arguments), folder: folder)
        try session.waitFor("? help")
        for value in ["first", "second"] {
            try session.send("j", "a")
            try session.waitFor("Actor:")
            try session.send(value, literal: true)
            try session.send("Enter")
            try session.waitFor("Tagged Actor: \(value)")
        }
        try session.send("q")
        #expect(try session.waitForExit() == 0)
    }

    @Test func aTruncatedStoreIsMovedAsideAndTheBackupRestoredOnY() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let article = try folder.copy(Paths.seedArticle)
        try tagTwoSentences(article, folder: folder.url)
        let storeURL = URL(fileURLWithPath: article.path + ".gloss.json")
        let full = try Data(contentsOf: storeURL)
        let truncated = full.prefix(full.count / 3)
        try truncated.write(to: storeURL)

        let session = try TmuxSession(command: glossCommand([article.lastPathComponent]), folder: folder.url)
        try session.waitFor("Restore 1 annotation(s) from its .bak? (y/n)")
        try session.send("y")
        let screen = try session.waitFor("Restored 1 annotation(s)")
        #expect(screen.joined().contains("Actor: first"))
        try session.send("q")
        #expect(try session.waitForExit() == 0)

        let restored = try #require(try AnnotationStore(path: storeURL.path).load())
        #expect(restored.annotations.flatMap(\.tags).map(\.value) == ["first"])
        let aside = try FileManager.default.contentsOfDirectory(atPath: folder.url.path).filter { $0.contains(".corrupt-") }.sorted()
        // the damaged file, and beside it the backup it was restored from
        #expect(aside.count == 2 && aside[1] == aside[0] + ".bak", "\(aside)")
        #expect(try Data(contentsOf: folder.url.appendingPathComponent(aside[0])) == truncated)
    }

    @Test func quittingWhenTheStoreCannotBeWrittenAsksWhereToWriteTheAnnotations() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let article = try folder.copy(Paths.seedArticle)
        let storeFolder = folder.url.appendingPathComponent("stores")
        try FileManager.default.createDirectory(at: storeFolder, withIntermediateDirectories: false)
        let storePath = storeFolder.appendingPathComponent("article.gloss.json").path
        let session = try TmuxSession(command: glossCommand([article.lastPathComponent, "--store", storePath]), folder: folder.url)
        try session.waitFor("? help")
        try session.send("j", "a")
        try session.waitFor("Actor:")
        try session.send("kept", literal: true)
        try session.send("Enter")
        try session.waitFor("Tagged Actor: kept")
        // the store's folder vanishes (an unmounted share, a removed checkout)
        try FileManager.default.removeItem(at: storeFolder)
        try session.send("j", "t")
        try session.waitFor("Threat:")
        try session.send("Enter")
        try session.waitFor("Not saved")

        try session.send("q")
        try session.waitFor("Save to: ~/")
        try session.send("Escape")
        try session.waitFor("? help")
        try session.send("q")
        try session.waitFor("Save to:")
        let target = folder.url.appendingPathComponent("rescued.gloss.json").path
        try session.send("C-u")
        try session.send(target, literal: true)
        try session.send("Enter")
        // safe, but not in the store: the exit status says so, as for the rescue file
        #expect(try session.waitForExit() == 1)
        let rescued = try #require(try AnnotationStore(path: target).load())
        #expect(rescued.annotations.flatMap(\.tags).map(\.category) == ["actor", "threat"])
    }
}
