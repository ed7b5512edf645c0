@preconcurrency import CLinearAlgebra
import ClaimCore

/// The skewed quadratic φ(z) = ½·L·z² for z > 0, ½·μ·z² for z ≤ 0 (curvature jumps at the minimiser 0), so
/// φ′(z) = L·z (z > 0), μ·z (z ≤ 0). Its gradient step z ← z − α(φ′(z) + v) is
/// z ← (1 − αL)·z − αv (z > 0), (1 − αμ)·z − αv (z ≤ 0).
public struct SkewedCurvature: Sendable {
    public let steep: Double
    public let shallow: Double
    public init(steep: Double, shallow: Double) { self.steep = steep; self.shallow = shallow }

    @inline(__always) func step(_ z: Double, stepSize: Double, offset: Double) -> Double {
        (1 - stepSize * (z > 0 ? steep : shallow)) * z - stepSize * offset
    }
}

/// P1's lower-bound instance (spec §3.2, from the authors' code): 1-D, fᵢ(x) = φ(x) + sᵢ·G·x with n/2 signs +1 and
/// n/2 signs −1, so F = φ, x* = 0. Random reshuffling permutes the signs every epoch.
public struct SkewedSignsRR: Sendable {
    public let curvature: SkewedCurvature
    public let components: Int
    public let kick: Double

    public init(curvature: SkewedCurvature, components: Int, kick: Double) {
        self.curvature = curvature
        self.components = components
        self.kick = kick
    }

    /// x_{nK} after `epochs` RR epochs from x₀ with step α.
    public func run(epochs: Int, stepSize: Double, from start: Double, random: RandomStream) -> Double {
        // one byte per sign: gsl_ran_shuffle swaps elements bytewise, and the draws do not depend on the element size
        var signs = (0..<components).map { Int8($0 < components / 2 ? 1 : -1) }
        var x = start
        signs.withUnsafeMutableBufferPointer { s in
            for _ in 0..<epochs {
                random.shuffle(s)
                for j in 0..<s.count { x = curvature.step(x, stepSize: stepSize, offset: Double(s[j]) * kick) }
            }
        }
        return x
    }
}

/// Our d = n instance for "random is optimal" (spec §4.2, [D]): fᵢ(x) = Σ_c φ(x_c) + G·⟨eᵢ − 𝟙/n, x⟩, F(x) = Σ_c φ(x_c),
/// x* = 0. Visiting component i steps every coordinate by its own φ′ plus the drift −G/n, and kicks coordinate i by G.
public struct SkewedKicks: Sendable {
    public let curvature: SkewedCurvature
    public let dimension: Int
    public let kick: Double

    public init(curvature: SkewedCurvature, dimension: Int, kick: Double) {
        self.curvature = curvature
        self.dimension = dimension
        self.kick = kick
    }

    /// One epoch in `order` (or its reverse), in place on x.
    @inline(__always)
    func epoch(_ x: UnsafeMutableBufferPointer<Double>, order: UnsafeBufferPointer<Int32>, backwards: Bool, stepSize: Double) {
        let n = order.count, drift = -kick / Double(dimension)
        for j in 0..<n {
            let i = Int(order[backwards ? n - 1 - j : j])
            for c in 0..<x.count { x[c] = curvature.step(x[c], stepSize: stepSize, offset: drift) }
            x[i] -= stepSize * kick
        }
    }
}

/// Ordering strategies for `SkewedKicks`.
public enum OrderingStrategy: String, Sendable, CaseIterable {
    case reshuffling = "RR"
    case singleShuffle = "SS"
    case incremental = "IGD"
    case flipFlopReshuffling = "FF-RR"
    /// Per epoch: `candidates` uniform permutations and their reverses; run the one whose epoch ends closest to x* (‖x‖).
    case greedy = "greedy"

    public var isDeterministic: Bool { self == .incremental }
}

