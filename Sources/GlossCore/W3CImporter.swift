import Foundation

/// Reads W3C Web Annotations (https://www.w3.org/TR/annotation-model/) and Hypothesis API
/// annotations as Gloss annotations, relations and memo of a document: what
/// ``W3CExporter`` writes, read back, and what other tools write.
///
/// **Files.** An `AnnotationCollection` with its pages included (`first`, then each
/// `next` that is an object), an `AnnotationPage`, a JSON list of annotations, one
/// annotation, or a Hypothesis API response (`{"total", "rows": [...]}`, from
/// `/api/search`; or one row, from `/api/annotations/ID`).
///
/// **Which annotations.** Each item's target names its document (`source`, or a
/// Hypothesis row's `uri`). When the file names one document, all of it is read, wherever
/// that document lives (a web address, a path on another machine); when it names several
/// (a corpus export), the items of the document's file URL, else of the one whose file
/// name is the document's, else of the `source` given. Items of other documents are
/// counted in the report.
///
/// **An item that targets part of the text** becomes an annotation:
/// - *Place.* A `TextPositionSelector` counts Unicode code points, end exclusive, as the
///   model prescribes (§4.2.5, "the selection of the text MUST be in terms of unicode code
///   points") and as ``W3CExporter`` writes; when the text there is the
///   `TextQuoteSelector`'s `exact`, the annotation is there. Positions that hold the quote
///   only when counted in UTF-16 code units (JavaScript's string indices, which
///   Hypothesis and other browser tools write) are taken so too. Otherwise the quote is
///   authoritative: it is found as Gloss re-anchors an annotation after an edit
///   (``Reanchoring/reanchor(_:in:recordedLength:)``: an exact copy chosen by its prefix
///   and suffix, else an approximate match near the position), then, failing that,
///   ignoring differences in white space (a web page's text has the markup's line breaks
///   and indentation, Gloss's extracted text does not), among copies that keep some of
///   their context, the one nearest the position when context does not tell them
///   apart. A Hypothesis row's quote found once in the whole text, at least
///   ``Reanchoring/anchorLength`` code points long, is placed there whatever its context.
///   One not found is kept as an orphan (its quote, prefix and suffix kept for
///   re-anchoring later) and reported. `RangeSelector`, `XPathSelector`,
///   `CssSelector` and `FragmentSelector` name places in a page's markup, which Gloss's
///   text does not have: ignored beside a quote or position, reported when alone. A
///   `refinedBy` (§4.2.9) narrows the span placed: a `TextPositionSelector` counts code
///   points from its start, a `TextQuoteSelector` is found within it (by its prefix and
///   suffix there when it is found more than once); one that cannot be applied (past the
///   span, not in it, a markup selector) is reported and the item not imported.
/// - *Tags.* A `TextualBody` with `purpose` `tagging` (or `classifying`; or none, under
///   `motivation` `tagging`) is a tag, its value split at the first colon into category
///   and value as ``W3CExporter/tag(fromBodyValue:)`` reads it. A Hypothesis row's
///   `tags` are free strings: `category:value` when the text before the colon is a
///   codebook category (by id or label); a category's id or label alone is that category;
///   a value or alias of exactly one category's vocabulary is that tag; any other string
///   is a value of the category ``hypothesisCategory``. Categories are matched to the
///   codebook by id, then by label (letter case aside, `_`, `-` and space alike); others
///   are kept as categories of that name and reported. A value written with its path in
///   the vocabulary (`state/Turkey`) is the value (`Turkey`).
/// - *Note.* Every other `TextualBody` (`commenting`, `describing`...), and a Hypothesis
///   row's `text`, in order, joined by blank lines.
/// - *Author, times, id.* `creator` (its `name`, else `nickname`, else `id`) or a
///   Hypothesis `user` (`acct:NAME@hypothes.is` is `NAME`; another authority is kept
///   as `NAME@authority`), else the author given. `created` and `modified` (Hypothesis:
///   `updated`) in ISO 8601, kept when already in Gloss's form (UTC, whole seconds), else
///   converted to it; missing, the time of the import. The id `urn:uuid:U` gives the
///   store id `U` in upper case (Gloss's own form, so a Gloss export gives back its
///   ids); another id is kept as it is; an id the store already uses gets a new one.
///
/// **A `linking` item** (as ``W3CExporter`` writes relations) between two annotations of
/// the file or of the store (by their `urn:uuid:` IRIs, or a corpus export's
/// `SpecificResource` ends) becomes a relation: its tagging body the relation type
/// (matched to the codebook's as categories are; `link` when it has none), its other
/// bodies the note. **An item that targets the whole document** (Gloss's memo, a
/// Hypothesis page note) adds its note to the document memo. **A reply** (Hypothesis
/// `references`, or `motivation` `replying` with an annotation as its target) is added to
/// the note of the annotation it answers, as `Reply from AUTHOR, TIME:` and its text.
///
/// Every item that cannot be read or held, and every part of one left out, is reported
/// with its place in the file (`first.items[3]`, `rows[0]`) and id; nothing is dropped
/// without a message.
public enum W3CImporter {
    /// An import that cannot be done: the file cannot be read, is not JSON, or holds no
    /// annotations of a shape this reads, or names several documents and none is this one.
    /// Nothing is written then.
    public typealias ImportError = AnnotationImport.ImportError

    /// What an import read.
    public struct Result: Sendable {
        /// The annotations, orphans and relations read, and the report, in the shape every
        /// importer merges (``AnnotationImport/merge(_:memo:into:)``).
        public var read: AnnotationImport.Result
        /// The notes of the items that target the whole document, joined by blank lines.
        public var memo: String
        /// The document the items read target, as the file names it; nil when they name
        /// none.
        public var source: String?
        /// How many items the file holds, of every document.
        public var itemCount: Int
        /// How many placed annotations were found by their positions counted in UTF-16
        /// code units rather than code points.
        public var utf16Positions: Int
    }

    /// The category whose values are the Hypothesis tags that name nothing of the codebook.
    public static let hypothesisCategory = "hypothesis"

