import Foundation
import GlossTestSupport
import Testing
@testable import GlossCore

/// Gloss's tag, not Swift Testing's `Tag`.
private typealias Tag = GlossCore.Tag

/// The REFI-QDA exchange (a `.qdpx` project and a `.qdc` codebook): the exports written to
/// disk and checked by the shared `validate-qdpx.py` (Project.xsd, sources, positions in
/// code points, code references) and by Codebook.xsd through Python's `xmlschema`; a golden
/// `project.qde`; round trips through the importers; the import's report.
@Suite struct QDPXTests {
    static let validator = ExportTests.shared.appendingPathComponent("tools/validate-qdpx.py").path
    /// REFI-QDA's Codebook.xsd (the shared folder has Project.xsd only).
    static let codebookSchema = ExportTests.packageRoot.appendingPathComponent("Tests/Schemas/refi-qda/Codebook.xsd").path

    /// ``BratTests/fixture(in:)``: a flag emoji (two code points outside the BMP) and CRLFs
    /// before spans, a span at 0 with a nested value and a note of two lines with quotes,
    /// commas, a tab and a backslash, overlapping spans, an empty value, a free value with
    /// `/` and `%`, an untagged span (by a second author), a last span ending at the last
    /// character with two categories, a relation with a note; and a memo of two lines
    /// with markup characters and a CRLF.
    static func fixture(in folder: URL) throws -> (Document, StoreContents) {
        var (document, contents) = try BratTests.fixture(in: folder)
        contents.memo = "Memo: \"talks\" & <agreement>\r\nsecond line"
        contents.annotations[4].author = "bo"
        return (document, contents)
    }

    /// The export of `contents`, as one store of `article.txt` with ``BratTests/codebook``.
    static func export(_ document: Document, _ contents: StoreContents) throws -> QDPXExporter.Output {
        try QDPXExporter.export([QDPXExporter.Source(name: "article.txt", document: document, codebook: BratTests.codebook,
                                                     stores: [QDPXExporter.Store(label: "article.txt.gloss.json", contents: contents)])],
                                projectName: "article.txt", origin: "Gloss")
    }

    /// Runs the shared validator on the archive at `path` with `-v` (each selection's code,
    /// positions and text as Python slices it).
    static func validate(_ path: String) throws -> ProcessResult {
        try ExportTests.python([validator, path, "-v"])
    }

