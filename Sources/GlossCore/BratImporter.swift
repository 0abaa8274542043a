import Foundation

/// Reads brat standoff annotations (https://brat.nlplab.org/standoff.html), a `NAME.ann`
/// beside its `NAME.txt`, as Gloss annotations and relations of a document.
///
/// - Text-bound lines (`T`) become annotations: a brat type is the codebook category whose
///   id or label matches it (letter case aside, `_`, `-` and space alike; or whose brat
///   type name ``BratTypeNames`` gives it), else a category of that name that the codebook
///   lacks (reported). T lines of one span are one annotation with each line's tags.
/// - A T line's values are its normalisations (`N`): those of database
///   ``BratStandoff/referenceDatabase`` give the value exactly (``BratStandoff/value(fromReferenceID:)``),
///   others the value `DB:ID` and a note line with their text; and its attributes
///   (`A`, and the older `M`): the value `Name` or `Name: Value`. A T line with none has
///   one tag with an empty value.
/// - Notes (`#`) on a T line are the annotation's note (escapes read back by
///   ``BratStandoff/unescapeNote(_:)``); on an `R` line, the relation's.
/// - Relations (`R`) link the annotations of their `Arg1` and `Arg2` T lines; a brat
///   relation type is the codebook's relation type whose id or label matches, else kept
///   as it is (reported).
/// - A discontinuous span whose fragments are separated only by white space holding a
///   line break or tab is one span (brat writes a selection over several lines so,
///   as does Gloss's export); other fragments become one annotation each, with a note
///   saying so.
/// - Events (`E`), equivalences (`*`), and notes, attributes and normalisations of
///   anything but a T line cannot be held and are reported with their line numbers, as
///   are lines that cannot be read; nothing is dropped without a message.
public enum BratImporter {
    /// One line of the report (``AnnotationImport/Message``).
    public typealias Message = AnnotationImport.Message
    /// What an import read (``AnnotationImport/Result``), shared by every importer.
    public typealias Result = AnnotationImport.Result
    /// What ``merge(_:into:)`` did (``AnnotationImport/Merge``).
    public typealias Merge = AnnotationImport.Merge

    /// An import that cannot be done: the file cannot be read, or the text beside it is
    /// missing or not the document's. Nothing is written then.
    public typealias ImportError = AnnotationImport.ImportError

    /// Reads `annotationFile` (a `.ann`) and the `.txt` beside it for `document`.
    ///
    /// The `.txt` (UTF-8, a byte-order mark left out) must be the document's text, code
    /// point for code point; then the T lines' offsets are the annotations' offsets. With
    /// `byQuote`, a `.txt` that differs is allowed: each annotation is made on the `.txt`
    /// (its quote and 32 code points of context either side) and placed in the document
    /// as Gloss re-anchors a store whose text changed (``Reanchoring/reanchor(_:in:recordedLength:)``);
    /// those not found are orphans.
    /// - Parameters:
    ///   - codebook: matches brat types to categories and relation types, and gives the
    ///     values' paths.
    ///   - author: recorded on every annotation and relation made.
    ///   - date: their creation and modification time.
    /// - Throws: ``ImportError`` when the `.ann` cannot be read or is not UTF-8, when the
    ///   `.txt` is missing, unreadable or not UTF-8, or differs from the document's text
    ///   without `byQuote` (naming both files and the first code point that differs).
    public static func read(annotationFile: String, document: Document, codebook: Codebook,
                            author: String, date: Date = Date(), byQuote: Bool = false) throws -> Result {
        let annText = try readUTF8(annotationFile, what: "brat annotation file")
        let textPath = (annotationFile.hasSuffix(".ann") ? String(annotationFile.dropLast(4)) : annotationFile) + ".txt"
        guard FileManager.default.fileExists(atPath: textPath) else {
            throw ImportError(path: annotationFile, problem: "no \(URL(fileURLWithPath: textPath).lastPathComponent) beside it; brat's offsets count the code points of that text")
        }
        let bratText = try readUTF8(textPath, what: "brat text")
        let bratScalars = Array(bratText.unicodeScalars)
        let same = document.withUTF8 { $0.elementsEqual(bratText.utf8) }
        if !same && !byQuote {
            let ours = Array(document.text.unicodeScalars)
            let first = zip(ours, bratScalars).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(ours.count, bratScalars.count)
            throw ImportError(path: textPath, problem: "is not the text of \(document.path) (they differ from code point \(first) on); its offsets would point elsewhere. Give --by-quote to place the spans by their quotes")
        }
        let source = same ? document : Document(text: bratText, path: textPath)
        let lines = parse(annText)
        var result = resolve(lines, source: source, sourceScalars: bratScalars, codebook: codebook, author: author, date: date)
        if !same {
            let placement = Reanchoring.reanchor(result.annotations, in: document, recordedLength: bratScalars.count)
            result.annotations = placement.anchored.sorted(by: Annotation.documentOrder)
            result.orphans = placement.orphans
            result.moved = placement.moved
            if !placement.orphans.isEmpty {
                result.messages.append(Message(line: nil, kind: .warning, text: "\(placement.orphans.count) annotation(s) with no place in \(document.path) are kept as orphans ("
                                               + Reanchoring.orphanSummary(placement.orphans, reasons: placement.orphanReasons) + ")"))
            }
        }
        return result
    }

