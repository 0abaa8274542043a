import Foundation
import GlossCore

/// Writes the store on a background thread so that no key waits for a save. Bursts of
/// changes coalesce: while one save runs, only the newest waiting snapshot is kept, and it
/// is written next. Each save keeps every guarantee of ``AnnotationStore/save(_:of:keepingDocumentRecord:)``.
final class BackgroundWriter: @unchecked Sendable {
    /// A snapshot to write.
    struct Job {
        var snapshot: StoreContents
        var generation: Int
        var store: AnnotationStore
        var document: Document
        /// True to keep the store's record of which text the offsets refer to.
        var keepingDocumentRecord = false
    }

    /// A finished save: what was asked, and what was written or why not.
    struct Outcome {
        var snapshot: StoreContents
        var generation: Int
        var result: Result<StoreContents, Error>
    }

    private let condition = NSCondition()
    private var waiting: Job?
    private var busy = false
    private var finished: [Outcome] = []

    /// Queues `job`, replacing a queued one that has not started.
    func submit(_ job: Job) {
        condition.lock()
        waiting = job
        let start = !busy
        busy = true
        condition.unlock()
        if start {
            Thread.detachNewThread { [self] in run() }
        }
    }

    private func run() {
        while true {
            condition.lock()
            guard let job = waiting else {
                busy = false
                condition.broadcast()
                condition.unlock()
                return
            }
            waiting = nil
            condition.unlock()
            let result = Result { try job.store.save(job.snapshot, of: job.document, keepingDocumentRecord: job.keepingDocumentRecord) }
            condition.lock()
            finished.append(Outcome(snapshot: job.snapshot, generation: job.generation, result: result))
            condition.broadcast()
            condition.unlock()
        }
    }

    /// The saves finished since the last call, oldest first.
    func takeFinished() -> [Outcome] {
        condition.lock()
        defer { condition.unlock() }
        let outcomes = finished
        finished.removeAll()
        return outcomes
    }

    /// Blocks until nothing is queued or being written.
    func waitUntilIdle() {
        condition.lock()
        while busy { condition.wait() }
        condition.unlock()
    }
}
