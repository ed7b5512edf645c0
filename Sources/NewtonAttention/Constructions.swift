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
/// 3 + T layers, ≤ 2 heads per layer, width 4d + 1 (the paper states 4d + 3; its packing was not readable).
///
/// Tokens: the n examples and the query (N = n + 1, query last; needs n ≥ d). Row blocks of H₀:
///   P = [Aᵀ | 0] (d), y = [yᵀ | 0] (1), X = 0 (d), R = [0 | a_test] (d), E = [I_d | 0] (d).
/// The test point waits in R's query column: every head that reads R's columns as keys has a value block (X)
/// whose query column stays 0, and no head uses R's query column as a query until layer T + 2.
/// Layer 1:       1·(V←P→R, K←P, Q←E) writes AᵀA;  ε·(V←P→X, K←P, Q←E) writes X₀ = εAᵀA.
/// Layers 2..T+1: −1·(V←X→X, K←R, Q←X) and 1·(V←X→X, K←E, Q←E): X ← X(2I − RX) (T Newton steps).
/// Layer T+2:     1·(V←X→X, K←E, Q←R): X's query column becomes X_T a_test (its other columns are not read again).
/// Layer T+3:     1·(V←y→y, K←P, Q←X): writes Σᵢ yᵢaᵢᵀX_Ta_test = a_testᵀX_TAᵀy into the query's label slot
///                (X_T is a polynomial in R, hence symmetric; the query's own label is 0).
public struct LeastSquaresConstruction: Sendable {
    public let dimension: Int
    public let examples: Int
    public let data: PromptBlock, label: PromptBlock, iterate: PromptBlock, gram: PromptBlock, identity: PromptBlock
    public let layout: BlockLayout

    public init(dimension d: Int, examples n: Int) {
        precondition(n >= d, "the construction needs n ≥ d examples")
        var layout = BlockLayout()
        data = layout.add(height: d)
        label = layout.add(height: 1)
        iterate = layout.add(height: d)
        gram = layout.add(height: d)
        identity = layout.add(height: d)
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
        h.setBlock(DenseMatrix(rows: 1, columns: examples, elements: y), rowOffset: label.offset)
        h.setBlock(DenseMatrix(rows: dimension, columns: 1, elements: query), rowOffset: gram.offset, columnOffset: examples)
        h.setBlock(.identity(dimension), rowOffset: identity.offset)
        return h
    }

    /// The 3 + T layer model with X₀ = εAᵀA. One weight entry (W_V of the −XRX head of the first Newton layer) is
    /// multiplied by 1 + `perturbation`, for the negative control.
    public func model<S: TransformerScalar>(steps: Int, epsilon: S, perturbation: S = .zero) -> LinearTransformer<S> {
        precondition(steps >= 1)
        let h = layout
        let newton = TransformerLayer(heads: [h.head(-S.one, value: iterate, to: iterate, key: gram, query: iterate),
                                              h.head(S.one, value: iterate, to: iterate, key: identity, query: identity)])
        var first = newton
        first.heads[0].valueWeight[iterate.offset, iterate.offset] = first.heads[0].valueWeight[iterate.offset, iterate.offset] * (S.one + perturbation)
        let layers: [TransformerLayer<S>] = [
            TransformerLayer(heads: [h.head(S.one, value: data, to: gram, key: data, query: identity),
                                     h.head(epsilon, value: data, to: iterate, key: data, query: identity)]),
            first,
        ] + Array(repeating: newton, count: steps - 1) + [
            TransformerLayer(heads: [h.head(S.one, value: iterate, to: iterate, key: identity, query: gram)]),
            TransformerLayer(heads: [h.head(S.one, value: label, to: label, key: data, query: iterate)]),
        ]
        return LinearTransformer(width: width, layers: layers)
    }

    /// ŷ: the query's label slot of the output.
    public func prediction<S: TransformerScalar>(_ h: DenseMatrix<S>) -> S { h[label.offset, examples] }
}
