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

/// One cell of the 2-D (δ, n) grid: the construction with the smallest first layer found for the set, and the built
/// one-neuron-per-point baseline, on an `arc` set (⌈n/2⌉ points at spacing exactly δ) with the adversarial labelling.
public struct GridRecord: Sendable {
    public let n: Int
    public let dimension: Int
    public let delta: Double
    /// m* (smallest separating prefix of one Gaussian draw) and the budget formula's m.
    public let firstLayer: Int
    public let formulaFirstLayer: Int
    public let neurons: Int
    public let weights: Int
    public let exact: Bool
    /// The baseline's built counts for its worst labelling (all ones) and whether it memorised the adversarial one.
    public let baselineNeurons: Int
    public let baselineWeights: Int
    public let baselineExact: Bool
}

/// The paper's Õ(1/δ + √n) neurons and Õ(d/δ + n) weights tested over a 2-D grid: for every (δ, n) the network the
/// construction finds with the *smallest* first layer that separates the set (grown one Gaussian hyperplane at a
/// time, not the budget formula), memorising the adversarial labelling, and the baseline built on the same set.
public enum GridSweep {
    public static func run(separations: [Double], sizes: [Int], dimension d: Int, seeds: Int, failureBudget: Double,
                           options: MemorizationConstruction.Options, streams: StreamKey) throws -> [GridRecord] {
        let cells = separations.flatMap { delta in sizes.map { (delta, $0) } }
        return try parallelMap(cells.count * seeds) { item -> GridRecord in
            let (delta, n) = cells[item / seeds]
            let random = RandomStream(streams.child(item / seeds, item % seeds))
            let x = try PointSet.arc.sample(count: n, dimension: d, separation: delta, random: random)
            let labels = try alternatingAlongClosestPairs(x)
            let formula = MemorizationConstruction.hyperplaneCount(points: n, separation: delta, failureBudget: failureBudget)
            let layer = try smallestSeparatingFirstLayer(points: x, random: random, maxHyperplanes: 4 * formula)
            var opts = options
            opts.failureBudget = failureBudget
            opts.firstLayer = .given(layer)
            let built = try MemorizationConstruction.build(points: x, labels: labels, separation: delta, options: opts, random: random)
            let baseline = try OneNeuronPerPoint(points: x, labels: [UInt8](repeating: 1, count: n), separation: delta)
            let baselineAdversarial = try OneNeuronPerPoint(points: x, labels: labels, separation: delta)
            return GridRecord(n: n, dimension: d, delta: delta, firstLayer: layer.columns, formulaFirstLayer: formula,
                              neurons: built.network.neuronCount, weights: built.network.weightCount, exact: try built.network.evaluate(x) == labels,
                              baselineNeurons: baseline.neurons, baselineWeights: baseline.weights,
                              baselineExact: baselineAdversarial.outputs == labels && baseline.outputs.allSatisfy { $0 == 1 })
        }
    }

    /// ln(count) = c + α·ln(1/δ) + β·ln n over all records (`PlaneFit`, gsl_multifit_linear).
    public static func fit(_ records: [GridRecord], _ value: (GridRecord) -> Int) throws -> PlaneFit {
        try PlaneFit(x1: records.map { log(1 / $0.delta) }, x2: records.map { log(Double($0.n)) }, y: records.map { log(Double(value($0))) })
    }

    /// The local 1/δ-exponent of Vershynin's e^{1/δ²} at δ: d ln(e^{1/δ²})/d ln(1/δ) = 2/δ² (smallest at the largest δ).
    public static func vershyninLocalExponent(_ delta: Double) -> Double { 2 / (delta * delta) }
}

/// The count claims' 2-D grid evidence: the (δ, n) grid of `grid_separations` × `grid_sizes` built with the smallest
/// first layer found, one count of the construction and the same count of the one-neuron-per-point baseline, each
/// fitted as a plane ln(count) = c + α·ln(1/δ) + β·ln n.
struct GridEvidence {
    let separations: [Double]
    let sizes: [Int]
    let records: [GridRecord]
    /// The construction's plane fit.
    let plane: PlaneFit
    /// The built baseline's plane fit (its n-exponent is the competing statement).
    let baselinePlane: PlaneFit
    /// Vershynin's local 1/δ-exponent at the grid's largest δ (the smallest one on the grid).
    let vershyninExponent: Double
    /// Grid cells whose construction or baseline mislabels a point.
    let wrong: Int

    init(_ p: Parameters, dimension: Int, failureBudget: Double, options: MemorizationConstruction.Options, streams: StreamKey,
         count: (GridRecord) -> Int, baselineCount: (GridRecord) -> Int) throws {
        separations = try p.doubles("grid_separations")
        sizes = try p.ints("grid_sizes")
        records = try GridSweep.run(separations: separations, sizes: sizes, dimension: dimension, seeds: try p.int("grid_seeds"),
                                    failureBudget: failureBudget, options: options, streams: streams)
        plane = try GridSweep.fit(records, count)
        baselinePlane = try GridSweep.fit(records, baselineCount)
        vershyninExponent = GridSweep.vershyninLocalExponent(separations.last!)
        wrong = records.filter { !$0.exact || !$0.baselineExact }.count
    }
}

/// The count claims' hypothesis check: every (n, d, δ) they sample must admit an `arc` point set (cap-packing bound,
/// then one capped trial draw of the largest n per δ). The δ, n and grid sweeps run at `sweepDimension`; a d sweep
/// (`dimensionSweep`) runs `fixed_points` at `fixed_separation`.
func countSweepFeasibility(_ parameters: Parameters, sweepDimension: String, dimensionSweep: String? = nil) -> (key: String, problem: String)? {
    var largest: [Double: Int] = [:]
    func add(_ n: Int?, _ deltas: [Double]?) { if let n, let deltas { for delta in deltas { largest[delta] = max(largest[delta] ?? 0, n) } } }
    add(try? parameters.int("fixed_points"), try? parameters.doubles("separations"))
    add((try? parameters.ints("sizes"))?.last, (try? parameters.double("fixed_separation")).map { [$0] })
    add((try? parameters.ints("grid_sizes"))?.last, try? parameters.doubles("grid_separations"))
    guard let d = try? parameters.int(sweepDimension) else { return nil }
    for (delta, n) in largest.sorted(by: { $0.key < $1.key }) {
        if let problem = PointSet.feasibilityProblem(kinds: [.arc], n: n, dimension: d, separation: delta) { return ("separations", problem) }
    }
    if let key = dimensionSweep, let dims = try? parameters.ints(key), let n = try? parameters.int("fixed_points"), let delta = try? parameters.double("fixed_separation") {
        for d in dims { if let problem = PointSet.feasibilityProblem(kinds: [.arc], n: n, dimension: d, separation: delta) { return (key, problem) } }
    }
    return nil
}
