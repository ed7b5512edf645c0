import Foundation
import Testing
@testable import ClaimCore

/// A synthetic claim whose measurement is y = C·K^exponent·(1 + noise); the statement predicts `predicted`.
struct SyntheticPowerLaw: Claim {
    let id = "synthetic.power-law"
    let family = Family.permutationSGD
    let citation = Citation(title: "Synthetic", authors: "Test", venue: "none")
    let statement = "y decays like K^predicted"
    let guarantee = Guarantee.tight
    let parameters = [ParameterSpec("epochs", .integers(1...1_000_000, minCount: 3, increasing: true), "K values")]
    let controls = [NegativeControl(id: "wrong", description: "measures K^(exponent+1)")]
    var exponent = -2.0
    var predicted = -2.0
    var poison: Double? = nil
    var failure: (any Error)? = nil

    func run(_ context: RunContext) throws -> Report {
        if let failure { throw failure }
        let sizes = try context.parameters.ints("epochs").map(Double.init)
        let e = context.isControl("wrong") ? exponent + 1 : exponent
        var estimates: [MeanEstimate] = []
        var table = Table(columns: ["K", "mean"])
        for (i, k) in sizes.enumerated() {
            let random = RandomStream(context.streams.child(i))
            let samples = (0..<50).map { _ in pow(k, e) * (1 + 0.05 * random.gaussian()) }
            let estimate = try MeanEstimate(samples)
            estimates.append(estimate)
            table.append([.real(k), .real(poison ?? estimate.mean)])
        }
        let fit = try PowerLawFit(sizes: sizes, estimates: estimates)
        var plot = Plot(title: "synthetic", xLabel: "K", yLabel: "y")
        plot.addPowerLaw(name: "y", sizes: sizes, estimates: estimates, fit: fit, predictedExponent: predicted, colour: 0)
        return Report(claimID: id, control: context.control, checks: [.exponent("slope", fit: fit, predicted: predicted, tolerance: 0.2)],
                      table: table, plot: plot)
    }
}

func context(_ claim: any Claim, control: NegativeControl? = nil, seed: UInt64 = 1) throws -> (ClaimRunner, Parameters) {
    let params = try ConfigLoader.parse("claim: \(claim.id)\nquick:\n  epochs: [10, 20, 40, 80, 160]\nfull:\n  epochs: [10, 20, 40]\n",
                                        claim: claim, scale: .quick, file: "synthetic.yaml")
    return (ClaimRunner(experimentsRoot: URL(fileURLWithPath: "/nonexistent"), scale: .quick, masterSeed: seed), params)
}

@Suite struct VerdictTests {
    @Test func correctPredictionHoldsAndControlIsViolated() throws {
        let claim = SyntheticPowerLaw()
        let (runner, params) = try context(claim)
        #expect(runner.run(claim, parameters: params).verdict == .holds)
        #expect(runner.run(claim, parameters: params, control: claim.controls[0]).verdict == .violated)
    }

    @Test func wrongPredictionIsViolated() throws {
        let claim = SyntheticPowerLaw(exponent: -1, predicted: -2)
        let (runner, params) = try context(claim)
        let report = runner.run(claim, parameters: params)
        #expect(report.verdict == .violated)
        #expect(report.reason.contains("lies outside"))
    }

    @Test func nanMeasurementIsErrorNeverHolds() throws {
        let claim = SyntheticPowerLaw(poison: .nan)
        let (runner, params) = try context(claim)
        let report = runner.run(claim, parameters: params)
        #expect(report.verdict == .error)
        #expect(report.reason.contains("NaN"))
    }

    @Test func thrownLapackFailureIsError() throws {
        let claim = SyntheticPowerLaw(failure: NumericsError.lapack(routine: "dpotrf", info: 3))
        let (runner, params) = try context(claim)
        let report = runner.run(claim, parameters: params)
        #expect(report.verdict == .error)
        #expect(report.reason.contains("dpotrf"))
    }

