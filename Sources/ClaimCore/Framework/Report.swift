import Foundation

/// The outcome of a check. Ordered by severity: `holds` < `inconclusive` < `violated` < `error`.
public enum Verdict: String, Sendable, Comparable, CaseIterable, Codable {
    /// The measurement agrees with the prediction within the stated tolerance, and the CI is tight enough to say so.
    case holds
    /// The CI is too wide to decide, or overlaps the acceptance window without the estimate lying in it.
    case inconclusive
    /// The measurement (its whole CI) disagrees with the prediction.
    case violated
    /// The experiment could not produce a trustworthy number: NaN/∞, a LAPACK/GSL failure, a bad config.
    case error

    private var severity: Int { Verdict.allCases.firstIndex(of: self)! }
    public static func < (a: Verdict, b: Verdict) -> Bool { a.severity < b.severity }
}

/// One comparison of a measured quantity against the theory, with its evidence.
public struct Check: Sendable, Equatable, Codable {
    /// What is compared, e.g. "RR K-exponent of E‖x_T − x*‖²/ln²T".
    public let name: String
    public let measured: Double
    /// 95% CI of `measured`, if it is a statistical estimate.
    public let interval: Interval?
    public let predicted: Double
    /// The acceptance rule in words, e.g. "|slope − (−2)| ≤ 0.3".
    public let rule: String
    public let verdict: Verdict
    /// Why, in one line.
    public let reason: String

    public init(name: String, measured: Double, interval: Interval?, predicted: Double, rule: String, verdict: Verdict, reason: String) {
        self.name = name
        self.measured = measured
        self.interval = interval
        self.predicted = predicted
        self.rule = rule
        self.verdict = verdict
        self.reason = reason
    }

    /// A fitted exponent against a predicted one.
    ///
    /// - holds: |estimate − predicted| ≤ tolerance and the CI half-width ≤ `maxHalfWidth`;
    /// - violated: the whole CI lies outside [predicted − tolerance, predicted + tolerance];
    /// - inconclusive: otherwise (CI too wide, or straddling the window edge).
    public static func exponent(_ name: String, fit: PowerLawFit, predicted: Double, tolerance: Double, maxHalfWidth: Double = 0.25) -> Check {
        exponent(name, estimate: fit.exponent, interval: fit.exponentInterval, predicted: predicted, tolerance: tolerance, maxHalfWidth: maxHalfWidth)
    }

    public static func exponent(_ name: String, estimate: Double, interval: Interval, predicted: Double, tolerance: Double, maxHalfWidth: Double = 0.25) -> Check {
        within(name, quantity: "exponent", estimate: estimate, interval: interval, predicted: predicted, tolerance: tolerance, maxHalfWidth: maxHalfWidth)
    }

    /// An estimate with a CI against a predicted value, with the same three-valued rule as `exponent`
    /// (e.g. a measured/predicted constant ratio against its derived value).
    public static func within(_ name: String, quantity: String = "estimate", estimate: Double, interval: Interval, predicted: Double, tolerance: Double, maxHalfWidth: Double) -> Check {
        let rule = "|\(quantity) − (\(formatShort(predicted)))| ≤ \(formatShort(tolerance)), CI half-width ≤ \(formatShort(maxHalfWidth))"
        let window = Interval(predicted - tolerance, predicted + tolerance)
        let verdict: Verdict
        let reason: String
        if !estimate.isFinite || !interval.isFinite {
            verdict = .error; reason = "non-finite \(quantity) or CI"
        } else if interval.upper < window.lower || interval.lower > window.upper {
            verdict = .violated; reason = "95% CI [\(formatShort(interval.lower)), \(formatShort(interval.upper))] lies outside [\(formatShort(window.lower)), \(formatShort(window.upper))]"
        } else if window.contains(estimate) && interval.halfWidth <= maxHalfWidth {
            verdict = .holds; reason = "estimate \(formatShort(estimate)) within \(formatShort(tolerance)) of \(formatShort(predicted))"
        } else if interval.halfWidth > maxHalfWidth {
            verdict = .inconclusive; reason = "CI half-width \(formatShort(interval.halfWidth)) > \(formatShort(maxHalfWidth)): too noisy to decide"
        } else {
            verdict = .inconclusive; reason = "estimate \(formatShort(estimate)) outside the window but its CI overlaps it"
        }
        return Check(name: name, measured: estimate, interval: interval, predicted: predicted, rule: rule, verdict: verdict, reason: reason)
    }

    /// measured ≤ bound (an upper bound). With a CI: holds if its upper end ≤ bound, violated if its lower end > bound.
    public static func atMost(_ name: String, measured: Double, interval: Interval? = nil, bound: Double) -> Check {
        compare(name, measured: measured, interval: interval, bound: bound, upper: true)
    }

    /// measured ≥ bound (a lower bound).
    public static func atLeast(_ name: String, measured: Double, interval: Interval? = nil, bound: Double) -> Check {
        compare(name, measured: measured, interval: interval, bound: bound, upper: false)
    }

    private static func compare(_ name: String, measured: Double, interval: Interval?, bound: Double, upper: Bool) -> Check {
        let symbol = upper ? "≤" : "≥"
        let rule = "measured \(symbol) \(formatShort(bound))"
        guard measured.isFinite, interval?.isFinite ?? true, !bound.isNaN else {
            return Check(name: name, measured: measured, interval: interval, predicted: bound, rule: rule, verdict: .error, reason: "non-finite measurement")
        }
        let sure = interval.map { upper ? $0.upper : $0.lower } ?? measured
        let against = interval.map { upper ? $0.lower : $0.upper } ?? measured
        let ok = { (x: Double) in upper ? x <= bound : x >= bound }
        let verdict: Verdict = ok(sure) ? .holds : (ok(against) ? .inconclusive : .violated)
        let reason = "\(formatShort(measured, digits: 6))\(interval.map { " (CI [\(formatShort($0.lower)), \(formatShort($0.upper))])" } ?? "") \(verdict == .violated ? "breaks" : "vs") \(symbol) \(formatShort(bound, digits: 6))"
        return Check(name: name, measured: measured, interval: interval, predicted: bound, rule: rule, verdict: verdict, reason: reason)
    }

