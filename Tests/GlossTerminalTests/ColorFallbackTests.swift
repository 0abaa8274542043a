import CNcursesw
import Foundation
import GlossCore
import GlossUI
import Testing
@testable import GlossTerminal

/// Colours as codebooks write them, and the colour each is drawn in on terminals with 256,
/// 16, 8 or no colours.
@Suite(.serialized)
struct ColorFallbackTests {
    @Test("colour names, bright- names and #RRGGBB parse in any case; anything else does not")
    func parsing() {
        #expect(ColorSpec("red") == .ansi(1))
        #expect(ColorSpec("White") == .ansi(7))
        #expect(ColorSpec("bright-red") == .ansi(9))
        #expect(ColorSpec("BRIGHT-Black") == .ansi(8))
        #expect(ColorSpec("#1E90FF") == .rgb(red: 0x1E, green: 0x90, blue: 0xFF))
        #expect(ColorSpec("#1e90ff") == .rgb(red: 0x1E, green: 0x90, blue: 0xFF))
        #expect(ColorSpec("#000000") == .rgb(red: 0, green: 0, blue: 0))
        for bad in ["", "#1E90F", "#1E90FFF", "1E90FF", "#1G90FF", "# 1E90F", "bright-", "bright-orange", "orange", " red", "#+1E90F", "#１E90FF"] {
            #expect(ColorSpec(bad) == nil, "\(bad) parsed")
        }
        #expect(ColorSpec("#1e90ff")!.hex == "#1E90FF")
        #expect(ColorSpec("red")!.hex == "#CD0000")
        #expect(Color(named: "bright-cyan") == .indexed(14))
        #expect(Color(named: "#00ff00") == .rgb(red: 0, green: 255, blue: 0))
        #expect(Color(named: "Cyan") == .cyan)
        #expect(Color(named: "chartreuse") == .default)
    }

    @Test("#RRGGBB takes the nearest colour-cube or grey entry of xterm's 256")
    func nearest256() {
        // exact cube and ramp entries land on themselves
        for index in 16..<256 {
            let rgb = XtermPalette.rgb(ofIndex: index)
            let found = XtermPalette.nearest256(to: rgb)
            #expect(XtermPalette.rgb(ofIndex: found) == rgb, "entry \(index) came back as \(found)")
        }
        #expect(XtermPalette.nearest256(to: (0xFF, 0x87, 0x00)) == 208)   // xterm's orange
        #expect(XtermPalette.nearest256(to: (0x1E, 0x90, 0xFF)) == 33)    // dodger blue: 0,135,255
        #expect(XtermPalette.nearest256(to: (0x80, 0x80, 0x80)) == 244)   // grey 128
        #expect(XtermPalette.nearest256(to: (0x12, 0x12, 0x12)) == 233)   // near-black grey, not cube black
        #expect(XtermPalette.nearest256(to: (0xFF, 0xFF, 0xFF)) == 231)
        #expect(XtermPalette.nearest256(to: (0, 0, 0)) == 16)
    }

