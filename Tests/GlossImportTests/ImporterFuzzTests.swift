import Foundation
import GlossCore
@testable import GlossImport
import GlossTestSupport
import Testing

/// Every importer on thousands of random and truncated inputs (seeded, so a failure can be
/// replayed): each input either gives well-formed text or throws an ``ImportError`` or a
/// ``DocumentError``, and nothing crashes.
@Suite struct ImporterFuzzTests {
    /// Pieces random markup is made of: tags, entities, Markdown syntax, shortcodes, front
    /// matter fences, white space, controls and text in several scripts.
    static let pieces: [String] = [
        "<p>", "</p>", "<div>", "</div>", "<li>", "<ul>", "</ul>", "<pre>", "</pre>", "<br>", "<h1>", "</h1>", "<h3 class=\"x\">",
        "<article>", "</article>", "<main>", "<nav>", "</nav>", "<script>", "</script>", "<style>", "<!--", "-->", "<![CDATA[",
        "]]>", "<title>", "</title>", "<td>", "<table>", "<blockquote>", "<a href=\"x\">", "</a>", "<div id=\"comments\">",
        "<p hidden>", "<svg>", "<", ">", "&amp;", "&#8220;", "&#x1F30D;", "&nbsp;", "&bogus;", "&#0;", "&#xD800;", "<?xml ?>",
        "<!DOCTYPE html>", "\"", "'", "=", "<menu>", "<div role=\"navigation\">", "<ul class=\"main-menu\">", "<span aria-hidden=\"true\">",
        "<br><br>", "<div class=\"nav\"><p>", "\n| a | b |\n|---|:-:|\n", "| c |", "~~", "</script>", "<br>",
        "# ", "## ", "\n===\n", "\n---\n", "---\n", "+++\n", "...\n", "* ", "- ", "1. ", "> ", "```", "~~~", "    ", "`", "**", "_",
        "[", "](", ")", "![", "<span>", "\\", "{{<", ">}}", "{{%", "%}}", "{{</*", "*/>}}", "|", "---|",
        "\n", "\n\n", "\r\n", "\t", " ", "  ", "\u{0C}", "\u{0B}", "\u{0001}", "\u{001B}[31m", "\u{00A0}", "\u{2028}", "\u{FEFF}",
        "\u{0301}", "\u{200D}", "漢字", "שלום", "مرحبا", "हिन्दी", "🌍", "word", "The", "sentence.", "ISIL",
    ]

    /// A random input: pieces, sometimes with random bytes mixed in.
    static func randomInput(using generator: inout SeededGenerator, bytes: Bool) -> [UInt8] {
        var output: [UInt8] = []
        for _ in 0..<Int.random(in: 0...60, using: &generator) {
            if bytes && Int.random(in: 0..<6, using: &generator) == 0 {
                output.append(UInt8.random(in: 0...255, using: &generator))
            } else {
                output += Array(pieces.randomElement(using: &generator)!.utf8)
            }
        }
        return output
    }

