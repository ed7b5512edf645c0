import ClaimCore
import Foundation

/// The spectral-clustering batch selector of the official code (spec §4): partition [N] into N/B batches of size B
/// whose within-batch pair weights are large.
///
/// 1. Z = UVᵀ; A_ij = ψ(Z_ij − Z_ii) + ψ(Z_ji − Z_ii), ψ(z) = ln(1 + (B−1)e^z); W = A + Aᵀ; S = exp(W), diagonal ignored.
/// 2. Normalised Laplacian L = I − D^{−1/2} S D^{−1/2}; its k = N/B eigenvectors of smallest eigenvalue (dsyevd),
///    each divided entrywise by √degree and sign-fixed (largest |entry| positive) — scikit-learn's
///    `spectral_embedding(drop_first=False)`.
/// 3. k-means (k-means++ seeding, `restarts` runs, best inertia) on the N rows.
/// 4. Equal-size assignment: each centroid repeated B times (N slots), minimum-cost perfect matching of points to
///    slots on Euclidean distances (Hungarian algorithm); batch = slot div B.
public struct SpectralBatchSelector: Sendable {
    public let batchSize: Int
    public let restarts: Int
    /// +1 for the method's affinity S = exp(W); −1 gives exp(−W), which groups low-weight pairs (a negative control).
    public let affinitySign: Double

    public init(batchSize: Int, restarts: Int = 10, affinitySign: Double = 1) {
        self.affinitySign = affinitySign
        self.batchSize = batchSize
        self.restarts = restarts
    }

    /// W = A + Aᵀ from unit columns U, V (d×N); Z by dgemm.
    public func pairWeights(u: [Double], v: [Double], dimension d: Int) throws -> Matrix {
        let z = try Embeddings.crossGram(u, v, dimension: d)
        let n = z.rows
        let logB = log(Double(batchSize - 1))
        func psi(_ x: Double) -> Double { log1p(exp(logB + x)) }
        var w = Matrix(rows: n, columns: n)
        for i in 0..<n {
            for j in 0..<n where j != i {
                let a = psi(z[i, j] - z[i, i]) + psi(z[j, i] - z[i, i])
                w[i, j] += a
                w[j, i] += a
            }
        }
        return w
    }

    /// The N/B batches as a flat member list (batch b = members[b·B ..< (b+1)·B]), each batch sorted.
    public func partition(u: [Double], v: [Double], dimension d: Int, random: RandomStream) throws -> [Int32] {
        let w = try pairWeights(u: u, v: v, dimension: d)
        let n = w.rows, k = n / batchSize
        var degree = [Double](repeating: 0, count: n)
        var affinity = Matrix(rows: n, columns: n)
        for j in 0..<n { for i in 0..<n where i != j { affinity[i, j] = exp(affinitySign * w[i, j]); degree[i] += affinity[i, j] } }
        let root = degree.map { $0.squareRoot() }
        var laplacian = Matrix.identity(n)
        for j in 0..<n { for i in 0..<n where i != j { laplacian[i, j] = -affinity[i, j] / (root[i] * root[j]) } }
        let eigen = try laplacian.symmetricEigen()
        var points = Matrix(rows: n, columns: k)
        for c in 0..<k {
            var column = (0..<n).map { eigen.vectors[$0, c] / root[$0] }
            var largest = 0
            for i in 1..<n where abs(column[i]) > abs(column[largest]) { largest = i }
            if column[largest] < 0 { column = column.map { -$0 } }
            for i in 0..<n { points[i, c] = column[i] }
        }
        let centroids = KMeans(clusters: k, restarts: restarts).fit(points, random: random).centroids
        var cost = [Double](repeating: 0, count: n * n)
        for slot in 0..<n {
            let c = slot / batchSize
            for i in 0..<n {
                var s = 0.0
                for t in 0..<k { let diff = points[i, t] - centroids[c, t]; s += diff * diff }
                cost[i * n + slot] = s.squareRoot()
            }
        }
        let slotOf = Hungarian.minimumCostAssignment(cost: cost, size: n)
        var batches = [[Int32]](repeating: [], count: k)
        for i in 0..<n { batches[slotOf[i] / batchSize].append(Int32(i)) }
        return batches.flatMap { $0.sorted() }
    }
}

/// Lloyd's k-means with k-means++ seeding (Arthur & Vassilvitskii 2007), `restarts` independent runs, best inertia.
public struct KMeans: Sendable {
    public let clusters: Int
    public let restarts: Int
    public let maxIterations: Int

    public init(clusters: Int, restarts: Int = 10, maxIterations: Int = 300) {
        self.clusters = clusters
        self.restarts = restarts
        self.maxIterations = maxIterations
    }

    public struct Fit: Sendable {
        /// k × dim, row c = centroid c.
        public let centroids: Matrix
        public let labels: [Int]
        /// Σᵢ ‖xᵢ − c_{label(i)}‖².
        public let inertia: Double
    }

