import Foundation
import GlossCore
import GlossImport
import GlossUI

/// A text that is one paragraph of about 52 MB: the reader must lay out only what is on
/// screen, so its first frame, a resize and `G` cost what a short paragraph's do.
enum GiantParagraphBenchmark {
    /// Copies of the novel in the paragraph (3.3 MB each).
    static let copies = 16

    /// Writes the paragraph into `folder` (reused when it is already there) and prints its
    /// rows: open to first frame, a resize there and back, `G` and PgDn, and the peak memory
    /// of a fresh child process that opens it, draws and presses G g PgDn.
    /// - Parameters:
    ///   - novel: the text the paragraph is made of; every line ending becomes a space.
    ///   - codebook: the codebook's path, as the reader loads it.
    ///   - size: the screen the first frame is drawn at; the resize goes to 120x40 and back.
    ///   - runs: timed runs of each row.
    ///   - misses: the names of rows that missed their target are appended.
    /// - Throws: ``BenchmarkError`` when the novel cannot be read or the screen does not
    ///   show the paragraph's start; the opener's and the store's errors.
    static func measure(novel: String, codebook: String, size: ScreenSize, folder: String, runs: Int,
                        misses: inout [String]) throws {
        let path = folder + "/giant-paragraph.txt"
        if (try? Benchmark.fileSize(path)) == nil { try write(paragraphOf: novel, to: path) }
        let absentStore = folder + "/giant-paragraph-absent.gloss.json"
        let loaded = try Benchmark.loadCodebook(codebook)
        let target = Target.median(100)

        func open() throws -> (Session, ScreenBuffer) {
            let document = try DocumentOpener.open(path).document
            var session = try Session(document: document, codebook: loaded, store: AnnotationStore(path: absentStore),
                                      width: size.width, height: size.height)
            _ = session.state.handle(.resize(width: size.width, height: size.height))
            let screen = Renderer.render(session.state)
            return (session, screen)
        }

        Report.header("A single paragraph of \(Report.format(bytes: try Benchmark.fileSize(path))) (\(copies) copies of the novel, line endings made spaces; no store)")
        var (warm, firstScreen) = try open()
        try checkShowsStart(firstScreen, novel: novel)
        warm.release()
        var firstFrame = Samples(), opening = Samples(), resize = Samples(), end = Samples(), pageDown = Samples()
        for _ in 0..<runs {
            _ = try opening.time { try DocumentOpener.open(path).document.paragraph(0) }
            var (session, screen) = try firstFrame.time { try open() }
            Sink.keep(screen)
            resize.time {
                _ = session.state.handle(.resize(width: 120, height: 40))
                Sink.keep(Renderer.render(session.state))
                _ = session.state.handle(.resize(width: size.width, height: size.height))
                screen = Renderer.render(session.state)
            }
            Sink.keep(screen)
            end.time {
                _ = session.state.handle(key: .character("G"))
                Sink.keep(Renderer.render(session.state))
            }
            pageDown.time {
                _ = session.state.handle(key: .character("g"))
                _ = session.state.handle(key: .pageDown)
                Sink.keep(Renderer.render(session.state))
            }
            session.release()
        }
        Report.row("first frame, one 52 MB paragraph", firstFrame, target: target, misses: &misses)
        Report.row("  of which opening the Document (checks and indexes it)", opening, misses: &misses)
        Report.row("  resize to 120x40 and back, drawing each", resize, target: target, misses: &misses)
        Report.row("  G (end of the paragraph), drawn", end, target: target, misses: &misses)
        Report.row("  g then PgDn, drawn", pageDown, target: target, misses: &misses)

        let memory = try PeakMemory.measure(document: path, store: absentStore, codebook: codebook, size: size, folder: folder)
        let fileSize = try Benchmark.fileSize(path)
        let peakBytes = memory.peak * 1024
        Report.say("  peak memory (VmHWM of a fresh child: opens, draws, G g PgDn): \(Report.format(bytes: peakBytes)) = "
                   + String(format: "%.2f", Double(peakBytes) / Double(fileSize)) + " x file; after the first frame "
                   + Report.format(bytes: memory.afterOpen * 1024) + "; target < 2 x file: " + (peakBytes < 2 * fileSize ? "ok" : "MISSED"))
        if peakBytes >= 2 * fileSize { misses.append("peak memory viewing one 52 MB paragraph") }
    }

    /// Writes ``copies`` copies of `novel` to `path` as one paragraph: carriage returns and
    /// line feeds become spaces, byte-order marks are dropped.
    static func write(paragraphOf novel: String, to path: String) throws {
        guard let data = FileManager.default.contents(atPath: novel) else { throw BenchmarkError("cannot read \(novel)") }
        var text = [UInt8](data)
        if text.starts(with: [0xEF, 0xBB, 0xBF]) { text.removeFirst(3) }
        for index in text.indices where text[index] == 0x0A || text[index] == 0x0D { text[index] = 0x20 }
        var output: [UInt8] = []
        output.reserveCapacity(copies * (text.count + 1))
        for _ in 0..<copies {
            output.append(contentsOf: text)
            output.append(0x20)
        }
        guard FileManager.default.createFile(atPath: path, contents: Data(output)) else {
            throw BenchmarkError("cannot write \(path)")
        }
    }

    /// Throws unless the first screen shows the novel's first words.
    static func checkShowsStart(_ screen: ScreenBuffer, novel: String) throws {
        let head = FileManager.default.contents(atPath: novel)?.prefix(4096) ?? Data()
        let words = String(decoding: head, as: UTF8.self).split(whereSeparator: \.isWhitespace).prefix(2)
            .joined(separator: " ").replacingOccurrences(of: "\u{FEFF}", with: "")
        let shown = screen.lines.joined(separator: "\n")
        guard !words.isEmpty, shown.contains(words) else {
            throw BenchmarkError("the giant paragraph's first screen does not show \"\(words)\":\n\(shown)")
        }
    }
}
