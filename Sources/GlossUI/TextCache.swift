import GlossCore

/// Per-paragraph derived data (graphemes, sentences, wrapped lines), computed on demand
/// for the paragraphs the reader touches and kept for reuse. Nothing here is computed for
/// the whole document.
///
/// A paragraph of more than ``giantParagraphBytes`` bytes is cut into parts of about
/// ``partBytes`` bytes, each starting at a sentence start, and each part is split into
/// sentences and wrapped on its own, only when the reader shows or passes it: a single
/// paragraph of 50 MB costs the parts on screen, not its whole length. Each part starts on
/// a new row. A shorter paragraph is one part, laid out whole as before.
public final class TextCache: @unchecked Sendable {
    /// The document the cache describes.
    public let document: Document
    private var texts: [PartKey: ParagraphText] = [:]
    private var sentenceRanges: [PartKey: [Range<Int>]] = [:]
    private var layouts: [PartKey: [LayoutLine]] = [:]
    private var giants: [Int: GiantParagraph] = [:]
    private var layoutWidth = -1
    private let limit = 4096
    /// Most parts of giant paragraphs kept at once (each holds tens of thousands of glyphs).
    private let partLimit = 64

    /// Paragraphs longer than this many UTF-8 bytes are laid out in parts.
    public static let giantParagraphBytes = 1 << 18
    /// The bytes from one part's start to the next part's target (the next cut is the first
    /// sentence start found after it).
    public static let partBytes = 1 << 15

    /// Number of paragraphs (or parts of a giant paragraph) laid out since the cache was
    /// created; lets tests prove that only paragraphs near the viewport are wrapped.
    public private(set) var layoutCount = 0
    /// Wrapped rows made since the cache was created, for tests: a giant paragraph must
    /// cost the rows on screen, not all of its rows.
    public private(set) var rowsLaidOut = 0
    /// Sentences found since the cache was created, for tests, as ``rowsLaidOut``.
    public private(set) var sentencesSplit = 0

    /// A cache over `document`.
    public init(document: Document) {
        self.document = document
    }

    /// A paragraph, or one part of a giant paragraph.
    private struct PartKey: Hashable {
        var paragraph: Int
        var part: Int
    }

    /// Drops the cached parts of giant paragraphs when there are too many of them.
    private func makeRoom<Value>(in cache: inout [PartKey: Value], for key: PartKey) {
        if cache.count > limit { cache.removeAll(keepingCapacity: true); return }
        if giants[key.paragraph] != nil, cache.keys.filter({ giants[$0.paragraph] != nil }).count >= partLimit {
            cache = cache.filter { giants[$0.key.paragraph] == nil }
        }
    }

    // MARK: - Parts

    /// How many parts paragraph `index` is laid out in: 1 unless it is longer than
    /// ``giantParagraphBytes``. O(1).
    public func partCount(_ index: Int) -> Int {
        giant(index)?.count ?? 1
    }

    /// The code points of part `part` of paragraph `index` (its whole range for a paragraph
    /// of one part), end exclusive.
    public func partRange(_ index: Int, part: Int) -> Range<Int> {
        guard let giant = giant(index) else { return document.paragraph(index)?.range ?? 0..<0 }
        let part = max(0, min(part, giant.count - 1))
        let range = giant.codePoint(part, document)..<giant.codePoint(part + 1, document)
        return range
    }

    /// The part of paragraph `index` that holds code point `offset`: the first before the
    /// paragraph, the last after it. An interpolation search over the parts' starts, each
    /// found by counting code points from the nearest one known: an offset near a part
    /// already seen costs a part's bytes, one in the middle of an unseen paragraph about
    /// half of them once.
    public func part(containing offset: Int, in index: Int) -> Int {
        guard let giant = giant(index) else { return 0 }
        // code point at `low` <= offset < code point at `high`
        var low = 0, high = giant.count
        if offset < giant.codePoint(low, document) { return 0 }
        if offset >= giant.codePoint(high, document) { return giant.count - 1 }
        while high - low > 1 {
            let lowPoint = giant.codePoint(low, document), highPoint = giant.codePoint(high, document)
            let fraction = Double(offset - lowPoint) / Double(max(1, highPoint - lowPoint))
            let guess = min(high - 1, max(low + 1, low + Int(fraction * Double(high - low))))
            if giant.codePoint(guess, document) <= offset { low = guess } else { high = guess }
        }
        return low
    }

    private func giant(_ index: Int) -> GiantParagraph? {
        if let giant = giants[index] { return giant }
        guard let paragraph = document.paragraph(index), paragraph.byteRange.count > TextCache.giantParagraphBytes else { return nil }
        let giant = GiantParagraph(paragraph)
        giants[index] = giant
        return giant
    }

    // MARK: - Derived data

