import Foundation
import GlossCore
#if canImport(Glibc)
import Glibc
#endif

/// Re-anchoring the 100 MB document's 10,000 annotations after an edit, as the reader does
/// when it opens a store made on an older version of the text (``Reanchoring/place(_:in:progress:)``),
/// each run in a fresh child process so that its peak memory is its own.
enum ReanchorBenchmark {
    /// The hidden flag that makes `gloss-benchmark` the re-anchoring child.
    static let childFlag = "--reanchor-child"
    /// The paragraph inserted near the start of the edited text: every offset after it shifts.
    static let insertedParagraph = "An inserted paragraph, written after the annotations were made, moves every offset after it.\n\n"
    /// Target: seconds to place the 10,000 annotations.
    static let secondsTarget = 5.0

    /// What one child reports.
    struct ChildReport {
        /// Seconds `Reanchoring.place` took.
        var seconds: Double
        /// VmHWM before placing (document indexed, store loaded) and after, in kB.
        var baseline: Int
        var peak: Int
        /// How many annotations moved, were placed approximately, or became orphans.
        var moved: Int
        var approximate: Int
        var orphaned: Int
        /// How many were searched for in all and how many had been when the run stopped:
        /// fewer when it was stopped at the time limit.
        var searched: Int
        var total: Int
    }

