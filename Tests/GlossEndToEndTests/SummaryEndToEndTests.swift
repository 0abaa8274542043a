import Foundation
import GlossTestSupport
import Testing

/// The summary pane (`S`) in a real terminal (tmux), over the three coded news articles
/// of ``CorpusEndToEndTests``: every bar's number is `gloss stats --format json`'s.
@Suite(.serialized) struct SummaryEndToEndTests {
    /// How the pane names a co-occurrence basis that the JSON names by its id.
    static let basisLabels = ["sentence": "same sentence", "annotation": "same annotation", "relation": "relation"]

    /// The pane's rows, read page by page (PgDn) from the open pane, in order: each row's
    /// text between the box's borders. The bottom border says which rows show
    /// (`first–last of count`).
    static func paneRows(_ tmux: TmuxSession) throws -> [String] {
        var rows: [String] = []
        for _ in 0..<20 {
            let screen = try tmux.screen()
            // the box: its top border, the totals line, the rows, the keys line, the bottom border
            let bottom = try #require(screen.lastIndex { $0.contains("└") }, "no box on the screen:\n\(screen.joined(separator: "\n"))")
            let shown = screen[2..<(bottom - 1)].map { line -> String in
                guard let open = line.firstIndex(of: "│"), let close = line.lastIndex(of: "│"), open < close else { return "" }
                return String(line[line.index(after: open)..<close].dropFirst())
            }
            let indicator = screen[bottom].firstMatch(of: /(\d+)–(\d+) of (\d+)/)
            let first = indicator.map { Int($0.1)! } ?? 1
            let count = indicator.map { Int($0.3)! } ?? shown.count
            for (offset, row) in shown.enumerated() where first - 1 + offset < count {
                let index = first - 1 + offset
                if index == rows.count { rows.append(row) }
            }
            if rows.count >= count { return rows }
            try tmux.send("PageDown")
            // a page down, or as far as the last row lets it go
            try tmux.waitFor("\(min(first + shown.count, count - shown.count + 1))–")
        }
        Issue.record("the pane never showed its last row")
        return rows
    }

    /// The numbers of the pane's bars by section and label: `Actor: state/Indonesia` →
    /// [tags, documents]; `Actor × Threat · same sentence: Anonymous × cyber attack` → [count].
    static func bars(_ rows: [String]) -> [String: [Int]] {
        var bars: [String: [Int]] = [:]
        var section = ""
        for row in rows {
            if let bar = row.firstMatch(of: /^  (.+?) +[█▉▊▋▌▍▎▏]+ (\d+)(?: +(\d+) docs?)? *$/) {
                bars[section + ": " + bar.1] = [Int(bar.2)!] + (bar.3.map { [Int($0)!] } ?? [])
            } else if let heading = row.firstMatch(of: /^(\S.*?)  (\d+ tags? in \d+ documents?|none|pairs of|annotations carrying|relations between)/) {
                section = String(heading.1)
            }
        }
        return bars
    }

    @Test func summaryBarsEqualStatsJSONAndFollowANewTag() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let news = try CorpusEndToEndTests.makeCorpus(in: folder.url)
        // three coded documents, no other
        try FileManager.default.removeItem(at: news.appendingPathComponent("wikinews_news_sensitive.txt"))
        let stats = try CorpusEndToEndTests.gloss(["stats", "news", "--format", "json"], in: folder.url)
        #expect(stats.status == 0, "\(stats.error)")
        let root = try #require(try JSONSerialization.jsonObject(with: Data(stats.output.utf8)) as? [String: Any])
        var labels: [String: String] = [:]
        for category in try #require(root["categories"] as? [[String: Any]]) {
            labels[category["id"] as! String] = category["label"] as? String
        }
        var expected: [String: [Int]] = [:]
        for value in try #require(root["values"] as? [[String: Any]]) {
            expected["\(labels[value["category"] as! String]!): \(value["value"]!)"] = [value["tags"] as! Int, value["documents"] as! Int]
        }
        for table in try #require(root["cooccurrence"] as? [[String: Any]]) {
            let title = "\(labels[table["rows"] as! String]!) × \(labels[table["columns"] as! String]!) · \(Self.basisLabels[table["basis"] as! String]!)"
            for cell in table["cells"] as! [[String: Any]] {
                expected["\(title): \(cell["row"]!) × \(cell["column"]!)"] = [cell["count"] as! Int]
            }
        }
        #expect(expected.count > 12)

        let tmux = try TmuxSession(command: glossCommand(["news"]), width: 100, height: 30, folder: folder.url)
        try tmux.waitFor("Documents (3) in news/")
        try tmux.send("Enter")
        try tmux.waitFor("1 of 3: wikinews_news_asylum.txt")
        try tmux.send("S")
        try tmux.waitFor("as gloss stats counts them")
        let totals = "\(root["documents"]!) document(s), \(root["annotations"]!) annotation(s), \(root["tags"]!) tag(s)"
        try tmux.waitFor(totals)
        let bars = Self.bars(try Self.paneRows(tmux))
        #expect(bars == expected)

        // a tag made in the reader is counted the next time the pane opens
        try tmux.send("Escape")
        // the pane took the screen; the annotation list shows again
        try tmux.waitFor("Annotations (5)")
        try tmux.send("j", "a")
        try tmux.send("Anonymous", literal: true)
        try tmux.send("Enter")
        try tmux.waitFor("Tagged Actor: Anonymous")
        try tmux.send("S")
        try tmux.waitFor("\(root["documents"]!) document(s), \((root["annotations"] as! Int) + 1) annotation(s), \((root["tags"] as! Int) + 1) tag(s)")
        let after = Self.bars(try Self.paneRows(tmux))
        #expect(after["Actor: Anonymous"] == [2, 2])
        try tmux.send("q")
        try tmux.waitFor("Annotations (6)")
        try tmux.send("q")
        #expect(try tmux.waitForExit() == 0)
    }
}
