import ClaimCore
import Foundation

/// The part of the construction a unit belongs to (§4 of the spec), for per-stage counts.
public enum Stage: Int, Sendable, CaseIterable {
    /// Stage 1: Gaussian hyperplanes through the origin, b_j(x) = 1[g_jᵀx ≥ 0].
    case hyperplanes
    /// Stage 2: AND/XOR gadgets computing the GF(2) parities c = C·b mod 2.
    case compression
    /// Stage 3: lifting neurons φ_j(c) = 1[r_jᵀ(2c − 1) ≥ t_j] with r_j ∈ {±1}ᵏ.
    case lifting
    /// Stage 3: group detectors 1[x ∈ group g] from the first b_g code bits.
    case groupDetector
    /// Stage 4: one memorising neuron per group.
    case memorizer
    /// The output unit 1[Σ_g v_g ≥ 1].
    case output

    public var label: String {
        switch self {
        case .hyperplanes: "hyperplanes"
        case .compression: "compression"
        case .lifting: "lifting"
        case .groupDetector: "group detectors"
        case .memorizer: "memorizers"
        case .output: "output"
        }
    }
}

/// A deep threshold network with explicit weights.
///
/// Layer 1 is real: m units b_j(x) = 1[g_jᵀx ≥ 0] with g_j ∈ ℝᵈ (no bias), evaluated for a batch of points by one
/// dgemm. Every later unit is an integer threshold unit u(z) = 1[Σ_s w_s z_s ≥ T] with w_s, T ∈ ℤ, reading any
/// earlier unit (skip connections allowed; units are stored in topological order), evaluated exactly in Int64.
/// The value array of a point is [b_1 … b_m, u_1 … u_U]; a source index < m names a first-layer unit.
///
/// Counts are read off the stored structure: neurons = m + U (non-input units), weights = d·m + Σ_u fan-in(u)
/// (connections, zero weights are never stored), biases = number of units with T ≠ 0 (reported apart).
public struct ThresholdNetwork: Sendable {
    public let inputDimension: Int
    /// d × m: column j is the hyperplane normal g_j.
    public private(set) var hyperplanes: Matrix
    /// CSR storage of the integer units: sources/weights of unit u live in offsets[u]..<offsets[u+1].
    public private(set) var offsets: [Int] = [0]
    public private(set) var sources: [Int32] = []
    public private(set) var weights: [Int64] = []
    public private(set) var thresholds: [Int64] = []
    public private(set) var stages: [Stage] = []
    /// Value index of the output unit.
    public private(set) var output: Int = -1

    public init(hyperplanes: Matrix) {
        inputDimension = hyperplanes.rows
        self.hyperplanes = hyperplanes
    }

    public var firstLayerWidth: Int { hyperplanes.columns }
    public var integerUnitCount: Int { thresholds.count }

    /// Appends 1[Σ weights·z[sources] ≥ threshold] and returns its value index. Zero weights are dropped.
    @discardableResult
    public mutating func addUnit(sources unitSources: [Int], weights unitWeights: [Int64], threshold: Int64, stage: Stage) -> Int {
        precondition(unitSources.count == unitWeights.count)
        let index = firstLayerWidth + thresholds.count
        for (s, w) in zip(unitSources, unitWeights) where w != 0 {
            precondition(s >= 0 && s < index, "a unit may only read earlier units")
            sources.append(Int32(s))
            weights.append(w)
        }
        offsets.append(sources.count)
        thresholds.append(threshold)
        stages.append(stage)
        return index
    }

    public mutating func setOutput(_ index: Int) { output = index }

    // MARK: Counts from the built structure

    public var neuronCount: Int { firstLayerWidth + integerUnitCount }
    public var weightCount: Int { inputDimension * firstLayerWidth + sources.count }
    public var biasCount: Int { thresholds.filter { $0 != 0 }.count }

    /// Neurons of one stage.
    public func neurons(in stage: Stage) -> Int {
        stage == .hyperplanes ? firstLayerWidth : stages.filter { $0 == stage }.count
    }

