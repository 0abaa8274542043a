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
                          tags: [GlossCore.Tag(category: "actor", value: "x")], id: "id-\(quote.prefix(5))-\(occurrence)")
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

    @Test("a word inside the quote changed: orphan, kept unchanged")
    func wordChanged() throws {
        let annotation = try annotate("Critics warned about speech.", in: Document(text: Self.original))
        let edited = Document(text: Self.original.replacingOccurrences(of: "warned", with: "cautioned"))
        let result = Reanchoring.reanchor([annotation], in: edited)
        #expect(result.orphans == [annotation] && result.anchored.isEmpty)
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
        // the annotated (second, lower-case) occurrence is edited away; only the first copy remains
        let edited = Document(text: Self.original.replacingOccurrences(of: "Officials said the forum agreed to share watch lists again", with: "Officials said the council agreed to share watch lists again"))
        let result = Reanchoring.reanchor([second], in: edited)
        #expect(result.orphans == [second])
        // with a paragraph inserted above instead, it follows its own context
        let shifted = Document(text: "New lead.\n\n" + Self.original)
        let moved = Reanchoring.reanchor([second], in: shifted)
        let placed = try #require(moved.anchored.first)
        #expect(shifted.text(in: (placed.start - 15)..<placed.start) == "Officials said ")
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
