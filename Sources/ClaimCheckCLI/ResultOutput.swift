import ArgumentParser
import ClaimCore
import Foundation

/// Checks an output folder before any work starts, without creating anything: not empty, not the working directory
/// or `/`, and either an existing writable folder or creatable under the nearest existing folder (which must be a
/// writable folder). Returns its absolute URL.
func checkedOutputFolder(_ path: String, option: String, allowWorkingDirectory: Bool = false) throws -> URL {
    let fm = FileManager.default
    guard !path.trimmingCharacters(in: .whitespaces).isEmpty else {
        throw UsageFailure("\(option) '\(path)': empty path; expected a folder such as results-quick")
    }
    let url = URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath()
    let cwd = URL(fileURLWithPath: fm.currentDirectoryPath).standardizedFileURL.resolvingSymlinksInPath()
    guard allowWorkingDirectory || (url.path != cwd.path && url.path != "/") else {
        throw UsageFailure("\(option) \(path) resolves to \(url.path == "/" ? "/" : "the current directory"); expected a folder of its own, such as results-quick")
    }
    var existing = url
    while !fm.fileExists(atPath: existing.path) {
        let parent = existing.deletingLastPathComponent()
        if parent.path == existing.path { break }
        existing = parent
    }
    var isDir: ObjCBool = false
    guard fm.fileExists(atPath: existing.path, isDirectory: &isDir), isDir.boolValue, canCreate(in: existing) else {
        throw UsageFailure("cannot create output folder \(url.path): \(existing.path) is not a writable folder (\(option))")
    }
    return url
}

/// Whether an entry can be created in `folder`, by creating and removing an empty probe folder (access(2) says yes
/// to root everywhere, /proc included). Leaves nothing behind.
func canCreate(in folder: URL) -> Bool {
    let probe = folder.appendingPathComponent("\(temporaryPrefix)probe.\(temporaryHost).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp").path
    guard mkdir(probe, 0o700) == 0 else { return false }
    rmdir(probe)
    return true
}

/// Checks an output file before any work starts: its folder is acceptable to `checkedOutputFolder` (or exists and is
/// writable) and the path is not a folder.
func checkedOutputFile(_ path: String, option: String) throws -> URL {
    guard !path.isEmpty else { throw UsageFailure("\(option) '': empty path; expected a file name such as results/robustness.md") }
    let url = URL(fileURLWithPath: path).standardizedFileURL
    var isDir: ObjCBool = false
    if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDir), isDir.boolValue {
        throw UsageFailure("\(option) \(path) is a folder; expected a file name")
    }
    _ = try checkedOutputFolder(url.deletingLastPathComponent().path, option: option, allowWorkingDirectory: true)
    return url
}

/// A results folder and the family subfolders claimcheck writes into (where stale temporaries are swept).
func resultFolders(_ root: URL) -> [URL] { [root] + Registry.families.map { root.appendingPathComponent($0.folder) } }

/// Creates `folder` (the caller checked it) and removes stale claimcheck temporaries from `sweep`.
func prepareOutputFolder(_ folder: URL, sweep: [URL]) throws {
    do { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) } catch {
        throw UsageFailure("cannot create output folder \(folder.path): \(error.localizedDescription)")
    }
    for path in removeStaleTemporaries(in: sweep) {
        FileHandle.standardError.write(Data("removed a stale temporary file of an interrupted run: \(path)\n".utf8))
    }
}

/// The refusal for a sub-full-scale run into the default results folder.
func refuseScaleOverwrite(_ scale: Scale, output: String?, root: URL) throws {
    guard scale != .full, output == nil else { return }
    throw UsageFailure("--scale \(scale.rawValue) would overwrite the full-scale results in \(root.appendingPathComponent("results").path); pass --output DIR (e.g. --output results-\(scale.rawValue))")
}

/// Renders every claim's md/csv/svg and the index in memory (nothing can fail half-way through rendering), then
/// writes them, each atomically; exit 1 afterwards if any run ended in `error`.
func writeResults(_ entries: [(claim: any Claim, report: Report, controls: [Report])], resultsRoot: URL, scale: Scale, masterSeed: UInt64) throws {
    let rendered = entries.map { ResultRenderer.render($0.report, claim: $0.claim, scale: scale, masterSeed: masterSeed, controls: $0.controls) }
    let index = ResultIndex.merge(all: Registry.claims, fresh: entries, resultsRoot: resultsRoot, scale: scale, masterSeed: masterSeed)
    let indexText = ResultRenderer.index(index, scale: scale, masterSeed: masterSeed)
    try prepareOutputFolder(resultsRoot, sweep: resultFolders(resultsRoot))
    for ((claim, report, controls), page) in zip(entries, rendered) {
        do { try ResultRenderer.write(page, claim: claim, resultsRoot: resultsRoot) } catch {
            throw UsageFailure("cannot write results for \(claim.id) under \(resultsRoot.path): \(error.localizedDescription)")
        }
        print("\(pad(claim.id, 40)) \(report.verdict.rawValue)  (controls: \(controls.map(\.verdict.rawValue).joined(separator: ", ")))")
    }
    do { try writeAtomically(indexText, to: resultsRoot.appendingPathComponent("README.md")) } catch {
        throw UsageFailure("cannot write \(resultsRoot.path)/README.md: \(error.localizedDescription)")
    }
    let failures = entries.filter { $0.report.verdict == .error || $0.controls.contains { $0.verdict == .error } }
    if !failures.isEmpty {
        throw UsageFailure("results written, but \(failures.map(\.claim.id).joined(separator: ", ")) ended in error (see the Markdown files)", code: 1)
    }
}

/// Writes the per-unit costs in CPU seconds (`--record-timings`).
func writeTimings(_ seconds: [WorkUnit: Double], order: [WorkUnit], to url: URL) throws {
    let timings = Timings(seconds: Dictionary(uniqueKeysWithValues: seconds.map { ($0.key.description, $0.value) }))
    do { try writeAtomically(timings.csv(order: order), to: url) } catch {
        throw UsageFailure("cannot write \(url.path): \(error.localizedDescription)")
    }
}

/// CPU seconds (user + system, all threads) this process has used: the cost of a run, which — unlike wall-clock
/// time — other load on a shared machine does not inflate.
func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
    return seconds(usage.ru_utime) + seconds(usage.ru_stime)
}
