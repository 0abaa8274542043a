import Foundation
import GlossCore

/// The corpus's screens: the document list (status, annotation count, tags per category,
/// title and path of each document) and the corpus-wide annotation list, each with a
/// heading and a status line. Titles, paths and quotes go through
/// ``ScreenBuffer/put(_:row:column:style:limit:)``, which shows controls as pictures.
extension Renderer {
    /// The screen for `corpus`: the open document's reader, or one of its lists.
    public static func render(_ corpus: CorpusSession) -> ScreenBuffer {
        if corpus.view == .reader, let session = corpus.session { return render(session.state) }
        var buffer = ScreenBuffer(width: corpus.screenWidth, height: corpus.screenHeight)
        if PaneGeometry(width: corpus.screenWidth, height: corpus.screenHeight).tooSmall {
            for (index, word) in ["terminal", "too small"].enumerated() where index < buffer.height {
                buffer.put(word, row: index, column: 0, style: .plain)
            }
            return buffer
        }
        if corpus.view == .annotations {
            drawCorpusAnnotations(corpus, into: &buffer)
        } else {
            drawDocumentList(corpus, into: &buffer)
        }
        drawCorpusStatus(corpus, into: &buffer)
        if corpus.showingHelp { drawHelp(rows: corpus.keymap.groupedHelpRows, pane: corpus.help, theme: corpus.theme, into: &buffer) }
        return buffer
    }

    /// Columns of the status column of the document list ("in progress" and a space).
    static let statusColumns = 12
    /// Columns of each category's count in the document list, its label above it.
    static let categoryColumns = 8

    /// Where the document list's columns go at a width: marker, status, annotations, a
    /// count per category, title, file. Narrower, the least useful go first, never drawn
    /// over one another: the per-category counts one by one (the annotations' count
    /// stays), then the file column (the status line then names the highlighted row's
    /// file), then the status column narrows; the title takes the rest.
    struct DocumentListColumns: Equatable {
        /// Columns of the status column, its space included.
        var statusWidth: Int
        /// Where the annotations' count starts.
        var countsColumn: Int
        /// How many categories get a count column (the first ones of the codebook).
        var categories: Int
        /// Where the first category's count starts.
        var tagsColumn: Int
        /// Where the title starts.
        var titleColumn: Int
        /// Where the file column starts; nil when it is left out.
        var pathColumn: Int?
        /// Columns of the file column (0 when left out).
        var pathWidth: Int

        /// The fewest columns a title keeps before the file column goes, before a category's
        /// count goes, and the fewest of the file column.
        static let titleMinimum = 12, titleWithCategories = 20, pathMinimum = 12

        init(width: Int, categories available: Int) {
            // "in progress" cut to "in pr…" rather than the title squeezed out
            statusWidth = width < 40 ? 7 : Renderer.statusColumns
            countsColumn = 2 + statusWidth
            tagsColumn = countsColumn + 6
            let withPath = tagsColumn + 1 + Self.titleMinimum + 1 + Self.pathMinimum
            let withCategories = tagsColumn + 1 + Self.titleWithCategories + 1 + Self.pathMinimum
            categories = withCategories <= width ? min(available, (width - withCategories) / Renderer.categoryColumns) : 0
            titleColumn = tagsColumn + categories * Renderer.categoryColumns + 1
            if withPath <= width {
                pathWidth = min(max(Self.pathMinimum, (width - titleColumn) * 2 / 5), width - titleColumn - Self.titleMinimum - 1)
                pathColumn = width - pathWidth
            } else {
                pathWidth = 0
                pathColumn = nil
            }
        }

        /// Where the title ends (exclusive), a column before the file when there is one.
        func titleEnd(width: Int) -> Int { pathColumn.map { $0 - 1 } ?? width }
    }

    /// Where the corpus-wide annotation list's columns go at a width: marker, file, tags,
    /// quote. Narrower, the file column goes first (the status line then names the
    /// highlighted annotation's file), then the quote; the tags stay.
    struct AnnotationListColumns: Equatable {
        /// Columns of the file column (0 when left out).
        var pathWidth: Int
        /// Where the tags start.
        var tagsColumn: Int
        /// Columns of the quote at the right (0 when left out).
        var quoteWidth: Int

        /// The fewest columns of the file, the tags and the quote.
        static let pathMinimum = 10, tagsMinimum = 14, quoteMinimum = 12

