import Foundation
import GlossCore

/// The note editor in the reader: `m` opens it on the note of the annotation here, `M` on
/// the document memo; Ctrl-S saves as one undoable change, Esc closes (asking first when
/// the text changed).
extension AppState {
    /// The editor's text area inside its frame and padding: columns and rows, at least 1 each.
    var editorInner: (width: Int, rows: Int) {
        let pane = geometry.editor
        return (max(1, pane.width - 4), max(1, pane.height - 2))
    }

    /// Columns the editor wraps its text to: its text area less one column, kept for the
    /// insertion point after a full row.
    var editorWrapWidth: Int { max(1, editorInner.width - 1) }

    /// "note" or "memo", for messages and the question on closing.
    var editedNoun: String {
        if case .memo = editor?.target { return "memo" }
        return "note"
    }

    /// Opens the editor on the note of the annotation `m` acts on (read-only when nothing
    /// may change); says so when there is none.
    mutating func openNoteEditor() {
        guard let id = actionableAnnotationID, let annotation = annotation(id: id) else {
            message = "No annotation here: tag the sentence first (a, t or c)"
            return
        }
        let quote = annotation.quote.prefix(200).split(whereSeparator: \.isWhitespace).joined(separator: " ")
        let title = "Note — \(Renderer.truncate(labelledSummary(of: annotation), to: 24)) “\(Renderer.truncate(quote, to: 24))”"
        startEditing(NoteEditor(target: .note(annotationID: id), title: title, text: annotation.note, readOnly: readOnly))
    }

    /// Opens the editor on the document memo (read-only when nothing may change).
    mutating func openMemoEditor() {
        startEditing(NoteEditor(target: .memo, title: "Document memo — " + document.fileName, text: contents.memo, readOnly: readOnly))
    }

    private mutating func startEditing(_ opened: NoteEditor) {
        editorReturnMode = mode == .list || mode == .detail ? mode : .reading
        var opened = opened
        opened.scrollToCursor(width: editorWrapWidth, visible: editorInner.rows)
        editor = opened
        mode = .editor
        if opened.readOnly {
            message = "Read-only: " + readOnlyReason + "; Esc closes"
        }
    }

    /// Closes the editor without saving, back to the mode it was opened from.
    mutating func closeEditor() {
        editor = nil
        mode = editorReturnMode
        // the annotation a detail view showed may have gone while the editor was open
        if mode == .detail && detailAnnotation == nil { mode = detailReturnMode }
    }

    /// Esc in the editor: closes it when the text is unchanged (or may not change), else
    /// asks whether to save.
    mutating func requestCloseEditor() {
        guard let editor else { return }
        if !editor.isChanged || editor.readOnly {
            closeEditor()
            return
        }
        self.editor?.confirmingClose = true
    }

    /// The question Esc asks when the text changed.
    public var editorQuestion: String {
        "Save the \(editedNoun)? (y)es / (n)o, discard / (c)ancel, keep editing"
    }

    /// Saves the editor's text as the note or the memo, as one undoable change, and closes
    /// it; nothing is recorded when the text is unchanged. In a read-only reader, or when
    /// the annotation is gone (deleted by a merge), the editor stays open and says why.
    /// - Returns: ``Effect/save`` when something changed.
    mutating func saveEditor() -> [Effect] {
        guard var editor else { return [] }
        editor.confirmingClose = false
        self.editor = editor
        if editor.readOnly || readOnly {
            message = "Read-only: " + readOnlyReason + "; nothing was saved (Esc, n discards)"
            messageIsError = true
            return []
        }
        let stamp = Annotation.timestamp(now())
        switch editor.target {
        case .note(let id):
            guard let existing = annotation(id: id) else {
                message = "The annotation of this note is gone; nothing was saved (Esc, n discards)"
                messageIsError = true
                return []
            }
            closeEditor()
            guard existing.note != editor.text else { return [] }
            var changed = existing
            changed.note = editor.text
            changed.modified = stamp
            message = editor.text.isEmpty ? "Note removed (u undoes)" : "Note saved (u undoes)"
            return record(Change(description: "note", removed: [existing], inserted: [changed]))
        case .memo:
            closeEditor()
            guard contents.memo != editor.text else { return [] }
            message = editor.text.isEmpty ? "Memo removed (u undoes)" : "Memo saved (u undoes)"
            return record(Change(description: "memo", memoBefore: contents.memo, after: editor.text))
        }
    }

