import Foundation
import GlossCore
#if canImport(Glibc)
import Glibc
#endif

/// The documents of a corpus opened in the reader (`gloss DIR`, or several files): their
/// paths in a stable order and the folder their statuses file (``CorpusStatusFile``)
/// lives in. Listing reads folder entries only, never a document's text.
public struct DocumentList: Hashable, Sendable {
    /// The file name extensions (lower case, no dot) of the documents a folder lists: the
    /// corpus commands' (``Corpus/documentExtensions``).
    public static let textExtensions: Set<String> = Corpus.documentExtensions

    /// The folder the corpus is rooted at: the folder given, or the deepest folder
    /// holding every file given. Relative paths and the statuses file are based here.
    public let root: String
    /// The documents' paths relative to ``root`` (`/`-separated), in list order.
    public let relativePaths: [String]
    /// What below ``root`` could not be listed, each with why (paths relative to
    /// ``root``, a folder's ending in `/`): a folder that cannot be read (no permission),
    /// a document or folder whose name is not valid UTF-8, a FIFO, socket or device with
    /// a document's name (`not a regular file`, never opened). The reader names them, so the
    /// list is never silently shorter than the folder.
    public let notListed: [CorpusError]

    /// A list of `relativePaths` under `root`, as given (for tests and tools), and what
    /// could not be listed.
    public init(root: String, relativePaths: [String], notListed: [CorpusError] = []) {
        self.root = root
        self.relativePaths = relativePaths
        self.notListed = notListed
    }

    /// How many documents there are.
    public var count: Int { relativePaths.count }

    /// The full path of document `index` (0 ..< ``count``).
    public func path(_ index: Int) -> String {
        root == "/" ? "/" + relativePaths[index] : root + "/" + relativePaths[index]
    }

    /// True for the files Gloss writes itself and never lists as documents: stores and
    /// their backups, locks and temporaries (`*.gloss.json*`), and `gloss.*.json` (the
    /// codebook, the corpus statuses).
    public static func isGlossFile(_ name: String) -> Bool {
        name.contains(".gloss.json") || (name.hasPrefix("gloss.") && name.hasSuffix(".json"))
    }

    /// True when a file called `name` is listed as a document: a `.txt`, `.html`, `.htm`,
    /// `.md`, `.markdown` or `.pdf` file (any letter case) that is neither hidden nor one of
    /// Gloss's own files.
    public static func isDocumentName(_ name: String) -> Bool {
        guard !name.hasPrefix("."), !isGlossFile(name), let dot = name.lastIndex(of: ".") else { return false }
        return textExtensions.contains(name[name.index(after: dot)...].lowercased())
    }

