import Foundation
import GlossCore
import GlossUI

/// `:export FORMAT PATH` in the reader: `gloss export` itself, run as a child process in
/// the background so that the screen stays live, and so that the file is the one the
/// command writes, byte for byte. Its outcome is taken by ``takeFinished()`` between keys.
final class CommandLineExports: @unchecked Sendable {
    /// The outcome of one export: the status line's message, and whether it failed.
    struct Outcome {
        var message: String
        var isError: Bool
    }

    private let lock = NSLock()
    private var finished: [Outcome] = []

    /// The gloss executable running now.
    static var executable: URL? {
        #if os(Linux)
        let link = "/proc/self/exe"
        if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: link) { return URL(fileURLWithPath: target) }
        #endif
        return Bundle.main.executableURL
    }

    /// Runs `gloss export` with `arguments` (the inputs, `--format`, `-o` and the options)
    /// in the background; `success` is the message when it exits with status 0.
    func start(arguments: [String], success: String) {
        guard let executable = CommandLineExports.executable else {
            finish(Outcome(message: "Cannot export: the gloss executable is not found", isError: true))
            return
        }
        DispatchQueue.global().async { [self] in
            let process = Process()
            process.executableURL = executable
            process.arguments = ["export"] + arguments
            process.environment = ProcessInfo.processInfo.environment.merging([UserConfiguration.reportedVariable: "1"]) { $1 }
            // the child never reads the terminal nor writes on the screen
            process.standardInput = FileHandle.nullDevice
            process.standardOutput = FileHandle.nullDevice
            let errors = Pipe()
            process.standardError = errors
            do {
                try process.run()
            } catch {
                finish(Outcome(message: "Cannot export: \(FileErrorText.reason(for: error))", isError: true))
                return
            }
            // read to the end first, so that a long report cannot fill the pipe and stall the child
            let data = errors.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            let lines = String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline).map(String.init)
            if process.terminationReason == .exit && process.terminationStatus == 0 {
                let note = lines.last.map { " (" + $0.replacingOccurrences(of: "gloss: ", with: "") + ")" } ?? ""
                finish(Outcome(message: success + note, isError: false))
            } else {
                let reason = lines.last { !$0.isEmpty } ?? "gloss export ended with status \(process.terminationStatus)"
                finish(Outcome(message: "Export failed: " + reason.replacingOccurrences(of: "gloss: ", with: ""), isError: true))
            }
        }
    }

    private func finish(_ outcome: Outcome) {
        lock.lock()
        finished.append(outcome)
        lock.unlock()
    }

    /// The outcomes of the exports that ended since the last call, in the order they ended.
    func takeFinished() -> [Outcome] {
        lock.lock()
        defer { lock.unlock() }
        let outcomes = finished
        finished = []
        return outcomes
    }
}

extension Read {
    /// Starts `:export FORMAT PATH` for `corpus`: the open document (saved first) with
    /// its store, or with `wholeCorpus` the documents the reader was given; the options
    /// the reader was given (codebook, coder, encoding) go along. A file already at `path`
    /// is replaced only when `replacing` (`:export!`); the export itself refuses stores,
    /// annotated documents and write-protected files even then.
    func startExport(format: String, path: String, wholeCorpus: Bool, replacing: Bool, corpus: inout CorpusSession,
                     exports: CommandLineExports) {
        let output = CommandLineParser.expandingTilde(path)
        // as vim's :w, a file already there is replaced only when asked with !
        if !replacing, FileManager.default.fileExists(atPath: output) {
            corpus.report("Not exported: \(path) exists; :export! \(format) \(path) replaces it", isError: true)
            return
        }
        var inputs: [String]
        var success: String
        var extra: [String] = []
        if let name = encoding?.rawValue { extra += ["--encoding", name] }
        if let codebook = options.codebook { extra += ["--codebook", codebook] }
        if wholeCorpus {
            if let coder = options.coder { extra += ["--coder", coder] }
            // the document still open behind the list is read from its store too
            corpus.session?.flush()
            inputs = files
            success = "Exported the corpus as \(format) to \(path)"
        } else {
            guard var session = corpus.session else { return }
            // the export reads the store: what is on screen is written there first
            session.flush()
            corpus.session = session
            if session.state.unsavedChanges {
                corpus.report("Not exported: the store cannot be written, so it lacks the latest changes", isError: true)
                return
            }
            if options.codebook == nil, let file = session.state.codebookFile, FileManager.default.fileExists(atPath: file.path) {
                extra += ["--codebook", file.path]
            }
            inputs = [session.state.document.path]
            // a document never annotated has no store yet: exported as `gloss export` does
            // it, from the default store's place (nothing there); a store given by another
            // name is named, so the export never takes the default store's annotations
            let defaultStore = AnnotationStore.defaultPath(forDocument: session.state.document.path)
            if FileManager.default.fileExists(atPath: session.store.path) || session.store.givenPath != defaultStore {
                extra += ["--store", session.store.path]
            }
            let count = session.state.annotations.count
            success = "Exported \(count) annotation\(count == 1 ? "" : "s") as \(format) to \(path)"
        }
        // a path that starts with a dash is a path here, not an option
        exports.start(arguments: ["--format", format, "--output=" + output] + extra + ["--"] + inputs, success: success)
    }
}
