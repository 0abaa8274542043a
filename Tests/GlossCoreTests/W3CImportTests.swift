import Foundation
import GlossTestSupport
import Testing
@testable import GlossCore

/// Gloss's tag, not Swift Testing's `Tag`.
private typealias Tag = GlossCore.Tag

/// `W3CImporter`: the W3C export read back (a round trip through a fresh store gives the
/// same file, checked by the shared validator), positions in code points and UTF-16 code
/// units, quotes placed as re-anchoring places them, Hypothesis tags, and the report of
/// every item not imported.
@Suite struct W3CImportTests {
    /// The brat fixture (overlapping spans, a span at 0 and one ending at the last
    /// character, a flag emoji and CRLF before spans, a multi-line note with quotes and
    /// commas, a nested value, a relation) with a memo, an orphan and a second relation
    /// whose end is the orphan.
    static func fixture(in folder: URL) throws -> (Document, StoreContents) {
        var (document, contents) = try BratTests.fixture(in: folder)
        contents.memo = "Memo, two lines:\n\"quoted\", then more"
        let orphan = Annotation(id: "C0000000-0000-4000-8000-000000000001", start: 40, end: 48, quote: "Istanbul",
                                prefix: "talks in ", suffix: " ended", tags: [Tag(category: "actor", value: "state")],
                                note: "gone from the text", author: "bo", created: "2026-11-18T11:06:40Z", modified: "2026-11-19T08:00:00Z")
        contents.orphans = [orphan]
        contents.relations.append(Relation(type: "acts-on", from: "A0000000-0000-4000-8000-000000000001", to: orphan.id,
                                           note: "", author: "bo", date: ExportTests.date, id: "B0000000-0000-4000-8000-000000000002"))
        contents.relations.sort(by: Relation.storeOrder)
        return (document, contents)
    }

    static func read(_ json: String, _ document: Document, codebook: Codebook = BratTests.codebook, source: String? = nil,
                     existing: StoreContents = StoreContents()) throws -> W3CImporter.Result {
        try W3CImporter.read(data: Data(json.utf8), path: "in.json", document: document, codebook: codebook, source: source,
                             author: "importer", date: ExportTests.date, existing: existing)
    }

    /// Every field of an annotation that a W3C export holds.
    static func essence(_ annotation: Annotation) -> String {
        "\(annotation.id) \(annotation.range) \(annotation.quote.debugDescription) \(annotation.prefix.debugDescription) \(annotation.suffix.debugDescription) \(annotation.tags) \(annotation.note.debugDescription) \(annotation.author) \(annotation.created) \(annotation.modified)"
    }

    @Test("Export, read back into a fresh store of the same document, export again: the same file, which the validator accepts; ids, tags, notes, authors, times, memo, orphans and relations come back")
    func roundTrip() throws {
        let folder = try ExportTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (document, contents) = try Self.fixture(in: folder)
        let first = try W3CExporter.export(document: document, contents: contents, codebook: BratTests.codebook)
        #expect(first.contains("\"value\" : \"actor:state/Turkey\""))
        // 6 annotations, the orphan, 2 relations, the memo
        try ExportTests.expectValidatorAccepts(export: first, source: document.path, count: 10, in: folder)

        let imported = try Self.read(first, document)
        // the orphan is reported, and kept
        #expect(imported.read.messages.map(\.text) == ["first.items[7] (urn:uuid:c0000000-0000-4000-8000-000000000001): its quote \"Istanbul\" is not in the text; kept as an orphan"])
        #expect(imported.memo == contents.memo && imported.itemCount == 10 && imported.read.moved == 0)
        let merged = AnnotationImport.merge(imported.read, memo: imported.memo, into: StoreContents())
        #expect(merged.added == 7 && merged.relationsAdded == 2 && merged.memoChanged)
        let store = AnnotationStore(path: folder.appendingPathComponent("article.txt.gloss.bo.json").path)
        try store.save(merged.contents, of: document)
        let reloaded = Reanchoring.place(try #require(try store.load()), in: document).contents

        #expect(reloaded.annotations.map(Self.essence) == contents.annotations.map(Self.essence))
        #expect(reloaded.orphans.map { "\($0.id) \($0.quote) \($0.prefix) \($0.suffix) \($0.tags) \($0.note) \($0.author) \($0.created) \($0.modified)" }
                == contents.orphans.map { "\($0.id) \($0.quote) \($0.prefix) \($0.suffix) \($0.tags) \($0.note) \($0.author) \($0.created) \($0.modified)" })
        #expect(reloaded.relations == contents.relations)
        #expect(reloaded.memo == contents.memo)
        let second = try W3CExporter.export(document: document, contents: reloaded, codebook: BratTests.codebook)
        #expect(second == first)

        // imported again, nothing is added
        let again = AnnotationImport.merge(try Self.read(first, document, existing: reloaded).read, memo: imported.memo, into: reloaded)
        #expect(again.added == 0 && again.collapsed == 7 && again.relationsCollapsed == 2 && !again.memoChanged)
        #expect(again.contents == reloaded)
        // into a store that uses an id for something else, that annotation gets another id
        var other = StoreContents()
        other.annotations = [Annotation(document: document, range: 13..<17, tags: [], author: "x", id: "A0000000-0000-4000-8000-000000000001")]
        let renamed = try Self.read(first, document, existing: other)
        let ankara = try #require(renamed.read.annotations.first { $0.quote == "Ankara" })
        #expect(ankara.id != "A0000000-0000-4000-8000-000000000001")
        #expect(renamed.read.relations.contains { $0.from == ankara.id && $0.type == "acts-on" })
    }

