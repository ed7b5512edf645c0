import ClaimCore

/// One linear self-attention head: H ↦ W_V H (W_K H)ᵀ (W_Q H), with W_K, W_Q, W_V ∈ ℝ^{D×D}, no softmax, no mask,
/// no 1/N normalisation.
public struct AttentionHead<Scalar: TransformerScalar>: Sendable, Hashable {
    public var valueWeight: DenseMatrix<Scalar>
    public var keyWeight: DenseMatrix<Scalar>
    public var queryWeight: DenseMatrix<Scalar>

    @inlinable public init(value: DenseMatrix<Scalar>, key: DenseMatrix<Scalar>, query: DenseMatrix<Scalar>) {
        valueWeight = value
        keyWeight = key
        queryWeight = query
    }

    /// W_V H (W_K H)ᵀ (W_Q H) ∈ ℝ^{D×N}, evaluated as (W_V H)·[(W_K H)ᵀ(W_Q H)].
    @_specialize(where Scalar == Double)   // a Double entry point for callers in other files of debug (non-WMO) builds
    @inlinable public func apply(_ h: DenseMatrix<Scalar>) -> DenseMatrix<Scalar> {
        let keys = keyWeight * h
        let queries = queryWeight * h
        let scores = Scalar.product(keys, transposeA: true, queries, transposeB: false)
        return (valueWeight * h) * scores
    }
}

/// Position-wise ReLU MLP: H ↦ W₂ σ(W₁ H), σ = ReLU, W₁ ∈ ℝ^{D'×D}, W₂ ∈ ℝ^{D×D'}. Biases are realised through a
/// constant-one row of the prompt, so there are none here.
public struct ReLUBlock<Scalar: TransformerScalar>: Sendable, Hashable {
    public var inWeight: DenseMatrix<Scalar>
    public var outWeight: DenseMatrix<Scalar>

    @inlinable public init(inWeight: DenseMatrix<Scalar>, outWeight: DenseMatrix<Scalar>) {
        precondition(inWeight.columns == outWeight.rows && outWeight.columns == inWeight.rows)
        self.inWeight = inWeight
        self.outWeight = outWeight
    }

    public var hiddenWidth: Int { inWeight.rows }

    @_specialize(where Scalar == Double)   // a Double entry point for callers in other files of debug (non-WMO) builds
    @inlinable public func apply(_ h: DenseMatrix<Scalar>) -> DenseMatrix<Scalar> {
        let hidden = (inWeight * h).map { $0 > .zero ? $0 : .zero }
        return outWeight * hidden
    }
}

/// One transformer layer: H̃ = H + Σᵢ W_V⁽ⁱ⁾H(W_K⁽ⁱ⁾H)ᵀ(W_Q⁽ⁱ⁾H), then H_out = H̃ + W₂σ(W₁H̃) if the layer has an MLP.
public struct TransformerLayer<Scalar: TransformerScalar>: Sendable, Hashable {
    public var heads: [AttentionHead<Scalar>]
    public var mlp: ReLUBlock<Scalar>?

    @inlinable public init(heads: [AttentionHead<Scalar>], mlp: ReLUBlock<Scalar>? = nil) {
        self.heads = heads
        self.mlp = mlp
    }

    @_specialize(where Scalar == Double)   // a Double entry point for callers in other files of debug (non-WMO) builds
    @inlinable public func apply(_ h: DenseMatrix<Scalar>) -> DenseMatrix<Scalar> {
        var out = h
        for head in heads { out = out + head.apply(h) }
        if let mlp { out = out + mlp.apply(out) }
        return out
    }
}

/// A linear-attention transformer acting on a prompt H ∈ ℝ^{D×N} whose tokens are the columns. The constructions of
/// this family (Lemma 4.1, Theorem 4.2, the ReLU emulation) are weight settings of this one model.
public struct LinearTransformer<Scalar: TransformerScalar>: Sendable, Hashable {
    /// D, the embedding width.
    public let width: Int
    public var layers: [TransformerLayer<Scalar>]

    @inlinable public init(width: Int, layers: [TransformerLayer<Scalar>]) {
        precondition(layers.allSatisfy { layer in
            layer.heads.allSatisfy { $0.valueWeight.rows == width && $0.keyWeight.columns == width && $0.queryWeight.columns == width }
        }, "LinearTransformer: weight shapes do not match the width \(width)")
        self.width = width
        self.layers = layers
    }

    public var depth: Int { layers.count }
    public var maxHeads: Int { layers.map(\.heads.count).max() ?? 0 }

    @inlinable public func forward(_ prompt: DenseMatrix<Scalar>) -> DenseMatrix<Scalar> {
        precondition(prompt.rows == width, "prompt has \(prompt.rows) rows, the model width is \(width)")
        return layers.reduce(prompt) { $1.apply($0) }
    }

    /// The prompt followed by the output of every layer.
    public func trace(_ prompt: DenseMatrix<Scalar>) -> [DenseMatrix<Scalar>] {
        var states = [prompt]
        for layer in layers { states.append(layer.apply(states.last!)) }
        return states
    }
}

/// A named row block of the prompt: rows `offset ..< offset + height`.
public struct PromptBlock: Sendable, Hashable {
    public let offset: Int
    public let height: Int
    public init(offset: Int, height: Int) {
        self.offset = offset
        self.height = height
    }
}

/// Stacks row blocks top to bottom and builds "copy/product" heads between them.
public struct BlockLayout: Sendable {
    public private(set) var width = 0

    public init() {}

    public mutating func add(height: Int) -> PromptBlock {
        defer { width += height }
        return PromptBlock(offset: width, height: height)
    }

    /// The head "c·(V ← source → target, K ← key, Q ← query)": W_V = c·S_targetᵀS_source, W_K = S₁ᵀS_key,
    /// W_Q = S₁ᵀS_query, where S_b selects block b and S₁ᵀ places it in the top rows (zero-padded). Then
    /// (W_K H)ᵀ(W_Q H) = B_keyᵀB_query and the head adds c·B_source B_keyᵀ B_query to block `target`.
    public func head<Scalar: TransformerScalar>(_ coefficient: Scalar, value source: PromptBlock, to target: PromptBlock,
                                                key: PromptBlock, query: PromptBlock) -> AttentionHead<Scalar> {
        precondition(source.height == target.height, "value source and target blocks must have the same height")
        var v = DenseMatrix<Scalar>(rows: width, columns: width)
        for r in 0..<source.height { v[target.offset + r, source.offset + r] = coefficient }
        return AttentionHead(value: v, key: selector(key), query: selector(query))
    }

    private func selector<Scalar: TransformerScalar>(_ block: PromptBlock) -> DenseMatrix<Scalar> {
        var s = DenseMatrix<Scalar>(rows: width, columns: width)
        for r in 0..<block.height { s[r, block.offset + r] = .one }
        return s
    }
}

/// A plot series without the points below `floor` (predictions like ρ₀^{2^k} underflow far below the rounding floor
/// of the measurements and would stretch a log axis over hundreds of decades).
func clipped(name: String, x: [Double], y: [Double], style: Plot.Style, colour: Int, floor: Double = 1e-17) -> Plot.Series {
    let kept = zip(x, y).filter { $0.1 >= floor }
    return Plot.Series(name: name, x: kept.map(\.0), y: kept.map(\.1), style: style, colour: colour)
}
