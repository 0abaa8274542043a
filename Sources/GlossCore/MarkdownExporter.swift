import Foundation

/// Exports annotations as a readable Markdown report (CommonMark, LF line ends).
///
/// Layout:
///
/// ```markdown
/// # <title>
///
/// File `article.txt`, 3 annotations. Offsets count code points from 0, end exclusive.
///
/// ## Memo                        (the document memo, when there is one)
///
/// ## Who does what to whom       (when there are relations)
///
/// | From | Relation | To |         (and `| Note |` when a relation has a note)
/// | --- | --- | --- |
/// | Actor: ISIL “<quote>” | acts on | Threat: bombing “<quote>” |
///
/// ## <category label>            (every codebook category, in codebook order)
///
/// ### <value>                    (vocabulary order, then other values as they first
///                                 occur; `(no value)` last)
/// > <quote, every line prefixed>
///
/// - Note: <note, when not empty>
/// - Offsets: 72–301
///
/// ## <category id> (not in the codebook)   (tags of unknown categories, by id)
///
/// ## Annotations without tags
/// ```
///
/// The title is the document's first paragraph when it is a single line of at most
/// ``maximumTitleLength`` code points, else the file name. Each quote is a blockquote in
/// which every line of the quote (split at CRLF or LF) starts with `> `, so a quote with
/// line breaks or blank lines stays one blockquote; a lone carriage return is a space, as
/// the reader draws it. Every annotation appears once per distinct tag, and once in the
/// last section when it has no tags. A category or the last
/// section with nothing in it says so in a line.
///
/// Text from the document and the store (quotes, values, notes, the title, category ids
/// and labels) renders literally under CommonMark: it is escaped by ``escapedLine(_:)``, so
/// it never makes an element (emphasis, link, image, raw HTML, heading, list, code block).
/// A value nested in the codebook's vocabulary is written with its path (`state/Turkey`,
/// ``Codebook/qualifiedValue(of:)``) in value headings, the relations table and the
/// orphans' tags. In the relations table each end is named by the tag that fits the
/// relation type's end categories (else its first tag) and the start of its quote.
///
/// No control character or bidirectional formatting control of the text is written raw,
/// as it would act where the report is shown: each is written as the reader draws it
/// (``ControlPictures``, showing bidi controls), and so is the file name, in a code span.
public enum MarkdownExporter {
    /// The longest first paragraph, in code points, that is used as the title.
    public static let maximumTitleLength = Document.maximumTitleLength

    /// The heading of the document memo's section, the first after the title.
    public static let memoHeading = "Memo"
    /// The heading of the relations table.
    public static let relationsHeading = "Who does what to whom"
    /// The most code points of a quote the relations table shows; a longer one is cut
    /// and ends with `…`.
    public static let relationQuoteLength = 60

    /// The heading of the section for annotations that have no tags.
    public static let untaggedHeading = "Annotations without tags"
    /// The heading of the last section, present when there are orphans.
    public static let orphanedHeading = "Orphaned annotations"

    /// The sub-heading for tags whose value is empty.
    public static let noValueHeading = "(no value)"

    /// Exports `annotations` of `document` as a Markdown report (see the type's documentation).
    /// - Parameters:
    ///   - document: the annotated text; gives the title and the file name.
    ///   - annotations: in any order; within each value they are listed in document order.
    ///   - orphans: listed in a last section with their quote, tags and note, no offsets.
    ///   - codebook: the categories' labels, their order and their vocabularies' order.
    /// - Returns: the report, ending with a line break.
    /// - Throws: ``DocumentError`` when the text is damaged anywhere
    ///   (``Document/checkWholeText()``); ``ExportError`` when an annotation does not fit
    ///   the document.
    public static func export(document: Document, annotations: [Annotation], orphans: [Annotation] = [], codebook: Codebook) throws -> String {
        try export(document: document, contents: StoreContents(annotations: annotations, orphans: orphans), codebook: codebook)
    }

    /// Exports the annotations, orphans, relations and memo of `contents` as a Markdown
    /// report (see the type's documentation); quarantined records are left out, and so
    /// are the relations with an end among them.
    /// - Parameters:
    ///   - document: the annotated text; gives the title and the file name.
    ///   - contents: the store's contents.
    ///   - codebook: the categories' labels, their order, their vocabularies' order and
    ///     nesting, and the relation types' labels.
    /// - Returns: the report, ending with a line break.
    /// - Throws: ``DocumentError`` when the text is damaged anywhere
    ///   (``Document/checkWholeText()``); ``ExportError`` when an annotation does not fit
    ///   the document.
    public static func export(document: Document, contents: StoreContents, codebook: Codebook) throws -> String {
        try blocks(document: document, name: document.fileName, contents: contents, codebook: codebook, level: 1)
            .joined(separator: "\n\n") + "\n"
    }

