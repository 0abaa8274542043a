import Foundation
import Testing
@testable import GlossCore

/// Store version 3: the document memo and relations, read, validated, written and merged.
@Suite("Store version 3: relations and the document memo")
struct StoreVersion3Tests {
    static func record(_ id: String, _ start: Int, _ end: Int, quote: String) -> String {
        """
        {"author": "x", "created": "2026-01-01T00:00:00Z", "end": \(end), "id": "\(id)", \
        "modified": "2026-01-01T00:00:00Z", "note": "", "prefix": "", "quote": "\(quote)", "start": \(start), \
        "suffix": "", "tags": [{"category": "actor", "value": "x"}]}
        """
    }

    static func store(relations: String, memo: String = "\"\"", extraAnnotations: String = "") -> String {
        """
        {"annotations": [\(record("a1", 0, 4, quote: "abcd")), \(record("a2", 5, 9, quote: "efgh"))\(extraAnnotations)], \
        "document": {"length": 20, "path": "doc.txt", "sha256": "00"}, "format": "gloss-annotations", \
        "memo": \(memo), "orphans": [\(record("o1", 30, 34, quote: "gone"))], "relations": [\(relations)], "version": 3}
        """
    }

    static func relation(_ id: String, _ type: String, _ from: String, _ to: String, extra: String = "") -> String {
        """
        {"author": "x", "created": "2026-01-01T00:00:00Z", "from": "\(from)", "id": "\(id)", \
        "modified": "2026-01-01T00:00:00Z", "note": "", "to": "\(to)", "type": "\(type)"\(extra)}
        """
    }

    @Test("relations and the memo survive a write and a read; relations are written in (from, to, type, id) order")
    func roundTrip() throws {
        let contents = StoreContents(
            annotations: [], orphans: [],
            relations: [Relation(id: "r2", type: "undertakes", from: "b", to: "a", created: "t", modified: "t"),
                        Relation(id: "r1", type: "acts-on", from: "a", to: "b", note: "two\nlines", created: "t", modified: "t")],
            memo: "About the whole article.\nSecond line.", document: StoredDocument(path: "d.txt", sha256: "00", length: 0))
        var withEnds = contents
        let a = Annotation(id: "a", start: 0, end: 1, quote: "x", prefix: "", suffix: "", tags: [], note: "", author: "", created: "", modified: "")
        var b = a
        b.id = "b"
        withEnds.orphans = [a, b]
        let data = try StoreCodec.encode(withEnds)
        let decoded = try StoreCodec.decode(data, path: "s.json")
        #expect(decoded.relations.map(\.id) == ["r1", "r2"])
        #expect(decoded.relations == withEnds.relations)
        #expect(decoded.memo == withEnds.memo)
        #expect(decoded.quarantined.isEmpty)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("\"version\" : 3"))
        #expect(try StoreCodec.encode(decoded) == data)
    }

    @Test("a version 2 store reads with no relations and an empty memo, and is written as version 3")
    func version2Reads() throws {
        let v2 = """
        {"annotations": [\(Self.record("a1", 0, 4, quote: "abcd"))], "document": {"length": 20, "path": "doc.txt", "sha256": "00"}, \
        "format": "gloss-annotations", "orphans": [], "version": 2}
        """
        let contents = try StoreCodec.decode(Data(v2.utf8), path: "s.json")
        #expect(contents.version == 2)
        #expect(contents.relations.isEmpty && contents.memo.isEmpty)
        var migrated = contents
        migrated.version = StoreCodec.currentVersion
        let json = try JSONSerialization.jsonObject(with: StoreCodec.encode(migrated)) as? [String: Any]
        #expect(json?["version"] as? Int == 3)
        #expect((json?["relations"] as? [Any])?.isEmpty == true)
        #expect(json?["memo"] as? String == "")
    }

