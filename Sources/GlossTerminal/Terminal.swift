import CNcursesw
import Foundation
import GlossCore
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
    /// A mouse report (only while ``Terminal/mouseReporting`` is on).
    case mouse(MouseEvent)
    /// SIGTSTP arrived (`kill -TSTP`): suspend as for Ctrl-Z (``Terminal/suspend()``).
    case suspend
}

/// Errors starting the terminal.
public enum TerminalError: Error, CustomStringConvertible {
    /// The locale's character set is not UTF-8, so wide characters would print as garbage.
    case localeNotUTF8(String)
    /// The locale the environment names (`LC_ALL`, `LC_CTYPE` or `LANG`; its name) is not
    /// installed on this system, so the C locale, not UTF-8, stays.
    case localeNotInstalled(String)
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
        case .localeNotInstalled(let locale):
            return "gloss: the locale \(locale) is not installed on this system (locale -a lists those that are), so the text cannot be shown correctly; set LANG to an installed UTF-8 locale, for example: export LANG=C.UTF-8"
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

    /// The last frame drawn by ``draw(_:)``, nil before the first or after the screen was
    /// lost (a suspend); a notice drawn over it (``Renderer/notice(_:over:theme:)``) keeps
    /// the rest of the screen as it was.
    public var lastFrame: ScreenBuffer? { previous }
    /// Events read by ``cancelTyped()`` while Gloss waited on something, for ``nextEvent(waitingMilliseconds:)``.
    private var heldBack: [TerminalEvent] = []
    private var colorPairs = ColorPairs(colors: 0, limit: 0)
    private var drawsColor = true
    private var running = false
    private var suspended = false

    /// True while the terminal reports mouse presses, drags, releases and the wheel
    /// (``TerminalEvent/mouse(_:)``); off by default, as it takes the mouse from the
    /// terminal's own selection and copy. Setting it writes the modes to the terminal.
    public var mouseReporting = false {
        didSet {
            if running && !suspended && mouseReporting != oldValue { gloss_set_mouse_reporting(mouseReporting ? 1 : 0) }
        }
    }

    /// How many colours the terminal has (curses' `COLORS`: 8, 16, 256…); 0 when it has
    /// none or colours were refused when it started.
    public var colorCount: Int { colorPairs.colors }

    /// True once ``checkUsable()`` has passed in this process (the locale, the terminal and
    /// its type do not change while Gloss runs).
    nonisolated(unsafe) private static var checkedUsable = false