    /// The edited copy of the 100 MB text at `large`, written to `edited`: a paragraph
    /// inserted after the first paragraph break past byte 1,000, and in the middle and at
    /// three quarters a word changed inside an annotated sentence of `store` (one of its
    /// letters doubled), so a few annotations must be placed approximately.
    static func writeEditedText(from large: String, store: String, to edited: String) throws {
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: large)))
        guard let contents = try AnnotationStore(path: store).load(), !contents.annotations.isEmpty else {
            throw BenchmarkError("\(store) holds no annotations to edit around")
        }
        // the words changed first, from the end, so earlier byte offsets stay valid
        let sorted = contents.annotations.sorted { $0.start < $1.start }
        var edits: [Int] = []
        for share in [3, 2] {
            let annotation = sorted[sorted.count * share / 4]
            // the code point of the quote's middle, moved to the start of a word of letters
            var offset = (annotation.start + annotation.end) / 2
            let quote = Array(annotation.quote.unicodeScalars)
            while offset > annotation.start, quote[offset - annotation.start - 1].properties.isAlphabetic { offset -= 1 }
            edits.append(byteOffset(ofCodePoint: offset, in: bytes))
        }
        for byte in edits.sorted(by: >) where byte < bytes.count {
            bytes.insert(bytes[byte], at: byte)
        }
        var start = 1_000
        // after a line break followed by an empty line (LF or CR LF)
        while start + 2 < bytes.count, !(bytes[start] == 0x0A && (bytes[start + 1] == 0x0A || (bytes[start + 1] == 0x0D && bytes[start + 2] == 0x0A))) {
            start += 1
        }
        let paragraphStart = min(bytes.count, start + (bytes[start + 1] == 0x0A ? 2 : 3))
        bytes.insert(contentsOf: Array(insertedParagraph.utf8), at: paragraphStart)
        try Data(bytes).write(to: URL(fileURLWithPath: edited))
    }

    /// The byte where code point `offset` of the UTF-8 `bytes` starts, counted after a
    /// byte-order mark as ``Document`` counts them.
    static func byteOffset(ofCodePoint offset: Int, in bytes: [UInt8]) -> Int {
        var codePoints = 0, byte = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        while byte < bytes.count {
            if bytes[byte] & 0xC0 != 0x80 {
                if codePoints == offset { return byte }
                codePoints += 1
            }
            byte += 1
        }
        return byte
    }

    /// Writes the edited text and runs the children: three runs, or one when it takes more
    /// than 30 s. Prints the row and appends to `misses` what misses its target.
    static func measure(large: String, store: String, folder: String, timeLimit: Double, misses: inout [String]) throws {
        let edited = folder + "/war-and-peace-x30-100mb-edited.txt"
        try writeEditedText(from: large, store: store, to: edited)
        defer { unlink(edited) }
        let fileSize = try Benchmark.fileSize(edited)
        var reports: [ChildReport] = []
        for _ in 0..<3 {
            let report = try runChild(document: edited, store: store, folder: folder, timeLimit: timeLimit)
            reports.append(report)
            if report.seconds > 30 || report.searched < report.total { break }
        }
        let seconds = reports.map(\.seconds).sorted()[reports.count / 2]
        let extra = (reports.map { $0.peak - $0.baseline }.max() ?? 0) * 1024
        let last = reports[reports.count - 1]
        Report.header("Re-anchoring after an edit (100 MB, 10k annotations; a paragraph inserted near the start, "
                                    + "two annotated words changed; Reanchoring.place in a fresh child process per run)")
        if last.searched < last.total {
            let estimate = seconds / Double(max(1, last.searched)) * Double(last.total)
            Report.say("  stopped after \(String(format: "%.0f", seconds)) s at the time limit, \(last.searched) of \(last.total) searched for: "
                                     + "about \(String(format: "%.0f", estimate)) s for all at that rate")
        }
        let timeMet = last.searched == last.total && seconds < secondsTarget
        let memoryMet = extra < fileSize
        Report.say("  place: \(String(format: "%.2f", seconds)) s (median of \(reports.count)); moved \(last.moved), "
                                 + "approximately \(last.approximate), orphaned \(last.orphaned) of \(last.total) searched for; "
                                 + "target < \(String(format: "%.0f", secondsTarget)) s: \(timeMet ? "ok" : "MISSED")")
        Report.say("  extra peak memory (VmHWM after minus before placing, document indexed and store loaded): "
                                 + "\(Report.format(bytes: extra)) = \(String(format: "%.2f", Double(extra) / Double(fileSize))) x file; "
                                 + "target < 1 x file: \(memoryMet ? "ok" : "MISSED")")
        if !timeMet { misses.append("re-anchoring time") }
        if !memoryMet { misses.append("re-anchoring memory") }
    }

    /// Runs this executable again as the child and reads its report.
    static func runChild(document: String, store: String, folder: String, timeLimit: Double) throws -> ChildReport {
        let output = try ChildProcess.run([childFlag, document, "--child-store", store, "--reanchor-time-limit", String(timeLimit)], folder: folder)
        let values = ChildProcess.values(output)
        func value(_ name: String) throws -> Int {
            guard let found = values[name] else { throw BenchmarkError("the re-anchoring child printed no \(name): \(output)") }
            return Int(found)
        }
        guard let seconds = values["seconds"] else { throw BenchmarkError("the re-anchoring child printed no time: \(output)") }
        return ChildReport(seconds: seconds, baseline: try value("baseline"), peak: try value("peak"), moved: try value("moved"),
                      approximate: try value("approximate"), orphaned: try value("orphaned"),
                      searched: try value("searched"), total: try value("total"))
    }

    /// The child's work: opens the edited text, indexes it, loads the store, then places
    /// the annotations and prints its figures, one `name value` a line. Past `timeLimit`
    /// seconds it stops and prints how far it got.
    static func runChild(document path: String, store: String, timeLimit: Double) throws {
        let document = try Document(contentsOfFile: path)
        _ = document.length
        guard let contents = try AnnotationStore(path: store).load() else { throw BenchmarkError("no store at \(store)") }
        let baseline = PeakMemory.status("VmHWM")
        let start = ContinuousClock.now
        @Sendable func elapsed() -> Double { Double(Samples.milliseconds(start.duration(to: .now))) / 1000 }
        let placement = Reanchoring.place(contents, in: document) { searched, total in
            guard searched < total, elapsed() > timeLimit else { return }
            let report = "seconds \(elapsed())\nbaseline \(baseline)\npeak \(PeakMemory.status("VmHWM"))\nmoved 0\napproximate 0\norphaned 0\nsearched \(searched)\ntotal \(total)\n"
            FileHandle.standardOutput.write(Data(report.utf8))
            exit(0)
        }
        let seconds = elapsed()
        let peak = PeakMemory.status("VmHWM")
        let searched = placement.moved + placement.orphaned
        print("seconds \(seconds)\nbaseline \(baseline)\npeak \(peak)\nmoved \(placement.moved)\napproximate \(placement.approximate)\n"
              + "orphaned \(placement.orphaned)\nsearched \(searched)\ntotal \(searched)")
    }
}
