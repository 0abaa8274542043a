import CLibXML2
import Foundation
import GlossCore

/// Extracts the article from a saved web page with libxml2's HTML parser
/// (`htmlReadMemory`, options `HTML_PARSE_RECOVER | HTML_PARSE_NOERROR |
/// HTML_PARSE_NOWARNING | HTML_PARSE_NONET`, so broken markup parses as browsers would
/// repair it, nothing is printed and nothing is fetched).
///
/// What it keeps, as blocks in document order:
/// - the page's `<title>` (in `<head>`), first, as a heading;
/// - from the article, the text of its block elements: headings `h1`–`h6` (headings),
///   `p`, `li`, `dt`, `dd`, `blockquote`, `figcaption`, `td`, `th` and `pre`. A block
///   holding another block ends where the inner one starts (`<li>text<ul><li>…` gives two
///   blocks). Inline markup is its text, so a link is its text. Entities are decoded by
///   libxml2. Running text has its white space collapsed; `pre` keeps its lines
///   (``BlockText``).
///
/// The article is the `<article>` element with the most text, else the `<main>` element
/// (or `role="main"`) with the most, else `<body>`. When that holds no text in block
/// elements, its text anywhere is taken, each element other than inline markup (`a`,
/// `span`, `em`, …) ending a block.
///
/// What it drops, with everything inside: `script`, `style`, `nav`, `header`, `footer`,
/// `aside`, `form`, `noscript`, `template`, `svg`, `iframe`, `object`, `canvas`, `audio`,
/// `video`, `select`, `button`, `textarea`; elements with the `hidden` attribute; comment
/// sections, marked by an `id` or a `class` among `comments`, `comment`, `respond`,
/// `comment-respond`, `comment-form`, `commentform`, `comment-list`, `commentlist`,
/// `comments-area`, `comments-section`, `disqus_thread` (`<article>`, `<main>` and
/// `<body>` are never taken for one); HTML comments; text outside block elements.
public struct HTMLImporter: Importer {
    /// Creates the importer.
    public init() {}

    /// `html`.
    public var name: String { "html" }
    /// `1 libxml2 X.Y.Z`: these rules, and the libxml2 the package was built with.
    public var version: String { "1 libxml2 \(LIBXML_DOTTED_VERSION)" }
    /// ``ImporterInput/text``: the page decoded to UTF-8, parsed as such (the page's own
    /// `<meta charset>` is ignored, `HTML_PARSE_IGNORE_ENC`).
    public var input: ImporterInput { .text }

    /// libxml2 sets up its global tables once, before threads use it (libxml2's
    /// `xmlInitParser` documentation).
    private static let initialized: Bool = {
        xmlInitParser()
        return true
    }()

