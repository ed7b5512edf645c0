import ClaimCore
import Foundation

/// The pointwise nonlinearity of a network (and of its limiting kernel).
public enum Activation: String, Sendable, CaseIterable {
    case relu, tanh, identity

    @inlinable func value(_ z: Double) -> Double {
        switch self {
        case .relu: return z > 0 ? z : 0
        case .tanh: return Foundation.tanh(z)
        case .identity: return z
        }
    }

    /// σ'(z), with σ'(0) := 0 for ReLU.
    @inlinable func derivative(_ z: Double) -> Double {
        switch self {
        case .relu: return z > 0 ? 1 : 0
        case .tanh: let t = Foundation.tanh(z); return 1 - t * t
        case .identity: return 1
        }
    }
}

/// The limiting NNGP kernel Σ^{L+1} and neural tangent kernel Θ^{L+1} of a network with L hidden layers in Jacot's
/// parametrization (JGH18 Prop. 1, Thm. 1), on inputs with first-layer covariance Σ¹ = XXᵀ/d + β²:
///
///   Σ^{l+1} = E_{(u,v)~N(0,Λ^l)}[σ(u)σ(v)] + β²,  Σ̇^{l+1} = E[σ'(u)σ'(v)],  Θ^{l+1} = Θ^l ⊙ Σ̇^{l+1} + Σ^{l+1},
///
/// with the ReLU closed forms (half of Cho–Saul's arc-cosine kernels k₁, k₀), θ = arccos(c/√(q₁q₂)):
///   E[σ(u)σ(v)] = (√(q₁q₂ − c²) + (π − θ)c)/(2π),  E[σ'(u)σ'(v)] = (π − θ)/(2π);
/// for σ(z) = z: E[σσ] = c, E[σ'σ'] = 1.
public struct ArcCosineNTK: Sendable {
    /// Deliberate mistakes for the negative controls.
    public enum Variant: Sendable {
        /// The recursion as stated.
        case exact
        /// Θ^l ⊙ Σ̇^{l+1} dropped: the NNGP kernel Σ^{L+1} is returned as "the NTK".
        case withoutDerivativeTerm
        /// Cho–Saul's normalisation without the ½: E[σσ] = k₁, E[σ'σ'] = (π − θ)/π.
        case cs09Normalisation
    }

    public let layers: Int
    public let beta: Double
    public let activation: Activation
    public let variant: Variant

    public init(layers: Int, beta: Double = 0, activation: Activation = .relu, variant: Variant = .exact) {
        precondition(activation != .tanh, "no closed form for tanh")
        self.layers = layers
        self.beta = beta
        self.activation = activation
        self.variant = variant
    }

    /// (Θ, Σ) on the Gram matrix G = XXᵀ/d of the inputs (n×n, symmetric).
    public func kernels(inputGram g: Matrix) -> (ntk: Matrix, nngp: Matrix) {
        let n = g.rows, b2 = beta * beta
        var sigma = g
        for k in 0..<sigma.elements.count { sigma.elements[k] += b2 }
        var theta = sigma
        let scale = variant == .cs09Normalisation ? 2.0 : 1.0
        for _ in 0..<layers {
            var next = sigma, dot = sigma
            for j in 0..<n {
                for i in 0..<n {
                    let q1 = sigma[i, i], q2 = sigma[j, j], c = sigma[i, j]
                    switch activation {
                    case .identity:
                        next[i, j] = c + b2; dot[i, j] = 1
                    default:
                        let s = (q1 * q2).squareRoot()
                        let angle = acos(min(1, max(-1, c / s)))
                        next[i, j] = scale * ((max(q1 * q2 - c * c, 0)).squareRoot() + (Double.pi - angle) * c) / (2 * Double.pi) + b2
                        dot[i, j] = scale * (Double.pi - angle) / (2 * Double.pi)
                    }
                }
            }
            for k in 0..<theta.elements.count {
                theta.elements[k] = variant == .withoutDerivativeTerm ? next.elements[k] : theta.elements[k] * dot.elements[k] + next.elements[k]
            }
            sigma = next
        }
        return (theta, sigma)
    }

    /// Θ on inputs given as the rows of X (n×d): Gram XXᵀ/d through dgemm.
    public func ntk(_ x: Matrix) throws -> Matrix { kernels(inputGram: try inputGram(x)).ntk }

    /// Θ(u) for two inputs on the √d-sphere at cos γ = u (the 2×2 Gram [[1, u], [u, 1]]).
    public func ntk(cosine u: Double) -> Double { kernels(inputGram: Matrix([[1, u], [u, 1]])).ntk[0, 1] }
}

/// XXᵀ/d for inputs as the rows of X (dgemm), symmetrised.
func inputGram(_ x: Matrix) throws -> Matrix {
    var g = try Matrix.product(x, x, transposeB: true)
    let d = Double(x.columns)
    for j in 0..<g.columns { for i in 0...j { let s = (g[i, j] + g[j, i]) / (2 * d); g[i, j] = s; g[j, i] = s } }
    return g
}
