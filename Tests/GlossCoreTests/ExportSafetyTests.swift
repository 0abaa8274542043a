import Foundation
import GlossTestSupport
import Testing
@testable import GlossCore

/// Gloss's tag, not Swift Testing's `Tag`.
private typealias Tag = GlossCore.Tag

/// Exports are safe to open: the CSV runs nothing in a spreadsheet (checked by reading it
/// back with Python's `csv` module), the Markdown report renders as the text it holds
/// (checked by rendering it with markdown-it-py), neither carries the text's control
/// characters raw into a report, and a text damaged past the part checked on opening is
/// refused.
@Suite struct ExportSafetyTests {

    // MARK: Fixtures

    /// Cell contents a spreadsheet would run as a formula (OWASP, CSV injection).
    static let injections = ["=HYPERLINK(\"http://example.invalid\",\"x\")", "+SUM(1,2)", "-2+3", "@cmd", "\tTAB", "\rCR"]

    /// Text that CommonMark (and GitHub's tables and strikethrough) would turn into
    /// elements if written as it is.
    static let markup = [
        "a*1.5 + b*.15", "[x](http://example.invalid)", "<b>bold</b>", "<img src=x onerror=alert(1)>",
        "# not a heading", "1. not a list", "left | right\n--- | ---", "a | b",
        "    four spaces, code", "first\n---", "- item", "* star", "> nested", "```fence", "~~struck~~",
        "&amp; &#65; &copy;", "trailing  \nbreak", "![i](x.png)", "<http://example.invalid>", "_under_ `tick`",
        "2) two", "[ref]: http://example.invalid",
    ]

    /// A quote that sets the foreground colour to red and back, when written raw to a terminal.
    static let colouredQuote = "\u{1B}[0;31mred\u{1B}[0m"

    /// A document of the line `intro` (its title), a blank line and `lines`, written to `folder` as
    /// `name`, and one annotation per line of `lines` whose quote is the line; each is
    /// tagged with `values` (one value per line, in turn) under category `actor`, and
    /// noted with `notes` likewise.
    static func fixture(intro: String = "Intro line.", lines: [String], values: [String], notes: [String],
                        author: String = "ana", name: String, in folder: URL) throws -> (Document, [Annotation], String) {
        // a blank line keeps the intro a paragraph of its own, the title
        let text = intro + "\n\n" + lines.joined(separator: "\n") + "\n"
        let path = folder.appendingPathComponent(name).path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        let document = try Document(contentsOfFile: path)
        var annotations: [Annotation] = []
        var start = intro.unicodeScalars.count + 2
        for (number, line) in lines.enumerated() {
            let length = line.unicodeScalars.count
            let id = String(format: "00000000-0000-4000-8000-%012d", number)
            annotations.append(Annotation(document: document, range: start..<start + length,
                                          tags: [Tag(category: "actor", value: values[number % values.count])],
                                          note: notes[number % notes.count], author: author, date: ExportTests.date, id: id))
            #expect(annotations.last?.quote == line)
            start += length + 1
        }
        return (document, annotations, path)
    }

    // MARK: CSV

    @Test func csvTextCellsBeginningWithAFormulaCharacterGetAQuoteMark() {
        for injection in Self.injections {
            #expect(CSVExporter.textCell(injection) == "'" + injection)
        }
        #expect(CSVExporter.textCell("plain") == "plain")
        #expect(CSVExporter.textCell("") == "")
        #expect(CSVExporter.textCell("a=b") == "a=b")
        #expect(CSVExporter.textCell("'quoted") == "'quoted")
        // A trigger followed by a combining mark is still the first scalar.
        #expect(Array(CSVExporter.textCell("-\u{301}").unicodeScalars) == Array("'-\u{301}".unicodeScalars))
    }

