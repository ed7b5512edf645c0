@preconcurrency import CLinearAlgebra
import ClaimCore
import Foundation

/// **Random reshuffling on quadratics: O~(1/T² + n²/T³), both regimes** (P1-U).
///
/// Rajput, Gupta, Papailiopoulos, "Closing the convergence gap of SGD without replacement", ICML 2020
/// (arXiv:2002.10400), abstract: for F a strongly convex quadratic sum of smooth components, RR with a constant step
/// reaches E‖x_T − x*‖² = O~(1/T² + n²/T³) = O~(1/(n²K²) + 1/(nK³)), matching the Ω of Safran & Shamir (COLT 2020).
///
/// Setting: spec §5.2 E1 clean protocol (x₀ = x*, α = c/(μnK), random d-dimensional quadratics) at one n.
/// Prediction (spec §5.1, constants ours [D], `E1Constants`): E‖x_T − x*‖² ≈ F/K³ + B/K², where F/K³ is the
/// zero-mean order fluctuation (∝ 1/(nK³)) and B/K² the squared offset of the mean epoch-end fixed point (∝ 1/K²; on
/// random instances ‖ΣAₐgₐ‖ grows like √n, so B ∝ 1/n³ rather than the worst case 1/n²). Hence
///   K ≪ K_c = F/B: K-exponent −3;   K ≫ K_c: K-exponent −2;   the terms cross at K_c.
/// Checks: slope over the first `window` K within ±`tolerance` of −3; slope over the last `window` K within
/// ±`tolerance` of −2 (CI half-width ≤ 0.25 each); the crossover K̂_c = F̂/B̂ of a weighted fit of
/// E·K² = B + F/K over the whole sweep lies within a factor 2^`crossover_tolerance` of the derived K_c
/// (check on log₂(K̂_c/K_c), delta-method CI).
public struct RRRegimes: Claim {
    public init() {}

    public let id = "psgd.rr-regimes"
    public let family = Family.permutationSGD
    public let citation = Citation(
        title: "Closing the convergence gap of SGD without replacement",
        authors: "Shashank Rajput, Anant Gupta, Dimitris Papailiopoulos",
        venue: "ICML 2020 (PMLR 119)", arXiv: "2002.10400")
    public let source = StatementSource.paper("abstract: O~(1/T² + n²/T³) for RR on strongly convex quadratic sums, closing the gap to the older O(1/T² + n³/T³)")
    public let statement = "Random reshuffling on a strongly convex quadratic sum reaches E‖x_T − x*‖² = O~(1/T² + n²/T³): K-exponent −3 and n-exponent −1 while the n²/T³ = 1/(nK³) term dominates (small K; the older n³/T³ = 1/K³ bound would allow n-exponent 0), K- and n-exponent −2 once the 1/T² = 1/(n²K²) term does (large K), crossing where the two terms are equal."
    public let guarantee = Guarantee.tight

    public let parameters: [ParameterSpec] = [
        ParameterSpec("components", .integer(2...100_000), "n, number of component functions"),
        ParameterSpec("dimension", .integer(1...64), "d, dimension of x"),
        ParameterSpec("epochs", .integers(1...10_000_000, minCount: 10, increasing: true), "K values of the sweep, spanning both regimes"),
        ParameterSpec("window", .integer(5...100), "number of K values at each end of the sweep used for the two regime slopes"),
        ParameterSpec("repetitions", .integer(5...1_000_000), "independent runs per K on the fixed instance"),
        ParameterSpec("low_window_repetitions", .integer(5...10_000_000), "runs per K for the first `window` K (cheap epochs, noisier slope)"),
        ParameterSpec("step_constant", .real(1e-3...100), "c in α = c/(μnK)"),
        ParameterSpec("permutations", .integer(100...10_000_000), "Monte Carlo permutations for the derived fluctuation constant F"),
        ParameterSpec("tolerance", .real(0.01...1), "allowed |fitted − predicted| exponent"),
        ParameterSpec("crossover_tolerance", .real(0.1...4), "allowed |log₂(measured/derived crossover K)|"),
        ParameterSpec("steep_curvature", .real(1e-6...1e6), "L, curvature of the n/2 components with gradient +G at x* (two-type instance of the joint grids)"),
        ParameterSpec("shallow_curvature", .real(1e-6...1e6), "μ₀, curvature of the n/2 components with gradient −G at x*"),
    ] + jointParameters("small_k_", "small-K (K ≪ K_c ∝ n)") + jointParameters("large_k_", "large-K (K ≫ K_c)")