    /// The documents under `folder`, recursively, sorted by relative path (byte order of
    /// the UTF-8 names, so every machine lists them alike), skipping hidden files and
    /// folders and Gloss's own files. Symbolic links to files are listed; links to
    /// folders are not followed, so a loop of links cannot make the listing endless.
    /// A sub-folder that cannot be read, a document or folder whose name is not valid
    /// UTF-8, and a FIFO, socket or device with a document's name are in ``notListed``.
    /// - Throws: ``StoreError`` naming `folder` when it cannot be read.
    public static func listing(folder: String) throws -> DocumentList {
        // as the kernel resolves it: `a/link/..` is the link target's parent, not `a`
        let root = FilePaths.resolvingLinks(folder)
        var found: [String] = []
        var notListed: [CorpusError] = []
        func walk(_ relative: String) throws {
            let path = relative.isEmpty ? root : root + "/" + relative
            let entries: [FolderEntry]
            do {
                // by bytes: Foundation's listing drops a name that is not UTF-8 without a word
                entries = try FolderEntry.entries(of: path)
            } catch {
                // the folder given must be readable; a subfolder that is not is named, as gloss stats names it
                if relative.isEmpty { throw StoreError(path: path, problem: "cannot read the folder: \(error)") }
                notListed.append(CorpusError(path: relative + "/", problem: "cannot list the folder: \(error)"))
                return
            }
            for entry in entries where !entry.isHidden {
                guard let info = entry.status(in: path, followingLinks: false) else { continue }
                guard let name = entry.name else {
                    let shown = relative.isEmpty ? entry.shown : relative + "/" + entry.shown
                    let kind = info.st_mode & S_IFMT
                    if kind == S_IFDIR {
                        notListed.append(CorpusError(path: shown + "/", problem: FolderEntry.notUTF8Problem(isFolder: true, brief: true)))
                    } else if kind == S_IFREG || kind == S_IFLNK, isDocumentName(String(decoding: entry.bytes, as: UTF8.self)) {
                        notListed.append(CorpusError(path: shown, problem: FolderEntry.notUTF8Problem(isFolder: false, brief: true)))
                    }
                    continue
                }
                let child = relative.isEmpty ? name : relative + "/" + name
                switch info.st_mode & S_IFMT {
                case S_IFDIR: try walk(child)
                case S_IFREG, S_IFLNK: if isDocumentName(name) { found.append(child) }
                default:
                    // a FIFO, socket or device with a document's name: named, never opened
                    if isDocumentName(name) {
                        notListed.append(CorpusError(path: child, problem: "not a regular file (\(RegularFile.kindName(ofMode: info.st_mode)))"))
                    }
                }
            }
        }
        try walk("")
        found.sort { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        return DocumentList(root: root, relativePaths: found, notListed: notListed)
    }

    /// The files given on the command line, in the order given (repeats dropped), rooted
    /// at the deepest folder holding all of them.
    public static func files(_ paths: [String]) -> DocumentList {
        var seen = Set<String>()
        // each folder as the kernel resolves it (`a/link/../doc.txt` is the link target's
        // parent's doc.txt), each file's own name kept
        let absolute = paths.map(FilePaths.physical).filter { seen.insert($0).inserted }
        var common = absolute.first.map { ($0 as NSString).deletingLastPathComponent } ?? "/"
        for path in absolute.dropFirst() {
            while common != "/" && !path.hasPrefix(common + "/") { common = (common as NSString).deletingLastPathComponent }
        }
        let relative = absolute.map { common == "/" ? String($0.dropFirst()) : String($0.dropFirst(common.count + 1)) }
        return DocumentList(root: common, relativePaths: relative)
    }
}

/// The title the document list shows for a document: its first non-empty line (for HTML
/// the `<title>` element when the start of the file has one, tags removed otherwise; for
/// Markdown the front matter's `title` when it has one, else the first line after the
/// front matter, without the `#`s of a heading; for a PDF, whose start is not text, its
/// file name without `.pdf`), read from the first few kilobytes only, with control
/// characters shown as the reader draws them.
public enum DocumentTitle {
    /// Bytes read from the start of a file to find its title.
    public static let headBytes = 4096

    /// The first bytes of a file (``headBytes`` at most, maybe ending inside a character)
    /// as text in the encoding named on the command line (`--encoding`).
    /// - Throws: ``FolderListingError`` saying why they are not in it, as opening says.
    public typealias HeadDecoding = @Sendable (_ head: [UInt8]) throws -> String

    /// The title of the file at `path`; nil when it cannot be read or has no non-blank
    /// text in its first ``headBytes`` bytes.
    public static func read(path: String) -> String? {
        (try? readOrFail(path: path)) ?? nil
    }

