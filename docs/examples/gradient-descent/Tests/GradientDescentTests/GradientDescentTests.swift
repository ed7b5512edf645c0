import ClaimCore
import GradientDescent
import Testing

/// What only this family checks: the bound is attained on the slowest eigenvector, not merely respected.
@Test func slowestEigenvectorAttainsTheBound() {
    let report = QuickRuns.run(GradientDescentContraction())
    #expect(report.checks.contains { $0.name == "ratio on the slowest eigenvector" && $0.verdict == .holds })
}
