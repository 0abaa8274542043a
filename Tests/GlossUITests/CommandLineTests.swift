import Foundation
import Testing
@testable import GlossCore
@testable import GlossUI

@Suite("The : command line: parsing and completion")
struct CommandLineParsingTests {
    func parse(_ line: String) throws -> Command { try CommandLineParser.parse(line, codebook: Fixture.codebook) }

    func error(_ line: String) -> String? {
        do {
            _ = try CommandLineParser.parse(line, codebook: Fixture.codebook)
            return nil
        } catch {
            return error.description
        }
    }

    @Test("every command of the help runs by its name; aliases; the line's own commands")
    func commands() throws {
        for action in Action.commands(for: Fixture.codebook, corpus: true) where action != .filter {
            #expect(try parse(action.name) == .action(action), "\(action.name)")
        }
        #expect(try parse("  tag:actor ") == .action(.tag(category: "actor")))
        #expect(try parse("q") == .action(.quit))
        #expect(try parse("h") == .action(.showHelp))
        #expect(try parse("w") == .write)
        #expect(try parse("write") == .write)
        #expect(try parse("export csv out.csv") == .export(format: "csv", path: "out.csv", replacing: false))
        #expect(try parse("export! csv out.csv") == .export(format: "csv", path: "out.csv", replacing: true))
        #expect(try parse("export CSV  my notes/out file.csv ") == .export(format: "csv", path: "my notes/out file.csv", replacing: false))
        #expect(try parse("filter actor=ISIL") == .filter("actor=ISIL"))
        #expect(try parse("filter") == .filter(""))
        #expect(try parse("goto 40%") == .goto(.percent(40)))
        #expect(try parse("goto 12") == .goto(.paragraph(12)))
        #expect(try parse("50%") == .goto(.percent(50)))
        #expect(try parse("3") == .goto(.paragraph(3)))
        #expect(try parse("set wrap 72") == .set(option: "wrap", value: "72"))
        #expect(try parse("set wrap off") == .set(option: "wrap", value: "off"))
        #expect(try parse("set mouse ON") == .set(option: "mouse", value: "on"))
        #expect(try parse("set theme High-Contrast") == .set(option: "theme", value: "High-Contrast"))
    }

    @Test("an unknown command is named with a hint; bad arguments give the command's usage")
    func errors() {
        #expect(error("frobnicate") == "No command :frobnicate; Tab lists the commands")
        #expect(error("tag:nope") == "No command :tag:nope; Tab lists the commands")
        #expect(error("export") == CommandLineParser.usage(of: "export"))
        #expect(error("export csv")?.hasPrefix("Usage: :export FORMAT PATH (FORMAT: w3c, csv,") == true)
        #expect(error("export docx out.docx") == CommandLineParser.usage(of: "export"))
        #expect(error("goto") == CommandLineParser.usage(of: "goto"))
        #expect(error("goto 101%") == CommandLineParser.usage(of: "goto"))
        #expect(error("goto 0") == CommandLineParser.usage(of: "goto"))
        #expect(error("set") == CommandLineParser.usage(of: "set"))
        #expect(error("set colour red") == CommandLineParser.usage(of: "set"))
        #expect(error("set wrap 5") == "Usage: :set wrap N (10 to 10000 columns) or :set wrap off")
        #expect(error("set mouse maybe") == "Usage: :set mouse on|off")
        #expect(error("undo twice") == "Usage: :undo (it takes no arguments)")
        #expect(error("w out.json")?.hasPrefix("Usage: :write") == true)
    }

    let context = CommandLineContext(actions: Action.commands(for: Fixture.codebook), filterChoices: ["actor", "actor=ISIL", "threat"]) { folder in
        folder == "" ? [("notes", true), ("out.csv", false), (".hidden", false)] : folder == "notes/" ? [("a.md", false)] : []
    }

