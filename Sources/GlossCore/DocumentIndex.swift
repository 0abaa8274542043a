import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The bytes of a document: a copy in memory, or the file mapped read-only.
final class Storage: @unchecked Sendable {
    /// The bytes, valid for the storage's lifetime.
    let bytes: UnsafeBufferPointer<UInt8>
    private let mapped: Bool
    /// The mapped file, kept open so a change written into it in place can be noticed.
    private let descriptor: Int32
    /// Size and modification time of the mapped file when it was mapped.
    private let mappedState: (size: Int, seconds: Int, nanoseconds: Int)?
    /// The mapping's slot in ``MappedDocuments`` (a truncated file reads as zeros, not SIGBUS).
    private let faultSlot: Int32?

    private init(bytes: UnsafeBufferPointer<UInt8>, mapped: Bool, descriptor: Int32 = -1,
                 mappedState: (size: Int, seconds: Int, nanoseconds: Int)? = nil, path: String? = nil) {
        self.bytes = bytes
        self.mapped = mapped
        self.descriptor = descriptor
        self.mappedState = mappedState
        if mapped, let path, let base = bytes.baseAddress {
            faultSlot = MappedDocuments.register(base, count: bytes.count, path: path)
        } else {
            faultSlot = nil
        }
    }

    deinit {
        if mapped {
            if let faultSlot { MappedDocuments.unregister(faultSlot) }
            if let address = bytes.baseAddress { munmap(UnsafeMutableRawPointer(mutating: address), bytes.count) }
            if descriptor >= 0 { close(descriptor) }
        } else {
            bytes.deallocate()
        }
    }

    /// True when the mapped file was written to in place since it was mapped (its size or
    /// modification time differ): the map may then show bytes other than those read
    /// before. A file replaced by another (renamed over it) leaves the map as it was.
    /// Always false for a copy in memory. True too once reading the map faulted
    /// (``MappedDocuments``), whatever the file's size says.
    var mappedFileChanged: Bool {
        guard let mappedState, descriptor >= 0 else { return false }
        if mappedFileFaulted { return true }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { return false }
        return Int(info.st_size) != mappedState.size || info.st_mtim.tv_sec != mappedState.seconds
            || info.st_mtim.tv_nsec != mappedState.nanoseconds
    }

    /// True once reading this storage's map faulted: its bytes past the file's new end are
    /// zeros, which need not agree with what was indexed from them before.
    var mappedFileFaulted: Bool {
        guard let faultSlot else { return false }
        return MappedDocuments.faulted(faultSlot)
    }

    /// A copy of `array`.
    static func owned(_ array: [UInt8]) -> Storage {
        let buffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(1, array.count))
        _ = buffer.initialize(from: array)
        return Storage(bytes: UnsafeBufferPointer(start: buffer.baseAddress, count: array.count), mapped: false)
    }

    /// The file at `path`: mapped when it is larger than ``Document/eagerByteCount`` (so
    /// opening costs nothing per byte), read otherwise. Only a regular file is read
    /// (``RegularFile/open(_:)``).
    /// - Throws: ``DocumentError/unreadable(path:reason:)``,
    ///   ``DocumentError/notRegularFile(path:kind:)``.
    static func open(_ path: String) throws -> Storage {
        let (descriptor, info) = try RegularFile.open(path)
        var keepOpen = false
        defer { if !keepOpen { close(descriptor) } }
        let size = Int(info.st_size)
        if size > Document.eagerByteCount,
           let address = mmap(nil, size, PROT_READ, MAP_PRIVATE, descriptor, 0), address != MAP_FAILED {
            // reading ahead helps the sequential indexing that follows
            madvise(address, size, MADV_SEQUENTIAL)
            keepOpen = true
            return Storage(bytes: UnsafeBufferPointer(start: address.assumingMemoryBound(to: UInt8.self), count: size), mapped: true,
                           descriptor: descriptor, mappedState: (size, info.st_mtim.tv_sec, info.st_mtim.tv_nsec), path: path)
        }
        return owned(try RegularFile.read(descriptor, path: path, limit: nil, sizeHint: size))
    }
}

