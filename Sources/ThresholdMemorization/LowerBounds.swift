import ClaimCore
import Foundation

/// **Lower bounds: ⌈n/2⌉ first-layer neurons on the alternating great circle, and n/(2·log₂(eN)) weights** (M5).
///
/// Rajput et al. 2021 (abstract [V]) prove lower bounds "by connecting memorization in neural networks to the purely
/// geometric problem of separating n points on a sphere using hyperplanes"; the exact theorem is [R]. We check the
/// bounds derived in the spec (§5, [D]):
/// - reduction: two inputs in the same cell of the first layer's hyperplane arrangement get the same output, so a
///   memorising network's first layer must separate every pair with different labels;
/// - hard instance: n points on a great circle with alternating labels. An affine hyperplane of ℝᵈ meets the circle's
///   plane in a line, which cuts the circle in ≤ 2 points, so m hyperplanes separate ≤ 2m of the n adjacent pairs:
///   every memorising network has ≥ ⌈n/2⌉ first-layer neurons; with n = ⌊2π/θ⌋ this is Ω(1/δ);
/// - counting: a threshold network with W weights and N units has VC dimension ≤ 2W·log₂(eN) (Baum–Haussler 1989),
///   so memorising all 2ⁿ labellings needs W ≥ n/(2·log₂(eN)).
///
/// Checks (exact): (1) exhaustive — for each small even n, every dichotomy of the n circle points realisable by a
/// line is enumerated (lines through two points, perturbed, plus the constant ones) and cuts ≤ 2 adjacent pairs,
/// and no set of n/2 − 1 of them separates all n adjacent pairs (while some set of n/2 does); (2) `trials` Gaussian
/// first layers with ⌈n/2⌉ − 1 neurons leave an adjacent pair in one cell; (3) the explicit first layer of n/2
/// hyperplanes through the origin, completed by the construction, memorises the alternating labels, and deleting
/// any one of its hyperplanes breaks memorisation; (4) the random construction on n = ⌊2π/θ⌋ points memorises the
/// alternating labels with m ≥ ⌈n/2⌉ and W ≥ n/(2·log₂(eN)); the distance to both bounds is tabulated.
public struct LowerBounds: Claim {
    public init() {}

    public let id = "threshold.lower-bounds"
    public let family = Family.thresholdMemorization
    public let citation = ThresholdMemorizationClaims.citation
    public let source = StatementSource.derived("spec §5: the reduction to separating points by hyperplanes is the paper's idea (abstract [V]); the circle instance and the ⌈n/2⌉ bound are ours — the paper's lower-bound theorem was not read")
    public let statement = "Memorising the alternating labelling of n points on a great circle needs ≥ ⌈n/2⌉ first-layer threshold neurons (Ω(1/δ) at n ≈ 2π/δ), and n/2 suffice."
    public let guarantee = Guarantee.lower

    public let parameters: [ParameterSpec] = [
        ParameterSpec("exhaustive_sizes", .integers(4...14, minCount: 1, increasing: true), "even n for the exhaustive enumeration"),
        ParameterSpec("separations", .reals(0.01...1.4, minCount: 1, increasing: true), "δ of the circle instances (n = ⌊2π/θ⌋ rounded down to even)"),
        ParameterSpec("minimal_sizes", .integers(4...2000, minCount: 1, increasing: true), "even n for the explicit n/2-hyperplane network"),
        ParameterSpec("dimension", .integer(2...4096), "d, input dimension"),
        ParameterSpec("trials", .integer(1...100_000), "Gaussian first layers with ⌈n/2⌉ − 1 neurons per instance"),
        ParameterSpec("failure_budget", .real(1e-6...0.5), "p, failure probability budget of the construction"),
    ]

    public let controls = [
        NegativeControl(id: "bound-plus-one",
                        description: "claim the stronger bound ⌈n/2⌉ + 1: the exhaustive search must find n/2 lines that separate all adjacent pairs, refuting it"),
    ]

    public func invalidParameters(_ parameters: Parameters) -> (key: String, problem: String)? {
        if let sizes = try? parameters.ints("exhaustive_sizes"), sizes.contains(where: { $0 % 2 != 0 }) { return ("exhaustive_sizes", "must be even") }
        if let sizes = try? parameters.ints("minimal_sizes"), sizes.contains(where: { $0 % 2 != 0 }) { return ("minimal_sizes", "must be even") }
        return nil
    }