    public let controls = [
        NegativeControl(id: "replacement-claimed-as-reshuffling",
                        description: "the sampler draws with replacement (K-exponent −1 throughout, no crossover); the −3 and −2 checks must reject it"),
    ]

    public func invalidParameters(_ parameters: Parameters) -> (key: String, problem: String)? {
        guard let epochs = try? parameters.ints("epochs"), let window = try? parameters.int("window"), 2 * window <= epochs.count else {
            return ("window", "two windows must fit in the sweep without overlap")
        }
        for key in ["small_k_components", "large_k_components"] {
            guard let ns = try? parameters.ints(key), ns.allSatisfy({ $0 % 2 == 0 }) else { return (key, "every n must be even (n/2 components of each type)") }
        }
        return nil
    }

    public func run(_ context: RunContext) throws -> Report {
        let p = context.parameters
        let n = try p.int("components"), d = try p.int("dimension")
        let epochs = try p.ints("epochs"), window = try p.int("window")
        let repetitions = try p.int("repetitions"), lowRepetitions = try p.int("low_window_repetitions")
        let c = try p.double("step_constant"), tolerance = try p.double("tolerance")
        let crossoverTolerance = try p.double("crossover_tolerance")

        let problem = try E1.instance(components: n, dimension: d, random: RandomStream(context.streams.child(0)))
        let constants = try E1Constants(problem: problem, stepConstant: c, permutations: try p.int("permutations"),
                                        random: RandomStream(context.streams.child(2)))
        let scheme: SamplingScheme = context.isControl("replacement-claimed-as-reshuffling") ? .withReplacement : .reshuffling
        let samples = try E1.squaredErrors(scheme: scheme, instances: [problem], epochs: Array(epochs.prefix(window)), repetitions: lowRepetitions,
                                           stepConstant: c, streams: context.streams.child(1))
            + E1.squaredErrors(scheme: scheme, instances: [problem], epochs: Array(epochs.dropFirst(window)), repetitions: repetitions,
                               stepConstant: c, streams: context.streams.child(3))
        let low = try SchemeSweep(label: "RR, first \(window) K", scheme: scheme, epochs: Array(epochs.prefix(window)),
                                  samples: Array(samples.prefix(window)), predicted: -3)
        let high = try SchemeSweep(label: "RR, last \(window) K", scheme: scheme, epochs: Array(epochs.suffix(window)),
                                   samples: Array(samples.suffix(window)), predicted: -2)
        let all = try samples.map { try MeanEstimate($0) }
        let crossover = try Self.fitTwoTerms(epochs: epochs, estimates: all)

        let (small, large) = try Self.jointSweeps(p, scheme: scheme, stepConstant: c, streams: context.streams.child(4))
        context.progress(1, of: 1, "joint (n, K) grids")

        var table = Table(columns: ["n", "K", "E‖x_T−x*‖²", "CI low", "CI high", "runs", "derived F/K³", "derived B/K²", "derived total", "measured/derived"])
        for (i, k) in epochs.enumerated() {
            let kk = Double(k)
            let f = constants.fluctuation / (kk * kk * kk), b = constants.bias / (kk * kk)
            let ci = all[i].confidenceInterval()
            table.append([.integer(n), .integer(k), .real(all[i].mean), .real(ci.lower), .real(ci.upper), .integer(all[i].count),
                          .real(f), .real(b), .real(f + b), .real(all[i].mean / (f + b))])
        }
        var checks = [
            low.exponentCheck("K-exponent for K ≪ K_c (K = \(low.epochs.first!)…\(low.epochs.last!))", tolerance: tolerance)
                .sweeping("K", alternatives: [-2, -1]),
            high.exponentCheck("K-exponent for K ≫ K_c (K = \(high.epochs.first!)…\(high.epochs.last!))", tolerance: tolerance)
                .sweeping("K", alternatives: [-3, -1]),
        ]
        let crossoverName = "log₂(fitted crossover K / derived K_c = \(formatShort(constants.crossover, digits: 3)))"
        if let crossover, crossover.ratio > 0 {
            let logRatio = log2(crossover.ratio / constants.crossover)
            let half = 1.96 * crossover.logStandardError / log(2)
            checks.append(.within(crossoverName, quantity: "log₂ ratio", estimate: logRatio, interval: Interval(logRatio - half, logRatio + half),
                                  predicted: 0, tolerance: crossoverTolerance, maxHalfWidth: crossoverTolerance)
                .withoutAlternative("the crossover's location is our derived constant F/B; no competing statement predicts one"))
        } else {
            checks.append(Check(name: crossoverName, measured: -.infinity, interval: nil, predicted: 0, rule: "F̂ > 0 and B̂ > 0",
                                verdict: .violated, reason: "the fit E·K² = B + F/K has no positive crossover: the sweep shows no K⁻³ → K⁻² transition"))
        }

        checks += small.checks(tolerance: tolerance, alternativesN: [0], alternativesK: [-2])
        checks += large.checks(tolerance: tolerance, alternativesN: [-1], alternativesK: [-3])
        table.columns = ["sweep"] + table.columns + ["E·n^(−p)·K^(−q)", "joint fit"]
        table.rows = table.rows.map { [.text("E1 n = \(n)")] + $0 + [.text("—"), .text("—")] }
        for sweep in [small, large] {
            for (point, estimate) in zip(sweep.points, sweep.estimates) {
                let ci = estimate.confidenceInterval()
                let shape = pow(Double(point.n), sweep.predictedN) * pow(Double(point.k), sweep.predictedK)
                table.append([.text(sweep.label), .integer(point.n), .integer(point.k), .real(estimate.mean), .real(ci.lower), .real(ci.upper),
                              .integer(estimate.count), .text("—"), .text("—"), .text("—"), .text("—"), .real(estimate.mean / shape),
                              .real(sweep.fit.predict(Double(point.n), Double(point.k)))])
            }
        }

        var plot = Plot(title: "RR on E1, n = \(n), d = \(d): two regimes", xLabel: "epochs K", yLabel: "E‖x_T − x*‖²")
        let sizes = epochs.map(Double.init)
        plot.series.append(Plot.Series(name: "RR measured", x: sizes, y: all.map(\.mean), intervals: all.map { $0.confidenceInterval() }, style: .points, colour: 0))
        plot.series.append(Plot.Series(name: "derived F/K³ + B/K²", x: sizes, y: sizes.map { constants.fluctuation / ($0 * $0 * $0) + constants.bias / ($0 * $0) }, style: .line, colour: 1))
        plot.series.append(Plot.Series(name: "F/K³ (slope −3)", x: sizes, y: sizes.map { constants.fluctuation / ($0 * $0 * $0) }, style: .dashed, colour: 2))
        plot.series.append(Plot.Series(name: "B/K² (slope −2)", x: sizes, y: sizes.map { constants.bias / ($0 * $0) }, style: .dashed, colour: 3))
        var notes = [low.exponentNote, high.exponentNote,
                     "Derived (leading order in α): F = \(formatShort(constants.fluctuation, digits: 3)), B = \(formatShort(constants.bias, digits: 3)), K_c = F/B = \(formatShort(constants.crossover, digits: 3)); the windows sit at K ≤ \(low.epochs.last!) (K_c/K ≥ \(formatShort(constants.crossover / Double(low.epochs.last!), digits: 3))) and K ≥ \(high.epochs.first!) (K/K_c ≥ \(formatShort(Double(high.epochs.first!) / constants.crossover, digits: 3))).",
                     "Instance: μ = \(formatShort(problem.strongConvexity)), L = \(formatShort(problem.smoothness)); α·n·L = \(formatShort(c * problem.smoothness / problem.strongConvexity / Double(epochs.first!))) at the smallest K."]
        notes += [small.note, large.note,
                  "Joint grids: the two-type 1-D instance (n/2 components ½Lx² + Gx, n/2 components ½μ₀x² − Gx; x* = 0), a controlled family in which ΣAₐgₐ ∝ n, so B ∝ 1/n² and F ∝ 1/n exactly, K_c ∝ n. Small-K grid K ≤ \(small.points.map(\.k).max()!) with n ≥ \(small.points.map(\.n).min()!); large-K grid K ≥ \(large.points.map(\.k).min()!) with n ≤ \(large.points.map(\.n).max()!)."]
        if let crossover { notes.append("Two-term fit: F̂ = \(formatShort(crossover.fluctuation, digits: 3)), B̂ = \(formatShort(crossover.bias, digits: 3)), K̂_c = \(formatShort(crossover.ratio, digits: 3)).") }
        return Report(claimID: id, control: context.control, checks: checks, table: table, plot: plot, notes: notes)
    }

