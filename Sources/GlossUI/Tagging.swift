import Foundation
import GlossCore

/// Tagging, notes, deleting, undo, and the prompts that ask for them.
extension AppState {
    mutating func openTagPrompt(category id: String) {
        guard let category = codebook.category(id: id) else { return }
        // the annotation `m` and `x` would act on gets the tag, unless the user is on a
        // plain sentence or making a selection
        var target: Annotation?
        let range: Range<Int>?
        if mode == .detail, let annotation = detailAnnotation {
            target = annotation
            range = annotation.range
        } else if mode == .list {
            if listIndex < listEntryCount, case .annotation(let annotation) = listEntry(listIndex) { target = annotation }
            range = target?.range
        } else if mode == .selecting, selection?.range.isEmpty == true {
            message = "The selection is empty: widen it with l or w"
            return
        } else if mode == .reading, annotationTargeted, let id = currentAnnotationID, let annotation = annotation(id: id) {
            target = annotation
            range = annotation.range
        } else {
            range = targetRange
        }
        guard let range, !range.isEmpty else {
            message = mode == .list ? "Only an annotation can be tagged here" : "Nothing to tag"
            return
        }
        guard !Document.isProvisional(range.lowerBound) else {
            // read ahead of the index: its code points are not known yet
            message = AppState.provisionalNotice
            messageIsError = true
            return
        }
        let (choices, aliases) = valueChoices(for: category)
        underlyingMode = mode
        let label = target.map { "\(category.label) (adding to \(summary(of: $0))): " } ?? "\(category.label): "
        prompt = Prompt(purpose: .tagValue(category: id, range: range, annotationID: target?.id), label: label,
                        text: "", cursor: 0, choices: choices, aliases: aliases, completionIndex: nil, typed: "")
        mode = .prompt
    }

    /// The values a prompt for `category` completes to: the codebook's (with their aliases),
    /// those used in this document, then those used in the folder's other stores, in that
    /// order, each once.
    func valueChoices(for category: GlossCore.Category) -> (choices: [String], aliases: [String: [String]]) {
        let id = category.id
        var choices: [String] = []
        var aliases: [String: [String]] = [:]
        var seen = Set<String>()
        for value in category.allValues {
            aliases[value.value, default: []] += value.aliases
            if seen.insert(value.value).inserted { choices.append(value.value) }
        }
        for value in usedValues(category: id) + (folderValues[id] ?? []) where seen.insert(value).inserted {
            choices.append(value)
        }
        return (choices, aliases)
    }

    /// The annotation `m` and `x` act on: the list's entry in the list, else the current one.
    var actionableAnnotationID: String? {
        if mode == .list, listIndex < listEntryCount {
            if case .annotation(let annotation) = listEntry(listIndex) { return annotation.id }
            return nil
        }
        return currentAnnotationID
    }

    mutating func deleteCurrentAnnotation() -> [Effect] {
        if mode == .list, listIndex < listEntryCount {
            switch listEntry(listIndex) {
            case .annotation: break
            case .orphan(let orphan):
                message = "Deleted orphaned \(summary(of: orphan)) (u undoes)"
                let effects = record(Change(description: "delete orphaned annotation", removed: [], inserted: [], removedOrphans: [orphan],
                                            removedRelations: contents.relations(touching: orphan.id)))
                if listEntryCount == 0 { mode = .reading }
                return effects
            case .invalid(let invalid):
                message = "Deleted invalid record \(invalid.position) of \"\(invalid.list)\" (u undoes)"
                let touching = invalid.list == "relations" ? [] : invalid.id.map(contents.relations(touching:)) ?? []
                let effects = record(Change(description: "delete invalid record", removed: [], inserted: [], removedRecords: [invalid],
                                            removedRelations: touching))
                if listEntryCount == 0 { mode = .reading }
                return effects
            }
        }
        guard let id = actionableAnnotationID, let annotation = annotation(id: id) else {
            message = "No annotation here to delete"
            return []
        }
        // the relations that touch it go in the same step, and come back with it on undo
        let relations = contents.relations(touching: id)
        let effects = record(Change(description: "delete annotation", removed: [annotation], inserted: [], removedRelations: relations))
        currentAnnotationID = nil
        if mode == .list && listEntryCount == 0 { mode = .reading }
        updateCurrentAnnotation()
        let also = relations.isEmpty ? "" : " and its \(relations.count == 1 ? "relation" : "\(relations.count) relations")"
        message = "Deleted \(summary(of: annotation))\(also) (u undoes)"
        return effects
    }

