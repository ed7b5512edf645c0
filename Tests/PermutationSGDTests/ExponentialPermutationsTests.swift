import ClaimCore
import Foundation
import Testing
@testable import PermutationSGD

@Suite struct ExponentialPermutationsTests {

    @Test func holdsAtQuickScale() {
        let report = QuickRuns.run(ExponentialPermutations())
        #expect(report.verdict == .holds, "\(report.reason)")
        #expect(report.checks.count >= 2)
    }

    @Test func controlIsRejected() throws {
        let claim = ExponentialPermutations()
        let control = try #require(claim.controls.first { $0.id == "random-orders" })
        let report = QuickRuns.run(claim, control: control)
        #expect(report.verdict == .violated, "\(report.reason)")
    }

    /// Lexicographic ranks map to permutations in order: 0 is the identity, n!−1 the reverse.
    @Test func lexicographicPermutations() {
        #expect(ExponentialPermutations.permutation(rank: 0, of: 4) == [0, 1, 2, 3])
        #expect(ExponentialPermutations.permutation(rank: 1, of: 4) == [0, 1, 3, 2])
        #expect(ExponentialPermutations.permutation(rank: 23, of: 4) == [3, 2, 1, 0])
    }
}
