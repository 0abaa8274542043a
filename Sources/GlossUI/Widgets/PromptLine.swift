import GlossCore

/// The prompt on the bottom line and, for tag values, its completions on the row above.
extension Renderer {
    static func drawPrompt(_ prompt: Prompt, row: Int, theme: Theme, into buffer: inout ScreenBuffer) {
        let plain = theme.text
        buffer.fill(row: row, columns: 0..<buffer.width, style: plain)
        // a question has no answer to make room for; the end of a label (its "(y/n)", its
        // "Save to:") always shows when the reason before it is cut
        let room: Int, kept: String
        switch prompt.purpose {
        case .confirm: (room, kept) = (buffer.width - 1, " (y/n) ")
        case .saveElsewhere: (room, kept) = (max(2, buffer.width / 2), " Save to: ")
        default: (room, kept) = (max(2, buffer.width / 2), "")
        }
        let label = !kept.isEmpty && prompt.label.hasSuffix(kept) && DisplayWidth.columns(of: prompt.label) > room
            ? truncate(String(prompt.label.dropLast(kept.count)), to: max(1, room - kept.count)) + kept
            : truncate(prompt.label, to: room)
        var column = buffer.put(label, row: row, column: 0, style: theme.heading)
        let characters = Array(prompt.text)
        // keep the insertion point on screen by dropping characters from the left, counted
        // back from the cursor so that a long answer (a pasted note) costs one pass
        var first = prompt.cursor
        var shown = 0
        while first > 0 {
            let width = DisplayWidth.columns(of: characters[first - 1])
            if shown + width > buffer.width - column - 2 { break }
            shown += width
            first -= 1
        }
        for (index, character) in characters.enumerated().dropFirst(first) {
            column = buffer.put(character: character, row: row, column: column, style: index == prompt.cursor ? theme.promptCursor : plain)
        }
        if prompt.cursor >= characters.count { buffer.put(" ", row: row, column: column, style: theme.promptCursor) }
        let isTagValue = prompt.purpose.asksForValue
        let isCommand = prompt.purpose == .command
        guard isTagValue || isCommand || prompt.purpose == .filter else { return }
        guard row > 0 else { return }
        let matches = prompt.matches
        let above = row - 1
        buffer.fill(row: above, columns: 0..<buffer.width, style: theme.promptCursor)
        // Enter takes the highlighted value in a tag prompt; a filter takes what is typed
        let highlighted = isTagValue ? prompt.highlightedMatch : prompt.completionIndex
        let none = isTagValue ? " new value; Enter accepts"
            : isCommand ? (prompt.text.isEmpty || prompt.choices.isEmpty ? " Enter runs it; Tab completes; ↑ ↓ earlier lines" : " no such name; Enter runs it")
            : " no such category or value; Enter filters by words of notes"
        var matchColumn = buffer.put(matches.isEmpty ? none : " Tab:", row: above, column: 0, style: theme.promptCursor)
        var allShown = true
        for (index, match) in matches.enumerated() {
            let text = " " + match + " "
            if matchColumn + DisplayWidth.columns(of: text) > buffer.width - 2 {
                buffer.put("…", row: above, column: matchColumn, style: theme.promptCursor)
                allShown = false
                break
            }
            let isCurrent = index == highlighted
            matchColumn = buffer.put(text, row: above, column: matchColumn, style: isCurrent ? theme.currentCompletion : theme.promptCursor)
        }
        let hint = " Enter takes the underlined one; Ctrl-J keeps what is typed"
        if isTagValue, highlighted != nil, allShown, matchColumn + DisplayWidth.columns(of: hint) <= buffer.width - 1 {
            buffer.put(hint, row: above, column: matchColumn, style: theme.promptCursor)
        }
    }
}
