import GlossUI

/// What follows an Esc the terminal sent, read into a key or a mouse report. With keypad
/// mode on, ncurses turns the sequences terminfo knows into key codes and hands the others
/// over as Esc followed by their characters; this reads those: Esc and a printable
/// character is Alt plus it, the Home and End variants terminals send (`ESC [ 1 ~`,
/// `ESC [ 7 ~`, `ESC [ H`, `ESC O H`; `ESC [ 4 ~`, `ESC [ 8 ~`, `ESC [ F`, `ESC O F`) and
/// the arrows, page and delete keys (ECMA-48 control sequences, xterm's `ctlseqs`), and
/// xterm's SGR mouse reports (`ESC [ < b ; x ; y M` or `m`). A sequence it does not know
/// is read to its end and dropped, so its characters never arrive as typed text.
enum EscapeSequence {
    /// The outcome of reading after an Esc.
    struct Parsed: Equatable {
        /// The key or mouse report; nil for a sequence that is dropped.
        var event: TerminalEvent?
        /// A character read past the sequence that belongs to the next input (the second
        /// Esc of Esc Esc, the control key after a lone Esc), to be read again.
        var unread: UInt32?
    }

    /// The longest control sequence read; a longer one is dropped whole.
    static let maximumLength = 32

    /// Reads what follows an Esc.
    /// - Parameter next: the next character (a Unicode scalar value), or nil when none
    ///   arrives in time (the sequence ended, or the Esc was pressed alone).
    /// - Returns: the key (``Key/escape`` for a lone Esc, ``Key/alt(_:)``, Home, End, ...),
    ///   the mouse report, or nothing for a sequence that is dropped.
    static func parse(_ next: () -> UInt32?) -> Parsed {
        guard let first = next() else { return Parsed(event: .key(.escape)) }
        switch first {
        case 0x5B: return controlSequence(next)  // [
        case 0x4F: return singleShift(next)  // O
        case 0x1B: return Parsed(event: .key(.escape), unread: first)
        // Esc then Backspace (DEL, or ^H): Alt-Backspace, readline's delete a word back
        case 0x7F, 0x08: return Parsed(event: .key(.alt(Character(Unicode.Scalar(UInt8(first))))))
        default:
            // Esc then a control character: a lone Esc, and the control key after it
            guard isPrintable(first), let scalar = Unicode.Scalar(first) else { return Parsed(event: .key(.escape), unread: first) }
            return Parsed(event: .key(.alt(Character(scalar))))
        }
    }

    /// Reads after `ESC [`: parameter bytes (0x30-0x3F), intermediate bytes (0x20-0x2F)
    /// and a final byte (0x40-0x7E), as ECMA-48 §5.4 lays a control sequence out.
    static func controlSequence(_ next: () -> UInt32?) -> Parsed {
        guard var character = next() else { return Parsed(event: .key(.alt("["))) }
        var parameters = ""
        var length = 0
        while true {
            length += 1
            guard length <= maximumLength, let scalar = Unicode.Scalar(character) else { return Parsed(event: nil) }
            switch character {
            case 0x20...0x3F:
                parameters.unicodeScalars.append(scalar)
            case 0x40...0x7E:
                return Parsed(event: meaning(parameters: parameters, final: Character(scalar)))
            case 0x1B:
                // a sequence cut short by the next one
                return Parsed(event: nil, unread: character)
            default:
                return Parsed(event: nil)
            }
            guard let following = next() else { return Parsed(event: nil) }
            character = following
        }
    }

    /// What a complete control sequence means; nil for one Gloss does not use.
    static func meaning(parameters: String, final: Character) -> TerminalEvent? {
        if parameters.hasPrefix("<"), final == "M" || final == "m" {
            return mouse(parameters: parameters.dropFirst(), released: final == "m").map(TerminalEvent.mouse)
        }
        if parameters.isEmpty {
            switch final {
            case "A": return .key(.up)
            case "B": return .key(.down)
            case "C": return .key(.right)
            case "D": return .key(.left)
            case "H": return .key(.home)
            case "F": return .key(.end)
            case "Z": return .key(.backTab)
            default: return nil
            }
        }
        guard final == "~" else { return nil }
        switch parameters {
        case "1", "7": return .key(.home)
        case "4", "8": return .key(.end)
        case "3": return .key(.delete)
        case "5": return .key(.pageUp)
        case "6": return .key(.pageDown)
        default: return nil
        }
    }

    /// An SGR mouse report's `b;x;y` (x and y 1-based): the left button (0) pressed,
    /// dragged (motion bit 32) or released, or the wheel (64 up, 65 down); the modifier
    /// bits (4 Shift, 8 Alt, 16 Ctrl) are ignored. Other buttons give nil.
    static func mouse(parameters: Substring, released: Bool) -> MouseEvent? {
        let numbers = parameters.split(separator: ";", omittingEmptySubsequences: false).map { Int($0) }
        guard numbers.count == 3, let button = numbers[0], let x = numbers[1], let y = numbers[2], x >= 1, y >= 1 else { return nil }
        let code = button & ~(4 | 8 | 16)
        let kind: MouseEvent.Kind
        switch (code, released) {
        case (0, false): kind = .press
        case (32, false): kind = .drag
        case (0, true), (32, true): kind = .release
        case (64, false): kind = .wheelUp
        case (65, false): kind = .wheelDown
        default: return nil
        }
        return MouseEvent(kind, row: y - 1, column: x - 1)
    }

    /// Reads after `ESC O` (SS3, what terminals in application keypad mode send).
    static func singleShift(_ next: () -> UInt32?) -> Parsed {
        guard let character = next() else { return Parsed(event: .key(.alt("O"))) }
        switch character {
        case 0x41: return Parsed(event: .key(.up))
        case 0x42: return Parsed(event: .key(.down))
        case 0x43: return Parsed(event: .key(.right))
        case 0x44: return Parsed(event: .key(.left))
        case 0x48: return Parsed(event: .key(.home))
        case 0x46: return Parsed(event: .key(.end))
        case 0x1B: return Parsed(event: nil, unread: character)
        default: return Parsed(event: nil)
        }
    }

    /// True for a character that is typed text: not a C0 or C1 control nor DEL.
    static func isPrintable(_ value: UInt32) -> Bool {
        value >= 0x20 && value != 0x7F && !(0x80...0x9F).contains(value) && Unicode.Scalar(value) != nil
    }
}
