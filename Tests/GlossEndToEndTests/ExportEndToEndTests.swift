import Foundation
import GlossCore
import GlossTestSupport
import Testing

/// `gloss export` as a user runs it: to a terminal, into a file, and on a damaged text.
@Suite(.serialized) struct ExportEndToEndTests {
    /// A file name that retitles an xterm-like terminal when written raw: ESC ] 0 ; … BEL.
    static let hostileName = "rep\u{1B}]0;pwned\u{7}ort.txt"
    /// How the reader draws ``hostileName``.
    static let shownName = "rep\u{241B}]0;pwned\u{2407}ort.txt"
    static let colouredQuote = "\u{1B}[0;31mred\u{1B}[0m"
    static let text = "Coloured text.\n\(colouredQuote) and a bell\u{7} and a C1 \u{9B}1m here.\n"

    /// ``text`` saved as ``hostileName`` in `folder`, with a store holding one annotation
    /// on its second line, noted with more controls.
    static func hostileDocument(in folder: URL) throws -> (path: String, annotation: Annotation) {
        let path = folder.appendingPathComponent(hostileName).path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        let document = try Document(contentsOfFile: path)
        let quote = colouredQuote + " and a bell\u{7} and a C1 \u{9B}1m"
        let start = "Coloured text.\n".unicodeScalars.count
        let annotation = Annotation(document: document, range: start..<start + quote.unicodeScalars.count,
                                    tags: [GlossCore.Tag(category: "actor", value: "\u{1B}[5mblink")], note: "see \u{1B}]0;title\u{7}",
                                    author: "ana", id: "0F8FAD5B-D9CB-469F-A165-70867728950E")
        #expect(annotation.quote == quote)
        try AnnotationStore(path: AnnotationStore.defaultPath(forDocument: path)).save([annotation], of: document)
        return (path, annotation)
    }

    /// Runs `gloss arguments…` in `folder` under `script`, whose pseudo-terminal makes
    /// gloss's standard output and error a terminal; returns every byte gloss wrote there.
    static func runOnATerminal(_ arguments: [String], in folder: URL) throws -> (status: Int32, bytes: [UInt8]) {
        let script = try #require(which("script"), "script (util-linux) is needed to run gloss on a terminal")
        // swift test sets NO_COLOR when its own output is not a terminal
        let command = "cd '\(folder.path)' && env -u NO_COLOR " + glossCommand(arguments)
        let result = try run(script, ["-q", "-e", "-c", command, "/dev/null"])
        return (result.status, Array(result.output.utf8))
    }

    /// Bytes that act on a terminal: ESC, BEL, and C1 controls in UTF-8 (C2 80 to C2 9F).
    static func terminalControls(in bytes: [UInt8]) -> [String] {
        var found: [String] = []
        for (index, byte) in bytes.enumerated() {
            if byte == 0x1B || byte == 0x07 { found.append(String(format: "%02X at %d", byte, index)) }
            if byte == 0xC2, index + 1 < bytes.count, (0x80...0x9F).contains(bytes[index + 1]) {
                found.append(String(format: "C2 %02X at %d", bytes[index + 1], index))
            }
        }
        return found
    }

