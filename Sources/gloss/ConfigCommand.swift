import ArgumentParser
import Foundation
import GlossCore
import GlossUI

/// `gloss config [--check | --path | --print-defaults]`: the user's configuration file
/// (``ConfigurationFile``): check it and print its problems by line, print where it is
/// read from, or print a complete file with every option at its default.
struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Check the configuration file (the default), print its path, or print every option at its default.",
        discussion: """
        Gloss reads $GLOSS_CONFIG when set, else $XDG_CONFIG_HOME/gloss/config.toml, else \
        ~/.config/gloss/config.toml. A missing file means the defaults. --check exits with 1 \
        when the file has problems, printed as FILE:LINE: problem; the tag:ID commands of \
        [keys] are checked against the codebook the reader would use in this folder.
        """,
        version: GlossVersion.string)

    @Flag(help: "Check the file and print its problems with their lines (the default).")
    var check = false

    @Flag(help: "Print the path of the configuration file Gloss reads.")
    var path = false

    @Flag(name: .customLong("print-defaults"), help: "Print a complete configuration file: every option at its default with a comment, and every command's keys.")
    var printDefaults = false

    func validate() throws {
        if [check, path, printDefaults].filter({ $0 }).count > 1 {
            throw ValidationError("give one of --check, --path and --print-defaults")
        }
    }

    func run() throws {
        // this command prints the problems itself, once
        UserConfiguration.holdReports()
        let loaded = UserConfiguration.loaded
        if path {
            try StandardStreams.write(ControlPictures.visible(loaded.path) + "\n")
            return
        }
        let codebook: Codebook, codebookPath: String
        do {
            (codebook, codebookPath) = try Self.codebookHere()
        } catch {
            printError("gloss: \(error)")
            throw ExitCode.failure
        }
        if printDefaults {
            try StandardStreams.write(ConfigurationFile.defaultsText(codebook: codebook, codebookPath: codebookPath))
            return
        }
        var keymap = Keymap(codebook: codebook, corpus: true)
        let problems = (loaded.problems + keymap.rebind(loaded.configuration.keys)).sorted { ($0.line ?? 0) < ($1.line ?? 0) }
        for problem in problems { try StandardStreams.write(ControlPictures.visible(problem.description) + "\n") }
        if !problems.isEmpty { throw ExitCode.failure }
        if !loaded.exists {
            printError("gloss: \(loaded.path): no configuration file; the defaults apply (gloss config --print-defaults shows them)")
        } else {
            printError("gloss: \(loaded.path): no problems")
        }
    }

    /// The codebook the reader would use for a document in the current folder, and its path.
    /// - Throws: ``CodebookError`` when it cannot be used.
    static func codebookHere() throws -> (Codebook, String) {
        let here = FileManager.default.currentDirectoryPath
        let path = try Codebook.discover(forDocument: here + "/" + Codebook.teamFileName)
            ?? UserConfiguration.configuration.codebook ?? BundledResources.path(of: "codebook.json")
        var options = DocumentOptions()
        options.codebook = path
        return (try options.loadCodebook(forDocument: nil), path)
    }
}
