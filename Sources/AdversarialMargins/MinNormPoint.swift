import ClaimCore
import Foundation

/// The point of minimum Euclidean norm in the convex hull of finitely many points, by Wolfe's exact active-set
/// ("corral") algorithm (Wolfe 1976). Each minor cycle solves the affine problem min ‖Σ αᵢpᵢ‖ s.t. Σαᵢ = 1 over the
/// current corral through the bordered system [G 1; 1ᵀ 0][α; μ] = [0; 1] (LAPACK `dgesv`; `dgelsd` if singular).
///
/// Uses: (i) ℓ2 hard-margin SVM through the origin — for separable zᵢ, max_{‖w‖₂ ≤ 1} minᵢ zᵢᵀw =
/// min_{λ∈Δ} ‖Σλᵢzᵢ‖₂ (minimax), with w* = p*/‖p*‖ and γ* = ‖p*‖, the support vectors being the zᵢ with λᵢ > 0;
/// (ii) the test 0 ∈ conv(Z) (‖p*‖ = 0).
public struct MinNormPoint: Sendable {
    /// p* = Σλᵢpᵢ.
    public let point: [Double]
    /// Convex weights λ (length N, zero off the final corral).
    public let weights: [Double]
    public var norm: Double { Vector.norm(point) }

    /// Optimality residual of the KKT conditions: max(0, ‖p‖² − minⱼ pⱼᵀp) (first-order condition of min ‖p‖² on
    /// the hull), |Σλ − 1|, −min λ, and ‖Σλᵢpᵢ − p‖∞, each relative to max‖pⱼ‖².
    public let kktResidual: Double

    /// `points`: N×d, one point per row.
    public init(points: Matrix, tolerance: Double = 1e-13, maxIterations: Int = 10_000) throws {
        let n = points.rows, d = points.columns
        guard n > 0 else { throw NumericsError.insufficientData("min-norm point of an empty set") }
        let rows = (0..<n).map { i in (0..<d).map { points[i, $0] } }
        let squaredNorms = rows.map { Vector.dot($0, $0) }
        let scale = max(squaredNorms.max()!, .leastNormalMagnitude)
        let start = squaredNorms.indices.min { squaredNorms[$0] < squaredNorms[$1] }!
        var corral = [start]
        var lambda = [Double](repeating: 0, count: n)
        lambda[start] = 1
        var x = rows[start]
        var iterations = 0
        func combination(_ weights: [Double]) -> [Double] {
            var y = [Double](repeating: 0, count: d)
            for i in corral where weights[i] != 0 { Vector.axpy(weights[i], rows[i], &y) }
            return y
        }
        major: while true {
            iterations += 1
            if iterations > maxIterations { throw NumericsError.insufficientData("Wolfe min-norm point: no convergence in \(maxIterations) iterations") }
            let xx = Vector.dot(x, x)
            if xx <= tolerance * tolerance * scale { break }
            let products = points * x
            let j = products.indices.min { products[$0] < products[$1] }!
            if xx - products[j] <= tolerance * scale || corral.contains(j) { break }
            corral.append(j)
            while true {
                let k = corral.count
                var bordered = Matrix(rows: k + 1, columns: k + 1)
                for a in 0..<k {
                    for b in 0..<k { bordered[a, b] = Vector.dot(rows[corral[a]], rows[corral[b]]) }
                    bordered[a, k] = 1
                    bordered[k, a] = 1
                }
                var rhs = [Double](repeating: 0, count: k + 1)
                rhs[k] = 1
                let solution = try (try? bordered.solve(rhs)) ?? bordered.leastSquares(rhs)
                var alpha = [Double](repeating: 0, count: n)
                for a in 0..<k { alpha[corral[a]] = solution[a] }
                if corral.allSatisfy({ alpha[$0] > tolerance }) {
                    lambda = alpha
                    x = combination(lambda)
                    continue major
                }
                var theta = 1.0
                for i in corral where alpha[i] <= tolerance {
                    let denominator = lambda[i] - alpha[i]
                    if denominator > 0 { theta = min(theta, lambda[i] / denominator) }
                }
                for i in corral { lambda[i] = (1 - theta) * lambda[i] + theta * alpha[i] }
                let removed = corral.filter { lambda[$0] <= tolerance }
                for i in removed { lambda[i] = 0 }
                corral.removeAll { lambda[$0] == 0 }
                let total = corral.reduce(0) { $0 + lambda[$1] }
                for i in corral { lambda[i] /= total }
                x = combination(lambda)
                if corral.count <= 1 { continue major }
            }
        }
        point = x
        weights = lambda
        let xx = Vector.dot(x, x)
        let products = points * x
        let firstOrder = max(0, xx - products.min()!)
        let simplex = abs(lambda.reduce(0, +) - 1) * scale
        let negativity = max(0, -(lambda.min()!)) * scale
        var reconstructed = [Double](repeating: 0, count: d)
        for i in 0..<n where lambda[i] != 0 { Vector.axpy(lambda[i], rows[i], &reconstructed) }
        let mismatch = zip(reconstructed, x).map { abs($0 - $1) }.max() ?? 0
        kktResidual = max(firstOrder, simplex, negativity, mismatch * scale.squareRoot()) / scale
    }
}

/// ℓ2 hard-margin SVM through the origin: w* = argmax_{‖w‖₂=1} minᵢ zᵢᵀw, γ* its margin.
public struct HardMarginSVM: Sendable {
    public let direction: [Double]
    public let margin: Double
    /// Dual weights λ (support vectors: λᵢ > 0), from the min-norm point of conv{zᵢ}.
    public let dualWeights: [Double]
    public let kktResidual: Double

    public init(_ data: SeparableData) throws {
        let mnp = try MinNormPoint(points: data.signedPoints)
        let norm = mnp.norm
        guard norm > 1e-12 else { throw NumericsError.insufficientData("the sample is not strictly separable through the origin (0 ∈ conv{yᵢxᵢ})") }
        guard mnp.kktResidual <= 1e-9 else { throw NumericsError.nonFinite("hard-margin SVM: KKT residual \(mnp.kktResidual) > 1e-9 (min-norm point not optimal)") }
        direction = mnp.point.map { $0 / norm }
        margin = norm
        dualWeights = mnp.weights
        kktResidual = mnp.kktResidual
    }
}
