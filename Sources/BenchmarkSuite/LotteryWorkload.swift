import CReference
import ClaimCore
import LotterySubsetSum

/// Worst-case random-SubsetSum error over [−1, 1] of n U[−1, 1] numbers, `SubsetSum.worstCaseError` as
/// lottery.lueker-coverage calls it: the 2ⁿ sorted subset sums by the Horowitz–Sahni merge, then SUP (endpoints and
/// every gap whose midpoint lies in [−1, 1]). `repeats` instances per timed run.
public struct LotteryWorkload {
    public let size: Int
    public let instances: [[Double]]

    public init(size n: Int, repeats: Int, seed: UInt64) {
        let random = RandomStream(StreamKey(claim: "bench.lottery", masterSeed: seed, path: [n]))
        size = n
        instances = (0..<repeats).map { _ in random.uniforms(n, -1, 1) }
    }

    public func runSwift() -> [Double] {
        instances.map { SubsetSum.worstCaseError($0, over: -1, 1) }
    }

    public func runC() -> [Double] {
        instances.map { cref_worst_case_error($0, $0.count, -1, 1) }
    }

    public func workload() -> Workload {
        Workload(family: "lottery", name: "subset-sum ENUM + SUP, n = \(size)", size: "2^\(size) sums, \(instances.count) instances",
                 loopBound: true, flops: nil,
                 calls: "`SubsetSum.worstCaseError(_:over:_:)` · `cref_worst_case_error` · —",
                 swift: runSwift, c: runC, numpy: nil)
    }
}
