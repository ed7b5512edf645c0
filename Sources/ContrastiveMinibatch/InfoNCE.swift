@preconcurrency import CLinearAlgebra
import ClaimCore
import Foundation

/// A family 𝒮 of equal-size batches 𝔅 ⊆ [N], stored flat: batch b holds `members[b·size ..< (b+1)·size]`.
public struct BatchFamily: Sendable, Equatable {
    public let sampleCount: Int
    public let size: Int
    public let members: [Int32]
    public var count: Int { members.count / size }

    public init(sampleCount: Int, size: Int, members: [Int32]) {
        precondition(size >= 1 && members.count % size == 0)
        self.sampleCount = sampleCount
        self.size = size
        self.members = members
    }

    /// {[N]}: the full batch.
    public static func full(_ n: Int) -> BatchFamily { BatchFamily(sampleCount: n, size: n, members: (0..<n).map(Int32.init)) }

    /// All C(N, B) subsets of size B, in lexicographic order.
    public static func all(_ n: Int, size b: Int) -> BatchFamily {
        var members: [Int32] = []
        var combination = Array(0..<b)
        while true {
            members += combination.map(Int32.init)
            var i = b - 1
            while i >= 0 && combination[i] == n - b + i { i -= 1 }
            if i < 0 { break }
            combination[i] += 1
            for j in (i + 1)..<b { combination[j] = combination[j - 1] + 1 }
        }
        return BatchFamily(sampleCount: n, size: b, members: members)
    }

    /// A partition of [N] given as a list of batches (0-based indices).
    public static func partition(_ n: Int, _ batches: [[Int]]) -> BatchFamily {
        BatchFamily(sampleCount: n, size: batches[0].count, members: batches.flatMap { $0.map(Int32.init) })
    }

    /// The consecutive partition {0..B−1}, {B..2B−1}, … .
    public static func consecutive(_ n: Int, size b: Int) -> BatchFamily {
        BatchFamily(sampleCount: n, size: b, members: (0..<n).map(Int32.init))
    }
}

/// The symmetric InfoNCE loss of N embedding pairs (uᵢ, vᵢ) on S^{d−1} (τ = 1), with preallocated workspace so
/// that loss and gradient evaluations allocate nothing.
///
/// Embeddings are d×N column-major (column i is uᵢ). Z = UᵀV (dgemm), Zᵢⱼ = uᵢ·vⱼ. For a batch 𝔅 with m = |𝔅|:
///   𝓛(𝔅) = (1/m) Σ_{i∈𝔅} [ −2Zᵢᵢ + ln Σ_{j∈𝔅} e^{Zᵢⱼ} + ln Σ_{j∈𝔅} e^{Zⱼᵢ} ],
///   ∂𝓛(𝔅)/∂Zᵢⱼ = (1/m)(Pᵢⱼ + Qᵢⱼ − 2δᵢⱼ), P the row softmax and Q the column softmax of Z on 𝔅×𝔅.
/// A family objective 𝓛_𝒮 = (1/|𝒮|) Σ_𝔅 𝓛(𝔅) accumulates M = ∂𝓛_𝒮/∂Z; then ∇_U = V·Mᵀ and ∇_V = U·M (dgemm).
public final class InfoNCE: @unchecked Sendable {
    public let sampleCount: Int
    public let dimension: Int
    /// Z = UᵀV, N×N column-major.
    let z: UnsafeMutableBufferPointer<Double>
    /// M = ∂𝓛/∂Z, N×N column-major.
    let dz: UnsafeMutableBufferPointer<Double>
    /// Euclidean gradients ∂𝓛/∂U, ∂𝓛/∂V (d×N).
    public let gradU: UnsafeMutableBufferPointer<Double>
    public let gradV: UnsafeMutableBufferPointer<Double>
    let rowSums: UnsafeMutableBufferPointer<Double>
    let columnSums: UnsafeMutableBufferPointer<Double>

    public init(sampleCount n: Int, dimension d: Int) {
        sampleCount = n
        dimension = d
        func buffer(_ count: Int) -> UnsafeMutableBufferPointer<Double> {
            let b = UnsafeMutableBufferPointer<Double>.allocate(capacity: count)
            b.initialize(repeating: 0)
            return b
        }
        z = buffer(n * n); dz = buffer(n * n); gradU = buffer(d * n); gradV = buffer(d * n)
        rowSums = buffer(n); columnSums = buffer(n)
    }

    deinit {
        for b in [z, dz, gradU, gradV, rowSums, columnSums] { b.deallocate() }
    }

