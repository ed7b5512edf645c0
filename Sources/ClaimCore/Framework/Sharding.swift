import Foundation

/// The version written into partial results; `merge` refuses to combine partials from different versions.
public let claimcheckVersion = "0.1.0"

/// Shard I of N (1 ≤ I ≤ N ≤ `ShardSpec.maximumCount`), written "I/N".
public struct ShardSpec: Codable, Equatable, Sendable, CustomStringConvertible {
    public let index: Int
    public let count: Int

    /// No sweep has more work units than this; a larger shard count is a typo (or an attack on memory).
    public static let maximumCount = 4096

    public init(index: Int, count: Int) throws {
        guard (1...Self.maximumCount).contains(count), (1...count).contains(index) else {
            throw ShardError("shard \(index)/\(count): need 1 ≤ I ≤ N ≤ \(Self.maximumCount)")
        }
        self.index = index
        self.count = count
    }

    /// Parses "I/N".
    public init(parsing text: String) throws {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]) else {
            throw ShardError("--shard '\(text.prefix(40))' is not a shard; expected I/N with 1 ≤ I ≤ N, such as 2/8")
        }
        try self.init(index: i, count: n)
    }

    private enum CodingKeys: String, CodingKey { case index, count }

    /// Decoded shards obey the same rule as constructed ones.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let index = try c.decode(Int.self, forKey: .index), count = try c.decode(Int.self, forKey: .count)
        do { try self.init(index: index, count: count) } catch {
            throw DecodingError.dataCorruptedError(forKey: .count, in: c, debugDescription: String(describing: error))
        }
    }

    /// From a SLURM job array. With `count` (the sweep's shard count, `--shards N`) the array task id *is* the shard
    /// index, so resubmitting one element (`sbatch --array=2 …`) reruns shard 2 of N. Without it the count and index
    /// come from the array: index = (ID − MIN)/STEP + 1 of COUNT, which needs a contiguous (possibly stepped) range;
    /// lists and single elements other than 1 are refused, since they cannot say how many shards the sweep has.
    /// Returns nil outside an array; half-set variables are an error.
    public static func fromSLURM(_ environment: [String: String], count declared: Int? = nil) throws -> ShardSpec? {
        let names = ["SLURM_ARRAY_TASK_ID", "SLURM_ARRAY_TASK_COUNT", "SLURM_ARRAY_TASK_MIN", "SLURM_ARRAY_TASK_MAX"]
        let present = names.filter { environment[$0] != nil }
        if present.isEmpty { return nil }
        if present.count < names.count {
            let missing = names.filter { environment[$0] == nil }
            throw ShardError("\(present.joined(separator: ", ")) set but \(missing.joined(separator: ", ")) not; a SLURM array task sets all of them (unset them, or pass --shard I/N)")
        }
        func integer(_ name: String) throws -> Int {
            guard let text = environment[name], let v = Int(text) else {
                throw ShardError("\(name)='\((environment[name] ?? "").prefix(40))' is not an integer")
            }
            return v
        }
        let id = try integer("SLURM_ARRAY_TASK_ID"), n = try integer("SLURM_ARRAY_TASK_COUNT")
        let lowest = try integer("SLURM_ARRAY_TASK_MIN"), highest = try integer("SLURM_ARRAY_TASK_MAX")
        let step = environment["SLURM_ARRAY_TASK_STEP"] == nil ? 1 : try integer("SLURM_ARRAY_TASK_STEP")
        if let declared {
            guard (1...declared).contains(id) else {
                throw ShardError("SLURM_ARRAY_TASK_ID=\(id) is not a shard of --shards \(declared); submit the array as --array=1-\(declared) (or a subset of it)")
            }
            return try ShardSpec(index: id, count: declared)
        }
        guard step >= 1, n >= 1, highest == lowest + (n - 1) * step, (id - lowest) % step == 0, (lowest...highest).contains(id) else {
            throw ShardError("SLURM array \(lowest)-\(highest) (\(n) tasks, step \(step)) is not a contiguous range; submit --array=1-N, or pass --shards N so the task id is the shard index")
        }
        if n == 1, lowest != 1 {
            throw ShardError("a single-element SLURM array (task \(id)) does not say how many shards the sweep has; pass --shards N (the sweep's shard count)")
        }
        return try ShardSpec(index: (id - lowest) / step + 1, count: n)
    }

    public var description: String { "\(index)/\(count)" }
    public var fileName: String { "shard-\(index)-of-\(count).json" }
}

public struct ShardError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// One run: a claim (control == nil) or one of its negative controls.
public struct WorkUnit: Codable, Hashable, Sendable, CustomStringConvertible {
    public let claimID: String
    public let control: String?

    public init(claimID: String, control: String?) {
        self.claimID = claimID
        self.control = control
    }