    static func readUTF8(_ path: String, what: String) throws -> String {
        let data: Data
        do {
            data = try RegularFile.data(path)
        } catch {
            throw ImportError(path: path, problem: "cannot read the \(what): \(Document.reason(for: error, path: path))")
        }
        var bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw ImportError(path: path, problem: "the \(what) is not UTF-8")
        }
        return text
    }

    // MARK: - Lines

    /// One line of a `.ann` file, split into what brat puts in it.
    struct Line {
        /// From 1.
        var number: Int
        /// The id field: `T1`, `#2`, `*`.
        var id: String
        /// The fields after the id, tab-separated; the last may hold further tabs when the
        /// kind's last field is free text.
        var fields: [String]
        var kind: Character { id.first ?? " " }
    }

    /// The lines of `text` that hold something, with their numbers; a line's CR before LF
    /// is dropped.
    static func parse(_ text: String) -> [Line] {
        var lines: [Line] = []
        // Split by scalars: as Characters, "\r\n" is one grapheme that equals neither "\n" nor
        // "\r", and a tab followed by a combining mark is no "\t".
        for (index, raw) in text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var line = raw
            if line.last == "\r" { line.removeLast() }
            if line.allSatisfy(\.properties.isWhitespace) { continue }
            let parts = line.split(separator: "\t", maxSplits: 2, omittingEmptySubsequences: false).map { String(String.UnicodeScalarView($0)) }
            lines.append(Line(number: index + 1, id: parts[0], fields: Array(parts.dropFirst())))
        }
        return lines
    }

    /// A T line as read.
    struct Entity {
        var line: Int
        var id: String
        var type: String
        var fragments: [Range<Int>]
        /// Values from N, A and M lines, in line order.
        var values: [String] = []
        /// Notes from # lines and foreign normalisations' texts.
        var notes: [String] = []
    }

    /// An R line as read.
    struct Link {
        var line: Int
        var id: String
        var type: String
        var from: String
        var to: String
        var notes: [String] = []
    }

    // MARK: - Resolving

    /// Turns the lines into annotations of `source` (the document, or the brat text when
    /// it differs) and relations, with the report.
    static func resolve(_ lines: [Line], source: Document, sourceScalars: [Unicode.Scalar], codebook: Codebook,
                        author: String, date: Date) -> Result {
        var messages: [Message] = []
        func report(_ line: Int?, _ kind: Message.Kind, _ text: String) { messages.append(Message(line: line, kind: kind, text: text)) }
        var entities: [String: Entity] = [:]
        var entityOrder: [String] = []
        var links: [String: Link] = [:]
        var linkOrder: [String] = []
        var seen: [String: Int] = [:]
        /// ids of lines Gloss does not hold (events, equivalences...), by id, with their kind name
        var otherIDs: [String: String] = [:]

        // first pass: T, R, E lines, so that later lines may refer to any of them
        for line in lines {
            if line.id != "*" {
                if let first = seen[line.id] {
                    report(line.number, .malformed, "\(line.id) is used again (first on line \(first)); this line is not imported")
                    continue
                }
                seen[line.id] = line.number
            }
            switch line.kind {
            case "T":
                guard line.fields.count >= 1 else {
                    report(line.number, .malformed, "\(line.id): a text-bound line needs a type and offsets; not imported")
                    continue
                }
                let head = line.fields[0]
                guard let space = head.firstIndex(of: " "), case let type = String(head[..<space]), !type.isEmpty else {
                    report(line.number, .malformed, "\(line.id): no offsets after the type; not imported")
                    continue
                }
                var fragments: [Range<Int>] = []
                var bad: String?
                for part in head[head.index(after: space)...].split(separator: ";", omittingEmptySubsequences: false) {
                    let numbers = part.split(whereSeparator: { $0 == " " })
                    guard numbers.count == 2, let start = Int(numbers[0]), let end = Int(numbers[1]) else {
                        bad = "offsets \(String(part).debugDescription) are not two numbers"
                        break
                    }
                    guard 0 <= start, start <= end, end <= sourceScalars.count else {
                        bad = "offsets \(start) \(end) are not a span within the text's \(sourceScalars.count) code points"
                        break
                    }
                    fragments.append(start..<end)
                }
                if let bad {
                    report(line.number, .malformed, "\(line.id): \(bad); not imported")
                    continue
                }
                if line.fields.count >= 2 {
                    let recorded = line.fields[1...].joined(separator: "\t")
                    let atOffsets = fragments.map { String(String.UnicodeScalarView(sourceScalars[$0])) }.joined(separator: " ")
                    if !recorded.unicodeScalars.elementsEqual(atOffsets.unicodeScalars) {
                        report(line.number, .warning, "\(line.id): its recorded text \(Export.shortened(recorded).debugDescription) is not the text at its offsets, \(Export.shortened(atOffsets).debugDescription); the offsets are taken")
                    }
                }
                entities[line.id] = Entity(line: line.number, id: line.id, type: type, fragments: fragments)
                entityOrder.append(line.id)
            case "R":
                let parts = (line.fields.first ?? "").split(separator: " ").map(String.init)
                let arguments = parts.dropFirst().map { argument -> (role: String, id: String) in
                    let pieces = argument.split(separator: ":", maxSplits: 1).map(String.init)
                    return pieces.count == 2 ? (pieces[0], pieces[1]) : ("", argument)
                }
                guard parts.count == 3, arguments.allSatisfy({ !$0.role.isEmpty && !$0.id.isEmpty }) else {
                    report(line.number, .malformed, "\(line.id): a relation line is TYPE Arg1:ID Arg2:ID; not imported")
                    continue
                }
                let from = arguments.first { $0.role == "Arg1" } ?? arguments[0]
                let to = arguments.first { $0.role == "Arg2" } ?? arguments[1]
                links[line.id] = Link(line: line.number, id: line.id, type: parts[0], from: from.id, to: to.id)
                linkOrder.append(line.id)
            case "E":
                otherIDs[line.id] = "event"
            case "*":
                let parts = (line.fields.first ?? "").split(separator: " ")
                report(line.number, .notHeld, "an equivalence (\(parts.first.map(String.init) ?? "*") of \(parts.dropFirst().joined(separator: ", "))) cannot be held by Gloss, whose relations link two annotations; not imported")
            case "A", "M", "N", "#":
                otherIDs[line.id] = line.kind == "#" ? "note" : line.kind == "N" ? "normalisation" : "attribute"
            default:
                report(line.number, .malformed, "\(line.id.debugDescription) is not a kind of line brat writes (T, R, E, A, M, N, #, *); not imported")
            }
        }

        func notHeldOrMissing(_ target: String) -> Message.Kind { otherIDs[target] != nil || links[target] != nil ? .notHeld : .malformed }
        let linkIDs = Set(links.keys)

        // second pass: what refers to a T or R line
        for line in lines where line.id != "*" && seen[line.id] == line.number {
            switch line.kind {
            case "E":
                report(line.number, .notHeld, "\(line.id): events cannot be held by Gloss; not imported (its text-bound lines are)")
            case "N":
                let parts = (line.fields.first ?? "").split(separator: " ").map(String.init)
                guard parts.count == 3, let colon = parts[2].firstIndex(of: ":"), colon != parts[2].startIndex,
                      parts[2].index(after: colon) != parts[2].endIndex else {
                    report(line.number, .malformed, "\(line.id): a normalisation line is TYPE TARGET DB:ID; not imported")
                    continue
                }
                let target = parts[1], reference = parts[2]
                guard entities[target] != nil else {
                    report(line.number, notHeldOrMissing(target), "\(line.id): \(describeTarget(target, otherIDs, linkIDs)); not imported")
                    continue
                }
                let text = line.fields.count >= 2 ? line.fields[1...].joined(separator: "\t") : ""
                if let value = BratStandoff.value(fromReferenceID: reference) {
                    entities[target]!.values.append(value)
                } else if reference.hasPrefix(BratStandoff.referenceDatabase + ":") {
                    report(line.number, .warning, "\(line.id): \(reference) is not percent-encoded as Gloss writes it; the value is taken as written")
                    entities[target]!.values.append(String(reference.dropFirst(BratStandoff.referenceDatabase.count + 1)))
                } else {
                    entities[target]!.values.append(reference)
                    if !text.isEmpty { entities[target]!.notes.append("\(parts[0]) \(reference): \(text)") }
                }
            case "A", "M":
                let parts = (line.fields.first ?? "").split(separator: " ").map(String.init)
                guard parts.count == 2 || parts.count == 3 else {
                    report(line.number, .malformed, "\(line.id): an attribute line is NAME TARGET [VALUE]; not imported")
                    continue
                }
                guard entities[parts[1]] != nil else {
                    report(line.number, notHeldOrMissing(parts[1]), "\(line.id): \(describeTarget(parts[1], otherIDs, linkIDs)); not imported")
                    continue
                }
                entities[parts[1]]!.values.append(parts.count == 3 ? "\(parts[0]): \(parts[2])" : parts[0])
            case "#":
                let parts = (line.fields.first ?? "").split(separator: " ").map(String.init)
                guard parts.count == 2 else {
                    report(line.number, .malformed, "\(line.id): a note line is TYPE TARGET, then the note; not imported")
                    continue
                }
                let text = BratStandoff.unescapeNote(line.fields.count >= 2 ? line.fields[1...].joined(separator: "\t") : "")
                if text.isEmpty { continue }
                let note = parts[0] == BratStandoff.noteType ? text : "\(parts[0]): \(text)"
                if entities[parts[1]] != nil {
                    entities[parts[1]]!.notes.append(note)
                } else if links[parts[1]] != nil {
                    links[parts[1]]!.notes.append(note)
                } else {
                    report(line.number, notHeldOrMissing(parts[1]), "\(line.id): \(describeTarget(parts[1], otherIDs, linkIDs, relationsHeld: true)); not imported")
                }
            default:
                break
            }
        }
        // categories
        let categoryOf = categoryResolver(codebook: codebook)
        var newCategories: [String] = []

        // spans, grouped: one annotation per span
        struct Group {
            var range: Range<Int>
            var tags: [Tag] = []
            var notes: [String] = []
        }
        var groups: [Range<Int>: Group] = [:]
        var groupOrder: [Range<Int>] = []
        var spansOfEntity: [String: [Range<Int>]] = [:]
        var textBound = 0
        for id in entityOrder {
            guard var entity = entities[id] else { continue }
            let joined = BratStandoff.joinedSpans(of: entity.fragments, in: sourceScalars).filter { !$0.isEmpty }
            guard !joined.isEmpty else {
                report(entity.line, .notHeld, "\(id): an empty span cannot be held by Gloss; not imported")
                continue
            }
            var spans: [Range<Int>] = []
            for span in joined {
                let probe = Annotation(id: id, start: span.lowerBound, end: span.upperBound, quote: "", prefix: "", suffix: "",
                                       tags: [], note: "", author: "", created: "", modified: "")
                if let problem = Reanchoring.offsetProblem(probe, in: source) {
                    report(entity.line, .notHeld, "\(id): \(problem), which a Gloss span cannot; not imported")
                    continue
                }
                spans.append(span)
            }
            guard !spans.isEmpty else { continue }
            textBound += 1
            let category: String?
            switch categoryOf(entity.type) {
            case .category(let id): category = id
            case .untagged: category = nil
            case .new:
                category = entity.type
                if !newCategories.contains(entity.type) { newCategories.append(entity.type) }
            }
            var tags: [Tag] = []
            if let category {
                tags = (entity.values.isEmpty ? [""] : entity.values).map { Tag(category: category, value: $0) }
            } else if !entity.values.isEmpty {
                report(entity.line, .warning, "\(id): an untagged annotation's values have no category; they are kept in its note")
                entity.notes.append("Values: " + entity.values.joined(separator: ", "))
            }
            var notes = entity.notes
            if spans.count > 1 || joined.count > spans.count {
                let pieces = entity.fragments.map { "\($0.lowerBound)..<\($0.upperBound)" }.joined(separator: ", ")
                notes.append("Imported from brat \(id), a discontinuous span in \(joined.count) pieces (\(pieces)); each piece is an annotation of its own.")
            }
            spansOfEntity[id] = spans
            for span in spans {
                if groups[span] == nil {
                    groups[span] = Group(range: span)
                    groupOrder.append(span)
                }
                for tag in tags where !groups[span]!.tags.contains(tag) { groups[span]!.tags.append(tag) }
                for note in notes where !groups[span]!.notes.contains(note) { groups[span]!.notes.append(note) }
            }
        }
        for name in newCategories {
            report(nil, .note, "brat type \(name.debugDescription) matches no category of the codebook \(codebook.name.debugDescription): imported as a new category \(name.debugDescription) (add it to the codebook to give it a key and a colour)")
        }

        var annotationIDs: [Range<Int>: String] = [:]
        var annotations: [Annotation] = []
        for span in groupOrder {
            guard let group = groups[span] else { continue }
            let annotation = Annotation(document: source, range: span, tags: group.tags, note: group.notes.joined(separator: "\n\n"),
                                        author: author, date: date)
            annotationIDs[span] = annotation.id
            annotations.append(annotation)
        }

        // relations
        let relationTypeOf = relationTypeResolver(codebook: codebook)
        var newRelationTypes: [String] = []
        var relations: [Relation] = []
        for id in linkOrder {
            guard let link = links[id] else { continue }
            var ends: [String] = []
            var problems: [(kind: Message.Kind, text: String)] = []
            for argument in [link.from, link.to] {
                if let span = spansOfEntity[argument]?.first, let annotation = annotationIDs[span] {
                    ends.append(annotation)
                } else if entities[argument] != nil {
                    problems.append((.notHeld, "its end \(argument) was not imported"))
                } else {
                    problems.append((notHeldOrMissing(argument), describeTarget(argument, otherIDs, linkIDs, relationsHeld: true)))
                }
            }
            if ends.count == 2, ends[0] == ends[1] {
                problems.append((.notHeld, "links a span to itself, which a Gloss relation cannot"))
            }
            guard problems.isEmpty else {
                // one message a relation, naming the notes that go with it
                let notes = link.notes.isEmpty ? "" : " (with its \(link.notes.count) note(s))"
                report(link.line, problems[0].kind, "\(id): " + problems.map(\.text).joined(separator: "; ") + "; not imported" + notes)
                continue
            }
            let type: String
            if let known = relationTypeOf(link.type) {
                type = known
            } else {
                type = link.type
                if !newRelationTypes.contains(link.type) { newRelationTypes.append(link.type) }
            }
            let relation = Relation(type: type, from: ends[0], to: ends[1], note: link.notes.joined(separator: "\n\n"), author: author, date: date)
            if !relations.contains(where: { ($0.type, $0.from, $0.to) == (relation.type, relation.from, relation.to) }) {
                relations.append(relation)
            }
        }
        for name in newRelationTypes {
            report(nil, .note, "brat relation type \(name.debugDescription) matches no relation type of the codebook: kept as it is")
        }
        // by line, messages about the whole file last, each line's in the order made
        messages = messages.enumerated().sorted { ($0.element.line ?? Int.max, $0.offset) < ($1.element.line ?? Int.max, $1.offset) }.map(\.element)
        return Result(annotations: annotations.sorted(by: Annotation.documentOrder), orphans: [], relations: relations,
                      messages: messages, textBoundCount: textBound, moved: 0)
    }

    /// Why a line's target is not something it can attach to.
    static func describeTarget(_ target: String, _ others: [String: String], _ links: Set<String>, relationsHeld: Bool = false) -> String {
        if let kind = others[target] { return "it refers to \(target), \(kind == "event" ? "an event" : "a\(kind == "attribute" ? "n" : "") \(kind)"), which Gloss cannot attach it to" }
        if links.contains(target), !relationsHeld { return "it refers to the relation \(target); Gloss keeps no such thing on a relation" }
        return "it refers to \(target), which no line of the file is"
    }

    /// What a brat type is in Gloss.
    enum CategoryMatch: Equatable {
        /// A codebook category, by id.
        case category(String)
        /// ``BratStandoff/untaggedType``: no tags.
        case untagged
        /// None of the codebook's: the type itself is the category.
        case new
    }

    /// Maps brat types to codebook categories: the first category whose brat type name is
    /// the type, else whose id or label has the type's ``BratStandoff/matchKey(_:)``.
    static func categoryResolver(codebook: Codebook) -> (String) -> CategoryMatch {
        let names = BratTypeNames(codebook.categories.map(\.id))
        return { type in
            if let exact = codebook.categories.first(where: { names.name(of: $0.id) == type }) { return .category(exact.id) }
            let key = BratStandoff.matchKey(type)
            if let match = codebook.categories.first(where: { BratStandoff.matchKey($0.id) == key || BratStandoff.matchKey($0.label) == key }) {
                return .category(match.id)
            }
            return type == BratStandoff.untaggedType ? .untagged : .new
        }
    }

    /// Maps brat relation types to the codebook's relation type ids, as categories are
    /// mapped; nil when none matches.
    static func relationTypeResolver(codebook: Codebook) -> (String) -> String? {
        let names = BratTypeNames(codebook.relations.map(\.id))
        return { type in
            if let exact = codebook.relations.first(where: { names.name(of: $0.id) == type }) { return exact.id }
            let key = BratStandoff.matchKey(type)
            return codebook.relations.first { BratStandoff.matchKey($0.id) == key || BratStandoff.matchKey($0.label) == key }?.id
        }
    }

    // MARK: - Merging

    /// Merges an import into a store's contents as every importer does
    /// (``AnnotationImport/merge(_:into:)``).
    public static func merge(_ imported: Result, into existing: StoreContents) -> Merge {
        AnnotationImport.merge(imported, into: existing)
    }
}
