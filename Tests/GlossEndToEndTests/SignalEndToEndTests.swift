import Foundation
import GlossCore
import GlossTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Signals and crashes in a real terminal: whatever ends Gloss, the terminal is left as it
/// was found (checked with `stty -a` in the same pane, and tmux's view of the screen), and
/// nothing typed is lost.
@Suite(.serialized) struct SignalEndToEndTests {
    /// What the terminal looked like once gloss had ended.
    struct Aftermath {
        var status: Int32?
        var modes: Set<String>
        var alternateScreen: String
        var cursorVisible: String
        /// tmux's keypad (application keys) and application cursor flags, `00` when off.
        var keypadModes: String
    }

    /// Waits for gloss to end in `session`, then reads the modes `stty -a` wrote to `modes`
    /// in the same pane, and whether tmux shows the alternate screen and the cursor.
    func aftermath(of session: TmuxSession, modes: URL) throws -> Aftermath {
        let status = try session.waitForExit()
        var text = ""
        let deadline = Date().addingTimeInterval(5)
        while Date() < deadline {
            text = (try? String(contentsOf: modes, encoding: .utf8)) ?? ""
            if text.contains("icanon") { break }
            Thread.sleep(forTimeInterval: 0.05)
        }
        let words = Set(text.split(whereSeparator: { $0.isWhitespace || $0 == ";" }).map(String.init))
        return Aftermath(status: status, modes: words, alternateScreen: try session.format("#{alternate_on}"),
                         cursorVisible: try session.format("#{cursor_flag}"),
                         keypadModes: try session.format("#{keypad_flag}#{keypad_cursor_flag}"))
    }

    /// Expects the terminal to be back in line mode with echo, on the normal screen, with
    /// the cursor shown.
    func expectRestored(_ after: Aftermath, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(after.modes.contains("echo") && !after.modes.contains("-echo"), "stty -a: \(after.modes.sorted())", sourceLocation: sourceLocation)
        #expect(after.modes.contains("icanon") && !after.modes.contains("-icanon"), "stty -a: \(after.modes.sorted())", sourceLocation: sourceLocation)
        #expect(after.alternateScreen == "0", "still in the alternate screen", sourceLocation: sourceLocation)
        #expect(after.cursorVisible == "1", "the cursor is still hidden", sourceLocation: sourceLocation)
        // left on, the arrow keys would send the shell application codes
        #expect(after.keypadModes == "00", "keypad or application cursor mode left on", sourceLocation: sourceLocation)
    }

