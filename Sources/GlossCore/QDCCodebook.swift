import Foundation
import ZIPFoundation

/// A codebook in REFI-QDA's codebook exchange format (`.qdc`, Codebook.xsd, namespace
/// `urn:QDA-XML:codebook:1.0`): written from a Gloss codebook, and read into one.
///
/// The codes are those of ``RefiQDA/CodeTree``: a top-level `Code` per category, named by
/// its label, its description and colour; its values nested inside, their aliases in
/// their `Description`. A `.qdc` has no place for the codebook's name, the categories'
/// ids and keys, or the relation types; reading one back gives each category the kebab
/// case of its label as id (as the reader does for a new category) and a free key.
public enum QDCCodebook {
    /// A codebook that cannot be written or read. `description` is one line.
    public struct QDCError: Error, CustomStringConvertible, Equatable {
        /// The file at fault (empty when writing).
        public var path: String
        /// What is wrong.
        public var problem: String

        /// Creates the error.
        public init(path: String, problem: String) {
            self.path = path
            self.problem = problem
        }

        /// `PATH: problem`, or the problem alone.
        public var description: String { path.isEmpty ? problem : "\(path): \(problem)" }
    }

    /// Writes `codebook` as a `.qdc` document.
    /// - Parameter origin: the `CodeBook`'s `origin`, the software that wrote it.
    /// - Returns: the XML (UTF-8, LF line ends) and one line for each thing the format
    ///   could not hold (keys, relation types, the name).
    /// - Throws: ``QDCError`` when the codebook has no category: Codebook.xsd's `Codes`
    ///   needs at least one `Code`.
    public static func export(_ codebook: Codebook, origin: String) throws -> (text: String, notes: [String]) {
        let codes = RefiQDA.CodeTree(codebooks: [codebook])
        guard !codes.roots.isEmpty else {
            throw QDCError(path: "", problem: "the codebook has no category, and a REFI-QDA codebook needs at least one code")
        }
        var xml = XMLWriter()
        xml.open("CodeBook", [("xmlns", RefiQDA.codebookNamespace), ("origin", origin)])
        xml.open("Codes")
        RefiQDA.write(codes.roots, to: &xml)
        xml.close()
        xml.close()
        var notes = ["the categories' ids and keys (\(codebook.categories.map { "\($0.id) \($0.key)" }.joined(separator: ", "))) are not part of a REFI-QDA codebook; an import names categories by their labels and gives them free keys"]
        if !codebook.relations.isEmpty {
            notes.append("\(codebook.relations.count) relation type(s) left out (\(codebook.relations.map(\.id).joined(separator: ", "))): a REFI-QDA codebook has codes only")
        }
        if xml.replacedCharacters > 0 {
            notes.append("\(xml.replacedCharacters) control character(s) written as U+FFFD: XML 1.0 cannot hold them")
        }
        return (xml.text, notes)
    }

    /// What ``read(contentsOf:name:keyIsFree:)`` made.
    public struct Imported: Sendable {
        /// The codebook: a category per top-level code, values nested as the codes are,
        /// relation types the defaults whose categories it has.
        public var codebook: Codebook
        /// Everything not carried over as it was, one line each.
        public var notes: [String]
    }

    /// The keys a category may get when the letters of its name are taken, in order: `a`–`z`,
    /// `A`–`Z`, ASCII punctuation, then the letters of Latin-1 and Latin Extended-A and
    /// the Greek small letters, so that a codebook of a hundred and more top-level codes
    /// (NVivo's and MAXQDA's often have more than 26) still imports; the keys can be
    /// changed in the codebook file afterwards.
    static let spareKeys: [String] = {
        var keys = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~".map { String($0) }
        let letters = Array(0xC0...0x17F) + Array(0x3B1...0x3C9)
        keys += letters.compactMap { Unicode.Scalar($0) }.filter { $0.properties.isAlphabetic && $0.value != 0xD7 && $0.value != 0xF7 }.map { String($0) }
        return keys
    }()

