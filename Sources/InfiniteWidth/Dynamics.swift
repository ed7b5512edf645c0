import ClaimCore
import Foundation

/// The dynamics setting of spec §1 shared by IW2–IW4: data, step count, base learning rate.
struct DynamicsSetting: Sendable {
    let dimension: Int
    let steps: Int
    let eta: Double
    let widths: [Int]
    /// Widths for two hidden layers (`widths_two`, where the claim declares it; else `widths`).
    let deepWidths: [Int]
    let seeds: Int
    let tolerance: Double

    static let parameters: [ParameterSpec] = [
        ParameterSpec("dimension", .integer(2...64), "input dimension d"),
        ParameterSpec("train", .integer(4...512), "n, training inputs (target y = x₁x₂)"),
        ParameterSpec("probes", .integer(1...512), "probe inputs ξ for features and outputs (test inputs for IW4)"),
        ParameterSpec("steps", .integer(1...10_000), "T, full-batch GD steps (fixed while m grows)"),
        ParameterSpec("eta", .real(1e-3...10), "base learning rate η of the §1 table"),
        WidthKeys.widths, WidthKeys.seeds, WidthKeys.tolerance,
    ]

    let data: DynamicsData

    init(_ p: Parameters, streams: StreamKey) throws {
        dimension = try p.int("dimension"); steps = try p.int("steps"); eta = try p.double("eta")
        widths = try p.ints("widths"); deepWidths = p.values["widths_two"] == nil ? widths : try p.ints("widths_two"); seeds = try p.int("seeds"); tolerance = try p.double("tolerance")
        data = DynamicsData(dimension: dimension, train: try p.int("train"), probes: try p.int("probes"), test: 0, random: RandomStream(streams.child(0)))
    }

    /// One trained network's measurements.
    struct Outcome: Sendable {
        /// ‖U_T − U₀‖_F/‖U₀‖_F.
        var inputWeightChange: Double
        /// ‖K_T − K₀‖_F/‖K₀‖_F, tangent kernel on the training inputs (NaN if not measured).
        var kernelChange: Double
        /// RMS over probes and neurons of x^L_T(ξ) − x^L_0(ξ).
        var featureChange: Double
        /// RMS over probes of f₀(ξ).
        var initialOutput: Double
        /// Training loss after T steps.
        var finalLoss: Double
    }

    /// Trains `parametrization` with `layers` hidden layers at every (width, seed); result[w][s]. The raw draws of a
    /// (width, seed) pair are shared by all parametrizations (paired comparison).
    func run(_ parametrization: Parametrization, layers: Int, activation: Activation = .relu, kernel: Bool, streams: StreamKey) throws -> [[Outcome]] {
        let x = data.train, xp = data.probes, y = data.targets
        let widths = self.widths(layers: layers)
        let key = "dynamics \(streams) \(parametrization) \(layers) \(activation) \(kernel) \(widths) \(seeds) \(steps) \(eta) \(dimension) \(x.rows) \(xp.rows)"
        return try SweepCache.shared.value(key) { try train(parametrization, layers: layers, activation: activation, kernel: kernel, streams: streams) }
    }

    private func train(_ parametrization: Parametrization, layers: Int, activation: Activation, kernel: Bool, streams: StreamKey) throws -> [[Outcome]] {
        let x = data.train, xp = data.probes, y = data.targets
        let widths = self.widths(layers: layers)
        let flat = try parallelMap(widths.count * seeds) { k -> Outcome in
            let (w, s) = (k / seeds, k % seeds)
            let raw = RawWeights(width: widths[w], dimension: dimension, layers: layers, random: RandomStream(streams.child(layers, w, s)))
            var net = Network(raw, parametrization, eta: eta, activation: activation)
            let u0 = net.u, features0 = try net.features(xp), f0 = try net.outputs(xp)
            let k0 = kernel ? try net.tangentKernel(x) : nil
            for _ in 0..<steps { try net.step(x, y) }
            let kT = kernel ? try net.tangentKernel(x) : nil
            return Outcome(inputWeightChange: relativeChange(net.u, from: u0),
                           kernelChange: k0.map { relativeChange(kT!, from: $0) } ?? .nan,
                           featureChange: rmsDifference(try net.features(xp), features0),
                           initialOutput: (f0.reduce(0) { $0 + $1 * $1 } / Double(f0.count)).squareRoot(),
                           finalLoss: try net.loss(x, y))
        }
        return widths.indices.map { w in Array(flat[(w * seeds)..<((w + 1) * seeds)]) }
    }

    func widths(layers: Int) -> [Int] { layers == 2 ? deepWidths : widths }

    func sweep(_ outcomes: [[Outcome]], layers: Int, _ value: (Outcome) -> Double) -> WidthSweep {
        WidthSweep(widths: widths(layers: layers), values: outcomes.map { $0.map(value) })
    }

    /// The config key of the two-hidden-layer widths (IW2, IW3).
    static let deepWidthsKey = ParameterSpec("widths_two", .integers(4...8192, minCount: 5, increasing: true), "hidden widths m for two hidden layers (≥ 1.5 decades)")

    /// The parameters of a claim that sweeps one- and two-hidden-layer networks: the shared ones, `widths_two` and `layers`.
    static let layeredParameters: [ParameterSpec] = parameters + [
        deepWidthsKey,
        ParameterSpec("layers", .integers(1...2, minCount: 1, increasing: true), "numbers of hidden layers L to test"),
    ]

    /// The layered claims' hypothesis check: both width sweeps span ≥ 1.5 decades.
    static func layeredProblem(_ p: Parameters) -> (key: String, problem: String)? {
        WidthKeys.spanProblem(p) ?? WidthKeys.spanProblem(p, key: "widths_two")
    }
}
