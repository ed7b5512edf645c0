import ClaimCore
import Foundation

extension SamplingScheme {
    /// IGD and FF-IGD use no randomness: repeated runs on one instance are identical, so their spread comes from
    /// the instance seed instead (spec §5.6).
    public var isDeterministic: Bool { self == .incremental || self == .flipFlopIncremental }

    /// The K-exponent of E‖x_T − x*‖² under the spec's E1 clean protocol (x₀ = x*, α = 4/(μnK), K ≲ n), from the
    /// step-size expansion of the epoch map (spec §5.1 table, [D]).
    public var cleanKExponent: Double {
        switch self {
        case .withReplacement: return -1
        case .incremental, .singleShuffle: return -2
        case .reshuffling: return -3
        case .flipFlopIncremental, .flipFlopSingleShuffle: return -4
        case .flipFlopReshuffling: return -5
        }
    }

    /// The FlipFlop scheme's base (RR, SS or IGD); other schemes are their own base.
    public var base: SamplingScheme {
        switch self {
        case .flipFlopReshuffling: return .reshuffling
        case .flipFlopSingleShuffle: return .singleShuffle
        case .flipFlopIncremental: return .incremental
        default: return self
        }
    }
}

/// Experiment E1 of the spec (§5.2): random quadratic sums in ℝᵈ,
///   fᵢ(x) = ½xᵀAᵢx − bᵢᵀx,  Aᵢ = Qᵢ diag(λᵢ) Qᵢᵀ,  Qᵢ Haar-orthogonal,  λᵢ ~ U[λ_lo, λ_hi]ᵈ,  bᵢ ~ N(0, I_d),
/// run with the clean protocol: x₀ = x* exactly and the constant step α = c/(μnK) (no log factor).
public enum E1 {
    /// The config keys shared by the E1 scheme sweeps (`psgd.scheme-comparison`, `psgd.flipflop`).
    static let sweepParameters: [ParameterSpec] = [
        ParameterSpec("components", .integer(2...100_000), "n, number of component functions"),
        ParameterSpec("dimension", .integer(1...64), "d, dimension of x"),
        ParameterSpec("epochs", .integers(2...1_000_000, minCount: 5, increasing: true), "K values of the sweep (even: FlipFlop pairs epochs)"),
        ParameterSpec("repetitions", .integer(5...1_000_000), "runs per K for the random schemes (fixed instance)"),
        ParameterSpec("instances", .integer(5...10_000), "random instances per K for the deterministic schemes (IGD, FF-IGD)"),
        ParameterSpec("step_constant", .real(1e-3...100), "c in α = c/(μnK)"),
        ParameterSpec("bootstrap_resamples", .integer(200...100_000), "instance-bootstrap resamples for the CI of IGD/FF-IGD slopes"),
        ParameterSpec("tolerance", .real(0.01...1), "allowed |fitted − predicted| exponent"),
    ]

    /// Every K of the sweep must be even, since FlipFlop pairs epochs.
    static func oddEpochs(_ parameters: Parameters) -> (key: String, problem: String)? {
        guard let epochs = try? parameters.ints("epochs"), epochs.allSatisfy({ $0 % 2 == 0 }) else {
            return ("epochs", "every K must be even (FlipFlop pairs epochs)")
        }
        return nil
    }

    /// One random instance drawn from `random`.
    public static func instance(components n: Int, dimension d: Int, curvatureRange: ClosedRange<Double> = 0.5...2,
                                random: RandomStream) throws -> QuadraticSum {
        var hessians: [Matrix] = []
        var linear: [[Double]] = []
        for _ in 0..<n {
            let q = try random.orthogonalMatrix(d)
            let lambdas = random.uniforms(d, curvatureRange.lowerBound, curvatureRange.upperBound)
            let scaled = try Matrix.product(q, Matrix.diagonal(lambdas))
            hessians.append(try Matrix.product(scaled, q, transposeB: true))
            linear.append(random.gaussians(d))
        }
        return try QuadraticSum(dimension: d, hessians: hessians, linearTerms: linear)
    }

    /// `count` independent instances; instance i draws from `streams.child(i)`.
    public static func instances(_ count: Int, components n: Int, dimension d: Int, streams: StreamKey) throws -> [QuadraticSum] {
        try parallelMap(count) { i in try instance(components: n, dimension: d, random: RandomStream(streams.child(i))) }
    }

