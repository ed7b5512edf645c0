import ClaimCore
import Foundation
import Testing
@testable import PermutationSGD

@Suite struct FlipFlopTests {


    /// FlipFlop-IGD over two epochs equals IGD then reversed IGD.
    @Test func flipFlopReversesEveryOtherEpoch() throws {
        let problem = try E1.instance(components: 5, dimension: 2, random: RandomStream(seed: 6))
        let x0 = [1.0, -1.0]
        let ff = PermutationSGD(problem: problem, scheme: .flipFlopIncremental, stepSize: 0.05).run(epochs: 2, from: x0, random: RandomStream(seed: 1))
        let one = PermutationSGD(problem: problem, scheme: .incremental, stepSize: 0.05).run(epochs: 1, from: x0, random: RandomStream(seed: 1))
        var x = one
        let d = 2
        for i in (0..<5).reversed() {
            let h = Matrix(rows: d, columns: d, elements: Array(problem.hessians[(i * 4)..<((i + 1) * 4)]))
            var g = problem.linearTerms[(i * 2)..<((i + 1) * 2)].map { -$0 }
            try h.multiply(x, alpha: 1, beta: 1, into: &g)
            Vector.axpy(-0.05, g, &x)
        }
        #expect(abs(ff[0] - x[0]) < 1e-14 && abs(ff[1] - x[1]) < 1e-14)
    }
}
