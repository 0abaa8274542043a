import Crypto
import Foundation

/// Exports annotations as a W3C Web Annotation `AnnotationCollection` in JSON-LD, following
/// the Web Annotation Data Model (https://www.w3.org/TR/annotation-model/, §5 for
/// collections and pages) and the Web Annotation Vocabulary.
///
/// Shape of the output (pretty-printed, keys sorted, slashes not escaped, ending with a
/// line break):
///
/// ```json
/// { "@context": "http://www.w3.org/ns/anno.jsonld",
///   "id": "urn:uuid:<name-based UUID of the document's file URL>",
///   "type": "AnnotationCollection", "label": "<file name>", "total": 2,
///   "first": { "id": "urn:uuid:…", "type": "AnnotationPage", "partOf": "<collection id>",
///              "startIndex": 0, "items": [ <Annotation>, … ] } }
/// ```
///
/// Each Gloss annotation becomes one Annotation:
///
/// - `id` `urn:uuid:<id lowercased>` (a name-based UUID of the id when it is no UUID); `@context` repeated on every item, so each is also a
///   valid stand-alone Annotation (the test suite's must-assertion 3.1 requires it);
/// - `motivation` `tagging` when it has tags, else `commenting` when it has a note, else
///   `highlighting`;
/// - `created`, `modified` (ISO 8601 UTC as stored) and `creator`
///   `{"type": "Person", "name": <author>}` (left out when the author is empty);
/// - `body`: one `TextualBody` with `purpose` `tagging` per tag, whose `value` is
///   `<category>:<value>`, or just `<category>` when the value is empty, so splitting at
///   the first colon gives both back (see ``tag(fromBodyValue:)``; a category id holding a
///   colon is read back whole only by an importer whose codebook has it; values may hold
///   colons); then a
///   `TextualBody` with `purpose` `commenting` holding the note when there is one. An annotation without
///   tags and note has no `body` key: the model allows zero bodies (§3.1) and the suite's
///   body check is a should, not a must;
/// - `target`: `{"source": <file URL of the document>, "selector": [TextQuoteSelector,
///   TextPositionSelector]}`. The TextQuoteSelector (§4.2.4) has `exact` and the `prefix`
///   and `suffix` of up to ``Annotation/contextLength`` code points, each left out when
///   empty (at the start or end of the text); the TextPositionSelector (§4.2.5) has
///   `start` and `end` in code points, end exclusive, as the model prescribes.
///
/// With a codebook, a tag whose value is nested in the vocabulary writes its path:
/// `actor:state/Turkey` (``Codebook/qualifiedValue(of:)``).
///
/// Each relation between two exported annotations becomes one more Annotation (§3.3.5,
/// motivation `linking`): `id` `urn:uuid:<relation id lowercased>`, `motivation`
/// `linking`, a `TextualBody` with `purpose` `tagging` whose `value` is the relation
/// type's id (`undertakes`), then one with `purpose` `commenting` for its note, and
/// `target` the two annotations' ids as IRIs in the order from, to:
/// `["urn:uuid:<from>", "urn:uuid:<to>"]`. The document memo, when there is one, comes
/// first: an Annotation with `motivation` `commenting`, a `commenting` body and the
/// document's file URL as its `target`; its id is name-based on that URL.
///
/// A document without annotations gives a collection with `total` 0 and no `first`, which
/// the model allows (a collection needs a first page only when it has annotations).
public enum W3CExporter {
    /// The JSON-LD context of the Web Annotation Data Model.
    public static let context = "http://www.w3.org/ns/anno.jsonld"

    /// Exports `annotations` of `document` as an `AnnotationCollection` (see the type's
    /// documentation for the shape).
    /// - Parameters:
    ///   - document: the annotated text; its absolute path, as a `file:` URL, is each
    ///     target's `source`, and its file name the collection's `label`.
    ///   - annotations: in any order; the page lists them in document order.
    ///   - orphans: listed after them, each targeting its stored quote, prefix and suffix
    ///     with a TextQuoteSelector only: there is no position in the text to give.
    /// - Returns: pretty-printed JSON with sorted keys, ending with a line break.
    /// - Throws: ``DocumentError`` when the text is damaged anywhere
    ///   (``Document/checkWholeText()``); ``ExportError`` when an annotation does not fit
    ///   the document.
    public static func export(document: Document, annotations: [Annotation], orphans: [Annotation] = []) throws -> String {
        try export(document: document, contents: StoreContents(annotations: annotations, orphans: orphans), codebook: nil)
    }

