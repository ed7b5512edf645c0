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

    /// lottery.authors-experiment's per-prefix kernel and `cref_prefix_errors` agree bit for bit: every prefix's
    /// errors, the subset sizes and the signed residuals, at a small size and at the benchmark's size (n = 21, m = 784).
    @Test(arguments: [(12, 50, 3), (21, 784, 1)])
    func prefixErrorsMatchTheCReferenceBitForBit(size: Int, targets: Int, rows: Int) throws {
        let workload = LotteryPrefixWorkload(size: size, targets: targets, rows: rows, seed: 9)
        let swift = workload.swiftRows()
        let c = try #require(workload.cRows())
        #expect(swift.count == rows && c.count == rows)
        for (s, r) in zip(swift, c) {
            #expect(s.errors.count == size + 1 && s.errors.allSatisfy { $0.count == targets })
            #expect(s.errors.map { $0.map(\.bitPattern) } == r.errors.map { $0.map(\.bitPattern) })
            #expect(s.sizes == r.sizes)
            #expect(s.residuals.map(\.bitPattern) == r.residuals.map(\.bitPattern))
            // Not trivially equal: k = 0 is |z|, and the errors shrink as coefficients are added.
            #expect(s.errors[size].reduce(0, +) < s.errors[0].reduce(0, +))
            #expect(zip(s.residuals, s.errors[size]).allSatisfy { abs($0) == $1 })
        }
        let closures = workload.workload()
        #expect(try closures.swift() == closures.c())
    }
}
