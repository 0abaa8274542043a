import Foundation
import GlossCore

/// A character encoding Gloss reads text files in, as `--encoding NAME` names it.
///
/// Without `--encoding`, a file is read as UTF-8 (a UTF-8 or UTF-16 byte-order mark
/// decides first), and a file that is not valid UTF-8 as Windows-1252 when it is valid
/// there (``TextDecoding/decode(_:forcing:path:)``); a web page as the encoding it declares
/// when it is not valid UTF-8 (``TextDecoding/decodePage(_:forcing:path:)``).
///
/// UTF-8, UTF-16, Windows-1252 and ISO-8859-1 are decoded by Gloss itself; any other
/// encoding the C library's `iconv` knows (Shift_JIS, windows-1251, KOI8-R, GB18030,
/// EUC-KR, ISO-8859-2, …; `iconv -l` lists them) is decoded by `iconv`.
public struct TextEncoding: Hashable, Sendable, CustomStringConvertible {
    /// Who decodes it, and how.
    enum Kind: Hashable, Sendable { case utf8, utf16, utf16LE, utf16BE, windows1252, latin1, iconv }
    let kind: Kind
    /// The name recorded in a store as the extractor of a text decoded from it and
    /// accepted back by ``init(name:)``: `utf-8`, `utf-16`, `utf-16le`, `utf-16be`,
    /// `windows-1252`, `iso-8859-1`, or for an encoding `iconv` decodes its name in lower
    /// case (`shift_jis`).
    public let rawValue: String

    private init(_ kind: Kind, _ rawValue: String) {
        self.kind = kind
        self.rawValue = rawValue
    }

    /// UTF-8 (RFC 3629); a leading UTF-8 byte-order mark is dropped.
    public static let utf8 = TextEncoding(.utf8, "utf-8")
    /// UTF-16 (RFC 2781): the byte-order mark decides the byte order; without one, big
    /// endian, as RFC 2781 §4.3 says.
    public static let utf16 = TextEncoding(.utf16, "utf-16")
    /// UTF-16, little endian; a leading FF FE is dropped as a byte-order mark.
    public static let utf16LE = TextEncoding(.utf16LE, "utf-16le")
    /// UTF-16, big endian; a leading FE FF is dropped as a byte-order mark.
    public static let utf16BE = TextEncoding(.utf16BE, "utf-16be")
    /// Windows-1252 (the WHATWG Encoding Standard's index): Latin-1 with printable
    /// characters (“ ” ‘ ’ – — € …) at 0x80–0x9F, where 0x81, 0x8D, 0x8F, 0x90 and 0x9D are
    /// undefined.
    public static let windows1252 = TextEncoding(.windows1252, "windows-1252")
    /// ISO-8859-1: each byte is the code point of the same number, 0x80–0x9F being C1
    /// control characters.
    public static let latin1 = TextEncoding(.latin1, "iso-8859-1")

    /// The encodings Gloss decodes itself.
    public static let allCases: [TextEncoding] = [.utf8, .utf16, .utf16LE, .utf16BE, .windows1252, .latin1]

    /// Examples of other names, for messages that suggest `--encoding`.
    public static let examples = "windows-1251, Shift_JIS, GB18030, EUC-KR, KOI8-R or ISO-8859-2"