    @Test("Tab completes command names, then each command's arguments")
    func completion() {
        let names = CommandLineParser.completion(for: "", context: context)
        #expect(names.start == 0)
        #expect(names.candidates.contains("next-sentence") && names.candidates.contains("tag:actor") && names.candidates.contains("export"))
        #expect(Set(names.candidates).count == names.candidates.count, "a name is offered twice")
        #expect(CommandLineParser.completion(for: "  nex", context: context).start == 2)
        let formats = CommandLineParser.completion(for: "export c", context: context)
        #expect(formats.start == 7 && formats.candidates == CommandLineParser.exportFormats)
        let files = CommandLineParser.completion(for: "export csv ", context: context)
        #expect(files.start == 11 && files.candidates == ["notes/", "out.csv"])
        #expect(CommandLineParser.completion(for: "export csv .h", context: context).candidates.contains("./.hidden") == false)
        #expect(CommandLineParser.completion(for: "export csv .h", context: context).candidates == ["notes/", "out.csv", ".hidden"])
        let nested = CommandLineParser.completion(for: "export csv notes/a", context: context)
        #expect(nested.start == 11 && nested.candidates == ["notes/a.md"])
        let filter = CommandLineParser.completion(for: "filter act", context: context)
        #expect(filter.start == 7 && filter.candidates == ["actor", "actor=ISIL", "threat"])
        #expect(CommandLineParser.completion(for: "set ", context: context).candidates == ["wrap", "mouse", "theme"])
        let values = CommandLineParser.completion(for: "set mouse o", context: context)
        #expect(values.start == 10 && values.candidates == ["on", "off"])
        #expect(CommandLineParser.completion(for: "goto ", context: context).candidates.isEmpty)
        #expect(CommandLineParser.completion(for: "undo ", context: context).candidates.isEmpty)
    }
}

@Suite("The : command line in the reader")
struct CommandLineStateTests {
    @Test(": opens the command line; Enter runs a command by name; Esc cancels")
    func runsByName() throws {
        var state = try Fixture.seedState()
        state.press(.character(":"))
        #expect(state.mode == .prompt && state.prompt?.purpose == .command)
        #expect(Renderer.render(state).lines[23].hasPrefix(": "))
        state.type("next-sentence")
        state.press(.enter)
        #expect(state.mode == .reading)
        #expect(state.focus == SentencePosition(paragraph: 0, sentence: 1) || state.focus?.paragraph == 1)
        let focused = state.focus
        state.press(.character(":"))
        state.type("previous-sentence")
        state.press(.escape)
        #expect(state.focus == focused && state.mode == .reading && state.message == "Cancelled")
        // a tag command opens the tag prompt as its key does
        state.press(.character(":"))
        state.type("tag:actor")
        state.press(.enter)
        #expect(state.prompt?.purpose.asksForValue == true && state.prompt?.label.hasPrefix("Actor") == true)
    }

    @Test(":filter actor=ISIL filters the list; :filter alone clears it")
    func filter() throws {
        var state = try Fixture.seedState()
        state.press(.character("a"))
        state.type("ISIL")
        state.press(.enter, .character("j"), .character("j"), .character("a"))
        state.type("Interpol")
        state.press(.enter)
        #expect(state.annotations.count == 2)
        state.press(.character(":"))
        state.type("filter actor=ISIL")
        state.press(.enter)
        #expect(state.filter?.description == "actor=ISIL")
        #expect(state.listedAnnotations.map { $0.tags[0].value } == ["ISIL"])
        state.press(.character(":"))
        state.type("filter")
        state.press(.enter)
        #expect(state.filter == nil && state.listedAnnotations.count == 2)
    }

    @Test(":goto 50% moves to the sentence halfway through the text; :goto N to paragraph N")
    func goTo() throws {
        var state = try Fixture.seedState()
        state.press(.character(":"))
        state.type("goto 50%")
        state.press(.enter)
        let half = state.document.length / 2
        let range = try #require(state.focusRange)
        #expect(range.contains(half) || range.lowerBound > half, "focus \(range) for offset \(half)")
        #expect(state.focus!.paragraph > 0)
        #expect(state.message?.hasPrefix("Paragraph \(state.focus!.paragraph + 1) of") == true)
        state.press(.character(":"))
        state.type("3")
        state.press(.enter)
        #expect(state.focus == SentencePosition(paragraph: 2, sentence: 0))
        state.press(.character(":"))
        state.type("goto 100000")
        state.press(.enter)
        #expect(state.focus?.paragraph == state.document.paragraphCount - 1)
        state.press(.character(":"))
        state.type("goto 0%")
        state.press(.enter)
        #expect(state.focus == SentencePosition(paragraph: 0, sentence: 0))
    }

