import Foundation
import GlossCore

/// Moving a selection's end by grapheme, word, sentence and paragraph.
extension AppState {
    mutating func extendSelection(to offset: Int?) {
        guard var selection, let offset else { return }
        selection.active = offset
        self.selection = selection
        scrollToFocus()
    }

    /// Grapheme boundaries of the paragraph around `offset` (or of the next paragraph when
    /// `offset` is between paragraphs); of its part holding `offset` in a giant paragraph.
    func boundaries(near offset: Int) -> (paragraph: Int, part: Int, boundaries: [Int])? {
        guard let paragraph = document.paragraphIndex(atOrBefore: offset) ?? document.paragraphIndex(atOrAfter: offset) else { return nil }
        let part = cache.part(containing: offset, in: paragraph)
        return (paragraph, part, cache.text(paragraph, part: part).boundaries)
    }

    func graphemeBoundary(after offset: Int?) -> Int? {
        guard let offset, let (paragraph, _, boundaries) = boundaries(near: offset) else { return nil }
        if let next = boundaries.first(where: { $0 > offset }) { return next }
        guard !document.isLastParagraph(paragraph) else { return nil }
        return cache.text(paragraph + 1).boundaries.dropFirst().first
    }

    func graphemeBoundary(before offset: Int?) -> Int? {
        guard let offset, let (paragraph, part, boundaries) = boundaries(near: offset) else { return nil }
        if let previous = boundaries.last(where: { $0 < offset }) { return previous }
        if part > 0 { return cache.text(paragraph, part: part - 1).boundaries.dropLast().last }
        guard paragraph > 0 else { return nil }
        return cache.text(paragraph - 1, part: cache.partCount(paragraph - 1) - 1).boundaries.dropLast().last
    }

    /// `offset` moved back over the whitespace graphemes before it, not past `floor`.
    func endBeforeSpace(_ offset: Int, notBefore floor: Int) -> Int {
        guard let (_, _, _) = boundaries(near: max(0, offset - 1)),
              let paragraph = document.paragraphIndex(atOrBefore: max(0, offset - 1)) else { return offset }
        var end = offset
        let part = cache.part(containing: max(0, offset - 1), in: paragraph)
        for grapheme in cache.text(paragraph, part: part).graphemes.reversed() where grapheme.start < end {
            guard grapheme.character.isWhitespace, grapheme.start >= floor else { break }
            end = grapheme.start
        }
        return end
    }

    /// Next or previous word boundary for the active end: word ends when it is the right
    /// end of the selection, word starts when it is the left end.
    func wordBoundary(forward: Bool) -> Int? {
        guard let selection, let (paragraph, _, _) = boundaries(near: selection.active) else { return nil }
        let rightEnd = selection.active >= selection.anchor
        // backward from a part's start, the words are in the part before it
        var part = cache.part(containing: forward ? selection.active : max(0, selection.active - 1), in: paragraph)
        var text = cache.text(paragraph, part: part)
        while true {
            let stops = wordStops(in: text, rightEnd: rightEnd)
            if let found = forward ? stops.first(where: { $0 > selection.active }) : stops.last(where: { $0 < selection.active }) {
                return found
            }
            // a giant paragraph's word goes on in the next part (the previous one going back)
            let next = part + (forward ? 1 : -1)
            guard next >= 0 && next < cache.partCount(paragraph) else { break }
            part = next
            text = cache.text(paragraph, part: part)
        }
        return forward ? text.range.upperBound : text.range.lowerBound
    }

    /// Where `w` and `b` stop in `text`: word ends for the right end of a selection, word
    /// starts for the left end.
    private func wordStops(in text: ParagraphText, rightEnd: Bool) -> [Int] {
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
        return stops
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
        guard let selection, let (paragraph, _, _) = boundaries(near: selection.active) else { return nil }
        guard let range = document.paragraph(paragraph)?.range else { return nil }
        if forward {
            if selection.active < range.upperBound { return range.upperBound }
            return document.paragraph(paragraph + 1)?.range.upperBound
        }
        if selection.active > range.lowerBound { return range.lowerBound }
        return document.paragraph(paragraph - 1)?.range.lowerBound
    }
}
