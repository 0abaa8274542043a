import Foundation
import GlossCore
import GlossUI
#if canImport(Glibc)
import Glibc
#endif

/// `--store-only`: the first frame beside a store of 10,000 annotations and a later save
/// of them, each split into its steps; and `--store-frame`, the first frame alone for
/// callgrind.
extension Benchmark {
    /// Times the first frame of the 3 MB and 100 MB documents with their 10k stores, where
    /// that time goes, and a later save of the 10k annotations (on the calling thread, as
    /// the writer thread runs it), with the disk's share (fsync) shown apart.
    func measureStoreFrameAndSave(_ inputs: Inputs, misses: inout [String]) throws {
        Report.header("Open to first frame with 10k annotations (in-process; 1 warm-up run not counted; page cache warm)")
        var opened: [(String, AppState)] = []
        for (label, path, store, count) in [("3 MB", inputs.medium, inputs.mediumStore, runs),
                                            ("100 MB", inputs.large, inputs.largeStore, largeRuns)] {
            let warmUp = try firstFrame(path, store: store)
            try Benchmark.checkShowsStart(warmUp, name: label)
            var samples = Samples()
            for _ in 0..<count { Sink.keep(try samples.time { try firstFrame(path, store: store) }.screen) }
            Report.row("first frame, \(label), 10k annotations", samples, target: .median(50), misses: &misses)
            var settled = warmUp
            settled.settle()
            guard settled.session.state.annotations.count == Inputs.annotationCount else {
                throw BenchmarkError("\(store) gave \(settled.session.state.annotations.count) annotations, not \(Inputs.annotationCount)")
            }
            opened.append((label, settled.session.state))
        }
        for (label, path, store) in [("3 MB", inputs.medium, inputs.mediumStore), ("100 MB", inputs.large, inputs.largeStore)] {
            Report.header("Where the \(label) first frame goes (the same calls one by one, 10k annotations)")
            try breakdown(path, store: store, lockStore: "", count: label == "3 MB" ? runs : largeRuns, misses: &misses)
        }
        Report.header("A later save of 10,000 annotations (what the writer thread runs; text hash cached)")
        for (label, state) in opened {
            try measureLaterSave(label, state: state, count: label == "3 MB" ? runs : largeRuns,
                                 path: inputs.folder + "/save-test.gloss.json", misses: &misses)
        }
    }

    /// Times ``AnnotationStore/save(_:of:keepingDocumentRecord:)`` of `state`'s contents
    /// to a store that already holds them, as a session's writer thread calls it, then the
    /// same save with `fsync` made a no-op (the processor's share) and its encoding alone.
    private func measureLaterSave(_ label: String, state: AppState, count: Int, path: String, misses: inout [String]) throws {
        let document = state.document, contents = state.contents
        defer { unlink(path); unlink(path + ".bak") }
        let store = AnnotationStore(path: path)
        try store.save(contents, of: document)
        var later = Samples()
        for _ in 0..<count { try later.time { try store.save(contents, of: document) } }
        Report.row("save, later (writer thread), \(label)", later, target: .median(50), misses: &misses)
        var noSync = FileSystemCalls.posix
        noSync.fsync = { _ in 0 }
        let unsynced = AnnotationStore(path: path, calls: noSync)
        try unsynced.save(contents, of: document)
        var withoutSync = Samples()
        for _ in 0..<count { try withoutSync.time { try unsynced.save(contents, of: document) } }
        Report.row("  of which all but fsync (fsync a no-op)", withoutSync, misses: &misses)
        var encoding = Samples()
        var stored = contents
        stored.document = StoredDocument(path: document.fileName, sha256: document.sha256, length: document.length)
        for _ in 0..<count { _ = try encoding.time { try StoreCodec.encode(stored) } }
        Report.row("    of which StoreCodec.encode", encoding, misses: &misses)
        var handOff = Samples()
        let sessionStore = path + ".session.gloss.json"
        defer { unlink(sessionStore); unlink(sessionStore + ".bak"); unlink(sessionStore + ".lock") }
        var session = try Session(document: document, codebook: state.codebook, store: AnnotationStore(path: sessionStore))
        session.state.replaceContents(contents)
        for _ in 0..<count {
            handOff.time { session.saveInBackground() }
            session.flush()
        }
        session.release()
        Report.row("saveInBackground (what a key waits for), \(label)", handOff, target: .medianAndP99(5, 16), misses: &misses)
    }

    /// `--store-frame`: `runs` first frames of `document` with `store`, nothing else, for
    /// callgrind; `--store-save` adds as many later saves of its annotations (fsync a no-op).
    func runStoreFrame(document: String, store: String, saves: Bool) throws {
        var frame = try firstFrame(document, store: store)
        for _ in 1..<runs { frame = try firstFrame(document, store: store) }
        Sink.keep(frame.screen)
        Report.say("\(runs) first frame(s): \(frame.session.state.annotations.count) annotations placed at once, "
                   + "\(frame.session.isCheckingAnnotations ? "some" : "none") checked later")
        guard saves else { return }
        frame.settle()
        let target = NSTemporaryDirectory() + "/store-frame-save-\(getpid()).gloss.json"
        defer { unlink(target); unlink(target + ".bak") }
        var noSync = FileSystemCalls.posix
        noSync.fsync = { _ in 0 }
        let saving = AnnotationStore(path: target, calls: noSync)
        let contents = frame.session.state.contents
        for _ in 0..<runs { try saving.save(contents, of: frame.session.state.document) }
        Report.say("\(runs) save(s) of \(contents.annotations.count) annotations")
    }
}
