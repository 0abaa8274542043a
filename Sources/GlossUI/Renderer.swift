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
        if state.mode == .help { drawHelp(state, into: &buffer) }
        return buffer
    }

    /// `text` cut to `columns` with an ellipsis when it is longer.
    static func truncate(_ text: String, to columns: Int) -> String {
        guard columns > 0 else { return "" }
        if DisplayWidth.columns(of: text) <= columns { return text }
        var result = ""
        var used = 0
        for character in text {
            let width = DisplayWidth.columns(of: character)
            if used + width > columns - 1 { break }
            result.append(character)
            used += width
        }
        return result + "…"
    }
}
