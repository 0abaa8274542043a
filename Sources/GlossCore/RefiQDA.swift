import Foundation
import ZIPFoundation

/// What the REFI-QDA exports and imports share (the REFI-QDA standard 1.5, "Exchange of
/// processed data between qualitative data analysis software packages", with its XML
/// schemas Project.xsd of March 2019 and Codebook.xsd): namespaces, GUIDs, colours, and
/// the code tree a Gloss codebook becomes.
///
/// **Codes.** Each codebook category is a top-level `Code` named by its label, with its
/// description as the code's `Description` and its colour as `color`; the category's
/// values are `Code`s inside it, nested as in the codebook (`Turkey` under `state` is the
/// code `Actor` › `state` › `Turkey`), each with the category's colour, its aliases in its
/// `Description` as `Aliases:` and one alias a line. Every code is `isCodable="true"`:
/// a tag with an empty value codes its category, a tag with a value codes that value's
/// code. Tags of categories or values the codebook lacks add codes (a category named by
/// its id; a value at the top of its category).
public enum RefiQDA {
    /// The namespace of a project file (`project.qde`), Project.xsd's `targetNamespace`.
    public static let projectNamespace = "urn:QDA-XML:project:1.0"
    /// The namespace of a codebook file (`.qdc`), Codebook.xsd's `targetNamespace`.
    public static let codebookNamespace = "urn:QDA-XML:codebook:1.0"
    /// How a value code's `Description` starts when it lists the value's aliases, one a line.
    public static let aliasesHeading = "Aliases:"

    // MARK: - Colours

    /// The `#RRGGBB` of each of the codebook's colour names (``Codebook/colorNames``): the
    /// colours xterm draws the eight basic terminal colours in by default, which is how
    /// the reader shows them on most terminals.
    public static let colorHex: [String: String] = [
        "black": "#000000", "red": "#CD0000", "green": "#00CD00", "yellow": "#CDCD00",
        "blue": "#0000EE", "magenta": "#CD00CD", "cyan": "#00CDCD", "white": "#E5E5E5",
    ]

    /// The `#RRGGBB` (Project.xsd `RGBType`) of a codebook colour (``ColorSpec``: a name,
    /// any case, or `#RRGGBB`, upper-cased); white's for anything else.
    public static func hex(ofColor name: String) -> String {
        ColorSpec(name)?.hex ?? colorHex["white"]!
    }

    /// The codebook colour name nearest to an `RGBType` colour, `#RRGGBB` or `#RGB`
    /// (hex digits in any case), by distance in RGB; the name itself for one of
    /// ``colorHex``'s values. Nil when `hex` is not of that form.
    public static func colorName(nearest hex: String) -> String? {
        guard let target = rgb(hex) else { return nil }
        var best: (name: String, distance: Int)?
        for name in Codebook.colorNames {
            guard let candidate = rgb(colorHex[name]!) else { continue }
            let distance = zip(target, candidate).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
            if best == nil || distance < best!.distance { best = (name, distance) }
        }
        return best?.name
    }

    private static func rgb(_ hex: String) -> [Int]? {
        guard hex.hasPrefix("#") else { return nil }
        var digits = Array(hex.dropFirst())
        if digits.count == 3 { digits = digits.flatMap { [$0, $0] } }
        guard digits.count == 6, digits.allSatisfy(\.isHexDigit) else { return nil }
        return stride(from: 0, to: 6, by: 2).map { Int(String(digits[$0...$0 + 1]), radix: 16)! }
    }

    // MARK: - GUIDs

    /// The GUID (Project.xsd `GUIDType`) of a store id, as the W3C export's
    /// `urn:uuid:` IRIs: the id lower-cased when it is a UUID, else a name-based UUID of it.
    public static func guid(ofID id: String) -> String {
        String(W3CExporter.iri(ofID: id).dropFirst("urn:uuid:".count))
    }

    /// A name-based (version 5) UUID, lower-case, for something Gloss has no id for:
    /// `kind` and `parts`, each percent-encoded where it holds `%`, `/` or white space, so
    /// that different parts never give one name. The same parts give the same GUID in
    /// every export.
    public static func guid(_ kind: String, _ parts: [String]) -> String {
        W3CExporter.nameBasedUUID("urn:gloss:refi-qda:" + kind + ":" + parts.map(BratStandoff.percentEncoded).joined(separator: "/"))
    }

    /// A GUID attribute's value as Gloss compares it: lower case, without the braces
    /// `GUIDType` allows around it.
    public static func normalizedGUID(_ guid: String) -> String {
        var text = guid.trimmingCharacters(in: .whitespaces).lowercased()
        if text.hasPrefix("{") && text.hasSuffix("}") { text = String(text.dropFirst().dropLast()) }
        return text
    }

