import GlossCore

/// Draws an ``AppState`` into a ``ScreenBuffer``: the text pane, the annotation list, the
/// status line, and the prompt or help overlay. Pure: the same state gives the same screen.
public enum Renderer {
    /// The screen for `state` at its terminal size.
    public static func render(_ state: AppState) -> ScreenBuffer {
        var buffer = ScreenBuffer(width: state.screenWidth, height: state.screenHeight)
        let geometry = state.geometry
        if geometry.tooSmall {
            let words = ["terminal", "too small"]
            for (index, word) in words.enumerated() where index < buffer.height {
                buffer.put(word, row: index, column: 0, style: .plain)
            }
            return buffer
        }
        drawText(state, geometry.text, into: &buffer)
        drawBorder(geometry, theme: state.theme, into: &buffer)
        drawList(state, geometry.list, into: &buffer)
        drawStatus(state, row: geometry.statusRow, into: &buffer)
        if state.detailAnnotation != nil { drawDetail(state, into: &buffer) }
        if state.showsCodebook { drawCodebook(state, into: &buffer) }
        if state.showsSummary { drawSummary(state, into: &buffer) }
        if state.mode == .help { drawHelp(state, into: &buffer) }
        if state.mode == .editor, let editor = state.editor { drawEditor(editor, state: state, into: &buffer) }
        return buffer
    }

    /// `text` cut to `columns` with an ellipsis when it is longer. Reads only as far as
    /// the cut, so a quote of a million characters costs what its first line costs.
    static func truncate(_ text: String, to columns: Int) -> String {
        guard columns > 0 else { return "" }
        var used = 0
        var fitsWithEllipsis = text.startIndex  // where the text is cut if it is too long
        var index = text.startIndex
        while index < text.endIndex {
            let width = DisplayWidth.columns(of: text[index])
            if used + width > columns { return String(text[..<fitsWithEllipsis]) + "…" }
            used += width
            index = text.index(after: index)
            if used <= columns - 1 { fitsWithEllipsis = index }
        }
        return text
    }
}
