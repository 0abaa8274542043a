import Foundation
import GlossCore
import GlossTestSupport
import Testing

/// The mouse, Home and End sequences and Ctrl-Z in a real terminal (tmux): reports and
/// keys go in as the bytes a terminal sends, the outcome is read from the store Gloss
/// writes and the screen it shows.
@Suite(.serialized) struct MouseEndToEndTests {
    struct Store: Decodable {
        struct Annotation: Decodable { var quote: String }
        var annotations: [Annotation]
    }

    static let title = "Global Conference of National Counter-terrorism Chiefs Could Improve Cooperation"
    static let onlyBy = "Only by following this kind of approach, the results can be comprehensive."
    static let lastSentence = "Required fields are marked *"

    /// The screen cell (0-based row and column) where `text` shows, in the text pane (the
    /// left part of the screen; the seed article is ASCII, so a character is a column).
    static func cell(of text: String, in screen: [String], sourceLocation: SourceLocation = #_sourceLocation) -> (row: Int, column: Int)? {
        for (row, line) in screen.enumerated() {
            if let range = line.range(of: text) { return (row, line.distance(from: line.startIndex, to: range.lowerBound)) }
        }
        Issue.record("\"\(text)\" is not on the screen:\n\(screen.joined(separator: "\n"))", sourceLocation: sourceLocation)
        return nil
    }

    /// Types raw bytes into the pane, as the terminal sends them (`send-keys -H`).
    static func sendBytes(_ session: TmuxSession, _ text: String) throws {
        let hex = text.utf8.map { String(format: "%02x", $0) }
        _ = try run(session.tmux, ["-L", session.socket, "send-keys", "-t", "main", "-H"] + hex)
        Thread.sleep(forTimeInterval: 0.1)
    }

    /// An SGR mouse report (mode 1006) for 0-based `row`, `column`.
    static func report(_ button: Int, row: Int, column: Int, release: Bool = false) -> String {
        "\u{1B}[<\(button);\(column + 1);\(row + 1)\(release ? "m" : "M")"
    }

    @Test func clickFocusesDragSelectsAndHomeEndSequencesMove() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let article = try folder.copy(Paths.seedArticle)
        let session = try TmuxSession(command: glossCommand([article.lastPathComponent]), width: 120, height: 40, folder: folder.url)
        try session.waitFor("? help")
        // off by default: the terminal keeps the mouse for its own selection
        #expect(try session.format("#{mouse_sgr_flag}#{mouse_button_flag}") == "00")
        try session.send("M-m")
        try session.waitFor("Mouse on")
        #expect(try session.format("#{mouse_sgr_flag}#{mouse_button_flag}") == "11")

        // a click on a word of a sentence focuses that sentence; a tag key then tags it
        var screen = try session.screen()
        let word = try #require(Self.cell(of: "kind of approach", in: screen))
        try Self.sendBytes(session, Self.report(0, row: word.row, column: word.column + 2))
        try Self.sendBytes(session, Self.report(0, row: word.row, column: word.column + 2, release: true))
        try session.send("a")
        try session.waitFor("Actor:")
        try session.send("ISIL", literal: true)
        try session.send("Enter")
        try session.waitFor("Tagged Actor: ISIL")

        // press on the first letter, drag, release on the last: exactly that span
        screen = try session.screen()
        let start = try #require(Self.cell(of: "Office of Counter Terrorism", in: screen))
        let end = (start.row, start.column + "Office of Counter Terrorism".count - 1)
        try Self.sendBytes(session, Self.report(0, row: start.row, column: start.column))
        try Self.sendBytes(session, Self.report(32, row: start.row, column: start.column + 5))
        try Self.sendBytes(session, Self.report(32, row: end.0, column: end.1))
        try Self.sendBytes(session, Self.report(0, row: end.0, column: end.1, release: true))
        try session.waitFor("SELECT 27 characters")
        try session.send("a")
        try session.waitFor("Actor:")
        try session.send("UN Office of Counter-Terrorism", literal: true)
        try session.send("Enter")
        try session.waitFor("Tagged Actor: UN Office of Counter-Terrorism")

        // End and Home as tmux sends them under TERM=xterm-256color (ESC [ 4 ~, ESC [ 1 ~),
        // which terminfo does not name for that terminal
        try Self.sendBytes(session, "\u{1B}[4~")
        try session.send("t")
        try session.waitFor("Threat:")
        try session.send("incitement", literal: true)
        try session.send("Enter")
        try session.waitFor("Tagged Threat: incitement")
        try Self.sendBytes(session, "\u{1B}[1~")
        try session.send("c")
        try session.waitFor("Cooperation measure:")
        try session.send("international conference", literal: true)
        try session.send("Enter")
        try session.waitFor("Tagged Cooperation measure")

