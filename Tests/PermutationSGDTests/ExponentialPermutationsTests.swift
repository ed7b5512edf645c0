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
}
