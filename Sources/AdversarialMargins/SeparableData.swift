import ClaimCore
import Foundation

/// A linearly separable sample with the labels folded in: row i of `signedPoints` is zᵢ = yᵢxᵢ ∈ ℝᵈ, so a homogeneous
/// linear classifier w separates the sample iff zᵢᵀw > 0 for every i.
public struct SeparableData: Sendable {
    /// n×d, row i = zᵢ = yᵢxᵢ (column-major, as BLAS reads it).
    public let signedPoints: Matrix
    public var count: Int { signedPoints.rows }
    public var dimension: Int { signedPoints.columns }

    public init(signedPoints: Matrix) {
        self.signedPoints = signedPoints
    }

    public func point(_ i: Int) -> [Double] { (0..<dimension).map { signedPoints[i, $0] } }

    /// The spec's 4-point reference set (§2.3): z = (0.3, 1)/‖(0.3, 1)‖, (0.3, −0.2), (0.5, 0.5), (0.35, 0);
    /// ℓ2 max margin γ* = 0.2977967…, w* ≈ (0.999940, 0.010927).
    public static let reference: SeparableData = {
        let first = [0.3, 1.0].map { $0 / (0.3 * 0.3 + 1).squareRoot() }
        return SeparableData(signedPoints: Matrix([first, [0.3, -0.2], [0.5, 0.5], [0.35, 0.0]]))
    }()

    /// n points uniform on the unit sphere S^{d−1}, labelled by a random unit w_true; points with |w_trueᵀx| < gap are
    /// redrawn, so the planted separator has margin ≥ gap and γ* ≥ gap. Returns the data and w_true.
    public static func planted(dimension d: Int, count n: Int, gap: Double, random: RandomStream) -> (data: SeparableData, truth: [Double]) {
        let truth = random.unitSphere(dimension: d)
        var rows: [[Double]] = []
        rows.reserveCapacity(n)
        while rows.count < n {
            let x = random.unitSphere(dimension: d)
            let score = Vector.dot(truth, x)
            if abs(score) >= gap { rows.append(x.map { score > 0 ? $0 : -$0 }) }
        }
        return (SeparableData(signedPoints: Matrix(rows)), truth)
    }

    /// n standard Gaussian points in ℝᵈ labelled by the given unit `truth`, redrawing points with |truthᵀx| < gap
    /// (the spec's §4.2 setting). Returns the signed points zᵢ = yᵢxᵢ.
    public static func gaussian(dimension d: Int, count n: Int, truth: [Double], gap: Double, random: RandomStream) -> SeparableData {
        var rows: [[Double]] = []
        rows.reserveCapacity(n)
        while rows.count < n {
            let x = random.gaussians(d)
            let score = Vector.dot(truth, x)
            if abs(score) >= gap { rows.append(x.map { score > 0 ? $0 : -$0 }) }
        }
        return SeparableData(signedPoints: Matrix(rows))
    }

    /// zᵢᵀw for every i (dgemv).
    public func margins(_ w: [Double]) -> [Double] { signedPoints * w }

    /// ℓ2 geometric margin γ(w) = minᵢ zᵢᵀw / ‖w‖₂ (signed; negative if w misclassifies a point).
    public func margin(_ w: [Double]) -> Double {
        let norm = Vector.norm(w)
        return (margins(w).min() ?? 0) / norm
    }
}
