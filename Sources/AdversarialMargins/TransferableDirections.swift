@preconcurrency import CLinearAlgebra
import ClaimCore
import Foundation

/// **Directions in the cone of the yᵢxᵢ are adversarial for every separator, and transfer across samples.**
///
/// Charles, Rosenberg, Papailiopoulos, "A Geometric Perspective on the Transferability of Adversarial Directions",
/// AISTATS 2019, arXiv:1811.03531 ([R]: abstract not retrievable). Exact statement tested ([D], spec §4.2): for S
/// separable through 0 and any v = Σcᵢyᵢxᵢ ≠ 0 with cᵢ ≥ 0, every separator w of S has wᵀv > 0, hence moving any
/// point along −y·v flips sign(wᵀx) once t > t*(w, x) = y wᵀx / wᵀv — and t* ≥ the point's distance y wᵀx/‖w‖ (‖v‖ = 1).
/// Across independent samples S₁, S₂ of one separable distribution, separators of S₂ satisfy wᵀv(S₁) > 0 with high
/// probability ([R], recalled).
///
/// Experiment: for each d, `repetitions` pairs (S₁, S₂) of n = `points_per_dimension`·d Gaussian points labelled by a
/// random unit w_true with |w_trueᵀx| ≥ `margin_gap`; v = normalised mean of yᵢxᵢ over S₁. Separators: perceptrons
/// (random orders), the ℓ2 hard-margin SVM, and exponential-loss GD. Checks: (exact) every separator of S₁ has
/// wᵀv > 0 and x − 1.0001·t*·y·v is misclassified at every point, with t* ≥ distance; (per d) the fraction of
/// separators of S₂ with wᵀv(S₁) > 0 has a 95% Clopper–Pearson lower end ≥ `transfer_threshold`.
public struct TransferableDirections: Claim {
    public init() {}

    public let id = "adv.transferable-directions"
    public let family = Family.adversarialMargins
    public let citation = Citation.crp
    public let statement = "Any direction in the cone of the yᵢxᵢ is an adversarial direction for every linear separator of the data, and for separators trained on independent samples of the same distribution with high probability."
    public let guarantee = Guarantee.exact

    public let parameters: [ParameterSpec] = [
        ParameterSpec("dimensions", .integers(2...1000, minCount: 1, increasing: true), "d, input dimension"),
        ParameterSpec("points_per_dimension", .integer(1...1000), "n/d, sample size per dimension (the transfer claim is for n ≥ 10d)"),
        ParameterSpec("margin_gap", .real(0...10), "points with |w_trueᵀx| below this are redrawn (x ~ N(0, I_d))"),
        ParameterSpec("repetitions", .integer(5...100_000), "independent (S₁, S₂) pairs per d"),
        ParameterSpec("perceptrons", .integer(1...10_000), "perceptron separators (random visiting orders) per sample"),
        ParameterSpec("gd_iterations", .integer(1...10_000_000), "exponential-loss GD iterations (step 1/max‖x‖²) for the GD separator"),
        ParameterSpec("transfer_threshold", .real(0.5...1), "required lower 95% bound of the cross-sample transfer fraction"),
    ]

    public let controls = [
        NegativeControl(id: "negated-direction", description: "v is replaced by −v (outside the cone): it must fail for every separator"),
    ]

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

    struct Outcome: Sendable {
        var ownSeparators = 0
        var coneFailures = 0
        var flipFailures = 0
        var distanceFailures = 0
        var transferSeparators = 0
        var transferred = 0
        var inverseCosines: [Double] = []
    }

