/// A paragraph's text as the reader shows its line endings, for search: each line ending
/// inside the paragraph (a line feed, CR LF or a lone carriage return) together with the
/// spaces and tabs before and after it becomes one space, or nothing after a hyphen that
/// breaks a word (`counter-⏎terrorism`), as ``Wrapper`` draws them; all other text is
/// kept as it is. Each code point of ``text`` knows the code points of the original it
/// stands for, so a match found in ``text`` is mapped back to the original's code points
/// (``originalRange(_:)``), line ending included.
public struct ReflowedText: Sendable {
    /// The text as shown.
    public let text: String
    /// For each code point of ``text``, where the code points it stands for start in the
    /// original (offsets from the original's start), and after the last one the
    /// original's length; nil when ``text`` is the original (no line ending in it).
    private let starts: [Int]?
    /// For each code point of ``text``, where the code points it stands for end in the
    /// original; nil with ``starts``.
    private let ends: [Int]?

    /// Reflows `original`.
    public init(_ original: String) {
        guard original.utf8.contains(where: { $0 == 0x0A || $0 == 0x0D }) else {
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
        func isBlank(_ scalar: Unicode.Scalar) -> Bool { scalar == " " || scalar == "\t" }
        func isLineEnd(_ scalar: Unicode.Scalar) -> Bool { scalar == "\n" || scalar == "\r" }
        func isWordCharacter(_ index: Int) -> Bool {
            index >= 0 && index < scalars.count
                && (scalars[index].properties.isAlphabetic || scalars[index].properties.numericType == .decimal)
        }
        var index = 0
        while index < scalars.count {
            var blanks = index
            while blanks < scalars.count && isBlank(scalars[blanks]) { blanks += 1 }
            guard blanks < scalars.count, isLineEnd(scalars[blanks]) else {
                // not a line ending: the blanks and the code point after them as they are
                let end = blanks == index ? index + 1 : blanks
                for offset in index..<end {
                    shown.append(scalars[offset])
                    starts.append(offset)
                    ends.append(offset + 1)
                }
                index = end
                continue
            }
            var after = blanks + (scalars[blanks] == "\r" && blanks + 1 < scalars.count && scalars[blanks + 1] == "\n" ? 2 : 1)
            while after < scalars.count && isBlank(scalars[after]) { after += 1 }
            // a word broken at a hyphen is drawn joined (Wrapper.joinsAtHyphen)
            let hyphen = index - 1
            let joined = hyphen >= 1 && ["-", "\u{2010}", "\u{2011}"].contains(scalars[hyphen])
                && isWordCharacter(hyphen - 1) && isWordCharacter(after)
            if joined {
                // the line ending belongs to the hyphen's code point
                if !ends.isEmpty { ends[ends.count - 1] = after }
            } else {
                shown.append(" ")
                starts.append(index)
                ends.append(after)
            }
            index = after
        }
        starts.append(scalars.count)
        text = String(shown)
        self.starts = starts
        self.ends = ends
    }

    /// The code points of the original that code points `range` of ``text`` stand for.
    public func originalRange(_ range: Range<Int>) -> Range<Int> {
        guard let starts, let ends, !range.isEmpty else { return range }
        return starts[range.lowerBound]..<ends[range.upperBound - 1]
    }
}
