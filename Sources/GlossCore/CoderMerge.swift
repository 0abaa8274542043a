import Foundation

/// Merges two coders' stores of one document into one (`gloss merge A B -o C`): a union
/// by span and tags that never drops an annotation. Unlike
/// ``AnnotationStore``'s three-way merge by id (one analyst's store changed in two
/// places), the two stores need no common ancestor.
public enum CoderMerge {
    /// A span both coders annotated with different tags: both annotations are kept and
    /// marked with the same ``Annotation/conflict`` id.
    public struct Conflict: Codable, Hashable, Sendable {
        /// The conflict id both annotations carry.
        public var id: String
        /// The span, in code points.
        public var start: Int
        /// End of the span (exclusive).
        public var end: Int
        /// The span's text.
        public var quote: String
        /// Coder A's tags on the span (every annotation of A there), sorted.
        public var a: [Tag]
        /// Coder B's tags on the span, sorted.
        public var b: [Tag]
    }

    /// What ``merge(_:named:_:named:)`` made.
    public struct Result: Sendable {
        /// The merged store: A's document record, version, unknown fields and quarantined
        /// records, B's quarantined records that A lacks, the annotations, orphans,
        /// relations and memo merged.
        public var contents: StoreContents
        /// Annotations (placed and orphaned) in the merged store.
        public var kept: Int
        /// Annotations of B that were the same as one of A (same span, same tags) and
        /// were collapsed into it.
        public var collapsed: Int
        /// The spans with conflicting tags, in document order.
        public var conflicts: [Conflict]
    }

    /// Merges coder B's store into coder A's.
    ///
    /// - Every annotation of A is kept as it is.
    /// - An annotation of B with the same span (start and end) and the same tags (as a
    ///   set: order and repeats aside) as one of A is collapsed into it. The kept note is
    ///   A's alone when B's adds nothing (empty or the same text); otherwise it holds every
    ///   different note under its coder's name, once each (``NotePart``): B's under B's
    ///   name even when A's is empty, and a note an earlier merge joined keeps its labels.
    /// - An annotation of B whose span has annotations of A with other tags is kept too,
    ///   and it and those annotations of A get one conflict id: `START-END` of the span
    ///   (or the id one of them already carries).
    /// - Any other annotation of B is added; one whose id A already uses gets a new id.
    /// - Orphans merge alike, by quote and offsets as they last were.
    /// - Relations of B have their ends renamed to the annotations kept for them; one
    ///   with the type and ends of a relation of A is collapsed into it (notes joined as
    ///   above), others are added (a new id when A uses theirs).
    /// - The memos join as notes do.
    /// - Parameters:
    ///   - nameA: coder A's name, used where notes and memos are joined.
    ///   - nameB: coder B's name.
    public static func merge(_ a: StoreContents, named nameA: String, _ b: StoreContents, named nameB: String) -> Result {
        var merged = StoreContents(quarantined: a.quarantined, document: a.document, version: a.version, otherFields: a.otherFields)
        merged.quarantined += b.quarantined.filter { record in !a.quarantined.contains { $0.record == record.record } }
        var usedIDs = a.annotationIDs
        var renamed: [String: String] = [:]
        var collapsed = 0
        var conflictIDs: [String] = []

        func mergeList(_ ours: [Annotation], _ theirs: [Annotation]) -> [Annotation] {
            var result = ours
            // the notes of A's annotations that B's collapse into, kept as parts until all
            // are in, so each is labelled once however many of B's join it
            var notes: [Int: [NotePart]] = [:]
            for var annotation in theirs {
                if let same = result.firstIndex(where: { $0.range == annotation.range && Set($0.tags) == Set(annotation.tags) }) {
                    notes[same, default: NotePart.parts(of: result[same].note, by: same < ours.count ? nameA : nameB)]
                        += NotePart.parts(of: annotation.note, by: nameB)
                    renamed[annotation.id] = result[same].id
                    collapsed += 1
                    continue
                }
                if usedIDs.contains(annotation.id) {
                    let id = UUID().uuidString
                    renamed[annotation.id] = id
                    annotation.id = id
                }
                usedIDs.insert(annotation.id)
                let oursIDs = Set(ours.map(\.id))
                let rivals = result.indices.filter { index in result[index].range == annotation.range && oursIDs.contains(result[index].id) }
                if !rivals.isEmpty {
                    let id = rivals.lazy.compactMap { result[$0].conflict }.first ?? annotation.conflict ?? "\(annotation.start)-\(annotation.end)"
                    for index in rivals { result[index].conflict = id }
                    annotation.conflict = id
                    if !conflictIDs.contains(id) { conflictIDs.append(id) }
                }
                result.append(annotation)
            }
            for (index, parts) in notes { result[index].note = NotePart.joined(parts, owner: index < ours.count ? nameA : nameB) }
            return result
        }
        merged.annotations = mergeList(a.annotations, b.annotations).sorted(by: Annotation.documentOrder)
        merged.orphans = mergeList(a.orphans, b.orphans)

        var relations = a.relations
        var relationIDs = Set(a.relations.map(\.id))
        var relationNotes: [Int: [NotePart]] = [:]
        for var relation in b.relations {
            relation.from = renamed[relation.from] ?? relation.from
            relation.to = renamed[relation.to] ?? relation.to
            if let same = relations.firstIndex(where: { ($0.type, $0.from, $0.to) == (relation.type, relation.from, relation.to) }) {
                relationNotes[same, default: NotePart.parts(of: relations[same].note, by: nameA)] += NotePart.parts(of: relation.note, by: nameB)
                continue
            }
            if !relationIDs.insert(relation.id).inserted {
                relation.id = UUID().uuidString
                relationIDs.insert(relation.id)
            }
            relations.append(relation)
        }
        for (index, parts) in relationNotes { relations[index].note = NotePart.joined(parts, owner: nameA) }
        merged.relations = relations.sorted(by: Relation.storeOrder)
        merged.memo = NotePart.joined(NotePart.parts(of: a.memo, by: nameA) + NotePart.parts(of: b.memo, by: nameB), owner: nameA)

        let all = merged.annotations + merged.orphans
        let idsOfA = Set(a.annotations.map(\.id) + a.orphans.map(\.id))
        let conflicts = conflictIDs.compactMap { id -> Conflict? in
            let members = all.filter { $0.conflict == id }
            guard let first = members.first else { return nil }
            let tagsA = Set(members.filter { idsOfA.contains($0.id) }.flatMap(\.tags))
            let tagsB = Set(members.filter { !idsOfA.contains($0.id) }.flatMap(\.tags))
            return Conflict(id: id, start: first.start, end: first.end, quote: first.quote,
                            a: tagsA.sorted(by: Agreement.tagOrder), b: tagsB.sorted(by: Agreement.tagOrder))
        }.sorted { ($0.start, $0.end, $0.id) < ($1.start, $1.end, $1.id) }
        return Result(contents: merged, kept: all.count, collapsed: collapsed, conflicts: conflicts)
    }
}

