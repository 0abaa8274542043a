import Foundation
import Testing
@testable import GlossCore

/// Stores holding JSON values that Swift's `String`, `Int` or `Double` cannot hold as
/// written (lone and reversed surrogate escapes, numbers beyond `Int` or `Double`, `-0`,
/// exponents, many digits): each bad record is one quarantined record, the rest loads,
/// both readers agree, and a save writes every such value back with its text as read.
@Suite struct StoreExactValuesTests {
    static let fixtures = StoreCodecAgreementTests.package.appendingPathComponent("Tests/Fixtures/stores")

    /// A version 3 store of a 100-code-point document with two valid annotations and the
    /// records `extra` after them; `top` is added to the top level.
    static func store(extra: [String] = [], orphans: [String] = [], relations: [String] = [], top: String = "") -> String {
        func record(_ id: String, _ start: Int) -> String {
            #"{"id":"\#(id)","start":\#(start),"end":\#(start + 4),"quote":"q","prefix":"","suffix":"","tags":[{"category":"actor","value":"v"}],"note":"n","author":"a","created":"c","modified":"m"}"#
        }
        return #"{"format":"gloss-annotations","version":3,"document":{"path":"t.txt","sha256":"00","length":100},"memo":"m","#
            + top + #""annotations":["# + ([record("good1", 0), record("good2", 10)] + extra).joined(separator: ",")
            + #"],"orphans":["# + orphans.joined(separator: ",") + #"],"relations":["# + relations.joined(separator: ",") + "]}"
    }

