import Foundation
import Testing
@testable import GlossCore
@testable import GlossUI
#if canImport(Glibc)
import Glibc
#endif

/// The reader's corpus listing and the folders Gloss takes from XDG variables.
@Suite struct CorpusInputsTests {
    @Test("the reader's document list names a FIFO with a document's name as not a regular file, lists the rest, and never opens it")
    func fifoNamedInDocumentList() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gloss-fifo-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("sub"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data("A text.\n".utf8).write(to: folder.appendingPathComponent("a.txt"))
        #expect(mkfifo(folder.appendingPathComponent("sub/pipe.txt").path, 0o644) == 0)
        #expect(mkfifo(folder.appendingPathComponent("notes").path, 0o644) == 0)
        let list = try DocumentList.listing(folder: folder.path)
        #expect(list.relativePaths == ["a.txt"])
        #expect(list.notListed == [CorpusError(path: "sub/pipe.txt", problem: "not a regular file (a FIFO or pipe)")])
        // the corpus commands' listing names it the same way
        let corpus = try Corpus(arguments: [folder.path])
        #expect(corpus.documents.map(\.path) == [folder.path + "/a.txt"])
        #expect(corpus.unopenableFiles == [CorpusError(path: folder.path + "/sub/pipe.txt", problem: "not a regular file (a FIFO or pipe)")])
    }

    @Test("XDG_DATA_HOME and XDG_CONFIG_HOME count only when absolute; relative or empty ones are ignored for the defaults under HOME")
    func relativeXDGFoldersIgnored() {
        #expect(ProcessEnvironment.dataHome(environment: ["XDG_DATA_HOME": "/data", "HOME": "/h"]) == "/data")
        #expect(ProcessEnvironment.dataHome(environment: ["XDG_DATA_HOME": "data", "HOME": "/h"]) == "/h/.local/share")
        #expect(ProcessEnvironment.dataHome(environment: ["XDG_DATA_HOME": "./data", "HOME": "/h"]) == "/h/.local/share")
        #expect(ProcessEnvironment.dataHome(environment: ["XDG_DATA_HOME": "", "HOME": "/h"]) == "/h/.local/share")
        #expect(ProcessEnvironment.dataHome(environment: ["HOME": "/h"]) == "/h/.local/share")
        #expect(ConfigurationFile.location(environment: ["XDG_CONFIG_HOME": "./conf", "HOME": "/h"]) == ("/h/.config/gloss/config.toml", false))
    }
}
