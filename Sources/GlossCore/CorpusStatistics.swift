import Foundation

/// A category and one of its values, as exports write it: the value with its codebook
/// path (`state/Turkey`, ``Codebook/qualifiedValue(of:)``); empty when the tag has none.
public struct CategoryValue: Hashable, Sendable, Comparable {
    /// The category's id, such as `actor`.
    public var category: String
    /// The value with its codebook path.
    public var value: String

    /// Creates the pair.
    public init(category: String, value: String) {
        self.category = category
        self.value = value
    }

    /// By category id, then value, comparing UTF-8 bytes.
    public static func < (a: CategoryValue, b: CategoryValue) -> Bool {
        if a.category != b.category { return a.category.utf8.lexicographicallyPrecedes(b.category.utf8) }
        return a.value.utf8.lexicographicallyPrecedes(b.value.utf8)
    }
}

/// How two tags are found together, for ``CorpusStatistics/coOccurrences``.
public enum CoOccurrenceBasis: String, CaseIterable, Sendable, Codable {
    /// Two different annotations that share a sentence (``SentenceSplitter``): each
    /// ordered pair of annotations counts once, however many sentences they share, once
    /// per row tag of the first and column tag of the second. An annotation shares a
    /// sentence when its span overlaps it. Orphans, having no place, share none.
    case sentence
    /// One annotation carrying both tags: each annotation counts once per row tag and
    /// column tag it carries.
    case annotation
    /// A relation linking an annotation with the row tag to one with the column tag, in
    /// either direction: each relation counts once per row tag at one end and column tag
    /// at the other.
    case relation

    /// How tables and messages name the basis: `same sentence`, `same annotation`,
    /// `relation`.
    public var label: String {
        switch self {
        case .sentence: return "same sentence"
        case .annotation: return "same annotation"
        case .relation: return "relation"
        }
    }

    /// What a count of this basis counts, for titles: `pairs of annotations sharing a
    /// sentence`, `annotations carrying both`, `relations between the two`.
    public var unit: String {
        switch self {
        case .sentence: return "pairs of annotations sharing a sentence"
        case .annotation: return "annotations carrying both"
        case .relation: return "relations between the two"
        }
    }
}

/// One cell of a co-occurrence table: a row tag, a column tag and how they were found together.
public struct CoOccurrenceKey: Hashable, Sendable {
    /// How the two tags were found together.
    public var basis: CoOccurrenceBasis
    /// The row's category and value (the first category of the pair, such as `actor`).
    public var row: CategoryValue
    /// The column's category and value (such as `threat`).
    public var column: CategoryValue

    /// Creates the key.
    public init(basis: CoOccurrenceBasis, row: CategoryValue, column: CategoryValue) {
        self.basis = basis
        self.row = row
        self.column = column
    }
}

/// The counts of one document, made by ``CorpusStatistics/count(name:document:contents:codebook:pairs:)``.
public struct DocumentStatistics: Sendable {
    /// The document's name as the corpus lists it.
    public var name: String
    /// Its annotations, orphans included; quarantined records are not annotations.
    public var annotations: Int
    /// Tags per category id.
    public var tagsByCategory: [String: Int]
    /// Tags per category and value.
    public var tagsByValue: [CategoryValue: Int]
    /// Co-occurrence counts, zero cells left out.
    public var coOccurrences: [CoOccurrenceKey: Int]
}

/// Counts over a corpus: tags and documents per category and value, tags per category
/// in each document, and co-occurrence of tags of pairs of categories, counted three
/// ways (``CoOccurrenceBasis``). Add each document's counts with ``add(_:)``; the
/// order documents are added in changes only ``documents``'s order.
public struct CorpusStatistics: Sendable {
    /// Each document's counts, as added, without its value and co-occurrence tables.
    public private(set) var documents: [DocumentStatistics] = []
    /// Annotations in every document (orphans included).
    public private(set) var annotations = 0
    /// Tags per category and value, summed over the documents.
    public private(set) var tags: [CategoryValue: Int] = [:]
    /// Documents with at least one tag of the category and value.
    public private(set) var documentsWith: [CategoryValue: Int] = [:]
    /// Co-occurrence counts summed over the documents, zero cells left out.
    public private(set) var coOccurrences: [CoOccurrenceKey: Int] = [:]

    /// Empty statistics.
    public init() {}

    /// Adds one document's counts.
    public mutating func add(_ document: DocumentStatistics) {
        annotations += document.annotations
        for (key, count) in document.tagsByValue {
            tags[key, default: 0] += count
            documentsWith[key, default: 0] += 1
        }
        for (key, count) in document.coOccurrences { coOccurrences[key, default: 0] += count }
        var summary = document
        summary.tagsByValue = [:]
        summary.coOccurrences = [:]
        documents.append(summary)
    }

