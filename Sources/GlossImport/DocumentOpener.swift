import Foundation
import GlossCore
#if canImport(Glibc)
import Glibc
#endif

/// The kinds of file Gloss opens.
public enum DocumentFormat: String, Sendable, Equatable, CaseIterable {
    /// A text file, shown as it is.
    case plain
    /// A saved web page (``HTMLImporter``).
    case html
    /// A Markdown post (``MarkdownImporter``).
    case markdown
    /// A PDF (``PDFImporter``).
    case pdf
}

/// A document opened by ``DocumentOpener/open(_:encoding:pdf:)``.
public struct OpenedDocument: Sendable {
    /// The document: its text is what annotations point into.
    public var document: Document
    /// What the file was read as.
    public var format: DocumentFormat
    /// What the reader's status line (and the commands, on standard error) should say
    /// about the opening, without the file's name: that the text was read as Windows-1252
    /// because it is not valid UTF-8. Empty when there is nothing to say.
    public var notices: [String]
    /// True when the document is a text file read as ``Document/init(contentsOfFile:)``
    /// reads it, its encoding decided by its first ``Document/eagerByteCount`` bytes.
    var decidedByStart = false

    /// Checks the whole text, as ``Document/checkWholeText()`` does, for the commands
    /// that need all of it (export, grep, stats, text, agree, merge).
    ///
    /// A large text file's encoding is decided by its start, as the reader decides it;
    /// a bad byte past that start is reported as for a small file: as neither UTF-8 nor
    /// Windows-1252 when the whole file is neither, else with the advice to name the
    /// encoding.
    /// - Throws: ``DocumentError`` as ``Document/checkWholeText()`` does;
    ///   ``ImportError/undecodable(path:utf8Offset:windows1252Offset:byte:)`` or
    ///   ``ImportError/encodingDecidedByStart(path:byteOffset:)`` for a text file whose
    ///   start is UTF-8 and the rest is not.
    public func checkWholeText() throws {
        do {
            try document.checkWholeText()
        } catch let error as DocumentError {
            guard decidedByStart, case .notUTF8(let path, let offset) = error,
                  let bytes = try? DocumentOpener.readAll(path) else { throw error }
            _ = try TextDecoding.decode(bytes, forcing: nil, path: path)
            throw ImportError.encodingDecidedByStart(path: path, byteOffset: offset)
        }
    }
}

