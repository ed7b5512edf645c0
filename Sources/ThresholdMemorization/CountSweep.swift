import ClaimCore
import Foundation

/// Counts read off one built network, and how many points it labels correctly.
public struct CountRecord: Sendable {
    public let n: Int
    public let dimension: Int
    public let delta: Double
    public let neurons: Int
    public let weights: Int
    public let biases: Int
    public let depth: Int
    /// Per `Stage.allCases`.
    public let stageNeurons: [Int]
    public let stageWeights: [Int]
    public let correct: Int
    public let retries: Int

    public func neurons(_ stages: [Stage]) -> Int { stages.reduce(0) { $0 + stageNeurons[$1.rawValue] } }
    public func weights(_ stages: [Stage]) -> Int { stages.reduce(0) { $0 + stageWeights[$1.rawValue] } }
    public var exact: Bool { correct == n }
}

/// One sweep point: n points in d dimensions, separation δ.
public struct SweepPoint: Sendable {
    public let n: Int
    public let dimension: Int
    public let delta: Double
    public init(n: Int, dimension: Int, delta: Double) {
        self.n = n
        self.dimension = dimension
        self.delta = delta
    }
}

/// The δ-dependent stages (1–2) and the n-dependent stages (3–4 and the output) of the construction.
public let separationStages: [Stage] = [.hyperplanes, .compression]
public let groupStages: [Stage] = [.lifting, .groupDetector, .memorizer, .output]

/// Õ shapes of the bounds (log n stated): neurons ln(n)/δ + √n, weights d·ln(n)/δ + n.
public func neuronShape(n: Int, delta: Double) -> Double { log(Double(n)) / delta + Double(n).squareRoot() }
public func weightShape(n: Int, dimension d: Int, delta: Double) -> Double { Double(d) * log(Double(n)) / delta + Double(n) }

/// Builds the construction on an `arc` point set (half the points at the minimum distance, the spec's reference
/// data) with uniform random labels, once per seed and sweep point, and counts the built network.
public enum CountSweep {
    public static func run(_ points: [SweepPoint], seeds: Int, failureBudget: Double, options: MemorizationConstruction.Options,
                           streams: StreamKey, context: RunContext? = nil) throws -> [[CountRecord]] {
        let total = points.count * seeds
        let flat = try parallelMap(total) { item -> CountRecord in
            let point = points[item / seeds], seed = item % seeds
            let random = RandomStream(streams.child(item / seeds, seed))
            let x = try PointSet.arc.sample(count: point.n, dimension: point.dimension, separation: point.delta, random: random)
            let labels = (0..<point.n).map { _ in UInt8(random.index(below: 2)) }
            var opts = options
            opts.failureBudget = failureBudget
            let built = try MemorizationConstruction.build(points: x, labels: labels, separation: point.delta, options: opts, random: random)
            let net = built.network
            let out = try net.evaluate(x)
            return CountRecord(n: point.n, dimension: point.dimension, delta: point.delta, neurons: net.neuronCount, weights: net.weightCount,
                               biases: net.biasCount, depth: net.depth,
                               stageNeurons: Stage.allCases.map { net.neurons(in: $0) }, stageWeights: Stage.allCases.map { net.weights(in: $0) },
                               correct: zip(out, labels).filter { $0 == $1 }.count, retries: built.retries.reduce(0, +))
        }
        context?.progress(total, of: total, "built \(total) networks")
        return points.indices.map { Array(flat[($0 * seeds)..<(($0 + 1) * seeds)]) }
    }

    /// Mean (with CI) of a count over the seeds of each sweep point.
    public static func estimates(_ records: [[CountRecord]], _ value: (CountRecord) -> Int) throws -> [MeanEstimate] {
        try records.map { try MeanEstimate($0.map { Double(value($0)) }) }
    }

    /// max/min of measured/shape over all records (1 = perfectly flat).
    public static func spread(_ ratios: [Double]) -> Double { (ratios.max() ?? .nan) / (ratios.min() ?? .nan) }
}
