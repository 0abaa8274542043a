import Foundation

/// Inter-coder agreement between two coders' annotations of one document: Cohen's kappa
/// over code points and span-level precision, recall and F1, per category and per
/// category and value, with the passages where the two coders' tags differ. Pure
/// functions over annotations; coder A is the reference, coder B is compared against it.
///
/// Units are Unicode code points of the document text (as annotation offsets are). Only
/// placed annotations count: orphans and invalid records are left out. An annotation's
/// tags all cover its whole span; a code point covered by several annotations carries the
/// tags of them all.
///
/// Krippendorff's unitized alpha is not computed (see the README).
public enum Agreement {
    /// Cohen's kappa of two coders' binary or nominal judgements over some code points:
    /// κ = (p_o − p_e) / (1 − p_e), where p_o is the share of code points both coders gave
    /// the same class, and p_e = Σ_k p_A(k) · p_B(k) the agreement expected by chance from
    /// each coder's own share of each class k (Cohen, J. 1960, "A coefficient of agreement
    /// for nominal scales", Educational and Psychological Measurement 20(1), 37–46).
    public struct Kappa: Encodable, Hashable, Sendable {
        /// How many code points were judged.
        public var units: Int
        /// p_o, the observed share of agreeing code points, 0...1.
        public var observed: Double
        /// p_e, the share expected by chance, 0...1.
        public var expected: Double
        /// κ; nil when it is undefined: no code points, or p_e = 1 (both coders put every
        /// code point in one and the same class).
        public var value: Double?

        /// Kappa from a contingency table: `counts[(a, b)]` code points that coder A put in
        /// class `a` and coder B in class `b`.
        public init<Class: Hashable>(counts: [Pair<Class>: Int]) {
            let total = counts.values.reduce(0, +)
            units = total
            guard total > 0 else { observed = 0; expected = 0; value = nil; return }
            var agree = 0
            var marginA: [Class: Int] = [:], marginB: [Class: Int] = [:]
            for (pair, count) in counts {
                if pair.a == pair.b { agree += count }
                marginA[pair.a, default: 0] += count
                marginB[pair.b, default: 0] += count
            }
            let n = Double(total)
            observed = Double(agree) / n
            expected = marginA.reduce(0.0) { sum, entry in sum + Double(entry.value) / n * Double(marginB[entry.key] ?? 0) / n }
            value = expected >= 1 - 1e-12 ? nil : (observed - expected) / (1 - expected)
        }

        private enum CodingKeys: String, CodingKey { case units, observed, expected, kappa }

