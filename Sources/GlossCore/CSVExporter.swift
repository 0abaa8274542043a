import Foundation

/// Exports annotations as CSV following RFC 4180 (https://www.rfc-editor.org/rfc/rfc4180),
/// encoded as UTF-8 without a byte-order mark.
///
/// The first record is the header ``header``; then one record per tag, annotations in
/// document order and tags in the order they were added. An annotation without tags gives
/// one record with empty `category` and `value`, so every annotation appears. `document` is
/// the document's file name, `start` and `end` are code points (end exclusive), `quote` is
/// the exact text of the span, line endings included (after the `'` described below, when
/// it has one), and `created`/`modified` are ISO 8601 UTC as stored.
///
/// Every record, the last included, ends with CRLF. A field is enclosed in double quotes
/// when it holds a comma, a double quote, a CR or an LF, and each double quote inside it is
/// doubled (RFC 4180 §2, rules 6 and 7). Fields are written scalar by scalar: a quote or
/// comma followed by a combining mark (one grapheme in Swift) is still found and escaped.
/// That is why the records are not written with CSV.swift's `CSVWriter`, whose checks
/// compare `Character`s and miss, for instance, `"` + U+0301, leaving the field unquoted.
///
/// So that opening the file in a spreadsheet runs nothing, every text cell (all columns
/// but `start` and `end`) that begins with `=`, `+`, `-`, `@`, a tab or a carriage return
/// gets a leading `'`, as OWASP's CSV injection guidance says
/// (https://owasp.org/www-community/attacks/CSV_Injection); see ``textCell(_:)``. The
/// numbers in `start` and `end` are written as they are.
public enum CSVExporter {
    /// The header record's fields, in column order.
    public static let columns = ["document", "annotation_id", "start", "end", "quote", "category", "value",
                                 "note", "author", "created", "modified"]

    /// The header record as written, without its CRLF:
    /// `document,annotation_id,start,end,quote,category,value,note,author,created,modified`.
    public static var header: String { columns.joined(separator: ",") }

    /// Exports `annotations` of `document` as CSV (see the type's documentation).
    /// - Parameters:
    ///   - document: the annotated text; its file name fills the `document` column.
    ///   - annotations: in any order; the records follow document order.
    ///   - orphans: annotations whose quote is no longer in the text: their records come
    ///     last, with `start` and `end` empty.
    /// - Returns: the CSV text; every record ends with CRLF.
    /// - Throws: ``DocumentError`` when the text is damaged anywhere
    ///   (``Document/checkWholeText()``); ``ExportError`` when an annotation does not fit
    ///   the document.
    public static func export(document: Document, annotations: [Annotation], orphans: [Annotation] = []) throws -> String {
        try export(document: document, contents: StoreContents(annotations: annotations, orphans: orphans), codebook: nil)
    }

    /// Exports the annotations and orphans of `contents` as CSV (see the type's
    /// documentation); with a codebook, a value nested in its vocabulary is written with
    /// its path (`state/Turkey`, ``Codebook/qualifiedValue(of:)``). Relations go to a
    /// table of their own (``exportRelations(document:contents:codebook:)``); the document
    /// memo is not written, as no record of a table of tags could hold it.
    /// - Returns: the CSV text; every record ends with CRLF.
    /// - Throws: ``DocumentError`` when the text is damaged anywhere
    ///   (``Document/checkWholeText()``); ``ExportError`` when an annotation does not fit
    ///   the document.
    public static func export(document: Document, contents: StoreContents, codebook: Codebook?) throws -> String {
        record(columns) + (try records(document: document, name: document.fileName, contents: contents, codebook: codebook))
    }

    /// Exports several documents' annotations as one table (see the type's
    /// documentation): one header, then each document's records in the order given,
    /// the `document` column holding the entry's ``CorpusEntry/name`` (its path as the
    /// corpus lists it), so documents with the same file name in two folders stay apart.
    /// - Returns: the CSV text; every record ends with CRLF.
    /// - Throws: as ``export(document:contents:codebook:)``, for the first document that fails.
    public static func export(corpus entries: [CorpusEntry]) throws -> String {
        var output = record(columns)
        for entry in entries {
            output += try records(document: entry.document, name: entry.name, contents: entry.contents, codebook: entry.codebook)
        }
        return output
    }

    /// The relations of several documents as one table (header ``relationColumns``), each
    /// document's as ``exportRelations(document:contents:codebook:)`` writes them, its
    /// `document` column holding the entry's ``CorpusEntry/name``.
    /// - Returns: the CSV text; every record ends with CRLF.
    /// - Throws: as ``exportRelations(document:contents:codebook:)``.
    public static func exportRelations(corpus entries: [CorpusEntry]) throws -> String {
        var output = record(relationColumns)
        for entry in entries {
            output += try relationRecords(document: entry.document, name: entry.name, contents: entry.contents, codebook: entry.codebook)
        }
        return output
    }

    /// The records of one document's annotations, without the header.
    static func records(document: Document, name: String, contents: StoreContents, codebook: Codebook?) throws -> String {
        let sorted = try Export.checkedInDocumentOrder(contents.annotations, of: document)
        var output = ""
        for (annotation, placed) in sorted.map({ ($0, true) }) + contents.orphans.map({ ($0, false) }) {
            let tags = annotation.tags.isEmpty ? [Tag(category: "", value: "")] : annotation.tags
            for tag in tags {
                let value = codebook?.qualifiedValue(of: tag) ?? tag.value
                let text = [name, annotation.id, annotation.quote, tag.category, value,
                            annotation.note, annotation.author, annotation.created, annotation.modified].map(textCell)
                output += record([
                    text[0], text[1], placed ? String(annotation.start) : "", placed ? String(annotation.end) : "",
                    text[2], text[3], text[4], text[5], text[6], text[7], text[8],
                ])
            }
        }
        return output
    }

