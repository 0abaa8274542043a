import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One codebook tag on an annotation: a category id (such as `actor`) and a value from the
/// category's vocabulary or typed freely (such as `ISIL`). The value may be empty.
public struct Tag: Codable, Hashable, Sendable {
    /// The codebook category's `id`.
    public var category: String
    /// The value, free text; empty when none was given.
    public var value: String

    /// Creates a tag.
    public init(category: String, value: String) {
        self.category = category
        self.value = value
    }
}

/// An annotation: a span of the document with its tags and note.
///
/// `start` and `end` are code points of the document text, end exclusive (DESIGN.md §2).
/// `quote`, `prefix` and `suffix` follow the W3C TextQuoteSelector
/// (Web Annotation Data Model §4.2.4): the exact text and up to
/// ``Annotation/contextLength`` code points before and after it, kept so the span can be
/// found again when the text changes. Timestamps are ISO 8601 UTC strings.
public struct Annotation: Codable, Hashable, Sendable, Identifiable {
    /// How many code points of context `prefix` and `suffix` keep at most.
    public static let contextLength = 32

    /// A UUID string, unique within the store.
    public var id: String
    /// First code point of the span.
    public var start: Int
    /// Code point after the span's last one.
    public var end: Int
    /// The text at `start..<end`.
    public var quote: String
    /// Up to 32 code points before `start`.
    public var prefix: String
    /// Up to 32 code points after `end`.
    public var suffix: String
    /// Codebook tags, in the order they were added.
    public var tags: [Tag]
    /// The analyst's note (memo); empty when none.
    public var note: String
    /// Login name of whoever created the annotation.
    public var author: String
    /// ISO 8601 UTC creation time, for instance `2026-11-29T19:00:00Z`.
    public var created: String
    /// ISO 8601 UTC time of the last change.
    public var modified: String
    /// Set by `gloss merge` when two coders gave the same span different tags: both
    /// annotations are kept and share this value (the conflict's id, `START-END` of the
    /// span in code points when it was merged); the annotations with the same value are
    /// rivals, and keeping one (`K` in the reader) deletes the others and clears it.
    /// Nil when there is no conflict; written to the store only when set, so stores
    /// without conflicts are as before and older stores read unchanged.
    public var conflict: String?

    /// Creates an annotation with every field given.
    public init(id: String, start: Int, end: Int, quote: String, prefix: String, suffix: String,
                tags: [Tag], note: String, author: String, created: String, modified: String, conflict: String? = nil) {
        self.id = id
        self.start = start
        self.end = end
        self.quote = quote
        self.prefix = prefix
        self.suffix = suffix
        self.tags = tags
        self.note = note
        self.author = author
        self.created = created
        self.modified = modified
        self.conflict = conflict
    }

    /// Creates a new annotation over `range` of `document`, taking quote, prefix and suffix
    /// from the text.
    /// - Parameters:
    ///   - range: code points, end exclusive; must lie within the document.
    ///   - date: creation time, also used as the modification time.
    public init(document: Document, range: Range<Int>, tags: [Tag], note: String = "",
                author: String = Annotation.currentAuthor, date: Date = Date(), id: String = UUID().uuidString) {
        let stamp = Annotation.timestamp(date)
        self.init(
            id: id, start: range.lowerBound, end: range.upperBound,
            quote: document.text(in: range),
            prefix: document.text(in: max(0, range.lowerBound - Annotation.contextLength)..<range.lowerBound),
            suffix: document.text(in: range.upperBound..<min(document.length, range.upperBound + Annotation.contextLength)),
            tags: tags, note: note, author: author, created: stamp, modified: stamp)
    }

    /// The span as a range of code points.
    public var range: Range<Int> { start..<end }

    /// Formats `date` as ISO 8601 in UTC with whole seconds, e.g. `2026-11-29T19:00:00Z`.
    public static func timestamp(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: false, timeZone: TimeZone(identifier: "UTC")!))
    }

    /// Who new annotations are credited to by default: `$GLOSS_AUTHOR` when set and not
    /// empty, else the login name of the user running Gloss: `$USER`, then `$LOGNAME`,
    /// then the password database's name for the real user id, else `unknown`. (`gloss
    /// --author` and `--coder` override it.)
    public static var currentAuthor: String {
        if let name = ProcessEnvironment.value("GLOSS_AUTHOR"), !name.isEmpty { return name }
        if let name = ProcessEnvironment.value("USER") ?? ProcessEnvironment.value("LOGNAME"), !name.isEmpty { return name }
        if let entry = getpwuid(getuid()), let name = entry.pointee.pw_name { return String(cString: name) }
        return "unknown"
    }
}
