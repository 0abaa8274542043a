import Foundation
import Crypto

/// Finds annotations again after the document text changed, in the order of Hypothesis's
/// anchoring: the recorded position checked against the quote; then an exact search of the
/// quote scored by its prefix and suffix; then an approximate match of the quote, bounded
/// relative to its length and tied to its context, for quotes that were edited.
public enum Reanchoring {
    /// The outcome of re-anchoring a store's annotations against a document.
    public struct Result: Sendable {
        /// Annotations whose quote is at their offsets, some moved there.
        public var anchored: [Annotation]
        /// How many of `anchored` had to move, `approximate` included.
        public var moved: Int
        /// How many of the moved ones were placed by approximate match: their quoted text had
        /// been edited, and they now cover the edited text, with `quote`, `prefix` and `suffix`
        /// taken from it. Worth reporting, since the analyst may want to check them.
        public var approximate: Int
        /// The ids of the annotations placed by approximate match, whose quote was edited.
        public var approximateIDs: Set<String> = []
        /// The ids of the annotations placed at the only copy of their quote in the text,
        /// none of their context beside it (``Reanchoring/uniqueQuoteLength``); exact, so
        /// not in `approximateIDs`.
        public var byQuoteAloneIDs: Set<String> = []
        /// Annotations not found at one confident place: kept unchanged, each with its
        /// reason in `orphanReasons`.
        public var orphans: [Annotation]
        /// Why each of `orphans` has no place, by id.
        public var orphanReasons: [String: OrphanReason] = [:]
        /// Edit-distance cells the approximate stage computed, so tests can check its cost.
        var comparedCells = 0
    }

    /// Most normalised scalars around an annotation's expected place that the approximate
    /// search aligns its quote against, so its cost does not grow with the document.
    static let windowLimit = 200_000
    /// Most edit-distance cells (quote length × window) one window search may take; narrows
    /// the window for long quotes.
    static let cellLimit = 20_000_000
    /// How many scalars at the end of the stored prefix, or the start of the stored suffix,
    /// must match next to a candidate for that side of its context to count.
    static let anchorLength = 16
    /// Most edit-distance cells the approximate stage spends on one annotation. Past it, or
    /// when even one comparison of the quote would exceed it, the stage gives up and the
    /// exact stage's answer, or an orphan, stands.
    static let cellBudget = 50_000_000
    /// Fewest scalars a quote found exactly once in the whole text needs to be placed there
    /// with none of its context beside it, as TextQuoteSelector anchoring (Hypothesis's)
    /// places a quote found once: as many as a side of context needs to count. A shorter
    /// quote found once, such as a name, may be another copy whose own was deleted, so it
    /// still needs a side of its context.
    static let uniqueQuoteLength = anchorLength
    /// Most places found by the window search that are refined, per annotation.
    static let candidateLimit = 32
    /// Most times a prefix or suffix match may occur in the document and still count as
    /// context: boilerplate beside every paragraph does not tell them apart. Also keeps the
    /// prefix-and-suffix pairs to at most its square.
    static let anchorRepeatLimit = 4

    /// Checks every annotation at its offsets (``isInPlace(_:in:)``: its quote there, on
    /// grapheme cluster boundaries, with some of its context). One that is not in place is
    /// moved to the occurrence of its quote whose surrounding text best matches its prefix
    /// and suffix, among those that keep some of its context (the rule in
    /// ReanchoringContext.swift), when exactly one occurrence is best and no edited copy of
    /// the quote beside more of its context rivals it. Among several equally best that
    /// have both sides of context (identical copies of a text), the one nearest where the
    /// annotation is expected, its recorded start or that start moved by the change in
    /// the text's length (or, when the text's line endings were converted, CR LF to LF or
    /// back, by the line breaks before it: ``LineEndingConversion``), is best: when it lies within ``nearbyReach`` code points and
    /// the prefix's end and the suffix's start, about the quote's length apart, occur
    /// nowhere nearer (there its own words may have been edited, and the copy is
    /// another's). A quote of at least ``uniqueQuoteLength`` scalars found exactly once in
    /// the whole text is placed there, exactly, whatever its prefix and suffix (listed in
    /// `Result.byQuoteAloneIDs` when none of its context is beside it), unless an edited
    /// copy elsewhere has its context and wins as an approximate place: its prefix and
    /// suffix both unedited around it, or one of them and a score better by the margin
    /// below. Failing that, it is moved to an approximate match of its quote (counted
    /// in `Result.approximate`) when one place is clearly best and close enough, its ends
    /// found by aligning the old quote and its context with the new text and moved onto
    /// word and grapheme cluster boundaries;
    /// otherwise it is an orphan (its ``OrphanReason`` in `Result.orphanReasons`), never
    /// moved to another copy of similar words or to a copy that has none of its context. An approximate place whose prefix's end and suffix's
    /// start both stand unedited around it runs from the one to the other (text inserted
    /// into the quote widens it, up to twice the quote's length plus 32 code points).
    ///
    /// Approximate candidates are the text between a match of the prefix's end and one of
    /// the suffix's start about the quote's length apart, anywhere in the text, and the best
    /// alignments of the quote (Sellers' semi-global edit distance, with Ukkonen's cut-off)
    /// within ``windowLimit`` scalars of its recorded start and of that start shifted by the
    /// change in length. A side of context counts when it matches beside the candidate (the
    /// context rule, unedited) and its ``anchorLength`` scalars occur at most
    /// ``anchorRepeatLimit`` times in the text. A candidate scores its edit distance from
    /// the quote plus a penalty: none with both sides
    /// of context, so up to half the quote may differ; with one side, enough that only a
    /// quarter may; with neither, more than any placeable score, so it is only ever a rival.
    /// The best must score lower than every candidate at another place, exact copies
    /// included, by more than a tenth of the quote's length (at least 1). The stage spends
    /// at most ``cellBudget`` edit-distance cells per annotation, so quotes longer than
    /// about 5,000 code points are not matched approximately.
    ///
    /// The search compares NFC forms, so canonically equivalent text matches, and maps the
    /// match back to offsets in the original, unnormalised text, whole grapheme clusters.
    /// An annotation whose prefix, quote and suffix stand whole near where it is expected
    /// costs a byte search of the text around that place; only the others search the
    /// whole text, by byte searches for the quote and the ends of its context. A text that
    /// NFC leaves unchanged is read in place from its UTF-8 bytes, a page at a time, so
    /// the memory used does not grow with it; any other is normalised whole first.
    /// - Parameter recordedLength: the length in code points of the text the annotations
    ///   were made on (the store's `document.length`), when known.
    public static func reanchor(_ annotations: [Annotation], in document: Document,
                                recordedLength: Int? = nil) -> Result {
        var anchored: [Annotation] = []
        var stale: [Annotation] = []
        for annotation in annotations {
            if isInPlace(annotation, in: document) {
                anchored.append(annotation)
            } else {
                stale.append(annotation)
            }
        }
        return reanchor(inPlace: anchored, stale: stale, in: document, recordedLength: recordedLength)
    }

