import GlossCore

/// Turns the bytes of one kind of file (HTML, Markdown, PDF) into the plain text a
/// ``Document`` shows and annotations point into.
///
/// An importer is a pure function of the bytes (the PDF importer runs `pdftotext` on the
/// file): the same bytes and the same ``version`` give the same text, so offsets into it
/// stay valid from one opening to the next. ``DocumentOpener`` picks the importer and
/// decodes text files before calling it.
public protocol Importer: Sendable {
    /// The importer's name, recorded in the store as the document's extractor: `html`,
    /// `markdown`, `pdf`.
    var name: String { get }
    /// The version of the importer's rules and of the library or program doing the work
    /// (for example `2 libxml2 2.9.14`); text made by another version may differ.
    var version: String { get }
    /// What ``extract(_:path:)`` is given: decoded text or the file's bytes.
    var input: ImporterInput { get }
    /// The text of the file.
    /// - Parameters:
    ///   - bytes: with ``ImporterInput/text``, the file's text as UTF-8 without a
    ///     byte-order mark (``DocumentOpener`` decodes it first); with
    ///     ``ImporterInput/file``, nothing (the importer reads `path`).
    ///   - path: the file, named in errors (and read by an importer whose input is
    ///     ``ImporterInput/file``).
    /// - Returns: blocks joined by `"\n\n"` (or text following the plain-text rules), with
    ///   the importer's ``name`` and ``version``; never empty.
    /// - Throws: ``ImportError`` when the bytes cannot be parsed, hold no text, or the
    ///   program an importer runs is missing, fails or takes too long.
    func extract(_ bytes: [UInt8], path: String) throws -> ExtractedText
}

/// What an ``Importer`` reads.
public enum ImporterInput: Sendable, Equatable {
    /// UTF-8 text: the file decoded from its encoding (``TextEncoding``) by the opener.
    case text
    /// The file itself, at the path given: a program reads it (`pdftotext`); the bytes
    /// passed are empty.
    case file
}

/// Why a document could not be opened by an importer or decoded. `description` is one
/// line that starts with the file's path and says what is wrong and, where there is one,
/// what to do.
public enum ImportError: Error, Equatable, CustomStringConvertible {
    /// The parser gave up on the file; `format` is `HTML`, `Markdown` or `PDF`, `reason`
    /// what the parser or program said.
    case unparsable(path: String, format: String, reason: String)
    /// The file parsed but holds no text to show; `detail` says what was looked for.
    case noText(path: String, format: String, detail: String)
    /// The file is neither valid UTF-8 (first bad byte at `utf8Offset`) nor Windows-1252
    /// (`byte` at `windows1252Offset` is undefined there, or a NUL). Offsets count bytes
    /// from the start of the file.
    case undecodable(path: String, utf8Offset: Int, windows1252Offset: Int, byte: UInt8)
    /// The file is not valid in the encoding `--encoding` named: `byteOffset` is the first
    /// byte (counted from the start of the file) that cannot be decoded in it.
    case notInEncoding(path: String, encoding: TextEncoding, byteOffset: Int)
    /// A large text file is UTF-8 in its first ``Document/eagerByteCount`` bytes, which
    /// decide how a text file is read, but not at `byteOffset`, past them; the whole file
    /// reads as Windows-1252.
    case encodingDecidedByStart(path: String, byteOffset: Int)
    /// A program the importer needs is not on the `PATH`; `install` says how to get it.
    case programMissing(path: String, program: String, install: String)
    /// The program ended with a failure status (or a signal, as 128 plus its number);
    /// `message` is the first line it wrote to standard error that says what is wrong
    /// (``PDFImporter/firstMeaningfulLine(of:)``).
    case programFailed(path: String, program: String, status: Int32, message: String)
    /// The program did not finish within `seconds` and was stopped.
    case timedOut(path: String, program: String, seconds: Int)
    /// The program was stopped before it finished, at the user's word (Esc, Ctrl-C) or
    /// as Gloss ends.
    case stopped(path: String, program: String)
    /// The program wrote more than `megabytes` MB and was stopped (it would have filled
    /// memory): no PDF holds that much text.
    case tooMuchOutput(path: String, program: String, megabytes: Int)
    /// A file named as a PDF has no `%PDF-` header in its first kilobyte; `looksLike`
    /// says what it seems to be instead (`a web page`, `a text file`), or is nil.
    case notPDF(path: String, looksLike: String?)
    /// The PDF is encrypted and needs a password to be read.
    case encryptedPDF(path: String)
    /// `--encoding` named an encoding neither Gloss nor `iconv` knows.
    case unknownEncoding(name: String)
    /// A web page declares `declared` (in a `<meta charset>` or its XML declaration) and
    /// is not valid UTF-8, but is not valid in the declared encoding either, at `byteOffset`.
    case notInDeclaredEncoding(path: String, declared: String, byteOffset: Int)

