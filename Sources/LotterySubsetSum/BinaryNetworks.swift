import ClaimCore
import Foundation

/// A bias-free ReLU network on ℝ: weight matrices (column-major `Matrix`, layer t maps width_{t} → width_{t+1}),
/// ReLU after every layer but the last, and a fixed output scale λ. Evaluated with BLAS (`Matrix * [Double]`).
struct ScalarNetwork {
    var layers: [Matrix]
    var scale: Double

    func callAsFunction(_ x: Double) -> Double {
        var h = [x]
        for (t, w) in layers.enumerated() {
            h = w * h
            if t < layers.count - 1 { h = h.map { max($0, 0) } }
        }
        return scale * h[0]
    }
}

/// A random {±1} network with one input, `depth` hidden layers of `width` units and one output, and the
/// w-independent greedy selection of our Horner construction (spec §8(c)): per branch (x > 0 via input edge +1,
/// x < 0 via −1), hidden layer t holds a relay R_t = |x| and two accumulators A_t = A′_t = v_t|x|; layer t+1 picks
/// accumulators whose edges from A_t, A′_t and R_t are all +1 and a relay whose edge from R_t is +1; in the last hidden
/// layer one accumulator copy must have output edge +1 and the other −1. Pruning then keeps the R-edge iff the next
/// bit of q = round(|w|·2ᴷ) is 1, so v_{t+1} = 2v_t + bit and the output is λ·(±q)|x|.
struct BinaryHorner {
    let width: Int
    /// K: hidden layers K + 1, weight layers K + 2.
    let bits: Int
    let input: [Double]
    /// transitions[t][c + r·width] = edge from unit r of hidden layer t+1 to unit c of hidden layer t+2 (0-based t).
    let transitions: [[Double]]
    let output: [Double]

    /// Signs from raw mt19937 words: `uniform()` is word/2³² exactly (`gsl_rng_uniform`), so each call yields 32 fair bits.
    static func signs(_ count: Int, _ random: RandomStream) -> [Double] {
        var out: [Double] = []
        out.reserveCapacity(count)
        while out.count < count {
            let word = UInt32(random.uniform() * 4_294_967_296)
            for bit in 0..<min(32, count - out.count) { out.append(word & (1 << UInt32(bit)) != 0 ? 1 : -1) }
        }
        return out
    }

    init(width m: Int, bits k: Int, random: RandomStream) {
        width = m
        bits = k
        input = Self.signs(m, random)
        transitions = (0..<k).map { _ in Self.signs(m * m, random) }
        output = Self.signs(m, random)
    }

    /// Selected units per branch and layer: relay[t], acc[t], acc2[t] (t = 0…K, acc/acc2 in layer 0 carry bit K).
    struct Selection { var relay: [Int] = []; var acc: [Int] = []; var acc2: [Int] = [] }

    /// The greedy; nil if some layer has no admissible unit (the network is then a failure for every w).
    func select() -> [Selection]? {
        // Units already taken, per hidden layer (the two branches share the layers).
        var used = [Set<Int>](repeating: [], count: bits + 1)
        var branches: [Selection] = []
        for sign in [1.0, -1.0] {
            var s = Selection()
            func take(_ layer: Int, _ ok: (Int) -> Bool) -> Int? {
                guard let u = (0..<width).first(where: { !used[layer].contains($0) && ok($0) }) else { return nil }
                used[layer].insert(u)
                return u
            }
            guard let r0 = take(0, { input[$0] == sign }), let a0 = take(0, { input[$0] == sign }), let b0 = take(0, { input[$0] == sign }) else { return nil }
            s.relay.append(r0); s.acc.append(a0); s.acc2.append(b0)
            for t in 0..<bits {
                let edges = transitions[t], r = s.relay[t], a = s.acc[t], b = s.acc2[t]
                let feeds = { (c: Int) in edges[c + r * width] == 1 && edges[c + a * width] == 1 && edges[c + b * width] == 1 }
                let last = t == bits - 1
                guard let na = take(t + 1, { feeds($0) && (!last || output[$0] == 1) }),
                      let nb = take(t + 1, { feeds($0) && (!last || output[$0] == -1) }) else { return nil }
                s.acc.append(na); s.acc2.append(nb)
                if !last {
                    guard let nr = take(t + 1, { edges[$0 + r * width] == 1 }) else { return nil }
                    s.relay.append(nr)
                }
            }
            branches.append(s)
        }
        return branches
    }

