/// A paragraph's text as the reader shows its line endings and blanks: each line ending
/// inside the paragraph (a line feed, CR LF or a lone carriage return) together with the
/// spaces and tabs before and after it becomes one space, or nothing after a hyphen that
/// breaks a word (`counter-⏎terrorism`), before a line that starts with a combining mark,
/// joiner or variation selector (`cafe⏎◌́` is `café`), and after a soft hyphen, which is
/// not shown either (`infor­⏎mation` is `information`), as ``Wrapper`` draws them. For search
/// (``Blanks/collapsed``) every run of blanks (``isBlank(_:)``: tabs, no-break spaces and
/// the other code points the reader draws as empty columns) becomes one space as well, so
/// that a space of a search matches whatever blank the reader shows. Each code point of
/// ``text`` knows the code points of the original it stands for, so a match found in
/// ``text`` is mapped back to the original's code points (``originalRange(_:)``), line
/// ending included, and an original stretch to the text shown (``shownRange(_:)``).
public struct ReflowedText: Sendable {
    /// What happens to blanks that are not around a line ending.
    public enum Blanks: Sendable {
        /// Kept as they are, each one code point: the text as the reader lays it out.
        case asShown
        /// Each run of them, with any line ending inside it, becomes one space: the text
        /// search matches in.
        case collapsed
    }

    /// The text as shown.
    public let text: String
    /// For each code point of ``text``, where the code points it stands for start in the
    /// original (offsets from the original's start), and after the last one the
    /// original's length; nil when ``text`` is the original.
    private let starts: [Int]?
    /// For each code point of ``text``, where the code points it stands for end in the
    /// original; nil with ``starts``.
    private let ends: [Int]?

    /// Reflows `original`, with its other blanks as `blanks` says.
    public init(_ original: String, blanks: Blanks = .asShown) {
        guard ReflowedText.mayChange(original, blanks: blanks) else {
            text = original
            starts = nil
            ends = nil
            return
        }
        let scalars = Array(original.unicodeScalars)
        var shown = String.UnicodeScalarView()
        var starts: [Int] = [], ends: [Int] = []
        starts.reserveCapacity(scalars.count + 1)
        ends.reserveCapacity(scalars.count)
        /// True when a mark or joiner follows scalar `index`, drawing it as one cluster
        /// with the scalar before: a blank so extended is not drawn as a blank.
        func isExtended(_ index: Int) -> Bool {
            index + 1 < scalars.count && ReflowedText.extendsCluster(scalars[index + 1])
        }
        func isLineEnd(_ index: Int) -> Bool { scalars[index] == "\n" || scalars[index] == "\r" }
        /// A space or tab, which the reader swallows beside a line ending.
        func isSpaceOrTab(_ index: Int) -> Bool { (scalars[index] == " " || scalars[index] == "\t") && !isExtended(index) }
        func isRunScalar(_ index: Int) -> Bool {
            if isLineEnd(index) { return true }
            switch blanks {
            case .asShown: return isSpaceOrTab(index)
            case .collapsed: return ReflowedText.isBlank(scalars[index]) && !isExtended(index)
            }
        }
        func isWordCharacter(_ scalar: Unicode.Scalar) -> Bool {
            scalar.properties.isAlphabetic || scalar.properties.numericType == .decimal
        }
        var index = 0
        while index < scalars.count {
            guard isRunScalar(index) else {
                shown.append(scalars[index])
                starts.append(index)
                ends.append(index + 1)
                index += 1
                continue
            }
            // the run of blanks and line endings from here, and how it is made
            var end = index, lineEnds = 0, spacesAndTabsOnly = true
            while end < scalars.count && isRunScalar(end) {
                if isLineEnd(end) {
                    lineEnds += 1
                    if scalars[end] == "\r" && end + 1 < scalars.count && scalars[end + 1] == "\n" { end += 1 }
                } else if !isSpaceOrTab(end) {
                    spacesAndTabsOnly = false
                }
                end += 1
            }
            if lineEnds == 0 && blanks == .asShown {
                for offset in index..<end {
                    shown.append(scalars[offset])
                    starts.append(offset)
                    ends.append(offset + 1)
                }
                index = end
                continue
            }
            // a word broken at a hyphen is drawn joined (Wrapper.joinsAtHyphen): the
            // hyphen's cluster right before the line ending and its spaces and tabs, a
            // letter or digit cluster before it and one after
            var base = index - 2
            while base >= 0 && ReflowedText.extendsCluster(scalars[base]) { base -= 1 }
            let joined = lineEnds == 1 && spacesAndTabsOnly && base >= 0 && end < scalars.count
                && ["-", "\u{2010}", "\u{2011}"].contains(scalars[index - 1])
                && isWordCharacter(scalars[base]) && isWordCharacter(scalars[end])
            // a line that starts with a mark, joiner or variation selector goes on the
            // cluster before it; a soft hyphen ending a line is a hyphenation point, not shown
            let markJoined = lineEnds == 1 && spacesAndTabsOnly && !starts.isEmpty && end < scalars.count
                && scalars[end - 1] != " " && scalars[end - 1] != "\t" && ReflowedText.startsJoined(scalars[end])
            let softHyphenJoined = lineEnds == 1 && spacesAndTabsOnly && starts.count > 1 && end < scalars.count
                && scalars[index - 1] == ReflowedText.softHyphen && !isRunScalar(end)
            if softHyphenJoined {
                // the soft hyphen and the line ending belong to the code point before them
                shown.removeLast()
                starts.removeLast()
                ends.removeLast()
                ends[ends.count - 1] = end
            } else if joined || markJoined {
                // the line ending belongs to the hyphen's code point, or the one before the mark
                ends[ends.count - 1] = end
            } else {
                shown.append(" ")
                starts.append(index)
                ends.append(end)
            }
            index = end
        }
        starts.append(scalars.count)
        text = String(shown)
        self.starts = starts
        self.ends = ends
    }

