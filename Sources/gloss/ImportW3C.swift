import ArgumentParser
import Foundation
import GlossCore
import GlossImport

/// `gloss import w3c FILE.json --into DOCUMENT [--source URL] [--coder NAME | --store
/// PATH] [--author NAME]`: W3C Web Annotations (what `gloss export --format w3c` writes,
/// and what other tools write) or a Hypothesis API response merged into the document's
/// store (``W3CImporter``).
///
/// Every item that is not imported, or only in part, is reported on standard error as
/// `FILE: PLACE (ID): why` (`first.items[3]`, `rows[0]`), as is every annotation kept as
/// an orphan. The store is read, merged (as the brat import merges) and written through
/// ``StoreImport`` while holding its lock. Nothing is written when the file cannot be read
/// or holds no annotations, the document or store cannot be read, or another gloss holds
/// the store. Exit status 1 when an item, or part of one, was not imported (the rest is).
struct ImportW3C: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "w3c",
        abstract: "Merge W3C Web Annotations (JSON-LD, as gloss export --format w3c writes them) or Hypothesis annotations into a document's annotation store.",
        discussion: """
        Reads an AnnotationCollection, an AnnotationPage, a list of annotations, one \
        annotation, or a Hypothesis API response (rows). Each annotation over part of the \
        text is placed by its TextPositionSelector (code points, as the Web Annotation \
        model counts; UTF-16 code units are recognised too) when the text there is its \
        TextQuoteSelector's quote, else by the quote and its prefix and suffix, as Gloss \
        re-anchors after an edit (then ignoring differences in white space, the nearest to \
        the position among equals); one not found is kept as an orphan. Tagging bodies \
        (category:value) become tags, other bodies and Hypothesis text the note, linking \
        annotations relations, annotations of the whole document the memo. Hypothesis tags \
        that name no codebook category or value become values of the category \
        "hypothesis".
        """,
        version: GlossVersion.string)

    @Argument(help: ArgumentHelp("The Web Annotation or Hypothesis JSON file.", valueName: "file.json"), completion: .file())
    var annotationFile: String

    @Option(name: .long, help: ArgumentHelp("The document whose store receives the annotations.", valueName: "document"), completion: .file())
    var into: String

    @Option(name: .long, help: ArgumentHelp("Read the annotations that target this document (their target's source, as the file writes it); needed when the file holds several documents and none is DOCUMENT by its file URL or name.", valueName: "url"))
    var source: String?

    @Option(name: .long, help: ArgumentHelp("The author of annotations and relations that name no creator (default: --coder's name, else $GLOSS_AUTHOR, else the configuration file's author, else your login name).", valueName: "name"))
    var author: String?

    @OptionGroup var options: DocumentOptions

    func validate() throws {
        try refuseEmptyPaths([annotationFile], valueName: "<file.json>")
        try refuseEmptyPaths([into], valueName: "--into")
        try options.validate()
        try StoreImport.validate(author: author)
    }

    func run() throws {
        let (document, codebook) = try StoreImport.target(into, options: options)
        var read: W3CImporter.Result?
        let (storePath, merged) = try StoreImport.merge(into: into, document: document, options: options) { placed in
            let result = try W3CImporter.read(file: annotationFile, document: document, codebook: codebook, source: source,
                                              author: options.author(given: author), existing: placed)
            for message in result.read.messages { printError("gloss: \(annotationFile): \(message.text)") }
            read = result
            return AnnotationImport.merge(result.read, memo: result.memo, into: placed)
        }
        guard let result = read else { throw ExitCode.failure }
        var summary = StoreImport.summary(merged, store: storePath, from: annotationFile)
        if result.read.moved > 0 { summary += "; \(result.read.moved) placed by their quotes away from their positions" }
        if !result.read.orphans.isEmpty { summary += "; \(result.read.orphans.count) kept as orphans" }
        if merged.memoChanged { summary += "; notes on the whole document added to the memo" }
        printError(summary)
        if result.read.messages.contains(where: \.leftSomethingOut) {
            throw ExitCode.failure
        }
    }
}
