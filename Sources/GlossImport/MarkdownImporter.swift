import CCmark
import Foundation
import GlossCore

/// Extracts the text of a Markdown post with cmark, the CommonMark reference parser
/// (`cmark_parse_document`, then the tree walked with `cmark_iter_next`).
///
/// Before parsing, a front matter block at the very start (YAML between `---` lines, the
/// closing one `---` or `...`; TOML between `+++` lines) is skipped, and Hugo shortcodes
/// (`{{< name … >}}`, `{{% name … %}}`, their closing tags too, anywhere, as Hugo itself
/// replaces them before rendering) are dropped, with their line when one stands alone on
/// it; an escaped one (`{{</* name */>}}`) is kept as the text Hugo shows, `{{< name >}}`.
///
/// Blocks, in document order (CommonMark spec 0.30 names): each paragraph, each heading
/// (marked as a heading), each list item (its paragraphs joined by a space, one block; a
/// list nested in it starts blocks of its own), each paragraph of a block quote, and each
/// code block (its lines kept, empty lines dropped). Inline content is its text: emphasis
/// and strong emphasis without `*` or `_`, code spans without backticks, links as their
/// text, images as their alt text; soft and hard line breaks become spaces and runs of
/// white space one space (``BlockText``). Raw HTML, inline or as a block, and thematic
/// breaks are dropped. Entities and backslash escapes are decoded by cmark.
public struct MarkdownImporter: Importer {
    /// Creates the importer.
    public init() {}

    /// `markdown`.
    public var name: String { "markdown" }
    /// `1 cmark X.Y.Z`: these rules and the cmark library in use.
    public var version: String { "1 cmark \(String(cString: cmark_version_string()))" }
    /// ``ImporterInput/text``: the post decoded to UTF-8.
    public var input: ImporterInput { .text }

