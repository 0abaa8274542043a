import Foundation
import GlossTestSupport
import Testing

/// The configuration file in a real terminal and on the command line: a rebound tag key
/// tags and shows in the help, a typo is reported with its line while the rest applies,
/// and `gloss config` checks, locates and prints the file.
@Suite(.serialized) struct ConfigEndToEndTests {
    struct Store: Decodable {
        struct Tag: Decodable { var category: String; var value: String }
        struct Annotation: Decodable { var quote: String; var author: String; var tags: [Tag] }
        var annotations: [Annotation]
    }

    static var resources: [String: String] { ["GLOSS_RESOURCES": Paths.package.appendingPathComponent("Resources").path] }

    @Test("config.toml binds tag:actor to A: A tags, a does not, the help shows A, a typo is reported by line and the rest applies")
    func reboundTagKeyAndTypo() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let article = try folder.copy(Paths.seedArticle)
        let configFolder = folder.url.appendingPathComponent("xdg/gloss")
        try FileManager.default.createDirectory(at: configFolder, withIntermediateDirectories: true)
        let config = configFolder.appendingPathComponent("config.toml")
        try """
        # my Gloss
        author = "Config Coder"
        wrapp = 72

        [keys]
        "tag:actor" = ["A"]
        """.write(to: config, atomically: true, encoding: .utf8)

