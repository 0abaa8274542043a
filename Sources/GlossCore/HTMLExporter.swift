import Foundation

/// Exports annotations as a self-contained HTML report: one HTML5 page (`<!DOCTYPE
/// html>`, UTF-8, `lang="en"`) with its style inline and no script, font, image or other
/// file to load, which reads well on a screen and on paper (`@media print`).
///
/// A document's report, in this order:
///
/// - its title (``Document/title``, else the file name), the file name and counts;
/// - the document memo, when there is one;
/// - a legend: every codebook category with its colour, its label and how many
///   annotations in the text carry it, each value used with its count (vocabulary order,
///   nested values with their path, `state/Turkey`; other values as they first occur;
///   `(no value)` last); categories the codebook lacks and untagged annotations after;
/// - the text: each paragraph of the document (``Document/paragraphs``) a `<p>`, a
///   heading (the title of a text file, a heading of an HTML or Markdown file) an `<h2>`
///   (`<h3>` in a corpus report), every annotated span a `<mark>` in its first tag's
///   category colour (see ``palette``);
/// - the notes of the annotations, numbered, as footnotes: each note's number follows its
///   annotation in the text and links to the note, which links back;
/// - the annotation table: number, quote, categories, values, note, author, time, and
///   offsets in code points from 0, end exclusive;
/// - the relations (from quote, type, to quote, note), when there are any;
/// - the orphaned annotations, with their quotes, tags and notes: they have no place in
///   the text.
///
/// Overlapping spans: the text is split at every span's start and end, and the marks
/// nest; where two spans cross, the inner one is closed and opened again, so an
/// annotation may be drawn by several `<mark>` elements, all with its id in `data-id`
/// and the first with an `id` the table links back to. Each annotation keeps one lane
/// (the lowest free among the spans it overlaps), which sets how far below the text its
/// underline is drawn, so a segment under several spans shows one underline per span.
/// Colour is never the only sign: each mark's `title` lists the tags of every span it
/// lies in, the underline's style differs between a codebook's categories (solid,
/// dashed, dotted, double), and after its last character each annotation gets a small
/// superscript label: its number (a link to its row in the table) and its categories'
/// labels, then its note's number. A label is a `<sup class="lbl">`; the text of an
/// annotation's marks without these labels is its quote as shown.
///
/// What the page shows of a text (quotes, notes, values, labels, names): every `&`, `<`
/// and `>` is escaped, and `"` and `'` too in attributes; an HTML page cannot hold
/// control characters, so each is shown as the reader draws it (``ControlPictures``: ESC
/// as `␛`, a tab or a lone carriage return as a space, a C1 control as U+FFFD), the
/// carriage return of a CRLF is left out (a line feed is the line end an HTML parser
/// keeps), a bidirectional formatting control is shown as `·` (the text cannot appear
/// reordered, "Trojan Source"), and a noncharacter as U+FFFD. ``shown(_:)`` is that
/// mapping for a text on its own; in the document text a carriage return is left out
/// when a line feed follows it in the document.
///
/// Several documents (``export(corpus:title:)``) give one page with a table of contents
/// and a section per document; the ids of one document's elements start with `dN-`
/// (`N` from 1, in the order given), so they never clash.
public enum HTMLExporter {
    /// The colours of one codebook colour: `strong` for underlines, swatches and label
    /// text (at least 4.5:1 against white and against every tint, WCAG 2 AA for small
    /// text), `tint` for a mark's background (the body text on it at least 7:1).
    public struct Colour: Hashable, Sendable {
        /// `#rrggbb` of underlines and labels.
        public let strong: String
        /// `#rrggbb` of a mark's background.
        public let tint: String
    }

    /// The body text's colour, `#rrggbb`, on a white page.
    public static let textColour = "#1b1b1b"

    /// The colours of the codebook's colour names (``Codebook/colorNames``), and `none`
    /// for a category the codebook lacks and for untagged annotations. Yellow and white,
    /// which a terminal shows on black, are darkened here so they read on white.
    public static let palette: [String: Colour] = [
        "black": Colour(strong: "#333333", tint: "#e4e4e4"),
        "red": Colour(strong: "#b3261e", tint: "#fbe3e1"),
        "green": Colour(strong: "#1d6b2c", tint: "#dcf0de"),
        "yellow": Colour(strong: "#7a5800", tint: "#fdf0b6"),
        "blue": Colour(strong: "#1f4fbf", tint: "#e0e8fb"),
        "magenta": Colour(strong: "#99218f", tint: "#f6e0f3"),
        "cyan": Colour(strong: "#0a6877", tint: "#d6f0f4"),
        "white": Colour(strong: "#5a5a5a", tint: "#f3f3f3"),
        "none": Colour(strong: "#5a5a5a", tint: "#ececec"),
    ]

