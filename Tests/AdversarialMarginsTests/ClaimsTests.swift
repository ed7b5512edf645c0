import ClaimCore
import Testing
@testable import AdversarialMargins

/// Every claim of the family holds at quick scale, and each of its negative controls is rejected (`violated`) by the
/// same checks. One test per (claim, control) so they run in parallel.
@Suite struct AdversarialMarginsClaimsTests {

    static var units: [String] {
        AdversarialMarginsClaims.all.flatMap { claim in [claim.id] + claim.controls.map { "\(claim.id)#\($0.id)" } }
    }

    @Test(arguments: AdversarialMarginsClaimsTests.units)
    func holdsAndControlsAreRejected(unit: String) throws {
        let parts = unit.split(separator: "#").map(String.init)
        let claim = try #require(AdversarialMarginsClaims.all.first { $0.id == parts[0] })
        if parts.count == 1 {
            let report = QuickRuns.run(claim)
            #expect(report.verdict == .holds, "\(claim.id): \(report.reason)")
            #expect(!report.table.rows.isEmpty)
        } else {
            let control = try #require(claim.controls.first { $0.id == parts[1] })
            let report = QuickRuns.run(claim, control: control)
            #expect(report.verdict == .violated, "\(claim.id) control \(control.id): \(report.verdict.rawValue) — \(report.reason)")
        }
    }

    /// The headline numbers of adv.margin-iterations at quick scale equal the spec's reference runs exactly.
    @Test func marginIterationsReproduceTheReferenceCounts() throws {
        let report = QuickRuns.run(MarginIterations())
        let references = report.checks.filter { $0.name.contains("vs spec") }
        #expect(references.count == 4)
        for check in references { #expect(check.measured == check.predicted, "\(check.name): \(check.measured)") }
    }
}