    /// Checks, without changing the terminal, that the reader can run: a UTF-8 locale (set
    /// as the process's locale), a terminal on standard input and output, and a terminal
    /// type (`TERM`) that terminfo knows and that can move the cursor. Run it before any
    /// work that only makes sense when the screen opens.
    /// - Throws: ``TerminalError/localeNotUTF8(_:)``, ``TerminalError/localeNotInstalled(_:)``,
    ///   ``TerminalError/notATerminal``,
    ///   ``TerminalError/terminalCannotMoveCursor(_:)`` or ``TerminalError/cannotStart(_:)``
    ///   (a type terminfo does not know).
    public static func checkUsable() throws {
        // the reader checks before touching the store and again as the screen opens: one
        // terminfo look-up is enough
        guard !checkedUsable else { return }
        switch gloss_setlocale_utf8() {
        case 1: break
        case 0: throw TerminalError.localeNotUTF8(String(cString: setlocale(LC_CTYPE, nil)))
        default:
            // the first of LC_ALL, LC_CTYPE, LANG that is set names it, as setlocale(3) reads them
            let variables: [String] = ["LC_ALL", "LC_CTYPE", "LANG"]
            let named = variables.compactMap { ProcessEnvironment.value($0) }.first { !$0.isEmpty }
            throw TerminalError.localeNotInstalled(named ?? "")
        }
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else { throw TerminalError.notATerminal }
        // ncurses would start on a dumb terminal and print every screen as lines of text
        guard let term = getenv("TERM").map({ String(cString: $0) }), !term.isEmpty else {
            throw TerminalError.terminalCannotMoveCursor(nil)
        }
        switch gloss_terminal_can_move_cursor() {
        case 1: checkedUsable = true
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
    /// echo, hidden cursor, and colours on the terminal's own background when it has them
    /// and `colors` is true (false: colour is never started, as for `NO_COLOR`). The
    /// terminal's palette is never redefined.
    /// - Throws: ``TerminalError`` when the locale is not UTF-8, standard input or output
    ///   is not a terminal, or ncurses cannot start.
    public init(colors: Bool = true) throws {
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
        // after newterm, which puts its own SIGTSTP handler in place of the default
        gloss_install_suspend_handler()
        if colors, has_colors() {
            start_color()
            use_default_colors()
            colorPairs = ColorPairs(colors: Int(gloss_colors()), limit: Int(gloss_color_pairs()))
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
        if mouseReporting { gloss_set_mouse_reporting(0) }
        gloss_set_bracketed_paste(0)
        gloss_clear_bottom_row_without_alternate_screen()
        curs_set(1)
        endwin()
    }

    /// True when input is waiting to be read on standard input (checked with `poll`,
    /// without waiting): the loop then takes it before drawing another frame.
    public var inputPending: Bool {
        var descriptor = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
        return poll(&descriptor, 1, 0) > 0 && descriptor.revents & Int16(POLLIN) != 0
    }

    /// The signal that ends Gloss which arrived and is not handled yet (its number), or 0.
    public static var pendingSignal: Int32 { gloss_pending_signal() }

    /// Suspends Gloss as Ctrl-Z does in a shell: gives the terminal back (mouse reporting
    /// and bracketed paste off, cursor shown, normal screen), stops the process with
    /// SIGTSTP, and once `fg` continues it takes the screen again, all of it to be redrawn.
    /// - Returns: the terminal's size afterwards, which may have changed while stopped; nil
    ///   when a signal that ends Gloss came while it was stopped (a shell's `kill %1`
    ///   sends SIGTERM, then SIGCONT): the screen is not taken again, since a job
    ///   continued in the background would be stopped again for touching the terminal,
    ///   and ``stop()`` has nothing left to restore.
    @discardableResult
    public func suspend() -> (width: Int, height: Int)? {
        guard running else { return size }
        if mouseReporting { gloss_set_mouse_reporting(0) }
        gloss_set_bracketed_paste(0)
        gloss_clear_bottom_row_without_alternate_screen()
        curs_set(1)
        endwin()
        suspended = true
        gloss_stop_process()
        if gloss_pending_signal() != 0 {
            running = false
            return nil
        }
        suspended = false
        // refreshing after endwin puts curses back in program mode on the alternate screen
        wrefresh(gloss_stdscr())
        _ = gloss_update_size()
        gloss_set_bracketed_paste(1)
        if mouseReporting { gloss_set_mouse_reporting(1) }
        curs_set(0)
        previous = nil
        werase(gloss_stdscr())
        return size
    }

    /// Waits up to `wait` milliseconds (a quarter of a second by default; 0 only looks)
    /// for input.
    /// - Returns: the event, or nil when nothing happened in that time.
    public func nextEvent(waitingMilliseconds wait: Int32 = 250) -> TerminalEvent? {
        if !heldBack.isEmpty { return heldBack.removeFirst() }
        return readEvent(waitingMilliseconds: wait)
    }

    /// True when Esc, Ctrl-C or Ctrl-G (the keys that cancel a prompt) was typed: for work
    /// the main thread waits on between frames (a pdftotext opening a document), asked
    /// now and then. Reads what was typed without waiting. Other keys, pastes and mouse
    /// reports are dropped: they were aimed at a screen that is about to change (a `j
    /// Enter` typed during a minute's wait would open another document after it). A new
    /// size, a signal or Ctrl-Z is kept, in order, for ``nextEvent(waitingMilliseconds:)``;
    /// a new size redraws ``drawWhileWaiting``'s screen. Call it on the main thread only.
    public func cancelTyped() -> Bool {
        while let event = readEvent(waitingMilliseconds: 0) {
            switch event {
            case .key(.escape), .key(.control("c")), .key(.control("g")):
                return true
            case .key, .paste, .mouse:
                continue
            case .resize(let width, let height):
                if let waiting = drawWhileWaiting {
                    draw(waiting(width, height))
                    drawWhileWaiting = waiting
                }
                heldBack.append(event)
            default:
                heldBack.append(event)
            }
        }
        return false
    }

    /// The screen to draw at a new size while ``cancelTyped()`` is asked during a wait (a
    /// notice of what is awaited), from its width and height in cells; the next frame
    /// drawn ends it.
    public var drawWhileWaiting: ((_ width: Int, _ height: Int) -> ScreenBuffer)?

    private func readEvent(waitingMilliseconds wait: Int32) -> TerminalEvent? {
        wtimeout(gloss_stdscr(), wait)
        let pending = gloss_pending_signal()
        if pending != 0 { return .signal(pending) }
        if gloss_take_suspend_request() != 0 { return .suspend }
        var character: wint_t = 0
        let result = wget_wch(gloss_stdscr(), &character)
        if gloss_pending_signal() != 0 { return .signal(gloss_pending_signal()) }
        if gloss_take_suspend_request() != 0 { return .suspend }
        if result == KEY_CODE_YES {
            if Int32(character) == gloss_key_paste_start() { return .paste(readPaste()) }
            // terminfo's mouse sequence (xterm's is the SGR report's start, ESC [ <): the
            // rest of the report follows as characters
            if Int32(character) == KEY_MOUSE {
                let known = String(cString: gloss_mouse_key_sequence()).unicodeScalars.map(\.value)
                return readEscapeSequence(startingWith: known.first == 0x1B ? Array(known.dropFirst()) : [])
            }
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
        if character == 0x1B { return readEscapeSequence(startingWith: []) }
        return Terminal.key(character: UInt32(character)).map(TerminalEvent.key)
    }

    /// Reads what follows an Esc (``EscapeSequence``): `read` are the characters already
    /// taken after it. ncurses has waited the escape delay (25 ms) for a sequence it knows
    /// and keeps what it read, so a lone Esc is known at once; the rest of a sequence it
    /// does not know is allowed a short wait, as a slow link may split it.
    /// - Returns: the event, or nil for a sequence that is dropped.
    private func readEscapeSequence(startingWith read: [UInt32]) -> TerminalEvent? {
        var queued = read[...]
        var started = !read.isEmpty
        var afterFirst = !read.isEmpty
        let window = gloss_stdscr()
        let parsed = EscapeSequence.parse {
            if let first = queued.popFirst() { return first }
            wtimeout(window, started ? 50 : 0)
            started = true
            var character: wint_t = 0
            let result = wget_wch(window, &character)
            if result == KEY_CODE_YES {
                // Backspace right after Esc is Alt-Backspace (terminfo's kbs makes DEL a key code)
                if !afterFirst, Int32(character) == KEY_BACKSPACE { afterFirst = true; return 0x7F }
                // a function key is the next input, not part of this sequence
                ungetch(Int32(character))
                return nil
            }
            afterFirst = true
            return result == OK ? UInt32(character) : nil
        }
        if let unread = parsed.unread { unget_wch(wchar_t(bitPattern: unread)) }
        return parsed.event
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
        drawWhileWaiting = nil
        let window = gloss_stdscr()
        let erased = previous?.width != buffer.width || previous?.height != buffer.height
        // the erased window holds blank cells (a space, no attributes, pair 0) that need
        // not be drawn again: a first frame is mostly blank
        if erased { werase(window) }
        Terminal.paint(buffer, over: erased ? nil : previous, overBlank: erased, in: window) { self.pair(for: $0) }
        wrefresh(window)
        previous = buffer
    }

    /// Writes the cells of `buffer` that differ from `previous` into `window` (all of them
    /// when `previous` is nil), without refreshing the screen; with `overBlank`, the
    /// window was just erased and its blank cells are left as they are (compared with
    /// ``Cell/blank``, not with a blank buffer: a buffer's first touch costs page faults).
    static func paint(_ buffer: ScreenBuffer, over previous: ScreenBuffer?, overBlank: Bool = false,
                      in window: UnsafeMutablePointer<WINDOW>?, pair: (Style) -> Int16) {
        // the arrays are walked in place: a subscript copy of each cell (its String
        // retained and released) cost more than the comparisons
        let old = previous.flatMap { $0.width == buffer.width && $0.height == buffer.height ? $0.cells : nil }
        buffer.cells.withUnsafeBufferPointer { cells in
            // printable ASCII cells side by side in one style go to ncurses as one string: a
            // call per cell cost most of a frame's drawing. Other characters are drawn a cell
            // at a time, at their own column, as the C library's idea of their width may
            // not be Gloss's.
            withUnsafeTemporaryAllocation(of: wchar_t.self, capacity: max(1, buffer.width)) { run in
                var runStart = 0, runCount = 0
                var runStyle = Style.plain
                func flush(_ row: Int) {
                    guard runCount > 0 else { return }
                    _ = gloss_draw_run(window, Int32(row), Int32(runStart), run.baseAddress, Int32(runCount),
                                       attributes(for: runStyle), pair(runStyle))
                    runCount = 0
                }
                for row in 0..<buffer.height {
                    for column in 0..<buffer.width {
                        let index = row * buffer.width + column
                        if let old, old[index] == cells[index] { flush(row); continue }
                        let width = cells[index].width
                        // the right half of a wide character is drawn with its left half
                        if width == 0 || (width == 2 && column + 1 >= buffer.width) { flush(row); continue }
                        let ascii = width == 1 ? Terminal.printableASCII(cells[index].text) : nil
                        if overBlank, ascii == 0x20, Terminal.isPlain(cells[index].style) { flush(row); continue }
                        if let ascii {
                            if runCount > 0 && cells[index].style != runStyle { flush(row) }
                            if runCount == 0 {
                                runStart = column
                                runStyle = cells[index].style
                            }
                            run[runCount] = wchar_t(ascii)
                            runCount += 1
                            continue
                        }
                        flush(row)
                        draw(cells[index], row: row, column: column, in: window, pair: pair(cells[index].style))
                    }
                    flush(row)
                }
            }
        }
        // park the cursor at the start of the last row, out of the way
        wmove(window, Int32(max(0, buffer.height - 1)), 0)
    }

    /// True for ``Style/plain``, told without comparing every field.
    @inline(__always) static func isPlain(_ style: Style) -> Bool {
        guard case .default = style.foreground, case .default = style.background else { return false }
        return !style.bold && !style.reverse && !style.underline && !style.dim
    }

    /// The byte of `text` when it is one printable ASCII character (U+0020 to U+007E), whose
    /// width is one column for every terminal and C library.
    static func printableASCII(_ text: String) -> UInt8? {
        var bytes = text.utf8.makeIterator()
        guard let byte = bytes.next(), bytes.next() == nil, byte >= 0x20, byte < 0x7F else { return nil }
        return byte
    }

    /// Draws one cell with `mvwadd_wch`. A grapheme longer than a cell can hold
    /// (`CCHARW_MAX` characters) is drawn as its first character.
    static func draw(_ cell: Cell, row: Int, column: Int, in window: UnsafeMutablePointer<WINDOW>?, pair: Int16) {
        // on the stack: a frame draws thousands of cells
        withUnsafeTemporaryAllocation(of: wchar_t.self, capacity: Int(CCHARW_MAX) + 1) { characters in
            var count = 0
            for scalar in cell.text.unicodeScalars {
                if count == Int(CCHARW_MAX) {
                    count = 1
                    break
                }
                characters[count] = wchar_t(bitPattern: scalar.value)
                count += 1
            }
            characters[count] = 0
            gloss_draw_cell(window, Int32(row), Int32(column), characters.baseAddress, attributes(for: cell.style), pair)
        }
    }

    static func attributes(for style: Style) -> attr_t {
        var attributes = gloss_attr_normal()
        if style.bold { attributes |= gloss_attr_bold() }
        if style.reverse { attributes |= gloss_attr_reverse() }
        if style.underline { attributes |= gloss_attr_underline() }
        if style.dim { attributes |= gloss_attr_dim() }
        return attributes
    }

    /// Draws with `theme` from now on: a theme without colour (``Theme/monochrome``)
    /// gets no colour pair at all, whatever its cells say. The next draw repaints every cell.
    public func apply(_ theme: Theme) {
        drawsColor = theme.usesColor
        previous = nil
    }

    private func pair(for style: Style) -> Int16 {
        guard drawsColor else { return 0 }
        return colorPairs.pair(for: style) { pair, foreground, background in _ = init_pair(pair, foreground, background) }
    }

    /// The curses colour number `color` is drawn in on a terminal with `colors` colours,
    /// -1 for the terminal's own (`.default`, or no colours at all). With 256 or more a
    /// 24-bit colour takes the nearest colour-cube or grey entry; with 16 to 255 the nearest
    /// of the sixteen ANSI colours; with 8 to 15 the nearest of the eight (a bright variant
    /// its base colour). Named colours are 0–7 everywhere.
    static func colorNumber(_ color: Color, colors: Int) -> Int {
        guard colors >= 8, let rgb = color.rgb else { return -1 }
        if let basic = color.basicIndex { return basic }
        if case .indexed(let byte) = color {
            let index = Int(byte)
            if index < colors && (colors >= 256 || index < 16) { return index }
            if colors < 16, (8..<16).contains(index) { return index - 8 }
        }
        if colors >= 256 { return XtermPalette.nearest256(to: rgb) }
        return XtermPalette.nearestANSI(to: rgb, among: colors)
    }
}

/// The colour pairs a terminal draws styles with, defined as styles first need them (with
/// `init_pair`, never `init_color`: the user's palette stays as it is), at most
/// `COLOR_PAIRS - 1` of them; a style past that is drawn in the default colours.
struct ColorPairs {
    /// How many colours the terminal has (`COLORS`); 0 for none.
    let colors: Int
    /// How many pairs it has (`COLOR_PAIRS`), pair 0 being the default colours.
    let limit: Int
    /// The pair of each foreground and background colour number, keyed by both.
    private var pairs: [Int: Int16] = [:]
    /// The pair of each foreground and background ``Color`` seen, so that the nearest
    /// colour is worked out once per colour, not once per cell drawn.
    private var seen: [[Color]: Int16] = [:]

    init(colors: Int, limit: Int) {
        self.colors = colors
        self.limit = min(limit, Int(Int16.max))
    }

    /// The pair for `style`'s colours (``Terminal/colorNumber(_:colors:)``), defining it with
    /// `define(pair, foreground, background)` the first time; 0 for the default colours, a
    /// terminal without colours, or when every pair is taken.
    mutating func pair(for style: Style, define: (Int16, Int16, Int16) -> Void) -> Int16 {
        guard colors > 0, style.foreground != .default || style.background != .default else { return 0 }
        if let pair = seen[[style.foreground, style.background]] { return pair }
        let foreground = Terminal.colorNumber(style.foreground, colors: colors)
        let background = Terminal.colorNumber(style.background, colors: colors)
        guard foreground >= 0 || background >= 0 else { return 0 }
        let key = (foreground + 1) * 1024 + background + 1
        if let pair = pairs[key] {
            seen[[style.foreground, style.background]] = pair
            return pair
        }
        guard pairs.count + 1 < limit else { return 0 }
        let pair = Int16(pairs.count + 1)
        define(pair, Int16(foreground), Int16(background))
        pairs[key] = pair
        seen[[style.foreground, style.background]] = pair
        return pair
    }
}

/// Keys typed before the reader's screen while gloss waits on something slow (a PDF
/// converting): not echoed, as the echo would stay on the terminal after gloss, and dropped
/// when the wait ends, as they would act on a screen the user had not seen. Ctrl-C still
/// interrupts (signals are left on).
public enum TypedKeysHold {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var saved: termios?

    /// Turns echo off on standard input until ``release()``; nothing when it is not a
    /// terminal or keys are held already. A crash meanwhile gives the modes back.
    public static func start() {
        lock.lock()
        defer { lock.unlock() }
        guard saved == nil, isatty(STDIN_FILENO) == 1 else { return }
        var modes = termios()
        guard tcgetattr(STDIN_FILENO, &modes) == 0 else { return }
        gloss_save_terminal_modes()
        var muted = modes
        muted.c_lflag &= ~tcflag_t(ECHO)
        guard tcsetattr(STDIN_FILENO, TCSANOW, &muted) == 0 else { return }
        saved = modes
    }

    /// Drops the keys typed since ``start()`` and gives the terminal its modes back; safe
    /// from any thread, and nothing when keys are not held.
    public static func release() {
        lock.lock()
        defer { lock.unlock() }
        guard var modes = saved else { return }
        saved = nil
        tcflush(STDIN_FILENO, TCIFLUSH)
        tcsetattr(STDIN_FILENO, TCSANOW, &modes)
    }
}
