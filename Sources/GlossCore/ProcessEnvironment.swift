import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The process's environment variables, read cheaply: `ProcessInfo.environment` builds a
/// dictionary of every variable on each call (some 0.4 million instructions with a shell's
/// environment), which start-up asked for a dozen times.
public enum ProcessEnvironment {
    /// The value of variable `name` as `getenv(3)` gives it, decoded as UTF-8 (invalid
    /// bytes become U+FFFD); nil when it is not set.
    public static func value(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }

    /// Every variable, name to value, as `ProcessInfo.environment` gave them at first use
    /// (Gloss never changes its own environment).
    public static let variables: [String: String] = ProcessInfo.processInfo.environment
}
