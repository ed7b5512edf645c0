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
