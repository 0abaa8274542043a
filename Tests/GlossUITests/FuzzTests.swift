import Foundation
import GlossTestSupport
import Testing
@testable import GlossUI
import GlossCore

/// 2,000 seeded random texts from ``FuzzText`` go through the reader as a user would take
/// them: opened from a file, moved through, selected, tagged, noted, searched, undone,
/// resized down to the smallest terminal, and rendered after every step. No text may
/// crash the reader, draw an unsafe cell, or make an annotation that starts or ends
/// inside a grapheme cluster.
@Suite struct FuzzTests {
    /// Texts per run: 2,000, or `GLOSS_FUZZ_TEXTS` for a longer hunt.
    static let texts = ProcessInfo.processInfo.environment["GLOSS_FUZZ_TEXTS"].flatMap { Int($0) } ?? 2_000
    /// First seed: 0, or `GLOSS_FUZZ_SEED` to try other texts.
    static let firstSeed = ProcessInfo.processInfo.environment["GLOSS_FUZZ_SEED"].flatMap { Int($0) } ?? 0
    static let batches = 8

    /// Key presses and sizes of one run; each is followed by a render.
    enum Step {
        case key(Key)
        case resize(Int, Int)
    }

    static let steps: [Step] = [
        .key(.character("j")), .key(.character("v")), .key(.character("l")), .key(.character("l")), .key(.character("w")),
        .key(.character("a")), .key(.character("I")), .key(.enter),
        .resize(PaneGeometry.minimumWidth, PaneGeometry.minimumHeight),
        .key(.character("G")), .key(.character("k")), .key(.character("v")), .key(.character("h")), .key(.character("b")),
        .key(.character("t")), .key(.character("x")), .key(.enter),
        .resize(13, 5), .key(.character("j")), .resize(1, 1),
        .resize(100, 30), .key(.character("[")), .key(.character("m")), .key(.character("n")), .key(.enter), .key(.control("s")),
        .key(.character("c")), .key(.enter), .key(.tab), .key(.character("j")), .key(.enter),
        .key(.character("u")), .key(.control("r")), .key(.character("/")), .key(.character("a")), .key(.enter),
        .key(.character("n")), .key(.character("v")), .key(.character("o")), .key(.character("}")),
        .resize(40, 12), .key(.character("g")), .key(.character("x")), .resize(80, 24),
    ]

    @Test("random texts are opened, edited and drawn at every size without a fault", arguments: 0..<batches)
    func randomTexts(batch: Int) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gloss-fuzz-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let perBatch = (Self.texts + Self.batches - 1) / Self.batches
        for seed in (Self.firstSeed + batch * perBatch)..<(Self.firstSeed + min(Self.texts, (batch + 1) * perBatch)) {
            var generator = SeededGenerator(seed: UInt64(seed))
            let text = FuzzText.make(using: &generator)
            let file = folder.appendingPathComponent("fuzz-\(seed).txt")
            try Data(text.utf8).write(to: file)
            let document = try Document(contentsOfFile: file.path)
            Self.run(document, name: "seed \(seed)")
        }
    }

    /// Takes `document` through ``steps``, checking every screen and every annotation.
    static func run(_ document: Document, name: String) {
        var state = AppState(document: document, codebook: Fixture.codebook, width: 80, height: 24, author: "tester")
        _ = state.handle(.resize(width: 80, height: 24))
        GraphemeClassTests.checkCells(Renderer.render(state), name)
        let text = document.text(in: 0..<document.length)
        let boundaries = Set(GraphemeClassTests.characterBoundaries(text))
        for (index, step) in steps.enumerated() {
            switch step {
            case .key(let key): _ = state.handle(key: key)
            case .resize(let width, let height): _ = state.handle(.resize(width: width, height: height))
            }
            while state.continueSearch(forSeconds: 1) {}
            let screen = Renderer.render(state)
            // every screen is drawn; the cell checks, slower than drawing, run every fourth step
            if index % 4 == 3 || index == steps.count - 1 { GraphemeClassTests.checkCells(screen, "\(name), step \(index)") }
            for annotation in state.annotations {
                guard boundaries.contains(annotation.start), boundaries.contains(annotation.end) else {
                    Issue.record("\(name), step \(index): annotation \(annotation.start)..<\(annotation.end) splits a grapheme cluster")
                    return
                }
                #expect(document.text(in: annotation.range) == annotation.quote)
            }
        }
    }
}