    /// Reads the file at `path` for `document`; see the type's documentation.
    /// - Parameters:
    ///   - codebook: matches categories and relation types, and gives values' paths.
    ///   - source: the document to read the items of, as the file's targets name it; nil
    ///     to find it (see the type's documentation).
    ///   - author: recorded on what names no creator.
    ///   - date: the time of what records none.
    ///   - existing: the store the import goes into: ids it uses are not reused, and
    ///     relations may link its annotations.
    /// - Throws: ``ImportError`` as the type describes.
    public static func read(file path: String, document: Document, codebook: Codebook, source: String? = nil,
                            author: String, date: Date = Date(), existing: StoreContents = StoreContents()) throws -> Result {
        let data: Data
        do {
            data = try RegularFile.data(path)
        } catch {
            throw ImportError(path: path, problem: "cannot be read: \(Document.reason(for: error, path: path))")
        }
        return try read(data: data, path: path, document: document, codebook: codebook, source: source,
                        author: author, date: date, existing: existing)
    }

    /// Reads `data` (the file named `path` in messages) for `document`; see
    /// ``read(file:document:codebook:source:author:date:existing:)``.
    public static func read(data: Data, path: String, document: Document, codebook: Codebook, source: String? = nil,
                            author: String, date: Date = Date(), existing: StoreContents = StoreContents()) throws -> Result {
        var bytes = data
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        let root: JSONValue
        do {
            root = try JSONDecoder().decode(JSONValue.self, from: bytes)
        } catch {
            throw ImportError(path: path, problem: JSONProblem.describe(error, in: bytes, notWhat: "is not JSON"))
        }
        var reader = Reader(path: path, document: document, codebook: codebook, author: author, date: date, existing: existing)
        return try reader.read(root, source: source)
    }

    /// The store id an item's `id` gives: the UUID of a `urn:uuid:` IRI in upper case,
    /// else the id as written; nil for none.
    static func storeID(ofIRI iri: String) -> String? {
        let trimmed = iri.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { return nil }
        if trimmed.lowercased().hasPrefix("urn:uuid:"), UUID(uuidString: String(trimmed.dropFirst(9))) != nil {
            return String(trimmed.dropFirst(9)).uppercased()
        }
        return trimmed
    }

    /// How IRIs are compared: `urn:uuid:` ones without letter case (RFC 9562 §4), others
    /// exactly.
    static func iriKey(_ iri: String) -> String {
        let trimmed = iri.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.lowercased().hasPrefix("urn:uuid:") ? trimmed.lowercased() : trimmed
    }

    /// A Hypothesis account (`acct:NAME@hypothes.is`) as an author name: `NAME`, or
    /// `NAME@authority` for another authority; anything else as it is.
    static func authorName(ofAccount account: String) -> String {
        guard account.hasPrefix("acct:") else { return account }
        let rest = String(account.dropFirst(5))
        return rest.hasSuffix("@hypothes.is") ? String(rest.dropLast("@hypothes.is".count)) : rest
    }

