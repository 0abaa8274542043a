import Foundation
import Testing
@testable import GlossCore

/// A store holding a member twice in one object (a botched hand merge) is refused with the
/// member named and the file left as it is: reading either copy would lose the other's
/// annotations at the next save.
@Suite("A store with a repeated member is refused, not half read")
struct StoreRepeatedMemberTests {
    static let record = #"{"author":"t","created":"2026-12-01T12:00:00Z","end":13,"id":"A1","modified":"2026-12-01T12:00:00Z","note":"","prefix":"","quote":"Top officials","start":0,"suffix":" met","tags":[{"category":"actor","value":"x"}]}"#

    static func store(annotations: String, document: String = #"{"length":17,"path":"d.txt","sha256":"0"}"#) -> String {
        #"{"annotations":"# + annotations + #","document":"# + document + #","format":"gloss-annotations","memo":"","orphans":[],"relations":[],"version":3}"#
    }

    static let cases: [(name: String, json: String, key: String)] = [
        ("an empty list before the real one", store(annotations: "[],\"annotations\":[" + record + "]"), "annotations"),
        ("the real list before an empty one", store(annotations: "[" + record + "],\"annotations\":[]"), "annotations"),
        ("a repeated version", store(annotations: "[" + record + "]").replacingOccurrences(of: #""version":3"#, with: #""version":3,"version":99"#), "version"),
        ("a note twice in a record", store(annotations: "[" + record.replacingOccurrences(of: #""note":"""#, with: #""note":"old","note":"new""#) + "]"), "note"),
        ("a tag's value twice", store(annotations: "[" + record.replacingOccurrences(of: #""value":"x""#, with: #""value":"x","value":"y""#) + "]"), "value"),
        ("another tool's member twice in the document", store(annotations: "[" + record + "]", document: #"{"length":17,"path":"d.txt","sha256":"0","url":"a","url":"b"}"#), "url"),
    ]

    @Test("refused with the member named; the file is not changed", arguments: cases.indices)
    func refused(index: Int) throws {
        let (name, json, key) = Self.cases[index]
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gloss-repeated-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("d.txt.gloss.json").path
        try Data(json.utf8).write(to: URL(fileURLWithPath: path))
        let store = AnnotationStore(path: path)
        do {
            _ = try store.load()
            Issue.record("\(name): read without a word")
        } catch let error as StoreError {
            #expect(error.path == path, "\(name)")
            #expect(error.problem.contains("\"\(key)\" twice"), "\(name): \(error.problem)")
        }
        // the reader's way in: refused too, and nothing moved aside
        #expect(throws: StoreError.self) { _ = try store.open(movingDamagedAside: true) }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == json, "\(name)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["d.txt.gloss.json"], "\(name)")
    }

    @Test("the same key in different objects is not a repeat")
    func differentObjects() throws {
        let json = Self.store(annotations: "[" + Self.record + "," + Self.record.replacingOccurrences(of: #""id":"A1""#, with: #""id":"A2""#) + "]")
        #expect(StoreScan.firstRepeatedKey(of: Data(json.utf8)) == nil)
        #expect(try StoreCodec.decode(Data(json.utf8), path: "s.json").annotations.count == 2)
    }
}
