import Foundation
import GlossCore
@testable import GlossImport
import Testing

/// ``PDFImporter``: the shared PDFs through the real `pdftotext`, and the cases a real one
/// cannot show on demand (missing, slow, failing) through stand-in scripts.
@Suite struct PDFImporterTests {
    static let hasPdftotext = Subprocess.find("pdftotext") != nil

    @Test(.enabled(if: hasPdftotext, "pdftotext is not installed; .ci/run installs poppler-utils"))
    func theCommissionPrefaceReadsAsPlainText() throws {
        let extracted = try PDFImporter().extract([], path: Corpus.prefacePDF)
        #expect(extracted.extractor == "pdf")
        #expect(extracted.extractorVersion.hasPrefix("1 pdftotext "))
        #expect(extracted.plainTextParagraphs)
        #expect(!extracted.text.contains("\u{0C}"))
        #expect(extracted.text.hasPrefix("PREFACE\nWe present the narrative of this report and the recommendations that\nflow from it to\n"))
        // the words of the text the PDF was made from are there, in order, but for what
        // pdftotext makes of the layout: a hyphen at a line's end dropped, and one
        // sentence whose lines it reads out of order
        let source = try String(contentsOfFile: Corpus.prefaceText, encoding: .utf8)
        let words = { (text: String) in text.split(whereSeparator: { $0.isWhitespace }).map(String.init) }
        let (got, want) = (words(extracted.text), words(source))
        #expect(got.count == want.count)
        #expect(Array(got.prefix(700)) == want.prefix(700).map { $0 == "all-consuming" ? "allconsuming" : $0 })
        #expect(Array(got.suffix(300)) == Array(want.suffix(300)))
        #expect(got.sorted() == want.map { $0 == "all-consuming" ? "allconsuming" : $0 }.sorted())
        // the document splits it by the plain-text rules, as the text file it was made from:
        // the title line a heading, the hard-wrapped lines reflowed into paragraphs
        let document = Document(extracted: extracted, path: Corpus.prefacePDF)
        #expect(document.extraction?.extractor == "pdf")
        #expect(document.text(ofParagraph: 0) == "PREFACE" && document.paragraphs[0].kind == .heading)
        let pages = extracted.text.components(separatedBy: "\n\n").count
        #expect(document.paragraphCount > pages)
        #expect(!document.paragraphs.contains { $0.kind == .heading && $0.range.count > 120 })
        #expect(document.text == extracted.text)
        // pdftotext writes its lines as a long one and the short rest of it: those rests
        // (`Republicans and five`, `the National`) go on the sentence, never start a paragraph
        let paragraphs = (0..<document.paragraphCount).compactMap { document.text(ofParagraph: $0) }
            .map { $0.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ") }
        #expect(paragraphs.contains { $0.hasSuffix("for their consideration. Ten Commissioners-five Republicans and five Democrats chosen by elected leaders from our nation's capital at a time of great partisan division-have come together to present this report without dissent.") })
        #expect(paragraphs.contains("To answer these questions, the Congress and the President created the National Commission on Terrorist Attacks Upon the United States (Public Law 107-306, November 27, 2002)."))
    }

    @Test(.enabled(if: hasPdftotext, "pdftotext is not installed; .ci/run installs poppler-utils"))
    func theMarkdownPostAsAPDFStartsAfterItsEmptyFirstPage() throws {
        let extracted = try PDFImporter().extract([], path: Corpus.postPDF)
        // pdftotext writes a form feed for the empty first page; no blank line is left for it
        #expect(extracted.text.hasPrefix("Summary: Today, the Administration directed a series of actions to\ncontinue strengthening"))
        #expect(extracted.text.contains("• Directing a comprehensive Cyberspace Policy Review in order to assess U.S.\npolicies and structures for cybersecurity;"))
        let document = Document(extracted: extracted, path: Corpus.postPDF)
        // four page breaks, three blank lines between pages: blank-line paragraphs
        #expect(document.paragraphCount >= 2)
        #expect(!document.text.contains("\u{0C}"))
    }

    @Test func formFeedsBecomeBlankLines() {
        #expect(PDFImporter.text(fromOutput: Array("Page one\n\u{0C}Page two\n\u{0C}".utf8)) == "Page one\n\nPage two")
        #expect(PDFImporter.text(fromOutput: Array("\u{0C}\u{0C}  \nFirst\nline\u{0C}Next".utf8)) == "First\nline\n\nNext")
        #expect(PDFImporter.text(fromOutput: Array("  Indented first line\n".utf8)) == "  Indented first line")
        #expect(PDFImporter.text(fromOutput: [0x41, 0xFF, 0x42]) == "A\u{FFFD}B")
        #expect(PDFImporter.text(fromOutput: Array("\u{0C}\n \u{0C}".utf8)) == "")
    }

    @Test func withoutPdftotextTheErrorNamesTheFileAndThePackage() throws {
        let importer = PDFImporter(searchPath: "/nonexistent/gloss")
        #expect {
            try importer.extract([], path: "reports/annual.pdf")
        } throws: { error in
            let message = (error as? ImportError)?.description ?? ""
            return message.hasPrefix("reports/annual.pdf: pdftotext is needed to read it and is not on the PATH")
                && message.contains("apt-get install poppler-utils") && message.contains("brew install poppler")
        }
    }

