import ClaimCore
import Foundation
import Testing
@testable import PermutationSGD

@Suite struct ReplacementRateTests {

    @Test func holdsAtQuickScale() {
        let report = QuickRuns.run(ReplacementRate())
        #expect(report.verdict == .holds, "\(report.reason)")
        #expect(report.checks.count >= 2)
    }

    @Test func controlIsRejected() throws {
        let claim = ReplacementRate()
        let control = try #require(claim.controls.first { $0.id == "reshuffling-claimed-as-replacement" })
        let report = QuickRuns.run(claim, control: control)
        #expect(report.verdict == .violated, "\(report.reason)")
    }

    /// The derived SGD variance constant is positive and finite on an E1 instance.
    @Test func derivedConstantIsFinite() throws {
        let problem = try E1.instance(components: 16, dimension: 3, random: RandomStream(seed: 3))
        let constants = try E1Constants(problem: problem, stepConstant: 4, permutations: 200, random: RandomStream(seed: 4))
        #expect(constants.replacementVarianceTimesK > 0 && constants.replacementVarianceTimesK.isFinite)
        #expect(constants.fluctuation > 0 && constants.bias > 0)
    }
}
