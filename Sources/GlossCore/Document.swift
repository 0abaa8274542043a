import Crypto
import Foundation

/// A paragraph of a ``Document``: one or more consecutive lines that are not blank, as the
/// rules of plain text (``PlainTextShape``: one paragraph per line, or hard-wrapped lines
/// reflowed, headings on their own) or an importer's blocks make them.
///
/// `range` is in code points (Unicode scalars) of the document text, end exclusive. In plain
/// text it starts at the first line's first character that is not a space or tab (the
/// indentation belongs to no paragraph); an importer's block starts where its line starts.
/// It excludes the line ending after the paragraph's last line; line endings inside the
/// paragraph, and the indentation after them, are part of it. `byteRange` is the same span
/// in bytes of the UTF-8 text.
public struct Paragraph: Hashable, Sendable {
    /// Code-point range in the document text, end exclusive.
    public let range: Range<Int>
    /// UTF-8 byte range in the document text (after any byte-order mark), end exclusive.
    public let byteRange: Range<Int>
    /// What the paragraph is: body text or a heading (drawn bold).
    public var kind: ParagraphKind = .body

    /// Creates a paragraph.
    /// - Parameters:
    ///   - range: code points, end exclusive.
    ///   - byteRange: UTF-8 bytes, end exclusive.
    ///   - kind: body text or a heading.
    public init(range: Range<Int>, byteRange: Range<Int>, kind: ParagraphKind = .body) {
        self.range = range
        self.byteRange = byteRange
        self.kind = kind
    }
}

/// The role of a ``Paragraph`` in the document's structure.
public enum ParagraphKind: Hashable, Sendable {
    /// Running text.
    case body
    /// A heading or the title: a block an importer marked as one, or a short line in plain
    /// text that introduces a longer one.
    case heading
}

/// Errors raised while opening a document.
public enum DocumentError: Error, CustomStringConvertible, Equatable {
    /// The file could not be read; `reason` is the system's message.
    case unreadable(path: String, reason: String)
    /// The file's bytes are not valid UTF-8 at `byteOffset`.
    case notUTF8(path: String, byteOffset: Int)
    /// The file starts with a UTF-16 byte-order mark but is not valid UTF-16 at
    /// `byteOffset` (an unpaired surrogate, or an odd byte at the end).
    case notUTF16(path: String, byteOffset: Int)
    /// The file holds a NUL byte at `byteOffset`: it is binary, not text.
    case binary(path: String, byteOffset: Int)
    /// The path names (after symbolic links) something other than a regular file or a
    /// folder: `kind` says what, as ``FileKind/name(ofMode:)`` words it (`a FIFO`, `a
    /// character device`, `a socket`). It is refused before it is read, so a FIFO
    /// without a writer or an endless device never holds Gloss up.
    case notRegularFile(path: String, kind: String)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason):
            return "\(path): cannot read the document: \(reason)"
        case .notUTF8(let path, let offset):
            return "\(path): not valid UTF-8 text (first bad byte at offset \(offset)); convert it first, for example with iconv -f LATIN1 -t UTF-8"
        case .notUTF16(let path, let offset):
            // its encoding is known, so converting it from another one would garble it
            return "\(path): not valid UTF-16 text although it starts with a UTF-16 byte-order mark (first bad byte at offset \(offset)); to read the rest, convert it dropping the bad bytes, for example with iconv -c -f UTF-16 -t UTF-8"
        case .binary(let path, let offset):
            return "\(path): a binary file, not text (NUL byte at offset \(offset))"
        case .notRegularFile(let path, let kind):
            return "\(path): not a regular file (\(kind)); Gloss reads documents from files only (save what it holds to a file first)"
        }
    }
}