    @Test("a crash restores the terminal", arguments: ["stack-overflow", "trap"])
    func crashRestoresTheTerminal(kind: String) throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let article = try folder.copy(Paths.seedArticle)
        let modes = folder.url.appendingPathComponent("modes.txt")
        // no core file: it would take seconds to write
        let session = try TmuxSession(command: "ulimit -c 0; GLOSS_DEBUG_CRASH=\(kind) " + glossCommand([article.lastPathComponent]),
                                      folder: folder.url, afterwards: "stty -a > '\(modes.path)' 2>&1")
        let after = try aftermath(of: session, modes: modes)
        let expected = kind == "trap" ? [128 + SIGILL, 128 + SIGTRAP] : [128 + SIGSEGV, 128 + SIGBUS]
        #expect(after.status.map(expected.contains) == true, "exit status \(String(describing: after.status))")
        expectRestored(after)
    }

    /// SIGRTMIN is a function in the C library, not a constant.
    static let realTimeSignal = __libc_current_sigrtmin() + 2

    @Test("a signal that ends Gloss saves and restores the terminal",
          arguments: [SIGUSR1, SIGALRM, SIGUSR2, SIGVTALRM, SIGXCPU, SIGSYS, realTimeSignal])
    func terminatingSignalRestoresTheTerminal(signal: Int32) throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let article = try folder.copy(Paths.seedArticle)
        let modes = folder.url.appendingPathComponent("modes.txt")
        let session = try TmuxSession(command: glossCommand([article.lastPathComponent]), folder: folder.url,
                                      afterwards: "stty -a > '\(modes.path)' 2>&1")
        try session.waitFor("? help")
        try session.send("j", "a")
        try session.waitFor("Actor:")
        try session.send("before the signal", literal: true)
        try session.send("Enter")
        try session.waitFor("Tagged Actor: before the signal")
        let storePath = article.path + ".gloss.json"
        let owner = try #require(StoreLockOwner.pid(forStore: storePath))
        kill(owner, signal)
        let after = try aftermath(of: session, modes: modes)
        #expect(after.status == 128 + signal)
        expectRestored(after)
        let saved = try #require(try AnnotationStore(path: storePath).load())
        #expect(saved.annotations.flatMap(\.tags).map(\.value) == ["before the signal"])
        #expect(!FileManager.default.fileExists(atPath: storePath + ".lock"), "the lock is released")
    }

    @Test("a note being written when SIGHUP or SIGTERM arrives is kept as typed", arguments: [SIGHUP, SIGTERM])
    func openNoteIsKeptOnSignal(signal: Int32) throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let article = try folder.copy(Paths.seedArticle)
        let modes = folder.url.appendingPathComponent("modes.txt")
        let session = try TmuxSession(command: glossCommand([article.lastPathComponent]), folder: folder.url,
                                      afterwards: "stty -a > '\(modes.path)' 2>&1")
        try session.waitFor("? help")
        try session.send("j", "a", "Enter")
        try session.waitFor("Tagged Actor")
        try session.send("m")
        try session.waitFor("Note — Actor")
        try session.send("a long careful note", literal: true)
        try session.waitFor("a long careful note")
        let storePath = article.path + ".gloss.json"
        kill(try #require(StoreLockOwner.pid(forStore: storePath)), signal)
        let after = try aftermath(of: session, modes: modes)
        #expect(after.status == 128 + signal)
        expectRestored(after)
        let saved = try #require(try AnnotationStore(path: storePath).load())
        #expect(saved.annotations.map(\.note) == ["a long careful note"])
    }

    @Test("SIGPIPE and SIGXFSZ do not end Gloss", arguments: [SIGPIPE, SIGXFSZ])
    func writeSignalsAreIgnored(signal: Int32) throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let article = try folder.copy(Paths.seedArticle)
        let session = try TmuxSession(command: glossCommand([article.lastPathComponent]), folder: folder.url)
        try session.waitFor("? help")
        let owner = try #require(StoreLockOwner.pid(forStore: article.path + ".gloss.json"))
        kill(owner, signal)
        Thread.sleep(forTimeInterval: 0.5)
        #expect(kill(owner, 0) == 0, "gloss ended")
        try session.send("j", "a")
        try session.waitFor("Actor:")
        try session.send("Escape")
        try session.send("q")
        #expect(try session.waitForExit() == 0)
    }

    @Test("under ulimit -f 8 a large note is never lost silently: quitting offers Save to:, names the error, and asks before dropping it")
    func fileSizeLimit() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let article = try folder.copy(Paths.seedArticle)
        let storePath = article.path + ".gloss.json"
        // wide enough for the long paths of a test folder and the reason after them
        let session = try TmuxSession(command: "ulimit -f 8; " + glossCommand([article.lastPathComponent]), width: 220, folder: folder.url)
        try session.waitFor("? help")
        try session.send("j", "a")
        try session.waitFor("Actor:")
        try session.send("kept", literal: true)
        try session.send("Enter")
        try session.waitFor("Tagged Actor: kept")
        // a note of 10 KiB makes the store larger than the 8 KiB any file may have
        try session.send("m")
        try session.waitFor("Note — Actor")
        let note = String(repeating: "a long note on the conference ", count: 350)
        try session.paste(note)
        try session.send("C-s")
        var screen = try session.waitFor("Not saved")
        #expect(screen.joined().contains("File too large"), "\(screen.joined(separator: "\n"))")

        try session.send("q")
        try session.waitFor("Save to:")
        let target = folder.url.appendingPathComponent("rescued.gloss.json").path
        try session.send("C-u")
        try session.send(target, literal: true)
        try session.send("Enter")
        // the other file is over the limit too: the question comes back, nothing is dropped
        Thread.sleep(forTimeInterval: 0.5)
        screen = try session.waitFor("Save to:")
        #expect(screen.joined().contains("File too large"), "\(screen.joined(separator: "\n"))")
        #expect(!FileManager.default.fileExists(atPath: target))

        // no answer: the rescue file in the temporary folder is tried, and fails the same way
        try session.send("C-u", "Enter")
        try session.waitFor("Quit without saving them here?")
        try session.send("y")
        screen = try session.waitFor("Quit and lose the unsaved changes?")
        #expect(screen.joined().contains("File too large"), "\(screen.joined(separator: "\n"))")
        try session.send("n")
        try session.waitFor("Not quit: the changes are still only in memory")

        // going back to reading, the note is still there: shortening it saves everything
        try session.send("m")
        screen = try session.waitFor("Note — Actor")
        #expect(screen.contains { $0.contains("a long note on the conference a long note") })
        // Ctrl-U deletes the line up to the insertion point, at the note's end
        try session.send("C-u")
        try session.send("a short note", literal: true)
        try session.send("C-s")
        try session.waitFor("Note saved")
        try session.send("q")
        #expect(try session.waitForExit() == 0)
        let saved = try #require(try AnnotationStore(path: storePath).load())
        #expect(saved.annotations.map(\.note) == ["a short note"])
        #expect(saved.annotations.flatMap(\.tags).map(\.value) == ["kept"])
        let litter = try FileManager.default.contentsOfDirectory(atPath: folder.url.path).filter { $0.contains(".tmp-") }
        #expect(litter.isEmpty, "\(litter)")
    }

    @Test("under ulimit -f 8, quitting with a note no file can hold loses it only when the user says so, and says what failed")
    func fileSizeLimitDiscard() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let article = try folder.copy(Paths.seedArticle)
        let storePath = article.path + ".gloss.json"
        // wide enough for the long paths of a test folder and the reason after them
        let session = try TmuxSession(command: "ulimit -f 8; " + glossCommand([article.lastPathComponent]), width: 220, folder: folder.url)
        try session.waitFor("? help")
        try session.send("j", "a")
        try session.waitFor("Actor:")
        try session.send("kept", literal: true)
        try session.send("Enter")
        try session.waitFor("Tagged Actor: kept")
        try session.send("m")
        try session.waitFor("Note — Actor")
        try session.paste(String(repeating: "a long note on the conference ", count: 350))
        try session.send("C-s")
        try session.waitFor("Not saved")
        try session.send("q")
        try session.waitFor("Save to:")
        try session.send("C-u", "Enter")
        try session.waitFor("Quit without saving them here?")
        try session.send("y")
        try session.waitFor("Quit and lose the unsaved changes?")
        try session.send("y")
        #expect(try session.waitForExit() == 1)
        let screen = try session.waitFor("could not save to")
        #expect(screen.joined().contains("File too large"), "\(screen.joined(separator: "\n"))")
        // the store keeps what was saved before the limit was reached
        let saved = try #require(try AnnotationStore(path: storePath).load())
        #expect(saved.annotations.flatMap(\.tags).map(\.value) == ["kept"])
        #expect(saved.annotations.map(\.note) == [""])
    }
}

