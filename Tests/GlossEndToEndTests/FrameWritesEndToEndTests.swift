import Foundation
import GlossTestSupport
import Testing

/// How the reader's frames reach the terminal, counted in a real terminal (tmux) by the
/// kernel's count of the process's write calls (`syscw` in `/proc/PID/io`): each frame is
/// one write, not one per cursor move. A frame in dozens of small writes wakes tmux or the
/// terminal dozens of times and, over ssh, goes out as dozens of packets.
@Suite(.serialized) struct FrameWritesEndToEndTests {
    /// The write calls gloss has made so far: it is the pane's shell's child (`env` runs it
    /// in its own place).
    func writeCalls(_ session: TmuxSession) throws -> Int {
        let shell = try session.format("#{pane_pid}")
        let child = try run(try #require(which("pgrep")), ["-P", shell]).output.trimmingCharacters(in: .whitespacesAndNewlines)
        let io = try String(contentsOfFile: "/proc/\(child)/io", encoding: .utf8)
        let line = try #require(io.components(separatedBy: "\n").first { $0.hasPrefix("syscw:") }, "no syscw in /proc/\(child)/io:\n\(io)")
        return try #require(Int(line.dropFirst("syscw:".count).trimmingCharacters(in: .whitespaces)))
    }

    @Test func eachFrameIsOneWrite() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let article = try folder.copy(Paths.seedArticle)
        let session = try TmuxSession(command: glossCommand([article.lastPathComponent]), width: 120, height: 40, folder: folder.url)
        try session.waitFor("? help")
        Thread.sleep(forTimeInterval: 0.3)
        // the first frame, the terminal's set-up (screen, keypad, cursor, paste mode) and the lock file
        var calls = try writeCalls(session)
        #expect(calls <= 12, "\(calls) write calls to the first frame")
        for press in 1...4 {
            try session.send("j")
            Thread.sleep(forTimeInterval: 0.3)
            let now = try writeCalls(session)
            #expect(now - calls >= 1 && now - calls <= 2, "\(now - calls) write calls for press \(press) of j")
            calls = now
        }
        try session.send("q")
        #expect(try session.waitForExit() == 0)
    }
}
