import ClaimCore
import Foundation

/// **Data augmentation and positive margin: d + 1 points per data point are necessary, random augmentation obeys
/// Wendel's formula, and a margin ρr needs N ≳ e^{dρ²/2} random points.**
///
/// Rajput, Feng, Charles, Loh, Papailiopoulos, "Does Data Augmentation Lead to Positive Margin?", ICML 2019,
/// arXiv:1905.03177 (abstract [V]): lower bounds on the number of augmented points needed for non-zero margin; common
/// augmentations may give significant margin only after exponentially many points. Geometry ([D], spec §3.2):
/// augmenting x with x + r z_j forces every consistent classifier (linear, or constant on convex hulls) to have
/// distance ≥ r·h(Z) from x, h(Z) = min_{‖u‖=1} max_j ⟨u, z_j⟩, with equality for the worst consistent hyperplane.
///
/// Checks:
/// 1. Necessity (exact): for N ≤ d random points, a direction u with max_j ⟨u, z_j⟩ < 0 exists (LAPACK solve /
///    min-norm least squares of Z u = −𝟙), so h(Z) < 0 — in every trial.
/// 2. Sufficiency (exact): the regular simplex's d + 1 unit vertices have h = 1/d (facet distances) to 1e-12.
/// 3. Worst-case margin (exact): for random Z of d + 1 points recentred at their centroid, the closest-facet normal â gives a consistent
///    hyperplane at distance exactly r·h(Z) from x, and no random direction u gets max_j ⟨u, z_j⟩ below h.
/// 4. Wendel: for Gaussian z_j, P(0 ∈ int conv Z) = 1 − 2^{−(N−1)} Σ_{k<d} C(N−1, k); the empirical frequency
///    (Wolfe min-norm point with certificates, `trials` draws) must match within 4·√(P(1−P)/trials) + 10⁻³.
/// 5. Exponential cost of margin: h(Z) ≤ max_j ⟨e₁, z_j⟩, so N* = first j with ⟨e₁, z_j⟩ ≥ ρ (z_j uniform on
///    S^{d−1}) lower-bounds the points needed for margin ρr; E N* = 1/μ_d(ρ) ≥ e^{dρ²/2}. The fitted slope of
///    ln E N* in d must match the exact slope of ln(1/μ_d(ρ)) (within `growth_tolerance`, relative) and exceed ρ²/2,
///    and mean N* ≥ e^{dρ²/2} at every d.
public struct AugmentationMargin: Claim {
    public init() {}

    public let id = "adv.augmentation-margin"
    public let family = Family.adversarialMargins
    public let citation = Citation.rfclp
    public let source = StatementSource.derived("geometry of h(Z), Wendel (1962) and the cap bound (spec §3.2 [D]); the abstract [V] says only that exponentially many points may be needed")
    public let statement = "Augmenting a point with N ≤ d points cannot force a positive margin, d + 1 well-chosen points can; for N random symmetric points the probability of positive margin is Wendel's 1 − 2^{−(N−1)}Σ_{k<d}C(N−1,k); and a margin ρr needs N ≳ e^{dρ²/2} random points."
    public let guarantee = Guarantee.exact

    public let parameters: [ParameterSpec] = [
        ParameterSpec("wendel_dimensions", .integers(2...50, minCount: 2, increasing: true), "d for the Wendel frequencies (N ∈ {d, d+1, ⌈3d/2⌉, 2d, 3d})"),
        ParameterSpec("trials", .integer(100...10_000_000), "independent draws per (d, N) cell of the Wendel experiment"),
        ParameterSpec("necessity_dimensions", .integers(2...200, minCount: 1, increasing: true), "d for the N ≤ d necessity and simplex checks"),
        ParameterSpec("geometry_trials", .integer(1...100_000), "random sets per d for the necessity and worst-case-margin checks"),
        ParameterSpec("growth_dimensions", .integers(2...1000, minCount: 5, increasing: true), "d for the exponential-cost sweep"),
        ParameterSpec("growth_margin", .real(0.05...0.95), "ρ, the target margin in units of the augmentation radius r"),
        ParameterSpec("growth_trials", .integer(5...1_000_000), "independent sequences per d in the exponential-cost sweep"),
        ParameterSpec("growth_tolerance", .real(0.01...1), "allowed relative deviation of the fitted ln N* slope from the exact one"),
    ]

