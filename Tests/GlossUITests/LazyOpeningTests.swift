import Foundation
import Testing
@testable import GlossCore
@testable import GlossUI

/// Opening a 100 MB document touches a bounded part of it: the proof of laziness is in
/// counts (bytes indexed, paragraphs laid out), never in timings.
@Suite(.serialized) struct LazyOpeningTests {
    /// 30 copies of War and Peace (about 100 MB) in a folder of its own.
    static func hundredMegabytes() throws -> (folder: URL, path: String) {
        let novel = try Data(contentsOf: Fixture.corpus.appendingPathComponent("large/war-and-peace-pg2600.txt"))
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gloss-lazy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("thirty-novels.txt").path
        FileManager.default.createFile(atPath: path, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        for copy in 0..<30 {
            // the first copy keeps the byte-order mark of the file; later ones drop it
            handle.write(copy == 0 ? novel : novel.dropFirst(3))
        }
        try handle.close()
        return (folder, path)
    }

    @Test("opening the 100 MB file and rendering the first frame indexes at most two chunks and lays out about a screen of paragraphs; G then reaches the end")
    func firstFrameIsBounded() throws {
        let (folder, path) = try Self.hundredMegabytes()
        defer { try? FileManager.default.removeItem(at: folder) }
        let document = try Document(contentsOfFile: path)
        #expect(document.byteCount > 95_000_000)
        #expect(!document.isFullyIndexed)
        #expect(document.indexedByteCount <= Document.eagerByteCount + Document.chunkSize)

        var session = try Session(document: document, codebook: Fixture.codebook,
                                  store: AnnotationStore(path: path + ".gloss.json"), width: 100, height: 30)
        _ = session.state.handle(.resize(width: 100, height: 30))
        let frame = Renderer.render(session.state)
        #expect(frame.lines.joined().contains("The Project Gutenberg"))
        #expect(session.state.cache.layoutCount <= 2 * 30, "laid out \(session.state.cache.layoutCount) paragraphs")
        #expect(document.indexedByteCount <= Document.eagerByteCount + Document.chunkSize, "indexed \(document.indexedByteCount) bytes")
        #expect(!document.isFullyIndexed)

        // page moves stay near the screen
        let before = session.state.cache.layoutCount
        for _ in 0..<10 { _ = session.state.handle(key: .pageDown) }
        _ = Renderer.render(session.state)
        #expect(session.state.cache.layoutCount - before <= 10 * 30 + 30)
        #expect(document.indexedByteCount <= Document.eagerByteCount + Document.chunkSize)

        // G shows the end at once, read ahead of the index; the layout stays a screen's worth
        let beforeEnd = session.state.cache.layoutCount
        _ = session.state.handle(key: .character("G"))
        let end = Renderer.render(session.state).lines.joined(separator: "\n")
        #expect(!document.isFullyIndexed)
        #expect(session.state.focusIsProvisional)
        #expect(document.indexedByteCount <= Document.eagerByteCount + Document.chunkSize)
        #expect(end.contains("100%"))
        #expect(session.state.cache.layoutCount - beforeEnd <= 2 * 30)
        session.release()
    }

    @Test("the lazily built index equals the eager one on the corpus, paragraph for paragraph")
    func lazyIndexMatchesWholeText() throws {
        let files = ["large/war-and-peace-pg2600.txt", "seed-counter-terrorism-conference.txt", "unicode/udhr-tha.txt"]
        for file in files {
            let path = Fixture.corpus.appendingPathComponent(file).path
            let document = try Document(contentsOfFile: path)
            let whole = Document(text: document.text)
            #expect(document.paragraphs == whole.paragraphs, "\(file)")
            #expect(document.length == whole.length, "\(file)")
            #expect(document.length == document.text.unicodeScalars.count, "\(file)")
            for paragraph in document.paragraphs.prefix(500) {
                #expect(document.text(in: paragraph.range) == String(decoding: document.utf8[paragraph.byteRange], as: UTF8.self))
            }
        }
    }
}

extension LazyOpeningTests {
    @Test("annotations of a large text past its indexed start are checked in the background, kept in every save meanwhile, then shown")
    func annotationsCheckedLater() throws {
        let (folder, path) = try Self.hundredMegabytes()
        defer { try? FileManager.default.removeItem(at: folder) }
        let storePath = path + ".gloss.json"
        do {
            // one annotation at the start and one at the very end, saved by a first reader
            let full = try Document(contentsOfFile: path)
            let last = try #require(full.paragraphs.last)
            let early = Annotation(document: full, range: 4..<20, tags: [GlossCore.Tag(category: "actor", value: "start")], id: "early")
            let late = Annotation(document: full, range: last.range, tags: [GlossCore.Tag(category: "actor", value: "end")], id: "late")
            try AnnotationStore(path: storePath).save([early, late], of: full)
        }
        let document = try Document(contentsOfFile: path)
        var session = try Session(document: document, codebook: Fixture.codebook, store: AnnotationStore(path: storePath), width: 100, height: 30)
        #expect(session.state.annotations.map(\.id) == ["early"])
        #expect(session.isCheckingAnnotations)
        #expect(session.contentsToSave.annotations.map(\.id).sorted() == ["early", "late"])
        #expect(document.indexedByteCount <= Document.eagerByteCount + 2 * Document.chunkSize)
        // as gloss read does once the first frame shows
        session.startBackgroundWork()
        let deadline = Date().addingTimeInterval(120)
        while session.isCheckingAnnotations && Date() < deadline {
            session.poll()
            Thread.sleep(forTimeInterval: 0.01)
        }
        #expect(!session.isCheckingAnnotations)
        #expect(session.state.annotations.map(\.id) == ["early", "late"])
        #expect(session.state.orphans.isEmpty)
        session.release()
    }
}
