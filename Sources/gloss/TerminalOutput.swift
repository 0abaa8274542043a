import ArgumentParser
import Dispatch
import Foundation
import GlossCore
import GlossImport
import GlossTerminal
import GlossUI

/// Whether a command may colour what it writes: only to a terminal, never into a file or
/// a pipe, and never when `NO_COLOR` is set to anything but the empty string
/// (https://no-color.org) or `TERM` is `dumb`.
enum ColorOutput {
    /// True when output written to `descriptor` may carry colour escape sequences.
    static func allowed(on descriptor: Int32, environment: [String: String] = ProcessEnvironment.variables) -> Bool {
        guard isatty(descriptor) == 1 else { return false }
        if let noColor = environment["NO_COLOR"], !noColor.isEmpty { return false }
        return environment["TERM"] != "dumb"
    }
}

/// Ctrl-C for every command but the reader (which saves first, see ``Read``): SIGINT ends
/// the command at once, wherever it is (in the middle of a large document too), saying
/// `gloss: cancelled` on standard error, with status 130 (128 + SIGINT, as a shell reports a
/// process ended by Ctrl-C). A file being written (atomically: a temporary file renamed into
/// place, ``AtomicFile``) or a brat folder being written is finished first
/// (``InterruptGuard``), so a cancelled command leaves neither a partial output file nor a
/// temporary file, and never a half-written store. SIGTERM and SIGHUP (`kill`, a closed
/// terminal), and every other signal whose default action ends a process (SIGQUIT,
/// SIGUSR1, SIGALRM…, as the reader's screen catches them), get the same care, silently,
/// and then end the process by that signal, as its default action would have. A document cut short while it is read (``MappedDocuments``)
/// ends the command the same way, naming the file, with status 1 (2 for `grep`). The
/// reader uses it while it opens a document, before its screen (``handOver()``): a
/// `pdftotext` runs in a process group of its own, which the terminal's Ctrl-C no longer
/// reaches, so gloss stops it.
enum Cancellation {
    /// The exit status of a cancelled command: 128 + SIGINT.
    static let status = ExitCode(130)

    /// The pipe SIGINT's handler writes a byte into, read by the thread that ends the command.
    nonisolated(unsafe) private static var wakeUp: [Int32] = [-1, -1]
    private static let lock = NSLock()
    /// Set by ``handOver()``: the reader's screen handles the signals from then on.
    nonisolated(unsafe) private static var handedOver = false

    /// The signals caught: Ctrl-C, `kill`'s default, the terminal closing, and the others
    /// that end a process by default (a command stopped by any of them must stop the
    /// pdftotext it runs, which is out of the terminal's reach in its own process group).
    static let signals = [SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM, SIGVTALRM, SIGPROF, SIGXCPU, SIGPOLL, SIGPWR]

    /// Starts catching ``signals`` for the rest of the process (once; later calls do
    /// nothing). The handler only writes the signal's number to a pipe (what a signal
    /// handler may do); a thread of its own reads it and ends the process when no file is
    /// being replaced.
    static func install() {
        lock.lock()
        defer { lock.unlock() }
        guard wakeUp[0] < 0, pipe(&wakeUp) == 0 else { return }
        let reader = wakeUp[0]
        let thread = Thread {
            var byte: UInt8 = 0
            while true {
                while read(reader, &byte, 1) < 0 && errno == EINTR {}
                lock.lock()
                let stillCatching = !handedOver
                lock.unlock()
                if stillCatching { break }
                // caught just before the reader's screen took the signals over: its handler
                // gets it now
                kill(getpid(), Int32(byte))
            }
            let number = Int32(byte)
            InterruptGuard.exitWhenSafe {
                // the terminal echoed ^C after the bar (unless keys were held: no echo)
                ProgressBar.clearActive(echoed: number == SIGINT ? 2 : 0, ending: true)
                TypedKeysHold.release()
                // a pdftotext still reading the document would outlive gloss
                Subprocess.stopRunning()
                if number == SIGBUS {
                    // a document read through a map was cut short: what follows would be zeros
                    let fault = MappedDocuments.fault.map { "\($0)" } ?? "a document could not be read to its end"
                    printError("gloss: \(fault); stopped, leaving no output file (anything already printed is incomplete)")
                    _exit(Gloss.isGrep ? Grep.errorStatus.rawValue : ExitCode.failure.rawValue)
                }
                guard number == SIGINT else {
                    // ended by the signal itself, so the shell and the parent see it
                    signal(number, SIG_DFL)
                    kill(getpid(), number)
                    _exit(128 + number)
                }
                StandardStreams.writeError("gloss: cancelled\n")
                // no atexit handlers: the main thread is still at work
                _exit(status.rawValue)
            }
        }
        thread.start()
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { number in
            var byte = UInt8(truncatingIfNeeded: number)
            _ = write(Cancellation.wakeUp[1], &byte, 1)
        }
        sigemptyset(&action.sa_mask)
        action.sa_flags = SA_RESTART
        for number in signals { sigaction(number, &action, nil) }
    }

