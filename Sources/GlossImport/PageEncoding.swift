import GlossCore

/// The encoding a web page declares for itself, read from its bytes before it is parsed:
/// an XML declaration's `encoding` (XHTML), else the `<meta charset>` or `<meta
/// http-equiv="Content-Type" content="…; charset=…">` found by the WHATWG HTML Standard's
/// "prescan a byte stream to determine its encoding" in the first 1024 bytes. Labels are
/// read as the WHATWG Encoding Standard reads them (`latin1` and `us-ascii` mean
/// windows-1252, `gb2312` GB18030, a UTF-16 label UTF-8, …) and decoded by ``TextEncoding``.
public enum PageEncoding {
    /// Bytes of a page read for its declaration (the HTML Standard's 1024).
    public static let prescanByteCount = 1024

    /// What a page declares: the label as written, where it was found, and the encoding
    /// it means (nil when neither the Encoding Standard's labels nor `iconv` know it, or
    /// for the labels the standard maps to "replacement").
    public struct Declaration: Equatable, Sendable {
        /// The label as the page writes it, trimmed (`windows-1251`).
        public var label: String
        /// `<meta charset>` or `XML declaration`.
        public var source: String
        /// The encoding the label means.
        public var encoding: TextEncoding?
    }

    /// The declaration at the start of `bytes` (a page's first bytes, after any
    /// byte-order mark), or nil when it has none.
    public static func declaration(_ bytes: some Collection<UInt8>) -> Declaration? {
        let head = Array(bytes.prefix(prescanByteCount))
        if let label = xmlEncoding(head) {
            return Declaration(label: label, source: "XML declaration", encoding: encoding(forLabel: label))
        }
        if let label = prescan(head) {
            return Declaration(label: label, source: "<meta charset>", encoding: encoding(forLabel: label))
        }
        return nil
    }

    /// The encoding an Encoding Standard label means, as ``TextEncoding`` decodes it:
    /// the labels whose meaning differs from `iconv`'s name of the same spelling are
    /// mapped (the windows-1252 labels, Shift_JIS as Windows-31J, the GBK labels as
    /// GB18030, EUC-KR as Windows-949, Big5 as Big5-HKSCS, the UTF-16 labels as UTF-8,
    /// `x-user-defined` as windows-1252); other labels go to `iconv` as they are, or
    /// without an `x-` prefix. Nil for the "replacement" labels and unknown ones.
    public static func encoding(forLabel label: String) -> TextEncoding? {
        let name = label.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        switch name {
        case "unicode-1-1-utf-8", "unicode11utf8", "unicode20utf8", "utf-8", "utf8", "x-unicode20utf8":
            return .utf8
        case "csunicode", "iso-10646-ucs-2", "ucs-2", "unicode", "unicodefeff", "utf-16", "utf-16le", "unicodefffe", "utf-16be":
            // a declaration read from ASCII bytes is not in UTF-16 (a UTF-16 page has a
            // byte-order mark, which decides first): UTF-8, as the HTML Standard says
            return .utf8
        case "ansi_x3.4-1968", "ascii", "cp1252", "cp819", "csisolatin1", "ibm819", "iso-8859-1", "iso-ir-100", "iso8859-1",
             "iso88591", "iso_8859-1", "iso_8859-1:1987", "l1", "latin1", "us-ascii", "windows-1252", "x-cp1252", "x-user-defined":
            return .windows1252
        case "csshiftjis", "ms932", "ms_kanji", "shift-jis", "shift_jis", "sjis", "windows-31j", "x-sjis":
            return TextEncoding(name: "WINDOWS-31J")
        case "chinese", "csgb2312", "csiso58gb231280", "gb2312", "gb_2312", "gb_2312-80", "gbk", "iso-ir-58", "x-gbk", "gb18030":
            return TextEncoding(name: "GB18030")
        case "cseuckr", "csksc56011987", "euc-kr", "iso-ir-149", "korean", "ks_c_5601-1987", "ks_c_5601-1989", "ksc5601",
             "ksc_5601", "windows-949":
            return TextEncoding(name: "CP949")
        case "big5", "big5-hkscs", "cn-big5", "csbig5", "x-x-big5":
            return TextEncoding(name: "BIG5-HKSCS")
        case "x-mac-cyrillic", "x-mac-ukrainian":
            return TextEncoding(name: "MAC-CYRILLIC")
        case "csmacintosh", "mac", "macintosh", "x-mac-roman":
            return TextEncoding(name: "MACINTOSH")
        case "iso-8859-8-i", "csiso88598i", "logical":
            return TextEncoding(name: "ISO-8859-8")
        case "csiso2022kr", "hz-gb-2312", "iso-2022-cn", "iso-2022-cn-ext", "iso-2022-kr", "replacement", "":
            return nil
        default:
            if let known = TextEncoding(name: name) { return known }
            if name.hasPrefix("x-") { return TextEncoding(name: String(name.dropFirst(2))) }
            return nil
        }
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x09 || byte == 0x0A || byte == 0x0C || byte == 0x0D || byte == 0x20
    }

