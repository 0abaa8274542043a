import Foundation

/// Start-up work shared between two cores: what the first screen waits for runs on the
/// caller's thread while independent work runs on a new one.
public enum StartupWork {
    /// Runs `background` on a new thread while `foreground` runs on the caller's, and
    /// returns both results once both have finished. An error `foreground` throws is
    /// thrown after `background` has finished, so nothing it uses is freed under it.
    /// - Throws: what `foreground` throws.
    public static func together<Foreground, Background: Sendable>(
        _ foreground: () throws -> Foreground, _ background: @escaping @Sendable () -> Background
    ) rethrows -> (Foreground, Background) {
        let result = Result<Background>()
        Thread.detachNewThread { result.set(background()) }
        let mine: Foreground
        do {
            mine = try foreground()
        } catch {
            _ = result.wait()
            throw error
        }
        return (mine, result.wait())
    }

    /// One value handed from the thread that makes it to the one that waits for it.
    private final class Result<Value: Sendable>: @unchecked Sendable {
        private let condition = NSCondition()
        private var value: Value?

        func set(_ made: Value) {
            condition.lock()
            value = made
            condition.signal()
            condition.unlock()
        }

        func wait() -> Value {
            condition.lock()
            defer { condition.unlock() }
            while value == nil { condition.wait() }
            return value!
        }
    }
}

/// A pointer handed to another thread for reading while its owner keeps the memory alive
/// and unchanged until that thread is done (``StartupWork/together(_:_:)`` waits for it).
struct SharedBytes: @unchecked Sendable {
    /// The first byte.
    let base: UnsafePointer<UInt8>
}