    mutating func undoOrRedo(undo: Bool) -> [Effect] {
        guard let change = undo ? undoStack.popLast() : redoStack.popLast() else {
            message = undo ? "Nothing to undo" : "Nothing to redo"
            return []
        }
        // a step that takes an annotation away takes the relations that touch it too (a
        // merge may have dropped the step that made them), and the reverse step brings
        // them back with it
        var step = undo ? change.inverse : change
        let gone = Set(step.removed.annotations.map(\.id)).subtracting(step.inserted.annotations.map(\.id))
        let removedRelationIDs = Set(step.removed.relations.map(\.id))
        step.removed.relations += contents.relations.filter { relation in
            (gone.contains(relation.from) || gone.contains(relation.to)) && !removedRelationIDs.contains(relation.id)
        }
        apply(step)
        if undo { redoStack.append(step.inverse) } else { undoStack.append(step) }
        if mode == .list && listEntryCount == 0 { mode = .reading }
        let touched = (undo ? change.removed : change.inserted).annotations.first
        if let touched, let restored = annotation(id: touched.id) {
            show(restored)
        } else {
            updateCurrentAnnotation()
        }
        message = (undo ? "Undid " : "Redid ") + change.description
        if change.codebook != nil, mode == .codebook { clampCodebookCursor() }
        return effects(of: change)
    }

    func summary(of annotation: Annotation) -> String {
        let tags = annotation.tags.map { $0.value.isEmpty ? $0.category : "\($0.category): \($0.value)" }
        return tags.isEmpty ? "annotation" : tags.joined(separator: ", ")
    }

    /// Asks where to write the annotations: the store cannot be written (`problem`) and
    /// the user is quitting. The answer starts as `suggestion`; Enter gives
    /// ``Effect/saveElsewhere(_:)``, an empty answer asks whether to quit without saving,
    /// Esc goes back to reading.
    public mutating func askWhereToSave(suggestion: String, problem: String) {
        underlyingMode = mode == .prompt ? underlyingMode : mode
        prompt = Prompt(purpose: .saveElsewhere, label: "Not saved (\(problem)). Save to: ", text: suggestion,
                        cursor: suggestion.count, choices: [], aliases: [:], completionIndex: nil, typed: suggestion)
        mode = .prompt
    }

    /// Asks `question` on the bottom line; `y` answers yes, any other key no.
    public mutating func ask(_ confirmation: Confirmation, question: String) {
        underlyingMode = mode == .prompt ? underlyingMode : mode
        prompt = Prompt(purpose: .confirm(confirmation), label: question + " (y/n) ", text: "", cursor: 0,
                        choices: [], aliases: [:], completionIndex: nil, typed: "")
        mode = .prompt
    }

    mutating func answer(_ confirmation: Confirmation, yes: Bool) -> [Effect] {
        prompt = nil
        mode = underlyingMode
        switch (confirmation, yes) {
        case (.restoreBackup, true): return [.restoreBackup]
        case (.restoreBackup, false): return [.keepBackupAside]
        case (.quitWithoutSaving, true): return [.quitWithoutSaving]
        case (.discardChanges, true): return [.discardChanges]
        case (.quitWithoutSaving, false), (.discardChanges, false):
            message = "Not quit: the changes are still only in memory (q tries again)"
            return []
        case (.tagOccurrences(let tags, let ranges), true):
            return tagAll(ranges, with: tags)
        case (.tagOccurrences, false):
            message = "Nothing tagged"
            return []
        }
    }

    /// Finds every other occurrence of the current annotation's quote in the text
    /// (case-insensitively, canonically equivalent text equal, whole grapheme clusters
    /// and whole words only), says how many, and asks whether to give them all its tags.
    mutating func findOccurrences() {
        guard let id = actionableAnnotationID, let source = annotation(id: id) else {
            message = "No annotation here: tag a span first, then * finds its other occurrences"
            return
        }
        guard !source.tags.isEmpty else {
            message = "The annotation here has no tag to give the others"
            return
        }
        var ranges: [Range<Int>] = []
        for index in 0..<document.paragraphCount {
            for range in AppState.matchRanges(of: source.quote, inParagraph: index, of: document) where range != source.range {
                // the same tags already there need nothing
                let existing = annotations.first { $0.range == range }
                if let existing, source.tags.allSatisfy(existing.tags.contains) { continue }
                if isClusterAligned(range) && isWordBounded(range) { ranges.append(range) }
            }
        }
        guard !ranges.isEmpty else {
            message = "No other occurrence of “\(Renderer.truncate(source.quote, to: 40))” lacks these tags"
            return
        }
        // tagging thousands at once is rarely meant and would hold the reader for long
        guard ranges.count <= AppState.occurrenceLimit else {
            message = "\(ranges.count) other occurrences of “\(Renderer.truncate(source.quote, to: 30))”: more than \(AppState.occurrenceLimit); tag a longer quote"
            messageIsError = true
            return
        }
        ask(.tagOccurrences(tags: source.tags, ranges: ranges),
            question: "Tag \(ranges.count) other occurrence\(ranges.count == 1 ? "" : "s") of “\(Renderer.truncate(source.quote, to: 30))” as \(labelledSummary(of: source))?")
    }

