import Foundation
@testable import GlossCore
import Testing

/// Annotations made on one text, checked against an edited copy of it.
@Suite struct ReanchoringTests {
    static let original = """
    Ministers met in Valmora.

    The forum agreed to share watch lists. Officials said the forum agreed to share watch lists again next year.

    Critics warned about speech.
    """

    func annotate(_ quote: String, occurrence: Int = 0, in document: Document) throws -> Annotation {
        try annotation(on: quote, occurrence: occurrence, in: document, id: "id-\(quote.prefix(5))-\(occurrence)")
    }

    @Test("unchanged text: nothing moves")
    func unchanged() throws {
        let document = Document(text: Self.original)
        let annotation = try annotate("Critics warned", in: document)
        let result = Reanchoring.reanchor([annotation], in: document)
        #expect(result.anchored == [annotation] && result.moved == 0 && result.orphans.isEmpty)
    }

    @Test("a paragraph inserted above: the span moves to its quote")
    func paragraphInserted() throws {
        let annotation = try annotate("Critics warned about speech.", in: Document(text: Self.original))
        let edited = Document(text: "Breaking: a new paragraph 👍🏽.\n\n" + Self.original)
        let result = Reanchoring.reanchor([annotation], in: edited)
        #expect(result.moved == 1 && result.orphans.isEmpty)
        let placed = try #require(result.anchored.first)
        #expect(edited.text(in: placed.range) == "Critics warned about speech.")
        #expect(placed.start == annotation.start + "Breaking: a new paragraph 👍🏽.\n\n".unicodeScalars.count)
    }

    @Test("a word inside the quote changed: the annotation follows its edited sentence")
    func wordChanged() throws {
        let annotation = try annotate("Critics warned about speech.", in: Document(text: Self.original))
        let editedText = Self.original.replacingOccurrences(of: "warned", with: "cautioned")
        let edited = Document(text: editedText)
        let result = Reanchoring.reanchor([annotation], in: edited)
        #expect(result.moved == 1 && result.approximate == 1 && result.orphans.isEmpty)
        let placed = try #require(result.anchored.first)
        #expect(placed.quote == "Critics cautioned about speech." && edited.text(in: placed.range) == placed.quote)
        #expect(placed.start == scalarOffset(of: "Critics", in: editedText) && placed.end == edited.length)
        #expect(placed.prefix == annotation.prefix && placed.suffix == "")
        #expect(placed.id == annotation.id && placed.tags == annotation.tags)
    }

    @Test("the annotated sentence deleted: orphan")
    func sentenceDeleted() throws {
        let annotation = try annotate("Ministers met in Valmora.", in: Document(text: Self.original))
        let edited = Document(text: Self.original.replacingOccurrences(of: "Ministers met in Valmora.\n\n", with: ""))
        #expect(Reanchoring.reanchor([annotation], in: edited).orphans == [annotation])
    }

    @Test("a phrase that occurs twice stays with its context and never jumps to the other copy")
    func twiceWithContext() throws {
        let document = Document(text: Self.original)
        let second = try annotate("the forum agreed to share watch lists", occurrence: 0, in: document)
        // the annotated (second, lower-case) occurrence is edited; the first copy, one letter off, remains
        let editedText = Self.original.replacingOccurrences(of: "Officials said the forum agreed to share watch lists again", with: "Officials said the council agreed to share watch lists again")
        let edited = Document(text: editedText)
        let result = Reanchoring.reanchor([second], in: edited)
        let placed = try #require(result.anchored.first, "expected it to stay with its context")
        #expect(edited.text(in: placed.range) == "the council agreed to share watch lists")
        #expect(placed.start == scalarOffset(of: "the council", in: editedText))
        #expect(result.approximate == 1 && result.orphans.isEmpty)
        // with a paragraph inserted above instead, it follows its own context
        let shifted = Document(text: "New lead.\n\n" + Self.original)
        let moved = Reanchoring.reanchor([second], in: shifted)
        let follows = try #require(moved.anchored.first)
        #expect(shifted.text(in: (follows.start - 15)..<follows.start) == "Officials said ")
        #expect(moved.approximate == 0)
    }

    @Test("an exact copy elsewhere does not take an annotation whose own words were edited")
    func exactCopyElsewhere() throws {
        let text = "Officials said the forum agreed to share watch lists again next year.\n\nIn March the forum agreed to share watch lists, a diplomat recalled."
        let annotation = try annotate("the forum agreed to share watch lists", in: Document(text: text))
        let editedText = text.replacingOccurrences(of: "said the forum", with: "said the council")
        let edited = Document(text: editedText)
        let result = Reanchoring.reanchor([annotation], in: edited)
        let placed = try #require(result.anchored.first)
        #expect(edited.text(in: placed.range) == "the council agreed to share watch lists")
        #expect(placed.start == scalarOffset(of: "the council", in: editedText) && result.approximate == 1)
    }

