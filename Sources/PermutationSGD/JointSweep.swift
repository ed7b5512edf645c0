import ClaimCore
import Foundation

/// One point of an (n, K) design.
public struct GridPoint: Sendable, Equatable {
    public let n: Int
    public let k: Int
    public init(n: Int, k: Int) { self.n = n; self.k = k }

    /// The rectangular design ns × Ks, n varying slowest.
    public static func grid(_ ns: [Int], _ ks: [Int]) -> [GridPoint] { ns.flatMap { n in ks.map { GridPoint(n: n, k: $0) } } }
}

/// The parameter keys of a joint (n, K) sweep, with `prefix` ("small_k_", "floor_", …) so a claim can hold several.
func jointParameters(_ prefix: String, _ what: String, maxRepetitions: Int = 10_000_000) -> [ParameterSpec] {
    [
        ParameterSpec("\(prefix)components", .integers(2...1_000_000, minCount: 4, increasing: true), "n values of the \(what) (n, K) grid"),
        ParameterSpec("\(prefix)epochs", .integers(1...10_000_000, minCount: 5, increasing: true), "K values of the \(what) (n, K) grid"),
        ParameterSpec("\(prefix)repetitions", .integer(5...maxRepetitions), "independent runs per (n, K) point of the \(what) grid"),
    ]
}

/// A joint sweep over an (n, K) design: the mean error at each point and the fit ln E = c + p·ln n + q·ln K
/// (`JointPowerLawFit`, weighted by the delta-method standard errors; unweighted for deterministic points).
///
/// This is what separates the permutation-SGD results from their predecessors: at fixed n several theories predict the
/// same K-exponent, and only the n-exponent tells them apart (spec §5.1, issue 14). Instance families are controlled
/// (n/2 copies of each of two fixed components), so n enters only through the count.
public struct JointSweep: Sendable {
    public let label: String
    public let points: [GridPoint]
    public let estimates: [MeanEstimate]
    public let fit: JointPowerLawFit
    /// Predicted (n-exponent, K-exponent).
    public let predictedN: Double
    public let predictedK: Double

    public init(label: String, points: [GridPoint], estimates: [MeanEstimate], predictedN: Double, predictedK: Double, deterministic: Bool = false) throws {
        self.label = label
        self.points = points
        self.estimates = estimates
        self.predictedN = predictedN
        self.predictedK = predictedK
        fit = try JointPowerLawFit(first: points.map { Double($0.n) }, second: points.map { Double($0.k) }, estimates: estimates, weighted: !deterministic)
    }

    /// Runs `sample(point, stream)` `repetitions` times at every point (run r of point i draws from `streams.child(i, r)`).
    public static func measure(label: String, points: [GridPoint], repetitions: Int, predictedN: Double, predictedK: Double, deterministic: Bool = false,
                               streams: StreamKey, sample: @Sendable (GridPoint, RandomStream) -> Double) throws -> JointSweep {
        let runs = deterministic ? 1 : repetitions
        let estimates = try points.enumerated().map { i, point in
            try MeanEstimate(try parallelMap(runs) { r in sample(point, RandomStream(streams.child(i, r))) })
        }
        return try JointSweep(label: label, points: points, estimates: estimates, predictedN: predictedN, predictedK: predictedK, deterministic: deterministic)
    }

    /// Two claim-role checks: the n-exponent and the K-exponent, each against its prediction, with the competing
    /// statements' exponents declared as alternatives.
    public func checks(tolerance: Double, alternativesN: [Double], alternativesK: [Double], maxHalfWidth: Double = 0.25) -> [Check] {
        [
            .exponent("\(label): n-exponent (joint fit)", estimate: fit.firstExponent, interval: fit.firstInterval, predicted: predictedN,
                      tolerance: tolerance, maxHalfWidth: maxHalfWidth, variable: "n", alternatives: alternativesN),
            .exponent("\(label): K-exponent (joint fit)", estimate: fit.secondExponent, interval: fit.secondInterval, predicted: predictedK,
                      tolerance: tolerance, maxHalfWidth: maxHalfWidth, variable: "K", alternatives: alternativesK),
        ]
    }

    public var note: String {
        let p = fit.firstInterval, q = fit.secondInterval
        return "\(label): joint fit ln E = c + p·ln n + q·ln K over \(points.count) points: p = \(formatShort(fit.firstExponent, digits: 3)) [\(formatShort(p.lower, digits: 3)), \(formatShort(p.upper, digits: 3))] (predicted \(formatShort(predictedN))), q = \(formatShort(fit.secondExponent, digits: 3)) [\(formatShort(q.lower, digits: 3)), \(formatShort(q.upper, digits: 3))] (predicted \(formatShort(predictedK))), corr(p, q) = \(formatShort(fit.correlation, digits: 2)), χ²/dof = \(formatShort(fit.model.chiSquared / Double(points.count - 3), digits: 3))."
    }

