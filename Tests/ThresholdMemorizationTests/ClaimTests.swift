import ClaimCore
import Testing
@testable import ThresholdMemorization

/// Family-specific assertions on the quick-scale reports (that every claim holds and every control is violated is
/// asserted registry-wide in Tests/RegistryTests on the same shared reports).
@Suite struct ThresholdClaimTests {
    /// Fitted exponents sit near their predictions, not merely inside the window's far edge.
    @Test(arguments: ThresholdMemorizationClaims.all.map(\.id))
    func fittedExponentsSitNearTheirPredictions(id: String) throws {
        let claim = try #require(ThresholdMemorizationClaims.all.first { $0.id == id })
        let report = QuickRuns.run(claim)
        for check in report.checks where check.rule.hasPrefix("|exponent") {
            #expect(abs(check.measured - check.predicted) < 0.08, "\(check.name): \(check.measured)")
        }
    }
}
