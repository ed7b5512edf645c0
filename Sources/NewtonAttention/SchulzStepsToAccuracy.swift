import ClaimCore
import Foundation

/// **N1–N3 — Newton–Schulz: the residual squares, so ε-accuracy takes k*(ε) = ⌈log₂(ln(1/ε)/ln(1/ρ₀))⌉ steps, and
/// no fewer.** One identity, one claim (it replaces `schulz-residual-identity` and `schulz-spectral-decay`).
///
/// [GYWPL] §3 (Schulz 1933; Ogden 1969; Pan & Schreiber 1991): Newton–Schulz X_{k+1} = X_k(2I − AX_k) from
/// X₀ = αAᵀ, α ∈ (0, 2/σ_max²), is ε-accurate after O(log κ + log log 1/ε) steps. Its exact form (spec §3, [D]):
///
///   E_{k+1} = E_k^p (order p; p = 2 is Newton–Schulz),   E_k := I − X_kA,
///   ‖E_k‖₂ = ρ₀^{2^k},  ρ₀ = max_i |1 − ασ_i²|  (E₀ = I − αAᵀA is symmetric),
///   k*(ε) = ⌈log₂(ln(1/ε)/ln(1/ρ₀))⌉ ≈ 2·log₂κ + log₂ln(1/ε) − 1  for α* = 2/(σ_max² + σ_min²).
///
/// Experiment: (1) the order-p identity in exact rationals on integer matrices; (2) the Lemma 4.1 transformer
/// (its Newton layer applied k times) in MPFR at `precision_bits`, on A = U diag(s) Vᵀ with σ_max = 1, σ_min = 1/κ
/// exactly (U, V products of Householder reflections, orthogonal to working precision) — every A with these two
/// extremes is worst case for α*, since both end the spectrum at ρ₀ — down to ε = `epsilons`.last (1e-300);
/// (3) the plain iteration with α on a grid over the whole admissible range (0, 2/σ_max²), for necessity.
/// Checks (claim): the exact identity; ‖E_k‖₂ = ρ₀^{2^k} (log₂ to 1e-9 relative) and slope 1 of log₂(−ln‖E_k‖₂)
/// against k (order 3 would give log₂3, linear convergence ≈ 0); every measured k* equals the formula; k* − 1 steps
/// miss ε for every α of the grid; slope 1 of k* against log₂log₂(1/ε) over ≥ 6 units (linear convergence at rate
/// 0.01 predicts the declared alternative) and slope 2 against log₂κ (a count in log κ, not log κ², predicts 1).
public struct SchulzStepsToAccuracy: Claim {
    public init() {}

    public let id = "newton.schulz-steps-to-accuracy"
    public let family = Family.newtonAttention
    public let citation = Citation.newtonInContext
    public let source = StatementSource.derived("exact form of §3's O(log κ + log log 1/ε) count: E_{k+1} = E_k² expanded; spec §3 [D]")
    public let statement = "Newton–Schulz (run by the Lemma 4.1 layers) from X₀ = αAᵀ has I − X_{k+1}A = (I − X_kA)² exactly, hence ‖I − X_kA‖₂ = ρ₀^{2^k}, and reaches ε after exactly k*(ε) = ⌈log₂(ln(1/ε)/ln(1/ρ₀))⌉ = O(log κ + log log 1/ε) steps — and no admissible α reaches it in k*(ε) − 1."
    public let guarantee = Guarantee.tight

    public let parameters: [ParameterSpec] = [
        ParameterSpec("orders", .integers(2...8, minCount: 1, increasing: true), "iteration orders p of the exact identity"),
        ParameterSpec("exact_dimensions", .integers(1...8, minCount: 1, increasing: true), "d of the integer matrices checked in rationals"),
        ParameterSpec("exact_steps", .integer(1...6), "iterations checked in rationals for p = 2 (one fewer per extra order, at least 1)"),
        ParameterSpec("entry_bound", .integer(1...1000), "integer entries of A uniform in [−bound, bound]"),
        ParameterSpec("exact_repetitions", .integer(1...1000), "integer matrices per (p, d)"),
        ParameterSpec("dimension", .integer(1...32), "d of the multiprecision runs (Theorem: κ > 1 needs d ≥ 2)"),
        ParameterSpec("conditions", .reals(1.5...1e5, minCount: 5, increasing: true), "κ sweep"),
        ParameterSpec("epsilons", .reals(1e-300...0.5, minCount: 5, increasing: false), "ε sweep"),
        ParameterSpec("fixed_condition", .real(1.5...1e5), "κ of the ε sweep and of the α grid (one of `conditions`)"),
        ParameterSpec("alpha_fractions", .reals(1e-3...0.9999, minCount: 3, increasing: true), "α = fraction·2/σ_max² (α* is added)"),
        ParameterSpec("repetitions", .integer(1...1000), "random (U, V) per κ"),
        ParameterSpec("precision_bits", .integer(64...20_000), "MPFR precision"),
        ParameterSpec("slope_tolerance", .real(0.01...1), "allowed |fitted − predicted| slope of k*"),
    ]

