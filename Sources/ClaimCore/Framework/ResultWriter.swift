import Foundation

/// Prefix of every temporary file claimcheck creates; stale-file cleanup touches nothing else.
public let temporaryPrefix = ".claimcheck-"

/// The temporary file this process is writing right now (a C string, so a signal handler can unlink it), or empty.
nonisolated(unsafe) private let inFlightTemporary: UnsafeMutablePointer<CChar> = {
    let p = UnsafeMutablePointer<CChar>.allocate(capacity: Int(PATH_MAX) + 1)
    p.initialize(repeating: 0, count: Int(PATH_MAX) + 1)
    return p
}()
private let inFlightLock = NSLock()

/// This machine's name as used in temporary names (letters, digits, '-' only), so a stale-file sweep on a shared file
/// system never judges another machine's process by a local pid.
public let temporaryHost: String = {
    var buffer = [CChar](repeating: 0, count: 256)
    let name = gethostname(&buffer, buffer.count) == 0 ? String(cString: buffer) : "host"
    let cleaned = String(name.unicodeScalars.map { CharacterSet.alphanumerics.contains($0) && $0.isASCII ? Character($0) : "-" })
    return cleaned.isEmpty ? "host" : String(cleaned.prefix(64))
}()

/// Writes a file atomically and durably: the bytes go to a new temporary file in the target's folder
/// (`.claimcheck-<name>.<host>.<pid>.<random>.tmp`, created with O_EXCL so two processes never share one), which is
/// fsynced, renamed over the target (rename(2) is atomic on one file system) and the folder fsynced. A reader — or an
/// interrupted run — sees the old or the new file, never a half-written one. Unchanged content is not rewritten.
/// On SIGINT/SIGTERM the temporary in flight is removed (see `installTemporaryCleanupOnSignals`).
public func writeAtomically(_ text: String, to url: URL) throws {
    try writeAtomically(Data(text.utf8), to: url)
}

