import Foundation
import Testing
@testable import GlossCore
@testable import GlossUI

/// Long work shows in the reader's status line, and the summary's count stops on Esc;
/// proved by states and counts, never by timings.
@Suite(.serialized) struct ProgressTests {
    @Test func indexingShowsItsPercentUntilTheTextIsIndexed() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gloss-progress-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("novel.txt").path
        try FileManager.default.copyItem(atPath: Fixture.corpus.appendingPathComponent("large/war-and-peace-pg2600.txt").path, toPath: path)
        let document = try Document(contentsOfFile: path)
        let session = try Session(document: document, codebook: Fixture.codebook, store: AnnotationStore(path: path + ".gloss.json"),
                                  width: 100, height: 30)
        var corpus = CorpusSession(single: session)
        // the background indexer is not started: the text is indexed as far as the first screen
        corpus.poll()
        // (the first 16 KB of 3.3 MB: 0%)
        let percent = document.indexedByteCount * 100 / document.byteCount
        #expect(document.indexedByteCount > 0 && percent < 100)
        #expect(corpus.session?.state.progress == "Indexing \(percent)%")
        #expect(Renderer.render(corpus).lines.last?.contains("Indexing \(percent)%  ? help") == true)
        _ = document.paragraphCount  // indexes the rest
        corpus.poll()
        #expect(corpus.session?.state.progress == nil)
        corpus.session?.release()
    }

    @Test func countingReportsDocumentsStartedAndStopsWhenCancelled() {
        let counter = SummaryCounter()
        #expect(counter.progress == nil)
        let started = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        let stopped = DispatchSemaphore(value: 0)
        counter.start(documents: 5) { isCancelled in
            // three documents begun, then the count waits to be cancelled
            for _ in 0..<3 { _ = isCancelled() }
            started.signal()
            release.wait()
            let cancelled = isCancelled()
            if cancelled { stopped.signal() }
            return SummaryCounts(report: StatisticsReport(statistics: CorpusStatistics(), categories: [], pairs: []))
        }
        started.wait()
        #expect(counter.progress?.done == 3)
        #expect(counter.progress?.total == 5)
        counter.cancel()
        #expect(counter.progress == nil)
        release.signal()
        // the work sees it is no longer wanted, and its result is dropped
        stopped.wait()
        #expect(counter.take() == nil)
    }

    @Test func escapeClosesTheSummaryAndStopsTheCount() throws {
        var state = try Fixture.seedState()
        let effects = state.press(.character("S"))
        #expect(effects.contains(.countSummary))
        #expect(state.summary != nil)
        _ = state.press(.escape)
        // a corpus's poll cancels a count whose pane is gone (CorpusSession.poll)
        #expect(state.summary == nil)
        #expect(state.mode == .reading)
    }
}

extension ProgressTests {
    @Test func reanchoringALargeTextShowsHowFarItHasGot() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gloss-progress-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("novel.txt").path
        try FileManager.default.copyItem(atPath: Fixture.corpus.appendingPathComponent("large/war-and-peace-pg2600.txt").path, toPath: path)
        let storePath = path + ".gloss.json"
        do {
            let full = try Document(contentsOfFile: path)
            let last = try #require(full.paragraphs.last)
            let late = Annotation(document: full, range: last.range, tags: [GlossCore.Tag(category: "actor", value: "end")], id: "late")
            try AnnotationStore(path: storePath).save([late], of: full)
        }
        let document = try Document(contentsOfFile: path)
        let session = try Session(document: document, codebook: Fixture.codebook, store: AnnotationStore(path: storePath), width: 100, height: 30)
        #expect(session.isCheckingAnnotations)
        var corpus = CorpusSession(single: session)
        corpus.poll()
        #expect(corpus.session?.state.progress?.contains("Re-anchoring") == false)
        // as the background check reports while it searches
        corpus.session?.verification.report(12_000, of: 40_000)
        corpus.poll()
        #expect(corpus.session?.state.progress?.contains("Re-anchoring 12,000/40,000 annotations") == true)
        corpus.session?.verification.report(40_000, of: 40_000)
        corpus.poll()
        #expect(corpus.session?.state.progress?.contains("Re-anchoring") == false)
        corpus.session?.release()
    }

    @Test func groupedNumbers() {
        #expect(CorpusSession.grouped(0) == "0")
        #expect(CorpusSession.grouped(999) == "999")
        #expect(CorpusSession.grouped(12_000) == "12,000")
        #expect(CorpusSession.grouped(1_234_567) == "1,234,567")
    }
}
