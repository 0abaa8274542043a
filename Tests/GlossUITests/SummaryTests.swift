import Foundation
import Testing
@testable import GlossCore
@testable import GlossUI

/// The summary pane (`S`): `gloss stats`'s counts drawn as bars, over a corpus or one
/// document, with the open document counted as it is in memory.
@Suite("Summary pane")
struct SummaryTests {
    /// The test codebook with `Turkey` and `Greece` nested under `state`, so values show
    /// their codebook path.
    static let codebook: Codebook = {
        var codebook = Fixture.codebook
        codebook.categories[0].values.append(CodebookValue(value: "state", values: [CodebookValue(value: "Turkey"), CodebookValue(value: "Greece")]))
        return codebook
    }()

    static let valmora = """
    Ministers meet in Valmora

    Turkey and the UN Office of Counter-Terrorism agreed to share watch lists of ISIL recruiters. Critics warned about surveillance.
    """

    static let ostrava = """
    Police raid in Ostrava

    Police arrested four men in Ostrava. Prosecutors said the men financed ISIL.
    """

    static let athens = """
    Talks in Athens

    Greece hosted a conference on ISIL propaganda. The ministers agreed on nothing.
    """

    /// A long value, and one holding an escape sequence a terminal would obey.
    static let longValue = "Joint Investigation Team of the European Union Agency for Criminal Justice Cooperation"
    static let escapeValue = "Evil \u{1B}[31m red"

    /// An annotation of `document` on the first `quote` (ASCII text) with `tags`
    /// (category, value).
    static func annotation(_ document: Document, _ quote: String, _ tags: [(String, String)], id: String) throws -> Annotation {
        let text = document.text
        let found = try #require(text.range(of: quote), "\(quote) is not in the text")
        let start = text.unicodeScalars.distance(from: text.startIndex, to: found.lowerBound)
        return Annotation(document: document, range: start..<(start + quote.unicodeScalars.count),
                          tags: tags.map { GlossCore.Tag(category: $0.0, value: $0.1) }, author: "ana", date: Fixture.clock, id: id)
    }

    /// A folder `news` of four documents, the first three with stores: a.txt (Valmora,
    /// with a relation), b.txt (Ostrava, the long and the escape value), c.txt (Athens),
    /// d.txt without a store.
    static func makeCorpus() throws -> CorpusFolder {
        let folder = try CorpusFolder(name: "news")
        try folder.write(valmora, to: "a.txt")
        try folder.write(ostrava, to: "b.txt")
        try folder.write(athens, to: "c.txt")
        try folder.write("No store here.\n", to: "d.txt")
        let a = try Document(contentsOfFile: folder.path("a.txt"))
        let turkey = try annotation(a, "Turkey", [("actor", "Turkey")], id: "A1")
        let office = try annotation(a, "the UN Office of Counter-Terrorism", [("actor", "UN Office of Counter-Terrorism")], id: "A2")
        let sharing = try annotation(a, "share watch lists", [("cooperation-measure", "information sharing")], id: "A3")
        let recruiters = try annotation(a, "ISIL recruiters", [("actor", "ISIL"), ("threat", "violent extremism")], id: "A4")
        try AnnotationStore(path: folder.path("a.txt.gloss.json")).save(StoreContents(
            annotations: [turkey, office, sharing, recruiters],
            relations: [Relation(id: "R1", type: "undertakes", from: "A1", to: "A3", author: "ana", created: "2026-11-29T19:00:00Z", modified: "2026-11-29T19:00:00Z")]),
            of: a)
        let b = try Document(contentsOfFile: folder.path("b.txt"))
        try AnnotationStore(path: folder.path("b.txt.gloss.json")).save(StoreContents(annotations: [
            try annotation(b, "Police arrested four men", [("actor", longValue)], id: "B1"),
            try annotation(b, "financed ISIL", [("actor", "ISIL"), ("threat", "terrorist financing")], id: "B2"),
            try annotation(b, "Prosecutors", [("actor", escapeValue)], id: "B3"),
        ]), of: b)
        let c = try Document(contentsOfFile: folder.path("c.txt"))
        try AnnotationStore(path: folder.path("c.txt.gloss.json")).save(StoreContents(annotations: [
            try annotation(c, "ISIL propaganda", [("actor", "ISIL"), ("threat", "terrorist propaganda")], id: "C1"),
        ]), of: c)
        return folder
    }

    /// Bar rows by their label: the number each draws and, for values, its documents.
    static func bars(_ rows: [SummaryRow]) -> [String: [Int]] {
        var bars: [String: [Int]] = [:]
        var section = ""
        for row in rows {
            switch row.kind {
            case .category(let label, _, _, _, _): section = label
            case .table(let title, _, _): section = title
            case .value(let label, _, let tags, let documents): bars[section + ": " + label] = [tags, documents]
            case .pair(let rowValue, let columnValue, _, let count): bars[section + ": " + rowValue + " × " + columnValue] = [count]
            default: break
            }
        }
        return bars
    }

