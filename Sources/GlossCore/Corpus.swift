import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One document of a ``Corpus``: where its text is and where its annotation store is.
/// Nothing is read from either until the caller opens them.
public struct CorpusDocument: Hashable, Sendable {
    /// The document's path: the command-line argument that named it, or the folder
    /// argument joined with the path below it (`news/2026/article.txt`).
    public let path: String

    /// The document's annotation store: ``path`` plus `.gloss.json`
    /// (``AnnotationStore/defaultPath(forDocument:)``) unless another was given.
    public let storePath: String

    /// Creates the entry for the document at `path`, its store at `storePath` (by default
    /// `path` plus `.gloss.json`; the reader passes a coder's store).
    public init(path: String, storePath: String? = nil) {
        self.path = path
        self.storePath = storePath ?? AnnotationStore.defaultPath(forDocument: path)
    }
}

/// The documents that command-line arguments name, in a fixed order: what `gloss export`,
/// `gloss stats` and `gloss grep` work over.
///
/// A file argument is that document, whatever its name. A folder argument stands for the
/// text files below it, recursively, in sorted path order (names compared byte by byte in
/// UTF-8, folder by folder, so `a/x.txt` comes before `b.txt`): files whose extension is
/// one of ``documentExtensions`` (any letter case), leaving out hidden files and folders
/// (a name starting with `.`), annotation stores and their side files (a name holding
/// `.gloss.json`), backups (a name ending with `~`, `.bak` or `.orig`) and Gloss's own
/// files (`gloss.*.json`, such as `gloss.codebook.json`). Symbolic links are followed; a
/// folder reached twice (a link loop) is listed once.
///
/// Listing only reads folders: no document's text and no store is opened, so a corpus of
/// 10,000 documents lists in milliseconds. A document named twice (by two arguments, or a
/// file inside a folder also given) is listed once, where it first appears.
public struct Corpus: Sendable {
    /// The extensions, lower case and without the dot, of the files a folder contributes:
    /// plain text (`txt`) and the formats Gloss imports, `html`, `htm`, `md`, `markdown`
    /// and `pdf`.
    public static let documentExtensions: Set<String> = ["txt", "html", "htm", "md", "markdown", "pdf"]

    /// The documents, in argument order, each folder's in sorted path order.
    public let documents: [CorpusDocument]
    /// Folders below the arguments that could not be listed (no permission, say), each
    /// naming the folder and why: the commands name them and end with a failure status,
    /// after doing their work on the rest, so a corpus is never silently smaller.
    public let unreadableFolders: [CorpusError]
    /// Files below the arguments that would be documents but that Gloss cannot open:
    /// names that are not valid UTF-8 (``FolderEntry``), shown with their bytes as `\xNN`,
    /// FIFOs, sockets and devices with a document's name (`not a regular file`), which are
    /// never opened, and links to nothing with a document's name. Named, each as ``unreadableFolders`` are.
    public let unopenableFiles: [CorpusError]

    /// Lists the documents `arguments` name (see the type's documentation).
    /// - Parameter arguments: paths of files and folders, as typed.
    /// - Throws: ``CorpusError`` naming the first argument that does not exist or cannot
    ///   be read as a folder (a sub-folder that cannot be read is listed in
    ///   ``unreadableFolders`` instead).
    public init(arguments: [String]) throws {
        var documents: [CorpusDocument] = []
        var unreadable: [CorpusError] = []
        var unopenable: [CorpusError] = []
        var seen = Set<String>()
        var visitedFolders = Set<FileIdentity>()
        func add(_ path: String) {
            let key = FilePaths.physical(path)
            if seen.insert(key).inserted { documents.append(CorpusDocument(path: path)) }
        }
        for argument in arguments {
            var status = stat()
            guard !argument.isEmpty, stat(argument, &status) == 0 else {
                let reason = argument.isEmpty ? "an empty path" : String(cString: strerror(errno))
                throw CorpusError(path: argument, problem: "no document or folder there (\(reason))")
            }
            if (status.st_mode & S_IFMT) == S_IFDIR {
                try Self.walk(folder: argument, identity: FileIdentity(status), visited: &visitedFolders, add: add,
                              unreadable: { unreadable.append($0) }, unopenable: { unopenable.append($0) }, isArgument: true)
            } else {
                add(argument)
            }
        }
        self.documents = documents
        self.unreadableFolders = unreadable
        self.unopenableFiles = unopenable
    }

