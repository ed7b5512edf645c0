import ArgumentParser
import ClaimCore
import ClaimRegistry
import Foundation

/// `claimcheck`: list, verify and reproduce the registered claims.
public struct ClaimCheckCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "claimcheck",
        abstract: "Executable, falsifiable checks of published machine-learning theory.",
        subcommands: [List.self, Verify.self, Reproduce.self, Merge.self],
        defaultSubcommand: List.self)

    public init() {}
}

/// A user-facing failure: one line on stderr, then exit with `code`.
struct UsageFailure: Error, CustomStringConvertible {
    let description: String
    let code: Int32
    init(_ description: String, code: Int32 = 2) {
        self.description = description
        self.code = code
    }
}

struct CommonOptions: ParsableArguments {
    @Option(help: "Master seed for every random stream (same seed ⇒ identical numbers).")
    var seed: UInt64 = defaultMasterSeed

    @Option(help: "Folder holding the package's Experiments/ configs (default: found from the working directory).")
    var root: String?

    var packageRoot: URL { root.map { URL(fileURLWithPath: $0) } ?? locatePackageRoot() }
    var experimentsRoot: URL { packageRoot.appendingPathComponent("Experiments") }
}

extension Scale: ExpressibleByArgument {}

/// Resolves ids to claims; an unknown id is a usage failure naming the valid ids.
func selectClaims(_ ids: [String], family: String? = nil) throws -> [any Claim] {
    var claims = Registry.claims
    if let family {
        guard let f = Family.all.first(where: { $0.folder == family || $0.prefix == family }) else {
            throw UsageFailure("unknown family '\(family)'; known: \(Family.all.map(\.folder).joined(separator: ", "))")
        }
        claims = claims.filter { $0.family == f }
    }
    guard !ids.isEmpty else { return claims }
    return try ids.map { id in
        guard let claim = Registry.claim(id: id) else {
            throw UsageFailure("unknown claim id '\(id)'; run `claimcheck list` to see the \(Registry.claims.count) registered ids")
        }
        return claim
    }
}

/// Validates every selected config before anything runs, so a typo fails fast and nothing is written.
func loadParameters(_ claims: [any Claim], runner: ClaimRunner) throws -> [Parameters] {
    try claims.map { claim in
        do { return try runner.parameters(for: claim) } catch { throw UsageFailure(String(describing: error)) }
    }
}

func printError(_ message: String) {
    FileHandle.standardError.write(Data("claimcheck: error: \(message)\n".utf8))
}

/// Runs `body`, turning a `UsageFailure` into one stderr line and its exit code.
func guarded(_ body: () throws -> Void) throws {
    do { try body() } catch let failure as UsageFailure {
        printError(failure.description)
        throw ExitCode(failure.code)
    }
}

func progressPrinter(enabled: Bool) -> (@Sendable (SweepProgress) -> Void)? {
    guard enabled else { return nil }
    return { p in
        FileHandle.standardError.write(Data("  [\(p.claimID)] \(p.completed)/\(p.total) \(p.message)\n".utf8))
    }
}

/// The README's claims table: id, family, guarantee, statement, source.
func claimsTable(_ claims: [any Claim]) -> String {
    var md = "| id | family | guarantee | statement | source |\n|---|---|---|---|---|\n"
    for claim in claims {
        let source = claim.citation.arXiv.map { "arXiv:\($0)" } ?? claim.citation.venue
        md += "| `\(claim.id)` | \(claim.family.title) | \(claim.guarantee.rawValue) | \(claim.statement.replacingOccurrences(of: "|", with: "\\|")) | \(source) |\n"
    }
    return md
}

func pad(_ s: String, _ width: Int) -> String { s.count >= width ? s : s + String(repeating: " ", count: width - s.count) }

extension ClaimCheckCommand {
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List every registered claim: id, family, citation, statement.")

        @Flag(help: "Print the claims as the Markdown table used in README.md.")
        var markdown = false

