import ArgumentParser
import Foundation
import GlossCore
import GlossImport
import GlossUI

/// `gloss text FILE [--encoding NAME]`: the document's text, exactly the text annotation
/// offsets count code points of: for HTML, Markdown and PDF files what their importer
/// extracts, for a text file its text decoded to UTF-8 without a byte-order mark (nor any U+FEFF at its start).
///
/// Written to a file or a pipe it is exact (so a W3C export can be checked against it);
/// on a terminal it is shown as the reader draws it (``DisplayWidth/terminalForm(of:keepingLineEnds:)``:
/// control characters as their pictures, zero-width and other invisible format characters
/// as `·`), line ends kept.
struct TextCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "text",
        abstract: "Print a document's text as Gloss reads it: what annotation offsets count code points of.",
        discussion: "For HTML, Markdown and PDF files this is the extracted text; for text files the text decoded to UTF-8, without a byte-order mark or any other U+FEFF at its start.",
        version: GlossVersion.string)

    @Argument(help: ArgumentHelp("The document (text, .html, .htm, .md, .markdown or .pdf).", valueName: "file"), completion: .file())
    var file: String

    @OptionGroup var encoding: EncodingOption

    func validate() throws {
        try refuseEmptyPaths([file], valueName: "<file>")
    }

    func run() throws {
        let document: Document
        do {
            let opened = try DocumentOpener.open(file, encoding: encoding.encoding)
            document = opened.document
            try opened.checkWholeText()
            opened.notices.forEach { printError("gloss: \(file): \($0)") }
        } catch {
            printError("gloss: \(error)")
            throw ExitCode.failure
        }
        if isatty(STDOUT_FILENO) == 1 {
            // an escape sequence in the text would act on the terminal
            try StandardStreams.write(DisplayWidth.terminalForm(of: document.text, keepingLineEnds: true))
        } else {
            try document.withUTF8 { try StandardStreams.write(UnsafeRawBufferPointer($0)) }
        }
    }
}
