import CLibXML2
import Foundation
import GlossCore

/// Extracts the article from a saved web page with libxml2's HTML parser
/// (`htmlCtxtReadMemory`, options `HTML_PARSE_RECOVER | HTML_PARSE_NOERROR |
/// HTML_PARSE_NOWARNING | HTML_PARSE_NONET | XML_PARSE_HUGE`, so broken markup parses as
/// browsers would repair it, nothing is printed, nothing is fetched, and elements nested
/// deeper than 256 levels, as unclosed `<div>`s of a broken template are, do not stop the
/// parse; libxml2 2.9 then has no limit, and the tree is walked without recursion).
/// Should libxml2 still stop before the end of the page (it runs out of memory, or a
/// libxml2 of 2.11 or later meets the limit of 2048 levels it keeps with
/// `XML_PARSE_HUGE`), the page is refused with libxml2's reason and line, never shown cut
/// short.
///
/// What it keeps, as blocks in document order:
/// - the page's `<title>` (in `<head>`), first, as a heading;
/// - from the article, its text: each heading `h1`–`h6` (a heading), `p`, `li`, `dt`,
///   `dd`, `blockquote`, `figcaption`, `td`, `th` and `pre` is a block, and so is each run
///   of text directly in any other element that is not inline markup (`a`, `span`, `em`,
///   …): text sitting in a `<div>` is article text. An element starting inside a block
///   ends the text before it (`<li>text<ul><li>…` gives two blocks). Two `<br>`s in a row
///   (white space between them aside) end a block; one `<br>` is a space. Inline markup is
///   its text, so a link is its text. Entities are decoded by libxml2. Running text has its
///   white space collapsed; `pre` keeps its lines (``BlockText``).
///
/// The article is the `<article>` element with the most text, else the `<main>` element
/// (or `role="main"`) with the most, else `<body>`.
///
/// What it drops, with everything inside:
/// - the elements `script`, `style`, `nav`, `menu`, `header`, `footer`, `aside`, `form`,
///   `noscript`, `template`, `svg`, `iframe`, `object`, `canvas`, `audio`, `video`,
///   `select`, `button`, `textarea`; elements with the `hidden` attribute; HTML comments;
/// - what ARIA says is one of those: `role` `navigation`, `menu`, `menubar`, `banner`
///   (a header), `contentinfo` (a footer) or `complementary` (an aside);
/// - comment sections, marked by an `id` or a `class` among `comments`, `comment`,
///   `respond`, `comment-respond`, `comment-form`, `commentform`, `comment-list`,
///   `commentlist`, `comments-area`, `comments-section`, `disqus_thread`;
/// - menus named by an `id` or `class` holding a word (split at `-`, `_` and a change
///   from a small to a capital letter) among ``menuWords`` (`menu`, `nav`, `navbar`,
///   `breadcrumb`, …), and elements with `aria-hidden="true"`, unless the element holds
///   article text: an `<article>`, `<main>` or `role="main"` element, a `<p>` with text
///   outside links, or 200 characters of text outside links, more than its links hold.
///   A menu is a list of links, not paragraphs (readability-style extractors judge it by
///   its links too): a page wrapper named `has-nav`, or a section about a restaurant's
///   menu, is kept.
///
/// `<article>`, `<main>`, `<body>` and `role="main"` elements are never taken for a comment
/// section, a menu or one of those roles.
///
/// A comment, a `script` or `style`, or an element dropped with all it holds (`nav`,
/// `form`, `textarea`, …) that is never closed is closed at the end of the line its
/// opening ends on before parsing (``closingNeverClosed(_:)``): the rest of the page is
/// not taken for its content.
public struct HTMLImporter: Importer {
    /// Creates the importer.
    public init() {}

    /// `html`.
    public var name: String { "html" }
    /// `3 libxml2 X.Y.Z`: these rules, and the libxml2 the package was built with.
    /// Version 2: nesting past 256 elements kept, menus by role, `<menu>`, name or
    /// `aria-hidden` dropped, text directly in a `<div>` kept, `<br><br>` ending a block.
    /// Version 3: a comment, script, style or dropped element never closed is closed at
    /// the end of its line (``closingNeverClosed(_:)``).
    public var version: String { "3 libxml2 \(LIBXML_DOTTED_VERSION)" }
    /// ``ImporterInput/text``: the page decoded to UTF-8, parsed as such (the page's own
    /// `<meta charset>` is ignored, `HTML_PARSE_IGNORE_ENC`).
    public var input: ImporterInput { .text }

