import Foundation
import Testing
@testable import GlossCore

/// `Resources/codebook.json` in the package root (three levels up from this file).
private let shippedCodebookPath = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Resources/codebook.json").path

/// Writes `content` to a file in a fresh temporary folder and returns its path; the caller
/// removes the folder (the path's parent).
private func writeCodebook(_ content: String) throws -> String {
    let folder = FileManager.default.temporaryDirectory
        .appendingPathComponent("gloss-codebook-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let path = folder.appendingPathComponent("codebook.json").path
    try Data(content.utf8).write(to: URL(fileURLWithPath: path))
    return path
}

/// Removes the temporary folder holding `path`.
private func removeCodebookFolder(of path: String) {
    try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path)
}

/// A category as JSON.
private func categoryJSON(id: String, key: String) -> String {
    "{\"id\": \"\(id)\", \"label\": \"L\", \"key\": \"\(key)\", \"color\": \"red\", \"description\": \"d\", \"values\": [\"v\"]}"
}

@Suite("Codebook")
struct CodebookTests {
    @Test("the shipped codebook has actor, threat and cooperation-measure on keys a, t, c")
    func shippedCategories() throws {
        let codebook = try Codebook.load(path: shippedCodebookPath)
        #expect(codebook.name == "Counter-terrorism reporting")
        #expect(codebook.categories.map(\.id) == ["actor", "threat", "cooperation-measure"])
        #expect(codebook.categories.map(\.key) == ["a", "t", "c"])
        #expect(codebook.categories.map(\.label) == ["Actor", "Threat", "Cooperation measure"])
        #expect(codebook.category(key: "t")?.id == "threat")
        #expect(codebook.category(key: "c")?.id == "cooperation-measure")
        #expect(codebook.category(key: "x") == nil)
        #expect(codebook.category(id: "actor")?.key == "a")

        let colors = codebook.categories.map(\.color)
        #expect(Set(colors).count == colors.count)
        #expect(Set(colors).isSubset(of: ["red", "green", "yellow", "blue", "magenta", "cyan"]))
        for category in codebook.categories {
            #expect(!category.description.isEmpty, "\(category.id)")
            #expect(!category.description.contains("\n"), "\(category.id)")
        }
    }

    @Test("every category has 15 to 25 non-empty, unique values and aliases that clash with none")
    func shippedValues() throws {
        let codebook = try Codebook.load(path: shippedCodebookPath)
        for category in codebook.categories {
            let values = category.allValues.map(\.value)
            #expect((15...25).contains(values.count), "\(category.id) has \(values.count) values")
            #expect(values.allSatisfy { !$0.trimmingCharacters(in: .whitespaces).isEmpty }, "\(category.id)")
            let folded = values.map { $0.lowercased() }
            #expect(Set(folded).count == folded.count, "\(category.id) repeats a value")
            var names = Set(folded)
            for value in category.allValues {
                for alias in value.aliases {
                    #expect(!alias.isEmpty)
                    #expect(names.insert(alias.lowercased()).inserted, "\(category.id): alias \(alias) clashes")
                }
            }
        }
        let actor = try #require(codebook.category(id: "actor"))
        let isil = try #require(actor.values.first { $0.value == "ISIL" })
        #expect(Set(isil.aliases).isSuperset(of: ["ISIS", "Daesh", "Islamic State"]))
        #expect(actor.values.contains { $0.value == "UN Office of Counter-Terrorism" })
        #expect(codebook.category(id: "threat")?.values.contains { $0.value == "terrorist financing" } == true)
        #expect(codebook.category(id: "cooperation-measure")?.values.contains { $0.value == "information sharing" } == true)
    }

    @Test("plain-string values decode without aliases and encode back as strings")
    func plainAndObjectValues() throws {
        let json = """
            {"name": "n", "categories": [{"id": "x", "label": "X", "key": "x", "color": "blue", "description": "d",
             "values": ["plain", {"value": "parent", "aliases": ["p"], "values": ["child", {"value": "grandchild"}]}]}]}
            """
        let path = try writeCodebook(json)
        defer { removeCodebookFolder(of: path) }
        let codebook = try Codebook.load(path: path)
        let category = try #require(codebook.categories.first)
        #expect(category.values.map(\.value) == ["plain", "parent"])
        #expect(category.values[0].aliases.isEmpty)
        #expect(category.values[1].aliases == ["p"])
        #expect(category.allValues.map(\.value) == ["plain", "parent", "child", "grandchild"])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let plain = String(decoding: try encoder.encode(category.values[0]), as: UTF8.self)
        #expect(plain == "\"plain\"")
        let again = try JSONDecoder().decode(Codebook.self, from: try encoder.encode(codebook))
        #expect(again == codebook)
    }

    @Test("a key used by two categories is refused, naming the file and the key")
    func duplicateKey() throws {
        let path = try writeCodebook("{\"name\": \"n\", \"categories\": [\(categoryJSON(id: "actor", key: "a")), \(categoryJSON(id: "agency", key: "a"))]}")
        defer { removeCodebookFolder(of: path) }
        do {
            _ = try Codebook.load(path: path)
            Issue.record("a duplicate key was accepted")
        } catch let error as CodebookError {
            #expect(error.path == path)
            #expect(error.description.hasPrefix(path + ": "))
            #expect(error.description.contains("key \"a\""))
        }
    }

