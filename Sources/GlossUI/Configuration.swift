import Foundation
import GlossCore
import TOMLKit

/// One problem found in a configuration file, reported as `FILE:LINE: problem` (as
/// compilers do) so an editor can jump to it.
public struct ConfigurationProblem: Hashable, Sendable, CustomStringConvertible {
    /// The configuration file's path.
    public var file: String
    /// The 1-based line the problem is on; nil when it concerns the whole file.
    public var line: Int?
    /// What is wrong and, where it helps, what to write instead.
    public var problem: String

    public init(file: String, line: Int?, problem: String) {
        self.file = file
        self.line = line
        self.problem = problem
    }

    /// `FILE:LINE: problem`, or `FILE: problem` without a line.
    public var description: String { line.map { "\(file):\($0): \(problem)" } ?? "\(file): \(problem)" }

    /// One status line for `problems`: the first, and how many more there are; nil for none.
    public static func summary(_ problems: [ConfigurationProblem]) -> String? {
        guard let first = problems.first else { return nil }
        let more = problems.count - 1
        // the count first: a narrow status line cuts the end of a long problem
        return (more == 0 ? "" : "\(problems.count) configuration problems (gloss config lists them); ") + first.description
    }
}

/// How wide the annotation list is when it stands beside the text (terminals of 80 columns
/// or more; below that it goes under the text and this does not apply).
public enum ListWidth: Hashable, Sendable {
    /// A third of the terminal, at least 30 columns.
    case automatic
    /// This many columns.
    case columns(Int)
    /// This share of the terminal's columns, in percent.
    case percent(Int)

    /// The narrowest list a setting gives, in columns.
    public static let minimumColumns = 20
    /// Columns a setting always leaves to the text pane and its border.
    public static let textReserve = 41

    /// The list's columns in a terminal `width` columns wide: ``automatic`` is
    /// `max(30, width / 3)`; a set width is kept between ``minimumColumns`` and what leaves
    /// the text ``textReserve`` columns.
    public func columns(forWidth width: Int) -> Int {
        let wanted: Int
        switch self {
        case .automatic: return max(30, width / 3)
        case .columns(let columns): wanted = columns
        case .percent(let percent): wanted = width * percent / 100
        }
        return max(ListWidth.minimumColumns, min(wanted, width - ListWidth.textReserve))
    }

    /// How a configuration file writes it: `0`, `40` or `"40%"`.
    public var configValue: String {
        switch self {
        case .automatic: return "0"
        case .columns(let columns): return "\(columns)"
        case .percent(let percent): return "\"\(percent)%\""
        }
    }
}

/// The `[keys]` table of a configuration file: keys by command name (``Action/name``),
/// each entry replacing all the keys of its command (see ``Keymap/rebind(_:)``).
public struct KeyBindings: Hashable, Sendable {
    /// One command and the keys it gets.
    public struct Entry: Hashable, Sendable {
        /// The command's name: `next-sentence`, `tag:actor`.
        public var command: String
        /// Its keys, in the order given (the help lists the first two).
        public var keys: [Key]
        /// The line of the configuration file that gives them, for reports.
        public var line: Int?

        public init(command: String, keys: [Key], line: Int? = nil) {
            self.command = command
            self.keys = keys
            self.line = line
        }
    }

    /// The configuration file the entries come from, for reports.
    public var file: String
    /// The entries, in the file's order.
    public var entries: [Entry]

    public init(file: String = "", entries: [Entry] = []) {
        self.file = file
        self.entries = entries
    }

    /// True when no command is rebound.
    public var isEmpty: Bool { entries.isEmpty }

    /// The keys given to `command`, nil when it keeps its defaults.
    public func keys(for command: String) -> [Key]? {
        entries.first { $0.command == command }?.keys
    }
}

/// The user's settings: the configuration file's options, each at its default until the
/// file sets it (see ``ConfigurationFile``).
public struct Configuration: Hashable, Sendable {
    /// Who new annotations are credited to, after `--author`, `--coder` and
    /// `$GLOSS_AUTHOR` (see ``author(given:coder:configured:environment:)``); nil: the
    /// login name.
    public var author: String?
    /// The codebook to use when no `--codebook` is given and no `gloss.codebook.json` is
    /// beside the document or above it, as an absolute path; nil: the bundled codebook.
    public var codebook: String?
    /// The colour theme's name, one of ``themeNames``.
    public var theme = "default"
    /// True when the reader takes the mouse (clicks, drags, the wheel).
    public var mouse = false
    /// The most columns the text wraps at (it wraps at the pane's width when that is
    /// narrower); 0: the pane's width.
    public var wrap = 0
    /// The annotation list's width beside the text.
    public var listWidth = ListWidth.automatic
    /// Keys rebound by command name.
    public var keys = KeyBindings()

