import Foundation
@testable import GlossCore
import Testing

/// The context rule of re-anchoring: an annotation is placed only where its quote and some
/// of its context are; approximate places start and end on word boundaries.
@Suite struct ReanchoringContextTests {
    /// An annotation on the `occurrence`-th copy of `quote` (from 0) in `text`.
    static func annotate(_ quote: String, occurrence: Int = 0, in text: String) throws -> Annotation {
        try annotation(on: quote, occurrence: occurrence, in: Document(text: text), id: "a")
    }

    @Test("the annotated name replaced by a pronoun, deleted or cut short: orphan, never moved to the other copy",
          arguments: ["and later she signed", "and later signed", "and later Ma signed"])
    func copyWithoutContext(edited: String) throws {
        let text = "Maria thanked the envoy, and later Maria signed the accord."
        let annotation = try Self.annotate("Maria", occurrence: 1, in: text)
        #expect(annotation.start == 35 && annotation.prefix.hasSuffix("and later "))
        let document = Document(text: text.replacingOccurrences(of: "and later Maria signed", with: edited))
        let result = Reanchoring.reanchor([annotation], in: document)
        #expect(result.anchored.isEmpty && result.orphans == [annotation])
    }

    @Test("the name replaced by a longer word that contains it is never moved to the other copy")
    func copyWithoutContextLongerWord() throws {
        let text = "Maria thanked the envoy, and later Maria signed the accord."
        let annotation = try Self.annotate("Maria", occurrence: 1, in: text)
        let document = Document(text: text.replacingOccurrences(of: "and later Maria signed", with: "and later Mariana signed"))
        let result = Reanchoring.reanchor([annotation], in: document)
        #expect(result.anchored.allSatisfy { $0.start >= 35 })
    }

    @Test("the quote still at its offsets but its context gone: not kept there silently; orphan, reported")
    func inPlaceNeedsContext() throws {
        let text = "Maria spoke first. Maria spoke again."
        let annotation = try Self.annotate("Maria", in: text)
        #expect(annotation.range == 0..<5 && annotation.prefix.isEmpty)
        let edited = Document(text: "Maria spoke again.")
        #expect(!Reanchoring.isInPlace(annotation, in: edited))
        let result = Reanchoring.reanchor([annotation], in: edited)
        #expect(result.anchored.isEmpty && result.orphans == [annotation])
        let stored = StoredDocument(path: "a.txt", sha256: Document(text: text).sha256, length: Document(text: text).length)
        let placed = Reanchoring.place(StoreContents(annotations: [annotation], document: stored), in: edited)
        #expect(placed.orphaned == 1 && placed.contents.annotations.isEmpty)
    }

    @Test("an annotation at the very start with no prefix follows its suffix when a lead is inserted, and stays when words after it change")
    func startOfText() throws {
        let text = "Maria spoke first. Maria spoke again."
        let annotation = try Self.annotate("Maria", in: text)
        let inserted = Document(text: "A lead. " + text)
        let result = Reanchoring.reanchor([annotation], in: inserted)
        #expect(result.anchored.map(\.range) == [8..<13] && result.moved == 1)
        // words edited past the first 16 code points of its suffix: it stays
        let changed = Document(text: "Maria spoke first. Maria talked again.")
        let kept = Reanchoring.reanchor([annotation], in: changed)
        #expect(kept.anchored.map(\.range) == [0..<5] && kept.moved == 0)
    }

    @Test("a title at the very start stays when a word of the paragraph after it is edited: the context there is only partly edited")
    func titleWithEditedSuffix() throws {
        let text = "Global Conference on Counter-Terrorism\n\nTop officials of the United Nations met on Monday."
        let annotation = try Self.annotate("Global Conference on Counter-Terrorism", in: text)
        let edited = Document(text: text.replacingOccurrences(of: "Top officials", with: "Senior officials"))
        #expect(Reanchoring.isInPlace(annotation, in: edited))
        let result = Reanchoring.reanchor([annotation], in: edited)
        #expect(result.anchored == [annotation] && result.moved == 0)
    }

