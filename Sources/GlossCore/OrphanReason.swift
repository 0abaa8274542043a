extension Reanchoring {
    /// Why re-anchoring left an annotation without a place in the text, from what the exact
    /// search of its quote found there: its words may well be in the text, only not at a
    /// place that can be told to be its own.
    public enum OrphanReason: Hashable, Sendable, CustomStringConvertible {
        /// The annotation quotes nothing.
        case emptyQuote
        /// The quote is not in the text, with either line ending convention, and no edited
        /// copy of it is close enough.
        case notFound
        /// The quote occurs `copies` times (a short one once), and none of them has any of
        /// the annotation's context beside it.
        case withoutContext(copies: Int)
        /// The quote occurs `copies` times, `alike` of them with as much of its context,
        /// and none is nearest where the annotation was expected.
        case alike(copies: Int, alike: Int)
        /// The quote occurs `copies` times, but an edited copy with its context rivals the
        /// best of them, or the best splits a character.
        case unclear(copies: Int)

        /// One sentence, after “the annotation is orphaned:”, e.g. “its quote occurs 5
        /// times in the text and none has its context beside it”.
        public var description: String {
            switch self {
            case .emptyQuote: "its quote is empty"
            case .notFound: "its quote is not in the text"
            case .withoutContext(let copies):
                copies == 1 ? "its quote occurs once in the text, without its context beside it"
                    : "its quote occurs \(copies) times in the text and none has its context beside it"
            case .alike(let copies, let alike):
                "its quote occurs \(copies) times in the text, \(alike) of them with as much of its context, and none is nearest its old place"
            case .unclear(let copies):
                "its quote occurs \(copies == 1 ? "once" : "\(copies) times") in the text but no copy is clearly its place (its words may have been edited)"
            }
        }

        /// The kind of reason, for ``summary(of:)``: the counts left out.
        var kind: Int {
            switch self {
            case .emptyQuote: 0
            case .notFound: 1
            case .withoutContext: 2
            case .alike: 3
            case .unclear: 4
            }
        }

        /// `reasons` (one per orphan) in a few words each, grouped by kind with how many
        /// orphans each kind has, most first: “2 whose quote is not in the text, 1 whose
        /// quote occurs 5 times and none has its context beside it”. A kind whose orphans
        /// all have the same counts keeps them.
        public static func summary(of reasons: [OrphanReason]) -> String {
            var groups: [Int: [OrphanReason]] = [:]
            for reason in reasons { groups[reason.kind, default: []].append(reason) }
            return groups.sorted { ($1.value.count, $0.key) < ($0.value.count, $1.key) }.map { kind, members in
                let same = Set(members).count == 1 ? members[0] : nil
                let words: String
                switch (kind, same) {
                case (0, _): words = "whose quote is empty"
                case (1, _): words = "whose quote is not in the text"
                case (2, .withoutContext(let copies)?):
                    words = copies == 1 ? "whose quote occurs once, without its context beside it"
                        : "whose quote occurs \(copies) times and none has its context beside it"
                case (2, _): words = "whose quote occurs but never with its context beside it"
                case (3, .alike(let copies, let alike)?):
                    words = "whose quote occurs \(copies) times, \(alike) of them with as much of its context, none nearest its old place"
                case (3, _): words = "whose quote occurs several times with as much of its context, none nearest its old place"
                default: words = "whose quote occurs but no copy is clearly its place"
                }
                return "\(members.count) \(words)"
            }.joined(separator: ", ")
        }
    }
}
