@preconcurrency import CLinearAlgebra
import ClaimCore
import Foundation

/// Closed-form worst-case perturbations of a homogeneous linear classifier under a decreasing loss ℓ:
///
///   max_{‖δ‖≤ε} ℓ(y wᵀ(x + δ)) = ℓ(y wᵀx − ε‖w‖_*),  attained at δ* = −ε y ∂‖w‖_*,
///
/// ℓ2 ball: δ* = −ε y w/‖w‖₂ (dual norm ℓ2); ℓ∞ ball: δ* = −ε y sign(w) (dual norm ℓ1).
public enum PerturbationNorm: String, Sendable, CaseIterable {
    case l2, lInfinity

    /// ‖w‖_*.
    public func dualNorm(_ w: [Double]) -> Double {
        switch self {
        case .l2: return Vector.norm(w)
        case .lInfinity: return cblas_dasum(Int32(w.count), w, 1)
        }
    }

    /// δ* for label y (±1) and radius ε. At w = 0 every δ is optimal; δ* = 0 is returned.
    public func worstPerturbation(_ w: [Double], label y: Double, radius epsilon: Double) -> [Double] {
        switch self {
        case .l2:
            let norm = Vector.norm(w)
            return norm == 0 ? w.map { _ in 0 } : w.map { -epsilon * y * $0 / norm }
        case .lInfinity:
            return w.map { $0 > 0 ? -epsilon * y : ($0 < 0 ? epsilon * y : 0) }
        }
    }
}

/// The exponential loss ℓ(u) = e^{−u} of the functional margin u = y wᵀx.
@inline(__always) func exponentialLoss(_ u: Double) -> Double { exp(-u) }

/// Robust empirical risk of the exponential loss in the ℓ2 ball of radius ε:
/// L_rob(w) = (1/n) Σᵢ exp(−(zᵢᵀw − ε‖w‖₂)).
public func robustRisk(_ data: SeparableData, _ w: [Double], radius epsilon: Double) -> Double {
    let shift = epsilon * Vector.norm(w)
    let u = data.margins(w)
    return u.reduce(0) { $0 + exponentialLoss($1 - shift) } / Double(data.count)
}

/// Which inputs a gradient step trains on.
public enum TrainingInputs: String, Sendable {
    /// Plain GD on the clean points.
    case clean
    /// Adversarial training: the worst-case ℓ2 points xᵢ + δᵢ*(w_t), δᵢ* = −ε yᵢ w_t/‖w_t‖ (δ* = 0 at w = 0).
    case worstCase = "worst-case"
    /// The deliberately wrong sign, δᵢ = +ε yᵢ w_t/‖w_t‖ (the easiest points of the ball).
    case wrongSign = "wrong-sign"
}

/// Full-batch gradient descent on the exponential loss of homogeneous linear classifiers, with clean or perturbed
/// inputs, from w₀ = 0 with constant step η.
///
/// One step: u = Z w (dgemv), eᵢ = exp(−(uᵢ + s ε‖w‖))/n with s = −1 (worst case), +1 (wrong sign) or 0 (clean), and
/// by Danskin's theorem the (sub)gradient of (1/n)Σℓ(zᵢᵀw + sε‖w‖) is −Zᵀe − sε(Σe) w/‖w‖, so
///   w ← (1 + η s ε Σe/‖w‖)·w + η·Zᵀe    (one dgemv with β = 1 + η s ε Σe/‖w‖).
/// No allocation per step: the buffers are allocated once per run.
public struct ExponentialLossGD: Sendable {
    public let data: SeparableData
    public let inputs: TrainingInputs
    public let radius: Double
    public let stepSize: Double

    public init(data: SeparableData, inputs: TrainingInputs, radius: Double, stepSize: Double) {
        self.data = data
        self.inputs = inputs
        self.radius = radius
        self.stepSize = stepSize
    }

    /// Runs up to `iterations` steps. Before every step t ≥ 1 (i.e. at w_t) calls
    /// `observe(t, zᵀw_t (n values), ‖w_t‖₂, w_t)`; returning true stops the run. Returns the final iterate.
    @discardableResult
    public func run(iterations: Int, observe: (Int, UnsafeBufferPointer<Double>, Double, UnsafeBufferPointer<Double>) -> Bool) -> [Double] {
        let n = data.count, d = data.dimension
        let sign: Double = switch inputs { case .clean: 0; case .worstCase: -1; case .wrongSign: 1 }
        var w = [Double](repeating: 0, count: d)
        var u = [Double](repeating: 0, count: n)
        let inverseCount = 1 / Double(n)
        data.signedPoints.elements.withUnsafeBufferPointer { z in
            w.withUnsafeMutableBufferPointer { wp in
                u.withUnsafeMutableBufferPointer { up in
                    for t in 0...iterations {
                        cblas_dgemv(CblasColMajor, CblasNoTrans, Int32(n), Int32(d), 1, z.baseAddress, Int32(n), wp.baseAddress, 1, 0, up.baseAddress, 1)
                        let norm = cblas_dnrm2(Int32(d), wp.baseAddress, 1)
                        if t >= 1 && observe(t, UnsafeBufferPointer(up), norm, UnsafeBufferPointer(wp)) { return }
                        if t == iterations { return }
                        let shift = sign * radius * norm
                        var total = 0.0
                        for i in 0..<n {
                            let e = exp(-(up[i] + shift)) * inverseCount
                            up[i] = e
                            total += e
                        }
                        let beta = norm > 0 ? 1 + stepSize * sign * radius * total / norm : 1
                        cblas_dgemv(CblasColMajor, CblasTrans, Int32(n), Int32(d), stepSize, z.baseAddress, Int32(n), up.baseAddress, 1, beta, wp.baseAddress, 1)
                    }
                }
            }
        }
        return w
    }
}

/// Smallest entry of a buffer.
@inline(__always) func minimum(_ values: UnsafeBufferPointer<Double>) -> Double {
    var m = Double.infinity
    for v in values where v < m { m = v }
    return m
}
