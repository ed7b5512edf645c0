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

/// What a check is evidence of (issue 13). Only `claim` checks can make a verdict `holds`.
public enum CheckRole: String, Sendable, Codable, CaseIterable {
    /// Tests the cited statement: a rate, a bound, a probability, an identity the theorem asserts.
    case claim
    /// Our build of the paper's construction matches the paper's accounting (layer, neuron, weight counts; width).
    case construction
    /// True by algebra or by construction: it can fail only through a bug, so failure makes the verdict `error`,
    /// and success is never evidence.
    case sanity
    /// Agreement with a recorded earlier run or an external reference implementation: failure ⇒ `error`, success is
    /// never evidence.
    case regression
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
    /// What the check is evidence of. Default `claim`.
    public var role: CheckRole = .claim
    /// The acceptance window of a two-sided check (`within`, `exponent`), nil for one-sided and exact checks.
    public var window: Interval? = nil
    /// The swept variable of a rate check ("K", "n", "1/δ", "m", "ε"), if any.
    public var variable: String? = nil
    /// Predictions of the competing statements this check is meant to tell apart; each must lie outside `window`.
    public var alternatives: [Double] = []
    /// Why a windowed `claim` check has no competing statement, when `alternatives` is empty.
    public var alternativesNote: String? = nil
    /// False for a one-sided check whose measurement sits more than 10× inside its bound: it could not have failed
    /// and is not counted as evidence.
    public var binding: Bool = true

    public init(name: String, measured: Double, interval: Interval?, predicted: Double, rule: String, verdict: Verdict, reason: String) {
        self.name = name
        self.measured = measured
        self.interval = interval
        self.predicted = predicted
        self.rule = rule
        self.verdict = verdict
        self.reason = reason
    }

    /// Whether this check counts as evidence for `holds`: a binding `claim`-role check that holds.
    public var isEvidence: Bool { role == .claim && binding && verdict == .holds }

    /// The same check with `role`.
    public func `as`(_ role: CheckRole) -> Check {
        var c = self
        c.role = role
        return c
    }

    /// The same check, declaring the swept variable and the competing statements' predictions.
    public func sweeping(_ variable: String?, alternatives: [Double]) -> Check {
        var c = self
        c.variable = variable
        c.alternatives = alternatives
        return c
    }

    /// The same check, declaring why no competing statement exists (the Proofs note says more).
    public func withoutAlternative(_ why: String) -> Check {
        var c = self
        c.alternativesNote = why
        return c
    }

    /// Alternatives that the acceptance window would accept — a defect of the check (should be empty).
    public var alternativesInsideWindow: [Double] {
        guard let window else { return [] }
        return alternatives.filter { window.contains($0) }
    }

    /// A fitted exponent against a predicted one.
    ///
    /// - holds: |estimate − predicted| ≤ tolerance and the CI half-width ≤ `maxHalfWidth`;
    /// - violated: the whole CI lies outside [predicted − tolerance, predicted + tolerance];
    /// - inconclusive: otherwise (CI too wide, or straddling the window edge).
    public static func exponent(_ name: String, fit: PowerLawFit, predicted: Double, tolerance: Double, maxHalfWidth: Double = 0.25,
                                variable: String? = nil, alternatives: [Double] = []) -> Check {
        exponent(name, estimate: fit.exponent, interval: fit.exponentInterval, predicted: predicted, tolerance: tolerance, maxHalfWidth: maxHalfWidth,
                 variable: variable, alternatives: alternatives)
    }

    public static func exponent(_ name: String, estimate: Double, interval: Interval, predicted: Double, tolerance: Double, maxHalfWidth: Double = 0.25,
                                variable: String? = nil, alternatives: [Double] = []) -> Check {
        within(name, quantity: "exponent", estimate: estimate, interval: interval, predicted: predicted, tolerance: tolerance, maxHalfWidth: maxHalfWidth,
               variable: variable, alternatives: alternatives)
    }