    /// True when a file named `name`, found in a folder, is a document of the corpus:
    /// its extension is one of ``documentExtensions`` and it is not hidden, a store or
    /// side file of one, a backup or one of Gloss's own files.
    public static func isDocumentName(_ name: String) -> Bool {
        guard !name.hasPrefix("."), !name.contains(".gloss.json"), !name.hasSuffix("~") else { return false }
        let lower = name.lowercased()
        if lower.hasSuffix(".bak") || lower.hasSuffix(".orig") { return false }
        if lower.hasPrefix("gloss.") && lower.hasSuffix(".json") { return false }
        guard let dot = lower.lastIndex(of: "."), dot != lower.startIndex else { return false }
        return documentExtensions.contains(String(lower[lower.index(after: dot)...]))
    }

    /// Lists `folder` depth first, entries sorted by the bytes of their names.
    private static func walk(folder: String, identity: FileIdentity, visited: inout Set<FileIdentity>,
                             add: (String) -> Void, unreadable: (CorpusError) -> Void, unopenable: (CorpusError) -> Void,
                             isArgument: Bool = false) throws {
        guard visited.insert(identity).inserted else { return }
        // listed by bytes: Foundation's listing drops a name that is not UTF-8 without a word
        let entries: [FolderEntry]
        do {
            entries = try FolderEntry.entries(of: folder)
        } catch {
            let problem = CorpusError(path: folder, problem: "cannot list the folder: \(error)")
            if isArgument { throw problem }
            unreadable(problem)
            return
        }
        for entry in entries where !entry.isHidden {
            guard let status = entry.status(in: folder, followingLinks: true) else {
                // a link to nothing (or a loop of links) with a document's name is named (the
                // document it stood for is missing); a file removed while listing is not a document
                if let name = entry.name, isDocumentName(name) {
                    let path = folder.hasSuffix("/") ? folder + name : folder + "/" + name
                    if let problem = FilePaths.brokenLinkProblem(path) { unopenable(CorpusError(path: path, problem: problem)) }
                }
                continue
            }
            let isFolder = status.st_mode & S_IFMT == S_IFDIR
            guard let name = entry.name else {
                let shown = folder.hasSuffix("/") ? folder + entry.shown : folder + "/" + entry.shown
                if isFolder {
                    unreadable(CorpusError(path: shown, problem: FolderEntry.notUTF8Problem(isFolder: true)))
                } else if status.st_mode & S_IFMT == S_IFREG, isDocumentName(String(decoding: entry.bytes, as: UTF8.self)) {
                    unopenable(CorpusError(path: shown, problem: FolderEntry.notUTF8Problem(isFolder: false)))
                }
                continue
            }
            let path = folder.hasSuffix("/") ? folder + name : folder + "/" + name
            switch status.st_mode & S_IFMT {
            case S_IFDIR:
                try walk(folder: path, identity: FileIdentity(status), visited: &visited, add: add, unreadable: unreadable, unopenable: unopenable)
            case S_IFREG:
                if isDocumentName(name) { add(path) }
            default:
                // a FIFO, socket or device named as a document: named, never opened (a
                // FIFO without a writer would block the command)
                if isDocumentName(name) {
                    unopenable(CorpusError(path: path, problem: "not a regular file (\(RegularFile.kindName(ofMode: status.st_mode)))"))
                }
            }
        }
    }

    /// A file's device and inode, to notice a folder reached twice through links.
    private struct FileIdentity: Hashable {
        var device: UInt64
        var inode: UInt64
        init(_ status: stat) {
            device = UInt64(status.st_dev)
            inode = UInt64(status.st_ino)
        }
    }
}

/// A corpus argument that names nothing usable. `description` is one line naming the path.
public struct CorpusError: Error, CustomStringConvertible, Equatable {
    /// The file or folder, as given or as found below a folder argument.
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