    @Test("A corpus export: the document's own items are read (relations through their SpecificResource ends), the other document's are counted; --source picks one")
    func corpusExport() throws {
        let folder = try ExportTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (document, contents) = try Self.fixture(in: folder)
        let otherFolder = folder.appendingPathComponent("other")
        try FileManager.default.createDirectory(at: otherFolder, withIntermediateDirectories: true)
        let (otherDocument, otherContents) = try BratTests.fixture(in: otherFolder)
        let corpus = try W3CExporter.export(corpus: [
            CorpusEntry(name: "article.txt", document: document, contents: contents, codebook: BratTests.codebook),
            CorpusEntry(name: "other/article.txt", document: otherDocument, contents: otherContents, codebook: BratTests.codebook),
        ], label: "Corpus")
        try ExportTests.expectValidatorAccepts(export: corpus, source: document.path, count: 18, in: folder)

        let imported = try Self.read(corpus, document)
        #expect(imported.source == Export.fileURL(of: document))
        #expect(imported.read.messages.map(\.text).filter { !$0.contains("kept as an orphan") } == ["8 item(s) of 1 other document(s) left out (\(Export.fileURL(of: otherDocument)))"])
        let merged = AnnotationImport.merge(imported.read, memo: imported.memo, into: StoreContents())
        #expect(merged.added == 7 && merged.relationsAdded == 2)
        #expect(try W3CExporter.export(document: document, contents: merged.contents, codebook: BratTests.codebook)
                == W3CExporter.export(document: document, contents: contents, codebook: BratTests.codebook))