    /// Every unit of `claims`, in order: each claim, then its controls.
    public static func all(_ claims: [any Claim]) -> [WorkUnit] {
        claims.flatMap { claim in [WorkUnit(claimID: claim.id, control: nil)] + claim.controls.map { WorkUnit(claimID: claim.id, control: $0.id) } }
    }

    /// "claim" or "claim#control" (the key of the timings file and of shard plans).
    public var description: String { claimID + (control.map { "#\($0)" } ?? "") }

    public init?(key: String) {
        let parts = key.split(separator: "#", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), !parts[0].isEmpty, parts.allSatisfy({ !$0.isEmpty }) else { return nil }
        self.init(claimID: String(parts[0]), control: parts.count == 2 ? String(parts[1]) : nil)
    }
}

/// Measured cost of each work unit, in CPU seconds, at one scale: `results/timings-<scale>.csv` ("unit,seconds" lines).
public struct Timings: Equatable, Sendable {
    public var seconds: [String: Double]

    public init(seconds: [String: Double] = [:]) { self.seconds = seconds }

    public static func fileName(_ scale: Scale) -> String { "timings-\(scale.rawValue).csv" }

    /// Parses the CSV; a malformed line throws (the plan must not silently change because of a bad row).
    public init(csv text: String, file: String) throws {
        var seconds: [String: Double] = [:]
        for (number, line) in text.split(separator: "\n").enumerated() where number > 0 || line != "unit,seconds" {
            let parts = line.split(separator: ",", omittingEmptySubsequences: false)
            guard parts.count == 2, let unit = WorkUnit(key: String(parts[0])), let s = Double(parts[1]), s.isFinite, s >= 0 else {
                throw ShardError("\(file): line \(number + 1) is not 'claim[#control],seconds' with seconds ≥ 0")
            }
            guard seconds.updateValue(s, forKey: unit.description) == nil else { throw ShardError("\(file): line \(number + 1): \(unit) listed twice") }
        }
        self.seconds = seconds
    }

    /// CSV in unit order; seconds rounded to 0.01 s.
    public func csv(order: [WorkUnit]) -> String {
        "unit,seconds\n" + order.compactMap { u in seconds[u.description].map { "\(u),\(String(format: "%.2f", $0))\n" } }.joined()
    }
}

/// Which units each shard runs: longest first (by recorded cost), each onto the least-loaded shard (ties: the lower
/// shard number; equal costs: registry order). Depends only on the unit list, the timings file and N, so every shard
/// of a sweep computes the same plan; units without a recorded cost count as the median recorded cost (1 s if none).
public struct ShardPlan: Equatable, Sendable {
    /// `shards[i]`: the units of shard i+1, in registry order.
    public let shards: [[WorkUnit]]
    /// Planned seconds per shard.
    public let loads: [Double]
    public let total: Double

    public init(units: [WorkUnit], count: Int, timings: Timings) throws {
        guard count <= units.count else {
            throw ShardError("\(count) shards for \(units.count) work units; at most \(units.count) shards (one unit each)")
        }
        let known = units.compactMap { timings.seconds[$0.description] }.sorted()
        let fallback = known.isEmpty ? 1 : known[known.count / 2]
        let cost = units.map { timings.seconds[$0.description] ?? fallback }
        let order = units.indices.sorted { cost[$0] != cost[$1] ? cost[$0] > cost[$1] : $0 < $1 }
        var loads = [Double](repeating: 0, count: count)
        var members = [[Int]](repeating: [], count: count)
        for u in order {
            let target = loads.indices.min { loads[$0] != loads[$1] ? loads[$0] < loads[$1] : $0 < $1 }!
            loads[target] += cost[u]
            members[target].append(u)
        }
        shards = members.map { $0.sorted().map { units[$0] } }
        self.loads = loads
        total = cost.reduce(0, +)
    }

    /// Planned makespan over the ideal total/N.
    public var makespanRatio: Double { total > 0 ? loads.max()! / (total / Double(loads.count)) : 1 }
}

/// What one shard computed, with the header `merge` checks and a checksum of the file's bytes.
public struct PartialResult: Codable {
    public struct Entry: Codable {
        public let unit: WorkUnit
        public let report: Report
        /// CPU seconds the run took (user + system, all threads; for the timings file, never part of results).
        public let seconds: Double

        public init(unit: WorkUnit, report: Report, seconds: Double) {
            self.unit = unit
            self.report = report
            self.seconds = seconds
        }

        private enum CodingKeys: String, CodingKey { case unit, report, seconds }
        private enum ReportKeys: String, CodingKey { case claimID, control, parameters, table }
        private struct ControlID: Decodable { let id: String }

