import Foundation
@preconcurrency import CLinearAlgebra

/// Two-sided Student-t quantile t_{1−(1−level)/2, dof} (`gsl_cdf_tdist_Pinv`).
public func studentQuantile(level: Double, degreesOfFreedom: Int) -> Double {
    LibrarySetup.once
    return gsl_cdf_tdist_Pinv(0.5 + level / 2, Double(degreesOfFreedom))
}

/// A confidence interval [lower, upper] around an estimate.
public struct Interval: Sendable, Equatable, Codable {
    public let lower: Double
    public let upper: Double
    public init(_ lower: Double, _ upper: Double) { self.lower = lower; self.upper = upper }
    public var halfWidth: Double { (upper - lower) / 2 }
    public var center: Double { (upper + lower) / 2 }
    public func contains(_ x: Double) -> Bool { lower <= x && x <= upper }
    public var isFinite: Bool { lower.isFinite && upper.isFinite }
}

/// Sample mean with its standard error and a 95% Student-t confidence interval.
public struct MeanEstimate: Sendable, Equatable {
    public let mean: Double
    public let standardDeviation: Double
    public let count: Int
    public var standardError: Double { count > 0 ? standardDeviation / Double(count).squareRoot() : .nan }

    /// Mean and standard deviation by `gsl_stats_mean` / `gsl_stats_sd`.
    public init(_ samples: [Double]) throws {
        guard !samples.isEmpty else { throw NumericsError.insufficientData("mean of an empty sample") }
        guard samples.allSatisfy(\.isFinite) else { throw NumericsError.nonFinite("sample contains NaN or ±∞") }
        mean = gsl_stats_mean(samples, 1, samples.count)
        standardDeviation = samples.count > 1 ? gsl_stats_sd(samples, 1, samples.count) : 0
        count = samples.count
    }

    public func confidenceInterval(level: Double = 0.95) -> Interval {
        guard count > 1 else { return Interval(-.infinity, .infinity) }
        let t = studentQuantile(level: level, degreesOfFreedom: count - 1)
        return Interval(mean - t * standardError, mean + t * standardError)
    }

    /// Standard error of ln(mean) by the delta method: se(x̄)/x̄. Used as the weight of a log-mean in a log-log fit.
    public var logStandardError: Double { standardError / mean }
}

/// Least-squares straight line y = intercept + slope·x with standard errors and a confidence interval on the slope.
///
/// Unweighted: `gsl_fit_linear`, covariance from the residual scatter, CI with t_{n−2}.
/// Weighted: `gsl_fit_wlinear` with wᵢ = 1/σᵢ²; the covariance from the known σᵢ is inflated by
/// max(1, χ²/(n−2)) so that a model misfit larger than the noise widens the CI instead of hiding.
public struct LineFit: Sendable, Equatable {
    public let slope: Double
    public let intercept: Double
    public let slopeStandardError: Double
    public let interceptStandardError: Double
    /// Σ wᵢ(yᵢ − ŷᵢ)² (weighted) or Σ(yᵢ − ŷᵢ)² (unweighted).
    public let residualSumOfSquares: Double
    public let pointCount: Int
    public let level: Double

    public init(x: [Double], y: [Double], standardErrors: [Double]? = nil, level: Double = 0.95) throws {
        guard x.count == y.count, standardErrors.map({ $0.count == x.count }) ?? true else {
            throw NumericsError.dimensionMismatch("line fit: \(x.count) x-values, \(y.count) y-values")
        }
        guard x.count >= 3 else { throw NumericsError.insufficientData("a line fit with a CI needs ≥ 3 points, got \(x.count)") }
        guard x.allSatisfy(\.isFinite), y.allSatisfy(\.isFinite) else { throw NumericsError.nonFinite("line fit data contains NaN or ±∞") }
        LibrarySetup.once
        var c0 = 0.0, c1 = 0.0, cov00 = 0.0, cov01 = 0.0, cov11 = 0.0, sumsq = 0.0
        let n = x.count
        let dof = Double(n - 2)
        if let errors = standardErrors {
            guard errors.allSatisfy({ $0.isFinite && $0 > 0 }) else { throw NumericsError.nonFinite("line fit: standard errors must be finite and positive") }
            let weights = errors.map { 1 / ($0 * $0) }
            let status = gsl_fit_wlinear(x, 1, weights, 1, y, 1, n, &c0, &c1, &cov00, &cov01, &cov11, &sumsq)
            if status != 0 { throw NumericsError.gsl(routine: "gsl_fit_wlinear", status: status) }
            let inflation = max(1, sumsq / dof)
            cov00 *= inflation; cov11 *= inflation
        } else {
            let status = gsl_fit_linear(x, 1, y, 1, n, &c0, &c1, &cov00, &cov01, &cov11, &sumsq)
            if status != 0 { throw NumericsError.gsl(routine: "gsl_fit_linear", status: status) }
        }
        guard c0.isFinite, c1.isFinite, cov11.isFinite else { throw NumericsError.nonFinite("line fit produced a non-finite parameter") }
        slope = c1
        intercept = c0
        slopeStandardError = cov11.squareRoot()
        interceptStandardError = cov00.squareRoot()
        residualSumOfSquares = sumsq
        pointCount = n
        self.level = level
    }