    @Test("the words before a sentence and its first words edited, its suffix kept: the ≈ place starts at the sentence")
    func approximateStartOnWord() throws {
        let text = "Talks ended late on Monday. The minister said the deal was close. Reporters waited outside."
        let annotation = try Self.annotate("The minister said the deal was close.", in: text)
        let editedText = "After a long night of talks: The interior minister said the deal was close. Reporters waited outside."
        let edited = Document(text: editedText)
        let result = Reanchoring.reanchor([annotation], in: edited)
        #expect(result.approximate == 1)
        let placed = try #require(result.anchored.first)
        #expect(placed.quote == "The interior minister said the deal was close.")
        #expect(edited.text(in: placed.range) == placed.quote)
    }

    @Test("the quote's last words edited, its prefix kept: the ≈ place covers them, without a trailing space")
    func approximateEndOnWord() throws {
        let text = "Talks ended late on Monday. The minister said the deal was close. Reporters waited outside."
        let annotation = try Self.annotate("The minister said the deal was close.", in: text)
        let editedText = "Talks ended late on Monday. The minister said the deal was nearly done. Journalists waited outside."
        let edited = Document(text: editedText)
        let result = Reanchoring.reanchor([annotation], in: edited)
        #expect(result.approximate == 1)
        let placed = try #require(result.anchored.first)
        #expect(placed.quote == "The minister said the deal was nearly done.")
    }

    // MARK: - Property

