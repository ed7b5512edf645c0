import ClaimCore
import Foundation

extension MultiPrecision: TransformerScalar {}

/// Newton–Schulz through the Lemma 4.1 layers in MPFR: the instances of `newton.schulz-steps-to-accuracy`.
///
/// A = U diag(s) Vᵀ with s₀ = σ_max = 1, s_{d−1} = σ_min = 1/κ (computed at `bits`), the others log-spaced in
/// between (exact Doubles); U and V are products of d Householder reflections I − 2vvᵀ/(vᵀv) of Gaussian v,
/// orthogonal to working precision, so ρ₀ is known to working precision too.
struct SchulzMultiPrecision: Sendable {
    let dimension: Int
    let bits: Int
    let construction: NewtonStepConstruction
    let transposeLayer: TransformerLayer<MultiPrecision>
    let newtonLayer: TransformerLayer<MultiPrecision>
    /// 2 (Newton–Schulz through the layers) or 3 (the order-3 method written into the iterate block: a control).
    let order: Int

    init(dimension d: Int, bits: Int, perturbed: Bool, order: Int) {
        self.dimension = d
        self.bits = bits
        self.order = order
        construction = NewtonStepConstruction(dimension: d)
        transposeLayer = construction.transposeLayer()
        var newton: TransformerLayer<MultiPrecision> = construction.newtonLayer()
        if perturbed {
            let o = construction.iterate.offset
            newton.heads[1].valueWeight[o, o] = newton.heads[1].valueWeight[o, o] + MultiPrecision(1e-3, precision: bits)
        }
        newtonLayer = newton
    }

    /// α* = 2/(σ_max² + σ_min²) and log₂ρ₀ with ρ₀ = (1 − σ_min²)/(1 + σ_min²), at `bits`.
    func spectrum(condition kappa: Double) -> (alpha: MultiPrecision, log2Rho: Double) {
        let low = MultiPrecision.one / MultiPrecision(kappa, precision: bits)
        let low2 = low * low
        let alpha = MultiPrecision(2) / (MultiPrecision.one + low2)
        // log₂ in MPFR: ρ₀ = 1 − O(κ⁻²) is close to 1, where a Double log₂ of the mantissa loses ~log₂κ² bits.
        return (alpha, ((MultiPrecision.one - low2) / (MultiPrecision.one + low2)).log2)
    }

    /// k*(ε) = ⌈log₂(log₂ε / log₂ρ₀)⌉.
    func predictedSteps(epsilon: Double, log2Rho: Double) -> Int {
        max(0, Int(log2(log2(epsilon) / log2Rho).rounded(.up)))
    }

    /// log₂‖I − X_kA‖₂ for k = 0…steps, X₀ = αAᵀ, the iterate advanced by the transformer's Newton layer.
    /// With `throughLayers` false the plain iteration X(2I − AX) advances the iterate (same arithmetic, ~10× cheaper;
    /// used for the α grid of the necessity check, which is about the method, not the layers).
    func trajectory(condition kappa: Double, alpha: MultiPrecision, steps: Int, random: RandomStream, throughLayers: Bool = true) throws -> SchulzStepsToAccuracy.Trajectory {
        let d = dimension
        var s = (0..<d).map { MultiPrecision(pow(kappa, -Double($0) / Double(d - 1)), precision: bits) }
        s[0] = .one
        s[d - 1] = MultiPrecision.one / MultiPrecision(kappa, precision: bits)
        var diagonal = DenseMatrix<MultiPrecision>(rows: d, columns: d)
        for i in 0..<d { diagonal[i, i] = s[i] }
        let a = householderProduct(random) * diagonal * householderProduct(random).transposed
        var h = transposeLayer.apply(construction.prompt(matrix: a, start: alpha * a.transposed))
        var norms: [Double] = []
        for k in 0...steps {
            let x = construction.readIterate(h)
            norms.append(try log2SpectralNorm(NewtonSchulz.residual(x, a)))
            guard k < steps else { break }
            if order == 2 && !throughLayers {
                h.setBlock(NewtonSchulz.step(x, a, order: 2), rowOffset: construction.iterate.offset)
            } else if order == 2 {
                h = newtonLayer.apply(h)
            } else {
                h.setBlock(NewtonSchulz.step(x, a, order: order), rowOffset: construction.iterate.offset)
            }
        }
        return .init(log2Norms: norms)
    }

    /// Q = H₁⋯H_d, H_j = I − 2vvᵀ/(vᵀv) with Gaussian v (exact Doubles).
    func householderProduct(_ random: RandomStream) -> DenseMatrix<MultiPrecision> {
        var q = DenseMatrix<MultiPrecision>.identity(dimension)
        for _ in 0..<dimension {
            let v = DenseMatrix<MultiPrecision>(rows: dimension, columns: 1, elements: random.gaussians(dimension).map { MultiPrecision($0, precision: bits) })
            let norm2 = v.elements.reduce(MultiPrecision.zero) { $0 + $1 * $1 }
            q = q - (MultiPrecision(2) / norm2) * ((q * v) * v.transposed)
        }
        return q
    }
}

/// log₂‖M‖₂ of a multiprecision matrix: M is scaled by a power of two so that its largest entry lies in [1/2, 1),
/// rounded to Double and its largest singular value taken by LAPACK (relative error ≈ 1e-15 however small ‖M‖).
func log2SpectralNorm(_ m: DenseMatrix<MultiPrecision>) throws -> Double {
    let e = m.elements.map(\.exponent).max()!
    if e == .min { return -.infinity }
    let scaled = Matrix(rows: m.rows, columns: m.columns, elements: m.elements.map { $0.scaled(byPowerOfTwo: -e).doubleValue })
    return Double(e) + log2(try scaled.spectralNorm())
}