        func run() throws {
            if markdown {
                print(claimsTable(Registry.claims), terminator: "")
                return
            }
            for family in Family.all {
                let claims = Registry.claims(in: family)
                guard !claims.isEmpty else { continue }
                print("\(family.title) [\(family.folder)]")
                for claim in claims {
                    print("  \(claim.id)  (\(claim.guarantee.rawValue))")
                    print("      \(claim.statement)")
                    print("      \(claim.citation.text)")
                    print("      controls: \(claim.controls.map(\.id).joined(separator: ", "))")
                }
            }
        }
    }

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

        @Option(help: "Seed robustness: rerun every claim and control under this many master seeds (seed, seed+1, …) and count verdicts.")
        var seeds: Int?

        @Option(help: "With --seeds: also write the robustness table (Markdown) to this file.")
        var robustnessOutput: String?

        @OptionGroup var common: CommonOptions

        func validate() throws {
            if let seeds, seeds < 1 || seeds > 10_000 { throw ValidationError("--seeds must be between 1 and 10000, got \(seeds)") }
            if robustnessOutput != nil, seeds == nil { throw ValidationError("--robustness-output needs --seeds") }
        }

        func run() throws {
            if let seeds { return try runRobustness(seedCount: seeds) }
            try guarded {
                let claims = try selectClaims(ids)
                let runner = ClaimRunner(experimentsRoot: common.experimentsRoot, scale: scale, masterSeed: common.seed,
                                         onProgress: progressPrinter(enabled: progress))
                let parameters = try loadParameters(claims, runner: runner)
                var failed = false
                let width = max(10, claims.map(\.id.count).max() ?? 10) + 2
                print(pad("claim", width) + pad("verdict", 14) + "evidence")
                for (claim, params) in zip(claims, parameters) {
                    let report = runner.run(claim, parameters: params)
                    if report.verdict >= .violated { failed = true }
                    print(pad(claim.id, width) + pad(report.verdict.rawValue, 14) + report.reason)
                    guard controls else { continue }
                    for control in claim.controls {
                        let r = runner.run(claim, parameters: params, control: control)
                        if r.verdict != .violated { failed = true }
                        let mark = r.verdict == .violated ? "rejected as it must be" : "NOT REJECTED"
                        print("  ↳ control \(control.id): \(r.verdict.rawValue) — \(mark): \(r.reason)")
                    }
                }
                if failed { throw UsageFailure("some claims did not hold (or a control was not rejected)", code: 1) }
            }
        }
    }

    struct Reproduce: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Regenerate results/ (Markdown + CSV tables, SVG plots, README index) at full scale.",
            discussion: """
                With --shard I/N (or inside a SLURM job array) only every N-th run (claim or control) is computed and a \
                partial result is written to --partials; `claimcheck merge` then combines the N partials into the same \
                files a single run writes.
                """)

        @Argument(help: "Claim ids (default: all, or all of --family).")
        var ids: [String] = []

        @Option(help: "Only this family (folder name or id prefix).")
        var family: String?

        @Option(help: "Sweep scale.")
        var scale: Scale = .full

        @Option(help: "Output folder (default: <package root>/results).")
        var output: String?

        @Option(help: "Run only shard I of N (I/N, 1 ≤ I ≤ N); default from SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT when set.")
        var shard: String?

        @Option(help: "Folder for partial results of sharded runs.")
        var partials: String = "partials"

        @Flag(help: "With a shard: skip it if its partial result already exists and matches this sweep.")
        var resume = false

        @OptionGroup var common: CommonOptions

        func run() throws {
            try guarded {
                let claims = try selectClaims(ids, family: family)
                let runner = ClaimRunner(experimentsRoot: common.experimentsRoot, scale: scale, masterSeed: common.seed,
                                         onProgress: progressPrinter(enabled: true))
                let parameters = try loadParameters(claims, runner: runner)
                let shardSpec: ShardSpec?
                do {
                    shardSpec = try shard.map { try ShardSpec(parsing: $0) } ?? ShardSpec.fromSLURM(ProcessInfo.processInfo.environment)
                } catch { throw UsageFailure(String(describing: error)) }
                if let shardSpec {
                    return try runShard(shardSpec, claims: claims, parameters: parameters, runner: runner)
                }
                let resultsRoot = output.map { URL(fileURLWithPath: $0) } ?? common.packageRoot.appendingPathComponent("results")
                try prepareOutputFolder(resultsRoot)
                var entries: [(claim: any Claim, report: Report, controls: [Report])] = []
                for (index, (claim, params)) in zip(claims, parameters).enumerated() {
                    FileHandle.standardError.write(Data("[\(index + 1)/\(claims.count)] \(claim.id)\n".utf8))
                    let report = runner.run(claim, parameters: params)
                    let controlReports = claim.controls.map { runner.run(claim, parameters: params, control: $0) }
                    entries.append((claim, report, controlReports))
                }
                try writeResults(entries, resultsRoot: resultsRoot, scale: scale, masterSeed: common.seed)
            }
        }

        /// Computes this shard's units and writes them as one partial result (atomically).
        func runShard(_ spec: ShardSpec, claims: [any Claim], parameters: [Parameters], runner: ClaimRunner) throws {
            let folder = URL(fileURLWithPath: partials)
            let target = folder.appendingPathComponent(spec.fileName)
            let hash = configFingerprint(claims, experimentsRoot: common.experimentsRoot)
            let header = PartialResult(scale: scale, masterSeed: common.seed, configHash: hash, claims: claims.map(\.id), shard: spec, entries: [])
            if resume, let data = FileManager.default.contents(atPath: target.path), let existing = try? PartialResult.decode(data),
               existing.isCompatible(with: header), existing.shard == spec {
                FileHandle.standardError.write(Data("shard \(spec): \(target.path) already complete, skipped (--resume)\n".utf8))
                return
            }
            try prepareOutputFolder(folder)
            let units = WorkUnit.all(claims)
            let mine = units.indices.filter { spec.owns($0) }
            var entries: [PartialResult.Entry] = []
            for (done, u) in mine.enumerated() {
                let unit = units[u]
                let position = claims.firstIndex { $0.id == unit.claimID }!
                let claim = claims[position]
                let control = claim.controls.first { $0.id == unit.control }
                FileHandle.standardError.write(Data("[shard \(spec): \(done + 1)/\(mine.count)] \(unit.claimID)\(unit.control.map { " control \($0)" } ?? "")\n".utf8))
                entries.append(.init(unit: unit, report: runner.run(claim, parameters: parameters[position], control: control)))
            }
            let partial = PartialResult(scale: scale, masterSeed: common.seed, configHash: hash, claims: claims.map(\.id), shard: spec, entries: entries)
            do { try writeAtomically(try partial.encoded(), to: target) } catch {
                throw UsageFailure("cannot write \(target.path): \(error.localizedDescription)")
            }
            print("shard \(spec): \(entries.count) of \(units.count) runs → \(target.path)")
        }
    }

    struct Merge: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Combine the partial results of a sharded `reproduce` into results/ — the same files a single run writes.")

        @Argument(help: "Partial result files (shard-I-of-N.json), one per shard.")
        var files: [String]

        @Option(help: "Output folder (default: <package root>/results).")
        var output: String?

        @OptionGroup var common: CommonOptions

        func run() throws {
            try guarded {
                guard !files.isEmpty else { throw UsageFailure("no partial results given") }
                let partials = try files.map { path -> (name: String, partial: PartialResult) in
                    guard let data = FileManager.default.contents(atPath: path) else { throw UsageFailure("cannot read \(path)") }
                    do { return (path, try PartialResult.decode(data)) } catch {
                        throw UsageFailure("\(path) is not a claimcheck partial result (\(error.localizedDescription))")
                    }
                }
                let reports: [WorkUnit: Report]
                do { reports = try PartialResult.combine(partials) } catch { throw UsageFailure(String(describing: error)) }
                let header = partials[0].partial
                guard let scale = Scale(rawValue: header.scale) else { throw UsageFailure("unknown scale '\(header.scale)' in \(partials[0].name)") }
                let claims = try selectClaims(header.claims)
                let current = configFingerprint(claims, experimentsRoot: common.experimentsRoot)
                if current != header.configHash {
                    FileHandle.standardError.write(Data("warning: the configs under \(common.experimentsRoot.path) changed since the shards ran (hash \(current) vs \(header.configHash))\n".utf8))
                }
                let entries = try claims.map { claim -> (claim: any Claim, report: Report, controls: [Report]) in
                    func report(_ control: String?) throws -> Report {
                        guard let r = reports[WorkUnit(claimID: claim.id, control: control)] else {
                            throw UsageFailure("the partials lack the run of \(claim.id)\(control.map { " control \($0)" } ?? "")")
                        }
                        return r
                    }
                    return (claim, try report(nil), try claim.controls.map { try report($0.id) })
                }
                let resultsRoot = output.map { URL(fileURLWithPath: $0) } ?? common.packageRoot.appendingPathComponent("results")
                try prepareOutputFolder(resultsRoot)
                try writeResults(entries, resultsRoot: resultsRoot, scale: scale, masterSeed: header.masterSeed)
            }
        }
    }
}