    /// A seeded generator (SplitMix64), so a failing case can be replayed.
    struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
        mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
    }

    static let names = ["Maria", "Karim"]
    static let words = ["the", "envoy", "signed", "accord", "later", "met", "minister", "in", "Valmora", "talks",
                        "and", "said", "border", "report", "agreed", "council", "on", "Monday", "with", "press"]

    @Test("400 random texts with repeated names, random edits around one copy: placed where its quote and context are, or orphaned, never on another copy")
    func neverOnAnotherCopy() throws {
        var random = Generator(state: 20_261_130)
        var placedCount = 0, orphanCount = 0, approximateCount = 0
        for _ in 0..<400 {
            // a text of sentences, each naming someone; a name recurs
            var tokens: [String] = []
            for _ in 0..<(6 + random.below(8)) {
                var sentence = (0..<(2 + random.below(5))).map { _ in random.pick(Self.words) }
                sentence.insert(random.pick(Self.names), at: random.below(sentence.count + 1))
                tokens += sentence
                tokens[tokens.count - 1] += "."
            }
            let nameIndices = tokens.indices.filter { token in Self.names.contains { tokens[token].hasPrefix($0) } }
            let target = random.pick(nameIndices)
            let name = Self.names.first { tokens[target].hasPrefix($0) }!
            let copies = nameIndices.filter { tokens[$0].hasPrefix(name) }
            guard copies.count > 1 else { continue }
            let text = tokens.joined(separator: " ")
            // the name alone, or the name and the words after it in its sentence
            var last = target
            if random.below(2) == 0 {
                while last < min(tokens.count - 1, target + 3), !tokens[last].hasSuffix(".") { last += 1 }
            }
            let quoteText = last == target ? name : tokens[target...last].joined(separator: " ")
            let start = tokens[..<target].joined(separator: " ").unicodeScalars.count + (target > 0 ? 1 : 0)
            let annotation = Annotation(document: Document(text: text), range: start..<(start + quoteText.unicodeScalars.count),
                                        tags: [], id: "a")
            #expect(annotation.quote == quoteText)

            // edit words around the annotated copy, which may remove or change it too
            var edited = tokens
            var quoteKept = true
            var contextKeptBefore = true, contextKeptAfter = true
            let low = max(0, target - 3), high = min(edited.count - 1, last + 3)
            for _ in 0..<(1 + random.below(3)) {
                let position = low + random.below(high - low + 1)
                let action = random.below(3)
                if position == target {
                    quoteKept = false
                    edited[position] = action == 0 ? "she" : action == 1 ? "" : random.pick(["Mari", "Karima", "Anatole", "Wei"])
                } else {
                    if position < target { contextKeptBefore = false } else if position > last { contextKeptAfter = false } else { quoteKept = false }
                    edited[position] = action == 0 ? random.pick(Self.words) : action == 1 ? "" : random.pick(Self.words) + " " + random.pick(Self.words)
                }
            }
            // sometimes a lead is inserted, which shifts every offset
            let lead = random.below(4) == 0 ? "A new lead sentence. " : ""
            let editedText = lead + edited.filter { !$0.isEmpty }.joined(separator: " ")
            let document = Document(text: editedText)
            // where the annotated copy is now, when it survived
            let before = lead + edited[..<target].filter { !$0.isEmpty }.joined(separator: " ")
            let copyStart = before.unicodeScalars.count + (before.isEmpty || before == lead ? 0 : 1)
            let editedRegion: Range<Int> = {
                let first = lead + edited[..<low].filter { !$0.isEmpty }.joined(separator: " ")
                let through = lead + edited[...high].filter { !$0.isEmpty }.joined(separator: " ")
                return max(0, first.unicodeScalars.count - 1)..<(through.unicodeScalars.count + 1)
            }()

            let result = Reanchoring.reanchor([annotation], in: document)
            let context = "text: \(text)\nedited: \(editedText)"
            // copies of the quote that keep a side of the annotation's context
            let scalars = Array(editedText.unicodeScalars), quote = Array(annotation.quote.unicodeScalars)
            let exactCopies = (0..<max(0, scalars.count - quote.count + 1)).filter { scalars[$0..<($0 + quote.count)].elementsEqual(quote) }
            let withContext = exactCopies.filter { offset in
                // at the recorded offsets the context may have been edited a little
                if offset == annotation.start && Reanchoring.isInPlace(annotation, in: document) { return true }
                return Reanchoring.compareContext(annotation.prefix.unicodeScalars.reversed(), scalars[..<offset].reversed()) == .matches
                    || Reanchoring.compareContext(annotation.suffix.unicodeScalars, scalars[(offset + quote.count)...]) == .matches
            }
            if let placed = result.anchored.first {
                placedCount += 1
                #expect(document.text(in: placed.range) == placed.quote, "\(context)")
                if result.approximate == 0 {
                    // an exact place keeps some of its context, or is the only copy of a quote
                    // of 16 code points or more; and is the annotated copy or lies among the
                    // edited words, never another copy further away
                    let alone = exactCopies == [placed.start] && quote.count >= Reanchoring.uniqueQuoteLength
                    #expect(withContext.contains(placed.start) || (alone && result.byQuoteAloneIDs == ["a"]), "\(context)")
                    #expect(placed.start == copyStart || editedRegion.contains(placed.start), "\(context)")
                } else {
                    // an approximate one covers edited words where the copy was, whole words
                    approximateCount += 1
                    #expect(placed.range.overlaps(editedRegion), "\(context)")
                    let letter = { (offset: Int) in scalars.indices.contains(offset) && scalars[offset].properties.isAlphabetic }
                    #expect(!(letter(placed.start - 1) && letter(placed.start)) && !(letter(placed.end - 1) && letter(placed.end)), "\(context)")
                }
            } else {
                orphanCount += 1
                // the annotated copy, kept with a side of its context and without a rival
                // that has some of it, is found again
                let alone = withContext == [copyStart]
                #expect(!(quoteKept && (contextKeptBefore || contextKeptAfter) && alone), "\(context)")
            }
        }
        #expect(placedCount > 50 && orphanCount > 50 && approximateCount > 10,
                "placed \(placedCount), approximately \(approximateCount), orphaned \(orphanCount)")
    }
}

