import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The outcome of a finished process.
public struct ProcessResult {
    /// Exit status, or 128 plus the signal number when a signal ended it.
    public var status: Int32
    /// Everything written to standard output.
    public var output: String
    /// Everything written to standard error.
    public var error: String
}

/// Runs `executable` with `arguments` and waits for it, with `posix_spawn` and `waitpid`
/// on the calling thread. (Foundation's `Process` waits for its exit through a monitor that
/// can starve when every cooperative thread is blocked in a test, leaving zombies.)
/// Output goes to temporary files, not pipes: a tmux server started by `new-session` keeps
/// its inherited output open, and reading a pipe to its end would wait for that server.
@discardableResult
public func run(_ executable: String, _ arguments: [String], environment: [String: String]? = nil) throws -> ProcessResult {
    try SpawnedProcess(executable, arguments, environment: environment).wait()
}

/// A started child process, its standard output and error going to temporary files.
public final class SpawnedProcess {
    /// The child's process id.
    public let pid: pid_t
    private let outputPath: String
    private let errorPath: String

    /// Starts `executable` with `arguments`, standard input from /dev/null, no blocked
    /// signals and default handlers, as from a shell; standard output to `standardOutput`
    /// (a descriptor of the caller's, such as a pipe's end) when given, else to a file.
    /// - Throws: `POSIXError` when it cannot be started.
    public init(_ executable: String, _ arguments: [String], environment: [String: String]? = nil,
                standardOutput: Int32? = nil) throws {
        outputPath = FileManager.default.temporaryDirectory.appendingPathComponent("gloss-run-\(UUID().uuidString).out").path
        errorPath = outputPath.replacingOccurrences(of: ".out", with: ".err")
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        if let standardOutput {
            posix_spawn_file_actions_adddup2(&actions, standardOutput, 1)
        } else {
            posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        }
        posix_spawn_file_actions_addopen(&actions, 2, errorPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let environmentLines = (environment ?? ProcessInfo.processInfo.environment).map { "\($0.key)=\($0.value)" }
        func cStrings(_ strings: [String]) -> [UnsafeMutablePointer<CChar>?] { strings.map { strdup($0) } + [nil] }
        let argv = cStrings([executable] + arguments)
        let envp = cStrings(environmentLines)
        defer { (argv + envp).forEach { free($0) } }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t(), allSignals = sigset_t()
        sigemptyset(&noSignals)
        sigfillset(&allSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        guard spawned == 0 else {
            unlink(outputPath)
            unlink(errorPath)
            throw POSIXError(POSIXErrorCode(rawValue: spawned) ?? .EIO)
        }
        self.pid = pid
    }

    /// What the child has written to standard output so far.
    public var outputSoFar: String {
        (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
    }

    /// Sends `signal` to the child.
    public func kill(_ signal: Int32) {
        _ = Glibc.kill(pid, signal)
    }

    /// Waits for the child to end and collects its output.
    public func wait() -> ProcessResult {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let exited = status & 0x7F == 0
        let code = exited ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        defer {
            unlink(outputPath)
            unlink(errorPath)
        }
        return ProcessResult(status: code,
                             output: (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "",
                             error: (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? "")
    }
}

/// Finds a program on PATH; nil when it is not there.
public func which(_ name: String) -> String? {
    for folder in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
        let path = "\(folder)/\(name)"
        if FileManager.default.isExecutableFile(atPath: path) { return path }
    }
    return nil
}