    public let controls = [
        NegativeControl(id: "truncated-polynomial", description: "the order-p iteration drops its highest-order term (m = p − 1); the exact identity must fail"),
        NegativeControl(id: "perturbed-weight", description: "one entry of W_V of the +X head of the Newton layer is changed by 1e-3 (the layer no longer computes X(2I − AX)); the decay and step-count checks must fail"),
        NegativeControl(id: "order-3-claimed-as-order-2", description: "the iterate is advanced by the order-3 method while the order-2 count is claimed; the decay slope and the step counts must fail"),
    ]

    public func invalidParameters(_ p: Parameters) -> (key: String, problem: String)? {
        guard let d = try? p.int("dimension"), let kappas = try? p.doubles("conditions"), let fixed = try? p.double("fixed_condition"),
              let epsilons = try? p.doubles("epsilons"), let bits = try? p.int("precision_bits") else { return nil }
        if d < 2 { return ("dimension", "κ(A) = σ_max/σ_min > 1 needs d ≥ 2 (σ_max = 1 and σ_min = 1/κ are both singular values)") }
        if !kappas.contains(fixed) { return ("fixed_condition", "must be one of `conditions` (the ε sweep reuses that κ's runs)") }
        let needed = Int((-log2(epsilons.last!) + 2 * log2(kappas.last!) + 64).rounded(.up))
        if bits < needed { return ("precision_bits", "must be ≥ log₂(1/ε_min) + 2·log₂κ_max + 64 = \(needed) to resolve ‖I − X_kA‖₂ ≤ ε_min") }
        return nil
    }

    /// One multiprecision trajectory: log₂‖E_k‖₂ for k = 0…steps.
    struct Trajectory: Sendable { let log2Norms: [Double] }

