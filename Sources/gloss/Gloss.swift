import ArgumentParser
import Foundation
import GlossCore
import GlossImport
import GlossUI

/// The `gloss` command: read and annotate a document (the default), export the
/// annotations of a document or a corpus, count them over a corpus, or search a corpus.
@main
struct Gloss: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gloss",
        abstract: "Read an article in the terminal, tag its claims with codebook categories, and export the annotations.",
        discussion: """
        Annotations are saved after every change to FILE.gloss.json beside the document \
        (or --store PATH). Press ? inside the reader for the keys.

        Exit status:
          0      success
          1      bad input (a document, store or codebook that
                 cannot be used, an output that cannot be written)
                 or another failure; grep: no match
          2      usage error (an unknown option, a bad argument);
                 grep: any error
          130    Ctrl-C cancelled a command other than the reader
          128+N  the reader ended on signal N, after saving
        """,
        version: GlossVersion.string,
        subcommands: [Read.self, Export.self, Import.self, CodebookCommand.self, Stats.self, Grep.self, TextCommand.self, Agree.self, Merge.self, ConfigCommand.self],
        defaultSubcommand: Read.self)

    /// Runs the command line as `ParsableCommand.main()` does, except that its messages
    /// (usage errors quote file names and arguments, which can hold escape sequences) show
    /// control characters as the reader draws them, every write goes through
    /// ``StandardStreams`` (a full disk or a closed pipe is reported or ends Gloss quietly,
    /// never a crash), and Ctrl-C ends every command but the reader at once (``Cancellation``).
    static func main() {
        if let bad = argumentNotUTF8() {
            // the argument parser would turn its bytes into U+FFFD, naming a file that is not there
            let name = FolderEntry.visible(bad)
            printError("gloss: \(name): not valid UTF-8; Gloss takes arguments, and so file names, in UTF-8 only (rename the file, e.g. with convmv)")
            Foundation.exit(isGrep ? Grep.errorStatus.rawValue : ExitCode.failure.rawValue)
        }
        let arguments = Array(CommandLine.arguments.dropFirst())
        if let problem = unknownHelpTopic(arguments) {
            printError(problem)
            Foundation.exit(usageStatus.rawValue)
        }
        do {
            if let read = Read.plainInvocation(arguments) {
                try read.run()
            } else {
                var command = try parseAsRoot()
                // the reader saves before it ends on a signal
                if !(command is Read) {
                    Cancellation.install()
                    Cancellation.endOnDocumentFault()
                    // a write over `ulimit -f` fails with EFBIG, reported, instead of killing gloss mid-write
                    signal(SIGXFSZ, SIG_IGN)
                }
                try command.run()
            }
        } catch let failure as StandardStreams.OutputFailure {
            printError("gloss: \(failure)")
            Foundation.exit(isGrep ? Grep.errorStatus.rawValue : ExitCode.failure.rawValue)
        } catch {
            var code = exitCode(for: error)
            // the argument parser's usage status is EX_USAGE (64); Gloss uses 2, as most
            // command-line tools do
            if code == .validationFailure { code = usageStatus }
            // the parser names an unknown option only once the rest has been read and
            // checked: a missing argument or a failed check would be named instead
            if code != .success, let (command, option) = unknownOption(in: arguments),
               !fullMessage(for: error).contains("Unknown option") {
                let names = ["gloss"] + path(to: command).map { $0.configuration.commandName ?? "" }
                let shown = ControlPictures.visible(option, showingBidiControls: true)
                StandardStreams.writeError("""
                    Error: Unknown option '\(shown)'
                    Usage: \(usageString(for: command))
                      See '\(names.joined(separator: " ")) --help' for more information.

                    """)
                Foundation.exit(isGrep ? Grep.errorStatus.rawValue : usageStatus.rawValue)
            }
            // grep's convention: 1 is "not found", so any other failure is 2
            if isGrep, code != .success, code != .failure, code != Cancellation.status {
                code = Grep.errorStatus
            }
            // help, --version and the completion scripts are Gloss's own text, written as
            // they are (a completion script may hold tabs); errors quote arguments
            let message = code == .success ? fullMessage(for: error) : ControlPictures.visible(fullMessage(for: error), keepingLineEnds: true)
            if !message.isEmpty {
                if code == .success {
                    do {
                        try StandardStreams.write(message + "\n")
                    } catch {
                        printError("gloss: \(error)")
                        Foundation.exit(isGrep ? Grep.errorStatus.rawValue : ExitCode.failure.rawValue)
                    }
                } else {
                    StandardStreams.writeError(message + "\n")
                }
            }
            Foundation.exit(code.rawValue)
        }
    }

    /// True when the command is `gloss grep`, whose exit statuses are grep's.
    static var isGrep: Bool { CommandLine.arguments.dropFirst().first == Grep.configuration.commandName }

    /// The command `arguments` run (its subcommand names first, else the default
    /// subcommand) and the first of its arguments before `--` that is an option it does not
    /// have (`--foo`, `--foo=1`, `-x`), or nil when every option is known.
    static func unknownOption(in arguments: [String]) -> (ParsableCommand.Type, String)? {
        var command: ParsableCommand.Type = Gloss.self
        var rest = arguments[...]
        while true {
            let subcommands = command.configuration.subcommands
            if let name = rest.first, let next = subcommands.first(where: { $0.configuration.commandName == name }) {
                command = next
                rest = rest.dropFirst()
            } else if let fallback = command.configuration.defaultSubcommand {
                command = fallback
            } else {
                break
            }
        }
        let known = optionNames(of: command)
        for argument in rest.prefix(while: { $0 != "--" }) where argument.hasPrefix("-") && argument != "-" {
            let name = argument.hasPrefix("--") ? String(argument.prefix { $0 != "=" }) : argument
            if known.contains(name) { continue }
            // short flags run together (-ab); a negative number is a value
            if !argument.hasPrefix("--"), argument.dropFirst().allSatisfy({ known.contains("-\($0)") || $0.isNumber }) { continue }
            return (command, name)
        }
        return nil
    }

    /// Every spelling of the options and flags of `command` (`--store`, `-o`), with the
    /// parser's own `--help`, `-h` and `--version`, from the argument parser's description
    /// of the command (`--experimental-dump-help`).
    static func optionNames(of command: ParsableCommand.Type) -> Set<String> {
        var names: Set<String> = ["--help", "-h", "--version"]
        guard let root = try? JSONSerialization.jsonObject(with: Data(command._dumpHelp().utf8)) as? [String: Any],
              let description = root["command"] as? [String: Any],
              let arguments = description["arguments"] as? [[String: Any]] else { return names }
        for argument in arguments {
            for name in argument["names"] as? [[String: Any]] ?? [] {
                guard let kind = name["kind"] as? String, let text = name["name"] as? String else { continue }
                names.insert(kind == "long" ? "--" + text : "-" + text)
            }
        }
        return names
    }

    /// The subcommands from the root to `command`, `command` last (empty for the root).
    static func path(to command: ParsableCommand.Type) -> [ParsableCommand.Type] {
        func search(_ from: ParsableCommand.Type, _ trail: [ParsableCommand.Type]) -> [ParsableCommand.Type]? {
            if ObjectIdentifier(from) == ObjectIdentifier(command) { return trail }
            for next in from.configuration.subcommands {
                if let found = search(next, trail + [next]) { return found }
            }
            return nil
        }
        return search(Gloss.self, []) ?? []
    }

    /// Why `gloss help TOPIC...` names no command (`gloss help nonexist`), or nil for any
    /// other command line. The argument parser would print the top-level help and exit
    /// with status 0.
    static func unknownHelpTopic(_ arguments: [String]) -> String? {
        guard arguments.first == "help" else { return nil }
        var command: ParsableCommand.Type = Gloss.self
        var path = ["gloss"]
        for name in arguments.dropFirst() where !name.hasPrefix("-") {
            let subcommands = command.configuration.subcommands
            guard let next = subcommands.first(where: { $0.configuration.commandName == name }) else {
                let names = subcommands.compactMap { $0.configuration.commandName }
                let shown = ControlPictures.visible(name, showingBidiControls: true)
                let known = names.isEmpty ? "\(path.joined(separator: " ")) has no subcommands"
                    : "the commands of \(path.joined(separator: " ")) are \(names.joined(separator: ", "))"
                return "Error: Unknown command '\(shown)' for help; \(known)"
            }
            command = next
            path.append(name)
        }
        return nil
    }
}

