import Foundation
import GlossCore
import GlossTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// SIGKILL cannot be caught: what survives it is what the atomic saves put on disk.
@Suite struct KillLoopTests {
    @Test("200 writers killed with SIGKILL at random moments: the store always parses and holds every tag whose save had returned")
    func killLoop() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let article = try folder.copy(Paths.seedArticle)
        let storePath = article.path + ".gloss.json"
        let codebook = Paths.package.appendingPathComponent("Resources/codebook.json").path
        var generator = SystemRandomNumberGenerator()
        var acknowledged: [(id: String, value: String)] = []
        var killedMidRun = 0
        for round in 0..<200 {
            let writer = try SpawnedProcess(Paths.storeWriter.path, [article.path, storePath, codebook])
            if round.isMultiple(of: 2) {
                // anywhere from start-up to the first saves
                usleep(UInt32.random(in: 0...40_000, using: &generator))
            } else {
                // in the middle of a run of saves, however slowly the machine starts it
                let deadline = Date().addingTimeInterval(5)
                while writer.outputSoFar.isEmpty && Date() < deadline { usleep(1_000) }
                usleep(UInt32.random(in: 0...25_000, using: &generator))
            }
            writer.kill(SIGKILL)
            let result = writer.wait()
            try #require(result.status == 128 + SIGKILL || result.status == 0,
                         "round \(round): the writer ended with \(result.status) before it was killed: \(result.error)")
            let lines = result.output.split(separator: "\n")
            if !lines.isEmpty { killedMidRun += 1 }
            for line in lines {
                let fields = line.split(separator: "\t", maxSplits: 1).map(String.init)
                // a line cut by the kill was never fully written, so its save is not counted
                guard fields.count == 2, result.output.contains(line + "\n") else { continue }
                acknowledged.append((fields[0], fields[1]))
            }

            guard FileManager.default.fileExists(atPath: storePath) else {
                try #require(acknowledged.isEmpty, "round \(round): no store although saves returned")
                continue
            }
            let contents = try #require(try AnnotationStore(path: storePath).load(), "round \(round)")
            #expect(contents.quarantined.isEmpty, "round \(round): \(contents.quarantined.map(\.reason))")
            let values = Dictionary(grouping: contents.annotations.flatMap { annotation in annotation.tags.map { (annotation.id, $0.value) } }, by: \.0)
                .mapValues { Set($0.map(\.1)) }
            let missing = acknowledged.filter { values[$0.id]?.contains($0.value) != true }
            try #require(missing.isEmpty, "round \(round): saved tags missing from the store: \(missing.prefix(3))")
        }
        print("kill loop: \(killedMidRun) of 200 writers killed after saving, \(acknowledged.count) saves acknowledged")
        // the loop must have killed writers in the middle of their work, not only at start-up
        #expect(killedMidRun >= 100, "only \(killedMidRun) of 200 writers had saved before they were killed")
        // at least one acknowledged save per writer killed mid-run; how many more depends on
        // the machine's load, so it is not a measure of the test
        #expect(acknowledged.count >= killedMidRun && acknowledged.count >= 100)
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.url.path)
        // temporary files of killed writers may remain; they are hidden and never read
        #expect(names.filter { !$0.hasPrefix(".") }.sorted() == [article.lastPathComponent, storePath.split(separator: "/").last.map(String.init)!, storePath.split(separator: "/").last.map(String.init)! + ".bak", storePath.split(separator: "/").last.map(String.init)! + ".lock"].sorted())
    }
}
