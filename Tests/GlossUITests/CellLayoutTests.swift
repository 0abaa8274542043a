import Testing
import GlossUI

/// A screen buffer is allocated, filled and compared cell by cell at every frame, the first
/// one included: its cells stay small.
@Suite struct CellLayoutTests {
    @Test func aCellTakesAtMostFortyBytes() {
        // String (16) + width (8) + two colours and four flags (12)
        #expect(MemoryLayout<Cell>.stride <= 40)
        #expect(MemoryLayout<Color>.size <= 4)
    }

    @Test func coloursKeepEveryChannelAndPaletteEntry() {
        #expect(Color(named: "#FF8700").rgb! == (255, 135, 0))
        #expect(Color(named: "#000000").rgb! == (0, 0, 0))
        #expect(Color(named: "bright-cyan") == .indexed(14))
        #expect(Color.indexed(255).rgb! == (238, 238, 238))
        #expect(Color.indexed(14).nearestBasicIndex == 6)
    }
}