    /// The themes `theme` may name.
    public static var themeNames: [String] { Theme.names }
    /// The wrap widths a file may set besides 0, in columns.
    public static let wrapRange = 10...10_000

    public init() {}

    /// What is wrong with `name` as an author (it is written into stores and exports, and
    /// drawn on terminals): a control character, or only blanks; nil when it is fine.
    public static func authorProblem(_ name: String) -> String? {
        if name.unicodeScalars.contains(where: DisplayWidth.isControl) { return "the name has a control character" }
        if name.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return "the name is empty" }
        return nil
    }

    /// The problems of the authors given on the command line (`--author`) and in
    /// `$GLOSS_AUTHOR`, each with where it was given: `--author: the name is empty`.
    public static func authorProblems(given: String?, environment: [String: String]) -> [String] {
        var problems: [String] = []
        if let given, let problem = authorProblem(given) { problems.append("--author: " + problem) }
        if let name = environment["GLOSS_AUTHOR"], !name.isEmpty, let problem = authorProblem(name) { problems.append("GLOSS_AUTHOR: " + problem) }
        return problems
    }

    /// Who new annotations and relations are credited to: `given` (`--author`), else
    /// `coder` (`--coder`), else `$GLOSS_AUTHOR` when set and not empty, else `configured`
    /// (the file's `author`), else the login name (`$USER`, `$LOGNAME`, the password
    /// database's name).
    public static func author(given: String?, coder: String?, configured: String?, environment: [String: String]) -> String {
        if let given { return given }
        if let coder { return coder }
        if let name = environment["GLOSS_AUTHOR"], !name.isEmpty { return name }
        if let configured, !configured.isEmpty { return configured }
        // a login name that would not do as --author (control characters) is passed over
        for variable in ["USER", "LOGNAME"] {
            if let name = environment[variable], !name.isEmpty { return authorProblem(name) == nil ? name : Annotation.currentAuthor }
        }
        return Annotation.currentAuthor
    }
}

/// The configuration file: where it is, and reading it into a ``Configuration`` with a
/// report of every problem by line (TOML 1.0, read with TOMLKit).
///
/// A problem in one option leaves that option at its default and the rest of the file
/// applies; a TOML syntax error leaves every option at its default.
public enum ConfigurationFile {
    /// The file read, its settings, and what was wrong in it.
    public struct Loaded: Sendable {
        /// The path read (or looked for).
        public var path: String
        /// True when the file exists.
        public var exists: Bool
        /// The settings: the defaults, changed by what the file sets.
        public var configuration: Configuration
        /// Every problem found, in line order.
        public var problems: [ConfigurationProblem]
    }

    /// The configuration file's path: `$GLOSS_CONFIG` when set and not empty (named: it
    /// must exist), else `$XDG_CONFIG_HOME/gloss/config.toml` when that variable holds an
    /// absolute path (as the XDG base directory specification asks), else
    /// `$HOME/.config/gloss/config.toml` (on macOS too); the home folder is the password
    /// database's when `$HOME` is not set.
    public static func location(environment: [String: String]) -> (path: String, named: Bool) {
        if let named = environment["GLOSS_CONFIG"], !named.isEmpty { return (named, true) }
        if let base = ProcessEnvironment.baseDirectory("XDG_CONFIG_HOME", environment: environment) {
            return (base + "/gloss/config.toml", false)
        }
        return (homeFolder(environment: environment) + "/.config/gloss/config.toml", false)
    }

    /// The user's home folder: `$HOME`, else the password database's, else `/`.
    static func homeFolder(environment: [String: String]) -> String {
        ProcessEnvironment.homeFolder(environment: environment)
    }

    /// Reads the configuration file ``location(environment:)`` gives. A file that is not
    /// there gives the defaults with no problem, unless `$GLOSS_CONFIG` named it.
    public static func load(environment: [String: String]) -> Loaded {
        let (path, named) = location(environment: environment)
        return load(path: path, mustExist: named, environment: environment)
    }

