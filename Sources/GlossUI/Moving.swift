import Foundation
import GlossCore

/// Moving the focus: sentences, paragraphs, pages, annotations, the list.
extension AppState {
    var lastSentence: SentencePosition? {
        guard !document.isEmpty else { return nil }
        // a large text the index has not reached the end of shows its end at once, read
        // ahead of the index (as less seeks), until the index gets there
        guard let paragraph = document.isFullyIndexed ? document.paragraphCount - 1 : document.paragraph(atByte: document.byteCount) else {
            return nil
        }
        let part = cache.partCount(paragraph) - 1
        return SentencePosition(paragraph: paragraph, part: part, sentence: max(0, cache.sentences(paragraph, part: part).count - 1))
    }

    /// What the status line says of a stretch of the text read ahead of the index.
    static let provisionalNotice = "Shown ahead of the index: selecting, tagging and search work here once Indexing is done"

    /// True when the focus is on a sentence read ahead of the index (after `G` or a jump to
    /// a percentage in a large text), whose code points are not known yet.
    public var focusIsProvisional: Bool { focus.map { Document.isProvisional($0.paragraph) } ?? false }

    /// Once the index has reached the stretch of text read ahead of it, moves the focus and
    /// the top row onto the same text numbered from the start (the code points annotations
    /// use); a selection made there is dropped. Call it as the index grows.
    /// - Returns: true when they moved.
    public mutating func settleProvisionalView() -> Bool {
        guard let focus, Document.isProvisional(focus.paragraph) || Document.isProvisional(top.paragraph),
              let range = focusRange, let offset = document.settledOffset(range.lowerBound) else { return false }
        let lines = cache.lines(top.paragraph, part: top.part, width: wrapWidth)
        let topOffset = top.line < lines.count && !lines[top.line].glyphs.isEmpty ? lines[top.line].range.lowerBound
            : document.paragraph(top.paragraph)?.range.lowerBound
        let settledTop = topOffset.flatMap { document.settledOffset($0) }
        if let selection, Document.isProvisional(selection.anchor) || Document.isProvisional(selection.active) {
            self.selection = nil
            if mode == .selecting { mode = .reading }
        }
        self.focus = sentence(containing: offset)
        top = row(of: settledTop ?? offset)
        scrollToFocus()
        updateCurrentAnnotation()
        return true
    }

    mutating func moveFocus(to position: SentencePosition?) {
        guard let position else { return }
        focus = shown(position)
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
        // within a sentence taller than the pane, the view scrolls and the focus stays
        let lastRow = range.isEmpty ? focusRow : self.row(of: range.upperBound - 1)
        if !isBefore(target, focusRow) && !isBefore(lastRow, target) && isTallerThanPane(focusRow, lastRow) {
            scrollToFocus()
            return
        }
        let lines = cache.lines(target.paragraph, part: target.part, width: wrapWidth)
        let offset = target.line < lines.count && !lines[target.line].glyphs.isEmpty
            ? lines[target.line].range.lowerBound
            : (document.paragraph(target.paragraph + 1) ?? document.paragraph(target.paragraph))?.range.lowerBound ?? 0
        var position = sentence(containing: offset) ?? focus
        if rows > 0 {
            // the sentence the landing row is in, unless that row starts none; a sentence
            // taller than the pane is paged through, not passed
            let landed = sentenceRange(position)
            if landed.lowerBound < offset,
               !isTallerThanPane(self.row(of: landed.lowerBound), self.row(of: max(landed.lowerBound, landed.upperBound - 1))),
               let following = next(position) { position = following }
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
        let annotations = listedAnnotations
        // from an annotation reached with ] [ or the list, the next in the list's order;
        // else from the focused sentence, so an annotation nested in a wider one is reached
        if annotationTargeted, let current = currentAnnotationID, let position = annotations.firstIndex(where: { $0.id == current }) {
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
}
