import Crypto
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The annotation store file, `<document>.gloss.json` (DESIGN.md §3).
///
/// Written pretty-printed with sorted keys and annotations ordered by (start, end, id), so
/// two analysts' files diff and merge cleanly.
public struct StoreFile: Codable, Equatable, Sendable {
    /// The value of `format` in every store: `gloss-annotations`.
    public static let formatName = "gloss-annotations"
    /// The store version this Gloss writes and reads.
    public static let currentVersion = 1

    /// Always ``formatName``.
    public var format: String
    /// Always ``currentVersion`` when written by this Gloss.
    public var version: Int
    /// Which text the offsets refer to.
    public var document: StoredDocument
    /// The annotations, ordered by (start, end, id).
    public var annotations: [Annotation]

    /// Creates a store file, ordering `annotations` by (start, end, id).
    public init(document: StoredDocument, annotations: [Annotation]) {
        self.format = StoreFile.formatName
        self.version = StoreFile.currentVersion
        self.document = document
        self.annotations = annotations.sorted(by: Annotation.documentOrder)
    }
}

/// The document a store refers to.
public struct StoredDocument: Codable, Equatable, Sendable {
    /// The document's path relative to the store's folder, or absolute when elsewhere.
    public var path: String
    /// Lower-case hex SHA-256 of the document text's UTF-8 bytes (no byte-order mark).
    public var sha256: String
    /// Length of the text in code points.
    public var length: Int

    /// Creates the record.
    public init(path: String, sha256: String, length: Int) {
        self.path = path
        self.sha256 = sha256
        self.length = length
    }
}

/// A store that cannot be read or written. `description` is one line naming the file.
public struct StoreError: Error, CustomStringConvertible, Equatable {
    /// The store's path.
    public var path: String
    /// What is wrong.
    public var problem: String

    /// Creates the error.
    public init(path: String, problem: String) {
        self.path = path
        self.problem = problem
    }

    public var description: String { "\(path): \(problem)" }
}

extension Annotation {
    /// The store's order: by start, then end, then id.
    public static func documentOrder(_ a: Annotation, _ b: Annotation) -> Bool {
        (a.start, a.end, a.id) < (b.start, b.end, b.id)
    }
}

/// Reads and writes the annotation store of one document.
///
/// Every save is atomic: the JSON goes to a temporary file in the store's folder, which is
/// flushed to disk and renamed over the store, and the folder is synced; the store on disk
/// is never missing or half written.
public final class AnnotationStore: @unchecked Sendable {
    /// Path of the store file.
    public let path: String
    private var cachedHash: (count: Int, hex: String)?

    /// A store at `path`.
    public init(path: String) {
        self.path = path
    }

    /// The default store path for a document: the document's path plus `.gloss.json`.
    public static func defaultPath(forDocument documentPath: String) -> String {
        documentPath + ".gloss.json"
    }

