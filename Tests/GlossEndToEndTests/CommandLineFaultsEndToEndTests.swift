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
    static func glossIntoClosedPipe(_ arguments: [String], in folder: URL, ignoringSIGPIPE: Bool) throws -> (status: Int32, error: String) {
        var ends: [Int32] = [0, 0]
        #expect(pipe(&ends) == 0)
        close(ends[0])
        defer { close(ends[1]) }
        let errorPath = folder.appendingPathComponent("stderr-\(UUID().uuidString)").path
        defer { unlink(errorPath) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, ends[1], 1)
        posix_spawn_file_actions_addopen(&actions, 2, errorPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t(), allSignals = sigset_t()
        sigemptyset(&noSignals)
        sigfillset(&allSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let script = "cd '\(folder.path)' && \(ignoringSIGPIPE ? "trap '' PIPE;" : "") exec \"$0\" \"$@\""
        let environment = ShellEndToEndTests.environment.merging(["XDG_CONFIG_HOME": "/nonexistent/gloss-tests"]) { $1 }
        let argv = (["/bin/sh", "-c", script, Paths.gloss.path] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, "/bin/sh", &actions, &attributes, argv, envp)
        try #require(spawned == 0)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let code = status & 0x7F == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        return (code, (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? "")
    }

    @Test("a closed pipe ends every command quietly, as SIGPIPE ends grep and cat, SIGPIPE ignored or not",
          arguments: printingCommands, [false, true])
    func closedPipeEndsQuietly(arguments: [String], ignoringSIGPIPE: Bool) throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let corpus = try Self.corpus(in: folder.url)
        let result = try Self.glossIntoClosedPipe(arguments, in: corpus, ignoringSIGPIPE: ignoringSIGPIPE)
        #expect(result.status == 128 + SIGPIPE, "\(arguments): \(result.status) \(result.error)")
        #expect(result.error.isEmpty, "\(arguments): \(result.error)")
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
}
