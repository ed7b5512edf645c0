import ClaimCore
import Foundation
import Testing
@testable import PermutationSGD

/// Issue 14: the family's checks tell the cited results from their predecessors (n-exponents with declared
/// alternatives, lower bounds at the best step of a grid that contains its minimiser, exhaustive orderings).
@Suite struct EvidenceTests {

    /// The joint fit recovers both exponents of exact data E = 3·n^(−1)·K^(−3) on a rectangular design.
    @Test func jointFitRecoversExponents() throws {
        let points = GridPoint.grid([16, 32, 64, 128], [8, 12, 16, 24, 32])
        let estimates = try points.map { pt -> MeanEstimate in
            let m = 3 / (Double(pt.n) * pow(Double(pt.k), 3))
            return try MeanEstimate([m * 0.98, m * 1.02])
        }
        let fit = try JointPowerLawFit(first: points.map { Double($0.n) }, second: points.map { Double($0.k) }, estimates: estimates)
        #expect(abs(fit.firstExponent + 1) < 1e-10 && abs(fit.secondExponent + 3) < 1e-10)
        #expect(abs(fit.constant - 3) < 1e-9)
    }

    /// With noise the CI covers the truth and its half-width shrinks like 1/√(runs) — a fit that ignores the
    /// weights or the covariance would not.
    @Test func jointFitIntervalsCoverTheTruth() throws {
        let random = RandomStream(seed: 7)
        let points = GridPoint.grid([8, 16, 32, 64], [10, 20, 40, 80, 160])
        let estimates = try points.map { pt -> MeanEstimate in
            let m = 1 / (Double(pt.n * pt.n) * Double(pt.k * pt.k))
            return try MeanEstimate((0..<200).map { _ in m * (1 + 0.5 * random.gaussian()) })
        }
        let fit = try JointPowerLawFit(first: points.map { Double($0.n) }, second: points.map { Double($0.k) }, estimates: estimates)
        #expect(fit.firstInterval.contains(-2) && fit.secondInterval.contains(-2))
        #expect(fit.firstInterval.halfWidth < 0.05 && fit.secondInterval.halfWidth < 0.05)
    }

    /// At least three claims test an n-exponent (claim role, variable "n") whose alternatives lie outside its window.
    @Test func threeClaimsDiscriminateInN() {
        let claims: [any Claim] = [SkewedLowerBound(), RRRegimes(), SchemeComparison(), FlipFlop()]
        let discriminating = claims.filter { claim in
            QuickRuns.run(claim).checks.contains { $0.role == .claim && $0.variable == "n" && $0.window != nil && !$0.alternatives.isEmpty && $0.alternativesInsideWindow.isEmpty && $0.verdict == .holds }
        }
        #expect(discriminating.count >= 3, "\(discriminating.map(\.id))")
    }

    /// Each lower-bound claim carries the best-step sanity check (grid of ≥ 8 steps over ≥ 2 decades containing its
    /// minimiser) and a best-step exponent check.
    @Test func lowerBoundsAreTestedAtTheBestStep() {
        for claim in [SkewedLowerBound(), SchemeComparison(), RandomIsOptimal()] as [any Claim] {
            let checks = QuickRuns.run(claim).checks
            #expect(checks.contains { $0.role == .sanity && $0.name.contains("contains its minimiser") && $0.verdict == .holds }, "\(claim.id)")
            #expect(checks.contains { $0.role == .claim && $0.name.contains("best-step error") && $0.binding }, "\(claim.id)")
        }
    }

    @Test func stepGridIsRootTwoSpaced() {
        let grid = stepGrid(from: 0.25, count: 15)
        #expect(grid.count == 15 && abs(grid.last! - 32) < 1e-12 && grid.last! / grid.first! >= 100)
    }

    @Test func allOrdersAreTheDistinctPermutations() {
        let orders = SkewedKicks.allOrders(4)
        #expect(orders.count == 24 && Set(orders).count == 24)
        #expect(orders.allSatisfy { Set($0) == Set([0, 1, 2, 3]) })
    }

    /// Relabelling symmetry: every fixed order gives the same error; the pair search includes IGD and FlipFlop-IGD.
    @Test func exhaustiveSearchReductions() {
        let engine = SkewedKicks(curvature: SkewedCurvature(steep: 4, shallow: 1), dimension: 4, kick: 1)
        let orders = SkewedKicks.allOrders(4)
        #expect(abs(engine.fixedOrderSpread(epochs: 10, stepSize: 0.02, start: 0, orders: orders) - 1) < 1e-12)
        let pair = engine.bestPeriodicPair(epochs: 10, stepSize: 0.02, start: 0, orders: orders)
        let igd = engine.run(epochs: 10, stepSize: 0.02, start: 0, orders: orders) { _, _ in 0 }
        let flipFlop = engine.run(epochs: 10, stepSize: 0.02, start: 0, orders: orders) { k, _ in k % 2 == 0 ? 0 : orders.count - 1 }
        #expect(pair <= igd && pair <= flipFlop)
    }
}
