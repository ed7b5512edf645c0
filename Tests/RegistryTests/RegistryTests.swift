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

    /// Issue 13: every claim says where its statement comes from; none keeps the unreviewed placeholder.
    @Test(arguments: Registry.claims.map(\.id))
    func claimDeclaresTheSourceOfItsStatement(id: String) throws {
        let claim = try #require(Registry.claim(id: id))
        #expect(claim.source != .unreviewed, "\(id): declare `source` (.paper(\"where\") if read in the paper, else .derived(\"how\"))")
        #expect(!claim.source.detail.isEmpty)
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

/// What a `holds` rests on, for every registered claim (including ones added later). Whether each claim holds and each
/// control is violated is asserted in XCTest (`Tests/ClaimXCTests`, one method each); the reports are shared
/// (`QuickRuns`), so nothing is computed twice.
@Suite struct EvidenceRegistryTests {
    @Test(arguments: Registry.claims.map(\.id))
    func holdingClaimRestsOnBindingClaimChecksWithDiscriminatingWindows(id: String) throws {
        let claim = try #require(Registry.claim(id: id))
        let report = QuickRuns.run(claim)
        guard report.verdict == .holds else { return }  // the XCTest method reports it
        #expect(report.checks.contains { $0.isEvidence }, "\(claim.id): no binding claim-role check holds")
        for check in report.checks {
            // A window wide enough to accept a competing theory's prediction cannot tell the two apart.
            #expect(check.alternativesInsideWindow.isEmpty,
                    "\(claim.id) check '\(check.name)': alternatives \(check.alternativesInsideWindow) lie inside its window \(check.window.map { "[\($0.lower), \($0.upper)]" } ?? "")")
            if check.role == .claim, check.window != nil {
                #expect(!check.alternatives.isEmpty || check.alternativesNote != nil,
                        "\(claim.id) check '\(check.name)': a claim-role rate/window check declares its alternatives (or why there is none)")
            }
        }
    }
}
