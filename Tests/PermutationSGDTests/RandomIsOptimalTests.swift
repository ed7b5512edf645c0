import ClaimCore
import Foundation
import Testing
@testable import PermutationSGD

@Suite struct RandomIsOptimalTests {


    /// Over one IGD epoch from x* = 0 with L = μ = 0 every coordinate gets exactly one kick −αG and drift +αG in total.
    @Test func kicksAndDriftCancelOverAnEpochWithoutCurvature() {
        let engine = SkewedKicks(curvature: SkewedCurvature(steep: 0, shallow: 0), dimension: 4, kick: 1)
        let error = engine.run(strategy: .incremental, epochs: 3, stepSize: 0.1, candidates: 1, random: RandomStream(seed: 1))
        #expect(error < 1e-28)
    }
}
