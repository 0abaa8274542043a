import Foundation

/// Finds annotations again after the document text changed (the approach of Hypothesis's
/// anchoring: the recorded position first, then the quote with its prefix and suffix).
public enum Reanchoring {
    /// The outcome of re-anchoring a store's annotations against a document.
    public struct Result: Sendable {
        /// Annotations whose quote is at their offsets, some moved there.
        public var anchored: [Annotation]
        /// How many of `anchored` had to move.
        public var moved: Int
        /// Annotations whose quote was not found at one confident place: kept unchanged.
        public var orphans: [Annotation]
    }

    /// Checks every annotation's quote against `document` at its offsets. One that does not
    /// match is moved to the occurrence of its quote whose surrounding text best matches its
    /// prefix and suffix, when exactly one occurrence is best; otherwise it is an orphan.
    /// The search compares NFC forms, so canonically equivalent text matches, and maps the
    /// match back to offsets in the original, unnormalised text.
    /// Costs a walk over the text only when some annotation does not match.
    public static func reanchor(_ annotations: [Annotation], in document: Document) -> Result {
        var anchored: [Annotation] = []
        var stale: [Annotation] = []
        for annotation in annotations {
            if annotation.end <= document.length,
               document.text(in: annotation.range).unicodeScalars.elementsEqual(annotation.quote.unicodeScalars) {
                anchored.append(annotation)
            } else {
                stale.append(annotation)
            }
        }
        guard !stale.isEmpty else { return Result(anchored: anchored, moved: 0, orphans: []) }
        let text = NormalizedText(document.text)
        let scalars = text.scalars
        var moved = 0
        var orphans: [Annotation] = []
        for annotation in stale {
            let quote = NormalizedText.nfc(annotation.quote)
            guard !quote.isEmpty, quote.count <= scalars.count else {
                orphans.append(annotation)
                continue
            }
            let prefix = NormalizedText.nfc(annotation.prefix)
            let suffix = NormalizedText.nfc(annotation.suffix)
            var candidates: [(start: Int, score: Int)] = []
            var start = 0
            while start + quote.count <= scalars.count {
                if scalars[start] == quote[0], scalars[start..<(start + quote.count)].elementsEqual(quote) {
                    var score = 0
                    while score < prefix.count, start - score - 1 >= 0,
                          scalars[start - score - 1] == prefix[prefix.count - score - 1] { score += 1 }
                    var after = 0
                    while after < suffix.count, start + quote.count + after < scalars.count,
                          scalars[start + quote.count + after] == suffix[after] { after += 1 }
                    candidates.append((start, score + after))
                }
                start += 1
            }
            let best = candidates.map(\.score).max()
            let winners = candidates.filter { $0.score == best }
            guard winners.count == 1, let winner = winners.first, candidates.count == 1 || winner.score > 0,
                  let range = text.originalRange(of: winner.start..<(winner.start + quote.count)) else {
                orphans.append(annotation)
                continue
            }
            var placed = annotation
            placed.start = range.lowerBound
            placed.end = range.upperBound
            // the quote is the document's own text, which may differ in normalisation
            placed.quote = document.text(in: range)
            placed.prefix = document.text(in: max(0, placed.start - Annotation.contextLength)..<placed.start)
            placed.suffix = document.text(in: placed.end..<min(document.length, placed.end + Annotation.contextLength))
            anchored.append(placed)
            moved += 1
        }
        return Result(anchored: anchored.sorted(by: Annotation.documentOrder), moved: moved, orphans: orphans)
    }
}

/// A text in NFC, scalar by scalar, with the original code-point offset where each
/// normalised scalar's grapheme cluster starts and ends. Normalisation is applied per
/// grapheme cluster, which canonical composition does not cross.
struct NormalizedText {
    /// The NFC scalars.
    private(set) var scalars: [Unicode.Scalar] = []
    private var clusterStart: [Int] = []
    private var clusterEnd: [Int] = []

    init(_ text: String) {
        var offset = 0
        for character in text {
            let length = character.unicodeScalars.count
            for scalar in NormalizedText.nfc(String(character)) {
                scalars.append(scalar)
                clusterStart.append(offset)
                clusterEnd.append(offset + length)
            }
            offset += length
        }
    }

    /// The NFC scalars of `text`.
    static func nfc(_ text: String) -> [Unicode.Scalar] {
        Array(text.precomposedStringWithCanonicalMapping.unicodeScalars)
    }

    /// The original code points of normalised scalars `range`, or nil when the range
    /// starts or ends inside a grapheme cluster.
    func originalRange(of range: Range<Int>) -> Range<Int>? {
        guard !range.isEmpty, range.upperBound <= scalars.count else { return nil }
        let start = clusterStart[range.lowerBound], end = clusterEnd[range.upperBound - 1]
        if range.lowerBound > 0, clusterStart[range.lowerBound - 1] == start { return nil }
        if range.upperBound < scalars.count, clusterEnd[range.upperBound] == end { return nil }
        return start..<end
    }
}