    /// ``reanchor(_:in:recordedLength:)`` once the annotations have been checked at their
    /// offsets: those `inPlace` stay, the `stale` ones are searched for.
    static func reanchor(inPlace anchored: [Annotation], stale: [Annotation], in document: Document,
                         recordedLength: Int?, progress: ReanchoringProgress? = nil) -> Result {
        defer { if !stale.isEmpty { progress?(stale.count, stale.count) } }
        guard !stale.isEmpty else { return Result(anchored: anchored.sorted(by: Annotation.documentOrder), moved: 0, approximate: 0, orphans: []) }
        let lengthChange = recordedLength.map { document.length - $0 } ?? 0
        var result = Result(anchored: anchored, moved: 0, approximate: 0, orphans: [])
        let length = document.length
        document.withUTF8 { bytes in
            let conversion = LineEndingConversion(utf8: bytes, lengthChange: lengthChange)
            if let text = DirectText(bytes: bytes, length: length) {
                place(stale, in: text, lengthChange: lengthChange, conversion: conversion, into: &result, progress: progress,
                      nearby: text.nearbyPlace(quote:prefix:suffix:expected:), string: text.string(in:))
            } else {
                // combining marks or other text NFC changes: a normalised copy of it all
                place(stale, in: NormalizedText(document.text), lengthChange: lengthChange, conversion: conversion, into: &result,
                      progress: progress, nearby: nil, string: document.text(in:))
            }
        }
        result.anchored.sort(by: Annotation.documentOrder)
        return result
    }

    /// Places each `stale` annotation in `text`, into `result` as moved or orphaned: where
    /// `nearby` finds it near its old place (given its NFC quote, prefix and suffix and the
    /// expected starts), else by the full search. `string` gives the document's text of a
    /// code point range.
    private static func place<Text: ReanchoringText>(
        _ stale: [Annotation], in text: Text, lengthChange: Int, conversion: LineEndingConversion?,
        into result: inout Result, progress: ReanchoringProgress?,
        nearby: (([Unicode.Scalar], [Unicode.Scalar], [Unicode.Scalar], [Int]) -> Range<Int>?)?,
        string: (Range<Int>) -> String
    ) {
        for (searched, annotation) in stale.enumerated() {
            progress?(searched, stale.count)
            let quote = NormalizedText.nfc(annotation.quote), prefix = NormalizedText.nfc(annotation.prefix)
            let suffix = NormalizedText.nfc(annotation.suffix)
            let expected = expectedStarts(of: annotation, lengthChange: lengthChange, conversion: conversion)
                .map(text.normalizedIndex(ofOriginal:))
            let converted = conversion.map { text.normalizedIndex(ofOriginal: $0.newOffset(ofOld: annotation.start)) }
            var placement: (range: Range<Int>, approximate: Bool)?
            var byQuoteAlone = false
            var reason = OrphanReason.unclear(copies: 1)
            if let nearby, let found = nearby(quote, prefix, suffix, expected) {
                placement = (found, false)
            } else {
                var search = QuoteSearch(annotation, quote: quote, prefix: prefix, suffix: suffix, expected: expected,
                                         converted: converted, in: text)
                placement = search.place(lengthChange: lengthChange)
                result.comparedCells += search.cells
                byQuoteAlone = placement.map { !$0.approximate && $0.range == search.withoutContext } ?? false
                reason = search.orphanReason
            }
            guard let placement, let range = text.originalRange(of: placement.range) else {
                result.orphans.append(annotation)
                result.orphanReasons[annotation.id] = reason
                continue
            }
            var placed = annotation
            placed.start = range.lowerBound
            placed.end = range.upperBound
            // the quote is the document's own text, which may differ in normalisation or words
            placed.quote = string(range)
            placed.prefix = string(max(0, placed.start - Annotation.contextLength)..<placed.start)
            placed.suffix = string(placed.end..<(placed.end + Annotation.contextLength))
            result.anchored.append(placed)
            result.moved += 1
            if placement.approximate {
                result.approximate += 1
                result.approximateIDs.insert(annotation.id)
            }
            if byQuoteAlone { result.byQuoteAloneIDs.insert(annotation.id) }
        }
    }

    /// Where an annotation's start is expected in the new text, in code points: its
    /// recorded start, that start moved by the change in the text's length, and, when the
    /// text's line endings were converted (`conversion`), that start moved by the line
    /// breaks before it.
    static func expectedStarts(of annotation: Annotation, lengthChange: Int, conversion: LineEndingConversion? = nil) -> [Int] {
        guard lengthChange != 0 else { return [annotation.start] }
        var starts = [annotation.start, max(0, annotation.start + lengthChange)]
        if let converted = conversion?.newOffset(ofOld: annotation.start), !starts.contains(converted) { starts.append(converted) }
        return starts
    }

    /// `quote` with its line endings converted, when it has any: every lone LF as CR LF, and
    /// every CR LF as LF; each different from it. The text may have been saved with the
    /// other convention, which changes no words.
    static func lineEndingVariants(of quote: [Unicode.Scalar]) -> [[Unicode.Scalar]] {
        guard quote.contains("\n") else { return [] }
        var crlf: [Unicode.Scalar] = [], lf: [Unicode.Scalar] = []
        for (index, scalar) in quote.enumerated() {
            let afterCR = index > 0 && quote[index - 1] == "\r"
            if scalar == "\n" && !afterCR { crlf.append("\r") }
            crlf.append(scalar)
            if scalar == "\r" && index + 1 < quote.count && quote[index + 1] == "\n" { continue }
            lf.append(scalar)
        }
        return [crlf, lf].filter { $0 != quote }
    }

    /// How far, in code points, from where an annotation is expected (``expectedStarts(of:lengthChange:conversion:)``)
    /// the nearest of several equally good copies of its quote may lie and still be
    /// chosen: about the reach of the approximate search. Copies further away are all
    /// other copies, and the annotation's own words are taken to have been edited.
    static let nearbyReach = windowLimit / 2

    /// Of the `starts` of equally good copies of a quote, the one nearest an `expected`
    /// start, when it lies within ``nearbyReach`` of it, no other is as near, and no place
    /// in `evidence` (``contextPairStarts(prefixEnds:suffixStarts:quoteLength:)``) is
    /// nearer: there the annotation's own words may have been edited, and a copy further
    /// away is another copy. Nil otherwise.
    /// The `prefixEnds` (sorted) that a member of `suffixStarts` (sorted) follows about
    /// `quoteLength` later, give or take half of it: where the annotation's context stands
    /// on both sides of something, perhaps its own words edited. One side alone is no such
    /// sign: the 16 code points of a side (blank lines, a heading's words) may recur all
    /// over a text.
    static func contextPairStarts(prefixEnds: [Int], suffixStarts: [Int], quoteLength: Int) -> [Int] {
        let slack = max(1, quoteLength / 2)
        var starts: [Int] = []
        var index = 0
        for end in prefixEnds {
            while index < suffixStarts.count, suffixStarts[index] < end + max(0, quoteLength - slack) { index += 1 }
            if index < suffixStarts.count, suffixStarts[index] <= end + quoteLength + slack { starts.append(end) }
        }
        return starts
    }

