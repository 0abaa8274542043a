import Foundation
import Testing
@testable import GlossCore
@testable import GlossUI

/// The codebook view (`C`): the tree with counts, adding values and categories, the
/// codebook file written through ``Effect/writeCodebook(_:)`` (never the bundled one),
/// renames carried into the codebook and undone with it, and completion from the folder's
/// other stores.
@Suite struct CodebookViewTests {
    /// The fixture codebook with nested values: actor > state > Turkey, and
    /// cooperation measure > information sharing > watch-list exchange.
    static var codebook: Codebook {
        var codebook = Fixture.codebook
        codebook.categories[0].values.append(CodebookValue(value: "state", values: [CodebookValue(value: "Turkey")]))
        codebook.categories[2].values[2] = CodebookValue(value: "information sharing", values: [
            CodebookValue(value: "watch-list exchange", aliases: ["watch lists"]),
        ])
        return codebook
    }

    static func state(file: CodebookFile? = nil, width: Int = 120, height: Int = 40) throws -> AppState {
        var state = AppState(document: try Fixture.seedDocument(), codebook: codebook, codebookFile: file,
                             width: width, height: height, author: "tester")
        state.now = { Fixture.clock }
        return state
    }

    /// Moves the codebook view's highlight to the row of `value` (or of category `id`).
    static func highlight(_ state: inout AppState, value: String? = nil, category id: String? = nil,
                          sourceLocation: SourceLocation = #_sourceLocation) {
        while state.codebookCursor > 0 { state.press(.character("k")) }
        for _ in 0..<200 {
            let row = state.codebookRows[state.codebookCursor]
            switch row.kind {
            case .value(_, let shown, _, _) where shown == value: return
            case .unlisted(_, let shown) where shown == value: return
            case .category(let shown) where shown == id: return
            default: state.press(.character("j"))
            }
        }
        Issue.record("no row for \(value ?? id ?? "")", sourceLocation: sourceLocation)
    }

    @Test("C shows categories and nested values as a tree, with tag counts and values not in the codebook")
    func treeWithCounts() throws {
        var state = try Self.state()
        state.press(.character("j"), .character("a"))
        state.type("ISIL")
        state.press(.enter, .character("j"), .character("a"))
        state.type("Hamas")
        state.press(.enter, .character("t"))
        state.type("incitement")
        state.press(.enter, .character("j"), .character("c"))
        state.type("watch-list exchange")
        state.press(.enter, .character("j"), .character("a"))
        state.type("Turkey")
        state.press(.enter)
        state.press(.character("C"))
        #expect(state.mode == .codebook)
        let rows = state.codebookRows
        let turkey = try #require(rows.first { $0.kind == .value(category: "actor", value: "Turkey", aliases: [], parent: "state") })
        #expect(turkey.depth == 2 && turkey.count == 1)
        #expect(rows.first { $0.kind == .category("actor") }?.count == 3)
        #expect(rows.contains { $0.kind == .unlisted(category: "actor", value: "Hamas") && $0.count == 1 })
        let screen = Renderer.render(state)
        let lines = screen.lines
        #expect(lines.contains { $0.contains("▾ Actor  key a · cyan · actor") && $0.contains("3 tags") })
        #expect(lines.contains { $0.contains("    watch-list exchange  = watch lists") })
        #expect(lines.contains { $0.contains("not in the codebook") })
        Golden.check(screen, named: "codebook-120x40", styles: true)
        // Enter folds a category, Esc closes the view
        Self.highlight(&state, category: "threat")
        state.press(.enter)
        #expect(state.foldedCategories == ["threat"])
        #expect(!state.codebookRows.contains { $0.kind == .description("threat") })
        state.press(.character(" "))
        #expect(state.foldedCategories.isEmpty)
        state.press(.escape)
        #expect(state.mode == .reading)
        state.press(.character("C"), .character("q"))
        #expect(state.mode == .reading)
    }

