import GlossCore

/// Collects the blocks of an extracted text (paragraphs, headings, list items, …) as
/// UTF-8, a block's text gathered piece by piece, and joins them into an
/// ``ExtractedText``. Shared by the HTML and Markdown importers, so both follow one rule
/// for white space.
///
/// Running text has each run of white space (space, tab, line feed, form feed, carriage
/// return: HTML's ASCII white space) collapsed to one space and none at either end.
/// Preformatted text (`<pre>`, a code block) keeps its lines and indentation, but loses
/// spaces at line ends, carriage returns and blank lines (empty, or of white space and
/// invisible characters only), since a blank line would split the block in two. A U+FEFF at a block's start (a byte-order mark left inside a file)
/// is dropped, since ``Document`` would drop it at the text's start and shift every
/// offset after it; a block left with only white space and invisible characters (a
/// no-break space, a zero-width space) is dropped.
struct BlockText {
    /// Finished blocks: their UTF-8 text and whether each is a heading.
    private(set) var blocks: [(text: [UInt8], heading: Bool)] = []
    /// The block being collected.
    private var buffer: [UInt8] = []
    /// White space seen after the last visible character of running text.
    private var pendingSpace = false
    /// In preformatted text: spaces and tabs since the last visible character on this line.
    private var pendingBlanks: [UInt8] = []
    /// In preformatted text: a line ended after the last visible character.
    private var pendingNewline = false
    /// True when the block being collected holds preformatted text.
    private var preformatted = false
    /// Line breaks (``appendLineBreak(heading:)``) since the last visible character of
    /// running text.
    private var lineBreaks = 0
    /// A separator (``appendSeparator(_:)``) written before the next visible running text.
    private var pendingSeparator: [UInt8]?