    /// An estimate with a CI against a predicted value, with the same three-valued rule as `exponent`
    /// (e.g. a measured/predicted constant ratio against its derived value).
    public static func within(_ name: String, quantity: String = "estimate", estimate: Double, interval: Interval, predicted: Double, tolerance: Double,
                              maxHalfWidth: Double, variable: String? = nil, alternatives: [Double] = []) -> Check {
        let rule = "|\(quantity) − (\(formatShort(predicted)))| ≤ \(formatShort(tolerance)), CI half-width ≤ \(formatShort(maxHalfWidth))"
        let window = Interval(predicted - tolerance, predicted + tolerance)
        let verdict: Verdict
        let reason: String
        if !estimate.isFinite || !interval.isFinite || !predicted.isFinite || !tolerance.isFinite {
            verdict = .error; reason = "non-finite \(quantity), CI or window"
        } else if interval.upper < window.lower || interval.lower > window.upper {
            verdict = .violated; reason = "95% CI [\(formatShort(interval.lower)), \(formatShort(interval.upper))] lies outside [\(formatShort(window.lower)), \(formatShort(window.upper))]"
        } else if window.contains(estimate) && interval.halfWidth <= maxHalfWidth {
            verdict = .holds; reason = "estimate \(formatShort(estimate)) within \(formatShort(tolerance)) of \(formatShort(predicted))"
        } else if interval.halfWidth > maxHalfWidth {
            verdict = .inconclusive; reason = "CI half-width \(formatShort(interval.halfWidth)) > \(formatShort(maxHalfWidth)): too noisy to decide"
        } else {
            verdict = .inconclusive; reason = "estimate \(formatShort(estimate)) outside the window but its CI overlaps it"
        }
        var check = Check(name: name, measured: estimate, interval: interval, predicted: predicted, rule: rule, verdict: verdict, reason: reason)
        check.window = window
        check.variable = variable
        check.alternatives = alternatives
        return check
    }

    /// measured ≤ bound (an upper bound). With a CI: holds if its upper end ≤ bound, violated if its lower end > bound.
    /// Non-binding (see `binding`) when the measurement is more than 10× below the bound on `scale` (default |bound|).
    public static func atMost(_ name: String, measured: Double, interval: Interval? = nil, bound: Double, scale: Double? = nil) -> Check {
        compare(name, measured: measured, interval: interval, bound: bound, upper: true, scale: scale)
    }

    /// measured ≥ bound (a lower bound). Non-binding when the measurement is more than 10× above the bound.
    public static func atLeast(_ name: String, measured: Double, interval: Interval? = nil, bound: Double, scale: Double? = nil) -> Check {
        compare(name, measured: measured, interval: interval, bound: bound, upper: false, scale: scale)
    }

    /// Whether a one-sided comparison could have failed: the measurement lies within a factor 10 of the bound.
    ///
    /// With `measured` and `bound` of one sign, the test is on their ratio (≥ 0.1 for an upper bound, ≤ 10 for a
    /// lower bound, mirrored for negative values). Otherwise the slack |bound − measured| must be ≤ 10·`scale`
    /// (default |bound|; a bound of 0 without a scale cannot be judged and counts as binding).
    static func isBinding(measured: Double, bound: Double, upper: Bool, scale: Double?) -> Bool {
        let slack = upper ? bound - measured : measured - bound
        guard slack > 0 else { return true }
        if scale == nil, bound != 0, measured != 0, (measured > 0) == (bound > 0) {
            let ratio = measured / bound
            // For negative values the roles of the ends swap: −0.01 ≤ −1 is loose, −100 ≤ −1 is tight-ish.
            return (upper == (bound > 0)) ? ratio >= 0.1 : ratio <= 10
        }
        let reference = scale ?? abs(bound)
        guard reference > 0 else { return true }
        return slack <= 10 * reference
    }

