import ArgumentParser
import Foundation
import GlossCore
import GlossImport
import GlossUI

/// `gloss import FORMAT ...`: annotations made with another tool, read into a document's
/// store.
struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Read annotations made with another tool into a document's annotation store.",
        version: GlossVersion.string,
        subcommands: [ImportBrat.self, ImportQDPX.self, ImportW3C.self])
}

/// `gloss import brat PATH.ann --into DOCUMENT [--coder NAME | --store PATH]`: brat
/// standoff annotations merged into the document's store (``BratImporter``).
///
/// Every line that is not imported is reported on standard error as `PATH.ann:LINE:
/// why`; brat types and relation types the codebook lacks are reported too. The store is
/// read, merged and written through ``AnnotationStore`` (atomically, the old file kept as
/// its backup) while holding its lock; existing annotations are never changed, except
/// that a note may be added to one the import repeats. Nothing is written when the
/// `.ann` cannot be read, the `.txt` beside it is missing or, without `--by-quote`, is
/// not the document's text, the document or store cannot be read, or another gloss holds
/// the store. Exit status 1 when some line could not be read (the rest is imported).
struct ImportBrat: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "brat",
        abstract: "Merge brat standoff annotations (a .ann file beside its .txt) into a document's annotation store.",
        discussion: """
        Text-bound annotations (T) become annotations, their types codebook categories (a type \
        that matches none is kept as a new category); normalisations (N) and attributes (A, M) \
        become values, AnnotatorNotes (#) notes, relations (R) relations. A span brat splits \
        at line breaks comes back whole; other discontinuous spans give one annotation per \
        piece, with a note. Events (E), equivalences (*) and lines that cannot be read are \
        reported with their line numbers. Offsets are code points of the .txt beside the \
        .ann, which must be the document's text unless --by-quote is given.
        """,
        version: GlossVersion.string)

    @Argument(help: ArgumentHelp("The brat annotation file; its text NAME.txt must be beside it.", valueName: "path.ann"), completion: .file())
    var annotationFile: String

    @Option(name: .long, help: ArgumentHelp("The document whose store receives the annotations.", valueName: "document"), completion: .file())
    var into: String

    @Option(name: .long, help: ArgumentHelp("The author recorded on the imported annotations and relations (default: --coder's name, else $GLOSS_AUTHOR, else the configuration file's author, else your login name).", valueName: "name"))
    var author: String?

    @Flag(name: .customLong("by-quote"), help: "When the .txt is not the document's text, place each span where its quote is in the document, as Gloss re-anchors annotations after an edit; those not found are kept as orphans.")
    var byQuote = false

    @OptionGroup var options: DocumentOptions

    func validate() throws {
        try refuseEmptyPaths([annotationFile], valueName: "<path.ann>")
        try refuseEmptyPaths([into], valueName: "--into")
        try options.validate()
        try StoreImport.validate(author: author)
    }

    func run() throws {
        let document: Document
        let codebook: Codebook
        let result: BratImporter.Result
        do {
            document = try corpusOpening(encoding: nil)(into).document
            codebook = try options.loadCodebook(forDocument: into)
            result = try BratImporter.read(annotationFile: annotationFile, document: document, codebook: codebook,
                                           author: options.author(given: author), byQuote: byQuote)
        } catch {
            printError("gloss: \(error); nothing imported")
            throw ExitCode.failure
        }
        for message in result.messages {
            printError("gloss: " + (message.line.map { "\(annotationFile):\($0): " } ?? "\(annotationFile): ") + message.text)
        }

        let (storePath, merge) = try StoreImport.merge(into: into, document: document, options: options) { placed in
            BratImporter.merge(result, into: placed)
        }
        var summary = StoreImport.summary(merge, store: storePath, from: annotationFile)
        if result.moved > 0 { summary += "; \(result.moved) placed by their quotes away from their brat offsets" }
        if !result.orphans.isEmpty { summary += "; \(result.orphans.count) kept as orphans" }
        printError(summary)
        if result.messages.contains(where: { $0.kind == .malformed }) {
            throw ExitCode.failure
        }
    }
}

