import Foundation
import GlossCore

/// Case-insensitive search in slices between keys.
extension AppState {
    /// Starts looking for the next (or previous) case-insensitive match of `text` after
    /// (before) the focused sentence, wrapping around the document, and moves the focus to
    /// the sentence of the match. The search runs a paragraph at a time in slices of
    /// ``searchSlice`` seconds: ``continueSearch(forSeconds:)`` goes on with it between
    /// keys, and any key stops it (and does nothing else).
    mutating func search(for text: String, forward: Bool) {
        guard let range = focusRange, !document.isEmpty else { return }
        searchJob = SearchJob(text: text, forward: forward, startParagraph: focus?.paragraph ?? 0,
                              focusRange: range, step: 0, count: document.paragraphCount)
        continueSearch(forSeconds: AppState.searchSlice)
    }

    /// The code points where `text` starts in paragraph `index`, case-insensitively, as
    /// Foundation finds them (folding case in all of Unicode, canonically equivalent text
    /// equal), in the text as the reader shows it (``ReflowedText``, ``ReflowedText/Blanks/collapsed``):
    /// a space of `text` (or a run of blanks) matches any run of the blanks the reader
    /// draws as empty columns (spaces, tabs, no-break spaces, ``ReflowedText/isBlank(_:)``)
    /// and a line break inside the paragraph with the blanks around it, and a word broken
    /// at a hyphen and a line break matches the word joined, while a blank line, which
    /// ends the paragraph, is never crossed. A paragraph searched in windows
    /// (``matchWindows(of:in:)``) gives the same matches as one searched whole. For an
    /// ASCII `text`, a byte-wise pass first rules out the paragraphs that
    /// cannot match, which is most of them: an ASCII text can only match where its bytes
    /// match ignoring ASCII case, or through the few characters that fold or decompose to
    /// ASCII (``asciiLookalikes``).
    static func matches(of text: String, inParagraph index: Int, of document: Document) -> [Int] {
        matchRanges(of: text, inParagraph: index, of: document).map(\.lowerBound)
    }

    /// The code points each match of `text` in paragraph `index` covers (see
    /// ``matches(of:inParagraph:of:)``); a match may be longer or shorter than `text`
    /// when case folding, canonical equivalence or a line break made it match, and covers
    /// the line break and the blanks it crosses.
    public static func matchRanges(of text: String, inParagraph index: Int, of document: Document) -> [Range<Int>] {
        guard let paragraph = document.paragraph(index) else { return [] }
        let prefilter = ASCIIPrefilter(searchingFor: text)
        return matchWindows(of: paragraph, in: document).flatMap {
            windowMatchRanges(of: text, in: $0, paragraph: paragraph, prefilter: prefilter, of: document)
        }
    }

    /// ``matchRanges(of:inParagraph:of:)`` without the byte-wise first pass: the
    /// Unicode-aware matcher alone, on paragraph `index` (`paragraph`).
    static func unicodeMatchRanges(of text: String, in paragraph: Paragraph, index: Int, of document: Document) -> [Range<Int>] {
        matchWindows(of: paragraph, in: document).flatMap {
            windowMatchRanges(of: text, in: $0, paragraph: paragraph, prefilter: nil, of: document)
        }
    }

    /// How many bytes of a paragraph the Unicode-aware matcher is given at a time: a
    /// giant paragraph is searched window by window, so that each look-up costs a window,
    /// not the paragraph, and a search can stop between windows.
    static let matchWindowBytes = 65_536

