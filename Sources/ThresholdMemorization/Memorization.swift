import ClaimCore
import Foundation

/// **The constructed network memorises every labelling** (M1).
///
/// Rajput et al. 2021, Theorem 1 as summarised by Figure 1 [V]: for any δ-separated dataset of size n in d
/// dimensions there is a deep threshold network (Gaussian first layer, binary/integer later layers) that outputs
/// y_i on x_i for every i and every labelling y. Our construction (§4 of the spec, [D]) builds it explicitly.
///
/// Experiment: for every (point-set kind, n, d, δ, seed) a δ-separated point set — uniform, an arc at spacing
/// exactly δ (n/2 pairs at the minimum distance), or adversarial clusters grown in steps of ≈ δ — and for each of
/// `random_labellings` uniform labellings plus the alternating, all-zeros and all-ones labellings, a network is
/// built and evaluated on all n points (layer 1 by dgemm, the integer layers exactly in Int64).
///
/// Checks (exact): every network labels every point correctly; every point set is δ-separated; every weight of the
/// gadgets, detectors and lifting units is in {−2, −1, 1}; no integer pre-activation can overflow (Σ|w| + |T| < 2⁶²).
public struct Memorization: Claim {
    public init() {}

    public let id = "threshold.memorization"
    public let family = Family.thresholdMemorization
    public let citation = ThresholdMemorizationClaims.citation
    public let statement = "For any n δ-separated points on the unit sphere and any binary labels, the constructed deep threshold network (Gaussian first layer, integer weights after it) outputs the label of every point."
    public let guarantee = Guarantee.exact

    public let parameters: [ParameterSpec] = [
        ParameterSpec("sizes", .integers(4...100_000, minCount: 1, increasing: true), "n values (points)"),
        ParameterSpec("separations", .reals(1e-4...1.4, minCount: 1, increasing: true), "δ values (minimum pairwise distance)"),
        ParameterSpec("dimensions", .integers(2...4096, minCount: 1, increasing: true), "d values (input dimension)"),
        ParameterSpec("seeds", .integer(1...1000), "point sets per (kind, n, d, δ)"),
        ParameterSpec("random_labellings", .integer(0...1000), "uniform random labellings per point set (alternating, all-zeros, all-ones are always added)"),
        ParameterSpec("failure_budget", .real(1e-6...0.5), "p, failure probability budget of the random stages"),
    ]

    public let controls = [
        NegativeControl(id: "drop-group-neuron",
                        description: "after construction, delete the memorising neuron of the group of the first 1-labelled point: that point is output 0, so memorisation must fail"),
        NegativeControl(id: "drop-hyperplane",
                        description: "after construction, delete first-layer neuron 0 and its outgoing connections: the parities that read it change, codes move between groups and lifts, memorisation must fail"),
    ]

    struct Outcome: Sendable {
        let kind: PointSet
        let n: Int, d: Int, delta: Double
        let minimumDistance: Double
        let networks: Int
        let exactNetworks: Int
        let correctPoints: Int
        let totalPoints: Int
        let neurons: Int
        let weights: Int
        let depth: Int
        let retries: Int
        let offAlphabet: Int
    }

