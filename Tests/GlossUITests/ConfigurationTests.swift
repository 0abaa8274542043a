import Foundation
import Testing
@testable import GlossUI
import GlossCore

/// The configuration file: reading it with its problems by line, the keys it rebinds (in
/// the keymap and the help), the wrap and list widths it sets, and the author's precedence.
@Suite struct ConfigurationTests {
    static let file = "/home/someone/.config/gloss/config.toml"

    func parse(_ text: String, environment: [String: String] = ["HOME": "/home/someone"]) -> (Configuration, [ConfigurationProblem]) {
        ConfigurationFile.parse(text, file: Self.file, environment: environment)
    }

    // MARK: - Defaults

    @Test("--print-defaults reads back as the defaults, with no problem and the same key table")
    func printedDefaultsReadBack() throws {
        let text = ConfigurationFile.defaultsText(codebook: Fixture.codebook, codebookPath: "/team/gloss.codebook.json")
        let (configuration, problems) = parse(text)
        #expect(problems == [], "\(problems.map(\.description))")
        var withoutKeys = configuration
        withoutKeys.keys = KeyBindings()
        #expect(withoutKeys == Configuration())
        // every command is listed, a corpus's and each category's tag too
        let commands = Action.commands(for: Fixture.codebook, corpus: true).map(\.name)
        #expect(configuration.keys.entries.map(\.command).sorted() == commands.sorted())
        for option in ConfigurationFile.optionNames where option != "keys" {
            #expect(text.contains("\n\(option) = "), "\(option) is not printed")
        }
        #expect(text.contains("\n\"tag:actor\" = [\"a\"]  # tag as actor\n"))
        #expect(text.contains("\nnext-sentence = [\"j\", \"Down\"]  # next sentence\n"))
        // laid over the defaults, the listed keys change nothing, in a corpus or not
        for corpus in [false, true] {
            let rebound = Keymap(codebook: Fixture.codebook, corpus: corpus, keys: configuration.keys)
            #expect(rebound.bindings == Keymap(codebook: Fixture.codebook, corpus: corpus).bindings)
            var keymap = Keymap(codebook: Fixture.codebook, corpus: corpus)
            #expect(keymap.rebind(configuration.keys) == [])
        }
    }

