import ClaimCore

/// Lemma 4.1 of [GYWPL] as weights of `LinearTransformer`: width 4d, 2 layers with ≤ 2 heads, prompt
///
///   H₀ = [X₀; A; I_d; 0] ∈ ℝ^{4d×d}  (d tokens).
///
/// Layer 1 (one head) writes Aᵀ into block 4: 1·(V ← I → Aᵀ, K ← A, Q ← I) adds I·Aᵀ·I.
/// Layer 2 (two heads) turns block 1 into X₁ = X₀(2I − AX₀): −1·(V ← X → X, K ← Aᵀ, Q ← X) adds −X₀AX₀ and
/// +1·(V ← X → X, K ← I, Q ← I) adds X₀. If A is symmetric, layer 2 alone with K ← A suffices.
/// Further copies of layer 2 perform further Newton steps (blocks 2–4 are never written again).
/// Weights are ours (the paper's were not readable; same layer, head and width counts) — [RC] in the spec.
public struct NewtonStepConstruction: Sendable {
    public let dimension: Int
    public let iterate: PromptBlock
    public let matrix: PromptBlock
    public let identity: PromptBlock
    public let transpose: PromptBlock
    public let layout: BlockLayout

    public init(dimension d: Int) {
        var layout = BlockLayout()
        iterate = layout.add(height: d)
        matrix = layout.add(height: d)
        identity = layout.add(height: d)
        transpose = layout.add(height: d)
        self.layout = layout
        dimension = d
    }

    public var width: Int { layout.width }

    public func prompt<S: TransformerScalar>(matrix a: DenseMatrix<S>, start x0: DenseMatrix<S>) -> DenseMatrix<S> {
        var h = DenseMatrix<S>(rows: width, columns: dimension)
        h.setBlock(x0, rowOffset: iterate.offset)
        h.setBlock(a, rowOffset: matrix.offset)
        h.setBlock(.identity(dimension), rowOffset: identity.offset)
        return h
    }

    public func transposeLayer<S: TransformerScalar>() -> TransformerLayer<S> {
        TransformerLayer(heads: [layout.head(S.one, value: identity, to: transpose, key: matrix, query: identity)])
    }

    /// One Newton step on block 1, reading A through `key` (Aᵀ's block in general, A's block if A is symmetric).
    public func newtonLayer<S: TransformerScalar>(symmetric: Bool = false) -> TransformerLayer<S> {
        TransformerLayer(heads: [
            layout.head(-S.one, value: iterate, to: iterate, key: symmetric ? matrix : transpose, query: iterate),
            layout.head(S.one, value: iterate, to: iterate, key: identity, query: identity),
        ])
    }

    /// Lemma 4.1: 2 layers (1 if `symmetric`); `steps` > 1 chains further Newton layers.
    public func model<S: TransformerScalar>(symmetric: Bool = false, steps: Int = 1) -> LinearTransformer<S> {
        let newton: TransformerLayer<S> = newtonLayer(symmetric: symmetric)
        let first: [TransformerLayer<S>] = symmetric ? [] : [transposeLayer()]
        return LinearTransformer(width: width, layers: first + Array(repeating: newton, count: steps))
    }

    public func readIterate<S: TransformerScalar>(_ h: DenseMatrix<S>) -> DenseMatrix<S> { h.rowBlock(iterate.offset, dimension) }
}

