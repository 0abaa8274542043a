import GlossCore

/// Colours a cell can take: the terminal's own (`default`), the eight basic ANSI colours,
/// an entry of xterm's 256-colour palette (8–15 the bright variants), or a 24-bit colour.
/// The terminal draws each in the nearest colour it has.
public enum Color: Sendable, Hashable {
    case `default`, black, red, green, yellow, blue, magenta, cyan, white
    /// Entry 8–255 of xterm's 256-colour palette (``XtermPalette``); 0–7 are the named cases.
    /// A byte, as each channel below: every cell of the screen holds two colours, and
    /// `Int`s made a 120x40 screen's cells 420 KB to allocate and touch instead of 190 KB.
    case indexed(UInt8)
    /// A 24-bit colour, each channel 0–255.
    case rgb(red: UInt8, green: UInt8, blue: UInt8)

    /// The eight basic colours in ANSI order (colour 0 to 7).
    public static let basic: [Color] = [.black, .red, .green, .yellow, .blue, .magenta, .cyan, .white]

    /// The colour `name` writes (``ColorSpec``: a basic name, `bright-red`, `#RRGGBB`, any
    /// case), or `.default` for anything else.
    public init(named name: String) {
        self = Color(parsing: name) ?? .default
    }

    /// The colour `text` writes (``ColorSpec``), nil when it writes none.
    public init?(parsing text: String) {
        guard let spec = ColorSpec(text) else { return nil }
        self.init(spec)
    }

    /// The colour of a ``ColorSpec``: a basic name's case, a bright variant's index.
    public init(_ spec: ColorSpec) {
        switch spec {
        case .ansi(let index): self = index < 8 ? Color.basic[index] : .indexed(UInt8(truncatingIfNeeded: index))
        case .rgb(let red, let green, let blue):
            self = .rgb(red: UInt8(truncatingIfNeeded: red), green: UInt8(truncatingIfNeeded: green), blue: UInt8(truncatingIfNeeded: blue))
        }
    }

    /// The basic colour's index, 0–7 (black to white); nil for the others.
    public var basicIndex: Int? {
        Color.basic.firstIndex(of: self)
    }

    /// Red, green and blue, 0–255 each, as xterm draws the colour by default; nil for `.default`.
    public var rgb: (red: Int, green: Int, blue: Int)? {
        switch self {
        case .default: return nil
        case .indexed(let index): return XtermPalette.rgb(ofIndex: Int(index))
        case .rgb(let red, let green, let blue): return (Int(red), Int(green), Int(blue))
        default: return XtermPalette.rgb(ofIndex: basicIndex!)
        }
    }

    /// The basic colour (index 0–7) nearest this one: itself for a basic colour, the base
    /// of a bright variant, the nearest by RGB otherwise; nil for `.default`.
    public var nearestBasicIndex: Int? {
        if let basicIndex { return basicIndex }
        if case .indexed(let index) = self, (8..<16).contains(index) { return Int(index) - 8 }
        return rgb.map { XtermPalette.nearestANSI(to: $0, among: 8) }
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
    /// upper case when also reversed, `k` for black; a bright, palette or 24-bit colour by
    /// its nearest basic colour, ``Color/nearestBasicIndex``).
    public var letter: Character {
        if let index = foreground.nearestBasicIndex {
            let letter: Character = index == 0 ? "k" : ColorSpec.basicNames[index].first!
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
        if DisplayWidth.isPrintableASCII(character) {
            // one cell of its own text, without building the list of cells
            if row >= 0, row < height, column >= 0, column < limit { set(row, column, Cell(text: String(character), width: 1, style: style)) }
            return column + 1
        }
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

    /// Adds the zero-width marks of `character` (``DisplayWidth/joinedMarks(of:)``) to the
    /// cell at (`row`, `column`), or to the wide cell it continues, up to
    /// ``DisplayWidth/maxScalarsPerCell`` code points: a mark that starts a line inside a
    /// paragraph is drawn on the character that ends the line before it.
    public mutating func attach(_ character: Character, row: Int, column: Int) {
        guard row >= 0, row < height, column >= 0, column < width else { return }
        var index = row * width + column
        if cells[index].width == 0, column > 0 { index -= 1 }
        guard cells[index].width > 0 else { return }
        for mark in DisplayWidth.joinedMarks(of: character).unicodeScalars
        where cells[index].text.unicodeScalars.count < DisplayWidth.maxScalarsPerCell {
            cells[index].text.unicodeScalars.append(mark)
        }
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
