import AdversarialMargins
import CReference
import ClaimCore

/// Adversarial training of a linear classifier: full-batch gradient descent on the exponential loss with ℓ2
/// worst-case inputs, `ExponentialLossGD(inputs: .worstCase).run`, as the adversarial-margin claims call it.
/// Data: n points uniform on S^{d−1} with a planted separator (margin gap 0.05). One epoch = one full-batch step:
/// two n×d dgemv and n exp.
public struct AdversarialWorkload {
    public let data: SeparableData
    public let radius: Double
    public let stepSize: Double
    public let epochs: Int

    public init(count n: Int, dimension d: Int, epochs: Int, seed: UInt64) {
        let random = RandomStream(StreamKey(claim: "bench.adv", masterSeed: seed, path: [n, d]))
        data = SeparableData.planted(dimension: d, count: n, gap: 0.05, random: random).data
        radius = 0.02
        stepSize = 1
        self.epochs = epochs
    }

    public func runSwift() -> [Double] {
        ExponentialLossGD(data: data, inputs: .worstCase, radius: radius, stepSize: stepSize)
            .run(iterations: epochs) { _, _, _, _ in false }
    }

    public func runC() -> [Double] {
        var w = [Double](repeating: 0, count: data.dimension)
        var workspace = [Double](repeating: 0, count: data.count)
        cref_exponential_loss_gd(data.count, data.dimension, data.signedPoints.elements, -1, radius, stepSize, epochs, &w, &workspace)
        return w
    }

    public func workload() -> Workload {
        let n = data.count, d = data.dimension
        return Workload(family: "adv", name: "adversarial GD epochs (exp. loss, ℓ2 worst case)",
                        size: "n = \(n), d = \(d), \(epochs) epochs", loopBound: false,
                        flops: Double(epochs) * Double(4 * n * d + 4 * n) + Double(2 * n * d),
                        calls: "`ExponentialLossGD(data:inputs: .worstCase, radius:stepSize:).run(iterations:observe:)` · `cref_exponential_loss_gd` · `Benchmarks/adversarial.py`",
                        swift: runSwift, c: runC,
                        numpy: NumpyJob(script: "adversarial.py",
                                        parameters: ["count": Double(n), "dimension": Double(d), "radius": radius,
                                                     "step_size": stepSize, "epochs": Double(epochs)],
                                        inputs: ["z": data.signedPoints.elements]))
    }
}
