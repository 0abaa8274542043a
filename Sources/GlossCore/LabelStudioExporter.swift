import Foundation

/// Exports annotations as Label Studio tasks with pre-annotations
/// (https://labelstud.io/guide/predictions, https://labelstud.io/guide/task_format): a
/// JSON array with one task per document, to import into a project whose labeling
/// configuration is ``configuration(corpus:)`` (written beside the tasks as
/// `OUT.config.xml`).
///
/// ```json
/// [ { "data": { "text": "<the document text>", "document": "<its name>" },
///     "predictions": [ { "model_version": "gloss", "result": [
///       { "id": "<region>", "from_name": "label", "to_name": "text", "type": "labels",
///         "value": { "start": 0, "end": 6, "text": "Ankara", "labels": ["actor:state/Turkey"] } },
///       { "id": "<same region>", "from_name": "note", "to_name": "text", "type": "textarea",
///         "value": { "start": 0, "end": 6, "text": ["<the note>"] } },
///       { "type": "relation", "from_id": "<region>", "to_id": "<region>",
///         "direction": "right", "labels": ["undertakes"] } ] } ] } ]
/// ```
///
/// **Offsets.** `start` and `end` count Unicode code points of `data.text` from 0, end
/// exclusive: the same numbers as Gloss's own offsets. That is what Label Studio's `Text`
/// tag reads: its editor turns the browser's UTF-16 positions into code points when a
/// region is drawn and back when one is shown (`charsToCodePoints` and
/// `codePointsToChars` in `web/libs/editor/src/utils/selection-tools.js`; the DOM manager
/// of the `RichText` model counts `[...text]`), and it draws every CR and every LF as a
/// line break counted as one position, so a CRLF counts two, as here. Python's `str`
/// slicing gives the same spans (`text[start:end] == value.text`).
///
/// **Regions.** Each annotation is one region whose `labels` are its tags, each
/// `category:value` (the value with its codebook path, `actor:state/Turkey`) or the bare
/// category for an empty value, as W3C bodies write them (``W3CExporter/bodyValue(of:)``);
/// an annotation without tags is labelled ``untaggedLabel``. The region's `id` is the
/// annotation's id when that is made of letters, digits, `-` and `_` only and unique in
/// the task, else `gloss-N` (N its place in document order). A note is a per-region
/// `TextArea` result (`from_name` ``noteName``, the region's id, `text` a one-element
/// array), the way Label Studio keeps text typed about one region. A relation is a
/// `relation` result from its from end to its to end with its type as the one label.
///
/// `data.document` names the document (its path as given or as the corpus lists it),
/// `data.url` holds the `--source-url` when one is given, and `data.memo` the document
/// memo when there is one: Label Studio shows extra data fields as columns of its data
/// manager. What Label Studio cannot hold is named in ``Output/notes``: orphans (no
/// offsets), relation notes (a relation result has no text), authors and times (a
/// prediction has a model version, not an author).
public enum LabelStudioExporter {
    /// The `name` of the `Text` object tag and every result's `to_name`.
    public static let textName = "text"
    /// The `name` of the `Labels` control and the `from_name` of `labels` results.
    public static let labelsName = "label"
    /// The `name` of the per-region `TextArea` holding notes.
    public static let noteName = "note"
    /// The label of an annotation without tags.
    public static let untaggedLabel = "gloss-untagged"
    /// The `model_version` of the prediction.
    public static let modelVersion = "gloss"

    /// One export: the tasks file and the labeling configuration that goes with it.
    public struct Output: Sendable {
        /// The tasks: a pretty-printed JSON array with sorted keys, ending with a line break.
        public var tasks: String
        /// The labeling configuration (``configuration(corpus:)``).
        public var configuration: String
        /// What Label Studio cannot hold, one line each, naming the document.
        public var notes: [String]
    }

    /// Exports `entries` as Label Studio tasks, one per entry in the order given.
    /// - Parameter sourceURL: the web address of the document, written as `data.url`;
    ///   meant for an export of one document.
    /// - Throws: ``DocumentError`` when a text is damaged; ``ExportError`` when an
    ///   annotation does not fit its document.
    public static func export(corpus entries: [CorpusEntry], sourceURL: String? = nil) throws -> Output {
        var tasks: [JSONValue] = []
        var notes: [String] = []
        for entry in entries {
            let (task, taskNotes) = try self.task(of: entry, sourceURL: sourceURL)
            tasks.append(task)
            notes += taskNotes.map { "\(entry.name): \($0)" }
        }
        return Output(tasks: try encoded(.array(tasks)), configuration: configuration(corpus: entries), notes: notes)
    }

