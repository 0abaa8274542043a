import ArgumentParser
import Foundation
import GlossCore
import GlossImport
import GlossUI

/// Finds each document's codebook as `gloss export FILE` does (`--codebook`, else the
/// nearest `gloss.codebook.json`, else the bundled one), reading each codebook file once.
final class CodebookCache {
    private let options: DocumentOptions
    /// Codebook or error by the folder a document is in.
    private var byFolder: [String: Result<Codebook, Error>] = [:]
    /// Codebook or error by the codebook file's path (nil: the bundled one).
    private var byFile: [String: Result<Codebook, Error>] = [:]

    init(options: DocumentOptions) {
        self.options = options
    }

    /// Reads the codebook `--codebook` names when there are no documents to read it for (an
    /// empty folder), so that a wrong path or a broken file is reported all the same.
    /// - Throws: `ExitCode.failure` after naming the codebook's problem.
    func checkGivenCodebook(documentCount: Int) throws {
        guard documentCount == 0, options.codebook != nil else { return }
        do {
            _ = try options.loadCodebook(forDocument: nil)
        } catch {
            printError("gloss: \(error)")
            throw ExitCode.failure
        }
    }

    /// The codebook for the document at `path`.
    /// - Throws: ``CodebookError`` naming the codebook file when it cannot be used.
    func codebook(forDocument path: String) throws -> Codebook {
        let folder = FilePaths.physicalFolder(of: path)
        if let known = byFolder[folder] { return try known.get() }
        let file = options.codebook ?? Codebook.discover(forDocument: path) ?? ""
        let result: Result<Codebook, Error>
        if let known = byFile[file] {
            result = known
        } else {
            result = Result { try options.loadCodebook(forDocument: path) }
            byFile[file] = result
        }
        byFolder[folder] = result
        return try result.get()
    }
}

/// The corpus commands' way to open a document: through the importers, with the
/// encoding `--encoding` named (nil: detected), its whole text checked.
func corpusOpening(encoding: TextEncoding?) -> DocumentOpening {
    { path in
        let opened = try DocumentOpener.open(path, encoding: encoding)
        try opened.checkWholeText()
        return (opened.document, opened.notices)
    }
}

/// The document list's titles read in the encoding `--encoding` named: a file's first
/// bytes decoded as opening decodes the file, a character cut by their end left out; a
/// head not in it is refused in opening's words (without the path, which the row shows).
func titleDecoding(in encoding: TextEncoding) -> DocumentTitle.HeadDecoding {
    { head in
        var firstError: Error?
        // up to 3 bytes of a character cut short (a UTF-16 code unit, GB18030's 4 bytes)
        for cut in 0...min(3, head.count) {
            do {
                return String(decoding: try TextDecoding.decode(Array(head.dropLast(cut)), forcing: encoding, path: "").utf8, as: UTF8.self)
            } catch {
                if firstError == nil { firstError = error }
            }
        }
        let said = firstError.map { "\($0)" } ?? "not \(encoding.label) text"
        throw FolderListingError(reason: said.hasPrefix(": ") ? String(said.dropFirst(2)) : said)
    }
}

/// What a corpus command left out, for its last line: `2 document(s) not counted`,
/// `1 folder not listed`, or both joined by "and" (`outcome` is "not counted", "not
/// exported"). A folder that could not be listed is not a document: what it holds is unknown.
func leftOut(documents: Int, folders: Int, outcome: String) -> String {
    var parts: [String] = []
    if documents > 0 { parts.append("\(documents) document(s) \(outcome)") }
    if folders > 0 { parts.append("\(folders) folder\(folders == 1 ? "" : "s") not listed") }
    return parts.joined(separator: " and ")
}

/// Refuses, as a usage error (exit status 2, ``usageStatus``), a corpus command given no
/// document or folder. A path where nothing is found is bad input, named by ``Corpus``
/// when the command runs (status 1; 2 for `gloss grep`), as a missing document is for
/// every command.
/// - Throws: `ValidationError` when `files` is empty or one of them is an empty path.
func checkCorpusArguments(_ files: [String]) throws {
    if files.isEmpty { throw ValidationError("Missing expected argument '<dir|file> ...'") }
    try refuseEmptyPaths(files, valueName: "<dir|file>")
}

/// Refuses, as a usage error (exit status 2), an empty path argument (`gloss ""`, an
/// unset shell variable in quotes): it names no file, and taken as a path it would be
/// the working folder.
/// - Throws: `ValidationError` naming the argument (`valueName`, as the usage line has it).
func refuseEmptyPaths(_ paths: [String], valueName: String) throws {
    if paths.contains(where: \.isEmpty) {
        throw ValidationError("an empty path (\"\") was given for \(valueName); it names no file or folder")
    }
}

/// True when a store is at `path`, or is missing while its backup holds annotations
/// (``AnnotationStore/missingWithBackup()``): the folder exports then load it, and the
/// loading refuses it naming the backup, rather than skip the document as one without
/// annotations.
func storeOrItsBackup(_ path: String) -> Bool {
    FileManager.default.fileExists(atPath: path) || AnnotationStore(path: path).missingWithBackup() != nil
}