    /// libxml2 sets up its global tables once, before threads use it (libxml2's
    /// `xmlInitParser` documentation).
    private static let initialized: Bool = {
        xmlInitParser()
        return true
    }()

    /// The options the page is parsed with (see the type's documentation).
    static let parseOptions = Int32(bitPattern: HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue
                                    | HTML_PARSE_NONET.rawValue | HTML_PARSE_IGNORE_ENC.rawValue | HTML_PARSE_COMPACT.rawValue
                                    | XML_PARSE_HUGE.rawValue)

    /// The page's title and article text (see the type's documentation).
    /// - Parameters:
    ///   - bytes: the page as UTF-8, without a byte-order mark.
    ///   - path: the file, named in errors.
    /// - Returns: blocks joined by `"\n\n"`, the title and `h1`–`h6` marked as headings.
    /// - Throws: ``ImportError/unparsable(path:format:reason:)`` when libxml2 returns no
    ///   document or stops before the page's end (its reason and line named), or the page
    ///   is over 2 GB, libxml2's limit, or libxml2 cannot be loaded (the loader's reason);
    ///   ``ImportError/noText(path:format:detail:)`` when no text is left.
    public func extract(_ bytes: [UInt8], path: String) throws -> ExtractedText {
        try extract(bytes, path: path, options: Self.parseOptions)
    }