/// Opening a document's file: only a regular file (after symbolic links) is read, so
/// that a FIFO without a writer, a socket or an endless device (`/dev/zero`, a terminal)
/// named as a document is refused at once with one message, whatever the command.
public enum RegularFile {
    /// What a file's mode says it is, for messages: `a FIFO or pipe`, `a character
    /// device`, `a block device`, `a socket`, `a folder`, `a regular file`.
    public static func kindName(ofMode mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFREG: return "a regular file"
        case S_IFDIR: return "a folder"
        case S_IFIFO: return "a FIFO or pipe"
        case S_IFCHR: return "a character device"
        case S_IFBLK: return "a block device"
        case S_IFSOCK: return "a socket"
        default: return "not a file"
        }
    }

    /// Opens `path` for reading when it is a regular file: its descriptor (close-on-exec,
    /// blocking) and status. The kind is checked before opening (a socket cannot be
    /// opened, a FIFO would block) and again on the descriptor (it may have been swapped
    /// meanwhile; the opening never blocks).
    /// - Throws: ``DocumentError/unreadable(path:reason:)`` (`no such file`, `permission
    ///   denied`, `it is a folder`, the system's reason); ``DocumentError/notRegularFile(path:kind:)``.
    public static func open(_ path: String) throws -> (descriptor: Int32, status: stat) {
        var info = stat()
        if stat(path, &info) == 0 { try check(info, path: path) }
        let descriptor = Glibc.open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard descriptor >= 0 else {
            let code = errno
            throw DocumentError.unreadable(path: path, reason: code == ENOENT ? "no such file" : code == EACCES ? "permission denied" : String(cString: strerror(code)))
        }
        guard fstat(descriptor, &info) == 0 else {
            let code = errno
            close(descriptor)
            throw DocumentError.unreadable(path: path, reason: String(cString: strerror(code)))
        }
        do {
            try check(info, path: path)
        } catch {
            close(descriptor)
            throw error
        }
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) & ~O_NONBLOCK)
        return (descriptor, info)
    }

    /// Throws unless `info` is a regular file's.
    private static func check(_ info: stat, path: String) throws {
        switch info.st_mode & S_IFMT {
        case S_IFREG: return
        case S_IFDIR: throw DocumentError.unreadable(path: path, reason: "it is a folder")
        default: throw DocumentError.notRegularFile(path: path, kind: kindName(ofMode: info.st_mode))
        }
    }

    /// The bytes of the regular file open at `descriptor`, from where it is, up to
    /// `limit` of them (all without one).
    /// - Throws: ``DocumentError/unreadable(path:reason:)`` on a read error.
    public static func read(_ descriptor: Int32, path: String, limit: Int?, sizeHint: Int) throws -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(min(limit ?? Int.max, sizeHint))
        var block = [UInt8](repeating: 0, count: 1 << 16)
        while limit.map({ bytes.count < $0 }) ?? true {
            let wanted = min(block.count, (limit ?? Int.max) - bytes.count)
            let count = block.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, wanted) }
            if count < 0 {
                if errno == EINTR { continue }
                throw DocumentError.unreadable(path: path, reason: String(cString: strerror(errno)))
            }
            if count == 0 { break }
            bytes.append(contentsOf: block[0..<count])
        }
        return bytes
    }

    /// The first `count` bytes of the regular file at `path` (fewer when it is shorter).
    /// - Throws: as ``open(_:)`` and ``read(_:path:limit:sizeHint:)``.
    public static func head(_ path: String, count: Int) throws -> [UInt8] {
        let (descriptor, info) = try open(path)
        defer { close(descriptor) }
        return try read(descriptor, path: path, limit: count, sizeHint: Int(info.st_size))
    }

    /// The whole regular file at `path`, for the files Gloss reads whole (stores,
    /// codebooks, the configuration, imported annotations): a FIFO, socket or device is
    /// refused at once instead of blocking or reading forever.
    /// - Throws: as ``open(_:)`` and ``read(_:path:limit:sizeHint:)``; ``Document/reason(for:path:)``
    ///   words either for a message.
    public static func data(_ path: String) throws -> Data {
        Data(try contents(path))
    }

    /// The whole regular file at `path`.
    /// - Throws: as ``open(_:)`` and ``read(_:path:limit:sizeHint:)``.
    public static func contents(_ path: String) throws -> [UInt8] {
        let (descriptor, info) = try open(path)
        defer { close(descriptor) }
        return try read(descriptor, path: path, limit: nil, sizeHint: Int(info.st_size))
    }
}

/// A growing column of offsets (bytes or code points): 32-bit while the text is under
/// 4 GB, 64-bit otherwise, kept in blocks of 65,536 so that growing never copies the column
/// nor leaves half of it unused.
struct OffsetColumn {
    private static let blockShift = 16
    private static let blockMask = (1 << blockShift) - 1
    private var narrow: [[UInt32]] = []
    private var wide: [[Int]] = []
    /// True when the offsets are stored in 64 bits.
    let isWide: Bool
    /// Number of offsets.
    private(set) var count = 0

