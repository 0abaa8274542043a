import Foundation
import GlossCore
import GlossTestSupport
import Testing

/// Two coders on the seed article: `gloss agree` checked against bratiaa and an
/// independent Python count, `gloss merge` then the conflicts resolved in the reader, and
/// a real `git merge` of two coders' edits of one store.
@Suite(.serialized) struct CoderEndToEndTests {
    static let environment = ["GLOSS_RESOURCES": Paths.package.appendingPathComponent("Resources").path, "LANG": "C.UTF-8",
                              "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"]

    /// The spans both coders tag, by the words they start and end with (code points of
    /// the seed article, each on one line, so brat standoff can hold its text).
    static func span(_ text: String, from first: String, through last: String) throws -> Range<Int> {
        let scalars = Array(text.unicodeScalars)
        let start = try #require(text.range(of: first)).lowerBound
        let end = try #require(text.range(of: last, range: start..<text.endIndex)).upperBound
        let startOffset = text.unicodeScalars.distance(from: text.unicodeScalars.startIndex, to: start)
        let endOffset = text.unicodeScalars.distance(from: text.unicodeScalars.startIndex, to: end)
        #expect(endOffset <= scalars.count)
        return startOffset..<endOffset
    }

    /// Coder ana's and coder bob's annotations of the seed article, as (span, category, value).
    static func coding(_ text: String) throws -> (ana: [(Range<Int>, String, String)], bob: [(Range<Int>, String, String)]) {
        let officials = try span(text, from: "Top officials", through: "professional voice.")
        let voronkov = try span(text, from: "Vladimir Voronkov", through: "Vladimir Voronkov")
        let defending = try span(text, from: "defending terrorism", through: "international cooperation.")
        let isil = try span(text, from: "ISIL must", through: "ISIL")
        let conference = try span(text, from: "The next High", through: "Thursday")
        let conferenceLonger = try span(text, from: "The next High", through: "is engulfing the world.")
        let ana: [(Range<Int>, String, String)] = [
            (officials, "actor", "UN Office of Counter-Terrorism"),
            (voronkov, "actor", "Vladimir Voronkov"),
            (defending, "threat", "ISIL"),
            (conference, "cooperation", "conference"),
        ]
        let bob: [(Range<Int>, String, String)] = [
            (officials, "actor", "UN Office of Counter-Terrorism"),
            (defending, "threat", "violent extremism"),
            (isil, "actor", "ISIL"),
            (conferenceLonger, "cooperation", "conference"),
        ]
        return (ana, bob)
    }

    /// Writes `FILE.gloss.NAME.json` for each coder through the store API.
    static func writeStores(_ folder: TemporaryFolder) throws -> (document: URL, text: String) {
        let path = try folder.copy(Paths.seedArticle, as: "seed.txt")
        let document = try Document(contentsOfFile: path.path)
        let text = try String(contentsOf: path, encoding: .utf8)
        let (ana, bob) = try coding(text)
        for (coder, spans) in [("ana", ana), ("bob", bob)] {
            let annotations = spans.enumerated().map { index, span in
                Annotation(document: document, range: span.0, tags: [GlossCore.Tag(category: span.1, value: span.2)], author: coder,
                           date: Date(timeIntervalSince1970: 1_800_000_000), id: "\(coder)-\(index)")
            }
            try AnnotationStore(path: try CoderName.storePath(forDocument: path.path, coder: coder)).save(annotations, of: document)
        }
        return (path, text)
    }

