import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A lock file beside the store, `STORE.lock`, holding the owner's pid, host and login, so
/// a second `gloss` on the same store opens read-only instead of overwriting the first's
/// work (the pattern of vim's swap files and git's index.lock). A lock left by a process
/// that no longer runs on this host is stale and taken over.
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

    /// The lock file of the store at `storePath`.
    public static func lockPath(forStore storePath: String) -> String {
        URL(fileURLWithPath: storePath).resolvingSymlinksInPath().path + ".lock"
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
            let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
            if descriptor >= 0 {
                let owner = currentOwner
                let record = "\(owner.pid) \(owner.host) \(owner.user)\n"
                _ = record.withCString { write(descriptor, $0, strlen($0)) }
                fsync(descriptor)
                close(descriptor)
                return .acquired(StoreLock(path: path))
            }
            guard errno == EEXIST else {
                return .unavailable(reason: String(cString: strerror(errno)))
            }
            guard let owner = readOwner(path) else {
                // an empty or unreadable lock file: a writer died while creating it
                unlink(path)
                continue
            }
            if owner.host == currentOwner.host, kill(owner.pid, 0) != 0, errno == ESRCH {
                unlink(path)
                continue
            }
            return .heldBy(owner)
        }
        return .unavailable(reason: "the lock file keeps reappearing")
    }

    static func readOwner(_ path: String) -> Owner? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        let fields = text.split(whereSeparator: \.isWhitespace)
        guard fields.count >= 2, let pid = Int32(fields[0]) else { return nil }
        return Owner(pid: pid, host: String(fields[1]), user: fields.count > 2 ? String(fields[2]) : "unknown")
    }

    /// Removes the lock file. Safe to call more than once.
    public func release() {
        guard held else { return }
        held = false
        unlink(path)
    }

    deinit { release() }
}
