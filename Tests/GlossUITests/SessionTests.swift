import Foundation
import GlossTestSupport
import Testing
@testable import GlossCore
@testable import GlossUI
#if canImport(Glibc)
import Glibc
#endif

/// A document in a folder of its own (or in `folder` when given), with its store path.
private struct Article {
    static let text = """
    Ministers from twelve states met in Valmora on Monday.

    They agreed to share watch lists of ISIL recruiters. The UN office will coordinate.

    Critics warned about surveillance.
    """
    let folder: URL
    let ownsFolder: Bool
    let document: Document
    var storePath: String { document.path + ".gloss.json" }

    init(in folder: URL? = nil, text: String = Article.text) throws {
        ownsFolder = folder == nil
        self.folder = folder ?? FileManager.default.temporaryDirectory.appendingPathComponent("gloss-session-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: self.folder, withIntermediateDirectories: true)
        let path = self.folder.appendingPathComponent("article.txt").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        document = try Document(contentsOfFile: path)
    }

    func open(calls: FileSystemCalls = .posix) throws -> Session {
        var session = try Session(document: document, codebook: Fixture.codebook,
                                  store: AnnotationStore(path: storePath, calls: calls), width: 100, height: 30)
        session.state.now = { Fixture.clock }
        session.state.author = "tester"
        return session
    }

    func storeBytes() throws -> Data { try Data(contentsOf: URL(fileURLWithPath: storePath)) }
    func cleanUp() { if ownsFolder { try? FileManager.default.removeItem(at: folder) } }
}

extension Session {
    /// Tags the focused sentence with the actor `value` and saves as the app does.
    mutating func tagFocused(_ value: String) {
        var effects = state.press(.character("a"))
        effects += state.type(value)
        effects += state.press(.enter)
        if effects.contains(.save) { save() }
    }

    /// The screen's rows as text.
    var screen: String { Renderer.render(state).lines.joined(separator: "\n") }
}

/// Calls whose `write` fails with ENOSPC while `full` is set.
private final class Disk: @unchecked Sendable {
    var full = false
    var calls: FileSystemCalls {
        var calls = FileSystemCalls.posix
        calls.write = { [self] descriptor, bytes, count in
            if full {
                errno = ENOSPC
                return -1
            }
            return Glibc.write(descriptor, bytes, count)
        }
        return calls
    }
}

@Suite("Session: saving, failed saves, recovery and orphans as the reader sees them", .serialized)
struct SessionTests {
    @Test("a save that fails keeps every annotation in memory, shows the error, leaves the store as it was, and the next change retries")
    func failedSaveRetries() throws {
        let article = try Article()
        defer { article.cleanUp() }
        let disk = Disk()
        var session = try article.open(calls: disk.calls)
        session.tagFocused("ISIL")
        let before = try article.storeBytes()

        disk.full = true
        session.state.focusSentence(startingWith: "They agreed")
        session.tagFocused("Interpol")
        #expect(session.state.unsavedChanges)
        #expect(session.state.annotations.count == 2)
        #expect(session.state.messageIsError)
        #expect(session.screen.contains("Not saved"))
        #expect(session.lastSaveError?.problem.contains("No space left on device") == true)
        #expect(try article.storeBytes() == before)

        disk.full = false
        session.state.focusSentence(startingWith: "Critics")
        session.tagFocused("private sector")
        #expect(!session.state.unsavedChanges)
        let saved = try #require(try AnnotationStore(path: article.storePath).load())
        #expect(saved.annotations.map { $0.tags[0].value } == ["ISIL", "Interpol", "private sector"])
    }

