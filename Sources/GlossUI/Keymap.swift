import GlossCore

/// The modes the reader can be in; each has its own key bindings (helix-style modes as data).
public enum Mode: String, Hashable, Sendable, CaseIterable {
    /// Moving the sentence cursor through the text.
    case reading
    /// Making a selection with `v`.
    case selecting
    /// Keyboard focus in the annotation list.
    case list
    /// A prompt on the bottom line has the keys.
    case prompt
    /// The help overlay is shown.
    case help
    /// The detail view of one annotation is open.
    case detail
    /// The codebook view is open: categories and values as a tree, with counts.
    case codebook
    /// The note editor is open (a note or the document memo); characters are typed in.
    case editor
    /// The summary pane is open: tags per value and co-occurring tags as bars.
    case summary
}

/// The lists of a corpus (``CorpusSession``), which have keys of their own besides the
/// reader's modes.
public enum CorpusList: Hashable, Sendable {
    /// The document list.
    case documents
    /// The list of every annotation of every document.
    case annotations
}

/// One row of the action table: keys, the action they trigger, the modes where they work,
/// and the description the help overlay shows (tig's single table of actions).
public struct Binding: Hashable, Sendable {
    /// Keys that trigger the action; the first is the one help lists first.
    public var keys: [Key]
    /// What the keys do.
    public var action: Action
    /// Modes where the binding applies.
    public var modes: Set<Mode>
    /// Short description for the help overlay.
    public var description: String
    /// The corpus lists where the binding applies too.
    public var lists: Set<CorpusList> = []
}

/// The table that binds keys and generates the help overlay.
public struct Keymap: Sendable {
    /// All bindings, in the order help lists them.
    public var bindings: [Binding]

