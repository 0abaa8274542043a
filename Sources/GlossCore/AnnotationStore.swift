import Crypto
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Reads and writes the annotation store of one document.
///
/// Every save is atomic: the JSON goes to a temporary file in the store's folder, which is
/// flushed to disk and renamed over the store, and the folder is synced; the store on disk
/// is never missing or half written. The version it replaces is kept as ``backupPath``.
/// A save notices when the file changed on disk since this store last read or wrote it
/// (another tool, a `git pull`) and merges by annotation id, or refuses.
public final class AnnotationStore: @unchecked Sendable {
    /// The store version this Gloss writes (``StoreCodec/currentVersion``).
    public static let currentVersion = StoreCodec.currentVersion

    /// Path of the store file: as given, or, when that is a symbolic link, the file it
    /// names (there or not yet), so that the backup, the lock and a damaged store moved
    /// aside are beside the file saves write, and the link stays.
    public let path: String
    /// The system calls saves use; tests inject failures here.
    public let calls: FileSystemCalls
    /// The file's identity and contents when this store last read or wrote it.
    private var lastSeen: (fingerprint: Fingerprint?, contents: StoreContents)?
    /// The rest of what was last read, when only its preview was: the merge base is then
    /// the whole store.
    private var lastSeenRemainder: StoreRemainder?

    /// The path as given: ``path``, or the symbolic link that leads to it.
    public let givenPath: String
    /// True when ``givenPath`` is a symbolic link.
    private let givenAsLink: Bool

    /// A store at `path`.
    public init(path: String, calls: FileSystemCalls = .posix) {
        var entry = stat()
        givenAsLink = lstat(path, &entry) == 0 && entry.st_mode & S_IFMT == S_IFLNK
        self.path = givenAsLink ? AtomicFile.linkTarget(path) : path
        givenPath = path
        self.calls = calls
    }

    /// Why this store must be neither read nor written for the document at `documentPath`,
    /// or nil: it is the document itself (the same file, through a symbolic or a hard
    /// link), a symbolic link that leads back to itself, or a symbolic link to a file that
    /// holds no JSON object (its first byte after blanks and a UTF-8 byte-order mark is
    /// not `{`). Opening would take such a file for a damaged store, rename it aside and
    /// write JSON in its place; a damaged store of its own name is still moved aside.
    public func refusal(document documentPath: String) -> String? {
        var store = stat()
        guard stat(givenPath, &store) == 0 else {
            return givenAsLink && errno == ELOOP ? AnnotationStore.loopProblem : nil
        }
        if FilePaths.isSameFile(givenPath, documentPath) {
            return "is the document itself\(givenAsLink ? " (a symbolic link to it)" : ""); a store is a file of its own, nothing is read or written"
        }
        if let problem = linkToNoStore() { return problem }
        return nil
    }

    /// When the store was given as a symbolic link to a regular file that holds no JSON
    /// object (the document, say): what is said of it; else nil.
    private func linkToNoStore() -> String? {
        var store = stat()
        guard givenAsLink, stat(givenPath, &store) == 0, store.st_mode & S_IFMT == S_IFREG,
              AnnotationStore.holdsNoJSONObject(path) else { return nil }
        return "is a symbolic link to \(path), which is not a Gloss store (it holds no JSON object); both are left as they are"
    }

    /// What is said of a store path that is a loop of symbolic links.
    static let loopProblem = "is a loop of symbolic links (one leads back to another); nothing is read or written"

    /// What a command says after the path of a store it was given and cannot find: that
    /// `path` is a loop of symbolic links (``loopProblem``) when it is one, else `no such
    /// annotation store`.
    public static func missingStoreProblem(_ path: String) -> String {
        var entry = stat()
        return stat(path, &entry) != 0 && errno == ELOOP ? loopProblem : "no such annotation store"
    }