    /// Reads a `.qdc` file's codes (or, from a `.qdpx` archive or a project file, the
    /// project's `CodeBook`) as a Gloss codebook.
    ///
    /// A top-level code is a category: label its name, id the label in kebab case
    /// (``Codebook/categoryID(forLabel:)``, `-2`... when taken), colour the codebook colour
    /// nearest to its `color` (else one no other category has), description its
    /// `Description` on one line, and a key: the first letter of its name that
    /// `keyIsFree` allows and no other category has, else the first such of
    /// ``spareKeys``. Its child codes are its values, nested as they are; a `Description` of
    /// ``RefiQDA/aliasesHeading`` and one alias a line gives the value's aliases.
    /// - Parameters:
    ///   - path: the file.
    ///   - name: the codebook's name (a `.qdc` has none).
    ///   - keyIsFree: whether a one-character key may tag (not one of Gloss's own keys).
    /// - Returns: the codebook and a line for each thing not carried over: sets, value
    ///   descriptions and colours, codes without a name, repeated values, assigned keys
    ///   and approximated colours.
    /// - Throws: ``QDCError`` when the file cannot be read, is not XML, is not a REFI-QDA codebook or
    ///   project, has no codes, or has more categories than free keys.
    public static func read(contentsOf path: String, name: String, keyIsFree: (String) -> Bool) throws -> Imported {
        let data: Data
        do {
            data = try RegularFile.data(path)
        } catch {
            throw QDCError(path: path, problem: "cannot be read: \(Document.reason(for: error, path: path))")
        }
        return try read(data, path: path, name: name, keyIsFree: keyIsFree)
    }

