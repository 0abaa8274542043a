import CCmark
import Foundation
import GlossCore

/// Extracts the text of a Markdown post with cmark-gfm, GitHub's fork of the CommonMark
/// reference parser, with its `table` and `strikethrough` extensions (GitHub Flavored
/// Markdown's pipe tables and `~~…~~`); the tree is walked with `cmark_iter_next`.
///
/// Before parsing, a front matter block at the very start (YAML between `---` lines, the
/// closing one `---` or `...`; TOML between `+++` lines) is skipped, and Hugo shortcodes
/// (`{{< name … >}}`, `{{% name … %}}`, their closing tags too, anywhere, as Hugo itself
/// replaces them before rendering) are dropped, with their line when one stands alone on
/// it; an escaped one (`{{</* name */>}}`) is kept as the text Hugo shows, `{{< name >}}`.
///
/// Blocks, in document order (CommonMark spec names): each paragraph, each heading
/// (marked as a heading), each list item (its paragraphs joined by a space, one block; a
/// list nested in it starts blocks of its own), each paragraph of a block quote, each
/// code block (its lines kept, empty lines dropped), and each row of a table, the header
/// row too, its cells' text joined by ``cellSeparator`` (` · `; an empty cell between
/// two others keeps its place, `a · · c`, one at either end shows nothing). Inline content is its text: emphasis, strong emphasis and strikethrough
/// without `*`, `_` or `~`, code spans without backticks, links as their text, images as
/// their alt text; soft and hard line breaks become spaces and runs of white space one
/// space (``BlockText``). Entities and backslash escapes are decoded by cmark.
///
/// Raw HTML, inline or as a block, is markup, not text: its tags are dropped and the text
/// between inline tags kept, as a browser shows it, except that
/// - everything between `<script …>` and `</script>`, or `<style …>` and `</style>`, is
///   dropped, wherever the two tags are (in one paragraph, or in an HTML block whose end
///   a blank line cut off from the closing tag, with the script's body read as a
///   paragraph in between); an opening tag never closed after it drops nothing;
/// - `<br>` is a space, and two of them in a row end the block; an inline tag of a block
///   element (``blockTags``: `<p>`, `<div>`, `<li>`, …) is a space;
/// - an HTML block that a blank line ends (CommonMark's kinds 6 and 7: `<div>`, `<p>`,
///   `<table>`, `<details>`, any tag alone on its line, …) and a `<pre>` block are read as
///   a page's article is (``HTMLImporter/fragmentBlocks(_:closingNeverClosed:path:)``):
///   headings, paragraphs, cells and text in other elements are blocks, a `pre` keeps its
///   lines, entities are decoded, scripts, styles, comments and what a page drops
///   (navigation, forms, …) give nothing; the other blocks of kinds 1–5 (scripts,
///   styles, `<textarea>`, comments, `<?…?>`, declarations, CDATA) give no text;
/// - an HTML block of kinds 1–5 (`<script`, `<style`, `<pre`, `<textarea`, `<!--`, `<?`,
///   `<!X`, `<![CDATA[`) never closed, which cmark runs to the end of the post (or of the
///   quote or list item holding it), hides only its first line: the lines after it are
///   read as Markdown (``reparseUnclosedHTMLBlocks(in:budget:path:)``).
/// Thematic breaks give no text.
public struct MarkdownImporter: Importer {
    /// Creates the importer.
    public init() {}

    /// `markdown`.
    public var name: String { "markdown" }
    /// `3 cmark-gfm X.Y.Z`: these rules and the cmark-gfm library in use. Version 2: tables,
    /// strikethrough, scripts and styles dropped, `<br>` a space. Version 3: an HTML block
    /// never closed hides nothing after its first line, the text of `<pre>`, `<div>` and
    /// other HTML blocks a blank line ends is kept.
    public var version: String { "3 cmark-gfm \(String(cString: cmark_version_string()))" }
    /// ``ImporterInput/text``: the post decoded to UTF-8.
    public var input: ImporterInput { .text }

