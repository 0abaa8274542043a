import Foundation
import Testing
@testable import GlossCore

/// Relation types in codebooks: the shipped ones, the defaults a codebook without
/// `relations` gets, validation on load, and the Codable round trip.
@Suite("Codebook relation types")
struct CodebookRelationTests {
    /// The package root, three levels up from this file.
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Writes `json` to a fresh temporary codebook file; returns its path.
    static func write(_ json: String) throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gloss-relation-types-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("codebook.json").path
        try Data(json.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    static func category(_ id: String, key: String) -> String {
        "{\"id\": \"\(id)\", \"label\": \"\(id)\", \"key\": \"\(key)\", \"color\": \"red\", \"description\": \"d\", \"values\": [\"v\"]}"
    }

    @Test("the shipped codebook has acts-on, undertakes and targets between its categories")
    func shipped() throws {
        let codebook = try Codebook.load(path: Self.packageRoot.appendingPathComponent("Resources/codebook.json").path)
        #expect(codebook.relations.map(\.id) == ["acts-on", "undertakes", "targets"])
        #expect(codebook.relationType(id: "undertakes")?.from == ["actor"])
        #expect(codebook.relationType(id: "undertakes")?.to == ["cooperation-measure"])
        #expect(codebook.relationType(id: "targets")?.fits(from: ["cooperation-measure"], to: ["actor", "threat"]) == true)
        #expect(codebook.relationType(id: "targets")?.fits(from: ["actor"], to: ["threat"]) == false)
        #expect(codebook.relations == RelationType.defaults)
    }

    @Test("a codebook without relations gets the defaults whose end categories it has")
    func defaultsWhenMissing() throws {
        let path = try Self.write("{\"name\": \"n\", \"categories\": [\(Self.category("actor", key: "a")), \(Self.category("threat", key: "t"))]}")
        defer { try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path) }
        let codebook = try Codebook.load(path: path)
        #expect(codebook.relations.map(\.id) == ["acts-on"])
        let empty = try Self.write("{\"name\": \"n\", \"categories\": [\(Self.category("actor", key: "a"))], \"relations\": []}")
        #expect(try Codebook.load(path: empty).relations.isEmpty, "an empty list means no relations")
    }

    @Test("a repeated relation id, an unknown end category and a missing end are refused, naming the file")
    func validation() throws {
        let categories = "[\(Self.category("actor", key: "a")), \(Self.category("threat", key: "t"))]"
        let cases: [(String, String)] = [
            ("[{\"id\": \"r\", \"label\": \"R\", \"from\": [\"actor\"], \"to\": [\"threat\"], \"description\": \"\"}, {\"id\": \"r\", \"from\": [\"threat\"], \"to\": [\"actor\"]}]",
             "relation type id \"r\" appears twice"),
            ("[{\"id\": \"r\", \"label\": \"R\", \"from\": [\"actor\"], \"to\": [\"victim\"], \"description\": \"\"}]",
             "relation type \"r\" names unknown category \"victim\" in \"to\""),
            ("[{\"id\": \"r\", \"label\": \"R\", \"from\": [], \"to\": [\"actor\"], \"description\": \"\"}]",
             "relation type \"r\" has no \"from\" category"),
            ("[{\"id\": \"r\", \"to\": [\"actor\"]}]", "missing \"from\""),
        ]
        for (relations, problem) in cases {
            let path = try Self.write("{\"name\": \"n\", \"categories\": \(categories), \"relations\": \(relations)}")
            defer { try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path) }
            do {
                _ = try Codebook.load(path: path)
                Issue.record("loaded a codebook with \(relations)")
            } catch let error as CodebookError {
                #expect(error.path == path)
                #expect(error.description.hasPrefix(path))
                #expect(error.problem.contains(problem), "\(error.problem)")
            }
        }
    }

    @Test("a codebook with relation types encodes and decodes to the same value; a label defaults to the id")
    func roundTrip() throws {
        let codebook = Codebook(name: "n", categories: [
            Category(id: "actor", label: "Actor", key: "a", color: "cyan", description: "d", values: []),
            Category(id: "threat", label: "Threat", key: "t", color: "red", description: "d", values: []),
        ], relations: [RelationType(id: "funds", label: "funds", from: ["actor"], to: ["actor", "threat"], description: "money")])
        let data = try JSONEncoder().encode(codebook)
        #expect(try JSONDecoder().decode(Codebook.self, from: data) == codebook)
        let defaulted = Codebook(name: "n", categories: codebook.categories)
        #expect(try JSONDecoder().decode(Codebook.self, from: JSONEncoder().encode(defaulted)) == defaulted)
        let bare = try JSONDecoder().decode(RelationType.self, from: Data("{\"id\": \"x\", \"from\": [\"a\"], \"to\": [\"b\"]}".utf8))
        #expect(bare.label == "x" && bare.description.isEmpty)
    }
}
