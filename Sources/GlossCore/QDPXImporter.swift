import Foundation
import ZIPFoundation

/// Reads the codings of one text source of a REFI-QDA project (`.qdpx`; REFI-QDA
/// standard 1.5, Project.xsd of March 2019) as Gloss annotations and relations of a
/// document, the mapping of ``QDPXExporter`` read back:
///
/// - The `TextSource` is the one whose plain text (`plainTextPath` `internal://NAME` in
///   the archive's `sources/` or `Sources/` folder, or `PlainTextContent`; a byte-order
///   mark left out) is the document's text, code point for code point; or the one named.
/// - Each `PlainTextSelection` is an annotation over `startPosition..<endPosition`, code
///   points of that text; its id the selection's GUID (in upper case, as Gloss writes ids), its author the name
///   of its `creatingUser`, its times `creationDateTime` and `modifiedDateTime`, its note
///   its `Description` (and the text of `Note`s it refers to with `NoteRef`).
/// - Each `Coding` is a tag: the `CodeRef`'s code, by the names from the top of the code
///   tree, is a category (the top code, matched to the codebook's categories by id or
///   label, letter case aside with `_`, `-` and space alike; else a category of that
///   name) and a value (the last name below it; none for the top code itself).
/// - A `Link` between two imported selections is a relation, its `name` the relation type
///   (matched to the codebook's as categories are), its `NoteRef`'s note its note.
/// - The source's `Description` is the document memo.
///
/// What has no place in a Gloss store is reported, never dropped silently: codings of the
/// whole source, selections outside the text or inside a grapheme cluster, codes that
/// are not in the code book, links to other objects, and the project's cases,
/// variables, sets and graphs.
public enum QDPXImporter {
    /// An import that cannot be done: the file cannot be read, or no source fits.
    public typealias ImportError = AnnotationImport.ImportError

    /// What an import read.
    public struct Result: Sendable {
        /// The annotations and relations read, and the report (messages have no line
        /// numbers), in the shape ``BratImporter/merge(_:into:)`` merges.
        public var read: BratImporter.Result
        /// The source's `Description`, the document memo; empty when none.
        public var memo: String
        /// The `name` of the source read.
        public var sourceName: String
    }