    @Test("the colour number on terminals with 256, 16, 8 and no colours")
    func colorNumbers() {
        let orange = Color(named: "#FF8700")
        #expect(Terminal.colorNumber(orange, colors: 256) == 208)
        #expect(Terminal.colorNumber(orange, colors: 16) == 3)    // yellow (205,205,0) is nearer than bright yellow
        #expect(Terminal.colorNumber(orange, colors: 8) == 3)     // yellow
        #expect(Terminal.colorNumber(orange, colors: 0) == -1)
        let navy = Color(named: "#000080")
        #expect(Terminal.colorNumber(navy, colors: 8) == 4)       // blue, not black
        #expect(Terminal.colorNumber(Color(named: "#FFFFFF"), colors: 8) == 7)
        #expect(Terminal.colorNumber(Color(named: "#FFFFFF"), colors: 16) == 15)
        // named colours are themselves everywhere; bright names fall back to their base on 8
        for (index, color) in Color.basic.enumerated() {
            for colors in [8, 16, 88, 256] { #expect(Terminal.colorNumber(color, colors: colors) == index) }
        }
        #expect(Terminal.colorNumber(Color(named: "bright-red"), colors: 256) == 9)
        #expect(Terminal.colorNumber(Color(named: "bright-red"), colors: 16) == 9)
        #expect(Terminal.colorNumber(Color(named: "bright-red"), colors: 8) == 1)
        #expect(Terminal.colorNumber(.indexed(208), colors: 256) == 208)
        #expect(Terminal.colorNumber(.indexed(208), colors: 88) < 16)
        #expect(Terminal.colorNumber(.default, colors: 256) == -1)
    }

    @Test("colour pairs are made once per pair of colours and never more than COLOR_PAIRS - 1")
    func pairCacheIsBounded() {
        var defined: [(Int16, Int16, Int16)] = []
        var pairs = ColorPairs(colors: 256, limit: 4)
        let red = Style(foreground: .red)
        #expect(pairs.pair(for: .plain) { defined.append(($0, $1, $2)) } == 0)
        #expect(pairs.pair(for: red) { defined.append(($0, $1, $2)) } == 1)
        #expect(pairs.pair(for: Style(foreground: .red, bold: true)) { defined.append(($0, $1, $2)) } == 1)
        #expect(pairs.pair(for: Style(foreground: .rgb(red: 255, green: 135, blue: 0))) { defined.append(($0, $1, $2)) } == 2)
        // another 24-bit colour with the same nearest entry shares its pair
        #expect(pairs.pair(for: Style(foreground: .rgb(red: 250, green: 140, blue: 4))) { defined.append(($0, $1, $2)) } == 2)
        #expect(pairs.pair(for: Style(foreground: .cyan, background: .black)) { defined.append(($0, $1, $2)) } == 3)
        // pairs 1-3 are taken: a fourth colour is drawn in the default colours
        #expect(pairs.pair(for: Style(foreground: .green)) { defined.append(($0, $1, $2)) } == 0)
        #expect(pairs.pair(for: red) { defined.append(($0, $1, $2)) } == 1)
        #expect(defined.map(\.0) == [1, 2, 3])
        #expect(defined.map(\.1) == [1, 208, 6])
        #expect(defined.map(\.2) == [-1, -1, 0])
        var none = ColorPairs(colors: 0, limit: 64)
        #expect(none.pair(for: red) { _, _, _ in Issue.record("a pair was made without colours") } == 0)
    }

    @Test("in a real 256-colour ncurses screen #FF8700 is drawn with a pair of colour 208 on the default background")
    func realNcurses256() throws {
        try NcursesRoundTripTests.withScreen(terminalType: "xterm-256color", width: 20, height: 2) { window in
            #expect(has_colors())
            #expect(start_color() == OK)
            #expect(use_default_colors() == OK)
            let colors = Int(gloss_colors())
            #expect(colors == 256)
            var pairs = ColorPairs(colors: colors, limit: Int(gloss_color_pairs()))
            var buffer = ScreenBuffer(width: 20, height: 2)
            buffer.put("orange", row: 0, column: 0, style: Style(foreground: Color(named: "#ff8700")))
            buffer.put("plain", row: 1, column: 0, style: .plain)
            Terminal.paint(buffer, over: nil, in: window) { style in
                pairs.pair(for: style) { pair, foreground, background in #expect(init_pair(pair, foreground, background) == OK) }
            }
            var text = [wchar_t](repeating: 0, count: 8)
            var attributes: attr_t = 0
            var pair: Int16 = -1
            #expect(gloss_read_cell(window, 0, 0, &text, 8, &attributes, &pair) == OK)
            #expect(pair > 0)
            var foreground: Int16 = 0, background: Int16 = 0
            #expect(pair_content(pair, &foreground, &background) == OK)
            #expect(foreground == 208)
            #expect(background == -1)
            #expect(gloss_read_cell(window, 1, 0, &text, 8, &attributes, &pair) == OK)
            #expect(pair == 0)
        }
    }

    @Test("in a real 8-colour ncurses screen #FF8700 is drawn in yellow")
    func realNcurses8() throws {
        try NcursesRoundTripTests.withScreen(terminalType: "xterm", width: 20, height: 1) { window in
            #expect(start_color() == OK)
            #expect(use_default_colors() == OK)
            let colors = Int(gloss_colors())
            #expect(colors == 8)
            var pairs = ColorPairs(colors: colors, limit: Int(gloss_color_pairs()))
            let pair = pairs.pair(for: Style(foreground: Color(named: "#FF8700"))) { pair, foreground, background in
                #expect(init_pair(pair, foreground, background) == OK)
            }
            var foreground: Int16 = 0, background: Int16 = 0
            #expect(pair_content(pair, &foreground, &background) == OK)
            #expect(foreground == Int16(COLOR_YELLOW))
        }
    }
}