        /// Checks what the typed decoders cannot: parameter pairs of two strings, table rows as wide as the header,
        /// and that the report is the run of `unit`.
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            unit = try c.decode(WorkUnit.self, forKey: .unit)
            seconds = try c.decode(Double.self, forKey: .seconds)
            guard seconds.isFinite, seconds >= 0 else {
                throw DecodingError.dataCorruptedError(forKey: .seconds, in: c, debugDescription: "seconds must be finite and ≥ 0")
            }
            let raw = try c.nestedContainer(keyedBy: ReportKeys.self, forKey: .report)
            guard try raw.decode([[String]].self, forKey: .parameters).allSatisfy({ $0.count == 2 }) else {
                throw DecodingError.dataCorruptedError(forKey: .parameters, in: raw, debugDescription: "every parameter must be a [key, value] pair")
            }
            let table = try raw.decode(Table.self, forKey: .table)
            guard table.rows.allSatisfy({ $0.count == table.columns.count }) else {
                throw DecodingError.dataCorruptedError(forKey: .table, in: raw, debugDescription: "a table row's width differs from its \(table.columns.count) columns")
            }
            guard try raw.decode(String.self, forKey: .claimID) == unit.claimID,
                  try raw.decodeIfPresent(ControlID.self, forKey: .control)?.id == unit.control else {
                throw DecodingError.dataCorruptedError(forKey: .claimID, in: raw, debugDescription: "the report is not the run of \(unit)")
            }
            report = try c.decode(Report.self, forKey: .report)
        }
    }

    public static let currentFormat = "claimcheck-partial/2"

    /// FNV-1a (64-bit) of the file's bytes with this field's 16 hex digits zeroed: any edit, truncation or
    /// concatenation is detected before the content is trusted. (A checksum, not a signature.)
    public var checksum = String(repeating: "0", count: 16)
    public var format = Self.currentFormat
    public let version: String
    public let scale: String
    public let masterSeed: UInt64
    /// Fingerprint of the selected claims' config files (FNV-1a, hex).
    public let configHash: String
    public let claims: [String]
    public let shard: ShardSpec
    /// The units of every shard of this sweep (keys "claim[#control]"): the same in every partial of one sweep.
    public let plan: [[String]]
    public let entries: [Entry]

    public init(scale: Scale, masterSeed: UInt64, configHash: String, claims: [String], shard: ShardSpec, plan: ShardPlan, entries: [Entry]) {
        version = claimcheckVersion
        self.scale = scale.rawValue
        self.masterSeed = masterSeed
        self.configHash = configHash
        self.claims = claims
        self.shard = shard
        self.plan = plan.shards.map { $0.map(\.description) }
        self.entries = entries
    }

    /// Same sweep, same code, same split: everything but the shard index and the entries.
    public func isCompatible(with other: PartialResult) -> Bool {
        format == other.format && version == other.version && scale == other.scale && masterSeed == other.masterSeed
            && configHash == other.configHash && claims == other.claims && shard.count == other.shard.count && plan == other.plan
    }

    static let checksumPrefix = Data("{\n  \"checksum\" : \"".utf8)

    static func fnv1a<S: Sequence>(_ bytes: S) -> UInt64 where S.Element == UInt8 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
        return h
    }

    /// Sorted-key, pretty-printed JSON (so the checksum is the first field) with the checksum filled in.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        var copy = self
        copy.checksum = String(repeating: "0", count: 16)
        var data = try encoder.encode(copy) + Data("\n".utf8)
        precondition(data.starts(with: Self.checksumPrefix), "partial results must encode the checksum first")
        let digits = Data(String(Self.fnv1a(data), radix: 16).leftPadded(to: 16).utf8)
        data.replaceSubrange(Self.checksumPrefix.count..<(Self.checksumPrefix.count + 16), with: digits)
        return data
    }

    /// Verifies the checksum, then decodes with every field validated; the error names the field.
    public static func decode(_ data: Data) throws -> PartialResult {
        let p = checksumPrefix.count
        guard data.count > p + 17, data.starts(with: checksumPrefix) else {
            throw ShardError("field checksum: missing (not a \(currentFormat) file, or truncated at the start)")
        }
        let stated = String(decoding: data[p..<(p + 16)], as: UTF8.self)
        var blanked = data
        blanked.replaceSubrange(p..<(p + 16), with: Data(repeating: UInt8(ascii: "0"), count: 16))
        let actual = String(fnv1a(blanked), radix: 16).leftPadded(to: 16)
        guard stated == actual else {
            throw ShardError("field checksum: \(stated.prefix(16)) does not match the content (\(actual)); the file was edited or truncated — rerun this shard")
        }
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        let partial: PartialResult
        do { partial = try decoder.decode(PartialResult.self, from: data) } catch let error as DecodingError {
            throw ShardError(describe(error))
        }
        try partial.validate()
        return partial
    }

    static func describe(_ error: DecodingError) -> String {
        func path(_ keys: [any CodingKey]) -> String {
            keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().drop { $0 == "." }.description
        }
        switch error {
        case let .dataCorrupted(c): return "field \(path(c.codingPath).isEmpty ? "(file)" : path(c.codingPath)): \(c.debugDescription)"
        case let .keyNotFound(key, c): return "field \(path(c.codingPath + [key])): missing"
        case let .typeMismatch(_, c), let .valueNotFound(_, c): return "field \(path(c.codingPath)): wrong type (\(c.debugDescription))"
        @unknown default: return "undecodable (\(error))"
        }
    }

    /// The header rules a constructed partial satisfies by construction.
    func validate() throws {
        guard format == Self.currentFormat else { throw ShardError("field format: '\(format.prefix(40))', expected \(Self.currentFormat)") }
        guard version == claimcheckVersion else { throw ShardError("field version: \(version.prefix(20)), this claimcheck is \(claimcheckVersion); rerun the shards with one version") }
        guard Scale(rawValue: scale) != nil else { throw ShardError("field scale: '\(scale.prefix(20))', expected one of \(Scale.allCases.map(\.rawValue).joined(separator: ", "))") }
        guard !claims.isEmpty, Set(claims).count == claims.count else { throw ShardError("field claims: empty or with a repeated id") }
        guard plan.count == shard.count else { throw ShardError("field plan: \(plan.count) shards, but shard says \(shard)") }
        let planned = plan.flatMap { $0 }
        guard Set(planned).count == planned.count else { throw ShardError("field plan: a unit is planned twice") }
        guard entries.map(\.unit.description) == plan[shard.index - 1] else {
            throw ShardError("field entries: the units do not match shard \(shard)'s plan (missing, extra, duplicated or reordered runs)")
        }
    }

    /// Checks that `partials` are one complete, consistent split of `units`: same header, every shard exactly once,
    /// a plan that covers every unit exactly once. Returns the reports by unit.
    public static func combine(_ partials: [(name: String, partial: PartialResult)], units: [WorkUnit]) throws -> [WorkUnit: Report] {
        guard let first = partials.first else { throw ShardError("no partial results given") }
        for (name, p) in partials.dropFirst() where !p.isCompatible(with: first.partial) {
            let what = [p.version != first.partial.version ? "field version: \(p.version) vs \(first.partial.version)" : nil,
                        p.configHash != first.partial.configHash ? "field configHash: \(p.configHash) vs \(first.partial.configHash)" : nil,
                        p.scale != first.partial.scale ? "field scale: \(p.scale) vs \(first.partial.scale)" : nil,
                        p.masterSeed != first.partial.masterSeed ? "field masterSeed: \(p.masterSeed) vs \(first.partial.masterSeed)" : nil,
                        p.shard.count != first.partial.shard.count ? "field shard: count \(p.shard.count) vs \(first.partial.shard.count)" : nil,
                        p.claims != first.partial.claims ? "field claims: different claim lists" : nil,
                        p.plan != first.partial.plan ? "field plan: different shard plans (the timings file changed between shards?)" : nil]
                .compactMap { $0 }.joined(separator: ", ")
            throw ShardError("\(name) does not match \(first.name): \(what.isEmpty ? "field format" : what)")
        }
        let count = first.partial.shard.count
        var seen: [Int: String] = [:]
        for (name, p) in partials {
            if let earlier = seen[p.shard.index] { throw ShardError("shard \(p.shard) is given twice (\(earlier) and \(name))") }
            seen[p.shard.index] = name
        }
        let missing = (1...count).filter { seen[$0] == nil }
        if !missing.isEmpty { throw ShardError("missing shard\(missing.count > 1 ? "s" : "") \(missing.map { "\($0)/\(count)" }.joined(separator: ", "))") }
        let planned = first.partial.plan.flatMap { $0 }
        guard Set(planned) == Set(units.map(\.description)), planned.count == units.count else {
            throw ShardError("\(first.name): field plan: the planned units are not exactly the \(units.count) runs of the listed claims")
        }
        var reports: [WorkUnit: Report] = [:]
        for (_, p) in partials { for e in p.entries { reports[e.unit] = e.report } }
        return reports
    }
}

/// FNV-1a 64-bit over each claim id and the bytes of its config file, as 16 hex digits.
public func configFingerprint(_ claims: [any Claim], experimentsRoot: URL) -> String {
    var bytes: [UInt8] = []
    for claim in claims {
        bytes += Array(claim.id.utf8) + [0]
        let url = experimentsRoot.appendingPathComponent(claim.family.folder).appendingPathComponent("\(claim.name).yaml")
        bytes += Array(FileManager.default.contents(atPath: url.path) ?? Data()) + [0]
    }
    return String(PartialResult.fnv1a(bytes), radix: 16).leftPadded(to: 16)
}

extension String {
    func leftPadded(to width: Int) -> String { count >= width ? self : String(repeating: "0", count: width - count) + self }
}
