import ArgumentParser
import ClaimCore
import Foundation

extension ClaimCheckCommand {
    struct Reproduce: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Regenerate results/ (Markdown + CSV tables, SVG plots, README index) at full scale.",
            discussion: """
                With --shard I/N (or inside a SLURM job array) only shard I's runs (claims or controls) are computed and \
                a partial result is written to --partials (default partials/<scale>-seed<seed>-<hash>-of-<N>); \
                `claimcheck merge` then combines the N partials into the same files a single run writes. Runs are dealt \
                longest first onto the least-loaded shard, using results/timings-<scale>.csv; --plan prints the split. \
                A scale other than full needs --output, so the committed full-scale results are never overwritten.
                """ + "\n\n" + reproduceVerdictsAndExitCodes)

        @Argument(help: "Claim ids (default: all, or all of --family).")
        var ids: [String] = []

        @Option(help: "Only this family (folder name or id prefix); not together with ids.")
        var family: String?

        @Option(help: "Sweep scale.")
        var scale: Scale = .full

        @Option(help: "Output folder (default: <package root>/results; required for --scale quick).")
        var output: String?

        @Option(parsing: .unconditional, help: "Run only shard I of N (I/N, 1 ≤ I ≤ N); default from a SLURM job array when run in one.")
        var shard: String?

        @Option(help: "The sweep's shard count N. In a SLURM array the task id is then the shard index, so resubmitting one element reruns that shard.")
        var shards: Int?

        @Flag(help: "Print the shard plan (runs and planned seconds per shard, the partials folder) and exit; needs --shards.")
        var plan = false

        @Option(help: "Folder for partial results of sharded runs (default: partials/<sweep>).")
        var partials: String?

        @Flag(help: "With a shard: skip it if its partial result already exists, is intact and matches this sweep.")
        var resume = false

        @Option(help: "Also write each run's CPU seconds to this CSV (e.g. results/timings-full.csv, used to balance shards).")
        var recordTimings: String?

        @OptionGroup var overrides: OverrideOptions

        @OptionGroup var common: CommonOptions

        func validate() throws {
            if let shards, !(1...ShardSpec.maximumCount).contains(shards) {
                throw ValidationError("--shards \(shards): expected an integer in 1…\(ShardSpec.maximumCount)")
            }
        }

        func run() throws {
            try guarded {
                let claims = try selectClaims(ids, family: family)
                let spec = try shardSpec()
                let sharded = spec != nil || plan
                if plan, spec == nil, shards == nil { throw UsageFailure("--plan needs --shards N (or --shard I/N)") }
                if !sharded {
                    if partials != nil { throw UsageFailure("--partials applies to sharded runs only; add --shard I/N (or drop --partials)") }
                    if resume { throw UsageFailure("--resume applies to sharded runs only; add --shard I/N (or drop --resume)") }
                    if shards != nil { throw UsageFailure("--shards N needs --shard I/N, a SLURM array task, or --plan") }
                } else if output != nil {
                    throw UsageFailure("--output applies to unsharded runs and merge; a shard writes only its partial result (give --output to `claimcheck merge`)")
                }
                if let recordTimings { _ = try checkedOutputFile(recordTimings, option: "--record-timings") }
                let runner = ClaimRunner(experimentsRoot: common.experimentsRoot, scale: scale, masterSeed: common.seed,
                                         onProgress: progressPrinter(enabled: true))
                let resolved = try overrides.parameters(claims, runner: runner)
                let parameters = resolved.map(\.parameters)
                if sharded {
                    if overrides.isActive { throw UsageFailure("--set/--config cannot be combined with --shard") }
                    let count = spec?.count ?? shards!
                    let sweepPlan: ShardPlan
                    do { sweepPlan = try ShardPlan(units: WorkUnit.all(claims), count: count, timings: try committedTimings()) } catch {
                        throw UsageFailure(String(describing: error))
                    }
                    let folder = try partialsFolder(claims, count: count)
                    if plan { return printPlan(sweepPlan, folder: folder) }
                    return try runShard(spec!, plan: sweepPlan, folder: folder, claims: claims, parameters: parameters, runner: runner)
                }
                try refuseScaleOverwrite(scale, output: output, root: common.packageRoot)
                let resultsRoot = try output.map { try checkedOutputFolder($0, option: "--output") } ?? common.packageRoot.appendingPathComponent("results")
                var entries: [(claim: any Claim, report: Report, controls: [Report])] = []
                var seconds: [WorkUnit: Double] = [:]
                for (index, (claim, params)) in zip(claims, parameters).enumerated() {
                    FileHandle.standardError.write(Data("[\(index + 1)/\(claims.count)] \(claim.id)\n".utf8))
                    func timed(_ control: NegativeControl?) -> Report {
                        let start = cpuSeconds()
                        let report = runner.run(claim, parameters: params, control: control)
                        seconds[WorkUnit(claimID: claim.id, control: control?.id)] = cpuSeconds() - start
                        return report
                    }
                    entries.append((claim, resolved[index].annotate(timed(nil)), claim.controls.map { timed($0) }))
                }
                if let recordTimings { try writeTimings(seconds, order: WorkUnit.all(claims), to: URL(fileURLWithPath: recordTimings)) }
                try writeResults(entries, resultsRoot: resultsRoot, scale: scale, masterSeed: common.seed)
            }
        }

        /// `--shard`, else the SLURM array task (half-set variables and non-contiguous arrays refused).
        func shardSpec() throws -> ShardSpec? {
            do {
                if let shard {
                    let spec = try ShardSpec(parsing: shard)
                    if let shards, shards != spec.count { throw ShardError("--shard \(shard) and --shards \(shards) disagree on the shard count") }
                    return spec
                }
                return try ShardSpec.fromSLURM(ProcessInfo.processInfo.environment, count: shards)
            } catch let error as ShardError { throw UsageFailure(error.description) }
        }

        /// `results/timings-<scale>.csv` under the package root (the committed costs every shard reads), or none.
        func committedTimings() throws -> Timings {
            let url = common.packageRoot.appendingPathComponent("results").appendingPathComponent(Timings.fileName(scale))
            guard let data = FileManager.default.contents(atPath: url.path) else { return Timings() }
            return try Timings(csv: String(decoding: data, as: UTF8.self), file: url.path)
        }

        /// `--partials`, else `partials/<scale>-seed<seed>-<hash of configs and claim list>-of-<N>` (two sweeps never share
        /// a folder).
        func partialsFolder(_ claims: [any Claim], count: Int) throws -> URL {
            if let partials { return try checkedOutputFolder(partials, option: "--partials") }
            let hash = configFingerprint(claims, experimentsRoot: common.experimentsRoot)
            let name = "\(scale.rawValue)-seed\(common.seed)-\(hash.prefix(12))-of-\(count)"
            return try checkedOutputFolder("partials/\(name)", option: "--partials")
        }

        func printPlan(_ plan: ShardPlan, folder: URL) {
            print("sweep: scale \(scale.rawValue), seed \(common.seed), \(plan.shards.map(\.count).reduce(0, +)) runs in \(plan.shards.count) shards")
            for (i, (units, load)) in zip(plan.shards, plan.loads).enumerated() {
                print("shard \(i + 1)/\(plan.shards.count): \(units.count) runs, \(String(format: "%.1f", load)) s planned: \(units.map(\.description).joined(separator: " "))")
            }
            print("planned makespan \(String(format: "%.1f", plan.loads.max() ?? 0)) s = \(String(format: "%.3f", plan.makespanRatio)) × total/\(plan.shards.count) (total \(String(format: "%.1f", plan.total)) s)")
            print("partials: \(folder.path)")
        }

        /// Computes this shard's units and writes them as one partial result (atomically).
        func runShard(_ spec: ShardSpec, plan: ShardPlan, folder: URL, claims: [any Claim], parameters: [Parameters], runner: ClaimRunner) throws {
            let target = folder.appendingPathComponent(spec.fileName)
            let hash = configFingerprint(claims, experimentsRoot: common.experimentsRoot)
            let header = PartialResult(scale: scale, masterSeed: common.seed, configHash: hash, claims: claims.map(\.id), shard: spec, plan: plan, entries: [])
            if resume, let data = FileManager.default.contents(atPath: target.path), let existing = try? PartialResult.decode(data),
               existing.isCompatible(with: header), existing.shard == spec {
                FileHandle.standardError.write(Data("shard \(spec): \(target.path) already complete, skipped (--resume)\n".utf8))
                return
            }
            let mine = plan.shards[spec.index - 1]
            var entries: [PartialResult.Entry] = []
            for (done, unit) in mine.enumerated() {
                let position = claims.firstIndex { $0.id == unit.claimID }!
                let claim = claims[position]
                let control = claim.controls.first { $0.id == unit.control }
                FileHandle.standardError.write(Data("[shard \(spec): \(done + 1)/\(mine.count)] \(unit)\n".utf8))
                let start = cpuSeconds()
                let report = runner.run(claim, parameters: parameters[position], control: control)
                entries.append(.init(unit: unit, report: report, seconds: cpuSeconds() - start))
            }
            let partial = PartialResult(scale: scale, masterSeed: common.seed, configHash: hash, claims: claims.map(\.id), shard: spec, plan: plan, entries: entries)
            try prepareOutputFolder(folder, sweep: [folder])
            do { try writeAtomically(try partial.encoded(), to: target) } catch {
                throw UsageFailure("cannot write \(target.path): \(error.localizedDescription)")
            }
            if let recordTimings {
                try writeTimings(Dictionary(uniqueKeysWithValues: entries.map { ($0.unit, $0.seconds) }), order: mine, to: URL(fileURLWithPath: recordTimings))
            }
            print("shard \(spec): \(entries.count) of \(plan.shards.map(\.count).reduce(0, +)) runs → \(target.path)")
        }
    }
}