    @Test func checkRulesAreThreeValued() {
        let window = Check.exponent("s", estimate: -2.05, interval: Interval(-2.1, -2.0), predicted: -2, tolerance: 0.3)
        #expect(window.verdict == .holds)
        #expect(Check.exponent("s", estimate: -1, interval: Interval(-1.1, -0.9), predicted: -2, tolerance: 0.3).verdict == .violated)
        #expect(Check.exponent("s", estimate: -2, interval: Interval(-2.5, -1.5), predicted: -2, tolerance: 0.3).verdict == .inconclusive)
        #expect(Check.exponent("s", estimate: -1.6, interval: Interval(-1.75, -1.45), predicted: -2, tolerance: 0.3).verdict == .inconclusive)
        #expect(Check.exponent("s", estimate: .nan, interval: Interval(-1, 1), predicted: -2, tolerance: 0.3).verdict == .error)
        #expect(Check.atMost("b", measured: 1, interval: Interval(0.9, 1.1), bound: 2).verdict == .holds)
        #expect(Check.atMost("b", measured: 3, interval: Interval(2.5, 3.5), bound: 2).verdict == .violated)
        #expect(Check.atLeast("b", measured: 1.9, interval: Interval(1.5, 2.5), bound: 2).verdict == .inconclusive)
        #expect(Check.close("c", measured: 1 + 1e-13, expected: 1, relativeTolerance: 1e-12).verdict == .holds)
        #expect(Check.close("c", measured: 1 + 1e-3, expected: 1, relativeTolerance: 1e-12).verdict == .violated)
        #expect(Check.close("c", measured: .infinity, expected: 1, relativeTolerance: 1e-12).verdict == .error)
        #expect(Report(claimID: "x", control: nil, checks: [], table: Table(columns: [])).verdict == .error)
    }

    @Test func outputsAreByteIdenticalForTheSameSeedAndDifferForAnother() throws {
        let claim = SyntheticPowerLaw()
        let (runner, params) = try context(claim)
        func render(_ r: ClaimRunner) -> RenderedResult {
            ResultRenderer.render(r.run(claim, parameters: params), claim: claim, scale: .quick, masterSeed: r.masterSeed)
        }
        let first = render(runner), second = render(runner)
        #expect(first.markdown == second.markdown && first.csv == second.csv && first.svg == second.svg)
        let other = render(ClaimRunner(experimentsRoot: runner.experimentsRoot, scale: .quick, masterSeed: 2))
        #expect(other.csv != first.csv)
        #expect(first.svg?.hasPrefix("<svg") == true)
    }
}

@Suite struct ConfigTests {
    let claim = SyntheticPowerLaw()

    func problem(_ yaml: String) -> String? {
        do {
            _ = try ConfigLoader.parse(yaml, claim: claim, scale: .quick, file: "c.yaml")
            return nil
        } catch let error as ConfigError {
            return error.description
        } catch {
            return "unexpected \(error)"
        }
    }

    @Test func validConfigParses() throws {
        #expect(problem("claim: synthetic.power-law\nquick:\n  epochs: [1, 2, 3]\n") == nil)
    }

    @Test(arguments: [
        ("", "empty file"),
        ("claim: synthetic.power-law\n", "missing section"),
        ("claim: other.id\nquick:\n  epochs: [1, 2, 3]\n", "names other.id"),
        ("claim: synthetic.power-law\nquick:\n  epochs: [1, 2]\n", "a list of 2"),
        ("claim: synthetic.power-law\nquick:\n  epochs: [3, 2, 1]\n", "not strictly increasing"),
        ("claim: synthetic.power-law\nquick:\n  epochs: [1, -2, 3]\n", "got -2"),
        ("claim: synthetic.power-law\nquick:\n  epochs: [1, nan, 3]\n", "got 'nan'"),
        ("claim: synthetic.power-law\nquick:\n  epochs: 5\n", "expected a list"),
        ("claim: synthetic.power-law\nquick:\n  epochs: [1, 2, 3]\n  epoch: 4\n", "unknown key"),
        ("claim: synthetic.power-law\nquick: [1, 2]\n", "expected a mapping"),
        ("claim: synthetic.power-law\nquick:\n  epochs: [1, 2, 3\n", "malformed YAML"),
        ("claim: synthetic.power-law\nsized: 3\n", "unknown top-level key"),
        ("\u{0}\u{1}\u{2}", "binary data"),
    ])
    func badConfigGivesOneLineNamingTheProblem(yaml: String, expected: String) {
        let message = problem(yaml)
        #expect(message?.contains(expected) == true, "got: \(message ?? "no error")")
        #expect(message?.contains("\n") == false)
    }
}

@Suite struct AtomicWriteTests {
    @Test func writeReplacesWholeFileAndLeavesNoTemporary() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("claimcheck-atomic-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let target = folder.appendingPathComponent("a.md")
        try writeAtomically("old", to: target)
        try writeAtomically("new content", to: target)
        #expect(try String(contentsOf: target, encoding: .utf8) == "new content")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["a.md"])
    }
}
