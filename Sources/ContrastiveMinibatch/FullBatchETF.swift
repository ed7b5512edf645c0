import ClaimCore
import Foundation

/// **C1 — the full-batch InfoNCE optimum is the simplex ETF** (Cho et al., TMLR 2024, arXiv:2307.05906; the paper
/// credits prior work — per Lee, Lim, Lee, Sohn, ICML 2025, it is Lu & Steinerberger 2022).
///
/// For N pairs on S^{d−1} with d ≥ N−1 and τ = 1, 𝓛_full(U, V) ≥ 𝓛_full* = 2·ln(1 + (N−1)·e^{−N/(N−1)}), with
/// equality iff uᵢ = vᵢ and uᵢ·uⱼ = −1/(N−1) (i ≠ j), i.e. UᵀV = UᵀU = (N/(N−1))·I − (1/(N−1))·𝟙𝟙ᵀ.
///
/// Experiment: Riemannian gradient descent (`SphereDescent`) on the full loss from `starts` independent random starts
/// per (N, d); 𝓛_full at `random_configurations` random points probes the lower bound.
/// Check: the reached value farthest from 𝓛_full* equals it to relative `loss_tolerance`; worst max-entry deviation of UᵀV
/// and UᵀU from the ETF Gram ≤ `gram_tolerance`; no random point below 𝓛_full* (relative slack ≥ −1e-14).
public struct FullBatchETF: Claim {
    public init() {}

    public let id = "contrastive.full-batch-etf"
    public let family = Family.contrastiveMinibatch
    public let citation = Citation.miniBatchContrastive
    public let source = StatementSource.paper("Figure 1 caption and official code (ETF ground truth); the paper credits prior work (Lu & Steinerberger 2022)")
    public let statement = "For d ≥ N−1 the full-batch InfoNCE loss (τ = 1) is minimised exactly by u = v = a simplex ETF (off-diagonal Gram −1/(N−1)), with minimum 2·ln(1 + (N−1)e^{−N/(N−1)})."
    public let guarantee = Guarantee.exact

    public let parameters: [ParameterSpec] = [
        ParameterSpec("points", .integers(2...64, minCount: 1, increasing: false), "N of each case (number of positive pairs)"),
        ParameterSpec("dimensions", .integers(2...128, minCount: 1, increasing: false), "d of each case (embedding dimension, ≥ N−1)"),
        ParameterSpec("starts", .integer(5...1000), "independent random starts per case"),
        ParameterSpec("random_configurations", .integer(10...1_000_000), "random points per case probing 𝓛_full ≥ 𝓛_full*"),
        ParameterSpec("loss_tolerance", .real(1e-15...1e-2), "allowed relative error of the reached minimum"),
        ParameterSpec("gram_tolerance", .real(1e-15...1e-1), "allowed max |Gram entry − ETF entry|"),
    ]

    public let controls = [
        NegativeControl(id: "below-etf-dimension",
                        description: "every case runs in d = N−2, where no simplex ETF exists; the reached minimum must miss the ETF closed form"),
    ]

    public func invalidParameters(_ parameters: Parameters) -> (key: String, problem: String)? {
        guard let n = try? parameters.ints("points"), let d = try? parameters.ints("dimensions"), n.count == d.count else {
            return ("dimensions", "needs one entry per entry of points")
        }
        if let bad = zip(n, d).first(where: { $0.1 < $0.0 - 1 || $0.0 < 4 }) { return ("dimensions", "case N = \(bad.0), d = \(bad.1): need N ≥ 4 and d ≥ N−1") }
        return nil
    }

    public func run(_ context: RunContext) throws -> Report {
        let p = context.parameters
        let points = try p.ints("points"), configuredDimensions = try p.ints("dimensions")
        let starts = try p.int("starts"), probes = try p.int("random_configurations")
        let lossTolerance = try p.double("loss_tolerance"), gramTolerance = try p.double("gram_tolerance")
        let belowETF = context.isControl("below-etf-dimension")
        let dimensions = belowETF ? points.map { $0 - 2 } : configuredDimensions

        var table = Table(columns: ["N", "d", "starts", "𝓛_full* (closed form)", "min reached", "max reached", "max rel. error",
                                    "max |UᵀV − ETF|", "max |UᵀU − ETF|", "max ‖∇‖ at stop", "min random slack (rel.)"])
        var worstLoss = (error: -1.0, reached: 0.0, closedForm: 0.0), worstGram = 0.0, worstSlack = Double.infinity
        for (caseIndex, (n, d)) in zip(points, dimensions).enumerated() {
            let optimum = ContrastiveClosedForm.etfBatchLoss(points: n, batchSize: n)
            let full = BatchFamily.full(n)
            let streams = context.streams.child(caseIndex)
            let runs = try parallelMap(starts) { s -> (loss: Double, crossDeviation: Double, selfDeviation: Double, gradient: Double) in
                let m = Minimiser.run(full, dimension: d, random: RandomStream(streams.child(0, s)))
                let target = Embeddings.etfTarget(points: n)
                return (m.loss, Embeddings.maxDeviation(try m.crossGram(), target), Embeddings.maxDeviation(try m.gramU(), target), m.gradientNorm)
            }
            let probeRandom = RandomStream(streams.child(1))
            let model = InfoNCE(sampleCount: n, dimension: d)
            var slack = Double.infinity
            for _ in 0..<probes {
                let u = Embeddings.random(points: n, dimension: d, random: probeRandom)
                var v = u
                for k in v.indices { v[k] += 0.3 * probeRandom.gaussian() }
                Embeddings.normaliseColumns(&v, dimension: d)
                slack = min(slack, (model.loss(full, u: u, v: v) - optimum) / optimum)
            }
            let losses = runs.map(\.loss)
            let worstReached = losses.max { relativeError($0, optimum) < relativeError($1, optimum) }!
            let relative = relativeError(worstReached, optimum)
            let cross = runs.map(\.crossDeviation).max()!, selfGram = runs.map(\.selfDeviation).max()!
            if relative > worstLoss.error { worstLoss = (relative, worstReached, optimum) }
            worstGram = max(worstGram, cross, selfGram)
            worstSlack = min(worstSlack, slack)
            table.append([.integer(n), .integer(d), .integer(starts), .real(optimum), .real(losses.min()!), .real(losses.max()!), .real(relative),
                          .real(cross), .real(selfGram), .real(runs.map(\.gradient).max()!), .real(slack)])
            context.progress(caseIndex + 1, of: points.count, "N = \(n), d = \(d)")
        }
        let checks: [Check] = [
            .close("reached minimum (worst case and start) vs 2·ln(1+(N−1)e^{−N/(N−1)})", measured: worstLoss.reached, expected: worstLoss.closedForm, relativeTolerance: lossTolerance),
            .atMost("worst max-entry deviation of UᵀV and UᵀU from the ETF Gram", measured: worstGram, bound: gramTolerance),
            .atLeast("smallest relative slack (𝓛_full − 𝓛_full*)/𝓛_full* at random points", measured: worstSlack, bound: -1e-14),
        ]
        var notes = ["Optimiser: Riemannian gradient descent on the product of spheres (projection retraction, Armijo steps, then gradient-norm acceptance once the loss no longer resolves the decrease), stopped at ‖grad‖ ≤ 1e-11; U and V start independently uniform on the sphere."]
        if belowETF { notes.append("Control: d = N−2 < N−1, so no simplex ETF fits and the minimum lies strictly above the closed form.") }
        return Report(claimID: id, control: context.control, checks: checks, table: table, notes: notes)
    }
}
