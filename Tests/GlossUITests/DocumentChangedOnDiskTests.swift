import Foundation
import Testing
@testable import GlossUI
import GlossCore

/// A document too large to read whole is mapped; another program writing into the file in
/// place makes the reader read-only instead of annotating text that is no longer there.
@Suite struct DocumentChangedOnDiskTests {
    /// A 2 MB text file in a new folder.
    static func largeText() throws -> (folder: URL, path: String) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gloss-changed-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("large.txt").path
        let paragraph = String(repeating: "Officials met to share information about threats. ", count: 40) + "\n\n"
        try Data(("Title\n\n" + String(repeating: paragraph, count: 1_100)).utf8).write(to: URL(fileURLWithPath: path))
        return (folder, path)
    }

    /// Overwrites the first bytes of the file at `path` in place, as an editor saving in
    /// place or `dd conv=notrunc` does.
    static func overwriteInPlace(_ path: String) throws {
        Thread.sleep(forTimeInterval: 0.01)  // a modification time the file did not have
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.write(contentsOf: Data("Omega\n\n".utf8))
        try handle.close()
    }

    @Test("the change made after the file changed is taken back and nothing more can change; the store keeps the earlier work")
    func changeAfterTheFileChangedIsRefused() throws {
        let (folder, path) = try Self.largeText()
        defer { try? FileManager.default.removeItem(at: folder) }
        let document = try Document(contentsOfFile: path)
        #expect(!document.changedOnDisk)
        let storePath = path + ".gloss.json"
        var session = try Session(document: document, codebook: Fixture.codebook, store: AnnotationStore(path: storePath), width: 100, height: 30)
        defer { session.release() }
        for effect in session.state.press(.character("j"), .character("a"), .enter) where effect == .save { session.saveInBackground() }
        session.flush()
        #expect(try AnnotationStore(path: storePath).load()?.annotations.count == 1)

        try Self.overwriteInPlace(path)
        #expect(document.changedOnDisk)
        for effect in session.state.press(.character("j"), .character("t"), .enter) where effect == .save { session.saveInBackground() }
        #expect(session.state.readOnly)
        #expect(session.state.message?.contains("large.txt was changed on disk") == true)
        #expect(session.state.annotations.count == 1, "the change made on the changed file is taken back")
        #expect(!session.state.unsavedChanges)
        session.flush()
        #expect(try AnnotationStore(path: storePath).load()?.annotations.count == 1)
        session.state.press(.character("j"), .character("c"))
        #expect(session.state.prompt == nil)
    }

    @Test("noticed between keys as well")
    func noticedByPoll() throws {
        let (folder, path) = try Self.largeText()
        defer { try? FileManager.default.removeItem(at: folder) }
        var session = try Session(document: try Document(contentsOfFile: path), codebook: Fixture.codebook,
                                  store: AnnotationStore(path: path + ".gloss.json"), width: 100, height: 30)
        defer { session.release() }
        session.poll()
        #expect(!session.state.readOnly)
        try Self.overwriteInPlace(path)
        session.poll()
        #expect(session.state.readOnly && session.state.messageIsError)
    }

    @Test("a small file is read whole, so a change on disk does not concern the reader")
    func smallFileIsACopy() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gloss-changed-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("small.txt").path
        try Data("Title\n\nText.\n".utf8).write(to: URL(fileURLWithPath: path))
        let document = try Document(contentsOfFile: path)
        try Self.overwriteInPlace(path)
        #expect(!document.changedOnDisk)
    }
}

/// The status line tells an edited store from an edited text.
@Suite struct PlacementReportTests {
    @Test("with the text the store records, a quote edited in the store is reported as not matching, not as a changed text")
    func unchangedTextWithAnEditedQuote() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gloss-report-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("d.txt").path
        try Data("Title\n\nMaria met the envoy.\n".utf8).write(to: URL(fileURLWithPath: path))
        let document = try Document(contentsOfFile: path)
        let storePath = path + ".gloss.json"
        try AnnotationStore(path: storePath).save([Annotation(document: document, range: 7..<12, tags: [GlossCore.Tag(category: "actor", value: "x")])], of: document)
        let edited = try String(contentsOfFile: storePath, encoding: .utf8).replacingOccurrences(of: "\"quote\" : \"Maria\"", with: "\"quote\" : \"XXXXX\"")
        try edited.write(toFile: storePath, atomically: true, encoding: .utf8)
        var session = try Session(document: try Document(contentsOfFile: path), codebook: Fixture.codebook,
                                  store: AnnotationStore(path: storePath), width: 100, height: 30)
        defer { session.release() }
        #expect(session.state.message?.contains("d.txt is unchanged but some annotations did not match it") == true, "\(session.state.message ?? "")")
        #expect(session.state.orphans.count == 1)
    }
}

/// Records re-anchoring finds invalid are written back with every field they had.
@Suite struct ExactRecordTests {
    @Test("a record whose offsets split a grapheme cluster keeps its unknown fields through a save")
    func unknownFieldsKept() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gloss-exact-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("c.txt").path
        try Data("Title\n\nAlpha \u{1F468}\u{200D}\u{1F527} gamma. Delta epsilon.\n".utf8).write(to: URL(fileURLWithPath: path))
        let document = try Document(contentsOfFile: path)
        let storePath = path + ".gloss.json"
        // 14..<16 starts inside the ZWJ sequence (U+1F468 is at 13)
        try AnnotationStore(path: storePath).save([Annotation(document: document, range: 14..<16, tags: [GlossCore.Tag(category: "actor", value: "x")], id: "IN")], of: document)
        let json = try String(contentsOfFile: storePath, encoding: .utf8)
            .replacingOccurrences(of: "\"id\" : \"IN\",", with: "\"id\" : \"IN\",\n      \"x_source\" : \"keep me\",")
        try json.write(toFile: storePath, atomically: true, encoding: .utf8)
        var session = try Session(document: try Document(contentsOfFile: path), codebook: Fixture.codebook,
                                  store: AnnotationStore(path: storePath), width: 100, height: 30)
        defer { session.release() }
        #expect(session.state.quarantined.count == 1)
        for effect in session.state.press(.character("G"), .character("a"), .enter) where effect == .save { session.saveInBackground() }
        session.flush()
        let saved = try String(contentsOfFile: storePath, encoding: .utf8)
        #expect(saved.contains("\"x_source\" : \"keep me\""), "\(saved)")
    }
}
