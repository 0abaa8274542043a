import Foundation
@testable import GlossCore
import Testing

/// The same file however its path is spelt: through a link to a folder, with `..` after
/// it, through a link to a store (the faults an outside tester found: a corpus reader that
/// opened `a/doc.txt` for `a/link/../doc.txt`, a team codebook found or not by spelling, a
/// damaged or missing store behind a link whose backup was looked for beside the link).
@Suite struct PathSpellingTests {
    /// `a/`, `b/real/` and `a/lnk -> ../b/real`, with a `doc.txt` in `a/` and in `b/`;
    /// the folder's real path.
    func layout() throws -> (folder: String, real: String) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gloss-spelling-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder + "/a", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: folder + "/b/real", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: folder + "/a/lnk", withDestinationPath: "../b/real")
        try "Text in A folder.\n".write(toFile: folder + "/a/doc.txt", atomically: true, encoding: .utf8)
        try "Text in B folder.\n".write(toFile: folder + "/b/doc.txt", atomically: true, encoding: .utf8)
        let real = try #require(realpath(folder, nil).map { pointer in defer { free(pointer) }; return String(cString: pointer) })
        return (folder, real)
    }

    @Test("a/lnk/../doc.txt is b/doc.txt, as the kernel opens it; a document that is a link keeps its own name")
    func physicalPaths() throws {
        let (folder, real) = try layout()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        #expect(try String(contentsOfFile: folder + "/a/lnk/../doc.txt", encoding: .utf8) == "Text in B folder.\n")
        #expect(FilePaths.physical(folder + "/a/lnk/../doc.txt") == real + "/b/doc.txt")
        #expect(FilePaths.physicalFolder(of: folder + "/a/lnk/../doc.txt") == real + "/b")
        #expect(FilePaths.physical(folder + "/a/lnk/..") == real + "/b")
        try FileManager.default.createSymbolicLink(atPath: folder + "/a/alias.txt", withDestinationPath: "doc.txt")
        #expect(FilePaths.physical(folder + "/a/alias.txt") == real + "/a/alias.txt")
    }

    @Test("the team codebook is found for a document however its path is spelt; a codebook link to nothing is found, to be refused by name")
    func codebookBySpelling() throws {
        let (folder, real) = try layout()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createDirectory(atPath: folder + "/b/real/deep", withIntermediateDirectories: true)
        try "{}".write(toFile: folder + "/b/gloss.codebook.json", atomically: true, encoding: .utf8)
        try "x\n".write(toFile: folder + "/b/real/deep/doc.txt", atomically: true, encoding: .utf8)
        #expect(Codebook.discover(forDocument: folder + "/b/real/deep/doc.txt") == real + "/b/gloss.codebook.json")
        #expect(Codebook.discover(forDocument: folder + "/a/lnk/deep/doc.txt") == real + "/b/gloss.codebook.json")
        try FileManager.default.createSymbolicLink(atPath: folder + "/b/real/deep/gloss.codebook.json", withDestinationPath: "/nowhere/team.json")
        #expect(Codebook.discover(forDocument: folder + "/a/lnk/deep/doc.txt") == real + "/b/real/deep/gloss.codebook.json")
        let refusal = #expect(throws: CodebookError.self) { try Codebook.load(path: real + "/b/real/deep/gloss.codebook.json") }
        #expect(refusal.map { "\($0)" }?.contains("a symbolic link to nothing") == true)
    }

    @Test("a store reached through a link is the file it names: its backup, and the damaged store moved aside, are there, and the link stays")
    func storeThroughALink() throws {
        let (folder, real) = try layout()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let link = folder + "/link.json"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "b/real/s.json")
        let store = AnnotationStore(path: link)
        #expect(store.path == real + "/b/real/s.json")
        #expect(store.backupPath == real + "/b/real/s.json.bak")
        try "{ damaged".write(toFile: real + "/b/real/s.json", atomically: true, encoding: .utf8)
        guard case .damaged(_, let movedTo, _) = try store.open(movingDamagedAside: true) else {
            Issue.record("the damaged store behind the link was not found damaged")
            return
        }
        #expect(movedTo.hasPrefix(real + "/b/real/s.json.corrupt-"))
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == "b/real/s.json")
    }

    @Test("a link that leads back to itself is refused by a write, and stays a link")
    func aLinkLoopIsRefused() throws {
        let (folder, _) = try layout()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let loop = folder + "/loop.json"
        try FileManager.default.createSymbolicLink(atPath: loop, withDestinationPath: "loop.json")
        #expect(throws: StoreError.self) { try AtomicFile.write(Data("{}".utf8), to: loop) }
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: loop) == "loop.json")
    }

    @Test("a backup that is a symbolic link is replaced, never written through: the file it pointed to keeps its text")
    func aBackupLinkIsReplacedNotFollowed() throws {
        let (folder, _) = try layout()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let store = folder + "/a/doc.txt.gloss.json"
        try AtomicFile.write(Data("{\"first\": 1}".utf8), to: store)
        // planted by anyone who can write the folder: the backup aimed at the document
        try FileManager.default.createSymbolicLink(atPath: store + ".bak", withDestinationPath: "doc.txt")
        try AtomicFile.write(Data("{\"second\": 2}".utf8), to: store, backup: store + ".bak")
        #expect(try String(contentsOfFile: folder + "/a/doc.txt", encoding: .utf8) == "Text in A folder.\n")
        let backup = try FileManager.default.attributesOfItem(atPath: store + ".bak")
        #expect(backup[.type] as? FileAttributeType == .typeRegular)
        #expect(try String(contentsOfFile: store + ".bak", encoding: .utf8) == "{\"first\": 1}")
        #expect(try String(contentsOfFile: store, encoding: .utf8) == "{\"second\": 2}")
    }

    @Test("a store that is the document itself (a symbolic or a hard link), a link loop, or a link to a file that is no store is refused; a store link to a store, a damaged store and no store are not")
    func storesThatAreNotStoresAreRefused() throws {
        let (folder, _) = try layout()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let document = folder + "/a/doc.txt"
        func refusal(_ name: String) -> String? { AnnotationStore(path: folder + "/a/" + name).refusal(document: document) }
        try FileManager.default.createSymbolicLink(atPath: folder + "/a/doc.txt.gloss.json", withDestinationPath: "doc.txt")
        #expect(refusal("doc.txt.gloss.json")?.contains("is the document itself (a symbolic link to it)") == true)
        #expect(link(document, folder + "/a/hard.json") == 0)
        #expect(refusal("hard.json")?.contains("is the document itself") == true)
        try FileManager.default.createSymbolicLink(atPath: folder + "/a/loop.json", withDestinationPath: "loop.json")
        #expect(refusal("loop.json")?.contains("loop of symbolic links") == true)
        try FileManager.default.createSymbolicLink(atPath: folder + "/a/other.json", withDestinationPath: "../b/doc.txt")
        #expect(refusal("other.json")?.contains("which is not a Gloss store") == true)
        // what a store may be: a link to a store, a link to nothing yet, a damaged store of its own
        try "{\"annotations\": []}".write(toFile: folder + "/b/s.json", atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: folder + "/a/good.json", withDestinationPath: "../b/s.json")
        #expect(refusal("good.json") == nil)
        try FileManager.default.createSymbolicLink(atPath: folder + "/a/new.json", withDestinationPath: "../b/new.json")
        #expect(refusal("new.json") == nil)
        try "not json".write(toFile: folder + "/a/damaged.json", atomically: true, encoding: .utf8)
        #expect(refusal("damaged.json") == nil)
        #expect(refusal("absent.json") == nil)
        // the document is untouched by the check
        #expect(try String(contentsOfFile: document, encoding: .utf8) == "Text in A folder.\n")
    }

    @Test("a login name with a control character is not taken as the author; a relative HOME is ignored")
    func hostileEnvironmentValues() {
        #expect(ProcessEnvironment.homeFolder(environment: ["HOME": "relative/home"]) != "relative/home")
        #expect(ProcessEnvironment.homeFolder(environment: ["HOME": "/h"]) == "/h")
    }
}
