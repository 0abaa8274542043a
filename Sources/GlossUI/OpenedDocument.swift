import GlossCore

/// A document opened for the reader: its state and how the stored annotations fitted the
/// text.
///
/// This is everything `gloss read` does before it takes the store's lock and the terminal,
/// in one place so that `gloss-benchmark` times the very calls the reader makes.
public struct OpenedDocument {
    /// The reader on the document, sized 80x24 until the first resize.
    public var state: AppState
    /// How the store's annotations fitted the text: its orphans and moved count decide
    /// whether the reader opens read-only and what it says.
    public var placement: Reanchoring.Result

    /// Reads the document at `path`, then the codebook, then `store`, re-anchors the stored
    /// annotations and builds the reader's state.
    /// - Parameter loadCodebook: called after the document is read, so that a bad document
    ///   is reported before a bad codebook.
    /// - Throws: what ``Document/init(contentsOfFile:)``, `loadCodebook` or
    ///   ``AnnotationStore/load()`` throws.
    public init(path: String, store: AnnotationStore, loadCodebook: () throws -> Codebook) throws {
        let document = try Document(contentsOfFile: path)
        let codebook = try loadCodebook()
        let stored = try store.load()
        placement = Reanchoring.reanchor(stored?.annotations ?? [], in: document)
        state = AppState(document: document, codebook: codebook, annotations: placement.anchored)
    }
}
