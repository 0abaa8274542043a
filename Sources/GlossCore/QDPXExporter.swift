import Foundation
import ZIPFoundation

/// Exports annotations as a REFI-QDA project (`.qdpx`), the exchange format of NVivo,
/// ATLAS.ti, MAXQDA, QualCoder and Quirkos (REFI-QDA standard 1.5; Project.xsd of
/// March 2019).
///
/// The archive is a zip holding `project.qde`, the project in XML, and
/// `sources/GUID.txt` for each document: its text byte for byte as Gloss reads it
/// (UTF-8 without a byte-order mark, line ends kept; the extracted text for HTML,
/// Markdown or PDF), named by the `TextSource`'s GUID as the standard's examples and the
/// other tools name them. `project.qde` holds, in Project.xsd's order:
///
/// - `Users`: one `User` per author of an exported annotation or relation note, its GUID
///   name-based on the name.
/// - `CodeBook`: the codebooks' categories and values as nested `Code`s (``RefiQDA``).
/// - `Sources`: per document a `TextSource` (`name` the file name, `plainTextPath`
///   `internal://GUID.txt`, `Description` the document memo) holding a
///   `PlainTextSelection` per annotation: `startPosition` and `endPosition` in code
///   points of the text, end exclusive, as Gloss's offsets; `creatingUser` its author;
///   `creationDateTime` and `modifiedDateTime` its times; its note as `Description`; and a
///   `Coding` per tag with a `CodeRef` to the tag's code.
/// - `Notes`: the note of each relation that has one, as a `Note` with
///   `PlainTextContent`.
/// - `Links`: per relation a `Link` from its first annotation's selection
///   (`originGUID`) to its second's (`targetGUID`), `name` the relation type's id,
///   `direction="OneWay"`, and a `NoteRef` to its note.
///
/// GUIDs are stable: a selection's or link's is its Gloss id (lower-cased, or name-based
/// when the id is not a UUID, as the W3C export's ids), every other GUID is name-based on
/// what it stands for, so exporting the same stores again gives the same `project.qde`.
/// Orphaned annotations (no offsets), authors and times of relations without a note (a
/// `Link` has neither) and characters XML 1.0 cannot carry are reported in
/// ``Output/notes``.
public enum QDPXExporter {
    /// One annotation store of a document.
    public struct Store: Sendable {
        /// How notes name the store: its path.
        public var label: String
        /// The coder whose store it is (`FILE.gloss.NAME.json`); nil for `FILE.gloss.json`
        /// or a store given with `--store`. Names the store where memos are joined.
        public var coder: String?
        /// The store's contents, placed in the text (``Reanchoring/place(_:in:)``).
        public var contents: StoreContents

        /// Creates the store.
        public init(label: String, coder: String? = nil, contents: StoreContents) {
            self.label = label
            self.coder = coder
            self.contents = contents
        }
    }

    /// One document: a `TextSource` with the selections of all its stores.
    public struct Source: Sendable {
        /// The `TextSource`'s `name`: the file name, unique in the project
        /// (``names(forDocuments:)``).
        public var name: String
        /// The annotated text.
        public var document: Document
        /// The codebook found for the document: labels, colours, the paths of values.
        public var codebook: Codebook
        /// Its stores, each one's annotations a selection of the source.
        public var stores: [Store]

        /// Creates the source.
        public init(name: String, document: Document, codebook: Codebook, stores: [Store]) {
            self.name = name
            self.document = document
            self.codebook = codebook
            self.stores = stores
        }
    }

    /// Everything an export writes, made before anything is written.
    public struct Output: Sendable {
        /// `project.qde`: the XML, UTF-8.
        public var project: String
        /// The files of the archive: `project.qde` and `sources/GUID.txt`, in that order.
        public var files: [(path: String, data: Data)]
        /// What the project could not hold, one line each, naming the store.
        public var notes: [String]
        /// How many `PlainTextSelection`s, `Coding`s and `Link`s the project holds.
        public var selections: Int, codings: Int, links: Int