    /// Reads the configuration file at `path`: the defaults with the problem reported when
    /// it cannot be read (missing is a problem only with `mustExist`).
    public static func load(path: String, mustExist: Bool = true, environment: [String: String] = [:]) -> Loaded {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            let problems = mustExist ? [ConfigurationProblem(file: path, line: nil, problem: "no such file")] : []
            return Loaded(path: path, exists: false, configuration: Configuration(), problems: problems)
        }
        func unusable(_ problem: String) -> Loaded {
            Loaded(path: path, exists: true, configuration: Configuration(),
                   problems: [ConfigurationProblem(file: path, line: nil, problem: problem + "; the defaults apply")])
        }
        if isDirectory.boolValue { return unusable("a folder, not a file") }
        let data: Data
        do {
            data = try RegularFile.data(path)
        } catch {
            return unusable("cannot be read (\(Document.reason(for: error, path: path)))")
        }
        guard let text = String(data: data, encoding: .utf8) else { return unusable("not UTF-8 text") }
        // the TOML reader stops at a NUL, which would hide the rest of the file
        if let nul = data.firstIndex(of: 0) {
            let line = data[..<nul].reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
            return Loaded(path: path, exists: true, configuration: Configuration(),
                          problems: [ConfigurationProblem(file: path, line: line, problem: "a NUL byte, which TOML text cannot hold; the defaults apply")])
        }
        let (configuration, problems) = parse(text, file: path, environment: environment)
        return Loaded(path: path, exists: true, configuration: configuration, problems: problems)
    }

    /// The options a file may set, in the order ``defaultsText(codebook:codebookPath:)``
    /// lists them.
    public static let optionNames = ["author", "codebook", "theme", "mouse", "wrap", "list-width", "keys"]

    /// The settings `text` (a configuration file's content) gives, and its problems in
    /// line order; `file` names the file in reports, and a relative `codebook` is taken
    /// from the file's folder. `environment` gives `$HOME` for `~`.
    public static func parse(_ text: String, file: String, environment: [String: String] = [:]) -> (Configuration, [ConfigurationProblem]) {
        var configuration = Configuration()
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            return (configuration, [ConfigurationProblem(file: file, line: error.source.begin.line,
                                                         problem: "\(error.description); the file is not used, the defaults apply")])
        } catch {
            return (configuration, [ConfigurationProblem(file: file, line: nil, problem: "\(error); the defaults apply")])
        }
        let lines = KeyLines(text)
        var problems: [ConfigurationProblem] = []
        func report(_ path: [String], _ problem: String) {
            problems.append(ConfigurationProblem(file: file, line: lines.line(of: path), problem: problem))
        }
        for (name, value) in table {
            switch name {
            case "author":
                guard let author = value.string else { report([name], wrongType(name, expected: "a string", value)); continue }
                if author.unicodeScalars.contains(where: DisplayWidth.isControl) {
                    report([name], "author: the name has a control character")
                } else if !author.isEmpty && author.trimmingCharacters(in: .whitespaces).isEmpty {
                    report([name], "author: the name is blank (write \"\" for your login name)")
                } else {
                    configuration.author = author.isEmpty ? nil : author
                }
            case "codebook":
                guard let path = value.string else { report([name], wrongType(name, expected: "a string (a file's path)", value)); continue }
                guard !path.isEmpty else { continue }
                let full = expand(path, relativeTo: URL(fileURLWithPath: file).deletingLastPathComponent().path, environment: environment)
                var info = stat()
                if stat(full, &info) != 0 {
                    report([name], "codebook: no such file \(full); the bundled codebook is used")
                } else if info.st_mode & S_IFMT == S_IFDIR {
                    report([name], "codebook: \(full) is a folder; name the codebook's JSON file")
                } else if info.st_mode & S_IFMT != S_IFREG {
                    // a FIFO would block every command that reads the codebook
                    report([name], "codebook: \(full) is not a regular file (\(RegularFile.kindName(ofMode: info.st_mode))); the bundled codebook is used")
                } else {
                    configuration.codebook = full
                }
            case "theme":
                guard let theme = value.string else { report([name], wrongType(name, expected: "a string", value)); continue }
                if Configuration.themeNames.contains(theme) {
                    configuration.theme = theme
                } else {
                    report([name], "theme: no theme \"\(visible(theme))\"; use one of \(Configuration.themeNames.map { "\"\($0)\"" }.joined(separator: ", "))")
                }
            case "mouse":
                guard let mouse = value.bool else { report([name], wrongType(name, expected: "true or false", value)); continue }
                configuration.mouse = mouse
            case "wrap":
                guard let wrap = value.int else { report([name], wrongType(name, expected: "a whole number of columns", value)); continue }
                if wrap == 0 || Configuration.wrapRange.contains(wrap) {
                    configuration.wrap = wrap
                } else {
                    report([name], "wrap: \(wrap) columns; give 0 (the pane's width) or \(Configuration.wrapRange.lowerBound) to \(Configuration.wrapRange.upperBound)")
                }
            case "list-width":
                switch listWidth(value) {
                case .success(let width): configuration.listWidth = width
                case .failure(let problem): report([name], problem.message)
                }
            case "keys":
                guard let keys = value.table else { report([name], wrongType(name, expected: "a table ([keys])", value)); continue }
                configuration.keys = keyBindings(keys, file: file, lines: lines, report: report)
            default:
                report([name], "unknown option \"\(visible(name))\"" + suggestion(for: name, among: optionNames))
            }
        }
        problems.sort { ($0.line ?? 0) < ($1.line ?? 0) }
        return (configuration, problems)
    }

    /// A problem with a value, as a message.
    struct ValueProblem: Error {
        var message: String
    }

    /// `list-width`'s value: 0 (automatic), columns, or a percentage in a string.
    static func listWidth(_ value: TOMLValueConvertible) -> Result<ListWidth, ValueProblem> {
        let columnsRange = ListWidth.minimumColumns...1_000, percentRange = 10...90
        if let columns = value.int {
            if columns == 0 { return .success(.automatic) }
            guard columnsRange.contains(columns) else {
                return .failure(ValueProblem(message: "list-width: \(columns) columns; give 0 (a third of the width), \(columnsRange.lowerBound) to \(columnsRange.upperBound) columns, or a share such as \"40%\""))
            }
            return .success(.columns(columns))
        }
        if let text = value.string, text.hasSuffix("%"), let percent = Int(text.dropLast().trimmingCharacters(in: .whitespaces)) {
            guard percentRange.contains(percent) else {
                return .failure(ValueProblem(message: "list-width: \(percent)%; give a share from \(percentRange.lowerBound)% to \(percentRange.upperBound)%"))
            }
            return .success(.percent(percent))
        }
        return .failure(ValueProblem(message: "list-width: expected columns (a whole number) or a share such as \"40%\", found \(describe(value))"))
    }

    /// The `[keys]` table's entries, in line order, each checked: a known command (a
    /// `tag:ID` is checked against the codebook when a keymap is built), a list of key
    /// names, keys the command's modes can take.
    static func keyBindings(_ table: TOMLTable, file: String, lines: KeyLines,
                            report: ([String], String) -> Void) -> KeyBindings {
        let keymap = Keymap(codebook: Codebook(name: "", categories: []), corpus: true)
        let commands = Set(Action.commands(for: Codebook(name: "", categories: []), corpus: true).map(\.name))
        var entries: [KeyBindings.Entry] = []
        for (command, value) in table {
            let path = ["keys", command]
            let shown = visible(command)
            if command.hasPrefix("tag:") {
                guard command.count > 4 else { report(path, "\"tag:\" names no category; write \"tag:ID\" with a category's id"); continue }
            } else if !commands.contains(command) {
                report(path, "unknown command \"\(shown)\"" + suggestion(for: command, among: commands.sorted()) + " (gloss config --print-defaults lists them)")
                continue
            }
            let names: [TOMLValueConvertible]
            if let array = value.array {
                names = Array(array)
            } else if value.string != nil {
                names = [value]
            } else {
                report(path, "\(shown): expected a list of key names such as [\"j\", \"Down\"], found \(describe(value))")
                continue
            }
            var keys: [Key] = []
            var bad = false
            for name in names {
                guard let text = name.string else {
                    report(path, "\(shown): expected key names (strings), found \(describe(name))")
                    bad = true
                    continue
                }
                do {
                    let key = try Key(configName: text)
                    if !keys.contains(key) { keys.append(key) }
                } catch {
                    report(path, "\(shown): \(error)")
                    bad = true
                }
            }
            // a command's keys are replaced whole: with a bad name among them it keeps its defaults
            if bad { continue }
            let rows = keymap.bindings.filter { $0.action.name == command }
            if rows.contains(where: { $0.modes.contains(.editor) }),
               let typed = keys.first(where: { if case .control = $0 { return false }; if case .alt = $0 { return false }; return $0 != .escape }) {
                report(path, "\(shown): \"\(typed.configName)\" would be typed into the note editor; give Ctrl-X, Alt-X or Esc keys")
                continue
            }
            if keys.isEmpty && command == Action.quit.name {
                report(path, "quit: give it a key at least; the defaults are kept")
                continue
            }
            entries.append(KeyBindings.Entry(command: command, keys: keys, line: lines.line(of: path)))
        }
        entries.sort { ($0.line ?? Int.max) < ($1.line ?? Int.max) }
        return KeyBindings(file: file, entries: entries)
    }

    /// `path` with `~` or `~/` meaning the home folder and a relative path taken from `folder`.
    static func expand(_ path: String, relativeTo folder: String, environment: [String: String]) -> String {
        let home = homeFolder(environment: environment.isEmpty ? ProcessInfo.processInfo.environment : environment)
        var full = path
        if path == "~" {
            full = home
        } else if path.hasPrefix("~/") {
            full = home + path.dropFirst(1)
        } else if !path.hasPrefix("/") {
            full = folder + "/" + path
        }
        return URL(fileURLWithPath: full).standardizedFileURL.path
    }

    /// "option: expected …, found …".
    static func wrongType(_ name: String, expected: String, _ value: TOMLValueConvertible) -> String {
        "\(name): expected \(expected), found \(describe(value))"
    }

    /// How a value's type is named in reports: `a string`, `an integer`.
    static func describe(_ value: TOMLValueConvertible) -> String {
        switch value.type {
        case .string: return "a string"
        case .int: return "an integer"
        case .double: return "a decimal number"
        case .bool: return "a boolean"
        case .array: return "a list"
        case .table: return "a table"
        case .date, .time, .dateTime: return "a date or time"
        }
    }

    /// `text` with control characters shown as pictures, for reports on a terminal.
    static func visible(_ text: String) -> String { ControlPictures.visible(text) }

    /// "; did you mean X?" for the candidate nearest `name`, when one is a typo away.
    static func suggestion(for name: String, among candidates: [String]) -> String {
        let scored = candidates.map { ($0, editDistance(name.lowercased(), $0)) }.filter { $0.1 <= max(1, min(3, name.count / 3)) }
        guard let best = scored.min(by: { $0.1 < $1.1 }) else { return "" }
        return "; did you mean \"\(best.0)\"?"
    }

    /// Levenshtein distance between `a` and `b`, over characters.
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}

