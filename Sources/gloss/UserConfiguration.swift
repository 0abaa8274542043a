import Foundation
import GlossCore
import GlossUI

/// The user's configuration file (``ConfigurationFile/location(environment:)``), read once
/// per run. Its problems go to standard error the first time a command uses it, except in
/// the reader, which shows them in its status line and prints them once the terminal is
/// given back (``holdReports()``, ``printReports()``).
enum UserConfiguration {
    /// The file as read at first use.
    static let loaded = ConfigurationFile.load(environment: ProcessEnvironment.variables)

    /// The settings; the file's problems are printed now unless held.
    static var configuration: Configuration {
        reports.printUnlessHeld()
        return loaded.configuration
    }

    /// Set in the environment of a gloss the reader runs, whose configuration problems the
    /// reader has shown already.
    static let reportedVariable = "GLOSS_CONFIG_REPORTED"

    /// Keeps the problems from standard error until ``printReports()``: the reader's
    /// screen would hide them.
    static func holdReports() { reports.hold() }

    /// Adds problems found later (the `[keys]` checked against a codebook) to those printed.
    static func add(_ problems: [ConfigurationProblem]) { reports.add(problems) }

    /// Every problem so far: the file's, then those added.
    static var problems: [ConfigurationProblem] { reports.all }

    /// Prints the problems not printed yet on standard error.
    static func printReports() { reports.print() }

    private static let reports = Reports(initial: loaded.problems)

    /// The problems, and which of them were printed, shared by every thread of the run.
    private final class Reports: @unchecked Sendable {
        private let lock = NSLock()
        private var problems: [ConfigurationProblem]
        private var printed = 0
        private var held = false

        init(initial: [ConfigurationProblem]) {
            problems = initial
            // a child the reader runs (`:export`) leaves the file's problems to the reader,
            // which has shown them already
            if ProcessEnvironment.value(UserConfiguration.reportedVariable) != nil { printed = initial.count }
        }

        func hold() { lock.withLock { held = true } }

        func add(_ more: [ConfigurationProblem]) {
            lock.withLock {
                for problem in more where !problems.contains(problem) { problems.append(problem) }
            }
        }

        var all: [ConfigurationProblem] { lock.withLock { problems } }

        func printUnlessHeld() {
            if lock.withLock({ !held }) { print() }
        }

        func print() {
            let pending: [ConfigurationProblem] = lock.withLock {
                defer { printed = problems.count }
                return Array(problems[printed...])
            }
            pending.forEach { printError("gloss: \($0)") }
        }
    }
}

extension DocumentOptions {
    /// Who new annotations are credited to: `given` (`--author`), else `--coder`, else
    /// `$GLOSS_AUTHOR`, else the configuration's `author`, else the login name
    /// (``Configuration/author(given:coder:configured:environment:)``).
    func author(given: String?) -> String {
        Configuration.author(given: given, coder: coder, configured: UserConfiguration.configuration.author,
                             environment: ProcessEnvironment.variables)
    }
}