/// One coder's part of a note (or memo) that ``CoderMerge`` joins: the text and the coder
/// it is credited to. A merged note is its parts, each as `[CODER] TEXT`, a blank line
/// between them; merging such a note again reads its parts back, so no label is doubled
/// and none is moved to another coder's text.
public struct NotePart: Hashable, Sendable {
    /// The coder's name, as the merge was given it.
    public var coder: String
    /// What the coder wrote.
    public var text: String

    /// Creates a part.
    public init(coder: String, text: String) {
        self.coder = coder
        self.text = text
    }

    /// The parts of `note`, written by `coder`: none for an empty note; the parts of a
    /// note an earlier merge joined (``labelledParts(of:)``), each keeping its label;
    /// else the whole note as `coder`'s.
    public static func parts(of note: String, by coder: String) -> [NotePart] {
        if note.isEmpty { return [] }
        return labelledParts(of: note) ?? [NotePart(coder: coder, text: note)]
    }

    /// The parts of a note ``joined(_:owner:)`` wrote: it starts with `[NAME] ` and holds
    /// at least one more part starting, after a blank line, with `[NAME] ` (a name without
    /// `]` or line breaks). Nil for any other note, so that one coder's note that merely
    /// starts with a bracket stays whole and theirs.
    public static func labelledParts(of note: String) -> [NotePart]? {
        var parts: [NotePart] = []
        var rest = Substring(note)
        while let label = label(at: rest) {
            let body = rest[label.end...]
            var end = body.endIndex
            var search = body.startIndex
            // the part runs to the next blank line followed by a label
            while let gap = body.range(of: "\n\n", range: search..<body.endIndex) {
                if Self.label(at: body[gap.upperBound...]) != nil {
                    end = gap.lowerBound
                    break
                }
                search = gap.upperBound
            }
            parts.append(NotePart(coder: label.name, text: String(body[..<end])))
            guard end < body.endIndex else { return parts.count >= 2 ? parts : nil }
            rest = body[body.index(end, offsetBy: 2)...]
        }
        return nil
    }

    /// The label `[NAME] ` at the start of `text`: the name and where the text after it begins.
    private static func label(at text: Substring) -> (name: String, end: Substring.Index)? {
        guard text.first == "[", let close = text.firstIndex(of: "]") else { return nil }
        let name = text[text.index(after: text.startIndex)..<close]
        guard !name.isEmpty, !name.contains(where: \.isNewline), !name.contains("[") else { return nil }
        let after = text.index(after: close)
        guard after < text.endIndex, text[after] == " " else { return nil }
        return (String(name), text.index(after: after))
    }

    /// One note from `parts`, a text written twice kept once (where it first came): the
    /// bare text when that leaves one part of `owner` (the coder whose annotation keeps
    /// the note), else every part under its coder's label, a blank line between them.
    public static func joined(_ parts: [NotePart], owner: String) -> String {
        var seen = Set<String>()
        let kept = parts.filter { !$0.text.isEmpty && seen.insert($0.text).inserted }
        if kept.count == 1, kept[0].coder == owner { return kept[0].text }
        return kept.map { "[\($0.coder)] \($0.text)" }.joined(separator: "\n\n")
    }
}
