import Foundation
@testable import GlossImport
import Testing

/// The programs Gloss starts (pdftotext) do not outlive a command that a signal ends.
@Suite struct SubprocessTests {
    @Test func stopRunningKillsAProgramStillRunning() throws {
        let sleep = try #require(["/bin/sleep", "/usr/bin/sleep"].first { FileManager.default.isExecutableFile(atPath: $0) })
        let finished = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var outcome: Result<Subprocess.Result, Error>?
        let started = Date()
        Thread.detachNewThread {
            outcome = Result { try Subprocess.run(sleep, ["30"], timeout: 60) }
            finished.signal()
        }
        // until the program has been started and is waited for
        Thread.sleep(forTimeInterval: 0.5)
        Subprocess.stopRunning()
        #expect(finished.wait(timeout: .now() + 10) == .success, "the program was not stopped")
        #expect(Date().timeIntervalSince(started) < 10)
        let result = try #require(try outcome?.get())
        #expect(result.status == 128 + SIGKILL)
        // nothing is left to stop; a later call does nothing
        Subprocess.stopRunning()
    }
}