        init(width: Int) {
            let withPath = 2 + Self.pathMinimum + 1 + Self.tagsMinimum + 1 + Self.quoteMinimum
            pathWidth = withPath <= width ? min(32, max(Self.pathMinimum, width / 4)) : 0
            tagsColumn = pathWidth > 0 ? pathWidth + 3 : 2
            let withQuote = tagsColumn + Self.tagsMinimum + 1 + Self.quoteMinimum
            quoteWidth = withQuote <= width ? min(max(20, width / 3), width - tagsColumn - Self.tagsMinimum - 1) : 0
        }

        /// Where the tags end (exclusive): a column before the quote when there is one.
        func tagsEnd(width: Int) -> Int { quoteWidth > 0 ? width - quoteWidth - 1 : width }
    }

    static func drawDocumentList(_ corpus: CorpusSession, into buffer: inout ScreenBuffer) {
        let theme = corpus.theme
        let width = buffer.width
        var counts: [DocumentStatus: Int] = [:]
        for index in 0..<corpus.documents.count { counts[corpus.status(index), default: 0] += 1 }
        let read = corpus.summaries.lazy.filter { $0 != nil }.count
        var heading = " Documents (\(corpus.documents.count)) in \(URL(fileURLWithPath: corpus.documents.root).lastPathComponent)/"
        heading += "  ·  " + DocumentStatus.allCases.map { "\(counts[$0] ?? 0) \($0.rawValue)" }.joined(separator: " · ")
        if !corpus.scanFinished { heading += "  ·  stores read \(read)" }
        // what could not be listed is named for as long as the list shows, after the status
        // line's message has gone: it keeps at least half the row
        let missing = corpus.documents.notListed.isEmpty ? "" : "  ·  ✗ not listed: " + corpus.documents.notListed.map(\.path).joined(separator: ", ")
        let shown = truncate(heading, to: missing.isEmpty ? width : max(width / 2, width - DisplayWidth.columns(of: missing)))
        let start = buffer.put(shown, row: 0, column: 0, style: theme.heading)
        if !missing.isEmpty {
            buffer.put(truncate(missing, to: max(0, width - start)), row: 0, column: start, style: theme.error(theme.heading))
        }
        // the columns: marker, status, annotations, one count per category, title, path
        let columns = DocumentListColumns(width: width, categories: corpus.codebook.categories.count)
        let categories = Array(corpus.codebook.categories.prefix(columns.categories))
        let (countsColumn, tagsColumn, titleColumn) = (columns.countsColumn, columns.tagsColumn, columns.titleColumn)
        let titleEnd = columns.titleEnd(width: width)
        let header = String(repeating: " ", count: 2) + "status".padding(toLength: columns.statusWidth, withPad: " ", startingAt: 0) + "annot."
        buffer.put(header, row: 1, column: 0, style: theme.hint, limit: width)
        var column = tagsColumn
        for category in categories {
            let label = truncate(theme.marker(key: category.key) + category.label, to: categoryColumns - 1)
            buffer.put(label.leftPadded(to: categoryColumns - 1), row: 1, column: column, style: theme.colored(theme.hint, category: category.color), limit: column + categoryColumns - 1)
            column += categoryColumns
        }
        buffer.put("title", row: 1, column: titleColumn, style: theme.hint, limit: titleEnd)
        if let pathColumn = columns.pathColumn { buffer.put("file", row: 1, column: pathColumn, style: theme.hint) }
        let rows = max(0, buffer.height - 3)
        for slot in 0..<rows {
            let index = corpus.listTop + slot
            guard index < corpus.documents.count else { break }
            let row = 2 + slot
            let selected = index == corpus.cursor
            let base = selected ? theme.focused(theme.text) : theme.text
            if selected { buffer.fill(row: row, columns: 0..<width, style: base) }
            buffer.put(selected ? "▸" : " ", row: row, column: 0, style: base)
            let status = corpus.status(index)
            var statusStyle = base
            statusStyle.bold = status == .inProgress
            statusStyle.dim = status == .done && !selected
            buffer.put(truncate(status.rawValue, to: columns.statusWidth - 1), row: row, column: 2, style: statusStyle, limit: countsColumn)
            switch corpus.summary(index) {
            case nil:
                buffer.put("    …", row: row, column: countsColumn, style: base)
            case .none?:
                buffer.put("    -", row: row, column: countsColumn, style: base)
            case .unreadable?:
                buffer.put("    ?", row: row, column: countsColumn, style: theme.error(base))
            case .counted(let annotations, let tags)?:
                buffer.put(String(annotations).leftPadded(to: 5), row: row, column: countsColumn, style: base)
                var column = tagsColumn
                for category in categories {
                    let count = tags[category.id] ?? 0
                    let style = count == 0 ? { var dim = base; dim.dim = !selected; return dim }() : theme.colored(base, category: category.color)
                    buffer.put(String(count).leftPadded(to: categoryColumns - 1), row: row, column: column, style: style, limit: column + categoryColumns - 1)
                    column += categoryColumns
                }
            }
            let isOpen = index == corpus.openIndex
            var titleStyle = base
            titleStyle.bold = isOpen
            if let failure = corpus.failures[index] {
                buffer.put(truncate("✗ cannot open: " + failure, to: max(0, titleEnd - titleColumn)), row: row, column: titleColumn,
                           style: theme.error(base), limit: titleEnd)
            } else {
                let title = corpus.title(index) ?? ""
                buffer.put(truncate(title.isEmpty ? "(no text)" : title, to: max(0, titleEnd - titleColumn)), row: row,
                           column: titleColumn, style: titleStyle, limit: titleEnd)
            }
            if let pathColumn = columns.pathColumn {
                var pathStyle = base
                pathStyle.dim = !selected
                buffer.put(truncateStart(corpus.documents.relativePaths[index], to: columns.pathWidth - 1), row: row, column: pathColumn,
                           style: pathStyle, limit: width)
            }
        }
    }

