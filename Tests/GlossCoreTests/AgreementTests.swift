import Foundation
import Testing
@testable import GlossCore

/// ``Agreement``: kappa over code points and span F1, against figures worked out by hand.
@Suite("Agreement between two coders")
struct AgreementTests {
    static func annotation(_ id: String, _ range: Range<Int>, _ tags: [(String, String)], note: String = "") -> Annotation {
        Annotation(id: id, start: range.lowerBound, end: range.upperBound, quote: "", prefix: "", suffix: "",
                   tags: tags.map { GlossCore.Tag(category: $0.0, value: $0.1) }, note: note, author: "t", created: "t", modified: "t")
    }

    /// The fixture, 20 code points `abcdefghijklmnopqrst`:
    /// A: actor=X 0..<10, threat=Y 12..<16; B: actor=X 2..<10, threat=Y 14..<18.
    ///
    /// Code point by code point: 0–1 A actor, B none; 2–9 both actor; 10–11 neither;
    /// 12–13 A threat, B none; 14–15 both threat; 16–17 A none, B threat; 18–19 neither.
    /// Coded (a tag of A or B): 0–9 and 12–17, 16 code points.
    ///
    /// actor, all 20: n11 = 8, n10 = 2, n01 = 0, n00 = 10. p_o = 18/20 = 0.9;
    ///   p_A = 10/20 = 0.5, p_B = 8/20 = 0.4; p_e = 0.5·0.4 + 0.5·0.6 = 0.5; κ = 0.4/0.5 = 0.8.
    /// actor, coded 16: n00 = 6 (12–17). p_o = 14/16 = 0.875; p_A = 10/16, p_B = 8/16;
    ///   p_e = 0.625·0.5 + 0.375·0.5 = 0.5; κ = 0.375/0.5 = 0.75.
    /// threat, all 20: n11 = 2, n10 = 2, n01 = 2, n00 = 14. p_o = 0.8; p_A = p_B = 0.2;
    ///   p_e = 0.04 + 0.64 = 0.68; κ = 0.12/0.32 = 0.375.
    /// threat, coded 16: n00 = 10. p_o = 12/16 = 0.75; p_A = p_B = 0.25;
    ///   p_e = 0.0625 + 0.5625 = 0.625; κ = 0.125/0.375 = 1/3.
    /// all categories, classes {actor}, {threat}, {} per code point, all 20: agreeing
    ///   2–9, 10–11, 14–15, 18–19 = 14, p_o = 0.7; A: actor 10, threat 4, none 6;
    ///   B: actor 8, threat 4, none 8; p_e = (80 + 16 + 48)/400 = 0.36; κ = 0.34/0.64 = 0.53125.
    /// all categories, coded 16: agreeing 8 + 2 = 10, p_o = 0.625; A: 10, 4, none 2;
    ///   B: 8, 4, none 4; p_e = (80 + 16 + 8)/256 = 0.40625; κ = 0.21875/0.59375 = 7/19.
    /// Spans: no exact match (F1 0 for both categories); every span overlaps its
    /// counterpart (overlap P = R = F1 = 1).
    static let text = "abcdefghijklmnopqrst"
    static let a = [annotation("a1", 0..<10, [("actor", "X")]), annotation("a2", 12..<16, [("threat", "Y")])]
    static let b = [annotation("b1", 2..<10, [("actor", "X")]), annotation("b2", 14..<18, [("threat", "Y")])]