/// The line each key of a TOML text is defined on, found by reading the text (TOMLKit
/// gives lines for syntax errors only). Knows `[table]` headers, dotted and quoted keys;
/// a key it cannot place gets its table's line, else none.
struct KeyLines {
    private var lines: [[String]: Int] = [:]

    init(_ text: String) {
        var table: [String] = []
        // "\r\n" is one Character in Swift: a CRLF file splits on it too
        for (index, line) in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }).enumerated() {
            var rest = line.drop { $0 == " " || $0 == "\t" }
            if rest.first == "[" {
                rest = rest.drop { $0 == "[" }
                guard let (path, after) = KeyLines.keyPath(rest), after.first == "]" else { continue }
                table = path
                if lines[path] == nil { lines[path] = index + 1 }
                continue
            }
            guard let (path, after) = KeyLines.keyPath(rest), after.first == "=" else { continue }
            let full = table + path
            // a dotted key defines its parents too
            for length in 1...full.count where lines[Array(full.prefix(length))] == nil {
                lines[Array(full.prefix(length))] = index + 1
            }
        }
    }

    /// The line of `path` (`["keys", "tag:actor"]`), else of its nearest parent that has one.
    func line(of path: [String]) -> Int? {
        var path = path
        while !path.isEmpty {
            if let line = lines[path] { return line }
            path.removeLast()
        }
        return nil
    }

    /// A dotted key at the start of `text` (bare, "basic" or 'literal' parts) and what
    /// follows it, blanks skipped; nil when `text` does not start with a key.
    static func keyPath(_ text: Substring) -> ([String], Substring)? {
        var rest = text
        var path: [String] = []
        func skipBlanks() { rest = rest.drop { $0 == " " || $0 == "\t" } }
        while true {
            skipBlanks()
            guard let first = rest.first else { return nil }
            if first == "\"" || first == "'" {
                var part = ""
                var index = rest.index(after: rest.startIndex)
                var closed = false
                while index < rest.endIndex {
                    let character = rest[index]
                    if character == first { closed = true; break }
                    if character == "\\" && first == "\"" {
                        index = rest.index(after: index)
                        guard index < rest.endIndex else { break }
                        let escaped = rest[index]
                        part.append(["n": "\n", "t": "\t", "\"": "\"", "\\": "\\"][escaped] ?? escaped)
                    } else {
                        part.append(character)
                    }
                    index = rest.index(after: index)
                }
                guard closed else { return nil }
                path.append(part)
                rest = rest[rest.index(after: index)...]
            } else {
                let bare = rest.prefix { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
                guard !bare.isEmpty else { return nil }
                path.append(String(bare))
                rest = rest.dropFirst(bare.count)
            }
            skipBlanks()
            guard rest.first == "." else { return (path, rest) }
            rest = rest.dropFirst()
        }
    }
}
