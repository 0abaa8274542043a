import Foundation
import GlossTestSupport
import Testing

/// Line breaks as the built `gloss` reads them: classic Mac OS text (lone carriage
/// returns) and a line that starts with a combining mark.
@Suite struct LineBreakEndToEndTests {
    static let environment = ["LANG": "C.UTF-8", "GLOSS_RESOURCES": Paths.package.appendingPathComponent("Resources").path]

    static func gloss(_ arguments: [String], in folder: URL) throws -> ProcessResult {
        try run("/bin/sh", ["-c", "cd '\(folder.path)' && exec \"$0\" \"$@\"", Paths.gloss.path] + arguments, environment: environment)
    }

    @Test("gloss grep: a line break before a combining mark joins it to the letter before with no space, as the reader draws it; paragraph 1")
    func grepAcrossLineBreakBeforeMark() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        try "Ends with a\nxcombining start.\n".write(to: folder.url.appendingPathComponent("plain.txt"), atomically: true, encoding: .utf8)
        try "Ends with a\n\u{301}combining start.\n".write(to: folder.url.appendingPathComponent("mark.txt"), atomically: true, encoding: .utf8)
        let plain = try Self.gloss(["grep", "a xcombining", "plain.txt"], in: folder.url)
        #expect(plain.status == 0 && plain.output == "plain.txt:1: Ends with a xcombining start.\n", "\(plain.output)\(plain.error)")
        // the accent goes on the a: á, found by its precomposed form too
        for pattern in ["a\u{301}combining", "\u{E1}combining", "with \u{E1}"] {
            let marked = try Self.gloss(["grep", pattern, "mark.txt"], in: folder.url)
            #expect(marked.status == 0, "\(pattern.debugDescription): \(marked.error)")
            #expect(marked.output == "mark.txt:1: Ends with a\u{301}combining start.\n", "\(marked.output.debugDescription)")
        }
        #expect(try Self.gloss(["grep", "a \u{301}combining", "mark.txt"], in: folder.url).status == 1)
        // a soft hyphen ending a line: the word whole, the soft hyphen not shown
        try "The infor\u{AD}\nmation desk.\n".write(to: folder.url.appendingPathComponent("soft.txt"), atomically: true, encoding: .utf8)
        let soft = try Self.gloss(["grep", "information", "soft.txt"], in: folder.url)
        #expect(soft.status == 0 && soft.output == "soft.txt:1: The information desk.\n", "\(soft.output.debugDescription)\(soft.error)")
    }

    @Test("a classic Mac OS text (lone carriage returns): grep numbers its paragraphs as in the same text with line feeds, and the reader shows the title on its own row above a blank one")
    func carriageReturnText() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let text = try String(contentsOf: Paths.seedArticle, encoding: .utf8)
        try text.write(to: folder.url.appendingPathComponent("lf.txt"), atomically: true, encoding: .utf8)
        try text.replacingOccurrences(of: "\n", with: "\r").write(to: folder.url.appendingPathComponent("cr.txt"), atomically: true, encoding: .utf8)
        let lf = try Self.gloss(["grep", "member states", "lf.txt"], in: folder.url)
        let cr = try Self.gloss(["grep", "member states", "cr.txt"], in: folder.url)
        #expect(lf.status == 0 && cr.status == 0, "\(cr.error)")
        #expect(!lf.output.isEmpty && cr.output == lf.output.replacingOccurrences(of: "lf.txt:", with: "cr.txt:"), "\(cr.output)")

        let session = try TmuxSession(command: glossCommand(["cr.txt"]), width: 100, height: 20, folder: folder.url)
        let screen = try session.waitFor("Top officials")
        let body = try #require(screen.firstIndex { $0.contains("Top officials") }, "\(screen)")
        // the title (wrapped beside the pane) ends the row two above the body's first
        let title = screen[..<body].firstIndex { $0.contains("Global Conference of National") }
        #expect(title != nil && body >= 2 && screen[body - 2].contains("Improve Cooperation"), "\(screen)")
        #expect(body >= 1 && screen[body - 1].split(separator: "│").first?.trimmingCharacters(in: .whitespaces).isEmpty == true, "\(screen)")
    }
}
