import ClaimCore
import Foundation

/// **C2 — the full-batch and the all-C(N,B) mini-batch losses are different functions** ("Prop. 1" in the caption of
/// Figure 1 of Cho et al., TMLR 2024, arXiv:2307.05906).
///
/// 𝓛_full = 𝓛([N]) and 𝓛_all = (1/C(N,B)) Σ_{|𝔅|=B} 𝓛(𝔅) are not positive multiples of each other: the ratio
/// 𝓛_full/𝓛_all changes from point to point. At the ETF it equals
/// ln(1 + (N−1)e^{−N/(N−1)}) / ln(1 + (B−1)e^{−N/(N−1)}) (2.490 for N = 4, B = 2).
///
/// Experiment: (a) the ratio at the ETF vs its closed form; (b) the ratio at `random_points` random configurations
/// (U uniform on the sphere, V = normalise(U + 0.3·noise)); (c) the Figure 1(a) slice: N = 10, d = 2, u = v at the
/// regular decagon except u₁ = (cos θ, sin θ); the curves 𝓛_full/2 and (C(N,2)/(2N))·𝓛_all (the normalisation that
/// reproduces the figure's values, [D]).
/// Check: relative spread (max − min)/mean of the ratio over the random points ≥ `spread_threshold`; the ETF ratio
/// equals the closed form to 1e-12; on the slice both curves have their minimum at θ = 0 yet their ratio varies.
public struct LossesDiffer: Claim {
    public init() {}

    public let id = "contrastive.losses-differ"
    public let family = Family.contrastiveMinibatch
    public let citation = Citation.miniBatchContrastive
    public let source = StatementSource.paper("Prop. 1 (Figure 1 caption)")
    public let statement = "The full-batch contrastive loss and the sum of all C(N,B) mini-batch losses are not positive multiples of each other (Prop. 1)."
    public let guarantee = Guarantee.exact

    public let parameters: [ParameterSpec] = [
        ParameterSpec("points", .integer(3...64), "N, number of positive pairs"),
        ParameterSpec("batch_size", .integer(2...64), "B, mini-batch size"),
        ParameterSpec("dimension", .integer(2...128), "d, embedding dimension (≥ N−1 for the ETF point)"),
        ParameterSpec("random_points", .integer(3...100_000), "random configurations at which the ratio is measured"),
        ParameterSpec("spread_threshold", .real(1e-6...1), "minimum relative spread (max − min)/mean of the ratio that counts as 'not a multiple'"),
        ParameterSpec("slice_angles", .integer(9...10_000), "θ grid points on [−π, π] for the Figure 1(a) slice (odd, so θ = 0 is on the grid)"),
    ]

    public let controls = [
        NegativeControl(id: "batch-size-equals-n",
                        description: "B = N, so the 'all mini-batches' objective is the full loss itself and the ratio is constant 1"),
    ]

    public func invalidParameters(_ parameters: Parameters) -> (key: String, problem: String)? {
        guard let n = try? parameters.int("points"), let b = try? parameters.int("batch_size"), let d = try? parameters.int("dimension") else { return nil }
        if b >= n { return ("batch_size", "must be < N") }
        if d < n - 1 { return ("dimension", "must be ≥ N−1 (the ETF point)") }
        if let a = try? parameters.int("slice_angles"), a % 2 == 0 { return ("slice_angles", "must be odd") }
        return nil
    }

