import ClaimCore
import Foundation

/// `verify --explain ID`: everything behind one verdict, for a terminal — the statement and where it comes from,
/// the parameters (overrides marked), every check with its role, window and alternatives, the negative controls,
/// and the measurements (the full table when short, else its first and last rows and each column's range).
func explanation(claim: any Claim, report: Report, controls: [Report], resolved: ResolvedParameters, scale: Scale) -> String {
    var out = "\(claim.id) — \(report.verdict.rawValue)\n"
    out += "  statement (\(claim.guarantee.rawValue)): \(claim.statement)\n"
    out += "  source: \(claim.source.short)\n"
    out += "  citation: \(claim.citation.text)\n"
    out += "  config: \(resolved.configFile ?? claim.configPath) (scale \(scale.rawValue)); proof note: \(claim.proofPath)\n"
    if !report.parameters.isEmpty {
        out += "  parameters:\n" + report.parameters.map { "    \($0.key) = \($0.value)\n" }.joined()
    }
    out += "  why: \(report.reason)\n"

    out += "\nChecks (\(report.evidence.summary); only binding claim checks can make it hold)\n"
    var rows = [["check", "role", "measured", "95% CI", "predicted", "window / rule", "alternatives", "verdict"]]
    for c in report.checks {
        rows.append([c.name, c.role.rawValue, formatShort(c.measured), c.interval.map(intervalText) ?? "—", formatShort(c.predicted),
                     c.window.map(intervalText) ?? c.rule, alternativesText(c), c.verdict.rawValue + (c.binding ? "" : " (non-binding)")])
    }
    out += aligned(rows, indent: "  ")
    out += "  reasons:\n" + report.checks.map { "    \($0.name): \($0.reason)\n" }.joined()

    out += "\nNegative controls (each must be violated)\n"
    if controls.isEmpty { out += "  (none run)\n" }
    for r in controls {
        let mark = r.verdict == .violated ? "rejected as it must be" : "NOT REJECTED"
        out += "  \(r.control?.id ?? "?"): \(r.verdict.rawValue) — \(mark)\n"
        out += "    what is wrong: \(r.control?.description ?? "")\n"
        out += "    why: \(decisiveSummary(r))\n"
    }

    out += "\nMeasurements (\(report.table.rows.count) rows × \(report.table.columns.count) columns)\n"
    out += measurementSummary(report.table)
    if !report.notes.isEmpty { out += "\nNotes\n" + report.notes.map { "  - \($0)\n" }.joined() }
    return out
}

/// The whole table when it has at most 12 rows; else the first and last 4 rows and each numeric column's range.
func measurementSummary(_ table: Table) -> String {
    guard !table.columns.isEmpty else { return "  (no table)\n" }
    let shown: [[Cell]]
    let cut = table.rows.count > 12
    shown = cut ? Array(table.rows.prefix(4)) + Array(table.rows.suffix(4)) : table.rows
    var rows = [table.columns] + shown.map { $0.map(\.short) }
    if cut { rows.insert(table.columns.map { _ in "⋮" }, at: 5) }
    var out = aligned(rows, indent: "  ")
    if cut {
        out += "  ranges:\n"
        for (j, name) in table.columns.enumerated() {
            let xs = table.rows.compactMap { row -> Double? in
                switch row[j] {
                case let .integer(v): return Double(v)
                case let .real(v): return v
                case .text: return nil
                }
            }
            guard let lo = xs.min(), let hi = xs.max() else { continue }
            out += "    \(name): \(formatShort(lo)) … \(formatShort(hi))\n"
        }
    }
    return out
}

func intervalText(_ i: Interval) -> String { "[\(formatShort(i.lower)), \(formatShort(i.upper))]" }

/// "in K: −2, −1" / "none: why" / "—" (as on the results pages).
func alternativesText(_ c: Check) -> String {
    let swept = c.variable.map { "in \($0)" }
    if !c.alternatives.isEmpty {
        return [swept, c.alternatives.map { formatShort($0) }.joined(separator: ", ")].compactMap { $0 }.joined(separator: ": ")
    }
    if c.alternativesNote != nil { return [swept, "none (see note)"].compactMap { $0 }.joined(separator: ": ") }
    return swept ?? "—"
}

/// Rows as left-aligned text columns separated by two spaces.
func aligned(_ rows: [[String]], indent: String) -> String {
    guard let first = rows.first else { return "" }
    let widths = (0..<first.count).map { j in rows.map { j < $0.count ? $0[j].count : 0 }.max() ?? 0 }
    return rows.map { row in
        indent + row.enumerated().map { j, cell in j == row.count - 1 ? cell : pad(cell, widths[j]) }.joined(separator: "  ") + "\n"
    }.joined()
}
