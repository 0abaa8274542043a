import CNcursesw
import GlossUI
#if canImport(Glibc)
import Glibc
#endif

/// Something the terminal reports.
public enum TerminalEvent: Equatable, Sendable {
    /// A key press.
    case key(Key)
    /// The terminal now has this many columns and rows.
    case resize(width: Int, height: Int)
    /// A signal that ends Gloss arrived (its number): SIGINT, SIGTERM, SIGHUP, SIGQUIT,
    /// SIGUSR1, SIGALRM, a real-time signal and the like.
    case signal(Int32)
    /// Text pasted into the terminal (bracketed paste), delivered whole.
    case paste(String)
}

/// Errors starting the terminal.
public enum TerminalError: Error, CustomStringConvertible {
    /// The locale's character set is not UTF-8, so wide characters would print as garbage.
    case localeNotUTF8(String)
    /// Standard input or output is not a terminal.
    case notATerminal
    /// The terminal cannot move the cursor: `TERM` is unset, empty or `dumb` (its value,
    /// nil when unset), as in an editor's shell buffer or a CI log.
    case terminalCannotMoveCursor(String?)
    /// ncurses could not start on this terminal type.
    case cannotStart(String)

    public var description: String {
        switch self {
        case .localeNotUTF8(let locale):
            return "gloss: the locale (\(locale)) is not UTF-8, so the text cannot be shown correctly; set LANG to a UTF-8 locale, for example: export LANG=C.UTF-8"
        case .notATerminal:
            return "gloss: the reader needs a terminal on standard input and output; in scripts use gloss export FILE --format csv (or w3c, markdown, html)"
        case .terminalCannotMoveCursor(let term):
            let shown = term.map { "TERM is \"\($0)\"" } ?? "TERM is not set"
            return "gloss: the reader needs a terminal that can move the cursor, and \(shown); set TERM to your terminal's type, or use gloss export FILE --format csv"
        case .cannotStart(let term):
            return "gloss: cannot start the screen on terminal type \"\(term)\"; check TERM"
        }
    }
}

/// The ncurses backend: the only code that talks to the terminal. It draws
/// ``ScreenBuffer``s cell by cell, redrawing only the cells that changed, and turns key
/// input into ``TerminalEvent``s. The terminal is restored by ``stop()``, and by handlers
/// on crash signals (on an alternate stack, so a stack overflow is caught too).
public final class Terminal {
    private var previous: ScreenBuffer?
    private var pairs: [Int: Int16] = [:]
    private var hasColors = false
    private var running = false

    /// Checks, without changing the terminal, that the reader can run: a UTF-8 locale (set
    /// as the process's locale), a terminal on standard input and output, and a terminal
    /// type (`TERM`) that terminfo knows and that can move the cursor. Run it before any
    /// work that only makes sense when the screen opens.
    /// - Throws: ``TerminalError/localeNotUTF8(_:)``, ``TerminalError/notATerminal``,
    ///   ``TerminalError/terminalCannotMoveCursor(_:)`` or ``TerminalError/cannotStart(_:)``
    ///   (a type terminfo does not know).
    public static func checkUsable() throws {
        guard gloss_setlocale_utf8() == 1 else {
            let locale = String(cString: setlocale(LC_CTYPE, nil))
            throw TerminalError.localeNotUTF8(locale)
        }
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else { throw TerminalError.notATerminal }
        // ncurses would start on a dumb terminal and print every screen as lines of text
        guard let term = getenv("TERM").map({ String(cString: $0) }), !term.isEmpty else {
            throw TerminalError.terminalCannotMoveCursor(nil)
        }
        switch gloss_terminal_can_move_cursor() {
        case 1: return
        case 0: throw TerminalError.terminalCannotMoveCursor(term)
        default: throw TerminalError.cannotStart(term)
        }
    }

    /// Ignores SIGPIPE and SIGXFSZ for the whole process, so that a write past the file-size
    /// limit (`ulimit -f`) or to a closed pipe fails with an error (EFBIG, EPIPE) that the
    /// failed-save path reports, instead of killing Gloss with its changes unsaved.
    public static func ignoreWriteSignals() {
        gloss_ignore_write_signals()
    }