    /// The encoding a name on the command line means, ignoring letter case: `utf-8`
    /// (`utf8`), `utf-16` (`utf16`), `utf-16le`, `utf-16be`, `windows-1252` (`cp1252`),
    /// `latin1` (`iso-8859-1`, `latin-1`), or any other name `iconv_open` accepts (its
    /// letters, digits and `-_.:()`, no `//` suffix); nil for a name it does not know.
    public init?(name: String) {
        switch name.lowercased() {
        case "utf-8", "utf8": self = .utf8
        case "utf-16", "utf16": self = .utf16
        case "utf-16le", "utf16le": self = .utf16LE
        case "utf-16be", "utf16be": self = .utf16BE
        case "windows-1252", "cp1252", "windows1252": self = .windows1252
        case "latin1", "latin-1", "iso-8859-1", "iso8859-1", "iso_8859-1": self = .latin1
        default:
            guard !name.isEmpty, name.utf8.count <= 64,
                  name.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "-_.:()".unicodeScalars.contains($0)) }),
                  IconvDecoder.knows(name) else { return nil }
            self.init(.iconv, name.lowercased())
        }
    }

    /// The encoding's usual spelling in messages: `UTF-8`, `Windows-1252`, `SHIFT_JIS`, ….
    public var label: String {
        switch kind {
        case .utf8: return "UTF-8"
        case .utf16: return "UTF-16"
        case .utf16LE: return "UTF-16LE"
        case .utf16BE: return "UTF-16BE"
        case .windows1252: return "Windows-1252"
        case .latin1: return "ISO-8859-1"
        case .iconv: return rawValue.uppercased()
        }
    }

    /// ``label``.
    public var description: String { label }

    /// Why a name given to `--encoding` is refused: it names it and says what to give.
    public static func unknownNameMessage(_ name: String) -> String {
        "unknown encoding \"\(name)\": give a name iconv knows (iconv -l lists them), for example utf-8, utf-16, windows-1252, latin1, \(examples)"
    }
}

/// Text decoded to UTF-8 from a file's bytes.
public struct DecodedText: Sendable, Equatable {
    /// The text's UTF-8 bytes, without a byte-order mark.
    public var utf8: [UInt8]
    /// The encoding the bytes were read in: ``TextEncoding/utf16`` never appears, its byte
    /// order is resolved to ``TextEncoding/utf16LE`` or ``TextEncoding/utf16BE``.
    public var encoding: TextEncoding
    /// True when the encoding was not named but taken because the bytes are not valid
    /// UTF-8 (Windows-1252): the reader says so.
    public var guessed: Bool
    /// What else the reader should say about the decoding (that a page declares another
    /// encoding than the one its bytes are in), or nil.
    public var notice: String? = nil
}

