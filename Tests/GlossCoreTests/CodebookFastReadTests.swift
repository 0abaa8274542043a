import Foundation
import Testing
@testable import GlossCore

/// The byte reader that loads a codebook at start-up gives the tree and codebook that
/// `JSONDecoder` gives, and leaves every file it cannot vouch for to `JSONDecoder`.
@Suite struct CodebookFastReadTests {
    static let shippedCodebook = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Resources/codebook.json").path

    @Test("the shipped codebook and a team codebook with unknown members: the fast tree equals JSONDecoder's")
    func fastTreeEqualsDecoder() throws {
        let shipped = try Data(contentsOf: URL(fileURLWithPath: Self.shippedCodebook))
        for data in [shipped, Data(CodebookFileTests.teamJSON.utf8)] {
            let fast = try #require(StoreScan.jsonValue(of: data))
            #expect(fast == (try JSONDecoder().decode(JSONValue.self, from: data)))
        }
    }

    @Test("CodebookFile.load gives the codebook and tree the JSONDecoder path gives")
    func loadAgreesWithDecoderPath() throws {
        let (codebook, file) = try CodebookFile.load(path: Self.shippedCodebook)
        let tree = try JSONDecoder().decode(JSONValue.self, from: Data(contentsOf: URL(fileURLWithPath: Self.shippedCodebook)))
        #expect(file.tree == tree)
        #expect(codebook == (try Codebook.decode(tree: tree, path: Self.shippedCodebook)))
        #expect(!codebook.categories.isEmpty)
    }

    @Test("a codebook read from its tree equals JSONDecoder's, nulls and all", arguments: [
        #"{"name": "N", "categories": [{"id": "actor", "label": "Actor", "key": "a", "color": "cyan", "description": "", "values": ["state", {"value": "group", "aliases": ["gang"], "values": ["cell", {"value": "wing", "aliases": null, "values": null}]}], "extra": 1}]}"#,
        #"{"name": "N", "categories": [], "relations": null}"#,
        #"{"name": "N", "categories": [{"id": "actor", "label": "A", "key": "a", "color": "red", "description": "d", "values": []}, {"id": "threat", "label": "T", "key": "t", "color": "blue", "description": "", "values": []}]}"#,
        #"{"name": "N", "categories": [{"id": "actor", "label": "A", "key": "a", "color": "red", "description": "d", "values": []}], "relations": [{"id": "r", "from": ["actor"], "to": ["actor"]}, {"id": "s", "label": null, "description": "x", "from": [], "to": ["actor"]}]}"#,
    ])
    func treeDecodingEqualsDecoder(json: String) throws {
        let data = Data(json.utf8)
        let tree = try #require(StoreScan.jsonValue(of: data))
        #expect(Codebook(exactly: tree) == (try JSONDecoder().decode(Codebook.self, from: data)))
    }

    @Test("the shipped and team codebooks read from their trees equal JSONDecoder's")
    func shippedTreeDecodingEqualsDecoder() throws {
        let shipped = try Data(contentsOf: URL(fileURLWithPath: Self.shippedCodebook))
        for data in [shipped, Data(CodebookFileTests.teamJSON.utf8)] {
            let tree = try #require(StoreScan.jsonValue(of: data))
            let fast = try #require(Codebook(exactly: tree))
            #expect(fast == (try JSONDecoder().decode(Codebook.self, from: data)))
        }
    }

    @Test("a member of another shape is left to JSONDecoder, which rejects it too", arguments: [
        #"{"categories": []}"#, #"{"name": 1, "categories": []}"#, #"{"name": "N", "categories": {}}"#,
        #"{"name": "N", "categories": [{"id": "actor", "label": "A", "key": "a", "color": "red", "values": []}]}"#,
        #"{"name": "N", "categories": [{"id": "actor", "label": "A", "key": "a", "color": "red", "description": null, "values": []}]}"#,
        #"{"name": "N", "categories": [{"id": "actor", "label": "A", "key": "a", "color": "red", "description": "", "values": [1]}]}"#,
        #"{"name": "N", "categories": [{"id": "actor", "label": "A", "key": "a", "color": "red", "description": "", "values": [{"aliases": []}]}]}"#,
        #"{"name": "N", "categories": [{"id": "actor", "label": "A", "key": "a", "color": "red", "description": "", "values": [{"value": "v", "aliases": "x"}]}]}"#,
        #"{"name": "N", "categories": [], "relations": {}}"#, #"{"name": "N", "categories": [], "relations": [{"id": "r", "from": ["a"]}]}"#,
        #"{"name": "N", "categories": [], "relations": [{"id": "r", "from": [1], "to": []}]}"#,
        #"{"name": "N", "categories": [], "relations": [{"id": "r", "from": [], "to": [], "label": 2}]}"#,
    ])
    func treeDecodingGivesUp(json: String) throws {
        let data = Data(json.utf8)
        let tree = try #require(StoreScan.jsonValue(of: data))
        #expect(Codebook(exactly: tree) == nil)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Codebook.self, from: data) }
    }

    @Test("what the byte reader cannot vouch for is left to JSONDecoder", arguments: [
        "{\"a\": 1.5}", "{\"a\": 1e3}", "{\"a\": 1, \"a\": 2}", "{\"a\": 1} x", "{\"a\": 1,}", "[01]",
        "\"\\ud800\"", "", "{\"a\": 99999999999999999999}",
    ])
    func givesUp(json: String) {
        #expect(StoreScan.jsonValue(of: Data(json.utf8)) == nil)
    }

    @Test("a codebook with a fraction or a repeated key loads as before, and a broken one fails with the same message")
    func fallbackKeepsBehaviour() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gloss-codebook-fast-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let good = folder.appendingPathComponent("weight.json").path
        try Data(#"{"name": "Weighted", "weight": 0.5, "categories": [{"id": "actor", "label": "Actor", "key": "a", "color": "cyan", "description": "Who acts.", "values": ["state"]}]}"#.utf8)
            .write(to: URL(fileURLWithPath: good))
        let (codebook, file) = try CodebookFile.load(path: good)
        #expect(codebook.categories.map(\.id) == ["actor"])
        #expect(file.tree["weight"] == .number(0.5))
        let broken = folder.appendingPathComponent("broken.json").path
        try Data(#"{"name": "Broken", "categories": [{"id": "actor", "label": 3}]}"#.utf8).write(to: URL(fileURLWithPath: broken))
        let fast = #expect(throws: CodebookError.self) { try CodebookFile.load(path: broken) }
        let slow = #expect(throws: CodebookError.self) {
            try Codebook.decode(tree: JSONDecoder().decode(JSONValue.self, from: Data(contentsOf: URL(fileURLWithPath: broken))), path: broken)
        }
        #expect(fast.map { "\($0)" } == slow.map { "\($0)" })
    }
}
