import Foundation

/// Exports annotations as doccano's JSONL for sequence labeling
/// (https://doccano.github.io/doccano/tutorial/, "Import Dataset", JSONL): one line per
/// document, a JSON object with the document `text` and its spans as
/// `"label": [[start, end, "category:value"], ...]`.
///
/// ```json
/// {"text":"Ankara talks …","label":[[0,6,"actor:state/Turkey"],[21,38,"actor:state/Turkey"],…]}
/// ```
///
/// Each annotation gives one span per tag, labelled `category:value` (the value with its
/// codebook path) or the bare category for an empty value, as W3C bodies write them
/// (``W3CExporter/bodyValue(of:)``); an annotation without tags gives one span labelled
/// ``LabelStudioExporter/untaggedLabel``. Spans are in document order, an annotation's in
/// the order of its tags. Every line ends with LF; the text's own line ends are escaped
/// inside the JSON string, so a line is always one document.
///
/// **Offsets** (``OffsetUnit``): by default UTF-16 code units, end exclusive, the unit
/// doccano's annotator counts in: it is a browser app whose offsets are JavaScript string
/// indexes, so an emoji outside the Basic Multilingual Plane counts two (doccano issues
/// #2290 and #2484; doccano's own export writes the same numbers back). With
/// ``OffsetUnit/codePoints`` they are code points, as Python's `str` slicing and Gloss
/// count. Either way a CR and an LF count one each.
///
/// doccano's sequence-labeling JSONL has no place for notes, relations, the memo, authors
/// or times; orphans have no offsets. Each is named in ``Output/notes``.
public enum JSONLExporter {
    /// What `start` and `end` count.
    public enum OffsetUnit: String, CaseIterable, Sendable {
        /// UTF-16 code units: JavaScript string indexes, as doccano's annotator counts.
        case utf16
        /// Unicode code points (scalars): Python `str` indexes, as Gloss counts.
        case codePoints = "code-points"
    }

    /// One export.
    public struct Output: Sendable {
        /// The JSONL text: one line per document, each ended by LF.
        public var text: String
        /// What the format cannot hold, one line each, naming the document.
        public var notes: [String]
    }

    /// Exports `entries`, one line each in the order given.
    /// - Throws: ``DocumentError`` when a text is damaged; ``ExportError`` when an
    ///   annotation does not fit its document.
    public static func export(corpus entries: [CorpusEntry], offsets unit: OffsetUnit = .utf16) throws -> Output {
        var lines = ""
        var notes: [String] = []
        for entry in entries {
            let (line, lineNotes) = try self.line(of: entry, offsets: unit)
            lines += line + "\n"
            notes += lineNotes.map { "\(entry.name): \($0)" }
        }
        return Output(text: lines, notes: notes)
    }

    /// The JSON object of one document (no line end) and what it could not hold.
    /// `json` with NEL (U+0085), LINE SEPARATOR (U+2028) and PARAGRAPH SEPARATOR (U+2029)
    /// written as `\uXXXX` escapes: JSON allows them raw inside strings, but readers that
    /// split lines as Python's `str.splitlines` does would cut a JSONL record at them.
    /// They occur only inside strings, so the escape keeps the value.
    static func escapingLineSeparators(_ json: String) -> String {
        var result = String.UnicodeScalarView()
        for scalar in json.unicodeScalars {
            switch scalar.value {
            case 0x85, 0x2028, 0x2029: result.append(contentsOf: String(format: "\\u%04x", scalar.value).unicodeScalars)
            default: result.append(scalar)
            }
        }
        return String(result)
    }

    static func line(of entry: CorpusEntry, offsets unit: OffsetUnit) throws -> (String, [String]) {
        let document = entry.document
        let sorted = try Export.checkedInDocumentOrder(entry.contents.annotations, of: document)
        let text = document.text
        let position = unit == .utf16 ? utf16Offsets(in: text, at: sorted.flatMap { [$0.start, $0.end] }) : [:]
        func offset(_ codePoint: Int) -> Int { unit == .utf16 ? position[codePoint]! : codePoint }
        var spans: [JSONValue] = []
        for annotation in sorted {
            for label in LabelStudioExporter.labels(of: annotation, codebook: entry.codebook) {
                spans.append(.array([.integer(offset(annotation.start)), .integer(offset(annotation.end)), .string(label)]))
            }
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        // "text" first, as doccano's examples write it (a sorted-keys object would put "label" first)
        let line = escapingLineSeparators("{\"text\":" + String(decoding: try encoder.encode(JSONValue.string(text)), as: UTF8.self)
            + ",\"label\":" + String(decoding: try encoder.encode(JSONValue.array(spans)), as: UTF8.self) + "}")

        var notes: [String] = []
        let noted = sorted.filter { !$0.note.isEmpty }.count
        if noted > 0 { notes.append("\(noted) note(s) not exported: doccano's JSONL holds spans and labels only") }
        let exported = Set(sorted.map(\.id))
        let relations = entry.contents.relations.filter { exported.contains($0.from) && exported.contains($0.to) }.count
        if relations > 0 { notes.append("\(relations) relation(s) not exported: doccano's sequence-labeling JSONL has no relations") }
        if !entry.contents.orphans.isEmpty {
            notes.append("\(entry.contents.orphans.count) orphaned annotation(s) (with no place in the text) not exported: doccano needs offsets")
        }
        if !entry.contents.memo.isEmpty { notes.append("the document memo is not exported: doccano's JSONL has no place for it") }
        return (line, notes)
    }

    /// The UTF-16 offset of each code-point offset in `codePoints` (each within the text),
    /// walking the text once.
    static func utf16Offsets(in text: String, at codePoints: [Int]) -> [Int: Int] {
        let wanted = Set(codePoints).sorted()
        var result: [Int: Int] = [:]
        var next = 0
        var codePoint = 0, utf16 = 0
        for scalar in text.unicodeScalars {
            guard next < wanted.count else { break }
            while next < wanted.count && wanted[next] == codePoint {
                result[codePoint] = utf16
                next += 1
            }
            codePoint += 1
            utf16 += scalar.utf16.count
        }
        while next < wanted.count && wanted[next] == codePoint {
            result[codePoint] = utf16
            next += 1
        }
        return result
    }
}
