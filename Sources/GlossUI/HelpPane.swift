import GlossCore

/// The headings the help overlay groups the keys under, in the order it shows them.
public enum HelpGroup: String, CaseIterable, Hashable, Sendable {
    /// Moving through the text, searching and filtering.
    case reading
    /// Making a selection with `v`.
    case selecting
    /// Tagging, linking and deleting annotations.
    case tagging
    /// Notes, the memo, undo and redo.
    case editing
    /// The annotation list, detail view, codebook, summary and a corpus's lists.
    case panes
    /// Help, the command line, cancelling and quitting.
    case commands

    /// The heading as the help shows it.
    public var title: String {
        switch self {
        case .reading: "Reading"
        case .selecting: "Selecting"
        case .tagging: "Tagging"
        case .editing: "Editing"
        case .panes: "Panes"
        case .commands: "Commands"
        }
    }
}

extension Action {
    /// The help heading the command is listed under.
    public var helpGroup: HelpGroup {
        switch self {
        case .nextSentence, .previousSentence, .nextParagraph, .previousParagraph, .halfPageDown, .halfPageUp, .pageDown, .pageUp,
             .documentStart, .documentEnd, .nextAnnotation, .previousAnnotation, .startSearch, .repeatSearch, .filter, .clearFilter:
            .reading
        case .startSelection, .extendByGraphemeBackward, .extendByGraphemeForward, .extendByWordForward, .extendByWordBackward,
             .extendBySentenceForward, .extendBySentenceBackward, .swapSelectionEnds:
            .selecting
        case .tag, .tagOccurrences, .link, .keepConflict, .deleteAnnotation, .changeTagValue, .changeTagCategory, .removeTag,
             .renameValue, .deleteRelation:
            .tagging
        case .editNote, .editMemo, .saveNote, .closeNoteEditor, .undo, .redo:
            .editing
        case .switchPane, .listDown, .listUp, .openListSelection, .showDetail, .nextDetailTag, .previousDetailTag, .showCodebook,
             .codebookDown, .codebookUp, .codebookFold, .codebookAddValue, .codebookAddCategory, .showSummary, .documentList,
             .nextDocument, .previousDocument, .openDocument, .setStatus, .corpusAnnotations:
            .panes
        case .cancel, .showHelp, .commandLine, .toggleMouse, .quit:
            .commands
        }
    }
}

/// One row of the help overlay: the keys (the first two of a binding, as configured),
/// what they do, the command's name on the `:` command line, and its heading.
public struct HelpRow: Hashable, Sendable {
    /// The keys, joined by a space: `j ↓`.
    public var keys: String
    /// What they do.
    public var description: String
    /// The command's name (``Action/name``), which `:` runs.
    public var command: String
    /// The heading it is listed under.
    public var group: HelpGroup

    /// True when `query` (lower case) is in the keys, the description or the command name,
    /// ignoring letter case.
    func matches(_ query: String) -> Bool {
        query.isEmpty || [keys, description, command].contains { $0.lowercased().contains(query) }
    }
}

extension Keymap {
    /// The help's rows: one per distinct keys and description of the table, grouped by
    /// ``HelpGroup`` in its order, in table order within a group.
    public var groupedHelpRows: [HelpRow] {
        var seen = Set<String>()
        var rows: [HelpRow] = []
        for binding in bindings {
            let keys = binding.keys.prefix(2).map(\.label).joined(separator: " ")
            guard seen.insert(keys + binding.description).inserted else { continue }
            rows.append(HelpRow(keys: keys, description: binding.description, command: binding.action.name, group: binding.action.helpGroup))
        }
        return HelpGroup.allCases.flatMap { group in rows.filter { $0.group == group } }
    }
}

/// The help overlay's own state: how far it is scrolled and what its search (`/`) keeps.
public struct HelpPane: Hashable, Sendable {
    /// The first line shown, counted in the lines of ``HelpLayout``.
    public internal(set) var scroll = 0
    /// What the search keeps of the rows: those whose keys, description or command name
    /// contain it, ignoring letter case; empty keeps every row.
    public internal(set) var query = ""
    /// True while the search takes the keys (after `/`, until Enter or Esc).
    public internal(set) var searching = false

    /// A help scrolled to its top, without a search.
    public init() {}

