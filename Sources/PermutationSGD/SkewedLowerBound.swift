import ClaimCore
import Foundation

/// **Ω(n/T²) for random reshuffling on strongly convex sums of smooth functions** (P1-L).
///
/// Rajput, Gupta, Papailiopoulos, "Closing the convergence gap of SGD without replacement", ICML 2020
/// (arXiv:2002.10400), abstract [V]: there are strongly convex F = (1/n)Σfᵢ with smooth fᵢ on which RR has
/// E‖x_T − x*‖² = Ω(n/T²) = Ω(1/(nK²)); so O~(n/T²) (Nagaraj et al. 2019) is tight and quadratics are easier.
/// What distinguishes it: the n-exponent. Quadratic sums in the same large-K regime fall as 1/T² = 1/(n²K²)
/// (n-exponent −2; `psgd.rr-regimes`); at fixed n both are K⁻², so a K-sweep alone cannot tell them apart.
///
/// Instance (the authors' code, spec §3.2 [V]): 1-D, fᵢ(x) = φ(x) + sᵢ·G·x, φ(x) = ½Lx² (x > 0), ½μx² (x ≤ 0), n/2
/// signs of each kind — a controlled family: n enters only through the count. Code constants L = 4, μ = 1, G = 1.
/// Prediction ([D], spec §3.2): the within-epoch random walk of size αG√n feels a stronger restoring force on the steep
/// side, a drift ≈ α²n^{3/2}G(L−μ) per epoch, so the epoch-end iterate sits at an offset ∝ α√n·G: E x_T² ∝ α²n.
///
/// Checks:
/// 1. Fixed step α = c/(μnK) from x₀ = x*: joint fit ln E = c + p ln n + q ln K over an (n, K) grid;
///    p = −1 ± tol (alternative −2: quadratic sums' 1/(n²K²)), q = −2 ± tol (alternative −3: 1/(nK³) of
///    quadratics at small K); max/min of n·K²·E over the grid ≤ `max_spread`.
/// 2. Every constant step (YRS22 Thm 3 states the bound for every constant step once K ≥ c₂κ): at each (n, K) of a
///    second grid, the best of a √2-spaced grid of steps c = α·μnK from x₀ = x* − `start_offset`; the grid must contain
///    its minimiser (sanity); the best-step error's K-exponent ≥ −2 and n-exponent ≥ −1 (one-sided, CI-based).
public struct SkewedLowerBound: Claim {
    public init() {}

    public let id = "psgd.skewed-lower-bound"
    public let family = Family.permutationSGD
    public let citation = Citation(
        title: "Closing the convergence gap of SGD without replacement",
        authors: "Shashank Rajput, Anant Gupta, Dimitris Papailiopoulos",
        venue: "ICML 2020 (PMLR 119)", arXiv: "2002.10400")
    public let source = StatementSource.paper("abstract: Ω(n/T²) for RR on some strongly convex sum of smooth functions; instance from the authors' code")
    public let statement = "There are strongly convex sums of n smooth functions (a 1-D quadratic with different curvature on each side of x*, n/2 components of each sign) on which random reshuffling has E‖x_T − x*‖² = Ω(n/T²) = Ω(1/(nK²)) for every constant step: n-exponent −1 and K-exponent −2, where quadratic sums in the same large-K regime fall as 1/T² = 1/(n²K²) (n-exponent −2)."
    public let guarantee = Guarantee.lower

    public let parameters: [ParameterSpec] = jointParameters("", "fixed-step") + [
        ParameterSpec("steep_curvature", .real(1e-6...1e6), "L, curvature for x > 0"),
        ParameterSpec("shallow_curvature", .real(1e-6...1e6), "μ, curvature for x ≤ 0 (= strong convexity of F)"),
        ParameterSpec("kick", .real(1e-6...1e6), "G, size of the linear terms ±G·x"),
        ParameterSpec("step_constant", .real(1e-3...100), "c in α = c/(μnK) for the fixed-step grid"),
        ParameterSpec("tolerance", .real(0.01...1), "allowed |fitted − predicted| exponent"),
        ParameterSpec("max_spread", .real(1...100), "allowed max/min of n·K²·E x_T² across the fixed-step grid"),
    ] + jointParameters("best_", "best-step") + stepGridParameters + [
        ParameterSpec("start_offset", .real(1e-6...1e6), "x* − x₀ for the best-step runs (x₀ on the shallow side)"),
    ]

    public let controls = [
        NegativeControl(id: "equal-curvatures",
                        description: "curvature μ on both sides (a quadratic): RR returns to 1/(nK³), K-exponent ≈ −3 at the fixed step and well below −2 at the best step; the K-exponent checks must reject it"),
    ]

