import ClaimCore
import Foundation

extension Family {
    public static let infiniteWidth = Family(folder: "infinite-width", prefix: "width", title: "Infinite-width limits: kernel regime vs feature learning")
}

extension Citation {
    /// Jacot, Gabriel, Hongler, NeurIPS 2018.
    static let neuralTangentKernel = Citation(
        title: "Neural Tangent Kernel: Convergence and Generalization in Neural Networks",
        authors: "Arthur Jacot, Franck Gabriel, Clément Hongler", venue: "NeurIPS 2018", arXiv: "1806.07572")
    /// Yang & Hu, ICML 2021 (Tensor Programs IV).
    static let tensorProgramsIV = Citation(
        title: "Tensor Programs IV: Feature Learning in Infinite-Width Neural Networks",
        authors: "Greg Yang, Edward J. Hu", venue: "ICML 2021 (PMLR 139)", arXiv: "2011.14522")
}

/// n points uniform on the sphere of radius √d in ℝᵈ, as the rows of an n×d matrix: x = √d·g/‖g‖ (so x·x'/d = cos γ).
func sphereInputs(count n: Int, dimension d: Int, random: RandomStream) -> Matrix {
    var x = Matrix(rows: n, columns: d)
    for i in 0..<n {
        let p = random.unitSphere(dimension: d)
        for k in 0..<d { x[i, k] = p[k] * Double(d).squareRoot() }
    }
    return x
}

/// The dynamics data of spec §1: n training inputs, probe and test inputs on the √d-sphere (one data stream), target
/// y = x₁x₂ (JGH18 §6.1).
struct DynamicsData: Sendable {
    let train: Matrix
    let targets: [Double]
    let probes: Matrix
    let test: Matrix

    init(dimension d: Int, train n: Int, probes p: Int, test t: Int, random: RandomStream) {
        train = sphereInputs(count: n, dimension: d, random: random)
        probes = sphereInputs(count: p, dimension: d, random: random)
        test = sphereInputs(count: t, dimension: d, random: random)
        targets = (0..<n).map { [train] i in train[i, 0] * train[i, 1] }
    }
}

/// A per-seed quantity q(m, seed) over a width sweep, and its width exponent.
///
/// q(m) = RMS over seeds; ln q(m) = ½ ln E_seed[q²], so the exponent of q is half the power-law exponent of the
/// per-width mean of q², fitted by `PowerLawFit` (weighted by the delta-method standard errors, residual-inflated CI).
struct WidthSweep: Sendable {
    let widths: [Int]
    /// values[w][s] = q at widths[w], seed s.
    let values: [[Double]]

    var rms: [Double] { values.map { ($0.reduce(0) { $0 + $1 * $1 } / Double($0.count)).squareRoot() } }

    /// Exponent of RMS_seed q in m, with its 95% CI.
    func exponent() throws -> (estimate: Double, interval: Interval) {
        let fit = try PowerLawFit(sizes: widths.map(Double.init), estimates: values.map { try MeanEstimate($0.map { $0 * $0 }) })
        let ci = fit.exponentInterval
        return (fit.exponent / 2, Interval(ci.lower / 2, ci.upper / 2))
    }

    /// The smallest RMS-over-seeds value over the widths (for Θ(1) lower-bound checks: "q(m) ≥ c at every width").
    var minimumRMS: Double { rms.min() ?? .nan }
}

extension Check {
    /// A width exponent of `sweep` against `predicted` ± `tolerance` (CI half-width ≤ tolerance), declaring the
    /// competing parametrizations' exponents as alternatives.
    static func widthExponent(_ name: String, _ sweep: WidthSweep, predicted: Double, tolerance: Double, alternatives: [Double]) throws -> Check {
        let e = try sweep.exponent()
        return Check.exponent(name, estimate: e.estimate, interval: e.interval, predicted: predicted, tolerance: tolerance, maxHalfWidth: tolerance)
            .sweeping("m", alternatives: alternatives)
    }
}

/// Shared config keys of the width sweeps.
enum WidthKeys {
    static let widths = ParameterSpec("widths", .integers(4...16384, minCount: 5, increasing: true), "hidden widths m (≥ 5 values over ≥ 1.5 decades)")
    static let seeds = ParameterSpec("seeds", .integer(5...1000), "independent network initialisations per width (≥ 5)")
    static let tolerance = ParameterSpec("tolerance", .real(0.01...0.5), "τ: half-width of the exponent acceptance window (and max CI half-width)")

    /// "widths must span ≥ 1.5 decades" — the requirement for a width exponent.
    static func spanProblem(_ p: Parameters, key: String = "widths") -> (key: String, problem: String)? {
        guard let w = try? p.ints(key), let lo = w.first, let hi = w.last else { return nil }
        if log10(Double(hi) / Double(lo)) < 1.5 - 1e-9 { return (key, "must span ≥ 1.5 decades (max/min ≥ 31.6), got \(lo)…\(hi)") }
        return nil
    }
}

/// Table rows "m, RMS over seeds of each named sweep" over the union of the sweeps' widths ("—" where a sweep has
/// no such width).
func widthTable(_ named: [(String, WidthSweep)]) -> Table {
    var table = Table(columns: ["m"] + named.map { $0.0 })
    let widths = Set(named.flatMap { $0.1.widths }).sorted()
    let columns = named.map { sweep in Dictionary(uniqueKeysWithValues: zip(sweep.1.widths, sweep.1.rms)) }
    for m in widths { table.append([.integer(m)] + columns.map { $0[m].map { Cell.real($0) } ?? .text("—") }) }
    return table
}

/// A log-log plot of several RMS-over-seeds sweeps against m.
func widthPlot(_ title: String, yLabel: String, _ named: [(String, WidthSweep)]) -> Plot {
    var plot = Plot(title: title, xLabel: "width m", yLabel: yLabel, logX: true, logY: true)
    for (i, (name, sweep)) in named.enumerated() {
        plot.series.append(.init(name: name, x: sweep.widths.map(Double.init), y: sweep.rms, style: .line, colour: i))
    }
    return plot
}

/// Measurements shared between a claim and its negative controls within one process. A control changes a
/// prediction or a reference (never the trained networks, which come from the same streams), so the sweep behind
/// it is computed once: the key names the stream root and every parameter the sweep depends on.
final class SweepCache: @unchecked Sendable {
    static let shared = SweepCache()

    private final class Slot: @unchecked Sendable {
        let lock = NSLock()
        var value: Any?
    }

    private let lock = NSLock()
    private var slots: [String: Slot] = [:]

    func value<T>(_ key: String, _ make: () throws -> T) throws -> T {
        lock.lock()
        let slot = slots[key] ?? Slot()
        slots[key] = slot
        lock.unlock()
        slot.lock.lock(); defer { slot.lock.unlock() }
        if let value = slot.value as? T { return value }
        let value = try make()
        slot.value = value
        return value
    }
}
