import ArgumentParser
import ClaimCore
import Foundation

extension ClaimCheckCommand {
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List every registered claim: id, family, citation, statement; or one claim's parameters (--parameters ID).")

        @Flag(help: "Print the claims as the Markdown table used in README.md.")
        var markdown = false

        @Option(help: "Output format: text or json (id, family, guarantee, source, parameters with ranges and configured values, controls).")
        var format: OutputFormat = .text

        @Option(help: ArgumentHelp("Show one claim's parameters: type, admissible range, meaning and the configured value at each scale.",
                                   valueName: "id"))
        var parameters: String?

        @OptionGroup var common: CommonOptions

        func run() throws {
            if let parameters {
                return try guarded { try printParameters(of: parameters) }
            }
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

extension ClaimCheckCommand.List {
    /// `list --parameters ID`: one row per parameter, with the values each scale's config gives it.
    func printParameters(of id: String) throws {
        guard let claim = try selectClaims([id]).first else { return }
        var loaded: [(scale: Scale, values: Parameters?, problem: String?)] = []
        for scale in Scale.allCases {
            do {
                loaded.append((scale, try ConfigLoader.load(claim: claim, scale: scale, experimentsRoot: common.experimentsRoot), nil))
            } catch { loaded.append((scale, nil, String(describing: error))) }
        }
        if format == .json {
            print(try jsonDocument(ClaimListing(claim: claim, experimentsRoot: common.experimentsRoot).parameters))
            return
        }
        print("\(claim.id): parameters of \(claim.configPath)")
        var rows = [["parameter", "type", "range"] + loaded.map(\.scale.rawValue) + ["meaning"]]
        for spec in claim.parameters {
            let (type, range) = typeAndRange(spec.kind)
            rows.append([spec.name, type, range] + loaded.map { $0.values?.values[spec.name]?.description ?? "—" } + [spec.meaning])
        }
        print(aligned(rows, indent: "  "), terminator: "")
        for l in loaded { if let problem = l.problem { print("  \(l.scale.rawValue): config does not load: \(problem)") } }
        print("Override one for a run: claimcheck verify \(claim.id) --set \(claim.parameters.first?.name ?? "key")=VALUE (lists as key=[1,2,3])")
    }
}

/// A parameter kind as ("integers", "1…1000, ≥ 5, increasing").
func typeAndRange(_ kind: ParameterKind) -> (type: String, range: String) {
    switch kind {
    case let .integer(r): return ("integer", "\(r.lowerBound)…\(r.upperBound)")
    case let .real(r): return ("real", "\(formatShort(r.lowerBound))…\(formatShort(r.upperBound))")
    case let .integers(r, minCount, increasing):
        return ("integers", "\(r.lowerBound)…\(r.upperBound), ≥ \(minCount) values" + (increasing ? ", increasing" : ""))
    case let .reals(r, minCount, increasing):
        return ("reals", "\(formatShort(r.lowerBound))…\(formatShort(r.upperBound)), ≥ \(minCount) values" + (increasing ? ", increasing" : ""))
    case let .choice(words): return ("choice", words.joined(separator: " | "))
    }
}
