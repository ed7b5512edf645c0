import Foundation
import Testing
@testable import ClaimCore
@preconcurrency import CLinearAlgebra

@Suite struct MatrixTests {
    let a = Matrix([[4, 1, 0], [1, 3, 1], [0, 1, 2]])

    @Test func productsMatchHandComputedValues() throws {
        let b = Matrix([[1, 2], [0, 1], [1, 0]])
        #expect(a * b == Matrix([[4, 9], [2, 5], [2, 1]]))
        #expect(a * [1, 1, 1] == [5, 5, 3])
        let atb = try Matrix.product(b, transposeA: true, b)
        #expect(atb == b.gram())
        #expect(atb == Matrix([[2, 2], [2, 5]]))
    }

    @Test func solveLeavesResidualAtMachinePrecision() throws {
        let random = RandomStream(seed: 7)
        let m = random.gaussianMatrix(rows: 50, columns: 50)
        let x = random.gaussians(50)
        let b = m * x
        let solved = try m.solve(b)
        let residual = zip(m * solved, b).map { $0 - $1 }
        #expect(Vector.norm(residual) / Vector.norm(b) < 1e-12)
        let product = m * (try m.inverse())
        #expect((product - Matrix.identity(50)).frobeniusNorm < 1e-10)
    }

    @Test func singularSolveThrowsNamingTheRoutine() {
        let singular = Matrix([[1, 2], [2, 4]])
        #expect(throws: NumericsError.lapack(routine: "dgesv", info: 2)) { try singular.solve([1, 1]) }
    }

    @Test func choleskyOfIndefiniteMatrixThrows() throws {
        let l = try a.cholesky()
        #expect(((l * l.transposed) - a).frobeniusNorm < 1e-14)
        #expect(throws: NumericsError.self) { try Matrix([[1, 2], [2, 1]]).cholesky() }
    }

    /// [[2, 1], [1, 2]] has eigenvalues 1 and 3 with eigenvectors (1, −1)/√2 and (1, 1)/√2.
    @Test func symmetricEigenOfKnownMatrix() throws {
        let eigen = try Matrix([[2, 1], [1, 2]]).symmetricEigen()
        #expect(abs(eigen.values[0] - 1) < 1e-15 && abs(eigen.values[1] - 3) < 1e-15)
        let v = eigen.vectors.column(1)
        #expect(abs(abs(v[0]) - 1 / 2.0.squareRoot()) < 1e-15 && abs(v[0] - v[1]) < 1e-15)
    }

    @Test func svdReconstructsAndOrdersSingularValues() throws {
        let m = RandomStream(seed: 3).gaussianMatrix(rows: 6, columns: 4)
        let svd = try m.svd()
        #expect(svd.singularValues == svd.singularValues.sorted(by: >))
        let reconstructed = svd.u * Matrix.diagonal(svd.singularValues) * svd.vt
        #expect((reconstructed - m).frobeniusNorm < 1e-13)
        #expect(try m.singularValues().enumerated().allSatisfy { abs($0.element - svd.singularValues[$0.offset]) < 1e-13 })
        #expect(abs(try Matrix.diagonal([3, -5, 1]).spectralNorm() - 5) < 1e-15)
    }

    @Test func leastSquaresRecoversExactLine() throws {
        let design = Matrix((0..<10).map { [1, Double($0)] })
        let coefficients = try design.leastSquares((0..<10).map { 2 + 3 * Double($0) })
        #expect(abs(coefficients[0] - 2) < 1e-12 && abs(coefficients[1] - 3) < 1e-12)
    }

    @Test func dimensionMismatchThrows() {
        var c = Matrix(rows: 2, columns: 2)
        #expect(throws: NumericsError.self) { try Matrix.gemm(a, Matrix.identity(2), into: &c) }
    }
}

@Suite struct RandomStreamTests {
    @Test func sameKeyGivesSameStreamDifferentKeysDiffer() {
        let key = StreamKey(claim: "x.y", masterSeed: 5, path: [1, 2])
        let first = RandomStream(key).gaussians(100)
        #expect(first == RandomStream(key).gaussians(100))
        #expect(first != RandomStream(key.child(0)).gaussians(100))
        #expect(first != RandomStream(StreamKey(claim: "x.y", masterSeed: 6, path: [1, 2])).gaussians(100))
        #expect(first != RandomStream(StreamKey(claim: "x.z", masterSeed: 5, path: [1, 2])).gaussians(100))
    }

