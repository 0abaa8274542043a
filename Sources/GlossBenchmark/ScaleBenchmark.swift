import Foundation
import GlossCore
import GlossImport
import GlossUI
#if canImport(Glibc)
import Glibc
#endif

/// Figures for texts far larger or denser than the 100 MB novel: the memory of the index of
/// 10 million short lines, `G` right after opening a 1 GB file, and the first screen of a
/// 194 MB UTF-16 file. Run alone with `gloss-benchmark --index-only`.
enum ScaleBenchmark {
    /// Lines of the short-line input.
    static let shortLineCount = 10_000_000
    /// Bytes the 1 GB input reaches at least (copies of the novel).
    static let gigabyte = 1_000_000_000
    /// Free disk space the inputs need beyond what is already there: about 1 GB, 180 MB and 200 MB.
    static let diskNeeded: Int64 = 1_500_000_000

    /// The hidden flag that makes `gloss-benchmark` the index-memory child.
    static let childFlag = "--index-memory-child"

    /// Generates the inputs into `folder` (kept when already there with their size) and
    /// prints the three rows; `large` is the 100 MB novel copies the UTF-16 file is made of.
    static func run(folder: String, novel: String, large: String, codebook: Codebook, size: ScreenSize, runs: Int,
                    misses: inout [String]) throws {
        let lines = folder + "/short-lines-10m.txt"
        let giant = folder + "/war-and-peace-1gb.txt"
        let utf16 = folder + "/war-and-peace-x30-utf16le.txt"
        let novelBytes = try Array(Data(contentsOf: URL(fileURLWithPath: novel)))
        var free = statvfs()
        if statvfs(folder, &free) == 0 {
            let available = Int64(free.f_bavail) * Int64(free.f_frsize)
            let present = [lines, giant, utf16].reduce(Int64(0)) { $0 + Int64((try? Benchmark.fileSize($1)) ?? 0) }
            guard available + present >= diskNeeded else {
                throw BenchmarkError("the scale inputs need \(Report.format(bytes: Int(diskNeeded))) free in \(folder); only \(Report.format(bytes: Int(available))) is")
            }
        }
        let body = novelBytes.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(novelBytes.dropFirst(3)) : novelBytes
        Report.say(try generate(lines) { file in try writeShortLines(novelBytes, to: file) })
        Report.say(try generate(giant) { file in
            try file.write(novelBytes)
            var written = novelBytes.count
            while written < gigabyte {
                try file.write(body)
                written += body.count
            }
        })
        Report.say(try generate(utf16) { file in try writeUTF16(of: large, to: file) })

        // memory: a fresh child opens the file and indexes it whole
        let fileSize = try Benchmark.fileSize(lines)
        let memory = try childReport(lines, folder: folder)
        let peak = memory["peak"]! * 1024, mapped = memory["file"]! * 1024, baseline = memory["baseline"]! * 1024
        let own = peak - mapped - baseline
        let met = own < fileSize
        if !met { misses.append("memory of 10M short lines") }
        Report.say()
        Report.say("Memory opening and indexing \(shortLineCount / 1_000_000)M short lines (\(Report.format(bytes: fileSize)), "
                   + "\(memory["paragraphs"]!) paragraphs; VmHWM of a fresh child):")
        Report.say("  peak \(Report.format(bytes: peak)), of which the mapped file's pages \(Report.format(bytes: mapped)) "
                   + "and start-up \(Report.format(bytes: baseline)): the index and the rest \(Report.format(bytes: own)) = "
                   + String(format: "%.2f", Double(own) / Double(fileSize)) + " x file; target < 1 x file: \(met ? "ok" : "MISSED")")

        Report.header("Big files (in-process, page cache warm; 1 warm-up run not counted)")
        var gSamples = Samples()
        for run in 0...runs {
            var samples = Samples()
            let screen = try samples.time { () -> ScreenBuffer in
                let document = try DocumentOpener.open(giant).document
                var session = try Session(document: document, codebook: codebook, store: AnnotationStore(path: folder + "/absent-1gb.gloss.json"),
                                          width: size.width, height: size.height)
                _ = session.state.handle(.resize(width: size.width, height: size.height))
                Sink.keep(Renderer.render(session.state))
                session.startBackgroundWork()
                _ = session.state.handle(key: .character("G"))
                let screen = Renderer.render(session.state)
                session.release()
                return screen
            }
            try checkShowsEnd(screen, of: body, name: "G on the 1 GB file")
            if run > 0 { gSamples.milliseconds += samples.milliseconds }
        }
        Report.row("open 1 GB, first frame, G, its frame", gSamples, target: .median(100), misses: &misses)

        var utf16Samples = Samples()
        for run in 0...runs {
            var samples = Samples()
            let screen = try samples.time { () -> ScreenBuffer in
                let document = try DocumentOpener.open(utf16).document
                var session = try Session(document: document, codebook: codebook, store: AnnotationStore(path: folder + "/absent-utf16.gloss.json"),
                                          width: size.width, height: size.height)
                _ = session.state.handle(.resize(width: size.width, height: size.height))
                let screen = Renderer.render(session.state)
                session.release()
                return screen
            }
            let words = String(decoding: body.prefix(200), as: UTF8.self).split(whereSeparator: \.isWhitespace).prefix(2).joined(separator: " ")
            guard screen.lines.contains(where: { $0.contains(words) }) else {
                throw BenchmarkError("the UTF-16 first frame does not show \"\(words)\":\n" + screen.lines.joined(separator: "\n"))
            }
            if run > 0 { utf16Samples.milliseconds += samples.milliseconds }
        }
        Report.row("first frame, \(Report.format(bytes: try Benchmark.fileSize(utf16))) UTF-16LE", utf16Samples, target: .median(100), misses: &misses)
    }

