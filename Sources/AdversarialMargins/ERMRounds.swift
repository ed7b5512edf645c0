@preconcurrency import CLinearAlgebra
import ClaimCore
import Foundation

/// **With an arbitrary ERM as update rule, adversarial training can need exponentially many rounds for large margin.**
///
/// Charles, Rajput, Wright, Papailiopoulos, arXiv:1905.09209 (abstract [V]): "when the update rule is given by an
/// arbitrary empirical risk minimizer, adversarial training may require exponentially many iterations to obtain large
/// margin". The paper's instance is not available to us; the construction below is ours ([D], Proofs note).
///
/// Construction: one point x = e₁ ∈ ℝᵈ, label +1 (γ* = 1), ℓ2 radius ε, target margin ρ < ε. Round s: the adversary
/// perturbs x against the current unit model w_s, x̃_s = e₁ − ε w_s, adds it to the training set, and the update rule
/// returns *some* zero-error ERM of {x, x̃₁, …, x̃_s}. A worst-case ERM returns w = (ρ, √(1 − ρ²)·v), v ∈ S^{d−2}, of
/// margin exactly ρ, whenever that w still separates: (e₁ − ε w_r)ᵀw > 0 for all r ≤ s ⇔ ⟨v, v_r⟩ < c with
///   c = (ρ/ε − ρ²)/(1 − ρ²) ∈ (0, 1).
/// So a run of bad rounds is a spherical code on S^{d−2} with inner products < c, and a *maximal* such code has at
/// least 1/μ(cap) points, μ(cap) = measure of {⟨v, e⟩ ≥ c} (Gilbert–Varshamov covering argument) — exponential in d.
///
/// Measurement: a randomised worst-case ERM (draws v uniformly, accepts the first consistent one, and gives up after
/// `patience` consecutive rejections, i.e. when the code is close to maximal); rounds R = bad outputs + 1.
/// Checks: every bad output is verified (dgemv over the whole augmented set) to be a zero-error ERM of margin ρ;
/// mean R·μ ≥ 1 at every d (the covering bound, CI lower end); and the fitted growth rate of ln R in d is at least
/// the covering bound's rate (slope of ln(1/μ) vs d over the same d).
public struct ERMRounds: Claim {
    public init() {}

    public let id = "adv.erm-rounds"
    public let family = Family.adversarialMargins
    public let citation = Citation.crwp
    public let source = StatementSource.derived("instance, cap threshold and covering bound are the project's (Proofs note); the abstract [V] only says an arbitrary ERM may need exponentially many iterations")
    public let statement = "With an arbitrary empirical risk minimiser as the update rule, adversarial training may need exponentially many rounds (here: in the dimension) to reach a large-margin separator."
    public let guarantee = Guarantee.lower

    public let parameters: [ParameterSpec] = [
        ParameterSpec("dimensions", .integers(3...64, minCount: 5, increasing: true), "d, ambient dimension"),
        ParameterSpec("radius", .real(0.01...0.99), "ε, ℓ2 perturbation radius of adversarial training"),
        ParameterSpec("target_margin", .real(0.001...0.99), "ρ < ε, the margin an output must exceed to count as large"),
        ParameterSpec("repetitions", .integer(5...10_000), "independent runs of the randomised worst-case ERM per d"),
        ParameterSpec("patience", .integer(10...10_000_000), "consecutive rejected random candidates after which the adversary stops"),
        ParameterSpec("max_rounds", .integer(10...1_000_000), "safety cap on rounds per run"),
    ]

    public let controls = [
        NegativeControl(id: "benign-erm", description: "the update rule is the max-margin ERM (hard-margin SVM of the augmented set): it reaches a large margin in one round, so the exponential-growth and covering checks must fail"),
    ]

    public func invalidParameters(_ parameters: Parameters) -> (key: String, problem: String)? {
        guard let eps = try? parameters.double("radius"), let rho = try? parameters.double("target_margin"), rho < eps else {
            return ("target_margin", "must be smaller than radius (ρ < ε)")
        }
        return nil
    }

    struct Outcome: Sendable {
        let rounds: Int
        let verified: Bool
    }

    /// One run of adversarial training against the randomised worst-case ERM (or the max-margin ERM in the control).
    static func run(dimension d: Int, radius epsilon: Double, target rho: Double, patience: Int, maxRounds: Int, benign: Bool, random: RandomStream) throws -> Outcome {
        // Augmented training set, row-major in a column-major (capacity × d) buffer: row 0 = x = e₁, row s = x̃_s.
        let capacity = maxRounds + 1
        var augmented = [Double](repeating: 0, count: capacity * d)
        augmented[0] = 1
        var rows = 1
        var scores = [Double](repeating: 0, count: capacity)
        var verified = true
        let radial = (1 - rho * rho).squareRoot()
        func separates(_ w: [Double]) -> Bool {
            cblas_dgemv(CblasColMajor, CblasNoTrans, Int32(rows), Int32(d), 1, augmented, Int32(capacity), w, 1, 0, &scores, 1)
            for i in 0..<rows where !(scores[i] > 0) { return false }
            return true
        }
        func addAdversarialExample(_ w: [Double]) {
            for j in 0..<d { augmented[rows + j * capacity] = (j == 0 ? 1 : 0) - epsilon * w[j] }
            rows += 1
        }
        var rounds = 0
        while rounds < maxRounds {
            rounds += 1
            if benign {
                let current = Matrix(rows: rows, columns: d, elements: (0..<d).flatMap { j in augmented[(j * capacity)..<(j * capacity + rows)] })
                let svm = try HardMarginSVM(SeparableData(signedPoints: current))
                verified = verified && separates(svm.direction)
                if svm.direction[0] > rho { return Outcome(rounds: rounds, verified: verified) }
                addAdversarialExample(svm.direction)
                continue
            }
            var output: [Double]? = nil
            var rejected = 0
            while rejected < patience {
                let v = random.unitSphere(dimension: d - 1)
                let w = [rho] + v.map { radial * $0 }
                if separates(w) { output = w; break }
                rejected += 1
            }
            guard let w = output else { return Outcome(rounds: rounds, verified: verified) }
            // Exact re-verification of the accepted bad ERM: unit norm, margin ρ ≤ target, zero error on the augmented set.
            verified = verified && abs(Vector.norm(w) - 1) < 1e-12 && w[0] <= rho && separates(w)
            addAdversarialExample(w)
        }
        return Outcome(rounds: rounds, verified: verified)
    }

