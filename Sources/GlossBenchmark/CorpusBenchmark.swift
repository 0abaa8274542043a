import Foundation
import GlossCore
import GlossImport
#if canImport(Glibc)
import Glibc
#endif

/// `gloss-benchmark --corpus-stats`: generates a corpus of 10,000 documents holding
/// 1,000,000 annotations in all and times the built `gloss stats` over it, as a user runs
/// it (a fresh process each run, its output thrown away), with the peak resident memory
/// of each run (`ru_maxrss` from `wait4`). Targets: under 5 s and under 1 GB.
enum CorpusBenchmark {
    /// Documents generated.
    static let documentCount = 10_000
    /// Annotations in each document's store (1,000,000 in all).
    static let annotationsPerDocument = 100
    /// Relations in each store, each from an actor annotation to a threat annotation.
    static let relationsPerDocument = 10

    static let actors = ["ISIL", "Al-Qaida", "Interpol", "Europol", "UN Security Council", "Boko Haram", "FATF", "Al-Shabaab"]
    static let threats = ["bombing", "armed attack", "cyber attack", "violent extremism", "recruitment", "incitement",
                          "terrorist financing", "hostage taking"]
    static let measures = ["information sharing", "capacity building", "joint investigation", "extradition", "sanctions",
                           "asset freezing", "border security", "mutual legal assistance"]

    /// Writes the corpus into `folder/corpus` (documents `NNNNN.txt` in 100 sub-folders,
    /// stores beside them), each document a copy of one of `texts`; returns the corpus
    /// folder. A corpus already there with as many stores is reused.
    static func generate(in folder: String, texts: [String]) throws -> String {
        let root = folder + "/corpus"
        let marker = root + "/.complete"
        if FileManager.default.fileExists(atPath: marker) { return root }
        try? FileManager.default.removeItem(atPath: root)
        let sources = try texts.map { path -> (text: Data, document: Document, sentences: [Range<Int>]) in
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            let document = try DocumentOpener.open(path).document
            var sentences: [Range<Int>] = []
            for (number, paragraph) in document.paragraphs.enumerated() {
                let base = paragraph.range.lowerBound
                sentences += SentenceSplitter.sentences(in: document.text(ofParagraph: number))
                    .map { (base + $0.lowerBound)..<(base + $0.upperBound) }
                    .filter { $0.count >= 24 }
            }
            guard !sentences.isEmpty else { throw BenchmarkError("\(path) has no sentence long enough to annotate") }
            return (data, document, sentences)
        }
        let date = Date(timeIntervalSince1970: 1_795_000_000)
        for index in 0..<documentCount {
            let sub = root + String(format: "/%02d", index / 100)
            if index % 100 == 0 { try FileManager.default.createDirectory(atPath: sub, withIntermediateDirectories: true) }
            let source = sources[index % sources.count]
            let path = sub + String(format: "/%05d.txt", index)
            try source.text.write(to: URL(fileURLWithPath: path))
            var annotations: [Annotation] = []
            var actorIDs: [String] = [], threatIDs: [String] = []
            for number in 0..<annotationsPerDocument {
                let sentence = source.sentences[(index * 7 + number) % source.sentences.count]
                // a part of the sentence, different for each annotation of it
                let start = sentence.lowerBound + (number * 5) % (sentence.count / 2)
                let end = min(sentence.upperBound, start + 12 + (number * 3) % 40)
                let seed = index &* 31 &+ number
                var tags: [GlossCore.Tag]
                switch number % 4 {
                case 0: tags = [GlossCore.Tag(category: "actor", value: actors[seed % actors.count])]
                case 1: tags = [GlossCore.Tag(category: "threat", value: threats[seed % threats.count])]
                case 2: tags = [GlossCore.Tag(category: "cooperation-measure", value: measures[seed % measures.count])]
                default: tags = [GlossCore.Tag(category: "actor", value: actors[(seed / 3) % actors.count]),
                                 GlossCore.Tag(category: "threat", value: threats[(seed / 5) % threats.count])]
                }
                let id = String(format: "%08X-0000-4000-8000-%012X", index, number)
                annotations.append(Annotation(document: source.document, range: start..<end, tags: tags, author: "bench", date: date, id: id))
                if number % 4 == 0 { actorIDs.append(id) }
                if number % 4 == 1 { threatIDs.append(id) }
            }
            let relations = (0..<relationsPerDocument).map { number in
                Relation(type: "acts-on", from: actorIDs[number % actorIDs.count], to: threatIDs[(number * 3) % threatIDs.count],
                         author: "bench", date: date, id: String(format: "%08X-0000-4000-9000-%012X", index, number))
            }
            let record = StoredDocument(path: String(format: "%05d.txt", index), sha256: source.document.sha256, length: source.document.length)
            let contents = StoreContents(annotations: annotations, relations: relations, document: record)
            try StoreCodec.encode(contents).write(to: URL(fileURLWithPath: path + ".gloss.json"))
        }
        FileManager.default.createFile(atPath: marker, contents: Data())
        return root
    }

