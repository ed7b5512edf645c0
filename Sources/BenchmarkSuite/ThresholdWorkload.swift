import CReference
import ClaimCore
import ThresholdMemorization

/// Forward pass of a memorising deep threshold network (ThresholdMemorization's construction) over its n points,
/// `ThresholdNetwork.evaluate` as the claims call it: one dgemm for the m Gaussian hyperplanes, sign bits packed 64
/// per word, then every integer unit of the sparse (CSR) network per point. The network is built once (untimed)
/// for n uniform δ-separated points on S^{d−1} with random labels; `repeats` passes per timed run.
/// The bench runs with one worker thread (`CLAIMCHECK_THREADS=1`), so `evaluate`'s parallelMap is serial like C.
public struct ThresholdWorkload {
    public let points: Matrix
    public let labels: [UInt8]
    public let network: ThresholdNetwork
    public let repeats: Int

    public init(count n: Int, dimension d: Int, separation delta: Double, repeats: Int, seed: UInt64) throws {
        let random = RandomStream(StreamKey(claim: "bench.threshold", masterSeed: seed, path: [n, d]))
        points = try PointSet.uniform.sample(count: n, dimension: d, separation: delta, random: random)
        labels = (0..<n).map { _ in UInt8(random.index(below: 2)) }
        network = try MemorizationConstruction.build(points: points, labels: labels, separation: delta, random: random).network
        self.repeats = repeats
    }

    public func runSwift() throws -> [Double] {
        var out: [UInt8] = []
        for _ in 0..<repeats { out = try network.evaluate(points) }
        return out.map(Double.init)
    }

    public func runC() throws -> [Double] {
        var out = [UInt8](repeating: 0, count: points.rows)
        for _ in 0..<repeats {
            let status = cref_threshold_forward(points.rows, points.columns, points.elements, network.firstLayerWidth,
                                                network.hyperplanes.elements, network.integerUnitCount, network.offsets,
                                                network.sources, network.weights, network.thresholds, network.output, &out)
            if status != 0 { throw NumericsError.nonFinite("first-layer pre-activations (C reference)") }
        }
        return out.map(Double.init)
    }

    public func workload() -> Workload {
        let n = points.rows, d = points.columns, m = network.firstLayerWidth
        return Workload(family: "threshold", name: "threshold-network forward, n = \(n)",
                        size: "d = \(d), m = \(m) hyperplanes, \(network.integerUnitCount) integer units, \(network.sources.count) edges, \(repeats) passes",
                        loopBound: true,
                        flops: Double(repeats) * Double(2 * n * d * m + 2 * n * network.sources.count),
                        calls: "`ThresholdNetwork.evaluate(_:)` of a `MemorizationConstruction.build` network · `cref_threshold_forward` · `Benchmarks/threshold.py`",
                        swift: runSwift, c: runC,
                        numpy: NumpyJob(script: "threshold.py",
                                        parameters: ["count": Double(n), "dimension": Double(d), "hyperplanes": Double(m),
                                                     "output": Double(network.output), "repeats": Double(repeats)],
                                        inputs: ["points": points.elements, "normals": network.hyperplanes.elements,
                                                 "offsets": network.offsets.map(Double.init), "sources": network.sources.map(Double.init),
                                                 "weights": network.weights.map(Double.init), "thresholds": network.thresholds.map(Double.init)]))
    }
}
