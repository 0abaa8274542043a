import ArgumentParser
import Foundation
import GlossCore
import GlossImport
import GlossUI
#if canImport(Glibc)
import Glibc
#endif

/// `gloss-benchmark`: times what a reader waits for (the first frame, each key, each save,
/// an export) and the peak memory of viewing a large file, against the budgets of issue 5.
///
/// Everything runs in-process through the calls `gloss read` makes (``Document``, ``Session``,
/// ``AppState/handle(key:)``, ``Renderer/render(_:)`` into a ``ScreenBuffer``), so the
/// figures leave out process start-up and drawing to a real terminal;
/// `scripts/first-screen.py` measures those.
@main
struct Benchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gloss-benchmark",
        abstract: "Time Gloss's first frame, keys, saving, exporting and peak memory on 2 KB, 3 MB and 100 MB documents.",
        discussion: "Run it with: swift run -c release gloss-benchmark")

    @Option(help: ArgumentHelp("Folder for the generated inputs, kept afterwards (documents already there are reused); a temporary folder, removed at the end, when absent.", valueName: "path"))
    var folder: String?

    @Option(help: ArgumentHelp("The ~2 KB article (the seed article in ../shared/corpus).", valueName: "path"))
    var article: String = Paths.article

    @Option(name: .customLong("war-and-peace"), help: ArgumentHelp("The 3.3 MB novel the large inputs are made of (War and Peace in ../shared/corpus/large).", valueName: "path"))
    var warAndPeace: String = Paths.warAndPeace

    @Option(name: .customLong("web-page"), help: ArgumentHelp("The saved web page the 5 MB HTML input is grown from (the news page in ../shared/corpus/web).", valueName: "path"))
    var webPage: String = Paths.webPage

    @Option(help: ArgumentHelp("The codebook (the one gloss ships).", valueName: "path"))
    var codebook: String = Paths.codebook

    @Option(help: ArgumentHelp("Screen size to render.", valueName: "WIDTHxHEIGHT"))
    var size = ScreenSize("80x24")!

    @Option(help: "Timed runs of each first frame, save and export on the 2 KB and 3 MB documents.")
    var runs = 30

    @Option(help: "Timed runs of each first frame, save and export on the 100 MB document.")
    var largeRuns = 10

    @Option(help: "Timed presses of each key.")
    var presses = 300

    @Flag(help: "Write the inputs into --folder and stop.")
    var generateOnly = false

    @Flag(name: .customLong("html-only"), help: "Time only the 5 MB HTML page: its first frame and where that time goes.")
    var htmlOnly = false

    @Flag(name: .customLong("search-only"), help: "Time only the search for an absent word in the 100 MB document, against grep -ci in the same run.")
    var searchOnly = false

    @Flag(name: .customLong("first-screen-only"), help: "Time only the first screen of the 100 MB document in tmux, against less in the same run (scripts/first-screen.py).")
    var firstScreenOnly = false

    @Option(help: "Runs of gloss and of less for the first screen in tmux.")
    var firstScreenRuns = 9

    @Flag(name: .customLong("corpus-stats"), help: "Instead of the reader's figures: generate a corpus of 10,000 documents with 1,000,000 annotations (in --folder, reused when there) and time the built `gloss stats` over it.")
    var corpusStats = false

    @Option(help: ArgumentHelp("The gloss executable --corpus-stats runs (the one built beside gloss-benchmark).", valueName: "path"))
    var gloss: String = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent().appendingPathComponent("gloss").path

    @Flag(help: "Time the document list of a generated corpus (--documents documents with stores) instead: its first frame, keys, and the background reading of the stores.")
    var corpus = false

    @Option(help: "Documents of the --corpus benchmark.")
    var documents = 10_000

    @Flag(name: .customLong("reanchor-only"), help: "Time only re-anchoring the 100 MB document's 10k annotations after an edit.")
    var reanchorOnly = false

    @Option(name: .customLong("reanchor-time-limit"), help: ArgumentHelp("Seconds after which a re-anchoring run stops and reports how far it got.", valueName: "seconds"))
    var reanchorTimeLimit = 600.0

    @Option(name: .customLong("reanchor-child"), help: .hidden)
    var reanchorChild: String?

    @Flag(name: .customLong("index-only"), help: "Only the scale figures: memory of 10 million short lines, G on a 1 GB file, the first screen of a 194 MB UTF-16 file (inputs about 1.4 GB).")
    var indexOnly = false

    @Option(name: .customLong("index-memory-child"), help: .hidden)
    var indexMemoryChild: String?

    @Option(name: .customLong("paragraph-digests"), parsing: .upToNextOption, help: .hidden)
    var paragraphDigests: [String] = []

    @Flag(name: .customLong("giant-paragraph-only"), help: "Time only the text that is one 52 MB paragraph: its first frame, a resize, G and PgDn, and its peak memory.")
    var giantParagraphOnly = false

    @Option(name: .customLong("store-codec"), help: ArgumentHelp("Time only StoreCodec.decode and StoreCodec.encode of this store file (--runs times each), e.g. for callgrind.", valueName: "path"))
    var storeCodec: String?

    @Flag(name: .customLong("store-only"), help: "Time only the first frame with the 10k stores (3 MB and 100 MB), where it goes, and a later save of the 10k annotations.")
    var storeOnly = false

    @Option(name: .customLong("store-frame"), help: ArgumentHelp("Only open this document with --child-store (its .gloss.json when absent) --runs times, for callgrind.", valueName: "path"))
    var storeFrame: String?

    @Flag(name: .customLong("store-save"), help: "With --store-frame: then save its annotations --runs times (fsync a no-op).")
    var storeSave = false

    @Option(name: .customLong("peak-memory-child"), help: .hidden)
    var peakMemoryChild: String?

    @Option(name: .customLong("child-store"), help: .hidden)
    var childStore: String?

    func validate() throws {
        guard runs > 0, largeRuns > 0, presses > 0, firstScreenRuns > 0 else { throw ValidationError("--runs, --large-runs and --presses must be positive") }
        if generateOnly && folder == nil { throw ValidationError("--generate-only needs --folder, or the inputs would be removed at once") }
    }

    func run() throws {
        if let document = reanchorChild {
            try ReanchorBenchmark.runChild(document: document, store: childStore ?? document + ".gloss.json", timeLimit: reanchorTimeLimit)
            return
        }
        if let document = peakMemoryChild {
            try PeakMemory.runChild(document: document, store: childStore ?? document + ".gloss.json", codebook: codebook, size: size)
            return
        }
        if let document = indexMemoryChild {
            try ScaleBenchmark.runChild(document)
            return
        }
        if !paragraphDigests.isEmpty {
            try ScaleBenchmark.printDigests(paragraphDigests)
            return
        }
        do {
            if let storeFrame {
                try runStoreFrame(document: storeFrame, store: childStore ?? storeFrame + ".gloss.json", saves: storeSave)
                return
            }
            if let storeCodec {
                try Benchmark.measureStoreCodec(path: storeCodec, runs: runs)
                return
            }
            if corpusStats {
                let folderPath = try folder ?? Benchmark.temporaryFolder()
                defer { if folder == nil { try? FileManager.default.removeItem(atPath: folderPath) } }
                #if DEBUG
                Report.say("WARNING: a debug build; the figures mean little. Build with -c release.")
                #endif
                let runs = min(self.runs, 5)
                if try !CorpusBenchmark.measure(folder: folderPath, gloss: gloss, runs: runs) { throw ExitCode.failure }
                return
            }
            if giantParagraphOnly {
                let folderPath = try folder ?? Benchmark.temporaryFolder()
                defer { if folder == nil { try? FileManager.default.removeItem(atPath: folderPath) } }
                #if DEBUG
                Report.say("WARNING: a debug build; the figures mean little. Build with -c release.")
                #endif
                var misses: [String] = []
                try GiantParagraphBenchmark.measure(novel: warAndPeace, codebook: codebook, size: size, folder: folderPath,
                                                    runs: min(largeRuns, 5), misses: &misses)
                Report.say(misses.isEmpty ? "All targets met." : "Missed (\(misses.count)): " + misses.joined(separator: "; "))
                return
            }
            if corpus {
                let codebookValue = try Benchmark.loadCodebook(codebook)
                let folderPath = try folder ?? Benchmark.temporaryFolder()
                defer { if folder == nil { try? FileManager.default.removeItem(atPath: folderPath) } }
                #if DEBUG
                Report.say("WARNING: a debug build; the figures mean little. Use: swift run -c release gloss-benchmark --corpus")
                #endif
                Report.say("gloss-benchmark --corpus: \(Benchmark.machine()); screen \(size); load average \(Benchmark.loadAverage())")
                try DocumentListBenchmark.run(folder: folderPath, count: documents, codebook: codebookValue, size: size, runs: min(runs, 10), presses: presses)
                return
            }
            try measureEverything()
        } catch let error as BenchmarkError {
            FileHandle.standardError.write(Data("gloss-benchmark: \(error)\n".utf8))
            throw ExitCode.failure
        }
    }

    /// The codebook at `path`, refused like `gloss` refuses it when a category key is one of
    /// the reader's own keys.
    static func loadCodebook(_ path: String) throws -> Codebook {
        let codebook = try Codebook.load(path: path)
        if let conflict = Keymap.conflicts(in: codebook).first {
            throw CodebookError(path: path, problem: "category \"\(conflict.category.id)\" has key \"\(conflict.category.key)\", which Gloss uses for \(conflict.description)")
        }
        return codebook
    }

    /// Times ``StoreCodec/decode(_:path:)`` and ``StoreCodec/encode(_:)`` of the store at
    /// `path`, `runs` times each, and checks that encoding gives the file's bytes back.
    static func measureStoreCodec(path: String, runs: Int) throws {
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        var decoding = Samples(), encoding = Samples()
        var contents = try StoreCodec.decode(bytes, path: path)
        for _ in 0..<runs { contents = try decoding.time { try StoreCodec.decode(bytes, path: path) } }
        var encoded = Data()
        for _ in 0..<runs { encoded = try encoding.time { try StoreCodec.encode(contents) } }
        var misses: [String] = []
        Report.row("StoreCodec.decode alone (\(Report.format(bytes: bytes.count)), \(contents.annotations.count) annotations)", decoding, misses: &misses)
        Report.row("StoreCodec.encode alone", encoding, misses: &misses)
        if encoded != bytes { Report.say("note: the encoded store differs from the file (an older version or another writer's layout)") }
    }

    // MARK: - The run

    private func measureEverything() throws {
        func say(_ line: String = "") { Report.say(line) }
        let loadedCodebook = try Benchmark.loadCodebook(codebook)
        let folderPath = try folder ?? Benchmark.temporaryFolder()
        defer { if folder == nil { try? FileManager.default.removeItem(atPath: folderPath) } }
        let inputs = Inputs(folder: folderPath)

        #if DEBUG
        say("WARNING: a debug build; the figures mean little. Use: swift run -c release gloss-benchmark")
        #endif
        say("gloss-benchmark: \(Benchmark.machine()); screen \(size); \(Date().formatted(.iso8601))")
        say("load average at the start: \(Benchmark.loadAverage()) (other work on the machine slows every figure)")
        say("inputs in \(folderPath)\(folder == nil ? " (removed at the end)" : ""):")
        let generation = ContinuousClock.now
        for line in try inputs.generate(article: article, novel: warAndPeace, webPage: webPage, codebook: loadedCodebook) { say("  " + line) }
        say("  ready in \(Report.format(Samples.milliseconds(generation.duration(to: .now))))")
        if generateOnly { return }

        var misses: [String] = []
        if indexOnly {
            try ScaleBenchmark.run(folder: folderPath, novel: warAndPeace, large: inputs.large, codebook: loadedCodebook, size: size,
                                   runs: min(largeRuns, 5), misses: &misses)
            say(misses.isEmpty ? "All targets met." : "Missed (\(misses.count)): " + misses.joined(separator: "; "))
            return
        }
        if htmlOnly {
            Report.header("Open to first frame (in-process: DocumentOpener, Session, resize to \(size), Renderer.render; 1 warm-up run not counted; page cache warm)")
            let warmUp = try firstFrame(inputs.webPage, store: inputs.absentStore)
            try Benchmark.checkShowsStart(warmUp, name: "5 MB HTML page")
            var samples = Samples()
            for _ in 0..<runs { Sink.keep(try samples.time { try firstFrame(inputs.webPage, store: inputs.absentStore) }.screen) }
            Report.row("first frame, 5 MB HTML page (libxml2), no store", samples, target: .median(200), misses: &misses)
            Report.header("Where the 5 MB HTML page's first frame goes (the opener's steps one by one, no store)")
            try webPageBreakdown(inputs.webPage, store: inputs.absentStore, count: runs, misses: &misses)
            say(misses.isEmpty ? "All targets met." : "Missed (\(misses.count)): " + misses.joined(separator: "; "))
            return
        }
        if storeOnly {
            try measureStoreFrameAndSave(inputs, misses: &misses)
            say(misses.isEmpty ? "All targets met." : "Missed (\(misses.count)): " + misses.joined(separator: "; "))
            say("load average at the end: \(Benchmark.loadAverage())")
            return
        }
        if searchOnly || firstScreenOnly || reanchorOnly {
            if reanchorOnly {
                try ReanchorBenchmark.measure(large: inputs.large, store: inputs.largeStore, folder: folderPath, timeLimit: reanchorTimeLimit, misses: &misses)
            }
            if searchOnly || firstScreenOnly { Report.header("Against other programs, in the same run (100 MB)") }
            if searchOnly { try searchAgainstGrep(inputs, codebook: loadedCodebook, misses: &misses) }
            if firstScreenOnly { try SearchBenchmark.measureFirstScreen(folder: folderPath, gloss: gloss, runs: firstScreenRuns, misses: &misses) }
            say(misses.isEmpty ? "All targets met." : "Missed (\(misses.count)): " + misses.joined(separator: "; "))
            return
        }
        let largeSize = try Benchmark.fileSize(inputs.large)

        // A fresh process first, before this one holds any document.
        let memory = try PeakMemory.measure(document: inputs.large, store: inputs.largeStore, codebook: codebook,
                                            size: size, folder: folderPath)
        let peakBytes = memory.peak * 1024
        let memoryMet = peakBytes < 2 * largeSize
        if !memoryMet { misses.append("peak memory viewing 100 MB") }
        say()
        say("Peak memory viewing the 100 MB document with 10k annotations (VmHWM of a fresh child process;")
        say("opens, draws, presses G g PgDn; file \(Report.format(bytes: largeSize))):")
        say("  at start-up \(Report.format(bytes: memory.baseline * 1024)), after the first frame \(Report.format(bytes: memory.afterOpen * 1024)), "
            + "peak \(Report.format(bytes: peakBytes)) = \(String(format: "%.2f", Double(peakBytes) / Double(largeSize))) x file; "
            + "resident at the end \(Report.format(bytes: memory.resident * 1024))")
        say("  target < 2 x file (\(Report.format(bytes: 2 * largeSize))): \(memoryMet ? "ok" : "MISSED")")

        Report.header("Open to first frame (in-process: DocumentOpener, Session, resize to \(size), Renderer.render; 1 warm-up run not counted; page cache warm)")
        let firstFrameTarget = Target.median(100)
        // a store of 10,000 annotations (6.6 MB of JSON) may add little to the first frame
        let storeFrameTarget = Target.median(50)
        let cases: [(String, String, String, Int, Target)] = [
            ("first frame, 2 KB article, no store", inputs.article, inputs.absentStore, runs, .none),
            ("first frame, 3 MB, no store", inputs.medium, inputs.absentStore, runs, .none),
            ("first frame, 3 MB, 10k annotations", inputs.medium, inputs.mediumStore, runs, storeFrameTarget),
            ("first frame, 100 MB, no store", inputs.large, inputs.absentStore, largeRuns, firstFrameTarget),
            ("first frame, 100 MB, 10k annotations", inputs.large, inputs.largeStore, largeRuns, storeFrameTarget),
            // parsing the whole page and extracting its article comes before the first frame
            ("first frame, 5 MB HTML page (libxml2), no store", inputs.webPage, inputs.absentStore, runs, .median(200)),
        ]
        for (name, path, store, count, target) in cases {
            let warmUp = try firstFrame(path, store: store)
            try Benchmark.checkShowsStart(warmUp, name: name)
            var samples = Samples()
            for _ in 0..<count { Sink.keep(try samples.time { try firstFrame(path, store: store) }.screen) }
            Report.row(name, samples, target: target, misses: &misses)
        }

        Report.header("Where the 100 MB first frame goes (the same calls one by one, 10k annotations)")
        try breakdown(inputs.large, store: inputs.largeStore, lockStore: folderPath + "/lock-test.gloss.json",
                      count: min(largeRuns, 5), misses: &misses)

        Report.header("Where the 5 MB HTML page's first frame goes (the opener's steps one by one, no store)")
        try webPageBreakdown(inputs.webPage, store: inputs.absentStore, count: runs, misses: &misses)

        Report.header("After the first frame, in the background (index, SHA-256, checking the 10k annotations)")
        var opened: [(String, AppState)] = []
        for (label, path, store) in [("3 MB", inputs.medium, inputs.mediumStore), ("100 MB", inputs.large, inputs.largeStore)] {
            var background = Samples()
            var state: AppState?
            for _ in 0..<(label == "3 MB" ? runs : largeRuns) {
                var frame = try firstFrame(path, store: store)
                background.time { frame.settle() }
                state = frame.session.state
            }
            Report.row("until all indexed, hashed and checked, \(label)", background, misses: &misses)
            guard let state, state.annotations.count == Inputs.annotationCount else {
                throw BenchmarkError("\(store) gave \(state?.annotations.count ?? 0) annotations, not \(Inputs.annotationCount)")
            }
            opened.append((label, state))
        }

        Report.header("Key to rendered frame (state.handle(key:) + Renderer.render, 10k annotations)")
        for (label, state) in opened {
            keystrokes(label, state: state, misses: &misses)
        }

        Report.header("Saving and exporting 10,000 annotations")
        for (label, state) in opened {
            try saveAndExport(label, state: state, count: label == "3 MB" ? runs : largeRuns,
                              path: folderPath + "/save-test.gloss.json", misses: &misses)
        }

        try ReanchorBenchmark.measure(large: inputs.large, store: inputs.largeStore, folder: folderPath, timeLimit: reanchorTimeLimit, misses: &misses)

        Report.header("Against other programs, in the same run (100 MB)")
        try searchAgainstGrep(inputs, codebook: loadedCodebook, misses: &misses)
        try SearchBenchmark.measureFirstScreen(folder: folderPath, gloss: gloss, runs: firstScreenRuns, misses: &misses)

        try ScaleBenchmark.run(folder: folderPath, novel: warAndPeace, large: inputs.large, codebook: loadedCodebook, size: size, runs: min(largeRuns, 5), misses: &misses)

        try GiantParagraphBenchmark.measure(novel: warAndPeace, codebook: codebook, size: size, folder: folderPath, runs: min(largeRuns, 5), misses: &misses)

        say()
        say("Targets (issue 5): first frame 100 MB < 100 ms in-process; keys median < 5 ms, p99 < 16 ms; "
            + "peak memory < 2 x file size; first frame with 10k annotations < 50 ms; a later save of 10k < 50 ms.")
        say("p99 is by nearest rank: with fewer than 100 runs it is the slowest run.")
        say(misses.isEmpty ? "All targets met." : "Missed (\(misses.count)): " + misses.joined(separator: "; "))
        say("load average at the end: \(Benchmark.loadAverage())")
    }

    // MARK: - Measurements

    /// The search for an absent word over the 100 MB document against `grep -ci`.
    private func searchAgainstGrep(_ inputs: Inputs, codebook: Codebook, misses: inout [String]) throws {
        try SearchBenchmark.measureSearch(document: inputs.large, store: inputs.absentStore, codebook: codebook, size: size,
                                          runs: min(largeRuns, 5), misses: &misses)
    }

    /// What the first frame leaves behind, returned so that freeing it is not timed.
    struct Frame {
        var session: Session
        var screen: ScreenBuffer

        /// What `gloss read` starts after its first frame, run to its end: the index and
        /// hash of the whole text and the check of the annotations past its start.
        mutating func settle() {
            session.startBackgroundWork()
            _ = session.state.document.sha256
            while session.isCheckingAnnotations {
                session.poll()
                if session.isCheckingAnnotations { usleep(200) }
            }
        }
    }

    /// The reader's open path up to its first frame, as `gloss read` runs it: the document
    /// (through ``DocumentOpener``, which imports an HTML page), the codebook, the
    /// ``Session`` (lock, store, placing the annotations), resize, render. The lock is let
    /// go before returning, so the next run can take it.
    func firstFrame(_ path: String, store: String) throws -> Frame {
        let document = try DocumentOpener.open(path).document
        let loaded = try Benchmark.loadCodebook(codebook)
        var session = try Session(document: document, codebook: loaded, store: AnnotationStore(path: store),
                                  width: size.width, height: size.height)
        _ = session.state.handle(.resize(width: size.width, height: size.height))
        let screen = Renderer.render(session.state)
        session.release()
        return Frame(session: session, screen: screen)
    }

    /// Times each step of the open path separately, with the same calls ``firstFrame(_:store:)``
    /// makes; the store load is also timed on its own (the session does it again).
    func breakdown(_ path: String, store storePath: String, lockStore: String, count: Int, misses: inout [String]) throws {
        var document = Samples(), codebookLoad = Samples(), storeLoad = Samples(), storeDecode = Samples(), opening = Samples()
        var resize = Samples(), render = Samples()
        let storeBytes = try Data(contentsOf: URL(fileURLWithPath: storePath))
        for _ in 0..<count {
            let text = try document.time { try DocumentOpener.open(path).document }
            let loaded = try codebookLoad.time { try Benchmark.loadCodebook(codebook) }
            _ = try storeLoad.time { try AnnotationStore(path: storePath).load() }
            _ = try storeDecode.time { try StoreCodec.decode(storeBytes, path: storePath) }
            var session = try opening.time {
                try Session(document: text, codebook: loaded, store: AnnotationStore(path: storePath), width: size.width, height: size.height)
            }
            resize.time { _ = session.state.handle(.resize(width: size.width, height: size.height)) }
            Sink.keep(render.time { Renderer.render(session.state) })
            session.release()
        }
        Report.row("  DocumentOpener.open (a mapped Document)", document, misses: &misses)
        Report.row("  codebook", codebookLoad, misses: &misses)
        Report.row("  Session.init (lock, store load, placing what the start shows)", opening, misses: &misses)
        Report.row("    of which AnnotationStore.load (10k), timed alone", storeLoad, misses: &misses)
        Report.row("      of which StoreCodec.decode (\(Report.format(bytes: storeBytes.count)) in memory)", storeDecode, misses: &misses)
        Report.row("  resize", resize, misses: &misses)
        Report.row("  Renderer.render", render, misses: &misses)
    }

    /// Times the steps ``DocumentOpener`` takes on an HTML page, with the same public
    /// calls: reading the file, decoding it, parsing and extracting it (libxml2 and the
    /// walk of its tree), making the ``Document``; then the session and the first render.
    private func webPageBreakdown(_ path: String, store: String, count: Int, misses: inout [String]) throws {
        var reading = Samples(), decoding = Samples(), extracting = Samples(), making = Samples(), showing = Samples()
        let loaded = try Benchmark.loadCodebook(codebook)
        for _ in 0..<count {
            let bytes = try reading.time { [UInt8](try Data(contentsOf: URL(fileURLWithPath: path))) }
            let decoded = try decoding.time { try TextDecoding.decode(bytes, forcing: nil, path: path) }
            let extracted = try extracting.time { try HTMLImporter().extract(decoded.utf8, path: path) }
            let document = making.time { Document(extracted: extracted, path: path) }
            var session = try showing.time { () -> Session in
                var session = try Session(document: document, codebook: loaded, store: AnnotationStore(path: store),
                                          width: size.width, height: size.height)
                _ = session.state.handle(.resize(width: size.width, height: size.height))
                Sink.keep(Renderer.render(session.state))
                return session
            }
            session.release()
        }
        Report.row("  read the file", reading, misses: &misses)
        Report.row("  TextDecoding.decode (UTF-8 check)", decoding, misses: &misses)
        Report.row("  HTMLImporter.extract (libxml2 parse, article walk)", extracting, misses: &misses)
        Report.row("  Document(extracted:)", making, misses: &misses)
        Report.row("  Session, resize, Renderer.render", showing, misses: &misses)
    }

    /// Times `j`, PgDn, `G` (from the start), `]` and `n` (after a `/` search) on `state`.
    private func keystrokes(_ label: String, state initial: AppState, misses: inout [String]) {
        var state = initial
        _ = state.handle(.resize(width: size.width, height: size.height))
        func press(_ keys: [Key]) {
            for key in keys {
                _ = state.handle(key: key)
                Sink.keep(Renderer.render(state))
            }
        }
        func timed(_ key: Key, count: Int, before: [Key] = []) -> Samples {
            var samples = Samples()
            for _ in 0..<count {
                press(before)
                Sink.keep(samples.time { () -> ScreenBuffer in
                    _ = state.handle(key: key)
                    return Renderer.render(state)
                })
            }
            return samples
        }
        func search(_ text: String) {
            press([.character("g"), .character("/")] + text.map { Key.character($0) } + [.enter])
        }
        let target = Target.medianAndP99(5, 16)
        press([.character("g")])
        Report.row("j, \(label)", timed(.character("j"), count: presses), target: target, misses: &misses)
        press([.character("g")])
        Report.row("PgDn, \(label)", timed(.pageDown, count: presses), target: target, misses: &misses)
        Report.row("G (after an untimed g), \(label)", timed(.character("G"), count: presses, before: [.character("g")]),
                   target: target, misses: &misses)
        press([.character("g")])
        Report.row("], \(label)", timed(.character("]"), count: presses), target: target, misses: &misses)
        search("Pierre")
        Report.row("n after /Pierre (1,964 per copy), \(label)", timed(.character("n"), count: presses), target: target, misses: &misses)
        search("xylophone")
        // a key runs one slice of the search; the event loop runs the rest between keys
        Report.row("n after /xylophone (absent), one slice, \(label)", timed(.character("n"), count: 20), target: target, misses: &misses)
        var whole = Samples()
        for _ in 0..<3 {
            whole.time {
                _ = state.handle(key: .character("n"))
                while state.continueSearch(forSeconds: AppState.searchSlice) { Sink.keep(Renderer.render(state)) }
            }
        }
        Report.row("  the whole search for the absent word, drawing between slices, \(label)", whole, misses: &misses)
    }

    /// Times saving the annotations of `state` (a new store, which hashes the text, then
    /// the same store again) and exporting them to W3C and CSV.
    private func saveAndExport(_ label: String, state: AppState, count: Int, path: String, misses: inout [String]) throws {
        let document = state.document, annotations = state.annotations
        defer { unlink(path) }
        var first = Samples()
        for _ in 0..<min(count, 5) {
            let store = AnnotationStore(path: path)
            try first.time { try store.save(annotations, of: document) }
        }
        Report.row("save, first of a session (hashes the text), \(label)", first, target: .median(100), misses: &misses)
        let store = AnnotationStore(path: path)
        try store.save(annotations, of: document)
        var later = Samples()
        for _ in 0..<count { try later.time { try store.save(annotations, of: document) } }
        Report.row("save, later (text hash cached), \(label)", later, target: .median(50), misses: &misses)
        var encoding = Samples()
        let contents = StoreContents(annotations: annotations, document: StoredDocument(path: document.path, sha256: document.sha256, length: document.length))
        for _ in 0..<count { _ = try encoding.time { try StoreCodec.encode(contents) } }
        Report.row("  of which StoreCodec.encode, \(label)", encoding, misses: &misses)
        // what a key that changes an annotation waits for: the snapshot handed to the writer
        let sessionStore = path + ".session.gloss.json"
        defer { unlink(sessionStore); unlink(sessionStore + ".bak"); unlink(sessionStore + ".lock") }
        var session = try Session(document: document, codebook: state.codebook, store: AnnotationStore(path: sessionStore))
        session.state.replaceContents(StoreContents(annotations: annotations))
        var handOff = Samples()
        for _ in 0..<presses {
            handOff.time { session.saveInBackground() }
            session.poll()
        }
        session.flush()
        session.release()
        Report.row("saveInBackground (what a key waits for), \(label)", handOff, target: .medianAndP99(5, 16), misses: &misses)
        var w3c = Samples(), csv = Samples()
        for _ in 0..<count {
            _ = try w3c.time { try W3CExporter.export(document: document, annotations: annotations) }
            _ = try csv.time { try CSVExporter.export(document: document, annotations: annotations) }
        }
        Report.row("export W3C, \(label)", w3c, misses: &misses)
        Report.row("export CSV, \(label)", csv, misses: &misses)
    }

    // MARK: - Helpers

    /// Stops when a first frame does not show the start of the document: timing an error
    /// screen would be worthless.
    static func checkShowsStart(_ frame: Frame, name: String) throws {
        let document = frame.session.state.document
        guard !document.isEmpty else { return }
        let words = document.text(ofParagraph: 0).split(whereSeparator: \.isWhitespace).prefix(2).joined(separator: " ")
        guard frame.screen.lines.contains(where: { $0.contains(words) }) else {
            throw BenchmarkError("\(name): the first frame does not show \"\(words)\":\n" + frame.screen.lines.joined(separator: "\n"))
        }
    }

    static func temporaryFolder() throws -> String {
        let base = NSTemporaryDirectory().hasSuffix("/") ? NSTemporaryDirectory() : NSTemporaryDirectory() + "/"
        var template = Array((base + "gloss-benchmark-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else { throw BenchmarkError("cannot make a temporary folder: \(String(cString: strerror(errno)))") }
        return String(cString: made)
    }

    static func fileSize(_ path: String) throws -> Int {
        guard let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int else {
            throw BenchmarkError("cannot read the size of \(path)")
        }
        return size
    }

    /// The 1, 5 and 15 minute load averages from `/proc/loadavg`.
    static func loadAverage() -> String {
        let text = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? ""
        return text.split(separator: " ").prefix(3).joined(separator: " ")
    }

    /// Cores, processor and build, for the heading.
    static func machine() -> String {
        let cores = sysconf(Int32(_SC_NPROCESSORS_ONLN))
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let model = cpuinfo.split(separator: "\n").first { $0.hasPrefix("model name") }
            .map { $0.split(separator: ":", maxSplits: 1).last.map { $0.trimmingCharacters(in: .whitespaces) } ?? "" } ?? "unknown processor"
        #if DEBUG
        let build = "debug build"
        #else
        let build = "release build"
        #endif
        return "\(cores) cores (\(model)), \(build)"
    }
}

extension ScreenSize: ExpressibleByArgument {
    init?(argument: String) { self.init(argument) }
}
