import Foundation
import GlossTestSupport
import Testing

/// Paths of the package, the built `gloss` and the shared corpus and tools.
enum Paths {
    /// The package root, three folders above this file.
    static let package = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    /// `../shared` beside the package.
    static let shared = package.deletingLastPathComponent().appendingPathComponent("shared")
    static let seedArticle = shared.appendingPathComponent("corpus/seed-counter-terrorism-conference.txt")
    static let w3cValidator = shared.appendingPathComponent("tools/validate-w3c-annotations.py")

    /// The `gloss` executable SwiftPM built beside this test bundle.
    static var gloss: URL {
        let bundle = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        return bundle.appendingPathComponent("gloss")
    }

    /// The `StoreWriter` test executable built beside this test bundle.
    static var storeWriter: URL {
        URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent().appendingPathComponent("StoreWriter")
    }
}

/// A fresh temporary folder, removed by `cleanUp()`.
struct TemporaryFolder {
    let url: URL
    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("gloss-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    func cleanUp() { try? FileManager.default.removeItem(at: url) }
    func copy(_ source: URL, as name: String? = nil) throws -> URL {
        let target = url.appendingPathComponent(name ?? source.lastPathComponent)
        try FileManager.default.copyItem(at: source, to: target)
        return target
    }
}

/// A real terminal: a tmux server of its own running one command in a window of a given
/// size; keys go in with `send-keys`, the screen comes out with `capture-pane -p`.
final class TmuxSession {
    let socket = "gloss-test-\(UUID().uuidString.prefix(8))"
    let tmux: String
    let exitFile: URL

    /// Starts `command` (a shell command line) in a `width` x `height` terminal in `folder`;
    /// `afterwards` runs in the same terminal once the command has ended and its status
    /// is written.
    init(command: String, width: Int = 120, height: Int = 40, folder: URL, afterwards: String = "") throws {
        tmux = try #require(which("tmux"), "tmux is not installed; .ci/run installs it")
        exitFile = folder.appendingPathComponent(".exit-\(socket)")
        let line = "cd '\(folder.path)' && \(command); echo $? > '\(exitFile.path)'; \(afterwards.isEmpty ? "" : afterwards + "; ")sleep 600"
        try run(tmux, ["-L", socket, "-f", "/dev/null", "new-session", "-d", "-x", "\(width)", "-y", "\(height)", "-s", "main", line])
    }

    deinit { _ = try? run(tmux, ["-L", socket, "kill-server"]) }

    /// The screen as plain text, one string per row.
    func screen() throws -> [String] {
        try run(tmux, ["-L", socket, "capture-pane", "-p", "-t", "main"]).output.components(separatedBy: "\n")
    }

    /// The screen with its attributes as SGR escape sequences (`capture-pane -e`), one
    /// string per row.
    func screenWithEscapes() throws -> [String] {
        try run(tmux, ["-L", socket, "capture-pane", "-p", "-e", "-t", "main"]).output.components(separatedBy: "\n")
    }

    /// A tmux format such as `#{alternate_on}` expanded for the pane.
    func format(_ format: String) throws -> String {
        try run(tmux, ["-L", socket, "display-message", "-p", "-t", "main", format]).output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Types keys: tmux key names such as `j`, `Enter`, `Escape`, `Tab`, `C-r`; or, with
    /// `literal`, the text itself.
    func send(_ keys: String..., literal: Bool = false) throws {
        for key in keys {
            try run(tmux, ["-L", socket, "send-keys", "-t", "main"] + (literal ? ["-l", key] : [key]))
            Thread.sleep(forTimeInterval: 0.05)
        }
    }

    /// Resizes the terminal to `width` x `height`, as a user dragging its window does.
    func resize(width: Int, height: Int) throws {
        try run(tmux, ["-L", socket, "resize-window", "-t", "main", "-x", "\(width)", "-y", "\(height)"])
        Thread.sleep(forTimeInterval: 0.05)
    }

    /// Types several tmux key names in one `send-keys`, as fast as a terminal delivers them.
    func sendAtOnce(_ keys: [String]) throws {
        try run(tmux, ["-L", socket, "send-keys", "-t", "main"] + keys)
    }

    /// Pastes `text` the way a terminal does with bracketed paste on.
    func paste(_ text: String) throws {
        try run(tmux, ["-L", socket, "set-buffer", "-b", "gloss", text])
        try run(tmux, ["-L", socket, "paste-buffer", "-p", "-b", "gloss", "-t", "main"])
        Thread.sleep(forTimeInterval: 0.1)
    }

    /// Waits until some row of the screen contains `text`; fails the test after `timeout` seconds.
    @discardableResult
    func waitFor(_ text: String, timeout: Double = 15, sourceLocation: SourceLocation = #_sourceLocation) throws -> [String] {
        let deadline = Date().addingTimeInterval(timeout)
        var screen: [String] = []
        while Date() < deadline {
            screen = try self.screen()
            if screen.contains(where: { $0.contains(text) }) { return screen }
            Thread.sleep(forTimeInterval: 0.05)
        }
        Issue.record("timed out waiting for \"\(text)\"; the screen was:\n\(screen.joined(separator: "\n"))", sourceLocation: sourceLocation)
        return screen
    }

    /// Waits until no row of the screen contains `text`; fails the test after `timeout` seconds.
    @discardableResult
    func waitUntilGone(_ text: String, timeout: Double = 15, sourceLocation: SourceLocation = #_sourceLocation) throws -> [String] {
        let deadline = Date().addingTimeInterval(timeout)
        var screen: [String] = []
        while Date() < deadline {
            screen = try self.screen()
            if !screen.contains(where: { $0.contains(text) }) { return screen }
            Thread.sleep(forTimeInterval: 0.05)
        }
        Issue.record("timed out waiting for \"\(text)\" to go; the screen was:\n\(screen.joined(separator: "\n"))", sourceLocation: sourceLocation)
        return screen
    }

    /// Waits for the command to end and returns its exit status.
    func waitForExit(timeout: Double = 15) throws -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let text = try? String(contentsOf: exitFile, encoding: .utf8),
               let status = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)) {
                return status
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return nil
    }
}