    /// Whether `text` is an `xsd:dateTime` Gloss writes as it is: `YYYY-MM-DDThh:mm:ss`
    /// with optional fractional seconds and a `Z` or `±hh:mm` zone, as its stores' times
    /// (`2026-11-29T19:58:09Z`) are.
    public static func isDateTime(_ text: String) -> Bool {
        // ASCII digits only: Regex's \d would take any script's digits, which xsd:dateTime does not
        text.wholeMatch(of: /-?[0-9]{4,}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})?/) != nil
    }

    // MARK: - Codes

    /// One code of the code tree.
    public struct Code: Sendable, Equatable {
        /// The GUID, name-based on the names from the top of the tree to this code.
        public var guid: String
        /// The category's label, or the value.
        public var name: String
        /// `#RRGGBB`.
        public var color: String
        /// The category's description, or a value's aliases (``RefiQDA/aliasesHeading``);
        /// nil when there is nothing to say.
        public var description: String?
        /// Narrower codes: a category's values, a value's narrower values.
        public var children: [Code]
    }

    /// The codes of one or more codebooks and of the tags used with them, and which code
    /// each tag is.
    public struct CodeTree: Sendable {
        /// The top-level codes: categories, the codebooks' first (in codebook order), then
        /// those only tags name, as met.
        public private(set) var roots: [Code] = []
        /// The category id of each root, in the same order.
        public private(set) var categoryIDs: [String] = []

        /// The code tree of `codebooks` (a category in several codebooks is the first's,
        /// with the values the others add) and of `tags`, each with the codebook of the
        /// document it is in, whose paths place its value.
        public init(codebooks: [Codebook], tags: [(tag: Tag, codebook: Codebook)] = []) {
            for codebook in codebooks {
                for category in codebook.categories {
                    let values = category.values.map { CodeTree.node($0, color: RefiQDA.hex(ofColor: category.color)) }
                    if let index = categoryIDs.firstIndex(of: category.id) {
                        for value in values { CodeTree.merge(value, into: &roots[index].children) }
                    } else {
                        categoryIDs.append(category.id)
                        roots.append(Code(guid: "", name: category.label, color: RefiQDA.hex(ofColor: category.color),
                                          description: category.description.isEmpty ? nil : category.description, children: values))
                    }
                }
            }
            for (tag, codebook) in tags {
                var index = categoryIDs.firstIndex(of: tag.category)
                if index == nil {
                    categoryIDs.append(tag.category)
                    roots.append(Code(guid: "", name: tag.category, color: RefiQDA.hex(ofColor: "white"), description: nil, children: []))
                    index = roots.count - 1
                }
                guard !tag.value.isEmpty, let index else { continue }
                let path = codebook.category(id: tag.category)?.path(of: tag.value) ?? [tag.value]
                CodeTree.insert(path: path[...], color: roots[index].color, into: &roots[index].children)
            }
            var taken = Set<String>()
            for index in roots.indices { CodeTree.assignGUIDs(&roots[index], trail: [], taken: &taken) }
        }

        /// The GUID of the code `tag` is, its value placed by `codebook`'s paths; nil when the
        /// tree has no such code (a tag not given to ``init(codebooks:tags:)``).
        public func guid(of tag: Tag, codebook: Codebook) -> String? {
            guard let index = categoryIDs.firstIndex(of: tag.category) else { return nil }
            var code = roots[index]
            guard !tag.value.isEmpty else { return code.guid }
            for step in codebook.category(id: tag.category)?.path(of: tag.value) ?? [tag.value] {
                guard let next = code.children.first(where: { $0.name == step }) else { return nil }
                code = next
            }
            return code.guid
        }

        /// Every code, depth first, with the category id of its root and the values from
        /// below the root to it (empty for a category).
        public var allCodes: [(code: Code, categoryID: String, valuePath: [String])] {
            func walk(_ code: Code, _ category: String, _ path: [String]) -> [(Code, String, [String])] {
                [(code, category, path)] + code.children.flatMap { walk($0, category, path + [$0.name]) }
            }
            return zip(roots, categoryIDs).flatMap { walk($0, $1, []) }
        }

        private static func node(_ value: CodebookValue, color: String) -> Code {
            Code(guid: "", name: value.value, color: color,
                 description: value.aliases.isEmpty ? nil : ([RefiQDA.aliasesHeading] + value.aliases).joined(separator: "\n"),
                 children: value.values.map { node($0, color: color) })
        }

        private static func merge(_ code: Code, into level: inout [Code]) {
            if let index = level.firstIndex(where: { $0.name == code.name }) {
                for child in code.children { merge(child, into: &level[index].children) }
            } else {
                level.append(code)
            }
        }

        private static func insert(path: ArraySlice<String>, color: String, into level: inout [Code]) {
            guard let first = path.first else { return }
            var index = level.firstIndex { $0.name == first }
            if index == nil {
                level.append(Code(guid: "", name: first, color: color, description: nil, children: []))
                index = level.count - 1
            }
            insert(path: path.dropFirst(), color: color, into: &level[index!].children)
        }

        private static func assignGUIDs(_ code: inout Code, trail: [String], taken: inout Set<String>) {
            let names = trail + [code.name]
            var guid = RefiQDA.guid("code", names)
            var number = 2
            // two categories with one label, or one value listed twice at one level
            while taken.contains(guid) {
                guid = RefiQDA.guid("code", names + ["#\(number)"])
                number += 1
            }
            taken.insert(guid)
            code.guid = guid
            for index in code.children.indices { assignGUIDs(&code.children[index], trail: names, taken: &taken) }
        }
    }

    /// Writes `codes` as `Code` elements (Project.xsd and Codebook.xsd `CodeType`:
    /// `Description`, then the narrower `Code`s).
    static func write(_ codes: [Code], to writer: inout XMLWriter) {
        for code in codes {
            let attributes: [(String, String?)] = [("guid", code.guid), ("name", code.name), ("isCodable", "true"), ("color", code.color)]
            if code.description == nil && code.children.isEmpty {
                writer.empty("Code", attributes)
                continue
            }
            writer.open("Code", attributes)
            if let description = code.description { writer.element("Description", text: description) }
            write(code.children, to: &writer)
            writer.close()
        }
    }
}