    public func run(_ context: RunContext) throws -> Report {
        let p = context.parameters
        let dims = try p.ints("dimensions"), factor = try p.int("points_per_dimension"), gap = try p.double("margin_gap")
        let repetitions = try p.int("repetitions"), perceptrons = try p.int("perceptrons"), gdIterations = try p.int("gd_iterations")
        let threshold = try p.double("transfer_threshold")
        let negate = context.isControl("negated-direction")

        let jobs = dims.indices.flatMap { k in (0..<repetitions).map { (k, $0) } }
        let outcomes = try parallelMap(jobs.count) { j -> Outcome in
            let (k, rep) = jobs[j]
            let d = dims[k], n = factor * d
            let random = RandomStream(context.streams.child(k, rep))
            let truth = random.unitSphere(dimension: d)
            let first = SeparableData.gaussian(dimension: d, count: n, truth: truth, gap: gap, random: random)
            let second = SeparableData.gaussian(dimension: d, count: n, truth: truth, gap: gap, random: random)
            var v = [Double](repeating: 0, count: d)
            let ones = [Double](repeating: 1 / Double(n), count: n)
            try first.signedPoints.multiply(ones, transpose: true, into: &v)
            let vNorm = Vector.norm(v)
            v = v.map { (negate ? -1 : 1) * $0 / vNorm }

            func separators(_ data: SeparableData) throws -> [[Double]] {
                var list = try (0..<perceptrons).map { _ in try Self.perceptron(data, random: random) }
                list.append(try HardMarginSVM(data).direction)
                let maxSquaredNorm = (0..<data.count).map { Vector.dot(data.point($0), data.point($0)) }.max()!
                let gd = ExponentialLossGD(data: data, inputs: .clean, radius: 0, stepSize: 1 / maxSquaredNorm).run(iterations: gdIterations) { _, _, _, _ in false }
                if data.margin(gd) > 0 { list.append(gd) }
                return list
            }
            var outcome = Outcome()
            for w in try separators(first) {
                outcome.ownSeparators += 1
                let wv = Vector.dot(w, v)
                if !(wv > 0) { outcome.coneFailures += 1 }
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
            for w in try separators(second) {
                outcome.transferSeparators += 1
                if Vector.dot(w, v) > 0 { outcome.transferred += 1 }
            }
            return outcome
        }
        context.progress(1, of: 1, "separators")

        var table = Table(columns: ["d", "n", "pairs", "own separators", "wᵀv ≤ 0", "points not flipped", "t* < distance", "mean 1/cos∠(w,v)", "S₂ separators", "transfer fraction", "CI low", "CI high"])
        var checks: [Check] = []
        var totals = Outcome()
        for (k, d) in dims.enumerated() {
            let mine = outcomes[(k * repetitions)..<((k + 1) * repetitions)]
            let own = mine.reduce(0) { $0 + $1.ownSeparators }, cone = mine.reduce(0) { $0 + $1.coneFailures }
            let flips = mine.reduce(0) { $0 + $1.flipFailures }, distance = mine.reduce(0) { $0 + $1.distanceFailures }
            let transferTotal = mine.reduce(0) { $0 + $1.transferSeparators }, transferred = mine.reduce(0) { $0 + $1.transferred }
            let inverseCosines = mine.flatMap(\.inverseCosines)
            totals.ownSeparators += own; totals.coneFailures += cone; totals.flipFailures += flips; totals.distanceFailures += distance
            let fraction = Proportion(successes: transferred, trials: transferTotal)
            let ci = fraction.confidenceInterval()
            let meanInverse = inverseCosines.allSatisfy { $0.isFinite && $0 > 0 } ? try MeanEstimate(inverseCosines).mean : -1
            table.append([.integer(d), .integer(factor * d), .integer(repetitions), .integer(own), .integer(cone), .integer(flips), .integer(distance), .real(meanInverse),
                          .integer(transferTotal), .real(fraction.estimate), .real(ci.lower), .real(ci.upper)])
            checks.append(.atLeast("d = \(d), n = \(factor * d): fraction of independent-sample separators with wᵀv(S₁) > 0", measured: fraction.estimate, interval: ci, bound: threshold))
        }
        checks.insert(.exact("cone: every separator of S₁ has wᵀv > 0, every point flips at 1.0001·t*, and t* ≥ distance", holds: totals.coneFailures + totals.flipFailures + totals.distanceFailures == 0,
                             detail: "\(totals.ownSeparators) separators: \(totals.coneFailures) with wᵀv ≤ 0, \(totals.flipFailures) unflipped (point, separator) pairs, \(totals.distanceFailures) with t* < distance"), at: 0)
        let notes = [
            "Separators per sample: \(perceptrons) perceptrons (random orders), the hard-margin SVM (Wolfe), and exponential-loss GD after \(gdIterations) steps when it separates.",
            "v is the normalised class-signed mean (1/n)Σyᵢxᵢ of S₁\(negate ? ", negated (control)" : ""). The mean 1/cos∠(w, v) is the factor by which the transferable perturbation exceeds each separator's own minimal one.",
            "Transfer across samples is a recalled [R] claim; the exact cone property is elementary ([D]).",
        ]
        return Report(claimID: id, control: context.control, checks: checks, table: table, notes: notes)
    }
}
