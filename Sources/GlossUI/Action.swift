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
    case editNote, deleteAnnotation, undo, redo
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
    case quit
    /// The terminal now has this many columns and rows.
    case resize(width: Int, height: Int)
    /// A key typed into the open prompt.
    case promptKey(Key)
}