    /// ``extract(_:path:)`` with libxml2's parse options given (a test parses without
    /// `XML_PARSE_HUGE` to see a parse stopped early refused).
    func extract(_ bytes: [UInt8], path: String, options: Int32) throws -> ExtractedText {
        if let reason = gloss_libxml2_load_error() {
            throw ImportError.unparsable(path: path, format: "HTML",
                                         reason: "libxml2, which reads HTML, cannot be loaded (\(String(cString: reason))); install it (Debian and Ubuntu: libxml2)")
        }
        _ = Self.initialized
        guard !bytes.isEmpty else { throw ImportError.noText(path: path, format: "HTML", detail: "the file is empty") }
        guard bytes.count < Int(Int32.max) else {
            throw ImportError.unparsable(path: path, format: "HTML", reason: "over 2 GB, more than libxml2 reads")
        }
        guard let context = htmlNewParserCtxt() else {
            throw ImportError.unparsable(path: path, format: "HTML", reason: "libxml2 could not make a parser (out of memory)")
        }
        defer { htmlFreeParserCtxt(context) }
        let page = Self.closingNeverClosed(bytes) ?? bytes
        guard page.count < Int(Int32.max) else {
            throw ImportError.unparsable(path: path, format: "HTML", reason: "over 2 GB, more than libxml2 reads")
        }
        let parsed = page.withUnsafeBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                htmlCtxtReadMemory(context, $0, Int32(buffer.count), nil, "UTF-8", options)
            }
        }
        guard let document = parsed else {
            throw ImportError.unparsable(path: path, format: "HTML", reason: "libxml2's HTML parser returned no document")
        }
        // freeing a large page's tree takes as long as a good part of parsing it: the
        // reader need not wait for it
        defer { Self.free(document, inBackground: page.count >= Self.backgroundFreeBytes) }
        // libxml2 halts a parse (a fatal error: too deep, out of memory) by turning its SAX
        // calls off; what it built until then is a page cut short, not the page
        if context.pointee.disableSAX != 0 {
            throw ImportError.unparsable(path: path, format: "HTML", reason: Self.haltReason(context.pointee.lastError))
        }
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

    // MARK: - Elements never closed

    /// The elements whose content libxml2 reads as text up to their end tag only: one
    /// never closed takes the rest of the page for its content.
    static let rawTextElements: [[UInt8]] = ["script", "style"].map { Array($0.utf8) }

    /// The elements Gloss drops with all they hold (or that show no text) whose end tag
    /// libxml2 does not supply from HTML 4's rules before the page's end: one never closed
    /// holds the rest of the page.
    static let droppedElements: [[UInt8]] = ["textarea", "title", "noscript", "iframe", "noembed", "noframes", "xmp", "nav", "menu",
                                             "header", "footer", "aside", "form", "template", "svg", "object", "canvas", "audio",
                                             "video", "select", "button"].map { Array($0.utf8) }

    /// `page` with each comment (`<!--`) and each element of ``rawTextElements`` and
    /// ``droppedElements`` that is never closed (no `-->`, or no end tag in any letter
    /// case, after it) closed at the end of the line its opening ends on, with `-->` or
    /// `</name>`: libxml2, as a browser, would read the rest of the page as its content,
    /// and Gloss would show none of it. So such an opening hides the rest of its line,
    /// nothing after it. Comments and raw-text elements that are closed are passed over
    /// whole; tags are passed over up to their `>`, quoted attribute values included. Nil
    /// when nothing is to be closed.
    static func closingNeverClosed(_ page: [UInt8]) -> [UInt8]? {
        let insertions = page.withUnsafeBufferPointer { neverClosed(in: $0) }
        guard !insertions.isEmpty else { return nil }
        var output: [UInt8] = []
        output.reserveCapacity(page.count + insertions.reduce(0) { $0 + $1.closing.count })
        var copied = 0
        for (offset, closing) in insertions {
            output += page[copied..<offset]
            output += closing
            copied = offset
        }
        output += page[copied...]
        return output
    }

    /// Where ``closingNeverClosed(_:)`` puts what closes each opening never closed in
    /// `page`: byte offsets, in order, and the bytes put there.
    private static func neverClosed(in page: UnsafeBufferPointer<UInt8>) -> [(offset: Int, closing: [UInt8])] {
        let count = page.count
        func isLetter(_ byte: UInt8) -> Bool { byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A }
        // `word` is lower case: letters match in any case, other bytes exactly
        func matches(_ word: [UInt8], at index: Int) -> Bool {
            guard index >= 0, index + word.count <= count else { return false }
            for offset in 0..<word.count {
                let byte = page[index + offset], expected = word[offset]
                guard byte == expected || (isLetter(expected) && byte | 0x20 == expected) else { return false }
            }
            return true
        }
        // `word` there, and when it is a tag's `<name` or `</name`, its name ending there
        func matchesWhole(_ word: [UInt8], at index: Int) -> Bool {
            guard matches(word, at: index) else { return false }
            guard isLetter(word[word.count - 1]) else { return true }
            let after = index + word.count
            return after == count || BlockText.isSpace(page[after]) || page[after] == 0x3E || page[after] == 0x2F
        }
        // the last place of each closing, found once: an opening after it is never closed,
        // known without searching the rest of the page again
        var lastPlaces: [[UInt8]: Int] = [:]
        func lastPlace(of word: [UInt8]) -> Int {
            if let known = lastPlaces[word] { return known }
            var index = count - word.count
            while index >= 0 && !matchesWhole(word, at: index) { index -= 1 }
            lastPlaces[word] = index
            return index
        }
        // the first `word` at or after `from`, when there is one
        func find(_ word: [UInt8], from: Int) -> Int? {
            guard lastPlace(of: word) >= from else { return nil }
            var index = from
            while !matchesWhole(word, at: index) { index += 1 }
            return index
        }
        // each element's `<name` and `</name`, and whether its content is raw text
        let elements = rawTextElements.map { ([0x3C] + $0, [0x3C, 0x2F] + $0, true) }
            + droppedElements.map { ([0x3C] + $0, [0x3C, 0x2F] + $0, false) }
        let firstLetters = Set(elements.map { $0.0[1] })
        // the index after the `>` ending the tag whose `<` is at `start`
        func tagEnd(from start: Int) -> Int? {
            var index = start + 1
            while index < count {
                switch page[index] {
                case 0x3E: return index + 1
                case 0x3D:
                    // a value quoted after `=` may hold `>`
                    index += 1
                    while index < count, BlockText.isSpace(page[index]) { index += 1 }
                    if index < count, page[index] == 0x22 || page[index] == 0x27 {
                        let quote = page[index]
                        index += 1
                        while index < count, page[index] != quote { index += 1 }
                        index += 1
                    }
                default: index += 1
                }
            }
            return nil
        }
        func lineEnd(from index: Int) -> Int {
            var end = index
            while end < count, page[end] != 0x0A, page[end] != 0x0D { end += 1 }
            return end
        }
        let commentOpening = Array("<!--".utf8), commentClosing = Array("-->".utf8)
        var insertions: [(offset: Int, closing: [UInt8])] = []
        var index = 0
        while index + 1 < count {
            guard page[index] == 0x3C else {
                index += 1
                continue
            }
            if matches(commentOpening, at: index) {
                if let closing = find(commentClosing, from: index + 4) {
                    index = closing + 3
                } else {
                    index = lineEnd(from: index)
                    insertions.append((index, commentClosing))
                }
                continue
            }
            let next = page[index + 1]
            if firstLetters.contains(next | 0x20) {
                if let (_, endTag, rawText) = elements.first(where: { matchesWhole($0.0, at: index) }) {
                    guard let end = tagEnd(from: index) else { break }
                    if let closing = find(endTag, from: end) {
                        // a raw-text element's content is passed over; another's is markup
                        index = rawText ? closing : end
                    } else {
                        index = lineEnd(from: end)
                        insertions.append((index, endTag + [0x3E]))
                    }
                    continue
                }
            }
            if isLetter(next) || next == 0x2F || next == 0x21 || next == 0x3F {
                guard let end = tagEnd(from: index) else { break }
                index = end
                continue
            }
            index += 1
        }
        return insertions
    }

    /// The blocks of an HTML fragment (a Markdown post's raw HTML block), read as a page's
    /// article is (``article(_:)``; a `<title>` is not taken): a `pre` keeps its lines,
    /// entities are decoded, scripts, styles and comments give nothing.
    /// - Parameters:
    ///   - html: the fragment as UTF-8.
    ///   - closingNeverClosed: whether openings never closed in the fragment are closed at
    ///     the end of their line (``closingNeverClosed(_:)``), as in a page; false when
    ///     the post closes them after the fragment.
    ///   - path: the file it is in, named in errors.
    /// - Throws: ``ImportError/unparsable(path:format:reason:)`` (format `Markdown`) when
    ///   libxml2 cannot be loaded or returns no document.
    static func fragmentBlocks(_ html: [UInt8], closingNeverClosed closing: Bool, path: String) throws -> [(text: [UInt8], heading: Bool)] {
        if let reason = gloss_libxml2_load_error() {
            throw ImportError.unparsable(path: path, format: "Markdown",
                                         reason: "libxml2, which reads the HTML in it, cannot be loaded (\(String(cString: reason))); install it (Debian and Ubuntu: libxml2)")
        }
        _ = Self.initialized
        let html = closing ? closingNeverClosed(html) ?? html : html
        guard !html.isEmpty, html.count < Int(Int32.max) else { return [] }
        guard let context = htmlNewParserCtxt() else {
            throw ImportError.unparsable(path: path, format: "Markdown", reason: "libxml2 could not make a parser (out of memory)")
        }
        defer { htmlFreeParserCtxt(context) }
        let parsed = html.withUnsafeBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                htmlCtxtReadMemory(context, $0, Int32(buffer.count), nil, "UTF-8", parseOptions)
            }
        }
        guard let document = parsed else {
            throw ImportError.unparsable(path: path, format: "Markdown", reason: "libxml2's HTML parser returned no document for its raw HTML")
        }
        defer { xmlFreeDoc(document) }
        guard let root = xmlDocGetRootElement(document) else { return [] }
        return article(root)
    }

    /// Why libxml2 stopped: its message and line, and that the rest would be lost.
    static func haltReason(_ error: xmlError) -> String {
        var message = error.message.map { String(cString: $0) } ?? "a fatal error"
        message = message.trimmingCharacters(in: .whitespacesAndNewlines)
        let line = error.line > 0 ? " at line \(error.line)" : ""
        return "libxml2 stopped reading it\(line) (\(message)), so the text after that point would be missing"
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

    /// What the first pass over a page learned: the kinds of its names, and the elements
    /// with a weak mark (``Mark/weak``) found to be menus or hidden.
    final class Page {
        let names = ElementNames()
        var weakDropped = Set<Node>()
    }

    /// An element with a weak mark being read in the first pass: the text below it, in
    /// code points other than white space, how much of that is in links, and whether it
    /// holds an article, a main element or a paragraph with text outside links.
    private struct WeakFrame {
        let node: Node
        /// `p` elements open around the element.
        let paragraphDepth: Int
        var text = 0
        var linkText = 0
        var holdsArticle = false
    }

    /// Characters of text outside links an element with a weak mark needs to be kept.
    static let weakKeepCharacters = 200

    /// The blocks of the article (see the type's documentation).
    static func article(_ root: Node) -> [(text: [UInt8], heading: Bool)] {
        let page = Page()
        let names = page.names
        var articles: [Node] = [], mains: [Node] = []
        var body: Node?
        // the elements with a weak mark the walk is inside, innermost last
        var frames: [WeakFrame] = []
        var linkDepth = 0, paragraphDepth = 0
        walk(root, enter: { node in
            if !frames.isEmpty, node.pointee.type == XML_TEXT_NODE || node.pointee.type == XML_CDATA_SECTION_NODE {
                if let content = node.pointee.content {
                    let count = visibleCodePoints(content)
                    let last = frames.count - 1
                    frames[last].text += count
                    if linkDepth > 0 {
                        frames[last].linkText += count
                    } else if count > 0 && paragraphDepth > frames[last].paragraphDepth {
                        frames[last].holdsArticle = true
                    }
                }
                return false
            }
            guard node.pointee.type == XML_ELEMENT_NODE else { return false }
            let kind = names.kind(of: node)
            let (mark, roleMain) = marks(of: node, kind: kind, names: names)
            switch mark {
            case .dropped: return false
            case .weak: frames.append(WeakFrame(node: node, paragraphDepth: paragraphDepth))
            case .none: break
            }
            switch kind {
            case .article: articles.append(node)
            case .main: mains.append(node)
            case .body: if body == nil { body = node }
            case .link: linkDepth += 1
            case .paragraph: paragraphDepth += 1
            default: if roleMain { mains.append(node) }
            }
            if (kind == .article || kind == .main || roleMain) && !frames.isEmpty {
                frames[frames.count - 1].holdsArticle = true
            }
            return true
        }, exit: { node in
            guard node.pointee.type == XML_ELEMENT_NODE else { return }
            switch names.kind(of: node) {
            case .link: linkDepth -= 1
            case .paragraph: paragraphDepth -= 1
            default: break
            }
            guard let frame = frames.last, frame.node == node else { return }
            frames.removeLast()
            let outside = frame.text - frame.linkText
            let kept = frame.holdsArticle || (outside >= weakKeepCharacters && outside > frame.linkText)
            if !kept {
                page.weakDropped.insert(node)
            } else if !frames.isEmpty {
                // what an element kept holds counts for the one around it
                frames[frames.count - 1].text += frame.text
                frames[frames.count - 1].linkText += frame.linkText
                frames[frames.count - 1].holdsArticle = frames[frames.count - 1].holdsArticle || frame.holdsArticle
            }
        })
        for candidates in [articles, mains] where !candidates.isEmpty {
            let found = candidates.map { blocks(in: $0, page: page) }
            let lengths = found.map(\.textLength)
            // the most text; the first of those with as much
            let best = lengths.indices.max { lengths[$0] < lengths[$1] || (lengths[$0] == lengths[$1] && $0 > $1) }!
            if found[best].hasBody { return found[best].blocks }
        }
        return blocks(in: body ?? root, page: page).blocks
    }

    /// Code points other than ASCII white space in the C string `content`.
    static func visibleCodePoints(_ content: UnsafePointer<xmlChar>) -> Int {
        var count = 0
        var index = 0
        while true {
            let byte = content[index]
            if byte == 0 { return count }
            if byte & 0xC0 != 0x80 && !BlockText.isSpace(byte) { count += 1 }
            index += 1
        }
    }

    // MARK: - Collecting blocks

    /// What an element is to the extraction.
    enum ElementKind {
        /// Its text is a block: `li`, `dt`, `dd`, `blockquote`, `figcaption`, `td`, `th`.
        case block
        /// A paragraph, `p`: a block, and what tells an element holding the article from a menu.
        case paragraph
        /// A heading block, `h1`–`h6`.
        case heading
        /// A block whose lines are kept, `pre`.
        case preformatted
        /// A line break, `br`.
        case lineBreak
        /// Dropped with everything inside (``droppedNames``).
        case dropped
        /// Inline markup (``inlineNames``): the only elements that do not end a block.
        case inline
        /// A link, `a`: inline markup whose text is counted apart when judging a menu.
        case link
        /// The elements the article is looked for in.
        case article, main, body
        /// Any other element (`div`, `section`, …): the text directly in it is a block.
        case other
    }

    /// Elements dropped with everything inside.
    static let droppedNames = ["script", "style", "nav", "menu", "header", "footer", "aside", "form", "noscript", "template", "svg",
                               "iframe", "object", "canvas", "audio", "video", "select", "button", "textarea", "head", "title"]
    /// Inline markup (and `a`, ``ElementKind/link``).
    static let inlineNames = ["abbr", "acronym", "b", "bdi", "bdo", "big", "cite", "code", "data", "del", "dfn", "em", "font", "i",
                              "ins", "kbd", "label", "mark", "nobr", "q", "s", "samp", "small", "span", "strike", "strong", "sub",
                              "sup", "time", "tt", "u", "var", "wbr", "img"]
    /// The kind of each element name that is not ``ElementKind/other``.
    static let kinds: [String: ElementKind] = {
        var kinds: [String: ElementKind] = ["article": .article, "main": .main, "body": .body, "br": .lineBreak, "pre": .preformatted,
                                            "a": .link, "p": .paragraph]
        for name in ["li", "dt", "dd", "blockquote", "figcaption", "td", "th"] { kinds[name] = .block }
        for name in ["h1", "h2", "h3", "h4", "h5", "h6"] { kinds[name] = .heading }
        for name in droppedNames { kinds[name] = .dropped }
        for name in inlineNames { kinds[name] = .inline }
        return kinds
    }()
    /// `id` and `class` values that mark a comment section.
    static let commentMarks: Set<String> = ["comments", "comment", "respond", "comment-respond", "comment-form", "commentform",
                                            "comment-list", "commentlist", "comments-area", "comments-section", "disqus_thread"]
    /// Words of an `id` or `class` that name a menu (lower case).
    static let menuWords: Set<String> = ["menu", "menus", "submenu", "menubar", "nav", "navbar", "navigation", "breadcrumb",
                                         "breadcrumbs"]
    /// `role` values dropped as `nav`, `header`, `footer` and `aside` are.
    static let droppedRoles: Set<String> = ["navigation", "menu", "menubar", "banner", "contentinfo", "complementary"]

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
                case "aria-hidden": return .ariaHidden
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
        /// `aria-hidden`: when `true`, a weak mark.
        case ariaHidden
        /// `id` or `class`: may mark a comment section or name a menu.
        case naming
        /// `role`: may say `main`, or a role that is dropped.
        case role
        case other
    }

    /// How an element's attributes and name mark it.
    enum Mark {
        /// Nothing marks it.
        case none
        /// Dropped with everything inside.
        case dropped
        /// Named a menu or `aria-hidden`: dropped unless it holds the article, which is known
        /// once it has been read (``Page/weakDropped``).
        case weak
    }

    /// How `node`, an element of `kind`, is marked, and whether it has `role="main"`.
    static func marks(of node: Node, kind: ElementKind, names: ElementNames) -> (Mark, roleMain: Bool) {
        if kind == .dropped { return (.dropped, false) }
        // the article, main and body elements are never taken for boilerplate but by `hidden`
        let guarded = kind == .article || kind == .main || kind == .body
        var weak = false, roleMain = false, dropped = false
        var attribute = node.pointee.properties
        while let current = attribute {
            attribute = current.pointee.next
            switch names.kind(of: current) {
            case .hidden:
                return (.dropped, false)
            case .ariaHidden:
                if !guarded, let value = attributeText(current), value.trimmingCharacters(in: .whitespaces).lowercased() == "true" {
                    weak = true
                }
            case .role:
                guard let value = attributeText(current)?.lowercased() else { continue }
                for role in value.split(whereSeparator: isSpace) {
                    if role == "main" { roleMain = true } else if droppedRoles.contains(String(role)) { dropped = true }
                }
            case .naming:
                guard !guarded else { continue }
                // most values name nothing: only those that may are split into words
                let mentions = mentions(current)
                if mentions.comment, let value = attributeText(current),
                   value.split(whereSeparator: isSpace).contains(where: { commentMarks.contains($0.lowercased()) }) {
                    dropped = true
                }
                if mentions.menu, !weak, let value = attributeText(current), namesMenu(value) { weak = true }
            case .other:
                continue
            }
        }
        if roleMain || guarded { return (.none, roleMain) }
        return (dropped ? .dropped : weak ? .weak : .none, false)
    }

    /// True for HTML's ASCII white space.
    static func isSpace(_ character: Character) -> Bool {
        character == " " || character == "\t" || character == "\n" || character == "\r" || character == "\u{0C}"
    }

    /// True when an `id` or `class` value holds a word of ``menuWords``: its tokens split at
    /// `-`, `_` and where a small letter is followed by a capital (`mainMenu`).
    static func namesMenu(_ value: String) -> Bool {
        var word = ""
        var previousLower = false
        for character in value + " " {
            if isSpace(character) || character == "-" || character == "_" || (previousLower && character.isUppercase) {
                if menuWords.contains(word.lowercased()) { return true }
                word = ""
            }
            if !(isSpace(character) || character == "-" || character == "_") { word.append(character) }
            previousLower = character.isLowercase
        }
        return false
    }

    /// Words that an `id` or `class` marking a comment section holds, lower case.
    static let commentWords: [[UInt8]] = ["comment", "respond", "disqus"].map { Array($0.utf8) }
    /// Words that an `id` or `class` naming a menu holds, lower case.
    static let menuParts: [[UInt8]] = ["menu", "nav", "breadcrumb"].map { Array($0.utf8) }

    /// Whether the attribute's value holds, in any letter case, one of ``commentWords`` and
    /// one of ``menuParts``: a quick look before the value is split into words.
    static func mentions(_ attribute: UnsafeMutablePointer<xmlAttr>) -> (comment: Bool, menu: Bool) {
        var comment = false, menu = false
        var child = attribute.pointee.children
        while let current = child {
            child = current.pointee.next
            guard let content = current.pointee.content else { continue }
            let count = strlen(content)
            func holds(_ word: [UInt8], at start: Int) -> Bool {
                guard start + word.count <= count else { return false }
                var index = 0
                while index < word.count && content[start + index] | 0x20 == word[index] { index += 1 }
                return index == word.count
            }
            for start in 0..<count {
                if !comment && commentWords.contains(where: { holds($0, at: start) }) { comment = true }
                if !menu && menuParts.contains(where: { holds($0, at: start) }) { menu = true }
            }
        }
        return (comment, menu)
    }

    /// The blocks below `root`: the text of each block element, and each run of text
    /// directly in any element other than inline markup (see the type's documentation).
    static func blocks(in root: Node, page: Page) -> BlockText {
        let names = page.names
        var text = BlockText()
        // whether each open element that is not inline is a heading or in one
        var open: [Bool] = [false]
        // the `pre` being read: one block, whatever elements it holds
        var pre: Node?
        func startsBlock(_ kind: ElementKind) -> Bool {
            switch kind {
            case .block, .paragraph, .heading, .preformatted, .article, .main, .body, .other: return true
            case .inline, .link, .lineBreak, .dropped: return false
            }
        }
        walk(root, enter: { node in
            switch node.pointee.type {
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                guard let content = node.pointee.content else { return true }
                if pre != nil {
                    text.appendPreformatted(content, count: strlen(content))
                } else {
                    text.appendRunning(content, count: strlen(content))
                }
                return true
            case XML_ELEMENT_NODE:
                let kind = names.kind(of: node)
                switch marks(of: node, kind: kind, names: names).0 {
                case .dropped: return false
                case .weak: if page.weakDropped.contains(node) { return false }
                case .none: break
                }
                if kind == .lineBreak {
                    if pre != nil {
                        text.appendPreformatted([0x0A], count: 1)
                    } else {
                        text.appendLineBreak(heading: open.last ?? false)
                    }
                    return false
                }
                if startsBlock(kind) && pre == nil {
                    text.finishBlock(heading: open.last ?? false)
                    open.append(kind == .heading || (kind != .block && kind != .paragraph && kind != .preformatted && open.last == true))
                    if kind == .preformatted { pre = node }
                }
                return true
            default:
                // comments, processing instructions, entity declarations
                return false
            }
        }, exit: { node in
            guard node.pointee.type == XML_ELEMENT_NODE, startsBlock(names.kind(of: node)) else { return }
            if let current = pre {
                // inside a `pre`, only the `pre` itself was opened
                guard current == node else { return }
                pre = nil
            }
            text.finishBlock(heading: open.last ?? false)
            open.removeLast()
        })
        text.finishBlock(heading: open.last ?? false)
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
