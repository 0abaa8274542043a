import Foundation
import GlossCore

extension AppState {
    /// Handles a key press: in a prompt the key edits the answer; elsewhere the
    /// ``Keymap`` turns it into an action for ``update(_:)``. Unbound keys do nothing.
    /// - Returns: the effects to carry out (save, quit).
    public mutating func handle(key: Key) -> [Effect] {
        // a line feed is Enter to everything but a prompt, which tells the two apart
        let key = key == .control("j") && mode != .prompt ? .enter : key
        if let job = searchJob {
            // a key stops a running search and does nothing else, so a key typed to stop
            // it never deletes or tags by surprise
            searchJob = nil
            message = "Search for \(job.text) stopped"
            messageIsError = false
            return []
        }
        if geometry.tooSmall {
            // nothing would show what a key did; only quitting works
            return keymap.action(for: key, in: .reading) == .quit ? [.quit] : []
        }
        if mode == .prompt { return update(.promptKey(key)) }
        if mode == .help {
            mode = underlyingMode
            return []
        }
        guard let action = keymap.action(for: key, in: mode) else {
            if case .character(let character) = key, !character.isWhitespace {
                message = "\(key.label) does nothing here; ? lists the keys"
                messageIsError = false
            }
            return []
        }
        return update(action)
    }

