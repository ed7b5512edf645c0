@preconcurrency import CLinearAlgebra
import ClaimCore
import Foundation

// Shared helpers of the threshold-memorisation family: a two-variable least-squares plane, a binomial frequency
// with its exact interval, adversarial labellings, the smallest Gaussian first layer, and the built baseline.

/// y ≈ c₀ + c₁·x₁ + c₂·x₂ by ordinary least squares (`gsl_multifit_linear`), with 95% Student-t intervals on c₁, c₂
/// from GSL's covariance (σ̂²(XᵀX)⁻¹, σ̂² = χ²/(N − 3)).
public struct PlaneFit: Sendable {
    public let intercept: Double
    public let slopes: (Double, Double)
    public let intervals: (Interval, Interval)
    public let pointCount: Int

    public init(x1: [Double], x2: [Double], y: [Double], level: Double = 0.95) throws {
        let n = y.count
        precondition(x1.count == n && x2.count == n)
        guard n >= 4 else { throw NumericsError.nonFinite("a plane fit needs ≥ 4 points, got \(n)") }
        LibrarySetup.once
        guard let design = gsl_matrix_alloc(n, 3), let response = gsl_vector_alloc(n), let coefficients = gsl_vector_alloc(3),
              let covariance = gsl_matrix_alloc(3, 3), let work = gsl_multifit_linear_alloc(n, 3) else {
            throw NumericsError.gsl(routine: "gsl_multifit_linear_alloc", status: Int32(GSL_ENOMEM))
        }
        defer { gsl_matrix_free(design); gsl_vector_free(response); gsl_vector_free(coefficients); gsl_matrix_free(covariance); gsl_multifit_linear_free(work) }
        for i in 0..<n {
            gsl_matrix_set(design, i, 0, 1)
            gsl_matrix_set(design, i, 1, x1[i])
            gsl_matrix_set(design, i, 2, x2[i])
            gsl_vector_set(response, i, y[i])
        }
        var chisq = 0.0
        let status = gsl_multifit_linear(design, response, coefficients, covariance, &chisq, work)
        if status != 0 { throw NumericsError.gsl(routine: "gsl_multifit_linear", status: status) }
        let t = studentQuantile(level: level, degreesOfFreedom: n - 3)
        let c = (0..<3).map { gsl_vector_get(coefficients, $0) }
        let half = (1...2).map { t * gsl_matrix_get(covariance, $0, $0).squareRoot() }
        guard (c + half).allSatisfy(\.isFinite) else { throw NumericsError.nonFinite("plane fit coefficients") }
        intercept = c[0]
        slopes = (c[1], c[2])
        intervals = (Interval(c[1] - half[0], c[1] + half[0]), Interval(c[2] - half[1], c[2] + half[1]))
        pointCount = n
    }
}

/// k failures in n independent trials with the exact (Clopper–Pearson) 95% interval from `betaQuantile`.
public struct FailureFrequency: Sendable {
    public let failures: Int
    public let trials: Int
    public var estimate: Double { Double(failures) / Double(trials) }

    public init(failures: Int, trials: Int) {
        precondition(trials > 0 && failures >= 0 && failures <= trials)
        self.failures = failures
        self.trials = trials
    }

    /// NaN ends if the beta quantile cannot be computed (the verdict is then `error`).
    public var interval: Interval {
        let k = Double(failures), n = Double(trials)
        let lower = failures == 0 ? 0 : ((try? betaQuantile(0.025, a: k, b: n - k + 1)) ?? .nan)
        let upper = failures == trials ? 1 : ((try? betaQuantile(0.975, a: k + 1, b: n - k)) ?? .nan)
        return Interval(lower, upper)
    }
}