    private static func lowered(_ byte: UInt8) -> UInt8 {
        byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte
    }

    /// True when `bytes` at `position` start with `ascii` (lower case), in any letter case.
    private static func matches(_ bytes: [UInt8], at position: Int, _ ascii: String) -> Bool {
        let pattern = Array(ascii.utf8)
        guard position + pattern.count <= bytes.count else { return false }
        for (offset, byte) in pattern.enumerated() where lowered(bytes[position + offset]) != byte { return false }
        return true
    }

    /// The `encoding` of an XML declaration that starts `bytes` (`<?xml version="1.0"
    /// encoding="windows-1251"?>`), or nil.
    static func xmlEncoding(_ bytes: [UInt8]) -> String? {
        guard matches(bytes, at: 0, "<?xml"), bytes.count > 5, isSpace(bytes[5]) else { return nil }
        guard let end = (5..<max(5, bytes.count - 1)).first(where: { bytes[$0] == 0x3F && bytes[$0 + 1] == 0x3E }) else { return nil }
        var position = 5
        while position < end {
            guard matches(bytes, at: position, "encoding"), isSpace(bytes[position - 1]) else {
                position += 1
                continue
            }
            position += 8
            while position < end && isSpace(bytes[position]) { position += 1 }
            guard position < end, bytes[position] == 0x3D else { return nil }
            position += 1
            while position < end && isSpace(bytes[position]) { position += 1 }
            guard position < end, bytes[position] == 0x22 || bytes[position] == 0x27 else { return nil }
            let quote = bytes[position]
            guard let close = bytes[(position + 1)..<end].firstIndex(of: quote) else { return nil }
            let label = String(decoding: bytes[(position + 1)..<close], as: UTF8.self)
            return label.isEmpty ? nil : label
        }
        return nil
    }

    /// The label the HTML Standard's prescan finds in `bytes`, or nil.
    static func prescan(_ bytes: [UInt8]) -> String? {
        var position = 0
        let end = bytes.count
        while position < end {
            if matches(bytes, at: position, "<!--") {
                // to the end of the first "-->" whose dashes may be those of "<!--"
                var close = position + 2
                while close + 2 < end && !(bytes[close] == 0x2D && bytes[close + 1] == 0x2D && bytes[close + 2] == 0x3E) { close += 1 }
                guard close + 2 < end else { return nil }
                position = close + 3
                continue
            }
            if matches(bytes, at: position, "<meta"), position + 5 < end, isSpace(bytes[position + 5]) || bytes[position + 5] == 0x2F {
                position += 5
                var seen = Set<String>()
                var gotPragma = false
                var needPragma: Bool?
                var charset: String?
                while let (name, value) = attribute(bytes, &position) {
                    guard seen.insert(name).inserted else { continue }
                    switch name {
                    case "http-equiv":
                        if value == "content-type" { gotPragma = true }
                    case "content":
                        if charset == nil, let found = charsetInContent(value) {
                            charset = found
                            needPragma = true
                        }
                    case "charset":
                        charset = value
                        needPragma = false
                    default:
                        break
                    }
                }
                if let needPragma, let charset, !(needPragma && !gotPragma),
                   !charset.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                    return charset.trimmingCharacters(in: .whitespacesAndNewlines)
                }
                position += 1
                continue
            }
            if bytes[position] == 0x3C, position + 1 < end {
                let next = bytes[position + 1]
                let letterAt = { (index: Int) in index < end && ((0x41...0x5A).contains(bytes[index]) || (0x61...0x7A).contains(bytes[index])) }
                if letterAt(position + 1) || (next == 0x2F && letterAt(position + 2)) {
                    // a tag: past its name, then past its attributes
                    while position < end && !isSpace(bytes[position]) && bytes[position] != 0x3E { position += 1 }
                    while attribute(bytes, &position) != nil {}
                    position += 1
                    continue
                }
                if next == 0x21 || next == 0x2F || next == 0x3F {
                    while position < end && bytes[position] != 0x3E { position += 1 }
                    position += 1
                    continue
                }
            }
            position += 1
        }
        return nil
    }

    /// The HTML Standard's "get an attribute": the next attribute's name and value (both
    /// with ASCII letters in lower case) from `position`, which it moves past it; nil at a
    /// `>` or the end of the bytes.
    private static func attribute(_ bytes: [UInt8], _ position: inout Int) -> (String, String)? {
        let end = bytes.count
        while position < end && (isSpace(bytes[position]) || bytes[position] == 0x2F) { position += 1 }
        guard position < end, bytes[position] != 0x3E else { return nil }
        var name: [UInt8] = [], value: [UInt8] = []
        func result() -> (String, String) {
            (String(decoding: name, as: UTF8.self), String(decoding: value, as: UTF8.self))
        }
        // the name
        while true {
            guard position < end else { return nil }
            let byte = bytes[position]
            if byte == 0x3D && !name.isEmpty {
                position += 1
                break
            }
            if isSpace(byte) {
                while position < end && isSpace(bytes[position]) { position += 1 }
                guard position < end else { return nil }
                guard bytes[position] == 0x3D else { return result() }
                position += 1
                break
            }
            if byte == 0x2F || byte == 0x3E { return result() }
            name.append(lowered(byte))
            position += 1
        }
        // the value
        while position < end && isSpace(bytes[position]) { position += 1 }
        guard position < end else { return nil }
        let first = bytes[position]
        if first == 0x22 || first == 0x27 {
            position += 1
            while true {
                guard position < end else { return nil }
                if bytes[position] == first {
                    position += 1
                    return result()
                }
                value.append(lowered(bytes[position]))
                position += 1
            }
        }
        if first == 0x3E { return result() }
        while position < end {
            let byte = bytes[position]
            if isSpace(byte) || byte == 0x3E { return result() }
            value.append(lowered(byte))
            position += 1
        }
        return nil
    }

    /// The HTML Standard's "extracting a character encoding from a meta element": the
    /// label after `charset=` in a `content` attribute (`text/html; charset=koi8-r`), or nil.
    static func charsetInContent(_ content: String) -> String? {
        let bytes = Array(content.utf8)
        var position = 0
        while true {
            guard let found = (position..<max(position, bytes.count)).first(where: { matches(bytes, at: $0, "charset") }) else { return nil }
            position = found + 7
            while position < bytes.count && isSpace(bytes[position]) { position += 1 }
            if position < bytes.count && bytes[position] == 0x3D {
                position += 1
                break
            }
        }
        while position < bytes.count && isSpace(bytes[position]) { position += 1 }
        guard position < bytes.count else { return nil }
        let first = bytes[position]
        if first == 0x22 || first == 0x27 {
            guard let close = bytes[(position + 1)...].firstIndex(of: first) else { return nil }
            return String(decoding: bytes[(position + 1)..<close], as: UTF8.self)
        }
        let stop = bytes[position...].firstIndex { isSpace($0) || $0 == 0x3B } ?? bytes.count
        return stop > position ? String(decoding: bytes[position..<stop], as: UTF8.self) : nil
    }
}

