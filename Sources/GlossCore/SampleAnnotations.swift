import Foundation

/// Annotations made up for measuring and testing at scale: the stores of `gloss-benchmark`
/// and the tests that check the store codec on them.
public enum SampleAnnotations {
    /// `count` annotations spread evenly over `document`: each is the first sentence that
    /// starts at or after its share of the text (offsets in code points), tagged in turn
    /// with each codebook category and value; every seventh has a second tag and every
    /// fifth a note. Ids (`B0000000-0000-4000-8000-` and the index) and dates
    /// (2026-11-29T19:00:00Z) are fixed, so two runs make the same annotations. Fewer than
    /// `count` when the text runs out of sentences.
    public static func spread(count: Int, in document: Document, codebook: Codebook) -> [Annotation] {
        var annotations: [Annotation] = []
        annotations.reserveCapacity(count)
        let date = Date(timeIntervalSince1970: 1_795_978_800)  // 2026-11-29T19:00:00Z
        var earliest = 0
        for index in 0..<count {
            let target = max(earliest, Int(Int64(index) * Int64(document.length) / Int64(count)))
            guard var paragraph = document.paragraphIndex(atOrAfter: target) else { break }
            var range: Range<Int>?
            while range == nil && paragraph < document.paragraphCount {
                let start = document.paragraph(paragraph)!.range.lowerBound
                range = SentenceSplitter.sentences(in: document.text(ofParagraph: paragraph))
                    .map { ($0.lowerBound + start)..<($0.upperBound + start) }
                    .first { $0.lowerBound >= target && !$0.isEmpty }
                paragraph += 1
            }
            guard let range else { break }
            earliest = range.upperBound
            var tags = [tag(index, codebook: codebook)]
            if index % 7 == 0 { tags.append(tag(index + 1, codebook: codebook)) }
            let note = index % 5 == 0 ? "Benchmark note \(index): check against the second source." : ""
            let id = String(format: "B0000000-0000-4000-8000-%012d", index)
            annotations.append(Annotation(document: document, range: range, tags: tags, note: note,
                                          author: "benchmark", date: date, id: id))
        }
        return annotations
    }

    /// The `index`th tag of the rotation: category `index` modulo the categories' count,
    /// with one of its values in turn; `tag` with no value when the codebook has none.
    private static func tag(_ index: Int, codebook: Codebook) -> Tag {
        guard !codebook.categories.isEmpty else { return Tag(category: "tag", value: "") }
        let category = codebook.categories[index % codebook.categories.count]
        let values = category.allValues
        return Tag(category: category.id, value: values.isEmpty ? "" : values[(index / 3) % values.count].value)
    }
}