/// The text a reader shows and annotations point into.
///
/// The text is the file decoded as UTF-8 without a leading byte-order mark (DESIGN.md §2)
/// nor any other U+FEFF at its start (``droppedMarks``);
/// line endings are kept (a line feed, CR LF, or a carriage return alone), so CRLF counts
/// as two code points. All offsets in the public API
/// are code points (Unicode scalars) from 0, end exclusive.
///
/// Opening is lazy, as `less` is: a large file is mapped, not read, and only its first
/// ``eagerByteCount`` bytes are checked, and its first ``eagerIndexByteCount`` bytes split
/// into paragraphs, before the reader shows anything. The rest is indexed on demand (asking for a paragraph, an offset or the
/// length indexes as far as needed) or in the background after ``startIndexing()``. Look-ups
/// cost a binary search plus a walk within one paragraph, never a walk over the whole text.
public final class Document: @unchecked Sendable {
    /// The path the document was opened from, as given.
    public let path: String
    /// How many bytes of the text are checked when the document opens; errors in them
    /// (invalid UTF-8, NUL) are thrown by the initialiser, later ones are reported by
    /// ``problem``. A text of up to this many bytes is also split into paragraphs whole.
    public static let eagerByteCount = 1 << 20
    /// How many bytes of a longer text are split into paragraphs when it opens: a few
    /// screens' worth (a 120x40 pane shows about 4 KB); the rest is indexed on demand or
    /// in the background. Each kilobyte more costs the first frame ~30,000 instructions.
    public static let eagerIndexByteCount = 1 << 14
    /// How the text's lines make paragraphs, decided when it opened.
    var shape: PlainTextShape {
        lock.lock()
        defer { lock.unlock() }
        return index.shape
    }

    /// Bytes indexed per step: the longest a reader waits for the background indexer.
    static let chunkSize = 1 << 20

    private let storage: Storage
    /// The text's UTF-8 bytes (no byte-order mark).
    let base: UnsafePointer<UInt8>
    /// Number of UTF-8 bytes of the text, or of the part made so far of a UTF-16 file
    /// (``transcoder``), whose figure is an estimate until it is complete.
    let knownByteCount: Int
    /// The maker of the text of a large UTF-16 file, a part at a time; nil for UTF-8.
    let transcoder: UTF16Transcoder?
    /// Bytes of the transcoder's output before ``base`` (dropped U+FEFF).
    private let transcodedMarks: Int
    let lock = NSLock()
    var index: ParagraphIndex
    /// A stretch of the text read ahead of the index (``paragraph(atByte:)``), with its
    /// own paragraphs; nil until a seek needs one.
    var window: Window?
    /// How many windows were made: each numbers its paragraphs afresh.
    var windowGeneration = 0
    private var cachedSHA256: String?

    /// Number of UTF-8 bytes of the text. While a large UTF-16 file is still being
    /// transcoded (a part at a time, as it is indexed) it is estimated from the part done,
    /// for percentages; exact once ``isFullyIndexed``.
    public var byteCount: Int {
        guard let transcoder else { return knownByteCount }
        lock.lock()
        defer { lock.unlock() }
        return max(0, (transcoder.finished ? transcoder.available : transcoder.estimatedCount) - transcodedMarks)
    }

    /// UTF-8 bytes of the text that can be indexed now, and whether they are all of it.
    /// Call with the lock held.
    private var textAvailable: (count: Int, final: Bool) {
        guard let transcoder else { return (knownByteCount, true) }
        return (max(0, transcoder.available - transcodedMarks), transcoder.finished)
    }

    /// Indexes up to the first line end at or after byte `target`, transcoding that far
    /// first when the text is a UTF-16 file's. Call with the lock held.
    func extendIndex(upTo target: Int) {
        if let transcoder, !transcoder.finished { transcoder.advance(to: target + transcodedMarks) }
        let (count, final) = textAvailable
        index.extend(base, count, final: final, upTo: target)
    }

    /// Creates a document from text already in memory.
    /// - Parameters:
    ///   - text: the document text; every U+FEFF at its start is dropped (the first as a
    ///     byte-order mark, see ``droppedMarks``).
    ///   - path: where the text came from, used in messages and exports.
    public convenience init(text: String, path: String = "untitled.txt") {
        let bytes = Array(text.utf8)
        let marks = Document.leadingMarks(bytes)
        try! self.init(storage: .owned(Array(bytes[(3 * marks)...])), skipping: 0, path: path, validated: true,
                       droppedMarks: max(0, marks - 1))
    }

