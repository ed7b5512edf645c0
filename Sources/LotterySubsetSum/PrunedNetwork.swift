import ClaimCore
import Foundation

/// How each target weight is realised from its random products aⱼₖ·b_{o,jk}.
enum PruningRule: Sendable {
    /// Exact subset sum per weight and side (Pensia et al.).
    case subsetSum
    /// At most one product per weight and side, the best one (the mechanism of Malach et al.).
    case singleProduct
}

/// One target layer and its random block (spec §6): target W = G/‖G‖₂ (d×d, G Gaussian); hidden unit (j, k) keeps only
/// input j (the first random matrix pruned to block-diagonal form) with weight aⱼₖ, output weights b_{o,jk}; all
/// U[−1, 1] (or aⱼₖ ~ U[0, 1] for the one-signed control). Units are drawn in order k = 0, 1, …, so width n is the
/// prefix of the first n units of every block (nested construction). Every coordinate has its own streams (G_{oj},
/// aⱼ·, b_{o,j·}), so the layer of dimension d′ < d is the leading sub-layer of the one of dimension d before
/// normalisation: sweeps over d (and over depth, which adds layers) use common random numbers.
struct RandomLayer {
    let d: Int
    let target: Matrix
    /// a[k·d + j]
    var a: [Double] = []
    /// b[(k·d + j)·d + o]
    var b: [Double] = []
    let aStreams: [RandomStream]
    /// bStreams[j·d + o]
    let bStreams: [RandomStream]
    let oneSigned: Bool

    init(d: Int, key: StreamKey, oneSigned: Bool) throws {
        self.d = d
        self.oneSigned = oneSigned
        aStreams = (0..<d).map { RandomStream(key.child(1, $0)) }
        bStreams = (0..<(d * d)).map { RandomStream(key.child(2, $0 / d, $0 % d)) }
        var g = Matrix(rows: d, columns: d)
        for o in 0..<d { for j in 0..<d { g.elements[o + j * d] = RandomStream(key.child(0, o, j)).gaussian() } }
        target = (1 / (try g.spectralNorm())) * g
    }

    /// Draws units up to width n.
    mutating func grow(to n: Int) {
        while a.count < n * d {
            for j in 0..<d { a.append(aStreams[j].uniform(oneSigned ? 0 : -1, 1)) }
            for j in 0..<d { for o in 0..<d { b.append(bStreams[j * d + o].uniform(-1, 1)) } }
        }
    }

    /// P⁺ (positive: true) or P⁻: the subset-sum pruning at width n of each weight from the units with aⱼₖ > 0 (< 0).
    func prunedSide(width n: Int, positive: Bool) -> Matrix {
        var side = Matrix(rows: d, columns: d)
        for j in 0..<d {
            let units = (0..<n).filter { positive ? a[$0 * d + j] > 0 : a[$0 * d + j] < 0 }
            for o in 0..<d {
                side.elements[o + j * d] = SubsetSum.bestSum(units.map { a[$0 * d + j] * b[($0 * d + j) * d + o] }, target: target[o, j])
            }
        }
        return side
    }

    /// (P⁺, P⁻): the pruned layer computes P⁺·max(x, 0) + P⁻·min(x, 0) exactly (P⁻ = 0 unless `bothSides`).
    func pruned(width n: Int, bothSides: Bool) -> (plus: Matrix, minus: Matrix) {
        (prunedSide(width: n, positive: true), bothSides ? prunedSide(width: n, positive: false) : Matrix(rows: d, columns: d))
    }

    /// The subsets chosen by `pruned`, as masks over units: kept[o][j][k].
    func keptUnits(width n: Int) -> [[[Bool]]] {
        (0..<d).map { o in (0..<d).map { j in
            var kept = [Bool](repeating: false, count: n)
            for positive in [true, false] {
                let units = (0..<n).filter { positive ? a[$0 * d + j] > 0 : a[$0 * d + j] < 0 }
                let best = SubsetSum.best(units.map { a[$0 * d + j] * b[($0 * d + j) * d + o] }, target: target[o, j])
                for (bit, k) in units.enumerated() where best.subset & (1 << UInt64(bit)) != 0 { kept[k] = true }
            }
            return kept
        } }
    }
}