    /// Lanes of underlines drawn apart; spans in deeper lanes share the last one.
    static let laneCount = 6

    /// Exports `annotations` of `document` as a report (see the type's documentation).
    /// - Parameters:
    ///   - document: the annotated text.
    ///   - annotations: in any order; the text and the table show them in document order.
    ///   - orphans: listed in a last section with their quotes.
    ///   - codebook: categories' labels, colours and order, values' nesting, relation types' labels.
    /// - Returns: the page, LF line ends, ending with a line break.
    /// - Throws: ``DocumentError`` when the text is damaged anywhere
    ///   (``Document/checkWholeText()``); ``ExportError`` when an annotation does not fit
    ///   the document.
    public static func export(document: Document, annotations: [Annotation], orphans: [Annotation] = [], codebook: Codebook) throws -> String {
        try export(document: document, contents: StoreContents(annotations: annotations, orphans: orphans), codebook: codebook)
    }

    /// Exports the annotations, orphans, relations and memo of `contents` as a report;
    /// quarantined records are left out, and so are the relations with an end among them.
    /// - Returns: the page, LF line ends, ending with a line break.
    /// - Throws: as ``export(document:annotations:orphans:codebook:)``.
    public static func export(document: Document, contents: StoreContents, codebook: Codebook) throws -> String {
        let report = try DocumentReport(prefix: "d1", level: 1, document: document, name: document.fileName,
                                        contents: contents, codebook: codebook)
        return page(title: report.title, body: report.html(offsetsNote: true))
    }

    /// Exports several documents as one report: a heading `title`, the counts, a table of
    /// contents, then each document's report as a section (its heading an `<h2>`, its own
    /// headings one level lower), naming its file by ``CorpusEntry/name`` and using its
    /// own codebook.
    /// - Returns: the page, LF line ends, ending with a line break.
    /// - Throws: as ``export(document:contents:codebook:)``, for the first document that fails.
    public static func export(corpus entries: [CorpusEntry], title: String) throws -> String {
        var reports: [DocumentReport] = []
        for (index, entry) in entries.enumerated() {
            reports.append(try DocumentReport(prefix: "d\(index + 1)", level: 2, document: entry.document, name: entry.name,
                                              contents: entry.contents, codebook: entry.codebook))
        }
        var body = "<h1>\(text(oneLine(title)))</h1>\n"
        let total = reports.reduce(0) { $0 + $1.sorted.count }
        body += "<p class=\"meta\">\(counted(reports.count, "document")), \(counted(total, "annotation")). Offsets count code points from 0, end exclusive.</p>\n"
        body += "<nav class=\"toc\" aria-labelledby=\"toc\">\n<h2 id=\"toc\">Contents</h2>\n<ol>\n"
        for report in reports {
            body += "<li><a href=\"#\(report.prefix)\">\(text(oneLine(report.title)))</a> <span class=\"meta\"><code>\(text(oneLine(report.name)))</code>, \(counted(report.sorted.count, "annotation"))</span></li>\n"
        }
        body += "</ol>\n</nav>\n"
        for report in reports { body += report.html(offsetsNote: false) }
        return page(title: title, body: body)
    }

    // MARK: The page

    /// The whole page around `body`, which holds `<main>`'s content.
    static func page(title: String, body: String) -> String {
        var page = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        page += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        page += "<meta name=\"generator\" content=\"Gloss\">\n"
        page += "<title>\(text(oneLine(title))) – Gloss report</title>\n"
        page += "<style>\n\(style)</style>\n</head>\n<body>\n<main>\n"
        page += body
        page += "</main>\n</body>\n</html>\n"
        return page
    }