    /// How many U+FEFF (ZERO WIDTH NO-BREAK SPACE, the byte-order mark) at the start of
    /// the text were dropped besides the byte-order mark itself: a file's BOM bytes, or
    /// the first U+FEFF of a text given whole. Every U+FEFF at the start is dropped, as
    /// any reader of the text printed by `gloss text` would drop one there and count the
    /// offsets from after it. Earlier versions of Gloss kept those after the first, so a
    /// store they wrote counts them (``Reanchoring/place(_:in:)`` moves its offsets back).
    public let droppedMarks: Int

    /// A byte-order mark in UTF-8.
    static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// How many UTF-8 byte-order marks (EF BB BF) `bytes` start with, one after another.
    static func leadingMarks<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> Int where Bytes.Index == Int {
        var count = 0
        var index = bytes.startIndex
        while index + 3 <= bytes.endIndex, bytes[index] == 0xEF, bytes[index + 1] == 0xBB, bytes[index + 2] == 0xBF {
            count += 1
            index += 3
        }
        return count
    }

    /// The importer that made the text and the source file's hash, when the file was not
    /// plain text: recorded in the store. Nil for a text file read as it is.
    public let extraction: Extraction?

    /// Creates a document from text an importer extracted from `path`: the blocks of
    /// `extracted` are its paragraphs, those at its heading starts are headings; or, when
    /// ``ExtractedText/plainTextParagraphs`` is set, paragraphs as in a plain text file.
    /// - Parameters:
    ///   - extracted: the importer's text, heading starts, name and version.
    ///   - path: the source file the text came from, used in messages and exports.
    /// Every U+FEFF at the start of the text is dropped (``droppedMarks``), heading starts
    /// moving back with the text.
    public convenience init(extracted: ExtractedText, path: String) {
        let bytes = Array(extracted.text.utf8)
        let marks = Document.leadingMarks(bytes)
        let headingStarts = marks == 0 ? extracted.headingStarts : Set(extracted.headingStarts.map { max(0, $0 - marks) })
        try! self.init(storage: .owned(Array(bytes[(3 * marks)...])), skipping: 0, path: path, validated: true,
                       extraction: Extraction(extractor: extracted.extractor, version: extracted.extractorVersion,
                                              sourceSHA256: extracted.sourceSHA256),
                       headingStarts: extracted.plainTextParagraphs ? nil : headingStarts, droppedMarks: max(0, marks - 1))
    }

    /// Opens a text file: UTF-8, with or without a byte-order mark, or UTF-16 with a
    /// byte-order mark (decoded; the document text is then its UTF-8 form). Every U+FEFF
    /// right after the byte-order mark is dropped too (``droppedMarks``). Files larger
    /// than ``eagerByteCount`` are mapped into memory, not read. Only a regular file is
    /// read (``RegularFile/open(_:)``).
    /// - Parameter path: the file's path.
    /// - Throws: ``DocumentError/unreadable(path:reason:)`` when the file cannot be read,
    ///   ``DocumentError/notRegularFile(path:kind:)`` for a FIFO, socket or device,
    ///   ``DocumentError/binary(path:byteOffset:)`` when it holds a NUL byte, and
    ///   ``DocumentError/notUTF8(path:byteOffset:)`` when its bytes are not valid UTF-8
    ///   in the first ``eagerByteCount`` bytes (later ones are reported by ``problem``),
    ///   ``DocumentError/notUTF16(path:byteOffset:)`` when a file with a UTF-16 byte-order
    ///   mark is not valid UTF-16 anywhere. Offsets count file bytes.
    public convenience init(contentsOfFile path: String) throws {
        let storage = try Storage.open(path)
        let head = storage.bytes
        if head.count >= 2, (head[0] == 0xFF && head[1] == 0xFE) || (head[0] == 0xFE && head[1] == 0xFF) {
            if head.count > Document.eagerByteCount, let transcoder = UTF16Transcoder(source: head, path: path) {
                // a large file shows its start while the rest is transcoded with the index
                try self.init(source: storage, transcoder: transcoder, path: path)
                return
            }
            let utf16 = try Document.decodeUTF16(Array(head), path: path) ?? []
            let marks = Document.leadingMarks(utf16)
            try self.init(storage: .owned(Array(utf16[(3 * marks)...])), skipping: 0, path: path, validated: true, droppedMarks: marks)
            return
        }
        let marks = Document.leadingMarks(head)
        try self.init(storage: storage, skipping: 3 * marks, path: path, validated: false, droppedMarks: max(0, marks - 1))
    }

