import ClaimCore
import Foundation
import Testing
@testable import InfiniteWidth

@Suite struct ScratchTests {
    @Test func printAll() throws {
        let only = ProcessInfo.processInfo.environment["IW_ONLY"]
        for claim in InfiniteWidthClaims.all where only == nil || claim.id.contains(only!) {
            for control in [nil] + claim.controls.map { Optional($0) } {
                let t0 = Date(); let c0 = clock()
                let r = QuickRuns.run(claim, control: control)
                print("== \(claim.id) \(control?.id ?? "CLAIM") → \(r.verdict) [\(String(format: "%.2f", Date().timeIntervalSince(t0))) s wall, \(String(format: "%.2f", Double(clock() - c0) / Double(CLOCKS_PER_SEC))) s cpu]")
                for c in r.checks { print("   \(c.verdict) \(c.name): \(formatShort(c.measured)) \(c.interval.map { "[\(formatShort($0.lower)), \(formatShort($0.upper))]" } ?? "") — \(c.reason)") }
                if control == nil { print(r.table.columns.joined(separator: " | ")); for row in r.table.rows { print(row.map(\.short).joined(separator: " | ")) } }
            }
        }
    }
}
