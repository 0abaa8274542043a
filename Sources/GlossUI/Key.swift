/// A key press, as the terminal backend reports it.
public enum Key: Hashable, Sendable {
    /// A printable character.
    case character(Character)
    /// Ctrl plus a letter, given in lower case (`.control("d")` is Ctrl-D).
    case control(Character)
    /// Alt (Meta) plus a character, as terminals send it: Esc followed by the character
    /// (`.alt("b")` is Alt-B, readline's word left).
    case alt(Character)
    case up, down, left, right, pageUp, pageDown, home, end
    case enter, escape, backspace, delete, tab, backTab

    /// How the key is written in help and messages: `j`, `Ctrl-D`, `PgDn`, `Esc`.
    public var label: String {
        switch self {
        case .character(" "): return "Space"
        case .character(let character): return String(character)
        case .control(let letter): return "Ctrl-" + letter.uppercased()
        case .alt(let character): return "Alt-" + String(character)
        case .up: return "↑"
        case .down: return "↓"
        case .left: return "←"
        case .right: return "→"
        case .pageUp: return "PgUp"
        case .pageDown: return "PgDn"
        case .home: return "Home"
        case .end: return "End"
        case .enter: return "Enter"
        case .escape: return "Esc"
        case .backspace: return "Backspace"
        case .delete: return "Del"
        case .tab: return "Tab"
        case .backTab: return "Shift-Tab"
        }
    }
}

extension Key {
    /// The count typed so far (`pending`) with this key added, when it is a count's digit
    /// as in vim and less: 1 to 9, or 0 after another digit, and not `bound` to an action
    /// (a codebook may bind digits as tag keys); nil when it is not. At most 9,999.
    func addingToCount(_ pending: Int?, bound: Bool) -> Int? {
        guard !bound, case .character(let character) = self, character.isASCII, let digit = character.wholeNumberValue,
              digit > 0 || pending != nil else { return nil }
        return min(9_999, (pending ?? 0) * 10 + digit)
    }
}