    @Test(":q quits, :w saves, :export and :set mouse ask the shell; unknown commands say so")
    func effects() throws {
        var state = try Fixture.seedState()
        func run(_ line: String) -> [Effect] {
            state.press(.character(":"))
            state.type(line)
            return state.press(.enter)
        }
        #expect(run("q") == [.quit])
        #expect(run("w") == [.save])
        #expect(run("export csv out.csv") == [.export(format: "csv", path: "out.csv", corpus: false, replacing: false)])
        #expect(state.message == "Exporting csv to out.csv…")
        #expect(run("set mouse on") == [.setOption(name: "mouse", value: "on")])
        #expect(run("bogus") == [])
        #expect(state.message == "No command :bogus; Tab lists the commands" && state.messageIsError)
        #expect(run("codebook-down") == [])
        #expect(state.message?.hasPrefix(":codebook-down works in codebook") == true)
        #expect(run("document-list") == [])
        #expect(state.message?.hasPrefix(":document-list works in") == true)
        #expect(run("codebook") == [] && state.mode == .codebook)
    }

    @Test(":set wrap N narrows the text; off gives it the pane again")
    func setWrap() throws {
        var state = try Fixture.seedState(width: 120, height: 40)
        let wide = state.lineCount(0) + state.lineCount(1)
        state.press(.character(":"))
        state.type("set wrap 30")
        state.press(.enter)
        #expect(state.wrapWidth == 30)
        #expect(state.lineCount(0) + state.lineCount(1) > wide)
        #expect(Renderer.render(state).lines.prefix(10).allSatisfy { DisplayWidth.columns(of: $0.prefix(33).trimmingCharacters(in: .whitespaces)) <= 32 })
        state.press(.character(":"))
        state.type("set wrap off")
        state.press(.enter)
        #expect(state.wrapLimit == 0 && state.lineCount(0) + state.lineCount(1) == wide)
    }

    @Test("Tab completes names and arguments in the prompt's row; Up and Down recall earlier lines")
    func tabAndHistory() throws {
        var state = try Fixture.seedState()
        state.press(.character(":"))
        state.type("next-s")
        state.press(.tab)
        #expect(state.prompt?.text == "next-sentence")
        state.press(.control("u"))
        state.type("export cs")
        state.press(.tab)
        #expect(state.prompt?.text == "export csv")
        state.press(.control("u"))
        state.type("filter act")
        let row = Renderer.render(state).lines[22]
        #expect(row.contains(" Tab: ") && row.contains(" actor "), "|\(row)|")
        state.press(.tab)
        #expect(state.prompt?.text == "filter actor")
        state.press(.tab)
        #expect(state.prompt?.text.hasPrefix("filter actor=") == true)
        state.press(.control("u"))
        state.type("set wrap 40")
        state.press(.enter)
        state.press(.character(":"))
        state.type("goto 2")
        state.press(.enter)
        state.press(.character(":"))
        state.type("draft")
        state.press(.up)
        #expect(state.prompt?.text == "goto 2")
        state.press(.up)
        #expect(state.prompt?.text == "set wrap 40")
        state.press(.up)
        #expect(state.prompt?.text == "set wrap 40")
        state.press(.down)
        #expect(state.prompt?.text == "goto 2")
        state.press(.down)
        #expect(state.prompt?.text == "draft")
        #expect(state.commandHistory == ["set wrap 40", "goto 2"])
    }
}

@Suite("Readline keys in prompts")
struct PromptKeyTests {
    func searchPrompt(_ text: String) throws -> AppState {
        var state = try Fixture.seedState()
        state.press(.character("/"))
        state.type(text)
        return state
    }

    @Test("Ctrl-W deletes the word before the cursor, with the spaces after it")
    func controlW() throws {
        var state = try searchPrompt("share watch  lists")
        state.press(.control("w"))
        #expect(state.prompt?.text == "share watch  ")
        state.press(.control("w"))
        #expect(state.prompt?.text == "share ")
        state.press(.left, .left, .left, .control("w"))
        #expect(state.prompt?.text == "re " && state.prompt?.cursor == 0)
    }

