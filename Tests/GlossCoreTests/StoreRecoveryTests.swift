import Foundation
import GlossTestSupport
import Testing
@testable import GlossCore
#if canImport(Glibc)
import Glibc
#endif

/// A folder with a document and the path of its store, removed by `cleanUp`.
private struct Fixture {
    static let text = """
    Ministers from twelve states met in Valmora on Monday.

    They agreed to share watch lists of ISIL recruiters. The UN office will coordinate.

    Critics warned about surveillance.
    """
    let folder: URL
    let document: Document
    let storePath: String

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("gloss-recovery-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("article.txt").path
        try Data(Fixture.text.utf8).write(to: URL(fileURLWithPath: path))
        document = try Document(contentsOfFile: path)
        storePath = path + ".gloss.json"
    }

    func annotation(_ quote: String, id: String, value: String = "ISIL") throws -> Annotation {
        let range = try #require(Fixture.text.range(of: quote))
        let start = Fixture.text.unicodeScalars.distance(from: Fixture.text.startIndex, to: range.lowerBound)
        return Annotation(document: document, range: start..<(start + quote.unicodeScalars.count),
                          tags: [GlossCore.Tag(category: "actor", value: value)], author: "analyst",
                          date: Date(timeIntervalSince1970: 1_795_000_000), id: id)
    }

    func bytes(_ path: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path)) }
    func names() throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() }
    func cleanUp() { try? FileManager.default.removeItem(at: folder) }
}

/// Calls that fail the way a full disk does: `write` takes `allowed` bytes in all, then
/// fails with ENOSPC.
private func fullDiskCalls(allowing allowed: Int) -> FileSystemCalls {
    final class Budget: @unchecked Sendable { var left: Int; init(_ left: Int) { self.left = left } }
    let budget = Budget(allowed)
    var calls = FileSystemCalls.posix
    calls.write = { descriptor, bytes, count in
        guard budget.left > 0 else {
            errno = ENOSPC
            return -1
        }
        let taken = Glibc.write(descriptor, bytes, min(count, budget.left))
        if taken > 0 { budget.left -= taken }
        return taken
    }
    return calls
}

@Suite("Store recovery: backups, failed writes, damaged and older stores, merges")
struct StoreRecoveryTests {
    @Test("every save keeps the version it replaced as STORE.bak")
    func backupOfPreviousVersion() throws {
        let fixture = try Fixture()
        defer { fixture.cleanUp() }
        let store = AnnotationStore(path: fixture.storePath)
        try store.save([try fixture.annotation("ISIL recruiters", id: "a")], of: fixture.document)
        #expect(!FileManager.default.fileExists(atPath: store.backupPath))
        let first = try fixture.bytes(fixture.storePath)
        try store.save([try fixture.annotation("ISIL recruiters", id: "a"), try fixture.annotation("Critics", id: "b")], of: fixture.document)
        #expect(try fixture.bytes(store.backupPath) == first)
        let second = try fixture.bytes(fixture.storePath)
        try store.save([], of: fixture.document)
        #expect(try fixture.bytes(store.backupPath) == second)
        #expect(try fixture.names() == ["article.txt", "article.txt.gloss.json", "article.txt.gloss.json.bak"])
    }

    @Test("a write that fails part-way with ENOSPC leaves the store and its backup byte-identical, no temporary file",
          arguments: [0, 1, 100, 4000])
    func fullDiskPartWay(allowed: Int) throws {
        let fixture = try Fixture()
        defer { fixture.cleanUp() }
        try AnnotationStore(path: fixture.storePath).save([try fixture.annotation("ISIL recruiters", id: "a")], of: fixture.document)
        try AnnotationStore(path: fixture.storePath).save([try fixture.annotation("ISIL recruiters", id: "a", value: "Daesh")], of: fixture.document)
        let store = AnnotationStore(path: fixture.storePath, calls: fullDiskCalls(allowing: allowed))
        _ = try store.load()
        let before = try fixture.bytes(fixture.storePath)
        let backupBefore = try fixture.bytes(store.backupPath)
        let many = try (0..<40).map { try fixture.annotation("Critics warned", id: "n\($0)") }
        let error = #expect(throws: StoreError.self) { try store.save(many, of: fixture.document) }
        #expect(error?.description.contains("No space left on device") == true, "\(String(describing: error))")
        #expect(error?.path == fixture.storePath)
        #expect(try fixture.bytes(fixture.storePath) == before)
        #expect(try fixture.bytes(store.backupPath) == backupBefore)
        #expect(try fixture.names() == ["article.txt", "article.txt.gloss.json", "article.txt.gloss.json.bak"])
    }