/// A store's records placed only where their offsets are valid in the text.
@Suite struct PlacementValidityTests {
    /// `annotations` in a store recorded for `text` itself.
    static func contents(_ annotations: [Annotation], of text: String) -> StoreContents {
        let document = Document(text: text)
        return StoreContents(annotations: annotations, document: StoredDocument(path: "a.txt", sha256: document.sha256, length: document.length))
    }

    static func record(_ id: String, _ range: Range<Int>, in text: String) -> Annotation {
        let scalars = Array(text.unicodeScalars)
        func string(_ part: Range<Int>) -> String {
            var view = String.UnicodeScalarView()
            view.append(contentsOf: scalars[max(0, part.lowerBound)..<min(scalars.count, part.upperBound)])
            return String(view)
        }
        return Annotation(id: id, start: range.lowerBound, end: range.upperBound, quote: string(range),
                          prefix: string((range.lowerBound - 32)..<range.lowerBound), suffix: string(range.upperBound..<(range.upperBound + 32)),
                          tags: [], note: "", author: "x", created: "c", modified: "m")
    }

    static let text = "The mechanic \u{1F468}\u{200D}\u{1F527} came. Слово ва\u{301}жно. Sing \u{303D}\u{FE0F} now."

    /// Code point offset of `needle` in ``text``.
    static func offset(of needle: String) -> Int {
        text.unicodeScalars.distance(from: text.startIndex, to: text.range(of: needle)!.lowerBound)
    }

