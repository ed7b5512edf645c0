@preconcurrency import CLinearAlgebra
import ClaimCore

/// A finite sum of quadratics F(x) = (1/n) Σᵢ fᵢ(x), fᵢ(x) = ½ xᵀAᵢx − bᵢᵀx, x ∈ ℝᵈ, so ∇fᵢ(x) = Aᵢx − bᵢ.
///
/// Storage is contiguous: `hessians` holds A₀, A₁, … (each d×d, column-major), `linearTerms` holds b₀, b₁, ….
public struct QuadraticSum: Sendable {
    public let dimension: Int
    public let count: Int
    public let hessians: [Double]
    public let linearTerms: [Double]
    /// x* = (Σ Aᵢ)⁻¹ Σ bᵢ, computed by an LU solve.
    public let minimizer: [Double]
    /// μ = λ_min((1/n) Σ Aᵢ), the strong-convexity constant of F.
    public let strongConvexity: Double
    /// L = maxᵢ λ_max(Aᵢ), the smoothness constant of the components.
    public let smoothness: Double

    public init(dimension d: Int, hessians: [Matrix], linearTerms: [[Double]]) throws {
        precondition(hessians.count == linearTerms.count && !hessians.isEmpty)
        dimension = d
        count = hessians.count
        self.hessians = hessians.flatMap(\.elements)
        self.linearTerms = linearTerms.flatMap { $0 }
        var sumA = Matrix(rows: d, columns: d)
        var sumB = [Double](repeating: 0, count: d)
        for (a, b) in zip(hessians, linearTerms) {
            sumA = sumA + a
            Vector.axpy(1, b, &sumB)
        }
        minimizer = try sumA.solve(sumB)
        strongConvexity = try (1 / Double(count) * sumA).symmetricEigenvalues().first!
        smoothness = try hessians.map { try $0.symmetricEigenvalues().last! }.max()!
    }

    /// ‖x − x*‖².
    public func squaredError(_ x: [Double]) -> Double {
        zip(x, minimizer).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
    }
}

/// How each epoch's order of component indices is chosen.
public enum SamplingScheme: String, Sendable, CaseIterable {
    /// SGD with replacement: each step draws an index uniformly from [n].
    case withReplacement = "SGD"
    /// Random reshuffling: a fresh uniform permutation every epoch.
    case reshuffling = "RR"
    /// Single shuffling: one uniform permutation, reused every epoch.
    case singleShuffle = "SS"
    /// Incremental gradient: the fixed order 0, 1, …, n−1.
    case incremental = "IGD"
    /// FlipFlop on RR, SS or IGD: odd epochs use the base permutation σ, the next epoch uses σ reversed.
    case flipFlopReshuffling = "FF-RR"
    case flipFlopSingleShuffle = "FF-SS"
    case flipFlopIncremental = "FF-IGD"
}

/// Constant-step permutation-based SGD on a `QuadraticSum`: K epochs of n steps x ← x − α(A_{σ(j)}x − b_{σ(j)}).
public struct PermutationSGD: Sendable {
    public let problem: QuadraticSum
    public let scheme: SamplingScheme
    public let stepSize: Double

    public init(problem: QuadraticSum, scheme: SamplingScheme, stepSize: Double) {
        self.problem = problem
        self.scheme = scheme
        self.stepSize = stepSize
    }

    /// Runs `epochs` epochs from `start`, drawing orders from `random`, and returns the final iterate x_{nK}.
    public func run(epochs: Int, from start: [Double], random: RandomStream) -> [Double] {
        let n = problem.count, d = problem.dimension
        var x = start
        var order = Array(Int32(0)..<Int32(n))
        if scheme == .singleShuffle || scheme == .flipFlopSingleShuffle { random.shuffle(&order) }
        var gradient = [Double](repeating: 0, count: d)
        problem.hessians.withUnsafeBufferPointer { a in
            problem.linearTerms.withUnsafeBufferPointer { b in
                x.withUnsafeMutableBufferPointer { x in
                    gradient.withUnsafeMutableBufferPointer { g in
                        order.withUnsafeMutableBufferPointer { order in
                            for epoch in 0..<epochs {
                                let reversed = epoch % 2 == 1
                                switch scheme {
                                case .withReplacement:
                                    for j in 0..<n { order[j] = Int32(truncatingIfNeeded: random.index(below: n)) }
                                case .reshuffling:
                                    random.shuffle(order)
                                case .flipFlopReshuffling:
                                    if !reversed { random.shuffle(order) }
                                case .singleShuffle, .incremental, .flipFlopSingleShuffle, .flipFlopIncremental:
                                    break
                                }
                                let flip = reversed && (scheme == .flipFlopReshuffling || scheme == .flipFlopSingleShuffle || scheme == .flipFlopIncremental)
                                Self.epoch(a: a, b: b, x: x, g: g, order: order, backwards: flip, d: d, stepSize: stepSize)
                            }
                        }
                    }
                }
            }
        }
        return x
    }

