import Foundation
@testable import GlossCore
import Testing

@Suite struct StoreLockTests {
    func storePath() throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gloss-lock-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder.appendingPathComponent("doc.txt.gloss.json").path
    }

    @Test("the first acquire wins; a second sees the owner; release frees it")
    func exclusive() throws {
        let store = try storePath()
        guard case .acquired(let lock) = StoreLock.acquire(forStore: store) else {
            Issue.record("first acquire failed")
            return
        }
        guard case .heldBy(let owner) = StoreLock.acquire(forStore: store) else {
            Issue.record("second acquire did not see the owner")
            return
        }
        #expect(owner == StoreLock.currentOwner)
        lock.release()
        #expect(!FileManager.default.fileExists(atPath: lock.path))
        guard case .acquired(let again) = StoreLock.acquire(forStore: store) else {
            Issue.record("acquire after release failed")
            return
        }
        again.release()
    }

    @Test("a lock left by a process that is gone is taken over")
    func staleLock() throws {
        let store = try storePath()
        let host = StoreLock.currentOwner.host
        // pid 2^22 + 1 is above Linux's pid_max default, so no such process runs
        try "4194305 \(host) someone\n".write(toFile: StoreLock.lockPath(forStore: store), atomically: true, encoding: .utf8)
        guard case .acquired(let lock) = StoreLock.acquire(forStore: store) else {
            Issue.record("stale lock was not taken over")
            return
        }
        #expect(try String(contentsOfFile: lock.path, encoding: .utf8).hasPrefix("\(getpid()) "))
        lock.release()
    }

    @Test("a lock whose pid a process started later has taken (the gloss that wrote it died, the machine restarted) is taken over; one written after its process started is respected")
    func pidTakenByALaterProcess() throws {
        let store = try storePath()
        let lockPath = StoreLock.lockPath(forStore: store)
        let host = StoreLock.currentOwner.host
        // pid 1 runs since the machine started: a lock of pid 1 written now is its own...
        try "1 \(host) someone\n".write(toFile: lockPath, atomically: true, encoding: .utf8)
        guard case .heldBy(let owner) = StoreLock.acquire(forStore: store) else {
            Issue.record("a lock written after its process started was taken over")
            return
        }
        #expect(owner.pid == 1)
        // ...while one written a day before the machine started was another process's
        let started = try #require(StoreLock.processStart(1))
        var times = [timeval(tv_sec: Int(started) - 86_400, tv_usec: 0), timeval(tv_sec: Int(started) - 86_400, tv_usec: 0)]
        #expect(utimes(lockPath, &times) == 0)
        guard case .acquired(let lock) = StoreLock.acquire(forStore: store) else {
            Issue.record("a lock older than the process holding its pid was not taken over")
            return
        }
        #expect(try String(contentsOfFile: lock.path, encoding: .utf8).hasPrefix("\(getpid()) "))
        lock.release()
    }

    @Test("this process's start, read from /proc, is before now and after the machine started")
    func processStartIsRead() throws {
        let own = try #require(StoreLock.processStart(getpid()))
        let boot = try #require(StoreLock.processStart(1))
        #expect(boot <= own && own <= Date().timeIntervalSince1970 + 1)
    }

    @Test("a lock of a live process on another host is respected")
    func otherHost() throws {
        let store = try storePath()
        try "1 elsewhere.example analyst\n".write(toFile: StoreLock.lockPath(forStore: store), atomically: true, encoding: .utf8)
        guard case .heldBy(let owner) = StoreLock.acquire(forStore: store) else {
            Issue.record("a lock from another host was ignored")
            return
        }
        #expect(owner.host == "elsewhere.example" && owner.user == "analyst" && owner.pid == 1)
    }

    @Test("release leaves a lock that another process took over in the meantime")
    func releaseKeepsAnotherOwnersLock() throws {
        let store = try storePath()
        guard case .acquired(let lock) = StoreLock.acquire(forStore: store) else {
            Issue.record("acquire failed")
            return
        }
        try "1 elsewhere.example analyst\n".write(toFile: lock.path, atomically: true, encoding: .utf8)
        lock.release()
        #expect(FileManager.default.fileExists(atPath: lock.path))
    }

    @Test("a lock is never seen empty: its record is written before it appears, and no temporary file stays")
    func lockHasItsRecordFromTheStart() throws {
        let store = try storePath()
        guard case .acquired(let lock) = StoreLock.acquire(forStore: store) else {
            Issue.record("acquire failed")
            return
        }
        #expect(try String(contentsOfFile: lock.path, encoding: .utf8) == "\(getpid()) \(StoreLock.currentOwner.host) \(StoreLock.currentOwner.user)\n")
        let folder = URL(fileURLWithPath: store).deletingLastPathComponent().path
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["doc.txt.gloss.json.lock"])
        lock.release()
    }

    @Test("a store reached through a link to a file not there yet is locked beside that file, where its saves go")
    func lockBesideTheLinkTarget() throws {
        let store = try storePath()
        let folder = (store as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: folder + "/kept", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: store, withDestinationPath: "kept/doc.gloss.json")
        let real = try #require(realpath(folder, nil).map { pointer in defer { free(pointer) }; return String(cString: pointer) })
        #expect(StoreLock.lockPath(forStore: store) == real + "/kept/doc.gloss.json.lock")
        guard case .acquired(let lock) = StoreLock.acquire(forStore: store) else {
            Issue.record("acquire through the link failed")
            return
        }
        #expect(FileManager.default.fileExists(atPath: folder + "/kept/doc.gloss.json.lock"))
        #expect(!FileManager.default.fileExists(atPath: store + ".lock"))
        lock.release()
    }
}
