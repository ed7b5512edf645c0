import ClaimCore
import Foundation

/// **FlipFlop permutations speed up IGD, SS and RR on quadratics** (P2-F1, P2-F2, P2-F3).
///
/// Rajput, Lee, Papailiopoulos, "Permutation-Based SGD: Is Random Optimal?", ICLR 2022 (arXiv:2102.09718): on
/// strongly convex quadratic sums, pairing each epoch's permutation σ (from IGD, SS or RR) with its reverse in the
/// next epoch improves the base scheme's rate. Spec's reading ([R], rates unverified; K-exponents [D]):
///   FF-IGD: O~(1/(n²K²) + 1/K⁴)   vs IGD Θ(1/K²),
///   FF-SS:  O~(1/(n²K²) + 1/(nK⁴)) vs SS  Θ(1/(nK²)),
///   FF-RR:  O~(1/(n²K²) + 1/(nK⁵)) vs RR  Θ(1/(n²K²) + 1/(nK³)).
/// Mechanism (spec §5.1, [D]): a pair (σ, reversed σ) cancels the order-dependent α² part of the epoch bias exactly,
/// leaving O(α³) — hence one extra power of K (IGD, SS: −2 → −4) or two (RR: zero-mean −3 → −5).
///
/// Setting: E1 clean protocol (x₀ = x*, α = c/(μnK), d-dimensional random quadratics), in the regime where the
/// K-dependent term dominates the common 1/(n²K²) floor (K ≲ n on random instances; spec §5.2).
/// Checks: K-exponents −4, −4, −5 (±`tolerance`, CI half-width ≤ 0.25; FF-IGD's mean and bootstrap CI are over
/// instances), and "never worse than the base": max over K of mean(FF)/mean(base) ≤ 1 (CI from the two mean CIs).
public struct FlipFlop: Claim {
    public init() {}

    public let id = "psgd.flipflop"
    public let family = Family.permutationSGD
    public let citation = Citation(
        title: "Permutation-Based SGD: Is Random Optimal?",
        authors: "Shashank Rajput, Kangwook Lee, Dimitris Papailiopoulos",
        venue: "ICLR 2022", arXiv: "2102.09718")
    public let statement = "On strongly convex quadratic sums, FlipFlop (each permutation followed by its reverse) improves IGD from Θ(1/K²) to O~(1/(n²K²) + 1/K⁴), SS from Θ(1/(nK²)) to O~(1/(n²K²) + 1/(nK⁴)) and RR from Θ(1/(n²K²) + 1/(nK³)) to O~(1/(n²K²) + 1/(nK⁵)), and is never worse than its base scheme."
    public let guarantee = Guarantee.upper

    public let parameters = E1.sweepParameters

    public let controls = [
        NegativeControl(id: "no-flip",
                        description: "the FlipFlop arms never reverse (they are IGD, SS, RR: K-exponents −2, −2, −3); the −4/−4/−5 checks must reject them"),
    ]

    public func invalidParameters(_ parameters: Parameters) -> (key: String, problem: String)? { E1.oddEpochs(parameters) }

    static let pairs: [(flipFlop: SamplingScheme, base: SamplingScheme)] = [
        (.flipFlopIncremental, .incremental), (.flipFlopSingleShuffle, .singleShuffle), (.flipFlopReshuffling, .reshuffling),
    ]

    public func run(_ context: RunContext) throws -> Report {
        let p = context.parameters
        let n = try p.int("components"), d = try p.int("dimension")
        let epochs = try p.ints("epochs")
        let repetitions = try p.int("repetitions"), instanceCount = try p.int("instances")
        let c = try p.double("step_constant"), tolerance = try p.double("tolerance")
        let resamples = try p.int("bootstrap_resamples")
        let noFlip = context.isControl("no-flip")

        let instances = try E1.instances(instanceCount, components: n, dimension: d, streams: context.streams.child(0))
        var table = Table(columns: SchemeSweep.tableColumns)
        var checks: [Check] = []
        var notes: [String] = []
        var sweeps: [SchemeSweep] = []
        for (index, pair) in Self.pairs.enumerated() {
            // Base and FlipFlop share their order streams: odd epochs of FF-RR/FF-SS use the same permutations as the base.
            let streams = context.streams.child(1, index)
            let base = try E1.sweep(label: pair.base.rawValue, scheme: pair.base, predicted: pair.base.cleanKExponent, instances: instances,
                                    epochs: epochs, repetitions: repetitions, stepConstant: c, bootstrapResamples: resamples, streams: streams)
            let flipFlop = try E1.sweep(label: pair.flipFlop.rawValue, scheme: noFlip ? pair.base : pair.flipFlop, predicted: pair.flipFlop.cleanKExponent,
                                        instances: instances, epochs: epochs, repetitions: repetitions, stepConstant: c,
                                        bootstrapResamples: resamples, streams: streams)
            checks.append(flipFlop.exponentCheck("\(pair.flipFlop.rawValue) K-exponent of E‖x_T−x*‖²", tolerance: tolerance))
            // never worse: the worst K of mean(FF)/mean(base)
            let ratios = zip(flipFlop.estimates, base.estimates).map { $0.0.mean / $0.1.mean }
            let worst = ratios.indices.max { ratios[$0] < ratios[$1] }!
            let ffCI = flipFlop.estimates[worst].confidenceInterval(), baseCI = base.estimates[worst].confidenceInterval()
            let interval = flipFlop.paired
                ? Interval(ratios[worst], ratios[worst])
                : Interval(max(0, ffCI.lower) / baseCI.upper, ffCI.upper / max(baseCI.lower, .leastNonzeroMagnitude))
            checks.append(.atMost("\(pair.flipFlop.rawValue) vs \(pair.base.rawValue): max over K of mean ratio (at K = \(epochs[worst]))",
                                  measured: ratios[worst], interval: interval, bound: 1))
            base.appendRows(to: &table, components: n, stepConstant: c)
            flipFlop.appendRows(to: &table, components: n, stepConstant: c)
            notes.append(flipFlop.exponentNote)
            notes.append(base.exponentNote + " FF/base mean ratio per K: \(ratios.map { formatShort($0, digits: 3) }.joined(separator: ", ")).")
            sweeps += [base, flipFlop]
            context.progress(index + 1, of: Self.pairs.count, pair.flipFlop.rawValue)
        }
        let plot = SchemeComparison.combinedPlot(sweeps, title: "FlipFlop vs base, E1 clean protocol, n = \(n), d = \(d)")
        notes.append("Random schemes: \(repetitions) runs on instance 0 (μ = \(formatShort(instances[0].strongConvexity)), L = \(formatShort(instances[0].smoothness))); IGD and FF-IGD: mean over \(instanceCount) instances, CI by instance bootstrap (\(resamples) resamples). The ratio check for the paired IGD pair is exact per instance set (no CI).")
        return Report(claimID: id, control: context.control, checks: checks, table: table, plot: plot, notes: notes)
    }
}
