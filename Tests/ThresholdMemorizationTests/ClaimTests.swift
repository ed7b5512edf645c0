import ClaimCore
import Testing
@testable import ThresholdMemorization

/// Every claim of the family holds at quick scale, and each of its negative controls is rejected (`violated`).
@Suite struct ThresholdClaimTests {

    static var units: [String] {
        ThresholdMemorizationClaims.all.flatMap { claim in [claim.id] + claim.controls.map { "\(claim.id)#\($0.id)" } }
    }

    @Test(arguments: ThresholdClaimTests.units)
    func claimHoldsAndControlsAreRejected(unit: String) throws {
        let parts = unit.split(separator: "#").map(String.init)
        let claim = try #require(ThresholdMemorizationClaims.all.first { $0.id == parts[0] })
        if parts.count == 1 {
            let report = QuickRuns.run(claim)
            #expect(report.verdict == .holds, "\(claim.id): \(report.verdict.rawValue) — \(report.reason)")
            #expect(!report.table.rows.isEmpty)
            // Fitted exponents sit near their predictions, not merely inside the window's far edge.
            for check in report.checks where check.rule.hasPrefix("|exponent") {
                #expect(abs(check.measured - check.predicted) < 0.08, "\(check.name): \(check.measured)")
            }
        } else {
            let control = try #require(claim.controls.first { $0.id == parts[1] })
            let report = QuickRuns.run(claim, control: control)
            #expect(report.verdict == .violated, "\(claim.id) control \(control.id): \(report.verdict.rawValue) — \(report.reason)")
        }
    }
}