    /// The page's title and article text (see the type's documentation).
    /// - Parameters:
    ///   - bytes: the page as UTF-8, without a byte-order mark.
    ///   - path: the file, named in errors.
    /// - Returns: blocks joined by `"\n\n"`, the title and `h1`–`h6` marked as headings.
    /// - Throws: ``ImportError/unparsable(path:format:reason:)`` when libxml2 returns no
    ///   document (or the page is over 2 GB, libxml2's limit);
    ///   ``ImportError/noText(path:format:detail:)`` when no text is left.
    public func extract(_ bytes: [UInt8], path: String) throws -> ExtractedText {
        _ = Self.initialized
        guard !bytes.isEmpty else { throw ImportError.noText(path: path, format: "HTML", detail: "the file is empty") }
        guard bytes.count < Int(Int32.max) else {
            throw ImportError.unparsable(path: path, format: "HTML", reason: "over 2 GB, more than libxml2 reads")
        }
        let options = Int32(bitPattern: HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue
                            | HTML_PARSE_NONET.rawValue | HTML_PARSE_IGNORE_ENC.rawValue | HTML_PARSE_COMPACT.rawValue)
        let parsed = bytes.withUnsafeBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                htmlReadMemory($0, Int32(buffer.count), nil, "UTF-8", options)
            }
        }
        guard let document = parsed else {
            throw ImportError.unparsable(path: path, format: "HTML", reason: "libxml2's HTML parser returned no document")
        }
        defer { xmlFreeDoc(document) }
        guard let root = xmlDocGetRootElement(document) else {
            throw ImportError.noText(path: path, format: "HTML", detail: "it holds no elements")
        }
        var blocks: [(text: [UInt8], heading: Bool)] = []
        if let title = Self.title(root) { blocks.append((title, true)) }
        blocks += Self.article(root)
        guard blocks.contains(where: { !$0.heading }) else {
            throw ImportError.noText(path: path, format: "HTML",
                                     detail: blocks.isEmpty ? "no text outside scripts, navigation, headers, footers, forms and comments"
                                         : "only a title, no text outside scripts, navigation, headers, footers, forms and comments")
        }
        return BlockText.join(blocks, extractor: name, version: version)
    }

    // MARK: - Finding the title and the article

    /// The text of `<head>`'s first `<title>`, white space collapsed; nil when there is
    /// none or it is blank.
    static func title(_ root: Node) -> [UInt8]? {
        for head in children(of: root) where elementName(head) == "head" {
            for element in children(of: head) where elementName(element) == "title" {
                var text = BlockText()
                walk(element, enter: { node in
                    if node.pointee.type == XML_TEXT_NODE || node.pointee.type == XML_CDATA_SECTION_NODE, let content = node.pointee.content {
                        text.appendRunning(content, count: strlen(content))
                    }
                    return true
                }, exit: { _ in })
                text.finishBlock(heading: true)
                return text.blocks.first?.text
            }
        }
        return nil
    }

    /// The blocks of the article (see the type's documentation).
    static func article(_ root: Node) -> [(text: [UInt8], heading: Bool)] {
        var articles: [Node] = [], mains: [Node] = []
        var body: Node?
        walk(root, enter: { node in
            guard node.pointee.type == XML_ELEMENT_NODE, let name = elementName(node) else { return false }
            if isDropped(node, name: name) { return false }
            switch name {
            case "article": articles.append(node)
            case "main": mains.append(node)
            case "body": if body == nil { body = node }
            default: if attribute("role", of: node)?.lowercased() == "main" { mains.append(node) }
            }
            return true
        }, exit: { _ in })
        var tried: [Node] = []
        for candidates in [articles, mains] where !candidates.isEmpty {
            let best = candidates.map { blocks(in: $0, loose: false) }.enumerated()
                .max { a, b in a.element.textLength < b.element.textLength || (a.element.textLength == b.element.textLength && a.offset > b.offset) }!
            if best.element.hasBody { return best.element.blocks }
            tried.append(candidates[best.offset])
        }
        let whole = body ?? root
        for (node, loose) in [(tried.first, true), (whole, false), (whole, true)] {
            guard let node else { continue }
            let found = blocks(in: node, loose: loose)
            if found.hasBody { return found.blocks }
        }
        return []
    }

    // MARK: - Collecting blocks

    /// Elements whose text is a block.
    static let blockElements: Set<String> = ["h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "dt", "dd", "blockquote",
                                             "figcaption", "td", "th", "pre"]
    static let headingElements: Set<String> = ["h1", "h2", "h3", "h4", "h5", "h6"]
    /// Elements dropped with everything inside.
    static let droppedElements: Set<String> = ["script", "style", "nav", "header", "footer", "aside", "form", "noscript",
                                               "template", "svg", "iframe", "object", "canvas", "audio", "video", "select",
                                               "button", "textarea", "head", "title"]
    /// Inline markup: in a loose reading, the only elements that do not end a block.
    static let inlineElements: Set<String> = ["a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "del", "dfn", "em",
                                              "font", "i", "ins", "kbd", "label", "mark", "q", "s", "samp", "small", "span",
                                              "strike", "strong", "sub", "sup", "time", "tt", "u", "var", "wbr", "img"]
    /// `id` and `class` values that mark a comment section.
    static let commentMarks: Set<String> = ["comments", "comment", "respond", "comment-respond", "comment-form", "commentform",
                                            "comment-list", "commentlist", "comments-area", "comments-section", "disqus_thread"]

    /// True when `node` (an element called `name`) is left out with all it holds.
    static func isDropped(_ node: Node, name: String) -> Bool {
        if droppedElements.contains(name) { return true }
        var attribute = node.pointee.properties
        while let current = attribute {
            attribute = current.pointee.next
            guard let rawName = current.pointee.name else { continue }
            switch String(cString: rawName).lowercased() {
            case "hidden":
                return true
            case "id", "class":
                guard name != "article" && name != "main" && name != "body" && name != "html" else { continue }
                let value = attributeValue(current)
                if value.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\u{0C}" })
                    .contains(where: { commentMarks.contains($0.lowercased()) }) {
                    return true
                }
            default:
                continue
            }
        }
        return false
    }

    /// The blocks below `root`. `loose`: text outside block elements counts too, any
    /// element but inline markup ending a block.
    static func blocks(in root: Node, loose: Bool) -> BlockText {
        var text = BlockText()
        // per open block element: whether it is a heading, whether it is `pre`
        var open: [(heading: Bool, pre: Bool)] = loose ? [(false, false)] : []
        var preDepth = 0
        walk(root, enter: { node in
            switch node.pointee.type {
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                guard !open.isEmpty, let content = node.pointee.content else { return true }
                if preDepth > 0 {
                    text.appendPreformatted(content, count: strlen(content))
                } else {
                    text.appendRunning(content, count: strlen(content))
                }
                return true
            case XML_ELEMENT_NODE:
                guard let name = elementName(node), !isDropped(node, name: name) else { return false }
                if name == "br" {
                    if preDepth > 0 {
                        text.appendPreformatted([0x0A], count: 1)
                    } else {
                        text.appendSpace()
                    }
                    return false
                }
                if blockElements.contains(name) || (loose && !inlineElements.contains(name)) {
                    text.finishBlock(heading: open.last?.heading ?? false)
                    let heading = headingElements.contains(name) || (!blockElements.contains(name) && open.last?.heading == true)
                    open.append((heading, name == "pre"))
                    if name == "pre" { preDepth += 1 }
                }
                return true
            default:
                // comments, processing instructions, entity declarations
                return false
            }
        }, exit: { node in
            guard node.pointee.type == XML_ELEMENT_NODE, let name = elementName(node) else { return }
            guard blockElements.contains(name) || (loose && !inlineElements.contains(name)) else { return }
            text.finishBlock(heading: open.last?.heading ?? false)
            if open.popLast()?.pre == true { preDepth -= 1 }
        })
        text.finishBlock(heading: open.last?.heading ?? false)
        return text
    }

    // MARK: - The tree

    typealias Node = UnsafeMutablePointer<xmlNode>

    /// Visits the nodes below `root` in document order without recursion (a page can nest
    /// elements thousands deep): `enter` on each node, returning whether to visit its
    /// children; `exit` on each node `enter` accepted, after its children.
    static func walk(_ root: Node, enter: (Node) -> Bool, exit: (Node) -> Void) {
        var current = root.pointee.children
        while let node = current {
            let entered = enter(node)
            if entered, let child = node.pointee.children {
                current = child
                continue
            }
            if entered { exit(node) }
            var done = node
            current = nil
            while true {
                if let next = done.pointee.next {
                    current = next
                    break
                }
                guard let parent = done.pointee.parent, parent != root else { break }
                exit(parent)
                done = parent
            }
        }
    }

    /// The element children of `node`.
    static func children(of node: Node) -> [Node] {
        var found: [Node] = []
        var child = node.pointee.children
        while let current = child {
            if current.pointee.type == XML_ELEMENT_NODE { found.append(current) }
            child = current.pointee.next
        }
        return found
    }

    /// The element's name in lower case (libxml2's HTML parser lower-cases tag names);
    /// nil for other nodes.
    static func elementName(_ node: Node) -> String? {
        guard node.pointee.type == XML_ELEMENT_NODE, let name = node.pointee.name else { return nil }
        return String(cString: name)
    }

    /// The value of `node`'s attribute called `name`, or nil.
    static func attribute(_ name: String, of node: Node) -> String? {
        var attribute = node.pointee.properties
        while let current = attribute {
            if let rawName = current.pointee.name, String(cString: rawName).lowercased() == name { return attributeValue(current) }
            attribute = current.pointee.next
        }
        return nil
    }

    /// An attribute's value: the text of its children.
    static func attributeValue(_ attribute: UnsafeMutablePointer<xmlAttr>) -> String {
        var value = ""
        var child = attribute.pointee.children
        while let current = child {
            if let content = current.pointee.content { value += String(cString: content) }
            child = current.pointee.next
        }
        return value
    }
}
