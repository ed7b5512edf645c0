import ClaimCore
import Foundation

/// **IW5 — μP keeps the optimal learning rate fixed across width; standard parametrization does not** (YH21 §1:
/// under SP the largest stable learning rate scales like 1/width, under μP it is width-independent; TP5 abstract:
/// optimal hyperparameters are stable under μP. Read in secondary texts and abstracts only, so `derived`).
///
/// Setting: one hidden ReLU layer, d = 8, n inputs on the √d-sphere, y = x₁x₂ + ½ sin x₃, full-batch GD for T steps
/// with base rate η on the grid 2^k (k ∈ `log2_rates`, equally spaced), learning rates per layer from the §1 table.
/// Measure: mean over seeds of ln(training loss at T) per grid point (a diverged run — non-finite or > 10⁶ — counts
/// as ln 10⁶); η* = argmin refined by a parabola through the minimum and its neighbours (offset clipped to ±½ step).
/// Checks: exponent of η* in m: μP 0 ± τ (alternative −1, SP's 1/m), SP (lr η) −1 ± τ (alternative 0); η* off the
/// grid edges at every width.
public struct LearningRateTransfer: Claim {
    public init() {}

    public let id = "width.learning-rate-transfer"
    public let family = Family.infiniteWidth
    public let citation = Citation.tensorProgramsIV
    public let statement = "Under μP the optimal learning rate of gradient descent is independent of the width; under the standard parametrization it shrinks like 1/m."
    public let guarantee = Guarantee.tight
    public let source = StatementSource.derived("YH21 §1 (max stable lr ∝ 1/width in SP, constant in μP) and the TP5 abstract read only in secondary texts; the optimum's exponent is derived from the tangent kernel's readout term")

    public let parameters = [
        ParameterSpec("dimension", .integer(2...64), "input dimension d"),
        ParameterSpec("train", .integer(4...512), "n, training inputs"),
        ParameterSpec("steps", .integer(1...10_000), "T, full-batch GD steps"),
        ParameterSpec("log2_rates", .reals(-30...30, minCount: 5, increasing: true), "base learning-rate grid, as log₂ η (equally spaced)"),
        WidthKeys.widths, WidthKeys.seeds, WidthKeys.tolerance,
    ]

    public let controls = [
        NegativeControl(id: "sp-transfers", description: "SP with a fixed base rate claimed to transfer: predicts exponent 0 for its optimal learning rate"),
        NegativeControl(id: "mup-badout-transfers", description: "μP's input learning rate with a standard readout (init var 1/m) claimed to transfer like μP"),
    ]

    public func invalidParameters(_ p: Parameters) -> (key: String, problem: String)? {
        if let grid = try? p.doubles("log2_rates"), zip(grid, grid.dropFirst()).contains(where: { abs(($1 - $0) - (grid[1] - grid[0])) > 1e-9 }) {
            return ("log2_rates", "must be equally spaced in log₂ η")
        }
        return WidthKeys.spanProblem(p)
    }

    static let divergedLoss = 1e6

