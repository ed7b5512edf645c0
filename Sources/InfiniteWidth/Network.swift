import ClaimCore
import Foundation

/// A width-scaling rule in effective-weight form (spec §1): per-layer init variance of the effective weights and
/// per-layer learning rate on their gradients. From YH21's abc-parametrization (W = n^{-a}w, w ~ N(0, n^{-2b}),
/// lr ηn^{-c}): Var W = n^{-2(a+b)}, ΔW = −ηn^{-(c+2a)}∇_W ℒ.
public enum Parametrization: String, Sendable, CaseIterable {
    /// Jacot's NTK parametrization: a = (0, ½, ½), b = 0, c = 0.
    case ntp
    /// Maximal update parametrization (for one hidden layer: mean field): a = (−½, 0, ½), b = ½, c = 0.
    case mup
    /// Standard parametrization with learning rate η/m: a = 0, b = (0, ½, ½), c = 1.
    case sp1
    /// Standard parametrization with learning rate η: c = 0 (unstable as m grows at fixed η).
    case sp0
    /// μP's input and hidden learning rates with the standard readout (var 1/m): an unstable near miss of μP.
    case mupBadout

    /// (input, hidden, readout) init variances of the effective weights.
    func variances(width m: Int, dimension d: Int) -> (input: Double, hidden: Double, readout: Double) {
        let m = Double(m), d = Double(d)
        switch self {
        case .mup: return (1 / d, 1 / m, 1 / (m * m))
        case .ntp, .sp1, .sp0, .mupBadout: return (1 / d, 1 / m, 1 / m)
        }
    }

    /// (input, hidden, readout) learning rates for base rate η.
    func learningRates(width m: Int, dimension d: Int, eta: Double) -> (input: Double, hidden: Double, readout: Double) {
        let m = Double(m), d = Double(d)
        switch self {
        case .ntp: return (eta / d, eta / m, eta / m)
        case .mup, .mupBadout: return (eta * m / d, eta, eta / m)
        case .sp1: return (eta / m, eta / m, eta / m)
        case .sp0: return (eta, eta, eta)
        }
    }

    /// YH21's feature-change exponent r for L hidden layers (Def. 3.2, computed for this table).
    func r(layers: Int) -> Double {
        switch self {
        case .ntp: return 0.5
        case .mup: return 0
        case .sp1: return layers == 1 ? 1.5 : 0.5
        case .sp0, .mupBadout: return .nan
        }
    }

    var label: String {
        switch self {
        case .ntp: return "NTP"
        case .mup: return "μP"
        case .sp1: return "SP (lr η/m)"
        case .sp0: return "SP (lr η)"
        case .mupBadout: return "μP-badout"
        }
    }
}

/// The raw N(0,1) draws of one network (U: m×d, W: m×m for two hidden layers, v: m), shared by every
/// parametrization so that comparisons are paired.
struct RawWeights: Sendable {
    let u: Matrix
    let w: Matrix?
    let v: [Double]

    init(u: Matrix, w: Matrix?, v: [Double]) {
        self.u = u
        self.w = w
        self.v = v
    }

    init(width m: Int, dimension d: Int, layers: Int, random: RandomStream) {
        u = random.gaussianMatrix(rows: m, columns: d)
        w = layers == 2 ? random.gaussianMatrix(rows: m, columns: m) : nil
        v = random.gaussians(m)
    }
}

/// f(x) = v·σ(W σ(U x)) (W absent for one hidden layer) with effective weights, trained by full-batch GD on
/// ℒ = (1/2n) Σᵢ (f(xᵢ) − yᵢ)². Inputs are the rows of X; every product is one BLAS call.
struct Network: Sendable {
    var u: Matrix
    var w: Matrix?
    var v: [Double]
    let activation: Activation
    let rates: (input: Double, hidden: Double, readout: Double)

    var width: Int { u.rows }
    var layers: Int { w == nil ? 1 : 2 }

    init(_ raw: RawWeights, _ p: Parametrization, eta: Double, activation: Activation = .relu) {
        let m = raw.u.rows, d = raw.u.columns
        let s = p.variances(width: m, dimension: d)
        u = s.input.squareRoot() * raw.u
        w = raw.w.map { s.hidden.squareRoot() * $0 }
        v = raw.v.map { $0 * s.readout.squareRoot() }
        self.activation = activation
        rates = p.learningRates(width: m, dimension: d, eta: eta)
    }

    /// Pre-activations and activations of every hidden layer on X, and the outputs.
    struct Forward {
        var pre: [Matrix]
        var post: [Matrix]
        var output: [Double]
    }

    func forward(_ x: Matrix) throws -> Forward {
        var pre = [try Matrix.product(x, u, transposeB: true)]
        var post = [apply(pre[0])]
        if let w {
            pre.append(try Matrix.product(post[0], w, transposeB: true))
            post.append(apply(pre[1]))
        }
        var f = [Double](repeating: 0, count: x.rows)
        try post.last!.multiply(v, into: &f)
        return Forward(pre: pre, post: post, output: f)
    }