    /// One line: the file's path, what is wrong, and what to do where there is something.
    public var description: String {
        switch self {
        case .unparsable(let path, let format, let reason):
            return "\(path): cannot read the \(format): \(reason)"
        case .noText(let path, let format, let detail):
            return "\(path): no text to show in the \(format): \(detail)"
        case .undecodable(let path, let utf8Offset, let windows1252Offset, let byte):
            let why = byte == 0 ? "a NUL byte at offset \(windows1252Offset)"
                : String(format: "byte 0x%02X at offset %d is undefined there", byte, windows1252Offset)
            return "\(path): neither UTF-8 text (first bad byte at offset \(utf8Offset)) nor Windows-1252 (\(why)); name its encoding with --encoding NAME, for example \(TextEncoding.examples) (iconv -l lists them), or convert it first, for example with iconv -f ENCODING -t UTF-8"
        case .notInEncoding(let path, let encoding, let byteOffset):
            return "\(path): not valid \(encoding.label) text (first bad byte at offset \(byteOffset))"
        case .encodingDecidedByStart(let path, let byteOffset):
            return "\(path): not valid UTF-8 text at offset \(byteOffset), past the first megabyte, which is UTF-8 and decides how a text file is read; the whole file reads as Windows-1252: give --encoding windows-1252, or convert it, for example with iconv -f WINDOWS-1252 -t UTF-8"
        case .programMissing(let path, let program, let install):
            return "\(path): \(program) is needed to read it and is not on the PATH; install it with \(install)"
        case .programFailed(let path, let program, let status, let message):
            return "\(path): \(program) could not read it (exit status \(status))" + (message.isEmpty ? "" : ": \(message)")
        case .timedOut(let path, let program, let seconds):
            return "\(path): \(program) did not finish within \(seconds) s and was stopped"
        case .stopped(let path, let program):
            return "\(path): \(program) was stopped before it finished"
        case .tooMuchOutput(let path, let program, let megabytes):
            return "\(path): \(program) wrote more than \(megabytes) MB of text, more than a PDF holds, and was stopped"
        case .notPDF(let path, let looksLike):
            let rename = looksLike == "a web page" ? ".html" : ".txt"
            return "\(path): not a PDF (it does not start with %PDF-)"
                + (looksLike.map { "; it looks like \($0): give it a \(rename) name to read it as one" } ?? "")
        case .unknownEncoding(let name):
            return TextEncoding.unknownNameMessage(name)
        case .notInDeclaredEncoding(let path, let declared, let byteOffset):
            return "\(path): declares its encoding as \(declared) but is not valid \(declared) text (first bad byte at offset \(byteOffset)) nor UTF-8; name its encoding with --encoding NAME, for example \(TextEncoding.examples) (iconv -l lists them), or convert it first, for example with iconv -f ENCODING -t UTF-8"
        case .encryptedPDF(let path):
            return "\(path): the PDF is encrypted (needs a password), which Gloss cannot give; remove the password first, for example with qpdf --decrypt --password=PASSWORD \(path) decrypted.pdf"
        }
    }
}