    static let goldenProject = """
        <?xml version="1.0" encoding="utf-8"?>
        <Project xmlns="urn:QDA-XML:project:1.0" name="article.txt" origin="Gloss">
          <Users>
            <User guid="4c9bd56c-d477-53fc-b3c5-78c2435d102a" name="ana"/>
            <User guid="198672c9-d976-5a7f-b95f-5e83df884f7b" name="bo"/>
          </Users>
          <CodeBook>
            <Codes>
              <Code guid="7f0db230-c38b-5fea-8038-2dfccdc2c85d" name="Actor" isCodable="true" color="#00CDCD">
                <Description>Who acts</Description>
                <Code guid="286cc6cb-466b-59dc-98ec-958787a763c6" name="state" isCodable="true" color="#00CDCD">
                  <Code guid="8f701aba-caa3-56d8-b2ab-774719e3b05a" name="Turkey" isCodable="true" color="#00CDCD"/>
                </Code>
                <Code guid="562bd172-5c5a-55e8-a8e1-c1241c16cc6a" name="European Union" isCodable="true" color="#00CDCD">
                  <Description>Aliases:
        EU</Description>
                </Code>
                <Code guid="484dd614-c771-5274-b01e-508a04141ec5" name="AML/CFT 100%" isCodable="true" color="#00CDCD"/>
              </Code>
              <Code guid="feeec327-95e0-5940-9e1d-c0224a0702b2" name="Threat" isCodable="true" color="#CD0000">
                <Description>What threatens</Description>
                <Code guid="0ae0349f-a128-59bc-bcdd-5e9dbaee08dd" name="terrorism" isCodable="true" color="#CD0000"/>
              </Code>
              <Code guid="d402b486-7b0d-5570-9028-3e28af2ca5f6" name="Cooperation measure" isCodable="true" color="#00CD00">
                <Description>How states cooperate</Description>
                <Code guid="2e2ebe05-2d59-56ee-ad24-8249e951b917" name="passenger data sharing" isCodable="true" color="#00CD00"/>
              </Code>
            </Codes>
          </CodeBook>
          <Sources>
            <TextSource guid="920fd96e-1aa1-5cac-99a7-15bc24dee7d4" name="article.txt" plainTextPath="internal://920fd96e-1aa1-5cac-99a7-15bc24dee7d4.txt">
              <Description>Memo: "talks" &amp; &lt;agreement&gt;&#13;
        second line</Description>
              <PlainTextSelection guid="a0000000-0000-4000-8000-000000000001" startPosition="0" endPosition="6" creatingUser="4c9bd56c-d477-53fc-b3c5-78c2435d102a" creationDateTime="2026-11-18T11:06:40Z" modifiedDateTime="2026-11-18T11:06:40Z">
                <Description>Capital, not the state:
        "Ankara" means the government,	as usual; see C:\\notes</Description>
                <Coding guid="ec2a5aa9-5f77-5839-a649-1c13ecd7831c" creatingUser="4c9bd56c-d477-53fc-b3c5-78c2435d102a" creationDateTime="2026-11-18T11:06:40Z">
                  <CodeRef targetGUID="8f701aba-caa3-56d8-b2ab-774719e3b05a"/>
                </Coding>
              </PlainTextSelection>
              <PlainTextSelection guid="a0000000-0000-4000-8000-000000000002" startPosition="21" endPosition="38" creatingUser="4c9bd56c-d477-53fc-b3c5-78c2435d102a" creationDateTime="2026-11-18T11:06:40Z" modifiedDateTime="2026-11-18T11:06:40Z">
                <Coding guid="b0777506-a30b-5360-a678-45250043b477" creatingUser="4c9bd56c-d477-53fc-b3c5-78c2435d102a" creationDateTime="2026-11-18T11:06:40Z">
                  <CodeRef targetGUID="8f701aba-caa3-56d8-b2ab-774719e3b05a"/>
                </Coding>
                <Coding guid="65d47ed9-d952-5e2e-b430-58ad1650bcad" creatingUser="4c9bd56c-d477-53fc-b3c5-78c2435d102a" creationDateTime="2026-11-18T11:06:40Z">
                  <CodeRef targetGUID="562bd172-5c5a-55e8-a8e1-c1241c16cc6a"/>
                </Coding>
              </PlainTextSelection>
              <PlainTextSelection guid="a0000000-0000-4000-8000-000000000003" startPosition="32" endPosition="83" creatingUser="4c9bd56c-d477-53fc-b3c5-78c2435d102a" creationDateTime="2026-11-18T11:06:40Z" modifiedDateTime="2026-11-18T11:06:40Z">
                <Coding guid="1b75cc93-4a20-5626-b869-7f94ca3bf62f" creatingUser="4c9bd56c-d477-53fc-b3c5-78c2435d102a" creationDateTime="2026-11-18T11:06:40Z">
                  <CodeRef targetGUID="2e2ebe05-2d59-56ee-ad24-8249e951b917"/>
                </Coding>
              </PlainTextSelection>
              <PlainTextSelection guid="a0000000-0000-4000-8000-000000000004" startPosition="76" endPosition="83" creatingUser="4c9bd56c-d477-53fc-b3c5-78c2435d102a" creationDateTime="2026-11-18T11:06:40Z" modifiedDateTime="2026-11-18T11:06:40Z">
                <Coding guid="5492bd06-15d1-5934-8d82-02ec5f459709" creatingUser="4c9bd56c-d477-53fc-b3c5-78c2435d102a" creationDateTime="2026-11-18T11:06:40Z">
                  <CodeRef targetGUID="7f0db230-c38b-5fea-8038-2dfccdc2c85d"/>
                </Coding>
                <Coding guid="b9895ab6-fd4a-5019-b937-720c3cc9dfeb" creatingUser="4c9bd56c-d477-53fc-b3c5-78c2435d102a" creationDateTime="2026-11-18T11:06:40Z">
                  <CodeRef targetGUID="484dd614-c771-5274-b01e-508a04141ec5"/>
                </Coding>
              </PlainTextSelection>
              <PlainTextSelection guid="a0000000-0000-4000-8000-000000000005" startPosition="85" endPosition="94" creatingUser="198672c9-d976-5a7f-b95f-5e83df884f7b" creationDateTime="2026-11-18T11:06:40Z" modifiedDateTime="2026-11-18T11:06:40Z">
                <Description>who?</Description>
              </PlainTextSelection>
              <PlainTextSelection guid="a0000000-0000-4000-8000-000000000006" startPosition="102" endPosition="120" creatingUser="4c9bd56c-d477-53fc-b3c5-78c2435d102a" creationDateTime="2026-11-18T11:06:40Z" modifiedDateTime="2026-11-18T11:06:40Z">
                <Coding guid="8b7397a8-7b74-5d35-bd22-720f947a9948" creatingUser="4c9bd56c-d477-53fc-b3c5-78c2435d102a" creationDateTime="2026-11-18T11:06:40Z">
                  <CodeRef targetGUID="562bd172-5c5a-55e8-a8e1-c1241c16cc6a"/>
                </Coding>
                <Coding guid="98713eb1-e3dc-529e-9758-963a45fbc6e1" creatingUser="4c9bd56c-d477-53fc-b3c5-78c2435d102a" creationDateTime="2026-11-18T11:06:40Z">
                  <CodeRef targetGUID="feeec327-95e0-5940-9e1d-c0224a0702b2"/>
                </Coding>
              </PlainTextSelection>
            </TextSource>
          </Sources>
          <Notes>
            <Note guid="f6d8f8e7-9bce-58ee-b47e-255d671a3b65" name="undertakes" creatingUser="4c9bd56c-d477-53fc-b3c5-78c2435d102a" creationDateTime="2026-11-18T11:06:40Z" modifiedDateTime="2026-11-18T11:06:40Z">
              <PlainTextContent>agreed, "in principle"</PlainTextContent>
            </Note>
          </Notes>
          <Links>
            <Link guid="b0000000-0000-4000-8000-000000000001" name="undertakes" direction="OneWay" originGUID="a0000000-0000-4000-8000-000000000002" targetGUID="a0000000-0000-4000-8000-000000000003">
              <NoteRef targetGUID="f6d8f8e7-9bce-58ee-b47e-255d671a3b65"/>
            </Link>
          </Links>
        </Project>

        """