/// Decodes a file's bytes to UTF-8.
public enum TextDecoding {
    /// `bytes` decoded to UTF-8.
    ///
    /// With `forced` nil: a UTF-16 byte-order mark (FF FE, FE FF) decodes UTF-16 in that
    /// order; otherwise the bytes are UTF-8 (a UTF-8 byte-order mark dropped) when they are
    /// valid UTF-8, else Windows-1252 when they are valid there (none of the five
    /// undefined bytes), marked ``DecodedText/guessed``. With `forced`, that encoding.
    /// - Parameters:
    ///   - bytes: the whole file.
    ///   - forced: the encoding `--encoding` named, or nil.
    ///   - path: the file, for errors.
    /// - Throws: ``DocumentError/binary(path:byteOffset:)`` at a NUL byte (a NUL code unit
    ///   in UTF-16); ``DocumentError/notUTF16(path:byteOffset:)`` for bad UTF-16 after a
    ///   byte-order mark; ``ImportError/undecodable(path:utf8Offset:windows1252Offset:byte:)``
    ///   when neither UTF-8 nor Windows-1252 fits; ``ImportError/notInEncoding(path:encoding:byteOffset:)``
    ///   when the forced encoding does not fit. Offsets count bytes of the file.
    public static func decode(_ bytes: [UInt8], forcing forced: TextEncoding?, path: String) throws -> DecodedText {
        switch forced?.kind {
        case nil:
            if bytes.count >= 2, bytes[0] == 0xFF && bytes[1] == 0xFE || bytes[0] == 0xFE && bytes[1] == 0xFF {
                let littleEndian = bytes[0] == 0xFF
                do {
                    return DecodedText(utf8: try utf16(bytes, from: 2, littleEndian: littleEndian, path: path),
                                       encoding: littleEndian ? .utf16LE : .utf16BE, guessed: false)
                } catch let error as ImportError {
                    guard case .notInEncoding(_, _, let offset) = error else { throw error }
                    // a file that says it is UTF-16 and is not, as Document reports it
                    throw DocumentError.notUTF16(path: path, byteOffset: offset)
                }
            }
            if let nul = firstNUL(bytes) { throw DocumentError.binary(path: path, byteOffset: nul) }
            let mark = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
            guard let bad = firstInvalidUTF8(bytes, from: mark) else {
                return DecodedText(utf8: mark == 0 ? bytes : Array(bytes[mark...]), encoding: .utf8, guessed: false)
            }
            if let undefined = bytes.firstIndex(where: { windows1252Undefined.contains($0) }) {
                throw ImportError.undecodable(path: path, utf8Offset: bad, windows1252Offset: undefined, byte: bytes[undefined])
            }
            // a UTF-8 byte-order mark before Windows-1252 text (an editor's mix) is a mark,
            // dropped as in UTF-8, not the text "ï»¿"
            return DecodedText(utf8: windows1252(mark == 0 ? bytes : Array(bytes[mark...])), encoding: .windows1252, guessed: true)
        case .utf8?:
            if let nul = firstNUL(bytes) { throw DocumentError.binary(path: path, byteOffset: nul) }
            let mark = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
            if let bad = firstInvalidUTF8(bytes, from: mark) {
                throw ImportError.notInEncoding(path: path, encoding: .utf8, byteOffset: bad)
            }
            return DecodedText(utf8: mark == 0 ? bytes : Array(bytes[mark...]), encoding: .utf8, guessed: false)
        case .utf16?, .utf16LE?, .utf16BE?:
            let kind = forced!.kind
            var littleEndian = kind == .utf16LE
            var start = 0
            if bytes.count >= 2 {
                switch (bytes[0], bytes[1], kind) {
                case (0xFF, 0xFE, .utf16), (0xFF, 0xFE, .utf16LE): (littleEndian, start) = (true, 2)
                case (0xFE, 0xFF, .utf16), (0xFE, 0xFF, .utf16BE): (littleEndian, start) = (false, 2)
                default: break
                }
            }
            return DecodedText(utf8: try utf16(bytes, from: start, littleEndian: littleEndian, path: path, named: forced!),
                               encoding: littleEndian ? .utf16LE : .utf16BE, guessed: false)
        case .windows1252?:
            if let nul = firstNUL(bytes) { throw DocumentError.binary(path: path, byteOffset: nul) }
            if let undefined = bytes.firstIndex(where: { windows1252Undefined.contains($0) }) {
                throw ImportError.notInEncoding(path: path, encoding: .windows1252, byteOffset: undefined)
            }
            return DecodedText(utf8: windows1252(bytes), encoding: .windows1252, guessed: false)
        case .latin1?:
            if let nul = firstNUL(bytes) { throw DocumentError.binary(path: path, byteOffset: nul) }
            var output: [UInt8] = []
            output.reserveCapacity(bytes.count + bytes.count / 4)
            for byte in bytes {
                if byte < 0x80 {
                    output.append(byte)
                } else {
                    output.append(0xC0 | byte >> 6)
                    output.append(0x80 | byte & 0x3F)
                }
            }
            return DecodedText(utf8: output, encoding: .latin1, guessed: false)
        case .iconv?:
            return DecodedText(utf8: try IconvDecoder.decode(bytes, from: forced!, path: path), encoding: forced!, guessed: false)
        }
    }