    public func invalidParameters(_ parameters: Parameters) -> (key: String, problem: String)? {
        for key in ["components", "best_components"] {
            guard let ns = try? parameters.ints(key), ns.allSatisfy({ $0 % 2 == 0 }) else { return (key, "every n must be even (n/2 signs of each kind)") }
        }
        if let steep = try? parameters.double("steep_curvature"), let shallow = try? parameters.double("shallow_curvature"), steep <= shallow {
            return ("steep_curvature", "must exceed shallow_curvature: the lower bound needs curvatures that differ across x* (L > μ)")
        }
        return nil
    }

    public func run(_ context: RunContext) throws -> Report {
        let p = context.parameters
        let shallow = try p.double("shallow_curvature")
        let steep = context.isControl("equal-curvatures") ? shallow : try p.double("steep_curvature")
        let kick = try p.double("kick"), c = try p.double("step_constant")
        let tolerance = try p.double("tolerance"), maxSpread = try p.double("max_spread")
        let curvature = SkewedCurvature(steep: steep, shallow: shallow)

        let fixed = try JointSweep.measure(label: "RR, α = \(formatShort(c))/(μnK)", points: GridPoint.grid(try p.ints("components"), try p.ints("epochs")),
                                           repetitions: try p.int("repetitions"), predictedN: -1, predictedK: -2, streams: context.streams.child(0)) { point, random in
            let engine = SkewedSignsRR(curvature: curvature, components: point.n, kick: kick)
            let x = engine.run(epochs: point.k, stepSize: c / (shallow * Double(point.n * point.k)), from: 0, random: random)
            return x * x
        }
        context.progress(1, of: 2, "fixed step")
        let offset = try p.double("start_offset")
        let best = try BestStepSweep(label: "RR, best constant step", points: GridPoint.grid(try p.ints("best_components"), try p.ints("best_epochs")),
                                     stepGrid: try p.bestStepGrid(), repetitions: try p.int("best_repetitions"), streams: context.streams.child(1)) { point, steps, random in
            let engine = SkewedSignsRR(curvature: curvature, components: point.n, kick: kick)
            return engine.runLanes(epochs: steps.map { _ in point.k }, stepSizes: steps.map { $0 / (shallow * Double(point.n * point.k)) },
                                   from: -offset, random: random).map { $0 * $0 }
        }
        context.progress(2, of: 2, "best step")

        let scaled = zip(fixed.points, fixed.estimates).map { Double($0.0.n * $0.0.k * $0.0.k) * $0.1.mean }
        let hi = scaled.indices.max { scaled[$0] < scaled[$1] }!, lo = scaled.indices.min { scaled[$0] < scaled[$1] }!
        let ciHi = fixed.estimates[hi].confidenceInterval(), ciLo = fixed.estimates[lo].confidenceInterval()
        let fHi = scaled[hi] / fixed.estimates[hi].mean, fLo = scaled[lo] / fixed.estimates[lo].mean
        let spreadCI = Interval(fHi * ciHi.lower / (fLo * ciLo.upper), fHi * ciHi.upper / max(fLo * ciLo.lower, .leastNonzeroMagnitude))

        var checks = fixed.checks(tolerance: tolerance, alternativesN: [-2], alternativesK: [-3])
        checks.append(.atMost("max/min of n·K²·E x_T² over the fixed-step (n, K) grid", measured: scaled[hi] / scaled[lo], interval: spreadCI, bound: maxSpread))
        checks += best.checks(boundK: -2, boundN: -1)

        var table = Table(columns: SweepTable.columns)
        SweepTable.append(fixed, sampling: "RR", stepConstant: c, to: &table)
        SweepTable.append(best, sampling: "RR", to: &table)

        var plot = Plot(title: "RR on the skewed 1-D instance (L = \(formatShort(steep)), μ = \(formatShort(shallow))): fixed step, joint (n, K) fit", xLabel: "epochs K", yLabel: "E x_T²")
        fixed.addSeries(to: &plot)
        let notes = [
            fixed.note,
            "n·K²·E x_T² at the fixed step ranges \(formatShort(scaled.min()!, digits: 3)) … \(formatShort(scaled.max()!, digits: 3)) over the grid.",
            best.note,
            "Regime: K ≥ \(min(fixed.points.map(\.k).min()!, best.points.map(\.k).min()!)) ≫ κ = \(formatShort(steep / shallow)) (the 1/(nK²) rate is a large-epoch statement, spec §3.2); fixed-step runs start at x₀ = x* = 0, best-step runs at x₀ = x* − \(formatShort(offset)).",
        ]
        return Report(claimID: id, control: context.control, checks: checks, table: table, plot: plot, notes: notes)
    }
}
