import Foundation
import Testing
@testable import GlossCore

/// Members a newer Gloss, another tool or a hand edit put inside an annotation, a tag or a
/// relation of the store (`"reviewed": true`, `"confidence": 0.8`) are kept as written by
/// both readers, written back by both writers byte for byte alike, and survive saves of
/// other edits; they go with the record when it is deleted.
@Suite struct StoreRecordMembersTests {
    /// A store as a hand edit leaves it: annotation `a` with members Gloss does not know
    /// (a flag, a number with its own digits, a lone surrogate escape, an object), its tag
    /// with a `confidence`, a plain annotation `b`, and a relation with a `weight`.
    static let handEdited = #"""
    {"format":"gloss-annotations","version":3,"memo":"",
     "document":{"path":"t.txt","sha256":"","length":100},
     "annotations":[
      {"id":"a","start":0,"end":5,"quote":"Hello","prefix":"","suffix":" world","note":"n","author":"x","created":"c","modified":"m",
       "tags":[{"category":"actor","value":"ISIL","confidence":0.8}],
       "reviewed":true,"score":1.50,"x-alias":"\ud800","x-tool":{"run":7,"by":["model",null]}},
      {"id":"b","start":6,"end":11,"quote":"world","prefix":"Hello ","suffix":"","note":"","author":"x","created":"c","modified":"m",
       "tags":[{"category":"threat","value":"cyber"}]}],
     "orphans":[
      {"id":"o","start":20,"end":22,"quote":"gone","prefix":"","suffix":"","note":"","author":"x","created":"c","modified":"m","tags":[],"x-kept":[1]}],
     "relations":[{"id":"r","type":"acts-on","from":"a","to":"b","note":"","author":"x","created":"c","modified":"m","weight":2}]}
    """#

    @Test("unknown members of an annotation, a tag, an orphan and a relation: the fast reader and JSONDecoder read them as written, the printer and JSONEncoder write them alike, sorted among the known members")
    func recordMembersReadAndWrittenAsWritten() throws {
        let data = Data(Self.handEdited.utf8)
        // the fast reader takes the file (plain keys) and agrees with the codec
        #expect(try StoreCodecAgreementTests.expectRoundTripAgrees(data, "hand-edited store"))
        let contents = try StoreCodec.decode(data, path: "s.gloss.json")
        let reference = try StoreCodec.decodeWithFoundation(data, path: "s.gloss.json")
        let a = try #require(contents.annotations.first { $0.id == "a" })
        #expect(a.otherFields == ["reviewed": .bool(true), "score": .literal("1.50"), "x-alias": .literal(#""\ud800""#),
                                  "x-tool": .object(["run": .integer(7), "by": .array([.string("model"), .null])])])
        #expect(a.tags[0].otherFields == ["confidence": .literal("0.8")])
        #expect(reference.annotations.first { $0.id == "a" }?.otherFields == a.otherFields)
        #expect(reference.annotations.first { $0.id == "a" }?.tags[0].otherFields == a.tags[0].otherFields)
        #expect(contents.annotations.first { $0.id == "b" }?.otherFields == [:])
        #expect(contents.orphans.first?.otherFields == ["x-kept": .array([.integer(1)])])
        #expect(contents.relations.first?.otherFields == ["weight": .integer(2)])
        // the tag is still the tag `actor: ISIL` for counting and "already tagged"
        #expect(a.tags[0] == GlossCore.Tag(category: "actor", value: "ISIL"))

        let file = String(decoding: try StoreCodec.encode(contents), as: UTF8.self)
        for member in [#""reviewed" : true"#, #""score" : 1.50"#, #""x-alias" : "\ud800""#, #""confidence" : 0.8"#, #""weight" : 2"#, #""run" : 7"#] {
            #expect(file.contains(member), "\(member)")
        }
        // sorted among the known members, as JSONEncoder sorts keys
        let keys = ["quote", "reviewed", "score", "start", "suffix", "tags", "x-alias", "x-tool"].map { "\"\($0)\" : " }
        let places = keys.compactMap { file.range(of: $0)?.lowerBound }
        #expect(places.count == keys.count && places == places.sorted())
        // without values JSONEncoder cannot write, its bytes are the printer's
        var plain = contents
        plain.annotations[0].otherFields["x-alias"] = nil
        plain.annotations[0].otherFields["score"] = .integer(3)
        plain.annotations[0].tags[0].otherFields["confidence"] = .string("high")
        let written = try #require(try StoreCodecAgreementTests.expectSameWriting(plain, "plain members"))
        #expect(try StoreCodec.encodeWithFoundation(plain) == written)
    }

    @Test("a repeated member inside an annotation or a tag is refused by both readers, naming it, as at the top level")
    func repeatedRecordMemberRefused() throws {
        for repeated in [#""reviewed":true,"reviewed":false"#, #""x":1,"x":1"#] {
            let json = Self.handEdited.replacingOccurrences(of: #""reviewed":true"#, with: repeated)
            StoreCodecAgreementTests.expectSameReading(Data(json.utf8), repeated)
            #expect(throws: StoreError.self) { try StoreCodec.decode(Data(json.utf8), path: "s") }
        }
        let inTag = Self.handEdited.replacingOccurrences(of: #""confidence":0.8"#, with: #""confidence":0.8,"confidence":0.9"#)
        StoreCodecAgreementTests.expectSameReading(Data(inTag.utf8), "tag")
        #expect(throws: StoreError.self) { try StoreCodec.decode(Data(inTag.utf8), path: "s") }
    }

    @Test("through the store: saving after editing another annotation keeps the members, the .bak too; editing the annotation itself keeps them; deleting it removes them; a record moved to quarantine keeps them")
    func membersSurviveSavesAndGoWithDeletion() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gloss-members-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let documentPath = folder.appendingPathComponent("t.txt").path
        try Data(("Hello world" + String(repeating: " and more", count: 10)).utf8).write(to: URL(fileURLWithPath: documentPath))
        let document = try Document(contentsOfFile: documentPath)
        let storePath = documentPath + ".gloss.json"
        let handEdited = Self.handEdited.replacingOccurrences(of: #""length":100"#, with: "\"length\":\(document.length)")
        try Data(handEdited.utf8).write(to: URL(fileURLWithPath: storePath))
        func member(_ path: String, _ list: String, _ id: String) throws -> JSONValue? {
            guard case .array(let records)? = try StoreScan.exactValue(of: Data(contentsOf: URL(fileURLWithPath: path)))?[list] else { return nil }
            return records.first { $0["id"] == .string(id) }
        }
        let store = AnnotationStore(path: storePath)
        var contents = try #require(try store.load())
        // another annotation edited and saved
        let b = try #require(contents.annotations.firstIndex { $0.id == "b" })
        contents.annotations[b].note = "edited"
        contents = try store.save(contents, of: document)
        let written = try #require(try member(storePath, "annotations", "a"))
        #expect(written["reviewed"] == .bool(true) && written["score"] == .literal("1.50") && written["x-alias"] == .literal(#""\ud800""#))
        #expect(written["tags"] == .array([.object(["category": .string("actor"), "value": .string("ISIL"), "confidence": .literal("0.8")])]))
        #expect(try member(storePath, "relations", "r")?["weight"] == .integer(2))
        #expect(try member(storePath, "orphans", "o")?["x-kept"] == .array([.integer(1)]))
        // the annotation itself edited (its note, a tag's value): its members and its tag's stay
        let a = try #require(contents.annotations.firstIndex { $0.id == "a" })
        contents.annotations[a].note = "edited too"
        contents.annotations[a].tags[0].value = "ISIS"
        contents = try store.save(contents, of: document)
        let edited = try #require(try member(storePath, "annotations", "a"))
        #expect(edited["note"] == .string("edited too") && edited["reviewed"] == .bool(true) && edited["x-tool"] != nil)
        #expect(edited["tags"] == .array([.object(["category": .string("actor"), "value": .string("ISIS"), "confidence": .literal("0.8")])]))
        // the backup is the save before: members there too
        #expect(try member(storePath + ".bak", "annotations", "a")?["reviewed"] == .bool(true))
        // read back by a new store, unchanged
        #expect(try AnnotationStore(path: storePath).load()?.annotations.first { $0.id == "a" } == contents.annotations[a])
        // deleted, with its relation: its members go with it
        contents.annotations.remove(at: a)
        contents.relations = []
        contents = try store.save(contents, of: document)
        let after = String(decoding: try Data(contentsOf: URL(fileURLWithPath: storePath)), as: UTF8.self)
        #expect(!after.contains("reviewed") && !after.contains("confidence") && after.contains("x-kept"))

        // a record moved to quarantine (offsets wrong for the text the store records, a
        // dangling relation) is the record as written, members and all
        let asWritten = try #require(try StoreScan.exactValue(of: Data(handEdited.utf8)))
        guard case .array(let records)? = asWritten["annotations"], case .array(let links)? = asWritten["relations"] else {
            Issue.record("not the store expected")
            return
        }
        let read = try StoreCodec.decode(Data(handEdited.utf8), path: "s")
        #expect(read.annotations.first { $0.id == "a" }?.jsonRecord == records[0])
        #expect(read.relations.first?.jsonRecord == links[0])
    }

    @Test("members Gloss does not know inside document.source are read by both readers, written back alike, and kept when a save records the source anew")
    func sourceMembersKept() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gloss-source-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let document = Document(extracted: ExtractedText(text: "Hello world", extractor: "html", extractorVersion: "7", sourceSHA256: "ab"),
                                path: folder.appendingPathComponent("page.html").path)
        let json = #"{"format":"gloss-annotations","version":3,"memo":"","annotations":[],"orphans":[],"relations":[],"document":{"path":"page.html","sha256":"","length":11,"#
            + #""source":{"sha256":"ab","extractor":"html","extractorVersion":"6","x-pages":12,"ratio":1.50,"by":{"tool":"scraper"}}}}"#
        let data = Data(json.utf8)
        #expect(try StoreCodecAgreementTests.expectRoundTripAgrees(data, "source members"))
        let read = try StoreCodec.decode(data, path: "s")
        let members: [String: JSONValue] = ["x-pages": .integer(12), "ratio": .literal("1.50"), "by": .object(["tool": .string("scraper")])]
        #expect(read.document?.source?.otherFields == members)
        #expect(try StoreCodec.decodeWithFoundation(data, path: "s").document?.source?.otherFields == members)
        let storePath = folder.appendingPathComponent("page.html.gloss.json").path
        try data.write(to: URL(fileURLWithPath: storePath))
        let store = AnnotationStore(path: storePath)
        let saved = try store.save(try #require(try store.load()), of: document)
        // the source recorded anew (the importer's version 7), its other members as they were
        #expect(saved.document?.source?.extractorVersion == "7" && saved.document?.source?.otherFields == members)
        let file = String(decoding: try Data(contentsOf: URL(fileURLWithPath: storePath)), as: UTF8.self)
        #expect(file.contains(#""ratio" : 1.50"#) && file.contains(#""x-pages" : 12"#) && file.contains(#""extractorVersion" : "7""#))
    }
}
