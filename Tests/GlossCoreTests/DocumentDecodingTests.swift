import Foundation
import GlossCore
import Testing

/// Files that are not plain UTF-8: UTF-16 with a byte-order mark, binary files, empty ones.
@Suite struct DocumentDecodingTests {
    func write(_ bytes: [UInt8]) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("gloss-decoding-\(UUID().uuidString).txt").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    static let sample = "Daesh 👍🏽 said: «non»\r\nnext"

    @Test("UTF-16 little-endian with a byte-order mark decodes to the same text")
    func utf16LittleEndian() throws {
        var bytes: [UInt8] = [0xFF, 0xFE]
        for unit in Self.sample.utf16 { bytes += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        let path = try write(bytes)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let document = try Document(contentsOfFile: path)
        #expect(document.text == Self.sample)
        #expect(document.length == Self.sample.unicodeScalars.count)
    }

    @Test("UTF-16 big-endian with a byte-order mark decodes to the same text")
    func utf16BigEndian() throws {
        var bytes: [UInt8] = [0xFE, 0xFF]
        for unit in Self.sample.utf16 { bytes += [UInt8(unit >> 8), UInt8(unit & 0xFF)] }
        let path = try write(bytes)
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(try Document(contentsOfFile: path).text == Self.sample)
    }

    @Test("a lone UTF-16 surrogate is refused with its byte offset")
    func badUTF16() throws {
        let path = try write([0xFF, 0xFE, 0x41, 0x00, 0x00, 0xD8, 0x42, 0x00])
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(throws: DocumentError.notUTF16(path: path, byteOffset: 4)) { try Document(contentsOfFile: path) }
    }

    @Test("invalid UTF-16 after a byte-order mark is called invalid UTF-16, with the offset and UTF-16 advice",
          arguments: [
            ([0xFF, 0xFE, 0x00, 0xD8], 2),  // a high surrogate at the end
            ([0xFE, 0xFF, 0x00, 0x41, 0xDC, 0x00, 0x00, 0x42], 4),  // a lone low surrogate, big-endian
            ([0xFF, 0xFE, 0x3D, 0xD8, 0x00, 0xDE, 0x00, 0xD8, 0x41, 0x00], 6),  // after a valid pair
            ([0xFF, 0xFE, 0x41, 0x00, 0x42], 4),  // an odd byte at the end
          ] as [([UInt8], Int)])
    func invalidUTF16Named(bytes: [UInt8], offset: Int) throws {
        let path = try write(bytes)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let error = #expect(throws: DocumentError.self) { try Document(contentsOfFile: path) }
        #expect(error == .notUTF16(path: path, byteOffset: offset))
        let message = error?.description ?? ""
        #expect(message.hasPrefix(path + ": not valid UTF-16 text"), "\(message)")
        #expect(message.contains("offset \(offset)"))
        #expect(message.contains("iconv -c -f UTF-16 -t UTF-8"))
        #expect(!message.contains("UTF-8 text") && !message.contains("LATIN1"))
    }

    @Test("a file with a NUL byte is refused as binary, naming the file and the offset")
    func binary() throws {
        let path = try write(Array("ELF".utf8) + [0x00, 0x01, 0x02])
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(throws: DocumentError.binary(path: path, byteOffset: 3)) { try Document(contentsOfFile: path) }
        do {
            _ = try Document(contentsOfFile: path)
        } catch {
            #expect("\(error)".hasPrefix(path + ": a binary file"))
        }
    }

    @Test("an empty or whitespace-only file opens with no paragraphs")
    func empty() throws {
        for content in ["", "  \n\t\r\n\n"] {
            let path = try write(Array(content.utf8))
            defer { try? FileManager.default.removeItem(atPath: path) }
            let document = try Document(contentsOfFile: path)
            #expect(document.paragraphs.isEmpty)
            #expect(document.length == content.unicodeScalars.count)
        }
    }
}
