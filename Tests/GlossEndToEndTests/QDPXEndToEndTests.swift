import Foundation
import GlossCore
import GlossTestSupport
import Testing

/// `gloss export --format qdpx`, `gloss import qdpx` and `gloss codebook export|import`
/// as a user runs them: the archives checked by the shared `validate-qdpx.py`, read by
/// two real REFI-QDA readers from PyPI (`qualitative-coding`'s `qc init --import` and
/// `pyrefiqda`), the codebooks by Codebook.xsd, and the round trips through the import.
@Suite(.serialized) struct QDPXEndToEndTests {
    static let validator = Paths.shared.appendingPathComponent("tools/validate-qdpx.py").path
    static let codebookSchema = Paths.package.appendingPathComponent("Tests/Schemas/refi-qda/Codebook.xsd").path

    /// Runs the built gloss in `folder`.
    static func gloss(_ arguments: [String], in folder: URL) throws -> ProcessResult {
        try BratEndToEndTests.gloss(arguments, in: folder)
    }

    /// Runs python3 with `arguments` in `folder`, with `environment` added.
    static func python(_ arguments: [String], in folder: URL, environment: [String: String] = [:]) throws -> ProcessResult {
        let python = try #require(which("python3"))
        var merged = ProcessInfo.processInfo.environment
        merged.merge(environment) { $1 }
        return try run("/bin/sh", ["-c", "cd '\(folder.path)' && exec \"$0\" \"$@\"", python] + arguments, environment: merged)
    }

