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

    /// The theme's name, as the configuration file and ``named(_:)`` write it.
    public var name = "default"
    /// Whether categories are drawn in their codebook colour; false in ``monochrome``, and
    /// the terminal then uses no colour at all.
    public var usesColor = true
    /// Whether text in a category's colour is also bold (``highContrast``).
    public var boldCategories = false
    /// Whether categories show by their key as a marker (`[a] Actor`, and the key in the
    /// text pane's margins) and tagged text is underlined, so nothing depends on colour
    /// (``monochrome``).
    public var marksCategories = false
    /// Whether the focus is bold as well as in reverse video (``highContrast``).
    public var boldFocus = false
    /// The style of the category keys in the text pane's margins (``marksCategories``).
    public var categoryMark = Style(bold: true)

    /// The default theme: the terminal's own background and foreground, the codebook's
    /// colours for categories, reverse video for the focus, bold, dim and underline.
    public static let standard = Theme()

    /// For terminals or eyes where dim text and plain colour do not read: nothing is dim
    /// (hints, rules and boilerplate are in the text's own colour; boilerplate keeps its
    /// margin mark), the focus and the status bar are bold in reverse video, and category
    /// colours are bold (bright on most terminals), on dark and light backgrounds alike.
    public static let highContrast: Theme = {
        var theme = Theme()
        theme.name = "high-contrast"
        theme.rule = Style()
        theme.hint = Style()
        theme.boilerplate = Style()
        theme.statusBar = Style(bold: true, reverse: true)
        theme.promptCursor = Style(bold: true, reverse: true)
        theme.boldCategories = true
        theme.boldFocus = true
        return theme
    }()

    /// No colour at all (`NO_COLOR`, or a terminal without colours): bold, dim, underline
    /// and reverse video only. Tagged text is underlined and each category shows by its
    /// key: `[a]` before its label in the lists, the detail view, the codebook view and
    /// the summary, and the key in the text pane's margins beside the lines it tags.
    /// Errors are bold.
    public static let monochrome: Theme = {
        var theme = Theme()
        theme.name = "monochrome"
        theme.usesColor = false
        theme.marksCategories = true
        return theme
    }()

    /// The themes by name, in the order help lists them: `default`, `high-contrast`,
    /// `monochrome`.
    public static let all: [Theme] = [.standard, .highContrast, .monochrome]

    /// The names ``named(_:)`` takes.
    public static var names: [String] { all.map(\.name) }

    /// The theme called `name` (one of ``names``, exactly), or nil.
    public static func named(_ name: String) -> Theme? {
        all.first { $0.name == name }
    }

    /// Whether `environment` asks for no colour: `NO_COLOR` set and not empty
    /// (https://no-color.org).
    public static func noColorRequested(in environment: [String: String]) -> Bool {
        !(environment["NO_COLOR"] ?? "").isEmpty
    }

    /// The theme to draw with: ``monochrome`` when `environment` has `NO_COLOR` (set, not
    /// empty) or the terminal has no colours (`terminalColors` 0), whatever was configured;
    /// else the theme named `configured` (``named(_:)``), ``standard`` when nil or unknown.
    /// - Parameter terminalColors: how many colours the terminal has (curses' `COLORS`), 0
    ///   when it has none or they are not used.
    public static func effective(configured: String?, environment: [String: String], terminalColors: Int) -> Theme {
        if noColorRequested(in: environment) || terminalColors <= 0 { return .monochrome }
        return configured.flatMap(named) ?? .standard
    }

    /// `style` marked as the focus or selection (reverse video; bold too when
    /// ``boldFocus``).
    public func focused(_ style: Style) -> Style {
        var style = style
        style.reverse = true
        if boldFocus { style.bold = true }
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

    /// `style` marked as an error or a warning: bold, and red unless the theme has no colour.
    public func error(_ style: Style) -> Style {
        var style = style
        if usesColor { style.foreground = .red }
        style.bold = true
        return style
    }

    /// `style` in the colour a codebook gives a category (`named` as in
    /// ``Color/init(named:)``), bold when ``boldCategories``; without colour
    /// (``marksCategories``) underlined instead.
    public func colored(_ style: Style, category named: String) -> Style {
        var style = style
        if usesColor { style.foreground = Color(named: named) }
        if boldCategories { style.bold = true }
        if marksCategories { style.underline = true }
        return style
    }

    /// The text pane's mark of the annotation the cursor is on: bold, and underlined too
    /// when category colours are bold already (``boldCategories``).
    public func current(_ style: Style) -> Style {
        var style = style
        style.bold = true
        if boldCategories { style.underline = true }
        return style
    }

    /// What goes before a category's label when ``marksCategories``: its codebook key (the
    /// same letter in every view and the text's margin, even when `[keys]` binds another
    /// tag key) in brackets and a space (`[a] `), `[?] ` for a category the codebook lacks (`key` nil); empty
    /// otherwise.
    public func marker(key: String?) -> String {
        marksCategories ? "[" + (key ?? "?") + "] " : ""
    }
}
