import ArgumentParser
import Foundation
import GlossCore
import GlossImport

extension Export {
    /// `gloss export DOCUMENT|DIR... --format qdpx -o OUT.qdpx`: a REFI-QDA project
    /// (``QDPXExporter``) with a text source per document and a selection per annotation.
    ///
    /// The stores exported: `--store`, or with `--coder` that coder's stores. Otherwise
    /// each document's `FILE.gloss.json` and every coder's `FILE.gloss.NAME.json` beside
    /// it, all as selections of the document's one text source, each credited to its
    /// author (a user of the project). A single document without any store exports with
    /// no selections; in a corpus such a document is skipped with a note. A store or text
    /// that cannot be read is named and skipped, and the command ends with status 1 after
    /// writing the rest. Nothing is written when nothing could be exported, or `-o` names
    /// a document or an annotation store; the archive replaces an existing file atomically.
    func exportQDPX() throws {
        guard let output, !output.isEmpty else {
            throw ValidationError("--format qdpx writes a .qdpx archive: give it with -o OUT.qdpx")
        }
        var (single, documents, failed) = try folderExportDocuments()
        // records left out of stores that were exported: the export is incomplete (status 1)
        var invalidRecords = 0

        // each document's stores: (path, coder)
        var coderListings = CoderStoreListing()
        var storesOf: [[(path: String, coder: String?)]] = []
        for document in documents {
            var stores: [(path: String, coder: String?)] = []
            if let store = options.store {
                guard FileManager.default.fileExists(atPath: store) else {
                    printError("gloss: \(store): \(AnnotationStore.missingStoreProblem(store))")
                    throw ExitCode.failure
                }
                stores.append((store, nil))
            } else if let coder = options.coder {
                let store = try CoderName.storePath(forDocument: document, coder: coder)
                if storeOrItsBackup(store) {
                    stores.append((store, coder))
                } else if single {
                    printError("gloss: \(store): \(AnnotationStore.missingStoreProblem(store))")
                    throw ExitCode.failure
                } else {
                    printError("gloss: \(document): no annotation store of \(coder) (\(store)); skipped")
                }
            } else {
                let store = AnnotationStore.defaultPath(forDocument: document)
                if storeOrItsBackup(store) { stores.append((store, nil)) }
                for coder in coderListings.coders(of: document) { stores.append((try CoderName.storePath(forDocument: document, coder: coder), coder)) }
                if stores.isEmpty && !single { printError("gloss: \(document): no annotation store (\(store)); skipped") }
            }
            storesOf.append(stores)
        }

        // an export never replaces what it was made from
        try refuseProtectedOutput(output)
        let target = outputTarget(output)
        for input in documents + storesOf.joined().map(\.path) where outputTarget(input) == target {
            printError("gloss: \(output) is \(input), which the export reads; choose another output file")
            throw ExitCode.failure
        }

        let codebooks = CodebookCache(options: options)
        try codebooks.checkGivenCodebook(documentCount: documents.count)
        let names = QDPXExporter.names(forDocuments: documents)
        var sources: [QDPXExporter.Source] = []
        let progress = ProgressBar.start("exporting", total: documents.count)
        defer { progress?.finish() }
        for (index, path) in documents.enumerated() where single || !storesOf[index].isEmpty {
            progress?.update(done: index, current: path)
            do {
                let document = try corpusOpening(encoding: encoding.encoding)(path).document
                try document.checkWholeText()
                let codebook = try codebooks.codebook(forDocument: path)
                var stores: [QDPXExporter.Store] = []
                for (store, coder) in storesOf[index] {
                    do {
                        let placed = Reanchoring.place(try AnnotationStore(path: store).load() ?? StoreContents(), in: document).contents
                        if !placed.quarantined.isEmpty {
                            printError("gloss: \(store): \(placed.quarantined.count) invalid record(s) not exported; open the document in gloss to see them")
                            invalidRecords += placed.quarantined.count
                        }
                        do {
                            try CorpusEntry(name: path, document: document, contents: placed, codebook: codebook).check()
                        } catch {
                            throw StoreError(path: store, problem: "does not fit \(path): \(error)")
                        }
                        stores.append(QDPXExporter.Store(label: store, coder: coder, contents: placed))
                    } catch {
                        printError("gloss: \(error); skipped")
                        failed += 1
                    }
                }
                if !stores.isEmpty || single {
                    sources.append(QDPXExporter.Source(name: names[index], document: document, codebook: codebook, stores: stores))
                }
            } catch {
                printError("gloss: \(error); skipped")
                failed += 1
            }
        }
        progress?.finish()
        guard !sources.isEmpty else {
            printError("gloss: nothing to export; \(output) not written")
            throw ExitCode.failure
        }
        do {
            let projectName = single ? names[0] : "Corpus: " + files.joined(separator: " ")
            let export = try QDPXExporter.export(sources, projectName: projectName, origin: "Gloss \(GlossVersion.string)")
            export.notes.forEach { printError("gloss: " + $0) }
            try QDPXExporter.write(export, to: output)
            printError("gloss: \(output): \(sources.count) text source(s), \(export.selections) selection(s), \(export.codings) coding(s), \(export.links) link(s)")
        } catch {
            printError("gloss: \(error)")
            throw ExitCode.failure
        }
        if failed > 0 {
            printError("gloss: \(failed) store(s), document(s) or folder(s) not exported because of the errors above; the rest were")
            throw ExitCode.failure
        }
        if invalidRecords > 0 { throw ExitCode.failure }
    }
}
