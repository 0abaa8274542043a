import ArgumentParser

extension Read {
    /// The reader's command for a plain command line, built without the argument parser, or
    /// nil for any other command line, which the parser then reads.
    ///
    /// Plain means: optionally `read`, then documents (no argument starting with `-`, none
    /// named as a subcommand or `help`), `--store`, `--coder`, `--codebook`, `--encoding`
    /// and `--author` each at most once with its value as the next argument (not starting
    /// with `-`), and `--relink` and `--hide-boilerplate` at most once, in any order. The
    /// result has every property set as `Gloss.parseAsRoot` sets it for the same
    /// arguments and has passed `validate()`; anything the parser would refuse, or that
    /// asks for help, a version or completions, gives nil. Opening a document this way
    /// skips the parser's reflection over the commands and its trial parses for completion
    /// requests: about a third of the instructions from exec to the first screen.
    /// - Parameter arguments: the command line without the program's name.
    static func plainInvocation(_ arguments: [String]) -> Read? {
        var rest = arguments[...]
        if rest.first == Read.configuration.commandName { rest = rest.dropFirst() }
        let commandNames = Gloss.configuration.subcommands.compactMap { $0.configuration.commandName } + ["help"]
        var files: [String] = []
        // arrays, not sets: a set's first use costs more than these few comparisons
        var values: [String: String] = [:]
        var flags: [String] = []
        let valueOptions = ["--store", "--coder", "--codebook", "--encoding", "--author"]
        let flagOptions = ["--relink", "--hide-boilerplate"]
        while let argument = rest.popFirst() {
            if valueOptions.contains(argument) {
                guard values[argument] == nil, let value = rest.popFirst(), !value.hasPrefix("-") else { return nil }
                values[argument] = value
            } else if flagOptions.contains(argument) {
                guard !flags.contains(argument) else { return nil }
                flags.append(argument)
            } else if argument.hasPrefix("-") || commandNames.contains(argument) {
                return nil
            } else {
                files.append(argument)
            }
        }
        var read = Read()
        read.files = files
        read.store = values["--store"]
        read.coder = values["--coder"]
        read.codebook = values["--codebook"]
        read.author = values["--author"]
        read.relink = flags.contains("--relink")
        read.hideBoilerplate = flags.contains("--hide-boilerplate")
        if let name = values["--encoding"] {
            guard let encoding = try? EncodingOption.encoding(named: name) else { return nil }
            read.encoding = encoding
        } else {
            read.encoding = nil
        }
        guard (try? read.validate()) != nil else { return nil }
        return read
    }
}