    /// For commands: a document cut short while it is read (``MappedDocuments``) ends the
    /// command as a signal does, naming the file. Call after ``install()``.
    static func endOnDocumentFault() {
        lock.lock()
        defer { lock.unlock() }
        if wakeUp[1] >= 0 { MappedDocuments.endCommandsOnFault(notifying: wakeUp[1]) }
    }

    /// For the reader, whose screen catches these signals itself once it starts: gives
    /// ``signals`` back their default action, and a signal caught but not yet acted on is
    /// sent again, to whatever handles it by then.
    static func handOver() {
        lock.lock()
        defer { lock.unlock() }
        guard wakeUp[0] >= 0, !handedOver else { return }
        handedOver = true
        for number in signals { signal(number, SIG_DFL) }
    }
}

/// A one-line progress bar on standard error for a command working through a corpus
/// (`gloss export DIR`, `gloss stats DIR`, `gloss grep PATTERN DIR`): documents done of
/// the total, time elapsed and the current document's path, its control characters shown
/// as the reader draws them (``ControlPictures``). Drawn only when standard error is a
/// terminal, never into a file or a pipe; redrawn in place with a carriage return, at most
/// ten times a second, cut to the terminal's width so that it never wraps; cleared by
/// ``finish()`` and before any other message on standard error (``printError(_:)``).
/// It writes no escape sequences: a redraw overwrites the line with spaces.
final class ProgressBar: @unchecked Sendable {
    private let verb: String
    private let total: Int
    /// The line of a notice (``notice(_:)``), shown instead of a bar.
    private var fixed: String?
    private let started = Date()
    private let lock = NSLock()
    private var done = 0
    private var current = ""
    /// Columns of the line on the screen now (0: none shown).
    private var shownWidth = 0
    private var lastDraw: Date?
    /// Set once the command is ending (``clearActive(echoed:ending:)``): nothing more is drawn.
    private var ended = false

    private static let registry = NSLock()
    nonisolated(unsafe) private static var active: ProgressBar?

    /// A bar for `total` documents, labelled with `verb` ("exporting", "counting"), shown
    /// from now; nil when standard error is not a terminal or there is at most one document.
    static func start(_ verb: String, total: Int) -> ProgressBar? {
        guard total > 1, isatty(STDERR_FILENO) == 1 else { return nil }
        let bar = ProgressBar(verb: verb, total: total)
        registry.lock()
        active = bar
        registry.unlock()
        return bar
    }

    private init(verb: String, total: Int) {
        self.verb = verb
        self.total = total
    }

    /// A line saying what gloss waits for, `text` with its control characters shown as
    /// pictures and cut to the terminal's width, shown at once and cleared as a bar is
    /// (``finish()``, or before another message); nil when standard error is not a terminal.
    static func notice(_ text: String) -> ProgressBar? {
        guard isatty(STDERR_FILENO) == 1 else { return nil }
        let bar = ProgressBar(verb: "", total: 0)
        bar.fixed = ControlPictures.visible(text, showingBidiControls: true)
        registry.lock()
        active = bar
        registry.unlock()
        bar.lock.lock()
        bar.draw()
        bar.lock.unlock()
        return bar
    }

