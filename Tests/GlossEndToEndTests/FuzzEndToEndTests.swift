import Foundation
import GlossTestSupport
import Testing

/// The texts that crashed the reader, and 100 seeded random texts of the same kinds, in a
/// real terminal: each opens and draws, takes keys and resizes down to 13x5 and back, and
/// quits with exit status 0, leaving the terminal's modes as they were.
@Suite struct FuzzEndToEndTests {
    /// Opens `text` in tmux at 80x24, waits for the first screen, types a selection and
    /// two tags, resizes, quits, and returns the exit status.
    static func drive(_ text: String, name: String, in folder: TemporaryFolder) throws -> Int32? {
        let file = folder.url.appendingPathComponent(name + ".txt")
        try Data(text.utf8).write(to: file)
        let session = try TmuxSession(command: glossCommand([file.lastPathComponent]), width: 80, height: 24, folder: folder.url)
        try session.waitFor("? help")
        try session.sendAtOnce(["j", "v", "l", "l", "w", "a", "I", "Enter", "G", "k", "v", "h", "b", "t", "Enter"])
        try session.resize(width: 13, height: 5)
        try session.resize(width: 80, height: 24)
        try session.sendAtOnce(["]", "m", "n", "o", "t", "e", "C-s", "/", "a", "Enter", "q"])
        return try session.waitForExit()
    }

    @Test("the inputs that crashed the reader open, draw and quit cleanly")
    func reportedCrashes() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let inputs = [
            "a \u{0301}\n", "a \u{200D}\n", "a \u{200C}\n", "a \u{FE0F}\n", "a \u{093F}\n", "a \u{0903}\n", "a \u{1F3FB}\n",
            "( \u{0361}° \u{035C}ʖ \u{0361}°)\n", "Title\n\n。\n\u{200D}\n", "Title\n\n\u{0903}\u{0085}\u{FE0F}\n",
        ]
        for (index, text) in inputs.enumerated() {
            #expect(try Self.drive(text, name: "crash-\(index)", in: folder) == 0, "input \(index): \(text.unicodeScalars.map { String($0.value, radix: 16) })")
        }
    }

    @Test("100 random texts, driven by keys and resizes, end with exit status 0")
    func randomTexts() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        var failures: [UInt64] = []
        for seed in UInt64(0)..<100 {
            var generator = SeededGenerator(seed: 1_000_000 + seed)
            let text = "Title\n\n" + FuzzText.make(using: &generator)
            if try Self.drive(text, name: "fuzz-\(seed)", in: folder) != 0 { failures.append(seed) }
        }
        #expect(failures.isEmpty, "seeds that did not end with status 0: \(failures)")
    }
}
