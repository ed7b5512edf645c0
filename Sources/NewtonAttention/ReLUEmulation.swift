import ClaimCore
import Foundation

/// A one-hidden-layer ReLU block (a `TransformerLayer` with no heads) that adds to an output row the piecewise-linear
/// interpolant of a scalar function φ at K + 1 uniform knots z₀ < … < z_K of [lo, hi], applied token-wise to an input
/// row: prompt rows [z; 1; out] (the constant-one row supplies the biases).
///
///   s(z) = φ(z₀)·ReLU(1) + Σ_{j=0}^{K} c_j ReLU(z − z_j),  c₀ = slope₀, c_j = slope_j − slope_{j−1}, c_K = −slope_{K−1},
///
/// so s is flat outside [lo, hi]. Hidden width K + 2.
public struct ReLUInterpolation: Sendable {
    public let knots: [Double]
    public let values: [Double]
    public let input: PromptBlock, one: PromptBlock, output: PromptBlock
    public let layout: BlockLayout

    public init(intervals k: Int, lo: Double, hi: Double, function: (Double) -> Double) {
        let spacing: Double = (hi - lo) / Double(k)
        var knots: [Double] = []
        for j in 0...k { knots.append(lo + spacing * Double(j)) }
        self.knots = knots
        values = knots.map(function)
        var layout = BlockLayout()
        input = layout.add(height: 1)
        one = layout.add(height: 1)
        output = layout.add(height: 1)
        self.layout = layout
    }

    public var hiddenWidth: Int { knots.count + 1 }

    public func layer() -> TransformerLayer<Double> {
        let k = knots.count - 1
        var slopes: [Double] = []
        for j in 0..<k {
            let rise: Double = values[j + 1] - values[j]
            let run: Double = knots[j + 1] - knots[j]
            slopes.append(rise / run)
        }
        var inWeight = DenseMatrix<Double>(rows: hiddenWidth, columns: layout.width)
        var outWeight = DenseMatrix<Double>(rows: layout.width, columns: hiddenWidth)
        inWeight[0, one.offset] = 1
        outWeight[output.offset, 0] = values[0]
        for j in 0...k {
            inWeight[j + 1, input.offset] = 1
            inWeight[j + 1, one.offset] = -knots[j]
            let change: Double
            if j == 0 { change = slopes[0] } else if j == k { change = -slopes[k - 1] } else { change = slopes[j] - slopes[j - 1] }
            outWeight[output.offset, j + 1] = change
        }
        return TransformerLayer(heads: [], mlp: ReLUBlock(inWeight: inWeight, outWeight: outWeight))
    }

    /// Runs the block on the tokens `inputs` (in batches of `batch` tokens, which bounds the hidden activations to
    /// (K + 2)·batch entries; tokens do not interact in an MLP) and returns the output row.
    public func evaluate(_ inputs: [Double], batch: Int = 64) -> [Double] {
        let block = layer()
        var result: [Double] = []
        result.reserveCapacity(inputs.count)
        var start = 0
        while start < inputs.count {
            let count = min(batch, inputs.count - start)
            var h = DenseMatrix<Double>(rows: layout.width, columns: count)
            for j in 0..<count { h[input.offset, j] = inputs[start + j]; h[one.offset, j] = 1 }
            let out = block.apply(h)
            for j in 0..<count { result.append(out[output.offset, j]) }
            start += count
        }
        return result
    }
}

/// One damped-Newton step on a `LogisticProblem` with its nonlinear pieces emulated by model layers:
/// pᵢ = σ(−zᵢ) by a ReLU block (`sigmoid`), [∇²f]⁻¹ by k symmetric Newton–Schulz layers of Lemma 4.1 from
/// X₀ = α∇²f with α = 2/(λ_hi² + λ_lo²) for the a-priori spectrum bounds λ_lo = µ, λ_hi = 1/4 + µ (‖aᵢ‖ ≤ 1), and the
/// step 1/(1 + λ_g) = 1/(1 + √s), s = λ²/(4µ), by a ReLU block (`stepSize`). Margins, ∇f and ∇²f are assembled from
/// p by BLAS outside the model. nil blocks use the exact function (to isolate one error source).
public struct EmulatedDampedNewton: Sendable {
    public let problem: LogisticProblem
    public let sigmoid: ReLUInterpolation?
    public let stepSize: ReLUInterpolation?
    public let inversionLayers: Int

    public var inversionScale: Double {
        let hi = 0.25 + problem.regularisation, lo = problem.regularisation
        return 2 / (hi * hi + lo * lo)
    }

    /// ρ₀ = (κ_f² − 1)/(κ_f² + 1) with κ_f = (1/4 + µ)/µ: the contraction of the inversion from the a-priori bounds.
    public var inversionContraction: Double {
        let kappa = (0.25 + problem.regularisation) / problem.regularisation
        return (kappa * kappa - 1) / (kappa * kappa + 1)
    }

    public func step(_ x: [Double]) throws -> [Double] {
        let margins = problem.margins(x)
        let p = sigmoid?.evaluate(margins.map { -$0 }) ?? margins.map { 1 / (1 + exp($0)) }
        let g = try problem.gradient(x, probabilities: p)
        let hessian = DenseMatrix(problem.hessian(x, probabilities: p))
        let d = problem.dimension
        let c = NewtonStepConstruction(dimension: d)
        let model: LinearTransformer<Double> = c.model(symmetric: true, steps: inversionLayers)
        let inverse = c.readIterate(model.forward(c.prompt(matrix: hessian, start: inversionScale * hessian)))
        let direction = (inverse.matrix * g)
        let s = max(0, Vector.dot(g, direction)) / (4 * problem.regularisation)
        let eta = stepSize?.evaluate([s])[0] ?? 1 / (1 + s.squareRoot())
        return zip(x, direction).map { $0 - eta * $1 }
    }
}