    @Test("invalid relations are quarantined with a reason and written back exactly as read",
          arguments: [
            (relation("r1", "acts-on", "a1", "a1"), "links annotation a1 to itself"),
            (relation("r1", "", "a1", "a2"), "\"type\" is empty"),
            (relation("", "acts-on", "a1", "a2"), "\"id\" is empty"),
            (relation("r1", "acts-on", "a1", "nowhere", extra: ", \"weight\": 2"), "\"to\" names no annotation of the store (nowhere)"),
            (relation("r1", "acts-on", "ghost", "a2"), "\"from\" names no annotation of the store (ghost)"),
            ("{\"id\": \"r1\", \"type\": \"acts-on\", \"from\": \"a1\"}", "\"to\" is missing"),
            ("{\"id\": \"r1\", \"type\": 7, \"from\": \"a1\", \"to\": \"a2\"}", "\"type\" is not a string"),
            ("\"r1\"", "the record is \"r1\", not an object"),
          ])
    func invalidRelations(relation: String, reason: String) throws {
        let good = Self.relation("r0", "acts-on", "a1", "o1")
        let data = Data(Self.store(relations: good + ", " + relation).utf8)
        let contents = try StoreCodec.decode(data, path: "s.json")
        #expect(contents.relations.map(\.id) == ["r0"])
        try #require(contents.quarantined.count == 1)
        #expect(contents.quarantined[0].list == "relations")
        #expect(contents.quarantined[0].reason == reason)
        let original = try JSONDecoder().decode(JSONValue.self, from: data)
        let written = try JSONDecoder().decode(JSONValue.self, from: StoreCodec.encode(contents))
        #expect(written["relations"] == original["relations"])
    }

    @Test("a repeated relation id quarantines the second; a relation may end at an orphan or an invalid annotation record")
    func repeatedAndOddEnds() throws {
        let invalidAnnotation = ", {\"id\": \"bad\", \"start\": null, \"end\": 3}"
        let relations = [Self.relation("r1", "acts-on", "a1", "o1"), Self.relation("r1", "acts-on", "a2", "o1"),
                         Self.relation("r2", "targets", "bad", "a2")].joined(separator: ", ")
        let contents = try StoreCodec.decode(Data(Self.store(relations: relations, extraAnnotations: invalidAnnotation).utf8), path: "s.json")
        #expect(contents.relations.map(\.id).sorted() == ["r1", "r2"])
        #expect(contents.quarantined.map(\.reason).contains("relation id r1 appears twice"))
    }

    @Test("a memo that is not text, and a relations member that is not a list, are kept as read")
    func misshapenMembersKept() throws {
        let data = Data(Self.store(relations: "").replacingOccurrences(of: "\"relations\": []", with: "\"relations\": {\"x\": 1}")
            .replacingOccurrences(of: "\"memo\": \"\"", with: "\"memo\": [1, 2]").utf8)
        let contents = try StoreCodec.decode(data, path: "s.json")
        #expect(contents.memo == "")
        #expect(contents.quarantined.map(\.reason) == ["\"relations\" is an object, not a list"])
        let written = try JSONDecoder().decode(JSONValue.self, from: StoreCodec.encode(contents))
        #expect(written["memo"] == .array([.integer(1), .integer(2)]))
        #expect(written["relations"] == .array([.object(["x": .integer(1)])]))
    }

    @Test("a merge takes relations by id and the memo as one value; both sides changing one differently is a conflict")
    func mergeRelationsAndMemo() throws {
        let r1 = Relation(id: "r1", type: "acts-on", from: "a", to: "b", created: "t", modified: "t")
        let r2 = Relation(id: "r2", type: "targets", from: "b", to: "c", created: "t", modified: "t")
        let ends = ["a", "b", "c"].map {
            Annotation(id: $0, start: 0, end: 1, quote: "x", prefix: "", suffix: "", tags: [], note: "", author: "", created: "", modified: "")
        }
        let base = StoreContents(orphans: ends, relations: [r1], memo: "base")
        var ours = base
        ours.relations.append(r2)
        var theirs = base
        theirs.memo = "theirs"
        var retyped = r1
        retyped.type = "undertakes"
        theirs.relations = [retyped]
        let merged = try AnnotationStore.merge(base: base, ours: ours, theirs: theirs)
        #expect(merged.relations == [retyped, r2].sorted(by: Relation.storeOrder))
        #expect(merged.memo == "theirs")
        var oursToo = ours
        oursToo.memo = "ours"
        #expect(throws: AnnotationStore.MergeConflict.self) { try AnnotationStore.merge(base: base, ours: oursToo, theirs: theirs) }
        var ourRetype = base
        ourRetype.relations[0].type = "targets"
        let conflict = #expect(throws: AnnotationStore.MergeConflict.self) { try AnnotationStore.merge(base: base, ours: ourRetype, theirs: theirs) }
        #expect(conflict?.what == "relation r1")
        // a link made on disk to an annotation deleted here is kept, listed as invalid
        var withoutC = base
        withoutC.orphans.removeAll { $0.id == "c" }
        var linkedToC = base
        linkedToC.relations.append(r2)
        let dangling = try AnnotationStore.merge(base: base, ours: withoutC, theirs: linkedToC)
        #expect(dangling.relations.map(\.id) == ["r1"])
        #expect(dangling.quarantined.map(\.reason) == ["\"to\" names no annotation of the store (c)"])
    }
}
