import Foundation
import GlossTestSupport
import Testing
@testable import GlossCore

/// Gloss's tag, not Swift Testing's `Tag`.
private typealias Tag = GlossCore.Tag

/// brat standoff export and import (https://brat.nlplab.org/standoff.html): files written
/// to disk and checked by the shared `check-brat.py`, a golden `.ann`, a round trip
/// through the importer and the store, and every text-bound annotation of the brat
/// tutorial corpus in `../shared/corpus/brat`.
@Suite struct BratTests {
    static let checker = ExportTests.shared.appendingPathComponent("tools/check-brat.py").path
    static let bratCorpus = ExportTests.shared.appendingPathComponent("corpus/brat")

    /// Actors with `Turkey` nested under `state`, the default relation types.
    static let codebook = Codebook(name: "Counter-terrorism reporting", categories: [
        GlossCore.Category(id: "actor", label: "Actor", key: "a", color: "cyan", description: "Who acts",
                           values: [CodebookValue(value: "state", values: [CodebookValue(value: "Turkey")]),
                                    CodebookValue(value: "European Union", aliases: ["EU"])]),
        GlossCore.Category(id: "threat", label: "Threat", key: "t", color: "red", description: "What threatens",
                           values: [CodebookValue(value: "terrorism")]),
        GlossCore.Category(id: "cooperation-measure", label: "Cooperation measure", key: "c", color: "green",
                           description: "How states cooperate", values: [CodebookValue(value: "passenger data sharing")]),
    ])

    /// An emoji of two code points (a flag) and a CRLF before the spans, CRLF line ends.
    static let text = "Ankara talks \u{1F1F9}\u{1F1F7} end\r\n"
        + "Turkey and the EU agreed to share passenger data\r\n"
        + "with Europol, officials said.\r\n"
        + "The EU welcomed it"

    static let note = "Capital, not the state:\n\"Ankara\" means the government,\tas usual; see C:\\notes"

    /// ``text`` as `article.txt` in `folder`, and a store's contents: a span at 0 with a
    /// nested value and a note of two lines with quotes, commas, a tab and a backslash; two
    /// overlapping spans, one over a CRLF; a span with an empty value beside a free value
    /// holding `/`, `%` and spaces; an untagged span with a note; the last span, ending at
    /// the last character, with two categories; a relation with a note.
    static func fixture(in folder: URL) throws -> (Document, StoreContents) {
        let path = folder.appendingPathComponent("article.txt").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        let document = try Document(contentsOfFile: path)
        func annotation(_ needle: String, _ tags: [Tag], note: String = "", id: String) -> Annotation {
            Annotation(document: document, range: ExportTests.span(of: needle, in: text), tags: tags, note: note,
                       author: "ana", date: ExportTests.date, id: id)
        }
        let ankara = annotation("Ankara", [Tag(category: "actor", value: "Turkey")], note: note, id: "A0000000-0000-4000-8000-000000000001")
        let parties = annotation("Turkey and the EU", [Tag(category: "actor", value: "Turkey"), Tag(category: "actor", value: "European Union")],
                                 id: "A0000000-0000-4000-8000-000000000002")
        let measure = annotation("the EU agreed to share passenger data\r\nwith Europol",
                                 [Tag(category: "cooperation-measure", value: "passenger data sharing")], id: "A0000000-0000-4000-8000-000000000003")
        let europol = annotation("Europol", [Tag(category: "actor", value: ""), Tag(category: "actor", value: "AML/CFT 100%")],
                                 id: "A0000000-0000-4000-8000-000000000004")
        let officials = annotation("officials", [], note: "who?", id: "A0000000-0000-4000-8000-000000000005")
        let last = annotation("The EU welcomed it", [Tag(category: "actor", value: "European Union"), Tag(category: "threat", value: "")],
                              id: "A0000000-0000-4000-8000-000000000006")
        let relation = Relation(type: "undertakes", from: parties.id, to: measure.id, note: "agreed, \"in principle\"",
                                author: "ana", date: ExportTests.date, id: "B0000000-0000-4000-8000-000000000001")
        return (document, StoreContents(annotations: [ankara, parties, measure, europol, officials, last], relations: [relation],
                                        memo: "not exported"))
    }