    /// Adds the counts of `other` (another part of the same corpus, counted apart), its
    /// documents after these.
    public mutating func merge(_ other: CorpusStatistics) {
        annotations += other.annotations
        for (key, count) in other.tags { tags[key, default: 0] += count }
        for (key, count) in other.documentsWith { documentsWith[key, default: 0] += count }
        for (key, count) in other.coOccurrences { coOccurrences[key, default: 0] += count }
        documents += other.documents
    }

    /// Puts ``documents`` in the order `areInIncreasingOrder` gives (the corpus's, after
    /// parts counted in parallel were merged).
    public mutating func sortDocuments(by areInIncreasingOrder: (DocumentStatistics, DocumentStatistics) -> Bool) {
        documents.sort(by: areInIncreasingOrder)
    }

    /// The pairs of categories whose co-occurrence is counted: every pair of
    /// `categories` (ids), the earlier one as rows, in order: with the default codebook
    /// `actor` × `threat`, `actor` × `cooperation-measure`, `threat` × `cooperation-measure`.
    public static func pairs(of categories: [String]) -> [(rows: String, columns: String)] {
        var pairs: [(rows: String, columns: String)] = []
        for (index, first) in categories.enumerated() {
            for second in categories[(index + 1)...] { pairs.append((first, second)) }
        }
        return pairs
    }