extension SkewedKicks {
    /// ‖x_{nK}‖² after `epochs` epochs from x₀ = 0 with the given strategy.
    public func run(strategy: OrderingStrategy, epochs: Int, stepSize: Double, candidates: Int, random: RandomStream) -> Double {
        let n = dimension
        var x = [Double](repeating: 0, count: n)
        var trial = x, best = x
        var order = (0..<n).map { Int32($0) }
        if strategy == .singleShuffle { random.shuffle(&order) }
        x.withUnsafeMutableBufferPointer { x in
            trial.withUnsafeMutableBufferPointer { trial in
                best.withUnsafeMutableBufferPointer { best in
                    order.withUnsafeMutableBufferPointer { order in
                        let orderView = UnsafeBufferPointer(order)
                        for k in 0..<epochs {
                            switch strategy {
                            case .reshuffling:
                                random.shuffle(order)
                                epoch(x, order: orderView, backwards: false, stepSize: stepSize)
                            case .singleShuffle, .incremental:
                                epoch(x, order: orderView, backwards: false, stepSize: stepSize)
                            case .flipFlopReshuffling:
                                if k % 2 == 0 { random.shuffle(order) }
                                epoch(x, order: orderView, backwards: k % 2 == 1, stepSize: stepSize)
                            case .greedy:
                                var bestNorm = Double.infinity
                                for _ in 0..<candidates {
                                    random.shuffle(order)
                                    for flip in 0..<2 {
                                        trial.baseAddress!.update(from: x.baseAddress!, count: n)
                                        epoch(trial, order: orderView, backwards: flip == 1, stepSize: stepSize)
                                        let norm = cblas_ddot(Int32(n), trial.baseAddress!, 1, trial.baseAddress!, 1)
                                        if norm < bestNorm { bestNorm = norm; best.baseAddress!.update(from: trial.baseAddress!, count: n) }
                                    }
                                }
                                x.baseAddress!.update(from: best.baseAddress!, count: n)
                            }
                        }
                    }
                }
            }
        }
        return cblas_ddot(Int32(n), x, 1, x, 1)
    }
}

extension SkewedSignsRR {
    /// Lanes that share every epoch's permutation (common random numbers): lane ℓ runs `epochs[ℓ]` RR epochs with step
    /// `stepSizes[ℓ]` from x₀ = `start`, and every lane sees the same sign sequence, drawn once per epoch from `random`
    /// (`gsl_ran_shuffle`, the same draws as `run`). Lane ℓ's result is bit-identical to
    /// `run(epochs: epochs[ℓ], stepSize: stepSizes[ℓ], from: start, random:)` on a fresh copy of the stream.
    ///
    /// One shuffle serves every lane, so a grid of steps (or of epoch counts) costs one permutation per epoch instead
    /// of one per lane, and the inner loop over lanes has no loop-carried dependency (it vectorises).
    public func runLanes(epochs: [Int], stepSizes: [Double], from start: Double, random: RandomStream) -> [Double] {
        precondition(epochs.count == stepSizes.count && !epochs.isEmpty)
        // lanes sorted by decreasing epoch count: the active lanes at epoch e are a prefix
        let lanes = epochs.indices.sorted { epochs[$0] > epochs[$1] || (epochs[$0] == epochs[$1] && $0 < $1) }
        let m = lanes.count
        let steps = lanes.map { stepSizes[$0] }
        let steepFactor = steps.map { 1 - $0 * curvature.steep }, shallowFactor = steps.map { 1 - $0 * curvature.shallow }
        let kicks = steps.map { $0 * kick }
        let laneEpochs = lanes.map { epochs[$0] }
        var x = [Double](repeating: start, count: m)
        var signs = (0..<components).map { Int8($0 < components / 2 ? 1 : -1) }
        var active = m
        signs.withUnsafeMutableBufferPointer { s in
            x.withUnsafeMutableBufferPointer { x in
                steepFactor.withUnsafeBufferPointer { p in
                    shallowFactor.withUnsafeBufferPointer { q in
                        kicks.withUnsafeBufferPointer { a in
                            for epoch in 0..<laneEpochs[0] {
                                while active > 0 && laneEpochs[active - 1] <= epoch { active -= 1 }
                                random.shuffle(s)
                                for j in 0..<s.count {
                                    let sign = Double(s[j])
                                    for l in 0..<active { x[l] = (x[l] > 0 ? p[l] : q[l]) * x[l] - a[l] * sign }
                                }
                            }
                        }
                    }
                }
            }
        }
        var out = [Double](repeating: 0, count: m)
        for (position, lane) in lanes.enumerated() { out[lane] = x[position] }
        return out
    }
}
