import Foundation
import Testing
@testable import GlossCore

/// Editing a codebook file's JSON: values, categories, renames and merges, keeping what
/// Gloss does not know; and reading the values a folder's other stores use.
@Suite struct CodebookFileTests {
    /// A team codebook with members Gloss does not know, at every level.
    static let teamJSON = """
    {
      "$schema": "https://example.org/codebook.schema.json",
      "name": "Team codebook",
      "maintainer": "desk@example.org",
      "categories": [
        {
          "id": "actor", "label": "Actor", "key": "a", "color": "cyan",
          "description": "Who acts.", "notes": "ask the desk before adding",
          "values": [
            { "value": "state", "values": ["Turkey", { "value": "France", "source": "UN list" }] },
            { "value": "ISIL", "aliases": ["ISIS"] },
            "police"
          ]
        }
      ]
    }
    """

    static func teamFile() throws -> CodebookFile {
        let tree = try JSONDecoder().decode(JSONValue.self, from: Data(teamJSON.utf8))
        return CodebookFile(path: "/nowhere/gloss.codebook.json", tree: tree)
    }

    @Test("a narrower value goes under its parent; unknown members stay as read")
    func addNestedValue() throws {
        let file = try Self.teamFile().addingValue("Syria", toCategory: "actor", under: "state")
        let codebook = try file.codebook()
        #expect(codebook.categories[0].path(of: "Syria") == ["state", "Syria"])
        #expect(file.tree["$schema"] == .string("https://example.org/codebook.schema.json"))
        #expect(file.tree["maintainer"] == .string("desk@example.org"))
        let category = file.tree["categories"]?.arrayValue?.first
        #expect(category?["notes"] == .string("ask the desk before adding"))
        // the written bytes read back as the same tree
        let reread = try JSONDecoder().decode(JSONValue.self, from: file.data)
        #expect(reread == file.tree)
        let text = String(decoding: file.data, as: UTF8.self)
        #expect(text.contains(#""source": "UN list""#))
        #expect(text.hasPrefix("{\n  \"name\": \"Team codebook\""))
    }

    @Test("a top value is appended to its category; a value or alias already there is refused")
    func addTopValue() throws {
        let file = try Self.teamFile().addingValue("Hamas", toCategory: "actor")
        #expect(try file.codebook().categories[0].values.map(\.value) == ["state", "ISIL", "police", "Hamas"])
        #expect(throws: CodebookEditError.self) { try Self.teamFile().addingValue("Turkey", toCategory: "actor") }
        #expect(throws: CodebookEditError.self) { try Self.teamFile().addingValue("ISIS", toCategory: "actor") }
        #expect(throws: CodebookEditError.self) { try Self.teamFile().addingValue("x", toCategory: "place") }
        #expect(throws: CodebookEditError.self) { try Self.teamFile().addingValue("x", toCategory: "actor", under: "nobody") }
    }

    @Test("a category is added with its key; a repeated id or key is refused")
    func addCategory() throws {
        let place = Category(id: "place", label: "Place", key: "p", color: "yellow", description: "", values: [])
        let file = try Self.teamFile().addingCategory(place)
        #expect(try file.codebook().category(key: "p")?.id == "place")
        let sameKey = Category(id: "other", label: "Other", key: "a", color: "red", description: "", values: [])
        #expect(throws: CodebookEditError.self) { try Self.teamFile().addingCategory(sameKey) }
        #expect(Codebook.categoryID(forLabel: "Cooperation measure") == "cooperation-measure")
        #expect(Codebook.categoryID(forLabel: "  Place / region! ") == "place-region")
        #expect(Codebook.categoryID(forLabel: "—") == "")
    }

    @Test("a rename keeps the old spelling as an alias; a nested value keeps its place and members")
    func rename() throws {
        let file = try #require(try Self.teamFile().renamingValue("France", to: "French Republic", inCategory: "actor"))
        let actor = try file.codebook().categories[0]
        #expect(actor.path(of: "French Republic") == ["state", "French Republic"])
        #expect(actor.allValues.first { $0.value == "French Republic" }?.aliases == ["France"])
        #expect(String(decoding: file.data, as: UTF8.self).contains(#""source": "UN list""#))
        // a value the codebook does not list leaves it alone
        #expect(try Self.teamFile().renamingValue("Hamas", to: "HAMAS", inCategory: "actor") == nil)
    }

    @Test("a rename onto an existing value merges: the old entry goes, its spelling and aliases join the target")
    func merge() throws {
        let file = try #require(try Self.teamFile().renamingValue("ISIL", to: "police", inCategory: "actor"))
        let actor = try file.codebook().categories[0]
        #expect(actor.allValues.map(\.value) == ["state", "Turkey", "France", "police"])
        #expect(actor.allValues.first { $0.value == "police" }?.aliases == ["ISIL", "ISIS"])
    }

    @Test("a value merged into one of its own narrower values: its narrower values take its place, nothing is lost")
    func mergeIntoNarrower() throws {
        let file = try #require(try Self.teamFile().renamingValue("state", to: "France", inCategory: "actor"))
        let actor = try file.codebook().categories[0]
        #expect(actor.allValues.map(\.value) == ["Turkey", "France", "ISIL", "police"])
        #expect(actor.allValues.first { $0.value == "France" }?.aliases == ["state"])
        #expect(String(decoding: file.data, as: UTF8.self).contains(#""source": "UN list""#))
        // and a narrower value merged into its parent joins it, as any merge does
        let up = try #require(try Self.teamFile().renamingValue("Turkey", to: "state", inCategory: "actor"))
        #expect(try up.codebook().categories[0].allValues.map(\.value) == ["state", "France", "ISIL", "police"])
    }

    @Test("completion values come from the folder's other stores; damaged, foreign and own stores are skipped")
    func folderValues() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gloss-folder-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        func write(_ name: String, _ text: String) throws {
            try Data(text.utf8).write(to: folder.appendingPathComponent(name))
        }
        try write("b.txt.gloss.json", #"{"format":"gloss-annotations","version":3,"annotations":[{"tags":[{"category":"actor","value":"Hezbollah"},{"category":"actor","value":""}]},{"tags":"broken"}],"orphans":[{"tags":[{"category":"threat","value":"piracy"}]}]}"#)
        try write("a.txt.gloss.json", #"{"format":"gloss-annotations","version":3,"annotations":[{"tags":[{"category":"actor","value":"Wagner"},{"category":"actor","value":"Hezbollah"}]}]}"#)
        try write("c.txt.gloss.json", "{ truncated")
        try write("d.txt.gloss.json", #"{"format":"other-tool","annotations":[{"tags":[{"category":"actor","value":"Foreign"}]}]}"#)
        try write("own.txt.gloss.json", #"{"format":"gloss-annotations","version":3,"annotations":[{"tags":[{"category":"actor","value":"Mine"}]}]}"#)
        let values = FolderValues.read(folder: folder.path, excluding: [folder.appendingPathComponent("own.txt.gloss.json").path])
        #expect(values["actor"] == ["Wagner", "Hezbollah"])
        #expect(values["threat"] == ["piracy"])
        // only the first store by name when the limit is one
        #expect(FolderValues.read(folder: folder.path, fileLimit: 1) == ["actor": ["Wagner", "Hezbollah"]])
        #expect(FolderValues.read(folder: folder.appendingPathComponent("missing").path).isEmpty)
    }
}
