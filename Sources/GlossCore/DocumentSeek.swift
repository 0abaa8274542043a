import Foundation

/// A stretch of a document's text read ahead of its index, from a line start to the end of
/// the text, split into paragraphs by the same rules: what `G` and a percentage jump show
/// at once in a large text, as `less` does, while the index catches up. Its offsets are
/// known in bytes only; its paragraph numbers and code points are provisional
/// (``Document/isProvisional(_:)``).
struct Window {
    /// Which window this is: its numbers start at `generation` times ``Document/provisionalUnit``.
    let generation: Int
    /// The byte of the text where the window starts, a line start.
    let start: Int
    /// Its paragraphs, with bytes and code points counted from ``start``.
    var index: ParagraphIndex

    /// The first provisional number (paragraph or code point) of this window.
    var numberBase: Int { generation * Document.provisionalUnit }

    /// Paragraph `local` of the window with the text's bytes and provisional code points.
    func paragraph(_ local: Int) -> Paragraph {
        let found = index.paragraphs[local]
        return Paragraph(range: (found.range.lowerBound + numberBase)..<(found.range.upperBound + numberBase),
                         byteRange: (found.byteRange.lowerBound + start)..<(found.byteRange.upperBound + start), kind: found.kind)
    }
}

extension Document {
    /// Paragraph numbers and code points at or above this value are provisional: they name
    /// a paragraph, or a place in one, of the stretch read ahead of the index after a seek
    /// (``paragraph(atByte:)``). They are never stored: they do not count from the start of
    /// the text, and ``settledOffset(_:)`` turns them into real ones once the index gets there.
    public static let provisionalUnit = 1 << 44

    /// True when `value`, a paragraph number or a code point, is provisional.
    public static func isProvisional(_ value: Int) -> Bool { value >= provisionalUnit }

    /// A seek to a byte less than this far past the indexed part indexes up to it.
    static let seekReach = 8 << 20
    /// A window starts this many bytes before the byte sought, so that a page or two above
    /// it can be shown.
    static let windowLead = 1 << 16
    /// The furthest a window's start is looked for before the byte sought: past a line
    /// longer than this, the text is indexed up to the byte instead.
    static let longestLineSought = 1 << 20

    /// The paragraph at UTF-8 byte `byte` of the text (the last one starting at or before it,
    /// the first when none does; the last paragraph for the text's end): `G` and a jump to a
    /// percentage, as `less` seeks. When the index is far from `byte` (more than 8 MB), the
    /// text is read from a paragraph start a little before `byte` instead, and the number
    /// returned is provisional (``isProvisional(_:)``); the index goes on from where it was.
    /// A UTF-16 file and an importer's text are indexed up to `byte`. Nil for an empty text.
    public func paragraph(atByte byte: Int) -> Int? {
        lock.lock()
        defer { lock.unlock() }
        let target = max(0, byte)
        // the stretch already read ahead reaches it, or nearly: go on reading it
        if var opened = window, !index.covers(byte: target), target >= opened.start,
           target < opened.start + opened.index.scannedBytes + Document.seekReach {
            while !opened.index.covers(byte: target - opened.start) {
                opened.index.extend(base + opened.start, knownByteCount - opened.start, upTo: opened.index.scannedBytes + Document.chunkSize)
            }
            window = opened
            if let found = opened.index.paragraphs.index(atOrBeforeByte: target - opened.start) {
                return opened.numberBase + found
            }
        }
        if transcoder == nil, index.headingStarts == nil, !index.covers(byte: target),
           target >= index.scannedBytes + Document.seekReach, let start = windowStart(before: target),
           start > index.scannedBytes {
            windowGeneration += 1
            var windowIndex = ParagraphIndex(fileOffset: index.fileOffset + start, validated: index.validated, byteCount: knownByteCount - start)
            windowIndex.shape = index.shape
            windowIndex.startsMidText = true
            var opened = Window(generation: windowGeneration, start: start, index: windowIndex)
            while !opened.index.covers(byte: target - start) {
                opened.index.extend(base + start, knownByteCount - start, upTo: opened.index.scannedBytes + Document.chunkSize)
            }
            if let found = opened.index.paragraphs.index(atOrBeforeByte: target - start) ?? (opened.index.paragraphs.isEmpty ? nil : 0) {
                window = opened
                return opened.numberBase + found
            }
            // nothing but blank lines there: the index goes on to it
        }
        while !index.covers(byte: target) { extendIndex(upTo: index.scannedBytes + Document.chunkSize) }
        return index.paragraphs.index(atOrBeforeByte: target) ?? (index.paragraphs.isEmpty ? nil : 0)
    }

    /// Where a window reaching `target` starts: after the last blank line within
    /// ``windowLead`` bytes before it (a paragraph start), else at a line start that far
    /// before it; nil when no line starts within ``longestLineSought`` bytes. Call with the
    /// lock held.
    private func windowStart(before target: Int) -> Int? {
        let count = knownByteCount
        var lineStart = min(max(0, target - Document.windowLead), count)
        let limit = max(0, lineStart - Document.longestLineSought)
        // line starts after a line feed or a lone carriage return, as the index reads them
        while lineStart > limit && !ParagraphIndex.startsLine(base, count, at: lineStart) { lineStart -= 1 }
        guard ParagraphIndex.startsLine(base, count, at: lineStart) else { return nil }
        // back over whole lines to the last blank one
        var start = lineStart
        while start > 0 && lineStart - start < Document.windowLead {
            var previous = start - 1
            while previous > 0 && !ParagraphIndex.startsLine(base, count, at: previous) {
                previous -= 1
                if lineStart - previous >= Document.windowLead { return lineStart }
            }
            // the line with its line break
            if LineShape.isBlank(base, previous, start) { return start }
            start = previous
        }
        return lineStart
    }