    /// The windows paragraph `paragraph` is searched in, in order: one for a paragraph of
    /// at most ``matchWindowBytes`` bytes, else cuts near every ``matchWindowBytes`` bytes
    /// after a whole run of blanks and line breaks (``blankRunEnd(from:in:to:)``), which a
    /// search reads as one space and so must see whole, or at a code point's start where
    /// no blank comes within 4 kB.
    static func matchWindows(of paragraph: Paragraph, in document: Document) -> [MatchWindow] {
        let bytes = paragraph.byteRange
        guard bytes.count > matchWindowBytes else { return [MatchWindow(bytes: bytes, codePoints: paragraph.range)] }
        return document.withUTF8 { utf8 -> [MatchWindow] in
            var windows: [MatchWindow] = []
            var start = bytes.lowerBound, codePoint = paragraph.range.lowerBound
            while start < bytes.upperBound {
                var end = min(bytes.upperBound, start + matchWindowBytes)
                while end < bytes.upperBound && utf8[end] & 0xC0 == 0x80 { end += 1 }
                if end < bytes.upperBound {
                    var cut = end
                    let limit = min(bytes.upperBound, end + 4_096)
                    while cut < limit && blankBytes(at: cut, in: utf8, to: bytes.upperBound) == 0 { cut += 1 }
                    if cut < limit { end = blankRunEnd(from: cut, in: utf8, to: bytes.upperBound) }
                }
                var codePoints = 0
                for offset in start..<end where utf8[offset] & 0xC0 != 0x80 { codePoints += 1 }
                windows.append(MatchWindow(bytes: start..<end, codePoints: codePoint..<(codePoint + codePoints)))
                start = end
                codePoint += codePoints
            }
            return windows
        }
    }

