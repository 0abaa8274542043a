import Foundation

/// Work that an exit on Ctrl-C must let finish: a file being replaced (``AtomicFile``), a
/// folder of output files being written. A command that ends at once when interrupted
/// asks for its exit through ``exitWhenSafe(_:)``, which runs the exit now when no such
/// work is under way, else as the last one ends; so an interrupted command leaves neither a
/// temporary file nor a half-written output behind, and a store is replaced whole or not at all.
///
/// Nothing changes for a process that never asks for an exit (the reader): a guarded
/// section then costs one lock taken twice.
public enum InterruptGuard {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var running = 0
    /// Sections running on each thread, for ``waitingOutside(_:)``.
    nonisolated(unsafe) private static var runningOn: [pthread_t: Int] = [:]
    nonisolated(unsafe) private static var pendingExit: (@Sendable () -> Void)?

    /// Runs `body`; an exit asked for meanwhile (on any thread) waits until it returns or
    /// throws. Sections may nest and run on several threads at once.
    /// - Throws: what `body` throws.
    public static func completing<T>(_ body: () throws -> T) rethrows -> T {
        let thread = pthread_self()
        lock.lock()
        running += 1
        runningOn[thread, default: 0] += 1
        lock.unlock()
        defer {
            lock.lock()
            running -= 1
            runningOn[thread, default: 1] -= 1
            if runningOn[thread] == 0 { runningOn[thread] = nil }
            // the lock stays held while exiting: no new section starts
            if running == 0, let pendingExit { pendingExit() }
            lock.unlock()
        }
        return try body()
    }

    /// Runs `body`, which waits on something outside Gloss before anything is written (a
    /// FIFO's reader), as if the calling thread's ``completing(_:)`` sections were not
    /// running: an exit asked for meanwhile runs at once unless another thread's section is.
    /// - Throws: what `body` throws.
    public static func waitingOutside<T>(_ body: () throws -> T) rethrows -> T {
        let thread = pthread_self()
        lock.lock()
        let own = runningOn[thread] ?? 0
        running -= own
        if running == 0, let pendingExit { pendingExit() }
        lock.unlock()
        defer {
            lock.lock()
            running += own
            lock.unlock()
        }
        return try body()
    }

    /// Runs `exit`, which must end the process (`_exit`), now when no section of
    /// ``completing(_:)`` is running, else when the last one running ends. Only the first
    /// exit asked for is run.
    public static func exitWhenSafe(_ exit: @escaping @Sendable () -> Void) {
        lock.lock()
        defer { lock.unlock() }
        if pendingExit == nil { pendingExit = exit }
        if running == 0 { pendingExit?() }
    }
}
