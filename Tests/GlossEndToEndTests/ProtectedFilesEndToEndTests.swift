import Foundation
import GlossCore
import GlossTestSupport
import Testing

/// A slip on the command line never costs a document or a store: a `--store` that names the
/// document or a file that is no store, and a codebook's `-o` that names a document with
/// annotations or a store, are refused before anything is touched.
@Suite struct ProtectedFilesEndToEndTests {
    /// A folder with `doc.txt` (the seed article) and its store of one annotation.
    static func annotatedDocument(in folder: URL) throws -> (document: URL, store: URL) {
        let document = folder.appendingPathComponent("doc.txt")
        try FileManager.default.copyItem(at: Paths.seedArticle, to: document)
        let opened = try Document(contentsOfFile: document.path)
        let annotation = Annotation(document: opened, range: 0..<40, tags: [GlossCore.Tag(category: "actor", value: "UN")],
                                    author: "ana", date: Date(timeIntervalSince1970: 1_795_000_000))
        let store = URL(fileURLWithPath: AnnotationStore.defaultPath(forDocument: document.path))
        try AnnotationStore(path: store.path).save(StoreContents(annotations: [annotation]), of: opened)
        return (document, store)
    }

    /// Every file in `folder` with its bytes.
    static func contents(of folder: URL) throws -> [String: Data] {
        var all: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
            all[name] = try Data(contentsOf: folder.appendingPathComponent(name))
        }
        return all
    }

    @Test("--store naming the document itself is a usage error, and the document stays where it is, as it was")
    func storeThatIsTheDocumentIsRefused() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        _ = try Self.annotatedDocument(in: folder.url)
        let before = try Self.contents(of: folder.url)
        for given in ["doc.txt", "./doc.txt", folder.url.appendingPathComponent("doc.txt").path] {
            let result = try ShellEndToEndTests.gloss(["doc.txt", "--store", given], in: folder.url)
            #expect(result.status == 2, "\(given): \(result.error)")
            #expect(result.error.contains("is the document itself"), "\(result.error)")
            #expect(try Self.contents(of: folder.url) == before, "\(given)")
        }
    }

    @Test("--store naming a file that holds no JSON object (another document, notes) is refused; the file is never moved aside")
    func storeThatIsNoStoreIsRefused() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        _ = try Self.annotatedDocument(in: folder.url)
        try Data("# My notes\n\nNot a store.\n".utf8).write(to: folder.url.appendingPathComponent("notes.md"))
        try Data("\u{FEFF}  [1, 2]\n".utf8).write(to: folder.url.appendingPathComponent("list.json"))
        let before = try Self.contents(of: folder.url)
        for given in ["notes.md", "list.json", "./notes.md"] {
            let result = try ShellEndToEndTests.gloss(["doc.txt", "--store", given], in: folder.url)
            #expect(result.status == 1, "\(given): \(result.error)")
            #expect(result.error.contains("is not a Gloss store"), "\(result.error)")
            #expect(try Self.contents(of: folder.url) == before, "\(given)")
        }
    }

    @Test("export -o through a symbolic link to a file not there yet (relative, from the working folder) makes that file and keeps the link")
    func exportThroughALinkToNothingYet() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        _ = try Self.annotatedDocument(in: folder.url)
        try FileManager.default.createDirectory(at: folder.url.appendingPathComponent("real"), withIntermediateDirectories: true)
        let link = folder.url.appendingPathComponent("out.csv").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "real/report.csv")
        let result = try ShellEndToEndTests.gloss(["export", "doc.txt", "--format", "csv", "-o", "out.csv"], in: folder.url)
        #expect(result.status == 0, "\(result.error)")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == "real/report.csv")
        let written = try String(contentsOf: folder.url.appendingPathComponent("real/report.csv"), encoding: .utf8)
        #expect(written.hasPrefix("document,annotation_id,") && written.contains("actor,UN"), "\(written)")
    }

    @Test("gloss codebook export -o and codebook import -o --force never replace a document with annotations, a store or a write-protected file")
    func codebookOutputNeverReplacesADocumentOrAStore() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        _ = try Self.annotatedDocument(in: folder.url)
        let qdc = try ShellEndToEndTests.gloss(["codebook", "export", "-o", "codebook.qdc"], in: folder.url)
        #expect(qdc.status == 0, "\(qdc.error)")
        let locked = folder.url.appendingPathComponent("locked.json")
        try Data("{}\n".utf8).write(to: locked)
        #expect(chmod(locked.path, 0o444) == 0)
        let before = try Self.contents(of: folder.url)
        let commands: [([String], String)] = [
            (["codebook", "export", "-o", "doc.txt"], "is an annotated document"),
            (["codebook", "export", "-o", "doc.txt.gloss.json"], "is an annotation store"),
            (["codebook", "import", "codebook.qdc", "-o", "doc.txt.gloss.json", "--force"], "is an annotation store"),
            (["codebook", "import", "codebook.qdc", "-o", "doc.txt", "--force"], "is an annotated document"),
            (["codebook", "import", "codebook.qdc", "-o", "locked.json", "--force"], "is write-protected"),
        ]
        for (arguments, reason) in commands {
            let result = try ShellEndToEndTests.gloss(arguments, in: folder.url)
            #expect(result.status == 1, "\(arguments): \(result.error)")
            #expect(result.error.contains(reason) && result.error.contains("choose another output file"), "\(arguments): \(result.error)")
            #expect(try Self.contents(of: folder.url) == before, "\(arguments)")
        }
        // a file of its own is still written
        let written = try ShellEndToEndTests.gloss(["codebook", "export", "-o", "team.qdc"], in: folder.url)
        #expect(written.status == 0 && FileManager.default.fileExists(atPath: folder.url.appendingPathComponent("team.qdc").path))
    }
}
