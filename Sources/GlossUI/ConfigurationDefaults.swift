import GlossCore

extension ConfigurationFile {
    /// A complete configuration file (TOML) with every option at its default and a `#`
    /// comment saying what it does, and a `[keys]` table with every command (a corpus's
    /// too, and a `tag:ID` per category of `codebook`) and its default keys: what
    /// `gloss config --print-defaults` prints, for a user to copy and edit. Read back by
    /// ``parse(_:file:environment:)`` it gives the defaults with no problem.
    /// - Parameter codebookPath: the file `codebook` was read from, named in a comment.
    public static func defaultsText(codebook: Codebook, codebookPath: String? = nil) -> String {
        let defaults = Configuration()
        var lines = [
            "# Gloss configuration: $XDG_CONFIG_HOME/gloss/config.toml, else ~/.config/gloss/config.toml",
            "# ($GLOSS_CONFIG names another file). Every option is shown at its default: keep the lines",
            "# you change. `gloss config --check` reports problems by line.",
            "",
            "# Who new annotations and relations are credited to, after --author, --coder's name and",
            "# $GLOSS_AUTHOR; empty: your login name.",
            "author = \(quoted(defaults.author ?? ""))",
            "",
            "# The codebook used when no --codebook is given and no gloss.codebook.json is beside the",
            "# document or in a folder above it (~ is your home folder, a relative path starts from",
            "# this file's folder); empty: the bundled codebook.",
            "codebook = \(quoted(defaults.codebook ?? ""))",
            "",
            "# Colours: " + Configuration.themeNames.map(quoted).joined(separator: ", ") + ".",
            "theme = \(quoted(defaults.theme))",
            "",
            "# true: clicks, drags and the wheel go to Gloss (the terminal's own copy then needs Shift).",
            "mouse = \(defaults.mouse)",
            "",
            "# Wrap the text at this many columns, or at the text pane's width when that is narrower;",
            "# 0: the pane's width.",
            "wrap = \(defaults.wrap)",
            "",
            "# The annotation list's width beside the text, in columns or as a share such as \"40%\";",
            "# 0: a third of the terminal, at least 30 columns. Below 80 columns the list goes under",
            "# the text.",
            "list-width = \(defaults.listWidth.configValue)",
            "",
            "# Keys by command name. A command listed here gets exactly these keys, in every mode it",
            "# works in; a key it did not have is taken from the other commands there. Unlisted",
            "# commands keep their keys. Key names: a character, Space, Enter, Esc, Tab, Shift-Tab,",
            "# Backspace, Del, Up, Down, Left, Right, PgUp, PgDn, Home, End, Ctrl-X, Alt-X.",
        ]
        if let codebookPath {
            lines.append("# The tag:ID commands are the categories of \(ControlPictures.visible(codebookPath)).")
        }
        lines.append("[keys]")
        let keymap = Keymap(codebook: codebook, corpus: true)
        for command in Action.commands(for: codebook, corpus: true) {
            let rows = keymap.bindings.filter { $0.action == command }
            let keys = rows.first?.keys ?? []
            var comment = rows.first.map { ControlPictures.visible($0.description) } ?? "no key"
            // keys a row has beyond the command's first row, such as q closing the codebook view
            for row in rows.dropFirst() {
                let extras = row.keys.filter { !keys.contains($0) }
                guard !extras.isEmpty else { continue }
                let modes = Mode.allCases.filter(row.modes.contains).map(\.rawValue).joined(separator: ", ")
                comment += "; " + extras.map(\.configName).joined(separator: " ") + " too in \(modes) mode"
            }
            let names = keys.map { quoted($0.configName) }.joined(separator: ", ")
            lines.append("\(tomlKey(command.name)) = [\(names)]  # \(comment)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `text` as a TOML basic string.
    static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    result += String(format: "\\u%04X", scalar.value)
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }

    /// `name` as a TOML key: bare when it may be, else quoted (`"tag:actor"`).
    static func tomlKey(_ name: String) -> String {
        let bare = !name.isEmpty && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
        return bare ? name : quoted(name)
    }
}
