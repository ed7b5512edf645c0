import ClaimCore
import Foundation

/// **C4 — a strict subset of the mini-batches can have sub-optimal minimisers** ("Thm. 5" in the caption of Figure 1
/// of Cho et al., TMLR 2024, arXiv:2307.05906: training on a strict subset does not guarantee negatively correlated
/// embeddings of different samples).
///
/// Instance (Figure 1(b)): N = 4, d = 3, B = 2, 𝒮 = {{1,2},{3,4}}. 𝓛_𝒮 ≥ 2·ln(1 + e^{−2}), attained by
/// u₁ = v₁ = −u₂ = −v₂, u₃ = v₃ = −u₄ = −v₄ with any relative orientation of the two pairs; since u₄ = −u₃, one of
/// u₁·u₃, u₁·u₄ is ≥ 0 at every minimiser. Cross-check (Lee, Lim, Lee, Sohn, ICML 2025, Thm 5.5, fixed partition):
/// the off-diagonal entries of UVᵀ have mean −1/(N−1) and variance 2/9 + (2/3)(u₁·u₃)² ∈ [2/9, 8/9] here.
///
/// Check over `starts` random starts: min 𝓛_𝒮 = 2·ln(1+e^{−2}) (relative ≤ `loss_tolerance`); at every minimiser
/// max_{i≠j} uᵢ·uⱼ ≥ 0; every full-batch gap is ≥ its closed-form minimum 2·ln(1+e^{−2}+2e^{−1}) − 𝓛_full* ≈ 0.0877
/// (𝓛_full = 2·ln(1 + e^{−2} + e^{c−1} + e^{−c−1}) at a subset minimiser with c = u₁·u₃, smallest at c = 0); the gap 𝓛_full − 𝓛_full* has mean (95% CI) ≥ `minimum_gap`; the Thm 5.5 mean
/// and variance identities hold to 1e-6 / 1e-5.
public struct StrictSubset: Claim {
    public init() {}

    public let id = "contrastive.strict-subset"
    public let family = Family.contrastiveMinibatch
    public let citation = Citation.miniBatchContrastive
    public let source = StatementSource.paper("Thm. 5 (Figure 1 caption); cross-check with Lee, Lim, Lee, Sohn (ICML 2025) Thm 5.5, read in full")
    public let statement = "Minimising the contrastive loss over a strict subset of the C(N,B) mini-batches (N = 4, B = 2, {{1,2},{3,4}}) gives minimisers that are sub-optimal for the full loss and have positively correlated embeddings of different samples."
    public let guarantee = Guarantee.exact

    public let parameters: [ParameterSpec] = [
        ParameterSpec("dimension", .integer(2...64), "d, embedding dimension"),
        ParameterSpec("starts", .integer(5...1000), "independent random starts"),
        ParameterSpec("loss_tolerance", .real(1e-15...1e-2), "allowed relative error of the reached subset minimum"),
        ParameterSpec("minimum_gap", .real(0...10), "lower bound on the mean full-batch gap 𝓛_full − 𝓛_full* at the subset minimisers"),
    ]

    public let controls = [
        NegativeControl(id: "all-pairs-instead-of-subset",
                        description: "the objective uses all C(4,2) pairs; its minimiser is the ETF (full-batch optimal, all correlations −1/3)"),
    ]

