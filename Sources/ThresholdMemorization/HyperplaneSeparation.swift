import ClaimCore
import Foundation

/// **Stage 1: Gaussian hyperplanes give every point its own cell once m ≥ ln(n(n−1)/2p)/−ln(1 − θ/π)**.
///
/// The first stage of Rajput et al. 2021 (Figure 1 [V]: "the first layer has random Gaussian weights and projects
/// the input from ℝᵈ down to {0,1}^{O(log n/δ)}"), with the explicit count of the spec (§4, [D]):
/// - exact law: a hyperplane through the origin with normal g ~ N(0, I_d) separates two unit vectors at angle φ
///   with probability exactly φ/π;
/// - sample size: with m = ⌈ln(n(n−1)/(2p)) / −ln(1 − θ/π)⌉, θ = 2·arcsin(δ/2), a union bound over the n(n−1)/2 pairs
///   gives P(all n bit-vectors distinct) ≥ 1 − p.
///
/// Checks: for each angle φ the empirical separation frequency over `draws` hyperplanes (one dgemm) is within
/// 4 binomial standard deviations of φ/π; on the hardest instance (n points of a great circle at adjacent distance
/// exactly δ, d dimensions) the fraction of `trials` first layers of m hyperplanes that leave two points in one cell
/// has a 95% Clopper–Pearson upper limit ≤ p, for every (n, δ) configured (the m/2 control must exceed p).
public struct HyperplaneSeparation: Claim {
    public init() {}

    public let id = "threshold.hyperplane-separation"
    public let family = Family.thresholdMemorization
    public let citation = ThresholdMemorizationClaims.citation
    public let source = StatementSource.derived("stage 1 of Figure 1 [V]; the exact law φ/π (classical, Goemans–Williamson) and the union-bound count m are the spec's §4 derivation")
    public let statement = "A Gaussian hyperplane through the origin separates unit vectors at angle φ with probability φ/π, so m = ln(n(n−1)/2p)/−ln(1−θ/π) = O(log n/δ) random threshold neurons give n δ-separated points distinct codes with probability ≥ 1 − p."
    public let guarantee = Guarantee.upper

    public let parameters: [ParameterSpec] = [
        ParameterSpec("angles", .reals(1e-4...3.14159, minCount: 1, increasing: true), "angles φ (radians) for the exact-law check"),
        ParameterSpec("draws", .integer(1000...100_000_000), "hyperplanes drawn per angle"),
        ParameterSpec("sizes", .integers(3...100_000, minCount: 1, increasing: false), "n of each great-circle instance"),
        ParameterSpec("separations", .reals(1e-4...1.4, minCount: 1, increasing: false), "δ of each instance (same length as sizes)"),
        ParameterSpec("dimension", .integer(2...4096), "d, input dimension"),
        ParameterSpec("trials", .integer(5...100_000), "independent first layers per instance"),
        ParameterSpec("failure_budget", .real(1e-6...0.5), "p, the allowed failure probability"),
    ]

    public let controls = [
        NegativeControl(id: "half-of-formula",
                        description: "the first layer has m/2 hyperplanes (one step below the ln-formula): the failure frequency must exceed p"),
    ]

    public func invalidParameters(_ parameters: Parameters) -> (key: String, problem: String)? {
        guard let sizes = try? parameters.ints("sizes"), let deltas = try? parameters.doubles("separations"), sizes.count == deltas.count else {
            return ("separations", "must have one δ per entry of sizes")
        }
        for (n, delta) in zip(sizes, deltas) where Double(n) * MemorizationConstruction.angle(separation: delta) > 2 * Double.pi {
            return ("sizes", "n = \(n) points at spacing δ = \(delta) do not fit on a great circle (need n·θ ≤ 2π)")
        }
        return nil
    }

