// swift-tools-version: 6.0
import Foundation
import PackageDescription

// Concrete generic types (Set<UInt8>, [String: String]) are made with their metadata
// accessors, not looked up by mangled name: in a statically linked binary each first
// look-up scans every protocol conformance in it, and start-up makes dozens of them.
let fastStartup: [SwiftSetting] = [.unsafeFlags(["-Xfrontend", "-disable-concrete-type-metadata-mangled-name-accessors"])]

// libxml2's headers sit in a folder of their own (`pkg-config --cflags libxml-2.0`); the
// library itself is loaded on first use, not linked (see the CLibXML2 target).
let libxml2Headers = ["/usr/include/libxml2", "/opt/homebrew/opt/libxml2/include/libxml2", "/usr/local/opt/libxml2/include/libxml2"]
    .first { FileManager.default.fileExists(atPath: $0 + "/libxml/parser.h") } ?? "/usr/include/libxml2"

// The release binary's start-up (Linux): no symbol table of its own for the dynamic loader
// to search (the static Swift library's `-export-dynamic`), and the C++ runtime and libgcc
// linked in rather than loaded and bound at every start. `Sources/gloss/link/libstdc++.so`
// is a linker script that names `libstdc++.a`, found first by `-lstdc++`.
let fastStartupLinking: [LinkerSetting] = [
    .unsafeFlags(["-Xlinker", "--no-export-dynamic", "-Xclang-linker", "-static-libgcc", "-L", Context.packageDirectory + "/Sources/gloss/link"]
                    + packedRelocations,
                 .when(platforms: [.linux], configuration: .release)),
]

// The release binary's ~90,000 relative relocations as a packed table (DT_RELR, `ld.lld -z
// pack-relative-relocs`): the loader reads 17 KB at every start instead of 2 MB. Only where
// the C library reads such tables (glibc 2.36 and later) and the toolchain's lld is on PATH
// (Swift's Linux toolchains ship it beside `swift`); elsewhere the default linker as before.
var packedRelocations: [String] {
    #if os(Linux)
    // "glibc 2.36"
    var text = [CChar](repeating: 0, count: 64)
    _ = confstr(Int32(_CS_GNU_LIBC_VERSION), &text, text.count)
    let version = String(cString: text).split(separator: " ").last.map { $0.split(separator: ".").compactMap { Int($0) } } ?? []
    let readsPackedRelocations = version.count >= 2 && (version[0], version[1]) >= (2, 36)
    let lld = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
        .contains { FileManager.default.isExecutableFile(atPath: "\($0)/ld.lld") }
    return readsPackedRelocations && lld ? ["-use-ld=lld", "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs"] : []
    #else
    return []
    #endif
}

