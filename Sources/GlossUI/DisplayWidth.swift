/// Terminal column widths and safe display forms of grapheme clusters.
///
/// Policy: a grapheme cluster (UAX #29, Swift's `Character`) is one unit of layout and
/// drawing. Its width is the width of its first scalar: 2 for East Asian Wide and
/// Fullwidth characters and for emoji with default emoji presentation (or followed by
/// VS16), else 1. No cluster is zero columns wide: a cluster that starts with a combining
/// mark is drawn on a no-break space, and one that starts with a format character
/// (zero-width space, joiners, bidi controls) is drawn as a middle dot, so an invisible
/// character can neither hide nor reorder the text around it.
/// Control characters (C0, DEL, C1) are never sent to the terminal: they display as the
/// Unicode control pictures (U+2400 block) or U+FFFD, one column wide. Layout and drawing
/// both call ``DisplayWidth/columns(of:)``, so they cannot disagree.
public enum DisplayWidth {
    /// Columns that `character` takes on screen after ``displayForm(of:)``: 1 or 2.
    public static func columns(of character: Character) -> Int {
        let scalars = character.unicodeScalars
        guard let first = scalars.first else { return 0 }
        if isControl(first) { return 1 }
        if scalars.count > 1, scalars.contains(where: { $0.value == 0xFE0F }), first.properties.isEmoji {
            return 2
        }
        return columns(of: first, cluster: scalars.count > 1)
    }

    /// Columns of one scalar as the first of a cluster.
    static func columns(of scalar: Unicode.Scalar, cluster: Bool) -> Int {
        let value = scalar.value
        if value < 0x7F { return 1 }
        if scalar.properties.isEmojiPresentation { return 2 }
        if isWide(value) { return 2 }
        if cluster, scalar.properties.isEmoji, scalar.properties.isEmojiModifierBase { return 2 }
        return 1
    }

    /// True for C0 controls, DEL and C1 controls.
    public static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }

    /// The text to draw for `character`: the character itself, or a visible placeholder
    /// for control characters (U+2400 + code for C0, U+2421 for DEL, U+FFFD for C1).
    /// Tabs, line feeds and carriage returns display as one space; the reader treats
    /// them as spacing, never as terminal commands.
    public static func displayForm(of character: Character) -> String {
        guard let first = character.unicodeScalars.first else { return " " }
        if character.isWhitespace && character.unicodeScalars.allSatisfy({ $0.value < 0x20 || $0.value == 0x20 || $0.value == 0x85 }) {
            return " "
        }
        if !character.unicodeScalars.contains(where: isControl) {
            switch first.properties.generalCategory {
            case .nonspacingMark, .enclosingMark, .spacingMark: return "\u{00A0}" + String(character)
            case .format: return first.value == 0x00AD ? "-" : "\u{00B7}"
            default: return String(character)
            }
        }
        let value = first.value
        if value < 0x20 { return String(Unicode.Scalar(0x2400 + value)!) }
        if value == 0x7F { return "\u{2421}" }
        return "\u{FFFD}"
    }

    /// Sum of ``columns(of:)`` over the characters of `text`.
    public static func columns(of text: String) -> Int {
        text.reduce(0) { $0 + columns(of: $1) }
    }

    /// East Asian Wide (W) and Fullwidth (F) ranges of Unicode 15 (EastAsianWidth.txt),
    /// merged; emoji are handled through their presentation property.
    static func isWide(_ value: UInt32) -> Bool {
        switch value {
        case 0x1100...0x115F, 0x231A...0x231B, 0x2329...0x232A, 0x2E80...0x303E, 0x3041...0x33FF,
             0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF, 0xA960...0xA97F, 0xAC00...0xD7A3,
             0xF900...0xFAFF, 0xFE10...0xFE19, 0xFE30...0xFE6F, 0xFF00...0xFF60, 0xFFE0...0xFFE6,
             0x16FE0...0x16FE4, 0x17000...0x18CFF, 0x1B000...0x1B2FF, 0x1F200...0x1F2FF,
             0x20000...0x2FFFD, 0x30000...0x3FFFD:
            return true
        default:
            return false
        }
    }
}
