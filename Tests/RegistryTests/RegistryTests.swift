import ClaimCore
import ClaimRegistry
import Foundation
import Testing

/// Properties every registered claim must have — enforced for claims added later, too.
@Suite struct RegistryTests {
    let root = locatePackageRoot()

    @Test func idsAreUniqueAndCarryTheirFamilyPrefix() {
        let ids = Registry.claims.map(\.id)
        #expect(Set(ids).count == ids.count)
        for claim in Registry.claims {
            #expect(claim.id.hasPrefix(claim.family.prefix + "."), "\(claim.id) should start with \(claim.family.prefix).")
            #expect(!claim.statement.isEmpty && !claim.citation.title.isEmpty)
        }
    }

    @Test(arguments: Registry.claims.map(\.id))
    func claimHasConfigAtBothScalesProofNoteAndANegativeControl(id: String) throws {
        let claim = try #require(Registry.claim(id: id))
        #expect(!claim.controls.isEmpty, "\(id) declares no negative control: a check that cannot fail is a defect")
        #expect(Set(claim.controls.map(\.id)).count == claim.controls.count)
        for scale in Scale.allCases {
            _ = try ConfigLoader.load(claim: claim, scale: scale, experimentsRoot: root.appendingPathComponent("Experiments"))
        }
        #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent(claim.proofPath).path), "missing \(claim.proofPath)")
    }

    /// Every Experiments config and every Proofs note belongs to a registered claim (1:1).
    @Test func noOrphanConfigsOrProofNotes() throws {
        let expected = Set(Registry.claims.map { "\($0.family.folder)/\($0.name)" })
        for (folder, suffix) in [("Experiments", ".yaml"), ("Proofs", ".md")] {
            let base = root.appendingPathComponent(folder)
            let files = (FileManager.default.enumerator(atPath: base.path)?.allObjects as? [String] ?? []).filter { $0.hasSuffix(suffix) && $0.contains("/") }
            for file in files {
                #expect(expected.contains(String(file.dropLast(suffix.count))), "\(folder)/\(file) has no registered claim")
            }
        }
    }
}

/// Falsifiability, for every registered claim (including ones added later): at quick scale the claim holds and each
/// of its negative controls is rejected by the same checks.
@Suite struct FalsifiabilityTests {
    static var units: [String] { WorkUnit.all(Registry.claims).map { "\($0.claimID)\($0.control.map { "#\($0)" } ?? "")" } }

    @Test(arguments: FalsifiabilityTests.units)
    func claimHoldsAndEveryControlIsViolated(unit: String) throws {
        let parts = unit.split(separator: "#").map(String.init)
        let claim = try #require(Registry.claim(id: parts[0]))
        if parts.count == 1 {
            let report = QuickRuns.run(claim)
            #expect(report.verdict == .holds, "\(claim.id): \(report.verdict.rawValue) — \(report.reason)")
            #expect(!report.table.rows.isEmpty, "\(claim.id) reports no measurements")
        } else {
            let control = try #require(claim.controls.first { $0.id == parts[1] })
            let report = QuickRuns.run(claim, control: control)
            #expect(report.verdict == .violated, "\(claim.id) control \(control.id) was not rejected: \(report.verdict.rawValue) — \(report.reason)")
        }
    }
}
