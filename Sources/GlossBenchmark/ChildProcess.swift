import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Running `gloss-benchmark` itself again with other arguments, its output read back.
enum ChildProcess {
    /// Runs this executable with `arguments` and returns what it printed; throws with its
    /// error output when it fails. Spawned with `posix_spawn`: Foundation's `Process` is not
    /// used in Gloss.
    static func run(_ arguments: [String], folder: String) throws -> String {
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
        let outputPath = folder + "/child.out", errorPath = folder + "/child.err"
        defer {
            unlink(outputPath)
            unlink(errorPath)
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errorPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        func cStrings(_ strings: [String]) -> [UnsafeMutablePointer<CChar>?] { strings.map { strdup($0) } + [nil] }
        let argv = cStrings([executable] + arguments)
        let envp = cStrings(ProcessInfo.processInfo.environment.map { "\($0.key)=\($0.value)" })
        defer { (argv + envp).forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, nil, argv, envp)
        guard spawned == 0 else { throw BenchmarkError("cannot start \(executable): \(String(cString: strerror(spawned)))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let output = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        guard status == 0 else {
            let error = (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? ""
            throw BenchmarkError("the child \(arguments.first ?? "") failed (wait status \(status)): \(error)\(output)")
        }
        return output
    }

    /// The `name value` lines a child printed, by name; other lines are skipped.
    static func values(_ output: String) -> [String: Double] {
        var values: [String: Double] = [:]
        for line in output.split(separator: "\n") {
            let fields = line.split(separator: " ")
            if fields.count == 2, let value = Double(fields[1]) { values[String(fields[0])] = value }
        }
        return values
    }
}
