import Foundation
import GlossCore
import GlossUI

/// `gloss-benchmark --corpus`: the document list of a large corpus. Generates `count`
/// short documents, each with a store of a few annotations, and times in-process what
/// `gloss DIR` does before its first screen (listing the folder, reading the statuses
/// file, the titles of the rows on screen, rendering), keys in the list, and the
/// background reading of every store (counts, values, the corpus-wide list).
enum DocumentListBenchmark {
    /// Writes the corpus into `folder/corpus` (reused when it is there with `count`
    /// documents) and prints the figures.
    static func run(folder: String, count: Int, codebook: Codebook, size: ScreenSize, runs: Int, presses: Int) throws {
        let root = folder + "/corpus"
        let generation = ContinuousClock.now
        try generate(root: root, count: count, codebook: codebook)
        Report.say("corpus of \(count) documents with stores in \(root), ready in \(Report.format(Samples.milliseconds(generation.duration(to: .now))))")
        var misses: [String] = []

        Report.header("Document list of \(count) documents (in-process: listing, gloss.corpus.json, titles on screen, render at \(size))")
        var listing = Samples(), opening = Samples(), firstFrame = Samples(), scanning = Samples()
        for run in 0...runs {
            var list: DocumentList?
            var corpus: CorpusSession?
            let total = ContinuousClock.now
            var listingRun = Samples(), openingRun = Samples()
            list = try listingRun.time { try DocumentList.listing(folder: root) }
            corpus = try openingRun.time {
                try CorpusSession(documents: list!, codebook: codebook, width: size.width, height: size.height) { _, _, _ in
                    throw StoreError(path: root, problem: "not opened in the benchmark")
                }
            }
            Sink.keep(Renderer.render(corpus!))
            let frame = Samples.milliseconds(total.duration(to: .now))
            // the stores, in the background after the first frame
            let scanStart = ContinuousClock.now
            corpus!.startBackgroundWork()
            guard corpus!.waitForScan(timeout: 600) else { throw BenchmarkError("the stores were not read within 10 minutes") }
            let scan = Samples.milliseconds(scanStart.duration(to: .now))
            if run > 0 {  // the first run warms the page cache
                listing.milliseconds += listingRun.milliseconds
                opening.milliseconds += openingRun.milliseconds
                firstFrame.milliseconds.append(frame)
                scanning.milliseconds.append(scan)
            }
        }
        Report.row("  DocumentList.listing (folder walk, sort)", listing, misses: &misses)
        Report.row("  CorpusSession (gloss.corpus.json, titles of the rows on screen)", opening, misses: &misses)
        Report.row("open to first frame", firstFrame, target: .median(300), misses: &misses)
        Report.row("after it, in the background: every store read (counts, values, annotations)", scanning, misses: &misses)

        Report.header("Keys in the document list (handle(key:) + Renderer.render, \(count) documents, stores read)")
        var corpus = try CorpusSession(documents: try DocumentList.listing(folder: root), codebook: codebook, width: size.width, height: size.height) { _, _, _ in
            throw StoreError(path: root, problem: "not opened in the benchmark")
        }
        corpus.startBackgroundWork()
        _ = corpus.waitForScan(timeout: 600)
        // statuses go to a copy so the generated corpus stays as it was
        for (name, keys) in [("j (next document; reads the title of a row that comes on screen)", [Key.character("j")]),
                             ("k", [Key.character("k")]),
                             ("s (cycle the status; the file is written in the background)", [Key.character("s")])] {
            var samples = Samples()
            for _ in 0..<presses {
                samples.time {
                    for key in keys { _ = corpus.handle(key: key) }
                    Sink.keep(Renderer.render(corpus))
                }
            }
            Report.row(name, samples, target: .medianAndP99(5, 16), misses: &misses)
        }
        var openList = Samples()
        for _ in 0..<max(1, presses / 10) {
            openList.time {
                _ = corpus.handle(key: .character("A"))
                Sink.keep(Renderer.render(corpus))
                _ = corpus.handle(key: .escape)
            }
        }
        Report.row("A (every annotation of the corpus) and back", openList, target: .medianAndP99(5, 16), misses: &misses)
        _ = corpus.finish()
        try? FileManager.default.removeItem(atPath: CorpusStatusFile.path(inFolder: root))
        Report.say()
        Report.say(misses.isEmpty ? "Every corpus target met." : "Missed: " + misses.joined(separator: "; "))
    }

    /// `count` documents in 100 subfolders, each with a store of three annotations.
    static func generate(root: String, count: Int, codebook: Codebook) throws {
        let marker = root + "/.generated-\(count)"
        if FileManager.default.fileExists(atPath: marker) { return }
        try? FileManager.default.removeItem(atPath: root)
        let categories = codebook.categories.map(\.id)
        for index in 0..<count {
            let folder = root + String(format: "/batch-%03d", index % 100)
            if index < 100 { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
            let path = folder + String(format: "/article-%05d.txt", index)
            let text = "Article \(index): ministers meet on security cooperation\n\nMinisters from twelve states met on Monday. They agreed to share watch lists of recruiters. The UN office will coordinate.\n"
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
            let document = Document(text: text, path: path)
            var annotations: [Annotation] = []
            for (number, sentence) in ["Ministers from twelve states met on Monday.", "They agreed to share watch lists of recruiters.", "The UN office will coordinate."].enumerated() {
                let start = text.unicodeScalars.count - text.components(separatedBy: sentence)[1].unicodeScalars.count - sentence.unicodeScalars.count
                let category = categories.isEmpty ? "actor" : categories[number % categories.count]
                annotations.append(Annotation(document: document, range: start..<(start + sentence.unicodeScalars.count),
                                              tags: [Tag(category: category, value: "value \(index % 50)")]))
            }
            try AnnotationStore(path: path + ".gloss.json").save(annotations, of: document)
        }
        FileManager.default.createFile(atPath: marker, contents: Data())
    }
}
