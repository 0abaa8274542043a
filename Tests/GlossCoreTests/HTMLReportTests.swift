import Foundation
import GlossTestSupport
import Testing
@testable import GlossCore

/// Gloss's tag, not Swift Testing's `Tag`.
private typealias Tag = GlossCore.Tag

/// The HTML report (`--format html`): a golden page of the exporters' shared fixture, and
/// every report here parsed by Python's html5lib in strict mode, its marks, table, notes
/// and relations checked against the texts and annotations (``HTMLReportCheck``).
@Suite struct HTMLReportTests {

    /// What the check expects of a document: its text, annotations, orphans and relations.
    static func expected(_ document: Document, _ contents: StoreContents, relations: Int? = nil) -> HTMLReportCheck.Expected {
        HTMLReportCheck.Expected(
            text: document.text,
            annotations: contents.annotations.map { ($0.id, $0.start, $0.end, $0.quote, $0.note) },
            orphans: contents.orphans.map { ($0.id, $0.quote) },
            relations: relations ?? contents.relations.count)
    }

    /// Writes `html` to `folder` and expects ``HTMLReportCheck`` to find nothing wrong.
    @discardableResult
    static func expectValid(_ html: String, in folder: URL, documents: [HTMLReportCheck.Expected],
                            sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Int] {
        let path = folder.appendingPathComponent("report-\(UUID().uuidString).html").path
        try Data(html.utf8).write(to: URL(fileURLWithPath: path))
        guard ExportTests.requirePython(modules: ["html5lib"]) else { return [:] }
        let (problems, checked) = try HTMLReportCheck.check(report: path, documents: documents)
        #expect(problems == [], "html5lib and the report checks:\n\(problems.joined(separator: "\n"))", sourceLocation: sourceLocation)
        #expect(checked["documents"] == documents.count, sourceLocation: sourceLocation)
        #expect(checked["annotations"] == documents.reduce(0) { $0 + $1.annotations.count }, sourceLocation: sourceLocation)
        return checked
    }

