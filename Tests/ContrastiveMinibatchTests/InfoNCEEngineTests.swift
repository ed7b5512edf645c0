import ClaimCore
import Foundation
import Testing
@testable import ContrastiveMinibatch

@Suite struct InfoNCEEngineTests {
    /// The BLAS gradient (∇_U = V·Mᵀ, ∇_V = U·M) agrees with central finite differences of the loss, for the full,
    /// all-pairs and a partition objective, at generic (not unit-norm-specific) points.
    @Test(arguments: [0, 1, 2])
    func gradientMatchesFiniteDifferences(kind: Int) throws {
        let n = 6, d = 4
        let family: BatchFamily = [BatchFamily.full(n), .all(n, size: 3), .partition(n, [[0, 3], [1, 5], [2, 4]])][kind]
        let random = RandomStream(seed: 7 + UInt64(kind))
        let u = Embeddings.random(points: n, dimension: d, random: random)
        let v = Embeddings.random(points: n, dimension: d, random: random)
        let model = InfoNCE(sampleCount: n, dimension: d)
        let (_, gradU, gradV) = model.lossAndGradient(family, u: u, v: v)
        let h = 1e-6
        var worst = 0.0
        for which in 0..<2 {
            for k in 0..<(d * n) {
                var plusU = u, minusU = u, plusV = v, minusV = v
                if which == 0 { plusU[k] += h; minusU[k] -= h } else { plusV[k] += h; minusV[k] -= h }
                let numeric = (model.loss(family, u: plusU, v: plusV) - model.loss(family, u: minusU, v: minusV)) / (2 * h)
                worst = max(worst, abs(numeric - (which == 0 ? gradU[k] : gradV[k])))
            }
        }
        #expect(worst < 1e-8, "max |FD − analytic| = \(worst)")
    }

    /// Closed forms of the spec (§2, [D]) at the constructed ETF and cross-polytope.
    @Test func closedFormsAtTheReferenceGeometries() throws {
        let etf = try Embeddings.simplexETF(points: 4, dimension: 3)
        let model = InfoNCE(sampleCount: 4, dimension: 3)
        #expect(abs(model.loss(.full(4), u: etf, v: etf) - 1.165315306) < 1e-9)
        #expect(abs(model.loss(.all(4, size: 2), u: etf, v: etf) - 0.467925050) < 1e-9)
        #expect(abs(ContrastiveClosedForm.etfBatchLoss(points: 8, batchSize: 8) - 2.346416318) < 1e-9)
        #expect(abs(ContrastiveClosedForm.etfBatchLoss(points: 10, batchSize: 10) - 2.753870) < 1e-6)
        let gram = try Embeddings.crossGram(etf, etf, dimension: 3)
        #expect(Embeddings.maxDeviation(gram, Embeddings.etfTarget(points: 4)) < 1e-14)
        let cross = Embeddings.crossPolytope(dimension: 4)
        let crossModel = InfoNCE(sampleCount: 8, dimension: 4)
        #expect(abs(crossModel.loss(.full(8), u: cross, v: cross) - 2.413505033) < 1e-9)
        #expect(abs(crossModel.loss(.all(8, size: 2), u: cross, v: cross) - 0.573285182) < 1e-9)
        #expect(abs(ContrastiveClosedForm.pairPartitionMinimum - 0.253856022) < 1e-9)
        #expect(BatchFamily.all(8, size: 2).count == 28 && BatchFamily.all(8, size: 4).count == 70)
    }

    /// Jensen pair bound behind the spectral selector: Σ_{i∈𝔅}[ℓ^{u→v} + ℓ^{v→u}] ≥ (1/(B−1))·Σ_{i<j∈𝔅} W_ij, equality for B = 2.
    @Test func pairWeightsLowerBoundTheBatchLoss() throws {
        let random = RandomStream(seed: 11)
        for b in [2, 3, 4] {
            let n = 8, d = 5
            let u = Embeddings.random(points: n, dimension: d, random: random), v = Embeddings.random(points: n, dimension: d, random: random)
            let w = try SpectralBatchSelector(batchSize: b).pairWeights(u: u, v: v, dimension: d)
            let model = InfoNCE(sampleCount: n, dimension: d)
            for _ in 0..<50 {
                let members = Array(random.permutation(n).prefix(b))
                let total = model.loss(BatchFamily.partition(n, [members]), u: u, v: v) * Double(b)
                var bound = 0.0
                for x in 0..<b { for y in (x + 1)..<b { bound += w[members[x], members[y]] } }
                bound /= Double(b - 1)
                #expect(total - bound >= -1e-12)
                if b == 2 { #expect(abs(total - bound) < 1e-12) }
            }
        }
    }

    /// The Hungarian routine returns an optimal assignment (checked against all 7! permutations).
    @Test func hungarianIsOptimal() throws {
        let random = RandomStream(seed: 3)
        let n = 7
        let cost = random.uniforms(n * n)
        let assignment = Hungarian.minimumCostAssignment(cost: cost, size: n)
        #expect(Set(assignment).count == n)
        let found = (0..<n).reduce(0.0) { $0 + cost[$1 * n + assignment[$1]] }
        var best = Double.infinity
        var p = Array(0..<n)
        func permute(_ k: Int) {
            if k == n { best = min(best, (0..<n).reduce(0.0) { $0 + cost[$1 * n + p[$1]] }); return }
            for i in k..<n { p.swapAt(k, i); permute(k + 1); p.swapAt(k, i) }
        }
        permute(0)
        #expect(abs(found - best) < 1e-12)
    }

    /// k-means recovers well-separated clusters, and the spectral partition is a partition into equal batches.
    @Test func kMeansAndSpectralPartition() throws {
        let random = RandomStream(seed: 5)
        var points = Matrix(rows: 12, columns: 2)
        for i in 0..<12 { points[i, 0] = Double(i / 4) * 10 + 0.1 * random.gaussian(); points[i, 1] = 0.1 * random.gaussian() }
        let fit = KMeans(clusters: 3).fit(points, random: random)
        for i in 0..<12 { #expect(fit.labels[i] == fit.labels[(i / 4) * 4]) }
        #expect(Set(fit.labels).count == 3)
        let u = Embeddings.random(points: 16, dimension: 4, random: random), v = Embeddings.random(points: 16, dimension: 4, random: random)
        let members = try SpectralBatchSelector(batchSize: 4).partition(u: u, v: v, dimension: 4, random: random)
        #expect(members.count == 16 && Set(members).count == 16)
    }

    /// The Riemannian descent reaches the all-pairs cross-polytope value for N = 2d (spec T2) from a random start.
    @Test func sphereDescentReachesTheCrossPolytope() throws {
        let m = Minimiser.run(.all(8, size: 2), dimension: 4, random: RandomStream(seed: 2))
        #expect(abs(m.loss - 0.573285182) < 1e-9)
        #expect(Embeddings.crossPolytopeDeviation(try m.crossGram()) < 1e-6)
    }
}