    func outputs(_ x: Matrix) throws -> [Double] { try forward(x).output }

    /// Last hidden layer's activations x^L on X (n×m).
    func features(_ x: Matrix) throws -> Matrix { try forward(x).post.last! }

    /// Reused buffers of `step` (pre-activations, activations, back-propagated errors), so a GD step allocates nothing.
    private var scratch: Scratch?

    private struct Scratch {
        var pre: [Matrix]
        var post: [Matrix]
        var delta: Matrix
        var hidden: Matrix
        var output: [Double]
        var residual: [Double]
        var readoutGradient: [Double]
    }

    /// One full-batch GD step on (X, y), all layers updated from the gradient at the current weights.
    /// Returns the training loss before the step.
    @discardableResult
    mutating func step(_ x: Matrix, _ y: [Double]) throws -> Double {
        let n = x.rows, m = width
        var s = scratch.flatMap { $0.output.count == n ? $0 : nil }
            ?? Scratch(pre: Array(repeating: Matrix(rows: n, columns: m), count: layers), post: Array(repeating: Matrix(rows: n, columns: m), count: layers),
                       delta: Matrix(rows: n, columns: m), hidden: Matrix(rows: n, columns: m), output: Array(repeating: 0, count: n),
                       residual: Array(repeating: 0, count: n), readoutGradient: Array(repeating: 0, count: m))
        scratch = nil
        defer { scratch = s }
        // forward: h¹ = X Uᵀ, h² = x¹ Wᵀ, f = x^L v
        try Matrix.gemm(x, u, transposeB: true, into: &s.pre[0])
        activate(s.pre[0], into: &s.post[0])
        if let w {
            try Matrix.gemm(s.post[0], w, transposeB: true, into: &s.pre[1])
            activate(s.pre[1], into: &s.post[1])
        }
        try s.post[layers - 1].multiply(v, into: &s.output)
        var loss = 0.0
        for i in 0..<n {
            let e = s.output[i] - y[i]
            loss += e * e
            s.residual[i] = e / Double(n)
        }
        // readout: ∇v = (x^L)ᵀ r;  δ^L = (r vᵀ) ⊙ σ'(h^L)
        try s.post[layers - 1].multiply(s.residual, transpose: true, into: &s.readoutGradient)
        scaledDerivative(s.pre[layers - 1], rows: s.residual, columns: v, into: &s.delta)
        if var wNext = w {
            w = nil                                                                               // wNext is the only reference: no copy-on-write in the update
            defer { w = wNext }
            try Matrix.gemm(s.delta, wNext, into: &s.hidden)                                   // δ¹ = (δ² W) ⊙ σ'(h¹), W before the step
            multiplyByDerivative(&s.hidden, at: s.pre[0])
            try Matrix.gemm(s.delta, transposeA: true, s.post[0], alpha: -rates.hidden, beta: 1, into: &wNext)  // W ← W − lr·δ²ᵀx¹
            swap(&s.delta, &s.hidden)
        }
        try Matrix.gemm(s.delta, transposeA: true, x, alpha: -rates.input, beta: 1, into: &u)   // U ← U − lr·δ¹ᵀX
        Vector.axpy(-rates.readout, s.readoutGradient, &v)
        return loss / (2 * Double(n))
    }

