/// Byte scans shared by the store's reader and writer, eight bytes at a time.
enum JSONBytes {
    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let highs: UInt64 = 0x8080_8080_8080_8080

    /// The bits marking (at least) the first byte of `word` that ends a plain run of a JSON
    /// string: a control character (below 0x20), `"` or `\`; the lowest set bit is exact,
    /// as borrows only carry towards later bytes.
    @inline(__always) static func specials(_ word: UInt64) -> UInt64 {
        let control = (word &- ones &* 0x20) & ~word & highs
        let quote = word ^ (ones &* 0x22), backslash = word ^ (ones &* 0x5C)
        let quotes = (quote &- ones) & ~quote & highs
        let backslashes = (backslash &- ones) & ~backslash & highs
        return control | quotes | backslashes
    }

    /// The offset of the first control character, `"` or `\` in `bytes[start..<end]`, or
    /// `end` when there is none.
    @inline(__always) static func firstSpecial(_ bytes: UnsafePointer<UInt8>, from start: Int, to end: Int) -> Int {
        var index = start
        let raw = UnsafeRawPointer(bytes)
        while index + 8 <= end {
            let found = specials(UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)))
            if found != 0 { return index + found.trailingZeroBitCount / 8 }
            index += 8
        }
        while index < end {
            let byte = bytes[index]
            if byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { return index }
            index += 1
        }
        return end
    }

    /// Whether `bytes[start..<end]` are all ASCII.
    @inline(__always) static func isASCII(_ bytes: UnsafePointer<UInt8>, from start: Int, to end: Int) -> Bool {
        var index = start
        let raw = UnsafeRawPointer(bytes)
        var high: UInt64 = 0
        while index + 8 <= end {
            high |= raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            index += 8
        }
        if high & highs != 0 { return false }
        while index < end {
            if bytes[index] >= 0x80 { return false }
            index += 1
        }
        return true
    }
}