    public func run(_ context: RunContext) throws -> Report {
        let p = context.parameters
        let exhaustiveSizes = try p.ints("exhaustive_sizes"), separations = try p.doubles("separations")
        let minimalSizes = try p.ints("minimal_sizes"), d = try p.int("dimension")
        let trials = try p.int("trials"), budget = try p.double("failure_budget")
        let claimedShortfall = context.isControl("bound-plus-one") ? 0 : 1
        var checks: [Check] = []
        var table = Table(columns: ["part", "n", "δ", "lower bound ⌈n/2⌉", "first-layer m", "m/⌈n/2⌉", "neurons N", "weights W", "VC bound n/(2log₂(eN))", "W/VC bound", "exact accuracy", "detail"])

        // (1) Exhaustive enumeration on the circle.
        var atMostTwoCuts = true, noSmallCover = true, coverAtHalf = true, countMatches = true
        var details: [String] = []
        for n in exhaustiveSizes {
            let cuts = Self.lineCutMasks(points: n)
            atMostTwoCuts = atMostTwoCuts && cuts.allSatisfy { $0.nonzeroBitCount <= 2 }
            countMatches = countMatches && cuts.count == n * (n - 1) + 2
            let tested = n / 2 - claimedShortfall
            let covers = Self.coveringSubsets(cuts: Array(Set(cuts)).sorted(), size: tested, gaps: n)
            let coversAtHalf = Self.coveringSubsets(cuts: Array(Set(cuts)).sorted(), size: n / 2, gaps: n)
            noSmallCover = noSmallCover && covers == 0
            coverAtHalf = coverAtHalf && coversAtHalf > 0
            details.append("n = \(n): \(cuts.count) line dichotomies (max cut \(cuts.map(\.nonzeroBitCount).max()!)), \(covers) separating sets of \(tested), \(coversAtHalf) of \(n / 2)")
            table.append([.text("exhaustive"), .integer(n), .text("—"), .integer(n / 2), .integer(tested), .real(Double(tested) / Double(n / 2)), .text("—"), .text("—"), .text("—"), .text("—"), .text("—"),
                          .text("\(cuts.count) dichotomies (n(n−1)+2 = \(n * (n - 1) + 2)); separating sets of \(tested): \(covers); of \(n / 2): \(coversAtHalf)")])
        }
        checks.append(.exact("the n(n−1) + 2 line dichotomies of n circle points each cut ≤ 2 adjacent pairs", holds: atMostTwoCuts && countMatches, detail: details.joined(separator: "; ")).as(.sanity))
        checks.append(.exact("no first layer of \(claimedShortfall == 1 ? "n/2 − 1" : "n/2") hyperplanes separates all adjacent pairs (exhaustive)", holds: noSmallCover, detail: details.joined(separator: "; ")))
        checks.append(.exact("some n/2 hyperplanes separate all adjacent pairs (the bound is attained)", holds: coverAtHalf, detail: details.joined(separator: "; ")))

        // (2)–(4) on circle instances.
        let streams = context.streams
        struct Instance: Sendable { let delta: Double; let n: Int; let merged: Int; let built: CountRecord }
        let instances = try parallelMap(separations.count) { c -> Instance in
            let delta = separations[c]
            let theta = MemorizationConstruction.angle(separation: delta)
            var n = Int((2 * Double.pi / theta).rounded(.down))
            n -= n % 2
            let random = RandomStream(streams.child(1, c))
            let x = try greatCircle(count: n, dimension: d, random: random)
            let labels = (0..<n).map { UInt8($0 % 2) }
            var merged = 0
            for _ in 0..<trials {
                let bits = try PackedBits.signs(points: x, normals: random.gaussianMatrix(rows: d, columns: (n + 1) / 2 - 1))
                if (0..<n).contains(where: { bits.row($0) == bits.row(($0 + 1) % n) }) { merged += 1 }
            }
            let built = try MemorizationConstruction.build(points: x, labels: labels, separation: delta, options: .init(failureBudget: budget), random: random)
            let net = built.network
            let out = try net.evaluate(x)
            let record = CountRecord(n: n, dimension: d, delta: delta, neurons: net.neuronCount, weights: net.weightCount, biases: net.biasCount, depth: net.depth,
                                     stageNeurons: Stage.allCases.map { net.neurons(in: $0) }, stageWeights: Stage.allCases.map { net.weights(in: $0) },
                                     correct: zip(out, labels).filter { $0 == $1 }.count, retries: built.retries.reduce(0, +))
            return Instance(delta: delta, n: n, merged: merged, built: record)
        }
        var allMerged = true, builtAboveBounds = true, builtExact = true
        for instance in instances {
            let r = instance.built, n = instance.n
            let m = r.stageNeurons[Stage.hyperplanes.rawValue]
            let vc = Double(n) / (2 * log2(M_E * Double(r.neurons)))
            allMerged = allMerged && instance.merged == trials
            builtAboveBounds = builtAboveBounds && m >= (n + 1) / 2
            builtExact = builtExact && r.exact
            table.append([.text("construction"), .integer(n), .real(instance.delta), .integer((n + 1) / 2), .integer(m), .real(Double(m) / Double((n + 1) / 2)),
                          .integer(r.neurons), .integer(r.weights), .real(vc), .real(Double(r.weights) / vc), .real(Double(r.correct) / Double(n)),
                          .text("Gaussian layers with ⌈n/2⌉−1 neurons that merged an adjacent pair: \(instance.merged)/\(trials)")])
        }
        checks.append(.exact("every Gaussian first layer with ⌈n/2⌉ − 1 neurons leaves two adjacent points in one cell", holds: allMerged,
                             detail: instances.map { "n = \($0.n): \($0.merged)/\(trials)" }.joined(separator: ", ")).as(.sanity))
        checks.append(.exact("the construction memorises the alternating circle (with m ≥ ⌈n/2⌉, as it must)", holds: builtExact && builtAboveBounds,
                             detail: "exact: \(builtExact), m ≥ ⌈n/2⌉: \(builtAboveBounds)").as(.sanity))

        // (3) The explicit minimal first layer: n/2 lines through the origin at angles π(2i+1)/n.
        let minimal = try parallelMap(minimalSizes.count) { c -> (exact: Bool, droppedFailures: Int, record: CountRecord) in
            let n = minimalSizes[c]
            let random = RandomStream(streams.child(2, c))
            let basis = try random.orthogonalMatrix(d)
            let u = basis.column(0), v = basis.column(1)
            var x = Matrix(rows: n, columns: d)
            for i in 0..<n { for j in 0..<d { x[i, j] = cos(2 * Double.pi * Double(i) / Double(n)) * u[j] + sin(2 * Double.pi * Double(i) / Double(n)) * v[j] } }
            var normals = Matrix(rows: d, columns: n / 2)
            for i in 0..<(n / 2) {
                let alpha = Double.pi * Double(2 * i + 1) / Double(n)
                for j in 0..<d { normals[j, i] = -sin(alpha) * u[j] + cos(alpha) * v[j] }
            }
            let labels = (0..<n).map { UInt8($0 % 2) }
            let delta = 2 * sin(Double.pi / Double(n))
            let built = try MemorizationConstruction.build(points: x, labels: labels, separation: delta,
                                                           options: .init(failureBudget: budget, firstLayer: .given(normals)), random: random)
            let net = built.network
            let out = try net.evaluate(x)
            var failures = 0
            for j in 0..<(n / 2) where try net.droppingHyperplane(j).evaluate(x) != labels { failures += 1 }
            let record = CountRecord(n: n, dimension: d, delta: delta, neurons: net.neuronCount, weights: net.weightCount, biases: net.biasCount, depth: net.depth,
                                     stageNeurons: Stage.allCases.map { net.neurons(in: $0) }, stageWeights: Stage.allCases.map { net.weights(in: $0) },
                                     correct: zip(out, labels).filter { $0 == $1 }.count, retries: built.retries.reduce(0, +))
            return (out == labels, failures, record)
        }
        for (c, result) in minimal.enumerated() {
            let r = result.record, n = minimalSizes[c]
            let vc = Double(n) / (2 * log2(M_E * Double(r.neurons)))
            table.append([.text("minimal first layer"), .integer(n), .real(r.delta), .integer(n / 2), .integer(n / 2), .real(1), .integer(r.neurons), .integer(r.weights),
                          .real(vc), .real(Double(r.weights) / vc), .real(Double(r.correct) / Double(n)),
                          .text("deleting one of the n/2 hyperplanes broke memorisation in \(result.droppedFailures)/\(n / 2) cases")])
        }
        checks.append(.exact("n/2 hyperplanes through the origin suffice, and each one is needed", holds: minimal.allSatisfy { $0.exact && $0.droppedFailures == $0.record.n / 2 },
                             detail: minimal.map { "n = \($0.record.n): exact \($0.exact), \($0.droppedFailures)/\($0.record.n / 2) deletions fail" }.joined(separator: ", ")))
        let notes = [
            "Reduction used: a threshold network's output is a function of its first-layer bit-vector, so two inputs in one cell of the first-layer arrangement get the same output; the exhaustive part therefore covers every network, whatever its later layers.",
            "Dichotomies of n points in convex position realisable by a line: n(n−1) + 2 (lines through two points, each of the 4 ways to assign those two, plus the two constant ones; complements included) — the enumeration reproduces this count.",
            "Distance to the bounds (construction rows): with n = ⌊2π/θ⌋ the lower bound ⌈n/2⌉ ≈ π/θ while m ≈ (π/θ)·ln(n(n−1)/2p), so m/⌈n/2⌉ ≈ ln(n(n−1)/2p) — the union bound's price, growing like 2·ln n; W/(VC bound) is in the thousands. The counting bound W ≥ n/(2·log₂(eN)) (Baum–Haussler VC dimension) is tabulated but not checked: against the construction it cannot fail, and against the smallest memorising networks of tiny n it is implied by the neuron bound (⌈n/2⌉ first-layer neurons already carry ≥ n/2 weights, above n/(2·log₂(eN)) for every N ≥ 1), so it cannot bind either.",
        ]
        return Report(claimID: id, control: context.control, checks: checks, table: table, notes: notes)
    }