    /// Means against K, one series per n, with the joint fit drawn through each.
    public func addSeries(to plot: inout Plot, colourOffset: Int = 0) {
        let ns = points.map(\.n).reduce(into: [Int]()) { if !$0.contains($1) { $0.append($1) } }
        for (j, n) in ns.enumerated() {
            let idx = points.indices.filter { points[$0].n == n }
            let ks = idx.map { Double(points[$0].k) }
            plot.series.append(Plot.Series(name: "\(label), n = \(n)", x: ks, y: idx.map { estimates[$0].mean },
                                           intervals: idx.map { estimates[$0].count > 1 ? estimates[$0].confidenceInterval() : Interval(estimates[$0].mean, estimates[$0].mean) },
                                           style: .points, colour: (colourOffset + j) % 8))
            plot.series.append(Plot.Series(name: "joint fit, n = \(n)", x: ks, y: ks.map { fit.predict(Double(n), $0) }, style: .line, colour: (colourOffset + j) % 8))
        }
    }
}

/// The lower-bound test of issue 14: a lower bound "for every constant step" is tested at the best step of a grid, not
/// at one schedule. At each (n, K) the mean error is measured for every normalised step c = α·μ·n·K of `stepGrid`
/// (≥ 8 values spanning ≥ 2 decades), from an initial point away from x* (so that too small a step pays for it);
/// the best mean is kept, and the grid must contain its own minimiser (not at either end) — asserted as a sanity check.
///
/// Common random numbers: run r at point i draws its orders from `streams.child(i, r)` and runs *every* step of the grid
/// on them (`sample` returns one error per step). The steps are then compared on the same orders, so the minimiser is
/// located without the extra noise of independent runs per step, and one order serves the whole grid (cost).
public struct BestStepSweep: Sendable {
    public let label: String
    public let points: [GridPoint]
    public let stepGrid: [Double]
    /// Mean error at every (point, step).
    public let means: [[MeanEstimate]]
    /// Index into `stepGrid` of the best mean at each point.
    public let best: [Int]
    public let fit: JointPowerLawFit

    /// `sample(point, steps, random)` returns the error of one run at every step c of `steps`, all on the orders of `random`.
    public init(label: String, points: [GridPoint], stepGrid: [Double], repetitions: Int, deterministic: Bool = false, streams: StreamKey,
                sample: @Sendable (GridPoint, [Double], RandomStream) -> [Double]) throws {
        self.label = label
        self.points = points
        self.stepGrid = stepGrid
        let runs = deterministic ? 1 : repetitions
        means = try points.enumerated().map { i, point in
            let errors = try parallelMap(runs) { r in sample(point, stepGrid, RandomStream(streams.child(i, r))) }
            return try stepGrid.indices.map { s in try MeanEstimate(errors.map { $0[s] }) }
        }
        best = means.map { row in row.indices.min { row[$0].mean < row[$1].mean }! }
        fit = try JointPowerLawFit(first: points.map { Double($0.n) }, second: points.map { Double($0.k) },
                                   estimates: zip(means, best).map { $0.0[$0.1] }, weighted: !deterministic)
    }

    /// Points whose best step sits at an end of the grid (the grid then does not contain its minimiser).
    public var minimiserAtEdge: [GridPoint] { zip(points, best).filter { $0.1 == 0 || $0.1 == stepGrid.count - 1 }.map(\.0) }

    /// Whether the grid has ≥ 8 steps over ≥ 2 decades.
    public var gridIsWide: Bool { stepGrid.count >= 8 && stepGrid.max()! / stepGrid.min()! >= 100 }

    /// Sanity: the grid is wide enough and contains its own minimiser at every point. Claim: the best step's
    /// K-exponent (and, if given, n-exponent) is no faster than the lower bound's.
    public func checks(boundK: Double, boundN: Double?) -> [Check] {
        let edge = minimiserAtEdge
        var checks: [Check] = [
            .exact("\(label): step grid (\(stepGrid.count) values, \(formatShort(stepGrid.max()! / stepGrid.min()!, digits: 3))× range) contains its minimiser at every (n, K)",
                   holds: edge.isEmpty && gridIsWide,
                   detail: !gridIsWide ? "grid has fewer than 8 steps or spans less than 2 decades"
                       : edge.isEmpty ? "best c = α·μnK ranges \(formatShort(best.map { stepGrid[$0] }.min()!, digits: 3)) … \(formatShort(best.map { stepGrid[$0] }.max()!, digits: 3)), inside [\(formatShort(stepGrid.first!, digits: 3)), \(formatShort(stepGrid.last!, digits: 3))]"
                       : "minimiser at the grid's edge at \(edge.map { "(n = \($0.n), K = \($0.k))" }.prefix(4).joined(separator: ", "))").as(.sanity),
            .atLeast("\(label): K-exponent of the best-step error ≥ \(formatShort(boundK)) (lower bound for every constant step)",
                     measured: fit.secondExponent, interval: fit.secondInterval, bound: boundK).sweeping("K", alternatives: []),
        ]
        if let boundN {
            checks.append(.atLeast("\(label): n-exponent of the best-step error ≥ \(formatShort(boundN)) (lower bound for every constant step)",
                                   measured: fit.firstExponent, interval: fit.firstInterval, bound: boundN).sweeping("n", alternatives: []))
        }
        return checks
    }

