import Foundation
import GlossCore
import GlossImport
import GlossUI
#if canImport(Glibc)
import Glibc
#endif

/// Peak memory of viewing a document, measured in a child process of its own so that
/// generating the inputs and the other benchmarks do not count.
enum PeakMemory {
    /// What the child reports, in kB (1024 bytes) as `/proc/self/status` gives them.
    struct Report {
        /// VmHWM before the document is opened: the process's own start-up.
        var baseline: Int
        /// VmHWM after opening and drawing the first frame.
        var afterOpen: Int
        /// VmHWM after the keys: the peak of the whole session.
        var peak: Int
        /// VmRSS at the end.
        var resident: Int
    }

    /// The hidden flag that makes `gloss-benchmark` the child.
    static let childFlag = "--peak-memory-child"

    /// Runs this executable again as the child on `document` with `store` and reads its
    /// report. Spawned with `posix_spawn`: Foundation's `Process` is not used in Gloss.
    static func measure(document: String, store: String, codebook: String, size: ScreenSize, folder: String) throws -> Report {
        let output = try ChildProcess.run([childFlag, document, "--child-store", store, "--codebook", codebook, "--size", size.description],
                                          folder: folder)
        let values = ChildProcess.values(output).mapValues { Int($0) }
        guard let baseline = values["baseline"], let afterOpen = values["after-open"], let peak = values["peak"],
              let resident = values["resident"], peak > 0 else {
            throw BenchmarkError("the peak-memory child printed no report: \(output)")
        }
        return Report(baseline: baseline, afterOpen: afterOpen, peak: peak, resident: resident)
    }

    /// The child's work: opens `document` as the reader does, draws, presses G, g and PgDn
    /// (drawing after each), waits for the background work (index, hash, checking the
    /// annotations), and prints its memory figures, one `name kB` a line.
    static func runChild(document: String, store: String, codebook: String, size: ScreenSize) throws {
        let baseline = status("VmHWM")
        let text = try DocumentOpener.open(document).document
        var session = try Session(document: text, codebook: try Benchmark.loadCodebook(codebook), store: AnnotationStore(path: store),
                                  width: size.width, height: size.height)
        _ = session.state.handle(.resize(width: size.width, height: size.height))
        Sink.keep(Renderer.render(session.state))
        let afterOpen = status("VmHWM")
        session.startBackgroundWork()
        for key in [Key.character("G"), .character("g"), .pageDown] {
            _ = session.state.handle(key: key)
            Sink.keep(Renderer.render(session.state))
        }
        _ = text.sha256
        while session.isCheckingAnnotations {
            session.poll()
            usleep(1000)
        }
        let state = session.state
        session.release()
        let peak = status("VmHWM")
        let resident = status("VmRSS")
        withExtendedLifetime(state) {
            print("baseline \(baseline)\nafter-open \(afterOpen)\npeak \(peak)\nresident \(resident)")
        }
    }

    /// A `kB` field of `/proc/self/status`, such as `VmHWM` (the peak resident set); 0 when
    /// it cannot be read.
    static func status(_ field: String) -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in text.split(separator: "\n") where line.hasPrefix(field + ":") {
            return Int(line.dropFirst(field.count + 1).split(whereSeparator: \.isWhitespace).first ?? "") ?? 0
        }
        return 0
    }
}
