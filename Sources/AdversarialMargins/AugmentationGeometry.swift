import ClaimCore
import Foundation

/// Geometry of augmentation sets Z = {z_j} ⊂ ℝᵈ (rows of an N×d matrix):
/// h(Z) = min_{‖u‖=1} max_j ⟨u, z_j⟩ is positive iff 0 ∈ int conv(Z), and then it is the inradius of conv(Z) about 0.
public enum AugmentationGeometry {
    /// Whether 0 ∈ conv(Z), decided by Wolfe's min-norm point with a certificate either way: inside ⇒ convex weights λ
    /// with ‖Σλ_j z_j‖ ≤ `zeroTolerance`·max‖z_j‖; outside ⇒ p = argmin with min_j ⟨p, z_j⟩ ≥ ‖p‖² > 0 (a separating
    /// direction, so h(Z) ≤ −‖p‖ < 0). `certified` is false if neither certificate checks out.
    public static func containsOrigin(_ z: Matrix, zeroTolerance: Double = 1e-9) throws -> (inside: Bool, certified: Bool, distance: Double) {
        let mnp = try MinNormPoint(points: z)
        let scale = (0..<z.rows).map { i in Vector.norm((0..<z.columns).map { z[i, $0] }) }.max()!
        let distance = mnp.norm
        if distance <= zeroTolerance * scale {
            return (true, mnp.weights.allSatisfy { $0 >= 0 } && abs(mnp.weights.reduce(0, +) - 1) < 1e-9, distance)
        }
        let products = z * mnp.point
        return (false, products.min()! > 0, distance)
    }

    /// Inradius h(Z) of N = d + 1 points whose hull contains 0 in its interior: the smallest distance from 0 to a facet,
    /// facet k = hyperplane {aᵀz = 1} through all points but z_k (a from a d×d LAPACK solve), distance 1/‖a‖.
    /// Returns h and the unit normal â of the closest facet (the worst-case consistent classifier's normal).
    public static func simplexInradius(_ z: Matrix) throws -> (radius: Double, normal: [Double]) {
        let d = z.columns
        guard z.rows == d + 1 else { throw NumericsError.dimensionMismatch("simplex inradius needs d + 1 = \(d + 1) points, got \(z.rows)") }
        var best = (radius: Double.infinity, normal: [Double]())
        for k in 0...d {
            let facet = Matrix((0...d).filter { $0 != k }.map { i in (0..<d).map { z[i, $0] } })
            let a = try facet.solve([Double](repeating: 1, count: d))
            let norm = Vector.norm(a)
            guard norm.isFinite, norm > 0 else { throw NumericsError.nonFinite("degenerate facet \(k)") }
            if 1 / norm < best.radius { best = (1 / norm, a.map { $0 / norm }) }
        }
        return best
    }

    /// The d + 1 unit vertices of a regular simplex centred at 0 in ℝᵈ: the centred standard basis vectors
    /// e_i − 1/(d+1)·𝟙 of ℝ^{d+1}, written in an orthonormal basis of 𝟙^⊥ (right singular vectors of the centred
    /// matrix, LAPACK `dgesdd`) and scaled to unit norm. Rows of the returned (d+1)×d matrix.
    public static func regularSimplex(dimension d: Int) throws -> Matrix {
        let m = d + 1
        var centred = Matrix(rows: m, columns: m)
        for i in 0..<m { for j in 0..<m { centred[i, j] = (i == j ? 1 : 0) - 1 / Double(m) } }
        let basis = try centred.svd().vt // rows: right singular vectors; the first d span 𝟙^⊥ (σ = 1), the last is 𝟙 (σ = 0)
        let coordinates = try Matrix.product(centred, basis, transposeB: true)
        var vertices = Matrix(rows: m, columns: d)
        for i in 0..<m {
            let row = (0..<d).map { coordinates[i, $0] }
            let norm = Vector.norm(row)
            for k in 0..<d { vertices[i, k] = row[k] / norm }
        }
        return vertices
    }
}
