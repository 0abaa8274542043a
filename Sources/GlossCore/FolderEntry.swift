import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One entry of a folder, its name as the file system holds it: bytes, which Linux does
/// not require to be UTF-8 (a Latin-1 `café.txt` from an old archive is `caf\xE9.txt`).
///
/// Gloss names files with `String` paths, which hold only valid UTF-8, so such a file
/// cannot be opened; Foundation's folder listing leaves it out without a word. Listing
/// with ``entries(of:)`` keeps it, so the corpus can name it instead of silently being
/// smaller (``shown``).
public struct FolderEntry: Hashable, Sendable {
    /// The name's bytes.
    public let bytes: [UInt8]

    /// The name, or nil when its bytes are not valid UTF-8.
    public var name: String? { String(validating: bytes, as: UTF8.self) }

    /// The name for messages: its valid UTF-8 as text, every other byte as `\xNN`.
    public var shown: String { FolderEntry.visible(bytes) }

    /// True for a hidden entry (its name starts with `.`).
    public var isHidden: Bool { bytes.first == UInt8(ascii: ".") }

    /// An entry named by `bytes`.
    public init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// The entries of `folder` (`.` and `..` left out), sorted by their bytes.
    /// - Throws: ``FolderListingError`` with the system's reason (`Permission denied`).
    public static func entries(of folder: String) throws -> [FolderEntry] {
        guard let handle = opendir(folder) else { throw FolderListingError(reason: String(cString: strerror(errno))) }
        defer { closedir(handle) }
        var entries: [FolderEntry] = []
        while true {
            errno = 0
            guard let entry = readdir(handle) else {
                if errno != 0 { throw FolderListingError(reason: String(cString: strerror(errno))) }
                break
            }
            let bytes: [UInt8] = withUnsafeBytes(of: entry.pointee.d_name) { name in Array(name.prefix { $0 != 0 }) }
            if bytes == [0x2E] || bytes == [0x2E, 0x2E] { continue }
            entries.append(FolderEntry(bytes: bytes))
        }
        return entries.sorted { $0.bytes.lexicographicallyPrecedes($1.bytes) }
    }

    /// The entry's status in `folder` (through links when `followingLinks`), read with its
    /// name's bytes; nil when it has gone or is a dangling link.
    public func status(in folder: String, followingLinks: Bool) -> stat? {
        var path = Array(folder.utf8)
        if path.last != UInt8(ascii: "/") { path.append(UInt8(ascii: "/")) }
        path += bytes
        path.append(0)
        var status = stat()
        let result = path.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { followingLinks ? stat($0.baseAddress!, &status) : lstat($0.baseAddress!, &status) }
        }
        return result == 0 ? status : nil
    }

    /// `bytes` as text: valid UTF-8 as it is, every byte that is not part of a valid
    /// sequence as `\xNN` (upper-case hex), so a name that is not UTF-8 shows what it holds.
    public static func visible(_ bytes: [UInt8]) -> String {
        var shown = ""
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var offset = 0
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded):
                shown.unicodeScalars.append(Unicode.UTF8.decode(encoded))
                offset += encoded.count
            case .error(let length):
                for byte in bytes[offset..<(offset + length)] { shown += "\\x" + String(byte, radix: 16, uppercase: true).leftPaddedWithZero }
                offset += length
            case .emptyInput:
                return shown
            }
        }
    }

    /// The problem a corpus reports for a file or folder whose name is not UTF-8; `brief`
    /// for the reader's status line.
    public static func notUTF8Problem(isFolder: Bool, brief: Bool = false) -> String {
        if brief { return "name not valid UTF-8: rename it to " + (isFolder ? "list it" : "open it") }
        return isFolder ? "the folder's name is not valid UTF-8, so Gloss cannot list it (rename it, e.g. with convmv)"
            : "the file's name is not valid UTF-8, so Gloss cannot open it (rename it, e.g. with convmv)"
    }
}

/// Why a folder could not be listed.
public struct FolderListingError: Error, CustomStringConvertible {
    /// The system's reason (`Permission denied`).
    public var reason: String

    /// An error for `reason`.
    public init(reason: String) {
        self.reason = reason
    }

    /// The reason, as the system words it.
    public var description: String { reason }
}

/// A corpus problem can be kept in a set or a hashable list.
extension CorpusError: Hashable {
    /// Hashes the path and the problem, the fields equality compares.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(path)
        hasher.combine(problem)
    }
}

private extension String {
    /// Two hex digits: a leading zero for a value below 0x10.
    var leftPaddedWithZero: String { count == 1 ? "0" + self : self }
}