    static func nearestStart(_ starts: [Int], evidence: [Int], expected: [Int]) -> Int? {
        func distance(_ start: Int) -> Int { expected.map { abs(start - $0) }.min() ?? Int.max }
        let distances = starts.map(distance)
        guard let nearest = distances.min(), nearest <= nearbyReach, distances.filter({ $0 == nearest }).count == 1,
              let index = distances.firstIndex(of: nearest), !evidence.contains(where: { distance($0) < nearest }) else { return nil }
        return starts[index]
    }
}

/// Told how many annotations the re-anchoring has searched for so far and how many it must
/// search for (those not at their offsets), from the thread that places them.
public typealias ReanchoringProgress = @Sendable (_ searched: Int, _ total: Int) -> Void

/// The search for one annotation whose quote is not at its offsets, in normalised scalars.
private struct QuoteSearch<Text: ReanchoringText> {
    /// A possible place of the quote.
    struct Candidate {
        /// Normalised scalars, whole grapheme clusters.
        var range: Range<Int>
        /// Edit distance between the quote and the text at `range`.
        var distance: Int
        /// How many sides of the stored context match next to it: 0, 1 or 2.
        var context: Int
    }

    let text: Text
    /// The text's NFC scalars.
    let scalars: Text.Scalars
    let annotation: Annotation
    let quote: [Unicode.Scalar]
    let prefix: [Unicode.Scalar]
    let suffix: [Unicode.Scalar]
    /// The end of `prefix` and the start of `suffix` that context matches look for.
    let prefixAnchor: ArraySlice<Unicode.Scalar>
    let suffixAnchor: ArraySlice<Unicode.Scalar>
    /// Score a candidate needs at most to be placed: half the quote's length.
    let loose: Int
    /// Edit distance a candidate with one side of context may have: a quarter of the quote.
    let tight: Int
    /// How much lower than any other place the best must score, more than: a tenth of the quote.
    let margin: Int
    /// Whether a match of `prefixAnchor`, or of `suffixAnchor`, counts as context: not when
    /// it recurs all over the document.
    var prefixCounts = true, suffixCounts = true
    /// Edit-distance cells computed so far.
    var cells = 0
    /// What ``anchorPlaces()`` found, once it has looked.
    var anchors: (prefixEnds: [Int], suffixStarts: [Int])?
    /// Whether the quote is too long for even one comparison within the budget.
    let tooLong: Bool
    /// The only copy of a quote of at least ``Reanchoring/uniqueQuoteLength`` scalars when
    /// none of its context is beside it, once ``place(lengthChange:)`` has looked: placed
    /// there, it was placed by its quote alone.
    var withoutContext: Range<Int>?
    /// Whether the approximate stage must give up: budget spent, or the quote too long.
    var exhausted: Bool { tooLong || cells > Reanchoring.cellBudget }
    /// Why the quote has no place, should ``place(lengthChange:)`` find none: what its
    /// exact search saw.
    var orphanReason = Reanchoring.OrphanReason.notFound

    /// Normalised scalars where the annotation's start is expected
    /// (``Reanchoring/expectedStarts(of:lengthChange:conversion:)``): the nearest of equal copies wins.
    let expected: [Int]
    /// The normalised scalar where the text's converted line endings
    /// (``LineEndingConversion``) moved the annotation's start; nil when they were not.
    let converted: Int?

    /// The search for `annotation`, whose quote, prefix and suffix in NFC are given.
    init(_ annotation: Annotation, quote: [Unicode.Scalar], prefix: [Unicode.Scalar], suffix: [Unicode.Scalar],
         expected: [Int], converted: Int? = nil, in text: Text) {
        self.text = text
        scalars = text.scalars
        self.annotation = annotation
        self.quote = quote
        self.prefix = prefix
        self.suffix = suffix
        self.expected = expected
        self.converted = converted
        prefixAnchor = prefix.suffix(Reanchoring.anchorLength)
        suffixAnchor = suffix.prefix(Reanchoring.anchorLength)
        loose = max(1, quote.count / 2)
        tight = max(1, quote.count / 4)
        margin = max(1, quote.count / 10)
        tooLong = quote.count * (quote.count + 2 * loose) > Reanchoring.cellBudget
    }

    /// Where the quote now is, and whether it was found only approximately; nil for an orphan.
    mutating func place(lengthChange: Int) -> (range: Range<Int>, approximate: Bool)? {
        if quote.isEmpty { orphanReason = .emptyQuote }
        guard !quote.isEmpty, quote.count <= scalars.count else { return nil }
        let exact = exactMatches()
        // a copy that has none of the annotation's context never takes it, unless it is the
        // only copy of a quote long enough to tell itself apart
        let alone = exact.count == 1 && quote.count >= Reanchoring.uniqueQuoteLength
        let eligible = exact.filter { $0.agrees || alone }
        if alone, let only = exact.first, !only.agrees { withoutContext = only.range }
        let best = eligible.map { [$0.sides, $0.score] }.max { $0.lexicographicallyPrecedes($1) }
        var winners = eligible.filter { [$0.sides, $0.score] == best }
        orphanReason = exact.isEmpty ? .notFound : eligible.isEmpty ? .withoutContext(copies: exact.count)
            : winners.count > 1 ? .alike(copies: exact.count, alike: winners.count) : .unclear(copies: exact.count)
        if winners.count > 1, let first = winners.first, first.sides == 2 {
            // copies with both sides of context alike: the nearest to where it was, unless
            // both sides of its context stand nearer, around its own words edited
            let anchors = anchorPlaces()
            let evidence = Reanchoring.contextPairStarts(prefixEnds: anchors.prefixEnds, suffixStarts: anchors.suffixStarts,
                                                         quoteLength: quote.count)
            if let nearest = Reanchoring.nearestStart(winners.map(\.start), evidence: evidence, expected: expected),
               let chosen = winners.first(where: { $0.start == nearest }) {
                winners = [chosen]
            }
        }
        var winner: Candidate?
        if winners.count == 1, let only = winners.first, only.sides > 0 || only.score > 0 || exact.count == 1 {
            winner = candidate(at: only.range, exact: true)
        }
        if let winner, winner.distance == 0, winner.context == 2 || tooLong { return (winner.range, false) }
        if tooLong { return nil }
        let (prefixEnds, suffixStarts) = anchorPlaces()
        prefixCounts = prefixEnds.count <= Reanchoring.anchorRepeatLimit
        suffixCounts = suffixStarts.count <= Reanchoring.anchorRepeatLimit
        winner = winner.flatMap { candidate(at: $0.range, exact: $0.distance == 0) }
        let pairs = contextPairs(prefixEnds: prefixEnds, suffixStarts: suffixStarts)
        // an exact winner that split a grapheme cluster was widened, so it is approximate too
        let approximate = (pairs + windowed(lengthChange: lengthChange, prefixEnds: prefixEnds, suffixStarts: suffixStarts)
                           + (winner.map { [$0] } ?? [])).filter { $0.distance > 0 }
        if exhausted { return winner.flatMap { $0.distance == 0 ? ($0.range, false) : nil } }
        // both sides of context unedited around the edited quote: the place runs from one to
        // the other, so words typed into the quote stay inside it
        let bracket = bracketed(prefixEnds: prefixEnds, suffixStarts: suffixStarts)
        // the exact winner may be a copy elsewhere while the annotated text itself was edited:
        // it stands unless the edited quote between both sides of context, or an approximate
        // place with context, rivals it
        if let winner, winner.distance == 0 {
            if let bracket, winner.context < 2, !bracket.overlaps(winner.range) { return (bracket, true) }
            let threat = approximate.filter { $0.context > 0 && !$0.range.overlaps(winner.range) }.map(score).min()
            if threat.map({ $0 > score(winner) + margin }) ?? true { return (winner.range, false) }
        }
        if let bracket { return (bracket, true) }
        // the only copy of the quote stands unless an edited place with context clearly beats it
        let unique = winner.flatMap { $0.distance == 0 && alone ? ($0.range, false) : nil }
        guard let chosen = approximate.min(by: isBetter), chosen.context > 0, chosen.distance < quote.count,
              score(chosen) <= loose else { return unique }
        let exactPlaces = exact.compactMap { candidate(at: $0.range, exact: true) }
        let rival = (exactPlaces + approximate).filter { !$0.range.overlaps(chosen.range) }.map(score).min()
        if let rival, rival <= score(chosen) + margin { return unique }
        return (refined(chosen.range), true)
    }

