import Foundation
import GlossTestSupport
import Testing
@testable import GlossCore
#if canImport(Glibc)
import Glibc
#endif

/// A fresh temporary folder, removed by the caller.
private func makeStoreFolder() throws -> URL {
    let folder = FileManager.default.temporaryDirectory
        .appendingPathComponent("gloss-store-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder
}

/// The article text used by these tests: multi-byte, so code points, graphemes and UTF-16
/// units all differ.
private let storeText = """
    Caf\u{E9} talks \u{1F1FA}\u{1F1F3}: ISIL and Da\u{301}esh financing.\r
    \r
    The U.N. office \u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467} shared information with Interpol.

    """

/// Writes ``storeText`` with a byte-order mark to `doc.txt` in `folder` and opens it.
private func writeStoreDocument(in folder: URL, name: String = "doc.txt") throws -> Document {
    let path = folder.appendingPathComponent(name).path
    try Data([0xEF, 0xBB, 0xBF] + Array(storeText.utf8)).write(to: URL(fileURLWithPath: path))
    return try Document(contentsOfFile: path)
}

/// Annotations over `document`, deliberately out of order, with ties on start and on
/// (start, end) so the id decides.
private func sampleAnnotations(_ document: Document) -> [Annotation] {
    let date = Date(timeIntervalSince1970: 1_795_000_000)
    func make(_ id: String, _ range: Range<Int>, _ tags: [GlossCore.Tag], note: String = "") -> Annotation {
        Annotation(document: document, range: range, tags: tags, note: note, author: "analyst", date: date, id: id)
    }
    return [
        make("C", 91..<99, [GlossCore.Tag(category: "actor", value: "Interpol")]),
        make("B", 15..<23, [GlossCore.Tag(category: "actor", value: "ISIL")], note: "aliases \u{201C}Daesh\u{201D}"),
        make("A", 15..<23, [GlossCore.Tag(category: "actor", value: "ISIL")]),
        make("D", 0..<10, [GlossCore.Tag(category: "threat", value: ""), GlossCore.Tag(category: "actor", value: "x")]),
        make("E", 15..<49, [GlossCore.Tag(category: "cooperation-measure", value: "information sharing")]),
    ]
}

/// The hex SHA-256 of the file at `path`, computed by `sha256sum`, or by Python's hashlib
/// where `sha256sum` is missing.
private func externalSHA256(ofFile path: String) throws -> String {
    let result = FileManager.default.isExecutableFile(atPath: "/usr/bin/sha256sum")
        ? try run("/usr/bin/sha256sum", [path])
        : try run("/usr/bin/env", ["python3", "-c", "import hashlib,sys; print(hashlib.sha256(open(sys.argv[1],'rb').read()).hexdigest())", path])
    return String(result.output.prefix { !$0.isWhitespace })
}

/// A store JSON with one annotation, for the error cases.
private func storeJSON(format: String = "gloss-annotations", version: Int = 1, length: Int = 20,
                       annotations: [(id: String, start: Int, end: Int)] = [("a1", 0, 4)]) -> String {
    let items = annotations.map { item in
        """
        {"author": "x", "created": "2026-01-01T00:00:00Z", "end": \(item.end), "id": "\(item.id)", \
        "modified": "2026-01-01T00:00:00Z", "note": "", "prefix": "", "quote": "abcd", "start": \(item.start), \
        "suffix": "", "tags": []}
        """
    }
    return """
        {"annotations": [\(items.joined(separator: ", "))], \
        "document": {"length": \(length), "path": "doc.txt", "sha256": "00"}, \
        "format": "\(format)", "version": \(version)}
        """
}

/// The names in `folder`, sorted.
private func listing(_ folder: URL) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
}

@Suite("AnnotationStore")
struct StoreTests {
    @Test("save then load returns the same annotations, in (start, end, id) order")
    func roundTrip() throws {
        let folder = try makeStoreFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let document = try writeStoreDocument(in: folder)
        let annotations = sampleAnnotations(document)
        let storePath = AnnotationStore.defaultPath(forDocument: document.path)
        #expect(storePath == folder.appendingPathComponent("doc.txt.gloss.json").path)
        let store = AnnotationStore(path: storePath)
        #expect(try store.load() == nil)

        try store.save(annotations, of: document)
        let loaded = try #require(try AnnotationStore(path: storePath).load())
        #expect(loaded.version == AnnotationStore.currentVersion)
        #expect(loaded.orphans.isEmpty && loaded.quarantined.isEmpty)
        #expect(loaded.annotations.map(\.id) == ["D", "A", "B", "E", "C"])
        #expect(Set(loaded.annotations) == Set(annotations))
        #expect(loaded.annotations == annotations.sorted(by: Annotation.documentOrder))
        #expect(loaded.document?.path == "doc.txt")
        for annotation in loaded.annotations {
            #expect(annotation.quote == document.text(in: annotation.range))
        }
        #expect(loaded.annotations.first { $0.id == "B" }?.quote == "ISIL and")
        #expect(loaded.annotations.first { $0.id == "C" }?.quote == "Interpol")
        #expect(loaded.annotations.first { $0.id == "D" }?.quote == "Caf\u{E9} talks")
        #expect(loaded.annotations.first { $0.id == "B" }?.note == "aliases \u{201C}Daesh\u{201D}")

        // Saving what was loaded writes the same bytes.
        let first = try Data(contentsOf: URL(fileURLWithPath: storePath))
        try store.save(loaded.annotations.reversed(), of: document)
        #expect(try Data(contentsOf: URL(fileURLWithPath: storePath)) == first)
    }

