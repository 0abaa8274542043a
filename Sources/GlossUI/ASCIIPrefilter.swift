/// The byte-wise first pass of the case-insensitive search for an ASCII text: finds where
/// the bytes of the text's longest word occur ignoring ASCII case (a word: bytes between
/// blanks, line breaks and hyphens; a match may hold any run of blanks where the text has
/// a space, and a line break after a hyphen, ``ReflowedText``, but never inside a word), where
/// a soft hyphen ends a line (a word may go on across it), and where a character that case-folds or
/// canonically decomposes to a byte of the text occurs (``AppState/asciiLookalikes``), 16
/// bytes at a time. Only a paragraph holding one of these can hold a match, so the search
/// hands only those paragraphs to the Unicode-aware matcher; for an absent word that is
/// almost none, even in German or Turkish text.
struct ASCIIPrefilter {
    /// The bytes of the text's longest word with `A`–`Z` lowered.
    let folded: [UInt8]

    /// The UTF-8 of the ``AppState/asciiLookalikes`` that fold to a byte of ``folded``:
    /// the only characters outside ASCII that can be part of a match.
    let lookalikes: [[UInt8]]

    /// The prefilter of a search for `text`: for its text as search reads it
    /// (``ReflowedText/Blanks/collapsed``, so a no-break space or a tab is a space); nil
    /// unless that is ASCII holding a word.
    init?(searchingFor text: String) {
        self.init(Array(ReflowedText(text, blanks: .collapsed).text.utf8))
    }

    /// Nil unless `needle` is ASCII holding a word.
    init?(_ needle: [UInt8]) {
        guard needle.allSatisfy({ $0 < 0x80 }) else { return nil }
        // a match holds each word's bytes as they are, but not the bytes between words
        let words = needle.split { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D || $0 == 0x2D }
        guard let word = words.max(by: { $0.count < $1.count }) else { return nil }
        let folded = word.map(ASCIIPrefilter.lower)
        self.folded = folded
        lookalikes = AppState.asciiLookalikes.filter { $0.foldsTo.contains(where: folded.contains) }.map(\.utf8)
    }

    /// `byte` with `A`–`Z` lowered.
    @inline(__always)
    static func lower(_ byte: UInt8) -> UInt8 { byte &- 0x41 < 26 ? byte | 0x20 : byte }

    /// The first candidate that starts at or after byte `start` and ends by byte `end`
    /// of `bytes`: its start and length in bytes. A candidate is an occurrence of the
    /// text ignoring ASCII case, or of one of its ``lookalikes``.
    func firstCandidate(in bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> (start: Int, count: Int)? {
        guard let base = bytes.baseAddress, start < end, end <= bytes.count else { return nil }
        let count = folded.count
        let firstByte = folded[0], lastByte = folded[count - 1]
        // OR-ing 0x20 into a byte lowers exactly the letters A-Z among the bytes that can
        // then equal a lower-case letter; other needle bytes are compared as they are
        let firstCase: UInt8 = firstByte &- 0x61 < 26 ? 0x20 : 0
        let lastCase: UInt8 = lastByte &- 0x61 < 26 ? 0x20 : 0
        var position = start
        // vectors: a block of 16 starts, reading up to count - 1 bytes past it
        let wantFirst = SIMD16<UInt8>(repeating: firstByte), wantLast = SIMD16<UInt8>(repeating: lastByte)
        let orFirst = SIMD16<UInt8>(repeating: firstCase), orLast = SIMD16<UInt8>(repeating: lastCase)
        let high = SIMD16<UInt8>(repeating: 0x80)
        let raw = UnsafeRawPointer(base)
        while position + 16 + count - 1 <= end {
            let block = raw.loadUnaligned(fromByteOffset: position, as: SIMD16<UInt8>.self)
            let tail = raw.loadUnaligned(fromByteOffset: position + count - 1, as: SIMD16<UInt8>.self)
            let hits = ((block | orFirst) .== wantFirst) .& ((tail | orLast) .== wantLast)
            // with no lookalike to look for, bytes outside ASCII never start a candidate, but
            // for the first byte of a soft hyphen, which may join a word across a line ending
            let softHyphens = block .== SIMD16<UInt8>(repeating: 0xC2)
            let interesting = lookalikes.isEmpty ? hits .| softHyphens : hits .| ((block & high) .== high)
            // any(_:) is not inlined: test the mask's two halves as integers instead
            let words = unsafeBitCast(interesting, to: SIMD2<UInt64>.self)
            if words[0] | words[1] != 0 {
                for lane in 0..<16 where interesting[lane] {
                    if let found = candidate(at: position + lane, in: base, end: end) { return found }
                }
            }
            position += 16
        }
        while position < end {
            if let found = candidate(at: position, in: base, end: end) { return found }
            position += 1
        }
        return nil
    }

    /// The candidate starting at byte `position`, if one does and ends by `end`.
    @inline(__always)
    private func candidate(at position: Int, in base: UnsafePointer<UInt8>, end: Int) -> (start: Int, count: Int)? {
        let byte = base[position]
        if byte == 0xC2, position + 1 < end, base[position + 1] == 0xAD {
            // U+00AD then a line ending, past spaces and tabs: a word hyphenated there
            var next = position + 2
            while next < end && (base[next] == 0x20 || base[next] == 0x09) { next += 1 }
            if next < end && (base[next] == 0x0A || base[next] == 0x0D) { return (position, 2) }
        }
        if byte >= 0x80 {
            guard byte == 0xC3 || byte == 0xC4 || byte == 0xC5 || byte == 0xCD || byte == 0xE1 || byte == 0xE2 || byte == 0xEF else { return nil }
            for lookalike in lookalikes where position + lookalike.count <= end {
                if base[position] == lookalike[0] && base[position + 1] == lookalike[1]
                    && (lookalike.count == 2 || base[position + 2] == lookalike[2]) {
                    return (position, lookalike.count)
                }
            }
            return nil
        }
        let count = folded.count
        guard position + count <= end else { return nil }
        var offset = 0
        while offset < count && ASCIIPrefilter.lower(base[position + offset]) == folded[offset] { offset += 1 }
        return offset == count ? (position, count) : nil
    }
}
