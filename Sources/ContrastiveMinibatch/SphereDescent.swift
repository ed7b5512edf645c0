@preconcurrency import CLinearAlgebra
import ClaimCore

/// Riemannian gradient descent on (S^{d−1})^{2N} for a family objective 𝓛_𝒮(U, V).
///
/// Step: rᵢ = gᵢ − (gᵢ·uᵢ)uᵢ (tangent projection of the Euclidean gradient), uᵢ ← (uᵢ − η rᵢ)/‖uᵢ − η rᵢ‖ (the
/// projection retraction), the same for V. η adapts: ×1.5 after an accepted step, ×½ until the Armijo condition
/// 𝓛(new) ≤ 𝓛 − 10⁻⁴·η‖r‖² holds up to a rounding allowance of 10⁻¹⁵·|𝓛|. Stops when ‖r‖ ≤ `gradientTolerance`.
public struct SphereDescent: Sendable {
    public let gradientTolerance: Double
    public let maxIterations: Int

    public init(gradientTolerance: Double = 1e-11, maxIterations: Int = 20_000) {
        self.gradientTolerance = gradientTolerance
        self.maxIterations = maxIterations
    }

    public struct Outcome: Sendable {
        public let loss: Double
        public let gradientNorm: Double
        public let iterations: Int
    }

    /// Minimises 𝓛_𝒮 from unit columns `u`, `v` (d×N), in place.
    ///
    /// Once 𝓛 no longer resolves the decrease (|Δ𝓛| ≤ 10⁻¹⁴·|𝓛|, gradient ≈ 10⁻⁸), a step is accepted if it lowers
    /// the Riemannian gradient norm instead: the gradient is computed to full relative precision, the loss is not.
    public func minimise(_ family: BatchFamily, u: inout [Double], v: inout [Double], dimension d: Int) -> Outcome {
        let n = family.sampleCount
        let model = InfoNCE(sampleCount: n, dimension: d)
        var trialU = u, trialV = v
        var tangentU = [Double](repeating: 0, count: d * n), tangentV = tangentU, trialTangentU = tangentU, trialTangentV = tangentU
        var step = 1.0
        var iterations = 0
        var loss = 0.0, gradientNorm = Double.infinity
        u.withUnsafeMutableBufferPointer { u in
        v.withUnsafeMutableBufferPointer { v in
        trialU.withUnsafeMutableBufferPointer { tu in
        trialV.withUnsafeMutableBufferPointer { tv in
        tangentU.withUnsafeMutableBufferPointer { ru in
        tangentV.withUnsafeMutableBufferPointer { rv in
        trialTangentU.withUnsafeMutableBufferPointer { tru in
        trialTangentV.withUnsafeMutableBufferPointer { trv in
            model.computeSimilarities(u: u.baseAddress!, v: v.baseAddress!)
            loss = model.familyLoss(family, gradient: true)
            model.backpropagate(u: u.baseAddress!, v: v.baseAddress!)
            var squared = Self.project(model.gradU, onto: u, into: ru, d: d, n: n) + Self.project(model.gradV, onto: v, into: rv, d: d, n: n)
            gradientNorm = squared.squareRoot()
            while iterations < maxIterations && gradientNorm > gradientTolerance {
                iterations += 1
                var accepted = false
                for _ in 0..<80 {
                    Self.retract(u, ru, step, into: tu, d: d, n: n)
                    Self.retract(v, rv, step, into: tv, d: d, n: n)
                    model.computeSimilarities(u: tu.baseAddress!, v: tv.baseAddress!)
                    let trial = model.familyLoss(family, gradient: true)
                    model.backpropagate(u: tu.baseAddress!, v: tv.baseAddress!)
                    let trialSquared = Self.project(model.gradU, onto: tu, into: tru, d: d, n: n) + Self.project(model.gradV, onto: tv, into: trv, d: d, n: n)
                    let armijo = trial <= loss - 1e-4 * step * squared
                    let unresolved = abs(trial - loss) <= 1e-14 * abs(loss) && trialSquared < squared
                    if armijo || unresolved {
                        accepted = true
                        loss = trial
                        squared = trialSquared
                        break
                    }
                    step *= 0.5
                }
                if !accepted { break }
                u.baseAddress!.update(from: tu.baseAddress!, count: d * n)
                v.baseAddress!.update(from: tv.baseAddress!, count: d * n)
                ru.baseAddress!.update(from: tru.baseAddress!, count: d * n)
                rv.baseAddress!.update(from: trv.baseAddress!, count: d * n)
                gradientNorm = squared.squareRoot()
                step = min(step * 1.5, 1e3)
            }
        }}}}}}}}
        return Outcome(loss: loss, gradientNorm: gradientNorm, iterations: iterations)
    }

    /// r ← g − (g·x)x column by column; returns ‖r‖².
    @inline(__always)
    static func project(_ g: UnsafeMutableBufferPointer<Double>, onto x: UnsafeMutableBufferPointer<Double>, into r: UnsafeMutableBufferPointer<Double>, d: Int, n: Int) -> Double {
        var total = 0.0
        for i in 0..<n {
            let gi = g.baseAddress! + i * d, xi = x.baseAddress! + i * d, ri = r.baseAddress! + i * d
            let radial = cblas_ddot(Int32(d), gi, 1, xi, 1)
            ri.update(from: gi, count: d)
            cblas_daxpy(Int32(d), -radial, xi, 1, ri, 1)
            total += cblas_ddot(Int32(d), ri, 1, ri, 1)
        }
        return total
    }

    /// out ← normalise(x − η r) column by column.
    @inline(__always)
    static func retract(_ x: UnsafeMutableBufferPointer<Double>, _ r: UnsafeMutableBufferPointer<Double>, _ step: Double, into out: UnsafeMutableBufferPointer<Double>, d: Int, n: Int) {
        out.baseAddress!.update(from: x.baseAddress!, count: d * n)
        cblas_daxpy(Int32(d * n), -step, r.baseAddress!, 1, out.baseAddress!, 1)
        for i in 0..<n {
            let oi = out.baseAddress! + i * d
            cblas_dscal(Int32(d), 1 / cblas_dnrm2(Int32(d), oi, 1), oi, 1)
        }
    }
}
