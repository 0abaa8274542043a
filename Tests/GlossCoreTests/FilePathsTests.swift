import Foundation
@testable import GlossCore
import Testing

@Suite struct FilePathsTests {
    @Test("standardized takes out ., .. and repeated slashes as text, from the working folder for a relative path")
    func standardized() throws {
        #expect(FilePaths.standardized("/a/./b/../c") == "/a/c")
        #expect(FilePaths.standardized("/a//b/") == "/a/b")
        #expect(FilePaths.standardized("/../..") == "/")
        #expect(FilePaths.standardized("/") == "/")
        let working = FileManager.default.currentDirectoryPath
        #expect(FilePaths.standardized("x/../y.txt") == (working == "/" ? "" : working) + "/y.txt")
        // as Foundation gives it for the paths Gloss standardizes
        for path in ["/tmp/a/../b/c.txt", "/x/./y/", "/a/b/../../c"] {
            #expect(FilePaths.standardized(path) == URL(fileURLWithPath: path).standardizedFileURL.path)
        }
    }

    @Test("folder of: the part before the last slash, the root for a top-level name")
    func folderOf() {
        #expect(FilePaths.folder(of: "/a/b/c.txt") == "/a/b")
        #expect(FilePaths.folder(of: "/c.txt") == "/")
        #expect(FilePaths.folder(of: "c.txt") == ".")
    }

    @Test("resolvingLinks follows links in existing folders, keeps what is not there yet, and applies . and .. to it")
    func resolvingLinks() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("gloss-paths-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: base) }
        // the temporary folder may itself sit behind a link (/tmp on some systems)
        let real = try #require(realpath(base.path, nil).map { pointer in defer { free(pointer) }; return String(cString: pointer) })
        try FileManager.default.createDirectory(atPath: real + "/a/b", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: real + "/to-b", withDestinationPath: "a/b")
        #expect(FileManager.default.createFile(atPath: real + "/a/b/doc.json", contents: Data()))
        #expect(FilePaths.resolvingLinks(base.path + "/to-b/doc.json") == real + "/a/b/doc.json")
        #expect(FilePaths.resolvingLinks(base.path + "/to-b/new.json") == real + "/a/b/new.json")
        #expect(FilePaths.resolvingLinks(base.path + "/to-b/missing/../new.json") == real + "/a/b/new.json")
        #expect(FilePaths.resolvingLinks(base.path + "/to-b/./missing/deeper/x.json") == real + "/a/b/missing/deeper/x.json")
        #expect(FilePaths.resolvingLinks(base.path + "/a/../to-b") == real + "/a/b")
        #expect(FilePaths.resolvingLinks("/") == "/")
        let nowhere = "/no-such-folder-\(UUID().uuidString)"
        #expect(FilePaths.resolvingLinks(nowhere + "/x/../y") == nowhere + "/y")
        // a relative path is taken from the working folder
        let working = try #require(realpath(".", nil).map { pointer in defer { free(pointer) }; return String(cString: pointer) })
        let relative = "not-here-\(UUID().uuidString)/x.json"
        #expect(FilePaths.resolvingLinks(relative) == working + "/" + relative)
    }
}
