import ArgumentParser
import ClaimCore
import ClaimRegistry
import Foundation

extension ClaimCheckCommand {
    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run claims and print the verdict table. Exit 1 if any claim is violated or errors.")

        @Argument(help: "Claim ids (default: all).")
        var ids: [String] = []

        @Option(help: "Sweep scale: quick (seconds) or full (the results/ scale).")
        var scale: Scale = .quick

        @Flag(help: "Also run every negative control; each must come out violated.")
        var controls = false

        @Flag(help: "Print progress lines on stderr.")
        var progress = false

        @Option(help: "Output format: text (a table for the terminal) or json (one JSON document on stdout; progress stays on stderr).")
        var format: OutputFormat = .text

        @Option(help: "Seed robustness: rerun every claim and control under this many master seeds (seed, seed+1, …) and count verdicts.")
        var seeds: Int?

        @Option(help: "With --seeds: also write the robustness table (Markdown) to this file.")
        var robustnessOutput: String?

        @OptionGroup var common: CommonOptions

        func validate() throws {
            if let seeds, seeds < 1 || seeds > 10_000 { throw ValidationError("--seeds must be between 1 and 10000, got \(seeds)") }
            if robustnessOutput != nil, seeds == nil { throw ValidationError("--robustness-output needs --seeds") }
            if format == .json, seeds != nil { throw ValidationError("--format json cannot be combined with --seeds") }
        }

        func run() throws {
            if let seeds { return try runRobustness(seedCount: seeds) }
            try guarded {
                let claims = try selectClaims(ids)
                let runner = ClaimRunner(experimentsRoot: common.experimentsRoot, scale: scale, masterSeed: common.seed,
                                         onProgress: progressPrinter(enabled: progress))
                let parameters = try loadParameters(claims, runner: runner)
                var failed = false
                var records: [ClaimRecord] = []
                let width = max(10, claims.map(\.id.count).max() ?? 10) + 2
                if format == .text { print(pad("claim", width) + pad("verdict", 14) + "evidence") }
                for (claim, params) in zip(claims, parameters) {
                    let report = runner.run(claim, parameters: params)
                    if report.verdict >= .violated { failed = true }
                    if format == .text { print(pad(claim.id, width) + pad(report.verdict.rawValue, 14) + report.reason) }
                    var controlReports: [Report]? = nil
                    if controls {
                        controlReports = claim.controls.map { runner.run(claim, parameters: params, control: $0) }
                        for r in controlReports! {
                            if r.verdict != .violated { failed = true }
                            guard format == .text else { continue }
                            let mark = r.verdict == .violated ? "rejected as it must be" : "NOT REJECTED"
                            print("  ↳ control \(r.control?.id ?? "?"): \(r.verdict.rawValue) — \(mark): \(r.reason)")
                        }
                    }
                    records.append(ClaimRecord(claim: claim, parameters: params, report: report, controls: controlReports))
                }
                if format == .json {
                    do { print(try jsonDocument(VerificationDocument(scale: scale, seed: common.seed, claims: records))) } catch {
                        throw UsageFailure("cannot encode the JSON document: \(error)", code: 1)
                    }
                }
                if failed { throw UsageFailure("some claims did not hold (or a control was not rejected)", code: 1) }
            }
        }
    }
}
