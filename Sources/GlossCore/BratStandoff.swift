import Foundation

/// What Gloss's brat export and import share: how tags, values, notes and multi-line spans
/// are written in brat standoff (https://brat.nlplab.org/standoff.html).
///
/// brat keeps a document as `NAME.txt` (the text) and `NAME.ann` (one annotation per line,
/// fields separated by tabs). Offsets are Unicode code points of the text, end exclusive,
/// as Gloss's are (brat is written in Python, whose strings count code points). The
/// mapping:
///
/// - An annotation gives one text-bound line per category of its tags,
///   `T1<TAB>actor 0 5<TAB>quote`, its type the category's brat type name
///   (``BratTypeNames``). An annotation without tags has the type ``untaggedType``.
/// - Each tag value is a normalisation, `N1<TAB>Reference T1 gloss:state/Turkey<TAB>Turkey`:
///   the reference database ``referenceDatabase`` and the value's codebook path, each step
///   percent-encoded (``referenceID(forValuePath:)``), so any value comes back exactly;
///   the last field repeats the value for people.
/// - The note is `#1<TAB>AnnotatorNotes T1<TAB>text` on the annotation's first text-bound
///   line, its line breaks, tabs and backslashes escaped (``escapeNote(_:)``).
/// - A relation is `R1<TAB>acts-on Arg1:T1 Arg2:T3`, its note a `#` line on the `R`.
/// - A span holding a line break or a tab, which the one-line text field cannot hold, is
///   written as brat's editor writes such a selection: discontinuous fragments
///   `start end;start end`, split where it breaks (``fragments(of:in:)``), the text
///   field being the fragments joined by one space.
public enum BratStandoff {
    /// The reference database of the normalisations that carry tag values: `gloss`.
    public static let referenceDatabase = "gloss"
    /// The type of those normalisations: `Reference`, as in brat's own examples.
    public static let normalizationType = "Reference"
    /// The type of the note lines brat's editor writes: `AnnotatorNotes`.
    public static let noteType = "AnnotatorNotes"
    /// The brat type of an annotation that has no tags: `gloss-untagged`.
    public static let untaggedType = "gloss-untagged"
    /// The first line of the `annotation.conf` Gloss writes; an output folder whose
    /// `annotation.conf` starts with it is an earlier export, which may be replaced.
    public static let configurationMarker = "# brat annotation configuration written by gloss export --format brat"

