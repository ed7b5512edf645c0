import ArgumentParser
import ClaimCore
import ClaimRegistry
import Foundation

extension ClaimCheckCommand {
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List every registered claim: id, family, citation, statement.")

        @Flag(help: "Print the claims as the Markdown table used in README.md.")
        var markdown = false

        @Option(help: "Output format: text or json (id, family, guarantee, source, parameters with ranges and configured values, controls).")
        var format: OutputFormat = .text

        @OptionGroup var common: CommonOptions

        func run() throws {
            if markdown {
                print(claimsTable(Registry.claims, resultsRoot: common.packageRoot.appendingPathComponent("results")), terminator: "")
                return
            }
            if format == .json {
                let listings = Registry.claims.map { ClaimListing(claim: $0, experimentsRoot: common.experimentsRoot) }
                print(try jsonDocument(listings))
                return
            }
            for family in Registry.families {
                let claims = Registry.claims(in: family)
                guard !claims.isEmpty else { continue }
                print("\(family.title) [\(family.folder)]")
                for claim in claims {
                    print("  \(claim.id)  (\(claim.guarantee.rawValue))")
                    print("      \(claim.statement)")
                    print("      \(claim.citation.text)")
                    print("      source: \(claim.source.short)")
                    print("      controls: \(claim.controls.map(\.id).joined(separator: ", "))")
                }
            }
        }
    }
}