    @Test("Alt-B and Alt-F move a word left and right; Ctrl-K kills to the end; Alt-D the next word")
    func altWordMoves() throws {
        var state = try searchPrompt("watch lists, ISIL-recruiters")
        state.press(.alt("b"))
        #expect(state.prompt?.cursor == 18)
        state.press(.alt("b"))
        #expect(state.prompt?.cursor == 13)
        state.press(.alt("b"), .alt("b"))
        #expect(state.prompt?.cursor == 0)
        state.press(.alt("f"))
        #expect(state.prompt?.cursor == 5)
        state.press(.alt("f"))
        #expect(state.prompt?.cursor == 11)
        state.press(.alt("d"))
        #expect(state.prompt?.text == "watch lists-recruiters")
        state.press(.control("k"))
        #expect(state.prompt?.text == "watch lists" && state.prompt?.cursor == 11)
        state.press(.control("a"), .character(">"), .control("e"), .character("<"))
        #expect(state.prompt?.text == ">watch lists<")
    }

    @Test("the note editor takes Ctrl-W, Alt-B and Alt-F too")
    func noteEditor() throws {
        var state = try NoteEditorStateTests.tagged()
        state.press(.character("m"))
        state.type("speaks for UNOCT")
        state.press(.control("w"))
        #expect(state.editor?.text == "speaks for ")
        state.press(.alt("b"))
        #expect(state.editor?.cursor == 7)
        state.press(.alt("b"), .alt("f"))
        #expect(state.editor?.cursor == 6)
        state.press(.escape, .character("n"))
    }

    @Test("editing a tag value keeps completion: Ctrl-W then typing filters the choices again")
    func completionKept() throws {
        var state = try Fixture.seedState()
        state.press(.character("a"))
        state.type("UN Sec")
        state.press(.control("w"))
        #expect(state.prompt?.text == "UN ")
        #expect(state.prompt?.matches.first == "UN Office of Counter-Terrorism")
        state.type("Se")
        state.press(.tab)
        #expect(state.prompt?.text == "UN Security Council")
    }
}

@Suite("The help overlay: groups, scrolling, search, wrapping")
struct HelpOverlayTests {
    func checkGrid(_ buffer: ScreenBuffer, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(buffer.lines.count == buffer.height, sourceLocation: sourceLocation)
        for (row, line) in buffer.lines.enumerated() {
            #expect(DisplayWidth.columns(of: line) == buffer.width, "row \(row) is not \(buffer.width) columns: |\(line)|", sourceLocation: sourceLocation)
        }
    }

    @Test("rows are grouped under headings in order, each with its command's name")
    func grouped() throws {
        let state = try Fixture.seedState(width: 120, height: 40)
        let rows = state.keymap.groupedHelpRows
        #expect(rows.map(\.group) == rows.map(\.group).sorted { HelpGroup.allCases.firstIndex(of: $0)! < HelpGroup.allCases.firstIndex(of: $1)! })
        #expect(Set(rows.map(\.group)) == Set(HelpGroup.allCases))
        #expect(rows.contains { $0.keys == "a" && $0.command == "tag:actor" && $0.group == .tagging })
        #expect(rows.contains { $0.keys == ":" && $0.command == "command-line" && $0.group == .commands })
        #expect(rows.count == state.keymap.helpRows.count)
    }