/// The pid in a store's lock file: the running gloss that holds the store.
enum StoreLockOwner {
    /// The pid recorded in the lock of the store at `storePath`, nil when there is none.
    static func pid(forStore storePath: String) -> pid_t? {
        guard let text = try? String(contentsOfFile: StoreLock.lockPath(forStore: storePath), encoding: .utf8) else { return nil }
        return text.split(separator: " ").first.flatMap { pid_t($0) }
    }
}

/// A terminal type terminfo does not know stops Gloss with its own message, and the store's
/// lock is released.
@Suite struct UnknownTerminalTests {
    @Test func unknownTermStopsWithAMessageAndLeavesNoLock() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let article = try folder.copy(Paths.seedArticle)
        let command = glossCommand([article.lastPathComponent]).replacingOccurrences(of: "TERM=xterm-256color", with: "TERM=no-such-terminal-type")
        let session = try TmuxSession(command: command, folder: folder.url)
        try session.waitFor("cannot start the screen on terminal type \"no-such-terminal-type\"")
        #expect(try session.waitForExit() == 1)
        #expect(!FileManager.default.fileExists(atPath: article.path + ".gloss.json.lock"))
    }
}

/// The reader before its screen, while a program it runs opens the document.
@Suite struct OpeningSignalTests {
    /// `pdftotext` runs in a process group of its own (so that stopping it stops what it
    /// started), out of reach of the terminal's Ctrl-C: the reader, still opening the PDF
    /// before its screen, catches it and stops the group.
    @Test func ctrlCWhileTheReaderOpensAPDFStopsPdftotextAndWhatItStarted() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let standIn = try StandInPdftotext(in: folder.url)
        try "%PDF-1.4\n%%EOF\n".write(to: folder.url.appendingPathComponent("report.pdf"), atomically: true, encoding: .utf8)

