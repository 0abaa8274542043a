import Foundation
import GlossCore

/// Finds the files shipped in `Resources/` (the codebook and the sample article).
///
/// Looked for, in order: `$GLOSS_RESOURCES`; `share/gloss` beside the executable's folder
/// (an installed layout); the package's own `Resources/` folder, located from this source
/// file's path at build time (a checkout run with `swift run`).
enum BundledResources {
    static let sampleName = "sample-article.txt"

    static func path(of name: String) throws -> String {
        for folder in candidateFolders() {
            let path = folder + "/" + name
            if FileManager.default.fileExists(atPath: path) { return path }
        }
        throw ResourceError(name: name, searched: candidateFolders())
    }

    /// True when `path` is the bundled default codebook (in any of the folders searched),
    /// which Gloss never writes.
    static func isBundledCodebook(_ path: String) -> Bool {
        let target = URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
        return bundledCodebooks.contains(target)
    }

    /// The folders searched, in order; worked out at first use (it resolves the
    /// executable's symbolic links), then kept for the run.
    static func candidateFolders() -> [String] { folders }

    private static let folders = findCandidateFolders()

    /// `codebook.json` in each of the ``candidateFolders()``, standardized and with its
    /// symbolic links resolved.
    private static let bundledCodebooks = folders.map { folder in
        URL(fileURLWithPath: folder + "/codebook.json").standardizedFileURL.resolvingSymlinksInPath().path
    }

    private static func findCandidateFolders() -> [String] {
        var folders: [String] = []
        if let override = ProcessEnvironment.value("GLOSS_RESOURCES") { folders.append(override) }
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        folders.append(executable.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("share/gloss").path)
        let source = URL(fileURLWithPath: #filePath)
        folders.append(source.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Resources").path)
        return folders
    }

    /// Where the sample article's annotations go: the user's data folder, so that trying
    /// Gloss never writes into the installation.
    static func sampleStorePath() -> String {
        // a relative XDG_DATA_HOME is ignored, as the XDG specification asks
        let folder = ProcessEnvironment.dataHome(environment: ProcessEnvironment.variables) + "/gloss"
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return folder + "/" + sampleName + ".gloss.json"
    }
}

struct ResourceError: Error, CustomStringConvertible {
    var name: String
    var searched: [String]
    var description: String {
        "gloss: cannot find the bundled \(name); looked in \(searched.joined(separator: ", ")); set GLOSS_RESOURCES to the folder that holds it"
    }
}