    /// `range` widened to the grapheme clusters of its paragraph it touches.
    func clusterAligned(_ range: Range<Int>) -> Range<Int> {
        guard let paragraph = document.paragraphIndex(atOrBefore: range.lowerBound) else { return range }
        let lower = cache.boundaries(near: range.lowerBound, in: paragraph).last { $0 <= range.lowerBound } ?? range.lowerBound
        let upper = cache.boundaries(near: range.upperBound, in: paragraph).first { $0 >= range.upperBound } ?? range.upperBound
        return lower..<upper
    }

    /// Most occurrences `*` tags at once.
    static let occurrenceLimit = 1_000

    /// The tags of `annotation` by category label: `Actor: ISIL, Threat: incitement`.
    func labelledSummary(of annotation: Annotation) -> String {
        let tags = annotation.tags.map { tag in
            let label = codebook.category(id: tag.category)?.label ?? tag.category
            return tag.value.isEmpty ? label : "\(label): \(tag.value)"
        }
        return tags.isEmpty ? "annotation" : tags.joined(separator: ", ")
    }

    /// True when `range` neither starts nor ends inside a word: where the text at an end
    /// of the range is a letter or digit, the code point beyond that end is not one, so
    /// that `South Korea` is not found inside `South Korean` (vim's `*` matches whole
    /// words alike). Ranges are code points.
    func isWordBounded(_ range: Range<Int>) -> Bool {
        func isWordScalar(_ offset: Int) -> Bool {
            guard offset >= 0 && offset < document.length,
                  let scalar = document.text(in: offset..<(offset + 1)).unicodeScalars.first else { return false }
            return scalar.properties.isAlphabetic || scalar.properties.numericType != nil
        }
        guard !range.isEmpty else { return false }
        if isWordScalar(range.lowerBound) && isWordScalar(range.lowerBound - 1) { return false }
        if isWordScalar(range.upperBound - 1) && isWordScalar(range.upperBound) { return false }
        return true
    }

    /// True when `range` starts and ends between grapheme clusters of its paragraph.
    func isClusterAligned(_ range: Range<Int>) -> Bool {
        guard let paragraph = document.paragraphIndex(atOrBefore: range.lowerBound) else { return false }
        return cache.boundaries(near: range.lowerBound, in: paragraph).contains(range.lowerBound)
            && cache.boundaries(near: range.upperBound, in: paragraph).contains(range.upperBound)
    }

    /// Gives each of `ranges` the `tags`, adding them to an annotation already on exactly
    /// that range, else creating one: one change, one undo step.
    mutating func tagAll(_ ranges: [Range<Int>], with tags: [Tag]) -> [Effect] {
        let stamp = Annotation.timestamp(now())
        var removed: [Annotation] = []
        var inserted: [Annotation] = []
        for range in ranges {
            if let existing = annotations.first(where: { $0.range == range }) {
                var changed = existing
                changed.tags += tags.filter { !existing.tags.contains($0) }
                changed.modified = stamp
                removed.append(existing)
                inserted.append(changed)
            } else {
                inserted.append(Annotation(document: document, range: range, tags: tags, author: author, date: now()))
            }
        }
        let noun = ranges.count == 1 ? "occurrence" : "occurrences"
        message = "Tagged \(ranges.count) \(noun) (u undoes)"
        return record(Change(description: "tags on \(ranges.count) \(noun)", removed: removed, inserted: inserted))
    }

    mutating func editPrompt(_ key: Key) -> [Effect] {
        guard var prompt else { return [] }
        if case .confirm(let confirmation) = prompt.purpose {
            return answer(confirmation, yes: key == .character("y") || key == .character("Y"))
        }
        var characters = Array(prompt.text)
        var edited = true
        switch key {
        case .escape, .control("c"), .control("g"):
            self.prompt = nil
            mode = underlyingMode
            message = "Cancelled"
            return []
        case .enter, .control("j"):
            self.prompt = nil
            mode = underlyingMode
            // Enter takes the highlighted completion; Ctrl-J keeps exactly what was typed
            // (Emacs ido's C-j)
            if key == .enter, prompt.purpose.asksForValue, let index = prompt.highlightedMatch {
                var accepted = prompt
                accepted.text = prompt.matches[index]
                return finish(accepted)
            }
            return finish(prompt, verbatim: key == .control("j"))
        case .tab, .backTab:
            guard prompt.cycleCompletion(forward: key == .tab) else { return [] }
            self.prompt = prompt
            return []
        case .up, .down:
            guard prompt.purpose == .command else { return [] }
            recallCommand(in: &prompt, older: key == .up)
            self.prompt = prompt
            return []
        default:
            var cursor = prompt.cursor
            edited = LineEditing.apply(key, to: &characters, cursor: &cursor) == .edited
            prompt.cursor = cursor
        }
        prompt.setText(characters, cursor: prompt.cursor)
        if edited {
            prompt.typed = prompt.text
            prompt.completionIndex = nil
            if prompt.purpose == .command { updateCommandCompletion(&prompt) }
        }
        self.prompt = prompt
        return []
    }