    static func drawCorpusAnnotations(_ corpus: CorpusSession, into buffer: inout ScreenBuffer) {
        let theme = corpus.theme
        let width = buffer.width
        let listed = corpus.shownAnnotations
        let documentsWith = Set(listed.map(\.document)).count
        var heading = " All annotations (\(listed.count) in \(documentsWith) document\(documentsWith == 1 ? "" : "s"))"
        if let filter = corpus.annotationFilter { heading += "  ·  FILTER " + filter.description }
        // a store that could not be read lists nothing: say so rather than look complete
        let unread = corpus.summaries.indices.filter { if case .unreadable? = corpus.summary($0) { return true } else { return false } }.count
        if unread > 0 { heading += "  ·  \(unread) store\(unread == 1 ? "" : "s") not read (? in the document list)" }
        if !corpus.scanFinished { heading += "  ·  reading the stores…" }
        buffer.put(truncate(heading, to: width), row: 0, column: 0, style: theme.heading)
        let columns = AnnotationListColumns(width: width)
        let pathWidth = columns.pathWidth
        if pathWidth > 0 { buffer.put("  file", row: 1, column: 0, style: theme.hint) }
        buffer.put("tags", row: 1, column: columns.tagsColumn, style: theme.hint)
        if listed.isEmpty {
            let hint = corpus.annotationFilter != nil ? "No annotation passes the filter; F clears it" : "No annotations in the corpus yet"
            buffer.put(hint, row: 3, column: 2, style: theme.hint)
            return
        }
        let rows = max(1, buffer.height - 3)
        let cursor = min(corpus.annotationCursor, listed.count - 1)
        let first = cursor < rows ? 0 : cursor - rows + 1
        for (slot, index) in (first..<min(listed.count, first + rows)).enumerated() {
            let entry = listed[index]
            let row = 2 + slot
            let selected = index == cursor
            let base = selected ? theme.focused(theme.text) : theme.text
            if selected { buffer.fill(row: row, columns: 0..<width, style: base) }
            buffer.put(selected ? "▸" : " ", row: row, column: 0, style: base)
            if pathWidth > 0 {
                var pathStyle = base
                pathStyle.dim = !selected
                buffer.put(truncateStart(corpus.documents.relativePaths[entry.document], to: pathWidth), row: row, column: 2, style: pathStyle, limit: pathWidth + 2)
            }
            var column = columns.tagsColumn
            let quoteRoom = columns.quoteWidth
            let tagLimit = columns.tagsEnd(width: width)
            if entry.orphaned { column = buffer.put("orphaned ", row: row, column: column, style: theme.error(base), limit: tagLimit) }
            if entry.annotation.tags.isEmpty { column = buffer.put("(untagged)", row: row, column: column, style: base, limit: tagLimit) }
            for (number, tag) in entry.annotation.tags.enumerated() where column < tagLimit {
                if number > 0 { column = buffer.put(" · ", row: row, column: column, style: base, limit: tagLimit) }
                let category = corpus.codebook.category(id: tag.category)
                var label = theme.colored(base, category: category?.color ?? "")
                label.bold = true
                column = buffer.put(truncate(theme.marker(key: category?.key) + (category?.label ?? tag.category), to: max(0, tagLimit - column)),
                                    row: row, column: column, style: label, limit: tagLimit)
                if !tag.value.isEmpty {
                    column = buffer.put(truncate(": " + tag.value, to: max(0, tagLimit - column)), row: row, column: column, style: base, limit: tagLimit)
                }
            }
            guard quoteRoom > 0 else { continue }
            let quote = entry.annotation.quote.split(whereSeparator: \.isWhitespace).joined(separator: " ")
            let noteMark = entry.annotation.note.isEmpty ? "" : " ✎"
            let start = max(column + 1, width - quoteRoom)
            buffer.put(truncate("“" + quote + "”", to: max(0, width - start - 1 - noteMark.count)) + noteMark, row: row, column: start,
                       style: selected ? base : theme.hint, limit: width)
        }
    }

