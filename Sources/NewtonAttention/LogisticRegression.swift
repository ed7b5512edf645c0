import ClaimCore
import Foundation

/// Regularised logistic regression (the target problem of [GYWPL] §5):
///
///   f(x) = (1/n) Σᵢ log(1 + e^{−yᵢaᵢᵀx}) + (µ/2)‖x‖²,  ∇f(x) = −(1/n) Σᵢ pᵢyᵢaᵢ + µx,  ∇²f(x) = (1/n)AᵀDA + µI,
///
/// pᵢ = σ(−yᵢaᵢᵀx) = 1/(1 + e^{yᵢaᵢᵀx}), D = diag(pᵢ(1 − pᵢ)). Products through BLAS (dgemv, dsyrk), solves through
/// LAPACK. Rows of `data` are aᵢᵀ (Assumption 3.2: ‖aᵢ‖ ≤ 1), `labels` are ±1.
public struct LogisticProblem: Sendable {
    public let data: Matrix
    public let labels: [Double]
    public let regularisation: Double

    public var count: Int { data.rows }
    public var dimension: Int { data.columns }

    /// zᵢ = yᵢaᵢᵀx.
    public func margins(_ x: [Double]) -> [Double] {
        let ax = data * x
        return zip(ax, labels).map { $0 * $1 }
    }

    public func value(_ x: [Double]) -> Double {
        let loss = margins(x).reduce(0) { $0 + ($1 > 0 ? log1p(exp(-$1)) : -$1 + log1p(exp($1))) }
        return loss / Double(count) + regularisation / 2 * Vector.dot(x, x)
    }

    /// ∇f(x), optionally with the probabilities pᵢ supplied (e.g. by a ReLU approximation).
    public func gradient(_ x: [Double], probabilities: [Double]? = nil) throws -> [Double] {
        let p = probabilities ?? margins(x).map { 1 / (1 + exp($0)) }
        let weights = zip(p, labels).map { -$0 * $1 / Double(count) }
        var g = x.map { regularisation * $0 }
        try data.multiply(weights, transpose: true, beta: 1, into: &g)
        return g
    }

    /// ∇²f(x) = (1/n)AᵀDA + µI through dsyrk on diag(√D)A.
    public func hessian(_ x: [Double], probabilities: [Double]? = nil) -> Matrix {
        let p = probabilities ?? margins(x).map { 1 / (1 + exp($0)) }
        var scaled = data
        for i in 0..<count {
            let s = (max(0, p[i] * (1 - p[i])) / Double(count)).squareRoot()
            for j in 0..<dimension { scaled[i, j] *= s }
        }
        return scaled.gram() + regularisation * Matrix.identity(dimension)
    }

    /// D³f(x)[u, u, u] = (1/n) Σᵢ ℓ'''(zᵢ) yᵢ (aᵢᵀu)³ with ℓ'''(z) = −p(1 − p)(1 − 2p), p = σ(−z).
    public func thirdDerivative(_ x: [Double], direction u: [Double]) -> Double {
        let au = data * u
        return zip(zip(margins(x), labels), au).reduce(0) { sum, item in
            let p = 1 / (1 + exp(item.0.0))
            return sum - p * (1 - p) * (1 - 2 * p) * item.0.1 * pow(item.1, 3)
        } / Double(count)
    }

    /// Newton direction v = [∇²f]⁻¹∇f and decrement λ = √(∇fᵀv).
    public func newtonDirection(_ x: [Double]) throws -> (direction: [Double], decrement: Double) {
        let g = try gradient(x)
        let v = try hessian(x).solve(g)
        return (v, max(0, Vector.dot(g, v)).squareRoot())
    }

    /// x − (2√µ/(2√µ + λ))·v; `damped = false` takes the full Newton step (a control).
    public func dampedNewtonStep(_ x: [Double], damped: Bool = true) throws -> [Double] {
        let (v, lambda) = try newtonDirection(x)
        let step = damped ? 2 * regularisation.squareRoot() / (2 * regularisation.squareRoot() + lambda) : 1
        return zip(x, v).map { $0 - step * $1 }
    }

    /// λ_g = λ/(2√µ): the decrement of the standard self-concordant g = f/(4µ).
    public func scaledDecrement(_ x: [Double]) throws -> Double {
        try newtonDirection(x).decrement / (2 * regularisation.squareRoot())
    }

    /// The minimiser by damped Newton run to λ_g < 1e-15 (then two full steps to polish).
    public func minimiser(from start: [Double]) throws -> [Double] {
        var x = start
        for _ in 0..<200 {
            if try scaledDecrement(x) < 1e-15 { break }
            x = try dampedNewtonStep(x)
        }
        for _ in 0..<2 { x = try dampedNewtonStep(x, damped: false) }
        return x
    }

    /// n points uniform in direction with radius uniform in [0, 1] (so ‖aᵢ‖ ≤ 1), labels sign(aᵢᵀw*) for Gaussian w*.
    public static func random(count n: Int, dimension d: Int, regularisation mu: Double, random: RandomStream) -> LogisticProblem {
        let truth = random.gaussians(d)
        var data = Matrix(rows: n, columns: d)
        var labels = [Double](repeating: 0, count: n)
        for i in 0..<n {
            let direction = random.unitSphere(dimension: d)
            let radius = random.uniform()
            for j in 0..<d { data[i, j] = radius * direction[j] }
            labels[i] = Vector.dot(direction, truth) >= 0 ? 1 : -1
        }
        return LogisticProblem(data: data, labels: labels, regularisation: mu)
    }
}

/// ω(s) = s − ln(1 + s): the guaranteed decrease of a damped Newton step on a standard self-concordant function.
func omega(_ s: Double) -> Double { s - log1p(s) }
