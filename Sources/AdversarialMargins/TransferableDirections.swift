@preconcurrency import CLinearAlgebra
import ClaimCore
import Foundation

/// **Directions in the cone of the yᵢxᵢ are adversarial for every separator, and transfer across samples.**
///
/// Charles, Rosenberg, Papailiopoulos, "A Geometric Perspective on the Transferability of Adversarial Directions",
/// AISTATS 2019, arXiv:1811.03531 ([R]: abstract not retrievable). Exact statement ([D], spec §4.2): for S separable
/// through 0 and any v = Σcᵢyᵢxᵢ ≠ 0 with cᵢ ≥ 0, every separator w of S has wᵀv > 0, hence moving any point along
/// −y·v flips sign(wᵀx) once t > t*(w, x) = y wᵀx / wᵀv. Transfer ([R], recalled): separators trained on an
/// independent sample S₂ of the same distribution satisfy wᵀv(S₁) > 0 with high probability.
///
/// Experiment: for each d and each n/d in `sample_ratios`, `repetitions` independent pairs (S₁, S₂) of n Gaussian
/// points labelled by a random unit w_true with |w_trueᵀx| ≥ `margin_gap`; v = normalised mean of yᵢxᵢ over S₁.
/// Separators: perceptrons (random orders), the ℓ2 hard-margin SVM, exponential-loss GD, and — the hardest input the
/// "every separator" statement quantifies over — the min-norm point p of conv({yᵢxᵢ} ∪ {−v}): p ≠ 0 is a separator
/// with pᵀv < 0, p = 0 certifies that no separator has wᵀv < 0.
/// Checks:
/// - claim: P(wᵀv(S₁) > 0) for the first perceptron trained on S₂ (one independent trial per pair), at every d and
///   every n/d ≥ `claim_ratio`: 95% Clopper–Pearson lower end ≥ `transfer_threshold`; smaller n/d are reported (the
///   regime where the probability is visibly below 1);
/// - sanity (v in the cone by construction): every separator of S₁, the hardest one included, has wᵀv > 0, every
///   point flips at 1.0001·t*, and t* ≥ the point's distance (Cauchy–Schwarz).
/// - claim (approach to 1, pre-registered model): at each d of `fit_dimensions`, 1 − P = A·exp(−c·n/d) fitted by
///   binomial maximum likelihood over `fit_ratios`; c's 95% CI must lie above 0 (alternative: P bounded away from 1, c = 0);
/// Control `outside-cone`: v is replaced by the boundary ray of S₁'s cone farthest from v, rotated away from the cone by
/// `control_angle` radians — a near miss; the "every separator" statement becomes a claim-role check there.
public struct TransferableDirections: Claim {
    public init() {}

    public let id = "adv.transferable-directions"
    public let family = Family.adversarialMargins
    public let citation = Citation.crp
    public let source = StatementSource.derived("cone property by elementary convexity and cross-sample transfer as recalled (spec §4, [D]/[R]); the paper's text could not be read")
    public let statement = "Any direction in the cone of the yᵢxᵢ is an adversarial direction for every linear separator of the data, and for separators trained on independent samples of the same distribution with high probability (n ≥ 10d); that probability tends to 1 as n/d grows, the failures decaying like exp(−c·n/d) with c > 0."
    public let guarantee = Guarantee.exact

    public let parameters: [ParameterSpec] = [
        ParameterSpec("dimensions", .integers(2...1000, minCount: 1, increasing: true), "d, input dimension"),
        ParameterSpec("sample_ratios", .integers(1...1000, minCount: 2, increasing: true), "n/d, sample sizes per dimension"),
        ParameterSpec("claim_ratio", .integer(1...1000), "smallest n/d at which the high-probability transfer is checked (spec: n ≥ 10d)"),
        ParameterSpec("margin_gap", .real(0...10), "points with |w_trueᵀx| below this are redrawn (x ~ N(0, I_d))"),
        ParameterSpec("repetitions", .integer(5...100_000), "independent (S₁, S₂) pairs per (d, n/d)"),
        ParameterSpec("perceptrons", .integer(1...10_000), "perceptron separators (random visiting orders) per sample"),
        ParameterSpec("gd_iterations", .integer(1...10_000_000), "exponential-loss GD iterations (step 1/max‖x‖²) for the GD separator"),
        ParameterSpec("transfer_threshold", .real(0.5...1), "required lower 95% bound of the cross-sample transfer probability"),
        ParameterSpec("control_angle", .real(1e-4...1), "outside-cone control: rotation (radians) of the cone's boundary ray away from the cone"),
        ParameterSpec("fit_dimensions", .integers(2...1000, minCount: 1, increasing: true), "d of the approach-to-1 fit (dimensions where P(n = d) is visibly below 1)"),
        ParameterSpec("fit_ratios", .reals(0.5...100, minCount: 3, increasing: true), "n/d of the approach-to-1 fit (n = round(d·ratio))"),
        ParameterSpec("fit_repetitions", .integer(10...10_000_000), "independent (S₁, S₂) pairs per cell of the approach-to-1 fit (one perceptron on S₂ each)"),
    ]

