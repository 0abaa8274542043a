import Foundation

/// The formats Gloss exports a document's annotations to.
///
/// Every format writes the annotations in document order, by (start, end, id), and every
/// offset it writes counts code points (Unicode scalars) of the document text from 0, end
/// exclusive (DESIGN.md §2). Before writing, each annotation is checked against the text:
/// its span must lie within the document and `text[start..<end]` must equal its `quote`
/// scalar for scalar; an export never states offsets that do not select the quote.
public enum ExportFormat: String, CaseIterable, Sendable {
    /// A W3C Web Annotation `AnnotationCollection` in JSON-LD
    /// (Web Annotation Data Model, https://www.w3.org/TR/annotation-model/); see ``W3CExporter``.
    case w3c
    /// RFC 4180 CSV, UTF-8, one row per tag; see ``CSVExporter``.
    case csv
    /// A Markdown report grouped by codebook category and value; see ``MarkdownExporter``.
    case markdown
    /// A self-contained HTML report page: the text with its highlights, a legend, notes,
    /// the annotation table and the relations; see ``HTMLExporter``.
    case html
    /// Label Studio tasks with the annotations as predictions; see ``LabelStudioExporter``.
    /// Offsets count code points, as Label Studio's `Text` tag does.
    case labelstudio
    /// doccano's sequence-labeling JSONL, a line per document; see ``JSONLExporter``.
    /// Offsets count UTF-16 code units, as doccano's annotator does.
    case jsonl

    /// The usual file-name extension of the format, without the dot: `jsonld` (the
    /// extension registered for `application/ld+json`), `csv`, `md`, `html`, `json` or `jsonl`.
    public var fileExtension: String {
        switch self {
        case .w3c: return "jsonld"
        case .csv: return "csv"
        case .markdown: return "md"
        case .html: return "html"
        case .labelstudio: return "json"
        case .jsonl: return "jsonl"
        }
    }

    /// Exports `annotations` of `document` in this format.
    ///
    /// - Parameters:
    ///   - document: the text the annotations point into; its ``Document/path`` names it in
    ///     the output (file name in CSV and Markdown, file URL in W3C).
    ///   - annotations: in any order; the output lists them in document order.
    ///   - orphans: annotations whose quote is no longer in the text; exported with their
    ///     quote but no offsets (see each exporter).
    ///   - codebook: gives category labels and the order of categories and values in the
    ///     Markdown report; the W3C and CSV exports write category ids and do not need it.
    /// - Returns: the whole output, ending with a line break: JSON for ``w3c``, CSV with
    ///   CRLF line ends for ``csv``, Markdown with LF line ends for ``markdown``, an HTML
    ///   page with LF line ends for ``html``.
    /// - Throws: ``DocumentError`` when the text is not valid UTF-8 or holds a NUL byte
    ///   anywhere, also past the part checked when it opened (see
    ///   ``Document/checkWholeText()``); ``ExportError`` when an annotation's span lies
    ///   outside the document or its quote differs from the text at its span (the store
    ///   does not fit the document).
    public func export(document: Document, annotations: [Annotation], orphans: [Annotation] = [], codebook: Codebook) throws -> String {
        switch self {
        case .w3c: return try W3CExporter.export(document: document, annotations: annotations, orphans: orphans)
        case .csv: return try CSVExporter.export(document: document, annotations: annotations, orphans: orphans)
        case .markdown: return try MarkdownExporter.export(document: document, annotations: annotations, orphans: orphans, codebook: codebook)
        case .html: return try HTMLExporter.export(document: document, annotations: annotations, orphans: orphans, codebook: codebook)
        case .labelstudio, .jsonl:
            return try export(document: document, contents: StoreContents(annotations: annotations, orphans: orphans), codebook: codebook)
        }
    }