    static func drawCorpusStatus(_ corpus: CorpusSession, into buffer: inout ScreenBuffer) {
        let theme = corpus.theme
        let row = buffer.height - 1
        buffer.fill(row: row, columns: 0..<buffer.width, style: theme.statusBar)
        if let prompt = corpus.listPrompt {
            drawPrompt(prompt, row: row, theme: theme, into: &buffer)
            return
        }
        // a count being typed shows, as in the reader
        let right = (corpus.pendingCount.map { "\($0)  " } ?? "") + "? help "
        let rightStart = max(0, buffer.width - DisplayWidth.columns(of: right))
        var style = theme.statusBar
        var left: String
        if let message = corpus.message {
            left = " " + message
            if corpus.messageIsError { style = theme.error(style) }
        } else if corpus.view == .documents, corpus.documents.count > 0, let failure = corpus.failures[corpus.cursor] {
            // the row is cut to the title column: the whole reason is here while it is highlighted
            left = " " + corpus.documents.relativePaths[corpus.cursor] + ": cannot open: " + failure
            style = theme.error(style)
        } else if corpus.view == .documents, corpus.documents.count > 0, case .unreadable(let problem)? = corpus.summary(corpus.cursor) {
            // the row shows only "?": the reason is here while it is highlighted
            left = " " + URL(fileURLWithPath: corpus.storePath(corpus.documents.path(corpus.cursor))).lastPathComponent + ": " + problem
            style = theme.error(style)
        } else if corpus.view == .annotations {
            left = " j k move · Enter opens the document there · f filter · F clear · D or Esc documents · q quit"
            // without its column, the highlighted annotation's file is named here
            let listed = corpus.shownAnnotations
            if AnnotationListColumns(width: buffer.width).pathWidth == 0, !listed.isEmpty {
                left = " " + corpus.documents.relativePaths[listed[min(corpus.annotationCursor, listed.count - 1)].document] + " ·" + left
            }
        } else {
            left = " j k move · Enter open · s status · A all annotations" + (corpus.session != nil ? " · D back to the document" : "") + " · q quit"
            if DocumentListColumns(width: buffer.width, categories: corpus.codebook.categories.count).pathColumn == nil, corpus.documents.count > 0 {
                left = " " + corpus.documents.relativePaths[corpus.cursor] + " ·" + left
            }
        }
        buffer.put(truncate(left, to: max(0, rightStart - 1)), row: row, column: 0, style: style, limit: rightStart)
        buffer.put(right, row: row, column: rightStart, style: theme.statusBar)
    }

    /// `text` cut from the start with an ellipsis to `columns` when it is longer: the
    /// end of a path names the file.
    static func truncateStart(_ text: String, to columns: Int) -> String {
        guard columns > 0 else { return "" }
        guard DisplayWidth.columns(of: text) > columns else { return text }
        var kept: [Character] = []
        var used = 1
        for character in text.reversed() {
            let width = DisplayWidth.columns(of: character)
            if used + width > columns { break }
            used += width
            kept.append(character)
        }
        return "…" + String(kept.reversed())
    }
}

extension String {
    /// The string with spaces before it to make `width` characters.
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
