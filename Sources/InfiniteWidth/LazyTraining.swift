import ClaimCore
import Foundation

/// **IW2 — lazy training: weights and the tangent kernel stop moving as m grows under NTP, not under μP**
/// (JGH18 Thm. 2 and Remark 4 for the limit; the rates are derived and measured — ReLU is outside Thm. 2's C²
/// hypothesis — spec §3 IW2).
///
/// Setting (spec §1): d = 8, n = 32, y = x₁x₂, η = 1, T = 10 full-batch GD steps at every width, NTP and μP from the
/// same raw draws, ReLU, L ∈ `layers`.
/// Measure: ρ_U = ‖U_T − U₀‖_F/‖U₀‖_F; ρ_K = ‖K_T − K₀‖_F/‖K₀‖_F, K the lr-weighted tangent kernel on the training inputs.
/// Checks: NTP ρ_U slope −½ (alternative: μP's 0); NTP ρ_K slope ≤ −½ + τ (the O(m^{-1/2}) drift bound is an upper
/// bound) and inside the measured window [−0.95, −0.60] (alternatives −½, the folklore two-sided rate, and 0);
/// μP: both slopes 0 (alternative −½), ρ_U ≥ 0.1 and ρ_K ≥ 0.2 at every width (Θ(1)).
public struct LazyTraining: Claim {
    public init() {}

    public let id = "width.lazy-training"
    public let family = Family.infiniteWidth
    public let citation = Citation.neuralTangentKernel
    public let statement = "Under the NTK parametrization the weights and the tangent kernel stop moving during training as the width grows (relative weight change ∝ m^{-1/2}, kernel drift at least that fast); under μP both stay Θ(1)."
    public let guarantee = Guarantee.tight
    public let source = StatementSource.derived("JGH18 Thm. 2/Remark 4 state the limit (C² activations); the width exponents and the μP contrast are derived and measured for ReLU")

    public let parameters = DynamicsSetting.layeredParameters

    public let controls = [
        NegativeControl(id: "mup-is-lazy", description: "μP claimed to be lazy: the μP run is held to the NTP predictions"),
        NegativeControl(id: "kernel-drift-half", description: "the folklore rate as a two-sided claim: NTP kernel drift exponent −½ ± τ"),
    ]

    public func invalidParameters(_ p: Parameters) -> (key: String, problem: String)? { DynamicsSetting.layeredProblem(p) }

    public func run(_ context: RunContext) throws -> Report {
        let p = context.parameters
        let setting = try DynamicsSetting(p, streams: context.streams)
        let tau = setting.tolerance
        let lazyArm: Parametrization = context.isControl("mup-is-lazy") ? .mup : .ntp
        var checks: [Check] = []
        var named: [(String, WidthSweep)] = []
        for layers in try p.ints("layers") {
            let tag = "L = \(layers)"
            let lazy = try setting.run(lazyArm, layers: layers, kernel: true, streams: context.streams)
            let active = try setting.run(.mup, layers: layers, kernel: true, streams: context.streams)
            let lazyU = setting.sweep(lazy, layers: layers) { $0.inputWeightChange }, lazyK = setting.sweep(lazy, layers: layers) { $0.kernelChange }
            let activeU = setting.sweep(active, layers: layers) { $0.inputWeightChange }, activeK = setting.sweep(active, layers: layers) { $0.kernelChange }
            let kernelExponent = try lazyK.exponent()
            let name = lazyArm == .ntp ? "NTP" : "μP (as NTP)"
            checks.append(try .widthExponent("\(name) relative input-weight change ρ_U, \(tag)", lazyU, predicted: -0.5, tolerance: tau, alternatives: [0]))
            checks.append(Check.atMost("\(name) kernel-drift exponent (upper bound −½ + τ), \(tag)", measured: kernelExponent.estimate, interval: kernelExponent.interval, bound: -0.5 + tau))
            if context.isControl("kernel-drift-half") {
                checks.append(try .widthExponent("\(name) kernel drift ρ_K two-sided at −½, \(tag)", lazyK, predicted: -0.5, tolerance: tau, alternatives: [0]))
            } else {
                checks.append(Check.within("\(name) kernel drift ρ_K in the measured window, \(tag)", quantity: "exponent", estimate: kernelExponent.estimate,
                                           interval: kernelExponent.interval, predicted: -0.775, tolerance: 0.175, maxHalfWidth: tau)
                    .sweeping("m", alternatives: [-0.5, 0]))
            }
            checks.append(try .widthExponent("μP relative input-weight change ρ_U, \(tag)", activeU, predicted: 0, tolerance: tau, alternatives: [-0.5]))
            checks.append(try .widthExponent("μP kernel drift ρ_K, \(tag)", activeK, predicted: 0, tolerance: tau, alternatives: [-0.5]))
            checks.append(Check.atLeast("μP smallest ρ_U(m) over widths (RMS over seeds), \(tag)", measured: activeU.minimumRMS, bound: 0.1))
            checks.append(Check.atLeast("μP smallest ρ_K(m) over widths (RMS over seeds), \(tag)", measured: activeK.minimumRMS, bound: 0.2))
            named += [("\(name) ρ_U, \(tag)", lazyU), ("\(name) ρ_K, \(tag)", lazyK), ("μP ρ_U, \(tag)", activeU), ("μP ρ_K, \(tag)", activeK)]
        }
        let table = widthTable(named)
        let plot = widthPlot("Weight and kernel movement after T = \(setting.steps) steps", yLabel: "relative change", named)
        let notes = [
            "K is the learning-rate-weighted tangent kernel Σ_p lr_p ∂_p f ∂_p f on the \(setting.data.train.rows) training inputs (K/η = Jacot's empirical NTK under NTP).",
            "The kernel-drift window [−0.95, −0.60] is the spec's measured ReLU range (activation-pattern flips give ≈ m^{-3/4}); the O(m^{-1/2}) rate is checked only as an upper bound.",
        ]
        return Report(claimID: id, control: context.control, checks: checks, table: table, plot: plot, notes: notes, parameters: p.summary)
    }
}
