import Foundation
import GlossCore

/// The `:` command line of the reader: opening it, completing, recalling and running.
extension AppState {
    /// The most command lines the history keeps.
    static let commandHistoryLimit = 200

    /// What completion offers on this document's command line.
    var commandLineContext: CommandLineContext {
        // one pass over the bindings (this runs on every key typed on the command line)
        let place = mode == .prompt ? underlyingMode : mode
        let runnable = Set(keymap.bindings.lazy.filter { $0.modes.contains(place) }.map(\.action))
        return CommandLineContext(actions: Action.commands(for: codebook, corpus: inCorpus).filter(runnable.contains), filterChoices: filterChoices)
    }

    /// True when `action` can run from the command line here: a key of the mode under the
    /// prompt triggers it (the corpus's list-only commands run from the lists).
    func isRunnable(_ action: Action) -> Bool {
        keymap.bindings.contains { $0.action == action && $0.modes.contains(mode == .prompt ? underlyingMode : mode) }
    }

    /// Opens the command line on the bottom line.
    mutating func openCommandLine() {
        underlyingMode = mode
        var prompt = Prompt(purpose: .command, label: ":", text: "", cursor: 0, choices: [], aliases: [:], completionIndex: nil, typed: "")
        updateCommandCompletion(&prompt)
        self.prompt = prompt
        mode = .prompt
    }

    /// Sets the completions of a command line for what is typed in it.
    func updateCommandCompletion(_ prompt: inout Prompt) {
        let (start, candidates) = CommandLineParser.completion(for: prompt.text, context: commandLineContext)
        prompt.completionStart = start
        prompt.choices = candidates
        prompt.typed = String(prompt.text.dropFirst(start))
        prompt.completionIndex = nil
    }

    /// Up (`older`) or Down on the command line: the previous or next line of the
    /// history; Down past the latest brings back what was being typed.
    mutating func recallCommand(in prompt: inout Prompt, older: Bool) {
        guard prompt.recall(from: commandHistory, older: older) else { return }
        updateCommandCompletion(&prompt)
    }

    /// Keeps `line` in the history, once at its end.
    static func remember(_ line: String, in history: inout [String]) {
        history.removeAll { $0 == line }
        history.append(line)
        if history.count > commandHistoryLimit { history.removeFirst(history.count - commandHistoryLimit) }
    }

    /// The command `line` gives (``CommandLineParser/parse(_:codebook:)``), the line
    /// remembered in `history`; nil for a blank line. The document's and the lists'
    /// command lines both read lines so.
    static func readCommandLine(_ line: String, history: inout [String], codebook: Codebook) -> Result<Command, CommandLineError>? {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { return nil }
        remember(trimmed, in: &history)
        return Result { () throws(CommandLineError) in try CommandLineParser.parse(trimmed, codebook: codebook) }
    }

    /// Runs a command line (``CommandLineParser/parse(_:codebook:)``) in the mode it was
    /// opened from; a line that cannot run says why in the status line.
    /// - Returns: the effects of the command (save, quit, export).
    public mutating func runCommandLine(_ line: String) -> [Effect] {
        let command: Command
        switch AppState.readCommandLine(line, history: &commandHistory, codebook: codebook) {
        case nil: return []
        case .success(let read)?: command = read
        case .failure(let error)?:
            message = error.description
            messageIsError = true
            return []
        }
        return run(command)
    }

    /// Carries out `command`, as its key would.
    public mutating func run(_ command: Command) -> [Effect] {
        message = nil
        messageIsError = false
        switch command {
        case .action(let action):
            guard isRunnable(action) else {
                let modes = keymap.bindings.filter { $0.action == action }.flatMap { $0.modes.map(\.rawValue).sorted() }
                let lists = keymap.bindings.contains { $0.action == action && !$0.lists.isEmpty }
                let place = modes.isEmpty ? (lists ? "the document list" : "a corpus") : Array(Set(modes)).sorted().joined(separator: ", ")
                message = ":\(action.name) works in \(place), not here"
                messageIsError = true
                return []
            }
            let effects = update(action)
            if mode == .detail && detailAnnotation == nil { mode = detailReturnMode }
            if message == nil, mode != .prompt, let hint = linkHint { message = hint }
            return effects
        case .export(let format, let path, let replacing):
            message = "Exporting \(format) to \(path)…"
            return [.export(format: format, path: path, corpus: false, replacing: replacing)]
        case .filter(let expression):
            applyFilter(expression)
        case .goto(let target):
            goTo(target)
        case .set(let option, let value):
            guard option == "wrap" else { return [.setOption(name: option, value: value)] }
            setWrap(Int(value) ?? 0)
            message = wrapLimit > 0 ? "The text wraps at \(wrapLimit) columns at most" : "The text wraps to the pane"
        case .write:
            guard !readOnly else {
                message = "Read-only: " + readOnlyReason
                messageIsError = true
                return []
            }
            message = "Saving the annotations to the store"
            return [.save]
        }
        return []
    }

    /// The filter's choices for completion, as the `f` prompt offers them.
    var filterChoices: [String] {
        var choices: [String] = annotations.contains { $0.conflict != nil } ? ["conflict"] : []
        for category in codebook.categories {
            choices.append(category.id)
            var values = category.allValues.map(\.value)
            values += annotations.flatMap { $0.tags.filter { $0.category == category.id }.map(\.value) }
            var seen = Set<String>()
            for value in values where !value.isEmpty && seen.insert(value).inserted { choices.append(category.id + "=" + value) }
        }
        return choices
    }