    /// Slope ± t_{n−2}·se.
    public var slopeInterval: Interval {
        let t = studentQuantile(level: level, degreesOfFreedom: pointCount - 2)
        return Interval(slope - t * slopeStandardError, slope + t * slopeStandardError)
    }

    public func predict(_ x: Double) -> Double { intercept + slope * x }
}

/// A log-log convergence-order fit over a sweep, in the spirit of DiffEqDevTools' `test_convergence`, but a
/// weighted least-squares fit over all sizes with a CI. Points whose mean is at or below `floor`
/// (the floating-point floor) are trimmed before fitting.
public struct PowerLawFit: Sendable, Equatable {
    /// ln y = ln C + exponent·ln x.
    public let line: LineFit
    public let usedSizes: [Double]
    public let trimmedSizes: [Double]

    public var exponent: Double { line.slope }
    public var exponentInterval: Interval { line.slopeInterval }
    public var constant: Double { exp(line.intercept) }

    /// Fits ln(meanᵢ) against ln(sizeᵢ), weighting each point by its delta-method standard error of ln(mean).
    /// With `weighted = false` (deterministic sweeps, where the standard errors are 0), an ordinary fit.
    public init(sizes: [Double], estimates: [MeanEstimate], floor: Double = 0, weighted: Bool = true, level: Double = 0.95) throws {
        guard sizes.count == estimates.count else { throw NumericsError.dimensionMismatch("power-law fit: \(sizes.count) sizes, \(estimates.count) estimates") }
        guard sizes.allSatisfy({ $0.isFinite && $0 > 0 }) else { throw NumericsError.nonFinite("power-law fit: sizes must be finite and positive") }
        guard estimates.allSatisfy({ $0.mean.isFinite }) else { throw NumericsError.nonFinite("power-law fit: a measured mean is NaN or ±∞") }
        var x = [Double](), y = [Double](), se = [Double](), trimmed = [Double](), used = [Double]()
        for (size, estimate) in zip(sizes, estimates) {
            if estimate.mean <= floor { trimmed.append(size); continue }
            used.append(size)
            x.append(log(size))
            y.append(log(estimate.mean))
            se.append(estimate.logStandardError)
        }
        let useWeights = weighted && se.allSatisfy { $0 > 0 && $0.isFinite }
        line = try LineFit(x: x, y: y, standardErrors: useWeights ? se : nil, level: level)
        usedSizes = used
        trimmedSizes = trimmed
    }

    /// Ordinary fit of ln y on ln x for exactly known points (no per-point error).
    public init(sizes: [Double], values: [Double], floor: Double = 0, level: Double = 0.95) throws {
        try self.init(sizes: sizes, estimates: values.map { try MeanEstimate([$0]) }, floor: floor, weighted: false, level: level)
    }
}

/// The beta quantile q with I_q(a, b) = p (regularised incomplete beta function).
///
/// `gsl_cdf_beta_Pinv` first; it fails to converge (returns NaN) for some skewed (a, b) — e.g. p = 0.975, a = 33,
/// b = 968, the upper Clopper–Pearson end of 32/1000 — and then the root of I_q(a, b) − p on [0, 1] is found by GSL's
/// Brent solver (`gsl_root_fsolver_brent`) on the reliable CDF `gsl_cdf_beta_P`, to |Δq| ≤ 1e-15.
/// Throws if both fail.
public func betaQuantile(_ p: Double, a: Double, b: Double) throws -> Double {
    LibrarySetup.once
    guard p > 0, p < 1, a > 0, b > 0 else { throw NumericsError.nonFinite("beta quantile needs 0 < p < 1, a, b > 0 (p = \(p), a = \(a), b = \(b))") }
    let direct = gsl_cdf_beta_Pinv(p, a, b)
    if direct.isFinite, abs(gsl_cdf_beta_P(direct, a, b) - p) <= 1e-10 { return direct }

    var parameters = (p, a, b)
    return try withUnsafeMutablePointer(to: &parameters) { pointer -> Double in
        var function = gsl_function(function: { q, raw in
            let (p, a, b) = raw!.assumingMemoryBound(to: (Double, Double, Double).self).pointee
            return gsl_cdf_beta_P(q, a, b) - p
        }, params: UnsafeMutableRawPointer(pointer))
        guard let solver = gsl_root_fsolver_alloc(gsl_root_fsolver_brent) else { throw NumericsError.gsl(routine: "gsl_root_fsolver_alloc", status: Int32(GSL_ENOMEM)) }
        defer { gsl_root_fsolver_free(solver) }
        var status = gsl_root_fsolver_set(solver, &function, 0, 1)
        if status != 0 { throw NumericsError.gsl(routine: "gsl_root_fsolver_set", status: status) }
        for _ in 0..<200 {
            status = gsl_root_fsolver_iterate(solver)
            if status != 0 { throw NumericsError.gsl(routine: "gsl_root_fsolver_iterate", status: status) }
            if gsl_root_test_interval(gsl_root_fsolver_x_lower(solver), gsl_root_fsolver_x_upper(solver), 1e-15, 0) == Int32(GSL_SUCCESS) {
                return gsl_root_fsolver_root(solver)
            }
        }
        throw NumericsError.gsl(routine: "gsl_root_fsolver_brent (beta quantile)", status: Int32(GSL_EMAXITER))
    }
}