    @Test("kappa with and without uncoded text, per category and overall, as worked out by hand")
    func kappaByHand() throws {
        let report = Agreement.compare(Self.a, Self.b, in: Document(text: Self.text))
        #expect(report.length == 20)
        #expect(report.codedLength == 16)
        func row(_ category: String, _ value: String? = nil) throws -> Agreement.Row {
            try #require(report.rows.first { $0.category == category && $0.value == value })
        }
        func close(_ x: Double?, _ y: Double) -> Bool { x.map { abs($0 - y) < 1e-9 } ?? false }
        #expect(close(try row("actor").kappaWithUncoded.value, 0.8))
        #expect(close(try row("actor").kappaCodedOnly.value, 0.75))
        #expect(close(try row("threat").kappaWithUncoded.value, 0.375))
        #expect(close(try row("threat").kappaCodedOnly.value, 1.0 / 3))
        #expect(close(report.overallWithUncoded.value, 0.53125))
        #expect(close(report.overallCodedOnly.value, 7.0 / 19))
        #expect(try row("actor").kappaWithUncoded.units == 20)
        #expect(try row("actor").kappaCodedOnly.units == 16)
        // one value per category here, so the value rows are the category rows
        #expect(try row("actor", "X").kappaWithUncoded == row("actor").kappaWithUncoded)
        for category in ["actor", "threat"] {
            #expect(try row(category).exact.f1 == 0)
            #expect(try row(category).overlap.f1 == 1)
            #expect(try row(category).overlap.precision == 1)
        }
        #expect(report.disagreements.map { $0.start..<$0.end } == [0..<2, 12..<14, 16..<18])
        #expect(report.disagreements[0].quote == "ab")
        #expect(report.disagreements[0].a == [GlossCore.Tag(category: "actor", value: "X")])
        #expect(report.disagreements[0].b == [])
    }

    @Test("identical coding gives kappa 1 and F1 1; kappa is undefined when nobody coded anything")
    func extremes() {
        let same = Agreement.compare(Self.a, Self.a, in: Document(text: Self.text))
        #expect(same.rows.allSatisfy { $0.kappaWithUncoded.value == 1 && $0.kappaCodedOnly.value == 1 && $0.exact.f1 == 1 })
        #expect(same.disagreements.isEmpty)
        let none = Agreement.compare([], [], in: Document(text: Self.text))
        #expect(none.overallWithUncoded.value == nil)
        #expect(none.overallCodedOnly.units == 0)
        #expect(none.rows.isEmpty)
    }

    @Test("exact F1 is 2·both/(A + B) over distinct spans; values get rows of their own")
    func spanScores() throws {
        let a = [Self.annotation("a1", 0..<4, [("actor", "X")]), Self.annotation("a2", 5..<9, [("actor", "X")]),
                 Self.annotation("a3", 10..<12, [("actor", "Z")])]
        let b = [Self.annotation("b1", 0..<4, [("actor", "X")]), Self.annotation("b2", 5..<8, [("actor", "X")])]
        let report = Agreement.compare(a, b, in: Document(text: Self.text))
        let actor = try #require(report.rows.first { $0.category == "actor" && $0.value == nil })
        #expect(actor.exact.referenceSpans == 3 && actor.exact.candidateSpans == 2)
        #expect(abs(actor.exact.f1! - 2.0 * 1 / 5) < 1e-12)
        #expect(actor.exact.precision == 0.5)
        #expect(abs(actor.exact.recall! - 1.0 / 3) < 1e-12)
        #expect(actor.overlap.precision == 1)
        #expect(abs(actor.overlap.recall! - 2.0 / 3) < 1e-12)
        let z = try #require(report.rows.first { $0.value == "Z" })
        #expect(z.exact.precision == nil && z.exact.recall == 0 && z.exact.f1 == 0)
    }
}

/// ``CoderMerge``: two coders' stores into one.
@Suite("Merging two coders' stores")
struct CoderMergeTests {
    typealias T = AgreementTests