/// The adversarial labelling "alternating along the closest pairs": the graph joining every pair at distance
/// ≤ (1 + slack)·(minimum distance) is 2-coloured greedily in breadth-first order (labels 0/1), so every closest pair
/// that can differ does; points in no close pair alternate by index.
public func alternatingAlongClosestPairs(_ points: Matrix, slack: Double = 0.05) throws -> [UInt8] {
    let n = points.rows
    let gram = try Matrix.product(points, points, transposeB: true)
    var largest = -Double.infinity
    for j in 0..<n { for i in 0..<n where i != j { largest = max(largest, gram[i, j]) } }
    let closest = (max(0, 2 - 2 * largest)).squareRoot() * (1 + slack)
    let threshold = 1 - closest * closest / 2
    var labels = [UInt8?](repeating: nil, count: n)
    for start in 0..<n where labels[start] == nil {
        labels[start] = UInt8(start % 2)
        var queue = [start], head = 0
        while head < queue.count {
            let i = queue[head]; head += 1
            for j in 0..<n where j != i && labels[j] == nil && gram[i, j] >= threshold {
                labels[j] = 1 - labels[i]!
                queue.append(j)
            }
        }
    }
    return labels.map { $0! }
}

/// The smallest prefix of one Gaussian draw of hyperplanes through the origin that gives the n points pairwise
/// distinct bit-vectors: hyperplanes are drawn in blocks and the partition of the points into cells is refined one
/// hyperplane at a time until it has n cells. Returns the d × m* normals. Throws after `maxHyperplanes`.
public func smallestSeparatingFirstLayer(points: Matrix, random: RandomStream, block: Int = 256, maxHyperplanes: Int) throws -> Matrix {
    let n = points.rows, d = points.columns
    var cell = [Int](repeating: 0, count: n)
    var cells = 1
    var kept: [Double] = []
    while cells < n {
        guard kept.count / d < maxHyperplanes else {
            throw ConstructionError(stage: "smallest first layer", detail: "\(maxHyperplanes) Gaussian hyperplanes left two points in one cell")
        }
        let normals = random.gaussianMatrix(rows: d, columns: block)
        let bits = try PackedBits.signs(points: points, normals: normals)
        for j in 0..<block where cells < n {
            kept += normals.column(j)
            var relabel: [Int: Int] = [:]
            for i in 0..<n {
                let key = cell[i] * 2 + (bits.bit(i, j) ? 1 : 0)
                if let c = relabel[key] { cell[i] = c } else { relabel[key] = relabel.count; cell[i] = relabel.count - 1 }
            }
            cells = relabel.count
        }
    }
    var layer = Matrix(rows: d, columns: kept.count / d)
    for j in 0..<layer.columns { for r in 0..<d { layer[r, j] = kept[j * d + r] } }
    return layer
}

/// The classical one-neuron-per-point memoriser, built as a threshold network: for each point x_i labelled 1 a cap
/// neuron 1[x_iᵀx ≥ 1 − δ²/4] (on the unit sphere it fires on x_i and on no other point, since xᵀx_j ≤ 1 − δ²/2 for
/// j ≠ i), and an output OR 1[Σ cap ≥ 1]. Built size for the worst labelling (all ones): n + 1 neurons, n·d + n
/// weights. Returns the network's outputs on the points and its built counts.
public struct OneNeuronPerPoint: Sendable {
    public let neurons: Int
    public let weights: Int
    public let outputs: [UInt8]

    public init(points: Matrix, labels: [UInt8], separation delta: Double) throws {
        let n = points.rows, d = points.columns
        let positives = (0..<n).filter { labels[$0] == 1 }
        neurons = positives.count + 1
        weights = positives.count * d + positives.count
        guard !positives.isEmpty else { outputs = [UInt8](repeating: 0, count: n); return }
        var caps = Matrix(rows: d, columns: positives.count)
        for (c, i) in positives.enumerated() { for r in 0..<d { caps[r, c] = points[i, r] } }
        let pre = try Matrix.product(points, caps)
        let level = 1 - delta * delta / 4
        outputs = (0..<n).map { i in (0..<positives.count).contains { pre[i, $0] >= level } ? 1 : 0 }
    }
}
