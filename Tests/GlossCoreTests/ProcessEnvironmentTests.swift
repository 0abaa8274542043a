import Foundation
@testable import GlossCore
import Testing

@Suite struct ProcessEnvironmentTests {
    @Test("variables, read from environ, are the process's environment as Foundation reads it")
    func variablesAsFoundationReadsThem() {
        let foundation = ProcessInfo.processInfo.environment
        #expect(!ProcessEnvironment.variables.isEmpty)
        #expect(ProcessEnvironment.variables == foundation)
        for (name, value) in ProcessEnvironment.variables {
            #expect(ProcessEnvironment.value(name) == value, "\(name)")
        }
    }
}