    /// Incoming connections of the units of one stage.
    public func weights(in stage: Stage) -> Int {
        if stage == .hyperplanes { return inputDimension * firstLayerWidth }
        var total = 0
        for (u, s) in stages.enumerated() where s == stage { total += offsets[u + 1] - offsets[u] }
        return total
    }

    /// Longest input→output path, counting the first layer as depth 1.
    public var depth: Int {
        let m = firstLayerWidth
        var level = [Int](repeating: 1, count: m + integerUnitCount)
        for u in 0..<integerUnitCount {
            var deepest = 0
            for e in offsets[u]..<offsets[u + 1] { deepest = max(deepest, level[Int(sources[e])]) }
            level[m + u] = deepest + 1
        }
        return output >= 0 ? level[output] : (level.max() ?? 0)
    }

    /// Every weight and threshold of the integer units lies in `allowed` (for stages in `stages`).
    public func integerWeights(of stageSet: Set<Stage>) -> [Int64] {
        var out: [Int64] = []
        for (u, s) in stages.enumerated() where stageSet.contains(s) { out.append(contentsOf: weights[offsets[u]..<offsets[u + 1]]) }
        return out
    }

    /// Σ|w| + |T| over each unit, maximised: all pre-activations are bounded by it, so Int64 sums cannot overflow
    /// while it stays below 2⁶².
    public var largestAbsoluteSum: Int64 {
        var worst: Int64 = 0
        for u in 0..<integerUnitCount {
            var s = thresholds[u].magnitude
            for e in offsets[u]..<offsets[u + 1] { s += weights[e].magnitude }
            worst = max(worst, Int64(clamping: s))
        }
        return worst
    }

    // MARK: Surgery (negative controls)

    /// Deletes first-layer unit `j`: its column is removed and every outgoing connection dropped (its value is
    /// treated as absent, i.e. the downstream sums lose that term). Indices of later units shift by one.
    public func droppingHyperplane(_ j: Int) -> ThresholdNetwork {
        let m = firstLayerWidth
        var kept = hyperplanes.elements
        kept.removeSubrange((j * inputDimension)..<((j + 1) * inputDimension))
        var net = ThresholdNetwork(hyperplanes: Matrix(rows: inputDimension, columns: m - 1, elements: kept))
        func remap(_ s: Int) -> Int { s < j ? s : s - 1 }
        for u in 0..<integerUnitCount {
            var src: [Int] = [], w: [Int64] = []
            for e in offsets[u]..<offsets[u + 1] where Int(sources[e]) != j {
                src.append(remap(Int(sources[e]))); w.append(weights[e])
            }
            net.addUnit(sources: src, weights: w, threshold: thresholds[u], stage: stages[u])
        }
        net.setOutput(remap(output))
        return net
    }

    /// Deletes integer unit `u` (value index m + u) and its outgoing connections.
    public func droppingUnit(_ u: Int) -> ThresholdNetwork {
        let m = firstLayerWidth
        let removed = m + u
        var net = ThresholdNetwork(hyperplanes: hyperplanes)
        func remap(_ s: Int) -> Int { s < removed ? s : s - 1 }
        for v in 0..<integerUnitCount where v != u {
            var src: [Int] = [], w: [Int64] = []
            for e in offsets[v]..<offsets[v + 1] where Int(sources[e]) != removed {
                src.append(remap(Int(sources[e]))); w.append(weights[e])
            }
            net.addUnit(sources: src, weights: w, threshold: thresholds[v], stage: stages[v])
        }
        net.setOutput(remap(output))
        return net
    }

    // MARK: Forward pass

    /// First-layer bits for the rows of `points` (n × d): B = X·G by dgemm, b = 1[B ≥ 0], packed 64 per word.
    public func hyperplaneBits(_ points: Matrix) throws -> PackedBits {
        try PackedBits.signs(points: points, normals: hyperplanes)
    }

