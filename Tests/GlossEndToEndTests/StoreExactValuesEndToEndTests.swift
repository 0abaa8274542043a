import Foundation
import GlossCore
import Testing

/// A store whose records hold values Swift cannot hold as written (a lone surrogate, a
/// number beyond `Double` or `Int`), through the real `gloss export` and the reader in a
/// real terminal: one invalid record each, the rest exported and shown, and after tagging
/// and quitting every such value is in the file as it was.
@Suite struct StoreExactValuesEndToEndTests {
    /// The article's store after tagging its second sentence, with three bad records and an
    /// unknown member added to the file's text.
    func storeWithBadRecords(_ article: URL, folder: URL) throws -> URL {
        let session = try TmuxSession(command: glossCommand([article.lastPathComponent]), folder: folder)
        try session.waitFor("? help")
        try session.send("j", "a")
        try session.waitFor("Actor:")
        try session.send("first", literal: true)
        try session.send("Enter")
        try session.waitFor("Tagged Actor: first")
        try session.send("q")
        #expect(try session.waitForExit() == 0)
        let store = URL(fileURLWithPath: article.path + ".gloss.json")
        var text = try String(contentsOf: store, encoding: .utf8)
        func record(_ id: String, start: String, note: String) -> String {
            #"{"id":"\#(id)","start":\#(start),"end":13,"quote":"Top officials","prefix":"","suffix":"","tags":[{"category":"actor","value":"x"}],"note":\#(note),"author":"a","created":"c","modified":"m"},"#
        }
        let bad = record("lone", start: "0", note: #""note \ud800 1""#) + record("huge", start: "1e400", note: #""n""#)
            + record("bigint", start: "10000000000000000000000000000000000000000", note: #""n""#)
        let opening = try #require(text.range(of: "\"annotations\" : ["))
        text.insert(contentsOf: bad, at: opening.upperBound)
        text.insert(contentsOf: #""x-tool":{"weight":1.50,"label":"\udc00"},"#, at: text.index(after: text.startIndex))
        try text.write(to: store, atomically: true, encoding: .utf8)
        return store
    }

    @Test func recordsSwiftCannotHoldAreInvalidRecordsExportedAroundAndSavedAsTheyWere() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let article = try folder.copy(Paths.seedArticle)
        let store = try storeWithBadRecords(article, folder: folder.url)

        // the rest is exported, and status 1 says the export is incomplete
        let export = try TmuxSession(command: glossCommand(["export", article.lastPathComponent, "--format", "csv"]) + " > out.csv 2> err.txt", folder: folder.url)
        #expect(try export.waitForExit() == 1)
        let csv = try String(contentsOf: folder.url.appendingPathComponent("out.csv"), encoding: .utf8)
        let errors = try String(contentsOf: folder.url.appendingPathComponent("err.txt"), encoding: .utf8)
        #expect(csv.split(whereSeparator: \.isNewline).count == 2 && csv.contains("first"), "\(csv) \(errors)")
        #expect(!errors.contains("damaged") && errors.contains("3 invalid record(s)"), "\(errors)")
        for (format, output) in [("brat", "brat-out"), ("qdpx", "out.qdpx")] {
            let other = try TmuxSession(command: glossCommand(["export", article.lastPathComponent, "--format", format, "-o", output]) + " 2> err-\(format).txt",
                                        folder: folder.url)
            #expect(try other.waitForExit() == 1, "\(format)")
            #expect(FileManager.default.fileExists(atPath: folder.url.appendingPathComponent(output).path), "\(format)")
            #expect(try String(contentsOf: folder.url.appendingPathComponent("err-\(format).txt"), encoding: .utf8).contains("3 invalid record(s)"), "\(format)")
        }

        let session = try TmuxSession(command: glossCommand([article.lastPathComponent]), folder: folder.url)
        try session.waitFor("? help")
        try session.send("j", "j", "a")
        try session.waitFor("Actor:")
        try session.send("second", literal: true)
        try session.send("Enter")
        try session.waitFor("Tagged Actor: second")
        try session.send("q")
        #expect(try session.waitForExit() == 0)

        let saved = try String(contentsOf: store, encoding: .utf8)
        for kept in [#""note" : "note \ud800 1""#, #""start" : 1e400"#, #""start" : 10000000000000000000000000000000000000000"#,
                     #""weight" : 1.50"#, #""label" : "\udc00""#] {
            #expect(saved.contains(kept), "\(kept) is not in the saved store:\n\(saved)")
        }
        let contents = try #require(try AnnotationStore(path: store.path).load())
        #expect(contents.annotations.flatMap(\.tags).map(\.value).sorted() == ["first", "second"])
        #expect(contents.quarantined.compactMap(\.id).sorted() == ["bigint", "huge", "lone"])
        let aside = try FileManager.default.contentsOfDirectory(atPath: folder.url.path).filter { $0.contains(".corrupt-") }
        #expect(aside.isEmpty, "\(aside)")
    }
}