    private static func compare(_ name: String, measured: Double, interval: Interval?, bound: Double, upper: Bool, scale: Double?) -> Check {
        let symbol = upper ? "≤" : "≥"
        let rule = "measured \(symbol) \(formatShort(bound))"
        guard measured.isFinite, interval?.isFinite ?? true, bound.isFinite || (bound.isInfinite && !measured.isNaN) else {
            return Check(name: name, measured: measured, interval: interval, predicted: bound, rule: rule, verdict: .error, reason: "non-finite measurement or bound")
        }
        let sure = interval.map { upper ? $0.upper : $0.lower } ?? measured
        let against = interval.map { upper ? $0.lower : $0.upper } ?? measured
        let ok = { (x: Double) in upper ? x <= bound : x >= bound }
        let verdict: Verdict = ok(sure) ? .holds : (ok(against) ? .inconclusive : .violated)
        let reason = "\(formatShort(measured, digits: 6))\(interval.map { " (CI [\(formatShort($0.lower)), \(formatShort($0.upper))])" } ?? "") \(verdict == .violated ? "breaks" : "vs") \(symbol) \(formatShort(bound, digits: 6))"
        var check = Check(name: name, measured: measured, interval: interval, predicted: bound, rule: rule, verdict: verdict, reason: reason)
        check.binding = bound.isFinite ? isBinding(measured: measured, bound: bound, upper: upper, scale: scale) : false
        return check
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

extension Check {
    private enum CodingKeys: String, CodingKey {
        case name, measured, interval, predicted, rule, verdict, reason, role, window, variable, alternatives, alternativesNote, binding
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(name: try c.decode(String.self, forKey: .name), measured: try c.decode(Double.self, forKey: .measured),
                  interval: try c.decodeIfPresent(Interval.self, forKey: .interval), predicted: try c.decode(Double.self, forKey: .predicted),
                  rule: try c.decode(String.self, forKey: .rule), verdict: try c.decode(Verdict.self, forKey: .verdict),
                  reason: try c.decode(String.self, forKey: .reason))
        role = try c.decodeIfPresent(CheckRole.self, forKey: .role) ?? .claim
        window = try c.decodeIfPresent(Interval.self, forKey: .window)
        variable = try c.decodeIfPresent(String.self, forKey: .variable)
        alternatives = try c.decodeIfPresent([Double].self, forKey: .alternatives) ?? []
        alternativesNote = try c.decodeIfPresent(String.self, forKey: .alternativesNote)
        binding = try c.decodeIfPresent(Bool.self, forKey: .binding) ?? true
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encode(measured, forKey: .measured)
        try c.encodeIfPresent(interval, forKey: .interval)
        try c.encode(predicted, forKey: .predicted)
        try c.encode(rule, forKey: .rule)
        try c.encode(verdict, forKey: .verdict)
        try c.encode(reason, forKey: .reason)
        try c.encode(role, forKey: .role)
        try c.encodeIfPresent(window, forKey: .window)
        try c.encodeIfPresent(variable, forKey: .variable)
        try c.encode(alternatives, forKey: .alternatives)
        try c.encodeIfPresent(alternativesNote, forKey: .alternativesNote)
        try c.encode(binding, forKey: .binding)
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

    /// The verdict, from the checks' roles (issue 13):
    /// - `error` if there are no checks, any table cell is NaN/∞, or a `sanity`/`regression` check does not hold
    ///   (those can fail only through a bug; an inconclusive one is as untrustworthy as a failed one);
    /// - otherwise the most severe verdict of the `claim` and `construction` checks;
    /// - and `holds` only if at least one binding `claim` check holds — without such evidence, `inconclusive`.
    public var verdict: Verdict { assessment.verdict }

    /// One line explaining the verdict.
    public var reason: String { assessment.reason }

    /// How many checks of each kind the report has: what its verdict rests on.
    public var evidence: Evidence { Evidence(checks) }

    private var assessment: (verdict: Verdict, reason: String) {
        if checks.isEmpty { return (.error, "the claim produced no checks") }
        if table.rows.contains(where: { $0.contains { !$0.isFinite } }) { return (.error, "a measurement is NaN or ±∞") }
        let broken = checks.filter { ($0.role == .sanity || $0.role == .regression) && $0.verdict != .holds }
        if !broken.isEmpty {
            return (.error, broken.map { "\($0.name) (\($0.role.rawValue) check, cannot fail without a bug): \($0.reason)" }.joined(separator: "; "))
        }
        let deciding = checks.filter { $0.role == .claim || $0.role == .construction }
        let worst = deciding.map(\.verdict).max() ?? .holds
        if worst == .holds && !checks.contains(where: \.isEvidence) {
            return (.inconclusive, "no binding claim-role check: nothing here could have falsified the statement")
        }
        let decisive = deciding.filter { $0.verdict == worst && (worst != .holds || $0.isEvidence) }
        return (worst, decisive.map { "\($0.name): \($0.reason)" }.joined(separator: "; "))
    }
}

/// Counts of checks by role, and of one-sided checks that could not bind: the evidence behind a verdict.
public struct Evidence: Sendable, Equatable, Codable {
    public let claim: Int
    public let construction: Int
    public let sanity: Int
    public let regression: Int
    /// Checks (of any role) whose measurement sat more than 10× inside a one-sided bound.
    public let nonBinding: Int

    public init(_ checks: [Check]) {
        claim = checks.filter { $0.role == .claim && $0.binding }.count
        construction = checks.filter { $0.role == .construction }.count
        sanity = checks.filter { $0.role == .sanity }.count
        regression = checks.filter { $0.role == .regression }.count
        nonBinding = checks.filter { !$0.binding }.count
    }

    /// "3 claim, 1 construction, 2 sanity, 0 regression, 1 non-binding".
    public var summary: String {
        "\(claim) claim, \(construction) construction, \(sanity) sanity, \(regression) regression, \(nonBinding) non-binding"
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