    /// A key while the editor is open: the question's answer when it asks one; else a
    /// command of the key table (Ctrl-S, Esc), else an editing key: a character is typed,
    /// Enter breaks the line, Backspace Del (Ctrl-D) delete, ← → (Ctrl-B Ctrl-F) move by a
    /// character, ↑ ↓ (Ctrl-P Ctrl-N) PgUp PgDn by rows keeping the column, Home End to
    /// the row's ends, Ctrl-A Ctrl-E to the line's, Ctrl-U Ctrl-K delete to the line's
    /// start and end, Tab types spaces to the next stop.
    /// Keys are taken even while the terminal is too small to show the editor.
    mutating func editorKey(_ key: Key) -> [Effect] {
        guard var editor else {
            mode = editorReturnMode
            return []
        }
        message = nil
        messageIsError = false
        if editor.confirmingClose {
            switch key {
            case .character("y"), .character("Y"), .control("s"):
                return saveEditor()
            case .character("n"), .character("N"):
                let noun = editedNoun
                closeEditor()
                message = "Changes to the \(noun) discarded"
            case .character("c"), .character("C"), .escape, .control("c"), .control("g"):
                editor.confirmingClose = false
                self.editor = editor
            default:
                break  // the question stays until it is answered
            }
            return []
        }
        if let action = keymap.action(for: key, in: .editor) { return update(action) }
        let (width, visible) = (editorWrapWidth, editorInner.rows)
        let edits: Bool
        switch key {
        case .character, .enter, .tab, .backspace, .delete, .control("d"), .control("h"), .control("u"), .control("k"), .control("w"): edits = true
        default: edits = false
        }
        if edits && editor.readOnly {
            message = "Read-only: " + readOnlyReason + "; Esc closes"
            messageIsError = true
            return []
        }
        switch key {
        case .character(let character): editor.insert(String(character))
        case .enter: editor.insertNewline()
        case .tab: editor.insert("\t")
        case .backspace, .control("h"): editor.deleteBackward()
        case .delete, .control("d"): editor.deleteForward()
        case .control("u"): editor.deleteToLineStart()
        case .control("k"): editor.deleteToLineEnd()
        case .left, .control("b"): editor.moveLeft()
        case .right, .control("f"): editor.moveRight()
        case .up, .control("p"): editor.moveRows(-1, width: width)
        case .down, .control("n"): editor.moveRows(1, width: width)
        case .pageUp: editor.moveRows(-max(1, visible - 1), width: width)
        case .pageDown: editor.moveRows(max(1, visible - 1), width: width)
        case .home: editor.moveToRowStart(width: width)
        case .end: editor.moveToRowEnd(width: width)
        case .control("a"): editor.moveToLineStart()
        case .control("e"): editor.moveToLineEnd()
        case .control("w"): editor.deleteWordBackward()
        case .alt("b"), .alt("B"): editor.moveWordLeft()
        case .alt("f"), .alt("F"): editor.moveWordRight()
        default: break
        }
        editor.scrollToCursor(width: width, visible: visible)
        self.editor = editor
        return []
    }

    /// Text pasted into the editor: typed in at the insertion point, line breaks kept,
    /// tabs as spaces, other control characters dropped.
    mutating func pasteIntoEditor(_ text: String) {
        guard var editor else { return }
        guard !editor.readOnly else {
            message = "Read-only: " + readOnlyReason + "; Esc closes"
            messageIsError = true
            return
        }
        guard !editor.confirmingClose else { return }
        editor.insert(text)
        editor.scrollToCursor(width: editorWrapWidth, visible: editorInner.rows)
        self.editor = editor
    }

    /// Saves the text of an open note editor (the note or the memo) when it changed, for
    /// a session that must end now (a signal, the terminal gone): the analyst's writing is
    /// kept as typed so far. Prompts are left, as their answers are not finished work.
    /// - Returns: the effects of storing it (a save), or none.
    public mutating func keepOpenNote() -> [Effect] {
        guard let editor, editor.isChanged, !editor.readOnly else { return [] }
        return saveEditor()
    }
}
