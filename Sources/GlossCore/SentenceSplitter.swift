/// Splits a paragraph into sentences with rules for English news prose (abbreviations,
/// initials, dotted acronyms, decimals, ellipses, closing quotes) plus the sentence
/// terminators of other scripts (Unicode's Sentence_Terminal property, UAX #29 §5): the
/// CJK, Devanagari, Arabic, Ethiopic and Armenian full stops and question marks.
///
/// Every offset is a code point (Unicode scalar) of the text passed in, counted from 0,
/// end exclusive; never a grapheme (`String.count`) or UTF-16 offset. The work is linear in
/// the text's length: one pass over its scalars, and each candidate boundary looks at most a
/// few dozen scalars back and ahead.
///
/// A sentence ends after a run of `.` `!` `?` `…`, then any closing quotes or brackets
/// (`"` `'` `”` `’` `)` `]` `»` and their CJK counterparts), when whitespace follows and the
/// next word looks like the start of a sentence (it does not begin with a lower-case letter
/// or with `,` `;` `:` `.`). The terminators that only ever end a sentence, the CJK `。`
/// `！` `？`, the Devanagari danda `।` and double danda `॥`, the Arabic `؟` and `۔`, the
/// Ethiopic `።` and `፧` and the Armenian `։`, end it whether or not a space follows,
/// except when a closing quote follows them directly and text follows the quote without a
/// space (`「はい。」と言った` is one sentence).
///
/// Sentence boundaries fall between grapheme clusters (Swift's `Character`): a mark after
/// the terminator stays in the sentence, and a cluster that begins with whitespace (a
/// space carrying a combining mark) lies between sentences like a space.
///
/// A single `.` after an abbreviation does not end a sentence:
/// - titles before names (`Mr.` `Dr.` `Gen.` `St.` …), `e.g.`, `i.e.`, `vs.`, `approx.`,
///   `cf.`, `viz.`: never;
/// - `No.`, `Art.`, `Fig.`, `Vol.`, `pp.`, `etc.`: not before a number;
/// - `Jr.`, `Sr.`, `Inc.`, `Ltd.`, `Co.`, `Corp.`, `et al.`, month abbreviations (`Jan.` …
///   `Dec.`), single initials (`J. Smith`) and dotted acronyms (`U.N.`, `U.S.`, `a.m.`):
///   only before a capitalised function word that usually opens a sentence (`The`, `A`,
///   `He`, `It`, `They`, `In`, `But` …), so `the U.S. The next` splits while
///   `the U.S. Congress` and `U.N. officials` do not.
///
/// A decimal (`3.5`) or a dotted name (`example.com`) never splits because no whitespace
/// follows its `.`.
public enum SentenceSplitter {
    /// The sentences of `text`, one paragraph (it may hold single line breaks, CRLF and tabs).
    ///
    /// - Parameter text: the paragraph.
    /// - Returns: code-point (Unicode scalar) ranges relative to the start of `text`, end
    ///   exclusive, in order and not overlapping. Each range starts and ends on a grapheme
    ///   cluster boundary, starts with a cluster that does not begin with whitespace, and
    ///   together they cover every such cluster of `text` exactly once. Empty when `text`
    ///   is empty or all whitespace; a single range when the text has no sentence-ending
    ///   punctuation.
    public static func sentences(in text: String) -> [Range<Int>] {
        let scalars = Array(text.unicodeScalars)
        let count = scalars.count
        var ranges: [Range<Int>] = []
        // true at the code points where a grapheme cluster starts, and at the end
        var clusterStarts = [Bool](repeating: false, count: count + 1)
        if text.utf8.allSatisfy({ $0 < 0x80 }) {
            // in ASCII every scalar starts a cluster but the LF of a CR LF
            for index in 0..<count { clusterStarts[index] = !(index > 0 && scalars[index] == "\n" && scalars[index - 1] == "\r") }
        } else {
            var offset = 0
            for character in text {
                clusterStarts[offset] = true
                offset += character.unicodeScalars.count
            }
        }
        clusterStarts[count] = true
        func clusterEnd(_ position: Int) -> Int {
            var position = position
            while !clusterStarts[position] { position += 1 }
            return position
        }
        /// The first cluster at or after `position` that does not begin with whitespace.
        func skipSpace(_ position: Int) -> Int {
            var position = clusterEnd(position)
            while position < count && isSpace(scalars[position]) { position = clusterEnd(position + 1) }
            return position
        }

        var start = skipSpace(0)
        var index = start
        while index < count {
            let scalar = scalars[index]
            guard isTerminator(scalar) else { index += 1; continue }

            // The run of terminators ("...", "?!", "。"), then closing quotes and brackets.
            let runStart = index
            var noSpaceNeeded = false
            while index < count && isTerminator(scalars[index]) {
                if isTerminatorWithoutSpace(scalars[index]) { noSpaceNeeded = true }
                index += 1
            }
            let runEnd = index
            while index < count && isCloser(scalars[index]) { index += 1 }
            index = clusterEnd(index)
            let sentenceEnd = index

            let next = skipSpace(index)
            if next >= count { break }  // only whitespace follows: the last sentence ends here

            let split: Bool
            if noSpaceNeeded {
                // 「はい。」と言った: a closing quote with text right after continues the sentence.
                split = sentenceEnd == runEnd || next > sentenceEnd
            } else if next == sentenceEnd {
                split = false  // no whitespace after the punctuation: 3.5, U.S.-led, example.com
            } else if !looksLikeSentenceStart(scalars, at: next) {
                split = false
            } else if runEnd - runStart == 1 && scalars[runStart] == "." {
                split = periodEndsSentence(scalars, period: runStart, next: next)
            } else {
                split = true
            }
            if split {
                ranges.append(start..<sentenceEnd)
                start = next
            }
        }
        if start < count {
            // the last sentence ends after its last cluster that does not begin with whitespace
            var end = start
            var position = start
            while position < count {
                let next = clusterEnd(position + 1)
                if !isSpace(scalars[position]) { end = next }
                position = next
            }
            if end > start { ranges.append(start..<end) }
        }
        return ranges
    }