    /// An annotation record with `field` set to the JSON text `value` (or added when new).
    static func bad(_ field: String, _ value: String, id: String = "bad") -> String {
        var members = [("id", #""\#(id)""#), ("start", "20"), ("end", "24"), ("quote", #""q""#), ("prefix", #""""#), ("suffix", #""""#),
                       ("tags", #"[{"category":"actor","value":"v"}]"#), ("note", #""n""#), ("author", #""a""#), ("created", #""c""#), ("modified", #""m""#)]
        if let index = members.firstIndex(where: { $0.0 == field }) { members[index].1 = value } else { members.append((field, value)) }
        return "{" + members.map { #""\#($0.0)":\#($0.1)"# }.joined(separator: ",") + "}"
    }

    /// One case: a store, the reasons its quarantined records get, and texts its save must
    /// hold as they were read.
    struct Case {
        var name: String
        var json: String
        var reasons: [String]
        var keptTexts: [String]
    }

    static let cases: [Case] = [
        Case(name: "lone high surrogate in a note", json: store(extra: [bad("note", #""note \ud800 1""#)]),
             reasons: [#""note" is "note \ud800 1", which holds a lone surrogate escape and is not Unicode text"#], keptTexts: [#""note \ud800 1""#]),
        Case(name: "lone low surrogate in a quote", json: store(extra: [bad("quote", #""\uDC00""#)]),
             reasons: [#""quote" is "\uDC00", which holds a lone surrogate escape and is not Unicode text"#], keptTexts: [#""\uDC00""#]),
        Case(name: "reversed pair in a tag value", json: store(extra: [bad("tags", #"[{"category":"actor","value":"x\udc00\ud800"}]"#)]),
             reasons: [#""tags[0].value" is "x\udc00\ud800", which holds a lone surrogate escape and is not Unicode text"#], keptTexts: [#""x\udc00\ud800""#]),
        Case(name: "high surrogate before a plain escape", json: store(extra: [bad("id", #""\ud83d\u0041""#)]),
             reasons: [#""id" is "\ud83d\u0041", which holds a lone surrogate escape and is not Unicode text"#], keptTexts: [#""\ud83d\u0041""#]),
        Case(name: "a record key with a lone surrogate", json: store(extra: [bad("\\ud800x", "1e400")]),
             reasons: ["the record has a key holding a lone surrogate escape, which is not Unicode text"], keptTexts: [#""\ud800x":1e400"#]),
        Case(name: "start beyond Double", json: store(extra: [bad("start", "1e400")]),
             reasons: [#""start" is 1e400, not a whole number"#], keptTexts: [#""start" : 1e400"#]),
        Case(name: "end below -Double.max", json: store(extra: [bad("end", "-1e400")]),
             reasons: [#""end" is -1e400, not a whole number"#], keptTexts: [#""end" : -1e400"#]),
        Case(name: "start a whole number beyond Int", json: store(extra: [bad("start", "10000000000000000000000000000000000000000")]),
             reasons: [#""start" is 10000000000000000000000000000000000000000, too large to be an offset"#],
             keptTexts: [#""start" : 10000000000000000000000000000000000000000"#]),
        Case(name: "start just beyond Int", json: store(extra: [bad("start", "9223372036854775808")]),
             reasons: [#""start" is 9223372036854775808, too large to be an offset"#], keptTexts: [#""start" : 9223372036854775808"#]),
        Case(name: "start a fraction with many digits", json: store(extra: [bad("start", "1.50000000000000000000001")]),
             reasons: [#""start" is 1.50000000000000000000001, not a whole number"#], keptTexts: [#""start" : 1.50000000000000000000001"#]),
        Case(name: "unknown record field beyond Double, with a bad start", json: store(extra: [bad("start", "null").replacingOccurrences(of: "}", with: #","weight":-0.0e-999}"#)]),
             reasons: [#""start" is null"#], keptTexts: [#""weight" : -0.0e-999"#]),
        Case(name: "orphan with a lone surrogate", json: store(orphans: [bad("note", #""\ud800""#, id: "orphan")]),
             reasons: [#""note" is "\ud800", which holds a lone surrogate escape and is not Unicode text"#], keptTexts: [#""\ud800""#]),
        Case(name: "relation with a lone surrogate", json: store(relations: [#"{"id":"r","type":"\udbff","from":"good1","to":"good2","note":"","author":"","created":"","modified":""}"#]),
             reasons: [#""type" is "\udbff", which holds a lone surrogate escape and is not Unicode text"#], keptTexts: [#""\udbff""#]),
        Case(name: "unknown member with every unusual value", json: store(top: #""x-tool":{"s":"\ud800","n":1e400,"t":1E-400,"z":-0,"f":0.10,"b":123456789012345678901234567890,"l":["\udc00",{"\ud800":2}]},"#),
             reasons: [], keptTexts: [#""s" : "\ud800""#, #""n" : 1e400"#, #""t" : 1E-400"#, #""z" : -0"#, #""f" : 0.10"#, #""b" : 123456789012345678901234567890"#, #""\udc00""#, #"{"\ud800":2}"#]),
        Case(name: "a memo with a lone surrogate", json: store().replacingOccurrences(of: #""memo":"m""#, with: #""memo":"m\ud800""#),
             reasons: [], keptTexts: [#""memo" : "m\ud800""#]),
        Case(name: "orphans that are a lone surrogate string", json: store().replacingOccurrences(of: #""orphans":[]"#, with: #""orphans":"\ud800""#),
             reasons: [#""orphans" is "\ud800", not a list"#], keptTexts: [#""orphans" : [\#n    "\ud800"\#n  ]"#]),
    ]

    @Test("every record Swift cannot hold as written is one quarantined record with a reason naming it; the valid annotations load; both readers agree; a save writes the values back as they were and reads back the same",
          arguments: cases.map(\.name))
    func unholdableValuesAreQuarantinedAndKept(_ name: String) throws {
        let testCase = try #require(Self.cases.first { $0.name == name })
        let data = Data(testCase.json.utf8)
        try StoreCodecAgreementTests.expectRoundTripAgrees(data, name)
        let contents = try StoreCodec.decode(data, path: "t.txt.gloss.json")
        #expect(contents.annotations.map(\.id) == ["good1", "good2"], "\(name)")
        #expect(contents.quarantined.map(\.reason) == testCase.reasons, "\(name)")
        let written = String(decoding: try StoreCodec.encode(contents), as: UTF8.self)
        for text in testCase.keptTexts {
            #expect(written.contains(text), "\(name): \(text) is not in the saved store:\n\(written)")
        }
        // a list that is not one is written back as a list holding it, as always
        guard !testCase.reasons.contains(where: { $0.hasSuffix("not a list") }) else { return }
        // written once more, nothing moves: the saved store is read back the same
        let reread = try StoreCodec.decode(Data(written.utf8), path: "t.txt.gloss.json")
        #expect(reread == contents, "\(name)")
        #expect(try StoreCodec.encode(reread) == Data(written.utf8), "\(name)")
    }

    @Test("the store fixtures of these cases are the cases: each file in Tests/Fixtures/stores, so the agreement suite reads them too")
    func fixturesHoldTheCases() throws {
        for testCase in Self.cases {
            let data = Data(testCase.json.utf8)
            let name = AnnotationStore.sha256Hex([UInt8](data)).prefix(16) + ".json"
            if ProcessInfo.processInfo.environment["GLOSS_RECORD_FIXTURES"] == "1" {
                try data.write(to: Self.fixtures.appendingPathComponent(String(name)))
            }
            let stored = try? Data(contentsOf: Self.fixtures.appendingPathComponent(String(name)))
            #expect(stored == data, "\(testCase.name): Tests/Fixtures/stores/\(name) is missing or differs")
        }
    }

    @Test("the exact reader keeps a number's text and a surrogate escape, reads whole Ints and text as the decoder does, keeps the first of repeated keys, and refuses what is not JSON")
    func exactValueReadsWhatTheGrammarAllows() throws {
        func exact(_ json: String) -> JSONValue? { StoreScan.exactValue(of: Data(json.utf8)) }
        #expect(exact(#"[1,-1,0,-0,1.0,1e3,9223372036854775807,-9223372036854775808,9223372036854775808]"#) == .array([
            .integer(1), .integer(-1), .integer(0), .literal("-0"), .literal("1.0"), .literal("1e3"), .integer(.max), .integer(.min),
            .literal("9223372036854775808")]))
        #expect(exact(#"{"a":"x\u00e9\uD83D\uDE42","b":"\ud800","c":"\uDE42\uD83D"}"#) == .object([
            "a": .string("xé🙂"), "b": .literal(#""\ud800""#), "c": .literal(#""\uDE42\uD83D""#)]))
        #expect(exact(#"{"a":1,"a":2}"#) == .object(["a": .integer(1)]))
        #expect(exact(#"{"\ud800" : 1 , "b":[]}"#) == .literal(#"{"\ud800" : 1 , "b":[]}"#))
        for bad in [#""\u12""#, #""\x""#, "01", "1.", "-", "+1", ".5", "[1,]", #"{"a":1,}"#, "\"\u{01}\"", "1 2", #""\ud800"#] {
            #expect(exact(bad) == nil, "\(bad)")
        }
        #expect(StoreScan.exactValue(of: Data([0x22, 0xFF, 0x22])) == nil)
    }
}