    public func run(_ context: RunContext) throws -> Report {
        let p = context.parameters
        let n = try p.int("points"), d = try p.int("dimension"), samples = try p.int("random_points")
        let b = context.isControl("batch-size-equals-n") ? n : try p.int("batch_size")
        let threshold = try p.double("spread_threshold"), angles = try p.int("slice_angles")
        let full = BatchFamily.full(n), all = BatchFamily.all(n, size: b)
        let model = InfoNCE(sampleCount: n, dimension: d)

        var table = Table(columns: ["point", "𝓛_full", "𝓛_all", "ratio 𝓛_full/𝓛_all"])
        let etf = try Embeddings.simplexETF(points: n, dimension: d)
        let etfFull = model.loss(full, u: etf, v: etf), etfAll = model.loss(all, u: etf, v: etf)
        let predictedRatio = ContrastiveClosedForm.etfBatchLoss(points: n, batchSize: n) / ContrastiveClosedForm.etfBatchLoss(points: n, batchSize: b)
        table.append([.text("simplex ETF"), .real(etfFull), .real(etfAll), .real(etfFull / etfAll)])
        let random = RandomStream(context.streams.child(0))
        var ratios: [Double] = []
        for s in 0..<samples {
            let u = Embeddings.random(points: n, dimension: d, random: random)
            var v = u
            for k in v.indices { v[k] += 0.3 * random.gaussian() }
            Embeddings.normaliseColumns(&v, dimension: d)
            let lf = model.loss(full, u: u, v: v), la = model.loss(all, u: u, v: v)
            ratios.append(lf / la)
            if s < 10 { table.append([.text("random \(s + 1)"), .real(lf), .real(la), .real(lf / la)]) }
        }
        let mean = ratios.reduce(0, +) / Double(ratios.count)
        let spread = (ratios.max()! - ratios.min()!) / mean

        // Figure 1(a): N = 10, B = 2, d = 2.
        let sliceN = 10
        var decagon = [Double](repeating: 0, count: 2 * sliceN)
        for k in 0..<sliceN {
            let angle: Double = 2 * Double.pi * Double(k) / Double(sliceN)
            decagon[2 * k] = cos(angle)
            decagon[2 * k + 1] = sin(angle)
        }
        let sliceModel = InfoNCE(sampleCount: sliceN, dimension: 2)
        let sliceFull = BatchFamily.full(sliceN), slicePairs = BatchFamily.all(sliceN, size: 2)
        let pairScale = Double(sliceN * (sliceN - 1) / 2) / Double(2 * sliceN)
        var thetas: [Double] = [], fullCurve: [Double] = [], miniCurve: [Double] = []
        for a in 0..<angles {
            let theta = -Double.pi + 2 * Double.pi * Double(a) / Double(angles - 1)
            var u = decagon
            u[0] = cos(theta); u[1] = sin(theta)
            thetas.append(theta)
            fullCurve.append(sliceModel.loss(sliceFull, u: u, v: decagon) / 2)
            miniCurve.append(pairScale * sliceModel.loss(slicePairs, u: u, v: decagon))
        }
        let centre = angles / 2
        let fullArgmin = fullCurve.indices.min { fullCurve[$0] < fullCurve[$1] }!
        let miniArgmin = miniCurve.indices.min { miniCurve[$0] < miniCurve[$1] }!
        let sliceRatios = zip(fullCurve, miniCurve).map { $0 / $1 }
        let sliceSpread = (sliceRatios.max()! - sliceRatios.min()!) / (sliceRatios.reduce(0, +) / Double(angles))
        for index in [centre, 0] {
            table.append([.text("Fig. 1(a) slice θ = \(formatShort(thetas[index], digits: 4)) (curves 𝓛_full/2, \(formatShort(pairScale))·𝓛_all)"),
                          .real(fullCurve[index]), .real(miniCurve[index]), .real(fullCurve[index] / miniCurve[index])])
        }

        var plot = Plot(title: "Figure 1(a) slice: N = 10, B = 2, d = 2, u₁ = (cos θ, sin θ)", xLabel: "θ (rad)", yLabel: "loss", logX: false, logY: false)
        plot.series.append(.init(name: "𝓛_full/2", x: thetas, y: fullCurve, style: .line, colour: 0))
        plot.series.append(.init(name: "\(formatShort(pairScale))·𝓛_all pairs", x: thetas, y: miniCurve, style: .line, colour: 1))

        let checks: [Check] = [
            .atLeast("relative spread of 𝓛_full/𝓛_all over \(samples) random points (N = \(n), B = \(b))", measured: spread, bound: threshold),
            .close("ratio at the ETF vs ln(1+(N−1)e^{−N/(N−1)})/ln(1+(B−1)e^{−N/(N−1)})", measured: etfFull / etfAll, expected: predictedRatio, relativeTolerance: 1e-12).as(.sanity),
            .exact("Fig. 1(a) slice: both curves minimised at θ = 0", holds: fullArgmin == centre && miniArgmin == centre,
                   detail: "argmin θ: full \(formatShort(thetas[fullArgmin])), mini \(formatShort(thetas[miniArgmin]))"),
            .atLeast("Fig. 1(a) slice: relative spread of the ratio of the two curves", measured: sliceSpread, bound: threshold),
        ]
        let notes = [
            "Ratio over random points: min \(formatShort(ratios.min()!)), mean \(formatShort(mean)), max \(formatShort(ratios.max()!)).",
            "Figure 1(a) read-off (spec §3.2): full ≈ 1.54 at the minimum, ≈ 1.73 at θ = ±π; mini ≈ 1.46 and ≈ 1.95. Measured: full \(formatShort(fullCurve[centre], digits: 5)) / \(formatShort(fullCurve[0], digits: 5)), mini \(formatShort(miniCurve[centre], digits: 5)) / \(formatShort(miniCurve[0], digits: 5)); the normalisations 𝓛_full/2 and (C(N,2)/(2N))·𝓛_all are inferred, not read from the paper.",
        ]
        return Report(claimID: id, control: context.control, checks: checks, table: table, plot: plot, notes: notes)
    }
}
