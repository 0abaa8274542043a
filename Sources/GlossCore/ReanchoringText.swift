import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The text re-anchoring searches: the document as NFC scalars, with their offsets back
/// into its code points. ``NormalizedText`` holds a whole normalised copy; ``DirectText``
/// reads a text that is its own NFC straight from its UTF-8 bytes, a page at a time.
protocol ReanchoringText {
    /// The NFC scalars, indexed from 0.
    associatedtype Scalars: RandomAccessCollection where Scalars.Element == Unicode.Scalar, Scalars.Index == Int

    /// The NFC scalars.
    var scalars: Scalars { get }
    /// The original code points of normalised scalars `range`, or nil when the range is
    /// empty or starts or ends inside a grapheme cluster.
    func originalRange(of range: Range<Int>) -> Range<Int>?
    /// `range` of normalised scalars widened to whole grapheme clusters.
    func clusterAligned(_ range: Range<Int>) -> Range<Int>
    /// The first normalised scalar whose grapheme cluster starts at or after original code
    /// point `offset`.
    func normalizedIndex(ofOriginal offset: Int) -> Int
    /// Start offsets, in normalised scalars, of every occurrence of `needle` (NFC scalars).
    func occurrences(of needle: ArraySlice<Unicode.Scalar>) -> [Int]
}

extension NormalizedText: ReanchoringText {
    func occurrences(of needle: ArraySlice<Unicode.Scalar>) -> [Int] {
        guard let first = needle.first, needle.count <= scalars.count else { return [] }
        let rest = Array(needle.dropFirst())
        return scalars.withUnsafeBufferPointer { text in
            var found: [Int] = []
            var start = 0
            let last = text.count - needle.count
            while start <= last {
                if text[start] == first {
                    var matched = 0
                    while matched < rest.count, text[start + 1 + matched] == rest[matched] { matched += 1 }
                    if matched == rest.count { found.append(start) }
                }
                start += 1
            }
            return found
        }
    }
}

/// A document's text read in place from its UTF-8 bytes, when normalising it to NFC would
/// change nothing (``init(_:bytes:)`` checks): a normalised scalar's index is then its code
/// point offset. Holds a code point count per 4 KB block of bytes and a few decoded pages,
/// so its memory does not grow with the text; finds quotes with a byte search (`memchr` for their rarest byte).
/// Valid only while `bytes` are.
struct DirectText: ReanchoringText {
    /// The text's UTF-8 bytes.
    let bytes: UnsafeBufferPointer<UInt8>
    /// Code points before each 4 KB block of bytes (bytes `k << 12` on).
    let blockCodePoints: [Int]
    /// The text's length in code points.
    let count: Int
    /// How often each byte value occurs in a sample of the text, to search for a needle
    /// by its rarest byte.
    let byteFrequency: [Int]
    let scalars: PagedScalars

    /// log2 of the bytes per block of ``blockCodePoints``.
    static let blockShift = 12

    /// The text of `bytes` (a document's, from ``Document/withUTF8(_:)``) read in place, or
    /// nil when normalising it to NFC could change it (a combining mark, a scalar that NFC
    /// replaces, or one of a script whose vowel signs compose with the letter before),
    /// or when the bytes do not hold `length` code points.
    init?(bytes: UnsafeBufferPointer<UInt8>, length: Int) {
        guard !bytes.isEmpty, let base = bytes.baseAddress else {
            guard length == 0 else { return nil }
            self.bytes = bytes
            blockCodePoints = [0]
            count = 0
            byteFrequency = Array(repeating: 0, count: 256)
            scalars = PagedScalars(pages: ScalarPages(bytes: bytes, blockCodePoints: [0], count: 0))
            return
        }
        var blocks: [Int] = []
        blocks.reserveCapacity(bytes.count >> Self.blockShift + 1)
        var total = 0, block = 0
        var inert: [UInt32: Bool] = [:]
        while block < bytes.count {
            blocks.append(total)
            let end = min(bytes.count, block + (1 << Self.blockShift))
            var highest: UInt8 = 0
            for position in block..<end {
                highest = max(highest, base[position])
                if base[position] & 0xC0 != 0x80 { total &+= 1 }
            }
            // U+0300 and above start with byte 0xCC or more
            if highest >= 0xCC {
                var position = block
                while position < end {
                    if base[position] >= 0xCC {
                        let (scalar, length) = Self.decode(base, at: position, end: bytes.count)
                        let known = inert[scalar.value] ?? Self.isInert(scalar)
                        inert[scalar.value] = known
                        if !known { return nil }
                        position += length
                    } else {
                        position += 1
                    }
                }
            }
            block = end
        }
        guard total == length else { return nil }
        var frequency = Array(repeating: 0, count: 256)
        // four samples of 16 KB spread over the text
        for sample in 0..<4 {
            let first = bytes.count / 4 * sample
            for position in first..<min(bytes.count, first + (1 << 14)) { frequency[Int(base[position])] += 1 }
        }
        byteFrequency = frequency
        self.bytes = bytes
        blockCodePoints = blocks
        count = total
        scalars = PagedScalars(pages: ScalarPages(bytes: bytes, blockCodePoints: blocks, count: total))
    }