    /// True when the file at `path` can be read and its first byte after blanks and a
    /// UTF-8 byte-order mark is not `{`: not a store, however damaged. An empty file, or one
    /// that cannot be read, is not said to be anything.
    public static func holdsNoJSONObject(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: 4096)) ?? Data()
        let bytes = head.starts(with: [0xEF, 0xBB, 0xBF]) ? head.dropFirst(3) : head[...]
        guard let first = bytes.first(where: { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }) else { return false }
        return first != UInt8(ascii: "{")
    }

    /// The default store path for a document: the document's path plus `.gloss.json`.
    public static func defaultPath(forDocument documentPath: String) -> String {
        documentPath + ".gloss.json"
    }

    /// Where each save keeps the version it replaced: ``path`` plus `.bak`.
    public var backupPath: String { path + ".bak" }

    /// Removes the temporary files (`.STORE.tmp-PID-N`, `.STORE.bak.tmp-PID-N`,
    /// `.STORE.lock.tmp-PID-N`) that saves left when their process was killed, when that
    /// process no longer runs; no other file is touched. Call it only while holding the
    /// store's lock.
    /// - Returns: the names removed.
    @discardableResult
    public func removeAbandonedTemporaryFiles() -> [String] {
        // saves write in the folder of the file a link points to (``path`` follows a link
        // to the store already; a link among its folders is followed here)
        let resolved = FilePaths.resolvingLinks(path)
        let name = resolved.lastIndex(of: "/").map { resolved[resolved.index(after: $0)...] } ?? resolved[...]
        let names: Set<String> = [String(name), name + ".bak", name + ".lock"]
        return AtomicFile.removeAbandonedTemporaries(of: names, in: FilePaths.folder(of: resolved))
    }

    /// What ``open(movingDamagedAside:)`` found.
    public enum Opening: Sendable {
        /// No file at ``path``: a new store.
        case absent
        /// The store's contents; invalid records are in `quarantined`.
        case opened(StoreContents)
        /// The file was empty, truncated or not a readable store: it was renamed to
        /// `movedTo`, and `backup` holds the contents of ``backupPath`` when that is readable.
        case damaged(problem: String, movedTo: String, backup: StoreContents?)
    }

    /// Reads the store, for the commands that only read it (export, stats, import, merge).
    /// - Returns: the contents, or nil when no file exists at ``path`` and no backup
    ///   holds annotations.
    /// - Throws: ``StoreError`` when the file exists but cannot be read or is not a store
    ///   this Gloss reads (see ``decode(_:path:)``), or when it is missing but its backup
    ///   holds annotations (``missingWithBackup()``), or when it was given as a symbolic
    ///   link to a file that holds no JSON object (the document itself, say). The file is
    ///   never changed.
    public func load() throws -> StoreContents? {
        // a link to the document is no damaged store: said as the reader refuses it
        if let linked = linkToNoStore() { throw StoreError(path: givenPath, problem: linked) }
        switch try open(movingDamagedAside: false) {
        case .absent:
            if let missing = missingWithBackup() { throw missing }
            return nil
        case .opened(let contents): return contents
        case .damaged(let problem, _, _): throw StoreError(path: path, problem: problem)
        }
    }

    /// When no file is at ``path`` but ``backupPath`` is a readable store holding
    /// annotations or orphans (the store was deleted or moved aside, and the reader's offer
    /// to restore the backup not taken): the error that says so, with how many and how to
    /// restore it; else nil. The reader offers the backup itself; the commands that only
    /// read stores refuse such a document rather than take it for one with no annotations.
    public func missingWithBackup() -> StoreError? {
        guard !FileManager.default.fileExists(atPath: path), let data = try? read(backupPath),
              let saved = try? StoreCodec.decode(data, path: backupPath) else { return nil }
        let count = saved.annotations.count + saved.orphans.count
        guard count > 0 else { return nil }
        // quoted for a POSIX shell, so the command can be pasted as it is
        func quoted(_ path: String) -> String { "'" + path.replacingOccurrences(of: "'", with: "'\\''") + "'" }
        return StoreError(path: path, problem: "missing, but its backup \(backupPath) holds \(count) annotation(s); restore it with mv -- \(quoted(backupPath)) \(quoted(path)), or open the document in gloss, which offers to")
    }

    /// Reads the store, dealing with a damaged one as vim deals with a swap file: a store
    /// that is empty, truncated, not JSON, or a Gloss store whose structure is broken is
    /// renamed to `STORE.corrupt-<UTC time>` (never overwritten) and the backup offered.
    /// - Parameter movingDamagedAside: false to throw instead of renaming.
    /// - Throws: ``StoreError`` when the file cannot be read, is another program's JSON,
    ///   was written by a newer Gloss or has no whole-number `version` (the file is then
    ///   left as it is), or is damaged and cannot be renamed.
    public func open(movingDamagedAside: Bool) throws -> Opening {
        try open(movingDamagedAside: movingDamagedAside, previewThrough: nil).opening
    }

    /// ``open(movingDamagedAside:)`` for a first frame: with `limit` (code points), a
    /// store ``StorePreview`` takes opens as its preview (its leading annotations ending
    /// within `limit`), and the rest is read when the remainder is first asked; any other
    /// store opens as ``open(movingDamagedAside:)`` opens it, with no remainder.
    /// - Throws: as ``open(movingDamagedAside:)``.
    public func open(movingDamagedAside: Bool, previewThrough limit: Int?) throws -> (opening: Opening, remainder: StoreRemainder?) {
        let fingerprint = Fingerprint(path: path)
        lastSeenRemainder = nil
        guard fingerprint != nil || FileManager.default.fileExists(atPath: path) else {
            lastSeen = (nil, StoreContents())
            return (.absent, nil)
        }
        let data = try read(path)
        if let limit, let preview = StorePreview.read(data, through: limit) {
            let remainder = StoreRemainder(data: data, path: path, preview: preview)
            lastSeen = (fingerprint, preview.contents)
            lastSeenRemainder = remainder
            return (.opened(preview.contents), remainder)
        }
        return (try open(data, fingerprint: fingerprint, movingDamagedAside: movingDamagedAside), nil)
    }

    private func open(_ data: Data, fingerprint: Fingerprint?, movingDamagedAside: Bool) throws -> Opening {
        do {
            let contents = try StoreCodec.decode(data, path: path)
            lastSeen = (fingerprint, contents)
            return .opened(contents)
        } catch let error as StoreCodec.DamagedStore {
            guard movingDamagedAside else { throw StoreError(path: path, problem: error.problem) }
            let aside = try moveAside()
            let backup = (try? read(backupPath)).flatMap { try? StoreCodec.decode($0, path: backupPath) }
            if backup != nil {
                // the backup is the last good copy; later saves replace STORE.bak, so it is
                // also kept beside the damaged file, whatever the user answers
                if link(backupPath, aside + ".bak") != 0, let data = try? read(backupPath) {
                    try? AtomicFile.write(data, to: aside + ".bak")
                }
            }
            lastSeen = (nil, StoreContents())
            return .damaged(problem: error.problem, movedTo: aside, backup: backup)
        }
    }

    /// `contents` with each quarantined record of the `annotations` list replaced by the
    /// record exactly as the store file holds it (matched by `id`), so records found
    /// invalid after decoding (by ``Reanchoring``) are written back with every field they
    /// had. Reads the file only when there is such a record; unchanged when it cannot.
    public func restoringExactRecords(_ contents: StoreContents) -> StoreContents {
        guard contents.quarantined.contains(where: { $0.list == "annotations" && $0.record["id"] != nil }),
              let data = try? read(path),
              let root = StoreScan.exactValue(of: data) ?? (try? JSONDecoder().decode(JSONValue.self, from: data)),
              case .array(let records)? = root["annotations"] else { return contents }
        // only ids the file holds once: a repeated id's records were kept exactly by the codec
        var byID: [String: JSONValue] = [:]
        var repeated = Set<String>()
        for record in records {
            guard case .string(let id)? = record["id"] else { continue }
            if byID[id] != nil { repeated.insert(id) } else { byID[id] = record }
        }
        for id in repeated { byID[id] = nil }
        var restored = contents
        for index in restored.quarantined.indices where restored.quarantined[index].list == "annotations" {
            if case .string(let id)? = restored.quarantined[index].record["id"], let exact = byID[id] {
                restored.quarantined[index].record = exact
            }
        }
        return restored
    }

    private func read(_ file: String) throws -> Data {
        do {
            return try RegularFile.data(file)
        } catch {
            throw StoreError(path: file, problem: "cannot read the annotation store: \(Document.reason(for: error, path: file))")
        }
    }

    /// Renames the store to a free `.corrupt-<time>` name beside it.
    private func moveAside() throws -> String {
        let stamp = Annotation.timestamp(Date()).replacingOccurrences(of: ":", with: "").replacingOccurrences(of: "-", with: "")
        var aside = path + ".corrupt-" + stamp
        var attempt = 1
        while FileManager.default.fileExists(atPath: aside) {
            attempt += 1
            aside = path + ".corrupt-\(stamp)-\(attempt)"
        }
        guard rename(path, aside) == 0 else {
            throw StoreError(path: path, problem: "damaged, and cannot be moved aside to \(aside): \(String(cString: strerror(errno)))")
        }
        return aside
    }

    /// Writes `contents` for `document`, atomically, keeping the replaced file as
    /// ``backupPath``. When the file changed on disk since this store last read or wrote
    /// it, the change is merged by annotation id first (see ``merge(base:ours:theirs:)``),
    /// and annotations taken from disk are re-anchored in `document`.
    /// - Parameter document: the store records its path, SHA-256 and length, unless
    ///   `keepingDocumentRecord` is true and the contents have one (a migration that must
    ///   not claim the text was checked); members of the record Gloss does not know
    ///   (``StoredDocument/otherFields``) are kept either way.
    /// - Returns: what was written: `contents`, or the merge.
    /// - Throws: ``StoreError`` when writing fails, or when the file on disk changed and
    ///   cannot be read or merged; the file on disk is then as it was.
    @discardableResult
    public func save(_ contents: StoreContents, of document: Document, keepingDocumentRecord: Bool = false) throws -> StoreContents {
        var written = contents
        if let lastSeen, Fingerprint(path: path) != lastSeen.fingerprint,
           let theirs = try currentContentsForMerge() {
            var base = lastSeen.contents
            if let lastSeenRemainder {
                do {
                    base = try lastSeenRemainder.whole()
                } catch {
                    throw StoreError(path: path, problem: "changed on disk since Gloss read it, and what Gloss read cannot be read whole (\(error)); not saved")
                }
            }
            do {
                written = try AnnotationStore.merge(base: base, ours: contents, theirs: theirs)
            } catch let conflict as MergeConflict {
                throw StoreError(path: path, problem: "changed on disk since Gloss read it, and \(conflict.what) was changed both there and here; not saved")
            }
            let placement = Reanchoring.reanchor(written.annotations + written.orphans, in: document, recordedLength: theirs.document?.length)
            written.annotations = placement.anchored
            written.orphans = placement.orphans
        }
        if !(keepingDocumentRecord && written.document != nil) {
            // another tool's members of the record are kept as read
            // and the source's, when the text is still extracted from one
            var source = document.extraction.map(StoredSource.init)
            source?.otherFields = written.document?.source?.otherFields ?? [:]
            written.document = StoredDocument(path: storedPath(of: document), sha256: hash(of: document), length: document.length,
                                              source: source, otherFields: written.document?.otherFields ?? [:])
        }
        written.version = AnnotationStore.currentVersion
        let data: Data
        do {
            data = try StoreCodec.encode(written)
        } catch {
            throw StoreError(path: path, problem: "cannot encode the annotations: \(error)")
        }
        try AtomicFile.write(data, to: path, backup: backupPath, calls: calls)
        lastSeen = (Fingerprint(path: path), written)
        lastSeenRemainder = nil
        return written
    }

    /// Writes `annotations` of `document` as the whole store, without orphans or
    /// quarantined records.
    /// - Throws: ``StoreError`` as ``save(_:of:keepingDocumentRecord:)`` does.
    public func save(_ annotations: [Annotation], of document: Document) throws {
        try save(StoreContents(annotations: annotations), of: document)
    }

    /// The file on disk for a merge, nil when it vanished (then ours is written).
    private func currentContentsForMerge() throws -> StoreContents? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        do {
            return try StoreCodec.decode(try read(path), path: path)
        } catch let damaged as StoreCodec.DamagedStore {
            throw StoreError(path: path, problem: "changed on disk since Gloss read it and is now unreadable (\(damaged.problem)); not saved")
        } catch let error as StoreError {
            throw StoreError(path: path, problem: "changed on disk since Gloss read it: \(error.problem); not saved")
        }
    }

    /// Two edits of the same annotation.
    struct MergeConflict: Error {
        /// What both changed: `annotation ID`, `relation ID` or `the document memo`.
        var what: String
    }

    /// A three-way merge by annotation id, as git merges lines: for each id, a side that
    /// did not change it since `base` takes the other side's version; an edit beats a
    /// deletion; anything both changed alike is kept once. So an annotation deleted on disk
    /// (a teammate's deletion arriving by `git pull`) that was not edited here is deleted
    /// here too; the reader says how many (see `BackgroundResult.merged`), and the file
    /// before the save is kept as the backup.
    /// Quarantined records and unknown fields come from `theirs`, less the records `ours`
    /// deleted.
    /// Relations merge by id under the same rules, and the document memo as one value.
    /// - Throws: ``MergeConflict`` when both sides changed one annotation, relation or the
    ///   memo differently.
    static func merge(base: StoreContents, ours: StoreContents, theirs: StoreContents) throws -> StoreContents {
        struct Entry: Equatable { var annotation: Annotation; var orphan: Bool }
        func entries(_ contents: StoreContents) -> [String: Entry] {
            var result: [String: Entry] = [:]
            for annotation in contents.annotations { result[annotation.id] = Entry(annotation: annotation, orphan: false) }
            for annotation in contents.orphans { result[annotation.id] = Entry(annotation: annotation, orphan: true) }
            return result
        }
        let baseEntries = entries(base), ourEntries = entries(ours), theirEntries = entries(theirs)
        var merged = StoreContents(quarantined: [], document: theirs.document, version: theirs.version, otherFields: theirs.otherFields)
        let ids = Set(baseEntries.keys).union(ourEntries.keys).union(theirEntries.keys).sorted()
        for id in ids {
            let old = baseEntries[id], mine = ourEntries[id], other = theirEntries[id]
            let chosen: Entry?
            if mine == other || old == other {
                chosen = mine
            } else if old == mine {
                chosen = other
            } else if mine == nil || other == nil {
                chosen = mine ?? other
            } else {
                throw MergeConflict(what: "annotation \(id)")
            }
            guard let chosen else { continue }
            if chosen.orphan { merged.orphans.append(chosen.annotation) } else { merged.annotations.append(chosen.annotation) }
        }
        merged.annotations.sort(by: Annotation.documentOrder)
        // relations merge by id under the same rules
        let baseRelations = Dictionary(base.relations.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let ourRelations = Dictionary(ours.relations.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let theirRelations = Dictionary(theirs.relations.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        for id in Set(baseRelations.keys).union(ourRelations.keys).union(theirRelations.keys).sorted() {
            let old = baseRelations[id], mine = ourRelations[id], other = theirRelations[id]
            let chosen: Relation?
            if mine == other || old == other {
                chosen = mine
            } else if old == mine || mine == nil || other == nil {
                chosen = old == mine ? other : (mine ?? other)
            } else {
                throw MergeConflict(what: "relation \(id)")
            }
            if let chosen { merged.relations.append(chosen) }
        }
        merged.relations.sort(by: Relation.storeOrder)
        // the document memo: a side that kept it takes the other's edit
        if ours.memo == theirs.memo || base.memo == theirs.memo {
            merged.memo = ours.memo
        } else if base.memo == ours.memo {
            merged.memo = theirs.memo
        } else {
            throw MergeConflict(what: "the document memo")
        }
        let deleted = base.quarantined.filter { record in !ours.quarantined.contains { $0.record == record.record } }
        merged.quarantined = theirs.quarantined.filter { record in !deleted.contains { $0.record == record.record } }
            + ours.quarantined.filter { record in !base.quarantined.contains { $0.record == record.record } }
        merged.quarantineDanglingRelations()
        return merged
    }

    // MARK: - Document record

    /// SHA-256 of the document text, computed once per document.
    func hash(of document: Document) -> String {
        document.sha256
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

/// Identity of a file's current contents: device, inode, size and modification time.
/// A save renames a new file into place, so any writer changes the inode or the time.
struct Fingerprint: Equatable {
    var device: UInt64, inode: UInt64, size: Int64, seconds: Int, nanoseconds: Int

    /// The fingerprint of the file at `path`, nil when there is none.
    init?(path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
        size = Int64(info.st_size)
        seconds = info.st_mtim.tv_sec
        nanoseconds = info.st_mtim.tv_nsec
    }
}

/// A coder's name, as `--coder NAME` gives it: it names the coder's own store of a
/// document, `FILE.gloss.NAME.json`, so it may hold only ASCII letters, digits, `-`, `_`
/// and `.`, and is neither empty, `.` nor `..`.
public enum CoderName {
    /// Checks `name`.
    /// - Returns: `name`.
    /// - Throws: ``CoderNameError`` naming the bad value and what is wrong with it.
    @discardableResult
    public static func validate(_ name: String) throws -> String {
        guard !name.isEmpty else { throw CoderNameError(name: name, problem: "is empty") }
        if let bad = name.unicodeScalars.first(where: { !($0.isASCII && (CharacterSet.alphanumerics.contains($0) || "-_.".unicodeScalars.contains($0))) }) {
            throw CoderNameError(name: name, problem: "holds \(bad.properties.generalCategory == .control ? String(format: "U+%04X", bad.value) : "\"\(bad)\""); use letters, digits, -, _ and .")
        }
        guard name != "." && name != ".." else { throw CoderNameError(name: name, problem: "is not a name") }
        return name
    }

    /// The store of `coder` for the document at `documentPath`: `FILE.gloss.NAME.json`.
    /// - Throws: ``CoderNameError`` when the name is not valid.
    public static func storePath(forDocument documentPath: String, coder: String) throws -> String {
        documentPath + ".gloss." + (try validate(coder)) + ".json"
    }

    /// The coder whose store `path` is (`NAME` of `FILE.gloss.NAME.json`), else nil.
    public static func coder(ofStore path: String) -> String? {
        let name = URL(fileURLWithPath: path).lastPathComponent
        guard name.hasSuffix(".json") else { return nil }
        let stem = name.dropLast(".json".count)
        guard let marker = stem.range(of: ".gloss.", options: .backwards) else { return nil }
        let coder = String(stem[marker.upperBound...])
        return (try? validate(coder)) == nil ? nil : coder
    }
}

/// A `--coder` name that cannot name a store.
public struct CoderNameError: Error, CustomStringConvertible, Equatable {
    /// The name as given.
    public var name: String
    /// What is wrong with it.
    public var problem: String
    /// `coder name "NAME" PROBLEM`.
    public var description: String { "coder name \"\(name)\" \(problem)" }
}
