import Foundation
import GlossCore
import GlossTestSupport
import Testing

/// The codebook view in a real terminal (tmux, on a socket of its own): a team codebook in
/// a parent folder of the document is found, shown with its nested values, and a value
/// added from the view lands in that file.
@Suite(.serialized) struct CodebookEndToEndTests {
    static let teamCodebook = """
    {
      "name": "Desk codebook",
      "maintainer": "desk@example.org",
      "categories": [
        {
          "id": "actor", "label": "Actor", "key": "a", "color": "cyan",
          "description": "Who acts or is acted upon.",
          "values": [
            { "value": "state", "values": ["Turkey"] },
            { "value": "ISIL", "aliases": ["ISIS"] }
          ]
        },
        { "id": "threat", "label": "Threat", "key": "t", "color": "red", "description": "The danger.", "values": ["bombing"] }
      ]
    }
    """

    @Test func teamCodebookInParentFolderShownAndEdited() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let codebookURL = folder.url.appendingPathComponent("gloss.codebook.json")
        try Data(Self.teamCodebook.utf8).write(to: codebookURL)
        let desk = folder.url.appendingPathComponent("desk")
        try FileManager.default.createDirectory(at: desk, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: Paths.seedArticle, to: desk.appendingPathComponent("article.txt"))

        let session = try TmuxSession(command: glossCommand(["desk/article.txt"]), width: 120, height: 40, folder: folder.url)
        try session.waitFor("? help")
        try session.send("C")
        var screen = try session.waitFor("Codebook: Desk codebook")
        #expect(screen.contains { $0.contains(codebookURL.path) || $0.contains("gloss.codebook.json") })
        screen = try session.waitFor("Turkey")
        let stateRow = try #require(screen.first { $0.contains("  state") })
        let turkeyRow = try #require(screen.first { $0.contains("Turkey") })
        // Turkey is indented under state
        #expect((turkeyRow.range(of: "Turkey")?.lowerBound.utf16Offset(in: turkeyRow) ?? 0)
                > (stateRow.range(of: "state")?.lowerBound.utf16Offset(in: stateRow) ?? 0))
        try session.send("j")
        try session.send("a")
        try session.waitFor("New value under “state” in Actor:")
        try session.send("Syria", literal: true)
        try session.send("Enter")
        try session.waitFor("Added “Syria” under “state” in Actor")
        try session.waitFor("    Syria")

        let written = try CodebookFile.load(path: codebookURL.path)
        #expect(written.codebook.categories[0].path(of: "Syria") == ["state", "Syria"])
        #expect(written.codebook.categories[0].path(of: "Turkey") == ["state", "Turkey"])
        #expect(written.file.tree["maintainer"] == .string("desk@example.org"))
        // nothing was written beside the document but its store, if anything
        #expect(!FileManager.default.fileExists(atPath: desk.appendingPathComponent("gloss.codebook.json").path))

        try session.send("Escape")
        try session.send("q")
        #expect(try session.waitForExit() == 0)
    }
}
