import Foundation
import Testing
@testable import GlossCore

/// Tests of ``StoreScan``: it reads exactly what ``StoreCodec/decode(_:path:)`` reads, or
/// gives up (nil) so that the caller falls back to it; and counts made through it equal
/// counts made through ``StoreCodec``.
@Suite struct StoreScanTests {
    static let date = Date(timeIntervalSince1970: 1_795_000_000)

    /// What ``StoreScan`` must agree with.
    static func decoded(_ json: String) -> StoreContents? {
        try? StoreCodec.decode(Data(json.utf8), path: "test.gloss.json")
    }

    /// The fields counting uses, from ``StoreScan/contents(of:allFields:)`` with
    /// `allFields` false, and the same fields of what ``StoreCodec`` read.
    static func expectCountedFieldsAgree(_ scanned: StoreContents, _ decoded: StoreContents) {
        func spans(_ list: [Annotation]) -> [[String]] {
            list.map { [$0.id, String($0.start), String($0.end), $0.quote, $0.prefix, $0.suffix] + $0.tags.flatMap { [$0.category, $0.value] } }
        }
        #expect(spans(scanned.annotations) == spans(decoded.annotations))
        #expect(spans(scanned.orphans) == spans(decoded.orphans))
        #expect(scanned.relations.map { [$0.id, $0.type, $0.from, $0.to] } == decoded.relations.map { [$0.id, $0.type, $0.from, $0.to] })
        #expect(scanned.document == decoded.document)
        #expect(scanned.version == decoded.version)
        #expect(scanned.quarantined.isEmpty && decoded.quarantined.isEmpty)
    }

    @Test("a store written by Gloss, with escapes, non-ASCII text and two-tag annotations, reads exactly as StoreCodec reads it")
    func encodedStoreAgrees() throws {
        let text = "Mr. \"Quoted\" — naïve café 🙂 tab\there\nback\\slash / line\u{1}ctl. Second sentence 北京。End."
        let document = Document(text: text)
        var annotations: [Annotation] = []
        let tags: [[GlossCore.Tag]] = [
            [Tag(category: "actor", value: "ISIL \"the group\"")],
            [Tag(category: "threat", value: "naïve/🙂\u{7}"), Tag(category: "actor", value: "")],
            [Tag(category: "cooperation-measure", value: "line\nbreak\\")],
        ]
        for (number, range) in [0..<3, 4..<12, 15..<27, 28..<33, 40..<52].enumerated() {
            annotations.append(Annotation(document: document, range: range, tags: tags[number % tags.count],
                                          note: "note \u{1F600} \"\(number)\"", author: "ana\u{301}", date: Self.date, id: "id-\(number)-\u{E9}"))
        }
        let orphan = Annotation(id: "orphan-1", start: 900, end: 905, quote: "gone", prefix: "", suffix: "", tags: tags[0],
                                note: "", author: "b", created: "x", modified: "y", conflict: "1-2")
        let relations = [
            Relation(type: "acts-on", from: "id-0-\u{E9}", to: "id-1-\u{E9}", note: "n\t", author: "a", date: Self.date, id: "r2"),
            Relation(type: "acts-on", from: "id-1-\u{E9}", to: "orphan-1", author: "a", date: Self.date, id: "r1"),
        ]
        var contents = StoreContents(annotations: annotations, orphans: [orphan], relations: relations, memo: "memo \u{0}",
                                     document: StoredDocument(path: "doc.txt", sha256: document.sha256, length: document.length))
        contents.annotations[1].conflict = "4-12"
        let data = try StoreCodec.encode(contents)
        let decoded = try StoreCodec.decode(data, path: "x")
        let scanned = try #require(StoreScan.contents(of: data))
        #expect(scanned == decoded)
        let counted = try #require(StoreScan.contents(of: data, allFields: false))
        Self.expectCountedFieldsAgree(counted, decoded)
    }

