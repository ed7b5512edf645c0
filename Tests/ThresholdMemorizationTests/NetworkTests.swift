import ClaimCore
import Testing
@testable import ThresholdMemorization

@Suite struct NetworkTests {
    /// A parity tree of AND/XOR gadgets computes the XOR of its inputs on every input (exhaustive over 2⁵), and uses
    /// w − 1 gadgets = 2(w − 1) neurons and 5(w − 1) weights.
    @Test func parityTreeIsExactXor() throws {
        let w = 5
        var net = ThresholdNetwork(hyperplanes: Matrix.identity(w))
        let parity = MemorizationConstruction.parityTree(Array(0..<w), into: &net)
        net.setOutput(parity)
        #expect(net.neurons(in: .compression) == 2 * (w - 1))
        #expect(net.weights(in: .compression) == 5 * (w - 1))
        // Points: ±e_j combinations; bit j = 1[x_j ≥ 0], so x_j = 1 for bit 1, −1 for bit 0.
        var points = Matrix(rows: 1 << w, columns: w)
        for mask in 0..<(1 << w) { for j in 0..<w { points[mask, j] = (mask >> j) & 1 == 1 ? 1 : -1 } }
        let out = try net.evaluate(points)
        for mask in 0..<(1 << w) { #expect(Int(out[mask]) == mask.nonzeroBitCount % 2) }
    }

    /// Counts come from the built structure and agree with the spec's closed-form totals for the same m, k, w_r, D, G.
    @Test func builtCountsMatchTheStageFormulas() throws {
        let random = RandomStream(seed: 11)
        let n = 120, d = 6, delta = 0.1
        let x = try PointSet.uniform.sample(count: n, dimension: d, separation: delta, random: random)
        let labels = (0..<n).map { _ in UInt8(random.index(below: 2)) }
        let built = try MemorizationConstruction.build(points: x, labels: labels, separation: delta, random: random)
        let net = built.network
        #expect(try net.evaluate(x) == labels)
        let m = built.hyperplaneCount, k = built.codeLength, dLift = built.liftDimension, g = built.groupCount
        #expect(m == MemorizationConstruction.hyperplaneCount(points: n, separation: delta, failureBudget: 0.01))
        let gadgets = net.neurons(in: .compression) / 2
        #expect(net.neuronCount == m + 2 * gadgets + dLift + 2 * g + 1)
        #expect(net.weightCount >= d * m + 5 * gadgets + k * dLift / 2)
        #expect(net.weights(in: .hyperplanes) == d * m)
        #expect(net.weights(in: .groupDetector) == g * built.groupBits)
        #expect(net.weights(in: .output) == g)
        #expect(net.largestAbsoluteSum < 1 << 62)
    }

    /// Deleting an integer unit or a hyperplane re-indexes every later source correctly: deleting a unit nobody reads
    /// (a memoriser of an all-zero group) changes nothing.
    @Test func surgeryKeepsTheRestOfTheNetwork() throws {
        let random = RandomStream(seed: 5)
        let n = 40, d = 4, delta = 0.2
        let x = try PointSet.uniform.sample(count: n, dimension: d, separation: delta, random: random)
        let labels = [UInt8](repeating: 0, count: n)
        let built = try MemorizationConstruction.build(points: x, labels: labels, separation: delta, random: random)
        let unit = try #require(built.memorizerUnit.values.first)
        let pruned = built.network.droppingUnit(unit)
        #expect(pruned.neuronCount == built.network.neuronCount - 1)
        #expect(try pruned.evaluate(x) == labels)
        #expect(built.network.droppingHyperplane(0).firstLayerWidth == built.hyperplaneCount - 1)
    }

    /// Point sets are δ-separated and unit-norm.
    @Test(arguments: PointSet.allCases)
    func pointSetsAreSeparated(kind: PointSet) throws {
        let x = try kind.sample(count: 40, dimension: 5, separation: 0.15, random: RandomStream(seed: 3))
        #expect(try minimumDistance(x) >= 0.15 * (1 - 1e-12))
        for i in 0..<x.rows {
            let norm = (0..<x.columns).reduce(0.0) { $0 + x[i, $1] * x[i, $1] }
            #expect(abs(norm - 1) < 1e-12)
        }
    }

    /// The exhaustive enumeration reproduces the classical counts: n(n−1) + 2 line dichotomies of n points in convex
    /// position, and (n − 1)!! sets of n/2 lines covering the n gaps of the cycle (perfect matchings of the gaps).
    @Test func lineDichotomyCounts() {
        for n in [4, 6, 8] {
            let cuts = LowerBounds.lineCutMasks(points: n)
            #expect(cuts.count == n * (n - 1) + 2)
            let distinct = Array(Set(cuts)).sorted()
            let doubleFactorial = stride(from: n - 1, to: 0, by: -2).reduce(1, *)
            #expect(LowerBounds.coveringSubsets(cuts: distinct, size: n / 2, gaps: n) == doubleFactorial)
            #expect(LowerBounds.coveringSubsets(cuts: distinct, size: n / 2 - 1, gaps: n) == 0)
        }
    }
}
