import Foundation
import GlossCore
import GlossTestSupport
import Testing

/// `gloss export --format html` as a user runs it: the report of the coded sample
/// article, of a Markdown file (its headings) and of a corpus, each parsed by Python's
/// html5lib in strict mode and checked against the documents' texts and stores
/// (``HTMLReportCheck``).
@Suite(.serialized) struct HTMLReportEndToEndTests {
    static func gloss(_ arguments: [String], in folder: URL) throws -> ProcessResult {
        try BratEndToEndTests.gloss(arguments, in: folder)
    }

    /// What the check expects of `text` and the store beside `document`.
    static func expected(text: String, document: URL) throws -> HTMLReportCheck.Expected {
        let contents = try #require(try AnnotationStore(path: AnnotationStore.defaultPath(forDocument: document.path)).load())
        return HTMLReportCheck.Expected(text: text, annotations: contents.annotations.map { ($0.id, $0.start, $0.end, $0.quote, $0.note) },
                                        orphans: contents.orphans.map { ($0.id, $0.quote) }, relations: contents.relations.count)
    }

    /// Runs the check on `report`, expecting nothing wrong.
    static func expectValid(_ report: URL, documents: [HTMLReportCheck.Expected], sourceLocation: SourceLocation = #_sourceLocation) throws {
        let (problems, checked) = try HTMLReportCheck.check(report: report.path, documents: documents)
        #expect(problems == [], "\(problems.joined(separator: "\n"))", sourceLocation: sourceLocation)
        #expect(checked["documents"] == documents.count, sourceLocation: sourceLocation)
    }

    /// A Markdown post with two headings, coded through the store API against the text
    /// `gloss text` gives: a span over a heading and the paragraph after it, one inside.
    static func codedMarkdown(in folder: URL) throws -> (file: URL, text: String) {
        let file = folder.appendingPathComponent("post.md")
        try Data("# Talks in *Ankara*\n\nTurkey and the EU agreed to share data.\n\n## What next\n\nEuropol &amp; Interpol &lt;will&gt; help.\n".utf8).write(to: file)
        let result = try run(Paths.gloss.path, ["text", file.path], environment: ImportEndToEndTests.environment)
        #expect(result.status == 0, "\(result.error)")
        let text = result.output
        let document = Document(text: text, path: file.path)
        func annotation(_ first: String, through last: String, _ category: String, id: String) throws -> Annotation {
            Annotation(document: document, range: try CoderEndToEndTests.span(text, from: first, through: last),
                       tags: [GlossCore.Tag(category: category, value: "")], note: id == "M2" ? "a \"note\" <here>" : "", author: "ana",
                       date: Date(timeIntervalSince1970: 1_800_000_000), id: id)
        }
        let annotations = [try annotation("Ankara", through: "Turkey", "actor", id: "M1"),
                           try annotation("Europol", through: "<will>", "actor", id: "M2")]
        try AnnotationStore(path: AnnotationStore.defaultPath(forDocument: file.path)).save(StoreContents(annotations: annotations), of: document)
        return (file, text)
    }

    @Test("gloss export --format html of the coded sample article: html5lib parses the page without an error, every quote is in its marks and in the table; standard output gets the same page")
    func exportTheSampleArticle() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let path = try BratEndToEndTests.codedSample(in: folder)
        let result = try Self.gloss(["export", "sample-article.txt", "--format", "html", "-o", "report.html"], in: folder.url)
        #expect(result.status == 0, "\(result.error)")
        let report = folder.url.appendingPathComponent("report.html")
        let text = try String(contentsOf: path, encoding: .utf8)
        try Self.expectValid(report, documents: [try Self.expected(text: text, document: path)])
        let html = try String(contentsOf: report, encoding: .utf8)
        #expect(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"))
        #expect(html.contains("<h2><mark id=\"d1-m1\" class=\"k-green s2 l0\" data-id=\"S1\""), "the title, a heading, tagged from offset 0")
        let toStandardOutput = try Self.gloss(["export", "sample-article.txt", "--format", "html"], in: folder.url)
        #expect(toStandardOutput.status == 0)
        #expect(toStandardOutput.output == html)
    }

    @Test("The report of a Markdown file shows its headings as <h2>, the rest as <p>; a corpus of it and the sample article is one page with a section per document, html5lib parses both")
    func markdownHeadingsAndACorpus() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let (post, postText) = try Self.codedMarkdown(in: folder.url)
        let single = try Self.gloss(["export", "post.md", "--format", "html", "-o", "post.html"], in: folder.url)
        #expect(single.status == 0, "\(single.error)")
        let report = folder.url.appendingPathComponent("post.html")
        try Self.expectValid(report, documents: [try Self.expected(text: postText, document: post)])
        let html = try String(contentsOf: report, encoding: .utf8)
        #expect(html.contains("<h2>Talks in <mark id=\"d1-m1\""), "\(html)")
        #expect(html.contains("<h2>What next"), "\(html)")
        #expect(html.contains(">Europol &amp; Interpol &lt;will&gt;</mark>"))

        let sample = try BratEndToEndTests.codedSample(in: folder)
        let corpus = try Self.gloss(["export", "post.md", "sample-article.txt", "--format", "html", "-o", "corpus.html"], in: folder.url)
        #expect(corpus.status == 0, "\(corpus.error)")
        let corpusReport = folder.url.appendingPathComponent("corpus.html")
        let corpusHTML = try String(contentsOf: corpusReport, encoding: .utf8)
        #expect(corpusHTML.contains("<h1>Corpus: post.md sample-article.txt</h1>"))
        #expect(corpusHTML.contains("<h3>Talks in <mark id=\"d1-m1\""), "a document's headings one level below its own")
        #expect(corpusHTML.contains("<h3><mark id=\"d2-m1\""), "the sample article's title, tagged from offset 0")
        try Self.expectValid(corpusReport, documents: [try Self.expected(text: postText, document: post),
                                                       try Self.expected(text: try String(contentsOf: sample, encoding: .utf8), document: sample)])
    }
}
