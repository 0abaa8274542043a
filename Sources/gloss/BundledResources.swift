import Foundation
import GlossCore

/// Finds the files shipped in `Resources/` (the codebook and the sample article).
///
/// Looked for, in order: `$GLOSS_RESOURCES`; `share/gloss` beside the executable's folder
/// (an installed layout, wherever it was started from: by its path or found on PATH); the package's own `Resources/` folder, located from this source
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
        let target = FilePaths.resolvingLinks(path)
        return bundledCodebooks.contains(target)
    }

    /// The folders searched, in order; worked out at first use (it resolves the
    /// executable's symbolic links), then kept for the run.
    static func candidateFolders() -> [String] { folders }

    private static let folders = findCandidateFolders()

    /// `codebook.json` in each of the ``candidateFolders()``, standardized and with its
    /// symbolic links resolved.
    private static let bundledCodebooks = folders.map { folder in
        FilePaths.resolvingLinks(folder + "/codebook.json")
    }

    private static func findCandidateFolders() -> [String] {
        var folders: [String] = []
        if let override = ProcessEnvironment.value("GLOSS_RESOURCES") { folders.append(override) }
        if let executable = executablePath() {
            // PREFIX/bin/gloss -> PREFIX/share/gloss
            let prefix = FilePaths.folder(of: FilePaths.folder(of: executable))
            folders.append((prefix == "/" ? "" : prefix) + "/share/gloss")
        }
        // Sources/gloss/BundledResources.swift -> Resources (as text: URL's would resolve
        // links, a cost at every start for a path known when Gloss was built)
        let package = FilePaths.folder(of: FilePaths.folder(of: FilePaths.folder(of: #filePath)))
        folders.append((package == "/" ? "" : package) + "/Resources")
        return folders
    }

    /// The running executable's path, symbolic links resolved: `/proc/self/exe` (argv[0] is
    /// only `gloss` when it was found on PATH), else argv[0] itself when it names a file,
    /// else the first `gloss` on PATH; nil when none resolves.
    static func executablePath() -> String? {
        if let own = FilePaths.real("/proc/self/exe") { return own }
        let invoked = CommandLine.arguments.first ?? ""
        if invoked.contains("/") { return FilePaths.real(invoked) }
        for folder in (ProcessEnvironment.value("PATH") ?? "").split(separator: ":") {
            if let found = FilePaths.real(String(folder) + "/" + invoked), access(found, X_OK) == 0 { return found }
        }
        return nil
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
