import Foundation
import GlossTestSupport
import Testing
@testable import GlossCore

/// The paragraph index's word-at-a-time scans (UTF-8 and NUL checking, code-point counting,
/// the remembered line-end search) give what a byte-at-a-time reading gives: on every file
/// of the corpus at every alignment, and on hostile bytes placed across word boundaries.
@Suite struct TextScanAgreementTests {
    /// The shared corpus, `../shared/corpus` from the package root.
    static let corpusRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared/corpus")

    // MARK: references

    /// The first NUL or invalid UTF-8 sequence as the standard library's decoder reads the
    /// bytes in order: the offset where it reports an error or decodes U+0000.
    static func decoderProblem(_ bytes: UnsafeBufferPointer<UInt8>) -> (offset: Int, isNUL: Bool)? {
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var offset = 0
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded):
                if encoded.count == 1 && encoded.first == 0 { return (offset, true) }
                offset += encoded.count
            case .error:
                return (offset, false)
            case .emptyInput:
                return nil
            }
        }
    }

    /// The scan the index made before it read words: `memchr` for a NUL, then a byte at a
    /// time with eight ASCII bytes passed at once, before the NUL only.
    static func oldProblem(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> (offset: Int, isNUL: Bool)? {
        if let nul = memchr(bytes, 0, count) {
            let offset = bytes.distance(to: nul.assumingMemoryBound(to: UInt8.self))
            if let bad = oldInvalidUTF8(bytes, offset) { return (bad, false) }
            return (offset, true)
        }
        return oldInvalidUTF8(bytes, count).map { ($0, false) }
    }

    static func oldInvalidUTF8(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> Int? {
        var index = 0
        let raw = UnsafeRawPointer(bytes)
        while index < count {
            if index + 8 <= count, raw.loadUnaligned(fromByteOffset: index, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
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
            guard index + length <= count, (low...high).contains(bytes[index + 1]) else { return index }
            for next in 2..<length where bytes[index + next] & 0xC0 != 0x80 { return index }
            index += length
        }
        return nil
    }

    /// Bytes that are not continuation bytes, one at a time.
    static func oldCount(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> Int {
        var total = 0
        for position in 0..<count where bytes[position] & 0xC0 != 0x80 { total += 1 }
        return total
    }

    /// Checks the fast scans against the references on `bytes` from `start` to `end`;
    /// `label` names the input in failures; `decoder` false leaves out the standard
    /// library's decoder, slow in a debug build. Returns the problem found.
    @discardableResult
    static func compare(_ bytes: [UInt8], _ start: Int, _ end: Int, _ label: String, decoder: Bool = true) -> (offset: Int, isNUL: Bool)? {
        bytes.withUnsafeBufferPointer { all in
            let base = all.baseAddress! + start, count = end - start
            let fast = ParagraphIndex.firstProblem(base, count)
            if decoder {
                let decoded = decoderProblem(UnsafeBufferPointer(start: base, count: count))
                #expect(fast?.offset == decoded?.offset && fast?.isNUL == decoded?.isNUL,
                        "\(label) \(start)..<\(end): fast \(String(describing: fast)), decoder \(String(describing: decoded))")
            }
            let old = oldProblem(base, count)
            #expect(fast?.offset == old?.offset && fast?.isNUL == old?.isNUL,
                    "\(label) \(start)..<\(end): fast \(String(describing: fast)), old \(String(describing: old))")
            let counted = ParagraphIndex.countScalars(base, count)
            #expect(counted == oldCount(base, count), "\(label) \(start)..<\(end): \(counted) code points")
            if fast == nil && decoder {
                let text = String(decoding: UnsafeBufferPointer(start: base, count: count), as: UTF8.self)
                #expect(counted == text.unicodeScalars.count, "\(label) \(start)..<\(end)")
            }
            return fast
        }
    }

    // MARK: the corpus

    @Test("on every corpus file (texts, pages, PDFs), from each of its first 40 bytes to the end and to each of its last 40 (a file over 256 KB from each of its first 8): the same first problem and code-point count as the byte-at-a-time scans and the standard library's decoder")
    func corpusFilesAgree() throws {
        let names = (FileManager.default.enumerator(atPath: Self.corpusRoot.path)?.allObjects as? [String] ?? []).sorted()
        var files = 0, valid = 0, invalid = 0
        for name in names {
            var isFolder: ObjCBool = false
            let path = Self.corpusRoot.appendingPathComponent(name).path
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), !isFolder.boolValue else { continue }
            let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
            files += 1
            if Self.compare(bytes, 0, bytes.count, name) == nil { valid += 1 } else { invalid += 1 }
            // a file over 256 KB at each alignment only, against the byte-at-a-time scans
            let large = bytes.count > 1 << 18
            for start in 1..<max(1, min(large ? 8 : 40, bytes.count)) { Self.compare(bytes, start, bytes.count, name, decoder: !large) }
            for cut in 1..<max(1, min(large ? 0 : 40, bytes.count)) { Self.compare(bytes, 0, bytes.count - cut, name) }
        }
        #expect(files >= 30, "read \(files) corpus files")
        // the corpus has both: its texts are UTF-8, its PDFs are not
        #expect(valid > 0 && invalid > 0, "\(valid) valid, \(invalid) invalid")
    }

    // MARK: hostile bytes

    /// Sequences that are not UTF-8: overlong forms, surrogates, values above U+10FFFF,
    /// bytes that never start a sequence, lone continuation bytes, sequences cut short
    /// (by ASCII, by a NUL or by the end), and a NUL.
    static let hostile: [[UInt8]] = [
        [0xC0, 0x80], [0xC1, 0xBF], [0xE0, 0x80, 0x80], [0xE0, 0x9F, 0xBF], [0xF0, 0x80, 0x80, 0x80], [0xF0, 0x8F, 0xBF, 0xBF],
        [0xED, 0xA0, 0x80], [0xED, 0xBF, 0xBF], [0xED, 0xB0, 0x80],
        [0xF4, 0x90, 0x80, 0x80], [0xF5, 0x80, 0x80, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80], [0xFE], [0xFF],
        [0x80], [0xBF], [0x80, 0x80, 0x80],
        [0xC3], [0xE2, 0x82], [0xF0, 0x9F, 0x98], [0xC3, 0x41], [0xE2, 0x41, 0x82], [0xF0, 0x9F, 0x41, 0x80],
        [0xC3, 0x00], [0xE2, 0x82, 0x00], [0x00],
    ]

    /// Valid sequences of each length, the extremes included.
    static let valid: [[UInt8]] = [
        [0x41], [0x7F], [0xC2, 0x80], [0xC3, 0xA9], [0xDF, 0xBF], [0xE0, 0xA0, 0x80], [0xE2, 0x80, 0x94], [0xED, 0x9F, 0xBF],
        [0xEE, 0x80, 0x80], [0xEF, 0xBF, 0xBF], [0xF0, 0x90, 0x80, 0x80], [0xF0, 0x9F, 0x98, 0x80], [0xF4, 0x8F, 0xBF, 0xBF],
    ]

    @Test("each hostile sequence, at each of 70 places in ASCII with valid sequences before it and at the end: the same problem as the references, at the same offset, in every prefix")
    func hostileSequencesAtEveryAlignment() {
        let ascii = Array("The quick brown fox jumps over the lazy dog; pack my box with five dozen liquor jugs!".utf8)
        for (number, bad) in Self.hostile.enumerated() {
            for place in 0..<70 {
                // valid text before, so the fast path meets sequences of each length first
                var bytes = Array(ascii.prefix(place))
                if place >= 10 { bytes.replaceSubrange(3..<5, with: [0xC3, 0xA9]) }
                if place >= 20 { bytes.replaceSubrange(12..<16, with: [0xF0, 0x9F, 0x98, 0x80]) }
                if place >= 30 { bytes.replaceSubrange(25..<28, with: [0xE2, 0x80, 0x94]) }
                let at = bytes.count
                bytes += bad
                let whole = Self.compare(bytes, 0, bytes.count, "hostile \(number) at \(place), at the end")
                #expect(whole?.offset == at, "hostile \(number) at \(place): found \(String(describing: whole)), placed at \(at)")
                bytes += ascii.prefix(40)
                let inside = Self.compare(bytes, 0, bytes.count, "hostile \(number) at \(place)")
                #expect(inside?.offset == at)
                // every prefix that cuts into the sequence or the words around it
                for end in max(0, at - 8)..<min(bytes.count, at + bad.count + 9) { Self.compare(bytes, 0, end, "hostile \(number) at \(place)") }
            }
        }
    }

    @Test("4,000 random mixes of ASCII runs, valid and hostile sequences: the same first problem and code-point count as the references from every start")
    func randomMixes() {
        var random = SeededGenerator(seed: 0x676C_6F73_73)
        var problems = 0, clean = 0
        for round in 0..<4_000 {
            var bytes: [UInt8] = []
            let withHostile = round % 3 != 0
            while bytes.count < 120 {
                switch random.next() % 8 {
                case 0, 1, 2:
                    bytes += (0..<Int(random.next() % 40)).map { _ in UInt8(0x20 + random.next() % 0x5F) }
                case 3, 4, 5:
                    bytes += Self.valid[Int(random.next() % UInt64(Self.valid.count))]
                case 6 where withHostile && random.next() % 4 == 0:
                    bytes += Self.hostile[Int(random.next() % UInt64(Self.hostile.count))]
                default:
                    bytes.append(UInt8(random.next() % 256) & (withHostile ? 0xFF : 0x7F) | (withHostile ? 0 : 1))
                }
            }
            for start in 0..<9 {
                if Self.compare(bytes, start, bytes.count, "mix \(round)") == nil { clean += 1 } else { problems += 1 }
            }
        }
        #expect(problems > 1_000 && clean > 1_000, "\(problems) inputs with a problem, \(clean) without")
    }

    @Test("long stretches: ASCII over many 32-byte steps with a sequence or a NUL only at the very end, and code-point counts past the 63-step fold")
    func longStretches() {
        for length in [31, 32, 33, 63, 64, 65, 2_015, 2_016, 2_017, 2_048, 4_033, 10_000] {
            let ascii = [UInt8](repeating: 0x61, count: length)
            #expect(Self.compare(ascii, 0, length, "ascii \(length)") == nil)
            for bad in [[0x00], [0x80], [0xE2, 0x82], [0xED, 0xA0, 0x80]] as [[UInt8]] {
                let bytes = ascii + bad
                #expect(Self.compare(bytes, 0, bytes.count, "ascii \(length) then \(bad)")?.offset == length)
            }
            // all continuation bytes after one lead: counts only, every lane at its largest
            let continuations = [UInt8](repeating: 0x80, count: length)
            #expect(ParagraphIndex.countScalars(continuations, length) == 0)
            let accents = [UInt8]((0..<length).flatMap { _ in [0xC3, 0xA9] as [UInt8] })
            #expect(Self.compare(accents, 0, accents.count, "accents \(length)") == nil)
            #expect(ParagraphIndex.countScalars(accents, accents.count) == length)
        }
    }

    // MARK: the line-end search

    @Test("an index made a chunk at a time, its text growing as a transcoder's does, around a line longer than the chunks: the same paragraphs, offsets and code points as one made at once, with line feeds, CR LF, lone carriage returns or a mix of them")
    func growingTextAroundAGiantLine() {
        for lineEnd in ["\n", "\r\n", "\r", "mixed"] { growingText(lineEnd: lineEnd) }
    }

    func growingText(lineEnd: String) {
        var random = SeededGenerator(seed: 7)
        let ends: [[UInt8]] = lineEnd == "mixed" ? [[0x0A], [0x0D, 0x0A], [0x0D]] : [Array(lineEnd.utf8)]
        func end() -> [UInt8] { ends[Int(random.next() % UInt64(ends.count))] }
        let sentence = Array("Pierre said — «Ça va?» — and 日本語 went on. ".utf8)
        var text: [UInt8] = Array("A title".utf8) + end() + end()
        for _ in 0..<30 { text += sentence }
        text += end() + end() + Array("short line".utf8) + end()
        for _ in 0..<3_000 { text += sentence }  // one line of about 150 KB
        text += end() + Array("last line".utf8) + end() + end()
        for _ in 0..<200 { text += sentence; if random.next() % 5 == 0 { text += end() } }
        text.withUnsafeBufferPointer { buffer in
            let base = buffer.baseAddress!
            var whole = ParagraphIndex(fileOffset: 0, validated: false, byteCount: text.count)
            whole.extend(base, text.count, upTo: text.count)
            #expect(whole.complete && whole.problem == nil)
            for step in [4_096, 65_536, 100_000] {
                var grown = ParagraphIndex(fileOffset: 0, validated: false, byteCount: text.count)
                var available = 0
                while !grown.complete {
                    // more text arrives, ending at a line end as a transcoder's parts do
                    available = plainLineEnd(base, text.count, from: available, target: available + step)
                    _ = grown.check(base, available, upTo: grown.scannedBytes + step / 2)
                    grown.extend(base, available, final: available == text.count, upTo: grown.scannedBytes + step)
                }
                #expect(grown.paragraphs.all == whole.paragraphs.all, "\(lineEnd.debugDescription) step \(step)")
                #expect(grown.scannedCodePoints == whole.scannedCodePoints && grown.scannedBytes == text.count)
            }
        }
        let document = Document(text: String(decoding: text, as: UTF8.self))
        #expect(document.length == String(decoding: text, as: UTF8.self).unicodeScalars.count)
        // the paragraphs are those of the same text with line feeds
        if lineEnd != "\n" {
            var feeds: [UInt8] = []
            for (index, byte) in text.enumerated() where !(byte == 0x0A && index > 0 && text[index - 1] == 0x0D) {
                feeds.append(byte == 0x0D ? 0x0A : byte)
            }
            let plain = Document(text: String(decoding: feeds, as: UTF8.self))
            #expect(document.paragraphCount == plain.paragraphCount && document.paragraphs.map(\.kind) == plain.paragraphs.map(\.kind),
                    "\(lineEnd.debugDescription)")
        }
    }

    @Test("the line-break search (the line feed's remembered search, carriage returns looked for 64 KB ahead) ends each line where a byte-at-a-time reading does: LF, CR LF, lone CR and CR CR LF in random mixes, lines across the look-ahead, asked in order, backwards and at random")
    func lineBreaksAgree() {
        var random = SeededGenerator(seed: 0x0D0A)
        for round in 0..<12 {
            var text: [UInt8] = []
            let ends: [[UInt8]] = [[0x0A], [0x0D, 0x0A], [0x0D], [0x0D, 0x0D, 0x0A], [0x0A, 0x0D]]
            // a text without carriage returns, one without line feeds, and mixes
            let allowed = round == 0 ? [0] : round == 1 ? [2] : Array(0..<ends.count)
            while text.count < 300_000 {
                let length = random.next() % 40 == 0 ? Int(random.next() % 90_000) : Int(random.next() % 120)
                text += (0..<length).map { _ in UInt8(0x61 + random.next() % 26) }
                text += ends[allowed[Int(random.next() % UInt64(allowed.count))]]
            }
            text.withUnsafeBufferPointer { buffer in
                let base = buffer.baseAddress!, count = text.count
                func reference(_ from: Int) -> Int { ParagraphIndex.lineBreak(base, count, from: from).next }
                // in order, line by line, as the index walks
                var walk = ParagraphIndex(fileOffset: 0, validated: true, byteCount: count)
                var from = 0, lines = 0
                while from < count {
                    let next = walk.lineBreakEnd(base, count, after: from)
                    #expect(next == reference(from), "round \(round) at \(from)")
                    guard next == reference(from) else { return }
                    from = next
                    lines += 1
                }
                #expect(lines > 100)
                // checking ahead then indexing behind, and random places, with the same searches remembered
                var jumping = ParagraphIndex(fileOffset: 0, validated: true, byteCount: count)
                for _ in 0..<3_000 {
                    let at = Int(random.next() % UInt64(count))
                    let found = jumping.lineBreakEnd(base, count, after: at)
                    #expect(found == reference(at), "round \(round) at \(at)")
                    if found != reference(at) { return }
                    // and the line start the index reads next
                    #expect(ParagraphIndex.startsLine(base, count, at: found))
                }
            }
        }
    }
}

/// The first line end at or after byte `target` (at least one byte past `from`) of the
/// `count` bytes at `base`, or `count`, byte by byte: where a transcoder's part ends in the
/// tests above, which must not share the index's remembered searches. A line ends after a
/// line feed, after a CR LF, or after a carriage return no line feed follows.
private func plainLineEnd(_ base: UnsafePointer<UInt8>, _ count: Int, from: Int, target: Int) -> Int {
    var position = min(count, max(target, from + 1)) - 1
    while position < count {
        let byte = base[position]
        if byte == 0x0A { return position + 1 }
        if byte == 0x0D { return position + 1 < count && base[position + 1] == 0x0A ? position + 2 : position + 1 }
        position += 1
    }
    return count
}