    /// The offset of the first NUL byte of `bytes`, or nil.
    static func firstNUL(_ bytes: [UInt8]) -> Int? {
        bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress, let found = memchr(base, 0, buffer.count) else { return nil }
            return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
        }
    }

    /// The bytes Windows-1252 leaves undefined (WHATWG Encoding Standard, index
    /// windows-1252): a file holding one is not Windows-1252.
    public static let windows1252Undefined: Set<UInt8> = [0x81, 0x8D, 0x8F, 0x90, 0x9D]

    /// The code points of Windows-1252's bytes 0x80–0x9F (0 where undefined); the other
    /// bytes are the code point of the same number.
    static let windows1252High: [UInt32] = [
        0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
        0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
    ]

    /// `bytes`, which hold no undefined byte, decoded from Windows-1252 to UTF-8.
    static func windows1252(_ bytes: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count + bytes.count / 4)
        for byte in bytes {
            if byte < 0x80 {
                output.append(byte)
            } else if byte >= 0xA0 {
                output.append(0xC0 | byte >> 6)
                output.append(0x80 | byte & 0x3F)
            } else {
                output.append(contentsOf: UTF8.encode(Unicode.Scalar(windows1252High[Int(byte - 0x80)])!)!)
            }
        }
        return output
    }

    /// The UTF-8 form of the UTF-16 code units in `bytes` from `start`.
    /// - Throws: ``DocumentError/binary(path:byteOffset:)`` at a NUL code unit;
    ///   ``ImportError/notInEncoding(path:encoding:byteOffset:)`` (encoding `named`) at an
    ///   unpaired surrogate or an odd last byte.
    static func utf16(_ bytes: [UInt8], from start: Int, littleEndian: Bool, path: String,
                      named: TextEncoding = .utf16) throws -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var index = start
        var pendingHigh: UInt32?
        while index + 1 < bytes.count {
            let unit = littleEndian ? UInt32(bytes[index]) | UInt32(bytes[index + 1]) << 8
                                    : UInt32(bytes[index]) << 8 | UInt32(bytes[index + 1])
            if unit == 0 { throw DocumentError.binary(path: path, byteOffset: index) }
            var scalar: UInt32?
            switch unit {
            case 0xD800...0xDBFF:
                if pendingHigh != nil { throw ImportError.notInEncoding(path: path, encoding: named, byteOffset: index - 2) }
                pendingHigh = unit
            case 0xDC00...0xDFFF:
                guard let high = pendingHigh else { throw ImportError.notInEncoding(path: path, encoding: named, byteOffset: index) }
                scalar = 0x10000 + ((high - 0xD800) << 10) + (unit - 0xDC00)
                pendingHigh = nil
            default:
                if pendingHigh != nil { throw ImportError.notInEncoding(path: path, encoding: named, byteOffset: index - 2) }
                scalar = unit
            }
            if let scalar { output.append(contentsOf: UTF8.encode(Unicode.Scalar(scalar)!)!) }
            index += 2
        }
        if pendingHigh != nil { throw ImportError.notInEncoding(path: path, encoding: named, byteOffset: index - 2) }
        if index < bytes.count { throw ImportError.notInEncoding(path: path, encoding: named, byteOffset: index) }
        return output
    }

    /// The offset of the first byte of `bytes` from `start` that does not begin a valid
    /// UTF-8 sequence (RFC 3629: no overlong forms, surrogates or code points above
    /// U+10FFFF), or nil when they are all valid.
    public static func firstInvalidUTF8(_ bytes: [UInt8], from start: Int = 0) -> Int? {
        bytes.withUnsafeBufferPointer { firstInvalidUTF8(in: $0, from: start) }
    }

    private static func firstInvalidUTF8(in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        guard let base = bytes.baseAddress else { return nil }
        let raw = UnsafeRawPointer(base)
        var index = start
        while index < bytes.count {
            // eight ASCII bytes at a time
            if index + 8 <= bytes.count, raw.loadUnaligned(fromByteOffset: index, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                index += 8
                continue
            }
            let lead = bytes[index]
            if lead < 0x80 { index += 1; continue }
            let length: Int, low: UInt8, high: UInt8
            switch lead {
            case 0xC2...0xDF: (length, low, high) = (2, 0x80, 0xBF)
            case 0xE0: (length, low, high) = (3, 0xA0, 0xBF)
            case 0xE1...0xEC, 0xEE...0xEF: (length, low, high) = (3, 0x80, 0xBF)
            case 0xED: (length, low, high) = (3, 0x80, 0x9F)
            case 0xF0: (length, low, high) = (4, 0x90, 0xBF)
            case 0xF1...0xF3: (length, low, high) = (4, 0x80, 0xBF)
            case 0xF4: (length, low, high) = (4, 0x80, 0x8F)
            default: return index
            }
            guard index + length <= bytes.count, (low...high).contains(bytes[index + 1]) else { return index }
            for next in 2..<length where bytes[index + next] & 0xC0 != 0x80 { return index }
            index += length
        }
        return nil
    }
}