    /// Exports the annotations, orphans, relations and memo of `contents` (see the type's
    /// documentation for the shape); quarantined records are left out, and so are the
    /// relations with an end among them.
    /// - Parameters:
    ///   - document: the annotated text; its absolute path, as a `file:` URL, is each
    ///     target's `source`, and its file name the collection's `label`.
    ///   - contents: the store's contents; annotations are listed in document order.
    ///   - codebook: gives nested values their path; nil writes values as stored.
    /// - Returns: pretty-printed JSON with sorted keys, ending with a line break.
    /// - Throws: ``DocumentError`` when the text is damaged anywhere
    ///   (``Document/checkWholeText()``); ``ExportError`` when an annotation does not fit
    ///   the document.
    /// - Parameter sourceURL: the document's web address, each target's `source` (and
    ///   the memo's target) instead of its file URL; nil for the file URL.
    public static func export(document: Document, contents: StoreContents, codebook: Codebook?, sourceURL: String? = nil) throws -> String {
        let source = sourceURL ?? Export.fileURL(of: document)
        let items = try items(of: document, contents: contents, codebook: codebook, linksInDocument: false, source: source)
        return try encodedCollection(id: "urn:uuid:" + nameBasedUUID(source + "#gloss-annotations"),
                                     pageID: "urn:uuid:" + nameBasedUUID(source + "#gloss-annotations-page-1"),
                                     label: document.fileName, items: items)
    }

    /// Exports the annotations of several documents as one `AnnotationCollection`: the
    /// items of each document, as ``export(document:contents:codebook:)`` writes them, one
    /// document after the other in the order given, each annotation's target `source`
    /// being its own document's file URL. The collection's `label` is `label`, and its id
    /// is name-based on the documents' URLs, so it stays the same from one export of the
    /// same corpus to the next.
    ///
    /// One difference from a one-document export: a relation's Annotation (motivation
    /// `linking`) cannot target its two ends by their bare `urn:uuid:` IRIs, which name no
    /// document, since a reader of the collection (and the shared validator, given every
    /// document as a `--source`) must tell from each target which document it points
    /// into. Each end is written as a `SpecificResource` of its document instead, with
    /// the end annotation's selectors and the id `urn:uuid:<end id>#target` (the
    /// annotation's IRI with the fragment `target`):
    /// `{"id": "urn:uuid:…#target", "type": "SpecificResource", "source": "file:///…/a.txt",
    ///   "selector": [TextQuoteSelector, TextPositionSelector]}`, from end first.
    /// - Returns: pretty-printed JSON with sorted keys, ending with a line break.
    /// - Throws: as ``export(document:contents:codebook:)``, for the first document that
    ///   fails.
    public static func export(corpus entries: [CorpusEntry], label: String) throws -> String {
        var items: [WebAnnotation] = []
        var sources: [String] = []
        var used = Set<String>()
        for entry in entries {
            let source = Export.fileURL(of: entry.document)
            sources.append(source)
            var documentItems = try self.items(of: entry.document, contents: entry.contents, codebook: entry.codebook, linksInDocument: true)
            if documentItems.contains(where: { used.contains($0.id) }) {
                // ids another document already used (an article and its store copied into two
                // folders): this document's items get ids of their own, named by its URL
                func own(_ id: String) -> String { "urn:uuid:" + nameBasedUUID(source + "#" + id) }
                documentItems = documentItems.map { item in
                    var item = item
                    item.id = own(item.id)
                    if case .resources(let ends) = item.target {
                        item.target = .resources(ends.map { end in
                            var end = end
                            end.id = own(end.id.hasSuffix("#target") ? String(end.id.dropLast("#target".count)) : end.id) + "#target"
                            return end
                        })
                    }
                    return item
                }
            }
            used.formUnion(documentItems.map(\.id))
            items += documentItems
        }
        let name = sources.joined(separator: "\n")
        return try encodedCollection(id: "urn:uuid:" + nameBasedUUID(name + "#gloss-corpus-annotations"),
                                     pageID: "urn:uuid:" + nameBasedUUID(name + "#gloss-corpus-annotations-page-1"),
                                     label: label, items: items)
    }