    /// The two joint (n, K) grids on the two-type instance, clean protocol (x₀ = x*, α = c/(μnK)).
    static func jointSweeps(_ p: Parameters, scheme: SamplingScheme, stepConstant c: Double, streams: StreamKey) throws -> (small: JointSweep, large: JointSweep) {
        let steep = try p.double("steep_curvature"), shallow = try p.double("shallow_curvature")
        func sweep(_ prefix: String, _ label: String, _ predictedN: Double, _ predictedK: Double, _ index: Int) throws -> JointSweep {
            let ns = try p.ints("\(prefix)components")
            let problems = try Dictionary(uniqueKeysWithValues: ns.map { ($0, try RRVersusReplacement.instance(components: $0, steep: steep, shallow: shallow)) })
            return try JointSweep.measure(label: label, points: GridPoint.grid(ns, try p.ints("\(prefix)epochs")), repetitions: try p.int("\(prefix)repetitions"),
                                          predictedN: predictedN, predictedK: predictedK, streams: streams.child(index)) { point, random in
                let problem = problems[point.n]!
                let sgd = PermutationSGD(problem: problem, scheme: scheme, stepSize: c / (problem.strongConvexity * Double(point.n * point.k)))
                return problem.squaredError(sgd.run(epochs: point.k, from: problem.minimizer, random: random))
            }
        }
        return (try sweep("small_k_", "RR two-type, small K", -1, -3, 0), try sweep("large_k_", "RR two-type, large K", -2, -2, 1))
    }

