import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

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

    /// Parses a whole XML document with Foundation's `XMLParser` (libxml2), namespaces
    /// processed and external entities not resolved.
    /// - Returns: the root element.
    /// - Throws: ``XMLTreeError`` with the parser's line and reason when `data` is not
    ///   well-formed XML.
    static func parse(_ data: Data) throws -> XMLTree {
        let builder = Builder()
        let parser = XMLParser(data: data)
        parser.shouldProcessNamespaces = true
        parser.shouldResolveExternalEntities = false
        parser.delegate = builder
        guard parser.parse(), let root = builder.root else {
            let reason = builder.failure ?? parser.parserError.map { "\($0.localizedDescription)" } ?? "no root element"
            throw XMLTreeError(line: parser.lineNumber, reason: reason)
        }
        return root
    }

    private final class Builder: NSObject, XMLParserDelegate {
        var stack: [XMLTree] = []
        var root: XMLTree?
        var failure: String?

        func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                    qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
            var attributes: [String: String] = [:]
            for (key, value) in attributeDict {
                // namespace declarations are not attributes of the model
                if key == "xmlns" || key.hasPrefix("xmlns:") { continue }
                attributes[key.split(separator: ":").last.map(String.init) ?? key] = value
            }
            stack.append(XMLTree(name: elementName, namespace: namespaceURI ?? "", attributes: attributes, children: [], text: ""))
        }

        func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
            let element = stack.removeLast()
            if stack.isEmpty {
                root = element
            } else {
                stack[stack.count - 1].children.append(element)
            }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            if !stack.isEmpty { stack[stack.count - 1].text += string }
        }

        func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
            if !stack.isEmpty { stack[stack.count - 1].text += String(decoding: CDATABlock, as: UTF8.self) }
        }

        func parser(_ parser: XMLParser, parseErrorOccurred parseError: Error) {
            if failure == nil { failure = parseError.localizedDescription }
        }
    }
}

/// A file that is not well-formed XML.
struct XMLTreeError: Error, CustomStringConvertible {
    /// The line the parser stopped at, from 1.
    var line: Int
    /// The parser's reason.
    var reason: String

    /// `line N: reason`.
    var description: String { "not well-formed XML (line \(line): \(reason))" }
}
