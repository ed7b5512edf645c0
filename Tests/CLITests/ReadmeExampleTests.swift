import ClaimCore
import Foundation
import Testing

/// README's tutorial and "Check a bound from your own package" show the example package docs/examples/gradient-descent
/// verbatim: every code block after `<!-- example: PATH -->` is the file PATH of the example. The example's claim and
/// family files are also compiled into this test target (Tests/CLITests/Tutorial/ links to them) and run here, so
/// the tutorial's code compiles and its claim holds inside `swift test`; `scripts/example.sh` builds and tests the
/// whole example package as an outside package would.
@Suite struct ReadmeExampleTests {
    static let example = locatePackageRoot().appendingPathComponent("docs/examples/gradient-descent")

    @Test func readmeCodeBlocksAreTheExampleFiles() throws {
        let readme = try String(contentsOf: locatePackageRoot().appendingPathComponent("README.md"), encoding: .utf8)
        let marker = "<!-- example: "
        var checked: [String] = []
        for piece in readme.components(separatedBy: marker).dropFirst() {
            let path = try #require(piece.range(of: " -->").map { String(piece[..<$0.lowerBound]) })
            let afterFence = try #require(piece.range(of: "```").flatMap { fence in piece[fence.upperBound...].range(of: "\n") })
            let rest = piece[afterFence.upperBound...]
            let block = String(rest[..<(try #require(rest.range(of: "\n```")).lowerBound)])
            let file = try String(contentsOf: Self.example.appendingPathComponent(path), encoding: .utf8)
            #expect(block == file.trimmingCharacters(in: .newlines), "README's block for \(path) differs from docs/examples/gradient-descent/\(path)")
            checked.append(path)
        }
        for path in ["Package.swift", "Sources/gd-claimcheck/main.swift", "Sources/GradientDescent/GradientDescentContraction.swift",
                     "Sources/GradientDescent/GradientDescentClaims.swift", "Tests/GradientDescentTests/GradientDescentXCTests.swift",
                     "Experiments/gradient-descent/contraction.yaml"] {
            #expect(checked.contains(path), "README shows no block for \(path)")
        }
    }

    @Test func tutorialClaimHoldsAndItsControlIsViolated() throws {
        let runner = ClaimRunner(experimentsRoot: Self.example.appendingPathComponent("Experiments"), scale: .quick)
        let claim = GradientDescentContraction()
        let report = runner.run(claim)
        #expect(report.verdict == .holds, "\(report.reason)")
        for control in claim.controls {
            #expect(runner.run(claim, control: control).verdict == .violated)
        }
        #expect(GradientDescentClaims.all.map(\.id) == ["gd.contraction"])
    }

    @Test func tutorialHypothesisRefusesAnUnderflowingSweep() throws {
        let config = try String(contentsOf: Self.example.appendingPathComponent("Experiments/gradient-descent/contraction.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "steps: [1, 10, 50, 200]", with: "steps: [1, 10, 50, 5000]")
        #expect(throws: ConfigError.self) {
            try ConfigLoader.parse(config, claim: GradientDescentContraction(), scale: .quick, file: "contraction.yaml")
        }
    }
}
