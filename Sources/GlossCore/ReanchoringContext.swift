import Foundation

/// The context rule re-anchoring follows, and the checks of an annotation at its recorded
/// offsets.
///
/// A side of context (the prefix before the quote, the suffix after it) is compared with
/// the text beside a place, outward from the quote:
/// - it is **absent** when nothing was recorded on that side (an empty prefix or suffix:
///   the annotation was at the start or end of its text). The edge of the new text is no
///   evidence: another sentence may start there now;
/// - it **matches** when the ``Reanchoring/anchorLength`` scalars of it next to the quote
///   are beside the place unedited. Words edited further out in the context do not undo
///   it. A side recorded shorter than that reached the edge of the text, so it matches
///   only where all of it is beside the place with the text's edge right after it: a few
///   common scalars such as `.` elsewhere are no context;
/// - otherwise it **differs**.
///
/// At the annotation's recorded offsets, with its quote still there, a side also matches
/// when all of it is within edit distance of a quarter of its length from the text there:
/// words edited inside the context do not move the annotation off its own words.
/// Elsewhere, and wherever the quote itself was edited, only the unedited scalars next to
/// the quote count.
///
/// A place *has none of its context* when no side matches and at least one side differs.
/// The quote is never placed there: not left at its recorded offsets, not moved to an
/// exact copy, not placed approximately. One matching side is enough, so the text on the
/// other side may have been edited. A place where both sides are absent (the quote was
/// the whole text) has nothing to contradict it. The one exception is a quote long
/// enough to tell itself apart (``Reanchoring/uniqueQuoteLength``) found exactly once in
/// the whole text: that copy is the annotation's, whatever is beside it.
extension Reanchoring {
    /// How a recorded prefix or suffix compares with the text beside a place.
    enum ContextSide: Equatable {
        /// Nothing was recorded on that side.
        case absent
        /// The side's ``Reanchoring/anchorLength`` scalars next to the quote are there, or
        /// all of a shorter side and then the text's edge.
        case matches
        /// Something else is beside the place.
        case differs
    }

    /// Compares a recorded side of context with the text beside a place, both ordered
    /// outward from the quote (a prefix reversed). `beside` runs to the text's edge, or
    /// holds at least ``Reanchoring/anchorLength`` scalars. Line breaks compare as one
    /// whatever their line endings (``foldingLineEndings(_:)``), so a text saved with CR LF
    /// instead of LF, or back, keeps its context; only the first 32 scalars of each side
    /// are folded, and only when one holds a CR.
    static func compareContext<Recorded: Collection, Beside: Collection>(_ recorded: Recorded, _ beside: Beside) -> ContextSide
    where Recorded.Element == Unicode.Scalar, Beside.Element == Unicode.Scalar {
        guard !recorded.isEmpty else { return .absent }
        let anchor = recorded.prefix(anchorLength)
        if beside.prefix(anchor.count).elementsEqual(anchor) {
            return anchor.count < anchorLength && beside.count != anchor.count ? .differs : .matches
        }
        // line endings converted (CR LF to LF or back): each line break compared as one
        let reach = 2 * anchorLength
        guard recorded.prefix(reach).contains("\r") || beside.prefix(reach).contains("\r") else { return .differs }
        let foldedRecorded = foldingLineEndings(recorded.prefix(reach)), foldedBeside = foldingLineEndings(beside.prefix(reach + 1))
        let foldedAnchor = foldedRecorded.prefix(anchorLength)
        // a side shorter than the anchor reached the text's edge, whose line break may have grown
        let whole = recorded.count <= reach && foldedRecorded.count < anchorLength
        guard foldedBeside.starts(with: foldedAnchor) else { return .differs }
        if whole && !(foldedBeside.count == foldedAnchor.count && beside.count <= reach) { return .differs }
        return .matches
    }

    /// `scalars` (ordered outward from a quote, either way) with each line break, a CR LF
    /// pair in either order, a lone CR or a lone LF, as one LF.
    static func foldingLineEndings<Scalars: Sequence>(_ scalars: Scalars) -> [Unicode.Scalar] where Scalars.Element == Unicode.Scalar {
        var folded: [Unicode.Scalar] = []
        var pending: Unicode.Scalar?
        for scalar in scalars {
            let isBreak = scalar == "\r" || scalar == "\n"
            if let open = pending {
                pending = nil
                // the second of a CR LF pair (or LF CR, read backwards) joins the first
                if isBreak && scalar != open { continue }
            }
            if isBreak {
                folded.append("\n")
                pending = scalar
            } else {
                folded.append(scalar)
            }
        }
        return folded
    }

