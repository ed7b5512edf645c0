import ClaimCore
import Testing
@testable import BenchmarkSuite

/// Swift (the families' public API) and the C references compute the same numbers at small sizes.
@Suite struct FamilyEquivalenceTests {
    @Test(arguments: [2, 5])
    func linearAttentionForwardMatchesTheCReference(dimension: Int) {
        LibrarySetup.once
        let workload = LinearAttentionWorkload(dimension: dimension, repeats: 2, seed: 11)
        let swift = workload.runSwift(), c = workload.runC()
        #expect(relativeDifference(swift, c) <= 1e-12)
        // The pass changed the prompt (the iterate block holds X₁ = X₀(2I − AX₀) ≠ X₀).
        #expect(relativeDifference(swift, workload.prompt.elements) > 1e-9)
    }
}
