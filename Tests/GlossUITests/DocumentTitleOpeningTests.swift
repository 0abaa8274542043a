import Foundation
import GlossCore
@testable import GlossUI
import Testing

/// The document list reads titles as the reader opens files: a FIFO or device is named,
/// never waited on, and a page or PDF without its extension is titled as one.
@Suite struct DocumentTitleOpeningTests {
    @Test("a FIFO or a link to a device in the list is named as not a regular file at once")
    func fifoIsNotWaitedOn() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gloss-title-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let fifo = folder.appendingPathComponent("notes.txt").path
        #expect(mkfifo(fifo, 0o644) == 0)
        #expect(throws: FolderListingError.self) { try DocumentTitle.readOrFail(path: fifo) }
        do {
            _ = try DocumentTitle.readOrFail(path: fifo)
        } catch {
            #expect("\(error)" == "not a regular file (a FIFO or pipe)")
        }
        let zero = folder.appendingPathComponent("zero.txt").path
        try FileManager.default.createSymbolicLink(atPath: zero, withDestinationPath: "/dev/zero")
        #expect(DocumentTitle.read(path: zero) == nil)
    }

    @Test("a saved page and a PDF without their extension are titled as the reader opens them")
    func sniffedTitles() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gloss-title-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let page = folder.appendingPathComponent("saved.txt")
        try Data("<!-- saved from url=(0014)about:internet -->\n<html><head><title>Talks resume</title></head></html>".utf8).write(to: page)
        #expect(DocumentTitle.read(path: page.path) == "Talks resume")
        let pdf = folder.appendingPathComponent("report.txt")
        try Data("%PDF-1.4\n%\u{E2}\u{E3}\n1 0 obj".utf8).write(to: pdf)
        #expect(DocumentTitle.read(path: pdf.path) == "report.txt")
    }
}