    /// One pass over `order` (or its reverse). d = 1 is a scalar recurrence; d > 1 calls dgemv per step.
    @inline(__always)
    static func epoch(a: UnsafeBufferPointer<Double>, b: UnsafeBufferPointer<Double>, x: UnsafeMutableBufferPointer<Double>,
                      g: UnsafeMutableBufferPointer<Double>, order: UnsafeMutableBufferPointer<Int32>, backwards: Bool, d: Int, stepSize: Double) {
        let n = order.count
        if d == 1 {
            var xi = x[0]
            for j in 0..<n {
                let i = Int(order[backwards ? n - 1 - j : j])
                xi -= stepSize * (a[i] * xi - b[i])
            }
            x[0] = xi
            return
        }
        let dd = d * d
        for j in 0..<n {
            let i = Int(order[backwards ? n - 1 - j : j])
            // g ← A_i x − b_i, then x ← x − α g
            g.baseAddress!.update(from: b.baseAddress! + i * d, count: d)
            cblas_dgemv(CblasColMajor, CblasNoTrans, Int32(d), Int32(d), 1, a.baseAddress! + i * dd, Int32(d), x.baseAddress!, 1, -1, g.baseAddress!, 1)
            cblas_daxpy(Int32(d), -stepSize, g.baseAddress!, 1, x.baseAddress!, 1)
        }
    }
}

extension PermutationSGD {
    /// One-dimensional lanes sharing every order (common random numbers): lane ℓ runs `epochs` epochs of `scheme` on the
    /// d = 1 `problem` with step `stepSizes[ℓ]` from `start`; the orders are drawn from `random` exactly as `run` draws
    /// them, so lane ℓ is bit-identical to `PermutationSGD(problem:scheme:stepSize: stepSizes[ℓ]).run(...)` on a fresh
    /// copy of the stream. A step grid then costs one order per epoch, and the loop over lanes vectorises.
    public static func runLanes(problem: QuadraticSum, scheme: SamplingScheme, stepSizes: [Double], epochs: Int, from start: Double,
                                random: RandomStream) -> [Double] {
        precondition(problem.dimension == 1)
        let n = problem.count, m = stepSizes.count
        var x = [Double](repeating: start, count: m)
        var order = Array(Int32(0)..<Int32(n))
        if scheme == .singleShuffle || scheme == .flipFlopSingleShuffle { random.shuffle(&order) }
        let flipFlop = scheme == .flipFlopReshuffling || scheme == .flipFlopSingleShuffle || scheme == .flipFlopIncremental
        problem.hessians.withUnsafeBufferPointer { a in
            problem.linearTerms.withUnsafeBufferPointer { b in
                stepSizes.withUnsafeBufferPointer { alpha in
                    x.withUnsafeMutableBufferPointer { x in
                        order.withUnsafeMutableBufferPointer { order in
                            for epoch in 0..<epochs {
                                switch scheme {
                                case .withReplacement:
                                    for j in 0..<n { order[j] = Int32(truncatingIfNeeded: random.index(below: n)) }
                                case .reshuffling:
                                    random.shuffle(order)
                                case .flipFlopReshuffling:
                                    if epoch % 2 == 0 { random.shuffle(order) }
                                case .singleShuffle, .incremental, .flipFlopSingleShuffle, .flipFlopIncremental:
                                    break
                                }
                                let backwards = flipFlop && epoch % 2 == 1
                                for j in 0..<n {
                                    let i = Int(order[backwards ? n - 1 - j : j])
                                    let ai = a[i], bi = b[i]
                                    for l in 0..<m { x[l] -= alpha[l] * (ai * x[l] - bi) }
                                }
                            }
                        }
                    }
                }
            }
        }
        return x
    }
}
