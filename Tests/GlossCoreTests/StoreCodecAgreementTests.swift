import Foundation
import Testing
@testable import GlossCore

/// The fast store reader (``StoreScan``, which ``StoreCodec/decode(_:path:)`` tries first)
/// and writer (``StorePrinter``, behind ``StoreCodec/encode(_:)``) against the
/// `JSONDecoder`/`JSONEncoder` codec they stand in for: the same contents (compared as
/// values and as the bytes `JSONEncoder` makes of them, since `String` equality ignores
/// Unicode normalisation), the same errors, and byte-identical files.
@Suite struct StoreCodecAgreementTests {
    static let package = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// An error as a message shows it.
    static func describe(_ error: Error) -> String {
        if let damaged = error as? StoreCodec.DamagedStore { return "damaged: " + damaged.problem }
        return "\(type(of: error)): \(error)"
    }

    /// Reads `data` through ``StoreCodec/decode(_:path:)`` and through `JSONDecoder` alone
    /// and expects the same contents or the same error; when the fast reader takes the
    /// file, its contents are checked directly too.
    /// - Returns: the contents, nil for a file neither reads; and whether the fast reader took it.
    @discardableResult
    static func expectSameReading(_ data: Data, _ label: String) -> (contents: StoreContents?, scanned: Bool) {
        let fast = Result { try StoreCodec.decode(data, path: "s.gloss.json") }
        let reference = Result { try StoreCodec.decodeWithFoundation(data, path: "s.gloss.json") }
        let scanned = StoreScan.contents(of: data)
        switch (fast, reference) {
        case (.success(let read), .success(let expected)):
            #expect(read == expected, "\(label)")
            #expect((try? StoreCodec.encodeWithFoundation(read)) == (try? StoreCodec.encodeWithFoundation(expected)), "\(label)")
            if let scanned {
                #expect(scanned == expected, "\(label)")
                #expect((try? StoreCodec.encodeWithFoundation(scanned)) == (try? StoreCodec.encodeWithFoundation(expected)), "\(label)")
            }
            return (expected, scanned != nil)
        case (.failure(let error), .failure(let expected)):
            #expect(describe(error) == describe(expected), "\(label)")
            #expect(scanned == nil, "\(label)")
        default:
            Issue.record("\(label): one reader failed: \(fast) against \(reference)")
        }
        return (nil, false)
    }

    /// Writes `contents` with ``StorePrinter`` and with `JSONEncoder`, expecting the same
    /// bytes or the same failure.
    /// - Returns: the bytes.
    @discardableResult
    static func expectSameWriting(_ contents: StoreContents, _ label: String) throws -> Data? {
        let fast = Result { try StoreCodec.encode(contents) }
        let reference = Result { try StoreCodec.encodeWithFoundation(contents) }
        switch (fast, reference) {
        case (.success(let written), .success(let expected)):
            if written != expected {
                let (mine, theirs) = ([UInt8](written), [UInt8](expected))
                let at = zip(mine, theirs).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(mine.count, theirs.count)
                let context = { (bytes: [UInt8]) in String(decoding: bytes[max(0, at - 40)..<min(bytes.count, at + 40)], as: UTF8.self).debugDescription }
                Issue.record("\(label): the printer's bytes differ from JSONEncoder's at byte \(at): \(context(mine)) against \(context(theirs))")
            }
            return expected
        case (.failure, .failure):
            return nil
        case (.success(let written), .failure) where holdsLiteral(contents):
            // JSONEncoder cannot write a value kept as its text; the printer writes the text
            return written
        default:
            Issue.record("\(label): one writer failed: \(fast) against \(reference)")
            return nil
        }
    }

    /// True when `value` holds a number that is not whole, which the fast reader leaves to `JSONDecoder`.
    static func holdsFraction(_ value: JSONValue) -> Bool {
        switch value {
        case .number: return true
        case .array(let items): return items.contains(where: holdsFraction)
        case .object(let members): return members.values.contains(where: holdsFraction)
        default: return false
        }
    }

    /// True when `contents` keep a value as its JSON text (``JSONValue/literal(_:)``), which
    /// only the printer can write.
    static func holdsLiteral(_ contents: StoreContents) -> Bool {
        func literal(_ value: JSONValue) -> Bool {
            switch value {
            case .literal: return true
            case .array(let items): return items.contains(where: literal)
            case .object(let members): return members.values.contains(where: literal)
            default: return false
            }
        }
        let records = (contents.annotations + contents.orphans).flatMap { [$0.otherFields] + $0.tags.map(\.otherFields) }
            + contents.relations.map(\.otherFields) + [contents.document?.otherFields ?? [:], contents.document?.source?.otherFields ?? [:]]
        return contents.otherFields.values.contains(where: literal) || contents.quarantined.contains { literal($0.record) }
            || records.contains { $0.values.contains(where: literal) }
    }