        // the other document's items, by --source: their ids, which the first document used,
        // were renamed by the export, their relation's ends not; those are found by their places
        let named = try Self.read(corpus, document, source: Export.fileURL(of: otherDocument))
        #expect(named.read.annotations.count == 6 && named.read.relations.count == 1)
        #expect(named.read.messages.map(\.text).contains("10 item(s) of 1 other document(s) left out (\(Export.fileURL(of: document)))"))
        // a source the file does not name
        #expect(throws: W3CImporter.ImportError.self) { try Self.read(corpus, document, source: "file:///nowhere.txt") }
    }

    @Test("A refinedBy narrows the span its selector picks (W3C §4.2.9): a quote within it, chosen by its context there; positions from its start; one that cannot be applied is reported and not imported")
    func refinement() throws {
        let folder = try ExportTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (document, _) = try BratTests.fixture(in: folder)
        let text = BratTests.text
        let sentence = ExportTests.span(of: "Turkey and the EU agreed to share passenger data", in: text)
        func item(_ id: String, _ selector: String) -> String {
            #"{"id": "\#(id)", "type": "Annotation", "body": {"type": "TextualBody", "purpose": "tagging", "value": "actor:EU"}, "target": {"source": "http://example.org/a", "selector": \#(selector)}}"#
        }
        let json = "[" + [
            item("quote", #"{"type": "TextQuoteSelector", "exact": "Turkey and the EU agreed to share passenger data", "refinedBy": {"type": "TextQuoteSelector", "exact": "EU"}}"#),
            item("position", #"{"type": "TextPositionSelector", "start": \#(sentence.lowerBound), "end": \#(sentence.upperBound), "refinedBy": {"type": "TextPositionSelector", "start": 0, "end": 6}}"#),
            // "e" is in the span seven times: its prefix there picks the one in "share"
            item("context", #"{"type": "TextQuoteSelector", "exact": "Turkey and the EU agreed to share passenger data", "refinedBy": {"type": "TextQuoteSelector", "exact": "e", "prefix": "shar", "suffix": " pass"}}"#),
            item("chain", #"[{"type": "TextPositionSelector", "start": \#(sentence.lowerBound), "end": \#(sentence.upperBound)}, {"type": "TextQuoteSelector", "exact": "Turkey and the EU agreed to share passenger data", "refinedBy": {"type": "TextQuoteSelector", "exact": "passenger data", "refinedBy": {"type": "TextPositionSelector", "start": 10, "end": 14}}}]"#),
            item("absent", #"{"type": "TextQuoteSelector", "exact": "Turkey and the EU agreed to share passenger data", "refinedBy": {"type": "TextQuoteSelector", "exact": "Europol"}}"#),
            item("past", #"{"type": "TextQuoteSelector", "exact": "Turkey and the EU", "refinedBy": {"type": "TextPositionSelector", "start": 10, "end": 40}}"#),
            item("markup", #"{"type": "TextQuoteSelector", "exact": "Turkey and the EU", "refinedBy": {"type": "FragmentSelector", "value": "char=0,6"}}"#),
            item("empty", #"{"type": "TextQuoteSelector", "exact": "Turkey and the EU", "refinedBy": {"type": "TextPositionSelector", "start": 2, "end": 2}}"#),
            // "e" seven times, no context: which one cannot be told
            item("ambiguous", #"{"type": "TextQuoteSelector", "exact": "Turkey and the EU agreed to share passenger data", "refinedBy": {"type": "TextQuoteSelector", "exact": "e"}}"#),
            // the refinement of a selector Gloss ignores is ignored with it
            item("beside", #"[{"type": "CssSelector", "value": "p", "refinedBy": {"type": "TextQuoteSelector", "exact": "EU"}}, {"type": "TextQuoteSelector", "exact": "Turkey and the EU"}]"#),
            item("unplaced", #"{"type": "TextQuoteSelector", "exact": "Ankara agreed", "refinedBy": {"type": "TextPositionSelector", "start": 0, "end": 6}}"#),
        ].joined(separator: ",\n") + "]"
        let result = try Self.read(json, document)
        let placed = Dictionary(uniqueKeysWithValues: result.read.annotations.map { ($0.id, $0.range) })
        #expect(placed["quote"] == ExportTests.span(of: "EU", in: text))
        #expect(placed["position"] == ExportTests.span(of: "Turkey", in: text))
        let share = ExportTests.span(of: "share", in: text)
        #expect(placed["context"] == (share.upperBound - 1)..<share.upperBound)
        #expect(placed["chain"] == ExportTests.span(of: "data", in: text))
        #expect(placed["beside"] == ExportTests.span(of: "Turkey and the EU", in: text))
        #expect(placed.count == 5 && result.read.orphans.map(\.quote) == ["Ankara agreed"])
        let messages = result.read.messages.map(\.text)
        #expect(messages.contains { $0.contains("its refinedBy quote \"Europol\" is not in the span its selector picks; not imported") }, "\(messages)")
        #expect(messages.contains { $0.contains("its refinedBy TextPositionSelector 10..<40 lies past the 17 code points its selector picks; not imported") }, "\(messages)")
        #expect(messages.contains { $0.contains("its refinedBy is a FragmentSelector, which Gloss's text cannot apply (it has no markup); not imported") }, "\(messages)")
        #expect(messages.contains { $0.contains("its refinedBy TextPositionSelector 2..<2 picks no text; not imported") }, "\(messages)")
        #expect(messages.contains { $0.contains("its refinedBy quote \"e\" is in the span its selector picks 7 times, and its prefix and suffix do not tell which; not imported") }, "\(messages)")
        #expect(messages.contains { $0.contains("kept as an orphan (its refinedBy not applied: it narrows a span never found)") }, "\(messages)")
    }

    @Test("Positions count code points; UTF-16 positions (an emoji before the span) are recognised; a quote alone is placed by its context, or by the position nearest among equal copies; one not found is an orphan")
    func placing() throws {
        let folder = try ExportTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (document, _) = try BratTests.fixture(in: folder)
        let text = BratTests.text
        let turkey = ExportTests.span(of: "Turkey and the EU", in: text)  // after the flag (2 code points, 4 UTF-16 units) and a CRLF
        // JavaScript's string index: the flag's two code points are four UTF-16 code units
        let utf16Start = text.unicodeScalars.prefix(turkey.lowerBound).reduce(0) { $0 + ($1.value > 0xFFFF ? 2 : 1) }
        #expect(utf16Start == turkey.lowerBound + 2)
        func item(_ id: String, _ selectors: String, tags: [String] = []) -> String {
            let bodies = tags.map { #"{"type": "TextualBody", "purpose": "tagging", "value": "\#($0)"}"# }.joined(separator: ", ")
            return #"{"id": "\#(id)", "type": "Annotation", "body": [\#(bodies)], "target": {"source": "http://example.org/a", "selector": [\#(selectors)]}}"#
        }
        let json = "[" + [
            item("cp", #"{"type": "TextPositionSelector", "start": \#(turkey.lowerBound), "end": \#(turkey.upperBound)}, {"type": "TextQuoteSelector", "exact": "Turkey and the EU"}"#, tags: ["actor:state/Turkey"]),
            item("utf16", #"{"type": "TextPositionSelector", "start": \#(utf16Start), "end": \#(utf16Start + 17)}, {"type": "TextQuoteSelector", "exact": "Turkey and the EU"}"#),
            item("quote", #"{"type": "TextQuoteSelector", "exact": "EU", "prefix": "The ", "suffix": " welcomed"}"#),
            item("wrong", #"{"type": "TextPositionSelector", "start": 0, "end": 6}, {"type": "TextQuoteSelector", "exact": "Europol"}"#),
            item("nearest", #"{"type": "TextPositionSelector", "start": 100, "end": 102}, {"type": "TextQuoteSelector", "exact": "EU"}"#),
            item("ambiguous", #"{"type": "TextQuoteSelector", "exact": "EU"}"#),
            item("absent", #"{"type": "TextQuoteSelector", "exact": "Ankara agreed", "prefix": "x"}"#),
            item("positions", #"{"type": "TextPositionSelector", "start": 0, "end": 6}"#),
            item("cluster", #"{"type": "TextPositionSelector", "start": 14, "end": 20}"#),
            item("outside", #"{"type": "TextPositionSelector", "start": 100, "end": 900}"#),
            item("markup", #"{"type": "RangeSelector", "startContainer": "/p[1]", "startOffset": 0, "endContainer": "/p[1]", "endOffset": 3}, {"type": "XPathSelector", "value": "/p[1]"}"#),
            item("whitespace", #"{"type": "RangeSelector", "startContainer": "/p[2]", "startOffset": 0, "endContainer": "/p[3]", "endOffset": 4}, {"type": "TextQuoteSelector", "exact": "passenger   data\nwith Europol", "prefix": "agreed to share ", "suffix": ", officials"}"#),
        ].joined(separator: ",\n") + "]"
        let result = try Self.read(json, document)
        let placed = Dictionary(uniqueKeysWithValues: result.read.annotations.map { ($0.id, $0.range) })
        let last = ExportTests.span(of: "EU", in: text, occurrence: 1)
        #expect(placed["cp"] == turkey && placed["utf16"] == turkey && result.utf16Positions == 1)
        #expect(result.read.annotations.first { $0.id == "cp" }?.tags == [Tag(category: "actor", value: "Turkey")])
        #expect(placed["quote"] == last)
        #expect(placed["wrong"] == ExportTests.span(of: "Europol", in: text))
        #expect(placed["nearest"] == last)
        #expect(placed["positions"] == 0..<6)
        #expect(placed["whitespace"] == ExportTests.span(of: "passenger data\r\nwith Europol", in: text))
        #expect(Set(result.read.orphans.map(\.id)) == ["ambiguous", "absent"])
        #expect(result.read.moved == 2)
        let messages = result.read.messages.map(\.text)
        let expected = [
            "[3] (wrong): its TextPositionSelector 0..<6 does not hold its quote; placed by the quote at 76..<83",
            "[4] (nearest): its TextPositionSelector 100..<102 does not hold its quote; placed by the quote at 106..<108",
            "[5] (ambiguous): its quote \"EU\" is in the text 2 times with as much of its context, and no position tells which; kept as an orphan",
            "[6] (absent): its quote \"Ankara agreed\" is not in the text; kept as an orphan",
            "[8] (cluster): its TextPositionSelector 14..<20 has 14 inside a grapheme cluster; not imported",
            "[9] (outside): its TextPositionSelector 100..<900 lies outside the text's 120 code points; not imported",
            "[10] (markup): its target has RangeSelector, XPathSelector but no TextQuoteSelector or TextPositionSelector; Gloss's text has no markup for the others to point into; not imported",
            "its annotations target http://example.org/a; read as annotations of \(document.path)",
            "1 annotation(s) placed by positions counted in UTF-16 code units (as JavaScript counts), not code points as the Web Annotation model prescribes",
        ]
        #expect(Set(messages) == Set(expected), "\(messages)")
        #expect(messages.count == expected.count)
        #expect(Set(result.read.messages.filter(\.leftSomethingOut).map(\.text)) == Set(expected[4...6]))
    }

    @Test("A collection holding its annotations in items, without a first page, is read; one holding none is refused saying so once")
    func collectionWithItemsAndNoPages() throws {
        let folder = try ExportTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (document, _) = try BratTests.fixture(in: folder)
        let json = #"""
            {"@context": "http://www.w3.org/ns/anno.jsonld", "type": "AnnotationCollection", "items": [
              {"id": "urn:uuid:0f5e7c1a-1111-4222-8333-944455556666", "type": "Annotation",
               "body": {"type": "TextualBody", "purpose": "tagging", "value": "actor:Turkey"},
               "target": {"source": "article.txt", "selector": {"type": "TextQuoteSelector", "exact": "Ankara"}}}]}
            """#
        let read = try Self.read(json, document)
        #expect(read.read.annotations.map(\.quote) == ["Ankara"])
        #expect(read.read.annotations.first?.tags == [Tag(category: "actor", value: "Turkey")])
        do {
            _ = try Self.read(#"{"type": "AnnotationCollection", "items": []}"#, document)
            Issue.record("an empty collection was imported")
        } catch let error as W3CImporter.ImportError {
            #expect("\(error)".components(separatedBy: "nothing imported").count <= 2, "\(error)")
            #expect("\(error)".contains("holds no annotations"), "\(error)")
        }
    }

    @Test("What cannot be read or held is reported with its place and id, the rest imported")
    func reporting() throws {
        let folder = try ExportTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (document, _) = try BratTests.fixture(in: folder)
        // a file with no annotations at all is refused, so nothing is written
        for empty in ["[]", #"{"rows": [], "total": 0}"#, #"{"type": "AnnotationCollection", "total": 0}"#] {
            #expect(throws: W3CImporter.ImportError.self, "\(empty)") { try Self.read(empty, document) }
        }
        let target = #"{"source": "file:///elsewhere/article.txt", "selector": {"type": "TextQuoteSelector", "exact": "Ankara"}}"#
        let json = """
            {"type": "AnnotationCollection", "total": 12, "first": {"type": "AnnotationPage", "items": [
              {"id": "urn:uuid:11111111-1111-4111-8111-111111111111", "type": "Annotation", "body": {"type": "TextualBody", "purpose": "tagging", "value": "actor"}, "target": \(target)},
              "not an annotation",
              {"id": "no-target", "type": "Annotation"},
              {"id": "bad-position", "type": "Annotation", "target": {"source": "file:///elsewhere/article.txt", "selector": {"type": "TextPositionSelector", "start": -1, "end": 3}}},
              {"id": "empty-quote", "type": "Annotation", "target": {"source": "file:///elsewhere/article.txt", "selector": {"type": "TextQuoteSelector", "exact": ""}}},
              {"id": "choice", "type": "Annotation", "body": [{"type": "Choice", "items": []}, {"type": "TextualBody", "purpose": "tagging", "value": ":x"}, {"type": "TextualBody", "value": "kept"}], "target": \(target)},
              {"id": "link-one", "type": "Annotation", "motivation": "linking", "target": ["urn:uuid:11111111-1111-4111-8111-111111111111"]},
              {"id": "link-nowhere", "type": "Annotation", "motivation": "linking", "body": {"type": "TextualBody", "purpose": "tagging", "value": "acts-on"}, "target": ["urn:uuid:11111111-1111-4111-8111-111111111111", "urn:uuid:22222222-2222-4222-8222-222222222222"]},
              {"id": "link-failed", "type": "Annotation", "motivation": "linking", "target": ["urn:uuid:11111111-1111-4111-8111-111111111111", "empty-quote"]},
              {"id": "reply", "type": "Annotation", "motivation": "replying", "body": {"type": "TextualBody", "value": "why?"}, "target": "urn:uuid:33333333-3333-4333-8333-333333333333"},
              {"id": "page", "type": "Annotation", "body": {"type": "TextualBody", "purpose": "tagging", "value": "threat"}, "target": "file:///elsewhere/article.txt"}
            ], "next": "http://example.org/page2"}}
            """
        let result = try Self.read(json, document)
        #expect(result.read.annotations.map(\.id) == ["11111111-1111-4111-8111-111111111111", "choice"])
        #expect(result.read.annotations[1].note == "kept" && result.read.annotations[1].tags == [])
        #expect(result.read.relations.isEmpty && result.memo.isEmpty)
        #expect(result.read.messages.map(\.text) == [
            "the page http://example.org/page2 (first.next) is named but not included in the file; its annotations are not imported (fetch it and import it too)",
            "the collection says it holds 12 annotations; the file holds 11",
            "first.items[1]: is \"not an annotation\", not an annotation; not imported",
            "first.items[2] (no-target): has no target; not imported",
            "first.items[3] (bad-position): its TextPositionSelector has start -1 and end 3, not two whole numbers with 0 ≤ start ≤ end; not imported",
            "first.items[4] (empty-quote): its TextQuoteSelector's exact is empty; not imported",
            "first.items[5] (choice): its body[0] is a Choice between bodies, which Gloss cannot hold; left out",
            "first.items[5] (choice): its tag \":x\" names no category; left out",
            "first.items[10] (page): its tags (threat) are on the whole document, which has a memo but no tags in Gloss; left out",
            "first.items[10] (page): targets the whole document and holds no note for its memo; not imported",
            "first.items[9] (reply): a reply to urn:uuid:33333333-3333-4333-8333-333333333333, which is not among the annotations imported; not imported",
            "first.items[6] (link-one): a link between 1 target(s); a Gloss relation links two annotations; not imported",
            "first.items[7] (link-nowhere): its end urn:uuid:22222222-2222-4222-8222-222222222222 is no annotation of the file or of the store; not imported",
            "first.items[8] (link-failed): its end empty-quote was not imported; not imported",
        ])
        #expect(result.read.messages.filter { !$0.leftSomethingOut }.map(\.text) == ["the collection says it holds 12 annotations; the file holds 11"])

        // what is not Web Annotations at all is refused, naming the file
        for (text, problem) in [("{\"a\": 1", "is not JSON"), ("{\"name\": \"codebook\"}", "holds no Web Annotations"), ("3", "holds 3, not Web Annotations")] {
            #expect(throws: W3CImporter.ImportError.self) { try Self.read(text, document) }
            do { _ = try Self.read(text, document) } catch { #expect("\(error)".hasPrefix("in.json: " + problem), "\(error)") }
        }
    }

    @Test("Hypothesis tags: category:value and a category's name by the codebook, a value or alias of one category, else a value of the category hypothesis")
    func hypothesisTags() throws {
        let folder = try ExportTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (document, _) = try BratTests.fixture(in: folder)
        let row = """
            {"id": "h1", "user": "acct:ana@hypothes.is", "uri": "https://example.org/a", "text": "a note", "created": "2020-01-16T11:12:44.501927+02:00",
             "updated": "2020-01-16T09:15:02Z", "tags": ["actor:Turkey", "Actor : state/Turkey", "threat", "EU", "terrorism", "https://example.org/t", "passenger data sharing", "  "],
             "target": [{"source": "https://example.org/a", "selector": [{"type": "TextQuoteSelector", "exact": "Ankara"}]}]}
            """
        let result = try Self.read(row, document)
        let annotation = try #require(result.read.annotations.first)
        #expect(annotation.tags == [
            Tag(category: "actor", value: "Turkey"), Tag(category: "threat", value: ""), Tag(category: "actor", value: "European Union"),
            Tag(category: "threat", value: "terrorism"), Tag(category: "hypothesis", value: "https://example.org/t"),
            Tag(category: "cooperation-measure", value: "passenger data sharing"),
        ])
        #expect(annotation.author == "ana" && annotation.note == "a note" && annotation.id == "h1")
        #expect(annotation.created == "2020-01-16T09:12:44Z" && annotation.modified == "2020-01-16T09:15:02Z")
        #expect(result.read.messages.map(\.text).contains("1 Hypothesis tag(s) naming no category or value of the codebook kept as values of the category \"hypothesis\""))
    }

    @Test("A codebook category whose id holds a colon comes back whole from an export, not split at its first colon")
    func categoryIDWithColon() throws {
        let folder = try ExportTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (document, _) = try BratTests.fixture(in: folder)
        var codebook = BratTests.codebook
        codebook.categories.append(GlossCore.Category(id: "geo:region", label: "Geo: Region", key: "g", color: "blue", description: "",
                                                      values: [CodebookValue(value: "Kyiv")]))
        let annotation = Annotation(document: document, range: ExportTests.span(of: "Ankara", in: BratTests.text),
                                    tags: [Tag(category: "geo:region", value: "Kyiv"), Tag(category: "geo:region", value: ""),
                                           Tag(category: "actor", value: "state:Turkey")],
                                    note: "", author: "ana", date: ExportTests.date, id: "A0000000-0000-4000-8000-000000000010")
        let contents = StoreContents(annotations: [annotation])
        let export = try W3CExporter.export(document: document, contents: contents, codebook: codebook)
        let result = try Self.read(export, document, codebook: codebook)
        #expect(result.read.annotations.first?.tags == annotation.tags)
        #expect(try W3CExporter.export(document: document, contents: StoreContents(annotations: result.read.annotations), codebook: codebook) == export)
    }

    @Test("Times: Gloss's form kept, other ISO 8601 forms converted to UTC whole seconds, others refused")
    func times() {
        #expect(W3CImporter.timestamp("2026-11-18T11:06:40Z") == "2026-11-18T11:06:40Z")
        #expect(W3CImporter.timestamp("2014-01-12T18:36:15.697572+00:00") == "2014-01-12T18:36:15Z")
        #expect(W3CImporter.timestamp("2014-01-12T18:36:15-05:30") == "2014-01-13T00:06:15Z")
        #expect(W3CImporter.timestamp("2014-01-12T18:36") == "2014-01-12T18:36:00Z")
        #expect(W3CImporter.timestamp("yesterday") == nil)
        #expect(W3CImporter.timestamp("2014-13-12T18:36:15Z") == nil)
        #expect(W3CImporter.authorName(ofAccount: "acct:ana_k@hypothes.is") == "ana_k")
        #expect(W3CImporter.authorName(ofAccount: "acct:ana@lms.example.edu") == "ana@lms.example.edu")
    }
}