public func writeAtomically(_ data: Data, to url: URL) throws {
    let fm = FileManager.default
    if let existing = fm.contents(atPath: url.path), existing == data { return }
    let folder = url.deletingLastPathComponent()
    try fm.createDirectory(at: folder, withIntermediateDirectories: true)
    let pid = ProcessInfo.processInfo.processIdentifier
    let name = "\(temporaryPrefix)\(url.lastPathComponent.prefix(120)).\(temporaryHost).\(pid).\(String(UInt64.random(in: 0...UInt64.max), radix: 36)).tmp"
    let temporary = folder.appendingPathComponent(name).path
    func fail(_ what: String, _ path: String) -> Error { WriteError(description: "\(what) \(path): \(String(cString: strerror(errno)))") }
    inFlightLock.lock()
    defer { inFlightLock.unlock() }
    guard temporary.utf8.count <= Int(PATH_MAX) else { throw WriteError(description: "path too long: \(temporary)") }
    temporary.withCString { _ = strcpy(inFlightTemporary, $0) }
    defer { inFlightTemporary[0] = 0 }
    let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
    guard fd >= 0 else { throw fail("cannot create", temporary) }
    var ok = true
    data.withUnsafeBytes { raw in
        var offset = 0
        while offset < raw.count {
            let n = write(fd, raw.baseAddress! + offset, raw.count - offset)
            if n < 0 { if errno == EINTR { continue }; ok = false; return }
            offset += n
        }
    }
    if ok { ok = fsync(fd) == 0 }
    let writeError = fail("cannot write", temporary)
    close(fd)
    guard ok else {
        unlink(temporary)
        throw writeError
    }
    if let pause = ProcessInfo.processInfo.environment["CLAIMCHECK_TEST_WRITE_PAUSE_MS"].flatMap(UInt32.init), pause <= 10_000 {
        usleep(pause * 1000)  // test hook: widens the window between temporary and rename so tests can interrupt there
    }
    if rename(temporary, url.path) != 0 {
        let error = fail("cannot rename onto", url.path)
        unlink(temporary)
        throw error
    }
    let dfd = open(folder.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    if dfd >= 0 { _ = fsync(dfd); close(dfd) }
}

/// A failed write: what, which path, the system's reason.
public struct WriteError: Error, CustomStringConvertible, LocalizedError {
    public let description: String
    public var errorDescription: String? { description }
}

/// Removes the temporary file in flight, then re-raises the signal with its default action. Installed for SIGINT,
/// SIGTERM and SIGHUP by the CLI; async-signal-safe (unlink, signal, raise only).
/// Also unblocks them: a parent's blocked mask is inherited through fork/exec (a thread pool that spawns us, such as
/// a test runner's, blocks every signal), and a CLI that cannot be interrupted is worse than one that can.
public func installTemporaryCleanupOnSignals() {
    var set = sigset_t()
    sigemptyset(&set)
    for sig in [SIGINT, SIGTERM, SIGHUP] { sigaddset(&set, sig) }
    pthread_sigmask(SIG_UNBLOCK, &set, nil)
    for sig in [SIGINT, SIGTERM, SIGHUP] {
        signal(sig) { received in
            if inFlightTemporary[0] != 0 { unlink(inFlightTemporary) }
            signal(received, SIG_DFL)
            raise(received)
        }
    }
}

/// Removes stale temporary files from `folders` (not their subfolders): only names of the form
/// `.claimcheck-<name>.<host>.<pid>.<random>.tmp` written on this machine by a process that no longer runs — never
/// another live process's file, never a file claimcheck did not name. Returns the removed paths.
@discardableResult
public func removeStaleTemporaries(in folders: [URL]) -> [String] {
    let fm = FileManager.default
    var removed: [String] = []
    for folder in folders {
        guard let names = try? fm.contentsOfDirectory(atPath: folder.path) else { continue }
        for name in names where name.hasPrefix(temporaryPrefix) && name.hasSuffix(".tmp") {
            let parts = name.dropLast(4).split(separator: ".", omittingEmptySubsequences: false)
            guard parts.count >= 4, parts[parts.count - 3] == Substring(temporaryHost), let pid = Int32(parts[parts.count - 2]), pid > 0 else { continue }
            if kill(pid, 0) == 0 || errno == EPERM { continue }  // that process still runs
            let path = folder.appendingPathComponent(name).path
            if unlink(path) == 0 { removed.append(path) }
        }
    }
    return removed
}

/// One claim's report rendered for `results/`.
public struct RenderedResult: Sendable {
    public let markdown: String
    public let csv: String
    public let svg: String?
}

/// Renders reports as Markdown, CSV and SVG, and the `results/README.md` index. Output depends only on the reports.
public enum ResultRenderer {
    public static func render(_ report: Report, claim: any Claim, scale: Scale, masterSeed: UInt64, controls: [Report] = []) -> RenderedResult {
        RenderedResult(markdown: markdown(report, claim: claim, scale: scale, masterSeed: masterSeed, controls: controls),
                       csv: csv(report.table),
                       svg: report.plot.map { SVGRenderer.render($0) })
    }

    static func row(_ cells: [String]) -> String { "| " + cells.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |\n" }

    public static func markdown(_ report: Report, claim: any Claim, scale: Scale, masterSeed: UInt64, controls: [Report]) -> String {
        var md = "# \(claim.id)\n\n"
        md += "**Verdict: `\(report.verdict.rawValue)`** — \(report.reason)\n\n"
        md += "<!-- claimcheck-controls: \(controls.map { "\($0.control?.id ?? "?")=\($0.verdict.rawValue)" }.joined(separator: ";")) -->\n"
        md += "<!-- claimcheck-evidence: \(report.evidence.summary) -->\n\n"
        md += "**Evidence:** \(report.evidence.summary) checks. Only binding `claim` checks can make a verdict `holds`; "
        md += "`sanity` and `regression` checks can only turn it into `error`.\n\n"
        md += "- Statement (\(claim.guarantee.rawValue) guarantee): \(claim.statement)\n"
        md += "- Statement source: \(claim.source.kind == "paper" ? "read in the paper, \(claim.source.detail)" : "derived by the project — \(claim.source.detail)")\n"
        md += "- Citation: \(claim.citation.text)\n"
        md += "- Proof note: [`\(claim.proofPath)`](../../\(claim.proofPath)); config: [`\(claim.configPath)`](../../\(claim.configPath)) (scale `\(scale.rawValue)`, master seed \(masterSeed))\n"
        if !report.parameters.isEmpty {
            md += "- Parameters: " + report.parameters.map { "`\($0.key)` = \($0.value)" }.joined(separator: ", ") + "\n"
        }
        md += "\n## Checks\n\n"
        md += row(["check", "role", "measured", "95% CI", "predicted", "rule", "alternatives", "verdict"])
        md += row(["---", "---", "---", "---", "---", "---", "---", "---"])
        for c in report.checks {
            let ci = c.interval.map { "[\(formatShort($0.lower)), \(formatShort($0.upper))]" } ?? "—"
            md += row([c.name, c.role.rawValue, formatShort(c.measured), ci, formatShort(c.predicted), c.rule, alternativesText(c),
                       "`\(c.verdict.rawValue)`" + (c.binding ? "" : " (non-binding: > 10× inside its bound)")])
        }
        if !controls.isEmpty {
            md += "\n## Negative controls (must be `violated`)\n\n"
            md += row(["control", "what is wrong", "verdict", "why"])
            md += row(["---", "---", "---", "---"])
            for r in controls {
                md += row([r.control?.id ?? "?", r.control?.description ?? "", "`\(r.verdict.rawValue)`", r.reason])
            }
        }
        if !report.table.columns.isEmpty {
            md += "\n## Measurements\n\n"
            md += row(report.table.columns)
            md += row(report.table.columns.map { _ in "---" })
            for r in report.table.rows { md += row(r.map(\.short)) }
        }
        if report.plot != nil { md += "\n![plot](\(claim.name).svg)\n" }
        if !report.notes.isEmpty {
            md += "\n## Notes\n\n" + report.notes.map { "- \($0)\n" }.joined()
        }
        return md
    }

    /// "in K: −2, −1" / "none: why" / "—".
    static func alternativesText(_ c: Check) -> String {
        let swept = c.variable.map { "in \($0)" }
        if !c.alternatives.isEmpty {
            return [swept, c.alternatives.map { formatShort($0) }.joined(separator: ", ")].compactMap { $0 }.joined(separator: ": ")
        }
        if let note = c.alternativesNote { return [swept, "none — \(note)"].compactMap { $0 }.joined(separator: ": ") }
        return swept ?? "—"
    }

    public static func csv(_ table: Table) -> String {
        func field(_ s: String) -> String {
            s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
        }
        var out = table.columns.map(field).joined(separator: ",") + "\n"
        for r in table.rows { out += r.map { field($0.exact) }.joined(separator: ",") + "\n" }
        return out
    }

    /// `results/README.md`: every claim with its verdict and its controls' verdicts.
    public static func index(_ entries: [IndexEntry], scale: Scale, masterSeed: UInt64) -> String {
        var md = "# claimcheck results\n\n"
        // Each row keeps the scale and seed of its own page; the header names them only when every page shares them.
        let runs = Set(entries.compactMap { $0.verdict == nil ? nil : $0.run })
        let uniform = runs.count <= 1
        let shared = runs.first ?? IndexEntry.run(scale: scale.rawValue, masterSeed: String(masterSeed))
        md += uniform ? "Generated by `swift run -c release claimcheck reproduce` (\(shared)). "
            : "Generated by `swift run -c release claimcheck reproduce` (pages of different runs: each verdict names its scale and master seed). "
        md += "Each claim links to its table (Markdown), its raw rows (CSV) and its plot (SVG). "
        md += "A negative control is a deliberately wrong variant that the same check must reject (`violated`).\n\n"
        md += "Source: `paper` (where the statement was read) or `derived` (the project's reconstruction; the Proofs note says how). "
        md += "Evidence: checks by role — claim / construction / sanity / regression — and how many one-sided checks sat > 10× inside their bound (non-binding).\n\n"
        md += row(["claim", "family", "guarantee", "source", "verdict", "evidence", "negative controls", "files"])
        md += row(["---", "---", "---", "---", "---", "---", "---", "---"])
        for entry in entries {
            let claim = entry.claim
            let base = "\(claim.family.folder)/\(claim.name)"
            let files = entry.verdict == nil ? "not generated yet"
                : "[md](\(base).md) · [csv](\(base).csv)" + (entry.hasPlot ? " · [svg](\(base).svg)" : "")
            let controlText = entry.controls.map { "\($0.id): `\($0.verdict)`" }.joined(separator: "<br>")
            let verdict = entry.verdict.map { "`\($0)`" + (uniform ? "" : " (\(entry.run ?? "scale and seed unknown"))") } ?? "—"
            md += row([claim.id, claim.family.title, claim.guarantee.rawValue, claim.source.short, verdict,
                       entry.evidence ?? "—", controlText, files])
        }
        return md
    }

    /// Writes md/csv/svg for one claim under `resultsRoot/<family>/`.
    public static func write(_ rendered: RenderedResult, claim: any Claim, resultsRoot: URL) throws {
        let folder = resultsRoot.appendingPathComponent(claim.family.folder)
        try writeAtomically(rendered.markdown, to: folder.appendingPathComponent("\(claim.name).md"))
        try writeAtomically(rendered.csv, to: folder.appendingPathComponent("\(claim.name).csv"))
        if let svg = rendered.svg { try writeAtomically(svg, to: folder.appendingPathComponent("\(claim.name).svg")) }
    }
}

/// One row of `results/README.md`.
public struct IndexEntry {
    public let claim: any Claim
    /// nil if the claim has no results yet.
    public let verdict: String?
    public let controls: [(id: String, verdict: String)]
    public let hasPlot: Bool
    /// "scale `full`, master seed 20200210": the run that produced this claim's page (nil if unknown).
    public var run: String? = nil
    /// `Evidence.summary` of the claim's report, nil if unknown.
    public var evidence: String? = nil

    static func run(scale: String, masterSeed: String) -> String { "scale `\(scale)`, master seed \(masterSeed)" }
}

/// Builds the index over every registered claim from the pages actually present: fresh reports where a claim was just
/// run, otherwise the verdict, controls, scale and seed recorded in its existing Markdown page (so `reproduce --family F`
/// keeps the other families' rows, each labelled with the run that produced it). A claim without a page is listed as
/// not generated.
public enum ResultIndex {
    public static func merge(all: [any Claim], fresh: [(claim: any Claim, report: Report, controls: [Report])], resultsRoot: URL,
                             scale: Scale? = nil, masterSeed: UInt64? = nil) -> [IndexEntry] {
        all.map { claim in
            if let run = fresh.first(where: { $0.claim.id == claim.id }) {
                return IndexEntry(claim: claim, verdict: run.report.verdict.rawValue,
                                  controls: run.controls.map { ($0.control?.id ?? "?", $0.verdict.rawValue) }, hasPlot: run.report.plot != nil,
                                  run: scale.flatMap { s in masterSeed.map { IndexEntry.run(scale: s.rawValue, masterSeed: String($0)) } },
                                  evidence: run.report.evidence.summary)
            }
            let folder = resultsRoot.appendingPathComponent(claim.family.folder)
            let mdPath = folder.appendingPathComponent("\(claim.name).md").path
            guard let text = try? String(contentsOfFile: mdPath, encoding: .utf8), let verdict = recordedVerdict(text) else {
                return IndexEntry(claim: claim, verdict: nil, controls: [], hasPlot: false, run: nil)
            }
            return IndexEntry(claim: claim, verdict: verdict, controls: recordedControls(text),
                              hasPlot: FileManager.default.fileExists(atPath: folder.appendingPathComponent("\(claim.name).svg").path),
                              run: recordedRun(text), evidence: recordedEvidence(text))
        }
    }

    static func recordedVerdict(_ markdown: String) -> String? {
        guard let line = markdown.split(separator: "\n").first(where: { $0.hasPrefix("**Verdict: `") }) else { return nil }
        return line.split(separator: "`").dropFirst().first.map(String.init)
    }

    /// The page's "(scale `S`, master seed N)" as written by `ResultRenderer.markdown`.
    static func recordedRun(_ markdown: String) -> String? {
        guard let line = markdown.split(separator: "\n").first(where: { $0.hasPrefix("- Proof note:") }),
              let start = line.range(of: "(scale `", options: .backwards) else { return nil }
        let markdown = line
        let rest = markdown[start.upperBound...]
        guard let tick = rest.firstIndex(of: "`"), rest[tick...].hasPrefix("`, master seed ") else { return nil }
        let scale = rest[..<tick]
        let digits = rest[rest.index(tick, offsetBy: "`, master seed ".count)...].prefix { $0.isNumber }
        guard !scale.isEmpty, scale.count <= 16, !digits.isEmpty else { return nil }
        return IndexEntry.run(scale: String(scale), masterSeed: String(digits))
    }

    static func recordedEvidence(_ markdown: String) -> String? {
        let marker = "<!-- claimcheck-evidence: "
        guard let line = markdown.split(separator: "\n").first(where: { $0.hasPrefix(marker) }) else { return nil }
        return line.dropFirst(marker.count).replacingOccurrences(of: " -->", with: "")
    }

    static func recordedControls(_ markdown: String) -> [(id: String, verdict: String)] {
        let marker = "<!-- claimcheck-controls: "
        guard let line = markdown.split(separator: "\n").first(where: { $0.hasPrefix(marker) }) else { return [] }
        let body = line.dropFirst(marker.count).replacingOccurrences(of: " -->", with: "")
        return body.split(separator: ";").compactMap { pair in
            let parts = pair.split(separator: "=")
            return parts.count == 2 ? (String(parts[0]), String(parts[1])) : nil
        }
    }
}
