import ArgumentParser
import ClaimCore
import Foundation

/// The claims the command line runs: this repository's registry, or an outside package's own list, handed over by
/// `ClaimCheckCommand.main(claims:)` before the arguments are parsed.
///
/// Every subcommand reads the claims (and their families) from here, so `list`, `verify`, `reproduce` and `merge`
/// behave the same for any package's claims, with that package's `Experiments/`, `Proofs/` and `results/`.
enum Registry {
    nonisolated(unsafe) private(set) static var claims: [any Claim] = []

    /// Installs `claims` (called once, before parsing). Returns the first problem, or nil.
    static func install(_ claims: [any Claim]) -> String? {
        var seen = Set<String>()
        for claim in claims {
            guard seen.insert(claim.id).inserted else { return "claim id '\(claim.id)' is registered twice" }
            guard claim.id.hasPrefix(claim.family.prefix + ".") else {
                return "claim id '\(claim.id)' must start with its family prefix '\(claim.family.prefix).'"
            }
        }
        Self.claims = claims
        return nil
    }

    static func claim(id: String) -> (any Claim)? { claims.first { $0.id == id } }

    static func claims(in family: Family) -> [any Claim] { claims.filter { $0.family == family } }

    /// The families of the registered claims, in order of first appearance.
    static var families: [Family] {
        var seen = Set<Family>()
        return claims.map(\.family).filter { seen.insert($0).inserted }
    }
}

extension ClaimCheckCommand {
    /// Runs `claimcheck` (list, verify, reproduce, merge) over `claims` and exits.
    ///
    /// This is the whole `main.swift` of a package of one's own claims:
    ///
    /// ```swift
    /// import ClaimCheckCLI
    /// import MyBounds
    ///
    /// ClaimCheckCommand.main(claims: MyBoundsClaims.all)
    /// ```
    ///
    /// Configs are read from `Experiments/<family folder>/<claim name>.yaml` and results written to `results/` under
    /// the package root: the nearest ancestor of the working directory that has an `Experiments/` folder (or
    /// `--root`, or `CLAIMCHECK_ROOT`).
    ///
    /// - Parameters:
    ///   - claims: the claims to offer; ids must be unique and start with their family's prefix.
    ///   - arguments: the command-line arguments without the program name (default: the process's arguments).
    public static func main(claims: [any Claim], arguments: [String]? = nil) -> Never {
        if let problem = Registry.install(claims) {
            FileHandle.standardError.write(Data("claimcheck: error: \(problem)\n".utf8))
            Self.exit(withError: ExitCode(2))
        }
        main(arguments)
    }
}
