import GlossCore

/// The mouse in the reader: a click focuses the sentence under it, a drag selects a span,
/// the wheel scrolls the text or the list, a click on the list shows that annotation.
extension AppState {
    /// Rows the wheel scrolls the text by, per notch.
    public static let wheelRows = 3

    /// Handles a mouse report (``MouseEvent``, 0-based screen cells): in the text pane a
    /// press focuses the sentence under the cell, a press, drag and release there selects
    /// from the pressed grapheme to the released one (leaving the reader in
    /// ``Mode/selecting``, as `v` and moves do), the wheel scrolls by ``wheelRows``; over
    /// the annotation list a press shows the entry (as Enter on it there) and the wheel
    /// moves the highlight. The status line, the borders, prompts, the note editor and
    /// overlays take no clicks.
    /// - Returns: the effects to carry out, as ``handle(key:)``.
    public mutating func handle(mouse event: MouseEvent) -> [Effect] {
        if let job = searchJob {
            // as a key does, a click stops a running search and does nothing else
            searchJob = nil
            message = "Search for \(job.text) stopped"
            messageIsError = false
            return []
        }
        guard !geometry.tooSmall, [.reading, .selecting, .list].contains(mode) else {
            mouseDrag = nil
            return []
        }
        let geometry = self.geometry
        switch event.kind {
        case .wheelUp, .wheelDown:
            let down = event.kind == .wheelDown
            if contains(geometry.list, event) {
                guard listEntryCount > 0 else { return [] }
                if mode != .list { _ = update(.switchPane) }
                selectListEntry(listIndex + (down ? 1 : -1))
            } else if contains(geometry.text, event) {
                if mode == .selecting {
                    // the selection stays; the next move brings its end back into view
                    var newTop = move(top, by: down ? AppState.wheelRows : -AppState.wheelRows)
                    if down, let last = lastTop(near: newTop), isBefore(last, newTop) { newTop = isBefore(last, top) ? top : last }
                    top = newTop
                } else {
                    if mode == .list { mode = .reading }
                    message = nil
                    page(by: down ? AppState.wheelRows : -AppState.wheelRows)
                }
            }
            return []
        case .press:
            mouseDrag = nil
            if contains(geometry.list, event) { return click(listRow: event.row - geometry.list.row) }
            guard contains(geometry.text, event), let glyph = glyph(atRow: event.row, column: event.column) else { return [] }
            message = nil
            messageIsError = false
            pendingCount = nil
            if mode == .selecting {
                // a click leaves the selection, as Esc would
                selection = nil
            }
            mode = .reading
            moveFocus(toOffset: glyph.lowerBound)
            mouseDrag = MouseDrag(pressed: glyph, dragged: false)
            return []
        case .drag:
            guard var drag = mouseDrag else { return [] }
            // past the pane's edges the nearest row of the text counts, so a drag can
            // run to the pane's first or last row
            let text = geometry.text
            let row = min(max(event.row, text.row), text.row + text.height - 1)
            guard let glyph = glyph(atRow: row, column: event.column) else { return [] }
            drag.dragged = true
            mouseDrag = drag
            selectDragged(from: drag.pressed, to: glyph)
            return []
        case .release:
            defer { mouseDrag = nil }
            guard let drag = mouseDrag, drag.dragged else { return [] }
            let text = geometry.text
            let row = min(max(event.row, text.row), text.row + text.height - 1)
            // the status line then counts the selected characters
            if let glyph = glyph(atRow: row, column: event.column) { selectDragged(from: drag.pressed, to: glyph) }
            return []
        }
    }

    /// Selects from the grapheme `pressed` to the grapheme `released` (code points), both
    /// included, the released end being the one keys move.
    mutating func selectDragged(from pressed: Range<Int>, to released: Range<Int>) {
        let forward = released.lowerBound >= pressed.lowerBound
        selection = forward ? Selection(anchor: pressed.lowerBound, active: max(pressed.upperBound, released.upperBound))
            : Selection(anchor: pressed.upperBound, active: released.lowerBound)
        mode = .selecting
        focus = sentence(containing: released.lowerBound).map(shown) ?? focus
    }

    /// A press on row `row` of the annotation list (0 is its heading): shows that entry,
    /// as Enter on it in the list does.
    mutating func click(listRow row: Int) -> [Effect] {
        let window = Renderer.listWindow(self, height: geometry.list.height)
        guard row >= 1 else { return [] }
        let slot = (row - 1) / Renderer.entryRows
        let index = window.first + slot
        guard slot < window.capacity, index < listEntryCount else { return [] }
        message = nil
        messageIsError = false
        selection = nil
        mode = .list
        selectListEntry(index)
        return update(.openListSelection)
    }

    func contains(_ rect: PaneGeometry.Rect, _ event: MouseEvent) -> Bool {
        (rect.row..<(rect.row + rect.height)).contains(event.row) && (rect.column..<(rect.column + rect.width)).contains(event.column)
    }

    /// The code points of the grapheme drawn at screen cell (`row`, `column`) of the text
    /// pane, through the wrapped lines the pane shows from ``top``: the grapheme covering
    /// the cell (either half of a wide character), else the nearest one on that row (a
    /// click in the margin or past the line's end); nil for a row with no text (between
    /// paragraphs, past the document's end).
    public func glyph(atRow row: Int, column: Int) -> Range<Int>? {
        let pane = geometry.text
        let index = row - pane.row
        guard index >= 0, index < pane.height, !document.isEmpty else { return nil }
        var position = top
        for _ in 0..<index {
            guard let next = nextRow(position) else { return nil }
            position = next
        }
        let lines = cache.lines(position.paragraph, part: position.part, width: wrapWidth)
        guard position.line < lines.count else { return nil }
        // the glyphs the pane draws: those with columns, inside the wrap width
        let drawn = lines[position.line].glyphs.filter { $0.width > 0 && $0.column + $0.width <= wrapWidth }
        guard let first = drawn.first else { return nil }
        let cell = column - pane.column - PaneGeometry.textMargin
        if let hit = drawn.first(where: { $0.column <= cell && cell < $0.column + $0.width }) { return hit.range }
        if cell < first.column { return first.range }
        return (drawn.last { $0.column <= cell } ?? first).range
    }
}

/// A press in the text that a drag may turn into a selection.
struct MouseDrag: Hashable, Sendable {
    /// The grapheme pressed on (code points).
    var pressed: Range<Int>
    /// True once the mouse moved with the button down.
    var dragged: Bool
}
