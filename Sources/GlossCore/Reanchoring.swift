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
        let scalars = Array(document.text.unicodeScalars)
        var moved = 0
        var orphans: [Annotation] = []
        for annotation in stale {
            let quote = Array(annotation.quote.unicodeScalars)
            guard !quote.isEmpty, quote.count <= scalars.count else {
                orphans.append(annotation)
                continue
            }
            var candidates: [(start: Int, score: Int)] = []
            var start = 0
            while start + quote.count <= scalars.count {
                if scalars[start] == quote[0], scalars[start..<(start + quote.count)].elementsEqual(quote) {
                    let prefix = Array(annotation.prefix.unicodeScalars)
                    let suffix = Array(annotation.suffix.unicodeScalars)
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
            guard winners.count == 1, let winner = winners.first, candidates.count == 1 || winner.score > 0 else {
                orphans.append(annotation)
                continue
            }
            var placed = annotation
            placed.start = winner.start
            placed.end = winner.start + quote.count
            placed.prefix = document.text(in: max(0, placed.start - Annotation.contextLength)..<placed.start)
            placed.suffix = document.text(in: placed.end..<min(document.length, placed.end + Annotation.contextLength))
            anchored.append(placed)
            moved += 1
        }
        return Result(anchored: anchored.sorted(by: Annotation.documentOrder), moved: moved, orphans: orphans)
    }
}