    static let goldenAnnotationFile = """
        T1\tactor 0 6\tAnkara
        N1\tReference T1 gloss:state/Turkey\tTurkey
        #1\tAnnotatorNotes T1\tCapital, not the state:\\n"Ankara" means the government,\\tas usual; see C:\\\\notes
        T2\tactor 21 38\tTurkey and the EU
        N2\tReference T2 gloss:state/Turkey\tTurkey
        N3\tReference T2 gloss:European%20Union\tEuropean Union
        T3\tcooperation-measure 32 69;71 83\tthe EU agreed to share passenger data with Europol
        N4\tReference T3 gloss:passenger%20data%20sharing\tpassenger data sharing
        T4\tactor 76 83\tEuropol
        N5\tReference T4 gloss:/\t
        N6\tReference T4 gloss:AML%2FCFT%20100%25\tAML/CFT 100%
        T5\tgloss-untagged 85 94\tofficials
        #2\tAnnotatorNotes T5\twho?
        T6\tactor 102 120\tThe EU welcomed it
        N7\tReference T6 gloss:European%20Union\tEuropean Union
        T7\tthreat 102 120\tThe EU welcomed it
        R1\tundertakes Arg1:T2 Arg2:T3
        #3\tAnnotatorNotes R1\tagreed, "in principle"

        """

    static let goldenConfiguration = """
        # brat annotation configuration written by gloss export --format brat
        # Entity types are Gloss codebook categories; tag values are normalisations (N lines,
        # database "gloss") and notes AnnotatorNotes (# lines). Offsets count code points.

        [entities]
        actor
        threat
        cooperation-measure
        gloss-untagged

        [relations]
        acts-on\tArg1:actor, Arg2:threat
        undertakes\tArg1:actor, Arg2:cooperation-measure
        targets\tArg1:cooperation-measure, Arg2:threat
        <OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>

        [events]

        [attributes]

        """

    /// Runs `check-brat.py` on `path`, expecting success and `count` text-bound lines.
    static func expectCheckBratAccepts(_ path: String, textBound count: Int, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let result = try ExportTests.python([checker, path])
        #expect(result.status == 0, "check-brat.py rejected \(path):\n\(result.output)\(result.error)", sourceLocation: sourceLocation)
        #expect(result.output.contains("\(count) text-bound annotations: 0 problems"), "\(result.output)", sourceLocation: sourceLocation)
    }