    @Test("hand-written JSON: \\u escapes with surrogate pairs, \\/, unknown nested members, compact layout, versions 1 and 2")
    func handWrittenStoresAgree() throws {
        let stores = [
            #"{"format":"gloss-annotations","version":3,"document":{"path":"a\/b.txt","sha256":"00","length":100,"extra":[1,-2,{"x":true}]},"memo":"\u00e9\ud83d\ude42","annotations":[{"id":"\u0041","start":0,"end":5,"quote":"\ud83d\ude42abc","prefix":"","suffix":"\"\\\b\f\n\r\t","tags":[{"category":"actor","value":"\u5317\u4eac","rank":[false,{"deep":["\u00e9"]}]}],"note":"","author":"x","created":"c","modified":"m","future":{"a":[1,2,3.5e3]}}],"orphans":[],"relations":[]}"#,
            "{\n \"version\" : 1 , \"format\" : \"gloss-annotations\", \"annotations\" : [ { \"tags\" : [ ], \"id\" : \"a\", \"start\" : 3, \"end\" : 4, \"quote\" : \"q\", \"prefix\" : \"p\", \"suffix\" : \"s\", \"note\" : \"\", \"author\" : \"\", \"created\" : \"\", \"modified\" : \"\" } ], \"document\" : { \"length\" : 4, \"sha256\" : \"ff\", \"path\" : \"t.txt\" } }\n",
            #"{"format":"gloss-annotations","version":2,"document":{"path":"t","sha256":"","length":9},"annotations":[{"id":"b","start":1,"end":2,"quote":"","prefix":"","suffix":"","tags":[{"category":"c","value":"v"},{"category":"c","value":"v"}],"note":"\u2028","author":"","created":"","modified":""},{"id":"a","start":1,"end":2,"quote":"","prefix":"","suffix":"","tags":[],"note":"","author":"","created":"","modified":""}],"orphans":[{"id":"o","start":50,"end":60,"quote":"","prefix":"","suffix":"","tags":[],"note":"","author":"","created":"","modified":""}],"relations":[{"id":"r","type":"t","from":"o","to":"a"}]}"#,
        ]
        for json in stores {
            let decoded = try #require(Self.decoded(json))
            let scanned = try #require(StoreScan.contents(of: Data(json.utf8)))
            #expect(scanned == decoded)
            Self.expectCountedFieldsAgree(try #require(StoreScan.contents(of: Data(json.utf8), allFields: false)), decoded)
        }
    }

    @Test("stores with quarantined records, damage or anything unusual: the scan gives up or agrees, never differs")
    func unusualStoresFallBackOrAgree() throws {
        let record = #""quote":"","prefix":"","suffix":"","tags":[],"note":"","author":"","created":"","modified":"""#
        func store(_ annotations: String, relations: String = "[]", top: String = "") -> String {
            #"{"format":"gloss-annotations","version":3,"document":{"path":"t","sha256":"","length":10},"annotations":["#
                + annotations + #"],"relations":"# + relations + top + "}"
        }
        let valid = #"{"id":"a","start":0,"end":2,"# + record + "}"
        let cases: [String] = [
            store(#"{"id":"","start":0,"end":2,"# + record + "}"),  // empty id
            store(#"{"id":"a","start":3,"end":2,"# + record + "}"),  // end before start
            store(#"{"id":"a","start":2,"end":2,"# + record + "}"),  // empty span
            store(#"{"id":"a","start":0,"end":11,"# + record + "}"),  // past the document
            store(#"{"id":"a","start":null,"end":2,"# + record + "}"),  // null
            store(#"{"id":"a","start":0.5,"end":2,"# + record + "}"),  // fractional
            store(#"{"id":"a","start":1.0,"end":2,"# + record + "}"),
            store(#"{"id":"a","start":-1,"end":2,"# + record + "}"),
            store(#"{"id":"a","end":2,"# + record + "}"),  // missing start
            store(valid + "," + valid),  // repeated id
            store(#"{"id":"a","start":0,"end":2,"# + record.replacingOccurrences(of: #""tags":[]"#, with: #""tags":[{"category":"","value":"x"}]"#) + "}"),
            store(#"{"id":"a","start":0,"end":2,"# + record.replacingOccurrences(of: #""note":"""#, with: #""note":5"#) + "}"),
            store(#"{"id":"a","start":0,"end":2,"# + record.replacingOccurrences(of: #""note":"""#, with: #""note":"\ud800""#) + "}"),  // lone surrogate
            store(#"{"id":"a","start":0,"end":2,"# + record.replacingOccurrences(of: #""note":"""#, with: #""note":"\udc00\ud800""#) + "}"),
            store(#"{"id":"a","start":0,"end":2,"conflict":null,"# + record + "}"),
            store(#"{"id":"a","id":"b","start":0,"end":2,"# + record + "}"),  // duplicate key
            store(#"{"\u0069d":"a","start":0,"end":2,"# + record + "}"),  // escaped key
            store(valid, relations: #"[{"id":"r","type":"t","from":"a","to":"zz"}]"#),  // dangling
            store(valid, relations: #"[{"id":"r","type":"t","from":"a","to":"a"}]"#),  // to itself
            store(valid, relations: #"[{"id":"","type":"t","from":"a","to":"a"}]"#),
            store(valid, relations: #"{"not":"a list"}"#),
            store(valid, top: #","orphans":5"#),
            store(valid).replacingOccurrences(of: #""version":3"#, with: #""version":4"#),
            store(valid).replacingOccurrences(of: #""version":3"#, with: #""version":"3""#),
            store(valid).replacingOccurrences(of: "gloss-annotations", with: "other"),
            String(store(valid).dropLast()),  // truncated
            store(valid) + "x",
            "",
            "[]",
        ]
        for json in cases {
            let scanned = StoreScan.contents(of: Data(json.utf8))
            #expect(scanned == nil, "\(json)")
            if let scanned { #expect(scanned == Self.decoded(json)) }
        }
        // invalid UTF-8 inside a string, and a raw control character
        for bytes in [Array(store(valid).utf8).replacing(Array(#""note":"""#.utf8), with: Array(#""note":"\#u{FF}"#.utf8) + [0xFF, 0x22]),
                      Array(store(valid).utf8).replacing(Array(#""note":"""#.utf8), with: Array(#""note":""#.utf8) + [0x01, 0x22])] {
            #expect(StoreScan.contents(of: Data(bytes)) == nil)
            #expect(StoreScan.contents(of: Data(bytes), allFields: false) == nil)
        }
        // the valid store itself reads, and so does one with a top-level member Gloss does not know
        #expect(StoreScan.contents(of: Data(store(valid).utf8)) == Self.decoded(store(valid)))
        let unknown = store(valid, top: #","other":{"kept":true,"list":[1,"a",null]}"#)
        let kept = try #require(StoreScan.contents(of: Data(unknown.utf8)))
        #expect(kept == Self.decoded(unknown))
        #expect(kept.otherFields["other"] == .object(["kept": .bool(true), "list": .array([.integer(1), .string("a"), .null])]))
        // a memo that is not text is kept as read, as StoreCodec keeps it
        let numberMemo = store(valid, top: #","memo":7"#)
        let keptMemo = try #require(StoreScan.contents(of: Data(numberMemo.utf8)))
        #expect(keptMemo == Self.decoded(numberMemo))
        #expect(keptMemo.otherFields["memo"] == .integer(7) && keptMemo.memo.isEmpty)
    }

    /// Counts of one document through `contents`, placed in `document` as `gloss stats` places them.
    static func statistics(_ name: String, _ document: Document, _ contents: StoreContents, codebook: Codebook,
                           pairs: [(rows: String, columns: String)]) -> DocumentStatistics {
        let placed = Reanchoring.place(contents, in: document).contents
        return CorpusStatistics.count(name: name, document: document, contents: placed, codebook: codebook, pairs: pairs)
    }

    @Test("over 50 documents generated as the corpus benchmark generates them, counts through the scan equal counts through StoreCodec")
    func countsAgreeOverAGeneratedCorpus() throws {
        let package = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let shared = package.deletingLastPathComponent().appendingPathComponent("shared/corpus")
        let news = shared.appendingPathComponent("news")
        var texts = ((try? FileManager.default.contentsOfDirectory(atPath: news.path)) ?? []).filter { $0.hasPrefix("wikinews_") }
            .sorted().compactMap { try? String(contentsOf: news.appendingPathComponent($0), encoding: .utf8) }
        texts.append("Mr. Smith met the U.N. envoy in Paris. ISIL claimed the bombing; Interpol shared information. \"Why?\" he asked.\n\n"
                     + "Second paragraph: Europol and FATF agreed on sanctions. Boko Haram recruited fighters. The end.\n")
        let actors = ["ISIL", "Al-Qaida", "Interpol", "Europol \"EU\"", "UN Security Council", "Boko Haram", "FATF", "Al-Shabaab é"]
        let threats = ["bombing", "armed attack", "cyber attack", "violent extremism", "recruitment", "incitement 🙂", "terrorist financing", "hostage taking"]
        let measures = ["information sharing", "capacity building", "joint investigation", "extradition", "sanctions", "asset freezing", "border security", "mutual legal assistance"]
        let codebook = try Codebook.load(path: package.appendingPathComponent("Resources/codebook.json").path)
        let pairs = CorpusStatistics.pairs(of: codebook.categories.map(\.id))
        var viaScan = CorpusStatistics(), viaCodec = CorpusStatistics()
        for index in 0..<50 {
            let document = Document(text: texts[index % texts.count])
            var sentences: [Range<Int>] = []
            for (number, paragraph) in document.paragraphs.enumerated() {
                let base = paragraph.range.lowerBound
                sentences += SentenceSplitter.sentences(in: document.text(ofParagraph: number))
                    .map { (base + $0.lowerBound)..<(base + $0.upperBound) }.filter { $0.count >= 24 }
            }
            try #require(!sentences.isEmpty)
            var annotations: [Annotation] = [], actorIDs: [String] = [], threatIDs: [String] = []
            for number in 0..<100 {
                let sentence = sentences[(index * 7 + number) % sentences.count]
                let start = sentence.lowerBound + (number * 5) % (sentence.count / 2)
                let end = min(sentence.upperBound, start + 12 + (number * 3) % 40)
                let seed = index &* 31 &+ number
                let tags: [GlossCore.Tag]
                switch number % 4 {
                case 0: tags = [Tag(category: "actor", value: actors[seed % actors.count])]
                case 1: tags = [Tag(category: "threat", value: threats[seed % threats.count])]
                case 2: tags = [Tag(category: "cooperation-measure", value: measures[seed % measures.count])]
                default: tags = [Tag(category: "actor", value: actors[(seed / 3) % actors.count]),
                                 Tag(category: "threat", value: threats[(seed / 5) % threats.count])]
                }
                let id = String(format: "%08X-0000-4000-8000-%012X", index, number)
                annotations.append(Annotation(document: document, range: start..<end, tags: tags, author: "bench", date: Self.date, id: id))
                if number % 4 == 0 { actorIDs.append(id) }
                if number % 4 == 1 { threatIDs.append(id) }
            }
            let relations = (0..<10).map { number in
                Relation(type: "acts-on", from: actorIDs[number % actorIDs.count], to: threatIDs[(number * 3) % threatIDs.count],
                         author: "bench", date: Self.date, id: String(format: "%08X-0000-4000-9000-%012X", index, number))
            }
            let contents = StoreContents(annotations: annotations, relations: relations,
                                         document: StoredDocument(path: "\(index).txt", sha256: document.sha256, length: document.length))
            let data = try StoreCodec.encode(contents)
            let decoded = try StoreCodec.decode(data, path: "\(index)")
            let scanned = try #require(StoreScan.contents(of: data, allFields: false))
            Self.expectCountedFieldsAgree(scanned, decoded)
            viaScan.add(Self.statistics("\(index)", document, scanned, codebook: codebook, pairs: pairs))
            viaCodec.add(Self.statistics("\(index)", document, decoded, codebook: codebook, pairs: pairs))
        }
        #expect(viaScan.annotations == 5000)
        #expect(viaScan.annotations == viaCodec.annotations)
        #expect(viaScan.tags == viaCodec.tags)
        #expect(viaScan.documentsWith == viaCodec.documentsWith)
        #expect(viaScan.coOccurrences == viaCodec.coOccurrences)
        #expect(!viaScan.coOccurrences.filter { $0.key.basis == .sentence }.isEmpty)
        #expect(viaScan.documents.map(\.tagsByCategory) == viaCodec.documents.map(\.tagsByCategory))
    }
}
