import GlossCore

/// The reader's settings a configuration file (or, while it runs, a command) changes:
/// keys, wrap width, the list's width.
extension AppState {
    /// Takes the configuration's wrap width, list width and keys (its theme and mouse are
    /// the terminal's to apply).
    /// - Returns: the problems of its `[keys]` with this codebook (``Keymap/rebind(_:)``).
    @discardableResult
    public mutating func configure(_ configuration: Configuration) -> [ConfigurationProblem] {
        setWrap(configuration.wrap)
        setListWidth(configuration.listWidth)
        return rebindKeys(configuration.keys)
    }

    /// Lays `keys` over the default key table (``Keymap/rebind(_:)``), now and whenever the
    /// table is rebuilt (a category added, joining a corpus).
    /// - Returns: what is wrong with `keys` for this codebook, by line.
    @discardableResult
    public mutating func rebindKeys(_ keys: KeyBindings) -> [ConfigurationProblem] {
        keyBindings = keys
        var rebound = Keymap(codebook: codebook, corpus: inCorpus)
        let problems = rebound.rebind(keys)
        keymap = rebound
        return problems
    }

    /// Wraps the text at `columns` columns, or at the pane's width when that is narrower;
    /// 0 (or less) wraps at the pane's width. The focused sentence stays on screen.
    public mutating func setWrap(_ columns: Int) {
        let limit = max(0, columns)
        guard limit != wrapLimit else { return }
        wrapLimit = limit
        relayout()
    }

    /// Makes the annotation list `width` wide beside the text (``ListWidth``); the focused
    /// sentence stays on screen.
    public mutating func setListWidth(_ width: ListWidth) {
        guard width != listWidth else { return }
        listWidth = width
        relayout()
    }

    /// Lays the text out again after its width changed, as a resize does.
    mutating func relayout() {
        _ = handle(.resize(width: screenWidth, height: screenHeight))
    }

    /// Shows `problems` of the configuration file in the status line (the first, and how
    /// many more), after any message already there.
    public mutating func report(configurationProblems problems: [ConfigurationProblem]) {
        guard let summary = ConfigurationProblem.summary(problems) else { return }
        message = message.map { $0 + "; " + summary } ?? summary
        messageIsError = true
    }
}

extension CorpusSession {
    /// Lays `keys` over the lists' key table and the open document's (documents opened
    /// later take them from their opener).
    /// - Returns: what is wrong with `keys` for the corpus's codebook, by line.
    @discardableResult
    public mutating func rebindKeys(_ keys: KeyBindings) -> [ConfigurationProblem] {
        var rebound = Keymap(codebook: codebook, corpus: true)
        let problems = rebound.rebind(keys)
        keymap = rebound
        session?.state.rebindKeys(keys)
        return problems
    }

    /// Shows `problems` of the configuration file in the status line (the first, and how
    /// many more), after any message already there.
    public mutating func report(configurationProblems problems: [ConfigurationProblem]) {
        guard let summary = ConfigurationProblem.summary(problems) else { return }
        if view == .reader, session != nil {
            session!.state.report(configurationProblems: problems)
            return
        }
        message = message.map { $0 + "; " + summary } ?? summary
        messageIsError = true
    }
}