    /// An empty column for offsets below `limit`.
    init(limit: Int) {
        isWide = limit > Int(UInt32.max)
    }

    /// Offset `index` (0 ..< ``count``).
    subscript(index: Int) -> Int {
        isWide ? wide[index >> OffsetColumn.blockShift][index & OffsetColumn.blockMask]
            : Int(narrow[index >> OffsetColumn.blockShift][index & OffsetColumn.blockMask])
    }

    /// Adds `value` at the end.
    mutating func append(_ value: Int) {
        let newBlock = count & OffsetColumn.blockMask == 0
        if isWide {
            if newBlock {
                wide.append([])
                wide[wide.count - 1].reserveCapacity(1 << OffsetColumn.blockShift)
            }
            wide[wide.count - 1].append(value)
        } else {
            if newBlock {
                narrow.append([])
                narrow[narrow.count - 1].reserveCapacity(1 << OffsetColumn.blockShift)
            }
            narrow[narrow.count - 1].append(UInt32(value))
        }
        count += 1
    }
}

/// The paragraphs of a document as four columns of offsets and a bit per paragraph for
/// headings: 16 bytes a paragraph for a text under 4 GB, never an object per paragraph.
/// Read as ``Paragraph`` values.
struct ParagraphTable {
    private var codePointStarts: OffsetColumn
    private var codePointEnds: OffsetColumn
    private var byteStarts: OffsetColumn
    private var byteEnds: OffsetColumn
    private var headings: [UInt64] = []

    /// An empty table for a text of `byteCount` UTF-8 bytes (it has no more code points).
    init(byteCount: Int) {
        codePointStarts = OffsetColumn(limit: byteCount)
        codePointEnds = OffsetColumn(limit: byteCount)
        byteStarts = OffsetColumn(limit: byteCount)
        byteEnds = OffsetColumn(limit: byteCount)
    }

    /// Number of paragraphs.
    var count: Int { codePointStarts.count }
    var isEmpty: Bool { count == 0 }

    /// Paragraph `index` (0 ..< ``count``).
    subscript(index: Int) -> Paragraph {
        Paragraph(range: codePointStarts[index]..<codePointEnds[index], byteRange: byteStarts[index]..<byteEnds[index],
                  kind: headings[index >> 6] & (1 << UInt64(index & 63)) != 0 ? .heading : .body)
    }

    /// First code point of paragraph `index`, without making the whole paragraph.
    func codePointStart(_ index: Int) -> Int { codePointStarts[index] }

    /// First byte of paragraph `index`.
    func byteStart(_ index: Int) -> Int { byteStarts[index] }

    /// Adds `paragraph` after the others (it starts after the last one ends).
    mutating func append(_ paragraph: Paragraph) {
        let index = count
        if index & 63 == 0 { headings.append(0) }
        if paragraph.kind == .heading { headings[index >> 6] |= 1 << UInt64(index & 63) }
        codePointStarts.append(paragraph.range.lowerBound)
        codePointEnds.append(paragraph.range.upperBound)
        byteStarts.append(paragraph.byteRange.lowerBound)
        byteEnds.append(paragraph.byteRange.upperBound)
    }

    /// Every paragraph, in order.
    var all: [Paragraph] { (0..<count).map { self[$0] } }

    /// Index of the last paragraph starting at or before code point `offset`; binary search.
    func index(atOrBefore offset: Int) -> Int? {
        var low = 0, high = count
        while low < high {
            let mid = (low + high) / 2
            if codePointStarts[mid] <= offset { low = mid + 1 } else { high = mid }
        }
        return low == 0 ? nil : low - 1
    }

    /// Index of the last paragraph starting at or before byte `offset`; binary search.
    func index(atOrBeforeByte offset: Int) -> Int? {
        var low = 0, high = count
        while low < high {
            let mid = (low + high) / 2
            if byteStarts[mid] <= offset { low = mid + 1 } else { high = mid }
        }
        return low == 0 ? nil : low - 1
    }
}

