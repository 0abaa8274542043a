import GlossCore

/// One grapheme cluster of the document placed on a wrapped line.
public struct Glyph: Hashable, Sendable {
    /// The grapheme as it is in the document.
    public let character: Character
    /// Its code points in the document, end exclusive.
    public let range: Range<Int>
    /// Its first column within the line.
    public let column: Int
    /// Columns it takes (``DisplayWidth/columns(of:)``); 0 for the spaces and tabs a
    /// reflowed line ending swallows and for a line ending after a hyphen that breaks a
    /// word (``Wrapper``), which are not drawn. Whitespace past
    /// the pane edge is kept on the line with its column so offsets stay complete, but is
    /// not drawn.
    public let width: Int
}

/// A wrapped line of a paragraph.
public struct LayoutLine: Hashable, Sendable {
    /// The line's glyphs, left to right in logical order.
    public var glyphs: [Glyph]
    /// Code points from the first glyph's start to the last glyph's end.
    public var range: Range<Int> {
        guard let first = glyphs.first, let last = glyphs.last else { return 0..<0 }
        return first.range.lowerBound..<last.range.upperBound
    }
}

/// The paragraph cut into graphemes with their document offsets.
public struct ParagraphText: Sendable {
    /// Index of the paragraph in the document.
    public let index: Int
    /// Code-point range in the document.
    public let range: Range<Int>
    /// Each grapheme with its first code point (absolute).
    public let graphemes: [(character: Character, start: Int)]

    /// Cuts paragraph `index` of `document`.
    public init(document: Document, index: Int) {
        self.index = index
        range = document.paragraph(index)?.range ?? 0..<0
        var offset = range.lowerBound
        var graphemes: [(character: Character, start: Int)] = []
        for character in document.text(ofParagraph: index) {
            graphemes.append((character, offset))
            offset += character.unicodeScalars.count
        }
        self.graphemes = graphemes
    }

    /// Cuts the UTF-8 `bytes` of paragraph `index` of `document` (a part of a giant
    /// paragraph, ``TextCache``), whose first code point is `start` and which holds
    /// `length` code points.
    init(document: Document, index: Int, bytes: Range<Int>, startingAt start: Int, length: Int) {
        self.index = index
        range = start..<(start + length)
        var offset = start
        var graphemes: [(character: Character, start: Int)] = []
        for character in GiantParagraph.string(document, bytes) {
            graphemes.append((character, offset))
            offset += character.unicodeScalars.count
        }
        self.graphemes = graphemes
    }

    /// The grapheme boundaries: each grapheme's start plus the paragraph's end.
    public var boundaries: [Int] { graphemes.map(\.start) + [range.upperBound] }
}

/// Greedy word wrapping of one paragraph to a width in columns.
///
/// Lines break after whitespace, before and after an East Asian wide character
/// (``DisplayWidth/breaksAround(_:)``), and, for a
/// word longer than the width, between graphemes. A paragraph's line endings are reflowed:
/// a line ending and the indentation of the line after it are drawn as one space (the line
/// ending's glyph is one column wide, the indentation's glyphs none), or as nothing after
/// a hyphen that breaks a word (`counter-⏎terrorism`, ``joinsAtHyphen(_:before:after:)``),
/// and spaces and tabs before a line ending are not drawn (no columns). Every grapheme keeps its glyph and its
/// offsets, so a cell maps back to the code points it shows. A tab takes the columns up to
/// the next multiple of ``tabWidth`` (a glyph's `width` says how many).
public enum Wrapper {
    /// Columns between tab stops.
    public static let tabWidth = 8

    /// `character.isWhitespace` (its first scalar is White_Space, Unicode's PropList.txt)
    /// without the property table's look-up, which cost the first screen a quarter of a
    /// million instructions: the property's 25 code points, unchanged since Unicode 6.3.
    static func isWhitespace(_ character: Character) -> Bool {
        switch character.unicodeScalars.first?.value ?? 0 {
        case 0x09...0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: return true
        default: return false
        }
    }