    /// Part `part` of paragraph `index` cut into graphemes (the whole paragraph when it
    /// has one part).
    public func text(_ index: Int, part: Int = 0) -> ParagraphText {
        let key = PartKey(paragraph: index, part: part)
        if let text = texts[key] { return text }
        makeRoom(in: &texts, for: key)
        let text: ParagraphText
        if let giant = giant(index) {
            let part = max(0, min(part, giant.count - 1))
            let bytes = giant.cut(part, document)..<giant.cut(part + 1, document)
            let start = giant.codePoint(part, document)
            text = ParagraphText(document: document, index: index, bytes: bytes, startingAt: start,
                                 length: giant.codePoint(part + 1, document) - start)
        } else {
            text = ParagraphText(document: document, index: index)
        }
        texts[key] = text
        return text
    }

    /// The grapheme boundaries of the part of paragraph `index` that holds `offset`.
    public func boundaries(near offset: Int, in index: Int) -> [Int] {
        text(index, part: part(containing: offset, in: index)).boundaries
    }

    /// Sentences of part `part` of paragraph `index` as absolute code-point ranges; a part
    /// with no sentence (only whitespace) gives its whole range as one.
    public func sentences(_ index: Int, part: Int = 0) -> [Range<Int>] {
        let key = PartKey(paragraph: index, part: part)
        if let ranges = sentenceRanges[key] { return ranges }
        makeRoom(in: &sentenceRanges, for: key)
        guard let paragraph = document.paragraph(index) else { return [] }
        let text: String, start: Int, whole: Range<Int>
        if let giant = giant(index) {
            let part = max(0, min(part, giant.count - 1))
            text = GiantParagraph.string(document, giant.cut(part, document)..<giant.cut(part + 1, document))
            start = giant.codePoint(part, document)
            whole = start..<giant.codePoint(part + 1, document)
        } else {
            text = document.text(ofParagraph: index)
            start = paragraph.range.lowerBound
            whole = paragraph.range
        }
        var ranges = SentenceSplitter.sentences(in: text).map { ($0.lowerBound + start)..<($0.upperBound + start) }
        if ranges.isEmpty { ranges = [whole] }
        sentencesSplit += ranges.count
        sentenceRanges[key] = ranges
        return ranges
    }

    /// Boilerplate paragraphs found from the start of the document, once looked for.
    private var leadingBoilerplate: Set<Int>?
    /// Boilerplate paragraphs found from the end, once the document is fully indexed.
    private var trailingBoilerplate: Set<Int>?

    /// True when paragraph `index` is boilerplate (``Boilerplate``). The first call scans
    /// from the start of the document, reading only the paragraphs the scan needs; the end
    /// is scanned once the document is fully indexed (at once for a document of up to
    /// ``Document/eagerByteCount`` bytes, else when the background indexer is done), and
    /// until then no paragraph counts as trailing boilerplate.
    public func isBoilerplate(_ index: Int) -> Bool {
        if leadingBoilerplate == nil {
            let document = self.document
            leadingBoilerplate = Set(Boilerplate.scan { TextCache.boilerplateText(document, $0) })
        }
        if leadingBoilerplate!.contains(index) { return true }
        if trailingBoilerplate == nil {
            guard document.isFullyIndexed else { return false }
            let document = self.document
            let last = document.paragraphCount - 1
            trailingBoilerplate = Set(Boilerplate.scan { last - $0 >= 0 ? TextCache.boilerplateText(document, last - $0) : nil }.map { last - $0 })
        }
        return trailingBoilerplate!.contains(index)
    }

    /// The text ``Boilerplate`` reads of paragraph `index`: a giant paragraph's first bytes
    /// only (any paragraph that long is body text), so no whole copy of it is made.
    static func boilerplateText(_ document: Document, _ index: Int) -> String? {
        guard let paragraph = document.paragraph(index) else { return nil }
        guard paragraph.byteRange.count > giantParagraphBytes else { return document.text(ofParagraph: index) }
        return GiantParagraph.string(document, paragraph.byteRange.lowerBound..<GiantParagraph.scalarStart(document, paragraph.byteRange.lowerBound + 4096))
    }

    /// Wrapped lines of part `part` of paragraph `index` (the whole paragraph when it has
    /// one part) at `width` columns. Changing the width drops every cached layout.
    public func lines(_ index: Int, part: Int = 0, width: Int) -> [LayoutLine] {
        if width != layoutWidth {
            layouts.removeAll(keepingCapacity: true)
            layoutWidth = width
        }
        let key = PartKey(paragraph: index, part: part)
        if let lines = layouts[key] { return lines }
        makeRoom(in: &layouts, for: key)
        layoutCount += 1
        let lines = Wrapper.wrap(text(index, part: part), width: width)
        rowsLaidOut += lines.count
        layouts[key] = lines
        return lines
    }
}

