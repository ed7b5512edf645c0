import ClaimCore
import Foundation

/// **N4 — Lemma 4.1: two linear-attention layers perform one Newton step for matrix inversion.**
///
/// [GYWPL] Lemma 4.1: for every d there is a linear transformer with 2 linear-attention layers, 2 heads each and width
/// 4d that maps a prompt containing A ∈ ℝ^{d×d} and X₀ to one containing X₁ = X₀(2I_d − AX₀); 1 layer suffices if A
/// is symmetric. The MLP parts are zero.
///
/// Model: `LinearTransformer` with the weights of `NewtonStepConstruction` (ours, [RC]): prompt [X₀; A; I; 0].
/// Experiment: random integer A and X₀ (exact rationals) and Gaussian A, X₀ (Double through dgemm), general and
/// symmetric A (A + Aᵀ), `repetitions` instances per d.
/// Checks: (1) in rationals the output equals [X₁; A; I; Aᵀ] (general) / [X₁; A; I; 0] (symmetric) exactly;
/// (2) in Double max|output − reference|/max(1, ‖X₁‖_max) ≤ `float_tolerance`; (3) the model has 2 layers (1 if
/// symmetric), ≤ 2 heads per layer, width 4d, no MLP.
public struct LemmaOneNewtonStep: Claim {
    public init() {}

    public let id = "newton.lemma41-one-step"
    public let family = Family.newtonAttention
    public let citation = Citation.newtonInContext
    public let statement = "Lemma 4.1: a linear-attention transformer with 2 layers, 2 heads per layer and width 4d maps [X₀; A; …] to X₁ = X₀(2I − AX₀) for any A (1 layer if A is symmetric)."
    public let guarantee = Guarantee.exact
    public let source = StatementSource.paper("Lemma 4.1")

    public let parameters: [ParameterSpec] = [
        ParameterSpec("exact_dimensions", .integers(1...12, minCount: 1, increasing: true), "d checked in exact rationals"),
        ParameterSpec("float_dimensions", .integers(1...200, minCount: 1, increasing: true), "d checked in Double"),
        ParameterSpec("repetitions", .integer(1...10_000), "random (A, X₀) per d and variant"),
        ParameterSpec("entry_bound", .integer(1...1000), "rational instances: A has integer entries in [−b, b], X₀ integer entries in [−b, b] divided by b·d"),
        ParameterSpec("float_tolerance", .real(1e-16...1e-6), "allowed max deviation in Double relative to max(1, ‖X₁‖_max)"),
        ParameterSpec("perturbation", .real(1e-12...1), "size added to one weight entry by the perturbed-weight control"),
    ]

    public let controls = [
        NegativeControl(id: "perturbed-weight", description: "one entry of W_V of the +X₀ head is changed by `perturbation`; exact and Double checks must fail"),
        NegativeControl(id: "swapped-key-query", description: "K and Q of the −X₀AX₀ head are swapped (computes X₀X₀ᵀAᵀ); must fail for non-symmetric products"),
        NegativeControl(id: "dropped-identity-head", description: "the +X₀ head is removed (computes X₀ − X₀AX₀); must fail"),
    ]

    func model<S: TransformerScalar>(_ construction: NewtonStepConstruction, symmetric: Bool, control: String?, perturbation: S) -> LinearTransformer<S> {
        var model: LinearTransformer<S> = construction.model(symmetric: symmetric)
        let last = model.layers.count - 1
        switch control {
        case "perturbed-weight":
            let entry = construction.iterate.offset
            model.layers[last].heads[1].valueWeight[entry, entry] = model.layers[last].heads[1].valueWeight[entry, entry] + perturbation
        case "swapped-key-query":
            let head = model.layers[last].heads[0]
            model.layers[last].heads[0] = AttentionHead(value: head.valueWeight, key: head.queryWeight, query: head.keyWeight)
        case "dropped-identity-head":
            model.layers[last].heads.remove(at: 1)
        default: break
        }
        return model
    }

    /// The output the lemma promises: [X₀(2I − AX₀); A; I; Aᵀ or 0].
    func expected<S: TransformerScalar>(_ c: NewtonStepConstruction, a: DenseMatrix<S>, x0: DenseMatrix<S>, symmetric: Bool) -> DenseMatrix<S> {
        var h = c.prompt(matrix: a, start: NewtonSchulz.step(x0, a, order: 2))
        if !symmetric { h.setBlock(a.transposed, rowOffset: c.transpose.offset) }
        return h
    }

