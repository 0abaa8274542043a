import ArgumentParser
import Foundation
import GlossCore
import GlossUI

/// `gloss codebook export|import`: a codebook in REFI-QDA's codebook exchange format
/// (`.qdc`, Codebook.xsd), which NVivo, ATLAS.ti, MAXQDA and QualCoder read and write.
struct CodebookCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "codebook",
        abstract: "Exchange the codebook with other tools as a REFI-QDA codebook (.qdc).",
        version: GlossVersion.string,
        subcommands: [CodebookExport.self, CodebookImport.self])
}

/// `gloss codebook export [--codebook PATH] [-o OUT.qdc]`: the codebook as a `.qdc`
/// (``QDCCodebook/export(_:origin:)``), to `-o` (atomically) or standard output. The
/// codebook is `--codebook`, else the nearest `gloss.codebook.json` in the current folder
/// or a parent, else the configuration file's `codebook`, else the bundled one. What the format cannot hold (ids, keys, relation
/// types) is said on standard error.
struct CodebookExport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the codebook as a REFI-QDA codebook (.qdc): categories and their values as nested codes.",
        version: GlossVersion.string)

    @Option(name: .long, help: ArgumentHelp("The codebook JSON file (default: the nearest gloss.codebook.json in this folder or a parent, else the configuration file's codebook, else the bundled one).", valueName: "path"), completion: .file())
    var codebook: String?

    @Option(name: .shortAndLong, help: ArgumentHelp("Where to write the .qdc; standard output when absent.", valueName: "path"), completion: .file())
    var output: String?

    func validate() throws {
        try refuseEmptyPaths(codebook.map { [$0] } ?? [], valueName: "--codebook")
        try refuseEmptyPaths(output.map { [$0] } ?? [], valueName: "--output")
    }

    func run() throws {
        do {
            let path = try codebook ?? Codebook.discover(forDocument: FileManager.default.currentDirectoryPath + "/" + Codebook.teamFileName)
                ?? UserConfiguration.configuration.codebook ?? BundledResources.path(of: "codebook.json")
            let loaded = try Codebook.load(path: path)
            let (text, notes) = try QDCCodebook.export(loaded, origin: "Gloss \(GlossVersion.string)")
            notes.forEach { printError("gloss: " + $0) }
            if let output {
                if output == path { throw ValidationError("-o \(output) is the codebook being exported; choose another file") }
                // never a document with annotations, a store or a write-protected file
                try refuseProtectedOutput(output)
                try AtomicFile.write(Data(text.utf8), to: output)
                printError("gloss: \(output): \(loaded.categories.count) categor\(loaded.categories.count == 1 ? "y" : "ies") and their values from \(path)")
            } else {
                try StandardStreams.write(text)
            }
        } catch let error as ValidationError {
            throw error
        } catch let error as ExitCode {
            throw error
        } catch let error as StandardStreams.OutputFailure {
            throw error
        } catch {
            printError("gloss: \(error)")
            throw ExitCode.failure
        }
    }
}

/// `gloss codebook import FILE.qdc [-o gloss.codebook.json] [--force]`: a Gloss codebook
/// made from another tool's `.qdc` (or a `.qdpx` project's code book), by
/// ``QDCCodebook/read(contentsOf:name:keyIsFree:)``: top-level codes become categories with
/// free keys and the nearest colours, child codes values. Everything not carried over as
/// it was is said on standard error. An existing output file is replaced only with
/// `--force`; the file is written atomically.
struct CodebookImport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Start a Gloss codebook from a REFI-QDA codebook (.qdc) made by another tool.",
        discussion: """
        Top-level codes become categories (keys from free letters, colours the nearest \
        terminal colours); the codes inside them values, nested as they are. What cannot be \
        mapped (sets, descriptions and colours of values) is reported.
        """,
        version: GlossVersion.string)

    @Argument(help: ArgumentHelp("The REFI-QDA codebook (or a .qdpx project, whose code book is read).", valueName: "file.qdc"), completion: .file())
    var file: String

    @Option(name: .shortAndLong, help: ArgumentHelp("The codebook file to write.", valueName: "path"), completion: .file())
    var output: String = Codebook.teamFileName

    @Flag(name: .long, help: "Replace the output file when it exists.")
    var force = false

    func validate() throws {
        try refuseEmptyPaths([file], valueName: "<file.qdc>")
        try refuseEmptyPaths([output], valueName: "--output")
    }

    func run() throws {
        if FileManager.default.fileExists(atPath: output) && !force {
            printError("gloss: \(output) exists; give --force to replace it (nothing written)")
            throw ExitCode.failure
        }
        // --force replaces a codebook, never a document with annotations, a store or a
        // write-protected file
        try refuseProtectedOutput(output)
        do {
            let name = URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
            let imported = try QDCCodebook.read(contentsOf: file, name: name) { key in
                // a key Gloss itself uses in the reader cannot tag
                let probe = Codebook(name: "", categories: [Category(id: "probe", label: "probe", key: key, color: "white", description: "", values: [])])
                return Codebook.keyProblem(key) == nil && Keymap.conflicts(in: probe).isEmpty
            }
            imported.notes.forEach { printError("gloss: \(file): " + $0) }
            let tree = try JSONValue(encoding: imported.codebook)
            try AtomicFile.write(CodebookFile(path: output, tree: tree).data, to: output)
            let values = imported.codebook.categories.reduce(0) { $0 + $1.allValues.count }
            printError("gloss: \(output): \(imported.codebook.categories.count) categor\(imported.codebook.categories.count == 1 ? "y" : "ies") and \(values) value(s) from \(file)")
        } catch {
            printError("gloss: \(error); nothing written")
            throw ExitCode.failure
        }
    }
}
