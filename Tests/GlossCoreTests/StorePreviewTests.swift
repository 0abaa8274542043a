import Foundation
import Testing
@testable import GlossCore

/// The first-frame reading of a store (``StorePreview`` and its ``StoreRemainder``)
/// against the whole reading it stands in for (``StoreCodec/decode(_:path:)``), and the
/// writer's in-place order check against sorting.
@Suite struct StorePreviewTests {
    /// Expects `preview` of `data` and its remainder to make up exactly what the whole
    /// reading gives: the same annotations (the preview's a leading part of the file's
    /// list, each ending within `limit`), orphans, invalid records, document, memo and
    /// unknown members, and counts of unread records that match the file's lists.
    static func expectPreviewAgrees(_ data: Data, _ preview: StorePreview, limit: Int, _ label: String) throws {
        let whole = try StoreCodec.decode(data, path: "s.gloss.json")
        let rest = try StoreRemainder(data: data, path: "s.gloss.json", preview: preview).rest()
        #expect(preview.contents.annotations.allSatisfy { $0.end <= limit }, "\(label)")
        #expect((preview.contents.annotations + rest.annotations).sorted(by: Annotation.documentOrder) == whole.annotations, "\(label)")
        #expect(rest.orphans == whole.orphans, "\(label)")
        #expect(rest.quarantined == whole.quarantined, "\(label)")
        #expect(whole.relations.isEmpty, "\(label)")
        #expect(preview.contents.document == whole.document && rest.document == whole.document, "\(label)")
        #expect(preview.contents.memo == whole.memo && preview.contents.version == whole.version, "\(label)")
        #expect(preview.contents.otherFields == whole.otherFields, "\(label)")
        // the file's own lists, read by the exact reader (JSONSerialization refuses numbers
        // beyond Double, which a store may hold in an invalid record)
        guard case .object(let root)? = StoreScan.exactValue(of: data), case .array(let records)? = root["annotations"] else {
            Issue.record("\(label): the exact reader cannot read the file")
            return
        }
        let leading = records.prefix(preview.contents.annotations.count).compactMap { record -> String? in
            guard case .object(let fields) = record, case .string(let id)? = fields["id"] else { return nil }
            return id
        }
        #expect(Set(leading) == Set(preview.contents.annotations.map(\.id)), "\(label): not the file's leading records")
        #expect(preview.contents.annotations.count + preview.unreadAnnotations == records.count, "\(label)")
        var orphanCount = 0
        if case .array(let orphans)? = root["orphans"] { orphanCount = orphans.count }
        #expect(preview.unreadOrphans == orphanCount, "\(label)")
    }

    @Test("every store fixture, previewed through several limits, reads with its remainder as the whole store reads; damage is never left for later")
    func fixturesAgree() throws {
        var previewed = 0, declined = 0
        for (name, data) in try StoreCodecAgreementTests.fixtures() {
            let wholeReads = (try? StoreCodec.decode(data, path: "s.gloss.json")) != nil
            for limit in [0, 40, 400, 4000, Int.max] {
                guard let preview = StorePreview.read(data, through: limit) else { declined += 1; continue }
                // a file the whole reading refuses must be found out before the first frame
                #expect(wholeReads, "\(name): previewed, but the whole store does not read")
                try Self.expectPreviewAgrees(data, preview, limit: limit, "\(name) through \(limit)")
                previewed += 1
            }
        }
        #expect(previewed >= 50 && declined >= 50, "previewed \(previewed), declined \(declined)")
    }

    @Test("the benchmark's 10,000 annotations over the 3 MB novel: the preview reads those within the indexed start, the remainder the rest")
    func benchmarkStore() throws {
        let package = StoreCodecAgreementTests.package
        let novel = package.deletingLastPathComponent().appendingPathComponent("shared/corpus/large/war-and-peace-pg2600.txt").path
        let document = try Document(contentsOfFile: novel)
        let codebook = try Codebook.load(path: package.appendingPathComponent("Resources/codebook.json").path)
        let annotations = SampleAnnotations.spread(count: 10_000, in: document, codebook: codebook)
        let data = try StoreCodec.encode(StoreContents(annotations: annotations, document: StoredDocument(path: "w.txt", sha256: document.sha256, length: document.length)))
        // what a reader opening the novel has indexed before its first frame
        let opened = try Document(contentsOfFile: novel)
        let limit = opened.indexedCodePointCount
        #expect(!opened.isFullyIndexed)
        let preview = try #require(StorePreview.read(data, through: limit))
        #expect(preview.contents.annotations.count == annotations.filter { $0.end <= limit }.count)
        #expect(preview.unreadAnnotations == 10_000 - preview.contents.annotations.count)
        #expect(preview.contents.annotations.count > 20 && preview.unreadAnnotations > 5_000)
        try Self.expectPreviewAgrees(data, preview, limit: limit, "10k store")
    }