    @Test(arguments: ExportFormat.allCases)
    func exportToATerminalShowsControlCharactersAsTheReaderDoes(format: ExportFormat) throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        _ = try Self.hostileDocument(in: folder.url)
        let (status, bytes) = try Self.runOnATerminal(["export", Self.hostileName, "--format", format.rawValue], in: folder.url)
        #expect(status == 0)
        #expect(Self.terminalControls(in: bytes) == [], "raw controls reached the terminal")
        let shown = String(decoding: bytes, as: UTF8.self)
        switch format {
        case .w3c, .labelstudio, .jsonl:
            // JSON escapes C0 controls itself; DEL and C1 it leaves, and the terminal is shown their pictures
            #expect(shown.contains("\\u001b[0;31mred\\u001b[0m and a bell\\u0007 and a C1 \u{FFFD}1m"))
        case .csv, .markdown, .html:
            #expect(shown.contains("\u{241B}[0;31mred\u{241B}[0m and a bell\u{2407} and a C1 \u{FFFD}1m")
                    || shown.contains("\u{241B}\\[0;31mred\u{241B}\\[0m and a bell\u{2407} and a C1 \u{FFFD}1m"), "\(shown)")
        }
        if format == .csv || format == .markdown { #expect(shown.contains(Self.shownName)) }
    }

    /// Into a file or a pipe, CSV and W3C keep the exact text; the W3C export still passes
    /// the validator against the document.
    /// `-o` never replaces another annotated document, a write-protected file or a name a
    /// store or its backup would have, not even before that backup exists; the file is
    /// left as it was and the reason named. An ordinary file is replaced.
    @Test func exportRefusesToReplaceAnnotatedDocumentsProtectedFilesAndStoreNames() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let article = try folder.copy(Paths.seedArticle, as: "a.txt")
        let tagged = try folder.copy(Paths.seedArticle, as: "b.txt")
        let protected = folder.url.appendingPathComponent("kept.csv")
        try "keep me\n".write(to: protected, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: protected.path)
        let ordinary = folder.url.appendingPathComponent("old.csv")
        try "old\n".write(to: ordinary, atomically: true, encoding: .utf8)
        // b.txt has a store, as a document annotated in the reader has
        let store = folder.url.appendingPathComponent("b.txt.gloss.json")
        try "{}\n".write(to: store, atomically: true, encoding: .utf8)
        let cases: [(output: String, reason: String)] = [
            (tagged.path, "is an annotated document (its annotations are in b.txt.gloss.json)"),
            (protected.path, "is write-protected"),
            (folder.url.appendingPathComponent("a.txt.gloss.json.bak").path, "is an annotation store or one of its backups"),
            (folder.url.appendingPathComponent("x.txt.gloss.alice.json").path, "is an annotation store or one of its backups"),
        ]
        for (output, reason) in cases {
            let before = try? Data(contentsOf: URL(fileURLWithPath: output))
            let result = try run(Paths.gloss.path, ["export", article.path, "--format", "csv", "-o", output], environment: ["LANG": "C.UTF-8"])
            #expect(result.status == 1, "\(output): \(result.error)")
            #expect(result.error.contains(reason), "\(output): \(result.error)")
            #expect((try? Data(contentsOf: URL(fileURLWithPath: output))) == before, "\(output) was changed")
        }
        let replaced = try run(Paths.gloss.path, ["export", article.path, "--format", "csv", "-o", ordinary.path], environment: ["LANG": "C.UTF-8"])
        #expect(replaced.status == 0, "\(replaced.error)")
        #expect(try String(contentsOf: ordinary, encoding: .utf8) != "old\n")
    }

    @Test func exportIntoAFileOrAPipeKeepsTheExactText() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let (path, annotation) = try Self.hostileDocument(in: folder.url)
        let environment = ["GLOSS_RESOURCES": Paths.package.appendingPathComponent("Resources").path]

        let csv = try run(Paths.gloss.path, ["export", path, "--format", "csv"], environment: environment)
        #expect(csv.status == 0, "\(csv.error)")
        #expect(csv.output.contains(Self.hostileName + ",0F8FAD5B-D9CB-469F-A165-70867728950E"))
        #expect(csv.output.contains("," + annotation.quote + ",actor,\u{1B}[5mblink,see \u{1B}]0;title\u{7},"))

        let w3cPath = folder.url.appendingPathComponent("export.jsonld").path
        let w3c = try run(Paths.gloss.path, ["export", path, "--format", "w3c", "-o", w3cPath], environment: environment)
        #expect(w3c.status == 0, "\(w3c.error)")
        let root = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: w3cPath))) as? [String: Any])
        #expect(root["label"] as? String == Self.hostileName)
        let item = try #require(((root["first"] as? [String: Any])?["items"] as? [[String: Any]])?.first)
        let selector = try #require(((item["target"] as? [String: Any])?["selector"] as? [[String: Any]])?.first)
        #expect((selector["exact"] as? String).map { Array($0.unicodeScalars) } == Array(annotation.quote.unicodeScalars))
        let python = try #require(which("python3"), "python3 is needed for the W3C validator")
        let validation = try run(python, [Paths.w3cValidator.path, w3cPath, "--source", path])
        #expect(validation.status == 0, "validator: \(validation.output)\(validation.error)")
        #expect(validation.output.contains("1 annotations checked"))

        // the Markdown report shows the file name as the reader does, wherever it goes
        let markdown = try run(Paths.gloss.path, ["export", path, "--format", "markdown"], environment: environment)
        #expect(markdown.status == 0, "\(markdown.error)")
        #expect(markdown.output.contains("File `\(Self.shownName)`"))
        #expect(Self.terminalControls(in: Array(markdown.output.utf8)) == [])
    }

    /// The messages export prints about a file show its name as the reader does, on a
    /// terminal and into a file alike.
    @Test func exportMessagesNamingAFileCarryNoRawControlCharacters() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let missing = "missing\u{1B}]0;pwned\u{7}.txt"
        let environment = ["GLOSS_RESOURCES": Paths.package.appendingPathComponent("Resources").path]
        let result = try run(Paths.gloss.path, ["export", folder.url.appendingPathComponent(missing).path, "--format", "csv"],
                             environment: environment)
        #expect(result.status == 1)
        #expect(result.error.contains("missing\u{241B}]0;pwned\u{2407}.txt: cannot read the document"), "\(result.error)")
        #expect(Self.terminalControls(in: Array(result.error.utf8)) == [])

        let (status, bytes) = try Self.runOnATerminal(["export", missing, "--format", "markdown"], in: folder.url)
        #expect(status == 1)
        #expect(Self.terminalControls(in: bytes) == [], "raw controls reached the terminal")
        #expect(String(decoding: bytes, as: UTF8.self).contains("missing\u{241B}]0;pwned\u{2407}.txt"))

        // an orphan's message names the document too
        let (path, _) = try Self.hostileDocument(in: folder.url)
        try Data("Coloured text.\nAll changed.\n".utf8).write(to: URL(fileURLWithPath: path))
        let orphaned = try run(Paths.gloss.path, ["export", path, "--format", "csv"], environment: environment)
        #expect(orphaned.status == 0, "\(orphaned.error)")
        #expect(orphaned.error.contains("1 orphaned annotation(s)"), "\(orphaned.error)")
        // why: the quote is nowhere in the new text
        #expect(orphaned.error.contains("exported without offsets (in ") && orphaned.error.contains(": 1 whose quote is not in the text)"),
                "\(orphaned.error)")
        #expect(Self.terminalControls(in: Array(orphaned.error.utf8)) == [])
    }

    /// Errors quote the arguments they reject (a usage error, a path where nothing is,
    /// which is bad input): those show control characters as the reader does too, on a
    /// terminal and into a pipe.
    @Test func usageErrorsQuotingArgumentsCarryNoRawControlCharacters() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let hostile = "a\u{1B}]0;PWNED\u{7}\u{1B}[31mevil\u{1B}[0m"
        try Data("Title\n\nText.\n".utf8).write(to: folder.url.appendingPathComponent("ok.txt"))
        for (arguments, expected) in [(["export", "ok.txt", hostile, "--format", "csv"], Int32(1)), (["export", "ok.txt", "--format", hostile], 2)] {
            let piped = try run(Paths.gloss.path, arguments.map { $0 == "ok.txt" ? folder.url.appendingPathComponent($0).path : $0 })
            #expect(piped.status == expected, "\(arguments): \(piped.error)")
            #expect(!piped.error.isEmpty && Self.terminalControls(in: Array(piped.error.utf8)) == [], "\(piped.error)")
            let (status, bytes) = try Self.runOnATerminal(arguments, in: folder.url)
            #expect(status == expected)
            #expect(Self.terminalControls(in: bytes) == [], "raw controls reached the terminal: \(arguments)")
            #expect(String(decoding: bytes, as: UTF8.self).contains("\u{241B}"))
        }
        let help = try run(Paths.gloss.path, ["--help"])
        #expect(help.status == 0 && help.output.contains("USAGE: gloss"))
    }

    /// `-o` into a pipe or through a link writes into it, never replaces it with a file;
    /// `-o` naming any annotation store or backup is refused.
    @Test func outputIntoPipesAndLinksAndNeverOverAStore() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let article = try folder.copy(Paths.seedArticle)
        let environment = ["GLOSS_RESOURCES": Paths.package.appendingPathComponent("Resources").path]
        // a named pipe, read by a process of its own
        let fifo = folder.url.appendingPathComponent("pipe")
        #expect(mkfifo(fifo.path, 0o600) == 0)
        let reader = try SpawnedProcess("/bin/cat", [fifo.path])
        let piped = try run(Paths.gloss.path, ["export", article.path, "--format", "csv", "-o", fifo.path], environment: environment)
        #expect(piped.status == 0, "\(piped.error)")
        let read = reader.wait()
        #expect(read.output.hasPrefix("document,annotation_id,start,end"))
        var info = stat()
        #expect(lstat(fifo.path, &info) == 0 && info.st_mode & S_IFMT == S_IFIFO, "the pipe was replaced by a file")
        // a symbolic link stays a link; the file it points to gets the export
        let real = folder.url.appendingPathComponent("real.csv")
        try Data("old".utf8).write(to: real)
        let link = folder.url.appendingPathComponent("link.csv")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: real)
        let linked = try run(Paths.gloss.path, ["export", article.path, "--format", "csv", "-o", link.path], environment: environment)
        #expect(linked.status == 0)
        #expect(lstat(link.path, &info) == 0 && info.st_mode & S_IFMT == S_IFLNK)
        #expect(try String(contentsOf: real, encoding: .utf8).hasPrefix("document,"))
        // another document's store and a backup are never overwritten
        for name in ["other.txt.gloss.json", "other.txt.gloss.json.bak"] {
            let store = folder.url.appendingPathComponent(name)
            try Data("{\"kept\": true}\n".utf8).write(to: store)
            let refused = try run(Paths.gloss.path, ["export", article.path, "--format", "csv", "-o", store.path], environment: environment)
            #expect(refused.status == 1 && refused.error.contains("is an annotation store"), "\(refused.error)")
            #expect(try String(contentsOf: store, encoding: .utf8) == "{\"kept\": true}\n")
        }
    }

    /// A team codebook in a parent folder is used without --codebook: its labels name the
    /// categories in the report.
    @Test func teamCodebookInAParentFolderIsFound() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let nested = folder.url.appendingPathComponent("articles/2026")
        try FileManager.default.createDirectory(at: nested, withIntermediateDirectories: true)
        var codebook = try String(contentsOf: Paths.package.appendingPathComponent("Resources/codebook.json"), encoding: .utf8)
        codebook = codebook.replacingOccurrences(of: "\"label\": \"Actor\"", with: "\"label\": \"Team actor\"")
        try codebook.write(to: folder.url.appendingPathComponent("gloss.codebook.json"), atomically: true, encoding: .utf8)
        let article = nested.appendingPathComponent("a.txt")
        try Data("Title\n\nISIL spoke.\n".utf8).write(to: article)
        let document = try Document(contentsOfFile: article.path)
        try AnnotationStore(path: article.path + ".gloss.json").save(
            [Annotation(document: document, range: 7..<11, tags: [GlossCore.Tag(category: "actor", value: "ISIL")])], of: document)
        let report = try run(Paths.gloss.path, ["export", article.path, "--format", "markdown"],
                             environment: ["GLOSS_RESOURCES": Paths.package.appendingPathComponent("Resources").path])
        #expect(report.status == 0, "\(report.error)")
        #expect(report.output.contains("Team actor"), "\(report.output)")
    }

    /// A large file whose invalid byte lies past the first megabyte, which opening does not
    /// check: export fails as for a small invalid file, and writes nothing. (The byte,
    /// 0x81, is not Windows-1252 either, which a text file that is not UTF-8 is read as.)
    @Test func exportOfALargeFileWithAnInvalidByteFailsAsASmallOneDoes() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let environment = ["GLOSS_RESOURCES": Paths.package.appendingPathComponent("Resources").path]
        var big = Array(String(repeating: "A line of the article, long enough.\n", count: 45_000).utf8)
        let badOffset = big.count - 100
        big[badOffset] = 0x81
        #expect(badOffset > Document.eagerByteCount)
        let bigPath = folder.url.appendingPathComponent("big.txt").path
        try Data(big).write(to: URL(fileURLWithPath: bigPath))
        let smallPath = folder.url.appendingPathComponent("small.txt").path
        try Data(Array("A line.\n".utf8) + [0x81]).write(to: URL(fileURLWithPath: smallPath))

        for format in ExportFormat.allCases {
            let small = try run(Paths.gloss.path, ["export", smallPath, "--format", format.rawValue], environment: environment)
            let output = folder.url.appendingPathComponent("big.\(format.fileExtension)").path
            let large = try run(Paths.gloss.path, ["export", bigPath, "--format", format.rawValue, "-o", output], environment: environment)
            let toStandardOutput = try run(Paths.gloss.path, ["export", bigPath, "--format", format.rawValue], environment: environment)
            #expect(small.status == 1)
            #expect(large.status == small.status && toStandardOutput.status == small.status)
            #expect(small.error == "gloss: \(smallPath): neither UTF-8 text (first bad byte at offset 8) nor Windows-1252 (byte 0x81 at offset 8 is undefined there); name its encoding with --encoding NAME, for example windows-1251, Shift_JIS, GB18030, EUC-KR, KOI8-R or ISO-8859-2 (iconv -l lists them), or convert it first, for example with iconv -f ENCODING -t UTF-8\n")
            #expect(large.error == small.error.replacingOccurrences(of: smallPath, with: bigPath)
                        .replacingOccurrences(of: "offset 8", with: "offset \(badOffset)"))
            #expect(toStandardOutput.error == large.error)
            #expect(toStandardOutput.output.isEmpty)
            #expect(!FileManager.default.fileExists(atPath: output))
        }
    }
}