    /// Opens a large UTF-16 file: its first ``eagerByteCount`` bytes of UTF-8 are made (and
    /// checked) now, the rest as the index needs them.
    /// - Throws: ``DocumentError/notUTF16(path:byteOffset:)`` and
    ///   ``DocumentError/binary(path:byteOffset:)`` for a problem in that first part;
    ///   later ones are reported by ``problem``.
    private init(source: Storage, transcoder: UTF16Transcoder, path: String) throws {
        self.path = path
        storage = source
        extraction = nil
        self.transcoder = transcoder
        transcoder.advance(to: Document.eagerByteCount)
        if let problem = transcoder.problem, transcoder.available < Document.eagerByteCount { throw problem }
        let marks = Document.leadingMarks(UnsafeBufferPointer(start: transcoder.output, count: transcoder.available))
        droppedMarks = marks
        transcodedMarks = 3 * marks
        base = UnsafePointer(transcoder.output + 3 * marks)
        knownByteCount = 0
        index = ParagraphIndex(fileOffset: 0, validated: true, byteCount: transcoder.capacity)
        index.shape = PlainTextShape.detect(UnsafeBufferPointer(start: base, count: max(0, transcoder.available - 3 * marks)))
        extendIndex(upTo: Document.eagerIndexByteCount)
    }

    private init(storage: Storage, skipping mark: Int, path: String, validated: Bool,
                 extraction: Extraction? = nil, headingStarts: Set<Int>? = nil, droppedMarks: Int = 0) throws {
        self.path = path
        self.storage = storage
        self.extraction = extraction
        self.droppedMarks = droppedMarks
        transcoder = nil
        transcodedMarks = 0
        let all = storage.bytes
        base = all.baseAddress.map { UnsafePointer($0 + mark) } ?? UnsafePointer(bitPattern: 1)!
        knownByteCount = all.count - mark
        let byteCount = knownByteCount
        index = ParagraphIndex(fileOffset: mark, validated: validated, byteCount: all.count - mark)
        index.headingStarts = headingStarts
        // an importer's blocks are its paragraphs; plain text's shape is read from its start
        let sample = UnsafeBufferPointer(start: base, count: min(byteCount, Document.eagerByteCount))
        var checked = false
        if headingStarts != nil {
            index.shape = PlainTextShape(mode: .blocks)
            checked = byteCount > Document.eagerByteCount && index.check(base, byteCount, upTo: Document.eagerByteCount)
        } else if byteCount > Document.eagerByteCount && !validated {
            // the first megabyte is checked on a second core while the shape is read
            let unchecked = index.uncheckedBytes(base, byteCount, upTo: Document.eagerByteCount)
            let bytes = SharedBytes(base: base)
            let clean: Bool
            (index.shape, clean) = StartupWork.together({ PlainTextShape.detect(sample) }) {
                ParagraphIndex.firstProblem(bytes.base + unchecked.lowerBound, unchecked.count) == nil
            }
            if clean { index.markChecked(upTo: unchecked.upperBound) }
            checked = clean
        } else {
            index.shape = PlainTextShape.detect(sample)
            checked = byteCount > Document.eagerByteCount && index.check(base, byteCount, upTo: Document.eagerByteCount)
        }
        if checked {
            index.extend(base, byteCount, upTo: Document.eagerIndexByteCount)
        } else {
            // a small text is indexed whole; a bad byte in the first megabyte is found here
            index.extend(base, byteCount, upTo: Document.eagerByteCount)
        }
        if let problem = index.problem { throw problem.error(path: path) }
    }