        // junk never arrives as typed text: F5 and Ctrl-Right, then Alt-m turns the mouse off
        try Self.sendBytes(session, "\u{1B}[15~\u{1B}[1;5C")
        try session.send("M-m")
        try session.waitFor("Mouse off")
        #expect(try session.format("#{mouse_sgr_flag}#{mouse_button_flag}") == "00")
        try session.send("q")
        #expect(try session.waitForExit() == 0)

        let store = try JSONDecoder().decode(Store.self, from: Data(contentsOf: URL(fileURLWithPath: article.path + ".gloss.json")))
        #expect(store.annotations.map(\.quote) == [Self.title, "Office of Counter Terrorism", Self.onlyBy, Self.lastSentence])
    }

    @Test func ctrlZSuspendsAndFgRestoresTheScreen() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let article = try folder.copy(Paths.seedArticle)
        let session = try TmuxSession(command: "env PS1='shell$ ' bash --norc --noprofile -i", width: 100, height: 30, folder: folder.url)
        try session.waitFor("shell$")
        try session.send(glossCommand([article.lastPathComponent]), literal: true)
        try session.send("Enter")
        try session.waitFor("? help")
        try session.send("M-m")
        try session.waitFor("Mouse on")
        try session.send("j", "a")
        try session.waitFor("Actor:")
        try session.send("ISIL", literal: true)
        try session.send("Enter")
        try session.waitFor("Tagged Actor: ISIL")

        try session.send("C-z")
        try session.waitFor("Stopped")
        // the shell has its screen back, and the mouse and the cursor
        #expect(try session.format("#{alternate_on}#{mouse_sgr_flag}#{cursor_flag}") == "001")
        let storePath = article.path + ".gloss.json"
        let saved = try JSONDecoder().decode(Store.self, from: Data(contentsOf: URL(fileURLWithPath: storePath)))
        #expect(saved.annotations.count == 1)

        // the terminal narrows while Gloss is stopped: below 80 columns the list goes under the text
        try session.resize(width: 70, height: 30)
        try session.send("fg", literal: true)
        try session.send("Enter")
        let back = try session.waitFor("? help")
        #expect(try session.format("#{alternate_on}#{mouse_sgr_flag}") == "11")
        #expect(back.contains { $0.hasPrefix(String(repeating: "─", count: 70)) }, "the screen was:\n\(back.joined(separator: "\n"))")
        // keys work again
        try session.send("j", "t")
        try session.waitFor("Threat:")
        try session.send("incitement", literal: true)
        try session.send("Enter")
        try session.waitFor("Tagged Threat: incitement")

        // kill -TSTP from outside suspends the same way
        // the pane runs sh, which runs the bash that runs gloss
        let panePID = try session.format("#{pane_pid}")
        let bash = try run("/usr/bin/pgrep", ["-P", panePID]).output.trimmingCharacters(in: .whitespacesAndNewlines)
        let gloss = try run("/usr/bin/pgrep", ["-P", bash]).output.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(!gloss.isEmpty && !gloss.contains("\n"))
        _ = try run("/bin/kill", ["-TSTP", gloss])
        try session.waitFor("Stopped")
        #expect(try session.format("#{alternate_on}#{mouse_sgr_flag}") == "00")
        try session.send("fg", literal: true)
        try session.send("Enter")
        try session.waitFor("? help")
        try session.send("q")
        // gloss has ended once the shell is the pane's command again
        let deadline = Date().addingTimeInterval(15)
        while try session.format("#{pane_current_command}") != "bash" && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        #expect(try session.format("#{pane_current_command}") == "bash")
        let store = try JSONDecoder().decode(Store.self, from: Data(contentsOf: URL(fileURLWithPath: storePath)))
        #expect(store.annotations.count == 2)
    }

    /// A shell's `kill %1` on the stopped reader (SIGTERM, then SIGCONT) ends it at once,
    /// keeping the note being written, without taking the screen back.
    @Test func killingTheSuspendedReaderSavesAndEnds() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let article = try folder.copy(Paths.seedArticle)
        let session = try TmuxSession(command: "env PS1='shell$ ' bash --norc --noprofile -i", width: 100, height: 30, folder: folder.url)
        try session.waitFor("shell$")
        try session.send(glossCommand([article.lastPathComponent]), literal: true)
        try session.send("Enter")
        try session.waitFor("? help")
        try session.send("a", "Enter", "m")
        try session.send("a note still being written", literal: true)
        try session.send("C-z")
        try session.waitFor("Stopped")
        try session.send("kill %1", literal: true)
        try session.send("Enter")
        // the job ends by itself, without fg, with 128 + SIGTERM (bash says so at its next prompt)
        let deadline = Date().addingTimeInterval(15)
        while try session.format("#{pane_current_command}") != "bash" && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        try session.send("Enter")
        try session.waitFor("Exit 143")
        let store = try String(contentsOfFile: article.path + ".gloss.json", encoding: .utf8)
        #expect(store.contains("a note still being written"))
        #expect(try session.format("#{alternate_on}") == "0")
    }
}
