import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs a program without a shell (`posix_spawn`), collecting what it writes, and stops
/// it when it runs too long.
public enum Subprocess {
    /// What a finished program wrote and how it ended.
    struct Result {
        /// Exit status, or 128 plus the signal number when a signal ended it.
        var status: Int32
        /// Everything written to standard output.
        var output: [UInt8]
        /// What was written to standard error, at most ``errorLimit`` bytes of it.
        var error: [UInt8]
    }

    /// Why a program could not be run to its end.
    enum Failure: Error {
        /// `posix_spawn` failed with this `errno`.
        case cannotStart(Int32)
        /// The program ran past the deadline and was killed.
        case timedOut
        /// The program wrote more than the output limit and was killed.
        case tooMuchOutput
        /// ``shouldStop`` asked for the program to be stopped, and it was killed.
        case stopped
    }

    /// Held while pipes are made and a program started (see ``run(_:_:timeout:)``).
    private static let spawnLock = NSLock()
    /// The programs started and not reaped yet, by pid: a command ended by a signal stops
    /// them first (``stopRunning()``), or they would run on without a parent.
    nonisolated(unsafe) private static var running: Set<pid_t> = []
    private static let runningLock = NSLock()

    /// Kills (`SIGKILL`) every program started here that has not ended, with whatever it
    /// started (its process group): for a command that is about to exit on a signal
    /// (Ctrl-C, `kill`). Safe from any thread.
    public static func stopRunning() {
        runningLock.lock()
        defer { runningLock.unlock() }
        for pid in running { kill(-pid, SIGKILL) }
    }

    /// Called before each program starts (on the thread that starts it): the reader
    /// catches signals only while it opens a document with a program, before its screen.
    nonisolated(unsafe) public static var beforeStarting: (@Sendable () -> Void)?

    /// Asked while a program runs (ten times a second, and at once after a signal):
    /// true kills it and ends ``run(_:_:timeout:outputLimit:)`` with ``Failure/stopped``.
    /// The reader's screen sets it to "a signal asks the reader to end".
    nonisolated(unsafe) public static var shouldStop: (@Sendable () -> Bool)?

    /// Standard error kept, in bytes: enough for its last messages.
    static let errorLimit = 1 << 16