        /// The `.qdpx` archive: a zip of ``files``, deflated, every entry dated
        /// 2000-01-01 so that the same export gives the same bytes.
        /// - Throws: ZIPFoundation's `Archive.ArchiveError` when the archive cannot be made.
        public func archive() throws -> Data {
            let archive = try Archive(accessMode: .create)
            let date = Date(timeIntervalSince1970: 946_728_000)  // 2000-01-01T12:00:00Z, a valid DOS date in every zone
            for (path, data) in files {
                try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), modificationDate: date,
                                     compressionMethod: .deflate) { position, size in
                    data.subdata(in: Int(position)..<Int(position) + size)
                }
            }
            guard let bytes = archive.data else { throw Archive.ArchiveError.unwritableArchive }
            return bytes
        }
    }

    /// The file name of the project inside the archive, as the standard names it.
    public static let projectFileName = "project.qde"

    /// Makes the project of `sources`.
    /// - Parameters:
    ///   - projectName: the `Project`'s `name`.
    ///   - origin: the `Project`'s `origin`, the software that wrote it (`Gloss 0.1.0`).
    /// - Returns: the files and the notes.
    /// - Throws: ``DocumentError`` when a text is damaged anywhere; ``ExportError`` when an
    ///   annotation does not fit its document (as every export checks).
    public static func export(_ sources: [Source], projectName: String, origin: String) throws -> Output {
        var notes: [String] = []
        // every annotation checked, in document order, per store
        var checked: [[[Annotation]]] = []
        for source in sources {
            checked.append(try source.stores.map { try Export.checkedInDocumentOrder($0.contents.annotations, of: source.document) })
        }
        var codebooks: [Codebook] = []
        for source in sources where !codebooks.contains(source.codebook) { codebooks.append(source.codebook) }
        var tags: [(tag: Tag, codebook: Codebook)] = []
        for (source, stores) in zip(sources, checked) {
            for annotation in stores.joined() { tags += annotation.tags.map { ($0, source.codebook) } }
        }
        let codes = RefiQDA.CodeTree(codebooks: codebooks, tags: tags)

        // users: the authors of what is written
        var authors = Set<String>()
        for (source, stores) in zip(sources, checked) {
            for annotation in stores.joined() where !annotation.author.isEmpty { authors.insert(annotation.author) }
            for store in source.stores {
                for relation in store.contents.relations where !relation.note.isEmpty && !relation.author.isEmpty { authors.insert(relation.author) }
            }
        }
        func user(_ name: String) -> String? { name.isEmpty ? nil : RefiQDA.guid("user", [name]) }
        func date(_ text: String) -> String? { RefiQDA.isDateTime(text) ? text : nil }

        var xml = XMLWriter()
        xml.open("Project", [("xmlns", RefiQDA.projectNamespace), ("name", projectName), ("origin", origin)])
        if !authors.isEmpty {
            xml.open("Users")
            for name in authors.sorted() { xml.empty("User", [("guid", user(name)), ("name", name)]) }
            xml.close()
        }
        if !codes.roots.isEmpty {
            xml.open("CodeBook")
            xml.open("Codes")
            RefiQDA.write(codes.roots, to: &xml)
            xml.close()
            xml.close()
        }

        var files: [(path: String, data: Data)] = []
        var takenGUIDs = Set<String>()
        var selectionCount = 0, codingCount = 0
        // per source and store: annotation id -> selection GUID, for the links
        var selectionGUIDs: [[[String: String]]] = []
        var undatedRelations = 0
        if !sources.isEmpty { xml.open("Sources") }
        for (source, stores) in zip(sources, checked) {
            let sourceGUID = RefiQDA.guid("source", [source.name, source.document.sha256])
            let file = sourceGUID + ".txt"
            files.append(("sources/" + file, source.document.withUTF8 { Data(buffer: $0) }))
            var selections: [(guid: String, annotation: Annotation)] = []
            var guids: [[String: String]] = []
            for (store, annotations) in zip(source.stores, stores) {
                var map: [String: String] = [:]
                for annotation in annotations {
                    var guid = RefiQDA.guid(ofID: annotation.id)
                    // a store that repeats another's ids (a copied store) gets GUIDs of its own
                    if takenGUIDs.contains(guid) { guid = RefiQDA.guid("selection", [source.name, store.label, annotation.id]) }
                    takenGUIDs.insert(guid)
                    map[annotation.id] = guid
                    selections.append((guid, annotation))
                }
                guids.append(map)
                let orphans = store.contents.orphans.count
                if orphans > 0 {
                    notes.append("\(store.label): \(orphans) orphaned annotation(s) not exported: a REFI-QDA selection needs offsets in the text")
                }
            }
            selectionGUIDs.append(guids)
            selections.sort { ($0.annotation.start, $0.annotation.end, $0.guid) < ($1.annotation.start, $1.annotation.end, $1.guid) }

            xml.open("TextSource", [("guid", sourceGUID), ("name", source.name), ("plainTextPath", "internal://" + file)])
            let memos = source.stores.filter { !$0.contents.memo.isEmpty }
            if !memos.isEmpty {
                let distinct = memos.reduce(into: [String]()) { if !$0.contains($1.contents.memo) { $0.append($1.contents.memo) } }
                let memo = distinct.count == 1 ? distinct[0]
                    : memos.map { "[\($0.coder ?? URL(fileURLWithPath: $0.label).lastPathComponent)] \($0.contents.memo)" }.joined(separator: "\n\n")
                xml.element("Description", text: memo)
            }
            for (guid, annotation) in selections {
                selectionCount += 1
                let attributes: [(String, String?)] = [
                    ("guid", guid), ("startPosition", String(annotation.start)), ("endPosition", String(annotation.end)),
                    ("creatingUser", user(annotation.author)), ("creationDateTime", date(annotation.created)),
                    ("modifiedDateTime", date(annotation.modified)),
                ]
                var tagCodes: [String] = []
                for tag in annotation.tags {
                    if let code = codes.guid(of: tag, codebook: source.codebook), !tagCodes.contains(code) { tagCodes.append(code) }
                }
                if annotation.note.isEmpty && tagCodes.isEmpty {
                    xml.empty("PlainTextSelection", attributes)
                    continue
                }
                xml.open("PlainTextSelection", attributes)
                if !annotation.note.isEmpty { xml.element("Description", text: annotation.note) }
                for code in tagCodes {
                    codingCount += 1
                    xml.open("Coding", [("guid", RefiQDA.guid("coding", [guid, code])), ("creatingUser", user(annotation.author)),
                                        ("creationDateTime", date(annotation.created))])
                    xml.empty("CodeRef", [("targetGUID", code)])
                    xml.close()
                }
                xml.close()
            }
            xml.close()
        }
        if !sources.isEmpty { xml.close() }

        // relations: a Link each between two exported selections, its note a Note
        var links: [(guid: String, relation: Relation, origin: String, target: String)] = []
        for (sourceIndex, source) in sources.enumerated() {
            for (storeIndex, store) in source.stores.enumerated() {
                let map = selectionGUIDs[sourceIndex][storeIndex]
                var left = 0
                for relation in store.contents.relations {
                    guard let origin = map[relation.from], let target = map[relation.to] else {
                        left += 1
                        continue
                    }
                    var guid = RefiQDA.guid(ofID: relation.id)
                    if takenGUIDs.contains(guid) { guid = RefiQDA.guid("link", [source.name, store.label, relation.id]) }
                    takenGUIDs.insert(guid)
                    links.append((guid, relation, origin, target))
                    if relation.note.isEmpty { undatedRelations += 1 }
                }
                if left > 0 {
                    notes.append("\(store.label): \(left) relation(s) not exported: an end is an orphaned or invalid annotation")
                }
            }
        }
        links.sort { ($0.origin, $0.target, $0.relation.type, $0.guid) < ($1.origin, $1.target, $1.relation.type, $1.guid) }
        let noted = links.filter { !$0.relation.note.isEmpty }
        if !noted.isEmpty {
            xml.open("Notes")
            for link in noted {
                let relation = link.relation
                xml.open("Note", [("guid", RefiQDA.guid("note", [link.guid])), ("name", relation.type),
                                  ("creatingUser", user(relation.author)), ("creationDateTime", date(relation.created)),
                                  ("modifiedDateTime", date(relation.modified))])
                xml.element("PlainTextContent", text: relation.note)
                xml.close()
            }
            xml.close()
        }
        if !links.isEmpty {
            xml.open("Links")
            for link in links {
                let attributes: [(String, String?)] = [("guid", link.guid), ("name", link.relation.type), ("direction", "OneWay"),
                                                       ("originGUID", link.origin), ("targetGUID", link.target)]
                if link.relation.note.isEmpty {
                    xml.empty("Link", attributes)
                } else {
                    xml.open("Link", attributes)
                    xml.empty("NoteRef", [("targetGUID", RefiQDA.guid("note", [link.guid]))])
                    xml.close()
                }
            }
            xml.close()
        }
        xml.close()

        if undatedRelations > 0 {
            notes.append("\(undatedRelations) relation(s) without a note exported without their author and times: a REFI-QDA Link has no place for them")
        }
        if xml.replacedCharacters > 0 {
            notes.append("\(xml.replacedCharacters) control character(s) in notes, memos or names written as U+FFFD: XML 1.0 cannot hold them")
        }
        files.insert((projectFileName, Data(xml.text.utf8)), at: 0)
        return Output(project: xml.text, files: files, notes: notes, selections: selectionCount, codings: codingCount, links: links.count)
    }

    /// Writes the archive of `output` to `path`, atomically (``AtomicFile/write(_:to:backup:calls:)``):
    /// a file already there is replaced only once the new one is complete.
    /// - Throws: ``StoreError`` naming `path` when it cannot be written; ZIPFoundation's
    ///   error when the archive cannot be made.
    public static func write(_ output: Output, to path: String) throws {
        try AtomicFile.write(try output.archive(), to: path)
    }

    /// The `TextSource` name of each document path: its file name (`news/2026/article.txt`
    /// is `article.txt`); a name already given (letter case aside) gets `-2`, `-3`...
    /// before its extension (`article-2.txt`), in the order of `paths`.
    public static func names(forDocuments paths: [String]) -> [String] {
        var taken = Set<String>()
        return paths.map { path in
            let file = URL(fileURLWithPath: path).lastPathComponent
            let url = URL(fileURLWithPath: file)
            let stem = url.deletingPathExtension().lastPathComponent
            let suffix = stem.isEmpty || stem == file ? "" : "." + url.pathExtension
            let base = stem.isEmpty ? file : stem
            var name = file
            var number = 2
            while taken.contains(name.lowercased()) {
                name = "\(base)-\(number)\(suffix)"
                number += 1
            }
            taken.insert(name.lowercased())
            return name
        }
    }
}