func prepareOutputFolder(_ folder: URL) throws {
    let fm = FileManager.default
    do { try fm.createDirectory(at: folder, withIntermediateDirectories: true) } catch {
        throw UsageFailure("cannot create output folder \(folder.path): \(error.localizedDescription)")
    }
    guard fm.isWritableFile(atPath: folder.path) else { throw UsageFailure("output folder \(folder.path) is not writable") }
    removeStaleTemporaries(under: folder)
}

/// Writes every claim's md/csv/svg and the index; exit 1 afterwards if any run ended in `error`.
func writeResults(_ entries: [(claim: any Claim, report: Report, controls: [Report])], resultsRoot: URL, scale: Scale, masterSeed: UInt64) throws {
    for (claim, report, controls) in entries {
        let rendered = ResultRenderer.render(report, claim: claim, scale: scale, masterSeed: masterSeed, controls: controls)
        do { try ResultRenderer.write(rendered, claim: claim, resultsRoot: resultsRoot) } catch {
            throw UsageFailure("cannot write results for \(claim.id) under \(resultsRoot.path): \(error.localizedDescription)")
        }
        print("\(pad(claim.id, 40)) \(report.verdict.rawValue)  (controls: \(controls.map(\.verdict.rawValue).joined(separator: ", ")))")
    }
    let index = ResultIndex.merge(all: Registry.claims, fresh: entries, resultsRoot: resultsRoot)
    do { try writeAtomically(ResultRenderer.index(index, scale: scale, masterSeed: masterSeed), to: resultsRoot.appendingPathComponent("README.md")) } catch {
        throw UsageFailure("cannot write \(resultsRoot.path)/README.md: \(error.localizedDescription)")
    }
    let failures = entries.filter { $0.report.verdict == .error || $0.controls.contains { $0.verdict == .error } }
    if !failures.isEmpty {
        throw UsageFailure("results written, but \(failures.map(\.claim.id).joined(separator: ", ")) ended in error (see the Markdown files)", code: 1)
    }
}