    @Test("document.length counts code points and sha256 hashes the text without the BOM")
    func documentRecord() throws {
        let folder = try makeStoreFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let document = try writeStoreDocument(in: folder)
        let storePath = folder.appendingPathComponent("doc.txt.gloss.json").path
        try AnnotationStore(path: storePath).save(sampleAnnotations(document), of: document)
        let loaded = try #require(try AnnotationStore(path: storePath).load())

        #expect(loaded.document?.length == storeText.unicodeScalars.count)
        #expect(loaded.document?.length != storeText.utf16.count)
        #expect(loaded.document?.length != storeText.count)

        let bomless = folder.appendingPathComponent("copy-without-bom.txt").path
        try Data(storeText.utf8).write(to: URL(fileURLWithPath: bomless))
        let expected = try externalSHA256(ofFile: bomless)
        #expect(expected.count == 64)
        #expect(loaded.document?.sha256 == expected)
        // The hash of the file itself (with its BOM) differs.
        #expect(loaded.document?.sha256 != (try externalSHA256(ofFile: document.path)))
    }

    @Test("the file is pretty-printed with sorted keys and ends with a newline")
    func fileLayout() throws {
        let folder = try makeStoreFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let document = try writeStoreDocument(in: folder)
        let storePath = folder.appendingPathComponent("doc.txt.gloss.json").path
        try AnnotationStore(path: storePath).save(sampleAnnotations(document), of: document)
        let data = try Data(contentsOf: URL(fileURLWithPath: storePath))
        let text = String(decoding: data, as: UTF8.self)

        #expect(data.last == 0x0A)
        #expect(!text.hasSuffix("\n\n"))
        #expect(text.hasPrefix("{\n  \"annotations\" : [\n"))
        #expect(text.split(separator: "\n").count > 40)  // one field per line

        func position(_ key: String, after start: String.Index? = nil) -> String.Index? {
            text.range(of: "\"\(key)\" :", range: (start ?? text.startIndex)..<text.endIndex)?.lowerBound
        }
        let topLevel = ["annotations", "document", "format", "orphans", "version"].compactMap { position($0) }
        #expect(topLevel.count == 5)
        #expect(topLevel == topLevel.sorted())
        let annotationKeys = ["author", "created", "end", "id", "modified", "note", "prefix", "quote", "start", "suffix", "tags"]
        let firstAnnotation = annotationKeys.compactMap { position($0) }
        #expect(firstAnnotation.count == annotationKeys.count)
        #expect(firstAnnotation == firstAnnotation.sorted())
        let documentKeys = ["length", "path", "sha256"].compactMap { position($0, after: position("document")) }
        #expect(documentKeys == documentKeys.sorted())

        // Annotations appear in (start, end, id) order in the bytes.
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let items = try #require(object["annotations"] as? [[String: Any]])
        let order = items.map { ($0["start"] as? Int ?? -1, $0["end"] as? Int ?? -1, $0["id"] as? String ?? "") }
        #expect(order.map(\.2) == ["D", "A", "B", "E", "C"])
        for (a, b) in zip(order, order.dropFirst()) {
            #expect(a < b)
        }
    }

    @Test("saving leaves no temporary file in the folder")
    func noTemporaryFiles() throws {
        let folder = try makeStoreFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let document = try writeStoreDocument(in: folder)
        let store = AnnotationStore(path: folder.appendingPathComponent("doc.txt.gloss.json").path)
        try store.save(sampleAnnotations(document), of: document)
        try store.save(Array(sampleAnnotations(document).prefix(2)), of: document)
        try store.save([], of: document)
        #expect(try listing(folder) == ["doc.txt", "doc.txt.gloss.json", "doc.txt.gloss.json.bak"])
        #expect(try store.load()?.annotations == [])
    }

    @Test("a store elsewhere records the document's absolute path")
    func storeInAnotherFolder() throws {
        let folder = try makeStoreFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let document = try writeStoreDocument(in: folder)
        let elsewhere = folder.appendingPathComponent("stores")
        try FileManager.default.createDirectory(at: elsewhere, withIntermediateDirectories: false)
        let store = AnnotationStore(path: elsewhere.appendingPathComponent("doc.gloss.json").path)
        try store.save([], of: document)
        let loaded = try #require(try store.load())
        let recorded = try #require(loaded.document).path
        #expect(recorded.hasPrefix("/"))
        #expect(recorded.hasSuffix("/doc.txt"))
        #expect(FileManager.default.fileExists(atPath: recorded))
    }

