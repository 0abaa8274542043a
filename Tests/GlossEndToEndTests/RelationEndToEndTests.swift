import Foundation
import GlossTestSupport
import Testing

/// Linking two annotations in a real terminal (tmux, its own socket): the relation reaches
/// the store file, comes back in the detail view after reopening, and exports.
@Suite(.serialized) struct RelationEndToEndTests {
    struct Store: Decodable {
        struct Tag: Decodable { var category: String; var value: String }
        struct StoredAnnotation: Decodable { var id: String; var tags: [Tag] }
        struct StoredRelation: Decodable { var id: String; var type: String; var from: String; var to: String }
        var version: Int
        var annotations: [StoredAnnotation]
        var relations: [StoredRelation]
    }

    @Test func linkAnActorToACooperationMeasureSaveReopenAndSeeIt() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let article = try folder.copy(Paths.seedArticle)
        var session = try TmuxSession(command: glossCommand([article.lastPathComponent]), width: 120, height: 40, folder: folder.url)
        try session.waitFor("? help")
        // the second sentence as an actor, the third as a cooperation measure
        try session.send("j", "a")
        try session.waitFor("Actor:")
        try session.send("UNOCT", literal: true)
        try session.send("Enter")
        try session.waitFor("Tagged Actor: UN Office of Counter-Terrorism")
        try session.send("j", "c")
        try session.waitFor("Cooperation measure:")
        try session.send("information sharing", literal: true)
        try session.send("Enter")
        try session.waitFor("Tagged Cooperation measure: information sharing")
        // link: r on the actor, ] to the measure, r, Enter takes the one fitting type
        try session.send("g", "]", "r")
        try session.waitFor("Link from Actor: UN Office of Counter-Terrorism")
        try session.send("]", "r")
        try session.waitFor("(Enter: undertakes)")
        try session.send("Enter")
        try session.waitFor("Linked Actor: UN Office of Counter-Terrorism —undertakes→ Cooperation measure: information sharing")
        try session.send("q")
        #expect(try session.waitForExit() == 0)

        let storeURL = folder.url.appendingPathComponent(article.lastPathComponent + ".gloss.json")
        let store = try JSONDecoder().decode(Store.self, from: Data(contentsOf: storeURL))
        #expect(store.version == 3)
        try #require(store.annotations.count == 2 && store.relations.count == 1)
        let relation = store.relations[0]
        let actor = try #require(store.annotations.first { $0.tags.first?.category == "actor" })
        let measure = try #require(store.annotations.first { $0.tags.first?.category == "cooperation-measure" })
        #expect(relation.type == "undertakes" && relation.from == actor.id && relation.to == measure.id)

        // reopen: the measure's detail view shows the relation pointing to it
        session = try TmuxSession(command: glossCommand([article.lastPathComponent]), width: 120, height: 40, folder: folder.url)
        try session.waitFor("? help")
        try session.send("g", "]", "]", "Enter")
        let screen = try session.waitFor("← undertakes from Actor: UN Office of Counter-Terrorism")
        #expect(screen.contains { $0.contains("Relations") })
        try session.send("Escape", "q")
        #expect(try session.waitForExit() == 0)

        // and the W3C export links the two
        let export = folder.url.appendingPathComponent("export.jsonld")
        let exported = try run(Paths.gloss.path, ["export", article.path, "--format", "w3c", "-o", export.path],
                               environment: ["GLOSS_RESOURCES": Paths.package.appendingPathComponent("Resources").path])
        #expect(exported.status == 0, "gloss export failed: \(exported.error)")
        let python = try #require(which("python3"), "python3 is needed for the W3C validator")
        let validation = try run(python, [Paths.w3cValidator.path, export.path, "--source", article.path])
        #expect(validation.status == 0, "validator: \(validation.output)\(validation.error)")
        #expect(validation.output.contains("3 annotations checked"))
        let text = try String(contentsOf: export, encoding: .utf8)
        #expect(text.contains("\"motivation\" : \"linking\""))

        // CSV with -o writes the relations table beside the output
        let csv = folder.url.appendingPathComponent("export.csv")
        let csvRun = try run(Paths.gloss.path, ["export", article.path, "--format", "csv", "-o", csv.path],
                             environment: ["GLOSS_RESOURCES": Paths.package.appendingPathComponent("Resources").path])
        #expect(csvRun.status == 0, "\(csvRun.error)")
        let relations = try String(contentsOf: folder.url.appendingPathComponent("export.relations.csv"), encoding: .utf8)
        #expect(relations.hasPrefix("document,relation_id,type,type_label,from_id"))
        #expect(relations.contains(",undertakes,undertakes,\(actor.id),actor,UN Office of Counter-Terrorism,"))
    }
}
