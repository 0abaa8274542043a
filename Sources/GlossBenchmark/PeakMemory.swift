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
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
        let arguments = [executable, childFlag, document, "--child-store", store, "--codebook", codebook, "--size", size.description]
        let outputPath = folder + "/peak-memory-child.out"
        let errorPath = folder + "/peak-memory-child.err"
        defer {
            unlink(outputPath)
            unlink(errorPath)
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errorPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        func cStrings(_ strings: [String]) -> [UnsafeMutablePointer<CChar>?] { strings.map { strdup($0) } + [nil] }
        let argv = cStrings(arguments)
        let envp = cStrings(ProcessInfo.processInfo.environment.map { "\($0.key)=\($0.value)" })
        defer { (argv + envp).forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, nil, argv, envp)
        guard spawned == 0 else { throw BenchmarkError("cannot start \(executable): \(String(cString: strerror(spawned)))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let output = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        guard status == 0 else {
            let error = (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? ""
            throw BenchmarkError("the peak-memory child failed (wait status \(status)): \(error)\(output)")
        }
        var values: [String: Int] = [:]
        for line in output.split(separator: "\n") {
            let fields = line.split(separator: " ")
            if fields.count == 2, let value = Int(fields[1]) { values[String(fields[0])] = value }
        }
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
