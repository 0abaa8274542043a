import Foundation
import GlossCore
import GlossTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Files a command cannot use are named with a reason in plain words and exit status 1:
/// a missing import file says "no such file", never Foundation's error text; a document
/// that cannot be read is an error for `stats` and `export` whether or not it has a store.
@Suite struct FileProblemsEndToEndTests {
    /// Foundation's and ZIPFoundation's own renderings of an error, which must never reach a user.
    static let rawErrorTexts = ["Domain=", "NSCocoaErrorDomain", "NSPOSIXErrorDomain", "The operation could not be completed",
                                "unreadableArchive", "ArchiveError", "Code="]

    /// Runs the built gloss in `folder`, after `prefix` (a program and its arguments that
    /// runs it, such as setpriv) when given.
    static func gloss(_ arguments: [String], in folder: URL, prefix: [String] = []) throws -> ProcessResult {
        let command = (prefix + [Paths.gloss.path]).map { "'\($0)'" }.joined(separator: " ")
        return try run("/bin/sh", ["-c", "cd '\(folder.path)' && exec \(command) \"$@\"", "gloss"] + arguments,
                       environment: ShellEndToEndTests.environment.merging(["XDG_CONFIG_HOME": "/nonexistent/gloss-tests"]) { $1 })
    }

    /// A one-annotation document `name` with its store in `folder`.
    static func annotatedDocument(_ name: String, in folder: URL, value: String = "state") throws -> URL {
        let path = folder.appendingPathComponent(name)
        try Data("Ankara and Athens met in Geneva.\n".utf8).write(to: path)
        let document = try Document(contentsOfFile: path.path)
        let annotation = Annotation(document: document, range: 0..<6, tags: [GlossCore.Tag(category: "actor", value: value)],
                                    author: "ana", date: Date(timeIntervalSince1970: 1_795_000_000), id: "A1")
        try AnnotationStore(path: AnnotationStore.defaultPath(forDocument: path.path)).save(StoreContents(annotations: [annotation]), of: document)
        return path
    }

    @Test("a missing file given to an importer, codebook import or --codebook is named with 'no such file', status 1, never Foundation's error text")
    func missingFilesSayNoSuchFile() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        _ = try Self.annotatedDocument("doc.txt", in: folder.url)
        let commands: [(arguments: [String], missing: String)] = [
            (["import", "qdpx", "missing.qdpx", "--into", "doc.txt"], "missing.qdpx"),
            (["import", "w3c", "missing.json", "--into", "doc.txt"], "missing.json"),
            (["import", "brat", "missing.ann", "--into", "doc.txt"], "missing.ann"),
            (["codebook", "import", "missing.qdc"], "missing.qdc"),
            (["codebook", "export", "--codebook", "missing.json"], "missing.json"),
            (["export", "doc.txt", "--format", "csv", "--codebook", "missing.json"], "missing.json"),
            (["stats", "doc.txt", "--codebook", "missing.json"], "missing.json"),
            (["text", "missing.txt"], "missing.txt"),
        ]
        for (arguments, missing) in commands {
            let result = try Self.gloss(arguments, in: folder.url)
            #expect(result.status == 1, "\(arguments): \(result.status) \(result.error)")
            #expect(result.error.contains(missing) && result.error.contains("no such file"), "\(arguments): \(result.error)")
            for raw in Self.rawErrorTexts { #expect(!result.error.contains(raw), "\(arguments): \(result.error)") }
        }
    }