    /// Checks the locale, then takes over the terminal: alternate screen, raw keys, no
    /// echo, hidden cursor, colours when the terminal has them.
    /// - Throws: ``TerminalError`` when the locale is not UTF-8, standard input or output
    ///   is not a terminal, or ncurses cannot start.
    public init() throws {
        try Terminal.checkUsable()
        gloss_save_terminal_modes()
        gloss_install_crash_handlers()
        gloss_install_quit_handlers()
        guard gloss_start_screen() == 1 else {
            throw TerminalError.cannotStart(String(cString: getenv("TERM") ?? strdup("")))
        }
        running = true
        raw()
        noecho()
        nonl()
        keypad(gloss_stdscr(), true)
        set_escdelay(25)
        curs_set(0)
        wtimeout(gloss_stdscr(), 250)
        gloss_set_bracketed_paste(1)
        if has_colors() {
            start_color()
            use_default_colors()
            hasColors = true
        }
    }

    deinit { stop() }

    /// The terminal's size in cells.
    public var size: (width: Int, height: Int) {
        (Int(gloss_cols()), Int(gloss_lines()))
    }

    /// Restores the terminal: normal screen, echo and line mode, visible cursor. Safe to
    /// call more than once.
    public func stop() {
        guard running else { return }
        running = false
        gloss_set_bracketed_paste(0)
        curs_set(1)
        endwin()
    }

    /// Waits up to `wait` milliseconds (a quarter of a second by default; 0 only looks)
    /// for input.
    /// - Returns: the event, or nil when nothing happened in that time.
    public func nextEvent(waitingMilliseconds wait: Int32 = 250) -> TerminalEvent? {
        wtimeout(gloss_stdscr(), wait)
        let pending = gloss_pending_signal()
        if pending != 0 { return .signal(pending) }
        var character: wint_t = 0
        let result = wget_wch(gloss_stdscr(), &character)
        if gloss_pending_signal() != 0 { return .signal(gloss_pending_signal()) }
        if result == KEY_CODE_YES {
            if Int32(character) == gloss_key_paste_start() { return .paste(readPaste()) }
            if Int32(character) == gloss_key_resize() {
                previous = nil
                return .resize(width: size.width, height: size.height)
            }
            return Terminal.key(code: Int32(character)).map(TerminalEvent.key)
        }
        guard result == OK else {
            // a terminal that went away without a SIGHUP ends the session like one
            if isatty(STDIN_FILENO) == 0 { return .signal(SIGHUP) }
            return nil
        }
        return Terminal.key(character: UInt32(character)).map(TerminalEvent.key)
    }

    /// Reads pasted text up to the end-of-paste sequence (or a second without input).
    private func readPaste() -> String {
        var text = String.UnicodeScalarView()
        var idle = 0
        while idle < 4 {
            var character: wint_t = 0
            let result = wget_wch(gloss_stdscr(), &character)
            if result == KEY_CODE_YES {
                if Int32(character) == gloss_key_paste_end() { break }
                continue
            }
            guard result == OK else { idle += 1; continue }
            idle = 0
            if let scalar = Unicode.Scalar(UInt32(character)) { text.append(scalar) }
        }
        return String(text)
    }

    /// The key for a character read by `wget_wch`.
    static func key(character value: UInt32) -> Key? {
        switch value {
        case 0x1B: return .escape
        case 0x0D: return .enter
        // Ctrl-J (line feed) acts as Enter everywhere but in the tag prompt, where it keeps
        // the value exactly as typed
        case 0x0A: return .control("j")
        case 0x09: return .tab
        case 0x7F, 0x08: return .backspace
        case 0x01...0x1A: return .control(Character(Unicode.Scalar(value + 0x60)!))
        default:
            guard let scalar = Unicode.Scalar(value), value >= 0x20 else { return nil }
            return .character(Character(scalar))
        }
    }