    /// The lines of `paragraph` at `width` columns (at least 1). An empty paragraph gives
    /// one empty line.
    public static func wrap(_ paragraph: ParagraphText, width: Int) -> [LayoutLine] {
        let width = max(1, width)
        var lines: [LayoutLine] = []
        var current: [Glyph] = []
        var column = 0
        var lastBreak = 0  // index in `current` where the line may break

        func flush(upTo count: Int) {
            let kept = Array(current[..<count])
            let carried = current[count...]
            lines.append(LayoutLine(glyphs: kept))
            current = []
            column = 0
            for glyph in carried {
                current.append(Glyph(character: glyph.character, range: glyph.range, column: column, width: glyph.width))
                column += glyph.width
            }
            lastBreak = 0
        }

        let (swallowed, unbroken) = reflowedLineEndings(paragraph.graphemes)
        for (index, grapheme) in paragraph.graphemes.enumerated() {
            let end = index + 1 < paragraph.graphemes.count ? paragraph.graphemes[index + 1].start : paragraph.range.upperBound
            let range = grapheme.start..<end
            let character = grapheme.character
            if Wrapper.isWhitespace(character) {
                // a tab reaches the next tab stop on screen; in offsets it stays one code point
                let columns = swallowed.contains(index) ? 0
                    : character == "\t" ? Wrapper.tabWidth - column % Wrapper.tabWidth : DisplayWidth.columns(of: character)
                if current.isEmpty && !lines.isEmpty {
                    // whitespace at a wrap point hangs on the previous line
                    let previous = lines[lines.count - 1]
                    let hangColumn = (previous.glyphs.last.map { $0.column + $0.width }) ?? 0
                    lines[lines.count - 1].glyphs.append(Glyph(character: character, range: range, column: hangColumn, width: columns))
                    continue
                }
                current.append(Glyph(character: character, range: range, column: column, width: columns))
                column += columns
                // a word joined across a line ending (a mark, a soft hyphen) is not broken there
                if !unbroken.contains(index) { lastBreak = current.count }
                continue
            }
            // a soft hyphen ending a line, and a mark starting one, take no columns of their own
            let columns = swallowed.contains(index) ? 0 : DisplayWidth.columns(of: character)
            let breaksAround = DisplayWidth.breaksAround(character)
            if breaksAround, !current.isEmpty { lastBreak = current.count }
            if column + columns > width {
                if lastBreak > 0 && lastBreak < current.count {
                    flush(upTo: lastBreak)
                }
                // the word carried over may still leave no room for a cluster several cells
                // wide (an emoji family): a word longer than the line breaks here
                if column + columns > width && !current.isEmpty {
                    flush(upTo: current.count)
                }
            }
            current.append(Glyph(character: character, range: range, column: column, width: columns))
            column += columns
            if breaksAround { lastBreak = current.count }
        }
        if !current.isEmpty || lines.isEmpty { lines.append(LayoutLine(glyphs: current)) }
        return lines
    }

    /// True for a line ending inside a paragraph: a line feed, CR LF or a lone carriage
    /// return.
    static func isLineEnding(_ character: Character) -> Bool {
        // compared by scalar: Character equality is far slower, and this runs per grapheme
        let scalars = character.unicodeScalars
        guard let first = scalars.first else { return false }
        return first == "\n" || (first == "\r" && (scalars.count == 1 || scalars.last == "\n"))
    }

    /// True for a grapheme that is a lone space or tab.
    static func isBlank(_ character: Character) -> Bool {
        let scalars = character.unicodeScalars
        return scalars.count == 1 && (scalars.first == " " || scalars.first == "\t")
    }

    /// Indexes of the graphemes that reflowing draws in no columns: the spaces and tabs
    /// right before a line ending (trailing spaces) and right after one (the next line's
    /// indentation), a line ending that joins a word broken at a hyphen
    /// (``joinsAtHyphen(_:before:after:)``), and a line ending that joins the next line
    /// to the character before it without a space (``joinsWithoutSpace(_:before:after:)``)
    /// with what makes it join: a soft hyphen before it, which is a hyphenation point and
    /// not shown, or the combining mark, joiner or variation selector the next line starts
    /// with, which is drawn on the character before the line ending
    /// (``isJoinedMark(_:)``).
    static func swallowedBlanks(_ graphemes: [(character: Character, start: Int)]) -> Set<Int> {
        reflowedLineEndings(graphemes).swallowed
    }

