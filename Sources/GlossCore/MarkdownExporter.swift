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
/// which every line of the quote (split at CRLF, LF or CR) starts with `> `, so a quote
/// with line breaks or blank lines stays one blockquote; quote text is otherwise written as
/// it is. Every annotation appears once per distinct tag, and once in the last section when
/// it has no tags. A category or the last section with nothing in it says so in a line.
public enum MarkdownExporter {
    /// The longest first paragraph, in code points, that is used as the title.
    public static let maximumTitleLength = Document.maximumTitleLength

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
    /// - Throws: ``ExportError`` when an annotation does not fit the document.
    public static func export(document: Document, annotations: [Annotation], orphans: [Annotation] = [], codebook: Codebook) throws -> String {
        let sorted = try Export.checkedInDocumentOrder(annotations, of: document)
        var blocks: [String] = []
        blocks.append("# " + headingText(title(of: document)))
        let count = sorted.count == 1 ? "1 annotation" : "\(sorted.count) annotations"
        blocks.append("File \(codeSpan(document.fileName)), \(count). Offsets count code points from 0, end exclusive.")

        for category in codebook.categories {
            blocks.append("## " + headingText(category.label))
            let vocabulary = category.allValues.map(\.value)
            blocks += valueSections(for: category.id, in: sorted, vocabulary: vocabulary)
        }

        let known = Set(codebook.categories.map(\.id))
        let unknown = Set(sorted.flatMap(\.tags).map(\.category)).subtracting(known).sorted()
        for id in unknown {
            let name = id.isEmpty ? "(no category)" : id
            blocks.append("## " + headingText(name) + " (not in the codebook)")
            blocks += valueSections(for: id, in: sorted, vocabulary: [])
        }

        blocks.append("## " + untaggedHeading)
        let untagged = sorted.filter(\.tags.isEmpty)
        if untagged.isEmpty {
            blocks.append("_None._")
        } else {
            blocks += untagged.map(entry)
        }
        if !orphans.isEmpty {
            blocks.append("## " + orphanedHeading)
            blocks.append("The text changed and these quotes were not found in it again.")
            blocks += orphans.map { orphan in
                let tags = orphan.tags.map { $0.value.isEmpty ? $0.category : "\($0.category): \($0.value)" }
                var block = blockquote(orphan.quote) + "\n\n- Tags: " + (tags.isEmpty ? "none" : tags.joined(separator: ", "))
                if !orphan.note.isEmpty {
                    let lines = Export.lines(of: orphan.note)
                    block += "\n" + (["- Note: " + lines[0]] + lines.dropFirst().map { $0.isEmpty ? "" : "  " + $0 }).joined(separator: "\n")
                }
                return block
            }
        }
        return blocks.joined(separator: "\n\n") + "\n"
    }

    /// The report's title: the first paragraph, trimmed, when it is one line of at most
    /// ``maximumTitleLength`` code points; otherwise the document's file name.
    public static func title(of document: Document) -> String {
        document.title ?? document.fileName
    }

    /// `quote` as a Markdown blockquote: every line, split at CRLF, LF or CR, prefixed by
    /// `> `; lines joined by LF, no final line break.
    public static func blockquote(_ quote: String) -> String {
        Export.lines(of: quote).map { "> " + $0 }.joined(separator: "\n")
    }

    /// The sub-sections of one category: a `###` heading per value used with it, each
    /// followed by the entries of the annotations tagged with that value.
    static func valueSections(for category: String, in annotations: [Annotation], vocabulary: [String]) -> [String] {
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
            blocks.append("### " + (value.isEmpty ? noValueHeading : headingText(value)))
            blocks += byValue[value, default: []].map(entry)
        }
        return blocks
    }

    /// One annotation: its quote as a blockquote, then its note and offsets as a list.
    static func entry(_ annotation: Annotation) -> String {
        var details: [String] = []
        if !annotation.note.isEmpty {
            let lines = Export.lines(of: annotation.note)
            let continued = lines.dropFirst().map { $0.isEmpty ? "" : "  " + $0 }
            details.append((["- Note: " + lines[0]] + continued).joined(separator: "\n"))
        }
        details.append("- Offsets: \(annotation.start)–\(annotation.end)")
        return blockquote(annotation.quote) + "\n\n" + details.joined(separator: "\n")
    }

    /// Text for a heading: line breaks and tabs become spaces, runs of spaces one space,
    /// and a trailing run of `#` is escaped so CommonMark does not take it as a closing
    /// sequence.
    static func headingText(_ text: String) -> String {
        var collapsed = text.unicodeScalars
            .map { $0 == "\n" || $0 == "\r" || $0 == "\t" ? " " : String($0) }
            .joined()
            .split(separator: " ", omittingEmptySubsequences: true)
            .joined(separator: " ")
        if collapsed.hasSuffix("#") {
            let hashes = collapsed.reversed().prefix { $0 == "#" }.count
            collapsed = String(collapsed.dropLast(hashes)) + "\\" + String(repeating: "#", count: hashes)
        }
        return collapsed
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
