import ClaimCore
import Testing
@testable import LotterySubsetSum

/// Family-specific assertions on the shared quick-scale reports (holds/violated is asserted registry-wide).
@Suite struct LotteryClaimsTests {
    /// LT1: the counting bound is a sanity check on every instance; the estimate sits in the spec's quick range.
    @Test func luekerCorrectedSlopeAndCountingSanity() {
        let report = QuickRuns.run(LuekerCoverage())
        #expect(report.checks[0].variable == "n" && report.checks[0].alternatives == [0])
        #expect(report.checks[1].role == .sanity && report.checks[1].measured >= 1)
    }

    /// LT2: Dₙ attains 1/(2ⁿ − 1) exactly; the local search comes within 2^n/(2^n − 1)·(search slack) of the bound.
    @Test func countingBoundIsTightAndBinding() {
        let report = QuickRuns.run(CountingBound())
        #expect(report.checks[1].verdict == .holds)
        #expect(report.checks[0].measured >= 1 && report.checks[0].measured < 1.3 && report.checks[0].binding)
    }

    /// LT3 and LT4 declare the Malach-style alternatives outside their windows.
    @Test func logVersusPolyAlternativesAreDeclared() {
        let weight = QuickRuns.run(ReLUWeight())
        #expect(weight.checks[0].alternatives == [0, 1] && weight.checks[0].alternativesInsideWindow.isEmpty)
        let network = QuickRuns.run(NetworkWidth())
        let sweeps = network.checks.compactMap(\.variable)
        #expect(Set(sweeps).isSuperset(of: ["ε", "d", "l"]))
        #expect(network.checks.allSatisfy { $0.alternativesInsideWindow.isEmpty })
    }

    /// LT6: the impossibility bound ½ is attained exactly (g(x) = x or 0 on a half-line).
    @Test func unscaledBinaryNetworksMissByExactlyOneHalf() {
        let report = QuickRuns.run(BinaryNetworks())
        #expect(report.checks[0].measured == 0.5)
        #expect(report.checks[2].role == .construction && report.checks[2].verdict == .holds)
    }

    /// The counting bound LB(ε, d) of LT5 at d = 1 is log₂(1/(4ε)); at d = 2, 2·(1 + 2·log₂(1/(4ε))).
    @Test func countingBoundFormula() {
        #expect(Optimality.countingBound(epsilon: 1.0 / 64, d: 1) == 4)
        #expect(abs(Optimality.countingBound(epsilon: 1.0 / 64, d: 2) - 2 * (1 + 8)) < 1e-12)
    }

    /// The authors' Experiment 1: the stored weights are theirs (regression), their statement is checked at their n,
    /// and the bit-per-coefficient slope declares the single-coefficient alternative 0 outside its window.
    @Test func authorsExperimentReadsTheirNetwork() {
        let report = QuickRuns.run(AuthorsExperiment())
        #expect(report.checks[0].role == .regression && report.checks[0].verdict == .holds)
        #expect(report.checks[1].measured <= 0.01)
        #expect(report.checks[2].variable == "n" && report.checks[2].alternatives == [0] && report.checks[2].alternativesInsideWindow.isEmpty)
        #expect(AuthorsExperiment.coefficientCount(epsilon: 0.01, c: 3) == 21)
        #expect(AuthorsExperiment.coefficientCount(epsilon: 0.01, c: 1) == 7)
    }
}
