import ArgumentParser
import Foundation
import GlossCore
import GlossImport

/// The formats `gloss export --format` takes: those written as one stream
/// (``ExportFormat``), `brat`, brat standoff files written as a folder
/// (``BratExporter``), and `qdpx`, a REFI-QDA project archive (``QDPXExporter``).
enum ExportOutputFormat: String, CaseIterable, ExpressibleByArgument {
    case w3c, csv, markdown, html, brat, qdpx, labelstudio, jsonl

    /// The stream format, nil for `brat` and `qdpx`.
    var streamFormat: ExportFormat? { ExportFormat(rawValue: rawValue) }

    /// ``ExportFormat/export(document:contents:codebook:)`` of the stream format.
    /// - Throws: as that does; `ValidationError` for `brat` and `qdpx`, which are no streams.
    func export(document: Document, contents: StoreContents, codebook: Codebook, sourceURL: String? = nil) throws -> String {
        try stream().export(document: document, contents: contents, codebook: codebook, sourceURL: sourceURL)
    }

    /// ``ExportFormat/export(corpus:label:)`` of the stream format.
    /// - Throws: as that does; `ValidationError` for `brat` and `qdpx`, which are no streams.
    func export(corpus entries: [CorpusEntry], label: String) throws -> String {
        try stream().export(corpus: entries, label: label)
    }

    private func stream() throws -> ExportFormat {
        guard let streamFormat else { throw ValidationError("--format \(rawValue) writes files given with -o, not one output") }
        return streamFormat
    }
}

extension Export {
    /// The documents a folder-writing export (brat, qdpx) takes: the one file given, or the
    /// corpus the arguments name, with what could not be listed or opened named on standard
    /// error and counted in `failed`.
    /// - Throws: `ExitCode.failure` when `--store` is given with a corpus or the arguments
    ///   cannot be listed.
    func folderExportDocuments() throws -> (single: Bool, documents: [String], failed: Int) {
        var isFolder: ObjCBool = false
        let single = files.count == 1 && !(FileManager.default.fileExists(atPath: files[0], isDirectory: &isFolder) && isFolder.boolValue)
        if single { return (true, files, 0) }
        let corpus = try argumentCorpus()
        corpus.unreadableFolders.forEach { printError("gloss: \($0); its documents skipped") }
        corpus.unopenableFiles.forEach { printError("gloss: \($0); not exported") }
        return (false, corpus.documents.map(\.path), corpus.unreadableFolders.count + corpus.unopenableFiles.count)
    }

