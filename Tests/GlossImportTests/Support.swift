import Foundation
import GlossCore
@testable import GlossImport

/// Paths of the shared corpus and helpers the importer tests share.
enum Corpus {
    /// `../shared/corpus` beside the package.
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/corpus")
    static let webPage = folder.appendingPathComponent("web/wikimediafoundation.org.turkey.html").path
    static let naiveScrape = folder.appendingPathComponent("web/wikimediafoundation.org.turkey.naive-scrape.txt").path
    static let markdownPost = folder.appendingPathComponent("markdown/digitalgov-2015-11-02-modernizing-federal-cybersecurity.md").path
    static let prefacePDF = folder.appendingPathComponent("pdf/911-commission-preface.pdf").path
    static let prefaceText = folder.appendingPathComponent("reports/911-commission-preface.txt").path
    static let postPDF = folder.appendingPathComponent("pdf/digitalgov-2015-11-02-modernizing-federal-cybersecurity.pdf").path

    static func bytes(_ path: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    }
}

/// A fresh temporary folder, removed by `cleanUp()`.
struct Scratch {
    let url: URL
    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("gloss-import-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    func cleanUp() { try? FileManager.default.removeItem(at: url) }
    /// Writes `bytes` to `name` in the folder; returns its path.
    @discardableResult
    func write(_ bytes: [UInt8], to name: String) throws -> String {
        let path = url.appendingPathComponent(name).path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }
    @discardableResult
    func write(_ text: String, to name: String) throws -> String {
        try write(Array(text.utf8), to: name)
    }
}

extension ExtractedText {
    /// The blocks: the text split at blank lines.
    var blocks: [String] { text.components(separatedBy: "\n\n") }

    /// The blocks that start at a heading start.
    var headings: [String] {
        var offset = 0
        var found: [String] = []
        for block in blocks {
            if headingStarts.contains(offset) { found.append(block) }
            offset += block.unicodeScalars.count + 2
        }
        return found
    }

    /// True when the text keeps ``ExtractedText``'s promise: blocks joined by one blank
    /// line, none empty or holding a blank line, none ending in a space, every heading
    /// start at a block's start.
    var isWellFormed: Bool {
        var starts = Set<Int>()
        var offset = 0
        for block in blocks {
            starts.insert(offset)
            offset += block.unicodeScalars.count + 2
            let lines = block.split(separator: "\n", omittingEmptySubsequences: false)
            if block.isEmpty || lines.contains(where: { $0.allSatisfy { $0 == " " || $0 == "\t" || $0 == "\r" } }) { return false }
            if block.last == " " { return false }
        }
        return headingStarts.isSubset(of: starts)
    }
}
