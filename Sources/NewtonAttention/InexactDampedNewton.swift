import ClaimCore
import Foundation

/// **N7 — Theorem 5.4: inexact damped Newton reaches g − g* ≤ ϵ in C₁ + C₂ log log(1/ϵ) steps.**
///
/// [GYWPL] Theorem 5.4: under Assumption 3.2, if every damped-Newton update is computed up to an error εₜ with
/// ‖εₜ‖₂ ≤ ϵ, then for ϵ ≤ c(µ), g(x_t) − g(x*) ≤ ϵ for all t ≥ C₁ + C₂ log log(1/ϵ) (g = f/(4µ); c, C₁, C₂ depend on µ
/// only and are not given numerically).
///
/// Experiment (the paper's logistic setting: n = 26, d = 5, µ = 0.1): x_{t+1} = damped Newton step + εₜ, εₜ of norm
/// exactly ϵ in a uniformly random direction, from x₀ ~ `start_scale`·N(0, I); `repetitions` seeds per ϵ. We record
/// the first t after which g(x_s) − g* ≤ ϵ for every s ≤ `steps`.
/// Checks: after `steps` steps max (g − g*)/ϵ ≤ 1 and max ‖x − x*‖/ϵ ≤ 2 (spec §9); the step count grows at most like
/// log log: the fitted slope of the mean count against log₂log₂(1/ϵ) has its 95% CI upper end ≤ `max_slope`
/// (a first-order method would need ∝ log(1/ϵ) steps, i.e. a slope growing like 2^{log₂log₂(1/ϵ)}).
public struct InexactDampedNewton: Claim {
    public init() {}

    public let id = "newton.inexact-damped-newton"
    public let family = Family.newtonAttention
    public let citation = Citation.newtonInContext
    public let statement = "Theorem 5.4: damped Newton on regularised logistic regression with per-step errors ‖εₜ‖ ≤ ϵ reaches g(x_t) − g* ≤ ϵ for all t ≥ C₁ + C₂ log log(1/ϵ)."
    public let guarantee = Guarantee.upper

    public let parameters: [ParameterSpec] = [
        ParameterSpec("samples", .integer(2...100_000), "n in-context examples"),
        ParameterSpec("dimension", .integer(1...1000), "d"),
        ParameterSpec("regularisation", .real(1e-6...100), "µ"),
        ParameterSpec("errors", .reals(1e-14...0.1, minCount: 5, increasing: false), "per-step error norms ϵ"),
        ParameterSpec("repetitions", .integer(5...100_000), "problems (seeds) per ϵ"),
        ParameterSpec("start_scale", .real(0...100), "x₀ ~ start_scale·N(0, I)"),
        ParameterSpec("steps", .integer(2...100_000), "iterations run"),
        ParameterSpec("max_slope", .real(0.1...100), "largest admissible C₂: slope of steps against log₂log₂(1/ϵ)"),
    ]

    public let controls = [
        NegativeControl(id: "gradient-descent", description: "the update is gradient descent with step 1/L (L = 1/4 + µ) instead of damped Newton, same injected errors; step counts grow like log(1/ϵ) and the checks must reject it"),
    ]

    public func run(_ context: RunContext) throws -> Report {
        let p = context.parameters
        let n = try p.int("samples"), d = try p.int("dimension"), mu = try p.double("regularisation")
        let errors = try p.doubles("errors"), repetitions = try p.int("repetitions")
        let startScale = try p.double("start_scale"), steps = try p.int("steps"), maxSlope = try p.double("max_slope")
        let gradientDescent = context.isControl("gradient-descent")

        struct Run: Sendable { let stepsToAccuracy: Int; let finalGap: Double; let finalDistance: Double }
        var table = Table(columns: ["ϵ", "log₂log₂(1/ϵ)", "runs", "steps to g − g* ≤ ϵ (mean)", "min", "max", "max (g − g*)/ϵ after all steps", "max ‖x − x*‖/ϵ after all steps"])
        var means: [Double] = []
        var worstGap = 0.0, worstDistance = 0.0
        for (errorIndex, epsilon) in errors.enumerated() {
            let runs = try parallelMap(repetitions) { rep -> Run in
                let problemStream = RandomStream(context.streams.child(0, rep))
                let problem = LogisticProblem.random(count: n, dimension: d, regularisation: mu, random: problemStream)
                let start = problemStream.gaussians(d, standardDeviation: startScale)
                let optimum = try problem.minimiser(from: [Double](repeating: 0, count: d))
                let best = problem.value(optimum) / (4 * mu)
                let noise = RandomStream(context.streams.child(1, errorIndex, rep))
                var x = start
                var lastAbove = 0
                for t in 1...steps {
                    if gradientDescent {
                        let g = try problem.gradient(x)
                        x = zip(x, g).map { $0 - $1 / (0.25 + mu) }
                    } else {
                        x = try problem.dampedNewtonStep(x)
                    }
                    let e = noise.unitSphere(dimension: d)
                    for j in 0..<d { x[j] += epsilon * e[j] }
                    if problem.value(x) / (4 * mu) - best > epsilon { lastAbove = t }
                }
                let distance = Vector.norm(zip(x, optimum).map { $0 - $1 })
                return Run(stepsToAccuracy: lastAbove + 1, finalGap: (problem.value(x) / (4 * mu) - best) / epsilon, finalDistance: distance / epsilon)
            }
            let counts = runs.map(\.stepsToAccuracy)
            means.append(mean(counts))
            worstGap = max(worstGap, runs.map(\.finalGap).max()!)
            worstDistance = max(worstDistance, runs.map(\.finalDistance).max()!)
            table.append([.real(epsilon), .real(log2(log2(1 / epsilon))), .integer(repetitions), .real(mean(counts)), .integer(counts.min()!), .integer(counts.max()!),
                          .real(runs.map(\.finalGap).max()!), .real(runs.map(\.finalDistance).max()!)])
            context.progress(errorIndex + 1, of: errors.count, "ϵ = \(formatShort(epsilon))")
        }
        let x = errors.map { log2(log2(1 / $0)) }
        let fit = try LineFit(x: x, y: means)
        let logFit = try LineFit(x: errors.map { log(1 / $0) }, y: means)
        let checks = [
            Check.atMost("max (g − g*)/ϵ after \(steps) steps", measured: worstGap, bound: 1),
            Check.atMost("max ‖x − x*‖/ϵ after \(steps) steps", measured: worstDistance, bound: 2),
            Check.atMost("slope C₂ of steps-to-ϵ against log₂log₂(1/ϵ)", measured: fit.slope, interval: fit.slopeInterval, bound: maxSlope),
        ]
        let notes = [
            "Fit of mean steps against log₂log₂(1/ϵ): slope \(formatShort(fit.slope)) CI [\(formatShort(fit.slopeInterval.lower)), \(formatShort(fit.slopeInterval.upper))], intercept \(formatShort(fit.intercept)); against ln(1/ϵ): slope \(formatShort(logFit.slope)) per nat.",
            "A step count 'reaches' ϵ at the first t after which g − g* ≤ ϵ holds for every later step of the run (\(steps) steps). c, C₁, C₂ of the theorem are not given numerically; max_slope = \(formatShort(maxSlope)) is the spec's admissible C₂.",
            "Each ϵ reuses the same \(repetitions) problems and starting points; only the injected errors differ.",
        ]
        return Report(claimID: id, control: context.control, checks: checks, table: table, notes: notes)
    }
}