    /// The key for a function-key code read by `wget_wch`.
    static func key(code: Int32) -> Key? {
        switch code {
        case KEY_UP: return .up
        case KEY_DOWN: return .down
        case KEY_LEFT: return .left
        case KEY_RIGHT: return .right
        case KEY_NPAGE: return .pageDown
        case KEY_PPAGE: return .pageUp
        case KEY_HOME: return .home
        case KEY_END: return .end
        case KEY_BACKSPACE: return .backspace
        case KEY_DC: return .delete
        case KEY_BTAB: return .backTab
        case KEY_ENTER: return .enter
        default: return nil
        }
    }

    /// Draws `buffer`, sending only the cells that differ from the last drawn buffer.
    public func draw(_ buffer: ScreenBuffer) {
        let window = gloss_stdscr()
        if previous?.width != buffer.width || previous?.height != buffer.height {
            werase(window)
            previous = nil
        }
        Terminal.paint(buffer, over: previous, in: window) { self.pair(for: $0) }
        wrefresh(window)
        previous = buffer
    }

    /// Writes the cells of `buffer` that differ from `previous` into `window` (all of them
    /// when `previous` is nil), without refreshing the screen.
    static func paint(_ buffer: ScreenBuffer, over previous: ScreenBuffer?, in window: UnsafeMutablePointer<WINDOW>?,
                      pair: (Style) -> Int16) {
        for row in 0..<buffer.height {
            for column in 0..<buffer.width {
                let cell = buffer[row, column]
                if let previous, previous[row, column] == cell { continue }
                // the right half of a wide character is drawn with its left half
                if cell.width == 0 { continue }
                if cell.width == 2, column + 1 >= buffer.width { continue }
                draw(cell, row: row, column: column, in: window, pair: pair(cell.style))
            }
        }
        // park the cursor at the start of the last row, out of the way
        wmove(window, Int32(max(0, buffer.height - 1)), 0)
    }

    /// Draws one cell with `mvwadd_wch`. A grapheme longer than a cell can hold
    /// (`CCHARW_MAX` characters) is drawn as its first character.
    static func draw(_ cell: Cell, row: Int, column: Int, in window: UnsafeMutablePointer<WINDOW>?, pair: Int16) {
        var characters = cell.text.unicodeScalars.map { wchar_t(bitPattern: $0.value) }
        if characters.count > Int(CCHARW_MAX) { characters = [characters[0]] }
        characters.append(0)
        gloss_draw_cell(window, Int32(row), Int32(column), characters, attributes(for: cell.style), pair)
    }

    static func attributes(for style: Style) -> attr_t {
        var attributes = gloss_attr_normal()
        if style.bold { attributes |= gloss_attr_bold() }
        if style.reverse { attributes |= gloss_attr_reverse() }
        if style.underline { attributes |= gloss_attr_underline() }
        if style.dim { attributes |= gloss_attr_dim() }
        return attributes
    }

    private func pair(for style: Style) -> Int16 {
        guard hasColors, style.foreground != .default || style.background != .default else { return 0 }
        let key = Terminal.colorNumber(style.foreground) * 16 + Terminal.colorNumber(style.background) + 17
        if let pair = pairs[key] { return pair }
        let pair = Int16(pairs.count + 1)
        guard Int32(pair) < gloss_color_pairs() else { return 0 }
        init_pair(pair, Int16(Terminal.colorNumber(style.foreground)), Int16(Terminal.colorNumber(style.background)))
        pairs[key] = pair
        return pair
    }

    static func colorNumber(_ color: Color) -> Int {
        switch color {
        case .default: return -1
        case .black: return Int(COLOR_BLACK)
        case .red: return Int(COLOR_RED)
        case .green: return Int(COLOR_GREEN)
        case .yellow: return Int(COLOR_YELLOW)
        case .blue: return Int(COLOR_BLUE)
        case .magenta: return Int(COLOR_MAGENTA)
        case .cyan: return Int(COLOR_CYAN)
        case .white: return Int(COLOR_WHITE)
        }
    }
}