    /// The pruned network for weight w (|w| ≤ 1) as literal masked matrices, output scale λ.
    func pruned(_ selection: [Selection], weight w: Double, scale: Double) -> ScalarNetwork {
        let q = Int64((abs(w) * pow(2, Double(bits))).rounded())
        func bit(_ i: Int) -> Bool { (q >> Int64(i)) & 1 == 1 }            // bit i of q, i = 0…K
        var first = Matrix(rows: width, columns: 1)
        var hidden = (0..<bits).map { _ in Matrix(rows: width, columns: width) }
        var last = Matrix(rows: 1, columns: width)
        for (branch, s) in selection.enumerated() {
            first.elements[s.relay[0]] = input[s.relay[0]]
            if bit(bits) { first.elements[s.acc[0]] = input[s.acc[0]]; first.elements[s.acc2[0]] = input[s.acc2[0]] }
            for t in 0..<bits {
                for c in [s.acc[t + 1], s.acc2[t + 1]] {
                    hidden[t].elements[c + s.acc[t] * width] = 1
                    hidden[t].elements[c + s.acc2[t] * width] = 1
                    if bit(bits - 1 - t) { hidden[t].elements[c + s.relay[t] * width] = 1 }
                }
                if t < bits - 1 { hidden[t].elements[s.relay[t + 1] + s.relay[t] * width] = 1 }
            }
            // Branch + carries q·x (x > 0); branch − carries q·|x| = −q·x (x < 0): output edge sign(w) resp. −sign(w).
            let wanted: Double = (w >= 0) == (branch == 0) ? 1 : -1
            let unit = output[s.acc[bits]] == wanted ? s.acc[bits] : s.acc2[bits]
            last.elements[unit] = output[unit]
        }
        return ScalarNetwork(layers: [first] + hidden + [last], scale: scale)
    }
}

/// **LT6 — random binary {±1} networks: a fixed scale and depth log₂(1/ε) + 1 suffice, no scale never does**
/// (Sreenivasan et al., AISTATS 2022: [V] abstract; theorem [R]; the construction and numbers are ours, [D]).
///
/// (a) Without a scale, a bias-free network with weights in {−1, 0, +1} computes g(x) = αx (x > 0), βx (x < 0) with
/// α, β ∈ ℤ, so sup_{|x|≤1}|x/2 − g(x)| ≥ ½ for every width, depth and pruning: checked exhaustively on small
/// architectures and on random pruned networks. (b) With output scale λ = 2⁻ᴷ, our Horner pruning of a random ±1
/// network with K + 1 hidden layers realises sign(w)·2⁻ᴷ·round(|w|2ᴷ)·x for every |w| ≤ 1 at once (error ≤ 2^{−(K+1)},
/// depth K + 2 = log₂(1/ε) + 1) once the greedy succeeds, and the width m*(K) at which it succeeds for 95% of networks
/// grows only slowly with K.
public struct BinaryNetworks: Claim {
    public init() {}

    public let id = "lottery.binary-networks"
    public let family = Family.lotterySubsetSum
    public let citation = Citation.binaryNetworks
    public let statement = "Pruning a random {±1} network with a fixed scale approximates targets to any ε with only polylogarithmically more width and depth; without a scale, no pruned binary network approximates x ↦ x/2 below ½."
    public let guarantee = Guarantee.upper
    public let source = StatementSource.derived("polylog width/depth from the AISTATS abstract (theorem not readable); integer-slope impossibility and the Horner construction are ours (spec §8)")

    public let parameters: [ParameterSpec] = [
        ParameterSpec("random_nets", .integer(1...1_000_000), "random pruned {−1,0,1} networks for the impossibility part (plus exhaustive small architectures)"),
        ParameterSpec("exact_bits", .integer(1...50), "K for the exactness check (q·2⁻ᴷ exact in Double; weights carry 53 random bits, half of them at the rounding worst case)"),
        ParameterSpec("exact_width", .integer(8...256), "width m of the network used for the exactness check"),
        ParameterSpec("exact_weights", .integer(1...100_000), "random w ∈ [−1, 1] for the exactness check"),
        ParameterSpec("bits", .integers(1...60, minCount: 2, increasing: true), "K values for the width search (depth K + 2)"),
        ParameterSpec("widths", .integers(6...512, minCount: 1, increasing: true), "grid of widths m"),
        ParameterSpec("networks", .integer(10...100_000), "random networks per (K, m)"),
        ParameterSpec("success_level", .real(0.5...0.999), "greedy success rate that defines m*(K)"),
        ParameterSpec("growth_bound", .real(1...10), "bound on m*(K_max)/m*(K_min)"),
    ]

