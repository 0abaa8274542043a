import CNcursesw
import Foundation
import Testing
@testable import GlossUI

/// The layout's width of every character agrees with the C library's `wcwidth`, which is
/// what ncurses advances the cursor by; a disagreement would move the pane border.
@Suite struct WidthAgreementTests {
    @Test("DisplayWidth agrees with wcwidth on every assigned printable scalar of planes 0 to 3")
    func agreesWithWcwidth() throws {
        try #require(setlocale(LC_CTYPE, "C.UTF-8") != nil)
        var disagreements: [String] = []
        var checked = 0
        for value in UInt32(0x20)...UInt32(0x3FFFF) {
            guard let scalar = Unicode.Scalar(value), !DisplayWidth.isControl(scalar) else { continue }
            switch scalar.properties.generalCategory {
            case .unassigned, .surrogate, .privateUse: continue
            default: break
            }
            let system = Int(wcwidth(wchar_t(bitPattern: value)))
            guard system >= 0 else { continue }  // the C library does not know it yet
            checked += 1
            let ours = DisplayWidth.columns(of: scalar)
            if ours != system { disagreements.append(String(format: "U+%04X ours %d wcwidth %d", value, ours, system)) }
        }
        #expect(checked > 70_000)
        #expect(disagreements.isEmpty, "\(disagreements.count) disagreements, first: \(disagreements.prefix(20))")
    }
}
