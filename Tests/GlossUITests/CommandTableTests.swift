import Testing
@testable import GlossUI
import GlossCore

/// The command table: every command has a stable name, at least one key and a help line,
/// and the keymap binds nothing that is not a command.
@Suite struct CommandTableTests {
    @Test("every command has a name, a binding and a help line; names are unique and read back")
    func everyCommandIsNamedBoundAndHelped() {
        let keymap = Keymap(codebook: Fixture.codebook)
        let commands = Action.commands(for: Fixture.codebook)
        var names = Set<String>()
        for command in commands {
            let name = command.name
            #expect(names.insert(name).inserted, "two commands are called \(name)")
            #expect(Action(name: name, codebook: Fixture.codebook) == command)
            let bindings = keymap.bindings.filter { $0.action == command }
            #expect(!bindings.isEmpty && bindings.allSatisfy { !$0.keys.isEmpty }, "\(name) has no key")
            #expect(bindings.contains { !$0.description.isEmpty }, "\(name) has no help line")
            #expect(bindings.allSatisfy { binding in
                keymap.helpRows.contains { $0.description == binding.description }
            }, "\(name) is missing from the help")
        }
        #expect(names.contains("tag:actor") && names.contains("next-sentence") && names.contains("delete-annotation"))
        for binding in keymap.bindings {
            #expect(commands.contains(binding.action), "\(binding.description) is bound but is not a command")
        }
        #expect(Action(name: "no-such-command", codebook: Fixture.codebook) == nil)
    }
}
