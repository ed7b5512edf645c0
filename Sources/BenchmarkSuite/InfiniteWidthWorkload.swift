import CReference
import ClaimCore
import InfiniteWidth

/// Full-batch GD on a one-hidden-layer ReLU network (μP, η = 1), `WidthNetwork.step` as the infinite-width claims
/// call it: per step two dgemms (X Uᵀ, Dᵀ X), two dgemvs, the ReLU and masked-outer-product loops.
public struct InfiniteWidthWorkload {
    public let count: Int
    public let dimension: Int
    public let width: Int
    public let steps: Int
    let x: Matrix
    let y: [Double]
    let rawU: Matrix
    let rawV: [Double]

    public init(count n: Int, dimension d: Int, width m: Int, steps: Int, seed: UInt64) {
        let random = RandomStream(StreamKey(claim: "bench.width", masterSeed: seed, path: [n, d, m]))
        count = n; dimension = d; width = m; self.steps = steps
        var inputs = Matrix(rows: n, columns: d)
        for i in 0..<n {
            let p = random.unitSphere(dimension: d)
            for k in 0..<d { inputs[i, k] = p[k] * Double(d).squareRoot() }
        }
        x = inputs
        y = (0..<n).map { inputs[$0, 0] * inputs[$0, 1] }
        rawU = random.gaussianMatrix(rows: m, columns: d)
        rawV = random.gaussians(m)
    }

    func network() -> WidthNetwork { WidthNetwork(rawInput: rawU, rawReadout: rawV, parametrization: .mup, eta: 1) }

    /// [last loss, U…, v…].
    public func runSwift() throws -> [Double] {
        var net = network()
        var loss = 0.0
        for _ in 0..<steps { loss = try net.step(x, y) }
        return [loss] + net.inputWeights.elements + net.readout
    }

    public func runC() -> [Double] {
        let start = network()
        var u = start.inputWeights.elements, v = start.readout
        var workspace = [Double](repeating: 0, count: 3 * count * width + 2 * count + width)
        let loss = cref_width_gradient_descent(count, dimension, width, x.elements, y, &u, &v, start.learningRates.input, start.learningRates.readout,
                                               steps, &workspace)
        return [loss] + u + v
    }

    public func workload() -> Workload {
        let n = Double(count), d = Double(dimension), m = Double(width)
        return Workload(family: "width", name: "one-hidden-layer ReLU GD (μP), m = \(width)",
                        size: "n = \(count), d = \(dimension), \(steps) full-batch steps", loopBound: false,
                        flops: Double(steps) * (4 * n * m * d + 4 * n * m + 4 * n * m),
                        calls: "`WidthNetwork.step(_:_:)` · `cref_width_gradient_descent`",
                        swift: runSwift, c: runC, numpy: nil)
    }
}
