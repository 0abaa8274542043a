import ArgumentParser
import Foundation
import GlossCore
import GlossImport

/// `gloss import qdpx PROJECT.qdpx --into DOCUMENT [--source NAME] [--user NAME]
/// [--coder NAME | --store PATH]`: the codings of one text source of a REFI-QDA project
/// merged into the document's store (``QDPXImporter``).
///
/// The source is the one whose text is the document's (or `--source`); its selections
/// become annotations, their codings tags, links between them relations, its
/// description the memo. What cannot be imported is reported on standard error. The
/// store is read, merged (``QDPXImporter/merge(_:into:)``, which merges as the brat import
/// does) and written through ``AnnotationStore`` (atomically, the old file kept as its
/// backup) while holding its lock; existing annotations are never changed, except that a
/// note may be added to one the import repeats. Nothing is written when the project
/// cannot be read, no source has the document's text, the document or store cannot be
/// read, or another gloss holds the store. Exit status 1 when a selection or coding
/// could not be read (the rest is imported).
struct ImportQDPX: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "qdpx",
        abstract: "Merge the codings of a REFI-QDA project (.qdpx, from NVivo, ATLAS.ti, MAXQDA, QualCoder...) into a document's annotation store.",
        discussion: """
        The project's text source whose plain text is the document's (or --source NAME) is \
        read: each PlainTextSelection becomes an annotation (positions are code points of \
        the text), each Coding a tag (the top-level code is the category, matched to the \
        codebook by id or label; the code below it the value), each Link between two \
        selections a relation, the selections' descriptions notes and the source's \
        description the memo. Authors are the selections' creating users.
        """,
        version: GlossVersion.string)

    @Argument(help: ArgumentHelp("The REFI-QDA project archive.", valueName: "project.qdpx"), completion: .file())
    var project: String

    @Option(name: .long, help: ArgumentHelp("The document whose store receives the annotations.", valueName: "document"), completion: .file())
    var into: String

    @Option(name: .long, help: ArgumentHelp("The text source to read, by its name in the project (default: the one whose text is the document's).", valueName: "name"))
    var source: String?

    @Option(name: .long, help: ArgumentHelp("Import only the selections this user of the project made.", valueName: "name"))
    var user: String?

    @Option(name: .long, help: ArgumentHelp("The author of selections and links whose creating user the project does not name (default: --coder's name, else $GLOSS_AUTHOR, else the configuration file's author, else your login name).", valueName: "name"))
    var author: String?

    @OptionGroup var options: DocumentOptions

    func validate() throws {
        try refuseEmptyPaths([project], valueName: "<project.qdpx>")
        try refuseEmptyPaths([into], valueName: "--into")
        try options.validate()
        try StoreImport.validate(author: author)
    }

    func run() throws {
        let (document, codebook) = try StoreImport.target(into, options: options)
        var read: QDPXImporter.Result?
        let (storePath, merged) = try StoreImport.merge(into: into, document: document, options: options) { placed in
            let ids = placed.annotationIDs.union(placed.relations.map(\.id))
            let result = try QDPXImporter.read(project: project, document: document, codebook: codebook, sourceName: source, user: user,
                                               author: options.author(given: author), existingIDs: ids)
            for message in result.read.messages { printError("gloss: \(project): \(message.text)") }
            read = result
            return QDPXImporter.merge(result, into: placed).merge
        }
        guard let result = read else { throw ExitCode.failure }
        var summary = StoreImport.summary(merged, store: storePath, from: "source \"\(result.sourceName)\" of \(project)")
        if merged.memoChanged { summary += "; the source's description added to the memo" }
        printError(summary)
        if result.read.messages.contains(where: { $0.kind == .malformed }) {
            throw ExitCode.failure
        }
    }
}
