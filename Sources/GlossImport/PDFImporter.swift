import Foundation
import GlossCore

/// Extracts the text of a PDF with `pdftotext` (Poppler's, or Xpdf's) when it is on the
/// `PATH`: `pdftotext -enc UTF-8 FILE -`, run without a shell and stopped after
/// ``timeout`` seconds. Its default mode is the one that follows reading order rather
/// than the page's layout (Poppler 22 has no `-nolayout` option; leaving out `-layout`
/// is that mode).
///
/// Its output is a plain text: paragraphs follow the plain-text rules
/// (``ExtractedText/plainTextParagraphs``), with no heading marked. A form feed, which
/// `pdftotext` writes after each page, becomes a blank line; blank lines at the start and
/// white space at the end are dropped. Bytes that are not UTF-8 (a broken font encoding)
/// are shown as U+FFFD.
public struct PDFImporter: Importer {
    /// Seconds `pdftotext` may run before it is stopped.
    public var timeout: Double
    /// Megabytes of text `pdftotext` may write before it is stopped.
    public var outputLimitMegabytes: Int
    /// The folders searched for `pdftotext`, as in `PATH`; nil for the environment's.
    public var searchPath: String?

    /// Creates the importer.
    /// - Parameters:
    ///   - timeout: seconds `pdftotext` may run (60 by default: a book of a thousand pages
    ///     takes a few seconds).
    ///   - outputLimitMegabytes: megabytes of text `pdftotext` may write (256 by default:
    ///     a hundred times a long book, far below what would fill memory, as the text is
    ///     copied a few times); a broken one that writes without end is stopped there.
    ///   - searchPath: folders to look for `pdftotext` in, `:`-separated; nil for `PATH`.
    public init(timeout: Double = 60, outputLimitMegabytes: Int = 256, searchPath: String? = nil) {
        self.timeout = timeout
        self.outputLimitMegabytes = outputLimitMegabytes
        self.searchPath = searchPath
    }

    /// Called once with the PDF's path when `pdftotext` has run for half a second and not
    /// finished, on the thread that opens the document: the reader says what it waits for
    /// (a book of a thousand pages takes seconds). Nil: nothing is said.
    nonisolated(unsafe) public static var whileConverting: (@Sendable (_ path: String) -> Void)?

    /// The program run.
    public static let program = "pdftotext"
    /// How to install it, for the error when it is missing.
    public static let installHint = "apt-get install poppler-utils (or brew install poppler)"

    /// `pdf`.
    public var name: String { "pdf" }
    /// `1 pdftotext X.Y.Z` (the version `pdftotext -v` reports; `1 pdftotext` when it is
    /// missing or does not say).
    public var version: String {
        guard let executable = Subprocess.find(Self.program, searchPath: searchPath) else { return "1 \(Self.program)" }
        return "1 \(Self.program)" + (Self.programVersion(executable).map { " " + $0 } ?? "")
    }
    /// ``ImporterInput/file``: `pdftotext` reads the file.
    public var input: ImporterInput { .file }

