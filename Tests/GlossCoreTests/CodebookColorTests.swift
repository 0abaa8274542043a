import Foundation
import Testing
@testable import GlossCore

/// Category colours in codebook files: the eight names, their bright variants and
/// `#RRGGBB` load; anything else is refused naming the file and what to write.
@Suite("Codebook colours")
struct CodebookColorTests {
    /// Writes a codebook whose one category has colour `color` and loads it.
    static func load(color: String) throws -> Codebook {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gloss-colour-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("codebook.json").path
        let json = #"{"name": "Colours", "categories": [{"id": "actor", "label": "Actor", "key": "a", "color": "\#(color)", "description": "", "values": []}]}"#
        try Data(json.utf8).write(to: URL(fileURLWithPath: path))
        return try Codebook.load(path: path)
    }

    @Test("names in any case, bright- names and #RRGGBB in either case load as written",
          arguments: ["cyan", "Red", "bright-magenta", "Bright-White", "#1E90FF", "#ff8700"])
    func accepted(color: String) throws {
        #expect(try Self.load(color: color).categories[0].color == color)
    }

    @Test("a colour that is none of them is refused with the file, the category and what to write",
          arguments: ["orange", "#12345", "#1234567", "1E90FF", "#GG0000", "bright-", ""])
    func refused(color: String) throws {
        do {
            _ = try Self.load(color: color)
            Issue.record("\(color) was taken")
        } catch let error as CodebookError {
            #expect(error.path.hasSuffix("/codebook.json"))
            #expect(error.problem.hasPrefix("category \"actor\" has colour \"\(color)\"; use one of black, red"))
            #expect(error.problem.contains("bright-red") && error.problem.contains("#RRGGBB"))
        }
    }

    @Test("the HTML report marks a #RRGGBB or bright category in the nearest of its colours")
    func htmlReportColour() throws {
        let document = Document(text: "Ministers met in Valmora. Critics warned.\n", path: "a.txt")
        let codebook = Codebook(name: "c", categories: [
            Category(id: "actor", label: "Actor", key: "a", color: "#FF8700", description: "", values: []),
            Category(id: "threat", label: "Threat", key: "t", color: "bright-blue", description: "", values: []),
        ])
        let annotations = [
            Annotation(document: document, range: 0..<9, tags: [Tag(category: "actor", value: "")], author: "t"),
            Annotation(document: document, range: 26..<33, tags: [Tag(category: "threat", value: "")], author: "t"),
        ]
        let html = try HTMLExporter.export(document: document, annotations: annotations, codebook: codebook)
        // the legend's swatches (the style sheet names every colour, these name the categories')
        #expect(html.contains("<span class=\"sw k-yellow"))
        #expect(html.contains("<span class=\"sw k-blue"))
        #expect(!html.contains("<span class=\"sw k-none"))
    }

    @Test("exports write a #RRGGBB colour as it is and a bright name as xterm's colour")
    func exportedHex() {
        #expect(RefiQDA.hex(ofColor: "#1e90ff") == "#1E90FF")
        #expect(RefiQDA.hex(ofColor: "bright-red") == "#FF0000")
        #expect(RefiQDA.hex(ofColor: "Cyan") == "#00CDCD")
        #expect(RefiQDA.hex(ofColor: "no colour") == "#E5E5E5")
    }
}
