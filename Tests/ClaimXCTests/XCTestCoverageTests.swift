import ClaimCheckTesting
import ClaimCore
import ClaimRegistry
import Foundation
import XCTest

/// Every registered claim and control has its XCTest method: `ClaimTests.swift` is exactly what the registry
/// generates. With CLAIMCHECK_REGENERATE_XCTESTS=1 the test rewrites the file instead (then rebuild and rerun).
final class XCTestCoverageTests: XCTestCase {
    func testEveryClaimAndControlHasItsXCTestMethod() throws {
        let file = locatePackageRoot().appendingPathComponent("Tests/ClaimXCTests/ClaimTests.swift")
        let expected = XCTestSource.generate(Registry.claims)
        if ProcessInfo.processInfo.environment["CLAIMCHECK_REGENERATE_XCTESTS"] == "1" {
            try writeAtomically(expected, to: file)
            return
        }
        let committed = (try? String(contentsOf: file, encoding: .utf8)) ?? ""
        let missing = WorkUnit.all(Registry.claims).filter { unit in
            let call = unit.control.map { "XCTAssertControlViolated(try claim(\"\(unit.claimID)\"), control: \"\($0)\")" }
                ?? "XCTAssertClaimHolds(try claim(\"\(unit.claimID)\"))"
            return !committed.contains(call)
        }
        XCTAssertEqual(committed, expected, """
            Tests/ClaimXCTests/ClaimTests.swift is out of date with the registry\(missing.isEmpty ? "" : " (no XCTest method for \(missing.map { "\($0.claimID)\($0.control.map { " control \($0)" } ?? "")" }.joined(separator: ", ")))"). \
            Regenerate it: CLAIMCHECK_REGENERATE_XCTESTS=1 swift test --filter XCTestCoverageTests
            """)
    }
}
