import CLibXML2
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
        #expect(extracted.extractorVersion.hasPrefix("3 libxml2 2."))
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
        <div>Text directly in a div is a block.</div>
        <p>   </p><p>&nbsp;</p>
        """)
        #expect(extracted.blocks == ["Überblick 🌍", "Ein Titel", "Para.", "Item one", "Nested", "tail", "Item two",
                                     "Quoted one.", "Quoted two.", "Bare quote.", "A caption", "Head", "Cell", "Term",
                                     "Definition", "Small heading", "Text directly in a div is a block."])
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

    @Test("a line of preformatted text holding only white space or invisible characters (a no-break space, U+2028, a zero-width space) is dropped as an empty one is: the document would read it as a blank line and split the block")
    func preformattedTextDropsInvisibleLines() throws {
        let extracted = try extract("<body><p>Code:</p><pre>\nfunc f() {\n&nbsp;\n\u{2028}\n \u{200B}\t\n    return 1\n}\n</pre></body>")
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

    // MARK: - Nesting deeper than libxml2's default limit of 256

    @Test func threeHundredUnclosedDivsKeepEveryParagraph() throws {
        // a broken template that never closes its rows: each <div> nests in the one before
        let page = "<html><head><title>Unclosed divs</title></head><body><article>"
            + (1...300).map { "<div class=row><p>Paragraph \($0) of the story.</p>" }.joined() + "</article></body></html>"
        let extracted = try extract(page)
        #expect(extracted.blocks == ["Unclosed divs"] + (1...300).map { "Paragraph \($0) of the story." })
    }

    /// Expects all of `page`'s blocks to be `blocks`, or, past 2048 levels with a libxml2 of
    /// 2.11 or later (whose limit XML_PARSE_HUGE only raises), the page refused: never a
    /// page cut short.
    func expectAllOrRefused(_ page: String, _ blocks: [String], depth: Int) {
        do {
            #expect(try extract(page).blocks == blocks, "\(depth) levels")
        } catch let error as ImportError {
            guard case .unparsable(_, "HTML", let reason) = error, reason.hasPrefix("libxml2 stopped reading it") else {
                Issue.record("\(depth) levels: \(error)")
                return
            }
            #expect(LIBXML_VERSION >= 21100 && depth > 2048, "\(depth) levels refused: \(error)")
        } catch {
            Issue.record("\(depth) levels: \(error)")
        }
    }

    @Test func textAfterDeeplyNestedDivsIsKept() throws {
        for depth in [300, 10_000] {
            let page = "<html><body><p>Intro.</p>" + String(repeating: "<div>", count: depth) + "<p>Deep.</p>"
                + String(repeating: "</div>", count: depth) + "<p>After.</p></body></html>"
            expectAllOrRefused(page, ["Intro.", "Deep.", "After."], depth: depth)
        }
        // unclosed, and inline elements too
        let unclosed = "<body><p>Intro.</p>" + String(repeating: "<div><span>", count: 2_000) + "Deep text.</body>"
        expectAllOrRefused(unclosed, ["Intro.", "Deep text."], depth: 4_000)
    }

    @Test func deeplyNestedMarkupDoesNotOverflowTheStack() throws {
        // libxml2 2.9 lifts its depth limit with XML_PARSE_HUGE; the tree is walked and
        // freed without recursion (Debian 12's 2.9.14 gives the whole text)
        let depth = 100_000
        let page = "<body>" + String(repeating: "<div>", count: depth) + "<p>Deep.</p>" + String(repeating: "</div>", count: depth) + "<p>After.</p></body>"
        expectAllOrRefused(page, ["Deep.", "After."], depth: depth)
    }

    @Test func aParseLibxml2StopsEarlyIsRefusedNamingTheFile() throws {
        // without XML_PARSE_HUGE, libxml2 halts at 256 levels: the page is refused, not
        // shown without everything after that point
        let page = "<html><body><p>Intro.</p>" + String(repeating: "<div>", count: 300) + "<p>Deep.</p>"
            + String(repeating: "</div>", count: 300) + "<p>After.</p></body></html>"
        let options = HTMLImporter.parseOptions & ~Int32(bitPattern: XML_PARSE_HUGE.rawValue)
        #expect {
            try HTMLImporter().extract(Array(page.utf8), path: "news/deep.html", options: options)
        } throws: { error in
            guard let error = error as? ImportError, case .unparsable(let path, "HTML", let reason) = error else { return false }
            return path == "news/deep.html" && reason.contains("libxml2 stopped reading it at line 1")
                && reason.contains("Excessive depth") && error.description.hasPrefix("news/deep.html: cannot read the HTML: ")
        }
    }

    // MARK: - Menus, and text that is not in paragraphs

    @Test func aMenuMarkedByRoleOrMenuIsDroppedAndTheDivArticleKept() throws {
        // the tester's page: a role="navigation" menu, a <menu>, the article in a <div> with <br>s
        let extracted = try extract("""
        <html><head><title>Minister meets counterparts</title></head><body>
        <div role="navigation" class="menu"><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li><li><a href="/about">About us</a></li></ul></div>
        <menu><li>Sports</li><li>Weather</li></menu>
        <div class="article-body">The interior minister met his counterparts on Tuesday.<br><br>They agreed to share intelligence on foreign fighters.</div>
        </body></html>
        """)
        #expect(extracted.blocks == ["Minister meets counterparts", "The interior minister met his counterparts on Tuesday.",
                                     "They agreed to share intelligence on foreign fighters."])
    }

    @Test func ariaRolesOfNavigationHeadersFootersAndAsidesAreDroppedOnAnyElement() throws {
        let extracted = try extract("""
        <body>
        <ul role="navigation"><li><a href="/">Home</a></li></ul>
        <div role="menubar"><span>File</span></div>
        <table role="menu"><tr><td>Edit</td></tr></table>
        <div role="banner"><p>Site banner</p></div>
        <section role="complementary"><p>Most read</p></section>
        <p>The story.</p>
        <div role="contentinfo"><p>Copyright 2020</p></div>
        <div role="note navigation"><p>Two roles, one dropped</p></div>
        <div role="region"><p>A region is kept.</p></div>
        </body>
        """)
        #expect(extracted.blocks == ["The story.", "A region is kept."])
    }

    @Test func hiddenAndAriaHiddenElementsAreDropped() throws {
        let extracted = try extract("""
        <body><p>Shown<span aria-hidden="true"> ★★★★</span>.</p>
        <div hidden><p>Hidden</p></div>
        <div aria-hidden="TRUE"><a href="/x">Skip</a></div>
        <div aria-hidden="false"><p>Not hidden.</p></div>
        </body>
        """)
        #expect(extracted.blocks == ["Shown.", "Not hidden."])
    }

    @Test func menusNamedByIdOrClassAreDropped() throws {
        let links = "<li><a href=\"/\">Home</a></li><li><a href=\"/world\">World</a></li>"
        for marked in ["<div id=\"main-menu\">", "<div class=\"menu\">", "<div class=\"navbar navbar-fixed\">", "<div class=\"nav\">",
                       "<div class=\"site-nav\">", "<div id=\"mainMenu\">", "<div class=\"top_navigation\">", "<ol class=\"breadcrumb\">",
                       "<div class=\"Breadcrumbs\">"] {
            let name = marked.dropFirst().prefix { $0 != " " }
            let page = "<body>\(marked)\(links)</\(name)><p>The story.</p></body>"
            #expect(try extract(page).blocks == ["The story."], "\(marked)")
        }
        // a menu of plain items, and a breadcrumb trail ending in the page's own title
        #expect(try extract("<body><ul class=\"menu\"><li>Sports</li><li>Weather</li></ul><p>The story.</p></body>").blocks == ["The story."])
        #expect(try extract("<body><div class=\"breadcrumbs\"><a href=\"/\">Home</a> › <a href=\"/w\">World</a> › Minister meets counterparts</div><p>The story.</p></body>").blocks
                == ["The story."])
        // words that only hold a menu word are not one
        #expect(try extract("<body><div class=\"menuet navigator\"><p>Kept.</p></div></body>").blocks == ["Kept."])
    }

    @Test func anElementNamedAMenuThatHoldsTheArticleIsKept() throws {
        // a page wrapper named for its menu
        let story = String(repeating: "The minister spoke about foreign fighters. ", count: 6)
        #expect(try extract("<body><div class=\"has-nav\"><div>\(story)<br><br>More.</div></div></body>").blocks
                == [story.trimmingCharacters(in: .whitespaces), "More."])
        // a section about a menu, with a paragraph
        #expect(try extract("<body><section id=\"window-menu\"><h2>Window menu</h2><p>Lists the open windows.</p></section></body>").blocks
                == ["Window menu", "Lists the open windows."])
        // an article inside an element named a menu or aria-hidden (a modal left open)
        #expect(try extract("<body><div class=\"nav-wrapper\"><article><h1>Post</h1>Short.</article></div></body>").blocks == ["Post", "Short."])
        #expect(try extract("<body><div id=\"app\" aria-hidden=\"true\"><main>Short.</main></div></body>").blocks == ["Short."])
        // the body, main and article elements are never taken for a menu
        #expect(try extract("<body class=\"menu-open\"><main class=\"nav\"><article role=\"navigation\">Short.</article></main></body>").blocks
                == ["Short."])
        #expect(try extract("<body><p>Outside.</p><div role=\"main\" class=\"comments nav\" aria-hidden=\"true\">Short.</div></body>").blocks
                == ["Short."])
        // a mostly-links element is a menu even with enough text
        let linked = (1...40).map { "<a href=\"/\($0)\">Section number \($0)</a>" }.joined(separator: " ")
        #expect(try extract("<body><div class=\"nav\">\(linked) and a few words</div><p>The story.</p></body>").blocks == ["The story."])
    }

    @Test func textDirectlyInDivsIsArticleTextAndTwoBreaksEndABlock() throws {
        let extracted = try extract("""
        <body><article>
        <div>First line<br>same paragraph.<br> <br>
        Second paragraph, <em>with</em> <a href="x">a link</a>.<br><br><br>Third.<br></div>
        <div>Before <div>inner</div> after.</div>
        <p>A paragraph<br><br>split in two.</p>
        <h2>Heading<br><br>in two</h2>
        </article></body>
        """)
        #expect(extracted.blocks == ["First line same paragraph.", "Second paragraph, with a link.", "Third.",
                                     "Before", "inner", "after.", "A paragraph", "split in two.", "Heading", "in two"])
        #expect(extracted.headings == ["Heading", "in two"])
        #expect(extracted.isWellFormed)
    }

    @Test func aPreIsOneBlockWhateverItHolds() throws {
        let extracted = try extract("<body><p>Code:</p><pre><code>struct Vec&lt;T&gt;<div class=\"where\">where\n    T: Copy,</div>{ }</code><pre>nested</pre></pre><p>After.</p></body>")
        #expect(extracted.blocks == ["Code:", "struct Vec<T>where\n    T: Copy,{ }nested", "After."])
    }

    // MARK: - Openings never closed

    /// libxml2 reads everything after a `<script>` or `<style>` never closed as its
    /// content, and drops everything after a comment never closed: the rest of the page
    /// was gone.
    @Test(arguments: ["<script>var tracker = 1;", "<SCRIPT src=\"a.js\" data-x=\"a>b\">", "<style>p { color: red }", "<!-- hidden note",
                      "<!--", "<textarea name=\"notes\">draft", "<noscript>Enable scripts", "<iframe src=\"x.html\">", "<title>Stray title",
                      "<nav class=\"site\"><a href=\"/\">Home</a>", "<form action=\"/search\"><input name=\"q\">", "<header><b>Site</b>",
                      "<select name=\"s\"><option>A", "<svg viewBox=\"0 0 1 1\">"])
    func anOpeningNeverClosedHidesOnlyTheRestOfItsLine(opening: String) throws {
        let extracted = try extract("<html><head><title>Page</title></head><body>\n<p>One.</p>\n\(opening)\n<p>Two.</p>\nLoose text.\n<p>Three.</p>\n</body></html>\n")
        #expect(extracted.blocks == ["Page", "One.", "Two.", "Loose text.", "Three."])
        #expect(extracted.isWellFormed)
    }

    @Test func openingsClosedLaterStayHiddenWhateverTheyHold() throws {
        let extracted = try extract("""
        <p>One.</p>
        <script>if (a < b) { document.write("<!-- <p>not text</p>"); }
        </SCRIPT>
        <!-- a comment
        over <script> lines -->
        <style>
        p > a { x: y }
        </style>
        <p title="<!-- in an attribute">Two.</p>
        <textarea>form text
        </textarea>
        <nav><a href="/">Home</a>
        <a href="/about">About</a></nav>
        <form><!-- <nav> in a comment --><input>
        </form>
        <p>Three.</p>
        """)
        #expect(extracted.blocks == ["One.", "Two.", "Three."])
        // a comment never closed inside a closed element is closed too
        #expect(try extract("<p>One.</p><nav><a href=\"/\">Home</a><!-- old\n</nav>\n<p>Two.</p>").blocks == ["One.", "Two."])
    }

    @Test func theClosingGoesAtTheEndOfTheLineTheOpeningEndsOn() {
        #expect(HTMLImporter.closingNeverClosed(Array("<p>a</p><!-- b\r\n<p>c</p>".utf8)).map { String(decoding: $0, as: UTF8.self) }
                == "<p>a</p><!-- b-->\r\n<p>c</p>")
        #expect(HTMLImporter.closingNeverClosed(Array("<script\nsrc=\"x\">y\nz".utf8)).map { String(decoding: $0, as: UTF8.self) }
                == "<script\nsrc=\"x\">y</script>\nz")
        // two on one page, one inside the line of the other
        #expect(HTMLImporter.closingNeverClosed(Array("<style>a\n<!-- b\nc".utf8)).map { String(decoding: $0, as: UTF8.self) }
                == "<style>a</style>\n<!-- b-->\nc")
        // nothing to close: the page is not copied
        #expect(HTMLImporter.closingNeverClosed(Array("<p>a <!-- b --> <script>c</script></p>".utf8)) == nil)
    }
}
