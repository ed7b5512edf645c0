import ClaimCore
import Foundation

/// **N2 (second part) — Newton–Schulz needs O(log κ + log log 1/ε) steps.**
///
/// [GYWPL] §3 (citing Ogden 1969; Pan & Schreiber 1991): the estimate is ε-accurate after
/// O(log₂κ(A) + log₂log₂(1/ε)) steps. With X₀ = α*Aᵀ (N2, first part) the count is exactly
///
///   k*(ε) = ⌈log₂( ln(1/ε) / ln(1/ρ₀) )⌉,  ρ₀ = (κ² − 1)/(κ² + 1),  ln(1/ρ₀) ≈ 2/κ²,
///
/// so k* ≈ 2·log₂κ + log₂ln(1/ε) − 1: slope 2 against log₂κ and slope 1 against log₂ln(1/ε).
///
/// Experiment: Newton steps by the Lemma 4.1 transformer (Double, dgemm), A with σ_max = 1, σ_min = 1/κ; k* = first k
/// with ‖I − X_kA‖₂ ≤ ε. Sweep κ at fixed ε and ε at fixed κ (≥ 5 values each, `repetitions` instances each).
/// Checks: every k* equals the formula (±1 only when ρ₀^{2^k} is within 1e-6 relative of ε); the fitted slopes of the
/// mean k* against log₂κ and log₂ln(1/ε) are 2 and 1 within `slope_tolerance` (integer rounding of k* limits the
/// precision of a 5-point fit to about ±0.3).
public struct SchulzStepsToAccuracy: Claim {
    public init() {}

    public let id = "newton.schulz-steps-to-accuracy"
    public let family = Family.newtonAttention
    public let citation = Citation.newtonInContext
    public let statement = "Newton–Schulz from X₀ = α*Aᵀ reaches ‖I − X_kA‖₂ ≤ ε after k*(ε) = ⌈log₂(ln(1/ε)/ln(1/ρ₀))⌉ = O(log κ + log log 1/ε) steps."
    public let guarantee = Guarantee.tight

    public let parameters: [ParameterSpec] = [
        ParameterSpec("dimension", .integer(2...200), "d of A"),
        ParameterSpec("conditions", .reals(1.5...1e5, minCount: 5, increasing: true), "κ sweep at fixed ε"),
        ParameterSpec("fixed_epsilon", .real(1e-13...0.5), "ε of the κ sweep"),
        ParameterSpec("epsilons", .reals(1e-13...0.9, minCount: 5, increasing: false), "ε sweep at fixed κ"),
        ParameterSpec("fixed_condition", .real(1.5...1e5), "κ of the ε sweep"),
        ParameterSpec("repetitions", .integer(1...10_000), "random (U, V) per sweep point"),
        ParameterSpec("max_steps", .integer(5...200), "give up after this many Newton layers"),
        ParameterSpec("slope_tolerance", .real(0.01...1), "allowed |fitted − predicted| slope"),
    ]

    public let controls = [
        NegativeControl(id: "order-3-claimed-as-order-2", description: "the iterate is advanced by the order-3 method while the order-2 count is claimed; the step counts and the slopes must be rejected"),
    ]

    struct Point: Sendable { let kappa: Double; let epsilon: Double; let rho: Double; let steps: [Int]; let predicted: Int; let borderline: Bool }

