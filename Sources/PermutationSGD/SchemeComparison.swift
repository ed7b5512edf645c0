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
    public let source = StatementSource.paper("abstract: for any constant step, SS Ω(1/(nK²)) and incremental Ω(1/K²), matching upper bounds for 1-D quadratics")
    public let statement = "With any constant step, single shuffling converges as Θ(1/(nK²)) and incremental gradient (fixed order) as Θ(1/K²) on strongly convex quadratic sums: K-exponent −2 for both (between SGD's −1 and RR's −3), but n-exponent −1 for SS against 0 for IGD; at the best constant step neither beats K⁻²."
    public let guarantee = Guarantee.tight

    public let parameters = E1.sweepParameters + [
        ParameterSpec("steep_curvature", .real(1e-6...1e6), "L, curvature of the n/2 components with gradient +G at x* (two-type 1-D instance of the (n, K) grids)"),
        ParameterSpec("shallow_curvature", .real(1e-6...1e6), "μ₀, curvature of the n/2 components with gradient −G at x*"),
    ] + jointParameters("joint_", "fixed-step SS/IGD") + jointParameters("best_", "best-step SS/IGD") + stepGridParameters + [
        ParameterSpec("start_offset", .real(1e-6...1e6), "x₀ − x* for the best-step runs"),
    ]

    public let controls = [
        NegativeControl(id: "rows-reshuffle-every-epoch",
                        description: "the SS and IGD rows draw a fresh permutation every epoch (RR, K-exponent −3); both −2 checks must reject it"),
    ]

    public func invalidParameters(_ parameters: Parameters) -> (key: String, problem: String)? {
        for key in ["joint_components", "best_components"] {
            guard let ns = try? parameters.ints(key), ns.allSatisfy({ $0 % 2 == 0 }) else { return (key, "every n must be even (n/2 components of each type)") }
        }
        return E1.oddEpochs(parameters)
    }

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

        var table = Table(columns: SweepTable.columns)
        for sweep in sweeps { SweepTable.append(sweep, to: &table, components: n, stepConstant: c) }
        var checks: [Check] = sweeps.filter { $0.label == "SS" || $0.label == "IGD" }.map {
            $0.exponentCheck("\($0.label) K-exponent of E‖x_T−x*‖² (E1, n = \(n))", tolerance: tolerance).sweeping("K", alternatives: [-3, -1])
        }
        let rows = try Self.rowSweeps(p, wrongRows: wrongRows, streams: context.streams.child(2))
        checks += rows.ss.checks(tolerance: tolerance, alternativesN: [0], alternativesK: [-3, -1])
        checks += rows.igd.checks(tolerance: tolerance, alternativesN: [-1], alternativesK: [-3, -1])
        checks += rows.bestSS.checks(boundK: -2, boundN: -1)
        checks += rows.bestIGD.checks(boundK: -2, boundN: nil)
        SweepTable.append(rows.ss, sampling: "SS", stepConstant: c, to: &table)
        SweepTable.append(rows.igd, sampling: wrongRows ? "RR" : "IGD", stepConstant: c, to: &table)
        SweepTable.append(rows.bestSS, sampling: "SS", to: &table)
        SweepTable.append(rows.bestIGD, sampling: wrongRows ? "RR" : "IGD", to: &table)
        let plot = Self.combinedPlot(sweeps, title: "E1 clean protocol, n = \(n), d = \(d): all schemes")
        var notes = sweeps.map(\.exponentNote)
        notes += [rows.ss.note, rows.igd.note, rows.bestSS.note, rows.bestIGD.note,
                  "(n, K) grids: the two-type 1-D instance (n/2 components ½Lx² + Gx, n/2 components ½μ₀x² − Gx), a controlled family; IGD visits all steep components first. SS: a fresh single permutation per run; IGD is deterministic (one run per point, unweighted fit). Best-step runs start at x₀ = x* + offset; the grids' rows follow the E1 rows in the table (column c = α·μnK is the fixed step or the best step of the grid; E / predicted shape divides by n^p·K^q, for best-step rows by the lower bound 1/(nK²))."]
        notes.append("Random schemes: \(repetitions) runs on instance 0 (μ = \(formatShort(instances[0].strongConvexity)), L = \(formatShort(instances[0].smoothness))); IGD and FF-IGD: mean over \(instanceCount) instances. Only the SS and IGD rows are checked here; SGD, RR and the FlipFlops are checked in psgd.replacement-rate, psgd.rr-regimes and psgd.flipflop.")
        return Report(claimID: id, control: context.control, checks: checks, table: table, plot: plot, notes: notes)
    }

    /// The Safran–Shamir rows on the two-type instance: fixed-step joint (n, K) fits and best-step grids for SS and IGD.
    static func rowSweeps(_ p: Parameters, wrongRows: Bool, streams: StreamKey) throws
        -> (ss: JointSweep, igd: JointSweep, bestSS: BestStepSweep, bestIGD: BestStepSweep) {
        let steep = try p.double("steep_curvature"), shallow = try p.double("shallow_curvature"), c = try p.double("step_constant")
        let offset = try p.double("start_offset")
        let jointNs = try p.ints("joint_components"), bestNs = try p.ints("best_components")
        let problems = try Dictionary(uniqueKeysWithValues: Set(jointNs + bestNs).map { ($0, try RRVersusReplacement.instance(components: $0, steep: steep, shallow: shallow)) })
        @Sendable func run(_ scheme: SamplingScheme, _ point: GridPoint, _ cc: Double, _ offset: Double, _ random: RandomStream) -> Double {
            let problem = problems[point.n]!
            let sgd = PermutationSGD(problem: problem, scheme: wrongRows ? .reshuffling : scheme, stepSize: cc / (problem.strongConvexity * Double(point.n * point.k)))
            return problem.squaredError(sgd.run(epochs: point.k, from: problem.minimizer.map { $0 + offset }, random: random))
        }
        let joint = GridPoint.grid(jointNs, try p.ints("joint_epochs")), best = GridPoint.grid(bestNs, try p.ints("best_epochs"))
        let reps = try p.int("joint_repetitions"), bestReps = try p.int("best_repetitions")
        let grid = try p.bestStepGrid()
        @Sendable func runGrid(_ scheme: SamplingScheme, _ point: GridPoint, _ steps: [Double], _ random: RandomStream) -> [Double] {
            let problem = problems[point.n]!
            let scale = 1 / (problem.strongConvexity * Double(point.n * point.k))
            return PermutationSGD.runLanes(problem: problem, scheme: wrongRows ? .reshuffling : scheme, stepSizes: steps.map { $0 * scale },
                                           epochs: point.k, from: problem.minimizer[0] + offset, random: random).map { $0 * $0 }
        }
        let ss = try JointSweep.measure(label: "SS two-type", points: joint, repetitions: reps, predictedN: -1, predictedK: -2, streams: streams.child(0)) {
            run(.singleShuffle, $0, c, 0, $1)
        }
        let igd = try JointSweep.measure(label: "IGD two-type", points: joint, repetitions: reps, predictedN: 0, predictedK: -2, deterministic: !wrongRows,
                                         streams: streams.child(1)) { run(.incremental, $0, c, 0, $1) }
        let bestSS = try BestStepSweep(label: "SS two-type", points: best, stepGrid: grid, repetitions: bestReps, streams: streams.child(2)) {
            runGrid(.singleShuffle, $0, $1, $2)
        }
        let bestIGD = try BestStepSweep(label: "IGD two-type", points: best, stepGrid: grid, repetitions: bestReps, deterministic: !wrongRows,
                                        streams: streams.child(3)) { runGrid(.incremental, $0, $1, $2) }
        return (ss, igd, bestSS, bestIGD)
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
