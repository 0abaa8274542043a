import Foundation
import GlossCore
import Testing

/// Saving replaces the file atomically without changing what kind of file it is.
@Suite struct AtomicFileTests {
    func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("gloss-atomic-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test("a private store stays private after a save")
    func keepsPermissions() throws {
        let folder = try folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("doc.txt.gloss.json").path
        try Data("old".utf8).write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        try AtomicFile.write(Data("new".utf8), to: path)
        let permissions = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(permissions == 0o600)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "new")
    }

    @Test("a store reached through a symbolic link stays a link; its target is replaced")
    func followsSymbolicLinks() throws {
        let folder = try folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let target = folder.appendingPathComponent("real.json").path
        let link = folder.appendingPathComponent("link.json").path
        try Data("old".utf8).write(to: URL(fileURLWithPath: target))
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
        try AtomicFile.write(Data("new".utf8), to: link)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == target)
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "new")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == ["link.json", "real.json"])
    }

    @Test("a link to a file not there yet (relative, or through a second link) stays a link, and the file it names is made")
    func followsLinksToNothingYet() throws {
        let folder = try folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("exports"), withIntermediateDirectories: true)
        let link = folder.appendingPathComponent("out.csv").path
        let hop = folder.appendingPathComponent("hop.csv").path
        try FileManager.default.createSymbolicLink(atPath: hop, withDestinationPath: "exports/latest.csv")
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "hop.csv")
        try AtomicFile.write(Data("new".utf8), to: link)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == "hop.csv")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: hop) == "exports/latest.csv")
        #expect(try String(contentsOfFile: folder.appendingPathComponent("exports/latest.csv").path, encoding: .utf8) == "new")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("exports").path) == ["latest.csv"])
    }
}
