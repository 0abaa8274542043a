import Foundation
import Testing
@testable import GlossCore

/// The shared corpus, `../shared/corpus` from the package root.
private let corpus = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("shared/corpus")

/// The paragraph texts of the corpus file at `relativePath`.
private func paragraphTexts(_ relativePath: String) throws -> [String] {
    let document = try Document(contentsOfFile: corpus.appendingPathComponent(relativePath).path)
    return (0..<document.paragraphCount).map { document.text(ofParagraph: $0) }
}

private let body1 = "The ministers met in Geneva on Tuesday to discuss the sharing of passenger data between the agencies of the two countries."
private let body2 = "Officials said a draft agreement would be published next month, after consultations with data protection authorities."

@Suite("Boilerplate")
struct BoilerplateTests {
    @Test("the seed article: its last two paragraphs, the comment form, and nothing of its body")
    func seedArticle() throws {
        let texts = try paragraphTexts("seed-counter-terrorism-conference.txt")
        #expect(texts.count == 7)
        #expect(Boilerplate.paragraphs(of: texts) == [5, 6])
    }

    @Test("the naive scrape of a web page: its menus, share buttons, related links and footer; not its article")
    func webScrape() throws {
        let texts = try paragraphTexts("web/wikimediafoundation.org.turkey.naive-scrape.txt")
        let found = Boilerplate.paragraphs(of: texts)
        let title = try #require(texts.firstIndex(of: "Access to Wikipedia restored in Turkey after more than two and a half years"))
        // the menu above the article, all of it
        #expect(Set(0..<title).isSubset(of: found))
        #expect(texts[0] == "Skip to content")
        // the article: title, byline, date, paragraphs and its footnote
        let footnote = try #require(texts.firstIndex { $0.hasPrefix("* We have received reports") })
        #expect(found.intersection(title...footnote).isEmpty)
        // below it: tags, share buttons, related links, forms, credits, menus and the footer
        for item in ["Read More", "Share", "Read more", "Donate now", "Subscribe", "Email address", "Follow", "Facebook",
                     "Photo credits", "Careers", "Wikimedia projects", "Wikibooks", "Terms of use", "Privacy policy",
                     "Cookie statement", "esc"] {
            let positions = texts.indices.filter { texts[$0] == item && $0 > footnote }
            #expect(!positions.isEmpty, "\(item) is not below the article")
            for position in positions { #expect(found.contains(position), "\(item) (\(position)) is not boilerplate") }
        }
        #expect(found.contains(texts.count - 1))
        #expect(found.contains(try #require(texts.firstIndex { $0.hasPrefix("Except where otherwise noted") })))
        #expect(found.contains(try #require(texts.firstIndex { $0.hasPrefix("The Wikimedia Foundation, Inc is a nonprofit") })))
    }

    @Test("no paragraph of any other corpus text is boilerplate")
    func otherCorpusTexts() throws {
        let files = try #require(FileManager.default.enumerator(atPath: corpus.path)).compactMap { $0 as? String }
            .filter { $0.hasSuffix(".txt") && !$0.hasPrefix("web/") && $0 != "seed-counter-terrorism-conference.txt" }
        #expect(files.count >= 25)
        for file in files.sorted() {
            let texts = try paragraphTexts(file)
            let found = Boilerplate.paragraphs(of: texts)
            #expect(found.isEmpty, "\(file): \(found.sorted().map { texts[$0] })")
        }
    }

    @Test("rule 1: a phrase of a comment form, a cookie banner or a footer, in English, French, German or Spanish")
    func phrases() {
        for phrase in ["Leave a Reply", "Laisser un commentaire", "Schreibe einen Kommentar", "Deja una respuesta",
                       "Votre adresse e-mail ne sera pas publiée.", "Ihre E-Mail-Adresse wird nicht veröffentlicht.",
                       "Tu dirección de correo electrónico no será publicada.", "Nous utilisons des cookies pour mesurer l’audience.",
                       "Diese Website verwendet Cookies.", "Utilizamos cookies propias y de terceros.", "© 2024 Example Ltd. All rights reserved.",
                       "Suivez-nous", "Compartir en Twitter", "Zum Inhalt springen", "Lire la suite"] {
            #expect(Boilerplate.signal(of: phrase) == .boilerplate, "\(phrase)")
            #expect(Boilerplate.paragraphs(of: [body1, body2, phrase]) == [2], "\(phrase)")
        }
        // a long paragraph that mentions cookies is body text
        let long = "The bakery, which has made cookies and bread for the village since 1921, said on Monday that rising energy prices "
            + "would force it to close its doors at the end of the year unless the council agreed to lower its rent."
        #expect(Boilerplate.signal(of: long) == .body)
        #expect(Boilerplate.paragraphs(of: [body1, body2, long]).isEmpty)
    }

    @Test("the phrases are written folded, as the phrase index reads them: cut at spaces they are their folded words")
    func phrasesAreFolded() {
        for phrase in Boilerplate.phrases {
            #expect(Boilerplate.words(ofFolded: phrase) == Boilerplate.folded(phrase), "\(phrase)")
        }
        #expect(Boilerplate.phraseIndex.values.reduce(0) { $0 + $1.count } == Boilerplate.phrases.count)
    }

    @Test("rule 2: a line of at most three words with a link word; a headline that starts with one is not")
    func linkWords() {
        #expect(Boilerplate.signal(of: "Share") == .boilerplate)
        #expect(Boilerplate.signal(of: "Contact a human") == .boilerplate)
        #expect(Boilerplate.signal(of: "Imprimer") == .boilerplate)
        #expect(Boilerplate.signal(of: "Search for survivors goes on") == .shortLine)
        #expect(Boilerplate.paragraphs(of: ["Search for survivors goes on", body1, body2]).isEmpty)
    }

    @Test("rule 3: short lines are boilerplate in a run with boilerplate; a title and a dateline alone are not")
    func shortLineRuns() {
        #expect(Boilerplate.isShortLine("Our Work"))
        #expect(!Boilerplate.isShortLine("Read the report."))
        #expect(!Boilerplate.isShortLine("First line\nsecond line"))
        #expect(Boilerplate.paragraphs(of: ["Home", "World", "Business", "Sport", "Contact", body1, body2]) == [0, 1, 2, 3, 4])
        #expect(Boilerplate.paragraphs(of: ["Ministers meet in Geneva", "Tuesday, 3 May 2022", body1, body2]).isEmpty)
    }

    @Test("rule 5: everything between the end and the farthest boilerplate is boilerplate")
    func ends() {
        let texts = [body1, body2, "Follow us", "We are an independent newsroom funded by our readers since 1990.", "Cookie policy"]
        #expect(Boilerplate.paragraphs(of: texts) == [2, 3, 4])
        // a teaser and its category line between the related links
        let teasers = [body1, body2, "Related articles", "Ministers agree on data sharing", body1, "Politics", body2, "Read more"]
        #expect(Boilerplate.paragraphs(of: teasers) == Set(2...7))
    }

    @Test("rule 4: the scan stops at two body paragraphs in a row, and looks at most at a window from each end")
    func position() {
        // "Share" between the body's paragraphs is out of reach
        #expect(Boilerplate.paragraphs(of: ["Home", body1, body2, "Share", body1, body2]) == [0])
        // a run of short lines with a phrase at its start: the leading scan reads only its window
        let menu = ["Skip to content"] + (1..<450).map { "Item \($0)" }
        let found = Boilerplate.paragraphs(of: menu + [body1, body2])
        #expect(found == Set(0..<Boilerplate.window))
        // the scan asks only for the paragraphs it needs
        var asked = 0
        _ = Boilerplate.scan { index in
            asked = max(asked, index + 1)
            return index < 10_000 ? (index < 2 ? "Menu" : body1) : nil
        }
        #expect(asked <= 5)
    }

    @Test("words are matched without case or accents and whole")
    func folding() {
        #expect(Boilerplate.folded("Dejá  una RESPUESTA!") == ["deja", "una", "respuesta"])
        #expect(Boilerplate.folded("L’équipe d'information") == ["l'equipe", "d'information"])
        // "cc by" is a licence, not the end of "access by"
        #expect(Boilerplate.signal(of: "Access by road") == .shortLine)
        #expect(Boilerplate.signal(of: "CC BY-SA 4.0") == .boilerplate)
    }
}