    /// For n points at angles 2πi/n, the adjacent-pair cut masks (bit g: points g and g+1 mod n on different sides)
    /// of every dichotomy realisable by a line: for each pair i < j, the line through p_i and p_j splits the others
    /// by the sign of the cross product, and p_i, p_j can be pushed to either side (4 perturbations); plus the
    /// constant dichotomies. Returns one mask per distinct dichotomy.
    static func lineCutMasks(points n: Int) -> [UInt32] {
        let xs = (0..<n).map { cos(2 * Double.pi * Double($0) / Double(n)) }
        let ys = (0..<n).map { sin(2 * Double.pi * Double($0) / Double(n)) }
        var dichotomies = Set<UInt32>([0, (1 << UInt32(n)) - 1])
        for i in 0..<n {
            for j in (i + 1)..<n {
                var side: UInt32 = 0
                for k in 0..<n where k != i && k != j {
                    let cross = (xs[j] - xs[i]) * (ys[k] - ys[i]) - (ys[j] - ys[i]) * (xs[k] - xs[i])
                    if cross > 0 { side |= 1 << UInt32(k) }
                }
                let all: UInt32 = (1 << UInt32(n)) - 1
                for a in 0..<2 {
                    for b in 0..<2 {
                        let s = side | UInt32(a) << UInt32(i) | UInt32(b) << UInt32(j)
                        dichotomies.insert(s)
                        dichotomies.insert(all & ~s)
                    }
                }
            }
        }
        return dichotomies.sorted().map { s in
            var cut: UInt32 = 0
            for g in 0..<n where (s >> UInt32(g)) & 1 != (s >> UInt32((g + 1) % n)) & 1 { cut |= 1 << UInt32(g) }
            return cut
        }
    }

    /// Number of `size`-subsets of `cuts` whose union covers all `gaps` adjacent pairs.
    static func coveringSubsets(cuts: [UInt32], size: Int, gaps: Int) -> Int {
        let full: UInt32 = (1 << UInt32(gaps)) - 1
        guard size > 0 else { return full == 0 ? 1 : 0 }
        let widest = cuts.map(\.nonzeroBitCount).max() ?? 0
        func count(from start: Int, remaining: Int, covered: UInt32) -> Int {
            if remaining == 0 { return covered == full ? 1 : 0 }
            // Each further set adds ≤ `widest` gaps: prune when the rest cannot cover.
            if (full & ~covered).nonzeroBitCount > widest * remaining { return 0 }
            var total = 0
            var k = start
            while k <= cuts.count - remaining {
                total += count(from: k + 1, remaining: remaining - 1, covered: covered | cuts[k])
                k += 1
            }
            return total
        }
        return count(from: 0, remaining: size, covered: 0)
    }
}