    /// One run of `gloss stats corpus --format FORMAT`, its output to /dev/null: wall time
    /// in seconds and peak resident memory in bytes.
    static func runStats(gloss: String, corpus: String, format: String, resources: String) throws -> (seconds: Double, peakBytes: Int) {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        func cStrings(_ strings: [String]) -> [UnsafeMutablePointer<CChar>?] { strings.map { strdup($0) } + [nil] }
        let argv = cStrings([gloss, "stats", corpus, "--format", format])
        var environment = ProcessInfo.processInfo.environment
        environment["GLOSS_RESOURCES"] = resources
        let envp = cStrings(environment.map { "\($0.key)=\($0.value)" })
        defer { (argv + envp).forEach { free($0) } }
        let start = ContinuousClock.now
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, gloss, &actions, nil, argv, envp)
        guard spawned == 0 else { throw BenchmarkError("cannot start \(gloss): \(String(cString: strerror(spawned)))") }
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 && errno == EINTR {}
        let elapsed = Samples.milliseconds(start.duration(to: .now)) / 1000
        guard status == 0 else { throw BenchmarkError("gloss stats failed (wait status \(status))") }
        return (elapsed, Int(usage.ru_maxrss) * 1024)
    }

    /// Generates the corpus (unless there) and prints the timings of `runs` runs of each format.
    static func measure(folder: String, gloss: String, runs: Int) throws -> Bool {
        func say(_ line: String = "") { Report.say(line) }
        let news = Paths.corpus.appendingPathComponent("news")
        let texts = try FileManager.default.contentsOfDirectory(atPath: news.path).filter { $0.hasPrefix("wikinews_") }.sorted()
            .map { news.appendingPathComponent($0).path } + [Paths.article]
        guard FileManager.default.isExecutableFile(atPath: gloss) else {
            throw BenchmarkError("no gloss executable at \(gloss); build it with the same configuration (or give --gloss PATH)")
        }
        say("gloss stats over a generated corpus: \(documentCount) documents, \(documentCount * annotationsPerDocument) annotations, "
            + "\(documentCount * relationsPerDocument) relations, texts from \(texts.count) articles in ../shared/corpus")
        say("load average at the start: \(Benchmark.loadAverage()); \(Benchmark.machine())")
        let generation = ContinuousClock.now
        let corpus = try generate(in: folder, texts: texts)
        say("corpus in \(corpus), ready in \(Report.format(Samples.milliseconds(generation.duration(to: .now))))")
        let resources = Paths.package.appendingPathComponent("Resources").path
        _ = try runStats(gloss: gloss, corpus: corpus, format: "json", resources: resources)  // warm the page cache
        var met = true
        for format in ["table", "json"] {
            var results: [(seconds: Double, peakBytes: Int)] = []
            for _ in 0..<runs { results.append(try runStats(gloss: gloss, corpus: corpus, format: format, resources: resources)) }
            let times = results.map(\.seconds).sorted()
            let peak = results.map(\.peakBytes).max() ?? 0
            let median = times[times.count / 2]
            let ok = median < 5 && peak < 1 << 30
            met = met && ok
            say(String(format: "  gloss stats --format %@: median %.2f s (min %.2f, max %.2f, %d runs), peak memory %@; target < 5 s and < 1 GB: %@",
                       format, median, times.first ?? 0, times.last ?? 0, runs, Report.format(bytes: peak), ok ? "ok" : "MISSED"))
        }
        return met
    }
}
