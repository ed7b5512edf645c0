import CReference
import ClaimCore
import ContrastiveMinibatch

/// Symmetric InfoNCE loss and gradient of N embedding pairs (U, V ∈ ℝ^{d×N}, unit random columns) over a batch
/// family, `InfoNCE.lossAndGradient` as the contrastive claims call it: one dgemm for Z = UᵀV, 3 exp per (i, j)
/// pair of each batch, two dgemms for ∇_U, ∇_V. `repeats` evaluations per timed run (the claims' descent loops
/// evaluate it once per step).
public struct ContrastiveWorkload {
    public let points: Int
    public let dimension: Int
    public let family: BatchFamily
    public let u: [Double]
    public let v: [Double]
    public let repeats: Int

    public init(points n: Int, dimension d: Int, batchSize b: Int, repeats: Int, seed: UInt64) {
        let random = RandomStream(StreamKey(claim: "bench.contrastive", masterSeed: seed, path: [n, d, b]))
        points = n
        dimension = d
        family = b == n ? .full(n) : .consecutive(n, size: b)
        u = Embeddings.random(points: n, dimension: d, random: random)
        v = Embeddings.random(points: n, dimension: d, random: random)
        self.repeats = repeats
    }

    /// [𝓛, ∇_U…, ∇_V…] of the last evaluation.
    public func runSwift() -> [Double] {
        let engine = InfoNCE(sampleCount: points, dimension: dimension)
        var last: (loss: Double, gradU: [Double], gradV: [Double]) = (0, [], [])
        for _ in 0..<repeats { last = engine.lossAndGradient(family, u: u, v: v) }
        return [last.loss] + last.gradU + last.gradV
    }

    public func runC() -> [Double] {
        let n = points, d = dimension
        var gradU = [Double](repeating: 0, count: d * n), gradV = [Double](repeating: 0, count: d * n)
        var workspace = [Double](repeating: 0, count: 2 * n * n + 2 * n)
        var loss = 0.0
        for _ in 0..<repeats {
            loss = cref_infonce_loss_gradient(n, d, u, v, family.members, family.size, family.count, &gradU, &gradV, &workspace)
        }
        return [loss] + gradU + gradV
    }

    public func workload() -> Workload {
        let m = family.size, pairs = family.count * m * m
        return Workload(family: "contrastive", name: "InfoNCE loss + gradient, N = \(points)",
                        size: "d = \(dimension), batches of \(m), \(repeats) evaluations", loopBound: false,
                        flops: Double(repeats) * (6 * Double(points * points * dimension) + 10 * Double(pairs)),
                        calls: "`InfoNCE(sampleCount:dimension:).lossAndGradient(_:u:v:)` · `cref_infonce_loss_gradient` · `Benchmarks/contrastive.py`",
                        swift: runSwift, c: runC,
                        numpy: NumpyJob(script: "contrastive.py",
                                        parameters: ["points": Double(points), "dimension": Double(dimension),
                                                     "batch_size": Double(m), "repeats": Double(repeats)],
                                        inputs: ["u": u, "v": v, "members": family.members.map(Double.init)]))
    }
}
