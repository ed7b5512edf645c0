@preconcurrency import CLinearAlgebra
import ClaimCore
import Foundation

/// No δ-separated point set of the requested kind was found within the attempt cap: the parameters ask for more points
/// than the sampler can place (or than fit on the sphere). A configuration problem, never a falsification.
public struct PointSetUnavailable: Error, CustomStringConvertible {
    public let kind: String
    public let n: Int, dimension: Int, separation: Double
    public let attempts: Int
    public var description: String {
        "no \(kind) point set with these parameters after \(attempts) attempts: n = \(n) points δ = \(separation) apart on the unit sphere in d = \(dimension)"
    }
}

/// δ-separated point sets on the unit sphere S^{d−1} ⊂ ℝᵈ, returned as n × d matrices (row i = point i).
///
/// Every sampling loop is capped (`attemptsPerPoint`·n draws); past the cap `sample` throws `PointSetUnavailable`.
public enum PointSet: String, Sendable, CaseIterable {
    /// Uniform points, rejection-sampled until every pairwise distance is ≥ δ.
    case uniform
    /// An arc of a random great circle with adjacent spacing exactly δ (up to ⌈n/2⌉ points, at most ⌊2π/θ⌋),
    /// topped up with uniform δ-separated points: n/2 pairs sit at the minimum distance.
    case arc
    /// Adversarial clusters: a few random centres, each grown by steps of length δ(1 + U/20) in random tangent
    /// directions, keeping a point only if it is ≥ δ from all others — many pairs at distance ≈ δ.
    case clustered
    /// n points of a random great circle at adjacent spacing exactly δ (needs n·θ ≤ 2π): every adjacent pair sits at
    /// the minimum distance; a 2-dimensional great sphere inside ℝᵈ.
    case circle
    /// A lattice on a Clifford torus in a random 4-dimensional subspace (needs d ≥ 4):
    /// x_ij = (cos(is)u + sin(is)v + cos(js)w + sin(js)z)/√2 with s = 2·arcsin(δ/√2), K = ⌊2π/s⌋ steps per circle,
    /// filled row by row (needs n ≤ K²). ‖x_ij − x_i'j'‖² = (1 − cos((i−i')s)) + (1 − cos((j−j')s)), so grid neighbours
    /// sit at exactly δ and every other pair at ≥ δ — a spherical code at the minimum separation.
    case torus

    /// Draws tried per requested point before a sampler gives up.
    public static let attemptsPerPoint = 1000

    /// The largest n a kind can hold in closed form (circle, torus), or nil (samplers; bounded by `packingBound`).
    public func capacity(dimension d: Int, separation delta: Double) -> Int? {
        switch self {
        case .circle: return Int((2 * Double.pi / MemorizationConstruction.angle(separation: delta) + 1e-9).rounded(.down))
        case .torus:
            guard d >= 4, delta < 2.squareRoot() else { return 0 }
            let k = Int((2 * Double.pi / Self.torusStep(delta) + 1e-9).rounded(.down))
            return k * k
        default: return nil
        }
    }

    /// s = 2·arcsin(δ/√2): the torus angle step giving grid neighbours at distance exactly δ.
    static func torusStep(_ delta: Double) -> Double { 2 * asin(min(1, delta / 2.squareRoot())) }

    public func sample(count n: Int, dimension d: Int, separation delta: Double, random: RandomStream) throws -> Matrix {
        var accepted = AcceptedPoints(dimension: d, separation: delta, capacity: n)
        let cap = Self.attemptsPerPoint * n
        let unavailable = PointSetUnavailable(kind: rawValue, n: n, dimension: d, separation: delta, attempts: cap)
        if let capacity = capacity(dimension: d, separation: delta), n > capacity { throw unavailable }
        switch self {
        case .uniform: break
        case .circle:
            let theta = MemorizationConstruction.angle(separation: delta)
            let basis = try random.orthogonalMatrix(d)
            let u = basis.column(0), v = basis.column(1)
            for i in 0..<n { accepted.force((0..<d).map { cos(Double(i) * theta) * u[$0] + sin(Double(i) * theta) * v[$0] }) }
        case .torus:
            let s = Self.torusStep(delta)
            let k = Int((2 * Double.pi / s + 1e-9).rounded(.down))
            let columns = min(k, Int(Double(n).squareRoot().rounded(.up)))
            let basis = try random.orthogonalMatrix(d)
            let (u, v, w, z) = (basis.column(0), basis.column(1), basis.column(2), basis.column(3))
            let r = 0.5.squareRoot()
            for index in 0..<n {
                let a = Double(index / columns) * s, b = Double(index % columns) * s
                accepted.force((0..<d).map { r * (cos(a) * u[$0] + sin(a) * v[$0] + cos(b) * w[$0] + sin(b) * z[$0]) })
            }
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
            var attempts = 0
            while pools.count < clusters {
                attempts += 1
                if attempts > cap { throw unavailable }
                if accepted.tryAdd(random.unitSphere(dimension: d)) { pools.append([accepted.count - 1]) }
            }
            attempts = 0
            while accepted.count < n {
                attempts += 1
                if attempts > cap { throw unavailable }
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
            if attempts > cap { throw unavailable }
            _ = accepted.tryAdd(random.unitSphere(dimension: d))
        }
        return accepted.matrix
    }

    /// Cap-packing bound: at most 1/σ(θ/2) points of S^{d−1} are pairwise ≥ δ apart, where σ(α) is the fraction of the
    /// sphere in a cap of angular radius α, σ(α) = ½·I_{sin²α}((d−1)/2, ½) for α ≤ π/2 (GSL's regularised incomplete
    /// beta). In d = 2 the bound is exact: ⌊2π/θ⌋.
    public static func packingBound(dimension d: Int, separation delta: Double) -> Double {
        let theta = MemorizationConstruction.angle(separation: delta)
        if d == 2 { return (2 * Double.pi / theta + 1e-9).rounded(.down) }
        let half = theta / 2
        let fraction = 0.5 * gsl_cdf_beta_P(pow(sin(half), 2), Double(d - 1) / 2, 0.5)
        return fraction > 0 ? (1 / fraction).rounded(.down) : .infinity
    }

    /// Whether n δ-separated points can exist on S^{d−1} (the setting's hypothesis), and for a sampled kind a trial
    /// draw with a fixed seed finds them within the attempt cap: nil, or a one-line problem.
    public static func feasibilityProblem(kinds: [PointSet], n: Int, dimension d: Int, separation delta: Double) -> String? {
        let bound = packingBound(dimension: d, separation: delta)
        if Double(n) > bound {
            return "no \(n) points δ = \(delta) apart exist on the unit sphere in d = \(d) (cap-packing bound: at most \(Int(min(bound, 1e15))))"
        }
        for kind in kinds {
            do { _ = try kind.sample(count: n, dimension: d, separation: delta, random: RandomStream(seed: 1)) } catch { return String(describing: error) }
        }
        return nil
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