    public var note: String {
        let p = fit.firstInterval, q = fit.secondInterval
        return "\(label), best of \(stepGrid.count) constant steps c = α·μnK ∈ [\(formatShort(stepGrid.first!, digits: 3)), \(formatShort(stepGrid.last!, digits: 3))] at each of \(points.count) (n, K): n-exponent \(formatShort(fit.firstExponent, digits: 3)) [\(formatShort(p.lower, digits: 3)), \(formatShort(p.upper, digits: 3))], K-exponent \(formatShort(fit.secondExponent, digits: 3)) [\(formatShort(q.lower, digits: 3)), \(formatShort(q.upper, digits: 3))], χ²/dof = \(formatShort(fit.model.chiSquared / Double(points.count - 3), digits: 3)) (every step of the grid run on the same orders); the best c grows slowly with nK² (it balances e^{−2c}·x₀² against the step's noise term), so the best-step error carries a ln² factor and its exponents sit a little above the fixed-step ones."
    }
}

/// One table layout for a claim that mixes fixed-n K-sweeps (`SchemeSweep`), joint (n, K) sweeps and best-step grids:
/// every row is (sweep, sampling, n, K, c = α·μnK, mean, CI, runs, mean over its predicted shape, joint-fit value).
enum SweepTable {
    static let columns = ["sweep", "sampling", "n", "K", "c = α·μnK", "E error", "CI low", "CI high", "runs", "E / predicted shape", "joint fit"]

    static func append(_ sweep: SchemeSweep, to table: inout Table, components n: Int, stepConstant c: Double) {
        sweep.appendRows(to: &table, components: n, stepConstant: c) { _ in [.text("—")] }
    }

    static func append(_ sweep: JointSweep, sampling: String, stepConstant c: Double, to table: inout Table) {
        for (point, estimate) in zip(sweep.points, sweep.estimates) {
            let ci = estimate.count > 1 ? estimate.confidenceInterval() : Interval(estimate.mean, estimate.mean)
            let shape = pow(Double(point.n), sweep.predictedN) * pow(Double(point.k), sweep.predictedK)
            table.append([.text(sweep.label), .text(sampling), .integer(point.n), .integer(point.k), .real(c), .real(estimate.mean), .real(ci.lower),
                          .real(ci.upper), .integer(estimate.count), .real(estimate.mean / shape), .real(sweep.fit.predict(Double(point.n), Double(point.k)))])
        }
    }

    /// Best-step rows: the shape is the lower bound's 1/(nK²).
    static func append(_ sweep: BestStepSweep, sampling: String, to table: inout Table) {
        for (i, point) in sweep.points.enumerated() {
            let e = sweep.means[i][sweep.best[i]]
            let ci = e.count > 1 ? e.confidenceInterval() : Interval(e.mean, e.mean)
            table.append([.text("\(sweep.label), best step"), .text(sampling), .integer(point.n), .integer(point.k), .real(sweep.stepGrid[sweep.best[i]]),
                          .real(e.mean), .real(ci.lower), .real(ci.upper), .integer(e.count), .real(Double(point.n * point.k * point.k) * e.mean),
                          .real(sweep.fit.predict(Double(point.n), Double(point.k)))])
        }
    }
}

/// Normalised steps c = c₀·2^{j/perOctave}, j = 0..<count (perOctave = 2: a √2-spaced grid; 4: 2^{1/4}).
func stepGrid(from c0: Double, count: Int, perOctave: Int = 2) -> [Double] { (0..<count).map { c0 * pow(2, Double($0) / Double(perOctave)) } }

/// The step-grid keys shared by the best-step sweeps.
let stepGridParameters: [ParameterSpec] = [
    ParameterSpec("step_grid_start", .real(1e-3...100), "smallest c = α·μnK of the best-step grid"),
    ParameterSpec("step_grid_count", .integer(8...256), "number of steps in the best-step grid (≥ 8)"),
    ParameterSpec("step_grid_per_octave", .integer(1...16), "steps per doubling of c (2: √2-spaced, 4: 2^(1/4)-spaced)"),
]

extension Parameters {
    /// The best-step grid of `stepGridParameters`.
    func bestStepGrid() throws -> [Double] {
        stepGrid(from: try double("step_grid_start"), count: try int("step_grid_count"), perOctave: try int("step_grid_per_octave"))
    }
}
