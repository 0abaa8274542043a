import Foundation
import GlossCore
import GlossTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The command line when what surrounds it fails: standard output full (`/dev/full`), over
/// the file-size limit or a closed pipe; standard error full under the reader; refused
/// inputs and their exit statuses, command by command; unknown options and help topics;
/// Ctrl-C in the middle of one large document.
@Suite struct CommandLineFaultsEndToEndTests {
    /// Runs the built gloss in `folder` through `/bin/sh`, with `redirection` (shell syntax:
    /// `> /dev/full`) applied to it and `prefix` (shell commands: `ulimit -f 4;`) before it.
    static func gloss(_ arguments: [String], in folder: URL, prefix: String = "", redirection: String = "",
                      environment: [String: String] = [:]) throws -> ProcessResult {
        try run("/bin/sh", ["-c", "cd '\(folder.path)' && \(prefix) exec \"$0\" \"$@\" \(redirection)", Paths.gloss.path] + arguments,
                environment: ShellEndToEndTests.environment.merging(["XDG_CONFIG_HOME": "/nonexistent/gloss-tests"]) { $1 }
                    .merging(environment) { $1 })
    }

    /// A corpus of two annotated copies of the seed article (``ShellEndToEndTests/corpus(in:documents:repeats:)``)
    /// and a second coder's store of the first, `doc-1.txt.gloss.bo.json`.
    static func corpus(in folder: URL, repeats: Int = 1) throws -> URL {
        let corpus = try ShellEndToEndTests.corpus(in: folder, documents: 2, repeats: repeats)
        try FileManager.default.copyItem(at: corpus.appendingPathComponent("doc-1.txt.gloss.json"),
                                         to: corpus.appendingPathComponent("doc-1.txt.gloss.bo.json"))
        return corpus
    }

    /// Every command that writes to standard output, with what it writes there.
    static let printingCommands: [[String]] = [
        ["export", "doc-1.txt", "--format", "csv"], ["export", ".", "--format", "w3c"], ["export", "doc-1.txt", "--format", "markdown"],
        ["stats", "."], ["stats", ".", "--format", "json"], ["grep", "Voronkov", "."], ["text", "doc-1.txt"],
        ["agree", "doc-1.txt.gloss.json", "doc-1.txt.gloss.bo.json"], ["codebook", "export"],
        ["config", "--print-defaults"], ["config", "--path"], ["config"],
        ["--help"], ["--version"], ["export", "--help"], ["grep", "--help"], ["help", "stats"],
        ["--generate-completion-script", "bash"],
    ]

    // MARK: standard output cannot be written