    /// The collection of `items` with a single page, JSON-encoded.
    static func encodedCollection(id collectionID: String, pageID: String, label: String, items: [WebAnnotation]) throws -> String {
        let collection = Collection(
            context: context, id: collectionID, type: "AnnotationCollection",
            label: label, total: items.count,
            first: items.isEmpty ? nil : Page(
                id: pageID,
                type: "AnnotationPage", partOf: collectionID, startIndex: 0, items: items))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(collection), as: UTF8.self) + "\n"
    }

    /// The Web Annotations of one document: memo, annotations in document order, orphans,
    /// relations. With `linksInDocument`, relations target their ends as specific
    /// resources of the document (see ``export(corpus:label:)``).
    static func items(of document: Document, contents: StoreContents, codebook: Codebook?, linksInDocument: Bool,
                      source: String? = nil) throws -> [WebAnnotation] {
        let sorted = try Export.checkedInDocumentOrder(contents.annotations, of: document)
        let source = source ?? Export.fileURL(of: document)
        var items: [WebAnnotation] = []
        if !contents.memo.isEmpty {
            items.append(WebAnnotation(
                context: context, id: "urn:uuid:" + nameBasedUUID(source + "#gloss-memo"), type: "Annotation",
                motivation: "commenting", created: nil, modified: nil, creator: nil,
                body: [TextualBody(type: "TextualBody", purpose: "commenting", value: contents.memo)],
                target: .iri(source)))
        }
        items += sorted.map { webAnnotation($0, in: document, source: source, codebook: codebook) }
            + contents.orphans.map { webAnnotation($0, in: nil, source: source, codebook: codebook) }
        let exported = Set((sorted + contents.orphans).map(\.id))
        let relations = Export.exportedRelations(contents.relations, between: exported)
        if linksInDocument {
            var placed: [String: (annotation: Annotation, inText: Bool)] = [:]
            for annotation in sorted { placed[annotation.id] = (annotation, true) }
            for orphan in contents.orphans { placed[orphan.id] = (orphan, false) }
            items += relations.map { relation in
                var link = linkingAnnotation(relation)
                let ends = [relation.from, relation.to].compactMap { id -> SpecificTarget? in
                    guard let end = placed[id] else { return nil }
                    let selectors = webAnnotation(end.annotation, in: end.inText ? document : nil, source: source).selectors
                    return SpecificTarget(id: iri(ofID: id) + "#target", type: "SpecificResource",
                                          source: source, selector: selectors)
                }
                link.target = .resources(ends)
                return link
            }
        } else {
            items += relations.map(linkingAnnotation)
        }
        return items
    }

    /// The `value` of the tagging body for `tag`: `<category>:<value>`, or `<category>`
    /// when the value is empty.
    public static func bodyValue(of tag: Tag) -> String {
        tag.value.isEmpty ? tag.category : tag.category + ":" + tag.value
    }

    /// The tag a tagging body's `value` stands for: the category is the text before the
    /// first colon, the value the text after it (empty when there is no colon). The inverse
    /// of ``bodyValue(of:)``.
    public static func tag(fromBodyValue value: String) -> Tag {
        guard let colon = value.unicodeScalars.firstIndex(of: ":") else {
            return Tag(category: value, value: "")
        }
        let scalars = value.unicodeScalars
        return Tag(category: String(scalars[..<colon]), value: String(scalars[scalars.index(after: colon)...]))
    }

    /// A name-based (version 5, SHA-1) UUID of `name` in the URL namespace (RFC 9562 §5.5),
    /// lower-case, so the collection and page ids stay the same from one export of a
    /// document to the next.
    /// The IRI of a store id: `urn:uuid:<id lowercased>` for an id that is a UUID (RFC 9562
    /// §4: hex digits compare without case), else `urn:uuid:` with a name-based UUID of the
    /// id, so that ids written by other tools (`A1`, `dup-id` and `DUP-ID`) give valid,
    /// distinct IRIs, the same in every export.
    static func iri(ofID id: String) -> String {
        if UUID(uuidString: id) != nil { return "urn:uuid:" + id.lowercased() }
        return "urn:uuid:" + nameBasedUUID("urn:gloss:id:" + id)
    }

    static func nameBasedUUID(_ name: String) -> String {
        // The URL namespace, 6ba7b811-9dad-11d1-80b4-00c04fd430c8 (RFC 9562 §6.6).
        let namespace: [UInt8] = [0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1,
                                  0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8]
        var bytes = Array(Insecure.SHA1.hash(data: namespace + Array(name.utf8)).prefix(16))
        bytes[6] = (bytes[6] & 0x0F) | 0x50  // version 5
        bytes[8] = (bytes[8] & 0x3F) | 0x80  // RFC variant
        let hex = bytes.map { String(format: "%02x", $0) }.joined()
        let parts = [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { range in
            String(hex[hex.index(hex.startIndex, offsetBy: range.lowerBound)..<hex.index(hex.startIndex, offsetBy: range.upperBound)])
        }
        return parts.joined(separator: "-")
    }

    /// The Web Annotation of `annotation`; with `document` nil (an orphan) the target has
    /// only a TextQuoteSelector built from the stored quote, prefix and suffix.
    static func webAnnotation(_ annotation: Annotation, in document: Document?, source: String, codebook: Codebook? = nil) -> WebAnnotation {
        var bodies = annotation.tags.map { tag in
            let qualified = Tag(category: tag.category, value: codebook?.qualifiedValue(of: tag) ?? tag.value)
            return TextualBody(type: "TextualBody", purpose: "tagging", value: bodyValue(of: qualified))
        }
        if !annotation.note.isEmpty {
            bodies.append(TextualBody(type: "TextualBody", purpose: "commenting", value: annotation.note))
        }
        let motivation = !annotation.tags.isEmpty ? "tagging" : !annotation.note.isEmpty ? "commenting" : "highlighting"
        let prefix = document.map { $0.text(in: max(0, annotation.start - Annotation.contextLength)..<annotation.start) } ?? annotation.prefix
        let suffix = document.map { $0.text(in: annotation.end..<min($0.length, annotation.end + Annotation.contextLength)) } ?? annotation.suffix
        var selectors = [Selector(type: "TextQuoteSelector", exact: annotation.quote,
                                  prefix: prefix.isEmpty ? nil : prefix, suffix: suffix.isEmpty ? nil : suffix)]
        if document != nil {
            selectors.append(Selector(type: "TextPositionSelector", start: annotation.start, end: annotation.end))
        }
        return WebAnnotation(
            context: context,
            id: iri(ofID: annotation.id),
            type: "Annotation",
            motivation: motivation,
            created: annotation.created,
            modified: annotation.modified,
            creator: annotation.author.isEmpty ? nil : Agent(type: "Person", name: annotation.author),
            body: bodies.isEmpty ? nil : bodies,
            target: .specific(source: source, selector: selectors))
    }

    /// The Web Annotation of `relation`: motivation `linking`, its type as a tagging
    /// body, its note as a commenting one, and its two ends' ids as the targets.
    static func linkingAnnotation(_ relation: Relation) -> WebAnnotation {
        var bodies = [TextualBody(type: "TextualBody", purpose: "tagging", value: relation.type)]
        if !relation.note.isEmpty {
            bodies.append(TextualBody(type: "TextualBody", purpose: "commenting", value: relation.note))
        }
        return WebAnnotation(
            context: context,
            id: iri(ofID: relation.id),
            type: "Annotation",
            motivation: "linking",
            created: relation.created.isEmpty ? nil : relation.created,
            modified: relation.modified.isEmpty ? nil : relation.modified,
            creator: relation.author.isEmpty ? nil : Agent(type: "Person", name: relation.author),
            body: bodies,
            target: .iris([iri(ofID: relation.from), iri(ofID: relation.to)]))
    }

    // MARK: JSON shapes (keys as the Web Annotation Vocabulary names them)

    struct Collection: Encodable {
        var context: String
        var id: String
        var type: String
        var label: String
        var total: Int
        var first: Page?

        enum CodingKeys: String, CodingKey {
            case context = "@context", id, type, label, total, first
        }
    }

    struct Page: Encodable {
        var id: String
        var type: String
        var partOf: String
        var startIndex: Int
        var items: [WebAnnotation]
    }

    struct WebAnnotation: Encodable {
        /// The selectors of a target over part of a document; empty for other targets.
        var selectors: [Selector] {
            if case .specific(_, let selector) = target { return selector }
            return []
        }

        var context: String
        var id: String
        var type: String
        var motivation: String
        var created: String?
        var modified: String?
        var creator: Agent?
        var body: [TextualBody]?
        var target: Target

        enum CodingKeys: String, CodingKey {
            case context = "@context", id, type, motivation, created, modified, creator, body, target
        }
    }

    struct Agent: Encodable {
        var type: String
        var name: String
    }

    struct TextualBody: Encodable {
        var type: String
        var purpose: String
        var value: String
    }

    /// A target: a part of the document picked by selectors, one IRI (the whole
    /// document), or several IRIs (the annotations a relation links).
    enum Target: Encodable {
        case specific(source: String, selector: [Selector])
        case iri(String)
        case iris([String])
        /// Parts of documents, each a specific resource with an id of its own.
        case resources([SpecificTarget])

        private enum CodingKeys: String, CodingKey { case source, selector }

        func encode(to encoder: Encoder) throws {
            switch self {
            case .specific(let source, let selector):
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode(source, forKey: .source)
                try container.encode(selector, forKey: .selector)
            case .iri(let iri):
                var container = encoder.singleValueContainer()
                try container.encode(iri)
            case .iris(let iris):
                var container = encoder.singleValueContainer()
                try container.encode(iris)
            case .resources(let resources):
                var container = encoder.singleValueContainer()
                try container.encode(resources)
            }
        }
    }

    /// A target naming a part of a document: a relation's end in a corpus export.
    struct SpecificTarget: Encodable {
        var id: String
        var type: String
        var source: String
        var selector: [Selector]
    }

    struct Selector: Encodable {
        var type: String
        var exact: String?
        var prefix: String?
        var suffix: String?
        var start: Int?
        var end: Int?

        init(type: String, exact: String? = nil, prefix: String? = nil, suffix: String? = nil, start: Int? = nil, end: Int? = nil) {
            self.type = type
            self.exact = exact
            self.prefix = prefix
            self.suffix = suffix
            self.start = start
            self.end = end
        }
    }
}