    /// Points are the rows of `points` (n × dim).
    public func fit(_ points: Matrix, random: RandomStream) -> Fit {
        var best: Fit?
        for _ in 0..<restarts {
            let run = lloyd(points, start: seeding(points, random: random))
            if best == nil || run.inertia < best!.inertia { best = run }
        }
        return best!
    }

    func squaredDistance(_ points: Matrix, _ i: Int, _ centroids: Matrix, _ c: Int) -> Double {
        var s = 0.0
        for t in 0..<points.columns { let diff = points[i, t] - centroids[c, t]; s += diff * diff }
        return s
    }

    /// k-means++: first centre uniform, each next one drawn with probability ∝ D(x)², D the distance to the nearest chosen centre.
    func seeding(_ points: Matrix, random: RandomStream) -> Matrix {
        let n = points.rows, dim = points.columns
        var centroids = Matrix(rows: clusters, columns: dim)
        let first = random.index(below: n)
        for t in 0..<dim { centroids[0, t] = points[first, t] }
        var nearest = (0..<n).map { squaredDistance(points, $0, centroids, 0) }
        for c in 1..<clusters {
            let total = nearest.reduce(0, +)
            var chosen = random.index(below: n)
            if total > 0 {
                var target = random.uniform() * total
                for i in 0..<n {
                    target -= nearest[i]
                    if target < 0 { chosen = i; break }
                }
            }
            for t in 0..<dim { centroids[c, t] = points[chosen, t] }
            for i in 0..<n { nearest[i] = min(nearest[i], squaredDistance(points, i, centroids, c)) }
        }
        return centroids
    }

    func lloyd(_ points: Matrix, start: Matrix) -> Fit {
        let n = points.rows, dim = points.columns
        var centroids = start
        var labels = [Int](repeating: -1, count: n)
        for _ in 0..<maxIterations {
            var changed = false
            for i in 0..<n {
                var bestC = 0, bestD = Double.infinity
                for c in 0..<clusters { let dist = squaredDistance(points, i, centroids, c); if dist < bestD { bestD = dist; bestC = c } }
                if labels[i] != bestC { labels[i] = bestC; changed = true }
            }
            if !changed { break }
            var sums = Matrix(rows: clusters, columns: dim)
            var counts = [Int](repeating: 0, count: clusters)
            for i in 0..<n { counts[labels[i]] += 1; for t in 0..<dim { sums[labels[i], t] += points[i, t] } }
            for c in 0..<clusters where counts[c] > 0 { for t in 0..<dim { centroids[c, t] = sums[c, t] / Double(counts[c]) } }
        }
        let inertia = (0..<n).reduce(0.0) { $0 + squaredDistance(points, $1, centroids, labels[$1]) }
        return Fit(centroids: centroids, labels: labels, inertia: inertia)
    }
}

/// Minimum-cost perfect matching on an n×n cost matrix (Hungarian algorithm with potentials, O(n³); Kuhn 1955,
/// Munkres 1957, in the shortest-augmenting-path form).
public enum Hungarian {
    /// `cost[row·n + column]`; returns the column assigned to each row.
    public static func minimumCostAssignment(cost: [Double], size n: Int) -> [Int] {
        var rowPotential = [Double](repeating: 0, count: n + 1)
        var columnPotential = [Double](repeating: 0, count: n + 1)
        var rowOfColumn = [Int](repeating: 0, count: n + 1) // 1-based rows; 0 = free
        var way = [Int](repeating: 0, count: n + 1)
        for row in 1...n {
            rowOfColumn[0] = row
            var column0 = 0
            var minSlack = [Double](repeating: .infinity, count: n + 1)
            var used = [Bool](repeating: false, count: n + 1)
            repeat {
                used[column0] = true
                let r = rowOfColumn[column0]
                var delta = Double.infinity, column1 = 0
                for j in 1...n where !used[j] {
                    let reduced = cost[(r - 1) * n + (j - 1)] - rowPotential[r] - columnPotential[j]
                    if reduced < minSlack[j] { minSlack[j] = reduced; way[j] = column0 }
                    if minSlack[j] < delta { delta = minSlack[j]; column1 = j }
                }
                for j in 0...n {
                    if used[j] { rowPotential[rowOfColumn[j]] += delta; columnPotential[j] -= delta } else { minSlack[j] -= delta }
                }
                column0 = column1
            } while rowOfColumn[column0] != 0
            repeat {
                let column1 = way[column0]
                rowOfColumn[column0] = rowOfColumn[column1]
                column0 = column1
            } while column0 != 0
        }
        var columnOfRow = [Int](repeating: 0, count: n)
        for j in 1...n where rowOfColumn[j] > 0 { columnOfRow[rowOfColumn[j] - 1] = j - 1 }
        return columnOfRow
    }
}
