import ClaimCore
import Foundation
import Testing
@testable import NewtonAttention

// Every claim holding at quick scale and every control being violated is asserted registry-wide in
// Tests/RegistryTests (FalsifiabilityTests); the tests here check the engine.

@Suite struct NewtonAttentionEngineTests {
    @Test func rationalsStayReduced() {
        let a = Rational(6, -4)
        #expect(a.numerator == -3 && a.denominator == 2)
        #expect(a + Rational(3, 2) == .zero)
        #expect(Rational(2, 3) * Rational(9, 4) == Rational(3, 2))
        #expect(Rational(exactly: 0.375) == Rational(3, 8))
        #expect(Rational(exactly: -1e-3).doubleValue == -1e-3)
        #expect(Rational(1, 3) < Rational(1, 2))
    }

    /// The same weights run in Double (dgemm) and in rationals give the same numbers on an integer prompt.
    @Test func doubleAndRationalForwardPassesAgree() throws {
        let c = NewtonStepConstruction(dimension: 3)
        let a = DenseMatrix<Double>(rows: 3, columns: 3, elements: [2, -1, 0, 1, 3, 1, 0, 1, 4])
        let x0 = DenseMatrix<Double>(rows: 3, columns: 3, elements: [0.25, 0, 0.5, -0.125, 0.25, 0, 0, 0.5, 0.25])
        let inDouble = (c.model(steps: 2) as LinearTransformer<Double>).forward(c.prompt(matrix: a, start: x0))
        let exact = (c.model(steps: 2) as LinearTransformer<Rational>).forward(c.prompt(matrix: DenseMatrix(exactly: a), start: DenseMatrix(exactly: x0)))
        #expect((inDouble - exact.doubles).maxAbs < 1e-14)
        let twoSteps = NewtonSchulz.step(NewtonSchulz.step(DenseMatrix(exactly: x0), DenseMatrix(exactly: a), order: 2), DenseMatrix(exactly: a), order: 2)
        #expect(c.readIterate(exact) == twoSteps)
    }

    /// Lemma 4.1 counts: width 4d, 2 layers of ≤ 2 heads (1 layer for symmetric A).
    @Test func lemmaModelHasTheStatedCounts() {
        let c = NewtonStepConstruction(dimension: 5)
        let general: LinearTransformer<Double> = c.model()
        let symmetric: LinearTransformer<Double> = c.model(symmetric: true)
        #expect(general.width == 20 && general.depth == 2 && general.maxHeads == 2)
        #expect(symmetric.depth == 1 && symmetric.maxHeads == 2)
    }

    /// Theorem 4.2 model: 3 + T layers, ≤ 2 heads per layer (the read-out layer has one), width 4d + 1 (ours; the paper states 4d + 3).
    @Test func leastSquaresModelCounts() {
        let c = LeastSquaresConstruction(dimension: 4, examples: 9)
        let model: LinearTransformer<Double> = c.model(steps: 5, epsilon: 0.01)
        #expect(model.depth == 8 && model.maxHeads == 2 && model.width == 17)
    }

    /// The order-p polynomial has the coefficients (−1)^m C(p, m+1): p = 3 gives 3I − 3M + M².
    @Test func orderThreeCoefficients() {
        #expect((0..<3).map { NewtonSchulz.coefficient(3, $0) } == [3, -3, 1])
        #expect((0..<2).map { NewtonSchulz.coefficient(2, $0) } == [2, -1])
    }

    /// MPFR arithmetic: results carry the larger precision, tiny magnitudes keep their exponent.
    @Test func multiPrecisionArithmetic() {
        let third = MultiPrecision.one / MultiPrecision(3.0, precision: 1200)
        #expect(third.precision == 1200)
        let error = (third * MultiPrecision(3) - .one).magnitude
        #expect(error.isZero || error.exponent < -1190)
        #expect(MultiPrecision(1.0, precision: 200).scaled(byPowerOfTwo: -2000).log2Magnitude == -2000)
        let e = MultiPrecision.exp(MultiPrecision(1.0, precision: 500))
        #expect(abs((MultiPrecision.log(e) - .one).doubleValue) < 1e-140)
        #expect(MultiPrecision(2) < MultiPrecision(2.5, precision: 64) && MultiPrecision(-1).sign == -1)
    }

    /// ‖M‖₂ of a multiprecision matrix far below Double's range, by power-of-two scaling.
    @Test func log2SpectralNormOfATinyMatrix() throws {
        let m = DenseMatrix<MultiPrecision>(rows: 2, columns: 2, elements: [3, 0, 0, 4].map { MultiPrecision(Double($0), precision: 300).scaled(byPowerOfTwo: -1500) })
        #expect(abs(try log2SpectralNorm(m) - (2 - 1500)) < 1e-12)
    }

