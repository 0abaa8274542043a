import Foundation
import Testing
@testable import GlossCore
@testable import GlossUI

/// A session on a large text opens with only the start of its store read (``StorePreview``)
/// and reads the rest with the check of what lies past the indexed start: nothing is
/// dropped meanwhile, and the end state is the whole reading's.
@Suite struct StorePreviewSessionTests {
    @Test("a large text's store is read past its start after the first frame: saves meanwhile keep every record, invalid ones, orphans and unknown members; then all are shown as a whole reading places them")
    func storeReadAfterFirstFrame() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gloss-preview-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var text = ""
        var line = 0
        while text.utf8.count < 2 * Int(Document.eagerByteCount) {
            text += "Paragraph \(line) of the filler, with nothing in it.\n\n"
            line += 1
        }
        let path = folder.appendingPathComponent("large.txt").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        let storePath = path + ".gloss.json"
        do {
            let full = try Document(contentsOfFile: path)
            let paragraphs = full.paragraphs
            let chosen = Array(paragraphs.prefix(10)) + stride(from: paragraphs.count / 2, to: paragraphs.count, by: paragraphs.count / 40).map { paragraphs[$0] }
            let annotations = chosen.enumerated().map { index, paragraph in
                Annotation(document: full, range: paragraph.range, tags: [GlossCore.Tag(category: "actor", value: "v\(index % 3)")], id: String(format: "id-%03d", index))
            }
            try AnnotationStore(path: storePath).save(annotations, of: full)
            // by hand: an invalid record and an orphan past the start, a member Gloss does not know
            var root = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: storePath))) as? [String: Any])
            var records = try #require(root["annotations"] as? [[String: Any]])
            var invalid = records[records.count - 1]
            invalid["id"] = "bad"
            invalid["start"] = NSNull()
            records.append(invalid)
            var orphan = records[0]
            orphan["id"] = "lost"
            orphan["quote"] = "words found nowhere in the text"
            root["annotations"] = records
            root["orphans"] = [orphan]
            root["future"] = ["kept": true]
            try JSONSerialization.data(withJSONObject: root, options: [.sortedKeys]).write(to: URL(fileURLWithPath: storePath))
        }
        let original = try Data(contentsOf: URL(fileURLWithPath: storePath))
        let document = try Document(contentsOfFile: path)
        let wholeReading = Reanchoring.place(try StoreCodec.decode(original, path: storePath), in: try Document(contentsOfFile: path))

        var session = try Session(document: document, codebook: Fixture.codebook, store: AnnotationStore(path: storePath), width: 100, height: 30)
        // the first frame: the store's start only
        let unread = try #require(session.unread)
        #expect(!unread.isRead)
        #expect(session.state.annotations.map(\.id) == (0..<10).map { String(format: "id-%03d", $0) })
        #expect(session.isCheckingAnnotations)
        #expect(session.state.message?.contains("checking \(unread.unreadAnnotations + 1) more annotation(s)") == true)
        // a save before the rest is checked writes every record as read
        session.save()
        #expect(session.lastSaveError == nil)
        let saved = try StoreCodec.decode(Data(contentsOf: URL(fileURLWithPath: storePath)), path: storePath)
        let before = try StoreCodec.decode(original, path: storePath)
        #expect(Set(saved.annotations.map(\.id)) == Set(before.annotations.map(\.id)))
        #expect(saved.orphans == before.orphans && saved.quarantined.map(\.reason) == before.quarantined.map(\.reason))
        #expect(saved.otherFields["future"] == .object(["kept": .bool(true)]))

        session.startBackgroundWork()
        let deadline = Date().addingTimeInterval(60)
        while session.isCheckingAnnotations && Date() < deadline {
            session.poll()
            Thread.sleep(forTimeInterval: 0.01)
        }
        #expect(session.unread == nil)
        #expect(session.state.annotations == wholeReading.contents.annotations)
        #expect(session.state.orphans.map(\.id) == wholeReading.contents.orphans.map(\.id))
        #expect(session.state.quarantined.map(\.reason) == ["\"start\" is null"])
        #expect(session.state.quarantined.map(\.reason) == wholeReading.contents.quarantined.map(\.reason))
        #expect(session.state.message?.contains("1 invalid record(s)") == true)
        session.save()
        let last = try StoreCodec.decode(Data(contentsOf: URL(fileURLWithPath: storePath)), path: storePath)
        #expect(last.annotations == wholeReading.contents.annotations && last.quarantined.count == 1 && last.orphans.map(\.id) == ["lost"])
        #expect(last.otherFields["future"] == .object(["kept": .bool(true)]))
        session.release()
    }
}
