import Foundation
import Testing
@testable import GlossCore

/// The package root: three levels up from this file (Tests/GlossCoreTests/<file>).
private let splitterPackageRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
/// The shared corpus, `../shared/corpus` from the package root.
private let splitterCorpus = splitterPackageRoot.deletingLastPathComponent()
    .appendingPathComponent("shared/corpus")

/// The sentences of `text` as strings, cut by code-point (Unicode scalar) offsets.
private func sentenceStrings(_ text: String) -> [String] {
    let scalars = Array(text.unicodeScalars)
    return SentenceSplitter.sentences(in: text).map { range in
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars[range])
        return String(view)
    }
}

/// Checks the splitter's contract on one paragraph and returns a description of the first
/// violation, or nil: ranges in order, on grapheme cluster boundaries, starting and ending
/// with a cluster that does not begin with whitespace, covering every such cluster.
private func contractViolation(_ text: String) -> String? {
    let scalars = Array(text.unicodeScalars)
    let ranges = SentenceSplitter.sentences(in: text)
    var clusters: [Range<Int>] = []
    var offset = 0
    for character in text {
        clusters.append(offset..<(offset + character.unicodeScalars.count))
        offset += character.unicodeScalars.count
    }
    let starts = Set(clusters.map(\.lowerBound) + [scalars.count])
    var covered = [Bool](repeating: false, count: scalars.count)
    var previousEnd = 0
    for range in ranges {
        if range.isEmpty { return "empty range \(range)" }
        if range.lowerBound < previousEnd { return "range \(range) overlaps or precedes the one before (end \(previousEnd))" }
        if range.upperBound > scalars.count { return "range \(range) beyond \(scalars.count)" }
        if !starts.contains(range.lowerBound) || !starts.contains(range.upperBound) { return "range \(range) splits a grapheme cluster" }
        if scalars[range.lowerBound].properties.isWhitespace { return "range \(range) starts with whitespace" }
        guard let last = clusters.last(where: { $0.lowerBound < range.upperBound }) else { return "no cluster before \(range)" }
        if scalars[last.lowerBound].properties.isWhitespace { return "range \(range) ends with whitespace" }
        for index in range { covered[index] = true }
        previousEnd = range.upperBound
    }
    for cluster in clusters where !covered[cluster.lowerBound] && !scalars[cluster.lowerBound].properties.isWhitespace {
        return "cluster at \(cluster) (U+\(String(scalars[cluster.lowerBound].value, radix: 16))) not covered"
    }
    return nil
}