    /// Squared errors ‖x_{nK} − x*‖² at each K, clean protocol with α = `stepConstant`/(μnK).
    ///
    /// Random schemes: `repetitions` runs on `instances[0]`, run r drawing its orders from `streams.child(k, r)`.
    /// Deterministic schemes (IGD, FF-IGD): one run per instance.
    public static func squaredErrors(scheme: SamplingScheme, instances: [QuadraticSum], epochs: [Int], repetitions: Int,
                                     stepConstant: Double, streams: StreamKey) throws -> [[Double]] {
        try epochs.enumerated().map { sizeIndex, k in
            if scheme.isDeterministic {
                return try parallelMap(instances.count) { i in
                    let problem = instances[i]
                    let stepSize = stepConstant / (problem.strongConvexity * Double(problem.count * k))
                    let sgd = PermutationSGD(problem: problem, scheme: scheme, stepSize: stepSize)
                    return problem.squaredError(sgd.run(epochs: k, from: problem.minimizer, random: RandomStream(streams.child(sizeIndex, i))))
                }
            }
            let problem = instances[0]
            let stepSize = stepConstant / (problem.strongConvexity * Double(problem.count * k))
            let sgd = PermutationSGD(problem: problem, scheme: scheme, stepSize: stepSize)
            return try parallelMap(repetitions) { rep in
                problem.squaredError(sgd.run(epochs: k, from: problem.minimizer, random: RandomStream(streams.child(sizeIndex, rep))))
            }
        }
    }
}

extension E1 {
    /// Runs `scheme` over the sweep and fits it (paired/bootstrap for deterministic schemes). Streams: orders from
    /// `streams.child(0)`, bootstrap from `streams.child(1)`.
    public static func sweep(label: String, scheme: SamplingScheme, predicted: Double, instances: [QuadraticSum], epochs: [Int],
                             repetitions: Int, stepConstant: Double, bootstrapResamples: Int, streams: StreamKey) throws -> SchemeSweep {
        let samples = try squaredErrors(scheme: scheme, instances: instances, epochs: epochs, repetitions: repetitions,
                                        stepConstant: stepConstant, streams: streams.child(0))
        return try SchemeSweep(label: label, scheme: scheme, epochs: epochs, samples: samples, predicted: predicted,
                               paired: scheme.isDeterministic, bootstrap: (bootstrapResamples, RandomStream(streams.child(1))))
    }
}

/// One scheme's sweep: means per K, the fitted K-exponent with its 95% CI, and measured/shape ratios (shape = K^p).
///
/// Independent samples per K (random schemes): weighted log-log fit of the means (delta-method weights).
/// Paired samples (deterministic schemes: sample i at every K comes from the same instance i): ordinary fit of ln(mean)
/// on ln K, with a percentile-bootstrap CI that resamples whole instances (keeps the pairing; spec §5.6), because the
/// per-K standard errors of a paired design overstate the slope's uncertainty.
public struct SchemeSweep: Sendable {
    public let label: String
    public let scheme: SamplingScheme
    public let epochs: [Int]
    public let estimates: [MeanEstimate]
    public let predicted: Double
    /// The fitted line (for plots); its slope is `exponent`.
    public let fit: PowerLawFit
    public let exponent: Double
    public let exponentInterval: Interval
    public let paired: Bool

    public init(label: String, scheme: SamplingScheme, epochs: [Int], samples: [[Double]], predicted: Double,
                paired: Bool = false, bootstrap: (resamples: Int, random: RandomStream)? = nil) throws {
        self.label = label
        self.scheme = scheme
        self.epochs = epochs
        self.predicted = predicted
        self.paired = paired
        estimates = try samples.map { try MeanEstimate($0) }
        let sizes = epochs.map(Double.init)
        if paired {
            fit = try PowerLawFit(sizes: sizes, values: estimates.map(\.mean))
            exponent = fit.exponent
            guard let bootstrap else { throw NumericsError.insufficientData("a paired sweep needs a bootstrap stream") }
            exponentInterval = try Self.bootstrapInterval(sizes: sizes, samples: samples, resamples: bootstrap.resamples, random: bootstrap.random)
        } else {
            fit = try PowerLawFit(sizes: sizes, estimates: estimates)
            exponent = fit.exponent
            exponentInterval = fit.exponentInterval
        }
    }