    @Test("a record whose start or end falls inside a grapheme cluster is invalid, with the reason, never placed or exported as is")
    func insideCluster() throws {
        let man = Self.text.unicodeScalars.firstIndex(of: "\u{1F468}")!
        let manOffset = Self.text.unicodeScalars.distance(from: Self.text.unicodeScalars.startIndex, to: man)
        let cyrillic = Self.offset(of: "ва\u{301}") + 1
        let mark = Self.text.unicodeScalars.distance(from: Self.text.unicodeScalars.startIndex, to: Self.text.unicodeScalars.firstIndex(of: "\u{303D}")!)
        let records = [
            Self.record("end-in-emoji", (manOffset - 4)..<(manOffset + 1), in: Self.text),
            Self.record("start-in-emoji", (manOffset + 1)..<(manOffset + 9), in: Self.text),
            Self.record("end-in-accent", (cyrillic - 1)..<(cyrillic + 1), in: Self.text),
            Self.record("end-in-variation", (mark - 5)..<(mark + 1), in: Self.text),
            Self.record("whole", manOffset..<(manOffset + 3), in: Self.text),
        ]
        let document = Document(text: Self.text)
        // the quotes are at the recorded offsets, so only the cluster check tells
        for record in records { #expect(document.text(in: record.range) == record.quote) }
        let placed = Reanchoring.place(Self.contents(records, of: Self.text), in: document)
        #expect(placed.contents.annotations.map(\.id) == ["whole"])
        #expect(placed.moved == 0 && placed.contents.orphans.isEmpty)
        #expect(placed.contents.quarantined.map(\.id) == ["end-in-emoji", "start-in-emoji", "end-in-accent", "end-in-variation"])
        #expect(placed.contents.quarantined.map(\.reason) == [
            "end \(manOffset + 1) falls inside a grapheme cluster, between U+1F468 and U+200D",
            "start \(manOffset + 1) falls inside a grapheme cluster, between U+1F468 and U+200D",
            "end \(cyrillic + 1) falls inside a grapheme cluster, between U+0430 and U+0301",
            "end \(mark + 1) falls inside a grapheme cluster, between U+303D and U+FE0F",
        ])
        // written back as they were read
        let reread = try StoreCodec.decode(try StoreCodec.encode(placed.contents), path: "a.gloss.json")
        #expect(reread.annotations.map(\.id).sorted() == records.map(\.id).sorted())
        // exports take the placed annotations only
        let w3c = try W3CExporter.export(document: document, annotations: placed.contents.annotations)
        #expect(!w3c.contains("end-in-emoji"))
    }

    @Test("with the text changed, a record whose offsets now split a cluster is placed on whole clusters or orphaned, never as is")
    func insideClusterChangedText() throws {
        let man = Self.offset(of: "\u{1F468}")
        let record = Self.record("end-in-emoji", (man - 4)..<(man + 1), in: Self.text)
        var contents = Self.contents([record], of: Self.text)
        contents.document?.sha256 = String(repeating: "0", count: 64)
        let document = Document(text: Self.text)
        let placed = Reanchoring.place(contents, in: document)
        #expect(placed.contents.quarantined.isEmpty)
        for annotation in placed.contents.annotations {
            #expect(Reanchoring.isClusterBoundary(annotation.start, in: document) && Reanchoring.isClusterBoundary(annotation.end, in: document))
        }
        #expect(!placed.contents.annotations.contains { $0.range == record.range })
    }

    @Test("the cluster check reads a few code points around each offset, widening through a run of flags")
    func clusterBoundaryWindow() {
        let flags = String(repeating: "\u{1F1EB}\u{1F1F7}", count: 200)
        let document = Document(text: "Flags: " + flags + " end")
        #expect(Reanchoring.isClusterBoundary(7 + 300, in: document))
        #expect(!Reanchoring.isClusterBoundary(7 + 301, in: document))
        #expect(Reanchoring.isClusterBoundary(7 + 400, in: document))
        #expect(!Reanchoring.isClusterBoundary(1, in: Document(text: "\r\n")))
        #expect(Reanchoring.isClusterBoundary(0, in: Document(text: "\u{301}a")))
    }

    @Test("with the text unchanged, a quote at its offsets stays there even when the stored context is another text's")
    func unchangedTextTrustsOffsets() throws {
        let text = "Maria spoke first. Maria spoke again."
        var record = Self.record("second", 19..<24, in: text)
        record.prefix = "a different opening line, and "
        record.suffix = " left the room at once, unseen."
        let document = Document(text: text)
        let placed = Reanchoring.place(Self.contents([record], of: text), in: document)
        #expect(placed.contents.annotations == [record] && placed.moved == 0 && placed.orphaned == 0)
        // with another text recorded, the same record has none of its context there
        var changed = Self.contents([record], of: text)
        changed.document?.sha256 = String(repeating: "0", count: 64)
        #expect(Reanchoring.place(changed, in: document).orphaned == 1)
    }

    @Test("orphans are tried again: one whose quote is back is placed, one still missing stays an orphan")
    func orphansTriedAgain() throws {
        let text = "Maria spoke first. Maria spoke again."
        let back = Self.record("back", 0..<18, in: text)
        var missing = Self.record("missing", 19..<24, in: text)
        missing.quote = "Zoltan"
        let placed = Reanchoring.place(StoreContents(orphans: [back, missing], document: Self.contents([], of: text).document),
                                       in: Document(text: text))
        #expect(placed.contents.annotations.map(\.id) == ["back"])
        #expect(placed.contents.orphans.map(\.id) == ["missing"])
        #expect(placed.orphaned == 0)
    }

    @Test("with the text unchanged, a record whose end lies past the text is invalid, never shortened and rewritten")
    func endPastText() throws {
        let text = "Critics warned about surveillance."
        var record = Self.record("past", 8..<text.unicodeScalars.count, in: text)
        record.end += 10
        let document = Document(text: text)
        // the stored length says the text is longer: only the text itself shows the end is past it
        var contents = Self.contents([record], of: text)
        contents.document?.length += 10
        let placed = Reanchoring.place(contents, in: document)
        #expect(placed.contents.annotations.isEmpty && placed.moved == 0)
        #expect(placed.contents.quarantined.map(\.reason) == ["offsets 8..<44 lie outside the text's 34 code points"])
        #expect(placed.contents.quarantined.first?.record["end"] == .integer(44))
    }
}
