import Foundation
import GlossCore
import GlossTestSupport
import Testing

/// `gloss export --format brat` and `gloss import brat` as a user runs them: the files
/// checked by the shared `check-brat.py`, a two-coder export read by bratiaa, and the
/// import's report, exit status and store.
@Suite(.serialized) struct BratEndToEndTests {
    static let checker = Paths.shared.appendingPathComponent("tools/check-brat.py").path

    /// Runs the built gloss in `folder`.
    static func gloss(_ arguments: [String], in folder: URL) throws -> ProcessResult {
        try run("/bin/sh", ["-c", "cd '\(folder.path)' && exec \"$0\" \"$@\"", Paths.gloss.path] + arguments,
                environment: CoderEndToEndTests.environment)
    }

    /// Runs `check-brat.py` on `path`; returns its report.
    static func checkBrat(_ path: String) throws -> ProcessResult {
        let python = try #require(which("python3"))
        return try run(python, [checker, path])
    }

    /// The bundled sample article in `folder`, coded through the store API: the title (a
    /// span at 0) and a threat inside it, two actors, a span over a paragraph break with a
    /// note of two lines, a relation.
    static func codedSample(in folder: TemporaryFolder) throws -> URL {
        let path = try folder.copy(Paths.package.appendingPathComponent("Resources/sample-article.txt"))
        let document = try Document(contentsOfFile: path.path)
        let text = document.text
        func annotation(_ first: String, through last: String, _ category: String, _ value: String, note: String = "", id: String) throws -> Annotation {
            Annotation(document: document, range: try CoderEndToEndTests.span(text, from: first, through: last),
                       tags: [GlossCore.Tag(category: category, value: value)], note: note, author: "ana",
                       date: Date(timeIntervalSince1970: 1_800_000_000), id: id)
        }
        let annotations = [
            try annotation("Ministers agree", through: "online incitement", "cooperation-measure", "content removal", id: "S1"),
            try annotation("terrorist financing", through: "terrorist financing", "threat", "terrorist financing", id: "S2"),
            try annotation("Interior and justice ministers", through: "Interior and justice ministers", "actor", "national government", id: "S3"),
            try annotation("U.N. Office", through: "Counter-Terrorism", "actor", "UN Office of Counter-Terrorism", id: "S4"),
            try annotation("She added", through: "Under the declaration", "cooperation-measure", "declaration or agreement",
                           note: "Two paragraphs:\n\"reviewed\", then \"declaration\"", id: "S5"),
        ]
        let relation = Relation(type: "acts-on", from: "S3", to: "S2", author: "ana", date: Date(timeIntervalSince1970: 1_800_000_000), id: "R1")
        try AnnotationStore(path: AnnotationStore.defaultPath(forDocument: path.path))
            .save(StoreContents(annotations: annotations, relations: [relation]), of: document)
        return path
    }

    @Test("gloss export --format brat of the coded sample article: check-brat.py accepts it, the text is byte for byte the document's")
    func exportTheSampleArticle() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let path = try Self.codedSample(in: folder)
        let result = try Self.gloss(["export", "sample-article.txt", "--format", "brat", "-o", "brat"], in: folder.url)
        #expect(result.status == 0, "\(result.error)")
        let out = folder.url.appendingPathComponent("brat")
        #expect(try Data(contentsOf: out.appendingPathComponent("sample-article.txt")) == Data(contentsOf: path))
        let ann = try String(contentsOf: out.appendingPathComponent("sample-article.ann"), encoding: .utf8)
        #expect(ann.hasPrefix("T1\tcooperation-measure 0 80\tMinisters agree joint platform to curb terrorist financing and online incitement\n"))
        #expect(ann.contains("gloss:declaration%20or%20agreement\tdeclaration or agreement\n"))
        #expect(ann.contains("\tAnnotatorNotes T4\tTwo paragraphs:\\n\"reviewed\", then \"declaration\"\n"))
        #expect(ann.contains("R1\tacts-on Arg1:T3 Arg2:T2\n"))
        let check = try Self.checkBrat(out.path)
        #expect(check.status == 0, "\(check.output)")
        #expect(check.output.contains("1 .ann files, 5 text-bound annotations: 0 problems"), "\(check.output)")

