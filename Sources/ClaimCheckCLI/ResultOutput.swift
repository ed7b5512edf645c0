import ArgumentParser
import ClaimCore
import Foundation

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