    @Test("every option set to another value is read")
    func everyOptionIsRead() throws {
        let codebook = FileManager.default.temporaryDirectory.appendingPathComponent("config-codebook-\(UUID().uuidString).json")
        try Data("{}".utf8).write(to: codebook)
        defer { try? FileManager.default.removeItem(at: codebook) }
        let (configuration, problems) = parse("""
        author = "Ada Lovelace"
        codebook = "\(codebook.path)"
        theme = "high-contrast"
        mouse = true
        wrap = 72
        list-width = "40%"

        [keys]
        "tag:actor" = ["A", "Ctrl-A"]
        help = "F"
        """)
        #expect(problems == [])
        #expect(configuration.author == "Ada Lovelace")
        #expect(configuration.codebook == codebook.path)
        #expect(configuration.theme == "high-contrast")
        #expect(configuration.mouse)
        #expect(configuration.wrap == 72)
        #expect(configuration.listWidth == .percent(40))
        #expect(configuration.keys.entries == [
            KeyBindings.Entry(command: "tag:actor", keys: [.character("A"), .control("a")], line: 9),
            KeyBindings.Entry(command: "help", keys: [.character("F")], line: 10),
        ])
        #expect(parse("list-width = 50").0.listWidth == .columns(50))
        #expect(parse("list-width = 0").0.listWidth == .automatic)
    }

    // MARK: - Problems

    @Test("unknown options, commands and key names, wrong types and bad values are reported by line; the rest applies")
    func problemsByLineAndTheRestApplies() {
        let (configuration, problems) = parse("""
        # settings
        wrapp = 72
        wrap = 60
        theme = "neon"
        mouse = "yes"
        author = "Grace"
        list-width = 5

        [keys]
        next-sentance = ["n"]
        "tag:actor" = ["A"]
        help = ["F1"]
        previous-sentence = ["k", "5"]
        save-note = ["s"]
        quit = []
        """)
        let byLine = Dictionary(grouping: problems, by: { $0.line ?? 0 }).mapValues { $0.map(\.problem) }
        #expect(problems.allSatisfy { $0.file == Self.file })
        #expect(problems.map(\.line) == [2, 4, 5, 7, 10, 12, 13, 14, 15])
        #expect(byLine[2] == ["unknown option \"wrapp\"; did you mean \"wrap\"?"])
        #expect(byLine[4]?.first?.hasPrefix("theme: no theme \"neon\"; use one of \"default\", \"high-contrast\", \"monochrome\"") == true)
        #expect(byLine[5] == ["mouse: expected true or false, found a string"])
        #expect(byLine[7]?.first?.hasPrefix("list-width: 5 columns") == true)
        #expect(byLine[10]?.first?.hasPrefix("unknown command \"next-sentance\"; did you mean \"next-sentence\"?") == true)
        #expect(byLine[12]?.first?.hasPrefix("help: unknown key name \"F1\"") == true)
        #expect(byLine[13] == ["previous-sentence: key \"5\": digits are counts (5j), not keys"])
        #expect(byLine[14]?.first?.contains("would be typed into the note editor") == true)
        #expect(byLine[15]?.first?.hasPrefix("quit: give it a key") == true)
        #expect(problems.first?.description == "\(Self.file):2: unknown option \"wrapp\"; did you mean \"wrap\"?")
        // the rest applies
        #expect(configuration.wrap == 60)
        #expect(configuration.author == "Grace")
        #expect(configuration.theme == "default" && configuration.mouse == false && configuration.listWidth == .automatic)
        #expect(configuration.keys.entries.map(\.command) == ["tag:actor"])
    }

    @Test("a TOML syntax error is reported with its line and every option keeps its default")
    func syntaxErrorGivesDefaults() throws {
        let (configuration, problems) = parse("wrap = 72\n\nauthor = \"unclosed\n")
        #expect(configuration == Configuration())
        let problem = try #require(problems.first)
        #expect(problems.count == 1)
        #expect(problem.line == 3)
        #expect(problem.problem.hasSuffix("the defaults apply"))
    }

    @Test("keys in dotted form, inline tables and quoted names get the right lines")
    func linesOfDottedAndQuotedKeys() {
        let (_, problems) = parse("""
        [keys]
        'tag:' = ["x"]
          "bad\\"name"  = ["y"]
        """)
        #expect(problems.map(\.line) == [2, 3])
        let dotted = parse("wrap = 0\nkeys.nope = [\"x\"]\n").1
        #expect(dotted.map(\.line) == [2])
        let inline = parse("author = \"x\"\nkeys = { nope = [\"x\"] }\n").1
        #expect(inline.map(\.line) == [2])
    }

    @Test("a missing file is no problem unless named; a folder or a file not in UTF-8 is reported")
    func missingAndUnreadableFiles() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gloss-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let missing = folder.appendingPathComponent("config.toml").path
        #expect(ConfigurationFile.load(path: missing, mustExist: false).problems == [])
        #expect(ConfigurationFile.load(path: missing, mustExist: false).exists == false)
        #expect(ConfigurationFile.load(path: missing).problems.map(\.description) == ["\(missing): no such file"])
        #expect(ConfigurationFile.load(path: folder.path).problems.first?.problem.hasPrefix("a folder, not a file") == true)
        let latin1 = folder.appendingPathComponent("latin1.toml")
        try Data([0x61, 0x75, 0x74, 0x68, 0x6F, 0x72, 0x20, 0x3D, 0x20, 0x22, 0xE9, 0x22]).write(to: latin1)
        #expect(ConfigurationFile.load(path: latin1.path).problems.first?.problem.hasPrefix("not UTF-8 text") == true)
        let good = folder.appendingPathComponent("good.toml")
        try Data("wrap = 80\n".utf8).write(to: good)
        let loaded = ConfigurationFile.load(path: good.path)
        #expect(loaded.exists && loaded.problems == [] && loaded.configuration.wrap == 80)
        // a FIFO is refused at once instead of blocking; a device says what it is
        let fifo = folder.appendingPathComponent("fifo.toml")
        #expect(mkfifo(fifo.path, 0o600) == 0)
        #expect(ConfigurationFile.load(path: fifo.path).problems.map(\.problem) == ["cannot be read (not a regular file (a FIFO or pipe)); the defaults apply"])
        #expect(ConfigurationFile.load(path: "/dev/null").problems.map(\.problem) == ["cannot be read (not a regular file (a character device)); the defaults apply"])
        // a codebook the file names that is a FIFO is a problem on its line; the bundled codebook is used
        let codebookFIFO = folder.appendingPathComponent("cb.json")
        #expect(mkfifo(codebookFIFO.path, 0o600) == 0)
        let naming = folder.appendingPathComponent("naming.toml")
        try Data("\ncodebook = \"cb.json\"\n".utf8).write(to: naming)
        let named = ConfigurationFile.load(path: naming.path)
        #expect(named.configuration.codebook == nil)
        #expect(named.problems.map(\.line) == [2] && named.problems.first?.problem.contains("is not a regular file (a FIFO or pipe)") == true)
        // a NUL would stop the TOML reader and hide the lines after it
        let nul = folder.appendingPathComponent("nul.toml")
        try Data("wrap = 80\nauthor = \"x\"\u{0}\ntheme = \"neon\"\n".utf8).write(to: nul)
        let withNUL = ConfigurationFile.load(path: nul.path)
        #expect(withNUL.problems.map(\.line) == [2] && withNUL.configuration.wrap == 0)
        // CRLF line ends keep the lines' numbers
        let crlf = folder.appendingPathComponent("crlf.toml")
        try Data("theme = \"neon\"\r\nwrap = 5\r\n".utf8).write(to: crlf)
        #expect(ConfigurationFile.load(path: crlf.path).problems.map(\.line) == [1, 2])
    }

    @Test("the file is GLOSS_CONFIG, else under an absolute XDG_CONFIG_HOME, else under HOME")
    func location() {
        #expect(ConfigurationFile.location(environment: ["GLOSS_CONFIG": "/x/my.toml", "XDG_CONFIG_HOME": "/xdg", "HOME": "/h"]) == ("/x/my.toml", true))
        #expect(ConfigurationFile.location(environment: ["GLOSS_CONFIG": "", "XDG_CONFIG_HOME": "/xdg", "HOME": "/h"]) == ("/xdg/gloss/config.toml", false))
        #expect(ConfigurationFile.location(environment: ["XDG_CONFIG_HOME": "relative", "HOME": "/h"]) == ("/h/.config/gloss/config.toml", false))
        #expect(ConfigurationFile.location(environment: ["HOME": "/h"]) == ("/h/.config/gloss/config.toml", false))
    }

    @Test("codebook: ~ is the home folder, a relative path starts at the file's folder, a missing file is reported")
    func codebookPaths() throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("gloss-home-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home.appendingPathComponent(".config/gloss"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: home) }
        try Data("{}".utf8).write(to: home.appendingPathComponent("codes.json"))
        try Data("{}".utf8).write(to: home.appendingPathComponent(".config/gloss/team.json"))
        let file = home.appendingPathComponent(".config/gloss/config.toml").path
        let environment = ["HOME": home.path]
        let tilde = ConfigurationFile.parse("codebook = \"~/codes.json\"", file: file, environment: environment)
        #expect(tilde.1 == [] && tilde.0.codebook == home.appendingPathComponent("codes.json").standardizedFileURL.path)
        let relative = ConfigurationFile.parse("codebook = \"team.json\"", file: file, environment: environment)
        #expect(relative.1 == [] && relative.0.codebook == home.appendingPathComponent(".config/gloss/team.json").standardizedFileURL.path)
        let missing = ConfigurationFile.parse("\ncodebook = \"~/nothing.json\"", file: file, environment: environment)
        #expect(missing.0.codebook == nil)
        #expect(missing.1.map(\.line) == [2] && missing.1.first?.problem.hasPrefix("codebook: no such file") == true)
    }

    // MARK: - Key names

    @Test("every key the default table uses reads back from its label and its config name")
    func keyNamesReadBack() throws {
        let keys = Set(Keymap(codebook: Fixture.codebook, corpus: true).bindings.flatMap(\.keys))
        for key in keys {
            #expect(try Key(configName: key.label) == key, "\(key.label)")
            #expect(try Key(configName: key.configName) == key, "\(key.configName)")
        }
        #expect(try Key(configName: "space") == .character(" "))
        #expect(try Key(configName: "ESC") == .escape)
        #expect(try Key(configName: "pgdn") == .pageDown)
        #expect(try Key(configName: "ctrl-n") == .control("n"))
        #expect(try Key(configName: "Ctrl-N") == .control("n"))
        #expect(try Key(configName: "Alt-b") == .alt("b"))
        #expect(try Key(configName: "A") == .character("A"))
        #expect(try Key(configName: "a") == .character("a"))
        #expect(try Key(configName: "Home") == .home && Key(configName: "Shift-Tab") == .backTab)
        // Ctrl-Z suspends; a character of several code points never arrives as one key
        for bad in ["Dwn", "Ctrl-I", "Ctrl-M", "Ctrl-1", "7", "\u{7}", "", "Alt- ", "F1", "Ctrl-Z", "ctrl-z", "e\u{301}", "👨‍🔧", "Alt-e\u{301}"] {
            #expect(throws: KeyNameError.self, "\(bad) should be refused") { try Key(configName: bad) }
        }
    }

    // MARK: - Rebinding

    func bindings(_ text: String) -> KeyBindings {
        let (configuration, problems) = parse(text)
        #expect(problems == [])
        return configuration.keys
    }

    @Test("tag:actor rebound to A: A tags as actor, a no longer does, the help lists A, the rest keeps its keys")
    func tagKeyRebound() {
        var keymap = Keymap(codebook: Fixture.codebook)
        let problems = keymap.rebind(bindings("[keys]\n\"tag:actor\" = [\"A\"]"))
        #expect(problems == [])
        for mode in Keymap.tagModes {
            #expect(keymap.action(for: .character("A"), in: mode) == .tag(category: "actor"))
            #expect(keymap.action(for: .character("a"), in: mode) == nil)
        }
        // the codebook view's `A` and `a` are untouched
        #expect(keymap.action(for: .character("A"), in: .codebook) == .codebookAddCategory)
        #expect(keymap.action(for: .character("a"), in: .codebook) == .codebookAddValue)
        #expect(keymap.helpRows.contains { $0.keys == "A" && $0.description == "tag as actor" })
        #expect(!keymap.helpRows.contains { $0.keys == "a" && $0.description == "tag as actor" })
        let untouched = Keymap(codebook: Fixture.codebook).bindings.filter { $0.action != .tag(category: "actor") }
        #expect(keymap.bindings.filter { $0.action != .tag(category: "actor") } == untouched)
    }

    @Test("a key given to one command is taken from the others in its modes; one left keyless is reported")
    func keyTakenFromOtherCommands() {
        var keymap = Keymap(codebook: Fixture.codebook)
        let problems = keymap.rebind(bindings("\n[keys]\nnext-sentence = [\"x\", \"Down\"]\n"))
        #expect(keymap.action(for: .character("x"), in: .reading) == .nextSentence)
        #expect(keymap.action(for: .character("x"), in: .list) == nil)
        #expect(keymap.action(for: .character("j"), in: .reading) == nil)
        // the detail view's x removes a tag still: next-sentence does not work there
        #expect(keymap.action(for: .character("x"), in: .detail) == .removeTag)
        #expect(problems.map(\.line) == [3])
        #expect(problems.first?.problem == "\"x\" now does next-sentence in reading mode, so delete-annotation (delete annotation here) has no key left there; give it one in [keys]")
        // a key given to a command that works in several modes is taken in each
        var help = Keymap(codebook: Fixture.codebook)
        #expect(help.rebind(bindings("[keys]\nhelp = [\"h\"]")).count == 0)
        #expect(help.action(for: .character("h"), in: .selecting) == .showHelp)
        #expect(help.action(for: .left, in: .selecting) == .extendByGraphemeBackward)
    }

    @Test("two entries giving one key in the same modes: the first line keeps it, the later is reported")
    func twoEntriesOneKey() {
        var keymap = Keymap(codebook: Fixture.codebook)
        let problems = keymap.rebind(bindings("[keys]\ndelete-annotation = [\"x\"]\nnext-sentence = [\"x\"]\n"))
        #expect(keymap.action(for: .character("x"), in: .reading) == .deleteAnnotation)
        #expect(problems.map(\.line) == [3])
        #expect(problems.first?.problem.hasPrefix("\"x\" is given to delete-annotation on line 2 in reading mode, which keeps it") == true)
        var reversed = Keymap(codebook: Fixture.codebook)
        let later = reversed.rebind(bindings("[keys]\nnext-sentence = [\"x\"]\ndelete-annotation = [\"x\"]\n"))
        #expect(reversed.action(for: .character("x"), in: .reading) == .nextSentence)
        #expect(later.map(\.line) == [3])
    }

    @Test("quit left with no key by keys given elsewhere keeps its default keys, and the file is told")
    func quitAlwaysKeepsAKey() {
        var keymap = Keymap(codebook: Fixture.codebook)
        let problems = keymap.rebind(bindings("[keys]\nnext-sentence = [\"j\"]\ncommand-line = [\"j\"]\nquit = [\"j\"]\n"))
        #expect(keymap.action(for: .character("q"), in: .reading) == .quit)
        #expect(keymap.action(for: .control("c"), in: .reading) == .quit)
        #expect(keymap.action(for: .character("j"), in: .reading) == .nextSentence)
        #expect(problems.contains { $0.line == 4 && $0.problem == "quit would have no key left; it keeps q Ctrl-C" }, "\(problems)")
    }

    @Test("a tag:ID for a category the codebook does not have is reported against it")
    func unknownCategory() {
        var keymap = Keymap(codebook: Fixture.codebook)
        let problems = keymap.rebind(bindings("[keys]\n\"tag:actr\" = [\"A\"]"))
        #expect(problems.map(\.description) == ["\(Self.file):2: tag:actr: the codebook has no category \"actr\""])
        #expect(keymap.bindings == Keymap(codebook: Fixture.codebook).bindings)
    }

    @Test("the codebook's key check follows the rebinding: a freed key can tag, a rebound category is not checked")
    func codebookConflictsWithRebinding() {
        let codebook = Codebook(name: "x", categories: [Category(id: "extra", label: "Extra", key: "x", color: "red", description: "", values: [])])
        #expect(Keymap.conflicts(in: codebook, keys: KeyBindings()).first?.description == "delete annotation here")
        // x deletes in the text and the list, and removes a tag in the detail view: both must go
        #expect(Keymap.conflicts(in: codebook, keys: bindings("[keys]\ndelete-annotation = [\"X\"]")).first?.description == "detail: remove the tag")
        #expect(Keymap.conflicts(in: codebook, keys: bindings("[keys]\ndelete-annotation = [\"X\"]\nremove-tag = [\"X\"]")).isEmpty)
        #expect(Keymap.conflicts(in: codebook, keys: bindings("[keys]\n\"tag:extra\" = [\"E\"]")).isEmpty)
        let taken = Codebook(name: "x", categories: [Category(id: "evidence", label: "Evidence", key: "e", color: "red", description: "", values: [])])
        #expect(Keymap.conflicts(in: taken, keys: bindings("[keys]\nhelp = [\"e\"]")).first?.description == "this help (as your configuration binds it)")
    }

    // MARK: - The reader

    @Test("the reader with tag:actor on A: A tags, a does nothing, and the help overlay shows A")
    func readerUsesReboundKeys() throws {
        var state = try Fixture.seedState(width: 120, height: 40)
        #expect(state.rebindKeys(bindings("[keys]\n\"tag:actor\" = [\"A\"]")) == [])
        // the empty list's hint names the tag keys as bound
        let hint = Renderer.render(state).lines
        #expect(hint.contains { $0.contains("│   A  Actor") })
        #expect(!hint.contains { $0.contains("│   a  Actor") })
        state.press(.character("a"))
        #expect(state.prompt == nil)
        #expect(state.message == "a does nothing here; ? lists the keys")
        state.press(.character("A"))
        #expect(state.mode == .prompt && state.prompt?.label.hasPrefix("Actor") == true)
        state.press(.escape)
        state.press(.character("?"))
        let lines = Renderer.render(state).lines
        let row = try #require(lines.first { $0.contains("tag as actor") })
        let before = row[..<row.range(of: "tag as actor")!.lowerBound].trimmingCharacters(in: .whitespaces)
        #expect(before.hasSuffix(" A") || before == "A", "the help's key for tagging as actor is not A: |\(row)|")
        // rebuilding the table (a category added) keeps the rebinding
        state.takeCodebook(try JSONValue(encoding: Fixture.codebook))
        #expect(state.keymap.action(for: .character("A"), in: .reading) == .tag(category: "actor"))
        state.joinCorpus()
        #expect(state.keymap.action(for: .character("A"), in: .reading) == .tag(category: "actor"))
    }

    @Test("a corpus's lists take the rebound keys, and its document list shows the file's problems")
    func corpusListsRebound() throws {
        let folder = try CorpusFolder()
        defer { folder.cleanUp() }
        try folder.write("One sentence here.\n", to: "a.txt")
        try folder.write("Another sentence.\n", to: "b.txt")
        var corpus = try folder.corpus()
        let (configuration, problems) = parse("nope = 1\n[keys]\nset-status = [\"T\"]\ndocument-list = [\"L\"]\n")
        #expect(corpus.rebindKeys(configuration.keys) == [])
        #expect(corpus.keymap.action(for: .character("T"), in: .documents) == .setStatus)
        #expect(corpus.keymap.action(for: .character("s"), in: .documents) == nil)
        #expect(corpus.keymap.action(for: .character("L"), in: .annotations) == .documentList)
        #expect(corpus.keymap.action(for: .character("L"), in: .reading) == .documentList)
        corpus.report(configurationProblems: problems)
        #expect(Renderer.render(corpus).lines.contains { $0.contains("config.toml:1: unknown option \"nope\"") })
    }

    @Test("configuration problems show in the status line, after a message already there")
    func problemsInStatusLine() throws {
        var state = try Fixture.seedState(width: 120, height: 40)
        let problems = parse("a = 1\nb = 2").1
        state.report(configurationProblems: problems)
        #expect(state.message == "2 configuration problems (gloss config lists them); \(Self.file):1: unknown option \"a\"")
        #expect(state.messageIsError)
        #expect(Renderer.render(state).lines.last?.contains("config.toml:1: unknown option") == true)
    }

    @Test("wrap: the text wraps at the set width when the pane is wider, at the pane otherwise; 0 restores it")
    func wrapWidth() throws {
        var state = try Fixture.seedState(width: 160, height: 40)
        let pane = state.wrapWidth
        #expect(pane > 72)
        state.setWrap(72)
        #expect(state.wrapWidth == 72)
        let textPane = state.geometry.text
        let rows = Renderer.render(state).lines.prefix(textPane.height).map { Array($0.prefix(textPane.width)) }
        let widest = rows.map { row in (row.lastIndex { $0 != " " }).map { $0 + 1 } ?? 0 }.max() ?? 0
        #expect(widest <= PaneGeometry.textMargin + 72 && widest > 60, "text reaches column \(widest)")
        // the focus stays on screen after the change
        state.focusSentence(startingWith: "Top officials")
        state.setWrap(30)
        #expect(state.wrapWidth == 30)
        #expect(Renderer.render(state).lines.contains { $0.contains("Top officials") })
        state.setWrap(500)
        #expect(state.wrapWidth == pane)
        state.setWrap(0)
        #expect(state.wrapWidth == pane)
    }

    @Test("list width: the default is max(30, width / 3) as before; columns and shares are kept within bounds")
    func listWidth() {
        for width in 80...240 {
            let geometry = PaneGeometry(width: width, height: 30)
            #expect(geometry.list.width == max(30, width / 3))
            #expect(geometry.text.width == width - max(30, width / 3) - 1)
        }
        #expect(PaneGeometry(width: 120, height: 30, listWidth: .columns(50)).list.width == 50)
        #expect(PaneGeometry(width: 120, height: 30, listWidth: .columns(50)).text.width == 69)
        #expect(PaneGeometry(width: 120, height: 30, listWidth: .percent(40)).list.width == 48)
        #expect(PaneGeometry(width: 80, height: 30, listWidth: .columns(60)).list.width == 39)
        #expect(PaneGeometry(width: 200, height: 30, listWidth: .columns(10)).list.width == 20)
        // under 80 columns the list goes under the text whatever its width
        #expect(PaneGeometry(width: 70, height: 30, listWidth: .columns(50)).list.width == 70)
    }

    @Test("the reader takes the list width and wrap of a configuration")
    func readerConfigured() throws {
        var state = try Fixture.seedState(width: 120, height: 40)
        var configuration = Configuration()
        configuration.listWidth = .columns(50)
        configuration.wrap = 40
        #expect(state.configure(configuration) == [])
        #expect(state.geometry.list.width == 50 && state.wrapWidth == 40)
    }

    // MARK: - Author

    @Test("author: --author, then --coder, then GLOSS_AUTHOR, then the file, then the login name")
    func authorPrecedence() {
        let environment = ["GLOSS_AUTHOR": "env", "USER": "login"]
        #expect(Configuration.author(given: "flag", coder: "coder", configured: "file", environment: environment) == "flag")
        #expect(Configuration.author(given: nil, coder: "coder", configured: "file", environment: environment) == "coder")
        #expect(Configuration.author(given: nil, coder: nil, configured: "file", environment: environment) == "env")
        #expect(Configuration.author(given: nil, coder: nil, configured: "file", environment: ["GLOSS_AUTHOR": "", "USER": "login"]) == "file")
        #expect(Configuration.author(given: nil, coder: nil, configured: nil, environment: ["USER": "login"]) == "login")
        #expect(Configuration.author(given: nil, coder: nil, configured: "", environment: ["LOGNAME": "logname"]) == "logname")
        // a login name with a control character (refused as --author) is passed over
        let hostile = Configuration.author(given: nil, coder: nil, configured: nil, environment: ["USER": "evil\u{1B}[2J"])
        #expect(!hostile.unicodeScalars.contains { $0.properties.generalCategory == .control })
    }
}