    @Test("codebook strings from a file are drawn without their control characters")
    func controlCharactersSanitized() throws {
        var codebook = Self.codebook
        codebook.name = "Evil\u{1B}[2J"
        codebook.categories[0].values.append(CodebookValue(value: "bad\u{1B}]0;title\u{07}value", aliases: ["al\u{9B}ias"]))
        var state = AppState(document: try Fixture.seedDocument(), codebook: codebook, width: 120, height: 40)
        state.press(.character("C"))
        let cells = Renderer.render(state).cells
        #expect(!cells.contains { $0.text.unicodeScalars.contains { ControlPictures.isControl($0) } })
    }

    @Test("a adds a narrower value under the highlighted value, or at the top of the category; the prompt says which")
    func addValue() throws {
        var state = try Self.state(file: CodebookFile(path: "/nowhere/gloss.codebook.json", tree: try JSONValue(encoding: Self.codebook)))
        state.press(.character("C"))
        Self.highlight(&state, value: "state")
        state.press(.character("a"))
        #expect(state.prompt?.label == "New value under “state” in Actor: ")
        state.type("Syria")
        let effects = state.press(.enter)
        #expect(state.mode == .codebook)
        #expect(state.codebook.categories[0].path(of: "Syria") == ["state", "Syria"])
        guard case .writeCodebook(let file)? = effects.first, effects.count == 1 else {
            Issue.record("expected one codebook write, got \(effects)")
            return
        }
        #expect(try file.codebook() == state.codebook)
        #expect(state.message?.hasPrefix("Added “Syria” under “state” in Actor") == true)
        // the highlight is on the new value
        #expect(state.codebookRows[state.codebookCursor].kind == .value(category: "actor", value: "Syria", aliases: [], parent: "state"))
        Self.highlight(&state, category: "threat")
        state.press(.character("a"))
        #expect(state.prompt?.label == "New value at the top of Threat: ")
        state.type("piracy")
        state.press(.enter)
        #expect(state.codebook.categories[1].values.last?.value == "piracy")
        // the same value again is refused
        state.press(.character("a"))
        state.type("piracy")
        #expect(state.press(.enter).isEmpty)
        #expect(state.messageIsError && state.message?.contains("already in Threat") == true)
        // undo takes the additions back, one at a time, each with a write of the file
        let undo = state.press(.character("u"))
        #expect(undo.count == 1 && state.codebook.categories[1].values.last?.value == "terrorist propaganda")
    }

    @Test("A adds a category: label, key (refusing a category's or Gloss's own key), colour; its tag key works at once")
    func addCategory() throws {
        var state = try Self.state()
        state.press(.character("C"), .character("A"))
        state.type("Place of attack")
        state.press(.enter)
        #expect(state.prompt?.label.hasPrefix("Key that tags as “Place of attack”") == true)
        state.type("j")
        state.press(.enter)
        #expect(state.prompt?.label.hasPrefix("j is Gloss's key for next sentence") == true, "\(state.prompt?.label ?? "")")
        state.type("a")
        state.press(.enter)
        #expect(state.prompt?.label.hasPrefix("a already tags as actor") == true, "\(state.prompt?.label ?? "")")
        state.type("p")
        state.press(.enter)
        #expect(state.prompt?.label.contains("Enter takes yellow") == true, "\(state.prompt?.label ?? "")")
        state.press(.enter)
        let place = try #require(state.codebook.category(id: "place-of-attack"))
        #expect(place.key == "p" && place.color == "yellow" && place.label == "Place of attack")
        #expect(state.message?.contains("p tags with it") == true)
        #expect(Action(name: "tag:place-of-attack", codebook: state.codebook) != nil)
        state.press(.escape, .character("p"))
        #expect(state.prompt?.label == "Place of attack: ")
        state.press(.escape)
        // undo takes the category and its key away
        state.press(.character("u"))
        #expect(state.codebook.category(id: "place-of-attack") == nil)
        state.press(.character("p"))
        #expect(state.prompt == nil)
    }

