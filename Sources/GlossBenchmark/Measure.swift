import Foundation
import GlossUI

/// Timings of one operation, in milliseconds.
struct Samples {
    /// Each run's time, in milliseconds, in the order measured.
    var milliseconds: [Double] = []

    /// Number of runs.
    var count: Int { milliseconds.count }

    /// The middle value (the mean of the two middle values for an even count).
    var median: Double {
        let sorted = milliseconds.sorted()
        guard !sorted.isEmpty else { return .nan }
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    /// The 99th percentile by nearest rank: with fewer than 100 runs it is the maximum.
    var p99: Double {
        let sorted = milliseconds.sorted()
        guard !sorted.isEmpty else { return .nan }
        let rank = Int((0.99 * Double(sorted.count)).rounded(.up))
        return sorted[max(0, rank - 1)]
    }

    /// Times `body` once and keeps the result.
    mutating func time<T>(_ body: () throws -> T) rethrows -> T {
        let start = ContinuousClock.now
        let result = try body()
        // read the clock before `result` can be released: freeing a 100 MB document is not
        // part of what is measured
        let elapsed = withExtendedLifetime(result) { start.duration(to: .now) }
        milliseconds.append(Samples.milliseconds(elapsed))
        return result
    }

    /// `duration` in milliseconds.
    static func milliseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
    }
}

/// A budget a measured figure is held against.
enum Target {
    /// No target; the figure is for information.
    case none
    /// The median must stay below the first number and the 99th percentile below the second
    /// (milliseconds).
    case medianAndP99(Double, Double)
    /// The median must stay below this many milliseconds.
    case median(Double)

    /// How the target is written in the table.
    var label: String {
        switch self {
        case .none: return ""
        case .medianAndP99(let median, let p99): return "median < \(Report.format(median)), p99 < \(Report.format(p99))"
        case .median(let limit): return "< \(Report.format(limit))"
        }
    }

    /// True, false, or nil when there is no target.
    func isMet(by samples: Samples) -> Bool? {
        switch self {
        case .none: return nil
        case .medianAndP99(let median, let p99): return samples.median < median && samples.p99 < p99
        case .median(let limit): return samples.median < limit
        }
    }
}

/// Writes the results table line by line as the figures come in.
enum Report {
    /// Width of the operation column.
    static let nameWidth = 52

    /// Writes `line` to standard output at once (unbuffered, so progress shows in a pipe).
    static func say(_ line: String = "") {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    /// Writes the column headings.
    static func header(_ title: String) {
        say()
        say(title)
        say(pad("operation", nameWidth) + leftPad("n", 5) + leftPad("median", 11) + leftPad("p99", 11) + "   target")
        say(String(repeating: "-", count: nameWidth + 5 + 11 + 11 + 36))
    }

    /// Writes one row and remembers a missed target for the summary.
    static func row(_ name: String, _ samples: Samples, target: Target = .none, misses: inout [String]) {
        var line = pad(name, nameWidth) + leftPad(String(samples.count), 5)
            + leftPad(format(samples.median), 11) + leftPad(format(samples.p99), 11)
        if let met = target.isMet(by: samples) {
            line += "   " + target.label + (met ? "  ok" : "  MISSED")
            if !met { misses.append(name) }
        }
        say(line)
    }

    /// Milliseconds as `0.123 ms`, `12.3 ms` or `1.23 s`.
    static func format(_ milliseconds: Double) -> String {
        if milliseconds.isNaN { return "-" }
        if milliseconds >= 1000 { return String(format: "%.2f s", milliseconds / 1000) }
        if milliseconds >= 10 { return String(format: "%.1f ms", milliseconds) }
        if milliseconds >= 1 { return String(format: "%.2f ms", milliseconds) }
        return String(format: "%.3f ms", milliseconds)
    }

    /// Bytes as `2.0 kB` or `100.8 MB`, in powers of 1000 as the inputs are named (the
    /// 30 copies of the novel are "100 MB").
    static func format(bytes: Int) -> String {
        let value = Double(bytes)
        if value >= 1_000_000 { return String(format: "%.1f MB", value / 1_000_000) }
        if value >= 1000 { return String(format: "%.1f kB", value / 1000) }
        return "\(bytes) B"
    }

    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }

    static func leftPad(_ text: String, _ width: Int) -> String {
        text.count >= width ? " " + text : String(repeating: " ", count: width - text.count) + text
    }
}

/// The size of the in-memory screen, `WIDTHxHEIGHT` on the command line.
struct ScreenSize: CustomStringConvertible {
    /// Columns.
    var width: Int
    /// Rows.
    var height: Int

    /// Parses `80x24`; nil for anything else.
    init?(_ text: String) {
        let parts = text.lowercased().split(separator: "x")
        guard parts.count == 2, let width = Int(parts[0]), let height = Int(parts[1]), width > 0, height > 0 else { return nil }
        self.width = width
        self.height = height
    }

    var description: String { "\(width)x\(height)" }
}

/// Keeps a rendered screen observable so the optimiser cannot drop the rendering.
enum Sink {
    nonisolated(unsafe) static var cells = 0

    @inline(never)
    static func keep(_ screen: ScreenBuffer) {
        cells &+= screen.cells.count &+ (screen.cells.first?.text.utf8.count ?? 0)
    }
}