    /// Most scalars a bracketed place (``bracketed(prefixEnds:suffixStarts:)``) may be
    /// longer than twice the quote.
    static var bracketSlack: Int { Annotation.contextLength }

    /// The place between an end of the prefix and a start of the suffix, each unedited and
    /// not recurring all over the text, when exactly one such pair, or one nearest where
    /// the annotation is expected, holds text that keeps all but a quarter of the quote's
    /// scalars in order (words typed into it are free) and is at most twice the quote's
    /// length plus ``bracketSlack`` scalars long. The quote's start is where its prefix
    /// ends and its end where its suffix starts, so text inserted inside the quote widens
    /// the place rather than pushing its last words out. Its ends are moved onto word
    /// boundaries where the quote's were, and onto grapheme cluster boundaries. Nil
    /// otherwise, and the edit-distance search decides.
    mutating func bracketed(prefixEnds: [Int], suffixStarts: [Int]) -> Range<Int>? {
        guard prefixCounts, suffixCounts else { return nil }
        let longest = 2 * quote.count + Self.bracketSlack
        var places: [Range<Int>] = []
        for end in prefixEnds where !exhausted {
            var index = firstIndex(in: suffixStarts, atLeast: end + max(1, quote.count - tight))
            while index < suffixStarts.count, suffixStarts[index] <= end + longest, !exhausted {
                let (lower, upper) = snappedToWords(end, suffixStarts[index])
                let whole = text.clusterAligned(lower..<upper)
                if !whole.isEmpty, !places.contains(whole), quoteScalarsMissing(from: whole, limit: tight) <= tight {
                    places.append(whole)
                }
                index += 1
            }
        }
        if exhausted || places.isEmpty { return nil }
        if places.count == 1 { return places[0] }
        guard let nearest = Reanchoring.nearestStart(places.map(\.lowerBound), evidence: [], expected: expected) else { return nil }
        return places.first { $0.lowerBound == nearest }
    }

    /// How many of the quote's scalars the text at `range` lacks, in order: the quote's
    /// length less their longest common subsequence, so text inserted into the quote costs
    /// nothing. `limit + 1` once it is sure to be more than `limit`.
    mutating func quoteScalarsMissing(from range: Range<Int>, limit: Int) -> Int {
        let m = quote.count
        // missing[row]: scalars of the quote's first `row` not found in the text read so far
        var missing = Array(0...m)
        for position in range {
            let scalar = scalars[position]
            var diagonal = missing[0]
            for row in 1...m {
                let above = missing[row]
                missing[row] = min(above, diagonal + (quote[row - 1] == scalar ? 0 : 1), missing[row - 1] + 1)
                diagonal = above
            }
            cells += m
            if exhausted { return limit + 1 }
        }
        return min(missing[m], limit + 1)
    }

    /// An exact occurrence of the quote, or of it with its line endings converted.
    struct ExactMatch {
        var start: Int
        /// Scalars it covers: the quote's count, or more or fewer with its line endings converted.
        var length: Int
        var range: Range<Int> { start..<(start + length) }
        /// How many scalars of the prefix and suffix match right next to it.
        var score: Int
        /// How many sides of context match there (the context rule): 0, 1 or 2.
        var sides: Int
        /// Whether the place keeps some of the context (``Reanchoring/contextAgrees(_:_:)``).
        var agrees: Bool
    }

    /// Every exact occurrence of the quote, and of it with its line endings converted
    /// (``Reanchoring/lineEndingVariants(of:)``), with how its context compares, in order.
    func exactMatches() -> [ExactMatch] {
        var matches: [ExactMatch] = []
        for needle in [quote] + Reanchoring.lineEndingVariants(of: quote) {
            for start in occurrences(of: needle[...]) {
                let end = start + needle.count
                var score = 0
                while score < prefix.count, start - score - 1 >= 0,
                      scalars[start - score - 1] == prefix[prefix.count - score - 1] { score += 1 }
                var after = 0
                while after < suffix.count, end + after < scalars.count, scalars[end + after] == suffix[after] { after += 1 }
                let before = prefixSide(before: start), behind = suffixSide(after: end)
                matches.append(ExactMatch(start: start, length: needle.count, score: score + after,
                                          sides: (before == .matches ? 1 : 0) + (behind == .matches ? 1 : 0),
                                          agrees: Reanchoring.contextAgrees(before, behind)))
            }
        }
        return matches.sorted { $0.start < $1.start }
    }

    /// How the prefix compares with the text before normalised scalar `start`.
    func prefixSide(before start: Int) -> Reanchoring.ContextSide {
        Reanchoring.compareContext(prefix.reversed(), scalars[..<start].reversed())
    }

    /// How the suffix compares with the text after normalised scalar `end`.
    func suffixSide(after end: Int) -> Reanchoring.ContextSide {
        Reanchoring.compareContext(suffix, scalars[end...])
    }

    /// Where the prefix's end, and the suffix's start, occur in the text; the text's start,
    /// or end, for an empty one. Found once.
    mutating func anchorPlaces() -> (prefixEnds: [Int], suffixStarts: [Int]) {
        if let anchors { return anchors }
        let found = (prefixAnchor.isEmpty ? [0] : occurrences(of: prefixAnchor).map { $0 + prefixAnchor.count },
                     suffixAnchor.isEmpty ? [scalars.count] : occurrences(of: suffixAnchor))
        anchors = found
        return found
    }

    /// Start offsets of every occurrence of `needle` in the text.
    func occurrences(of needle: ArraySlice<Unicode.Scalar>) -> [Int] {
        text.occurrences(of: needle)
    }

    /// The text between an end of the prefix and a start of the suffix that lie about the
    /// quote's length apart, anywhere in the text; none unless both sides count as context,
    /// which keeps them to a few.
    mutating func contextPairs(prefixEnds: [Int], suffixStarts: [Int]) -> [Candidate] {
        guard prefixCounts, suffixCounts else { return [] }
        var pairs: [Candidate] = []
        for end in prefixEnds where !exhausted {
            var index = firstIndex(in: suffixStarts, atLeast: end + max(1, quote.count - loose))
            while index < suffixStarts.count, suffixStarts[index] <= end + quote.count + loose {
                if let found = candidate(at: end..<suffixStarts[index]) { pairs.append(found) }
                index += 1
            }
        }
        return pairs
    }

