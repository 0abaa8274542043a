/// Line editing keys shared by every one-line prompt, as readline binds them (GNU
/// Readline manual, "Commands for Moving" and "Commands for Changing Text").
public enum LineEditing {
    /// What a key did to a line.
    public enum Outcome: Equatable, Sendable {
        /// The text changed.
        case edited
        /// Only the insertion point moved.
        case moved
        /// The key is no editing key; the line is as it was.
        case ignored
    }

    /// Applies the editing `key` to `characters` with the insertion point `cursor` (in
    /// characters): typing, Backspace/Ctrl-H, Del/Ctrl-D, ← → Ctrl-B Ctrl-F, Home/Ctrl-A,
    /// End/Ctrl-E, Ctrl-U (delete to the start), Ctrl-K (delete to the end), Ctrl-W
    /// (delete the whitespace-separated word before the cursor), Alt-B and Alt-F (a word
    /// left and right), Alt-D (delete the word after) and Alt-Backspace (the word before).
    /// Words of Alt-B, Alt-F, Alt-D and Alt-Backspace are runs of letters and digits.
    public static func apply(_ key: Key, to characters: inout [Character], cursor: inout Int) -> Outcome {
        cursor = max(0, min(cursor, characters.count))
        switch key {
        case .character(let character):
            characters.insert(character, at: cursor)
            cursor += 1
            return .edited
        case .backspace, .control("h"):
            guard cursor > 0 else { return .ignored }
            characters.remove(at: cursor - 1)
            cursor -= 1
            return .edited
        case .delete, .control("d"):
            guard cursor < characters.count else { return .ignored }
            characters.remove(at: cursor)
            return .edited
        case .left, .control("b"): cursor = max(0, cursor - 1); return .moved
        case .right, .control("f"): cursor = min(characters.count, cursor + 1); return .moved
        case .home, .control("a"): cursor = 0; return .moved
        case .end, .control("e"): cursor = characters.count; return .moved
        case .control("u"):
            guard cursor > 0 else { return .ignored }
            characters.removeSubrange(0..<cursor)
            cursor = 0
            return .edited
        case .control("k"):
            guard cursor < characters.count else { return .ignored }
            characters.removeSubrange(cursor...)
            return .edited
        case .control("w"):
            let start = wordStart(before: cursor, in: characters, isWord: { !$0.isWhitespace })
            guard start < cursor else { return .ignored }
            characters.removeSubrange(start..<cursor)
            cursor = start
            return .edited
        case .alt("b"), .alt("B"):
            cursor = wordStart(before: cursor, in: characters, isWord: isWordCharacter)
            return .moved
        case .alt("f"), .alt("F"):
            cursor = wordEnd(after: cursor, in: characters)
            return .moved
        case .alt("d"), .alt("D"):
            let end = wordEnd(after: cursor, in: characters)
            guard end > cursor else { return .ignored }
            characters.removeSubrange(cursor..<end)
            return .edited
        case .alt("\u{7f}"), .alt("\u{8}"):
            let start = wordStart(before: cursor, in: characters, isWord: isWordCharacter)
            guard start < cursor else { return .ignored }
            characters.removeSubrange(start..<cursor)
            cursor = start
            return .edited
        default:
            return .ignored
        }
    }

    static func isWordCharacter(_ character: Character) -> Bool { character.isLetter || character.isNumber }

    /// The start of the word before `cursor`: back over what is no word, then over the word.
    static func wordStart(before cursor: Int, in characters: [Character], isWord: (Character) -> Bool) -> Int {
        var index = cursor
        while index > 0, !isWord(characters[index - 1]) { index -= 1 }
        while index > 0, isWord(characters[index - 1]) { index -= 1 }
        return index
    }

    /// The end of the word after `cursor`: on over what is no word, then over the word.
    static func wordEnd(after cursor: Int, in characters: [Character]) -> Int {
        var index = cursor
        while index < characters.count, !isWordCharacter(characters[index]) { index += 1 }
        while index < characters.count, isWordCharacter(characters[index]) { index += 1 }
        return index
    }
}
