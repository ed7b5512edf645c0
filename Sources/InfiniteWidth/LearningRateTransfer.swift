import ClaimCore
import Foundation

/// **IW5 — μP keeps the optimal and the largest stable learning rate fixed across width; under the standard
/// parametrization the largest stable learning rate shrinks like 1/m** (YH21: SP is stable only with learning rate
/// O(1/width) — c ≥ 1 in its abc classification — and at c = 1 it is nontrivial; μP is stable and nontrivial at
/// c = 0. TP5 abstract: optimal hyperparameters are stable under μP. Read in secondary texts and abstracts only, so
/// `derived`; the derivation is in the Proofs note).
///
/// Setting: one hidden ReLU layer, d = 8, n inputs on the √d-sphere, y = x₁x₂ + ½ sin x₃, full-batch GD for T steps
/// with base rate η, learning rates per layer from the §1 table. A run whose loss is non-finite or > 10⁶ at any step
/// is stopped (ln L_T := ln 10⁶).
/// Measure, per width:
/// - η*: the minimiser of the seed mean of ln L_T on the grid 2^k (`log2_rates`), refined by two halvings of the
///   step around the best point (±½, ±¼ grid step) and a parabola through the last three points (offset ≤ ½ of
///   the last step);
/// - η_max, the largest stable rate: per seed, the first rate above η* at which T steps make no progress
///   (L_T ≥ L₀), bracketed on the grid and located by bisection in log₂ η to 2^{-bisections} grid steps; the
///   per-width value is the seed mean of log₂ η_max.
/// Checks (exponents = least-squares slopes of log₂ η on log₂ m, t CI):
/// - μP: η* exponent 0 ± τ and η_max exponent 0 ± τ (alternative −1, SP's);
/// - SP (lr η): η_max exponent −1 ± τ (alternatives 0, μP's, and −½, a 1/√m edge); η* exponent ≤ −1 + τ
///   (η* < η_max = Θ(1/m), so the optimum shifts at least as fast; alternative 0 far outside);
/// - construction: η* and η_max bracketed inside the grid at every width (else inconclusive).
public struct LearningRateTransfer: Claim {
    public init() {}

    public let id = "width.learning-rate-transfer"
    public let family = Family.infiniteWidth
    public let citation = Citation.tensorProgramsIV
    public let statement = "Under μP the optimal and the largest stable learning rate of gradient descent are independent of the width; under the standard parametrization the largest stable learning rate shrinks like 1/m, so its optimal learning rate shifts at least as fast."
    public let guarantee = Guarantee.tight
    public let source = StatementSource.derived("YH21's stability classification (SP stable iff the learning rate is O(1/width), μP stable and nontrivial at a width-independent rate) and the TP5 abstract, read only in secondary texts; the finite-T stability edge and the bound on the optimum are derived in the Proofs note")

    public let parameters = [
        ParameterSpec("dimension", .integer(2...64), "input dimension d"),
        ParameterSpec("train", .integer(4...512), "n, training inputs"),
        ParameterSpec("steps", .integer(1...10_000), "T, full-batch GD steps"),
        ParameterSpec("log2_rates", .reals(-30...30, minCount: 5, increasing: true), "base learning-rate grid, as log₂ η (equally spaced)"),
        ParameterSpec("bisections", .integer(1...20), "bisection steps locating each seed's stability edge inside its grid bracket"),
        WidthKeys.widths, WidthKeys.seeds, WidthKeys.tolerance,
    ]

    public let controls = [
        NegativeControl(id: "sp-transfers", description: "SP with a fixed base rate claimed to transfer like μP: predicts exponent 0 for its optimal and its largest stable learning rate"),
        NegativeControl(id: "mup-badout-transfers", description: "μP's input learning rate with a standard readout (init var 1/m) claimed to transfer like μP"),
    ]

    public func invalidParameters(_ p: Parameters) -> (key: String, problem: String)? {
        if let grid = try? p.doubles("log2_rates"), zip(grid, grid.dropFirst()).contains(where: { abs(($1 - $0) - (grid[1] - grid[0])) > 1e-9 }) {
            return ("log2_rates", "must be equally spaced in log₂ η")
        }
        return WidthKeys.spanProblem(p)
    }

    static let divergedLoss = 1e6

