import Foundation
import GlossCore
@testable import GlossImport
import Testing

/// ``HTMLImporter`` on the shared news page and on small pages that each show one rule.
@Suite struct HTMLImporterTests {
    func extract(_ html: String) throws -> ExtractedText {
        try HTMLImporter().extract(Array(html.utf8), path: "page.html")
    }

    @Test func theNewsPageGivesTheTitleAndThePostNotTheSiteMenu() throws {
        let extracted = try HTMLImporter().extract(try Corpus.bytes(Corpus.webPage), path: Corpus.webPage)
        #expect(extracted.isWellFormed)
        #expect(extracted.extractor == "html")
        #expect(extracted.extractorVersion.hasPrefix("1 libxml2 2."))
        let blocks = extracted.blocks
        // the <title>, entity decoded, then the nine paragraphs of the <article>
        #expect(blocks.first == "Access to Wikipedia restored in Turkey after more than two and a half years – Wikimedia Foundation")
        #expect(extracted.headings == [blocks[0]])
        #expect(blocks.count == 10)
        #expect(blocks[1].hasPrefix("Today, on Wikipedia’s 19th birthday, the Wikimedia Foundation has received reports"))
        // link text is kept, in its sentence
        #expect(blocks[1].contains("follows a 26 December 2019 ruling by the Constitutional Court of Turkey"))
        #expect(blocks.last == "* We have received reports that several internet service providers in Turkey, depending on the location, have restored access to Wikipedia in Turkey, with some still in the process of restoring access. We will keep this statement updated as further access is restored.")
        // the menu, the related posts, the newsletter form and the footer are not there
        for boilerplate in ["Skip to content", "Donate now", "Toggle menu", "Our Work", "Read more", "Related",
                            "Read further in the pursuit of knowledge", "Subscribe", "Email address", "Contact a human",
                            "Privacy policy", "Powered by WordPress", "window._wpemojiSettings", "Share"] {
            #expect(!extracted.text.contains(boilerplate), "\(boilerplate) is in the text")
        }
        // every paragraph of the post, as the naive scrape has it, is there whole (white
        // space aside: the scrape turned no-break spaces into spaces)
        func words(_ text: String) -> String { text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ") }
        let scrape = words(try String(contentsOfFile: Corpus.naiveScrape, encoding: .utf8))
        for paragraph in blocks.dropFirst() {
            #expect(scrape.contains(words(paragraph)), "not in the scrape: \(paragraph.prefix(60))")
        }
    }

    @Test func entitiesAreDecodedLinksKeptAndWhiteSpaceCollapsed() throws {
        let extracted = try extract("""
        <html><head><title>  Caf&eacute;
        &amp; bar </title></head><body><p>
          One   <a href="x">linked
          text</a>,&#8220;quoted&#8221;&nbsp;here&hellip;<br>next\tline </p></body></html>
        """)
        #expect(extracted.blocks == ["Café & bar", "One linked text,“quoted”\u{A0}here… next line"])
        #expect(extracted.headingStarts == [0])
    }

    @Test func scriptsStylesNavigationHeadersFootersAsidesFormsAndCommentsAreDropped() throws {
        let extracted = try extract("""
        <body>
        <header><p>Site header</p></header>
        <nav><ul><li>Home</li></ul></nav>
        <script>var p = "<p>not text</p>";</script><style>p { color: red }</style>
        <p>Kept one.</p>
        <aside><p>Sidebar</p></aside>
        <noscript><p>Enable scripts</p></noscript>
        <form><p>Search form</p><textarea>typed</textarea></form>
        <!-- <p>a comment</p> -->
        <div id="comments"><p>A reader's comment</p></div>
        <div class="comment-respond x"><h3>Leave a Reply</h3></div>
        <section id="respond"><p>Reply here</p></section>
        <ol class="commentlist"><li>Another comment</li></ol>
        <p hidden>Hidden</p>
        <svg><title>Icon</title><text>Drawn</text></svg>
        <p>Kept two, <span class="commentary">with a commentary class</span>.</p>
        <footer><p>Copyright</p></footer>
        </body>
        """)
        #expect(extracted.blocks == ["Kept one.", "Kept two, with a commentary class."])
        #expect(extracted.headingStarts.isEmpty)
    }

    @Test func theArticleWithTheMostTextIsTakenBeforeMainAndBody() throws {
        let page = """
        <html><head><title>T</title></head><body>
        <p>Body text outside main.</p>
        <main><p>Main text outside the article.</p>
          <article><h2>Teaser</h2><p>Short.</p></article>
          <article><h1>Post</h1><p>The longest article's first paragraph.</p><p>Its second.</p></article>
        </main></body></html>
        """
        let extracted = try extract(page)
        #expect(extracted.blocks == ["T", "Post", "The longest article's first paragraph.", "Its second."])
        #expect(extracted.headings == ["T", "Post"])
        let withoutArticles = try extract(page.replacingOccurrences(of: "<article>", with: "<section>").replacingOccurrences(of: "</article>", with: "</section>"))
        #expect(withoutArticles.blocks == ["T", "Main text outside the article.", "Teaser", "Short.", "Post",
                                           "The longest article's first paragraph.", "Its second."])
        let roleMain = try extract("<body><p>Outside.</p><div role=\"main\"><p>Inside.</p></div></body>")
        #expect(roleMain.blocks == ["Inside."])
        let bodyOnly = try extract("<body><p>Only the body.</p></body>")
        #expect(bodyOnly.blocks == ["Only the body."])
    }

    @Test func blockElementsEachGiveABlockAndHeadingsAreMarkedInCodePoints() throws {
        let extracted = try extract("""
        <title>Überblick 🌍</title>
        <h1>Ein Titel</h1>
        <p>Para.</p>
        <ul><li>Item one<ul><li>Nested</li></ul>tail</li><li><p>Item two</p></li></ul>
        <blockquote><p>Quoted one.</p><p>Quoted two.</p></blockquote>
        <blockquote>Bare quote.</blockquote>
        <figure><img alt="x"><figcaption>A caption</figcaption></figure>
        <table><tr><th>Head</th><td>Cell</td><td>  </td></tr></table>
        <dl><dt>Term</dt><dd>Definition</dd></dl>
        <h6>Small heading</h6>
        <div>Loose text in a div is not a block.</div>
        <p>   </p><p>&nbsp;</p>
        """)
        #expect(extracted.blocks == ["Überblick 🌍", "Ein Titel", "Para.", "Item one", "Nested", "tail", "Item two",
                                     "Quoted one.", "Quoted two.", "Bare quote.", "A caption", "Head", "Cell", "Term",
                                     "Definition", "Small heading"])
        #expect(extracted.headings == ["Überblick 🌍", "Ein Titel", "Small heading"])
        // 🌍 is one code point: the first heading after the title starts at 11 + 2
        #expect(extracted.headingStarts.contains(13))
        #expect(extracted.isWellFormed)
    }

    @Test func preformattedTextKeepsItsLinesWithoutBlankOnes() throws {
        let extracted = try extract("<body><p>Code:</p><pre>\nfunc f() {\n    return 1   \n\n\n}\r\n</pre></body>")
        #expect(extracted.blocks == ["Code:", "func f() {\n    return 1\n}"])
        let document = Document(extracted: extracted, path: "page.html")
        #expect(document.paragraphCount == 2)
        #expect(document.text(ofParagraph: 1) == "func f() {\n    return 1\n}")
    }

    @Test func aPageWithTextOnlyInDivsIsReadLoosely() throws {
        let extracted = try extract("<html><head><title>Old page</title></head><body><div>First <b>part</b>.<br>Same block.</div><div>Second part.</div></body></html>")
        #expect(extracted.blocks == ["Old page", "First part. Same block.", "Second part."])
    }

    @Test func aPageWithoutTextIsAnErrorNamingTheFile() throws {
        for page in ["", "<html><head><title>Only a title</title></head><body><nav>Menu</nav></body></html>",
                     "<script>x()</script>", "   \n", "<!-- nothing -->"] {
            #expect {
                try HTMLImporter().extract(Array(page.utf8), path: "news/empty.html")
            } throws: { error in
                guard let error = error as? ImportError, case .noText(let path, "HTML", _) = error else { return false }
                return path == "news/empty.html" && error.description.hasPrefix("news/empty.html: no text to show in the HTML")
            }
        }
    }

    @Test func deeplyNestedMarkupDoesNotOverflowTheStack() throws {
        let depth = 20_000
        let page = "<body>" + String(repeating: "<div>", count: depth) + "<p>Deep.</p>" + String(repeating: "</div>", count: depth) + "</body>"
        // libxml2 may cut the nesting short; either way nothing crashes and the result is well formed
        do {
            let extracted = try extract(page)
            #expect(extracted.isWellFormed)
        } catch is ImportError {}
    }
}