    public func run(_ context: RunContext) throws -> Report {
        let p = context.parameters
        let d = try p.int("dimension"), conditions = try p.doubles("conditions"), epsilons = try p.doubles("epsilons")
        let fixedCondition = try p.double("fixed_condition"), fractions = try p.doubles("alpha_fractions")
        let repetitions = try p.int("repetitions"), bits = try p.int("precision_bits"), slopeTolerance = try p.double("slope_tolerance")
        var table = Table(columns: ["part", "κ", "α/α*", "ε", "log₂log₂(1/ε)", "instances", "measured", "predicted"])

        // (1) The identity in exact rationals.
        let identity = try exactIdentity(context, table: &table)

        // (2) Trajectories through the transformer in MPFR.
        let model = SchulzMultiPrecision(dimension: d, bits: bits, perturbed: context.isControl("perturbed-weight"),
                                         order: context.isControl("order-3-claimed-as-order-2") ? 3 : 2)
        let epsilonLog2 = epsilons.map { log2($0) }
        var decayDeviation = 0.0, decaySlopes: [LineFit] = []
        var mismatches = 0, counted = 0
        var meanSteps: [[Double]] = []  // [κ][ε]
        var necessityMargin = Double.infinity  // min over α, ε, instances of log₂(‖E_{k*−1}‖/ε)
        for (kappaIndex, kappa) in conditions.enumerated() {
            let exact = model.spectrum(condition: kappa)
            let predicted = epsilons.map { model.predictedSteps(epsilon: $0, log2Rho: exact.log2Rho) }
            let steps = predicted.max()! + 1
            let runs = try parallelMap(repetitions) { rep in
                try model.trajectory(condition: kappa, alpha: exact.alpha, steps: steps, random: RandomStream(context.streams.child(1, kappaIndex, rep)))
            }
            var means: [Double] = []
            // Norms below 2^{floor} are rounding noise of the working precision (the run continues past ε_min).
            let floor = -Double(bits) + 2 * log2(kappa) + 32
            let resolved = (0...steps).filter { Double(1 << $0) * exact.log2Rho > floor }
            for run in runs {
                for k in resolved {
                    let expected = Double(1 << k) * exact.log2Rho
                    decayDeviation = max(decayDeviation, abs(run.log2Norms[k] - expected) / max(1, abs(expected)))
                }
                let ks = resolved.filter { run.log2Norms[$0] < 0 }
                decaySlopes.append(try LineFit(x: ks.map(Double.init), y: ks.map { log2(-run.log2Norms[$0]  * log(2.0)) }))
            }
            for (e, target) in epsilonLog2.enumerated() {
                let counts = runs.map { run in run.log2Norms.firstIndex { $0 <= target } ?? steps + 1 }
                counted += counts.count
                mismatches += counts.filter { $0 != predicted[e] }.count
                means.append(Double(counts.reduce(0, +)) / Double(counts.count))
                table.append([.text("k* (transformer, MPFR)"), .real(kappa), .real(1), .real(epsilons[e]), .real(log2(-target)), .integer(repetitions),
                              .real(means.last!), .integer(predicted[e])])
            }
            meanSteps.append(means)
            // (3) Necessity over the admissible α range, at the fixed κ.
            guard kappa == fixedCondition else { continue }
            for (f, fraction) in fractions.enumerated() {
                let alpha = MultiPrecision(2 * fraction, precision: bits)
                let alphaRuns = try parallelMap(repetitions) { rep in
                    try model.trajectory(condition: kappa, alpha: alpha, steps: steps, random: RandomStream(context.streams.child(2, f, rep)), throughLayers: false)
                }
                for (e, target) in epsilonLog2.enumerated() where predicted[e] >= 1 {
                    let margin = alphaRuns.map { $0.log2Norms[predicted[e] - 1] - target }.min()!
                    necessityMargin = min(necessityMargin, margin)
                    table.append([.text("log₂(‖E_{k*−1}‖₂/ε), α on the grid"), .real(kappa), .real(2 * fraction / exact.alpha.doubleValue), .real(epsilons[e]),
                                  .real(log2(-target)), .integer(repetitions), .real(margin), .text("> 0")])
                }
            }
            for (e, target) in epsilonLog2.enumerated() where predicted[e] >= 1 {
                let margin = runs.map { $0.log2Norms[predicted[e] - 1] - target }.min()!
                necessityMargin = min(necessityMargin, margin)
            }
            context.progress(kappaIndex + 1, of: conditions.count, "κ = \(formatShort(kappa))")
        }

        let fixedIndex = conditions.firstIndex(of: fixedCondition)!
        let u = epsilons.map { log2(log2(1 / $0)) }
        let epsilonFit = try LineFit(x: u, y: meanSteps[fixedIndex])
        let kappaFit = try LineFit(x: conditions.map { log2($0) }, y: meanSteps.map { $0.last! })
        let linearAlternative = try linearConvergenceSlope(epsilons: epsilons, contraction: 0.01)
        let worstSlope = decaySlopes.max { abs($0.slope - 1) < abs($1.slope - 1) }!
        let checks = [
            identity.check,
            Check.close("max |log₂‖E_k‖₂ − 2^k·log₂ρ₀| / max(1, |2^k·log₂ρ₀|) (MPFR, k ≤ k*(ε_min))", measured: decayDeviation, expected: 0, relativeTolerance: 1e-9, scale: 1),
            Check.within("slope of log₂(−ln‖E_k‖₂) against k (worst instance)", quantity: "slope", estimate: worstSlope.slope, interval: worstSlope.slopeInterval,
                         predicted: 1, tolerance: 0.05, maxHalfWidth: 0.05, variable: "k", alternatives: [log2(3), 0]),
            Check.exact("k* equals ⌈log₂(ln(1/ε)/ln(1/ρ₀))⌉ at every (κ, ε, instance)", holds: mismatches == 0,
                        detail: "\(counted - mismatches) of \(counted) step counts equal the formula"),
            Check.atLeast("k* is necessary: min over α-grid ∪ {α*}, ε, instances of ‖E_{k*−1}‖₂/ε", measured: exp2(min(necessityMargin, 1000)), bound: 1),
            Check.within("slope of k* against log₂log₂(1/ε) (κ = \(formatShort(fixedCondition)), ε to \(formatShort(epsilons.last!)))", quantity: "slope",
                         estimate: epsilonFit.slope, interval: epsilonFit.slopeInterval, predicted: 1, tolerance: slopeTolerance, maxHalfWidth: slopeTolerance,
                         variable: "log₂log₂(1/ε)", alternatives: [linearAlternative]),
            Check.within("slope of k* against log₂κ (ε = \(formatShort(epsilons.last!)))", quantity: "slope", estimate: kappaFit.slope,
                         interval: kappaFit.slopeInterval, predicted: 2, tolerance: slopeTolerance, maxHalfWidth: slopeTolerance,
                         variable: "log₂κ", alternatives: [1]),
        ]
        var plot = Plot(title: "Newton–Schulz steps to ‖I − X_kA‖₂ ≤ ε (Lemma 4.1 layers in MPFR, d = \(d))", xLabel: "log₂log₂(1/ε)", yLabel: "steps k*", logX: false, logY: false)
        for (i, kappa) in conditions.enumerated() {
            plot.series.append(.init(name: "κ = \(formatShort(kappa))", x: u, y: meanSteps[i], style: .points, colour: i))
        }
        plot.series.append(.init(name: "fit κ = \(formatShort(fixedCondition)): slope \(formatShort(epsilonFit.slope, digits: 3))", x: u, y: u.map(epsilonFit.predict), style: .line, colour: fixedIndex))
        let notes = [
            "ε sweep: u = log₂log₂(1/ε) spans \(formatShort(u.last! - u.first!)) units; fitted slope \(formatShort(epsilonFit.slope)) CI [\(formatShort(epsilonFit.slopeInterval.lower)), \(formatShort(epsilonFit.slopeInterval.upper))]. Linear convergence contracting by 0.01 per step would need ln(1/ε)/ln 100 steps: slope \(formatShort(linearAlternative)) on this grid.",
            "κ sweep at ε = \(formatShort(epsilons.last!)): slope \(formatShort(kappaFit.slope)) CI [\(formatShort(kappaFit.slopeInterval.lower)), \(formatShort(kappaFit.slopeInterval.upper))] (predicted 2: ln(1/ρ₀) ≈ 2/κ²).",
            "Necessity: the smallest log₂(‖E_{k*−1}‖₂/ε) over α ∈ {α*} ∪ fractions·2/σ_max², all ε and instances is \(formatShort(necessityMargin)) (> 0: no admissible α of the grid reaches ε one step early). α* minimises ρ₀(α) = max(|1 − α|, |1 − α/κ²|), so the grid contains the best choice.",
            "MPFR at \(bits) bits; the decay checks use the k with ρ₀^{2^k} > 2^{−bits + 2log₂κ + 32} (below that the residual is rounding noise). ‖E_k‖₂ by LAPACK on E_k scaled by a power of two (relative error ≈ 1e-15, so log₂‖E_k‖₂ to ≈ 1e-15 absolute).",
        ]
        return Report(claimID: id, control: context.control, checks: checks, table: table, plot: plot, notes: notes)
    }