/// The exit status of a usage error (an unknown option, a missing or invalid argument),
/// for every command: 2, where the argument parser's own is 64 (`EX_USAGE`).
let usageStatus = ExitCode(2)

/// The bytes of the first command-line argument that is not valid UTF-8, if any.
func argumentNotUTF8() -> [UInt8]? {
    for index in 1..<Int(CommandLine.argc) {
        guard let argument = CommandLine.unsafeArgv[index] else { continue }
        let bytes = Array(UnsafeBufferPointer(start: UnsafeRawPointer(argument).assumingMemoryBound(to: UInt8.self), count: strlen(argument)))
        if String(validating: bytes, as: UTF8.self) == nil { return bytes }
    }
    return nil
}

/// The version `--version` prints.
enum GlossVersion {
    static let string = "0.1.0"
}

/// Options every command shares.
struct DocumentOptions: ParsableArguments {
    @Option(name: .long, help: DocumentOptions.storeHelp, completion: .file())
    var store: String?

    @Option(name: .long, help: DocumentOptions.coderHelp)
    var coder: String?

    @Option(name: .long, help: DocumentOptions.codebookHelp, completion: .file())
    var codebook: String?

    // the help of each option, shared with `read`, which declares the options itself
    static var storeHelp: ArgumentHelp {
        ArgumentHelp("The annotation store to use instead of FILE.gloss.json.", valueName: "path")
    }
    static var coderHelp: ArgumentHelp {
        ArgumentHelp("Use this coder's own store, FILE.gloss.NAME.json beside the document (letters, digits, -, _ and . only); in the reader it also sets the author of new annotations unless --author is given.", valueName: "name")
    }
    static var codebookHelp: ArgumentHelp {
        ArgumentHelp("A codebook JSON file to use instead of the nearest gloss.codebook.json in the document's folder or a parent (else the configuration file's codebook, else the bundled one).", valueName: "path")
    }

