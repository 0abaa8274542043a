import Foundation
import GlossTestSupport
import Testing
@testable import GlossCore

/// Property test for Gloss issue 3: for random texts mixing ASCII, CJK, Arabic and Hebrew,
/// emoji sequences, combining marks, CRLF, LF, blank lines, tabs and astral letters, some
/// with a byte-order mark, and random grapheme-aligned selections, the round trip
/// store -> reload -> W3C export -> shared validator with `--source` is lossless.
///
/// The generator is a seeded SplitMix64, so every run checks the same cases; every failure
/// names the run seed, the case number and the case's own seed, and the temporary folder is
/// kept when something fails. `GLOSS_PROPERTY_SEED` (decimal or 0x-hex) picks another run
/// seed and `GLOSS_PROPERTY_CASES` more cases (never fewer than 500); `GLOSS_PROPERTY_KEEP`
/// keeps the folder of cases even when everything passes.
///
/// All exports are checked by the real validator (`../shared/tools/validate-w3c-annotations.py`)
/// in one Python process: a driver, kept below as a string, imports the validator with
/// importlib and calls its `main([prog, export, "--source", text])` for every case.
@Suite struct RoundTripPropertyTests {

    // MARK: Settings

    /// The run seed: `GLOSS_PROPERTY_SEED` when set, else a fixed value.
    static let seed: UInt64 = {
        if let text = ProcessInfo.processInfo.environment["GLOSS_PROPERTY_SEED"] {
            let parsed = text.hasPrefix("0x") ? UInt64(text.dropFirst(2), radix: 16) : UInt64(text)
            if let parsed { return parsed }
        }
        return 0x6C6F_7373_2D33  // "loss-3"
    }()

    /// How many cases: 500 (issue 3's minimum for CI), or more with `GLOSS_PROPERTY_CASES`.
    static let caseCount: Int = max(500, Int(ProcessInfo.processInfo.environment["GLOSS_PROPERTY_CASES"] ?? "") ?? 500)

    /// The package root: three levels up from Tests/GlossCoreTests/RoundTripPropertyTests.swift.
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    /// The shared W3C validator, in `../shared/tools` beside the package root.
    static let validator = packageRoot.appendingPathComponent("../shared/tools/validate-w3c-annotations.py")
        .standardizedFileURL.path

    static let codebook = Codebook(name: "Counter-terrorism reporting", categories: [
        GlossCore.Category(id: "actor", label: "Actor", key: "a", color: "cyan", description: "Who acts", values: []),
        GlossCore.Category(id: "threat", label: "Threat", key: "t", color: "red", description: "What threatens", values: []),
        GlossCore.Category(id: "cooperation-measure", label: "Cooperation measure", key: "c", color: "green",
                           description: "How states cooperate", values: []),
    ])

    // MARK: Random generator

    /// SplitMix64 (Steele, Lea and Flood 2014): small, fast and fully determined by its seed.
    struct SplitMix64 {
        var state: UInt64

        init(seed: UInt64) { state = seed }

        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }

        /// A number in `range` (not empty).
        mutating func int(in range: Range<Int>) -> Int {
            range.lowerBound + Int(next() % UInt64(range.count))
        }

        mutating func int(in range: ClosedRange<Int>) -> Int {
            int(in: range.lowerBound..<range.upperBound + 1)
        }

        /// True with probability `p`.
        mutating func chance(_ p: Double) -> Bool {
            Double(next() >> 11) / Double(1 << 53) < p
        }

        mutating func pick<T>(_ items: [T]) -> T {
            items[int(in: 0..<items.count)]
        }

