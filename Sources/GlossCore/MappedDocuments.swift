import CMappedFiles
import Foundation

/// Documents read through a memory map, and what happens when a mapped file is truncated
/// (or its storage fails) while Gloss reads it. The kernel then raises SIGBUS at the first
/// read past the file's new end, which would kill the process. Instead, the pages past
/// that point read as zeros, the fault is recorded, and whoever reads the mapping decides:
/// a command ends at once, naming the file, without committing any output file
/// (``endCommandsOnFault(notifying:)``); the reader notices the changed file
/// (``Document/changedOnDisk``) and stops saving.
public enum MappedDocuments {
    /// A mapped document whose file came up short while it was read.
    public struct Fault: CustomStringConvertible, Equatable, Sendable {
        /// The document's path as it was opened.
        public var path: String
        /// Its size in bytes when it was mapped.
        public var mappedSize: Int
        /// Its size in bytes now, or nil when it cannot be read.
        public var currentSize: Int?

        /// `PATH: the file was cut short while it was being read (from M to N bytes)`, or,
        /// when it is no shorter (its storage failed), `PATH: the file could not be read
        /// to its end`.
        public var description: String {
            if let currentSize, currentSize < mappedSize {
                return "\(path): the file was cut short while it was being read (from \(mappedSize) to \(currentSize) bytes)"
            }
            return "\(path): the file could not be read to its end"
        }
    }

    private static let lock = NSLock()
    nonisolated(unsafe) private static var registered: [Int32: (path: String, size: Int)] = [:]
    nonisolated(unsafe) private static var refusesWrites = false

    /// Registers `count` bytes mapped at `base` from the file at `path`; returns the slot
    /// to give ``unregister(_:)``, or nil when there is no room (the mapping is then not
    /// protected).
    static func register(_ base: UnsafeRawPointer, count: Int, path: String) -> Int32? {
        lock.lock()
        defer { lock.unlock() }
        let slot = gloss_mapping_register(base, count)
        guard slot >= 0 else { return nil }
        registered[slot] = (path, count)
        return slot
    }

    /// Forgets a mapping before it is unmapped; one that faulted stays known for ``fault``.
    static func unregister(_ slot: Int32) {
        lock.lock()
        defer { lock.unlock() }
        gloss_mapping_unregister(slot)
        if gloss_mapping_faulted_slot() != slot { registered[slot] = nil }
    }

    /// True when the mapping in `slot` has faulted.
    static func faulted(_ slot: Int32) -> Bool { gloss_mapping_faulted(slot) != 0 }

    /// The first mapped document that faulted, with its size now; nil when none has.
    public static var fault: Fault? {
        let slot = gloss_mapping_faulted_slot()
        guard slot >= 0 else { return nil }
        lock.lock()
        let entry = registered[slot]
        lock.unlock()
        guard let entry else { return nil }
        var info = stat()
        let size = stat(entry.path, &info) == 0 ? Int(info.st_size) : nil
        return Fault(path: entry.path, mappedSize: entry.size, currentSize: size)
    }

    /// For commands: at the first fault, writes the byte SIGBUS to `descriptor` (the write
    /// end of a pipe whose reader ends the process) and holds the faulting thread meanwhile;
    /// from then on ``AtomicFile`` refuses to put an output file in place, as what it holds
    /// may have been made from the zeros.
    public static func endCommandsOnFault(notifying descriptor: Int32) {
        lock.lock()
        refusesWrites = true
        lock.unlock()
        gloss_mapping_notify(descriptor)
    }

    /// The fault that forbids writing an output file now, when a command's document faulted.
    static var faultRefusingWrites: Fault? {
        lock.lock()
        let refuses = refusesWrites
        lock.unlock()
        return refuses ? fault : nil
    }
}
