import GlossCore

/// Everything the user can ask Gloss to do; keys map to actions through the ``Keymap``.
public enum Action: Hashable, Sendable {
    case nextSentence, previousSentence, nextParagraph, previousParagraph
    case halfPageDown, halfPageUp, pageDown, pageUp, documentStart, documentEnd
    case nextAnnotation, previousAnnotation
    /// Starts a selection at the focused sentence.
    case startSelection
    case extendByGraphemeBackward, extendByGraphemeForward
    case extendByWordForward, extendByWordBackward
    case extendBySentenceForward, extendBySentenceBackward
    /// Makes the other end of the selection the one that moves.
    case swapSelectionEnds
    /// Leaves the selection, list or overlay; in a prompt, cancels it.
    case cancel
    /// Tags the selection or focused sentence with the category of this id.
    case tag(category: String)
    /// Opens the note editor on the note of the annotation here.
    case editNote
    /// Opens the note editor on the document memo.
    case editMemo
    /// In the note editor: saves the note or memo as one undoable change and closes.
    case saveNote
    /// In the note editor: closes it, asking first whether to save changes.
    case closeNoteEditor
    case deleteAnnotation, undo, redo
    /// On an annotation `gloss merge` marked as a conflict: keeps it, deletes its rivals
    /// (the annotations with the same ``Annotation/conflict``) and clears the mark, as one
    /// undoable change.
    case keepConflict
    /// Finds the other occurrences of the annotation's quote and offers to tag them alike.
    case tagOccurrences
    /// Asks for a filter on the list and highlights; clears it.
    case filter, clearFilter
    /// Opens the detail view of the annotation here.
    case showDetail
    /// In the detail view: moves between the annotation's tags.
    case nextDetailTag, previousDetailTag
    /// In the detail view: asks for a new value, or category, of the tag; removes it.
    case changeTagValue, changeTagCategory, removeTag
    /// In the detail view: renames the tag's value in every annotation of the document
    /// (a value renamed to another one merges the two).
    case renameValue
    /// Starts a link at the annotation here, or ends a started one here and asks for the
    /// relation type.
    case link
    /// In the detail view: deletes the selected relation.
    case deleteRelation
    /// Opens the codebook view (categories and values as a tree, with counts of their
    /// tags in this document), or closes it.
    case showCodebook
    /// In the codebook view: moves the highlight to the next or previous row.
    case codebookDown, codebookUp
    /// In the codebook view: folds or unfolds the highlighted category.
    case codebookFold
    /// In the codebook view: asks for a new value, narrower than the highlighted value or
    /// at the top of the highlighted category, and adds it to the codebook file.
    case codebookAddValue
    /// In the codebook view: asks for a new category's label, key and colour, and adds it
    /// to the codebook file; its tag key works at once.
    case codebookAddCategory
    /// Opens the summary pane (tags per category and value, and co-occurring tags, as
    /// `gloss stats` counts them, drawn as bars: over the whole corpus in a corpus, over
    /// the document otherwise), or closes it.
    case showSummary
    /// Moves keyboard focus between the reader and the annotation list.
    case switchPane
    case listDown, listUp
    /// Jumps the reader to the annotation selected in the list.
    case openListSelection
    /// Asks for text to search for.
    case startSearch
    /// Moves to the next (`forward`) or previous match of the last search.
    case repeatSearch(forward: Bool)
    case showHelp
    /// Opens the `:` command line, where every command can be given by name.
    case commandLine
    case quit
    /// In a corpus: shows the document list, or, from the list, goes back to the open
    /// document.
    case documentList
    /// In a corpus: saves the open document and opens the next (or previous) one in the
    /// list, where it was last left.
    case nextDocument, previousDocument
    /// In the document list: opens the highlighted document; in the corpus-wide
    /// annotation list, opens its document at the highlighted annotation.
    case openDocument
    /// In the document list: cycles the highlighted document's status (todo, in
    /// progress, done).
    case setStatus
    /// In the document list: shows every annotation of every document of the corpus.
    case corpusAnnotations
    /// Turns mouse reporting on or off (``AppState/mouseEnabled``).
    case toggleMouse
}

/// What arrives from the terminal, apart from the commands it may trigger: a key (which the
/// ``Keymap`` turns into a command, or a prompt edits with), pasted text, a new size.
public enum InputEvent: Hashable, Sendable {
    /// A key press.
    case key(Key)
    /// Text pasted into the terminal, whole (bracketed paste).
    case paste(String)
    /// The terminal now has this many columns and rows.
    case resize(width: Int, height: Int)
    /// A mouse press, drag, release or wheel turn (only while the mouse is on).
    case mouse(MouseEvent)
}

