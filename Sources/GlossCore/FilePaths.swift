import Foundation

/// Paths worked out as text and with `realpath(3)`, not with `URL`: Foundation's URL
/// standardizing and link resolving each cost a scan of every protocol conformance in the
/// binary the first time they run, paid before the reader's first screen.
public enum FilePaths {
    /// What is wrong with `path` when it is a symbolic link that leads to no file, in a few
    /// words for a message: `a symbolic link to nothing` (its target is missing) or `a
    /// loop of symbolic links` (one leads back to another); nil for anything else.
    public static func brokenLinkProblem(_ path: String) -> String? {
        var entry = stat(), target = stat()
        guard lstat(path, &entry) == 0, entry.st_mode & S_IFMT == S_IFLNK, stat(path, &target) != 0 else { return nil }
        switch errno {
        case ENOENT: return "a symbolic link to nothing"
        case ELOOP: return "a loop of symbolic links (one leads back to another)"
        default: return nil
        }
    }

    /// `path` made absolute from the working folder; unchanged when the working folder
    /// cannot be read (it was deleted).
    public static func absolute(_ path: String) -> String {
        guard !path.hasPrefix("/"), let folder = getcwd(nil, 0) else { return path }
        defer { free(folder) }
        return String(cString: folder) + "/" + path
    }

    /// `path` made absolute, with `.`, `..` and repeated slashes taken out as text (links
    /// are not followed), as `URL.standardizedFileURL` gives it: `a/./b/../c` in `/w` is
    /// `/w/a/c`; `..` at the root stays at the root.
    public static func standardized(_ path: String) -> String {
        var parts: [String] = []
        for component in absolute(path).split(separator: "/") where component != "." {
            if component == ".." {
                _ = parts.popLast()
            } else {
                parts.append(String(component))
            }
        }
        var result = ""
        for part in parts { result += "/" + part }
        return result.isEmpty ? "/" : result
    }

    /// The folder of an absolute `path` (`/a/b` → `/a`, `/a` → `/`); `.` for a bare name.
    public static func folder(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// The folder holding the file at `path` as the kernel finds it: made absolute, with the
    /// links and `..` in it resolved (`a/link/../doc.txt` is in the link target's parent,
    /// not in `a`), ``resolvingLinks(_:)``.
    public static func physicalFolder(of path: String) -> String {
        resolvingLinks(folder(of: absolute(path)))
    }

    /// `path` with its folder resolved as the kernel resolves it (``physicalFolder(of:)``)
    /// and its last name kept, so a document that is itself a link keeps its own name (and
    /// store); a path ending in `.` or `..` is resolved whole.
    public static func physical(_ path: String) -> String {
        let whole = absolute(path)
        let name = whole.lastIndex(of: "/").map { String(whole[whole.index(after: $0)...]) } ?? whole
        if name.isEmpty || name == "." || name == ".." { return resolvingLinks(whole) }
        let folder = physicalFolder(of: whole)
        return (folder == "/" ? "" : folder) + "/" + name
    }

    /// `path` made absolute with the symbolic links, `.` and `..` in it resolved
    /// (`realpath(3)`); when it names nothing yet, its nearest existing folder is resolved
    /// and the rest applied to that as written. A relative path whose working folder is
    /// gone comes back as given.
    public static func resolvingLinks(_ path: String) -> String {
        if let whole = real(path) { return whole }
        let absolute = absolute(path)
        guard absolute.hasPrefix("/") else { return path }
        // the longest existing folder of it ("/" at the latest), then the rest as written
        var existingEnd = absolute.endIndex
        while let slash = absolute[..<existingEnd].lastIndex(of: "/") {
            existingEnd = slash
            guard var result = real(slash == absolute.startIndex ? "/" : String(absolute[..<slash])) else { continue }
            for component in absolute[absolute.index(after: slash)...].split(separator: "/") where component != "." {
                if component == ".." {
                    result = folder(of: result)
                } else {
                    result += (result.hasSuffix("/") ? "" : "/") + String(component)
                }
            }
            return result
        }
        return absolute
    }

    /// `path` resolved by `realpath(3)` (absolute, links, `.` and `..` resolved); nil when
    /// it names nothing.
    public static func real(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// True when `a` and `b` are one file (the same device and inode, links followed):
    /// false when either cannot be reached.
    public static func isSameFile(_ a: String, _ b: String) -> Bool {
        var first = stat(), second = stat()
        return stat(a, &first) == 0 && stat(b, &second) == 0 && first.st_dev == second.st_dev && first.st_ino == second.st_ino
    }
}