/// The paragraph index of a document, built a line at a time from the start and extended
/// in chunks that end at line ends (so no UTF-8 sequence is ever split). Plain text follows
/// the rules of ``PlainTextShape``, whose mode is decided on the start of the text; text an
/// importer made (``headingStarts`` set) has one paragraph per block between blank lines.
/// A text line's place (a heading or not, and whether the next line joins its paragraph)
/// is decided when the next text line is read, so the index runs one line behind.
struct ParagraphIndex {
    /// What is wrong with the text past the first chunk.
    enum Problem {
        case nul(Int), invalidUTF8(Int)

        func error(path: String) -> DocumentError {
            switch self {
            case .nul(let offset): return .binary(path: path, byteOffset: offset)
            case .invalidUTF8(let offset): return .notUTF8(path: path, byteOffset: offset)
            }
        }
    }

    /// Paragraphs found so far, in order.
    private(set) var paragraphs: ParagraphTable
    /// Bytes split into lines so far; always at a line start.
    private(set) var scannedBytes = 0
    /// Bytes known to be valid UTF-8 without NUL, checked ahead of indexing when the
    /// document opened; always at a line start.
    private(set) var checkedBytes = 0
    /// Code points in ``scannedBytes``.
    private(set) var scannedCodePoints = 0
    /// The paragraph being collected: its text lines so far.
    private(set) var open: (bytes: Range<Int>, codePoints: Range<Int>)?
    /// True once the text's end (or a problem) was reached.
    private(set) var complete = false
    /// True once a background indexer was started.
    var background = false
    /// True when the bytes indexed start in the middle of the text (a stretch read ahead of
    /// the index): its first line is not the text's first line, the title.
    var startsMidText = false
    /// How lines make paragraphs; ``PlainTextShape/Mode/blocks`` for an importer's text.
    var shape = PlainTextShape(mode: .linePerParagraph)
    /// Code points where headings start, when an importer marked them; nil for plain text.
    var headingStarts: Set<Int>?
    /// The last text line read, whose place waits for the next one: its shape, whether it
    /// starts its paragraph and whether it is the text's first line.
    private var held: (shape: LineShape, starts: Bool, first: Bool)?
    /// True when a blank line came after the held line.
    private var blankAfterHeld = false
    /// What stopped the index early.
    private(set) var problem: Problem?
    /// Bytes before the text in the file (a byte-order mark), for error offsets.
    let fileOffset: Int
    /// True when the bytes are known to be valid UTF-8 without NUL (decoded input).
    let validated: Bool

    /// An empty index of a text of `byteCount` UTF-8 bytes.
    init(fileOffset: Int, validated: Bool, byteCount: Int) {
        self.fileOffset = fileOffset
        self.validated = validated
        paragraphs = ParagraphTable(byteCount: byteCount)
    }

    /// Bytes of the text that can be shown: all of it, or up to a problem.
    var validBytes: Int { scannedBytes }

    /// Index of the last paragraph starting at or before `offset`.
    func paragraphIndex(atOrBefore offset: Int) -> Int? {
        paragraphs.index(atOrBefore: offset)
    }

    /// True when every paragraph starting at or before code point `offset` is in
    /// ``paragraphs``.
    func covers(codePoint offset: Int) -> Bool {
        complete || (scannedCodePoints > offset && (open.map { $0.codePoints.lowerBound > offset } ?? true))
    }

    /// True when every paragraph starting at or before byte `offset` is in ``paragraphs``.
    func covers(byte offset: Int) -> Bool {
        complete || (scannedBytes > offset && (open.map { $0.bytes.lowerBound > offset } ?? true))
    }

    /// The last search for a line feed: the first one at or after byte `from` of the
    /// `count` bytes searched ends at `end - 1` (`found`), or there is none and `end` is
    /// `count`. Checking, indexing and the line loop each look for the end of the same
    /// line; with this a giant line is passed over once, not once by each.
    private var lastSearch: (from: Int, end: Int, count: Int, found: Bool)?
    /// The last search for a carriage return: the first one at or after byte `from` is at
    /// `end` (`found`), or there is none in `from..<end`. It looks up to
    /// ``carriageReturnLookahead`` bytes past the line asked about, so that a text without
    /// carriage returns is searched for them once per 64 KB, not once per line. Bytes
    /// before the end of what was searched never change, however far the text grows.
    private var lastCarriageReturn: (from: Int, end: Int, found: Bool)?
    /// How far past a line's end the search for a carriage return looks ahead.
    static let carriageReturnLookahead = 1 << 16

    /// The first line end at or after byte `target` (at least one byte past `from`), or the
    /// end of the `count` bytes at `base`.
    mutating func lineEnd(_ base: UnsafePointer<UInt8>, _ count: Int, from: Int, target: Int) -> Int {
        let end = min(count, max(target, from + 1))
        return end < count ? lineBreakEnd(base, count, after: end - 1) : count
    }