    /// Indexes the window until its paragraph `local` is known or it ends. Call with the lock held.
    private func ensureWindow(paragraph local: Int) {
        guard var opened = window else { return }
        while opened.index.paragraphs.count <= local && !opened.index.complete {
            opened.index.extend(base + opened.start, knownByteCount - opened.start, upTo: opened.index.scannedBytes + Document.chunkSize)
        }
        window = opened
    }

    /// Indexes the window until every paragraph starting at or before its code point
    /// `local` is known. Call with the lock held.
    private func ensureWindow(codePoint local: Int) {
        guard var opened = window else { return }
        while !opened.index.covers(codePoint: local) {
            opened.index.extend(base + opened.start, knownByteCount - opened.start, upTo: opened.index.scannedBytes + Document.chunkSize)
        }
        window = opened
    }

    /// The window's number of provisional `value`, or nil when it names another window.
    /// Call with the lock held.
    private func local(_ value: Int) -> Int? {
        guard let window, value / Document.provisionalUnit == window.generation else { return nil }
        return value - window.numberBase
    }

    /// Provisional paragraph `number` of the window; nil past its end or when it names an
    /// earlier window. Call with the lock held.
    func windowParagraph(_ number: Int) -> Paragraph? {
        guard let local = local(number), local >= 0 else { return nil }
        ensureWindow(paragraph: local)
        guard let window, local < window.index.paragraphs.count else { return nil }
        return window.paragraph(local)
    }

    /// ``paragraphIndex(atOrBefore:)`` for a provisional code point. Call with the lock held.
    func windowParagraphIndex(atOrBefore offset: Int) -> Int? {
        guard let local = local(offset) else { return nil }
        ensureWindow(codePoint: local)
        guard let window, let found = window.index.paragraphIndex(atOrBefore: local) else { return nil }
        return window.numberBase + found
    }

    /// ``paragraphIndex(atOrAfter:)`` for a provisional code point. Call with the lock held.
    func windowParagraphIndex(atOrAfter offset: Int) -> Int? {
        guard let local = local(offset) else { return nil }
        ensureWindow(codePoint: local)
        guard let window else { return nil }
        let before = window.index.paragraphIndex(atOrBefore: local)
        if let before, window.index.paragraphs[before].range.upperBound > local { return window.numberBase + before }
        let next = (before ?? -1) + 1
        ensureWindow(paragraph: next)
        guard let current = self.window, next < current.index.paragraphs.count else { return nil }
        return current.numberBase + next
    }

    /// The text's byte at provisional code point `offset` of the window (clamped to what
    /// it has read); nil when `offset` names another window. Call with the lock held.
    func windowByte(ofCodePoint offset: Int) -> Int? {
        guard let local = local(offset) else { return nil }
        ensureWindow(codePoint: local)
        guard let window else { return nil }
        var codePoint = 0, byte = 0
        if let found = window.index.paragraphIndex(atOrBefore: local) {
            let paragraph = window.index.paragraphs[found]
            codePoint = paragraph.range.lowerBound
            byte = paragraph.byteRange.lowerBound
        }
        let end = window.index.validBytes, text = base + window.start
        while codePoint < local && byte < end {
            byte += 1
            while byte < end && text[byte] & 0xC0 == 0x80 { byte += 1 }
            codePoint += 1
        }
        return window.start + byte
    }

    /// The last paragraph of the text numbered as `value` (a paragraph number or a code
    /// point) is: a provisional one for a provisional value (reading the window to the
    /// text's end), else the index's last (indexing the whole text). Nil for an empty text.
    public func lastParagraph(near value: Int) -> Int? {
        if Document.isProvisional(value) {
            lock.lock()
            defer { lock.unlock() }
            guard local(value) != nil else { return nil }
            ensureWindow(paragraph: Int.max)
            guard let window, window.index.paragraphs.count > 0 else { return nil }
            return window.numberBase + window.index.paragraphs.count - 1
        }
        let count = paragraphCount
        return count > 0 ? count - 1 : nil
    }

    /// The real code point of provisional code point `offset`, once the index has reached
    /// its byte; `offset` itself when it is not provisional; nil while the index is not
    /// there yet, or when `offset` names an earlier window.
    public func settledOffset(_ offset: Int) -> Int? {
        guard Document.isProvisional(offset) else { return offset }
        lock.lock()
        defer { lock.unlock() }
        guard let byte = windowByte(ofCodePoint: offset), index.covers(byte: byte) else { return nil }
        var codePoint = 0, position = 0
        if let found = index.paragraphs.index(atOrBeforeByte: byte) {
            codePoint = index.paragraphs.codePointStart(found)
            position = index.paragraphs.byteStart(found)
        }
        let end = min(byte, index.validBytes)
        codePoint += ParagraphIndex.countScalars(base + position, max(0, end - position))
        return codePoint
    }

    /// The text of provisional code points `range`, for ``text(in:leading:)``. Call with
    /// the lock held.
    func windowBytes(of range: Range<Int>) -> Range<Int>? {
        guard let start = windowByte(ofCodePoint: range.lowerBound), let end = windowByte(ofCodePoint: max(range.lowerBound, range.upperBound)) else {
            return nil
        }
        return start..<max(start, end)
    }
}