    /// Exports several documents' annotations as one report:
    ///
    /// ```markdown
    /// # <title>
    ///
    /// 3 documents, 12 annotations. Offsets count code points from 0, end exclusive.
    ///
    /// ## <document title>        (one section per document, in the order given)
    ///
    /// File `news/article.txt`, 4 annotations.
    ///
    /// ### Memo, ### Who does what to whom, ### <category label>, #### <value>, …
    /// ```
    ///
    /// Each document's section is its one-document report (see the type's documentation)
    /// with every heading one level lower, naming the file by the entry's
    /// ``CorpusEntry/name`` (its path as the corpus lists it) and using its own codebook.
    /// - Returns: the report, ending with a line break.
    /// - Throws: as ``export(document:contents:codebook:)``, for the first document that fails.
    public static func export(corpus entries: [CorpusEntry], title: String) throws -> String {
        var blocks = ["# " + headingText(title)]
        let total = entries.reduce(0) { $0 + $1.contents.annotations.count }
        let documents = entries.count == 1 ? "1 document" : "\(entries.count) documents"
        let annotations = total == 1 ? "1 annotation" : "\(total) annotations"
        blocks.append("\(documents), \(annotations). Offsets count code points from 0, end exclusive.")
        for entry in entries {
            blocks += try self.blocks(document: entry.document, name: entry.name, contents: entry.contents,
                                      codebook: entry.codebook, level: 2)
        }
        return blocks.joined(separator: "\n\n") + "\n"
    }

    /// The blocks of one document's report, its title a heading of `level` (1 for `#`).
    static func blocks(document: Document, name: String, contents: StoreContents, codebook: Codebook, level: Int) throws -> [String] {
        let h1 = String(repeating: "#", count: level) + " "
        let h2 = String(repeating: "#", count: level + 1) + " "
        let h3 = String(repeating: "#", count: level + 2) + " "
        let sorted = try Export.checkedInDocumentOrder(contents.annotations, of: document)
        let orphans = contents.orphans
        var blocks: [String] = []
        blocks.append(h1 + headingText(title(of: document)))
        let count = sorted.count == 1 ? "1 annotation" : "\(sorted.count) annotations"
        blocks.append("File \(codeSpan(ControlPictures.visible(name, showingBidiControls: true))), \(count)." + (level == 1 ? " Offsets count code points from 0, end exclusive." : ""))

        if !contents.memo.isEmpty {
            blocks.append(h2 + memoHeading)
            blocks.append(paragraph(contents.memo))
        }
        var byID: [String: Annotation] = [:]
        for annotation in sorted + orphans { byID[annotation.id] = annotation }
        let relations = Export.exportedRelations(contents.relations, between: Set(byID.keys))
        if !relations.isEmpty {
            blocks.append(h2 + relationsHeading)
            // a Note column only when some relation has a note, its lines joined by spaces
            let withNotes = relations.contains { !$0.note.isEmpty }
            var table = withNotes ? ["| From | Relation | To | Note |", "| --- | --- | --- | --- |"]
                : ["| From | Relation | To |", "| --- | --- | --- |"]
            for relation in relations {
                guard let from = byID[relation.from], let to = byID[relation.to] else { continue }
                let type = codebook.relationType(id: relation.type)
                var cells = [endCell(from, categories: type?.from ?? [], codebook: codebook),
                             headingText(type?.label ?? relation.type),
                             endCell(to, categories: type?.to ?? [], codebook: codebook)]
                if withNotes { cells.append(headingText(Export.lines(of: relation.note).joined(separator: " "))) }
                table.append("| " + cells.map { $0.isEmpty ? " " : $0 }.joined(separator: " | ") + " |")
            }
            blocks.append(table.joined(separator: "\n"))
        }

        for category in codebook.categories {
            blocks.append(h2 + headingText(category.label))
            let vocabulary = category.allValues.map(\.value)
            blocks += valueSections(for: category.id, in: sorted, vocabulary: vocabulary, category: category, heading: h3)
        }

        let known = Set(codebook.categories.map(\.id))
        let unknown = Set(sorted.flatMap(\.tags).map(\.category)).subtracting(known).sorted()
        for id in unknown {
            let name = id.isEmpty ? "(no category)" : id
            blocks.append(h2 + headingText(name) + " (not in the codebook)")
            blocks += valueSections(for: id, in: sorted, vocabulary: [], heading: h3)
        }

        blocks.append(h2 + untaggedHeading)
        let untagged = sorted.filter(\.tags.isEmpty)
        if untagged.isEmpty {
            blocks.append("_None._")
        } else {
            blocks += untagged.map(entry)
        }
        if !orphans.isEmpty {
            blocks.append(h2 + orphanedHeading)
            blocks.append("The text changed and these annotations have no place in it of their own; each says why.")
            let reasons = Reanchoring.orphanReasonSentences(orphans, in: document)
            blocks += zip(orphans, reasons).map { orphan, reason in
                let tags = orphan.tags.map { $0.value.isEmpty ? $0.category : "\($0.category): \(codebook.qualifiedValue(of: $0))" }
                var block = blockquote(orphan.quote) + "\n\n- Why no place: " + headingText(reason)
                block += "\n- Tags: " + (tags.isEmpty ? "none" : headingText(tags.joined(separator: ", ")))
                if !orphan.note.isEmpty { block += "\n" + noteItem(orphan.note) }
                return block
            }
        }
        return blocks
    }