    @Test("a short quote with a letter and its context changed: orphan; with its context kept: follows")
    func shortQuote() throws {
        let text = "The index is hosted by the secretariat in Port Asmer for all members.\n\nAsmar is another town."
        let annotation = try annotate("Asmer", in: Document(text: text))
        let both = Document(text: text.replacingOccurrences(of: "in Port Asmer for all", with: "at Port Azmer for most"))
        #expect(Reanchoring.reanchor([annotation], in: both).orphans == [annotation])
        let letterOnly = Document(text: text.replacingOccurrences(of: "Asmer", with: "Azmer"))
        let result = Reanchoring.reanchor([annotation], in: letterOnly)
        #expect(result.approximate == 1 && result.anchored.first.map { letterOnly.text(in: $0.range) } == "Azmer")
    }

    @Test("a quote rewritten beyond the bound: orphan even with its context intact")
    func rewrittenBeyondBound() throws {
        let annotation = try annotate("Critics warned about speech.", in: Document(text: Self.original))
        let edited = Document(text: Self.original.replacingOccurrences(of: "Critics warned about speech.", with: "Opponents objected to new rules."))
        let result = Reanchoring.reanchor([annotation], in: edited)
        #expect(result.orphans == [annotation] && result.anchored.isEmpty)
    }

    @Test("a paragraph inserted above and a word changed: placed over the edited words")
    func insertedAndChanged() throws {
        let annotation = try annotate("the forum agreed to share watch lists again next year", in: Document(text: Self.original))
        let lead = "Update: the ministers met again on Friday.\n\n"
        let editedText = lead + Self.original.replacingOccurrences(of: "again next year", with: "again next spring")
        let edited = Document(text: editedText)
        let result = Reanchoring.reanchor([annotation], in: edited, recordedLength: Document(text: Self.original).length)
        #expect(result.moved == 1 && result.approximate == 1 && result.orphans.isEmpty)
        let placed = try #require(result.anchored.first)
        #expect(placed.quote == "the forum agreed to share watch lists again next spring")
        #expect(placed.start == annotation.start + lead.unicodeScalars.count)
        #expect(edited.text(in: placed.range) == placed.quote)
    }

    @Test("Chinese and emoji quotes with a change: placed over whole characters")
    func cjkAndEmoji() throws {
        let chinese = "部长们在瓦尔莫拉开会。论坛同意共享观察名单。批评者对言论自由表示担忧。"
        let annotation = try annotate("论坛同意共享观察名单。", in: Document(text: chinese))
        let editedChinese = Document(text: chinese.replacingOccurrences(of: "同意", with: "决定"))
        let result = Reanchoring.reanchor([annotation], in: editedChinese)
        #expect(result.approximate == 1 && result.anchored.first?.quote == "论坛决定共享观察名单。")
        #expect(result.anchored.first?.start == 11)

        let emoji = "Reactions: 👩‍👩‍👧 families welcomed the plan 👍 today, others 🎉 loudly.\n"
        let family = try annotate("👩‍👩‍👧 families welcomed the plan 👍", in: Document(text: emoji))
        // another child in the family, and a skin tone where the quote ends
        let editedEmoji = emoji.replacingOccurrences(of: "👩‍👩‍👧", with: "👩‍👩‍👧‍👦").replacingOccurrences(of: "👍", with: "👍🏽")
        let document = Document(text: editedEmoji)
        let moved = Reanchoring.reanchor([family], in: document)
        let placed = try #require(moved.anchored.first)
        #expect(placed.quote == "👩‍👩‍👧‍👦 families welcomed the plan 👍🏽")
        #expect(placed.start == scalarOffset(of: "👩‍👩‍👧‍👦", in: editedEmoji) && document.text(in: placed.range) == placed.quote)
        // with the words after it changed too, the window search finds it and widens its end
        // past the skin tone rather than split the emoji
        let alsoAfter = Document(text: editedEmoji.replacingOccurrences(of: "today, others", with: "yesterday, some"))
        let widened = try #require(Reanchoring.reanchor([family], in: alsoAfter).anchored.first)
        #expect(widened.quote == "👩‍👩‍👧‍👦 families welcomed the plan 👍🏽")
    }

    @Test("the annotated sentence deleted while a similar one remains elsewhere: orphan")
    func deletedWithSimilarElsewhere() throws {
        let text = "The ministers warned about online speech.\n\nTrade was discussed at length.\n\nLater, the ministers warned about online hate speech.\n"
        let annotation = try annotate("The ministers warned about online speech.", in: Document(text: text))
        let edited = Document(text: text.replacingOccurrences(of: "The ministers warned about online speech.\n\n", with: ""))
        let result = Reanchoring.reanchor([annotation], in: edited)
        #expect(result.orphans == [annotation] && result.anchored.isEmpty)
    }

