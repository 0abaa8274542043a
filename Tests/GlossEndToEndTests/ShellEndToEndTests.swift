import Foundation
import GlossCore
import GlossTestSupport
import Testing

/// Gloss among a terminal user's other tools: exit statuses, the reader's refusal without
/// a usable terminal, no colour into pipes, the progress bar and Ctrl-C of the corpus
/// commands, and the install step with its completions and man page.
@Suite struct ShellEndToEndTests {
    static let resources = Paths.package.appendingPathComponent("Resources").path

    /// A clean environment: UTF-8, the package's resources, no NO_COLOR or TERM inherited.
    static let environment = ["LANG": "C.UTF-8", "GLOSS_RESOURCES": resources,
                              "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"]

    /// Runs the built gloss in `folder` with `arguments`, standard output and error to files.
    static func gloss(_ arguments: [String], in folder: URL, environment extra: [String: String] = [:]) throws -> ProcessResult {
        try run("/bin/sh", ["-c", "cd '\(folder.path)' && exec \"$0\" \"$@\"", Paths.gloss.path] + arguments,
                environment: environment.merging(extra) { $1 })
    }

    /// `count` copies of the seed article (its text `repeats` times over) in `folder/corpus`,
    /// each with a store of one annotation (the first sentence tagged actor).
    /// Runs the shell `command` with a terminal on its standard streams (`script`), its
    /// output as the terminal got it.
    static func onTerminal(_ command: String) throws -> ProcessResult {
        let script = try #require(which("script"), "script (util-linux) is needed to run gloss on a terminal")
        return try run(script, ["-q", "-e", "-c", command, "/dev/null"])
    }

    static func corpus(in folder: URL, documents count: Int, repeats: Int = 1) throws -> URL {
        let target = folder.appendingPathComponent("corpus")
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
        let article = try String(contentsOf: Paths.seedArticle, encoding: .utf8)
        let text = Data(String(repeating: article + "\n", count: repeats).utf8)
        let first = target.appendingPathComponent("doc-1.txt")
        try text.write(to: first)
        let document = try Document(contentsOfFile: first.path)
        let annotation = Annotation(document: document, range: 0..<40, tags: [GlossCore.Tag(category: "actor", value: "UN")],
                                    author: "ana", date: Date(timeIntervalSince1970: 1_795_000_000))
        let store = AnnotationStore.defaultPath(forDocument: first.path)
        try AnnotationStore(path: store).save(StoreContents(annotations: [annotation]), of: document)
        let storeBytes = try Data(contentsOf: URL(fileURLWithPath: store))
        for number in 2...max(2, count) where number <= count {
            let path = target.appendingPathComponent("doc-\(number).txt")
            try text.write(to: path)
            try storeBytes.write(to: URL(fileURLWithPath: AnnotationStore.defaultPath(forDocument: path.path)))
        }
        return target
    }