    /// What separates the cells of a table row in its block.
    public static let cellSeparator = " · "

    /// Block quotes nested deeper than this are refused before parsing: cmark-gfm's time
    /// grows faster than the square of the depth (16,000 levels over a line of brackets:
    /// seconds; 32,000: minutes), and written Markdown nests a few.
    public static let deepestQuote = 1_000

    /// The most block-quote markers (`>`) that start one line of `markdown`: those in its
    /// leading run of `>`, spaces and tabs.
    static func quoteDepth(_ markdown: ArraySlice<UInt8>) -> Int {
        var deepest = 0, depth = 0
        var atLineStart = true
        for byte in markdown {
            if byte == 0x0A || byte == 0x0D {
                atLineStart = true
                depth = 0
            } else if atLineStart {
                if byte == UInt8(ascii: ">") {
                    depth += 1
                    deepest = max(deepest, depth)
                } else if byte != 0x20 && byte != 0x09 {
                    atLineStart = false
                }
            }
        }
        return deepest
    }

    /// cmark-gfm's extensions are registered once, before any parser looks one up.
    private static let registered: Bool = {
        cmark_gfm_core_extensions_ensure_registered()
        return true
    }()

    /// The post's text (see the type's documentation).
    /// - Parameters:
    ///   - bytes: the post as UTF-8, without a byte-order mark.
    ///   - path: the file, named in errors.
    /// - Returns: blocks joined by `"\n\n"`, headings marked.
    /// - Throws: ``ImportError/unparsable(path:format:reason:)`` when cmark returns no
    ///   document; ``ImportError/noText(path:format:detail:)`` when no text is left.
    public func extract(_ bytes: [UInt8], path: String) throws -> ExtractedText {
        let source = Self.withoutShortcodes(Self.withoutFrontMatter(bytes))
        let text = try Self.blocks(ofPost: source, reparseBudget: Self.reparseBudget(sourceBytes: source.count), path: path)
        guard !text.blocks.isEmpty else {
            throw ImportError.noText(path: path, format: "Markdown", detail: "nothing but front matter, shortcodes, raw HTML or blank lines")
        }
        return BlockText.join(text.blocks, extractor: name, version: version)
    }

    /// The blocks of `source` (a post without its front matter and shortcodes), HTML blocks
    /// never closed given back to Markdown within `reparseBudget` bytes
    /// (``reparseUnclosedHTMLBlocks(in:budget:path:)``).
    /// - Throws: ``ImportError/unparsable(path:format:reason:)`` as ``parse(_:path:)`` and
    ///   ``blocks(of:path:)`` do.
    static func blocks(ofPost source: [UInt8], reparseBudget: Int, path: String) throws -> BlockText {
        let document = try parse(source[...], path: path)
        defer { cmark_node_free(document) }
        try reparseUnclosedHTMLBlocks(in: document, budget: reparseBudget, path: path)
        return try blocks(of: document, path: path)
    }

