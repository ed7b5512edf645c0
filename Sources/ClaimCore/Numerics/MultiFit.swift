import Foundation
@preconcurrency import CLinearAlgebra

/// Weighted linear least squares y = X·β with p coefficients (`gsl_multifit_wlinear`), covariance and t-intervals.
///
/// Weights wᵢ = 1/σᵢ² from the per-point standard errors (or 1 each, unweighted). The covariance GSL returns assumes
/// the σᵢ are exact; like `LineFit`, it is inflated by max(1, χ²/(m − p)) so that a model misfit larger than the noise
/// widens the intervals instead of hiding. Unweighted: covariance scaled by χ²/(m − p) (residual scatter).
public struct LinearModelFit: Sendable, Equatable {
    public let coefficients: [Double]
    /// Row-major p×p covariance of the coefficients (after inflation).
    public let covariance: [Double]
    /// Σ wᵢ(yᵢ − ŷᵢ)².
    public let chiSquared: Double
    public let pointCount: Int
    public let level: Double

    /// `design` has one row per point (each of the same length p); needs m ≥ p + 1 points.
    public init(design: [[Double]], y: [Double], standardErrors: [Double]? = nil, level: Double = 0.95) throws {
        let m = design.count
        guard let p = design.first?.count, p > 0, design.allSatisfy({ $0.count == p }) else {
            throw NumericsError.dimensionMismatch("linear model: design rows must be non-empty and of equal length")
        }
        guard y.count == m, standardErrors.map({ $0.count == m }) ?? true else {
            throw NumericsError.dimensionMismatch("linear model: \(m) design rows, \(y.count) responses")
        }
        guard m > p else { throw NumericsError.insufficientData("a \(p)-coefficient fit with intervals needs ≥ \(p + 1) points, got \(m)") }
        guard y.allSatisfy(\.isFinite), design.allSatisfy({ $0.allSatisfy(\.isFinite) }) else {
            throw NumericsError.nonFinite("linear model data contains NaN or ±∞")
        }
        if let errors = standardErrors, !errors.allSatisfy({ $0.isFinite && $0 > 0 }) {
            throw NumericsError.nonFinite("linear model: standard errors must be finite and positive")
        }
        LibrarySetup.once
        guard let x = gsl_matrix_alloc(m, p), let yv = gsl_vector_alloc(m), let w = gsl_vector_alloc(m),
              let c = gsl_vector_alloc(p), let cov = gsl_matrix_alloc(p, p),
              let work = gsl_multifit_linear_alloc(m, p) else {
            throw NumericsError.gsl(routine: "gsl_multifit_linear_alloc", status: Int32(GSL_ENOMEM))
        }
        defer {
            gsl_matrix_free(x); gsl_vector_free(yv); gsl_vector_free(w); gsl_vector_free(c); gsl_matrix_free(cov)
            gsl_multifit_linear_free(work)
        }
        for i in 0..<m {
            for j in 0..<p { gsl_matrix_set(x, i, j, design[i][j]) }
            gsl_vector_set(yv, i, y[i])
            gsl_vector_set(w, i, standardErrors.map { 1 / ($0[i] * $0[i]) } ?? 1)
        }
        var chi2 = 0.0
        let status = gsl_multifit_wlinear(x, w, yv, c, cov, &chi2, work)
        if status != 0 { throw NumericsError.gsl(routine: "gsl_multifit_wlinear", status: status) }
        let dof = Double(m - p)
        let scale = standardErrors == nil ? chi2 / dof : max(1, chi2 / dof)
        coefficients = (0..<p).map { gsl_vector_get(c, $0) }
        covariance = (0..<(p * p)).map { gsl_matrix_get(cov, $0 / p, $0 % p) * scale }
        guard coefficients.allSatisfy(\.isFinite), covariance.allSatisfy(\.isFinite) else {
            throw NumericsError.nonFinite("linear model fit produced a non-finite coefficient or covariance")
        }
        chiSquared = chi2
        pointCount = m
        self.level = level
    }

    public var parameterCount: Int { coefficients.count }

    public func standardError(_ j: Int) -> Double { covariance[j * parameterCount + j].squareRoot() }

    /// Coefficient j ± t_{m−p}·se.
    public func interval(_ j: Int) -> Interval {
        let t = studentQuantile(level: level, degreesOfFreedom: pointCount - parameterCount)
        return Interval(coefficients[j] - t * standardError(j), coefficients[j] + t * standardError(j))
    }
}

/// A joint power law in two variables, ln E = c + p·ln n + q·ln K, fitted to mean estimates over an (n, K) design
/// (not necessarily rectangular), each weighted by its delta-method standard error of ln(mean) — or unweighted for
/// deterministic points. The two exponents come with their covariance, so each CI accounts for the other.
public struct JointPowerLawFit: Sendable, Equatable {
    public let model: LinearModelFit

    public init(first: [Double], second: [Double], estimates: [MeanEstimate], weighted: Bool = true, level: Double = 0.95) throws {
        guard first.count == estimates.count, second.count == estimates.count else {
            throw NumericsError.dimensionMismatch("joint power law: \(first.count)/\(second.count) sizes, \(estimates.count) estimates")
        }
        guard (first + second).allSatisfy({ $0.isFinite && $0 > 0 }) else { throw NumericsError.nonFinite("joint power law: sizes must be finite and positive") }
        guard estimates.allSatisfy({ $0.mean.isFinite && $0.mean > 0 }) else { throw NumericsError.nonFinite("joint power law: a mean is not finite and positive") }
        let design = zip(first, second).map { [1, log($0.0), log($0.1)] }
        let errors = estimates.map(\.logStandardError)
        let useWeights = weighted && errors.allSatisfy { $0.isFinite && $0 > 0 }
        model = try LinearModelFit(design: design, y: estimates.map { log($0.mean) }, standardErrors: useWeights ? errors : nil, level: level)
    }

    public var constant: Double { exp(model.coefficients[0]) }
    /// p, the exponent of the first variable, and its CI.
    public var firstExponent: Double { model.coefficients[1] }
    public var firstInterval: Interval { model.interval(1) }
    /// q, the exponent of the second variable, and its CI.
    public var secondExponent: Double { model.coefficients[2] }
    public var secondInterval: Interval { model.interval(2) }
    /// Correlation of the two exponent estimates.
    public var correlation: Double { model.covariance[5] / (model.standardError(1) * model.standardError(2)) }

    public func predict(_ first: Double, _ second: Double) -> Double {
        exp(model.coefficients[0] + model.coefficients[1] * log(first) + model.coefficients[2] * log(second))
    }
}