/// Opens any document Gloss reads: the one opening function of every command (the
/// reader, `gloss export`, `grep`, `stats`, `text`, `agree`, `merge`, the benchmark).
///
/// The format comes from the file's extension, in any letter case: `.html` and `.htm`
/// are HTML, `.md` and `.markdown` Markdown, `.pdf` PDF (refused when it has no `%PDF-`
/// header). A file with another extension (or none) whose start says web page
/// (``FormatSniffing/looksLikeHTML(_:)``) is HTML; one that starts with `%PDF-` is a PDF;
/// any other file is plain text. Only regular files are read: a FIFO, socket or device
/// is refused at once (``DocumentError/notRegularFile(path:kind:)``).
///
/// Plain text opens as ``Document/init(contentsOfFile:)`` opens it (a large file mapped,
/// not read, and indexed lazily), unless it is not valid UTF-8 in the part that method
/// checks when it opens (the first ``Document/eagerByteCount`` bytes) and is valid
/// Windows-1252: it is then decoded from Windows-1252, and ``OpenedDocument/notices``
/// says so. `encoding` forces an encoding instead (``TextEncoding``). A web page is
/// decoded honouring the encoding it declares (``TextDecoding/decodePage(_:forcing:path:)``),
/// Markdown as text (``TextDecoding/decode(_:forcing:path:)``), and given to their
/// importer; a PDF goes to `pdftotext`, whatever `encoding` says.
public enum DocumentOpener {
    /// The format a file's name says, from its extension; nil for any other name (plain
    /// text, unless its start says HTML).
    public static func format(ofPath path: String) -> DocumentFormat? {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return nil }
        switch name[name.index(after: dot)...].lowercased() {
        case "html", "htm": return .html
        case "md", "markdown": return .markdown
        case "pdf": return .pdf
        case "txt": return .plain
        default: return nil
        }
    }

    /// True when `bytes`, the start of a text, are a web page's
    /// (``FormatSniffing/looksLikeHTML(_:)``: after white space, comments and an XML
    /// declaration, `<!DOCTYPE html`, `<html`, `<head` or another of the MIME Sniffing
    /// standard's HTML patterns; or the `<!-- saved from url=` mark).
    public static func looksLikeHTML<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> Bool {
        FormatSniffing.looksLikeHTML(bytes)
    }

    /// The notice for a text read as Windows-1252 because it is not valid UTF-8.
    public static let windows1252Notice = "read as Windows-1252 (the file is not valid UTF-8)"

    /// Opens the document at `path` (see the type's documentation).
    /// - Parameters:
    ///   - path: the file.
    ///   - encoding: the encoding `--encoding` named, or nil to find it.
    ///   - pdf: the PDF importer to use (tests give it another `PATH` or timeout).
    /// - Returns: the document, its format and what to say about it.
    /// - Throws: ``DocumentError`` when the file cannot be read, is not a regular file,
    ///   holds a NUL byte (a binary file), is not valid UTF-8 where plain text is checked
    ///   as it opens (and not Windows-1252 either:
    ///   ``ImportError/undecodable(path:utf8Offset:windows1252Offset:byte:)``), or has a
    ///   UTF-16 byte-order mark and is not UTF-16; ``ImportError`` when an importer fails,
    ///   finds no text, `encoding` does not fit the bytes, or a file named `.pdf` is not a
    ///   PDF.
    public static func open(_ path: String, encoding: TextEncoding? = nil, pdf: PDFImporter = PDFImporter()) throws -> OpenedDocument {
        switch format(ofPath: path) {
        case .html?:
            let source = try readAll(path)
            return try importDecoded(try TextDecoding.decodePage(source, forcing: encoding, path: path), source: source, path: path,
                                     importer: HTMLImporter(), format: .html)
        case .markdown?:
            return try importText(try readAll(path), path: path, importer: MarkdownImporter(), format: .markdown, encoding: encoding)
        case .pdf?:
            let head = try readHead(path, count: 1024)
            guard FormatSniffing.hasPDFHeader(head) else { throw ImportError.notPDF(path: path, looksLike: what(head)) }
            return try importFile(path, importer: pdf)
        case .plain?, nil:
            return try openPlain(path, encoding: encoding, pdf: pdf)
        }
    }

    /// What the start of a file that is not a PDF looks like, for the error: `a web page`,
    /// `a text file` (UTF-8 without NUL bytes, a character cut at the end allowed), or nil.
    static func what(_ head: [UInt8]) -> String? {
        if FormatSniffing.looksLikeHTML(head) { return "a web page" }
        guard !head.isEmpty, TextDecoding.firstNUL(head) == nil else { return nil }
        let bad = TextDecoding.firstInvalidUTF8(head)
        return bad == nil || (head.count == 1024 && bad! > 1020) ? "a text file" : nil
    }

    /// A plain text file, or one whose start says HTML or PDF.
    private static func openPlain(_ path: String, encoding: TextEncoding?, pdf: PDFImporter) throws -> OpenedDocument {
        guard encoding == nil || encoding == .utf8 else {
            let source = try readAll(path)
            if FormatSniffing.startsLikePDF(source) { return try importFile(path, importer: pdf) }
            let decoded = try TextDecoding.decode(source, forcing: encoding, path: path)
            if looksLikeHTML(decoded.utf8.prefix(FormatSniffing.headByteCount)) {
                return try importDecoded(decoded, source: source, path: path, importer: HTMLImporter(), format: .html)
            }
            return plainText(decoded, source: source, path: path)
        }
        if encoding == .utf8, let head = try? readHead(path, count: 2), head == [0xFF, 0xFE] || head == [0xFE, 0xFF] {
            // Document would read it as UTF-16, which is not what was asked
            throw ImportError.notInEncoding(path: path, encoding: .utf8, byteOffset: 0)
        }
        let document: Document
        do {
            document = try Document(contentsOfFile: path)
        } catch let error as DocumentError {
            switch error {
            case .notUTF8, .binary:
                // only the start, to tell a PDF: a large binary file is not read whole
                if FormatSniffing.startsLikePDF(try readHead(path, count: 5)) { return try importFile(path, importer: pdf) }
                guard case .notUTF8 = error, encoding == nil else { throw error }
                let source = try readAll(path)
                // a page in a legacy encoding: its start is ASCII, and it may say which
                if looksLikeHTML(source.prefix(FormatSniffing.headByteCount)) {
                    return try importDecoded(try TextDecoding.decodePage(source, forcing: nil, path: path), source: source, path: path,
                                             importer: HTMLImporter(), format: .html)
                }
                return plainText(try TextDecoding.decode(source, forcing: nil, path: path), source: source, path: path)
            default:
                throw error
            }
        }
        let (isHTML, isPDF) = document.withUTF8Prefix(FormatSniffing.headByteCount) { text in
            (FormatSniffing.looksLikeHTML(text), FormatSniffing.startsLikePDF(text))
        }
        if isPDF { return try importFile(path, importer: pdf) }
        if isHTML {
            let source = try readAll(path)
            return try importDecoded(try TextDecoding.decodePage(source, forcing: encoding, path: path), source: source, path: path,
                                     importer: HTMLImporter(), format: .html)
        }
        return OpenedDocument(document: document, format: .plain, notices: [], decidedByStart: encoding == nil)
    }

    /// A text decoded from another encoding than UTF-8, as a plain text: the encoding is
    /// its extractor.
    private static func plainText(_ decoded: DecodedText, source: [UInt8], path: String) -> OpenedDocument {
        let extracted = ExtractedText(text: String(decoding: decoded.utf8, as: UTF8.self), extractor: decoded.encoding.rawValue,
                                      extractorVersion: "1", plainTextParagraphs: true,
                                      sourceSHA256: AnnotationStore.sha256Hex(source))
        return OpenedDocument(document: Document(extracted: extracted, path: path), format: .plain, notices: notices(of: decoded))
    }

    /// What to say about how `decoded` was decoded.
    private static func notices(of decoded: DecodedText) -> [String] {
        (decoded.guessed ? [windows1252Notice] : []) + (decoded.notice.map { [$0] } ?? [])
    }

    /// `bytes` decoded and given to `importer`.
    private static func importText(_ bytes: [UInt8], path: String, importer: some Importer, format: DocumentFormat,
                                   encoding: TextEncoding?) throws -> OpenedDocument {
        try importDecoded(try TextDecoding.decode(bytes, forcing: encoding, path: path), source: bytes, path: path,
                          importer: importer, format: format)
    }

    /// `decoded` (the text of the file's bytes `source`) given to `importer`; the store
    /// records the source's hash.
    private static func importDecoded(_ decoded: DecodedText, source: [UInt8], path: String, importer: some Importer,
                                      format: DocumentFormat) throws -> OpenedDocument {
        var extracted = try importer.extract(decoded.utf8, path: path)
        extracted.sourceSHA256 = AnnotationStore.sha256Hex(source)
        return OpenedDocument(document: Document(extracted: extracted, path: path), format: format, notices: notices(of: decoded))
    }

    /// The file at `path` given to an importer that reads it itself.
    private static func importFile(_ path: String, importer: some Importer) throws -> OpenedDocument {
        // the importer's own messages about a missing file, a FIFO or a device would be less clear
        _ = try readHead(path, count: 1)
        var extracted = try importer.extract([], path: path)
        extracted.sourceSHA256 = (try? readAll(path)).map(AnnotationStore.sha256Hex)
        return OpenedDocument(document: Document(extracted: extracted, path: path), format: .pdf, notices: [])
    }

    /// The whole file.
    /// - Throws: ``DocumentError/unreadable(path:reason:)``,
    ///   ``DocumentError/notRegularFile(path:kind:)``.
    static func readAll(_ path: String) throws -> [UInt8] {
        try RegularFile.contents(path)
    }

    /// The file's first `count` bytes (fewer when it is shorter).
    /// - Throws: ``DocumentError/unreadable(path:reason:)``,
    ///   ``DocumentError/notRegularFile(path:kind:)``.
    static func readHead(_ path: String, count: Int) throws -> [UInt8] {
        try RegularFile.head(path, count: count)
    }
}