    public let controls = [
        NegativeControl(id: "outside-cone", description: "v is the boundary ray of S₁'s cone farthest from the mean direction, rotated away from the cone by a small angle: a separator of S₁ with wᵀv < 0 exists, and transfer to S₂ must fail"),
    ]

    public func invalidParameters(_ parameters: Parameters) -> (key: String, problem: String)? {
        guard let ratios = try? parameters.ints("sample_ratios"), let claim = try? parameters.int("claim_ratio") else { return nil }
        if !ratios.contains(where: { $0 >= claim }) { return ("sample_ratios", "needs at least one n/d ≥ claim_ratio (the transfer statement is for n ≥ \(claim)d)") }
        return nil
    }

    /// Perceptron from w = 0 visiting the points in a fresh random order each epoch until an epoch without mistakes.
    static func perceptron(_ data: SeparableData, random: RandomStream, maxEpochs: Int = 100_000) throws -> [Double] {
        let n = data.count, d = data.dimension
        var w = [Double](repeating: 0, count: d)
        let rows = (0..<n).map { data.point($0) }
        var order = Array(0..<n)
        for _ in 0..<maxEpochs {
            random.shuffle(&order)
            var mistakes = 0
            for i in order where Vector.dot(rows[i], w) <= 0 {
                Vector.axpy(1, rows[i], &w)
                mistakes += 1
            }
            if mistakes == 0 { return w }
        }
        throw NumericsError.insufficientData("perceptron did not separate within \(maxEpochs) epochs")
    }

    /// The separator of `data` that makes wᵀv smallest, if one with wᵀv < 0 exists: the min-norm point p of
    /// conv({zᵢ} ∪ {−v}) satisfies zᵢᵀp ≥ ‖p‖² and −vᵀp ≥ ‖p‖², so p ≠ 0 separates with pᵀv < 0; p = 0 certifies
    /// v ∈ cone{zᵢ} (no separator has wᵀv < 0). Returns nil in the latter case.
    static func hardestSeparator(_ data: SeparableData, direction v: [Double]) throws -> [Double]? {
        let rows = (0..<data.count).map { data.point($0) } + [v.map { -$0 }]
        let mnp = try MinNormPoint(points: Matrix(rows))
        let scale = rows.map(Vector.norm).max()!
        return mnp.norm > 1e-9 * scale ? mnp.point : nil
    }

    /// The near-miss direction: the data ray ẑ_k least aligned with v, rotated by `angle` away from v in their plane.
    static func outsideCone(_ data: SeparableData, mean v: [Double], angle: Double) -> [Double] {
        let unit = (0..<data.count).map { i -> [Double] in let z = data.point(i); let norm = Vector.norm(z); return z.map { $0 / norm } }
        let k = unit.indices.min { Vector.dot(unit[$0], v) < Vector.dot(unit[$1], v) }!
        var e = v
        Vector.axpy(-Vector.dot(v, unit[k]), unit[k], &e)
        let eNorm = Vector.norm(e)
        return zip(unit[k], e).map { cos(angle) * $0 - sin(angle) * $1 / eNorm }
    }

    struct Outcome: Sendable {
        var ownSeparators = 0
        var coneFailures = 0
        var hardestFound = false
        var flipFailures = 0
        var distanceFailures = 0
        /// First perceptron of S₂: wᵀv(S₁) > 0 (one independent trial).
        var firstTransferred = false
        var transferSeparators = 0
        var transferred = 0
        /// No separator of S₂ has wᵀv(S₁) < 0 (v(S₁) ∈ cone(S₂)).
        var everySecondSeparator = false
        var inverseCosines: [Double] = []
    }

