import Foundation
import Testing
@testable import GlossUI
import GlossCore

/// Shared inputs of the GlossUI tests: the seed article, a codebook built in code, and
/// helpers that drive an ``AppState`` through ``AppState/handle(key:)`` as the app does.
enum Fixture {
    /// The package root: three levels up from this file (Tests/GlossUITests/Support.swift).
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `../shared/corpus` beside the package.
    static let corpus = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/corpus")

    /// The seed article's path.
    static let seedPath = corpus.appendingPathComponent("seed-counter-terrorism-conference.txt").path

    /// The golden screens folder.
    static let goldens = packageRoot.appendingPathComponent("Tests/GlossUITests/Goldens")

    /// The seed article, read from disk the way `gloss read` opens it.
    static func seedDocument() throws -> Document {
        try Document(contentsOfFile: seedPath)
    }

    /// A small counter-terrorism codebook, built here so the tests do not depend on
    /// Resources/codebook.json while it changes.
    static let codebook = Codebook(name: "Test codebook", categories: [
        Category(id: "actor", label: "Actor", key: "a", color: "cyan",
                 description: "Who acts or is acted upon.",
                 values: [
                     CodebookValue(value: "UN Office of Counter-Terrorism", aliases: ["UNOCT"]),
                     CodebookValue(value: "UN Security Council"),
                     CodebookValue(value: "ISIL", aliases: ["ISIS", "Daesh"]),
                     CodebookValue(value: "Interpol"),
                     CodebookValue(value: "private sector"),
                 ]),
        Category(id: "threat", label: "Threat", key: "t", color: "red",
                 description: "The danger reported.",
                 values: [
                     CodebookValue(value: "terrorist financing"),
                     CodebookValue(value: "violent extremism"),
                     CodebookValue(value: "incitement"),
                     CodebookValue(value: "terrorist propaganda"),
                 ]),
        Category(id: "cooperation-measure", label: "Cooperation measure", key: "c", color: "green",
                 description: "What states and bodies do together.",
                 values: [
                     CodebookValue(value: "international conference"),
                     CodebookValue(value: "public-private partnership"),
                     CodebookValue(value: "information sharing"),
                 ]),
    ])

    /// A fixed clock so timestamps never depend on when the tests run.
    static let clock = Date(timeIntervalSince1970: 1_795_000_000)

    /// A reader on the seed article at `width` x `height`, sized through the resize action
    /// as `gloss read` does before its first frame.
    static func seedState(width: Int = 80, height: Int = 24) throws -> AppState {
        var state = AppState(document: try seedDocument(), codebook: codebook, annotations: [],
                             width: 80, height: 24, author: "tester")
        state.now = { clock }
        _ = state.handle(.resize(width: width, height: height))
        return state
    }
}

extension AppState {
    /// Presses `keys` in order through ``handle(key:)``; returns every effect they asked for.
    @discardableResult
    mutating func press(_ keys: Key...) -> [Effect] {
        press(keys)
    }

    /// Presses `keys` in order through ``handle(key:)``; returns every effect they asked for.
    @discardableResult
    mutating func press(_ keys: [Key]) -> [Effect] {
        keys.flatMap { key in
            let effects = handle(key: key)
            // as the event loop does between keys, however slow the machine
            while continueSearch(forSeconds: 1) {}
            return effects
        }
    }

    /// Types `text` one character at a time.
    @discardableResult
    mutating func type(_ text: String) -> [Effect] {
        press(text.map { Key.character($0) })
    }

    /// Presses `S` and hands the summary pane the counts it asks for, counted here as the
    /// corpus session counts them on its background thread (the document as it is in memory).
    mutating func openSummary() {
        let effects = press(.character("S"))
        guard effects.contains(.countSummary) else { return }
        let open = CorpusEntry(name: document.path, document: document, contents: contents, codebook: codebook)
        receive(.summaryCounted(SummaryCounts.count([CorpusDocument(path: document.path)], codebooks: [.success(codebook)],
                                                    open: open, openIndex: 0)))
    }

    /// The text of the focused sentence.
    var focusText: String? { focusRange.map { document.text(in: $0) } }

    /// Presses `j` until the focused sentence starts with `prefix` (at most 200 times).
    mutating func focusSentence(startingWith prefix: String, sourceLocation: SourceLocation = #_sourceLocation) {
        _ = press(.character("g"))
        for _ in 0..<200 {
            if focusText?.hasPrefix(prefix) == true { return }
            let before = focus
            _ = press(.character("j"))
            if focus == before { break }
        }
        Issue.record("no sentence starts with \"\(prefix)\"", sourceLocation: sourceLocation)
    }
}

// MARK: - Golden screens