    /// Carries out what `prompt` asked for with its answer. A tag value typed in another
    /// letter case than a codebook value or alias is stored as the codebook spells it,
    /// unless `verbatim` (Ctrl-J) asks for exactly what was typed.
    mutating func finish(_ prompt: Prompt, verbatim: Bool = false) -> [Effect] {
        let stamp = Annotation.timestamp(now())
        switch prompt.purpose {
        case .tagValue, .retagValue, .retagCategory, .renameValue, .relationType, .codebookValue, .categoryLabel, .categoryKey, .categoryColor:
            // the reader may have become read-only while the prompt was open
            if readOnly {
                selection = nil
                if mode == .selecting { mode = .reading }
                message = "Read-only: " + readOnlyReason + "; nothing was changed"
                messageIsError = true
                return []
            }
        default: break
        }
        switch prompt.purpose {
        case .tagValue(let category, let range, let annotationID):
            let value = prompt.valueAnswer(verbatim: verbatim)
            let tag = Tag(category: category, value: value)
            selection = nil
            if mode == .selecting { mode = .reading }
            let effects: [Effect]
            let existing = annotationID.flatMap { id in annotation(id: id) } ?? annotations.first { $0.range == range }
            if let existing {
                guard !existing.tags.contains(tag) else {
                    message = "Already tagged \(summary(of: Annotation(document: document, range: range, tags: [tag])))"
                    return []
                }
                var changed = existing
                changed.tags.append(tag)
                changed.modified = stamp
                effects = record(Change(description: "tag", removed: [existing], inserted: [changed]))
                show(changed)
            } else {
                let annotation = Annotation(document: document, range: range, tags: [tag], author: author, date: now())
                effects = record(Change(description: "create annotation", removed: [], inserted: [annotation]))
                show(annotation)
            }
            let label = codebook.category(id: category)?.label ?? category
            message = "Tagged \(value.isEmpty ? label : "\(label): \(value)")"
            return effects
        case .filter:
            applyFilter(prompt.text)
            return []
        case .relationType(let from, let to):
            return link(from: from, to: to, typed: prompt.text, choices: prompt.choices)
        case .retagValue(let id, let index, let category):
            // an answer left as it was keeps the value as it was, in whatever spelling
            let unchanged = annotation(id: id).map { index < $0.tags.count && $0.tags[index].value == prompt.text } ?? false
            let value = unchanged ? prompt.text : prompt.valueAnswer(verbatim: verbatim)
            return retag(id, at: index, as: Tag(category: category, value: value), description: "change value")
        case .renameValue(let category, let old):
            let value = prompt.valueAnswer(verbatim: verbatim)
            return renameValue(category: category, from: old, to: value)
        case .retagCategory(let id, let index):
            let typed = prompt.text.trimmingCharacters(in: .whitespaces)
            guard let category = codebook.categories.first(where: {
                $0.id.caseInsensitiveCompare(typed) == .orderedSame || $0.label.caseInsensitiveCompare(typed) == .orderedSame
            }) else {
                message = "No category \(typed) in the codebook"
                messageIsError = true
                return []
            }
            guard let old = annotation(id: id), index < old.tags.count else { return [] }
            return retag(id, at: index, as: Tag(category: category.id, value: old.tags[index].value), description: "change category")
        case .search:
            guard !prompt.text.isEmpty else { return [] }
            searchText = prompt.text
            search(for: prompt.text, forward: true)
            return []
        case .saveElsewhere:
            let path = prompt.text.trimmingCharacters(in: .whitespaces)
            guard !path.isEmpty else {
                ask(.quitWithoutSaving, question: "Quit without saving them here? (they go to a rescue file in the temporary folder)")
                return []
            }
            return [.saveElsewhere(path)]
        case .confirm(let confirmation):
            return answer(confirmation, yes: true)
        case .command:
            return runCommandLine(prompt.text)
        case .codebookValue, .categoryLabel, .categoryKey, .categoryColor:
            return finishCodebookPrompt(prompt)
        }
    }
}
