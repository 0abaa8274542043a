import Foundation

extension W3CImporter {
    /// How an imported annotation found its place.
    enum How: Equatable {
        /// Its `TextPositionSelector`, in code points, holds its quote.
        case position
        /// Its `TextPositionSelector` holds its quote counted in UTF-16 code units.
        case utf16Position
        /// Its quote found exactly, by its context (or a position among equals).
        case quote
        /// Its quote found approximately (the text was edited), as re-anchoring does.
        case approximate
        /// Its quote found ignoring differences in white space.
        case whiteSpace
        /// A Hypothesis quote found once in the text, none of its context beside it.
        case quoteAlone
    }

    /// Where an imported selection goes.
    enum Placement: Equatable {
        case placed(Range<Int>, How)
        /// Not found: kept as an orphan, for the reason given.
        case orphan(String)
        /// Positions alone that cannot be a Gloss span, for the reason given.
        case failed(String)
    }

    /// Places selections (a quote with its context, positions, or both) in a document; see
    /// ``W3CImporter`` for the rules.
    struct Anchoring {
        let document: Document
        let length: Int
        /// How many selections were placed by UTF-16 positions.
        private(set) var utf16Count = 0
        /// Code-point offsets of the text's scalars above U+FFFF (two UTF-16 code units
        /// each); made when first needed.
        private var supplementary: [Int]?
        /// The text with white space collapsed; made when first needed.
        private var collapsed: CollapsedText?

        init(document: Document) {
            self.document = document
            length = document.length
        }

        /// The place of each selection, in order; `hypothesis` marks a Hypothesis row,
        /// whose quote alone may place it.
        mutating func place(_ requests: [(selection: Selection, hypothesis: Bool)]) -> [Placement] {
            var results = [Placement?](repeating: nil, count: requests.count)
            var probes: [Annotation] = []
            for (index, request) in requests.enumerated() {
                let selection = request.selection
                guard let exact = selection.exact else {
                    results[index] = positionsOnly(selection.start ?? 0, selection.end ?? 0)
                    continue
                }
                if let start = selection.start, let end = selection.end {
                    if holds(exact, at: start..<end) {
                        results[index] = .placed(start..<end, .position)
                        continue
                    }
                    if let range = utf16Range(start, end), holds(exact, at: range) {
                        utf16Count += 1
                        results[index] = .placed(range, .utf16Position)
                        continue
                    }
                }
                let hint = max(0, min(selection.start ?? 0, length))
                probes.append(Annotation(id: String(index), start: hint, end: min(length, hint + exact.unicodeScalars.count),
                                         quote: exact, prefix: selection.prefix ?? "", suffix: selection.suffix ?? "",
                                         tags: [], note: "", author: "", created: "", modified: ""))
            }
            if !probes.isEmpty {
                // one pass for all, so the text is normalised once
                let found = Reanchoring.reanchor(probes, in: document)
                // a quote placed alone, with none of its context, only as the last stage allows
                let alone = found.byQuoteAloneIDs.map { Int($0)! }
                for placed in found.anchored where !found.approximateIDs.contains(placed.id) && !found.byQuoteAloneIDs.contains(placed.id) {
                    results[Int(placed.id)!] = .placed(placed.range, .quote)
                }
                // a copy that differs only in white space is surer than an approximate match
                var approximate: [Int: Range<Int>] = [:]
                for placed in found.anchored where found.approximateIDs.contains(placed.id) { approximate[Int(placed.id)!] = placed.range }
                for index in (approximate.keys.sorted() + alone + found.orphans.map({ Int($0.id)! })).sorted() {
                    let placement = byWhiteSpaceFreeQuote(requests[index].selection, hypothesis: requests[index].hypothesis)
                    if case .orphan = placement, let range = approximate[index] {
                        results[index] = .placed(range, .approximate)
                    } else {
                        results[index] = placement
                    }
                }
            }
            return results.map { $0! }
        }

        /// Whether `range` is a span of the text on grapheme cluster boundaries holding
        /// `exact`, code point for code point.
        func holds(_ exact: String, at range: Range<Int>) -> Bool {
            guard range.lowerBound >= 0, range.lowerBound < range.upperBound, range.upperBound <= length,
                  range.count == exact.unicodeScalars.count,
                  document.text(in: range).unicodeScalars.elementsEqual(exact.unicodeScalars) else { return false }
            return Reanchoring.isClusterBoundary(range.lowerBound, in: document) && Reanchoring.isClusterBoundary(range.upperBound, in: document)
        }