    /// True for HTML's ASCII white space.
    @inline(__always)
    static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x09 || byte == 0x0D || byte == 0x0C
    }

    /// Adds running text: `count` UTF-8 bytes at `bytes`.
    mutating func appendRunning(_ bytes: UnsafePointer<UInt8>, count: Int) {
        guard count > 0 else { return }
        if let separator = pendingSeparator {
            // the separator goes in before the first visible character, for the space
            // owed before it
            var first = 0
            while first < count && BlockText.isSpace(bytes[first]) { first += 1 }
            guard first < count else { return }
            buffer.append(contentsOf: separator)
            pendingSeparator = nil
            pendingSpace = false
            appendRunning(bytes + first, count: count - first)
            return
        }
        // the space owed from before goes in first, so that the collapsing below never
        // writes ahead of where it reads
        if pendingSpace && !BlockText.isSpace(bytes[0]) {
            buffer.append(0x20)
            pendingSpace = false
        }
        // the text is copied at once, then its white space collapsed in place
        let start = buffer.count
        buffer.append(contentsOf: UnsafeBufferPointer(start: bytes, count: count))
        var pending = pendingSpace
        let end = buffer.withUnsafeMutableBufferPointer { out -> Int in
            var write = start
            for read in start..<out.count {
                let byte = out[read]
                if BlockText.isSpace(byte) {
                    pending = write > 0
                } else {
                    if pending {
                        out[write] = 0x20
                        write += 1
                        pending = false
                    }
                    out[write] = byte
                    write += 1
                }
            }
            return write
        }
        if end > start { lineBreaks = 0 }
        buffer.removeLast(buffer.count - end)
        pendingSpace = pending
    }

    /// Adds running text.
    mutating func appendRunning(_ text: String) {
        var text = text
        text.withUTF8 { appendRunning($0.baseAddress!, count: $0.count) }
    }

    /// Adds a break between words (a `<br>`, a soft line break): one space in running text.
    mutating func appendSpace() {
        pendingSpace = !buffer.isEmpty
    }

    /// Adds a separator between parts of a block (the cells of a table row): `separator` is
    /// written before the next visible running text, in place of any space, and not at all
    /// when the block ends first or is empty so far. Separators in a row with no text
    /// between them are all written, less the white space that starts each but the first
    /// (` · ` twice is ` · · `), so an empty part keeps its place.
    mutating func appendSeparator(_ separator: String) {
        guard !buffer.isEmpty else { return }
        if let pending = pendingSeparator {
            pendingSeparator = pending + Array(separator.utf8.drop { BlockText.isSpace($0) })
        } else {
            pendingSeparator = Array(separator.utf8)
        }
    }

    /// Adds a line break in running text (`<br>`): one space, but the second in a row (with
    /// nothing but white space between them) ends the block, a `heading` or not.
    mutating func appendLineBreak(heading: Bool) {
        lineBreaks += 1
        if lineBreaks >= 2 {
            finishBlock(heading: heading)
        } else {
            appendSpace()
        }
    }

    /// Adds preformatted text: `count` UTF-8 bytes at `bytes`.
    mutating func appendPreformatted(_ bytes: UnsafePointer<UInt8>, count: Int) {
        preformatted = true
        for index in 0..<count {
            let byte = bytes[index]
            switch byte {
            case 0x0A, 0x0C:
                pendingBlanks.removeAll(keepingCapacity: true)
                pendingNewline = !buffer.isEmpty
            case 0x0D:
                continue
            case 0x20, 0x09:
                pendingBlanks.append(byte)
            default:
                if pendingNewline {
                    buffer.append(0x0A)
                    pendingNewline = false
                }
                if !pendingBlanks.isEmpty {
                    // indentation at a block's start is kept too: it is part of the code
                    buffer.append(contentsOf: pendingBlanks)
                    pendingBlanks.removeAll(keepingCapacity: true)
                }
                buffer.append(byte)
            }
        }
    }

    /// Adds preformatted text.
    mutating func appendPreformatted(_ text: String) {
        var text = text
        text.withUTF8 { appendPreformatted($0.baseAddress!, count: $0.count) }
    }

    /// Adds a block made elsewhere (by ``HTMLImporter``, from the same rules), after
    /// ending the block being collected.
    mutating func appendFinishedBlock(_ block: (text: [UInt8], heading: Bool)) {
        finishBlock(heading: false)
        blocks.append(block)
    }

    /// Ends the block being collected, keeping it when it holds visible text.
    mutating func finishBlock(heading: Bool) {
        defer {
            buffer.removeAll(keepingCapacity: true)
            preformatted = false
            pendingSpace = false
            pendingNewline = false
            pendingBlanks.removeAll(keepingCapacity: true)
            lineBreaks = 0
            pendingSeparator = nil
        }
        if preformatted && buffer.contains(where: { $0 >= 0x80 || $0 == 0x0B }) { dropInvisibleLines() }
        guard !buffer.isEmpty else { return }
        // a visible ASCII character settles it without decoding the block
        // (a copy, so the buffer keeps its capacity without holding a block's worth for each)
        if buffer.first != 0xEF, buffer.contains(where: { $0 > 0x20 && $0 < 0x7F }) {
            blocks.append((Array(buffer), heading))
            return
        }
        var text = String(decoding: buffer, as: UTF8.self)
        if text.unicodeScalars.first == "\u{FEFF}" {
            // what followed the mark starts the block now: no line break, and in running
            // text no space, before it
            while let first = text.unicodeScalars.first, first == "\u{FEFF}" || first == "\n" || (!preformatted && first == " ") {
                text.unicodeScalars.removeFirst()
            }
        }
        guard text.unicodeScalars.contains(where: { !$0.properties.isWhitespace && !$0.properties.isDefaultIgnorableCodePoint }) else { return }
        blocks.append((Array(text.utf8), heading))
    }

    /// Drops the lines of the preformatted block being collected that hold only white space
    /// and invisible characters (a no-break space, U+2028, a zero-width space): ``Document``
    /// reads such a line as blank, which would split the block in two.
    private mutating func dropInvisibleLines() {
        let lines = buffer.split(separator: 0x0A, omittingEmptySubsequences: false).filter { line in
            String(decoding: line, as: UTF8.self).unicodeScalars.contains { !$0.properties.isWhitespace && !$0.properties.isDefaultIgnorableCodePoint }
        }
        buffer = Array(lines.joined(separator: [0x0A]))
    }

    /// Code points of text in all the blocks.
    var textLength: Int {
        blocks.reduce(0) { $0 + BlockText.codePoints($1.text) }
    }

    /// Code points in valid UTF-8 `bytes`: the bytes that do not continue a sequence.
    static func codePoints(_ bytes: [UInt8]) -> Int {
        var total = 0
        for byte in bytes where byte & 0xC0 != 0x80 { total &+= 1 }
        return total
    }

    /// True when a block is not a heading.
    var hasBody: Bool { blocks.contains { !$0.heading } }

    /// The blocks joined by `"\n\n"`, with the code points where the headings start.
    static func join(_ blocks: [(text: [UInt8], heading: Bool)], extractor: String, version: String) -> ExtractedText {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(blocks.reduce(0) { $0 + $1.text.count + 2 })
        var headings = Set<Int>()
        var codePoint = 0
        for (index, block) in blocks.enumerated() {
            if index > 0 {
                bytes.append(contentsOf: [0x0A, 0x0A])
                codePoint += 2
            }
            if block.heading { headings.insert(codePoint) }
            bytes.append(contentsOf: block.text)
            codePoint += codePoints(block.text)
        }
        return ExtractedText(text: String(decoding: bytes, as: UTF8.self), headingStarts: headings,
                             extractor: extractor, extractorVersion: version)
    }
}
