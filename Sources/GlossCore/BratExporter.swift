import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Exports annotations as brat standoff files (https://brat.nlplab.org/standoff.html): a
/// folder holding, per document, `NAME.txt` (the document text, byte for byte as Gloss
/// reads it: UTF-8 without a byte-order mark, line ends kept) and `NAME.ann`, and an
/// `annotation.conf` (https://brat.nlplab.org/configuration.html) declaring every entity
/// and relation type used. ``BratStandoff`` describes how tags, values, notes, relations
/// and multi-line spans are written. Offsets count code points, end exclusive.
///
/// Several coders' stores go to one folder per coder (`CODER/NAME.txt`, `CODER/NAME.ann`,
/// `CODER/annotation.conf`), the layout agreement tools such as bratiaa read (each
/// first-level folder an annotator, `annotation.conf` at the top); every `annotation.conf`
/// of one export is the same.
///
/// brat has no place for the document memo, for orphans (they have no offsets), for
/// authors and times, or for the white space and line breaks at the very start or end of
/// a span; each is reported in ``Output/notes``, never dropped silently.
public enum BratExporter {
    /// One store of one document to export.
    public struct Item: Sendable {
        /// The file name without extension the `.txt` and `.ann` get, unique in its folder.
        public var name: String
        /// How notes about it name it: the store's path.
        public var label: String
        /// The annotated text.
        public var document: Document
        /// The store's contents, placed in the text (``Reanchoring/place(_:in:)``).
        public var contents: StoreContents
        /// The codebook found for the document: category and relation type ids, and the
        /// paths of nested values.
        public var codebook: Codebook

        /// Creates the item.
        public init(name: String, label: String, document: Document, contents: StoreContents, codebook: Codebook) {
            self.name = name
            self.label = label
            self.document = document
            self.contents = contents
            self.codebook = codebook
        }
    }

    /// The items of one folder of the output: the top (`coder` nil) or one coder's.
    public struct Folder: Sendable {
        /// The coder whose stores these are, naming the sub-folder; nil for the top.
        public var coder: String?
        /// The documents, each with a name unique in the folder.
        public var items: [Item]

        /// Creates the folder.
        public init(coder: String?, items: [Item]) {
            self.coder = coder
            self.items = items
        }
    }

    /// Everything an export writes, made before anything is written.
    public struct Output: Sendable {
        /// The files: paths relative to the output folder (`NAME.ann`, `ana/NAME.ann`,
        /// `annotation.conf`) and their bytes, in the order they are written.
        public var files: [(path: String, data: Data)]
        /// What brat could not hold, one line each, naming the store (orphans, the memo,
        /// trimmed or unexported spans, relations left out).
        public var notes: [String]
        /// How many text-bound (`T`) lines the `.ann` files hold in all.
        public var textBoundCount: Int
    }

    /// Makes every file of an export of `folders`.
    /// - Returns: the `.txt` and `.ann` of every item, in its coder's folder, and an
    ///   `annotation.conf` at the top and in each coder's folder, declaring the codebook's
    ///   categories and relation types and any other used, an `<OVERLAP>` rule letting
    ///   spans nest, cross and coincide, as Gloss's may.
    /// - Throws: ``DocumentError`` when a text is damaged anywhere; ``ExportError`` when an
    ///   annotation does not fit its document (as every export checks).
    public static func export(_ folders: [Folder]) throws -> Output {
        let items = folders.flatMap(\.items)
        let (entityTypes, relationTypes) = typeNames(of: items)
        var files: [(path: String, data: Data)] = []
        var notes: [String] = []
        var textBound = 0
        var arguments: [String: (arg1: [String], arg2: [String])] = [:]
        for folder in folders {
            let prefix = folder.coder.map { $0 + "/" } ?? ""
            for item in folder.items {
                let file = try annotationFile(of: item, entityTypes: entityTypes, relationTypes: relationTypes)
                files.append((prefix + item.name + ".txt", item.document.withUTF8 { Data(buffer: $0) }))
                files.append((prefix + item.name + ".ann", Data(file.text.utf8)))
                notes += file.notes.map { "\(item.label): \($0)" }
                textBound += file.textBoundCount
                for (type, ends) in file.relationArguments {
                    var known = arguments[type] ?? ([], [])
                    for name in ends.arg1 where !known.arg1.contains(name) { known.arg1.append(name) }
                    for name in ends.arg2 where !known.arg2.contains(name) { known.arg2.append(name) }
                    arguments[type] = known
                }
            }
        }
        let conf = Data(configuration(items: items, entityTypes: entityTypes, relationTypes: relationTypes, used: arguments).utf8)
        files.append(("annotation.conf", conf))
        for coder in folders.compactMap(\.coder) {
            files.append((coder + "/annotation.conf", conf))
        }
        return Output(files: files, notes: notes, textBoundCount: textBound)
    }

    /// The brat type names of every category and relation type the items' codebooks
    /// list or their stores use: codebook order first, then the others as met.
    static func typeNames(of items: [Item]) -> (entities: BratTypeNames, relations: BratTypeNames) {
        var categories: [String] = [], relations: [String] = []
        for item in items {
            categories += item.codebook.categories.map(\.id)
            relations += item.codebook.relations.map(\.id)
        }
        for item in items {
            categories += item.contents.annotations.flatMap { $0.tags.map(\.category) }
            relations += item.contents.relations.map(\.type)
        }
        return (BratTypeNames(categories), BratTypeNames(relations))
    }

    /// One document's `.ann` file.
    struct AnnotationFile {
        /// The lines, each ended by LF.
        var text: String
        /// What brat could not hold.
        var notes: [String]
        /// How many `T` lines.
        var textBoundCount: Int
        /// Per relation type name used, the entity types of its first and second arguments.
        var relationArguments: [String: (arg1: [String], arg2: [String])]
    }

    /// The `.ann` text of one item (see ``BratStandoff`` for the lines): per annotation in
    /// document order, a `T` line per category of its tags (in the order of its tags),
    /// after each the `N` lines of that category's values, and after the first the note;
    /// then the relations, ordered by their ends' `T` numbers and type, each followed by
    /// its note. Ids are numbered from 1 in that order, so the file does not depend on
    /// the store's annotation ids.
    /// - Throws: ``DocumentError`` or ``ExportError`` as ``export(_:)``.
    static func annotationFile(of item: Item, entityTypes: BratTypeNames, relationTypes: BratTypeNames) throws -> AnnotationFile {
        let sorted = try Export.checkedInDocumentOrder(item.contents.annotations, of: item.document)
        var lines: [String] = []
        var notes: [String] = []
        var textBound = 0, normalizations = 0, comments = 0
        // annotation id -> (category or nil for untagged, T id) in line order
        var lineIDs: [String: [(category: String?, id: String, number: Int)]] = [:]
        var trimmed = 0
        for annotation in sorted {
            let scalars = Array(annotation.quote.unicodeScalars)
            let fragments = BratStandoff.fragments(of: annotation.range, in: scalars)
            guard let first = fragments.first, let last = fragments.last else {
                notes.append("the annotation at \(annotation.start)..<\(annotation.end) (\(Export.shortened(annotation.quote).debugDescription)) is only white space with a line break or tab, which brat cannot show; not exported")
                continue
            }
            if first.lowerBound != annotation.start || last.upperBound != annotation.end { trimmed += 1 }
            let offsets = fragments.map { "\($0.lowerBound) \($0.upperBound)" }.joined(separator: ";")
            let text = fragments.map { fragment in
                String(String.UnicodeScalarView(scalars[(fragment.lowerBound - annotation.start)..<(fragment.upperBound - annotation.start)]))
            }.joined(separator: " ")
            var categories: [String?] = []
            for tag in annotation.tags where !categories.contains(tag.category) { categories.append(tag.category) }
            if categories.isEmpty { categories = [nil] }
            for (position, category) in categories.enumerated() {
                textBound += 1
                let id = "T\(textBound)"
                lineIDs[annotation.id, default: []].append((category, id, textBound))
                let type = category.map(entityTypes.name(of:)) ?? BratStandoff.untaggedType
                lines.append("\(id)\t\(type) \(offsets)\t\(text)")
                if let category {
                    let values = annotation.tags.filter { $0.category == category }.map(\.value)
                    // an empty value is the default of a T line without N lines; beside
                    // other values of its category it needs a line of its own
                    for value in values where !value.isEmpty || values.count > 1 {
                        normalizations += 1
                        let path = item.codebook.category(id: category)?.path(of: value) ?? [value]
                        lines.append("N\(normalizations)\t\(BratStandoff.normalizationType) \(id) \(BratStandoff.referenceID(forValuePath: path))\t\(BratStandoff.fieldText(value))")
                    }
                }
                if position == 0, !annotation.note.isEmpty {
                    comments += 1
                    lines.append("#\(comments)\t\(BratStandoff.noteType) \(id)\t\(BratStandoff.escapeNote(annotation.note))")
                }
            }
        }
        if trimmed > 0 {
            notes.append("\(trimmed) annotation(s) start or end with white space holding a line break or tab, which a brat span cannot; their brat spans leave it out")
        }

        // relations: each end is the T line of the category the relation type expects there
        var byID: [String: Annotation] = [:]
        for annotation in sorted { byID[annotation.id] = annotation }
        func end(_ annotationID: String, _ categories: [String]) -> (id: String, number: Int, type: String)? {
            guard let annotation = byID[annotationID], let ids = lineIDs[annotationID], let firstLine = ids.first else { return nil }
            let tag = Export.endTag(of: annotation, categories: categories)
            let line = ids.first { $0.category == tag?.category } ?? firstLine
            return (line.id, line.number, line.category.map(entityTypes.name(of:)) ?? BratStandoff.untaggedType)
        }
        var links: [(from: (id: String, number: Int, type: String), to: (id: String, number: Int, type: String), type: String, note: String)] = []
        var leftOut = 0
        for relation in item.contents.relations {
            let type = item.codebook.relationType(id: relation.type)
            guard let from = end(relation.from, type?.from ?? []), let to = end(relation.to, type?.to ?? []) else {
                leftOut += 1
                continue
            }
            links.append((from, to, relationTypes.name(of: relation.type), relation.note))
        }
        if leftOut > 0 {
            notes.append("\(leftOut) relation(s) with an end brat cannot show (an orphan, an invalid record, a span of white space only) left out")
        }
        links.sort { ($0.from.number, $0.to.number, $0.type, $0.note) < ($1.from.number, $1.to.number, $1.type, $1.note) }
        var relationArguments: [String: (arg1: [String], arg2: [String])] = [:]
        for (number, link) in links.enumerated() {
            let id = "R\(number + 1)"
            lines.append("\(id)\t\(link.type) Arg1:\(link.from.id) Arg2:\(link.to.id)")
            if !link.note.isEmpty {
                comments += 1
                lines.append("#\(comments)\t\(BratStandoff.noteType) \(id)\t\(BratStandoff.escapeNote(link.note))")
            }
            var arguments = relationArguments[link.type] ?? ([], [])
            if !arguments.arg1.contains(link.from.type) { arguments.arg1.append(link.from.type) }
            if !arguments.arg2.contains(link.to.type) { arguments.arg2.append(link.to.type) }
            relationArguments[link.type] = arguments
        }

        if !item.contents.orphans.isEmpty {
            notes.append("\(item.contents.orphans.count) orphaned annotation(s) (with no place in \(item.document.path)) not exported: brat needs offsets")
        }
        if !item.contents.memo.isEmpty {
            notes.append("the document memo is not exported: brat has no notes on a whole document")
        }
        return AnnotationFile(text: lines.map { $0 + "\n" }.joined(), notes: notes, textBoundCount: textBound,
                              relationArguments: relationArguments)
    }

    /// The `annotation.conf` of an export: a comment naming Gloss, `[entities]` with every
    /// category's type (``BratStandoff/untaggedType`` too when used), `[relations]` with
    /// every relation type, its arguments the types of the codebook's end categories and
    /// of the annotations it links, then `<OVERLAP> Arg1:<ENTITY>, Arg2:<ENTITY>,
    /// <OVL-TYPE>:<ANY>` (spans may nest, cross and coincide), and empty `[events]` and
    /// `[attributes]`.
    static func configuration(items: [Item], entityTypes: BratTypeNames, relationTypes: BratTypeNames,
                              used: [String: (arg1: [String], arg2: [String])]) -> String {
        var entities = entityTypes.ids.map(entityTypes.name(of:))
        if used.values.contains(where: { $0.arg1.contains(BratStandoff.untaggedType) || $0.arg2.contains(BratStandoff.untaggedType) })
            || items.contains(where: { $0.contents.annotations.contains { $0.tags.isEmpty } }) {
            entities.append(BratStandoff.untaggedType)
        }
        var lines = [
            BratStandoff.configurationMarker,
            "# Entity types are Gloss codebook categories; tag values are normalisations (N lines,",
            "# database \"\(BratStandoff.referenceDatabase)\") and notes AnnotatorNotes (# lines). Offsets count code points.",
            "",
            "[entities]",
        ]
        lines += entities
        lines += ["", "[relations]"]
        for id in relationTypes.ids {
            let name = relationTypes.name(of: id)
            var arg1: [String] = [], arg2: [String] = []
            for item in items {
                guard let type = item.codebook.relationType(id: id) else { continue }
                arg1 += type.from.map(entityTypes.name(of:))
                arg2 += type.to.map(entityTypes.name(of:))
            }
            arg1 += used[name]?.arg1 ?? []
            arg2 += used[name]?.arg2 ?? []
            func unique(_ names: [String]) -> String {
                var seen: [String] = []
                for name in names where !seen.contains(name) { seen.append(name) }
                return seen.joined(separator: "|")
            }
            // a type neither declared with ends nor used has nothing to link; brat needs both arguments
            guard !arg1.isEmpty, !arg2.isEmpty else { continue }
            lines.append("\(name)\tArg1:\(unique(arg1)), Arg2:\(unique(arg2))")
        }
        lines.append("<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>")
        lines += ["", "[events]", "", "[attributes]"]
        return lines.map { $0 + "\n" }.joined()
    }

    // MARK: - Writing

    /// Writes `output` as the folder `path`, whole or not at all: into a new hidden
    /// folder beside it, each file written and synced, then renamed into place. A folder
    /// already at `path` is replaced only when it is empty or an earlier brat export of
    /// Gloss (its `annotation.conf` starts with ``BratStandoff/configurationMarker`` and
    /// it holds nothing but `.txt`, `.ann` and `.conf` files, and folders of them); the
    /// old one is removed once the new one is in place.
    /// - Throws: ``BratExportError`` when `path` is a file or a folder holding other
    ///   files, or a file or folder cannot be written (nothing is then changed at `path`).
    ///
    /// An exit on Ctrl-C waits for the write to end (``InterruptGuard``): no hidden
    /// folder is left behind.
    public static func write(_ output: Output, to path: String) throws {
        try InterruptGuard.completing { try writeFolder(output, to: path) }
    }

    private static func writeFolder(_ output: Output, to path: String) throws {
        let target = URL(fileURLWithPath: path).standardizedFileURL
        let parent = target.deletingLastPathComponent().path
        let manager = FileManager.default
        var isFolder: ObjCBool = false
        let exists = manager.fileExists(atPath: target.path, isDirectory: &isFolder)
        if exists {
            guard isFolder.boolValue else { throw BratExportError(path: path, problem: "is a file; brat export writes a folder") }
            guard try replaceable(target.path) else {
                throw BratExportError(path: path, problem: "is a folder holding files other than an earlier brat export's; give a new or empty folder")
            }
        }
        let staging = parent + "/.\(target.lastPathComponent).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        // mkdir itself, for errno's reason (Foundation's error names a missing file when the
        // parent folder is read-only)
        if !manager.fileExists(atPath: parent) {
            do {
                try manager.createDirectory(atPath: parent, withIntermediateDirectories: true)
            } catch {
                throw BratExportError(path: path, problem: "cannot create its folder \(parent): \(FileErrorText.reason(for: error))")
            }
        }
        guard mkdir(staging, 0o777) == 0 else {
            throw BratExportError(path: path, problem: "cannot create a folder beside it: \(String(cString: strerror(errno)))")
        }
        do {
            for file in output.files {
                let full = staging + "/" + file.path
                let folder = URL(fileURLWithPath: full).deletingLastPathComponent().path
                if !manager.fileExists(atPath: folder) { try manager.createDirectory(atPath: folder, withIntermediateDirectories: true) }
                try AtomicFile.write(file.data, to: full)
            }
            if exists {
                let aside = parent + "/.\(target.lastPathComponent).old-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
                guard rename(target.path, aside) == 0 else {
                    throw BratExportError(path: path, problem: "cannot be replaced: \(String(cString: strerror(errno)))")
                }
                guard rename(staging, target.path) == 0 else {
                    let reason = String(cString: strerror(errno))
                    _ = rename(aside, target.path)
                    throw BratExportError(path: path, problem: "cannot be replaced: \(reason)")
                }
                try? manager.removeItem(atPath: aside)
            } else {
                guard rename(staging, target.path) == 0 else {
                    throw BratExportError(path: path, problem: "cannot be created: \(String(cString: strerror(errno)))")
                }
            }
        } catch {
            try? manager.removeItem(atPath: staging)
            if let error = error as? BratExportError { throw error }
            throw BratExportError(path: path, problem: "cannot be written: \(FileErrorText.reason(for: error))")
        }
    }

    /// True when the folder at `path` is empty or holds an earlier brat export of Gloss.
    static func replaceable(_ path: String) throws -> Bool {
        let manager = FileManager.default
        let entries = try manager.contentsOfDirectory(atPath: path)
        if entries.isEmpty { return true }
        guard let conf = manager.contents(atPath: path + "/annotation.conf"),
              String(decoding: conf, as: UTF8.self).hasPrefix(BratStandoff.configurationMarker) else { return false }
        func onlyExportFiles(_ folder: String, depth: Int) -> Bool {
            guard let names = try? manager.contentsOfDirectory(atPath: folder) else { return false }
            for name in names {
                var isFolder: ObjCBool = false
                if manager.fileExists(atPath: folder + "/" + name, isDirectory: &isFolder), isFolder.boolValue {
                    guard depth == 0, onlyExportFiles(folder + "/" + name, depth: 1) else { return false }
                } else if !(name.hasSuffix(".txt") || name.hasSuffix(".ann") || name.hasSuffix(".conf")) {
                    return false
                }
            }
            return true
        }
        return onlyExportFiles(path, depth: 0)
    }

    /// A name for each document path, for `NAME.txt` and `NAME.ann`: the file name less its
    /// last extension (`news/2026/article.txt` is `article`), or the whole file name when
    /// that leaves nothing; a name already given (letter case aside, for file systems
    /// that ignore it) gets `-2`, `-3`... after it, in the order of `paths`.
    public static func names(forDocuments paths: [String]) -> [String] {
        var taken = Set<String>()
        return paths.map { path in
            let file = URL(fileURLWithPath: path).lastPathComponent
            let stem = URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
            let base = stem.isEmpty ? file : stem
            var name = base
            var number = 2
            while taken.contains(name.lowercased()) {
                name = "\(base)-\(number)"
                number += 1
            }
            taken.insert(name.lowercased())
            return name
        }
    }
}

/// A brat export that cannot be written. `description` is one line naming the folder.
public struct BratExportError: Error, CustomStringConvertible, Equatable {
    /// The output folder as given.
    public var path: String
    /// What is wrong.
    public var problem: String

    /// Creates the error.
    public init(path: String, problem: String) {
        self.path = path
        self.problem = problem
    }

    /// `FOLDER: problem`.
    public var description: String { "\(path): \(problem)" }
}
