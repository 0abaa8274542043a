/// The plain text an importer made of a file that is not plain text (HTML, Markdown, a
/// PDF, a text in another encoding): this text is the document that annotations point
/// into, and exports that need the text write exactly it.
///
/// Blocks (paragraphs, headings, list items, quotes, code blocks, table cells) are
/// separated by one blank line (`"\n\n"`) and hold no blank line themselves, so the
/// document's paragraphs are the blocks. An importer whose output has no block structure
/// of its own (a PDF's text, a text in another encoding) sets
/// ``plainTextParagraphs`` instead: its paragraphs then follow the plain-text rules.
/// Offsets count code points of ``text``.
public struct ExtractedText: Sendable, Equatable {
    /// The extracted text: blocks joined by `"\n\n"`.
    public var text: String
    /// Code-point offsets in ``text`` where a heading block (or the title) starts; drawn bold.
    public var headingStarts: Set<Int>
    /// True when ``text`` is not made of blocks but is to be split into paragraphs by the
    /// rules of a plain text file, with no heading marked by the importer:
    /// ``headingStarts`` is then ignored.
    public var plainTextParagraphs: Bool
    /// The importer's name, recorded in the store: `plain`, `html`, `markdown`, `pdf`, or
    /// for a plain text decoded from another encoding the encoding (`windows-1252`,
    /// `iso-8859-1`, `utf-16le`, `utf-16be`).
    public var extractor: String
    /// The importer's version (its own rules and the library's version, for example
    /// `2 libxml2 2.9.14`): a store made by another version is re-anchored as for an
    /// edited text.
    public var extractorVersion: String
    /// Lower-case hex SHA-256 of the source file's bytes, when the importer read a file.
    public var sourceSHA256: String?

    /// Creates extracted text.
    /// - Parameters:
    ///   - text: the blocks joined by `"\n\n"`.
    ///   - headingStarts: code-point offsets of heading blocks in `text`.
    ///   - extractor: the importer's name.
    ///   - extractorVersion: the importer's version.
    ///   - plainTextParagraphs: split `text` by the plain-text rules instead of as blocks.
    ///   - sourceSHA256: hex SHA-256 of the source file's bytes.
    public init(text: String, headingStarts: Set<Int> = [], extractor: String, extractorVersion: String,
                plainTextParagraphs: Bool = false, sourceSHA256: String? = nil) {
        self.sourceSHA256 = sourceSHA256
        self.text = text
        self.headingStarts = headingStarts
        self.plainTextParagraphs = plainTextParagraphs
        self.extractor = extractor
        self.extractorVersion = extractorVersion
    }
}

/// How a document's text was made from its source file: the importer's name and version
/// and the source's hash, as the store records them (``StoredSource``).
public struct Extraction: Hashable, Sendable {
    /// The importer's name (``ExtractedText/extractor``).
    public var extractor: String
    /// The importer's version (``ExtractedText/extractorVersion``).
    public var version: String
    /// Lower-case hex SHA-256 of the source file's bytes; nil when not known.
    public var sourceSHA256: String?

    /// Creates the record.
    public init(extractor: String, version: String, sourceSHA256: String? = nil) {
        self.extractor = extractor
        self.version = version
        self.sourceSHA256 = sourceSHA256
    }
}
