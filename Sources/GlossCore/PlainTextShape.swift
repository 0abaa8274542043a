import Foundation

/// How the lines of a plain text make paragraphs. The mode is decided once, from the start
/// of the text (``detect(_:)``), so that the paragraph index can go on a chunk at a time
/// while every other decision looks only at a line and its neighbours.
///
/// The rules, each on its own (README, "Plain text and boilerplate"):
/// - Lines end at a line feed, a CR LF or a carriage return alone (classic Mac OS text),
///   wherever the text mixes them; no other character ends a line.
/// - A line of only white space and invisible characters (``LineShape/isBlank(_:_:_:)``:
///   spaces, tabs, a form feed, Unicode spaces, U+2028 and U+2029, zero-width characters)
///   is blank, and a blank line always ends a paragraph.
/// - A line that starts with a character joining the one before it in a grapheme cluster
///   (a combining mark, a zero-width joiner, a variation selector: text wrapped inside a
///   letter) goes on with the line before it, whatever else holds
///   (``LineShape/joinsPrevious``); zero-width characters at a line's start (U+200B, a
///   direction mark) are passed over when the rules look at its first character.
/// - A text whose lines are long (over 100 code points) or end in sentence punctuation has
///   one paragraph per line (``Mode/linePerParagraph``); there a line without sentence
///   punctuation followed by one that starts in lower case continues on it, and so does a
///   word broken at a hyphen (`counter-` then `Terrorism`, `GAO-` then `02-954T`).
///   Reflowed, such a line ending is drawn as nothing, not as a space (GlossUI's
///   `Wrapper.joinsAtHyphen`), and the text keeps it.
/// - A text of lines of similar length that mostly end without punctuation is hard-wrapped
///   and reflowed: with blank lines between its paragraphs a block is a paragraph
///   (``Mode/blankSeparated``); without them (``Mode/hardWrapped``) a paragraph also ends at
///   a sentence end when the next line's first word would have fitted on the line, and at
///   a change of indentation that the text uses for paragraphs (``Indentation``).
/// - In hard-wrapped text a line in capitals (`HOMELAND SECURITY`) is a paragraph of its
///   own, and so is a list item: a line that starts with a bullet, or a number and `.` or
///   `)`, starts a paragraph.
/// - A short line without final punctuation, followed by a clearly longer one that does not
///   start in lower case, is a heading: its own paragraph, drawn bold (see
///   ``isHeading(_:next:isFirst:text:)``). The first line of the text needs only to be
///   followed by text (the title).
///
/// Lengths are code points of a line's text without its indentation and trailing spaces.
struct PlainTextShape: Equatable, Sendable {
    /// How lines become paragraphs.
    enum Mode: Equatable, Sendable {
        /// Each line is a paragraph (news scraped one paragraph per line, lists, verse).
        case linePerParagraph
        /// Hard-wrapped paragraphs with blank lines between them (a Project Gutenberg book).
        case blankSeparated
        /// Hard-wrapped paragraphs that follow each other without a blank line (a report
        /// extracted from a PDF).
        case hardWrapped
        /// Blocks between blank lines and nothing else: text an importer made, whose
        /// headings it marked itself.
        case blocks
    }

    /// How a hard-wrapped text marks the start of a paragraph with indentation.
    enum Indentation: Equatable, Sendable {
        /// It does not (or the text is not hard-wrapped).
        case none
        /// Continuation lines are indented further than first lines: a line that starts left
        /// of the line before it starts a paragraph.
        case hanging
        /// First lines are indented: a line that starts right of the line before it starts
        /// a paragraph.
        case firstLine
    }

    /// How lines become paragraphs.
    var mode: Mode
    /// Code points of a full line of a hard-wrapped text (the 99th percentile of line
    /// lengths); 0 when the text is not hard-wrapped.
    var width = 0
    /// How paragraph starts show in indentation.
    var indentation = Indentation.none
    /// A text of one paragraph per line of which fewer than a fifth end in sentence
    /// punctuation (a script written without it, as Thai is, or verse): a line without it
    /// is not thereby a heading.
    var unpunctuated = false

