import GlossCore
#if canImport(Glibc)
import Glibc
#endif

/// Decodes text in the encodings Gloss does not decode itself through the C library's
/// `iconv` (glibc's: Shift_JIS, windows-1251, KOI8-R, GB18030, EUC-KR, the ISO-8859
/// family and the others `iconv -l` lists), strictly: a byte sequence the encoding does
/// not define is an error, never replaced or dropped.
enum IconvDecoder {
    /// True when `iconv_open` can convert from `name` to UTF-8.
    static func knows(_ name: String) -> Bool {
        let descriptor = iconv_open("UTF-8", name)
        guard Int(bitPattern: descriptor) != -1 else { return false }
        iconv_close(descriptor)
        return true
    }

    /// `bytes`, in `encoding` (one ``TextEncoding/Kind/iconv`` names), as UTF-8.
    /// - Throws: ``ImportError/notInEncoding(path:encoding:byteOffset:)`` at the first byte
    ///   that does not begin a valid sequence (or begins one cut by the end of the file);
    ///   ``DocumentError/binary(path:byteOffset:)`` at the bytes of the first U+0000;
    ///   ``ImportError/unknownEncoding(name:)`` when `iconv_open` no longer knows it.
    static func decode(_ bytes: [UInt8], from encoding: TextEncoding, path: String) throws -> [UInt8] {
        let (output, stop) = try convert(bytes, from: encoding, outputLimit: nil)
        if let stop { throw ImportError.notInEncoding(path: path, encoding: encoding, byteOffset: stop) }
        if let nul = TextDecoding.firstNUL(output) {
            // where it came from: converting again, stopped by the output's room right before it
            let source = (try? convert(bytes, from: encoding, outputLimit: nul))?.stop ?? 0
            throw DocumentError.binary(path: path, byteOffset: source)
        }
        return output
    }

    /// Converts `bytes` to UTF-8: the output, and where converting stopped, as an offset
    /// in `bytes`, when a sequence is invalid or cut short or, with `outputLimit`, when the
    /// next character would make the output longer than that.
    private static func convert(_ bytes: [UInt8], from encoding: TextEncoding, outputLimit: Int?) throws -> (output: [UInt8], stop: Int?) {
        let descriptor = iconv_open("UTF-8", encoding.rawValue)
        guard Int(bitPattern: descriptor) != -1 else { throw ImportError.unknownEncoding(name: encoding.rawValue) }
        defer { iconv_close(descriptor) }
        var input = bytes
        var output = [UInt8](repeating: 0, count: outputLimit.map { max(1, $0) } ?? max(64, bytes.count * 2 + 16))
        var written = 0
        var consumed = 0
        var stop: Int?
        input.withUnsafeMutableBytes { inputBuffer in
            var flushed = false
            while true {
                let outputCount = outputLimit ?? output.count
                let result: (code: Int, error: Int32, read: Int, wrote: Int) = output.withUnsafeMutableBytes { outputBuffer in
                    var inputLeft = inputBuffer.count - consumed
                    var outputLeft = outputCount - written
                    var inputPointer = inputBuffer.baseAddress.map { $0.advanced(by: consumed).assumingMemoryBound(to: CChar.self) }
                    var outputPointer = outputBuffer.baseAddress.map { $0.advanced(by: written).assumingMemoryBound(to: CChar.self) }
                    // past the input, a call without it writes what a stateful encoding holds back
                    let code = flushed || inputLeft == 0 ? iconv(descriptor, nil, nil, &outputPointer, &outputLeft)
                        : iconv(descriptor, &inputPointer, &inputLeft, &outputPointer, &outputLeft)
                    let error = code == -1 ? errno : 0
                    return (code, error, inputBuffer.count - consumed - inputLeft, outputCount - written - outputLeft)
                }
                consumed += result.read
                written += result.wrote
                if result.code != -1 {
                    if consumed < inputBuffer.count { continue }
                    if flushed { break }
                    flushed = true
                    continue
                }
                if result.error == E2BIG {
                    if outputLimit != nil { stop = consumed; break }
                    output += [UInt8](repeating: 0, count: output.count)
                    continue
                }
                // EILSEQ: an invalid sequence; EINVAL: one cut by the end of the input
                stop = consumed
                break
            }
        }
        return (Array(output[..<written]), stop)
    }
}