    /// |measured − expected| ≤ relativeTolerance·max(|expected|, scale): equality to a stated relative error.
    public static func close(_ name: String, measured: Double, expected: Double, relativeTolerance: Double, scale: Double = 0) -> Check {
        let reference = max(abs(expected), scale)
        let error = abs(measured - expected) / (reference > 0 ? reference : 1)
        let rule = "relative error ≤ \(formatShort(relativeTolerance))"
        let verdict: Verdict = !(measured.isFinite && expected.isFinite) ? .error : (error <= relativeTolerance ? .holds : .violated)
        return Check(name: name, measured: measured, interval: nil, predicted: expected, rule: rule, verdict: verdict, reason: "relative error \(formatShort(error))")
    }

    /// An exact (e.g. rational-arithmetic) identity: holds iff `exact` is true.
    public static func exact(_ name: String, holds exact: Bool, detail: String) -> Check {
        Check(name: name, measured: exact ? 1 : 0, interval: nil, predicted: 1, rule: "exact equality", verdict: exact ? .holds : .violated, reason: detail)
    }

    /// A failed measurement: the experiment itself produced no trustworthy number.
    public static func failure(_ name: String, reason: String) -> Check {
        Check(name: name, measured: .nan, interval: nil, predicted: .nan, rule: "—", verdict: .error, reason: reason)
    }
}

/// A table cell.
public enum Cell: Sendable, Equatable, Codable {
    case integer(Int)
    case real(Double)
    case text(String)

    /// Full precision, for CSV.
    public var exact: String {
        switch self {
        case let .integer(v): return String(v)
        case let .real(v): return formatNumber(v)
        case let .text(s): return s
        }
    }

    /// Rounded, for Markdown.
    public var short: String {
        switch self {
        case let .integer(v): return String(v)
        case let .real(v): return formatShort(v)
        case let .text(s): return s
        }
    }

    public var isFinite: Bool {
        if case let .real(v) = self { return v.isFinite }
        return true
    }
}

/// The measurements behind a verdict: one row per sweep point (parameters, measured, predicted, ratio, …).
public struct Table: Sendable, Equatable, Codable {
    public var columns: [String]
    public var rows: [[Cell]]
    public init(columns: [String], rows: [[Cell]] = []) {
        self.columns = columns
        self.rows = rows
    }
    public mutating func append(_ row: [Cell]) {
        precondition(row.count == columns.count, "Table row has \(row.count) cells, expected \(columns.count)")
        rows.append(row)
    }
}

/// Everything a run of a claim produced.
public struct Report: Sendable {
    public let claimID: String
    /// The negative control that was run, or nil for the claim itself.
    public let control: NegativeControl?
    public var checks: [Check]
    public var table: Table
    public var plot: Plot?
    /// Remarks worth reading next to the numbers (regime, log factors, what was trimmed).
    public var notes: [String]
    /// Parameter summary (from the config) — part of every output so a table can be traced to its sweep.
    public var parameters: [(key: String, value: String)]

    public init(claimID: String, control: NegativeControl?, checks: [Check], table: Table, plot: Plot? = nil, notes: [String] = [], parameters: [(key: String, value: String)] = []) {
        self.claimID = claimID
        self.control = control
        self.checks = checks
        self.table = table
        self.plot = plot
        self.notes = notes
        self.parameters = parameters
    }

    /// An `error` report for a run that threw.
    public static func failed(claimID: String, control: NegativeControl?, reason: String) -> Report {
        Report(claimID: claimID, control: control, checks: [.failure("experiment", reason: reason)], table: Table(columns: []))
    }

    /// The most severe check verdict; `error` if there are no checks or any table cell is NaN/∞.
    public var verdict: Verdict {
        guard !checks.isEmpty else { return .error }
        if table.rows.contains(where: { $0.contains { !$0.isFinite } }) { return .error }
        return checks.map(\.verdict).max()!
    }

    /// One line explaining the verdict.
    public var reason: String {
        if checks.isEmpty { return "the claim produced no checks" }
        if table.rows.contains(where: { $0.contains { !$0.isFinite } }) { return "a measurement is NaN or ±∞" }
        let worst = checks.filter { $0.verdict == verdict }
        return worst.map { "\($0.name): \($0.reason)" }.joined(separator: "; ")
    }
}

extension Report: Codable {
    private enum CodingKeys: String, CodingKey { case claimID, control, checks, table, plot, notes, parameters }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(claimID: try c.decode(String.self, forKey: .claimID),
                  control: try c.decodeIfPresent(NegativeControl.self, forKey: .control),
                  checks: try c.decode([Check].self, forKey: .checks),
                  table: try c.decode(Table.self, forKey: .table),
                  plot: try c.decodeIfPresent(Plot.self, forKey: .plot),
                  notes: try c.decode([String].self, forKey: .notes),
                  parameters: try c.decode([[String]].self, forKey: .parameters).map { ($0[0], $0[1]) })
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(claimID, forKey: .claimID)
        try c.encodeIfPresent(control, forKey: .control)
        try c.encode(checks, forKey: .checks)
        try c.encode(table, forKey: .table)
        try c.encodeIfPresent(plot, forKey: .plot)
        try c.encode(notes, forKey: .notes)
        try c.encode(parameters.map { [$0.key, $0.value] }, forKey: .parameters)
    }
}
