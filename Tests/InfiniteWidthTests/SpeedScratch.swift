import ClaimCore
import Foundation
import Testing
@testable import InfiniteWidth

@Suite struct SpeedScratch {
    @Test func stepSpeed() throws {
        let random = RandomStream(seed: 1)
        let x = sphereInputs(count: 64, dimension: 8, random: random)
        let y = (0..<64).map { x[$0, 0] * x[$0, 1] }
        let raw = RawWeights(width: 1024, dimension: 8, layers: 1, random: random)
        var net = Network(raw, .mup, eta: 1)
        let c0 = clock()
        for _ in 0..<1000 { try net.step(x, y) }
        print("SPEED cpu per step µs:", Double(clock() - c0) / Double(CLOCKS_PER_SEC) * 1000)
    }
}