    /// Bytes at the start of the text that ``detect(_:)`` reads: enough lines for the
    /// figures, few enough to cost nothing at opening.
    static let sampleByteCount = 1 << 16

    /// Lines longer than this many code points are written one paragraph per line.
    static let longLine = 100
    /// The widest hard-wrapped lines, in code points: a text wrapped wider is one paragraph
    /// per line.
    static let widestWrap = 120

    /// The shape of the text that starts with `bytes` (its first ``sampleByteCount`` bytes
    /// are read; a last line cut by the sample is left out). Only lines in blocks of two or
    /// more lines count: a text of single-line blocks is one paragraph per line whatever
    /// its lines look like.
    static func detect(_ bytes: UnsafeBufferPointer<UInt8>) -> PlainTextShape {
        guard let base = bytes.baseAddress else { return PlainTextShape(mode: .linePerParagraph) }
        var count = min(bytes.count, sampleByteCount)
        if count < bytes.count {
            // the last whole line
            while count > 0 && base[count - 1] != 0x0A && base[count - 1] != 0x0D { count -= 1 }
        }
        var lines: [LineShape?] = []
        var start = 0
        while start < count {
            let (end, next) = ParagraphIndex.lineBreak(base, count, from: start)
            lines.append(LineShape(base, start, end))
            start = next
        }
        var lengths: [Int] = []
        var punctuated = 0
        var textLines = 0, sentenceEnds = 0
        for (index, line) in lines.enumerated() {
            guard let line else { continue }
            textLines += 1
            if line.endsSentence { sentenceEnds += 1 }
            let inBlock = (index > 0 && lines[index - 1] != nil) || (index + 1 < lines.count && lines[index + 1] != nil)
            guard inBlock else { continue }
            lengths.append(line.length)
            if line.length > longLine || line.endsSentence { punctuated += 1 }
        }
        let unpunctuated = 5 * sentenceEnds < textLines
        let total = lengths.count
        guard total > 0 else { return PlainTextShape(mode: .linePerParagraph, unpunctuated: unpunctuated) }
        let sorted = lengths.sorted()
        let width = sorted[min(total - 1, total * 99 / 100)]
        // similar: at least 60% of a full line, or the rest of one that a second, narrower
        // wrap cut (a full line, then a short one that would not have fitted after it and
        // ends no sentence: pdftotext's lines of a page laid out twice)
        var similar = 0
        for (index, line) in lines.enumerated() {
            guard let line else { continue }
            let inBlock = (index > 0 && lines[index - 1] != nil) || (index + 1 < lines.count && lines[index + 1] != nil)
            guard inBlock else { continue }
            if 5 * line.length >= 3 * width {
                similar += 1
            } else if index > 0, let previous = lines[index - 1], 5 * previous.length >= 3 * width, !line.endsSentence,
                      previous.length + 1 + line.length > width {
                similar += 1
            }
        }
        if 2 * punctuated >= total || 10 * similar < 6 * total || width > widestWrap {
            return PlainTextShape(mode: .linePerParagraph, unpunctuated: unpunctuated)
        }
        // where sentences end at a line end: before a blank line, or before a line whose
        // first word would have fitted after them (so the break was made on purpose)
        var beforeBlank = 0, beforeText = 0
        var hanging = 0, firstLine = 0
        for index in 0..<lines.count - 1 {
            guard let line = lines[index] else { continue }
            let next = lines[index + 1]
            if line.endsSentence {
                if let next {
                    if !next.startsLowercase && line.length + 1 + next.firstWord(in: base) <= width { beforeText += 1 }
                } else {
                    beforeBlank += 1
                }
            }
            if let next, next.indent > line.indent, index + 2 < lines.count, let third = lines[index + 2] {
                if third.indent == next.indent { hanging += 1 } else if third.indent < next.indent { firstLine += 1 }
            }
        }
        let indentation: Indentation = hanging > firstLine && hanging >= 2 ? .hanging
            : firstLine > hanging && firstLine >= 2 ? .firstLine : .none
        // (most lines of hard-wrapped text end without punctuation whatever its script)
        return PlainTextShape(mode: beforeBlank >= beforeText ? .blankSeparated : .hardWrapped, width: width, indentation: indentation)
    }
}

