import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The system calls a save makes, one closure each, so that tests can make any of them fail
/// as a full disk or a read-only folder would. Each returns what the POSIX call returns and
/// sets `errno` on failure.
public struct FileSystemCalls: Sendable {
    /// `open(2)`: path, flags, mode → descriptor or -1.
    public var open: @Sendable (String, Int32, mode_t) -> Int32
    /// `write(2)`: descriptor, bytes, count → bytes written or -1.
    public var write: @Sendable (Int32, UnsafeRawPointer, Int) -> Int
    /// `fsync(2)`: descriptor → 0 or -1.
    public var fsync: @Sendable (Int32) -> Int32
    /// `rename(2)`: from, to → 0 or -1.
    public var rename: @Sendable (String, String) -> Int32
    /// `link(2)`: existing, new → 0 or -1.
    public var link: @Sendable (String, String) -> Int32

    /// Creates a set of calls.
    public init(open: @escaping @Sendable (String, Int32, mode_t) -> Int32,
                write: @escaping @Sendable (Int32, UnsafeRawPointer, Int) -> Int,
                fsync: @escaping @Sendable (Int32) -> Int32,
                rename: @escaping @Sendable (String, String) -> Int32,
                link: @escaping @Sendable (String, String) -> Int32) {
        self.open = open
        self.write = write
        self.fsync = fsync
        self.rename = rename
        self.link = link
    }

    /// The real calls of the C library.
    public static let posix = FileSystemCalls(
        open: { Glibc.open($0, $1, $2) },
        write: { Glibc.write($0, $1, $2) },
        fsync: { Glibc.fsync($0) },
        rename: { Glibc.rename($0, $1) },
        link: { Glibc.link($0, $1) })
}

/// Atomic replacement of a file: temporary file in the same folder, fsync, rename, fsync
/// of the folder (the pattern of git's lock files).
public enum AtomicFile {
    /// Replaces the file at `path` with `data`, keeping the replaced file's permission
    /// bits; when `path` is a symbolic link, the file it points to is replaced. A device,
    /// pipe or socket there (`/dev/stdout`, a FIFO) is written into as it is, since
    /// renaming a file over it would replace it.
    /// - Parameters:
    ///   - backup: when given and a file exists at `path`, that file becomes `backup`
    ///     (replacing any earlier one) just before the new one takes its place, like vim's
    ///     `backupcopy`. A backup that cannot be made does not stop the save.
    ///   - calls: the system calls to use; tests inject failures here.
    /// - Throws: ``StoreError`` naming `path` and the system's reason; on failure the old
    ///   file is byte for byte as it was and the temporary file is removed.
    ///
    /// An exit on Ctrl-C waits for the write to end (``InterruptGuard``): no temporary
    /// file is left behind.
    public static func write(_ data: Data, to path: String, backup: String? = nil, calls: FileSystemCalls = .posix) throws {
        try InterruptGuard.completing { try replace(path, with: data, backup: backup, calls: calls) }
    }

    /// The file `path` stands for: itself, or the end of its chain of symbolic links,
    /// followed even when the last one points to nothing yet (at most 40 links, as the
    /// kernel follows), with the links in its folders resolved.
    public static func linkTarget(_ path: String) -> String {
        var current = path
        for _ in 0..<40 {
            var info = stat()
            guard lstat(current, &info) == 0, info.st_mode & S_IFMT == S_IFLNK,
                  let target = try? FileManager.default.destinationOfSymbolicLink(atPath: current) else { break }
            // a relative target is relative to the link's folder (the working folder for a bare name)
            let folder = (current as NSString).deletingLastPathComponent
            current = target.hasPrefix("/") || folder.isEmpty ? target : folder + "/" + target
        }
        return FilePaths.resolvingLinks(current)
    }

