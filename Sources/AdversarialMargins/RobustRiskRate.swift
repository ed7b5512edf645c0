import ClaimCore
import Foundation

/// **Adversarial training with gradient updates minimises the robust empirical risk at rate O(ln²t / t).**
///
/// Charles, Rajput, Wright, Papailiopoulos, arXiv:1905.09209 (abstract [V]): adversarial training with gradient
/// updates minimises a robust empirical risk at rate O(ln(t)²/t) even though that risk is non-smooth.
///
/// Setting ([D], spec §2.2): separable signed points zᵢ (‖zᵢ‖ ≤ 1), ℓ2 ball of radius ε < γ*, exponential loss,
/// L_rob(w) = (1/n)Σᵢ exp(−(zᵢᵀw − ε‖w‖₂)); adversarial GD (worst-case points, step η, w₀ = 0) is a subgradient
/// method on L_rob (Danskin). Theorem shape [R]: L_rob(w_t) ≤ C·ln²t / (η(γ* − ε)² t).
///
/// Measurement: on the spec's 4-point set and `random_datasets` planted sets, for each ε = f·γ*, L_rob(w_t) at
/// t = s/(γ* − ε)² for the rescaled times s in `rescaled_times` (the bound depends on t only through (γ* − ε)²t up
/// to the log factor, so every run is observed in the same part of its trajectory).
/// Check per ε-fraction (an upper bound, so one-sided), aggregated over datasets (mean and 95% t-CI of per-dataset
/// fitted slopes): the slope of ln[t·L_rob/ln²t] vs ln t — the measured/bound-shape ratio — is ≤ 0, i.e. the ratio
/// stays bounded over the observed range (a rate slower than ln²t/t, e.g. t^{−1/2}, makes it grow). The slope of
/// ln L_rob vs ln t is reported, not checked (a faster decay than the bound is allowed). Also (claim role, a measured
/// outcome of the dynamics): every run stays finite. Sanity: the margin certificate (L_rob(w_t) < 1/n ⇒ γ(w_t) > ε,
/// true for any sum of positive terms).
public struct RobustRiskRate: Claim {
    public init() {}

    public let id = "adv.robust-risk-rate"
    public let family = Family.adversarialMargins
    public let citation = Citation.crwp
    public let source = StatementSource.paper("abstract (rate O(ln²t/t) of the robust empirical risk)")
    public let statement = "Adversarial training with gradient updates (ℓ2 worst-case perturbations, exponential loss, ε < γ*) minimises the robust empirical risk at rate O(ln²t/t)."
    public let guarantee = Guarantee.upper

    public let parameters: [ParameterSpec] = [
        ParameterSpec("epsilon_fractions", .reals(0.01...0.99, minCount: 1, increasing: true), "ε/γ*, perturbation radius as a fraction of the max margin"),
        ParameterSpec("rescaled_times", .reals(1...1e7, minCount: 5, increasing: true), "s = t·(γ* − ε)² at which L_rob is recorded (iterations t = ⌈s/(γ* − ε)²⌉)"),
        ParameterSpec("random_datasets", .integer(4...1000), "planted random datasets besides the 4-point reference set (≥ 5 datasets in all)"),
        ParameterSpec("dimensions", .integers(2...1000, minCount: 1, increasing: true), "dimensions d used by the random datasets, cycled"),
        ParameterSpec("points", .integers(2...100_000, minCount: 1, increasing: true), "sample sizes n used by the random datasets, cycled after the dimensions"),
        ParameterSpec("margin_gap", .real(0.001...0.9), "points with |w_trueᵀx| below this are redrawn (planted margin)"),
        ParameterSpec("step_size", .real(1e-3...1), "η, constant GD step"),
    ]

    public let controls = [
        NegativeControl(id: "wrong-sign-perturbation", description: "training uses δ = +ε y w/‖w‖ (the easiest point of the ball) while the robust risk is measured for the true worst case; it must not decay at the rate"),
        NegativeControl(id: "epsilon-above-max-margin", description: "each ε-fraction f is run at ε = (1 + f)γ* > γ*: no robust separator exists, so L_rob cannot decay"),
    ]

