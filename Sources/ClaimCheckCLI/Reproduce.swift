import ArgumentParser
import ClaimCore
import Foundation

extension ClaimCheckCommand {
    struct Reproduce: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Regenerate results/ (Markdown + CSV tables, SVG plots, README index) at full scale.",
            discussion: """
                With --shard I/N (or inside a SLURM job array) only every N-th run (claim or control) is computed and a \
                partial result is written to --partials; `claimcheck merge` then combines the N partials into the same \
                files a single run writes.
                """ + "\n\n" + reproduceVerdictsAndExitCodes)

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

        @OptionGroup var overrides: OverrideOptions

        @OptionGroup var common: CommonOptions

        func run() throws {
            try guarded {
                let claims = try selectClaims(ids, family: family)
                let runner = ClaimRunner(experimentsRoot: common.experimentsRoot, scale: scale, masterSeed: common.seed,
                                         onProgress: progressPrinter(enabled: true))
                let resolved = try overrides.parameters(claims, runner: runner)
                let parameters = resolved.map(\.parameters)
                let shardSpec: ShardSpec?
                do {
                    shardSpec = try shard.map { try ShardSpec(parsing: $0) } ?? ShardSpec.fromSLURM(ProcessInfo.processInfo.environment)
                } catch { throw UsageFailure(String(describing: error)) }
                if let shardSpec {
                    if overrides.isActive { throw UsageFailure("--set/--config cannot be combined with --shard") }
                    return try runShard(shardSpec, claims: claims, parameters: parameters, runner: runner)
                }
                let resultsRoot = output.map { URL(fileURLWithPath: $0) } ?? common.packageRoot.appendingPathComponent("results")
                try prepareOutputFolder(resultsRoot)
                var entries: [(claim: any Claim, report: Report, controls: [Report])] = []
                for (index, (claim, params)) in zip(claims, parameters).enumerated() {
                    FileHandle.standardError.write(Data("[\(index + 1)/\(claims.count)] \(claim.id)\n".utf8))
                    let report = resolved[index].annotate(runner.run(claim, parameters: params))
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
}