    /// Whether a place with these sides keeps some of the annotation's context: a side
    /// matches, or neither side differs (see the rule above).
    static func contextAgrees(_ prefix: ContextSide, _ suffix: ContextSide) -> Bool {
        prefix == .matches || suffix == .matches || (prefix != .differs && suffix != .differs)
    }

    /// Whether `annotation` stays where it is in `document`: its quote is at its offsets,
    /// both offsets fall on grapheme cluster boundaries, and the text there keeps some of
    /// its context (the rule above). Reads only the text around the annotation, so a large
    /// text is not indexed past it.
    public static func isInPlace(_ annotation: Annotation, in document: Document) -> Bool {
        guard annotation.start >= 0, annotation.start <= annotation.end else { return false }
        if isUnchangedAround(annotation, in: document) { return true }
        let prefix = annotation.prefix.unicodeScalars, suffix = annotation.suffix.unicodeScalars
        // one read of the text for the context, the quote and the cluster checks
        let lead = Swift.max(editedContextLength, clusterLead)
        let trail = Swift.max(editedContextLength, clusterLead)
        let read = document.text(in: annotation.start..<(annotation.end + trail), leading: lead)
        let lower = annotation.start - read.leading
        let scalars = Array(read.text.unicodeScalars)
        let start = annotation.start - lower, end = annotation.end - lower
        guard end <= scalars.count,
              scalars[start..<end].elementsEqual(annotation.quote.unicodeScalars) else { return false }
        let textEnd = scalars.count < end + trail
        guard isClusterBoundary(start, in: scalars, atTextStart: lower == 0, atTextEnd: textEnd) ?? isClusterBoundary(annotation.start, in: document),
              isClusterBoundary(end, in: scalars, atTextStart: lower == 0, atTextEnd: textEnd) ?? isClusterBoundary(annotation.end, in: document)
        else { return false }
        let before = compareEditedContext(Array(prefix.reversed()), Array(scalars[..<start].reversed()))
        let after = compareEditedContext(Array(suffix), Array(scalars[end...]))
        return contextAgrees(before, after)
    }

    /// Most scalars beside a place that a recorded side of ``Annotation/contextLength`` is
    /// compared with when words inside it may have been edited.
    static let editedContextLength = Annotation.contextLength + Annotation.contextLength / 4

    /// ``compareContext(_:_:)``, and failing that, whether all of `recorded` is within edit
    /// distance of a quarter of its length from the start of `beside` (its far end free):
    /// the context at the recorded offsets with words inside it edited.
    static func compareEditedContext(_ recorded: [Unicode.Scalar], _ beside: [Unicode.Scalar]) -> ContextSide {
        let strict = compareContext(recorded, beside)
        let limit = recorded.count / 4
        guard strict == .differs, limit > 0 else { return strict }
        let beside = Array(beside.prefix(recorded.count + limit))
        var previous = Array(0...beside.count), current = previous
        for row in 1...recorded.count {
            current[0] = row
            var lowest = row
            for column in beside.indices {
                current[column + 1] = Swift.min(previous[column] + (recorded[row - 1] == beside[column] ? 0 : 1),
                                                previous[column + 1] + 1, current[column] + 1)
                lowest = Swift.min(lowest, current[column + 1])
            }
            if lowest > limit { return .differs }
            swap(&previous, &current)
        }
        return (previous.min() ?? limit + 1) <= limit ? .matches : .differs
    }

    /// Whether the text around `annotation` is byte for byte its prefix, quote and suffix
    /// (``Annotation/contextLength`` code points each side, fewer only at the text's
    /// edges), with a sure cluster boundary at each offset (``breaksSurely(_:_:)``): the
    /// common case of the text it was made on, settled with one read and no segmentation.
    /// False leaves the question to the full check.
    static func isUnchangedAround(_ annotation: Annotation, in document: Document) -> Bool {
        let quote = annotation.quote.unicodeScalars
        guard let first = quote.first, let last = quote.last,
              annotation.suffix.unicodeScalars.first.map({ breaksSurely(last, $0) }) ?? true,
              annotation.prefix.unicodeScalars.last.map({ breaksSurely($0, first) }) ?? true else { return false }
        var (text, leading) = document.text(in: annotation.start..<(annotation.end + Annotation.contextLength),
                                            leading: Annotation.contextLength)
        let lower = annotation.start - leading
        var prefix = annotation.prefix, quoted = annotation.quote, suffix = annotation.suffix
        return text.withUTF8 { read in prefix.withUTF8 { before in quoted.withUTF8 { inside in suffix.withUTF8 { after in
            guard read.count == before.count + inside.count + after.count, let base = read.baseAddress else { return false }
            func same(_ part: UnsafeBufferPointer<UInt8>, at offset: Int) -> Bool {
                part.isEmpty || memcmp(base + offset, part.baseAddress!, part.count) == 0
            }
            // the prefix and quote must also hold the code points the offsets give, so the
            // bytes split where the offsets do; the suffix is the rest as read
            return same(before, at: 0) && same(inside, at: before.count) && same(after, at: before.count + inside.count)
                && scalarCount(before) == annotation.start - lower && scalarCount(inside) == annotation.end - annotation.start
        } } } }
    }