let package = Package(
    name: "Gloss",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "gloss", targets: ["gloss"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-algorithms", from: "1.2.1"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.2"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
    ],
    targets: [
        // C shim over <ncursesw/curses.h>: the only target that sees curses.
        .target(
            name: "CNcursesw",
            dependencies: ["CMappedFiles"],
            linkerSettings: [.linkedLibrary("ncursesw")]
        ),
        // The SIGBUS handler that lets a mapped document truncated while it is read read as zeros.
        .target(name: "CMappedFiles"),
        // Pure model: documents, offsets, annotations, codebook, store, exporters.
        .target(
            name: "GlossCore",
            dependencies: [
                .product(name: "Crypto", package: "swift-crypto"),
                // The REFI-QDA project exchange (.qdpx) is a zip archive.
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                // libxml2 read directly: Foundation's XMLParser keeps its 10 MB text limit.
                "CLibXML2",
                "CMappedFiles",
            ],
            swiftSettings: fastStartup
        ),
        // libxml2's headers, and the loader that opens the library on first use: the HTML
        // and REFI-QDA readers' C dependency.
        .target(name: "CLibXML2", cSettings: [.unsafeFlags(["-I", libxml2Headers])]),
        // cmark-gfm, found with pkg-config: GitHub's CommonMark parser, for its table and strikethrough extensions
        .systemLibrary(
            name: "CCmark",
            pkgConfig: "libcmark-gfm",
            providers: [.apt(["libcmark-gfm-dev", "libcmark-gfm-extensions-dev"]), .brew(["cmark-gfm"])]
        ),
        // Turns HTML, Markdown and PDF files (and text in other encodings) into the text a
        // Document shows; DocumentOpener is how every command opens a document.
        .target(name: "GlossImport", dependencies: ["GlossCore", "CLibXML2", "CCmark"], swiftSettings: fastStartup),
        // Pure UI: state, actions, keymap, layout, render to a ScreenBuffer; TOMLKit (toml++)
        // reads the configuration file with the lines of its errors.
        .target(name: "GlossUI", dependencies: ["GlossCore", .product(name: "TOMLKit", package: "TOMLKit")], swiftSettings: fastStartup),
        // The impure terminal backend: ncurses, signals, key input.
        .target(name: "GlossTerminal", dependencies: ["GlossUI", "CNcursesw"], swiftSettings: fastStartup),
        .executableTarget(
            name: "gloss",
            dependencies: [
                "GlossCore", "GlossImport", "GlossUI", "GlossTerminal",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Algorithms", package: "swift-algorithms"),
            ],
            exclude: ["link"],
            swiftSettings: fastStartup,
            linkerSettings: fastStartupLinking
        ),
        // Times the open path, keys, saving, exporting and peak memory on large inputs:
        // `swift run -c release gloss-benchmark` (a program, not a test: timings in a test
        // suite are flaky on shared machines).
        .executableTarget(
            name: "gloss-benchmark",
            dependencies: [
                "GlossCore", "GlossImport", "GlossUI",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Sources/GlossBenchmark"
        ),
        // libFuzzer target over the width and wrapping code: `scripts/fuzz-width.sh` builds
        // it with `-sanitize=fuzzer`; a plain build replays saved inputs given as arguments.
        .executableTarget(name: "gloss-fuzz", dependencies: ["GlossCore", "GlossUI"], path: "Sources/GlossFuzz"),
        // CSV.swift reads the CSV export back in tests; the exporter writes RFC 4180 itself
        // because CSVWriter decides quoting per grapheme and misses `"` or `,` followed by
        // a combining mark.
        .testTarget(
            name: "GlossCoreTests",
            dependencies: ["GlossCore", "GlossTestSupport", .product(name: "CSV", package: "CSV.swift")],
            exclude: ["ExportGoldens"]
        ),
        // Runs helper programs (tmux, python3, sha256sum) from tests with posix_spawn.
        .target(name: "GlossTestSupport", path: "Tests/GlossTestSupport"),
        .testTarget(name: "GlossImportTests", dependencies: ["GlossImport", "GlossCore", "GlossTestSupport"]),
        .testTarget(name: "GlossUITests", dependencies: ["GlossUI", "GlossCore", "GlossImport", "GlossTestSupport"], exclude: ["Goldens"]),
        .testTarget(name: "GlossTerminalTests", dependencies: ["GlossTerminal", "GlossUI", "GlossCore", "CNcursesw"]),
        .testTarget(name: "GlossEndToEndTests", dependencies: ["gloss", "StoreWriter", "GlossCore", "GlossTestSupport"]),
        // Tags sentences and saves in a loop through the reader's Session; the kill-loop
        // test stops it with SIGKILL at random moments.
        .executableTarget(name: "StoreWriter", dependencies: ["GlossCore", "GlossUI"], path: "Tests/StoreWriter"),
    ],
    swiftLanguageModes: [.v6]
)

// Every Swift module that imports GlossCore or GlossImport reads libxml2's headers through them.
for target in package.targets where target.type != .system && target.name != "CLibXML2" && target.name != "CNcursesw" {
    target.swiftSettings = (target.swiftSettings ?? []) + [.unsafeFlags(["-Xcc", "-I" + libxml2Headers])]
}
