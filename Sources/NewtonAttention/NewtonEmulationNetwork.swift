import ClaimCore
import Foundation

/// A piecewise-linear interpolant of a scalar function φ at knots t₀ < … < t_K, written as ReLU units,
///
///   s(w) = φ(t₀)·ReLU(r) + Σ_{j=0}^{K} c_j·ReLU(w − t_j·r),   c_j = slope_j − slope_{j−1} (slope_{−1} = slope_K = 0),
///
/// where r is a mask row (1 on the tokens the block acts on, 0 elsewhere): on masked-out tokens with w = 0 every unit
/// is ReLU(0) = 0, and outside [t₀, t_K] the interpolant is flat. K + 2 hidden units.
public struct KnotInterpolant: Sendable {
    public let knots: [Double]
    public let values: [Double]
    public let changes: [Double]

    public init(knots: [Double], function: (Double) -> Double) {
        precondition(knots.count >= 2 && zip(knots, knots.dropFirst()).allSatisfy { $0 < $1 }, "knots must increase")
        self.knots = knots
        values = knots.map(function)
        var slopes: [Double] = []
        for j in 0..<(knots.count - 1) { slopes.append((values[j + 1] - values[j]) / (knots[j + 1] - knots[j])) }
        var changes: [Double] = []
        for j in 0..<knots.count {
            let after = j < slopes.count ? slopes[j] : 0
            let before = j > 0 ? slopes[j - 1] : 0
            changes.append(after - before)
        }
        self.changes = changes
    }

    /// K + 1 equispaced knots of [lo, hi].
    public static func uniform(intervals k: Int, lo: Double, hi: Double, function: (Double) -> Double) -> KnotInterpolant {
        KnotInterpolant(knots: (0...k).map { lo + (hi - lo) * Double($0) / Double(k) }, function: function)
    }

    /// Knots t_j = S·(j/K)², equispaced in √t: for h(s) = 1/(1 + √s), whose √ cusp at 0 would cost error √(S/K)/4 on
    /// equispaced knots.
    public static func squareRootSpaced(intervals k: Int, hi: Double, function: (Double) -> Double) -> KnotInterpolant {
        KnotInterpolant(knots: (0...k).map { hi * pow(Double($0) / Double(k), 2) }, function: function)
    }

    public var intervals: Int { knots.count - 1 }
    public var hiddenUnits: Int { knots.count + 1 }

    /// The interpolant's value (the same sum the ReLU units compute, in closed form), flat outside [t₀, t_K].
    public func callAsFunction(_ w: Double) -> Double {
        if w <= knots[0] { return values[0] }
        if w >= knots[knots.count - 1] { return values[values.count - 1] }
        var lo = 0, hi = knots.count - 1
        while hi - lo > 1 { let mid = (lo + hi) / 2; if knots[mid] <= w { lo = mid } else { hi = mid } }
        let t = (w - knots[lo]) / (knots[hi] - knots[lo])
        return values[lo] + t * (values[hi] - values[lo])
    }
}

/// Collects the hidden units of one position-wise ReLU MLP (W₂σ(W₁H)) from named pieces.
struct MLPBuilder {
    let width: Int
    private(set) var inputs: [[(row: Int, weight: Double)]] = []
    private(set) var outputs: [[(row: Int, weight: Double)]] = []

    init(width: Int) { self.width = width }

    mutating func unit(_ input: [(row: Int, weight: Double)], to output: [(row: Int, weight: Double)]) {
        inputs.append(input)
        outputs.append(output)
    }

    /// Adds `scale`·s(w) to row `output`, w = Σ weight·H[row] over `input`, mask row `mask`.
    mutating func interpolant(_ f: KnotInterpolant, input: [(row: Int, weight: Double)], mask: Int, output: Int, scale: Double = 1) {
        unit([(mask, 1)], to: [(output, scale * f.values[0])])
        for j in 0..<f.knots.count {
            unit(input + [(mask, -f.knots[j])], to: [(output, scale * f.changes[j])])
        }
    }

