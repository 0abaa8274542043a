import Foundation

/// A paragraph of a ``Document``: a maximal run of non-blank lines, or a single line in a
/// text that has no blank lines.
///
/// `range` is in code points (Unicode scalars) of the document text, end exclusive, and
/// excludes the line ending after the paragraph's last line; line endings inside the
/// paragraph are part of it. `byteRange` is the same span in bytes of the UTF-8 text.
public struct Paragraph: Hashable, Sendable {
    /// Code-point range in the document text, end exclusive.
    public let range: Range<Int>
    /// UTF-8 byte range in the document text (after any byte-order mark), end exclusive.
    public let byteRange: Range<Int>
}

/// Errors raised while opening a document.
public enum DocumentError: Error, CustomStringConvertible, Equatable {
    /// The file could not be read; `reason` is the system's message.
    case unreadable(path: String, reason: String)
    /// The file's bytes are not valid UTF-8 at `byteOffset`.
    case notUTF8(path: String, byteOffset: Int)
    /// The file holds a NUL byte at `byteOffset`: it is binary, not text.
    case binary(path: String, byteOffset: Int)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason):
            return "\(path): cannot read the document: \(reason)"
        case .notUTF8(let path, let offset):
            return "\(path): not valid UTF-8 text (first bad byte at offset \(offset)); convert it first, for example with iconv -f LATIN1 -t UTF-8"
        case .binary(let path, let offset):
            return "\(path): a binary file, not text (NUL byte at offset \(offset))"
        }
    }
}

/// The text a reader shows and annotations point into.
///
/// The text is the file decoded as UTF-8 without a leading byte-order mark (DESIGN.md §2);
/// line endings are kept, so CRLF counts as two code points. All offsets in the public API
/// are code points (Unicode scalars) from 0, end exclusive. The text is held as UTF-8 bytes
/// and addressed through a paragraph index, so look-ups cost a binary search plus a walk
/// within one paragraph, never a walk over the whole text.
public final class Document: @unchecked Sendable {
    /// The path the document was opened from, as given.
    public let path: String
    /// The UTF-8 bytes of the text (no byte-order mark).
    public let bytes: [UInt8]
    /// The paragraphs in document order.
    public let paragraphs: [Paragraph]
    /// Length of the text in code points.
    public let length: Int

    private let paragraphStarts: [Int]

    /// Creates a document from text already in memory.
    /// - Parameters:
    ///   - text: the document text; a leading U+FEFF is dropped as a byte-order mark.
    ///   - path: where the text came from, used in messages and exports.
    public convenience init(text: String, path: String = "untitled.txt") {
        var bytes = Array(text.utf8)
        if bytes.starts(with: Document.byteOrderMark) { bytes.removeFirst(3) }
        self.init(validatedBytes: bytes, path: path)
    }