    /// The reader's command that takes this document's store although it records another
    /// document: `gloss FILE --relink`, with the `--store` or `--coder` given.
    func relinkCommand(for file: String) -> String {
        let choice = store.map { " --store \($0)" } ?? coder.map { " --coder \($0)" } ?? ""
        return "gloss \(file)\(choice) --relink"
    }

    /// The codebook named by `--codebook`, else the nearest `gloss.codebook.json` beside
    /// `documentPath` or in a parent folder, else the configuration file's `codebook`,
    /// else the bundled one.
    /// - Throws: ``CodebookError`` when it cannot be read or a category's key is one of
    ///   Gloss's own keys.
    func loadCodebook(forDocument documentPath: String?) throws -> Codebook {
        try loadCodebookFile(forDocument: documentPath, editsFolder: nil).codebook
    }

    /// The codebook as ``loadCodebook(forDocument:)`` finds it, with the file its edits go
    /// to: the file read; but for the bundled codebook, which is never written,
    /// `gloss.codebook.json` in `editsFolder` (the document's folder when nil), created by
    /// the first edit. When `editsFolder` is given (the sample article, whose folder is
    /// the installation's) a codebook there is used before the bundled one.
    /// - Throws: ``CodebookError`` as ``loadCodebook(forDocument:)`` does.
    func loadCodebookFile(forDocument documentPath: String?, editsFolder: String?) throws -> (codebook: Codebook, file: CodebookFile) {
        let bundled = try BundledResources.path(of: "codebook.json")
        var path = codebook ?? documentPath.flatMap(Codebook.discover(forDocument:))
        if path == nil, let editsFolder, FileManager.default.fileExists(atPath: editsFolder + "/" + Codebook.teamFileName) {
            path = editsFolder + "/" + Codebook.teamFileName
        }
        let configuration = UserConfiguration.configuration
        if path == nil { path = configuration.codebook }
        let loaded: (codebook: Codebook, file: CodebookFile)
        if let path, !BundledResources.isBundledCodebook(path) {
            loaded = try CodebookFile.load(path: path)
        } else {
            let folder = editsFolder ?? documentPath.map { FilePaths.physicalFolder(of: $0) }
                ?? FileManager.default.currentDirectoryPath
            loaded = try CodebookFile.load(path: path ?? bundled, writeTo: folder + "/" + Codebook.teamFileName, isBundledCopy: true)
        }
        // the keys as the user's configuration binds them: a key it frees can tag
        if let conflict = Keymap.conflicts(in: loaded.codebook, keys: configuration.keys).first {
            throw CodebookError(path: path ?? bundled, problem: "category \"\(conflict.category.id)\" has key \"\(conflict.category.key)\", which Gloss uses for \(conflict.description); choose another key")
        }
        return loaded
    }