    /// One past the first line break at or after byte `from` (below `count`) of the
    /// `count` bytes at `base`, or `count` when there is none. A line break is a line feed,
    /// a carriage return and a line feed, or a carriage return alone (classic Mac OS text),
    /// as ``lineBreak(_:_:from:)`` finds them byte by byte. A carriage return is looked for
    /// first, ahead of the line (``carriageReturnLookahead``); without one there, the line
    /// feed's search is the remembered one (``lastSearch``).
    mutating func lineBreakEnd(_ base: UnsafePointer<UInt8>, _ count: Int, after from: Int) -> Int {
        let near = min(count, from + ParagraphIndex.carriageReturnLookahead)
        // the common case, a text without carriage returns searched ahead already, inline
        let known = lastCarriageReturn.map { !$0.found && from >= $0.from && near <= $0.end } ?? false
        if !known, let carriage = carriageReturn(base, count, from: from, below: near) {
            // a line feed before it ends the line first
            if let feed = memchr(base + from, 0x0A, carriage - from) {
                return base.distance(to: feed.assumingMemoryBound(to: UInt8.self)) + 1
            }
            return carriage + 1 < count && base[carriage + 1] == 0x0A ? carriage + 2 : carriage + 1
        }
        let feed = lineFeedEnd(base, count, after: from)
        // a line longer than the look-ahead: a carriage return beyond it, before the line feed
        guard feed > near, let carriage = carriageReturn(base, count, from: near, below: feed) else { return feed }
        return carriage + 1 < count && base[carriage + 1] == 0x0A ? carriage + 2 : carriage + 1
    }

    /// The first carriage return in bytes `from..<limit` of the `count` bytes at `base`;
    /// searches only the bytes that ``lastCarriageReturn`` did not.
    private mutating func carriageReturn(_ base: UnsafePointer<UInt8>, _ count: Int, from: Int, below limit: Int) -> Int? {
        func search(_ start: Int) -> Int? {
            let end = min(count, max(limit, start + ParagraphIndex.carriageReturnLookahead))
            if start < end, let found = memchr(base + start, 0x0D, end - start) {
                let at = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
                lastCarriageReturn = (from, at, true)
                return at < limit ? at : nil
            }
            lastCarriageReturn = (from, end, false)
            return nil
        }
        guard var last = lastCarriageReturn else { return search(from) }
        if from < last.from {
            // the bytes before the last search, then what it found
            if let found = memchr(base + from, 0x0D, last.from - from) {
                let at = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
                lastCarriageReturn = (from, at, true)
                return at < limit ? at : nil
            }
            last.from = from
            lastCarriageReturn = last
        }
        guard from <= last.end else { return search(from) }
        if last.found { return last.end < limit ? last.end : nil }
        return limit <= last.end ? nil : search(last.end)
    }

    /// One past the first line feed at or after byte `from` (below `count`) of the `count`
    /// bytes at `base`, or `count` when there is none; searches only the bytes that
    /// ``lastSearch`` did not.
    private mutating func lineFeedEnd(_ base: UnsafePointer<UInt8>, _ count: Int, after from: Int) -> Int {
        var searchEnd = count
        var known: (end: Int, found: Bool)?
        // a search that found no line feed says nothing once more bytes follow
        if let last = lastSearch, last.found || last.count == count {
            if from >= last.from && from < last.end { return last.end }
            if from < last.from {
                searchEnd = last.from
                known = (last.end, last.found)
            }
        }
        let result: (end: Int, found: Bool)
        if let newline = memchr(base + from, 0x0A, searchEnd - from) {
            result = (base.distance(to: newline.assumingMemoryBound(to: UInt8.self)) + 1, true)
        } else {
            result = known ?? (count, false)
        }
        lastSearch = (from, result.end, count, result.found)
        return result.end
    }

    /// The first line break at or after byte `from` of the `count` bytes at `base`, read
    /// byte by byte: where its line's content ends and where the next line starts (both
    /// `count` when there is none). A line feed, CR LF, or a carriage return alone ends a
    /// line; the reference for ``lineBreakEnd(_:_:after:)`` and the reading of short
    /// stretches (the sample that decides a text's shape).
    static func lineBreak(_ base: UnsafePointer<UInt8>, _ count: Int, from: Int) -> (contentEnd: Int, next: Int) {
        var position = from
        while position < count {
            let byte = base[position]
            if byte == 0x0A { return (position, position + 1) }
            if byte == 0x0D { return (position, position + 1 < count && base[position + 1] == 0x0A ? position + 2 : position + 1) }
            position += 1
        }
        return (count, count)
    }

