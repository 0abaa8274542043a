import Foundation
import GlossTestSupport
import Testing

/// `NO_COLOR` in a real terminal: the screen tmux holds has no colour at all, while reverse
/// video and underline still mark the focus and the tagged text; without it the same
/// screen has colours.
@Suite(.serialized)
struct ThemeEndToEndTests {
    /// What the SGR sequences (`ESC [ … m`) in `rows` set: the sequences that set a
    /// foreground or background colour (30–37, 40–47, 90–97, 100–107, and 38/48 with their
    /// `5;n` or `2;r;g;b` arguments), and every other parameter seen. 39 and 49 go back to
    /// the terminal's own colours, which tmux writes between cells: they set no colour.
    static func sgr(_ rows: [String]) -> (colours: [String], others: Set<Int>) {
        var colours: [String] = []
        var others = Set<Int>()
        for row in rows {
            var rest = Substring(row)
            while let start = rest.range(of: "\u{1B}[") {
                rest = rest[start.upperBound...]
                // parameters are digits, ';' and ':' up to the final byte
                let body = rest.prefix { $0.isASCII && ($0.isNumber || $0 == ";" || $0 == ":") }
                rest = rest[body.endIndex...]
                guard rest.first == "m" else { continue }
                rest = rest.dropFirst()
                let parameters = body.split(separator: ";", omittingEmptySubsequences: false).map { Int($0.split(separator: ":").first ?? "0") ?? 0 }
                var index = 0
                while index < parameters.count {
                    let parameter = parameters[index]
                    switch parameter {
                    case 38, 48:
                        colours.append(String(body))
                        // 5;n or 2;r;g;b follow (unless given with colons, in this one parameter)
                        let mode = index + 1 < parameters.count ? parameters[index + 1] : 0
                        index += mode == 5 ? 2 : mode == 2 ? 4 : 0
                    case 30...37, 40...47, 90...97, 100...107:
                        colours.append(String(body))
                    default:
                        others.insert(parameter)
                    }
                    index += 1
                }
            }
        }
        return (colours, others)
    }

    /// Opens the seed article in tmux with `environment` (names and values) for gloss, tags the second
    /// sentence as an actor, moves the focus to the third, and returns the screen with
    /// its escapes.
    /// With `actorColour`, the codebook is the bundled one with the actor in that colour.
    static func taggedScreen(environment: [String: String], actorColour: String? = nil) throws -> (plain: [String], escaped: [String]) {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let article = try folder.copy(Paths.seedArticle)
        var arguments = [article.lastPathComponent]
        if let actorColour {
            let bundled = try String(contentsOf: Paths.package.appendingPathComponent("Resources/codebook.json"), encoding: .utf8)
            let coloured = bundled.replacingOccurrences(of: #""color": "cyan""#, with: #""color": "\#(actorColour)""#)
            #expect(coloured != bundled)
            try Data(coloured.utf8).write(to: folder.url.appendingPathComponent("codebook.json"))
            arguments += ["--codebook", "codebook.json"]
        }
        let session = try TmuxSession(command: glossCommand(arguments, environment: environment), folder: folder.url)
        try session.waitFor("? help")
        try session.send("j", "a")
        try session.waitFor("Actor:")
        try session.send("ISIL", literal: true)
        try session.send("Enter")
        try session.waitFor("Tagged Actor: ISIL")
        try session.send("j")
        Thread.sleep(forTimeInterval: 0.3)
        let screen = (try session.screen(), try session.screenWithEscapes())
        try session.send("q")
        #expect(try session.waitForExit() == 0)
        return screen
    }

    @Test("NO_COLOR=1: no colour escape on the screen, reverse and underline still there, categories marked by their key")
    func noColor() throws {
        let (plain, escaped) = try Self.taggedScreen(environment: ["NO_COLOR": "1"])
        let sgr = Self.sgr(escaped)
        #expect(sgr.colours.isEmpty, "colour SGR sequences with NO_COLOR=1: \(sgr.colours)")
        #expect(sgr.others.contains(7), "no reverse video")
        #expect(sgr.others.contains(4), "no underline")
        #expect(plain.contains { $0.contains("[a] Actor: ISIL") })
        // the key in the text pane's margin beside the tagged sentence
        #expect(plain.contains { $0.hasPrefix("a") })
    }

    @Test("without NO_COLOR the same screen has colour escapes")
    func withColor() throws {
        let (plain, escaped) = try Self.taggedScreen(environment: [:])
        let sgr = Self.sgr(escaped)
        #expect(!sgr.colours.isEmpty)
        #expect(sgr.others.contains(7))
        #expect(plain.contains { $0.contains("Actor: ISIL") } && !plain.contains { $0.contains("[a]") })
        #expect(!plain.contains { $0.hasPrefix("a") })
    }

    @Test("a codebook's #RRGGBB is drawn in the nearest of xterm's 256 colours (#FF8700 is 208)")
    func hexColourIn256Colours() throws {
        let (plain, escaped) = try Self.taggedScreen(environment: [:], actorColour: "#FF8700")
        #expect(plain.contains { $0.contains("Actor: ISIL") })
        let orange = escaped.filter { $0.contains("\u{1B}[38;5;208m") }
        #expect(orange.contains { $0.contains("Actor") }, "the list's label is not in colour 208: \(escaped.filter { $0.contains("Actor") })")
    }

    @Test("the SGR reader finds colour in every form and nothing else")
    func sgrReader() {
        #expect(Self.sgr(["\u{1B}[7mx\u{1B}[0m", "\u{1B}[1;4mx"]).colours.isEmpty)
        #expect(Self.sgr(["\u{1B}[7mx\u{1B}[0m", "\u{1B}[1;4mx"]).others == [0, 1, 4, 7])
        for coloured in ["\u{1B}[36m", "\u{1B}[1;31m", "\u{1B}[38;5;208m", "\u{1B}[48;2;1;2;3m", "\u{1B}[38:5:208m", "\u{1B}[97m", "\u{1B}[104m"] {
            #expect(!Self.sgr(["a" + coloured + "b"]).colours.isEmpty, "\(coloured.dropFirst()) not found")
        }
        #expect(Self.sgr(["\u{1B}[39m\u{1B}[49mx"]).colours.isEmpty)
        // the colour's own arguments are not read as attributes (5 is blink, 2 dim)
        #expect(Self.sgr(["\u{1B}[38;5;4m"]).others.isEmpty)
        #expect(Self.sgr(["\u{1B}[48;2;7;4;1m"]).others.isEmpty)
    }
}
