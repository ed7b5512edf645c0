import ClaimCore
import Foundation
import Testing
@testable import PermutationSGD

@Suite struct ReplacementRateTests {


    /// The derived SGD variance constant is positive and finite on an E1 instance.
    @Test func derivedConstantIsFinite() throws {
        let problem = try E1.instance(components: 16, dimension: 3, random: RandomStream(seed: 3))
        let constants = try E1Constants(problem: problem, stepConstant: 4, permutations: 200, random: RandomStream(seed: 4))
        #expect(constants.replacementVarianceTimesK > 0 && constants.replacementVarianceTimesK.isFinite)
        #expect(constants.fluctuation > 0 && constants.bias > 0)
    }
}