    /// The title of the file at `path` as ``read(path:)`` gives it, nil for a file
    /// without text. With `decoding` (the encoding the user named) its head is decoded by
    /// it, and refused as `decoding` refuses it (UTF-16 without a byte-order mark holds NULs).
    /// - Throws: ``FolderListingError`` with the system's reason (`Permission denied`)
    ///   when the file cannot be read, which the list shows apart from an empty file; and,
    ///   without `decoding`, for what opening refuses in its head: `a binary file, not text
    ///   (NUL byte at offset N)` (not UTF-16), a text or Markdown file in neither UTF-8 nor
    ///   Windows-1252, bad UTF-16 after a byte-order mark, in opening's words.
    public static func readOrFail(path: String, decoding: HeadDecoding? = nil) throws -> String? {
        let lower = path.lowercased()
        if lower.hasSuffix(".pdf") {
            // a PDF's title would need pdftotext: its file name
            let name = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
            return name.isEmpty ? nil : clean(name)
        }
        // a FIFO, socket or device is refused unopened (a FIFO without a writer would
        // block), and opening does not wait in case it became one meanwhile
        var info = stat()
        if stat(path, &info) == 0, let problem = notRegular(info) { throw FolderListingError(reason: problem) }
        let descriptor = open(path, O_RDONLY | O_NONBLOCK)
        guard descriptor >= 0 else { throw FolderListingError(reason: String(cString: strerror(errno))) }
        defer { close(descriptor) }
        if fstat(descriptor, &info) == 0, let problem = notRegular(info) { throw FolderListingError(reason: problem) }
        var head = [UInt8](repeating: 0, count: headBytes)
        var filled = 0
        while filled < headBytes {
            let count = head.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress! + filled, headBytes - filled) }
            if count < 0 && errno == EINTR { continue }
            // a link to a folder, an I/O error: the reason, as for a file that cannot be opened
            guard count >= 0 else { throw FolderListingError(reason: String(cString: strerror(errno))) }
            if count == 0 { break }
            filled += count
        }
        let start = head[..<filled]
        let markdown = lower.hasSuffix(".md") || lower.hasSuffix(".markdown")
        if !markdown && FormatSniffing.startsLikePDF(start) {
            // a PDF by its start, as the reader opens it
            let name = URL(fileURLWithPath: path).lastPathComponent
            return name.isEmpty ? nil : clean(name)
        }
        // a page by its start too (a saved page without an .html name)
        let html = lower.hasSuffix(".html") || lower.hasSuffix(".htm") || (!markdown && FormatSniffing.looksLikeHTML(start))
        if let decoding {
            // the named encoding's text; not in it, refused from the start as opening refuses it
            let text = try decoding(Array(start))
            return title(of: Data(text.utf8), html: html, markdown: markdown)
        }
        // a text, page or Markdown file with a NUL byte is refused on opening: marked so
        // from the start (UTF-16, after its byte-order mark, holds NULs)
        let utf16 = start.starts(with: [0xFF, 0xFE]) || start.starts(with: [0xFE, 0xFF])
        if !utf16, let offset = start.firstIndex(of: 0) {
            throw FolderListingError(reason: "a binary file, not text (NUL byte at offset \(offset))")
        }
        // a text or Markdown file in neither UTF-8 nor Windows-1252, or bad UTF-16 after its
        // mark, is refused on opening (a page may declare its encoding): marked so from the start
        if utf16, let problem = badUTF16(Array(start)) { throw FolderListingError(reason: problem) }
        if !utf16, !html, let problem = undecodable(Array(start)) { throw FolderListingError(reason: problem) }
        return title(of: Data(start), html: html, markdown: markdown)
    }

    /// The bytes Windows-1252 leaves undefined: a text holding one is not Windows-1252.
    static let windows1252Undefined: Set<UInt8> = [0x81, 0x8D, 0x8F, 0x90, 0x9D]

    /// Where the UTF-8 characters of `head`, the first bytes of a file, end: before a lead
    /// byte whose sequence the head's end cuts short, else at its end.
    static func endOfWholeCharacters(_ head: [UInt8]) -> Int {
        var lead = head.count - 1
        while lead >= 0 && head.count - lead < 4 && head[lead] & 0xC0 == 0x80 { lead -= 1 }
        guard lead >= 0 && head[lead] >= 0xC0 else { return head.count }
        let length = head[lead] >= 0xF0 ? 4 : head[lead] >= 0xE0 ? 3 : 2
        return head.count - lead < length ? lead : head.count
    }

    /// Why `head`, the first bytes of a text that starts with a UTF-16 byte-order mark, is
    /// not UTF-16 (an unpaired surrogate, a NUL code unit), as opening words it; nil when
    /// it is (a surrogate or byte cut by its end allowed). Offsets count bytes of the file.
    static func badUTF16(_ head: [UInt8]) -> String? {
        guard head.count >= 2 else { return nil }
        let littleEndian = head[0] == 0xFF
        var index = 2
        var pendingHigh = false
        while index + 1 < head.count {
            let unit = littleEndian ? UInt16(head[index]) | UInt16(head[index + 1]) << 8
                                    : UInt16(head[index]) << 8 | UInt16(head[index + 1])
            if unit == 0 { return "a binary file, not text (NUL byte at offset \(index))" }
            switch unit {
            case 0xD800...0xDBFF:
                if pendingHigh { return Self.notUTF16(at: index - 2) }
                pendingHigh = true
            case 0xDC00...0xDFFF:
                guard pendingHigh else { return Self.notUTF16(at: index) }
                pendingHigh = false
            default:
                if pendingHigh { return Self.notUTF16(at: index - 2) }
            }
            index += 2
        }
        return nil
    }

    private static func notUTF16(at offset: Int) -> String {
        "not valid UTF-16 text although it starts with a UTF-16 byte-order mark (first bad byte at offset \(offset))"
    }

    /// Why `head`, the first bytes of a text, is neither UTF-8 (a character cut by its end
    /// allowed) nor Windows-1252, as opening words it; nil when it is one of them.
    static func undecodable(_ head: [UInt8]) -> String? {
        let mark = head.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        let end = max(mark, endOfWholeCharacters(head))
        guard String(validating: head[mark..<end], as: UTF8.self) == nil,
              let undefined = head.firstIndex(where: windows1252Undefined.contains) else { return nil }
        // the first byte that is not UTF-8: the longest valid prefix's end
        var bad = mark
        var iterator = head[mark..<end].makeIterator()
        var decoder = UTF8()
        decoding: while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): bad += UTF8.width(scalar)
            case .emptyInput, .error: break decoding
            }
        }
        let byte = String(head[undefined], radix: 16, uppercase: true)
        return "neither UTF-8 text (first bad byte at offset \(bad)) nor Windows-1252 (byte 0x\(byte) at offset \(undefined) is undefined there)"
    }

    /// The title in `head`, the first bytes of a file (see ``read(path:)``): `html` for an
    /// HTML file's, `markdown` for a Markdown file's rules.
    public static func title(of head: Data, html: Bool, markdown: Bool = false) -> String? {
        var bytes = [UInt8](head)
        var text: String
        if bytes.count >= 2, (bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF) {
            if bytes.count % 2 == 1 { bytes.removeLast() }
            // a surrogate pair cut by the end of the head: its first half dropped
            let lastHigh = bytes.count >= 4 ? (bytes[0] == 0xFF ? bytes[bytes.count - 1] : bytes[bytes.count - 2]) : 0
            if (0xD8...0xDB).contains(lastHigh) { bytes.removeLast(2) }
            text = String(data: Data(bytes), encoding: .utf16) ?? ""
            while text.unicodeScalars.first == "\u{FEFF}" { text.unicodeScalars.removeFirst() }
        } else {
            // the byte-order mark and any U+FEFF after it, as the reader drops them
            while bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
            // a character cut at the end of the head is dropped rather than shown as U+FFFD
            bytes.removeSubrange(endOfWholeCharacters(bytes)...)
            // not UTF-8 but Windows-1252 (none of its five undefined bytes): read as the
            // reader reads such a text
            if String(validating: bytes, as: UTF8.self) == nil, !bytes.contains(where: windows1252Undefined.contains),
               let windows1252 = String(bytes: bytes, encoding: .windowsCP1252) {
                text = windows1252
            } else {
                text = String(decoding: bytes, as: UTF8.self)
            }
        }
        if html {
            if let open = text.range(of: "<title", options: .caseInsensitive),
               let close = text.range(of: ">", range: open.upperBound..<text.endIndex),
               let end = text.range(of: "</title", options: .caseInsensitive, range: close.upperBound..<text.endIndex) {
                let inner = clean(String(text[close.upperBound..<end.lowerBound]))
                if !inner.isEmpty { return inner }
            }
            text = text.replacingOccurrences(of: "<[^>]*>", with: "\n", options: .regularExpression)
        }
        var lines = text.split(omittingEmptySubsequences: true, whereSeparator: { $0 == "\n" || $0 == "\r" || $0 == "\r\n" })
        if markdown, let fence = lines.first.map({ $0.trimmingCharacters(in: .whitespaces) }), fence == "---" || fence == "+++" {
            // front matter: its title, else what follows it
            let end = lines.dropFirst().firstIndex { line in
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                return trimmed == fence || (fence == "---" && trimmed == "...")
            }
            for line in lines[1..<(end ?? lines.endIndex)] {
                guard let separator = line.firstIndex(where: { $0 == ":" || $0 == "=" }),
                      line[..<separator].trimmingCharacters(in: .whitespaces).lowercased() == "title" else { continue }
                var value = line[line.index(after: separator)...].trimmingCharacters(in: .whitespaces)
                if value.count >= 2, let quote = value.first, quote == "\"" || quote == "'", value.last == quote {
                    value = String(value.dropFirst().dropLast())
                }
                let cleaned = clean(value)
                if !cleaned.isEmpty { return cleaned }
            }
            if let end { lines = Array(lines[(end + 1)...]) }
        }
        for line in lines {
            var line = Substring(line)
            if markdown, line.hasPrefix("#") { line = line.drop { $0 == "#" } }
            let cleaned = clean(String(line))
            if !cleaned.isEmpty { return cleaned }
        }
        return nil
    }

    /// What the list says of a file that is neither a regular file nor a folder (a
    /// folder is left to `read`, which names it as the system does); nil for those.
    static func notRegular(_ info: stat) -> String? {
        let kind = info.st_mode & S_IFMT
        return kind == S_IFREG || kind == S_IFDIR ? nil : "not a regular file (\(RegularFile.kindName(ofMode: info.st_mode)))"
    }

    /// `line` with runs of white space as one space, trimmed, and controls and bidi
    /// formatting characters as the reader draws them, so nothing reaches the terminal raw.
    static func clean(_ line: String) -> String {
        let spaced = line.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
        return ControlPictures.visible(spaced, showingBidiControls: true)
    }
}
