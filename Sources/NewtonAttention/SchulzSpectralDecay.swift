import ClaimCore
import Foundation

/// **N2 (first part) — with X₀ = αAᵀ the residual norm is exactly ρ₀^{2^k}, run through the transformer.**
///
/// [GYWPL] §3: Newton–Schulz from X₀ = αAᵀ, α ∈ (0, 2/σ_max²), converges quadratically. Since E₀ = I − αAᵀA is
/// symmetric and E_k = E₀^{2^k} (N1),
///
///   ‖I − X_kA‖₂ = ρ₀^{2^k},  ρ₀ = max_i |1 − ασ_i²|;  α* = 2/(σ_max² + σ_min²) gives ρ₀ = (κ² − 1)/(κ² + 1).
///
/// Experiment: A = U diag(s) Vᵀ with σ_max = 1, σ_min = 1/κ; the Newton steps are computed by the Lemma 4.1
/// transformer (its Newton layer applied k times, Double through dgemm) and, as reference, by the plain iteration.
/// Checks: max_k |‖E_k‖₂ − ρ₀^{2^k}| ≤ `tolerance` (k ≤ `steps`, both paths); the fitted slope of log₂(−ln‖E_k‖₂)
/// against k is 1 (doubly exponential decay: the exponent doubles every step), within `slope_tolerance`.
public struct SchulzSpectralDecay: Claim {
    public init() {}

    public let id = "newton.schulz-spectral-decay"
    public let family = Family.newtonAttention
    public let citation = Citation.newtonInContext
    public let statement = "Newton–Schulz from X₀ = α*Aᵀ, α* = 2/(σ_max² + σ_min²), has ‖I − X_kA‖₂ = ρ₀^{2^k} with ρ₀ = (κ² − 1)/(κ² + 1): quadratic (doubly exponential) convergence, here computed by the Lemma 4.1 transformer."
    public let guarantee = Guarantee.exact

    public let parameters: [ParameterSpec] = [
        ParameterSpec("dimensions", .integers(1...200, minCount: 1, increasing: true), "d of A"),
        ParameterSpec("conditions", .reals(1.01...1e6, minCount: 1, increasing: true), "κ(A) = σ_max/σ_min"),
        ParameterSpec("repetitions", .integer(1...10_000), "random (U, V) per (d, κ)"),
        ParameterSpec("steps", .integer(1...40), "Newton steps k checked against ρ₀^{2^k}"),
        ParameterSpec("tolerance", .real(1e-16...1e-6), "allowed |‖E_k‖₂ − ρ₀^{2^k}| (absolute, ≈ relative to max(1, ρ₀^{2^k}) ≤ 1)"),
        ParameterSpec("fit_floor", .real(1e-16...1e-3), "points with ‖E_k‖₂ below this (rounding floor) are left out of the slope fit"),
        ParameterSpec("slope_tolerance", .real(0.001...1), "allowed |slope − 1| of log₂(−ln‖E_k‖₂) against k"),
    ]

    public let controls = [
        NegativeControl(id: "perturbed-weight", description: "one entry of W_V of the +X₀ head of the Newton layer is changed by 1e-3 (the transformer no longer computes X(2I − AX)); the same checks must reject it"),
    ]