    public let controls = [
        NegativeControl(id: "asymmetric-noise", description: "augmentation noise N(0.5·e₁, I) is not symmetric about 0: Wendel's formula must fail"),
        NegativeControl(id: "d-points-suffice", description: "the 'simplex' uses only d of its d + 1 vertices: the claimed margin 1/d must fail"),
    ]

    /// N ∈ {d, d + 1, ⌈3d/2⌉, 2d, 3d}, without repeats.
    static func wendelCounts(dimension d: Int) -> [Int] {
        let candidates: [Int] = [d, d + 1, (3 * d + 1) / 2, 2 * d, 3 * d]
        return Array(Set(candidates)).sorted()
    }

    /// The competing prediction of a Wendel cell: the formula with one augmentation too few (N − 1), or, where that
    /// gives the same value (P = 0 for N ≤ d), one too many (N + 1).
    static func offByOne(dimension d: Int, points n: Int) -> Double {
        let exact = wendelProbability(dimension: d, points: n), fewer = wendelProbability(dimension: d, points: n - 1)
        return fewer != exact ? fewer : wendelProbability(dimension: d, points: n + 1)
    }

    public func invalidParameters(_ parameters: Parameters) -> (key: String, problem: String)? {
        if let dims = try? parameters.ints("growth_dimensions"), let rho = try? parameters.double("growth_margin"),
           let last = dims.last, 1 / sphericalCapMeasure(ambientDimension: last, threshold: rho) > 1e7 {
            return ("growth_dimensions", "1/μ_d(ρ) exceeds 10⁷ draws per trial at d = \(last); lower d or ρ")
        }
        return nil
    }

