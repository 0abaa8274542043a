import Foundation
@testable import GlossCore
import Testing

/// A mapped document whose file is truncated while it is read: its bytes past the new end
/// read as zeros instead of raising SIGBUS, and the fault names the file.
@Suite struct MappedDocumentTests {
    @Test("a mapped file cut short reads as zeros past its new end, and the fault names it")
    func truncatedMappingReadsZeros() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gloss-mapped-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("doc.txt").path
        let line = Array("The quick brown fox jumps over the lazy dog.\n".utf8)
        var bytes: [UInt8] = []
        while bytes.count < 3 * Document.eagerByteCount { bytes += line }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        #expect(MappedDocuments.fault == nil)

        let storage = try Storage.open(path)
        let far = 2 * Document.eagerByteCount + 7
        #expect(storage.bytes[far] == bytes[far])
        #expect(truncate(path, 1000) == 0)
        // each read past the end would have ended the process
        #expect(storage.bytes[far] == 0)
        #expect(storage.bytes[bytes.count - 1] == 0)
        #expect(storage.bytes[10] == bytes[10])
        #expect(storage.mappedFileChanged)
        let fault = try #require(MappedDocuments.fault)
        #expect(fault == MappedDocuments.Fault(path: path, mappedSize: bytes.count, currentSize: 1000))
        #expect("\(fault)" == "\(path): the file was cut short while it was being read (from \(bytes.count) to 1000 bytes)")
        // a second document, indexed whole before it is cut short: its paragraphs keep the
        // code point counts every offset was derived from
        let second = folder.appendingPathComponent("accents.txt").path
        let paragraph = Array("Ça coûte 5 € — naïve “quotes” and 日本語 text.\n\n".utf8)
        var accents: [UInt8] = []
        while accents.count < 3 * Document.eagerByteCount { accents += paragraph }
        try Data(accents).write(to: URL(fileURLWithPath: second))
        let document = try Document(contentsOfFile: second)
        let count = document.paragraphCount
        let last = try #require(document.paragraph(count - 1))
        #expect(truncate(second, 1000) == 0)
        let text = document.text(ofParagraph: count - 1)
        #expect(text.unicodeScalars.count == last.range.count)
        #expect(document.text(in: last.range).unicodeScalars.count == last.range.count)
        #expect(document.changedOnDisk)
        #expect(MappedDocuments.fault?.path == path)

        // not a command: files are still written
        let other = folder.appendingPathComponent("other.json").path
        try AtomicFile.write(Data("{}".utf8), to: other)
        #expect(FileManager.default.contents(atPath: other) == Data("{}".utf8))
    }
}