    @Test("a bar is whole blocks and an eighth block, scaled to the largest count, at least an eighth for any count")
    func bars() {
        #expect(Renderer.bar(4, largest: 4, cells: 10) == String(repeating: "█", count: 10))
        #expect(Renderer.bar(1, largest: 4, cells: 10) == "██▌")    // 2.5 cells
        #expect(Renderer.bar(1, largest: 3, cells: 10) == "███▍")   // 3.33 cells: 3 and 3/8
        #expect(Renderer.bar(1, largest: 1000, cells: 10) == "▏")   // 0.08 of an eighth still shows
        #expect(Renderer.bar(0, largest: 4, cells: 10) == "")
        #expect(Renderer.bar(7, largest: 8, cells: 1) == "▉")
    }

    @Test("in a corpus, S counts every document as gloss stats does, the open one as it is in memory; reopened after a tag, the new counts")
    func corpusCounts() throws {
        let folder = try Self.makeCorpus()
        defer { folder.cleanUp() }
        var corpus = try folder.corpus(width: 100, height: 30, codebook: Self.codebook)
        corpus.press(.character("j"), .character("j"), .enter)
        #expect(corpus.openIndex == 2)
        corpus.press(.character("S"))
        #expect(corpus.session?.state.mode == .summary)
        #expect(corpus.session?.state.summary?.counts == nil)
        // while counting, the pane says so
        #expect(Renderer.render(corpus).lines.contains { $0.contains("Counting the tags of every document…") })
        let counted1 = corpus.waitForSummary()
        #expect(counted1)
        let counts = try #require(corpus.session?.state.summary?.counts)
        // the same figures as gloss stats's code over the same files
        let documents = (0..<corpus.documents.count).map { CorpusDocument(path: corpus.documents.path($0)) }
        let codebooks = documents.map { _ in Result<Codebook, Error>.success(Self.codebook) }
        let pairs = CorpusStatistics.pairs(of: Self.codebook.categories.map(\.id))
        let stats = CorpusStatistics.count(documents, codebooks: codebooks, pairs: pairs).statistics
        #expect(counts.report.statistics.tags == stats.tags)
        #expect(counts.report.statistics.documentsWith == stats.documentsWith)
        #expect(counts.report.statistics.coOccurrences == stats.coOccurrences)
        #expect(counts.withoutStore == 1 && counts.failures.isEmpty)
        let bars = Self.bars(counts.rows)
        #expect(bars["Actor: ISIL"] == [3, 3])
        #expect(bars["Actor: state/Turkey"] == [1, 1])
        #expect(bars["Threat: terrorist financing"] == [1, 1])
        #expect(bars["Actor × Threat · same annotation: ISIL × violent extremism"] == [1])
        #expect(bars["Actor × Cooperation measure · relation: state/Turkey × information sharing"] == [1])
        #expect(bars["Actor × Cooperation measure · same sentence: state/Turkey × information sharing"] == [1])
        // the value rows of a category come most tags first; co-occurring pairs most first
        let actorRows = counts.rows.compactMap { row -> String? in
            if case .value(let label, _, _, _) = row.kind { return label }
            return nil
        }
        #expect(actorRows.first == "ISIL")

        // a tag made here, not yet saved, is in the next count
        corpus.press(.escape)
        #expect(corpus.session?.state.mode == .reading && corpus.session?.state.summary == nil)
        corpus.session?.state.focusSentence(startingWith: "Greece hosted")
        corpus.press(.character("a"))
        corpus.type("Greece")
        corpus.press(.enter)
        #expect(corpus.session?.state.annotations.count == 2)
        corpus.press(.character("S"))
        let counted2 = corpus.waitForSummary()
        #expect(counted2)
        let again = Self.bars(try #require(corpus.session?.state.summary?.rows))
        #expect(again["Actor: state/Greece"] == [1, 1])
        #expect(again["Actor: ISIL"] == [3, 3])
        corpus.press(.character("q"))
        #expect(corpus.session?.state.mode == .reading)
        corpus.session?.release()
    }

    @Test("a store that cannot be read is named in the pane, in the error style, and the other documents are counted")
    func damagedStore() throws {
        let folder = try Self.makeCorpus()
        defer { folder.cleanUp() }
        try folder.write("{ not a store", to: "b.txt.gloss.json")
        var corpus = try folder.corpus(width: 100, height: 30, codebook: Self.codebook)
        corpus.press(.enter, .character("S"))
        let counted = corpus.waitForSummary()
        #expect(counted)
        let counts = try #require(corpus.session?.state.summary?.counts)
        #expect(counts.failures.count == 1 && counts.withoutStore == 1)
        #expect(counts.report.statistics.documents.map { URL(fileURLWithPath: $0.name).lastPathComponent } == ["a.txt", "c.txt"])
        let buffer = Renderer.render(corpus)
        let row = try #require(buffer.lines.firstIndex { $0.contains("Not counted: ") && $0.contains("b.txt.gloss.json") })
        let column = try #require(buffer.lines[row].firstIndex(of: "N")).utf16Offset(in: buffer.lines[row])
        #expect(buffer[row, column].style.foreground == .red)
        #expect(!buffer.lines[row].contains("gloss: "))
        corpus.session?.release()
    }

    @Test("one document: S counts it from memory with its codebook; the pane scrolls with j k, a page, g G and closes to where it was opened")
    func singleDocumentAndScrolling() throws {
        let folder = try Self.makeCorpus()
        defer { folder.cleanUp() }
        var session = try Session(document: try Document(contentsOfFile: folder.path("a.txt")), codebook: Self.codebook,
                                  store: AnnotationStore(path: folder.path("a.txt.gloss.json")), width: 80, height: 24)
        session.state.now = { Fixture.clock }
        var corpus = CorpusSession(single: session)
        corpus.press(.tab)
        #expect(corpus.session?.state.mode == .list)
        corpus.press(.character("S"))
        let counted3 = corpus.waitForSummary()
        #expect(counted3)
        let state = try #require(corpus.session?.state)
        #expect(state.summary?.title == "Summary of a.txt")
        let bars = Self.bars(state.summary?.rows ?? [])
        #expect(bars["Actor: ISIL"] == [1, 1] && bars["Actor: state/Turkey"] == [1, 1])
        #expect(bars["Threat: terrorist financing"] == nil)
        #expect(state.summary?.counts?.report.statistics.documents.count == 1)

        let rows = state.summary?.rows.count ?? 0
        let capacity = SummaryBox(width: 80, height: 24).capacity
        #expect(rows > capacity, "the pane should need scrolling at 80x24")
        let last = rows - capacity
        func scroll() -> Int? { corpus.session?.state.summary?.scroll }
        corpus.press(.character("j"), .character("j"))
        #expect(scroll() == 2)
        corpus.press(.character("k"))
        #expect(scroll() == 1)
        corpus.press(.character("G"))
        #expect(scroll() == last)
        corpus.press(.character("j"))
        #expect(scroll() == last)
        corpus.press(.character("g"))
        #expect(scroll() == 0)
        corpus.press(.pageDown)
        #expect(scroll() == min(last, capacity))
        corpus.press(.character("b"))
        #expect(scroll() == 0)
        corpus.press(.character("3"), .down)
        #expect(scroll() == 3)
        corpus.press(.end)
        let screen = Renderer.render(corpus).lines
        #expect(screen.contains { $0.contains("\(last + 1)–\(rows) of \(rows)") })
        // help over the pane returns to it
        corpus.press(.character("?"))
        #expect(corpus.session?.state.mode == .help && corpus.session?.state.showsSummary == true)
        corpus.press(.character("x"))
        #expect(corpus.session?.state.mode == .summary)
        corpus.press(.character("S"))
        #expect(corpus.session?.state.mode == .list && corpus.session?.state.summary == nil)
        corpus.session?.release()
    }

    @Test("the summary pane at 80x24 and 100x30: nested values with their path, long names cut by display width, controls as pictures",
          arguments: [(80, 24), (100, 30)])
    func screens(width: Int, height: Int) throws {
        let folder = try Self.makeCorpus()
        defer { folder.cleanUp() }
        var corpus = try folder.corpus(width: width, height: height, codebook: Self.codebook)
        corpus.press(.enter)
        corpus.press(.character("S"))
        let counted4 = corpus.waitForSummary()
        #expect(counted4)
        let buffer = Renderer.render(corpus)
        let lines = buffer.lines
        #expect(lines.allSatisfy { DisplayWidth.columns(of: $0) == width })
        #expect(!lines.joined().unicodeScalars.contains { ControlPictures.isControl($0) })
        #expect(lines.contains { $0.contains("state/Turkey") && $0.contains("█") })
        #expect(lines.contains { $0.contains("Evil ␛[31m red") })
        #expect(lines.contains { $0.contains("Joint Investigation Team of") && $0.contains("…") })
        #expect(!lines.joined().contains(Self.longValue))
        Golden.check(buffer, named: "summary-\(width)x\(height)", styles: true)
        // the co-occurring pairs, further down
        corpus.press(.character("G"))
        let end = Renderer.render(corpus)
        #expect(end.lines.contains { $0.contains("Threat × Cooperation measure · relation") })
        Golden.check(end, named: "summary-end-\(width)x\(height)")
        corpus.session?.release()
    }
}