    public func run(_ context: RunContext) throws -> Report {
        let p = context.parameters
        let wendelDims = try p.ints("wendel_dimensions"), trials = try p.int("trials")
        let geometryDims = try p.ints("necessity_dimensions"), geometryTrials = try p.int("geometry_trials")
        let growthDims = try p.ints("growth_dimensions"), rho = try p.double("growth_margin")
        let growthTrials = try p.int("growth_trials"), growthTolerance = try p.double("growth_tolerance")
        let shift = context.isControl("asymmetric-noise") ? 0.5 : 0
        let dropVertex = context.isControl("d-points-suffice")

        var table = Table(columns: ["experiment", "d", "N", "trials", "measured", "CI low", "CI high", "predicted", "measured − predicted"])
        var checks: [Check] = []
        var notes: [String] = []

        // 1–3: exact geometry.
        let geometry = try parallelMap(geometryDims.count) { k -> (necessity: Int, simplex: Double, worstCase: Double, beaten: Int, sets: Int) in
            let d = geometryDims[k]
            let random = RandomStream(context.streams.child(1, k))
            var necessityFailures = 0
            for trial in 0..<geometryTrials {
                let n = 1 + trial % d
                let z = random.gaussianMatrix(rows: n, columns: d)
                let u = n == d ? try z.solve([Double](repeating: -1, count: n)) : try z.leastSquares([Double](repeating: -1, count: n))
                if !((z * u).max()! < 0) { necessityFailures += 1 }
            }
            var simplex = try AugmentationGeometry.regularSimplex(dimension: d)
            if dropVertex { simplex = Matrix((0..<d).map { i in (0..<d).map { simplex[i, $0] } }) }
            let h: Double
            if simplex.rows == d + 1, try AugmentationGeometry.containsOrigin(simplex).inside {
                h = try AugmentationGeometry.simplexInradius(simplex).radius
            } else {
                h = -(try AugmentationGeometry.containsOrigin(simplex).distance)
            }
            // Worst-case consistent hyperplane for random Z (d + 1 points) whose hull contains 0: offset r·h from x.
            var worstError = 0.0, beaten = 0, sets = 0
            let radius = 0.5
            while sets < geometryTrials {
                // d + 1 Gaussian points recentred at their centroid (an interior point of their hull), so 0 ∈ int conv(Z)
                // without rejection sampling (which would cost ~2^d draws per accepted set).
                var z = random.gaussianMatrix(rows: d + 1, columns: d)
                var centre = [Double](repeating: 0, count: d)
                try z.multiply([Double](repeating: 1 / Double(d + 1), count: d + 1), transpose: true, into: &centre)
                for i in 0...d { for k in 0..<d { z[i, k] -= centre[k] } }
                guard try AugmentationGeometry.containsOrigin(z).inside else { throw NumericsError.insufficientData("recentred set does not contain 0") }
                sets += 1
                let (inradius, normal) = try AugmentationGeometry.simplexInradius(z)
                let support = (z * normal).max()!
                worstError = max(worstError, abs(radius * support - radius * inradius) / (radius * inradius))
                for _ in 0..<200 {
                    let u = random.unitSphere(dimension: d)
                    if (z * u).max()! < inradius * (1 - 1e-12) { beaten += 1 }
                }
            }
            return (necessityFailures, h, worstError, beaten, sets)
        }
        for (k, d) in geometryDims.enumerated() {
            let g = geometry[k]
            checks.append(.exact("d = \(d): every set of N ≤ d points admits u with max_j⟨u, z_j⟩ < 0 (no positive margin)", holds: g.necessity == 0,
                                 detail: "\(g.necessity) of \(geometryTrials) sets without such u").as(.sanity))
            checks.append(.close("d = \(d): regular simplex (\(dropVertex ? "d" : "d + 1") vertices) h = 1/d", measured: g.simplex, expected: 1 / Double(d), relativeTolerance: 1e-12).as(.construction))
            checks.append(.exact("d = \(d): closest-facet hyperplane has margin exactly r·h(Z), none of \(200 * g.sets) random directions beats h", holds: g.worstCase < 1e-9 && g.beaten == 0,
                                 detail: "max relative error \(formatShort(g.worstCase)), \(g.beaten) beating directions").as(.sanity))
            table.append([.text("h of regular simplex"), .integer(d), .integer(dropVertex ? d : d + 1), .integer(1), .real(g.simplex), .real(g.simplex), .real(g.simplex), .real(1 / Double(d)), .real(g.simplex - 1 / Double(d))])
        }

        // 4: Wendel.
        let cells: [(Int, Int)] = wendelDims.flatMap { (d: Int) -> [(Int, Int)] in Self.wendelCounts(dimension: d).map { (d, $0) } }
        let counts = try parallelMap(cells.count) { c -> (inside: Int, uncertified: Int) in
            let (d, n) = cells[c]
            let random = RandomStream(context.streams.child(2, c))
            var inside = 0, uncertified = 0
            for _ in 0..<trials {
                var z = random.gaussianMatrix(rows: n, columns: d)
                if shift != 0 { for i in 0..<n { z[i, 0] += shift } }
                let result = try AugmentationGeometry.containsOrigin(z)
                if result.inside { inside += 1 }
                if !result.certified { uncertified += 1 }
            }
            return (inside, uncertified)
        }
        context.progress(1, of: 2, "Wendel cells")
        var plot = Plot(title: "P(positive margin) of N random augmentations: Wendel vs measured", xLabel: "augmented points per data point N", yLabel: "P(0 ∈ int conv Z)", logX: false, logY: false)
        for (colour, d) in wendelDims.enumerated() {
            let curveN = Array(1...(3 * d))
            plot.series.append(.init(name: "Wendel, d = \(d)", x: curveN.map(Double.init), y: curveN.map { wendelProbability(dimension: d, points: $0) }, style: .dashed, colour: colour))
            let mine = cells.indices.filter { cells[$0].0 == d }
            plot.series.append(.init(name: "measured, d = \(d)", x: mine.map { Double(cells[$0].1) }, y: mine.map { Proportion(successes: counts[$0].inside, trials: trials).estimate },
                                     intervals: mine.map { Proportion(successes: counts[$0].inside, trials: trials).confidenceInterval() }, style: .points, colour: colour))
        }
        var maxGSLGap = 0.0
        for (c, (d, n)) in cells.enumerated() {
            let predicted = wendelProbability(dimension: d, points: n)
            maxGSLGap = max(maxGSLGap, abs(predicted - wendelProbabilityGSL(dimension: d, points: n)))
            let frequency = Proportion(successes: counts[c].inside, trials: trials)
            let ci = frequency.confidenceInterval()
            let allowed = 4 * (predicted * (1 - predicted) / Double(trials)).squareRoot() + 1e-3
            checks.append(.within("Wendel d = \(d), N = \(n): frequency of positive margin", quantity: "frequency", estimate: frequency.estimate, interval: ci,
                                  predicted: predicted, tolerance: allowed, maxHalfWidth: 0.05)
                            .sweeping("N", alternatives: [Self.offByOne(dimension: d, points: n)]))
            table.append([.text("Wendel P(h > 0)"), .integer(d), .integer(n), .integer(trials), .real(frequency.estimate), .real(ci.lower), .real(ci.upper), .real(predicted), .real(frequency.estimate - predicted)])
        }
        let uncertified = counts.reduce(0) { $0 + $1.uncertified }
        checks.append(.exact("every Wendel decision carries a certificate (convex weights, or a separating direction)", holds: uncertified == 0, detail: "\(uncertified) uncertified decisions").as(.sanity))
        notes.append("Wendel probabilities exact in BigInt; GSL gsl_sf_choose gives the same values to \(formatShort(maxGSLGap)).")

        // 5: exponential cost of margin ρ.
        let draws = try parallelMap(growthDims.count * growthTrials) { j -> Double in
            let k = j / growthTrials
            let random = RandomStream(context.streams.child(3, k, j % growthTrials))
            var count = 0
            while true {
                count += 1
                if random.unitSphere(dimension: growthDims[k])[0] >= rho { return Double(count) }
            }
        }
        context.progress(2, of: 2, "growth sweep")
        var means: [MeanEstimate] = []
        var exact: [Double] = []
        var weakestRatio = (ratio: Double.infinity, d: 0, estimate: try MeanEstimate([1]))
        for (k, d) in growthDims.enumerated() {
            let estimate = try MeanEstimate(Array(draws[(k * growthTrials)..<((k + 1) * growthTrials)]))
            let expected = 1 / sphericalCapMeasure(ambientDimension: d, threshold: rho)
            means.append(estimate)
            exact.append(expected)
            let bound = exp(Double(d) * rho * rho / 2)
            if estimate.confidenceInterval().lower / bound < weakestRatio.ratio { weakestRatio = (estimate.confidenceInterval().lower / bound, d, estimate) }
            let ci = estimate.confidenceInterval()
            table.append([.text("N* for max⟨e₁,z⟩ ≥ ρ (ρ = \(formatShort(rho)))"), .integer(d), .text("—"), .integer(growthTrials), .real(estimate.mean), .real(ci.lower), .real(ci.upper), .real(expected), .real(estimate.mean - expected)])
        }
        let x = growthDims.map(Double.init)
        // ln(1/μ_d) is slightly concave in d, so a straight line through ln E N* misfits even with exact data and the
        // χ²-inflated CI would measure that curvature, not the sampling noise. The measured slope is therefore the exact
        // curve's least-squares slope plus the weighted fitted slope of the deviation ln(E N* · μ_d), whose CI carries the noise.
        let exactFit = try LineFit(x: x, y: exact.map(log))
        let deviationFit = try LineFit(x: x, y: zip(means, exact).map { log($0.mean / $1) }, standardErrors: means.map(\.logStandardError))
        let slope = exactFit.slope + deviationFit.slope
        let slopeInterval = Interval(exactFit.slope + deviationFit.slopeInterval.lower, exactFit.slope + deviationFit.slopeInterval.upper)
        checks.append(.within("slope of ln E N* in d vs exact slope of ln(1/μ_d(ρ))", quantity: "slope", estimate: slope, interval: slopeInterval,
                              predicted: exactFit.slope, tolerance: growthTolerance * exactFit.slope, maxHalfWidth: growthTolerance * exactFit.slope)
                        .sweeping("d", alternatives: [0]))
        checks.append(.atLeast("slope of ln E N* in d vs ρ²/2 (N ≳ e^{dρ²/2})", measured: slope, interval: slopeInterval, bound: rho * rho / 2))
        let bound = exp(Double(weakestRatio.d) * rho * rho / 2)
        checks.append(.atLeast("mean N* vs e^{dρ²/2} at d = \(weakestRatio.d) (weakest d)", measured: weakestRatio.estimate.mean, interval: weakestRatio.estimate.confidenceInterval(), bound: bound))
        notes.append("Exponential cost: fitted slope of ln E N* in d \(formatShort(slope)) (95% CI [\(formatShort(slopeInterval.lower)), \(formatShort(slopeInterval.upper))], exact-curve slope plus the fitted deviation slope); exact slope \(formatShort(exactFit.slope)), asymptotic −½ln(1 − ρ²) = \(formatShort(-0.5 * log(1 - rho * rho))), bound ρ²/2 = \(formatShort(rho * rho / 2)).")
        notes.append("N* is the number of uniform augmentations until one has ⟨e₁, z⟩ ≥ ρ; since h(Z) ≤ max_j⟨e₁, z_j⟩, fewer than N* points cannot give margin ρr, so N* lower-bounds the augmentations needed (a per-sequence bound).")
        return Report(claimID: id, control: context.control, checks: checks, table: table, plot: plot, notes: notes)
    }
}