    public func run(_ context: RunContext) throws -> Report {
        let p = context.parameters
        let dims = try p.ints("dimensions")
        let epsilon = try p.double("radius"), rho = try p.double("target_margin")
        let repetitions = try p.int("repetitions"), patience = try p.int("patience"), maxRounds = try p.int("max_rounds")
        let benign = context.isControl("benign-erm")
        let c = (rho / epsilon - rho * rho) / (1 - rho * rho)

        let jobs = dims.indices.flatMap { k in (0..<repetitions).map { (k, $0) } }
        let outcomes = try parallelMap(jobs.count) { j in
            let (k, rep) = jobs[j]
            return try Self.run(dimension: dims[k], radius: epsilon, target: rho, patience: patience, maxRounds: maxRounds, benign: benign,
                                random: RandomStream(context.streams.child(k, rep)))
        }
        context.progress(1, of: 1, "ERM runs")

        var table = Table(columns: ["d", "runs", "mean rounds R", "CI low", "CI high", "min R", "max R", "covering bound 1/μ(cap)", "mean R·μ(cap)", "capped runs"])
        var checks: [Check] = []
        var meanRounds: [MeanEstimate] = []
        var coverage: [MeanEstimate] = []
        var bounds: [Double] = []
        for (k, d) in dims.enumerated() {
            let rounds = (0..<repetitions).map { Double(outcomes[k * repetitions + $0].rounds) }
            let mu = sphericalCapMeasure(ambientDimension: d - 1, threshold: c)
            let estimate = try MeanEstimate(rounds)
            let ci = estimate.confidenceInterval()
            let covered = try MeanEstimate(rounds.map { $0 * mu })
            meanRounds.append(estimate)
            coverage.append(covered)
            bounds.append(1 / mu)
            table.append([.integer(d), .integer(repetitions), .real(estimate.mean), .real(ci.lower), .real(ci.upper), .integer(Int(rounds.min()!)), .integer(Int(rounds.max()!)),
                          .real(1 / mu), .real(covered.mean), .integer(rounds.filter { $0 >= Double(maxRounds) }.count)])
        }
        let allVerified = outcomes.allSatisfy(\.verified)
        checks.append(.exact("every ERM output separates the whole augmented set (and, for bad rounds, has margin ρ)", holds: allVerified,
                             detail: "\(outcomes.filter { !$0.verified }.count) of \(outcomes.count) runs had an unverified output").as(.sanity))
        let weakest = coverage.indices.min { coverage[$0].confidenceInterval().lower < coverage[$1].confidenceInterval().lower }!
        checks.append(.atLeast("R·μ(cap) at d = \(dims[weakest]) (weakest d): rounds vs the covering lower bound 1/μ(cap)", measured: coverage[weakest].mean,
                               interval: coverage[weakest].confidenceInterval(), bound: 1))
        let x = dims.map(Double.init)
        let growth = try LineFit(x: x, y: meanRounds.map { log($0.mean) }, standardErrors: meanRounds.map { max($0.logStandardError, 1e-3) })
        let covering = try LineFit(x: x, y: bounds.map(log))
        checks.append(.atLeast("growth rate of ln R in d vs the covering bound's rate \(formatShort(covering.slope))", measured: growth.slope, interval: growth.slopeInterval, bound: covering.slope))

        var plot = Plot(title: "Rounds of adversarial training with a worst-case ERM (ε = \(formatShort(epsilon)), ρ = \(formatShort(rho)))", xLabel: "dimension d", yLabel: "rounds until margin > ρ", logX: false, logY: true)
        plot.series.append(.init(name: "measured mean rounds", x: x, y: meanRounds.map(\.mean), intervals: meanRounds.map { $0.confidenceInterval() }, style: .points, colour: 0))
        plot.series.append(.init(name: "covering bound 1/μ(cap)", x: x, y: bounds, style: .dashed, colour: 1))
        let notes = [
            "Cap threshold c = (ρ/ε − ρ²)/(1 − ρ²) = \(formatShort(c)); a bad output w = (ρ, √(1−ρ²)v) survives round r iff ⟨v, v_r⟩ < c.",
            "Fitted ln R = \(formatShort(growth.intercept)) + \(formatShort(growth.slope))·d (95% CI of the slope [\(formatShort(growth.slopeInterval.lower)), \(formatShort(growth.slopeInterval.upper))]); covering bound's slope \(formatShort(covering.slope)); asymptotic rate −½ln(1 − c²) = \(formatShort(-0.5 * log(1 - c * c))).",
            "The randomised adversary is one admissible ERM; its round count is a lower bound on what the worst-case ERM can force. Gradient updates on this instance reach margin 1 in one step from w₀ = 0 (the first gradient is e₁).",
        ]
        return Report(claimID: id, control: context.control, checks: checks, table: table, plot: plot, notes: notes)
    }
}
