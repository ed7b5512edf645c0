import ClaimCore
import Foundation

/// **N1/N3 — the Newton–Schulz residual is raised to the p-th power exactly.**
///
/// [GYWPL] §3 (Newton–Schulz, Schulz 1933) and the order-p family of Li & Li 2010 used as a baseline in the
/// official code (`baseline_methods.py`):  X_{k+1} = X_k Σ_{m=0}^{p−1} (−1)^m C(p, m+1)(AX_k)^m.
/// With E_k = I − X_kA this gives, for every A and every X_k,
///
///   E_{k+1} = E_k^p   (p = 2: I − 2X_kA + X_kAX_kA = (I − X_kA)²),
///
/// which is the quadratic (order-p) convergence the paper invokes.
///
/// Experiment: random integer matrices A, X₀ = Aᵀ/‖A‖_F² (rational), `exact_steps` iterations of each order in exact
/// rational arithmetic; Gaussian A, X₀ = α*Aᵀ, `float_steps` iterations in Double (products through dgemm).
/// Check: exact equality in rationals; in Double max‖E_{k+1} − E_k^p‖_max / max(1, ‖E_k^p‖_max) ≤ `float_tolerance`.
public struct SchulzResidualIdentity: Claim {
    public init() {}

    public let id = "newton.schulz-residual-identity"
    public let family = Family.newtonAttention
    public let citation = Citation.newtonInContext
    public let statement = "Newton–Schulz of order p (p = 2: X_{k+1} = X_k(2I − AX_k)) satisfies I − X_{k+1}A = (I − X_kA)^p exactly, for every A and X_k."
    public let guarantee = Guarantee.exact

    public let parameters: [ParameterSpec] = [
        ParameterSpec("orders", .integers(2...8, minCount: 1, increasing: true), "iteration orders p"),
        ParameterSpec("exact_dimensions", .integers(1...8, minCount: 1, increasing: true), "d of the integer matrices checked in rationals"),
        ParameterSpec("exact_steps", .integer(1...6), "iterations checked in rationals for p = 2 (one fewer per extra order, at least 1)"),
        ParameterSpec("entry_bound", .integer(1...1000), "integer entries of A uniform in [−bound, bound]"),
        ParameterSpec("float_dimensions", .integers(1...200, minCount: 1, increasing: true), "d of the Gaussian matrices checked in Double"),
        ParameterSpec("float_steps", .integer(1...20), "iterations checked in Double"),
        ParameterSpec("repetitions", .integer(1...10_000), "random instances per (arithmetic, p, d)"),
        ParameterSpec("float_tolerance", .real(1e-16...1e-6), "allowed max-entry deviation in Double, relative to max(1, ‖E_k^p‖_max)"),
    ]

    public let controls = [
        NegativeControl(id: "truncated-polynomial", description: "the iteration drops its highest-order term (m = p − 1); the same exact and Double checks must reject the identity"),
    ]

    public func run(_ context: RunContext) throws -> Report {
        let p = context.parameters
        let orders = try p.ints("orders")
        let exactDimensions = try p.ints("exact_dimensions"), floatDimensions = try p.ints("float_dimensions")
        let exactSteps = try p.int("exact_steps"), floatSteps = try p.int("float_steps")
        let bound = try p.int("entry_bound"), repetitions = try p.int("repetitions")
        let tolerance = try p.double("float_tolerance")
        let truncated = context.isControl("truncated-polynomial")

        var table = Table(columns: ["arithmetic", "order p", "d", "steps", "instances", "identities checked", "identities failing", "max deviation"])
        var exactFailures = 0, exactChecked = 0
        var worstFloat = 0.0
        for (orderIndex, order) in orders.enumerated() {
            let steps = max(1, exactSteps - (order - 2))
            for (dimIndex, d) in exactDimensions.enumerated() {
                let streams = context.streams.child(0, orderIndex, dimIndex)
                let results = try parallelMap(repetitions) { rep -> (checked: Int, failing: Int, deviation: Double) in
                    let random = RandomStream(streams.child(rep))
                    let a = DenseMatrix<Rational>(exactly: try integerMatrix(dimension: d, bound: bound, random: random))
                    let frobenius = a.elements.reduce(Rational.zero) { $0 + $1 * $1 }
                    var x = (Rational.one / frobenius) * a.transposed
                    var failing = 0
                    var deviation = 0.0
                    for _ in 0..<steps {
                        let predicted = NewtonSchulz.residual(x, a).power(order)
                        x = NewtonSchulz.step(x, a, order: order, droppingLastTerm: truncated)
                        let difference = NewtonSchulz.residual(x, a) - predicted
                        if difference.elements.contains(where: { !$0.isZero }) { failing += 1 }
                        deviation = max(deviation, difference.maxAbs)
                    }
                    return (steps, failing, deviation)
                }
                let checked = results.map(\.checked).reduce(0, +), failing = results.map(\.failing).reduce(0, +)
                exactChecked += checked
                exactFailures += failing
                table.append([.text("rational"), .integer(order), .integer(d), .integer(steps), .integer(repetitions), .integer(checked), .integer(failing),
                              .real(results.map(\.deviation).max()!)])
            }
            for (dimIndex, d) in floatDimensions.enumerated() {
                let streams = context.streams.child(1, orderIndex, dimIndex)
                let deviations = try parallelMap(repetitions) { rep -> Double in
                    let random = RandomStream(streams.child(rep))
                    let matrix = random.gaussianMatrix(rows: d, columns: d)
                    let alpha = NewtonSchulz.optimalScale(singularValues: try matrix.singularValues()).alpha
                    let a = DenseMatrix(matrix)
                    var x = alpha * a.transposed
                    var worst = 0.0
                    for _ in 0..<floatSteps {
                        let predicted = NewtonSchulz.residual(x, a).power(order)
                        x = NewtonSchulz.step(x, a, order: order, droppingLastTerm: truncated)
                        worst = max(worst, (NewtonSchulz.residual(x, a) - predicted).maxAbs / max(1, predicted.maxAbs))
                    }
                    return worst
                }
                let worst = deviations.max()!
                worstFloat = max(worstFloat, worst)
                table.append([.text("Double"), .integer(order), .integer(d), .integer(floatSteps), .integer(repetitions), .integer(floatSteps * repetitions),
                              .integer(deviations.filter { $0 > tolerance }.count), .real(worst)])
            }
            context.progress(orderIndex + 1, of: orders.count, "p = \(order)")
        }
        let checks = [
            Check.exact("E_{k+1} = E_k^p in exact rationals", holds: exactFailures == 0,
                        detail: "\(exactChecked - exactFailures) of \(exactChecked) identities hold exactly"),
            Check.atMost("max ‖E_{k+1} − E_k^p‖_max / max(1, ‖E_k^p‖_max) in Double", measured: worstFloat, bound: tolerance),
        ]
        let notes = [
            "Rational instances: X₀ = Aᵀ/‖A‖_F² with ‖A‖_F² ≥ σ_max², so ‖I − X₀A‖₂ < 1; the identity itself needs no such condition.",
            "Double instances: Gaussian A, X₀ = α*Aᵀ with α* = 2/(σ_max² + σ_min²); deviations are rounding errors of the matrix products.",
        ]
        return Report(claimID: id, control: context.control, checks: checks, table: table, notes: notes)
    }
}
