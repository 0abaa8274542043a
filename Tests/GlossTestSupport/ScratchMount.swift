import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A small tmpfs mounted on a fresh folder, for tests of full disks and read-only folders.
/// Only root with the right to mount gets one; ``mount(sizeKiB:)`` returns nil elsewhere.
public final class ScratchMount {
    /// The mounted folder.
    public let url: URL

    private init(url: URL) {
        self.url = url
    }

    /// True when this process may mount a tmpfs (root with the right to mount), found by
    /// mounting one once.
    public static let available: Bool = {
        guard let probe = mount(sizeKiB: 64) else { return false }
        probe.remove()
        return true
    }()

    /// Mounts a tmpfs of `sizeKiB` KiB on a new temporary folder, or returns nil when this
    /// process is not root or may not mount (an unprivileged container).
    public static func mount(sizeKiB: Int) -> ScratchMount? {
        guard geteuid() == 0, let mountPath = which("mount") else { return nil }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gloss-tmpfs-\(UUID().uuidString)")
        guard (try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false)) != nil else { return nil }
        guard let result = try? run(mountPath, ["-t", "tmpfs", "-o", "size=\(sizeKiB)k", "tmpfs", folder.path]),
              result.status == 0 else {
            try? FileManager.default.removeItem(at: folder)
            return nil
        }
        return ScratchMount(url: folder)
    }

    /// Makes the mount read-only (`mount -o remount,ro`).
    /// - Throws: an error naming the mount when remounting fails.
    public func makeReadOnly() throws {
        let result = try run(which("mount") ?? "/bin/mount", ["-o", "remount,ro", url.path])
        guard result.status == 0 else {
            throw NSError(domain: "ScratchMount", code: Int(result.status), userInfo: [NSLocalizedDescriptionKey: "remount of \(url.path) failed: \(result.error)"])
        }
    }

    /// Fills the file system with a file of zeros until writing fails with ENOSPC.
    /// - Returns: the errno the last write failed with.
    public func fill() -> Int32 {
        let descriptor = open(url.appendingPathComponent("filler").path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard descriptor >= 0 else { return errno }
        defer { close(descriptor) }
        let block = [UInt8](repeating: 0, count: 4096)
        while true {
            let written = block.withUnsafeBytes { write(descriptor, $0.baseAddress!, $0.count) }
            if written < 0 { return errno }
            if written < block.count {
                // the last partial block: the next write reports the error
                continue
            }
        }
    }

    /// Unmounts and removes the folder.
    public func remove() {
        _ = try? run(which("umount") ?? "/bin/umount", [url.path])
        try? FileManager.default.removeItem(at: url)
    }
}