    /// The full path of `name` in one of the `PATH` folders (`searchPath`, else the
    /// environment's), executable; nil when there is none.
    static func find(_ name: String, searchPath: String? = nil) -> String? {
        let folders = (searchPath ?? ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        for folder in folders where !folder.isEmpty {
            let path = folder + "/" + name
            if access(path, X_OK) == 0 { return path }
        }
        return nil
    }

    /// True when the child `pid` has ended; it is left unreaped (`WNOWAIT`), so its pid
    /// still names its process group.
    private static func hasExited(_ pid: pid_t) -> Bool {
        var info = siginfo_t()
        return waitid(P_PID, id_t(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_signo == SIGCHLD
    }

    /// Seconds a program runs before ``run(_:_:timeout:outputLimit:whenSlow:)`` calls its
    /// `whenSlow`: longer than a short PDF takes, short enough that a blank wait is not
    /// taken for a hang.
    static let slowAfter = 0.5

    /// Runs `executable` with `arguments`, standard input from `/dev/null`, and waits for
    /// it at most `timeout` seconds, reading its output meanwhile (so a large output never
    /// fills the pipe and stalls it), at most `outputLimit` bytes of it. `whenSlow` is
    /// called once, on the caller's thread, when the program is still running after
    /// ``slowAfter`` seconds.
    /// - Throws: ``Failure/cannotStart(_:)``; ``Failure/timedOut``,
    ///   ``Failure/tooMuchOutput`` or ``Failure/stopped`` after killing it (`SIGKILL`,
    ///   with its process group) and reaping it.
    static func run(_ executable: String, _ arguments: [String], timeout: Double, outputLimit: Int = Int.max,
                    whenSlow: (() -> Void)? = nil) throws -> Result {
        beforeStarting?()
        var outputPipe: [Int32] = [-1, -1], errorPipe: [Int32] = [-1, -1]
        // pipes are made close-on-exec, and made and handed over under one lock, so a
        // program another thread starts meanwhile never holds them open (Glibc's pipe2
        // does not import)
        spawnLock.lock()
        guard pipe(&outputPipe) == 0 else {
            let code = errno
            spawnLock.unlock()
            throw Failure.cannotStart(code)
        }
        guard pipe(&errorPipe) == 0 else {
            let code = errno
            outputPipe.forEach { close($0) }
            spawnLock.unlock()
            throw Failure.cannotStart(code)
        }
        for descriptor in outputPipe + errorPipe { _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC) }
        var readEnds = [outputPipe[0], errorPipe[0]]
        defer { readEnds.filter { $0 >= 0 }.forEach { close($0) } }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, outputPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errorPipe[1], 2)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // the reader blocks some signals and handles others; the program gets the defaults
        var noSignals = sigset_t(), allSignals = sigset_t()
        sigemptyset(&noSignals)
        sigfillset(&allSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        // a process group of its own, so that stopping it stops what it started too (a
        // wrapper script's children); the terminal's Ctrl-C then reaches gloss alone, which
        // stops the group (``stopRunning()``)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP))
        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        var spawned = posix_spawn(&pid, executable, &actions, &attributes, argv, environ)
        // a program file just written is "busy" while a child forked meanwhile by another
        // thread still holds its write descriptor; that child soon execs or exits
        var retries = 0
        while spawned == ETXTBSY && retries < 50 {
            usleep(20_000)
            retries += 1
            spawned = posix_spawn(&pid, executable, &actions, &attributes, argv, environ)
        }
        close(outputPipe[1])
        close(errorPipe[1])
        if spawned == 0 {
            runningLock.lock()
            running.insert(pid)
            runningLock.unlock()
        }
        spawnLock.unlock()
        guard spawned == 0 else { throw Failure.cannotStart(spawned) }
        defer {
            runningLock.lock()
            running.remove(pid)
            runningLock.unlock()
        }

        var output: [UInt8] = [], error: [UInt8] = []
        var block = [UInt8](repeating: 0, count: 1 << 16)
        let started = DispatchTime.now().uptimeNanoseconds
        let deadline = started + UInt64(max(0, timeout) * 1e9)
        var slowNoticeAt = whenSlow == nil ? nil : started + UInt64(Self.slowAfter * 1e9)
        var stragglersStopped = false
        while readEnds.contains(where: { $0 >= 0 }) {
            let now = DispatchTime.now().uptimeNanoseconds
            if let due = slowNoticeAt, now >= due {
                slowNoticeAt = nil
                whenSlow?()
            }
            let stop = shouldStop?() == true
            guard now < deadline, output.count <= outputLimit, !stop else {
                kill(-pid, SIGKILL)
                var status: Int32 = 0
                while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
                throw stop ? Failure.stopped : now < deadline ? Failure.tooMuchOutput : Failure.timedOut
            }
            var polled = readEnds.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            // ``shouldStop`` is asked at least ten times a second (a key does not end the poll)
            var wait = Int32(min(shouldStop == nil && !stragglersStopped ? 1000 : 100, (deadline - now) / 1_000_000 + 1))
            if let due = slowNoticeAt { wait = min(wait, Int32((due - min(due, now)) / 1_000_000 + 1)) }
            let ready = poll(&polled, nfds_t(polled.count), wait)
            if ready < 0 {
                if errno == EINTR { continue }
                break
            }
            if ready == 0 && hasExited(pid) {
                // it ended, but something it started still holds its output open: stopped,
                // so that what it wrote is read to its end now rather than at the deadline
                if !stragglersStopped {
                    kill(-pid, SIGKILL)
                    stragglersStopped = true
                    continue
                }
                // still silent, held by something that left its process group (`setsid`),
                // out of reach: what the program wrote before it ended is all there is
                break
            }
            for (slot, entry) in polled.enumerated() where entry.fd >= 0 && entry.revents != 0 {
                let count = block.withUnsafeMutableBytes { read(entry.fd, $0.baseAddress, $0.count) }
                if count < 0 && errno == EINTR { continue }
                if count <= 0 {
                    close(entry.fd)
                    readEnds[slot] = -1
                } else if slot == 0 {
                    output.append(contentsOf: block[0..<count])
                } else if error.count < errorLimit {
                    error.append(contentsOf: block[0..<min(count, errorLimit - error.count)])
                }
            }
        }
        // a program may close its output and still run: it gets the rest of the time
        var status: Int32 = 0
        while true {
            let reaped = waitpid(pid, &status, WNOHANG)
            if reaped == pid || (reaped < 0 && errno != EINTR) { break }
            let stop = shouldStop?() == true
            if stop || DispatchTime.now().uptimeNanoseconds >= deadline {
                kill(-pid, SIGKILL)
                while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
                throw stop ? Failure.stopped : Failure.timedOut
            }
            if reaped == 0 { usleep(2_000) }
        }
        let exited = status & 0x7F == 0
        return Result(status: exited ? (status >> 8) & 0xFF : 128 + (status & 0x7F), output: output, error: error)
    }
}