/// What the paragraph rules need to know of one line that is not blank, read from its
/// UTF-8 bytes.
struct LineShape: Equatable, Sendable {
    /// Bytes of the line's text: from its first character that is not a space or tab to
    /// its last one.
    var text: Range<Int>
    /// Columns of the indentation (a tab reaches the next multiple of 8).
    var indent: Int
    /// Code points of the text.
    var length: Int
    /// The text ends in sentence punctuation (`.` `!` `?` `…` and other scripts' full
    /// stops), maybe followed by closing quotes or brackets.
    var endsSentence: Bool
    /// The text ends in any punctuation that continues or ends a sentence: sentence
    /// punctuation, `,` `;` `:`, a hyphen, a soft hyphen (a word hyphenated there) or a dash.
    var endsPunctuation: Bool
    /// The text starts with a lower-case letter.
    var startsLowercase: Bool
    /// The text starts like a list item: a bullet (`*` `-` `•` …) alone or before a space,
    /// or one to three digits and `.` or `)` (maybe after a space) before a space.
    var listItem: Bool
    /// The text is in capitals: two or more letters, all of them capitals, and no final
    /// punctuation.
    var capitals: Bool
    /// The text ends in a hyphen (`-`, U+2010, U+2011) or a soft hyphen (U+00AD, a
    /// hyphenation point) right after a letter or digit: a word broken at a hyphen
    /// (`counter-`, `GAO-`, `infor­`), which the next line goes on with when it starts with
    /// a letter or digit (``startsWord``).
    var hyphenated: Bool
    /// The text starts with a letter or digit.
    var startsWord: Bool
    /// The text starts with a character that joins the one before it in a grapheme
    /// cluster (``ParagraphIndex/extendsCluster(_:_:_:)``: a combining mark, a zero-width
    /// joiner, a variation selector, a spacing mark): the line break came inside a
    /// letter, and the line goes on with the line before it.
    var joinsPrevious = false

    /// The shape of the line in bytes `start..<end` of `base` (no line feed; carriage
    /// returns at the end are left out), or nil when it is blank (``isBlank(_:_:_:)``).
    /// Zero-width characters at the text's start are passed over in deciding how it starts
    /// (lower case, a word, a list item). Bytes that are not valid UTF-8 (the start of a
    /// text is read before it is checked) count as neither letters nor punctuation.
    init?(_ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int) {
        // every line of a text passes here, so ASCII takes short cuts throughout
        var end = end
        while end > start && base[end - 1] == 0x0D { end -= 1 }
        var first = start, indent = 0
        while first < end {
            let byte = base[first]
            if byte == 0x20 { indent += 1 } else if byte == 0x09 { indent += 8 - indent % 8 } else if byte != 0x0D { break }
            first += 1
        }
        guard first < end else { return nil }
        // other white space and invisible characters only: blank all the same
        if (base[first] >= 0x80 || base[first] == 0x0B || base[first] == 0x0C) && LineShape.isBlank(base, first, end) { return nil }
        var last = end
        while last > first && (base[last - 1] == 0x20 || base[last - 1] == 0x09) { last -= 1 }
        text = first..<last
        self.indent = indent
        length = ParagraphIndex.countScalars(base + first, last - first)
        var leadStart = first
        if base[first] >= 0x80 { (joinsPrevious, leadStart) = LineShape.leadingMarks(base, first, last) }
        let lead = base[leadStart]
        if lead < 0x80 {
            startsLowercase = lead >= 0x61 && lead <= 0x7A
            listItem = startsLowercase || (lead >= 0x41 && lead <= 0x5A) ? false : LineShape.isListItem(base, leadStart, last)
        } else {
            startsLowercase = LineShape.startsLowercase(base, leadStart, last)
            listItem = LineShape.isListItem(base, leadStart, last)
        }
        (endsSentence, endsPunctuation) = LineShape.ending(base, first, last)
        capitals = !startsLowercase && !endsPunctuation && LineShape.isCapitals(base, first, last)
        hyphenated = endsPunctuation && !endsSentence
            && (LineShape.endsHyphenated(base, first, last) || LineShape.endsSoftHyphenated(base, first, last))
        if lead < 0x80 {
            startsWord = (lead >= 0x61 && lead <= 0x7A) || (lead >= 0x41 && lead <= 0x5A) || (lead >= 0x30 && lead <= 0x39)
        } else {
            startsWord = LineShape.scalar(base, at: leadStart, end: min(last, leadStart + 4)).map(LineShape.isWordCharacter) ?? false
        }
    }