    /// The page's style sheet.
    static var style: String {
        var css = """
            :root { color-scheme: light; --text: \(textColour); --muted: #595959; --rule: #c8c8c8; --link: #1f4fbf; }
            body { margin: 0 auto; max-width: 62rem; padding: 1rem 1.5rem 3rem; color: var(--text); background: #fff;
              font: 16px/1.5 Georgia, "Times New Roman", serif; }
            h1, h2, h3, h4, nav, table, .meta, .legend, .lbl { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
            h1 { font-size: 1.6rem; line-height: 1.25; margin: 1rem 0 .25rem; }
            h2 { font-size: 1.3rem; margin: 2rem 0 .5rem; }
            h3 { font-size: 1.1rem; margin: 1.5rem 0 .5rem; }
            a { color: var(--link); }
            code { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: .9em; overflow-wrap: anywhere; }
            .meta { color: var(--muted); margin: .25rem 0; }
            .jump a { margin-right: .75rem; }
            section.document { border-top: 3px solid var(--rule); margin-top: 2rem; }
            section.document:first-child { border-top: 0; margin-top: 0; }
            .text { line-height: 2.3; border: 1px solid var(--rule); border-radius: 4px; padding: .25rem 1.5rem; margin: 1rem 0; }
            .text h2, .text h3, .text h4 { line-height: 2.1; margin: .75rem 0; }
            .text p { margin: .6rem 0; }
            mark { color: inherit; background: var(--t); background-clip: content-box; border-bottom: .14em solid var(--c); padding: 0;
              -webkit-box-decoration-break: clone; box-decoration-break: clone; }
            mark.s1 { border-bottom-style: dashed; }
            mark.s2 { border-bottom-style: dotted; border-bottom-width: .18em; }
            mark.s3 { border-bottom-style: double; border-bottom-width: .24em; }

            """
        for lane in 1..<laneCount {
            css += "mark.l\(lane) { padding-bottom: \(String(format: "%.2f", Double(lane) * 0.3))em; }\n"
        }
        css += """
            .lbl { font-size: .62em; font-weight: 600; line-height: 1; white-space: nowrap; margin: 0 .15em 0 .1em;
              -webkit-user-select: none; user-select: none; }
            .lbl a { text-decoration: none; color: var(--muted); }
            .lbl a:hover, .lbl a:focus { text-decoration: underline; }
            .lbl .c { color: var(--c); margin-left: .25em; }
            .lbl .fn { margin-left: .3em; color: var(--link); }
            :target { outline: 2px solid var(--link); outline-offset: 2px; }
            .legend { list-style: none; padding: 0; margin: .5rem 0; }
            .legend > li { margin: .35rem 0; }
            .legend ul { margin: .1rem 0 .1rem 2.6rem; padding: 0; list-style: none; font-size: .9rem; color: var(--muted); }
            .sw { display: inline-block; width: 1.8em; height: .95em; margin-right: .5em; vertical-align: -.1em;
              background: var(--t); border-bottom: .2em solid var(--c); }
            .sw.s1 { border-bottom-style: dashed; } .sw.s2 { border-bottom-style: dotted; } .sw.s3 { border-bottom-style: double; border-bottom-width: .3em; }
            .count { display: inline-block; min-width: 1.6em; padding: 0 .35em; margin-left: .35em; border-radius: .8em;
              background: #eee; color: var(--text); font-size: .85em; text-align: center; }
            table { border-collapse: collapse; width: 100%; font-size: .85rem; margin: .5rem 0; }
            th, td { border: 1px solid var(--rule); padding: .3rem .45rem; text-align: left; vertical-align: top; }
            thead th { background: #f2f2f2; }
            td.quote, td.note, .pre { white-space: pre-wrap; overflow-wrap: break-word; }
            td.quote { font-family: Georgia, "Times New Roman", serif; font-size: .95rem; min-width: 14em; }
            td.note { min-width: 11em; }
            .relations td:first-child, .relations td:nth-child(3) { width: 34%; }
            td.num, td.offsets, td.time { white-space: nowrap; }
            td.offsets, td.time { font-size: .8rem; }
            .tagline { display: block; }
            .tagline .c { color: var(--c); font-weight: 600; }
            .none { color: var(--muted); font-style: italic; }
            .rel { white-space: nowrap; color: var(--muted); }
            .notes li { margin: .3rem 0; }
            .notes .back { text-decoration: none; margin-left: .4em; }

            """
        for (name, colour) in palette.sorted(by: { $0.key < $1.key }) {
            css += ".k-\(name) { --c: \(colour.strong); --t: \(colour.tint); }\n"
        }
        css += """
            @media print {
              @page { margin: 1.6cm 1.4cm; }
              body { max-width: none; padding: 0; font-size: 10.5pt; }
              nav, .jump { display: none; }
              a { color: inherit; text-decoration: none; }
              mark, .sw, .count, thead th { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
              .text { border: 0; padding: 0; }
              h1, h2, h3, h4 { break-after: avoid; page-break-after: avoid; }
              tr, .notes li, .legend > li { break-inside: avoid; page-break-inside: avoid; }
              thead { display: table-header-group; }
              section.document { break-before: page; border-top: 0; }
              section.document:first-child { break-before: auto; }
              :target { outline: 0; }
            }

            """
        return css
    }

    // MARK: Text

    /// What `scalar` is shown as in a page (see the type's documentation), when `next`
    /// follows it; nil for the carriage return of a CRLF, which is left out.
    static func shown(_ scalar: Unicode.Scalar, before next: Unicode.Scalar?) -> Unicode.Scalar? {
        switch scalar {
        case "\r": return next == "\n" ? nil : " "
        case "\n": return "\n"
        default:
            if ControlPictures.isBidiControl(scalar) { return ControlPictures.formatCharacter }
            if let picture = ControlPictures.picture(of: scalar) { return picture }
            let value = scalar.value
            if (0xFDD0...0xFDEF).contains(value) || value & 0xFFFE == 0xFFFE { return "\u{FFFD}" }
            return scalar
        }
    }