    /// `input` cut at a random point, with a random stretch removed or a random byte changed.
    static func mutated(_ input: [UInt8], using generator: inout SeededGenerator) -> [UInt8] {
        var bytes = Array(input.prefix(Int.random(in: 0...input.count, using: &generator)))
        guard !bytes.isEmpty else { return bytes }
        switch Int.random(in: 0..<3, using: &generator) {
        case 0:
            let start = Int.random(in: 0..<bytes.count, using: &generator)
            bytes.removeSubrange(start..<min(bytes.count, start + Int.random(in: 1...200, using: &generator)))
        case 1:
            bytes[Int.random(in: 0..<bytes.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
        default:
            break
        }
        return bytes
    }

    /// Runs `importer` on `input` as the opener does (decoding it first); returns whether it
    /// extracted, after checking what it gave.
    static func check(_ importer: some Importer, _ input: [UInt8], seed: UInt64) -> Bool {
        do {
            let decoded = try TextDecoding.decode(input, forcing: nil, path: "fuzz")
            let extracted = try importer.extract(decoded.utf8, path: "fuzz")
            #expect(extracted.isWellFormed, "seed \(seed): \(extracted.text.debugDescription)")
            #expect(!extracted.text.isEmpty, "seed \(seed)")
            let document = Document(extracted: extracted, path: "fuzz")
            #expect(document.paragraphCount == extracted.blocks.count, "seed \(seed): \(extracted.text.debugDescription)")
            return true
        } catch is ImportError {
            return false
        } catch is DocumentError {
            return false
        } catch {
            Issue.record("seed \(seed): unexpected error \(error)")
            return false
        }
    }

    @Test func htmlImporterOnRandomAndTruncatedPages() throws {
        let page = try Corpus.bytes(Corpus.webPage)
        var extracted = 0
        for seed in UInt64(0)..<2_500 {
            var generator = SeededGenerator(seed: seed)
            let input = seed % 2 == 0 ? Self.randomInput(using: &generator, bytes: seed % 4 == 0) : Self.mutated(page, using: &generator)
            if Self.check(HTMLImporter(), input, seed: seed) { extracted += 1 }
        }
        // the inputs reach the extraction, not only the errors
        #expect(extracted > 1_000)
    }

    @Test func markdownImporterOnRandomAndTruncatedPosts() throws {
        let post = try Corpus.bytes(Corpus.markdownPost)
        var extracted = 0
        for seed in UInt64(0)..<2_500 {
            var generator = SeededGenerator(seed: seed)
            let input = seed % 2 == 0 ? Self.randomInput(using: &generator, bytes: seed % 4 == 0) : Self.mutated(post, using: &generator)
            if Self.check(MarkdownImporter(), input, seed: seed) { extracted += 1 }
        }
        #expect(extracted > 1_000)
    }

    @Test func decodingRandomBytesInEveryEncoding() {
        for seed in UInt64(0)..<3_000 {
            var generator = SeededGenerator(seed: seed)
            var bytes = (0..<Int.random(in: 0...64, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            // mostly ASCII with a few high bytes, to reach the eight-at-a-time path too
            if seed % 2 == 0 { bytes = bytes.map { $0 < 0xF0 ? $0 & 0x7F : $0 } }
            // the validator agrees with the standard library's
            let bad = TextDecoding.firstInvalidUTF8(bytes)
            #expect((bad == nil) == (String(validating: bytes, as: UTF8.self) != nil), "seed \(seed)")
            if let bad { #expect(String(validating: bytes[..<bad], as: UTF8.self) != nil, "seed \(seed)") }
            for encoding in [nil] + TextEncoding.allCases.map(Optional.some) {
                do {
                    let decoded = try TextDecoding.decode(bytes, forcing: encoding, path: "fuzz")
                    #expect(String(validating: decoded.utf8, as: UTF8.self) != nil, "seed \(seed), \(String(describing: encoding))")
                } catch is ImportError {
                } catch is DocumentError {
                } catch {
                    Issue.record("seed \(seed): unexpected error \(error)")
                }
            }
        }
    }

    @Test func pdfOutputOfRandomBytesBecomesText() {
        for seed in UInt64(0)..<3_000 {
            var generator = SeededGenerator(seed: seed)
            var output = Self.randomInput(using: &generator, bytes: true)
            if seed % 3 == 0 { output.insert(0x0C, at: Int.random(in: 0...output.count, using: &generator)) }
            let text = PDFImporter.text(fromOutput: output)
            #expect(!text.contains("\u{0C}"), "seed \(seed)")
            #expect(text.unicodeScalars.last.map { !$0.properties.isWhitespace } ?? true, "seed \(seed)")
        }
    }

    /// Fewer than for the other importers: each runs pdftotext, a process of its own.
    @Test(.enabled(if: PDFImporterTests.hasPdftotext, "pdftotext is not installed; .ci/run installs poppler-utils"))
    func pdfImporterOnTruncatedAndDamagedPDFs() throws {
        let scratch = try Scratch()
        defer { scratch.cleanUp() }
        let sources = [try Corpus.bytes(Corpus.prefacePDF), try Corpus.bytes(Corpus.postPDF)]
        for seed in UInt64(0)..<200 {
            var generator = SeededGenerator(seed: seed)
            let input = seed % 5 == 4 ? Array("%PDF-1.4\n".utf8) + Self.randomInput(using: &generator, bytes: true)
                : Self.mutated(sources[Int(seed) % 2], using: &generator)
            let path = try scratch.write(input, to: "fuzz-\(seed).pdf")
            do {
                let extracted = try PDFImporter(timeout: 20).extract([], path: path)
                #expect(extracted.plainTextParagraphs && !extracted.text.isEmpty, "seed \(seed)")
            } catch let error as ImportError {
                #expect(error.description.hasPrefix(path + ": "), "seed \(seed): \(error)")
            }
        }
    }
}
