/// A failure inside the numerical layer. Any of these turns a claim's verdict into `error`.
public enum NumericsError: Error, Equatable, CustomStringConvertible {
    /// A LAPACK routine returned `info ≠ 0`. Negative: argument `-info` was illegal; positive: routine-specific
    /// failure (singular pivot, matrix not positive definite, no convergence).
    case lapack(routine: String, info: Int32)
    /// A GSL routine returned a non-zero status code.
    case gsl(routine: String, status: Int32)
    /// Shapes of the operands do not agree.
    case dimensionMismatch(String)
    /// A value that must be finite was NaN or ±∞.
    case nonFinite(String)
    /// Not enough data for the requested statistic.
    case insufficientData(String)

    public var description: String {
        switch self {
        case let .lapack(routine, info):
            let meaning = info < 0 ? "argument \(-info) had an illegal value" : "routine-specific failure (info = \(info))"
            return "LAPACK \(routine) failed: \(meaning)"
        case let .gsl(routine, status): return "GSL \(routine) failed with status \(status)"
        case let .dimensionMismatch(what): return "dimension mismatch: \(what)"
        case let .nonFinite(what): return "non-finite value: \(what)"
        case let .insufficientData(what): return "insufficient data: \(what)"
        }
    }
}

@inline(__always)
func checkLAPACK(_ routine: String, _ info: Int32) throws {
    if info != 0 { throw NumericsError.lapack(routine: routine, info: info) }
}
