import ArgumentParser
import ClaimCore
import Foundation

/// What `verify --help` and `reproduce --help` say about verdicts (lines short enough not to be rewrapped).
let verdictsHelp = """
    Verdicts:
      holds         a binding claim-role check agrees with the prediction
                    within its tolerance (CI tight enough), none disagrees
      inconclusive  a CI too wide or straddling the window edge, or no
                    binding claim-role evidence at all
      violated      a measurement (its whole CI) disagrees with the prediction
      error         no trustworthy number: NaN/∞, a LAPACK/GSL failure, or a
                    failed sanity or regression check
    """

/// What `verify --help` says about exit codes.
let verifyExitCodes = """
    Exit codes:
      0  every claim holds (or is inconclusive, without --strict) and, with
         --controls, every control is violated
      1  a claim is violated or error, or inconclusive with --strict, or a
         control was not rejected
      2  bad input: an unknown id or option, a malformed value, a config or
         --set value outside its range or the theorem's hypotheses; nothing
         runs and no file is written
    """

/// What `reproduce --help` says about verdicts and exit codes.
let reproduceVerdictsAndExitCodes = verdictsHelp + """


    With --set/--config the results page lists each overridden value next to
    the configured one.

    Exit codes:
      0  results written (whatever the verdicts, except error)
      1  results written, but a claim or control ended in error
      2  bad input: an unknown id or option, a malformed value, a config or
         --set value outside its range or the theorem's hypotheses, an
         unwritable output folder; nothing runs and no file is written
    """

extension ClaimCheckCommand {
    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run claims and print one line per claim and a summary. Exit 1 if any claim is violated or errors.",
            discussion: """
                Each line shows the claim, its verdict and the decisive check in short; --explain ID prints the full \
                checks table with roles, the negative controls and the measurements of one claim. Run a claim at your own \
                parameters with --set key=value (repeatable; lists as key=[1,2,3]) or --config FILE; `claimcheck list \
                --parameters ID` shows each parameter's type, range and configured values.
                """ + "\n\n" + verdictsHelp + "\n\n" + verifyExitCodes)

        @Argument(help: "Claim ids (default: all).")
        var ids: [String] = []

        @Option(help: "Sweep scale: quick (seconds) or full (the results/ scale).")
        var scale: Scale = .quick

        @Flag(help: "Also run every negative control; each must come out violated.")
        var controls = false

        @Flag(help: "Progress on stderr even when stderr is not a terminal (on a terminal it is always shown).")
        var progress = false

        @Option(help: "Output format: text (for the terminal) or json (one JSON document on stdout; progress stays on stderr).")
        var format: OutputFormat = .text

        @Option(help: ArgumentHelp("Explain one claim: the full checks table with roles, its controls and a summary of the measurements.",
                                   valueName: "id"))
        var explain: String?

        @Flag(help: "Explain every claim named (as --explain does for one).")
        var verbose = false

        @Flag(help: "Treat inconclusive as a failure (exit 1).")
        var strict = false

        @OptionGroup var overrides: OverrideOptions

        @Option(help: "Seed robustness: rerun every claim and control under this many master seeds (seed, seed+1, …) and count verdicts.")
        var seeds: Int?

        @Option(help: "With --seeds: also write the robustness table (Markdown) to this file.")
        var robustnessOutput: String?

        @OptionGroup var common: CommonOptions

        func validate() throws {
            if let seeds, seeds < 1 || seeds > 10_000 { throw ValidationError("--seeds must be between 1 and 10000, got \(seeds)") }
            if robustnessOutput != nil, seeds == nil { throw ValidationError("--robustness-output needs --seeds") }
            if format == .json, seeds != nil { throw ValidationError("--format json cannot be combined with --seeds") }
            if seeds != nil, overrides.isActive { throw ValidationError("--set/--config cannot be combined with --seeds") }
            if let explain, !ids.isEmpty, ids != [explain] { throw ValidationError("--explain takes the claim id itself; drop the other ids (or use ID --verbose)") }
            if format == .json, explain != nil || verbose { throw ValidationError("--explain/--verbose print text; drop --format json") }
        }

        /// The claims selected: the explained one, or the ids given (default all).
        var selectedIDs: [String] { explain.map { [$0] } ?? ids }

        func run() throws {
            if let seeds { return try runRobustness(seedCount: seeds) }
            try guarded {
                let claims = try selectClaims(selectedIDs)
                let reporter = ProgressReporter(forced: progress)
                let runner = ClaimRunner(experimentsRoot: common.experimentsRoot, scale: scale, masterSeed: common.seed,
                                         onProgress: reporter.sweepCallback)
                let resolved = try overrides.parameters(claims, runner: runner)
                let explaining = explain != nil || verbose
                let runControls = controls || explaining
                reporter.plan(runs: claims.reduce(0) { $0 + 1 + (runControls ? $1.controls.count : 0) })
                var tally = VerdictTally(strict: strict)
                var records: [ClaimRecord] = []
                let width = min(36, max(10, claims.map(\.id.count).max() ?? 10))
                if format == .text, !explaining, let summary = resolved.first?.overrideSummary {
                    print("parameters: \(summary)")
                }
                for (claim, params) in zip(claims, resolved) {
                    reporter.begin(claim.id)
                    let report = params.annotate(runner.run(claim, parameters: params.parameters))
                    reporter.end()
                    tally.add(report.verdict)
                    var controlReports: [Report]? = nil
                    if runControls {
                        controlReports = claim.controls.map { control in
                            reporter.begin("\(claim.id) control \(control.id)")
                            defer { reporter.end() }
                            return runner.run(claim, parameters: params.parameters, control: control)
                        }
                        for r in controlReports! { tally.addControl(r.verdict) }
                    }
                    reporter.clear()
                    if format == .text {
                        if explaining {
                            print(explanation(claim: claim, report: report, controls: controlReports ?? [], resolved: params, scale: scale))
                        } else {
                            print(claimLine(claim.id, report, idWidth: width))
                            for r in controlReports ?? [] { print(controlLine(r)) }
                        }
                    }
                    records.append(ClaimRecord(claim: claim, parameters: params.parameters, report: report, controls: controlReports,
                                               overrides: params.overridesRecord, configFile: params.configFile))
                }
                reporter.clear()
                switch format {
                case .text: print(tally.summary(elapsed: reporter.elapsed))
                case .json:
                    do { print(try jsonDocument(VerificationDocument(scale: scale, seed: common.seed, claims: records))) } catch {
                        throw UsageFailure("cannot encode the JSON document: \(error)", code: 1)
                    }
                }
                if let failure = tally.failure { throw UsageFailure(failure, code: 1) }
            }
        }
    }
}

