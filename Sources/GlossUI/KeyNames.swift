import GlossCore

/// Why a key name in a configuration file names no key.
public struct KeyNameError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What is wrong and what to write instead.
    public var description: String
}

extension Key {
    /// The keys a configuration file writes by name, lower case (names are read without
    /// regard to case): the names ``label`` gives, the arrows' names, and a few aliases.
    static let names: [String: Key] = [
        "space": .character(" "), "enter": .enter, "return": .enter, "esc": .escape, "escape": .escape,
        "tab": .tab, "shift-tab": .backTab, "backtab": .backTab, "backspace": .backspace,
        "del": .delete, "delete": .delete, "up": .up, "down": .down, "left": .left, "right": .right,
        "pgup": .pageUp, "pageup": .pageUp, "pgdn": .pageDown, "pagedown": .pageDown, "home": .home, "end": .end,
    ]

    /// The control keys a terminal sends as other keys: Ctrl-H as Backspace, Ctrl-I as
    /// Tab, Ctrl-M as Enter; Ctrl-J is Enter outside prompts.
    static let controlAliases: [Character: String] = ["h": "Backspace", "i": "Tab", "j": "Enter", "m": "Enter"]

    /// How a configuration file writes the key: ``label``, but `Up` `Down` `Left` `Right`
    /// for the arrows (``init(configName:)`` reads both).
    public var configName: String {
        switch self {
        case .up: return "Up"
        case .down: return "Down"
        case .left: return "Left"
        case .right: return "Right"
        default: return label
        }
    }

    /// The key a configuration file names: one character (`j`, `?`, `A`: case counts), a
    /// name (`Space`, `Enter`, `Esc`, `Tab`, `Shift-Tab`, `Backspace`, `Del`, `Up`,
    /// `Down`, `Left`, `Right` or the arrows `↑` `↓` `←` `→`, `PgUp`, `PgDn`, `Home`,
    /// `End`: case does not count), `Ctrl-` and a letter, or `Alt-` and a character: the
    /// inverse of ``label``.
    /// - Throws: ``KeyNameError`` for an unknown name, a control character, a character of
    ///   several code points, a digit (digits are counts, as in `5j`), a Ctrl key the
    ///   terminal sends as another key, or Ctrl-Z (suspend).
    public init(configName name: String) throws {
        let lower = name.lowercased()
        if let key = Key.names[lower] {
            self = key
            return
        }
        if name.count == 1, let character = name.first {
            switch character {
            case "↑": self = .up
            case "↓": self = .down
            case "←": self = .left
            case "→": self = .right
            default:
                if character.unicodeScalars.contains(where: DisplayWidth.isControl) {
                    throw KeyNameError(description: "key \"\(ControlPictures.visible(name))\" is a control character; write its name (Tab, Enter, Esc, Ctrl-X)")
                }
                // the terminal sends a key as one scalar; e + U+0301 or an emoji sequence never arrives as one
                if character.unicodeScalars.count > 1 {
                    throw KeyNameError(description: "key \"\(ControlPictures.visible(name))\" is several characters (\(character.unicodeScalars.count) code points); a key is one character a keyboard sends")
                }
                if character.isASCII && character.isNumber {
                    throw KeyNameError(description: "key \"\(name)\": digits are counts (5j), not keys")
                }
                self = .character(character)
            }
            return
        }
        if lower.hasPrefix("ctrl-"), name.count == 6, let letter = lower.last {
            guard letter.isASCII && letter.isLetter else {
                throw KeyNameError(description: "key \"\(ControlPictures.visible(name))\": Ctrl- takes a letter, as in Ctrl-N")
            }
            if let alias = Key.controlAliases[letter] {
                throw KeyNameError(description: "key \"\(name)\" reaches Gloss as \(alias); write \(alias)")
            }
            if letter == "z" {
                throw KeyNameError(description: "key \"\(name)\" suspends Gloss, as in every terminal program (fg brings it back); choose another key")
            }
            self = .control(letter)
            return
        }
        if lower.hasPrefix("alt-"), name.count == 5, let character = name.last {
            guard !character.unicodeScalars.contains(where: DisplayWidth.isControl), !character.isWhitespace,
                  character.unicodeScalars.count == 1 else {
                throw KeyNameError(description: "key \"\(ControlPictures.visible(name))\": Alt- takes one visible character, as in Alt-b")
            }
            self = .alt(character)
            return
        }
        throw KeyNameError(description: "unknown key name \"\(ControlPictures.visible(name))\"; write a character, Space, Enter, Esc, Tab, Shift-Tab, Backspace, Del, Up, Down, Left, Right, PgUp, PgDn, Home, End, Ctrl-X or Alt-X")
    }
}
