import Foundation
import Testing
@testable import GlossCore

/// JSON nested deeper than the JSON readers go (``StoreScan/nestingLimit``, 512 arrays and
/// objects) may be valid JSON: every reader of JSON in Gloss says it is nested too deeply,
/// naming the file and the limit, never "not valid JSON"; a store so nested is left as it
/// is, not moved aside as damaged.
@Suite("JSON nested too deeply is named so, not called invalid")
struct JSONNestingTests {
    /// `depth` arrays and objects, alternating, holding each other around `1`: valid JSON.
    static func nested(_ depth: Int) -> String {
        var open = "", close = ""
        for level in 0..<depth {
            if level.isMultiple(of: 2) { open += "["; close = "]" + close } else { open += #"{"k":"#; close = "}" + close }
        }
        return open + "1" + close
    }

    /// A version 3 store of an empty document with `member` as another tool's top-level member.
    static func store(member: String) -> String {
        #"{"annotations":[],"document":{"length":0,"path":"d.txt","sha256":"0"},"format":"gloss-annotations","memo":"","orphans":[],"relations":[],"version":3,"other":"# + member + "}"
    }

    /// A folder removed when the test ends.
    static func withFolder(_ body: (URL) throws -> Void) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gloss-nesting-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try body(folder)
    }

    @Test("the limit is JSONDecoder's: 512 levels read, 513 refused")
    func limitIsJSONDecoders() throws {
        // the whole store nests one level more than its member
        let within = Data(Self.store(member: Self.nested(StoreScan.nestingLimit - 1)).utf8)
        let beyond = Data(Self.store(member: Self.nested(StoreScan.nestingLimit)).utf8)
        #expect((try? JSONDecoder().decode(JSONValue.self, from: within)) != nil)
        #expect((try? JSONDecoder().decode(JSONValue.self, from: beyond)) == nil)
        #expect(!StoreScan.nestsTooDeeply(within))
        #expect(StoreScan.nestsTooDeeply(beyond))
        // the exact reading keeps the deepest member JSONDecoder reads, as written
        let contents = try StoreCodec.decode(within, path: "d.txt.gloss.json")
        #expect(contents.otherFields["other"] == StoreScan.exactValue(of: Data(Self.nested(StoreScan.nestingLimit - 1).utf8)))
    }

    @Test("a syntax error before the deep part is still not valid JSON; one inside it too")
    func syntaxErrorsStayInvalid() {
        #expect(!StoreScan.nestsTooDeeply(Data(("{\"a\":,\"b\":" + Self.nested(600) + "}").utf8)))
        #expect(!StoreScan.nestsTooDeeply(Data(String(repeating: "[", count: 100).utf8)))
        #expect(!StoreScan.nestsTooDeeply(Data("{}".utf8)))
    }

    @Test("a store whose member nests 600 levels is refused naming the file and the limit, and left as it is")
    func deepStore() throws {
        try Self.withFolder { folder in
            let path = folder.appendingPathComponent("d.txt.gloss.json").path
            let json = Self.store(member: Self.nested(600))
            try Data(json.utf8).write(to: URL(fileURLWithPath: path))
            let store = AnnotationStore(path: path)
            do {
                _ = try store.load()
                Issue.record("read without a word")
            } catch let error as StoreError {
                #expect(error.path == path)
                #expect(error.problem.contains("nested too deeply") && error.problem.contains("512"), "\(error.problem)")
                #expect(!error.problem.contains("not valid JSON"), "\(error.problem)")
            }
            // the reader's way in: refused the same, nothing moved aside
            #expect(throws: StoreError.self) { _ = try store.open(movingDamagedAside: true) }
            #expect(try String(contentsOfFile: path, encoding: .utf8) == json)
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["d.txt.gloss.json"])
        }
    }

    @Test("a codebook nested 600 levels is refused naming the file and the limit, by both codebook readers")
    func deepCodebook() throws {
        try Self.withFolder { folder in
            let path = folder.appendingPathComponent("gloss.codebook.json").path
            try Data((#"{"categories":[],"x":"# + Self.nested(600) + "}").utf8).write(to: URL(fileURLWithPath: path))
            for read in [{ _ = try Codebook.load(path: path) }, { _ = try CodebookFile.load(path: path) }] as [() throws -> Void] {
                do {
                    try read()
                    Issue.record("read without a word")
                } catch let error as CodebookError {
                    #expect("\(error)".contains(path), "\(error)")
                    #expect(error.problem.contains("nested too deeply") && error.problem.contains("512"), "\(error.problem)")
                    #expect(!error.problem.contains("not valid JSON") && !error.problem.contains("not a codebook"), "\(error.problem)")
                }
            }
        }
    }

    @Test("a W3C file nested 600 levels is refused naming the file and the limit")
    func deepW3C() throws {
        try Self.withFolder { folder in
            let text = folder.appendingPathComponent("d.txt")
            try Data("Top officials met.".utf8).write(to: text)
            let path = folder.appendingPathComponent("notes.json").path
            try Data((#"{"type":"AnnotationCollection","x":"# + Self.nested(600) + "}").utf8).write(to: URL(fileURLWithPath: path))
            let document = try Document(contentsOfFile: text.path)
            do {
                _ = try W3CImporter.read(file: path, document: document, codebook: BratTests.codebook, author: "t")
                Issue.record("read without a word")
            } catch let error as AnnotationImport.ImportError {
                #expect(error.path == path)
                #expect(error.problem.contains("nested too deeply") && error.problem.contains("512"), "\(error.problem)")
                #expect(!error.problem.contains("not JSON"), "\(error.problem)")
            }
        }
    }
}
