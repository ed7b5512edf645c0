import Foundation
import Yams

/// The type and admissible range of one config key.
public enum ParameterKind: Sendable, Equatable {
    /// An integer in `range`.
    case integer(ClosedRange<Int>)
    /// A finite real in `range`.
    case real(ClosedRange<Double>)
    /// A non-empty list of integers, each in `range`, at least `minCount` long, strictly increasing if `increasing`.
    case integers(ClosedRange<Int>, minCount: Int, increasing: Bool)
    /// A non-empty list of finite reals, each in `range`.
    case reals(ClosedRange<Double>, minCount: Int, increasing: Bool)
    /// One of the listed words.
    case choice([String])

    var expectation: String {
        switch self {
        case let .integer(r): return "an integer in \(r.lowerBound)…\(r.upperBound)"
        case let .real(r): return "a finite number in \(r.lowerBound)…\(r.upperBound)"
        case let .integers(r, minCount, increasing):
            return "a list of ≥ \(minCount) \(increasing ? "increasing " : "")integers in \(r.lowerBound)…\(r.upperBound)"
        case let .reals(r, minCount, increasing):
            return "a list of ≥ \(minCount) \(increasing ? "increasing " : "")finite numbers in \(r.lowerBound)…\(r.upperBound)"
        case let .choice(words): return "one of \(words.joined(separator: ", "))"
        }
    }
}

/// One key of a claim's Experiments config.
public struct ParameterSpec: Sendable, Equatable {
    public let name: String
    public let kind: ParameterKind
    /// What the value means, with units.
    public let meaning: String

    public init(_ name: String, _ kind: ParameterKind, _ meaning: String) {
        self.name = name
        self.kind = kind
        self.meaning = meaning
    }
}

/// A validated parameter value.
public enum ParameterValue: Sendable, Equatable, CustomStringConvertible {
    case integer(Int)
    case real(Double)
    case integers([Int])
    case reals([Double])
    case word(String)

    public var description: String {
        switch self {
        case let .integer(v): return String(v)
        case let .real(v): return formatNumber(v)
        case let .integers(v): return "[" + v.map(String.init).joined(separator: ", ") + "]"
        case let .reals(v): return "[" + v.map(formatNumber).joined(separator: ", ") + "]"
        case let .word(v): return v
        }
    }
}

/// A malformed or invalid Experiments config. The description is one line: what, where, what is allowed.
public struct ConfigError: Error, CustomStringConvertible, Equatable {
    public let file: String
    public let location: String
    public let problem: String
    public init(file: String, location: String, problem: String) {
        self.file = file
        self.location = location
        self.problem = problem
    }
    public var description: String { location.isEmpty ? "\(file): \(problem)" : "\(file): \(location): \(problem)" }
}

/// The validated parameters of one claim at one scale.
public struct Parameters: Sendable, Equatable {
    public let values: [String: ParameterValue]
    /// Keys in the order of the claim's `parameters` list (for tables).
    public let orderedKeys: [String]

    public init(values: [String: ParameterValue], orderedKeys: [String]) {
        self.values = values
        self.orderedKeys = orderedKeys
    }

    public func int(_ key: String) throws -> Int {
        guard case let .integer(v)? = values[key] else { throw missing(key, "an integer") }
        return v
    }

    public func double(_ key: String) throws -> Double {
        switch values[key] {
        case let .real(v)?: return v
        case let .integer(v)?: return Double(v)
        default: throw missing(key, "a number")
        }
    }

    public func ints(_ key: String) throws -> [Int] {
        guard case let .integers(v)? = values[key] else { throw missing(key, "a list of integers") }
        return v
    }

    public func doubles(_ key: String) throws -> [Double] {
        switch values[key] {
        case let .reals(v)?: return v
        case let .integers(v)?: return v.map(Double.init)
        default: throw missing(key, "a list of numbers")
        }
    }

    public func word(_ key: String) throws -> String {
        guard case let .word(v)? = values[key] else { throw missing(key, "a word") }
        return v
    }

    /// "key = value" lines in declaration order, for reports.
    public var summary: [(key: String, value: String)] {
        orderedKeys.compactMap { key in values[key].map { (key, $0.description) } }
    }

    private func missing(_ key: String, _ what: String) -> ConfigError {
        ConfigError(file: "parameters", location: key, problem: "expected \(what); the claim read a key its config does not provide")
    }
}

