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
}
