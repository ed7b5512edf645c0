import ClaimCore
import Testing
@testable import BenchmarkSuite

/// The subset-sum kernel and its C reference compute the same worst-case errors (no timing).
@Suite struct LotteryEquivalenceTests {
    @Test(arguments: [1, 5, 12])
    func subsetSumMatchesTheCReference(size: Int) {
        let workload = LotteryWorkload(size: size, repeats: 3, seed: 5)
        let swift = workload.runSwift(), c = workload.runC()
        #expect(swift == c, "Swift \(swift) vs C \(c)")
        #expect(swift.allSatisfy { $0 > 0 && $0 < 2 })
    }
}