    /// Ten million lines of three words of `novel` and a full stop: one paragraph a line.
    private static func writeShortLines(_ novel: [UInt8], to file: OutputFile) throws {
        let words = novel.split(whereSeparator: { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 })
            .filter { word in word.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x41 && $0 <= 0x5A) } }
        var chunk: [UInt8] = []
        chunk.reserveCapacity(1 << 22)
        var next = 0
        for _ in 0..<shortLineCount {
            for position in 0..<3 {
                if position > 0 { chunk.append(0x20) }
                chunk += words[next % words.count]
                next += 1
            }
            chunk += [0x2E, 0x0A]
            if chunk.count >= 1 << 22 {
                try file.write(chunk)
                chunk.removeAll(keepingCapacity: true)
            }
        }
        try file.write(chunk)
    }

    /// The UTF-8 file at `path` as UTF-16LE after a byte-order mark, written a block at a time.
    private static func writeUTF16(of path: String, to file: OutputFile) throws {
        let bytes = try Array(Data(contentsOf: URL(fileURLWithPath: path)))
        let text = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? bytes.dropFirst(3) : bytes[...]
        try file.write([0xFF, 0xFE])
        var block: [UInt8] = []
        block.reserveCapacity(1 << 22)
        for unit in String(decoding: text, as: UTF8.self).utf16 {
            block.append(UInt8(unit & 0xFF))
            block.append(UInt8(unit >> 8))
            if block.count >= 1 << 22 {
                try file.write(block)
                block.removeAll(keepingCapacity: true)
            }
        }
        try file.write(block)
    }

    /// Writes `path` through `fill` unless it is there already; the file appears under its
    /// name only when complete. Returns what was done.
    private static func generate(_ path: String, _ fill: (OutputFile) throws -> Void) throws -> String {
        if let size = try? Benchmark.fileSize(path), size > 0 { return "  kept \(path) (\(Report.format(bytes: size)))" }
        try Inputs.writeWhole(path, fill)
        return "  wrote \(path) (\(Report.format(bytes: try Benchmark.fileSize(path))))"
    }

    /// Stops unless `screen` shows the last words of `text`: a G that did not reach the end
    /// is not worth timing.
    private static func checkShowsEnd(_ screen: ScreenBuffer, of text: [UInt8], name: String) throws {
        let last = String(decoding: text.suffix(400), as: UTF8.self).split(whereSeparator: \.isWhitespace).suffix(1).joined(separator: " ")
        guard screen.lines.contains(where: { $0.contains(last) }) else {
            throw BenchmarkError("\(name): the frame does not show \"\(last)\":\n" + screen.lines.joined(separator: "\n"))
        }
    }

    /// Runs this executable as the index-memory child on `path`; its `name kB` lines.
    private static func childReport(_ path: String, folder: String) throws -> [String: Int] {
        let output = try ChildProcess.run([childFlag, path], folder: folder)
        let values = ChildProcess.values(output).mapValues { Int($0) }
        guard ["baseline", "peak", "file", "paragraphs"].allSatisfy({ values[$0] != nil }) else {
            throw BenchmarkError("the index-memory child printed no report: \(output)")
        }
        return values
    }

    /// The child's work: opens `path` as the reader does and indexes it whole, then prints
    /// VmHWM before and after and the resident pages of the mapped file, in kB.
    static func runChild(_ path: String) throws {
        let baseline = PeakMemory.status("VmHWM")
        let fileBefore = PeakMemory.status("RssFile")
        let document = try DocumentOpener.open(path).document
        let paragraphs = document.paragraphCount
        let peak = PeakMemory.status("VmHWM")
        let file = PeakMemory.status("RssFile") - fileBefore
        withExtendedLifetime(document) {
            print("baseline \(baseline)\npeak \(peak)\nfile \(file)\nparagraphs \(paragraphs)")
        }
    }
}

extension ScaleBenchmark {
    /// The hidden flag that prints paragraph digests of files (how
    /// `Tests/Fixtures/paragraph-index-digests.txt` is made and checked).
    static let digestFlag = "--paragraph-digests"

    /// Prints, for each file, its name relative to `root` (or as given), a tab, the number
    /// of paragraphs, the length in code points and the SHA-256 of one line a paragraph
    /// (code points, bytes, `h` or `b`): the same digest as the test of the index computes.
    static func printDigests(_ paths: [String]) throws {
        for path in paths {
            let document = try Document(contentsOfFile: path)
            var lines = ""
            for paragraph in document.paragraphs {
                lines += "\(paragraph.range.lowerBound) \(paragraph.range.upperBound) \(paragraph.byteRange.lowerBound) \(paragraph.byteRange.upperBound) \(paragraph.kind == .heading ? "h" : "b")\n"
            }
            let hash = AnnotationStore.sha256Hex(Array(lines.utf8))
            print("\(path)\t\(document.paragraphCount) \(document.length) \(hash)")
        }
    }
}