    @Test("A adds a category in #RRGGBB or a bright colour, drawn in it; a colour that is none is asked again")
    func addCategoryInHexColour() throws {
        var state = try Self.state()
        state.press(.character("C"), .character("A"))
        state.type("Place of attack")
        state.press(.enter)
        state.type("p")
        state.press(.enter)
        state.type("orange")
        state.press(.enter)
        #expect(state.prompt?.label.hasPrefix("No colour orange (a name, bright-red or #RRGGBB)") == true, "\(state.prompt?.label ?? "")")
        state.type("#FF8700")
        state.press(.enter)
        let place = try #require(state.codebook.category(id: "place-of-attack"))
        #expect(place.color == "#ff8700")
        let buffer = Renderer.render(state)
        #expect(buffer.cells.contains { $0.style.foreground == .rgb(red: 255, green: 135, blue: 0) })
        state.press(.character("A"))
        state.type("Weapon")
        state.press(.enter)
        state.type("e")
        state.press(.enter)
        state.type("Bright-Blue")
        state.press(.enter)
        #expect(state.codebook.category(id: "weapon")?.color == "bright-blue")
    }

    @Test("C, a, A and q have names, bindings and help rows; a codebook key a still loads")
    func commands() throws {
        for name in ["codebook", "codebook-down", "codebook-up", "codebook-fold", "codebook-add-value", "codebook-add-category"] {
            #expect(Action(name: name, codebook: Self.codebook) != nil, "\(name)")
        }
        let keymap = Keymap(codebook: Self.codebook)
        #expect(keymap.action(for: .character("C"), in: .reading) == .showCodebook)
        #expect(keymap.action(for: .character("a"), in: .codebook) == .codebookAddValue)
        #expect(keymap.action(for: .character("a"), in: .reading) == .tag(category: "actor"))
        #expect(keymap.action(for: .character("q"), in: .codebook) == .showCodebook)
        #expect(Keymap.conflicts(in: Self.codebook).isEmpty)
        let capitalC = Codebook(name: "", categories: [Category(id: "x", label: "X", key: "C", color: "red", description: "", values: [])])
        #expect(Keymap.conflicts(in: capitalC).count == 1)
    }
}

/// The codebook file on disk: written atomically by the session, never the bundled one,
/// renamed with a value and restored by undo.
@Suite struct CodebookFileSessionTests {
    static let text = """
    Ministers from twelve states met in Valmora on Monday.

    They agreed to share watch lists of ISIL recruiters. The UN office will coordinate.
    """

