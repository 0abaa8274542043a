import Foundation
import GlossTestSupport
import Testing

/// Search in a real terminal (tmux) and `gloss grep` on the hard-wrapped GAO testimony:
/// what the reader shows joined by a space is found by a space.
@Suite(.serialized) struct SearchEndToEndTests {
    static let report = Paths.shared.appendingPathComponent("corpus/reports/gao-02-957t-homeland-security-testimony.txt")

    @Test func phraseAcrossALineBreakIsFoundByTheReaderAndByGrep() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let report = try folder.copy(Self.report, as: "gao.txt")
        // the file breaks the phrase across lines
        #expect(try String(contentsOf: report, encoding: .utf8).contains("the\nPresident announced"))

        let grep = try run("/bin/sh", ["-c", "cd '\(folder.url.path)' && exec \"$0\" \"$@\"", Paths.gloss.path, "grep", "the President announced", "gao.txt"])
        #expect(grep.status == 0, "\(grep.error)")
        #expect(grep.output.contains("On June 6th, the President announced a proposal to establish a Department of Homeland Security"),
                "\(grep.output)")

        let session = try TmuxSession(command: glossCommand(["gao.txt"]), width: 120, height: 40, folder: folder.url)
        try session.waitFor("? help")
        try session.send("/")
        try session.send("the President announced", literal: true)
        try session.send("Enter")
        var screen = try session.waitFor("/the President announced")
        #expect(!screen.contains { $0.contains("Not found") }, "\(screen.joined(separator: "\n"))")
        // the match is on screen, reflowed onto one row, and drawn in the search style
        let row = try #require(screen.firstIndex { $0.contains("the President announced") }, "\(screen.joined(separator: "\n"))")
        let styled = try session.screenWithEscapes()
        #expect(styled[row].contains("\u{1B}["), "the match's row carries no style: \(styled[row].debugDescription)")

        // a blank line ends a paragraph: "Committee:" ends one and "Thank you" starts the next
        try session.send("/")
        try session.send("Select Committee: Thank you", literal: true)
        try session.send("Enter")
        screen = try session.waitFor("Not found: Select Committee: Thank you")
        try session.send("q")
        #expect(try session.waitForExit() == 0)
    }
}