    /// `text` as a page shows it, before escaping: controls as the reader draws them, the
    /// carriage return of each CRLF left out, bidi controls as `·`, noncharacters as U+FFFD.
    public static func shown(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        var iterator = text.unicodeScalars.makeIterator()
        var current = iterator.next()
        while let scalar = current {
            let next = iterator.next()
            if let shown = shown(scalar, before: next) { out.append(shown) }
            current = next
        }
        return String(out)
    }

    /// Appends `scalar` to `out`, escaped for text (`attribute` false) or for an
    /// attribute value in double quotes (`attribute` true, line feeds as `&#10;`).
    static func append(_ scalar: Unicode.Scalar, to out: inout String, attribute: Bool) {
        switch scalar {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"" where attribute: out += "&quot;"
        case "'" where attribute: out += "&#39;"
        case "\n" where attribute: out += "&#10;"
        default: out.unicodeScalars.append(scalar)
        }
    }

    /// `value` shown (``shown(_:)``) and escaped as element content.
    static func text(_ value: String) -> String {
        var out = ""
        for scalar in shown(value).unicodeScalars { append(scalar, to: &out, attribute: false) }
        return out
    }

    /// `value` shown (``shown(_:)``) and escaped as an attribute value in double quotes.
    static func attribute(_ value: String) -> String {
        var out = ""
        for scalar in shown(value).unicodeScalars { append(scalar, to: &out, attribute: true) }
        return out
    }

    /// `value` on one line: line breaks, tabs and runs of spaces as one space, trimmed.
    static func oneLine(_ value: String) -> String {
        shown(value).split(whereSeparator: { $0 == " " || $0 == "\n" }).joined(separator: " ")
    }

    /// `count` and `noun`, plural when not 1: `1 annotation`, `3 annotations`.
    static func counted(_ count: Int, _ noun: String) -> String {
        count == 1 ? "1 \(noun)" : "\(count) \(noun)s"
    }
}

/// One document's part of an HTML report.
struct DocumentReport {
    typealias H = HTMLExporter

    /// What starts every id of this document's elements: `d1`.
    let prefix: String
    /// The heading level of the document's title: 1 alone, 2 in a corpus.
    let level: Int
    let document: Document
    /// The file's name as shown.
    let name: String
    let contents: StoreContents
    let codebook: Codebook
    /// The annotations in document order, checked against the text.
    let sorted: [Annotation]
    /// The title: the document's title, else its file name.
    let title: String
    /// Each annotation's lane, by its index in ``sorted``.
    let lanes: [Int]
    /// The footnote number of each annotation with a note, by index in ``sorted``.
    let footnotes: [Int: Int]

    init(prefix: String, level: Int, document: Document, name: String, contents: StoreContents, codebook: Codebook) throws {
        self.prefix = prefix
        self.level = level
        self.document = document
        self.name = name
        self.contents = contents
        self.codebook = codebook
        sorted = try Export.checkedInDocumentOrder(contents.annotations, of: document)
        title = document.title ?? document.fileName
        lanes = DocumentReport.lanes(of: sorted)
        var footnotes: [Int: Int] = [:]
        for (index, annotation) in sorted.enumerated() where !annotation.note.isEmpty {
            footnotes[index] = footnotes.count + 1
        }
        self.footnotes = footnotes
    }

    /// The lowest lane free of every earlier span still open at each span's start.
    static func lanes(of sorted: [Annotation]) -> [Int] {
        var lanes: [Int] = []
        var open: [(end: Int, lane: Int)] = []
        for annotation in sorted {
            open.removeAll { $0.end <= annotation.start }
            let used = Set(open.map(\.lane))
            let lane = (0...).first { !used.contains($0) }!
            lanes.append(lane)
            open.append((annotation.end, lane))
        }
        return lanes
    }

    // MARK: Names and colours

    /// The colour name of `category` (a key of ``HTMLExporter/palette``): the codebook's,
    /// the nearest basic name for a bright variant or `#RRGGBB`, `none` for a category it
    /// lacks.
    func colour(of category: String) -> String {
        guard let written = codebook.category(id: category)?.color.lowercased() else { return "none" }
        if H.palette[written] != nil { return written }
        guard let spec = ColorSpec(written) else { return "none" }
        return ColorSpec.basicNames[XtermPalette.nearestANSI(to: spec.rgb, among: 8)]
    }

