import ClaimCore
import Foundation
import XCTest

/// Asserts, in XCTest, that `claim` holds at `scale` under `seed`: its report is `holds`, which needs at least one
/// binding `claim`-role check that holds and none that fails. On failure the message names the decisive check with
/// its measured value, CI and acceptance window.
///
/// At quick scale with the default seed and the package's own configs the report is shared with every other test of
/// the run (`QuickRuns`); otherwise the claim is run here from `experimentsRoot` (default: the package root found
/// from the working directory).
public func XCTAssertClaimHolds(_ claim: any Claim, scale: Scale = .quick, seed: UInt64 = defaultMasterSeed, experimentsRoot: URL? = nil,
                                file: StaticString = #filePath, line: UInt = #line) {
    let report = claimReport(claim, control: nil, scale: scale, seed: seed, experimentsRoot: experimentsRoot)
    if report.verdict != .holds {
        XCTFail("\(claim.id) is \(report.verdict.rawValue), expected holds — \(decisiveSummary(report))", file: file, line: line)
    } else if report.table.rows.isEmpty {
        XCTFail("\(claim.id) holds but reports no measurements", file: file, line: line)
    }
}

/// Asserts, in XCTest, that the negative control `control` (an id of `claim.controls`) is rejected: its report is
/// `violated`. A control that comes out `holds`, `inconclusive` or `error` means the claim's checks could not tell
/// the deliberate mistake from the statement.
public func XCTAssertControlViolated(_ claim: any Claim, control: String, scale: Scale = .quick, seed: UInt64 = defaultMasterSeed,
                                     experimentsRoot: URL? = nil, file: StaticString = #filePath, line: UInt = #line) {
    guard let negative = claim.controls.first(where: { $0.id == control }) else {
        XCTFail("\(claim.id) has no control '\(control)'; its controls: \(claim.controls.map(\.id).joined(separator: ", "))", file: file, line: line)
        return
    }
    let report = claimReport(claim, control: negative, scale: scale, seed: seed, experimentsRoot: experimentsRoot)
    if report.verdict != .violated {
        XCTFail("\(claim.id) control \(control) is \(report.verdict.rawValue), expected violated — \(decisiveSummary(report))", file: file, line: line)
    }
}

func claimReport(_ claim: any Claim, control: NegativeControl?, scale: Scale, seed: UInt64, experimentsRoot: URL?) -> Report {
    if scale == .quick, seed == defaultMasterSeed, experimentsRoot == nil { return QuickRuns.run(claim, control: control) }
    let root = experimentsRoot ?? locatePackageRoot().appendingPathComponent("Experiments")
    return ClaimRunner(experimentsRoot: root, scale: scale, masterSeed: seed).run(claim, control: control)
}

/// The checks that decide the verdict, each as "name [role]: measured m (CI [a, b]) vs window [l, u] / rule — reason".
public func decisiveSummary(_ report: Report) -> String {
    let verdict = report.verdict
    let decisive = report.checks.filter { $0.verdict == verdict && $0.role != .sanity && $0.role != .regression }
    let shown = decisive.isEmpty ? report.checks.filter { $0.verdict != .holds || !$0.isEvidence } : decisive
    guard !shown.isEmpty else { return report.reason }
    return shown.map { c in
        let ci = c.interval.map { " (CI [\(formatShort($0.lower)), \(formatShort($0.upper))])" } ?? ""
        let window = c.window.map { "window [\(formatShort($0.lower)), \(formatShort($0.upper))]" } ?? c.rule
        return "\(c.name) [\(c.role.rawValue)\(c.binding ? "" : ", non-binding")]: measured \(formatShort(c.measured))\(ci) vs \(window) — \(c.reason)"
    }.joined(separator: "; ")
}
