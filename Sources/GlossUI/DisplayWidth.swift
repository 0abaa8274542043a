import GlossCore

/// Terminal column widths and safe display forms of grapheme clusters.
///
/// Policy: a grapheme cluster (UAX #29, Swift's `Character`) is one unit of layout: it is
/// never split across lines and no cursor or span boundary falls inside it. On screen it
/// is drawn as one or more cells, one per spacing character with the zero-width marks
/// that follow it, and each cell is as wide as the C library's `wcwidth` says, because that
/// is what ncurses advances by: 2 for East Asian Wide and Fullwidth characters and emoji,
/// 1 for other spacing characters (Thai SARA AM, Indic spacing vowel signs), 0 for
/// combining marks. So a Thai or Hindi syllable keeps every letter, and an emoji sequence
/// shows its component emoji side by side: the zero-width joiner and variation selector
/// 16 are not drawn, so the terminal cannot fuse cells that ncurses counts apart. A cluster
/// that starts with a combining mark is drawn on a no-break space; one that starts with a
/// format character (zero-width space, bidi controls) as a middle dot; control characters
/// (C0, DEL, C1) as the Unicode control pictures or U+FFFD. Layout, drawing and the
/// real-ncurses test all use ``cells(of:)``.
public enum DisplayWidth {
    /// One cell of a drawn grapheme: text that is safe to send to the terminal (one
    /// spacing character and the zero-width marks after it) and its width, 1 or 2.
    public struct DrawnCell: Hashable, Sendable {
        /// What to draw.
        public var text: String
        /// Columns, 1 or 2.
        public var width: Int
    }

    /// Most code points one cell holds: ncurses' `CCHARW_MAX` (5), a spacing character and
    /// four marks; further marks on the same character are not drawn.
    public static let maxScalarsPerCell = 5

    /// The cells `character` is drawn as, left to right; never empty.
    ///
    /// Works scalar by scalar, so any `Character` is safe, including ones the display
    /// builds itself (a reflowed line break or a control placeholder followed by a mark):
    /// a line break, tab or other whitespace control is one blank; another control is its
    /// placeholder (``placeholder(for:)``); ZWJ and VS16 are not drawn; a format character
    /// shows as a middle dot (a soft hyphen as `-`) when it starts the cluster and is
    /// dropped inside one; a zero-width mark joins the cell before it, or a no-break
    /// space when nothing is before it.
    public static func cells(of character: Character) -> [DrawnCell] {
        if isPrintableASCII(character) { return [DrawnCell(text: String(character), width: 1)] }
        let scalars = character.unicodeScalars
        if scalars.isEmpty || scalars.allSatisfy(isBlank) { return [DrawnCell(text: " ", width: 1)] }
        var cells: [DrawnCell] = []
        for scalar in scalars {
            if isControl(scalar) || isBlank(scalar) {
                cells.append(DrawnCell(text: placeholder(for: scalar), width: 1))
                continue
            }
            if scalar.value == 0x200D || scalar.value == 0xFE0F { continue }
            if scalar.properties.generalCategory == .format {
                if cells.isEmpty { cells.append(DrawnCell(text: scalar.value == 0x00AD ? "-" : String(ControlPictures.formatCharacter), width: 1)) }
                continue
            }
            let width = columns(of: scalar)
            if width == 0 {
                if cells.isEmpty { cells.append(DrawnCell(text: "\u{00A0}", width: 1)) }
                if cells[cells.count - 1].text.unicodeScalars.count < maxScalarsPerCell {
                    cells[cells.count - 1].text.unicodeScalars.append(scalar)
                }
            } else {
                cells.append(DrawnCell(text: String(scalar), width: width))
            }
        }
        return cells.isEmpty ? [DrawnCell(text: String(ControlPictures.formatCharacter), width: 1)] : cells
    }

    /// The zero-width marks of `character` that are drawn, without a base: its combining
    /// marks, as ``cells(of:)`` draws them on the cell before (ZWJ, variation selector 16
    /// and other format characters are not drawn). Empty when it holds a spacing
    /// character, a control or a blank, which takes columns of its own.
    public static func joinedMarks(of character: Character) -> String {
        var marks = String.UnicodeScalarView()
        for scalar in character.unicodeScalars {
            if scalar.value == 0x200D || scalar.value == 0xFE0F || scalar.properties.generalCategory == .format { continue }
            guard !isControl(scalar), !isBlank(scalar), columns(of: scalar) == 0 else { return "" }
            marks.append(scalar)
        }
        return String(marks)
    }

    /// True when `character` takes no columns after the character before it: only
    /// zero-width marks, joiners and variation selectors (``joinedMarks(of:)``), none of
    /// them a control or blank.
    public static func isZeroWidthExtension(_ character: Character) -> Bool {
        character.unicodeScalars.allSatisfy { scalar in
            scalar.value == 0x200D || scalar.value == 0xFE0F || scalar.properties.generalCategory == .format
                || (!isControl(scalar) && !isBlank(scalar) && columns(of: scalar) == 0)
        }
    }

    /// True when `character` is one printable ASCII character (space to `~`), drawn as
    /// itself in one column: most of most texts, so layout and drawing look at it first.
    @inline(__always)
    public static func isPrintableASCII(_ character: Character) -> Bool {
        let utf8 = character.utf8
        guard utf8.count == 1, let value = utf8.first else { return false }
        return value >= 0x20 && value < 0x7F
    }

