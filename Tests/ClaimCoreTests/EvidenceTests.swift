import Foundation
import Testing
@testable import ClaimCore

/// The role rules of issue 13: what a verdict may rest on.
@Suite struct EvidenceTests {
    let table = Table(columns: ["x"], rows: [[.real(1)]])
    let claimHolds = Check.exponent("rate", estimate: -2.02, interval: Interval(-2.1, -1.95), predicted: -2, tolerance: 0.3, variable: "K", alternatives: [-1])

    func report(_ checks: [Check]) -> Report { Report(claimID: "x", control: nil, checks: checks, table: table) }

    @Test func failedSanityCheckIsErrorNotViolated() {
        let sanity = Check.exact("identity", holds: false, detail: "broken").as(.sanity)
        #expect(report([claimHolds, sanity]).verdict == .error)
        #expect(report([claimHolds, sanity]).reason.contains("sanity"))
        let inconclusiveRegression = Check.atMost("recorded", measured: 1.9, interval: Interval(1.5, 2.5), bound: 2).as(.regression)
        #expect(report([claimHolds, inconclusiveRegression]).verdict == .error)
    }

    @Test func sanityAndRegressionAloneCannotHold() {
        let sanity = Check.exact("identity", holds: true, detail: "ok").as(.sanity)
        let regression = Check.close("recorded count", measured: 207, expected: 207, relativeTolerance: 0).as(.regression)
        #expect(report([regression]).verdict == .inconclusive)
        #expect(report([sanity, regression]).verdict == .inconclusive)
        #expect(report([sanity, regression]).reason.contains("no binding claim-role check"))
        #expect(report([claimHolds, sanity, regression]).verdict == .holds)
        let construction = Check.exact("layer count", holds: true, detail: "3 + T").as(.construction)
        #expect(report([construction]).verdict == .inconclusive)
        #expect(report([claimHolds, construction]).verdict == .holds)
    }

    @Test func anInconclusiveClaimCheckIsNeverCountedAsHolds() {
        let noisy = Check.exponent("noisy", estimate: -2, interval: Interval(-2.5, -1.5), predicted: -2, tolerance: 0.3)
        #expect(noisy.verdict == .inconclusive)
        #expect(report([claimHolds, noisy]).verdict == .inconclusive)
        let violatedConstruction = Check.exact("width", holds: false, detail: "5d + 2 ≠ 4d + 3").as(.construction)
        #expect(report([claimHolds, violatedConstruction]).verdict == .violated)
    }

    @Test func oneSidedChecksMoreThanTenfoldInsideTheirBoundAreNonBinding() {
        let loose = Check.atMost("ratio", measured: 0.07, bound: 1)
        #expect(loose.verdict == .holds && !loose.binding && !loose.isEvidence)
        #expect(report([loose]).verdict == .inconclusive)
        #expect(Check.atMost("ratio", measured: 0.2, bound: 1).binding)
        #expect(!Check.atLeast("floor", measured: 0.5, bound: 1e-6).binding)
        #expect(Check.atLeast("floor", measured: 5, bound: 1).binding)
        #expect(!Check.atMost("negative", measured: -50, bound: -1).binding)
        #expect(Check.atMost("negative", measured: -5, bound: -1).binding)
        #expect(!Check.atLeast("gap", measured: 20, bound: 0, scale: 1).binding)
        #expect(Check.atLeast("gap", measured: 0.2, bound: 0, scale: 1).binding)
        #expect(Check.atMost("violated", measured: 3, bound: 1).binding)
        #expect(report([claimHolds, loose]).evidence.nonBinding == 1)
    }

    @Test func oneSidedChecksOfANaNMeasurementAreErrors() {
        for check in [Check.atMost("b", measured: .nan, bound: 1), Check.atLeast("b", measured: .nan, bound: 1),
                      Check.atMost("b", measured: 0.5, interval: Interval(.nan, 1), bound: 1), Check.atLeast("b", measured: 1, bound: .nan)] {
            #expect(check.verdict == .error)
        }
        #expect(report([claimHolds, Check.atMost("b", measured: .nan, bound: 1)]).verdict == .error)
    }

    @Test func alternativesInsideTheWindowAreReported() {
        #expect(claimHolds.window == Interval(-2.3, -1.7))
        #expect(claimHolds.alternativesInsideWindow.isEmpty)
        let wide = Check.exponent("too wide", estimate: -2.5, interval: Interval(-2.6, -2.4), predicted: -2.5, tolerance: 0.75, alternatives: [-2, -3])
        #expect(wide.alternativesInsideWindow == [-2, -3])
    }

    @Test func rolesAndAlternativesSurviveTheJSONRoundTrip() throws {
        let check = claimHolds.as(.claim).withoutAlternative("none")
        let decoded = try JSONDecoder().decode(Check.self, from: try JSONEncoder().encode(check))
        #expect(decoded == check)
        let record = CheckRecord(Check.atMost("b", measured: .nan, bound: 1))
        #expect(record.measured == nil)
        let text = try jsonDocument(record)
        #expect(text.contains("\"role\" : \"claim\""))
    }
}

/// A claim whose theorem assumes d ≥ 2: a config outside that hypothesis is refused before anything runs.
struct HypothesisClaim: Claim {
    let id = "synthetic.hypothesis"
    let family = Family.permutationSGD
    let citation = Citation(title: "Synthetic", authors: "Test", venue: "none")
    let source = StatementSource.derived("test fixture")
    let statement = "something about d ≥ 2"
    let guarantee = Guarantee.exact
    let parameters = [ParameterSpec("dimensions", .integers(1...100, minCount: 1, increasing: true), "d values")]
    let controls = [NegativeControl(id: "none", description: "none")]
    func run(_ context: RunContext) throws -> Report { Report.failed(claimID: id, control: nil, reason: "not run in this test") }
    func invalidParameters(_ parameters: Parameters) -> (key: String, problem: String)? {
        (try? parameters.ints("dimensions"))?.contains(where: { $0 < 2 }) == true ? ("dimensions", "Theorem 1 assumes d ≥ 2") : nil
    }
}

@Suite struct HypothesisTests {
    @Test func configOutsideTheHypothesesIsAConfigErrorNamingTheHypothesis() throws {
        let claim = HypothesisClaim()
        let text = "claim: synthetic.hypothesis\nquick:\n  dimensions: [1, 2]\nfull:\n  dimensions: [2, 3]\n"
        #expect(throws: ConfigError.self) { try ConfigLoader.parse(text, claim: claim, scale: .quick, file: "h.yaml") }
        do { _ = try ConfigLoader.parse(text, claim: claim, scale: .quick, file: "h.yaml") } catch let error as ConfigError {
            #expect(error.description.contains("Theorem 1 assumes d ≥ 2"))
        }
        _ = try ConfigLoader.parse(text, claim: claim, scale: .full, file: "h.yaml")
    }
}