    /// Hypotheses are preconditions: d = 1 (no κ > 1) and too few MPFR bits are config errors naming why.
    @Test func hypothesesAreRefusedBeforeRunning() throws {
        let claim = SchulzStepsToAccuracy()
        let base = "  orders: [2]\n  exact_dimensions: [2]\n  exact_steps: 1\n  entry_bound: 3\n  exact_repetitions: 1\n  conditions: [10, 30, 100, 300, 1000]\n  epsilons: [1.0e-2, 1.0e-4, 1.0e-8, 1.0e-16, 1.0e-300]\n  fixed_condition: 100\n  alpha_fractions: [0.1, 0.5, 0.9]\n  repetitions: 1\n  slope_tolerance: 0.3\n"
        func parse(_ extra: String) throws -> Parameters {
            let block = base + extra
            return try ConfigLoader.parse("claim: \(claim.id)\nquick:\n\(block)full:\n\(block)", claim: claim, scale: .quick, file: "t.yaml")
        }
        _ = try parse("  dimension: 2\n  precision_bits: 1200\n")
        do { _ = try parse("  dimension: 1\n  precision_bits: 1200\n"); Issue.record("d = 1 accepted") } catch let error as ConfigError {
            #expect(error.description.contains("d ≥ 2"))
        }
        do { _ = try parse("  dimension: 2\n  precision_bits: 512\n"); Issue.record("512 bits accepted for ε = 1e-300") } catch let error as ConfigError {
            #expect(error.description.contains("precision_bits"))
        }
    }
    /// The ReLU units of a `KnotInterpolant` sum to its closed-form interpolant, flat outside the knots.
    @Test func knotInterpolantUnitsMatchClosedForm() {
        let f = KnotInterpolant.squareRootSpaced(intervals: 16, hi: 9) { 1 / (1 + $0.squareRoot()) }
        var mlp = MLPBuilder(width: 3)
        mlp.interpolant(f, input: [(0, 1)], mask: 1, output: 2)
        let inputs: [Double] = [-1, 0, 0.01, 0.3, 2.5, 8.99, 9, 12]
        var h = DenseMatrix<Double>(rows: 3, columns: inputs.count)
        for (j, w) in inputs.enumerated() { h[0, j] = w; h[1, j] = 1 }
        let out = mlp.block()!.apply(h)
        for (j, w) in inputs.enumerated() { #expect(abs(out[2, j] - f(w)) < 1e-13) }
        #expect(f(-1) == 1 && abs(f(12) - 0.25) < 1e-15)
    }

    /// The emulation network: the read-in forms yᵢaᵢ (up to rounding of a + y − 1), the scratch rows are zero again after a step, and with
    /// many knots one emulated step is the exact damped-Newton step to within its budget.
    @Test func emulationNetworkStep() throws {
        let random = RandomStream(StreamKey(claim: "test.newton-emulation", masterSeed: 3))
        let problem = LogisticProblem.random(count: 12, dimension: 3, regularisation: 0.1, random: random)
        let x = random.gaussians(3)
        let budget = EmulationBudget(knots: 512, marginRange: 8, dimension: 3, regularisation: 0.1)
        let net = NewtonEmulationNetwork(dimension: 3, examples: 12, regularisation: 0.1, knots: 512, marginRange: 8, stepRange: 100,
                                         inversionLayers: budget.inversionLayers)
        let readIn = net.readInLayer().apply(net.prompt(problem: problem, start: x))
        for i in 0..<12 { for j in 0..<3 { #expect(abs(readIn[net.signed.offset + j, i] - problem.labels[i] * problem.data[i, j]) < 1e-15) } }
        let after = net.stepLayers().reduce(readIn) { $1.apply($0) }
        let scratch = [net.margin, net.probability, net.curvatureRow, net.scaled, net.gradient, net.gradientRow, net.hessian, net.inverse,
                       net.direction, net.decrement, net.step]
        #expect(scratch.allSatisfy { block in (0..<block.height).allSatisfy { r in (0..<net.tokens).allSatisfy { after[block.offset + r, $0] == 0 } } })
        let exact = try problem.dampedNewtonStep(x)
        let error = Vector.norm(zip(net.readIterate(after), exact).map { $0 - $1 })
        let stepSize = KnotInterpolant.squareRootSpaced(intervals: 512, hi: 100) { 1 / (1 + $0.squareRoot()) }
        let bound = try budget.bound(problem: problem, at: x, stepSize: stepSize, inversionLayers: budget.inversionLayers).bound
        #expect(error <= bound && error > 0)
        #expect(net.model(steps: 2).depth == 1 + 2 * (5 + budget.inversionLayers))
    }
}