    /// True for the characters a brat line cannot hold inside a field: the tab (the field
    /// separator) and every character Python reads as a line end (`str.splitlines`): LF,
    /// VT, FF, CR, U+001C–U+001E, NEL (U+0085), LINE SEPARATOR and PARAGRAPH SEPARATOR.
    public static func breaksField(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09...0x0D, 0x1C...0x1E, 0x85, 0x2028, 0x2029: return true
        default: return false
        }
    }

    /// True for white space as Python's `str.strip` sees it (Unicode White_Space and
    /// U+001C–U+001F), which brat's editor trims from the fragments of a selection.
    public static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isWhitespace || (0x1C...0x1F).contains(scalar.value)
    }

    // MARK: - Multi-line spans

    /// The fragments brat writes for `range` of a text: the span less every run of white
    /// space in it that holds a line break or a tab (``breaksField(_:)``), as brat's
    /// editor splits a selection at line breaks and tabs and trims the pieces. A span
    /// without such a run is one fragment, itself.
    /// - Parameters:
    ///   - range: code points of the text, end exclusive.
    ///   - scalars: the text's code points in `range` (`scalars.count == range.count`).
    /// - Returns: the fragments in text order, none empty; empty when the span is nothing
    ///   but white space with a line break or tab in it. The first fragment starts later
    ///   than `range` (or the last ends earlier) only when the span starts (or ends) with
    ///   such a run.
    public static func fragments(of range: Range<Int>, in scalars: [Unicode.Scalar]) -> [Range<Int>] {
        var result: [Range<Int>] = []
        var fragmentStart = 0
        var index = 0
        while index < scalars.count {
            guard isSpace(scalars[index]) else { index += 1; continue }
            var end = index
            var breaks = false
            while end < scalars.count, isSpace(scalars[end]) {
                if breaksField(scalars[end]) { breaks = true }
                end += 1
            }
            if breaks {
                if fragmentStart < index { result.append(range.lowerBound + fragmentStart..<range.lowerBound + index) }
                fragmentStart = end
            }
            index = end
        }
        if fragmentStart < scalars.count { result.append(range.lowerBound + fragmentStart..<range.upperBound) }
        return result
    }

    /// Joins the fragments of a text-bound annotation that ``fragments(of:in:)`` (or brat's
    /// editor, on a selection over several lines) made of one span: two fragments in a row
    /// are joined when the text between them is white space holding a line break or a tab,
    /// or nothing (touching or overlapping fragments).
    /// - Parameters:
    ///   - fragments: code point ranges of `text`, in any order, each within it.
    ///   - text: the whole text's code points.
    /// - Returns: the spans, in text order: one for a multi-line span, several for a
    ///   discontinuous span with words between its fragments.
    public static func joinedSpans(of fragments: [Range<Int>], in text: [Unicode.Scalar]) -> [Range<Int>] {
        var spans: [Range<Int>] = []
        for fragment in fragments.sorted(by: { ($0.lowerBound, $0.upperBound) < ($1.lowerBound, $1.upperBound) }) {
            guard let last = spans.last else { spans.append(fragment); continue }
            if fragment.lowerBound <= last.upperBound {
                spans[spans.count - 1] = last.lowerBound..<max(last.upperBound, fragment.upperBound)
                continue
            }
            let gap = text[last.upperBound..<fragment.lowerBound]
            if gap.allSatisfy(isSpace), gap.contains(where: breaksField) {
                spans[spans.count - 1] = last.lowerBound..<fragment.upperBound
            } else {
                spans.append(fragment)
            }
        }
        return spans
    }

    // MARK: - Notes

    /// A note as one brat field: backslash as `\\`, line feed as `\n`, carriage return as
    /// `\r`, tab as `\t`, and the other characters a line cannot hold (``breaksField(_:)``)
    /// as `\uXXXX` (four hexadecimal digits, upper case). Everything else is kept, so
    /// ``unescapeNote(_:)`` gives the note back exactly.
    public static func escapeNote(_ note: String) -> String {
        var escaped = ""
        for scalar in note.unicodeScalars {
            switch scalar {
            case "\\": escaped += "\\\\"
            case "\n": escaped += "\\n"
            case "\r": escaped += "\\r"
            case "\t": escaped += "\\t"
            default:
                if breaksField(scalar) {
                    escaped += String(format: "\\u%04X", scalar.value)
                } else {
                    escaped.unicodeScalars.append(scalar)
                }
            }
        }
        return escaped
    }

    /// The note a brat note field holds: the escapes of ``escapeNote(_:)`` (`\\`, `\n`,
    /// `\r`, `\t`, `\uXXXX`) read back; a backslash before anything else is kept as it is,
    /// so a note typed in brat such as `C:\data` stays unchanged.
    public static func unescapeNote(_ field: String) -> String {
        let scalars = Array(field.unicodeScalars)
        var result = String.UnicodeScalarView()
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            guard scalar == "\\", index + 1 < scalars.count else {
                result.append(scalar)
                index += 1
                continue
            }
            switch scalars[index + 1] {
            case "\\": result.append("\\"); index += 2
            case "n": result.append("\n"); index += 2
            case "r": result.append("\r"); index += 2
            case "t": result.append("\t"); index += 2
            case "u" where index + 6 <= scalars.count:
                let hex = String(String.UnicodeScalarView(scalars[(index + 2)..<(index + 6)]))
                if hex.unicodeScalars.allSatisfy({ $0.properties.isASCIIHexDigit }), let value = UInt32(hex, radix: 16),
                   let decoded = Unicode.Scalar(value) {
                    result.append(decoded)
                    index += 6
                } else {
                    result.append(scalar)
                    index += 1
                }
            default:
                result.append(scalar)
                index += 1
            }
        }
        return String(result)
    }

    /// `text` with every character a brat field cannot hold (``breaksField(_:)``) replaced
    /// by a space: for fields people read and Gloss does not read back (a normalisation's
    /// text).
    public static func fieldText(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { breaksField($0) ? " " : $0 }))
    }

    // MARK: - Values

    /// The normalisation id of a value: `gloss:` followed by the value's codebook path
    /// (``Category/path(of:)``), steps joined by `/`, each step percent-encoded where it
    /// holds `%`, `/`, white space, a control or a format character (UTF-8 bytes, `%XX`),
    /// since brat splits the id from the type and target at white space. `Turkey` under
    /// `state` is `gloss:state/Turkey`; `Islamic State` is `gloss:Islamic%20State`. brat
    /// reads no empty id (its parser wants `DB:ID` with an ID), so the empty value, a
    /// path of one empty step, is `gloss:/`.
    public static func referenceID(forValuePath path: [String]) -> String {
        let joined = path.map(percentEncoded).joined(separator: "/")
        return referenceDatabase + ":" + (joined.isEmpty ? "/" : joined)
    }

    /// The value a normalisation id of ``referenceDatabase`` names: the last step of its
    /// path, percent-decoded; nil when `id` is not of that database or does not decode.
    /// - Parameter id: the id field as written, `gloss:state/Turkey`.
    public static func value(fromReferenceID id: String) -> String? {
        let prefix = referenceDatabase + ":"
        guard id.hasPrefix(prefix) else { return nil }
        let path = String(id.dropFirst(prefix.count))
        if path.isEmpty { return "" }
        guard let last = path.split(separator: "/", omittingEmptySubsequences: false).last else { return nil }
        return String(last).removingPercentEncoding
    }

    static func percentEncoded(_ step: String) -> String {
        var encoded = ""
        for scalar in step.unicodeScalars {
            let category = scalar.properties.generalCategory
            if scalar == "%" || scalar == "/" || isSpace(scalar) || category == .control || category == .format {
                encoded += String(scalar).utf8.map { String(format: "%%%02X", $0) }.joined()
            } else {
                encoded.unicodeScalars.append(scalar)
            }
        }
        return encoded
    }

    /// The key under which brat type names and codebook ids or labels are compared on
    /// import: lower case, with `_`, `-` and spaces all alike.
    public static func matchKey(_ name: String) -> String {
        String(String.UnicodeScalarView(name.lowercased().unicodeScalars.map { $0 == "_" || $0 == " " ? "-" : $0 }))
    }
}