    /// True for the scalars drawn as a blank: the ASCII whitespace controls (tab, line
    /// feed, vertical tab, form feed, carriage return), space, NEL (U+0085) and the line
    /// and paragraph separators (U+2028, U+2029), which a terminal would otherwise move
    /// the cursor for.
    static func isBlank(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09...0x0D, 0x20, 0x85, 0x2028, 0x2029: return true
        default: return false
        }
    }

    /// What a control or blank scalar is drawn as: a space for ``isBlank(_:)`` scalars,
    /// else its ``ControlPictures/picture(of:)`` (U+2400 + code for other C0 controls,
    /// U+2421 for DEL, U+FFFD for C1 controls); any other scalar as itself.
    public static func placeholder(for scalar: Unicode.Scalar) -> String {
        if isBlank(scalar) { return " " }
        return String(ControlPictures.picture(of: scalar) ?? scalar)
    }

    /// Columns that `character` takes on screen: the sum of its ``cells(of:)``, at least 1.
    public static func columns(of character: Character) -> Int {
        if isPrintableASCII(character) { return 1 }
        let scalars = character.unicodeScalars
        if scalars.count == 1, let only = scalars.first {
            return isControl(only) ? 1 : max(1, columns(of: only))
        }
        return cells(of: character).reduce(0) { $0 + $1.width }
    }

    /// Columns of one scalar, as glibc's `wcwidth` gives them: 0 for combining marks,
    /// format characters and Hangul medial and final jamo; 2 for wide characters and
    /// emoji; else 1.
    public static func columns(of scalar: Unicode.Scalar) -> Int {
        let value = scalar.value
        if value < 0x7F { return 1 }
        switch value {
        // prepended concatenation marks (Arabic number signs and the like) are spacing
        case 0x0600...0x0605, 0x06DD, 0x070F, 0x0890...0x0891, 0x08E2, 0x110BD, 0x110CD: return 1
        case 0x1171E: return 0
        default: break
        }
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark:
            return 0
        case .format:
            return value == 0x00AD ? 1 : 0
        default:
            break
        }
        if (0x1160...0x11FF).contains(value) || (0xD7B0...0xD7FF).contains(value) || value == 0x200B { return 0 }
        // regional indicators are emoji but one column each in wcwidth; a flag is two of them
        if (0x1F1E6...0x1F1FF).contains(value) { return 1 }
        if scalar.properties.isEmojiPresentation { return 2 }
        if isWide(value) { return 2 }
        return 1
    }

    /// True when a line may break before and after `character` without a space: East Asian
    /// wide and fullwidth characters (CJK ideographs, kana, Hangul syllables), which are
    /// written without spaces between words.
    public static func breaksAround(_ character: Character) -> Bool {
        guard let first = character.unicodeScalars.first else { return false }
        return isWide(first.value) && !first.properties.isEmojiPresentation
    }

    /// True for C0 controls, DEL and C1 controls (``ControlPictures/isControl(_:)``).
    public static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        ControlPictures.isControl(scalar)
    }

    /// The text `character` is drawn as: its ``cells(of:)`` joined. Controls become
    /// visible placeholders (U+2400 + code for C0, U+2421 for DEL, U+FFFD for C1); tabs,
    /// line breaks and carriage returns a space.
    public static func displayForm(of character: Character) -> String {
        cells(of: character).map(\.text).joined()
    }

    /// `text` as the reader draws it, for writing to a terminal: each grapheme cluster as
    /// its ``displayForm(of:)``, so no control character or escape sequence of a document
    /// reaches the terminal and the invisible characters the reader shows are shown alike
    /// (a zero-width space, a bidi control, a soft hyphen as `·` or `-`; a tab, a line
    /// break and other white space controls as a space). `gloss grep` and the other
    /// commands that print a document's words use it on a terminal, and leave text for a
    /// file or a pipe as it is.
    /// - Parameter keepingLineEnds: when true, line feeds and CR LF stay, so text made of
    ///   lines still shows as lines; a lone carriage return, which would send the cursor
    ///   back over the line, becomes a line feed.
    public static func terminalForm(of text: String, keepingLineEnds: Bool = false) -> String {
        var shown = ""
        for character in text {
            if isPrintableASCII(character) {
                shown.append(character)
            } else if keepingLineEnds && (character == "\n" || character == "\r\n") {
                shown.append(character)
            } else if keepingLineEnds && character == "\r" {
                shown.append("\n")
            } else {
                shown += displayForm(of: character)
            }
        }
        return shown
    }

    /// Sum of ``columns(of:)`` over the characters of `text`.
    public static func columns(of text: String) -> Int {
        text.reduce(0) { $0 + columns(of: $1) }
    }

    /// East Asian Wide (W) and Fullwidth (F) ranges as glibc's `wcwidth` has them
    /// (Unicode 15, EastAsianWidth.txt), merged; emoji are handled through their
    /// presentation property. A test compares every scalar with `wcwidth`.
    static func isWide(_ value: UInt32) -> Bool {
        switch value {
        case 0x1100...0x115F, 0x231A...0x231B, 0x2329...0x232A, 0x2E80...0x303E, 0x3041...0x33FF,
             0x3400...0x4DBF, 0x4DC0...0x4DFF, 0x4E00...0x9FFF, 0xA000...0xA4CF, 0xA960...0xA97F, 0xAC00...0xD7A3,
             0xF900...0xFAFF, 0xFE10...0xFE19, 0xFE30...0xFE6F, 0xFF00...0xFF60, 0xFFE0...0xFFE6,
             0x16FE0...0x16FE4, 0x16FF0...0x16FF1, 0x17000...0x18DFF, 0x1AFF0...0x1AFFF, 0x1B000...0x1B2FF, 0x1F200...0x1F2FF,
             0x20000...0x2FFFD, 0x30000...0x3FFFD:
            return true
        default:
            return false
        }
    }
}
