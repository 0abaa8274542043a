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
        // freeing a large page's tree takes as long as a good part of parsing it: the
        // reader need not wait for it
        defer { Self.free(document, inBackground: bytes.count >= Self.backgroundFreeBytes) }
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

    /// Pages of at least this many bytes have their tree freed on another thread.
    static let backgroundFreeBytes = 1 << 20

    /// Frees a parsed page, on a background thread when `inBackground`.
    static func free(_ document: htmlDocPtr, inBackground: Bool) {
        guard inBackground else {
            xmlFreeDoc(document)
            return
        }
        // nothing else holds the tree: it is this thread's to hand over
        struct Tree: @unchecked Sendable { let document: htmlDocPtr }
        let tree = Tree(document: document)
        DispatchQueue.global(qos: .utility).async { xmlFreeDoc(tree.document) }
    }

    // MARK: - Finding the title and the article

    /// The text of `<head>`'s first `<title>`, white space collapsed; nil when there is
    /// none or it is blank.
    static func title(_ root: Node) -> [UInt8]? {
        func isNamed(_ node: Node, _ name: String) -> Bool {
            node.pointee.name.map { strcmp(UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self), name) == 0 } ?? false
        }
        for head in children(of: root) where isNamed(head, "head") {
            for element in children(of: head) where isNamed(element, "title") {
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
        let names = ElementNames()
        var articles: [Node] = [], mains: [Node] = []
        var body: Node?
        walk(root, enter: { node in
            guard node.pointee.type == XML_ELEMENT_NODE else { return false }
            let kind = names.kind(of: node)
            if isDropped(node, kind: kind, names: names) { return false }
            switch kind {
            case .article: articles.append(node)
            case .main: mains.append(node)
            case .body: if body == nil { body = node }
            default: if hasRoleMain(node, names: names) { mains.append(node) }
            }
            return true
        }, exit: { _ in })
        var tried: [Node] = []
        for candidates in [articles, mains] where !candidates.isEmpty {
            let found = candidates.map { blocks(in: $0, loose: false, names: names) }
            let lengths = found.map(\.textLength)
            // the most text; the first of those with as much
            let best = lengths.indices.max { lengths[$0] < lengths[$1] || (lengths[$0] == lengths[$1] && $0 > $1) }!
            if found[best].hasBody { return found[best].blocks }
            tried.append(candidates[best])
        }
        let whole = body ?? root
        for (node, loose) in [(tried.first, true), (whole, false), (whole, true)] {
            guard let node else { continue }
            let found = blocks(in: node, loose: loose, names: names)
            if found.hasBody { return found.blocks }
        }
        return []
    }

    // MARK: - Collecting blocks

    /// What an element is to the extraction.
    enum ElementKind {
        /// Its text is a block: `p`, `li`, `dt`, `dd`, `blockquote`, `figcaption`, `td`, `th`.
        case block
        /// A heading block, `h1`–`h6`.
        case heading
        /// A block whose lines are kept, `pre`.
        case preformatted
        /// A line break, `br`.
        case lineBreak
        /// Dropped with everything inside (``droppedNames``).
        case dropped
        /// Inline markup (``inlineNames``): in a loose reading, the only elements that do
        /// not end a block.
        case inline
        /// The elements the article is looked for in.
        case article, main, body
        /// Any other element (`div`, `section`, …).
        case other
    }

    /// Elements dropped with everything inside.
    static let droppedNames = ["script", "style", "nav", "header", "footer", "aside", "form", "noscript", "template", "svg",
                               "iframe", "object", "canvas", "audio", "video", "select", "button", "textarea", "head", "title"]
    /// Inline markup.
    static let inlineNames = ["a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "del", "dfn", "em", "font", "i", "ins", "kbd",
                              "label", "mark", "q", "s", "samp", "small", "span", "strike", "strong", "sub", "sup", "time", "tt", "u",
                              "var", "wbr", "img"]
    /// The kind of each element name that is not ``ElementKind/other``.
    static let kinds: [String: ElementKind] = {
        var kinds: [String: ElementKind] = ["article": .article, "main": .main, "body": .body, "br": .lineBreak, "pre": .preformatted]
        for name in ["p", "li", "dt", "dd", "blockquote", "figcaption", "td", "th"] { kinds[name] = .block }
        for name in ["h1", "h2", "h3", "h4", "h5", "h6"] { kinds[name] = .heading }
        for name in droppedNames { kinds[name] = .dropped }
        for name in inlineNames { kinds[name] = .inline }
        return kinds
    }()
    /// `id` and `class` values that mark a comment section.
    static let commentMarks: Set<String> = ["comments", "comment", "respond", "comment-respond", "comment-form", "commentform",
                                            "comment-list", "commentlist", "comments-area", "comments-section", "disqus_thread"]

    /// The kinds of the element names of one document. libxml2 keeps one copy of each name
    /// in the document's dictionary, so a name is looked up by its address once, not by
    /// its letters at every element.
    final class ElementNames {
        private var elements = AddressTable<ElementKind>()
        private var attributes = AddressTable<AttributeKind>()

        func kind(of node: Node) -> ElementKind {
            guard let name = node.pointee.name else { return .other }
            // libxml2's HTML parser lower-cases tag names
            return elements.value(for: name) { HTMLImporter.kinds[String(cString: name)] ?? .other }
        }

        func kind(of attribute: UnsafeMutablePointer<xmlAttr>) -> AttributeKind {
            guard let name = attribute.pointee.name else { return .other }
            return attributes.value(for: name) {
                switch String(cString: name).lowercased() {
                case "hidden": return .hidden
                case "id", "class": return .naming
                case "role": return .role
                default: return .other
                }
            }
        }
    }

    /// A small open-addressing table from a string's address to a value: a page has a few
    /// dozen distinct names, looked up at each of its elements.
    struct AddressTable<Value> {
        private var keys = [UInt](repeating: 0, count: 64)
        private var values: [Value?] = Array(repeating: nil, count: 64)
        private var count = 0

        /// The value for `address`, made by `make` the first time it is asked for.
        @inline(__always)
        mutating func value(for address: UnsafePointer<xmlChar>, make: () -> Value) -> Value {
            let key = UInt(bitPattern: address)
            var slot = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 40) & (keys.count - 1)
            while keys[slot] != 0 {
                if keys[slot] == key { return values[slot]! }
                slot = (slot + 1) & (keys.count - 1)
            }
            let value = make()
            keys[slot] = key
            values[slot] = value
            count += 1
            // kept at most half full, so a search stops soon
            if count * 2 > keys.count { grow() }
            return value
        }

        private mutating func grow() {
            let old = zip(keys, values).filter { $0.0 != 0 }
            keys = [UInt](repeating: 0, count: keys.count * 2)
            values = Array(repeating: nil, count: keys.count)
            for (key, value) in old {
                var slot = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 40) & (keys.count - 1)
                while keys[slot] != 0 { slot = (slot + 1) & (keys.count - 1) }
                keys[slot] = key
                values[slot] = value
            }
        }
    }

    /// What an attribute is to the extraction.
    enum AttributeKind {
        /// `hidden`: the element is dropped.
        case hidden
        /// `id` or `class`: may mark a comment section.
        case naming
        /// `role`: may say `main`.
        case role
        case other
    }

    /// True when `node`, an element of `kind`, is left out with all it holds.
    static func isDropped(_ node: Node, kind: ElementKind, names: ElementNames) -> Bool {
        if kind == .dropped { return true }
        var attribute = node.pointee.properties
        while let current = attribute {
            attribute = current.pointee.next
            switch names.kind(of: current) {
            case .hidden: return true
            case .naming: break
            case .role, .other: continue
            }
            // the article, main and body elements are never taken for a comment section
            guard kind != .article && kind != .main && kind != .body else { continue }
            // most values name no comment section: only those that may are split into words
            guard mayMarkComments(current), let value = attributeText(current) else { continue }
            if value.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\u{0C}" })
                .contains(where: { commentMarks.contains($0.lowercased()) }) {
                return true
            }
        }
        return false
    }

    /// Words an `id` or `class` marking a comment section holds, lower case.
    static let commentWords: [[UInt8]] = ["comment", "respond", "disqus"].map { Array($0.utf8) }

    /// True when the attribute's value holds one of ``commentWords`` in any letter case.
    static func mayMarkComments(_ attribute: UnsafeMutablePointer<xmlAttr>) -> Bool {
        var child = attribute.pointee.children
        while let current = child {
            child = current.pointee.next
            guard let content = current.pointee.content else { continue }
            let count = strlen(content)
            for start in 0..<count {
                for word in commentWords where start + word.count <= count {
                    var index = 0
                    while index < word.count && content[start + index] | 0x20 == word[index] { index += 1 }
                    if index == word.count { return true }
                }
            }
        }
        return false
    }

    /// True when `node` has `role="main"`.
    static func hasRoleMain(_ node: Node, names: ElementNames) -> Bool {
        var attribute = node.pointee.properties
        while let current = attribute {
            attribute = current.pointee.next
            guard names.kind(of: current) == .role else { continue }
            return attributeText(current)?.lowercased() == "main"
        }
        return false
    }

    /// The blocks below `root`. `loose`: text outside block elements counts too, any
    /// element but inline markup ending a block.
    static func blocks(in root: Node, loose: Bool, names: ElementNames) -> BlockText {
        var text = BlockText()
        // per open block element: whether it is a heading, whether it is `pre`
        var open: [(heading: Bool, pre: Bool)] = loose ? [(false, false)] : []
        var preDepth = 0
        func isBlock(_ kind: ElementKind) -> Bool {
            switch kind {
            case .block, .heading, .preformatted: return true
            case .inline, .lineBreak, .dropped: return false
            case .article, .main, .body, .other: return loose
            }
        }
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
                let kind = names.kind(of: node)
                guard !isDropped(node, kind: kind, names: names) else { return false }
                if kind == .lineBreak {
                    if preDepth > 0 {
                        text.appendPreformatted([0x0A], count: 1)
                    } else {
                        text.appendSpace()
                    }
                    return false
                }
                if isBlock(kind) {
                    text.finishBlock(heading: open.last?.heading ?? false)
                    let heading = kind == .heading || (kind != .block && kind != .preformatted && open.last?.heading == true)
                    open.append((heading, kind == .preformatted))
                    if kind == .preformatted { preDepth += 1 }
                }
                return true
            default:
                // comments, processing instructions, entity declarations
                return false
            }
        }, exit: { node in
            guard node.pointee.type == XML_ELEMENT_NODE, isBlock(names.kind(of: node)) else { return }
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
    @inline(__always)
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

    /// The text of an attribute's value (its children's text), or nil when it has none.
    static func attributeText(_ attribute: UnsafeMutablePointer<xmlAttr>) -> String? {
        var value: String?
        var child = attribute.pointee.children
        while let current = child {
            if let content = current.pointee.content { value = (value ?? "") + String(cString: content) }
            child = current.pointee.next
        }
        return value
    }
}
