import Foundation

/// What every importer (``BratImporter``, ``QDPXImporter``, ``W3CImporter``) shares: the
/// report of what it could not import, the annotations and relations it read, and how
/// they are merged into a store's contents without changing what the store holds.
public enum AnnotationImport {
    /// An import that cannot be done at all: the file cannot be read, or holds nothing
    /// this importer can place in the document (each importer names its cases). Nothing
    /// is written then.
    public struct ImportError: Error, CustomStringConvertible, Equatable {
        /// The file at fault.
        public var path: String
        /// What is wrong, one line.
        public var problem: String

        /// Creates the error.
        public init(path: String, problem: String) {
            self.path = path
            self.problem = problem
        }

        /// `PATH: problem`.
        public var description: String { "\(path): \(problem)" }
    }

    /// One line of the report: what could not be imported or needs a look.
    public struct Message: Sendable, Equatable, CustomStringConvertible {
        /// What kind of message it is.
        public enum Kind: Sendable, Equatable {
            /// What cannot be read or names what is not in the file: not imported.
            case malformed
            /// What Gloss cannot hold (an event, an equivalence, a note on an event): not
            /// imported.
            case notHeld
            /// Imported, but worth a look (a recorded text that differs from the offsets',
            /// an annotation kept as an orphan).
            case warning
            /// About the import as a whole (a new category).
            case note
        }
        /// The line number in the file, from 1; nil for messages about no one line.
        public var line: Int?
        /// Which kind.
        public var kind: Kind
        /// The message, one line.
        public var text: String

        /// Creates the message.
        public init(line: Int?, kind: Kind, text: String) {
            self.line = line
            self.kind = kind
            self.text = text
        }

        /// `LINE: text`, or the text alone.
        public var description: String { line.map { "\($0): \(text)" } ?? text }

        /// Whether the message says that something was not imported (``Kind/malformed`` or
        /// ``Kind/notHeld``).
        public var leftSomethingOut: Bool { kind == .malformed || kind == .notHeld }
    }

    /// What an import read.
    public struct Result: Sendable {
        /// The annotations, at their places in the document, in document order.
        public var annotations: [Annotation]
        /// Annotations placed by their quotes that were not found in the document: kept as
        /// orphans.
        public var orphans: [Annotation]
        /// The relations between them.
        public var relations: [Relation]
        /// The report, in the order of the file, then the messages about the whole file.
        public var messages: [Message]
        /// How many annotations were read and placed (brat: text-bound lines).
        public var textBoundCount: Int
        /// How many annotations were placed elsewhere than their recorded offsets say, by
        /// their quotes.
        public var moved: Int

        /// Creates the result.
        public init(annotations: [Annotation], orphans: [Annotation], relations: [Relation], messages: [Message],
                    textBoundCount: Int, moved: Int) {
            self.annotations = annotations
            self.orphans = orphans
            self.relations = relations
            self.messages = messages
            self.textBoundCount = textBoundCount
            self.moved = moved
        }
    }

    /// What ``merge(_:into:)`` did.
    public struct Merge: Sendable {
        /// The store's contents with the import merged in.
        public var contents: StoreContents
        /// Imported annotations (placed and orphaned) added to the store.
        public var added: Int
        /// Imported annotations the store already had (same span, same tags as a set).
        public var collapsed: Int
        /// Notes of collapsed annotations and relations added to the existing note.
        public var notesJoined: Int
        /// Relations added.
        public var relationsAdded: Int
        /// Relations the store already had (same type and ends).
        public var relationsCollapsed: Int
        /// Whether a document memo read with the import changed the store's memo.
        public var memoChanged = false
    }

    /// Merges an import into a store's contents without changing or dropping anything the
    /// store holds, except to add a note: an imported annotation with the span and the tags
    /// (as a set) of an annotation of the store is that annotation (its note, when it is
    /// not already the store's note or a paragraph of it, is added to it after a blank
    /// line); the others are added. Orphans alike, by offsets, quote and tags. Relations are
    /// moved onto the annotations kept; one with the type and ends of a relation of the
    /// store is that relation (notes as above).
    public static func merge(_ imported: Result, into existing: StoreContents) -> Merge {
        var contents = existing
        var renamed: [String: String] = [:]
        var added = 0, collapsed = 0, notesJoined = 0
        let stamp = imported.annotations.first?.created ?? imported.relations.first?.created ?? Annotation.timestamp(Date())
        func joined(_ note: String, _ addition: String) -> String? {
            if addition.isEmpty || note == addition || note.components(separatedBy: "\n\n").contains(addition) { return nil }
            return note.isEmpty ? addition : note + "\n\n" + addition
        }
        struct Place: Hashable { var range: Range<Int>; var quote: String }
        func mergeList(_ list: inout [Annotation], _ incoming: [Annotation]) {
            // the list's positions by span and quote, so a large import is not quadratic
            var positions: [Place: [Int]] = [:]
            for (index, annotation) in list.enumerated() { positions[Place(range: annotation.range, quote: annotation.quote), default: []].append(index) }
            for annotation in incoming {
                let place = Place(range: annotation.range, quote: annotation.quote)
                let tags = Set(annotation.tags)
                if let index = positions[place]?.first(where: { Set(list[$0].tags) == tags }) {
                    renamed[annotation.id] = list[index].id
                    collapsed += 1
                    if let note = joined(list[index].note, annotation.note) {
                        list[index].note = note
                        list[index].modified = stamp
                        notesJoined += 1
                    }
                } else {
                    positions[place, default: []].append(list.count)
                    list.append(annotation)
                    added += 1
                }
            }
        }
        mergeList(&contents.annotations, imported.annotations)
        contents.annotations.sort(by: Annotation.documentOrder)
        mergeList(&contents.orphans, imported.orphans)
        var relationsAdded = 0, relationsCollapsed = 0
        struct Ends: Hashable { var type: String; var from: String; var to: String }
        var relationIndex: [Ends: Int] = [:]
        for (index, relation) in contents.relations.enumerated() where relationIndex[Ends(type: relation.type, from: relation.from, to: relation.to)] == nil {
            relationIndex[Ends(type: relation.type, from: relation.from, to: relation.to)] = index
        }
        for var relation in imported.relations {
            relation.from = renamed[relation.from] ?? relation.from
            relation.to = renamed[relation.to] ?? relation.to
            let ends = Ends(type: relation.type, from: relation.from, to: relation.to)
            if let index = relationIndex[ends] {
                relationsCollapsed += 1
                if let note = joined(contents.relations[index].note, relation.note) {
                    contents.relations[index].note = note
                    contents.relations[index].modified = stamp
                    notesJoined += 1
                }
            } else {
                relationIndex[ends] = contents.relations.count
                contents.relations.append(relation)
                relationsAdded += 1
            }
        }
        contents.relations.sort(by: Relation.storeOrder)
        return Merge(contents: contents, added: added, collapsed: collapsed, notesJoined: notesJoined,
                     relationsAdded: relationsAdded, relationsCollapsed: relationsCollapsed)
    }

    /// Merges an import as ``merge(_:into:)`` does, and a document memo read with it:
    /// taken when the store has none, added after a blank line when it is new to the
    /// store's (``Merge/memoChanged``).
    public static func merge(_ imported: Result, memo: String, into existing: StoreContents) -> Merge {
        var merge = merge(imported, into: existing)
        let current = merge.contents.memo
        guard !memo.isEmpty, current != memo, !current.components(separatedBy: "\n\n").contains(memo) else { return merge }
        merge.contents.memo = current.isEmpty ? memo : current + "\n\n" + memo
        merge.memoChanged = true
        return merge
    }
}