    /// Whether `scalar` is its own NFC whatever surrounds it: its canonical combining class
    /// is 0, NFC leaves it alone, and it is not of a script with vowel signs or jamo that
    /// compose with the scalar before (Indic scripts, Myanmar, Hangul jamo, Balinese, the
    /// supplementary Brahmic scripts), nor a kana voicing mark.
    static func isInert(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.value < 0x300 { return true }
        if scalar.properties.canonicalCombiningClass != .notReordered { return false }
        let composing: [ClosedRange<UInt32>] = [0x0900...0x0DFF, 0x1000...0x109F, 0x1100...0x11FF, 0x1B00...0x1B7F,
                                                0x3099...0x309A, 0x11000...0x11FFF]
        if composing.contains(where: { $0.contains(scalar.value) }) { return false }
        return String(scalar).precomposedStringWithCanonicalMapping.unicodeScalars.elementsEqual([scalar])
    }

    /// The scalar whose UTF-8 starts at byte `position`, and its length in bytes; U+FFFD
    /// for a malformed sequence, one byte long.
    static func decode(_ base: UnsafePointer<UInt8>, at position: Int, end: Int) -> (Unicode.Scalar, Int) {
        let lead = base[position]
        let length = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4
        guard lead < 0x80 || (lead >= 0xC2 && position + length <= end) else { return ("\u{FFFD}", 1) }
        if length == 1 { return (Unicode.Scalar(lead), 1) }
        var value = UInt32(lead) & (0xFF >> (length + 1))
        for index in 1..<length {
            let byte = base[position + index]
            guard byte & 0xC0 == 0x80 else { return ("\u{FFFD}", 1) }
            value = value << 6 | UInt32(byte & 0x3F)
        }
        return (Unicode.Scalar(value) ?? "\u{FFFD}", length)
    }

    /// The byte where code point `offset` starts (the byte count at the text's end).
    func byteOffset(ofCodePoint offset: Int) -> Int {
        scalars.pages.byteOffset(ofCodePoint: offset)
    }

    /// The code point that starts at byte `byte`, or that byte belongs to.
    func codePoint(ofByte byte: Int) -> Int {
        let block = byte >> Self.blockShift
        guard block < blockCodePoints.count, let base = bytes.baseAddress else { return count }
        var total = blockCodePoints[block]
        for position in (block << Self.blockShift)..<byte where base[position] & 0xC0 != 0x80 { total &+= 1 }
        return total
    }

    /// The text of code points `range`, clamped to the text.
    func string(in range: Range<Int>) -> String {
        let lower = max(0, min(count, range.lowerBound)), upper = max(lower, min(count, range.upperBound))
        let start = byteOffset(ofCodePoint: lower), end = byteOffset(ofCodePoint: upper)
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
    }

    func originalRange(of range: Range<Int>) -> Range<Int>? {
        guard !range.isEmpty, range.lowerBound >= 0, range.upperBound <= count,
              isClusterBoundary(range.lowerBound), isClusterBoundary(range.upperBound) else { return nil }
        return range
    }

    func clusterAligned(_ range: Range<Int>) -> Range<Int> {
        var lower = max(0, min(range.lowerBound, count)), upper = max(lower, min(range.upperBound, count))
        while lower > 0, lower < count, !isClusterBoundary(lower) { lower -= 1 }
        while upper > lower, upper < count, !isClusterBoundary(upper) { upper += 1 }
        return lower..<upper
    }

    func normalizedIndex(ofOriginal offset: Int) -> Int { max(0, min(count, offset)) }