    // MARK: - Characters

    static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        // ASCII's White_Space characters are tab to carriage return and the space
        if scalar.isASCII { return (0x09...0x0D).contains(scalar.value) || scalar.value == 0x20 }
        return scalar.properties.isWhitespace
    }

    static func isTerminator(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case ".", "!", "?", "\u{2026}", "\u{203C}", "\u{2047}", "\u{2048}", "\u{2049}": return true
        default: return isTerminatorWithoutSpace(scalar)
        }
    }

    /// Terminators that never stand inside a sentence (no decimal or abbreviation use), so
    /// they end one with or without a following space: CJK `。！？｡`, Devanagari `।॥`,
    /// Arabic `؟۔`, Ethiopic `።፧`, Armenian `։`.
    static func isTerminatorWithoutSpace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "\u{3002}", "\u{FF01}", "\u{FF1F}", "\u{FF61}",  // 。！？｡
             "\u{0964}", "\u{0965}",  // । ॥
             "\u{061F}", "\u{06D4}",  // ؟ ۔
             "\u{1362}", "\u{1367}",  // ። ፧
             "\u{0589}":  // ։
            return true
        default: return false
        }
    }

    static func isCloser(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "\"", "'", "\u{201D}", "\u{2019}", ")", "]", "\u{00BB}", "\u{203A}",
             "\u{300D}", "\u{300F}", "\u{FF09}", "\u{3011}", "\u{3015}", "\u{FF63}":  // 」』）】〕｣
            return true
        default:
            return false
        }
    }

    static func isOpener(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "\"", "'", "\u{201C}", "\u{2018}", "(", "[", "\u{00AB}", "\u{2039}", "\u{00BF}", "\u{00A1}",
             "\u{300C}", "\u{300E}", "\u{FF08}", "\u{3010}", "\u{3014}":
            return true
        default:
            return false
        }
    }

    static func isLetter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: return true
        default: return false
        }
    }

    static func isDigit(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.generalCategory == .decimalNumber
    }

    static func isLetterOrDigit(_ scalar: Unicode.Scalar) -> Bool {
        isLetter(scalar) || isDigit(scalar)
    }

    /// How far ahead and back the abbreviation rules look, in scalars.
    static let lookLimit = 24

    /// The first scalar at or after `index` that is not an opening quote or bracket, within
    /// ``lookLimit``; nil when there is none.
    static func firstSignificant(_ scalars: [Unicode.Scalar], at index: Int) -> Int? {
        var position = index
        while position < scalars.count && position - index < lookLimit && isOpener(scalars[position]) {
            position += 1
        }
        return position < scalars.count && position - index < lookLimit ? position : nil
    }

    /// Whether the text at `index` (not whitespace) can open a sentence: anything but a
    /// lower-case letter or continuing punctuation, after any opening quotes or brackets.
    static func looksLikeSentenceStart(_ scalars: [Unicode.Scalar], at index: Int) -> Bool {
        guard let position = firstSignificant(scalars, at: index) else { return true }
        let scalar = scalars[position]
        if scalar.properties.generalCategory == .lowercaseLetter { return false }
        switch scalar {
        case ",", ";", ":", ".", "\u{2026}", "!", "?", ")", "]", "\u{201D}", "\u{2019}", "\u{00BB}": return false
        default: return true
        }
    }

    // MARK: - Abbreviations

    enum AbbreviationKind {
        /// Never ends a sentence (a title before a name, `e.g.`).
        case never
        /// Does not end a sentence before a number (`No. 5`); otherwise like any word.
        case beforeNumber
        /// Ends a sentence only before a capitalised function word (`U.S.`, `Jan.`, `J.`).
        case ambiguous
    }

    /// Titles that come before a name, compared in lower case; the token must be capitalised.
    static let titles: Set<String> = [
        "mr", "mrs", "ms", "messrs", "mme", "mlle", "dr", "prof", "gen", "col", "lt", "sgt", "cpl",
        "pvt", "capt", "maj", "cmdr", "adm", "brig", "sen", "rep", "gov", "pres", "amb", "rev",
        "hon", "supt", "insp", "det", "st", "mt", "ft",
    ]
    /// Abbreviations that never end a sentence, in any case.
    static let neverEnding: Set<String> = ["vs", "approx", "cf", "viz", "e.g", "i.e", "a.k.a"]
    /// Abbreviations that do not end a sentence before a number, compared in lower case.
    static let beforeNumber: Set<String> = ["no", "nos", "nr", "art", "fig", "figs", "vol", "pp", "para", "sec", "ch", "etc"]
    /// Abbreviations that end a sentence only before a function word, compared in lower case.
    static let ambiguous: Set<String> = [
        "jr", "sr", "inc", "ltd", "co", "corp", "bros", "al",
        "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    ]
    /// Capitalised words that commonly open a sentence and rarely follow an abbreviation
    /// inside one.
    static let functionWords: Set<String> = [
        "The", "A", "An", "He", "She", "It", "They", "We", "I", "You", "This", "That", "These",
        "Those", "There", "Then", "Here", "In", "On", "At", "But", "And", "Or", "So", "Yet", "If",
        "When", "While", "After", "Before", "However", "Meanwhile", "Although", "Though", "Since",
        "Because", "His", "Her", "Its", "Their", "Our", "My", "As", "For", "To", "By", "With",
        "Some", "Many", "Most", "All", "Both", "Each", "Such", "What", "Who", "Why", "How", "Where",
        "Earlier", "Later", "Last", "Next",
    ]

    /// Whether the single `.` at `period` ends a sentence whose successor starts at `next`.
    static func periodEndsSentence(_ scalars: [Unicode.Scalar], period: Int, next: Int) -> Bool {
        guard let kind = abbreviationKind(scalars, period: period) else { return true }
        switch kind {
        case .never:
            return false
        case .beforeNumber:
            guard let position = firstSignificant(scalars, at: next) else { return true }
            return !isDigit(scalars[position])
        case .ambiguous:
            return startsWithFunctionWord(scalars, at: next)
        }
    }

    /// Classifies the word that ends at the `.` at `period`, or nil when it is no
    /// abbreviation. Looks back at most ``lookLimit`` scalars.
    static func abbreviationKind(_ scalars: [Unicode.Scalar], period: Int) -> AbbreviationKind? {
        // The word is the letters, digits and dots before the period: "(Mr." gives "Mr",
        // "6—St." gives "St", "U.S." gives "U.S".
        func inWord(_ scalar: Unicode.Scalar) -> Bool { isLetterOrDigit(scalar) || scalar == "." }
        var first = period
        while first > 0 && period - first < lookLimit && inWord(scalars[first - 1]) { first -= 1 }
        if first > 0 && inWord(scalars[first - 1]) { return nil }  // too long for an abbreviation
        while first < period && !isLetterOrDigit(scalars[first]) { first += 1 }  // leading dots
        guard first < period else { return nil }
        var word = String.UnicodeScalarView()
        word.append(contentsOf: scalars[first..<period])
        let token = String(word)
        let lower = token.lowercased()
        let capitalised = scalars[first].properties.generalCategory == .uppercaseLetter

        if neverEnding.contains(lower) { return .never }
        if token.unicodeScalars.contains(".") {
            // Dotted acronyms: U.N, U.S, a.m, Ph.D; every part a few letters. Digits glued to
            // the front are a footnote number from a PDF extraction ("15U.S.").
            let parts = token.unicodeScalars.drop(while: isDigit)
                .split(separator: ".", omittingEmptySubsequences: false)
            let acronym = parts.allSatisfy { part in
                !part.isEmpty && part.count <= 3 && part.allSatisfy(isLetter)
            }
            return acronym ? .ambiguous : nil
        }
        if period - first == 1 && isLetter(scalars[first]) { return .ambiguous }  // initial
        if capitalised && titles.contains(lower) { return .never }
        if beforeNumber.contains(lower) {
            // Lower-case "no." is the word "no" ending a sentence.
            return (lower == "no" || lower == "nos" || lower == "nr") && !capitalised ? nil : .beforeNumber
        }
        if ambiguous.contains(lower) {
            return capitalised || lower == "al" ? .ambiguous : nil
        }
        return nil
    }

    /// Whether a capitalised function word (``functionWords``) starts at `index`, after any
    /// opening quotes. A one-letter word followed by `.` is an initial, not a word.
    static func startsWithFunctionWord(_ scalars: [Unicode.Scalar], at index: Int) -> Bool {
        guard let first = firstSignificant(scalars, at: index) else { return false }
        var end = first
        while end < scalars.count && end - first < 12 && isLetter(scalars[end]) { end += 1 }
        guard end > first else { return false }
        if end < scalars.count {
            if isLetterOrDigit(scalars[end]) { return false }  // longer than any function word
            if end - first == 1 && scalars[end] == "." { return false }  // "J. A. Smith"
        }
        var word = String.UnicodeScalarView()
        word.append(contentsOf: scalars[first..<end])
        return functionWords.contains(String(word))
    }
}