    /// True when the line in bytes `start..<end` (no line break) is blank: it holds only
    /// white space (Unicode's White_Space: spaces, tabs, vertical tab, form feed, NEL,
    /// no-break and other Unicode spaces, the line and paragraph separators U+2028 and
    /// U+2029) and invisible characters (Default_Ignorable_Code_Point: zero-width space and
    /// joiners, variation selectors, U+FEFF, soft hyphen, direction marks). Carriage
    /// returns count as white space. Bytes that are not UTF-8 are not blank.
    static func isBlank(_ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        var position = start
        while position < end {
            let byte = base[position]
            if byte < 0x80 {
                // tab, line feed, vertical tab, form feed, carriage return, space
                guard byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) else { return false }
                position += 1
                continue
            }
            var next = position + 1
            while next < end && base[next] & 0xC0 == 0x80 { next += 1 }
            guard let scalar = scalar(base, at: position, end: next), isInvisible(scalar) else { return false }
            position = next
        }
        return true
    }

    /// True for a scalar drawn as nothing or as space: White_Space or Default_Ignorable_Code_Point.
    /// The blocks that hold none (most letters, the quotes and dashes lines start with)
    /// are passed without a table look-up.
    @inline(never)
    static func isInvisible(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0xA1...0xAC, 0xAE...0x34E, 0x350...0x61B, 0x61D...0x115E, 0x2010...0x2027, 0x2030...0x205E, 0x3001...0x3163, 0x3165...0xD7FF:
            return false
        default:
            return scalar.properties.isWhitespace || scalar.properties.isDefaultIgnorableCodePoint
        }
    }

    /// How the text in `first..<last`, which starts with a byte above ASCII, starts:
    /// whether its first character joins the one before it in a grapheme cluster
    /// (``joinsPrevious``), and its first byte that is neither a mark nor a format
    /// character (zero-width space and joiners, direction marks, U+FEFF, a soft hyphen),
    /// or `first` when nothing else follows them. One table look-up for a line that starts
    /// with a letter; kept out of line so ASCII lines never pay for it.
    @inline(never)
    static func leadingMarks(_ base: UnsafePointer<UInt8>, _ first: Int, _ last: Int) -> (joinsPrevious: Bool, visible: Int) {
        var position = first
        var joins = false
        while position < last && base[position] >= 0x80 {
            var end = position + 1
            while end < last && base[end] & 0xC0 == 0x80 { end += 1 }
            guard let scalar = scalar(base, at: position, end: end) else { break }
            // Latin, Greek and Cyrillic letters, punctuation, kana, CJK and Hangul: no mark nor
            // format character there (combining marks from U+0300, Cyrillic ones from U+0483,
            // U+302A-U+302F and U+3099-U+309A; U+00AD, U+200B-U+200F, U+2028-U+202F, U+205F-U+206F)
            switch scalar.value {
            case 0x80...0xAC, 0xAE...0x2FF, 0x370...0x482, 0x2010...0x2027, 0x2030...0x205E, 0x3001...0x3029, 0x3030...0x3098,
                 0x309B...0x31FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xAC00...0xD7A3:
                return (joins, position)
            default: break
            }
            switch scalar.properties.generalCategory {
            case .nonspacingMark, .spacingMark, .enclosingMark, .format:
                if position == first { joins = ParagraphIndex.extendsCluster(base, first, last) }
            case .modifierSymbol where position == first:
                // an emoji modifier (a skin tone) joins the emoji before it, and is seen
                return (ParagraphIndex.extendsCluster(base, first, last), first)
            default:
                return (joins, position)
            }
            position = end
        }
        return (joins, position < last && base[position] < 0x80 ? position : first)
    }

    /// True for a letter or a digit.
    static func isWordCharacter(_ scalar: Unicode.Scalar) -> Bool {
        // Latin-1 and Latin Extended letters, and the punctuation block lines open with
        // (quotes, dashes), without a table look-up
        switch scalar.value {
        case 0xC0...0xD6, 0xD8...0xF6, 0xF8...0x24F: return true
        case 0x2010...0x205E: return false
        default: return scalar.properties.isAlphabetic || scalar.properties.numericType == .decimal
        }
    }

    /// True when the text in `first..<last` ends in a hyphen right after a letter or digit.
    static func endsHyphenated(_ base: UnsafePointer<UInt8>, _ first: Int, _ last: Int) -> Bool {
        var hyphenStart = last - 1
        guard hyphenStart > first else { return false }
        if base[hyphenStart] != UInt8(ascii: "-") {
            // U+2010 HYPHEN, U+2011 NON-BREAKING HYPHEN: E2 80 90, E2 80 91
            guard last - first >= 4, base[last - 3] == 0xE2, base[last - 2] == 0x80, base[last - 1] == 0x90 || base[last - 1] == 0x91 else { return false }
            hyphenStart = last - 3
        }
        var start = hyphenStart - 1
        while start > first && base[start] & 0xC0 == 0x80 && hyphenStart - start < 4 { start -= 1 }
        guard let before = scalar(base, at: start, end: hyphenStart) else { return false }
        return before.isASCII ? (before.properties.isAlphabetic || ("0"..."9").contains(before)) : isWordCharacter(before)
    }

    /// True when the text in `first..<last` ends in a soft hyphen (U+00AD, C2 AD) right
    /// after a letter or digit: a word hyphenated at the line's end.
    static func endsSoftHyphenated(_ base: UnsafePointer<UInt8>, _ first: Int, _ last: Int) -> Bool {
        guard last - first >= 3, base[last - 2] == 0xC2, base[last - 1] == 0xAD else { return false }
        let hyphenStart = last - 2
        var start = hyphenStart - 1
        while start > first && base[start] & 0xC0 == 0x80 && hyphenStart - start < 4 { start -= 1 }
        guard let before = scalar(base, at: start, end: hyphenStart) else { return false }
        return isWordCharacter(before)
    }

    /// Code points of the text's first word (up to the first space or tab), read from the
    /// line's bytes at `base`: only hard-wrapped text asks, so it is not worked out for
    /// every line.
    func firstWord(in base: UnsafePointer<UInt8>) -> Int {
        ParagraphIndex.countScalars(base + text.lowerBound, LineShape.firstWordEnd(base, text.lowerBound, text.upperBound) - text.lowerBound)
    }

    /// The byte after the first word of the text in `first..<last`.
    static func firstWordEnd(_ base: UnsafePointer<UInt8>, _ first: Int, _ last: Int) -> Int {
        var end = first
        while end < last && base[end] != 0x20 && base[end] != 0x09 { end += 1 }
        return end
    }

    /// True when the text in `first..<last`, which starts with a byte above ASCII, starts
    /// with a lower-case letter. Kept out of line so that the table look-up costs ASCII
    /// lines nothing.
    @inline(never)
    static func startsLowercase(_ base: UnsafePointer<UInt8>, _ first: Int, _ last: Int) -> Bool {
        guard let scalar = scalar(base, at: first, end: last), !isCaseless(scalar) else { return false }
        return scalar.properties.isLowercase
    }

    /// What a scalar is to ``isCapitals(_:_:_:)``: a capital, another letter, or no letter.
    enum LetterCase { case upper, other, none }

    /// The case of `scalar`, out of line so that its table look-up costs ASCII nothing.
    @inline(never)
    static func letterCase(_ scalar: Unicode.Scalar) -> LetterCase {
        scalar.properties.isUppercase ? .upper : scalar.properties.isAlphabetic ? .other : .none
    }

    /// True when the text in `first..<last` has two or more letters, all of them capitals.
    /// Stops at the first other letter, which most lines have in their first word.
    static func isCapitals(_ base: UnsafePointer<UInt8>, _ first: Int, _ last: Int) -> Bool {
        var letters = 0
        var position = first
        while position < last {
            let byte = base[position]
            if byte < 0x80 {
                if byte >= 0x61 && byte <= 0x7A { return false }
                if byte >= 0x41 && byte <= 0x5A { letters += 1 }
                position += 1
                continue
            }
            var end = position + 1
            while end < last && base[end] & 0xC0 == 0x80 { end += 1 }
            if let scalar = scalar(base, at: position, end: end), !isCaseless(scalar) {
                switch letterCase(scalar) {
                case .upper: letters += 1
                // lower case, or a script without capitals (CJK, Arabic, Thai): stop here
                case .other: return false
                case .none: break
                }
            }
            position = end
        }
        return letters >= 2
    }

    /// True for punctuation and spaces that are surely neither letters nor cased (the
    /// Latin-1 signs, General Punctuation's quotes and dashes, CJK punctuation): lines
    /// start with them often, and asking for a scalar's properties costs a table look-up.
    static func isCaseless(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        // (the letters among them, ª µ º and 々 〆 〇, are left to the table)
        case 0x80...0xA9, 0xAB...0xB4, 0xB6...0xB9, 0xBB...0xBF, 0x2000...0x206F, 0x3000...0x3004, 0x3008...0x301F: return true
        default: return false
        }
    }

    /// Whether the text in `first..<last` ends a sentence, and whether it ends in any
    /// final punctuation; closing quotes and brackets at the end are passed over.
    static func ending(_ base: UnsafePointer<UInt8>, _ first: Int, _ last: Int) -> (sentence: Bool, punctuation: Bool) {
        var end = last
        while end > first {
            let byte = base[end - 1]
            if byte < 0x80 {
                switch byte {
                case UInt8(ascii: "."), UInt8(ascii: "!"), UInt8(ascii: "?"): return (true, true)
                case UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: ":"), UInt8(ascii: "-"): return (false, true)
                case UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: ")"), UInt8(ascii: "]"):
                    end -= 1
                    continue
                default: return (false, false)
                }
            }
            var start = end - 1
            while start > first && base[start] & 0xC0 == 0x80 && end - start < 4 { start -= 1 }
            guard let scalar = scalar(base, at: start, end: end) else { return (false, false) }
            if SentenceSplitter.isCloser(scalar) {
                end = start
                continue
            }
            if SentenceSplitter.isTerminator(scalar) { return (true, true) }
            switch scalar {
            case "\u{00AD}", "\u{2013}", "\u{2014}", "\u{3001}", "\u{FF0C}", "\u{FF1B}", "\u{FF1A}", "\u{060C}", "\u{061B}":
                return (false, true)
            default:
                return (false, false)
            }
        }
        return (false, false)
    }

    /// The scalar whose UTF-8 form starts at byte `start` and ends before `end`; nil when
    /// the bytes there are not one scalar's form.
    static func scalar(_ base: UnsafePointer<UInt8>, at start: Int, end: Int) -> Unicode.Scalar? {
        guard start < end else { return nil }
        let lead = base[start]
        if lead < 0x80 { return Unicode.Scalar(lead) }
        var value: UInt32, length: Int
        switch lead {
        case 0xC0...0xDF: (value, length) = (UInt32(lead & 0x1F), 2)
        case 0xE0...0xEF: (value, length) = (UInt32(lead & 0x0F), 3)
        case 0xF0...0xF7: (value, length) = (UInt32(lead & 0x07), 4)
        default: return nil
        }
        guard start + length <= end else { return nil }
        for offset in 1..<length {
            let byte = base[start + offset]
            guard byte & 0xC0 == 0x80 else { return nil }
            value = value << 6 | UInt32(byte & 0x3F)
        }
        return Unicode.Scalar(value)
    }

    /// True when the text in `first..<last` starts with a list marker.
    static func isListItem(_ base: UnsafePointer<UInt8>, _ first: Int, _ last: Int) -> Bool {
        guard let lead = scalar(base, at: first, end: last) else { return false }
        let wordEnd = firstWordEnd(base, first, last)
        switch lead {
        case "*", "-", "+", "\u{2022}", "\u{00B7}", "\u{2013}", "\u{2014}", "\u{2023}", "\u{25E6}", "\u{25AA}", "\u{25CF}":
            // the marker is the whole first word
            return wordEnd - first == String(lead).utf8.count
        case "0"..."9":
            // 1. 12) 3. and 1 ) as brat's tutorial writes it
            func isMark(_ byte: UInt8) -> Bool { byte == UInt8(ascii: ".") || byte == UInt8(ascii: ")") }
            func isDigits(_ range: Range<Int>) -> Bool {
                (1...3).contains(range.count) && range.allSatisfy { base[$0] >= 0x30 && base[$0] <= 0x39 }
            }
            guard wordEnd < last else { return false }
            if isMark(base[wordEnd - 1]) && isDigits(first..<(wordEnd - 1)) { return true }
            return isDigits(first..<wordEnd) && wordEnd + 2 < last && isMark(base[wordEnd + 1]) && base[wordEnd + 2] == 0x20
        default:
            return false
        }
    }
}

