/// A seeded pseudo-random generator (SplitMix64), so a failing fuzz case can be replayed
/// from its seed.
public struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    /// A generator that gives the same numbers for the same `seed`.
    public init(seed: UInt64) { state = seed }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE5_E9B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Random texts built from the characters that break terminal readers: one representative
/// of each grapheme-break class of UAX #29 (CR, LF, Control, Extend, ZWJ, SpacingMark,
/// Prepend, Regional_Indicator, Extended_Pictographic, Hangul L, V, T, LV, LVT), controls,
/// NEL, the line and paragraph separators, a byte-order mark, soft hyphen, no-break and
/// ideographic spaces, wide, right-to-left and Indic letters, sentence punctuation of
/// several scripts, and plain words.
public enum FuzzText {
    /// The pieces texts are drawn from, each a short string.
    public static let pieces: [String] = [
        "\r", "\n", "\r\n", "\n\n", "\u{0001}", "\u{0007}", "\u{001B}[31m", "\u{007F}", "\u{0085}", "\u{009B}",
        "\u{0301}", "\u{0361}", "\u{200D}", "\u{200C}", "\u{FE0F}", "\u{0903}", "\u{093F}", "\u{0600}", "\u{0605}",
        "\u{1F1E6}", "\u{1F1EB}\u{1F1F7}", "\u{2701}", "\u{1F468}", "\u{1F3FB}", "\u{1F527}",
        "\u{1100}", "\u{1161}", "\u{11A8}", "\u{AC00}", "\u{AC01}",
        "\u{2028}", "\u{2029}", "\u{FEFF}", "\u{00AD}", "\u{00A0}", "\u{3000}", "\u{200B}", "\u{202E}", "\u{200F}",
        "\t", " ", "  ", "漢字", "かな", "한국", "שלום", "مرحبا", "हिन्दी", "क्ष", "ไทย", "ำ",
        ".", "?", "!", "。", "।", "॥", "؟", "۔", "።", "։", "！", "Mr.", "e.g.",
        "ISIL", "the", "Maria", "a", "word", "x",
    ]

    /// A text of `1...maxPieces` pieces chosen with `generator`, often after a title line.
    public static func make<G: RandomNumberGenerator>(using generator: inout G, maxPieces: Int = 40) -> String {
        var text = Bool.random(using: &generator) ? "Title\n\n" : ""
        for _ in 0..<Int.random(in: 1...maxPieces, using: &generator) {
            text += pieces.randomElement(using: &generator)!
            if Int.random(in: 0..<4, using: &generator) == 0 { text += " " }
        }
        return text
    }
}
