import ArgumentParser
import ClaimCore
import Foundation

/// `--set key=value` and `--config FILE`: run one claim at parameters of one's own choosing.
///
/// Overridden values go through the same loader as the configs under `Experiments/` — the declared type and range
/// of every key, then the claim's hypotheses (`invalidParameters`) on the whole parameter set — so a value outside a
/// theorem's hypotheses is refused (exit 2) before anything runs, exactly as it would be in a config file.
struct OverrideOptions: ParsableArguments {
    @Option(name: .customLong("set"),
            help: ArgumentHelp("Override one parameter of the selected scale's config for the one claim named (repeatable; lists as key=[1,2,3]).",
                               valueName: "key=value"))
    var assignments: [String] = []

    @Option(help: ArgumentHelp("Run the one claim named with the parameters of this YAML file (same format as its Experiments/ config).",
                               valueName: "file"))
    var config: String?

    var isActive: Bool { !assignments.isEmpty || config != nil }

    /// The parameters of `claims` at the runner's scale: from its config (or `--config`), with `--set` applied.
    /// Throws a `UsageFailure` (exit 2) naming the file or option, the key and what is allowed.
    func parameters(_ claims: [any Claim], runner: ClaimRunner) throws -> [ResolvedParameters] {
        if isActive, claims.count != 1 {
            throw UsageFailure("--set and --config apply to one claim; name exactly one id (got \(claims.count))")
        }
        return try claims.map { claim in
            do {
                let base: Parameters
                if let config {
                    guard let data = FileManager.default.contents(atPath: config) else {
                        throw UsageFailure("--config \(config): cannot read the file")
                    }
                    guard let text = String(data: data, encoding: .utf8) else { throw UsageFailure("--config \(config): not UTF-8 text") }
                    base = try ConfigLoader.parse(text, claim: claim, scale: runner.scale, file: config)
                } else {
                    base = try runner.parameters(for: claim)
                }
                return try apply(assignments, to: base, claim: claim, scale: runner.scale, configFile: config)
            } catch let error as ConfigError {
                throw UsageFailure(String(describing: error))
            }
        }
    }
}

/// A claim's parameters and where they came from.
struct ResolvedParameters {
    let parameters: Parameters
    /// Overridden keys (in declaration order) with the value the config had.
    let overridden: [(key: String, configured: ParameterValue?)]
    /// The `--config` file, if the parameters came from one.
    let configFile: String?
}

/// A `--set key=value` split at the first `=`.
struct Assignment: Equatable {
    let key: String
    let value: String

    init(key: String, value: String) {
        self.key = key
        self.value = value
    }

    init(parsing text: String) throws {
        guard let eq = text.firstIndex(of: "="), eq != text.startIndex else {
            throw UsageFailure("--set \(text): expected key=value, e.g. --set repetitions=200 or --set epochs=[500,1000,2000]")
        }
        key = String(text[..<eq]).trimmingCharacters(in: .whitespaces)
        value = String(text[text.index(after: eq)...]).trimmingCharacters(in: .whitespaces)
        guard !value.isEmpty, !value.contains(where: \.isNewline), !value.contains("#") else {
            throw UsageFailure("--set \(text): the value must be one non-empty line without '#'")
        }
    }
}

/// Applies `--set` assignments to `base` and validates the result with the config loader (types, ranges, hypotheses).
func apply(_ assignments: [String], to base: Parameters, claim: any Claim, scale: Scale, configFile: String?) throws -> ResolvedParameters {
    guard !assignments.isEmpty else { return ResolvedParameters(parameters: base, overridden: [], configFile: configFile) }
    var values: [String: String] = [:]
    for text in assignments {
        let a = try Assignment(parsing: text)
        guard claim.parameters.contains(where: { $0.name == a.key }) else {
            throw UsageFailure("--set \(a.key): not a parameter of \(claim.id); allowed: \(claim.parameters.map(\.name).joined(separator: ", "))")
        }
        guard values[a.key] == nil else { throw UsageFailure("--set \(a.key): given twice; each parameter may be set once") }
        values[a.key] = a.value
    }
    // The whole parameter set as one YAML section: configured values, then the overrides in their place.
    var yaml = "claim: \(claim.id)\n\(scale.rawValue):\n"
    for spec in claim.parameters {
        let text = values[spec.name] ?? base.values[spec.name].map(yamlText) ?? ""
        yaml += "  \(spec.name): \(text)\n"
    }
    let merged = try ConfigLoader.parse(yaml, claim: claim, scale: scale, file: "--set")
    let overridden = claim.parameters.compactMap { spec -> (key: String, configured: ParameterValue?)? in
        values[spec.name] == nil ? nil : (spec.name, base.values[spec.name])
    }
    return ResolvedParameters(parameters: merged, overridden: overridden, configFile: configFile)
}

/// A parameter value as YAML the config loader reads back to the same value.
private func yamlText(_ value: ParameterValue) -> String {
    switch value {
    case let .word(w): return "'" + w.replacingOccurrences(of: "'", with: "''") + "'"
    default: return value.description
    }
}

extension ResolvedParameters {
    /// `report` with overridden parameters marked, e.g. "200 (--set; config: 600)", for tables and results pages.
    func annotate(_ report: Report) -> Report {
        var report = report
        let marks = Dictionary(uniqueKeysWithValues: overridden.map { ($0.key, $0.configured) })
        report.parameters = report.parameters.map { p in
            marks[p.key].map { (p.key, "\(p.value) (--set; config: \($0?.description ?? "—"))") } ?? p
        }
        if let configFile { report.notes.append("Parameters read from \(configFile) (--config), not from the claim's Experiments/ config.") }
        return report
    }

    /// For the JSON record: overridden keys with the configured value, nil if none.
    var overridesRecord: [String: JSONValue]? {
        overridden.isEmpty ? nil : Dictionary(uniqueKeysWithValues: overridden.map { ($0.key, $0.configured.map(JSONValue.init) ?? .null) })
    }

    /// "repetitions=200, epochs=[…]" or nil.
    var overrideSummary: String? {
        let parts = overridden.map { o in "\(o.key)=\(parameters.values[o.key]?.description ?? "?")" }
        let all = (configFile.map { ["--config \($0)"] } ?? []) + parts
        return all.isEmpty ? nil : all.joined(separator: ", ")
    }
}