/// Golden files hold one screen row per line between `|` bars (so trailing blanks survive
/// editors and are visible). `GLOSS_RECORD_GOLDENS=1` rewrites them; the test then fails
/// saying so, so recording is never mistaken for a pass.
enum Golden {
    static var recording: Bool { ProcessInfo.processInfo.environment["GLOSS_RECORD_GOLDENS"] == "1" }

    static func encode(_ lines: [String]) -> String {
        lines.map { "|" + $0 + "|" }.joined(separator: "\n") + "\n"
    }

    static func decode(_ text: String) -> [String] {
        var rows = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if rows.last == "" { rows.removeLast() }
        return rows.map { row in
            var row = Substring(row)
            if row.hasPrefix("|") { row = row.dropFirst() }
            if row.hasSuffix("|") { row = row.dropLast() }
            return String(row)
        }
    }

    /// A readable diff: every differing row with both versions and a caret under the
    /// first differing character.
    static func diff(expected: [String], actual: [String]) -> String {
        var out: [String] = []
        if expected.count != actual.count {
            out.append("row count: expected \(expected.count), got \(actual.count)")
        }
        for row in 0..<max(expected.count, actual.count) {
            let want = row < expected.count ? expected[row] : "<missing>"
            let got = row < actual.count ? actual[row] : "<missing>"
            guard want != got else { continue }
            let a = Array(want), b = Array(got)
            var first = 0
            while first < min(a.count, b.count) && a[first] == b[first] { first += 1 }
            let label = String(format: "%3d", row)
            out.append("row \(label) expected |\(want)|")
            out.append("row \(label) actual   |\(got)|")
            // under the rows' 18-character label "row   4 expected |"
            out.append(String(repeating: " ", count: 18 + first) + "^ (character \(first))")
        }
        return out.joined(separator: "\n")
    }

    /// Compares `lines` with golden file `name`, or records it.
    static func check(_ lines: [String], named name: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let url = Fixture.goldens.appendingPathComponent(name)
        if recording {
            do {
                try FileManager.default.createDirectory(at: Fixture.goldens, withIntermediateDirectories: true)
                try encode(lines).write(to: url, atomically: true, encoding: .utf8)
                Issue.record("recorded golden \(name) (GLOSS_RECORD_GOLDENS=1); check it by eye and rerun without the variable", sourceLocation: sourceLocation)
            } catch {
                Issue.record("could not record golden \(name): \(error)", sourceLocation: sourceLocation)
            }
            return
        }
        guard let text = try? String(contentsOf: url, encoding: .utf8) else {
            Issue.record("golden \(name) is missing; record it with GLOSS_RECORD_GOLDENS=1 swift test --filter GlossUITests", sourceLocation: sourceLocation)
            return
        }
        let expected = decode(text)
        if expected != lines {
            Issue.record("screen differs from golden \(name):\n\(diff(expected: expected, actual: lines))", sourceLocation: sourceLocation)
        }
    }

    /// Compares a rendered screen's text, and its style letters when `styles` is true,
    /// with `<name>.txt` and `<name>.styles.txt`.
    static func check(_ buffer: ScreenBuffer, named name: String, styles: Bool = false, sourceLocation: SourceLocation = #_sourceLocation) {
        check(buffer.lines, named: name + ".txt", sourceLocation: sourceLocation)
        if styles { check(buffer.styleLines, named: name + ".styles.txt", sourceLocation: sourceLocation) }
    }
}

extension AppState {
    /// The help overlay's text, every page of it: the box's rows, then those after each
    /// PgDn until the help scrolls no further, joined with line feeds.
    mutating func helpPages() -> String {
        func box() -> String {
            let lines = Renderer.render(self).lines
            guard let top = lines.firstIndex(where: { $0.contains("┌─ Gloss keys") }), let bottom = lines.lastIndex(where: { $0.contains("└") }) else { return "" }
            return lines[top...bottom].joined(separator: "\n")
        }
        var pages = [box()]
        for _ in 0..<50 {
            let before = help.scroll
            _ = handle(key: .pageDown)
            if help.scroll == before { break }
            pages.append(box())
        }
        return pages.joined(separator: "\n")
    }
}

extension AppState {
    /// A reader of `document` at 80x24 after `/query` and Enter, its search run to the end
    /// (as the terminal loop runs it between keys).
    static func searched(_ document: Document, for query: String) -> AppState {
        var state = AppState(document: document, codebook: Fixture.codebook, width: 80, height: 24, author: "t")
        _ = state.handle(.resize(width: 80, height: 24))
        _ = state.press(.character("/"))
        _ = state.type(query)
        _ = state.press(.enter)
        while state.continueSearch(forSeconds: 1) {}
        return state
    }
}