@Suite("SentenceSplitter")
struct SentenceSplitterTests {
    @Test("the seed article's second paragraph splits into its three sentences")
    func seedArticle() throws {
        let path = splitterCorpus.appendingPathComponent("seed-counter-terrorism-conference.txt").path
        let document = try Document(contentsOfFile: path)
        let paragraph = document.text(ofParagraph: 1)
        #expect(sentenceStrings(paragraph) == [
            "Top officials of the United Nations who heads the Office of Counter Terrorism have claimed that the individuals leading the fight from a local to an international level would be provided the opportunity to show unity and speak with a professional voice.",
            "Vladimir Voronkov, Under-Secretary-General of the Office of Counter-Terrorism mentioned that defending terrorism groups like the ISIL must involve the level of local communities, state and international cooperation.",
            "Only by following this kind of approach, the results can be comprehensive.",
        ])
        // The title line has no full stop: one sentence.
        #expect(sentenceStrings(document.text(ofParagraph: 0)) == [
            "Global Conference of National Counter-terrorism Chiefs Could Improve Cooperation",
        ])
    }

    @Test("the shipped sample article: headline, dateline, and abbreviations kept inside sentences")
    func sampleArticle() throws {
        let path = splitterPackageRoot.appendingPathComponent("Resources/sample-article.txt").path
        let document = try Document(contentsOfFile: path)
        #expect(document.paragraphs.count == 10)
        #expect(document.text(ofParagraph: 0).unicodeScalars.count < 90)
        #expect(SentenceSplitter.sentences(in: document.text(ofParagraph: 0)).count == 1)
        let secretariat = sentenceStrings(document.text(ofParagraph: 4))
        #expect(secretariat.count == 3)
        #expect(secretariat.last?.hasPrefix("A liaison officer from the U.N. Office of Counter-Terrorism") == true)
        #expect(secretariat.last?.hasSuffix("seen by reporters.") == true)
        #expect(sentenceStrings(document.text(ofParagraph: 6)).last == "Mr. Banfi said an independent auditor would report twice a year.")
        #expect(sentenceStrings(document.text(ofParagraph: 7)).dropFirst() == [
            "\"Declarations are cheap.", "Analysts, prosecutors and translators are not.\"",
            "She said the forum should publish how much each state commits to training.",
        ])
    }

    @Test("plain sentences, ranges in code points")
    func plainSentences() {
        let text = "ISIL lost ground. Its financing did not stop. Officials agree."
        #expect(SentenceSplitter.sentences(in: text) == [0..<17, 18..<45, 46..<62])
    }

    @Test("titles before names never end a sentence")
    func titles() {
        #expect(sentenceStrings("Mr. Smith met Dr. Jones, Prof. Ahmed and Gen. Lee. They talked.") ==
                ["Mr. Smith met Dr. Jones, Prof. Ahmed and Gen. Lee.", "They talked."])
        #expect(sentenceStrings("Mrs. Ortiz, Ms. Kaya, Col. Diallo, Lt. Park and Sgt. Bauer arrived. Sen. Reyes, Rep. Hall, Gov. Ito and Pres. Mbeki waited.") ==
                ["Mrs. Ortiz, Ms. Kaya, Col. Diallo, Lt. Park and Sgt. Bauer arrived.", "Sen. Reyes, Rep. Hall, Gov. Ito and Pres. Mbeki waited."])
        #expect(sentenceStrings("They met in St. Petersburg. Martin Jr. and Martin Sr. stayed home.") ==
                ["They met in St. Petersburg.", "Martin Jr. and Martin Sr. stayed home."])
        // The title is the word before the period even when punctuation is glued to it.
        #expect(sentenceStrings("On December 6\u{2014}St. Nicholas Day\u{2014}(Dr. Ruiz) met \u{201C}Mr. Lee\u{201D}. Lt.-Col. Adair left.") ==
                ["On December 6\u{2014}St. Nicholas Day\u{2014}(Dr. Ruiz) met \u{201C}Mr. Lee\u{201D}.", "Lt.-Col. Adair left."])
        // A full stop after an ordinary word before a name does split.
        #expect(sentenceStrings("The minister spoke. Smith replied.") == ["The minister spoke.", "Smith replied."])
    }

    @Test("e.g., i.e., vs., approx. and No.")
    func latinAndNumberAbbreviations() {
        #expect(sentenceStrings("Agencies, e.g. Interpol and Europol, share data, i.e. Names and dates. Others do not.") ==
                ["Agencies, e.g. Interpol and Europol, share data, i.e. Names and dates.", "Others do not."])
        #expect(sentenceStrings("It was Spain vs. France. Spain won.") == ["It was Spain vs. France.", "Spain won."])
        #expect(sentenceStrings("The fund holds approx. 5 million dollars. Later it grew.") ==
                ["The fund holds approx. 5 million dollars.", "Later it grew."])
        #expect(sentenceStrings("Resolution No. 2178 was adopted. It binds all states.") ==
                ["Resolution No. 2178 was adopted.", "It binds all states."])
        // Lower-case "no." is a word.
        #expect(sentenceStrings("He said no. 5 people left.") == ["He said no.", "5 people left."])
    }

    @Test("etc. ends a sentence before a capitalised word, not before a lower-case one")
    func etcetera() {
        #expect(sentenceStrings("They seized weapons, cash, etc. and phones.") == ["They seized weapons, cash, etc. and phones."])
        #expect(sentenceStrings("They seized weapons, cash, etc. The court agreed.") ==
                ["They seized weapons, cash, etc.", "The court agreed."])
        #expect(sentenceStrings("They seized weapons, cash, etc. Police said so.") ==
                ["They seized weapons, cash, etc.", "Police said so."])
    }

    @Test("month abbreviations")
    func months() {
        #expect(sentenceStrings("On Jan. 5 the talks began. In Feb. they ended.") ==
                ["On Jan. 5 the talks began.", "In Feb. they ended."])
        #expect(sentenceStrings("The summit was held in Sept. The next one opens on Oct. 12. Mar. Apr. Aug. Dec. Nov. 3 are dates.") ==
                ["The summit was held in Sept.", "The next one opens on Oct. 12.", "Mar. Apr. Aug. Dec. Nov. 3 are dates."])
    }

    @Test("single capital initials")
    func initials() {
        #expect(sentenceStrings("J. Smith and A. B. Jones spoke. They agreed.") ==
                ["J. Smith and A. B. Jones spoke.", "They agreed."])
        #expect(sentenceStrings("President George W. Bush signed it.") == ["President George W. Bush signed it."])
        #expect(sentenceStrings("He chose plan B. The others objected.") == ["He chose plan B.", "The others objected."])
    }

    @Test("dotted acronyms split only before a capitalised function word")
    func dottedAcronyms() {
        #expect(sentenceStrings("The U.N. said it would act. U.N. officials agreed.") ==
                ["The U.N. said it would act.", "U.N. officials agreed."])
        #expect(sentenceStrings("The U.K. and the E.U. agreed on a U.S. 2024 budget line.") ==
                ["The U.K. and the E.U. agreed on a U.S. 2024 budget line."])
        #expect(sentenceStrings("It was sent to the U.S. Congress on Monday.") ==
                ["It was sent to the U.S. Congress on Monday."])
        #expect(sentenceStrings("The delegation returned to the U.S. The next day it met.") ==
                ["The delegation returned to the U.S.", "The next day it met."])
        #expect(sentenceStrings("Talks ended at 10 p.m. They resume at 9 a.m. tomorrow.") ==
                ["Talks ended at 10 p.m.", "They resume at 9 a.m. tomorrow."])
        #expect(sentenceStrings("Funding came from the E.U. But it was late.") ==
                ["Funding came from the E.U.", "But it was late."])
        // A footnote number glued to an acronym by PDF extraction; a version number is no acronym.
        #expect(sentenceStrings("See 15U.S. General Accounting Office reports. Version 2.5. The end.") ==
                ["See 15U.S. General Accounting Office reports.", "Version 2.5.", "The end."])
    }

    @Test("decimal numbers and ellipses")
    func decimalsAndEllipses() {
        #expect(sentenceStrings("Growth was 3.5 percent. It fell to 2.75 percent.") ==
                ["Growth was 3.5 percent.", "It fell to 2.75 percent."])
        #expect(sentenceStrings("He paused... and continued. Then \u{2026} silence.") ==
                ["He paused... and continued.", "Then \u{2026} silence."])
        #expect(sentenceStrings("He waited... Nothing happened. She left\u{2026} He stayed.") ==
                ["He waited...", "Nothing happened.", "She left\u{2026}", "He stayed."])
    }

    @Test("closing quotes and brackets after the full stop stay with the sentence")
    func quotesAfterStop() {
        #expect(sentenceStrings("He said \"No.\" Then he left.") == ["He said \"No.\"", "Then he left."])
        #expect(sentenceStrings("She said \u{201C}we will act.\u{201D} Nobody doubted it.") ==
                ["She said \u{201C}we will act.\u{201D}", "Nobody doubted it."])
        #expect(sentenceStrings("(The vote was close.) Delegates left. 'It is over.' \"Really?\" he asked.") ==
                ["(The vote was close.)", "Delegates left.", "'It is over.'", "\"Really?\" he asked."])
        #expect(sentenceStrings("He left. \"We stay,\" they said.") == ["He left.", "\"We stay,\" they said."])
    }

    @Test("question and exclamation marks")
    func questionAndExclamation() {
        #expect(sentenceStrings("Who funds them? Nobody knows! We must act?! Yes.") ==
                ["Who funds them?", "Nobody knows!", "We must act?!", "Yes."])
        #expect(sentenceStrings("Is it over? probably not.") == ["Is it over? probably not."])
    }

    @Test("no terminal punctuation, whitespace and empty text")
    func noPunctuation() {
        #expect(SentenceSplitter.sentences(in: "A headline without a full stop") == [0..<30])
        #expect(SentenceSplitter.sentences(in: "  \tindented and trailing \r\n") == [3..<24])
        #expect(SentenceSplitter.sentences(in: "") == [])
        #expect(SentenceSplitter.sentences(in: " \t\r\n ") == [])
        #expect(SentenceSplitter.sentences(in: "Ends with a stop.   ") == [0..<17])
    }

    @Test("line breaks, CRLF and tabs inside a paragraph")
    func lineBreaks() {
        #expect(sentenceStrings("First line\r\ncontinues here. Second\tsentence.\r\nThird one.\nFourth") ==
                ["First line\r\ncontinues here.", "Second\tsentence.", "Third one.", "Fourth"])
    }

    @Test("CJK and Arabic terminators need no following space")
    func cjkAndArabic() {
        #expect(sentenceStrings("恐怖主义是威胁。各国应合作！是吗？好。") == ["恐怖主义是威胁。", "各国应合作！", "是吗？", "好。"])
        #expect(SentenceSplitter.sentences(in: "恐怖主义是威胁。各国应合作！") == [0..<8, 8..<14])
        // A closing quote right after 。 followed by more text continues the sentence.
        #expect(sentenceStrings("彼は「はい。」と言った。次に行く。") == ["彼は「はい。」と言った。", "次に行く。"])
        #expect(sentenceStrings("هل هذا صحيح؟ نعم.") == ["هل هذا صحيح؟", "نعم."])
        #expect(sentenceStrings("هل هذا صحيح؟نعم") == ["هل هذا صحيح؟", "نعم"])
    }

    @Test("offsets count code points, not graphemes or UTF-16 units")
    func multiByteOffsets() {
        // 🇺🇳 is 2 scalars, 1 grapheme, 4 UTF-16 units; e + U+0301 is 2 scalars, 1 grapheme;
        // the family emoji is 5 scalars, 1 grapheme, 8 UTF-16 units.
        let text = "Flags \u{1F1FA}\u{1F1F3} flew. Cafe\u{301} opened. \u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467} left."
        #expect(text.unicodeScalars.count == 40)
        #expect(text.count == 34)
        #expect(text.utf16.count == 45)
        #expect(SentenceSplitter.sentences(in: text) == [0..<14, 15..<28, 29..<40])
        #expect(sentenceStrings(text) == [
            "Flags \u{1F1FA}\u{1F1F3} flew.", "Cafe\u{301} opened.", "\u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467} left.",
        ])
    }

    @Test("non-breaking space counts as whitespace and abbreviations still hold")
    func nonBreakingSpace() {
        #expect(sentenceStrings("Mr.\u{A0}Voronkov spoke.\u{A0}He left.") == ["Mr.\u{A0}Voronkov spoke.", "He left."])
    }

    @Test("contract holds on every paragraph of the news, reports and Unicode corpora",
          arguments: ["news", "reports", "unicode"])
    func corpusContract(folder: String) throws {
        let folderURL = splitterCorpus.appendingPathComponent(folder)
        let files = try FileManager.default.contentsOfDirectory(atPath: folderURL.path)
            .filter { $0.hasSuffix(".txt") && !$0.contains("LICENSE") }.sorted()
        #expect(!files.isEmpty)
        var sentenceCount = 0
        for file in files {
            let document = try Document(contentsOfFile: folderURL.appendingPathComponent(file).path)
            #expect(document.paragraphs.count > 1, "\(file)")
            for index in document.paragraphs.indices {
                let paragraph = document.text(ofParagraph: index)
                if let violation = contractViolation(paragraph) {
                    Issue.record("\(file) paragraph \(index): \(violation)")
                }
                sentenceCount += SentenceSplitter.sentences(in: paragraph).count
            }
        }
        // The corpora are real prose: clearly more sentences than files.
        #expect(sentenceCount > files.count * 5)
    }

    @Test("contract holds on awkward synthetic paragraphs")
    func syntheticContract() {
        let samples = [
            ". . . ", "...", "?!", " . A", "U.S.", "Mr.", "e.g. ", "\"\" . \"", "a.\u{3002}b", "\u{3002}\u{3002} x",
            "(\u{201C}Hi.\u{201D}) (Bye.)", "\r\n.\r\n", "J. K. L. M.", "3. 4. 5.", "\u{2026}\u{2026} A\u{2026}",
        ]
        for sample in samples {
            #expect(contractViolation(sample) == nil, "\(sample.debugDescription)")
        }
    }

    @Test("a long paragraph of abbreviations, initials, decimals and ellipses splits as its parts do")
    func longParagraph() {
        let unit = "Mr. J. Smith of the U.N. said 3.5 percent, e.g. cash... It grew. "
        let text = String(repeating: unit, count: 5_000)
        let ranges = SentenceSplitter.sentences(in: text)
        #expect(ranges.count == 10_000)
        #expect(ranges.last?.upperBound == text.unicodeScalars.count - 1)
    }

    @Test("the terminators of Devanagari, Arabic, CJK, Ethiopic and Armenian end sentences")
    func otherScripts() {
        #expect(sentenceStrings("क ख है । ग घ है ।") == ["क ख है ।", "ग घ है ।"])
        #expect(sentenceStrings("पहला वाक्य॥ दूसरा वाक्य।") == ["पहला वाक्य॥", "दूसरा वाक्य।"])
        #expect(sentenceStrings("یہ پہلا جملہ ہے۔ یہ دوسرا ہے؟ ہاں") == ["یہ پہلا جملہ ہے۔", "یہ دوسرا ہے؟", "ہاں"])
        #expect(sentenceStrings("第一句。第二句！第三句？第四句") == ["第一句。", "第二句！", "第三句？", "第四句"])
        #expect(sentenceStrings("ሰላም ነው። እንዴት ነህ፧ ደህና") == ["ሰላም ነው።", "እንዴት ነህ፧", "ደህና"])
        #expect(sentenceStrings("Բարև։ Ինչպես ես։") == ["Բարև։", "Ինչպես ես։"])
    }

    @Test("sentence boundaries never split a grapheme cluster")
    func clusterBoundaries() {
        // a mark after the terminator stays with it; a space carrying a mark lies between sentences
        #expect(sentenceStrings("One.\u{0301} Two.") == ["One.\u{0301}", "Two."])
        #expect(sentenceStrings("One. \u{0301}Two. \u{200D}") == ["One.", "Two."])
        #expect(sentenceStrings("\u{0903} 。\n\u{200D}x") == ["\u{0903} 。", "\u{200D}x"])
        for text in ["One. \u{0301}Two.", "\u{0301}", " \u{0301} ", "a 。\u{FE0F}b", "Ab. \u{1F3FB}Cd.", "x\u{0085}\u{FE0F}. Y"] {
            #expect(contractViolation(text) == nil, "\(text.unicodeScalars.map { String($0.value, radix: 16) }): \(contractViolation(text) ?? "")")
        }
    }
}