    /// 2.5/97.5 percentiles of the OLS slope of ln(mean) on ln K over `resamples` resamplings of whole columns
    /// (instances), drawn with `random.index(below:)`.
    static func bootstrapInterval(sizes: [Double], samples: [[Double]], resamples: Int, random: RandomStream) throws -> Interval {
        let m = samples[0].count
        guard samples.allSatisfy({ $0.count == m }) else { throw NumericsError.dimensionMismatch("paired samples need equal counts") }
        let x = sizes.map { log($0) }
        var slopes: [Double] = []
        var picks = [Int](repeating: 0, count: m)
        for _ in 0..<resamples {
            for j in 0..<m { picks[j] = random.index(below: m) }
            let y = samples.map { column in log(picks.reduce(0) { $0 + column[$1] } / Double(m)) }
            slopes.append(try LineFit(x: x, y: y).slope)
        }
        slopes.sort()
        let lower = slopes[Int((0.025 * Double(resamples - 1)).rounded())], upper = slopes[Int((0.975 * Double(resamples - 1)).rounded())]
        return Interval(lower, upper)
    }

    /// The exponent check against `predicted`.
    public func exponentCheck(_ name: String, tolerance: Double, maxHalfWidth: Double = 0.25) -> Check {
        .exponent(name, estimate: exponent, interval: exponentInterval, predicted: predicted, tolerance: tolerance, maxHalfWidth: maxHalfWidth)
    }

    /// mean/K^predicted at each K: flat across the sweep iff the predicted exponent is right.
    public var normalised: [Double] { zip(epochs, estimates).map { $0.1.mean / pow(Double($0.0), predicted) } }

    /// max/min of `normalised`.
    public var normalisedSpread: Double { normalised.max()! / normalised.min()! }

    /// Appends one row per K: label, scheme, n, K, α-constant, mean, CI, runs, mean·K^{−p}.
    /// `extra(i)` supplies any further cells of row i.
    public func appendRows(to table: inout Table, components n: Int, stepConstant: Double, extra: (Int) -> [Cell] = { _ in [] }) {
        for (i, k) in epochs.enumerated() {
            let ci = estimates[i].confidenceInterval()
            table.append([.text(label), .text(scheme.rawValue), .integer(n), .integer(k), .real(stepConstant), .real(estimates[i].mean),
                          .real(ci.lower), .real(ci.upper), .integer(estimates[i].count), .real(normalised[i])] + extra(i))
        }
    }

    public static let tableColumns = ["arm", "sampling", "n", "K", "α·μnK", "E‖x_T−x*‖²", "CI low", "CI high", "runs", "mean·K^(−p)"]

    public var exponentNote: String {
        let ci = exponentInterval
        return "\(label) (\(scheme.rawValue)): K-slope \(formatShort(exponent, digits: 3))\(paired ? " (instance bootstrap CI)" : "") [\(formatShort(ci.lower, digits: 3)), \(formatShort(ci.upper, digits: 3))] vs predicted \(formatShort(predicted)); mean·K^(\(formatShort(-predicted))) spread max/min = \(formatShort(normalisedSpread, digits: 3))."
    }
}

/// Leading-order constants of the E1 clean protocol (α = c/(μnK), x₀ = x*), from the step-size expansion of
/// spec §5.1 ([D], ours). In the eigenbasis (λᵢ, qᵢ) of Ā = (1/n)ΣAₐ, with gₐ = Aₐx* − bₐ (Σgₐ = 0):
///   SGD: E‖e‖² ≈ α Σᵢ Gᵢᵢ/(2λᵢ)·(1 − e^{−2cλᵢ/μ}),  G = (1/n)Σ gₐgₐᵀ (stationary variance, Lyapunov ĀΣ+ΣĀ = αG);
///   RR:  E‖e‖² ≈ F/K³ + B/K², where with S_σ = Σ_{j<l} A_{σ(l)} g_{σ(j)} (so E S_σ = −½ΣAₐgₐ):
///        B/K² = ‖(I − e^{−cĀ/μ}) (α/n)Ā⁻¹ E S_σ‖²         (squared offset of the mean epoch-end fixed point),
///        F/K³ = Σᵢ α³ Cᵢᵢ/(2nλᵢ)·(1 − e^{−2cλᵢ/μ}),  C = Cov_σ(S_σ) (zero-mean part averaged over the memory).
/// With α ∝ 1/K every transient factor is K-independent, so B and F are constants of the instance.
public struct E1Constants: Sendable {
    public let replacementVarianceTimesK: Double
    public let fluctuation: Double
    public let bias: Double
    /// K at which the two RR terms are equal: F/B.
    public var crossover: Double { fluctuation / bias }