    struct TwoTermFit {
        let fluctuation: Double
        let bias: Double
        var ratio: Double { fluctuation / bias }
        /// Delta-method standard error of ln(F̂/B̂).
        let logStandardError: Double
    }

    /// Weighted fit of y = E·K² = B + F·(1/K) (`gsl_fit_wlinear`, weights from the standard errors of the means,
    /// covariance inflated by max(1, χ²/dof)); nil if F̂ or B̂ is not positive.
    static func fitTwoTerms(epochs: [Int], estimates: [MeanEstimate]) throws -> TwoTermFit? {
        let x = epochs.map { 1 / Double($0) }
        let y = zip(epochs, estimates).map { Double($0.0 * $0.0) * $0.1.mean }
        let w = zip(epochs, estimates).map { 1 / pow(Double($0.0 * $0.0) * $0.1.standardError, 2) }
        guard w.allSatisfy({ $0.isFinite && $0 > 0 }) else { throw NumericsError.nonFinite("two-term fit: a standard error is 0 or non-finite") }
        var b = 0.0, f = 0.0, cov00 = 0.0, cov01 = 0.0, cov11 = 0.0, chi2 = 0.0
        LibrarySetup.once
        let status = gsl_fit_wlinear(x, 1, w, 1, y, 1, x.count, &b, &f, &cov00, &cov01, &cov11, &chi2)
        if status != 0 { throw NumericsError.gsl(routine: "gsl_fit_wlinear", status: status) }
        guard f > 0, b > 0 else { return nil }
        let inflation = max(1, chi2 / Double(x.count - 2))
        let variance = inflation * (cov11 / (f * f) + cov00 / (b * b) - 2 * cov01 / (f * b))
        return TwoTermFit(fluctuation: f, bias: b, logStandardError: variance.squareRoot())
    }
}
