import ClaimCore
import Foundation

/// The construction failed its own run-time checks more often than the retry limit allows.
public struct ConstructionError: Error, CustomStringConvertible {
    public let stage: String
    public let detail: String
    public var description: String { "construction failed at \(stage): \(detail)" }
}

/// The four-stage memorising network of the spec (§4, ours [D], following Figure 1 of Rajput et al. 2021).
///
/// Given n points on S^{d−1} with pairwise distances ≥ δ and labels y ∈ {0,1}ⁿ:
/// 1. m Gaussian hyperplanes through the origin, m = ⌈ln(n(n−1)/(2p)) / −ln(1 − θ/π)⌉, θ = 2·arcsin(δ/2)
///    (a random hyperplane separates two unit vectors at angle φ with probability φ/π; union bound over pairs);
/// 2. k = ⌈2.5·ln(n(n−1)/(2p))⌉ sparse GF(2) parities c = C·b mod 2, C_rj ~ Bernoulli(q), q = min(½, π/(mθ)),
///    each parity a tree of (w_r − 1) AND/XOR gadgets;
/// 3. group index = first b_g = round(log₂√n) code bits (G = 2^{b_g} groups), D = 2·(largest group) lifting units
///    φ_j = 1[r_jᵀ(2c − 1) ≥ t_j] with r_j ∈ {±1}ᵏ (integer weights), and G group detectors;
/// 4. per group, w_g solves Φ_g w = y_g (dgelsd; Φ_g has full row rank, checked by its singular values), is scaled
///    by K and rounded to integers, and v_g = 1[w_gᵀφ + M_g·[x ∈ g] ≥ M_g + K/2]; output 1[Σ_g v_g ≥ 1].
/// Every random choice is redrawn if its check fails (Las Vegas); retries are counted.
public enum MemorizationConstruction {
    /// How the first layer is chosen.
    public enum FirstLayer: Sendable {
        /// m from the union-bound formula, redrawn until the n bit-vectors are distinct.
        case formula
        /// m given (e.g. below the formula, for a negative control), redrawn until distinct.
        case count(Int)
        /// Explicit normals (d × m), used as they are.
        case given(Matrix)
    }

    public struct Options: Sendable {
        public var failureBudget: Double
        public var firstLayer: FirstLayer
        /// K: stage-4 weights are round(K·w_g).
        public var integerScale: Int64
        public var maxRetries: Int
        /// Negative-control variants: a forced number of group bits (0 = one group of all n points), a group-count
        /// exponent other than ½ (b_g = round(e·log₂ n), G ≈ nᵉ groups of ≈ n^{1−e} points), and lifting straight from
        /// the m hyperplane bits (no stage 2).
        public var groupBitsOverride: Int?
        public var groupExponent: Double = 0.5
        public var liftFromHyperplanes: Bool
        /// Keep the first stage 3–4 draw even if a group's system is singular or rounding breaks a label (the
        /// network is then built but may not memorise): for controls whose construction cannot succeed.
        public var acceptInexact: Bool
        public init(failureBudget: Double = 0.01, firstLayer: FirstLayer = .formula, integerScale: Int64 = 1 << 20, maxRetries: Int = 40,
                    groupBitsOverride: Int? = nil, liftFromHyperplanes: Bool = false, acceptInexact: Bool = false) {
            self.failureBudget = failureBudget
            self.firstLayer = firstLayer
            self.integerScale = integerScale
            self.maxRetries = maxRetries
            self.groupBitsOverride = groupBitsOverride
            self.liftFromHyperplanes = liftFromHyperplanes
            self.acceptInexact = acceptInexact
        }
    }

    /// The network and the data of its construction.
    public struct Built: Sendable {
        public let network: ThresholdNetwork
        /// m, k, b_g, G (non-empty groups), D.
        public let hyperplaneCount: Int
        public let codeLength: Int
        public let groupBits: Int
        public let groupCount: Int
        public let liftDimension: Int
        /// Redraws needed by stages 1, 2, 3–4.
        public let retries: [Int]
        /// Group of each point and the memorising unit (integer-unit index) of each non-empty group.
        public let groupOf: [Int]
        public let memorizerUnit: [Int: Int]
    }

    /// θ = 2·arcsin(δ/2): the smallest angle between two unit vectors at distance ≥ δ.
    public static func angle(separation delta: Double) -> Double { 2 * asin(min(1, delta / 2)) }

    /// m = ⌈ln(n(n−1)/(2p)) / −ln(1 − θ/π)⌉.
    public static func hyperplaneCount(points n: Int, separation delta: Double, failureBudget p: Double) -> Int {
        let theta = angle(separation: delta)
        return Int((log(Double(n) * Double(n - 1) / (2 * p)) / -log1p(-theta / Double.pi)).rounded(.up))
    }