    @Test("a folder that becomes read-only while reading: the save fails, the store stays byte-identical, annotations stay in memory")
    func folderTurnsReadOnly() throws {
        // as root, permission bits do not stop writes; a read-only mount does, and where
        // root may not mount, the file-system seam answers as a read-only mount would
        let mount = geteuid() == 0 ? ScratchMount.mount(sizeKiB: 512) : nil
        let injected = geteuid() == 0 && mount == nil
        defer { mount?.remove() }
        let article = try Article(in: mount?.url)
        defer {
            chmod(article.folder.path, 0o755)
            article.cleanUp()
        }
        final class Switch: @unchecked Sendable { var readOnly = false }
        let folderState = Switch()
        var calls = FileSystemCalls.posix
        calls.open = { path, flags, mode in
            if folderState.readOnly {
                errno = EROFS
                return -1
            }
            return Glibc.open(path, flags, mode)
        }
        var session = try article.open(calls: injected ? calls : .posix)
        session.tagFocused("ISIL")
        let before = try article.storeBytes()
        if let mount { try mount.makeReadOnly() } else if injected { folderState.readOnly = true } else { chmod(article.folder.path, 0o555) }

        session.state.focusSentence(startingWith: "Critics")
        session.tagFocused("Interpol")
        #expect(session.state.unsavedChanges)
        #expect(session.state.annotations.count == 2)
        let problem = try #require(session.lastSaveError?.problem)
        #expect(problem.contains("Read-only file system") || problem.contains("Permission denied"), "\(problem)")
        #expect(try article.storeBytes() == before)

        // opening again in that folder is read-only from the start and says why (the first
        // session's lock could not be removed from the read-only folder, so it names it)
        guard !injected else { return }
        session.release()
        let second = try article.open()
        #expect(second.state.readOnly)
        #expect(second.state.message?.hasPrefix("Read-only: ") == true)
    }

    @Test("a real full tmpfs: the save fails with ENOSPC, the old store is byte-identical, annotations stay in memory; freeing space lets the next change save",
          .enabled(if: ScratchMount.available, "needs root with the right to mount a tmpfs"))
    func realFullDisk() throws {
        let mount = try #require(ScratchMount.mount(sizeKiB: 256), "mount -t tmpfs failed although a probe mount worked")
        defer { mount.remove() }
        let article = try Article(in: mount.url)
        var session = try article.open()
        session.tagFocused("ISIL")
        let before = try article.storeBytes()
        #expect(mount.fill() == ENOSPC)

        for value in ["Interpol", "private sector", "UN Security Council"] {
            session.state.press(.character("j"))
            session.tagFocused(value)
        }
        #expect(session.state.unsavedChanges)
        #expect(session.state.annotations.count == 4)
        #expect(session.lastSaveError?.problem.contains("No space left on device") == true)
        #expect(try article.storeBytes() == before)
        let names = try FileManager.default.contentsOfDirectory(atPath: mount.url.path)
        #expect(!names.contains { $0.contains(".tmp-") }, "\(names)")

        try FileManager.default.removeItem(at: mount.url.appendingPathComponent("filler"))
        session.state.press(.character("u"))
        session.save()
        #expect(!session.state.unsavedChanges)
        #expect(try AnnotationStore(path: article.storePath).load()?.annotations.count == 3)
    }

    @Test("a damaged store: moved aside, said so, the backup offered; y restores it and saves")
    func damagedStoreRestoresBackup() throws {
        let article = try Article()
        defer { article.cleanUp() }
        var first = try article.open()
        first.tagFocused("ISIL")
        first.state.focusSentence(startingWith: "Critics")
        first.tagFocused("Interpol")
        first.release()
        // the second save made a backup holding the first annotation; now the store is cut short
        let full = try article.storeBytes()
        try full.prefix(full.count / 2).write(to: URL(fileURLWithPath: article.storePath))

        var session = try article.open()
        #expect(session.state.message?.contains("was unreadable") == true)
        #expect(session.state.mode == .prompt)
        #expect(session.screen.contains("Store damaged, moved aside. Restore 1 annotation(s) from its .bak? (y/n)"))
        let aside = try FileManager.default.contentsOfDirectory(atPath: article.folder.path).filter { $0.contains(".corrupt-") }.sorted()
        #expect(aside.count == 2 && aside[1] == aside[0] + ".bak", "\(aside)")
        #expect(try Data(contentsOf: article.folder.appendingPathComponent(aside[0])) == full.prefix(full.count / 2))

        let effects = session.state.press(.character("y"))
        #expect(effects == [.restoreBackup])
        session.restoreBackup()
        #expect(session.state.annotations.map { $0.tags[0].value } == ["ISIL"])
        #expect(try AnnotationStore(path: article.storePath).load()?.annotations.count == 1)
    }