    /// Records that `done` documents are finished and `path` is the one at hand (or the
    /// last one finished), and redraws the line unless it was drawn in the last 100 ms.
    func update(done: Int, current path: String) {
        lock.lock()
        defer { lock.unlock() }
        if ended { return }
        self.done = max(self.done, done)
        current = path
        let now = Date()
        if let lastDraw, now.timeIntervalSince(lastDraw) < 0.1, done < total { return }
        lastDraw = now
        draw()
    }

    /// Clears the line for good.
    func finish() {
        lock.lock()
        erase()
        lock.unlock()
        ProgressBar.registry.lock()
        if ProgressBar.active === self { ProgressBar.active = nil }
        ProgressBar.registry.unlock()
    }

    /// Clears the bar being shown, if any, so that a message can take its line; the next
    /// ``update(done:current:)`` draws it again below the message, unless `ending` (the
    /// command ends on a signal, and the work still running must not draw it over the last
    /// message). `echoed` more columns are cleared after the bar: what the terminal echoed
    /// there (`^C`).
    static func clearActive(echoed: Int = 0, ending: Bool = false) {
        registry.lock()
        let bar = active
        if ending { active = nil }
        registry.unlock()
        guard let bar else { return }
        bar.lock.lock()
        bar.erase(echoed: echoed)
        bar.lastDraw = nil
        if ending { bar.ended = true }
        bar.lock.unlock()
    }

    /// The bar's text for `width` columns: `VERB [=====>    ] DONE/TOTAL M:SS PATH`, the
    /// path cut at its start (`…`) to fit.
    static func line(verb: String, done: Int, total: Int, elapsed: TimeInterval, path: String, width: Int) -> String {
        let seconds = Int(elapsed)
        let time = String(format: "%d:%02d", seconds / 60, seconds % 60)
        let cells = 20
        let filled = total > 0 ? min(cells, done * cells / total) : 0
        let bar = "[" + String(repeating: "=", count: filled) + (filled < cells ? ">" + String(repeating: " ", count: cells - filled - 1) : "") + "]"
        let head = "\(verb) \(bar) \(done)/\(total) \(time) "
        let room = width - DisplayWidth.columns(of: head)
        guard room > 1 else { return String(head.prefix(max(0, width))) }
        var shown = ControlPictures.visible(path, showingBidiControls: true)
        if DisplayWidth.columns(of: shown) > room {
            while !shown.isEmpty, DisplayWidth.columns(of: shown) > room - 1 { shown.removeFirst() }
            shown = "…" + shown
        }
        return head + shown
    }

    private func draw() {
        let width = ProgressBar.terminalWidth() - 1
        var text: String
        if let fixed {
            text = fixed
            if DisplayWidth.columns(of: text) > width {
                while !text.isEmpty, DisplayWidth.columns(of: text) > width - 1 { text.removeLast() }
                text += "…"
            }
        } else {
            text = ProgressBar.line(verb: verb, done: done, total: total, elapsed: Date().timeIntervalSince(started),
                                    path: current, width: width)
        }
        let columns = DisplayWidth.columns(of: text)
        let padding = String(repeating: " ", count: max(0, shownWidth - columns))
        write("\r" + text + (padding.isEmpty ? "" : padding + "\r" + text))
        shownWidth = columns
    }

    private func erase(echoed: Int = 0) {
        guard shownWidth > 0 else { return }
        let columns = min(shownWidth + echoed, ProgressBar.terminalWidth() - 1)
        write("\r" + String(repeating: " ", count: columns) + "\r")
        shownWidth = 0
    }

    private func write(_ text: String) {
        StandardStreams.writeError(text)
    }

    /// Columns of the terminal on standard error (80 when it cannot say).
    private static func terminalWidth() -> Int {
        var size = winsize()
        guard ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return 80 }
        return Int(size.ws_col)
    }
}