    /// Checks the options that do not depend on the document: `--store` and `--codebook`
    /// are not empty, `--coder`'s name, and that `--store` and `--coder` are not both given.
    /// - Throws: `ValidationError` naming the bad value.
    func validate() throws {
        // an empty path would name the working folder: every save would fail
        try refuseEmptyPaths(store.map { [$0] } ?? [], valueName: "--store")
        try refuseEmptyPaths(codebook.map { [$0] } ?? [], valueName: "--codebook")
        guard let coder else { return }
        do {
            try CoderName.validate(coder)
        } catch {
            throw ValidationError("--coder: \(error)")
        }
        if store != nil { throw ValidationError("--store and --coder both name a store; give one of them") }
    }

    /// The store for `documentPath`: `--store`, else the coder's `FILE.gloss.NAME.json`
    /// with `--coder` (beside the sample's default store for the sample article), else
    /// `FILE.gloss.json`.
    func annotationStore(for documentPath: String, isSample: Bool) -> AnnotationStore {
        if let store { return AnnotationStore(path: store) }
        if let coder, let path = try? CoderName.storePath(forDocument: isSample ? String(BundledResources.sampleStorePath().dropLast(".gloss.json".count)) : documentPath, coder: coder) {
            return AnnotationStore(path: path)
        }
        if isSample { return AnnotationStore(path: BundledResources.sampleStorePath()) }
        return AnnotationStore(path: AnnotationStore.defaultPath(forDocument: documentPath))
    }
}

/// `--encoding NAME`, shared by the commands that read documents' text.
struct EncodingOption: ParsableArguments {
    @Option(name: .long, help: EncodingOption.help, completion: EncodingOption.completion, transform: EncodingOption.encoding(named:))
    var encoding: TextEncoding?

    // shared with `read`, which declares the option itself
    static var help: ArgumentHelp {
        ArgumentHelp("Read text in this encoding instead of finding it (UTF-8, or UTF-16 after a byte-order mark, a web page's declared encoding, else Windows-1252): utf-8, utf-16, windows-1252, latin1 or any name iconv knows, such as \(TextEncoding.examples).", valueName: "name")
    }
    static var completion: CompletionKind {
        .list(["utf-8", "utf-16", "windows-1252", "latin1", "windows-1251", "Shift_JIS", "GB18030", "EUC-KR", "KOI8-R", "ISO-8859-2"])
    }

    /// The encoding `--encoding` names (``TextEncoding/init(name:)``).
    /// - Throws: ``ImportError/unknownEncoding(name:)``, which names it and says what to give.
    static func encoding(named name: String) throws -> TextEncoding {
        guard let encoding = TextEncoding(name: name) else { throw ImportError.unknownEncoding(name: name) }
        return encoding
    }
}

/// Prints `message` on standard error, its control characters (from file names and
/// document text in it) shown as the reader draws them, line feeds kept; a progress bar
/// being shown is cleared first (``ProgressBar``).
func printError(_ message: String) {
    ProgressBar.clearActive()
    StandardStreams.writeError(ControlPictures.visible(message, keepingLineEnds: true) + "\n")
}