    /// Opens a text file: UTF-8, with or without a byte-order mark, or UTF-16 with a
    /// byte-order mark (decoded; the document text is then its UTF-8 form).
    /// - Parameter path: the file's path.
    /// - Throws: ``DocumentError/unreadable(path:reason:)`` when the file cannot be read,
    ///   ``DocumentError/binary(path:byteOffset:)`` when it holds a NUL byte, and
    ///   ``DocumentError/notUTF8(path:byteOffset:)`` when its bytes are not valid UTF-8
    ///   (or not valid UTF-16 after a UTF-16 byte-order mark). Offsets count file bytes.
    public convenience init(contentsOfFile path: String) throws {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw DocumentError.unreadable(path: path, reason: Document.reason(for: error, path: path))
        }
        var bytes = [UInt8](data)
        if let utf16 = try Document.decodeUTF16(bytes, path: path) {
            bytes = utf16
        } else {
            var markLength = 0
            if bytes.starts(with: Document.byteOrderMark) { bytes.removeFirst(3); markLength = 3 }
            if let nul = bytes.firstIndex(of: 0) {
                throw DocumentError.binary(path: path, byteOffset: markLength + nul)
            }
            if let bad = Document.firstInvalidUTF8Byte(in: bytes) {
                throw DocumentError.notUTF8(path: path, byteOffset: markLength + bad)
            }
        }
        self.init(validatedBytes: bytes, path: path)
    }

    /// The UTF-8 form of a UTF-16 file with a byte-order mark (FF FE little-endian, FE FF
    /// big-endian), without the mark; nil when `bytes` do not start with one.
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
        if index < bytes.count { throw DocumentError.notUTF8(path: path, byteOffset: index) }
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
                throw DocumentError.notUTF8(path: path, byteOffset: 2 + unitOffset * 2)
            }
        }
    }

    private init(validatedBytes bytes: [UInt8], path: String) {
        self.path = path
        self.bytes = bytes
        let (paragraphs, length) = Document.indexParagraphs(bytes)
        self.paragraphs = paragraphs
        self.paragraphStarts = paragraphs.map(\.range.lowerBound)
        self.length = length
    }

    static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// The file name without folders, for titles and the status line.
    public var fileName: String {
        path.split(separator: "/").last.map(String.init) ?? path
    }

    /// The longest first paragraph, in code points, that counts as a title.
    public static let maximumTitleLength = 120

    /// The first paragraph without surrounding spaces when it is a title: a single line
    /// of at most ``maximumTitleLength`` code points; nil otherwise. Reads only that line.
    public var title: String? {
        guard let first = paragraphs.first, first.range.count <= Document.maximumTitleLength,
              !bytes[first.byteRange].contains(where: { $0 == 0x0A || $0 == 0x0D }) else { return nil }
        let line = text(ofParagraph: 0).trimmingCharacters(in: .whitespaces)
        return line.isEmpty ? nil : line
    }

    /// The whole text. Costs time and memory proportional to the document.
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    /// The text of paragraph `index`.
    public func text(ofParagraph index: Int) -> String {
        String(decoding: bytes[paragraphs[index].byteRange], as: UTF8.self)
    }

    /// The text in `range` (code points, end exclusive), clamped to the document.
    public func text(in range: Range<Int>) -> String {
        let lower = max(0, min(range.lowerBound, length))
        let upper = max(lower, min(range.upperBound, length))
        let start = byteOffset(ofCodePoint: lower)
        let end = byteOffset(ofCodePoint: upper, from: (lower, start))
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }

    /// The index of the paragraph that contains `offset`, or of the last paragraph that
    /// starts before it when `offset` falls between paragraphs; nil before the first.
    /// Binary search: O(log paragraphs).
    public func paragraphIndex(atOrBefore offset: Int) -> Int? {
        var low = 0, high = paragraphStarts.count
        while low < high {
            let mid = (low + high) / 2
            if paragraphStarts[mid] <= offset { low = mid + 1 } else { high = mid }
        }
        return low == 0 ? nil : low - 1
    }

    /// The index of the first paragraph whose range ends after `offset`, or nil.
    public func paragraphIndex(atOrAfter offset: Int) -> Int? {
        if let index = paragraphIndex(atOrBefore: offset), paragraphs[index].range.upperBound > offset {
            return index
        }
        let next = (paragraphIndex(atOrBefore: offset) ?? -1) + 1
        return next < paragraphs.count ? next : nil
    }

    /// Byte offset of code point `offset`, walking from the nearest known position.
    func byteOffset(ofCodePoint offset: Int, from known: (codePoint: Int, byte: Int)? = nil) -> Int {
        var codePoint = 0, byte = 0
        if let index = paragraphIndex(atOrBefore: offset) {
            codePoint = paragraphs[index].range.lowerBound
            byte = paragraphs[index].byteRange.lowerBound
        }
        if let known, known.codePoint <= offset, known.codePoint >= codePoint {
            codePoint = known.codePoint
            byte = known.byte
        }
        while codePoint < offset && byte < bytes.count {
            byte += 1
            while byte < bytes.count && bytes[byte] & 0xC0 == 0x80 { byte += 1 }
            codePoint += 1
        }
        return byte
    }

    /// Splits UTF-8 bytes into paragraphs (DESIGN.md: blank lines separate paragraphs; a
    /// text without blank lines has one paragraph per line) and counts code points.
    static func indexParagraphs(_ bytes: [UInt8]) -> ([Paragraph], Int) {
        struct Line { var bytes: Range<Int>; var codePoints: Range<Int>; var blank: Bool }
        var lines: [Line] = []
        var lineStartByte = 0, lineStartCP = 0, codePoint = 0
        var blank = true
        var contentEndByte = 0, contentEndCP = 0
        var index = 0
        let count = bytes.count
        while index < count {
            let byte = bytes[index]
            if byte == 0x0A {
                lines.append(Line(bytes: lineStartByte..<contentEndByte, codePoints: lineStartCP..<contentEndCP, blank: blank))
                index += 1; codePoint += 1
                lineStartByte = index; lineStartCP = codePoint
                contentEndByte = index; contentEndCP = codePoint
                blank = true
                continue
            }
            if byte & 0xC0 != 0x80 { codePoint += 1 }
            index += 1
            if byte == 0x0D {
                continue  // a CR before LF ends the line's content; elsewhere it is whitespace
            }
            if byte != 0x20 && byte != 0x09 {
                blank = false
            }
            contentEndByte = index; contentEndCP = codePoint
            // include continuation bytes of this scalar in the content end
            while contentEndByte < count && bytes[contentEndByte] & 0xC0 == 0x80 {
                contentEndByte += 1; index += 1
            }
        }
        if lineStartByte < count {
            lines.append(Line(bytes: lineStartByte..<contentEndByte, codePoints: lineStartCP..<contentEndCP, blank: blank))
        }
        // Only a blank line between two non-blank lines separates paragraphs; blank lines
        // before the first or after the last text line do not.
        let hasBlankSeparator: Bool = {
            guard let first = lines.firstIndex(where: { !$0.blank }),
                  let last = lines.lastIndex(where: { !$0.blank }) else { return false }
            return lines[first...last].contains(where: \.blank)
        }()
        var paragraphs: [Paragraph] = []
        var current: (bytes: Range<Int>, codePoints: Range<Int>)?
        for line in lines {
            if line.blank {
                if let run = current { paragraphs.append(Paragraph(range: run.codePoints, byteRange: run.bytes)) }
                current = nil
            } else if hasBlankSeparator, let run = current {
                current = (run.bytes.lowerBound..<line.bytes.upperBound, run.codePoints.lowerBound..<line.codePoints.upperBound)
            } else {
                if let run = current { paragraphs.append(Paragraph(range: run.codePoints, byteRange: run.bytes)) }
                current = (line.bytes, line.codePoints)
            }
        }
        if let run = current { paragraphs.append(Paragraph(range: run.codePoints, byteRange: run.bytes)) }
        return (paragraphs, codePoint)
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

    static func reason(for error: Error, path: String) -> String {
        var isDirectory: ObjCBool = false
        if !FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            return "no such file"
        }
        if isDirectory.boolValue { return "it is a folder" }
        if !FileManager.default.isReadableFile(atPath: path) { return "permission denied" }
        return (error as NSError).localizedDescription
    }
}