    @Test("the help is grouped and scrolls to show every row with its :name", arguments: [(120, 40), (80, 24), (60, 20)])
    func pages(width: Int, height: Int) throws {
        var state = try Fixture.seedState(width: width, height: height)
        state.press(.character("?"))
        let first = Renderer.render(state)
        checkGrid(first)
        #expect(first.lines.contains { $0.contains(" / search · j k scroll · other keys close ") })
        Golden.check(first, named: "help-\(width)x\(height)", styles: width == 120)
        let text = state.helpPages()
        for group in HelpGroup.allCases { #expect(text.contains(group.title), "no heading \(group.title)") }
        for row in state.keymap.groupedHelpRows {
            #expect(text.contains(":" + row.command), "help lacks :\(row.command)")
        }
        #expect(state.mode == .help)
    }

    @Test("at 60 and 40 columns long descriptions wrap onto continuation lines, never cut", arguments: [(60, 20), (40, 12)])
    func wrapping(width: Int, height: Int) throws {
        var state = try Fixture.seedState(width: width, height: height)
        state.press(.character("?"))
        let words = state.helpPages().split(whereSeparator: { $0 == " " || $0 == "│" || $0 == "\n" }).map(String.init)
        #expect(!words.contains { $0.hasSuffix("…") }, "a cut word")
        let all = Set(words)
        for row in state.keymap.groupedHelpRows {
            for word in row.description.split(separator: " ") {
                #expect(all.contains(String(word)), "\(row.description): \(word) is missing or cut")
            }
        }
    }

    @Test("/ searches live by key, description or command name; Enter keeps it, Esc drops it; G and g scroll")
    func search() throws {
        var state = try Fixture.seedState(width: 80, height: 24)
        state.press(.character("?"), .character("G"))
        #expect(state.help.scroll > 0)
        state.press(.character("g"))
        #expect(state.help.scroll == 0)
        state.press(.character("/"))
        state.type("codebook")
        let buffer = Renderer.render(state)
        checkGrid(buffer)
        Golden.check(buffer, named: "help-search-80x24")
        let shown = buffer.lines.joined(separator: "\n")
        #expect(shown.contains(":codebook-add-value") && !shown.contains(":next-sentence"))
        // typing j goes into the search, it does not scroll
        state.type("j")
        #expect(state.help.query == "codebookj" && state.mode == .help)
        #expect(Renderer.render(state).lines.joined().contains("No key or command has “codebookj”"))
        state.press(.backspace, .enter)
        #expect(state.help.query == "codebook" && !state.help.searching)
        // by key: Ctrl-R is redo
        state.press(.character("/"), .control("u"))
        state.type("ctrl-r")
        #expect(Renderer.render(state).lines.joined().contains(":redo"))
        state.press(.escape)
        #expect(state.help.query.isEmpty && state.mode == .help)
        state.press(.character("z"))
        #expect(state.mode == .reading)
    }
}

@Suite("The : command line in a corpus's lists")
struct CorpusCommandLineTests {
    @Test(":filter in the document list filters every annotation; :goto is for a document; :export exports the corpus")
    func lists() throws {
        let folder = try CorpusFolder()
        defer { folder.cleanUp() }
        try folder.write("Ministers meet\n\nThey agreed to share watch lists of ISIL recruiters.\n", to: "a.txt")
        try folder.write("Police raid\n\nProsecutors said the men financed ISIL.\n", to: "b.txt")
        var corpus = try folder.corpus()
        corpus.press(.enter, .character("j"), .character("a"))
        corpus.session!.state.type("ISIL")
        corpus.press(.enter, .character("D"))
        #expect(corpus.view == .documents)
        corpus.press(.character(":"))
        #expect(corpus.listPrompt?.purpose == .command)
        for character in "filter act" { corpus.press(.character(character)) }
        #expect(Renderer.render(corpus).lines[38].contains(" actor "))
        corpus.press(.tab, .enter)
        #expect(corpus.view == .annotations && corpus.annotationFilter?.description == "actor")
        #expect(corpus.listedAnnotations.count == 1)
        corpus.press(.character(":"))
        for character in "goto 50%" { corpus.press(.character(character)) }
        corpus.press(.enter)
        #expect(corpus.message?.hasPrefix(":goto works in a document") == true || corpus.message?.hasPrefix("goto works in a document") == true)
        corpus.press(.character(":"))
        for character in "export csv all.csv" { corpus.press(.character(character)) }
        #expect(corpus.press(.enter) == [.export(format: "csv", path: "all.csv", corpus: true, replacing: false)])
        // the history is the corpus's, in the lists and the documents
        corpus.press(.character(":"), .up)
        #expect(corpus.listPrompt?.text == "export csv all.csv")
        corpus.press(.escape, .escape)
        #expect(corpus.view == .documents)
        corpus.press(.enter)
        #expect(corpus.view == .reader)
        corpus.press(.character(":"), .up)
        #expect(corpus.session?.state.prompt?.text == "export csv all.csv")
        corpus.press(.escape)
        corpus.session?.release()
    }
}
