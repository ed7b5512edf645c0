import ArgumentParser
import ClaimCore
import Foundation

extension ClaimCheckCommand {
    struct Merge: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Combine the partial results of a sharded `reproduce` into results/ — the same files a single run writes.",
            discussion: """
                Every partial is checked before anything is written: its checksum (edited or truncated files), every \
                field, that the shards are one complete split of one sweep (each shard once, no unit twice or missing, \
                same scale, seed, configs, claims and plan). The seed and scale come from the partials.
                """)

        @Argument(help: "Partial result files (shard-I-of-N.json), or a folder holding them.")
        var files: [String]

        @Option(help: "Output folder (default: <package root>/results; required for partials of scale quick).")
        var output: String?

        @Option(help: "Also write each run's recorded seconds to this CSV (e.g. results/timings-full.csv).")
        var recordTimings: String?

        @OptionGroup var location: RootOptions

        /// Largest partial result read (a full-scale partial is well under 10 MB).
        static let maximumBytes = 256 << 20

        func run() throws {
            try guarded {
                guard !files.isEmpty else { throw UsageFailure("no partial results given; expected shard-I-of-N.json files or their folder") }
                let paths = try files.flatMap(expand)
                if let output { _ = try checkedOutputFolder(output, option: "--output") }
                if let recordTimings { _ = try checkedOutputFile(recordTimings, option: "--record-timings") }
                let partials = try paths.map { path -> (name: String, partial: PartialResult) in (path, try read(path)) }
                let header = partials[0].partial
                let claims: [any Claim]
                do { claims = try selectClaims(header.claims) } catch let failure as UsageFailure {
                    throw UsageFailure("\(partials[0].name): field claims: \(failure.description)")
                }
                let units = WorkUnit.all(claims)
                let reports: [WorkUnit: Report]
                do { reports = try PartialResult.combine(partials, units: units) } catch { throw UsageFailure(String(describing: error)) }
                let scale = Scale(rawValue: header.scale)!  // validated when decoded
                try refuseScaleOverwrite(scale, output: output, root: location.packageRoot)
                let current = configFingerprint(claims, experimentsRoot: location.experimentsRoot)
                if current != header.configHash {
                    FileHandle.standardError.write(Data("warning: the configs under \(location.experimentsRoot.path) changed since the shards ran (hash \(current) vs \(header.configHash))\n".utf8))
                }
                let entries = claims.map { claim -> (claim: any Claim, report: Report, controls: [Report]) in
                    (claim, reports[WorkUnit(claimID: claim.id, control: nil)]!, claim.controls.map { reports[WorkUnit(claimID: claim.id, control: $0.id)]! })
                }
                let resultsRoot = try output.map { try checkedOutputFolder($0, option: "--output") } ?? location.packageRoot.appendingPathComponent("results")
                if let recordTimings {
                    let seconds = Dictionary(uniqueKeysWithValues: partials.flatMap(\.partial.entries).map { ($0.unit, $0.seconds) })
                    try writeTimings(seconds, order: units, to: URL(fileURLWithPath: recordTimings))
                }
                try writeResults(entries, resultsRoot: resultsRoot, scale: scale, masterSeed: header.masterSeed)
            }
        }

        /// A folder stands for the `shard-*-of-*.json` files in it.
        func expand(_ path: String) throws -> [String] {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else { throw UsageFailure("cannot read \(path): no such file") }
            guard isDir.boolValue else { return [path] }
            let names = ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [])
                .filter { $0.hasPrefix("shard-") && $0.hasSuffix(".json") }.sorted()
            guard !names.isEmpty else { throw UsageFailure("\(path) holds no shard-I-of-N.json partial results") }
            return names.map { URL(fileURLWithPath: path).appendingPathComponent($0).path }
        }

        func read(_ path: String) throws -> PartialResult {
            let attributes = try? FileManager.default.attributesOfItem(atPath: path)
            if let size = attributes?[.size] as? Int, size > Self.maximumBytes {
                throw UsageFailure("\(path): \(size) bytes; a partial result may have at most \(Self.maximumBytes) bytes")
            }
            guard let data = FileManager.default.contents(atPath: path) else { throw UsageFailure("cannot read \(path)") }
            do { return try PartialResult.decode(data) } catch let error as ShardError {
                throw UsageFailure("\(path) is not an intact claimcheck partial result: \(error.description)")
            } catch {
                throw UsageFailure("\(path) is not an intact claimcheck partial result: \(String(describing: error).prefix(200))")
            }
        }
    }
}