    /// Z ← UᵀV (dgemm).
    public func computeSimilarities(u: UnsafePointer<Double>, v: UnsafePointer<Double>) {
        let n = Int32(sampleCount), d = Int32(dimension)
        cblas_dgemm(CblasColMajor, CblasTrans, CblasNoTrans, n, n, d, 1, u, d, v, d, 0, z.baseAddress!, n)
    }

    /// Zᵢⱼ of the last `computeSimilarities`.
    @inline(__always) public func similarity(_ i: Int, _ j: Int) -> Double { z[i + j * sampleCount] }

    public func clearGradient() { dz.update(repeating: 0) }

    /// 𝓛(𝔅) from the current Z for the batch `family.members[offset ..< offset+size]`; if `weight` ≠ 0, adds
    /// weight·∂𝓛(𝔅)/∂Z into M.
    @inline(__always)
    public func batchLoss(_ members: UnsafeBufferPointer<Int32>, offset: Int, size m: Int, weight: Double) -> Double {
        let n = sampleCount
        var total = 0.0
        for a in 0..<m {
            let i = Int(members[offset + a])
            var row = 0.0, column = 0.0
            for b in 0..<m {
                let j = Int(members[offset + b])
                row += exp(z[i + j * n])
                column += exp(z[j + i * n])
            }
            rowSums[a] = row
            columnSums[a] = column
            total += log(row) + log(column) - 2 * z[i + i * n]
        }
        if weight != 0 {
            let scale = weight / Double(m)
            for b in 0..<m {
                let j = Int(members[offset + b])
                for a in 0..<m {
                    let i = Int(members[offset + a])
                    let e = exp(z[i + j * n])
                    // P_ij = e/rowSum(i), Q_ij = e/columnSum(j)
                    dz[i + j * n] += scale * (e / rowSums[a] + e / columnSums[b] - (i == j ? 2 : 0))
                }
            }
        }
        return total / Double(m)
    }

    /// 𝓛_𝒮 = (1/|𝒮|) Σ_𝔅 𝓛(𝔅) from the current Z; with `gradient`, M ← ∂𝓛_𝒮/∂Z.
    public func familyLoss(_ family: BatchFamily, gradient: Bool) -> Double {
        if gradient { clearGradient() }
        let weight = gradient ? 1 / Double(family.count) : 0
        return family.members.withUnsafeBufferPointer { members in
            var total = 0.0
            for b in 0..<family.count { total += batchLoss(members, offset: b * family.size, size: family.size, weight: weight) }
            return total / Double(family.count)
        }
    }

    /// ∇_U ← V·Mᵀ, ∇_V ← U·M (dgemm).
    public func backpropagate(u: UnsafePointer<Double>, v: UnsafePointer<Double>) {
        let n = Int32(sampleCount), d = Int32(dimension)
        cblas_dgemm(CblasColMajor, CblasNoTrans, CblasTrans, d, n, n, 1, v, d, dz.baseAddress!, n, 0, gradU.baseAddress!, d)
        cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, d, n, n, 1, u, d, dz.baseAddress!, n, 0, gradV.baseAddress!, d)
    }

    /// 𝓛_𝒮(U, V) for unit columns U, V (convenience for non-hot paths).
    public func loss(_ family: BatchFamily, u: [Double], v: [Double]) -> Double {
        u.withUnsafeBufferPointer { u in v.withUnsafeBufferPointer { v in computeSimilarities(u: u.baseAddress!, v: v.baseAddress!) } }
        return familyLoss(family, gradient: false)
    }

    /// (𝓛_𝒮, ∇_U, ∇_V) as arrays (for tests and non-hot paths).
    public func lossAndGradient(_ family: BatchFamily, u: [Double], v: [Double]) -> (loss: Double, gradU: [Double], gradV: [Double]) {
        let value: Double = u.withUnsafeBufferPointer { u in
            v.withUnsafeBufferPointer { v in
                computeSimilarities(u: u.baseAddress!, v: v.baseAddress!)
                let l = familyLoss(family, gradient: true)
                backpropagate(u: u.baseAddress!, v: v.baseAddress!)
                return l
            }
        }
        return (value, Array(gradU), Array(gradV))
    }
}

/// Closed forms of the spec (τ = 1, our normalisation; [D] in the Proofs notes).
public enum ContrastiveClosedForm {
    /// 𝓛 of one batch of size B at a simplex ETF of N points: 2·ln(1 + (B−1)·e^{−N/(N−1)}). B = N gives 𝓛_full*.
    public static func etfBatchLoss(points n: Int, batchSize b: Int) -> Double {
        2 * log(1 + Double(b - 1) * exp(-Double(n) / Double(n - 1)))
    }

    /// 𝓛_full at the cross-polytope (N = 2d): 2·ln(1 + e^{−2} + (N−2)·e^{−1}).
    public static func crossPolytopeFull(points n: Int) -> Double { 2 * log(1 + exp(-2) + Double(n - 2) * exp(-1)) }

