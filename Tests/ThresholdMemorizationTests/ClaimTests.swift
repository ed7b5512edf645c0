import ClaimCore
import Foundation
import Testing
@testable import ThresholdMemorization

/// Family-specific assertions on the quick-scale reports (that every claim holds and every control is violated is
/// asserted registry-wide in Tests/RegistryTests on the same shared reports).
@Suite struct ThresholdClaimTests {
    /// Fitted exponents of the construction's own accounting sit near their design values, not merely inside the
    /// window's far edge (claim-role exponents against the paper are judged by their windows alone).
    @Test(arguments: ThresholdMemorizationClaims.all.map(\.id))
    func fittedExponentsSitNearTheirPredictions(id: String) throws {
        let claim = try #require(ThresholdMemorizationClaims.all.first { $0.id == id })
        let report = QuickRuns.run(claim)
        for check in report.checks where check.rule.hasPrefix("|exponent") && check.role == .construction {
            #expect(abs(check.measured - check.predicted) < 0.08, "\(check.name): \(check.measured)")
        }
    }

    /// Issue 16: the config that hung (clustered sampling with no attempt cap) is refused before anything runs, and the
    /// sampler itself gives up with "no point set … after N attempts" instead of looping.
    @Test func impossiblePointSetIsAConfigurationErrorNotAHang() throws {
        let claim = Memorization()
        let parameters = Parameters(values: ["sizes": .integers([128]), "separations": .reals([1.4]), "dimensions": .integers([2]), "seeds": .integer(1),
                                             "random_labellings": .integer(0), "exhaustive_sizes": .integers([4]), "exhaustive_separation": .real(0.2),
                                             "exhaustive_dimension": .integer(8), "failure_budget": .real(0.01)],
                                    orderedKeys: [])
        let problem = try #require(claim.invalidParameters(parameters))
        #expect(problem.key == "sizes" && problem.problem.contains("d = 2"), "\(problem)")
        for kind in PointSet.allCases {
            #expect(throws: PointSetUnavailable.self) { try kind.sample(count: 128, dimension: 2, separation: 1.4, random: RandomStream(seed: 1)) }
        }
        // Below the packing bound but beyond what sequential sampling places: the cap ends it, with the one-line reason.
        let error = #expect(throws: PointSetUnavailable.self) { try PointSet.clustered.sample(count: 12, dimension: 3, separation: 1.2, random: RandomStream(seed: 2)) }
        #expect(error?.description.contains("after 12000 attempts") == true)
    }

    /// The plane fit recovers an exact plane and the Clopper–Pearson limit of 0/369 is just below 0.01.
    @Test func planeFitAndFailureFrequency() throws {
        let x1 = [0.0, 1, 2, 0, 1, 2], x2 = [0.0, 0, 0, 1, 1, 2]
        let noise = [0.01, -0.01, 0.0, 0.01, 0.0, -0.01]
        let fit = try PlaneFit(x1: x1, x2: x2, y: zip(zip(x1, x2), noise).map { 1 + 2 * $0.0 - 0.5 * $0.1 + $1 })
        #expect(abs(fit.slopes.0 - 2) < 0.02 && abs(fit.slopes.1 + 0.5) < 0.02)
        #expect(fit.intervals.0.contains(2) && fit.intervals.1.contains(-0.5))
        let upper = FailureFrequency(failures: 0, trials: 369).interval.upper
        #expect(abs(upper - (1 - pow(0.025, 1.0 / 369))) < 1e-12 && upper < 0.01)
    }

    /// The smallest separating prefix separates, and one hyperplane fewer does not; the lattice sets sit at exactly δ.
    @Test func smallestFirstLayerAndLatticeSets() throws {
        let random = RandomStream(seed: 7)
        let x = try PointSet.circle.sample(count: 30, dimension: 6, separation: 0.15, random: random)
        let layer = try smallestSeparatingFirstLayer(points: x, random: random, maxHyperplanes: 10_000)
        #expect(try PackedBits.signs(points: x, normals: layer).rowsDistinct)
        var fewer = Matrix(rows: layer.rows, columns: layer.columns - 1)
        for j in 0..<fewer.columns { for r in 0..<layer.rows { fewer[r, j] = layer[r, j] } }
        #expect(try !PackedBits.signs(points: x, normals: fewer).rowsDistinct)
        for kind in [PointSet.circle, .torus] {
            let y = try kind.sample(count: 20, dimension: 6, separation: 0.3, random: random)
            #expect(abs(try minimumDistance(y) - 0.3) < 1e-9)
        }
    }
}
