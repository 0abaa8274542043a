import ArgumentParser
import Dispatch
import Foundation
import GlossCore
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

/// Ctrl-C for the command-line subcommands that write files or work through a corpus:
/// SIGINT no longer ends the process at once but sets ``isCancelled``, which the command
/// checks between documents and before it writes its output; then it says `cancelled` and
/// ends with status 130 (128 + SIGINT, as a shell reports a process ended by Ctrl-C), and
/// nothing is written. A write already begun (atomic: a temporary file renamed into place)
/// is finished first, so a cancelled command never leaves a partial file.
final class Cancellation: @unchecked Sendable {
    /// The exit status of a cancelled command: 128 + SIGINT.
    static let status = ExitCode(130)

    private static let shared = Cancellation()
    private let lock = NSLock()
    private var cancelled = false
    private var source: DispatchSourceSignal?

    /// Starts catching SIGINT for the rest of the process (once; later calls do nothing).
    static func install() {
        shared.lock.lock()
        defer { shared.lock.unlock() }
        guard shared.source == nil else { return }
        // the default action would kill the process, whatever the dispatch source does
        signal(SIGINT, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler {
            shared.lock.lock()
            shared.cancelled = true
            shared.lock.unlock()
        }
        source.resume()
        shared.source = source
    }

    /// True once SIGINT has arrived after ``install()``.
    static var isCancelled: Bool {
        shared.lock.lock()
        defer { shared.lock.unlock() }
        return shared.cancelled
    }

    /// Ends the command when SIGINT has arrived: clears the progress bar, says `gloss:
    /// cancelled` on standard error and throws ``status``.
    /// - Throws: `ExitCode` 130 when cancelled.
    static func check() throws {
        guard isCancelled else { return }
        // the terminal echoed ^C after the bar
        ProgressBar.clearActive(echoed: 2)
        FileHandle.standardError.write(Data("gloss: cancelled\n".utf8))
        throw status
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
    private let started = Date()
    private let lock = NSLock()
    private var done = 0
    private var current = ""
    /// Columns of the line on the screen now (0: none shown).
    private var shownWidth = 0
    private var lastDraw: Date?

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

    /// Records that `done` documents are finished and `path` is the one at hand (or the
    /// last one finished), and redraws the line unless it was drawn in the last 100 ms.
    func update(done: Int, current path: String) {
        lock.lock()
        defer { lock.unlock() }
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
    /// ``update(done:current:)`` draws it again below the message. `echoed` more columns
    /// are cleared after the bar: what the terminal echoed there (`^C`).
    static func clearActive(echoed: Int = 0) {
        registry.lock()
        let bar = active
        registry.unlock()
        guard let bar else { return }
        bar.lock.lock()
        bar.erase(echoed: echoed)
        bar.lastDraw = nil
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
        let text = ProgressBar.line(verb: verb, done: done, total: total, elapsed: Date().timeIntervalSince(started),
                                    path: current, width: width)
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
        FileHandle.standardError.write(Data(text.utf8))
    }

    /// Columns of the terminal on standard error (80 when it cannot say).
    private static func terminalWidth() -> Int {
        var size = winsize()
        guard ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return 80 }
        return Int(size.ws_col)
    }
}