    /// Indexes the rest of the text on a background thread, a chunk at a time; readers
    /// wait at most one chunk for it. Calling it again does nothing.
    public func startIndexing() {
        lock.lock()
        let start = !index.complete && !index.background
        index.background = true
        lock.unlock()
        guard start else { return }
        Thread.detachNewThread { [self] in
            while true {
                lock.lock()
                if !index.complete { extendIndex(upTo: index.scannedBytes + Document.chunkSize) }
                let done = index.complete
                lock.unlock()
                if done { break }
            }
            // the store records it with the first save
            _ = sha256
        }
    }

    /// Lower-case hex SHA-256 of the text's UTF-8 bytes (no U+FEFF at the start), computed
    /// once; ``startIndexing()`` computes it in the background.
    public var sha256: String {
        lock.lock()
        if let cachedSHA256 {
            lock.unlock()
            return cachedSHA256
        }
        lock.unlock()
        let hex = withUTF8 { SHA256.hash(data: UnsafeRawBufferPointer($0)) }.map { String(format: "%02x", $0) }.joined()
        lock.lock()
        cachedSHA256 = hex
        lock.unlock()
        return hex
    }

    /// True when the document is a mapped file (over ``eagerByteCount`` bytes) that another
    /// program wrote to in place since it opened: the text read so far and the file no
    /// longer agree, so no annotation made on it can be trusted. One `fstat`.
    public var changedOnDisk: Bool { storage.mappedFileChanged }

    /// A problem found in the text after it opened (invalid UTF-8 or a NUL byte past the
    /// first ``eagerByteCount`` bytes); the text from there on is not shown.
    public var problem: DocumentError? {
        lock.lock()
        defer { lock.unlock() }
        return index.problem?.error(path: path) ?? (index.complete ? transcoder?.problem : nil)
    }

    /// True when the whole text has been indexed.
    public var isFullyIndexed: Bool {
        lock.lock()
        defer { lock.unlock() }
        return index.complete
    }

    /// Bytes of the text checked and split into paragraphs so far.
    public var indexedByteCount: Int {
        lock.lock()
        defer { lock.unlock() }
        return index.scannedBytes
    }

    /// Code points of the text indexed so far: offsets below it can be read without
    /// indexing further.
    public var indexedCodePointCount: Int {
        lock.lock()
        defer { lock.unlock() }
        return index.scannedCodePoints
    }

    /// Paragraphs found so far (all of them once ``isFullyIndexed``).
    public var indexedParagraphCount: Int {
        lock.lock()
        defer { lock.unlock() }
        return index.paragraphs.count
    }

    /// Indexes until paragraph `number` is known or the text ends. Call with the lock held.
    private func ensureParagraph(_ number: Int) {
        while index.paragraphs.count <= number && !index.complete {
            extendIndex(upTo: index.scannedBytes + Document.chunkSize)
        }
    }

    /// Indexes until every paragraph that starts at or before code point `offset` is known.
    /// Call with the lock held.
    private func ensureCodePoint(_ offset: Int) {
        while !index.covers(codePoint: offset) {
            extendIndex(upTo: index.scannedBytes + Document.chunkSize)
        }
    }

    private func ensureAll() {
        while !index.complete { extendIndex(upTo: index.scannedBytes + 16 * Document.chunkSize) }
    }

    /// The paragraphs in document order. Indexes the whole text: prefer
    /// ``paragraph(_:)`` and ``paragraphIndex(atOrBefore:)`` in code that runs per key.
    public var paragraphs: [Paragraph] {
        lock.lock()
        defer { lock.unlock() }
        ensureAll()
        return index.paragraphs.all
    }

    /// Paragraph `number` (from 0), or nil when the text has fewer paragraphs. Indexes
    /// only as far as that paragraph.
    public func paragraph(_ number: Int) -> Paragraph? {
        guard number >= 0 else { return nil }
        lock.lock()
        defer { lock.unlock() }
        if Document.isProvisional(number) { return windowParagraph(number) }
        ensureParagraph(number)
        return number < index.paragraphs.count ? index.paragraphs[number] : nil
    }

