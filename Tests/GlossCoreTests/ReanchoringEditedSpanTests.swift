import Foundation
@testable import GlossCore
import Testing

/// Annotations on the seed article whose own words were edited: an approximate place runs
/// from where the prefix ends to where the suffix starts when both stand unedited, so text
/// typed into a span widens it rather than pushing its last words out.
@Suite struct ReanchoringEditedSpanTests {
    /// The seed article, `../shared/corpus` from the package root.
    static func seed() throws -> String {
        let corpus = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("shared/corpus")
        return try String(contentsOfFile: corpus.appendingPathComponent("seed-counter-terrorism-conference.txt").path, encoding: .utf8)
    }

    static let voice = "a professional voice. Vladimir"
    static let civil = "and civil society representatives"

    /// A store of annotations on `quotes` in the seed article placed in the article
    /// changed by `edits` (each target replaced once by its replacement).
    static func placed(_ quotes: [String], edits: [(String, String)]) throws
        -> (placement: Reanchoring.Placement, original: [Annotation], edited: Document) {
        let text = try seed()
        let original = Document(text: text)
        let annotations = try quotes.enumerated().map { try annotation(on: $0.element, in: original, id: "q\($0.offset)") }
        var editedText = text
        for (target, replacement) in edits {
            let range = try #require(editedText.range(of: target), "\(target) in the seed article")
            editedText.replaceSubrange(range, with: replacement)
        }
        let edited = Document(text: editedText)
        let store = StoreContents(annotations: annotations,
                                  document: StoredDocument(path: "seed.txt", sha256: original.sha256, length: original.length))
        return (Reanchoring.place(store, in: edited), annotations, edited)
    }

    /// The one annotation `quote` placed after `edits`, and whether it was placed approximately.
    static func placedOne(_ quote: String, edits: [(String, String)]) throws -> (Annotation, approximate: Bool, Document) {
        let (placement, _, edited) = try placed([quote], edits: edits)
        #expect(placement.contents.orphans.isEmpty)
        let found = try #require(placement.contents.annotations.first)
        #expect(edited.text(in: found.range) == found.quote)
        return (found, placement.approximateIDs.contains(found.id), edited)
    }

    @Test("a sentence and paragraph inserted inside a span: the span widens over them and keeps its last word")
    func paragraphInsertedInside() throws {
        let (found, approximate, _) = try Self.placedOne(Self.voice, edits: [
            ("voice. Vladimir", "voice. A new first sentence about the conference.\n\nVladimir")])
        #expect(found.quote == "a professional voice. A new first sentence about the conference.\n\nVladimir")
        #expect(approximate)
        #expect(found.suffix.hasPrefix(" Voronkov, Under-Secretary"))
    }

    @Test("a clause typed into the middle of a span's last word: the span keeps the word's tail")
    func clauseTypedInsideWord() throws {
        let (found, approximate, _) = try Self.placedOne(Self.civil, edits: [
            ("representatives would", "represent An inserted clause here. atives would")])
        #expect(found.quote == "and civil society represent An inserted clause here. atives")
        #expect(approximate)
    }

    @Test("both edits in one text, both annotations in one store: each widened, none orphaned or dropped")
    func bothEditsOneStore() throws {
        let (placement, original, _) = try Self.placed([Self.civil, Self.voice], edits: [
            ("representatives would", "represent An inserted clause here. atives would"),
            ("voice. Vladimir", "voice. A new first sentence about the conference.\n\nVladimir")])
        #expect(placement.contents.orphans.isEmpty && placement.contents.annotations.count == original.count)
        #expect(placement.approximate == 2 && placement.moved == 2)
        let quotes = Dictionary(uniqueKeysWithValues: placement.contents.annotations.map { ($0.id, $0.quote) })
        #expect(quotes["q0"] == "and civil society represent An inserted clause here. atives")
        #expect(quotes["q1"] == "a professional voice. A new first sentence about the conference.\n\nVladimir")
    }

    @Test("a word deleted inside a span: the span shrinks to what is left")
    func wordDeletedInside() throws {
        let (found, approximate, _) = try Self.placedOne(Self.civil, edits: [("and civil society", "and society")])
        #expect(found.quote == "and society representatives")
        #expect(approximate)
    }

    @Test("a word inside a span replaced by a longer one: the span covers the new word")
    func wordReplaced() throws {
        let (found, approximate, _) = try Self.placedOne(Self.civil, edits: [("and civil society", "and business society")])
        #expect(found.quote == "and business society representatives")
        #expect(approximate)
    }

    @Test("words inserted at a span's start or end stay outside it: the quote is found exactly")
    func insertedAtTheEdges() throws {
        for edit in [("experts and civil", "experts, with many others, and civil"),
                     ("representatives would", "representatives from twelve countries would")] {
            let (placement, original, edited) = try Self.placed([Self.civil], edits: [edit])
            let found = try #require(placement.contents.annotations.first, "\(edit.1)")
            #expect(found.quote == Self.civil && placement.approximate == 0, "\(edit.1)")
            let shift = edit.0.hasPrefix("experts") ? edit.1.unicodeScalars.count - edit.0.unicodeScalars.count : 0
            #expect(found.start == original[0].start + shift && edited.text(in: found.range) == Self.civil, "\(edit.1)")
        }
    }

    @Test("an insertion inside a span longer than the bound does not widen it past twice the quote")
    func insertionBeyondTheBound() throws {
        let long = String(repeating: "A long inserted passage about something else entirely. ", count: 4)
        let (placement, _, edited) = try Self.placed([Self.civil], edits: [("representatives would", "represent " + long + "atives would")])
        // nothing dropped: placed within the bound, or an orphan
        #expect(placement.contents.annotations.count + placement.contents.orphans.count == 1)
        let limit = 2 * Self.civil.unicodeScalars.count + Annotation.contextLength
        for found in placement.contents.annotations {
            #expect(found.quote.unicodeScalars.count <= limit && !found.quote.contains("atives"))
            #expect(edited.text(in: found.range) == found.quote)
        }
    }

    @Test("the article twice, the same clause typed into both copies: the annotation stays in its own copy")
    func editedInBothCopies() throws {
        let text = try Self.seed()
        let original = Document(text: text + "\n" + text)
        let annotation = try annotation(on: Self.civil, occurrence: 1, in: original, id: "second")
        let editedText = (text + "\n" + text).replacingOccurrences(of: "representatives would", with: "represent An inserted clause here. atives would")
        let edited = Document(text: editedText)
        let store = StoreContents(annotations: [annotation], document: StoredDocument(path: "a.txt", sha256: original.sha256, length: original.length))
        let placement = Reanchoring.place(store, in: edited)
        let found = try #require(placement.contents.annotations.first)
        #expect(found.quote == "and civil society represent An inserted clause here. atives")
        // the clause typed into the first copy moved the second by its length
        let shift = "represent An inserted clause here. atives".unicodeScalars.count - "representatives".unicodeScalars.count
        #expect(found.start == annotation.start + shift, "placed at \(found.start), not in the second copy")
    }
}
