import Foundation
import Testing
import ZIPFoundation
@testable import GlossCore

/// The REFI-QDA readers on large, hostile and broken input: a project over libxml2's
/// default limits, zip bombs, DTDs with entities, and XML errors reported in words.
@Suite struct QDPXLimitsTests {
    /// A zip archive of one deflated `project.qde`: an XML comment of `padding` spaces
    /// before an empty project, so it compresses to almost nothing. With `declared`, the
    /// size its local and central headers give is overwritten with that (a lying header).
    static func bomb(padding: Int, declared: UInt32? = nil) throws -> Data {
        let text = Data("<?xml version=\"1.0\"?>\n<!--".utf8) + Data(repeating: 0x20, count: padding)
            + Data("--><Project xmlns=\"urn:QDA-XML:project:1.0\" name=\"x\"/>".utf8)
        let archive = try Archive(data: Data(), accessMode: .create)
        try archive.addEntry(with: "project.qde", type: .file, uncompressedSize: Int64(text.count), compressionMethod: .deflate) { position, size in
            text.subdata(in: Int(position)..<Int(position) + size)
        }
        var data = try #require(archive.data)
        if let declared {
            // local file header: size at 22; central directory header: size at 24
            for (signature, offset) in [([0x50, 0x4B, 0x03, 0x04] as [UInt8], 22), ([0x50, 0x4B, 0x01, 0x02], 24)] {
                let start = try #require(data.firstRange(of: Data(signature))).lowerBound + offset
                withUnsafeBytes(of: declared.littleEndian) { data.replaceSubrange(start..<start + 4, with: $0) }
            }
        }
        return data
    }

    @Test("A project.qde over 10 MB (a 12 MB note) imports: libxml2's default text limit is lifted")
    func largeProject() throws {
        let folder = try ExportTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let document = try Document(text: "Alpha beta gamma.\n", path: "p.txt")
        let note = String(repeating: "a long note & <more> ", count: 600_000)
        let escaped = note.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
        let project = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<Project xmlns=\"urn:QDA-XML:project:1.0\" name=\"x\"><Sources>"
            + "<TextSource guid=\"11111111-1111-4111-8111-111111111111\" name=\"p.txt\"><PlainTextContent>Alpha beta gamma.\n</PlainTextContent>"
            + "<PlainTextSelection guid=\"22222222-2222-4222-8222-222222222222\" startPosition=\"0\" endPosition=\"5\"><Description>"
            + escaped + "</Description></PlainTextSelection></TextSource></Sources></Project>"
        #expect(project.utf8.count > 12_000_000)
        let path = try QDPXTests.archive(project, sources: [:], in: folder)
        let imported = try QDPXImporter.read(project: path, document: document, codebook: BratTests.codebook, author: "me")
        #expect(imported.read.annotations.map(\.note) == [note])
    }

    @Test("A zip bomb is refused from the size its directory declares, before inflating; a header that understates the size stops the inflating there")
    func zipBomb() throws {
        let folder = try ExportTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let document = try Document(text: "Alpha beta gamma.\n", path: "p.txt")
        let path = folder.appendingPathComponent("bomb.qdpx").path
        try Self.bomb(padding: 2 << 20).write(to: URL(fileURLWithPath: path))
        let small = RefiQDA.ArchiveLimits(project: 1 << 20, source: 1 << 20, total: 1 << 20)
        #expect(throws: QDPXImporter.ImportError(path: path, problem: "project.qde declares 2 MB inflated, over the 1 MB a reader takes for the project file; refused as a possible zip bomb")) {
            try QDPXImporter.read(project: path, document: document, codebook: BratTests.codebook, author: "me", limits: small)
        }
        #expect(RefiQDA.ArchiveLimits.standard == .init(project: 512 << 20, source: 1 << 30, total: 2 << 30))

        let lying = folder.appendingPathComponent("lying.qdpx").path
        let data = try Self.bomb(padding: 2 << 20, declared: 1000)
        try data.write(to: URL(fileURLWithPath: lying))
        let error = "project.qde inflates to more than the 1000 bytes its header declares; refused as a damaged archive or a zip bomb"
        #expect(throws: QDPXImporter.ImportError(path: lying, problem: error)) {
            try QDPXImporter.read(project: lying, document: document, codebook: BratTests.codebook, author: "me")
        }
        #expect(throws: QDCCodebook.QDCError(path: lying, problem: error)) {
            try QDCCodebook.read(data, path: lying, name: "x") { _ in true }
        }
    }

    @Test("XML errors say what and where; a DTD (billion laughs) is refused before any entity is read; no & is lost from attribute values")
    func xmlErrors() throws {
        let truncated = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<CodeBook xmlns=\"urn:QDA-XML:codebook:1.0\"><Codes><Code guid=\"6f1c0d3e-1111-4222-8333-444455556666\" name=\"A\" isCodable=\"true\"><Code gu"
        #expect(throws: QDCCodebook.QDCError(path: "t.qdc", problem: "not well-formed XML at line 2, column 135: Premature end of data in tag Code line 2")) {
            try QDCCodebook.read(Data(truncated.utf8), path: "t.qdc", name: "t") { _ in true }
        }
        var entities = "<!ENTITY a \"aaaaaaaaaa\">"
        for (name, previous) in zip("bcdefg", "abcdef") {
            entities += "<!ENTITY \(name) \"" + String(repeating: "&\(previous);", count: 10) + "\">"
        }
        let laughs = "<?xml version=\"1.0\"?>\n<!DOCTYPE CodeBook [\(entities)]>\n<CodeBook xmlns=\"urn:QDA-XML:codebook:1.0\"><Codes><Code guid=\"6f1c0d3e-1111-4222-8333-444455556666\" name=\"&g;\" isCodable=\"true\"/></Codes></CodeBook>"
        let refusal = "a document type declaration (<!DOCTYPE) at line 2 is refused: REFI-QDA files need none, and the entities declared in one could expand without bound"
        #expect(throws: QDCCodebook.QDCError(path: "lol.qdc", problem: refusal)) {
            try QDCCodebook.read(Data(laughs.utf8), path: "lol.qdc", name: "lol") { _ in true }
        }
        // in a project too, and an external DTD
        let folder = try ExportTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let document = try Document(text: "Alpha beta gamma.\n", path: "p.txt")
        let project = "<?xml version=\"1.0\"?>\n<!DOCTYPE Project SYSTEM \"http://example.com/x.dtd\">\n<Project xmlns=\"urn:QDA-XML:project:1.0\" name=\"x\"/>"
        let path = try QDPXTests.archive(project, sources: [:], in: folder)
        #expect(throws: QDPXImporter.ImportError(path: path, problem: "project.qde: " + refusal)) {
            try QDPXImporter.read(project: path, document: document, codebook: BratTests.codebook, author: "me")
        }
        #expect(try XMLTree.parse(Data("<a v=\"&amp;#38; &#38;&lt;\">&amp;#38;</a>".utf8)).attributes["v"] == "&#38; &<")
        #expect(throws: XMLTreeError.self) { try XMLTree.parse(Data()) }
    }
}