    /// `permutations` uniform orders drawn from `random` estimate C = Cov_σ(S_σ) (Monte Carlo, relative error ≈ √(2/P));
    /// with `permutations` = 0 only the SGD and bias constants are computed and `fluctuation` is NaN.
    public init(problem: QuadraticSum, stepConstant c: Double, permutations: Int, random: RandomStream) throws {
        let n = problem.count, d = problem.dimension, mu = problem.strongConvexity
        let hessians = (0..<n).map { Matrix(rows: d, columns: d, elements: Array(problem.hessians[($0 * d * d)..<(($0 + 1) * d * d)])) }
        let gradients = try (0..<n).map { a -> [Double] in
            var g = problem.linearTerms[(a * d)..<((a + 1) * d)].map { -$0 }
            try hessians[a].multiply(problem.minimizer, alpha: 1, beta: 1, into: &g)
            return g
        }
        var meanHessian = Matrix(rows: d, columns: d)
        for a in hessians { meanHessian = meanHessian + a }
        meanHessian = (1 / Double(n)) * meanHessian
        let eigen = try meanHessian.symmetricEigen()
        let q = eigen.vectors
        let gradientMatrix = Matrix(rows: d, columns: n, elements: gradients.flatMap { $0 })
        let noise = (1 / Double(n)) * (try Matrix.product(gradientMatrix, gradientMatrix, transposeB: true))
        let rotatedNoise = try Matrix.product(q, transposeA: true, try Matrix.product(noise, q))
        // α·K = c/(μn)
        let alphaK = c / (mu * Double(n))
        replacementVarianceTimesK = (0..<d).reduce(0) { sum, i in
            let lambda = eigen.values[i]
            return sum + alphaK * rotatedNoise[i, i] / (2 * lambda) * (1 - exp(-2 * c * lambda / mu))
        }
        // E S_σ = −½ Σ Aₐgₐ
        var meanS = [Double](repeating: 0, count: d)
        for a in 0..<n { try hessians[a].multiply(gradients[a], alpha: -0.5, beta: 1, into: &meanS) }
        // offset·K = (αK/n) Ā⁻¹ E S, damped by (I − e^{−cĀ/μ}) in the eigenbasis
        let offset = try meanHessian.solve(meanS)
        var rotatedOffset = [Double](repeating: 0, count: d)
        try q.multiply(offset, transpose: true, into: &rotatedOffset)
        bias = (0..<d).reduce(0) { sum, i in
            let damped = (1 - exp(-c * eigen.values[i] / mu)) * alphaK / Double(n) * rotatedOffset[i]
            return sum + damped * damped
        }
        guard permutations > 0 else { fluctuation = .nan; return }
        // C = Cov_σ(S_σ) by Monte Carlo over uniform permutations
        var samples = Matrix(rows: d, columns: permutations)
        var order = Array(0..<n)
        var prefix = [Double](repeating: 0, count: d)
        var s = [Double](repeating: 0, count: d)
        for p in 0..<permutations {
            random.shuffle(&order)
            for i in 0..<d { prefix[i] = 0; s[i] = 0 }
            for l in 0..<n {
                try hessians[order[l]].multiply(prefix, alpha: 1, beta: 1, into: &s)
                Vector.axpy(1, gradients[order[l]], &prefix)
            }
            for i in 0..<d { samples[i, p] = s[i] - meanS[i] }
        }
        let covariance = (1 / Double(permutations)) * (try Matrix.product(samples, samples, transposeB: true))
        let rotatedCovariance = try Matrix.product(q, transposeA: true, try Matrix.product(covariance, q))
        fluctuation = (0..<d).reduce(0) { sum, i in
            let lambda = eigen.values[i]
            return sum + pow(alphaK, 3) * rotatedCovariance[i, i] / (2 * Double(n) * lambda) * (1 - exp(-2 * c * lambda / mu))
        }
    }
}
