import ArgumentParser
import ClaimCore
import ClaimRegistry
import Foundation

extension ClaimCheckCommand {
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List every registered claim: id, family, citation, statement.")

        @Flag(help: "Print the claims as the Markdown table used in README.md.")
        var markdown = false

        func run() throws {
            if markdown {
                print(claimsTable(Registry.claims), terminator: "")
                return
            }
            for family in Family.all {
                let claims = Registry.claims(in: family)
                guard !claims.isEmpty else { continue }
                print("\(family.title) [\(family.folder)]")
                for claim in claims {
                    print("  \(claim.id)  (\(claim.guarantee.rawValue))")
                    print("      \(claim.statement)")
                    print("      \(claim.citation.text)")
                    print("      controls: \(claim.controls.map(\.id).joined(separator: ", "))")
                }
            }
        }
    }
}
