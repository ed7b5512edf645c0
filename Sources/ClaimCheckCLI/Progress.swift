import ClaimCore
import Foundation

/// Progress of a run of several claims on stderr: which run of how many, the sweep inside it, the elapsed time and an
/// estimate of the time left. On a terminal it rewrites one status line; otherwise (with `--progress`) it prints
/// one line per run and at most one sweep line every two seconds.
final class ProgressReporter: @unchecked Sendable {
    private let lock = NSLock()
    private let terminal: Bool
    private let enabled: Bool
    private let start = Date()
    private var total = 0
    private var done = 0
    private var label = ""
    private var runStart = Date()
    private var lastLine = Date.distantPast
    private var statusShown = false

    /// Shown when stderr is a terminal, or when `forced` (`--progress`).
    init(forced: Bool) {
        terminal = isatty(STDERR_FILENO) == 1
        enabled = forced || terminal
    }

    /// Whether stderr is a terminal (color-free status line that is rewritten in place).
    static var stderrIsTerminal: Bool { isatty(STDERR_FILENO) == 1 }

    /// The sweep callback for `ClaimRunner`, nil when progress is off.
    var sweepCallback: (@Sendable (SweepProgress) -> Void)? {
        guard enabled else { return nil }
        return { [self] p in self.sweep(p) }
    }

    func plan(runs: Int) {
        lock.lock(); defer { lock.unlock() }
        total = runs
    }

    /// A run (a claim or one of its controls) starts.
    func begin(_ what: String) {
        guard enabled else { return }
        lock.lock(); defer { lock.unlock() }
        label = what
        runStart = Date()
        show("[\(done + 1)/\(total)] \(what)", fraction: 0, force: true)
    }

    /// The current run finished.
    func end() {
        lock.lock(); defer { lock.unlock() }
        done += 1
    }

    /// Clears the status line before a result line goes to stdout (both may share the terminal).
    func clear() {
        guard enabled, terminal else { return }
        lock.lock(); defer { lock.unlock() }
        if statusShown { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        statusShown = false
    }

    /// Seconds since the first run started.
    var elapsed: Double { Date().timeIntervalSince(start) }

    private func sweep(_ p: SweepProgress) {
        lock.lock(); defer { lock.unlock() }
        let fraction = p.total > 0 ? Double(p.completed) / Double(p.total) : 0
        let message = p.message.isEmpty ? "" : " \(p.message)"
        show("[\(done + 1)/\(total)] \(label): sweep \(p.completed)/\(p.total)\(message)", fraction: fraction, force: false)
    }

    /// Elapsed time and the estimate: the current run extrapolated from its sweep fraction, the runs still to come
    /// at the mean time of the finished ones.
    private func show(_ text: String, fraction: Double, force: Bool) {
        let now = Date()
        if !terminal, !force, now.timeIntervalSince(lastLine) < 2 { return }
        if terminal, !force, now.timeIntervalSince(lastLine) < 0.1 { return }
        lastLine = now
        let elapsed = now.timeIntervalSince(start)
        let current = now.timeIntervalSince(runStart)
        var estimate: Double? = nil
        let remainingRuns = Double(max(0, total - done - 1))
        if done > 0 {
            let mean = (elapsed - current) / Double(done)
            let currentLeft = fraction > 0.05 ? current * (1 - fraction) / fraction : max(0, mean - current)
            estimate = currentLeft + remainingRuns * mean
        } else if fraction > 0.05 {
            estimate = current * (1 - fraction) / fraction * (remainingRuns + 1) + current * remainingRuns
        }
        let timing = "elapsed \(seconds(elapsed))" + (estimate.map { ", ~\(seconds($0)) left" } ?? "")
        let line = fit(text, 100 - timing.count - 2) + "  " + timing
        if terminal {
            FileHandle.standardError.write(Data("\r\u{1B}[K\(line)".utf8))
            statusShown = true
        } else {
            FileHandle.standardError.write(Data("\(line)\n".utf8))
        }
    }
}

/// "0.4 s", "12 s", "3 min 20 s".
func seconds(_ t: Double) -> String {
    if t < 10 { return String(format: "%.1f s", t) }
    if t < 120 { return "\(Int(t.rounded())) s" }
    let s = Int(t.rounded())
    return "\(s / 60) min \(s % 60) s"
}

/// `text` cut to at most `width` characters, ending in "…" when cut.
func fit(_ text: String, _ width: Int) -> String {
    guard width > 1 else { return "" }
    return text.count <= width ? text : String(text.prefix(width - 1)) + "…"
}