extension TextDecoding {
    /// A web page's bytes decoded to UTF-8, honouring the encoding it declares.
    ///
    /// With `forced`, that encoding. Otherwise a byte-order mark decides (UTF-8, UTF-16);
    /// else bytes that are valid UTF-8 are UTF-8 (with a notice when the page declares
    /// another encoding and holds bytes beyond ASCII, which are then not in it: a page
    /// converted without its declaration being updated); else the declared encoding
    /// (``PageEncoding/declaration(_:)``) when there is one other than UTF-8; else as
    /// ``decode(_:forcing:path:)`` decodes a text (Windows-1252 when valid there). A page
    /// of ASCII bytes that declares an ISO-2022 encoding (whose escapes are ASCII) is read
    /// in it.
    /// - Throws: as ``decode(_:forcing:path:)``, and
    ///   ``ImportError/notInDeclaredEncoding(path:declared:byteOffset:)`` when the bytes
    ///   are neither UTF-8 nor in the declared encoding.
    public static func decodePage(_ bytes: [UInt8], forcing forced: TextEncoding?, path: String) throws -> DecodedText {
        if forced != nil || bytes.starts(with: [0xEF, 0xBB, 0xBF]) || bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            return try decode(bytes, forcing: forced, path: path)
        }
        let declared = PageEncoding.declaration(bytes)
        let other = declared?.encoding.flatMap { $0 == .utf8 ? nil : $0 }
        if let nul = firstNUL(bytes) { throw DocumentError.binary(path: path, byteOffset: nul) }
        if firstInvalidUTF8(bytes) == nil {
            guard let other, let declared else { return DecodedText(utf8: bytes, encoding: .utf8, guessed: false) }
            let ascii = !bytes.contains { $0 >= 0x80 }
            if ascii, bytes.contains(0x1B), let decoded = try? decode(bytes, forcing: other, path: path) { return decoded }
            return DecodedText(utf8: bytes, encoding: .utf8, guessed: false,
                               notice: ascii ? nil : "read as UTF-8 although its \(declared.source) says \(declared.label) (the file is valid UTF-8)")
        }
        if let other, let declared {
            do {
                return try decode(bytes, forcing: other, path: path)
            } catch ImportError.notInEncoding(_, _, let offset) {
                throw ImportError.notInDeclaredEncoding(path: path, declared: declared.label, byteOffset: offset)
            }
        }
        var decoded = try decode(bytes, forcing: nil, path: path)
        if let declared, declared.encoding == nil {
            decoded.notice = "its \(declared.source) names an encoding Gloss does not know (\(declared.label))"
        }
        return decoded
    }
}