    /// The best alignments of the quote near its recorded place, and near that place shifted
    /// by `lengthChange`, each refined to where its context matches.
    mutating func windowed(lengthChange: Int, prefixEnds: [Int], suffixStarts: [Int]) -> [Candidate] {
        let reach = tight + margin
        var ends: [(end: Int, distance: Int)] = []
        for window in windows(lengthChange: lengthChange) where !exhausted {
            ends += alignmentEnds(in: window, bound: reach)
        }
        // a place shows as a run of consecutive ends; its lowest distance stands for it
        var runs: [(end: Int, distance: Int, estimate: Int)] = []
        var previous = -2
        for found in ends {
            if found.end == previous + 1, let last = runs.last {
                if found.distance < last.distance { runs[runs.count - 1] = (found.end, found.distance, 0) }
            } else {
                runs.append((found.end, found.distance, 0))
            }
            previous = found.end
        }
        // estimate each place's context cheaply, then refine the most promising ones
        for index in runs.indices {
            let end = runs[index].end
            var sides = 0
            if prefixCounts, nearest(in: prefixEnds, to: end - quote.count, within: reach) != nil { sides += 1 }
            if suffixCounts, nearest(in: suffixStarts, to: end, within: reach) != nil { sides += 1 }
            runs[index].estimate = runs[index].distance + penalty(sides)
        }
        runs.sort { ($0.estimate, $0.end) < ($1.estimate, $1.end) }
        var found: [Candidate] = []
        for run in runs.prefix(Reanchoring.candidateLimit) where !exhausted {
            let start = bestStart(end: run.end, reach: reach)
            var starts = [start], endings = [run.end]
            if let anchored = nearest(in: prefixEnds, to: start, within: reach), anchored != start { starts.append(anchored) }
            if let anchored = nearest(in: suffixStarts, to: run.end, within: reach), anchored != run.end { endings.append(anchored) }
            var best: Candidate?
            for lower in starts {
                for upper in endings where lower < upper {
                    if let next = candidate(at: lower..<upper), best.map({ isBetter(next, than: $0) }) ?? true { best = next }
                }
            }
            if let best { found.append(best) }
        }
        return found
    }

    /// Ranges of normalised scalars to align the quote against: one around the recorded
    /// start, the start shifted by `lengthChange` and, when the text's line endings were
    /// converted, where that moved it (``converted``), or one around each when they are far
    /// apart; at most ``Reanchoring/windowLimit`` scalars in all, fewer for long quotes.
    func windows(lengthChange: Int) -> [Range<Int>] {
        let count = scalars.count
        let width = max(quote.count + 2 * loose,
                        min(Reanchoring.windowLimit, Reanchoring.cellLimit / (quote.count + 1)))
        let recorded = text.normalizedIndex(ofOriginal: annotation.start)
        let shifted = text.normalizedIndex(ofOriginal: max(0, annotation.start + lengthChange))
        let centres = Set([recorded, shifted] + (converted.map { [$0] } ?? [])).sorted()
        let low = centres[0], high = centres[centres.count - 1]
        func clamped(_ lower: Int, _ upper: Int) -> Range<Int> {
            max(0, min(count, lower))..<max(0, min(count, upper))
        }
        if high - low + quote.count <= width {
            let pad = (width - (high - low + quote.count)) / 2
            return [clamped(low - pad, high + quote.count + pad)]
        }
        let pad = max(loose, (width / centres.count - quote.count) / 2)
        // windows that overlap are read as one, so no place is found twice
        var merged: [Range<Int>] = []
        for window in centres.map({ clamped($0 - pad, $0 + quote.count + pad) }) {
            if let last = merged.last, window.lowerBound <= last.upperBound {
                merged[merged.count - 1] = last.lowerBound..<max(last.upperBound, window.upperBound)
            } else {
                merged.append(window)
            }
        }
        return merged
    }

    /// Sellers' algorithm: the ends of text spans in `window` within edit distance `bound` of
    /// the quote, with that distance. Ukkonen's cut-off computes only the rows that can still
    /// be within `bound`.
    mutating func alignmentEnds(in window: Range<Int>, bound: Int) -> [(end: Int, distance: Int)] {
        let m = quote.count
        var column = Array(0...m)
        var lastActive = min(bound, m)
        var ends: [(end: Int, distance: Int)] = []
        for position in window where !exhausted {
            let scalar = scalars[position]
            let top = min(lastActive + 1, m)
            // rows past the last active one are known only to exceed the bound
            if top > lastActive { column[top] = bound + 1 }
            var diagonal = 0
            for row in 1...top {
                let left = column[row]
                column[row] = min(diagonal + (quote[row - 1] == scalar ? 0 : 1), left + 1, column[row - 1] + 1)
                diagonal = left
            }
            cells += top
            lastActive = top
            while column[lastActive] > bound { lastActive -= 1 }
            if lastActive == m { ends.append((position + 1, column[m])) }
        }
        return ends
    }

    /// The start of the span ending at `end` closest in edit distance to the quote, the
    /// quote's length preferred among equals.
    mutating func bestStart(end: Int, reach: Int) -> Int {
        let m = quote.count
        let lowest = max(0, end - m - reach)
        var column = Array(0...m)
        var best = (start: end, distance: m)
        for length in stride(from: 1, through: end - lowest, by: 1) where !exhausted {
            let scalar = scalars[end - length]
            var diagonal = column[0]
            column[0] = length
            for row in 1...m {
                let left = column[row]
                column[row] = min(diagonal + (quote[m - row] == scalar ? 0 : 1), left + 1, column[row - 1] + 1)
                diagonal = left
            }
            cells += m
            if column[m] < best.distance
                || (column[m] == best.distance && abs(length - m) < abs(end - best.start - m)) {
                best = (end - length, column[m])
            }
        }
        return best.start
    }

    /// Scalars of the quote's start, or end, aligned with its prefix, or suffix, to find
    /// where an approximate place starts, or ends.
    static var alignedQuoteLength: Int { 48 }

    /// An approximate place with its ends moved to where the old quote's ends align in the
    /// new text, on word boundaries where the old quote's ends were, and on grapheme
    /// cluster boundaries. An end with its unedited context beside it stays. The search
    /// finds a place by edit distance, which favours a span of the quote's length, so it
    /// may start or end inside edited words; aligning the prefix with the quote's first
    /// words (or the quote's last words with the suffix) puts the end where the context
    /// ends. `range` itself when the result would no longer overlap it or be close enough
    /// to the quote.
    mutating func refined(_ range: Range<Int>) -> Range<Int> {
        var lower = range.lowerBound, upper = range.upperBound
        let slack = loose + 8
        let alignStart = !prefixAdjacent(before: lower), alignEnd = !suffixAdjacent(after: upper)
        if alignStart {
            let head = Array(quote.prefix(Self.alignedQuoteLength))
            let window = max(0, lower - prefix.count - slack)..<min(scalars.count, lower + head.count + slack)
            // words inserted between the prefix and the quote stay outside the quote
            if let columns = align(prefix + head, in: window, boundary: prefix.count) { lower = window.lowerBound + columns.last }
        }
        if alignEnd {
            let tail = Array(quote.suffix(Self.alignedQuoteLength))
            let window = max(0, upper - tail.count - slack)..<min(scalars.count, upper + suffix.count + slack)
            if let columns = align(tail + suffix, in: window, boundary: tail.count) { upper = window.lowerBound + columns.first }
        }
        (lower, upper) = snappedToWords(lower, upper)
        // a first or last word of the quote kept just outside, with words inserted next to
        // it: the edited words lie between it and the rest, so it belongs to the place
        if alignStart { lower = keptFirstWord(before: lower, within: slack) ?? lower }
        if alignEnd { upper = keptLastWord(after: upper, within: slack) ?? upper }
        let whole = text.clusterAligned(lower..<upper)
        guard !whole.isEmpty, whole.overlaps(range), editDistance(to: whole, limit: loose) <= loose else { return range }
        return whole
    }

