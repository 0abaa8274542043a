import CLibXML2
import Foundation

/// Writes XML 1.0 (https://www.w3.org/TR/xml/) element by element, escaping every
/// attribute value and text it is given: the exporters of REFI-QDA files never build
/// markup by joining strings.
///
/// Elements with children are indented by two spaces a level; an element with text is
/// written on one line, its text exactly as given (no white space is added inside it).
/// Characters XML 1.0 cannot carry at all, even as character references (C0 controls
/// other than tab, line feed and carriage return, U+FFFE and U+FFFF; §2.2 `Char`), are
/// written as U+FFFD and counted in ``replacedCharacters``.
struct XMLWriter {
    /// The document written so far.
    private(set) var text = ""
    /// How many characters were replaced by U+FFFD because XML 1.0 cannot hold them.
    private(set) var replacedCharacters = 0
    private var open: [String] = []

    /// Starts the document with `<?xml version="1.0" encoding="utf-8"?>`, or with nothing
    /// when `declaration` is false (for XML parsed as a string, as Label Studio's
    /// configuration is).
    init(declaration: Bool = true) {
        text = declaration ? "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n" : ""
    }

    /// Opens element `name` with `attributes` (those whose value is nil are left out), to
    /// be closed by ``close()``.
    mutating func open(_ name: String, _ attributes: [(String, String?)] = []) {
        text += indent + "<" + name + attributeText(attributes) + ">\n"
        open.append(name)
    }

    /// Closes the element opened last.
    mutating func close() {
        let name = open.removeLast()
        text += indent + "</" + name + ">\n"
    }

    /// Writes the empty element `name` with `attributes`.
    mutating func empty(_ name: String, _ attributes: [(String, String?)] = []) {
        text += indent + "<" + name + attributeText(attributes) + "/>\n"
    }

    /// Writes element `name` holding `content` as text.
    mutating func element(_ name: String, _ attributes: [(String, String?)] = [], text content: String) {
        text += indent + "<" + name + attributeText(attributes) + ">" + escaped(content, inAttribute: false) + "</" + name + ">\n"
    }

    private var indent: String { String(repeating: "  ", count: open.count) }

    private mutating func attributeText(_ attributes: [(String, String?)]) -> String {
        var result = ""
        for (name, value) in attributes {
            guard let value else { continue }
            result += " " + name + "=\"" + escaped(value, inAttribute: true) + "\""
        }
        return result
    }

    /// `value` with markup characters as entities. A carriage return is always a
    /// character reference, as a parser would otherwise turn CR LF into LF (§2.11); in an
    /// attribute tab and line feed are too, or attribute-value normalisation (§3.3.3)
    /// would turn them into spaces.
    private mutating func escaped(_ value: String, inAttribute: Bool) -> String {
        var result = String.UnicodeScalarView()
        for scalar in value.unicodeScalars {
            switch scalar {
            case "&": result.append(contentsOf: "&amp;".unicodeScalars)
            case "<": result.append(contentsOf: "&lt;".unicodeScalars)
            case ">": result.append(contentsOf: "&gt;".unicodeScalars)
            case "\"" where inAttribute: result.append(contentsOf: "&quot;".unicodeScalars)
            case "\r": result.append(contentsOf: "&#13;".unicodeScalars)
            case "\n" where inAttribute: result.append(contentsOf: "&#10;".unicodeScalars)
            case "\t" where inAttribute: result.append(contentsOf: "&#9;".unicodeScalars)
            default:
                if XMLWriter.isAllowed(scalar) {
                    result.append(scalar)
                } else {
                    result.append("\u{FFFD}")
                    replacedCharacters += 1
                }
            }
        }
        return String(result)
    }

    /// Whether XML 1.0 can hold `scalar` (§2.2 `Char`; Swift strings hold no surrogates).
    static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09, 0x0A, 0x0D: return true
        case 0..<0x20, 0xFFFE, 0xFFFF: return false
        default: return true
        }
    }
}

