import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A lock file beside the store, `STORE.lock`, holding the owner's pid, host and login, so
/// a second `gloss` on the same store opens read-only instead of overwriting the first's
/// work (the pattern of vim's swap files and git's index.lock). A lock left by a process
/// that no longer runs on this host, or whose pid another process took since, is stale and
/// taken over.
public final class StoreLock: @unchecked Sendable {
    /// Who holds a lock.
    public struct Owner: Equatable, Sendable, CustomStringConvertible {
        /// Process id on `host`.
        public var pid: Int32
        /// Host name.
        public var host: String
        /// Login name.
        public var user: String

        public var description: String { "\(user) (pid \(pid) on \(host))" }
    }

    /// The outcome of ``acquire(forStore:)``.
    public enum Outcome {
        /// This process holds the lock now; release it when done.
        case acquired(StoreLock)
        /// Another running process holds it.
        case heldBy(Owner)
        /// No lock could be created (for instance, the folder is read-only); `reason` says why.
        case unavailable(reason: String)
    }

    /// Path of the lock file.
    public let path: String
    private var held = true

    private init(path: String) {
        self.path = path
    }

    /// The lock file of the store at `storePath`: beside the file saves write, which for a
    /// symbolic link is the file it names (there or not yet).
    public static func lockPath(forStore storePath: String) -> String {
        AtomicFile.linkTarget(storePath) + ".lock"
    }

    /// The current process's owner record.
    public static var currentOwner: Owner {
        var name = [CChar](repeating: 0, count: 256)
        gethostname(&name, name.count - 1)
        let host = String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return Owner(pid: getpid(), host: host, user: Annotation.currentAuthor)
    }

    /// Takes the lock of the store at `storePath`, created with `O_EXCL` so two processes
    /// cannot both succeed; a stale lock (its process gone on this host) is replaced.
    public static func acquire(forStore storePath: String) -> Outcome {
        let path = lockPath(forStore: storePath)
        for _ in 0..<2 {
            // the record is written first and linked into place, so a lock file is never
            // seen empty, and a full disk leaves none behind
            let owner = currentOwner
            let record = "\(owner.pid) \(owner.host) \(owner.user)\n"
            // hidden, like a save's temporary file: a process killed here leaves only a dot file
            // (string work, not URL's: its first use costs 0.4 million instructions before the first screen)
            let absolute = FilePaths.absolute(path)
            let name = absolute.utf8.lastIndex(of: UInt8(ascii: "/")).map { String(absolute[absolute.index(after: $0)...]) } ?? absolute
            let temporary = FilePaths.folder(of: absolute) + "/" + AtomicFile.temporaryPrefix(for: name) + "\(owner.pid)-\(UInt32.random(in: 0...UInt32.max))"
            let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
            guard descriptor >= 0 else { return .unavailable(reason: String(cString: strerror(errno))) }
            // not synced: a lock outlives no crash of the machine, and it would cost a
            // disk flush before the first screen
            let written = record.withCString { write(descriptor, $0, strlen($0)) }
            close(descriptor)
            guard written == record.utf8.count else {
                let reason = String(cString: strerror(errno))
                unlink(temporary)
                return .unavailable(reason: reason)
            }
            let linked = link(temporary, path) == 0
            let linkError = errno
            unlink(temporary)
            if linked { return .acquired(StoreLock(path: path)) }
            guard linkError == EEXIST else {
                return .unavailable(reason: String(cString: strerror(linkError)))
            }
            guard let owner = readOwner(path) else {
                // an empty or unreadable lock file: a writer died while creating it
                unlink(path)
                continue
            }
            if owner.host == currentOwner.host, !isRunning(owner.pid, since: path) {
                unlink(path)
                continue
            }
            return .heldBy(owner)
        }
        return .unavailable(reason: "the lock file keeps reappearing")
    }

    /// True when process `pid` runs and is the one that wrote the lock file at `path`:
    /// a process that started after the file was written (by more than a second, the
    /// clock's grain here) has only been given the pid of a gloss that died (a crash, a
    /// reboot), and the lock is stale. The start time is `/proc/PID/stat`'s 22nd field
    /// (clock ticks after boot, `proc(5)`) plus `/proc/stat`'s `btime`; without `/proc`,
    /// any running process counts.
    static func isRunning(_ pid: Int32, since path: String) -> Bool {
        guard kill(pid, 0) == 0 || errno != ESRCH else { return false }
        var lockInfo = stat()
        guard stat(path, &lockInfo) == 0, let started = processStart(pid) else { return true }
        return started <= Double(lockInfo.st_mtim.tv_sec) + 1
    }

    /// When process `pid` started, in seconds since 1970, from `/proc`; nil when unknown.
    static func processStart(_ pid: Int32) -> Double? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let boot = try? String(contentsOfFile: "/proc/stat", encoding: .utf8),
              let bootLine = boot.split(separator: "\n").first(where: { $0.hasPrefix("btime ") }),
              let bootTime = Double(bootLine.dropFirst("btime ".count).trimmingCharacters(in: .whitespaces)),
              // the fields after the command name, which is in brackets and may hold spaces
              let close = stat.lastIndex(of: ")") else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        // fields[0] is the state (field 3), so field 22 is fields[19]
        guard fields.count > 19, let ticks = Double(fields[19]) else { return nil }
        let perSecond = Double(sysconf(Int32(_SC_CLK_TCK)))
        return perSecond > 0 ? bootTime + ticks / perSecond : nil
    }

    static func readOwner(_ path: String) -> Owner? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        let fields = text.split(whereSeparator: \.isWhitespace)
        guard fields.count >= 2, let pid = Int32(fields[0]) else { return nil }
        return Owner(pid: pid, host: String(fields[1]), user: fields.count > 2 ? String(fields[2]) : "unknown")
    }

    /// Removes the lock file when it is still this process's. Safe to call more than once.
    public func release() {
        guard held else { return }
        held = false
        // another gloss may have taken over a lock it found empty or stale; that one stays
        guard let owner = StoreLock.readOwner(path), owner.pid == getpid(), owner.host == StoreLock.currentOwner.host else { return }
        unlink(path)
    }

    deinit { release() }
}