    /// Reads `data` both ways, writes what was read both ways, and reads the written file
    /// again; a file Gloss writes without quarantined records or fractions must be taken
    /// by the fast reader.
    /// - Returns: whether the fast reader took `data` itself.
    @discardableResult
    static func expectRoundTripAgrees(_ data: Data, _ label: String) throws -> Bool {
        let (contents, scanned) = expectSameReading(data, label)
        guard let contents else { return false }
        guard let written = try expectSameWriting(contents, label) else { return scanned }
        let (_, rescanned) = expectSameReading(written, label + " (as written)")
        let plain = contents.quarantined.isEmpty && !contents.otherFields.values.contains(where: holdsFraction)
        if plain { #expect(rescanned, "\(label): the fast reader gave up on a store Gloss wrote") }
        return scanned
    }

    @Test("the benchmark's store: 10,000 annotations over the 3 MB novel, written byte for byte as JSONEncoder writes it and read back as JSONDecoder reads it")
    func benchmarkStoreAgrees() throws {
        let novel = Self.package.deletingLastPathComponent().appendingPathComponent("shared/corpus/large/war-and-peace-pg2600.txt").path
        let document = try Document(contentsOfFile: novel)
        let codebook = try Codebook.load(path: Self.package.appendingPathComponent("Resources/codebook.json").path)
        let annotations = SampleAnnotations.spread(count: 10_000, in: document, codebook: codebook)
        try #require(annotations.count == 10_000)
        let contents = StoreContents(annotations: annotations, document: StoredDocument(path: "war-and-peace-pg2600.txt", sha256: document.sha256, length: document.length))
        let written = try #require(try Self.expectSameWriting(contents, "10k store"))
        #expect(written.count > 5_000_000)
        let scanned = try #require(StoreScan.contents(of: written))
        #expect(scanned == contents)
        #expect(try StoreCodec.decode(written, path: "s") == StoreCodec.decodeWithFoundation(written, path: "s"))
        #expect(try StoreCodec.encodeWithFoundation(scanned) == written)
    }

    /// Every store the test suites read (the inline fixtures of the store, session,
    /// corpus and codebook tests, and the stores their saves wrote), one file each.
    static func fixtures() throws -> [(name: String, data: Data)] {
        let folder = package.appendingPathComponent("Tests/Fixtures/stores")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".json") }.sorted()
        return try names.map { ($0, try Data(contentsOf: folder.appendingPathComponent($0))) }
    }

    @Test("every store fixture of the tests reads and writes the same through the fast codec and through JSONDecoder/JSONEncoder")
    func everyFixtureAgrees() throws {
        let fixtures = try Self.fixtures()
        try #require(fixtures.count >= 100)
        var scanned = 0
        for (name, data) in fixtures {
            if try Self.expectRoundTripAgrees(data, name) { scanned += 1 }
        }
        // the fast reader must carry the ordinary stores, not leave them all to JSONDecoder
        #expect(scanned * 3 >= fixtures.count, "the fast reader took \(scanned) of \(fixtures.count) fixtures")
    }

    /// A small, seedable generator (SplitMix64) so a failure can be replayed.
    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// Code points that strain an encoder: every control character, quote, backslash,
    /// slash, DEL, U+2028/2029, a byte-order mark, combining marks, non-BMP emoji, the last
    /// code points of each plane.
    static let hostileScalars: [Unicode.Scalar] = controlScalars + otherHostileScalars
    static let controlScalars: [Unicode.Scalar] = (0..<0x20).map { Unicode.Scalar(UInt8($0)) }
    static let otherHostileScalars: [Unicode.Scalar] = ["\"", "\\", "/", "\u{7F}", "\u{80}", "\u{A0}", "\u{2028}", "\u{2029}", "\u{FEFF}", "\u{301}", "\u{E9}", "e",
           "\u{1F642}", "\u{1F468}", "\u{200D}", "\u{5317}", "\u{FFFD}", "\u{FFFF}", "\u{10FFFF}", "a", " ", "<", ">", "&", "'"]

    static func hostileString(_ random: inout Generator, maximum: Int = 12) -> String {
        var text = String.UnicodeScalarView()
        for _ in 0..<Int.random(in: 0...maximum, using: &random) { text.append(hostileScalars.randomElement(using: &random)!) }
        return String(text)
    }

    @Test("generated hostile strings in every field, in unknown top-level members, in unknown members of the document object, of annotations, tags and relations, and in a quarantined record are written and read back as JSONEncoder and JSONDecoder do")
    func hostileStringsAgree() throws {
        var random = Generator(state: 15)
        for round in 0..<60 {
            func text(_ maximum: Int = 12) -> String { Self.hostileString(&random, maximum: maximum) }
            var annotations: [Annotation] = []
            for number in 0..<8 {
                let start = number * 10
                let tags = (0..<Int.random(in: 0...3, using: &random)).map { _ in GlossCore.Tag(category: "c" + text(4), value: text()) }
                annotations.append(Annotation(id: "id\(number)" + text(3), start: start, end: start + 1 + number, quote: text(), prefix: text(),
                                              suffix: text(), tags: tags, note: text(40), author: text(), created: text(), modified: text(),
                                              conflict: number % 3 == 0 ? text() : nil))
            }
            var relations = (0..<3).map { number in
                Relation(id: "r\(number)" + text(3), type: "t" + text(), from: annotations[number].id, to: annotations[number + 1].id,
                         note: text(), author: text(), created: text(), modified: text())
            }
            var other: [String: JSONValue] = [:]
            for _ in 0..<3 {
                other["x" + text(6)] = .object([text(5): .string(text()), "n": .integer(Int.random(in: Int.min...Int.max, using: &random)),
                                                "list": .array([.string(text()), .bool(true), .null, .object([:]), .array([])])])
            }
            // members of the document object Gloss does not know, under a plain key (the fast
            // reader takes them) or a hostile one (it leaves the file to the codec)
            var documentFields: [String: JSONValue] = [:]
            if round % 3 != 0 { documentFields["url"] = .string(text()) }
            if round % 4 == 1 { documentFields["x-" + (round % 8 == 1 ? text(4) : "tool")] = .object([text(3): .array([.string(text()), .integer(round)])]) }
            let isPlain = { (key: String) in key.unicodeScalars.allSatisfy { $0.isASCII && $0.value >= 0x20 && $0 != "\"" && $0 != "\\" } }
            let document = StoredDocument(path: text(), sha256: text(), length: 200,
                                          source: round % 2 == 0 ? StoredSource(sha256: round % 4 == 0 ? nil : text(), extractor: text(), extractorVersion: text()) : nil,
                                          otherFields: documentFields)
            // members of records Gloss does not know (a newer Gloss's `reviewed`, a tool's
            // `confidence` on a tag), under plain keys or, now and then, a hostile one
            if round % 2 == 1 {
                for number in [1, 4, 7] {
                    annotations[number].otherFields = ["reviewed": .bool(number != 4), "x-" + (round % 6 == 1 && number == 1 ? text(3) : "note"): .string(text()),
                                                       "score": .integer(Int.random(in: -1000...1000, using: &random)),
                                                       "trail": .array([.string(text()), .null, .object(["by": .string(text())])])]
                    if !annotations[number].tags.isEmpty { annotations[number].tags[0].otherFields = ["confidence": .integer(number), "by": .string(text())] }
                }
                relations[0].otherFields = ["weight": .integer(round), "x": .object([:])]
            }
            let recordKeys = annotations.flatMap { Array($0.otherFields.keys) + $0.tags.flatMap(\.otherFields.keys) } + relations.flatMap(\.otherFields.keys)
            let plainKeys = documentFields.keys.allSatisfy(isPlain) && recordKeys.allSatisfy(isPlain)
            var contents = StoreContents(annotations: Array(annotations.prefix(6)), orphans: Array(annotations.suffix(2)), relations: relations,
                                         memo: text(60), document: document, otherFields: other)
            if round % 5 == 0 {
                contents.quarantined.append(QuarantinedRecord(record: .object(["id": .string(text()), "start": .null, "note": .string(text())]),
                                                              list: "annotations", position: 6, reason: "\"start\" is null"))
            }
            let written = try #require(try Self.expectSameWriting(contents, "round \(round)"))
            let (read, scanned) = Self.expectSameReading(written, "round \(round)")
            #expect(read == contents, "round \(round)")
            #expect(scanned == (contents.quarantined.isEmpty && plainKeys), "round \(round)")
        }
    }

    /// `text` as a JSON string literal with each code point either as it is (escaped where
    /// JSON requires) or as a `\u` escape (a surrogate pair beyond the BMP), chosen at random.
    static func escapedLiteral(_ text: String, _ random: inout Generator) -> String {
        var literal = "\""
        for scalar in text.unicodeScalars {
            let escape = Bool.random(using: &random) || scalar.value < 0x20 || scalar == "\"" || scalar == "\\"
            guard escape else { literal.unicodeScalars.append(scalar); continue }
            let units = Array(String(scalar).utf16)
            for unit in units {
                literal += "\\u" + String(format: Bool.random(using: &random) ? "%04x" : "%04X", UInt32(unit))
            }
        }
        return literal + "\""
    }

    @Test("hand-written stores with \\u escapes (surrogate pairs, lone and reversed surrogates, NUL), \\/ and odd numbers read as JSONDecoder reads them or fall back to it")
    func escapesAndNumbersAgree() throws {
        var random = Generator(state: 2028)
        let record = #""prefix":"","suffix":"","tags":[{"category":"c","value":"v"}],"author":"a","created":"c","modified":"m""#
        func store(quote: String, note: String, other: String = "") -> String {
            #"{"format":"gloss-annotations","version":3,"document":{"path":"t","sha256":"","length":100},"memo":"m""#
                + #","annotations":[{"id":"a","start":0,"end":2,"quote":"# + quote + #","note":"# + note + "," + record + "}]" + other + "}"
        }
        var cases: [String] = []
        for _ in 0..<200 {
            let text = Self.hostileString(&random, maximum: 16)
            cases.append(store(quote: Self.escapedLiteral(text, &random), note: Self.escapedLiteral(Self.hostileString(&random), &random)))
        }
        for literal in [#""\ud800""#, #""\udc00""#, #""\udc00\ud800""#, #""\ud83d""#, #""\ud83dx""#, #""\ud83d\u0041""#, #""\u0000\u001F\u007f""#,
                        #""\/\b\f\n\r\t\"\\""#, #""\u00""#, #""\x41""#, #""\U0041""#, #""\uD83D\uDE42""#, #""\uDBFF\uDFFF""#, #""\uFFFF\uFFFE""#] {
            cases.append(store(quote: literal, note: #""""#))
        }
        for number in ["0", "-0", "1", "-1", "1.0", "-0.0", "1.5", "1e3", "1E+3", "2.5e-3", "9223372036854775807", "-9223372036854775808",
                       "9223372036854775808", "-9223372036854775809", "123456789012345678901234567890", "1e400", "-1e400", "0.1", "1e-400", "00", "01", "-", "1.", ".5", "+1"] {
            cases.append(store(quote: #""q""#, note: #""""#, other: #","extra":{"n":"# + number + "}"))
            cases.append(store(quote: #""q""#, note: #""""#, other: #","extra":"# + number))
            cases.append(store(quote: #""q""#, note: #""""#).replacingOccurrences(of: #""start":0"#, with: #""start":"# + number))
            cases.append(store(quote: #""q""#, note: #""""#).replacingOccurrences(of: #""version":3"#, with: #""version":"# + number))
            cases.append(store(quote: #""q""#, note: #""""#).replacingOccurrences(of: #""length":100"#, with: #""length":"# + number))
        }
        for other in [#","extra":null"#, #","extra":[]"#, #","extra":{}"#, #","extra":{"a":1,"a":2}"#, #","extra":{"é":1,"e\u0301":2}"#,
                      #","\u0065xtra":1"#, #","é":1"#, #","extra":true,"extra":false"#, #","extra":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]"#,
                      #","orphans":null"#, #","relations":null"#, #","memo":null"#, #","source":1"#] {
            cases.append(store(quote: #""q""#, note: #""""#, other: other))
        }
        for source in [#""source":null"#, #""source":{"extractor":"html","extractorVersion":"1"}"#, #""source":{"sha256":null,"extractor":"html","extractorVersion":"1"}"#,
                       #""source":{"sha256":"ab","extractor":"html","extractorVersion":"1","more":[1]}"#, #""source":{"extractor":"html"}"#, #""source":"html""#] {
            cases.append(store(quote: #""q""#, note: #""""#).replacingOccurrences(of: #""length":100"#, with: #""length":100,"# + source))
        }
        var scanned = 0
        for (index, json) in cases.enumerated() {
            if try Self.expectRoundTripAgrees(Data(json.utf8), "case \(index): \(json)") { scanned += 1 }
        }
        #expect(scanned >= 200, "the fast reader took \(scanned) of \(cases.count)")
    }
}