    /// A store of three annotations over a 1,000-code-point text, the first within 100
    /// code points, with `late` as the third record's note, written raw.
    static func store(lateNote: String, lateStart: String = "600") -> Data {
        func record(_ id: String, _ start: String, _ end: Int, note: String = "\"\"") -> String {
            """
            {"author": "", "created": "", "end": \(end), "id": "\(id)", "modified": "", "note": \(note), "prefix": "", "quote": "q", "start": \(start), "suffix": "", "tags": [{"category": "actor", "value": "v"}]}
            """
        }
        return Data("""
        {"annotations": [\(record("a", "10", 20)), \(record("b", "500", 510)), \(record("c", lateStart, 610, note: lateNote))],
         "document": {"length": 1000, "path": "t.txt", "sha256": "00"}, "format": "gloss-annotations", "future": {"kept": [1, null]},
         "memo": "m", "orphans": [\(record("o", "5", 7))], "relations": [], "version": 3}
        """.utf8)
    }

    @Test("a record past the preview that the whole reading quarantines is read later, quarantined as the whole reading quarantines it")
    func invalidRecordLater() throws {
        let data = Self.store(lateNote: "\"fine\"", lateStart: "null")
        let preview = try #require(StorePreview.read(data, through: 100))
        #expect(preview.contents.annotations.map(\.id) == ["a"] && preview.unreadAnnotations == 2 && preview.unreadOrphans == 1)
        try Self.expectPreviewAgrees(data, preview, limit: 100, "start null")
        let rest = try StoreRemainder(data: data, path: "s.gloss.json", preview: preview).rest()
        #expect(rest.quarantined.map(\.reason) == ["\"start\" is null"])
        #expect(preview.contents.otherFields["future"] != nil)
    }

    @Test("damage past the preview (bad UTF-8, a lone surrogate, a control character, a bad escape or number, a cut file) makes the store read whole at once")
    func damageLaterDeclines() throws {
        #expect(StorePreview.read(Self.store(lateNote: "\"fine \\u00e9\""), through: 100) != nil)
        var badByte = [UInt8](Self.store(lateNote: "\"fine XY\""))
        let at = try #require(badByte.firstIndex(of: UInt8(ascii: "X")))
        badByte[at] = 0xC3
        badByte[at + 1] = 0x28
        var cut = Self.store(lateNote: "\"fine\"")
        cut.removeLast(30)
        let damaged: [(String, Data)] = [
            ("invalid UTF-8", Data(badByte)),
            ("lone surrogate", Self.store(lateNote: "\"\\ud800 x\"")),
            ("control character", Self.store(lateNote: "\"a\tb\"")),
            ("bad escape", Self.store(lateNote: "\"\\q\"")),
            ("leading zero", Self.store(lateNote: "01")),
            ("cut file", cut),
            ("missing comma", Self.store(lateNote: "\"a\" \"b\"")),
        ]
        for (label, data) in damaged {
            #expect(StorePreview.read(data, through: 100) == nil, "\(label)")
        }
        // all within the limit, an older version, relations: nothing to leave for later, or read whole now
        #expect(StorePreview.read(Self.store(lateNote: "\"x\""), through: 1000)?.unreadAnnotations == 0)
        let older = String(decoding: Self.store(lateNote: "\"x\""), as: UTF8.self).replacingOccurrences(of: "\"version\": 3", with: "\"version\": 2")
        #expect(StorePreview.read(Data(older.utf8), through: 100) == nil)
    }

    @Test("the writer's in-place order check agrees with sorting, and annotations out of order are written sorted, as JSONEncoder writes them")
    func printerOrder() throws {
        let document = Document(text: String(repeating: "Words and more words. ", count: 40))
        var annotations: [Annotation] = []
        for (index, start) in [0, 30, 30, 30, 200, 5].enumerated() {
            let end = start + (index == 2 ? 12 : 10)
            annotations.append(Annotation(document: document, range: start..<end, tags: [GlossCore.Tag(category: "actor", value: "v")], id: "id-\(index % 3)-\(index)"))
        }
        var contents = StoreContents(annotations: annotations, document: StoredDocument(path: "t.txt", sha256: document.sha256, length: document.length))
        #expect(StorePrinter.isInDocumentOrder(contents.annotations))
        contents.annotations.reverse()
        #expect(!StorePrinter.isInDocumentOrder(contents.annotations))
        #expect(try StoreCodec.encode(contents) == StoreCodec.encodeWithFoundation(contents))
        for _ in 0..<50 {
            contents.annotations.shuffle()
            #expect(StorePrinter.isInDocumentOrder(contents.annotations)
                    == zip(contents.annotations, contents.annotations.dropFirst()).allSatisfy { Annotation.documentOrder($0, $1) })
            #expect(try StoreCodec.encode(contents) == StoreCodec.encodeWithFoundation(contents))
        }
    }
}
