/// A text whose line endings look converted since its store was made, CR LF to LF or LF
/// to CR LF, and where an offset of the old text lies in the new one.
///
/// A conversion adds or removes one code point per line break, so every offset after the
/// first break moves by the breaks before it: a place halfway through a large text moves
/// by half the change in its length, which neither its recorded offset nor that offset
/// moved by the whole change is near. Re-anchoring expects an annotation there too
/// (``Reanchoring/expectedStarts(of:lengthChange:conversion:)``), so that of identical
/// copies of its quote and context the one the conversion moved it to wins.
struct LineEndingConversion: Equatable {
    /// Which way the line endings were converted.
    enum Direction: Equatable {
        /// The text had CR LF and has LF now.
        case toLineFeeds
        /// The text had LF and has CR LF now.
        case toCRLF
    }

    /// Which way they were converted.
    let direction: Direction
    /// Code point offsets in the new text of its line breaks, sorted: each LF
    /// (``Direction/toLineFeeds``) or the CR of each CR LF (``Direction/toCRLF``).
    let breaks: [Int]

    /// The conversion that explains the text's change in length, `lengthChange` code
    /// points (its length now less the length its store records), or nil. The text must
    /// have line breaks of one kind only, all LF or all CR LF with no lone CR, and
    /// converting them all must account for the change to within a tenth of their count
    /// (a few words edited as well). Reads `utf8` once.
    init?(utf8: UnsafeBufferPointer<UInt8>, lengthChange: Int) {
        guard lengthChange != 0 else { return nil }
        var lineFeeds: [Int] = [], pairs: [Int] = []
        var codePoint = 0, loneReturns = 0
        var index = 0
        let count = utf8.count
        while index < count {
            let byte = utf8[index]
            if byte == 0x0D {
                if index + 1 < count && utf8[index + 1] == 0x0A {
                    pairs.append(codePoint)
                    codePoint += 2
                    index += 2
                    continue
                }
                loneReturns += 1
            } else if byte == 0x0A {
                lineFeeds.append(codePoint)
            }
            if byte & 0xC0 != 0x80 { codePoint += 1 }
            index += 1
        }
        guard loneReturns == 0 else { return nil }
        if lengthChange < 0, pairs.isEmpty, !lineFeeds.isEmpty,
           abs(lengthChange + lineFeeds.count) <= lineFeeds.count / 10 {
            direction = .toLineFeeds
            breaks = lineFeeds
        } else if lengthChange > 0, lineFeeds.isEmpty, !pairs.isEmpty,
                  abs(lengthChange - pairs.count) <= pairs.count / 10 {
            direction = .toCRLF
            breaks = pairs
        } else {
            return nil
        }
    }

    /// Where code point `offset` of the old text is in the new one: moved back by the CRs
    /// removed before it, or on by the CRs added before it.
    func newOffset(ofOld offset: Int) -> Int {
        // the i-th break's first code point in the old text: its CR (to LF), its LF (to CR LF)
        func oldStart(_ index: Int) -> Int { direction == .toLineFeeds ? breaks[index] + index : breaks[index] - index }
        // how many breaks start before `offset` in the old text; their old starts are ordered
        var low = 0, high = breaks.count
        while low < high {
            let middle = (low + high) / 2
            if oldStart(middle) < offset { low = middle + 1 } else { high = middle }
        }
        return direction == .toLineFeeds ? offset - low : offset + low
    }
}