    /// Whether code point `offset` is a grapheme cluster boundary: settled by the two
    /// scalars around it when they surely break, else by segmenting a window before it
    /// that widens until it settles the question (as ``Reanchoring/isClusterBoundary(_:in:)``).
    func isClusterBoundary(_ offset: Int) -> Bool {
        guard offset > 0, offset < count else { return true }
        if Reanchoring.breaksSurely(scalars[offset - 1], scalars[offset]) { return true }
        var lead = Reanchoring.clusterLead * 4
        while true {
            let lower = max(0, offset - lead), upper = min(count, offset + Reanchoring.clusterLead)
            let window = Array(scalars[lower..<upper])
            if let known = Reanchoring.isClusterBoundary(offset - lower, in: window, atTextStart: lower == 0, atTextEnd: upper == count) {
                return known
            }
            if lower == 0 { return true }
            lead *= 4
        }
    }

    func occurrences(of needle: ArraySlice<Unicode.Scalar>) -> [Int] {
        occurrences(ofUTF8: Self.utf8(needle), in: 0..<bytes.count).map(\.codePoint)
    }

    /// The UTF-8 bytes of `scalars`.
    static func utf8<Scalars: Sequence>(_ scalars: Scalars) -> [UInt8] where Scalars.Element == Unicode.Scalar {
        var bytes: [UInt8] = []
        for scalar in scalars { UTF8.encode(scalar) { bytes.append($0) } }
        return bytes
    }

    /// Every occurrence of `needle` (UTF-8 of whole scalars) within bytes `range`, with the
    /// code point each starts at, in order.
    func occurrences(ofUTF8 needle: [UInt8], in range: Range<Int>) -> [(byte: Int, codePoint: Int)] {
        guard !needle.isEmpty, needle.count <= range.count, let base = bytes.baseAddress else { return [] }
        var found: [(byte: Int, codePoint: Int)] = []
        var known: (byte: Int, codePoint: Int)?
        // memchr for the needle's rarest byte, then compare the whole needle there
        let rare = needle.indices.min { byteFrequency[Int(needle[$0])] < byteFrequency[Int(needle[$1])] } ?? 0
        let lastStart = range.upperBound - needle.count
        needle.withUnsafeBufferPointer { pattern in
            var start = range.lowerBound
            while start <= lastStart,
                  let hit = memchr(base + start + rare, Int32(pattern[rare]), lastStart - start + 1) {
                let byte = base.distance(to: hit.assumingMemoryBound(to: UInt8.self)) - rare
                start = byte + 1
                guard memcmp(base + byte, pattern.baseAddress!, needle.count) == 0 else { continue }
                // count code points on from the last hit when it is near, else from the block
                var codePoint: Int
                if let previous = known, byte - previous.byte < 1 << Self.blockShift {
                    codePoint = previous.codePoint
                    for position in previous.byte..<byte where base[position] & 0xC0 != 0x80 { codePoint &+= 1 }
                } else {
                    codePoint = self.codePoint(ofByte: byte)
                }
                known = (byte, codePoint)
                found.append((byte, codePoint))
            }
        }
        return found
    }

    /// Where an annotation is near its old place, cheaply: the copy of its prefix, quote
    /// and suffix (NFC scalars, whole) nearest one of the `expected` code point offsets of
    /// its start, searched for within 4,096 code points of them and then within
    /// ``Reanchoring/nearbyReach``. A copy found is the place the full search would
    /// choose: the whole context matches, which no other place beats, and among equal
    /// places the nearest wins (``Reanchoring/nearestStart(_:evidence:expected:)``). Nil,
    /// leaving it to the full search, when either side of context is shorter than
    /// ``Reanchoring/anchorLength`` (the text's edge counts there), when two copies are
    /// equally near, when the prefix's end and the suffix's start about the quote's length
    /// apart occur nearer (``Reanchoring/contextPairStarts(prefixEnds:suffixStarts:quoteLength:)``), when
    /// an end of the quote would split a grapheme cluster, or when no copy is that near.
    func nearbyPlace(quote: [Unicode.Scalar], prefix: [Unicode.Scalar], suffix: [Unicode.Scalar], expected: [Int]) -> Range<Int>? {
        guard !quote.isEmpty, prefix.count >= Reanchoring.anchorLength, suffix.count >= Reanchoring.anchorLength,
              let low = expected.min(), let high = expected.max() else { return nil }
        let needle = Self.utf8(prefix + quote + suffix)
        for reach in [4_096, Reanchoring.nearbyReach] {
            let lower = byteOffset(ofCodePoint: max(0, low - reach - prefix.count))
            let upper = byteOffset(ofCodePoint: min(count, high + quote.count + reach + suffix.count))
            guard lower < upper else { return nil }
            let starts = occurrences(ofUTF8: needle, in: lower..<upper).map { $0.codePoint + prefix.count }
            let distances = starts.map { start in expected.map { abs(start - $0) }.min() ?? Int.max }
            guard let nearest = distances.min(), nearest <= reach else { continue }
            var evidence: [Int] = []
            if nearest > 0 {
                // the window holds every place nearer than the copy
                let prefixEnds = occurrences(ofUTF8: Self.utf8(prefix.suffix(Reanchoring.anchorLength)), in: lower..<upper)
                    .map { $0.codePoint + Reanchoring.anchorLength }
                // a suffix may start up to one and a half quotes after a nearer prefix's end
                let further = byteOffset(ofCodePoint: min(count, high + reach + 2 * quote.count + suffix.count))
                let suffixStarts = occurrences(ofUTF8: Self.utf8(suffix.prefix(Reanchoring.anchorLength)), in: lower..<further).map(\.codePoint)
                evidence = Reanchoring.contextPairStarts(prefixEnds: prefixEnds, suffixStarts: suffixStarts, quoteLength: quote.count)
            }
            guard let start = Reanchoring.nearestStart(starts, evidence: evidence, expected: expected) else { return nil }
            let range = start..<(start + quote.count)
            return isClusterBoundary(range.lowerBound) && isClusterBoundary(range.upperBound) ? range : nil
        }
        return nil
    }
}

