@preconcurrency import CLinearAlgebra
import ClaimCore

/// Exhaustive ordering strategies on `SkewedKicks` for small n (n ≤ 6, n! ≤ 720 orders), issue 14 item 3: "no
/// permutation beats random" tested against all permutations, not a handful of heuristics.
///
/// Symmetry: relabelling the coordinates by π maps component i to π(i) and leaves x₀ = s·𝟙 fixed, so order σ and order
/// π∘σ give the same ‖x‖. Hence every fixed order is as good as IGD (checked: `fixedOrderSpread`), and a periodic pair
/// (σ, τ) is as good as (identity, σ⁻¹τ): searching τ over all n! with σ = identity is exhaustive over pairs.
extension SkewedKicks {
    /// All n! orders of 0..<n in lexicographic order.
    public static func allOrders(_ n: Int) -> [[Int32]] {
        let count = (1...max(n, 1)).reduce(1, *)
        return (0..<count).map { ExponentialPermutations.permutation(rank: $0, of: n).map { Int32($0) } }
    }

    /// ‖x‖² after `epochs` epochs from x₀ = `start`·𝟙, epoch k using `orderFor(k, x)` (an index into `orders`).
    func run(epochs: Int, stepSize: Double, start: Double, orders: [[Int32]], choose: (Int, UnsafeMutableBufferPointer<Double>) -> Int) -> Double {
        var x = [Double](repeating: start, count: dimension)
        x.withUnsafeMutableBufferPointer { x in
            for k in 0..<epochs {
                let pick = choose(k, x)
                orders[pick].withUnsafeBufferPointer { epoch(x, order: $0, backwards: false, stepSize: stepSize) }
            }
        }
        return cblas_ddot(Int32(dimension), x, 1, x, 1)
    }

    /// Greedy on the true objective: every epoch, the order among all n! whose epoch ends with the smallest ‖x‖
    /// (first minimiser in lexicographic order on ties). Deterministic.
    public func greedyExhaustive(epochs: Int, stepSize: Double, start: Double, orders: [[Int32]]) -> Double {
        var trial = [Double](repeating: 0, count: dimension)
        return trial.withUnsafeMutableBufferPointer { trial in
            run(epochs: epochs, stepSize: stepSize, start: start, orders: orders) { _, x in
                var best = 0, bestNorm = Double.infinity
                for (index, order) in orders.enumerated() {
                    trial.baseAddress!.update(from: x.baseAddress!, count: dimension)
                    order.withUnsafeBufferPointer { epoch(trial, order: $0, backwards: false, stepSize: stepSize) }
                    let norm = cblas_ddot(Int32(dimension), trial.baseAddress!, 1, trial.baseAddress!, 1)
                    if norm < bestNorm { bestNorm = norm; best = index }
                }
                return best
            }
        }
    }

    /// The best periodic pair: epochs alternate identity, τ, identity, τ, …; the smallest final ‖x‖² over all n! τ
    /// (chosen with knowledge of K). Includes τ = identity (IGD) and τ = reversed identity (FlipFlop-IGD).
    public func bestPeriodicPair(epochs: Int, stepSize: Double, start: Double, orders: [[Int32]]) -> Double {
        orders.indices.map { tau in
            run(epochs: epochs, stepSize: stepSize, start: start, orders: orders) { k, _ in k % 2 == 0 ? 0 : tau }
        }.min()!
    }

    /// max/min over all fixed orders of the final ‖x‖²: 1 up to rounding, by the relabelling symmetry.
    public func fixedOrderSpread(epochs: Int, stepSize: Double, start: Double, orders: [[Int32]]) -> Double {
        let errors = orders.indices.map { i in run(epochs: epochs, stepSize: stepSize, start: start, orders: orders) { _, _ in i } }
        return errors.max()! / errors.min()!
    }
}