    @Test("identical annotations collapse, other tags on one span become a conflict, relations follow the kept annotation")
    func merge() throws {
        let a = StoreContents(
            annotations: [T.annotation("a1", 0..<4, [("actor", "X")], note: "ana's note"),
                          T.annotation("a2", 5..<9, [("threat", "Y")])],
            relations: [Relation(id: "ra", type: "acts-on", from: "a1", to: "a2", created: "t", modified: "t")],
            memo: "memo A", document: StoredDocument(path: "d.txt", sha256: "00", length: 20))
        let b = StoreContents(
            annotations: [T.annotation("b1", 0..<4, [("actor", "X")], note: "bob's note"),
                          T.annotation("b2", 5..<9, [("threat", "Z")]),
                          T.annotation("a1", 12..<15, [("actor", "W")])],
            relations: [Relation(id: "rb", type: "acts-on", from: "b1", to: "b2", created: "t", modified: "t"),
                        Relation(id: "ra", type: "undertakes", from: "a1", to: "b1", created: "t", modified: "t")],
            memo: "memo B")
        let result = CoderMerge.merge(a, named: "ana", b, named: "bob")
        let merged = result.contents
        #expect(result.kept == 4)
        #expect(result.collapsed == 1)
        #expect(merged.annotations.count == 4)
        let kept = try #require(merged.annotations.first { $0.id == "a1" })
        #expect(kept.note == "[ana] ana's note\n\n[bob] bob's note")
        #expect(kept.conflict == nil)
        // b's "a1" collides with A's id: it gets a new one, its relation follows
        let moved = try #require(merged.annotations.first { $0.start == 12 })
        #expect(moved.id != "a1")
        let rivals = merged.annotations.filter { $0.range == 5..<9 }
        #expect(rivals.count == 2)
        #expect(rivals.allSatisfy { $0.conflict == "5-9" })
        #expect(result.conflicts.count == 1)
        #expect(result.conflicts[0].a == [GlossCore.Tag(category: "threat", value: "Y")])
        #expect(result.conflicts[0].b == [GlossCore.Tag(category: "threat", value: "Z")])
        // rb: b1 → b2 becomes a1 → b2; B's "ra" clashes with A's relation id and is renamed
        let b2 = try #require(rivals.first { $0.id == "b2" })
        #expect(merged.relations.contains { $0.from == "a1" && $0.to == b2.id && $0.id == "rb" })
        let undertakes = try #require(merged.relations.first { $0.type == "undertakes" })
        #expect(undertakes.id != "ra" && undertakes.from == moved.id && undertakes.to == "a1")
        #expect(merged.relations.count == 3)
        #expect(merged.memo == "[ana] memo A\n\n[bob] memo B")
        // the conflict mark survives the store codec; a store without one writes no field
        let data = try StoreCodec.encode(merged)
        let decoded = try StoreCodec.decode(data, path: "merged.json")
        #expect(decoded.annotations.filter { $0.conflict == "5-9" }.count == 2)
        #expect(String(decoding: data, as: UTF8.self).components(separatedBy: "\"conflict\"").count - 1 == 2)
    }

    @Test("merging a store with itself changes nothing")
    func mergeWithItself() {
        let a = StoreContents(annotations: [T.annotation("a1", 0..<4, [("actor", "X")], note: "n")], memo: "m")
        let result = CoderMerge.merge(a, named: "ana", a, named: "ana2")
        #expect(result.contents.annotations == a.annotations)
        #expect(result.collapsed == 1 && result.conflicts.isEmpty && result.contents.memo == "m")
    }

