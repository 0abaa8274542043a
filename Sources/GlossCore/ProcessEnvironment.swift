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

    /// Every variable, name to value, as `environ(7)` held them at first use (Gloss never
    /// changes its own environment); read directly, a tenth of what building
    /// `ProcessInfo.environment` costs before the first screen. An entry without `=` is
    /// skipped; for a name given twice the first counts, as `getenv(3)` finds it.
    public static let variables: [String: String] = {
        var variables: [String: String] = [:]
        var entry = environ
        while let pointer = entry.pointee {
            // split at the first `=` byte: finding it by Character costs a shell's
            // environment a quarter of a million instructions
            if let equals = strchr(pointer, Int32(UInt8(ascii: "="))) {
                let name = String(decoding: UnsafeRawBufferPointer(start: pointer, count: pointer.distance(to: equals)), as: UTF8.self)
                if variables[name] == nil { variables[name] = String(cString: equals + 1) }
            }
            entry += 1
        }
        return variables
    }()

    /// The folder an XDG base directory variable (`XDG_DATA_HOME`, `XDG_CONFIG_HOME`)
    /// names: its value when that is an absolute path; nil when it is unset, empty or
    /// relative, which the XDG Base Directory Specification says is invalid and must be
    /// ignored, so the caller takes its default (`~/.local/share`, `~/.config`) rather than
    /// a folder relative to wherever Gloss was started.
    public static func baseDirectory(_ name: String, environment: [String: String]) -> String? {
        guard let value = environment[name], value.hasPrefix("/") else { return nil }
        return value
    }

    /// The user's home folder: `$HOME` when it is an absolute path, else the password
    /// database's, else `/`.
    public static func homeFolder(environment: [String: String]) -> String {
        // relative, it would name a folder below wherever Gloss was started
        if let home = environment["HOME"], home.hasPrefix("/") { return home }
        if let entry = getpwuid(getuid()), let folder = entry.pointee.pw_dir { return String(cString: folder) }
        return "/"
    }

    /// The user's data folder: `$XDG_DATA_HOME` when it is an absolute path, else
    /// `~/.local/share` (``baseDirectory(_:environment:)``).
    public static func dataHome(environment: [String: String]) -> String {
        baseDirectory("XDG_DATA_HOME", environment: environment) ?? homeFolder(environment: environment) + "/.local/share"
    }
}
