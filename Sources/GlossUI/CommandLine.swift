import Foundation
import GlossCore

/// A command typed on the `:` command line (as vim's and less's `:`), parsed by
/// ``CommandLineParser``.
public enum Command: Hashable, Sendable {
    /// A command of the help, by its ``Action/name``: `:next-sentence`, `:tag:actor`, `:undo`.
    case action(Action)
    /// `:export FORMAT PATH`: writes the annotations as `gloss export --format FORMAT -o
    /// PATH` does; PATH as typed (relative to the working folder, `~` not expanded). An
    /// existing file is replaced only with `:export!` (`replacing`), as vim's `:w!`.
    case export(format: String, path: String, replacing: Bool)
    /// `:filter EXPR`: the filter of the `f` prompt (``AnnotationFilter/parse(_:codebook:usedCategories:)``);
    /// empty clears it.
    case filter(String)
    /// `:goto N%` or `:goto N`: a place in the document.
    case goto(GotoTarget)
    /// `:set OPTION VALUE`: `wrap` (a width in columns, or `off`), `mouse` (`on`, `off`)
    /// or `theme` (a theme's name).
    case set(option: String, value: String)
    /// `:write` (`:w`): saves the store now.
    case write
}

/// Where `:goto` goes.
public enum GotoTarget: Hashable, Sendable {
    /// This many percent (0 to 100) into the text, counted in code points, as less's `N%`.
    case percent(Int)
    /// The paragraph with this number, counted from 1, as less's `Ng` counts lines.
    case paragraph(Int)
}

/// Why a command line cannot run: a message for the status line.
public struct CommandLineError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The message: an unknown command named with a hint, or a command's usage.
    public var description: String
}

/// What completion on the command line offers besides the command names: the filter's
/// choices and the folder's files.
public struct CommandLineContext {
    /// The commands the line offers, in help order (``Action/commands(for:corpus:)``).
    public var actions: [Action]
    /// What `:filter` completes to: category ids and `category=value`, as the `f` prompt.
    public var filterChoices: [String]
    /// The entries of a folder, as typed (`""` is the working folder, `~` is home), with
    /// true for the folders among them; empty when it cannot be read.
    public var listFolder: (String) -> [(name: String, isFolder: Bool)]

    /// A context offering `actions` and `filterChoices`, listing folders with ``listFiles(in:)``.
    public init(actions: [Action], filterChoices: [String],
                listFolder: @escaping (String) -> [(name: String, isFolder: Bool)] = CommandLineContext.listFiles(in:)) {
        self.actions = actions
        self.filterChoices = filterChoices
        self.listFolder = listFolder
    }

    /// The entries of the folder `typed` names (relative to the working folder, `~`
    /// expanded), hidden ones included, at most 2,000 of them, sorted by name.
    public static func listFiles(in typed: String) -> [(name: String, isFolder: Bool)] {
        let folder = typed.isEmpty ? FileManager.default.currentDirectoryPath : CommandLineParser.expandingTilde(typed)
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return [] }
        return names.sorted().prefix(2_000).map { name in
            var isFolder: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: (folder as NSString).appendingPathComponent(name), isDirectory: &isFolder)
            return (name, isFolder.boolValue)
        }
    }
}

/// Reads and completes what is typed on the `:` command line.
public enum CommandLineParser {
    /// The formats of `:export`, as `gloss export --format` takes them.
    public static let exportFormats = ["w3c", "csv", "markdown", "html", "brat", "qdpx", "labelstudio", "jsonl"]
    /// The options of `:set`, with the values completion offers for each.
    public static let options: KeyValuePairs<String, [String]> = [
        "wrap": ["off", "60", "72", "80", "100"],
        "mouse": ["on", "off"],
        "theme": Theme.names,
    ]
    /// Commands of the command line alone, which take arguments, with their usage.
    public static let lineCommands: KeyValuePairs<String, String> = [
        "export": ":export FORMAT PATH (FORMAT: \(exportFormats.joined(separator: ", ")))",
        "filter": ":filter [CATEGORY | CATEGORY=VALUE | conflict | words of notes] (alone: clears the filter)",
        "goto": ":goto N% (into the text) or :goto N (paragraph N)",
        "set": ":set wrap N|off, :set mouse on|off, :set theme NAME",
        "write": ":write (saves now)",
    ]
    /// Short names: `:q` quits, `:w` saves, `:wq` saves and quits, `:h` shows the help.
    public static let aliases = ["q": "quit", "w": "write", "wq": "quit", "x": "quit", "h": "help"]

    /// The usage line of the command `name`, for a message.
    public static func usage(of name: String) -> String {
        "Usage: " + (lineCommands.first { $0.key == name }?.value ?? ":" + name)
    }

