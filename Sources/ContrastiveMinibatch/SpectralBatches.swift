import ClaimCore
import Foundation

/// **C6 — spectral-clustering batch selection finds high-loss batches and speeds up SGD** (Cho et al., TMLR 2024,
/// arXiv:2307.05906, abstract and official code `sc_even`).
///
/// Why it works (spec §2, [D]): by concavity of ln, Σ_{i∈𝔅}[ℓᵢ^{u→v}(𝔅) + ℓᵢ^{v→u}(𝔅)] ≥ (1/(B−1)) Σ_{i<j∈𝔅} W_ij with
/// W = A + Aᵀ, A_ij = ψ(Z_ij − Z_ii) + ψ(Z_ji − Z_ii), ψ(z) = ln(1 + (B−1)e^z); a partition with large within-batch
/// weight has a large lower bound on its total loss, and spectral clustering on S = exp(W) looks for one.
///
/// (a) Batch loss: U uniform on S^{d−1}, V = normalise(U + `noise`·g), g ~ N(0, I). Per trial, the mean batch loss
/// of the spectral partition divided by the mean over `random_partitions` random partitions. Checks, the spec's rule
/// (T7) for every (N, B, d) setting: the mean ratio over `trials` trials has a 95% CI above 1.05, and the spectral
/// partition's loss exceeds the 90th percentile of the random partitions' in ≥ 90% of the trials (18/20).
/// (b) Speed: the official synthetic setting (as in contrastive.ordered-sgd), spectral partition recomputed every
/// epoch vs a fresh random partition every epoch; epochs until 𝓛_full − 𝓛_full* < ε, paired per seed. Check:
/// geometric-mean ratio random/spectral has a 95% CI above 1.
public struct SpectralBatches: Claim {
    public init() {}

    public let id = "contrastive.spectral-batches"
    public let family = Family.contrastiveMinibatch
    public let citation = Citation.miniBatchContrastive
    public let source = StatementSource.paper("abstract and official code (sc_even selector); the >1.05 / 90th-percentile rule is the spec's (T7)")
    public let statement = "Spectral-clustering batch selection yields partitions whose mini-batches have higher loss than random partitions, and SGD on them reaches the full-batch optimum in fewer epochs than SGD on random mini-batches."
    public let guarantee = Guarantee.upper

    public let parameters: [ParameterSpec] = SynthesisSetting.parameters + [
        ParameterSpec("partition_points", .integers(4...256, minCount: 1, increasing: false), "N of each batch-loss setting"),
        ParameterSpec("partition_batch_sizes", .integers(2...64, minCount: 1, increasing: false), "B of each batch-loss setting (divides N)"),
        ParameterSpec("partition_dimensions", .integers(2...256, minCount: 1, increasing: false), "d of each batch-loss setting"),
        ParameterSpec("trials", .integer(10...10_000), "independent embeddings per batch-loss setting"),
        ParameterSpec("random_partitions", .integer(10...100_000), "random partitions per trial"),
        ParameterSpec("noise", .real(0...10), "V = normalise(U + noise·g)"),
    ]

    public let controls = [
        NegativeControl(id: "inverted-affinity", description: "the selector clusters on exp(−W), grouping low-weight pairs; its batches must not beat random ones"),
    ]

    public func invalidParameters(_ parameters: Parameters) -> (key: String, problem: String)? {
        guard let n = try? parameters.ints("partition_points"), let b = try? parameters.ints("partition_batch_sizes"),
              let d = try? parameters.ints("partition_dimensions"), n.count == b.count, n.count == d.count else {
            return ("partition_dimensions", "partition_points, partition_batch_sizes and partition_dimensions need equally many entries")
        }
        if let k = n.indices.first(where: { n[$0] % b[$0] != 0 || b[$0] >= n[$0] }) { return ("partition_batch_sizes", "setting \(k + 1): B must divide N and be < N") }
        guard let sn = try? parameters.int("points"), let sb = try? parameters.int("batch_size"), let sd = try? parameters.int("dimension") else { return nil }
        return SynthesisSetting.invalid(points: sn, batchSize: sb, dimension: sd)
    }