    /// Sets every row of `block` to zero exactly: adds −ReLU(h) + ReLU(−h) = −h (one of the two terms is 0).
    mutating func clear(_ block: PromptBlock) {
        for r in block.offset..<(block.offset + block.height) {
            unit([(r, 1)], to: [(r, -1)])
            unit([(r, -1)], to: [(r, 1)])
        }
    }

    var hiddenWidth: Int { inputs.count }

    func block() -> ReLUBlock<Double>? {
        guard !inputs.isEmpty else { return nil }
        var w1 = DenseMatrix<Double>(rows: inputs.count, columns: width)
        var w2 = DenseMatrix<Double>(rows: width, columns: inputs.count)
        for (u, input) in inputs.enumerated() { for (row, weight) in input { w1[u, row] += weight } }
        for (u, output) in outputs.enumerated() { for (row, weight) in output { w2[row, u] += weight } }
        return ReLUBlock(inWeight: w1, outWeight: w2)
    }
}

/// The network of Theorems 5.1/5.2 of [GYWPL], our construction ([RC]/[D]; the paper's weights were not readable):
/// linear-attention layers and ReLU MLPs that perform one damped-Newton step on regularised logistic regression from the
/// in-context data, everything inside the model.
///
/// Tokens: the n examples (columns 0 ..< n) and d "matrix" tokens (columns n ..< n + d); the iterate x lives in the
/// first matrix token (the pointer token). Input rows: a (d, aᵢ at example i), y (1), x (d, at the pointer), pointer
/// indicator π (1), example mask m (1), E (d, I_d on the matrix tokens). Scratch rows, zero between steps:
/// b = y·a (d), z, p, q (1 each), c (d), G (d), Gᵀ-row (1), H (d), X (d), v (d), s, η (1 each). Width 9d + 9.
///
/// Read-in (once):  MLP  bᵢ = yᵢaᵢ (exact up to rounding of a + y − m): 2[ReLU(a + y − m) − ReLU(−a + y − m)] − ReLU(a) + ReLU(−a) (needs |a| ≤ 1, y = ±1).
/// Step layer 1:    attn z = πxᵀb = bᵢᵀx (margins);  MLP p = PL[σ(−z)], q = PL[σ′(z)] on [−R, R] (mask m).
/// Step layer 2:    attn G = −(1/n)Σ pᵢbᵢ + µx at π, Gᵀ-row likewise on the matrix tokens;
///                  MLP cᵢ = qᵢbᵢ by polarisation ((q + b)² − (q − b)²)/4 with PL squares on [−5/4, 5/4]; clear z, p.
/// Step layer 3:    attn H = (1/n)Σ cᵢbᵢᵀ + µI and X₀ = αH (the "Hessian heads");  MLP clear c, q.
/// Step layers 4 … 3+k: Newton–Schulz X ← 2X − XHᵀX (Lemma 4.1, symmetric form).
/// Step layer 4+k:  attn v = Xg, s = gᵀXg/(4µ);  MLP η = PL[1/(1 + √s)] on √-spaced knots of [0, S]; clear H, X.
/// Step layer 5+k:  attn x ← x − ηv (both at the pointer: the token sum is one product);  MLP clear G, Gᵀ, v, s, η.
/// Depth 1 + T(5 + k) for T steps (the paper: T(11 + 2k)); at most 4 heads per layer.
public struct NewtonEmulationNetwork: Sendable {
    public let dimension: Int
    public let examples: Int
    public let regularisation: Double
    /// α of X₀ = αH from the a-priori spectrum bounds µ ≤ λ(∇²f) ≤ 1/4 + µ (‖aᵢ‖ ≤ 1).
    public let inversionScale: Double
    public let inversionLayers: Int
    public let sigmoid: KnotInterpolant, curvature: KnotInterpolant, square: KnotInterpolant, stepSize: KnotInterpolant
    /// The `dropped-hessian-head` control: the data head of H (and of X₀) is removed, leaving H = µI.
    public let dropHessianHead: Bool

