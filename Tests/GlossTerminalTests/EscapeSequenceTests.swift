import GlossUI
import Testing
@testable import GlossTerminal

/// The reading of what follows an Esc: bytes as terminals send them, fed one at a time
/// as the terminal layer reads them after ncurses hands over the Esc.
struct EscapeSequenceTests {
    /// Parses `bytes` (what came after the Esc); also returns how many were read.
    static func parse(_ bytes: String) -> (parsed: EscapeSequence.Parsed, read: Int) {
        var remaining = Array(bytes.unicodeScalars.map(\.value))[...]
        var read = 0
        let parsed = EscapeSequence.parse {
            guard let next = remaining.popFirst() else { return nil }
            read += 1
            return next
        }
        return (parsed, read)
    }

    @Test func loneEscapeStaysEscape() {
        let (parsed, read) = Self.parse("")
        #expect(parsed == EscapeSequence.Parsed(event: .key(.escape)))
        #expect(read == 0)
    }

    @Test func escapeThenPrintableIsAlt() {
        #expect(Self.parse("b").parsed.event == .key(.alt("b")))
        #expect(Self.parse("f").parsed.event == .key(.alt("f")))
        #expect(Self.parse("m").parsed.event == .key(.alt("m")))
        #expect(Self.parse("B").parsed.event == .key(.alt("B")))
        #expect(Self.parse("é").parsed.event == .key(.alt("é")))
        // ESC [ and ESC O with nothing after them are Alt-[ and Alt-O
        #expect(Self.parse("[").parsed.event == .key(.alt("[")))
        #expect(Self.parse("O").parsed.event == .key(.alt("O")))
    }

    @Test func escapeThenControlIsEscapeAndTheControlKey() {
        #expect(Self.parse("\u{1B}") == (EscapeSequence.Parsed(event: .key(.escape), unread: 0x1B), 1))
        #expect(Self.parse("\r").parsed == EscapeSequence.Parsed(event: .key(.escape), unread: 0x0D))
    }

    @Test func escapeThenBackspaceIsAltBackspace() {
        #expect(Self.parse("\u{7F}").parsed == EscapeSequence.Parsed(event: .key(.alt("\u{7F}"))))
        #expect(Self.parse("\u{8}").parsed == EscapeSequence.Parsed(event: .key(.alt("\u{8}"))))
    }

    @Test func homeAndEndVariants() {
        for home in ["[1~", "[7~", "[H", "OH"] {
            #expect(Self.parse(home) == (EscapeSequence.Parsed(event: .key(.home)), home.count), "\(home)")
        }
        for end in ["[4~", "[8~", "[F", "OF"] {
            #expect(Self.parse(end) == (EscapeSequence.Parsed(event: .key(.end)), end.count), "\(end)")
        }
        #expect(Self.parse("[A").parsed.event == .key(.up))
        #expect(Self.parse("OB").parsed.event == .key(.down))
        #expect(Self.parse("[5~").parsed.event == .key(.pageUp))
        #expect(Self.parse("[6~").parsed.event == .key(.pageDown))
        #expect(Self.parse("[3~").parsed.event == .key(.delete))
        #expect(Self.parse("[Z").parsed.event == .key(.backTab))
    }

    @Test func sgrMouseReports() {
        // x and y are 1-based in the report, 0-based in the event
        #expect(Self.parse("[<0;10;5M").parsed.event == .mouse(MouseEvent(.press, row: 4, column: 9)))
        #expect(Self.parse("[<32;11;5M").parsed.event == .mouse(MouseEvent(.drag, row: 4, column: 10)))
        #expect(Self.parse("[<0;12;6m").parsed.event == .mouse(MouseEvent(.release, row: 5, column: 11)))
        #expect(Self.parse("[<64;3;2M").parsed.event == .mouse(MouseEvent(.wheelUp, row: 1, column: 2)))
        #expect(Self.parse("[<65;3;2M").parsed.event == .mouse(MouseEvent(.wheelDown, row: 1, column: 2)))
        // past column 223, where the X10 encoding cannot go
        #expect(Self.parse("[<0;300;40M").parsed.event == .mouse(MouseEvent(.press, row: 39, column: 299)))
        // modifiers are ignored; Ctrl-click is a click
        #expect(Self.parse("[<16;1;1M").parsed.event == .mouse(MouseEvent(.press, row: 0, column: 0)))
        // the middle and right buttons are read whole and dropped
        let right = Self.parse("[<2;5;5M")
        #expect(right == (EscapeSequence.Parsed(event: nil), 8))
        #expect(Self.parse("[<1;5;5m").parsed.event == nil)
    }

    @Test func unknownSequencesAreSwallowedWhole() {
        // F5, Ctrl-Right, a focus report, a bad mouse report: all read to their final byte
        for junk in ["[15~", "[1;5C", "[I", "[<0;5M", "[<99;5;5M", "[<0;-1;5M", "[200~", "OP", "[?1;2c"] {
            #expect(Self.parse(junk) == (EscapeSequence.Parsed(event: nil), junk.unicodeScalars.count), "\(junk)")
        }
        // a sequence cut off is dropped, not typed
        #expect(Self.parse("[1").parsed == EscapeSequence.Parsed(event: nil))
        // cut short by the next Esc: that Esc is read again
        #expect(Self.parse("[1\u{1B}").parsed == EscapeSequence.Parsed(event: nil, unread: 0x1B))
        // one that never ends stops at the longest length read
        let endless = Self.parse("[" + String(repeating: "1", count: 100))
        #expect(endless.parsed.event == nil)
        #expect(endless.read <= EscapeSequence.maximumLength + 2)  // the [ and the byte past the limit
    }
}