    /// Exports everything of `contents` this format holds: annotations and orphans as
    /// ``export(document:annotations:orphans:codebook:)`` does, nested values with their
    /// codebook path (`state/Turkey`), and, in W3C and Markdown, the relations and the
    /// document memo. CSV holds the annotations only; its relations table is
    /// ``CSVExporter/exportRelations(document:contents:codebook:)``, written beside it.
    /// Quarantined records are never exported, nor relations with an end among them.
    /// - Returns: the whole output, as ``export(document:annotations:orphans:codebook:)``.
    /// - Throws: as ``export(document:annotations:orphans:codebook:)``.
    /// - Parameter sourceURL: the document's web address: the W3C targets' `source` and the
    ///   Label Studio task's `data.url`; the other formats do not name a source.
    public func export(document: Document, contents: StoreContents, codebook: Codebook, sourceURL: String? = nil) throws -> String {
        let entry = CorpusEntry(name: document.fileName, document: document, contents: contents, codebook: codebook)
        switch self {
        case .w3c: return try W3CExporter.export(document: document, contents: contents, codebook: codebook, sourceURL: sourceURL)
        case .csv: return try CSVExporter.export(document: document, contents: contents, codebook: codebook)
        case .markdown: return try MarkdownExporter.export(document: document, contents: contents, codebook: codebook)
        case .html: return try HTMLExporter.export(document: document, contents: contents, codebook: codebook)
        case .labelstudio: return try LabelStudioExporter.export(corpus: [entry], sourceURL: sourceURL).tasks
        case .jsonl: return try JSONLExporter.export(corpus: [entry]).text
        }
    }
}

/// One document of a corpus export: its name in the output, its text, what its store
/// holds (placed in the text, as ``Reanchoring/place(_:in:)`` gives it) and the codebook
/// discovered for it.
public struct CorpusEntry: Sendable {
    /// How the CSV `document` column and the Markdown report name the document: its path
    /// as the corpus lists it (``CorpusDocument/path``).
    public var name: String
    /// The annotated text; its absolute path, as a `file:` URL, is its W3C targets' `source`.
    public var document: Document
    /// The store's contents.
    public var contents: StoreContents
    /// The codebook discovered for the document: labels, order and nested values' paths.
    public var codebook: Codebook

    /// Creates the entry.
    public init(name: String, document: Document, contents: StoreContents, codebook: Codebook) {
        self.name = name
        self.document = document
        self.contents = contents
        self.codebook = codebook
    }

    /// Checks what every export checks before writing anything: the whole text, and each
    /// annotation's span and quote against it.
    /// - Throws: ``DocumentError`` when the text is damaged; ``ExportError`` for the first
    ///   annotation that does not fit the document.
    public func check() throws {
        _ = try Export.checkedInDocumentOrder(contents.annotations, of: document)
    }
}

extension ExportFormat {
    /// Exports several documents' annotations as one output: a W3C collection
    /// (``W3CExporter/export(corpus:label:)``), one CSV table with the `document` column
    /// telling documents apart (``CSVExporter/export(corpus:)``), or a Markdown report with
    /// a section per document (``MarkdownExporter/export(corpus:title:)``).
    /// - Parameters:
    ///   - entries: the documents, in the order the output lists them.
    ///   - label: the W3C collection's `label` and the Markdown report's title.
    /// - Returns: the whole output, as ``export(document:contents:codebook:)`` ends it.
    /// - Throws: as ``export(document:contents:codebook:)``, for the first document that fails.
    public func export(corpus entries: [CorpusEntry], label: String) throws -> String {
        switch self {
        case .w3c: return try W3CExporter.export(corpus: entries, label: label)
        case .csv: return try CSVExporter.export(corpus: entries)
        case .markdown: return try MarkdownExporter.export(corpus: entries, title: label)
        case .html: return try HTMLExporter.export(corpus: entries, title: label)
        case .labelstudio: return try LabelStudioExporter.export(corpus: entries).tasks
        case .jsonl: return try JSONLExporter.export(corpus: entries).text
        }
    }
}

/// Why annotations could not be exported. `description` is one line naming the annotation.
public enum ExportError: Error, CustomStringConvertible, Equatable {
    /// The span `start..<end` (code points) does not lie within the document's `length`
    /// code points.
    case spanOutsideDocument(id: String, start: Int, end: Int, length: Int)
    /// The document's text at `start..<end` (code points) is `found`, not the annotation's
    /// `quote`: the document changed since the annotation was made and it was not re-anchored.
    case quoteMismatch(id: String, start: Int, end: Int, quote: String, found: String)