    public func run(_ context: RunContext) throws -> Report {
        let p = context.parameters
        let d = try p.int("dimension"), conditions = try p.doubles("conditions"), epsilons = try p.doubles("epsilons")
        let fixedEpsilon = try p.double("fixed_epsilon"), fixedCondition = try p.double("fixed_condition")
        let repetitions = try p.int("repetitions"), maxSteps = try p.int("max_steps"), slopeTolerance = try p.double("slope_tolerance")
        let order = context.isControl("order-3-claimed-as-order-2") ? 3 : 2
        let c = NewtonStepConstruction(dimension: d)
        let transposeLayer: TransformerLayer<Double> = c.transposeLayer()
        let newtonLayer: TransformerLayer<Double> = c.newtonLayer()

        func measure(kappa: Double, epsilon: Double, streams: StreamKey) throws -> Point {
            let rhoValues = try parallelMap(repetitions) { rep -> (Int, Double) in
                let random = RandomStream(streams.child(rep))
                let (matrix, s) = try conditionedMatrix(dimension: d, condition: kappa, random: random)
                let (alpha, rho) = NewtonSchulz.optimalScale(singularValues: s)
                let a = DenseMatrix(matrix)
                var h = transposeLayer.apply(c.prompt(matrix: a, start: alpha * a.transposed))
                for k in 0...maxSteps {
                    let x = c.readIterate(h)
                    if try NewtonSchulz.residual(x, a).matrix.spectralNorm() <= epsilon { return (k, rho) }
                    if order == 2 {
                        h = newtonLayer.apply(h)
                    } else {
                        h.setBlock(NewtonSchulz.step(x, a, order: order), rowOffset: c.iterate.offset)
                    }
                }
                throw NumericsError.insufficientData("‖I − X_kA‖₂ did not reach \(epsilon) within \(maxSteps) steps (κ = \(kappa))")
            }
            let rho = rhoValues[0].1
            let exact = log(log(1 / epsilon) / log(1 / rho)) / log(2)
            return Point(kappa: kappa, epsilon: epsilon, rho: rho, steps: rhoValues.map(\.0), predicted: NewtonSchulz.predictedSteps(epsilon: epsilon, rho: rho),
                         borderline: abs(exact - exact.rounded()) < 1e-6)
        }

        let kappaSweep = try conditions.enumerated().map { try measure(kappa: $0.element, epsilon: fixedEpsilon, streams: context.streams.child(0, $0.offset)) }
        let epsilonSweep = try epsilons.enumerated().map { try measure(kappa: fixedCondition, epsilon: $0.element, streams: context.streams.child(1, $0.offset)) }

        var table = Table(columns: ["sweep", "κ", "ε", "ρ₀", "k* measured (mean)", "k* min", "k* max", "k* predicted ⌈log₂(ln(1/ε)/ln(1/ρ₀))⌉", "2·log₂κ + log₂ln(1/ε) − 1"])
        var mismatches = 0, total = 0
        for (label, sweep) in [("κ", kappaSweep), ("ε", epsilonSweep)] {
            for point in sweep {
                total += point.steps.count
                mismatches += point.steps.filter { abs($0 - point.predicted) > (point.borderline ? 1 : 0) }.count
                table.append([.text(label), .real(point.kappa), .real(point.epsilon), .real(point.rho), .real(mean(point.steps)),
                              .integer(point.steps.min()!), .integer(point.steps.max()!), .integer(point.predicted),
                              .real(2 * log2(point.kappa) + log2(log(1 / point.epsilon)) - 1)])
            }
        }
        let kappaFit = try LineFit(x: kappaSweep.map { log2($0.kappa) }, y: kappaSweep.map { mean($0.steps) })
        let epsilonFit = try LineFit(x: epsilonSweep.map { log2(log(1 / $0.epsilon)) }, y: epsilonSweep.map { mean($0.steps) })
        let checks = [
            Check.exact("k* equals ⌈log₂(ln(1/ε)/ln(1/ρ₀))⌉ at every sweep point and instance", holds: mismatches == 0,
                        detail: "\(total - mismatches) of \(total) step counts equal the formula"),
            Check.within("slope of k* against log₂κ (ε = \(formatShort(fixedEpsilon)))", quantity: "slope", estimate: kappaFit.slope,
                         interval: kappaFit.slopeInterval, predicted: 2, tolerance: slopeTolerance, maxHalfWidth: slopeTolerance),
            Check.within("slope of k* against log₂ln(1/ε) (κ = \(formatShort(fixedCondition)))", quantity: "slope", estimate: epsilonFit.slope,
                         interval: epsilonFit.slopeInterval, predicted: 1, tolerance: slopeTolerance, maxHalfWidth: slopeTolerance),
        ]
        var plot = Plot(title: "Newton–Schulz steps to ‖I − X_kA‖₂ ≤ \(formatShort(fixedEpsilon)) vs κ (d = \(d))", xLabel: "condition number κ", yLabel: "steps k*", logX: true, logY: false)
        let kappas = kappaSweep.map(\.kappa)
        plot.series.append(.init(name: "transformer (Lemma 4.1 layers)", x: kappas, y: kappaSweep.map { mean($0.steps) }, style: .points, colour: 0))
        plot.series.append(.init(name: "⌈log₂(ln(1/ε)/ln(1/ρ₀))⌉", x: kappas, y: kappaSweep.map { Double($0.predicted) }, style: .line, colour: 1))
        plot.series.append(.init(name: "2·log₂κ + log₂ln(1/ε) − 1", x: kappas, y: kappas.map { 2 * log2($0) + log2(log(1 / fixedEpsilon)) - 1 }, style: .dashed, colour: 2))
        plot.series.append(.init(name: "fit: slope \(formatShort(kappaFit.slope, digits: 3)) per log₂κ", x: kappas, y: kappas.map { kappaFit.predict(log2($0)) }, style: .line, colour: 0))
        let notes = [
            "κ-sweep fit: slope \(formatShort(kappaFit.slope)) CI [\(formatShort(kappaFit.slopeInterval.lower)), \(formatShort(kappaFit.slopeInterval.upper))] (predicted 2); ε-sweep fit: slope \(formatShort(epsilonFit.slope)) CI [\(formatShort(epsilonFit.slopeInterval.lower)), \(formatShort(epsilonFit.slopeInterval.upper))] (predicted 1).",
            "k* depends on A only through σ_max and σ_min (fixed per κ), so instances agree up to rounding at borderline counts.",
        ]
        return Report(claimID: id, control: context.control, checks: checks, table: table, plot: plot, notes: notes)
    }
}

func mean(_ values: [Int]) -> Double { Double(values.reduce(0, +)) / Double(values.count) }