    @Test("a failed fsync or rename leaves the store byte-identical")
    func failedSyncOrRename() throws {
        let fixture = try Fixture()
        defer { fixture.cleanUp() }
        try AnnotationStore(path: fixture.storePath).save([try fixture.annotation("Critics", id: "a")], of: fixture.document)
        let before = try fixture.bytes(fixture.storePath)
        var failingSync = FileSystemCalls.posix
        failingSync.fsync = { _ in errno = EIO; return -1 }
        var failingRename = FileSystemCalls.posix
        failingRename.rename = { _, _ in errno = EROFS; return -1 }
        for (calls, reason) in [(failingSync, "Input/output error"), (failingRename, "Read-only file system")] {
            let error = #expect(throws: StoreError.self) {
                try AnnotationStore(path: fixture.storePath, calls: calls).save([], of: fixture.document)
            }
            #expect(error?.description.contains(reason) == true, "\(String(describing: error))")
            #expect(try fixture.bytes(fixture.storePath) == before)
            #expect(try fixture.names() == ["article.txt", "article.txt.gloss.json"])
        }
    }

    @Test("without hard links the backup is a copy")
    func backupByCopy() throws {
        let fixture = try Fixture()
        defer { fixture.cleanUp() }
        var noLinks = FileSystemCalls.posix
        noLinks.link = { _, _ in errno = EPERM; return -1 }
        let store = AnnotationStore(path: fixture.storePath, calls: noLinks)
        try store.save([try fixture.annotation("Critics", id: "a")], of: fixture.document)
        let first = try fixture.bytes(fixture.storePath)
        try store.save([], of: fixture.document)
        #expect(try fixture.bytes(store.backupPath) == first)
    }

    static func validStoreJSON(version: Int = 2) -> String {
        """
        {"annotations": [{"author": "x", "created": "2026-01-01T00:00:00Z", "end": 9, "id": "good", \
        "modified": "2026-01-01T00:00:00Z", "note": "", "prefix": "", "quote": "Ministers", "start": 0, \
        "suffix": " from", "tags": [{"category": "actor", "value": "x"}]}], \
        "document": {"length": 170, "path": "article.txt", "sha256": "00"}, \
        "format": "gloss-annotations", "version": \(version)}
        """
    }

    @Test("an empty, truncated or non-JSON store is moved aside to .corrupt-<time>, byte for byte, and a readable .bak is offered",
          arguments: ["", "   \n", String(validStoreJSON().prefix(120)), "<html>not json</html>", "{\"format\": \"gloss-annotations\", \"version\": 2, \"annotations\": 7, \"document\": {\"length\": 1, \"path\": \"a\", \"sha256\": \"0\"}}"])
    func damagedMovedAside(content: String) throws {
        let fixture = try Fixture()
        defer { fixture.cleanUp() }
        let store = AnnotationStore(path: fixture.storePath)
        try Data(Self.validStoreJSON().utf8).write(to: URL(fileURLWithPath: store.backupPath))
        try Data(content.utf8).write(to: URL(fileURLWithPath: fixture.storePath))
        guard case .damaged(let problem, let movedTo, let backup) = try store.open(movingDamagedAside: true) else {
            Issue.record("\(content.debugDescription) was not found damaged")
            return
        }
        #expect(problem.contains("damaged annotation store"))
        #expect(movedTo.hasPrefix(fixture.storePath + ".corrupt-"))
        #expect(try fixture.bytes(movedTo) == Data(content.utf8))
        #expect(!FileManager.default.fileExists(atPath: fixture.storePath))
        #expect(backup?.annotations.map(\.id) == ["good"])
        // nothing is written until the user chooses: the backup is untouched
        #expect(try fixture.bytes(store.backupPath) == Data(Self.validStoreJSON().utf8))
    }

    @Test("a store that is not UTF-8 (a Latin-1 é in its memo) is damaged at the offset of its first bad byte, not 'not a JSON value'")
    func storeNotUTF8() throws {
        let fixture = try Fixture()
        defer { fixture.cleanUp() }
        let json = Self.validStoreJSON().replacingOccurrences(of: "\"format\"", with: "\"memo\": \"caf@\", \"format\"")
        let offset = try #require(json.utf8.firstIndex(of: UInt8(ascii: "@")))
        var bytes = Array(json.utf8)
        bytes[json.utf8.distance(from: json.utf8.startIndex, to: offset)] = 0xE9
        try Data(bytes).write(to: URL(fileURLWithPath: fixture.storePath))
        let error = #expect(throws: StoreError.self) { try AnnotationStore(path: fixture.storePath).load() }
        #expect(error?.problem == "damaged annotation store: not valid UTF-8 (first bad byte at offset \(json.utf8.distance(from: json.utf8.startIndex, to: offset)))")
        // a codebook alike
        let codebook = fixture.storePath + ".codebook.json"
        try Data(Array(#"{"name": "caf"#.utf8) + [0xE9] + Array(#"", "categories": []}"#.utf8)).write(to: URL(fileURLWithPath: codebook))
        let refused = #expect(throws: CodebookError.self) { try Codebook.load(path: codebook) }
        #expect(refused?.problem == "not a codebook: not valid UTF-8 (first bad byte at offset 13)")
    }

    @Test("a damaged store without a readable backup offers none; a second damage gets its own .corrupt name")
    func damagedWithoutBackup() throws {
        let fixture = try Fixture()
        defer { fixture.cleanUp() }
        let store = AnnotationStore(path: fixture.storePath)
        try Data("{".utf8).write(to: URL(fileURLWithPath: store.backupPath))
        var moved: [String] = []
        for content in ["{\"annotations\": [", "{\"annotations\": [{"] {
            try Data(content.utf8).write(to: URL(fileURLWithPath: fixture.storePath))
            guard case .damaged(_, let movedTo, let backup) = try store.open(movingDamagedAside: true) else {
                Issue.record("not found damaged")
                return
            }
            #expect(backup == nil)
            #expect(try fixture.bytes(movedTo) == Data(content.utf8))
            moved.append(movedTo)
        }
        #expect(Set(moved).count == 2)
    }

    @Test("a store of a newer Gloss is refused with a clear message and left as it was")
    func newerVersionRefused() throws {
        let fixture = try Fixture()
        defer { fixture.cleanUp() }
        let bytes = Data(Self.validStoreJSON(version: 4).utf8)
        try bytes.write(to: URL(fileURLWithPath: fixture.storePath))
        let error = #expect(throws: StoreError.self) { try AnnotationStore(path: fixture.storePath).open(movingDamagedAside: true) }
        #expect(error?.description == "\(fixture.storePath): written by a newer Gloss (store version 4; this Gloss reads up to 3); update Gloss to open it")
        #expect(try fixture.bytes(fixture.storePath) == bytes)
        #expect(try fixture.names() == ["article.txt", "article.txt.gloss.json"])
    }

    @Test("records with null, negative, fractional, reversed or out-of-range offsets, bad tags or repeated ids are quarantined with the reason and written back as read")
    func badRecordsQuarantined() throws {
        let fixture = try Fixture()
        defer { fixture.cleanUp() }
        func record(_ id: String, _ start: String, _ end: String, tags: String = "[]") -> String {
            """
            {"author": "x", "created": "c", "end": \(end), "id": "\(id)", "modified": "m", "note": "", \
            "prefix": "", "quote": "Ministers", "start": \(start), "suffix": "", "tags": \(tags)}
            """
        }
        let records = [
            record("good", "0", "9"),
            record("null-start", "null", "9"),
            record("negative", "-4", "9"),
            record("fraction", "1.5", "9"),
            record("reversed", "9", "2"),
            record("past-end", "0", "500"),
            record("bad-tags", "0", "9", tags: "[{\"category\": 3}]"),
            // a field of another tool inside a quarantined record is kept too
            record("good", "0", "9").replacingOccurrences(of: "{\"author\"", with: "{\"color\": \"red\", \"author\""),
            "\"just a string\"",
            "{\"id\": \"no-offsets\"}",
        ]
        let json = """
            {"annotations": [\(records.joined(separator: ", "))], "custom": {"kept": true}, \
            "document": {"length": 170, "path": "article.txt", "sha256": "00"}, "format": "gloss-annotations", "version": 2}
            """
        try Data(json.utf8).write(to: URL(fileURLWithPath: fixture.storePath))
        let store = AnnotationStore(path: fixture.storePath)
        let contents = try #require(try store.load())
        #expect(contents.annotations.map(\.id) == ["good"])
        let reasons = contents.quarantined.map(\.reason)
        #expect(reasons == [
            "\"start\" is null",
            "offsets -4..<9 are not a span",
            "\"start\" is 1.5, not a whole number",
            "offsets 9..<2 are not a span",
            "offsets 0..<500 lie outside the document's 170 code points",
            "\"tags[0].category\" is not a string",
            "id good appears twice",
            "the record is \"just a string\", not an object",
            "\"start\" is missing",
        ], "\(reasons)")
        #expect(contents.quarantined.map(\.position) == Array(1...9))
        #expect(contents.otherFields == ["custom": .object(["kept": .bool(true)])])

        // saving keeps every record as it was and the unknown field
        try store.save(contents, of: fixture.document)
        let reread = try #require(try AnnotationStore(path: fixture.storePath).load())
        #expect(reread.annotations.map(\.id) == ["good"])
        #expect(reread.quarantined.map(\.record) == contents.quarantined.map(\.record))
        #expect(reread.otherFields == contents.otherFields)
        let original = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let saved = try #require(try JSONSerialization.jsonObject(with: fixture.bytes(fixture.storePath)) as? [String: Any])
        let originalRecords = try #require(original["annotations"] as? [Any])
        let savedRecords = try #require(saved["annotations"] as? [Any])
        #expect(NSArray(array: Array(savedRecords.dropFirst())).isEqual(to: Array(originalRecords.dropFirst())))
    }

    @Test("a version 1 store loads as version 1; saving it keeping the document record migrates it and keeps the original as .bak")
    func migrationFromVersion1() throws {
        let fixture = try Fixture()
        defer { fixture.cleanUp() }
        let original = Data(Self.validStoreJSON(version: 1).utf8)
        try original.write(to: URL(fileURLWithPath: fixture.storePath))
        let store = AnnotationStore(path: fixture.storePath)
        let contents = try #require(try store.load())
        #expect(contents.version == 1)
        try store.save(contents, of: fixture.document, keepingDocumentRecord: true)
        #expect(try fixture.bytes(store.backupPath) == original)
        let migrated = try #require(try AnnotationStore(path: fixture.storePath).load())
        #expect(migrated.version == 3)
        #expect(migrated.document == contents.document)
        #expect(migrated.annotations == contents.annotations)
    }

    @Test("the store changed on disk since it was read: additions, edits and deletions of both sides are merged by id")
    func mergeByID() throws {
        let fixture = try Fixture()
        defer { fixture.cleanUp() }
        let a = try fixture.annotation("Ministers", id: "a")
        let b = try fixture.annotation("ISIL recruiters", id: "b")
        let c = try fixture.annotation("Critics", id: "c")
        try AnnotationStore(path: fixture.storePath).save([a, b, c], of: fixture.document)

        let ours = AnnotationStore(path: fixture.storePath)
        let theirs = AnnotationStore(path: fixture.storePath)
        _ = try ours.load()
        let read = try #require(try theirs.load())
        // another writer: adds d, edits b's note, deletes c
        var edited = b
        edited.note = "from the other window"
        let d = try fixture.annotation("The UN office", id: "d")
        try theirs.save(StoreContents(annotations: [a, edited, d], document: read.document), of: fixture.document)
        // here: adds e, deletes a
        let e = try fixture.annotation("surveillance", id: "e")
        let written = try ours.save(StoreContents(annotations: [b, c, e]), of: fixture.document)
        // c, deleted on disk and not edited here, is deleted, as git merges a deleted line;
        // a, deleted here, stays deleted
        #expect(written.annotations.map(\.id).sorted() == ["b", "d", "e"])
        #expect(written.annotations.first { $0.id == "b" }?.note == "from the other window")
        let onDisk = try #require(try AnnotationStore(path: fixture.storePath).load())
        #expect(onDisk.annotations == written.annotations)
    }

    @Test("both sides changed one annotation: the save is refused and the file left as the other writer made it")
    func mergeConflictRefused() throws {
        let fixture = try Fixture()
        defer { fixture.cleanUp() }
        let a = try fixture.annotation("Ministers", id: "a")
        try AnnotationStore(path: fixture.storePath).save([a], of: fixture.document)
        let ours = AnnotationStore(path: fixture.storePath)
        let theirs = AnnotationStore(path: fixture.storePath)
        _ = try ours.load()
        _ = try theirs.load()
        var there = a
        there.note = "there"
        try theirs.save([there], of: fixture.document)
        let before = try fixture.bytes(fixture.storePath)
        var here = a
        here.note = "here"
        let error = #expect(throws: StoreError.self) { try ours.save([here], of: fixture.document) }
        #expect(error?.description.contains("annotation a was changed both there and here; not saved") == true)
        #expect(try fixture.bytes(fixture.storePath) == before)
    }

    @Test("the store replaced on disk by something unreadable: the save is refused, the file kept")
    func changedToGarbageRefused() throws {
        let fixture = try Fixture()
        defer { fixture.cleanUp() }
        let store = AnnotationStore(path: fixture.storePath)
        try store.save([try fixture.annotation("Ministers", id: "a")], of: fixture.document)
        try Data("<<<<<<< HEAD\n".utf8).write(to: URL(fileURLWithPath: fixture.storePath))
        let error = #expect(throws: StoreError.self) { try store.save([], of: fixture.document) }
        #expect(error?.description.contains("changed on disk since Gloss read it and is now unreadable") == true)
        #expect(try fixture.bytes(fixture.storePath) == Data("<<<<<<< HEAD\n".utf8))
    }

    @Test("an \"orphans\" member that is not a list is quarantined and written back, never a crash",
          arguments: ["null", "\"oops\"", "{\"a\": 1}"])
    func misshapenOrphans(value: String) throws {
        let fixture = try Fixture()
        defer { fixture.cleanUp() }
        var json = Self.validStoreJSON()
        json.removeLast()
        json += ", \"orphans\": \(value)}"
        try Data(json.utf8).write(to: URL(fileURLWithPath: fixture.storePath))
        let store = AnnotationStore(path: fixture.storePath)
        let contents = try #require(try store.load())
        #expect(contents.annotations.map(\.id) == ["good"])
        #expect(contents.quarantined.map(\.reason).first?.contains("\"orphans\" is") == true)
        try store.save(contents, of: fixture.document)
        let again = try #require(try AnnotationStore(path: fixture.storePath).load())
        #expect(again.annotations.map(\.id) == ["good"])
        #expect(again.quarantined.map(\.record) == contents.quarantined.map(\.record))
    }

    @Test("a damaged store's readable backup is also kept beside the damaged file, so later saves cannot replace the last good copy")
    func backupKeptBesideDamagedFile() throws {
        let fixture = try Fixture()
        defer { fixture.cleanUp() }
        let store = AnnotationStore(path: fixture.storePath)
        let backup = Data(Self.validStoreJSON().utf8)
        try backup.write(to: URL(fileURLWithPath: store.backupPath))
        try Data("{".utf8).write(to: URL(fileURLWithPath: fixture.storePath))
        guard case .damaged(_, let movedTo, let offered) = try store.open(movingDamagedAside: true) else {
            Issue.record("not found damaged")
            return
        }
        #expect(offered != nil)
        #expect(try fixture.bytes(movedTo + ".bak") == backup)
        // two saves later STORE.bak holds new work; the copy beside the damaged file does not change
        try store.save([], of: fixture.document)
        try store.save([try fixture.annotation("Critics", id: "x")], of: fixture.document)
        #expect(try fixture.bytes(store.backupPath) != backup)
        #expect(try fixture.bytes(movedTo + ".bak") == backup)
    }

    @Test("orphans round-trip through the store's orphans list, outside the length check")
    func orphansRoundTrip() throws {
        let fixture = try Fixture()
        defer { fixture.cleanUp() }
        var orphan = try fixture.annotation("Critics", id: "o")
        orphan.start = 900
        orphan.end = 907
        let store = AnnotationStore(path: fixture.storePath)
        try store.save(StoreContents(annotations: [try fixture.annotation("Ministers", id: "a")], orphans: [orphan]), of: fixture.document)
        let reread = try #require(try AnnotationStore(path: fixture.storePath).load())
        #expect(reread.orphans == [orphan])
        #expect(reread.quarantined.isEmpty)
    }

    @Test("a version too large for Int, or not a whole number, or missing, is refused with one line naming the file; nothing is moved aside",
          arguments: [
            ("1180591620717411303424", "written by a newer Gloss (store version 1180591620717411303424; this Gloss reads up to 3); update Gloss to open it"),
            ("1e30", "written by a newer Gloss (store version 1e+30; this Gloss reads up to 3); update Gloss to open it"),
            ("-1180591620717411303424", "not a Gloss annotation store: there is no store version -1180591620717411303424"),
            ("\"2\"", "not a store this Gloss can read: \"version\" is \"2\", not a whole number"),
            ("2.5", "not a store this Gloss can read: \"version\" is 2.5, not a whole number"),
            ("null", "not a store this Gloss can read: \"version\" is null, not a whole number"),
            ("[2]", "not a store this Gloss can read: \"version\" is a list, not a whole number"),
            ("1e400", "not a store this Gloss can read: \"version\" is a number out of range"),
            ("", "not a store this Gloss can read: \"version\" is missing"),
          ])
    func unreadableVersionLeftAsItWas(version: String, problem: String) throws {
        let fixture = try Fixture()
        defer { fixture.cleanUp() }
        let store = AnnotationStore(path: fixture.storePath)
        let json = Self.validStoreJSON().replacingOccurrences(of: ", \"version\": 2", with: version.isEmpty ? "" : ", \"version\": \(version)")
        #expect(json != Self.validStoreJSON())
        let bytes = Data(json.utf8)
        try bytes.write(to: URL(fileURLWithPath: fixture.storePath))
        let backup = Data(Self.validStoreJSON().utf8)
        try backup.write(to: URL(fileURLWithPath: store.backupPath))
        let error = #expect(throws: StoreError.self) { try store.open(movingDamagedAside: true) }
        #expect(error?.description == "\(fixture.storePath): \(problem)")
        #expect(try fixture.bytes(fixture.storePath) == bytes)
        #expect(try fixture.bytes(store.backupPath) == backup)
        #expect(try fixture.names() == ["article.txt", "article.txt.gloss.json", "article.txt.gloss.json.bak"])
    }

    @Test("an empty span is quarantined in either list, written back as read, and never placed")
    func emptySpanQuarantined() throws {
        let fixture = try Fixture()
        defer { fixture.cleanUp() }
        func record(_ id: String, _ start: Int, _ end: Int, quote: String) -> String {
            """
            {"author": "x", "created": "c", "end": \(end), "id": "\(id)", "modified": "m", "note": "", \
            "prefix": "", "quote": "\(quote)", "start": \(start), "suffix": "", "tags": []}
            """
        }
        let json = """
            {"annotations": [\(record("good", 0, 9, quote: "Ministers")), \(record("empty", 5, 5, quote: ""))], \
            "document": {"length": 170, "path": "article.txt", "sha256": "00"}, "format": "gloss-annotations", \
            "orphans": [\(record("empty-orphan", 0, 0, quote: "")), \(record("orphan", 900, 907, quote: "Absent words"))], "version": 2}
            """
        try Data(json.utf8).write(to: URL(fileURLWithPath: fixture.storePath))
        let store = AnnotationStore(path: fixture.storePath)
        let contents = try #require(try store.load())
        #expect(contents.annotations.map(\.id) == ["good"])
        #expect(contents.orphans.map(\.id) == ["orphan"])
        #expect(contents.quarantined.map(\.id) == ["empty", "empty-orphan"])
        #expect(contents.quarantined.map(\.list) == ["annotations", "orphans"])
        #expect(contents.quarantined.map(\.reason) == ["offsets 5..<5 are an empty span", "offsets 0..<0 are an empty span"])
        #expect(contents.quarantined.allSatisfy { $0.annotation == nil })

        let placed = Reanchoring.place(contents, in: fixture.document).contents
        #expect(placed.annotations.map(\.id) == ["good"])
        #expect(placed.orphans.map(\.id) == ["orphan"])
        #expect(placed.quarantined.map(\.id) == ["empty", "empty-orphan"])

        try store.save(placed, of: fixture.document)
        let saved = try #require(try JSONSerialization.jsonObject(with: fixture.bytes(fixture.storePath)) as? [String: Any])
        let original = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        for list in ["annotations", "orphans"] {
            let savedRecords = try #require(saved[list] as? [[String: Any]])
            let originalRecords = try #require(original[list] as? [[String: Any]])
            let empty = try #require(originalRecords.first { ($0["id"] as? String)?.hasPrefix("empty") == true })
            #expect(savedRecords.contains { NSDictionary(dictionary: $0).isEqual(to: empty) }, "\(list)")
        }
    }
}