    @Test("a .qdpx or .qdc that is no zip archive is named with the reason in words, not the archive library's error case")
    func notAnArchiveSaysSoInWords() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        _ = try Self.annotatedDocument("doc.txt", in: folder.url)
        try Data("PK\u{3}\u{4} not really a zip".utf8).write(to: folder.url.appendingPathComponent("broken.qdpx"))
        for arguments in [["import", "qdpx", "broken.qdpx", "--into", "doc.txt"], ["codebook", "import", "broken.qdpx"]] {
            let result = try Self.gloss(arguments, in: folder.url)
            #expect(result.status == 1, "\(arguments): \(result.error)")
            #expect(result.error.contains("broken.qdpx") && result.error.contains("cannot be read as a zip archive") && result.error.contains("it is not a zip archive"),
                    "\(arguments): \(result.error)")
            for raw in Self.rawErrorTexts { #expect(!result.error.contains(raw), "\(arguments): \(result.error)") }
        }
    }

    @Test("stats and export name a document they cannot read, store or not, with the reason, count or export the rest and exit 1")
    func unreadableDocumentIsAnError() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        _ = try Self.annotatedDocument("readable.txt", in: folder.url)
        let secret = folder.url.appendingPathComponent("secret.txt")
        try Data("Nobody may read this.\n".utf8).write(to: secret)
        #expect(chmod(secret.path, 0) == 0)
        // root reads whatever the permission bits say: it runs gloss without the capabilities
        // that let it (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH), as any other user runs it
        var prefix: [String] = []
        if geteuid() == 0 {
            let setpriv = try #require(which("setpriv"), "running as root, the unreadable case needs setpriv (util-linux) to drop CAP_DAC_OVERRIDE")
            prefix = [setpriv, "--bounding-set", "-dac_override,-dac_read_search"]
        }
        let cat = try run("/bin/sh", ["-c", (prefix + ["cat", secret.path]).map { "'\($0)'" }.joined(separator: " ")])
        try #require(cat.status != 0, "the file can still be read, so this case would prove nothing: \(cat.output)")

        let commands: [(arguments: [String], outcome: String, rest: String)] = [
            (["stats", "secret.txt"], "not counted", ""),
            (["stats", "."], "not counted", "1 document(s), 1 annotation(s)"),
            (["stats", "readable.txt", "secret.txt", "--format", "csv"], "not counted", "values,,actor,state,,,tags,1"),
            (["export", "secret.txt", "--format", "csv"], "", ""),
            (["export", ".", "--format", "csv"], "not exported", "readable.txt,A1,0,6,Ankara,actor,state"),
        ]
        for (arguments, outcome, rest) in commands {
            let result = try Self.gloss(arguments, in: folder.url, prefix: prefix)
            #expect(result.status == 1, "\(arguments): \(result.status) \(result.error)")
            #expect(result.error.contains("secret.txt") && result.error.contains("permission denied"), "\(arguments): \(result.error)")
            if !outcome.isEmpty { #expect(result.error.contains(outcome), "\(arguments): \(result.error)") }
            if !rest.isEmpty { #expect(result.output.contains(rest), "\(arguments): \(result.output)") }
            for raw in Self.rawErrorTexts { #expect(!result.error.contains(raw), "\(arguments): \(result.error)") }
        }
    }

    @Test("stats on a terminal draws values as the reader does (a zero-width space as ·, ESC as its picture), the table aligned so; into a pipe as they are")
    func statsOnATerminalShowsInvisibleCharacters() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let value = "zero\u{200B}width\u{1B}[31m"
        _ = try Self.annotatedDocument("doc.txt", in: folder.url, value: value)
        let (status, bytes) = try ExportEndToEndTests.runOnATerminal(["stats", "doc.txt"], in: folder.url)
        #expect(status == 0)
        let shown = String(decoding: bytes, as: UTF8.self)
        #expect(ExportEndToEndTests.terminalControls(in: bytes) == [], "\(shown.debugDescription)")
        #expect(!shown.contains("\u{200B}"), "\(shown.debugDescription)")
        let lines = shown.components(separatedBy: "\r\n")
        let header = try #require(lines.firstIndex { $0.hasPrefix("category") && $0.contains("documents") }, "\(shown.debugDescription)")
        let row = lines[header + 1]
        #expect(row.contains("zero·width\u{241B}[31m"), "\(row.debugDescription)")
        // every character drawn is one column wide: the numbers end where the header does
        #expect(row.count == lines[header].count, "\(lines[header].debugDescription)\n\(row.debugDescription)")

        let piped = try Self.gloss(["stats", "doc.txt"], in: folder.url)
        #expect(piped.status == 0)
        #expect(piped.output.contains("actor     " + value), "\(piped.output.debugDescription)")
    }
}