    @Test("a 2 MB document: the approximate search reads a bounded window, not the whole text")
    func boundedWindow() throws {
        var text = ""
        var item = 0
        while text.utf8.count < 2_000_000 {
            text += "Item \(item): the delegates of region \(item % 97) reviewed report \(item * 7) and agreed to publish it.\n\n"
            item += 1
        }
        let quote = "the delegates of region 9 reviewed report 70000 and agreed"
        let original = Document(text: text)
        let annotation = try annotate(quote, in: original)
        // half a megabyte inserted above; a word of the quote and the text after it edited
        let block = String(repeating: "Background paragraph without the words.\n\n", count: 12_000)
        let editedText = block + text.replacingOccurrences(of: quote + " to publish it.", with: "the delegates of region 9 examined report 70000 and agreed, reluctantly, to publish")
        let edited = Document(text: editedText)
        let result = Reanchoring.reanchor([annotation], in: edited, recordedLength: original.length)
        let placed = try #require(result.anchored.first)
        #expect(placed.quote == "the delegates of region 9 examined report 70000 and agreed")
        #expect(placed.start == scalarOffset(of: "the delegates of region 9 examined", in: editedText))
        let m = quote.unicodeScalars.count
        // the windows, plus refining a bounded number of places
        #expect(result.comparedCells <= (Reanchoring.windowLimit + Reanchoring.candidateLimit * 8 * m) * (m + 1))
        #expect(result.comparedCells * 10 < edited.length * m)
    }

    @Test("a long edited paragraph follows its words; a quote too long for the budget is left an orphan")
    func longQuotes() throws {
        let words = ["ministers", "agreed", "watch", "lists", "forum", "border", "report", "funds", "police", "platform", "review", "secretariat"]
        var seed: UInt64 = 7
        func paragraph(_ count: Int) -> String {
            (0..<count).map { _ in
                seed = seed &* 6364136223846793005 &+ 1442695040888963407
                return words[Int(seed >> 33) % words.count]
            }.joined(separator: " ") + "."
        }
        let long = paragraph(200), tooLong = paragraph(1_000)
        let text = "Opening line.\n\n" + long + "\n\n" + tooLong + "\n\nClosing line.\n"
        let document = Document(text: text)
        let first = try annotate(long, in: document), second = try annotate(tooLong, in: document)
        #expect(long.unicodeScalars.count > 1_000 && tooLong.unicodeScalars.count > 5_000)
        let edit = { (paragraph: String) in "Inserted. " + paragraph.dropFirst(20) }
        let edited = Document(text: "Opening line.\n\n" + edit(long) + "\n\n" + edit(tooLong) + "\n\nClosing line.\n")
        let result = Reanchoring.reanchor([first, second], in: edited)
        #expect(result.anchored.map(\.quote) == [edit(long)] && result.orphans == [second])
        #expect(result.comparedCells <= Reanchoring.cellBudget)
    }

    /// The code-point offset of the first `needle` in `text`.
    func scalarOffset(of needle: String, in text: String) -> Int {
        guard let range = text.range(of: needle) else { return -1 }
        return text.unicodeScalars.distance(from: text.startIndex, to: range.lowerBound)
    }

    @Test("a text re-saved in another normalisation form: found by canonical equivalence, offsets in the new text")
    func normalisationChanged() throws {
        let decomposed = "Le caf\u{65}\u{301} de la Re\u{301}publique.\n\nLes ministres se sont re\u{301}unis au cafe\u{301} ce matin."
        let annotation = try annotate("re\u{301}unis au cafe\u{301}", in: Document(text: decomposed))
        let composed = decomposed.precomposedStringWithCanonicalMapping
        #expect(composed.unicodeScalars.count < decomposed.unicodeScalars.count)
        let edited = Document(text: composed)
        let result = Reanchoring.reanchor([annotation], in: edited)
        #expect(result.moved == 1 && result.orphans.isEmpty)
        let placed = try #require(result.anchored.first)
        #expect(placed.quote.unicodeScalars.elementsEqual("r\u{E9}unis au caf\u{E9}".unicodeScalars))
        #expect(edited.text(in: placed.range).unicodeScalars.elementsEqual(placed.quote.unicodeScalars))
    }
}

/// An actor annotation with `id` on the `occurrence`-th copy (from 0) of `quote` in
/// `document`, with the prefix and suffix the reader would record.
func annotation(on quote: String, occurrence: Int = 0, in document: Document, id: String) throws -> Annotation {
    let text = document.text
    var searchStart = text.startIndex
    var found: Range<String.Index>?
    for _ in 0...occurrence {
        found = text.range(of: quote, range: searchStart..<text.endIndex)
        searchStart = try #require(found).upperBound
    }
    let range = try #require(found)
    let start = text.unicodeScalars.distance(from: text.startIndex, to: range.lowerBound)
    return Annotation(document: document, range: start..<(start + quote.unicodeScalars.count),
                      tags: [GlossCore.Tag(category: "actor", value: "x")], id: id)
}
