import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Errors of file operations in the few plain words Gloss's messages use, never
/// Foundation's own rendering (`Error Domain=NSCocoaErrorDomain Code=260 "…"`,
/// `The operation could not be completed`), which names no reason a reader can act on.
public enum FileErrorText {
    /// Why a file operation failed: `no such file`, `permission denied`, `it is a folder`,
    /// the system's reason (`strerror`: `No space left on device`) for another POSIX error,
    /// found also under a Foundation error (its underlying error, its Cocoa code). An
    /// error that is neither Foundation's nor POSIX's keeps its own description.
    public static func reason(for error: Error) -> String {
        if let code = posixCode(of: error) { return reason(errno: code) }
        let foundation = error as NSError
        guard foundation.domain == NSCocoaErrorDomain else { return "\(error)" }
        switch foundation.code {
        case NSFileNoSuchFileError, NSFileReadNoSuchFileError: return reason(errno: ENOENT)
        case NSFileReadNoPermissionError, NSFileWriteNoPermissionError: return reason(errno: EACCES)
        case NSFileWriteOutOfSpaceError: return reason(errno: ENOSPC)
        case NSFileWriteVolumeReadOnlyError: return reason(errno: EROFS)
        case NSFileWriteFileExistsError: return reason(errno: EEXIST)
        case NSFileReadTooLargeError: return reason(errno: EFBIG)
        case NSFileReadCorruptFileError: return "the file is damaged"
        case NSFileReadInapplicableStringEncodingError, NSFileWriteInapplicableStringEncodingError: return "its text is not in the expected encoding"
        default: return foundation.localizedDescription
        }
    }

    /// The words for the system error `code`: `no such file`, `permission denied`, `it is
    /// a folder`, else `strerror`'s.
    public static func reason(errno code: Int32) -> String {
        switch code {
        case ENOENT: return "no such file"
        case EACCES: return "permission denied"
        case EISDIR: return "it is a folder"
        default: return String(cString: strerror(code))
        }
    }

    /// The POSIX error number of `error` or of the error under it, nil when there is none.
    static func posixCode(of error: Error) -> Int32? {
        if let posix = error as? POSIXError { return posix.code.rawValue }
        let foundation = error as NSError
        if foundation.domain == NSPOSIXErrorDomain { return Int32(foundation.code) }
        if let underlying = foundation.userInfo[NSUnderlyingErrorKey] as? Error { return posixCode(of: underlying) }
        return nil
    }
}
