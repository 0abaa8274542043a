import Foundation
import GlossCore
import GlossImport
import GlossUI
#if canImport(Glibc)
import Glibc
#endif

/// The two figures held against other programs in the same run: the reader's search for
/// an absent word against `grep -ci`, and the first screen in tmux against `less`.
enum SearchBenchmark {
    /// A word War and Peace does not hold.
    static let absentWord = "xylophone"
    /// The reader's whole search may take at most this many times `grep -ci`'s.
    static let grepFactor = 3.0
    /// The first screen in tmux may take at most this many times `less`'s.
    static let lessFactor = 1.5

    /// Times the reader's search for ``absentWord`` over `path` (`/WORD` Enter after `g`,
    /// then the slices the event loop runs, each followed by a render, as `gloss read` draws
    /// between them) and `grep -ci WORD path` (a fresh process, its output thrown away),
    /// alternating, `runs` times each after one untimed run of each; prints both and
    /// their ratio against ``grepFactor``.
    static func measureSearch(document path: String, store: String, codebook: Codebook, size: ScreenSize, runs: Int,
                              misses: inout [String]) throws {
        let document = try DocumentOpener.open(path).document
        var session = try Session(document: document, codebook: codebook, store: AnnotationStore(path: store),
                                  width: size.width, height: size.height)
        defer { session.release() }
        var state = session.state
        _ = state.handle(.resize(width: size.width, height: size.height))
        _ = document.paragraphCount  // `gloss read` has indexed the text by the time a search is typed
        func search() throws {
            for key in [Key.character("g"), .character("/")] + absentWord.map({ Key.character($0) }) + [.enter] {
                _ = state.handle(key: key)
                Sink.keep(Renderer.render(state))
            }
            while state.continueSearch(forSeconds: AppState.searchSlice) { Sink.keep(Renderer.render(state)) }
            guard state.message == "Not found: \(absentWord)" else {
                throw BenchmarkError("the search for \(absentWord) in \(path) ended with \"\(state.message ?? "")\"")
            }
        }
        let grepArguments = ["grep", "-ci", absentWord, path]
        try search()
        _ = try spawnAndWait(grepArguments)
        var gloss = Samples(), grep = Samples()
        for _ in 0..<runs {
            try gloss.time { try search() }
            let status = try grep.time { try spawnAndWait(grepArguments) }
            // grep -c exits 1 when it counted nothing
            guard status == 1 else { throw BenchmarkError("grep -ci \(absentWord) \(path) exited with status \(status), not 1") }
        }
        Report.row("search for an absent word (/\(absentWord)), 100 MB", gloss, misses: &misses)
        Report.row("  grep -ci \(absentWord), same file, same run", grep, misses: &misses)
        ratioLine("search / grep", gloss.median / grep.median, limit: grepFactor, misses: &misses)
    }

    /// Runs `scripts/first-screen.py` for the 100 MB document with `gloss` and `less`
    /// (`runs` runs of each, alternating, in tmux) and prints its medians and their ratio
    /// against ``lessFactor``.
    static func measureFirstScreen(folder: String, gloss: String, runs: Int, misses: inout [String]) throws {
        let script = Paths.package.appendingPathComponent("scripts/first-screen.py").path
        let output = folder + "/first-screen.out"
        defer { unlink(output) }
        let arguments = ["python3", script, "--runs", String(runs), "--folder", folder, "--gloss", gloss,
                         "--files", "100 MB", "--programs", "gloss,less"]
        let status = try spawnAndWait(arguments, output: output)
        let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
        guard status == 0 else { throw BenchmarkError("scripts/first-screen.py failed (status \(status)):\n" + text) }
        // the script's machine-readable line: `result 100MB gloss MEDIAN_MS less MEDIAN_MS`
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("result 100MB ") }) else {
            throw BenchmarkError("scripts/first-screen.py printed no result line:\n" + text)
        }
        let fields = line.split(separator: " ")
        guard fields.count == 6, let glossMedian = Double(fields[3]), let lessMedian = Double(fields[5]) else {
            throw BenchmarkError("cannot read scripts/first-screen.py's line \"\(line)\"")
        }
        Report.row("first screen in tmux, 100 MB, gloss (first-screen.py)", Samples(milliseconds: [glossMedian]), misses: &misses)
        Report.row("  less, same file, same run", Samples(milliseconds: [lessMedian]), misses: &misses)
        Report.say("  (each figure is the median of \(runs) runs; n counts the medians)")
        ratioLine("first screen gloss / less", glossMedian / lessMedian, limit: lessFactor, misses: &misses)
    }

    /// Prints `ratio` against `limit` and remembers a miss.
    static func ratioLine(_ name: String, _ ratio: Double, limit: Double, misses: inout [String]) {
        let met = ratio <= limit
        if !met { misses.append(name) }
        Report.say(Report.pad("  \(name)", Report.nameWidth) + String(format: "%16.2fx", ratio)
                   + String(format: "   target within %.1fx", limit) + (met ? "  ok" : "  MISSED"))
    }

    /// Runs `arguments` (the program found on `PATH`) with standard input from
    /// `/dev/null` and its output into `output` (`/dev/null` when nil); returns its exit
    /// status.
    static func spawnAndWait(_ arguments: [String], output: String? = nil) throws -> Int32 {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output ?? "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawnp(&pid, arguments[0], &actions, nil, argv, environ)
        guard spawned == 0 else { throw BenchmarkError("cannot start \(arguments[0]): \(String(cString: strerror(spawned)))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        // WIFEXITED / WEXITSTATUS
        return status & 0x7F == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
    }
}