    /// True when the text has no paragraph after paragraph `number`. Indexes only as far
    /// as the next paragraph.
    public func isLastParagraph(_ number: Int) -> Bool {
        paragraph(number + 1) == nil
    }

    /// True when the text has no paragraph (it is empty or only whitespace).
    public var isEmpty: Bool { paragraph(0) == nil }

    /// How many paragraphs the text has. Indexes the whole text.
    public var paragraphCount: Int {
        lock.lock()
        defer { lock.unlock() }
        ensureAll()
        return index.paragraphs.count
    }

    /// Length of the text in code points. Indexes the whole text.
    public var length: Int {
        lock.lock()
        defer { lock.unlock() }
        ensureAll()
        return index.scannedCodePoints
    }

    /// Calls `body` with the text's UTF-8 bytes (no byte-order mark), valid only during
    /// the call. Checks nothing: for hashing and writing the text out.
    public func withUTF8<Result>(_ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        var count = knownByteCount
        if let transcoder {
            lock.lock()
            if !transcoder.finished { transcoder.advance(to: Int.max) }
            count = max(0, transcoder.available - transcodedMarks)
            lock.unlock()
        }
        return try body(UnsafeBufferPointer(start: base, count: count))
    }

    /// Calls `body` with the first `limit` UTF-8 bytes of the text (fewer when it is
    /// shorter), valid only during the call: for sniffing a format, without waiting for a
    /// large UTF-16 file's whole text.
    public func withUTF8Prefix<Result>(_ limit: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        var count = knownByteCount
        if let transcoder {
            lock.lock()
            if !transcoder.finished && transcoder.available < limit + transcodedMarks { transcoder.advance(to: limit + transcodedMarks) }
            count = max(0, transcoder.available - transcodedMarks)
            lock.unlock()
        }
        return try body(UnsafeBufferPointer(start: base, count: min(limit, count)))
    }

    /// The text's UTF-8 bytes, copied.
    public var utf8: [UInt8] { withUTF8 { Array($0) } }

    /// The file name without folders, for titles and the status line.
    public var fileName: String {
        path.split(separator: "/").last.map(String.init) ?? path
    }

    /// The longest first paragraph, in code points, that counts as a title.
    public static let maximumTitleLength = 120

    /// The first paragraph without surrounding spaces when it is a title: a single line
    /// of at most ``maximumTitleLength`` code points; nil otherwise. Reads only that line.
    public var title: String? {
        guard let first = paragraph(0), first.range.count <= Document.maximumTitleLength,
              !UnsafeBufferPointer(start: base + first.byteRange.lowerBound, count: first.byteRange.count)
                .contains(where: { $0 == 0x0A || $0 == 0x0D }) else { return nil }
        let line = text(ofParagraph: 0).trimmingCharacters(in: .whitespaces)
        return line.isEmpty ? nil : line
    }

    /// The whole text. Costs time and memory proportional to the document.
    public var text: String {
        lock.lock()
        ensureAll()
        let end = index.validBytes
        lock.unlock()
        return String(decoding: UnsafeBufferPointer(start: base, count: end), as: UTF8.self)
    }

    /// The text of paragraph `number`.
    public func text(ofParagraph number: Int) -> String {
        guard let paragraph = paragraph(number) else { return "" }
        return decode(paragraph.byteRange.lowerBound, paragraph.byteRange.count, codePoints: paragraph.range.count)
    }

    /// `count` bytes from byte `start`, decoded; they hold `codePoints` code points by the
    /// index. A mapped file cut short since it was indexed reads as zeros past its new end
    /// (``MappedDocuments``), one code point per byte: the text is then cut or padded with
    /// U+FFFD to the count every offset derived from the index assumes.
    private func decode(_ start: Int, _ count: Int, codePoints: Int) -> String {
        let text = String(decoding: UnsafeBufferPointer(start: base + start, count: count), as: UTF8.self)
        guard storage.mappedFileFaulted else { return text }
        let scalars = text.unicodeScalars
        let found = scalars.count
        guard found != codePoints else { return text }
        var fitted = String.UnicodeScalarView(scalars.prefix(codePoints))
        if found < codePoints { fitted.append(contentsOf: repeatElement(Unicode.Scalar(0xFFFD)!, count: codePoints - found)) }
        return String(fitted)
    }