    @Test("a session ended before the question about the backup was answered: the next one asks again")
    func unansweredBackupQuestionIsAskedAgain() throws {
        let article = try Article()
        defer { article.cleanUp() }
        var first = try article.open()
        first.tagFocused("ISIL")
        first.state.focusSentence(startingWith: "Critics")
        first.tagFocused("Interpol")
        first.release()
        let full = try article.storeBytes()
        try full.prefix(full.count / 2).write(to: URL(fileURLWithPath: article.storePath))
        var asked = try article.open()
        #expect(asked.state.mode == .prompt)
        asked.release()  // ended by a signal: no answer

        var session = try article.open()
        #expect(session.state.message?.contains("is missing; its backup") == true, "\(session.state.message ?? "")")
        #expect(session.screen.contains("No store, but its backup"))
        #expect(session.state.press(.character("y")) == [.restoreBackup])
        session.restoreBackup()
        #expect(session.state.annotations.map { $0.tags[0].value } == ["ISIL"])
        #expect(try AnnotationStore(path: article.storePath).load()?.annotations.count == 1)
    }

    @Test("declining the backup keeps it aside under its own name, so later saves do not replace it")
    func declinedBackupKeptAside() throws {
        let article = try Article()
        defer { article.cleanUp() }
        var first = try article.open()
        first.tagFocused("ISIL")
        first.tagFocused("Interpol")
        first.release()
        let backup = try Data(contentsOf: URL(fileURLWithPath: article.storePath + ".bak"))
        try Data().write(to: URL(fileURLWithPath: article.storePath))

        var session = try article.open()
        #expect(session.state.press(.character("n")) == [.keepBackupAside])
        session.keepBackupAside()
        #expect(session.state.annotations.isEmpty)
        let kept = try FileManager.default.contentsOfDirectory(atPath: article.folder.path).filter { $0.contains(".bak-") }
        #expect(kept.count == 1)
        #expect(try Data(contentsOf: article.folder.appendingPathComponent(kept[0])) == backup)
    }

    @Test("orphans and invalid records are listed in the pane with their quote or reason, never drawn in the text; x deletes one, u brings it back")
    func orphansAndInvalidListed() throws {
        let article = try Article()
        defer { article.cleanUp() }
        var first = try article.open()
        first.state.focusSentence(startingWith: "Critics")
        first.tagFocused("ISIL")
        first.release()
        // an invalid record added by hand, then the annotated sentence deleted from the text
        var json = try #require(try JSONSerialization.jsonObject(with: article.storeBytes()) as? [String: Any])
        json["annotations"] = (json["annotations"] as? [Any] ?? []) + [["id": "broken", "start": NSNull(), "end": 3, "quote": "Min"] as [String: Any]]
        try JSONSerialization.data(withJSONObject: json).write(to: URL(fileURLWithPath: article.storePath))
        try Data(Article.text.replacingOccurrences(of: "\n\nCritics warned about surveillance.", with: "").utf8)
            .write(to: URL(fileURLWithPath: article.document.path))
        let edited = try Document(contentsOfFile: article.document.path)

        var session = try Session(document: edited, codebook: Fixture.codebook, store: AnnotationStore(path: article.storePath), width: 150, height: 30)
        #expect(session.state.message?.contains("0 annotation(s) re-anchored, 1 orphaned") == true)
        #expect(session.state.message?.contains("1 invalid record(s)") == true)
        #expect(session.state.annotations.isEmpty && session.state.orphans.count == 1 && session.state.quarantined.count == 1)
        let screen = session.screen
        #expect(screen.contains("Annotations · 1 orphaned · 1 invalid"))
        #expect(screen.contains("orphaned Actor: ISIL"))
        #expect(screen.contains("“Critics warned about surveillance.”"))
        #expect(screen.contains("invalid: \"start\" is null"))
        #expect(!session.state.readOnly)

        session.state.press(.tab)
        session.state.press(.enter)
        #expect(session.state.message?.contains("“Critics warned about surveillance.”: its quote is not in the text;") == true)
        var effects = session.state.press(.character("x"))
        #expect(effects == [.save])
        session.save()
        #expect(session.state.orphans.isEmpty)
        let afterDelete = try #require(try AnnotationStore(path: article.storePath).load())
        #expect(afterDelete.orphans.isEmpty && afterDelete.quarantined.count == 1)
        effects = session.state.press(.character("u"))
        session.save()
        #expect(session.state.orphans.count == 1)
        #expect(try AnnotationStore(path: article.storePath).load()?.orphans.map(\.quote) == ["Critics warned about surveillance."])
    }