    public func run(_ context: RunContext) throws -> Report {
        let p = context.parameters
        let d = try p.int("dimension"), starts = try p.int("starts")
        let lossTolerance = try p.double("loss_tolerance"), minimumGap = try p.double("minimum_gap")
        let n = 4
        let subset = context.isControl("all-pairs-instead-of-subset") ? BatchFamily.all(n, size: 2) : BatchFamily.partition(n, [[0, 1], [2, 3]])
        let full = BatchFamily.full(n), pairs = BatchFamily.all(n, size: 2)
        let subsetMinimum = ContrastiveClosedForm.pairPartitionMinimum
        let fullOptimum = ContrastiveClosedForm.etfBatchLoss(points: n, batchSize: n)
        let etf = try Embeddings.simplexETF(points: n, dimension: max(d, 3))
        let etfSubsetValue = InfoNCE(sampleCount: n, dimension: max(d, 3)).loss(BatchFamily.partition(n, [[0, 1], [2, 3]]), u: etf, v: etf)

        struct Outcome: Sendable { let loss, full, pairs, maxCorrelation, u13, mean, variance: Double }
        let runs = try parallelMap(starts) { s -> Outcome in
            let m = Minimiser.run(subset, dimension: d, random: RandomStream(context.streams.child(s)))
            let uu = try m.gramU(), uv = try m.crossGram()
            var maxCorrelation = -Double.infinity
            var offDiagonal: [Double] = []
            for i in 0..<n { for j in 0..<n where i != j { maxCorrelation = max(maxCorrelation, uu[i, j]); offDiagonal.append(uv[i, j]) } }
            let mean = offDiagonal.reduce(0, +) / Double(offDiagonal.count)
            let variance = offDiagonal.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(offDiagonal.count)
            return Outcome(loss: m.loss, full: m.loss(of: full), pairs: m.loss(of: pairs), maxCorrelation: maxCorrelation, u13: uu[0, 2], mean: mean, variance: variance)
        }

        var table = Table(columns: ["start", "𝓛_𝒮 reached", "2·ln(1+e^{−2})", "𝓛_full", "gap 𝓛_full − 𝓛_full*", "𝓛_all pairs", "max_{i≠j} uᵢ·uⱼ", "u₁·u₃",
                                    "mean off-diag UVᵀ", "var off-diag UVᵀ", "2/9 + (2/3)(u₁·u₃)²"])
        for (s, r) in runs.enumerated() {
            table.append([.integer(s + 1), .real(r.loss), .real(subsetMinimum), .real(r.full), .real(r.full - fullOptimum), .real(r.pairs), .real(r.maxCorrelation),
                          .real(r.u13), .real(r.mean), .real(r.variance), .real(2.0 / 9 + 2.0 / 3 * r.u13 * r.u13)])
        }
        // At a subset minimiser with c = u₁·u₃, 𝓛_full = 2·ln(1 + e^{−2} + e^{c−1} + e^{−c−1}), smallest at c = 0.
        let closestGap = 2 * log(1 + exp(-2.0) + 2 * exp(-1.0)) - fullOptimum
        let gap = try MeanEstimate(runs.map { $0.full - fullOptimum })
        let worstMean = runs.map { abs($0.mean + 1.0 / 3) }.max()!
        let worstVariance = runs.map { abs($0.variance - (2.0 / 9 + 2.0 / 3 * $0.u13 * $0.u13)) }.max()!
        let checks: [Check] = [
            .close("min 𝓛_𝒮 reached (worst start) vs 2·ln(1+e^{−2})", measured: runs.map(\.loss).max { relativeError($0, subsetMinimum) < relativeError($1, subsetMinimum) }!,
                   expected: subsetMinimum, relativeTolerance: lossTolerance),
            .atLeast("smallest (over minimisers) max_{i≠j} uᵢ·uⱼ: different samples positively correlated", measured: runs.map(\.maxCorrelation).min()!, bound: 0),
            .atLeast("smallest full-batch gap over the subset minimisers vs its closed-form minimum 2·ln(1+e^{−2}+2e^{−1}) − 𝓛_full* (u₁ ⊥ u₃)",
                     measured: runs.map { $0.full - fullOptimum }.min()!, bound: closestGap * (1 - lossTolerance)),
            .atLeast("mean full-batch gap 𝓛_full − 𝓛_full* at the subset minimisers", measured: gap.mean, interval: gap.confidenceInterval(), bound: minimumGap),
            .atMost("LLLS25 Thm 5.5: worst |mean off-diagonal UVᵀ + 1/3|", measured: worstMean, bound: 1e-6),
            .atMost("LLLS25 Thm 5.5: worst |variance − (2/9 + (2/3)(u₁·u₃)²)|", measured: worstVariance, bound: 1e-5),
        ]
        let positive = runs.filter { $0.u13 > 1e-6 }.count
        let notes = [
            "The ETF scores \(formatShort(etfSubsetValue, digits: 7)) on 𝒮 (spec 0.467925) against the subset minimum \(formatShort(subsetMinimum, digits: 9)), so it is not a subset minimiser.",
            "u₁·u₃ ranges \(formatShort(runs.map(\.u13).min()!)) … \(formatShort(runs.map(\.u13).max()!)) (positive in \(positive)/\(starts) starts); the full-batch gap ranges \(formatShort(runs.map { $0.full - fullOptimum }.min()!)) … \(formatShort(runs.map { $0.full - fullOptimum }.max()!)) (spec T3: 𝓛_full 1.25–1.58, i.e. gap 0.09–0.41).",
        ]
        return Report(claimID: id, control: context.control, checks: checks, table: table, notes: notes)
    }
}