/// A text's scalars decoded a page of 4,096 at a time from its UTF-8 bytes, with the last
/// pages read kept.
final class ScalarPages {
    let bytes: UnsafeBufferPointer<UInt8>
    let blockCodePoints: [Int]
    let count: Int
    private var pages: [Int: [Unicode.Scalar]] = [:]
    private var lastNumber = -1
    private var last: [Unicode.Scalar] = []

    /// log2 of the scalars per page.
    static let pageShift = 12
    /// Most pages kept (4 MB of scalars).
    static let pageLimit = 256

    init(bytes: UnsafeBufferPointer<UInt8>, blockCodePoints: [Int], count: Int) {
        self.bytes = bytes
        self.blockCodePoints = blockCodePoints
        self.count = count
    }

    /// Scalar `index`, which must be below `count`.
    @inline(__always)
    func scalar(_ index: Int) -> Unicode.Scalar {
        let number = index >> Self.pageShift
        if number != lastNumber { load(number) }
        return last[index & ((1 << Self.pageShift) - 1)]
    }

    private func load(_ number: Int) {
        if let page = pages[number] {
            last = page
        } else {
            let first = number << Self.pageShift, end = min(count, first + (1 << Self.pageShift))
            var page: [Unicode.Scalar] = []
            page.reserveCapacity(end - first)
            if let base = bytes.baseAddress {
                var byte = byteOffset(ofCodePoint: first)
                for _ in first..<end {
                    let (scalar, length) = DirectText.decode(base, at: byte, end: bytes.count)
                    page.append(scalar)
                    byte += length
                }
            }
            if pages.count >= Self.pageLimit { pages.removeAll(keepingCapacity: true) }
            pages[number] = page
            last = page
        }
        lastNumber = number
    }

    /// The byte where code point `offset` starts: from the last block that starts at or
    /// before it, stepping over scalars.
    func byteOffset(ofCodePoint offset: Int) -> Int {
        guard let base = bytes.baseAddress else { return 0 }
        var low = 0, high = blockCodePoints.count
        while low + 1 < high {
            let middle = (low + high) / 2
            if blockCodePoints[middle] <= offset { low = middle } else { high = middle }
        }
        var byte = low << DirectText.blockShift, codePoint = blockCodePoints.isEmpty ? 0 : blockCodePoints[low]
        // the block may start inside the scalar before it, already counted
        while byte < bytes.count && base[byte] & 0xC0 == 0x80 { byte += 1 }
        while codePoint < offset && byte < bytes.count {
            byte += 1
            while byte < bytes.count && base[byte] & 0xC0 == 0x80 { byte += 1 }
            codePoint += 1
        }
        return byte
    }
}

/// ``ScalarPages`` as a collection.
struct PagedScalars: RandomAccessCollection {
    let pages: ScalarPages
    var startIndex: Int { 0 }
    var endIndex: Int { pages.count }
    subscript(position: Int) -> Unicode.Scalar { pages.scalar(position) }
}