    @Test("background saves: a burst of changes ends on disk, and a change made on disk meanwhile is merged into the reader")
    func backgroundSaves() throws {
        let article = try Article()
        defer { article.cleanUp() }
        var session = try article.open()
        for value in ["ISIL", "Interpol", "private sector"] {
            var effects = session.state.press(.character("a"))
            effects += session.state.type(value)
            effects += session.state.press(.enter, .character("j"))
            #expect(effects.contains(.save))
            session.saveInBackground()
        }
        #expect(session.state.unsavedChanges)
        session.flush()
        #expect(!session.state.unsavedChanges)
        #expect(try AnnotationStore(path: article.storePath).load()?.annotations.count == 3)

        // another program adds an annotation; the reader's next background save merges it
        let other = AnnotationStore(path: article.storePath)
        var onDisk = try #require(try other.load())
        let added = Annotation(document: article.document, range: 0..<9, tags: [GlossCore.Tag(category: "threat", value: "")],
                               author: "someone else", date: Fixture.clock, id: "from-elsewhere")
        onDisk.annotations.append(added)
        try other.save(onDisk, of: article.document)
        session.state.focusSentence(startingWith: "Critics")
        session.state.press(.character("c"))
        session.state.press(.enter)
        session.saveInBackground()
        session.flush()
        #expect(!session.state.unsavedChanges)
        #expect(session.state.annotation(id: "from-elsewhere") != nil)
        #expect(session.state.message?.contains("merged its changes") == true)
        let final = try #require(try AnnotationStore(path: article.storePath).load())
        #expect(final.annotations.count == 5)
    }

