import ClaimCore
import Foundation

/// **Ω(n/T²) for random reshuffling on strongly convex sums of smooth functions** (P1-L).
///
/// Rajput, Gupta, Papailiopoulos, "Closing the convergence gap of SGD without replacement", ICML 2020
/// (arXiv:2002.10400), abstract: there are strongly convex F = (1/n)Σfᵢ with smooth fᵢ on which RR has
/// E‖x_T − x*‖² = Ω(n/T²) = Ω(1/(nK²)); so O~(n/T²) (Nagaraj et al. 2019) is tight and quadratics are easier.
///
/// Instance (the authors' code, spec §3.2 [V]): 1-D, fᵢ(x) = φ(x) + sᵢ·G·x, φ(x) = ½Lx² (x > 0), ½μx² (x ≤ 0), n/2
/// signs of each kind; F = φ, x* = 0; F″ jumps at x*. Code constants L = 4, μ = 1, G = 1; x₀ = 0.
/// Step: clean α = c/(μnK) (the code's 4·ln(nK)/(nK) carries a log factor; see the Proofs note).
/// Prediction ([D], spec §3.2): the within-epoch random walk of size αG√n feels a stronger restoring force on the steep
/// side, a drift ≈ α²n^{3/2}G(L−μ) per epoch, so the epoch-end iterate sits at an offset ∝ α√n·G: E x_T² ∝ α²n ∝ 1/(nK²).
/// Checks: K-exponent within ±`tolerance` of −2 (CI half-width ≤ 0.25); n·K²·E x_T² bounded away from 0 and ∞ — its
/// max/min across the sweep ≤ `max_spread` (CI from the extreme points' CIs).
public struct SkewedLowerBound: Claim {
    public init() {}

    public let id = "psgd.skewed-lower-bound"
    public let family = Family.permutationSGD
    public let citation = Citation(
        title: "Closing the convergence gap of SGD without replacement",
        authors: "Shashank Rajput, Anant Gupta, Dimitris Papailiopoulos",
        venue: "ICML 2020 (PMLR 119)", arXiv: "2002.10400")
    public let statement = "There are strongly convex sums of n smooth functions (a 1-D quadratic with different curvature on each side of x*) on which random reshuffling has E‖x_T − x*‖² = Ω(n/T²) = Ω(1/(nK²)): K-exponent −2, not the −3 of quadratics."
    public let guarantee = Guarantee.lower

    public let parameters: [ParameterSpec] = [
        ParameterSpec("components", .integer(2...1_000_000), "n, number of component functions (even)"),
        ParameterSpec("epochs", .integers(1...10_000_000, minCount: 5, increasing: true), "K values of the sweep"),
        ParameterSpec("repetitions", .integer(5...10_000_000), "independent RR runs per K (heavy tails: ≥ 400 at full scale)"),
        ParameterSpec("steep_curvature", .real(1e-6...1e6), "L, curvature for x > 0"),
        ParameterSpec("shallow_curvature", .real(1e-6...1e6), "μ, curvature for x ≤ 0 (= strong convexity of F)"),
        ParameterSpec("kick", .real(1e-6...1e6), "G, size of the linear terms ±G·x"),
        ParameterSpec("step_constant", .real(1e-3...100), "c in α = c/(μnK)"),
        ParameterSpec("tolerance", .real(0.01...1), "allowed |fitted − predicted| exponent"),
        ParameterSpec("max_spread", .real(1...100), "allowed max/min of n·K²·E x_T² across the sweep"),
    ]

    public let controls = [
        NegativeControl(id: "equal-curvatures",
                        description: "curvature μ on both sides (a quadratic): RR returns to 1/(nK³), slope ≈ −3; the −2 check and the bounded-n·K²·E check must reject it"),
    ]

    public func invalidParameters(_ parameters: Parameters) -> (key: String, problem: String)? {
        guard let n = try? parameters.int("components"), n % 2 == 0 else { return ("components", "must be even (n/2 signs of each kind)") }
        return nil
    }