    /// The task of one document and what it could not hold.
    static func task(of entry: CorpusEntry, sourceURL: String?) throws -> (JSONValue, [String]) {
        let document = entry.document
        let sorted = try Export.checkedInDocumentOrder(entry.contents.annotations, of: document)
        var notes: [String] = []
        var regionIDs: [String: String] = [:]
        var taken = Set<String>()
        for (number, annotation) in sorted.enumerated() {
            var id = annotation.id
            if !isPlainID(id) || taken.contains(id) { id = "gloss-\(number + 1)" }
            while taken.contains(id) { id += "-\(number + 1)" }
            taken.insert(id)
            regionIDs[annotation.id] = id
        }
        var results: [JSONValue] = []
        for annotation in sorted {
            let id = regionIDs[annotation.id]!
            let range: [String: JSONValue] = ["start": .integer(annotation.start), "end": .integer(annotation.end)]
            results.append(.object([
                "id": .string(id), "from_name": .string(labelsName), "to_name": .string(textName), "type": .string("labels"),
                "value": .object(range.merging(["text": .string(annotation.quote),
                                                "labels": .array(labels(of: annotation, codebook: entry.codebook).map(JSONValue.string))]) { $1 }),
            ]))
            if !annotation.note.isEmpty {
                results.append(.object([
                    "id": .string(id), "from_name": .string(noteName), "to_name": .string(textName), "type": .string("textarea"),
                    "value": .object(range.merging(["text": .array([.string(annotation.note)])]) { $1 }),
                ]))
            }
        }
        var relationNotes = 0
        for relation in Export.exportedRelations(entry.contents.relations, between: Set(regionIDs.keys)) {
            results.append(.object([
                "type": .string("relation"), "from_id": .string(regionIDs[relation.from]!), "to_id": .string(regionIDs[relation.to]!),
                "direction": .string("right"), "labels": .array([.string(relation.type)]),
            ]))
            if !relation.note.isEmpty { relationNotes += 1 }
        }
        if relationNotes > 0 {
            notes.append("\(relationNotes) relation note(s) not exported: a Label Studio relation holds no text")
        }
        let orphans = entry.contents.orphans
        if !orphans.isEmpty {
            notes.append("\(orphans.count) orphaned annotation(s) (with no place in the text) not exported: Label Studio needs offsets")
            let orphanIDs = Set(orphans.map(\.id))
            let lost = entry.contents.relations.filter { orphanIDs.contains($0.from) || orphanIDs.contains($0.to) }.count
            if lost > 0 { notes.append("\(lost) relation(s) with an orphaned end not exported") }
        }
        var data: [String: JSONValue] = ["text": .string(document.text), "document": .string(entry.name)]
        if let sourceURL { data["url"] = .string(sourceURL) }
        if !entry.contents.memo.isEmpty { data["memo"] = .string(entry.contents.memo) }
        let predictions: [JSONValue] = results.isEmpty ? [] : [.object(["model_version": .string(modelVersion), "result": .array(results)])]
        return (.object(["data": .object(data), "predictions": .array(predictions)]), notes)
    }

    /// The labels of `annotation`'s region: `category:value` per tag (value with its
    /// codebook path), the bare category for an empty value, each once, in the order of
    /// its tags; ``untaggedLabel`` when it has none.
    public static func labels(of annotation: Annotation, codebook: Codebook?) -> [String] {
        var labels: [String] = []
        for tag in annotation.tags {
            let label = label(of: tag, codebook: codebook)
            if !labels.contains(label) { labels.append(label) }
        }
        return labels.isEmpty ? [untaggedLabel] : labels
    }

    /// `category:value` with the value's codebook path, or the category alone for an
    /// empty value.
    public static func label(of tag: Tag, codebook: Codebook?) -> String {
        W3CExporter.bodyValue(of: Tag(category: tag.category, value: codebook?.qualifiedValue(of: tag) ?? tag.value))
    }