        // without -o, or into a folder of other files, nothing is written
        let missing = try Self.gloss(["export", "sample-article.txt", "--format", "brat"], in: folder.url)
        #expect(missing.status != 0 && missing.error.contains("-o FOLDER"), "\(missing.error)")
        let refused = try Self.gloss(["export", "sample-article.txt", "--format", "brat", "-o", "."], in: folder.url)
        #expect(refused.status == 1 && refused.error.contains("holding files other than an earlier brat export's"), "\(refused.error)")
    }

    @Test("Two coders' stores export to a folder each, which bratiaa reads: its F1 per category is the one it finds on hand-written files of the same spans")
    func twoCodersForBratiaa() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let (_, text) = try CoderEndToEndTests.writeStores(folder)
        let result = try Self.gloss(["export", "seed.txt", "--format", "brat", "-o", "coders"], in: folder.url)
        #expect(result.status == 0, "\(result.error)")
        let root = folder.url.appendingPathComponent("coders")
        for file in ["annotation.conf", "ana/seed.txt", "ana/seed.ann", "ana/annotation.conf", "bob/seed.txt", "bob/seed.ann"] {
            #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent(file).path), "\(file)")
        }
        let check = try Self.checkBrat(root.path)
        #expect(check.status == 0 && check.output.contains("2 .ann files, 8 text-bound annotations: 0 problems"), "\(check.output)")

        let script = """
            import json, sys
            from bratiaa import compute_f1_agreement
            f1 = compute_f1_agreement(sys.argv[1])
            means, _ = f1.mean_sd_per_label()
            print(json.dumps({label: float(means[f1.labels.index(label)]) for label in ['actor', 'threat', 'cooperation']}))
            """
        let python = try #require(which("python3"))
        let bratiaa = try run(python, ["-c", script, root.path])
        try #require(bratiaa.status == 0, "bratiaa could not read the export (installed? .ci/run installs it): \(bratiaa.error)")
        let ours = try #require(try JSONSerialization.jsonObject(with: Data(bratiaa.output.utf8)) as? [String: Double])
        let independent = try CoderEndToEndTests.independentFigures(folder.url, text: text)
        for category in ["actor", "threat", "cooperation"] {
            let expected = try #require(independent[category]?["f1_bratiaa"].flatMap { $0 })
            #expect(abs((ours[category] ?? -1) - expected) < 1e-9, "F1 of \(category): \(ours[category] ?? -1) against \(expected)")
        }
        #expect(ours["actor"] == 0.5 && ours["threat"] == 1 && ours["cooperation"] == 0)
    }

    @Test("gloss import brat: every line not imported is reported as FILE:LINE, the rest merged into the coder's store; a repeat adds nothing; export, import into a fresh copy, export again gives the same files")
    func importAndRoundTrip() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        _ = try Self.codedSample(in: folder)
        let first = try Self.gloss(["export", "sample-article.txt", "--format", "brat", "-o", "first"], in: folder.url)
        #expect(first.status == 0, "\(first.error)")

        let fresh = folder.url.appendingPathComponent("fresh")
        try FileManager.default.createDirectory(at: fresh, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: folder.url.appendingPathComponent("sample-article.txt"), to: fresh.appendingPathComponent("sample-article.txt"))
        let imported = try Self.gloss(["import", "brat", "../first/sample-article.ann", "--into", "sample-article.txt", "--coder", "bo"], in: fresh)
        #expect(imported.status == 0, "\(imported.error)")
        #expect(imported.error.contains("sample-article.txt.gloss.bo.json: 5 annotation(s) and 1 relation(s) imported"), "\(imported.error)")
        let store = try #require(try AnnotationStore(path: fresh.appendingPathComponent("sample-article.txt.gloss.bo.json").path).load())
        #expect(store.annotations.count == 5 && store.annotations.allSatisfy { $0.author == "bo" })
        let again = try Self.gloss(["import", "brat", "../first/sample-article.ann", "--into", "sample-article.txt", "--coder", "bo"], in: fresh)
        #expect(again.error.contains("0 annotation(s) and 0 relation(s) imported") && again.error.contains("5 annotation(s) and 1 relation(s) were already there"), "\(again.error)")

        let second = try Self.gloss(["export", "sample-article.txt", "--coder", "bo", "--format", "brat", "-o", "second"], in: fresh)
        #expect(second.status == 0, "\(second.error)")
        for name in ["sample-article.txt", "sample-article.ann", "annotation.conf"] {
            #expect(try Data(contentsOf: folder.url.appendingPathComponent("first/" + name)) == Data(contentsOf: fresh.appendingPathComponent("second/" + name)), "\(name)")
        }

        // lines it cannot hold or read are named by line; the readable rest is imported
        let ann = "T1\tactor 0 9\tMinisters\nE1\tMeeting:T1\nT2\tactor 10 5\tagree\nT3\tthreat 10 15\tagree\n"
        try Data(ann.utf8).write(to: fresh.appendingPathComponent("odd.ann"))
        try FileManager.default.copyItem(at: fresh.appendingPathComponent("sample-article.txt"), to: fresh.appendingPathComponent("odd.txt"))
        let odd = try Self.gloss(["import", "brat", "odd.ann", "--into", "sample-article.txt"], in: fresh)
        #expect(odd.status == 1)
        #expect(odd.error.contains("odd.ann:2: E1: events cannot be held by Gloss"), "\(odd.error)")
        #expect(odd.error.contains("odd.ann:3: T2: offsets 10 5 are not a span within"), "\(odd.error)")
        #expect(odd.error.contains("sample-article.txt.gloss.json: 2 annotation(s) and 0 relation(s) imported"), "\(odd.error)")
    }

    @Test("gloss import brat writes nothing when the .ann cannot be read or its .txt is another text")
    func importWritesNothingOnFailure() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        _ = try folder.copy(Paths.package.appendingPathComponent("Resources/sample-article.txt"))
        let missing = try Self.gloss(["import", "brat", "none.ann", "--into", "sample-article.txt"], in: folder.url)
        #expect(missing.status == 1 && missing.error.contains("none.ann: cannot read the brat annotation file: no such file; nothing imported"), "\(missing.error)")
        try Data("T1\tactor 0 5\tOther\n".utf8).write(to: folder.url.appendingPathComponent("other.ann"))
        try Data("Other text entirely.".utf8).write(to: folder.url.appendingPathComponent("other.txt"))
        let other = try Self.gloss(["import", "brat", "other.ann", "--into", "sample-article.txt"], in: folder.url)
        #expect(other.status == 1 && other.error.contains("other.txt: is not the text of sample-article.txt"), "\(other.error)")
        #expect(other.error.contains("--by-quote"))
        let stores = try FileManager.default.contentsOfDirectory(atPath: folder.url.path).filter { $0.contains(".gloss.") }
        #expect(stores == [], "no store written")
    }
}
