import Foundation
import GlossTestSupport
import Testing

/// libxml2 is loaded when a page, a Markdown post's HTML block or a REFI-QDA file is first
/// read, not at every start: the dynamic loader's own report (`LD_DEBUG=libs`) of the built
/// gloss says which libraries it opened, and a libxml2 that cannot be loaded fails only the
/// files that need it.
@Suite struct LibXML2LoadingEndToEndTests {
    static let page = Paths.shared.appendingPathComponent("corpus/web/wikimediafoundation.org.turkey.html")

    /// Runs `gloss text FILE` with the loader reporting the libraries it opens on standard error.
    static func text(_ file: URL, environment extra: [String: String] = [:]) throws -> ProcessResult {
        let environment = ["LANG": "C.UTF-8", "LD_DEBUG": "libs", "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"]
        return try run(Paths.gloss.path, ["text", file.path], environment: environment.merging(extra) { $1 })
    }

    /// The libraries the loader opened, by file name, from its `LD_DEBUG=libs` lines
    /// (`calling init: /lib/x86_64-linux-gnu/libxml2.so.2`).
    static func initialized(_ report: String) -> Set<String> {
        Set(report.split(separator: "\n").compactMap { line -> String? in
            guard let range = line.range(of: "calling init: ") else { return nil }
            return URL(fileURLWithPath: String(line[range.upperBound...])).lastPathComponent
        })
    }

    @Test func plainTextNeverLoadsLibxml2() throws {
        let result = try Self.text(Paths.seedArticle)
        #expect(result.status == 0)
        let loaded = Self.initialized(result.error)
        // the report is there (the loader names libc), and libxml2 and what it brings are not
        #expect(loaded.contains { $0.hasPrefix("libc.so") }, "no loader report: \(result.error.prefix(300))")
        #expect(!loaded.contains { $0.hasPrefix("libxml2") || $0.hasPrefix("libicu") || $0.hasPrefix("liblzma") }, "\(loaded.sorted())")
        #expect(result.output.contains("counter-terrorism"))
    }

    @Test func aPageLoadsLibxml2WhenItIsRead() throws {
        let result = try Self.text(Self.page)
        #expect(result.status == 0, "\(result.error.suffix(500))")
        #expect(Self.initialized(result.error).contains("libxml2.so.2"))
        #expect(result.output.contains("Wikipedia"))
    }

    @Test func anUnloadableLibxml2FailsOnlyThePage() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        // found first on the library path, and not a library
        try Data("not a shared library\n".utf8).write(to: folder.url.appendingPathComponent("libxml2.so.2"))
        let environment = ["LD_LIBRARY_PATH": folder.url.path]
        let page = try Self.text(Self.page, environment: environment)
        #expect(page.status == 1)
        #expect(page.error.contains("libxml2, which reads HTML, cannot be loaded"), "\(page.error.suffix(500))")
        #expect(page.error.contains(Self.page.lastPathComponent))
        #expect(page.output.isEmpty)
        let text = try Self.text(Paths.seedArticle, environment: environment)
        #expect(text.status == 0)
        #expect(text.output.contains("counter-terrorism"))
    }

    /// A Markdown post's HTML blocks are read by libxml2, loaded for those that may hold
    /// text only.
    @Test func aMarkdownPostLoadsLibxml2OnlyForItsHTMLBlocks() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let plain = folder.url.appendingPathComponent("plain.md")
        try Data("# Notes\n\n<p align=\"center\"><img src=\"logo.png\" alt=\"logo\"></p>\n\nText with <b>inline</b> HTML and <!-- a comment -->.\n\n<!-- a block comment -->\n".utf8).write(to: plain)
        let withBlock = folder.url.appendingPathComponent("with-div.md")
        try Data("Intro.\n\n<div class=\"note\">\nIn a div &amp; shown.\n</div>\n".utf8).write(to: withBlock)

        let plainText = try Self.text(plain)
        #expect(plainText.status == 0 && plainText.output == "Notes\n\nText with inline HTML and .", "\(plainText.output)")
        #expect(!Self.initialized(plainText.error).contains { $0.hasPrefix("libxml2") })
        let blockText = try Self.text(withBlock)
        #expect(blockText.status == 0 && blockText.output == "Intro.\n\nIn a div & shown.", "\(blockText.output)")
        #expect(Self.initialized(blockText.error).contains("libxml2.so.2"))

        try Data("not a shared library\n".utf8).write(to: folder.url.appendingPathComponent("libxml2.so.2"))
        let environment = ["LD_LIBRARY_PATH": folder.url.path]
        let failed = try Self.text(withBlock, environment: environment)
        #expect(failed.status == 1 && failed.output.isEmpty)
        #expect(failed.error.contains("\(withBlock.path): cannot read the Markdown: libxml2, which reads the HTML in it, cannot be loaded"),
                "\(failed.error.suffix(500))")
        #expect(try Self.text(plain, environment: environment).status == 0)
    }
}
