import ClaimCore
import Foundation
import Testing
@testable import InfiniteWidth

/// The family's building blocks against closed forms, finite differences and explicit iterations. Holds/violated
/// of every claim and control is asserted registry-wide; here only what is specific to this family.
@Suite struct InfiniteWidthTests {

    /// The recursion reproduces the spec's reference table (9 decimals) and the diagonal (L + 1)/2^L.
    @Test func analyticKernelMatchesTheReferenceTable() {
        #expect(referenceTableDeviation() < 1e-9)
        for layers in 1...4 {
            #expect(abs(ArcCosineNTK(layers: layers).ntk(cosine: 1) - Double(layers + 1) / pow(2, Double(layers))) < 1e-14)
        }
        // without the derivative term the "NTK" is the NNGP kernel Σ^{L+1}: diagonal 2^{-L}
        #expect(abs(ArcCosineNTK(layers: 2, variant: .withoutDerivativeTerm).ntk(cosine: 1) - 0.25) < 1e-14)
    }

    /// The empirical NTK at a large width is close to the limit (one hidden layer: unbiased, error ≈ √(3/m)).
    @Test func empiricalNTKApproachesTheLimit() throws {
        let random = RandomStream(seed: 7)
        let x = sphereInputs(count: 6, dimension: 4, random: random)
        let exact = try ArcCosineNTK(layers: 1).ntk(x)
        let theta = try empiricalNTK(x, layers: 1, width: 16384, beta: 0, random: random)
        let worst = zip(theta.elements, exact.elements).map { abs($0 - $1) }.max()!
        #expect(worst < 6 * (3.0 / 16384).squareRoot())
        let withBias = try empiricalNTK(x, layers: 2, width: 4096, beta: 0.1, random: random)
        let exactBias = try ArcCosineNTK(layers: 2, beta: 0.1).ntk(x)
        #expect(zip(withBias.elements, exactBias.elements).map { abs($0 - $1) }.max()! < 0.1)
    }

    /// One GD step moves the weights by −lr·∇ℒ, with ∇ℒ checked against central finite differences (L = 1, 2).
    @Test(arguments: [1, 2]) func gradientStepMatchesFiniteDifferences(layers: Int) throws {
        let random = RandomStream(seed: 11)
        let x = sphereInputs(count: 5, dimension: 3, random: random)
        let y = (0..<5).map { x[$0, 0] * x[$0, 1] }
        let raw = RawWeights(width: 7, dimension: 3, layers: layers, random: random)
        let net = Network(raw, .ntp, eta: 1)
        var stepped = net
        try stepped.step(x, y)
        let h = 1e-6
        for (i, j) in [(0, 0), (3, 2), (6, 1)] {
            var plus = net, minus = net
            plus.u[i, j] += h; minus.u[i, j] -= h
            let numeric = (try plus.loss(x, y) - minus.loss(x, y)) / (2 * h)
            let analytic = (net.u[i, j] - stepped.u[i, j]) / net.rates.input
            #expect(abs(numeric - analytic) < 1e-7 * max(1, abs(numeric)))
        }
        if layers == 2, let w = net.w, let w1 = stepped.w {
            var plus = net, minus = net
            plus.w![2, 4] += h; minus.w![2, 4] -= h
            let numeric = (try plus.loss(x, y) - minus.loss(x, y)) / (2 * h)
            #expect(abs(numeric - (w[2, 4] - w1[2, 4]) / net.rates.hidden) < 1e-7 * max(1, abs(numeric)))
        }
        var plus = net, minus = net
        plus.v[5] += h; minus.v[5] -= h
        let numeric = (try plus.loss(x, y) - minus.loss(x, y)) / (2 * h)
        #expect(abs(numeric - (net.v[5] - stepped.v[5]) / net.rates.readout) < 1e-7 * max(1, abs(numeric)))
    }

    /// The learning-rate-weighted tangent kernel predicts a small GD step in function space: Δf ≈ −K r.
    @Test(arguments: [Parametrization.ntp, .mup]) func tangentKernelPredictsASmallStep(parametrization: Parametrization) throws {
        let random = RandomStream(seed: 3)
        let x = sphereInputs(count: 6, dimension: 4, random: random)
        let y = (0..<6).map { x[$0, 0] * x[$0, 1] }
        for layers in [1, 2] {
            var net = Network(RawWeights(width: 50, dimension: 4, layers: layers, random: random), parametrization, eta: 1e-5)
            let k = try net.tangentKernel(x), f0 = try net.outputs(x)
            let r = zip(f0, y).map { ($0 - $1) / 6 }
            try net.step(x, y)
            let predicted = k * r
            for (i, f1) in try net.outputs(x).enumerated() {
                #expect(abs((f1 - f0[i]) + predicted[i]) < 1e-3 * abs(predicted[i]) + 1e-14)
            }
        }
    }

    /// The closed-form kernel GD predictor equals T explicit steps f ← f − (η/n) K (f − y) on train and test points.
    @Test func kernelGradientDescentMatchesExplicitIteration() throws {
        let random = RandomStream(seed: 5)
        let all = sphereInputs(count: 10, dimension: 3, random: random)
        let k = try ArcCosineNTK(layers: 1).ntk(all)
        let n = 6, steps = 25, eta = 1.0
        let y = (0..<n).map { all[$0, 0] * all[$0, 1] }
        let f0 = random.gaussians(10)
        var f = f0
        for _ in 0..<steps {
            let r = (0..<n).map { (f[$0] - y[$0]) / Double(n) }
            f = (0..<10).map { i in f[i] - eta * (0..<n).reduce(0) { $0 + k[i, $1] * r[$1] } }
        }
        let predicted = try kernelGradientDescent(kernel: k, trainCount: n, targets: y, initialTrain: Array(f0[0..<n]), initialTest: Array(f0[n...]), eta: eta, steps: steps)
        for i in 0..<4 { #expect(abs(predicted[i] - f[n + i]) < 1e-10) }
    }

    /// The abc table: init variances and learning rates of §1, and the r exponents (L = 1: ½, 0, 3/2).
    @Test func parametrizationTable() {
        let mup = Parametrization.mup.learningRates(width: 100, dimension: 4, eta: 1)
        #expect(mup.input == 25 && mup.hidden == 1 && mup.readout == 0.01)
        #expect(Parametrization.mup.variances(width: 100, dimension: 4).readout == 1e-4)
        #expect(Parametrization.ntp.learningRates(width: 100, dimension: 4, eta: 1).input == 0.25)
        #expect(Parametrization.sp1.r(layers: 1) == 1.5 && Parametrization.sp1.r(layers: 2) == 0.5)
        #expect(Parametrization.ntp.r(layers: 1) == 0.5 && Parametrization.mup.r(layers: 2) == 0)
    }

    /// The β = 0 one-layer kernel has an odd part exactly u/2: Θ(u) − Θ(−u) = u.
    @Test func oddPartIsLinear() {
        for u in stride(from: -1.0, through: 1.0, by: 0.125) {
            #expect(abs(ArcCosineNTK(layers: 1).ntk(cosine: u) - ArcCosineNTK(layers: 1).ntk(cosine: -u) - u) < 1e-14)
        }
    }
}