    public func run(_ context: RunContext) throws -> Report {
        let p = context.parameters
        let dimensions = try p.ints("dimensions"), conditions = try p.doubles("conditions")
        let repetitions = try p.int("repetitions"), steps = try p.int("steps")
        let tolerance = try p.double("tolerance"), floor = try p.double("fit_floor"), slopeTolerance = try p.double("slope_tolerance")
        let perturbed = context.isControl("perturbed-weight")

        struct Run: Sendable { let transformer: [Double]; let reference: [Double]; let rho: Double; let pathGap: Double }
        var table = Table(columns: ["d", "κ", "ρ₀", "instances", "k", "‖E_k‖₂ transformer (mean)", "‖E_k‖₂ reference (mean)", "ρ₀^{2^k}", "max |transformer − ρ₀^{2^k}|", "max |reference − ρ₀^{2^k}|", "max ‖X_k^TF − X_k^ref‖/‖X_k‖"])
        var plot = Plot(title: "Newton–Schulz residual ‖I − X_kA‖₂: transformer vs reference", xLabel: "Newton step k", yLabel: "‖I − X_kA‖₂", logX: false, logY: true)
        var worst = 0.0
        var slopes: [(estimate: Double, interval: Interval)] = []
        var decayMissing = 0
        for (dimIndex, d) in dimensions.enumerated() {
            let c = NewtonStepConstruction(dimension: d)
            var built: LinearTransformer<Double> = c.model(steps: steps)
            if perturbed {
                var newton = built.layers[1]
                newton.heads[1].valueWeight[c.iterate.offset, c.iterate.offset] += 1e-3
                built.layers = [built.layers[0]] + Array(repeating: newton, count: steps)
            }
            let model = built
            for (kappaIndex, kappa) in conditions.enumerated() {
                let streams = context.streams.child(dimIndex, kappaIndex)
                let runs = try parallelMap(repetitions) { rep -> Run in
                    let random = RandomStream(streams.child(rep))
                    let (matrix, s) = try conditionedMatrix(dimension: d, condition: kappa, random: random)
                    let (alpha, rho) = NewtonSchulz.optimalScale(singularValues: s)
                    let a = DenseMatrix(matrix)
                    let x0 = alpha * a.transposed
                    let states = model.trace(c.prompt(matrix: a, start: x0)).dropFirst(2).map { c.readIterate($0) }
                    var reference = [x0]
                    for _ in 0..<steps { reference.append(NewtonSchulz.step(reference.last!, a, order: 2)) }
                    let transformerIterates = [x0] + states
                    let norm = { (x: DenseMatrix<Double>) in try NewtonSchulz.residual(x, a).matrix.spectralNorm() }
                    let gap = zip(transformerIterates, reference).map { ($0 - $1).maxAbs / max($1.maxAbs, 1e-300) }.max()!
                    return Run(transformer: try transformerIterates.map(norm), reference: try reference.map(norm), rho: rho, pathGap: gap)
                }
                let rho = runs[0].rho
                for k in 0...steps {
                    let predicted = pow(rho, pow(2, Double(k)))
                    let tfDev = runs.map { abs($0.transformer[k] - predicted) }.max()!
                    let refDev = runs.map { abs($0.reference[k] - predicted) }.max()!
                    worst = max(worst, tfDev, refDev)
                    table.append([.integer(d), .real(kappa), .real(rho), .integer(repetitions), .integer(k),
                                  .real(runs.map { $0.transformer[k] }.reduce(0, +) / Double(repetitions)),
                                  .real(runs.map { $0.reference[k] }.reduce(0, +) / Double(repetitions)),
                                  .real(predicted), .real(tfDev), .real(refDev), .real(runs.map(\.pathGap).max()!)])
                }
                for run in runs {
                    let used = (0...steps).filter { run.transformer[$0] >= floor && run.transformer[$0] < 1 }
                    guard used.count >= 3 else { decayMissing += 1; continue }
                    let fit = try LineFit(x: used.map(Double.init), y: used.map { log2(-log(run.transformer[$0])) })
                    slopes.append((fit.slope, fit.slopeInterval))
                }
                if dimIndex == dimensions.count - 1 {
                    let ks = (0...steps).map(Double.init)
                    let colour = kappaIndex
                    plot.series.append(clipped(name: "transformer, κ = \(formatShort(kappa))", x: ks, y: runs[0].transformer, style: .points, colour: colour))
                    plot.series.append(clipped(name: "reference iteration", x: ks, y: runs[0].reference, style: .line, colour: colour))
                    plot.series.append(clipped(name: "ρ₀^{2^k}", x: ks, y: ks.map { pow(rho, pow(2, $0)) }, style: .dashed, colour: colour))
                }
            }
        }
        var checks = [Check.atMost("max |‖E_k‖₂ − ρ₀^{2^k}| over instances, k ≤ \(steps), transformer and reference", measured: worst, bound: tolerance)]
        if decayMissing > 0 || slopes.isEmpty {
            checks.append(.exact("doubly exponential decay (≥ 3 points with floor ≤ ‖E_k‖₂ < 1)", holds: false,
                                 detail: "\(decayMissing) instances never enter the decay regime"))
        } else {
            let worstSlope = slopes.max { abs($0.estimate - 1) < abs($1.estimate - 1) }!
            checks.append(.within("slope of log₂(−ln‖E_k‖₂) vs k (worst instance)", quantity: "slope", estimate: worstSlope.estimate,
                                  interval: worstSlope.interval, predicted: 1, tolerance: slopeTolerance, maxHalfWidth: slopeTolerance))
        }
        let notes = [
            "Transformer path: Lemma 4.1 weights (layer 1 writes Aᵀ, then the Newton layer repeated k times), Double through dgemm.",
            "ρ₀^{2^k} is the exact value, not only a bound, because E₀ is symmetric; the tolerance covers rounding (≈ u·κ).",
            "Plot: one instance per κ at d = \(dimensions.last!); points below ~1e-15 are the rounding floor.",
        ]
        return Report(claimID: id, control: context.control, checks: checks, table: table, plot: plot, notes: notes)
    }
}