    /// Network outputs (0/1) for the rows of `points`, exact after layer 1 (Int64 arithmetic).
    public func evaluate(_ points: Matrix) throws -> [UInt8] {
        precondition(output >= 0, "network has no output unit")
        let bits = try hyperplaneBits(points)
        let n = points.rows
        let chunk = 256
        let chunks = (n + chunk - 1) / chunk
        let net = self
        let parts = try parallelMap(chunks) { c in
            let lo = c * chunk, hi = min(n, lo + chunk)
            return net.evaluateIntegerLayers(bits: bits, rows: lo..<hi)
        }
        return parts.flatMap { $0 }
    }

    func evaluateIntegerLayers(bits: PackedBits, rows: Range<Int>) -> [UInt8] {
        let m = firstLayerWidth
        let total = m + integerUnitCount
        var out = [UInt8](repeating: 0, count: rows.count)
        var values = [Int64](repeating: 0, count: total)
        offsets.withUnsafeBufferPointer { off in
            sources.withUnsafeBufferPointer { src in
                weights.withUnsafeBufferPointer { w in
                    thresholds.withUnsafeBufferPointer { t in
                        values.withUnsafeMutableBufferPointer { z in
                            for (k, i) in rows.enumerated() {
                                for j in 0..<m { z[j] = bits.bit(i, j) ? 1 : 0 }
                                for u in 0..<t.count {
                                    var s: Int64 = 0
                                    for e in off[u]..<off[u + 1] { s &+= w[e] &* z[Int(src[e])] }
                                    z[m + u] = s >= t[u] ? 1 : 0
                                }
                                out[k] = UInt8(z[output])
                            }
                        }
                    }
                }
            }
        }
        return out
    }
}

/// n bit-vectors of length `width`, packed 64 bits per word, row-major.
public struct PackedBits: Sendable {
    public let count: Int
    public let width: Int
    public let wordsPerRow: Int
    public var words: [UInt64]

    public init(count: Int, width: Int) {
        self.count = count
        self.width = width
        wordsPerRow = max(1, (width + 63) / 64)
        words = [UInt64](repeating: 0, count: count * wordsPerRow)
    }

    @inline(__always) public func bit(_ i: Int, _ j: Int) -> Bool {
        words[i * wordsPerRow + j >> 6] >> UInt64(j & 63) & 1 == 1
    }

    @inline(__always) public mutating func set(_ i: Int, _ j: Int) {
        words[i * wordsPerRow + j >> 6] |= 1 << UInt64(j & 63)
    }

    public func row(_ i: Int) -> ArraySlice<UInt64> { words[(i * wordsPerRow)..<((i + 1) * wordsPerRow)] }

    /// Whether the n rows are pairwise distinct (hashing).
    public var rowsDistinct: Bool {
        var seen = Set<ArraySlice<UInt64>>()
        for i in 0..<count where !seen.insert(row(i)).inserted { return false }
        return true
    }

    /// b_ij = 1[(X·G)_ij ≥ 0] for X n × d (rows = points) and G d × m, by dgemm in blocks of rows.
    public static func signs(points: Matrix, normals: Matrix) throws -> PackedBits {
        let n = points.rows, m = normals.columns
        var bits = PackedBits(count: n, width: m)
        let block = max(1, min(n, 1 << 22 / max(1, m)))
        var start = 0
        while start < n {
            let rows = min(block, n - start)
            var slice = Matrix(rows: rows, columns: points.columns)
            for j in 0..<points.columns { for i in 0..<rows { slice.elements[i + j * rows] = points.elements[start + i + j * n] } }
            let product = try Matrix.product(slice, normals)
            guard product.elements.allSatisfy(\.isFinite) else { throw NumericsError.nonFinite("first-layer pre-activations") }
            for j in 0..<m { for i in 0..<rows where product.elements[i + j * rows] >= 0 { bits.set(start + i, j) } }
            start += rows
        }
        return bits
    }
}