    /// Reads the store.
    /// - Returns: the store's contents, or nil when no file exists at ``path``.
    /// - Throws: ``StoreError`` when the file exists but cannot be read, is not JSON, is
    ///   not a Gloss store, has a version other than ``StoreFile/currentVersion``, or an
    ///   annotation's offsets do not fit `document.length`. The file is never changed.
    public func load() throws -> StoreFile? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw StoreError(path: path, problem: "cannot read the annotation store: \(Document.reason(for: error, path: path))")
        }
        return try AnnotationStore.decode(data, path: path)
    }

    /// Parses store JSON; `path` is used in errors.
    /// - Throws: ``StoreError`` as ``load()`` describes.
    public static func decode(_ data: Data, path: String) throws -> StoreFile {
        struct Header: Decodable { var format: String?; var version: Int? }
        let header: Header
        do {
            header = try JSONDecoder().decode(Header.self, from: data)
        } catch {
            throw StoreError(path: path, problem: "not a Gloss annotation store: \(JSONProblem.describe(error))")
        }
        guard header.format == StoreFile.formatName else {
            let found = header.format.map { "\"\($0)\"" } ?? "none"
            throw StoreError(path: path, problem: "not a Gloss annotation store: \"format\" is \(found), expected \"\(StoreFile.formatName)\"")
        }
        guard let version = header.version else {
            throw StoreError(path: path, problem: "not a Gloss annotation store: missing \"version\"")
        }
        guard version <= StoreFile.currentVersion else {
            throw StoreError(path: path, problem: "written by a newer Gloss (store version \(version); this Gloss reads up to \(StoreFile.currentVersion))")
        }
        let file: StoreFile
        do {
            file = try JSONDecoder().decode(StoreFile.self, from: data)
        } catch {
            throw StoreError(path: path, problem: "damaged annotation store: \(JSONProblem.describe(error))")
        }
        var ids = Set<String>()
        for (index, annotation) in file.annotations.enumerated() {
            guard 0 <= annotation.start, annotation.start <= annotation.end, annotation.end <= file.document.length else {
                throw StoreError(path: path, problem: "annotation \(index) (\(annotation.id)) has offsets \(annotation.start)..<\(annotation.end) outside the document's \(file.document.length) code points")
            }
            guard ids.insert(annotation.id).inserted else {
                throw StoreError(path: path, problem: "annotation id \(annotation.id) appears twice")
            }
        }
        return file
    }

    /// The JSON a store holds: pretty-printed, keys sorted, annotations in document order,
    /// ending with a newline.
    public static func encode(_ file: StoreFile) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var sorted = file
        sorted.annotations.sort(by: Annotation.documentOrder)
        var data = try encoder.encode(sorted)
        data.append(0x0A)
        return data
    }

    /// Writes `annotations` of `document` to the store, atomically.
    /// - Throws: ``StoreError`` when the temporary file cannot be written or renamed; the
    ///   store on disk is then as it was.
    public func save(_ annotations: [Annotation], of document: Document) throws {
        let file = StoreFile(
            document: StoredDocument(path: storedPath(of: document), sha256: hash(of: document), length: document.length),
            annotations: annotations)
        let data: Data
        do {
            data = try AnnotationStore.encode(file)
        } catch {
            throw StoreError(path: path, problem: "cannot encode the annotations: \(error)")
        }
        try AtomicFile.write(data, to: path)
    }

    /// SHA-256 of the document text, computed once per store.
    func hash(of document: Document) -> String {
        if let cachedHash, cachedHash.count == document.bytes.count { return cachedHash.hex }
        let hex = AnnotationStore.sha256Hex(document.bytes)
        cachedHash = (document.bytes.count, hex)
        return hex
    }

    /// Lower-case hex SHA-256 of `bytes`.
    public static func sha256Hex(_ bytes: [UInt8]) -> String {
        SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
    }

    private func storedPath(of document: Document) -> String {
        let storeFolder = URL(fileURLWithPath: path).deletingLastPathComponent().standardizedFileURL.path
        let documentURL = URL(fileURLWithPath: document.path).standardizedFileURL
        if documentURL.deletingLastPathComponent().standardizedFileURL.path == storeFolder {
            return documentURL.lastPathComponent
        }
        return documentURL.path
    }
}

/// Atomic replacement of a file: temporary file in the same folder, fsync, rename, fsync
/// of the folder (the pattern of git's lock files).
public enum AtomicFile {
    /// Replaces the file at `path` with `data`, keeping the replaced file's permission
    /// bits; when `path` is a symbolic link, the file it points to is replaced.
    /// - Throws: ``StoreError`` naming `path`; on failure the old file is untouched and the
    ///   temporary file removed.
    public static func write(_ data: Data, to path: String) throws {
        // a symbolic link stays a link: the file it points to is the one replaced
        let url = URL(fileURLWithPath: path).resolvingSymlinksInPath()
        var existing = stat()
        let existingMode: mode_t? = stat(url.path, &existing) == 0 ? existing.st_mode & 0o7777 : nil
        let folder = url.deletingLastPathComponent().path
        let temporary = folder + "/." + url.lastPathComponent + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        func failure(_ what: String) -> StoreError {
            StoreError(path: path, problem: "cannot save: \(what): \(String(cString: strerror(errno)))")
        }
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw failure("cannot create a temporary file in \(folder)") }
        var written = 0
        let ok: Bool = data.withUnsafeBytes { buffer in
            while written < buffer.count {
                let result = Glibc.write(descriptor, buffer.baseAddress! + written, buffer.count - written)
                if result < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                written += result
            }
            // the replacement keeps the permissions of the file it replaces
            if let existingMode, fchmod(descriptor, existingMode) != 0 { return false }
            return fsync(descriptor) == 0
        }
        if !ok {
            let error = failure("writing failed")
            close(descriptor)
            unlink(temporary)
            throw error
        }
        close(descriptor)
        guard rename(temporary, url.path) == 0 else {
            let error = failure("cannot rename the temporary file into place")
            unlink(temporary)
            throw error
        }
        let folderDescriptor = open(folder.isEmpty ? "." : folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if folderDescriptor >= 0 {
            fsync(folderDescriptor)
            close(folderDescriptor)
        }
    }
}