    /// How many scalars the UTF-8 `bytes` hold: the bytes that do not continue one.
    static func scalarCount(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        guard let base = bytes.baseAddress else { return 0 }
        var count = 0, index = 0
        while index < bytes.count {
            if base[index] & 0xC0 != 0x80 { count += 1 }
            index += 1
        }
        return count
    }

    /// Whether a grapheme cluster boundary lies between `a` and `b` whatever comes before:
    /// both below U+0300, where combining marks begin, or general punctuation such as
    /// curly quotes and dashes (U+2010 to U+205E), and not CR then LF. Others are left to
    /// segmentation.
    static func breaksSurely(_ a: Unicode.Scalar, _ b: Unicode.Scalar) -> Bool {
        func plain(_ scalar: Unicode.Scalar) -> Bool { scalar.value < 0x300 || (0x2010...0x205E).contains(scalar.value) }
        return plain(a) && plain(b) && !(a.value == 0x0D && b.value == 0x0A)
    }

    /// Scalars read before an offset to find whether it is a grapheme cluster boundary.
    static let clusterLead = 16

    /// Whether `offset` of `scalars` is a grapheme cluster boundary of the text they were
    /// read from; nil when the scalars read before it do not settle it (they may start
    /// inside a cluster, or in a run of regional indicators).
    static func isClusterBoundary(_ offset: Int, in scalars: [Unicode.Scalar], atTextStart: Bool, atTextEnd: Bool) -> Bool? {
        if offset == 0 && atTextStart { return true }
        if offset == scalars.count && atTextEnd { return true }
        guard offset > 0, offset < scalars.count else { return nil }
        let previous = scalars[offset - 1].value
        if breaksSurely(scalars[offset - 1], scalars[offset]) { return true }
        // segmentation from the window's start is right once one boundary lies between it
        // and `offset`, except inside a run of regional indicators, which pair from its start
        let regional: ClosedRange<UInt32> = 0x1F1E6...0x1F1FF
        var runStart = offset
        while runStart > 0, regional.contains(scalars[runStart - 1].value) { runStart -= 1 }
        if runStart == 0 && !atTextStart && regional.contains(previous) { return nil }
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars[0..<Swift.min(scalars.count, offset + 4)])
        var position = 0, first = true
        for character in String(view) {
            if position >= offset { break }
            position += character.unicodeScalars.count
            if first && position >= offset && !atTextStart { return nil }
            first = false
        }
        return position == offset
    }

    /// Whether code point `offset` of `document` falls on a grapheme cluster boundary,
    /// reading a window around it that widens until it settles the question.
    /// An offset at or past the text's end counts as one.
    static func isClusterBoundary(_ offset: Int, in document: Document) -> Bool {
        var lead = clusterLead * 4
        while true {
            let lower = Swift.max(0, offset - lead)
            let scalars = Array(document.text(in: lower..<(offset + clusterLead)).unicodeScalars)
            if offset - lower >= scalars.count { return true }
            if let known = isClusterBoundary(offset - lower, in: scalars, atTextStart: lower == 0,
                                             atTextEnd: scalars.count < offset - lower + clusterLead) {
                return known
            }
            // from the text's start segmentation always settles it
            if lower == 0 { return true }
            lead *= 4
        }
    }

    /// Why `annotation`'s offsets cannot be offsets into `document`'s text: an end past
    /// the text, or an offset inside a grapheme cluster (naming the scalars it splits);
    /// nil when they can.
    static func offsetProblem(_ annotation: Annotation, in document: Document) -> String? {
        let length = document.length
        if annotation.end > length {
            return "offsets \(annotation.start)..<\(annotation.end) lie outside the text's \(length) code points"
        }
        for (name, offset) in [("start", annotation.start), ("end", annotation.end)] where !isClusterBoundary(offset, in: document) {
            let around = Array(document.text(in: (offset - 1)..<(offset + 1)).unicodeScalars)
            let split = around.map { "U+" + String($0.value, radix: 16, uppercase: true).leftPadded(to: 4) }.joined(separator: " and ")
            return "\(name) \(offset) falls inside a grapheme cluster, between \(split)"
        }
        return nil
    }
}

extension String {
    /// The string with zeros before it up to `width` characters.
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