/// The brat type names of a set of Gloss ids (category ids, or relation type ids), fixed
/// for one export so that every document and every coder's folder uses the same names.
///
/// brat type names cannot hold spaces and take their meaning from characters such as `|`,
/// `,`, `:`, `<`, `>` and `!` in `annotation.conf`, so a name keeps an id's letters, digits,
/// `-` and `_`, each other character becoming `_` (`cooperation measure` becomes
/// `cooperation_measure`; an empty id `_`). When two ids give one name, the later one, in
/// the order given, gets `-2`, `-3`... after it.
public struct BratTypeNames: Sendable, Equatable {
    /// The ids, in the order given, each once.
    public private(set) var ids: [String] = []
    private var names: [String: String] = [:]

    /// Names `ids` in order; an id given twice is named once.
    public init(_ ids: [String]) {
        var taken = Set<String>()
        for id in ids where names[id] == nil {
            let base = BratTypeNames.sanitized(id)
            var name = base
            var number = 2
            while taken.contains(name) || name == BratStandoff.untaggedType {
                name = "\(base)-\(number)"
                number += 1
            }
            taken.insert(name)
            names[id] = name
            self.ids.append(id)
        }
    }

    /// The brat type name of `id`; for an id not given to the initialiser, its
    /// sanitised form.
    public func name(of id: String) -> String {
        names[id] ?? BratTypeNames.sanitized(id)
    }

    /// `id` with every character but letters, digits, `-` and `_` replaced by `_`.
    public static func sanitized(_ id: String) -> String {
        if id.isEmpty { return "_" }
        return String(String.UnicodeScalarView(id.unicodeScalars.map { scalar in
            let properties = scalar.properties
            let kept = scalar == "-" || scalar == "_" || properties.isAlphabetic || properties.numericType == .decimal
            return kept && !properties.isWhitespace ? scalar : "_"
        }))
    }
}
