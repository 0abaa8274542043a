import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The UTF-8 form of a UTF-16 file with a byte-order mark, made a part at a time so that a
/// large file shows its start at once (RFC 2781; FF FE little-endian, FE FF big-endian).
///
/// The output goes into one anonymous mapping of 3 bytes per code unit, the most UTF-8 a
/// code unit can need, of which only the pages written are memory; bytes once written never
/// change, so readers may read below ``available`` while later parts are made. The owner
/// serialises the calls to ``advance(to:)`` (``Document`` holds its lock).
final class UTF16Transcoder: @unchecked Sendable {
    /// The file's bytes, byte-order mark included.
    private let source: UnsafeBufferPointer<UInt8>
    private let littleEndian: Bool
    private let path: String
    /// The UTF-8 output.
    let output: UnsafeMutablePointer<UInt8>
    /// Bytes reserved for ``output``.
    let capacity: Int
    /// File bytes read so far (from the start of the file, the mark included).
    private(set) var consumed = 2
    /// UTF-8 bytes written so far.
    private(set) var produced = 0
    /// UTF-8 bytes that end at a line end (after a line feed or a lone carriage return), or all of them once
    /// ``finished``: the text that may be shown and indexed.
    private(set) var available = 0
    /// True once the whole file was read, or a problem stopped the reading.
    private(set) var finished = false
    /// What stopped the reading before the file's end: a NUL code unit
    /// (``DocumentError/binary(path:byteOffset:)``), an unpaired surrogate or an odd last
    /// byte (``DocumentError/notUTF16(path:byteOffset:)``); offsets count file bytes.
    private(set) var problem: DocumentError?

    /// A transcoder of `source` (which starts with FF FE or FE FF), nothing read yet; nil
    /// when the output cannot be reserved.
    init?(source: UnsafeBufferPointer<UInt8>, path: String) {
        guard source.count >= 2, let base = source.baseAddress else { return nil }
        self.source = source
        littleEndian = base[0] == 0xFF
        self.path = path
        capacity = max(4096, (source.count / 2) * 3 + 8)
        guard let mapped = mmap(nil, capacity, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), mapped != MAP_FAILED else {
            return nil
        }
        output = mapped.assumingMemoryBound(to: UInt8.self)
    }

    deinit {
        munmap(output, capacity)
    }

    /// Reads on until ``available`` reaches `target` UTF-8 bytes (stopping after the next line
    /// break: a line feed, or a carriage return alone), or the file ends or a problem stops it.
    func advance(to target: Int) {
        guard !finished, let base = source.baseAddress else { return }
        let end = source.count
        var read = consumed, written = produced, lineEnd = available
        let out = output
        @inline(__always) func unit(_ at: Int) -> UInt16 {
            littleEndian ? UInt16(base[at]) | UInt16(base[at + 1]) << 8 : UInt16(base[at]) << 8 | UInt16(base[at + 1])
        }
        while read + 1 < end {
            let value = unit(read)
            if value < 0x80 {
                if value == 0 {
                    stop(.binary(path: path, byteOffset: read), read: read, written: written, lineEnd: lineEnd)
                    return
                }
                out[written] = UInt8(value)
                written += 1
                read += 2
                // a line ends after a line feed, or after a carriage return that no line
                // feed follows (never between the two of a CR LF)
                if value == 0x0A || (value == 0x0D && (read + 1 >= end || unit(read) != 0x0A)) {
                    lineEnd = written
                    if written >= target { break }
                }
            } else if value < 0x800 {
                out[written] = UInt8(0xC0 | value >> 6)
                out[written + 1] = UInt8(0x80 | value & 0x3F)
                written += 2
                read += 2
            } else if value & 0xF800 != 0xD800 {
                out[written] = UInt8(0xE0 | value >> 12)
                out[written + 1] = UInt8(0x80 | (value >> 6) & 0x3F)
                out[written + 2] = UInt8(0x80 | value & 0x3F)
                written += 3
                read += 2
            } else {
                // a high surrogate, then a low one
                guard value < 0xDC00, read + 3 < end else {
                    stop(.notUTF16(path: path, byteOffset: read), read: read, written: written, lineEnd: lineEnd)
                    return
                }
                let low = unit(read + 2)
                guard low & 0xFC00 == 0xDC00 else {
                    stop(.notUTF16(path: path, byteOffset: read), read: read, written: written, lineEnd: lineEnd)
                    return
                }
                let scalar = 0x10000 + (UInt32(value & 0x3FF) << 10 | UInt32(low & 0x3FF))
                out[written] = UInt8(0xF0 | scalar >> 18)
                out[written + 1] = UInt8(0x80 | (scalar >> 12) & 0x3F)
                out[written + 2] = UInt8(0x80 | (scalar >> 6) & 0x3F)
                out[written + 3] = UInt8(0x80 | scalar & 0x3F)
                written += 4
                read += 4
            }
        }
        consumed = read
        produced = written
        available = lineEnd
        if read + 1 >= end {
            if read < end {
                stop(.notUTF16(path: path, byteOffset: read), read: read, written: written, lineEnd: lineEnd)
                return
            }
            available = written
            finished = true
        }
    }

    /// Ends the reading at a problem at file byte `read`: the text shown ends with the last
    /// whole line before it, as a bad byte in UTF-8 text does.
    private func stop(_ problem: DocumentError, read: Int, written: Int, lineEnd: Int) {
        self.problem = problem
        consumed = read
        produced = written
        available = lineEnd
        finished = true
    }

    /// UTF-8 bytes the whole text will take, estimated from the part made so far while it
    /// is being made (for a percentage); exact once ``finished``.
    var estimatedCount: Int {
        if finished { return available }
        let read = max(1, consumed - 2)
        return Int(Double(produced) * Double(source.count - 2) / Double(read))
    }
}
