import ArgumentParser
import ClaimCore
import Foundation

/// `claimcheck`: list, verify and reproduce the registered claims.
public struct ClaimCheckCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "claimcheck",
        abstract: "Executable, falsifiable checks of published machine-learning theory.",
        version: claimcheckVersion,
        subcommands: [List.self, Verify.self, Reproduce.self, Merge.self],
        defaultSubcommand: List.self)

    public init() {}
}

/// A user-facing failure: one line on stderr, then exit with `code`.
struct UsageFailure: Error, CustomStringConvertible {
    let description: String
    let code: Int32
    init(_ description: String, code: Int32 = 2) {
        self.description = description
        self.code = code
    }
}

struct CommonOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: "Master seed for every random stream (same seed ⇒ identical numbers).", transform: parseSeed)
    var seed: UInt64 = defaultMasterSeed

    @Option(help: "Folder holding the package's Experiments/ configs (default: found from the working directory or the executable).")
    var root: String?

    /// Refuses a bad `--root`, an unfindable package root and a bad `CLAIMCHECK_THREADS` before anything runs.
    func validate() throws { try validateRootAndEnvironment(root) }

    var packageRoot: URL { resolvedPackageRoot(root) }
    var experimentsRoot: URL { packageRoot.appendingPathComponent("Experiments") }
}

/// `--root` alone (for `merge`, which takes no seed: the partials carry it).
struct RootOptions: ParsableArguments {
    @Option(help: "Folder holding the package's Experiments/ configs (default: found from the working directory or the executable).")
    var root: String?

    func validate() throws { try validateRootAndEnvironment(root) }

    var packageRoot: URL { resolvedPackageRoot(root) }
    var experimentsRoot: URL { packageRoot.appendingPathComponent("Experiments") }
}

func parseSeed(_ text: String) throws -> UInt64 {
    guard let v = UInt64(text) else { throw ValidationError("'\(text.prefix(40))' is not a seed; expected an integer in 0…\(UInt64.max)") }
    return v
}

func validateRootAndEnvironment(_ root: String?) throws {
    if let root {
        var isDir: ObjCBool = false
        guard !root.isEmpty, FileManager.default.fileExists(atPath: URL(fileURLWithPath: root).appendingPathComponent("Experiments").path, isDirectory: &isDir),
              isDir.boolValue else {
            throw ValidationError("--root '\(root.prefix(200))' has no Experiments/ folder; expected the claimcheck package root (the checkout)")
        }
    } else {
        do { _ = try findPackageRoot() } catch { throw ValidationError(String(describing: error)) }
    }
    do { _ = try requestedWorkerCount() } catch { throw ValidationError(String(describing: error)) }
}

func resolvedPackageRoot(_ root: String?) -> URL {
    root.map { URL(fileURLWithPath: $0) } ?? locatePackageRoot()
}

extension Scale: ExpressibleByArgument {}

/// Resolves ids to claims; an unknown or repeated id, or ids together with a family, is a usage failure.
func selectClaims(_ ids: [String], family: String? = nil) throws -> [any Claim] {
    var claims = Registry.claims
    if let family {
        guard ids.isEmpty else {
            throw UsageFailure("--family \(family.prefix(40)) together with claim ids: give either ids or one family, not both")
        }
        guard let f = Registry.families.first(where: { $0.folder == family || $0.prefix == family }) else {
            throw UsageFailure("unknown family '\(family.prefix(40))'; known: \(Registry.families.map(\.folder).joined(separator: ", "))")
        }
        claims = claims.filter { $0.family == f }
    }
    guard !ids.isEmpty else { return claims }
    var seen: Set<String> = []
    return try ids.map { id in
        guard let claim = Registry.claim(id: id) else {
            throw UsageFailure("unknown claim id '\(id.prefix(80))'; run `claimcheck list` to see the \(Registry.claims.count) registered ids")
        }
        guard seen.insert(id).inserted else { throw UsageFailure("claim id '\(id)' given twice; list each claim once") }
        return claim
    }
}

/// Validates every selected config before anything runs, so a typo fails fast and nothing is written.
func loadParameters(_ claims: [any Claim], runner: ClaimRunner) throws -> [Parameters] {
    try claims.map { claim in
        do { return try runner.parameters(for: claim) } catch { throw UsageFailure(String(describing: error)) }
    }
}

func printError(_ message: String) {
    FileHandle.standardError.write(Data("claimcheck: error: \(message)\n".utf8))
}

/// Runs `body`, turning a `UsageFailure` into one stderr line and its exit code.
func guarded(_ body: () throws -> Void) throws {
    do { try body() } catch let failure as UsageFailure {
        printError(failure.description)
        throw ExitCode(failure.code)
    }
}

func progressPrinter(enabled: Bool) -> (@Sendable (SweepProgress) -> Void)? {
    guard enabled else { return nil }
    return { p in
        FileHandle.standardError.write(Data("  [\(p.claimID)] \(p.completed)/\(p.total) \(p.message)\n".utf8))
    }
}

/// The README's claims table: id, family, guarantee, statement, citation, statement source, and the evidence of the
/// committed results (read from each results page's machine-readable marker under `resultsRoot`).
func claimsTable(_ claims: [any Claim], resultsRoot: URL) -> String {
    var md = "| id | family | guarantee | statement | citation | source | evidence (full scale) |\n|---|---|---|---|---|---|---|\n"
    let index = ResultIndex.merge(all: claims, fresh: [], resultsRoot: resultsRoot)
    for (claim, entry) in zip(claims, index) {
        let citation = claim.citation.arXiv.map { "arXiv:\($0)" } ?? claim.citation.venue
        let cells = ["`\(claim.id)`", claim.family.title, claim.guarantee.rawValue, claim.statement, citation, claim.source.short, entry.evidence ?? "not generated yet"]
        md += "| " + cells.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |\n"
    }
    return md
}

/// Output format of `list` and `verify`.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

func pad(_ s: String, _ width: Int) -> String { s.count >= width ? s : s + String(repeating: " ", count: width - s.count) }