    /// `project.qde` of the archive at `path`.
    static func project(_ path: URL) throws -> String {
        let result = try run(try #require(which("python3")), ["-c", "import sys, zipfile; sys.stdout.write(zipfile.ZipFile(sys.argv[1]).read('project.qde').decode('utf-8'))", path.path])
        #expect(result.status == 0, "\(result.error)")
        return result.output
    }

    @Test("gloss export --format qdpx of the coded sample article: validate-qdpx.py accepts it, the source is the document byte for byte, pyrefiqda reads every selection, code, user, link and note")
    func exportTheSampleArticle() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let path = try BratEndToEndTests.codedSample(in: folder)
        let result = try Self.gloss(["export", "sample-article.txt", "--format", "qdpx", "-o", "sample.qdpx"], in: folder.url)
        #expect(result.status == 0, "\(result.error)")
        #expect(result.error.contains("sample.qdpx: 1 text source(s), 5 selection(s), 5 coding(s), 1 link(s)"), "\(result.error)")
        let archive = folder.url.appendingPathComponent("sample.qdpx")

        let check = try Self.python([Self.validator, archive.path, "-v"], in: folder.url)
        #expect(check.status == 0, "\(check.output)\(check.error)")
        #expect(check.output.hasSuffix("5 selections: 0 problems\n"), "\(check.output)")
        #expect(check.output.contains("content removal\t0-80\t'Ministers agree joint platform to curb terrorist financing and online incitement'\n"), "\(check.output)")

        let store = try #require(try AnnotationStore(path: AnnotationStore.defaultPath(forDocument: path.path)).load())
        let script = """
            import json, sys, tempfile
            from pyrefiqda import RefiProject
            folder = tempfile.mkdtemp()
            project = RefiProject.load(sys.argv[1], extract_dir=folder)
            users = {u.guid: u.name for u in project.users.user}
            codes = {}
            def walk(level, trail):
                for code in level:
                    codes[code.guid] = trail + [code.name]
                    walk(code.code, trail + [code.name])
            walk(project.code_book.codes.code, [])
            out = {'name': project.name, 'users': sorted(users.values()), 'top': [c.name for c in project.code_book.codes.code], 'selections': []}
            for source in project.sources.text_source:
                text = open(RefiProject.resolve_source_path(source.plain_text_path, folder), encoding='utf-8', newline='').read()
                out['source'] = [source.name, source.description, len(text)]
                for s in source.plain_text_selection:
                    out['selections'].append({'text': text[s.start_position:s.end_position], 'user': users[s.creating_user],
                        'created': str(s.creation_date_time), 'note': s.description,
                        'codes': ['/'.join(codes[c.code_ref.target_guid]) for c in s.coding]})
            notes = {n.guid: n.plain_text_content for n in project.notes.note} if project.notes else {}
            out['links'] = [f'{l.name} {l.direction.value} {[notes[r.target_guid] for r in l.note_ref]}' for l in project.links.link]
            print(json.dumps(out))
            """
        let read = try Self.python(["-c", script, archive.path], in: folder.url)
        try #require(read.status == 0, "pyrefiqda could not read the export (installed? .ci/run installs it): \(read.error)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(read.output.utf8)) as? [String: Any])
        #expect(json["name"] as? String == "sample-article.txt")
        #expect(json["users"] as? [String] == ["ana"])
        #expect(json["top"] as? [String] == ["Actor", "Threat", "Cooperation measure"])
        let selections = try #require(json["selections"] as? [[String: Any]])
        #expect(selections.map { $0["text"] as? String } == store.annotations.map(\.quote), "Python's slices at the positions are the quotes")
        #expect(selections.map { $0["codes"] as? [String] } == [
            ["Cooperation measure/content removal"], ["Threat/terrorist financing"], ["Actor/national government"],
            ["Cooperation measure/declaration or agreement"], ["Actor/UN Office of Counter-Terrorism"],
        ])
        #expect(selections.allSatisfy { $0["user"] as? String == "ana" && $0["created"] as? String == "2027-01-15T08:00:00Z" })
        #expect(selections[3]["note"] as? String == "Two paragraphs:\n\"reviewed\", then \"declaration\"")
        #expect(json["links"] as? [String] == ["acts-on OneWay []"])

        // without -o, or onto the document, nothing is written
        let missing = try Self.gloss(["export", "sample-article.txt", "--format", "qdpx"], in: folder.url)
        #expect(missing.status != 0 && missing.error.contains("-o OUT.qdpx"), "\(missing.error)")
        let onto = try Self.gloss(["export", "sample-article.txt", "--format", "qdpx", "-o", "sample-article.txt"], in: folder.url)
        #expect(onto.status == 1 && onto.error.contains("is an annotated document (its annotations are in sample-article.txt.gloss.json)"), "\(onto.error)")
        #expect(try Data(contentsOf: path) == Data(contentsOf: Paths.package.appendingPathComponent("Resources/sample-article.txt")))
    }

    @Test("A corpus of two folders whose documents share a file name exports as one project with a text source each, named apart; a document without a store is skipped with a note")
    func corpus() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        _ = try BratEndToEndTests.codedSample(in: folder)
        let news = folder.url.appendingPathComponent("news")
        for sub in ["a", "b"] {
            let target = news.appendingPathComponent(sub)
            try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
            for name in ["sample-article.txt", "sample-article.txt.gloss.json"] {
                try FileManager.default.copyItem(at: folder.url.appendingPathComponent(name), to: target.appendingPathComponent(name))
            }
        }
        try Data("No annotations here.\n".utf8).write(to: news.appendingPathComponent("plain.txt"))
        let result = try Self.gloss(["export", "news", "--format", "qdpx", "-o", "news.qdpx"], in: folder.url)
        #expect(result.status == 0, "\(result.error)")
        #expect(result.error.contains("plain.txt: no annotation store"), "\(result.error)")
        #expect(result.error.contains("news.qdpx: 2 text source(s), 10 selection(s), 10 coding(s), 2 link(s)"), "\(result.error)")
        let check = try Self.python([Self.validator, "news.qdpx"], in: folder.url)
        #expect(check.status == 0 && check.output.hasSuffix(" 10 selections: 0 problems\n"), "\(check.output)\(check.error)")
        let project = try Self.project(folder.url.appendingPathComponent("news.qdpx"))
        #expect(project.contains("<Project xmlns=\"urn:QDA-XML:project:1.0\" name=\"Corpus: news\" origin=\"Gloss "))
        #expect(project.contains(" name=\"sample-article.txt\" plainTextPath=") && project.contains(" name=\"sample-article-2.txt\" plainTextPath="))
    }

    @Test("Two coders' stores export as one project with a user each; qualitative-coding's qc init --import reads every code of it and, per coder, every code they applied")
    func twoCodersForQualitativeCoding() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        _ = try CoderEndToEndTests.writeStores(folder)
        let result = try Self.gloss(["export", "seed.txt", "--format", "qdpx", "-o", "coders.qdpx"], in: folder.url)
        #expect(result.status == 0, "\(result.error)")
        #expect(result.error.contains("coders.qdpx: 1 text source(s), 8 selection(s), 8 coding(s), 0 link(s)"), "\(result.error)")
        let check = try Self.python([Self.validator, "coders.qdpx"], in: folder.url)
        #expect(check.status == 0 && check.output.hasSuffix(" selections: 0 problems\n") && check.output.contains(" 8 selections"), "\(check.output)\(check.error)")

        // qc wants an empty folder and finds its project by the settings.yaml there
        let qcFolder = folder.url.appendingPathComponent("qc")
        try FileManager.default.createDirectory(at: qcFolder, withIntermediateDirectories: true)
        let qc = "import sys; from qualitative_coding.cli import cli; sys.argv[0] = 'qc'; cli()"
        // qualitative-coding 1.7.8's REFIQDAReader.unpack_sources calls breakpoint(); 0 turns it off
        let environment = ["PYTHONBREAKPOINT": "0"]
        let imported = try Self.python(["-c", qc, "init", "--import", "../coders.qdpx"], in: qcFolder, environment: environment)
        try #require(imported.status == 0 && FileManager.default.fileExists(atPath: qcFolder.appendingPathComponent("settings.yaml").path),
                     "qc could not import the export (installed? .ci/run installs qualitative-coding): \(imported.output)\(imported.error)")
        let listed = try Self.python(["-c", qc, "codes", "list", "-e"], in: qcFolder, environment: environment)
        #expect(listed.status == 0, "\(listed.error)")
        let stats = try Self.python(["-c", qc, "codes", "stats", "-C", "-e", "-z", "-o", "../stats.csv"], in: qcFolder, environment: environment)
        #expect(stats.status == 0, "\(stats.error)")

        // what our project.qde says, read with ElementTree, against what qc made of it. qc
        // codes lines, not spans, and names codes by name alone: 1.7.8 puts every imported
        // selection on line 0 (REFIQDAReader.get_line_for_position returns 0 for any
        // position), so a coder's code counts once per document, and a code's count is that
        // of every code of its name (ISIL under Actor and under Threat are one code there)
        let compare = """
            import csv, json, sys, zipfile
            import xml.etree.ElementTree as ET
            Q = '{urn:QDA-XML:project:1.0}'
            root = ET.fromstring(zipfile.ZipFile(sys.argv[1]).read('project.qde'))
            users = {u.get('guid'): u.get('name') for u in root.iter(Q + 'User')}
            names, paths = {}, []
            def walk(parent, trail):
                for code in parent.findall(Q + 'Code'):
                    names[code.get('guid')] = code.get('name')
                    paths.append(':'.join(trail + [code.get('name')]))
                    walk(code, trail + [code.get('name')])
            walk(root.find(Q + 'CodeBook/' + Q + 'Codes'), [])
            coded = {}
            for selection in root.iter(Q + 'PlainTextSelection'):
                for coding in selection.findall(Q + 'Coding'):
                    coded.setdefault(users[coding.get('creatingUser')], set()).add(names[coding.find(Q + 'CodeRef').get('targetGUID')])
            listed = [line.strip()[2:] if line.strip().startswith('- ') else line.strip() for line in open(sys.argv[2]) if line.strip()]
            rows = list(csv.reader(open(sys.argv[3])))
            # the header has a cell for the code column or not, as tabulate writes it
            coders = rows[0][1:-1] if len(rows[0]) == len(rows[1]) else rows[0][:-1]
            problems = []
            if sorted(listed) != sorted(paths):
                problems.append(f'codes: qc lists {sorted(set(listed) ^ set(paths))} differently')
            for row in rows[1:]:
                leaf = row[0].split(':')[-1]
                for coder, count in zip(coders, row[1:-1]):
                    expected = 1 if leaf in coded.get(coder, set()) else 0
                    if int(count) != expected:
                        problems.append(f'{row[0]} by {coder}: qc counts {count}, expected {expected}')
            print(json.dumps({'codes': len(paths), 'coders': coders, 'coded': {k: sorted(v) for k, v in coded.items()}, 'problems': problems}))
            """
        try Data(listed.output.utf8).write(to: folder.url.appendingPathComponent("listed.txt"))
        let compared = try Self.python(["-c", compare, "coders.qdpx", "listed.txt", "stats.csv"], in: folder.url)
        try #require(compared.status == 0, "\(compared.error)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(compared.output.utf8)) as? [String: Any])
        #expect(json["problems"] as? [String] == [], "\(compared.output)")
        #expect(json["coders"] as? [String] == ["ana", "bob"])
        #expect((json["codes"] as? Int ?? 0) > 60, "the bundled codebook's codes and the coders' extra values")
        let coded = try #require(json["coded"] as? [String: [String]])
        #expect(coded["ana"] == ["UN Office of Counter-Terrorism", "Vladimir Voronkov", "ISIL", "conference"].sorted())
        #expect(coded["bob"] == ["UN Office of Counter-Terrorism", "violent extremism", "ISIL", "conference"].sorted())
        let qcText = try String(contentsOf: qcFolder.appendingPathComponent("corpus/seed.txt"), encoding: .utf8)
        #expect(qcText == (try String(contentsOf: folder.url.appendingPathComponent("seed.txt"), encoding: .utf8)), "qc keeps the source text as it is")
    }

    @Test("gloss import qdpx: export, import into a fresh copy of the document, export again gives the same project.qde and archive; a repeat adds nothing; another text is refused and nothing written")
    func importRoundTrip() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        _ = try BratEndToEndTests.codedSample(in: folder)
        let first = try Self.gloss(["export", "sample-article.txt", "--format", "qdpx", "-o", "first.qdpx"], in: folder.url)
        #expect(first.status == 0, "\(first.error)")

        let fresh = folder.url.appendingPathComponent("fresh")
        try FileManager.default.createDirectory(at: fresh, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: folder.url.appendingPathComponent("sample-article.txt"), to: fresh.appendingPathComponent("sample-article.txt"))
        let imported = try Self.gloss(["import", "qdpx", "../first.qdpx", "--into", "sample-article.txt"], in: fresh)
        #expect(imported.status == 0, "\(imported.error)")
        #expect(imported.error.contains("sample-article.txt.gloss.json: 5 annotation(s) and 1 relation(s) imported from source \"sample-article.txt\" of ../first.qdpx"), "\(imported.error)")
        let again = try Self.gloss(["import", "qdpx", "../first.qdpx", "--into", "sample-article.txt"], in: fresh)
        #expect(again.status == 0 && again.error.contains("0 annotation(s) and 0 relation(s) imported") && again.error.contains("5 annotation(s) and 1 relation(s) were already there"), "\(again.error)")

        let second = try Self.gloss(["export", "sample-article.txt", "--format", "qdpx", "-o", "second.qdpx"], in: fresh)
        #expect(second.status == 0, "\(second.error)")
        #expect(try Self.project(fresh.appendingPathComponent("second.qdpx")) == Self.project(folder.url.appendingPathComponent("first.qdpx")))
        #expect(try Data(contentsOf: fresh.appendingPathComponent("second.qdpx")) == Data(contentsOf: folder.url.appendingPathComponent("first.qdpx")))

        // into a coder's store, only one user's selections
        let coder = try Self.gloss(["import", "qdpx", "../first.qdpx", "--into", "sample-article.txt", "--coder", "bo", "--user", "nobody"], in: fresh)
        #expect(coder.status == 0 && coder.error.contains("sample-article.txt.gloss.bo.json: 0 annotation(s)") && coder.error.contains("5 selection(s) of other users than nobody left out"), "\(coder.error)")

        // another text: refused, nothing written
        let other = folder.url.appendingPathComponent("other")
        try FileManager.default.createDirectory(at: other, withIntermediateDirectories: true)
        try Data("Another article.\n".utf8).write(to: other.appendingPathComponent("note.txt"))
        let refused = try Self.gloss(["import", "qdpx", "../first.qdpx", "--into", "note.txt"], in: other)
        #expect(refused.status == 1 && refused.error.contains("no text source has the text of note.txt (its text sources: sample-article.txt); name one with --source; nothing imported"), "\(refused.error)")
        let named = try Self.gloss(["import", "qdpx", "../first.qdpx", "--into", "note.txt", "--source", "sample-article.txt"], in: other)
        #expect(named.status == 1 && named.error.contains("is not the text of note.txt"), "\(named.error)")
        let notArchive = try Self.gloss(["import", "qdpx", "note.txt", "--into", "note.txt"], in: other)
        #expect(notArchive.status == 1 && notArchive.error.contains("cannot be read as a zip archive"), "\(notArchive.error)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: other.path) == ["note.txt"], "no store written")
    }

    @Test("gloss codebook export writes the codebook as a .qdc valid against Codebook.xsd, which pyrefiqda reads; gloss codebook import makes a codebook of it that gloss uses and that exports to the same .qdc; an existing file is kept without --force")
    func codebookExchange() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let exported = try Self.gloss(["codebook", "export", "-o", "bundled.qdc"], in: folder.url)
        #expect(exported.status == 0, "\(exported.error)")
        #expect(exported.error.contains("bundled.qdc: 3 categories and their values from"), "\(exported.error)")
        #expect(exported.error.contains("3 relation type(s) left out (acts-on, undertakes, targets)"), "\(exported.error)")
        let script = """
            import sys, xmlschema
            from pyrefiqda import RefiCodebook
            errors = list(xmlschema.XMLSchema(sys.argv[1]).iter_errors(sys.argv[2]))
            book = RefiCodebook.load(sys.argv[2])
            print(len(errors), [c.name for c in book.codes.code], sum(len(c.code) for c in book.codes.code))
            """
        let checked = try Self.python(["-c", script, Self.codebookSchema, "bundled.qdc"], in: folder.url)
        #expect(checked.output == "0 ['Actor', 'Threat', 'Cooperation measure'] 64\n", "\(checked.output)\(checked.error)")

        let team = folder.url.appendingPathComponent("team")
        try FileManager.default.createDirectory(at: team, withIntermediateDirectories: true)
        let imported = try Self.gloss(["codebook", "import", "../bundled.qdc"], in: team)
        #expect(imported.status == 0, "\(imported.error)")
        #expect(imported.error.contains("keys assigned: a Actor, t Threat, c Cooperation measure"), "\(imported.error)")
        #expect(imported.error.contains("gloss.codebook.json: 3 categories and 64 value(s) from ../bundled.qdc"), "\(imported.error)")
        let file = team.appendingPathComponent(GlossCore.Codebook.teamFileName)
        let codebook = try GlossCore.Codebook.load(path: file.path)
        let bundled = try GlossCore.Codebook.load(path: Paths.package.appendingPathComponent("Resources/codebook.json").path)
        #expect(codebook.categories.map(\.id) == bundled.categories.map(\.id))
        #expect(codebook.categories.map(\.values) == bundled.categories.map(\.values))
        #expect(codebook.relations == bundled.relations)

        // the team's folder uses it: a document there exports with its codebook
        let again = try Self.gloss(["codebook", "export", "-o", "../again.qdc"], in: team)
        #expect(again.status == 0 && again.error.contains("from \(file.path)"), "\(again.error)")
        #expect(try Data(contentsOf: folder.url.appendingPathComponent("again.qdc")) == Data(contentsOf: folder.url.appendingPathComponent("bundled.qdc")))

        let before = try Data(contentsOf: file)
        let kept = try Self.gloss(["codebook", "import", "../bundled.qdc"], in: team)
        #expect(kept.status == 1 && kept.error.contains("gloss.codebook.json exists; give --force to replace it"), "\(kept.error)")
        #expect(try Data(contentsOf: file) == before)
        let forced = try Self.gloss(["codebook", "import", "../bundled.qdc", "--force"], in: team)
        #expect(forced.status == 0, "\(forced.error)")
    }
}
