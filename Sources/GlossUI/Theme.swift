/// The styles the screen is drawn with, by role rather than by widget, so that colour
/// themes, `NO_COLOR` and fallbacks for terminals with fewer colours change one value.
///
/// Roles that stand alone (a rule, a hint, the status bar) are whole ``Style``s; roles that
/// mark text already styled (the focus, an error, a category's colour) are applied to a
/// style with ``focused(_:)``, ``error(_:)`` and ``colored(_:category:)``.
public struct Theme: Hashable, Sendable {
    /// Body text.
    public var text = Style()
    /// Lines between panes.
    public var rule = Style(dim: true)
    /// Hints and secondary text: the quote under each list entry, the empty list's help.
    public var hint = Style(dim: true)
    /// Headings: the document's headings and title, the list's title, a prompt's label, the
    /// help box and its keys.
    public var heading = Style(bold: true)
    /// Boilerplate in the text (menus, share buttons, comment forms; ``Boilerplate``):
    /// dimmed, never bold.
    public var boilerplate = Style(dim: true)
    /// The mark drawn in the text pane's left margin beside each line of boilerplate.
    public var boilerplateMark = "\u{250A}"
    /// The status line's bar.
    public var statusBar = Style(reverse: true)
    /// A prompt's cursor, and the row of completions.
    public var promptCursor = Style(reverse: true)
    /// The completion Enter would take.
    public var currentCompletion = Style(bold: true, underline: true)

    /// The default theme: the terminal's own colours plus reverse video, bold, dim and
    /// underline, and the codebook's named colours for categories.
    public static let standard = Theme()

    /// `style` marked as the focus or selection (reverse video).
    public func focused(_ style: Style) -> Style {
        var style = style
        style.reverse = true
        return style
    }

    /// `style` marked as the text a search found: bold and underlined, out of the
    /// reverse video of its focused sentence, as `less` marks matches.
    public func searchMatch(_ style: Style) -> Style {
        var style = style
        style.reverse = false
        style.bold = true
        style.underline = true
        return style
    }

    /// `style` marked as an error or a warning (bold red).
    public func error(_ style: Style) -> Style {
        var style = style
        style.foreground = .red
        style.bold = true
        return style
    }

    /// `style` in the colour a codebook gives a category (`named` as in ``Color/init(named:)``).
    public func colored(_ style: Style, category named: String) -> Style {
        var style = style
        style.foreground = Color(named: named)
        return style
    }
}