    /// What a terminal shows of `bytes` once carriage returns have moved back over each
    /// line: the last text written at each column.
    static func shownLines(_ bytes: [UInt8]) -> [String] {
        String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n").components(separatedBy: "\n").map { line in
            var cells: [Character] = []
            for segment in line.components(separatedBy: "\r") {
                for (column, character) in segment.enumerated() {
                    if column < cells.count { cells[column] = character } else { cells.append(character) }
                }
            }
            return String(cells).trimmingCharacters(in: .whitespaces)
        }
    }

    // MARK: exit statuses

    @Test("usage errors exit with status 2, whichever command and whatever the error",
          arguments: [["export", "--bogus"], ["export"], ["export", "doc-1.txt", "--format", "nope"],
                      ["export", "doc-1.txt", "--format", "brat"], ["stats"], ["stats", "."] + ["--format", "xml"],
                      ["read", "--no-such-flag"], ["doc-1.txt", "--store", "s.json", "--coder", "ana"], ["text"],
                      ["agree", "doc-1.txt"], ["grep"], ["grep", "x"]])
    func usageErrorsExitWithTwo(arguments: [String]) throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let corpus = try Self.corpus(in: folder.url, documents: 1)
        let result = try Self.gloss(arguments, in: corpus)
        #expect(result.status == 2, "\(arguments): \(result.status) \(result.error)")
        #expect(result.error.contains("Error:") || result.error.contains("Usage:"), "\(arguments): \(result.error)")
        #expect(result.output.isEmpty)
    }

    /// An author with a control character, from `--author` or `$GLOSS_AUTHOR`, is refused
    /// before anything is written (the configuration file's `author` is refused alike):
    /// it would go raw into stores and exports.
    @Test func authorsWithControlCharactersAreRefused() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let corpus = try Self.corpus(in: folder.url, documents: 1)
        let hostile = "evil\u{1B}[2J\u{1B}]0;pwn\u{7}"
        let cases: [(arguments: [String], environment: [String: String], says: String)] = [
            (["doc-1.txt", "--author", hostile], [:], "--author: the name has a control character"),
            (["doc-1.txt"], ["GLOSS_AUTHOR": hostile], "GLOSS_AUTHOR: the name has a control character"),
            (["import", "w3c", "x.json", "--into", "doc-1.txt", "--author", "a\tb"], [:], "--author: the name has a control character"),
        ]
        let store = try Data(contentsOf: corpus.appendingPathComponent("doc-1.txt.gloss.json"))
        for (arguments, environment, says) in cases {
            let result = try Self.gloss(arguments, in: corpus, environment: environment)
            #expect(result.status == 2, "\(arguments): \(result.error)")
            #expect(result.error.contains(says), "\(arguments): \(result.error)")
            #expect(!result.error.contains("\u{1B}"), "the message carried the escape raw")
        }
        #expect(try Data(contentsOf: corpus.appendingPathComponent("doc-1.txt.gloss.json")) == store)
    }

    @Test func badInputExitsWithOne() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let corpus = try Self.corpus(in: folder.url, documents: 2)
        try Data("{ not a codebook".utf8).write(to: folder.url.appendingPathComponent("bad.codebook.json"))
        let cases: [(arguments: [String], says: String)] = [
            (["export", "missing.txt", "--format", "csv"], "missing.txt"),
            (["export", "doc-1.txt", "--format", "csv", "--codebook", "../bad.codebook.json"], "bad.codebook.json"),
            (["export", "doc-1.txt", "--format", "csv", "-o", "/nonexistent-folder/out.csv"], "/nonexistent-folder/out.csv"),
            (["text", "missing.txt"], "missing.txt"),
        ]
        for (arguments, says) in cases {
            let result = try Self.gloss(arguments, in: corpus)
            #expect(result.status == 1, "\(arguments): \(result.status) \(result.error)")
            #expect(result.error.contains(says), "\(arguments): \(result.error)")
        }
        // a damaged store
        try Data("{".utf8).write(to: corpus.appendingPathComponent("doc-2.txt.gloss.json"))
        let damaged = try Self.gloss(["export", "doc-2.txt", "--format", "csv"], in: corpus)
        #expect(damaged.status == 1)
        #expect(damaged.error.contains("doc-2.txt.gloss.json"), "\(damaged.error)")
        let stats = try Self.gloss(["stats", "."], in: corpus)
        #expect(stats.status == 1, "\(stats.error)")
    }

    @Test func grepKeepsGrepsStatuses() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let corpus = try Self.corpus(in: folder.url, documents: 2)
        #expect(try Self.gloss(["grep", "Voronkov", "."], in: corpus).status == 0)
        #expect(try Self.gloss(["grep", "no such words anywhere", "."], in: corpus).status == 1)
        try Data([0x00, 0xFF, 0x00, 0x01]).write(to: corpus.appendingPathComponent("binary.txt"))
        let failed = try Self.gloss(["grep", "Voronkov", "."], in: corpus)
        #expect(failed.status == 2, "\(failed.error)")
        #expect(failed.error.contains("binary.txt"))
    }

    @Test func helpAndReadmeDocumentTheExitStatuses() throws {
        let help = try Self.gloss(["--help"], in: Paths.package)
        #expect(help.status == 0)
        let lines = help.output.components(separatedBy: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(lines.contains("Exit status:"))
        for code in ["0", "1", "2", "130", "128+N"] {
            #expect(lines.contains { $0.hasPrefix(code + " ") }, "no line for \(code) in:\n\(help.output)")
        }
        let readme = try String(contentsOf: Paths.package.appendingPathComponent("README.md"), encoding: .utf8)
        #expect(readme.contains("Exit status, for every command: 0 success; 1 bad input"))
        #expect(readme.contains("2 a\nusage error") || readme.contains("2 a usage error"))
    }

    // MARK: the reader without a terminal

    @Test func readerWithoutATerminalSaysSoInOneLineAndLeavesTheStore() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let corpus = try Self.corpus(in: folder.url, documents: 1)
        let store = corpus.appendingPathComponent("doc-1.txt.gloss.json")
        let before = try Data(contentsOf: store)
        let listing = try FileManager.default.contentsOfDirectory(atPath: corpus.path).sorted()
        for arguments in [["doc-1.txt"], ["."]] {
            // standard input /dev/null, standard output a file
            let result = try Self.gloss(arguments, in: corpus, environment: ["TERM": "xterm-256color"])
            #expect(result.status == 1)
            #expect(result.error.split(separator: "\n").count == 1, "\(result.error)")
            #expect(result.error.contains("needs a terminal") && result.error.contains("gloss export"), "\(result.error)")
            #expect(result.output.isEmpty)
        }
        #expect(try Data(contentsOf: store) == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: corpus.path).sorted() == listing)
    }

    @Test("TERM dumb or unset: one line, in a real terminal, and the store untouched",
          arguments: ["TERM=dumb", "-u TERM", "TERM="])
    func readerOnADumbTerminalSaysSoInOneLine(term: String) throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let corpus = try Self.corpus(in: folder.url, documents: 1)
        let store = corpus.appendingPathComponent("doc-1.txt.gloss.json")
        let before = try Data(contentsOf: store)
        let command = "env \(term) LANG=C.UTF-8 GLOSS_RESOURCES='\(Self.resources)' '\(Paths.gloss.path)' doc-1.txt"
        let session = try TmuxSession(command: command, width: 220, height: 10, folder: corpus)
        #expect(try session.waitForExit() == 1)
        let shown = try session.screen().filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        #expect(shown.count == 1, "\(shown)")
        #expect(shown.first?.contains("the reader needs a terminal that can move the cursor, and TERM is") == true, "\(shown)")
        #expect(shown.first?.contains(term == "TERM=dumb" ? "TERM is \"dumb\"" : "TERM is not set") == true, "\(shown)")
        #expect(shown.first?.contains("gloss export") == true)
        #expect(try Data(contentsOf: store) == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: corpus.path).filter { !$0.hasPrefix(".exit-") }.sorted()
                == ["doc-1.txt", "doc-1.txt.gloss.json"])
    }

    // MARK: colour

    /// Every subcommand, its output into a pipe: not one escape byte on standard output
    /// or error, whatever TERM says.
    /// A terminal without an alternate screen (vt100, the Linux console) keeps what was
    /// drawn after the reader quits: the status line, where the shell's prompt comes next,
    /// is blanked first, as less does.
    @Test(arguments: ["vt100", "linux"])
    func quittingOnATerminalWithoutAnAlternateScreenLeavesNoStatusLine(terminalType: String) throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let article = try folder.copy(Paths.seedArticle)
        let session = try TmuxSession(command: glossCommand([article.lastPathComponent], environment: ["TERM": terminalType]),
                                      width: 100, height: 30, folder: folder.url)
        let shown = try session.waitFor("? help")
        let statusRow = try #require(shown.lastIndex { $0.contains("? help") })
        try session.send("q")
        #expect(try session.waitForExit() == 0)
        let after = try session.screen()
        #expect(after[statusRow].trimmingCharacters(in: .whitespaces).isEmpty, "the status line stayed: \(after[statusRow])")
        // the text stays, as on such a terminal it does
        #expect(after.contains { $0.contains("Counter") })
    }

    /// A default store that is a symbolic link to the document (or to a file that is no
    /// store) is refused by name before anything is read or written: it was taken for a
    /// damaged store, the document renamed aside and JSON written under its name.
    @Test func aStoreThatIsALinkToTheDocumentIsRefused() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let article = try folder.copy(Paths.seedArticle)
        let text = try Data(contentsOf: article)
        let store = article.path + ".gloss.json"
        try FileManager.default.createSymbolicLink(atPath: store, withDestinationPath: article.lastPathComponent)
        let session = try TmuxSession(command: glossCommand([article.lastPathComponent]), width: 120, height: 40, folder: folder.url)
        try session.waitFor("is the document itself")
        #expect(try session.waitForExit() == 1)
        #expect(try Data(contentsOf: article) == text)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: store) == article.lastPathComponent)
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.url.path)
        #expect(!names.contains { $0.contains("corrupt") || $0.hasSuffix(".lock") }, "\(names)")
    }

    @Test func noSubcommandWritesEscapesIntoAPipe() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let news = try CorpusEndToEndTests.makeCorpus(in: folder.url)
        let korea = "news/wikinews_news_korea.txt"
        let store = folder.url.appendingPathComponent(korea + ".gloss.json")
        for coder in ["a", "b"] {
            try FileManager.default.copyItem(at: store, to: folder.url.appendingPathComponent(korea + ".gloss.\(coder).json"))
        }
        _ = news
        var commands: [[String]] = ExportFormat.allCases.map { ["export", "news", "--format", $0.rawValue] }
        commands += [["export", korea, "--format", "csv"], ["export", "news", "--format", "brat", "-o", "brat-out"],
                     ["export", "news", "--format", "qdpx", "-o", "out.qdpx"], ["export", korea, "--format", "w3c", "-o", "korea.jsonld"]]
        commands += ["table", "csv", "json"].map { ["stats", "news", "--format", $0] }
        commands += [["grep", "Korea", "news"], ["grep", "nowhere at all", "news"], ["text", korea],
                     ["agree", "--coder", "a", "--coder", "b", korea], ["merge", "--coder", "a", "--coder", "b", korea, "-o", "merged.json"],
                     ["codebook", "export", "-o", "codebook.qdc"], ["codebook", "export"],
                     ["import", "w3c", "korea.jsonld", "--into", korea, "--coder", "c"],
                     ["export", "missing.txt", "--format", "csv"], ["export", "--bogus"], ["--help"], ["export", "--help"]]
        for arguments in commands {
            for term in ["xterm-256color", "dumb"] {
                let result = try Self.gloss(arguments, in: folder.url, environment: ["TERM": term])
                #expect(!Array(result.output.utf8).contains(0x1B), "\(arguments): escape on standard output")
                #expect(!Array(result.error.utf8).contains(0x1B), "\(arguments): escape on standard error: \(result.error)")
                #expect(!result.error.contains("\r"), "\(arguments): a progress bar into a file")
            }
        }
    }

    @Test func grepColoursOnATerminalOnlyWithoutNoColor() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let corpus = try Self.corpus(in: folder.url, documents: 2)
        func onTerminal(_ settings: String) throws -> ProcessResult {
            try Self.onTerminal("cd '\(corpus.path)' && env -u NO_COLOR LANG=C.UTF-8 TERM=xterm-256color \(settings) '\(Paths.gloss.path)' grep Voronkov .")
        }
        let colored = try onTerminal("")
        #expect(colored.status == 0)
        #expect(colored.output.contains("\u{1B}[1;31mVoronkov\u{1B}[0m"), "\(colored.output)")
        for settings in ["NO_COLOR=1", "TERM=dumb"] {
            let plain = try onTerminal(settings)
            #expect(plain.status == 0)
            #expect(plain.output.contains("Voronkov"))
            #expect(!Array(plain.output.utf8).contains(0x1B), "\(settings): \(plain.output)")
        }
    }

    /// A locale the environment names but the system lacks (`locale -a`) is called not
    /// installed, not "not UTF-8" with the C locale named (which told a user whose LANG
    /// already named a UTF-8 locale to set one); a locale that is not UTF-8 is named as such.
    @Test func theReaderNamesALocaleNotInstalledAndOneNotUTF8() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let document = folder.url.appendingPathComponent("doc.txt")
        try "Text.\n".write(to: document, atomically: true, encoding: .utf8)
        func onTerminal(_ locale: String) throws -> ProcessResult {
            try Self.onTerminal("cd '\(folder.url.path)' && env -u LC_ALL -u LC_CTYPE LANG=\(locale) TERM=xterm-256color '\(Paths.gloss.path)' doc.txt")
        }
        let missing = try onTerminal("xx_NOWHERE.UTF-8")
        #expect(missing.status == 1)
        #expect(missing.output.contains("the locale xx_NOWHERE.UTF-8 is not installed"), "\(missing.output)")
        let notUTF8 = try onTerminal("C")
        #expect(notUTF8.status == 1)
        #expect(notUTF8.output.contains("is not UTF-8"), "\(notUTF8.output)")
        #expect(!FileManager.default.fileExists(atPath: document.path + ".gloss.json"))
    }

    // MARK: progress and Ctrl-C

    @Test("a corpus command draws its bar on a terminal's standard error and clears it",
          arguments: [(["export", "corpus", "--format", "csv", "-o", "out.csv"], "exporting ["),
                      (["stats", "corpus"], "counting ["), (["grep", "Voronkov", "corpus"], "searching [")])
    func progressBarOnATerminalIsDrawnAndCleared(arguments: [String], label: String) throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        _ = try Self.corpus(in: folder.url, documents: 40)
        // standard output to a file, standard error the terminal
        let command = "cd '\(folder.url.path)' && env LANG=C.UTF-8 TERM=xterm-256color '\(Paths.gloss.path)' "
            + arguments.map { "'\($0)'" }.joined(separator: " ") + " > stdout.txt"
        let result = try Self.onTerminal(command)
        #expect(result.status == 0, "\(result.output)")
        let bytes = Array(result.output.utf8)
        #expect(result.output.contains(label), "no bar: \(result.output)")
        #expect(result.output.contains("/40 "), "\(result.output)")
        #expect(result.output.contains("corpus/doc-"), "the bar names the document")
        #expect(!bytes.contains(0x1B), "the bar writes no escape sequences")
        #expect(Self.shownLines(bytes).allSatisfy { !$0.contains(label) }, "the bar is left on the screen: \(Self.shownLines(bytes))")
        let written = try String(contentsOf: folder.url.appendingPathComponent("stdout.txt"), encoding: .utf8)
        #expect(!written.contains(label) && !written.contains("\r"))

        // into a pipe (standard error a file): no bar
        let piped = try Self.gloss(arguments, in: folder.url)
        #expect(piped.status == 0)
        #expect(!piped.error.contains(label) && !piped.error.contains("\r"), "\(piped.error)")
    }

    @Test func ctrlCCancelsACorpusExportLeavingNoFile() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        // big enough that the export runs for a couple of seconds after its bar shows
        _ = try Self.corpus(in: folder.url, documents: 2000, repeats: 10)
        let session = try TmuxSession(command: glossCommand(["export", "corpus", "--format", "csv", "-o", "out.csv"]),
                                      width: 120, height: 10, folder: folder.url)
        try session.waitFor("exporting [")
        try session.send("C-c")
        #expect(try session.waitForExit(timeout: 30) == 130)
        let screen = try session.screen()
        #expect(screen.contains { $0.hasPrefix("gloss: cancelled") }, "\(screen)")
        #expect(!screen.contains { $0.contains("exporting [") }, "the bar is cleared: \(screen)")
        let left = try FileManager.default.contentsOfDirectory(atPath: folder.url.path).filter { !$0.hasPrefix(".exit-") }
        #expect(left == ["corpus"], "an export cancelled left \(left)")
    }

    // MARK: install

    /// `make install-files` (the install step without its release build) into a temporary
    /// prefix: the installed gloss opens the bundled sample from another folder, writes
    /// nothing into the prefix, the bash completions load and complete, and the man page
    /// renders; `make uninstall` removes every file.
    @Test func installIntoATemporaryPrefixGivesAWorkingGloss() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let prefix = folder.url.appendingPathComponent("prefix")
        let make = try #require(which("make"), "make is needed; .ci/run installs it")
        let installed = try run(make, ["-C", Paths.package.path, "install-files", "BIN=\(Paths.gloss.path)", "PREFIX=\(prefix.path)"])
        #expect(installed.status == 0, "\(installed.output)\(installed.error)")
        let files = try Self.files(under: prefix)
        #expect(files == ["bin/gloss", "share/bash-completion/completions/gloss", "share/fish/vendor_completions.d/gloss.fish",
                          "share/gloss/codebook.json", "share/gloss/sample-article.txt", "share/man/man1/gloss.1",
                          "share/zsh/site-functions/_gloss"], "\(files)")
        for name in ["codebook.json", "sample-article.txt"] {
            #expect(try Data(contentsOf: prefix.appendingPathComponent("share/gloss/" + name))
                    == Data(contentsOf: Paths.package.appendingPathComponent("Resources/" + name)))
        }
        #expect(try String(contentsOf: prefix.appendingPathComponent("share/zsh/site-functions/_gloss"), encoding: .utf8).hasPrefix("#compdef gloss"))
        #expect(try String(contentsOf: prefix.appendingPathComponent("share/fish/vendor_completions.d/gloss.fish"), encoding: .utf8)
                    .contains("complete -c 'gloss'"))

        // from another folder, found on PATH as a user runs it (argv[0] is then only
        // "gloss"), with no GLOSS_RESOURCES: the installed sample opens, not the checkout's
        let elsewhere = folder.url.appendingPathComponent("elsewhere")
        let data = folder.url.appendingPathComponent("data")
        try FileManager.default.createDirectory(at: elsewhere, withIntermediateDirectories: true)
        let command = "env -u GLOSS_RESOURCES -u LINES -u COLUMNS LANG=C.UTF-8 TERM=xterm-256color XDG_DATA_HOME='\(data.path)' "
            + "PATH='\(prefix.path)/bin':/usr/bin:/bin gloss"
        let session = try TmuxSession(command: command, folder: elsewhere)
        try session.waitFor("Ministers agree joint platform to curb terrorist financing")
        try session.send("j", "a", "Enter")
        try session.waitFor("Annotations (1)")
        try session.send("q")
        #expect(try session.waitForExit() == 0)
        #expect(try Self.files(under: prefix) == files, "the reader wrote into the installation")
        // the sample read is the installed one, and its store is in the user's data folder
        let sampleStore = try #require(try AnnotationStore(path: data.appendingPathComponent("gloss/sample-article.txt.gloss.json").path).load())
        #expect(sampleStore.document?.path == prefix.appendingPathComponent("share/gloss/sample-article.txt").path, "\(sampleStore.document?.path ?? "no path")")
        #expect(sampleStore.annotations.count == 1)
        #expect(try FileManager.default.contentsOfDirectory(atPath: elsewhere.path).filter { !$0.hasPrefix(".exit-") } == [])

        // the bash completions load and complete subcommands, --format values and files
        let completions = prefix.appendingPathComponent("share/bash-completion/completions/gloss").path
        let loaded = try run("/bin/bash", ["-c", "source '\(completions)' && complete -p gloss"])
        #expect(loaded.status == 0 && loaded.error.isEmpty, "\(loaded.error)")
        #expect(loaded.output.contains("-F _gloss gloss"), "\(loaded.output)")
        func complete(_ line: String) throws -> [String] {
            let script = """
                cd '\(Paths.package.path)/Resources' && source '\(completions)'
                COMP_LINE='\(line)'; COMP_POINT=${#COMP_LINE}; read -ra COMP_WORDS <<< "$COMP_LINE"
                [[ "$COMP_LINE" == *' ' ]] && COMP_WORDS+=('')
                COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
                _gloss gloss "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
                printf '%s\\n' "${COMPREPLY[@]}"
                """
            let result = try run("/bin/bash", ["-c", script])
            #expect(result.error.isEmpty, "\(line): \(result.error)")
            return result.output.split(separator: "\n").map(String.init).sorted()
        }
        #expect(Set(try complete("gloss ")).isSuperset(of: ["read", "export", "import", "codebook", "stats", "grep", "text", "agree", "merge"]))
        #expect(try complete("gloss export x.txt --format ") == ["brat", "csv", "html", "jsonl", "labelstudio", "markdown", "qdpx", "w3c"])
        #expect(try complete("gloss stats . --format ") == ["csv", "json", "table"])
        #expect(try complete("gloss export x.txt --offsets ") == ["code-points", "utf16"])
        #expect(try complete("gloss export sam").contains("sample-article.txt"))
        #expect(try complete("gloss export x.txt --codebook co").contains("codebook.json"))

        // the man page renders, with its NAME section and every subcommand
        let man = try #require(which("man"), "man (man-db) is needed; .ci/run installs it")
        let page = try run(man, ["-l", prefix.appendingPathComponent("share/man/man1/gloss.1").path],
                           environment: ["MANPAGER": "cat", "MANWIDTH": "80", "LANG": "C.UTF-8", "PATH": Self.environment["PATH"]!])
        #expect(page.status == 0 && page.error.isEmpty, "\(page.error)")
        #expect(page.output.contains("NAME\n     gloss"), "\(page.output.prefix(400))")
        let pageLines = page.output.components(separatedBy: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        for subcommand in ["read", "export", "import", "codebook", "stats", "grep", "text", "agree", "merge"] {
            #expect(pageLines.contains { $0 == subcommand || $0.hasPrefix(subcommand + " ") }, "no \(subcommand) in the page")
        }

        let removed = try run(make, ["-C", Paths.package.path, "uninstall", "PREFIX=\(prefix.path)"])
        #expect(removed.status == 0, "\(removed.error)")
        #expect(try Self.files(under: prefix) == [])
    }

    /// `doc/gloss.1` is what `make man` generates from the command definitions (the
    /// argument parser's manual plugin, which cannot run inside `swift test`; `make
    /// check-man` compares byte for byte): every subcommand, option and help text of
    /// `gloss --experimental-dump-help` is in it, and no option that is gone. The plugin
    /// writes ASCII only, so the help's other characters are left out of the comparison.
    @Test func manPageIsCurrent() throws {
        let page = try String(contentsOf: Paths.package.appendingPathComponent("doc/gloss.1"), encoding: .utf8)
        let dump = try Self.gloss(["--experimental-dump-help"], in: Paths.package)
        #expect(dump.status == 0)
        let root = try #require(try JSONSerialization.jsonObject(with: Data(dump.output.utf8)) as? [String: Any])
        let command = try #require(root["command"] as? [String: Any])

        func normalized(_ text: String) -> String {
            String(String.UnicodeScalarView(text.unicodeScalars.filter(\.isASCII)))
                .split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }).joined(separator: " ")
        }
        let lines = page.components(separatedBy: "\n")
        let pageText = normalized(lines.filter { $0 != ".Pp" }.joined(separator: " ")
            .replacingOccurrences(of: "\\&", with: "").replacingOccurrences(of: "\\(dq", with: "\"")
            .replacingOccurrences(of: "\\e", with: "\\"))
        var pageOptions = Set<String>(), pageCommands = Set<String>()
        for line in lines where line.hasPrefix(".It ") {
            let words = line.split(separator: " ").map(String.init)
            if words.count >= 3, words[1] == "Em" { pageCommands.insert(words[2]) }
            var inFlags = false
            for word in words.dropFirst() {
                if word.count == 2, word.first!.isUppercase { inFlags = word == "Fl"; continue }
                if inFlags, word != "," { pageOptions.insert("-" + word.trimmingCharacters(in: CharacterSet(charactersIn: ","))) }
            }
        }

        var options = Set<String>(), commands = Set<String>()
        func visit(_ command: [String: Any], isRoot: Bool) {
            if !isRoot, let name = command["commandName"] as? String { commands.insert(name) }
            for key in ["abstract", "discussion"] {
                if let text = command[key] as? String, !text.isEmpty {
                    let found = pageText.contains(normalized(text))
                    #expect(found, "\(command["commandName"] ?? ""): \(key) not in doc/gloss.1 (run make man): \(text)")
                }
            }
            for argument in command["arguments"] as? [[String: Any]] ?? [] where argument["shouldDisplay"] as? Bool != false {
                for name in argument["names"] as? [[String: Any]] ?? [] where argument["kind"] as? String != "positional" {
                    let text = name["name"] as? String ?? ""
                    options.insert(name["kind"] as? String == "long" ? "--" + text : "-" + text)
                }
                if let text = argument["abstract"] as? String, !text.isEmpty {
                    let found = pageText.contains(normalized(text))
                    #expect(found, "\(command["commandName"] ?? ""): help not in doc/gloss.1 (run make man): \(text)")
                }
            }
            for subcommand in command["subcommands"] as? [[String: Any]] ?? [] where subcommand["shouldDisplay"] as? Bool != false {
                visit(subcommand, isRoot: false)
            }
        }
        visit(command, isRoot: true)
        #expect(pageOptions == options, "options differ (run make man): only in the page \(pageOptions.subtracting(options)), only in gloss \(options.subtracting(pageOptions))")
        #expect(pageCommands == commands, "subcommands differ (run make man): \(pageCommands.symmetricDifference(commands))")
    }

    /// The regular files under `folder`, as paths relative to it, sorted.
    static func files(under folder: URL) throws -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: folder.path) else { return [] }
        var found: [String] = []
        while let path = walker.nextObject() as? String {
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: folder.appendingPathComponent(path).path, isDirectory: &isFolder), !isFolder.boolValue {
                found.append(path)
            }
        }
        return found.sorted()
    }
}