/// Theorem 4.2 of [GYWPL] (in-context least squares) as weights of `LinearTransformer`, our own packing [RC]:
/// 3 + T layers, 2 heads per layer, width 5d + 2 (the paper states 4d + 3; we could not read its packing).
///
/// Tokens: the n examples and the query (N = n + 1, query last; needs n ≥ d). Row blocks of H₀:
///   P = [Aᵀ | 0] (d), t = [0 | a_test] (d), y-row = [yᵀ | 0] (1), X = 0 (d), R = 0 (d), E = [I_d | 0] (d),
///   ind = [0 … 0 | 1] (1).
/// Layer 1:      1·(V←P→R, K←P, Q←E) writes [AᵀA | 0];  1·(V←P→P, K←y, Q←ind) writes Aᵀy in P's query column.
/// Layer 2:      2ε·(V←R→X, K←E, Q←E) and −ε²·(V←R→X, K←R, Q←R): X₁ = 2εR − ε²R³ = X₀(2I − RX₀), X₀ = εR.
/// Layers 3..T+1: −1·(V←X→X, K←R, Q←X) and 1·(V←X→X, K←E, Q←E): X ← X(2I − RX).
/// Layer T+2:    1·(V←E→P, K←X, Q←P) and −1·(V←E→P, K←E, Q←P): P ← X_T P (query column X_T Aᵀy).
/// Layer T+3:    1·(V←ind→y, K←P, Q←t) writes (X_TAᵀy)ᵀa_test = a_testᵀX_TAᵀy into the query's label slot
///               (X_T is a polynomial in R, hence symmetric).
public struct LeastSquaresConstruction: Sendable {
    public let dimension: Int
    public let examples: Int
    public let data: PromptBlock, test: PromptBlock, label: PromptBlock, iterate: PromptBlock
    public let gram: PromptBlock, identity: PromptBlock, indicator: PromptBlock
    public let layout: BlockLayout

    public init(dimension d: Int, examples n: Int) {
        precondition(n >= d, "the construction needs n ≥ d examples")
        var layout = BlockLayout()
        data = layout.add(height: d)
        test = layout.add(height: d)
        label = layout.add(height: 1)
        iterate = layout.add(height: d)
        gram = layout.add(height: d)
        identity = layout.add(height: d)
        indicator = layout.add(height: 1)
        self.layout = layout
        dimension = d
        examples = n
    }

    public var width: Int { layout.width }
    public var tokens: Int { examples + 1 }

    /// `a` is n×d (rows a_iᵀ), `y` has n entries, `query` has d.
    public func prompt<S: TransformerScalar>(a: DenseMatrix<S>, y: [S], query: [S]) -> DenseMatrix<S> {
        var h = DenseMatrix<S>(rows: width, columns: tokens)
        h.setBlock(a.transposed, rowOffset: data.offset)
        h.setBlock(DenseMatrix(rows: dimension, columns: 1, elements: query), rowOffset: test.offset, columnOffset: examples)
        h.setBlock(DenseMatrix(rows: 1, columns: examples, elements: y), rowOffset: label.offset)
        h.setBlock(.identity(dimension), rowOffset: identity.offset)
        h[indicator.offset, examples] = .one
        return h
    }

    /// The 3 + T layer model with X₀ = εAᵀA. One weight entry (W_V of the first Newton head, 2ε) is multiplied by
    /// 1 + `perturbation`, for the negative control.
    public func model<S: TransformerScalar>(steps: Int, epsilon: S, perturbation: S = .zero) -> LinearTransformer<S> {
        precondition(steps >= 1)
        let h = layout
        var first = h.head(S(2) * epsilon, value: gram, to: iterate, key: identity, query: identity)
        first.valueWeight[iterate.offset, gram.offset] = first.valueWeight[iterate.offset, gram.offset] * (S.one + perturbation)
        let layers: [TransformerLayer<S>] = [
            TransformerLayer(heads: [h.head(S.one, value: data, to: gram, key: data, query: identity),
                                     h.head(S.one, value: data, to: data, key: label, query: indicator)]),
            TransformerLayer(heads: [first, h.head(-(epsilon * epsilon), value: gram, to: iterate, key: gram, query: gram)]),
        ] + Array(repeating: TransformerLayer(heads: [h.head(-S.one, value: iterate, to: iterate, key: gram, query: iterate),
                                                      h.head(S.one, value: iterate, to: iterate, key: identity, query: identity)]),
                  count: steps - 1) + [
            TransformerLayer(heads: [h.head(S.one, value: identity, to: data, key: iterate, query: data),
                                     h.head(-S.one, value: identity, to: data, key: identity, query: data)]),
            TransformerLayer(heads: [h.head(S.one, value: indicator, to: label, key: data, query: test)]),
        ]
        return LinearTransformer(width: width, layers: layers)
    }

    /// ŷ: the query's label slot of the output.
    public func prediction<S: TransformerScalar>(_ h: DenseMatrix<S>) -> S { h[label.offset, examples] }
}