    /// Training loss (1/2n) Σ (f − y)².
    func loss(_ x: Matrix, _ y: [Double]) throws -> Double {
        let f = try outputs(x)
        return zip(f, y).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } / (2 * Double(x.rows))
    }

    /// The learning-rate-weighted tangent kernel K(x, x') = Σ_p lr_p ∂_p f(x) ∂_p f(x') on the rows of X
    /// (for NTP, K/η is Jacot's empirical NTK).
    func tangentKernel(_ x: Matrix) throws -> Matrix {
        let fw = try forward(x)
        let n = x.rows
        // D̃^L = σ'(h^L) ⊙ vᵀ
        let dTop = scaledDerivative(fw.pre.last!, rows: [Double](repeating: 1, count: n), columns: v)
        var k = rates.readout * (try Matrix.product(fw.post.last!, fw.post.last!, transposeB: true))
        var dInput = dTop
        if let w {
            let dd = try Matrix.product(dTop, dTop, transposeB: true)
            let aa = try Matrix.product(fw.post[0], fw.post[0], transposeB: true)
            for e in 0..<k.elements.count { k.elements[e] += rates.hidden * dd.elements[e] * aa.elements[e] }
            dInput = try Matrix.product(dTop, w)
            multiplyByDerivative(&dInput, at: fw.pre[0])
        }
        let dd = try Matrix.product(dInput, dInput, transposeB: true)
        let xx = try Matrix.product(x, x, transposeB: true)
        for e in 0..<k.elements.count { k.elements[e] += rates.input * dd.elements[e] * xx.elements[e] }
        return k
    }

    private func apply(_ h: Matrix) -> Matrix {
        var a = h
        activate(h, into: &a)
        return a
    }

    /// A ← σ(H) elementwise (A has H's shape).
    func activate(_ h: Matrix, into a: inout Matrix) {
        let activation = self.activation
        h.elements.withUnsafeBufferPointer { hh in
            a.elements.withUnsafeMutableBufferPointer { e in
                switch activation {
                case .relu: for k in e.indices { e[k] = hh[k] < 0 ? 0 : hh[k] }   // one maxpd per pair; NaN propagates
                case .tanh: for k in e.indices { e[k] = Foundation.tanh(hh[k]) }
                case .identity: for k in e.indices { e[k] = hh[k] }
                }
            }
        }
    }

    /// D with Dᵢⱼ = rowsᵢ·columnsⱼ·σ'(hᵢⱼ) (the masked outer product r vᵀ ⊙ σ'(H)).
    func scaledDerivative(_ h: Matrix, rows r: [Double], columns c: [Double]) -> Matrix {
        var out = Matrix(rows: h.rows, columns: h.columns)
        scaledDerivative(h, rows: r, columns: c, into: &out)
        return out
    }

    /// The hot loop of every GD step: per column j a pointer walk over n rows, with the product rᵢcⱼ formed
    /// unconditionally and selected by the mask, so that the ReLU case compiles to compare-and-mask vector code
    /// (no branch per element, no index arithmetic with overflow checks).
    func scaledDerivative(_ h: Matrix, rows r: [Double], columns c: [Double], into out: inout Matrix) {
        precondition(h.rows == r.count && h.columns == c.count && out.rows == h.rows && out.columns == h.columns, "scaledDerivative: shape mismatch")
        let n = h.rows, activation = self.activation
        h.elements.withUnsafeBufferPointer { hh in
            out.elements.withUnsafeMutableBufferPointer { o in
                r.withUnsafeBufferPointer { rr in
                    c.withUnsafeBufferPointer { cc in
                        guard var hp = hh.baseAddress, var op = o.baseAddress, let rp = rr.baseAddress else { return }
                        for cj in cc {
                            switch activation {
                            case .relu:
                                for i in 0..<n {
                                    let product = rp[i] * cj
                                    op[i] = hp[i] > 0 ? product : 0
                                }
                            default:
                                for i in 0..<n { op[i] = rp[i] * cj * activation.derivative(hp[i]) }
                            }
                            hp += n
                            op += n
                        }
                    }
                }
            }
        }
    }

    /// D ← D ⊙ σ'(H).
    func multiplyByDerivative(_ d: inout Matrix, at h: Matrix) {
        let activation = self.activation
        h.elements.withUnsafeBufferPointer { hh in
            d.elements.withUnsafeMutableBufferPointer { o in
                switch activation {
                case .relu: for k in o.indices { o[k] = hh[k] > 0 ? o[k] : 0 }
                default: for k in o.indices { o[k] *= activation.derivative(hh[k]) }
                }
            }
        }
    }
}

/// Relative Frobenius distance ‖A − B‖_F/‖B‖_F.
func relativeChange(_ a: Matrix, from b: Matrix) -> Double { (a - b).frobeniusNorm / b.frobeniusNorm }

/// RMS of the entries of A − B.
func rmsDifference(_ a: Matrix, _ b: Matrix) -> Double { (a - b).frobeniusNorm / Double(a.elements.count).squareRoot() }

/// The public face of `Network` for benchmarks and users: a one- or two-hidden-layer ReLU network in a chosen
/// parametrization, trained by full-batch GD exactly as the family's claims train it.
public struct WidthNetwork: Sendable {
    var network: Network

    /// Effective weights from raw N(0,1) draws `u` (m×d), optional `w` (m×m) and `v` (m), scaled by the
    /// parametrization's init variances; per-layer learning rates from base rate `eta`.
    public init(rawInput u: Matrix, rawHidden w: Matrix? = nil, rawReadout v: [Double], parametrization: Parametrization, eta: Double) {
        network = Network(RawWeights(u: u, w: w, v: v), parametrization, eta: eta)
    }

    /// One full-batch GD step on (X, y) (inputs as rows); returns the loss (1/2n)Σ(f − y)² before the step.
    @discardableResult
    public mutating func step(_ x: Matrix, _ y: [Double]) throws -> Double { try network.step(x, y) }

    public var inputWeights: Matrix { network.u }
    public var readout: [Double] { network.v }
    /// (input, hidden, readout) learning rates.
    public var learningRates: (input: Double, hidden: Double, readout: Double) { network.rates }
}