    public func run(_ context: RunContext) throws -> Report {
        let p = context.parameters
        let exactDimensions = try p.ints("exact_dimensions"), floatDimensions = try p.ints("float_dimensions")
        let repetitions = try p.int("repetitions"), bound = try p.int("entry_bound")
        let tolerance = try p.double("float_tolerance"), perturbation = try p.double("perturbation")
        let control = context.control?.id

        var table = Table(columns: ["arithmetic", "A", "d", "layers", "max heads", "width", "instances", "instances failing", "max deviation / max(1,‖X₁‖)"])
        var exactFailing = 0, exactTotal = 0, worstFloat = 0.0
        var structureOK = true
        for (variantIndex, symmetric) in [false, true].enumerated() {
            let variant = symmetric ? "symmetric" : "general"
            for (dimIndex, d) in exactDimensions.enumerated() {
                let c = NewtonStepConstruction(dimension: d)
                let m: LinearTransformer<Rational> = model(c, symmetric: symmetric, control: control, perturbation: Rational(exactly: perturbation))
                structureOK = structureOK && m.depth == (symmetric ? 1 : 2) && m.maxHeads <= 2 && m.width == 4 * d && m.layers.allSatisfy { $0.mlp == nil }
                let streams = context.streams.child(0, variantIndex, dimIndex)
                let results = try parallelMap(repetitions) { rep -> (Bool, Double) in
                    let random = RandomStream(streams.child(rep))
                    var a = DenseMatrix<Rational>(exactly: try integerMatrix(dimension: d, bound: bound, random: random))
                    if symmetric { a = a + a.transposed }
                    let scale = Rational(1) / Rational(bound * d)
                    let x0 = scale * DenseMatrix<Rational>(exactly: try integerMatrix(dimension: d, bound: bound, random: random))
                    let difference = m.forward(c.prompt(matrix: a, start: x0)) - expected(c, a: a, x0: x0, symmetric: symmetric)
                    let x1 = NewtonSchulz.step(x0, a, order: 2)
                    return (difference.elements.allSatisfy(\.isZero), difference.maxAbs / max(1, x1.maxAbs))
                }
                let failing = results.filter { !$0.0 }.count
                exactFailing += failing
                exactTotal += repetitions
                table.append([.text("rational"), .text(variant), .integer(d), .integer(m.depth), .integer(m.maxHeads), .integer(m.width),
                              .integer(repetitions), .integer(failing), .real(results.map(\.1).max()!)])
            }
            for (dimIndex, d) in floatDimensions.enumerated() {
                let c = NewtonStepConstruction(dimension: d)
                let m: LinearTransformer<Double> = model(c, symmetric: symmetric, control: control, perturbation: perturbation)
                structureOK = structureOK && m.depth == (symmetric ? 1 : 2) && m.maxHeads <= 2 && m.width == 4 * d && m.layers.allSatisfy { $0.mlp == nil }
                let streams = context.streams.child(1, variantIndex, dimIndex)
                let deviations = try parallelMap(repetitions) { rep -> Double in
                    let random = RandomStream(streams.child(rep))
                    var a = DenseMatrix(random.gaussianMatrix(rows: d, columns: d))
                    if symmetric { a = a + a.transposed }
                    let x0 = DenseMatrix(random.gaussianMatrix(rows: d, columns: d, standardDeviation: 1 / Double(d)))
                    let x1 = NewtonSchulz.step(x0, a, order: 2)
                    return (m.forward(c.prompt(matrix: a, start: x0)) - expected(c, a: a, x0: x0, symmetric: symmetric)).maxAbs / max(1, x1.maxAbs)
                }
                worstFloat = max(worstFloat, deviations.max()!)
                table.append([.text("Double"), .text(variant), .integer(d), .integer(m.depth), .integer(m.maxHeads), .integer(m.width),
                              .integer(repetitions), .integer(deviations.filter { $0 > tolerance }.count), .real(deviations.max()!)])
            }
        }
        let checks = [
            Check.exact("transformer output = [X₀(2I − AX₀); A; I; Aᵀ|0] in exact rationals", holds: exactFailing == 0,
                        detail: "\(exactTotal - exactFailing) of \(exactTotal) instances exact"),
            Check.atMost("max deviation in Double / max(1, ‖X₁‖_max)", measured: worstFloat, bound: tolerance),
            Check.exact("2 layers (1 if A symmetric), ≤ 2 heads per layer, width 4d, no MLP", holds: structureOK,
                        detail: structureOK ? "all models have the stated counts" : "a model exceeds the stated counts").as(.construction),
        ]
        let notes = [
            "Weights are our reconstruction [RC] (the paper's matrices were not readable); attention has no 1/N factor.",
            "Rational X₀ is not tied to A: the lemma is an identity for any X₀, so no convergence condition is needed.",
        ]
        return Report(claimID: id, control: context.control, checks: checks, table: table, notes: notes)
    }
}