extension RefiQDA {
    /// Caps on what a reader inflates from a REFI-QDA archive, so that a small archive
    /// whose entries inflate to gigabytes (a zip bomb) is refused before it fills memory.
    public struct ArchiveLimits: Sendable, Equatable {
        /// The most `project.qde` may inflate to.
        public var project: Int64
        /// The most one text source may inflate to.
        public var source: Int64
        /// The most all the entries read may inflate to together.
        public var total: Int64

        /// Creates the caps.
        public init(project: Int64, source: Int64, total: Int64) {
            self.project = project
            self.source = source
            self.total = total
        }

        /// 512 MB for the project file, 1 GB for a source, 2 GB in all: far above what a
        /// project of texts holds, far below what would exhaust a machine.
        public static let standard = ArchiveLimits(project: 512 << 20, source: 1 << 30, total: 2 << 30)
    }

    /// Inflates the entries of a zip archive within ``ArchiveLimits``: an entry whose
    /// declared size is over its cap is refused before any byte is inflated, and one that
    /// inflates to more than it declares (a lying header) is stopped there.
    final class BoundedExtractor {
        /// Why an entry was not inflated, one line.
        struct Refusal: Error, CustomStringConvertible {
            /// The entry's path and what is wrong.
            var description: String
        }

        let archive: Archive
        let limits: ArchiveLimits
        private var inflated: Int64 = 0

        init(_ archive: Archive, limits: ArchiveLimits) {
            self.archive = archive
            self.limits = limits
        }

        /// The bytes of `entry`, which may inflate to at most `cap` (what it is, for the
        /// message: "the project file", "a source").
        func bytes(of entry: Entry, cap: Int64, what: String) throws -> Data {
            let declared = Int64(clamping: entry.uncompressedSize)
            if declared > cap {
                throw Refusal(description: "\(entry.path) declares \(Self.size(declared)) inflated, over the \(Self.size(cap)) a reader takes for \(what); refused as a possible zip bomb")
            }
            if inflated + declared > limits.total {
                throw Refusal(description: "\(entry.path) would bring what is inflated from the archive over \(Self.size(limits.total)); refused as a possible zip bomb")
            }
            var data = Data()
            data.reserveCapacity(Int(declared))
            do {
                _ = try archive.extract(entry) { chunk in
                    guard Int64(data.count + chunk.count) <= declared else {
                        throw Refusal(description: "\(entry.path) inflates to more than the \(declared) bytes its header declares; refused as a damaged archive or a zip bomb")
                    }
                    data.append(chunk)
                }
            } catch let refusal as Refusal {
                throw refusal
            } catch {
                throw Refusal(description: "\(entry.path) cannot be read from the archive: \(RefiQDA.archiveProblem(error))")
            }
            inflated += Int64(data.count)
            return data
        }

        /// `n` bytes as MB or GB, for messages.
        static func size(_ bytes: Int64) -> String {
            bytes >= 1 << 30 && bytes % (1 << 30) == 0 ? "\(bytes >> 30) GB"
                : bytes >= 1 << 20 ? "\(bytes >> 20) MB" : "\(bytes) bytes"
        }
    }
}

extension RefiQDA {
    /// What ZIPFoundation's `error` (an `Archive.ArchiveError`, or the file error under
    /// it) says about an archive, in words for a message after "cannot be read as a zip
    /// archive:", never the case's Swift name (`unreadableArchive`).
    static func archiveProblem(_ error: Error) -> String {
        guard let archiveError = error as? Archive.ArchiveError else { return FileErrorText.reason(for: error) }
        switch archiveError {
        case .unreadableArchive, .missingEndOfCentralDirectoryRecord:
            return "it is not a zip archive, or a damaged or cut-off one (no central directory at its end)"
        case .invalidCRC32:
            return "an entry's checksum does not match its contents: the archive is damaged"
        case .invalidCompressionMethod:
            return "an entry is compressed with a method that cannot be read"
        case .invalidEntryPath, .uncontainedSymlink:
            return "an entry's path cannot be used"
        default:
            return "its structure is damaged (\(archiveError))"
        }
    }
}
