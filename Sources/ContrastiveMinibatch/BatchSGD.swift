@preconcurrency import CLinearAlgebra
import ClaimCore

/// How the batches of one epoch are chosen (the official `synthetic.py` selections, spec §3.1).
public enum BatchStrategy: String, Sendable, CaseIterable {
    /// One update per epoch on 𝓛_full.
    case full = "full batch"
    /// One update per epoch on the mean of all C(N,B) batch losses.
    case allBatches = "all C(N,B)"
    /// One random partition drawn at the start and reused (a strict subset of the batches).
    case fixedPartition = "random subset (fixed)"
    /// A fresh random partition every epoch, N/B updates.
    case shuffled = "random (reshuffled)"
    /// Ordered SGD: each of the N/B updates takes the batch of largest loss among all C(N,B).
    case ordered = "ordered (max loss)"
    /// Negative control: each update takes the batch of smallest loss.
    case minimumLoss = "min loss (control)"
    /// The spectral partition of the current embeddings, recomputed every epoch, N/B updates.
    case spectral = "spectral"
}

/// Plain SGD on unnormalised parameters X_u, X_v (d×N, columns normalised in the forward pass), as in the official
/// synthetic code: x ← x − η·(I − uuᵀ)g/‖x‖ with g = ∂𝓛(𝔅)/∂u from `InfoNCE`. Updates allocate nothing; the
/// spectral partition (once per epoch) does.
public struct BatchSGD: Sendable {
    public let sampleCount: Int
    public let dimension: Int
    public let batchSize: Int
    public let learningRate: Double
    /// +1: the spectral selector's affinity exp(W); −1: exp(−W) (a deliberately inverted selector).
    public let spectralSign: Double

    public init(sampleCount: Int, dimension: Int, batchSize: Int, learningRate: Double, spectralSign: Double = 1) {
        self.spectralSign = spectralSign
        self.sampleCount = sampleCount
        self.dimension = dimension
        self.batchSize = batchSize
        self.learningRate = learningRate
    }

    /// Runs `epochs` epochs from (xu, xv) and returns 𝓛_full − `optimum` after every epoch (index 0 = start).
    public func run(_ strategy: BatchStrategy, xu startU: [Double], xv startV: [Double], epochs: Int, optimum: Double, random: RandomStream) throws -> [Double] {
        let n = sampleCount, d = dimension, b = batchSize
        let model = InfoNCE(sampleCount: n, dimension: d)
        let full = BatchFamily.full(n)
        let all = BatchFamily.all(n, size: b)
        let parameters = UnsafeMutableBufferPointer<Double>.allocate(capacity: 2 * d * n) // [X_u | X_v]
        let units = UnsafeMutableBufferPointer<Double>.allocate(capacity: 2 * d * n)      // [U | V]
        let norms = UnsafeMutableBufferPointer<Double>.allocate(capacity: 2 * n)
        defer { parameters.deallocate(); units.deallocate(); norms.deallocate() }
        _ = parameters.initialize(from: startU + startV)
        let x = parameters.baseAddress!, unit = units.baseAddress!
        let u = unit, v = unit + d * n
        var partition = random.permutation(n).map(Int32.init)
        var chosen = [Int32](repeating: 0, count: b)
        var gaps = [Double](repeating: 0, count: epochs + 1)
        let selector = SpectralBatchSelector(batchSize: b, affinitySign: spectralSign)
        let updatesPerEpoch = (strategy == .full || strategy == .allBatches) ? 1 : n / b

        /// U, V ← normalised columns of X_u, X_v; Z ← UᵀV.
        func normalise() {
            for i in 0..<(2 * n) {
                let norm = cblas_dnrm2(Int32(d), x + i * d, 1)
                norms[i] = norm
                for k in 0..<d { unit[k + i * d] = x[k + i * d] / norm }
            }
            model.computeSimilarities(u: u, v: v)
        }

        /// x ← x − η(I − uuᵀ)g/‖x‖ for every column of X_u and X_v.
        func descend() {
            model.backpropagate(u: u, v: v)
            for i in 0..<(2 * n) {
                let g = i < n ? model.gradU.baseAddress! + i * d : model.gradV.baseAddress! + (i - n) * d
                let radial = cblas_ddot(Int32(d), g, 1, unit + i * d, 1)
                let scale = -learningRate / norms[i]
                cblas_daxpy(Int32(d), scale, g, 1, x + i * d, 1)
                cblas_daxpy(Int32(d), -scale * radial, unit + i * d, 1, x + i * d, 1)
            }
        }

        normalise()
        gaps[0] = model.familyLoss(full, gradient: false) - optimum
        for epoch in stride(from: 1, through: epochs, by: 1) {
            switch strategy {
            case .shuffled: random.shuffle(&partition)
            case .spectral:
                partition = try selector.partition(u: Array(units[0..<(d * n)]), v: Array(units[(d * n)...]), dimension: d, random: random)
            default: break
            }
            for update in 0..<updatesPerEpoch {
                switch strategy {
                case .full:
                    _ = model.familyLoss(full, gradient: true)
                case .allBatches:
                    _ = model.familyLoss(all, gradient: true)
                case .fixedPartition, .shuffled, .spectral:
                    model.clearGradient()
                    _ = partition.withUnsafeBufferPointer { model.batchLoss($0, offset: update * b, size: b, weight: 1) }
                case .ordered, .minimumLoss:
                    var bestOffset = 0, bestLoss = strategy == .ordered ? -Double.infinity : Double.infinity
                    all.members.withUnsafeBufferPointer { members in
                        for c in 0..<all.count {
                            let l = model.batchLoss(members, offset: c * b, size: b, weight: 0)
                            if strategy == .ordered ? l > bestLoss : l < bestLoss { bestLoss = l; bestOffset = c * b }
                        }
                        for t in 0..<b { chosen[t] = members[bestOffset + t] }
                    }
                    model.clearGradient()
                    _ = chosen.withUnsafeBufferPointer { model.batchLoss($0, offset: 0, size: b, weight: 1) }
                }
                descend()
                normalise()
            }
            gaps[epoch] = model.familyLoss(full, gradient: false) - optimum
        }
        return gaps
    }
}