    public let controls = [
        NegativeControl(id: "width-16", description: "width m = 16 for every K: the greedy (and the claim that this width suffices) fails"),
        NegativeControl(id: "no-scale", description: "output scale λ = 1 instead of 2⁻ᴷ: the same pruned network outputs ±q·x"),
    ]

    /// sup_{|x|≤1}|x/2 − g(x)| for a bias-free piecewise-linear g: max over x = ±1 (g is linear on each half-line).
    static func halfError(_ g: ScalarNetwork) -> (error: Double, integral: Bool) {
        let plus = g(1), minus = g(-1)
        return (max(abs(0.5 - plus), abs(-0.5 - minus)), plus == plus.rounded() && minus == minus.rounded())
    }

    /// All {−1, 0, 1} weightings of a 1 → width → … → 1 network with `hidden` hidden layers (exhaustive).
    static func exhaustive(width: Int, hidden: Int) -> [ScalarNetwork] {
        let shapes = [(width, 1)] + Array(repeating: (width, width), count: hidden - 1) + [(1, width)]
        let count = shapes.reduce(0) { $0 + $1.0 * $1.1 }
        var nets: [ScalarNetwork] = []
        var code = 0, total = 1
        for _ in 0..<count { total *= 3 }
        while code < total {
            var c = code, layers: [Matrix] = []
            for (rows, cols) in shapes {
                layers.append(Matrix(rows: rows, columns: cols, elements: (0..<(rows * cols)).map { _ in let v = Double(c % 3 - 1); c /= 3; return v }))
            }
            nets.append(ScalarNetwork(layers: layers, scale: 1))
            code += 1
        }
        return nets
    }