    /// Moves the focus to `target`: a percentage of the text's code points (of its bytes
    /// while a large text is still being indexed, as `less` counts, shown at once ahead of
    /// the index when it is far from it), or the first sentence of a paragraph (numbered
    /// from 1; past the last, the last). A selection or the list is left for the text.
    mutating func goTo(_ target: GotoTarget) {
        guard !document.isEmpty else {
            message = "The document is empty"
            return
        }
        selection = nil
        mode = .reading
        switch target {
        case .percent(let percent) where document.isFullyIndexed:
            let length = document.length
            moveFocus(toOffset: min(max(0, length - 1), length * percent / 100))
        case .percent(let percent):
            // by bytes, as less seeks: a large text shows the place at once, read ahead of
            // the index when it is far from what is indexed
            let byte = Int(Int64(document.byteCount) * Int64(percent) / 100)
            moveFocus(to: document.paragraph(atByte: byte).map { SentencePosition(paragraph: $0, sentence: 0) })
        case .paragraph(let number):
            let count = document.paragraphCount
            moveFocus(to: SentencePosition(paragraph: min(count, number) - 1, sentence: 0))
        }
        if focusIsProvisional {
            message = AppState.provisionalNotice
        } else if let focus {
            message = document.isFullyIndexed ? "Paragraph \(focus.paragraph + 1) of \(document.paragraphCount)" : "Paragraph \(focus.paragraph + 1)"
        }
    }
}

extension Prompt {
    /// Up (`older`) or Down on a command line with `history` (oldest first): puts the
    /// previous or next line in the answer; Down past the latest brings back what was
    /// being typed before Up.
    /// - Returns: false when there is nothing to recall, and the prompt is as it was.
    mutating func recall(from history: [String], older: Bool) -> Bool {
        guard !history.isEmpty else { return false }
        let latest = history.count - 1
        let index: Int?
        if older {
            if historyIndex == nil { draft = text }
            index = historyIndex.map { min(latest, $0 + 1) } ?? 0
        } else {
            guard let current = historyIndex else { return false }
            index = current == 0 ? nil : current - 1
        }
        historyIndex = index
        text = index.map { history[latest - $0] } ?? draft
        cursor = text.count
        return true
    }
}

/// The `:` command line of a corpus's lists: the lists' commands, `:filter` on the
/// corpus-wide list, and `:export` of the whole corpus.
extension CorpusSession {
    /// What completion offers on the lists' command line.
    var commandLineContext: CommandLineContext {
        let list = listMode
        let runnable = Set(keymap.bindings.lazy.filter { $0.lists.contains(list) }.map(\.action))
        return CommandLineContext(actions: Action.commands(for: codebook, corpus: true).filter(runnable.contains), filterChoices: filterChoices)
    }

    /// True when a key of the list shown triggers `action`.
    func isRunnable(_ action: Action) -> Bool {
        keymap.bindings.contains { $0.action == action && $0.lists.contains(listMode) }
    }

    mutating func openCommandLine() {
        var prompt = Prompt(purpose: .command, label: ":", text: "", cursor: 0, choices: [], aliases: [:], completionIndex: nil, typed: "")
        updateCommandCompletion(&prompt)
        listPrompt = prompt
    }

    func updateCommandCompletion(_ prompt: inout Prompt) {
        let (start, candidates) = CommandLineParser.completion(for: prompt.text, context: commandLineContext)
        prompt.completionStart = start
        prompt.choices = candidates
        prompt.typed = String(prompt.text.dropFirst(start))
        prompt.completionIndex = nil
    }

    /// Runs a command line typed over a list; a line that cannot run says why.
    /// - Returns: the effects for the shell (quit, export).
    mutating func runCommandLine(_ line: String) -> [Effect] {
        let command: Command
        switch AppState.readCommandLine(line, history: &commandHistory, codebook: codebook) {
        case nil: return []
        case .success(let read)?: command = read
        case .failure(let error)?:
            message = error.description
            messageIsError = true
            return []
        }
        switch command {
        case .action(let action):
            guard isRunnable(action) else {
                message = ":\(action.name) works in a document, not in this list (Enter opens one)"
                messageIsError = true
                return []
            }
            return perform(action)
        case .export(let format, let path, let replacing):
            message = "Exporting the corpus as \(format) to \(path)…"
            return [.export(format: format, path: path, corpus: true, replacing: replacing)]
        case .filter(let expression):
            applyAnnotationFilter(expression)
            if view == .documents { _ = perform(.corpusAnnotations) }
        case .set(let option, let value) where option != "wrap":
            return [.setOption(name: option, value: value)]
        case .goto, .set:
            message = "\(line.trimmingCharacters(in: .whitespaces).prefix { !$0.isWhitespace }) works in a document, not in this list (Enter opens one)"
            messageIsError = true
        case .write:
            message = "Nothing to save in the list: a document is saved as it is left"
        }
        return []
    }
}

extension CorpusSession {
    /// Puts `text` in the status line of what is shown: the open document's, or the list's.
    public mutating func report(_ text: String, isError: Bool) {
        if view == .reader, session != nil {
            session!.state.message = text
            session!.state.messageIsError = isError
        } else {
            message = text
            messageIsError = isError
        }
    }
}
