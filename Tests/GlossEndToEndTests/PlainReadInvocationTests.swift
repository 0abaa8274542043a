import ArgumentParser
import GlossTestSupport
import Testing
@testable import gloss

/// The reader's command built without the argument parser must be the parser's own for
/// the same command line, and every other command line must go to the parser.
@Suite("A plain command line opens the reader as the argument parser would")
struct PlainReadInvocationTests {
    static let plain: [[String]] = [
        [], ["a.txt"], ["read"], ["read", "a.txt"], ["a.txt", "b.txt"], [Paths.seedArticle.path, Paths.package.appendingPathComponent("README.md").path], ["folder/"],
        ["a.txt", "--store", "s.json"], ["--store", "s.json", "a.txt"],
        ["a.txt", "--relink", "--store", "s.json"], ["--hide-boilerplate", "a.txt"],
        ["a.txt", "--encoding", "latin1"], ["a.txt", "--encoding", "windows-1251"],
        ["a.txt", "--coder", "ann"], ["a.txt", "--author", "Ann Smith"], ["a.txt", "--codebook", "c.json"],
        ["r\u{e9}sum\u{e9}.txt", "--store", "with space.json", "--author", "b.2", "--relink", "--hide-boilerplate"],
        ["--coder", "b.2", "c.txt", "--encoding", "utf-8"],
    ]

    static let declined: [[String]] = [
        ["export", "a.txt"], ["grep", "x", "a.txt"], ["help"], ["a.txt", "help"], ["read", "read"],
        ["--help"], ["-h"], ["a.txt", "--version"], ["--generate-completion-script", "bash"],
        ["a.txt", "--store"], ["a.txt", "--store", "-x"], ["a.txt", "--store", "a", "--store", "b"],
        ["a.txt", "--store=s.json"], ["a.txt", "--relink", "--relink"], ["a.txt", "--"], ["-"], ["a.txt", "-x"],
        ["a.txt", "--encoding", "no-such-encoding"], ["a.txt", "--coder", "bad name/"],
        ["a.txt", "--store", "s.json", "--coder", "ann"], ["a.txt", "--store", ""],
        // an empty path names nothing (a missing file is bad input, refused when the reader runs)
        [""], ["", Paths.seedArticle.path],
    ]

    @Test("the same command as the parser's", arguments: plain)
    func sameAsTheParser(arguments: [String]) throws {
        let fast = try #require(Read.plainInvocation(arguments))
        let parsed = try #require(try Gloss.parseAsRoot(arguments) as? Read)
        expectSame(fast, parsed, arguments)
    }

    @Test("an empty --store is a usage error, not the working folder")
    func emptyStoreRefused() {
        #expect(throws: (any Error).self) { _ = try Gloss.parseAsRoot(["a.txt", "--store", ""]) }
        #expect(throws: (any Error).self) { _ = try Gloss.parseAsRoot(["export", "a.txt", "--store", ""]) }
    }

    @Test("anything else is left to the parser", arguments: declined)
    func leftToTheParser(arguments: [String]) {
        #expect(Read.plainInvocation(arguments) == nil)
    }

    @Test("random command lines: a command built without the parser is always the parser's")
    func randomCommandLines() throws {
        let pool = ["a.txt", "b.md", "read", "export", "help", "--store", "s.json", "--coder", "ann", "bad/", "--codebook",
                    "--encoding", "latin1", "nope", "--author", "Ann", "--relink", "--hide-boilerplate", "-", "--", "-h",
                    "--version", "--store=x", "--reanchor", ""]
        var generator = SeededGenerator(seed: 20261201)
        var built = 0
        for _ in 0..<1200 {
            let arguments = (0..<Int.random(in: 0...6, using: &generator)).map { _ in pool.randomElement(using: &generator)! }
            guard let fast = Read.plainInvocation(arguments) else { continue }
            built += 1
            let parsed = try #require(try Gloss.parseAsRoot(arguments) as? Read, "\(arguments)")
            expectSame(fast, parsed, arguments)
        }
        // the pool is drawn so that a good share of the lines are plain
        #expect(built > 40)
    }

    private func expectSame(_ fast: Read, _ parsed: Read, _ arguments: [String]) {
        #expect(fast.files == parsed.files, "\(arguments)")
        #expect(fast.store == parsed.store, "\(arguments)")
        #expect(fast.coder == parsed.coder, "\(arguments)")
        #expect(fast.codebook == parsed.codebook, "\(arguments)")
        #expect(fast.encoding == parsed.encoding, "\(arguments)")
        #expect(fast.author == parsed.author, "\(arguments)")
        #expect(fast.relink == parsed.relink, "\(arguments)")
        #expect(fast.hideBoilerplate == parsed.hideBoilerplate, "\(arguments)")
    }
}