    /// k = ⌈2.5·ln(n(n−1)/(2p))⌉.
    public static func codeLength(points n: Int, failureBudget p: Double) -> Int {
        Int((2.5 * log(Double(n) * Double(n - 1) / (2 * p))).rounded(.up))
    }

    public static func build(points: Matrix, labels: [UInt8], separation delta: Double, options: Options = Options(), random: RandomStream) throws -> Built {
        let n = points.rows, d = points.columns
        precondition(labels.count == n && n >= 2)
        let theta = angle(separation: delta)
        var retries = [0, 0, 0]

        // Stage 1.
        var normals: Matrix
        var bits: PackedBits
        switch options.firstLayer {
        case let .given(g):
            normals = g
            bits = try PackedBits.signs(points: points, normals: g)
        case .formula, .count:
            let m: Int
            if case let .count(c) = options.firstLayer { m = c } else { m = hyperplaneCount(points: n, separation: delta, failureBudget: options.failureBudget) }
            repeat {
                normals = random.gaussianMatrix(rows: d, columns: m)
                bits = try PackedBits.signs(points: points, normals: normals)
                if bits.rowsDistinct { break }
                retries[0] += 1
                if retries[0] > options.maxRetries { throw ConstructionError(stage: "stage 1", detail: "\(m) hyperplanes left two points in one cell \(retries[0]) times") }
            } while true
        }
        let m = normals.columns
        var network = ThresholdNetwork(hyperplanes: normals)

        // Stage 2.
        var k = codeLength(points: n, failureBudget: options.failureBudget)
        let q = min(0.5, Double.pi / (Double(m) * theta))
        var codes: PackedBits
        let codeUnits: [Int]
        if options.liftFromHyperplanes {
            k = m
            codes = bits
            codeUnits = Array(0..<m)
        } else {
            var rows: [[Int]]
            repeat {
                rows = drawParityRows(count: k, width: m, density: q, random: random)
                codes = parities(bits, rows: rows)
                if codes.rowsDistinct { break }
                retries[1] += 1
                if retries[1] > options.maxRetries { throw ConstructionError(stage: "stage 2", detail: "codes collided \(retries[1]) times") }
            } while true
            codeUnits = rows.map { row in parityTree(row, into: &network) }
        }

        // Stage 3: groups.
        let groupBits = options.groupBitsOverride ?? max(0, min(k, Int((options.groupExponent * log2(Double(n))).rounded())))
        let groupOf = (0..<n).map { i in (0..<groupBits).reduce(0) { $0 | (codes.bit(i, $1) ? 1 << $1 : 0) } }
        var members: [Int: [Int]] = [:]
        for i in 0..<n { members[groupOf[i], default: []].append(i) }
        let largest = members.values.map(\.count).max()!
        let liftDimension = 2 * largest
        var detectorUnit: [Int: Int] = [:]
        for g in members.keys.sorted() {
            let signs = (0..<groupBits).map { (g >> $0) & 1 == 1 ? Int64(1) : -1 }
            detectorUnit[g] = network.addUnit(sources: (0..<groupBits).map { codeUnits[$0] }, weights: signs,
                                              threshold: Int64(g.nonzeroBitCount), stage: .groupDetector)
        }

        // Stages 3–4: lifting and one memoriser per group, redrawn together until every group solves exactly.
        let scale = options.integerScale
        while true {
            var trial = network
            let lift = (0..<liftDimension).map { _ in
                (signs: (0..<k).map { _ in random.rademacher() < 0 ? Int64(-1) : 1 }, offset: random.gaussian() * Double(k).squareRoot())
            }
            // φ_j = 1[Σ r_r(2c_r − 1) ≥ t_j] ⟺ Σ r_r c_r ≥ ⌈(t_j + Σ r_r)/2⌉.
            let liftThresholds = lift.map { Int64(((($0.offset + Double($0.signs.reduce(0, +))) / 2)).rounded(.up)) }
            let liftUnits = lift.indices.map { j in trial.addUnit(sources: codeUnits, weights: lift[j].signs, threshold: liftThresholds[j], stage: .lifting) }
            var phi = [UInt8](repeating: 0, count: n * liftDimension)
            for i in 0..<n {
                for j in 0..<liftDimension {
                    var s: Int64 = 0
                    for r in 0..<k where codes.bit(i, r) { s += lift[j].signs[r] }
                    phi[i * liftDimension + j] = s >= liftThresholds[j] ? 1 : 0
                }
            }
            var memorizer: [Int: Int] = [:]
            var failed: String?
            for g in members.keys.sorted() {
                let group = members[g]!
                var a = Matrix(rows: group.count, columns: liftDimension)
                for (row, i) in group.enumerated() { for j in 0..<liftDimension { a[row, j] = Double(phi[i * liftDimension + j]) } }
                let sigma = try a.singularValues()
                let independent = (sigma.last ?? 0) > 1e-8 * (sigma.first ?? 0)
                if !independent && !options.acceptInexact { failed = "group \(g) lifted vectors are linearly dependent"; break }
                let w = try a.leastSquares(group.map { Double(labels[$0]) })
                if !options.acceptInexact && !w.allSatisfy({ $0.isFinite && abs($0) < 1e9 }) { failed = "group \(g) weights too large"; break }
                let integer = w.map { Int64((max(-1e9, min(1e9, $0.isFinite ? $0 : 0)) * Double(scale)).rounded()) }
                var preMax: Int64 = 0
                var pre = [Int64](repeating: 0, count: n)
                for i in 0..<n {
                    var s: Int64 = 0
                    for j in 0..<liftDimension where phi[i * liftDimension + j] == 1 { s += integer[j] }
                    pre[i] = s
                    preMax = max(preMax, s)
                }
                let bigM = preMax + scale
                let threshold = bigM + scale / 2
                if !options.acceptInexact && group.contains(where: { (pre[$0] + bigM >= threshold) != (labels[$0] == 1) }) { failed = "group \(g) rounding broke a label"; break }
                memorizer[g] = trial.addUnit(sources: liftUnits + [detectorUnit[g]!], weights: integer + [bigM], threshold: threshold, stage: .memorizer) - m
            }
            if let failed {
                retries[2] += 1
                if retries[2] > options.maxRetries { throw ConstructionError(stage: "stages 3–4", detail: failed) }
                continue
            }
            let memorizers = memorizer.keys.sorted().map { memorizer[$0]! + m }
            let out = trial.addUnit(sources: memorizers, weights: memorizers.map { _ in 1 }, threshold: 1, stage: .output)
            trial.setOutput(out)
            guard trial.largestAbsoluteSum < 1 << 62 else { throw ConstructionError(stage: "stage 4", detail: "integer weights could overflow Int64") }
            return Built(network: trial, hyperplaneCount: m, codeLength: k, groupBits: groupBits, groupCount: members.count,
                         liftDimension: liftDimension, retries: retries, groupOf: groupOf, memorizerUnit: memorizer)
        }
    }

