import ArgumentParser
import Foundation
import GlossCore

/// Every write of the command line to standard output and standard error, made with
/// `write(2)`: Foundation's `FileHandle.write(_:)` ends the process with a fatal error when
/// a write fails (a full disk, `/dev/full`, a closed pipe).
///
/// - A failed write to standard output throws ``OutputFailure``, which `Gloss.main()`
///   reports in one line (`gloss: cannot write to standard output: No space left on
///   device`) and ends with status 1 (2 for `gloss grep`).
/// - A closed pipe (EPIPE: `gloss grep WORD DIR | head -1`) ends Gloss at once and without
///   a word, by SIGPIPE, as it ends grep and cat, even when SIGPIPE was ignored.
/// - A failed write to standard error is dropped: there is nowhere left to say it.
enum StandardStreams {
    /// A write to standard output that failed, with the system's error number.
    struct OutputFailure: Error, CustomStringConvertible {
        /// `errno` of the failed write.
        var code: Int32

        var description: String { "cannot write to standard output: \(String(cString: strerror(code)))" }
    }

    /// Writes `text` to standard output as UTF-8.
    /// - Throws: ``OutputFailure`` when a write fails; a closed pipe ends the process instead.
    static func write(_ text: String) throws {
        var text = text
        try text.withUTF8 { try write(UnsafeRawBufferPointer($0)) }
    }

    /// Writes `bytes` to standard output.
    /// - Throws: ``OutputFailure`` when a write fails; a closed pipe ends the process instead.
    static func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard let code = writeAll(bytes, to: STDOUT_FILENO) else { return }
        if code == EPIPE { endOnBrokenPipe() }
        throw OutputFailure(code: code)
    }

    /// Writes `text` to standard error as UTF-8; a failure is ignored.
    static func writeError(_ text: String) {
        var text = text
        text.withUTF8 { _ = writeAll(UnsafeRawBufferPointer($0), to: STDERR_FILENO) }
    }

    /// Writes all of `bytes` to `descriptor`, going on after short and interrupted writes.
    /// - Returns: the `errno` of a write that failed, nil when all was written.
    static func writeAll(_ bytes: UnsafeRawBufferPointer, to descriptor: Int32) -> Int32? {
        guard let base = bytes.baseAddress else { return nil }
        var offset = 0
        while offset < bytes.count {
            let written = Glibc.write(descriptor, base + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                return errno
            }
            offset += written
        }
        return nil
    }

    /// Ends the process as SIGPIPE's default action does (status 128 + 13 to a shell),
    /// whatever the signal's disposition was.
    static func endOnBrokenPipe() -> Never {
        signal(SIGPIPE, SIG_DFL)
        var pipeOnly = sigset_t()
        sigemptyset(&pipeOnly)
        sigaddset(&pipeOnly, SIGPIPE)
        pthread_sigmask(SIG_UNBLOCK, &pipeOnly, nil)
        raise(SIGPIPE)
        _exit(128 + SIGPIPE)
    }
}
