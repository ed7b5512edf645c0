import ClaimCore
import Foundation
import Testing
@testable import PermutationSGD

@Suite struct SchemeComparisonTests {


    /// E1 instances solve for x*: the full gradient vanishes there.
    @Test func instanceMinimiserHasZeroGradient() throws {
        let problem = try E1.instance(components: 8, dimension: 3, random: RandomStream(seed: 5))
        var gradient = [Double](repeating: 0, count: 3)
        for a in 0..<8 {
            let h = Matrix(rows: 3, columns: 3, elements: Array(problem.hessians[(a * 9)..<((a + 1) * 9)]))
            var g = problem.linearTerms[(a * 3)..<((a + 1) * 3)].map { -$0 }
            try h.multiply(problem.minimizer, alpha: 1, beta: 1, into: &g)
            Vector.axpy(1, g, &gradient)
        }
        #expect(Vector.norm(gradient) < 1e-12)
    }

    /// 1-D lanes (one order per epoch for a whole step grid) equal the single runs of `PermutationSGD.run` bit for bit.
    @Test func oneDimensionalLanesMatchSingleRuns() throws {
        let problem = try RRVersusReplacement.instance(components: 6, steep: 4, shallow: 1)
        let steps = [0.003, 0.01, 0.05]
        for scheme in [SamplingScheme.singleShuffle, .reshuffling, .incremental, .flipFlopReshuffling] {
            let lanes = PermutationSGD.runLanes(problem: problem, scheme: scheme, stepSizes: steps, epochs: 9, from: 1, random: RandomStream(seed: 4))
            for (l, step) in steps.enumerated() {
                let single = PermutationSGD(problem: problem, scheme: scheme, stepSize: step).run(epochs: 9, from: [1], random: RandomStream(seed: 4))[0]
                #expect(lanes[l] == single, "\(scheme.rawValue) lane \(l)")
            }
        }
    }
}