    /// True when byte `position` of the `count` bytes at `base` starts a line: it is the
    /// first, or follows a line break (a line feed, or a carriage return not followed by
    /// a line feed).
    static func startsLine(_ base: UnsafePointer<UInt8>, _ count: Int, at position: Int) -> Bool {
        guard position > 0 else { return true }
        let before = base[position - 1]
        return before == 0x0A || (before == 0x0D && (position >= count || base[position] != 0x0A))
    }

    /// Checks the bytes from ``checkedBytes`` to the first line end at or after byte
    /// `target` without indexing them, so that opening can check more of the text than it
    /// indexes. Checks nothing, and returns false, when there is a problem there: indexing
    /// finds and reports it.
    mutating func check(_ base: UnsafePointer<UInt8>, _ count: Int, upTo target: Int) -> Bool {
        if validated || complete { return true }
        let unchecked = uncheckedBytes(base, count, upTo: target)
        guard !unchecked.isEmpty else { return true }
        if ParagraphIndex.firstProblem(base + unchecked.lowerBound, unchecked.count) != nil { return false }
        markChecked(upTo: unchecked.upperBound)
        return true
    }

    /// The bytes ``check(_:_:upTo:)`` checks: from ``checkedBytes`` (or ``scannedBytes``)
    /// to the first line end at or after byte `target`; empty when there are none.
    mutating func uncheckedBytes(_ base: UnsafePointer<UInt8>, _ count: Int, upTo target: Int) -> Range<Int> {
        let start = max(scannedBytes, checkedBytes)
        return start..<max(start, lineEnd(base, count, from: start, target: target))
    }

    /// Records the bytes up to `end` as checked, without a problem, by
    /// ``firstProblem(_:_:)`` run elsewhere on ``uncheckedBytes(_:_:upTo:)``.
    mutating func markChecked(upTo end: Int) {
        checkedBytes = max(checkedBytes, end)
    }

    /// Indexes from ``scannedBytes`` to the first line end at or after byte `target` (or
    /// the end of the `count` bytes at `base`), checking the bytes on the way that
    /// ``check(_:_:upTo:)`` has not. `final` false says that more text will follow the
    /// `count` bytes (which then end at a line end): the index is not complete there.
    mutating func extend(_ base: UnsafePointer<UInt8>, _ count: Int, final: Bool = true, upTo target: Int) {
        guard !complete else { return }
        var end = lineEnd(base, count, from: scannedBytes, target: target)
        var reachedProblem = false
        let unchecked = max(scannedBytes, min(checkedBytes, end))
        if !validated, unchecked < end, let bad = ParagraphIndex.firstProblem(base + unchecked, end - unchecked) {
            let at = unchecked + bad.offset
            problem = bad.isNUL ? .nul(fileOffset + at) : .invalidUTF8(fileOffset + at)
            // the text shown ends with the last whole line before the bad byte
            var lineStart = at
            while lineStart > scannedBytes && !ParagraphIndex.startsLine(base, count, at: lineStart) { lineStart -= 1 }
            end = lineStart
            reachedProblem = true
        }
        var lineStart = scannedBytes
        var codePoint = scannedCodePoints
        let blocks = shape.mode == .blocks
        while lineStart < end {
            let next = min(lineBreakEnd(base, count, after: lineStart), end)
            // the line break (LF, CR LF or a lone CR) ends the line's content
            var contentEnd = next
            if contentEnd > lineStart && base[contentEnd - 1] == 0x0A { contentEnd -= 1 }
            if contentEnd > lineStart && base[contentEnd - 1] == 0x0D { contentEnd -= 1 }
            // one code point a byte
            let newlines = next - contentEnd
            if blocks {
                let contentCodePoints = ParagraphIndex.countScalars(base + lineStart, contentEnd - lineStart)
                if LineShape.isBlank(base, lineStart, contentEnd) {
                    closeParagraph()
                } else if let run = open {
                    open = (run.bytes.lowerBound..<contentEnd, run.codePoints.lowerBound..<(codePoint + contentCodePoints))
                } else {
                    open = (lineStart..<contentEnd, codePoint..<(codePoint + contentCodePoints))
                }
                codePoint += contentCodePoints + newlines
            } else if let line = LineShape(base, lineStart, contentEnd) {
                var first = line.text.lowerBound
                // a mark right after the indentation makes one grapheme cluster with the
                // space before it, which then starts the paragraph
                if first > lineStart && base[first] >= 0x80 && ParagraphIndex.extendsCluster(base, first, contentEnd) { first -= 1 }
                // indentation and trailing spaces are spaces and tabs, one byte and one code point each
                let textStart = codePoint + (first - lineStart)
                let contentCodePoints = (line.text.lowerBound - first) + line.length + (contentEnd - line.text.upperBound)
                place(line, bytes: first..<contentEnd, codePoints: textStart..<(textStart + contentCodePoints), base: base)
                codePoint = textStart + contentCodePoints + newlines
            } else {
                // a blank line (LineShape.isBlank): white space and invisible characters
                if held != nil { blankAfterHeld = true }
                codePoint += ParagraphIndex.countScalars(base + lineStart, contentEnd - lineStart) + newlines
            }
            lineStart = next
        }
        scannedBytes = end
        scannedCodePoints = codePoint
        if (end >= count && final) || reachedProblem {
            closeParagraph()
            held = nil
            complete = true
        }
    }