    private static func replace(_ path: String, with data: Data, backup: String?, calls: FileSystemCalls) throws {
        try refuseAfterDocumentFault(path)
        // a symbolic link stays a link: the file it points to is the one replaced (or
        // made, for a link to a file not there yet)
        let url = URL(fileURLWithPath: linkTarget(path))
        // still a link after following: a loop (one back to itself), which a rename would
        // replace with a regular file
        var linkInfo = stat()
        if lstat(url.path, &linkInfo) == 0, linkInfo.st_mode & S_IFMT == S_IFLNK {
            throw StoreError(path: path, problem: "it is a loop of symbolic links (one leads back to another); nothing written")
        }
        var existing = stat()
        let exists = stat(url.path, &existing) == 0
        // (a folder goes the usual way, where the rename over it fails)
        if exists, existing.st_mode & S_IFMT != S_IFREG, existing.st_mode & S_IFMT != S_IFDIR {
            // a FIFO's open waits for a reader, maybe for ever: Ctrl-C and kill end it there
            let descriptor = InterruptGuard.waitingOutside { calls.open(url.path, O_WRONLY | O_CLOEXEC, 0) }
            guard descriptor >= 0 else { throw StoreError(path: path, problem: reason(errno)) }
            defer { close(descriptor) }
            if let code = writeAll(data, to: descriptor, calls: calls) { throw StoreError(path: path, problem: reason(code)) }
            return
        }
        let existingMode: mode_t? = exists ? existing.st_mode & 0o7777 : nil
        let folder = url.deletingLastPathComponent().path
        func temporaryName(for name: String) -> String {
            folder + "/" + AtomicFile.temporaryPrefix(for: name) + "\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        }
        let temporary = temporaryName(for: url.lastPathComponent)
        func failure(_ what: String, _ code: Int32) -> StoreError {
            StoreError(path: path, problem: "cannot save: \(what): \(AtomicFile.reason(code))")
        }
        try writeSynced(data, to: temporary, mode: existingMode, calls: calls, failure: failure)
        if exists, let backup {
            keepBackup(of: url.path, as: backup, calls: calls, temporary: temporaryName(for: URL(fileURLWithPath: backup).lastPathComponent))
        }
        do {
            try refuseAfterDocumentFault(path)
        } catch {
            unlink(temporary)
            throw error
        }
        guard calls.rename(temporary, url.path) == 0 else {
            let error = failure("cannot rename the temporary file into place", errno)
            unlink(temporary)
            throw error
        }
        syncFolder(folder)
    }

    /// Throws when a command's mapped document was cut short while it was read
    /// (``MappedDocuments``): `data` may hold zeros in place of its text.
    private static func refuseAfterDocumentFault(_ path: String) throws {
        if let fault = MappedDocuments.faultRefusingWrites {
            throw StoreError(path: path, problem: "not written, as \(fault)")
        }
    }

    /// The start of the names of the temporary files that replace a file named `name`:
    /// `.NAME.tmp-`, followed by the writer's pid, `-` and a random number.
    public static func temporaryPrefix(for name: String) -> String {
        "." + name + ".tmp-"
    }

    /// Removes the temporary files that writes of the files named `names` in `folder` left
    /// when their process was killed: only names of the form `.NAME.tmp-PID-NUMBER` whose
    /// process no longer runs on this host, and only regular files. Call it only while
    /// holding the lock that keeps writers on other hosts away.
    /// - Returns: the names removed.
    @discardableResult
    public static func removeAbandonedTemporaries(of names: Set<String>, in folder: String) -> [String] {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: folder.isEmpty ? "." : folder) else { return [] }
        var removed: [String] = []
        for entry in entries {
            guard let pid = temporaryOwner(of: entry, names: names), pid != getpid(),
                  kill(pid, 0) != 0, errno == ESRCH else { continue }
            let entryPath = (folder.isEmpty ? "." : folder) + "/" + entry
            var status = stat()
            guard lstat(entryPath, &status) == 0, status.st_mode & S_IFMT == S_IFREG else { continue }
            if unlink(entryPath) == 0 { removed.append(entry) }
        }
        return removed.sorted()
    }

