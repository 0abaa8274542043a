import Algorithms
import ArgumentParser
import Foundation
import GlossCore
import GlossImport
import GlossUI

/// `gloss grep PATTERN DIR|FILE...`: case-insensitive search over a corpus's texts.
///
/// The search is the reader's `/` over each document's text (for HTML, Markdown and PDF
/// files, the text their importer extracts): the pattern is literal text, matched ignoring case,
/// canonically equivalent text equal, a space matching any run of blanks (tabs, no-break
/// spaces) and a line break inside a paragraph, a word broken at a hyphen and a line break
/// found joined (``AppState/matchRanges(of:inParagraph:of:)``). Each
/// match is one line, `PATH:PARAGRAPH: SENTENCE`: the document's path as the corpus lists
/// it, the paragraph's number from 1, and the sentence that holds the match (the
/// sentences it spans, when it spans several) as the reader shows it, whatever the
/// pattern: each line break with the spaces around it written as one space, or as
/// nothing in a word broken at a hyphen, after a soft hyphen or before a mark
/// (``ReflowedText``), and tabs as spaces. On a terminal the sentence is shown as the
/// reader draws it (``DisplayWidth/terminalForm(of:keepingLineEnds:)``: controls as their
/// pictures, a zero-width space or other invisible format character as `·`), every control
/// character of the path as its picture (``ControlPictures``), and the match is drawn in bold red (`ESC [1;31m`,
/// as grep colours it) unless `NO_COLOR` is set (``ColorOutput``); into a file or a pipe
/// the text is written as it is, line breaks aside, without colour. Documents are searched whether or not they have an annotation store.
///
/// Matches are written as they are found, one paragraph's at a time, so a closed pipe
/// (`| head -1`) ends the search at once. A large text is checked as it is indexed
/// (``Document/problem``): damage past its start ends its search there and is reported
/// after the matches before it.
///
/// Exit status, as grep's: 0 when something matched, 1 when nothing did, 2 on an error
/// (a document that cannot be read is named on standard error and the others searched).
struct Grep: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grep",
        abstract: "Search a corpus's texts, ignoring case; print each match's sentence.",
        discussion: "Prints PATH:PARAGRAPH: SENTENCE per match. Exit status 0 when found, 1 when not, 2 on error.",
        version: GlossVersion.string)

    @Argument(help: ArgumentHelp("The text to look for (literal, any case).", valueName: "pattern"))
    var pattern: String

    @Argument(help: ArgumentHelp("Documents, or folders of them (.txt, .html, .htm, .md, .markdown, .pdf, recursively).", valueName: "dir|file"), completion: .file())
    var files: [String]

    @OptionGroup var encoding: EncodingOption

    /// Exit status when something went wrong, as grep's.
    static let errorStatus = ExitCode(2)

    func validate() throws {
        if pattern.isEmpty { throw ValidationError("the pattern is empty") }
        try checkCorpusArguments(files)
    }

    func run() throws {
        let corpus: Corpus
        do {
            corpus = try Corpus(arguments: files)
        } catch {
            printError("gloss: \(error)")
            throw Self.errorStatus
        }
        let onTerminal = isatty(STDOUT_FILENO) == 1
        let colored = ColorOutput.allowed(on: STDOUT_FILENO)
        var found = false, failed = !corpus.unreadableFolders.isEmpty || !corpus.unopenableFiles.isEmpty
        corpus.unreadableFolders.forEach { printError("gloss: \($0); not searched") }
        corpus.unopenableFiles.forEach { printError("gloss: \($0); not searched") }
        let progress = ProgressBar.start("searching", total: corpus.documents.count)
        defer { progress?.finish() }
        for (index, entry) in corpus.documents.enumerated() {
            progress?.update(done: index, current: entry.path)
            let opened: OpenedDocument, document: Document
            do {
                opened = try DocumentOpener.open(entry.path, encoding: encoding.encoding)
                document = opened.document
                opened.notices.forEach { printError("gloss: \(entry.path): \($0)") }
            } catch {
                printError("gloss: \(error)")
                failed = true
                continue
            }
            let path = onTerminal ? ControlPictures.visible(entry.path, showingBidiControls: true) : entry.path
            var number = 0
            while let paragraph = document.paragraph(number) {
                defer { number += 1 }
                let matches = AppState.matchRanges(of: pattern, inParagraph: number, of: document)
                guard !matches.isEmpty else { continue }
                let base = paragraph.range.lowerBound
                let text = Array(document.text(ofParagraph: number).unicodeScalars)
                let sentences = SentenceSplitter.sentences(in: String(String.UnicodeScalarView(text)))
                var lines = ""
                for match in matches {
                    let local = (match.lowerBound - base)..<(match.upperBound - base)
                    // the sentences the match touches: sentences are ordered and apart
                    let first = sentences.partitioningIndex { $0.upperBound > local.lowerBound }
                    var last = first
                    while last < sentences.count && (sentences[last].overlaps(local) || sentences[last].contains(local.lowerBound)) { last += 1 }
                    let span = first < last ? sentences[first].lowerBound..<sentences[last - 1].upperBound : 0..<text.count
                    // a sentence of pages (a text without sentence ends) is cut to the match's surroundings
                    let start = max(min(span.lowerBound, local.lowerBound), local.lowerBound - Self.context)
                    let end = min(max(span.upperBound, local.upperBound), local.upperBound + Self.context)
                    let line = Self.line(text, match: local, from: start, to: end, visible: onTerminal, colored: colored)
                    lines += "\(path):\(number + 1): \(start > span.lowerBound ? "…" : "")\(line)\(end < span.upperBound ? "…" : "")\n"
                }
                // written paragraph by paragraph, as found: `| head -1` ends gloss at the
                // first match, not after the whole text is read
                found = true
                // the bar and the matches may share a terminal
                ProgressBar.clearActive()
                try StandardStreams.write(lines)
            }
            // a large text is checked as it is indexed: damage past its first megabyte
            // ends the search there, and is said after the matches before it
            do {
                try opened.checkWholeText()
            } catch {
                printError("gloss: \(error)")
                failed = true
            }
        }
        if failed { throw Self.errorStatus }
        if !found { throw ExitCode.failure }
    }

    /// How many code points of a match's sentence are shown on either side of it at most.
    static let context = 200

    /// One output line's sentence: code points `start..<end` of the paragraph `text`, as
    /// the reader shows them (``ReflowedText``, read with enough text around them that the
    /// line is the same whatever the match): each line break with the spaces around it as
    /// one space, or as nothing in a word broken at a hyphen, and tabs as spaces; with
    /// `visible` (on a terminal), controls as the reader draws them; with `colored`, the
    /// code points `match` in bold red.
    static func line(_ text: [Unicode.Scalar], match: Range<Int>, from start: Int, to end: Int,
                     visible: Bool, colored: Bool) -> String {
        // widened past the runs of blanks at both ends and the hyphen and letter before a
        // run, which decide how a line break at the edge is shown
        func isBlank(_ offset: Int) -> Bool { ReflowedText.isBlank(text[offset]) }
        var lower = max(0, start - 1)
        while lower > 0 && (isBlank(lower) || isBlank(lower - 1)) { lower -= 1 }
        lower = max(0, lower - 2)
        while lower > 0 && ReflowedText.extendsCluster(text[lower]) { lower -= 1 }
        var upper = min(text.count, end + 1)
        while upper < text.count && isBlank(upper - 1) { upper += 1 }
        upper = min(text.count, upper + 1)
        let reflowed = ReflowedText(String(String.UnicodeScalarView(text[lower..<upper])))
        let shown = Array(reflowed.text.unicodeScalars)
        let whole = reflowed.shownRange((start - lower)..<(end - lower))
        let matched = reflowed.shownRange((match.lowerBound - lower)..<(match.upperBound - lower)).clamped(to: whole)
        func flat(_ range: Range<Int>) -> String {
            let text = String(String.UnicodeScalarView(shown[range].map { $0 == "\n" || $0 == "\r" || $0 == "\t" ? " " : $0 }))
            return visible ? DisplayWidth.terminalForm(of: text) : text
        }
        let before = flat(whole.lowerBound..<matched.lowerBound), after = flat(matched.upperBound..<whole.upperBound)
        guard colored else { return before + flat(matched) + after }
        return before + "\u{1B}[1;31m" + flat(matched) + "\u{1B}[0m" + after
    }
}