/// Counts of verdicts over a run, and whether the run failed.
struct VerdictTally {
    let strict: Bool
    var claims: [Verdict: Int] = [:]
    var controlsRun = 0
    var controlsViolated = 0

    mutating func add(_ v: Verdict) { claims[v, default: 0] += 1 }

    mutating func addControl(_ v: Verdict) {
        controlsRun += 1
        if v == .violated { controlsViolated += 1 }
    }

    /// "34 claims: 31 holds, 2 inconclusive, 1 violated · controls 40/40 violated · 12 s".
    func summary(elapsed: Double) -> String {
        let total = claims.values.reduce(0, +)
        let counts = Verdict.allCases.compactMap { v in claims[v].map { "\($0) \(v.rawValue)" } }.joined(separator: ", ")
        var line = "\(total) claim\(total == 1 ? "" : "s"): \(counts.isEmpty ? "none run" : counts)"
        if controlsRun > 0 { line += " · controls \(controlsViolated)/\(controlsRun) violated" }
        return line + " · \(seconds(elapsed))"
    }

    /// The one-line reason for exit 1, or nil.
    var failure: String? {
        let bad = (claims[.violated] ?? 0) + (claims[.error] ?? 0)
        var reasons: [String] = []
        if bad > 0 { reasons.append("\(bad) claim\(bad == 1 ? "" : "s") violated or error") }
        if strict, let n = claims[.inconclusive], n > 0 { reasons.append("\(n) inconclusive (--strict)") }
        if controlsViolated < controlsRun { reasons.append("\(controlsRun - controlsViolated) control(s) not rejected") }
        return reasons.isEmpty ? nil : reasons.joined(separator: "; ")
    }
}

/// One line per claim, at most 100 columns: id, verdict, the decisive check in short.
func claimLine(_ id: String, _ report: Report, idWidth: Int) -> String {
    let head = pad(fit(id, idWidth), idWidth) + "  " + pad(report.verdict.rawValue, 12) + "  "
    return head + decisiveSummary(report, width: 100 - head.count)
}

/// "  ↳ control <id>: violated (rejected) — <decisive check>", at most 100 columns.
func controlLine(_ report: Report) -> String {
    let mark = report.verdict == .violated ? "rejected" : "NOT REJECTED"
    let head = fit("  ↳ control \(report.control?.id ?? "?"): \(report.verdict.rawValue) (\(mark))", 60)
    return head + " — " + decisiveSummary(report, width: max(20, 97 - head.count))
}

/// The check that decides the verdict: for `error`, the failed sanity/regression check or the failed measurement;
/// otherwise the worst claim/construction check (for `holds`, a binding claim-role check that holds).
func decisiveCheck(_ report: Report) -> Check? {
    let checks = report.checks
    switch report.verdict {
    case .error:
        return checks.first { ($0.role == .sanity || $0.role == .regression) && $0.verdict != .holds } ?? checks.first { $0.verdict == .error }
    case .holds:
        return checks.first(where: \.isEvidence)
    case .inconclusive, .violated:
        let deciding = checks.filter { $0.role == .claim || $0.role == .construction }
        return deciding.first { $0.verdict == report.verdict } ?? deciding.first
    }
}

/// "name: measured [CI] vs window" within `width` columns (the name is shortened first, so the numbers stay), or
/// "name: reason" when the check has no number; the report's reason when no single check decides.
func decisiveSummary(_ report: Report, width: Int = 1000) -> String {
    guard let c = decisiveCheck(report) else { return fit(report.reason, width) }
    if report.verdict == .inconclusive, !report.checks.contains(where: \.isEvidence), c.verdict == .holds {
        return fit("no binding claim-role check (\(c.name): \(c.reason))", width)
    }
    // Exact, one-sided and failed checks state measurement and bound in their reason already.
    let numbers = c.window == nil || c.verdict == .error || !c.measured.isFinite ? c.reason : measuredText(c)
    let full = c.window == nil ? "\(c.name): \(numbers)" : "\(c.name): \(numbers) — \(c.reason)"
    if full.count <= width { return full }
    // Shorten the name first, so the numbers stay.
    return fit(fit(c.name, max(12, width - numbers.count - 2)) + ": " + numbers, width)
}

/// "−2.03 [−2.1, −1.96] in [−2.3, −1.7]" / "0.97 ≤ 1": the measurement with its CI against the window or bound.
func measuredText(_ c: Check) -> String {
    var s = formatShort(c.measured)
    if let i = c.interval { s += " [\(formatShort(i.lower)), \(formatShort(i.upper))]" }
    if let w = c.window { s += " vs [\(formatShort(w.lower)), \(formatShort(w.upper))]" } else if c.rule.hasPrefix("measured ") {
        s += " vs " + c.rule.dropFirst("measured ".count)
    }
    return s
}