    /// The text in `range` (code points, end exclusive), clamped to the document. Indexes
    /// only as far as the range's end.
    public func text(in range: Range<Int>) -> String {
        text(in: range, leading: 0).text
    }

    /// The text from `lead` code points before `range` (fewer at the text's start) to the
    /// end of `range`, clamped to the document, with how many code points of it come
    /// before `range`. Steps back from `range`'s start over UTF-8 bytes, so a long
    /// paragraph before it is not walked as ``text(in:)`` would walk it.
    func text(in range: Range<Int>, leading lead: Int) -> (text: String, leading: Int) {
        lock.lock()
        let start: Int, end: Int
        // code points between start and end by the index; nil for a stretch ahead of it
        var indexed: Int?
        if Document.isProvisional(range.lowerBound) {
            // a stretch read ahead of the index (its bytes lie in it, nothing to clamp)
            let bytes = windowBytes(of: range) ?? 0..<0
            (start, end) = (bytes.lowerBound, bytes.upperBound)
        } else {
            ensureCodePoint(max(range.lowerBound, range.upperBound))
            let limit = index.scannedCodePoints
            let lower = max(0, min(range.lowerBound, limit))
            let upper = max(lower, min(range.upperBound, limit))
            start = byteOffset(ofCodePoint: lower)
            end = byteOffset(ofCodePoint: upper, from: (lower, start))
            indexed = upper - lower
        }
        lock.unlock()
        var first = start, leading = 0
        while leading < lead && first > 0 {
            first -= 1
            while first > 0 && base[first] & 0xC0 == 0x80 { first -= 1 }
            leading += 1
        }
        guard let indexed else {
            return (String(decoding: UnsafeBufferPointer(start: base + first, count: end - first), as: UTF8.self), leading)
        }
        return (decode(first, end - first, codePoints: leading + indexed), leading)
    }

    /// The index of the paragraph that contains `offset`, or of the last paragraph that
    /// starts before it when `offset` falls between paragraphs; nil before the first.
    /// Binary search: O(log paragraphs), after indexing as far as `offset`.
    public func paragraphIndex(atOrBefore offset: Int) -> Int? {
        lock.lock()
        defer { lock.unlock() }
        if Document.isProvisional(offset) { return windowParagraphIndex(atOrBefore: offset) }
        ensureCodePoint(offset)
        return index.paragraphIndex(atOrBefore: offset)
    }

    /// The index of the first paragraph whose range ends after `offset`, or nil.
    public func paragraphIndex(atOrAfter offset: Int) -> Int? {
        lock.lock()
        defer { lock.unlock() }
        if Document.isProvisional(offset) { return windowParagraphIndex(atOrAfter: offset) }
        ensureCodePoint(offset)
        if let found = index.paragraphIndex(atOrBefore: offset), index.paragraphs[found].range.upperBound > offset {
            return found
        }
        let next = (index.paragraphIndex(atOrBefore: offset) ?? -1) + 1
        ensureParagraph(next)
        return next < index.paragraphs.count ? next : nil
    }

    /// The code point whose byte offset was looked up last, with that offset: look-ups in
    /// order within one long paragraph (an export's quotes) walk on from there instead of
    /// from the paragraph's start each time.
    private var lastLookup = (codePoint: 0, byte: 0)