        /// A selection of positions alone (code points): the span, when it can be one.
        func positionsOnly(_ start: Int, _ end: Int) -> Placement {
            guard start < end else { return .failed("its TextPositionSelector \(start)..<\(end) selects nothing") }
            guard end <= length else {
                return .failed("its TextPositionSelector \(start)..<\(end) lies outside the text's \(length) code points")
            }
            for offset in [start, end] where !Reanchoring.isClusterBoundary(offset, in: document) {
                return .failed("its TextPositionSelector \(start)..<\(end) has \(offset) inside a grapheme cluster")
            }
            return .placed(start..<end, .position)
        }

        /// `start..<end` read as UTF-16 code units, in code points; nil when the text has
        /// nothing above U+FFFF there (the two counts agree), or an end falls between the
        /// two halves of a surrogate pair.
        mutating func utf16Range(_ start: Int, _ end: Int) -> Range<Int>? {
            if supplementary == nil {
                var offsets: [Int] = []
                for (offset, scalar) in document.text.unicodeScalars.enumerated() where scalar.value > 0xFFFF { offsets.append(offset) }
                supplementary = offsets
            }
            guard let supplementary, let first = supplementary.first, first < end else { return nil }
            func codePoint(_ unit: Int) -> Int? {
                // the smallest code point c with c + (supplementary scalars before c) >= unit
                func units(_ c: Int) -> Int {
                    var low = 0, high = supplementary.count
                    while low < high {
                        let middle = (low + high) / 2
                        if supplementary[middle] < c { low = middle + 1 } else { high = middle }
                    }
                    return c + low
                }
                var low = 0, high = length
                while low < high {
                    let middle = (low + high) / 2
                    if units(middle) < unit { low = middle + 1 } else { high = middle }
                }
                return units(low) == unit ? low : nil
            }
            guard let lower = codePoint(start), let upper = codePoint(end), lower < upper else { return nil }
            return lower..<upper
        }