    @Test("collapsed notes keep each coder's label once: two of B's into A's, A's note empty or not")
    func notesOfSeveralCollapsed() throws {
        func stores(noteA: String) -> (StoreContents, StoreContents) {
            (StoreContents(annotations: [T.annotation("A1", 12..<17, [("actor", "A")], note: noteA)]),
             StoreContents(annotations: [T.annotation("B1", 12..<17, [("actor", "A")], note: "bob-first-note"),
                                         T.annotation("B2", 12..<17, [("actor", "A")], note: "bob-second-note")]))
        }
        var (a, b) = stores(noteA: "")
        var merged = CoderMerge.merge(a, named: "ana", b, named: "bob")
        #expect(merged.collapsed == 2)
        #expect(merged.contents.annotations.map(\.note) == ["[bob] bob-first-note\n\n[bob] bob-second-note"])
        (a, b) = stores(noteA: "ana-note")
        merged = CoderMerge.merge(a, named: "ana", b, named: "bob")
        #expect(merged.contents.annotations.map(\.note) == ["[ana] ana-note\n\n[bob] bob-first-note\n\n[bob] bob-second-note"])
        // B's one note on A's annotation without one is still B's
        merged = CoderMerge.merge(stores(noteA: "").0, named: "ana",
                                  StoreContents(annotations: [T.annotation("B1", 12..<17, [("actor", "A")], note: "only bob")]), named: "bob")
        #expect(merged.contents.annotations.map(\.note) == ["[bob] only bob"])
        // the same text from both is A's, unlabelled
        merged = CoderMerge.merge(stores(noteA: "same").0, named: "ana",
                                  StoreContents(annotations: [T.annotation("B1", 12..<17, [("actor", "A")], note: "same")]), named: "bob")
        #expect(merged.contents.annotations.map(\.note) == ["same"])
    }

    @Test("a store that is itself a merge keeps its labels; merging the output again changes no note")
    func notesOfAMergeMergedAgain() throws {
        let ana = StoreContents(annotations: [T.annotation("A1", 0..<4, [("actor", "X")], note: "ana-note")], memo: "ana memo")
        let bob = StoreContents(annotations: [T.annotation("B1", 0..<4, [("actor", "X")], note: "bob-note\n\nsecond paragraph")], memo: "bob memo")
        let cat = StoreContents(annotations: [T.annotation("C1", 0..<4, [("actor", "X")], note: "[sic] cat-note")], memo: "")
        let anaBob = CoderMerge.merge(ana, named: "ana", bob, named: "bob").contents
        #expect(anaBob.annotations[0].note == "[ana] ana-note\n\n[bob] bob-note\n\nsecond paragraph")
        #expect(NotePart.labelledParts(of: anaBob.annotations[0].note)
                == [NotePart(coder: "ana", text: "ana-note"), NotePart(coder: "bob", text: "bob-note\n\nsecond paragraph")])
        // B is the merge: its parts keep ana's and bob's labels, none becomes "anabob"'s
        let third = CoderMerge.merge(cat, named: "cat", anaBob, named: "anabob").contents
        #expect(third.annotations[0].note == "[cat] [sic] cat-note\n\n[ana] ana-note\n\n[bob] bob-note\n\nsecond paragraph")
        #expect(third.memo == "[ana] ana memo\n\n[bob] bob memo")
        // A is the merge: its labels are not doubled
        let again = CoderMerge.merge(anaBob, named: "anabob", bob, named: "bob").contents
        #expect(again.annotations[0].note == anaBob.annotations[0].note)
        #expect(again.memo == anaBob.memo)
        // a single note that starts with a bracket is one coder's text, labelled as a whole
        #expect(NotePart.parts(of: "[sic] cat-note", by: "cat") == [NotePart(coder: "cat", text: "[sic] cat-note")])
    }

    @Test("coder names: letters, digits, - _ . only; the error names the value")
    func coderNames() throws {
        #expect(try CoderName.storePath(forDocument: "a.txt", coder: "ana-1_b.c") == "a.txt.gloss.ana-1_b.c.json")
        for bad in ["", "a/b", "..", "ana bob", "é"] {
            #expect(throws: CoderNameError.self) { try CoderName.validate(bad) }
        }
        #expect("\(CoderNameError(name: "a/b", problem: "x"))".contains("\"a/b\""))
        #expect(CoderName.coder(ofStore: "/x/a.txt.gloss.bob.json") == "bob")
        #expect(CoderName.coder(ofStore: "/x/a.txt.gloss.json") == nil)
    }
}