/// Error bound of the pruned 2l-layer network (spec §6): Δ₀ = 0, Δᵢ = ηᵢ(1 + Δᵢ₋₁) + Δᵢ₋₁ with
/// η₁ = ‖[P⁺₁ − W₁, P⁻₁ − W₁]‖₂ and ηᵢ = ‖P⁺ᵢ − Wᵢ‖₂ (i ≥ 2; the inputs of layers ≥ 2 are ReLU outputs, ≥ 0).
/// Valid because ‖Wᵢ‖₂ = 1, ‖x‖ ≤ 1 and ReLU is 1-Lipschitz.
func errorBound(_ layers: [(plus: Matrix, minus: Matrix)], targets: [Matrix]) throws -> Double {
    var delta = 0.0
    for (i, layer) in layers.enumerated() {
        let w = targets[i]
        let eta: Double
        if i == 0 {
            eta = try Matrix(rows: w.rows, columns: 2 * w.columns, elements: (layer.plus - w).elements + (layer.minus - w).elements).spectralNorm()
        } else {
            eta = try (layer.plus - w).spectralNorm()
        }
        delta = eta * (1 + delta) + delta
    }
    return delta
}

/// One random network for a width-d, depth-l target, and the first grid width at which the bound reaches each ε.
struct WidthSearch {
    let d: Int
    let depth: Int
    let rule: PruningRule
    let oneSigned: Bool
    /// Largest side (units of one sign in one block) solved by MITM; a larger side ends the search (not reached).
    let maxSide: Int

    /// n*(ε) for each ε (nil: not reached on the grid). Stops at the first grid width that reaches the smallest ε.
    func firstWidths(epsilons: [Double], grid: [Int], random: StreamKey) throws -> (widths: [Int?], layers: [RandomLayer]) {
        var layers = try (0..<depth).map { try RandomLayer(d: d, key: random.child($0), oneSigned: oneSigned && $0 == 0) }
        var found = [Int?](repeating: nil, count: epsilons.count)
        // Single-product rule: running best |W − p| per (layer, o, j, side), updated unit by unit.
        var bestPlus = layers.map { $0.target.elements.map { _ in 0.0 } }, bestMinus = bestPlus
        var processed = 0
        for n in grid {
            for i in layers.indices { layers[i].grow(to: n) }
            let pruned: [(plus: Matrix, minus: Matrix)]
            switch rule {
            case .subsetSum:
                let largest = layers.enumerated().map { i, layer in (0..<d).map { j in
                    let pos = (0..<n).filter { layer.a[$0 * d + j] > 0 }.count
                    return i == 0 ? max(pos, n - pos) : pos
                }.max()! }.max()!
                if largest > maxSide { return (found, layers) }
                // Δ ≥ η₁ ≥ ‖P⁻₁ − W₁‖₂: when that already exceeds every ε, this width cannot reach any of them.
                let minus = layers[0].prunedSide(width: n, positive: false)
                if try (minus - layers[0].target).spectralNorm() > epsilons.max()! { continue }
                pruned = layers.enumerated().map { $0.offset == 0 ? (plus: $0.element.prunedSide(width: n, positive: true), minus: minus)
                                                                    : $0.element.pruned(width: n, bothSides: false) }
            case .singleProduct:
                for (i, layer) in layers.enumerated() {
                    for k in processed..<n { for j in 0..<d { for o in 0..<d {
                        let w = layer.target[o, j], ajk = layer.a[k * d + j], p = ajk * layer.b[(k * d + j) * d + o]
                        if ajk > 0, abs(w - p) < abs(w - bestPlus[i][o + j * d]) { bestPlus[i][o + j * d] = p }
                        if ajk < 0, abs(w - p) < abs(w - bestMinus[i][o + j * d]) { bestMinus[i][o + j * d] = p }
                    } } }
                }
                processed = n
                pruned = layers.indices.map { (Matrix(rows: d, columns: d, elements: bestPlus[$0]), Matrix(rows: d, columns: d, elements: bestMinus[$0])) }
            }
            let delta = try errorBound(pruned, targets: layers.map(\.target))
            for (e, eps) in epsilons.enumerated() where found[e] == nil && delta <= eps { found[e] = n }
            if !found.contains(where: { $0 == nil }) { break }
        }
        return (found, layers)
    }
}