    /// The underline style class of `category`: `s0` to `s3` by its place in the codebook.
    func styleClass(of category: String) -> String {
        "s\((codebook.categories.firstIndex { $0.id == category } ?? 0) % 4)"
    }

    /// The label a category is shown by: the codebook's, else its id.
    func label(of category: String) -> String {
        codebook.category(id: category)?.label ?? (category.isEmpty ? "(no category)" : category)
    }

    /// `Actor: state/Turkey`, or `Threat` for an empty value.
    func describe(_ tag: Tag) -> String {
        tag.value.isEmpty ? label(of: tag.category) : label(of: tag.category) + ": " + codebook.qualifiedValue(of: tag)
    }

    /// The categories of `annotation`'s tags, each once, in tag order.
    func categories(of annotation: Annotation) -> [String] {
        var seen = Set<String>()
        return annotation.tags.map(\.category).filter { seen.insert($0).inserted }
    }

    /// The mark classes of the annotation at `index`: colour, underline style, lane.
    func markClasses(_ index: Int) -> String {
        let lane = "l\(min(lanes[index], H.laneCount - 1))"
        guard let first = sorted[index].tags.first else { return "k-none s1 \(lane)" }
        return "k-\(colour(of: first.category)) \(styleClass(of: first.category)) \(lane)"
    }

    /// One line of a mark's title: `3 Actor: state/Turkey; Threat`.
    func titleLine(_ index: Int) -> String {
        let tags = sorted[index].tags.map(describe)
        return "\(index + 1) " + (tags.isEmpty ? "no tag" : tags.joined(separator: "; "))
    }

    // MARK: The document's section

    /// The document's section, its title a heading of ``level``.
    func html(offsetsNote: Bool) -> String {
        let h1 = "h\(level)", h2 = "h\(level + 1)"
        let orphans = contents.orphans
        var byID: [String: String] = [:]  // annotation id -> its row's id
        for (index, annotation) in sorted.enumerated() where byID[annotation.id] == nil { byID[annotation.id] = "\(prefix)-a\(index + 1)" }
        for (index, orphan) in orphans.enumerated() where byID[orphan.id] == nil { byID[orphan.id] = "\(prefix)-o\(index + 1)" }
        let relations = Export.exportedRelations(contents.relations, between: Set(byID.keys))

        var out = "<section class=\"document\" id=\"\(prefix)\" aria-labelledby=\"\(prefix)-title\">\n"
        out += "<\(h1) id=\"\(prefix)-title\">\(H.text(H.oneLine(title)))</\(h1)>\n"
        var counts = [H.counted(sorted.count, "annotation")]
        if !relations.isEmpty { counts.append(H.counted(relations.count, "relation")) }
        if !orphans.isEmpty { counts.append("\(orphans.count) orphaned") }
        out += "<p class=\"meta\">File <code>\(H.text(H.oneLine(name)))</code>, \(counts.joined(separator: ", ")).\(offsetsNote ? " Offsets count code points from 0, end exclusive." : "")</p>\n"
        var jumps = [("text", "Text"), ("legend", "Legend")]
        if !footnotes.isEmpty { jumps.append(("notes", "Notes")) }
        jumps.append(("annotations", "Annotations"))
        if !relations.isEmpty { jumps.append(("relations", "Relations")) }
        if !orphans.isEmpty { jumps.append(("orphans", "Orphaned annotations")) }
        out += "<nav class=\"jump\" aria-label=\"Parts of the report on \(H.attribute(H.oneLine(name)))\">"
            + jumps.map { "<a href=\"#\(prefix)-\($0.0)\">\($0.1)</a>" }.joined(separator: " ") + "</nav>\n"

        if !contents.memo.isEmpty {
            out += "<section id=\"\(prefix)-memo\">\n<\(h2)>Memo</\(h2)>\n<p class=\"pre\">\(H.text(contents.memo))</p>\n</section>\n"
        }
        out += legend(heading: h2)
        out += "<article class=\"text\" id=\"\(prefix)-text\" aria-label=\"Text of \(H.attribute(H.oneLine(name)))\">\n"
            + articleText(heading: h2) + "</article>\n"
        if !footnotes.isEmpty { out += notes(heading: h2) }
        out += table(heading: h2)
        if !relations.isEmpty { out += relationsTable(relations, rows: byID, heading: h2) }
        if !orphans.isEmpty { out += orphansTable(orphans, heading: h2) }
        out += "</section>\n"
        return out
    }