    /// True for the code points search reads as a blank (one space): those the reader
    /// draws as empty columns. The ASCII whitespace controls (tab, line feed, vertical
    /// tab, form feed, carriage return), space, next line (U+0085) and the line and
    /// paragraph separators (U+2028, U+2029), which ``DisplayWidth`` draws as a space; and
    /// the spaces the terminal draws empty: no-break space (U+00A0), the spaces U+2000 to
    /// U+200A, the narrow no-break space (U+202F), the medium mathematical space (U+205F)
    /// and the ideographic space (U+3000, two columns). Not the Ogham space mark (U+1680),
    /// which has a glyph, nor the zero-width space and other format characters, which the
    /// reader draws as a middle dot.
    public static func isBlank(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09...0x0D, 0x20, 0x85, 0xA0, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: return true
        default: return false
        }
    }

    /// U+00AD SOFT HYPHEN: a place a word may be hyphenated, shown only there.
    public static let softHyphen: Unicode.Scalar = "\u{00AD}"

    /// True for a code point that, starting a line inside a paragraph, continues the line
    /// before it with no space (``extendsCluster(_:)``: a combining mark, the zero-width
    /// joiner, a variation selector, a spacing mark): it belongs to the last character of
    /// that line, as it would had the line ending not come between them.
    public static func startsJoined(_ scalar: Unicode.Scalar) -> Bool {
        extendsCluster(scalar)
    }

    /// True for a code point that joins the cluster before it (grapheme extend, zero-width
    /// joiner, spacing mark), so that the cluster is not a lone blank or hyphen.
    public static func extendsCluster(_ scalar: Unicode.Scalar) -> Bool {
        guard scalar.value >= 0x300 else { return false }
        let properties = scalar.properties
        return properties.isGraphemeExtend || scalar.value == 0x200D || properties.generalCategory == .spacingMark
    }

    /// False when reflowing cannot change `original`: no line ending in it and, for
    /// ``Blanks/collapsed``, no blank but lone ASCII spaces. Looks at bytes only.
    static func mayChange(_ original: String, blanks: Blanks) -> Bool {
        var original = original
        return original.withUTF8 { utf8 in
            if blanks == .asShown { return utf8.contains { $0 == 0x0A || $0 == 0x0D } }
            var previousSpace = false
            for (offset, byte) in utf8.enumerated() {
                switch byte {
                case 0x09...0x0D: return true
                case 0x20: if previousSpace { return true }
                // the lead bytes of the blanks beyond ASCII
                case 0xC2, 0xE2, 0xE3: if AppState.blankBytes(at: offset, in: utf8, to: utf8.count) > 0 { return true }
                default: break
                }
                previousSpace = byte == 0x20
            }
            return false
        }
    }

    /// The code points of the original that code points `range` of ``text`` stand for.
    public func originalRange(_ range: Range<Int>) -> Range<Int> {
        guard let starts, let ends, !range.isEmpty else { return range }
        return starts[range.lowerBound]..<ends[range.upperBound - 1]
    }

    /// The code points of ``text`` that show code points `range` of the original: from
    /// the first shown code point standing for code points at or after the range's start
    /// to the first one standing for code points at or after its end, so that a range
    /// ``originalRange(_:)`` gave maps back to where it came from.
    public func shownRange(_ range: Range<Int>) -> Range<Int> {
        guard let starts else { return range }
        func shownOffset(_ original: Int) -> Int {
            // starts are ordered: the first at or after `original`
            var low = 0, high = starts.count - 1
            while low < high {
                let middle = (low + high) / 2
                if starts[middle] < original { low = middle + 1 } else { high = middle }
            }
            return low
        }
        let lower = shownOffset(range.lowerBound)
        return lower..<max(lower, shownOffset(range.upperBound))
    }
}
