import Foundation
import ClaimCore

/// Newton–Schulz iteration for A⁻¹ and its order-p family (Li & Li 2010; the form in the official code of [GYWPL]):
///
///   X_{k+1} = X_k Σ_{m=0}^{p−1} (−1)^m C(p, m+1) (A X_k)^m,
///
/// p = 2 gives X_{k+1} = X_k(2I − AX_k). With E_k = I − X_kA the residual obeys E_{k+1} = E_k^p exactly.
public enum NewtonSchulz {
    /// One step of order p. `droppingLastTerm` omits the m = p−1 term (a deliberately wrong polynomial for controls).
    public static func step<S: TransformerScalar>(_ x: DenseMatrix<S>, _ a: DenseMatrix<S>, order p: Int, droppingLastTerm: Bool = false) -> DenseMatrix<S> {
        let d = a.rows
        let ax = a * x
        let lastTerm = droppingLastTerm ? p - 2 : p - 1
        // Horner: Σ_{m=0}^{M} c_m Mᵐ = c_0 I + M(c_1 I + M(c_2 I + …)).
        var polynomial = S(coefficient(p, lastTerm)) * DenseMatrix<S>.identity(d)
        if lastTerm > 0 {
            for m in stride(from: lastTerm - 1, through: 0, by: -1) {
                polynomial = ax * polynomial + S(coefficient(p, m)) * DenseMatrix<S>.identity(d)
            }
        }
        return x * polynomial
    }

    /// (−1)^m C(p, m+1).
    static func coefficient(_ p: Int, _ m: Int) -> Int {
        var binomial = 1
        for i in 0..<(m + 1) { binomial = binomial * (p - i) / (i + 1) }
        return m % 2 == 0 ? binomial : -binomial
    }

    /// E = I − XA.
    public static func residual<S: TransformerScalar>(_ x: DenseMatrix<S>, _ a: DenseMatrix<S>) -> DenseMatrix<S> {
        DenseMatrix<S>.identity(a.rows) - x * a
    }

    /// ρ₀ = max_i |1 − α σ_i²| for X₀ = αAᵀ, and α* = 2/(σ_max² + σ_min²), the α minimising it.
    public static func optimalScale(singularValues s: [Double]) -> (alpha: Double, rho: Double) {
        let hi = s.max()!, lo = s.min()!
        let alpha = 2 / (hi * hi + lo * lo)
        return (alpha, contraction(alpha: alpha, singularValues: s))
    }

    public static func contraction(alpha: Double, singularValues s: [Double]) -> Double {
        s.map { abs(1 - alpha * $0 * $0) }.max()!
    }

    /// k*(ε) = ⌈log_p( ln(1/ε) / ln(1/ρ₀) )⌉: the first k with ρ₀^{p^k} ≤ ε.
    public static func predictedSteps(epsilon: Double, rho: Double, order p: Int = 2) -> Int {
        Int((log(log(1 / epsilon) / log(1 / rho)) / log(Double(p))).rounded(.up))
    }
}

/// A = U diag(s) Vᵀ with s log-spaced from 1 down to 1/κ and Haar-random U, V: σ_max = 1, σ_min = 1/κ exactly.
func conditionedMatrix(dimension d: Int, condition kappa: Double, random: RandomStream) throws -> (matrix: Matrix, singularValues: [Double]) {
    let s = (0..<d).map { d == 1 ? 1 : pow(kappa, -Double($0) / Double(d - 1)) }
    let u = try random.orthogonalMatrix(d), v = try random.orthogonalMatrix(d)
    let a = try Matrix.product(u * Matrix.diagonal(s), v, transposeB: true)
    return (a, s)
}

/// A d×d matrix of independent uniform integers in [−bound, bound], redrawn until |det| ≥ 1 in floating point
/// (so it is invertible).
func integerMatrix(dimension d: Int, bound: Int, random: RandomStream) throws -> DenseMatrix<Double> {
    while true {
        let entries = (0..<(d * d)).map { _ in Double(random.index(below: 2 * bound + 1) - bound) }
        let m = Matrix(rows: d, columns: d, elements: entries)
        if try m.singularValues().last! > 1e-6 { return DenseMatrix(m) }
    }
}