    @Test("foreign, newer and damaged stores are refused by load(), named, and left as they were",
          arguments: [
            ("", "damaged annotation store: the file is empty"),
            ("{", "damaged annotation store"),
            ("this is not JSON\n", "damaged annotation store"),
            ("[1, 2, 3]", "damaged annotation store"),
            (storeJSON(format: "brat-annotations"), "\"format\" is \"brat-annotations\""),
            (storeJSON(version: 4), "newer Gloss"),
            (storeJSON(version: 0), "no store version 0"),
            ("{\"format\": \"gloss-annotations\", \"version\": 1}", "damaged annotation store: missing \"document\""),
          ])
    func refusedStores(content: String, problem: String) throws {
        let folder = try makeStoreFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("doc.txt.gloss.json").path
        let bytes = Data(content.utf8)
        try bytes.write(to: URL(fileURLWithPath: path))
        do {
            _ = try AnnotationStore(path: path).load()
            Issue.record("loading \(content.debugDescription) succeeded")
        } catch let error as StoreError {
            #expect(error.path == path)
            #expect(error.description.hasPrefix(path + ": "))
            #expect(error.description.contains(problem), "\(error.description)")
            #expect(!error.description.contains("\n"))
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == bytes)
        #expect(try listing(folder) == ["doc.txt.gloss.json"])
    }

    @Test("the valid variant of the error fixture loads, so the cases above fail for their stated reason")
    func validFixtureLoads() throws {
        let file = try StoreCodec.decode(Data(storeJSON().utf8), path: "x.gloss.json")
        #expect(file.annotations.map(\.range) == [0..<4])
        #expect(file.quarantined.isEmpty)
        let current = try StoreCodec.decode(Data(storeJSON(version: 3).utf8), path: "x.gloss.json")
        #expect(current.version == 3 && current.annotations.count == 1)
    }

    @Test("saving where the folder does not exist, or is a file, throws StoreError")
    func saveIntoMissingFolder() throws {
        let folder = try makeStoreFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let document = try writeStoreDocument(in: folder)

        let missing = folder.appendingPathComponent("no-such-folder/doc.txt.gloss.json").path
        #expect(throws: StoreError.self) { try AnnotationStore(path: missing).save([], of: document) }
        do {
            try AnnotationStore(path: missing).save([], of: document)
        } catch let error as StoreError {
            #expect(error.path == missing)
            #expect(error.description.hasPrefix(missing + ": cannot save"))
        }
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("no-such-folder").path))

        let underFile = folder.appendingPathComponent("doc.txt/doc.txt.gloss.json").path
        #expect(throws: StoreError.self) { try AnnotationStore(path: underFile).save([], of: document) }
        #expect(try listing(folder) == ["doc.txt"])
    }

    @Test("a failed save leaves the old store byte-identical and no temporary file")
    func failedSaveKeepsOldStore() throws {
        let folder = try makeStoreFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let document = try writeStoreDocument(in: folder)
        // A store name so long that the temporary file's name (".<name>.tmp-<pid>-<n>")
        // exceeds the file-system limit of 255 bytes: creating it fails, even for root.
        let name = String(repeating: "s", count: 240) + ".gloss.json"
        let path = folder.appendingPathComponent(name).path
        let store = AnnotationStore(path: path)
        // The old store is written directly: the store's own save cannot create it here.
        let old = StoreContents(
            annotations: Array(sampleAnnotations(document).prefix(1)),
            document: StoredDocument(path: "doc.txt", sha256: AnnotationStore.sha256Hex(document.utf8), length: document.length))
        try StoreCodec.encode(old).write(to: URL(fileURLWithPath: path))
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        let namesBefore = try listing(folder)

        let error = #expect(throws: StoreError.self) { try store.save(sampleAnnotations(document), of: document) }
        #expect(error?.description.hasPrefix(path + ": cannot save") == true)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
        #expect(try listing(folder) == namesBefore)
        #expect(try store.load() == old)
    }

    @Test("when the rename fails the temporary file is removed")
    func failedRenameCleansUp() throws {
        let folder = try makeStoreFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let document = try writeStoreDocument(in: folder)
        // A non-empty folder where the store should be: the rename over it fails.
        let blocker = folder.appendingPathComponent("doc.txt.gloss.json")
        try FileManager.default.createDirectory(at: blocker, withIntermediateDirectories: false)
        try Data("keep".utf8).write(to: blocker.appendingPathComponent("inside"))
        do {
            try AnnotationStore(path: blocker.path).save(sampleAnnotations(document), of: document)
            Issue.record("saving over a folder succeeded")
        } catch let error as StoreError {
            #expect(error.description.contains("rename"))
        }
        #expect(try listing(folder) == ["doc.txt", "doc.txt.gloss.json"])
        #expect(try listing(blocker) == ["inside"])
    }
}
