import ClaimCore
import Foundation
import Testing
@testable import PermutationSGD

@Suite struct ExponentialPermutationsTests {

    /// Lexicographic ranks map to permutations in order: 0 is the identity, n!−1 the reverse.
    @Test func lexicographicPermutations() {
        #expect(ExponentialPermutations.permutation(rank: 0, of: 4) == [0, 1, 2, 3])
        #expect(ExponentialPermutations.permutation(rank: 1, of: 4) == [0, 1, 3, 2])
        #expect(ExponentialPermutations.permutation(rank: 23, of: 4) == [3, 2, 1, 0])
    }

    /// Non-quadratic family: x* solves F′ = 0, and shooting turns the stalled linear-model plan into a decaying one.
    @Test func shootingCorrectsTheLinearPlan() {
        let random = RandomStream(seed: 3)
        let instance = ExponentialPermutations.Instance(curvatures: random.uniforms(8, 0.5, 2), offsets: random.gaussians(8),
                                                        tanhWeights: random.uniforms(8, 0, 1), stepSize: 0.02)
        let x = instance.minimizer
        let gradient = (0..<8).reduce(0.0) { $0 + instance.curvatures[$1] * x + instance.offsets[$1] + instance.tanhWeights[$1] * tanh(x) }
        #expect(abs(gradient) < 1e-12)
        let candidates = stride(from: 0, to: 40320, by: 97).map { ExponentialPermutations.permutation(rank: $0, of: 8) }
        let (plus, minus) = instance.extremeOrders(candidates)
        let linear = ExponentialPermutations.shootingErrors(instance, plus: plus, minus: minus, epochs: [60], start: x + 1, iterations: 1)[0]
        let shot = ExponentialPermutations.shootingErrors(instance, plus: plus, minus: minus, epochs: [60], start: x + 1, iterations: 30)[0]
        #expect(shot < 1e-3 * linear, "shooting \(shot) vs linear plan \(linear)")
    }
}