    /// Reads `line` (without the `:`): a command name, or an alias, then its arguments,
    /// separated by spaces; `N%` and `N` alone mean `:goto`.
    /// - Throws: ``CommandLineError`` naming an unknown command, or giving the usage of
    ///   a known one whose arguments are wrong.
    public static func parse(_ line: String, codebook: Codebook) throws(CommandLineError) -> Command {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        let name = String(trimmed.prefix { !$0.isWhitespace })
        let rest = trimmed.dropFirst(name.count).trimmingCharacters(in: .whitespaces)
        if rest.isEmpty, let target = gotoTarget(name) { return .goto(target) }
        let replacing = name == "export!"
        let command = replacing ? "export" : aliases[name] ?? name
        switch command {
        case "export":
            let format = String(rest.prefix { !$0.isWhitespace })
            let path = rest.dropFirst(format.count).trimmingCharacters(in: .whitespaces)
            guard exportFormats.contains(format.lowercased()), !path.isEmpty else { throw CommandLineError(description: usage(of: command)) }
            return .export(format: format.lowercased(), path: path, replacing: replacing)
        case "filter":
            return .filter(rest)
        case "goto":
            guard let target = gotoTarget(rest) else { throw CommandLineError(description: usage(of: command)) }
            return .goto(target)
        case "set":
            let option = String(rest.prefix { !$0.isWhitespace }).lowercased()
            let value = rest.dropFirst(option.count).trimmingCharacters(in: .whitespaces)
            guard let values = options.first(where: { $0.key == option })?.value, !value.isEmpty, !value.contains(" ") else {
                throw CommandLineError(description: usage(of: command))
            }
            switch option {
            case "wrap":
                guard value == "off" || Int(value).map({ Configuration.wrapRange.contains($0) }) == true else {
                    throw CommandLineError(description: "Usage: :set wrap N (\(Configuration.wrapRange.lowerBound) to \(Configuration.wrapRange.upperBound) columns) or :set wrap off")
                }
            case "mouse":
                guard values.contains(value.lowercased()) else { throw CommandLineError(description: "Usage: :set mouse on|off") }
            default: break
            }
            return .set(option: option, value: option == "theme" ? value : value.lowercased())
        case "write":
            guard rest.isEmpty else { throw CommandLineError(description: usage(of: command) + "; :export FORMAT PATH writes elsewhere") }
            return .write
        default:
            guard let action = Action(name: command, codebook: codebook) else {
                throw CommandLineError(description: "No command :\(ControlPictures.visible(name)); Tab lists the commands")
            }
            guard rest.isEmpty else { throw CommandLineError(description: "Usage: :\(action.name) (it takes no arguments)") }
            return .action(action)
        }
    }

    /// `N%` (0 to 100) or a paragraph number `N` (from 1); nil for anything else.
    static func gotoTarget(_ text: String) -> GotoTarget? {
        if text.hasSuffix("%"), let percent = Int(text.dropLast()), (0...100).contains(percent) { return .percent(percent) }
        if let number = Int(text), number >= 1, text.allSatisfy(\.isASCII) { return .paragraph(number) }
        return nil
    }

    /// `path` with a leading `~` or `~/` as the home folder (``ProcessEnvironment/homeFolder(environment:)``:
    /// `$HOME` when absolute), and `~NAME/` as that user's.
    public static func expandingTilde(_ path: String) -> String {
        // `~` is $HOME, as the shell and vim take it (Foundation's is the password database's)
        if path == "~" || path.hasPrefix("~/") {
            return ProcessEnvironment.homeFolder(environment: ProcessEnvironment.variables) + path.dropFirst()
        }
        return (path as NSString).expandingTildeInPath
    }

    /// What Tab completes in `text`: where the word being completed starts (characters
    /// from the start of `text`), and its candidates: command names at first, then the
    /// arguments of the command named (export formats, then files; the filter's choices;
    /// `:set`'s options, then their values). `:goto` and commands without arguments
    /// have none.
    public static func completion(for text: String, context: CommandLineContext) -> (start: Int, candidates: [String]) {
        let characters = Array(text)
        var index = 0
        while index < characters.count, characters[index].isWhitespace { index += 1 }
        let nameStart = index
        while index < characters.count, !characters[index].isWhitespace { index += 1 }
        let name = String(characters[nameStart..<index])
        guard index < characters.count else {
            let names = context.actions.map(\.name) + lineCommands.map(\.key)
            var seen = Set<String>()
            return (nameStart, names.filter { seen.insert($0).inserted })
        }
        while index < characters.count, characters[index].isWhitespace { index += 1 }
        let argumentStart = index
        let arguments = String(characters[argumentStart...])
        switch aliases[name] ?? name {
        case "filter":
            return (argumentStart, context.filterChoices)
        case "export":
            let format = arguments.prefix { !$0.isWhitespace }
            guard format.count < arguments.count else { return (argumentStart, exportFormats) }
            var pathStart = argumentStart + format.count
            while pathStart < characters.count, characters[pathStart].isWhitespace { pathStart += 1 }
            let typed = String(characters[pathStart...])
            let folder = typed.lastIndex(of: "/").map { String(typed[...$0]) } ?? ""
            let files = context.listFolder(folder)
                .filter { !$0.name.hasPrefix(".") || typed.dropFirst(folder.count).hasPrefix(".") }
                .map { folder + $0.name + ($0.isFolder ? "/" : "") }
            return (pathStart, files)
        case "set":
            let option = arguments.prefix { !$0.isWhitespace }
            guard option.count < arguments.count else { return (argumentStart, options.map(\.key)) }
            var valueStart = argumentStart + option.count
            while valueStart < characters.count, characters[valueStart].isWhitespace { valueStart += 1 }
            return (valueStart, options.first { $0.key == option.lowercased() }?.value ?? [])
        default:
            return (argumentStart, [])
        }
    }
}
