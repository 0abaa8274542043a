import Foundation
import Testing
@testable import GlossCore

/// Tests of ``Corpus``: which files a folder contributes, in which order, and the errors.
@Suite struct CorpusTests {
    /// A fresh folder holding `files` (relative paths; folders made as needed).
    static func folder(with files: [String]) throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("gloss-corpus-\(UUID().uuidString)")
        for file in files {
            let url = root.appendingPathComponent(file)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data("Text.\n".utf8).write(to: url)
        }
        return root
    }

    @Test func aFolderListsItsTextFilesRecursivelyInSortedPathOrder() throws {
        let root = try Self.folder(with: [
            "b.txt", "a/z.md", "a/b/c.HTML", "a.txt", "page.htm", "notes.pdf", "post.Markdown", "README", "data.csv",
            "b.txt.gloss.json", "b.txt.gloss.json.bak", "b.txt.gloss.json.corrupt-20261130T120000Z", "b.txt.gloss.json.lock",
            "old.txt.bak", "draft.txt~", "draft.txt.orig", "gloss.codebook.json", ".hidden.txt", ".git/HEAD.txt", "a/.cache/x.txt",
        ])
        defer { try? FileManager.default.removeItem(at: root) }
        let corpus = try Corpus(arguments: [root.path])
        let relative = corpus.documents.map { String($0.path.dropFirst(root.path.count + 1)) }
        #expect(relative == ["a/b/c.HTML", "a/z.md", "a.txt", "b.txt", "notes.pdf", "page.htm", "post.Markdown"])
        #expect(corpus.documents[3].storePath == root.path + "/b.txt.gloss.json")
    }

    @Test func aFileArgumentIsThatDocumentAndDuplicatesAreListedOnce() throws {
        let root = try Self.folder(with: ["x.txt", "y.log"])
        defer { try? FileManager.default.removeItem(at: root) }
        let log = root.appendingPathComponent("y.log").path
        let text = root.appendingPathComponent("x.txt").path
        let corpus = try Corpus(arguments: [log, root.path + "/", text])
        #expect(corpus.documents.map(\.path) == [log, root.path + "/x.txt"])
    }

    @Test func aMissingArgumentIsAnErrorNamingIt() throws {
        #expect(throws: CorpusError.self) { try Corpus(arguments: ["/nonexistent/gloss/corpus"]) }
        do {
            _ = try Corpus(arguments: ["/nonexistent/gloss/corpus"])
        } catch let error as CorpusError {
            #expect(error.description.hasPrefix("/nonexistent/gloss/corpus: no document or folder there"))
        }
    }

    @Test func aLinkLoopIsListedOnce() throws {
        let root = try Self.folder(with: ["sub/a.txt"])
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createSymbolicLink(atPath: root.appendingPathComponent("sub/loop").path, withDestinationPath: root.path)
        let corpus = try Corpus(arguments: [root.path])
        #expect(corpus.documents.map { $0.path.hasSuffix("sub/a.txt") } == [true])
    }

    @Test(arguments: [("article.txt", true), ("Report.MD", true), ("x.html", true), ("post.markdown", true), ("paper.PDF", true),
                      ("data.csv", false), ("a.pdf.gloss.json", false), ("a.txt.gloss.json", false),
                      ("gloss.team.json", false), ("notes.txt~", false), ("x.bak", false), (".x.txt", false), ("txt", false)])
    func documentNames(name: String, isDocument: Bool) {
        #expect(Corpus.isDocumentName(name) == isDocument)
    }
}