extension PlainTextShape {
    /// Whether `line`, which starts a paragraph, is a heading, given the next line that is
    /// not blank: a line of at most ``Document/maximumTitleLength`` code points, with a
    /// letter, without final punctuation, not a list item nor a link, one sentence, followed
    /// by a line that does not start in lower case nor with a mark joining it
    /// (``LineShape/joinsPrevious``) and is at least a quarter longer (three
    /// times as long in a text without sentence punctuation); in hard-wrapped text it also
    /// takes at most two thirds of a full line. The text's first line needs only a next line
    /// (the title, above a dateline or a byline).
    /// - Parameters:
    ///   - line: the candidate.
    ///   - next: the next line that is not blank.
    ///   - isFirst: `line` is the first line of the text.
    ///   - text: the candidate's text, decoded only when the cheap tests pass.
    func isHeading(_ line: LineShape, next: LineShape, isFirst: Bool, text: () -> String) -> Bool {
        guard line.length <= Document.maximumTitleLength, !line.endsPunctuation, !line.listItem, !next.startsLowercase,
              !next.joinsPrevious else { return false }
        if !isFirst {
            // in a text without sentence punctuation a heading must be far shorter
            guard unpunctuated ? 3 * line.length <= next.length : 5 * line.length <= 4 * next.length else { return false }
            if mode != .linePerParagraph && 3 * line.length > 2 * width { return false }
        }
        let string = text()
        // a link is not a heading
        guard string.unicodeScalars.contains(where: SentenceSplitter.isLetter), !string.contains("://") else { return false }
        return SentenceSplitter.sentences(in: string).count <= 1
    }

    /// Whether `line` starts a new paragraph after `previous` (the text line right before
    /// it, no blank line between, not a heading); both are read from `base`. Never when
    /// `line` starts with a mark that joins the line before it.
    func startsParagraph(_ line: LineShape, after previous: LineShape, base: UnsafePointer<UInt8>) -> Bool {
        if line.joinsPrevious { return false }
        switch mode {
        case .linePerParagraph:
            // a word broken at a hyphen, or a sentence broken over two lines
            if previous.hyphenated && line.startsWord { return false }
            return previous.endsSentence || !line.startsLowercase
        case .blankSeparated:
            return line.listItem || line.capitals || previous.capitals
        case .hardWrapped:
            if line.listItem || line.capitals || previous.capitals { return true }
            switch indentation {
            case .hanging where line.indent < previous.indent: return true
            case .firstLine where line.indent > previous.indent: return true
            default: break
            }
            // a sentence end where the next word would have fitted: the break was made on purpose
            return previous.endsSentence && !line.startsLowercase && previous.length + 1 + line.firstWord(in: base) <= width
        case .blocks:
            return false
        }
    }
}
