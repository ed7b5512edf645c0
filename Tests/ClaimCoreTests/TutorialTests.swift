// The README's "add a new bound" tutorial, compiled and run against the real API so the README cannot drift.
// The claim below is copied verbatim from README.md (a test fails if the copy differs).
import ClaimCore
import Foundation

/// **GD contracts linearly.** Nesterov (2004), Thm 2.1.15: for f μ-strongly convex and L-smooth, GD with
/// step 1/L has ‖x_k − x*‖² ≤ (1 − μ/L)^k ‖x₀ − x*‖².
public struct GradientDescentContraction: Claim {
    public init() {}
    public let id = "psgd.gd-contraction"
    public let family = Family.permutationSGD
    public let citation = Citation(title: "Introductory Lectures on Convex Optimization", authors: "Yurii Nesterov", venue: "Springer 2004")
    public let statement = "GD with step 1/L contracts ‖x_k − x*‖² at least as fast as (1 − μ/L)^k."
    public let guarantee = Guarantee.upper
    public let parameters = [
        ParameterSpec("dimension", .integer(1...1000), "d"),
        ParameterSpec("steps", .integers(1...100_000, minCount: 5, increasing: true), "iteration counts k"),
        ParameterSpec("seeds", .integer(5...10_000), "random instances"),
    ]
    public let controls = [NegativeControl(id: "step-too-large", description: "step 2.5/L diverges")]

    public func run(_ context: RunContext) throws -> Report {
        let d = try context.parameters.int("dimension")
        let steps = try context.parameters.ints("steps")
        let seeds = try context.parameters.int("seeds")
        // experiment: one instance per seed, each from its own stream; record the worst ratio to the bound
        let worst = try parallelMap(seeds) { seed -> Double in
            let random = RandomStream(context.streams.child(seed))
            let q = try random.orthogonalMatrix(d)
            let eigenvalues = (0..<d).map { 1 + 9 * Double($0) / Double(max(1, d - 1)) }   // μ = 1, L = 10
            let a = q * Matrix.diagonal(eigenvalues) * q.transposed
            let step = (context.isControl("step-too-large") ? 2.5 : 1) / 10
            var x = random.gaussians(d)
            let start = Vector.dot(x, x)
            var ratio = 0.0, k = 0
            for target in steps {
                while k < target { Vector.axpy(-step, a * x, &x); k += 1 }
                ratio = max(ratio, Vector.dot(x, x) / (pow(0.9, Double(k)) * start))
            }
            return ratio
        }
        var table = Table(columns: ["seed", "max ratio to bound"])
        for (seed, ratio) in worst.enumerated() { table.append([.integer(seed), .real(ratio)]) }
        // check: the bound is an upper bound, so measured/bound ≤ 1 (+ rounding)
        let check = Check.atMost("max ‖x_k−x*‖²/bound", measured: worst.max()!, bound: 1 + 1e-12)
        return Report(claimID: id, control: context.control, checks: [check], table: table)
    }
}

import Testing

@Suite struct TutorialTests {
    static let config = """
        claim: psgd.gd-contraction
        quick:
          dimension: 10
          steps: [10, 20, 40, 80, 160]
          seeds: 20
        full:
          dimension: 100
          steps: [10, 20, 40, 80, 160, 320]
          seeds: 200
        """

    @Test func tutorialClaimHoldsAndItsControlIsViolated() throws {
        let claim = GradientDescentContraction()
        let params = try ConfigLoader.parse(Self.config, claim: claim, scale: .quick, file: "gd-contraction.yaml")
        let runner = ClaimRunner(experimentsRoot: URL(fileURLWithPath: "/nonexistent"), scale: .quick)
        let report = runner.run(claim, parameters: params)
        #expect(report.verdict == .holds, "\(report.reason)")
        for control in claim.controls { #expect(runner.run(claim, parameters: params, control: control).verdict == .violated) }
    }

    @Test func readmeStillContainsThisCode() throws {
        let readme = try String(contentsOf: locatePackageRoot().appendingPathComponent("README.md"), encoding: .utf8)
        let source = try String(contentsOfFile: #filePath, encoding: .utf8)
        let start = source.range(of: "/// **GD contracts linearly.**")!.lowerBound
        let end = source.range(of: "\nimport Testing")!.lowerBound
        let indented = source[start..<end].split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.isEmpty ? "" : "   " + $0 }.joined(separator: "\n")
        #expect(readme.contains(indented.trimmingCharacters(in: .newlines)))
    }
}