    /// Places text line `line` (bytes and code points from its first character that is not
    /// a space or tab to the end of its content): decides whether the line held before it
    /// is a heading and whether `line` starts a paragraph, then holds it.
    private mutating func place(_ line: LineShape, bytes: Range<Int>, codePoints: Range<Int>, base: UnsafePointer<UInt8>) {
        var starts = true
        if let previous = held {
            let heading = previous.starts && shape.isHeading(previous.shape, next: line, isFirst: previous.first) {
                String(decoding: UnsafeBufferPointer(start: base + previous.shape.text.lowerBound, count: previous.shape.text.count), as: UTF8.self)
            }
            if heading { closeParagraph(kind: .heading) }
            starts = heading || blankAfterHeld || shape.startsParagraph(line, after: previous.shape, base: base)
        }
        if starts {
            closeParagraph()
            open = (bytes, codePoints)
        } else if let run = open {
            open = (run.bytes.lowerBound..<bytes.upperBound, run.codePoints.lowerBound..<codePoints.upperBound)
        }
        held = (line, starts, !startsMidText && held == nil && paragraphs.isEmpty)
        blankAfterHeld = false
    }

    /// Ends the paragraph being collected, as a paragraph of `kind` (a heading when an
    /// importer marked its start as one).
    private mutating func closeParagraph(kind: ParagraphKind = .body) {
        guard let run = open else { return }
        let heading = kind == .heading || (headingStarts?.contains(run.codePoints.lowerBound) ?? false)
        paragraphs.append(Paragraph(range: run.codePoints, byteRange: run.bytes, kind: heading ? .heading : .body))
        open = nil
    }

    /// True when the scalar at byte `start` (before `end`) joins the space before it in one
    /// grapheme cluster (a combining mark, a joiner, a spacing mark).
    static func extendsCluster(_ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        var length = 1
        while start + length < end && base[start + length] & 0xC0 == 0x80 { length += 1 }
        guard let scalar = LineShape.scalar(base, at: start, end: start + length) else { return false }
        var pair = String.UnicodeScalarView()
        pair.append(" ")
        pair.append(scalar)
        return String(pair).count == 1
    }