    /// ``swallowedBlanks(_:)``, and the indexes of the blanks and line endings between two
    /// lines joined by a soft hyphen or a mark: a word goes on across them, so a line does
    /// not wrap there.
    static func reflowedLineEndings(_ graphemes: [(character: Character, start: Int)]) -> (swallowed: Set<Int>, unbroken: Set<Int>) {
        var swallowed = Set<Int>(), unbroken = Set<Int>()
        for (index, grapheme) in graphemes.enumerated() where isLineEnding(grapheme.character) {
            var before = index - 1
            while before >= 0 && isBlank(graphemes[before].character) {
                swallowed.insert(before)
                before -= 1
            }
            var after = index + 1
            while after < graphemes.count && isBlank(graphemes[after].character) {
                swallowed.insert(after)
                after += 1
            }
            if joinsAtHyphen(graphemes, before: before, after: after) { swallowed.insert(index) }
            switch joinsWithoutSpace(graphemes, before: before, after: after) {
            case .softHyphen:
                swallowed.formUnion([before, index])
                unbroken.formUnion((before + 1)..<after)
            case .mark where after == index + 1:
                // a spacing mark keeps its own columns
                swallowed.insert(index)
                if DisplayWidth.isZeroWidthExtension(graphemes[after].character) { swallowed.insert(after) }
                unbroken.formUnion((before + 1)..<after)
            default:
                break
            }
        }
        return (swallowed, unbroken)
    }

    /// What makes a line ending join the lines around it with no space.
    enum Join {
        /// A soft hyphen (U+00AD) ends the line.
        case softHyphen
        /// The next line starts with a combining mark, joiner or variation selector.
        case mark
    }

    /// Why the line ending between grapheme `before` (the last before it that is not a
    /// space or tab) and grapheme `after` (the first after the next line's indentation)
    /// joins the lines with no space, or nil when it does not: a soft hyphen ends the line
    /// (`infor­⏎mation` is drawn `information`), or the next line starts with a
    /// grapheme cluster that is only a mark, joiner or variation selector, which belongs to
    /// the character before the line ending (`cafe⏎◌́` is drawn `café`). Offsets and
    /// quotes keep the line ending and the soft hyphen.
    static func joinsWithoutSpace(_ graphemes: [(character: Character, start: Int)], before: Int, after: Int) -> Join? {
        guard before >= 0, after < graphemes.count else { return nil }
        if before >= 1, graphemes[before].character.unicodeScalars.elementsEqual([ReflowedText.softHyphen]) { return .softHyphen }
        return isJoinedMark(graphemes[after].character) ? .mark : nil
    }

    /// True for a grapheme cluster that starts with a combining mark, joiner or variation
    /// selector (``ReflowedText/startsJoined(_:)``): after a line ending it is drawn on the
    /// character before the line ending.
    static func isJoinedMark(_ character: Character) -> Bool {
        character.unicodeScalars.first.map(ReflowedText.startsJoined) ?? false
    }

    /// True when the line ending between grapheme `before` (the last before it that is
    /// not a space or tab) and grapheme `after` (the first after the next line's
    /// indentation) ends a line on a hyphen right after a letter or digit and the next
    /// line starts with a letter or digit: `counter-⏎terrorism` is drawn
    /// `counter-terrorism`, `GAO-⏎02-954T` `GAO-02-954T`, not with a space after the
    /// hyphen. The hyphen stays (the word may be a compound; only the text could say),
    /// and offsets and quotes keep the line ending.
    static func joinsAtHyphen(_ graphemes: [(character: Character, start: Int)], before: Int, after: Int) -> Bool {
        guard before >= 1, after < graphemes.count else { return false }
        let hyphen = graphemes[before].character
        guard hyphen == "-" || hyphen == "\u{2010}" || hyphen == "\u{2011}" else { return false }
        // a letter or a decimal digit, as GlossCore's paragraph rules read it
        func isWordCharacter(_ character: Character) -> Bool {
            guard let scalar = character.unicodeScalars.first else { return false }
            return scalar.properties.isAlphabetic || scalar.properties.numericType == .decimal
        }
        return isWordCharacter(graphemes[before - 1].character) && isWordCharacter(graphemes[after].character)
    }
}
