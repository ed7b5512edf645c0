import ArgumentParser
import ClaimCore
import Foundation

extension ClaimCheckCommand {
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
