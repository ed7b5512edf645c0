@preconcurrency import CLinearAlgebra
import ClaimCore
import Foundation

/// δ-separated point sets on the unit sphere S^{d−1} ⊂ ℝᵈ, returned as n × d matrices (row i = point i).
public enum PointSet: String, Sendable, CaseIterable {
    /// Uniform points, rejection-sampled until every pairwise distance is ≥ δ.
    case uniform
    /// An arc of a random great circle with adjacent spacing exactly δ (up to ⌈n/2⌉ points, at most ⌊2π/θ⌋),
    /// topped up with uniform δ-separated points: n/2 pairs sit at the minimum distance.
    case arc
    /// Adversarial clusters: a few random centres, each grown by steps of length δ(1 + U/20) in random tangent
    /// directions, keeping a point only if it is ≥ δ from all others — many pairs at distance ≈ δ.
    case clustered

    public func sample(count n: Int, dimension d: Int, separation delta: Double, random: RandomStream) throws -> Matrix {
        var accepted = AcceptedPoints(dimension: d, separation: delta, capacity: n)
        switch self {
        case .uniform: break
        case .arc:
            let theta = MemorizationConstruction.angle(separation: delta)
            let basis = try random.orthogonalMatrix(d)
            let u = basis.column(0), v = basis.column(1)
            let onArc = min((n + 1) / 2, Int((2 * Double.pi / theta).rounded(.down)))
            for i in 0..<onArc {
                let phi = Double(i) * theta
                accepted.force((0..<d).map { cos(phi) * u[$0] + sin(phi) * v[$0] })
            }
        case .clustered:
            let clusters = max(1, min(8, n / 16))
            var pools: [[Int]] = []
            while pools.count < clusters {
                if accepted.tryAdd(random.unitSphere(dimension: d)) { pools.append([accepted.count - 1]) }
            }
            var attempts = 0
            while accepted.count < n {
                attempts += 1
                if attempts > 200 * n { throw ConstructionError(stage: "clustered point set", detail: "could not place \(n) points") }
                let c = random.index(below: clusters)
                let base = accepted.point(pools[c][random.index(below: pools[c].count)])
                let direction = random.gaussians(d)
                let along = Vector.dot(direction, base)
                let tangent = zip(direction, base).map { $0 - along * $1 }
                let norm = Vector.norm(tangent)
                guard norm > 0 else { continue }
                let angle = 2 * asin(min(1, delta * (1 + random.uniform() / 20) / 2))
                let candidate = zip(base, tangent).map { cos(angle) * $0 + sin(angle) * $1 / norm }
                if accepted.tryAdd(candidate) { pools[c].append(accepted.count - 1) }
            }
        }
        var attempts = 0
        while accepted.count < n {
            attempts += 1
            if attempts > 1000 * n { throw ConstructionError(stage: "\(rawValue) point set", detail: "could not place \(n) points δ = \(delta) apart in d = \(d)") }
            _ = accepted.tryAdd(random.unitSphere(dimension: d))
        }
        return accepted.matrix
    }
}

/// Points accepted so far (row-major), with the distance test ‖x − y‖ ≥ δ ⟺ xᵀy ≤ 1 − δ²/2 done by dgemv.
struct AcceptedPoints {
    let dimension: Int
    let maxInner: Double
    var rows: [Double] = []
    var scratch: [Double]

    init(dimension: Int, separation delta: Double, capacity: Int) {
        self.dimension = dimension
        maxInner = 1 - delta * delta / 2
        scratch = [Double](repeating: 0, count: capacity)
        rows.reserveCapacity(capacity * dimension)
    }

    var count: Int { rows.count / dimension }

    func point(_ i: Int) -> [Double] { Array(rows[(i * dimension)..<((i + 1) * dimension)]) }

    mutating func force(_ x: [Double]) {
        rows.append(contentsOf: x)
    }

    mutating func tryAdd(_ x: [Double]) -> Bool {
        let norm = Vector.norm(x)
        let unit = x.map { $0 / norm }
        let k = count
        if k > 0 {
            if scratch.count < k { scratch += [Double](repeating: 0, count: k) }
            cblas_dgemv(CblasRowMajor, CblasNoTrans, Int32(k), Int32(dimension), 1, rows, Int32(dimension), unit, 1, 0, &scratch, 1)
            for i in 0..<k where scratch[i] > maxInner { return false }
        }
        rows.append(contentsOf: unit)
        return true
    }

    var matrix: Matrix {
        let n = count
        var m = Matrix(rows: n, columns: dimension)
        for i in 0..<n { for j in 0..<dimension { m.elements[i + j * n] = rows[i * dimension + j] } }
        return m
    }
}

/// min_{i≠j} ‖x_i − x_j‖ for unit rows, from the Gram matrix computed by dgemm in blocks of rows.
public func minimumDistance(_ points: Matrix) throws -> Double {
    let n = points.rows
    var largest = -Double.infinity
    let block = 256
    var start = 0
    while start < n {
        let rows = min(block, n - start)
        var slice = Matrix(rows: rows, columns: points.columns)
        for j in 0..<points.columns { for i in 0..<rows { slice.elements[i + j * rows] = points.elements[start + i + j * n] } }
        let gram = try Matrix.product(slice, points, transposeB: true)
        for j in 0..<n { for i in 0..<rows where start + i != j { largest = max(largest, gram.elements[i + j * rows]) } }
        start += rows
    }
    return (max(0, 2 - 2 * largest)).squareRoot()
}

/// n points at angles 2πi/n on a random great circle of S^{d−1} (adjacent distance 2·sin(π/n)).
public func greatCircle(count n: Int, dimension d: Int, random: RandomStream) throws -> Matrix {
    let basis = try random.orthogonalMatrix(d)
    let u = basis.column(0), v = basis.column(1)
    var m = Matrix(rows: n, columns: d)
    for i in 0..<n {
        let phi = 2 * Double.pi * Double(i) / Double(n)
        for j in 0..<d { m.elements[i + j * n] = cos(phi) * u[j] + sin(phi) * v[j] }
    }
    return m
}