    /// `gloss export DOCUMENT|DIR... --format brat -o FOLDER`: brat standoff files, a
    /// `.txt` and an `.ann` per document store and an `annotation.conf` (``BratExporter``).
    ///
    /// The stores exported: `--store`, or with `--coder` that coder's stores, written at
    /// the top of the folder. Otherwise each document's `FILE.gloss.json` and every
    /// coder's `FILE.gloss.NAME.json` beside it: when there are coders' stores, each
    /// coder's go to a folder named for the coder (the layout bratiaa reads), and
    /// `FILE.gloss.json` stores to the top. A single document without any store exports
    /// with no annotations; in a corpus such a document is skipped with a note. A store
    /// or text that cannot be read is named and skipped, and the command ends with status
    /// 1 after writing the rest. Nothing is written when nothing could be exported or the
    /// folder cannot take the export (see ``BratExporter/write(_:to:)``).
    func exportBrat() throws {
        guard let output, !output.isEmpty else {
            throw ValidationError("--format brat writes a folder: give it with -o FOLDER")
        }
        var (single, documents, failed) = try folderExportDocuments()
        // records left out of stores that were exported: the export is incomplete (status 1)
        var invalidRecords = 0

        // the stores to export: (document, its brat name, coder folder, store path)
        var sources: [(document: String, name: String, coder: String?, store: String?)] = []
        var coderListings = CoderStoreListing()
        for (document, name) in zip(documents, BratExporter.names(forDocuments: documents)) {
            if let store = options.store {
                guard FileManager.default.fileExists(atPath: store) else {
                    printError("gloss: \(store): \(AnnotationStore.missingStoreProblem(store))")
                    throw ExitCode.failure
                }
                sources.append((document, name, nil, store))
            } else if let coder = options.coder {
                let store = try CoderName.storePath(forDocument: document, coder: coder)
                if storeOrItsBackup(store) {
                    sources.append((document, name, nil, store))
                } else if single {
                    printError("gloss: \(store): \(AnnotationStore.missingStoreProblem(store))")
                    throw ExitCode.failure
                } else {
                    printError("gloss: \(document): no annotation store of \(coder) (\(store)); skipped")
                }
            } else {
                let store = AnnotationStore.defaultPath(forDocument: document)
                let coders = coderListings.coders(of: document)
                // a missing store whose backup holds annotations is loaded, to be refused naming the backup
                let present = storeOrItsBackup(store)
                if present { sources.append((document, name, nil, store)) }
                for coder in coders { sources.append((document, name, coder, try CoderName.storePath(forDocument: document, coder: coder))) }
                if !present && coders.isEmpty {
                    if single {
                        sources.append((document, name, nil, nil))
                    } else {
                        printError("gloss: \(document): no annotation store (\(store)); skipped")
                    }
                }
            }
        }
        let byCoder = sources.contains { $0.coder != nil }

        let codebooks = CodebookCache(options: options)
        try codebooks.checkGivenCodebook(documentCount: sources.count)
        var opened: [String: Document] = [:]
        var folders: [BratExporter.Folder] = [BratExporter.Folder(coder: nil, items: [])]
        let progress = ProgressBar.start("exporting", total: sources.count)
        defer { progress?.finish() }
        for (index, source) in sources.enumerated() {
            progress?.update(done: index, current: source.store ?? source.document)
            do {
                let document: Document
                if let known = opened[source.document] {
                    document = known
                } else {
                    document = try corpusOpening(encoding: encoding.encoding)(source.document).document
                    opened[source.document] = document
                }
                let contents = try source.store.map { try AnnotationStore(path: $0).load() ?? StoreContents() } ?? StoreContents()
                let placement = Reanchoring.place(contents, in: document)
                let placed = placement.contents
                let label = source.store ?? source.document
                if let recorded = contents.document,
                   recorded.belongsToAnotherDocument(than: document, total: contents.annotations.count + contents.orphans.count,
                                                     unplaced: placement.orphaned) {
                    // as the reader refuses it: another document's annotations, not orphans of this one
                    var relink = options
                    relink.coder = source.coder ?? options.coder
                    printError(LoadedDocument.line("gloss: \(label) belongs to \(recorded.path), not \(source.document)",
                                                   advice: "open it with \(relink.relinkCommand(for: source.document)) to take it", outcome: "not exported"))
                    failed += 1
                    continue
                }
                if !placed.quarantined.isEmpty {
                    printError("gloss: \(label): \(placed.quarantined.count) invalid record(s) not exported; open the document in gloss to see them")
                    invalidRecords += placed.quarantined.count
                }
                let codebook = try codebooks.codebook(forDocument: source.document)
                do {
                    try CorpusEntry(name: source.document, document: document, contents: placed, codebook: codebook).check()
                } catch {
                    throw StoreError(path: label, problem: "does not fit \(source.document): \(error)")
                }
                let item = BratExporter.Item(name: source.name, label: label, document: document, contents: placed, codebook: codebook)
                let coder = byCoder ? source.coder : nil
                if let index = folders.firstIndex(where: { $0.coder == coder }) {
                    folders[index].items.append(item)
                } else {
                    folders.append(BratExporter.Folder(coder: coder, items: [item]))
                }
            } catch {
                printError("gloss: \(error); skipped")
                failed += 1
            }
        }
        folders = [folders[0]] + folders.dropFirst().sorted { ($0.coder ?? "") < ($1.coder ?? "") }
        guard folders.contains(where: { !$0.items.isEmpty }) else {
            printError("gloss: nothing to export; \(output) not written")
            throw ExitCode.failure
        }
        progress?.finish()
        do {
            let export = try BratExporter.export(folders)
            export.notes.forEach { printError("gloss: " + $0) }
            try BratExporter.write(export, to: output)
        } catch {
            printError("gloss: \(error)")
            throw ExitCode.failure
        }
        if failed > 0 {
            printError("gloss: \(failed) store(s) or folder(s) not exported because of the errors above; the rest were")
            throw ExitCode.failure
        }
        if invalidRecords > 0 { throw ExitCode.failure }
    }
}

/// The coders whose stores lie beside documents (`FILE.gloss.NAME.json`), each folder
/// listed once.
struct CoderStoreListing {
    private var folders: [String: [String]] = [:]

    /// The coders with a store of the document at `path`, sorted by name.
    mutating func coders(of path: String) -> [String] {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent().path
        if folders[folder] == nil {
            folders[folder] = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        }
        let prefix = url.lastPathComponent + ".gloss."
        return folders[folder, default: []].compactMap { name -> String? in
            guard name.hasPrefix(prefix), name.hasSuffix(".json"), name.count > prefix.count + ".json".count else { return nil }
            let coder = String(name.dropFirst(prefix.count).dropLast(".json".count))
            return (try? CoderName.validate(coder)) == nil ? nil : coder
        }.sorted()
    }
}