    /// The legend: categories with their colours and counts, and the values used.
    func legend(heading: String) -> String {
        var out = "<section id=\"\(prefix)-legend\">\n<\(heading)>Legend</\(heading)>\n<ul class=\"legend\">\n"
        let known = codebook.categories.map(\.id)
        let unknown = Set(sorted.flatMap(\.tags).map(\.category)).subtracting(known).sorted()
        for category in known + unknown {
            var byValue: [String: Int] = [:], order: [String] = []
            var total = 0
            for annotation in sorted {
                var seen = Set<String>()
                for tag in annotation.tags where tag.category == category && seen.insert(tag.value).inserted {
                    if byValue[tag.value] == nil { order.append(tag.value) }
                    byValue[tag.value, default: 0] += 1
                }
                if !seen.isEmpty { total += 1 }
            }
            let definition = codebook.category(id: category)
            let vocabulary = definition?.allValues.map(\.value).filter { !$0.isEmpty && byValue[$0] != nil } ?? []
            let listed = Set(vocabulary)
            var values = vocabulary + order.filter { !$0.isEmpty && !listed.contains($0) }
            if byValue[""] != nil { values.append("") }
            out += "<li><span class=\"sw k-\(colour(of: category)) \(styleClass(of: category))\"></span>"
            out += "<strong>\(H.text(H.oneLine(label(of: category))))</strong>"
            if definition == nil { out += " <span class=\"none\">(not in the codebook)</span>" }
            out += "<span class=\"count\" title=\"annotations\">\(total)</span>"
            if !values.isEmpty {
                out += "\n<ul>\n"
                for value in values {
                    let shown = value.isEmpty ? "<span class=\"none\">(no value)</span>"
                        : H.text(H.oneLine(definition?.qualifiedValue(value) ?? value))
                    out += "<li>\(shown)<span class=\"count\">\(byValue[value] ?? 0)</span></li>\n"
                }
                out += "</ul>\n"
            }
            out += "</li>\n"
        }
        let untagged = sorted.filter(\.tags.isEmpty).count
        if untagged > 0 {
            out += "<li><span class=\"sw k-none s1\"></span><strong>No tag</strong><span class=\"count\" title=\"annotations\">\(untagged)</span></li>\n"
        }
        out += "</ul>\n</section>\n"
        return out
    }

    /// The superscript label after the annotation at `index`: its number, linking to its
    /// row, its categories, and its note's number, linking to the note.
    func label(_ index: Int) -> String {
        let annotation = sorted[index]
        let names = categories(of: annotation).map { "<span class=\"c k-\(colour(of: $0))\">\(H.text(H.oneLine(label(of: $0))))</span>" }
        var out = "<sup class=\"lbl\"><a href=\"#\(prefix)-a\(index + 1)\" title=\"Annotation \(index + 1) in the table\">\(index + 1)"
        out += names.isEmpty ? "<span class=\"c k-none\">no tag</span>" : names.joined()
        out += "</a>"
        if let note = footnotes[index] {
            out += "<a class=\"fn\" id=\"\(prefix)-r\(note)\" href=\"#\(prefix)-n\(note)\" title=\"Note \(note)\">[\(note)]</a>"
        }
        return out + "</sup>"
    }