    public func run(_ context: RunContext) throws -> Report {
        let p = context.parameters
        let dims = try p.ints("dimensions"), ratios = try p.ints("sample_ratios"), claimRatio = try p.int("claim_ratio"), gap = try p.double("margin_gap")
        let repetitions = try p.int("repetitions"), perceptrons = try p.int("perceptrons"), gdIterations = try p.int("gd_iterations")
        let threshold = try p.double("transfer_threshold"), angle = try p.double("control_angle")
        let control = context.isControl("outside-cone")

        let cells = dims.indices.flatMap { k in ratios.indices.map { (k, $0) } }
        let jobs = cells.indices.flatMap { c in (0..<repetitions).map { (c, $0) } }
        let outcomes = try parallelMap(jobs.count) { j -> Outcome in
            let (c, rep) = jobs[j]
            let d = dims[cells[c].0], n = ratios[cells[c].1] * d
            let random = RandomStream(context.streams.child(cells[c].0, cells[c].1, rep))
            let truth = random.unitSphere(dimension: d)
            let first = SeparableData.gaussian(dimension: d, count: n, truth: truth, gap: gap, random: random)
            let second = SeparableData.gaussian(dimension: d, count: n, truth: truth, gap: gap, random: random)
            var v = [Double](repeating: 0, count: d)
            try first.signedPoints.multiply([Double](repeating: 1 / Double(n), count: n), transpose: true, into: &v)
            let vNorm = Vector.norm(v)
            v = v.map { $0 / vNorm }
            if control { v = Self.outsideCone(first, mean: v, angle: angle) }

            func separators(_ data: SeparableData) throws -> [[Double]] {
                var list = try (0..<perceptrons).map { _ in try Self.perceptron(data, random: random) }
                list.append(try HardMarginSVM(data).direction)
                let maxSquaredNorm = (0..<data.count).map { Vector.dot(data.point($0), data.point($0)) }.max()!
                let gd = ExponentialLossGD(data: data, inputs: .clean, radius: 0, stepSize: 1 / maxSquaredNorm).run(iterations: gdIterations) { _, _, _, _ in false }
                if data.margin(gd) > 0 { list.append(gd) }
                return list
            }
            var outcome = Outcome()
            var own = try separators(first)
            if let hardest = try Self.hardestSeparator(first, direction: v), first.margin(hardest) > 0 {
                outcome.hardestFound = true
                own.append(hardest)
            }
            for w in own {
                outcome.ownSeparators += 1
                let wv = Vector.dot(w, v)
                if !(wv > 0) { outcome.coneFailures += 1; continue }
                let wNorm = Vector.norm(w)
                outcome.inverseCosines.append(wNorm / wv)
                let scores = first.margins(w)
                for i in 0..<n {
                    let tStar = scores[i] / wv
                    var moved = first.point(i)
                    Vector.axpy(-1.0001 * tStar, v, &moved)
                    if !(Vector.dot(moved, w) < 0) { outcome.flipFailures += 1 }
                    if !(tStar >= scores[i] / wNorm * (1 - 1e-12)) { outcome.distanceFailures += 1 }
                }
            }
            for (index, w) in try separators(second).enumerated() {
                outcome.transferSeparators += 1
                let positive = Vector.dot(w, v) > 0
                if positive { outcome.transferred += 1 }
                if index == 0 { outcome.firstTransferred = positive }
            }
            outcome.everySecondSeparator = try Self.hardestSeparator(second, direction: v) == nil
            return outcome
        }
        context.progress(1, of: 1, "separators")

        // The approach to 1 (pre-registered, Proofs note): failures q(r) = 1 − P(wᵀv(S₁) > 0) at r = n/d follow
        // q = A·exp(−c·r); binomial log-link regression (IRLS on GSL's weighted least squares), Wald CI on c. Claim: c > 0;
        // the alternative "P stays bounded away from 1" is c = 0. Power law q = A·r^{−a} fitted alongside for comparison.
        let fitDims = try p.ints("fit_dimensions"), fitRatios = try p.doubles("fit_ratios"), fitRepetitions = try p.int("fit_repetitions")
        let fitCells = fitDims.indices.flatMap { k in fitRatios.indices.map { (k, $0) } }
        let fitSizes = fitCells.map { max(1, Int((Double(fitDims[$0.0]) * fitRatios[$0.1]).rounded())) }
        let fitFailures = try parallelMap(fitCells.count) { c -> Int in
            let d = fitDims[fitCells[c].0], n = fitSizes[c]
            var failures = 0
            for rep in 0..<fitRepetitions {
                let random = RandomStream(context.streams.child(1_000 + fitCells[c].0, fitCells[c].1, rep))
                let truth = random.unitSphere(dimension: d)
                let first = SeparableData.gaussian(dimension: d, count: n, truth: truth, gap: gap, random: random)
                let second = SeparableData.gaussian(dimension: d, count: n, truth: truth, gap: gap, random: random)
                var v = [Double](repeating: 0, count: d)
                try first.signedPoints.multiply([Double](repeating: 1 / Double(n), count: n), transpose: true, into: &v)
                let vNorm = Vector.norm(v)
                v = v.map { $0 / vNorm }
                if control { v = Self.outsideCone(first, mean: v, angle: angle) }
                if !(Vector.dot(try Self.perceptron(second, random: random), v) > 0) { failures += 1 }
            }
            return failures
        }
        context.progress(1, of: 1, "approach-to-1 fit")

        var table = Table(columns: ["sweep", "d", "n/d", "n", "pairs", "P(wᵀv > 0), first S₂ perceptron", "CI low", "CI high", "all S₂ separators: fraction wᵀv > 0",
                                    "P(v ∈ cone(S₂))", "own separators", "own with wᵀv ≤ 0", "mean 1/cos∠(w,v)"])
        var checks: [Check] = []
        var totals = Outcome()
        var plot = Plot(title: "Transfer of v(S₁) to a perceptron trained on an independent S₂", xLabel: "n/d", yLabel: "P(wᵀv(S₁) > 0)", logX: true, logY: false)
        for (k, d) in dims.enumerated() {
            var xs: [Double] = [], ys: [Double] = [], cis: [Interval] = []
            for (r, ratio) in ratios.enumerated() {
                let c = cells.firstIndex { $0 == (k, r) }!
                let mine = outcomes[(c * repetitions)..<((c + 1) * repetitions)]
                let own = mine.reduce(0) { $0 + $1.ownSeparators }, cone = mine.reduce(0) { $0 + $1.coneFailures }
                totals.ownSeparators += own; totals.coneFailures += cone
                totals.flipFailures += mine.reduce(0) { $0 + $1.flipFailures }; totals.distanceFailures += mine.reduce(0) { $0 + $1.distanceFailures }
                totals.transferSeparators += mine.filter(\.hardestFound).count
                let probability = Proportion(successes: mine.filter(\.firstTransferred).count, trials: repetitions)
                let ci = probability.confidenceInterval()
                let pooled = Double(mine.reduce(0) { $0 + $1.transferred }) / Double(mine.reduce(0) { $0 + $1.transferSeparators })
                let inverse = mine.flatMap(\.inverseCosines)
                table.append([.text("grid"), .integer(d), .integer(ratio), .integer(ratio * d), .integer(repetitions), .real(probability.estimate), .real(ci.lower), .real(ci.upper),
                              .real(pooled), .real(Double(mine.filter(\.everySecondSeparator).count) / Double(repetitions)), .integer(own), .integer(cone),
                              .real(inverse.isEmpty ? 0 : inverse.reduce(0, +) / Double(inverse.count))])
                xs.append(Double(ratio)); ys.append(probability.estimate); cis.append(ci)
                if ratio >= claimRatio {
                    checks.append(.atLeast("d = \(d), n = \(ratio)d: P(wᵀv(S₁) > 0) for a perceptron trained on an independent S₂", measured: probability.estimate, interval: ci, bound: threshold))
                }
            }
            plot.series.append(.init(name: "d = \(d)", x: xs, y: ys, intervals: cis, style: .points, colour: k))
        }
        var fitNotes: [String] = []
        for (k, d) in fitDims.enumerated() {
            let cells = fitCells.indices.filter { fitCells[$0].0 == k }
            let ratiosUsed = cells.map { Double(fitSizes[$0]) / Double(d) }, failures = cells.map { fitFailures[$0] }
            let trials = cells.map { _ in fitRepetitions }
            for (i, c) in cells.enumerated() {
                let estimate = Proportion(successes: fitRepetitions - failures[i], trials: fitRepetitions)
                let ci = estimate.confidenceInterval()
                table.append([.text("fit"), .integer(d), .real(ratiosUsed[i]), .integer(fitSizes[c]), .integer(fitRepetitions), .real(estimate.estimate), .real(ci.lower), .real(ci.upper),
                              .text("—"), .text("—"), .text("—"), .text("—"), .text("—")])
            }
            plot.series.append(.init(name: "fit sweep, d = \(d)", x: ratiosUsed, y: cells.map { 1 - Double(fitFailures[$0]) / Double(fitRepetitions) }, style: .points, colour: dims.count + k))
            let name = "d = \(d): decay rate c of 1 − P(wᵀv(S₁) > 0) ∝ exp(−c·n/d), n/d ∈ [\(formatShort(ratiosUsed.first!)), \(formatShort(ratiosUsed.last!))]"
            do {
                let exponential = try BinomialLogLinkFit(x: ratiosUsed, failures: failures, trials: trials)
                let power = try BinomialLogLinkFit(x: ratiosUsed.map(log), failures: failures, trials: trials)
                checks.append(Check.atLeast(name, measured: -exponential.slope, interval: Interval(-exponential.slopeInterval.upper, -exponential.slopeInterval.lower), bound: 0)
                    .sweeping("n/d", alternatives: [0]))
                fitNotes.append("d = \(d): 1 − P ≈ \(formatShort(exp(exponential.intercept)))·exp(−\(formatShort(-exponential.slope))·n/d), c 95% CI [\(formatShort(-exponential.slopeInterval.upper)), \(formatShort(-exponential.slopeInterval.lower))], deviance \(formatShort(exponential.deviance)) on \(exponential.degreesOfFreedom) dof (Pearson χ² \(formatShort(exponential.pearsonChiSquared))); power law (n/d)^{−a}: a = \(formatShort(-power.slope)) [\(formatShort(-power.slopeInterval.upper)), \(formatShort(-power.slopeInterval.lower))], deviance \(formatShort(power.deviance)).")
            } catch {
                checks.append(.failure(name, reason: "binomial fit failed: \(error)"))
            }
        }

        let everyOwn = Check.exact("every separator of S₁ (perceptrons, SVM, GD, and the hardest one) has wᵀv > 0", holds: totals.coneFailures == 0,
                                   detail: "\(totals.coneFailures) of \(totals.ownSeparators) separators with wᵀv ≤ 0; a separator with wᵀv < 0 exists for \(totals.transferSeparators) of \(outcomes.count) samples")
        if control {
            checks.insert(everyOwn, at: 0)
        } else {
            checks.insert(everyOwn.as(.sanity), at: 0)
            checks.insert(.exact("every point flips at 1.0001·t* and t* ≥ its distance, for every separator of S₁", holds: totals.flipFailures + totals.distanceFailures == 0,
                                 detail: "\(totals.flipFailures) unflipped (point, separator) pairs, \(totals.distanceFailures) with t* < distance").as(.sanity), at: 1)
        }
        let notes = fitNotes + [
            "Separators per sample: \(perceptrons) perceptrons (random orders), the hard-margin SVM (Wolfe), exponential-loss GD after \(gdIterations) steps when it separates, and for S₁ the hardest separator (min-norm point of conv({yᵢxᵢ} ∪ {−v})) when one with wᵀv < 0 exists.",
            control ? "Control: v is the boundary ray of S₁'s cone least aligned with the mean direction, rotated away from it by \(formatShort(angle)) rad." :
                "v is the normalised class-signed mean (1/n)Σyᵢxᵢ of S₁, a point of the cone: the S₁ checks are algebra (sanity). The mean 1/cos∠(w, v) is the factor by which the transferable perturbation exceeds each separator's own minimal one.",
            "Approach to 1 (pre-registered): in the fit sweep, 1 − P is modelled as A·exp(−c·n/d) per d and fitted by binomial maximum likelihood (log link, IRLS on GSL weighted least squares, inverse binomial variance weights), with a Wald 95% CI on c; the claim is c > 0, the alternative (P bounded away from 1) c = 0.",
            "The transfer probability counts one perceptron per S₂ (independent trials, Clopper–Pearson CI); the pooled fraction over all S₂ separators and P(v(S₁) ∈ cone(S₂)) — every separator of S₂ transfers — are reported alongside. Checked only for n/d ≥ \(claimRatio) (the recalled [R] statement); smaller n/d show where the probability is below 1.",
        ]
        return Report(claimID: id, control: context.control, checks: checks, table: table, plot: plot, notes: notes)
    }
}