    public func run(_ context: RunContext) throws -> Report {
        let p = context.parameters
        let sizes = try p.ints("sizes"), separations = try p.doubles("separations"), dimensions = try p.ints("dimensions")
        let seeds = try p.int("seeds"), randomLabellings = try p.int("random_labellings"), budget = try p.double("failure_budget")
        let dropGroup = context.isControl("drop-group-neuron"), dropHyperplane = context.isControl("drop-hyperplane")

        var cells: [(PointSet, Int, Int, Double, Int)] = []
        for kind in PointSet.allCases { for n in sizes { for d in dimensions { for delta in separations { for s in 0..<seeds { cells.append((kind, n, d, delta, s)) } } } } }
        let grid = cells
        let streams = context.streams
        let outcomes = try parallelMap(grid.count) { index -> Outcome in
            let (kind, n, d, delta, _) = grid[index]
            let random = RandomStream(streams.child(index))
            let x = try kind.sample(count: n, dimension: d, separation: delta, random: random)
            var labellings: [[UInt8]] = (0..<randomLabellings).map { _ in (0..<n).map { _ in UInt8(random.index(below: 2)) } }
            labellings += [(0..<n).map { UInt8($0 % 2) }, [UInt8](repeating: 0, count: n), [UInt8](repeating: 1, count: n)]
            var exact = 0, correct = 0, neurons = 0, weights = 0, depth = 0, retries = 0, offAlphabet = 0
            for labels in labellings {
                let built = try MemorizationConstruction.build(points: x, labels: labels, separation: delta,
                                                               options: .init(failureBudget: budget), random: random)
                var net = built.network
                offAlphabet += net.integerWeights(of: [.compression, .groupDetector, .lifting]).filter { ![-2, -1, 1].contains($0) }.count
                neurons += net.neuronCount; weights += net.weightCount; depth = max(depth, net.depth); retries += built.retries.reduce(0, +)
                if dropGroup, let first = labels.firstIndex(of: 1), let unit = built.memorizerUnit[built.groupOf[first]] { net = net.droppingUnit(unit) }
                if dropHyperplane { net = net.droppingHyperplane(0) }
                let out = try net.evaluate(x)
                let ok = zip(out, labels).filter { $0 == $1 }.count
                correct += ok
                if ok == n { exact += 1 }
            }
            return Outcome(kind: kind, n: n, d: d, delta: delta, minimumDistance: try minimumDistance(x), networks: labellings.count,
                           exactNetworks: exact, correctPoints: correct, totalPoints: n * labellings.count,
                           neurons: neurons / labellings.count, weights: weights / labellings.count, depth: depth, retries: retries, offAlphabet: offAlphabet)
        }

        var table = Table(columns: ["points", "n", "d", "δ", "point sets", "networks", "exactly memorised", "exact accuracy", "min distance", "neurons", "weights", "depth", "retries"])
        for kind in PointSet.allCases { for n in sizes { for d in dimensions { for delta in separations {
            let group = outcomes.filter { $0.kind == kind && $0.n == n && $0.d == d && $0.delta == delta }
            let networks = group.reduce(0) { $0 + $1.networks }
            table.append([.text(kind.rawValue), .integer(n), .integer(d), .real(delta), .integer(group.count), .integer(networks),
                          .integer(group.reduce(0) { $0 + $1.exactNetworks }),
                          .real(Double(group.reduce(0) { $0 + $1.correctPoints }) / Double(group.reduce(0) { $0 + $1.totalPoints })),
                          .real(group.map(\.minimumDistance).min()!), .integer(group.reduce(0) { $0 + $1.neurons } / group.count),
                          .integer(group.reduce(0) { $0 + $1.weights } / group.count), .integer(group.map(\.depth).max()!), .integer(group.reduce(0) { $0 + $1.retries })])
        } } } }
        let networks = outcomes.reduce(0) { $0 + $1.networks }
        let exact = outcomes.reduce(0) { $0 + $1.exactNetworks }
        let wrongPoints = outcomes.reduce(0) { $0 + $1.totalPoints - $1.correctPoints }
        let separated = outcomes.allSatisfy { $0.minimumDistance >= $0.delta * (1 - 1e-9) }
        let offAlphabet = outcomes.reduce(0) { $0 + $1.offAlphabet }
        let checks: [Check] = [
            .exact("every network labels every point correctly", holds: exact == networks,
                   detail: "\(exact)/\(networks) networks exact; \(wrongPoints) misclassified points"),
            .exact("every point set is δ-separated on the unit sphere", holds: separated,
                   detail: "smallest min-distance/δ = \(formatShort(outcomes.map { $0.minimumDistance / $0.delta }.min()!, digits: 8))"),
            .exact("gadget, detector and lifting weights are in {−2, −1, 1}", holds: offAlphabet == 0, detail: "\(offAlphabet) weights outside the alphabet"),
        ]
        let notes = [
            "\(networks) networks over \(outcomes.count) point sets (3 kinds × \(sizes.count) n × \(dimensions.count) d × \(separations.count) δ × \(seeds) seeds) and \(randomLabellings + 3) labellings each; Las Vegas redraws in total: \(outcomes.reduce(0) { $0 + $1.retries }).",
            "Stage-4 weights are round(2²⁰·w_g) for the dgelsd solution w_g of Φ_g w = y_g; the neuron threshold leaves a margin of 2¹⁹ against a rounding error ≤ D/2, and the evaluation is exact in Int64 (no overflow: Σ|w| + |T| < 2⁶² is enforced at construction).",
        ]
        return Report(claimID: id, control: context.control, checks: checks, table: table, notes: notes)
    }
}
