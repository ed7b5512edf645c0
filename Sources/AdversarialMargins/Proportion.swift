@preconcurrency import CLinearAlgebra
import BigInt
import ClaimCore
import Foundation

/// A binomial proportion k/n with its exact (Clopper–Pearson) 95% interval from beta quantiles (`betaQuantile`).
/// (A candidate for ClaimCore: frequencies with CIs recur across families.)
public struct Proportion: Sendable {
    public let successes: Int
    public let trials: Int
    public var estimate: Double { Double(successes) / Double(trials) }

    public init(successes: Int, trials: Int) {
        precondition(trials > 0 && successes >= 0 && successes <= trials)
        self.successes = successes
        self.trials = trials
    }

    /// The interval's ends are NaN if the beta quantile cannot be computed, which makes the claim's verdict `error`.
    public func confidenceInterval(level: Double = 0.95) -> Interval {
        let alpha = 1 - level
        let k = Double(successes), n = Double(trials)
        let lower = successes == 0 ? 0 : ((try? betaQuantile(alpha / 2, a: k, b: n - k + 1)) ?? .nan)
        let upper = successes == trials ? 1 : ((try? betaQuantile(1 - alpha / 2, a: k + 1, b: n - k)) ?? .nan)
        return Interval(lower, upper)
    }
}

/// Wendel (1962): for N i.i.d. points in ℝᵈ from a distribution symmetric about 0 with points in general position,
/// P(0 ∈ int conv{z_j}) = 1 − P(all in a half-space) = 1 − 2^{−(N−1)} Σ_{k=0}^{d−1} C(N−1, k), computed exactly
/// in integers (BigInt) and rounded once.
public func wendelProbability(dimension d: Int, points count: Int) -> Double {
    let m = count - 1
    var binomial = BigInt(1)
    var sum = BigInt(0)
    for k in 0..<d where k <= m {
        if k > 0 { binomial = binomial * BigInt(m - k + 1) / BigInt(k) }
        sum += binomial
    }
    let denominator = BigInt(1) << m
    let numerator = denominator - sum
    return numerator <= 0 ? 0 : Double(numerator) / Double(denominator)
}

/// The same probability from GSL's binomial coefficients (`gsl_sf_choose`), an independent cross-check.
public func wendelProbabilityGSL(dimension d: Int, points count: Int) -> Double {
    LibrarySetup.once
    let m = count - 1
    var sum = 0.0
    for k in 0..<d where k <= m { sum += gsl_sf_choose(UInt32(m), UInt32(k)) }
    return max(0, 1 - sum / pow(2, Double(m)))
}

/// Normalised surface measure of the spherical cap {v ∈ S^{m−1} : ⟨v, e⟩ ≥ c} of the unit sphere of ℝᵐ
/// (`ambientDimension` m), 0 ≤ c < 1: ½·I_{1−c²}((m−1)/2, ½) (regularised incomplete beta, `gsl_sf_beta_inc`).
public func sphericalCapMeasure(ambientDimension m: Int, threshold c: Double) -> Double {
    LibrarySetup.once
    return 0.5 * gsl_sf_beta_inc(Double(m - 1) / 2, 0.5, 1 - c * c)
}

/// Binomial regression with a log link, ln q(x) = β₀ + β₁·x, for failure counts fᵢ out of mᵢ trials at covariates xᵢ —
/// the maximum-likelihood fit by iteratively reweighted least squares (`LinearModelFit`, i.e. `gsl_multifit_wlinear`),
/// each point weighted by the inverse binomial variance of its working response, wᵢ = mᵢqᵢ/(1 − qᵢ). Cells with no
/// failures enter the likelihood like any other. The slope's 95% interval is the Wald interval of the final weighted
/// fit (inflated by the Pearson χ²/dof when the counts are over-dispersed).
public struct BinomialLogLinkFit: Sendable {
    public let intercept: Double
    public let slope: Double
    public let slopeInterval: Interval
    /// Pearson χ² of the counts against the fitted probabilities, and its degrees of freedom (points − 2).
    public let pearsonChiSquared: Double
    public let degreesOfFreedom: Int
    /// Binomial deviance of the fit.
    public let deviance: Double

    public init(x: [Double], failures: [Int], trials: [Int], maxIterations: Int = 100) throws {
        let m = x.count
        guard failures.count == m, trials.count == m, m >= 3 else { throw NumericsError.insufficientData("binomial fit needs ≥ 3 cells with counts") }
        guard failures.reduce(0, +) > 0 else { throw NumericsError.insufficientData("binomial fit: no failures in any cell (the decay cannot be estimated)") }
        let observed = (0..<m).map { Double(failures[$0]) / Double(trials[$0]) }
        let clamp = { (q: Double) in min(max(q, 1e-12), 1 - 1e-9) }
        var eta = (0..<m).map { log((Double(failures[$0]) + 0.5) / (Double(trials[$0]) + 1)) }
        var fit: LinearModelFit?
        for _ in 0..<maxIterations {
            let q = eta.map { clamp(exp($0)) }
            let z = (0..<m).map { eta[$0] + (observed[$0] - q[$0]) / q[$0] }
            let errors = (0..<m).map { (1 / (Double(trials[$0]) * q[$0] / (1 - q[$0]))).squareRoot() }
            let next = try LinearModelFit(design: x.map { [1, $0] }, y: z, standardErrors: errors)
            let newEta = x.map { next.coefficients[0] + next.coefficients[1] * $0 }
            let change = zip(newEta, eta).map { abs($0 - $1) }.max() ?? 0
            fit = next
            eta = newEta
            if change < 1e-10 { break }
        }
        guard let final = fit else { throw NumericsError.insufficientData("binomial fit did not run") }
        let q = eta.map { clamp(exp($0)) }
        intercept = final.coefficients[0]
        slope = final.coefficients[1]
        slopeInterval = final.interval(1)
        pearsonChiSquared = (0..<m).reduce(0) { total, i in
            let expected = Double(trials[i]) * q[i]
            return total + pow(Double(failures[i]) - expected, 2) / (expected * (1 - q[i]))
        }
        degreesOfFreedom = m - 2
        deviance = 2 * (0..<m).reduce(0) { total, i in
            let f = Double(failures[i]), n = Double(trials[i]), e = n * q[i]
            let a = f > 0 ? f * log(f / e) : 0
            let b = f < n ? (n - f) * log((n - f) / (n - e)) : 0
            return total + a + b
        }
        guard intercept.isFinite, slope.isFinite, slopeInterval.isFinite, deviance.isFinite else {
            throw NumericsError.nonFinite("binomial log-link fit produced a non-finite value")
        }
    }
}