        /// The last stage: the quote found with its white space runs collapsed to one space
        /// (and trimmed: the context takes in its leading and trailing space), among copies
        /// that keep some of their context; the copy with the most context, then the one
        /// nearest the position. A Hypothesis quote found once, at least
        /// ``Reanchoring/anchorLength`` scalars long, needs no context.
        mutating func byWhiteSpaceFreeQuote(_ selection: Selection, hypothesis: Bool) -> Placement {
            if collapsed == nil { collapsed = CollapsedText(document.text) }
            let text = collapsed!
            let exact = selection.exact ?? ""
            let scalars = Array(exact.unicodeScalars)
            let leading = scalars.prefix { CollapsedText.isSpace($0) }
            let trailing = scalars.dropFirst(leading.count).reversed().prefix { CollapsedText.isSpace($0) }
            let core = Array(scalars[leading.count..<(scalars.count - trailing.count)])
            let needle = CollapsedText.collapse(core)
            let shown = Export.shortened(exact).debugDescription
            guard !needle.isEmpty else { return .orphan("its quote \(shown) is only white space") }
            let prefix = CollapsedText.collapse(Array((selection.prefix ?? "").unicodeScalars) + leading)
            let suffix = CollapsedText.collapse(Array(trailing.reversed()) + Array((selection.suffix ?? "").unicodeScalars))
            let starts = text.occurrences(of: needle)
            guard !starts.isEmpty else { return .orphan("its quote \(shown) is not in the text") }

            struct Candidate { var range: Range<Int>; var sides: Int; var score: Int; var agrees: Bool }
            var candidates: [Candidate] = []
            for start in starts {
                let end = start + needle.count
                let range = text.originalRange(start..<end)
                guard Reanchoring.isClusterBoundary(range.lowerBound, in: document),
                      Reanchoring.isClusterBoundary(range.upperBound, in: document) else { continue }
                var before = 0
                while before < prefix.count, start - before - 1 >= 0,
                      text.scalars[start - before - 1] == prefix[prefix.count - before - 1] { before += 1 }
                var after = 0
                while after < suffix.count, end + after < text.scalars.count, text.scalars[end + after] == suffix[after] { after += 1 }
                func side(_ recorded: Int, _ matched: Int) -> Reanchoring.ContextSide {
                    recorded == 0 ? .absent : matched >= min(Reanchoring.anchorLength, recorded) ? .matches : .differs
                }
                let sides = (prefix: side(prefix.count, before), suffix: side(suffix.count, after))
                candidates.append(Candidate(range: range, sides: (sides.prefix == .matches ? 1 : 0) + (sides.suffix == .matches ? 1 : 0),
                                            score: before + after, agrees: Reanchoring.contextAgrees(sides.prefix, sides.suffix)))
            }
            let document = self.document
            func how(_ range: Range<Int>) -> How {
                document.text(in: range).unicodeScalars.elementsEqual(exact.unicodeScalars) ? .quote : .whiteSpace
            }
            let eligible = candidates.filter(\.agrees)
            guard !eligible.isEmpty else {
                if hypothesis, candidates.count == 1, starts.count == 1, needle.count >= Reanchoring.anchorLength {
                    return .placed(candidates[0].range, .quoteAlone)
                }
                return .orphan(starts.count == 1 ? "its quote \(shown) is in the text only where none of its context is"
                                                 : "its quote \(shown) is in the text \(starts.count) times, none with its context")
            }
            let best = eligible.map { [$0.sides, $0.score] }.max { $0.lexicographicallyPrecedes($1) }!
            var winners = eligible.filter { [$0.sides, $0.score] == best }
            if winners.count > 1, let hint = selection.start {
                let nearest = winners.map { abs($0.range.lowerBound - hint) }.min()!
                winners = winners.filter { abs($0.range.lowerBound - hint) == nearest }
            }
            guard winners.count == 1 else {
                return .orphan("its quote \(shown) is in the text \(winners.count) times with as much of its context, and no position tells which")
            }
            return .placed(winners[0].range, how(winners[0].range))
        }
    }

    /// A text with each run of white space made one space, with the code-point range of the
    /// original text each of its scalars stands for.
    struct CollapsedText {
        private(set) var scalars: [Unicode.Scalar] = []
        private var starts: [Int] = []
        private var ends: [Int] = []

        init(_ text: String) {
            var offset = 0
            var inSpace = false
            for scalar in text.unicodeScalars {
                if Self.isSpace(scalar) {
                    if inSpace {
                        ends[ends.count - 1] = offset + 1
                    } else {
                        scalars.append(" ")
                        starts.append(offset)
                        ends.append(offset + 1)
                    }
                    inSpace = true
                } else {
                    scalars.append(scalar)
                    starts.append(offset)
                    ends.append(offset + 1)
                    inSpace = false
                }
                offset += 1
            }
        }

        /// White space as runs are collapsed: Unicode's, no-break spaces included.
        static func isSpace(_ scalar: Unicode.Scalar) -> Bool { scalar.properties.isWhitespace }

        /// `scalars` with each run of white space made one space.
        static func collapse(_ scalars: [Unicode.Scalar]) -> [Unicode.Scalar] {
            var out: [Unicode.Scalar] = []
            var inSpace = false
            for scalar in scalars {
                if isSpace(scalar) {
                    if !inSpace { out.append(" ") }
                    inSpace = true
                } else {
                    out.append(scalar)
                    inSpace = false
                }
            }
            return out
        }

        /// The original code points that `range` of collapsed scalars stands for.
        func originalRange(_ range: Range<Int>) -> Range<Int> {
            starts[range.lowerBound]..<ends[range.upperBound - 1]
        }

        /// Start indices of every occurrence of `needle`.
        func occurrences(of needle: [Unicode.Scalar]) -> [Int] {
            guard let first = needle.first, needle.count <= scalars.count else { return [] }
            var found: [Int] = []
            var start = 0
            let last = scalars.count - needle.count
            while start <= last {
                if scalars[start] == first {
                    var matched = 1
                    while matched < needle.count, scalars[start + matched] == needle[matched] { matched += 1 }
                    if matched == needle.count { found.append(start) }
                }
                start += 1
            }
            return found
        }
    }
}
