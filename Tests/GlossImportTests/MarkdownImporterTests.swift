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
        #expect(extracted.extractorVersion == "3 cmark-gfm 0.29.0.gfm.6")
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
            "A raw HTML block",
            "indented code",
            "Entities: & © *not emphasis*",
        ])
        #expect(extracted.headings == ["Über alles", "Setext heading"])
        #expect(extracted.isWellFormed)
    }

    /// Block quotes nested past ``MarkdownImporter/deepestQuote`` are refused before cmark
    /// sees them (32,000 levels over a line of brackets took it minutes); as deep as
    /// that limit they are read.
    @Test func quotesNestedTooDeepAreRefusedBeforeParsing() throws {
        let limit = MarkdownImporter.deepestQuote
        #expect(try extract(String(repeating: "> ", count: limit) + "Quoted.\n").text == "Quoted.")
        #expect(throws: ImportError.unparsable(path: "deep.md", format: "Markdown", reason:
            "block quotes nested 32000 deep, more than the \(limit) Gloss reads (the Markdown parser would take minutes over them); rename it .txt to read it as plain text")) {
            try MarkdownImporter().extract(Array((String(repeating: "> ", count: 32_000) + "Quoted.\n" + String(repeating: "[", count: 32_000) + "\n").utf8), path: "deep.md")
        }
        // markers in a line's text are not quotes
        #expect(MarkdownImporter.quoteDepth(Array(("a " + String(repeating: ">", count: 5000) + "\n> > b\n").utf8)[...]) == 2)
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
        for post in ["", "---\ntitle: only front matter\n---\n", "{{< only-a-shortcode >}}\n", "<div>\n<!-- raw -->\n</div>\n",
                     "<script>\nx()\n</script>\n", "***\n\n   \n"] {
            #expect {
                try MarkdownImporter().extract(Array(post.utf8), path: "posts/empty.md")
            } throws: { error in
                guard let error = error as? ImportError, case .noText(let path, "Markdown", _) = error else { return false }
                return path == "posts/empty.md"
            }
        }
    }

    // MARK: - Tables and raw HTML

    @Test func theTestersPostGivesTableRowsNoScriptAndSeparateWords() throws {
        let extracted = try extract("# Report\n\n| Actor | Threat |\n|---|---|\n| ISIL | bombing |\n\nInline <script>trackVisitor(\"INLINE SCRIPT\")</script> end.\n\nFirst line<br>second line.\n\n<div class=\"embed\">\n<script>\n\nvar tracker = \"SCRIPT AFTER BLANK LINE\";\n</script>\n</div>\n\nLast paragraph.\n")
        #expect(extracted.blocks == ["Report", "Actor · Threat", "ISIL · bombing", "Inline end.", "First line second line.", "Last paragraph."])
        #expect(extracted.headings == ["Report"])
    }

    @Test func aPipeTableIsABlockPerRowWithItsCellsText() throws {
        let extracted = try extract("""
        Intro paragraph:
        | Actor | Threat level | Note |
        |:------|:------------:|-----:|
        | **ISIL** | `high` | [linked](http://x) |
        | Escaped \\| pipe | | last |
        | Short row |
        |  | leading empty | |

        After the table.
        """)
        #expect(extracted.blocks == ["Intro paragraph:", "Actor · Threat level · Note", "ISIL · high · linked",
                                     "Escaped | pipe · · last", "Short row", "leading empty", "After the table."])
        #expect(extracted.isWellFormed)
        // without a delimiter row, pipes are text
        #expect(try extract("a | b\nc | d").blocks == ["a | b c | d"])
    }

    @Test func strikethroughIsItsText() throws {
        #expect(try extract("It was ~~cancelled~~ postponed.").blocks == ["It was cancelled postponed."])
    }

    @Test func scriptsAndStylesInRawHTMLAreNotText() throws {
        // inline, in any letter case, with attributes
        #expect(try extract("A <SCRIPT type=\"text/javascript\">x = 1 < 2</SCRIPT> b <style>p { color: red }</style>c.").blocks == ["A b c."])
        // an HTML block whose blank line lets the script's body become paragraphs
        #expect(try extract("<div>\n<script>\nvar a = 1;\n\nvar b = \"*two*\";\n\n    indented();\n</script>\n</div>\n\nKept.").blocks == ["Kept."])
        // a script block on its own (CommonMark HTML block type 1, through blank lines)
        #expect(try extract("Before.\n\n<script>\n\nhidden();\n</script>\n\nAfter.").blocks == ["Before.", "After."])
        // a style opened in a paragraph and closed in a later one
        #expect(try extract("One <style>\n\n.x { y: z }\n\n</style> two.").blocks == ["One", "two."])
        // an opening tag never closed hides nothing: a browser would, but the text is the post's
        #expect(try extract("Write <script> to embed code.\n\nNext.").blocks == ["Write to embed code.", "Next."])
        // a script shown as code is text
        #expect(try extract("Use `<script>x()</script>` here.\n\n```html\n<script>y()</script>\n```").blocks
                == ["Use <script>x()</script> here.", "<script>y()</script>"])
    }

    @Test func lineBreakAndBlockTagsPartWordsOtherTagsAreDropped() throws {
        #expect(try extract("First line<br>second<BR/>third<br />fourth.").blocks == ["First line second third fourth."])
        #expect(try extract("One<br><br>two.").blocks == ["One", "two."])
        #expect(try extract("Cell</td><td>next, a</p><p>b, <b>bold</b><span class=\"x\">joined</span><!-- note -->.").blocks
                == ["Cell next, a b, boldjoined."])
        #expect(try extract("# Title<br>subtitle").headings == ["Title subtitle"])
    }

    // MARK: - HTML blocks never closed, and `<pre>`

    /// A README-like post with an HTML block opened by `opening` on its own line and never
    /// closed, then paragraphs, a heading and a list.
    static func post(unclosed opening: String) -> String {
        "Intro paragraph.\n\n\(opening)\nSecond paragraph, right after it.\n\n# A heading\n\n- An item\n- Another item\n\n"
            + (3...10).map { "Paragraph \($0)." }.joined(separator: "\n\n") + "\n"
    }

    static let afterTheUnclosedOpening = ["Second paragraph, right after it.", "A heading", "An item", "Another item"] + (3...10).map { "Paragraph \($0)." }

    /// CommonMark's HTML blocks of kinds 1–5 end only at their own marker: never closed, one
    /// runs to the post's end, and all of it was dropped.
    @Test(arguments: ["<script>", "<script src=\"analytics.js\" async>", "<STYLE>", "<style media=\"print\">", "<pre>", "<pre class=\"x\">",
                      "<textarea>", "<textarea rows=\"3\">", "<!-- note to self", "<!--", "<?php echo $title;", "<![CDATA[ raw data",
                      "<!DOCTYPE html", "   <!-- indented"])
    func anHTMLBlockNeverClosedHidesNothingAfterItsFirstLine(opening: String) throws {
        let extracted = try extract(Self.post(unclosed: opening))
        #expect(extracted.blocks == ["Intro paragraph."] + Self.afterTheUnclosedOpening)
        #expect(extracted.headings == ["A heading"])
        #expect(extracted.isWellFormed)
    }

    /// Kind 1 ends at the end tag of any of script, style, pre and textarea: a `<style>`
    /// that a later `</pre>` ends in cmark's eyes is still never closed, and hid the
    /// paragraphs and the `<pre>` before that line.
    @Test(arguments: [("<style>", "</pre>"), ("<script>", "</style>"), ("<pre>", "</script>"), ("<STYLE>", "</PRE>")])
    func aRawTextBlockEndedByAnotherElementsEndTagHidesNothingAfterItsFirstLine(opening: String, otherEnd: String) throws {
        let extracted = try extract("Intro.\n\n\(opening)\nBody text that matters.\n\nMore body text.\n\(otherEnd)\n\nEnd.\n")
        #expect(extracted.blocks.first == "Intro.")
        #expect(extracted.blocks.contains("Body text that matters."))
        #expect(extracted.blocks.contains("More body text."))
        #expect(extracted.blocks.last == "End.")
        // a pre closed by its own end tag after such a block keeps its lines
        let withCode = try extract("Intro.\n\n<style>\np { color: red }\n\nBody text.\n\n<pre>\ncode here\n</pre>\n\nEnd.\n")
        #expect(withCode.blocks.contains("Body text."))
        #expect(withCode.blocks.contains("code here"))
        #expect(withCode.blocks.last == "End.")
    }

    /// A `<div>` block whose comment is never closed: the line after the comment was taken
    /// for part of a tag when deciding whether the block holds text, and dropped.
    @Test func aCommentNeverClosedInADivHidesOnlyItsLine() throws {
        let extracted = try extract("Intro.\n\n<div>\n<!-- unclosed\nDiv line two shown.\n</div>\n\nEnd.\n")
        #expect(extracted.blocks == ["Intro.", "Div line two shown.", "End."])
    }

    @Test func anHTMLBlockNeverClosedInAQuoteOrAnItemHidesNothingThere() throws {
        // in a block quote, the block ends with the quote
        #expect(try extract("> Quoted.\n>\n> <!-- note\n> Quoted after the comment.\n>\n> *Still* quoted.\n\nAfter.").blocks
                == ["Quoted.", "Quoted after the comment.", "Still quoted.", "After."])
        // in a list item, with the item's indentation
        #expect(try extract("- <script>\n  Item text.\n\n  More item text.\n- Next item").blocks
                == ["Item text. More item text.", "Next item"])
    }

    @Test func blocksNeverClosedInsideOneAnotherAreAllGivenBack() throws {
        #expect(try extract("<!-- one\n<?php two\n<![CDATA[ three\n<style>\nText **after** all four.\n\n```\ncode\n```\n").blocks
                == ["Text after all four.", "code"])
        // thousands of them, one inside the next, take no time quadratic in the post: past
        // the budget, the rest is a code block, its lines kept
        let nested = String(repeating: "<!--\n", count: 20_000) + "The last line.\n"
        let started = Date()
        let extracted = try extract(nested)
        #expect(Date().timeIntervalSince(started) < 20)
        #expect(extracted.blocks.last?.hasSuffix("The last line.") == true)
    }

    @Test func pastTheBudgetTheRestOfABlockNeverClosedIsACodeBlock() throws {
        let source = Array("Intro.\n\n<!-- a\nText one.\n\n  Text two.\n".utf8)
        #expect(try MarkdownImporter.blocks(ofPost: source, reparseBudget: 0, path: "post.md").blocks.map { String(decoding: $0.text, as: UTF8.self) }
                == ["Intro.", "Text one.\n  Text two."])
        // within it, the same post is read as Markdown
        #expect(try MarkdownImporter.blocks(ofPost: source, reparseBudget: 100, path: "post.md").blocks.map { String(decoding: $0.text, as: UTF8.self) }
                == ["Intro.", "Text one.", "Text two."])
    }

    @Test func closedScriptsStylesCommentsAndDeclarationsStayHidden() throws {
        for hidden in ["<script>\nhidden();\n\nmore();\n</script>", "<style>\np { x: y }\n</style>", "<!-- a note\n\nover lines -->",
                       "<?php\n\necho 1;\n?>", "<![CDATA[\nraw\n\ndata\n]]>", "<!DOCTYPE html\n\n>", "<textarea>\nform text\n</textarea>"] {
            #expect(try extract("Before.\n\n\(hidden)\n\nAfter.").blocks == ["Before.", "After."], "\(hidden)")
        }
    }

    @Test func aPreBlockKeepsItsTextAndLinesWithoutTagsEntitiesDecoded() throws {
        let extracted = try extract("Before.\n\n<pre class=\"output\">\n$ gloss text post.md &gt; out.txt\n  <b>indented</b> &amp; kept\n\n<!-- not shown -->last *line*\n</pre>\n\nAfter.")
        #expect(extracted.blocks == ["Before.", "$ gloss text post.md > out.txt\n  indented & kept\nlast *line*", "After."])
        #expect(extracted.isWellFormed)
        // the text after the closing tag on its line is a block of its own
        #expect(try extract("<pre>code()</pre> and the words after it\n").blocks == ["code()", "and the words after it"])
        // never closed: the first line's text kept, the rest read as Markdown
        #expect(try extract("<pre>first line &amp; more\nA *paragraph*.\n").blocks == ["first line & more", "A paragraph."])
        // a script in it is not text
        #expect(try extract("<pre>\nshown\n<script>hidden()</script>\n</pre>").blocks == ["shown"])
    }

    /// A browser shows the text of an HTML block; Gloss dropped it all.
    @Test func theTextOfHTMLBlocksABlankLineEndsIsShownAsAPageShowsIt() throws {
        let extracted = try extract("""
        <h1 align="center">Gloss &amp; friends</h1>
        <p align="center"><img src="logo.png" alt="logo"><br>
        A reader for <b>analysts</b>.</p>

        <details>
        <summary>Why another reader?</summary>

        Because *Markdown* inside is read as Markdown.

        </details>

        <div class="note">
        Text directly in a div,
        over two lines.
        </div>

        <table><tr><th>Name</th><th>Kind</th></tr>
        <tr><td>cmark</td><td>parser</td></tr></table>

        <span>
        A tag alone on its line starts a block too.
        </span>

        <nav><a href="/">Home</a></nav>
        """)
        #expect(extracted.blocks == ["Gloss & friends", "A reader for analysts.", "Why another reader?", "Because Markdown inside is read as Markdown.",
                                     "Text directly in a div, over two lines.", "Name", "Kind", "cmark", "parser",
                                     "A tag alone on its line starts a block too."])
        #expect(extracted.headings == ["Gloss & friends"])
        #expect(extracted.isWellFormed)
        // a comment never closed in such a block hides the rest of its line only
        #expect(try extract("<div>\nshown <!-- hidden\nshown too\n</div>").blocks == ["shown shown too"])
        // a script opened in one and closed in a later one hides all between; text after
        // its closing tag is shown
        #expect(try extract("<div>\n<script>\nhidden = 1;\n\nhidden = 2;\n\n</script>\n<p>Shown.</p>\n</div>").blocks == ["Shown."])
    }
}