    /// The injection fixture's CSV, read back by Python's `csv` module: every text cell
    /// that began with a formula character (in the quote, the value, the note, the author
    /// and the document's name) has a leading `'` and otherwise its exact text, and `start`
    /// and `end` are the offsets, unchanged.
    @Test func csvOfTheInjectionFixtureOpensWithEveryTextCellPrefixedAndNumbersIntact() throws {
        guard ExportTests.requirePython(modules: ["csv"]) else { return }
        let folder = try ExportTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let values = Array(Self.injections.dropFirst()) + [Self.injections[0]]
        let notes = Array(Self.injections.dropFirst(2)) + Array(Self.injections.prefix(2))
        let (document, annotations, _) = try Self.fixture(lines: Self.injections, values: values, notes: notes,
                                                          author: "=cmd|' /C calc'!A0", name: "@cells.txt", in: folder)
        let csv = try CSVExporter.export(document: document, annotations: annotations)
        let path = folder.appendingPathComponent("injection.csv").path
        try Data(csv.utf8).write(to: URL(fileURLWithPath: path))
        let script = """
        import csv, json, sys
        with open(sys.argv[1], newline="", encoding="utf-8") as f:
            rows = list(csv.reader(f, strict=True))
        sys.stdout.write(json.dumps(rows, ensure_ascii=True))
        """
        let result = try ExportTests.python(["-c", script, path])
        #expect(result.status == 0, "python csv could not read the export: \(result.error)")
        let rows = try JSONDecoder().decode([[String]].self, from: Data(result.output.utf8))
        try #require(rows.count == annotations.count + 1)
        #expect(rows[0] == CSVExporter.columns)
        let triggers: Set<Unicode.Scalar> = ["=", "+", "-", "@", "\t", "\r"]
        let numeric: Set<Int> = [2, 3]
        for (row, annotation) in zip(rows.dropFirst(), annotations) {
            let tag = annotation.tags[0]
            let exact = [document.fileName, annotation.id, String(annotation.start), String(annotation.end),
                         annotation.quote, tag.category, tag.value, annotation.note, annotation.author,
                         annotation.created, annotation.modified]
            for (column, cell) in row.enumerated() {
                let original = exact[column]
                if numeric.contains(column) {
                    #expect(cell == original, "\(CSVExporter.columns[column]) changed")
                    #expect(Int(cell) != nil)
                } else if let first = original.unicodeScalars.first, triggers.contains(first) {
                    #expect(Array(cell.unicodeScalars) == Array(("'" + original).unicodeScalars),
                            "\(CSVExporter.columns[column]) \(original.debugDescription) came back as \(cell.debugDescription)")
                } else {
                    #expect(Array(cell.unicodeScalars) == Array(original.unicodeScalars))
                }
            }
            // the quote, the value and the note each begin with a formula character here
            #expect(row[4].hasPrefix("'") && row[6].hasPrefix("'") && row[7].hasPrefix("'"))
        }
        #expect(rows.dropFirst().allSatisfy { $0[0] == "'@cells.txt" && $0[8] == "'=cmd|' /C calc'!A0" })
        #expect(rows.dropFirst().map { Int($0[2])! } == annotations.map(\.start))
        #expect(rows.dropFirst().map { Int($0[3])! } == annotations.map(\.end))
    }

    // MARK: Markdown

    /// What markdown-it-py made of a report: its HTML, and every element with its parent
    /// and the text inside it.
    struct Rendered: Decodable {
        struct Element: Decodable {
            var tag: String
            var parent: String?
            var attributes: Int
            var text: String
        }
        var html: String
        var elements: [Element]

        func texts(of tag: String) -> [String] { elements.filter { $0.tag == tag }.map { Rendered.normalized($0.text) } }

        /// `text` with runs of white space made one space, and trimmed.
        static func normalized(_ text: String) -> String {
            text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
        }
    }

    /// Renders `report` with markdown-it-py's CommonMark preset (raw HTML on, as the spec
    /// has it) plus GitHub's tables and strikethrough, and parses the HTML with Python's
    /// `html.parser`.
    static func render(_ report: String, in folder: URL) throws -> Rendered? {
        let path = folder.appendingPathComponent("report-\(UUID().uuidString).md").path
        try Data(report.utf8).write(to: URL(fileURLWithPath: path))
        let script = """
        import json, sys
        from html.parser import HTMLParser
        from markdown_it import MarkdownIt
        with open(sys.argv[1], encoding="utf-8") as f:
            html = MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(f.read())
        VOID = {"br", "hr", "img", "input", "meta", "link", "wbr", "source", "area", "base", "col", "embed", "param", "track"}
        class Parser(HTMLParser):
            def __init__(self):
                super().__init__(convert_charrefs=True)
                self.stack, self.elements = [], []
            def handle_starttag(self, tag, attrs):
                element = {"tag": tag, "parent": self.stack[-1]["tag"] if self.stack else None,
                           "attributes": len(attrs), "text": ""}
                self.elements.append(element)
                if tag not in VOID:
                    self.stack.append(element)
            def handle_startendtag(self, tag, attrs):
                self.elements.append({"tag": tag, "parent": self.stack[-1]["tag"] if self.stack else None,
                                      "attributes": len(attrs), "text": ""})
            def handle_endtag(self, tag):
                while self.stack:
                    if self.stack.pop()["tag"] == tag:
                        break
            def handle_data(self, data):
                for element in self.stack:
                    element["text"] += data
        parser = Parser()
        parser.feed(html)
        parser.close()
        sys.stdout.write(json.dumps({"html": html, "elements": parser.elements}))
        """
        let result = try ExportTests.python(["-c", script, path])
        guard result.status == 0 else {
            Issue.record("markdown-it-py did not render the report (pip install markdown-it-py; .ci/run installs it): \(result.error)")
            return nil
        }
        return try JSONDecoder().decode(Rendered.self, from: Data(result.output.utf8))
    }

    /// Checks that every element of `rendered` is one the exporter makes, where it makes
    /// it: headings, paragraphs, blockquotes holding paragraphs, lists of text items, the
    /// file name's code span and the exporter's own `_None._` and `_No annotations._`.
    static func expectOnlyTheReportsOwnElements(_ rendered: Rendered, fileName: String,
                                                sourceLocation: SourceLocation = #_sourceLocation) {
        for element in rendered.elements {
            let place = "\(element.tag) in \(element.parent ?? "the top") holding \(element.text.debugDescription)"
            #expect(element.attributes == 0, "\(place)", sourceLocation: sourceLocation)
            switch element.tag {
            case "h1", "h2", "h3", "blockquote", "ul":
                #expect(element.parent == nil, "\(place)", sourceLocation: sourceLocation)
            case "p":
                #expect(element.parent == nil || element.parent == "blockquote", "\(place)", sourceLocation: sourceLocation)
            case "li":
                #expect(element.parent == "ul", "\(place)", sourceLocation: sourceLocation)
            case "em":
                #expect(element.parent == "p" && ["None.", "No annotations."].contains(element.text), "\(place)",
                        sourceLocation: sourceLocation)
            case "code":
                #expect(element.parent == "p" && element.text == fileName, "\(place)", sourceLocation: sourceLocation)
            default:
                Issue.record("an element made from the text: \(place)", sourceLocation: sourceLocation)
            }
        }
    }

    /// Every markup sample as a quote, a value and a note, and the title made of markup,
    /// renders as that text, and the only elements are the report's own.
    @Test func markdownReportOfMarkupRendersLiterallyUnderCommonMark() throws {
        guard ExportTests.requirePython(modules: ["markdown_it"]) else { return }
        let folder = try ExportTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let title = "<b>Title</b> *a*1.5 + b*.15 | [x](http://example.invalid) ##"
        let values = Self.markup.filter { !$0.contains("\n") }
        let notes = Self.markup.reversed().map { $0 }
        let (document, annotations, _) = try Self.fixture(intro: title, lines: Self.markup, values: values, notes: notes,
                                                          name: "markup.txt", in: folder)
        #expect(document.title == title)
        let orphan = Annotation(id: "99999999-9999-4999-8999-999999999999", start: 0, end: 0, quote: "<i>gone</i> *x*",
                                prefix: "", suffix: "", tags: [Tag(category: "[c](x)", value: "`v`")],
                                note: "# note\n1. more", author: "ana", created: "2026-11-18T11:06:40Z", modified: "2026-11-18T11:06:40Z")
        let report = try MarkdownExporter.export(document: document, annotations: annotations, orphans: [orphan],
                                                 codebook: ExportTests.codebook)
        let rendered = try #require(try Self.render(report, in: folder))
        Self.expectOnlyTheReportsOwnElements(rendered, fileName: "markup.txt")

        // The title, category and value headings say what the text says.
        let normalized = Rendered.normalized
        var valueHeadings: [String] = []
        for annotation in annotations where !valueHeadings.contains(annotation.tags[0].value) {
            valueHeadings.append(annotation.tags[0].value)
        }
        #expect(rendered.texts(of: "h1") == [normalized(title)])
        #expect(rendered.texts(of: "h2") == ["Actor", "Threat", "Cooperation measure", "Annotations without tags",
                                             "Orphaned annotations"])
        // the markup values are not in the vocabulary: in the order they first occur
        #expect(rendered.texts(of: "h3") == valueHeadings.map(normalized))
        // One blockquote per quote, holding the quote's text; every note's text in a list item.
        // (grouped by value, so compared as sets)
        #expect(rendered.texts(of: "blockquote").sorted() == (annotations + [orphan]).map { normalized($0.quote) }.sorted())
        let items = rendered.texts(of: "li")
        for annotation in annotations {
            #expect(items.contains("Note: " + normalized(annotation.note)), "note \(annotation.note.debugDescription)")
        }
        #expect(items.contains("Tags: [c](x): `v`"))
        #expect(items.contains("Note: # note 1. more"))
        // Exact text, leading and doubled spaces included, inside the blockquote.
        let fourSpaces = try #require(rendered.elements.first { $0.tag == "blockquote" && $0.text.contains("four spaces") })
        #expect(fourSpaces.text.contains("    four spaces, code"))
    }

    @Test func markdownEscapesLineStartsAndInlineMarkup() {
        #expect(MarkdownExporter.escapedLine("a*1.5 + b*.15") == "a\\*1.5 + b\\*.15")
        #expect(MarkdownExporter.escapedLine("[x](http://example.invalid)") == "\\[x\\](http://example.invalid)")
        #expect(MarkdownExporter.escapedLine("<b>bold</b>") == "\\<b\\>bold\\</b\\>")
        #expect(MarkdownExporter.escapedLine("# h") == "\\# h")
        #expect(MarkdownExporter.escapedLine("1. x") == "1\\. x")
        #expect(MarkdownExporter.escapedLine("12) x") == "12\\) x")
        #expect(MarkdownExporter.escapedLine("1.5 x") == "1\\.5 x")
        #expect(MarkdownExporter.escapedLine("-2+3") == "\\-2+3")
        #expect(MarkdownExporter.escapedLine("a | b") == "a \\| b")
        #expect(MarkdownExporter.escapedLine("    code") == "&#32;   code")
        #expect(MarkdownExporter.escapedLine("end  ") == "end &#32;")
        #expect(MarkdownExporter.escapedLine("   ") == "")
        #expect(MarkdownExporter.escapedLine("plain words, \"quoted\".") == "plain words, \"quoted\".")
    }

    // MARK: Control characters

    @Test func controlPicturesAreTheReadersForms() {
        #expect(ControlPictures.visible("\u{1B}[0;31m") == "\u{241B}[0;31m")
        #expect(ControlPictures.visible("\u{0}\u{7}\u{1F}") == "\u{2400}\u{2407}\u{241F}")
        #expect(ControlPictures.visible("\u{7F}") == "\u{2421}")
        #expect(ControlPictures.visible("\u{80}\u{9B}\u{9F}") == "\u{FFFD}\u{FFFD}\u{FFFD}")
        #expect(ControlPictures.visible("a\tb\u{B}c\u{C}d\u{85}e") == "a b c d e")
        #expect(ControlPictures.visible("a\r\nb\nc\rd") == "a  b c d")
        // a lone carriage return ends a line too (classic Mac OS text): shown as a line feed
        #expect(ControlPictures.visible("a\r\nb\nc\rd", keepingLineEnds: true) == "a\r\nb\nc\nd")
        #expect(ControlPictures.visible("caf\u{E9} \u{1F600} \u{A0}") == "caf\u{E9} \u{1F600} \u{A0}")
        #expect(ControlPictures.picture(of: "a") == nil)
    }

    /// A quote, a value, a note, the title and the file name holding ESC, BEL, DEL and a
    /// C1 control: the report holds none of them raw, only their pictures, and renders
    /// the pictures as text.
    @Test func markdownReportCarriesNoRawControlCharacters() throws {
        guard ExportTests.requirePython(modules: ["markdown_it"]) else { return }
        let folder = try ExportTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let fileName = "rep\u{1B}]0;pwned\u{7}ort.txt"
        let lines = [Self.colouredQuote, "bell\u{7} del\u{7F} csi\u{9B}31m nul-free"]
        let (document, annotations, _) = try Self.fixture(
            intro: "Title \u{1B}[2J\u{7}", lines: lines, values: ["\u{1B}[5mblink"], notes: ["note \u{1B}]0;title\u{7}\nsecond \u{9B}1m"],
            name: fileName, in: folder)
        let report = try MarkdownExporter.export(document: document, annotations: annotations, codebook: ExportTests.codebook)
        let controls = report.unicodeScalars.filter { $0 != "\n" && ControlPictures.isControl($0) }
        #expect(controls.isEmpty, "raw controls in the report: \(controls.map { String($0.value, radix: 16) })")
        let shownName = "rep\u{241B}]0;pwned\u{2407}ort.txt"
        #expect(report.contains("File `\(shownName)`"))
        let rendered = try #require(try Self.render(report, in: folder))
        Self.expectOnlyTheReportsOwnElements(rendered, fileName: shownName)
        #expect(rendered.texts(of: "h1") == ["Title \u{241B}[2J\u{2407}"])
        #expect(rendered.texts(of: "h3") == ["\u{241B}[5mblink"])
        #expect(rendered.texts(of: "blockquote").contains("\u{241B}[0;31mred\u{241B}[0m"))
        #expect(rendered.texts(of: "blockquote").contains("bell\u{2407} del\u{2421} csi\u{FFFD}31m nul-free"))
        #expect(rendered.texts(of: "li").contains("Note: note \u{241B}]0;title\u{2407} second \u{FFFD}1m"))
    }

    /// The bidirectional formatting controls (Unicode's Bidi_Control), each a grapheme
    /// cluster of its own, which the reader draws as a middle dot.
    static let bidiControls: [Unicode.Scalar] = ["\u{061C}", "\u{200E}", "\u{200F}", "\u{202A}", "\u{202B}", "\u{202C}",
                                                  "\u{202D}", "\u{202E}", "\u{2066}", "\u{2067}", "\u{2068}", "\u{2069}"]

    @Test func bidiControlsAreShownAsTheReaderDrawsThemOnlyWhenAsked() {
        let all = String(String.UnicodeScalarView(Self.bidiControls))
        #expect(Self.bidiControls.allSatisfy(ControlPictures.isBidiControl))
        #expect(!ControlPictures.isBidiControl("\u{200D}") && !ControlPictures.isBidiControl("a"))
        #expect(ControlPictures.formatCharacter == "\u{00B7}")
        #expect(ControlPictures.visible("a" + all + "\u{1B}", showingBidiControls: true)
                == "a" + String(repeating: "\u{00B7}", count: Self.bidiControls.count) + "\u{241B}")
        #expect(ControlPictures.visible("a" + all) == "a" + all)
        #expect(MarkdownExporter.escapedLine("x\u{202E}y") == "x\u{00B7}y")
    }

    /// Trojan Source: bidi controls in a quote, a value, a note, the title and the file
    /// name. The report holds none of them raw, only the reader's middle dot, and renders
    /// it as text; CSV and W3C keep the exact text.
    @Test func markdownReportShowsBidiControlsAsTheReaderDrawsThem() throws {
        guard ExportTests.requirePython(modules: ["markdown_it"]) else { return }
        let folder = try ExportTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        func shown(_ text: String) -> String {
            String(String.UnicodeScalarView(text.unicodeScalars.map { Self.bidiControls.contains($0) ? "\u{00B7}" : $0 }))
        }
        let fileName = "report\u{202E}txt.exe\u{202C}.txt"
        let trojan = "if role != \"user\u{202E} \u{2066}// admin only\u{2069} \u{2066}\" {"
        let lines = [trojan, "all: " + String(String.UnicodeScalarView(Self.bidiControls))]
        let title = "Title \u{2067}RTL\u{2069} \u{200F}"
        let note = "note \u{202B}embedded\u{202C}\nsecond \u{061C}line \u{200E}"
        let (document, annotations, _) = try Self.fixture(intro: title, lines: lines, values: ["\u{202D}value\u{202C}"],
                                                          notes: [note], name: fileName, in: folder)
        let orphan = Annotation(id: "99999999-9999-4999-8999-999999999999", start: 0, end: 5, quote: "gone\u{202E}",
                                prefix: "", suffix: "", tags: [Tag(category: "actor", value: "\u{2066}x")], note: "",
                                author: "ana", created: "2026-11-18T11:06:40Z", modified: "2026-11-18T11:06:40Z")
        let report = try MarkdownExporter.export(document: document, annotations: annotations, orphans: [orphan],
                                                 codebook: ExportTests.codebook)
        let raw = report.unicodeScalars.filter { $0.properties.isBidiControl }
        #expect(raw.isEmpty, "raw bidi controls in the report: \(raw.map { String($0.value, radix: 16) })")
        #expect(report.contains("File `\(shown(fileName))`"))
        let rendered = try #require(try Self.render(report, in: folder))
        Self.expectOnlyTheReportsOwnElements(rendered, fileName: shown(fileName))
        #expect(rendered.texts(of: "h1") == [Rendered.normalized(shown(title))])
        #expect(rendered.texts(of: "h3") == [shown("\u{202D}value\u{202C}")])
        #expect(rendered.texts(of: "blockquote").sorted() == (lines + ["gone\u{202E}"]).map { Rendered.normalized(shown($0)) }.sorted())
        #expect(rendered.texts(of: "li").contains("Note: " + Rendered.normalized(shown(note))))
        #expect(rendered.texts(of: "li").contains("Tags: actor: \u{00B7}x"))

        // the other formats are data, not displays: exact text
        let csv = try CSVExporter.export(document: document, annotations: annotations)
        let w3c = try W3CExporter.export(document: document, annotations: annotations)
        for output in [csv, w3c] {
            #expect(Self.bidiControls.allSatisfy(output.unicodeScalars.contains), "\(output.prefix(80))")
            #expect(!output.unicodeScalars.contains("\u{00B7}"))
        }
    }

    /// The reader draws a lone carriage return as a space: so does the report, in a quote
    /// and a note, rather than break the line there. LF and CRLF still break lines.
    @Test func markdownReportShowsALoneCarriageReturnAsASpace() throws {
        guard ExportTests.requirePython(modules: ["markdown_it"]) else { return }
        let folder = try ExportTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let lines = ["over\rwritten", "two\r\nlines", "plain"]
        let notes = ["carriage\rreturn", "first\r\nsecond\nthird", "ends\r"]
        let (document, annotations, _) = try Self.fixture(lines: lines, values: ["v"], notes: notes, name: "cr.txt", in: folder)
        let report = try MarkdownExporter.export(document: document, annotations: annotations, codebook: ExportTests.codebook)
        #expect(!report.unicodeScalars.contains("\r"))
        #expect(report.contains("> over written\n"))
        #expect(report.contains("> two\n> lines\n"))
        #expect(report.contains("- Note: carriage return\n"))
        #expect(report.contains("- Note: first\n  second\n  third\n"))
        let rendered = try #require(try Self.render(report, in: folder))
        Self.expectOnlyTheReportsOwnElements(rendered, fileName: "cr.txt")
        // exact text, not normalised: a line break would render as "\n"
        let quotes = rendered.elements.filter { $0.tag == "p" && $0.parent == "blockquote" }.map(\.text)
        #expect(quotes == ["over written", "two\nlines", "plain"], "\(quotes)")
        let items = rendered.elements.filter { $0.tag == "li" }.map(\.text)
        #expect(items.contains("Note: carriage return"), "\(items)")
        #expect(items.contains("Note: first\nsecond\nthird"), "\(items)")
        #expect(items.contains("Note: ends "), "\(items)")
    }

    // MARK: Damaged text

    /// A file over ``Document/eagerByteCount`` with an invalid byte past the first megabyte
    /// opens, but no format exports it: each throws the error opening a small file with
    /// the same bytes throws.
    @Test(arguments: ExportFormat.allCases)
    func exportRefusesATextWithAnInvalidBytePastTheFirstMegabyte(format: ExportFormat) throws {
        let folder = try ExportTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var bytes = Array(String(repeating: "A line of the article, long enough.\n", count: 45_000).utf8)
        #expect(bytes.count > Document.eagerByteCount + 500_000)
        let badOffset = bytes.count - 100
        bytes[badOffset] = 0xFF
        let path = folder.appendingPathComponent("big.txt").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let document = try Document(contentsOfFile: path)
        let annotation = Annotation(document: document, range: 0..<4, tags: [], date: ExportTests.date, id: "A")
        #expect(throws: DocumentError.notUTF8(path: path, byteOffset: badOffset)) {
            try format.export(document: document, annotations: [annotation], codebook: ExportTests.codebook)
        }
        let smallPath = folder.appendingPathComponent("small.txt").path
        try Data(Array("A line.\n".utf8) + [0xFF]).write(to: URL(fileURLWithPath: smallPath))
        #expect(throws: DocumentError.notUTF8(path: smallPath, byteOffset: 8)) { try Document(contentsOfFile: smallPath) }
    }
}