    @Test("The fixture's project.qde is the golden file; validate-qdpx.py accepts the archive, and Python's slices at its positions are the quotes")
    func goldenExport() throws {
        let folder = try ExportTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (document, contents) = try Self.fixture(in: folder)
        let output = try Self.export(document, contents)
        #expect(output.project == Self.goldenProject)
        #expect(output.files.map(\.path) == ["project.qde", "sources/920fd96e-1aa1-5cac-99a7-15bc24dee7d4.txt"])
        #expect(output.files[1].data == Data(BratTests.text.utf8), "the text byte for byte, CRLFs kept")
        #expect(output.notes == [])
        #expect((output.selections, output.codings, output.links) == (6, 8, 1))
        // the same stores give the same project, and the same archive
        #expect(try Self.export(document, contents).project == output.project)
        #expect(try Self.export(document, contents).archive() == output.archive())

        let path = folder.appendingPathComponent("article.qdpx").path
        try QDPXExporter.write(output, to: path)
        guard ExportTests.requirePython(modules: ["xmlschema"]) else { return }
        let check = try Self.validate(path)
        #expect(check.status == 0, "\(check.output)\(check.error)")
        #expect(check.output == """
            Turkey\t0-6\t'Ankara'
            Turkey\t21-38\t'Turkey and the EU'
            European Union\t21-38\t'Turkey and the EU'
            passenger data sharing\t32-83\t'the EU agreed to share passenger data\\r\\nwith Europol'
            Actor\t76-83\t'Europol'
            AML/CFT 100%\t76-83\t'Europol'
            European Union\t102-120\t'The EU welcomed it'
            Threat\t102-120\t'The EU welcomed it'
            9 codes, 6 selections: 0 problems

            """)
    }

    @Test("An annotation that does not fit the text, orphans and control characters: the export refuses the first and reports the others")
    func refusalsAndNotes() throws {
        let folder = try ExportTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (document, contents) = try Self.fixture(in: folder)
        var wrong = contents
        wrong.annotations[0].quote = "Ankora"
        #expect(throws: ExportError.self) { try Self.export(document, wrong) }

        var odd = contents
        odd.orphans = [Annotation(id: "O1", start: 0, end: 3, quote: "gone", prefix: "", suffix: "", tags: [], note: "",
                                  author: "ana", created: "", modified: "")]
        odd.annotations[1].note = "bell \u{07} and escape \u{1B}"
        odd.relations[0].note = ""
        let output = try Self.export(document, odd)
        #expect(output.notes == [
            "article.txt.gloss.json: 1 orphaned annotation(s) not exported: a REFI-QDA selection needs offsets in the text",
            "1 relation(s) without a note exported without their author and times: a REFI-QDA Link has no place for them",
            "2 control character(s) in notes, memos or names written as U+FFFD: XML 1.0 cannot hold them",
        ])
        #expect(output.project.contains("<Description>bell \u{FFFD} and escape \u{FFFD}</Description>"))
        #expect(!output.project.contains("<Notes>"))
    }

    @Test("Export, read back by the importer into a fresh copy of the document, merged into an empty store, export again: the same project.qde")
    func roundTrip() throws {
        let folder = try ExportTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (document, contents) = try Self.fixture(in: folder)
        let first = try Self.export(document, contents)
        let path = folder.appendingPathComponent("first.qdpx").path
        try QDPXExporter.write(first, to: path)

        let copyFolder = folder.appendingPathComponent("copy")
        try FileManager.default.createDirectory(at: copyFolder, withIntermediateDirectories: true)
        let copyPath = copyFolder.appendingPathComponent("article.txt").path
        try Data(BratTests.text.utf8).write(to: URL(fileURLWithPath: copyPath))
        let copy = try Document(contentsOfFile: copyPath)
        let imported = try QDPXImporter.read(project: path, document: copy, codebook: BratTests.codebook, author: "someone", date: ExportTests.date)
        #expect(imported.read.messages == [])
        #expect(imported.sourceName == "article.txt" && imported.memo == contents.memo)
        let merged = QDPXImporter.merge(imported, into: StoreContents())
        #expect(merged.memoChanged && merged.merge.added == 6 && merged.merge.relationsAdded == 1)
        let store = AnnotationStore(path: AnnotationStore.defaultPath(forDocument: copyPath))
        try store.save(merged.merge.contents, of: copy)
        let reloaded = Reanchoring.place(try #require(try store.load()), in: copy).contents

        // everything came back, the ids in Gloss's upper case too
        func essence(_ annotation: Annotation) -> String {
            "\(annotation.id) \(annotation.range) \(annotation.quote.debugDescription) \(annotation.tags) \(annotation.note.debugDescription) \(annotation.author) \(annotation.created) \(annotation.modified)"
        }
        #expect(reloaded.annotations.map(essence) == contents.annotations.map(essence))
        #expect(reloaded.relations.map { "\($0.id) \($0.type) \($0.from) \($0.to) \($0.note) \($0.author) \($0.created)" }
                == contents.relations.map { "\($0.id) \($0.type) \($0.from) \($0.to) \($0.note) \($0.author) \($0.created)" })
        #expect(reloaded.memo == contents.memo)
        #expect(try Self.export(copy, reloaded).project == first.project)
        // the project's code book is a codebook too
        let book = try QDCCodebook.read(contentsOf: path, name: "first") { _ in true }
        #expect(book.codebook.categories.map(\.label) == ["Actor", "Threat", "Cooperation measure"])
        #expect(book.codebook.categories[0].values.map(\.value) == ["state", "European Union", "AML/CFT 100%"])

        // imported again, nothing is added; into a store using those ids, they get new ones
        let again = QDPXImporter.merge(try QDPXImporter.read(project: path, document: copy, codebook: BratTests.codebook, author: "x",
                                                             existingIDs: reloaded.annotationIDs), into: reloaded)
        #expect(again.merge.added == 0 && again.merge.collapsed == 6 && again.merge.relationsCollapsed == 1 && !again.memoChanged)
        let renamed = try QDPXImporter.read(project: path, document: copy, codebook: BratTests.codebook, author: "x",
                                            existingIDs: ["A0000000-0000-4000-8000-000000000001"])
        #expect(renamed.read.annotations[0].id.uppercased() != "A0000000-0000-4000-8000-000000000001")
        #expect(renamed.read.annotations[1].id == "A0000000-0000-4000-8000-000000000002")
    }

    /// An archive of `project` (the text of `project.qde`) and `sources`.
    static func archive(_ project: String, sources: [String: String], in folder: URL, name: String = "odd.qdpx") throws -> String {
        let output = QDPXExporter.Output(project: project, files: [("project.qde", Data(project.utf8))] + sources.sorted { $0.key < $1.key }.map { ("sources/" + $0.key, Data($0.value.utf8)) },
                                         notes: [], selections: 0, codings: 0, links: 0)
        let path = folder.appendingPathComponent(name).path
        try QDPXExporter.write(output, to: path)
        return path
    }

    @Test("A project from another tool: deeper codes, unknown categories and relation types, selections it cannot hold, whole-source codings, other sources and objects are read or reported")
    func foreignProject() throws {
        let folder = try ExportTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (document, _) = try Self.fixture(in: folder)
        let project = """
            <?xml version="1.0" encoding="UTF-8"?>
            <Project xmlns="urn:QDA-XML:project:1.0" name="From elsewhere" origin="Another tool">
              <Users><User guid="{5C94BC9E-DB8C-4F1D-9CD6-E900C7440860}" name="Ann"/></Users>
              <CodeBook><Codes>
                <Code guid="11111111-1111-4111-8111-111111111111" name="ACTOR" isCodable="false">
                  <Code guid="11111111-1111-4111-8111-111111111112" name="Turkey" isCodable="true"/>
                  <Code guid="11111111-1111-4111-8111-111111111113" name="state" isCodable="true">
                    <Code guid="11111111-1111-4111-8111-111111111114" name="Turkey" isCodable="true"/>
                  </Code>
                </Code>
                <Code guid="22222222-2222-4222-8222-222222222222" name="Themes" isCodable="false">
                  <Code guid="22222222-2222-4222-8222-222222222223" name="Security" isCodable="true">
                    <Code guid="22222222-2222-4222-8222-222222222224" name="Borders" isCodable="true"/>
                  </Code>
                </Code>
              </Codes></CodeBook>
              <Cases><Case guid="33333333-3333-4333-8333-333333333333" name="Turkey"/></Cases>
              <Sources>
                <TextSource guid="44444444-4444-4444-8444-444444444444" name="other.txt" plainTextPath="internal://other.txt"/>
                <TextSource guid="55555555-5555-4555-8555-555555555555" name="Article" plainTextPath="internal://article.txt">
                  <Description>From the other tool</Description>
                  <PlainTextSelection guid="66666666-6666-4666-8666-666666666661" startPosition="0" endPosition="6" creatingUser="5c94bc9e-db8c-4f1d-9cd6-e900c7440860" creationDateTime="2019-06-07T03:36:36Z">
                    <Description>Capital</Description>
                    <Coding guid="77777777-7777-4777-8777-777777777771"><CodeRef targetGUID="11111111-1111-4111-8111-111111111112"/></Coding>
                    <Coding guid="77777777-7777-4777-8777-777777777772"><CodeRef targetGUID="22222222-2222-4222-8222-222222222224"/></Coding>
                    <Coding guid="77777777-7777-4777-8777-777777777773"><CodeRef targetGUID="99999999-9999-4999-8999-999999999999"/></Coding>
                    <NoteRef targetGUID="88888888-8888-4888-8888-888888888881"/>
                  </PlainTextSelection>
                  <PlainTextSelection guid="66666666-6666-4666-8666-666666666662" startPosition="21" endPosition="27">
                    <Coding guid="77777777-7777-4777-8777-777777777774"><CodeRef targetGUID="11111111-1111-4111-8111-111111111114"/></Coding>
                  </PlainTextSelection>
                  <PlainTextSelection guid="66666666-6666-4666-8666-666666666663" startPosition="14" endPosition="15"/>
                  <PlainTextSelection guid="66666666-6666-4666-8666-666666666664" startPosition="100" endPosition="500"/>
                  <PlainTextSelection guid="66666666-6666-4666-8666-666666666665" startPosition="9" endPosition="9"/>
                  <Coding guid="77777777-7777-4777-8777-777777777775"><CodeRef targetGUID="22222222-2222-4222-8222-222222222223"/></Coding>
                </TextSource>
              </Sources>
              <Notes>
                <Note guid="88888888-8888-4888-8888-888888888881" name="memo"><PlainTextContent>See the minutes</PlainTextContent></Note>
              </Notes>
              <Links>
                <Link guid="aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaa1" name="is associated with" originGUID="66666666-6666-4666-8666-666666666661" targetGUID="66666666-6666-4666-8666-666666666662"/>
                <Link guid="aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaa2" name="undertakes" originGUID="66666666-6666-4666-8666-666666666662" targetGUID="66666666-6666-4666-8666-666666666661"/>
                <Link guid="aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaa3" name="about" originGUID="11111111-1111-4111-8111-111111111112" targetGUID="55555555-5555-4555-8555-555555555555"/>
              </Links>
            </Project>
            """
        let path = try Self.archive(project, sources: ["article.txt": "\u{FEFF}" + BratTests.text, "other.txt": "Something else"], in: folder)
        let result = try QDPXImporter.read(project: path, document: document, codebook: BratTests.codebook, author: "me", date: ExportTests.date)
        #expect(result.sourceName == "Article" && result.memo == "From the other tool")
        #expect(result.read.messages.map(\.description) == [
            "selection 66666666-6666-4666-8666-666666666661: a coding refers to code 99999999-9999-4999-8999-999999999999, which the code book does not have; that tag not imported",
            "selection 66666666-6666-4666-8666-666666666663: 14 falls inside a grapheme cluster; not imported",
            "selection 66666666-6666-4666-8666-666666666664: 100..<500 is outside the text's 120 code points; not imported",
            "selection 66666666-6666-4666-8666-666666666665: 9..<9 is empty; not imported",
            "relation type \"is associated with\" is not in the codebook; kept as it is",
            "1 link(s) between other objects than two selections of this source left out",
            "1 coding(s) of the whole source left out: a Gloss annotation is a span",
            "the project's cases left out",
            "1 other source(s) of the project left out",
            "code \"Themes\" is no category of the codebook; kept as a category of that name",
            "code ACTOR/Turkey: the codebook places that value elsewhere; tagged with the value alone",
        ])
        let annotations = result.read.annotations
        #expect(annotations.map(\.id) == ["66666666-6666-4666-8666-666666666661", "66666666-6666-4666-8666-666666666662"])
        #expect(annotations[0].tags == [Tag(category: "actor", value: "Turkey"), Tag(category: "Themes", value: "Borders")])
        #expect(annotations[0].note == "Capital\n\nSee the minutes" && annotations[0].author == "Ann")
        #expect(annotations[0].created == "2019-06-07T03:36:36Z" && annotations[0].modified == "2019-06-07T03:36:36Z")
        #expect(annotations[1].tags == [Tag(category: "actor", value: "Turkey")] && annotations[1].quote == "Turkey" && annotations[1].author == "me")
        #expect(result.read.relations.map { "\($0.type) \($0.from.prefix(8)) \($0.to.prefix(8))" } == ["is associated with 66666666 66666666", "undertakes 66666666 66666666"])

        // the text of another source, or none with it
        #expect(throws: QDPXImporter.ImportError(path: path, problem: "source \"other.txt\" is not the text of \(document.path) (they differ from code point 0 on); its positions would point elsewhere")) {
            try QDPXImporter.read(project: path, document: document, codebook: BratTests.codebook, sourceName: "other.txt", author: "me")
        }
        let elsewhere = Document(text: "Nothing alike", path: "elsewhere.txt")
        #expect(throws: QDPXImporter.ImportError(path: path, problem: "no text source has the text of elsewhere.txt (its text sources: other.txt, Article); name one with --source")) {
            try QDPXImporter.read(project: path, document: elsewhere, codebook: BratTests.codebook, author: "me")
        }
        // only one user's selections
        let ann = try QDPXImporter.read(project: path, document: document, codebook: BratTests.codebook, user: "Ann", author: "me")
        #expect(ann.read.annotations.count == 1 && ann.read.relations.isEmpty)
        #expect(ann.read.messages.contains { $0.text == "4 selection(s) of other users than Ann left out" })

        let notZip = folder.appendingPathComponent("not.qdpx").path
        try Data("<Project/>".utf8).write(to: URL(fileURLWithPath: notZip))
        #expect(throws: QDPXImporter.ImportError.self) {
            try QDPXImporter.read(project: notZip, document: document, codebook: BratTests.codebook, author: "me")
        }
    }

    @Test("XMLWriter escapes markup, keeps tabs, line feeds and carriage returns of attributes and text through a parser, and replaces what XML cannot hold")
    func escaping() throws {
        var writer = XMLWriter()
        let value = "a \"quoted\" <b> & 'c'\tTab\nLF\r\nCRLF ]]> \u{1F1F9}\u{1F1F7}"
        writer.open("Root", [("value", value), ("skipped", nil)])
        writer.element("Text", text: value)
        writer.element("Control", text: "\u{01}x\u{FFFE}")
        writer.close()
        #expect(writer.replacedCharacters == 2)
        let root = try XMLTree.parse(Data(writer.text.utf8))
        #expect(root.attributes == ["value": value])
        #expect(root.child("Text")?.text == value)
        #expect(root.child("Control")?.text == "\u{FFFD}x\u{FFFD}")
        #expect(throws: XMLTreeError.self) { try XMLTree.parse(Data("<a><b></a>".utf8)) }
    }

    // MARK: - Codebook (.qdc)

    @Test("gloss's .qdc of the fixture codebook is valid against Codebook.xsd; read back it is the codebook but for ids, keys, name and relations, and written again it is the same file")
    func codebookRoundTrip() throws {
        let folder = try ExportTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (text, notes) = try QDCCodebook.export(BratTests.codebook, origin: "Gloss")
        #expect(notes == [
            "the categories' ids and keys (actor a, threat t, cooperation-measure c) are not part of a REFI-QDA codebook; an import names categories by their labels and gives them free keys",
            "3 relation type(s) left out (acts-on, undertakes, targets): a REFI-QDA codebook has codes only",
        ])
        let path = folder.appendingPathComponent("codebook.qdc").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        if ExportTests.requirePython(modules: ["xmlschema"]) {
            let script = "import sys, xmlschema; schema = xmlschema.XMLSchema(sys.argv[1]); errors = list(schema.iter_errors(sys.argv[2])); print(len(errors), [e.reason for e in errors])"
            let valid = try ExportTests.python(["-c", script, Self.codebookSchema, path])
            #expect(valid.output == "0 []\n", "\(valid.output)\(valid.error)")
            // the schema does catch what is wrong: a code without isCodable
            let broken = folder.appendingPathComponent("broken.qdc").path
            try Data(text.replacingOccurrences(of: " isCodable=\"true\"", with: "").utf8).write(to: URL(fileURLWithPath: broken))
            let invalid = try ExportTests.python(["-c", script, Self.codebookSchema, broken])
            #expect(!invalid.output.hasPrefix("0 "), "\(invalid.output)")
        }

        let imported = try QDCCodebook.read(contentsOf: path, name: "codebook") { $0 != "t" }
        #expect(imported.notes == ["keys assigned: a Actor, h Threat, c Cooperation measure"])
        let categories = imported.codebook.categories
        #expect(categories.map(\.id) == ["actor", "threat", "cooperation-measure"])
        #expect(categories.map(\.key) == ["a", "h", "c"])
        #expect(categories.map(\.color) == BratTests.codebook.categories.map(\.color))
        #expect(categories.map(\.label) == BratTests.codebook.categories.map(\.label))
        #expect(categories.map(\.description) == BratTests.codebook.categories.map(\.description))
        #expect(categories.map(\.values) == BratTests.codebook.categories.map(\.values), "nesting and aliases")
        #expect(imported.codebook.relations.map(\.id) == ["acts-on", "undertakes", "targets"], "the defaults for these categories")
        #expect(try QDCCodebook.export(imported.codebook, origin: "Gloss").text == text)
        #expect(throws: QDCCodebook.QDCError.self) { try QDCCodebook.export(Codebook(name: "empty", categories: []), origin: "Gloss") }
    }

    @Test("A .qdc from another tool: colours taken to the nearest terminal colour or given, descriptions on one line, keys Gloss uses avoided, what a Gloss codebook cannot hold reported")
    func foreignCodebook() throws {
        let folder = try ExportTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let qdc = """
            <?xml version="1.0" encoding="utf-8"?>
            <CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="QualCoder">
              <Codes>
                <Code guid="11111111-1111-4111-8111-111111111111" name="Justice &amp; rights" isCodable="false" color="#0a0">
                  <Description>Courts,
            rights</Description>
                  <Code guid="11111111-1111-4111-8111-111111111112" name="courts" isCodable="true" color="#FF0000">
                    <Description>Any court</Description>
                  </Code>
                  <Code guid="11111111-1111-4111-8111-111111111113" name="courts" isCodable="true"/>
                  <Code guid="11111111-1111-4111-8111-111111111114" name="" isCodable="true"/>
                </Code>
                <Code guid="22222222-2222-4222-8222-222222222222" name="Justice-Rights" isCodable="true"/>
                <Code guid="33333333-3333-4333-8333-333333333333" name="jjj" isCodable="true" color="#00cdcd"/>
              </Codes>
              <Sets><Set guid="44444444-4444-4444-8444-444444444444" name="Legal"><MemberCode guid="11111111-1111-4111-8111-111111111112"/></Set></Sets>
            </CodeBook>
            """
        let path = folder.appendingPathComponent("foreign.qdc").path
        try Data(qdc.utf8).write(to: URL(fileURLWithPath: path))
        let reserved: Set<String> = ["j", "x"]
        let imported = try QDCCodebook.read(contentsOf: path, name: "foreign") { !reserved.contains($0) }
        let categories = imported.codebook.categories
        #expect(categories.map(\.id) == ["justice-rights", "justice-rights-2", "jjj"])
        #expect(categories.map(\.key) == ["u", "s", "a"])
        #expect(categories.map(\.color) == ["green", "cyan", "cyan"])
        #expect(categories[0].description == "Courts, rights")
        #expect(categories[0].values == [CodebookValue(value: "courts")])
        #expect(imported.notes == [
            "keys assigned: u Justice & rights, s Justice-Rights, a jjj",
            "Justice & rights: colour #0a0 taken as the nearest terminal colour, green",
            "Justice & rights: its description's lines joined into one, as a category's description is one line",
            "Justice-Rights: no colour; given cyan",
            "1 code(s) without a name left out",
            "1 value code(s) have colours of their own, not kept: a Gloss value takes its category's colour",
            "1 value code(s) have descriptions, not kept: a Gloss value has aliases but no description",
            "Justice & rights/courts appears twice at one level; the two are one value",
            "1 set(s) of codes left out: a Gloss codebook has no sets",
        ])
        let notCodebook = folder.appendingPathComponent("other.xml").path
        try Data("<?xml version=\"1.0\"?><Other/>".utf8).write(to: URL(fileURLWithPath: notCodebook))
        #expect(throws: QDCCodebook.QDCError(path: notCodebook, problem: "is not a REFI-QDA codebook: its root element is Other, not CodeBook")) {
            try QDCCodebook.read(contentsOf: notCodebook, name: "x") { _ in true }
        }
    }

    @Test("A .qdc of 120 top-level codes (more than the 52 letters) imports: every category gets a key of its own that may tag, and the codebook is valid")
    func manyTopLevelCodes() throws {
        let folder = try ExportTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let codes = (0..<120).map { #"<Code guid="\#(RefiQDA.guid("theme", [String($0)]))" name="Theme \#($0)" isCodable="true"/>"# }.joined()
        let path = folder.appendingPathComponent("big.qdc").path
        try Data(#"<?xml version="1.0" encoding="utf-8"?><CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>\#(codes)</Codes></CodeBook>"#.utf8)
            .write(to: URL(fileURLWithPath: path))
        let reserved: Set<String> = ["j", "k", "v", "?", "/", ":", "q"]
        let imported = try QDCCodebook.read(contentsOf: path, name: "big") { !reserved.contains($0) }
        let keys = imported.codebook.categories.map(\.key)
        #expect(keys.count == 120 && Set(keys).count == 120)
        #expect(keys.allSatisfy { Codebook.keyProblem($0) == nil && !reserved.contains($0) }, "\(keys)")
        try imported.codebook.validate(path: path)
    }
}