    public let data: PromptBlock, label: PromptBlock, iterate: PromptBlock, pointer: PromptBlock, mask: PromptBlock, identity: PromptBlock
    public let signed: PromptBlock, margin: PromptBlock, probability: PromptBlock, curvatureRow: PromptBlock, scaled: PromptBlock
    public let gradient: PromptBlock, gradientRow: PromptBlock, hessian: PromptBlock, inverse: PromptBlock, direction: PromptBlock
    public let decrement: PromptBlock, step: PromptBlock
    public let layout: BlockLayout

    /// `knots`: intervals K of every PL block; `marginRange` R; `stepRange` S.
    public init(dimension d: Int, examples n: Int, regularisation mu: Double, knots k: Int, marginRange r: Double, stepRange s: Double,
                inversionLayers: Int, dropHessianHead: Bool = false) {
        dimension = d
        examples = n
        regularisation = mu
        let hi = 0.25 + mu
        inversionScale = 2 / (hi * hi + mu * mu)
        self.inversionLayers = inversionLayers
        self.dropHessianHead = dropHessianHead
        sigmoid = .uniform(intervals: k, lo: -r, hi: r) { 1 / (1 + exp($0)) }
        curvature = .uniform(intervals: k, lo: -r, hi: r) { z in let p = 1 / (1 + exp(-z)); return p * (1 - p) }
        square = .uniform(intervals: k, lo: -1.25, hi: 1.25) { $0 * $0 }
        stepSize = .squareRootSpaced(intervals: k, hi: s) { 1 / (1 + $0.squareRoot()) }
        var l = BlockLayout()
        data = l.add(height: d); label = l.add(height: 1); iterate = l.add(height: d); pointer = l.add(height: 1)
        mask = l.add(height: 1); identity = l.add(height: d); signed = l.add(height: d); margin = l.add(height: 1)
        probability = l.add(height: 1); curvatureRow = l.add(height: 1); scaled = l.add(height: d); gradient = l.add(height: d)
        gradientRow = l.add(height: 1); hessian = l.add(height: d); inverse = l.add(height: d); direction = l.add(height: d)
        decrement = l.add(height: 1); step = l.add(height: 1)
        layout = l
    }

    public var width: Int { layout.width }
    public var tokens: Int { examples + dimension }
    public var pointerColumn: Int { examples }
    /// Layers per emulated Newton step: 5 + k.
    public var layersPerStep: Int { 5 + inversionLayers }

    public func prompt(problem: LogisticProblem, start x: [Double]) -> DenseMatrix<Double> {
        var h = DenseMatrix<Double>(rows: width, columns: tokens)
        for i in 0..<examples {
            for j in 0..<dimension { h[data.offset + j, i] = problem.data[i, j] }
            h[label.offset, i] = problem.labels[i]
            h[mask.offset, i] = 1
        }
        for j in 0..<dimension {
            h[iterate.offset + j, pointerColumn] = x[j]
            h[identity.offset + j, examples + j] = 1
        }
        h[pointer.offset, pointerColumn] = 1
        return h
    }

    public func readIterate(_ h: DenseMatrix<Double>) -> [Double] { (0..<dimension).map { h[iterate.offset + $0, pointerColumn] } }

    /// Read-in: b = y·a (|aᵢⱼ| ≤ 1, yᵢ = ±1; exact up to the rounding of a + y − 1).
    public func readInLayer() -> TransformerLayer<Double> {
        var mlp = MLPBuilder(width: width)
        for j in 0..<dimension {
            let a = data.offset + j, b = signed.offset + j
            mlp.unit([(a, 1), (label.offset, 1), (mask.offset, -1)], to: [(b, 2)])
            mlp.unit([(a, -1), (label.offset, 1), (mask.offset, -1)], to: [(b, -2)])
            mlp.unit([(a, 1)], to: [(b, -1)])
            mlp.unit([(a, -1)], to: [(b, 1)])
        }
        return TransformerLayer(heads: [], mlp: mlp.block())
    }