    /// Reads the codes of `data` as ``read(contentsOf:name:keyIsFree:)`` does.
    static func read(_ data: Data, path: String, name: String, keyIsFree: (String) -> Bool) throws -> Imported {
        let root: XMLTree
        do {
            root = try XMLTree.parse(try projectData(ifArchive: data, path: path) ?? data)
        } catch let error as QDCError {
            throw error
        } catch {
            throw QDCError(path: path, problem: "\(error)")
        }
        let book: XMLTree?
        switch root.name {
        case "CodeBook": book = root
        case "Project": book = root.child("CodeBook")
        default: throw QDCError(path: path, problem: "is not a REFI-QDA codebook: its root element is \(root.name), not CodeBook")
        }
        guard let codes = book?.child("Codes")?.children("Code"), !codes.isEmpty else {
            throw QDCError(path: path, problem: "holds no codes")
        }
        var notes: [String] = []
        var categories: [Category] = []
        var usedKeys = Set<String>()
        var usedColors = Set<String>()
        var unnamed = 0, ownColors = 0, describedValues = 0, repeated: [String] = []

        func values(of code: XMLTree, categoryColor: String?, trail: String) -> [CodebookValue] {
            var result: [CodebookValue] = []
            for child in code.children("Code") {
                let value = child.attributes["name"] ?? ""
                if value.isEmpty { unnamed += 1; continue }
                if let color = child.attributes["color"], color.uppercased() != categoryColor?.uppercased() { ownColors += 1 }
                var aliases: [String] = []
                if let description = child.child("Description")?.text, !description.isEmpty {
                    let lines = description.components(separatedBy: "\n")
                    if lines.first == RefiQDA.aliasesHeading {
                        aliases = lines.dropFirst().filter { !$0.isEmpty }
                    } else {
                        describedValues += 1
                    }
                }
                let narrower = values(of: child, categoryColor: categoryColor, trail: trail + "/" + value)
                if let index = result.firstIndex(where: { $0.value == value }) {
                    repeated.append(trail + "/" + value)
                    result[index].aliases += aliases.filter { !result[index].aliases.contains($0) }
                    result[index].values += narrower
                } else {
                    result.append(CodebookValue(value: value, aliases: aliases, values: narrower))
                }
            }
            return result
        }

        for code in codes {
            let label = code.attributes["name"] ?? ""
            if label.isEmpty { unnamed += 1; continue }
            var id = Codebook.categoryID(forLabel: label)
            if id.isEmpty { id = "category" }
            let base = id
            var number = 2
            while categories.contains(where: { $0.id == id }) {
                id = "\(base)-\(number)"
                number += 1
            }
            var color: String
            if let hex = code.attributes["color"], let nearest = RefiQDA.colorName(nearest: hex) {
                color = nearest
                if RefiQDA.hex(ofColor: nearest).uppercased() != RefiQDA.normalizedHex(hex) {
                    notes.append("\(label): colour \(hex) taken as the nearest terminal colour, \(nearest)")
                }
            } else {
                color = ["cyan", "red", "green", "yellow", "magenta", "blue", "white", "black"].first { !usedColors.contains($0) } ?? "white"
                notes.append("\(label): \(code.attributes["color"].map { "colour \($0) is not #RRGGBB or #RGB" } ?? "no colour"); given \(color)")
            }
            usedColors.insert(color)
            var description = code.child("Description")?.text ?? ""
            if description.contains(where: \.isNewline) {
                description = description.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
                    .filter { !$0.isEmpty }.joined(separator: " ")
                notes.append("\(label): its description's lines joined into one, as a category's description is one line")
            }
            var candidates: [String] = label.lowercased().filter { $0.isASCII && $0.isLetter }.map { String($0) }
            candidates += Self.spareKeys
            guard let key = candidates.first(where: { !usedKeys.contains($0) && keyIsFree($0) }) else {
                throw QDCError(path: path, problem: "has more top-level codes than there are free keys to tag with")
            }
            usedKeys.insert(key)
            categories.append(Category(id: id, label: label, key: key, color: color, description: description,
                                       values: values(of: code, categoryColor: code.attributes["color"], trail: label)))
        }
        notes.insert("keys assigned: " + categories.map { "\($0.key) \($0.label)" }.joined(separator: ", "), at: 0)
        if unnamed > 0 { notes.append("\(unnamed) code(s) without a name left out") }
        if ownColors > 0 { notes.append("\(ownColors) value code(s) have colours of their own, not kept: a Gloss value takes its category's colour") }
        if describedValues > 0 { notes.append("\(describedValues) value code(s) have descriptions, not kept: a Gloss value has aliases but no description") }
        for path in repeated { notes.append("\(path) appears twice at one level; the two are one value") }
        if let sets = book?.child("Sets")?.children("Set"), !sets.isEmpty {
            notes.append("\(sets.count) set(s) of codes left out: a Gloss codebook has no sets")
        }
        return Imported(codebook: Codebook(name: name, categories: categories), notes: notes)
    }

    /// The bytes of `project.qde` when `data` is a zip archive (a `.qdpx`), else nil.
    static func projectData(ifArchive data: Data, path: String) throws -> Data? {
        guard data.starts(with: [0x50, 0x4B, 0x03, 0x04]) else { return nil }
        do {
            let archive = try Archive(data: data, accessMode: .read)
            guard let entry = archive[QDPXExporter.projectFileName] else {
                throw QDCError(path: path, problem: "is a zip archive without \(QDPXExporter.projectFileName), not a REFI-QDA project")
            }
            let limits = RefiQDA.ArchiveLimits.standard
            do {
                return try RefiQDA.BoundedExtractor(archive, limits: limits).bytes(of: entry, cap: limits.project, what: "the project file")
            } catch {
                throw QDCError(path: path, problem: "\(error)")
            }
        } catch let error as QDCError {
            throw error
        } catch {
            throw QDCError(path: path, problem: "cannot be read as a zip archive: \(RefiQDA.archiveProblem(error))")
        }
    }
}

extension RefiQDA {
    /// `#RRGGBB` in upper case for an `RGBType` colour (`#RGB` expanded); the input
    /// upper-cased when it is not of that form.
    static func normalizedHex(_ hex: String) -> String {
        let digits = Array(hex.uppercased().dropFirst())
        guard hex.hasPrefix("#"), digits.count == 3 else { return hex.uppercased() }
        return "#" + String(digits.flatMap { [$0, $0] })
    }
}