    /// A stand-in `pdftotext` in a folder of its own: a shell script with `body`.
    static func fakePdftotext(_ body: String, in scratch: Scratch) throws -> String {
        let path = try scratch.write("#!/bin/sh\n" + body + "\n", to: "pdftotext")
        chmod(path, 0o755)
        return scratch.url.path
    }

    @Test func aFailingPdftotextIsReportedWithItsFirstErrorNotItsLast() throws {
        let scratch = try Scratch()
        defer { scratch.cleanUp() }
        let folder = try Self.fakePdftotext("""
        echo 'Syntax Warning: first' >&2
        echo 'Syntax Error: Couldn'"'"'t find trailer dictionary' >&2
        echo 'Syntax Error: Couldn'"'"'t read xref table' >&2
        exit 1
        """, in: scratch)
        #expect(throws: ImportError.programFailed(path: "bad.pdf", program: "pdftotext", status: 1, message: "Syntax Error: Couldn't find trailer dictionary")) {
            try PDFImporter(searchPath: folder).extract([], path: "bad.pdf")
        }
        // without an error line, the first line said
        #expect(PDFImporter.firstMeaningfulLine(of: "\n  \nSyntax Warning: odd\nlast\n") == "Syntax Warning: odd")
        #expect(PDFImporter.firstMeaningfulLine(of: "") == "")
    }

    @Test func aPdftotextThatRunsTooLongIsStopped() throws {
        let scratch = try Scratch()
        defer { scratch.cleanUp() }
        let folder = try Self.fakePdftotext("exec sleep 30", in: scratch)
        #expect(throws: ImportError.timedOut(path: "slow.pdf", program: "pdftotext", seconds: 1)) {
            try PDFImporter(timeout: 0.5, searchPath: folder).extract([], path: "slow.pdf")
        }
    }

    @Test func aPdftotextThatWritesWithoutEndIsStoppedAtTheLimit() throws {
        let scratch = try Scratch()
        defer { scratch.cleanUp() }
        let folder = try Self.fakePdftotext("exec yes 'All work and no play makes Jack a dull boy.'", in: scratch)
        #expect(throws: ImportError.tooMuchOutput(path: "endless.pdf", program: "pdftotext", megabytes: 2)) {
            try PDFImporter(timeout: 30, outputLimitMegabytes: 2, searchPath: folder).extract([], path: "endless.pdf")
        }
        #expect("\(ImportError.tooMuchOutput(path: "endless.pdf", program: "pdftotext", megabytes: 2))"
                == "endless.pdf: pdftotext wrote more than 2 MB of text, more than a PDF holds, and was stopped")
    }

    /// Paths ``PDFImporter/whileConverting`` was called with, from any thread.
    final class Announcements: @unchecked Sendable {
        private let lock = NSLock()
        private var said: [String] = []
        func add(_ path: String) { lock.withLock { said.append(path) } }
        var paths: [String] { lock.withLock { said } }
    }

    /// A `pdftotext` still running after half a second is announced once, with the PDF's
    /// path (the reader names it while it waits); a quick one is not.
    @Test func aSlowPdftotextIsAnnouncedOnceAndAQuickOneIsNot() throws {
        let scratch = try Scratch()
        defer { scratch.cleanUp() }
        let folder = try Self.fakePdftotext("case \"$3\" in *slow*) sleep 1.5;; esac\nprintf 'Text from pdftotext.\\n'", in: scratch)
        let announced = Announcements()
        PDFImporter.whileConverting = { announced.add($0) }
        defer { PDFImporter.whileConverting = nil }
        // names of their own: other tests may convert PDFs meanwhile
        let quick = "quick-\(UUID().uuidString).pdf", slow = "slow-\(UUID().uuidString).pdf"
        #expect(try PDFImporter(timeout: 30, searchPath: folder).extract([], path: quick).text == "Text from pdftotext.")
        #expect(try PDFImporter(timeout: 30, searchPath: folder).extract([], path: slow).text == "Text from pdftotext.")
        #expect(!announced.paths.contains(quick))
        #expect(announced.paths.filter { $0 == slow }.count == 1)
    }

    @Test func aChildHoldingTheOutputOpenAfterPdftotextEndsDoesNotHoldUpTheText() throws {
        let scratch = try Scratch()
        defer { scratch.cleanUp() }
        let childFile = scratch.url.appendingPathComponent("child.pid").path
        // the child inherits standard output, which it holds open for a minute
        let folder = try Self.fakePdftotext("sleep 60 &\necho $! > '\(childFile)'\nprintf 'Text from pdftotext.\\n'", in: scratch)
        let started = Date()
        let text = try PDFImporter(timeout: 30, searchPath: folder).extract([], path: "held.pdf").text
        #expect(text == "Text from pdftotext.")
        #expect(Date().timeIntervalSince(started) < 10)
        let child = try #require((try? String(contentsOfFile: childFile, encoding: .utf8)).flatMap { pid_t($0.trimmingCharacters(in: .whitespacesAndNewlines)) })
        // stopped with its group: gone, or a zombie until init reaps it (its output closes
        // as it dies, a moment before it is a zombie)
        var stat = ""
        let deadline = Date().addingTimeInterval(5)
        repeat {
            stat = (try? String(contentsOfFile: "/proc/\(child)/stat", encoding: .utf8)) ?? ""
            if stat.isEmpty || stat.split(separator: ")").last?.dropFirst().hasPrefix("Z") == true { break }
            Thread.sleep(forTimeInterval: 0.01)
        } while Date() < deadline
        #expect(stat.isEmpty || stat.split(separator: ")").last?.dropFirst().hasPrefix("Z") == true, "\(stat)")
        if !stat.isEmpty { kill(child, SIGKILL) }
    }

    /// A descendant that left pdftotext's process group (`setsid`), out of reach of the
    /// group's stop, holds its output open after it ended: what it wrote is used, not
    /// refused as too slow at the time limit.
    @Test func aDescendantOutsideTheGroupHoldingTheOutputDoesNotHoldUpTheText() throws {
        let scratch = try Scratch()
        defer { scratch.cleanUp() }
        let childFile = scratch.url.appendingPathComponent("detached.pid").path
        let folder = try Self.fakePdftotext("printf 'Text from pdftotext.\\n'\nsetsid sh -c 'echo $$ > \(childFile); exec sleep 60' &\nexit 0", in: scratch)
        defer {
            if let pid = (try? String(contentsOfFile: childFile, encoding: .utf8)).flatMap({ pid_t($0.trimmingCharacters(in: .whitespacesAndNewlines)) }) {
                kill(pid, SIGKILL)
            }
        }
        #expect(try PDFImporter(timeout: 30, searchPath: folder).extract([], path: "detached.pdf").text == "Text from pdftotext.")
    }

    @Test func theArgumentsAreTheDocumentedOnesAndAPathLikeAnOptionIsMadeSafe() throws {
        let scratch = try Scratch()
        defer { scratch.cleanUp() }
        // prints its arguments, one a line, then a page break; `-v` reports a version
        let folder = try Self.fakePdftotext("""
        if [ "$1" = -v ]; then echo 'pdftotext version 9.8.7' >&2; exit 0; fi
        for argument in "$@"; do echo "$argument"; done
        printf '\\f'
        """, in: scratch)
        let importer = PDFImporter(searchPath: folder)
        #expect(try importer.extract([], path: "-report.pdf").text == "-enc\nUTF-8\n./-report.pdf\n-")
        #expect(importer.version == "1 pdftotext 9.8.7")
        let empty = try Self.fakePdftotext("printf '\\f\\n\\f'", in: scratch)
        #expect(throws: ImportError.noText(path: "scan.pdf", format: "PDF", detail: "pdftotext found none (a scanned PDF holds pictures of text, which need OCR first)")) {
            try PDFImporter(searchPath: empty).extract([], path: "scan.pdf")
        }
    }
}
