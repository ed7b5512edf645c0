import ClaimCore
import Testing
@testable import ContrastiveMinibatch

/// Every claim holds at quick scale and every negative control is rejected with `violated`.
@Suite struct ContrastiveClaimsTests {

    @Test(arguments: ContrastiveMinibatchClaims.all.map(\.id))
    func holdsAtQuickScale(id: String) throws {
        let claim = try #require(ContrastiveMinibatchClaims.all.first { $0.id == id })
        let report = QuickRuns.run(claim)
        #expect(report.verdict == .holds, "\(report.reason)")
        #expect(report.checks.count >= 2)
        #expect(!report.table.rows.isEmpty)
    }

    @Test(arguments: ContrastiveMinibatchClaims.all.map(\.id))
    func controlsAreRejected(id: String) throws {
        let claim = try #require(ContrastiveMinibatchClaims.all.first { $0.id == id })
        #expect(!claim.controls.isEmpty)
        for control in claim.controls {
            let report = QuickRuns.run(claim, control: control)
            #expect(report.verdict == .violated, "\(control.id): \(report.reason)")
        }
    }

    /// The measured values sit next to the closed forms the spec gives (T1, T2, T3, T5).
    @Test func quickScaleNumbersMatchTheSpec() throws {
        let c1 = QuickRuns.run(FullBatchETF())
        #expect(c1.checks[0].measured <= 1e-8 && c1.checks[1].measured <= 1e-6)
        let c3 = QuickRuns.run(AllBatchesETF())
        // boundary gap: 𝓛_all(decagon) − 𝓛_all(doubled pentagon) = 0.6500652 − 0.6499354 (spec T5)
        #expect(abs(c3.checks[3].measured - (0.6500652 - 0.6499354)) < 2e-7)
        let c4 = QuickRuns.run(StrictSubset())
        #expect(c4.checks[2].measured > 0.05)
    }
}
