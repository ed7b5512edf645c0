import ClaimCore
import Testing
@testable import AdversarialMargins

/// Family-specific assertions on the quick-scale reports. That every claim holds and every control is violated is
/// asserted registry-wide in Tests/RegistryTests (FalsifiabilityTests), on the same shared reports (`QuickRuns`).
@Suite struct AdversarialMarginsClaimsTests {
    /// The headline numbers of adv.margin-iterations at quick scale equal the spec's reference runs exactly.
    @Test func marginIterationsReproduceTheReferenceCounts() throws {
        let report = QuickRuns.run(MarginIterations())
        let references = report.checks.filter { $0.name.contains("vs spec") }
        #expect(references.count >= 4)
        for check in references { #expect(check.measured == check.predicted, "\(check.name): \(check.measured)") }
    }
}