    /// k rows of the stage-2 matrix C: each lists the columns j with C_rj = 1, C_rj ~ Bernoulli(q) (redrawn if empty).
    static func drawParityRows(count k: Int, width m: Int, density q: Double, random: RandomStream) -> [[Int]] {
        (0..<k).map { _ in
            var row: [Int] = []
            while row.isEmpty { row = (0..<m).filter { _ in random.uniform() < q } }
            return row
        }
    }

    /// One first draw of the random stages 1–2 with the budgeted m (or `hyperplanes`) and k, without building the
    /// network: whether stage 1 left two points in one cell, and (if not) whether the stage-2 codes collided.
    public static func firstDraw(points: Matrix, separation delta: Double, failureBudget p: Double, hyperplanes: Int? = nil,
                                 random: RandomStream) throws -> (stage1Failed: Bool, stage2Failed: Bool) {
        let n = points.rows
        let m = hyperplanes ?? hyperplaneCount(points: n, separation: delta, failureBudget: p)
        let bits = try PackedBits.signs(points: points, normals: random.gaussianMatrix(rows: points.columns, columns: m))
        guard bits.rowsDistinct else { return (true, false) }
        let q = min(0.5, Double.pi / (Double(m) * angle(separation: delta)))
        let rows = drawParityRows(count: codeLength(points: n, failureBudget: p), width: m, density: q, random: random)
        return (false, !parities(bits, rows: rows).rowsDistinct)
    }

    /// c_r = parity of the bits in row r (GF(2) product C·b).
    static func parities(_ bits: PackedBits, rows: [[Int]]) -> PackedBits {
        var codes = PackedBits(count: bits.count, width: rows.count)
        for i in 0..<bits.count {
            for (r, row) in rows.enumerated() {
                var parity = false
                for j in row where bits.bit(i, j) { parity.toggle() }
                if parity { codes.set(i, r) }
            }
        }
        return codes
    }

    /// XOR of the listed first-layer units by a balanced tree of gadgets AND = 1[a + b ≥ 2],
    /// XOR = 1[a + b − 2·AND ≥ 1]; returns the value index of the parity.
    static func parityTree(_ inputs: [Int], into network: inout ThresholdNetwork) -> Int {
        var level = inputs
        while level.count > 1 {
            var next: [Int] = []
            var i = 0
            while i + 1 < level.count {
                let a = level[i], b = level[i + 1]
                let and = network.addUnit(sources: [a, b], weights: [1, 1], threshold: 2, stage: .compression)
                next.append(network.addUnit(sources: [a, b, and], weights: [1, 1, -2], threshold: 1, stage: .compression))
                i += 2
            }
            if i < level.count { next.append(level[i]) }
            level = next
        }
        return level[0]
    }
}