    /// The files under `folder`, by relative path.
    static func files(in folder: URL) throws -> [String: Data] {
        var result: [String: Data] = [:]
        let root = folder.standardizedFileURL.path
        for case let url as URL in FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)! {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder), !isFolder.boolValue else { continue }
            result[String(url.standardizedFileURL.path.dropFirst(root.count + 1))] = try Data(contentsOf: url)
        }
        return result
    }

    @Test("The fixture's .ann is the golden file: code points past an emoji and CRLFs, CRLF spans as fragments, values as normalisations, escaped notes, a relation; check-brat.py accepts the folder")
    func goldenExport() throws {
        let folder = try ExportTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (document, contents) = try Self.fixture(in: folder)
        let output = try BratExporter.export([BratExporter.Folder(coder: nil, items: [
            BratExporter.Item(name: "article", label: "article.txt.gloss.json", document: document, contents: contents, codebook: Self.codebook),
        ])])
        let files = Dictionary(uniqueKeysWithValues: output.files.map { ($0.path, $0.data) })
        #expect(output.files.map(\.path) == ["article.txt", "article.ann", "annotation.conf"])
        #expect(String(decoding: try #require(files["article.ann"]), as: UTF8.self) == Self.goldenAnnotationFile)
        #expect(String(decoding: try #require(files["annotation.conf"]), as: UTF8.self) == Self.goldenConfiguration)
        #expect(files["article.txt"] == Data(Self.text.utf8), "the text byte for byte, CRLFs kept")
        #expect(output.notes == ["article.txt.gloss.json: the document memo is not exported: brat has no notes on a whole document"])
        #expect(output.textBoundCount == 7)

        let out = folder.appendingPathComponent("brat")
        try BratExporter.write(output, to: out.path)
        #expect(try Self.files(in: out) == files)
        guard ExportTests.requirePython(modules: []) else { return }
        try Self.expectCheckBratAccepts(out.path, textBound: 7)
        // Python's own slicing agrees with the offsets
        let script = """
            import sys
            text = open(sys.argv[1] + '/article.txt', encoding='utf-8', newline='').read()
            print(repr(text[0:6]), repr(text[102:120]), repr(text[69:71]), len(text))
            """
        let python = try ExportTests.python(["-c", script, out.path])
        #expect(python.output.trimmingCharacters(in: .newlines) == "'Ankara' 'The EU welcomed it' '\\r\\n' 120")
    }

    @Test("Export, import into a fresh copy of the document through the store, export again: identical files")
    func roundTrip() throws {
        let folder = try ExportTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (document, contents) = try Self.fixture(in: folder)
        func export(_ document: Document, _ contents: StoreContents, to name: String) throws -> URL {
            let output = try BratExporter.export([BratExporter.Folder(coder: nil, items: [
                BratExporter.Item(name: "article", label: name, document: document, contents: contents, codebook: Self.codebook),
            ])])
            let out = folder.appendingPathComponent(name)
            try BratExporter.write(output, to: out.path)
            return out
        }
        let first = try export(document, contents, to: "first")

        let copyFolder = folder.appendingPathComponent("copy")
        try FileManager.default.createDirectory(at: copyFolder, withIntermediateDirectories: true)
        let copyPath = copyFolder.appendingPathComponent("article.txt").path
        try Data(Self.text.utf8).write(to: URL(fileURLWithPath: copyPath))
        let copy = try Document(contentsOfFile: copyPath)
        let imported = try BratImporter.read(annotationFile: first.appendingPathComponent("article.ann").path, document: copy,
                                             codebook: Self.codebook, author: "bo", date: ExportTests.date)
        #expect(imported.messages == [])
        #expect(imported.annotations.count == 6 && imported.relations.count == 1)
        let store = AnnotationStore(path: AnnotationStore.defaultPath(forDocument: copyPath))
        try store.save(BratImporter.merge(imported, into: StoreContents()).contents, of: copy)
        let reloaded = Reanchoring.place(try #require(try store.load()), in: copy).contents

        // what the store holds now is what the fixture held, but for ids, authors and times
        func essence(_ contents: StoreContents) -> [String] {
            contents.annotations.map { "\($0.range) \($0.quote.debugDescription) \($0.tags.map { "\($0.category)=\($0.value)" }) \($0.note.debugDescription)" }
        }
        #expect(essence(reloaded) == essence(contents))
        #expect(reloaded.relations.map(\.note) == ["agreed, \"in principle\""])

        let second = try export(copy, reloaded, to: "second")
        #expect(try Self.files(in: first) == Self.files(in: second))
    }

    @Test("An .ann with CRLF line ends (Windows, git autocrlf) imports line by line, as the same file with LF ends does")
    func crlfAnnotationFile() throws {
        let folder = try ExportTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (document, _) = try Self.fixture(in: folder)
        // each .ann beside its text, as brat keeps them
        func annotationFile(_ name: String, _ content: String) throws -> URL {
            let subfolder = folder.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: subfolder, withIntermediateDirectories: true)
            try Data(Self.text.utf8).write(to: subfolder.appendingPathComponent("article.txt"))
            try Data(content.utf8).write(to: subfolder.appendingPathComponent("article.ann"))
            return subfolder.appendingPathComponent("article.ann")
        }
        let lf = try annotationFile("lf", Self.goldenAnnotationFile)
        let crlf = try annotationFile("crlf", Self.goldenAnnotationFile.replacingOccurrences(of: "\n", with: "\r\n"))
        func read(_ url: URL) throws -> BratImporter.Result {
            try BratImporter.read(annotationFile: url.path, document: document, codebook: Self.codebook, author: "bo", date: ExportTests.date)
        }
        let fromLF = try read(lf), fromCRLF = try read(crlf)
        #expect(fromCRLF.messages == [])
        #expect(fromCRLF.annotations.count == 6 && fromCRLF.relations.count == 1)
        #expect(fromCRLF.annotations.map(\.range) == fromLF.annotations.map(\.range))
        #expect(fromCRLF.annotations.map(\.tags) == fromLF.annotations.map(\.tags))
        #expect(fromCRLF.annotations.map(\.note) == fromLF.annotations.map(\.note))
        #expect(fromCRLF.annotations.first?.note == Self.note, "no CR kept at a note's end")
    }

    @Test("Multi-line spans become fragments split where a line or a tab breaks, and join again on import")
    func fragments() {
        func split(_ text: String) -> [Range<Int>] {
            let scalars = Array(text.unicodeScalars)
            return BratStandoff.fragments(of: 10..<(10 + scalars.count), in: scalars)
        }
        #expect(split("one line") == [10..<18])
        #expect(split("ab \r\n  cd") == [10..<12, 17..<19], "the spaces around the break go, as brat's editor trims them")
        #expect(split("ab\tcd") == [10..<12, 13..<15])
        #expect(split("ab\u{2028}cd") == [10..<12, 13..<15], "Python's line ends too")
        #expect(split("ab  cd") == [10..<16], "spaces alone do not break a line")
        #expect(split("\nab\n") == [11..<13])
        #expect(split(" \r\n ") == [])
        let text = Array("ab \r\n  cd and ef".unicodeScalars)
        #expect(BratStandoff.joinedSpans(of: [7..<9, 0..<2], in: text) == [0..<9])
        #expect(BratStandoff.joinedSpans(of: [0..<2, 14..<16], in: text) == [0..<2, 14..<16], "words between: discontinuous")
    }

    @Test("Notes and values come back exactly from their escaped and percent-encoded forms")
    func escapes() {
        for note in [Self.note, "a\\nb", "\\", "trailing\\", "line\u{85}next\u{2029}para\r\n", "\\u0041 stays"] {
            #expect(BratStandoff.unescapeNote(BratStandoff.escapeNote(note)) == note)
            #expect(!BratStandoff.escapeNote(note).unicodeScalars.contains(where: BratStandoff.breaksField))
        }
        #expect(BratStandoff.unescapeNote("C:\\data and \\x") == "C:\\data and \\x", "a backslash before anything else is kept")
        for value in ["Turkey", "", "AML/CFT 100%", "a\tb", "Türkiye", "x:y", "%2F"] {
            let id = BratStandoff.referenceID(forValuePath: ["state", value])
            #expect(!id.unicodeScalars.contains(where: BratStandoff.isSpace))
            #expect(BratStandoff.value(fromReferenceID: id) == value)
        }
        #expect(BratStandoff.referenceID(forValuePath: ["state", "Türkiye"]) == "gloss:state/Türkiye")
        #expect(BratTypeNames(["cooperation measure", "cooperation_measure", "a|b", ""]).ids.map(BratTypeNames(["cooperation measure", "cooperation_measure", "a|b", ""]).name(of:))
                    == ["cooperation_measure", "cooperation_measure-2", "a_b", "_"])
    }

    /// Writes `ann` as `name.ann` and `text` as `name.txt` in `folder`; returns the .ann path.
    static func bratFiles(_ ann: String, text: String, name: String = "doc", in folder: URL) throws -> String {
        try Data(text.utf8).write(to: folder.appendingPathComponent(name + ".txt"))
        let path = folder.appendingPathComponent(name + ".ann").path
        try Data(ann.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test("Import: types match categories by id or label (any case, _ - and space alike), others are new; attributes and foreign normalisations become values; every line not held is reported with its number")
    func importReport() throws {
        let folder = try ExportTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let text = "North and South America met Interpol in Lyon."
        let ann = """
            T1\tLocation 0 5;16 23\tNorth America
            T2\tACTOR 28 36\tInterpol
            T3\tCooperation_Measure 24 27\tmet
            A1\tMention T2 Name
            A2\tIndividual T2
            N1\tReference T2 Wikipedia:12345\tInterpol (organisation)
            E1\tMeeting:T3 Participant:T2
            #1\tAnnotatorNotes E1\ta note on an event
            *\tAlias T1 T2
            R1\tundertakes Arg1:T2 Arg2:T3
            R2\tLocated Arg1:T2 Arg2:T9
            T4\tPlace 41 45 46\tLyon
            Q1\twhat is this
            T2\tactor 0 5\tNorth
            #2\tAnnotatorNotes R1\tsigned\\nthe same day
            R3\tLocated Arg1:T8 Arg2:T9
            #3\tAnnotatorNotes R3\tlost with it?

            """
        let path = try Self.bratFiles(ann, text: text, in: folder)
        let document = Document(text: text, path: folder.appendingPathComponent("doc.txt").path)
        let result = try BratImporter.read(annotationFile: path, document: document, codebook: Self.codebook, author: "bo")
        let byLine = Dictionary(grouping: result.messages.compactMap { message in message.line.map { ($0, message.kind) } }, by: \.0).mapValues { $0.map(\.1) }
        #expect(byLine[7] == [.notHeld], "the event")
        #expect(byLine[8] == [.notHeld], "the note on the event")
        #expect(byLine[9] == [.notHeld], "the equivalence")
        #expect(byLine[11] == [.malformed], "a relation to a missing id")
        #expect(byLine[12] == [.malformed], "bad offsets")
        #expect(byLine[13] == [.malformed], "an unknown kind of line")
        #expect(byLine[14] == [.malformed], "a repeated id")
        #expect(byLine[16] == [.malformed], "a relation with both ends missing: one message, not one per end")
        #expect(result.messages.contains { $0.line == 16 && $0.text.contains("T8") && $0.text.contains("T9") && $0.text.hasSuffix("not imported (with its 1 note(s))") },
                "the relation's note is named, never dropped silently: \(result.messages)")
        #expect(Set(byLine.keys) == [7, 8, 9, 11, 12, 13, 14, 16], "\(result.messages)")
        #expect(result.messages.contains { $0.line == nil && $0.text.contains("\"Location\" matches no category") })

        let spans = result.annotations.map { "\($0.quote):\($0.tags.map { "\($0.category)=\($0.value)" })" }
        #expect(spans == ["North:[\"Location=\"]", "America:[\"Location=\"]", "met:[\"cooperation-measure=\"]",
                          "Interpol:[\"actor=Mention: Name\", \"actor=Individual\", \"actor=Wikipedia:12345\"]"])
        #expect(result.annotations[0].note.contains("discontinuous span in 2 pieces (0..<5, 16..<23)"))
        #expect(result.annotations[3].note == "Reference Wikipedia:12345: Interpol (organisation)")
        #expect(result.relations.count == 1)
        #expect(result.relations.first?.type == "undertakes" && result.relations.first?.note == "signed\nthe same day")
        #expect(result.relations.first?.from == result.annotations[3].id && result.relations.first?.to == result.annotations[2].id)
    }

    @Test("Import merges into a store: nothing there is dropped, repeats collapse (their new notes added), a second import adds nothing")
    func importMerges() throws {
        let folder = try ExportTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (document, contents) = try Self.fixture(in: folder)
        let text = Self.text
        let ann = """
            T1\tactor 0 6\tAnkara
            N1\tReference T1 gloss:state/Turkey\tTurkey
            #1\tAnnotatorNotes T1\tfrom brat
            T2\tthreat 0 6\tAnkara
            T3\tactor 102 108\tThe EU

            """
        let path = try Self.bratFiles(ann, text: text, name: "other", in: folder)
        let result = try BratImporter.read(annotationFile: path, document: document, codebook: Self.codebook, author: "bo")
        // T1 and T2 share a span: one annotation with both tags, so not the store's Ankara (actor only)
        #expect(result.annotations.map(\.tags.count) == [2, 1])
        let merged = BratImporter.merge(result, into: contents)
        #expect(merged.added == 2 && merged.collapsed == 0)
        #expect(Set(contents.annotations).isSubset(of: Set(merged.contents.annotations)), "every annotation of the store kept as it was")
        #expect(merged.contents.relations == contents.relations && merged.contents.memo == contents.memo)

        let again = BratImporter.merge(try BratImporter.read(annotationFile: path, document: document, codebook: Self.codebook, author: "bo"),
                                       into: merged.contents)
        #expect(again.added == 0 && again.collapsed == 2 && again.notesJoined == 0)
        #expect(again.contents == merged.contents)

        // the store's own annotation, repeated with a new note: the note joins the old
        let repeatAnn = "T1\tactor 0 6\tAnkara\nN1\tReference T1 gloss:state/Turkey\tTurkey\n#1\tAnnotatorNotes T1\tseen in brat\n"
        let repeatPath = try Self.bratFiles(repeatAnn, text: text, name: "repeat", in: folder)
        let joined = BratImporter.merge(try BratImporter.read(annotationFile: repeatPath, document: document, codebook: Self.codebook, author: "bo"),
                                        into: contents)
        #expect(joined.added == 0 && joined.collapsed == 1 && joined.notesJoined == 1)
        #expect(joined.contents.annotations.first?.note == Self.note + "\n\nseen in brat")
        #expect(joined.contents.annotations.first?.id == contents.annotations.first?.id)
    }

    @Test("Import: a .txt that is not the document's text is refused, naming both; with byQuote the spans are placed by their quotes")
    func importOtherText() throws {
        let folder = try ExportTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let bratText = "Short intro.\nInterpol met Europol in Lyon."
        let documentText = "A much longer introduction, rewritten.\nInterpol met Europol in Lyon."
        let path = try Self.bratFiles("T1\tactor 13 21\tInterpol\nT2\tactor 26 33\tEuropol\nR1\tacts-on Arg1:T1 Arg2:T2\n", text: bratText, in: folder)
        let documentPath = folder.appendingPathComponent("article.txt").path
        try Data(documentText.utf8).write(to: URL(fileURLWithPath: documentPath))
        let document = try Document(contentsOfFile: documentPath)
        #expect {
            try BratImporter.read(annotationFile: path, document: document, codebook: Self.codebook, author: "bo")
        } throws: { error in
            let description = "\(error)"
            return description.contains("doc.txt") && description.contains("article.txt") && description.contains("--by-quote")
        }
        let placed = try BratImporter.read(annotationFile: path, document: document, codebook: Self.codebook, author: "bo", byQuote: true)
        #expect(placed.annotations.map(\.range) == [ExportTests.span(of: "Interpol", in: documentText), ExportTests.span(of: "Europol", in: documentText)])
        #expect(placed.moved == 2 && placed.orphans.isEmpty && placed.relations.count == 1)

        #expect(throws: BratImporter.ImportError.self) {
            try BratImporter.read(annotationFile: folder.appendingPathComponent("missing.ann").path, document: document, codebook: Self.codebook, author: "bo")
        }
        try Data([0x54, 0x31, 0x09, 0xFF, 0xFE]).write(to: URL(fileURLWithPath: path))
        #expect(throws: BratImporter.ImportError.self) {
            try BratImporter.read(annotationFile: path, document: document, codebook: Self.codebook, author: "bo", byQuote: true)
        }
    }

    /// The text-bound lines of an `.ann`: type and offsets field, e.g. `GPE 549 560`.
    static func textBound(_ ann: String) -> [String] {
        ann.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            return fields.first?.hasPrefix("T") == true && fields.count > 1 ? String(fields[1]) : nil
        }
    }

    @Test("Every text-bound annotation of the brat tutorial corpus survives import and a brat export: same types and offsets, check-brat.py accepts it")
    func tutorialCorpus() throws {
        let folder = try ExportTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let codebook = try Codebook.load(path: ExportTests.packageRoot.appendingPathComponent("Resources/codebook.json").path)
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.bratCorpus.path).filter { $0.hasSuffix(".ann") }.sorted()
        #expect(names.count == 13)
        var items: [BratExporter.Item] = []
        var originals: [String: [String]] = [:]
        var notHeld = 0
        for name in names {
            let stem = String(name.dropLast(4))
            let copy = folder.appendingPathComponent(stem + ".txt")
            try FileManager.default.copyItem(at: Self.bratCorpus.appendingPathComponent(stem + ".txt"), to: copy)
            let document = try Document(contentsOfFile: copy.path)
            let annPath = Self.bratCorpus.appendingPathComponent(name).path
            let result = try BratImporter.read(annotationFile: annPath, document: document, codebook: codebook, author: "bo")
            #expect(!result.messages.contains { $0.kind == .malformed }, "\(name): \(result.messages)")
            notHeld += result.messages.filter { $0.kind == .notHeld }.count
            items.append(BratExporter.Item(name: stem, label: name, document: document,
                                           contents: BratImporter.merge(result, into: StoreContents()).contents, codebook: codebook))
            originals[stem] = Self.textBound(try String(contentsOfFile: annPath, encoding: .utf8))
        }
        #expect(notHeld > 0, "events, equivalences and notes on events are reported")
        let output = try BratExporter.export([BratExporter.Folder(coder: nil, items: items)])
        let out = folder.appendingPathComponent("out")
        try BratExporter.write(output, to: out.path)
        var total = 0
        for (stem, original) in originals {
            let exported = Self.textBound(try String(contentsOf: out.appendingPathComponent(stem + ".ann"), encoding: .utf8))
            #expect(Set(exported) == Set(original), "\(stem)")
            #expect(try Data(contentsOf: out.appendingPathComponent(stem + ".txt")) == Data(contentsOf: Self.bratCorpus.appendingPathComponent(stem + ".txt")))
            total += Set(original).count
        }
        #expect(output.textBoundCount == total)
        guard ExportTests.requirePython(modules: []) else { return }
        try Self.expectCheckBratAccepts(out.path, textBound: total)
    }

    @Test("The output folder: replaces an earlier export (stale files gone), refuses a folder of other files or a file")
    func outputFolder() throws {
        let folder = try ExportTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (document, contents) = try Self.fixture(in: folder)
        let output = try BratExporter.export([BratExporter.Folder(coder: nil, items: [
            BratExporter.Item(name: "article", label: "store", document: document, contents: contents, codebook: Self.codebook),
        ])])
        let out = folder.appendingPathComponent("out")
        try BratExporter.write(output, to: out.path)
        try Data("stale".utf8).write(to: out.appendingPathComponent("old.ann"))
        try BratExporter.write(output, to: out.path)
        #expect(Set(try Self.files(in: out).keys) == ["article.txt", "article.ann", "annotation.conf"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).allSatisfy { !$0.hasPrefix(".") }, "no staging folder left")

        #expect(throws: BratExportError.self) { try BratExporter.write(output, to: folder.path) }
        #expect(throws: BratExportError.self) { try BratExporter.write(output, to: folder.appendingPathComponent("article.txt").path) }
        #expect(try String(contentsOfFile: folder.appendingPathComponent("article.txt").path, encoding: .utf8) == Self.text)
        #expect(BratExporter.names(forDocuments: ["a/news.txt", "b/news.txt", "b/News.md", "c/report.html", ".txt"]) == ["news", "news-2", "News-3", "report", ".txt"])
    }
}