    /// (ln L₀, ln L_T) of T GD steps at base rate 2^log2Rate; a diverged run (loss non-finite or > 10⁶ at any step)
    /// is stopped and reported as ln 10⁶.
    static func logLosses(_ raw: RawWeights, _ parametrization: Parametrization, log2Rate: Double, steps: Int, data: (x: Matrix, y: [Double])) throws -> (initial: Double, final: Double) {
        var net = Network(raw, parametrization, eta: exp2(log2Rate))
        var initial = Double.nan
        for t in 0..<steps {
            let loss = try net.step(data.x, data.y)
            if t == 0 { initial = log(loss) }
            if !(loss.isFinite && loss <= divergedLoss) { return (initial, log(divergedLoss)) }
        }
        let loss = try net.loss(data.x, data.y)
        return (initial, loss.isFinite && loss <= divergedLoss ? log(loss) : log(divergedLoss))
    }

    /// One parametrization's sweep: per width log₂ η*, log₂ η_max (seed mean), whether either left the grid, and the
    /// best seed-mean loss.
    struct RateSweep: Sendable {
        var log2Optimum: [Double] = []
        var log2Edge: [Double] = []
        var offGrid: [Bool] = []
        var bestLoss: [Double] = []
    }

    func sweep(_ parametrization: Parametrization, _ p: Parameters, data: (x: Matrix, y: [Double]), streams: StreamKey) throws -> RateSweep {
        let widths = try p.ints("widths"), seeds = try p.int("seeds"), steps = try p.int("steps"), grid = try p.doubles("log2_rates")
        let bisections = try p.int("bisections")
        let d = data.x.columns, h = grid[1] - grid[0]
        let key = "lr-transfer \(streams) \(parametrization) \(widths) \(seeds) \(steps) \(grid) \(bisections) \(d) \(data.x.rows)"
        return try SweepCache.shared.value(key) {
            @Sendable func raw(_ w: Int, _ s: Int) -> RawWeights {
                RawWeights(width: widths[w], dimension: d, layers: 1, random: RandomStream(streams.child(1, w, s)))
            }
            @Sendable func meanFinal(_ w: Int, _ log2Rate: Double) throws -> Double {
                try (0..<seeds).reduce(0) { $0 + (try Self.logLosses(raw(w, $1), parametrization, log2Rate: log2Rate, steps: steps, data: data)).final } / Double(seeds)
            }
            // 1. the grid, every (width, seed): ln L₀ and ln L_T per grid point
            let runs = try parallelMap(widths.count * seeds) { k -> (initial: Double, final: [Double]) in
                let r = raw(k / seeds, k % seeds)
                let losses = try grid.map { try Self.logLosses(r, parametrization, log2Rate: $0, steps: steps, data: data) }
                return (losses[0].initial, losses.map(\.final))
            }
            // 2. the optimum of the seed mean, refined by halving the step twice, then a parabola
            let optima = try parallelMap(widths.count) { w -> (log2Rate: Double, gridIndex: Int, onEdge: Bool, best: Double) in
                let mean = grid.indices.map { g in (0..<seeds).reduce(0) { $0 + runs[w * seeds + $1].final[g] } / Double(seeds) }
                let i = mean.indices.min { mean[$0] < mean[$1] }!
                guard i > 0 && i < grid.count - 1 else { return (grid[i], i, true, exp(mean[i])) }
                var centre = grid[i], value = mean[i], step = h
                var left = mean[i - 1], right = mean[i + 1]
                for _ in 0..<2 {
                    step /= 2
                    let l = try meanFinal(w, centre - step), r = try meanFinal(w, centre + step)
                    // moving to a neighbour: its outer neighbour is the previous level's, already known
                    if l < value && l <= r { right = value; value = l; centre -= step }
                    else if r < value { left = value; value = r; centre += step }
                    else { left = l; right = r }
                }
                let curvature = left - 2 * value + right
                let offset = curvature > 0 ? min(0.5, max(-0.5, (left - right) / (2 * curvature))) : 0
                return (centre + offset * step, i, false, exp(value))
            }
            // 3. each seed's stability edge: first grid rate above η* with L_T ≥ L₀, then bisection in log₂ η
            let edges = try parallelMap(widths.count * seeds) { k -> Double in
                let (w, s) = (k / seeds, k % seeds)
                let run = runs[k], start = optima[w].gridIndex
                guard let j = (start + 1..<grid.count).first(where: { run.final[$0] >= run.initial }) else { return .nan }
                var stable = grid[j - 1], unstable = grid[j]
                let r = raw(w, s)
                for _ in 0..<bisections {
                    let mid = (stable + unstable) / 2
                    let loss = try Self.logLosses(r, parametrization, log2Rate: mid, steps: steps, data: data)
                    if loss.final >= loss.initial { unstable = mid } else { stable = mid }
                }
                return (stable + unstable) / 2
            }
            var result = RateSweep()
            for w in widths.indices {
                let seedEdges = edges[(w * seeds)..<((w + 1) * seeds)]
                result.log2Optimum.append(optima[w].log2Rate)
                result.log2Edge.append(seedEdges.reduce(0, +) / Double(seeds))
                result.offGrid.append(optima[w].onEdge || seedEdges.contains { $0.isNaN })
                result.bestLoss.append(optima[w].best)
            }
            return result
        }
    }

