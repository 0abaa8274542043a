/// A colour as a codebook's category (and the configuration file) writes it: one of the
/// eight basic ANSI colour names (`red`), a bright variant (`bright-red`), or a 24-bit
/// `#RRGGBB` value; names and hex digits in any case.
///
/// The reader draws a colour in the nearest one the terminal has (xterm's 256-colour
/// palette, or its 16 or 8 basic colours); ``XtermPalette`` holds that arithmetic.
public enum ColorSpec: Hashable, Sendable {
    /// One of the terminal's sixteen ANSI colours: 0–7 the basic colours in
    /// ``basicNames``' order, 8–15 their bright variants.
    case ansi(Int)
    /// A 24-bit colour, each channel 0–255.
    case rgb(red: Int, green: Int, blue: Int)

    /// The eight basic colour names, in ANSI order (colour 0 to 7).
    public static let basicNames = ["black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"]

    /// What a colour may be written as, for error messages: "black, red, … white, their
    /// bright- variants (bright-red) or #RRGGBB (#1E90FF)".
    public static let accepted = basicNames.joined(separator: ", ") + ", their bright- variants (bright-red) or #RRGGBB (#1E90FF)"

    /// Parses `text`: a basic name, `bright-` and a basic name, or `#` and six hex digits,
    /// in any case; nil for anything else (spaces included).
    public init?(_ text: String) {
        let lowered = text.lowercased()
        if let index = ColorSpec.basicNames.firstIndex(of: lowered) {
            self = .ansi(index)
        } else if lowered.hasPrefix("bright-"), let index = ColorSpec.basicNames.firstIndex(of: String(lowered.dropFirst("bright-".count))) {
            self = .ansi(index + 8)
        } else if lowered.hasPrefix("#") {
            let digits = Array(lowered.utf8.dropFirst())
            guard digits.count == 6, digits.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }) else { return nil }
            let value = Int(String(decoding: digits, as: UTF8.self), radix: 16)!
            self = .rgb(red: value >> 16, green: (value >> 8) & 0xFF, blue: value & 0xFF)
        } else {
            return nil
        }
    }

    /// The colour's red, green and blue (0–255 each): a name's as xterm draws it by
    /// default (``XtermPalette/rgb(ofIndex:)``).
    public var rgb: (red: Int, green: Int, blue: Int) {
        switch self {
        case .ansi(let index): return XtermPalette.rgb(ofIndex: index)
        case .rgb(let red, let green, let blue): return (red, green, blue)
        }
    }

    /// `#RRGGBB` in upper case (a name's xterm default; ``rgb``).
    public var hex: String {
        let (red, green, blue) = rgb
        let digits = String(red << 16 | green << 8 | blue, radix: 16, uppercase: true)
        return "#" + String(repeating: "0", count: 6 - digits.count) + digits
    }
}

/// xterm's 256-colour palette (its defaults, as in xterm's `256colres.h`): 0–15 the ANSI
/// colours, 16–231 a 6×6×6 colour cube, 232–255 a ramp of 24 greys; and the nearest
/// palette entry to a 24-bit colour, by squared distance in RGB, for terminals that have
/// 256, 16 or 8 colours.
public enum XtermPalette {
    /// The sixteen ANSI colours as xterm draws them by default.
    static let ansi: [(Int, Int, Int)] = [
        (0x00, 0x00, 0x00), (0xCD, 0x00, 0x00), (0x00, 0xCD, 0x00), (0xCD, 0xCD, 0x00),
        (0x00, 0x00, 0xEE), (0xCD, 0x00, 0xCD), (0x00, 0xCD, 0xCD), (0xE5, 0xE5, 0xE5),
        (0x7F, 0x7F, 0x7F), (0xFF, 0x00, 0x00), (0x00, 0xFF, 0x00), (0xFF, 0xFF, 0x00),
        (0x5C, 0x5C, 0xFF), (0xFF, 0x00, 0xFF), (0x00, 0xFF, 0xFF), (0xFF, 0xFF, 0xFF),
    ]
    /// The six levels of each channel in the colour cube.
    static let cubeLevels = [0, 95, 135, 175, 215, 255]

    /// The red, green and blue (0–255) of palette entry `index` (0–255; others are clamped).
    public static func rgb(ofIndex index: Int) -> (red: Int, green: Int, blue: Int) {
        let index = min(255, max(0, index))
        switch index {
        case 0..<16:
            return ansi[index]
        case 16..<232:
            let cube = index - 16
            return (cubeLevels[cube / 36], cubeLevels[cube / 6 % 6], cubeLevels[cube % 6])
        default:
            let grey = 8 + 10 * (index - 232)
            return (grey, grey, grey)
        }
    }

    /// The squared distance between two colours in RGB.
    static func distance(_ one: (red: Int, green: Int, blue: Int), _ other: (red: Int, green: Int, blue: Int)) -> Int {
        let red = one.red - other.red, green = one.green - other.green, blue = one.blue - other.blue
        return red * red + green * green + blue * blue
    }

    /// The index (16–255) of the colour-cube or grey-ramp entry nearest `color`. The sixteen
    /// ANSI entries are left out: terminals and users redefine them, the cube and ramp
    /// rarely.
    public static func nearest256(to color: (red: Int, green: Int, blue: Int)) -> Int {
        func level(_ channel: Int) -> Int {
            cubeLevels.indices.min { abs(cubeLevels[$0] - channel) < abs(cubeLevels[$1] - channel) }!
        }
        let cube = 16 + 36 * level(color.red) + 6 * level(color.green) + level(color.blue)
        let average = (color.red + color.green + color.blue) / 3
        let grey = 232 + min(23, max(0, (average - 3) / 10))
        return distance(rgb(ofIndex: grey), color) < distance(rgb(ofIndex: cube), color) ? grey : cube
    }

    /// The index (0 to `count` - 1) of the ANSI colour nearest `color` among the first
    /// `count` (8 or 16; other counts are taken as the nearer of them, at most 16).
    public static func nearestANSI(to color: (red: Int, green: Int, blue: Int), among count: Int) -> Int {
        let count = count >= 16 ? 16 : 8
        return (0..<count).min { distance(ansi[$0], color) < distance(ansi[$1], color) }!
    }
}