    /// Handles `key` while the help of `rows` is shown on a `width` x `height` screen:
    /// `j` `k` ↓ ↑ scroll by a line, PgDn PgUp Space `b` Ctrl-F Ctrl-B by a page, Ctrl-D
    /// Ctrl-U by half, `g` `G` Home End to the ends, `/` starts a search that filters the
    /// rows as it is typed (with the prompt's editing keys; Enter keeps it, Esc drops it).
    /// - Returns: false when the key closes the help: any other key.
    public mutating func handle(_ key: Key, rows: [HelpRow], width: Int, height: Int) -> Bool {
        if searching {
            switch key {
            case .enter, .control("j"):
                searching = false
            case .escape, .control("c"), .control("g"):
                searching = false
                query = ""
            default:
                var characters = Array(query)
                var cursor = characters.count
                guard LineEditing.apply(key, to: &characters, cursor: &cursor) == .edited else { return true }
                query = String(characters)
            }
            scroll = 0
            return true
        }
        let layout = HelpLayout(rows: rows, pane: self, width: width, height: height)
        let page = max(1, layout.capacity - 1)
        switch key {
        case .character("j"), .down: scroll += 1
        case .character("k"), .up: scroll -= 1
        case .pageDown, .character(" "), .control("f"): scroll += page
        case .pageUp, .character("b"), .control("b"): scroll -= page
        case .control("d"): scroll += max(1, page / 2)
        case .control("u"): scroll -= max(1, page / 2)
        case .character("g"), .home: scroll = 0
        case .character("G"), .end: scroll = layout.maxScroll
        case .character("/"):
            searching = true
            query = ""
            scroll = 0
            return true
        default:
            return false
        }
        scroll = max(0, min(scroll, layout.maxScroll))
        return true
    }
}

/// Where the help overlay draws what: its box in the middle of the screen and its lines
/// (headings, rows, and the continuation lines of long descriptions wrapped at word
/// boundaries to the box). Sizes are terminal cells.
struct HelpLayout {
    /// One line of the help.
    enum Line: Hashable {
        /// A group's heading.
        case heading(String)
        /// A row's line: its keys on its first line, empty on continuation lines; the
        /// words of the description, and the command name on the line that ends with it.
        case entry(keys: String, text: String, command: String?)
    }

    /// The lines, after the search.
    let lines: [Line]
    /// How many rows the search kept.
    let matchCount: Int
    /// The box, in cells.
    let top: Int, left: Int, width: Int, height: Int
    /// Columns of the keys.
    let keyWidth: Int
    /// The rows of lines shown at once.
    var capacity: Int { max(0, height - 3) }
    /// The farthest the lines scroll.
    var maxScroll: Int { max(0, lines.count - capacity) }

    init(rows: [HelpRow], pane: HelpPane, width screenWidth: Int, height screenHeight: Int) {
        let query = pane.query.lowercased()
        let kept = rows.filter { $0.matches(query) }
        matchCount = kept.count
        let natural = (rows.map { DisplayWidth.columns(of: $0.keys) }.max() ?? 0)
        let widest = rows.map { DisplayWidth.columns(of: $0.description) + 3 + DisplayWidth.columns(of: $0.command) }.max() ?? 0
        width = max(0, min(screenWidth - 2, min(16, natural) + widest + 7))
        keyWidth = min(natural, 16, max(4, (width - 4) / 3))
        let textWidth = max(1, width - 7 - keyWidth)
        var lines: [Line] = []
        for group in HelpGroup.allCases {
            let members = kept.filter { $0.group == group }
            guard !members.isEmpty else { continue }
            lines.append(.heading(group.title))
            for row in members {
                let wrapped = HelpLayout.wrap(row.description, command: ":" + row.command, width: textWidth)
                for (index, line) in wrapped.enumerated() {
                    lines.append(.entry(keys: index == 0 ? row.keys : "", text: line.text, command: line.command))
                }
            }
        }
        self.lines = lines
        height = max(0, min(screenHeight - 2, max(1, lines.count) + 3))
        top = max(0, (screenHeight - height) / 2)
        left = max(0, (screenWidth - width) / 2)
    }

    /// `description` then `command` in lines of at most `width` columns, broken between
    /// words (a word wider than a line is cut into pieces); the command goes on the last
    /// line when it fits there, else on a line of its own.
    static func wrap(_ description: String, command: String, width: Int) -> [(text: String, command: String?)] {
        var lines: [String] = []
        var current = ""
        for word in description.split(separator: " ", omittingEmptySubsequences: true).map(String.init) {
            var word = word
            let needed = current.isEmpty ? DisplayWidth.columns(of: word) : DisplayWidth.columns(of: current) + 1 + DisplayWidth.columns(of: word)
            if needed <= width {
                current = current.isEmpty ? word : current + " " + word
                continue
            }
            if !current.isEmpty { lines.append(current) }
            current = ""
            while DisplayWidth.columns(of: word) > width {
                let piece = prefix(of: word, columns: width)
                lines.append(piece)
                word = String(word.dropFirst(piece.count))
            }
            current = word
        }
        let commandWidth = DisplayWidth.columns(of: command)
        if !current.isEmpty && DisplayWidth.columns(of: current) + 2 + commandWidth <= width {
            lines.append(current)
            return lines.dropLast().map { ($0, nil) } + [(current, command)]
        }
        if !current.isEmpty { lines.append(current) }
        return lines.map { ($0, nil) } + [("", commandWidth <= width ? command : prefix(of: command, columns: width))]
    }

    /// The longest start of `text` that takes at most `columns` columns (one character at least).
    static func prefix(of text: String, columns: Int) -> String {
        var used = 0
        var result = ""
        for character in text {
            let width = DisplayWidth.columns(of: character)
            if used + width > columns && !result.isEmpty { break }
            used += width
            result.append(character)
        }
        return result
    }
}
