import Foundation
import GlossCore

/// A crash on purpose, for tests of the crash handlers: `GLOSS_DEBUG_CRASH=stack-overflow`
/// or `GLOSS_DEBUG_CRASH=trap` makes the reader crash once its first screen is drawn. Any
/// other value, or none, does nothing, so it cannot fire by accident.
enum DebugCrash: String {
    /// Unbounded recursion until the main thread's stack runs out (SIGSEGV).
    case stackOverflow = "stack-overflow"
    /// A Swift runtime trap (`fatalError`).
    case trap

    /// The crash the environment asks for, read once at start.
    static let requested = ProcessEnvironment.value("GLOSS_DEBUG_CRASH").flatMap(DebugCrash.init(rawValue:))

    /// Crashes the process the requested way.
    func fire() -> Never {
        switch self {
        case .stackOverflow:
            let depth = DebugCrash.recurse(1)
            fatalError("the stack did not overflow after \(depth) calls")
        case .trap:
            fatalError("GLOSS_DEBUG_CRASH=trap")
        }
    }

    /// Calls itself with a frame that cannot be optimized away until the stack overflows.
    @inline(never)
    private static func recurse(_ depth: Int) -> Int {
        var frame = [Int](repeating: depth, count: 1)
        // never true; it keeps the compiler from calling the recursion infinite
        if depth == Int.max { return depth }
        return withUnsafeMutablePointer(to: &frame) { recurse(depth + $0.pointee.count) } + 1
    }
}
