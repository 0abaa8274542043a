import Foundation
import GlossCore
import GlossImport
#if canImport(Glibc)
import Glibc
#endif

/// Where the package's own files and the shared corpus are, found from this source file.
enum Paths {
    /// The package root, three folders above this file.
    static let package = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    /// `../shared/corpus` beside the package.
    static let corpus = package.deletingLastPathComponent().appendingPathComponent("shared/corpus")
    /// The ~2 KB seed article.
    static let article = corpus.appendingPathComponent("seed-counter-terrorism-conference.txt").path
    /// The 3.3 MB novel.
    static let warAndPeace = corpus.appendingPathComponent("large/war-and-peace-pg2600.txt").path
    /// The saved news page (44 KB of HTML with menus, scripts and a footer around the article).
    static let webPage = corpus.appendingPathComponent("web/wikimediafoundation.org.turkey.html").path
    /// The codebook `gloss` ships.
    static let codebook = package.appendingPathComponent("Resources/codebook.json").path
}

/// The generated inputs: three text documents, a web page and two stores of 10,000
/// annotations.
struct Inputs {
    /// How many copies of the novel make the large document.
    static let copies = 30
    /// The size the web page is grown to, in bytes.
    static let webPageSize = 5 << 20
    /// Annotations in each generated store.
    static let annotationCount = 10_000

    /// The folder holding everything below.
    let folder: String
    /// The ~2 KB article.
    var article: String { folder + "/article-2k.txt" }
    /// The novel, 3.3 MB.
    var medium: String { folder + "/war-and-peace-3mb.txt" }
    /// 30 copies of the novel, about 100 MB.
    var large: String { folder + "/war-and-peace-x30-100mb.txt" }
    /// 10,000 annotations over ``medium``.
    var mediumStore: String { folder + "/war-and-peace-3mb.10k.gloss.json" }
    /// 10,000 annotations over ``large``.
    var largeStore: String { folder + "/war-and-peace-x30-100mb.10k.gloss.json" }
    /// The shared web page with its `<article>` content repeated until the page is
    /// ``webPageSize`` bytes: one long article among the page's menus and scripts.
    var webPage: String { folder + "/web-page-5mb.html" }
    /// A store path where no file is: opening with it is opening a document never annotated.
    var absentStore: String { folder + "/absent.gloss.json" }

    /// Writes the documents (kept when already there with the expected size) and the two
    /// stores (always rewritten) into `folder`.
    /// - Returns: a line per file saying what was done.
    func generate(article source: String, novel: String, webPage page: String, codebook: Codebook) throws -> [String] {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        unlink(absentStore)
        var log: [String] = []
        let articleBytes = try readAll(source)
        log.append(try write(article, expectedSize: articleBytes.count) { try $0.write(articleBytes) })
        let novelBytes = try readAll(novel)
        log.append(try write(medium, expectedSize: novelBytes.count) { try $0.write(novelBytes) })
        // The copies after the first drop their byte-order mark: in the middle of a text it
        // would be a stray U+FEFF, not a mark.
        let body = novelBytes.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(novelBytes.dropFirst(3)) : novelBytes
        let largeSize = novelBytes.count + (Inputs.copies - 1) * body.count
        log.append(try write(large, expectedSize: largeSize) { file in
            try file.write(novelBytes)
            for _ in 1..<Inputs.copies { try file.write(body) }  // one copy in memory at a time
        })
        let grown = try Inputs.grownPage(try readAll(page), to: Inputs.webPageSize)
        log.append(try write(webPage, expectedSize: grown.count) { try $0.write(grown) })
        for (document, store) in [(medium, mediumStore), (large, largeStore)] {
            let opened = try DocumentOpener.open(document).document
            let annotations = SampleAnnotations.spread(count: Inputs.annotationCount, in: opened, codebook: codebook)
            try AnnotationStore(path: store).save(annotations, of: opened)
            log.append("wrote \(store) (\(annotations.count) annotations)")
        }
        return log
    }

    /// `page` with the content of its `<article>` element repeated until the page is at
    /// least `size` bytes.
    static func grownPage(_ page: [UInt8], to size: Int) throws -> [UInt8] {
        func find(_ needle: String, from start: Int) -> Int? {
            let bytes = Array(needle.utf8)
            var index = start
            while index + bytes.count <= page.count {
                if page[index..<(index + bytes.count)].elementsEqual(bytes) { return index }
                index += 1
            }
            return nil
        }
        guard let open = find("<article", from: 0), let openEnd = page[open...].firstIndex(of: 0x3E),
              let close = find("</article>", from: openEnd) else {
            throw BenchmarkError("the web page has no <article> element to repeat")
        }
        let content = page[(openEnd + 1)..<close]
        let copies = max(1, (size - (page.count - content.count) + content.count - 1) / content.count)
        var grown = Array(page[...openEnd])
        grown.reserveCapacity(size + page.count)
        for _ in 0..<copies { grown += content }
        grown += page[close...]
        return grown
    }

    /// Writes `path` through `fill` unless a file of `expectedSize` bytes is already there;
    /// the file appears under its name only when complete.
    /// Writes `path` through `fill` into `path.partial`, renamed to `path` only when
    /// complete, so an interrupted run never leaves a short file under the name.
    /// - Throws: what `fill` throws (the partial file is removed), or ``BenchmarkError``
    ///   when the rename fails.
    static func writeWhole(_ path: String, _ fill: (OutputFile) throws -> Void) throws {
        let partial = path + ".partial"
        let file = try OutputFile(path: partial)
        do {
            try fill(file)
            file.close()
        } catch {
            file.close()
            unlink(partial)
            throw error
        }
        guard rename(partial, path) == 0 else { throw BenchmarkError("cannot rename \(partial): \(String(cString: strerror(errno)))") }
    }

    private func write(_ path: String, expectedSize: Int, _ fill: (OutputFile) throws -> Void) throws -> String {
        if let size = try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int, size == expectedSize {
            return "kept \(path) (\(Report.format(bytes: size)))"
        }
        try Inputs.writeWhole(path, fill)
        return "wrote \(path) (\(Report.format(bytes: expectedSize)))"
    }

    private func readAll(_ path: String) throws -> [UInt8] {
        do {
            return [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw BenchmarkError("cannot read \(path): \(error.localizedDescription); give another path with the options (see --help)")
        }
    }
}

/// A file written with plain `write(2)` calls.
final class OutputFile {
    private var descriptor: Int32
    private let path: String

    init(path: String) throws {
        self.path = path
        descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw BenchmarkError("cannot create \(path): \(String(cString: strerror(errno)))") }
    }

    func write(_ bytes: [UInt8]) throws {
        var written = 0
        try bytes.withUnsafeBytes { buffer in
            while written < buffer.count {
                let result = Glibc.write(descriptor, buffer.baseAddress! + written, buffer.count - written)
                if result < 0 {
                    if errno == EINTR { continue }
                    throw BenchmarkError("cannot write \(path): \(String(cString: strerror(errno)))")
                }
                written += result
            }
        }
    }

    func close() {
        if descriptor >= 0 { Glibc.close(descriptor) }
        descriptor = -1
    }

    deinit { close() }
}

/// A failure that stops the benchmark, with a message for the user.
struct BenchmarkError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