    @Test("a full standard output is one line on standard error and status 1 (grep: 2), never a crash",
          arguments: printingCommands)
    func fullStandardOutputIsReported(arguments: [String]) throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let corpus = try Self.corpus(in: folder.url)
        // a configuration file with a problem: `config` prints it on standard output
        let configuration = folder.url.appendingPathComponent("config.toml")
        try Data("mouse = \"sometimes\"\n".utf8).write(to: configuration)
        let result = try Self.gloss(arguments, in: corpus, redirection: "> /dev/full", environment: ["GLOSS_CONFIG": configuration.path])
        #expect(result.status == (arguments.first == "grep" ? 2 : 1), "\(arguments): \(result.status) \(result.error)")
        let lines = result.error.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.last == "", "\(arguments): \(result.error)")
        #expect(lines.dropLast().last == "gloss: cannot write to standard output: No space left on device", "\(arguments): \(result.error)")
        #expect(!result.error.contains("Fatal error"), "\(arguments): \(result.error)")
    }

    @Test("over the file-size limit, standard output and -o both fail with the reason and leave no file")
    func fileSizeLimitIsReported() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let corpus = try Self.corpus(in: folder.url, repeats: 20)
        let piped = try Self.gloss(["text", "doc-1.txt"], in: corpus, prefix: "ulimit -f 4;", redirection: "> out.txt")
        #expect(piped.status == 1, "\(piped.error)")
        #expect(piped.error == "gloss: cannot write to standard output: File too large\n", "\(piped.error)")
        let written = try Self.gloss(["export", "doc-1.txt", "--format", "html", "-o", "report.html"], in: corpus, prefix: "ulimit -f 4;")
        #expect(written.status == 1, "\(written.error)")
        #expect(written.error.contains("report.html") && written.error.contains("File too large"), "\(written.error)")
        let left = try FileManager.default.contentsOfDirectory(atPath: corpus.path)
        #expect(!left.contains { $0.contains("report.html") }, "a half-written export was left: \(left)")
    }

    @Test("-o /dev/full names the output and its reason")
    func fullOutputFileIsReported() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let corpus = try Self.corpus(in: folder.url)
        let result = try Self.gloss(["export", "doc-1.txt", "--format", "csv", "-o", "/dev/full"], in: corpus)
        #expect(result.status == 1)
        #expect(result.error.contains("/dev/full") && result.error.contains("No space left on device"), "\(result.error)")
        #expect(!result.error.contains("Fatal error"))
    }

    // MARK: a closed pipe

    /// Runs gloss in `folder` with standard output a pipe whose reading end is closed
    /// before it starts, SIGPIPE ignored when `ignoringSIGPIPE` (as some shells and
    /// programs leave it); returns its status (128 + N when signal N ended it) and what it
    /// wrote on standard error.
    static func glossIntoClosedPipe(_ arguments: [String], in folder: URL, ignoringSIGPIPE: Bool,
                                    environment extra: [String: String] = [:]) throws -> (status: Int32, error: String) {
        var ends: [Int32] = [0, 0]
        #expect(pipe(&ends) == 0)
        close(ends[0])
        defer { close(ends[1]) }
        let script = "cd '\(folder.path)' && \(ignoringSIGPIPE ? "trap '' PIPE;" : "") exec \"$0\" \"$@\""
        let environment = ShellEndToEndTests.environment.merging(["XDG_CONFIG_HOME": "/nonexistent/gloss-tests"]) { $1 }.merging(extra) { $1 }
        let result = try SpawnedProcess("/bin/sh", ["-c", script, Paths.gloss.path] + arguments, environment: environment,
                                        standardOutput: ends[1]).wait()
        return (result.status, result.error)
    }

    @Test("a closed pipe ends every command quietly, as SIGPIPE ends grep and cat, SIGPIPE ignored or not",
          arguments: printingCommands, [false, true])
    func closedPipeEndsQuietly(arguments: [String], ignoringSIGPIPE: Bool) throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let corpus = try Self.corpus(in: folder.url)
        let configuration = folder.url.appendingPathComponent("config.toml")
        try Data("mouse = \"sometimes\"\n".utf8).write(to: configuration)
        let environment = ["GLOSS_CONFIG": configuration.path]
        let result = try Self.glossIntoClosedPipe(arguments, in: corpus, ignoringSIGPIPE: ignoringSIGPIPE, environment: environment)
        #expect(result.status == 128 + SIGPIPE, "\(arguments): \(result.status) \(result.error)")
        // nothing is said beyond what the command says with its output read (codebook export's notes)
        let read = try Self.gloss(arguments, in: corpus, redirection: "> /dev/null", environment: environment)
        #expect(result.error == read.error, "\(arguments): \(result.error)")
    }

    @Test("gloss grep WORD BIG | head -1: one line, then gloss ends quietly by SIGPIPE")
    func grepIntoHeadEndsQuietly() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        _ = try folder.copy(Paths.shared.appendingPathComponent("corpus/large/war-and-peace-pg2600.txt"), as: "novel.txt")
        let script = "cd '\(folder.url.path)' && \"$0\" grep the novel.txt 2> err.txt | head -1 > first.txt; echo ${PIPESTATUS[0]} > status.txt"
        let shell = try #require(which("bash"))
        try run(shell, ["-c", script, Paths.gloss.path], environment: ShellEndToEndTests.environment)
        let first = try String(contentsOf: folder.url.appendingPathComponent("first.txt"), encoding: .utf8)
        #expect(first.hasPrefix("novel.txt:") && first.split(separator: "\n").count == 1, "\(first)")
        let status = try String(contentsOf: folder.url.appendingPathComponent("status.txt"), encoding: .utf8)
        #expect(status.trimmingCharacters(in: .whitespacesAndNewlines) == "\(128 + SIGPIPE)")
        #expect(try String(contentsOf: folder.url.appendingPathComponent("err.txt"), encoding: .utf8).isEmpty)
    }

    @Test("gloss grep writes a match as it finds it: its first line is read while the rest of a large text is still unread")
    func grepStreamsMatches() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        // 8000 matching paragraphs (about 400 kB of output, far over a pipe's 64 kB), then
        // 24 MB without a match: mapped, as every text over 1 MB is
        var text = ""
        for number in 1...8000 { text += "Paragraph \(number) holds the needle here.\n\n" }
        let filler = String(repeating: "Nothing to see in this line of filler text.\n", count: 20) + "\n"
        text += String(repeating: filler, count: 24 * 1024 * 1024 / filler.utf8.count)
        let document = folder.url.appendingPathComponent("big.txt")
        try Data(text.utf8).write(to: document)
        let size = text.utf8.count
        // close-on-exec: gloss must hold no read end of its own, or closing this one would
        // never end it
        var ends: [Int32] = [0, 0]
        try #require(pipe(&ends) == 0)
        for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        let process = try SpawnedProcess(Paths.gloss.path, ["grep", "needle", document.path],
                                          environment: ShellEndToEndTests.environment, standardOutput: ends[1])
        close(ends[1])
        var first: [UInt8] = [], buffer = [UInt8](repeating: 0, count: 256)
        while !first.contains(UInt8(ascii: "\n")) {
            let count = read(ends[0], &buffer, buffer.count)
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            first += buffer[0..<count]
        }
        // Gloss has written at most what the pipe holds and this test read, all of it from
        // the first paragraphs, so a gloss that writes as it searches cannot have gone far
        // past them: the pages of the text it has touched (its mapping's resident size)
        // are a few megabytes. One that searches first and writes after has touched all.
        let touched = Self.residentKiB(of: document, in: process.pid)
        close(ends[0])
        let result = process.wait()
        let line = String(decoding: first.prefix { $0 != UInt8(ascii: "\n") }, as: UTF8.self)
        #expect(line == "\(document.path):1: Paragraph 1 holds the needle here.")
        let touchedKiB = try #require(touched, "the text's mapping is not in /proc/\(process.pid)/smaps")
        #expect(touchedKiB * 1024 < size / 4, "\(touchedKiB) KiB of \(size / 1024) KiB touched before the first match was read")
        // the closed pipe ended it quietly
        #expect(result.status == 128 + SIGPIPE, "\(result.status) \(result.error)")
        #expect(result.error.isEmpty, "\(result.error)")
    }

    /// The resident size in KiB of the mappings of `file` in process `pid`
    /// (`/proc/PID/smaps`): the pages of it the process has touched; nil when it has none.
    static func residentKiB(of file: URL, in pid: pid_t) -> Int? {
        // read to its end: a /proc file's size says 0
        let descriptor = open("/proc/\(pid)/smaps", O_RDONLY)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var bytes: [UInt8] = [], buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = read(descriptor, &buffer, buffer.count)
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            bytes += buffer[0..<count]
        }
        let smaps = String(decoding: bytes, as: UTF8.self)
        let path = file.resolvingSymlinksInPath().path
        var total: Int?, inFile = false
        for line in smaps.split(separator: "\n") {
            let range = line.prefix { $0 != " " }.split(separator: "-")
            if range.count == 2 && range.allSatisfy({ $0.allSatisfy(\.isHexDigit) }) {
                // a mapping's first line: `START-END PERMS OFFSET DEVICE INODE PATH`
                inFile = line.hasSuffix(" " + path)
            } else if inFile, line.hasPrefix("Rss:") {
                let kib = Int(line.split(separator: " ")[1]) ?? 0
                total = (total ?? 0) + kib
            }
        }
        return total
    }

    // MARK: standard error cannot be written

    @Test("the reader with standard error full saves, quits with status 0 and leaves the terminal sane")
    func readerWithFullStandardError() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let article = try folder.copy(Paths.seedArticle)
        let modes = folder.url.appendingPathComponent("modes.txt")
        // a configuration file with a problem: the reader prints it on standard error as it quits
        let configuration = folder.url.appendingPathComponent("config.toml")
        try Data("mouse = \"sometimes\"\n".utf8).write(to: configuration)
        let session = try TmuxSession(command: glossCommand([article.lastPathComponent], environment: ["GLOSS_CONFIG": configuration.path]) + " 2>/dev/full",
                                      folder: folder.url, afterwards: "stty -a > '\(modes.path)' 2>&1")
        try session.waitFor("? help")
        try session.send("j", "a")
        try session.waitFor("Actor:")
        try session.send("with stderr full", literal: true)
        try session.send("Enter")
        try session.waitFor("Tagged Actor: with stderr full")
        try session.send("q")
        let signals = SignalEndToEndTests()
        let after = try signals.aftermath(of: session, modes: modes)
        #expect(after.status == 0)
        signals.expectRestored(after)
        let saved = try #require(try AnnotationStore(path: article.path + ".gloss.json").load())
        #expect(saved.annotations.flatMap(\.tags).map(\.value) == ["with stderr full"])
    }

    // MARK: unknown options and help topics

    /// Every command, with arguments it accepts.
    static let everyCommand: [[String]] = [
        ["doc-1.txt"], ["read", "doc-1.txt"], ["export", "doc-1.txt", "--format", "csv"], ["import", "w3c", "x.json", "--into", "doc-1.txt"],
        ["import", "brat", "x.ann", "--into", "doc-1.txt"], ["import", "qdpx", "x.qdpx", "--into", "doc-1.txt"], ["import"],
        ["codebook", "export"], ["codebook", "import", "x.qdc"], ["codebook"], ["stats", "."], ["grep", "Voronkov", "."],
        ["text", "doc-1.txt"], ["agree", "doc-1.txt.gloss.json", "doc-1.txt.gloss.bo.json"],
        ["merge", "doc-1.txt.gloss.json", "doc-1.txt.gloss.bo.json", "-o", "m.json"], ["config"],
    ]

    @Test("an unknown option is named as unknown, with status 2, for every command, wherever it stands",
          arguments: everyCommand)
    func unknownOptionIsNamed(arguments: [String]) throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let corpus = try Self.corpus(in: folder.url)
        let names = arguments.prefix { !$0.contains(".") && !$0.hasPrefix("-") && $0 != "Voronkov" }
        for placed in [Array(names) + ["--foo"] + arguments.dropFirst(names.count), arguments + ["--foo=1"], Array(names) + ["-Z"]] {
            let result = try Self.gloss(placed, in: corpus)
            #expect(result.status == 2, "\(placed): \(result.status) \(result.error)")
            let option = placed.contains("-Z") ? "-Z" : "--foo"
            #expect(result.error.hasPrefix("Error: Unknown option '\(option)'"), "\(placed): \(result.error)")
            #expect(result.output.isEmpty)
        }
    }

    @Test("the command table above names every command gloss has")
    func everyCommandIsCovered() throws {
        let dump = try Self.gloss(["--experimental-dump-help"], in: Paths.package)
        let root = try #require(try JSONSerialization.jsonObject(with: Data(dump.output.utf8)) as? [String: Any])
        func paths(_ command: [String: Any], _ trail: [String]) -> [[String]] {
            let subcommands = command["subcommands"] as? [[String: Any]] ?? []
            return [trail] + subcommands.flatMap { sub in
                let name = sub["commandName"] as? String ?? ""
                return name == "help" ? [] : paths(sub, trail + [name])
            }
        }
        let all = paths(try #require(root["command"] as? [String: Any]), []).filter { !$0.isEmpty }
        for path in all {
            #expect(Self.everyCommand.contains { Array($0.prefix(path.count)) == path }, "\(path) is not tested for unknown options")
        }
    }

    @Test("gloss help NAME with a name that is no command is a usage error naming it",
          arguments: [["help", "nonexist"], ["help", "export", "nonexist"], ["help", "codebook", "nonexist"]])
    func helpOfAnUnknownCommand(arguments: [String]) throws {
        let result = try Self.gloss(arguments, in: Paths.package)
        #expect(result.status == 2, "\(arguments): \(result.status)")
        #expect(result.error.contains("Unknown command 'nonexist'"), "\(result.error)")
        #expect(result.output.isEmpty)
        let known = try Self.gloss(["help", "codebook", "export"], in: Paths.package)
        #expect(known.status == 0 && known.output.contains("USAGE: gloss codebook export"), "\(known.output)")
    }

    // MARK: refused inputs

    /// What a refused input is, for the table below.
    enum Refused: String, CaseIterable {
        case missing, folder, unreadable, malformed
    }

    /// Every command's file inputs: the command line with `X` for the input, the inputs it
    /// can be given wrongly, and the status expected (1, grep's 2).
    static let inputTable: [(arguments: [String], refused: [Refused])] = [
        (["text", "X"], [.missing, .folder, .unreadable]),
        (["X"], [.missing, .unreadable]),
        (["export", "X", "--format", "csv"], [.missing, .unreadable]),
        (["export", "X", "doc-1.txt", "--format", "csv"], [.missing]),
        (["stats", "X"], [.missing, .unreadable]),
        (["grep", "Voronkov", "X"], [.missing, .unreadable]),
        (["import", "w3c", "w3c.json", "--into", "X"], [.missing, .folder, .unreadable]),
        (["export", "doc-1.txt", "--format", "csv", "--store", "X"], [.missing, .folder, .unreadable, .malformed]),
        (["agree", "X", "doc-1.txt.gloss.json"], [.missing, .folder, .unreadable, .malformed]),
        (["merge", "X", "doc-1.txt.gloss.json", "-o", "merged.json"], [.missing, .folder, .unreadable, .malformed]),
        (["import", "w3c", "w3c.json", "--into", "doc-1.txt", "--store", "X"], [.folder, .unreadable, .malformed]),
        (["export", "doc-1.txt", "--format", "csv", "--codebook", "X"], [.missing, .folder, .unreadable, .malformed]),
        (["stats", "doc-1.txt", "--codebook", "X"], [.missing, .folder, .unreadable, .malformed]),
        (["codebook", "export", "--codebook", "X"], [.missing, .folder, .unreadable, .malformed]),
        (["import", "w3c", "X", "--into", "doc-1.txt"], [.missing, .folder, .unreadable, .malformed]),
        (["import", "brat", "X", "--into", "doc-1.txt"], [.missing, .folder, .unreadable]),
        (["import", "qdpx", "X", "--into", "doc-1.txt"], [.missing, .folder, .unreadable, .malformed]),
        (["codebook", "import", "X", "-o", "new.codebook.json"], [.missing, .folder, .unreadable, .malformed]),
    ]

    /// root reads any file: the unreadable cases run as nobody, as a user without the permission would
    static let asNobody: [String] = getuid() == 0 ? ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] : []

    @Test("a missing, folder, unreadable or malformed input exits with 1 (grep: 2) and names the input, whichever command",
          .enabled(if: getuid() != 0 || FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv"),
                   "as root, the unreadable cases need setpriv to run as nobody"))
    func refusedInputsExitWithOne() throws {
        let folder = try TemporaryFolder()
        defer {
            _ = try? run("/bin/chmod", ["-R", "u+rwX", folder.url.path])
            folder.cleanUp()
        }
        let corpus = try Self.corpus(in: folder.url)
        let exported = try Self.gloss(["export", "doc-1.txt", "--format", "w3c", "-o", "w3c.json"], in: corpus)
        try #require(exported.status == 0, "\(exported.error)")
        try FileManager.default.createDirectory(at: corpus.appendingPathComponent("sub"), withIntermediateDirectories: true)
        try Data("{".utf8).write(to: corpus.appendingPathComponent("damaged.json"))
        // an unreadable document with its store, and an unreadable copy of each other kind of input
        try FileManager.default.copyItem(at: corpus.appendingPathComponent("doc-1.txt"), to: corpus.appendingPathComponent("locked.txt"))
        try FileManager.default.copyItem(at: corpus.appendingPathComponent("doc-1.txt.gloss.json"), to: corpus.appendingPathComponent("locked.txt.gloss.json"))
        _ = try run("/bin/chmod", ["-R", "a+rX,go-w", folder.url.path])
        _ = try run("/bin/chmod", ["a+w", corpus.path])
        chmod(corpus.appendingPathComponent("locked.txt").path, 0)
        for (arguments, refused) in Self.inputTable {
            for kind in refused {
                let input: String
                switch kind {
                case .missing: input = "nowhere.txt"
                case .folder: input = "sub"
                case .unreadable: input = "locked.txt"
                case .malformed: input = "damaged.json"
                }
                let line = arguments.map { $0 == "X" ? input : $0 }
                let result = try run("/bin/sh", ["-c", "cd '\(corpus.path)' && exec \"$@\"", "sh"] + Self.asNobody + [Paths.gloss.path] + line,
                                     environment: ShellEndToEndTests.environment.merging(["XDG_CONFIG_HOME": "/nonexistent/gloss-tests"]) { $1 })
                #expect(result.status == (arguments[0] == "grep" ? 2 : 1), "\(line) (\(kind)): \(result.status) \(result.error)")
                #expect(result.error.contains(input), "\(line) (\(kind)): \(result.error)")
                #expect(!result.error.contains("Fatal error") && !result.error.contains("Error: "), "\(line): \(result.error)")
            }
        }
    }

    // MARK: SIGTERM and SIGHUP

    /// True once process `pid` is gone or a zombie (ended, not yet waited for), polled
    /// for at most `seconds`.
    static func hasEnded(_ pid: pid_t, within seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        repeat {
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return true }
            if stat.split(separator: ")").last?.dropFirst().hasPrefix("Z") ?? true { return true }
            Thread.sleep(forTimeInterval: 0.01)
        } while Date() < deadline
        return false
    }


    @Test("SIGTERM and SIGHUP end a command by that signal, after stopping the pdftotext it runs (and what that started) and leaving no output file")
    func terminationStopsTheProgramsACommandRuns() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let standIn = try StandInPdftotext(in: folder.url)
        let pdf = folder.url.appendingPathComponent("report.pdf")
        try "%PDF-1.4\n%%EOF\n".write(to: pdf, atomically: true, encoding: .utf8)
        let output = folder.url.appendingPathComponent("out.csv").path
        var environment = ShellEndToEndTests.environment.merging(["XDG_CONFIG_HOME": "/nonexistent/gloss-tests"]) { $1 }
        environment["PATH"] = standIn.folder + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
        for (number, arguments) in [(SIGTERM, ["text", pdf.path]), (SIGHUP, ["export", pdf.path, "--format", "csv", "-o", output])] {
            standIn.forget()
            let process = try SpawnedProcess(Paths.gloss.path, arguments, environment: environment)
            try #require(standIn.waitUntilStarted(), "\(arguments): pdftotext never started")
            process.kill(number)
            let result = process.wait()
            #expect(result.status == 128 + number, "\(arguments): \(result.status) \(result.error)")
            #expect(!result.error.contains("cancelled"), "\(arguments): \(result.error)")
            standIn.expectEnded("\(arguments)")
            #expect(!FileManager.default.fileExists(atPath: output))
        }
    }

    @Test("an output that is a FIFO nobody reads (or a link to one) waits for a reader, and SIGTERM or Ctrl-C still end the command there")
    func aSignalEndsACommandWaitingForAFIFOsReader() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let article = try folder.copy(Paths.seedArticle)
        let fifo = folder.url.appendingPathComponent("out.fifo").path
        #expect(mkfifo(fifo, 0o644) == 0)
        let link = folder.url.appendingPathComponent("out.csv").path
        #expect(symlink("out.fifo", link) == 0)
        let environment = ShellEndToEndTests.environment.merging(["XDG_CONFIG_HOME": "/nonexistent/gloss-tests"]) { $1 }
        for (number, output) in [(SIGTERM, fifo), (SIGINT, link)] {
            let process = try SpawnedProcess(Paths.gloss.path, ["export", article.path, "--format", "csv", "-o", output],
                                             environment: environment)
            // blocked in open(2), waiting for the FIFO's reader
            let deadline = Date().addingTimeInterval(20)
            var waiting = ""
            while Date() < deadline {
                waiting = (try? String(contentsOfFile: "/proc/\(process.pid)/wchan", encoding: .utf8)) ?? ""
                if waiting.contains("fifo") || waiting.contains("partner") { break }
                Thread.sleep(forTimeInterval: 0.01)
            }
            #expect(waiting.contains("fifo") || waiting.contains("partner"), "not waiting for a reader: \(waiting)")
            process.kill(number)
            // ended within 5 s (a zombie until waited for), else killed so the test ends
            let exited = Self.hasEnded(process.pid, within: 5)
            #expect(exited, "\(output): still running 5 s after signal \(number)")
            if !exited { process.kill(SIGKILL) }
            let result = process.wait()
            #expect(result.status == 128 + number, "\(output): \(result.status) \(result.error)")
        }
        var entry = stat()
        #expect(lstat(fifo, &entry) == 0 && entry.st_mode & S_IFMT == S_IFIFO, "the FIFO is left as it was")
    }

    // MARK: Ctrl-C in one large document

    @Test("Ctrl-C stops export, grep and stats in the middle of a 100 MB document with status 130, leaving no file and the store as it was")
    func ctrlCStopsWorkOnOneLargeDocument() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let novel = try Data(contentsOf: Paths.shared.appendingPathComponent("corpus/large/war-and-peace-pg2600.txt"))
        let big = folder.url.appendingPathComponent("big.txt")
        var text = Data()
        for _ in 0..<30 { text.append(novel) }
        try text.write(to: big)
        let document = try Document(contentsOfFile: big.path)
        let annotation = Annotation(document: document, range: 0..<40, tags: [GlossCore.Tag(category: "actor", value: "UN")],
                                    author: "ana", date: Date(timeIntervalSince1970: 1_795_000_000))
        let store = AnnotationStore.defaultPath(forDocument: big.path)
        try AnnotationStore(path: store).save(StoreContents(annotations: [annotation]), of: document)
        let storeBytes = try Data(contentsOf: URL(fileURLWithPath: store))
        let before = try FileManager.default.contentsOfDirectory(atPath: folder.url.path).sorted()
        let output = folder.url.appendingPathComponent("out.json").path
        let commands: [[String]] = [
            ["export", big.path, "--format", "w3c", "-o", output], ["export", big.path, "--format", "csv"],
            ["grep", "the", big.path], ["stats", big.path, "--format", "json"], ["text", big.path],
        ]
        let environment = ShellEndToEndTests.environment.merging(["XDG_CONFIG_HOME": "/nonexistent/gloss-tests"]) { $1 }
        for arguments in commands {
            let process = try SpawnedProcess(Paths.gloss.path, arguments, environment: environment)
            // SIGINT is sent once gloss catches it: its caught-signals mask then holds it
            let deadline = Date().addingTimeInterval(20)
            while Date() < deadline {
                let status = (try? String(contentsOfFile: "/proc/\(process.pid)/status", encoding: .utf8)) ?? ""
                let mask = status.split(separator: "\n").first { $0.hasPrefix("SigCgt:") }.flatMap { UInt64($0.dropFirst(7).trimmingCharacters(in: .whitespaces), radix: 16) }
                if let mask, mask & (1 << (UInt64(SIGINT) - 1)) != 0 { break }
                Thread.sleep(forTimeInterval: 0.005)
            }
            process.kill(SIGINT)
            let result = process.wait()
            #expect(result.status == 130, "\(arguments): \(result.status) \(result.error)")
            #expect(result.error.hasSuffix("gloss: cancelled\n"), "\(arguments): \(result.error)")
            // stopped before its work was done: stats and export write only at the end (grep
            // and text write as they go)
            if !["text", "grep"].contains(arguments[0]) { #expect(result.output.isEmpty, "\(arguments): \(result.output.prefix(200))") }
            #expect(result.output.utf8.count < text.count, "\(arguments) ran to the end")
            let after = try FileManager.default.contentsOfDirectory(atPath: folder.url.path).sorted()
            #expect(after == before, "\(arguments) left \(after)")
            #expect(try Data(contentsOf: URL(fileURLWithPath: store)) == storeBytes)
        }
    }

    @Test("a document cut short while a command reads it ends the command with its name, no crash, no output file")
    func aDocumentTruncatedWhileReadIsNamed() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let novel = try Data(contentsOf: Paths.shared.appendingPathComponent("corpus/large/war-and-peace-pg2600.txt"))
        var text = Data()
        for _ in 0..<30 { text.append(novel) }
        let big = folder.url.appendingPathComponent("big.txt")
        let output = folder.url.appendingPathComponent("out.csv").path
        let commands: [(arguments: [String], status: Int32)] = [
            (["export", big.path, "--format", "csv", "-o", output], 1), (["text", big.path], 1), (["grep", "zzzqqq", big.path], 2),
        ]
        let environment = ShellEndToEndTests.environment.merging(["XDG_CONFIG_HOME": "/nonexistent/gloss-tests"]) { $1 }
        for (arguments, expected) in commands {
            try text.write(to: big)
            let process = try SpawnedProcess(Paths.gloss.path, arguments, environment: environment)
            // cut short once the command has mapped it (and so reads it through the map)
            let deadline = Date().addingTimeInterval(20)
            while Date() < deadline {
                let maps = (try? String(contentsOfFile: "/proc/\(process.pid)/maps", encoding: .utf8)) ?? ""
                if maps.contains(big.path) { break }
                Thread.sleep(forTimeInterval: 0.002)
            }
            #expect(truncate(big.path, 1000) == 0)
            let result = process.wait()
            #expect(result.status == expected, "\(arguments): \(result.status) \(result.error)")
            #expect(result.error.hasSuffix("gloss: \(big.path): the file was cut short while it was being read (from \(text.count) to 1000 bytes); stopped, leaving no output file (anything already printed is incomplete)\n"),
                    "\(arguments): \(result.error.suffix(600))")
            #expect(!result.error.contains("crash"), "\(arguments)")
            let left = try FileManager.default.contentsOfDirectory(atPath: folder.url.path).sorted()
            #expect(left == ["big.txt"], "\(arguments) left \(left)")
        }
    }

    @Test("a broken --codebook is reported for an empty folder too, not passed over for want of documents")
    func aBrokenCodebookIsReportedForAnEmptyFolder() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        try FileManager.default.createDirectory(at: folder.url.appendingPathComponent("empty"), withIntermediateDirectories: true)
        try "{ broken".write(to: folder.url.appendingPathComponent("bad.json"), atomically: true, encoding: .utf8)
        for arguments in [["stats", "empty"], ["export", "empty", "--format", "csv"], ["export", "empty", "--format", "qdpx", "-o", "out.qdpx"],
                          ["export", "empty", "--format", "brat", "-o", "brat"]] {
            let result = try Self.gloss(arguments + ["--codebook", "bad.json"], in: folder.url)
            #expect(result.status == 1, "\(arguments): \(result.status)")
            #expect(result.error.contains("gloss: bad.json: not a codebook: not valid JSON"), "\(arguments): \(result.error)")
            #expect(result.output.isEmpty, "\(arguments): \(result.output)")
        }
        // a sound codebook and no documents is no error
        let sound = try Self.gloss(["stats", "empty", "--codebook", Paths.package.appendingPathComponent("Resources/codebook.json").path], in: folder.url)
        #expect(sound.status == 0, "\(sound.error)")
    }
}
