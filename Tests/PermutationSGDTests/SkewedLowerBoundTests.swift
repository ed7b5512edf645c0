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
}
