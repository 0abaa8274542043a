import Foundation
import GlossCore

/// A sentence of the document: paragraph index, part of a giant paragraph
/// (``TextCache/partCount(_:)``; 0 in any other) and sentence index within the part.
public struct SentencePosition: Hashable, Sendable, Comparable {
    /// Paragraph index.
    public var paragraph: Int
    /// Part index within the paragraph: 0 unless it is a giant paragraph.
    public var part: Int
    /// Sentence index within the part.
    public var sentence: Int

    /// Creates a position.
    public init(paragraph: Int, part: Int = 0, sentence: Int) {
        self.paragraph = paragraph
        self.part = part
        self.sentence = sentence
    }

    public static func < (a: SentencePosition, b: SentencePosition) -> Bool {
        (a.paragraph, a.part, a.sentence) < (b.paragraph, b.part, b.sentence)
    }
}

/// A screen row of the text pane: a wrapped line of a paragraph (of one part of a giant
/// paragraph, ``TextCache/partCount(_:)``), or (`line` equal to the last part's line
/// count) the blank row after it.
public struct RowPosition: Hashable, Sendable {
    /// Paragraph index.
    public var paragraph: Int
    /// Part index within the paragraph: 0 unless it is a giant paragraph.
    public var part: Int
    /// Wrapped line within the part.
    public var line: Int

    /// Creates a row position.
    public init(paragraph: Int, part: Int = 0, line: Int) {
        self.paragraph = paragraph
        self.part = part
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
