import ClaimCore
import Foundation
import Testing
@testable import PermutationSGD

@Suite struct SkewedLowerBoundTests {

    @Test func holdsAtQuickScale() {
        let report = QuickRuns.run(SkewedLowerBound())
        #expect(report.verdict == .holds, "\(report.reason)")
        #expect(report.checks.count >= 2)
    }

    @Test func controlIsRejected() throws {
        let claim = SkewedLowerBound()
        let control = try #require(claim.controls.first { $0.id == "equal-curvatures" })
        let report = QuickRuns.run(claim, control: control)
        #expect(report.verdict == .violated, "\(report.reason)")
    }

    /// The skewed step uses the steep curvature on the right of x* and the shallow one on the left.
    @Test func skewedStepUsesTheRightCurvature() {
        let phi = SkewedCurvature(steep: 4, shallow: 1)
        #expect(phi.step(1, stepSize: 0.1, offset: 0) == 1 - 0.4)
        #expect(phi.step(-1, stepSize: 0.1, offset: 0) == -(1 - 0.1))
        #expect(phi.step(0, stepSize: 0.1, offset: 1) == -0.1)
    }
}
