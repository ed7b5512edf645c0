import ClaimCore
import Foundation

/// **Single shuffling is Θ(1/(nK²)) and incremental gradient Θ(1/K²) on quadratics** — the comparison rows of the
/// permutation-SGD family, with every scheme of experiment E1 drawn on one plot.
///
/// Safran, Shamir, "How Good is SGD with Random Shuffling?", COLT 2020 (arXiv:1908.00045), abstract: for any constant
/// step, single shuffling (SS) has E‖x_T − x*‖² = Ω(1/(nK²)) and incremental gradient (IGD, fixed order)
/// Ω(1/K²); matching upper bounds hold for 1-D quadratics. Rajput, Lee, Papailiopoulos (ICLR 2022, arXiv:2102.09718)
/// use these as the base rates that FlipFlop improves.
///
/// Setting: spec §5.2 E1 clean protocol — d-dimensional random quadratics, x₀ = x*, α = c/(μnK), fixed n, K ≲ n.
/// Prediction (spec §5.1 [D]): SS K-exponent −2 (a fixed order-dependent bias α²n^{3/2}LG per epoch), IGD −2 (a fixed
/// bias α²n²LG per epoch). IGD has no run-to-run randomness, so its mean is over `instances` random instances.
/// Check: weighted log-log slope of the mean over ≥ 5 K within ±`tolerance` of −2 with CI half-width ≤ 0.25, for each.
/// Also measured and drawn (checked in their own claims): SGD (−1), RR (−3), FF-IGD (−4), FF-SS (−4), FF-RR (−5).
public struct SchemeComparison: Claim {
    public init() {}

    public let id = "psgd.scheme-comparison"
    public let family = Family.permutationSGD
    public let citation = Citation(
        title: "How Good is SGD with Random Shuffling?",
        authors: "Itay Safran, Ohad Shamir",
        venue: "COLT 2020", arXiv: "1908.00045")
    public let statement = "With a constant step, single shuffling converges as Θ(1/(nK²)) and incremental gradient (fixed order) as Θ(1/K²) on strongly convex quadratic sums: K-exponent −2 for both, between SGD (−1) and RR (−3)."
    public let guarantee = Guarantee.tight

    public let parameters = E1.sweepParameters

    public let controls = [
        NegativeControl(id: "rows-reshuffle-every-epoch",
                        description: "the SS and IGD rows draw a fresh permutation every epoch (RR, K-exponent −3); both −2 checks must reject it"),
    ]

    public func invalidParameters(_ parameters: Parameters) -> (key: String, problem: String)? { E1.oddEpochs(parameters) }

    static let order: [SamplingScheme] = [.withReplacement, .incremental, .singleShuffle, .reshuffling,
                                          .flipFlopIncremental, .flipFlopSingleShuffle, .flipFlopReshuffling]

    public func run(_ context: RunContext) throws -> Report {
        let p = context.parameters
        let n = try p.int("components"), d = try p.int("dimension")
        let epochs = try p.ints("epochs")
        let repetitions = try p.int("repetitions"), instanceCount = try p.int("instances")
        let c = try p.double("step_constant"), tolerance = try p.double("tolerance")
        let resamples = try p.int("bootstrap_resamples")
        let wrongRows = context.isControl("rows-reshuffle-every-epoch")

        let instances = try E1.instances(instanceCount, components: n, dimension: d, streams: context.streams.child(0))
        var sweeps: [SchemeSweep] = []
        for (index, scheme) in Self.order.enumerated() {
            let isRow = scheme == .singleShuffle || scheme == .incremental
            let runScheme = wrongRows && isRow ? .reshuffling : scheme
            sweeps.append(try E1.sweep(label: scheme.rawValue, scheme: runScheme, predicted: scheme.cleanKExponent, instances: instances, epochs: epochs,
                                       repetitions: repetitions, stepConstant: c, bootstrapResamples: resamples, streams: context.streams.child(1, index)))
            context.progress(index + 1, of: Self.order.count, scheme.rawValue)
        }

        var table = Table(columns: SchemeSweep.tableColumns)
        for sweep in sweeps { sweep.appendRows(to: &table, components: n, stepConstant: c) }
        let checks: [Check] = sweeps.filter { $0.label == "SS" || $0.label == "IGD" }.map {
            $0.exponentCheck("\($0.label) K-exponent of E‖x_T−x*‖²", tolerance: tolerance)
        }
        let plot = Self.combinedPlot(sweeps, title: "E1 clean protocol, n = \(n), d = \(d): all schemes")
        var notes = sweeps.map(\.exponentNote)
        notes.append("Random schemes: \(repetitions) runs on instance 0 (μ = \(formatShort(instances[0].strongConvexity)), L = \(formatShort(instances[0].smoothness))); IGD and FF-IGD: mean over \(instanceCount) instances. Only the SS and IGD rows are checked here; SGD, RR and the FlipFlops are checked in psgd.replacement-rate, psgd.rr-regimes and psgd.flipflop.")
        return Report(claimID: id, control: context.control, checks: checks, table: table, plot: plot, notes: notes)
    }

    /// Means with CIs for every scheme and, dashed, its predicted slope drawn through the centre of its fitted line.
    static func combinedPlot(_ sweeps: [SchemeSweep], title: String) -> Plot {
        var plot = Plot(title: title, xLabel: "epochs K", yLabel: "E‖x_T − x*‖²")
        for (colour, sweep) in sweeps.enumerated() {
            let sizes = sweep.epochs.map(Double.init)
            plot.series.append(Plot.Series(name: "\(sweep.label): slope \(formatShort(sweep.exponent, digits: 3))", x: sizes,
                                           y: sweep.estimates.map(\.mean), intervals: sweep.estimates.map { $0.confidenceInterval() },
                                           style: .points, colour: colour))
            let lo = sizes.first!, hi = sizes.last!
            let centreX = (log(lo) + log(hi)) / 2, centreY = sweep.fit.line.predict(centreX)
            plot.series.append(Plot.Series(name: "\(sweep.label) predicted \(formatShort(sweep.predicted))", x: [lo, hi],
                                           y: [lo, hi].map { exp(centreY + sweep.predicted * (log($0) - centreX)) },
                                           style: .dashed, colour: colour))
        }
        return plot
    }
}
