import Foundation

/// Quick-scale reports shared by every test of one `swift test`: each (claim, control) pair is computed once, on
/// first request, and every later request — the XCTest claim tests, the registry-wide tests, a family's own
/// assertions on the same report — gets the same `Report`. Runs use the default master seed and the package's
/// Experiments/ configs.
///
/// `swift test` runs XCTest and Swift Testing in two processes of the same test binary. So that the second process
/// does not recompute every claim, a computed report is also stored next to the test binary, under a key made of
/// the binary's identity (path, size, modification time), the claim, the control and the exact config text: a
/// rebuilt binary or an edited config never sees an old report. Set `CLAIMCHECK_QUICKRUNS_CACHE=0` to disable it.
public enum QuickRuns {
    private final class Slot: @unchecked Sendable {
        let lock = NSLock()
        var report: Report?
    }

    private final class Table: @unchecked Sendable {
        let lock = NSLock()
        var slots: [String: Slot] = [:]
        func slot(_ key: String) -> Slot {
            lock.lock(); defer { lock.unlock() }
            if let s = slots[key] { return s }
            let s = Slot()
            slots[key] = s
            return s
        }
    }

    private static let table = Table()
    public static let runner = ClaimRunner(experimentsRoot: locatePackageRoot().appendingPathComponent("Experiments"), scale: .quick)

    /// The quick-scale report of `claim` (or of its `control`), computed at most once per `swift test`.
    public static func run(_ claim: any Claim, control: NegativeControl? = nil) -> Report {
        let slot = table.slot("\(claim.id)#\(control?.id ?? "")")
        slot.lock.lock(); defer { slot.lock.unlock() }
        if let report = slot.report { return report }
        let file = cacheFile(claim, control: control)
        if let file, let data = FileManager.default.contents(atPath: file.path), let cached = try? JSONDecoder().decode(Report.self, from: data) {
            slot.report = cached
            return cached
        }
        let report = runner.run(claim, control: control)
        slot.report = report
        if let file, let data = try? JSONEncoder().encode(report) {
            try? writeAtomically(String(decoding: data, as: UTF8.self), to: file)
        }
        return report
    }

    /// Computes every (claim, control) run of `claims` that is not yet available, up to `workerCount` runs at a time,
    /// so that tests which then ask for them one by one (XCTest runs its methods serially) find them ready. Runs once
    /// per process; later calls return at once.
    public static func prewarm(_ claims: [any Claim]) {
        prewarmLock.lock(); defer { prewarmLock.unlock() }
        guard !prewarmed else { return }
        prewarmed = true
        let units = claims.flatMap { claim in [(claim, nil)] + claim.controls.map { (claim, Optional($0)) } } as [(any Claim, NegativeControl?)]
        // Longest first (recorded quick-scale costs; unknown units last, in registry order): the workers then finish
        // together instead of one of them starting the costliest runs last.
        let costs = quickCosts()
        let order = units.indices.sorted { a, b in
            let ca = costs[WorkUnit(claimID: units[a].0.id, control: units[a].1?.id).description] ?? -1
            let cb = costs[WorkUnit(claimID: units[b].0.id, control: units[b].1?.id).description] ?? -1
            return ca != cb ? ca > cb : a < b
        }
        _ = try? parallelMap(order.count) { i in _ = run(units[order[i]].0, control: units[order[i]].1) }
    }

    /// `results/timings-quick.csv` of the package root, or no costs if it is missing or malformed.
    private static func quickCosts() -> [String: Double] {
        let file = runner.experimentsRoot.deletingLastPathComponent().appendingPathComponent("results").appendingPathComponent(Timings.fileName(.quick))
        guard let data = FileManager.default.contents(atPath: file.path),
              let timings = try? Timings(csv: String(decoding: data, as: UTF8.self), file: file.path) else { return [:] }
        return timings.seconds
    }

    private static let prewarmLock = NSLock()
    nonisolated(unsafe) private static var prewarmed = false

    /// `<test binary folder>/claimcheck-quickruns/<binary key>/<hash of claim, control, config>.json`, or nil when the
    /// cache is disabled or the binary cannot be identified.
    private static func cacheFile(_ claim: any Claim, control: NegativeControl?) -> URL? {
        guard ProcessInfo.processInfo.environment["CLAIMCHECK_QUICKRUNS_CACHE"] != "0", let folder = binaryFolder else { return nil }
        let config = runner.experimentsRoot.appendingPathComponent(claim.family.folder).appendingPathComponent("\(claim.name).yaml")
        let configText = FileManager.default.contents(atPath: config.path) ?? Data()
        let key = fnv1a(Data("\(claim.id)#\(control?.id ?? "")#\(runner.masterSeed)#".utf8) + configText)
        return folder.appendingPathComponent("\(key).json")
    }

    /// The folder for this binary's reports; older binaries' folders are removed when it is first created.
    private static let binaryFolder: URL? = {
        let fm = FileManager.default
        let executable = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath()
        guard let attributes = try? fm.attributesOfItem(atPath: executable.path),
              let size = attributes[.size] as? NSNumber, let modified = attributes[.modificationDate] as? Date else { return nil }
        let base = executable.deletingLastPathComponent().appendingPathComponent("claimcheck-quickruns")
        let key = fnv1a(Data("\(executable.path)#\(size)#\(modified.timeIntervalSince1970)".utf8))
        let folder = base.appendingPathComponent(key)
        if !fm.fileExists(atPath: folder.path) {
            for old in (try? fm.contentsOfDirectory(atPath: base.path)) ?? [] where old != key {
                try? fm.removeItem(at: base.appendingPathComponent(old))
            }
            guard (try? fm.createDirectory(at: folder, withIntermediateDirectories: true)) != nil else { return nil }
        }
        return folder
    }()

    /// 64-bit FNV-1a, hex.
    private static func fnv1a(_ data: Data) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in data {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return String(hash, radix: 16)
    }
}