    public func run(_ context: RunContext) throws -> Report {
        let p = context.parameters
        let sign: Double = context.isControl("inverted-affinity") ? -1 : 1
        let points = try p.ints("partition_points"), batchSizes = try p.ints("partition_batch_sizes"), dimensions = try p.ints("partition_dimensions")
        let trials = try p.int("trials"), randomPartitions = try p.int("random_partitions"), noise = try p.double("noise")

        var table = Table(columns: ["experiment", "N", "B", "d", "trials/seeds", "measured ratio", "CI low", "CI high", "min", "max", "beats 90th pct. of random"])
        var checks: [Check] = []
        for (k, (n, (b, d))) in zip(points, zip(batchSizes, dimensions)).enumerated() {
            let streams = context.streams.child(0, k)
            let outcomes = try parallelMap(trials) { t -> (ratio: Double, beats: Bool) in
                let random = RandomStream(streams.child(t))
                let u = Embeddings.random(points: n, dimension: d, random: random)
                var v = u
                for i in v.indices { v[i] += noise * random.gaussian() }
                Embeddings.normaliseColumns(&v, dimension: d)
                let model = InfoNCE(sampleCount: n, dimension: d)
                let spectral = try SpectralBatchSelector(batchSize: b, affinitySign: sign).partition(u: u, v: v, dimension: d, random: random)
                let spectralLoss = model.loss(BatchFamily(sampleCount: n, size: b, members: spectral), u: u, v: v)
                var randomLosses: [Double] = []
                for _ in 0..<randomPartitions {
                    randomLosses.append(model.familyLoss(BatchFamily(sampleCount: n, size: b, members: random.permutation(n).map(Int32.init)), gradient: false))
                }
                let mean = randomLosses.reduce(0, +) / Double(randomPartitions)
                let percentile90 = randomLosses.sorted()[Int(0.9 * Double(randomPartitions - 1))]
                return (spectralLoss / mean, spectralLoss > percentile90)
            }
            let ratios = outcomes.map(\.ratio)
            let estimate = try MeanEstimate(ratios)
            let ci = estimate.confidenceInterval()
            table.append([.text("mean batch loss spectral/random"), .integer(n), .integer(b), .integer(d), .integer(trials), .real(estimate.mean), .real(ci.lower), .real(ci.upper),
                          .real(ratios.min()!), .real(ratios.max()!), .text("\(outcomes.filter(\.beats).count)/\(trials)")])
            // The spec's rule (T7): ratio > 1.05, and above the 90th percentile of the random partitions in ≥ 90% of trials (18/20).
            checks.append(.atLeast("N = \(n), B = \(b), d = \(d): mean batch loss of spectral / random partitions (spec: > 1.05)", measured: estimate.mean, interval: ci, bound: 1.05))
            checks.append(.atLeast("N = \(n), B = \(b), d = \(d): fraction of trials where the spectral partition beats the 90th percentile of \(randomPartitions) random ones (spec: ≥ 18/20)",
                                   measured: Double(outcomes.filter(\.beats).count) / Double(trials), bound: 0.9))
            context.progress(k + 1, of: points.count + 1, "batch loss N = \(n)")
        }

        let setting = try SynthesisSetting(p)
        let curves = try setting.run([.shuffled, .spectral], streams: context.streams.child(1), spectralSign: sign)
        let reach = curves.map { $0.map(setting.epochsToReach) }
        let ratio = try SynthesisSetting.ratio(reach[0], reach[1])
        table.append([.text("epochs to ε = \(formatShort(setting.epsilon)): random/spectral (geo. mean)"), .integer(setting.points), .integer(setting.batchSize), .integer(setting.dimension),
                      .integer(setting.seeds), .real(ratio.estimate), .real(ratio.interval.lower), .real(ratio.interval.upper),
                      .real(Double(reach[1].min()!)), .real(Double(reach[1].max()!)), .text("spectral reached ε in \(reach[1].filter { $0 <= setting.epochs }.count)/\(setting.seeds)")])
        checks.append(.atLeast("epochs-to-ε ratio random/spectral (geometric mean over \(setting.seeds) seeds)", measured: ratio.estimate, interval: ratio.interval, bound: 1))
        let notes = [
            "Spectral step: normalised Laplacian of exp(W) (diagonal ignored), eigenvectors by LAPACK dsyevd, rows scaled by 1/√degree with deterministic signs, k-means++ with 10 restarts, equal-size assignment by the Hungarian algorithm; every random choice from the run's GSL stream.",
            "Spectral epochs to ε: min \(reach[1].min()!), max \(reach[1].max()!); random: min \(reach[0].min()!), max \(reach[0].max()!) (censored at \(setting.epochs + 1)).",
        ]
        return Report(claimID: id, control: context.control, checks: checks, table: table, notes: notes)
    }
}