    /// The per-category figures, computed independently in Python from the same spans:
    /// kappa code point by code point (with and without uncoded text), and exact-match F1
    /// with bratiaa from brat standoff files (T lines) written here by hand.
    static func independentFigures(_ folder: URL, text: String) throws -> [String: [String: Double?]] {
        let (ana, bob) = try coding(text)
        let root = folder.appendingPathComponent("brat")
        for (coder, spans) in [("ana", ana), ("bob", bob)] {
            let dir = root.appendingPathComponent(coder)
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            try text.write(to: dir.appendingPathComponent("seed.txt"), atomically: true, encoding: .utf8)
            let lines = spans.enumerated().map { index, span in
                "T\(index + 1)\t\(span.1) \(span.0.lowerBound) \(span.0.upperBound)\t\(codePoints(text, span.0))"
            }
            try (lines.joined(separator: "\n") + "\n").write(to: dir.appendingPathComponent("seed.ann"), atomically: true, encoding: .utf8)
        }
        try "[entities]\nactor\nthreat\ncooperation\n[relations]\n[events]\n[attributes]\n"
            .write(to: root.appendingPathComponent("annotation.conf"), atomically: true, encoding: .utf8)
        let script = """
        import json, sys
        root, text = sys.argv[1], open(sys.argv[2], encoding='utf-8').read()
        def spans(coder):
            out = []
            for line in open(f'{root}/{coder}/seed.ann', encoding='utf-8'):
                _, middle, quote = line.rstrip('\\n').split('\\t')
                label, start, end = middle.split(' ')
                assert text[int(start):int(end)] == quote
                out.append((label, int(start), int(end)))
            return out
        a, b = spans('ana'), spans('bob')
        labels = ['actor', 'cooperation', 'threat']
        n = len(text)
        def cover(s, label=None):
            marks = [False] * n
            for (l, x, y) in s:
                if label is None or l == label:
                    for i in range(x, y): marks[i] = True
            return marks
        coded = [p or q for p, q in zip(cover(a), cover(b))]
        def kappa(xs, ys):
            if not xs: return None
            N = len(xs); po = sum(x == y for x, y in zip(xs, ys)) / N
            pa = sum(xs) / N; pb = sum(ys) / N
            pe = pa * pb + (1 - pa) * (1 - pb)
            return None if pe == 1 else (po - pe) / (1 - pe)
        from bratiaa import compute_f1_agreement
        f1 = compute_f1_agreement(root)
        means, _ = f1.mean_sd_per_label()
        out = {}
        for label in labels:
            xa, xb = cover(a, label), cover(b, label)
            out[label] = {
                'kappa_all': kappa(xa, xb),
                'kappa_coded': kappa([x for x, c in zip(xa, coded) if c], [y for y, c in zip(xb, coded) if c]),
                'f1_bratiaa': float(means[f1.labels.index(label)]),
            }
        print(json.dumps(out))
        """
        let scriptPath = folder.appendingPathComponent("independent.py")
        try script.write(to: scriptPath, atomically: true, encoding: .utf8)
        let python = try #require(which("python3"))
        let result = try run(python, [scriptPath.path, root.path, root.appendingPathComponent("ana/seed.txt").path])
        try #require(result.status == 0, "the independent check failed (bratiaa installed? .ci/run installs it): \(result.error)")
        let object = try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: [String: Any]]
        return try #require(object).mapValues { $0.mapValues { $0 as? Double } }
    }

    @Test("gloss agree on two coders' stores of the seed article: kappa and F1 as expected, and as Python and bratiaa find")
    func agreeOnTheSeedArticle() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let (document, text) = try Self.writeStores(folder)
        let result = try run(Paths.gloss.path, ["agree", "--coder", "ana", "--coder", "bob", document.path, "--format", "json"],
                             environment: Self.environment)
        try #require(result.status == 0, "\(result.error)")
        let json = try #require(JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
        let report = try #require(json["report"] as? [String: Any])
        let rows = try #require(report["rows"] as? [[String: Any]])
        func row(_ category: String) throws -> [String: Any] {
            try #require(rows.first { $0["category"] as? String == category && $0["value"] == nil })
        }
        func number(_ row: [String: Any], _ group: String, _ key: String) -> Double? {
            (row[group] as? [String: Any])?[key] as? Double
        }
        // expected, by the definitions: actor exact 1 of A's 2 and B's 2 spans (F1 0.5),
        // overlap: B's ISIL span lies in no A actor span (P 0.5), A's Voronkov span in no
        // B actor span (R 0.5); threat: same span, other value (F1 1; its value rows 0);
        // cooperation: B's span is longer (exact F1 0, overlap 1)
        #expect(number(try row("actor"), "exact", "f1") == 0.5)
        #expect(number(try row("actor"), "overlap", "precision") == 0.5)
        #expect(number(try row("actor"), "overlap", "recall") == 0.5)
        #expect(number(try row("threat"), "exact", "f1") == 1)
        #expect(number(try row("cooperation"), "exact", "f1") == 0)
        #expect(number(try row("cooperation"), "overlap", "f1") == 1)
        #expect(number(try row("threat"), "kappaWithUncoded", "kappa") == 1)
        let isil = try #require(rows.first { $0["category"] as? String == "threat" && $0["value"] as? String == "ISIL" })
        #expect(number(isil, "exact", "f1") == 0)
        // the same figures, computed elsewhere
        let independent = try Self.independentFigures(folder.url, text: text)
        for category in ["actor", "threat", "cooperation"] {
            let figures = try #require(independent[category])
            let ours = try row(category)
            #expect(abs((number(ours, "exact", "f1") ?? -1) - (figures["f1_bratiaa"].flatMap { $0 } ?? -2)) < 1e-9, "F1 of \(category)")
            #expect(abs((number(ours, "kappaWithUncoded", "kappa") ?? -1) - (figures["kappa_all"].flatMap { $0 } ?? -2)) < 1e-9, "kappa all of \(category)")
            #expect(abs((number(ours, "kappaCodedOnly", "kappa") ?? -1) - (figures["kappa_coded"].flatMap { $0 } ?? -2)) < 1e-9, "kappa coded of \(category)")
        }
        // the text form: aligned tables, both kappas named, the disagreements quoted
        let table = try run(Paths.gloss.path, ["agree", "--coder", "ana", "--coder", "bob", document.path], environment: Self.environment)
        #expect(table.status == 0)
        #expect(table.output.contains("κ all: Cohen's kappa over every code point, uncoded text counted as a class (inflates kappa)"))
        #expect(table.output.contains("“Vladimir Voronkov”"))
        let csv = try run(Paths.gloss.path, ["agree", document.path + ".gloss.ana.json", document.path + ".gloss.bob.json", "--format", "csv"],
                          environment: Self.environment)
        #expect(csv.output.hasPrefix("category,value,kappa_all,kappa_coded,"))
        let bad = try run(Paths.gloss.path, ["agree", "--coder", "a/b", "--coder", "bob", document.path], environment: Self.environment)
        #expect(bad.status != 0 && bad.error.contains("\"a/b\""))
    }

    @Test("a disagreement over white space alone shows its characters as symbols, not an empty quote")
    func disagreementOverASpace() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let path = folder.url.appendingPathComponent("d.txt").path
        try Data("Hello world.\tSecond one.\n".utf8).write(to: URL(fileURLWithPath: path))
        let document = try Document(contentsOfFile: path)
        // ana's spans hold the white space after "Hello" and after "world."; bob's do not
        for (coder, spans) in [("ana", [0..<6, 6..<13]), ("bob", [0..<5, 6..<12])] {
            let annotations = spans.enumerated().map { index, range in
                Annotation(document: document, range: range, tags: [GlossCore.Tag(category: "actor", value: "X")], author: coder,
                           date: Date(timeIntervalSince1970: 1_795_000_000), id: "\(coder)-\(index)")
            }
            try AnnotationStore(path: CoderName.storePath(forDocument: path, coder: coder)).save(StoreContents(annotations: annotations), of: document)
        }
        let result = try run(Paths.gloss.path, ["agree", "--coder", "ana", "--coder", "bob", path], environment: Self.environment)
        #expect(result.status == 0, "\(result.error)")
        let lines = result.output.components(separatedBy: "\n")
        #expect(lines.contains { $0.hasPrefix("5..<6") && $0.contains("“␠”") }, "\(result.output)")
        #expect(lines.contains { $0.hasPrefix("12..<13") && $0.contains("“␉”") }, "\(result.output)")
        #expect(!result.output.contains("“”"))
    }

    @Test("on a terminal a disagreement's quote is drawn as the reader draws it: a zero-width space as ·, the table aligned; into a pipe as it is")
    func disagreementQuoteOnATerminal() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let path = folder.url.appendingPathComponent("z.txt").path
        try Data("Zero\u{200B}width words here.\n".utf8).write(to: URL(fileURLWithPath: path))
        let document = try Document(contentsOfFile: path)
        for (coder, range) in [("ana", 0..<10), ("bob", 0..<4)] {
            let annotation = Annotation(document: document, range: range, tags: [GlossCore.Tag(category: "actor", value: "X")], author: coder,
                                        date: Date(timeIntervalSince1970: 1_795_000_000), id: "\(coder)-0")
            try AnnotationStore(path: CoderName.storePath(forDocument: path, coder: coder)).save(StoreContents(annotations: [annotation]), of: document)
        }
        let (status, bytes) = try ExportEndToEndTests.runOnATerminal(["agree", "--coder", "ana", "--coder", "bob", "z.txt"], in: folder.url)
        #expect(status == 0)
        let shown = String(decoding: bytes, as: UTF8.self)
        #expect(shown.contains("4..<10   “·width”  actor=X") && !shown.contains("\u{200B}"), "\(shown.debugDescription)")
        let piped = try run(Paths.gloss.path, ["agree", "--coder", "ana", "--coder", "bob", path], environment: Self.environment)
        #expect(piped.output.contains("“\u{200B}width”"), "\(piped.output.debugDescription)")
    }

    @Test("gloss merge then the reader: f conflict lists the two rivals, ! keeps one and deletes the other, saved")
    func mergeAndResolveInTheReader() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let (document, _) = try Self.writeStores(folder)
        let merged = folder.url.appendingPathComponent("merged.gloss.json")
        let result = try run(Paths.gloss.path, ["merge", "--coder", "ana", "--coder", "bob", document.path, "-o", merged.path],
                             environment: Self.environment)
        try #require(result.status == 0, "\(result.error)")
        // officials collapsed; the threat span conflicts; the rest kept
        #expect(result.output.contains("7 kept, 1 collapsed, 1 conflict"), "\(result.output)")
        #expect(result.output.contains("threat=ISIL") && result.output.contains("threat=violent extremism"))
        let again = try run(Paths.gloss.path, ["merge", "--coder", "ana", "--coder", "bob", document.path, "-o", merged.path],
                            environment: Self.environment)
        #expect(again.status != 0 && again.error.contains("exists"))
        let ontoA = try run(Paths.gloss.path, ["merge", "--coder", "ana", "--coder", "bob", document.path, "-o", document.path + ".gloss.ana.json", "--force"],
                            environment: Self.environment)
        #expect(ontoA.status != 0 && ontoA.error.contains("is store A"))

        let tmux = try TmuxSession(command: glossCommand([document.lastPathComponent, "--store", merged.lastPathComponent]), folder: folder.url)
        try tmux.waitFor("Annotations (7)")
        try tmux.send("f")
        try tmux.send("conflict", literal: true)
        try tmux.send("Enter")
        try tmux.waitFor("Filter conflict: 2 of 7")
        try tmux.send("Tab")
        try tmux.send("!")
        try tmux.waitFor("deleted its rival")
        try tmux.send("q")
        #expect(try tmux.waitForExit() == 0)
        let contents = try #require(try AnnotationStore(path: merged.path).load())
        #expect(contents.annotations.count == 6)
        #expect(contents.annotations.allSatisfy { $0.conflict == nil })
        #expect(contents.annotations.filter { $0.tags.first?.category == "threat" }.count == 1)
    }

    @Test("a real git merge of two coders' edits of different annotations of one store: no conflict, both edits kept")
    func gitMergeOfOneStore() throws {
        let git = try #require(which("git"), "git is needed")
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let path = try folder.copy(Paths.seedArticle, as: "seed.txt")
        let document = try Document(contentsOfFile: path.path)
        let text = try String(contentsOf: path, encoding: .utf8)
        let storePath = AnnotationStore.defaultPath(forDocument: path.path)
        let spans = [try Self.span(text, from: "Top officials", through: "professional voice."),
                     try Self.span(text, from: "Vladimir Voronkov", through: "Vladimir Voronkov"),
                     try Self.span(text, from: "The next High", through: "Thursday")]
        let date = Date(timeIntervalSince1970: 1_800_000_000)
        let annotations = spans.enumerated().map { index, span in
            Annotation(document: document, range: span, tags: [GlossCore.Tag(category: "actor", value: "v\(index + 1)")], author: "ana",
                       date: date, id: "00000000-0000-0000-0000-00000000000\(index + 1)")
        }
        try AnnotationStore(path: storePath).save(annotations, of: document)
        func gitRun(_ arguments: [String]) throws -> ProcessResult {
            try run(git, ["-C", folder.url.path, "-c", "user.name=t", "-c", "user.email=t@example.org", "-c", "commit.gpgsign=false"] + arguments)
        }
        #expect(try gitRun(["init", "-q", "-b", "main"]).status == 0)
        #expect(try gitRun(["add", "seed.txt", "seed.txt.gloss.json"]).status == 0)
        #expect(try gitRun(["commit", "-q", "-m", "base"]).status == 0)
        // coder 1: the value of annotation 1
        #expect(try gitRun(["checkout", "-q", "-b", "coder1"]).status == 0)
        var one = try #require(try AnnotationStore(path: storePath).load())
        one.annotations[0].tags[0].value = "UN Office of Counter-Terrorism"
        one.annotations[0].modified = Annotation.timestamp(date.addingTimeInterval(60))
        try AnnotationStore(path: storePath).save(one, of: document)
        #expect(try gitRun(["commit", "-q", "-am", "coder 1"]).status == 0)
        // coder 2: a note on annotation 3 and a new annotation at the end
        #expect(try gitRun(["checkout", "-q", "main"]).status == 0)
        #expect(try gitRun(["checkout", "-q", "-b", "coder2"]).status == 0)
        var two = try #require(try AnnotationStore(path: storePath).load())
        two.annotations[2].note = "Announced for Thursday."
        two.annotations[2].modified = Annotation.timestamp(date.addingTimeInterval(120))
        let last = try Self.span(text, from: "resilient society", through: "resilient state")
        two.annotations.append(Annotation(document: document, range: last, tags: [GlossCore.Tag(category: "cooperation", value: "resilience")],
                                          author: "bob", date: date, id: "FFFFFFFF-0000-0000-0000-000000000004"))
        try AnnotationStore(path: storePath).save(two, of: document)
        #expect(try gitRun(["commit", "-q", "-am", "coder 2"]).status == 0)
        // the merge
        #expect(try gitRun(["checkout", "-q", "coder1"]).status == 0)
        let merge = try gitRun(["merge", "--no-edit", "coder2"])
        #expect(merge.status == 0, "git merge conflicted: \(merge.output)\(merge.error)")
        let merged = try #require(try AnnotationStore(path: storePath).load())
        #expect(merged.annotations.count == 4)
        #expect(merged.annotations[0].tags[0].value == "UN Office of Counter-Terrorism")
        #expect(merged.annotations[2].note == "Announced for Thursday.")
        #expect(merged.annotations[3].tags[0].value == "resilience")
        #expect(merged.quarantined.isEmpty)
    }
}
