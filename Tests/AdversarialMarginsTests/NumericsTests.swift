import ClaimCore
import Foundation
import Testing
@testable import AdversarialMargins

@Suite struct MaxMarginTests {
    /// The spec's 4-point set: γ* = 0.297797, w* = (0.999940, 0.010927); support vectors z₁, z₂ (the other two
    /// points have larger margins), found independently by minimising ‖(1 − t)z₁ + t z₂‖ in closed form.
    @Test func referenceSetMatchesTheSpecAndTheTwoPointSolution() throws {
        let svm = try HardMarginSVM(SeparableData.reference)
        let z1 = SeparableData.reference.point(0), z2 = SeparableData.reference.point(1)
        let difference = zip(z2, z1).map { $0 - $1 }
        let t = -Vector.dot(z1, difference) / Vector.dot(difference, difference)
        let closest = zip(z1, difference).map { $0 + t * $1 }
        #expect(abs(svm.margin - Vector.norm(closest)) < 1e-14)
        #expect(abs(svm.margin - 0.297797) < 5e-7)
        #expect(abs(svm.direction[0] - 0.999940) < 5e-7 && abs(svm.direction[1] - 0.010927) < 5e-7)
        #expect(svm.kktResidual < 1e-13)
    }

    /// KKT conditions of the hard-margin SVM on random planted sets: primal feasibility zᵢᵀw* ≥ γ*, complementary
    /// slackness (λᵢ > 0 ⇒ zᵢᵀw* = γ*), dual feasibility λ ≥ 0, Σλ = 1, and stationarity w*·γ* = Σλᵢzᵢ.
    @Test(arguments: [(2, 20), (5, 40), (10, 100), (30, 60)])
    func hardMarginSVMSatisfiesKKT(dimension: Int, count: Int) throws {
        let data = SeparableData.planted(dimension: dimension, count: count, gap: 0.02, random: RandomStream(seed: UInt64(dimension * 1000 + count))).data
        let svm = try HardMarginSVM(data)
        let scores = data.margins(svm.direction)
        #expect(scores.min()! >= svm.margin - 1e-12)
        for (score, lambda) in zip(scores, svm.dualWeights) where lambda > 1e-12 { #expect(abs(score - svm.margin) < 1e-11) }
        #expect(svm.dualWeights.allSatisfy { $0 >= 0 })
        #expect(abs(svm.dualWeights.reduce(0, +) - 1) < 1e-12)
        var combination = [Double](repeating: 0, count: dimension)
        try data.signedPoints.multiply(svm.dualWeights, transpose: true, into: &combination)
        for (c, w) in zip(combination, svm.direction) { #expect(abs(c - svm.margin * w) < 1e-12) }
        #expect(svm.kktResidual < 1e-12)
    }

    /// Closed-form inner maximisation: for ℓ∞, enumerating the 2ᵈ vertices of the ball (where a linear function of δ
    /// attains its extremes) gives the same worst loss as ℓ(y wᵀx − ε‖w‖₁); for ℓ2 the closed-form δ* attains
    /// ℓ(y wᵀx − ε‖w‖₂) and no random point of the sphere does worse.
    @Test func worstCasePerturbationsMatchBruteForce() {
        let random = RandomStream(seed: 7)
        for trial in 0..<20 {
            let d = 2 + trial % 7
            let w = random.gaussians(d), x = random.gaussians(d)
            let y = random.rademacher(), epsilon = random.uniform(0.01, 1)
            let closedInfinity = exp(-(y * Vector.dot(w, x) - epsilon * PerturbationNorm.lInfinity.dualNorm(w)))
            var brute = -Double.infinity
            for mask in 0..<(1 << d) {
                let delta = (0..<d).map { (mask >> $0) & 1 == 1 ? epsilon : -epsilon }
                brute = max(brute, exp(-y * Vector.dot(w, zip(x, delta).map(+))))
            }
            #expect(abs(brute - closedInfinity) <= 1e-12 * closedInfinity)
            let deltaInfinity = PerturbationNorm.lInfinity.worstPerturbation(w, label: y, radius: epsilon)
            #expect(abs(exp(-y * Vector.dot(w, zip(x, deltaInfinity).map(+))) - closedInfinity) <= 1e-12 * closedInfinity)

            let closedTwo = exp(-(y * Vector.dot(w, x) - epsilon * Vector.norm(w)))
            let deltaTwo = PerturbationNorm.l2.worstPerturbation(w, label: y, radius: epsilon)
            #expect(abs(Vector.norm(deltaTwo) - epsilon) < 1e-14)
            #expect(abs(exp(-y * Vector.dot(w, zip(x, deltaTwo).map(+))) - closedTwo) <= 1e-12 * closedTwo)
            for _ in 0..<200 {
                let delta = random.unitSphere(dimension: d).map { $0 * epsilon }
                #expect(exp(-y * Vector.dot(w, zip(x, delta).map(+))) <= closedTwo * (1 + 1e-12))
            }
        }
    }

    /// The dgemv update equals the textbook step w ← w + (η/n)Σ e^{−(zᵢᵀw − ε‖w‖)}(zᵢ − ε w/‖w‖) for a few steps.
    @Test func adversarialStepMatchesTheDanskinGradient() {
        let data = SeparableData.reference
        let epsilon = 0.2, eta = 0.7
        var expected = [0.0, 0.0]
        var iterates: [[Double]] = []
        ExponentialLossGD(data: data, inputs: .worstCase, radius: epsilon, stepSize: eta).run(iterations: 5) { _, _, _, w in
            iterates.append(Array(w))
            return false
        }
        for t in 0..<5 {
            let norm = Vector.norm(expected)
            var step = [0.0, 0.0]
            for i in 0..<data.count {
                let z = data.point(i)
                let weight = exp(-(Vector.dot(z, expected) - epsilon * norm)) / Double(data.count)
                for k in 0..<2 { step[k] += weight * (z[k] - (norm > 0 ? epsilon * expected[k] / norm : 0)) }
            }
            expected = zip(expected, step).map { $0 + eta * $1 }
            #expect(abs(iterates[t][0] - expected[0]) < 1e-14 && abs(iterates[t][1] - expected[1]) < 1e-14)
        }
    }
}

@Suite struct AugmentationGeometryTests {
    @Test func wendelFormulaKnownValues() {
        #expect(wendelProbability(dimension: 2, points: 3) == 0.25)
        #expect(wendelProbability(dimension: 2, points: 4) == 0.5)
        #expect(wendelProbability(dimension: 3, points: 9) == 219.0 / 256.0)
        #expect(wendelProbability(dimension: 5, points: 6) == 1.0 / 32.0)
        #expect(wendelProbability(dimension: 5, points: 10) == 0.5)
        #expect(wendelProbability(dimension: 5, points: 5) == 0)
        for d in 1...12 { for n in 1...40 { #expect(abs(wendelProbability(dimension: d, points: n) - wendelProbabilityGSL(dimension: d, points: n)) < 1e-13) } }
        // 2d points: exactly ½ in every dimension (symmetry of the binomial sum).
        for d in 1...30 { #expect(wendelProbability(dimension: d, points: 2 * d) == 0.5) }
    }

    @Test(arguments: [2, 3, 4, 7, 12])
    func regularSimplexHasInradiusOneOverD(dimension d: Int) throws {
        let simplex = try AugmentationGeometry.regularSimplex(dimension: d)
        for i in 0...d { #expect(abs(Vector.norm((0..<d).map { simplex[i, $0] }) - 1) < 1e-14) }
        #expect(try AugmentationGeometry.containsOrigin(simplex).inside)
        #expect(abs(try AugmentationGeometry.simplexInradius(simplex).radius - 1 / Double(d)) < 1e-13)
        let missingVertex = Matrix((0..<d).map { i in (0..<d).map { simplex[i, $0] } })
        let verdict = try AugmentationGeometry.containsOrigin(missingVertex)
        #expect(!verdict.inside && verdict.certified)
        #expect(abs(verdict.distance - 1 / Double(d)) < 1e-12)
    }

    /// For N = d + 1 points, Wolfe's decision "0 ∈ conv Z" agrees with the barycentric coordinates of 0 (solve
    /// [Zᵀ; 𝟙ᵀ]λ = [0; 1] by LU, inside iff λ > 0): an independent check of the Wendel decisions.
    @Test(arguments: [2, 3, 5])
    func wolfeDecisionMatchesBarycentricCoordinates(dimension d: Int) throws {
        let random = RandomStream(seed: UInt64(100 + d))
        var inside = 0
        for _ in 0..<400 {
            let z = random.gaussianMatrix(rows: d + 1, columns: d)
            var system = Matrix(rows: d + 1, columns: d + 1)
            for j in 0...d {
                for k in 0..<d { system[k, j] = z[j, k] }
                system[d, j] = 1
            }
            let lambda = try system.solve([Double](repeating: 0, count: d) + [1])
            let barycentric = lambda.allSatisfy { $0 > 0 }
            let wolfe = try AugmentationGeometry.containsOrigin(z)
            #expect(wolfe.certified)
            #expect(wolfe.inside == barycentric)
            if barycentric { inside += 1 }
        }
        #expect(inside > 0)
    }

    /// Clopper–Pearson: 0 of n ⇒ upper = 1 − (α/2)^{1/n}; n of n ⇒ lower = (α/2)^{1/n}.
    @Test func clopperPearsonEdges() {
        let none = Proportion(successes: 0, trials: 10).confidenceInterval()
        #expect(none.lower == 0 && abs(none.upper - (1 - pow(0.025, 0.1))) < 1e-12)
        let all = Proportion(successes: 100, trials: 100).confidenceInterval()
        #expect(all.upper == 1 && abs(all.lower - pow(0.025, 0.01)) < 1e-12)
    }

    /// The cap measure against its d = 3 closed form (Archimedes: the cap {x₁ ≥ c} of S² has measure (1 − c)/2).
    @Test func capMeasureMatchesArchimedes() {
        for c in [0.0, 0.2, 0.5, 0.9] { #expect(abs(sphericalCapMeasure(ambientDimension: 3, threshold: c) - (1 - c) / 2) < 1e-13) }
    }

    /// Soudry rate b = ln λ_max − Σλ ln λ/Σλ: for the 4-point set the duals solve ŵ = α₁z₁ + α₂z₂ with zᵢᵀŵ = 1,
    /// α = (1.979501, 9.296631) (numpy), b = 0.271539; two support vectors of equal norm carry equal weight, b = 0.
    @Test func soudryRateFromTheDuals() throws {
        let svm = try HardMarginSVM(SeparableData.reference)
        #expect(abs(MarginIterations.soudryRate(dualWeights: svm.dualWeights) - 0.27153873835916054) < 1e-9)
        let symmetric = SeparableData(signedPoints: Matrix([[0.6, 0.8], [0.6, -0.8], [0.9, 0.1]]))
        #expect(abs(MarginIterations.soudryRate(dualWeights: try HardMarginSVM(symmetric).dualWeights)) < 1e-9)
    }

    /// The binomial log-link fit recovers a known exponential decay from (rounded) expected failure counts.
    @Test func binomialLogLinkFitRecoversTheDecay() throws {
        let x = [1.0, 1.5, 2, 2.5, 3, 4], trials = [Int](repeating: 100_000, count: 6)
        let failures = x.map { Int((100_000 * 0.4 * exp(-1.2 * $0)).rounded()) }
        let fit = try BinomialLogLinkFit(x: x, failures: failures, trials: trials)
        #expect(abs(fit.slope + 1.2) < 1e-3 && fit.slopeInterval.contains(-1.2))
        #expect(abs(exp(fit.intercept) - 0.4) < 1e-3)
        #expect(fit.deviance < 0.1)
    }
}
