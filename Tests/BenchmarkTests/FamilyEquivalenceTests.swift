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

    @Test(arguments: [(6, 3, 6), (8, 4, 2)])
    func infoNCELossAndGradientMatchTheCReference(points: Int, dimension: Int, batchSize: Int) {
        LibrarySetup.once
        let workload = ContrastiveWorkload(points: points, dimension: dimension, batchSize: batchSize, repeats: 2, seed: 5)
        let swift = workload.runSwift(), c = workload.runC()
        #expect(swift.count == 1 + 2 * points * dimension)
        #expect(relativeDifference(swift, c) <= 1e-12)
        #expect(swift.dropFirst().contains { abs($0) > 1e-6 })
    }

    @Test func widthGradientDescentMatchesTheCReference() throws {
        LibrarySetup.once
        let workload = InfiniteWidthWorkload(count: 9, dimension: 4, width: 33, steps: 7, seed: 3)
        let swift = try workload.runSwift(), c = workload.runC()
        #expect(swift.count == 1 + 33 * 4 + 33)
        #expect(relativeDifference(swift, c) <= 1e-12)
        #expect(swift[0] > 0)
    }

    @Test func adversarialTrainingMatchesTheCReference() {
        LibrarySetup.once
        let workload = AdversarialWorkload(count: 200, dimension: 7, epochs: 5, seed: 9)
        let swift = workload.runSwift(), c = workload.runC()
        #expect(relativeDifference(swift, c) <= 1e-12)
        #expect(Vector.norm(swift) > 1e-6)
    }

    @Test func thresholdForwardMatchesTheCReferenceAndMemorises() throws {
        LibrarySetup.once
        let workload = try ThresholdWorkload(count: 60, dimension: 3, separation: 0.2, repeats: 1, seed: 4)
        let swift = try workload.runSwift(), c = try workload.runC()
        #expect(swift == c)
        // The construction memorises its labels, so both must reproduce them (a mismatch would not be "equal but wrong").
        #expect(swift == workload.labels.map(Double.init))
        #expect(Set(swift).count == 2)
    }
}