/// An XML element as read by ``XMLTree/parse(_:)``: its local name and namespace, its
/// attributes, its child elements and the text directly inside it.
struct XMLTree: Sendable {
    /// The element's local name, such as `PlainTextSelection`.
    var name: String
    /// The namespace URI it is in, empty when none (`urn:QDA-XML:project:1.0`).
    var namespace: String
    /// Attributes by local name.
    var attributes: [String: String]
    /// Child elements, in document order.
    var children: [XMLTree]
    /// The character data directly inside the element (CDATA included), joined.
    var text: String

    /// The first child named `name`, or nil.
    func child(_ name: String) -> XMLTree? {
        children.first { $0.name == name }
    }

    /// The children named `name`.
    func children(_ name: String) -> [XMLTree] {
        children.filter { $0.name == name }
    }

    /// Every element below this one (not itself), depth first.
    var descendants: [XMLTree] {
        children.flatMap { [$0] + $0.descendants }
    }

    /// Parses a whole XML document with libxml2's SAX2 interface, namespaces processed.
    ///
    /// `XML_PARSE_HUGE` lifts libxml2's default limits (10 MB of text in one node, deep
    /// nesting) that Foundation's `XMLParser` keeps, so a large valid project still reads;
    /// the caller bounds the input's size instead. Nothing is fetched (`XML_PARSE_NONET`),
    /// no external DTD is loaded and entities are never substituted; a document type
    /// declaration stops the parse at once, before any entity it declares is read, so no
    /// entity can expand (no "billion laughs").
    /// - Returns: the root element.
    /// - Throws: ``XMLTreeError`` with the line, column and libxml2's reason when `data` is
    ///   not well-formed XML or has a DTD, or with the loader's reason when libxml2 cannot
    ///   be loaded.
    static func parse(_ data: Data) throws -> XMLTree {
        guard !data.isEmpty else { throw XMLTreeError(line: 1, column: 1, reason: "the file is empty") }
        guard data.count <= Int(Int32.max) else {
            throw XMLTreeError(line: 1, column: 1, reason: "the file is larger than 2 GB, more than the parser reads")
        }
        if let reason = gloss_libxml2_load_error() {
            throw XMLTreeError(line: 0, column: 0, reason: "", unloadable: String(cString: reason))
        }
        let builder = Builder()
        var handler = xmlSAXHandler()
        handler.initialized = UInt32(XML_SAX2_MAGIC)
        handler.startElementNs = { context, localName, _, uri, _, _, count, _, attributes in
            Builder.from(context).start(localName, uri, Int(count), attributes)
        }
        handler.endElementNs = { context, _, _, _ in Builder.from(context).end() }
        handler.characters = { context, bytes, length in Builder.from(context).characters(bytes, Int(length)) }
        handler.ignorableWhitespace = handler.characters
        handler.cdataBlock = handler.characters
        handler.internalSubset = { context, _, _, _ in Builder.from(context).refuseDeclaration() }
        handler.externalSubset = handler.internalSubset
        // errors are read from the context after the parse; nothing is printed
        handler.serror = { _, _ in }

        let root: XMLTree? = try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) throws -> XMLTree? in
            let bytes = raw.baseAddress!.assumingMemoryBound(to: CChar.self)
            guard let context = xmlCreateMemoryParserCtxt(bytes, Int32(raw.count)) else {
                throw XMLTreeError(line: 1, column: 1, reason: "libxml2 could not start a parser")
            }
            defer { xmlFreeParserCtxt(context) }
            _ = xmlCtxtUseOptions(context, Int32(XML_PARSE_HUGE.rawValue | XML_PARSE_NONET.rawValue))
            let defaultHandler = context.pointee.sax
            defer {
                context.pointee.sax = defaultHandler
                if let document = context.pointee.myDoc { xmlFreeDoc(document); context.pointee.myDoc = nil }
            }
            return try withUnsafeMutablePointer(to: &handler) { handlerPointer in
                context.pointee.sax = handlerPointer
                context.pointee.userData = Unmanaged.passUnretained(builder).toOpaque()
                builder.context = context
                _ = xmlParseDocument(context)
                if let line = builder.declarationLine {
                    throw XMLTreeError(line: line, column: 0, reason: "", refusedDeclaration: true)
                }
                guard context.pointee.wellFormed != 0, let root = builder.root else {
                    if let error = xmlCtxtGetLastError(context), error.pointee.code != 0 {
                        let message = error.pointee.message.map { String(cString: $0) } ?? "error \(error.pointee.code)"
                        throw XMLTreeError(line: Int(error.pointee.line), column: Int(error.pointee.int2),
                                           reason: message.trimmingCharacters(in: .whitespacesAndNewlines))
                    }
                    throw XMLTreeError(line: Int(xmlSAX2GetLineNumber(context)), column: 0, reason: "no root element")
                }
                return root
            }
        }
        return root!
    }

    /// Builds the tree from libxml2's SAX2 events; the parser's user data.
    private final class Builder {
        var stack: [XMLTree] = []
        var root: XMLTree?
        var context: xmlParserCtxtPtr?
        /// The line of a document type declaration, which stopped the parse.
        var declarationLine: Int?

        static func from(_ pointer: UnsafeMutableRawPointer?) -> Builder {
            Unmanaged<Builder>.fromOpaque(pointer!).takeUnretainedValue()
        }

        static func string(_ bytes: UnsafePointer<xmlChar>?) -> String {
            bytes.map { String(cString: $0) } ?? ""
        }

        func start(_ localName: UnsafePointer<xmlChar>?, _ uri: UnsafePointer<xmlChar>?, _ count: Int,
                   _ values: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?) {
            var attributes: [String: String] = [:]
            // five pointers an attribute: local name, prefix, URI, value start, value end;
            // namespace declarations are not among them
            for index in 0..<count {
                guard let values, let name = values[5 * index], let start = values[5 * index + 3],
                      let end = values[5 * index + 4] else { continue }
                var value = String(decoding: UnsafeBufferPointer(start: start, count: end - start), as: UTF8.self)
                // without entity substitution libxml2 hands every `&` of a value on as
                // `&#38;` (and no other `&`, as the DTD is refused), so this is exact
                if value.contains("&") { value = value.replacingOccurrences(of: "&#38;", with: "&") }
                attributes[String(cString: name)] = value
            }
            stack.append(XMLTree(name: Builder.string(localName), namespace: Builder.string(uri), attributes: attributes, children: [], text: ""))
        }

        func end() {
            guard let element = stack.popLast() else { return }
            if stack.isEmpty {
                root = element
            } else {
                stack[stack.count - 1].children.append(element)
            }
        }

        func characters(_ bytes: UnsafePointer<xmlChar>?, _ length: Int) {
            guard let bytes, !stack.isEmpty else { return }
            stack[stack.count - 1].text += String(decoding: UnsafeBufferPointer(start: bytes, count: length), as: UTF8.self)
        }

        func refuseDeclaration() {
            guard declarationLine == nil else { return }
            declarationLine = context.map { Int(xmlSAX2GetLineNumber($0)) } ?? 0
            if let context { xmlStopParser(context) }
        }
    }
}

/// A file that is not well-formed XML, or has a document type declaration.
struct XMLTreeError: Error, CustomStringConvertible {
    /// The line the parser stopped at, from 1.
    var line: Int
    /// The column the parser stopped at, from 1; 0 when not known.
    var column: Int
    /// libxml2's reason.
    var reason: String
    /// Whether the parse stopped at a `<!DOCTYPE`, which is refused rather than malformed.
    var refusedDeclaration = false
    /// Set when libxml2 itself could not be loaded (the loader's reason): nothing was parsed.
    var unloadable: String?

    /// What is wrong and where, in words.
    var description: String {
        if let unloadable {
            return "libxml2, which reads XML, cannot be loaded (\(unloadable)); install it (Debian and Ubuntu: libxml2)"
        }
        if refusedDeclaration {
            return "a document type declaration (<!DOCTYPE) at line \(line) is refused: REFI-QDA files need none, and the entities declared in one could expand without bound"
        }
        return "not well-formed XML at line \(line)" + (column > 0 ? ", column \(column)" : "") + ": " + reason
    }
}