extension Action {
    /// The command's stable name, as key bindings, the help overlay, a configuration file
    /// and a command line refer to it (kebab case, as helix and tig name their commands):
    /// `next-sentence`, `tag:actor`, `delete-annotation`.
    public var name: String {
        switch self {
        case .nextSentence: "next-sentence"
        case .previousSentence: "previous-sentence"
        case .nextParagraph: "next-paragraph"
        case .previousParagraph: "previous-paragraph"
        case .halfPageDown: "half-page-down"
        case .halfPageUp: "half-page-up"
        case .pageDown: "page-down"
        case .pageUp: "page-up"
        case .documentStart: "document-start"
        case .documentEnd: "document-end"
        case .nextAnnotation: "next-annotation"
        case .previousAnnotation: "previous-annotation"
        case .startSelection: "start-selection"
        case .extendByGraphemeBackward: "extend-character-backward"
        case .extendByGraphemeForward: "extend-character-forward"
        case .extendByWordForward: "extend-word-forward"
        case .extendByWordBackward: "extend-word-backward"
        case .extendBySentenceForward: "extend-sentence-forward"
        case .extendBySentenceBackward: "extend-sentence-backward"
        case .swapSelectionEnds: "swap-selection-ends"
        case .cancel: "cancel"
        case .tag(let category): "tag:" + category
        case .editNote: "edit-note"
        case .editMemo: "edit-memo"
        case .saveNote: "save-note"
        case .closeNoteEditor: "close-note-editor"
        case .tagOccurrences: "tag-occurrences"
        case .filter: "filter"
        case .showDetail: "show-detail"
        case .nextDetailTag: "detail-next-tag"
        case .previousDetailTag: "detail-previous-tag"
        case .changeTagValue: "change-tag-value"
        case .changeTagCategory: "change-tag-category"
        case .removeTag: "remove-tag"
        case .renameValue: "rename-value"
        case .link: "link"
        case .deleteRelation: "delete-relation"
        case .showCodebook: "codebook"
        case .codebookDown: "codebook-down"
        case .codebookUp: "codebook-up"
        case .codebookFold: "codebook-fold"
        case .codebookAddValue: "codebook-add-value"
        case .codebookAddCategory: "codebook-add-category"
        case .showSummary: "summary"
        case .clearFilter: "clear-filter"
        case .deleteAnnotation: "delete-annotation"
        case .keepConflict: "keep-conflict"
        case .undo: "undo"
        case .redo: "redo"
        case .switchPane: "switch-pane"
        case .listDown: "list-down"
        case .listUp: "list-up"
        case .openListSelection: "open-list-selection"
        case .startSearch: "search"
        case .repeatSearch(let forward): forward ? "search-next" : "search-previous"
        case .showHelp: "help"
        case .commandLine: "command-line"
        case .quit: "quit"
        case .documentList: "document-list"
        case .nextDocument: "next-document"
        case .previousDocument: "previous-document"
        case .openDocument: "open-document"
        case .setStatus: "set-status"
        case .corpusAnnotations: "corpus-annotations"
        case .toggleMouse: "toggle-mouse"
        }
    }

    /// True for the motions a count repeats (`3j`, `2w`, `5]`): moving the focus, a
    /// selection's end or the list's highlight.
    public var takesCount: Bool {
        switch self {
        case .nextSentence, .previousSentence, .nextParagraph, .previousParagraph, .halfPageDown, .halfPageUp,
             .pageDown, .pageUp, .nextAnnotation, .previousAnnotation, .extendByGraphemeBackward,
             .extendByGraphemeForward, .extendByWordForward, .extendByWordBackward, .extendBySentenceForward,
             .extendBySentenceBackward, .listDown, .listUp, .nextDetailTag, .previousDetailTag, .codebookDown, .codebookUp:
            return true
        default:
            return false
        }
    }

    /// The commands that only a corpus (`gloss DIR`, or several files) has.
    public static let corpusCommands: [Action] = [.documentList, .nextDocument, .previousDocument, .openDocument, .setStatus, .corpusAnnotations]

    /// Every command the user can give with `codebook`'s categories, in help order: the
    /// cases of ``Action``, tags once per category; with `corpus`, the commands of a
    /// corpus (``corpusCommands``) too.
    public static func commands(for codebook: Codebook, corpus: Bool) -> [Action] {
        commands(for: codebook) + (corpus ? corpusCommands : [])
    }

    /// Every command of a single document with `codebook`'s categories, in help order.
    public static func commands(for codebook: Codebook) -> [Action] {
        [.nextSentence, .previousSentence, .nextParagraph, .previousParagraph, .halfPageDown, .halfPageUp,
         .pageDown, .pageUp, .documentStart, .documentEnd, .nextAnnotation, .previousAnnotation,
         .startSelection, .extendBySentenceForward, .extendBySentenceBackward, .extendByGraphemeBackward,
         .extendByGraphemeForward, .extendByWordForward, .extendByWordBackward, .swapSelectionEnds, .cancel]
            + codebook.categories.map { Action.tag(category: $0.id) }
            + [.showDetail, .nextDetailTag, .previousDetailTag, .changeTagValue, .changeTagCategory, .removeTag,
               .renameValue, .deleteRelation, .link, .showCodebook, .codebookDown, .codebookUp, .codebookFold, .codebookAddValue, .codebookAddCategory,
               .showSummary, .editNote, .editMemo, .saveNote, .closeNoteEditor, .tagOccurrences, .deleteAnnotation, .keepConflict, .undo, .redo, .switchPane, .listDown, .listUp, .openListSelection,
               .startSearch, .repeatSearch(forward: true), .repeatSearch(forward: false), .filter, .clearFilter, .toggleMouse, .showHelp, .commandLine, .quit]
    }

    /// The command called `name` (see ``name``), or nil when there is none; `tag:ID` names
    /// a category of `codebook`.
    public init?(name: String, codebook: Codebook) {
        guard let command = Action.commands(for: codebook, corpus: true).first(where: { $0.name == name }) else { return nil }
        self = command
    }
}