    public func run(_ context: RunContext) throws -> Report {
        let p = context.parameters
        var table = Table(columns: ["part", "K", "m", "networks", "measured", "bound"])

        // (a) impossibility without a scale.
        var nets = Self.exhaustive(width: 2, hidden: 1) + Self.exhaustive(width: 3, hidden: 1) + Self.exhaustive(width: 2, hidden: 2)
        let exhaustiveCount = nets.count
        let random = RandomStream(context.streams.child(0))
        for _ in 0..<(try p.int("random_nets")) {
            let m = 2 + random.index(below: 7), hidden = 1 + random.index(below: 4)
            let shapes = [(m, 1)] + Array(repeating: (m, m), count: hidden - 1) + [(1, m)]
            nets.append(ScalarNetwork(layers: shapes.map { r, c in Matrix(rows: r, columns: c, elements: (0..<(r * c)).map { _ in Double(random.index(below: 3)) - 1 }) }, scale: 1))
        }
        let half = nets.map(Self.halfError)
        let minHalf = half.map(\.error).min()!, allIntegral = half.allSatisfy(\.integral)
        table.append([.text("unscaled {−1,0,1} nets: min sup|x/2 − g|"), .text("—"), .text("≤ 8"), .integer(nets.count), .real(minHalf), .real(0.5)])

        // (b) Horner construction: exactness on one successful network.
        let scaleOf = { (k: Int) in context.isControl("no-scale") ? 1 : pow(2, -Double(k)) }
        let kExact = try p.int("exact_bits"), mExact = try p.int("exact_width")
        var exactNet: (BinaryHorner, [BinaryHorner.Selection])? = nil
        for attempt in 0..<100 where exactNet == nil {
            let net = BinaryHorner(width: mExact, bits: kExact, random: RandomStream(context.streams.child(1, attempt)))
            if let s = net.select() { exactNet = (net, s) }
        }
        guard let (hornerNet, selection) = exactNet else { return Report(claimID: id, control: context.control, checks: [.failure("Horner network", reason: "no network of width \(mExact) admitted the greedy in 100 draws")], table: table) }
        var worstMismatch = 0.0, worstError = 0.0
        let wRandom = RandomStream(context.streams.child(2))
        let xs = [-1, -0.37, 0, 0.25, 1.0]
        for i in 0..<(try p.int("exact_weights")) {
            // w = ±1; every other weight a worst case for rounding, ±(2j + 1)·2^{−(K+1)} (error exactly 2^{−(K+1)});
            // the rest uniform on [−1, 1] with 53 random bits (a 32-bit draw would be exact on the 2⁻ᴷ grid for K ≥ 32).
            let word = (UInt64(wRandom.uniform() * 4_294_967_296) << 32) | UInt64(wRandom.uniform() * 4_294_967_296)
            let w: Double
            if i < 2 { w = i == 0 ? 1 : -1 }
            else if i % 2 == 0 { w = (i % 4 == 0 ? 1 : -1) * Double(2 * (word >> UInt64(64 - kExact)) + 1) * pow(2, -Double(kExact + 1)) }
            else { w = 2 * Double(word >> 11) * pow(2, -53) - 1 }
            let g = hornerNet.pruned(selection, weight: w, scale: scaleOf(kExact))
            let q = (abs(w) * pow(2, Double(kExact))).rounded()
            for x in xs {
                let expected = (w < 0 ? -1 : 1) * q * pow(2, -Double(kExact)) * x
                worstMismatch = max(worstMismatch, abs(g(x) - expected))
                worstError = max(worstError, abs(w * x - g(x)))
            }
        }
        table.append([.text("Horner: max |g − sign(w)2⁻ᴷ·q·x|"), .integer(kExact), .integer(mExact), .integer(1), .real(worstMismatch), .real(1e-14)])
        table.append([.text("Horner: max |wx − g(x)|"), .integer(kExact), .integer(mExact), .integer(1), .real(worstError), .real(pow(2, -Double(kExact + 1)))])

        // (c) width m*(K) at which the greedy succeeds for ≥ success_level of the networks.
        let ks = try p.ints("bits"), count = try p.int("networks"), level = try p.double("success_level")
        let widths = context.isControl("width-16") ? [16] : try p.ints("widths")
        let cells = ks.flatMap { k in widths.map { (k, $0) } }
        let rates = try parallelMap(cells.count) { c -> Double in
            let (k, m) = cells[c]
            let ki = ks.firstIndex(of: k)!, mi = widths.firstIndex(of: m) ?? 99
            let ok = (0..<count).filter { BinaryHorner(width: m, bits: k, random: RandomStream(context.streams.child(3, ki, mi, $0))).select() != nil }.count
            return Double(ok) / Double(count)
        }
        var mStar: [Int?] = []
        for (ki, k) in ks.enumerated() {
            let row = (0..<widths.count).map { rates[ki * widths.count + $0] }
            mStar.append(widths.indices.first { row[$0] >= level }.map { widths[$0] })
            for (mi, m) in widths.enumerated() {
                table.append([.text("greedy success rate"), .integer(k), .integer(m), .integer(count), .real(row[mi]), .real(level)])
            }
        }
        let found = mStar.allSatisfy { $0 != nil }
        var checks: [Check] = [
            .atLeast("no scale: min over \(nets.count) pruned {−1,0,1} nets (\(exhaustiveCount) exhaustive) of sup|x/2 − g(x)|", measured: minHalf, bound: 0.5),
            Check.exact("unscaled nets: g(±1) are integers", holds: allIntegral, detail: allIntegral ? "all integers" : "a non-integer slope").as(.sanity),
            Check.atMost("Horner output vs sign(w)·2⁻ᴷ·round(|w|2ᴷ)·x (K = \(kExact), m = \(mExact))", measured: worstMismatch, bound: 1e-14).as(.construction),
            .atMost("Horner: sup error over \(try p.int("exact_weights")) weights (half at the rounding worst case) × x ∈ {±1, −0.37, 0, 0.25} vs 2^{−(K+1)}", measured: worstError, bound: pow(2, -Double(kExact + 1))),
            .exact("m*(K) found on the width grid for K = \(ks.map(String.init).joined(separator: ", "))", holds: found,
                   detail: mStar.map { $0.map(String.init) ?? "none" }.joined(separator: ", ")),
        ]
        if found {
            let m = mStar.map { Double($0!) }
            table.append([.text("m*(K)"), .text(ks.map(String.init).joined(separator: ",")), .text(m.map { String(Int($0)) }.joined(separator: ",")), .integer(count), .real(m.last! / m.first!), .real(try p.double("growth_bound"))])
            checks.append(.atMost("width growth m*(K_max)/m*(K_min), K from \(ks.first!) to \(ks.last!)", measured: m.last! / m.first!, bound: try p.double("growth_bound")))
        }
        let notes = [
            "Depth K + 2 weight layers for error 2^{−(K+1)}: depth = log₂(1/ε) + 1 exactly. The greedy is w-independent (R-edges must be +1 even when the bit is 0), so one network serves every |w| ≤ 1.",
            "This Horner construction is ours, not necessarily the one of Sreenivasan et al.; their width/depth factors were not readable (spec §8, §11 item 5).",
        ]
        return Report(claimID: id, control: context.control, checks: checks, table: table, notes: notes)
    }
}