    /// The pid in `entry` when it is the name of a temporary file of one of `names`.
    static func temporaryOwner(of entry: String, names: Set<String>) -> pid_t? {
        for name in names {
            let prefix = temporaryPrefix(for: name)
            guard entry.hasPrefix(prefix) else { continue }
            let fields = entry.dropFirst(prefix.count).split(separator: "-", omittingEmptySubsequences: false)
            guard fields.count == 2, let pid = pid_t(fields[0]), pid > 0, UInt32(fields[1]) != nil,
                  fields.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }) else { continue }
            return pid
        }
        return nil
    }

    /// The system's words for `code`; for EFBIG, also the file-size limit that was hit.
    static func reason(_ code: Int32) -> String {
        let words = String(cString: strerror(code))
        guard code == EFBIG else { return words }
        var limit = rlimit()
        #if os(Linux)
        let found = getrlimit(__rlimit_resource_t(RLIMIT_FSIZE.rawValue), &limit) == 0
        #else
        let found = getrlimit(RLIMIT_FSIZE, &limit) == 0
        #endif
        guard found, limit.rlim_cur != rlim_t.max else { return words }
        return words + " (the limit is \(limit.rlim_cur / 1024) KiB, ulimit -f)"
    }

    /// Writes `data` to a new file at `temporary` and syncs it.
    private static func writeSynced(_ data: Data, to temporary: String, mode: mode_t?, calls: FileSystemCalls,
                                    failure: (String, Int32) -> StoreError) throws {
        let descriptor = calls.open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            let code = errno
            throw failure("cannot create a temporary file in \(URL(fileURLWithPath: temporary).deletingLastPathComponent().path)", code)
        }
        var code = writeAll(data, to: descriptor, calls: calls) ?? 0
        // the replacement keeps the permissions of the file it replaces
        if code == 0, let mode, fchmod(descriptor, mode) != 0 { code = errno }
        if code == 0, calls.fsync(descriptor) != 0 { code = errno }
        if code != 0 {
            let error = failure("writing failed", code)
            close(descriptor)
            unlink(temporary)
            throw error
        }
        close(descriptor)
    }

    /// Writes all of `data` to `descriptor`, going on after interrupted writes.
    /// - Returns: the `errno` of a write that failed, nil when all was written.
    private static func writeAll(_ data: Data, to descriptor: Int32, calls: FileSystemCalls) -> Int32? {
        data.withUnsafeBytes { buffer in
            var written = 0
            while written < buffer.count {
                let result = calls.write(descriptor, buffer.baseAddress! + written, buffer.count - written)
                if result < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                written += result
            }
            return nil
        }
    }

    /// Makes `backup` a second name of the file at `path` (a hard link, else a copy),
    /// replacing the earlier backup in one rename. A symbolic link at `backup` is replaced
    /// itself, never followed: anyone who can write the folder could point it at a file
    /// the user can write (the document, say), which the backup would overwrite.
    private static func keepBackup(of path: String, as backup: String, calls: FileSystemCalls, temporary: String) {
        if calls.link(path, temporary) != 0 {
            // no hard links here (some network and FAT file systems): copy instead
            guard let contents = FileManager.default.contents(atPath: path),
                  (try? writeSynced(contents, to: temporary, mode: nil, calls: calls, failure: { what, _ in StoreError(path: backup, problem: what) })) != nil
            else { return }
        }
        if calls.rename(temporary, backup) != 0 {
            unlink(temporary)
        }
    }

    /// Flushes the folder's entries so that a rename survives a power cut.
    private static func syncFolder(_ folder: String) {
        let descriptor = open(folder.isEmpty ? "." : folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if descriptor >= 0 {
            fsync(descriptor)
            close(descriptor)
        }
    }
}
