import Foundation
import GlossCore
@testable import GlossImport
import Testing

/// ``MarkdownImporter`` on the shared Markdown post and on small posts that each show one
/// rule.
@Suite struct MarkdownImporterTests {
    func extract(_ markdown: String) throws -> ExtractedText {
        try MarkdownImporter().extract(Array(markdown.utf8), path: "post.md")
    }

    @Test func theDigitalGovPostGivesItsTextWithoutMarkup() throws {
        let extracted = try MarkdownImporter().extract(try Corpus.bytes(Corpus.markdownPost), path: Corpus.markdownPost)
        #expect(extracted.isWellFormed)
        #expect(extracted.extractor == "markdown")
        #expect(extracted.extractorVersion == "1 cmark 0.30.2")
        let blocks = extracted.blocks
        // front matter skipped: the post starts with its summary quote
        #expect(blocks.first == "Summary: Today, the Administration directed a series of actions to continue strengthening Federal cybersecurity & modernizing the government’s technology infrastructure.")
        for markup in ["slug:", "expirydate", "---", "**", "](", "{{<", "legacy-img", ">}}", "  * ", "> "] {
            #expect(!extracted.text.contains(markup), "\(markup) is in the text")
        }
        // one block per list item, link text kept
        #expect(blocks.contains("Directing a comprehensive Cyberspace Policy Review in order to assess U.S. policies and structures for cybersecurity;"))
        #expect(blocks.contains("Prioritized Identification and Protection of high-value assets and information;"))
        #expect(blocks.contains("Efficient and Effective Acquisition and Deployment of Existing and Emerging Technology."))
        // strong and emphasis are their text
        #expect(extracted.text.contains("Earlier this year, the White House Office of Management and Budget (OMB) launched a 30-day Cybersecurity Sprint, building upon"))
        #expect(blocks.contains("Agencies have increased their use of strong authentication to 80%—an increase of nearly 40% this year."))
        #expect(extracted.headingStarts.isEmpty)
        // the quote, a paragraph, 5 items, 3 paragraphs, a quote, 3 paragraphs, 5 items, a
        // paragraph, a quote, 3 paragraphs (the shortcode between them gives nothing)
        #expect(blocks.count == 23)
    }

    @Test func headingsParagraphsItemsQuotesAndCodeAreBlocks() throws {
        let extracted = try extract("""
        # Über *alles*

        A paragraph with `code`, **strong** and _emphasis_,
        a [link](http://example.org "title") and ![an image](x.png).\\
        After a hard break.

        Setext heading
        --------------

        - Tight item
        - Loose item

          with a second paragraph
          - Nested item
        1. Numbered <span>inline HTML</span> item

        > Quote one.
        >
        > Quote two.

        ```swift
        let x = 1

            indented()
        ```

        <div>
        A raw HTML block
        </div>

        ***

            indented code
        Entities: &amp; &copy; \\*not emphasis\\*
        """)
        #expect(extracted.blocks == [
            "Über alles",
            "A paragraph with code, strong and emphasis, a link and an image. After a hard break.",
            "Setext heading",
            "Tight item",
            "Loose item with a second paragraph",
            "Nested item",
            "Numbered inline HTML item",
            "Quote one.",
            "Quote two.",
            "let x = 1\n    indented()",
            "indented code",
            "Entities: & © *not emphasis*",
        ])
        #expect(extracted.headings == ["Über alles", "Setext heading"])
        #expect(extracted.isWellFormed)
    }

    @Test func frontMatterIsSkippedOnlyAtTheVeryStartAndWhenClosed() throws {
        #expect(try extract("---\ntitle: x\nlist:\n  - a\n...\nBody.").blocks == ["Body."])
        #expect(try extract("+++\ntitle = \"x\"\n+++\r\n\r\nBody.").blocks == ["Body."])
        // not closed: a thematic break, then a setext heading is not made of it
        #expect(try extract("---\nJust text.").blocks == ["Just text."])
        // not at the start: a heading underline
        #expect(try extract("Intro\n---\ntitle: x\n---\n").blocks == ["Intro", "title: x"])
    }

    @Test func hugoShortcodesAreDroppedAndEscapedOnesShownAsText() throws {
        let extracted = try extract("""
        Before {{< ref "other.md" >}} after.

        {{< legacy-img src="a.jpg"
            alt="A *multi-line* shortcode" >}}

        {{% note %}}Inside a **paired** shortcode.{{% /note %}}

        Write {{</* youtube id */>}} to embed.

        An unclosed {{< shortcode stays
        """)
        #expect(extracted.blocks == ["Before after.", "Inside a paired shortcode.", "Write {{< youtube id >}} to embed.",
                                     "An unclosed {{< shortcode stays"])
        // a shortcode on its own line between two lines leaves one paragraph
        #expect(try extract("One line\n{{< figure src=x >}}\nnext line.").blocks == ["One line next line."])
    }

    @Test func aPostWithoutTextIsAnErrorNamingTheFile() throws {
        for post in ["", "---\ntitle: only front matter\n---\n", "{{< only-a-shortcode >}}\n", "<div>\nraw\n</div>\n", "***\n\n   \n"] {
            #expect {
                try MarkdownImporter().extract(Array(post.utf8), path: "posts/empty.md")
            } throws: { error in
                guard let error = error as? ImportError, case .noText(let path, "Markdown", _) = error else { return false }
                return path == "posts/empty.md"
            }
        }
    }
}
