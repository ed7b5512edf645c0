import ClaimCore
import Testing
@testable import PermutationSGD

@Suite struct RRVersusReplacementTests {


    @Test func instanceHasTheStatedMinimiserAndConstants() throws {
        let problem = try RRVersusReplacement.instance(components: 4, steep: 4, shallow: 1)
        #expect(abs(problem.minimizer[0]) < 1e-15)
        #expect(abs(problem.strongConvexity - 2.5) < 1e-12)
        #expect(abs(problem.smoothness - 4) < 1e-12)
    }

    /// The d > 1 (dgemv) path and the scalar path agree on a diagonal problem whose coordinates decouple.
    @Test func vectorPathMatchesScalarPath() throws {
        let scalar = try RRVersusReplacement.instance(components: 4, steep: 4, shallow: 1)
        let hessians = (0..<4).map { i in Matrix.diagonal([i < 2 ? 4 : 1, i < 2 ? 4 : 1]) }
        let linear = (0..<4).map { i in [i < 2 ? -1.0 : 1, i < 2 ? -1.0 : 1] }
        let vector = try QuadraticSum(dimension: 2, hessians: hessians, linearTerms: linear)
        let x1 = PermutationSGD(problem: scalar, scheme: .incremental, stepSize: 0.01).run(epochs: 50, from: [1], random: RandomStream(seed: 1))
        let x2 = PermutationSGD(problem: vector, scheme: .incremental, stepSize: 0.01).run(epochs: 50, from: [1, 1], random: RandomStream(seed: 1))
        #expect(abs(x1[0] - x2[0]) < 1e-14 && abs(x1[0] - x2[1]) < 1e-14)
    }
}