    /// Aligns `pattern` with the text in `window`, the pattern whole and the window's ends
    /// free, and gives the first and last window columns where the best alignment has taken
    /// exactly `boundary` scalars of the pattern. Gotoh's affine gaps: a run of scalars
    /// inserted in the text costs 2 plus 1 each; a substitution, or each scalar of the
    /// pattern deleted, 3. Edited words mostly show as text inserted into the quote, and
    /// this keeps them one run inside it rather than pulling its first or last word into
    /// the context.
    /// Among equal alignments it prefers matches, walking back from the pattern's end. Nil
    /// for an empty window or pattern.
    mutating func align(_ pattern: [Unicode.Scalar], in window: Range<Int>, boundary: Int) -> (first: Int, last: Int)? {
        let m = pattern.count, n = window.count
        guard n > 0, m > 0 else { return nil }
        let substitution: Int32 = 3, open: Int32 = 2, insertion: Int32 = 1, deletion: Int32 = 3, never = Int32.max / 4
        let width = n + 1
        // diagonal ends, text scalars inserted (across), pattern scalars deleted (down)
        var diagonal = [Int32](repeating: never, count: (m + 1) * width)
        var across = diagonal, down = diagonal
        for column in 0...n { diagonal[column] = 0 }
        for row in 1...m {
            down[row * width] = open + Int32(row) * deletion
            let wanted = pattern[row - 1]
            for column in 1...n {
                let here = row * width + column, up = here - width, left = here - 1
                let cost: Int32 = scalars[window.lowerBound + column - 1] == wanted ? 0 : substitution
                diagonal[here] = min(diagonal[up - 1], across[up - 1], down[up - 1]) + cost
                across[here] = min(min(diagonal[left], down[left]) + open, across[left]) + insertion
                down[here] = min(min(diagonal[up], across[up]) + open, down[up]) + deletion
            }
        }
        cells += 3 * m * n
        var column = 0
        for candidate in 0...n where min(diagonal[m * width + candidate], down[m * width + candidate])
            < min(diagonal[m * width + column], down[m * width + column]) { column = candidate }
        var row = m
        var state = diagonal[m * width + column] <= down[m * width + column] ? 0 : 2
        var first = row == boundary ? column : Int.max, last = row == boundary ? column : Int.min
        while row > 0 && column > 0 {
            let here = row * width + column
            switch state {
            case 0:
                let cost: Int32 = scalars[window.lowerBound + column - 1] == pattern[row - 1] ? 0 : substitution
                let previous = diagonal[here] - cost, from = here - width - 1
                state = diagonal[from] == previous ? 0 : down[from] == previous ? 2 : 1
                row -= 1
                column -= 1
            case 1:
                state = across[here - 1] + insertion == across[here] ? 1 : diagonal[here - 1] + open + insertion == across[here] ? 0 : 2
                column -= 1
            default:
                state = down[here - width] + deletion == down[here] ? 2 : diagonal[here - width] + open + deletion == down[here] ? 0 : 1
                row -= 1
            }
            if row == boundary {
                first = min(first, column)
                last = max(last, column)
            }
        }
        if row > boundary {
            // the pattern's start ran past the window's start
            first = 0
            last = 0
        }
        return first <= last ? (first, last) : nil
    }

    /// The start of the quote's first word where it stands whole in the text within
    /// `limit` scalars before `lower`, the nearest; nil when the text at `lower` already
    /// starts with it, or it is shorter than 2 scalars or not found.
    func keptFirstWord(before lower: Int, within limit: Int) -> Int? {
        let word = quote.prefix { Self.wordScalar($0) }
        guard word.count >= 2, !scalars[lower...].starts(with: word) else { return nil }
        var start = lower - word.count
        while start >= max(0, lower - limit) {
            if isWhole(start..<(start + word.count)), scalars[start..<(start + word.count)].elementsEqual(word) { return start }
            start -= 1
        }
        return nil
    }

    /// The end of the quote's last word where it stands whole in the text within `limit`
    /// scalars after `upper`, the nearest; nil when the text before `upper` already ends
    /// with it, or it is shorter than 2 scalars or not found.
    func keptLastWord(after upper: Int, within limit: Int) -> Int? {
        let word = Array(quote.reversed().prefix { Self.wordScalar($0) || $0.properties.generalCategory == .otherPunctuation }.reversed())
        guard word.count >= 2, !scalars[..<upper].reversed().starts(with: word.reversed()) else { return nil }
        var end = upper + word.count
        while end <= min(scalars.count, upper + limit) {
            if isWhole((end - word.count)..<end), scalars[(end - word.count)..<end].elementsEqual(word) { return end }
            end += 1
        }
        return nil
    }

    /// Whether `range` of the text starts and ends on word boundaries.
    func isWhole(_ range: Range<Int>) -> Bool {
        (range.lowerBound == 0 || !Self.joins(scalars[range.lowerBound - 1], scalars[range.lowerBound]))
            && (range.upperBound == scalars.count || !Self.joins(scalars[range.upperBound - 1], scalars[range.upperBound]))
    }

    /// `lower..<upper` with each end moved onto a word boundary of the text when the old
    /// quote's end was on one: out to the edge of a word it cuts (at most
    /// ``Annotation/contextLength`` scalars), in past white space the quote did not have.
    func snappedToWords(_ lower: Int, _ upper: Int) -> (Int, Int) {
        guard let first = quote.first, let last = quote.last, lower < upper, upper <= scalars.count else { return (lower, upper) }
        var lower = lower, upper = upper
        if prefix.last.map({ !Self.joins($0, first) }) ?? true {
            while lower < upper, scalars[lower].properties.isWhitespace, !first.properties.isWhitespace { lower += 1 }
            var start = lower
            if start < scalars.count {
                while start > 0, lower - start < Annotation.contextLength, Self.joins(scalars[start - 1], scalars[start]) { start -= 1 }
                if start == 0 || !Self.joins(scalars[start - 1], scalars[start]) { lower = start }
            }
        }
        if suffix.first.map({ !Self.joins(last, $0) }) ?? true {
            while upper > lower, scalars[upper - 1].properties.isWhitespace, !last.properties.isWhitespace { upper -= 1 }
            var end = upper
            if end > 0 {
                while end < scalars.count, end - upper < Annotation.contextLength, Self.joins(scalars[end - 1], scalars[end]) { end += 1 }
                if end == scalars.count || !Self.joins(scalars[end - 1], scalars[end]) { upper = end }
            }
        }
        return (lower, upper)
    }

