import Foundation
import GlossCore

extension AppState {
    /// Handles a key press: in a prompt the key edits the answer; elsewhere the
    /// ``Keymap`` turns it into an action for ``update(_:)``. Unbound keys do nothing.
    /// - Returns: the effects to carry out (save, quit).
    public mutating func handle(key: Key) -> [Effect] {
        // a line feed is Enter to everything but a prompt, which tells the two apart
        let key = key == .control("j") && mode != .prompt ? .enter : key
        // Esc during a mouse drag drops it: the release then selects nothing
        if key == .escape { mouseDrag = nil }
        if let job = searchJob {
            // a key stops a running search and does nothing else, so a key typed to stop
            // it never deletes or tags by surprise
            searchJob = nil
            message = "Search for \(job.text) stopped"
            messageIsError = false
            return []
        }
        // what is typed into a prompt is kept even while the terminal is too small to show it
        if mode == .prompt { return editPrompt(key) }
        // so is what is typed into the note editor
        if mode == .editor { return editorKey(key) }
        if geometry.tooSmall {
            // nothing would show what a key did; only quitting works
            return keymap.action(for: key, in: .reading) == .quit ? [.quit] : []
        }
        if mode == .help {
            // the help scrolls and searches; any other key closes it
            if !help.handle(key, rows: keymap.groupedHelpRows, width: screenWidth, height: screenHeight) { mode = underlyingMode }
            return []
        }
        // a count before a motion repeats it, as in vim and less: 3j, 12}
        // (a digit a codebook binds as a tag key stays a tag key)
        if let counted = key.addingToCount(pendingCount, bound: keymap.action(for: key, in: mode) != nil) {
            pendingCount = counted
            return []
        }
        let count = pendingCount ?? 1
        pendingCount = nil
        guard let action = keymap.action(for: key, in: mode) else {
            if case .character(let character) = key, !character.isWhitespace {
                message = "\(key.label) does nothing here; ? lists the keys"
                messageIsError = false
            }
            return []
        }
        var effects: [Effect] = []
        for _ in 0..<(action.takesCount ? count : 1) {
            // a count past the end stops there: 9999} at the last paragraph does not redo it
            let before = motionMark
            effects += update(action)
            if motionMark == before { break }
        }
        // the annotation a detail view showed is gone (undone, deleted by a merge)
        if mode == .detail && detailAnnotation == nil { mode = detailReturnMode }
        // a started link stays in the status line until it ends
        if message == nil, mode != .prompt, let hint = linkHint { message = hint }
        return effects
    }

    /// What a motion with a count changes (``Action/takesCount``): repeating it once this
    /// stays the same would change nothing more.
    private struct MotionMark: Equatable {
        var focus: SentencePosition?
        var selection: Selection?
        var top: RowPosition
        var listIndex: Int
        var currentAnnotationID: String?
        var detailTag: Int
        var codebookCursor: Int
        var summaryScroll: Int?
    }

    private var motionMark: MotionMark {
        MotionMark(focus: focus, selection: selection, top: top, listIndex: listIndex, currentAnnotationID: currentAnnotationID,
                   detailTag: detailTag, codebookCursor: codebookCursor, summaryScroll: summary?.scroll)
    }

    /// Handles what the terminal reports: a key (``handle(key:)``), pasted text
    /// (``handle(paste:)``) or a new size.
    /// - Returns: the effects to carry out (save, quit).
    public mutating func handle(_ event: InputEvent) -> [Effect] {
        switch event {
        case .key(let key): return handle(key: key)
        case .paste(let text): return handle(paste: text)
        case .mouse(let mouse): return handle(mouse: mouse)
        case .resize(let width, let height):
            // the text at the top row stays there (rewrapped, it starts a row of its own)
            let lines = Document.isProvisional(top.paragraph) || top.line == 0 ? [] : cache.lines(top.paragraph, part: top.part, width: wrapWidth)
            let topOffset = top.line < lines.count && !lines[top.line].glyphs.isEmpty ? lines[top.line].range.lowerBound : nil
            screenWidth = max(0, width)
            screenHeight = max(0, height)
            top = document.paragraph(top.paragraph) == nil ? RowPosition(paragraph: 0, line: 0)
                : topOffset.map { row(of: $0) }
                ?? RowPosition(paragraph: top.paragraph, part: min(top.part, cache.partCount(top.paragraph) - 1), line: 0)
            scrollToFocus()
            scrollList()
            let (width, visible) = (editorWrapWidth, editorInner.rows)
            editor?.scrollToCursor(width: width, visible: visible)
            return []
        }
    }