    /// The default keys of DESIGN.md §4, plus one tag key per codebook category; with
    /// `corpus`, the keys of a corpus too (`J` `K` `D` in the text and the list, and the
    /// document list's).
    public init(codebook: Codebook, corpus: Bool = false) {
        let browse: Set<Mode> = [.reading, .selecting]
        let anywhere: Set<Mode> = [.reading, .selecting, .list]
        let undoable: Set<Mode> = [.reading, .selecting, .list, .detail, .codebook]
        let corpusLists: Set<CorpusList> = [.documents, .annotations]
        // the text, the lists and the summary page and jump to their ends alike
        let paged: Set<Mode> = [.reading, .list, .summary]
        var table: [Binding] = [
            Binding(keys: [.character("j"), .down], action: .nextSentence, modes: [.reading], description: "next sentence"),
            Binding(keys: [.character("k"), .up], action: .previousSentence, modes: [.reading], description: "previous sentence"),
            Binding(keys: [.character("}")], action: .nextParagraph, modes: browse, description: "next paragraph"),
            Binding(keys: [.character("{")], action: .previousParagraph, modes: browse, description: "previous paragraph"),
            Binding(keys: [.control("d")], action: .halfPageDown, modes: [.reading], description: "half a page down"),
            Binding(keys: [.control("u")], action: .halfPageUp, modes: [.reading], description: "half a page up"),
            Binding(keys: [.pageDown, .character(" "), .control("f")], action: .pageDown, modes: paged, description: "page down (text, list, summary)",
                    lists: corpusLists),
            Binding(keys: [.pageUp, .character("b"), .control("b")], action: .pageUp, modes: paged, description: "page up (text, list, summary)",
                    lists: corpusLists),
            Binding(keys: [.character("g"), .home], action: .documentStart, modes: paged, description: "start of document / first in a list",
                    lists: corpusLists),
            Binding(keys: [.character("G"), .end], action: .documentEnd, modes: paged, description: "end of document / last in a list",
                    lists: corpusLists),
            Binding(keys: [.character("]")], action: .nextAnnotation, modes: [.reading, .list], description: "next annotation (a tag key adds to it)"),
            Binding(keys: [.character("[")], action: .previousAnnotation, modes: [.reading, .list], description: "previous annotation (a tag key adds to it)"),
            Binding(keys: [.character("v")], action: .startSelection, modes: [.reading], description: "start a selection"),
            Binding(keys: [.character("j"), .down], action: .extendBySentenceForward, modes: [.selecting], description: "selection: next sentence end"),
            Binding(keys: [.character("k"), .up], action: .extendBySentenceBackward, modes: [.selecting], description: "selection: sentence start"),
            Binding(keys: [.character("h"), .left], action: .extendByGraphemeBackward, modes: [.selecting], description: "selection: char left"),
            Binding(keys: [.character("l"), .right], action: .extendByGraphemeForward, modes: [.selecting], description: "selection: char right"),
            Binding(keys: [.character("w")], action: .extendByWordForward, modes: [.selecting], description: "selection: word right"),
            Binding(keys: [.character("b")], action: .extendByWordBackward, modes: [.selecting], description: "selection: word left"),
            Binding(keys: [.character("o")], action: .swapSelectionEnds, modes: [.selecting], description: "selection: other end"),
            Binding(keys: [.escape], action: .cancel, modes: [.reading, .selecting, .list, .help, .detail, .codebook, .summary], description: "cancel / back", lists: corpusLists),
        ]
        for category in codebook.categories {
            guard let key = category.key.first else { continue }
            table.append(Binding(keys: [.character(key)], action: .tag(category: category.id), modes: anywhere.union([.detail]),
                                 description: "tag as \(category.label.lowercased())"))
        }
        table += [
            Binding(keys: [.character("m")], action: .editNote, modes: [.reading, .list, .detail], description: "edit the note here"),
            Binding(keys: [.character("M")], action: .editMemo, modes: [.reading, .list, .detail], description: "edit the document memo"),
            Binding(keys: [.control("s")], action: .saveNote, modes: [.editor], description: "note editor: save, close"),
            Binding(keys: [.escape, .control("c")], action: .closeNoteEditor, modes: [.editor], description: "note editor: close (asks)"),
            Binding(keys: [.character("r")], action: .link, modes: [.reading, .list], description: "link to another (r or Enter on it)"),
            Binding(keys: [.character("*")], action: .tagOccurrences, modes: [.reading, .list], description: "tag every other occurrence alike"),
            Binding(keys: [.character("x")], action: .deleteAnnotation, modes: [.reading, .list], description: "delete annotation here"),
            Binding(keys: [.character("!")], action: .keepConflict, modes: [.reading, .list, .detail], description: "conflict: keep this one, delete rivals"),
            Binding(keys: [.character("u")], action: .undo, modes: undoable, description: "undo"),
            Binding(keys: [.control("r")], action: .redo, modes: undoable, description: "redo"),
            Binding(keys: [.tab], action: .switchPane, modes: [.reading, .list], description: "text ⇄ annotation list"),
            Binding(keys: [.character("j"), .down], action: .listDown, modes: [.list, .summary], description: "list: next · summary: scroll down",
                    lists: corpusLists),
            Binding(keys: [.character("k"), .up], action: .listUp, modes: [.list, .summary], description: "list: previous · summary: scroll up",
                    lists: corpusLists),
            Binding(keys: [.enter], action: .openListSelection, modes: [.list], description: "list: show it and its detail"),
            Binding(keys: [.enter], action: .showDetail, modes: [.reading], description: "detail of the annotation here"),
            Binding(keys: [.character("j"), .down], action: .nextDetailTag, modes: [.detail], description: "detail: next tag or relation"),
            Binding(keys: [.character("k"), .up], action: .previousDetailTag, modes: [.detail], description: "detail: previous tag or relation"),
            Binding(keys: [.enter], action: .changeTagValue, modes: [.detail], description: "detail: change the tag's value"),
            Binding(keys: [.character("r")], action: .changeTagCategory, modes: [.detail], description: "detail: change the tag's category"),
            Binding(keys: [.character("x")], action: .removeTag, modes: [.detail], description: "detail: remove the tag"),
            Binding(keys: [.character("R")], action: .renameValue, modes: [.detail], description: "detail: rename the value everywhere"),
            Binding(keys: [.character("D")], action: .deleteRelation, modes: [.detail], description: "detail: delete the relation"),
            Binding(keys: [.character("C")], action: .showCodebook, modes: [.reading, .list], description: "the codebook: values, counts, edits"),
            Binding(keys: [.character("j"), .down], action: .codebookDown, modes: [.codebook], description: "codebook: next"),
            Binding(keys: [.character("k"), .up], action: .codebookUp, modes: [.codebook], description: "codebook: previous"),
            Binding(keys: [.enter, .character(" ")], action: .codebookFold, modes: [.codebook], description: "codebook: fold / unfold"),
            Binding(keys: [.character("a")], action: .codebookAddValue, modes: [.codebook], description: "codebook: add a value"),
            Binding(keys: [.character("A")], action: .codebookAddCategory, modes: [.codebook], description: "codebook: add a category"),
            Binding(keys: [.character("C"), .character("q")], action: .showCodebook, modes: [.codebook], description: "codebook: close"),
            Binding(keys: [.character("S")], action: .showSummary, modes: [.reading, .list], description: "summary: tags and co-occurrences as bars"),
            Binding(keys: [.character("S"), .character("q")], action: .showSummary, modes: [.summary], description: "summary: close"),
            Binding(keys: [.character("/")], action: .startSearch, modes: [.reading], description: "search"),
            Binding(keys: [.character("n")], action: .repeatSearch(forward: true), modes: [.reading], description: "next match"),
            Binding(keys: [.character("N")], action: .repeatSearch(forward: false), modes: [.reading], description: "previous match"),
            Binding(keys: [.character("f")], action: .filter, modes: [.reading, .list], description: "filter by category, value or note", lists: [.annotations]),
            Binding(keys: [.character("F")], action: .clearFilter, modes: [.reading, .list], description: "clear the filter", lists: [.annotations]),
            Binding(keys: [.character("?")], action: .showHelp, modes: undoable.union([.summary]), description: "this help", lists: corpusLists),
            Binding(keys: [.character(":")], action: .commandLine, modes: anywhere, description: "command line: any command by name", lists: corpusLists),
            Binding(keys: [.character("q"), .control("c")], action: .quit, modes: undoable.union([.summary]), description: "quit (all is saved)", lists: corpusLists),
        ]
        table += [
            Binding(keys: [.alt("m")], action: .toggleMouse, modes: [.reading, .selecting, .list, .summary],
                    description: "mouse on/off (off keeps the terminal's own copy)", lists: corpusLists),
        ]
        if corpus { table += Keymap.corpusBindings }
        bindings = table
    }