    /// The post's text (see the type's documentation).
    /// - Parameters:
    ///   - bytes: the post as UTF-8, without a byte-order mark.
    ///   - path: the file, named in errors.
    /// - Returns: blocks joined by `"\n\n"`, headings marked.
    /// - Throws: ``ImportError/unparsable(path:format:reason:)`` when cmark returns no
    ///   document; ``ImportError/noText(path:format:detail:)`` when no text is left.
    public func extract(_ bytes: [UInt8], path: String) throws -> ExtractedText {
        let source = Self.withoutShortcodes(Self.withoutFrontMatter(bytes))
        let parsed = source.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { cmark_parse_document($0.baseAddress, $0.count, CMARK_OPT_DEFAULT) }
        }
        guard let document = parsed else {
            throw ImportError.unparsable(path: path, format: "Markdown", reason: "cmark returned no document")
        }
        defer { cmark_node_free(document) }
        let text = Self.blocks(of: document)
        guard !text.blocks.isEmpty else {
            throw ImportError.noText(path: path, format: "Markdown", detail: "nothing but front matter, shortcodes, raw HTML or blank lines")
        }
        return BlockText.join(text.blocks, extractor: name, version: version)
    }

    /// The blocks of a parsed document (see the type's documentation).
    static func blocks(of document: OpaquePointer) -> BlockText {
        var text = BlockText()
        guard let iterator = cmark_iter_new(document) else { return text }
        defer { cmark_iter_free(iterator) }
        func literal(_ node: OpaquePointer) -> (UnsafePointer<UInt8>, Int)? {
            guard let value = cmark_node_get_literal(node) else { return nil }
            return (UnsafeRawPointer(value).assumingMemoryBound(to: UInt8.self), strlen(value))
        }
        func inItem(_ node: OpaquePointer) -> Bool {
            cmark_node_parent(node).map { cmark_node_get_type($0) == CMARK_NODE_ITEM } ?? false
        }
        while true {
            let event = cmark_iter_next(iterator)
            if event == CMARK_EVENT_DONE { break }
            guard let node = cmark_iter_get_node(iterator) else { continue }
            let entering = event == CMARK_EVENT_ENTER
            switch cmark_node_get_type(node) {
            case CMARK_NODE_PARAGRAPH:
                if inItem(node) {
                    // an item's paragraphs make one block
                    if entering { text.appendSpace() }
                } else {
                    text.finishBlock(heading: false)
                }
            case CMARK_NODE_ITEM:
                text.finishBlock(heading: false)
            case CMARK_NODE_HEADING:
                text.finishBlock(heading: !entering)
            case CMARK_NODE_CODE_BLOCK:
                text.finishBlock(heading: false)
                if let (bytes, count) = literal(node) { text.appendPreformatted(bytes, count: count) }
                text.finishBlock(heading: false)
            case CMARK_NODE_TEXT, CMARK_NODE_CODE:
                if let (bytes, count) = literal(node) { text.appendRunning(bytes, count: count) }
            case CMARK_NODE_SOFTBREAK, CMARK_NODE_LINEBREAK:
                text.appendSpace()
            default:
                // containers (lists, quotes, emphasis, links, images) give their children's
                // text; raw HTML and thematic breaks give none
                continue
            }
        }
        text.finishBlock(heading: false)
        return text
    }

    // MARK: - Before parsing

    /// `bytes` without a front matter block at the very start: a line `---` up to the
    /// next line `---` or `...` (YAML), or a line `+++` up to the next `+++` (TOML),
    /// spaces and tabs allowed at those lines' ends. Unchanged when the block is not
    /// closed (a leading `---` is then a thematic break).
    static func withoutFrontMatter(_ bytes: [UInt8]) -> [UInt8] {
        let lines = lineRanges(bytes)
        guard let first = lines.first else { return bytes }
        let opening = trimmedLine(bytes, first)
        let closings: [[UInt8]]
        switch opening {
        case Array("---".utf8): closings = [Array("---".utf8), Array("...".utf8)]
        case Array("+++".utf8): closings = [Array("+++".utf8)]
        default: return bytes
        }
        for line in lines.dropFirst() where closings.contains(trimmedLine(bytes, line)) {
            return Array(bytes[line.upperBound...])
        }
        return bytes
    }

    /// The ranges of `bytes`' lines, each with its line feed when it has one.
    static func lineRanges(_ bytes: [UInt8]) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        var start = 0
        while start < bytes.count {
            let end = bytes[start...].firstIndex(of: 0x0A).map { $0 + 1 } ?? bytes.count
            ranges.append(start..<end)
            start = end
        }
        return ranges
    }

    /// A line without its line ending and the spaces and tabs before it.
    static func trimmedLine(_ bytes: [UInt8], _ range: Range<Int>) -> [UInt8] {
        var end = range.upperBound
        while end > range.lowerBound, [0x0A, 0x0D, 0x20, 0x09].contains(bytes[end - 1]) { end -= 1 }
        return Array(bytes[range.lowerBound..<end])
    }

    /// `bytes` without Hugo shortcodes (see the type's documentation). A shortcode that is
    /// not closed is left as it is, with everything after it.
    static func withoutShortcodes(_ bytes: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            guard bytes[index] == 0x7B, index + 2 < bytes.count, bytes[index + 1] == 0x7B,
                  bytes[index + 2] == 0x3C || bytes[index + 2] == 0x25 else {
                output.append(bytes[index])
                index += 1
                continue
            }
            // `{{<` closes with `>}}`, `{{%` with `%}}`
            let delimiter = bytes[index + 2]
            let close = [delimiter == 0x3C ? 0x3E : 0x25, 0x7D, 0x7D] as [UInt8]
            guard let end = find(close, in: bytes, from: index + 3) else {
                output.append(contentsOf: bytes[index...])
                break
            }
            let inner = Array(bytes[(index + 3)..<end])
            let after = end + 3
            let trimmed = trimSpaces(inner)
            if trimmed.count >= 4, trimmed.starts(with: [0x2F, 0x2A]), trimmed.suffix(2).elementsEqual([0x2A, 0x2F]) {
                // `{{</* x */>}}`: Hugo's way of writing a shortcode as text
                let shown = trimSpaces(Array(trimmed.dropFirst(2).dropLast(2)))
                output.append(contentsOf: [0x7B, 0x7B, delimiter, 0x20] + shown + [0x20] + close)
                index = after
                continue
            }
            // alone on its line: the line goes, so no blank line is left in a paragraph
            var lineStart = output.count
            while lineStart > 0, output[lineStart - 1] == 0x20 || output[lineStart - 1] == 0x09 { lineStart -= 1 }
            var lineEnd = after
            while lineEnd < bytes.count, bytes[lineEnd] == 0x20 || bytes[lineEnd] == 0x09 || bytes[lineEnd] == 0x0D { lineEnd += 1 }
            if (lineStart == 0 || output[lineStart - 1] == 0x0A), lineEnd == bytes.count || bytes[lineEnd] == 0x0A {
                output.removeSubrange(lineStart...)
                index = min(lineEnd + 1, bytes.count)
            } else {
                index = after
            }
        }
        return output
    }

    /// `bytes` without spaces and tabs at either end.
    static func trimSpaces(_ bytes: [UInt8]) -> [UInt8] {
        Array(bytes.drop { $0 == 0x20 || $0 == 0x09 }.reversed().drop { $0 == 0x20 || $0 == 0x09 }.reversed())
    }

    /// The first index at or after `start` where `needle` occurs in `bytes`.
    static func find(_ needle: [UInt8], in bytes: [UInt8], from start: Int) -> Int? {
        var index = start
        while index + needle.count <= bytes.count {
            if bytes[index] == needle[0] && bytes[index..<(index + needle.count)].elementsEqual(needle) { return index }
            index += 1
        }
        return nil
    }
}