/// The steps every `gloss import FORMAT` takes once it knows what it imports: the store
/// locked, read (and migrated), placed in the document, merged into, written.
enum StoreImport {
    /// The document `file` (checked whole) and its codebook, for an import into its store.
    /// - Throws: `ExitCode.failure`, after saying why and that nothing was imported, when
    ///   either cannot be read.
    static func target(_ file: String, options: DocumentOptions) throws -> (document: Document, codebook: Codebook) {
        do {
            let document = try corpusOpening(encoding: nil)(file).document
            try document.checkWholeText()
            return (document, try options.loadCodebook(forDocument: file))
        } catch {
            printError("gloss: \(error); nothing imported")
            throw ExitCode.failure
        }
    }

    /// Checks `--author`: absent, or a name that is not only white space.
    /// - Throws: `ValidationError` for an empty name.
    static func validate(author: String?) throws {
        if let problem = Configuration.authorProblems(given: author, environment: ProcessEnvironment.variables).first {
            throw ValidationError(problem)
        }
    }
    /// Holds the lock of the store `options` choose for `file` and reads it: a store of an
    /// older version is migrated, its original kept as `STORE.vN` (as the reader keeps
    /// it); its annotations are placed in `document` (``Reanchoring/place(_:in:)``,
    /// reporting those re-anchored or orphaned because the document changed). `merge`
    /// gets the placed contents and returns the import merged into them, which is written
    /// atomically (``AnnotationStore/save(_:of:)``, the old file kept as its backup) when
    /// it changed anything or the store is new.
    /// - Returns: the store's path and what `merge` did.
    /// - Throws: `ExitCode.failure`, after saying why and that nothing was imported, when
    ///   another gloss holds the store, the store cannot be read or written, or `merge`
    ///   throws.
    static func merge(into file: String, document: Document, options: DocumentOptions,
                      _ merge: (StoreContents) throws -> AnnotationImport.Merge) throws -> (storePath: String, merge: AnnotationImport.Merge) {
        let store = options.annotationStore(for: file, isSample: false)
        var lock: StoreLock?
        switch StoreLock.acquire(forStore: store.path) {
        case .acquired(let acquired): lock = acquired
        case .heldBy(let owner):
            printError("gloss: \(store.path) is open in another gloss, by \(owner); quit it first. Nothing imported")
            throw ExitCode.failure
        case .unavailable: break  // a folder that cannot be written fails the save below, with its reason
        }
        defer { lock?.release() }
        do {
            let existing = try store.load()
            if let existing, existing.version < AnnotationStore.currentVersion {
                // as the reader migrates: the original stays under a name later saves never reuse
                let original = store.path + ".v\(existing.version)"
                if !FileManager.default.fileExists(atPath: original) {
                    try AtomicFile.write(try RegularFile.data(store.path), to: original)
                }
                printError("gloss: \(store.path): migrated from store version \(existing.version) to \(AnnotationStore.currentVersion); the original is \(original)")
            }
            let placement = Reanchoring.place(existing ?? StoreContents(), in: document)
            if placement.moved > 0 || placement.orphaned > 0 {
                printError("gloss: \(store.path): \(file) changed since the store was written: \(placement.moved) annotation(s) re-anchored, \(placement.orphaned) orphaned")
            }
            let merged = try merge(placement.contents)
            if existing == nil || merged.contents != placement.contents || placement.moved > 0 || placement.orphaned > 0 {
                try store.save(store.restoringExactRecords(merged.contents), of: document)
            }
            return (store.path, merged)
        } catch {
            printError("gloss: \(error); nothing imported")
            throw ExitCode.failure
        }
    }

    /// `gloss: STORE: N annotation(s) and M relation(s) imported from WHAT`, then those
    /// that were already there (and the notes added to theirs).
    static func summary(_ merge: AnnotationImport.Merge, store: String, from what: String) -> String {
        var summary = "gloss: \(store): \(merge.added) annotation(s) and \(merge.relationsAdded) relation(s) imported from \(what)"
        if merge.collapsed + merge.relationsCollapsed > 0 {
            summary += "; \(merge.collapsed) annotation(s) and \(merge.relationsCollapsed) relation(s) were already there"
            if merge.notesJoined > 0 { summary += " (\(merge.notesJoined) note(s) added to theirs)" }
        }
        return summary
    }
}