    /// The relations table's header fields, in column order: one record per relation
    /// between two exported annotations, each end named by its id, the tag that fits the
    /// relation type's end categories (else its first tag; empty when it has none; value
    /// with its codebook path) and its quote.
    public static let relationColumns = ["document", "relation_id", "type", "type_label",
                                         "from_id", "from_category", "from_value", "from_quote",
                                         "to_id", "to_category", "to_value", "to_quote",
                                         "note", "author", "created", "modified"]

    /// The relations of `contents` as an RFC 4180 table (header ``relationColumns``), in
    /// the store's order, escaped and guarded against formulas as the annotations' table
    /// is; relations with an end that is not exported (a quarantined record) are left out.
    /// `gloss export --format csv -o OUT` writes it beside `OUT` as
    /// `OUT.relations.csv` (`OUT` less a `.csv` extension).
    /// - Returns: the CSV text, header only when there are no relations; every record ends
    ///   with CRLF.
    /// - Throws: as ``export(document:contents:codebook:)``: the relations' ends are
    ///   checked against the text like the annotations.
    public static func exportRelations(document: Document, contents: StoreContents, codebook: Codebook?) throws -> String {
        record(relationColumns) + (try relationRecords(document: document, name: document.fileName, contents: contents, codebook: codebook))
    }

    /// The records of one document's relations, without the header.
    static func relationRecords(document: Document, name: String, contents: StoreContents, codebook: Codebook?) throws -> String {
        let sorted = try Export.checkedInDocumentOrder(contents.annotations, of: document)
        var byID: [String: Annotation] = [:]
        for annotation in sorted + contents.orphans { byID[annotation.id] = annotation }
        var output = ""
        for relation in Export.exportedRelations(contents.relations, between: Set(byID.keys)) {
            guard let from = byID[relation.from], let to = byID[relation.to] else { continue }
            let type = codebook?.relationType(id: relation.type)
            func end(_ annotation: Annotation, _ categories: [String]) -> [String] {
                let tag = Export.endTag(of: annotation, categories: categories)
                return [annotation.id, tag?.category ?? "", tag.map { codebook?.qualifiedValue(of: $0) ?? $0.value } ?? "", annotation.quote]
            }
            let fields = [name, relation.id, relation.type, type?.label ?? relation.type]
                + end(from, type?.from ?? []) + end(to, type?.to ?? [])
                + [relation.note, relation.author, relation.created, relation.modified]
            output += record(fields.map(textCell))
        }
        return output
    }

    /// Where `gloss export --format csv -o OUT` writes the relations table: `OUT` less a
    /// `.csv` extension (any letter case), plus `.relations.csv`.
    public static func relationsPath(besides output: String) -> String {
        let base = output.lowercased().hasSuffix(".csv") ? String(output.dropLast(4)) : output
        return base + ".relations.csv"
    }

    /// What `gloss export --format csv --excel` puts before each table: U+FEFF, the UTF-8
    /// byte-order mark (bytes EF BB BF). Excel opens a CSV file as text in the system's
    /// legacy code page unless the file starts with it; with it, Excel reads UTF-8. The
    /// records are RFC 4180 already (CRLF line ends, quoted fields may hold line breaks),
    /// which is what Excel writes and reads.
    public static let excelByteOrderMark = "\u{FEFF}"

    /// The first characters that make a spreadsheet read a cell as a formula or run it:
    /// `=`, `+`, `-`, `@`, tab and carriage return (OWASP, CSV injection).
    public static let formulaTriggers: Set<Unicode.Scalar> = ["=", "+", "-", "@", "\t", "\r"]

    /// A text cell's content before RFC 4180 escaping: `text` with a `'` put in front when
    /// its first Unicode scalar is one of ``formulaTriggers``, else `text` unchanged.
    /// Spreadsheets then show the text, `'` aside, instead of evaluating it; a program
    /// reading the CSV sees the `'` and may drop it.
    public static func textCell(_ text: String) -> String {
        guard let first = text.unicodeScalars.first, formulaTriggers.contains(first) else { return text }
        return "'" + text
    }

    /// One RFC 4180 record: the fields, each escaped by ``field(_:)``, joined by commas and
    /// ended by CRLF.
    public static func record(_ fields: [String]) -> String {
        fields.map(field).joined(separator: ",") + "\r\n"
    }

    /// One RFC 4180 field: `value` as it is, or, when it holds a comma, a double quote, a CR
    /// or an LF (looked for among its Unicode scalars), enclosed in double quotes with every
    /// double quote doubled.
    public static func field(_ value: String) -> String {
        let needsQuotes = value.unicodeScalars.contains { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" }
        guard needsQuotes else { return value }
        var escaped = String.UnicodeScalarView()
        escaped.append("\"")
        for scalar in value.unicodeScalars {
            if scalar == "\"" { escaped.append("\"") }
            escaped.append(scalar)
        }
        escaped.append("\"")
        return String(escaped)
    }
}