    public var description: String {
        switch self {
        case .spanOutsideDocument(let id, let start, let end, let length):
            return "annotation \(id): span \(start)..<\(end) lies outside the document's \(length) code points"
        case .quoteMismatch(let id, let start, let end, let quote, let found):
            return "annotation \(id): the text at \(start)..<\(end) is \(Export.shortened(found).debugDescription), not its quote \(Export.shortened(quote).debugDescription)"
        }
    }
}

/// Helpers the exporters share.
enum Export {
    /// The relations whose two ends are both among `exported` annotation ids, in the
    /// store's order.
    static func exportedRelations(_ relations: [Relation], between exported: Set<String>) -> [Relation] {
        relations.filter { exported.contains($0.from) && exported.contains($0.to) }.sorted(by: Relation.storeOrder)
    }

    /// The tag that names `annotation` at one end of a relation: its first tag of one of
    /// `categories` (the relation type's end categories), else its first tag; nil when it
    /// has none.
    static func endTag(of annotation: Annotation, categories: [String]) -> Tag? {
        annotation.tags.first { categories.contains($0.category) } ?? annotation.tags.first
    }

    /// `annotations` in document order, each checked against `document`, after checking
    /// the whole text.
    /// - Throws: ``DocumentError`` when the text is damaged (``Document/checkWholeText()``);
    ///   ``ExportError`` for the first annotation whose span or quote does not fit.
    static func checkedInDocumentOrder(_ annotations: [Annotation], of document: Document) throws -> [Annotation] {
        try document.checkWholeText()
        let sorted = annotations.sorted(by: Annotation.documentOrder)
        for annotation in sorted {
            try check(annotation, against: document)
        }
        return sorted
    }

    /// Checks that the span lies within the document and selects exactly the quote,
    /// comparing Unicode scalars (not `String ==`, which equates canonically equivalent
    /// text such as precomposed and decomposed accents).
    static func check(_ annotation: Annotation, against document: Document) throws {
        guard 0 <= annotation.start, annotation.start <= annotation.end, annotation.end <= document.length else {
            throw ExportError.spanOutsideDocument(id: annotation.id, start: annotation.start, end: annotation.end, length: document.length)
        }
        let found = document.text(in: annotation.range)
        guard found.unicodeScalars.elementsEqual(annotation.quote.unicodeScalars) else {
            throw ExportError.quoteMismatch(id: annotation.id, start: annotation.start, end: annotation.end, quote: annotation.quote, found: found)
        }
    }

    /// The `file:` URL of the document's path, made absolute against the current folder
    /// and percent-encoded (RFC 8089), e.g. `file:///home/ana/news/article.txt`.
    static func fileURL(of document: Document) -> String {
        URL(fileURLWithPath: document.path).standardizedFileURL.absoluteString
    }

    /// Splits `text` at the line ends the reader breaks lines at, CRLF and LF, working on
    /// Unicode scalars; a lone CR stays in its line (the reader draws it as a space). An
    /// empty text gives one empty line; a text ending with a line end gives a final empty
    /// line.
    static func lines(of text: String) -> [String] {
        var lines: [String] = []
        var current: [Unicode.Scalar] = []
        for scalar in text.unicodeScalars {
            if scalar == "\n" {
                if current.last == "\r" { current.removeLast() }
                lines.append(String(String.UnicodeScalarView(current)))
                current = []
            } else {
                current.append(scalar)
            }
        }
        lines.append(String(String.UnicodeScalarView(current)))
        return lines
    }

    /// At most 40 code points of `text`, with `…` when cut, for messages.
    static func shortened(_ text: String) -> String {
        let scalars = text.unicodeScalars
        guard scalars.count > 40 else { return text }
        return String(String.UnicodeScalarView(scalars.prefix(40))) + "…"
    }
}

extension Document {
    /// Indexes the whole text and throws the first problem in it. A large document is
    /// checked only in part when it opens (``eagerByteCount`` bytes), so whatever writes the
    /// text out whole, as an export does, calls this first.
    /// - Throws: ``DocumentError/notUTF8(path:byteOffset:)`` or
    ///   ``DocumentError/binary(path:byteOffset:)``, as opening a small file with the same
    ///   bytes would; offsets count file bytes.
    public func checkWholeText() throws {
        _ = length
        if let problem { throw problem }
    }
}