    /// log₂ η* per width, and whether the minimum sat on a grid edge.
    func optimalRates(_ parametrization: Parametrization, _ p: Parameters, data: (x: Matrix, y: [Double]), streams: StreamKey) throws -> (log2Optimum: [Double], onEdge: [Bool], bestLoss: [Double]) {
        let widths = try p.ints("widths"), seeds = try p.int("seeds"), steps = try p.int("steps"), grid = try p.doubles("log2_rates")
        let d = data.x.columns
        let key = "lr-transfer \(streams) \(parametrization) \(widths) \(seeds) \(steps) \(grid) \(d) \(data.x.rows)"
        let runs = try SweepCache.shared.value(key) { try parallelMap(widths.count * seeds) { k -> [Double] in
            let (w, s) = (k / seeds, k % seeds)
            let raw = RawWeights(width: widths[w], dimension: d, layers: 1, random: RandomStream(streams.child(1, w, s)))
            return try grid.map { g -> Double in
                var net = Network(raw, parametrization, eta: exp2(g))
                for _ in 0..<steps {
                    let loss = try net.step(data.x, data.y)
                    if !(loss.isFinite && loss <= Self.divergedLoss) { return log(Self.divergedLoss) }
                }
                let loss = try net.loss(data.x, data.y)
                return loss.isFinite && loss <= Self.divergedLoss ? log(loss) : log(Self.divergedLoss)
            }
        } }
        var optimum: [Double] = [], edge: [Bool] = [], best: [Double] = []
        for w in widths.indices {
            let mean = grid.indices.map { g in (0..<seeds).reduce(0) { $0 + runs[w * seeds + $1][g] } / Double(seeds) }
            let i = mean.indices.min { mean[$0] < mean[$1] }!
            var offset = 0.0
            if i > 0 && i < grid.count - 1 {
                let curvature = mean[i - 1] - 2 * mean[i] + mean[i + 1]
                if curvature > 0 { offset = min(0.5, max(-0.5, (mean[i - 1] - mean[i + 1]) / (2 * curvature))) }
            }
            optimum.append(grid[i] + offset * (grid[1] - grid[0]))
            edge.append(i == 0 || i == grid.count - 1)
            best.append(exp(mean[i]))
        }
        return (optimum, edge, best)
    }

    public func run(_ context: RunContext) throws -> Report {
        let p = context.parameters
        let d = try p.int("dimension"), n = try p.int("train"), tau = try p.double("tolerance"), widths = try p.ints("widths")
        let x = sphereInputs(count: n, dimension: d, random: RandomStream(context.streams.child(0)))
        let y = (0..<n).map { x[$0, 0] * x[$0, 1] + 0.5 * sin(x[$0, 2]) }
        let arms: [(Parametrization, Double, Double)] = context.isControl("sp-transfers") ? [(.sp0, 0, -1)]
            : context.isControl("mup-badout-transfers") ? [(.mupBadout, 0, -1)] : [(.mup, 0, -1), (.sp0, -1, 0)]
        var checks: [Check] = []
        var table = Table(columns: ["m"] + arms.flatMap { ["\($0.0.label) log₂ η*", "\($0.0.label) best loss"] })
        var columns: [[Cell]] = widths.map { [.integer($0)] }
        var plot = Plot(title: "Optimal learning rate vs width (T = \(try p.int("steps")) GD steps)", xLabel: "width m", yLabel: "log₂ η*", logX: true, logY: false)
        for (k, (parametrization, predicted, alternative)) in arms.enumerated() {
            let result = try optimalRates(parametrization, p, data: (x, y), streams: context.streams)
            let fit = try LineFit(x: widths.map { log2(Double($0)) }, y: result.log2Optimum)
            checks.append(Check.exponent("\(parametrization.label) exponent of the optimal learning rate η* in m", estimate: fit.slope, interval: fit.slopeInterval,
                                         predicted: predicted, tolerance: tau, maxHalfWidth: tau).sweeping("m", alternatives: [alternative]))
            let edges = result.onEdge.filter { $0 }.count
            checks.append(Check(name: "\(parametrization.label) η* inside the learning-rate grid at every width", measured: Double(edges), interval: nil, predicted: 0,
                                rule: "no minimum on a grid edge", verdict: edges == 0 ? .holds : .inconclusive,
                                reason: edges == 0 ? "all minima interior" : "\(edges) widths have η* on a grid edge: extend the grid").as(.construction))
            for w in widths.indices { columns[w] += [.real(result.log2Optimum[w]), .real(result.bestLoss[w])] }
            plot.series.append(.init(name: parametrization.label, x: widths.map(Double.init), y: result.log2Optimum, style: .line, colour: k))
        }
        for row in columns { table.append(row) }
        let notes = ["Diverged runs (loss non-finite or > 10⁶ at any step) count as loss 10⁶; η* from the seed-mean of ln(loss) per grid point, parabola-refined."]
        return Report(claimID: id, control: context.control, checks: checks, table: table, plot: plot, notes: notes, parameters: p.summary)
    }
}