    /// `text` as a Gloss timestamp (ISO 8601, UTC, whole seconds): itself when it is one,
    /// else converted from another ISO 8601 date and time (fractions of a second dropped,
    /// an offset applied; none is UTC); nil when it is not one.
    static func timestamp(_ text: String) -> String? {
        let pattern = #"^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?(Z|z|[+-]\d{2}(?::?\d{2})?)?$"#
        guard let regex = try? NSRegularExpression(pattern: pattern),
              let match = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) else { return nil }
        func group(_ index: Int) -> String? {
            Range(match.range(at: index), in: text).map { String(text[$0]) }
        }
        var components = DateComponents()
        components.year = Int(group(1) ?? "")
        components.month = Int(group(2) ?? "")
        components.day = Int(group(3) ?? "")
        components.hour = Int(group(4) ?? "")
        components.minute = Int(group(5) ?? "")
        components.second = Int(group(6) ?? "0")
        guard let month = components.month, (1...12).contains(month), let day = components.day, (1...31).contains(day),
              let hour = components.hour, hour <= 24, let minute = components.minute, minute < 60,
              let second = components.second, second <= 60 else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        guard var date = calendar.date(from: components),
              calendar.component(.day, from: date) == day || hour == 24 else { return nil }  // not 30 February
        if let zone = group(8), zone.uppercased() != "Z" {
            let digits = zone.dropFirst().filter(\.isNumber)
            let hours = Int(digits.prefix(2)) ?? 0, minutes = Int(digits.dropFirst(2)) ?? 0
            let offset = (hours * 3600 + minutes * 60) * (zone.hasPrefix("-") ? -1 : 1)
            date.addTimeInterval(TimeInterval(-offset))
        }
        let stamp = Annotation.timestamp(date)
        return stamp == text ? text : stamp
    }

    // MARK: - Reading

    typealias Message = AnnotationImport.Message

    /// A place in the text asked for by selectors.
    struct Selection {
        var exact: String?
        var prefix: String?
        var suffix: String?
        var start: Int?
        var end: Int?
        /// Types of selectors that were ignored (markup selectors).
        var ignored: [String] = []
        /// Each `refinedBy` in turn, outermost first: each narrows the span the one before
        /// it picks (§4.2.9).
        var refinements: [Refinement] = []
    }

    /// A `refinedBy` selector: a quote or code point positions within the span of the
    /// selector it refines (W3C Web Annotation Data Model §4.2.9, Refinement of Selection).
    enum Refinement: Equatable {
        case quote(exact: String, prefix: String?, suffix: String?)
        /// Code points from the start of the refined span, end exclusive.
        case position(start: Int, end: Int)
    }

    /// `range` narrowed by `refinements` in turn, or why it cannot be: a position past the
    /// span, a quote not in it, an empty span picked. A quote found more than once in the
    /// span is the one copy whose prefix and suffix (within the span) match; when they do
    /// not tell one copy, it cannot be placed.
    static func refine(_ range: Range<Int>, by refinements: [Refinement], in document: Document) -> Swift.Result<Range<Int>, RefinementFailure> {
        var range = range
        for refinement in refinements {
            switch refinement {
            case .position(let start, let end):
                guard end <= range.count else {
                    return .failure(RefinementFailure(reason: "its refinedBy TextPositionSelector \(start)..<\(end) lies past the \(range.count) code points its selector picks"))
                }
                guard start < end else {
                    return .failure(RefinementFailure(reason: "its refinedBy TextPositionSelector \(start)..<\(end) picks no text"))
                }
                range = (range.lowerBound + start)..<(range.lowerBound + end)
            case .quote(let exact, let prefix, let suffix):
                let span = Array(document.text(in: range).unicodeScalars)
                let wanted = Array(exact.unicodeScalars)
                guard !wanted.isEmpty, wanted.count <= span.count else {
                    return .failure(RefinementFailure(reason: "its refinedBy quote \(Export.shortened(exact).debugDescription) is not in the span its selector picks"))
                }
                let starts = (0...(span.count - wanted.count)).filter { span[$0..<($0 + wanted.count)].elementsEqual(wanted) }
                func context(_ start: Int) -> Bool {
                    let before = String(String.UnicodeScalarView(span[..<start]))
                    let after = String(String.UnicodeScalarView(span[(start + wanted.count)...]))
                    return before.hasSuffix(prefix ?? "") && after.hasPrefix(suffix ?? "")
                }
                guard !starts.isEmpty else {
                    return .failure(RefinementFailure(reason: "its refinedBy quote \(Export.shortened(exact).debugDescription) is not in the span its selector picks"))
                }
                let matching = starts.filter(context)
                let candidates = matching.isEmpty ? starts : matching
                guard candidates.count == 1 else {
                    return .failure(RefinementFailure(reason: "its refinedBy quote \(Export.shortened(exact).debugDescription) is in the span its selector picks \(candidates.count) times, and its prefix and suffix do not tell which"))
                }
                range = (range.lowerBound + candidates[0])..<(range.lowerBound + candidates[0] + wanted.count)
            }
        }
        return .success(range)
    }

    /// Why a `refinedBy` could not be applied, for the report.
    struct RefinementFailure: Error {
        var reason: String
    }

    /// What an item targets.
    enum Target {
        /// Part of a document.
        case part(source: String?, selection: Selection)
        /// A whole resource: a document, or (for a link or reply) an annotation; a link's
        /// end may say where that annotation is (`source` and `selection`).
        case whole(iri: String?, source: String?, selection: Selection? = nil)
    }

    /// One item of the file, read.
    struct Item {
        var index: Int
        var label: String
        var id: String?
        var isHypothesis = false
        var motivations: [String] = []
        /// W3C tagging bodies' values.
        var tagValues: [String] = []
        /// A Hypothesis row's `tags`.
        var hypothesisTags: [String] = []
        var notes: [String] = []
        var creator: String?
        var created: String?
        var modified: String?
        var targets: [Target] = []
        /// The annotations a reply answers (Hypothesis `references`, root first).
        var references: [String] = []
        /// Parts of the item that cannot be held, each a reason: reported when the item
        /// is one of the document's.
        var leftOut: [String] = []

        var isLink: Bool { motivations.contains("linking") }
        var isReply: Bool {
            !references.isEmpty || (motivations.contains("replying") && !targets.contains { if case .part = $0 { return true }; return false })
        }
        /// The documents the item's targets name.
        var sources: [String?] {
            targets.map { target in
                switch target {
                case .part(let source, _): return source
                case .whole(let iri, let source, _): return isLink || isReply ? source : source ?? iri
                }
            }
        }
    }

    struct Reader {
        let path: String
        let document: Document
        let codebook: Codebook
        let author: String
        let date: Date
        let existing: StoreContents
        var messages: [Message] = []
        /// Categories and relation types the codebook lacks, in the order met.
        var newCategories: [String] = []
        var newRelationTypes: [String] = []
        var unknownHypothesisTags = 0

        init(path: String, document: Document, codebook: Codebook, author: String, date: Date, existing: StoreContents) {
            self.path = path
            self.document = document
            self.codebook = codebook
            self.author = author
            self.date = date
            self.existing = existing
        }

        mutating func report(_ kind: Message.Kind, _ text: String) {
            messages.append(Message(line: nil, kind: kind, text: text))
        }

        mutating func read(_ root: JSONValue, source chosenSource: String?) throws -> Result {
            let entries = try self.entries(of: root)
            guard !entries.isEmpty else { throw ImportError(path: path, problem: "holds no annotations") }
            var items: [Item] = []
            var firstWithID: [String: String] = [:]
            for (index, entry) in entries.enumerated() {
                guard let item = parse(entry.value, index: index, at: entry.path) else { continue }
                if let id = item.id {
                    if let first = firstWithID[iriKey(id)] {
                        report(.warning, "\(item.label): the id of \(first) too; this one gets an id of its own, and links to that id go to the first")
                    } else {
                        firstWithID[iriKey(id)] = entry.path
                    }
                }
                items.append(item)
            }

            // which document's items
            var sources: [String] = []
            for item in items {
                for case let source? in item.sources where !sources.contains(source) { sources.append(source) }
            }
            let chosen: String?
            let ownURL = Export.fileURL(of: document)
            if let chosenSource {
                guard sources.contains(chosenSource) else {
                    throw ImportError(path: path, problem: "no annotation targets \(chosenSource)" + Self.listed(sources))
                }
                chosen = chosenSource
            } else if sources.count <= 1 {
                chosen = sources.first
            } else if sources.contains(ownURL) {
                chosen = ownURL
            } else {
                let named = sources.filter { Self.fileName(of: $0) == document.fileName }
                guard named.count == 1 else {
                    throw ImportError(path: path, problem: "holds annotations of \(sources.count) documents, and none is \(document.path)" + Self.listed(sources) + "; name one with --source")
                }
                chosen = named[0]
            }
            if let chosen, chosen != ownURL, Self.fileName(of: chosen) != document.fileName {
                report(.note, "its annotations target \(chosen); read as annotations of \(document.path)")
            }
            func isOurs(_ source: String?) -> Bool { source == nil || source == chosen }

            var otherItems: [Item] = []
            var ours: [Item] = []
            for item in items {
                if item.sources.isEmpty || item.sources.contains(where: isOurs) {
                    ours.append(item)
                } else {
                    otherItems.append(item)
                }
            }
            let otherKeys = Set(otherItems.compactMap { $0.id.map(iriKey) })

            // annotations
            var takenIDs = Set((existing.annotationIDs.union(existing.relations.map(\.id))).map { $0.uppercased() })
            func newID(_ raw: String?) -> String {
                var candidate = raw.flatMap(storeID(ofIRI:)) ?? UUID().uuidString
                if takenIDs.contains(candidate.uppercased()) {
                    candidate = W3CExporter.nameBasedUUID("urn:gloss:import:" + candidate).uppercased()
                    if takenIDs.contains(candidate) { candidate = UUID().uuidString }
                }
                takenIDs.insert(candidate.uppercased())
                return candidate
            }
            var anchoring = Anchoring(document: document)
            struct Pending {
                var item: Item
                var id: String
                var tags: [Tag]
                var selection: Selection
            }
            var pending: [Pending] = []
            var memo: [String] = []
            var links: [Item] = []
            var replies: [Item] = []
            var failedKeys = Set<String>()
            for var item in ours {
                if item.isLink { links.append(item); continue }
                if item.isReply { replies.append(item); continue }
                let parts = item.targets.compactMap { target -> Selection? in
                    if case .part(let source, let selection) = target, isOurs(source) { return selection }
                    return nil
                }
                guard let selection = parts.first else {
                    // the whole document: the memo
                    if !item.tagValues.isEmpty || !item.hypothesisTags.isEmpty {
                        report(.notHeld, "\(item.label): its tags (\((item.tagValues + item.hypothesisTags).joined(separator: ", "))) are on the whole document, which has a memo but no tags in Gloss; left out")
                    }
                    item.leftOut.forEach { report(.notHeld, "\(item.label): \($0)") }
                    if item.notes.isEmpty {
                        report(.notHeld, "\(item.label): targets the whole document and holds no note for its memo; not imported")
                    } else {
                        memo += item.notes
                    }
                    continue
                }
                if item.targets.count > 1 {
                    item.leftOut.append("it has \(item.targets.count) targets; a Gloss annotation has one span, so only the first in this document is imported")
                }
                if selection.exact == nil && selection.start == nil {
                    let kinds = selection.ignored.isEmpty ? "no selector" : selection.ignored.joined(separator: ", ")
                    report(.notHeld, "\(item.label): its target has \(kinds) but no TextQuoteSelector or TextPositionSelector; Gloss's text has no markup for the others to point into; not imported")
                    if let id = item.id { failedKeys.insert(iriKey(id)) }
                    continue
                }
                if let exact = selection.exact, exact.isEmpty {
                    report(.malformed, "\(item.label): its TextQuoteSelector's exact is empty; not imported")
                    if let id = item.id { failedKeys.insert(iriKey(id)) }
                    continue
                }
                item.leftOut.forEach { report(.notHeld, "\(item.label): \($0)") }
                let tags = self.tags(of: item)
                pending.append(Pending(item: item, id: newID(item.id), tags: tags, selection: selection))
            }

            let placements = anchoring.place(pending.map { ($0.selection, $0.item.isHypothesis) })
            var annotations: [Annotation] = []
            var orphans: [Annotation] = []
            var keyToID: [String: String] = [:]
            var moved = 0
            for (entry, placement) in zip(pending, placements) {
                let item = entry.item
                let note = item.notes.joined(separator: "\n\n")
                let who = item.creator ?? author
                var annotation: Annotation
                switch placement {
                case .placed(let placed, let how):
                    let range: Range<Int>
                    switch W3CImporter.refine(placed, by: entry.selection.refinements, in: document) {
                    case .success(let refined): range = refined
                    case .failure(let failure):
                        report(.malformed, "\(item.label): \(failure.reason); not imported")
                        if let id = item.id { failedKeys.insert(iriKey(id)) }
                        continue
                    }
                    annotation = Annotation(document: document, range: range, tags: entry.tags, note: note, author: who, date: date, id: entry.id)
                    switch how {
                    case .position, .utf16Position: break
                    case .quote, .approximate, .whiteSpace, .quoteAlone:
                        moved += entry.selection.start == nil ? 0 : 1
                        if let start = entry.selection.start, let end = entry.selection.end, !item.isHypothesis {
                            report(.warning, "\(item.label): its TextPositionSelector \(start)..<\(end) does not hold its quote; placed by the quote at \(range.lowerBound)..<\(range.upperBound)")
                        }
                        if how == .approximate {
                            report(.warning, "\(item.label): its quote \(Export.shortened(entry.selection.exact ?? "").debugDescription) is not in the text as it is; placed where the text is closest, \(Export.shortened(annotation.quote).debugDescription)")
                        }
                        if how == .quoteAlone {
                            report(.warning, "\(item.label): placed by its quote, found once in the text, though none of its context is beside it")
                        }
                    }
                case .orphan(let reason):
                    let exact = entry.selection.exact ?? ""
                    // its offsets are only a record of where it was meant to be
                    let start = min(max(0, entry.selection.start ?? 0), document.length)
                    annotation = Annotation(id: entry.id, start: start, end: start + max(1, exact.unicodeScalars.count), quote: exact,
                                            prefix: entry.selection.prefix ?? "", suffix: entry.selection.suffix ?? "",
                                            tags: entry.tags, note: note, author: who, created: "", modified: "")
                    let unapplied = entry.selection.refinements.isEmpty ? "" : " (its refinedBy not applied: it narrows a span never found)"
                    report(.warning, "\(item.label): \(reason); kept as an orphan" + unapplied)
                case .failed(let reason):
                    report(.malformed, "\(item.label): \(reason); not imported")
                    if let id = item.id { failedKeys.insert(iriKey(id)) }
                    continue
                }
                annotation.created = item.created ?? Annotation.timestamp(date)
                annotation.modified = item.modified ?? annotation.created
                if let id = item.id, keyToID[iriKey(id)] == nil { keyToID[iriKey(id)] = annotation.id }
                if case .orphan = placement { orphans.append(annotation) } else { annotations.append(annotation) }
            }

            // replies: added to the notes of the annotations they answer
            for reply in replies {
                let answered = reply.references.first ?? reply.targets.compactMap { target -> String? in
                    if case .whole(let iri?, _, _) = target { return iri }
                    return nil
                }.first
                guard let answered, let id = keyToID[iriKey(answered)] ?? keyToID[iriKey(Self.withoutFragment(answered))] else {
                    report(.notHeld, "\(reply.label): a reply to \(answered ?? "nothing it names"), which is not among the annotations imported; not imported")
                    continue
                }
                if !reply.tagValues.isEmpty || !reply.hypothesisTags.isEmpty {
                    report(.notHeld, "\(reply.label): a reply's tags (\((reply.tagValues + reply.hypothesisTags).joined(separator: ", "))) are not added to the annotation it answers; left out")
                }
                reply.leftOut.forEach { report(.notHeld, "\(reply.label): \($0)") }
                guard !reply.notes.isEmpty else {
                    report(.notHeld, "\(reply.label): a reply without text; not imported")
                    continue
                }
                let heading = "Reply from \(reply.creator ?? author)" + (reply.created.map { ", \($0)" } ?? "") + ":"
                let text = heading + "\n" + reply.notes.joined(separator: "\n\n")
                if let index = annotations.firstIndex(where: { $0.id == id }) {
                    annotations[index].note += (annotations[index].note.isEmpty ? "" : "\n\n") + text
                } else if let index = orphans.firstIndex(where: { $0.id == id }) {
                    orphans[index].note += (orphans[index].note.isEmpty ? "" : "\n\n") + text
                }
            }

            // relations
            var existingByKey: [String: String] = [:]
            for id in existing.annotationIDs { existingByKey[iriKey(W3CExporter.iri(ofID: id))] = id }
            let resolveRelation = BratImporter.relationTypeResolver(codebook: codebook)
            var relations: [Relation] = []
            var linksOfOthers = 0
            for link in links {
                let ends = link.targets.map { target -> (iri: String, source: String?, selection: Selection?)? in
                    switch target {
                    case .whole(let iri?, let source, let selection): return (iri, source, selection)
                    case .whole, .part: return nil
                    }
                }
                guard ends.count == 2, let from = ends[0], let to = ends[1] else {
                    report(.notHeld, "\(link.label): a link between \(ends.count) target(s)\(ends.contains { $0 == nil } ? ", some of them no annotation" : ""); a Gloss relation links two annotations; not imported")
                    continue
                }
                var resolved: [String] = []
                var problems: [(Message.Kind, String)] = []
                var toOthers = 0
                for end in [from, to] {
                    let keys = [iriKey(end.iri), iriKey(Self.withoutFragment(end.iri))]
                    if let id = keys.lazy.compactMap({ keyToID[$0] ?? existingByKey[$0] }).first {
                        resolved.append(id)
                    } else if keys.contains(where: otherKeys.contains) || !isOurs(end.source) {
                        toOthers += 1
                    } else if keys.contains(where: failedKeys.contains) {
                        problems.append((.notHeld, "its end \(end.iri) was not imported"))
                    } else if let selection = end.selection, let id = Self.annotation(at: selection, among: annotations, orphans) {
                        // an end whose id names no item (a corpus export renames the items of a
                        // document whose ids another document used, not their ends): by its place
                        resolved.append(id)
                    } else {
                        problems.append((.malformed, "its end \(end.iri) is no annotation of the file or of the store"))
                    }
                }
                if toOthers == 2 { linksOfOthers += 1; continue }
                if toOthers == 1 { problems.append((.notHeld, "it links an annotation of another document")) }
                if let problem = problems.first {
                    report(problems.contains { $0.0 == .malformed } ? .malformed : problem.0,
                           "\(link.label): " + problems.map(\.1).joined(separator: "; ") + "; not imported")
                    continue
                }
                guard resolved[0] != resolved[1] else {
                    report(.notHeld, "\(link.label): links an annotation to itself, which a Gloss relation cannot; not imported")
                    continue
                }
                link.leftOut.forEach { report(.notHeld, "\(link.label): \($0)") }
                let written = link.tagValues.first ?? link.hypothesisTags.first ?? ""
                if link.tagValues.count + link.hypothesisTags.count > 1 {
                    report(.notHeld, "\(link.label): a relation has one type; the tags after \(written.debugDescription) left out")
                }
                var type = written.isEmpty ? "link" : written
                if codebook.relations.contains(where: { $0.id == type }) {
                    // as written
                } else if let known = resolveRelation(type) {
                    type = known
                } else if !newRelationTypes.contains(type) {
                    newRelationTypes.append(type)
                }
                let created = link.created ?? Annotation.timestamp(date)
                let relation = Relation(id: newID(link.id), type: type, from: resolved[0], to: resolved[1],
                                        note: link.notes.joined(separator: "\n\n"), author: link.creator ?? author,
                                        created: created, modified: link.modified ?? created)
                if !relations.contains(where: { ($0.type, $0.from, $0.to) == (relation.type, relation.from, relation.to) }) {
                    relations.append(relation)
                }
            }

            if !otherItems.isEmpty || linksOfOthers > 0 {
                let others = Set(otherItems.flatMap { $0.sources.compactMap { $0 } }).sorted()
                report(.note, "\(otherItems.count) item(s) of \(others.count) other document(s) left out" + Self.listed(others))
            }
            for name in newCategories {
                report(.note, "category \(name.debugDescription) is not in the codebook \(codebook.name.debugDescription): imported as a new category (add it to the codebook to give it a key and a colour)")
            }
            if unknownHypothesisTags > 0 {
                report(.note, "\(unknownHypothesisTags) Hypothesis tag(s) naming no category or value of the codebook kept as values of the category \"\(hypothesisCategory)\"")
            }
            for name in newRelationTypes {
                report(.note, "relation type \(name.debugDescription) is not in the codebook: kept as it is")
            }
            if anchoring.utf16Count > 0 {
                report(.note, "\(anchoring.utf16Count) annotation(s) placed by positions counted in UTF-16 code units (as JavaScript counts), not code points as the Web Annotation model prescribes")
            }
            let read = AnnotationImport.Result(annotations: annotations.sorted(by: Annotation.documentOrder), orphans: orphans,
                                               relations: relations, messages: messages,
                                               textBoundCount: annotations.count + orphans.count, moved: moved)
            return Result(read: read, memo: memo.joined(separator: "\n\n"), source: chosen, itemCount: entries.count,
                          utf16Positions: anchoring.utf16Count)
        }

        /// The one annotation (or orphan) that `selection` selects: the quote and, for an
        /// annotation, the positions; nil when none or several.
        static func annotation(at selection: Selection, among annotations: [Annotation], _ orphans: [Annotation]) -> String? {
            let placed = annotations.filter { annotation in
                (selection.exact.map { $0 == annotation.quote } ?? true)
                    && (selection.start.map { $0 == annotation.start && selection.end == annotation.end } ?? true)
            }
            let orphaned = selection.start == nil ? orphans.filter { $0.quote == selection.exact } : []
            let found = placed + orphaned
            return found.count == 1 ? found[0].id : nil
        }

        static func listed(_ sources: [String]) -> String {
            guard !sources.isEmpty else { return "" }
            let shown = sources.prefix(5).joined(separator: ", ")
            return " (\(shown)\(sources.count > 5 ? ", and \(sources.count - 5) more" : ""))"
        }

        /// The last path segment of a URL or path, percent-decoded.
        static func fileName(of source: String) -> String {
            let path = URL(string: source)?.path ?? source
            let last = path.split(separator: "/").last.map(String.init) ?? path
            return last.removingPercentEncoding ?? last
        }

        static func withoutFragment(_ iri: String) -> String {
            iri.firstIndex(of: "#").map { String(iri[..<$0]) } ?? iri
        }

        // MARK: The file's items

        /// The items of the file, each with its place in it.
        mutating func entries(of root: JSONValue) throws -> [(path: String, value: JSONValue)] {
            func list(_ value: JSONValue?, _ at: String) -> [(path: String, value: JSONValue)]? {
                guard case .array(let elements)? = value else { return nil }
                return elements.enumerated().map { ("\(at)[\($0.offset)]", $0.element) }
            }
            if let all = list(root, "") { return all }
            guard case .object = root else {
                throw ImportError(path: path, problem: "holds \(root.brief), not Web Annotations")
            }
            if let rows = list(root["rows"], "rows") {
                if case .integer(let total)? = root["total"], total > rows.count {
                    report(.notHeld, "the response holds \(rows.count) of the \(total) annotations its search found; fetch the other pages (search_after or offset) and import them too")
                }
                return rows
            }
            let types = Self.types(of: root)
            // a collection holding its annotations itself, without pages (outside the model's
            // letter, but written by tools and accepted by validators)
            if types.contains("AnnotationCollection"), root["first"] == nil, let items = list(root["items"], "items") { return items }
            if types.contains("AnnotationCollection") || root["first"] != nil {
                var found: [(path: String, value: JSONValue)] = []
                var page = root["first"]
                var at = "first"
                while let current = page {
                    switch current {
                    case .object:
                        found += list(current["items"], at + ".items") ?? []
                        page = current["next"]
                        at += ".next"
                    case .string(let iri):
                        report(.notHeld, "the page \(iri) (\(at)) is named but not included in the file; its annotations are not imported (fetch it and import it too)")
                        page = nil
                    default:
                        throw ImportError(path: path, problem: "\(at) is \(current.brief), not an AnnotationPage")
                    }
                }
                if case .integer(let total)? = root["total"], total != found.count {
                    report(.warning, "the collection says it holds \(total) annotations; the file holds \(found.count)")
                }
                return found
            }
            if let items = list(root["items"], "items") { return items }
            if root["target"] != nil { return [("annotation", root)] }
            throw ImportError(path: path, problem: "holds no Web Annotations: not an AnnotationCollection, an AnnotationPage, a list of annotations, an annotation or a Hypothesis API response (rows)")
        }

        static func types(of value: JSONValue) -> [String] {
            switch value["type"] ?? value["@type"] {
            case .string(let type)?: return [type]
            case .array(let types)?: return types.compactMap(\.stringValue)
            default: return []
            }
        }

        static func strings(_ value: JSONValue?) -> [String] {
            switch value {
            case .string(let text)?: return [text]
            case .array(let values)?: return values.compactMap(\.stringValue)
            default: return []
            }
        }

        /// A resource's IRI: the string, or an object's `id`; the first of a list.
        static func iri(_ value: JSONValue?) -> String? {
            switch value {
            case .string(let text)?: return text
            case .object?: return value?["id"]?.stringValue ?? value?["@id"]?.stringValue
            case .array(let values)?: return values.lazy.compactMap { iri($0) }.first
            default: return nil
            }
        }

        /// Reads one item; nil (after reporting why) when it cannot be read at all.
        mutating func parse(_ value: JSONValue, index: Int, at place: String) -> Item? {
            let id = value["id"]?.stringValue ?? value["@id"]?.stringValue
            let label = place + (id.map { " (\($0))" } ?? "")
            guard case .object = value else {
                report(.malformed, "\(label): is \(value.brief), not an annotation; not imported")
                return nil
            }
            var item = Item(index: index, label: label, id: id)
            item.isHypothesis = ["user", "uri", "group", "permissions", "references", "links", "user_info"].contains { value[$0] != nil }
                || (value["body"] == nil && (value["text"] != nil || value["tags"] != nil))
            item.motivations = Self.strings(value["motivation"]).map { $0.hasPrefix("oa:") ? String($0.dropFirst(3)) : $0 }

            // bodies
            let tagging = item.motivations.contains("tagging") || item.motivations.contains("classifying")
            func body(_ body: JSONValue, _ at: String) {
                switch body {
                case .string(let iri):
                    item.leftOut.append("its \(at) is only a web address (\(iri)), no text Gloss can keep; left out")
                case .object:
                    let types = Self.types(of: body)
                    if types.contains("Choice") {
                        item.leftOut.append("its \(at) is a Choice between bodies, which Gloss cannot hold; left out")
                        return
                    }
                    guard let text = body["value"]?.stringValue ?? body["chars"]?.stringValue else {
                        item.leftOut.append("its \(at)\(types.first.map { " (\($0))" } ?? "") holds no text value; left out")
                        return
                    }
                    let purposes = Self.strings(body["purpose"]).map { $0.hasPrefix("oa:") ? String($0.dropFirst(3)) : $0 }
                    let isTag = purposes.contains("tagging") || purposes.contains("classifying") || (purposes.isEmpty && tagging)
                    if isTag { item.tagValues.append(text) } else if !text.isEmpty { item.notes.append(text) }
                default:
                    item.leftOut.append("its \(at) is \(body.brief); left out")
                }
            }
            switch value["body"] {
            case .array(let bodies)?:
                for (offset, element) in bodies.enumerated() { body(element, "body[\(offset)]") }
            case let single?:
                body(single, "body")
            case nil:
                break
            }
            if let text = value["bodyValue"]?.stringValue, !text.isEmpty {
                if tagging { item.tagValues.append(text) } else { item.notes.append(text) }
            }
            // Hypothesis
            if let text = value["text"]?.stringValue, !text.isEmpty { item.notes.append(text) }
            if let tags = value["tags"] {
                guard case .array(let list) = tags else {
                    report(.malformed, "\(label): its tags are \(tags.brief), not a list; not imported")
                    return nil
                }
                for tag in list {
                    if let text = tag.stringValue {
                        if !text.trimmingCharacters(in: .whitespaces).isEmpty { item.hypothesisTags.append(text.trimmingCharacters(in: .whitespaces)) }
                    } else {
                        item.leftOut.append("its tag \(tag.brief) is no text; left out")
                    }
                }
            }
            item.references = Self.strings(value["references"])

            // creator and times
            if let creator = value["creator"] {
                item.creator = Self.agentName(creator)
            } else if let user = value["user"]?.stringValue, !user.isEmpty {
                item.creator = authorName(ofAccount: user)
            }
            if item.creator?.isEmpty ?? false { item.creator = nil }
            for (field, keyPath) in [("created", \Item.created), ("modified", \Item.modified), ("updated", \Item.modified)] {
                guard let written = value[field], item[keyPath: keyPath] == nil else { continue }
                if let text = written.stringValue, text.isEmpty {
                    item[keyPath: keyPath] = ""
                } else if let text = written.stringValue, let stamp = timestamp(text) {
                    item[keyPath: keyPath] = stamp
                } else {
                    report(.warning, "\(label): its \(field) \(written.brief) is no ISO 8601 date and time; the time of the import taken")
                }
            }

            // targets
            let uri = value["uri"]?.stringValue
            func target(_ target: JSONValue) -> Target? {
                switch target {
                case .string(let iri):
                    return .whole(iri: iri, source: nil)
                case .object:
                    let source = Self.iri(target["source"]) ?? uri
                    let own = target["id"]?.stringValue ?? target["@id"]?.stringValue
                    guard let selector = target["selector"] else {
                        return .whole(iri: own ?? Self.iri(target["source"]), source: source)
                    }
                    var selection = Selection()
                    var problems: [String] = []
                    // a refinedBy narrows the span its selector picks: a quote or positions
                    // within it, then its own refinedBy within that
                    func refinement(_ selector: JSONValue) {
                        if case .array(let list) = selector {
                            // alternatives for one refinement: the first Gloss can apply
                            let usable = list.first { ["TextQuoteSelector", "TextPositionSelector"].contains(Self.types(of: $0).first ?? "") }
                            guard let usable else {
                                problems.append("its refinedBy holds no TextQuoteSelector or TextPositionSelector")
                                return
                            }
                            return refinement(usable)
                        }
                        guard case .object = selector else {
                            problems.append("a refinedBy is \(selector.brief)")
                            return
                        }
                        switch Self.types(of: selector).first {
                        case "TextQuoteSelector":
                            guard let exact = selector["exact"]?.stringValue, !exact.isEmpty else {
                                problems.append("its refinedBy TextQuoteSelector has no exact text")
                                return
                            }
                            selection.refinements.append(.quote(exact: exact, prefix: selector["prefix"]?.stringValue, suffix: selector["suffix"]?.stringValue))
                        case "TextPositionSelector":
                            guard case .integer(let start)? = selector["start"], case .integer(let end)? = selector["end"],
                                  0 <= start, start <= end else {
                                problems.append("its refinedBy TextPositionSelector has start \(selector["start"]?.brief ?? "none") and end \(selector["end"]?.brief ?? "none"), not two whole numbers with 0 ≤ start ≤ end")
                                return
                            }
                            selection.refinements.append(.position(start: start, end: end))
                        case let type:
                            problems.append("its refinedBy is \(type.map { "a \($0)" } ?? "a selector without a type"), which Gloss's text cannot apply (it has no markup)")
                            return
                        }
                        if let refined = selector["refinedBy"] { refinement(refined) }
                    }
                    func read(_ selector: JSONValue) {
                        switch selector {
                        case .array(let list): list.forEach { read($0) }
                        case .object:
                            let type = Self.types(of: selector).first ?? "a selector without a type"
                            switch type {
                            case "TextQuoteSelector":
                                guard selection.exact == nil else { return }
                                guard let exact = selector["exact"]?.stringValue else {
                                    problems.append("its TextQuoteSelector has no exact text")
                                    return
                                }
                                for field in ["prefix", "suffix"] where selector[field] != nil && selector[field]?.stringValue == nil {
                                    problems.append("its TextQuoteSelector's \(field) is \(selector[field]!.brief), not text")
                                }
                                selection.exact = exact
                                selection.prefix = selector["prefix"]?.stringValue
                                selection.suffix = selector["suffix"]?.stringValue
                                // one refinement kept: alternatives (a quote and a position) refined alike
                                if let refined = selector["refinedBy"], selection.refinements.isEmpty { refinement(refined) }
                            case "TextPositionSelector":
                                guard selection.start == nil else { return }
                                guard case .integer(let start)? = selector["start"], case .integer(let end)? = selector["end"],
                                      0 <= start, start <= end else {
                                    problems.append("its TextPositionSelector has start \(selector["start"]?.brief ?? "none") and end \(selector["end"]?.brief ?? "none"), not two whole numbers with 0 ≤ start ≤ end")
                                    return
                                }
                                selection.start = start
                                selection.end = end
                                if let refined = selector["refinedBy"], selection.refinements.isEmpty { refinement(refined) }
                            default:
                                // ignored, and so its refinedBy, which narrows what it picks
                                if !selection.ignored.contains(type) { selection.ignored.append(type) }
                            }
                        default:
                            problems.append("a selector is \(selector.brief)")
                        }
                    }
                    read(selector)
                    if !problems.isEmpty {
                        report(.malformed, "\(label): " + problems.joined(separator: "; ") + "; not imported")
                        return nil
                    }
                    // a link's end is an annotation, named by its id; a corpus export adds the
                    // end's document and selectors, which say where that annotation is
                    if item.isLink, let own { return .whole(iri: own, source: source, selection: selection) }
                    return .part(source: source, selection: selection)
                default:
                    report(.malformed, "\(label): a target is \(target.brief); not imported")
                    return nil
                }
            }
            switch value["target"] {
            case .array(let list)?:
                for element in list {
                    guard let read = target(element) else { return nil }
                    item.targets.append(read)
                }
            case let single?:
                guard let read = target(single) else { return nil }
                item.targets.append(read)
            case nil:
                if let uri {
                    item.targets.append(.whole(iri: uri, source: uri))
                } else {
                    report(.malformed, "\(label): has no target; not imported")
                    return nil
                }
            }
            if item.targets.isEmpty {
                report(.malformed, "\(label): its target list is empty; not imported")
                return nil
            }
            return item
        }

        static func agentName(_ agent: JSONValue) -> String? {
            switch agent {
            case .string(let text): return authorName(ofAccount: text)
            case .object:
                if let name = strings(agent["name"]).first ?? strings(agent["nickname"]).first { return name }
                return iri(agent).map(authorName(ofAccount:))
            case .array(let agents):
                let names = agents.compactMap(agentName)
                return names.isEmpty ? nil : names.joined(separator: ", ")
            default: return nil
            }
        }

        // MARK: Tags

        /// The tags of an item: its tagging bodies' values, then its Hypothesis tags.
        mutating func tags(of item: Item) -> [Tag] {
            var tags: [Tag] = []
            for value in item.tagValues {
                var written = W3CExporter.tag(fromBodyValue: value)
                // a codebook category whose id holds a colon is matched whole, the longest first
                if let known = codebook.categories.map(\.id).filter({ $0.contains(":") && (value == $0 || value.hasPrefix($0 + ":")) })
                    .max(by: { $0.unicodeScalars.count < $1.unicodeScalars.count }) {
                    written = Tag(category: known, value: String(value.unicodeScalars.dropFirst(known.unicodeScalars.count).dropFirst()))
                }
                guard !written.category.isEmpty else {
                    report(.notHeld, "\(item.label): its tag \(value.debugDescription) names no category; left out")
                    continue
                }
                let category = categoryID(written.category, new: true)!
                let tag = Tag(category: category, value: unqualified(written.value, in: category))
                if !tags.contains(tag) { tags.append(tag) }
            }
            for text in item.hypothesisTags {
                let tag = hypothesisTag(text)
                if !tags.contains(tag) { tags.append(tag) }
            }
            return tags
        }

        /// The codebook category `name` is (by id, then label or id without letter case,
        /// `_`, `-` and space alike); with `new`, `name` itself when none (noted as new);
        /// else nil.
        mutating func categoryID(_ name: String, new: Bool) -> String? {
            if codebook.category(id: name) != nil { return name }
            let key = BratStandoff.matchKey(name)
            if let match = codebook.categories.first(where: { BratStandoff.matchKey($0.id) == key || BratStandoff.matchKey($0.label) == key }) {
                return match.id
            }
            guard new else { return nil }
            if !newCategories.contains(name) { newCategories.append(name) }
            return name
        }

        /// `value` of `category` without the path an export writes before a nested value
        /// (`state/Turkey` is `Turkey` when the vocabulary nests `Turkey` under `state`).
        func unqualified(_ value: String, in category: String) -> String {
            guard value.contains("/"), let known = codebook.category(id: category) else { return value }
            return known.allValues.first { known.qualifiedValue($0.value) == value }?.value ?? value
        }

        /// The tag a Hypothesis tag stands for (see the type's documentation).
        mutating func hypothesisTag(_ text: String) -> Tag {
            if let colon = text.firstIndex(of: ":"), let category = categoryID(String(text[..<colon]).trimmingCharacters(in: .whitespaces), new: false) {
                let value = String(text[text.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
                return Tag(category: category, value: canonicalValue(unqualified(value, in: category), in: category))
            }
            if let category = categoryID(text, new: false) { return Tag(category: category, value: "") }
            let key = BratStandoff.matchKey(text)
            let matches = codebook.categories.compactMap { category -> Tag? in
                guard let value = category.allValues.first(where: { entry in
                    BratStandoff.matchKey(entry.value) == key || entry.aliases.contains { BratStandoff.matchKey($0) == key }
                }) else { return nil }
                return Tag(category: category.id, value: value.value)
            }
            if matches.count == 1 { return matches[0] }
            unknownHypothesisTags += 1
            let category = hypothesisCategory
            if codebook.category(id: category) == nil, !newCategories.contains(category) { newCategories.append(category) }
            return Tag(category: category, value: text)
        }

        /// `value` as the vocabulary of `category` spells it, when it is one of its values
        /// or aliases (letter case aside); else as it is.
        func canonicalValue(_ value: String, in category: String) -> String {
            guard let known = codebook.category(id: category) else { return value }
            let key = BratStandoff.matchKey(value)
            return known.allValues.first { entry in
                entry.value == value || BratStandoff.matchKey(entry.value) == key || entry.aliases.contains { BratStandoff.matchKey($0) == key }
            }?.value ?? value
        }
    }
}