    /// The keys only a corpus has: switching documents from the text and the list, and
    /// the document list's own.
    static let corpusBindings: [Binding] = [
        Binding(keys: [.character("D")], action: .documentList, modes: [.reading, .list], description: "document list ⇄ the document", lists: [.documents, .annotations]),
        Binding(keys: [.character("J")], action: .nextDocument, modes: [.reading, .list], description: "next document (saves this one)", lists: [.documents]),
        Binding(keys: [.character("K")], action: .previousDocument, modes: [.reading, .list], description: "previous document", lists: [.documents]),
        Binding(keys: [.enter], action: .openDocument, modes: [], description: "documents: open it (at the annotation)", lists: [.documents, .annotations]),
        Binding(keys: [.character("s")], action: .setStatus, modes: [], description: "documents: status todo/in progress/done", lists: [.documents]),
        Binding(keys: [.character("A")], action: .corpusAnnotations, modes: [], description: "documents: every annotation of all", lists: [.documents]),
    ]

    /// The modes where a category's tag key works.
    public static let tagModes: Set<Mode> = [.reading, .selecting, .list, .detail]

    /// Codebook categories whose key is already bound to one of Gloss's own actions in a
    /// mode where tag keys work (``tagModes``), with that action's description; a
    /// codebook with any cannot be used.
    public static func conflicts(in codebook: Codebook) -> [(category: Category, description: String)] {
        // a folder's codebook serves its corpus and each of its documents alike
        let builtIn = Keymap(codebook: Codebook(name: "", categories: []), corpus: true)
        return codebook.categories.compactMap { category in
            guard let key = category.key.first,
                  let binding = builtIn.bindings.first(where: { !$0.modes.isDisjoint(with: tagModes) && $0.keys.contains(.character(key)) })
            else { return nil }
            return (category, binding.description)
        }
    }

    /// The action `key` triggers in `mode`, or nil.
    public func action(for key: Key, in mode: Mode) -> Action? {
        bindings.first { $0.modes.contains(mode) && $0.keys.contains(key) }?.action
    }

    /// The action `key` triggers in the corpus list `list`, or nil.
    public func action(for key: Key, in list: CorpusList) -> Action? {
        bindings.first { $0.lists.contains(list) && $0.keys.contains(key) }?.action
    }

    /// Help rows: the first two keys of a binding joined (`j ↓`) and its description, one
    /// row per distinct action, in table order.
    public var helpRows: [(keys: String, description: String)] {
        var seen = Set<String>()
        var rows: [(String, String)] = []
        for binding in bindings {
            let keys = binding.keys.prefix(2).map(\.label).joined(separator: " ")
            guard seen.insert(keys + binding.description).inserted else { continue }
            rows.append((keys, binding.description))
        }
        return rows
    }
}