        /// One of the keys, with probability proportional to its weight.
        mutating func weighted(_ weights: KeyValuePairs<Int, Int>) -> Int {
            var roll = int(in: 0..<weights.reduce(0) { $0 + $1.value })
            for (value, weight) in weights {
                if roll < weight { return value }
                roll -= weight
            }
            return weights[weights.count - 1].key
        }
    }

    // MARK: Text pieces

    static let asciiWords = ["The", "officials", "met", "in", "Vienna", "on", "counter-terrorism", "UNOCT",
                             "said", "a", "I", "x", "b2b", "ISIL", "Interpol", "e-mail", "2026", "O'Neil"]
    static let punctuation = [".", ",", ";", ":", "!", "?", "\"", "'", "(", ")", "-", "/", "\\", "{", "}",
                              "\u{2014}", "\u{2026}", "\u{AB}", "\u{BB}", "\u{201C}", "\u{201D}", "&", "#", "*"]
    static let cjk = ["中文", "日本語", "国際連合", "テロ対策", "한국어", "中文日本語", "、", "。"]
    static let rightToLeft = ["مرحبا", "الأمم المتحدة", "مُتَّحِدَة", "שלום", "עברית", "שָׁלוֹם",
                              "فارسی می\u{200C}خواهم"]
    static let emoji = [
        "\u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467}\u{200D}\u{1F466}",  // family: man, woman, girl, boy
        "\u{1F44D}\u{1F3FD}",                                         // thumbs up, medium skin tone
        "\u{1F469}\u{1F3FE}\u{200D}\u{1F4BB}",                        // woman technologist, skin tone
        "\u{1F1EB}\u{1F1F7}", "\u{1F1FA}\u{1F1F3}",                   // flags FR, UN
        "\u{1F1EB}\u{1F1F7}\u{1F1FA}\u{1F1F3}\u{1F1E9}",             // two flags and a lone indicator
        "1\u{FE0F}\u{20E3}", "#\u{FE0F}\u{20E3}",                      // keycaps
        "\u{2764}\u{FE0F}",                                           // red heart with VS16
        "\u{1F3F3}\u{FE0F}\u{200D}\u{1F308}",                         // rainbow flag
        "\u{1F3F4}\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}",  // Scotland (tag sequence)
        "\u{1F600}", "\u{1F9D1}\u{200D}\u{1F91D}\u{200D}\u{1F9D1}",
    ]
    static let combining = [
        "e\u{301}", "Da\u{301}esh", "e\u{301}\u{327}", "a\u{308}", "n\u{303}", "\u{F1}",  // decomposed and precomposed
        "\u{301}",                                                  // a mark on whatever precedes it
        "क्ष", "नमस्ते", "स्त्री", "हिन्दी",                                 // Devanagari with virama
        "\u{1100}\u{1161}\u{11A8}",                                 // Hangul jamo: one grapheme
        "Z\u{335}\u{30D}\u{31B}a\u{334}",                           // stacked marks
    ]
    static let astral = ["\u{1D49C}", "\u{1D505}\u{1D51E}\u{1D52B}\u{1D521}", "\u{10348}", "\u{1F004}", "\u{20BB7}"]
    static let whitespace = [" ", " ", " ", "\t", "\r\n", "\n", "\n\n", "\r\n\r\n", "  ", "\t\t", " \n \n", "\r\n\t"]
    static let tagValues = [
        "", "ISIL", "UN Office of Counter-Terrorism", "Daesh, ISIS", "\"quoted\"", "it's", "a,b,\"c\"",
        "key: value", "国際連合", "الأمم المتحدة", "e\u{301}te\u{301}", "\u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467} family",
        "tab\there", "line\r\nbreak", "back\\slash", "\u{1D49C}", "\u{1F1EB}\u{1F1F7}, \u{1F1FA}\u{1F1F3}", "\u{301}",
    ]
    static let authors = ["ana", "Jos\u{E9}", "Jose\u{301}", "李雷", "", "o'brien", "a \"b\", c", "שלום"]

    /// One random piece of text.
    static func piece(_ rng: inout SplitMix64) -> String {
        switch rng.int(in: 0..<100) {
        case 0..<28: return rng.pick(asciiWords)
        case 28..<38: return rng.pick(punctuation)
        case 38..<46: return rng.pick(cjk)
        case 46..<52: return rng.pick(rightToLeft)
        case 52..<62: return rng.pick(emoji)
        case 62..<70: return rng.pick(combining)
        case 70..<74: return rng.pick(astral)
        case 74..<99: return rng.pick(whitespace)
        default: return "\r"  // a lone carriage return
        }
    }

    /// Random text of `count` pieces.
    static func randomText(_ rng: inout SplitMix64, pieces count: Int) -> String {
        var text = ""
        for _ in 0..<count { text += piece(&rng) }
        return text
    }

    // MARK: Cases

    /// What one annotation should be made of.
    struct AnnotationSpec {
        var range: Range<Int>
        var tags: [GlossCore.Tag]
        var note: String
        var author: String
        var date: Date
        var id: String
    }

    /// One generated case: the text (without any byte-order mark), whether the file starts
    /// with one, and the annotations to make.
    struct Case {
        var number: Int
        var seed: UInt64
        var text: String
        var byteOrderMark: Bool
        var boundaries: [Int]
        var specs: [AnnotationSpec]
    }

    /// Code-point offsets of the grapheme-cluster boundaries of `text`, from 0 to its
    /// code-point count, found with Swift's `Character` iteration.
    static func graphemeBoundaries(_ text: String) -> [Int] {
        var offsets = [0], offset = 0
        for character in text {
            offset += character.unicodeScalars.count
            offsets.append(offset)
        }
        return offsets
    }

    /// The seed of case `number` in a run with seed `runSeed`.
    static func caseSeed(runSeed: UInt64, number: Int) -> UInt64 {
        var rng = SplitMix64(seed: runSeed ^ (UInt64(number) &* 0xD134_2543_DE82_EF95))
        return rng.next()
    }

    /// Builds case `number` from its own seed only, so one case can be replayed alone.
    static func makeCase(number: Int, seed: UInt64) -> Case {
        var rng = SplitMix64(seed: seed)
        let pieceCount = rng.chance(0.1) ? rng.int(in: 1...4) : rng.int(in: 5...160)
        let text = randomText(&rng, pieces: pieceCount)
        let byteOrderMark = rng.chance(0.25)
        let boundaries = graphemeBoundaries(text)
        var specs: [AnnotationSpec] = []
        // 1 to 5 spans, mostly few: the validator costs about 50 ms per annotation, and the
        // whole test has to stay under a minute on two cores.
        for _ in 0..<rng.weighted([1: 60, 2: 20, 3: 9, 4: 6, 5: 5]) {
            var low = rng.int(in: 0..<boundaries.count - 1)
            var high = rng.int(in: low + 1..<boundaries.count)
            switch rng.int(in: 0..<10) {
            case 0: (low, high) = (0, boundaries.count - 1)              // the whole text
            case 1: high = low + 1                                       // one grapheme
            case 2: high = min(boundaries.count - 1, low + rng.int(in: 1...3))  // a few graphemes
            default: break
            }
            var tags: [GlossCore.Tag] = []
            for _ in 0..<rng.weighted([0: 35, 1: 40, 2: 17, 3: 8]) {
                let value = rng.chance(0.7) ? rng.pick(tagValues) : randomText(&rng, pieces: rng.int(in: 1...6))
                tags.append(GlossCore.Tag(category: rng.pick(["actor", "threat", "cooperation-measure"]), value: value))
            }
            let note = rng.chance(0.5) ? "" : randomText(&rng, pieces: rng.int(in: 1...30))
            var uuidBytes = [UInt8](repeating: 0, count: 16)
            for index in 0..<16 { uuidBytes[index] = UInt8(truncatingIfNeeded: rng.next()) }
            uuidBytes[6] = (uuidBytes[6] & 0x0F) | 0x40
            uuidBytes[8] = (uuidBytes[8] & 0x3F) | 0x80
            let id = UUID(uuid: (uuidBytes[0], uuidBytes[1], uuidBytes[2], uuidBytes[3], uuidBytes[4], uuidBytes[5],
                                 uuidBytes[6], uuidBytes[7], uuidBytes[8], uuidBytes[9], uuidBytes[10], uuidBytes[11],
                                 uuidBytes[12], uuidBytes[13], uuidBytes[14], uuidBytes[15])).uuidString
            specs.append(AnnotationSpec(
                range: boundaries[low]..<boundaries[high], tags: tags, note: note, author: rng.pick(authors),
                date: Date(timeIntervalSince1970: TimeInterval(1_700_000_000 + rng.int(in: 0..<100_000_000))), id: id))
        }
        return Case(number: number, seed: seed, text: text, byteOrderMark: byteOrderMark, boundaries: boundaries, specs: specs)
    }

    /// All cases of a run.
    static func cases(runSeed: UInt64 = seed, count: Int = caseCount) -> [Case] {
        (0..<count).map { makeCase(number: $0, seed: caseSeed(runSeed: runSeed, number: $0)) }
    }

    /// Code points `range` of `scalars`, clamped, as a string.
    static func slice(_ scalars: [Unicode.Scalar], _ range: Range<Int>) -> String {
        let clamped = range.clamped(to: 0..<scalars.count)
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars[clamped])
        return String(view)
    }

    /// Equality scalar for scalar (String `==` equates canonically equivalent texts, such as
    /// `é` and `e` + U+0301, and would hide a normalisation).
    static func sameScalars(_ a: String, _ b: String) -> Bool {
        a.unicodeScalars.elementsEqual(b.unicodeScalars)
    }

    /// Annotations as JSON with sorted keys: equal bytes means equal scalar for scalar.
    static func exactJSON(_ annotations: [Annotation]) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(annotations)
    }

    static func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gloss-roundtrip-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    // MARK: One case

    /// Writes the case's text, opens it, annotates, saves, reloads, checks and exports to
    /// `case-N.json` beside `case-N.txt`. Returns the problems found (empty when none) and
    /// the number of annotations exported.
    static func runCase(_ testCase: Case, in folder: URL) -> (problems: [String], exported: Int) {
        var problems: [String] = []
        let label = "seed 0x\(String(seed, radix: 16)) case \(testCase.number) (case seed 0x\(String(testCase.seed, radix: 16)))"
        func check(_ condition: Bool, _ message: @autoclosure () -> String) {
            if !condition { problems.append("\(label): \(message())") }
        }
        let textPath = folder.appendingPathComponent("case-\(testCase.number).txt").path
        let storePath = folder.appendingPathComponent("case-\(testCase.number).gloss.json").path
        let exportPath = folder.appendingPathComponent("case-\(testCase.number).json").path
        let scalars = Array(testCase.text.unicodeScalars)
        do {
            let bytes = (testCase.byteOrderMark ? [0xEF, 0xBB, 0xBF] : []) + Array(testCase.text.utf8)
            try Data(bytes).write(to: URL(fileURLWithPath: textPath))
            let document = try Document(contentsOfFile: textPath)
            check(document.length == scalars.count,
                  "document.length \(document.length) but the text has \(scalars.count) code points (\(textPath))")
            check(document.utf8 == Array(testCase.text.utf8), "the document's bytes differ from the text's UTF-8 (\(textPath))")

            let annotations = testCase.specs.map {
                Annotation(document: document, range: $0.range, tags: $0.tags, note: $0.note,
                           author: $0.author, date: $0.date, id: $0.id)
            }
            for annotation in annotations {
                let expected = slice(scalars, annotation.range)
                let prefix = slice(scalars, max(0, annotation.start - Annotation.contextLength)..<annotation.start)
                let suffix = slice(scalars, annotation.end..<min(scalars.count, annotation.end + Annotation.contextLength))
                check(sameScalars(annotation.quote, document.text(in: annotation.range)),
                      "quote \(annotation.quote.debugDescription) differs from document.text(in: \(annotation.range))")
                check(sameScalars(annotation.quote, expected),
                      "quote at \(annotation.range) is \(annotation.quote.debugDescription) but the text's code points there are \(expected.debugDescription) (\(textPath))")
                check(sameScalars(annotation.prefix, prefix),
                      "prefix at \(annotation.range) is \(annotation.prefix.debugDescription), expected \(prefix.debugDescription)")
                check(sameScalars(annotation.suffix, suffix),
                      "suffix at \(annotation.range) is \(annotation.suffix.debugDescription), expected \(suffix.debugDescription)")
            }

            try AnnotationStore(path: storePath).save(annotations, of: document)
            guard let reloaded = try AnnotationStore(path: storePath).load() else {
                check(false, "the store \(storePath) is missing after saving")
                return (problems, 0)
            }
            let expected = annotations.sorted(by: Annotation.documentOrder)
            check(reloaded.annotations == expected, "reloaded annotations differ from the saved ones (\(storePath))")
            check(try exactJSON(reloaded.annotations) == exactJSON(expected),
                  "reloaded annotations differ scalar for scalar from the saved ones (\(storePath))")
            for annotation in reloaded.annotations {
                check(sameScalars(annotation.quote, document.text(in: annotation.start..<annotation.end)),
                      "reloaded quote \(annotation.quote.debugDescription) differs from document.text(in: \(annotation.range))")
                check(sameScalars(annotation.quote, slice(scalars, annotation.range)),
                      "reloaded quote \(annotation.quote.debugDescription) differs from code points \(annotation.range) of the text")
            }
            check(reloaded.document?.length == scalars.count,
                  "the store says document.length \(reloaded.document?.length), the text has \(scalars.count) code points")
            check(reloaded.document?.sha256 == AnnotationStore.sha256Hex(Array(testCase.text.utf8)),
                  "the store's sha256 is not the hash of the text's UTF-8 without byte-order mark")
            let raw = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: storePath))) as? [String: Any]
            let rawLength = (raw?["document"] as? [String: Any])?["length"] as? Int
            check(rawLength == scalars.count, "the store JSON's document.length is \(String(describing: rawLength)), expected \(scalars.count)")

            let export = try ExportFormat.w3c.export(document: document, annotations: reloaded.annotations, codebook: codebook)
            try Data(export.utf8).write(to: URL(fileURLWithPath: exportPath))
            return (problems, reloaded.annotations.count)
        } catch {
            check(false, "\(error) (\(textPath))")
            return (problems, 0)
        }
    }

    // MARK: The validator driver

    /// Validates `case-0.json` … `case-(count-1).json` against `case-N.txt` in `folder` by
    /// calling the validator's `main` in one process. Loads the W3C suite's schemas once
    /// (the validator's `main` would re-read them for every file). Prints one line per
    /// failed case with the validator's report, then
    /// `<ok> cases validated, <failed> failed, <annotations> annotations, <checks> must-assertions`.
    static let driver = """
        import contextlib, importlib.util, io, os, sys
        validator, folder, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
        spec = importlib.util.spec_from_file_location("validate_w3c_annotations", validator)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        suite = module.load_suite()
        module.load_suite = lambda: suite
        ok, failed, annotations = 0, [], 0
        for n in range(count):
            export = os.path.join(folder, "case-%d.json" % n)
            text = os.path.join(folder, "case-%d.txt" % n)
            report = io.StringIO()
            try:
                with contextlib.redirect_stdout(report):
                    status = module.main([validator, export, "--source", text])
            except Exception as error:
                status = "exception %r" % (error,)
            lines = report.getvalue()
            summary = [line for line in lines.splitlines() if " annotations checked against " in line]
            if status == 0 and summary and summary[-1].endswith(": 0 failures"):
                ok += 1
                annotations += int(summary[-1].split()[0])
            else:
                failed.append(n)
                print("case %d: status %s\\n%s" % (n, status, lines.rstrip()))
        print("%d cases validated, %d failed, %d annotations, %d must-assertions" % (ok, len(failed), annotations, len(suite[1])))
        sys.exit(1 if failed else 0)
        """

    /// Runs the driver over `count` cases in `folder`; records a failure and returns nil when
    /// python3, jsonschema or the validator is missing (never skips).
    static func runDriver(folder: URL, count: Int) throws -> ProcessResult? {
        guard FileManager.default.fileExists(atPath: validator) else {
            Issue.record("the W3C validator is missing at \(validator) (expected ../shared/tools beside the package)")
            return nil
        }
        let probe: ProcessResult
        do {
            probe = try run("/usr/bin/env", ["python3", "-c", "import jsonschema, referencing"])
        } catch {
            Issue.record("cannot start /usr/bin/env python3: \(error). Install python3 and jsonschema 4.18 or newer (pip install 'jsonschema>=4.18').")
            return nil
        }
        if probe.status == 127 {
            Issue.record("python3 is not on PATH: install python3 and jsonschema 4.18 or newer (pip install 'jsonschema>=4.18').")
            return nil
        }
        if probe.status != 0 {
            Issue.record("python3 cannot import jsonschema and referencing: install jsonschema 4.18 or newer (pip install 'jsonschema>=4.18'). \(probe.error)")
            return nil
        }
        let driverPath = folder.appendingPathComponent("validate-all.py").path
        try Data(driver.utf8).write(to: URL(fileURLWithPath: driverPath))
        return try run("/usr/bin/env", ["python3", driverPath, validator, folder.path, String(count)])
    }

    // MARK: Tests

    @Test("store -> reload -> W3C export -> validator is lossless for 500 random texts and selections")
    func roundTripIsLossless() throws {
        let clock = ContinuousClock()
        let started = clock.now
        let folder = try Self.temporaryFolder()
        let cases = Self.cases()
        var problems: [String] = []
        var exported = 0
        for testCase in cases {
            let result = Self.runCase(testCase, in: folder)
            problems += result.problems
            exported += result.exported
        }
        let swiftTime = clock.now - started
        let validated = try Self.runDriver(folder: folder, count: cases.count)
        let total = clock.now - started
        print("RoundTripPropertyTests: \(cases.count) cases, \(exported) annotations, seed 0x\(String(Self.seed, radix: 16)); "
              + "store and export \(swiftTime), with validation \(total)")

        for problem in problems.prefix(20) {
            Issue.record(Comment(rawValue: problem))
        }
        if problems.count > 20 {
            Issue.record("… and \(problems.count - 20) more problems (seed 0x\(String(Self.seed, radix: 16)))")
        }
        var failed = !problems.isEmpty || validated == nil
        if let validated {
            let output = validated.output + validated.error
            let expectedLine = "\(cases.count) cases validated, 0 failed, \(exported) annotations, "
            #expect(validated.status == 0,
                    "the validator rejected exports (seed 0x\(String(Self.seed, radix: 16)), files in \(folder.path)):\n\(output.suffix(8000))")
            #expect(output.contains(expectedLine), "expected \(expectedLine.debugDescription) in:\n\(output.suffix(8000))")
            #expect(!output.contains(" 0 must-assertions"), "the validator loaded no W3C must-assertions:\n\(output.suffix(2000))")
            failed = failed || validated.status != 0 || !output.contains(expectedLine)
        }
        if failed {
            Issue.record("seed 0x\(String(Self.seed, radix: 16)): cases kept in \(folder.path)")
        } else if ProcessInfo.processInfo.environment["GLOSS_PROPERTY_KEEP"] == nil {
            try? FileManager.default.removeItem(at: folder)
        } else {
            print("RoundTripPropertyTests: cases kept in \(folder.path)")
        }
    }

    @Test("the generator covers every kind of text and selection issue 3 names")
    func generatorCoverage() {
        let cases = Self.cases()
        #expect(cases.count >= 500)
        let texts = cases.map(\.text)
        func some(_ what: String, _ predicate: (Case) -> Bool) {
            let found = cases.contains(where: predicate)
            #expect(found, "no case has \(what) (seed 0x\(String(Self.seed, radix: 16)))")
        }
        func scalar(_ value: UInt32) -> (Case) -> Bool {
            { $0.text.unicodeScalars.contains(Unicode.Scalar(value)!) }
        }
        some("a byte-order mark") { $0.byteOrderMark }
        some("no byte-order mark") { !$0.byteOrderMark }
        some("CRLF") { $0.text.unicodeScalars.contains("\r") && $0.text.contains("\r\n") }
        some("LF without CR") { c in
            let s = Array(c.text.unicodeScalars)
            return s.indices.contains { s[$0] == "\n" && ($0 == 0 || s[$0 - 1] != "\r") }
        }
        some("a blank line") { $0.text.contains("\n\n") || $0.text.contains("\r\n\r\n") }
        some("a tab", scalar(0x09))
        some("a ZWJ", scalar(0x200D))
        some("a skin tone", scalar(0x1F3FD))
        some("a regional indicator", scalar(0x1F1EB))
        some("a keycap", scalar(0x20E3))
        some("VS16", scalar(0xFE0F))
        some("a combining acute", scalar(0x301))
        some("a virama", scalar(0x94D))
        some("CJK", scalar(0x4E2D))
        some("Arabic", scalar(0x645))
        some("Hebrew", scalar(0x5E9))
        some("an astral letter", scalar(0x1D49C))
        some("a text starting with a combining mark") { $0.text.unicodeScalars.first?.properties.generalCategory == .nonspacingMark }
        some("a span of the whole text") { c in c.specs.contains { $0.range == 0..<c.boundaries.last! } }
        some("a span ending at the end") { c in c.specs.contains { $0.range.upperBound == c.boundaries.last! && $0.range.lowerBound > 0 } }
        some("a span over one multi-scalar grapheme") { c in
            c.specs.contains { spec in spec.range.count > 1 && c.boundaries.contains(spec.range.lowerBound)
                && c.boundaries.firstIndex(of: spec.range.lowerBound).map { c.boundaries[$0 + 1] == spec.range.upperBound } == true }
        }
        some("a note with CRLF") { c in c.specs.contains { $0.note.contains("\r\n") } }
        some("a tag value with a comma and a quote") { c in c.specs.contains { $0.tags.contains { $0.value.contains(",") && $0.value.contains("\"") } } }
        some("an annotation without tags") { c in c.specs.contains { $0.tags.isEmpty } }
        some("five annotations") { $0.specs.count == 5 }
        // Span ends always fall on grapheme boundaries, and the boundaries are not simply
        // every code point (the texts do have multi-scalar graphemes).
        for c in cases {
            let boundaries = Set(Self.graphemeBoundaries(c.text))
            for spec in c.specs {
                #expect(boundaries.contains(spec.range.lowerBound) && boundaries.contains(spec.range.upperBound) && !spec.range.isEmpty,
                        "case \(c.number): span \(spec.range) is empty or not on grapheme boundaries")
            }
        }
        #expect(texts.reduce(0) { $0 + $1.unicodeScalars.count } > texts.reduce(0) { $0 + $1.count } + 1000)
        // Deterministic: the same seed gives the same cases.
        let again = Self.cases()
        #expect(zip(cases, again).allSatisfy { Self.sameScalars($0.text, $1.text) && $0.specs.map(\.range) == $1.specs.map(\.range) })
    }

    @Test("the validator driver fails on broken exports: shifted offsets, a counted BOM, a wrong quote, a schema violation")
    func driverRejectsBrokenExports() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        // One good case, then four bad ones made from real exports.
        let text = "Caf\u{E9} \u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467} talks\r\n\r\nDa\u{301}esh \u{1D49C} 中文"
        let scalars = Array(text.unicodeScalars)
        let quote = "Da\u{301}esh"
        let begin = try #require((0...(scalars.count - 6)).first { Self.sameScalars(Self.slice(scalars, $0..<$0 + 6), quote) })
        func makeExport(_ n: Int, bom: Bool) throws -> [String: Any] {
            let path = folder.appendingPathComponent("case-\(n).txt").path
            try Data((bom ? [0xEF, 0xBB, 0xBF] : []) + Array(text.utf8)).write(to: URL(fileURLWithPath: path))
            let document = try Document(contentsOfFile: path)
            let annotation = Annotation(document: document, range: begin..<begin + 6,
                                        tags: [GlossCore.Tag(category: "actor", value: "ISIL, \"Daesh\"")],
                                        note: "n", author: "ana", date: Date(timeIntervalSince1970: 1_795_000_000),
                                        id: "6F9619FF-8B86-4011-B42D-00CF4FC964FF")
            let export = try ExportFormat.w3c.export(document: document, annotations: [annotation], codebook: Self.codebook)
            return try #require(try JSONSerialization.jsonObject(with: Data(export.utf8)) as? [String: Any])
        }
        func write(_ n: Int, _ json: [String: Any]) throws {
            try JSONSerialization.data(withJSONObject: json).write(to: folder.appendingPathComponent("case-\(n).json"))
        }
        func editItem(_ json: [String: Any], _ edit: (inout [String: Any]) -> Void) -> [String: Any] {
            var json = json, first = json["first"] as! [String: Any]
            var items = first["items"] as! [[String: Any]]
            edit(&items[0])
            first["items"] = items
            json["first"] = first
            return json
        }
        func editPosition(_ item: inout [String: Any], by delta: Int) {
            var target = item["target"] as! [String: Any]
            var selectors = target["selector"] as! [[String: Any]]
            let index = selectors.firstIndex { $0["type"] as? String == "TextPositionSelector" }!
            selectors[index]["start"] = (selectors[index]["start"] as! Int) + delta
            selectors[index]["end"] = (selectors[index]["end"] as! Int) + delta
            target["selector"] = selectors
            item["target"] = target
        }
        try write(0, try makeExport(0, bom: true))
        // 1: offsets one code point off
        try write(1, editItem(try makeExport(1, bom: false)) { editPosition(&$0, by: 1) })
        // 2: the byte-order mark counted as a code point
        try write(2, editItem(try makeExport(2, bom: true)) { editPosition(&$0, by: 1) })
        // 3: a quote normalised to NFC (é precomposed), equal as a Swift String but not in code points
        try write(3, editItem(try makeExport(3, bom: false)) { item in
            var target = item["target"] as! [String: Any]
            var selectors = target["selector"] as! [[String: Any]]
            let index = selectors.firstIndex { $0["type"] as? String == "TextQuoteSelector" }!
            selectors[index]["exact"] = "D\u{E1}esh"
            target["selector"] = selectors
            item["target"] = target
        })
        // 4: no @context on the annotation (W3C must-assertion)
        try write(4, editItem(try makeExport(4, bom: false)) { $0["@context"] = nil })

        let result = try #require(try Self.runDriver(folder: folder, count: 5))
        let output = result.output + result.error
        #expect(result.status != 0, "the driver accepted broken exports:\n\(output)")
        #expect(output.contains("1 cases validated, 4 failed, 1 annotations"), "\(output)")
        for n in 1...4 {
            #expect(output.contains("case \(n): status 1"), "case \(n) was not reported:\n\(output)")
        }
        #expect(!output.contains("case 0:"), "the good case was reported:\n\(output)")
    }
}
