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
    ///   set: order and repeats aside) as one of A is collapsed into it; when their notes
    ///   differ, the kept note holds both, each under its coder's name.
    /// - An annotation of B whose span has annotations of A with other tags is kept too,
    ///   and it and those annotations of A get one conflict id: `START-END` of the span
    ///   (or the id one of them already carries).
    /// - Any other annotation of B is added; one whose id A already uses gets a new id.
    /// - Orphans merge alike, by quote and offsets as they last were.
    /// - Relations of B have their ends renamed to the annotations kept for them; one
    ///   with the type and ends of a relation of A is collapsed into it (notes joined as
    ///   above), others are added (a new id when A uses theirs).
    /// - The memos: one when they are the same or one is empty, else both, each under its
    ///   coder's name.
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

        func join(_ first: String, _ second: String) -> String {
            if first == second || second.isEmpty { return first }
            if first.isEmpty { return second }
            return "[\(nameA)] \(first)\n\n[\(nameB)] \(second)"
        }
        func mergeList(_ ours: [Annotation], _ theirs: [Annotation]) -> [Annotation] {
            var result = ours
            for var annotation in theirs {
                if let same = result.firstIndex(where: { $0.range == annotation.range && Set($0.tags) == Set(annotation.tags) }) {
                    result[same].note = join(result[same].note, annotation.note)
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
            return result
        }
        merged.annotations = mergeList(a.annotations, b.annotations).sorted(by: Annotation.documentOrder)
        merged.orphans = mergeList(a.orphans, b.orphans)

        var relations = a.relations
        var relationIDs = Set(a.relations.map(\.id))
        for var relation in b.relations {
            relation.from = renamed[relation.from] ?? relation.from
            relation.to = renamed[relation.to] ?? relation.to
            if let same = relations.firstIndex(where: { ($0.type, $0.from, $0.to) == (relation.type, relation.from, relation.to) }) {
                relations[same].note = join(relations[same].note, relation.note)
                continue
            }
            if !relationIDs.insert(relation.id).inserted {
                relation.id = UUID().uuidString
                relationIDs.insert(relation.id)
            }
            relations.append(relation)
        }
        merged.relations = relations.sorted(by: Relation.storeOrder)
        merged.memo = join(a.memo, b.memo)

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