    /// Byte offset of code point `offset`, walking from the nearest known position (the
    /// start of its paragraph, `known`, or the last look-up, before or after it). Call
    /// with the lock held, after indexing as far as `offset`.
    private func byteOffset(ofCodePoint offset: Int, from known: (codePoint: Int, byte: Int)? = nil) -> Int {
        var codePoint = 0, byte = 0
        if let found = index.paragraphIndex(atOrBefore: offset) {
            codePoint = index.paragraphs[found].range.lowerBound
            byte = index.paragraphs[found].byteRange.lowerBound
        }
        if let known, known.codePoint <= offset, known.codePoint >= codePoint {
            codePoint = known.codePoint
            byte = known.byte
        }
        let end = index.validBytes
        if lastLookup.byte <= end, abs(lastLookup.codePoint - offset) < offset - codePoint {
            (codePoint, byte) = lastLookup
        }
        while codePoint < offset && byte < end {
            byte += 1
            while byte < end && base[byte] & 0xC0 == 0x80 { byte += 1 }
            codePoint += 1
        }
        while codePoint > offset && byte > 0 {
            byte -= 1
            while byte > 0 && base[byte] & 0xC0 == 0x80 { byte -= 1 }
            codePoint -= 1
        }
        lastLookup = (codePoint, byte)
        return byte
    }

    /// The UTF-8 form of a UTF-16 file with a byte-order mark (FF FE little-endian, FE FF
    /// big-endian), without the mark; nil when `bytes` do not start with one.
    /// - Throws: ``DocumentError/notUTF16(path:byteOffset:)`` at the first unpaired
    ///   surrogate or an odd last byte; ``DocumentError/binary(path:byteOffset:)`` at a NUL.
    static func decodeUTF16(_ bytes: [UInt8], path: String) throws -> [UInt8]? {
        guard bytes.count >= 2 else { return nil }
        let littleEndian: Bool
        switch (bytes[0], bytes[1]) {
        case (0xFF, 0xFE): littleEndian = true
        case (0xFE, 0xFF): littleEndian = false
        default: return nil
        }
        var units: [UInt16] = []
        units.reserveCapacity(bytes.count / 2)
        var index = 2
        while index + 1 < bytes.count {
            let unit = littleEndian ? UInt16(bytes[index]) | UInt16(bytes[index + 1]) << 8
                                    : UInt16(bytes[index]) << 8 | UInt16(bytes[index + 1])
            if unit == 0 { throw DocumentError.binary(path: path, byteOffset: index) }
            units.append(unit)
            index += 2
        }
        if index < bytes.count { throw DocumentError.notUTF16(path: path, byteOffset: index) }
        var output: [UInt8] = []
        output.reserveCapacity(units.count * 2)
        var iterator = units.makeIterator()
        var decoder = UTF16()
        var unitOffset = 0
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar):
                output.append(contentsOf: UTF8.encode(scalar)!)
                unitOffset += scalar.value > 0xFFFF ? 2 : 1
            case .emptyInput:
                return output
            case .error:
                throw DocumentError.notUTF16(path: path, byteOffset: 2 + unitOffset * 2)
            }
        }
    }

    static func firstInvalidUTF8Byte(in bytes: [UInt8]) -> Int? {
        if String(validating: bytes, as: UTF8.self) != nil { return nil }
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        var offset = 0
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): offset += UTF8.width(scalar)
            case .emptyInput: return nil
            case .error: return offset
            }
        }
    }

    /// Why the file at `path` could not be read, in a few words for a message: `no such
    /// file`, `a symbolic link to nothing`, `a loop of symbolic links (…)`, `it is a folder`, `permission denied`, `not a
    /// regular file (a FIFO or pipe)`, or the system's reason.
    public static func reason(for error: Error, path: String) -> String {
        // a link whose file is gone (a share not mounted) is not "no such file"
        if let problem = FilePaths.brokenLinkProblem(path) { return problem }
        switch error as? DocumentError {
        case .unreadable(_, let reason)?: return reason
        case .notRegularFile(_, let kind)?: return "not a regular file (\(kind))"
        default: break
        }
        var isDirectory: ObjCBool = false
        if !FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            return "no such file"
        }
        if isDirectory.boolValue { return "it is a folder" }
        if !FileManager.default.isReadableFile(atPath: path) { return "permission denied" }
        return FileErrorText.reason(for: error)
    }
}
