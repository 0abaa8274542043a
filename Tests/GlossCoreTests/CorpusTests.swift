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

    /// Makes a file (or, with `folder`, a folder) named by `bytes`, which need not be UTF-8, in `parent`.
    static func make(_ bytes: [UInt8], in parent: URL, folder: Bool = false) throws {
        let path = Array(parent.path.utf8) + [UInt8(ascii: "/")] + bytes + [0]
        let made = path.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { name -> Int32 in
                if folder { return mkdir(name.baseAddress!, 0o755) }
                let descriptor = open(name.baseAddress!, O_CREAT | O_WRONLY, 0o644)
                guard descriptor >= 0 else { return -1 }
                _ = "Text.\n".withCString { write(descriptor, $0, 6) }
                return close(descriptor)
            }
        }
        #expect(made == 0)
    }

    @Test("a document or folder whose name is not UTF-8 (Latin-1 café) is named with its bytes as \\xNN, never dropped without a word")
    func namesThatAreNotUTF8() throws {
        let root = try Self.folder(with: ["ok.txt"])
        defer { try? FileManager.default.removeItem(at: root) }
        let latin1 = Array("caf".utf8) + [0xE9]
        try Self.make(latin1 + Array(".txt".utf8), in: root)
        try Self.make(latin1 + Array(".png".utf8), in: root)   // not a document: nothing to say
        try Self.make(Array("sub".utf8) + [0xE9], in: root, folder: true)
        let corpus = try Corpus(arguments: [root.path])
        #expect(corpus.documents.map(\.path) == [root.path + "/ok.txt"])
        #expect(corpus.unopenableFiles.map(\.path) == [root.path + "/caf\\xE9.txt"])
        #expect(corpus.unopenableFiles.first?.problem.contains("name is not valid UTF-8") == true)
        #expect(corpus.unreadableFolders.map(\.path) == [root.path + "/sub\\xE9"])
        // valid UTF-8 stays text; each stray byte is shown, a truncated sequence byte by byte
        #expect(FolderEntry.visible(Array("café".utf8)) == "café")
        #expect(FolderEntry.visible(latin1) == "caf\\xE9")
        #expect(FolderEntry.visible([0x61, 0xE2, 0x82, 0x62, 0x0F]) == "a\\xE2\\x82b\u{0F}")
    }

    @Test(arguments: [("article.txt", true), ("Report.MD", true), ("x.html", true), ("post.markdown", true), ("paper.PDF", true),
                      ("data.csv", false), ("a.pdf.gloss.json", false), ("a.txt.gloss.json", false),
                      ("gloss.team.json", false), ("notes.txt~", false), ("x.bak", false), (".x.txt", false), ("txt", false)])
    func documentNames(name: String, isDocument: Bool) {
        #expect(Corpus.isDocumentName(name) == isDocument)
    }
}