    /// The report's title: the first paragraph, trimmed, when it is one line of at most
    /// ``maximumTitleLength`` code points; otherwise the document's file name.
    public static func title(of document: Document) -> String {
        document.title ?? document.fileName
    }

    /// `quote` as a Markdown blockquote: every line, split at CRLF or LF and escaped by
    /// ``escapedLine(_:)``, prefixed by `> `; lines joined by LF, no final line break.
    public static func blockquote(_ quote: String) -> String {
        Export.lines(of: quote).map { "> " + escapedLine($0) }.joined(separator: "\n")
    }

    /// Characters escaped with a backslash wherever they are: those that open or close
    /// emphasis, code spans, links and images, raw HTML, autolinks, entity references and
    /// headings, and GitHub's tables and strikethrough (`|`, `~`).
    static let escapedAnywhere: Set<Unicode.Scalar> = ["\\", "`", "*", "_", "[", "]", "<", ">", "&", "#", "|", "~"]

    /// One line of text (no line break in it) as Markdown inline content that renders as
    /// that text under CommonMark, wherever the line starts, inside a paragraph, a
    /// blockquote or a list item.
    ///
    /// - Controls are written as ``ControlPictures/picture(of:)`` (tabs and carriage returns
    ///   as spaces), bidirectional formatting controls as ``ControlPictures/formatCharacter``.
    /// - ASCII punctuation that could start or end an inline element (``escapedAnywhere``),
    ///   and `-`, `+` or `=` at the start of the line (list items, setext underlines), get a
    ///   backslash (CommonMark 0.31.2 §2.4: any ASCII punctuation may be escaped and then
    ///   stands for itself). After digits at the start, `.` or `)` is escaped too, so
    ///   `1. ` does not open an ordered list.
    /// - A leading space is written `&#32;` (§2.5, a numeric character reference), so four
    ///   of them do not make an indented code block, and so is a trailing one, so two of
    ///   them do not make a hard line break. A line of spaces only is written empty.
    public static func escapedLine(_ line: String) -> String {
        let scalars = Array(ControlPictures.visible(line, showingBidiControls: true).unicodeScalars)
        guard let firstText = scalars.firstIndex(where: { $0 != " " }) else { return "" }
        let lastText = scalars.lastIndex(where: { $0 != " " })!
        var digits = 0
        while firstText + digits <= lastText, ("0"..."9").contains(scalars[firstText + digits]) { digits += 1 }
        var written = String.UnicodeScalarView()
        if firstText > 0 { written.append(contentsOf: ("&#32;" + String(repeating: " ", count: firstText - 1)).unicodeScalars) }
        for index in firstText...lastText {
            let scalar = scalars[index]
            let atStart = index == firstText && (scalar == "-" || scalar == "+" || scalar == "=")
            let afterDigits = digits > 0 && index == firstText + digits && (scalar == "." || scalar == ")")
            if escapedAnywhere.contains(scalar) || atStart || afterDigits { written.append("\\") }
            written.append(scalar)
        }
        let trailing = scalars.count - 1 - lastText
        if trailing > 0 { written.append(contentsOf: (String(repeating: " ", count: trailing - 1) + "&#32;").unicodeScalars) }
        return String(written)
    }