    /// The PDF's text (see the type's documentation).
    /// - Parameters:
    ///   - bytes: unused; `pdftotext` reads `path`.
    ///   - path: the PDF file.
    /// - Returns: the text, to be split by the plain-text rules.
    /// - Throws: ``ImportError/programMissing(path:program:install:)`` without
    ///   `pdftotext`; ``ImportError/encryptedPDF(path:)`` when it asks for a password;
    ///   ``ImportError/programFailed(path:program:status:message:)`` when it fails
    ///   otherwise (damaged); ``ImportError/timedOut(path:program:seconds:)``;
    ///   ``ImportError/tooMuchOutput(path:program:megabytes:)`` past ``outputLimitMegabytes``;
    ///   ``ImportError/stopped(path:program:)`` when ``Subprocess/shouldStop`` asks;
    ///   ``ImportError/noText(path:format:detail:)`` when it finds no text (a scanned PDF).
    public func extract(_ bytes: [UInt8], path: String) throws -> ExtractedText {
        guard let executable = Subprocess.find(Self.program, searchPath: searchPath) else {
            throw ImportError.programMissing(path: path, program: Self.program, install: Self.installHint)
        }
        // a name starting with `-` would be read as an option
        let argument = path.hasPrefix("-") ? "./" + path : path
        let result: Subprocess.Result
        do {
            let announce = Self.whileConverting
            result = try Subprocess.run(executable, ["-enc", "UTF-8", argument, "-"], timeout: timeout,
                                        outputLimit: outputLimitMegabytes << 20,
                                        whenSlow: announce.map { announce in { announce(path) } })
        } catch Subprocess.Failure.timedOut {
            throw ImportError.timedOut(path: path, program: Self.program, seconds: Int(timeout.rounded(.up)))
        } catch Subprocess.Failure.stopped {
            throw ImportError.stopped(path: path, program: Self.program)
        } catch Subprocess.Failure.tooMuchOutput {
            throw ImportError.tooMuchOutput(path: path, program: Self.program, megabytes: outputLimitMegabytes)
        } catch Subprocess.Failure.cannotStart(let code) {
            throw ImportError.programFailed(path: path, program: Self.program, status: 127,
                                            message: "cannot start \(executable): \(String(cString: strerror(code)))")
        }
        guard result.status == 0 else {
            let said = String(decoding: result.error, as: UTF8.self)
            // Poppler and Xpdf say "Incorrect password" when a PDF needs one and none was given
            if said.range(of: "password", options: .caseInsensitive) != nil { throw ImportError.encryptedPDF(path: path) }
            throw ImportError.programFailed(path: path, program: Self.program, status: result.status,
                                            message: Self.firstMeaningfulLine(of: said))
        }
        let text = Self.text(fromOutput: result.output)
        guard text.unicodeScalars.contains(where: { !$0.properties.isWhitespace }) else {
            throw ImportError.noText(path: path, format: "PDF", detail: "pdftotext found none (a scanned PDF holds pictures of text, which need OCR first)")
        }
        return ExtractedText(text: text, extractor: name, extractorVersion: version, plainTextParagraphs: true)
    }

    /// What to say of `pdftotext`'s standard error when it failed: its first error line
    /// (one with `Error`, as `Syntax Error: Couldn't find trailer dictionary`), which names
    /// the cause, where later ones follow from it; else its first line that is not blank.
    static func firstMeaningfulLine(of said: String) -> String {
        let lines = said.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        return lines.first { $0.contains("Error") } ?? lines.first ?? ""
    }

    /// The document text made of `pdftotext`'s output: each form feed a blank line (a
    /// line break before it when it does not start a line), a U+FEFF, blank lines at the
    /// start and white space at the end dropped, bytes that are not UTF-8 as U+FFFD.
    public static func text(fromOutput output: [UInt8]) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(output.count + 64)
        for byte in output {
            if byte == 0x0C {
                if let last = bytes.last, last != 0x0A { bytes.append(0x0A) }
                bytes.append(0x0A)
            } else {
                bytes.append(byte)
            }
        }
        var text = String(decoding: bytes, as: UTF8.self)
        // Document would drop a U+FEFF at the start as a byte-order mark
        while text.unicodeScalars.first == "\u{FEFF}" { text.unicodeScalars.removeFirst() }
        while let last = text.unicodeScalars.last, last.properties.isWhitespace { text.unicodeScalars.removeLast() }
        // whole blank lines only: the first line's indentation is text
        var start = text.unicodeScalars.startIndex
        var lineStart = start
        while start < text.unicodeScalars.endIndex {
            let scalar = text.unicodeScalars[start]
            if scalar == "\n" {
                lineStart = text.unicodeScalars.index(after: start)
            } else if !(scalar == " " || scalar == "\t" || scalar == "\r") {
                break
            }
            start = text.unicodeScalars.index(after: start)
        }
        return String(text.unicodeScalars[lineStart...])
    }

    /// Versions of `pdftotext` by path, asked once per process.
    private static let versions = Versions()

    private final class Versions: @unchecked Sendable {
        let lock = NSLock()
        var known: [String: String?] = [:]
    }

    /// The version `executable -v` reports (`pdftotext version 22.12.0`), or nil.
    static func programVersion(_ executable: String) -> String? {
        versions.lock.lock()
        if let known = versions.known[executable] {
            versions.lock.unlock()
            return known
        }
        versions.lock.unlock()
        var found: String?
        if let result = try? Subprocess.run(executable, ["-v"], timeout: 10) {
            let said = String(decoding: result.error + result.output, as: UTF8.self)
            if let range = said.range(of: "version ") {
                let rest = said[range.upperBound...]
                let version = rest.prefix { !$0.isWhitespace }
                if !version.isEmpty { found = String(version) }
            }
        }
        versions.lock.lock()
        versions.known[executable] = found
        versions.lock.unlock()
        return found
    }
}
