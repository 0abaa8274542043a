import Foundation
import GlossCore

/// A sentence of the document: paragraph index and sentence index within it.
public struct SentencePosition: Hashable, Sendable, Comparable {
    /// Paragraph index.
    public var paragraph: Int
    /// Sentence index within the paragraph.
    public var sentence: Int

    /// Creates a position.
    public init(paragraph: Int, sentence: Int) {
        self.paragraph = paragraph
        self.sentence = sentence
    }

    public static func < (a: SentencePosition, b: SentencePosition) -> Bool {
        (a.paragraph, a.sentence) < (b.paragraph, b.sentence)
    }
}

/// A screen row of the text pane: a wrapped line of a paragraph, or (`line` equal to the
/// paragraph's line count) the blank row after it.
public struct RowPosition: Hashable, Sendable {
    /// Paragraph index.
    public var paragraph: Int
    /// Wrapped line within the paragraph.
    public var line: Int

    /// Creates a row position.
    public init(paragraph: Int, line: Int) {
        self.paragraph = paragraph
        self.line = line
    }
}

/// A selection being made: two code-point boundaries; `active` moves, `anchor` stays.
public struct Selection: Hashable, Sendable {
    /// The end that stays put.
    public var anchor: Int
    /// The end that `h` `l` `w` `b` move.
    public var active: Int
    /// The selected code points, end exclusive.
    public var range: Range<Int> { min(anchor, active)..<max(anchor, active) }
}