    /// Whether `scalar` belongs to a word: a letter, mark, digit or connector, not an
    /// ideograph, which is a word of its own.
    static func wordScalar(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber, .letterNumber, .otherNumber,
             .connectorPunctuation:
            return !scalar.properties.isIdeographic
        default:
            return false
        }
    }

    /// Whether `a` followed by `b` lies inside one word: both letters, marks, digits or
    /// connectors, and neither an ideograph, which is a word of its own.
    static func joins(_ a: Unicode.Scalar, _ b: Unicode.Scalar) -> Bool {
        if b.properties.generalCategory == .nonspacingMark || b.properties.generalCategory == .spacingMark { return true }
        return wordScalar(a) && wordScalar(b)
    }

    /// `range` widened to whole grapheme clusters, with its edit distance from the quote and
    /// its context; nil when empty.
    mutating func candidate(at range: Range<Int>, exact: Bool = false) -> Candidate? {
        let whole = text.clusterAligned(range)
        guard !whole.isEmpty else { return nil }
        let distance = exact && whole == range ? 0 : editDistance(to: whole, limit: loose + margin)
        let sides = (prefixCounts && prefixSide(before: whole.lowerBound) == .matches ? 1 : 0)
            + (suffixCounts && suffixSide(after: whole.upperBound) == .matches ? 1 : 0)
        return Candidate(range: whole, distance: distance, context: sides)
    }

    /// Levenshtein distance between the quote and the text at `range`, or `limit + 1` when
    /// it is more than `limit`.
    mutating func editDistance(to range: Range<Int>, limit: Int) -> Int {
        let m = quote.count
        var previous = Array(0...m), current = previous
        for (index, position) in range.enumerated() {
            let scalar = scalars[position]
            current[0] = index + 1
            var lowest = current[0]
            for row in 1...m {
                current[row] = min(previous[row - 1] + (quote[row - 1] == scalar ? 0 : 1), previous[row] + 1, current[row - 1] + 1)
                lowest = min(lowest, current[row])
            }
            cells += m
            if lowest > limit || exhausted { return limit + 1 }
            swap(&previous, &current)
        }
        return min(previous[m], limit + 1)
    }

    /// Whether the prefix's end lies, unedited, right before `start`; an empty prefix at
    /// the document's start counts.
    func prefixAdjacent(before start: Int) -> Bool {
        if prefixAnchor.isEmpty { return start == 0 }
        return start >= prefixAnchor.count && scalars[(start - prefixAnchor.count)..<start].elementsEqual(prefixAnchor)
    }

    /// Whether the suffix's start lies, unedited, right after `end`; an empty suffix at
    /// the document's end counts.
    func suffixAdjacent(after end: Int) -> Bool {
        if suffixAnchor.isEmpty { return end == scalars.count }
        return end + suffixAnchor.count <= scalars.count && scalars[end..<(end + suffixAnchor.count)].elementsEqual(suffixAnchor)
    }

    /// What a candidate with `sides` sides of matching context adds to its edit distance:
    /// nothing with both, enough with one that only a quarter of the quote may differ, and
    /// more than any placeable score with none.
    func penalty(_ sides: Int) -> Int {
        switch sides {
        case 2: 0
        case 1: loose - tight
        default: loose + 1
        }
    }

    func score(_ candidate: Candidate) -> Int { candidate.distance + penalty(candidate.context) }

    func isBetter(_ a: Candidate, than b: Candidate) -> Bool {
        (score(a), -a.context, a.distance, a.range.lowerBound) < (score(b), -b.context, b.distance, b.range.lowerBound)
    }

    /// The index of the first of the sorted `values` that is at least `lowest`.
    func firstIndex(in values: [Int], atLeast lowest: Int) -> Int {
        var low = 0, high = values.count
        while low < high {
            let middle = (low + high) / 2
            if values[middle] < lowest { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// The one of the sorted `values` nearest `target`, if within `distance` of it.
    func nearest(in values: [Int], to target: Int, within distance: Int) -> Int? {
        let index = firstIndex(in: values, atLeast: target)
        let near = [index - 1, index].filter { values.indices.contains($0) }.map { values[$0] }
        return near.filter { abs($0 - target) <= distance }.min { abs($0 - target) < abs($1 - target) }
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
            let characterScalars = character.unicodeScalars
            // a lone scalar below U+0300, where combining marks begin, is its own NFC
            if characterScalars.count == 1, let only = characterScalars.first, only.value < 0x300 {
                scalars.append(only)
                clusterStart.append(offset)
                clusterEnd.append(offset + 1)
                offset += 1
                continue
            }
            let length = characterScalars.count
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

    /// `range` of normalised scalars widened to whole grapheme clusters.
    func clusterAligned(_ range: Range<Int>) -> Range<Int> {
        var lower = max(0, min(range.lowerBound, scalars.count)), upper = max(lower, min(range.upperBound, scalars.count))
        while lower > 0, lower < scalars.count, clusterStart[lower - 1] == clusterStart[lower] { lower -= 1 }
        while upper > lower, upper < scalars.count, clusterEnd[upper] == clusterEnd[upper - 1] { upper += 1 }
        return lower..<upper
    }

    /// The first normalised scalar whose grapheme cluster starts at or after original code
    /// point `offset`.
    func normalizedIndex(ofOriginal offset: Int) -> Int {
        var low = 0, high = clusterStart.count
        while low < high {
            let middle = (low + high) / 2
            if clusterStart[middle] < offset { low = middle + 1 } else { high = middle }
        }
        return low
    }
}

extension Reanchoring {
    /// A store's contents placed in a document: what ``place(_:in:)`` made of them.
    public struct Placement: Sendable {
        /// The contents with annotations at their places in the text, orphans updated and
        /// the quarantined records that were found by their quote taken out.
        public var contents: StoreContents
        /// How many annotations moved (approximate ones included).
        public var moved: Int
        /// How many moved onto edited text.
        public var approximate: Int
        /// The ids of those.
        public var approximateIDs: Set<String>
        /// How many annotations are orphans now that were not before.
        public var orphaned: Int
        /// Why each orphan of `contents` has no place in the text, by id.
        public var orphanReasons: [String: OrphanReason] = [:]
        /// How many U+FEFF at the start of the text, which the store counted and the text
        /// no longer holds, the offsets were moved back by (``Document/droppedMarks``); 0
        /// for a store of this text or of another.
        public var droppedMarks = 0

        /// `contents` taken as placed, nothing moved or orphaned.
        public init(unchanged contents: StoreContents) {
            self.init(contents: contents, moved: 0, approximate: 0, approximateIDs: [], orphaned: 0)
        }

        init(contents: StoreContents, moved: Int, approximate: Int, approximateIDs: Set<String>, orphaned: Int) {
            self.contents = contents
            self.moved = moved
            self.approximate = approximate
            self.approximateIDs = approximateIDs
            self.orphaned = orphaned
        }
    }

    /// Places a store's annotations in `document`: the annotations, the orphans (tried
    /// again, as the text may have been restored) and the records quarantined only because
    /// their offsets lie past the stored length. The one way the reader and `gloss export`
    /// fit a store to a text.
    ///
    /// When the text is the one the store records (same SHA-256), offsets are checked, not
    /// searched for: an annotation whose `end` lies past the text or whose `start` or `end`
    /// falls inside a grapheme cluster is quarantined with the reason, and records past the
    /// stored length stay quarantined; an annotation whose quote is at its offsets stays
    /// there, whatever its stored prefix and suffix. When the text changed, all of those are
    /// placed by their quote and context, or become orphans. The text's hash is computed
    /// only when some record needs it.
    /// - Parameter progress: told, before each annotation that must be searched for (not
    ///   at its offsets), how many have been searched for and how many there are, and once
    ///   more when all have been; the search is the slow part of placing a store.
    public static func place(_ contents: StoreContents, in document: Document, progress: ReanchoringProgress? = nil) -> Placement {
        var (contents, marks) = droppingMarks(contents, in: document)
        var inPlace: [Annotation] = [], stale: [Annotation] = []
        var problems: [(annotation: Annotation, position: Int, reason: String)] = []
        // quote at its offsets but context changed: in place only if the text is the same
        var contextChanged: [Annotation] = []
        for (position, annotation) in contents.annotations.enumerated() {
            if isInPlace(annotation, in: document) {
                inPlace.append(annotation)
            } else if let reason = offsetProblem(annotation, in: document) {
                problems.append((annotation, position, reason))
            } else if document.text(in: annotation.range).unicodeScalars.elementsEqual(annotation.quote.unicodeScalars) {
                contextChanged.append(annotation)
            } else {
                stale.append(annotation)
            }
        }
        var outOfRange = contents.quarantined.compactMap(\.annotation)
        let needsHash = !problems.isEmpty || !outOfRange.isEmpty || !contextChanged.isEmpty
        if needsHash, let recorded = contents.document, recorded.sha256 == document.sha256 {
            // the offsets were made on this very text: they are wrong, not stale, and a
            // quote found at them is where the annotation is, whatever its stored context
            for problem in problems {
                let record = problem.annotation.jsonRecord
                contents.quarantined.append(QuarantinedRecord(record: record, list: "annotations", position: problem.position, reason: problem.reason))
            }
            inPlace += contextChanged
            outOfRange = []
        } else {
            stale += problems.map(\.annotation) + contextChanged
        }
        for annotation in contents.orphans + outOfRange {
            if isInPlace(annotation, in: document) { inPlace.append(annotation) } else { stale.append(annotation) }
        }
        let result = reanchor(inPlace: inPlace, stale: stale, in: document, recordedLength: contents.document?.length, progress: progress)
        let outOfRangeIDs = Set(outOfRange.map(\.id))
        var placed = contents
        placed.annotations = result.anchored
        placed.orphans = result.orphans.filter { !outOfRangeIDs.contains($0.id) }
        let rescued = Set(result.anchored.map(\.id)).intersection(outOfRangeIDs)
        placed.quarantined.removeAll { $0.annotation.map { rescued.contains($0.id) } ?? false }
        let known = Set(contents.orphans.map(\.id))
        var placement = Placement(contents: placed, moved: result.moved, approximate: result.approximate,
                                  approximateIDs: result.approximateIDs, orphaned: placed.orphans.filter { !known.contains($0.id) }.count)
        placement.droppedMarks = marks
        let orphanIDs = Set(placed.orphans.map(\.id))
        placement.orphanReasons = result.orphanReasons.filter { orphanIDs.contains($0.key) }
        return placement
    }

    /// `contents` with its offsets moved back by the U+FEFF an earlier Gloss kept at the
    /// start of `document`'s text and that it now drops (``Document/droppedMarks``), when
    /// the store records exactly that text (its SHA-256 is that of the marks followed by
    /// the text): the offsets were made on this very text, one code point per mark
    /// further on, and are moved exactly, not searched for. The record is then that of
    /// the text. Returns the contents and how many marks they were moved back by (0 when
    /// the store records another text, which re-anchors as usual).
    static func droppingMarks(_ contents: StoreContents, in document: Document) -> (StoreContents, Int) {
        guard document.droppedMarks > 0, let recorded = contents.document, recorded.sha256 != document.sha256 else { return (contents, 0) }
        let length = document.length
        for marks in 1...document.droppedMarks where recorded.length == length + marks {
            let hash = document.withUTF8 { text in
                var hasher = SHA256()
                hasher.update(data: [UInt8]((0..<marks).flatMap { _ in Document.byteOrderMark }))
                hasher.update(bufferPointer: UnsafeRawBufferPointer(text))
                return hasher.finalize().map { String(format: "%02x", $0) }.joined()
            }
            guard hash == recorded.sha256 else { continue }
            func moved(_ annotation: Annotation) -> Annotation {
                var annotation = annotation
                // a span over a dropped mark loses it from its quote
                let lost = max(0, min(annotation.end, marks) - annotation.start)
                if lost > 0, annotation.quote.unicodeScalars.prefix(lost).allSatisfy({ $0 == "\u{FEFF}" }) {
                    annotation.quote = String(annotation.quote.unicodeScalars.dropFirst(lost))
                }
                annotation.start = max(0, annotation.start - marks)
                annotation.end = max(annotation.start, annotation.end - marks)
                annotation.prefix = String(annotation.prefix.unicodeScalars.drop { $0 == "\u{FEFF}" })
                return annotation
            }
            var shifted = contents
            shifted.annotations = contents.annotations.map(moved)
            shifted.orphans = contents.orphans.map(moved)
            shifted.document = StoredDocument(path: recorded.path, sha256: document.sha256, length: length, source: recorded.source,
                                              otherFields: recorded.otherFields)
            return (shifted, marks)
        }
        return (contents, 0)
    }

    /// Why `orphan` has no place in `document`, searched for as re-anchoring searches
    /// (its recorded offsets aside); nil when it would be placed now. For saying why one
    /// orphan is one, as the reader does when it is chosen in the list.
    public static func orphanReason(of orphan: Annotation, in document: Document) -> OrphanReason? {
        reanchor(inPlace: [], stale: [orphan], in: document, recordedLength: nil).orphanReasons[orphan.id]
    }

    /// Why each of `orphans` has no place in `document`, as ``orphanReason(of:in:)`` says
    /// it for one, searched in one pass; in a sentence each for the reports
    /// (``OrphanReason/description``), "no place of its own was found for it" for one
    /// that would be placed now.
    /// - Returns: a sentence per orphan, in the order of `orphans`.
    public static func orphanReasonSentences(_ orphans: [Annotation], in document: Document) -> [String] {
        guard !orphans.isEmpty else { return [] }
        let reasons = reanchor(inPlace: [], stale: orphans, in: document, recordedLength: nil).orphanReasons
        return orphans.map { reasons[$0.id]?.description ?? "no place of its own was found for it" }
    }

    /// `orphans`' reasons (``Placement/orphanReasons``) in a few words, grouped
    /// (``OrphanReason/summary(of:)``); an orphan without one counts as not found.
    public static func orphanSummary(_ orphans: [Annotation], reasons: [String: OrphanReason]) -> String {
        OrphanReason.summary(of: orphans.map { reasons[$0.id] ?? .notFound })
    }
}