    /// The document text: a block per paragraph, each block running from its paragraph's
    /// start to the next one's (the first from the text's start), so every code point of
    /// the text is in one block; marks nest across the span boundaries and are closed and
    /// opened again at block boundaries.
    func articleText(heading: String) -> String {
        let paragraphs = document.paragraphs
        let length = document.length
        // blocks: their starts and tags
        var blockStarts: [Int] = [0]
        var blockTags: [String] = [paragraphs.first?.kind == .heading ? heading : "p"]
        for paragraph in paragraphs.dropFirst() {
            blockStarts.append(paragraph.range.lowerBound)
            blockTags.append(paragraph.kind == .heading ? heading : "p")
        }
        if paragraphs.isEmpty && length == 0 && sorted.isEmpty { return "<p class=\"none\">The document is empty.</p>\n" }

        // events by position
        var starts: [Int: [Int]] = [:], ends: [Int: [Int]] = [:], empties: [Int: [Int]] = [:]
        for (index, annotation) in sorted.enumerated() {
            if annotation.start == annotation.end {
                empties[annotation.start, default: []].append(index)
            } else {
                starts[annotation.start, default: []].append(index)
                ends[annotation.end, default: []].append(index)
            }
        }
        let positions = Set(starts.keys).union(ends.keys).union(empties.keys).union(blockStarts).union([length]).sorted()

        var out = ""
        var stack: [Int] = []
        var opened = Set<Int>()
        var blockIndex = 0
        out += "<\(blockTags[0])>"

        func open(_ index: Int) {
            stack.append(index)
            let title = stack.map(titleLine).joined(separator: "\n")
            var tag = "<mark"
            if opened.insert(index).inserted { tag += " id=\"\(prefix)-m\(index + 1)\"" }
            tag += " class=\"\(markClasses(index))\" data-id=\"\(H.attribute(sorted[index].id))\" title=\"\(H.attribute(title))\">"
            out += tag
        }

        var iterator = document.text.unicodeScalars.makeIterator()
        var pending = iterator.next()
        var position = 0
        for target in positions {
            // the text up to `target`
            while position < target, let scalar = pending {
                let next = iterator.next()
                if let shown = H.shown(scalar, before: next) { H.append(shown, to: &out, attribute: false) }
                pending = next
                position += 1
            }
            // close the spans that end here, and those opened inside them
            var reopen: [Int] = []
            let ending = Set(ends[target] ?? [])
            if let lowest = stack.firstIndex(where: ending.contains) {
                out += String(repeating: "</mark>", count: stack.count - lowest)
                reopen = stack[lowest...].filter { !ending.contains($0) }
                stack.removeSubrange(lowest...)
            }
            for index in (ends[target] ?? []) { out += label(index) }
            // a new block
            if blockIndex + 1 < blockStarts.count, blockStarts[blockIndex + 1] == target {
                out += String(repeating: "</mark>", count: stack.count)
                reopen = stack + reopen
                stack = []
                out += "</\(blockTags[blockIndex])>\n"
                blockIndex += 1
                out += "<\(blockTags[blockIndex])>"
            }
            // open the spans that go on and those that start here, longest outermost
            let order = reopen + (starts[target] ?? [])
            for index in order.sorted(by: { sorted[$0].end != sorted[$1].end ? sorted[$0].end > sorted[$1].end : $0 < $1 }) { open(index) }
            for index in empties[target] ?? [] {
                open(index)
                stack.removeLast()
                out += "</mark>" + label(index)
            }
        }
        out += String(repeating: "</mark>", count: stack.count)
        out += "</\(blockTags[blockIndex])>\n"
        return out
    }

    /// The notes of annotations in the text, numbered, each linking back to its number in
    /// the text.
    func notes(heading: String) -> String {
        var out = "<section id=\"\(prefix)-notes\" class=\"notes\">\n<\(heading)>Notes</\(heading)>\n<ol>\n"
        for (index, annotation) in sorted.enumerated() {
            guard let note = footnotes[index] else { continue }
            out += "<li id=\"\(prefix)-n\(note)\"><span class=\"pre\">\(H.text(annotation.note))</span>"
            out += " <span class=\"meta\">(on <a href=\"#\(prefix)-a\(index + 1)\">annotation \(index + 1)</a>)</span>"
            out += "<a class=\"back\" href=\"#\(prefix)-r\(note)\" title=\"Back to the text\" aria-label=\"Back to note \(note) in the text\">↩</a></li>\n"
        }
        return out + "</ol>\n</section>\n"
    }

    /// The tags of `annotation` as lines: categories in one cell, values in the next.
    func tagCells(_ annotation: Annotation) -> String {
        guard !annotation.tags.isEmpty else { return "<td><span class=\"none\">(no tag)</span></td><td></td>" }
        let categories = annotation.tags.map {
            "<span class=\"tagline k-\(colour(of: $0.category))\"><span class=\"c\">\(H.text(H.oneLine(label(of: $0.category))))</span></span>"
        }
        let values = annotation.tags.map {
            "<span class=\"tagline\">" + ($0.value.isEmpty ? "<span class=\"none\">(no value)</span>" : H.text(H.oneLine(codebook.qualifiedValue(of: $0)))) + "</span>"
        }
        return "<td>\(categories.joined())</td><td>\(values.joined())</td>"
    }

    /// Who made `annotation` and when (and when it last changed, when later).
    func timeCell(_ annotation: Annotation) -> String {
        var time = H.text(annotation.created)
        if annotation.modified != annotation.created && !annotation.modified.isEmpty {
            time += "<br><span class=\"meta\">changed \(H.text(annotation.modified))</span>"
        }
        return "<td class=\"time\">\(time)</td>"
    }

