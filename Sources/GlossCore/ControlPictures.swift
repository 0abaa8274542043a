/// How Gloss shows a text's control characters wherever they would act on a terminal
/// instead of appearing: in the reader, in the Markdown report, and in what `gloss export`
/// writes to a terminal.
///
/// A C0 control (U+0000–U+001F) is shown as its picture in the Unicode Control Pictures
/// block, U+2400 plus its code (ESC as ␛, BEL as ␇); DEL (U+007F) as ␡ (U+2421); a C1
/// control (U+0080–U+009F), which has no picture, as U+FFFD. The controls that are white
/// space (tab, line feed, vertical tab, form feed, carriage return and next line, U+0085)
/// are shown as a space, as the reader lays them out.
///
/// A bidirectional formatting control (``isBidiControl(_:)``) does not act on a terminal
/// but reorders the text around it wherever the text is displayed with the Unicode
/// bidirectional algorithm, as a rendered Markdown report is, so that it reads other
/// than it is ("Trojan Source", CVE-2021-42574). Where asked, it is shown as the reader
/// draws it, as ``formatCharacter``.
public enum ControlPictures {
    /// What the reader draws a format character (general category Cf) that starts a
    /// grapheme cluster as, other than a soft hyphen: a middle dot, U+00B7.
    public static let formatCharacter: Unicode.Scalar = "\u{00B7}"

    /// True for the bidirectional formatting controls, Unicode's Bidi_Control property:
    /// U+061C, U+200E, U+200F, U+202A–U+202E and U+2066–U+2069. Each is a format
    /// character and a grapheme cluster of its own, so the reader draws it as
    /// ``formatCharacter``.
    public static func isBidiControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isBidiControl
    }

    /// True for C0 controls, DEL and C1 controls.
    public static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }

    /// What `scalar` is shown as when it is a control (see the type's documentation); nil
    /// for any other scalar, which is shown as itself.
    public static func picture(of scalar: Unicode.Scalar) -> Unicode.Scalar? {
        switch scalar.value {
        case 0x09...0x0D, 0x85: return " "
        case 0x00..<0x20: return Unicode.Scalar(0x2400 + scalar.value)
        case 0x7F: return "\u{2421}"
        case 0x80...0x9F: return "\u{FFFD}"
        default: return nil
        }
    }

    /// `text` with every control replaced by its ``picture(of:)``, scalar by scalar.
    /// - Parameters:
    ///   - keepingLineEnds: when true, line feeds and the carriage return of a CRLF stay as
    ///     they are, so text made of lines still shows as lines; a lone carriage return,
    ///     which also ends a line (classic Mac OS text) but would send the cursor back over
    ///     the line, is shown as a line feed.
    ///   - showingBidiControls: when true, bidirectional formatting controls are replaced
    ///     by ``formatCharacter`` too, for text that is displayed with the bidirectional
    ///     algorithm.
    public static func visible(_ text: String, keepingLineEnds: Bool = false, showingBidiControls: Bool = false) -> String {
        func replaced(_ scalar: Unicode.Scalar) -> Bool { isControl(scalar) || showingBidiControls && isBidiControl(scalar) }
        guard text.unicodeScalars.contains(where: replaced) else { return text }
        var shown = String.UnicodeScalarView()
        let scalars = Array(text.unicodeScalars)
        for (index, scalar) in scalars.enumerated() {
            let lineEnd = scalar == "\n" || scalar == "\r" && index + 1 < scalars.count && scalars[index + 1] == "\n"
            if keepingLineEnds && lineEnd {
                shown.append(scalar)
            } else if keepingLineEnds && scalar == "\r" {
                shown.append("\n")
            } else if showingBidiControls && isBidiControl(scalar) {
                shown.append(formatCharacter)
            } else {
                shown.append(picture(of: scalar) ?? scalar)
            }
        }
        return String(shown)
    }
}