    /// How many bytes the blank (``ReflowedText/isBlank(_:)``) starting at byte `position`
    /// of `utf8` takes, ending by byte `end`; 0 when none starts there.
    @inline(__always)
    static func blankBytes(at position: Int, in utf8: UnsafeBufferPointer<UInt8>, to end: Int) -> Int {
        let byte = utf8[position]
        if byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) { return 1 }
        guard byte >= 0xC2 else { return 0 }
        let second = position + 1 < end ? utf8[position + 1] : 0, third = position + 2 < end ? utf8[position + 2] : 0
        switch byte {
        case 0xC2: return second == 0x85 || second == 0xA0 ? 2 : 0
        case 0xE2:
            // U+2000-U+200A, U+2028, U+2029, U+202F; U+205F
            if second == 0x80 && (third <= 0x8A || third == 0xA8 || third == 0xA9 || third == 0xAF) && third >= 0x80 { return 3 }
            return second == 0x81 && third == 0x9F ? 3 : 0
        case 0xE3: return second == 0x80 && third == 0x80 ? 3 : 0
        default: return 0
        }
    }

    /// The byte after the run of blanks and line breaks that starts at byte `position` of
    /// `utf8`, with the marks that join a cluster to its last blank (``ReflowedText``
    /// then reads that blank as a letter, and a cut must not separate the two); `position`
    /// itself when no blank starts there. The run is read whole, however long.
    static func blankRunEnd(from position: Int, in utf8: UnsafeBufferPointer<UInt8>, to end: Int) -> Int {
        var position = position, blanks = 0
        while position < end {
            let blank = blankBytes(at: position, in: utf8, to: end)
            if blank > 0 {
                position += blank
                blanks += 1
                continue
            }
            // a mark or joiner after a blank: beyond ASCII, and its cluster goes along
            guard blanks > 0, utf8[position] >= 0xC0 else { break }
            var next = position + 1
            while next < end && utf8[next] & 0xC0 == 0x80 { next += 1 }
            let scalar = String(decoding: UnsafeBufferPointer(rebasing: utf8[position..<next]), as: UTF8.self).unicodeScalars.first
            guard let scalar, ReflowedText.extendsCluster(scalar) else { break }
            position = next
        }
        return position
    }

    /// The matches of `text` that start in `window` of `paragraph` (code points of the
    /// document), ordered; a match may run past the window's end. With a `prefilter`, a
    /// window whose bytes rule out a match is not handed to the Unicode-aware matcher.
    static func windowMatchRanges(of text: String, in window: MatchWindow, paragraph: Paragraph, prefilter: ASCIIPrefilter?,
                                  of document: Document) -> [Range<Int>] {
        // a match starting in the window may end past it: case folding and canonical
        // equivalence make a match at most a few times the text's length
        let body = document.withUTF8 { utf8 -> String? in
            var end = window.bytes.upperBound
            let paragraphEnd = paragraph.byteRange.upperBound
            if end < paragraphEnd {
                // a run of blanks and line breaks counts as one space of the text, so
                // one byte of the budget, and is read whole
                var budget = text.utf8.count * 4 + 64
                while end < paragraphEnd && budget > 0 {
                    let runEnd = blankRunEnd(from: end, in: utf8, to: paragraphEnd)
                    end = runEnd > end ? runEnd : end + 1
                    budget -= 1
                }
                while end < paragraphEnd && utf8[end] & 0xC0 == 0x80 { end += 1 }
                end = blankRunEnd(from: end, in: utf8, to: paragraphEnd)
                while end < paragraphEnd && utf8[end] & 0xC0 == 0x80 { end += 1 }
            }
            if let prefilter, prefilter.firstCandidate(in: utf8, from: window.bytes.lowerBound, to: end) == nil { return nil }
            return String(decoding: UnsafeBufferPointer(rebasing: utf8[window.bytes.lowerBound..<end]), as: UTF8.self)
        }
        guard let original = body else { return [] }
        // matched as the reader shows it: a run of blanks, with any line break inside
        // the paragraph, is one space; ranges are then the original's
        let reflowed = ReflowedText(original, blanks: .collapsed), needle = ReflowedText(text, blanks: .collapsed).text
        let shown = reflowed.text
        var found: [Range<Int>] = []
        var searchRange = shown.startIndex..<shown.endIndex
        // code points counted on from the last match, not from the window's start
        var counted = shown.startIndex, offset = 0
        while let match = shown.range(of: needle, options: [.caseInsensitive], range: searchRange) {
            offset += shown.unicodeScalars.distance(from: counted, to: match.lowerBound)
            counted = match.lowerBound
            let range = reflowed.originalRange(offset..<(offset + shown.unicodeScalars.distance(from: match.lowerBound, to: match.upperBound)))
            guard range.lowerBound + window.codePoints.lowerBound < window.codePoints.upperBound else { break }
            found.append(range)
            searchRange = match.upperBound..<shown.endIndex
        }
        // Foundation matches whole grapheme clusters only; a search for the start of a
        // word whose next letters join its last one in a cluster (हिन in हिन्दी, a
        // Devanagari conjunct) is found code point by code point
        let starts = Set(found.map(\.lowerBound))
        found += scalarMatches(of: needle, in: shown).map(reflowed.originalRange).filter {
            !starts.contains($0.lowerBound) && $0.lowerBound + window.codePoints.lowerBound < window.codePoints.upperBound
        }
        return found.map { ($0.lowerBound + window.codePoints.lowerBound)..<($0.upperBound + window.codePoints.lowerBound) }
            .sorted { $0.lowerBound < $1.lowerBound }
    }

    /// Matches of `needle` in `body` compared code point by code point after canonical
    /// decomposition and lower-casing, as code-point ranges of `body`. A match starts and
    /// ends between whole code points of `body`, and between grapheme clusters except
    /// beside a virama (canonical combining class 9), which joins Indic consonants into one
    /// cluster: `हिन` is found in `हिन्दी`, but `e` is not found in `é`.
    static func scalarMatches(of needle: String, in body: String) -> [Range<Int>] {
        /// The decomposed, lower-cased scalars of `text`, each with the offset of the
        /// scalar of `text` it came from.
        func folded(_ text: String) -> (scalars: [Unicode.Scalar], origins: [Int]) {
            var scalars: [Unicode.Scalar] = [], origins: [Int] = []
            for (offset, scalar) in text.unicodeScalars.enumerated() {
                let decomposed = scalar.value < 0x80 ? String(scalar) : String(scalar).decomposedStringWithCanonicalMapping
                for part in decomposed.unicodeScalars {
                    for lower in part.properties.lowercaseMapping.unicodeScalars {
                        scalars.append(lower)
                        origins.append(offset)
                    }
                }
            }
            return (scalars, origins)
        }
        let pattern = folded(needle).scalars
        guard !pattern.isEmpty else { return [] }
        let (scalars, origins) = folded(body)
        guard scalars.count >= pattern.count else { return [] }
        let original = Array(body.unicodeScalars)
        var clusterStarts = Set<Int>()
        var offset = 0
        for character in body {
            clusterStarts.insert(offset)
            offset += character.unicodeScalars.count
        }
        clusterStarts.insert(offset)
        func isVirama(_ index: Int) -> Bool {
            index >= 0 && index < original.count && original[index].properties.canonicalCombiningClass.rawValue == 9
        }
        var matches: [Range<Int>] = []
        var position = 0
        while position + pattern.count <= scalars.count {
            let end = position + pattern.count
            if scalars[position] == pattern[0] && scalars[position..<end].elementsEqual(pattern),
               position == 0 || origins[position - 1] != origins[position],
               end == scalars.count || origins[end] != origins[end - 1] {
                let range = origins[position]..<(origins[end - 1] + 1)
                if clusterStarts.contains(range.lowerBound) || isVirama(range.lowerBound - 1),
                   clusterStarts.contains(range.upperBound) || isVirama(range.upperBound) {
                    matches.append(range)
                    position = end
                    continue
                }
                position += 1
            } else {
                position += 1
            }
        }
        return matches
    }

    /// UTF-8 of the characters that case-fold or canonically decompose to ASCII: ß, ẞ, ſ,
    /// İ, the Kelvin sign, the Greek question mark and varia, and the Latin ligatures
    /// U+FB00 to U+FB06; each with the ASCII bytes it folds to, of which a text must hold
    /// one for the character to be part of its match.
    static let asciiLookalikes: [(utf8: [UInt8], foldsTo: [UInt8])] = [
        ([0xC3, 0x9F], Array("s".utf8)), ([0xE1, 0xBA, 0x9E], Array("s".utf8)), ([0xC5, 0xBF], Array("s".utf8)),
        ([0xC4, 0xB0], Array("i".utf8)), ([0xE2, 0x84, 0xAA], Array("k".utf8)), ([0xCD, 0xBE], Array(";".utf8)),
        ([0xE1, 0xBF, 0xAF], Array("`".utf8)),
    ] + (0x80...0x84).map { ([0xEF, 0xAC, UInt8($0)], Array("fil".utf8)) } + (0x85...0x86).map { ([0xEF, 0xAC, UInt8($0)], Array("st".utf8)) }

    /// The first (`forward`) or last paragraph among `paragraphs` that holds a candidate
    /// of `prefilter` (``ASCIIPrefilter``) within its own bytes, or nil when none does and
    /// so none can hold a match. Scans the paragraphs' bytes in one pass, looking up a
    /// paragraph only where a candidate is.
    static func candidateParagraph(_ prefilter: ASCIIPrefilter, among paragraphs: ClosedRange<Int>, forward: Bool,
                                   of document: Document) -> Int? {
        guard let first = document.paragraph(paragraphs.lowerBound), let last = document.paragraph(paragraphs.upperBound) else { return nil }
        return document.withUTF8 { bytes -> Int? in
            var position = first.byteRange.lowerBound
            let end = last.byteRange.upperBound
            var lowest = paragraphs.lowerBound
            var found: Int?
            while let candidate = prefilter.firstCandidate(in: bytes, from: position, to: end) {
                // the last paragraph starting at or before the candidate
                var low = lowest, high = paragraphs.upperBound
                while low < high {
                    let middle = (low + high + 1) / 2
                    if let paragraph = document.paragraph(middle), paragraph.byteRange.lowerBound <= candidate.start {
                        low = middle
                    } else {
                        high = middle - 1
                    }
                }
                guard let paragraph = document.paragraph(low) else { return found }
                lowest = low
                if paragraph.byteRange.lowerBound <= candidate.start && candidate.start + candidate.count <= paragraph.byteRange.upperBound {
                    if forward { return low }
                    found = low
                    position = paragraph.byteRange.upperBound
                    lowest = min(low + 1, paragraphs.upperBound)
                } else {
                    // between paragraphs, or across the end of one
                    position = candidate.start + 1
                }
            }
            return found
        }
    }

    /// How many paragraphs one byte-wise pass of a search takes at most, so that a slice
    /// ends soon after its time.
    static let searchChunk = 2048

    /// How long one slice of a search may run before the screen is drawn again.
    public static let searchSlice = 0.003

    /// Goes on with the running search for about `seconds`.
    /// - Returns: true while the search is still running.
    @discardableResult
    public mutating func continueSearch(forSeconds seconds: Double) -> Bool {
        guard var job = searchJob else { return false }
        let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(seconds * 1e9)
        let count = job.count
        let prefilter = ASCIIPrefilter(searchingFor: job.text)
        func paragraphIndex(atStep step: Int) -> Int {
            ((job.forward ? job.startParagraph + step : job.startParagraph - step) % count + count) % count
        }
        while job.step <= count {
            // between the focus's paragraph at both ends, an ASCII text skips at once the
            // paragraphs whose bytes rule out a match
            if let prefilter, job.step > 0, job.step < count, job.windows.isEmpty {
                let index = paragraphIndex(atStep: job.step)
                let available = min(count - job.step, job.forward ? count - index : index + 1, AppState.searchChunk)
                let chunk = job.forward ? index...(index + available - 1) : (index - available + 1)...index
                if let found = AppState.candidateParagraph(prefilter, among: chunk, forward: job.forward, of: document) {
                    job.step += abs(found - index)
                } else {
                    job.step += available
                    if DispatchTime.now().uptimeNanoseconds > deadline { break }
                    continue
                }
            }
            let step = job.step
            let index = paragraphIndex(atStep: step)
            let wrapped = step == count
            let range = job.focusRange
            if job.windows.isEmpty {
                // hidden boilerplate is not searched
                if !isHidden(index), let paragraph = document.paragraph(index) {
                    job.windows = AppState.matchWindows(of: paragraph, in: document)
                    // in the focus's paragraph, from the window of the focus on
                    let from = step == 0 ? (job.forward ? range.upperBound : range.lowerBound) : nil
                    let first = from.flatMap { offset in job.windows.firstIndex { $0.codePoints.upperBound > offset } }
                    job.nextWindow = first ?? (job.forward ? 0 : job.windows.count - 1)
                }
            }
            // the paragraph's windows one at a time, so that a giant paragraph stops for keys
            while job.nextWindow >= 0 && job.nextWindow < job.windows.count, let paragraph = document.paragraph(index) {
                let matches = AppState.windowMatchRanges(of: job.text, in: job.windows[job.nextWindow], paragraph: paragraph,
                                                         prefilter: prefilter, of: document)
                job.nextWindow += job.forward ? 1 : -1
                let candidates: [Range<Int>]
                if step == 0 {
                    // the focus is a sentence, so the next match is in another sentence
                    candidates = job.forward ? matches.filter { $0.lowerBound >= range.upperBound } : matches.filter { $0.lowerBound < range.lowerBound }
                } else if wrapped {
                    candidates = job.forward ? matches.filter { $0.lowerBound < range.upperBound } : matches.filter { $0.lowerBound >= range.lowerBound }
                } else {
                    candidates = matches
                }
                if let match = job.forward ? candidates.first : candidates.last {
                    searchJob = nil
                    moveFocus(to: sentence(containing: match.lowerBound))
                    showRow(of: match.lowerBound)
                    searchMatch = match
                    let passedEnd = job.forward ? index < job.startParagraph || wrapped : index > job.startParagraph || wrapped
                    message = "/\(job.text)" + (passedEnd ? "  (search wrapped around)" : "")
                    messageIsError = false
                    return false
                }
                if DispatchTime.now().uptimeNanoseconds > deadline { break }
            }
            if job.nextWindow >= 0 && job.nextWindow < job.windows.count { break }
            job.windows = []
            job.step += 1
            if DispatchTime.now().uptimeNanoseconds > deadline { break }
        }
        if job.step <= count {
            searchJob = job
            message = "Searching for \(job.text)… \(job.step * 100 / (count + 1))% (Esc stops)"
            messageIsError = false
            return true
        }
        searchJob = nil
        message = "Not found: \(job.text)"
        return false
    }
}

/// A search in progress: where it started and how many paragraphs it has looked at.
public struct SearchJob: Hashable, Sendable {
    /// The text looked for.
    public var text: String
    /// True for `/` and `n`, false for `N`.
    public var forward: Bool
    /// The paragraph of the focus when the search started.
    public var startParagraph: Int
    /// The focused sentence then (code points).
    public var focusRange: Range<Int>
    /// Paragraphs looked at so far.
    public var step: Int
    /// Paragraphs in the document.
    public var count: Int
    /// The windows of the paragraph being searched (``AppState/matchWindows(of:in:)``);
    /// empty between paragraphs.
    public var windows: [MatchWindow] = []
    /// The window of ``windows`` searched next.
    public var nextWindow = 0
}

/// A stretch of a paragraph the Unicode-aware matcher is given at once: its bytes and its
/// code points in the document.
public struct MatchWindow: Hashable, Sendable {
    /// Bytes of the document's UTF-8.
    public var bytes: Range<Int>
    /// Code points of the document.
    public var codePoints: Range<Int>
}