    /// The 5 + k layers of one damped-Newton step.
    public func stepLayers() -> [TransformerLayer<Double>] {
        let l = layout, n = Double(examples), mu = regularisation, alpha = inversionScale
        // 1: margins; p and q.
        var mlp1 = MLPBuilder(width: width)
        mlp1.interpolant(sigmoid, input: [(margin.offset, 1)], mask: mask.offset, output: probability.offset)
        mlp1.interpolant(curvature, input: [(margin.offset, 1)], mask: mask.offset, output: curvatureRow.offset)
        let layer1 = TransformerLayer(heads: [l.head(1.0, value: pointer, to: margin, key: iterate, query: signed)], mlp: mlp1.block())
        // 2: gradient (column at the pointer, row on the matrix tokens); row scaling c = q·b.
        var mlp2 = MLPBuilder(width: width)
        for j in 0..<dimension {
            let b = signed.offset + j, q = curvatureRow.offset, c = scaled.offset + j
            mlp2.interpolant(square, input: [(q, 1), (b, 1)], mask: mask.offset, output: c, scale: 0.25)
            mlp2.interpolant(square, input: [(q, 1), (b, -1)], mask: mask.offset, output: c, scale: -0.25)
        }
        mlp2.clear(margin)
        mlp2.clear(probability)
        let layer2 = TransformerLayer(heads: [
            l.head(-1 / n, value: signed, to: gradient, key: probability, query: pointer),
            l.head(mu, value: iterate, to: gradient, key: pointer, query: pointer),
            l.head(-1 / n, value: probability, to: gradientRow, key: signed, query: identity),
            l.head(mu, value: pointer, to: gradientRow, key: iterate, query: identity),
        ], mlp: mlp2.block())
        // 3: the Hessian heads and X₀ = αH.
        var mlp3 = MLPBuilder(width: width)
        mlp3.clear(scaled)
        mlp3.clear(curvatureRow)
        var hessianHeads = [
            l.head(mu, value: identity, to: hessian, key: identity, query: identity),
            l.head(alpha * mu, value: identity, to: inverse, key: identity, query: identity),
        ]
        if !dropHessianHead {
            hessianHeads.insert(l.head(1 / n, value: scaled, to: hessian, key: signed, query: identity), at: 0)
            hessianHeads.insert(l.head(alpha / n, value: scaled, to: inverse, key: signed, query: identity), at: 2)
        }
        let layer3 = TransformerLayer(heads: hessianHeads, mlp: mlp3.block())
        // 4 … 3 + k: Newton–Schulz.
        let schulz = TransformerLayer<Double>(heads: [
            l.head(-1.0, value: inverse, to: inverse, key: hessian, query: inverse),
            l.head(1.0, value: inverse, to: inverse, key: identity, query: identity),
        ])
        // 4 + k: direction and decrement; step size.
        var mlp4 = MLPBuilder(width: width)
        mlp4.interpolant(stepSize, input: [(decrement.offset, 1)], mask: pointer.offset, output: step.offset)
        mlp4.clear(hessian)
        mlp4.clear(inverse)
        let layer4 = TransformerLayer(heads: [
            l.head(1.0, value: inverse, to: direction, key: identity, query: gradient),
            l.head(1 / (4 * mu), value: gradientRow, to: decrement, key: inverse, query: gradient),
        ], mlp: mlp4.block())
        // 5 + k: the update.
        var mlp5 = MLPBuilder(width: width)
        for block in [gradient, gradientRow, direction, decrement, step] { mlp5.clear(block) }
        let layer5 = TransformerLayer(heads: [l.head(-1.0, value: direction, to: iterate, key: step, query: pointer)], mlp: mlp5.block())
        return [layer1, layer2, layer3] + Array(repeating: schulz, count: inversionLayers) + [layer4, layer5]
    }

    /// Read-in followed by T steps: depth 1 + T(5 + k).
    public func model(steps: Int) -> LinearTransformer<Double> {
        LinearTransformer(width: width, layers: [readInLayer()] + Array(repeating: stepLayers(), count: steps).flatMap { $0 })
    }
}

