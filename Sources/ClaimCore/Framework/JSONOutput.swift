import Foundation

/// A JSON value, for parameters whose type varies by key. Non-finite numbers are written as `null`.
public enum JSONValue: Sendable, Equatable, Codable {
    case integer(Int)
    case number(Double)
    case string(String)
    case bool(Bool)
    case array([JSONValue])
    case null

    public init(_ value: ParameterValue) {
        switch value {
        case let .integer(v): self = .integer(v)
        case let .real(v): self = JSONValue(v)
        case let .integers(v): self = .array(v.map { .integer($0) })
        case let .reals(v): self = .array(v.map { JSONValue($0) })
        case let .word(v): self = .string(v)
        }
    }

    public init(_ x: Double) { self = x.isFinite ? .number(x) : .null }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null } else if let v = try? c.decode(Bool.self) { self = .bool(v) } else if let v = try? c.decode(Int.self) {
            self = .integer(v)
        } else if let v = try? c.decode(Double.self) { self = .number(v) } else if let v = try? c.decode(String.self) { self = .string(v) } else {
            self = .array(try c.decode([JSONValue].self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case let .integer(v): try c.encode(v)
        case let .number(v): try c.encode(v)
        case let .string(v): try c.encode(v)
        case let .bool(v): try c.encode(v)
        case let .array(v): try c.encode(v)
        case .null: try c.encodeNil()
        }
    }
}

/// One check as `verify --format json` prints it (issue 13): the verdict, what was measured, the window and the
/// competing predictions it rejects. Non-finite numbers are `null`.
public struct CheckRecord: Sendable, Equatable, Codable {
    public let name: String
    public let role: CheckRole
    public let verdict: Verdict
    public let measured: Double?
    public let interval: [Double]?
    public let predicted: Double?
    public let window: [Double]?
    public let binding: Bool
    public let variable: String?
    public let alternatives: [Double]
    public let alternativesNote: String?
    public let rule: String
    public let reason: String

    public init(_ check: Check) {
        func finite(_ x: Double) -> Double? { x.isFinite ? x : nil }
        func pair(_ i: Interval?) -> [Double]? { i.flatMap { $0.isFinite ? [$0.lower, $0.upper] : nil } }
        name = check.name
        role = check.role
        verdict = check.verdict
        measured = finite(check.measured)
        interval = pair(check.interval)
        predicted = finite(check.predicted)
        window = pair(check.window)
        binding = check.binding
        variable = check.variable
        alternatives = check.alternatives
        alternativesNote = check.alternativesNote
        rule = check.rule
        reason = check.reason
    }
}

/// A negative control's outcome: it must be `violated`.
public struct ControlRecord: Sendable, Equatable, Codable {
    public let id: String
    public let description: String
    public let verdict: Verdict
    public let reason: String
    public init(_ report: Report) {
        id = report.control?.id ?? "?"
        description = report.control?.description ?? ""
        verdict = report.verdict
        reason = report.reason
    }
}

/// One verified claim, as `verify --format json` prints it.
public struct ClaimRecord: Sendable, Codable {
    public let id: String
    public let family: String
    public let guarantee: String
    public let statement: String
    public let citation: String
    public let source: StatementSource
    public let parameters: [String: JSONValue]
    public let verdict: Verdict
    public let reason: String
    public let evidence: Evidence
    public let checks: [CheckRecord]
    /// Filled only when controls were run.
    public let controls: [ControlRecord]?
    /// Keys whose value was overridden on the command line (`--set`) and the value the config had; absent if none.
    public let overrides: [String: JSONValue]?
    /// The YAML file the parameters were read from (`--config`), if not the claim's Experiments/ config.
    public let configFile: String?

    public init(claim: any Claim, parameters: Parameters, report: Report, controls: [Report]?,
                overrides: [String: JSONValue]? = nil, configFile: String? = nil) {
        id = claim.id
        family = claim.family.folder
        guarantee = claim.guarantee.rawValue
        statement = claim.statement
        citation = claim.citation.text
        source = claim.source
        self.parameters = parameters.values.mapValues(JSONValue.init)
        verdict = report.verdict
        reason = report.reason
        evidence = report.evidence
        checks = report.checks.map(CheckRecord.init)
        self.controls = controls?.map(ControlRecord.init)
        self.overrides = overrides
        self.configFile = configFile
    }
}

/// The single JSON document `claimcheck verify --format json` prints.
public struct VerificationDocument: Sendable, Codable {
    public let version: String
    public let scale: String
    public let seed: UInt64
    public let claims: [ClaimRecord]

    public init(scale: Scale, seed: UInt64, claims: [ClaimRecord]) {
        version = claimcheckVersion
        self.scale = scale.rawValue
        self.seed = seed
        self.claims = claims
    }
}

/// A parameter's type and admissible range, for `list --format json`.
public struct ParameterDescription: Sendable, Codable {
    public let name: String
    public let meaning: String
    /// "integer", "real", "integers", "reals" or "choice".
    public let type: String
    public let minimum: Double?
    public let maximum: Double?
    public let minCount: Int?
    public let increasing: Bool?
    public let choices: [String]?
    /// The value in each scale's config ("quick", "full"), where it loads.
    public let values: [String: JSONValue]

    public init(_ spec: ParameterSpec, values: [String: JSONValue]) {
        name = spec.name
        meaning = spec.meaning
        self.values = values
        switch spec.kind {
        case let .integer(r):
            (type, minimum, maximum, minCount, increasing, choices) = ("integer", Double(r.lowerBound), Double(r.upperBound), nil, nil, nil)
        case let .real(r):
            (type, minimum, maximum, minCount, increasing, choices) = ("real", r.lowerBound, r.upperBound, nil, nil, nil)
        case let .integers(r, count, inc):
            (type, minimum, maximum, minCount, increasing, choices) = ("integers", Double(r.lowerBound), Double(r.upperBound), count, inc, nil)
        case let .reals(r, count, inc):
            (type, minimum, maximum, minCount, increasing, choices) = ("reals", r.lowerBound, r.upperBound, count, inc, nil)
        case let .choice(words):
            (type, minimum, maximum, minCount, increasing, choices) = ("choice", nil, nil, nil, nil, words)
        }
    }
}

/// One registered claim, as `list --format json` prints it.
public struct ClaimListing: Sendable, Codable {
    public let id: String
    public let family: String
    public let guarantee: String
    public let statement: String
    public let citation: String
    public let source: StatementSource
    public let parameters: [ParameterDescription]
    public let controls: [NegativeControl]

    /// `experimentsRoot` supplies each scale's configured values; a config that does not load is left out.
    public init(claim: any Claim, experimentsRoot: URL) {
        id = claim.id
        family = claim.family.folder
        guarantee = claim.guarantee.rawValue
        statement = claim.statement
        citation = claim.citation.text
        source = claim.source
        controls = claim.controls
        let loaded = Scale.allCases.compactMap { scale in
            (try? ConfigLoader.load(claim: claim, scale: scale, experimentsRoot: experimentsRoot)).map { (scale.rawValue, $0) }
        }
        parameters = claim.parameters.map { spec in
            var values: [String: JSONValue] = [:]
            for (scale, p) in loaded { if let v = p.values[spec.name] { values[scale] = JSONValue(v) } }
            return ParameterDescription(spec, values: values)
        }
    }
}

/// Encodes `value` as one JSON document: sorted keys (byte-identical for the same input), pretty-printed.
public func jsonDocument<T: Encodable>(_ value: T) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
    return String(decoding: try encoder.encode(value), as: UTF8.self)
}
