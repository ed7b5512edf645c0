import ClaimCore
import Foundation

/// **IW3 — the dynamical dichotomy: hidden features move like m^{-r}; feature learning iff r = 0** (YH21 Def. 3.2,
/// Cor. 3.9, Def. 5.1, Thm. 4.1; read in secondary reproductions of the body, so `derived`).
///
/// Setting (spec §1): d = 8, n = 32 training inputs, 16 probes, y = x₁x₂, full-batch GD with η = 1 for T = 10
/// steps at every width; NTP, μP and SP with lr η/m (SP1) from the same raw draws; L ∈ `layers` (ReLU).
/// Measure: δx(m) = RMS over probes and neurons of x^L_T(ξ) − x^L_0(ξ); f₀(m) = RMS over probes of f₀(ξ);
/// for L = 2 also ρ_U = ‖U_T − U₀‖/‖U₀‖ (exponent −r₁).
/// Checks: slope δx = −r (NTP −½, μP 0, SP1 −3/2 at L = 1 and −½ at L = 2), each against the competing
/// parametrization's exponent; μP δx ≥ 0.05 at every width (Θ(1), not merely flat); μP f₀ slope −½ and NTP f₀ slope 0
/// (YH21 Cor. 3.10: a feature-learning limit has f₀ → 0); L = 2: SP1 ρ_U slope −3/2.
public struct FeatureDichotomy: Claim {
    public init() {}

    public let id = "width.feature-dichotomy"
    public let family = Family.infiniteWidth
    public let citation = Citation.tensorProgramsIV
    public let statement = "Under an abc-parametrization the last hidden layer's features move by Θ(m^{-r}) during training at fixed step count: r = ½ for NTP (kernel regime, no feature learning), r = 0 for μP (features move Θ(1), and f₀ → 0), r = 3/2 for one-hidden-layer SP with lr ∝ 1/m."
    public let guarantee = Guarantee.tight
    public let source = StatementSource.derived("YH21 Def. 3.2/Cor. 3.9/Def. 5.1 read only in secondary reproductions; exponents computed from the r formula for our table")

    public let parameters = DynamicsSetting.layeredParameters

    public let controls = [
        NegativeControl(id: "ntp-learns-features", description: "NTP claimed to learn features: predicts slope 0 for the NTP feature change"),
        NegativeControl(id: "mup-kernel-regime", description: "μP claimed to be in the kernel regime: predicts slope −½ for the μP feature change"),
        NegativeControl(id: "sp-deep-r", description: "YH21 Table 1's deep-network r = ½ used for one-hidden-layer SP with lr η/m (the 1(l = 1) term dropped)"),
    ]

    public func invalidParameters(_ p: Parameters) -> (key: String, problem: String)? { DynamicsSetting.layeredProblem(p) }

    public func run(_ context: RunContext) throws -> Report {
        let p = context.parameters
        let setting = try DynamicsSetting(p, streams: context.streams)
        let tau = setting.tolerance
        var checks: [Check] = []
        var named: [(String, WidthSweep)] = []
        var extras: [(String, WidthSweep)] = []
        for layers in try p.ints("layers") {
            let runs = try [Parametrization.ntp, .mup, .sp1].map { try setting.run($0, layers: layers, kernel: false, streams: context.streams) }
            let dx = runs.map { setting.sweep($0, layers: layers) { $0.featureChange } }
            let f0 = runs.map { setting.sweep($0, layers: layers) { $0.initialOutput } }
            let ntpPrediction = context.isControl("ntp-learns-features") ? 0 : -0.5
            let mupPrediction = context.isControl("mup-kernel-regime") ? -0.5 : 0
            let spPrediction = context.isControl("sp-deep-r") ? -0.5 : -Parametrization.sp1.r(layers: layers)
            let tag = "L = \(layers)"
            checks.append(try .widthExponent("NTP feature change δx, \(tag)", dx[0], predicted: ntpPrediction, tolerance: tau, alternatives: [-0.5 - ntpPrediction]))
            checks.append(try .widthExponent("μP feature change δx, \(tag)", dx[1], predicted: mupPrediction, tolerance: tau, alternatives: [-0.5 - mupPrediction]))
            checks.append(try .widthExponent("SP (lr η/m) feature change δx, \(tag)", dx[2], predicted: spPrediction, tolerance: tau,
                                             alternatives: [layers == 1 ? (spPrediction == -1.5 ? -0.5 : -1.5) : 0]))
            checks.append(Check.atLeast("μP smallest δx(m) over widths (RMS over seeds), \(tag)", measured: dx[1].minimumRMS, bound: 0.05))
            checks.append(try .widthExponent("μP initial output f₀, \(tag)", f0[1], predicted: -0.5, tolerance: tau, alternatives: [0]))
            checks.append(try .widthExponent("NTP initial output f₀, \(tag)", f0[0], predicted: 0, tolerance: tau, alternatives: [-0.5]))
            if layers == 2 {
                let rho = setting.sweep(runs[2], layers: layers) { $0.inputWeightChange }
                checks.append(try .widthExponent("SP (lr η/m) input-weight change ρ_U = −r₁, \(tag)", rho, predicted: -1.5, tolerance: tau, alternatives: [-0.5]))
                extras.append(("SP1 ρ_U, \(tag)", rho))
            }
            named += [("NTP δx, \(tag)", dx[0]), ("μP δx, \(tag)", dx[1]), ("SP1 δx, \(tag)", dx[2])]
            extras += [("NTP f₀, \(tag)", f0[0]), ("μP f₀, \(tag)", f0[1])]
        }
        let table = widthTable(named + extras)
        let plot = widthPlot("Feature change after T = \(setting.steps) steps (RMS over \(setting.seeds) seeds)", yLabel: "δx = RMS(x^L_T − x^L_0)", named)
        let notes = [
            "All parametrizations start from the same raw N(0,1) draws per (width, seed); data fixed (d = \(setting.dimension), n = \(setting.data.train.rows), \(setting.data.probes.rows) probes, y = x₁x₂).",
            "Exponents: half the fitted exponent of the per-width mean of q² (RMS over seeds), weighted least squares with a residual-inflated 95% CI.",
        ]
        return Report(claimID: id, control: context.control, checks: checks, table: table, plot: plot, notes: notes, parameters: p.summary)
    }
}
