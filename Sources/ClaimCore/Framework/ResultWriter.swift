import Foundation

/// Writes a file atomically: the bytes go to a temporary file in the same folder, which is then renamed over the
/// target (rename(2) is atomic on one file system). A reader — or an interrupted run — sees the old or the new file,
/// never a half-written one. Unchanged content is not rewritten.
public func writeAtomically(_ text: String, to url: URL) throws {
    let fm = FileManager.default
    let data = Data(text.utf8)
    if let existing = fm.contents(atPath: url.path), existing == data { return }
    let folder = url.deletingLastPathComponent()
    try fm.createDirectory(at: folder, withIntermediateDirectories: true)
    let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp")
    guard fm.createFile(atPath: temporary.path, contents: data) else {
        throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: temporary.path])
    }
    if rename(temporary.path, url.path) != 0 {
        let code = errno
        try? fm.removeItem(at: temporary)
        throw POSIXError(POSIXErrorCode(rawValue: code) ?? .EIO)
    }
}

/// Removes temporary files (`.<name>.<pid>.tmp`) that an interrupted run left under `folder` and its subfolders.
public func removeStaleTemporaries(under folder: URL) {
    let fm = FileManager.default
    guard let paths = fm.enumerator(atPath: folder.path)?.allObjects as? [String] else { return }
    for path in paths {
        let name = (path as NSString).lastPathComponent
        if name.hasPrefix("."), name.hasSuffix(".tmp") { try? fm.removeItem(at: folder.appendingPathComponent(path)) }
    }
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
        md += "Generated by `swift run -c release claimcheck reproduce` (scale `\(scale.rawValue)`, master seed \(masterSeed)). "
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
            md += row([claim.id, claim.family.title, claim.guarantee.rawValue, claim.source.short, entry.verdict.map { "`\($0)`" } ?? "—",
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
    /// `Evidence.summary` of the claim's report, nil if unknown.
    public var evidence: String? = nil
}

/// Builds the index over every registered claim: fresh reports where a claim was just run, otherwise the verdicts
/// recorded in its existing Markdown file (so `reproduce --family F` keeps the other families' rows).
public enum ResultIndex {
    public static func merge(all: [any Claim], fresh: [(claim: any Claim, report: Report, controls: [Report])], resultsRoot: URL) -> [IndexEntry] {
        all.map { claim in
            if let run = fresh.first(where: { $0.claim.id == claim.id }) {
                return IndexEntry(claim: claim, verdict: run.report.verdict.rawValue,
                                  controls: run.controls.map { ($0.control?.id ?? "?", $0.verdict.rawValue) }, hasPlot: run.report.plot != nil,
                                  evidence: run.report.evidence.summary)
            }
            let folder = resultsRoot.appendingPathComponent(claim.family.folder)
            let mdPath = folder.appendingPathComponent("\(claim.name).md").path
            guard let text = try? String(contentsOfFile: mdPath, encoding: .utf8) else {
                return IndexEntry(claim: claim, verdict: nil, controls: [], hasPlot: false)
            }
            return IndexEntry(claim: claim, verdict: recordedVerdict(text), controls: recordedControls(text),
                              hasPlot: FileManager.default.fileExists(atPath: folder.appendingPathComponent("\(claim.name).svg").path),
                              evidence: recordedEvidence(text))
        }
    }

    static func recordedVerdict(_ markdown: String) -> String? {
        guard let line = markdown.split(separator: "\n").first(where: { $0.hasPrefix("**Verdict: `") }) else { return nil }
        return line.split(separator: "`").dropFirst().first.map(String.init)
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