    /// E_{k+1} = E_k^p in exact rationals on integer matrices, X₀ = Aᵀ/‖A‖_F².
    private func exactIdentity(_ context: RunContext, table: inout Table) throws -> (check: Check, checked: Int) {
        let p = context.parameters
        let orders = try p.ints("orders"), dimensions = try p.ints("exact_dimensions")
        let exactSteps = try p.int("exact_steps"), bound = try p.int("entry_bound"), repetitions = try p.int("exact_repetitions")
        let truncated = context.isControl("truncated-polynomial")
        var failures = 0, checked = 0
        for (orderIndex, order) in orders.enumerated() {
            let steps = max(1, exactSteps - (order - 2))
            for (dimIndex, d) in dimensions.enumerated() {
                let streams = context.streams.child(0, orderIndex, dimIndex)
                let failing = try parallelMap(repetitions) { rep -> Int in
                    let a = DenseMatrix<Rational>(exactly: try integerMatrix(dimension: d, bound: bound, random: RandomStream(streams.child(rep))))
                    let frobenius = a.elements.reduce(Rational.zero) { $0 + $1 * $1 }
                    var x = (Rational.one / frobenius) * a.transposed
                    var failing = 0
                    for _ in 0..<steps {
                        let predicted = NewtonSchulz.residual(x, a).power(order)
                        x = NewtonSchulz.step(x, a, order: order, droppingLastTerm: truncated)
                        if NewtonSchulz.residual(x, a) != predicted { failing += 1 }
                    }
                    return failing
                }.reduce(0, +)
                failures += failing
                checked += steps * repetitions
                table.append([.text("E_{k+1} = E_k^\(order) (rationals, d = \(d)): identities failing"), .text("—"), .text("—"), .text("—"), .text("—"),
                              .integer(repetitions), .integer(failing), .integer(0)])
            }
        }
        return (Check.exact("E_{k+1} = E_k^p in exact rationals (p ∈ \(orders))", holds: failures == 0, detail: "\(checked - failures) of \(checked) identities hold exactly"), checked)
    }
}

/// The fitted slope of ln(1/ε)/ln(1/r) (the step count of a method converging linearly at rate r) against
/// log₂log₂(1/ε) on the given ε grid: the prediction of "linear convergence" for a log log check.
func linearConvergenceSlope(epsilons: [Double], contraction r: Double) throws -> Double {
    try LineFit(x: epsilons.map { log2(log2(1 / $0)) }, y: epsilons.map { log(1 / $0) / log(1 / r) }).slope
}

func mean(_ values: [Int]) -> Double { Double(values.reduce(0, +)) / Double(values.count) }