    public func run(_ context: RunContext) throws -> Report {
        let p = context.parameters
        let d = try p.int("dimension"), n = try p.int("train"), tau = try p.double("tolerance"), widths = try p.ints("widths")
        let x = sphereInputs(count: n, dimension: d, random: RandomStream(context.streams.child(0)))
        let y = (0..<n).map { x[$0, 0] * x[$0, 1] + 0.5 * sin(x[$0, 2]) }
        // (arm, held to μP's predictions?)
        let arms: [(Parametrization, Bool)] = context.isControl("sp-transfers") ? [(.sp0, true)]
            : context.isControl("mup-badout-transfers") ? [(.mupBadout, true)] : [(.mup, true), (.sp0, false)]
        let log2Widths = widths.map { log2(Double($0)) }
        var checks: [Check] = []
        var table = Table(columns: ["m"] + arms.flatMap { ["\($0.0.label) log₂ η*", "\($0.0.label) log₂ η_max", "\($0.0.label) best loss"] })
        var columns: [[Cell]] = widths.map { [.integer($0)] }
        var plot = Plot(title: "Optimal and largest stable learning rate vs width (T = \(try p.int("steps")) GD steps)", xLabel: "width m", yLabel: "log₂ η", logX: true, logY: false)
        for (k, (parametrization, transfers)) in arms.enumerated() {
            let label = parametrization.label
            let result = try sweep(parametrization, p, data: (x, y), streams: context.streams)
            let offGrid = result.offGrid.filter { $0 }.count
            checks.append(Check(name: "\(label) η* and η_max bracketed inside the learning-rate grid at every width", measured: Double(offGrid), interval: nil, predicted: 0,
                                rule: "no minimum on a grid edge, every edge below the top of the grid", verdict: offGrid == 0 ? .holds : .inconclusive,
                                reason: offGrid == 0 ? "all minima and edges interior" : "\(offGrid) widths leave the grid: extend it").as(.construction))
            for w in widths.indices {
                columns[w] += [.real(result.log2Optimum[w]), result.log2Edge[w].isNaN ? .text("above the grid") : .real(result.log2Edge[w]), .real(result.bestLoss[w])]
            }
            guard offGrid == 0 else { continue }
            let optimum = try LineFit(x: log2Widths, y: result.log2Optimum), edge = try LineFit(x: log2Widths, y: result.log2Edge)
            if transfers {
                checks.append(Check.exponent("\(label) exponent of the optimal learning rate η* in m", estimate: optimum.slope, interval: optimum.slopeInterval,
                                             predicted: 0, tolerance: tau, maxHalfWidth: tau).sweeping("m", alternatives: [-1]))
                checks.append(Check.exponent("\(label) exponent of the largest stable learning rate η_max in m", estimate: edge.slope, interval: edge.slopeInterval,
                                             predicted: 0, tolerance: tau, maxHalfWidth: tau).sweeping("m", alternatives: [-1]))
            } else {
                checks.append(Check.exponent("\(label) exponent of the largest stable learning rate η_max in m", estimate: edge.slope, interval: edge.slopeInterval,
                                             predicted: -1, tolerance: tau, maxHalfWidth: tau).sweeping("m", alternatives: [0, -0.5]))
                checks.append(Check.atMost("\(label) exponent of the optimal learning rate η* in m (η* < η_max = Θ(1/m))", measured: optimum.slope,
                                           interval: optimum.slopeInterval, bound: -1 + tau))
            }
            plot.series.append(.init(name: "\(label) η*", x: widths.map(Double.init), y: result.log2Optimum, style: .line, colour: 2 * k))
            plot.series.append(.init(name: "\(label) η_max", x: widths.map(Double.init), y: result.log2Edge, style: .line, colour: 2 * k + 1))
        }
        for row in columns { table.append(row) }
        let notes = [
            "Diverged runs (loss non-finite or > 10⁶ at any step) count as loss 10⁶; η* from the seed mean of ln(loss) per rate (grid, two halvings, parabola).",
            "η_max: per seed the first rate above η* at which T steps do not lower the loss (L_T ≥ L₀), bisected in log₂ η inside its grid bracket; seed mean of log₂ η_max.",
        ]
        return Report(claimID: id, control: context.control, checks: checks, table: table, plot: plot, notes: notes, parameters: p.summary)
    }
}