    public func run(_ context: RunContext) throws -> Report {
        let p = context.parameters
        let n = try p.int("components"), epochs = try p.ints("epochs"), repetitions = try p.int("repetitions")
        let shallow = try p.double("shallow_curvature")
        let steep = context.isControl("equal-curvatures") ? shallow : try p.double("steep_curvature")
        let kick = try p.double("kick"), c = try p.double("step_constant")
        let tolerance = try p.double("tolerance"), maxSpread = try p.double("max_spread")

        let engine = SkewedSignsRR(curvature: SkewedCurvature(steep: steep, shallow: shallow), components: n, kick: kick)
        var estimates: [MeanEstimate] = []
        for (sizeIndex, k) in epochs.enumerated() {
            let stepSize = c / (shallow * Double(n * k))
            let streams = context.streams.child(sizeIndex)
            let errors = try parallelMap(repetitions) { rep in
                let x = engine.run(epochs: k, stepSize: stepSize, from: 0, random: RandomStream(streams.child(rep)))
                return x * x
            }
            estimates.append(try MeanEstimate(errors))
            context.progress(sizeIndex + 1, of: epochs.count, "K = \(k)")
        }
        let sizes = epochs.map(Double.init)
        let fit = try PowerLawFit(sizes: sizes, estimates: estimates)
        let scaled = zip(epochs, estimates).map { Double(n * $0.0 * $0.0) * $0.1.mean }
        let scaledCI = zip(epochs, estimates).map { k, e in
            let ci = e.confidenceInterval(), f = Double(n * k * k)
            return Interval(f * ci.lower, f * ci.upper)
        }
        let hi = scaled.indices.max { scaled[$0] < scaled[$1] }!, lo = scaled.indices.min { scaled[$0] < scaled[$1] }!
        let spread = scaled[hi] / scaled[lo]
        let spreadCI = Interval(scaledCI[hi].lower / scaledCI[lo].upper, scaledCI[hi].upper / max(scaledCI[lo].lower, .leastNonzeroMagnitude))

        var table = Table(columns: ["n", "K", "step α", "E x_T²", "CI low", "CI high", "runs", "n·K²·E x_T²"])
        for (i, k) in epochs.enumerated() {
            let ci = estimates[i].confidenceInterval()
            table.append([.integer(n), .integer(k), .real(c / (shallow * Double(n * k))), .real(estimates[i].mean), .real(ci.lower), .real(ci.upper),
                          .integer(estimates[i].count), .real(scaled[i])])
        }
        let checks: [Check] = [
            .exponent("RR K-exponent of E x_T² (skewed instance)", fit: fit, predicted: -2, tolerance: tolerance),
            .atMost("max/min of n·K²·E x_T² across the sweep", measured: spread, interval: spreadCI, bound: maxSpread),
        ]
        var plot = Plot(title: "RR on the skewed 1-D instance (L = \(formatShort(steep)), μ = \(formatShort(shallow))), n = \(n)", xLabel: "epochs K", yLabel: "E x_T²")
        plot.addPowerLaw(name: "RR", sizes: sizes, estimates: estimates, fit: fit, predictedExponent: -2, colour: 0)
        let notes = [
            "K-slope \(formatShort(fit.exponent, digits: 3)) [\(formatShort(fit.exponentInterval.lower, digits: 3)), \(formatShort(fit.exponentInterval.upper, digits: 3))] vs predicted −2; n·K²·E x_T² ranges \(formatShort(scaled.min()!, digits: 3)) … \(formatShort(scaled.max()!, digits: 3)).",
            "Regime: K ≥ \(epochs.first!) ≫ κ = \(formatShort(steep / shallow)) (the 1/(nK²) rate is a large-epoch statement, spec §3.2); step α = \(formatShort(c))/(μnK), x₀ = x* = 0.",
        ]
        return Report(claimID: id, control: context.control, checks: checks, table: table, plot: plot, notes: notes)
    }
}