    /// A note as a list item `- Note: …` whose later lines are indented two spaces to stay
    /// in the item; blank lines stay blank.
    static func noteItem(_ note: String) -> String {
        let lines = Export.lines(of: note).map(escapedLine)
        return (["- Note: " + lines[0]] + lines.dropFirst().map { $0.isEmpty ? "" : "  " + $0 }).joined(separator: "\n")
    }

    /// The sub-sections of one category: a `###` heading per value used with it, each
    /// followed by the entries of the annotations tagged with that value.
    /// One end of a relation in the relations table: `Label: value “quote”`, the tag
    /// picked by ``Export/endTag(of:categories:)``, the quote cut to
    /// ``relationQuoteLength`` code points; escaped as a one-line cell.
    static func endCell(_ annotation: Annotation, categories: [String], codebook: Codebook) -> String {
        var name = ""
        if let tag = Export.endTag(of: annotation, categories: categories) {
            let label = codebook.category(id: tag.category)?.label ?? tag.category
            name = tag.value.isEmpty ? label : label + ": " + codebook.qualifiedValue(of: tag)
        }
        let scalars = annotation.quote.unicodeScalars
        var quote = String(String.UnicodeScalarView(scalars.prefix(relationQuoteLength)))
        if scalars.count > relationQuoteLength { quote += "…" }
        return headingText((name.isEmpty ? "" : name + " ") + "“" + quote + "”")
    }

    /// A text of several lines as one Markdown paragraph block: lines split at CRLF or LF,
    /// each escaped by ``escapedLine(_:)``, ended by a backslash hard break so they stay
    /// lines; an empty line becomes a paragraph break.
    static func paragraph(_ text: String) -> String {
        let lines = Export.lines(of: text).map(escapedLine)
        var out: [String] = []
        for (index, line) in lines.enumerated() {
            let nextIsText = index + 1 < lines.count && !lines[index + 1].isEmpty
            out.append(line.isEmpty || !nextIsText ? line : line + "\\")
        }
        return out.joined(separator: "\n")
    }

    static func valueSections(for category: String, in annotations: [Annotation], vocabulary: [String],
                              category definition: Category? = nil, heading: String = "### ") -> [String] {
        var byValue: [String: [Annotation]] = [:]
        var order: [String] = []
        for annotation in annotations {
            var seen = Set<String>()
            for tag in annotation.tags where tag.category == category && seen.insert(tag.value).inserted {
                if byValue[tag.value] == nil { order.append(tag.value) }
                byValue[tag.value, default: []].append(annotation)
            }
        }
        guard !order.isEmpty else { return ["_No annotations._"] }
        let inVocabulary = vocabulary.filter { !$0.isEmpty && byValue[$0] != nil }
        let listed = Set(inVocabulary)
        let others = order.filter { !$0.isEmpty && !listed.contains($0) }
        let values = inVocabulary + others + (byValue[""] == nil ? [] : [""])
        var blocks: [String] = []
        var done = Set<String>()
        for value in values where done.insert(value).inserted {
            blocks.append(heading + (value.isEmpty ? noValueHeading : headingText(definition?.qualifiedValue(value) ?? value)))
            blocks += byValue[value, default: []].map(entry)
        }
        return blocks
    }

    /// One annotation: its quote as a blockquote, then its note and offsets as a list.
    static func entry(_ annotation: Annotation) -> String {
        var details: [String] = []
        if !annotation.note.isEmpty { details.append(noteItem(annotation.note)) }
        details.append("- Offsets: \(annotation.start)–\(annotation.end)")
        return blockquote(annotation.quote) + "\n\n" + details.joined(separator: "\n")
    }

    /// Text for a heading or a one-line list item: controls, line breaks and tabs become
    /// spaces or control pictures (``ControlPictures``), runs of spaces one space, and the
    /// rest is escaped by ``escapedLine(_:)``; an escaped `#` is never taken for a closing
    /// sequence.
    static func headingText(_ text: String) -> String {
        escapedLine(ControlPictures.visible(text)
            .split(separator: " ", omittingEmptySubsequences: true)
            .joined(separator: " "))
    }

    /// `text` as a CommonMark code span, fenced with one more backtick than its longest run.
    static func codeSpan(_ text: String) -> String {
        var longest = 0, run = 0
        for character in text {
            run = character == "`" ? run + 1 : 0
            longest = max(longest, run)
        }
        let fence = String(repeating: "`", count: longest + 1)
        let padded = text.hasPrefix("`") || text.hasSuffix("`") ? " " + text + " " : text
        return fence + padded + fence
    }
}