/// The shell command line that runs the built gloss with a UTF-8 locale and the package's
/// resources, followed by `arguments` (each quoted); `environment` adds variables. No
/// configuration file is read unless `environment` names one, and `NO_COLOR`, which
/// `swift test` sets, is removed unless `environment` sets it again.
func glossCommand(_ arguments: [String], environment: [String: String] = [:]) -> String {
    let quoted = arguments.map { "'\($0)'" }.joined(separator: " ")
    // the configuration file of whoever runs the tests never changes what they see
    let variables = ["XDG_CONFIG_HOME": "/nonexistent/gloss-tests"].merging(environment) { $1 }
        .sorted { $0.key < $1.key }.map { "\($0.key)='\($0.value)'" }.joined(separator: " ")
    return "env -u LINES -u COLUMNS -u GLOSS_CONFIG -u NO_COLOR LANG=C.UTF-8 TERM=xterm-256color GLOSS_RESOURCES='\(Paths.package.appendingPathComponent("Resources").path)' \(variables) '\(Paths.gloss.path)' \(quoted)"
}

/// The text between `range` code points of `text` (what Python's `text[a:b]` gives).
func codePoints(_ text: String, _ range: Range<Int>) -> String {
    let scalars = Array(text.unicodeScalars)
    var view = String.UnicodeScalarView()
    view.append(contentsOf: scalars[range])
    return String(view)
}

/// A `pdftotext` in a folder of its own (put it first on `PATH`) that never finishes: a
/// wrapper script whose work runs in a child, as wrappers' does. Each writes its pid to a
/// file, so a test can check that both are stopped.
struct StandInPdftotext {
    /// The folder holding `pdftotext`.
    let folder: String
    private let wrapperFile: String
    private let childFile: String

    /// Writes the script into `parent/bin`.
    init(in parent: URL) throws {
        let bin = parent.appendingPathComponent("bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        folder = bin.path
        wrapperFile = parent.appendingPathComponent("pdftotext.pid").path
        childFile = parent.appendingPathComponent("child.pid").path
        let script = bin.appendingPathComponent("pdftotext")
        try "#!/bin/sh\nsleep 60 &\necho $! > '\(childFile)'\necho $$ > '\(wrapperFile)'\nwait\n".write(to: script, atomically: true, encoding: .utf8)
        chmod(script.path, 0o755)
    }

    /// The pids of the wrapper and its child, once both have been written.
    private var pids: [pid_t] {
        [wrapperFile, childFile].compactMap { (try? String(contentsOfFile: $0, encoding: .utf8)).flatMap { pid_t($0.trimmingCharacters(in: .whitespacesAndNewlines)) } }
    }

    /// The pid of the process that started the wrapper (gloss), from `/proc/PID/stat`.
    var parentOfWrapper: pid_t? {
        guard let wrapper = pids.first, let stat = try? String(contentsOfFile: "/proc/\(wrapper)/stat", encoding: .utf8),
              let fields = stat.split(separator: ")").last?.split(separator: " "), fields.count > 2 else { return nil }
        return pid_t(fields[1])
    }

    /// Forgets the last run's pids, before the next run.
    func forget() {
        unlink(wrapperFile)
        unlink(childFile)
    }

    /// Waits (up to 20 s) until the wrapper and its child both run; false if they never do.
    func waitUntilStarted() -> Bool {
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            if pids.count == 2 { return true }
            Thread.sleep(forTimeInterval: 0.005)
        }
        return false
    }

    /// Expects the wrapper and its child to have ended within 2 s (gone, or a zombie until
    /// init reaps it); kills any still running, so that the test leaves nothing behind.
    func expectEnded(_ context: String, sourceLocation: SourceLocation = #_sourceLocation) {
        for pid in pids {
            let ended = CommandLineFaultsEndToEndTests.hasEnded(pid, within: 2)
            #expect(ended, "\(context): \(pid) is still running", sourceLocation: sourceLocation)
            if !ended { kill(pid, SIGKILL) }
        }
    }
}