/// The per-step error budget of `NewtonEmulationNetwork` ([D]; derivation in the Proofs note). Its constants depend only
/// on K, R, S, d, µ and are fixed before the network runs; `bound(problem:at:)` combines them with norms of the exact
/// quantities at the iterate (∇f, v = [∇²f]⁻¹∇f, λ_min(∇²f), from LAPACK — never from the network's output).
///
///   ε_p = δ²·max|σ″|/8, ε_q = δ²·max|σ‴|/8 (δ = 2R/K, max|σ″| = 1/(6√3), max|σ‴| = 1/8),  ε_× = (5/(2K))²/16,
///   ε_H = ε_q + √d·ε_× ≥ ‖H̃ − H‖₂,  ρ̃ = max|1 − ασ²| over σ ∈ [µ − ε_H, 1/4 + µ + ε_H],  k = least k with ρ̃^{2^k} ≤ (ε_H/µ)²
///   (the inversion residual is then second order next to the Hessian's own interpolation error ε_H/µ).
public struct EmulationBudget: Sendable {
    public let knots: Int
    public let marginRange: Double
    public let dimension: Int
    public let regularisation: Double
    public let sigmoidError: Double, curvatureError: Double, productError: Double, hessianError: Double
    public let contraction: Double
    public let inversionLayers: Int

    public init(knots k: Int, marginRange r: Double, dimension d: Int, regularisation mu: Double) {
        knots = k
        marginRange = r
        dimension = d
        regularisation = mu
        let delta = 2 * r / Double(k)
        sigmoidError = delta * delta / (6 * 3.0.squareRoot()) / 8
        curvatureError = delta * delta / 8 / 8
        let squareSpacing = 2.5 / Double(k)
        productError = squareSpacing * squareSpacing / 16
        hessianError = curvatureError + Double(d).squareRoot() * productError
        let hi = 0.25 + mu, alpha = 2 / (hi * hi + mu * mu)
        let lo = max(0, mu - hessianError), top = hi + hessianError
        contraction = max(abs(1 - alpha * lo * lo), abs(1 - alpha * top * top))
        var layers = 0
        if contraction > 0 {
            let target = pow(hessianError / mu, 2)
            while pow(contraction, pow(2, Double(layers))) > target, layers < 60 { layers += 1 }
        }
        inversionLayers = layers
    }

    /// B(x) ≥ ‖x̃₊ − x₊‖ for the network with these constants and `inversionLayers` Newton–Schulz layers, and λ_g²(x).
    /// `stepSize` is the claimed step-size block (its error |PL(s) − h(s)| at the exact s enters the bound).
    public func bound(problem: LogisticProblem, at x: [Double], stepSize: KnotInterpolant, inversionLayers k: Int) throws -> (bound: Double, decrementSquared: Double) {
        let mu = regularisation
        let g = try problem.gradient(x)
        let hessian = problem.hessian(x)
        let lambdaMin = try hessian.symmetricEigenvalues().min()!
        let v = try hessian.solve(g)
        let s = max(0, Vector.dot(g, v)) / (4 * mu)
        let eta = 1 / (1 + s.squareRoot())
        let gNorm = Vector.norm(g) + sigmoidError, vNorm = Vector.norm(v)
        let inverseNorm = 1 / (lambdaMin - hessianError)
        let residual = pow(contraction, pow(2, Double(k)))
        let directionError = residual * inverseNorm * gNorm + inverseNorm * hessianError * gNorm / lambdaMin + sigmoidError / lambdaMin
        let decrementError = (directionError * gNorm + vNorm * sigmoidError) / (4 * mu)
        let rootError = s > 0 ? min(decrementError.squareRoot(), decrementError / s.squareRoot()) : decrementError.squareRoot()
        let stepError = abs(stepSize(s) - eta) + 2 * rootError
        let bound = min(1, eta + stepError) * directionError + stepError * vNorm + 1e-12 * (1 + Vector.norm(x))
        return (bound, s)
    }
}