    /// Whether `id` can be a region id as it is: letters, digits, `-` and `_`, as the ids
    /// Label Studio makes itself.
    static func isPlainID(_ id: String) -> Bool {
        !id.isEmpty && id.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" || $0 == "_") }
    }

    /// The labeling configuration for the tasks of `entries`, to paste into the project's
    /// Labeling Interface (Code) or to give as `label_config` when creating a project
    /// through the API. No XML declaration: Label Studio parses the configuration as a
    /// string, and lxml refuses a string that declares an encoding.
    ///
    /// ```xml
    /// <View>
    ///   <Relations>
    ///     <Relation value="undertakes"/>
    ///   </Relations>
    ///   <Labels name="label" toName="text" choice="multiple">
    ///     <Label value="actor" background="#00CDCD"/>
    ///     <Label value="actor:state" background="#00CDCD"/>
    ///     …
    ///   </Labels>
    ///   <Text name="text" value="$text"/>
    ///   <TextArea name="note" toName="text" perRegion="true" editable="true" placeholder="Note"/>
    /// </View>
    /// ```
    ///
    /// The labels: per codebook category (codebooks of all entries, in order), the bare
    /// category and then every value of its vocabulary with its path, depth first; then
    /// every other label the annotations use, as met; ``untaggedLabel`` last when used.
    /// `choice="multiple"` lets a region carry several, as an annotation carries several
    /// tags. Each label's `background` is its category's colour as `#RRGGBB`
    /// (``RefiQDA/hex(ofColor:)``; grey for categories the codebook lacks). The relation
    /// types: the codebooks' and then any other used.
    public static func configuration(corpus entries: [CorpusEntry]) -> String {
        var labels: [(value: String, color: String)] = []
        var seen = Set<String>()
        func add(_ value: String, _ color: String) {
            if seen.insert(value).inserted { labels.append((value, color)) }
        }
        var colors: [String: String] = [:]
        for entry in entries {
            for category in entry.codebook.categories {
                let color = RefiQDA.hex(ofColor: category.color)
                if colors[category.id] == nil { colors[category.id] = color }
                add(category.id, colors[category.id]!)
                for value in category.allValues {
                    add(label(of: Tag(category: category.id, value: value.value), codebook: entry.codebook), colors[category.id]!)
                }
            }
        }
        var untagged = false
        var relationTypes: [String] = []
        for entry in entries {
            relationTypes += entry.codebook.relations.map(\.id)
        }
        for entry in entries {
            for annotation in entry.contents.annotations {
                if annotation.tags.isEmpty { untagged = true }
                for tag in annotation.tags {
                    add(label(of: tag, codebook: entry.codebook), colors[tag.category] ?? grey)
                }
            }
            relationTypes += entry.contents.relations.map(\.type)
        }
        if untagged { add(untaggedLabel, grey) }
        var uniqueTypes: [String] = []
        for type in relationTypes where !uniqueTypes.contains(type) { uniqueTypes.append(type) }

        var xml = XMLWriter(declaration: false)
        xml.open("View")
        if !uniqueTypes.isEmpty {
            xml.open("Relations")
            for type in uniqueTypes { xml.empty("Relation", [("value", type)]) }
            xml.close()
        }
        xml.open("Labels", [("name", labelsName), ("toName", textName), ("choice", "multiple")])
        for label in labels { xml.empty("Label", [("value", label.value), ("background", label.color)]) }
        xml.close()
        xml.empty("Text", [("name", textName), ("value", "$" + textName)])
        xml.empty("TextArea", [("name", noteName), ("toName", textName), ("perRegion", "true"), ("editable", "true"),
                               ("placeholder", "Note")])
        xml.close()
        return xml.text
    }

    /// Where `gloss export --format labelstudio -o OUT` writes the labeling configuration:
    /// `OUT` less a `.json` extension (any letter case), plus `.config.xml`.
    public static func configurationPath(besides output: String) -> String {
        let base = output.lowercased().hasSuffix(".json") ? String(output.dropLast(5)) : output
        return base + ".config.xml"
    }

    /// The background of labels whose category the codebook lacks.
    static let grey = "#808080"

    /// `value` as pretty-printed JSON with sorted keys and unescaped slashes, ending with a
    /// line break.
    static func encoded(_ value: JSONValue) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self) + "\n"
    }
}
