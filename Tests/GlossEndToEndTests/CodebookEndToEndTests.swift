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

    @Test func bundledCodebookCopiedBesideTheDocumentOnFirstEdit() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let article = try folder.copy(Paths.seedArticle, as: "article.txt")
        let bundled = Paths.package.appendingPathComponent("Resources/codebook.json")
        let bundledBytes = try Data(contentsOf: bundled)

        let session = try TmuxSession(command: glossCommand([article.lastPathComponent]), width: 120, height: 40, folder: folder.url)
        try session.waitFor("? help")
        try session.send("C")
        try session.waitFor("the bundled codebook; the first edit creates")
        try session.send("A")
        try session.waitFor("New category's label:")
        try session.send("Place of attack", literal: true)
        try session.send("Enter")
        try session.waitFor("Key that tags as")
        try session.send("p")
        try session.send("Enter")
        try session.waitFor("Colour of")
        try session.send("Enter")
        try session.waitFor("created gloss.codebook.json")
        // the new category's key tags at once
        try session.send("Escape")
        try session.send("p")
        try session.waitFor("Place of attack:")
        try session.send("Escape")
        try session.send("q")
        #expect(try session.waitForExit() == 0)

        #expect(try Data(contentsOf: bundled) == bundledBytes)
        let created = try Codebook.load(path: folder.url.appendingPathComponent("gloss.codebook.json").path)
        #expect(created.categories.map(\.id) == ["actor", "threat", "cooperation-measure", "place-of-attack"])
        #expect(created.category(id: "place-of-attack")?.key == "p")
    }
}
