import Foundation
import GlossCore
import GlossUI

/// Checks the width and wrapping code on one input: `bytes` decoded as UTF-8 (invalid
/// sequences become U+FFFD) is wrapped at several widths, and every line and drawn cell
/// is checked; a broken rule stops the process with a message, which libFuzzer reports as
/// a crash with the input that caused it.
///
/// Rules: the glyphs of a paragraph's lines cover its code points in order without gaps;
/// no glyph ends past the width but whitespace and a glyph wider than the whole line
/// (which starts its line); every
/// glyph's width is the sum of its ``DisplayWidth/cells(of:)``; each cell is 1 or 2
/// columns, starts with a scalar of non-zero width, holds no control character and at most
/// ``DisplayWidth/maxScalarsPerCell`` code points.
func checkWidthAndWrapping(_ bytes: UnsafeBufferPointer<UInt8>) {
    let text = String(decoding: bytes, as: UTF8.self)
    let document = Document(text: text, path: "fuzz.txt")
    let cache = TextCache(document: document)
    for width in [1, 2, 7, 20, 80] {
        for index in 0..<document.paragraphCount {
            guard let paragraph = document.paragraph(index) else { continue }
            var next = paragraph.range.lowerBound
            for line in cache.lines(index, width: width) {
                for glyph in line.glyphs {
                    precondition(glyph.range.lowerBound == next, "a gap or overlap at \(next) in paragraph \(index) at width \(width)")
                    next = glyph.range.upperBound
                    let fits = glyph.column + glyph.width <= width
                    precondition(fits || glyph.character.isWhitespace || glyph.column == 0,
                                 "a glyph ends past width \(width) at column \(glyph.column)")
                    let cells = DisplayWidth.cells(of: glyph.character)
                    precondition(!cells.isEmpty, "no cell for a glyph")
                    if glyph.character != "\t" {
                        precondition(cells.reduce(0) { $0 + $1.width } == glyph.width, "cells and glyph width disagree")
                    }
                    for cell in cells {
                        let scalars = cell.text.unicodeScalars
                        precondition(cell.width == 1 || cell.width == 2, "a cell of width \(cell.width)")
                        precondition(scalars.first.map { DisplayWidth.columns(of: $0) > 0 } == true, "a cell without a spacing character first")
                        precondition(!scalars.contains(where: DisplayWidth.isControl), "a control character in a cell")
                        precondition(scalars.count <= DisplayWidth.maxScalarsPerCell, "too many code points in a cell")
                    }
                }
            }
            precondition(next == paragraph.range.upperBound, "paragraph \(index) not covered to its end at width \(width)")
        }
    }
}

/// libFuzzer's callback: one input per call.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzWidthAndWrapping(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    checkWidthAndWrapping(UnsafeBufferPointer(start: data, count: size))
    return 0
}

#if FUZZING
/// libFuzzer's driver (`-sanitize=fuzzer` links it): parses libFuzzer's options and calls
/// the callback with each input it makes.
@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(_ argc: UnsafeMutablePointer<CInt>,
                     _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
                     _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt) -> CInt
#endif

/// Under libFuzzer (built with `-DFUZZING`), hands over to its driver; otherwise runs the
/// checks over the files named on the command line (a corpus or a crash input libFuzzer
/// saved), so a failure can be replayed under a debugger.
@main
struct WidthFuzzer {
    static func main() throws {
        #if FUZZING
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        exit(runFuzzerDriver(&argc, &argv) { data, size in fuzzWidthAndWrapping(data, size) })
        #else
        for path in CommandLine.arguments.dropFirst() {
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            data.withUnsafeBytes { raw in checkWidthAndWrapping(raw.bindMemory(to: UInt8.self)) }
            print("ok: \(path)")
        }
        #endif
    }
}
