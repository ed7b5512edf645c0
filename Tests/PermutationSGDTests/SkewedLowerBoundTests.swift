import ClaimCore
import Foundation
import Testing
@testable import PermutationSGD

@Suite struct SkewedLowerBoundTests {


    /// The skewed step uses the steep curvature on the right of x* and the shallow one on the left.
    @Test func skewedStepUsesTheRightCurvature() {
        let phi = SkewedCurvature(steep: 4, shallow: 1)
        #expect(phi.step(1, stepSize: 0.1, offset: 0) == 1 - 0.4)
        #expect(phi.step(-1, stepSize: 0.1, offset: 0) == -(1 - 0.1))
        #expect(phi.step(0, stepSize: 0.1, offset: 1) == -0.1)
    }

    /// Lanes share one permutation per epoch and reproduce, bit for bit, the single run with the same stream —
    /// for lanes of different steps (best-step grid) and of different epoch counts (the authors' K-sweep).
    @Test func lanesMatchSingleRuns() {
        let engine = SkewedSignsRR(curvature: SkewedCurvature(steep: 4, shallow: 1), components: 12, kick: 1)
        let epochs = [7, 3, 7, 5], steps = [0.01, 0.02, 0.005, 0.03]
        let lanes = engine.runLanes(epochs: epochs, stepSizes: steps, from: -1, random: RandomStream(seed: 11))
        for l in epochs.indices {
            let single = engine.run(epochs: epochs[l], stepSize: steps[l], from: -1, random: RandomStream(seed: 11))
            #expect(lanes[l] == single, "lane \(l): \(lanes[l]) vs \(single)")
        }
    }
}