/// Reads `Experiments/<family>/<claim>.yaml`:
///
/// ```yaml
/// claim: psgd.rr-vs-replacement
/// quick:
///   components: 4
///   epochs: [500, 1000, 2000, 4000, 8000]
/// full:
///   ...
/// ```
/// Every key of the claim's `parameters` must be present at the requested scale, with the declared type and range;
/// unknown keys are errors (a typo must not silently fall back to a default).
public enum ConfigLoader {
    public static func load(claim: any Claim, scale: Scale, experimentsRoot: URL) throws -> Parameters {
        let url = experimentsRoot.appendingPathComponent(claim.family.folder).appendingPathComponent("\(claim.name).yaml")
        let shown = "Experiments/\(claim.family.folder)/\(claim.name).yaml"
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw ConfigError(file: shown, location: "", problem: "cannot read the file (missing or unreadable); every claim needs its config here")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigError(file: shown, location: "", problem: "not UTF-8 text")
        }
        return try parse(text, claim: claim, scale: scale, file: shown)
    }

    /// Largest config accepted, in bytes (the largest config in the repository is under 2 KB).
    public static let maximumBytes = 64 * 1024
    /// Deepest nesting accepted (configs need 3: top mapping → scale mapping → list). Checked on the text before
    /// the YAML parser runs, so a hostile file cannot exhaust its recursion.
    public static let maximumDepth = 16

    public static func parse(_ text: String, claim: any Claim, scale: Scale, file: String) throws -> Parameters {
        if text.contains("\u{0}") { throw ConfigError(file: file, location: "", problem: "binary data, expected YAML text") }
        if text.utf8.count > maximumBytes {
            throw ConfigError(file: file, location: "", problem: "\(text.utf8.count) bytes; a config may have at most \(maximumBytes) bytes")
        }
        if let (depth, line) = nestingDepth(text), depth > maximumDepth {
            throw ConfigError(file: file, location: "line \(line)", problem: "nested \(depth) levels deep; at most \(maximumDepth) allowed (configs need 3)")
        }
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: text) else { throw ConfigError(file: file, location: "", problem: "empty file, expected a mapping with keys claim, quick, full") }
            root = node
        } catch let error as ConfigError {
            throw error
        } catch {
            let firstLine = String(describing: error).split(separator: "\n").first.map(String.init) ?? "parse error"
            throw ConfigError(file: file, location: "", problem: "malformed YAML (\(firstLine))")
        }
        guard let top = root.mapping else { throw ConfigError(file: file, location: "", problem: "expected a mapping with keys claim, quick, full") }
        let allowedTop: Set<String> = ["claim", "quick", "full"]
        var seenTop: Set<String> = []
        for key in top.keys {
            guard let k = key.string, allowedTop.contains(k) else {
                throw ConfigError(file: file, location: key.string ?? "?", problem: "unknown top-level key; allowed: claim, quick, full")
            }
            guard seenTop.insert(k).inserted else {
                throw ConfigError(file: file, location: k, problem: "duplicate top-level key; each of claim, quick, full may appear once")
            }
        }
        guard let declared = top["claim"]?.string else { throw ConfigError(file: file, location: "claim", problem: "missing; expected the claim id \(claim.id)") }
        guard declared == claim.id else { throw ConfigError(file: file, location: "claim", problem: "names \(declared), expected \(claim.id)") }
        guard let section = top[Node(scale.rawValue)] else { throw ConfigError(file: file, location: scale.rawValue, problem: "missing section for scale \(scale.rawValue)") }
        guard let mapping = section.mapping else { throw ConfigError(file: file, location: scale.rawValue, problem: "expected a mapping of parameter names to values") }

        let specs = Dictionary(uniqueKeysWithValues: claim.parameters.map { ($0.name, $0) })
        var values: [String: ParameterValue] = [:]
        for (keyNode, valueNode) in mapping {
            if let key = keyNode.string, values[key] != nil {
                throw ConfigError(file: file, location: "\(scale.rawValue).\(key)", problem: "duplicate key; each parameter may appear once")
            }
            guard let key = keyNode.string, let spec = specs[key] else {
                let known = claim.parameters.map(\.name).joined(separator: ", ")
                throw ConfigError(file: file, location: "\(scale.rawValue).\(keyNode.string ?? "?")", problem: "unknown key; allowed: \(known)")
            }
            values[key] = try value(of: valueNode, spec: spec, file: file, location: "\(scale.rawValue).\(key)")
        }
        for spec in claim.parameters where values[spec.name] == nil {
            throw ConfigError(file: file, location: "\(scale.rawValue).\(spec.name)", problem: "missing; expected \(spec.kind.expectation) (\(spec.meaning))")
        }
        let parameters = Parameters(values: values, orderedKeys: claim.parameters.map(\.name))
        if let problem = claim.invalidParameters(parameters) {
            throw ConfigError(file: file, location: "\(scale.rawValue).\(problem.key)", problem: problem.problem)
        }
        return parameters
    }

    /// An upper estimate of the YAML nesting depth, read from the text alone: block indentation levels open on a line,
    /// plus compact sequence entries ("- - x"), plus open flow brackets ([ {) outside quotes and comments. Returns the
    /// deepest value and its line (1-based), or nil for empty text.
    static func nestingDepth(_ text: String) -> (depth: Int, line: Int)? {
        var indents: [Int] = []
        var flow = 0
        var deepest: (depth: Int, line: Int)?
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let content = line.drop { $0 == " " }
            if content.isEmpty || content.hasPrefix("#") { continue }
            let indent = line.count - content.count
            if flow == 0 {
                while let last = indents.last, last >= indent { indents.removeLast() }
                indents.append(indent)
            }
            var compact = 0
            var rest = content
            while rest.hasPrefix("- ") || rest.hasPrefix("? ") || rest == "-" {
                compact += 1
                rest = rest.dropFirst(min(2, rest.count)).drop { $0 == " " }
            }
            var lineFlow = flow
            var quote: Character?
            for ch in rest {
                if let q = quote { if ch == q { quote = nil }; continue }
                switch ch {
                case "\"", "'": quote = ch
                case "#": break
                case "[", "{": flow += 1; lineFlow = max(lineFlow, flow)
                case "]", "}": flow = max(0, flow - 1)
                default: continue
                }
                if ch == "#" { break }
            }
            let depth = indents.count + compact + lineFlow
            if deepest == nil || depth > deepest!.depth { deepest = (depth, number + 1) }
        }
        return deepest
    }

    static func value(of node: Node, spec: ParameterSpec, file: String, location: String) throws -> ParameterValue {
        func fail(_ got: String) -> ConfigError {
            ConfigError(file: file, location: location, problem: "expected \(spec.kind.expectation), got \(got)")
        }
        func shown(_ n: Node) -> String {
            if let s = n.scalar?.string { return "'\(s.prefix(40))'" }
            return n.sequence != nil ? "a list" : "a mapping"
        }
        func integer(_ n: Node, _ range: ClosedRange<Int>) throws -> Int {
            guard let s = n.scalar?.string, let v = Int(s) else { throw fail(shown(n)) }
            guard range.contains(v) else { throw fail("\(v)") }
            return v
        }
        func real(_ n: Node, _ range: ClosedRange<Double>) throws -> Double {
            guard let s = n.scalar?.string, let v = Double(s), v.isFinite else { throw fail(shown(n)) }
            guard range.contains(v) else { throw fail(s) }
            return v
        }
        func list(_ minCount: Int) throws -> [Node] {
            guard let seq = node.sequence else { throw fail(shown(node)) }
            guard seq.count >= minCount else { throw fail("a list of \(seq.count)") }
            return Array(seq)
        }
        func checkIncreasing<T: Comparable>(_ xs: [T], _ increasing: Bool) throws {
            if increasing, zip(xs, xs.dropFirst()).contains(where: { $0 >= $1 }) { throw fail("a list that is not strictly increasing") }
        }
        switch spec.kind {
        case let .integer(range): return .integer(try integer(node, range))
        case let .real(range): return .real(try real(node, range))
        case let .integers(range, minCount, increasing):
            let xs = try list(minCount).map { try integer($0, range) }
            try checkIncreasing(xs, increasing)
            return .integers(xs)
        case let .reals(range, minCount, increasing):
            let xs = try list(minCount).map { try real($0, range) }
            try checkIncreasing(xs, increasing)
            return .reals(xs)
        case let .choice(words):
            guard let s = node.scalar?.string, words.contains(s) else { throw fail(shown(node)) }
            return .word(s)
        }
    }
}

/// Shortest round-trip decimal for CSV; deterministic across runs and platforms.
public func formatNumber(_ x: Double) -> String {
    if x.isNaN { return "NaN" }
    if x.isInfinite { return x > 0 ? "inf" : "-inf" }
    if x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
    return "\(x)"
}

/// Four significant digits for Markdown tables.
public func formatShort(_ x: Double, digits: Int = 4) -> String {
    if x.isNaN { return "NaN" }
    if x.isInfinite { return x > 0 ? "∞" : "−∞" }
    if x == x.rounded(), abs(x) < 1e6 { return String(Int64(x)) }
    return String(format: "%.\(digits)g", x)
}