    /// Reads the project at `path` for `document`.
    /// - Parameters:
    ///   - codebook: matches top-level codes to categories and link names to relation
    ///     types, and places values.
    ///   - sourceName: the `TextSource` to read, by `name`; nil to find the one whose text
    ///     is the document's.
    ///   - user: when given, only the selections whose creating user has this name.
    ///   - author: recorded on what has no known creating user.
    ///   - date: the times of what records none.
    ///   - existingIDs: ids the store already uses; an imported GUID among them (letter
    ///     case aside) gets a new id, so no two records share one.
    ///   - limits: the most the project file and sources may inflate to.
    /// - Throws: ``ImportError`` when the file is not a zip archive holding a project file
    ///   of REFI-QDA's shape, an entry read is over `limits` (by its declared size or by
    ///   what it inflates to), or no text source has the document's text (or the named one
    ///   does not, naming the first code point that differs).
    public static func read(project path: String, document: Document, codebook: Codebook, sourceName: String? = nil,
                            user: String? = nil, author: String, date: Date = Date(),
                            existingIDs: Set<String> = [], limits: RefiQDA.ArchiveLimits = .standard) throws -> Result {
        // ZIPFoundation reads a folder as an archive without end
        var status = stat()
        if stat(path, &status) == 0, status.st_mode & S_IFMT != S_IFREG {
            throw ImportError(path: path, problem: status.st_mode & S_IFMT == S_IFDIR ? "cannot be read: it is a folder" : "cannot be read: not a regular file")
        }
        // opened first for its reason in plain words: the archive's error for a missing
        // file is Foundation's raw text
        do {
            close(try RegularFile.open(path).descriptor)
        } catch {
            throw ImportError(path: path, problem: "cannot be read: \(Document.reason(for: error, path: path))")
        }
        let archive: Archive
        do {
            archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
        } catch {
            throw ImportError(path: path, problem: "cannot be read as a zip archive (a .qdpx is one): \(RefiQDA.archiveProblem(error))")
        }
        let extractor = RefiQDA.BoundedExtractor(archive, limits: limits)
        func bytes(of entry: Entry, cap: Int64, what: String) throws -> Data {
            do {
                return try extractor.bytes(of: entry, cap: cap, what: what)
            } catch {
                throw ImportError(path: path, problem: "\(error)")
            }
        }
        guard let projectEntry = archive[QDPXExporter.projectFileName]
                ?? archive.first(where: { $0.type == .file && $0.path.hasSuffix(".qde") && !$0.path.contains("/") }) else {
            throw ImportError(path: path, problem: "holds no \(QDPXExporter.projectFileName); it is not a REFI-QDA project")
        }
        let root: XMLTree
        do {
            root = try XMLTree.parse(try bytes(of: projectEntry, cap: limits.project, what: "the project file"))
        } catch let error as ImportError {
            throw error
        } catch {
            throw ImportError(path: path, problem: "\(projectEntry.path): \(error)")
        }
        guard root.name == "Project" else {
            throw ImportError(path: path, problem: "\(projectEntry.path) is not a REFI-QDA project: its root element is \(root.name)")
        }
        var messages: [BratImporter.Message] = []
        func report(_ kind: BratImporter.Message.Kind, _ text: String) { messages.append(.init(line: nil, kind: kind, text: text)) }
        if root.namespace != RefiQDA.projectNamespace {
            report(.warning, "the project's namespace is \"\(root.namespace)\", not \(RefiQDA.projectNamespace); read as that")
        }

        var users: [String: String] = [:]
        for element in root.child("Users")?.children("User") ?? [] {
            if let guid = element.attributes["guid"] { users[RefiQDA.normalizedGUID(guid)] = element.attributes["name"] ?? element.attributes["id"] ?? "" }
        }
        var codes: [String: [String]] = [:]
        func collect(_ element: XMLTree, _ trail: [String]) {
            for code in element.children("Code") {
                let names = trail + [code.attributes["name"] ?? ""]
                if let guid = code.attributes["guid"] { codes[RefiQDA.normalizedGUID(guid)] = names }
                collect(code, names)
            }
        }
        if let top = root.child("CodeBook")?.child("Codes") { collect(top, []) }
        var notes: [String: XMLTree] = [:]
        for note in root.child("Notes")?.children("Note") ?? [] {
            if let guid = note.attributes["guid"] { notes[RefiQDA.normalizedGUID(guid)] = note }
        }

        // the plain text of a text source (or note), nil when it cannot be had
        func plainText(of element: XMLTree) throws -> String? {
            if let content = element.child("PlainTextContent") { return content.text }
            guard let location = element.attributes["plainTextPath"] else { return nil }
            guard location.hasPrefix("internal://") else { return nil }
            let file = String(location.dropFirst("internal://".count))
            guard let entry = archive["sources/" + file] ?? archive["Sources/" + file] else {
                throw ImportError(path: path, problem: "source \"\(element.attributes["name"] ?? file)\": \(location) names no file of the archive's sources folder")
            }
            let data = try bytes(of: entry, cap: limits.source, what: "a source")
            guard var text = String(validatingUTF8Data: data) else {
                throw ImportError(path: path, problem: "source \"\(element.attributes["name"] ?? file)\": \(entry.path) is not UTF-8")
            }
            if text.unicodeScalars.first == "\u{FEFF}" { text.unicodeScalars.removeFirst() }
            return text
        }

        let sources = root.child("Sources")?.children("TextSource") ?? []
        let chosen: XMLTree
        if let sourceName {
            guard let named = sources.first(where: { $0.attributes["name"] == sourceName }) else {
                throw ImportError(path: path, problem: "has no text source named \"\(sourceName)\" (its text sources: \(sources.compactMap { $0.attributes["name"] }.joined(separator: ", ")))")
            }
            guard let text = try plainText(of: named) else {
                throw ImportError(path: path, problem: "source \"\(sourceName)\" has no plain text in the archive (\(named.attributes["plainTextPath"] ?? "no plainTextPath"))")
            }
            guard document.withUTF8({ $0.elementsEqual(text.utf8) }) else {
                let ours = Array(document.text.unicodeScalars), theirs = Array(text.unicodeScalars)
                let first = zip(ours, theirs).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(ours.count, theirs.count)
                throw ImportError(path: path, problem: "source \"\(sourceName)\" is not the text of \(document.path) (they differ from code point \(first) on); its positions would point elsewhere")
            }
            chosen = named
        } else {
            var matches: [XMLTree] = []
            for source in sources {
                if let text = try plainText(of: source), document.withUTF8({ $0.elementsEqual(text.utf8) }) { matches.append(source) }
            }
            guard let first = matches.first else {
                let names = sources.compactMap { $0.attributes["name"] }
                throw ImportError(path: path, problem: "no text source has the text of \(document.path)" + (names.isEmpty ? "; it has no text source" : " (its text sources: \(names.joined(separator: ", "))); name one with --source"))
            }
            if matches.count > 1 {
                report(.warning, "\(matches.count) text sources have this text (\(matches.compactMap { $0.attributes["name"] }.joined(separator: ", "))); read the first, \(first.attributes["name"] ?? "?"); name another with --source")
            }
            chosen = first
        }
        let name = chosen.attributes["name"] ?? ""

        let stamp = Annotation.timestamp(date)
        let resolveCategory = BratImporter.categoryResolver(codebook: codebook)
        let resolveRelation = BratImporter.relationTypeResolver(codebook: codebook)
        let takenIDs = Set(existingIDs.map { $0.lowercased() })
        var newCategories: [String] = []
        var misplaced: [String] = []
        func noteText(_ refs: [XMLTree]) -> [String] {
            refs.compactMap { ref -> String? in
                guard let note = notes[RefiQDA.normalizedGUID(ref.attributes["targetGUID"] ?? "")] else { return nil }
                return (try? plainText(of: note)) ?? nil
            }.filter { !$0.isEmpty }
        }
        func timestamp(_ text: String?) -> String? { text.flatMap { RefiQDA.isDateTime($0) ? $0 : nil } }

        var annotations: [Annotation] = []
        var selectionIDs: [String: String] = [:]  // selection GUID -> annotation id
        var skippedSelections = Set<String>()
        var filtered = 0
        for selection in chosen.children("PlainTextSelection") {
            let guid = RefiQDA.normalizedGUID(selection.attributes["guid"] ?? "")
            let label = "selection \(guid.isEmpty ? "without a guid" : guid)"
            guard !guid.isEmpty, selectionIDs[guid] == nil, !skippedSelections.contains(guid) else {
                report(.malformed, "\(label): its guid is missing or used twice; not imported")
                continue
            }
            guard let start = Int(selection.attributes["startPosition"] ?? ""), let end = Int(selection.attributes["endPosition"] ?? "") else {
                report(.malformed, "\(label): startPosition and endPosition are not whole numbers; not imported")
                skippedSelections.insert(guid)
                continue
            }
            let creator = (selection.attributes["creatingUser"] ?? selection.children("Coding").first?.attributes["creatingUser"]).map(RefiQDA.normalizedGUID)
            let creatorName = creator.flatMap { users[$0] }.flatMap { $0.isEmpty ? nil : $0 }
            if let user, creatorName != user {
                filtered += 1
                skippedSelections.insert(guid)
                continue
            }
            guard 0 <= start, start < end, end <= document.length else {
                report(.malformed, "\(label): \(start)..<\(end) is \(start >= end ? "empty" : "outside the text's \(document.length) code points"); not imported")
                skippedSelections.insert(guid)
                continue
            }
            if let inside = [start, end].first(where: { !Reanchoring.isClusterBoundary($0, in: document) }) {
                report(.malformed, "\(label): \(inside) falls inside a grapheme cluster; not imported")
                skippedSelections.insert(guid)
                continue
            }
            var tags: [Tag] = []
            for coding in selection.children("Coding") {
                let target = RefiQDA.normalizedGUID(coding.child("CodeRef")?.attributes["targetGUID"] ?? "")
                guard let names = codes[target], let top = names.first else {
                    report(.malformed, "\(label): a coding refers to \(target.isEmpty ? "no code" : "code \(target)"), which the code book does not have; that tag not imported")
                    continue
                }
                let category: String
                switch resolveCategory(top) {
                case .category(let id): category = id
                case .new, .untagged:
                    category = top
                    if !newCategories.contains(top) { newCategories.append(top) }
                }
                let value = names.count > 1 ? names[names.count - 1] : ""
                if !value.isEmpty, let known = codebook.category(id: category), known.allValues.contains(where: { $0.value == value }),
                   known.path(of: value) != Array(names.dropFirst()) {
                    let where_ = names.joined(separator: "/")
                    if !misplaced.contains(where_) { misplaced.append(where_) }
                }
                let tag = Tag(category: category, value: value)
                if !tags.contains(tag) { tags.append(tag) }
            }
            let note = ([selection.child("Description")?.text ?? ""].filter { !$0.isEmpty } + noteText(selection.children("NoteRef"))).joined(separator: "\n\n")
            // upper case, as Gloss writes the UUIDs it makes: a round trip keeps the store's ids
            let id = (takenIDs.contains(guid) ? RefiQDA.guid("import", [guid]) : guid).uppercased()
            var annotation = Annotation(document: document, range: start..<end, tags: tags, note: note,
                                        author: creatorName ?? author, date: date, id: id)
            annotation.created = timestamp(selection.attributes["creationDateTime"]) ?? stamp
            annotation.modified = timestamp(selection.attributes["modifiedDateTime"]) ?? annotation.created
            annotations.append(annotation)
            selectionIDs[guid] = id
        }
        if filtered > 0 { report(.note, "\(filtered) selection(s) of other users than \(user ?? "") left out") }

        var relations: [Relation] = []
        var otherLinks = 0
        for link in root.child("Links")?.children("Link") ?? [] {
            let origin = RefiQDA.normalizedGUID(link.attributes["originGUID"] ?? "")
            let target = RefiQDA.normalizedGUID(link.attributes["targetGUID"] ?? "")
            guard let from = selectionIDs[origin], let to = selectionIDs[target] else {
                if skippedSelections.contains(origin) || skippedSelections.contains(target) {
                    if user == nil { report(.notHeld, "link \(link.attributes["guid"] ?? "") not imported: an end is a selection not imported") }
                } else {
                    otherLinks += 1
                }
                continue
            }
            let guid = RefiQDA.normalizedGUID(link.attributes["guid"] ?? "")
            let linkName = link.attributes["name"] ?? ""
            var type = resolveRelation(linkName) ?? linkName
            if type.isEmpty { type = "link" }
            if resolveRelation(linkName) == nil {
                report(.note, "relation type \"\(type)\" is not in the codebook; kept as it is")
            }
            let note = link.children("NoteRef").compactMap { notes[RefiQDA.normalizedGUID($0.attributes["targetGUID"] ?? "")] }.first
            let noteAuthor = (note?.attributes["creatingUser"]).map(RefiQDA.normalizedGUID).flatMap { users[$0] }.flatMap { $0.isEmpty ? nil : $0 }
            let created = timestamp(note?.attributes["creationDateTime"]) ?? stamp
            let id = (guid.isEmpty || takenIDs.contains(guid) || relations.contains(where: { $0.id.lowercased() == guid })
                ? RefiQDA.guid("import-link", [guid, origin, target]) : guid).uppercased()
            relations.append(Relation(id: id, type: type, from: from, to: to, note: noteText(link.children("NoteRef")).joined(separator: "\n\n"),
                                      author: noteAuthor ?? author, created: created,
                                      modified: timestamp(note?.attributes["modifiedDateTime"]) ?? created))
        }
        if otherLinks > 0 { report(.notHeld, "\(otherLinks) link(s) between other objects than two selections of this source left out") }

        let wholeSource = chosen.children("Coding").count
        if wholeSource > 0 { report(.notHeld, "\(wholeSource) coding(s) of the whole source left out: a Gloss annotation is a span") }
        if !chosen.children("VariableValue").isEmpty { report(.notHeld, "the source's variable values left out") }
        for (element, what) in [("Cases", "cases"), ("Variables", "variables"), ("Sets", "sets"), ("Graphs", "graphs")]
        where !(root.child(element)?.children.isEmpty ?? true) {
            report(.notHeld, "the project's \(what) left out")
        }
        let others = (root.child("Sources")?.children.count ?? 0) - 1
        if others > 0 { report(.note, "\(others) other source(s) of the project left out") }
        for category in newCategories {
            report(.note, "code \"\(category)\" is no category of the codebook; kept as a category of that name")
        }
        for path in misplaced {
            report(.warning, "code \(path): the codebook places that value elsewhere; tagged with the value alone")
        }
        let read = BratImporter.Result(annotations: annotations.sorted(by: Annotation.documentOrder), orphans: [], relations: relations,
                                       messages: messages, textBoundCount: annotations.count, moved: 0)
        return Result(read: read, memo: chosen.child("Description")?.text ?? "", sourceName: name)
    }

    /// Merges an import into a store's contents as ``BratImporter/merge(_:into:)`` does,
    /// and the memo: taken when the store has none, added after a blank line when it is
    /// new to the store's (``AnnotationImport/merge(_:memo:into:)``).
    public static func merge(_ result: Result, into existing: StoreContents) -> (merge: BratImporter.Merge, memoChanged: Bool) {
        let merge = AnnotationImport.merge(result.read, memo: result.memo, into: existing)
        return (merge, merge.memoChanged)
    }
}

extension String {
    /// The string of `data` when it is valid UTF-8, else nil.
    init?(validatingUTF8Data data: Data) {
        guard let text = String(data: data, encoding: .utf8) else { return nil }
        self = text
    }
}