        let environment = ["XDG_CONFIG_HOME": folder.url.appendingPathComponent("xdg").path, "GLOSS_AUTHOR": ""]
        let session = try TmuxSession(command: glossCommand([article.lastPathComponent], environment: environment),
                                      width: 180, height: 40, folder: folder.url)
        // the typo shows in the status line when the reader opens
        let opened = try session.waitFor("config.toml:3: unknown option \"wrapp\"")
        #expect(opened.last { !$0.trimmingCharacters(in: .whitespaces).isEmpty }?.contains("\(config.path):3: unknown option \"wrapp\"; did you mean \"wrap\"?") == true,
                "\(opened.joined(separator: "\n"))")
        try session.send("j")
        try session.send("a")
        try session.waitFor("a does nothing here")
        try session.send("A")
        try session.waitFor("Actor:")
        try session.send("ISIL", literal: true)
        try session.send("Enter")
        try session.waitFor("Tagged Actor: ISIL")
        // the help lists A for tagging as actor
        try session.send("?")
        let help = try session.waitFor("tag as actor")
        let row = try #require(help.first { $0.contains("tag as actor") })
        let before = row[..<row.range(of: "tag as actor")!.lowerBound].trimmingCharacters(in: .whitespaces)
        #expect(before.hasSuffix(" A"), "the help's key for tagging as actor is not A: |\(row)|")
        try session.send("Escape")
        try session.send("q")
        #expect(try session.waitForExit() == 0)
        // and again on standard error once the terminal is given back
        let after = try session.waitFor("gloss: \(config.path):3: unknown option")
        #expect(after.filter { $0.contains("unknown option") }.count == 1)

        let store = try JSONDecoder().decode(Store.self, from: Data(contentsOf: folder.url.appendingPathComponent(article.lastPathComponent + ".gloss.json")))
        try #require(store.annotations.count == 1)
        #expect(store.annotations[0].tags.map(\.category) == ["actor"])
        #expect(store.annotations[0].tags.map(\.value) == ["ISIL"])
        #expect(store.annotations[0].quote.hasPrefix("Top officials of the United Nations"))
        // the file's author, as neither --author, --coder nor GLOSS_AUTHOR is given
        #expect(store.annotations[0].author == "Config Coder")
    }

    @Test("gloss config: --print-defaults checks clean, --path follows XDG_CONFIG_HOME, --check reports by line and exits 1")
    func configCommand() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let gloss = Paths.gloss.path
        var environment = Self.resources
        environment["XDG_CONFIG_HOME"] = folder.url.path

        let path = try run(gloss, ["config", "--path"], environment: environment)
        #expect(path.status == 0)
        #expect(path.output == folder.url.path + "/gloss/config.toml\n")
        let missing = try run(gloss, ["config"], environment: environment)
        #expect(missing.status == 0 && missing.output.isEmpty, "\(missing.output)\(missing.error)")
        #expect(missing.error.contains("no configuration file; the defaults apply"))

        let defaults = try run(gloss, ["config", "--print-defaults"], environment: environment)
        #expect(defaults.status == 0)
        #expect(defaults.output.contains("\n[keys]\n") && defaults.output.contains("\n\"tag:actor\" = [\"a\"]"))
        let printed = folder.url.appendingPathComponent("gloss/config.toml")
        try FileManager.default.createDirectory(at: printed.deletingLastPathComponent(), withIntermediateDirectories: true)
        try defaults.output.write(to: printed, atomically: true, encoding: .utf8)
        let clean = try run(gloss, ["config", "--check"], environment: environment)
        #expect(clean.status == 0 && clean.output.isEmpty, "\(clean.output)\(clean.error)")
        #expect(clean.error == "gloss: \(printed.path): no problems\n")

        let bad = folder.url.appendingPathComponent("bad.toml")
        try "theme = \"neon\"\n\n[keys]\nnext-sentence = [\"Dwn\"]\n\"tag:actr\" = [\"A\"]\n".write(to: bad, atomically: true, encoding: .utf8)
        environment["GLOSS_CONFIG"] = bad.path
        let checked = try run(gloss, ["config", "--check"], environment: environment)
        #expect(checked.status == 1)
        let lines = checked.output.split(separator: "\n").map(String.init)
        #expect(lines.count == 3, "\(checked.output)")
        #expect(lines.first?.hasPrefix("\(bad.path):1: theme: no theme \"neon\"") == true)
        #expect(lines.dropFirst().first?.hasPrefix("\(bad.path):4: next-sentence: unknown key name \"Dwn\"") == true)
        #expect(lines.last == "\(bad.path):5: tag:actr: the codebook has no category \"actr\"")

        // a syntax error: its line, and the defaults
        try "wrap = 72\nauthor = \"open\n".write(to: bad, atomically: true, encoding: .utf8)
        let syntax = try run(gloss, ["config"], environment: environment)
        #expect(syntax.status == 1)
        #expect(syntax.output.hasPrefix("\(bad.path):2: "), "\(syntax.output)")

        environment["GLOSS_CONFIG"] = folder.url.appendingPathComponent("absent.toml").path
        let absent = try run(gloss, ["config", "--check"], environment: environment)
        #expect(absent.status == 1 && absent.output.hasSuffix("absent.toml: no such file\n"))
    }

    @Test("the file's codebook replaces the bundled one; its problems go to standard error and the command still runs")
    func codebookAndProblemsOnTheCommandLine() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let article = try folder.copy(Paths.seedArticle)
        try """
        {"name": "Mine", "categories": [{"id": "claim", "label": "Claim", "key": "c", "color": "green", "description": "A claim.", "values": []}]}
        """.write(to: folder.url.appendingPathComponent("mycodes.json"), atomically: true, encoding: .utf8)
        let config = folder.url.appendingPathComponent("config.toml")
        try "codebook = \"mycodes.json\"\nmouse = 1\n".write(to: config, atomically: true, encoding: .utf8)
        var environment = Self.resources
        environment["GLOSS_CONFIG"] = config.path

        let stats = try run(Paths.gloss.path, ["stats", article.path], environment: environment)
        #expect(stats.status == 0, "\(stats.error)")
        #expect(stats.output.contains("annotations  claim"), "\(stats.output)")
        #expect(stats.error.contains("gloss: \(config.path):2: mouse: expected true or false, found an integer\n"))
        #expect(stats.error.components(separatedBy: "mouse: expected").count == 2, "reported once: \(stats.error)")

        environment["GLOSS_CONFIG"] = nil
        environment["XDG_CONFIG_HOME"] = folder.url.appendingPathComponent("none").path
        let bundled = try run(Paths.gloss.path, ["stats", article.path], environment: environment)
        #expect(!bundled.output.contains("claim") && bundled.output.contains("actor"))
    }
}