    public func run(_ context: RunContext) throws -> Report {
        let p = context.parameters
        let angles = try p.doubles("angles"), draws = try p.int("draws")
        let sizes = try p.ints("sizes"), separations = try p.doubles("separations")
        let d = try p.int("dimension"), trials = try p.int("trials"), budget = try p.double("failure_budget")
        let fraction = context.isControl("half-of-formula") ? 0.5 : 1.0

        var checks: [Check] = []
        var table = Table(columns: ["test", "n", "δ or φ", "m", "m/formula", "measured", "predicted or 95% CI", "tolerance or bound", "trials"])

        // Exact law, one dgemm per angle: X (2 × d) times G (d × draws).
        let lawStreams = context.streams.child(0)
        let frequencies = try parallelMap(angles.count) { a -> Double in
            let random = RandomStream(lawStreams.child(a))
            let basis = try random.orthogonalMatrix(d)
            let u = basis.column(0), v = basis.column(1)
            let phi = angles[a]
            let pair = Matrix([u, (0..<d).map { cos(phi) * u[$0] + sin(phi) * v[$0] }])
            let bits = try PackedBits.signs(points: pair, normals: random.gaussianMatrix(rows: d, columns: draws))
            var separated = 0
            for j in 0..<draws where bits.bit(0, j) != bits.bit(1, j) { separated += 1 }
            return Double(separated) / Double(draws)
        }
        for (a, phi) in angles.enumerated() {
            let predicted = phi / Double.pi
            let sd = (predicted * (1 - predicted) / Double(draws)).squareRoot()
            let half = 1.96 * (frequencies[a] * (1 - frequencies[a]) / Double(draws)).squareRoot()
            checks.append(.within("P(separated) at φ = \(formatShort(phi))", quantity: "frequency", estimate: frequencies[a],
                                  interval: Interval(frequencies[a] - half, frequencies[a] + half), predicted: predicted, tolerance: 4 * sd, maxHalfWidth: 4 * sd)
                .sweeping("φ", alternatives: []).withoutAlternative("an exact law with no competing statement; the window is 4 binomial standard deviations"))
            table.append([.text("law"), .integer(2), .real(phi), .integer(1), .real(1), .real(frequencies[a]), .real(predicted), .real(4 * sd), .integer(draws)])
        }

        // Sample size on the great-circle instance; m/2 and m are reported, the check is at the tested m.
        for (c, (n, delta)) in zip(sizes, separations).enumerated() {
            let formula = MemorizationConstruction.hyperplaneCount(points: n, separation: delta, failureBudget: budget)
            let multipliers = [0.5, 1.0]
            let streams = context.streams.child(1, c)
            var tested = FailureFrequency(failures: 0, trials: 1)
            for (k, multiplier) in multipliers.enumerated() {
                let m = max(1, Int((Double(formula) * multiplier).rounded(.up)))
                let outcomes = try parallelMap(trials) { t -> Bool in
                    let random = RandomStream(streams.child(k, t))
                    let theta = MemorizationConstruction.angle(separation: delta)
                    let basis = try random.orthogonalMatrix(d)
                    let u = basis.column(0), v = basis.column(1)
                    var x = Matrix(rows: n, columns: d)
                    for i in 0..<n { for j in 0..<d { x[i, j] = cos(Double(i) * theta) * u[j] + sin(Double(i) * theta) * v[j] } }
                    return try PackedBits.signs(points: x, normals: random.gaussianMatrix(rows: d, columns: m)).rowsDistinct
                }
                let failures = FailureFrequency(failures: outcomes.filter { !$0 }.count, trials: trials)
                if multiplier == fraction { tested = failures }
                table.append([.text("failure frequency"), .integer(n), .real(delta), .integer(m), .real(multiplier), .real(failures.estimate),
                              .text("CI [\(formatShort(failures.interval.lower)), \(formatShort(failures.interval.upper))]"), .real(budget), .integer(trials)])
            }
            checks.append(.atMost("95% upper confidence limit of P(two of \(n) points share a cell) with \(fraction == 1 ? "m" : "m/2") hyperplanes, δ = \(formatShort(delta))",
                                  measured: tested.interval.upper, bound: budget))
        }
        let notes = [
            "Instance: n points of a random great circle of S^{d−1} at adjacent distance exactly δ — the n − 1 adjacent pairs sit at the minimum angle θ, the hardest δ-separated configuration for stage 1.",
            "The union bound is conservative (only the ~n adjacent pairs are tight, not all n(n−1)/2), yet at m/2 the failure frequency is already far above p (table): the check at m is a near miss of the formula, not a margin of orders of magnitude.",
        ]
        return Report(claimID: id, control: context.control, checks: checks, table: table, notes: notes)
    }
}
