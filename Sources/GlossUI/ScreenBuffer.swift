/// Colours a cell can take; the terminal maps them to its eight basic colours.
public enum Color: String, Sendable, Hashable, CaseIterable {
    case `default`, black, red, green, yellow, blue, magenta, cyan, white

    /// The colour named `name` (case-insensitive), or `.default`.
    public init(named name: String) {
        self = Color(rawValue: name.lowercased()) ?? .default
    }
}

/// How a cell is drawn.
public struct Style: Hashable, Sendable {
    /// Foreground colour.
    public var foreground: Color = .default
    /// Background colour.
    public var background: Color = .default
    /// Bold (bright) text.
    public var bold = false
    /// Reverse video: swaps foreground and background.
    public var reverse = false
    /// Underlined text.
    public var underline = false
    /// Dimmed text.
    public var dim = false

    /// The plain style.
    public static let plain = Style()

    /// Creates a style.
    public init(foreground: Color = .default, background: Color = .default, bold: Bool = false,
                reverse: Bool = false, underline: Bool = false, dim: Bool = false) {
        self.foreground = foreground
        self.background = background
        self.bold = bold
        self.reverse = reverse
        self.underline = underline
        self.dim = dim
    }

    /// One letter per style for golden style grids: `.` plain, `R` reverse, `B` bold,
    /// `U` underline, `D` dim, or the first letter of the foreground colour (lower case;
    /// upper case when also reversed, `k` for black).
    public var letter: Character {
        if foreground != .default {
            let letter: Character = foreground == .black ? "k" : foreground.rawValue.first!
            return reverse ? Character(letter.uppercased()) : letter
        }
        if reverse { return "R" }
        if bold { return "B" }
        if underline { return "U" }
        if dim { return "D" }
        return "."
    }
}

/// One screen cell: a grapheme that is safe to draw, the columns it takes, and its style.
/// The column after a two-column grapheme holds a continuation cell (`width` 0, empty text).
public struct Cell: Hashable, Sendable {
    /// The grapheme to draw, never a control character; empty in a continuation cell.
    public var text: String
    /// 1 or 2 for a grapheme, 0 for the continuation of a wide one.
    public var width: Int
    /// How the cell is drawn.
    public var style: Style

    /// A blank cell.
    public static let blank = Cell(text: " ", width: 1, style: .plain)

    /// Creates a cell.
    public init(text: String, width: Int, style: Style) {
        self.text = text
        self.width = width
        self.style = style
    }
}

/// A grid of cells that a renderer fills and a terminal backend draws (the buffer half of
/// ratatui's buffer and backend split). Rows and columns count terminal cells from 0.
public struct ScreenBuffer: Hashable, Sendable {
    /// Columns.
    public let width: Int
    /// Rows.
    public let height: Int
    /// Cells in row-major order, `width * height` of them.
    public private(set) var cells: [Cell]

    /// A blank buffer of `width` x `height` cells; negative sizes count as 0.
    public init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: .blank, count: self.width * self.height)
    }

    /// The cell at (`row`, `column`).
    public subscript(row: Int, column: Int) -> Cell {
        cells[row * width + column]
    }

    /// Writes `text` from (`row`, `column`) with `style`, clipped at `limit` (exclusive,
    /// defaults to the buffer width). Each character is drawn as its
    /// ``DisplayWidth/cells(of:)``; a wide cell that would cross the limit is replaced by a
    /// space.
    /// - Returns: the column after the last cell written.
    @discardableResult
    public mutating func put(_ text: String, row: Int, column: Int, style: Style, limit: Int? = nil) -> Int {
        var column = column
        for character in text {
            column = put(character: character, row: row, column: column, style: style, limit: limit)
        }
        return column
    }

    /// Writes one character at (`row`, `column`) as its ``DisplayWidth/cells(of:)``,
    /// clipped like ``put(_:row:column:style:limit:)``: a cell that would cross the limit
    /// becomes a space.
    /// - Returns: the column after it.
    @discardableResult
    public mutating func put(character: Character, row: Int, column: Int, style: Style, limit: Int? = nil) -> Int {
        let limit = min(limit ?? width, width)
        var column = column
        for drawn in DisplayWidth.cells(of: character) {
            defer { column += drawn.width }
            guard row >= 0, row < height, column >= 0, column < limit else { continue }
            if column + drawn.width > limit {
                set(row, column, Cell(text: " ", width: 1, style: style))
                continue
            }
            set(row, column, Cell(text: drawn.text, width: drawn.width, style: style))
            if drawn.width == 2 { set(row, column + 1, Cell(text: "", width: 0, style: style)) }
        }
        return column
    }

    /// Fills columns `range` of `row` with blanks in `style`.
    public mutating func fill(row: Int, columns range: Range<Int>, style: Style) {
        guard row >= 0, row < height else { return }
        for column in max(0, range.lowerBound)..<min(width, max(range.upperBound, 0)) {
            set(row, column, Cell(text: " ", width: 1, style: style))
        }
    }

    /// Changes the style of the cells in `range` of `row`.
    public mutating func restyle(row: Int, columns range: Range<Int>, _ change: (inout Style) -> Void) {
        guard row >= 0, row < height else { return }
        for column in max(0, range.lowerBound)..<min(width, max(range.upperBound, 0)) {
            change(&cells[row * width + column].style)
        }
    }

    private mutating func set(_ row: Int, _ column: Int, _ cell: Cell) {
        let index = row * width + column
        // overwriting half of a wide character blanks the other half
        if cells[index].width == 0, column > 0, cells[index - 1].width == 2 {
            cells[index - 1] = Cell(text: " ", width: 1, style: cells[index - 1].style)
        }
        if cells[index].width == 2, column + 1 < width, cell.width != 2 {
            cells[index + 1] = Cell(text: " ", width: 1, style: cells[index + 1].style)
        }
        cells[index] = cell
    }

    /// The text of each row, continuation cells skipped, trailing spaces kept: the plain
    /// form golden screen tests compare.
    public var lines: [String] {
        (0..<height).map { row in
            var line = ""
            for column in 0..<width where self[row, column].width > 0 { line += self[row, column].text }
            return line
        }
    }

    /// One style letter per column for each row (see ``Style/letter``).
    public var styleLines: [String] {
        (0..<height).map { row in String((0..<width).map { self[row, $0].style.letter }) }
    }
}