    /// Counts one document.
    /// - Parameters:
    ///   - name: how the output names it (its path as the corpus lists it).
    ///   - document: the text; only paragraphs holding annotations of a pair's
    ///     categories are split into sentences.
    ///   - contents: the store's contents, placed in the text (``Reanchoring/place(_:in:)``);
    ///     quarantined records are not counted, nor relations with an end among them.
    ///   - codebook: gives values their path.
    ///   - pairs: the category pairs whose co-occurrence is counted (``pairs(of:)``).
    public static func count(name: String, document: Document, contents: StoreContents, codebook: Codebook,
                             pairs: [(rows: String, columns: String)]) -> DocumentStatistics {
        let all = contents.annotations + contents.orphans
        let placedCount = contents.annotations.count
        var result = DocumentStatistics(name: name, annotations: all.count, tagsByCategory: [:], tagsByValue: [:], coOccurrences: [:])
        // Each distinct (category, qualified value) of the document gets a small number,
        // so the counting below adds to arrays and only the totals are hashed by string.
        var keyOfTag: [Tag: Int] = [:]
        var keyOfPair: [CategoryValue: Int] = [:]
        var keys: [CategoryValue] = []
        var tagCounts: [Int] = []
        // each annotation's keys, once each: annotation i's are keyList[listStart[i]..<listStart[i + 1]]
        var listStart: [Int] = [0]
        var keyList: [Int] = []
        listStart.reserveCapacity(all.count + 1)
        keyList.reserveCapacity(all.count * 2)
        for annotation in all {
            let first = keyList.count
            for tag in annotation.tags {
                let key: Int
                if let known = keyOfTag[tag] {
                    key = known
                } else {
                    let pair = CategoryValue(category: tag.category, value: codebook.qualifiedValue(of: tag))
                    if let known = keyOfPair[pair] {
                        key = known
                    } else {
                        key = keys.count
                        keys.append(pair)
                        tagCounts.append(0)
                        keyOfPair[pair] = key
                    }
                    keyOfTag[tag] = key
                }
                tagCounts[key] += 1
                if !keyList[first...].contains(key) { keyList.append(key) }
            }
            listStart.append(keyList.count)
        }
        for (key, pair) in keys.enumerated() {
            result.tagsByValue[pair] = tagCounts[key]
            result.tagsByCategory[pair.category, default: 0] += tagCounts[key]
        }
        guard !pairs.isEmpty else { return result }

        // each key's place among the pairs' categories (-1: in none), and the pairs by those places
        var categoryIndex: [String: Int] = [:]
        for pair in pairs {
            for category in [pair.rows, pair.columns] where categoryIndex[category] == nil { categoryIndex[category] = categoryIndex.count }
        }
        let categoryOfKey = keys.map { categoryIndex[$0.category] ?? -1 }
        let pairIndices = pairs.map { (rows: categoryIndex[$0.rows]!, columns: categoryIndex[$0.columns]!) }
        let keyCount = keys.count
        // cell (basis * keyCount + row) * keyCount + column, in an array unless a document
        // has so many distinct values that one would be too large
        let basisIndex: [CoOccurrenceBasis: Int] = [.sentence: 0, .annotation: 1, .relation: 2]
        let dense = keyCount <= 256
        var cells = [Int](repeating: 0, count: dense ? 3 * keyCount * keyCount : 0)
        var sparseCells: [Int: Int] = [:]

        func count(_ basis: Int, _ first: Int, _ second: Int) {
            let base = basis * keyCount
            for pair in pairIndices {
                for row in keyList[listStart[first]..<listStart[first + 1]] where categoryOfKey[row] == pair.rows {
                    let rowBase = (base + row) * keyCount
                    for column in keyList[listStart[second]..<listStart[second + 1]] where categoryOfKey[column] == pair.columns {
                        if dense { cells[rowBase + column] += 1 } else { sparseCells[rowBase + column, default: 0] += 1 }
                    }
                }
            }
        }
        // the same annotation
        for index in all.indices where listStart[index + 1] - listStart[index] > 1 { count(1, index, index) }
        // relations, either direction
        if !contents.relations.isEmpty {
            var indexByID: [String: Int] = [:]
            indexByID.reserveCapacity(all.count)
            for (index, annotation) in all.enumerated() { indexByID[annotation.id] = index }
            for relation in contents.relations {
                guard let from = indexByID[relation.from], let to = indexByID[relation.to], from != to else { continue }
                count(2, from, to)
                count(2, to, from)
            }
        }
        // the same sentence: placed annotations only
        let candidates = (0..<placedCount).filter { index in
            keyList[listStart[index]..<listStart[index + 1]].contains { categoryOfKey[$0] >= 0 }
        }
        if candidates.count > 1 {
            var sentencesOfParagraph: [Int: [Range<Int>]] = [:]
            var annotationsInSentence: [SentenceID: [Int]] = [:]
            for index in candidates {
                let annotation = all[index]
                guard annotation.end > annotation.start,
                      let first = document.paragraphIndex(atOrBefore: annotation.start),
                      let last = document.paragraphIndex(atOrBefore: annotation.end - 1) else { continue }
                for number in first...last {
                    let sentences: [Range<Int>]
                    if let known = sentencesOfParagraph[number] {
                        sentences = known
                    } else {
                        guard let paragraph = document.paragraph(number) else { continue }
                        let base = paragraph.range.lowerBound
                        sentences = SentenceSplitter.sentences(in: document.text(ofParagraph: number))
                            .map { (base + $0.lowerBound)..<(base + $0.upperBound) }
                        sentencesOfParagraph[number] = sentences
                    }
                    // sentences are in order and do not overlap: find the first that may overlap
                    var low = 0, high = sentences.count
                    while low < high {
                        let middle = (low + high) / 2
                        if sentences[middle].upperBound <= annotation.start { low = middle + 1 } else { high = middle }
                    }
                    var sentence = low
                    while sentence < sentences.count && sentences[sentence].lowerBound < annotation.end {
                        if sentences[sentence].overlaps(annotation.range) {
                            annotationsInSentence[SentenceID(paragraph: number, sentence: sentence), default: []].append(index)
                        }
                        sentence += 1
                    }
                }
            }
            var seen = Set<Int>()
            let stride = all.count
            for members in annotationsInSentence.values where members.count > 1 {
                for first in members {
                    for second in members where second != first && seen.insert(first * stride + second).inserted {
                        count(0, first, second)
                    }
                }
            }
        }
        if !dense {
            let bases = CoOccurrenceBasis.allCases.sorted { basisIndex[$0]! < basisIndex[$1]! }
            for (cell, count) in sparseCells {
                let key = CoOccurrenceKey(basis: bases[cell / (keyCount * keyCount)], row: keys[(cell / keyCount) % keyCount],
                                          column: keys[cell % keyCount])
                result.coOccurrences[key] = count
            }
            return result
        }
        for basis in CoOccurrenceBasis.allCases {
            let base = basisIndex[basis]! * keyCount
            for row in 0..<keyCount where categoryOfKey[row] >= 0 {
                let rowBase = (base + row) * keyCount
                for column in 0..<keyCount where cells[rowBase + column] > 0 {
                    result.coOccurrences[CoOccurrenceKey(basis: basis, row: keys[row], column: keys[column])] = cells[rowBase + column]
                }
            }
        }
        return result
    }

    /// A sentence of a document: its paragraph and its place in it, from 0.
    private struct SentenceID: Hashable {
        var paragraph: Int
        var sentence: Int
    }
}

/// What happened to one document of a corpus besides its counts
/// (``CorpusStatistics/count(_:codebooks:pairs:inMemory:isCancelled:)``).
public enum CountingNote: Sendable {
    /// Left out, not an error: the document has no annotation store.
    case skipped
    /// Left out: the message names the file and the problem (a damaged store or text, a
    /// codebook that cannot be used, a store of another document); the advice, when there
    /// is some, says how to put it right (``LoadedDocument/line(_:advice:outcome:)``).
    case failed(String, advice: String? = nil)
    /// Counted; the lines say what was counted without offsets or left out of it
    /// (orphans, invalid records), each naming the store.
    case notes([String])
}