extension ClaimCheckCommand.Verify {
    /// Runs every selected claim and each of its controls under `seedCount` master seeds. Target: every claim holds
    /// under every seed, every control is violated under every seed. Exit 1 otherwise.
    func runRobustness(seedCount: Int) throws {
        try guarded {
            let claims = try selectClaims(ids)
            let base = ClaimRunner(experimentsRoot: common.experimentsRoot, scale: scale, masterSeed: common.seed)
            let parameters = try loadParameters(claims, runner: base)
            var table = "| claim | holds | other verdicts | control | violated (must be all) |\n|---|---|---|---|---|\n"
            var perfect = true
            for (claim, params) in zip(claims, parameters) {
                var claimVerdicts: [Verdict] = []
                var controlVerdicts: [[Verdict]] = Array(repeating: [], count: claim.controls.count)
                for offset in 0..<seedCount {
                    let runner = ClaimRunner(experimentsRoot: common.experimentsRoot, scale: scale, masterSeed: common.seed &+ UInt64(offset))
                    claimVerdicts.append(runner.run(claim, parameters: params).verdict)
                    for (c, control) in claim.controls.enumerated() {
                        controlVerdicts[c].append(runner.run(claim, parameters: params, control: control).verdict)
                    }
                    if progress { FileHandle.standardError.write(Data("  [\(claim.id)] seed \(offset + 1)/\(seedCount)\n".utf8)) }
                }
                let held = claimVerdicts.filter { $0 == .holds }.count
                let others = Dictionary(grouping: claimVerdicts.filter { $0 != .holds }, by: { $0 }).sorted { $0.key < $1.key }
                    .map { "\($0.key.rawValue) \($0.value.count)" }.joined(separator: ", ")
                if held != seedCount { perfect = false }
                for (c, control) in claim.controls.enumerated() {
                    let rejected = controlVerdicts[c].filter { $0 == .violated }.count
                    if rejected != seedCount { perfect = false }
                    let first = c == 0
                    table += "| \(first ? claim.id : "") | \(first ? "\(held)/\(seedCount)" : "") | \(first ? (others.isEmpty ? "—" : others) : "") | \(control.id) | \(rejected)/\(seedCount) |\n"
                }
                print("\(pad(claim.id, 40)) holds \(held)/\(seedCount)" + claim.controls.enumerated().map { c, control in
                    "; \(control.id) violated \(controlVerdicts[c].filter { $0 == .violated }.count)/\(seedCount)" }.joined())
            }
            if let robustnessOutput {
                let header = "# Seed robustness\n\nEvery claim and every negative control rerun at scale `\(scale.rawValue)` under \(seedCount) master seeds "
                    + "(\(common.seed) … \(common.seed &+ UInt64(seedCount - 1))). Target: every claim holds under every seed; every control is `violated` under every seed.\n"
                    + "Generated by `claimcheck verify --seeds \(seedCount) --robustness-output \(robustnessOutput)`.\n\n"
                do { try writeAtomically(header + table, to: URL(fileURLWithPath: robustnessOutput)) } catch {
                    throw UsageFailure("cannot write \(robustnessOutput): \(error.localizedDescription)")
                }
            }
            if !perfect { throw UsageFailure("some claims did not hold under every seed, or a control was accepted", code: 1) }
        }
    }
}

