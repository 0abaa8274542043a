// A writer for the kill-loop test: opens a document through the reader's Session, as
// `gloss read` does, and tags one sentence after another with the reader's own keys,
// saving after each as the reader does. After each save returns it prints the tagged
// annotation's id and the new value, tab-separated, so the test knows what must be on disk.
//
// Usage: StoreWriter DOCUMENT STORE CODEBOOK
import Foundation
import GlossCore
import GlossUI
#if canImport(Glibc)
import Glibc
#endif

let arguments = CommandLine.arguments
guard arguments.count == 4 else {
    FileHandle.standardError.write(Data("usage: StoreWriter DOCUMENT STORE CODEBOOK\n".utf8))
    exit(2)
}
do {
    let document = try Document(contentsOfFile: arguments[1])
    let codebook = try Codebook.load(path: arguments[3])
    var session = try Session(document: document, codebook: codebook, store: AnnotationStore(path: arguments[2]))
    guard !session.state.readOnly else {
        FileHandle.standardError.write(Data("read-only: \(session.state.message ?? "")\n".utf8))
        exit(3)
    }
    var round = 0
    while true {
        round += 1
        var effects = session.state.handle(key: .character("j"))
        effects += session.state.handle(key: .character("a"))
        for character in "value \(round) of \(getpid())" { effects += session.state.handle(key: .character(character)) }
        effects += session.state.handle(key: .enter)
        guard effects.contains(.save) else { continue }
        session.save()
        guard !session.state.unsavedChanges, let id = session.state.currentAnnotationID else {
            FileHandle.standardError.write(Data("save failed: \(session.state.message ?? "")\n".utf8))
            exit(4)
        }
        let line = id + "\t" + "value \(round) of \(getpid())" + "\n"
        _ = line.withCString { write(STDOUT_FILENO, $0, strlen($0)) }
    }
} catch {
    FileHandle.standardError.write(Data("\(error)\n".utf8))
    exit(1)
}