    @Test("a record whose offsets lie past the stored length of an older text is placed by its quote; one whose quote is gone stays invalid; the counts agree")
    func outOfRangeRecordsFoundByQuote() throws {
        let article = try Article()
        defer { article.cleanUp() }
        var first = try article.open()
        first.state.focusSentence(startingWith: "Critics")
        first.tagFocused("ISIL")
        first.release()
        var json = try #require(try JSONSerialization.jsonObject(with: article.storeBytes()) as? [String: Any])
        var records = try #require(json["annotations"] as? [[String: Any]])
        records[0]["start"] = 5000
        records[0]["end"] = 5034
        var gone = records[0]
        gone["id"] = "gone"
        gone["quote"] = "words that are nowhere in the text"
        records.append(gone)
        json["annotations"] = records
        // the store records another text: the offsets are stale, not wrong
        var recorded = try #require(json["document"] as? [String: Any])
        recorded["sha256"] = String(repeating: "0", count: 64)
        json["document"] = recorded
        try JSONSerialization.data(withJSONObject: json).write(to: URL(fileURLWithPath: article.storePath))

        let session = try article.open()
        #expect(session.state.annotations.map(\.quote) == ["Critics warned about surveillance."])
        #expect(session.state.quarantined.map(\.id) == ["gone"])
        #expect(session.state.message?.contains("1 annotation(s) re-anchored") == true)
        // the status line counts what the pane lists and an export leaves out
        #expect(session.state.message?.contains("1 invalid record(s)") == true)
        let exported = Reanchoring.place(try #require(try AnnotationStore(path: article.storePath).load()), in: article.document)
        #expect(exported.contents.quarantined.count == 1 && exported.contents.annotations.count == 1)
    }

    @Test("with the text unchanged, a record whose end lies past it is invalid: listed, never shortened and rewritten; the counts agree")
    func endPastUnchangedText() throws {
        let article = try Article()
        defer { article.cleanUp() }
        var first = try article.open()
        first.state.focusSentence(startingWith: "Critics")
        first.tagFocused("ISIL")
        first.release()
        var json = try #require(try JSONSerialization.jsonObject(with: article.storeBytes()) as? [String: Any])
        var records = try #require(json["annotations"] as? [[String: Any]])
        let end = try #require(records[0]["end"] as? Int)
        records[0]["end"] = end + 12
        json["annotations"] = records
        try JSONSerialization.data(withJSONObject: json).write(to: URL(fileURLWithPath: article.storePath))
        let before = try article.storeBytes()

        var session = try article.open()
        #expect(session.state.annotations.isEmpty && session.state.orphans.isEmpty)
        #expect(session.state.quarantined.map(\.reason) == ["offsets \(end - 34)..<\(end + 12) lie outside the document's \(end) code points"])
        #expect(session.state.message?.contains("re-anchored") != true)
        #expect(session.state.message?.contains("1 invalid record(s)") == true)
        let exported = Reanchoring.place(try #require(try AnnotationStore(path: article.storePath).load()), in: article.document)
        #expect(exported.contents.quarantined.count == 1 && exported.contents.annotations.isEmpty)
        // a save writes the record back as it was
        session.state.focusSentence(startingWith: "Ministers")
        session.tagFocused("Valmora")
        let saved = try #require(try JSONSerialization.jsonObject(with: article.storeBytes()) as? [String: Any])
        let savedRecords = try #require(saved["annotations"] as? [[String: Any]])
        #expect(savedRecords.contains { $0["end"] as? Int == end + 12 && $0["start"] as? Int == end - 34 })
        #expect(try article.storeBytes() != before)
        session.release()
    }

    @Test("a large text: a record past its indexed start whose end splits a grapheme cluster is listed as invalid once checked, never drawn")
    func largeTextRecordInsideCluster() throws {
        var text = ""
        var line = 0
        while text.utf8.count < 2 * Int(Document.eagerByteCount) {
            text += "Paragraph \(line) of the filler, with nothing in it.\n\n"
            line += 1
        }
        text += "Слово ва\u{301}жно.\n"
        let article = try Article(text: text)
        defer { article.cleanUp() }
        do {
            let full = try Document(contentsOfFile: article.document.path)
            let accent = full.length - 6
            #expect(full.text(in: (accent - 1)..<(accent + 1)) == "а\u{301}")
            let early = Annotation(document: full, range: 0..<9, tags: [GlossCore.Tag(category: "actor", value: "x")], id: "early")
            let split = Annotation(document: full, range: (accent - 2)..<accent, tags: [GlossCore.Tag(category: "actor", value: "x")], id: "split")
            try AnnotationStore(path: article.storePath).save([early, split], of: full)
        }
        let document = try Document(contentsOfFile: article.document.path)
        var session = try Session(document: document, codebook: Fixture.codebook, store: AnnotationStore(path: article.storePath), width: 100, height: 30)
        #expect(session.isCheckingAnnotations && session.state.annotations.map(\.id) == ["early"])
        session.startBackgroundWork()
        let deadline = Date().addingTimeInterval(60)
        while session.isCheckingAnnotations && Date() < deadline {
            session.poll()
            Thread.sleep(forTimeInterval: 0.01)
        }
        #expect(session.state.annotations.map(\.id) == ["early"])
        #expect(session.state.quarantined.map(\.reason) == ["end \(document.length - 6) falls inside a grapheme cluster, between U+0430 and U+0301"])
        #expect(session.state.message?.contains("1 invalid record(s)") == true)
        session.release()
    }

    @Test("undo after a merge never duplicates an id nor puts back a stale copy over the other writer's edit")
    func undoAfterMerge() throws {
        let article = try Article()
        defer { article.cleanUp() }
        var session = try article.open()
        session.tagFocused("ISIL")
        let id = try #require(session.state.annotations.first?.id)
        // a colleague edits the note on disk
        let other = AnnotationStore(path: article.storePath)
        var onDisk = try #require(try other.load())
        onDisk.annotations[0].note = "checked by a colleague"
        try other.save(onDisk, of: article.document)
        session.state.focusSentence(startingWith: "Critics")
        session.tagFocused("Interpol")
        #expect(session.state.annotation(id: id)?.note == "checked by a colleague")
        // undo takes back only this reader's own last step, never the merged annotation
        session.state.press(.character("u"))
        session.state.press(.character("u"))
        session.save()
        let ids = session.state.annotations.map(\.id)
        #expect(Set(ids).count == ids.count)
        #expect(session.state.annotation(id: id)?.note == "checked by a colleague")
        #expect(try AnnotationStore(path: article.storePath).load()?.annotations.first { $0.id == id }?.note == "checked by a colleague")
    }

    @Test("an annotation and a relation a colleague deleted on disk are deleted here too, and the status line says so")
    func deletionOnDiskIsMerged() throws {
        let article = try Article()
        defer { article.cleanUp() }
        var session = try article.open()
        session.tagFocused("police")
        session.state.focusSentence(startingWith: "They agreed")
        session.tagFocused("judiciary")
        let ids = session.state.annotations.map(\.id)
        try #require(ids.count == 2)
        session.state.replaceContents({ var contents = session.state.contents
            contents.relations = [Relation(type: "acts-on", from: ids[0], to: ids[1], date: Fixture.clock)]
            return contents }())
        session.save()
        // a colleague's version, pulled with git: the first annotation and the link are gone
        let other = AnnotationStore(path: article.storePath)
        var onDisk = try #require(try other.load())
        onDisk.annotations.removeAll { $0.id == ids[0] }
        onDisk.relations = []
        try other.save(onDisk, of: article.document)
        session.state.focusSentence(startingWith: "Critics")
        session.tagFocused("bombing")
        #expect(session.state.annotation(id: ids[0]) == nil)
        #expect(session.state.contents.relations.isEmpty)
        #expect(session.state.message?.contains("1 annotation and 1 relation deleted there, deleted here too") == true, "\(session.state.message ?? "")")
        let stored = try #require(try AnnotationStore(path: article.storePath).load())
        #expect(stored.annotations.map(\.tags.first?.value) == ["judiciary", "bombing"])
        #expect(stored.relations.isEmpty)
    }

    @Test("the document memo and a three-line note written in the note editor are saved to the store file and read back by the next session")
    func memoAndNoteThroughTheStore() throws {
        let article = try Article()
        defer { article.cleanUp() }
        var session = try article.open()
        session.tagFocused("ISIL")
        var effects = session.state.press(.character("m"))
        effects += session.state.type("one")
        effects += session.state.press(.enter)
        effects += session.state.type("two")
        effects += session.state.press(.enter)
        effects += session.state.type("three")
        effects += session.state.press(.control("s"))
        effects += session.state.press(.character("M"))
        effects += session.state.type("Ministers' meeting: sources are official")
        effects += session.state.press(.enter)
        effects += session.state.type("— check the date")
        effects += session.state.press(.control("s"))
        #expect(effects.filter { $0 == .save }.count == 2)
        session.save()
        #expect(session.lastSaveError == nil)
        // the file holds the memo as text, beside the annotations
        let object = try #require(try JSONSerialization.jsonObject(with: article.storeBytes()) as? [String: Any])
        #expect(object["memo"] as? String == "Ministers' meeting: sources are official\n— check the date")
        #expect((object["annotations"] as? [[String: Any]])?.first?["note"] as? String == "one\ntwo\nthree")
        session.release()

        var reopened = try article.open()
        #expect(reopened.state.contents.memo == "Ministers' meeting: sources are official\n— check the date")
        #expect(reopened.state.annotations.first?.note == "one\ntwo\nthree")
        #expect(reopened.screen.contains("Memo ✎"))
        // the editor opens on the stored memo; removing it all saves an empty memo
        reopened.state.press(.character("M"))
        #expect(reopened.state.editor?.text == "Ministers' meeting: sources are official\n— check the date")
        reopened.state.press(.control("u"), .backspace, .control("u"))
        #expect(reopened.state.press(.control("s")) == [.save])
        reopened.save()
        #expect(reopened.state.message == "Memo removed (u undoes)")
        #expect(try AnnotationStore(path: article.storePath).load()?.memo == "")
        reopened.release()
    }

    @Test("a reader that turns read-only while a tag prompt is open changes nothing on Enter and says why")
    func readOnlyWhilePromptOpen() throws {
        let article = try Article()
        defer { article.cleanUp() }
        var session = try article.open()
        session.state.press(.character("a"))
        session.state.type("ISIL")
        session.state.readOnly = true
        session.state.readOnlyReason = "the text is damaged further on"
        let effects = session.state.press(.enter)
        #expect(effects.isEmpty)
        #expect(session.state.annotations.isEmpty)
        #expect(!session.state.unsavedChanges)
        #expect(session.state.message?.contains("nothing was changed") == true)
    }

    @Test("writing elsewhere never replaces an existing file and writes a store that opens")
    func saveElsewhere() throws {
        let article = try Article()
        defer { article.cleanUp() }
        var session = try article.open()
        session.tagFocused("ISIL")
        let existing = article.folder.appendingPathComponent("taken.gloss.json")
        try Data("keep".utf8).write(to: existing)
        #expect(throws: StoreError.self) { _ = try session.saveElsewhere(existing.path) }
        #expect(try Data(contentsOf: existing) == Data("keep".utf8))
        let target = article.folder.appendingPathComponent("elsewhere.gloss.json").path
        #expect(try session.saveElsewhere(target) == target)
        #expect(try AnnotationStore(path: target).load()?.annotations.count == 1)
    }

    @Test("opening removes the temporary files of saves whose process is gone, and nothing else")
    func abandonedTemporaryFilesAreRemovedOnOpen() throws {
        let article = try Article()
        defer { article.cleanUp() }
        var first = try article.open()
        first.tagFocused("kept")
        first.release()
        // a real process that has ended, and one that still runs
        let dead = try SpawnedProcess("/bin/true", [])
        _ = dead.wait()
        let live = try SpawnedProcess("/bin/sleep", ["30"])
        defer { live.kill(SIGKILL); _ = live.wait() }
        let name = URL(fileURLWithPath: article.storePath).lastPathComponent
        let abandoned = [".\(name).tmp-\(dead.pid)-12345", ".\(name).bak.tmp-\(dead.pid)-7", ".\(name).lock.tmp-\(dead.pid)-99"]
        let kept = [".\(name).tmp-\(live.pid)-12345",            // its writer may still be saving
                    ".\(name).tmp-\(getpid())-1",                // this process's own
                    ".other.gloss.json.tmp-\(dead.pid)-1",        // another store's
                    ".\(name).tmp-\(dead.pid)-1-x",              // not a name a save makes
                    ".\(name).tmp-\(dead.pid)",
                    "\(name).tmp-\(dead.pid)-1",                 // not hidden
                    ".\(name).v1.tmp-\(dead.pid)-1x"]
        for file in abandoned + kept {
            try Data("{".utf8).write(to: article.folder.appendingPathComponent(file))
        }
        // a folder with a temporary file's name is not a file a save left
        try FileManager.default.createDirectory(at: article.folder.appendingPathComponent(".\(name).tmp-\(dead.pid)-5"), withIntermediateDirectories: false)

        var session = try article.open()
        defer { session.release() }
        // the sweep runs beside the first frame: wait for it, up to ten seconds
        var names = Set<String>()
        for _ in 0..<1000 {
            names = Set(try FileManager.default.contentsOfDirectory(atPath: article.folder.path))
            if names.isDisjoint(with: abandoned) { break }
            usleep(10_000)
        }
        #expect(names.isDisjoint(with: abandoned), "\(names.sorted())")
        #expect(names.isSuperset(of: kept + [".\(name).tmp-\(dead.pid)-5", name, name + ".lock"]), "\(names.sorted())")
        #expect(session.state.contents.annotations.count == 1)
    }
}

@Suite("Session: a version 2 store is migrated to version 3")
struct StoreMigrationTests {
    @Test("opening a version 2 store writes version 3, keeps the original as .bak and .v2, and loses nothing")
    func migratesVersion2() throws {
        let article = try Article()
        defer { article.cleanUp() }
        let v2 = """
        {"annotations": [{"author": "x", "created": "2026-01-01T00:00:00Z", "end": 9, "id": "good", \
        "modified": "2026-01-01T00:00:00Z", "note": "kept", "prefix": "", "quote": "Ministers", "start": 0, \
        "suffix": " from twelve states met in Valmor", "tags": [{"category": "actor", "value": "x"}]}], \
        "document": {"length": 170, "path": "article.txt", "sha256": "00"}, "format": "gloss-annotations", \
        "orphans": [], "version": 2}
        """
        try Data(v2.utf8).write(to: URL(fileURLWithPath: article.storePath))
        let session = try article.open()
        #expect(session.state.message?.contains("store migrated from version 2 to 3") == true)
        #expect(try Data(contentsOf: URL(fileURLWithPath: article.storePath + ".bak")) == Data(v2.utf8))
        #expect(try Data(contentsOf: URL(fileURLWithPath: article.storePath + ".v2")) == Data(v2.utf8))
        let migrated = try StoreCodec.decode(article.storeBytes(), path: article.storePath)
        #expect(migrated.version == 3)
        #expect(migrated.annotations.map(\.id) == ["good"])
        #expect(migrated.annotations.first?.note == "kept")
        #expect(migrated.relations.isEmpty && migrated.memo.isEmpty)
        #expect(session.state.annotations.map(\.id) == ["good"])
    }
}

@Suite("Session: a memo that is not text")
struct MisshapenMemoTests {
    @Test("a store whose memo is not text opens with a notice, and the value is written back as it was")
    func memoNotText() throws {
        let article = try Article()
        defer { article.cleanUp() }
        let store = """
        {"annotations": [], "document": {"length": 170, "path": "article.txt", "sha256": "00"}, "format": "gloss-annotations", \
        "memo": {"by": "another tool"}, "orphans": [], "relations": [], "version": 3}
        """
        try Data(store.utf8).write(to: URL(fileURLWithPath: article.storePath))
        var session = try article.open()
        #expect(session.state.message?.contains("the store's \"memo\" is an object, not text; kept as it is") == true, "\(session.state.message ?? "")")
        session.tagFocused("ISIL")
        let written = try JSONDecoder().decode(JSONValue.self, from: article.storeBytes())
        #expect(written["memo"] == .object(["by": .string("another tool")]))
    }

    @Test("members a newer Gloss or a hand edit put in an annotation and its tag survive opening in the reader, tagging another annotation, tagging that one itself (the .bak too), and go when it is deleted with x")
    func unknownRecordMembersSurviveTheReader() throws {
        let article = try Article()
        defer { article.cleanUp() }
        do {
            var session = try article.open()
            session.tagFocused("ISIL")
            session.release()
        }
        // a hand edit: the annotation is reviewed, its tag has a confidence with its own digits
        let handEdited = String(decoding: try article.storeBytes(), as: UTF8.self)
            .replacingOccurrences(of: #""author" : "tester","#, with: #""author" : "tester", "reviewed" : true, "x-score" : 1.50,"#)
            .replacingOccurrences(of: #""value" : "ISIL""#, with: #""value" : "ISIL", "confidence" : 0.8"#)
        try Data(handEdited.utf8).write(to: URL(fileURLWithPath: article.storePath))
        func first(_ path: String) throws -> JSONValue? {
            guard case .array(let records)? = try StoreScan.exactValue(of: Data(contentsOf: URL(fileURLWithPath: path)))?["annotations"] else { return nil }
            return records.first
        }
        let tag = JSONValue.object(["category": .string("actor"), "value": .string("ISIL"), "confidence": .literal("0.8")])
        #expect(try first(article.storePath)?["tags"] == .array([tag]))

        var session = try article.open()
        session.state.focusSentence(startingWith: "They agreed")
        session.tagFocused("Interpol")
        #expect(!session.state.unsavedChanges)
        var kept = try #require(try first(article.storePath))
        #expect(kept["reviewed"] == .bool(true) && kept["x-score"] == .literal("1.50") && kept["tags"] == .array([tag]))
        // the annotation itself tagged again: its members and its first tag's stay
        session.state.focusSentence(startingWith: "Ministers")
        session.tagFocused("Valmora")
        kept = try #require(try first(article.storePath))
        #expect(kept["reviewed"] == .bool(true) && kept["x-score"] == .literal("1.50"))
        guard case .array(let tags)? = kept["tags"] else { Issue.record("no tags"); return }
        #expect(tags.count == 2 && tags[0] == tag)
        #expect(try first(article.storePath + ".bak")?["reviewed"] == .bool(true))
        // deleted: gone with it
        session.state.focusSentence(startingWith: "Ministers")
        let effects = session.state.press(.character("x"))
        if effects.contains(.save) { session.save() }
        let after = String(decoding: try article.storeBytes(), as: UTF8.self)
        #expect(!after.contains("reviewed") && !after.contains("confidence") && after.contains("Interpol"))
        session.release()
    }
}