    /// Independence proxy: sample correlation of two sibling streams is within 4 standard errors of 0.
    @Test func siblingStreamsAreUncorrelated() {
        let root = StreamKey(claim: "independence", masterSeed: 1)
        let count = 20_000
        let x = RandomStream(root.child(0)).gaussians(count)
        let y = RandomStream(root.child(1)).gaussians(count)
        let correlation = Vector.dot(x, y) / (Vector.norm(x) * Vector.norm(y))
        #expect(abs(correlation) < 4 / Double(count).squareRoot())
    }

    @Test func permutationsAreUniformOverSmallGroup() {
        let random = RandomStream(seed: 11)
        var counts: [[Int]: Int] = [:]
        let draws = 60_000
        for _ in 0..<draws { counts[random.permutation(3), default: 0] += 1 }
        #expect(counts.count == 6)
        // each of the 6 orders has probability 1/6; 5 standard deviations of a binomial(60000, 1/6)
        let sd = (Double(draws) / 6 * 5 / 6).squareRoot()
        #expect(counts.values.allSatisfy { abs(Double($0) - Double(draws) / 6) < 5 * sd })
    }

    @Test func distributionsHaveStatedMoments() throws {
        let random = RandomStream(seed: 2)
        let g = try MeanEstimate(random.gaussians(50_000, mean: 1, standardDeviation: 2))
        #expect(abs(g.mean - 1) < 5 * g.standardError && abs(g.standardDeviation - 2) < 0.05)
        let r = random.rademachers(10_000)
        #expect(r.allSatisfy { $0 == 1 || $0 == -1 })
        let u = random.uniforms(10_000, 2, 3)
        #expect(u.allSatisfy { $0 >= 2 && $0 < 3 })
        let s = random.unitSphere(dimension: 7)
        #expect(abs(Vector.norm(s) - 1) < 1e-14)
        let q = try random.orthogonalMatrix(5)
        #expect((q.gram() - Matrix.identity(5)).frobeniusNorm < 1e-13)
    }
}

@Suite struct StatisticsTests {
    @Test func exactPowerLawHasExactSlopeAndZeroWidth() throws {
        let sizes = [8.0, 16, 32, 64, 128]
        let fit = try PowerLawFit(sizes: sizes, values: sizes.map { 3 * pow($0, -2.5) })
        #expect(abs(fit.exponent + 2.5) < 1e-12)
        #expect(abs(fit.constant - 3) < 1e-10)
        #expect(fit.exponentInterval.halfWidth < 1e-10)
    }

    @Test func floorPointsAreTrimmed() throws {
        let sizes = [1.0, 2, 4, 8, 16, 32]
        let values = sizes.map { max(pow($0, -8), 1e-12) }
        let fit = try PowerLawFit(sizes: sizes, values: values, floor: 1e-12)
        #expect(fit.trimmedSizes == [32])
        #expect(abs(fit.exponent + 8) < 1e-9)
    }

    /// Against a textbook example: y = 1 + 2x + noise has a t-based CI that covers 2.
    @Test func lineFitIntervalUsesStudentT() throws {
        let x = [1.0, 2, 3, 4, 5]
        let y = [3.1, 4.9, 7.2, 8.8, 11.1]
        let fit = try LineFit(x: x, y: y)
        #expect(abs(fit.slope - 1.99) < 1e-12)
        #expect(abs(studentQuantile(level: 0.95, degreesOfFreedom: 3) - 3.182446305284263) < 1e-9)
        #expect(fit.slopeInterval.contains(2))
        // Half-width t₀.₉₇₅,₃ · se, se = √(SSR/3/Sxx) = 0.0597215762 (numpy/scipy reference): a CI twice too wide fails.
        #expect(abs(fit.slopeInterval.halfWidth - 0.19006070959945823) < 1e-9)
    }

    @Test func meanIntervalAndNonFiniteRejection() throws {
        let m = try MeanEstimate([1, 2, 3, 4])
        #expect(m.mean == 2.5)
        let ci = m.confidenceInterval()
        #expect(abs(ci.center - 2.5) < 1e-12)
        #expect(throws: NumericsError.self) { try MeanEstimate([1, .nan]) }
        #expect(throws: NumericsError.self) { try LineFit(x: [1, 2, 3], y: [1, .infinity, 2]) }
    }
}

@Suite struct BetaQuantileTests {
    /// gsl_cdf_beta_Pinv returns NaN here (the upper Clopper–Pearson end of 32 successes in 1000); the fallback must not.
    @Test(arguments: [(0.975, 33.0, 968.0), (0.025, 32.0, 969.0), (0.5, 2.0, 3.0), (0.975, 1.0, 4000.0)])
    func quantileInvertsTheCDF(p: Double, a: Double, b: Double) throws {
        let q = try betaQuantile(p, a: a, b: b)
        #expect(q > 0 && q < 1)
        #expect(abs(gsl_cdf_beta_P(q, a, b) - p) < 1e-12)
    }
}
