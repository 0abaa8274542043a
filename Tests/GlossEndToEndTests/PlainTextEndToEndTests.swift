import Foundation
import GlossTestSupport
import Testing

/// The seed article in a real terminal (tmux): its title drawn bold, its comment form
/// dimmed, and `--hide-boilerplate` hiding it.
@Suite(.serialized) struct PlainTextEndToEndTests {
    /// The SGR parameters in force where `text` first starts on `screen` (the rows of
    /// `capture-pane -e`, which carries attributes over from one row to the next): the
    /// parameters of every escape sequence before it since the last reset (`0` or none).
    static func attributes(before text: String, in screen: [String]) -> Set<String>? {
        let joined = screen.joined(separator: "\n")
        guard let found = joined.range(of: text) else { return nil }
        var attributes = Set<String>()
        let prefix = joined[..<found.lowerBound]
        var index = prefix.startIndex
        while let escape = prefix[index...].range(of: "\u{1B}[") {
            guard let end = prefix[escape.upperBound...].firstIndex(where: { $0.isLetter }) else { break }
            if prefix[end] == "m" {
                let parameters = prefix[escape.upperBound..<end].split(separator: ";").map(String.init)
                if parameters.isEmpty || parameters.contains("0") { attributes.removeAll() }
                attributes.formUnion(parameters.filter { $0 != "0" })
            }
            index = prefix.index(after: end)
        }
        return attributes
    }

    @Test func titleBoldCommentFormDimmedAndHidden() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let article = try folder.copy(Paths.seedArticle)

        let session = try TmuxSession(command: glossCommand([article.lastPathComponent]), width: 100, height: 50, folder: folder.url)
        try session.waitFor("? help")
        // the focus (reverse video) moves off the title so its own style shows
        try session.send("j")
        try session.waitFor("Top officials")
        let screen = try session.screenWithEscapes()
        let titleRow = try #require(screen.first { $0.contains("Global Conference of National") }, "no title on screen")
        #expect(Self.attributes(before: "Global Conference", in: screen)?.contains("1") == true, "title not bold: \(titleRow.debugDescription)")
        for text in ["Leave a Reply", "Your email address will not be published"] {
            let row = try #require(screen.first { $0.contains(text) }, "\(text) is not on screen")
            let attributes = Self.attributes(before: text, in: screen)
            #expect(attributes?.contains("2") == true, "\(text) is not dimmed: \(row.debugDescription)")
            #expect(attributes?.contains("1") == false, "\(text) is bold: \(row.debugDescription)")
            #expect(row.contains("┊"), "\(text) has no mark in the margin")
        }
        let body = try #require(screen.first { $0.contains("The different member states") })
        #expect(Self.attributes(before: "The different member states", in: screen)?.contains("2") == false, "body dimmed: \(body.debugDescription)")
        try session.send("q")
        #expect(try session.waitForExit() == 0)

        let hidden = try TmuxSession(command: glossCommand([article.lastPathComponent, "--hide-boilerplate"]), width: 100, height: 50, folder: folder.url)
        try hidden.waitFor("? help")
        try hidden.send("G")
        try hidden.waitFor("terrorist groups.")
        let plain = try hidden.screen()
        #expect(!plain.contains { $0.contains("Leave a Reply") })
        #expect(!plain.contains { $0.contains("Required fields") })
        try hidden.send("q")
        #expect(try hidden.waitForExit() == 0)
    }
}