        /// Encodes `units`, `observed`, `expected` and `kappa` (null when undefined).
        public func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(units, forKey: .units)
            try container.encode(observed, forKey: .observed)
            try container.encode(expected, forKey: .expected)
            try container.encode(value, forKey: .kappa)
        }
    }

    /// One cell key of a contingency table: the class coder A gave, the class coder B gave.
    public struct Pair<Class: Hashable>: Hashable {
        /// Coder A's class.
        public var a: Class
        /// Coder B's class.
        public var b: Class
        /// Creates the key.
        public init(_ a: Class, _ b: Class) { self.a = a; self.b = b }
    }

    /// Span-level scores of coder B against coder A (the reference) for one category, or
    /// one category and value. Spans are distinct (start, end) pairs in code points: an
    /// annotation counts once for a category however many of its tags have it.
    ///
    /// - precision = matched B spans / B spans (nil when B has none);
    /// - recall = matched A spans / A spans (nil when A has none);
    /// - F1 = 2 · precision · recall / (precision + recall); 0 when only one coder has
    ///   spans or when precision and recall are both 0; nil when neither has any.
    ///
    /// With exact matching a span matches when the other coder has the same start and
    /// end (and category, and value in a value's row), so matched A = matched B = the
    /// spans both have, and F1 = 2 · both / (A spans + B spans), as brat's and bratiaa's
    /// instance-level F1. With overlap matching a span matches when the other coder has a
    /// span sharing at least one code point with it.
    public struct SpanScores: Encodable, Hashable, Sendable {
        /// Spans coder A has.
        public var referenceSpans: Int
        /// Spans coder B has.
        public var candidateSpans: Int
        /// A's spans that B matches.
        public var matchedReference: Int
        /// B's spans that A matches.
        public var matchedCandidate: Int

        /// Matched B spans over B spans; nil when B has none.
        public var precision: Double? { candidateSpans == 0 ? nil : Double(matchedCandidate) / Double(candidateSpans) }
        /// Matched A spans over A spans; nil when A has none.
        public var recall: Double? { referenceSpans == 0 ? nil : Double(matchedReference) / Double(referenceSpans) }
        /// The harmonic mean of precision and recall (see the type's documentation).
        public var f1: Double? {
            switch (precision, recall) {
            case (nil, nil): return nil
            case (nil, _), (_, nil): return 0
            case let (p?, r?): return p + r == 0 ? 0 : 2 * p * r / (p + r)
            }
        }

        private enum CodingKeys: String, CodingKey {
            case referenceSpans = "a_spans", candidateSpans = "b_spans", matchedReference = "a_matched", matchedCandidate = "b_matched"
            case precision, recall, f1
        }

        /// Encodes the counts (`a_spans`, `b_spans`, `a_matched`, `b_matched`) and
        /// `precision`, `recall` and `f1` (null when undefined).
        public func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(referenceSpans, forKey: .referenceSpans)
            try container.encode(candidateSpans, forKey: .candidateSpans)
            try container.encode(matchedReference, forKey: .matchedReference)
            try container.encode(matchedCandidate, forKey: .matchedCandidate)
            try container.encode(precision, forKey: .precision)
            try container.encode(recall, forKey: .recall)
            try container.encode(f1, forKey: .f1)
        }

        /// Scores of `candidate` spans against `reference` spans; `overlap` chooses overlap
        /// matching instead of exact matching.
        public init(reference: Set<Range<Int>>, candidate: Set<Range<Int>>, overlap: Bool) {
            referenceSpans = reference.count
            candidateSpans = candidate.count
            if overlap {
                matchedReference = reference.filter { span in candidate.contains { $0.overlaps(span) } }.count
                matchedCandidate = candidate.filter { span in reference.contains { $0.overlaps(span) } }.count
            } else {
                matchedReference = reference.intersection(candidate).count
                matchedCandidate = matchedReference
            }
        }
    }

    /// The scores of one row: a category (`value` nil), or a category and value.
    public struct Row: Encodable, Hashable, Sendable {
        /// The category id.
        public var category: String
        /// The tag value; nil for the category's row, which counts every value.
        public var value: String?
        /// Kappa over every code point of the document, uncoded text counted as the class
        /// "not this": coder A's class of a code point is whether an annotation of A with
        /// this category (and value) covers it, likewise for B. Uncoded text, on which
        /// both agree, inflates it.
        public var kappaWithUncoded: Kappa
        /// Kappa over the coded code points only: those at least one tag of A or of B
        /// covers (any category); text neither coder coded is left out.
        public var kappaCodedOnly: Kappa
        /// Exact matching: same start, end and category (and value).
        public var exact: SpanScores
        /// Overlap matching: same category (and value), spans sharing a code point.
        public var overlap: SpanScores
    }

    /// A stretch of text where the two coders' tags differ.
    public struct Disagreement: Codable, Hashable, Sendable {
        /// Code points of the stretch, end exclusive.
        public var start: Int
        /// End of the stretch (exclusive).
        public var end: Int
        /// The text of the stretch.
        public var quote: String
        /// Coder A's tags on it (from every annotation of A covering it), sorted.
        public var a: [Tag]
        /// Coder B's tags on it, sorted.
        public var b: [Tag]
    }

    /// Everything ``compare(_:_:in:)`` finds.
    public struct Report: Encodable, Hashable, Sendable {
        /// Code points in the document.
        public var length: Int
        /// Code points covered by at least one tag of A or B (any category).
        public var codedLength: Int
        /// Kappa over all categories at once: each code point's class is the set of
        /// categories covering it (none for uncoded text), every code point counted.
        public var overallWithUncoded: Kappa
        /// The same over the coded code points only.
        public var overallCodedOnly: Kappa
        /// One row per category (sorted by id), each followed by its values' rows (sorted).
        public var rows: [Row]
        /// The stretches where A's and B's tags differ, in document order.
        public var disagreements: [Disagreement]
    }

    /// A stretch of text with the tags each coder has on every code point of it.
    struct Segment {
        var range: Range<Int>
        var a: Set<Tag>
        var b: Set<Tag>
    }

    /// Cuts `0..<length` at every start and end of the two coders' annotations and gives
    /// each piece the tags covering it on each side.
    static func segments(_ a: [Annotation], _ b: [Annotation], length: Int) -> [Segment] {
        var events: [(position: Int, side: Int, delta: Int, tags: [Tag])] = []
        for (side, annotations) in [a, b].enumerated() {
            for annotation in annotations where annotation.start < annotation.end {
                let start = max(0, min(annotation.start, length)), end = max(0, min(annotation.end, length))
                guard start < end else { continue }
                events.append((start, side, 1, annotation.tags))
                events.append((end, side, -1, annotation.tags))
            }
        }
        events.sort { $0.position < $1.position }
        var active: [[Tag: Int]] = [[:], [:]]
        var segments: [Segment] = []
        var position = 0
        var index = 0
        func current(_ side: Int) -> Set<Tag> { Set(active[side].filter { $0.value > 0 }.keys) }
        while position < length {
            while index < events.count, events[index].position <= position {
                let event = events[index]
                for tag in Set(event.tags) { active[event.side][tag, default: 0] += event.delta }
                index += 1
            }
            let next = index < events.count ? min(events[index].position, length) : length
            segments.append(Segment(range: position..<next, a: current(0), b: current(1)))
            position = next
        }
        return segments
    }

    /// Compares coder B's annotations with coder A's (the reference) over `document`.
    /// Annotations whose offsets lie outside the text are cut to it.
    public static func compare(_ a: [Annotation], _ b: [Annotation], in document: Document) -> Report {
        compare(a, b, length: document.length) { document.text(in: $0) }
    }

    /// ``compare(_:_:in:)`` over a text of `length` code points, `text` giving the text of
    /// a range for the disagreements' quotes.
    public static func compare(_ a: [Annotation], _ b: [Annotation], length: Int, text: (Range<Int>) -> String) -> Report {
        let pieces = segments(a, b, length: length)
        let coded = pieces.filter { !$0.a.isEmpty || !$0.b.isEmpty }
        func kappa<Class: Hashable>(_ pieces: [Segment], _ classify: (Set<Tag>) -> Class) -> Kappa {
            var counts: [Pair<Class>: Int] = [:]
            for piece in pieces { counts[Pair(classify(piece.a), classify(piece.b)), default: 0] += piece.range.count }
            return Kappa(counts: counts)
        }
        let categoriesOf: (Set<Tag>) -> Set<String> = { Set($0.map(\.category)) }
        let allTags = Set(a.flatMap(\.tags) + b.flatMap(\.tags))
        var rows: [Row] = []
        func spans(_ annotations: [Annotation], _ test: (Tag) -> Bool) -> Set<Range<Int>> {
            Set(annotations.filter { $0.tags.contains(where: test) }.map(\.range))
        }
        func row(category: String, value: String?) -> Row {
            let test: (Tag) -> Bool = { $0.category == category && (value == nil || $0.value == value) }
            let has: (Set<Tag>) -> Bool = { $0.contains(where: test) }
            let spansA = spans(a, test), spansB = spans(b, test)
            return Row(category: category, value: value,
                       kappaWithUncoded: kappa(pieces, has), kappaCodedOnly: kappa(coded, has),
                       exact: SpanScores(reference: spansA, candidate: spansB, overlap: false),
                       overlap: SpanScores(reference: spansA, candidate: spansB, overlap: true))
        }
        for category in Set(allTags.map(\.category)).sorted() {
            rows.append(row(category: category, value: nil))
            for value in Set(allTags.filter { $0.category == category }.map(\.value)).sorted() {
                rows.append(row(category: category, value: value))
            }
        }
        var disagreements: [Disagreement] = []
        for piece in pieces where piece.a != piece.b {
            if let last = disagreements.last, last.end == piece.range.lowerBound,
               Set(last.a) == piece.a, Set(last.b) == piece.b {
                disagreements[disagreements.count - 1].end = piece.range.upperBound
            } else {
                disagreements.append(Disagreement(start: piece.range.lowerBound, end: piece.range.upperBound, quote: "",
                                                  a: piece.a.sorted(by: tagOrder), b: piece.b.sorted(by: tagOrder)))
            }
        }
        for index in disagreements.indices {
            disagreements[index].quote = text(disagreements[index].start..<disagreements[index].end)
        }
        return Report(length: length, codedLength: coded.reduce(0) { $0 + $1.range.count },
                      overallWithUncoded: kappa(pieces, categoriesOf), overallCodedOnly: kappa(coded, categoriesOf),
                      rows: rows, disagreements: disagreements)
    }

    /// Tags by category, then value.
    static func tagOrder(_ x: Tag, _ y: Tag) -> Bool { (x.category, x.value) < (y.category, y.value) }
}

extension Agreement.Pair: Sendable where Class: Sendable {}