    /// Handles pasted text: in the note editor it is typed in with its line breaks (tabs
    /// as spaces, other controls dropped); in a prompt it is typed in, line breaks and tabs
    /// as spaces; elsewhere it is ignored, so pasted words never run as commands.
    public mutating func handle(paste text: String) -> [Effect] {
        if mode == .editor {
            pasteIntoEditor(text)
            return []
        }
        guard mode == .prompt, var prompt else {
            message = "Pasted text is only taken in a prompt or the note editor"
            return []
        }
        let cleaned = String(text.map { $0.isNewline || $0 == "\t" ? " " : $0 }
            .filter { !$0.unicodeScalars.contains(where: DisplayWidth.isControl) })
        var characters = Array(prompt.text)
        characters.insert(contentsOf: cleaned, at: prompt.cursor)
        prompt.setText(characters, cursor: prompt.cursor + cleaned.count)
        prompt.typed = prompt.text
        prompt.completionIndex = nil
        self.prompt = prompt
        return []
    }

    /// Applies `action` to the state (the one update function of the Elm architecture).
    /// - Returns: the effects to carry out (save, quit).
    public mutating func update(_ action: Action) -> [Effect] {
        message = nil
        messageIsError = false
        // the last match stays marked only until the next command, which `v` may take
        let match = searchMatch
        searchMatch = nil
        if readOnly {
            switch action {
            // the note editor opens read-only instead
            case .tag, .deleteAnnotation, .keepConflict, .undo, .redo, .tagOccurrences, .changeTagValue, .changeTagCategory, .removeTag, .renameValue,
                 .link, .deleteRelation, .codebookAddValue, .codebookAddCategory:
                message = "Read-only: " + readOnlyReason
                messageIsError = true
                return []
            default: break
            }
        }
        if focusIsProvisional {
            switch action {
            // their code points are not known until the index gets there
            case .startSelection, .tag, .tagOccurrences, .startSearch, .repeatSearch:
                message = AppState.provisionalNotice
                messageIsError = true
                return []
            default: break
            }
        }
        // in the annotation list and the summary, j k, a page and g G move the highlight or scroll
        if mode == .list || mode == .summary, let target = movedHighlight(action) {
            if mode == .list { selectListEntry(target) } else { summary?.scroll = target }
            return []
        }
        switch action {
        // boilerplate is passed over (it is still reached with { } g G, search and the list)
        case .nextSentence: moveFocus(to: focus.flatMap { sentence(besides: $0, forward: true) })
        case .previousSentence: moveFocus(to: focus.flatMap { sentence(besides: $0, forward: false) })
        case .nextParagraph:
            if mode == .selecting { extendSelection(to: paragraphBoundary(forward: true)) } else if let focus, !document.isLastParagraph(focus.paragraph) {
                moveFocus(to: SentencePosition(paragraph: focus.paragraph + 1, sentence: 0))
            } else { moveFocus(to: lastSentence) }
        case .previousParagraph:
            if mode == .selecting { extendSelection(to: paragraphBoundary(forward: false)) } else if let focus {
                let previous = focus.sentence > 0 || focus.part > 0 || document.paragraph(focus.paragraph - 1) == nil ? focus.paragraph : focus.paragraph - 1
                moveFocus(to: SentencePosition(paragraph: previous, sentence: 0))
            }
        case .halfPageDown: page(by: max(1, textRows / 2))
        case .halfPageUp: page(by: -max(1, textRows / 2))
        case .pageDown: page(by: max(1, textRows - 1))
        case .pageUp: page(by: -max(1, textRows - 1))
        case .documentStart:
            if !document.isEmpty { moveFocus(to: SentencePosition(paragraph: 0, sentence: 0)) }
        case .documentEnd:
            moveFocus(to: lastSentence)
            // the end of the text at the bottom, though the last sentence be taller than the pane
            if let focus {
                let end = lastTop(near: focus.paragraph)
                if isBefore(top, end) { top = end }
            }
        case .nextAnnotation, .previousAnnotation:
            jumpToAnnotation(forward: action == .nextAnnotation)
        case .startSelection:
            guard let range = focusRange else { return [] }
            // right after a search, the match; else the focused sentence
            // widened to whole grapheme clusters, as a match can end inside one
            let selected = match.flatMap { range.contains($0.lowerBound) && !$0.isEmpty ? clusterAligned($0) : nil } ?? range
            selection = Selection(anchor: selected.lowerBound, active: selected.upperBound)
            mode = .selecting
            message = "Selecting: h l by character, w b by word, o other end, then a tag key; Esc cancels"
        case .extendByGraphemeForward: extendSelection(to: graphemeBoundary(after: selection?.active))
        case .extendByGraphemeBackward: extendSelection(to: graphemeBoundary(before: selection?.active))
        case .extendByWordForward: extendSelection(to: wordBoundary(forward: true))
        case .extendByWordBackward: extendSelection(to: wordBoundary(forward: false))
        case .extendBySentenceForward: extendSelection(to: sentenceBoundary(forward: true))
        case .extendBySentenceBackward:
            // a right end pulled back to a sentence start stops after the previous sentence,
            // without the space between them
            let boundary = sentenceBoundary(forward: false)
            if let boundary, let selection, boundary > selection.anchor {
                extendSelection(to: endBeforeSpace(boundary, notBefore: selection.anchor))
            } else {
                extendSelection(to: boundary)
            }
        case .swapSelectionEnds:
            if let selection { self.selection = Selection(anchor: selection.active, active: selection.anchor) }
            scrollToFocus()
        case .cancel:
            if cancelLink() { return [] }
            if mode == .codebook {
                mode = codebookReturnMode
                return []
            }
            if mode == .summary { return toggleSummary() }
            if mode == .detail {
                mode = detailReturnMode
                return []
            }
            selection = nil
            mode = .reading
            scrollToFocus()
        case .tag(let category): openTagPrompt(category: category)
        case .editNote: openNoteEditor()
        case .editMemo: openMemoEditor()
        case .saveNote: return saveEditor()
        case .closeNoteEditor: requestCloseEditor()
        case .tagOccurrences: findOccurrences()
        case .filter: openFilterPrompt()
        case .showDetail:
            if linkSourceID != nil {
                finishLink()
                return []
            }
            guard currentAnnotationID.flatMap(annotation(id:)) != nil else {
                message = "No annotation here: ] [ jump to one"
                return []
            }
            openDetail(returningTo: mode)
        case .nextDetailTag: moveDetailTag(by: 1)
        case .previousDetailTag: moveDetailTag(by: -1)
        case .changeTagValue: openRetagValuePrompt()
        case .changeTagCategory: openRetagCategoryPrompt()
        case .removeTag: return removeDetailTag()
        case .renameValue: openRenamePrompt()
        case .link: linkHere()
        case .deleteRelation: return deleteDetailRelation()
        case .showCodebook: toggleCodebookView()
        case .codebookDown: moveCodebookCursor(by: 1)
        case .codebookUp: moveCodebookCursor(by: -1)
        case .codebookFold: toggleCodebookFold()
        case .codebookAddValue: openAddValuePrompt()
        case .codebookAddCategory: openAddCategoryPrompt()
        case .showSummary: return toggleSummary()
        case .listDown, .listUp: break  // moved above, in their modes
        case .clearFilter: applyFilter("")
        case .deleteAnnotation: return deleteCurrentAnnotation()
        case .keepConflict: return keepConflict()
        case .undo: return undoOrRedo(undo: true)
        case .redo: return undoOrRedo(undo: false)
        case .switchPane:
            if mode == .list {
                mode = .reading
            } else if listEntryCount == 0 {
                message = filter != nil ? "No annotation passes the filter; F clears it"
                    : "No annotations yet: tag a sentence with a category key (? lists them)"
            } else {
                mode = .list
                if let current = currentAnnotationID, let index = listedAnnotations.firstIndex(where: { $0.id == current }) {
                    listIndex = index
                }
                scrollList()
            }
        case .openListSelection:
            if linkSourceID != nil {
                finishLink()
                return []
            }
            guard listIndex < listEntryCount else { break }
            switch listEntry(listIndex) {
            case .annotation(let annotation):
                show(annotation)
                openDetail(returningTo: .list)
            case .orphan(let orphan):
                // said from a search of the text now: its words may be there, only not at a place of its own
                let reason = Reanchoring.orphanReason(of: orphan, in: document).map(\.description) ?? "no place of its own was found for it"
                message = "Orphaned: “\(Renderer.truncate(orphan.quote, to: 60))”: \(reason); kept in the store and exports (x deletes it)"
            case .invalid(let record):
                message = "Invalid record \(record.position) of \"\(record.list)\": \(record.reason); kept in the store as it is (x deletes it)"
            }
        case .startSearch:
            underlyingMode = .reading
            prompt = Prompt(purpose: .search, label: "/", text: "", cursor: 0, choices: [], aliases: [:],
                            completionIndex: nil, typed: "")
            mode = .prompt
        case .repeatSearch(let forward):
            guard let searchText else {
                message = "No search yet: / searches"
                return []
            }
            search(for: searchText, forward: forward)
        case .toggleMouse:
            mouseEnabled.toggle()
            mouseDrag = nil
            message = mouseEnabled ? "Mouse on" : "Mouse off"
        case .showHelp:
            underlyingMode = mode
            help = HelpPane()
            mode = .help
        case .commandLine: openCommandLine()
        case .quit:
            return [.quit]
        case .documentList, .nextDocument, .previousDocument, .openDocument, .setStatus, .corpusAnnotations:
            guard inCorpus else {
                message = "Not a corpus: gloss FOLDER opens a folder's documents with a document list"
                return []
            }
            return [.corpus(action)]
        }
        return []
    }

    /// Where `action` moves the annotation list's highlight (in the list) or the summary's
    /// first row (in the summary), as the corpus's lists move (``ListMotion``); nil when it
    /// is not a move there.
    func movedHighlight(_ action: Action) -> Int? {
        if mode == .summary {
            guard let pane = summary else { return nil }
            let box = SummaryBox(width: screenWidth, height: screenHeight)
            return ListMotion.target(of: action, from: pane.scroll, count: max(1, pane.rows.count - box.capacity + 1), page: box.capacity)
        }
        // each entry takes two rows below the list's heading
        let page = max(1, (geometry.list.height - 1) / Renderer.entryRows)
        return ListMotion.target(of: action, from: listIndex, count: listEntryCount, page: page)
    }
}
