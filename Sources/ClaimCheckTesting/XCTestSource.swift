import ClaimCore
import Foundation

/// Linux XCTest finds test methods at build time, so each claim's XCTest method is written out in a source file
/// (`Tests/ClaimXCTests/ClaimTests.swift`) generated from the registry; a coverage test compares that file with
/// `XCTestSource.generate(_:)` so a claim added without its method turns `swift test` red.
public enum XCTestSource {
    /// One `XCTestCase` subclass per family, one method per claim (`test_<claim>`) and per control
    /// (`test_<claim>__<control>`), in registry order.
    public static func generate(_ claims: [any Claim], registryModule: String = "ClaimRegistry", registry: String = "Registry") -> String {
        var families: [Family] = []
        for claim in claims where !families.contains(claim.family) { families.append(claim.family) }
        var out = """
            // Generated from the claim registry by `XCTestSource.generate` — do not edit by hand.
            // Regenerate: CLAIMCHECK_REGENERATE_XCTESTS=1 swift test --filter XCTestCoverageTests
            import ClaimCheckTesting
            import ClaimCore
            import \(registryModule)
            import XCTest

            /// The registered claim `id`; fails the test if it is gone. The first call computes every quick run of the
            /// registry in parallel (XCTest runs these methods one at a time; each then reads its shared report).
            private func claim(_ id: String, file: StaticString = #filePath, line: UInt = #line) throws -> any Claim {
                QuickRuns.prewarm(\(registry).claims)
                return try XCTUnwrap(\(registry).claim(id: id), "claim \\(id) is no longer registered: regenerate this file", file: file, line: line)
            }

            """
        for family in families {
            out += "\n/// \(family.title): each claim holds at quick scale; each negative control is violated.\n"
            out += "final class \(typeName(family.folder))ClaimTests: XCTestCase {\n"
            for claim in claims where claim.family == family {
                out += "    func test_\(memberName(claim.name))() throws { XCTAssertClaimHolds(try claim(\"\(claim.id)\")) }\n"
                for control in claim.controls {
                    out += "    func test_\(memberName(claim.name))__\(memberName(control.id))() throws {\n"
                    out += "        XCTAssertControlViolated(try claim(\"\(claim.id)\"), control: \"\(control.id)\")\n    }\n"
                }
            }
            out += "}\n"
        }
        return out
    }

    /// "permutation-sgd" → "PermutationSgd".
    static func typeName(_ words: String) -> String {
        words.split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }

    /// "rr-vs-replacement" → "rrVsReplacement".
    static func memberName(_ words: String) -> String {
        let name = typeName(words)
        return name.prefix(1).lowercased() + name.dropFirst()
    }
}
