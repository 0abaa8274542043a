/// A mouse report from the terminal (xterm's SGR encoding, mode 1006): the left button
/// pressed, dragged or released, or the wheel turned, at a cell. Rows and columns are
/// 0-based cells of the screen.
public struct MouseEvent: Hashable, Sendable {
    /// What the mouse did.
    public enum Kind: Hashable, Sendable {
        /// The left button went down.
        case press
        /// The mouse moved with the left button down.
        case drag
        /// The left button came up.
        case release
        /// The wheel turned away from the user (scroll up).
        case wheelUp
        /// The wheel turned towards the user (scroll down).
        case wheelDown
    }

    /// What the mouse did.
    public var kind: Kind
    /// The screen row, 0 at the top.
    public var row: Int
    /// The screen column, 0 at the left.
    public var column: Int

    /// A report of `kind` at `row`, `column` (0-based cells).
    public init(_ kind: Kind, row: Int, column: Int) {
        self.kind = kind
        self.row = row
        self.column = column
    }
}