    /// A folder with `article.txt`.
    struct Folder {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("gloss-codebook-\(UUID().uuidString)")
        var article: String { url.appendingPathComponent("article.txt").path }
        var teamCodebook: String { url.appendingPathComponent(Codebook.teamFileName).path }
        init() throws {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
            try Data(CodebookFileSessionTests.text.utf8).write(to: URL(fileURLWithPath: article))
        }
        func open(_ loaded: (codebook: Codebook, file: CodebookFile)) throws -> Session {
            var session = try Session(document: try Document(contentsOfFile: article), codebook: loaded.codebook, codebookFile: loaded.file,
                                      store: AnnotationStore(path: article + ".gloss.json"), width: 120, height: 40)
            session.state.now = { Fixture.clock }
            session.state.author = "tester"
            return session
        }
        func names() throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: url.path).sorted() }
        func cleanUp() { try? FileManager.default.removeItem(at: url) }
    }

    /// Writes the team codebook (with a member Gloss does not know) as Gloss would.
    static func writeTeamCodebook(_ folder: Folder) throws -> Data {
        var tree = try JSONValue(encoding: CodebookViewTests.codebook)
        if case .object(var members) = tree {
            members["maintainer"] = .string("desk@example.org")
            tree = .object(members)
        }
        let data = CodebookFile(path: folder.teamCodebook, tree: tree).data
        try data.write(to: URL(fileURLWithPath: folder.teamCodebook))
        return data
    }

    @Test("adding a value writes the codebook file atomically, keeping its other content")
    func addValueWritesFile() throws {
        let folder = try Folder()
        defer { folder.cleanUp() }
        _ = try Self.writeTeamCodebook(folder)
        var session = try folder.open(try CodebookFile.load(path: folder.teamCodebook))
        session.state.press(.character("C"))
        CodebookViewTests.highlight(&session.state, value: "state")
        session.state.press(.character("a"))
        session.state.type("Syria")
        session.carryOut(session.state.press(.enter))
        #expect(!session.state.messageIsError, "\(session.state.message ?? "")")
        let reread = try CodebookFile.load(path: folder.teamCodebook)
        #expect(reread.codebook.categories[0].path(of: "Syria") == ["state", "Syria"])
        #expect(reread.file.tree["maintainer"] == .string("desk@example.org"))
        // no temporary file left behind, no store written for a codebook edit
        #expect(try folder.names().filter { !$0.hasSuffix(".lock") } == ["article.txt", Codebook.teamFileName])
    }

    @Test("the bundled codebook is never written: the first edit creates gloss.codebook.json beside the document")
    func bundledNeverWritten() throws {
        let folder = try Folder()
        defer { folder.cleanUp() }
        let bundledFolder = folder.url.appendingPathComponent("share")
        try FileManager.default.createDirectory(at: bundledFolder, withIntermediateDirectories: true)
        let bundled = bundledFolder.appendingPathComponent("codebook.json").path
        try FileManager.default.copyItem(atPath: Fixture.packageRoot.appendingPathComponent("Resources/codebook.json").path, toPath: bundled)
        let bundledBytes = try Data(contentsOf: URL(fileURLWithPath: bundled))
        var session = try folder.open(try CodebookFile.load(path: bundled, writeTo: folder.teamCodebook, isBundledCopy: true))
        session.protectedCodebookPaths = [bundled]
        session.state.press(.character("C"), .character("a"))
        session.state.type("Hamas")
        session.carryOut(session.state.press(.enter))
        #expect(session.state.message?.contains("created gloss.codebook.json in \(folder.url.path)") == true, "\(session.state.message ?? "")")
        #expect(try Data(contentsOf: URL(fileURLWithPath: bundled)) == bundledBytes)
        let created = try CodebookFile.load(path: folder.teamCodebook)
        #expect(created.codebook.categories.map(\.id) == ["actor", "threat", "cooperation-measure"])
        #expect(created.codebook.categories[0].values.last?.value == "Hamas")
        #expect(session.state.codebookFile?.isBundledCopy == false)
        // from then on that file is the codebook, and it is not "created" again
        CodebookViewTests.highlight(&session.state, category: "actor")
        session.state.press(.character("a"))
        session.state.type("Wagner")
        session.carryOut(session.state.press(.enter))
        #expect(session.state.message?.contains("created") == false)
        #expect(try CodebookFile.load(path: folder.teamCodebook).codebook.categories[0].values.suffix(2).map(\.value) == ["Hamas", "Wagner"])
        // a file at the bundled path is refused even if asked for
        session.writeCodebook(CodebookFile(path: bundled, tree: created.file.tree))
        #expect(session.state.messageIsError && session.state.message?.contains("bundled") == true)
        #expect(try Data(contentsOf: URL(fileURLWithPath: bundled)) == bundledBytes)
    }

    @Test("R renames a codebook value in the file too, keeping the old spelling as an alias; u restores tags and file")
    func renameAndUndo() throws {
        let folder = try Folder()
        defer { folder.cleanUp() }
        let original = try Self.writeTeamCodebook(folder)
        var session = try folder.open(try CodebookFile.load(path: folder.teamCodebook))
        session.state.press(.character("j"), .character("a"))
        session.state.type("Turkey")
        session.carryOut(session.state.press(.enter))
        session.state.press(.enter, .character("R"), .control("u"))
        session.state.type("Türkiye")
        let effects = session.state.press(.enter)
        #expect(effects.contains(.save) && effects.contains { if case .writeCodebook = $0 { return true }; return false })
        session.carryOut(effects)
        #expect(session.state.message?.contains("kept as an alias") == true, "\(session.state.message ?? "")")
        #expect(session.state.annotations.first?.tags == [Tag(category: "actor", value: "Türkiye")])
        let renamed = try CodebookFile.load(path: folder.teamCodebook).codebook.categories[0]
        #expect(renamed.path(of: "Türkiye") == ["state", "Türkiye"])
        #expect(renamed.allValues.first { $0.value == "Türkiye" }?.aliases == ["Turkey"])
        // one undo step: the tags and the file
        session.carryOut(session.state.press(.character("u")))
        #expect(session.state.annotations.first?.tags == [Tag(category: "actor", value: "Turkey")])
        #expect(try Data(contentsOf: URL(fileURLWithPath: folder.teamCodebook)) == original)
        #expect(session.state.codebook.categories[0].path(of: "Turkey") == ["state", "Turkey"])
        // redo writes it again
        session.carryOut(session.state.press(.control("r")))
        #expect(try CodebookFile.load(path: folder.teamCodebook).codebook.categories[0].path(of: "Türkiye") == ["state", "Türkiye"])
    }

    @Test("a rename onto a value the codebook has merges the two entries")
    func renameMerges() throws {
        let folder = try Folder()
        defer { folder.cleanUp() }
        _ = try Self.writeTeamCodebook(folder)
        var session = try folder.open(try CodebookFile.load(path: folder.teamCodebook))
        session.state.press(.character("j"), .character("a"))
        session.state.type("Interpol")
        session.carryOut(session.state.press(.enter))
        session.state.press(.enter, .character("R"), .control("u"))
        session.state.type("UN Security Council")
        session.carryOut(session.state.press(.enter))
        #expect(session.state.message?.contains("merged into “UN Security Council”") == true, "\(session.state.message ?? "")")
        let actor = try CodebookFile.load(path: folder.teamCodebook).codebook.categories[0]
        #expect(!actor.allValues.contains { $0.value == "Interpol" })
        #expect(actor.allValues.first { $0.value == "UN Security Council" }?.aliases == ["Interpol"])
    }

    @Test("a codebook file that cannot be written is named in the status line; the tags are still renamed")
    func writeFailure() throws {
        let folder = try Folder()
        defer { folder.cleanUp() }
        _ = try Self.writeTeamCodebook(folder)
        var loaded = try CodebookFile.load(path: folder.teamCodebook)
        loaded.file.path = folder.url.appendingPathComponent("gone/team.codebook.json").path
        var session = try folder.open(loaded)
        session.state.press(.character("j"), .character("a"))
        session.state.type("ISIL")
        session.carryOut(session.state.press(.enter))
        session.state.press(.enter, .character("R"), .control("u"))
        session.state.type("Islamic State")
        session.carryOut(session.state.press(.enter))
        #expect(session.state.messageIsError)
        let message = session.state.message ?? ""
        #expect(message.contains("team.codebook.json") && message.contains("No such file or directory"), "\(message)")
        #expect(session.state.annotations.first?.tags == [Tag(category: "actor", value: "Islamic State")])
        #expect(!session.state.unsavedChanges)
    }

    @Test("the tag prompt and the detail view's value prompt offer values from the folder's other stores, after the others, once")
    func completionFromSiblingStores() throws {
        let folder = try Folder()
        defer { folder.cleanUp() }
        let sibling = #"{"format":"gloss-annotations","version":3,"annotations":[{"tags":[{"category":"actor","value":"Hezbollah"},{"category":"actor","value":"ISIL"}]}]}"#
        try Data(sibling.utf8).write(to: folder.url.appendingPathComponent("other.txt.gloss.json"))
        var session = try folder.open((CodebookViewTests.codebook, CodebookFile(path: folder.teamCodebook, tree: try JSONValue(encoding: CodebookViewTests.codebook))))
        session.startBackgroundWork()
        let arrived = session.waitForFolderValues()
        #expect(arrived)
        session.state.press(.character("a"))
        session.state.type("hezb")
        #expect(session.state.prompt?.matches == ["Hezbollah"])
        let choices = session.state.prompt?.choices ?? []
        #expect(choices.last == "Hezbollah" && choices.filter { $0 == "ISIL" }.count == 1)
        session.carryOut(session.state.press(.enter))
        #expect(session.state.annotations.first?.tags == [Tag(category: "actor", value: "Hezbollah")])
        session.state.press(.enter, .enter)
        #expect(session.state.prompt?.choices.contains("Hezbollah") == true)
    }
}

extension Session {
    /// Carries out `effects` as `gloss read` does: saves now, writes the codebook file.
    mutating func carryOut(_ effects: [Effect]) {
        for effect in effects {
            switch effect {
            case .save: save()
            case .writeCodebook(let file): writeCodebook(file)
            default: break
            }
        }
    }
}