    /// `markdown` parsed by cmark-gfm with the `table` and `strikethrough` extensions: the
    /// document node, the caller's to free.
    /// - Throws: ``ImportError/unparsable(path:format:reason:)`` when cmark makes no parser
    ///   or returns no document (out of memory).
    static func parse(_ markdown: ArraySlice<UInt8>, path: String) throws -> OpaquePointer {
        let depth = quoteDepth(markdown)
        guard depth <= deepestQuote else {
            throw ImportError.unparsable(path: path, format: "Markdown", reason:
                "block quotes nested \(depth) deep, more than the \(deepestQuote) Gloss reads (the Markdown parser would take minutes over them); rename it .txt to read it as plain text")
        }
        _ = Self.registered
        guard let parser = cmark_parser_new(CMARK_OPT_DEFAULT) else {
            throw ImportError.unparsable(path: path, format: "Markdown", reason: "cmark could not make a parser (out of memory)")
        }
        defer { cmark_parser_free(parser) }
        for name in ["table", "strikethrough"] {
            if let extension_ = cmark_find_syntax_extension(name) { _ = cmark_parser_attach_syntax_extension(parser, extension_) }
        }
        markdown.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) {
                if let base = $0.baseAddress, $0.count > 0 { cmark_parser_feed(parser, base, $0.count) }
            }
        }
        guard let document = cmark_parser_finish(parser) else {
            throw ImportError.unparsable(path: path, format: "Markdown", reason: "cmark returned no document")
        }
        return document
    }

    /// The blocks of a parsed document (see the type's documentation).
    /// - Throws: ``ImportError/unparsable(path:format:reason:)`` when an HTML block
    ///   (``HTMLImporter/fragmentBlocks(_:closingNeverClosed:path:)``) cannot be read:
    ///   libxml2 cannot be loaded.
    static func blocks(of document: OpaquePointer, path: String) throws -> BlockText {
        var text = BlockText()
        let closings = lastClosingTags(of: document)
        guard let iterator = cmark_iter_new(document) else { return text }
        defer { cmark_iter_free(iterator) }
        func literal(_ node: OpaquePointer) -> (UnsafePointer<UInt8>, Int)? {
            guard let value = cmark_node_get_literal(node) else { return nil }
            return (UnsafeRawPointer(value).assumingMemoryBound(to: UInt8.self), strlen(value))
        }
        func inItem(_ node: OpaquePointer) -> Bool {
            cmark_node_parent(node).map { cmark_node_get_type($0) == CMARK_NODE_ITEM } ?? false
        }
        // the raw-text element (script, style) whose closing tag is awaited, and the HTML
        // nodes met so far
        var rawText: RawTextElement?
        var htmlNodes = 0
        var headingDepth = 0
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
                headingDepth += entering ? 1 : -1
            case CMARK_NODE_CODE_BLOCK:
                text.finishBlock(heading: false)
                if rawText == nil, let (bytes, count) = literal(node) { text.appendPreformatted(bytes, count: count) }
                text.finishBlock(heading: false)
            case CMARK_NODE_TEXT, CMARK_NODE_CODE:
                if rawText == nil, let (bytes, count) = literal(node) { text.appendRunning(bytes, count: count) }
            case CMARK_NODE_SOFTBREAK, CMARK_NODE_LINEBREAK:
                if rawText == nil { text.appendSpace() }
            case CMARK_NODE_HTML_INLINE, CMARK_NODE_HTML_BLOCK:
                guard let (bytes, count) = literal(node) else { continue }
                let tags = UnsafeBufferPointer(start: bytes, count: count)
                let before = rawText
                rawText = followRawText(tags, node: htmlNodes, from: rawText, closings: closings)
                htmlNodes += 1
                if cmark_node_get_type(node) == CMARK_NODE_HTML_INLINE {
                    // an inline tag outside a script: a line break or a block's tag parts words
                    guard before == nil else { continue }
                    switch inlineTag(tags) {
                    case .lineBreak: text.appendLineBreak(heading: headingDepth > 0)
                    case .block: text.appendSpace()
                    case .other: break
                    }
                    continue
                }
                // an HTML block's text is what a browser shows of it: read as a page is, from
                // where a script or style open before it closes
                let kind = htmlBlockKind(tags)
                guard kind == .preformatted || kind == .other else { continue }
                var start = 0
                if let open = before {
                    guard rawText == nil, let (_, at) = findTag(in: tags, from: 0, closing: true, elements: [open]) else { continue }
                    start = at
                }
                // tags alone (`<img …>`, `</details>`) need no parse, nor libxml2 loaded
                guard mayHoldText(tags[start...]) else { continue }
                text.finishBlock(heading: false)
                // a script opened here and closed in a later block is hidden to this one's end
                for block in try HTMLImporter.fragmentBlocks(Array(tags[start...]), closingNeverClosed: rawText == nil, path: path) {
                    text.appendFinishedBlock(block)
                }
            default:
                // a table's rows are blocks, their cells parted by the separator (the
                // extension's node types are numbered when registered: known by name)
                if let type = cmark_node_get_type_string(node) {
                    if strcmp(type, "table_cell") == 0 {
                        if entering { text.appendSeparator(cellSeparator) }
                    } else if strcmp(type, "table_row") == 0 || strcmp(type, "table_header") == 0 || strcmp(type, "table") == 0 {
                        text.finishBlock(heading: false)
                    }
                }
                // other containers (lists, quotes, emphasis, strikethrough, links, images)
                // give their children's text; thematic breaks give none
                continue
            }
        }
        text.finishBlock(heading: false)
        return text
    }

    // MARK: - HTML blocks that are never closed

    /// CommonMark's kinds of HTML block (spec 0.31 §4.6), told apart by what ends them:
    /// kinds 1–5 only a marker of their own, on any later line, blank lines included (never
    /// closed, such a block runs to the end of what holds it: the post, a block quote, a
    /// list item); kinds 6 and 7 a blank line.
    enum HTMLBlockKind: Equatable {
        /// Kind 1: `<script`, `<style`.
        case rawText
        /// Kind 1 from spec 0.30 on (``textareaIsRawText``), kind 7 before, which a blank
        /// line ends: `<textarea`.
        case textarea
        /// Kind 1: `<pre`.
        case preformatted
        /// Kind 2: `<!--`.
        case comment
        /// Kind 3: `<?`.
        case processingInstruction
        /// Kind 4: `<!` and a letter.
        case declaration
        /// Kind 5: `<![CDATA[`.
        case cdata
        /// Kinds 6 and 7, which a blank line ends.
        case other

        /// What closes a block of this kind: a line holding any of these (kind 1's tags in
        /// any letter case, `</textarea>` among them where ``textareaIsRawText``; a
        /// `<textarea` block of kind 7 is closed for Gloss only by `</textarea>`); nil for
        /// kinds 6 and 7.
        var endMarkers: [[UInt8]]? {
            let kindOne = ["</script>", "</pre>", "</style>"] + (textareaIsRawText ? ["</textarea>"] : [])
            switch self {
            case .rawText, .preformatted: return kindOne.map { Array($0.utf8) }
            case .textarea: return (textareaIsRawText ? kindOne : ["</textarea>"]).map { Array($0.utf8) }
            case .comment: return [Array("-->".utf8)]
            case .processingInstruction: return [Array("?>".utf8)]
            case .declaration: return [Array(">".utf8)]
            case .cdata: return [Array("]]>".utf8)]
            case .other: return nil
            }
        }
    }

    /// The kind of the HTML block whose literal is `block`, told by its start as the spec's
    /// start conditions 1–5 are (up to three spaces first). A block starting with
    /// `<textarea` is of kind 1 only where the cmark-gfm in use makes it one
    /// (``textareaIsRawText``; spec 0.29 did not), but is ``HTMLBlockKind/textarea``
    /// either way, so that one never closed hides nothing in either.
    static func htmlBlockKind(_ block: UnsafeBufferPointer<UInt8>) -> HTMLBlockKind {
        var start = 0
        while start < min(3, block.count), block[start] == 0x20 { start += 1 }
        let rest = block[start...]
        func startsWith(_ prefix: String, caseInsensitive: Bool = false) -> Bool {
            let prefix = Array(prefix.utf8)
            guard rest.count >= prefix.count else { return false }
            return zip(rest.prefix(prefix.count), prefix).allSatisfy { caseInsensitive ? $0 | 0x20 == $1 : $0 == $1 }
        }
        func startsWithTag(_ name: String) -> Bool {
            guard startsWith("<" + name, caseInsensitive: true) else { return false }
            let end = rest.startIndex + name.utf8.count + 1
            return end == rest.endIndex || BlockText.isSpace(rest[end]) || rest[end] == 0x3E
        }
        if startsWith("<!--") { return .comment }
        if startsWith("<?") { return .processingInstruction }
        if startsWith("<![CDATA[") { return .cdata }
        if startsWith("<!"), rest.count > 2, rest[rest.startIndex + 2] | 0x20 >= 0x61, rest[rest.startIndex + 2] | 0x20 <= 0x7A { return .declaration }
        if startsWithTag("pre") { return .preformatted }
        if startsWithTag("script") || startsWithTag("style") { return .rawText }
        if startsWithTag("textarea") { return .textarea }
        return .other
    }

    /// Whether the cmark-gfm in use reads `<textarea` as kind 1 (spec 0.30 on), which only a
    /// `</textarea>`-like end tag ends: asked of cmark itself once.
    static let textareaIsRawText: Bool = {
        guard let document = try? parse(Array("<textarea>\n\nx\n".utf8)[...], path: "") else { return false }
        defer { cmark_node_free(document) }
        guard let first = cmark_node_first_child(document), cmark_node_get_type(first) == CMARK_NODE_HTML_BLOCK,
              let literal = cmark_node_get_literal(first) else { return false }
        return strchr(literal, 0x78) != nil
    }()

    /// Whether the HTML block `block`, of kind 1–5, holds none of its kind's end markers
    /// (cmark ran it to the end of what holds it), or, for a `script`, `style`, `pre` or
    /// `textarea`, not the end tag of its own element: kind 1 ends at any of the four
    /// (`<style>` … `</pre>`), which leaves the element itself open, and its lines are the
    /// post's text.
    static func isNeverClosed(_ block: UnsafeBufferPointer<UInt8>) -> Bool {
        let kind = htmlBlockKind(block)
        guard var markers = kind.endMarkers else { return false }
        if kind == .rawText || kind == .preformatted || (kind == .textarea && textareaIsRawText),
           let name = openingName(block) {
            markers = [Array("</\(name)>".utf8)]
        }
        let caseInsensitive = kind == .rawText || kind == .preformatted || kind == .textarea
        for start in block.indices where block[start] == markers[0][0] || (caseInsensitive && block[start] == 0x3C) {
            for marker in markers where start + marker.count <= block.count {
                var matched = 0
                while matched < marker.count, (caseInsensitive ? block[start + matched] | 0x20 : block[start + matched]) == marker[matched] { matched += 1 }
                if matched == marker.count { return false }
            }
        }
        return true
    }

    /// The element name, in lower case, of the tag `block` starts with (after up to three
    /// spaces): `style` for `   <STYLE media="print">`; nil when it starts with no tag.
    static func openingName(_ block: UnsafeBufferPointer<UInt8>) -> String? {
        var index = 0
        while index < min(3, block.count), block[index] == 0x20 { index += 1 }
        guard index < block.count, block[index] == 0x3C else { return nil }
        index += 1
        var name: [UInt8] = []
        while index < block.count, block[index] | 0x20 >= 0x61, block[index] | 0x20 <= 0x7A {
            name.append(block[index] | 0x20)
            index += 1
        }
        return name.isEmpty ? nil : String(decoding: name, as: UTF8.self)
    }

    /// Bytes of the post cmark may parse again for blocks never closed: eight times the
    /// post, and at least 8 MB (a post of thousands of such blocks, one inside the next,
    /// would otherwise take time quadratic in its length).
    static func reparseBudget(sourceBytes: Int) -> Int { max(8 * sourceBytes, 8 << 20) }

    /// Gives back to Markdown what follows the first line of each HTML block of kinds 1–5
    /// that is never closed (``isNeverClosed(_:)``): the block keeps its first line, and
    /// the rest of its lines (already without the markers of the block quotes or list
    /// items holding it) is parsed by cmark again and its blocks put after it, in its
    /// place in the tree; those are searched in turn. Once `budget` bytes have been
    /// parsed again, the rest of such a block becomes a code block, its lines kept, so that
    /// nothing is hidden still.
    /// - Throws: ``ImportError/unparsable(path:format:reason:)`` when cmark returns no
    ///   document (out of memory).
    static func reparseUnclosedHTMLBlocks(in document: OpaquePointer, budget: Int, path: String) throws {
        var budget = budget
        var pending = [document]
        while let root = pending.popLast() {
            var unclosed: [OpaquePointer] = []
            if let iterator = cmark_iter_new(root) {
                while true {
                    let event = cmark_iter_next(iterator)
                    if event == CMARK_EVENT_DONE { break }
                    guard event == CMARK_EVENT_ENTER, let node = cmark_iter_get_node(iterator),
                          cmark_node_get_type(node) == CMARK_NODE_HTML_BLOCK, let value = cmark_node_get_literal(node) else { continue }
                    let block = UnsafeBufferPointer(start: UnsafeRawPointer(value).assumingMemoryBound(to: UInt8.self), count: strlen(value))
                    if isNeverClosed(block) { unclosed.append(node) }
                }
                cmark_iter_free(iterator)
            }
            for node in unclosed {
                let block = Array(UnsafeBufferPointer(start: UnsafeRawPointer(cmark_node_get_literal(node)!).assumingMemoryBound(to: UInt8.self),
                                                      count: strlen(cmark_node_get_literal(node)!)))
                guard let newline = block.firstIndex(of: 0x0A) else { continue }
                let rest = block[(newline + 1)...]
                guard rest.contains(where: { !BlockText.isSpace($0) }) else { continue }
                _ = cmark_node_set_literal(node, String(decoding: block[...newline], as: UTF8.self))
                budget -= rest.count
                if budget < 0 {
                    guard let code = cmark_node_new(CMARK_NODE_CODE_BLOCK) else {
                        throw ImportError.unparsable(path: path, format: "Markdown", reason: "cmark could not make a node (out of memory)")
                    }
                    _ = cmark_node_set_literal(code, String(decoding: rest, as: UTF8.self))
                    _ = cmark_node_insert_after(node, code)
                    continue
                }
                let parsed = try parse(rest, path: path)
                defer { cmark_node_free(parsed) }
                var anchor = node
                while let child = cmark_node_first_child(parsed) {
                    guard cmark_node_insert_after(anchor, child) != 0 else {
                        throw ImportError.unparsable(path: path, format: "Markdown", reason: "cmark would not put the blocks after an HTML block never closed in its place")
                    }
                    pending.append(child)
                    anchor = child
                }
            }
        }
    }

    // MARK: - Raw HTML

    /// The HTML elements whose content is not text: from the opening tag to the closing
    /// one, nothing is shown.
    enum RawTextElement: CaseIterable {
        case script, style

        /// The tag name, lower case.
        var name: [UInt8] { self == .script ? Array("script".utf8) : Array("style".utf8) }
    }

    /// Where a tag was found: the HTML node's number (counting HTML nodes in document
    /// order) and the byte offset in its literal.
    struct TagPosition: Comparable {
        let node: Int
        let offset: Int
        static func < (a: TagPosition, b: TagPosition) -> Bool { (a.node, a.offset) < (b.node, b.offset) }
    }

    /// The last closing tag of each raw-text element in the document's HTML: an opening
    /// tag after it is never closed, and drops nothing.
    static func lastClosingTags(of document: OpaquePointer) -> [RawTextElement: TagPosition] {
        var found: [RawTextElement: TagPosition] = [:]
        guard let iterator = cmark_iter_new(document) else { return found }
        defer { cmark_iter_free(iterator) }
        var htmlNodes = 0
        while true {
            let event = cmark_iter_next(iterator)
            if event == CMARK_EVENT_DONE { break }
            guard event == CMARK_EVENT_ENTER, let node = cmark_iter_get_node(iterator) else { continue }
            let type = cmark_node_get_type(node)
            guard type == CMARK_NODE_HTML_INLINE || type == CMARK_NODE_HTML_BLOCK else { continue }
            defer { htmlNodes += 1 }
            guard let value = cmark_node_get_literal(node) else { continue }
            let tags = UnsafeBufferPointer(start: UnsafeRawPointer(value).assumingMemoryBound(to: UInt8.self), count: strlen(value))
            var offset = 0
            while let (element, at) = findTag(in: tags, from: offset, closing: true, elements: RawTextElement.allCases) {
                found[element] = TagPosition(node: htmlNodes, offset: at)
                offset = at + 1
            }
        }
        return found
    }

    /// The raw-text element still open after the HTML `tags` of node number `node`, when
    /// `open` was open before it: its closing tag ends it, and an opening tag of one that
    /// is closed later (``lastClosingTags(of:)``) starts one.
    static func followRawText(_ tags: UnsafeBufferPointer<UInt8>, node: Int, from open: RawTextElement?,
                              closings: [RawTextElement: TagPosition]) -> RawTextElement? {
        var open = open
        var offset = 0
        while offset < tags.count {
            if let element = open {
                guard let (_, at) = findTag(in: tags, from: offset, closing: true, elements: [element]) else { return element }
                open = nil
                offset = at + 1
            } else {
                guard let (element, at) = findTag(in: tags, from: offset, closing: false, elements: RawTextElement.allCases) else { return nil }
                if let closing = closings[element], TagPosition(node: node, offset: at) < closing { open = element }
                offset = at + 1
            }
        }
        return open
    }

    /// The first tag at or after `from` in `tags` opening (`<script`) or closing
    /// (`</script`) one of `elements`, in any letter case, its name ending there (white
    /// space, `>`, `/` or the end follows): the element and the offset of its `<`.
    static func findTag(in tags: UnsafeBufferPointer<UInt8>, from: Int, closing: Bool,
                        elements: [RawTextElement]) -> (RawTextElement, Int)? {
        var index = from
        while index < tags.count {
            defer { index += 1 }
            guard tags[index] == 0x3C else { continue }
            var start = index + 1
            if closing {
                guard start < tags.count, tags[start] == 0x2F else { continue }
                start += 1
            }
            for element in elements {
                let name = element.name
                guard start + name.count <= tags.count else { continue }
                var matched = 0
                while matched < name.count && tags[start + matched] | 0x20 == name[matched] { matched += 1 }
                guard matched == name.count else { continue }
                let end = start + name.count
                if end == tags.count || BlockText.isSpace(tags[end]) || tags[end] == 0x3E || tags[end] == 0x2F {
                    return (element, index)
                }
            }
        }
        return nil
    }

    /// Whether `html` has anything but white space outside its `<…>` (the first `>` ending
    /// each): false when it is tags alone and shows no text. A `>` in a quoted attribute
    /// value makes it true, so that libxml2 reads it, never false wrongly.
    static func mayHoldText(_ html: Slice<UnsafeBufferPointer<UInt8>>) -> Bool {
        var inTag = false
        for byte in html {
            if inTag {
                // a line end too: a comment or tag never closed hides only its own line
                if byte == 0x3E || byte == 0x0A { inTag = false }
            } else if byte == 0x3C {
                inTag = true
            } else if !BlockText.isSpace(byte) {
                return true
            }
        }
        return false
    }

    /// What an inline HTML tag is to the text around it.
    enum InlineTag { case lineBreak, block, other }

    /// Elements whose tags part the words on either side when written inline.
    static let blockTags: Set<String> = ["address", "article", "aside", "blockquote", "dd", "div", "dl", "dt", "figcaption",
                                         "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main",
                                         "nav", "ol", "p", "pre", "section", "table", "td", "th", "tr", "ul"]

    /// Whether the inline HTML `tag` (one tag, a comment or a declaration, as cmark gives
    /// it) is a `<br>`, an opening or closing tag of one of ``blockTags``, or other markup.
    static func inlineTag(_ tag: UnsafeBufferPointer<UInt8>) -> InlineTag {
        guard tag.count > 2, tag[0] == 0x3C else { return .other }
        var start = 1
        if tag[start] == 0x2F { start += 1 }
        var end = start
        while end < tag.count, (tag[end] | 0x20 >= 0x61 && tag[end] | 0x20 <= 0x7A) || (tag[end] >= 0x30 && tag[end] <= 0x39) { end += 1 }
        guard end > start else { return .other }
        let name = String(decoding: tag[start..<end], as: UTF8.self).lowercased()
        if name == "br" { return .lineBreak }
        return blockTags.contains(name) ? .block : .other
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
