import CReference
import ClaimCore
import NewtonAttention

/// Forward pass of Lemma 4.1's Newton-step construction (NewtonAttention's `NewtonStepConstruction.model()`, a
/// 2-layer linear-attention transformer of width D = 4d with 1 + 2 heads) on a prompt of N = d tokens, in Double,
/// `LinearTransformer.forward` as the claims call it: per head five dgemms and one element-wise sum.
/// `repeats` passes per timed run.
public struct LinearAttentionWorkload {
    public let dimension: Int
    public let model: LinearTransformer<Double>
    public let prompt: DenseMatrix<Double>
    public let repeats: Int
    /// Heads per layer and the weights W_V, W_K, W_Q of every head, in layer and head order (the C and numpy input).
    public let headCounts: [Int32]
    public let weights: [Double]

    public init(dimension d: Int, repeats: Int, seed: UInt64) {
        let random = RandomStream(StreamKey(claim: "bench.newton", masterSeed: seed, path: [d]))
        let construction = NewtonStepConstruction(dimension: d)
        model = construction.model()
        let a = DenseMatrix<Double>(random.gaussianMatrix(rows: d, columns: d, standardDeviation: 1 / Double(d).squareRoot()))
        let start = DenseMatrix<Double>(random.gaussianMatrix(rows: d, columns: d, standardDeviation: 0.1 / Double(d).squareRoot()))
        prompt = construction.prompt(matrix: a, start: start)
        dimension = d
        self.repeats = repeats
        headCounts = model.layers.map { Int32($0.heads.count) }
        weights = model.layers.flatMap { $0.heads.flatMap { $0.valueWeight.elements + $0.keyWeight.elements + $0.queryWeight.elements } }
    }

    public func runSwift() -> [Double] {
        var output = prompt
        for _ in 0..<repeats { output = model.forward(prompt) }
        return output.elements
    }

    public func runC() -> [Double] {
        let width = model.width, tokens = prompt.columns
        var h = prompt.elements
        var workspace = [Double](repeating: 0, count: 5 * width * tokens + tokens * tokens)
        for _ in 0..<repeats {
            h.withUnsafeMutableBufferPointer { _ = $0.update(fromContentsOf: prompt.elements) }
            cref_linear_attention_forward(width, tokens, headCounts.count, headCounts, weights, &h, &workspace)
        }
        return h
    }

    public func workload() -> Workload {
        let width = model.width, tokens = prompt.columns
        let heads = model.layers.reduce(0) { $0 + $1.heads.count }
        let flopsPerHead = 3 * 2 * width * width * tokens + 2 * tokens * tokens * width + 2 * width * tokens * tokens + width * tokens
        return Workload(family: "newton", name: "linear-attention forward, N = \(tokens)",
                        size: "D = \(width), \(model.depth) layers, \(heads) heads, \(repeats) passes", loopBound: false,
                        flops: Double(repeats * heads * flopsPerHead),
                        calls: "`NewtonStepConstruction(dimension:).model()` then `LinearTransformer<Double>.forward(_:)` · `cref_linear_attention_forward` · `Benchmarks/linear_attention.py`",
                        swift: runSwift, c: runC,
                        numpy: NumpyJob(script: "linear_attention.py",
                                        parameters: ["width": Double(width), "tokens": Double(tokens), "repeats": Double(repeats)],
                                        inputs: ["prompt": prompt.elements, "weights": weights, "heads": headCounts.map(Double.init)]))
    }
}