    /// Handles pasted text: in a prompt it is typed in, line breaks and tabs as spaces;
    /// elsewhere it is ignored, so pasted words never run as commands.
    public mutating func handle(paste text: String) -> [Effect] {
        guard mode == .prompt, var prompt else {
            message = "Pasted text is only taken in a prompt"
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
        if case .resize = action {} else if case .promptKey = action {} else { message = nil; messageIsError = false }
        if readOnly {
            switch action {
            case .tag, .editNote, .deleteAnnotation, .undo, .redo:
                message = "Read-only: " + readOnlyReason
                messageIsError = true
                return []
            default: break
            }
        }
        switch action {
        case .resize(let width, let height):
            screenWidth = max(0, width)
            screenHeight = max(0, height)
            top = RowPosition(paragraph: document.paragraph(top.paragraph) == nil ? 0 : top.paragraph, line: 0)
            scrollToFocus()
            scrollList()
            return []
        case .nextSentence: moveFocus(to: focus.flatMap(next))
        case .previousSentence: moveFocus(to: focus.flatMap(previous))
        case .nextParagraph:
            if mode == .selecting { extendSelection(to: paragraphBoundary(forward: true)) } else if let focus, !document.isLastParagraph(focus.paragraph) {
                moveFocus(to: SentencePosition(paragraph: focus.paragraph + 1, sentence: 0))
            } else { moveFocus(to: lastSentence) }
        case .previousParagraph:
            if mode == .selecting { extendSelection(to: paragraphBoundary(forward: false)) } else if let focus {
                moveFocus(to: SentencePosition(paragraph: focus.sentence > 0 ? focus.paragraph : max(0, focus.paragraph - 1), sentence: 0))
            }
        case .halfPageDown: page(by: max(1, textRows / 2))
        case .halfPageUp: page(by: -max(1, textRows / 2))
        case .pageDown: page(by: max(1, textRows - 1))
        case .pageUp: page(by: -max(1, textRows - 1))
        case .documentStart:
            if !document.isEmpty { moveFocus(to: SentencePosition(paragraph: 0, sentence: 0)) }
        case .documentEnd: moveFocus(to: lastSentence)
        case .nextAnnotation, .previousAnnotation:
            jumpToAnnotation(forward: action == .nextAnnotation)
        case .startSelection:
            guard let range = focusRange else { return [] }
            selection = Selection(anchor: range.lowerBound, active: range.upperBound)
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
            selection = nil
            mode = .reading
            scrollToFocus()
        case .tag(let category): openTagPrompt(category: category)
        case .editNote: openNotePrompt()
        case .deleteAnnotation: return deleteCurrentAnnotation()
        case .undo: return undoOrRedo(undo: true)
        case .redo: return undoOrRedo(undo: false)
        case .switchPane:
            if mode == .list {
                mode = .reading
            } else if listEntryCount == 0 {
                message = "No annotations yet: tag a sentence with a category key (? lists them)"
            } else {
                mode = .list
                if let current = currentAnnotationID, let index = annotations.firstIndex(where: { $0.id == current }) {
                    listIndex = index
                }
                scrollList()
            }
        case .listDown: selectListEntry(listIndex + 1)
        case .listUp: selectListEntry(listIndex - 1)
        case .openListSelection:
            guard listIndex < listEntryCount else { break }
            switch listEntry(listIndex) {
            case .annotation(let annotation):
                show(annotation)
                mode = .reading
            case .orphan(let orphan):
                message = "Orphaned: “\(Renderer.truncate(orphan.quote, to: 60))” is no longer in the text; kept in the store and exports (x deletes it)"
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
        case .showHelp:
            underlyingMode = mode
            mode = .help
        case .quit:
            return [.quit]
        case .promptKey(let key): return editPrompt(key)
        }
        return []
    }

    // MARK: - Moving

    var lastSentence: SentencePosition? {
        guard !document.isEmpty else { return nil }
        // the only move that needs the whole index; the background indexer has usually built it
        let paragraph = document.paragraphCount - 1
        return SentencePosition(paragraph: paragraph, sentence: cache.sentences(paragraph).count - 1)
    }

    mutating func moveFocus(to position: SentencePosition?) {
        guard let position else { return }
        focus = position
        currentAnnotationID = nil
        updateCurrentAnnotation()
        scrollToFocus()
    }

    /// Scrolls the view by `rows` and moves the focus the same distance (vim's Ctrl-D):
    /// forward, to the first sentence that starts on or after the row the focus lands on;
    /// back, to the sentence at that row. The focus always moves when it can.
    mutating func page(by rows: Int) {
        guard let range = focusRange, let focus else { return }
        let focusRow = row(of: range.lowerBound)
        var offsetInView = 0
        var row = top
        while row != focusRow && offsetInView < textRows - 1 {
            guard let next = nextRow(row) else { break }
            row = next
            offsetInView += 1
        }
        if row != focusRow { offsetInView = 0 }
        var newTop = move(top, by: rows)
        if rows > 0, let last = lastTop(near: newTop), isBefore(last, newTop) { newTop = isBefore(last, top) ? top : last }
        let target = move(newTop, by: offsetInView)
        top = newTop
        let lines = cache.lines(target.paragraph, width: wrapWidth)
        let offset = target.line < lines.count && !lines[target.line].glyphs.isEmpty
            ? lines[target.line].range.lowerBound
            : (document.paragraph(target.paragraph + 1) ?? document.paragraph(target.paragraph))?.range.lowerBound ?? 0
        var position = sentence(containing: offset) ?? focus
        if rows > 0 {
            if sentenceRange(position).lowerBound < offset, let following = next(position) { position = following }
            if position <= focus { position = next(focus) ?? focus }
        } else if position >= focus {
            position = previous(focus) ?? focus
        }
        self.focus = position
        currentAnnotationID = nil
        updateCurrentAnnotation()
        scrollToFocus()
    }

    mutating func jumpToAnnotation(forward: Bool) {
        guard !annotations.isEmpty else {
            message = "No annotations yet"
            return
        }
        let index: Int?
        if let current = currentAnnotationID, let position = annotations.firstIndex(where: { $0.id == current }) {
            index = forward ? (position + 1 < annotations.count ? position + 1 : nil) : (position > 0 ? position - 1 : nil)
        } else if let range = focusRange {
            index = forward ? annotations.firstIndex { $0.start >= range.lowerBound } : annotations.lastIndex { $0.start < range.lowerBound }
        } else {
            index = nil
        }
        guard let index else {
            message = forward ? "No annotation after this one" : "No annotation before this one"
            return
        }
        show(annotations[index])
    }

    mutating func selectListEntry(_ index: Int) {
        guard listEntryCount > 0 else { return }
        listIndex = max(0, min(listEntryCount - 1, index))
        if case .annotation(let annotation) = listEntry(listIndex) { currentAnnotationID = annotation.id }
        scrollList()
    }

    /// The list shows every entry in two rows; nothing to store but the index, so this
    /// only clamps it.
    mutating func scrollList() {
        listIndex = max(0, min(listIndex, listEntryCount - 1))
    }

    // MARK: - Search

    /// Starts looking for the next (or previous) case-insensitive match of `text` after
    /// (before) the focused sentence, wrapping around the document, and moves the focus to
    /// the sentence of the match. The search runs a paragraph at a time in slices of
    /// ``searchSlice`` seconds: ``continueSearch(forSeconds:)`` goes on with it between
    /// keys, and any key stops it (and does nothing else).
    mutating func search(for text: String, forward: Bool) {
        guard let range = focusRange, !document.isEmpty else { return }
        searchJob = SearchJob(text: text, forward: forward, startParagraph: focus?.paragraph ?? 0,
                              focusRange: range, step: 0, count: document.paragraphCount)
        continueSearch(forSeconds: AppState.searchSlice)
    }

    /// The code points where `text` starts in paragraph `index`, case-insensitively, as
    /// Foundation finds them (folding case in all of Unicode, canonically equivalent text
    /// equal). For an ASCII `text`, a byte-wise pass first rules out the paragraphs that
    /// cannot match, which is most of them: an ASCII text can only match where its bytes
    /// match ignoring ASCII case, or through the few characters that fold or decompose to
    /// ASCII (``asciiLookalikes``).
    static func matches(of text: String, inParagraph index: Int, of document: Document) -> [Int] {
        guard let paragraph = document.paragraph(index) else { return [] }
        let needle = Array(text.utf8)
        if !needle.isEmpty, needle.allSatisfy({ $0 < 0x80 }) {
            let possible = document.withUTF8 { bytes in
                AppState.mayMatch(asciiNeedle: needle, in: UnsafeBufferPointer(rebasing: bytes[paragraph.byteRange]))
            }
            if !possible { return [] }
        }
        let body = document.text(ofParagraph: index)
        var found: [Int] = []
        var searchRange = body.startIndex..<body.endIndex
        while let match = body.range(of: text, options: [.caseInsensitive], range: searchRange) {
            found.append(paragraph.range.lowerBound + body.unicodeScalars.distance(from: body.startIndex, to: match.lowerBound))
            searchRange = match.upperBound..<body.endIndex
        }
        return found
    }

    /// UTF-8 of the characters that case-fold or canonically decompose to ASCII: ß, ẞ, ſ,
    /// İ, the Kelvin sign, the Greek question mark and varia, and the Latin ligatures
    /// U+FB00 to U+FB06.
    static let asciiLookalikes: [[UInt8]] = [
        [0xC3, 0x9F], [0xE1, 0xBA, 0x9E], [0xC5, 0xBF], [0xC4, 0xB0], [0xE2, 0x84, 0xAA], [0xCD, 0xBE], [0xE1, 0xBF, 0xAF],
    ] + (0x80...0x86).map { [0xEF, 0xAC, UInt8($0)] }

    /// False only when `body` cannot hold a case-insensitive match of the ASCII `needle`.
    static func mayMatch(asciiNeedle needle: [UInt8], in body: UnsafeBufferPointer<UInt8>) -> Bool {
        func lower(_ byte: UInt8) -> UInt8 { byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte }
        let folded = needle.map(lower)
        var start = 0
        var sawNonASCII = false
        while start < body.count {
            if body[start] >= 0x80 { sawNonASCII = true }
            if start + folded.count <= body.count {
                var length = 0
                while length < folded.count && lower(body[start + length]) == folded[length] { length += 1 }
                if length == folded.count { return true }
            }
            start += 1
        }
        guard sawNonASCII else { return false }
        for lookalike in asciiLookalikes {
            var position = 0
            while position + lookalike.count <= body.count {
                if body[position] == lookalike[0] && body[position + 1] == lookalike[1]
                    && (lookalike.count == 2 || body[position + 2] == lookalike[2]) { return true }
                position += 1
            }
        }
        return false
    }

    /// How long one slice of a search may run before the screen is drawn again.
    public static let searchSlice = 0.003

    /// Goes on with the running search for about `seconds`.
    /// - Returns: true while the search is still running.
    @discardableResult
    public mutating func continueSearch(forSeconds seconds: Double) -> Bool {
        guard var job = searchJob else { return false }
        let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(seconds * 1e9)
        let count = job.count
        while job.step <= count {
            let step = job.step
            job.step += 1
            let index = ((job.forward ? job.startParagraph + step : job.startParagraph - step) % count + count) % count
            let matches = AppState.matches(of: job.text, inParagraph: index, of: document)
            let wrapped = step == count
            let candidates: [Int]
            let range = job.focusRange
            if step == 0 {
                // the focus is a sentence, so the next match is in another sentence
                candidates = job.forward ? matches.filter { $0 >= range.upperBound } : matches.filter { $0 < range.lowerBound }
            } else if wrapped {
                candidates = job.forward ? matches.filter { $0 < range.upperBound } : matches.filter { $0 >= range.lowerBound }
            } else {
                candidates = matches
            }
            if let offset = job.forward ? candidates.first : candidates.last {
                searchJob = nil
                moveFocus(to: sentence(containing: offset))
                let passedEnd = job.forward ? index < job.startParagraph || wrapped : index > job.startParagraph || wrapped
                message = "/\(job.text)" + (passedEnd ? "  (search wrapped around)" : "")
                messageIsError = false
                return false
            }
            if DispatchTime.now().uptimeNanoseconds > deadline && job.step <= count {
                searchJob = job
                message = "Searching for \(job.text)… \(job.step * 100 / (count + 1))% (Esc stops)"
                messageIsError = false
                return true
            }
        }
        searchJob = nil
        message = "Not found: \(job.text)"
        return false
    }

    // MARK: - Selection

    mutating func extendSelection(to offset: Int?) {
        guard var selection, let offset else { return }
        selection.active = offset
        self.selection = selection
        scrollToFocus()
    }

    /// Grapheme boundaries of the paragraph around `offset` (or of the next paragraph when
    /// `offset` is between paragraphs).
    func boundaries(near offset: Int) -> (paragraph: Int, boundaries: [Int])? {
        guard let paragraph = document.paragraphIndex(atOrBefore: offset) ?? document.paragraphIndex(atOrAfter: offset) else { return nil }
        return (paragraph, cache.text(paragraph).boundaries)
    }

    func graphemeBoundary(after offset: Int?) -> Int? {
        guard let offset, let (paragraph, boundaries) = boundaries(near: offset) else { return nil }
        if let next = boundaries.first(where: { $0 > offset }) { return next }
        guard !document.isLastParagraph(paragraph) else { return nil }
        return cache.text(paragraph + 1).boundaries.dropFirst().first
    }

    func graphemeBoundary(before offset: Int?) -> Int? {
        guard let offset, let (paragraph, boundaries) = boundaries(near: offset) else { return nil }
        if let previous = boundaries.last(where: { $0 < offset }) { return previous }
        guard paragraph > 0 else { return nil }
        return cache.text(paragraph - 1).boundaries.dropLast().last
    }

    /// `offset` moved back over the whitespace graphemes before it, not past `floor`.
    func endBeforeSpace(_ offset: Int, notBefore floor: Int) -> Int {
        guard let (_, _) = boundaries(near: max(0, offset - 1)),
              let paragraph = document.paragraphIndex(atOrBefore: max(0, offset - 1)) else { return offset }
        var end = offset
        for grapheme in cache.text(paragraph).graphemes.reversed() where grapheme.start < end {
            guard grapheme.character.isWhitespace, grapheme.start >= floor else { break }
            end = grapheme.start
        }
        return end
    }

    /// Next or previous word boundary for the active end: word ends when it is the right
    /// end of the selection, word starts when it is the left end.
    func wordBoundary(forward: Bool) -> Int? {
        guard let selection, let (paragraph, _) = boundaries(near: selection.active) else { return nil }
        let rightEnd = selection.active >= selection.anchor
        let text = cache.text(paragraph)
        let isWord = text.graphemes.map { $0.character.isLetter || $0.character.isNumber }
        // Chinese and Japanese are written without spaces: each wide character is a word
        let isWide = text.graphemes.map { DisplayWidth.breaksAround($0.character) }
        var stops: [Int] = []
        for index in isWord.indices {
            let before = index > 0 && isWord[index - 1]
            let wideJoin = index > 0 && (isWide[index] || isWide[index - 1])
            if rightEnd, before, !isWord[index] || wideJoin { stops.append(text.graphemes[index].start) }
            if !rightEnd, isWord[index], !before || wideJoin { stops.append(text.graphemes[index].start) }
        }
        if rightEnd, isWord.last == true { stops.append(text.range.upperBound) }
        let found = forward ? stops.first { $0 > selection.active } : stops.last { $0 < selection.active }
        return found ?? (forward ? text.range.upperBound : text.range.lowerBound)
    }

    /// The next sentence end after the active end, or the sentence start before it.
    func sentenceBoundary(forward: Bool) -> Int? {
        guard let active = selection?.active, let here = sentence(containing: forward ? active : max(0, active - 1)) else { return nil }
        let range = sentenceRange(here)
        if forward {
            if active < range.upperBound { return range.upperBound }
            return next(here).map { sentenceRange($0).upperBound }
        }
        if active > range.lowerBound { return range.lowerBound }
        return previous(here).map { sentenceRange($0).lowerBound }
    }

    func paragraphBoundary(forward: Bool) -> Int? {
        guard let selection, let (paragraph, _) = boundaries(near: selection.active) else { return nil }
        guard let range = document.paragraph(paragraph)?.range else { return nil }
        if forward {
            if selection.active < range.upperBound { return range.upperBound }
            return document.paragraph(paragraph + 1)?.range.upperBound
        }
        if selection.active > range.lowerBound { return range.lowerBound }
        return document.paragraph(paragraph - 1)?.range.lowerBound
    }

    // MARK: - Tagging and notes

    mutating func openTagPrompt(category id: String) {
        guard let category = codebook.category(id: id) else { return }
        // the annotation `m` and `x` would act on gets the tag, unless the user is on a
        // plain sentence or making a selection
        var target: Annotation?
        let range: Range<Int>?
        if mode == .list {
            if listIndex < listEntryCount, case .annotation(let annotation) = listEntry(listIndex) { target = annotation }
            range = target?.range
        } else if mode == .selecting, selection?.range.isEmpty == true {
            message = "The selection is empty: widen it with l or w"
            return
        } else if mode == .reading, annotationTargeted, let id = currentAnnotationID, let annotation = annotation(id: id) {
            target = annotation
            range = annotation.range
        } else {
            range = targetRange
        }
        guard let range, !range.isEmpty else {
            message = mode == .list ? "Only an annotation can be tagged here" : "Nothing to tag"
            return
        }
        var choices: [String] = []
        var aliases: [String: [String]] = [:]
        var seen = Set<String>()
        for value in category.allValues {
            aliases[value.value, default: []] += value.aliases
            if seen.insert(value.value).inserted { choices.append(value.value) }
        }
        for value in usedValues(category: id) where seen.insert(value).inserted {
            choices.append(value)
        }
        underlyingMode = mode
        let label = target.map { "\(category.label) (adding to \(summary(of: $0))): " } ?? "\(category.label): "
        prompt = Prompt(purpose: .tagValue(category: id, range: range, annotationID: target?.id), label: label,
                        text: "", cursor: 0, choices: choices, aliases: aliases, completionIndex: nil, typed: "")
        mode = .prompt
    }

    mutating func openNotePrompt() {
        guard let id = actionableAnnotationID, let annotation = annotation(id: id) else {
            message = "No annotation here: tag the sentence first (a, t or c)"
            return
        }
        underlyingMode = mode == .list ? .list : .reading
        prompt = Prompt(purpose: .note(annotationID: id), label: "Note: ", text: annotation.note,
                        cursor: annotation.note.count, choices: [], aliases: [:], completionIndex: nil, typed: annotation.note)
        mode = .prompt
    }

    /// The annotation `m` and `x` act on: the list's entry in the list, else the current one.
    var actionableAnnotationID: String? {
        if mode == .list, listIndex < listEntryCount {
            if case .annotation(let annotation) = listEntry(listIndex) { return annotation.id }
            return nil
        }
        return currentAnnotationID
    }

    mutating func deleteCurrentAnnotation() -> [Effect] {
        if mode == .list, listIndex < listEntryCount {
            switch listEntry(listIndex) {
            case .annotation: break
            case .orphan(let orphan):
                message = "Deleted orphaned \(summary(of: orphan)) (u undoes)"
                let effects = record(Change(description: "delete orphaned annotation", removed: [], inserted: [], removedOrphans: [orphan]))
                if listEntryCount == 0 { mode = .reading }
                return effects
            case .invalid(let invalid):
                message = "Deleted invalid record \(invalid.position) of \"\(invalid.list)\" (u undoes)"
                let effects = record(Change(description: "delete invalid record", removed: [], inserted: [], removedRecords: [invalid]))
                if listEntryCount == 0 { mode = .reading }
                return effects
            }
        }
        guard let id = actionableAnnotationID, let annotation = annotation(id: id) else {
            message = "No annotation here to delete"
            return []
        }
        let effects = record(Change(description: "delete annotation", removed: [annotation], inserted: []))
        currentAnnotationID = nil
        if mode == .list && listEntryCount == 0 { mode = .reading }
        updateCurrentAnnotation()
        message = "Deleted \(summary(of: annotation)) (u undoes)"
        return effects
    }

    mutating func undoOrRedo(undo: Bool) -> [Effect] {
        guard let change = undo ? undoStack.popLast() : redoStack.popLast() else {
            message = undo ? "Nothing to undo" : "Nothing to redo"
            return []
        }
        apply(undo ? change.inverse : change)
        if undo { redoStack.append(change) } else { undoStack.append(change) }
        if mode == .list && listEntryCount == 0 { mode = .reading }
        let touched = (undo ? change.removed : change.inserted).first
        if let touched, let restored = annotation(id: touched.id) {
            show(restored)
        } else {
            updateCurrentAnnotation()
        }
        message = (undo ? "Undid " : "Redid ") + change.description
        return [.save]
    }

    func summary(of annotation: Annotation) -> String {
        let tags = annotation.tags.map { $0.value.isEmpty ? $0.category : "\($0.category): \($0.value)" }
        return tags.isEmpty ? "annotation" : tags.joined(separator: ", ")
    }

    /// Asks where to write the annotations: the store cannot be written (`problem`) and
    /// the user is quitting. The answer starts as `suggestion`; Enter gives
    /// ``Effect/saveElsewhere(_:)``, an empty answer asks whether to quit without saving,
    /// Esc goes back to reading.
    public mutating func askWhereToSave(suggestion: String, problem: String) {
        underlyingMode = mode == .prompt ? underlyingMode : mode
        prompt = Prompt(purpose: .saveElsewhere, label: "Not saved (\(problem)). Save to: ", text: suggestion,
                        cursor: suggestion.count, choices: [], aliases: [:], completionIndex: nil, typed: suggestion)
        mode = .prompt
    }

    /// Asks `question` on the bottom line; `y` answers yes, any other key no.
    public mutating func ask(_ confirmation: Confirmation, question: String) {
        underlyingMode = mode == .prompt ? underlyingMode : mode
        prompt = Prompt(purpose: .confirm(confirmation), label: question + " (y/n) ", text: "", cursor: 0,
                        choices: [], aliases: [:], completionIndex: nil, typed: "")
        mode = .prompt
    }

    mutating func answer(_ confirmation: Confirmation, yes: Bool) -> [Effect] {
        prompt = nil
        mode = underlyingMode
        switch (confirmation, yes) {
        case (.restoreBackup, true): return [.restoreBackup]
        case (.restoreBackup, false): return [.keepBackupAside]
        case (.quitWithoutSaving, true): return [.quitWithoutSaving]
        case (.discardChanges, true): return [.discardChanges]
        case (.quitWithoutSaving, false), (.discardChanges, false):
            message = "Not quit: the changes are still only in memory (q tries again)"
            return []
        }
    }

    mutating func editPrompt(_ key: Key) -> [Effect] {
        guard var prompt else { return [] }
        if case .confirm(let confirmation) = prompt.purpose {
            return answer(confirmation, yes: key == .character("y") || key == .character("Y"))
        }
        var characters = Array(prompt.text)
        var edited = true
        switch key {
        case .escape, .control("c"), .control("g"):
            self.prompt = nil
            mode = underlyingMode
            message = "Cancelled"
            return []
        case .enter, .control("j"):
            self.prompt = nil
            mode = underlyingMode
            // Enter takes the highlighted completion; Ctrl-J keeps exactly what was typed
            // (Emacs ido's C-j)
            if key == .enter, case .tagValue = prompt.purpose, let index = prompt.highlightedMatch {
                var accepted = prompt
                accepted.text = prompt.matches[index]
                return finish(accepted)
            }
            return finish(prompt)
        case .tab, .backTab:
            let matches = prompt.matches
            guard !matches.isEmpty else { return [] }
            let step = key == .tab ? 1 : -1
            let index = prompt.completionIndex.map { ($0 + step + matches.count) % matches.count } ?? (step > 0 ? 0 : matches.count - 1)
            prompt.completionIndex = index
            prompt.text = matches[index]
            prompt.cursor = prompt.text.count
            self.prompt = prompt
            return []
        case .character(let character):
            characters.insert(character, at: prompt.cursor)
            prompt.cursor += 1
        case .backspace, .control("h"):
            guard prompt.cursor > 0 else { return [] }
            characters.remove(at: prompt.cursor - 1)
            prompt.cursor -= 1
        case .delete, .control("d"):
            guard prompt.cursor < characters.count else { return [] }
            characters.remove(at: prompt.cursor)
        case .left, .control("b"): prompt.cursor = max(0, prompt.cursor - 1); edited = false
        case .right, .control("f"): prompt.cursor = min(characters.count, prompt.cursor + 1); edited = false
        case .home, .control("a"): prompt.cursor = 0; edited = false
        case .end, .control("e"): prompt.cursor = characters.count; edited = false
        case .control("u"):
            characters.removeSubrange(0..<prompt.cursor)
            prompt.cursor = 0
        default:
            edited = false
        }
        prompt.setText(characters, cursor: prompt.cursor)
        if edited {
            prompt.typed = prompt.text
            prompt.completionIndex = nil
        }
        self.prompt = prompt
        return []
    }

    mutating func finish(_ prompt: Prompt) -> [Effect] {
        let stamp = Annotation.timestamp(now())
        switch prompt.purpose {
        case .tagValue, .note:
            // the reader may have become read-only while the prompt was open
            if readOnly {
                selection = nil
                if mode == .selecting { mode = .reading }
                message = "Read-only: " + readOnlyReason + "; nothing was changed"
                messageIsError = true
                return []
            }
        default: break
        }
        switch prompt.purpose {
        case .tagValue(let category, let range, let annotationID):
            var value = prompt.text.trimmingCharacters(in: .whitespaces)
            // a value typed as a known value or alias in other letter case is stored as the codebook spells it
            if let known = prompt.choices.first(where: { choice in
                ([choice] + (prompt.aliases[choice] ?? [])).contains { $0.caseInsensitiveCompare(value) == .orderedSame }
            }) {
                value = known
            }
            let tag = Tag(category: category, value: value)
            selection = nil
            if mode == .selecting { mode = .reading }
            let effects: [Effect]
            let existing = annotationID.flatMap { id in annotation(id: id) } ?? annotations.first { $0.range == range }
            if let existing {
                guard !existing.tags.contains(tag) else {
                    message = "Already tagged \(summary(of: Annotation(document: document, range: range, tags: [tag])))"
                    return []
                }
                var changed = existing
                changed.tags.append(tag)
                changed.modified = stamp
                effects = record(Change(description: "tag", removed: [existing], inserted: [changed]))
                show(changed)
            } else {
                let annotation = Annotation(document: document, range: range, tags: [tag], author: author, date: now())
                effects = record(Change(description: "create annotation", removed: [], inserted: [annotation]))
                show(annotation)
            }
            message = "Tagged \(value.isEmpty ? category : "\(category): \(value)")"
            return effects
        case .search:
            guard !prompt.text.isEmpty else { return [] }
            searchText = prompt.text
            search(for: prompt.text, forward: true)
            return []
        case .saveElsewhere:
            let path = prompt.text.trimmingCharacters(in: .whitespaces)
            guard !path.isEmpty else {
                ask(.quitWithoutSaving, question: "Quit without saving them here? (they go to a rescue file in the temporary folder)")
                return []
            }
            return [.saveElsewhere(path)]
        case .confirm(let confirmation):
            return answer(confirmation, yes: true)
        case .note(let id):
            guard let existing = annotation(id: id) else { return [] }
            guard existing.note != prompt.text else { return [] }
            var changed = existing
            changed.note = prompt.text
            changed.modified = stamp
            message = prompt.text.isEmpty ? "Note removed" : "Note saved"
            return record(Change(description: "note", removed: [existing], inserted: [changed]))
        }
    }
}