/// Where a giant paragraph's parts start: part `k` (k ≥ 1) starts at the first sentence
/// start found in the bytes after `k` × ``TextCache/partBytes`` from the paragraph's start
/// (the first space after them when no sentence starts there), so the cuts are found
/// without reading the paragraph, and the part count is known at once. A cut's code point
/// is counted from the nearest cut whose code point is known (the paragraph's ends are).
final class GiantParagraph {
    /// Parts.
    let count: Int
    /// Byte offset of each part's start, and the paragraph's end last; -1 until found.
    private var cuts: [Int]
    /// Code point of each part's start, and the paragraph's end last; -1 until counted.
    private var codePoints: [Int]
    private let start: Int

    init(_ paragraph: Paragraph) {
        count = max(1, paragraph.byteRange.count / TextCache.partBytes)
        start = paragraph.byteRange.lowerBound
        cuts = [Int](repeating: -1, count: count + 1)
        codePoints = [Int](repeating: -1, count: count + 1)
        cuts[0] = paragraph.byteRange.lowerBound
        cuts[count] = paragraph.byteRange.upperBound
        codePoints[0] = paragraph.range.lowerBound
        codePoints[count] = paragraph.range.upperBound
    }

    /// Bytes after a part's target searched for a sentence start: less than a part, so
    /// the cuts stay in order.
    static let searchBytes = TextCache.partBytes / 2
    /// Scalars a sentence start must have around it in the searched text, so the
    /// splitter's look back and ahead (abbreviations, initials) sees what it would see in
    /// the whole paragraph.
    static let context = 32

    /// Byte offset where part `part` starts (`count`: the paragraph's end).
    func cut(_ part: Int, _ document: Document) -> Int {
        if cuts[part] >= 0 { return cuts[part] }
        let target = GiantParagraph.scalarStart(document, start + part * TextCache.partBytes)
        var found: Int?
        for window in [1024, GiantParagraph.searchBytes] where found == nil {
            found = GiantParagraph.sentenceStart(document, from: target, window: window)
        }
        let cut = found ?? GiantParagraph.wordStart(document, from: target) ?? target
        cuts[part] = cut
        return cut
    }

    /// Code point where part `part` starts (`count`: the paragraph's end).
    func codePoint(_ part: Int, _ document: Document) -> Int {
        if codePoints[part] >= 0 { return codePoints[part] }
        let byte = cut(part, document)
        // the nearest part whose code point is known, on either side
        var before = part - 1, after = part + 1
        while codePoints[before] < 0 { before -= 1 }
        while codePoints[after] < 0 { after += 1 }
        let fromBefore = byte - cuts[before]
        let fromAfter = cut(after, document) - byte
        let value = fromBefore <= fromAfter
            ? codePoints[before] + GiantParagraph.scalarCount(document, cuts[before]..<byte)
            : codePoints[after] - GiantParagraph.scalarCount(document, byte..<cuts[after])
        codePoints[part] = value
        return value
    }

    /// The UTF-8 `bytes` of `document` as a string.
    static func string(_ document: Document, _ bytes: Range<Int>) -> String {
        document.withUTF8 { String(decoding: UnsafeBufferPointer(rebasing: $0[bytes]), as: UTF8.self) }
    }

    /// Scalars in `bytes`: the bytes that are not UTF-8 continuation bytes.
    static func scalarCount(_ document: Document, _ bytes: Range<Int>) -> Int {
        document.withUTF8 { text in
            var count = 0
            for index in bytes where text[index] & 0xC0 != 0x80 { count += 1 }
            return count
        }
    }

    /// The first scalar start at or after byte `offset` (the text's end at most).
    static func scalarStart(_ document: Document, _ offset: Int) -> Int {
        document.withUTF8 { text in
            var offset = min(offset, text.count)
            while offset < text.count && text[offset] & 0xC0 == 0x80 { offset += 1 }
            return offset
        }
    }

    /// The byte offset of the first sentence start in the `window` bytes from `from` that
    /// has ``context`` scalars on either side, as ``SentenceSplitter`` splits them.
    static func sentenceStart(_ document: Document, from: Int, window: Int) -> Int? {
        let end = scalarStart(document, from + window)
        let text = string(document, from..<end)
        let scalars = text.unicodeScalars.count
        guard let sentence = SentenceSplitter.sentences(in: text).first(where: { $0.lowerBound >= context && $0.lowerBound + context <= scalars })
        else { return nil }
        let index = text.unicodeScalars.index(text.unicodeScalars.startIndex, offsetBy: sentence.lowerBound)
        return from + text.utf8.distance(from: text.utf8.startIndex, to: index)
    }

    /// The byte offset of the first character after a space, tab or line ending within
    /// ``searchBytes`` of `from`: where a part starts in text without sentences.
    static func wordStart(_ document: Document, from: Int) -> Int? {
        document.withUTF8 { text in
            let end = min(text.count, from + searchBytes)
            func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }
            var index = from
            while index < end && !isBlank(text[index]) { index += 1 }
            while index < end && isBlank(text[index]) { index += 1 }
            return index < end ? index : nil
        }
    }
}
