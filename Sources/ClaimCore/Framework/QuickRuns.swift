import Foundation

/// Quick-scale reports shared by every test in one process: each (claim, control) pair is run once, on first request,
/// and every later request — the registry-wide falsifiability test and a family's own assertions on the same report —
/// gets the same `Report`. Runs use the default master seed and the package's Experiments/ configs.
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

    /// The quick-scale report of `claim` (or of its `control`), computed at most once per process.
    public static func run(_ claim: any Claim, control: NegativeControl? = nil) -> Report {
        let slot = table.slot("\(claim.id)#\(control?.id ?? "")")
        slot.lock.lock(); defer { slot.lock.unlock() }
        if let report = slot.report { return report }
        let report = runner.run(claim, control: control)
        slot.report = report
        return report
    }
}
