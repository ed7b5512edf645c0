import ClaimCore
import Foundation

/// The SGD setting of the official synthetic experiment (spec §3.1/T6), shared by the speed-up claims.
struct SynthesisSetting: Sendable {
    let points: Int
    let dimension: Int
    let batchSize: Int
    let learningRate: Double
    let epochs: Int
    let seeds: Int
    let epsilon: Double

    init(points: Int, dimension: Int, batchSize: Int, learningRate: Double, epochs: Int, seeds: Int, epsilon: Double) {
        self.points = points; self.dimension = dimension; self.batchSize = batchSize
        self.learningRate = learningRate; self.epochs = epochs; self.seeds = seeds; self.epsilon = epsilon
    }

    /// The single configuration of `parameters` below.
    init(_ p: Parameters) throws {
        self.init(points: try p.int("points"), dimension: try p.int("dimension"), batchSize: try p.int("batch_size"),
                  learningRate: try p.double("learning_rate"), epochs: try p.int("epochs"), seeds: try p.int("seeds"), epsilon: try p.double("epsilon"))
    }

    /// The hypotheses of the setting: B divides N (epochs are partitions), B < N, and d ≥ N−1 (𝓛_full* is the ETF value).
    static func invalid(points n: Int, batchSize b: Int, dimension d: Int) -> (key: String, problem: String)? {
        if n % b != 0 || b >= n { return ("batch_size", "B = \(b) must divide N = \(n) and be < N") }
        if d < n - 1 { return ("dimension", "d = \(d) must be ≥ N−1 = \(n - 1) (the optimum is the simplex ETF)") }
        return nil
    }

    /// Number of B-subsets of [N]: the batch losses Ordered SGD evaluates per update.
    var batchCount: Int { (0..<batchSize).reduce(1) { $0 * (points - $1) / ($1 + 1) } }

    static let parameters: [ParameterSpec] = [
        ParameterSpec("points", .integer(4...64), "N, number of positive pairs"),
        ParameterSpec("dimension", .integer(3...256), "d (≥ N−1, so 𝓛_full* is the ETF value)"),
        ParameterSpec("batch_size", .integer(2...32), "B (divides N)"),
        ParameterSpec("learning_rate", .real(1e-4...10), "SGD step on the unnormalised parameters"),
        ParameterSpec("epochs", .integer(10...100_000), "epochs per run (epoch = N/B updates; 1 update for full / all C(N,B))"),
        ParameterSpec("seeds", .integer(10...10_000), "independent initialisations (X_u, X_v i.i.d. N(0,1), shared by all strategies of a seed)"),
        ParameterSpec("epsilon", .real(1e-8...10), "target gap 𝓛_full − 𝓛_full*"),
    ]

    var optimum: Double { ContrastiveClosedForm.etfBatchLoss(points: points, batchSize: points) }

    /// First epoch with gap < ε, or epochs + 1 if never (censored).
    func epochsToReach(_ gaps: [Double]) -> Int { gaps.firstIndex { $0 < epsilon } ?? (epochs + 1) }

    /// Gap curves for each strategy and seed: result[s][k] = gaps of strategies[s] at seed k.
    func run(_ strategies: [BatchStrategy], streams: StreamKey, spectralSign: Double = 1) throws -> [[[Double]]] {
        let sgd = BatchSGD(sampleCount: points, dimension: dimension, batchSize: batchSize, learningRate: learningRate, spectralSign: spectralSign)
        let perSeed = try parallelMap(seeds) { k -> [[Double]] in
            let start = RandomStream(streams.child(0, k))
            let xu = start.gaussians(points * dimension), xv = start.gaussians(points * dimension)
            return try strategies.enumerated().map { s, strategy in
                try sgd.run(strategy, xu: xu, xv: xv, epochs: epochs, optimum: optimum, random: RandomStream(streams.child(1 + s, k)))
            }
        }
        return strategies.indices.map { s in perSeed.map { $0[s] } }
    }

    /// Geometric-mean ratio a/b of epochs-to-ε over seeds (paired), with the 95% CI from the t interval of the log ratios.
    static func ratio(_ a: [Int], _ b: [Int]) throws -> (estimate: Double, interval: Interval) {
        let logs = try MeanEstimate(zip(a, b).map { log(Double($0) / Double($1)) })
        let ci = logs.confidenceInterval()
        return (exp(logs.mean), Interval(exp(ci.lower), exp(ci.upper)))
    }

    /// Mean gap per epoch over seeds, for the plot.
    static func meanCurve(_ runs: [[Double]]) -> [Double] {
        (0..<runs[0].count).map { e in runs.reduce(0) { $0 + $1[e] } / Double(runs.count) }
    }
}