    /// The annotation table, a row per annotation in document order.
    func table(heading: String) -> String {
        var out = "<section id=\"\(prefix)-annotations\">\n<\(heading)>Annotations</\(heading)>\n"
        guard !sorted.isEmpty else { return out + "<p class=\"none\">No annotations.</p>\n</section>\n" }
        out += "<table class=\"annotations\">\n<thead><tr><th scope=\"col\">#</th><th scope=\"col\">Quote</th><th scope=\"col\">Category</th>"
        out += "<th scope=\"col\">Value</th><th scope=\"col\">Note</th><th scope=\"col\">Author</th><th scope=\"col\">Time</th>"
        out += "<th scope=\"col\">Offsets</th></tr></thead>\n<tbody>\n"
        for (index, annotation) in sorted.enumerated() {
            out += "<tr id=\"\(prefix)-a\(index + 1)\" data-id=\"\(H.attribute(annotation.id))\">"
            out += "<td class=\"num\"><a href=\"#\(prefix)-m\(index + 1)\" title=\"Show in the text\">\(index + 1)</a></td>"
            out += "<td class=\"quote\">\(H.text(annotation.quote))</td>"
            out += tagCells(annotation)
            if let note = footnotes[index] {
                out += "<td class=\"note\"><a href=\"#\(prefix)-n\(note)\">[\(note)]</a> \(H.text(annotation.note))</td>"
            } else {
                out += "<td class=\"note\"></td>"
            }
            out += "<td>\(H.text(annotation.author))</td>" + timeCell(annotation)
            out += "<td class=\"offsets\">\(annotation.start)–\(annotation.end)</td></tr>\n"
        }
        return out + "</tbody>\n</table>\n</section>\n"
    }

    /// The relations: from (number and quote), type, to, note.
    func relationsTable(_ relations: [Relation], rows: [String: String], heading: String) -> String {
        var byID: [String: Annotation] = [:]
        for annotation in sorted + contents.orphans where byID[annotation.id] == nil { byID[annotation.id] = annotation }
        var out = "<section id=\"\(prefix)-relations\">\n<\(heading)>Relations</\(heading)>\n"
        out += "<table class=\"relations\">\n<thead><tr><th scope=\"col\">From</th><th scope=\"col\">Relation</th><th scope=\"col\">To</th>"
        out += "<th scope=\"col\">Note</th><th scope=\"col\">Author</th></tr></thead>\n<tbody>\n"
        for relation in relations {
            guard let from = byID[relation.from], let to = byID[relation.to], let fromRow = rows[relation.from], let toRow = rows[relation.to] else { continue }
            let type = codebook.relationType(id: relation.type)
            func end(_ annotation: Annotation, row: String, categories: [String]) -> String {
                let number = row.hasPrefix("\(prefix)-o") ? "orphan " + row.dropFirst(prefix.count + 2) : String(row.dropFirst(prefix.count + 2))
                var cell = "<td><a href=\"#\(row)\">\(number)</a> “<span class=\"pre\">\(H.text(annotation.quote))</span>”"
                if let tag = Export.endTag(of: annotation, categories: categories) {
                    cell += "<span class=\"tagline k-\(colour(of: tag.category))\"><span class=\"c\">\(H.text(H.oneLine(describe(tag))))</span></span>"
                }
                return cell + "</td>"
            }
            out += "<tr data-id=\"\(H.attribute(relation.id))\">" + end(from, row: fromRow, categories: type?.from ?? [])
            out += "<td class=\"rel\">→ \(H.text(H.oneLine(type?.label ?? relation.type))) →</td>"
            out += end(to, row: toRow, categories: type?.to ?? [])
            out += "<td class=\"note\">\(H.text(relation.note))</td><td>\(H.text(relation.author))</td></tr>\n"
        }
        return out + "</tbody>\n</table>\n</section>\n"
    }

    /// The orphaned annotations: their quotes, why each has no place
    /// (``Reanchoring/orphanReasonSentences(_:in:)``), tags, notes, authors and times.
    func orphansTable(_ orphans: [Annotation], heading: String) -> String {
        var out = "<section id=\"\(prefix)-orphans\">\n<\(heading)>Orphaned annotations</\(heading)>\n"
        out += "<p>The text changed and these annotations have no place in the text above of their own; each says why.</p>\n"
        out += "<table class=\"orphans\">\n<thead><tr><th scope=\"col\">#</th><th scope=\"col\">Quote</th><th scope=\"col\">Why no place</th><th scope=\"col\">Category</th>"
        out += "<th scope=\"col\">Value</th><th scope=\"col\">Note</th><th scope=\"col\">Author</th><th scope=\"col\">Time</th></tr></thead>\n<tbody>\n"
        let reasons = Reanchoring.orphanReasonSentences(orphans, in: document)
        for (index, orphan) in orphans.enumerated() {
            out += "<tr id=\"\(prefix)-o\(index + 1)\" data-id=\"\(H.attribute(orphan.id))\"><td class=\"num\">\(index + 1)</td>"
            out += "<td class=\"quote\">\(H.text(orphan.quote))</td><td class=\"reason\">\(H.text(reasons[index]))</td>" + tagCells(orphan)
            out += "<td class=\"note\">\(H.text(orphan.note))</td><td>\(H.text(orphan.author))</td>" + timeCell(orphan) + "</tr>\n"
        }
        return out + "</tbody>\n</table>\n</section>\n"
    }
}