        let session = try TmuxSession(command: glossCommand(["report.pdf"], environment: ["PATH": standIn.folder + ":/usr/bin:/bin"]),
                                      folder: folder.url)
        try #require(standIn.waitUntilStarted(), "pdftotext never started")
        // a slow conversion is named, and how to stop it, before the screen
        try session.waitFor("gloss: converting report.pdf with pdftotext… (Ctrl-C stops it)")
        try session.send("C-c")
        #expect(try session.waitForExit() == 130)
        let screen = try session.waitFor("gloss: cancelled")
        // the line was cleared for the message, not left before it
        #expect(!screen.joined().contains("converting"), "\(screen)")
        standIn.expectEnded("the reader")
    }

    /// Any other signal that ends a process by default, while the reader opens a PDF before
    /// its screen: it ends by that signal, the converting line taken away, and pdftotext
    /// (in its own process group, which the signal does not reach) is stopped.
    @Test(arguments: [SIGQUIT, SIGUSR1, SIGALRM])
    func otherEndingSignalsWhileTheReaderOpensAPDFStopPdftotext(signal: Int32) throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let standIn = try StandInPdftotext(in: folder.url)
        try "%PDF-1.4\n%%EOF\n".write(to: folder.url.appendingPathComponent("report.pdf"), atomically: true, encoding: .utf8)
        let session = try TmuxSession(command: glossCommand(["report.pdf"], environment: ["PATH": standIn.folder + ":/usr/bin:/bin"]),
                                      folder: folder.url)
        try #require(standIn.waitUntilStarted(), "pdftotext never started")
        try session.waitFor("gloss: converting report.pdf")
        let reader = try #require(standIn.parentOfWrapper, "no reader")
        #expect(Glibc.kill(reader, signal) == 0)
        #expect(try session.waitForExit(timeout: 5) == 128 + signal)
        #expect(!(try session.screen()).joined().contains("converting"))
        standIn.expectEnded("signal \(signal)")
    }

    /// Keys typed while a slow PDF converts before the screen are neither echoed (the echo
    /// would stay after gloss) nor carried out by the reader once it shows (`a` would ask
    /// for a tag): the screen starts as if nothing was typed.
    @Test func keysTypedWhileTheReaderOpensAPDFAreDropped() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let bin = folder.url.appendingPathComponent("bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        let script = bin.appendingPathComponent("pdftotext")
        try "#!/bin/sh\n[ \"$1\" = -v ] && exit 0\nsleep 2\necho 'Ministers meet in Valmora.'\n"
            .write(to: script, atomically: true, encoding: .utf8)
        chmod(script.path, 0o755)
        try "%PDF-1.4\n%%EOF\n".write(to: folder.url.appendingPathComponent("report.pdf"), atomically: true, encoding: .utf8)
        let session = try TmuxSession(command: glossCommand(["report.pdf"], environment: ["PATH": bin.path + ":/usr/bin:/bin"]) + "; echo EXIT=$?; sleep 30",
                                      folder: folder.url)
        try session.waitFor("gloss: converting report.pdf")
        try session.send("xyz", literal: true)
        try session.send("a")
        var screen = try session.waitFor("Ministers meet in Valmora.")
        #expect(!screen.joined().contains("xyz"), "\(screen)")
        try session.send("q")
        screen = try session.waitFor("EXIT=0")
        #expect(!screen.joined().contains("xyz") && !screen.joined().contains("converting"), "\(screen)")
    }

    /// The reader on a folder of a text and a PDF, with a `pdftotext` that never finishes
    /// first on its PATH, once the list shows the PDF (the second row).
    static func listWithAPDF(in folder: URL, width: Int, height: Int) throws -> (StandInPdftotext, TmuxSession) {
        let standIn = try StandInPdftotext(in: folder)
        let documents = folder.appendingPathComponent("documents")
        try FileManager.default.createDirectory(at: documents, withIntermediateDirectories: true)
        try "Ministers meet in Valmora.\n".write(to: documents.appendingPathComponent("a.txt"), atomically: true, encoding: .utf8)
        try "%PDF-1.4\n%%EOF\n".write(to: documents.appendingPathComponent("report.pdf"), atomically: true, encoding: .utf8)
        let session = try TmuxSession(command: glossCommand(["documents"], environment: ["PATH": standIn.folder + ":/usr/bin:/bin"]),
                                      width: width, height: height, folder: folder)
        try session.waitFor("report.pdf")
        return (standIn, session)
    }

    /// Sends `keys` (Enter on the PDF's row, or J onto it) and waits until pdftotext runs
    /// and the list or reader says so.
    static func startConverting(_ keys: String..., standIn: StandInPdftotext, session: TmuxSession,
                                sourceLocation: SourceLocation = #_sourceLocation) throws {
        for key in keys { try session.send(key) }
        try #require(standIn.waitUntilStarted(), "pdftotext never started", sourceLocation: sourceLocation)
        try session.waitFor("Converting report.pdf with pdftotext… (Esc stops it)", sourceLocation: sourceLocation)
    }

    /// A document of the list opened with a slow `pdftotext`: SIGTERM ends the reader at
    /// once (it was waiting for the program, up to its time limit), stopping the program
    /// and what it started.
    @Test func sigtermWhileTheListOpensAPDFEndsTheReaderAtOnce() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let (standIn, session) = try Self.listWithAPDF(in: folder.url, width: 120, height: 40)
        try session.send("j", "Enter")
        try #require(standIn.waitUntilStarted(), "pdftotext never started")
        let reader = try #require(standIn.parentOfWrapper, "no reader")
        #expect(Glibc.kill(reader, SIGTERM) == 0)
        #expect(try session.waitForExit(timeout: 5) == 143)
        standIn.expectEnded("the reader")
    }

    /// Esc, Ctrl-C or Ctrl-G while the list opens a PDF stops `pdftotext` (and what it
    /// started) at once; the list stays, and Enter tries again.
    @Test func ctrlCWhileTheListOpensAPDFStopsItAndStays() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let (standIn, session) = try Self.listWithAPDF(in: folder.url, width: 240, height: 20)
        for key in ["C-c", "Escape"] {
            standIn.forget()
            try Self.startConverting("j", "Enter", standIn: standIn, session: session)
            try session.send(key)
            try session.waitFor("pdftotext was stopped before it finished", timeout: 5)
            standIn.expectEnded(key)
            try session.send("k")
        }
        try session.send("q")
        #expect(try session.waitForExit() == 0)
    }

    /// Keys typed while the list waits for pdftotext are dropped (`j Enter` would open
    /// another document once the wait ends), and a new size shows the notice at once.
    @Test func keysTypedWhileTheListOpensAPDFAreDroppedAndAResizeKeepsTheNotice() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let (standIn, session) = try Self.listWithAPDF(in: folder.url, width: 120, height: 20)
        try Self.startConverting("j", "Enter", standIn: standIn, session: session)
        try session.send("k", "Enter")
        try session.resize(width: 70, height: 12)
        var resized: [String] = []
        let deadline = Date().addingTimeInterval(5)
        repeat {
            resized = try session.screen()
            if resized.count >= 12 && resized[11].contains("Converting report.pdf") { break }
            Thread.sleep(forTimeInterval: 0.05)
        } while Date() < deadline
        #expect(resized.count >= 12 && resized[11].contains("Converting report.pdf"), "\(resized)")
        try session.send("Escape")
        try session.waitFor("Not opened: ", timeout: 5)
        standIn.expectEnded("Esc")
        // still on the PDF's row, in the list: k and Enter were not carried out
        let list = try session.screen()
        #expect(list.contains { $0.hasPrefix("▸") && $0.contains("report.pdf") }, "\(list)")
        #expect(!list.joined().contains("1 of 2"), "\(list)")
        try session.send("q")
        #expect(try session.waitForExit() == 0)
    }

    /// J onto a PDF that pdftotext is slow to convert, then Esc: J is called off and the
    /// reader stays on the document it was on, not passing over to the next one.
    @Test func escDuringJStaysOnTheDocument() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let (standIn, session) = try Self.listWithAPDF(in: folder.url, width: 120, height: 20)
        try session.send("Enter")
        try session.waitFor("1 of 2: a.txt")
        try Self.startConverting("J", standIn: standIn, session: session)
        try session.send("Escape")
        let screen = try session.waitFor("Not opened: ", timeout: 5)
        #expect(screen.contains { $0.contains("Ministers meet in Valmora.") }, "\(screen)")
        standIn.expectEnded("Esc")
        // the list does not mark it as a document that cannot be opened
        try session.send("D")
        let list = try session.waitFor("report.pdf")
        #expect(!list.joined().contains("cannot open"), "\(list)")
        try session.send("q")
        #expect(try session.waitForExit() == 0)
    }
}