    struct Run: Sendable {
        let dataset: Int
        let dimension: Int
        let count: Int
        let gammaStar: Double
        let fraction: Double
        let epsilon: Double
        let times: [Int]
        /// ln L_rob at `times`.
        let logRisks: [Double]
        let certificateViolations: Int
        let certificateTriggered: Int
        /// The first iteration at which ‖w_t‖ or L_rob(w_t) stopped being finite (the run stops there), if any.
        let divergedAt: Int?
    }

    func datasets(_ p: Parameters, streams: StreamKey) throws -> [SeparableData] {
        let dims = try p.ints("dimensions"), counts = try p.ints("points")
        let gap = try p.double("margin_gap")
        let extra = try p.int("random_datasets")
        return [SeparableData.reference] + (0..<extra).map { k in
            SeparableData.planted(dimension: dims[k % dims.count], count: counts[(k / dims.count) % counts.count], gap: gap,
                                  random: RandomStream(streams.child(k))).data
        }
    }

    public func run(_ context: RunContext) throws -> Report {
        let p = context.parameters
        let fractions = try p.doubles("epsilon_fractions")
        let rescaled = try p.doubles("rescaled_times")
        let stepSize = try p.double("step_size")
        let sets = try datasets(p, streams: context.streams.child(0))
        let margins = try sets.map { try HardMarginSVM($0).margin }
        let aboveMaxMargin = context.isControl("epsilon-above-max-margin")
        let inputs: TrainingInputs = context.isControl("wrong-sign-perturbation") ? .wrongSign : .worstCase

        let jobs = sets.indices.flatMap { k in fractions.map { (k, $0) } }
        let runs = try parallelMap(jobs.count) { j -> Run in
            let (k, fraction) = jobs[j]
            let data = sets[k], gammaStar = margins[k]
            let epsilon = aboveMaxMargin ? (1 + fraction) * gammaStar : fraction * gammaStar
            let gapSquared = pow(gammaStar - epsilon, 2)
            let times = Array(Set(rescaled.map { Int(($0 / gapSquared).rounded(.up)) })).sorted()
            var logRisks: [Double] = []
            var next = 0, violations = 0, triggered = 0
            var divergedAt: Int? = nil
            let n = Double(data.count)
            let gd = ExponentialLossGD(data: data, inputs: inputs, radius: epsilon, stepSize: stepSize)
            gd.run(iterations: times.last!) { t, u, norm, _ in
                // ln L_rob = ln Σᵢ exp(shift − vᵢ) − ln n, evaluated stably (log-sum-exp): with ε > γ* the robust
                // margins turn negative and grow with ‖w‖, and exp alone overflows to ∞.
                let shift = epsilon * norm
                let largest = shift - minimum(u)
                var scaled = 0.0
                for v in u { scaled += exp(shift - v - largest) }
                let logRisk = largest + log(scaled) - log(n)
                if !(norm.isFinite && logRisk.isFinite) {
                    divergedAt = t
                    return true
                }
                if logRisk < -log(n) {
                    triggered += 1
                    if !(minimum(u) / norm > epsilon) { violations += 1 }
                }
                if t == times[next] {
                    logRisks.append(logRisk)
                    next += 1
                }
                return next == times.count
            }
            return Run(dataset: k, dimension: data.dimension, count: data.count, gammaStar: gammaStar, fraction: fraction, epsilon: epsilon,
                       times: times, logRisks: logRisks, certificateViolations: violations, certificateTriggered: triggered, divergedAt: divergedAt)
        }
        context.progress(1, of: 1, "adversarial GD runs")

        var table = Table(columns: ["dataset", "d", "n", "γ*", "ε/γ*", "t first", "t last", "ln L_rob at t last", "slope ln L_rob vs ln t",
                                    "slope of t·L_rob/ln²t", "max t·L_rob·(γ*−ε)²/ln²t", "min t·L_rob·(γ*−ε)²/ln²t"])
        var checks: [Check] = []
        var notes: [String] = []
        var plot = Plot(title: "Robust risk of adversarial GD vs rescaled time", xLabel: "s = t·(γ* − ε)²", yLabel: "L_rob(w_t)")
        var slopesByFraction: [[Double]] = fractions.map { _ in [] }
        var ratioSlopesByFraction: [[Double]] = fractions.map { _ in [] }
        var constant = 0.0
        let diverged = runs.filter { $0.divergedAt != nil }
        checks.append(.exact("adversarial GD stays finite (‖w_t‖ and L_rob(w_t) finite) in every run", holds: diverged.isEmpty,
                             detail: diverged.isEmpty ? "all \(runs.count) runs finite"
                                 : "\(diverged.count) of \(runs.count) runs diverged (‖w_t‖ → ∞), e.g. ε = \(formatShort(diverged[0].epsilon / diverged[0].gammaStar))γ* at t = \(diverged[0].divergedAt!); their robust risk does not decrease"))
        for run in runs where run.divergedAt == nil {
            let logT = run.times.map { log(Double($0)) }
            let fit = try LineFit(x: logT, y: run.logRisks)
            let logShape = zip(logT, run.logRisks).map { $0 + $1 - 2 * log($0) }
            let ratioFit = try LineFit(x: logT, y: logShape)
            let normalised = logShape.map { exp($0) * pow(run.gammaStar - run.epsilon, 2) }
            constant = max(constant, normalised.max()!)
            let f = fractions.firstIndex(of: run.fraction)!
            slopesByFraction[f].append(fit.slope)
            ratioSlopesByFraction[f].append(ratioFit.slope)
            table.append([.integer(run.dataset), .integer(run.dimension), .integer(run.count), .real(run.gammaStar), .real(run.epsilon / run.gammaStar),
                          .integer(run.times.first!), .integer(run.times.last!), .real(run.logRisks.last!), .real(fit.slope), .real(ratioFit.slope),
                          .real(normalised.max()!), .real(normalised.min()!)])
            if run.dataset <= 1 {
                let gapSquared = pow(run.gammaStar - run.epsilon, 2)
                plot.series.append(.init(name: "\(run.dataset == 0 ? "4-point set" : "random set 1"), ε = \(formatShort(run.epsilon / run.gammaStar))γ*",
                                         x: run.times.map { Double($0) * gapSquared }, y: run.logRisks.map(exp), style: .line, colour: run.dataset * fractions.count + f))
            }
        }
        for (f, fraction) in fractions.enumerated() where slopesByFraction[f].count >= 2 {
            let slopes = try MeanEstimate(slopesByFraction[f])
            let ci = slopes.confidenceInterval()
            let ratio = try MeanEstimate(ratioSlopesByFraction[f])
            checks.append(.atMost("ε = \(formatShort(fraction))γ*: slope of ln(t·L_rob/ln²t) vs ln t, mean over \(ratio.count) datasets (the bound's shape must not grow)",
                                  measured: ratio.mean, interval: ratio.confidenceInterval(), bound: 0))
            notes.append("ε = \(formatShort(fraction))γ*: per-dataset slopes " + slopesByFraction[f].map { formatShort($0) }.joined(separator: ", ") + "; mean \(formatShort(slopes.mean)) (95% CI [\(formatShort(ci.lower)), \(formatShort(ci.upper))]).")
        }
        let violations = runs.reduce(0) { $0 + $1.certificateViolations }
        let triggered = runs.reduce(0) { $0 + $1.certificateTriggered }
        checks.append(.exact("certificate: L_rob(w_t) < 1/n ⇒ γ(w_t) > ε at every iterate", holds: violations == 0,
                             detail: "\(violations) violations among \(triggered) iterates with L_rob < 1/n").as(.sanity))
        notes.append("Measured constant of the bound shape: sup over runs and recorded t of t·L_rob·(γ* − ε)²/ln²t = \(formatShort(constant)) (η = \(formatShort(stepSize))); the spec's loose [R] constant 20 is not checked.")
        notes.append("Dataset 0 is the spec's 4-point set; the others are planted sets (points uniform on the unit sphere, labels by a random unit w_true, |w_trueᵀx| ≥ margin_gap).")
        return Report(claimID: id, control: context.control, checks: checks, table: table, plot: plot, notes: notes)
    }
}
