import GlossCore

/// Per-paragraph derived data (graphemes, sentences, wrapped lines), computed on demand
/// for the paragraphs the reader touches and kept for reuse. Nothing here is computed for
/// the whole document.
public final class TextCache: @unchecked Sendable {
    /// The document the cache describes.
    public let document: Document
    private var texts: [Int: ParagraphText] = [:]
    private var sentenceRanges: [Int: [Range<Int>]] = [:]
    private var layouts: [Int: [LayoutLine]] = [:]
    private var layoutWidth = -1
    private let limit = 4096

    /// Number of paragraphs laid out since the cache was created; lets tests prove that
    /// only paragraphs near the viewport are wrapped.
    public private(set) var layoutCount = 0

    /// A cache over `document`.
    public init(document: Document) {
        self.document = document
    }

    /// Paragraph `index` cut into graphemes.
    public func text(_ index: Int) -> ParagraphText {
        if let text = texts[index] { return text }
        if texts.count > limit { texts.removeAll(keepingCapacity: true) }
        let text = ParagraphText(document: document, index: index)
        texts[index] = text
        return text
    }

    /// Sentences of paragraph `index` as absolute code-point ranges; a paragraph with no
    /// sentence (only whitespace) gives its whole range as one.
    public func sentences(_ index: Int) -> [Range<Int>] {
        if let ranges = sentenceRanges[index] { return ranges }
        if sentenceRanges.count > limit { sentenceRanges.removeAll(keepingCapacity: true) }
        guard let paragraph = document.paragraph(index) else { return [] }
        var ranges = SentenceSplitter.sentences(in: document.text(ofParagraph: index)).map {
            ($0.lowerBound + paragraph.range.lowerBound)..<($0.upperBound + paragraph.range.lowerBound)
        }
        if ranges.isEmpty { ranges = [paragraph.range] }
        sentenceRanges[index] = ranges
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
            leadingBoilerplate = Set(Boilerplate.scan { document.paragraph($0) == nil ? nil : document.text(ofParagraph: $0) })
        }
        if leadingBoilerplate!.contains(index) { return true }
        if trailingBoilerplate == nil {
            guard document.isFullyIndexed else { return false }
            let document = self.document
            let last = document.paragraphCount - 1
            trailingBoilerplate = Set(Boilerplate.scan { last - $0 >= 0 ? document.text(ofParagraph: last - $0) : nil }.map { last - $0 })
        }
        return trailingBoilerplate!.contains(index)
    }

    /// Wrapped lines of paragraph `index` at `width` columns. Changing the width drops
    /// every cached layout.
    public func lines(_ index: Int, width: Int) -> [LayoutLine] {
        if width != layoutWidth {
            layouts.removeAll(keepingCapacity: true)
            layoutWidth = width
        }
        if let lines = layouts[index] { return lines }
        if layouts.count > limit { layouts.removeAll(keepingCapacity: true) }
        layoutCount += 1
        let lines = Wrapper.wrap(text(index), width: width)
        layouts[index] = lines
        return lines
    }
}
