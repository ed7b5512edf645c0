import CReference
import ClaimCore
import LotterySubsetSum

/// What lottery.authors-experiment computes per row of a weight matrix: `SubsetSum.prefixErrors` of n coefficients
/// U[low, high] (the range of the authors' fc1/fc2 weights, as printed in their fc2_approx.out) for a row of m targets,
/// i.e. the list merge with subset masks over every prefix k = 0…n and a bisection per target after each prefix.
/// The targets are synthetic, N(0, 0.02²) (of the order of the trained fc1 weights; the cost does not depend on them).
/// `rows` rows per timed run. Both ways allocate their four 2ⁿ scratch buffers (48 MB at n = 21) per row, so the times
/// include page faults, and glibc's heap trimming treats the two ways differently: the Swift kernel's result arrays are
/// allocated after its scratch buffers and stay alive, which keeps the freed scratch in the heap for the next row,
/// while the C reference (outputs passed in by the caller) leaves nothing above its scratch, so glibc trims it and
/// every row faults it in again. With trimming off (GLIBC_TUNABLES=glibc.malloc.trim_threshold=…) the ratio is the
/// code generation's alone.
public struct LotteryPrefixWorkload {
    /// Coefficient range of the authors' Experiment 1 (`TrainedTarget.printedLow/printedHigh`).
    public static let low = -0.46423155069351196, high = 0.5407021641731262

    /// One row's results: errors[k][t] for k = 0…n, subset sizes and signed residuals at k = n.
    public struct Row: Equatable {
        public let errors: [[Double]]
        public let sizes: [Int]
        public let residuals: [Double]
    }

    public let size: Int
    public let targetCount: Int
    public let coefficients: [[Double]]
    public let targets: [[Double]]

    public init(size n: Int, targets m: Int, rows: Int, seed: UInt64) {
        let random = RandomStream(StreamKey(claim: "bench.lottery-prefix", masterSeed: seed, path: [n, m]))
        size = n
        targetCount = m
        var coefficients: [[Double]] = [], targets: [[Double]] = []
        for _ in 0..<rows {
            coefficients.append(random.uniforms(n, Self.low, Self.high))
            targets.append(random.gaussians(m, standardDeviation: 0.02))
        }
        self.coefficients = coefficients
        self.targets = targets
    }

    public func swiftRows() -> [Row] {
        zip(coefficients, targets).map { x, z in
            let result = SubsetSum.prefixErrors(x, targets: z)
            return Row(errors: result.errors, sizes: result.subsetSizes, residuals: result.residuals)
        }
    }

    /// `cref_prefix_errors` per row; nil if the C reference fails (allocation).
    public func cRows() -> [Row]? {
        var rows: [Row] = []
        for (x, z) in zip(coefficients, targets) {
            let n = x.count, m = z.count
            var errors = [Double](repeating: 0, count: (n + 1) * m)
            var sizes = [Int32](repeating: 0, count: m), residuals = [Double](repeating: 0, count: m)
            guard cref_prefix_errors(x, n, z, m, &errors, &sizes, &residuals) == 0 else { return nil }
            rows.append(Row(errors: (0...n).map { Array(errors[($0 * m)..<(($0 + 1) * m)]) }, sizes: sizes.map { Int($0) }, residuals: residuals))
        }
        return rows
    }

    /// Every row's errors (prefix by prefix), sizes and residuals in one vector, for the benchmark's agreement check.
    static func flattened(_ rows: [Row]) -> [Double] {
        rows.flatMap { $0.errors.flatMap { $0 } + $0.sizes.map(Double.init) + $0.residuals }
    }

    public func workload() -> Workload {
        Workload(family: "lottery", name: "per-prefix errors of \(targetCount) targets, n = \(size)",
                 size: "2^\(size) sums with masks, \(size + 1) prefixes × \(targetCount) bisections, \(coefficients.count) rows",
                 loopBound: true, swiftVersusC: 0, flops: nil,
                 calls: "`SubsetSum.prefixErrors(_:targets:)` · `cref_prefix_errors` · —",
                 swift: { Self.flattened(swiftRows()) }, c: { Self.flattened(cRows() ?? []) }, numpy: nil)
    }
}
