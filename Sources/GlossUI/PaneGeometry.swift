import Foundation
import GlossCore

/// Where the panes go: the text pane, the annotation list and the status row. Below 80
/// columns the list goes under the text instead of beside it.
public struct PaneGeometry: Hashable, Sendable {
    /// A rectangle of cells.
    public struct Rect: Hashable, Sendable {
        public var row: Int, column: Int, width: Int, height: Int
    }

    /// Blank columns on each side of the text.
    public static let textMargin = 1
    /// Terminals smaller than this show only "terminal too small".
    public static let minimumWidth = 20, minimumHeight = 6

    /// The text pane.
    public let text: Rect
    /// The annotation list.
    public let list: Rect
    /// True when the list is beside the text; false when below it.
    public let sideBySide: Bool
    /// The status row (the last row).
    public let statusRow: Int
    /// True when the terminal is below the minimum size.
    public let tooSmall: Bool
    /// The note editor's box: the text pane, or every row but the status row when the
    /// text pane is too small to edit in (fewer than 5 rows or 12 columns).
    public let editor: Rect

    /// The layout for a terminal of `width` x `height` cells, the list `listWidth` wide
    /// when it stands beside the text.
    public init(width: Int, height: Int, listWidth: ListWidth = .automatic) {
        tooSmall = width < PaneGeometry.minimumWidth || height < PaneGeometry.minimumHeight
        statusRow = max(0, height - 1)
        let body = max(0, height - 1)
        if width >= 80 {
            sideBySide = true
            let listWidth = listWidth.columns(forWidth: width)
            text = Rect(row: 0, column: 0, width: width - listWidth - 1, height: body)
            list = Rect(row: 0, column: width - listWidth, width: listWidth, height: body)
        } else {
            sideBySide = false
            let listHeight = max(3, body / 3)
            text = Rect(row: 0, column: 0, width: width, height: max(0, body - listHeight - 1))
            list = Rect(row: body - listHeight, column: 0, width: width, height: listHeight)
        }
        editor = text.height >= 5 && text.width >= 12 ? text : Rect(row: 0, column: 0, width: max(0, width), height: body)
    }
}