extension CorpusStatistics {
    /// The categories of `codebooks` (one per document, in corpus order), each id once,
    /// in the order they are first met: the order of the co-occurrence pairs
    /// (``pairs(of:)``) and of every table. A codebook that could not be read adds none.
    public static func categories(of codebooks: [Result<Codebook, Error>]) -> [Category] {
        var categories: [Category] = []
        var known = Set<String>()
        for case .success(let codebook) in codebooks {
            for category in codebook.categories where known.insert(category.id).inserted { categories.append(category) }
        }
        return categories
    }

    /// Counts `documents` on every core, as `gloss stats` does: each worker takes the
    /// next document, reads it (``CorpusEntry/load(_:codebook:checkExport:forCounting:opening:)``)
    /// and counts it (``count(name:document:contents:codebook:pairs:)``) into statistics
    /// of its own; those are merged at the end and the documents put back in corpus order.
    /// - Parameters:
    ///   - documents: the corpus, in its order.
    ///   - codebooks: each document's codebook (same indices), or why it has none.
    ///   - pairs: the category pairs whose co-occurrence is counted (``pairs(of:)``).
    ///   - inMemory: documents, by index, counted from what the caller holds instead of
    ///     their files: the reader's open document with its unsaved changes. Their
    ///     contents are placed in their text as a store read from disk is.
    ///   - opening: how each document's text is read (``CorpusEntry/load(_:codebook:checkExport:forCounting:opening:)``).
    ///   - isCancelled: asked before each document; once true, no more are read (the
    ///     statistics returned are then partial).
    ///   - finished: called, on the worker's thread, with how many documents are done
    ///     and the index of the one just done (a progress bar's figures).
    /// - Returns: the statistics, and the notes of the documents that have one, in
    ///   corpus order.
    public static func count(_ documents: [CorpusDocument], codebooks: [Result<Codebook, Error>], pairs: [(rows: String, columns: String)],
                             inMemory: [Int: CorpusEntry] = [:], opening: @escaping DocumentOpening = CorpusEntry.plainText,
                             isCancelled: @escaping @Sendable () -> Bool = { false },
                             finished: @escaping @Sendable (_ done: Int, _ index: Int) -> Void = { _, _ in }) -> (statistics: CorpusStatistics, notes: [CountingNote]) {
        final class Shared: @unchecked Sendable {
            let lock = NSLock()
            var next = 0
            var done = 0
            var parts: [CorpusStatistics] = []
            var notes: [Int: CountingNote] = [:]
        }
        let shared = Shared()
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, documents.count))
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            var part = CorpusStatistics()
            var notes: [Int: CountingNote] = [:]
            while !isCancelled() {
                shared.lock.lock()
                let index = shared.next
                shared.next += 1
                shared.lock.unlock()
                guard index < documents.count else { break }
                defer {
                    shared.lock.lock()
                    shared.done += 1
                    let done = shared.done
                    shared.lock.unlock()
                    finished(done, index)
                }
                if let entry = inMemory[index] {
                    let placed = Reanchoring.place(entry.contents, in: entry.document).contents
                    part.add(count(name: entry.name, document: entry.document, contents: placed, codebook: entry.codebook, pairs: pairs))
                    continue
                }
                let codebook: Codebook
                switch codebooks[index] {
                case .success(let found): codebook = found
                case .failure(let error):
                    notes[index] = .failed("gloss: \(error)")
                    continue
                }
                switch CorpusEntry.load(documents[index], codebook: codebook, checkExport: false, forCounting: true, opening: opening) {
                case .loaded(let entry, let lines):
                    part.add(count(name: entry.name, document: entry.document, contents: entry.contents, codebook: entry.codebook, pairs: pairs))
                    if !lines.isEmpty { notes[index] = .notes(lines) }
                case .skipped:
                    notes[index] = .skipped
                case .failed(let message, let advice):
                    notes[index] = .failed(message, advice: advice)
                }
            }
            shared.lock.lock()
            shared.parts.append(part)
            shared.notes.merge(notes) { first, _ in first }
            shared.lock.unlock()
        }
        var statistics = CorpusStatistics()
        for part in shared.parts { statistics.merge(part) }
        var position: [String: Int] = [:]
        for (index, document) in documents.enumerated() { position[document.path] = index }
        statistics.sortDocuments { (position[$0.name] ?? 0) < (position[$1.name] ?? 0) }
        return (statistics, shared.notes.sorted { $0.key < $1.key }.map(\.value))
    }
}