    /// Number of Unicode scalars in `count` bytes of valid UTF-8: the bytes that are not
    /// continuation bytes (of any bytes, valid or not). Reads eight bytes at a time, four
    /// words per step, counting the continuation bytes of each word in its byte lanes:
    /// about half an instruction a byte, where a loop over single bytes takes five.
    static func countScalars(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> Int {
        let raw = UnsafeRawPointer(bytes)
        let highBits: UInt64 = 0x8080_8080_8080_8080
        var continuations = 0
        var index = 0
        while index + 32 <= count {
            // each step adds at most 4 to a lane, so 63 steps keep every lane under 256
            let stop = min(count - 31, index + 63 * 32)
            var lanes: UInt64 = 0
            while index < stop {
                // a continuation byte is 10xxxxxx: its top bit set and the bit below clear
                let a = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                let b = raw.loadUnaligned(fromByteOffset: index + 8, as: UInt64.self)
                let c = raw.loadUnaligned(fromByteOffset: index + 16, as: UInt64.self)
                let d = raw.loadUnaligned(fromByteOffset: index + 24, as: UInt64.self)
                lanes &+= (a & ~(a << 1) & highBits) >> 7
                lanes &+= (b & ~(b << 1) & highBits) >> 7
                lanes &+= (c & ~(c << 1) & highBits) >> 7
                lanes &+= (d & ~(d << 1) & highBits) >> 7
                index += 32
            }
            // the eight byte lanes summed: pairs into 16-bit lanes (at most 510), then those
            let pairs = (lanes & 0x00FF_00FF_00FF_00FF) &+ ((lanes >> 8) & 0x00FF_00FF_00FF_00FF)
            continuations += Int(truncatingIfNeeded: (pairs &* 0x0001_0001_0001_0001) >> 48)
        }
        while index < count {
            if bytes[index] & 0xC0 == 0x80 { continuations += 1 }
            index += 1
        }
        return count - continuations
    }

    /// The first NUL byte or invalid UTF-8 sequence in `count` bytes (RFC 3629 §4: no
    /// overlong forms, no surrogates, nothing above U+10FFFF, no sequence cut by the end or
    /// by a NUL), as an offset: whichever comes first, as a validator reading in order
    /// finds them. One pass: runs of ASCII are passed 32 bytes at a time, looking for a byte
    /// above ASCII or a NUL in four words at once, then to the first such byte of the word
    /// that has one; sequences following each other are checked one by one.
    static func firstProblem(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> (offset: Int, isNUL: Bool)? {
        let raw = UnsafeRawPointer(bytes)
        let highBits: UInt64 = 0x8080_8080_8080_8080, lowBits: UInt64 = 0x0101_0101_0101_0101
        // the top bit of each byte above ASCII and of the first NUL (which alone borrows in
        // the subtraction: bytes after it may be marked too, never bytes before it)
        @inline(__always) func marks(_ word: UInt64) -> UInt64 { (word | (word &- lowBits)) & highBits }
        var index = 0
        while index < count {
            let lead = bytes[index]
            if lead == 0 { return (index, true) }
            if lead < 0x80 {
                var marked = false
                while index + 32 <= count {
                    let a = marks(raw.loadUnaligned(fromByteOffset: index, as: UInt64.self))
                    let b = marks(raw.loadUnaligned(fromByteOffset: index + 8, as: UInt64.self))
                    let c = marks(raw.loadUnaligned(fromByteOffset: index + 16, as: UInt64.self))
                    let d = marks(raw.loadUnaligned(fromByteOffset: index + 24, as: UInt64.self))
                    if a | b | c | d != 0 {
                        // little-endian: the lowest mark is on the first byte above ASCII or NUL
                        index += a != 0 ? a.trailingZeroBitCount >> 3 : b != 0 ? 8 + (b.trailingZeroBitCount >> 3)
                            : c != 0 ? 16 + (c.trailingZeroBitCount >> 3) : 24 + (d.trailingZeroBitCount >> 3)
                        marked = true
                        break
                    }
                    index += 32
                }
                while !marked && index + 8 <= count {
                    let found = marks(raw.loadUnaligned(fromByteOffset: index, as: UInt64.self))
                    if found != 0 {
                        index += found.trailingZeroBitCount >> 3
                        break
                    }
                    index += 8
                }
                while index < count && bytes[index] < 0x80 && bytes[index] != 0 { index += 1 }
                continue
            }
            // two-byte sequences (Latin, Greek, Cyrillic, Hebrew, Arabic letters) first
            if lead >= 0xC2 && lead <= 0xDF {
                guard index + 1 < count, bytes[index + 1] & 0xC0 == 0x80 else { return (index, false) }
                index += 2
                continue
            }
            let length: Int, low: UInt8, high: UInt8
            switch lead {
            case 0xE0: (length, low, high) = (3, 0xA0, 0xBF)
            case 0xE1...0xEC, 0xEE...0xEF: (length, low, high) = (3, 0x80, 0xBF)
            case 0xED: (length, low, high) = (3, 0x80, 0x9F)
            case 0xF0: (length, low, high) = (4, 0x90, 0xBF)
            case 0xF1...0xF3: (length, low, high) = (4, 0x80, 0xBF)
            case 0xF4: (length, low, high) = (4, 0x80, 0x8F)
            default: return (index, false)
            }
            guard index + length <= count, (low...high).contains(bytes[index + 1]) else { return (index, false) }
            for next in 2..<length where bytes[index + next] & 0xC0 != 0x80 { return (index, false) }
            index += length
        }
        return nil
    }
}