    @Test("The fixture's report is the golden page, and html5lib parses it without an error: overlapping and crossing spans, offset 0, the last character, an emoji and CRLFs before spans, a multi-line note with quotes and commas, a nested value, a relation")
    func goldenReportOfTheFixture() throws {
        let folder = try ExportTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (document, contents) = try BratTests.fixture(in: folder)
        let html = try HTMLExporter.export(document: document, contents: contents, codebook: BratTests.codebook)
        try ExportGoldenTests.expectGolden(html, "fixture-report.html")
        #expect(try ExportFormat.html.export(document: document, contents: contents, codebook: BratTests.codebook) == html)
        let checked = try Self.expectValid(html, in: folder, documents: [Self.expected(document, contents)])
        // "Turkey and the EU" and the measure cross: the measure is drawn by more than one mark
        #expect((checked["marks"] ?? 0) > contents.annotations.count)

        // what a reader sees, in the page's own words
        #expect(html.contains("<mark id=\"d1-m1\" class=\"k-cyan s0 l0\" data-id=\"A0000000-0000-4000-8000-000000000001\" title=\"1 Actor: state/Turkey\">Ankara</mark>"))
        #expect(html.contains("<td class=\"offsets\">0–6</td>"), "offsets in code points: the flag is two")
        #expect(html.contains("<td class=\"offsets\">102–120</td>"), "the last span ends at the last character")
        #expect(html.contains("Capital, not the state:\n&quot;Ankara&quot; means the government, as usual; see C:\\notes")
                    == false, "quotes are escaped only in attributes")
        #expect(html.contains("Capital, not the state:\n\"Ankara\" means the government, as usual; see C:\\notes"))
        #expect(html.contains("<td class=\"rel\">→ undertakes →</td>"))
        #expect(!html.contains("\r"), "no carriage return reaches the page")
    }

    @Test("Orphans, a relation to an orphan, an empty span, a span ending between CR and LF, untagged and unknown categories: html5lib parses the report and every quote is in it")
    func orphansAndOddSpans() throws {
        let folder = try ExportTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var (document, contents) = try BratTests.fixture(in: folder)
        let text = BratTests.text
        let endCR = ExportTests.span(of: "end\r", in: text)
        let crossing = ExportTests.span(of: "passenger data\r\nwith", in: text)
        contents.annotations += [
            Annotation(document: document, range: endCR, tags: [Tag(category: "mood", value: "calm")], author: "bo", date: ExportTests.date, id: "C1"),
            Annotation(document: document, range: 13..<13, tags: [Tag(category: "threat", value: "")], note: "empty span", author: "bo",
                       date: ExportTests.date, id: "C2"),
            Annotation(document: document, range: crossing, tags: [Tag(category: "threat", value: "terrorism")], author: "bo",
                       date: ExportTests.date, id: "C3"),
        ]
        var orphan = Annotation(document: document, range: 0..<6, tags: [Tag(category: "actor", value: "state")], note: "moved?",
                                author: "bo", date: ExportTests.date, id: "O1")
        orphan.quote = "Ankara <b>&amp;</b>\r\n\"gone\""
        contents.orphans = [orphan]
        contents.relations.append(Relation(type: "acts-on", from: "A0000000-0000-4000-8000-000000000002", to: "O1",
                                           author: "bo", date: ExportTests.date, id: "R2"))
        contents = StoreContents(annotations: contents.annotations, orphans: contents.orphans, relations: contents.relations, memo: "memo <i>")
        let html = try HTMLExporter.export(document: document, contents: contents, codebook: BratTests.codebook)
        try Self.expectValid(html, in: folder, documents: [Self.expected(document, contents)])
        #expect(html.contains("<td class=\"quote\">Ankara &lt;b&gt;&amp;amp;&lt;/b&gt;\n\"gone\"</td>"))
        #expect(html.contains("mood</strong> <span class=\"none\">(not in the codebook)</span>"))
        #expect(html.contains("<p class=\"pre\">memo &lt;i&gt;</p>"))
        #expect(html.contains("<a href=\"#d1-o1\">orphan 1</a>"))
    }

    @Test("The Markdown and HTML reports say why each orphan has no place (its quote is gone, or occurs without its context), never that every quote was not found again")
    func orphansSayWhy() throws {
        let folder = try ExportTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var (document, contents) = try BratTests.fixture(in: folder)
        var gone = Annotation(document: document, range: 0..<6, tags: [Tag(category: "actor", value: "state")], author: "bo",
                              date: ExportTests.date, id: "O1")
        gone.quote = "Kabul"
        // "EU" is twice in the text, neither time beside this context
        var elsewhere = Annotation(document: document, range: 0..<6, tags: [Tag(category: "actor", value: "state")], author: "bo",
                                   date: ExportTests.date, id: "O2")
        (elsewhere.quote, elsewhere.prefix, elsewhere.suffix) = ("EU", "nothing like this ", " or this either")
        contents.orphans = [gone, elsewhere]
        let notFound = Reanchoring.OrphanReason.notFound.description
        let withoutContext = Reanchoring.OrphanReason.withoutContext(copies: 2).description
        #expect(Reanchoring.orphanReason(of: gone, in: document) == .notFound)
        #expect(Reanchoring.orphanReason(of: elsewhere, in: document) == .withoutContext(copies: 2))

        let markdown = try MarkdownExporter.export(document: document, contents: contents, codebook: BratTests.codebook)
        let orphanSection = try #require(markdown.range(of: "## " + MarkdownExporter.orphanedHeading)).upperBound
        let section = String(markdown[orphanSection...])
        let kabul = try #require(section.range(of: "> Kabul")), eu = try #require(section.range(of: "> EU"))
        #expect(section[kabul.upperBound..<eu.lowerBound].contains("- Why no place: " + notFound), "\(section)")
        #expect(section[eu.upperBound...].contains("- Why no place: " + withoutContext), "\(section)")
        #expect(!markdown.contains("not found in it again"))

        let html = try HTMLExporter.export(document: document, contents: contents, codebook: BratTests.codebook)
        try Self.expectValid(html, in: folder, documents: [Self.expected(document, contents)])
        #expect(html.contains("<td class=\"quote\">Kabul</td><td class=\"reason\">\(notFound)</td>"), "\(html)")
        #expect(html.contains("<td class=\"quote\">EU</td><td class=\"reason\">\(withoutContext)</td>"), "\(html)")
        #expect(!html.contains("not found in it again"))
    }

    /// U+FFFE and U+FDD0, which a Swift literal cannot hold.
    static let noncharacters = String(String.UnicodeScalarView([Unicode.Scalar(0xFFFE)!, Unicode.Scalar(0xFDD0)!]))

    /// Text and a store full of what must not act in a page: markup, entities, quotes in
    /// attributes, C0 and C1 controls, DEL, bidi controls, noncharacters, a lone CR.
    @Test("Markup, quotes, controls, bidi controls and noncharacters in the text, the tags, notes and names are escaped or shown as the reader draws them; html5lib still parses the page without an error")
    func hostileTextIsEscaped() throws {
        let folder = try ExportTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let text = "<script>alert('x')</script> & \"quoted\" \u{1B}[31mred\u{1B}[0m bell\u{7} del\u{7F} c1\u{9B}\n"
            + "rlo \u{202E}evil\u{202C} non\(Self.noncharacters) lone\rcr tab\there ff\u{0C}x nel\u{85}y\n\n"
            + "</p><p>Closing tags &amp; entities &#x41; <!-- comment -->"
        let path = folder.appendingPathComponent("hostile <name> \u{1B}.txt").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        let document = try Document(contentsOfFile: path)
        let codebook = Codebook(name: "x", categories: [
            GlossCore.Category(id: "a\"b", label: "Label \"with\" <quotes> & 'apostrophes'", key: "a", color: "magenta",
                               description: "", values: []),
        ])
        func annotation(_ needle: String, id: String, note: String = "") -> Annotation {
            Annotation(document: document, range: ExportTests.span(of: needle, in: text), tags: [Tag(category: "a\"b", value: "v'<\u{1B}>")],
                       note: note, author: "<b>ana</b>", date: ExportTests.date, id: id)
        }
        let contents = StoreContents(annotations: [
            annotation("<script>alert('x')</script>", id: "id \"1\" <x>", note: "</td></tr></table><script>"),
            annotation("\u{1B}[31mred\u{1B}[0m bell\u{7} del\u{7F} c1\u{9B}\nrlo \u{202E}evil", id: "H2"),
            annotation("\u{202C} non\(Self.noncharacters) lone\rcr", id: "H3", note: "bidi \u{202E}note\u{202C}"),
            annotation("ff\u{0C}x nel\u{85}y\n\n</p><p>Closing", id: "H4"),
        ])
        let html = try HTMLExporter.export(document: document, contents: contents, codebook: codebook)
        try Self.expectValid(html, in: folder, documents: [Self.expected(document, contents)])
        #expect(!html.contains("<script"))
        #expect(!html.contains("<b>"))
        #expect(!html.contains("<!--"))
        for scalar in html.unicodeScalars {
            let value = scalar.value
            let control = (value < 0x20 && scalar != "\n") || (0x7F...0x9F).contains(value)
            #expect(!control && !scalar.properties.isBidiControl && !(0xFDD0...0xFDEF).contains(value) && value & 0xFFFE != 0xFFFE,
                    "U+\(String(value, radix: 16, uppercase: true)) reached the page")
        }
        #expect(html.contains("&lt;script&gt;alert('x')&lt;/script&gt;"))
        #expect(html.contains("data-id=\"id &quot;1&quot; &lt;x&gt;\""))
        #expect(html.contains("title=\"1 Label &quot;with&quot; &lt;quotes&gt; &amp; &#39;apostrophes&#39;: v&#39;&lt;␛&gt;\""))
        #expect(html.contains("\u{241B}[31mred\u{241B}[0m bell\u{2407} del\u{2421} c1\u{FFFD}"))
        #expect(html.contains("rlo ·evil</mark>") && html.contains("\">· non\u{FFFD}\u{FFFD} lone cr</mark>"))
        #expect(html.contains("<code>hostile &lt;name&gt; \u{241B}.txt</code>"))
    }

    /// The bundled sample article coded as an analyst would: a sentence of every paragraph
    /// but the first tagged by turns with each category, noted now and then, phrases
    /// inside those sentences (overlapping them), the title at offset 0 and a span over a
    /// paragraph break, two relations.
    static func codedSampleArticle(in folder: URL) throws -> (Document, StoreContents) {
        let source = ExportTests.packageRoot.appendingPathComponent("Resources/sample-article.txt")
        let path = folder.appendingPathComponent("sample-article.txt")
        try FileManager.default.copyItem(at: source, to: path)
        let document = try Document(contentsOfFile: path.path)
        let text = document.text
        let categories: [(String, String)] = [("actor", "national government"), ("threat", "terrorist financing"),
                                              ("cooperation-measure", "information sharing")]
        var annotations: [Annotation] = []
        var number = 0
        func add(_ range: Range<Int>, _ tags: [Tag], note: String = "") {
            number += 1
            annotations.append(Annotation(document: document, range: range, tags: tags, note: note, author: "ana",
                                          date: ExportTests.date, id: String(format: "5EED0000-0000-4000-8000-%012d", number)))
        }
        for (index, paragraph) in document.paragraphs.enumerated() where index > 0 {
            let sentences = SentenceSplitter.sentences(in: document.text(ofParagraph: index))
            guard !sentences.isEmpty else { continue }
            let sentence = sentences[index % sentences.count]
            let (category, value) = categories[index % categories.count]
            let range = paragraph.range.lowerBound + sentence.lowerBound..<paragraph.range.lowerBound + sentence.upperBound
            add(range, [Tag(category: category, value: value)], note: index % 3 == 1 ? "Sentence \(index), \"noted\":\nsee the declaration" : "")
        }
        let sentenceCount = annotations.count
        for phrase in ["terrorist financing", "technology companies", "Office of Counter-Terrorism", "information"] {
            var searchStart = text.startIndex
            while let found = text.range(of: phrase, range: searchStart..<text.endIndex) {
                let start = text.unicodeScalars.distance(from: text.unicodeScalars.startIndex, to: found.lowerBound)
                let category = phrase == "terrorist financing" ? "threat" : "actor"
                add(start..<start + phrase.unicodeScalars.count, [Tag(category: category, value: phrase)])
                searchStart = found.upperBound
            }
        }
        #expect(annotations.count > sentenceCount + 3, "phrases found in the article")
        add(ExportTests.span(of: "Ministers agree joint platform", in: text), [Tag(category: "cooperation-measure", value: "joint platform")])
        add(ExportTests.span(of: "VALMORA, Thursday 14 March (Coastal Herald)\n\nInterior and justice ministers", in: text),
            [Tag(category: "actor", value: "Interior and justice ministers"), Tag(category: "threat", value: "")],
            note: "Crosses a paragraph break.")
        let relations = [
            Relation(type: "acts-on", from: annotations[0].id, to: annotations[1].id, note: "the \"forum\", says who", author: "ana",
                     date: ExportTests.date, id: "5EED0000-0000-4000-8000-R00000000001"),
            Relation(type: "undertakes", from: annotations[annotations.count - 1].id, to: annotations[annotations.count - 2].id,
                     author: "ana", date: ExportTests.date, id: "5EED0000-0000-4000-8000-R00000000002"),
        ]
        return (document, StoreContents(annotations: annotations, relations: relations, memo: "Coded for the report test."))
    }

    @Test("The coded sample article's report: html5lib parses it without an error, the whole text and every quote are in it, each annotation's marks hold exactly its quote")
    func sampleArticleReport() throws {
        let folder = try ExportTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (document, contents) = try Self.codedSampleArticle(in: folder)
        let codebook = try Codebook.load(path: ExportTests.packageRoot.appendingPathComponent("Resources/codebook.json").path)
        let html = try HTMLExporter.export(document: document, contents: contents, codebook: codebook)
        let checked = try Self.expectValid(html, in: folder, documents: [Self.expected(document, contents)])
        #expect(contents.annotations.count > 12)
        #expect((checked["marks"] ?? 0) >= contents.annotations.count)
        // the title (a heading of the plain text) is an <h2>, the rest paragraphs
        #expect(html.contains("<article class=\"text\" id=\"d1-text\" aria-label=\"Text of sample-article.txt\">\n<h2><mark id=\"d1-m1\""))
        #expect(html.components(separatedBy: "<p>").count - 1 == document.paragraphs.filter { $0.kind == .body }.count)
    }

    @Test("The seed article's report (web-scraped, boilerplate, a span across a blank line, a relation): html5lib parses it without an error and every quote is in its marks and in the table")
    func seedArticleReport() throws {
        let folder = try ExportTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (document, contents) = try ExportGoldenTests.seedContents()
        let html = try HTMLExporter.export(document: document, contents: contents, codebook: ExportTests.codebook)
        let checked = try Self.expectValid(html, in: folder, documents: [Self.expected(document, contents)])
        // the check found each quote in its marks and in the table
        #expect((checked["marks"] ?? 0) >= contents.annotations.count)
        #expect(checked["annotations"] == 7)
    }

    @Test("A corpus report: one section per document, a table of contents, ids that never clash; html5lib parses it and each document's marks hold its quotes")
    func corpusReport() throws {
        let folder = try ExportTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (fixture, fixtureContents) = try BratTests.fixture(in: folder)
        let (sample, sampleContents) = try Self.codedSampleArticle(in: folder)
        let entries = [
            CorpusEntry(name: "news/article.txt", document: fixture, contents: fixtureContents, codebook: BratTests.codebook),
            CorpusEntry(name: "sample-article.txt", document: sample, contents: sampleContents, codebook: ExportTests.codebook),
            CorpusEntry(name: "empty.txt", document: Document(text: "", path: "empty.txt"), contents: StoreContents(), codebook: ExportTests.codebook),
        ]
        let html = try ExportFormat.html.export(corpus: entries, label: "Corpus: news sample-article.txt")
        try Self.expectValid(html, in: folder, documents: [Self.expected(fixture, fixtureContents), Self.expected(sample, sampleContents),
                                                          HTMLReportCheck.Expected(text: "", annotations: [])])
        #expect(html.contains("<h1>Corpus: news sample-article.txt</h1>\n<p class=\"meta\">3 documents, \(fixtureContents.annotations.count + sampleContents.annotations.count) annotations."))
        #expect(html.contains("<li><a href=\"#d2\">Ministers agree joint platform to curb terrorist financing and online incitement</a>"))
        #expect(html.contains("<h2 id=\"d3-title\">empty.txt</h2>"))
        #expect(html.contains("<p class=\"none\">The document is empty.</p>"))
    }

    /// WCAG 2 relative luminance of `#rrggbb`.
    static func luminance(_ hex: String) -> Double {
        let value = Int(hex.dropFirst(), radix: 16)!
        let channels = [(value >> 16) & 0xFF, (value >> 8) & 0xFF, value & 0xFF].map { channel -> Double in
            let c = Double(channel) / 255
            return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4)
        }
        return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]
    }

    static func contrast(_ a: String, _ b: String) -> Double {
        let (x, y) = (luminance(a), luminance(b))
        return (max(x, y) + 0.05) / (min(x, y) + 0.05)
    }

    @Test("Every codebook colour has strong and tint colours: labels at least 4.5:1 on white and on every tint (WCAG AA), body text at least 7:1 on every tint (AAA)")
    func paletteContrast() {
        #expect(Set(HTMLExporter.palette.keys) == Set(Codebook.colorNames + ["none"]))
        let tints = HTMLExporter.palette.values.map(\.tint)
        for (name, colour) in HTMLExporter.palette {
            #expect(Self.contrast(colour.strong, "#ffffff") >= 4.5, "\(name) labels on white")
            for tint in tints { #expect(Self.contrast(colour.strong, tint) >= 4.5, "\(name) labels on \(tint)") }
            #expect(Self.contrast(HTMLExporter.textColour, colour.tint) >= 7, "text on \(name)'s tint")
        }
    }

    @Test func shownTextDropsTheCROfCRLFAndShowsControls() {
        #expect(HTMLExporter.shown("a\r\nb\rc\td\u{1B}e\u{202E}f" + Self.noncharacters) == "a\nb c d\u{241B}e\u{B7}f\u{FFFD}\u{FFFD}")
        #expect(HTMLExporter.text("<a href=\"x\">&'") == "&lt;a href=\"x\"&gt;&amp;'")
        #expect(HTMLExporter.attribute("<a href=\"x\">&'\n") == "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&#10;")
    }
}