    /// 𝓛 over all C(N,2) pairs at the cross-polytope: (2/C(N,2))·[(N/2)·ln(1+e^{−2}) + (C(N,2) − N/2)·ln(1+e^{−1})].
    public static func crossPolytopeAllPairs(points n: Int) -> Double {
        let pairs = Double(n * (n - 1) / 2), antipodal = Double(n / 2)
        return 2 / pairs * (antipodal * log(1 + exp(-2)) + (pairs - antipodal) * log(1 + exp(-1)))
    }

    /// Minimum over a partition into pairs: 2·ln(1 + e^{−2}) (each pair antipodal, u = v).
    public static let pairPartitionMinimum = 2 * log(1 + exp(-2.0))
}

/// Embedding configurations (d×N column-major, unit columns).
public enum Embeddings {
    /// A simplex ETF of N points in ℝᵈ (d ≥ N−1): eᵢ − (1/N)𝟙 in ℝᴺ, rotated into ℝᵈ by an orthonormal basis of
    /// 𝟙^⊥ (from the eigenvectors of the centring matrix, dsyevd), normalised.
    public static func simplexETF(points n: Int, dimension d: Int) throws -> [Double] {
        precondition(d >= n - 1)
        var centring = Matrix.identity(n)
        for i in 0..<n { for j in 0..<n { centring[i, j] -= 1 / Double(n) } }
        let eigen = try centring.symmetricEigen() // eigenvalues 0 (𝟙) then 1 (n−1 times)
        var out = [Double](repeating: 0, count: d * n)
        let scale = (Double(n) / Double(n - 1)).squareRoot()
        for i in 0..<n {
            for k in 0..<(n - 1) { out[k + i * d] = scale * eigen.vectors[i, k + 1] }
        }
        return out
    }

    /// The cross-polytope {±e₁, …, ±e_d}, N = 2d: column 2k = e_k, column 2k+1 = −e_k.
    public static func crossPolytope(dimension d: Int) -> [Double] {
        var out = [Double](repeating: 0, count: d * 2 * d)
        for k in 0..<d { out[k + 2 * k * d] = 1; out[k + (2 * k + 1) * d] = -1 }
        return out
    }

    /// N points uniform on S^{d−1} (`gsl_ran_dir_nd`).
    public static func random(points n: Int, dimension d: Int, random: RandomStream) -> [Double] {
        (0..<n).flatMap { _ in random.unitSphere(dimension: d) }
    }

    /// Normalises every column of a d×N matrix in place.
    public static func normaliseColumns(_ x: inout [Double], dimension d: Int) {
        let n = x.count / d
        x.withUnsafeMutableBufferPointer { p in
            for i in 0..<n {
                let norm = cblas_dnrm2(Int32(d), p.baseAddress! + i * d, 1)
                cblas_dscal(Int32(d), 1 / norm, p.baseAddress! + i * d, 1)
            }
        }
    }

    /// The N×N Gram-type matrix AᵀB (dgemm).
    public static func crossGram(_ a: [Double], _ b: [Double], dimension d: Int) throws -> Matrix {
        try Matrix.product(Matrix(rows: d, columns: a.count / d, elements: a), transposeA: true, Matrix(rows: d, columns: b.count / d, elements: b))
    }

    /// max |Gᵢⱼ − target(i, j)| over all entries.
    public static func maxDeviation(_ g: Matrix, _ target: (Int, Int) -> Double) -> Double {
        var worst = 0.0
        for j in 0..<g.columns { for i in 0..<g.rows { worst = max(worst, abs(g[i, j] - target(i, j))) } }
        return worst
    }

    /// The ETF target: 1 on the diagonal, −1/(N−1) elsewhere.
    public static func etfTarget(points n: Int) -> (Int, Int) -> Double { { i, j in i == j ? 1 : -1 / Double(n - 1) } }

    /// Deviation of a Gram matrix from the cross-polytope pattern (up to labelling): every row has diagonal 1, one
    /// off-diagonal entry −1 (its antipode, mutual) and 0 elsewhere. Returns max |entry − pattern| after matching
    /// each row's antipode to its smallest entry.
    public static func crossPolytopeDeviation(_ g: Matrix) -> Double {
        let n = g.rows
        var worst = 0.0
        for i in 0..<n {
            var antipode = i == 0 ? 1 : 0
            for j in 0..<n where j != i && g[i, j] < g[i, antipode] { antipode = j }
            for j in 0..<n {
                let target: Double = j == i ? 1 : (j == antipode ? -1 : 0)
                worst = max(worst, abs(g[i, j] - target))
            }
        }
        return worst
    }
}