    @Test("a key that is a control character, a space or a digit is refused, naming the file and showing the key safely",
          arguments: [("\\u0001", "␁"), ("\\u001b", "␛"), ("\\t", ControlPictures.visible("\t")), (" ", " "), ("1", "1")])
    func unusableKey(json: String, shown: String) throws {
        let path = try writeCodebook("{\"name\": \"n\", \"categories\": [\(categoryJSON(id: "actor", key: json))]}")
        defer { removeCodebookFolder(of: path) }
        let error = #expect(throws: CodebookError.self) { try Codebook.load(path: path) }
        #expect(error?.description.hasPrefix(path + ": ") == true)
        #expect(error?.description.contains("has key \"\(shown)\"") == true, "\(error?.description ?? "")")
        #expect(error?.description.unicodeScalars.contains { $0.value < 0x20 } == false)
    }

    @Test("a repeated category id and a key longer than one character are refused")
    func duplicateIdAndLongKey() throws {
        let repeated = try writeCodebook("{\"name\": \"n\", \"categories\": [\(categoryJSON(id: "actor", key: "a")), \(categoryJSON(id: "actor", key: "b"))]}")
        defer { removeCodebookFolder(of: repeated) }
        let repeatedError = #expect(throws: CodebookError.self) { try Codebook.load(path: repeated) }
        #expect(repeatedError?.description.hasPrefix(repeated + ": ") == true)
        #expect(repeatedError?.description.contains("\"actor\" appears twice") == true)
        let long = try writeCodebook("{\"name\": \"n\", \"categories\": [\(categoryJSON(id: "actor", key: "ac"))]}")
        defer { removeCodebookFolder(of: long) }
        let longError = #expect(throws: CodebookError.self) { try Codebook.load(path: long) }
        #expect(longError?.description.hasPrefix(long + ": ") == true)
        #expect(longError?.description.contains("one character") == true)
    }

    @Test("bad JSON, a wrong shape and a missing file are refused, naming the file",
          arguments: [
            ("{\"name\": \"n\", \"categories\": [", "not a codebook"),
            ("codebook: yes", "not a codebook"),
            ("{\"name\": \"n\"}", "missing \"categories\""),
            ("{\"name\": \"n\", \"categories\": [{\"id\": \"x\"}]}", "missing \"label\""),
            // JSON kinds in words, never Swift's type names
            (#"{"name": "n", "categories": [{"id": "x", "label": "X", "key": "x", "color": "red", "description": "d", "values": [1]}]}"#,
             "not a codebook: expected an object at categories[0].values[0]"),
            (#"{"name": "n", "categories": [{"id": "x", "label": 5, "key": "x", "color": "red", "description": "d", "values": []}]}"#,
             "not a codebook: expected a string at categories[0].label"),
            (#"{"name": "n", "categories": {}}"#, "not a codebook: expected an array at categories"),
          ])
    func badFiles(content: String, problem: String) throws {
        let path = try writeCodebook(content)
        defer { removeCodebookFolder(of: path) }
        do {
            _ = try Codebook.load(path: path)
            Issue.record("\(content.debugDescription) was accepted")
        } catch let error as CodebookError {
            #expect(error.description.hasPrefix(path + ": "))
            #expect(error.description.contains(problem), "\(error.description)")
            #expect(!["Dictionary", "Array<", "Swift."].contains { error.description.contains($0) }, "\(error.description)")
        }
    }

    @Test("a missing codebook file is refused, naming the file")
    func missingFile() {
        let path = "/nonexistent-gloss-folder/codebook.json"
        let error = #expect(throws: CodebookError.self) { try Codebook.load(path: path) }
        #expect(error?.description == "\(path): cannot read it: no such file")
    }
}

/// A team codebook is found beside a document or in a parent folder.
@Suite struct CodebookDiscoveryTests {
    @Test("the nearest gloss.codebook.json wins; none gives nil")
    func nearestWins() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("gloss-discover-\(UUID().uuidString)")
        let nested = root.appendingPathComponent("team/2026/november")
        try FileManager.default.createDirectory(at: nested, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        let article = nested.appendingPathComponent("article.txt").path
        try Data("Text.\n".utf8).write(to: URL(fileURLWithPath: article))
        #expect(Codebook.discover(forDocument: article) == nil || !Codebook.discover(forDocument: article)!.hasPrefix(root.path))
        let team = root.appendingPathComponent("team/gloss.codebook.json").path
        try Data("{}".utf8).write(to: URL(fileURLWithPath: team))
        #expect(Codebook.discover(forDocument: article) == team)
        let closer = nested.appendingPathComponent("gloss.codebook.json").path
        try Data("{}".utf8).write(to: URL(fileURLWithPath: closer))
        #expect(Codebook.discover(forDocument: article) == closer)
    }
}
