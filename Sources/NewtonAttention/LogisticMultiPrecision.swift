import ClaimCore
import Foundation

/// The regularised logistic loss of `LogisticProblem` in MPFR (same data, exactly converted):
///
///   f(x) = (1/n) Σᵢ ln(1 + e^{−zᵢ}) + (µ/2)‖x‖²,  zᵢ = yᵢaᵢᵀx,  ∇f = −(1/n) Σᵢ pᵢyᵢaᵢ + µx,  ∇²f = (1/n) Σᵢ pᵢ(1 − pᵢ)aᵢaᵢᵀ + µI,
///
/// pᵢ = 1/(1 + e^{zᵢ}). [∇²f]⁻¹ starts from LAPACK's Double inverse and is polished by Newton–Schulz
/// X ← X(2I − ∇²f·X) until ‖I − ∇²f·X‖_max < 2^{−bits+8} (quadratic: ≈ log₂(bits/50) polishing steps).
struct LogisticMultiPrecision: Sendable {
    typealias Vector = [MultiPrecision]
    let rows: [Vector]
    let labels: [Double]
    let mu: MultiPrecision
    let bits: Int

    init(_ problem: LogisticProblem, bits: Int) {
        rows = (0..<problem.count).map { i in (0..<problem.dimension).map { MultiPrecision(problem.data[i, $0], precision: bits) } }
        labels = problem.labels
        mu = MultiPrecision(problem.regularisation, precision: bits)
        self.bits = bits
    }

    var count: Int { rows.count }
    var dimension: Int { rows[0].count }
    private var inverseCount: MultiPrecision { MultiPrecision.one / MultiPrecision(count) }

    func dot(_ u: Vector, _ v: Vector) -> MultiPrecision { zip(u, v).reduce(MultiPrecision.zero) { $0 + $1.0 * $1.1 } }

    func margins(_ x: Vector) -> Vector { zip(rows, labels).map { dot($0, x) * MultiPrecision(Int($1)) } }

    func value(_ x: Vector) -> MultiPrecision {
        let loss = margins(x).reduce(MultiPrecision.zero) { sum, z in
            sum + (z.sign > 0 ? MultiPrecision.log1p(MultiPrecision.exp(-z)) : MultiPrecision.log1p(MultiPrecision.exp(z)) - z)
        }
        return loss * inverseCount + mu * dot(x, x) * MultiPrecision(1, precision: bits).scaled(byPowerOfTwo: -1)
    }

    func gradient(_ x: Vector, probabilities p: Vector) -> Vector {
        var g = x.map { mu * $0 }
        for i in 0..<count {
            let w = -(p[i] * MultiPrecision(Int(labels[i]))) * inverseCount
            for j in 0..<dimension { g[j] = g[j] + w * rows[i][j] }
        }
        return g
    }

    func probabilities(_ x: Vector) -> Vector { margins(x).map { MultiPrecision.one / (MultiPrecision.one + MultiPrecision.exp($0)) } }

    func hessian(probabilities p: Vector) -> DenseMatrix<MultiPrecision> {
        var h = DenseMatrix<MultiPrecision>.identity(dimension).map { mu * $0 }
        for i in 0..<count {
            let w = p[i] * (MultiPrecision.one - p[i]) * inverseCount
            for j in 0..<dimension { for l in 0..<dimension { h[j, l] = h[j, l] + w * rows[i][j] * rows[i][l] } }
        }
        return h
    }

    /// H⁻¹: LAPACK inverse in Double, then Newton–Schulz polishing in MPFR.
    func inverse(_ h: DenseMatrix<MultiPrecision>) throws -> DenseMatrix<MultiPrecision> {
        let start = try Matrix(rows: dimension, columns: dimension, elements: h.elements.map(\.doubleValue)).inverse()
        var x = DenseMatrix<MultiPrecision>(rows: dimension, columns: dimension, elements: start.elements.map { MultiPrecision($0, precision: bits) })
        let identity = DenseMatrix<MultiPrecision>.identity(dimension)
        for _ in 0..<40 {
            let residual = identity - h * x
            if residual.elements.allSatisfy({ $0.isZero || $0.exponent < -bits + 8 }) { return x }
            x = x * (identity + residual)
        }
        throw NumericsError.insufficientData("Newton–Schulz polishing of [∇²f]⁻¹ did not reach 2^{−\(bits - 8)} in 40 steps")
    }

    /// The damped-Newton step x − (2√µ/(2√µ + λ))[∇²f]⁻¹∇f and the decrement λ; `damped = false`: full step.
    func dampedNewtonStep(_ x: Vector, damped: Bool = true) throws -> (next: Vector, decrement: MultiPrecision) {
        let p = probabilities(x)
        let g = gradient(x, probabilities: p)
        let inverse = try inverse(hessian(probabilities: p))
        let v = (0..<dimension).map { j in (0..<dimension).reduce(MultiPrecision.zero) { $0 + inverse[j, $1] * g[$1] } }
        let lambda = dot(g, v).magnitude.squareRoot()
        let root = mu.squareRoot() * MultiPrecision(2)
        let step = damped ? root / (root + lambda) : MultiPrecision.one
        return (zip(x, v).map { $0 - step * $1 }, lambda)
    }

    /// Gradient descent with step 1/L, L = 1/4 + µ (a control).
    func gradientStep(_ x: Vector) -> Vector {
        let g = gradient(x, probabilities: probabilities(x))
        let step = MultiPrecision.one / (MultiPrecision(1, precision: bits).scaled(byPowerOfTwo: -2) + mu)
        return zip(x, g).map { $0 - step * $1 }
    }

    /// x* by damped Newton until λ_g < 2^{−bits/2}, then full steps until λ_g < 2^{−bits+16}.
    func minimiser(from start: Vector) throws -> Vector {
        var x = start
        let scale = mu.squareRoot() * MultiPrecision(2)
        for _ in 0..<200 {
            let (next, lambda) = try dampedNewtonStep(x)
            let lambdaG = lambda / scale
            if lambdaG.isZero || lambdaG.exponent < -bits / 2 {
                for _ in 0..<8 {
                    let (full, l) = try dampedNewtonStep(x, damped: false)
                    x = full
                    if l.isZero || (l / scale).exponent < -bits + 16 { return x }
                }
                return x
            }
            x = next
        }
        throw NumericsError.insufficientData("damped Newton did not reach λ_g < 2^{−\(bits / 2)} in 200 steps")
    }
}
